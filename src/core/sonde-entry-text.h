/* sonde-entry-text.h: the words and short texts a row of the event list shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

/* Buffer sizes that hold every text of their column; longer texts are cut
 * on a character boundary and end in "…". */
#define SONDE_ENTRY_TEXT_SHORT_SIZE    64
#define SONDE_ENTRY_TEXT_PREVIEW_SIZE  320

/* How the time column reads: seconds since the session started, or the
 * local time of day. */
typedef enum
{
  SONDE_TIME_FORMAT_RELATIVE,
  SONDE_TIME_FORMAT_CLOCK,
} SondeTimeFormat;

const char *sonde_entry_kind_get_label          (SondeEntryKind      kind);
const char *sonde_entry_category_get_label      (SondeEntryCategory  category);
const char *sonde_direction_get_arrow           (SondeDirection      direction);
const char *sonde_direction_get_accessible_name (SondeDirection      direction);

gint64      sonde_entry_text_clock_origin       (GDateTime          *started_at);

gsize       sonde_entry_text_format_seq         (guint64              seq,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_time        (gint64               time_us,
                                                 SondeTimeFormat      format,
                                                 gint64               clock_origin,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_type        (const SondeEntryView *view,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_id          (const SondeEntryView *view,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_size        (const SondeEntryView *view,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_preview     (const SondeEntryView *view,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_reconnect   (guint64              delay_ms,
                                                 guint                attempt,
                                                 char                *buf,
                                                 gsize                size);
gsize       sonde_entry_text_format_delay       (guint64              delay_ms,
                                                 char                *buf,
                                                 gsize                size);

G_END_DECLS

/* sonde-entry.h: one timeline row, made only when a view asks for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

#define SONDE_TYPE_ENTRY (sonde_entry_get_type ())

G_DECLARE_FINAL_TYPE (SondeEntry, sonde_entry, SONDE, ENTRY, GObject)

gboolean        sonde_entry_view_is_compressed (const SondeEntryView *view);
gboolean        sonde_entry_view_has_member    (const SondeEntryView *view,
                                                const char           *name);
SondeEntryCategory sonde_entry_view_get_category (const SondeEntryView *view);
char           *sonde_entry_view_dup_data (const SondeEntryView  *view,
                                           gsize                 *len,
                                           char                 **type);

SondeEntry     *sonde_entry_new           (SondeEventLog *log,
                                           guint64        seq);
guint64         sonde_entry_get_seq       (SondeEntry    *self);
double          sonde_entry_get_time      (SondeEntry    *self);
SondeDirection  sonde_entry_get_direction (SondeEntry    *self);
SondeEntryKind  sonde_entry_get_kind      (SondeEntry    *self);
const SondeEntryView *sonde_entry_get_view (SondeEntry   *self);
GBytes         *sonde_entry_get_raw       (SondeEntry    *self);
char           *sonde_entry_dup_data      (SondeEntry    *self,
                                           gsize         *len);

G_END_DECLS

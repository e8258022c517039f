/* sonde-frame-text.h: every field of an entry's frames, and every rule they broke, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"
#include "sonde-ws-dissector.h"

G_BEGIN_DECLS

/* One field: its name and its value, both for people, translated. */
typedef struct
{
  char *name;
  char *value;
} SondeFrameField;

/* One frame of a WebSocket entry, or an SSE entry's lines. */
typedef struct
{
  char      *title;     /* “Frame 2 of 3”, “Lines of the event” */
  char      *summary;   /* where its bytes are in the entry */
  gsize      offset;
  gsize      length;
  GArray    *fields;    /* SondeFrameField */
  GPtrArray *problems;  /* sentences */
} SondeFrameSection;

typedef struct
{
  GPtrArray *sections;  /* SondeFrameSection */
  guint      n_omitted; /* frames or lines past the limit, not described */
  GPtrArray *problems;  /* sentences about the entry as a whole */
} SondeFrameText;

SondeFrameText *sonde_frame_text_new_for_entry (const SondeEntryView *view,
                                                guint                 max_items);
void            sonde_frame_text_free          (SondeFrameText       *self);

const char     *sonde_ws_opcode_get_name       (guint                 opcode);
char           *sonde_ws_violation_explain     (SondeWsViolation      violation,
                                                const SondeWsFrame   *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeFrameText, sonde_frame_text_free)

G_END_DECLS

/* sonde-frame-view.h: the Frame page: every field of every frame of an entry, and what it broke
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry.h"

G_BEGIN_DECLS

/* Frames (or SSE lines) described at most; a hostile peer can split one
 * message into millions, and every row is a widget. */
#define SONDE_FRAME_VIEW_MAX_ITEMS 64

#define SONDE_TYPE_FRAME_VIEW (sonde_frame_view_get_type ())

G_DECLARE_FINAL_TYPE (SondeFrameView, sonde_frame_view, SONDE, FRAME_VIEW, GtkWidget)

GtkWidget  *sonde_frame_view_new       (void);
SondeEntry *sonde_frame_view_get_entry (SondeFrameView *self);
void        sonde_frame_view_set_entry (SondeFrameView *self,
                                        SondeEntry     *entry);

G_END_DECLS

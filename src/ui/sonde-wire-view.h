/* sonde-wire-view.h: the Wire page: an entry's bytes on the wire with its fields told apart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry.h"

G_BEGIN_DECLS

#define SONDE_TYPE_WIRE_VIEW (sonde_wire_view_get_type ())

G_DECLARE_FINAL_TYPE (SondeWireView, sonde_wire_view, SONDE, WIRE_VIEW, GtkWidget)

GtkWidget  *sonde_wire_view_new       (void);
SondeEntry *sonde_wire_view_get_entry (SondeWireView *self);
void        sonde_wire_view_set_entry (SondeWireView *self,
                                       SondeEntry    *entry);

G_END_DECLS

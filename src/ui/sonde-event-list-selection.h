/* sonde-event-list-selection.h: single selection over entries in sequence order, without walking them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry.h"

G_BEGIN_DECLS

#define SONDE_TYPE_EVENT_LIST_SELECTION (sonde_event_list_selection_get_type ())

G_DECLARE_FINAL_TYPE (SondeEventListSelection, sonde_event_list_selection,
                      SONDE, EVENT_LIST_SELECTION, GObject)

SondeEventListSelection *sonde_event_list_selection_new          (GListModel              *model);
GListModel              *sonde_event_list_selection_get_model    (SondeEventListSelection *self);
void                     sonde_event_list_selection_set_model    (SondeEventListSelection *self,
                                                                  GListModel              *model);
guint                    sonde_event_list_selection_get_selected (SondeEventListSelection *self);
SondeEntry              *sonde_event_list_selection_get_selected_entry (SondeEventListSelection *self);
void                     sonde_event_list_selection_set_selected (SondeEventListSelection *self,
                                                                  guint                    position);
void                     sonde_event_list_selection_set_ramp     (SondeEventListSelection *self,
                                                                  gboolean                 ramp);
guint                    sonde_event_list_selection_get_pending  (SondeEventListSelection *self);
gboolean                 sonde_event_list_selection_ramp         (SondeEventListSelection *self);
void                     sonde_event_list_selection_catch_up     (SondeEventListSelection *self);
guint                    sonde_event_list_find_seq               (GListModel              *model,
                                                                  guint64                  seq,
                                                                  guint                    start,
                                                                  guint                    end);

G_END_DECLS

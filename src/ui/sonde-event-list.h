/* sonde-event-list.h: the list of a tab's entries, following the live edge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry.h"
#include "sonde-entry-text.h"

G_BEGIN_DECLS

#define SONDE_TYPE_EVENT_LIST (sonde_event_list_get_type ())

G_DECLARE_FINAL_TYPE (SondeEventList, sonde_event_list, SONDE, EVENT_LIST, GtkWidget)

GtkWidget       *sonde_event_list_new                (void);
GListModel      *sonde_event_list_get_model          (SondeEventList  *self);
void             sonde_event_list_set_model          (SondeEventList  *self,
                                                      GListModel      *model);
SondeEntry      *sonde_event_list_get_selected_entry (SondeEventList  *self);
gboolean         sonde_event_list_select_seq         (SondeEventList  *self,
                                                      guint64          seq);
void             sonde_event_list_show_selected      (SondeEventList  *self);
gboolean         sonde_event_list_get_following      (SondeEventList  *self);
void             sonde_event_list_jump_to_live       (SondeEventList  *self);
gboolean         sonde_event_list_get_live           (SondeEventList  *self);
void             sonde_event_list_set_live           (SondeEventList  *self,
                                                      gboolean         live);
SondeTimeFormat  sonde_event_list_get_time_format    (SondeEventList  *self);
void             sonde_event_list_set_time_format    (SondeEventList  *self,
                                                      SondeTimeFormat  format);

G_END_DECLS

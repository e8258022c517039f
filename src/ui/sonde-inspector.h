/* sonde-inspector.h: a tab's inspector page: status, timeline, list, details and compose bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-event-log.h"
#include "sonde-session.h"

G_BEGIN_DECLS

#define SONDE_TYPE_INSPECTOR (sonde_inspector_get_type ())

G_DECLARE_FINAL_TYPE (SondeInspector, sonde_inspector, SONDE, INSPECTOR, GtkWidget)

GtkWidget     *sonde_inspector_new               (SondeSession   *session);
GtkWidget     *sonde_inspector_new_for_log       (SondeEventLog  *log);
SondeSession  *sonde_inspector_get_session       (SondeInspector *self);
SondeEventLog *sonde_inspector_get_log           (SondeInspector *self);
GtkWidget     *sonde_inspector_get_status_line   (SondeInspector *self);
GtkWidget     *sonde_inspector_get_timeline_view (SondeInspector *self);
void           sonde_inspector_open_filter       (SondeInspector *self);
void           sonde_inspector_set_loading       (SondeInspector *self,
                                                   gboolean        loading);

G_END_DECLS

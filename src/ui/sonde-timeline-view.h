/* sonde-timeline-view.h: a tab's timeline with its toolbar: Fit, Jump to Live, Export Image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry-text.h"
#include "sonde-event-log.h"
#include "sonde-timeline-chart.h"

G_BEGIN_DECLS

#define SONDE_TYPE_TIMELINE_VIEW (sonde_timeline_view_get_type ())

G_DECLARE_FINAL_TYPE (SondeTimelineView, sonde_timeline_view, SONDE, TIMELINE_VIEW, GtkWidget)

GtkWidget            *sonde_timeline_view_new              (void);
SondeEventLog        *sonde_timeline_view_get_log          (SondeTimelineView *self);
void                  sonde_timeline_view_set_log          (SondeTimelineView *self,
                                                            SondeEventLog     *log);
SondeTimelineChart   *sonde_timeline_view_get_chart        (SondeTimelineView *self);
guint64               sonde_timeline_view_get_selected_seq (SondeTimelineView *self);
void                  sonde_timeline_view_set_selected_seq (SondeTimelineView *self,
                                                            guint64            seq);
gboolean              sonde_timeline_view_get_live         (SondeTimelineView *self);
void                  sonde_timeline_view_set_live         (SondeTimelineView *self,
                                                            gboolean           live);
const char           *sonde_timeline_view_get_title        (SondeTimelineView *self);
void                  sonde_timeline_view_set_title        (SondeTimelineView *self,
                                                            const char        *title);
const char           *sonde_timeline_view_get_export_name  (SondeTimelineView *self);
void                  sonde_timeline_view_set_export_name  (SondeTimelineView *self,
                                                            const char        *name);

G_END_DECLS

/* sonde-timeline-chart.h: the drawn timeline: zoom, pan, follow the live edge, pick an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry-text.h"
#include "sonde-timeline-summary.h"

G_BEGIN_DECLS

#define SONDE_TYPE_TIMELINE_CHART (sonde_timeline_chart_get_type ())

G_DECLARE_FINAL_TYPE (SondeTimelineChart, sonde_timeline_chart, SONDE, TIMELINE_CHART, GtkWidget)

GtkWidget            *sonde_timeline_chart_new             (void);
SondeTimelineSummary *sonde_timeline_chart_get_summary     (SondeTimelineChart   *self);
void                  sonde_timeline_chart_set_summary     (SondeTimelineChart   *self,
                                                            SondeTimelineSummary *summary);
gboolean              sonde_timeline_chart_get_live        (SondeTimelineChart   *self);
void                  sonde_timeline_chart_set_live        (SondeTimelineChart   *self,
                                                            gboolean              live);
gboolean              sonde_timeline_chart_get_following   (SondeTimelineChart   *self);
guint64               sonde_timeline_chart_get_cursor_seq  (SondeTimelineChart   *self);
void                  sonde_timeline_chart_set_cursor_seq  (SondeTimelineChart   *self,
                                                            guint64               seq);
SondeTimeFormat       sonde_timeline_chart_get_time_format (SondeTimelineChart   *self);
void                  sonde_timeline_chart_set_time_format (SondeTimelineChart   *self,
                                                            SondeTimeFormat       format);
void                  sonde_timeline_chart_set_clock_origin (SondeTimelineChart  *self,
                                                             gint64               clock_origin);
const char           *sonde_timeline_chart_get_title       (SondeTimelineChart   *self);
void                  sonde_timeline_chart_set_title       (SondeTimelineChart   *self,
                                                            const char           *title);

void                  sonde_timeline_chart_get_range       (SondeTimelineChart   *self,
                                                            gint64               *from_us,
                                                            gint64               *to_us);
void                  sonde_timeline_chart_set_range       (SondeTimelineChart   *self,
                                                            gint64                from_us,
                                                            gint64                to_us);
gint64                sonde_timeline_chart_x_to_time       (SondeTimelineChart   *self,
                                                            double                x);
double                sonde_timeline_chart_time_to_x       (SondeTimelineChart   *self,
                                                            gint64                time_us);
void                  sonde_timeline_chart_zoom_at         (SondeTimelineChart   *self,
                                                            double                x,
                                                            double                factor);
void                  sonde_timeline_chart_pan             (SondeTimelineChart   *self,
                                                            double                dx);
void                  sonde_timeline_chart_fit             (SondeTimelineChart   *self);
void                  sonde_timeline_chart_jump_to_live    (SondeTimelineChart   *self);
gboolean              sonde_timeline_chart_activate_at     (SondeTimelineChart   *self,
                                                            double                x,
                                                            double                y);
gboolean              sonde_timeline_chart_export          (SondeTimelineChart   *self,
                                                            GFile                *file,
                                                            GError              **error);
char                 *sonde_timeline_chart_dup_description (SondeTimelineChart   *self);
char                 *sonde_timeline_chart_describe_at     (SondeTimelineChart   *self,
                                                            double                x,
                                                            double                y);
gint64                sonde_timeline_chart_get_drawn_at    (SondeTimelineChart   *self);

G_END_DECLS

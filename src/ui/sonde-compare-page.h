/* sonde-compare-page.h: a Compare tab: SSE, WebSocket and long polling side by side, measured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-compare.h"
#include "sonde-event-log.h"

G_BEGIN_DECLS

#define SONDE_TYPE_COMPARE_PAGE (sonde_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (SondeComparePage, sonde_compare_page, SONDE, COMPARE_PAGE, GtkWidget)

GtkWidget       *sonde_compare_page_new              (void);
void             sonde_compare_page_set_recording    (SondeComparePage   *self,
                                                      SondeEventLog      *recording,
                                                      const char         *name);
void             sonde_compare_page_set_recording_file (SondeComparePage *self,
                                                        GFile            *file);
gboolean         sonde_compare_page_get_running      (SondeComparePage   *self);
SondeComparison *sonde_compare_page_get_comparison   (SondeComparePage   *self);
GtkWidget       *sonde_compare_page_get_timeline     (SondeComparePage   *self,
                                                      SondeCompareTransport transport);
gboolean         sonde_compare_page_write_table      (SondeComparePage   *self,
                                                      GFile              *file,
                                                      GError            **error);
gboolean         sonde_compare_page_write_timelines  (SondeComparePage   *self,
                                                      GFile              *file,
                                                      GError            **error);

G_END_DECLS

/* sonde-filter-bar.h: the search bar (Ctrl+F) that edits a filter model's query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-filter-model.h"

G_BEGIN_DECLS

#define SONDE_TYPE_FILTER_BAR (sonde_filter_bar_get_type ())

G_DECLARE_FINAL_TYPE (SondeFilterBar, sonde_filter_bar, SONDE, FILTER_BAR, GtkWidget)

GtkWidget        *sonde_filter_bar_new                     (void);
SondeFilterModel *sonde_filter_bar_get_model               (SondeFilterBar   *self);
void              sonde_filter_bar_set_model               (SondeFilterBar   *self,
                                                            SondeFilterModel *model);
GtkWidget        *sonde_filter_bar_get_key_capture_widget  (SondeFilterBar   *self);
void              sonde_filter_bar_set_key_capture_widget  (SondeFilterBar   *self,
                                                            GtkWidget        *widget);
gboolean          sonde_filter_bar_get_search_mode         (SondeFilterBar   *self);
void              sonde_filter_bar_set_search_mode         (SondeFilterBar   *self,
                                                            gboolean          search_mode);
const char       *sonde_filter_bar_get_error               (SondeFilterBar   *self);

G_END_DECLS

/* sonde-window.h: Sonde's main window: a tab per connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-session.h"
#include "sonde-tab.h"

G_BEGIN_DECLS

#define SONDE_TYPE_WINDOW (sonde_window_get_type ())

G_DECLARE_FINAL_TYPE (SondeWindow, sonde_window, SONDE, WINDOW, AdwApplicationWindow)

SondeWindow *sonde_window_new             (SondeApplication         *application);
void         sonde_window_set_url         (SondeWindow              *self,
                                           const char               *url);
gboolean     sonde_window_get_url_valid   (SondeWindow              *self);
AdwTabView  *sonde_window_get_tab_view    (SondeWindow              *self);
SondeTab    *sonde_window_get_current_tab (SondeWindow              *self);
SondeTab    *sonde_window_add_tab         (SondeWindow              *self);
SondeTab    *sonde_window_open            (SondeWindow              *self,
                                           const SondeSessionConfig *config);
void         sonde_window_show_error      (SondeWindow              *self,
                                           const char               *message);
void         sonde_window_show_message    (SondeWindow              *self,
                                           const char               *message);

G_END_DECLS

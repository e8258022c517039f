/* sonde-window.h: Sonde's main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-application.h"

G_BEGIN_DECLS

#define SONDE_TYPE_WINDOW (sonde_window_get_type ())

G_DECLARE_FINAL_TYPE (SondeWindow, sonde_window, SONDE, WINDOW, AdwApplicationWindow)

SondeWindow *sonde_window_new          (SondeApplication *application);
void         sonde_window_set_url      (SondeWindow      *self,
                                        const char       *url);
gboolean     sonde_window_get_url_valid (SondeWindow     *self);

G_END_DECLS

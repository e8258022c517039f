/* sonde-window-files.h: the window's Open, Save, Save As, Export HAR, recent files and drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-recording-save.h"
#include "sonde-window.h"

G_BEGIN_DECLS

void      sonde_window_files_class_init     (GtkWidgetClass  *widget_class);
void      sonde_window_files_init           (SondeWindow     *self);
void      sonde_window_files_update_actions (SondeWindow     *self);
gboolean  sonde_window_files_ask_close_tab  (SondeWindow     *self,
                                             AdwTabPage      *page);
gboolean  sonde_window_files_ask_close      (SondeWindow     *self);

SondeTab *sonde_window_open_file            (SondeWindow     *self,
                                             GFile           *file);
void      sonde_window_save_tab             (SondeWindow     *self,
                                             SondeTab        *tab,
                                             GFile           *file,
                                             SondeSaveFormat  format);

G_END_DECLS

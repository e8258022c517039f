/* sonde-test-widget.h: what the widget tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-application.h"
#include "sonde-tab.h"
#include "sonde-window.h"

G_BEGIN_DECLS

typedef void (*SondeTestAppFunc) (SondeApplication *app);

GtkWidget   *sonde_test_find_descendant     (GtkWidget           *widget,
                                             GType                type);
GtkShortcut *sonde_test_find_shortcut       (GtkWidget           *widget,
                                             guint                keyval,
                                             GdkModifierType      modifiers,
                                             GtkPropagationPhase  phase);
void         sonde_test_run_in_application  (SondeTestAppFunc     body);
SondeWindow *sonde_test_open_main_window    (SondeApplication    *app);
SondeWindow *sonde_test_open_demo           (SondeApplication    *app);
void         sonde_test_use_german          (void);
GtkWidget   *sonde_test_find_button         (GtkWidget           *widget,
                                             const char          *action_name,
                                             const char          *label);
void         sonde_test_settle              (GtkWidget           *widget);
SondeTab    *sonde_test_open_url            (SondeWindow         *window,
                                             const char          *url);
const char  *sonde_test_status_text         (SondeTab            *tab);
GtkFileChooser *sonde_test_find_file_chooser (void);

G_END_DECLS

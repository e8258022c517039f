/* sonde-ui-util.h: small helpers the window's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sonde_widget_unparent_children (GtkWidget  *widget);
void sonde_message_label_set        (GtkLabel   *label,
                                     const char *text,
                                     gboolean    is_error);
void sonde_widget_add_capture_shortcut (GtkWidget       *widget,
                                        guint            keyval,
                                        GdkModifierType  modifiers,
                                        GtkShortcutFunc  callback,
                                        gpointer         data);
void sonde_widget_fix_accessible_names (GtkWidget *widget);
void sonde_shortcuts_window_name_keys (GtkWidget *widget);
void sonde_spin_button_set_special_value (GtkSpinButton *spin,
                                          double         value,
                                          const char    *text);
char *sonde_markup_printable (const char *text);
char *sonde_gl_renderer_name        (GdkDisplay *display);
gboolean sonde_gl_renderer_is_software (const char *name);
void sonde_choose_renderer         (GdkDisplay *display);

G_END_DECLS

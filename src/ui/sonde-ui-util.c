/* sonde-ui-util.c: small helpers the window's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-ui-util.h"

/**
 * sonde_widget_unparent_children:
 *
 * Unparents every child of @widget, for a widget's dispose.
 */
void
sonde_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/**
 * sonde_message_label_set:
 * @text: (nullable): what to say; %NULL hides the label
 * @is_error: styled as an error, else as a dim remark
 *
 * A line under a field that says what is wrong with it, or how it went.
 */
void
sonde_message_label_set (GtkLabel   *label,
                         const char *text,
                         gboolean    is_error)
{
  GtkWidget *widget = GTK_WIDGET (label);

  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (widget, text != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_remove_css_class (widget, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_add_css_class (widget, "dim-label");
    }
}

/**
 * sonde_widget_add_capture_shortcut:
 * @callback: returns whether it handled the key; if not, the key goes on
 *
 * A key that @widget handles before any of its descendants sees it (the
 * capture phase), while the focus is inside @widget: a text view would
 * otherwise take Ctrl+Return as a line break, and Up and Down as cursor
 * moves.
 */
void
sonde_widget_add_capture_shortcut (GtkWidget       *widget,
                                   guint            keyval,
                                   GdkModifierType  modifiers,
                                   GtkShortcutFunc  callback,
                                   gpointer         data)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keyval, modifiers);

  gtk_event_controller_set_name (controller, "sonde-capture-shortcut");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_callback_action_new (callback, data,
                                                                                   NULL)));
  gtk_widget_add_controller (widget, controller);
}

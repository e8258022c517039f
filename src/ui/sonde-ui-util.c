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

/* sonde-test-widget.c: what the widget tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-test-widget.h"

/**
 * sonde_test_find_descendant:
 *
 * Returns: (nullable): the first widget of @type below @widget, depth first
 */
GtkWidget *
sonde_test_find_descendant (GtkWidget *widget,
                            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = sonde_test_find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* sonde-test-widget.h: what the widget tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *sonde_test_find_descendant (GtkWidget *widget,
                                       GType      type);

G_END_DECLS

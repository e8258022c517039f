/* sonde-mock-panel.c: the Mock Servers window: servers started from Sonde, on threads of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-mock-panel.h"

/* One window per main window, opened from its menu: the servers it lists
 * live as long as that window (or until removed), each on its own thread,
 * and any of them can serve one of the window's tabs. Closing the panel
 * only hides it; the servers go on. It is not one of the application's
 * windows, so that the application's "active window" stays a main window. */

struct _SondeMockPanel
{
  AdwWindow        parent_instance;

  SondeWindow     *window;   /* weak: the panel is destroyed with it */
  guint            n_added;

  GtkBox          *servers_box;
  AdwStatusPage   *empty_page;
  AdwToastOverlay *toast_overlay;
};

G_DEFINE_FINAL_TYPE (SondeMockPanel, sonde_mock_panel, ADW_TYPE_WINDOW)

/**
 * sonde_mock_panel_get_servers:
 *
 * Returns: (transfer container) (element-type SondeMockServerView): the servers, in order
 */
GList *
sonde_mock_panel_get_servers (SondeMockPanel *self)
{
  GList *servers = NULL;

  g_return_val_if_fail (SONDE_IS_MOCK_PANEL (self), NULL);

  for (GtkWidget *child = gtk_widget_get_last_child (GTK_WIDGET (self->servers_box));
       child != NULL;
       child = gtk_widget_get_prev_sibling (child))
    {
      if (SONDE_IS_MOCK_SERVER_VIEW (child))
        servers = g_list_prepend (servers, child);
    }
  return servers;
}

/* The tabs with a capture to serve. */
static void
update_tabs (SondeMockPanel *self)
{
  g_autoptr(GPtrArray) tabs = g_ptr_array_new ();
  g_autoptr(GList) servers = sonde_mock_panel_get_servers (self);
  AdwTabView *view = self->window != NULL ? sonde_window_get_tab_view (self->window) : NULL;

  for (int i = 0; view != NULL && i < adw_tab_view_get_n_pages (view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (view, i));
      SondeTab *tab;
      SondeInspector *inspector;

      if (!SONDE_IS_TAB (child))
        continue;  /* a comparison page */
      tab = SONDE_TAB (child);
      inspector = sonde_tab_get_inspector (tab);

      /* A tab gets a capture when it connects, and is named after it. */
      g_signal_handlers_disconnect_by_func (tab, update_tabs, self);
      g_signal_connect_object (tab, "notify::session", G_CALLBACK (update_tabs), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (tab, "notify::title", G_CALLBACK (update_tabs), self,
                               G_CONNECT_SWAPPED);
      if (inspector != NULL && sonde_inspector_get_log (inspector) != NULL)
        g_ptr_array_add (tabs, tab);
    }

  for (GList *l = servers; l != NULL; l = l->next)
    sonde_mock_server_view_set_tabs (l->data, tabs);
}

static void
update_empty (SondeMockPanel *self)
{
  g_autoptr(GList) servers = sonde_mock_panel_get_servers (self);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), servers == NULL);
}

static void
server_remove_cb (SondeMockPanel      *self,
                  SondeMockServerView *server)
{
  gtk_box_remove (self->servers_box, GTK_WIDGET (server));
  update_empty (self);
}

/**
 * sonde_mock_panel_add_server:
 *
 * Adds a stopped server, on the demo, to the end of the list.
 *
 * Returns: (transfer none): its view
 */
SondeMockServerView *
sonde_mock_panel_add_server (SondeMockPanel *self)
{
  GtkWidget *server;

  g_return_val_if_fail (SONDE_IS_MOCK_PANEL (self), NULL);

  server = sonde_mock_server_view_new (self->window, ++self->n_added);
  g_signal_connect_object (server, "remove", G_CALLBACK (server_remove_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->servers_box, server);
  update_empty (self);
  update_tabs (self);

  return SONDE_MOCK_SERVER_VIEW (server);
}

static void
add_server_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeMockServerView *server = sonde_mock_panel_add_server (SONDE_MOCK_PANEL (widget));

  gtk_widget_child_focus (GTK_WIDGET (server), GTK_DIR_TAB_FORWARD);
}

static void
sonde_mock_panel_show (GtkWidget *widget)
{
  /* Tabs come and go, and connect, while the panel is hidden. */
  update_tabs (SONDE_MOCK_PANEL (widget));

  GTK_WIDGET_CLASS (sonde_mock_panel_parent_class)->show (widget);
}

static void
sonde_mock_panel_dispose (GObject *object)
{
  SondeMockPanel *self = SONDE_MOCK_PANEL (object);
  g_autoptr(GList) servers = sonde_mock_panel_get_servers (self);

  /* Every server's thread ends here, not when a reference lets go. */
  for (GList *l = servers; l != NULL; l = l->next)
    sonde_mock_server_view_stop (l->data);

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *)&self->window);
  self->window = NULL;

  G_OBJECT_CLASS (sonde_mock_panel_parent_class)->dispose (object);
}

static void
sonde_mock_panel_class_init (SondeMockPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_mock_panel_dispose;
  widget_class->show = sonde_mock_panel_show;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-mock-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeMockPanel, servers_box);
  gtk_widget_class_bind_template_child (widget_class, SondeMockPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SondeMockPanel, toast_overlay);

  gtk_widget_class_install_action (widget_class, "panel.add-server", NULL, add_server_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "panel.add-server", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
sonde_mock_panel_init (SondeMockPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sonde_mock_panel_new:
 * @window: the main window whose tabs it serves and opens
 *
 * Returns: (transfer none): the panel, with one stopped server on the demo,
 *   destroyed with @window
 */
SondeMockPanel *
sonde_mock_panel_new (SondeWindow *window)
{
  SondeMockPanel *self;

  g_return_val_if_fail (SONDE_IS_WINDOW (window), NULL);

  self = g_object_new (SONDE_TYPE_MOCK_PANEL,
                       "transient-for", window,
                       NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&self->window);
  g_signal_connect_object (sonde_window_get_tab_view (window), "notify::n-pages",
                           G_CALLBACK (update_tabs), self, G_CONNECT_SWAPPED);
  sonde_mock_panel_add_server (self);

  return self;
}

/* sonde-window.c: Sonde's main window: a tab per connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-compare-page.h"
#include "sonde-mock-panel.h"
#include "sonde-status-line.h"
#include "sonde-timeline-render.h"
#include "sonde-ui-util.h"
#include "sonde-window.h"
#include "sonde-window-files.h"

/* The window holds tabs and forwards its shortcuts to the selected one; each
 * tab owns its session, so closing a tab stops its connection and thread. */

struct _SondeWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwTabView           *tab_view;
  AdwTabBar            *tab_bar;

  /* The selected tab's connect page, for url-valid. */
  GSignalGroup         *page_signals;

  /* The Mock Servers window, once opened (weak: destroyed with this one). */
  GtkWindow            *mock_panel;

  /* What a frame costs, for pacing the logs' notifications. */
  GdkFrameClock        *frame_clock;
  gulong                before_paint_id;
  gulong                after_paint_id;
  gint64                paint_start_us;
  gint64                frame_cost_us;

  guint                 url_valid : 1;
  guint                 state_loaded : 1;
};

G_DEFINE_FINAL_TYPE (SondeWindow, sonde_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_URL_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SondeWindow *
sonde_window_new (SondeApplication *application)
{
  g_return_val_if_fail (SONDE_IS_APPLICATION (application), NULL);

  return g_object_new (SONDE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * sonde_window_get_tab_view:
 *
 * Returns: (transfer none): the tabs
 */
AdwTabView *
sonde_window_get_tab_view (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->tab_view;
}

/**
 * sonde_window_get_current_tab:
 *
 * Returns: (transfer none) (nullable): the selected tab
 */
SondeTab *
sonde_window_get_current_tab (SondeWindow *self)
{
  AdwTabPage *page;

  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  page = adw_tab_view_get_selected_page (self->tab_view);
  return page != NULL && SONDE_IS_TAB (adw_tab_page_get_child (page))
    ? SONDE_TAB (adw_tab_page_get_child (page)) : NULL;
}

/* A page's session; a comparison page has none of its own. */
static SondeSession *
page_session (AdwTabPage *page)
{
  GtkWidget *child = adw_tab_page_get_child (page);

  return SONDE_IS_TAB (child) ? sonde_tab_get_session (SONDE_TAB (child)) : NULL;
}

/**
 * sonde_window_get_url_valid:
 *
 * Returns: whether the selected tab's connect page holds a URL Sonde can
 *   connect to
 */
gboolean
sonde_window_get_url_valid (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), FALSE);

  return self->url_valid;
}

static void
sonde_window_update_actions (SondeWindow *self)
{
  SondeTab *tab = sonde_window_get_current_tab (self);
  SondeSession *session = tab != NULL ? sonde_tab_get_session (tab) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", self->url_valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect",
                                 session != NULL && sonde_session_get_active (session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", tab != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-url", tab != NULL);
  sonde_window_files_update_actions (self);
}

static void
sonde_window_update_url_valid (SondeWindow *self)
{
  SondeTab *tab = sonde_window_get_current_tab (self);
  gboolean valid = tab != NULL &&
                   sonde_connect_page_get_url_valid (sonde_tab_get_connect_page (tab));

  if (valid != self->url_valid)
    {
      self->url_valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL_VALID]);
    }
  sonde_window_update_actions (self);
}

static void
page_url_valid_cb (SondeWindow      *self,
                   GParamSpec       *pspec,
                   SondeConnectPage *page)
{
  sonde_window_update_url_valid (self);
}

/* libadwaita 1.2 shows a tab's state by an icon (or a spinner) without a
 * name, and names the tab itself not at all: a screen reader heard neither.
 * Each tab is named by its title and its state in a word ("127.0.0.1:8080/sse,
 * Open"), its icon and spinner by the state; the tab's description stays
 * the page's tooltip (the URL and the state with its reason). GTK 4.8 has
 * no call to announce: a changed name is what AT-SPI tells a screen reader
 * (object:property-change:accessible-name), once per change of state, not
 * per second of a countdown. Tabs are libadwaita's own widgets, made and
 * remade by the tab bar: they are found by type name and page. */
static void
name_state_widgets (GtkWidget  *widget,
                    const char *state)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if ((GTK_IS_IMAGE (child) || GTK_IS_SPINNER (child)) &&
          gtk_widget_get_ancestor (child, GTK_TYPE_BUTTON) == NULL)
        {
          if (state != NULL)
            gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            state, -1);
          else
            gtk_accessible_reset_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL);
        }
      else if (!GTK_IS_BUTTON (child))
        name_state_widgets (child, state);
    }
}

static void
name_tabs (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(AdwTabPage) page = NULL;
      GtkWidget *content;
      const char *state = NULL;
      g_autofree char *name = NULL;

      if (g_strcmp0 (G_OBJECT_TYPE_NAME (child), "AdwTab") != 0)
        {
          name_tabs (child);
          continue;
        }
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "page") == NULL)
        continue;
      g_object_get (child, "page", &page, NULL);
      if (page == NULL)
        continue;

      content = adw_tab_page_get_child (page);
      if (SONDE_IS_TAB (content) && sonde_tab_get_session (SONDE_TAB (content)) != NULL)
        state = sonde_connection_state_get_label (sonde_tab_get_state (SONDE_TAB (content)));
      if (state != NULL)
        /* Translators: a tab's name for screen readers: its title, then its
         * connection state ("127.0.0.1:8080/sse, Open") */
        name = g_strdup_printf (_("%s, %s"), adw_tab_page_get_title (page), state);
      else
        name = g_strdup (adw_tab_page_get_title (page));
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      /* libadwaita 1.2 puts each tab in a focusable AdwGizmo of no name:
       * what a screen reader says as Tab reaches the tab bar is "AdwGizmo". */
      if (GTK_IS_WIDGET (gtk_widget_get_parent (child)) &&
          gtk_widget_get_focusable (gtk_widget_get_parent (child)))
        {
          g_autofree char *description = NULL;

          /* The tooltip is markup; a screen reader reads text. */
          if (adw_tab_page_get_tooltip (page) == NULL ||
              !pango_parse_markup (adw_tab_page_get_tooltip (page), -1, 0, NULL, &description,
                                   NULL, NULL))
            description = NULL;
          gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (child)),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          description != NULL ? description : "", -1);
        }
      name_state_widgets (child, state);
    }
}

static void
tab_state_cb (AdwTabPage *page,
              GParamSpec *pspec,
              SondeTab   *tab)
{
  SondeConnectionState state = sonde_tab_get_state (tab);
  g_autoptr(GIcon) icon = g_themed_icon_new (sonde_connection_state_icon_name (state));
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (tab), SONDE_TYPE_WINDOW);

  adw_tab_page_set_icon (page, icon);
  adw_tab_page_set_loading (page, state == SONDE_CONNECTION_CONNECTING);
  adw_tab_page_set_needs_attention (page, state == SONDE_CONNECTION_FAILED);

  if (window != NULL)
    {
      name_tabs (GTK_WIDGET (SONDE_WINDOW (window)->tab_bar));
      sonde_window_update_actions (SONDE_WINDOW (window));
    }
}

/* A page's tooltip is markup; the tab's is text (a URL's a=1&b=2, a
 * server's reason). */
static gboolean
tooltip_to_markup (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_take_string (to, text != NULL ? g_markup_escape_text (text, -1) : NULL);
  return TRUE;
}

static AdwTabPage *
append_tab (SondeWindow *self,
            SondeTab    *tab)
{
  AdwTabPage *page = adw_tab_view_append (self->tab_view, GTK_WIDGET (tab));

  g_object_bind_property (tab, "title", page, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (tab, "tooltip", page, "tooltip", G_BINDING_SYNC_CREATE,
                               tooltip_to_markup, NULL, NULL, NULL);
  g_signal_connect_object (tab, "notify::state", G_CALLBACK (tab_state_cb), page,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tab, "notify::session", G_CALLBACK (tab_state_cb), page,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tab, "notify::title", G_CALLBACK (tab_state_cb), page,
                           G_CONNECT_SWAPPED);
  /* After the binding above has passed it on: the tab's description. */
  g_signal_connect_object (tab, "notify::tooltip", G_CALLBACK (tab_state_cb), page,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  tab_state_cb (page, NULL, tab);
  /* The tab bar has just made this page's tab, with a close button of its own. */
  sonde_widget_fix_accessible_names (GTK_WIDGET (self->tab_bar));
  name_tabs (GTK_WIDGET (self->tab_bar));

  return page;
}

/**
 * sonde_window_add_tab:
 *
 * Opens a new tab on its connect page and selects it.
 *
 * Returns: (transfer none): the tab
 */
SondeTab *
sonde_window_add_tab (SondeWindow *self)
{
  SondeTab *tab;
  AdwTabPage *page;

  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  tab = SONDE_TAB (sonde_tab_new ());
  page = append_tab (self, tab);
  adw_tab_view_set_selected_page (self->tab_view, page);

  return tab;
}

/**
 * sonde_window_open:
 *
 * Connects with @config in a new tab, or in the selected tab if that is
 * still an untouched new one.
 *
 * Returns: (transfer none): the tab
 */
SondeTab *
sonde_window_open (SondeWindow              *self,
                   const SondeSessionConfig *config)
{
  SondeTab *tab;

  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  tab = sonde_window_get_current_tab (self);
  if (tab == NULL || sonde_tab_get_log (tab) != NULL ||
      sonde_connect_page_get_url (sonde_tab_get_connect_page (tab))[0] != '\0')
    tab = sonde_window_add_tab (self);

  sonde_tab_connect (tab, config);
  sonde_window_update_actions (self);

  return tab;
}

/**
 * sonde_window_show_error:
 *
 * Tells of something that went wrong outside any tab, in a toast.
 */
void
sonde_window_show_error (SondeWindow *self,
                         const char  *message)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  title = sonde_markup_printable (message);
  toast = adw_toast_new (title);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * sonde_window_show_message:
 *
 * Tells of something done, such as a file saved, in a toast that goes.
 */
void
sonde_window_show_message (SondeWindow *self,
                           const char  *message)
{
  g_autofree char *title = NULL;

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  title = sonde_markup_printable (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

void
sonde_window_set_url (SondeWindow *self,
                      const char  *url)
{
  SondeTab *tab;

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  tab = sonde_window_get_current_tab (self);
  if (tab == NULL)
    tab = sonde_window_add_tab (self);
  sonde_connect_page_set_url (sonde_tab_get_connect_page (tab), url);
}

static void
tab_view_selected_page_cb (SondeWindow *self,
                           GParamSpec  *pspec,
                           AdwTabView  *view)
{
  SondeTab *tab = sonde_window_get_current_tab (self);

  g_signal_group_set_target (self->page_signals,
                             tab != NULL ? sonde_tab_get_connect_page (tab) : NULL);
  sonde_window_update_url_valid (self);
}

static gboolean
tab_view_close_page_cb (SondeWindow *self,
                        AdwTabPage  *page,
                        AdwTabView  *view)
{
  SondeSession *session = page_session (page);

  /* Captured and never saved: the answer finishes the close. */
  if (sonde_window_files_ask_close_tab (self, page))
    return GDK_EVENT_STOP;

  /* Now, not when the page's last reference goes. */
  if (session != NULL)
    sonde_session_stop (session);
  adw_tab_view_close_page_finish (view, page, TRUE);

  return GDK_EVENT_STOP;
}

static void
tab_view_n_pages_cb (SondeWindow *self,
                     GParamSpec  *pspec,
                     AdwTabView  *view)
{
  /* Closing the last tab closes the window, as in a browser. */
  if (adw_tab_view_get_n_pages (view) == 0 && !gtk_widget_in_destruction (GTK_WIDGET (self)))
    gtk_window_close (GTK_WINDOW (self));
}

/* win.connect, win.disconnect and win.reconnect act on the selected tab, as
 * tab.connect, tab.disconnect and tab.reconnect. */
static void
forward_to_tab_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SondeTab *tab = sonde_window_get_current_tab (SONDE_WINDOW (widget));
  g_autofree char *tab_action = g_strconcat ("tab.", strchr (action_name, '.') + 1, NULL);

  if (tab != NULL)
    gtk_widget_activate_action (GTK_WIDGET (tab), tab_action, NULL);
}

static void
new_tab_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SondeTab *tab = sonde_window_add_tab (SONDE_WINDOW (widget));

  sonde_connect_page_focus_url (sonde_tab_get_connect_page (tab));
}

static void
new_comparison_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_append (self->tab_view, sonde_compare_page_new ());
  g_autoptr(GIcon) icon = g_themed_icon_new ("view-dual-symbolic");

  adw_tab_page_set_title (page, _("Comparison"));
  adw_tab_page_set_tooltip (page, _("SSE, WebSocket and long polling on the same feed"));
  adw_tab_page_set_icon (page, icon);
  adw_tab_view_set_selected_page (self->tab_view, page);
  name_tabs (GTK_WIDGET (self->tab_bar));
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
}

static void
focus_url_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeTab *tab = sonde_window_get_current_tab (self);

  if (tab == NULL)
    return;

  /* A connected tab edits its connection; a new one just takes the focus. */
  if (sonde_tab_get_session (tab) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (tab), "tab.edit", NULL);
  sonde_connect_page_focus_url (sonde_tab_get_connect_page (tab));
}

/* Ctrl+F wherever the focus is (the header bar's buttons and the tab bar
 * included, where it starts): the filter bar's own binding only hears keys
 * from inside the inspector. */
static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeTab *tab = sonde_window_get_current_tab (SONDE_WINDOW (widget));
  SondeInspector *inspector = tab != NULL ? sonde_tab_get_inspector (tab) : NULL;

  if (inspector != NULL && gtk_widget_get_mapped (GTK_WIDGET (inspector)))
    sonde_inspector_open_filter (inspector);
}

static void
mock_servers_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  if (self->mock_panel == NULL)
    {
      self->mock_panel = GTK_WINDOW (sonde_mock_panel_new (self));
      g_object_add_weak_pointer (G_OBJECT (self->mock_panel), (gpointer *)&self->mock_panel);
    }
  gtk_window_present (self->mock_panel);
}

/* Returns whether there were settings to load. */
static gboolean
sonde_window_load_state (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings;

  if (!SONDE_IS_APPLICATION (app))
    return FALSE;

  settings = sonde_application_get_settings (SONDE_APPLICATION (app));
  if (settings == NULL)
    return FALSE;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  return TRUE;
}

static void
sonde_window_save_state (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings;
  int width, height;

  if (!SONDE_IS_APPLICATION (app))
    return;

  settings = sonde_application_get_settings (SONDE_APPLICATION (app));
  if (settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  /* No g_settings_delay() here: it cannot be undone, and this GSettings is
   * the application's, shared with everything else that writes settings. */
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
sonde_window_close_request (GtkWindow *window)
{
  SondeWindow *self = SONDE_WINDOW (window);

  /* Captured and never saved: the window stays until the answer. */
  if (sonde_window_files_ask_close (self))
    return TRUE;

  sonde_window_save_state (self);

  /* Every connection and its thread ends now, not when the last reference
   * to the window goes, which may be later. */
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tab_view, i);
      SondeSession *session = page_session (page);

      if (session != NULL)
        sonde_session_stop (session);
    }

  return GTK_WINDOW_CLASS (sonde_window_parent_class)->close_request (window);
}

/* GtkWindow:application is not a construct property: g_object_new() sets it
 * after constructed(), so the saved size is applied when it arrives. */
static void
sonde_window_notify_application (SondeWindow *self,
                                 GParamSpec  *pspec,
                                 gpointer     user_data)
{
  GtkShortcutsWindow *help_overlay;

  g_assert (SONDE_IS_WINDOW (self));

  /* GtkApplication gives the window its Keyboard Shortcuts as it joins. */
  help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self));
  if (help_overlay != NULL)
    sonde_shortcuts_window_name_keys (GTK_WIDGET (help_overlay));

  if (self->state_loaded)
    return;

  self->state_loaded = sonde_window_load_state (self);
}

/* Pacing. Each log notification (new entries) makes the window draw a
 * frame. Where a frame costs more than the time to the next notification
 * (a software renderer on a loaded machine, a fire hose), the main loop never
 * got below the redraw's priority: idle work starved (the accessibility bus
 * never heard of the window) while the window drew back to back. The logs
 * of all tabs are told to space their notifications by the recent cost of a
 * frame plus a gap for the rest of the main loop: as long as the frame
 * (half the main thread) up to GAP_MAX_US (so that a slow frame does not
 * slow the next one further). A fast frame keeps the display's pace. */
#define MIN_NOTIFY_INTERVAL_US  (G_USEC_PER_SEC / 60)
#define MAX_NOTIFY_INTERVAL_US  (5 * G_USEC_PER_SEC)
#define GAP_MAX_US              (G_USEC_PER_SEC / 4)

static void
before_paint_cb (GdkFrameClock *clock,
                 SondeWindow   *self)
{
  self->paint_start_us = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                SondeWindow   *self)
{
  gint64 cost;
  gint64 interval;

  if (self->paint_start_us == 0)
    return;
  cost = g_get_monotonic_time () - self->paint_start_us;
  self->paint_start_us = 0;
  /* Up at once, down slowly: one cheap frame says little. */
  self->frame_cost_us = cost > self->frame_cost_us ? cost : (self->frame_cost_us * 7 + cost) / 8;
  interval = CLAMP (self->frame_cost_us + MIN (self->frame_cost_us, GAP_MAX_US),
                    MIN_NOTIFY_INTERVAL_US, MAX_NOTIFY_INTERVAL_US);

  for (int i = 0, n = adw_tab_view_get_n_pages (self->tab_view); i < n; i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));
      SondeEventLog *log = SONDE_IS_TAB (child) ? sonde_tab_get_log (SONDE_TAB (child)) : NULL;

      if (log != NULL)
        sonde_event_log_set_notify_interval (log, interval);
    }
}

static void
sonde_window_realize (GtkWidget *widget)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  GTK_WIDGET_CLASS (sonde_window_parent_class)->realize (widget);

  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->before_paint_id = g_signal_connect (self->frame_clock, "before-paint",
                                            G_CALLBACK (before_paint_cb), self);
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
}

static void
sonde_window_unrealize (GtkWidget *widget)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->before_paint_id, self->frame_clock);
      g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
      g_clear_object (&self->frame_clock);
    }

  GTK_WIDGET_CLASS (sonde_window_parent_class)->unrealize (widget);
}

static void
sonde_window_dispose (GObject *object)
{
  SondeWindow *self = SONDE_WINDOW (object);

  if (self->page_signals != NULL)
    g_signal_group_set_target (self->page_signals, NULL);
  g_clear_object (&self->page_signals);
  /* Its servers and their threads end with the window. */
  if (self->mock_panel != NULL)
    gtk_window_destroy (self->mock_panel);

  G_OBJECT_CLASS (sonde_window_parent_class)->dispose (object);
}

static void
sonde_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SondeWindow *self = SONDE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_URL_VALID:
      g_value_set_boolean (value, self->url_valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_window_class_init (SondeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sonde_window_dispose;
  object_class->get_property = sonde_window_get_property;

  window_class->close_request = sonde_window_close_request;
  widget_class->realize = sonde_window_realize;
  widget_class->unrealize = sonde_window_unrealize;

  /**
   * SondeWindow:url-valid:
   *
   * Whether the selected tab's URL is one Sonde can connect to.
   */
  properties[PROP_URL_VALID] =
    g_param_spec_boolean ("url-valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SONDE_TYPE_TAB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, tab_bar);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_close_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_selected_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_n_pages_cb);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, forward_to_tab_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, forward_to_tab_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, forward_to_tab_action);
  gtk_widget_class_install_action (widget_class, "win.new-tab", NULL, new_tab_action);
  gtk_widget_class_install_action (widget_class, "win.new-comparison", NULL,
                                   new_comparison_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.focus-url", NULL, focus_url_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.find", NULL);
  gtk_widget_class_install_action (widget_class, "win.mock-servers", NULL, mock_servers_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.mock-servers", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-url", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "win.new-tab", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "win.close-tab", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.disconnect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reconnect", NULL);

  sonde_window_files_class_init (widget_class);
}

static void
sonde_window_init (SondeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->page_signals = g_signal_group_new (SONDE_TYPE_CONNECT_PAGE);
  g_signal_group_connect_object (self->page_signals, "notify::url-valid",
                                 G_CALLBACK (page_url_valid_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::application",
                    G_CALLBACK (sonde_window_notify_application), NULL);

  sonde_window_files_init (self);

  /* A window always opens with a tab to type a URL into. */
  sonde_window_add_tab (self);
  sonde_window_update_actions (self);
}

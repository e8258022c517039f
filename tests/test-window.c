/* test-window.c: widget tests of the application and its main window, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-connect-page.h"
#include "sonde-details-pane.h"
#include "sonde-error.h"
#include "sonde-event-list.h"
#include "sonde-mock-host.h"
#include "sonde-status-line.h"
#include "sonde-inspector.h"
#include "sonde-tab.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-timeline-chart.h"
#include "sonde-ui-util.h"
#include "sonde-url.h"
#include "sonde-window.h"
#include "sonde-worker.h"

/* How long a test waits for GTK to catch up before it fails. */
#define WAIT_SECONDS 2
/* ... and for traffic on loopback, on a machine shared with others. */
#define NET_WAIT_SECONDS 20

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @cond holds, for at most WAIT_SECONDS. The tick
 * only bounds how long one iteration may block; nothing waits on it. */
#define wait_until(cond) wait_until_secs (cond, WAIT_SECONDS)
#define wait_until_secs(cond, secs) \
  G_STMT_START { \
    gint64 deadline__ = g_get_monotonic_time () + (secs) * G_USEC_PER_SEC; \
    guint tick__ = g_timeout_add (10, keep_ticking, NULL); \
    while (!(cond) && g_get_monotonic_time () < deadline__) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (tick__); \
    if (!(cond)) \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                           "gave up waiting for: " #cond); \
  } G_STMT_END

/* Lets pending idles and redraws run, without waiting for anything. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A child of the window's template, or of the selected tab's connect page
 * (the URL entry, its message and the Connect button live there). */
static gpointer
template_child (SondeWindow *window,
                const char  *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), SONDE_TYPE_WINDOW, name);

  if (child == NULL)
    {
      SondeTab *tab = sonde_window_get_current_tab (window);

      g_assert_nonnull (tab);
      child = gtk_widget_get_template_child (GTK_WIDGET (sonde_tab_get_connect_page (tab)),
                                             SONDE_TYPE_CONNECT_PAGE, name);
    }

  g_assert_nonnull (child);
  return child;
}

static GtkWindow *
find_toplevel (GType type)
{
  GList *list = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = list; l != NULL && found == NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
        found = l->data;
    }
  g_list_free (list);

  return found;
}

static void
count_shortcuts (GtkWidget *widget,
                 GPtrArray *accelerators)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      if (accelerator != NULL)
        g_ptr_array_add (accelerators, g_steal_pointer (&accelerator));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_shortcuts (child, accelerators);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Create and destroy */

static void
test_application_new (void)
{
  SondeApplication *app = sonde_application_new ();

  g_assert_true (SONDE_IS_APPLICATION (app));
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID);
  /* Settings come with start-up, not with the object. */
  g_assert_null (sonde_application_get_settings (app));

  g_assert_finalize_object (app);
}

static void
application_register_body (SondeApplication *app)
{

  /* The test environment compiles the schema into the build tree. */
  g_assert_true (G_IS_SETTINGS (sonde_application_get_settings (app)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "new-window"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));

}

static void
test_application_register (void)
{
  sonde_test_run_in_application (application_register_body);
}

static void
window_new_body (SondeApplication *app)
{
  SondeWindow *window = sonde_window_new (app);

  g_assert_true (SONDE_IS_WINDOW (window));
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));
  g_assert_false (sonde_window_get_url_valid (window));

  /* GTK owns a toplevel; hold our own reference to watch it go. */
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

}

static void
test_window_new (void)
{
  sonde_test_run_in_application (window_new_body);
}

static void
window_new_activate_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);

  /* Activating again presents the same window instead of opening another. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));

  /* app.new-window does open another. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 2);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

}

static void
test_window_new_activate (void)
{
  sonde_test_run_in_application (window_new_activate_body);
}

/* The renderer: cairo when OpenGL renders in software */

/* Whether GSK_RENDERER came from the environment, not from Sonde. */
static gboolean renderer_from_environment;

static void
renderer_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_autofree char *name = sonde_gl_renderer_name (gtk_widget_get_display (GTK_WIDGET (window)));

  /* Mesa's rasterizers that draw on the processor, and drivers of graphics
   * processors that are built with LLVM and say so. */
  g_assert_true (sonde_gl_renderer_is_software ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (sonde_gl_renderer_is_software ("Software Rasterizer"));
  g_assert_false (sonde_gl_renderer_is_software ("AMD Radeon RX 5500 XT (navi14, LLVM 15.0.7, DRM 3.52)"));
  g_assert_false (sonde_gl_renderer_is_software ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));

  g_assert_nonnull (renderer);
  if (renderer_from_environment)
    g_test_message ("GSK_RENDERER is set; Sonde leaves the choice to it");
  else if (name != NULL && sonde_gl_renderer_is_software (name))
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
  else
    g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), !=, "GskCairoRenderer");
  g_test_message ("OpenGL renderer: %s; GTK draws with %s", name != NULL ? name : "none",
                  G_OBJECT_TYPE_NAME (renderer));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_renderer (void)
{
  sonde_test_run_in_application (renderer_body);
}

/* The URL entry and its message */

static void
assert_url_error (SondeWindow *window,
                  const char  *text,
                  int          code)
{
  GtkWidget *entry = template_child (window, "url_entry");
  GtkWidget *message = template_child (window, "url_message");
  GtkWidget *button = template_child (window, "connect_button");
  g_autoptr(GError) error = NULL;
  gboolean valid = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (entry), text);

  /* The window shows exactly the sentence core wrote for this mistake. */
  g_assert_false (sonde_url_parse (text, NULL, NULL, &error));
  g_assert_error (error, SONDE_ERROR, code);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), ==, error->message);

  g_assert_true (gtk_widget_has_css_class (message, "error"));
  g_assert_false (gtk_widget_has_css_class (message, "dim-label"));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  gtk_test_accessible_assert_state (entry, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);

  g_object_get (window, "url-valid", &valid, NULL);
  g_assert_false (valid);
  g_assert_false (sonde_window_get_url_valid (window));
  wait_until (!gtk_widget_get_sensitive (button));
}

static void
assert_url_good (SondeWindow *window,
                 const char  *text,
                 const char  *hint)
{
  GtkWidget *entry = template_child (window, "url_entry");
  GtkWidget *message = template_child (window, "url_message");
  GtkWidget *button = template_child (window, "connect_button");
  gboolean valid = FALSE;

  gtk_editable_set_text (GTK_EDITABLE (entry), text);

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), ==, hint);
  g_assert_false (gtk_widget_has_css_class (message, "error"));
  g_assert_true (gtk_widget_has_css_class (message, "dim-label"));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  gtk_test_accessible_assert_state (entry, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_FALSE);

  g_object_get (window, "url-valid", &valid, NULL);
  g_assert_true (valid);
  g_assert_true (sonde_window_get_url_valid (window));
  wait_until (gtk_widget_get_sensitive (button));
}

static void
window_url_check_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GtkWidget *entry = template_child (window, "url_entry");
  GtkWidget *message = template_child (window, "url_message");
  GtkWidget *button = template_child (window, "connect_button");
  g_autofree char *hint = NULL;
  g_autofree char *ftp_message = NULL;
  g_autofree char *host_message = NULL;
  guint notified = 0;

  g_assert_true (GTK_IS_EDITABLE (entry));
  g_assert_true (GTK_IS_LABEL (message));
  g_assert_true (GTK_IS_BUTTON (button));

  /* Nothing typed yet: an example, not an error, and nothing to connect to. */
  hint = g_strdup (gtk_label_get_label (GTK_LABEL (message)));
  g_assert_cmpstr (hint, !=, "");
  g_assert_false (gtk_widget_has_css_class (message, "error"));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (sonde_window_get_url_valid (window));
  g_assert_false (gtk_widget_get_sensitive (button));

  g_signal_connect (window, "notify::url-valid", G_CALLBACK (count_notify), &notified);

  assert_url_error (window, "http://exa mple.com/events", SONDE_ERROR_INVALID_URL);
  g_assert_cmpuint (notified, ==, 0);

  assert_url_good (window, "https://example.com/events", "Server-Sent Events over TLS");
  g_assert_cmpuint (notified, ==, 1);
  assert_url_good (window, "http://127.0.0.1:8080/sse", "Server-Sent Events over plain HTTP");
  assert_url_good (window, "wss://example.com/socket", "WebSocket over TLS");
  assert_url_good (window, "  WS://[::1]:9001/  ", "WebSocket over plain TCP");
  /* Only a change of validity is notified, not every keystroke. */
  g_assert_cmpuint (notified, ==, 1);

  assert_url_error (window, "ftp://example.com/file", SONDE_ERROR_UNSUPPORTED_SCHEME);
  g_assert_cmpuint (notified, ==, 2);
  ftp_message = g_strdup (gtk_label_get_label (GTK_LABEL (message)));

  assert_url_error (window, "example.com", SONDE_ERROR_INVALID_URL);
  host_message = g_strdup (gtk_label_get_label (GTK_LABEL (message)));
  g_assert_cmpstr (ftp_message, !=, host_message);

  assert_url_error (window, "ws://example.com/#x", SONDE_ERROR_INVALID_URL);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), !=, host_message);

  /* Clearing the entry brings the example back and drops the error look. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), ==, hint);
  g_assert_false (gtk_widget_has_css_class (message, "error"));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  gtk_test_accessible_assert_state (entry, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_FALSE);
  g_assert_false (sonde_window_get_url_valid (window));

  /* sonde_window_set_url() goes through the same check. */
  sonde_window_set_url (window, "wss://example.com/");
  g_assert_true (sonde_window_get_url_valid (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "wss://example.com/");

}

static void
test_window_url_check (void)
{
  sonde_test_run_in_application (window_url_check_body);
}

static void
window_connect_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GtkWidget *overlay = template_child (window, "toast_overlay");
  GtkWidget *before = gtk_widget_get_last_child (overlay);
  SondeTab *tab;

  /* Disabled while the URL is wrong: activating does nothing (GTK still
   * reports that it found the action). */
  sonde_window_set_url (window, "nonsense");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  drain_main_context ();
  g_assert_true (gtk_widget_get_last_child (overlay) == before);

  /* Enabled with a good one: the tab gets a session and shows its inspector.
   * Nothing listens on port 1 of loopback, so it fails, in the tab. */
  sonde_window_set_url (window, "http://127.0.0.1:1/events");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL));
  tab = sonde_window_get_current_tab (window);
  g_assert_nonnull (sonde_tab_get_session (tab));
  g_assert_nonnull (sonde_tab_get_inspector (tab));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (sonde_tab_get_inspector (tab))));
  g_assert_cmpstr (sonde_tab_get_title (tab), ==, "127.0.0.1:1/events");
  wait_until (sonde_tab_get_state (tab) == SONDE_CONNECTION_WAITING ||
              sonde_tab_get_state (tab) == SONDE_CONNECTION_FAILED);
  g_assert_true (gtk_widget_get_last_child (overlay) == before);

}

static void
test_window_connect (void)
{
  sonde_test_run_in_application (window_connect_body);
}

/* Window size */

static gboolean
is_window_size (GtkWindow *window,
                int        width,
                int        height)
{
  int w, h;

  gtk_window_get_default_size (window, &w, &h);
  return w == width && h == height;
}

static void
window_size_remembered_body (SondeApplication *app)
{
  GSettings *settings = sonde_application_get_settings (app);
  g_autoptr(GSettings) other = g_settings_new (APPLICATION_ID);
  SondeWindow *window;
  int width, height;

  g_assert_nonnull (settings);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");

  /* A fresh start uses the schema's defaults. */
  window = sonde_test_open_main_window (app);
  g_assert_true (is_window_size (GTK_WINDOW (window),
                                 g_settings_get_int (settings, "window-width"),
                                 g_settings_get_int (settings, "window-height")));

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  drain_main_context ();

  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  wait_until (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL);
  g_assert_finalize_object (window);

  /* Saved for everyone who reads the settings, not only this object. */
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);
  g_assert_cmpint (g_settings_get_int (other, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (other, "window-height"), ==, 500);
  g_assert_false (g_settings_get_boolean (other, "window-maximized"));

  /* Saving leaves the shared settings object writing straight through. */
  g_assert_true (g_settings_set_boolean (settings, "window-maximized", FALSE));
  g_assert_true (g_settings_set_int (settings, "window-height", 510));
  g_assert_false (g_settings_get_has_unapplied (settings));
  g_assert_cmpint (g_settings_get_int (other, "window-height"), ==, 510);

  /* The next window starts at the remembered size. */
  window = sonde_test_open_main_window (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 510);

  /* So does one made directly, outside activation. */
  window = sonde_window_new (app);
  g_assert_true (is_window_size (GTK_WINDOW (window), 700, 510));
  gtk_window_destroy (GTK_WINDOW (window));


  g_settings_reset (other, "window-width");
  g_settings_reset (other, "window-height");
}

static void
test_window_size_remembered (void)
{
  sonde_test_run_in_application (window_size_remembered_body);
}

/* Actions */

static void
window_about_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GtkWindow *about;

  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  /* Through the window, as the primary menu does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.about", NULL));
  wait_until (find_toplevel (ADW_TYPE_ABOUT_WINDOW) != NULL);

  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Sonde");
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==,
                   APPLICATION_ID);
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_WEBSITE);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_comments (ADW_ABOUT_WINDOW (about)), !=, "");
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (about));

  gtk_window_destroy (about);
  wait_until (find_toplevel (ADW_TYPE_ABOUT_WINDOW) == NULL);

  /* Straight on the application too, with no window to sit on. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wait_until (find_toplevel (ADW_TYPE_ABOUT_WINDOW) != NULL);

}

static void
test_window_about (void)
{
  sonde_test_run_in_application (window_about_body);
}

static void
window_shortcuts_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autoptr(GPtrArray) accelerators = g_ptr_array_new_with_free_func (g_free);
  GtkWindow *shortcuts;
  gboolean found_focus_url = FALSE;

  /* GtkApplication loads gtk/help-overlay.ui from the resource base path. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_null (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  wait_until (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL);

  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_nonnull (sonde_test_find_descendant (GTK_WIDGET (shortcuts), GTK_TYPE_SHORTCUTS_SECTION));

  count_shortcuts (GTK_WIDGET (shortcuts), accelerators);
  g_assert_cmpuint (accelerators->len, >=, 5);
  for (guint i = 0; i < accelerators->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (accelerators, i), "<Control>l"))
        found_focus_url = TRUE;
    }
  g_assert_true (found_focus_url);

}

static void
test_window_shortcuts (void)
{
  sonde_test_run_in_application (window_shortcuts_body);
}

static gboolean
focus_is_in (GtkWindow *window,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
window_focus_url_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GtkWidget *entry = template_child (window, "url_entry");
  /* Not bound to a struct field, so found by walking the window. */
  GtkWidget *menu_button = sonde_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  int start = -1, end = -1;

  g_assert_nonnull (menu_button);
  gtk_editable_set_text (GTK_EDITABLE (entry), "https://example.com/events");

  /* Put the focus elsewhere first, so the action has something to do. */
  g_assert_true (gtk_widget_grab_focus (menu_button));
  wait_until (focus_is_in (GTK_WINDOW (window), menu_button));
  g_assert_false (focus_is_in (GTK_WINDOW (window), entry));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-url", NULL));
  wait_until (focus_is_in (GTK_WINDOW (window), entry));

  /* The whole URL is selected, ready to be typed over. */
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, (int)strlen ("https://example.com/events"));

}

static void
test_window_focus_url (void)
{
  sonde_test_run_in_application (window_focus_url_body);
}

/* The inspector and its slots */

static gpointer
inspector_child (GtkWidget  *inspector,
                 const char *name)
{
  GObject *child = gtk_widget_get_template_child (inspector, SONDE_TYPE_INSPECTOR, name);

  g_assert_nonnull (child);
  return child;
}

static void
inspector_slots_body (SondeApplication *app)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  GtkWidget *inspector = sonde_inspector_new_for_log (log);
  GtkWidget *holder = gtk_window_new ();
  static const char *slots[] = { "timeline_slot", "list_slot", "compose_slot", "details_slot" };
  SondeEventLog *bound = NULL;
  GtkWidget *list;
  GtkWidget *details;

  g_object_ref (inspector);
  gtk_window_set_child (GTK_WINDOW (holder), inspector);
  gtk_window_present (GTK_WINDOW (holder));
  wait_until (gtk_widget_get_mapped (inspector));

  /* A log with no session: the same slots, over that log, and no connection to show. */
  g_assert_true (sonde_inspector_get_log (SONDE_INSPECTOR (inspector)) == log);
  g_assert_null (sonde_inspector_get_session (SONDE_INSPECTOR (inspector)));
  g_object_get (inspector, "log", &bound, NULL);
  g_assert_true (bound == log);
  g_object_unref (bound);
  g_assert_false (gtk_widget_get_visible (
                    sonde_inspector_get_status_line (SONDE_INSPECTOR (inspector))));
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    g_assert_true (ADW_IS_BIN (inspector_child (inspector, slots[i])));

  /* The list shows the log, and the details pane the entry selected in it. */
  list = inspector_child (inspector, "event_list");
  details = inspector_child (inspector, "details_pane");
  g_assert_true (SONDE_IS_EVENT_LIST (list));
  g_assert_true (SONDE_IS_DETAILS_PANE (details));
  g_assert_true (sonde_event_list_get_model (SONDE_EVENT_LIST (list)) == G_LIST_MODEL (log));
  g_assert_true (sonde_details_pane_get_log (SONDE_DETAILS_PANE (details)) == log);
  for (guint i = 0; i < 3; i++)
    sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, 0, NULL, 0,
                            (const guint8 *)": x\n", 4);
  wait_until (g_list_model_get_n_items (G_LIST_MODEL (log)) == 3);
  g_assert_null (sonde_details_pane_get_entry (SONDE_DETAILS_PANE (details)));
  g_assert_true (sonde_event_list_select_seq (SONDE_EVENT_LIST (list), 1));
  g_assert_nonnull (sonde_details_pane_get_entry (SONDE_DETAILS_PANE (details)));
  g_assert_cmpuint (sonde_entry_get_seq (sonde_details_pane_get_entry (SONDE_DETAILS_PANE (details))), ==, 1);

  gtk_window_destroy (GTK_WINDOW (holder));
  g_assert_finalize_object (inspector);
}

static void
test_inspector_slots (void)
{
  sonde_test_run_in_application (inspector_slots_body);
}

/* Tabs */

static void
window_tabs_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  AdwTabView *view = sonde_window_get_tab_view (window);
  SondeTab *first = sonde_window_get_current_tab (window);

  /* A window opens with one new tab, on its connect page. */
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);
  g_assert_cmpstr (sonde_tab_get_title (first), ==, "New Tab");
  g_assert_null (sonde_tab_get_session (first));

  /* Ctrl+T opens another and selects it; Ctrl+W closes the selected one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 2);
  g_assert_true (sonde_window_get_current_tab (window) != first);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);
  g_assert_true (sonde_window_get_current_tab (window) == first);

  /* Closing the last tab closes the window. */
  g_object_ref (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  wait_until (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL);
  g_assert_finalize_object (window);
}

static void
test_window_tabs (void)
{
  sonde_test_run_in_application (window_tabs_body);
}

static gboolean
tab_has_entries (SondeTab *tab,
                 guint64   n)
{
  SondeSession *session = sonde_tab_get_session (tab);

  return session != NULL && sonde_session_get_state (session) == SONDE_CONNECTION_OPEN &&
         sonde_session_get_n_entries (session) >= n;
}

/* `sonde --demo`: the bundled recording served from a worker thread, an SSE
 * tab and a WebSocket tab on it, both filling. */
static void
window_demo_body (SondeApplication *app)
{
  SondeWindow *window;
  AdwTabView *view;
  SondeTab *sse;
  SondeTab *ws;
  guint workers;

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  window = SONDE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (SONDE_IS_WINDOW (window));
  view = sonde_window_get_tab_view (window);
  wait_until_secs (adw_tab_view_get_n_pages (view) == 2, NET_WAIT_SECONDS);

  sse = SONDE_TAB (adw_tab_page_get_child (adw_tab_view_get_nth_page (view, 0)));
  ws = SONDE_TAB (adw_tab_page_get_child (adw_tab_view_get_nth_page (view, 1)));
  g_assert_true (g_str_has_suffix (sonde_tab_get_title (sse), "/sse"));
  g_assert_true (g_str_has_prefix (sonde_tab_get_title (sse), "127.0.0.1:"));
  g_assert_true (g_str_has_suffix (sonde_tab_get_title (ws), "/ws"));
  g_assert_cmpint (sonde_session_get_transport (sonde_tab_get_session (sse)), ==,
                   SONDE_TRANSPORT_SSE);
  g_assert_cmpint (sonde_session_get_transport (sonde_tab_get_session (ws)), ==,
                   SONDE_TRANSPORT_WEBSOCKET);

  /* Both fill: an open entry and events. */
  wait_until_secs (tab_has_entries (sse, 10) && tab_has_entries (ws, 10), NET_WAIT_SECONDS);
  /* The SSE tab is selected and shows its inspector, not its connect page. */
  g_assert_true (adw_tab_view_get_selected_page (view) == adw_tab_view_get_nth_page (view, 0));
  wait_until (gtk_widget_get_mapped (GTK_WIDGET (sonde_tab_get_inspector (sse))) &&
              !gtk_widget_get_mapped (GTK_WIDGET (sonde_tab_get_connect_page (sse))));
  g_assert_cmpint (sonde_tab_get_state (sse), ==, SONDE_CONNECTION_OPEN);
  g_assert_nonnull (sonde_session_get_last_id (sonde_tab_get_session (sse)));

  /* Two sessions and the mock server, each on its own thread; closing a live
   * tab ends its connection and frees its thread, at once. */
  workers = sonde_worker_get_n_running ();
  g_assert_cmpuint (workers, >=, 3);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, workers - 1);
}

static void
test_window_demo (void)
{
  sonde_test_run_in_application (window_demo_body);
  /* The application shut down: the demo's server thread is gone too. */
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

static guint
count_kind (SondeEventLog  *log,
            SondeEntryKind  kind)
{
  guint n = 0;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      n += view.kind == kind;
    }

  return n;
}

/* A server that drops the stream after a few events: the tab waits, says
 * why and for how long, and the log shows `reconnect` entries. */
static void
window_reconnect_body (SondeApplication *app)
{
  static const char * const args[] = { "--speed", "0", "--drop-after", "5", "--retry", "1500",
                                       NULL };
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autofree char *url = NULL;
  g_autofree char *seen_waiting = NULL;
  GSubprocess *serve = sonde_test_serve_start (args, &url, NULL);
  SondeSession *session;
  SondeTab *tab;

  tab = sonde_test_open_url (window, url);
  session = sonde_tab_get_session (tab);
  wait_until_secs (sonde_tab_get_state (tab) == SONDE_CONNECTION_WAITING, NET_WAIT_SECONDS);

  /* The status line says it in words: how long, which attempt, and why. */
  seen_waiting = g_strdup (sonde_test_status_text (tab));
  g_assert_true (g_str_has_prefix (seen_waiting, "Reconnecting in "));
  g_assert_nonnull (strstr (seen_waiting, " (attempt 1)"));
  g_assert_nonnull (strstr (seen_waiting, ": "));
  g_assert_true (adw_tab_page_get_icon (adw_tab_view_get_selected_page (sonde_window_get_tab_view (window))) != NULL);
  g_assert_cmpuint (count_kind (sonde_session_get_log (session), SONDE_ENTRY_RECONNECT), >=, 1);

  /* It reconnects by itself, into the same log, and resumes. */
  wait_until_secs (sonde_session_get_n_reconnects (session) >= 1 &&
                   count_kind (sonde_session_get_log (session), SONDE_ENTRY_OPEN) >= 2,
                   NET_WAIT_SECONDS);
  g_assert_nonnull (strstr (sonde_status_line_get_counters_text (
                              SONDE_STATUS_LINE (sonde_inspector_get_status_line (
                                                   sonde_tab_get_inspector (tab)))),
                            "reconnect"));

  /* Disconnect (Ctrl+D) stops it for good and frees its thread; Reconnect starts it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL));
  g_assert_cmpint (sonde_tab_get_state (tab), ==, SONDE_CONNECTION_CLOSED);
  g_assert_false (sonde_session_get_running (session));
  g_assert_cmpstr (sonde_test_status_text (tab), ==, "Closed: Stopped by the user");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL));
  g_assert_true (sonde_session_get_running (session));
  wait_until_secs (count_kind (sonde_session_get_log (session), SONDE_ENTRY_OPEN) >= 3,
                   NET_WAIT_SECONDS);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_test_serve_stop (serve);
}

static void
test_window_reconnect (void)
{
  sonde_test_run_in_application (window_reconnect_body);
}

/* A server whose status reason is markup and escapes, on a URL with a
 * query: the status line shows the reason with its control characters as
 * pictures, and the tab's tooltip (markup in libadwaita) shows the URL and
 * the reason as they are; GTK is never handed bad markup (fatal here). */
static void
window_hostile_text_body (SondeApplication *app)
{
  static const char answer[] =
    "HTTP/1.1 500 <b>&amp; \x1b]0;x\x07 </i\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  static const char reason[] = "500 <b>&amp; \xe2\x90\x9b]0;x\xe2\x90\x87 </i";
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeTestRawServer *server = sonde_test_raw_server_new (answer, -1);
  g_autofree char *url = g_strdup_printf ("%s/events?a=1&b=2",
                                          sonde_test_raw_server_get_url (server));
  g_autofree char *shown = NULL;
  AdwTabPage *page;
  SondeTab *tab;

  tab = sonde_test_open_url (window, url);
  wait_until_secs (sonde_tab_get_state (tab) == SONDE_CONNECTION_FAILED, NET_WAIT_SECONDS);
  g_assert_nonnull (strstr (sonde_test_status_text (tab), reason));

  page = adw_tab_view_get_page (sonde_window_get_tab_view (window), GTK_WIDGET (tab));
  g_assert_true (pango_parse_markup (adw_tab_page_get_tooltip (page), -1, 0, NULL, &shown, NULL,
                                     NULL));
  g_assert_true (g_str_has_prefix (shown, url));
  g_assert_nonnull (strstr (shown, reason));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_test_raw_server_free (server);
}

static void
test_window_hostile_text (void)
{
  sonde_test_run_in_application (window_hostile_text_body);
}

/* A self-signed certificate for another name: the tab fails with the
 * engine's words, offers to accept exactly those problems, and, accepted,
 * connects. */
static void
window_certificate_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  guint16 port;
  GSocketService *service = sonde_test_tls_sse_service_new (&port);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/events", port);
  GtkWidget *inspector;
  GtkWidget *revealer;
  GtkWidget *label;
  GtkWidget *accept;
  SondeDetailsPane *details;
  SondeSession *session;
  SondeTab *tab;

  tab = sonde_test_open_url (window, url);
  session = sonde_tab_get_session (tab);
  inspector = GTK_WIDGET (sonde_tab_get_inspector (tab));
  revealer = inspector_child (inspector, "problem_revealer");
  label = inspector_child (inspector, "problem_label");
  accept = inspector_child (inspector, "accept_button");

  wait_until_secs (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), NET_WAIT_SECONDS);
  g_assert_cmpint (sonde_tab_get_state (tab), ==, SONDE_CONNECTION_FAILED);
  g_assert_true (g_str_has_prefix (sonde_test_status_text (tab), "Failed: "));
  g_assert_nonnull (strstr (sonde_test_status_text (tab), "not signed by a certificate authority"));
  /* The offer names exactly the problems, both of them. */
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            "not signed by a certificate authority"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "another host name"));
  g_assert_true (gtk_widget_is_sensitive (accept));
  details = SONDE_DETAILS_PANE (inspector_child (inspector, "details_pane"));
  g_assert_false (sonde_details_pane_get_insecure (details));

  /* Accepting, as a click would: for this tab only, then connected. */
  g_signal_emit_by_name (accept, "clicked");
  wait_until_secs (count_kind (sonde_session_get_log (session), SONDE_ENTRY_SSE) >= 1,
                   NET_WAIT_SECONDS);
  g_assert_cmpuint (sonde_session_get_config (session)->accepted_certificate_errors, ==,
                    G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);
  wait_until (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  /* Its copied curl command lets the same problems through. */
  g_assert_true (sonde_details_pane_get_insecure (details));

  /* Another tab to the same server is refused again: the acceptance was this tab's. */
  tab = sonde_test_open_url (window, url);
  wait_until_secs (sonde_tab_get_state (tab) == SONDE_CONNECTION_FAILED, NET_WAIT_SECONDS);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_test_threaded_service_free (service);
}

static void
test_window_certificate (void)
{
  sonde_test_run_in_application (window_certificate_body);
}

static gboolean
all_open (GPtrArray *tabs)
{
  for (guint i = 0; i < tabs->len; i++)
    {
      if (sonde_tab_get_state (g_ptr_array_index (tabs, i)) != SONDE_CONNECTION_OPEN)
        return FALSE;
    }
  return TRUE;
}

/* Closing a window with ten live tabs: every session stops and its thread
 * ends before the close returns, and the window goes. */
static void
window_close_live_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(GPtrArray) tabs = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sonde_mock_host_start_async (host, NULL, (GAsyncReadyCallback)g_object_ref, &result);
  wait_until_secs (sonde_mock_host_get_port (host) != 0, NET_WAIT_SECONDS);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *url = sonde_mock_host_get_url (host, i % 2 ? "ws" : "http",
                                                      i % 2 ? "/ws" : "/sse");

      g_ptr_array_add (tabs, sonde_test_open_url (window, url));
    }
  wait_until_secs (all_open (tabs), NET_WAIT_SECONDS);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 11);

  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 1);
  wait_until (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL);
  g_assert_finalize_object (window);

  sonde_mock_host_stop (host);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

static void
test_window_close_live (void)
{
  sonde_test_run_in_application (window_close_live_body);
}

/* The timeline following a live log while every frame takes longer to
 * render than it lasts, as on a software renderer on a busy machine: work
 * GTK queues at the default idle priority (its accessibility registration)
 * must still run. The chart's live redraw waits at that priority; a redraw
 * from a tick callback kept the frame clock ready all the time, and the idle
 * never ran. */
typedef struct
{
  SondeTimelineChart *chart;
  guint               n_draws;
  gint64              last_drawn;
  gboolean            idle_ran;
} SlowFrames;

static void
slow_after_paint_cb (GdkFrameClock *clock,
                     gpointer       user_data)
{
  SlowFrames *slow = user_data;
  gint64 drawn = sonde_timeline_chart_get_drawn_at (slow->chart);

  if (drawn != slow->last_drawn)
    slow->n_draws++;
  slow->last_drawn = drawn;
  /* Longer than the chart waits between two live redraws. */
  g_usleep (300 * 1000);
}

static gboolean
idle_ran_cb (gpointer user_data)
{
  SlowFrames *slow = user_data;

  slow->idle_ran = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_idle_not_starved (void)
{
  SlowFrames slow = { 0 };
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  GtkWidget *window = gtk_window_new ();
  GdkFrameClock *clock;
  gulong handler;
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < 100; i++)
    sonde_event_log_append (log, now - (100 - i) * 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                            NULL, 0, NULL, 0, (const guint8 *)"data: x\n\n", 9);
  sonde_event_log_flush_notify (log);
  summary = sonde_timeline_summary_new (log);

  slow.chart = SONDE_TIMELINE_CHART (sonde_timeline_chart_new ());
  sonde_timeline_chart_set_summary (slow.chart, summary);
  sonde_timeline_chart_set_live (slow.chart, TRUE);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (slow.chart));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 200);
  gtk_window_present (GTK_WINDOW (window));
  wait_until_secs (gtk_widget_get_frame_clock (window) != NULL, NET_WAIT_SECONDS);
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (slow_after_paint_cb), &slow);

  /* The clock moves the picture by itself: the chart draws again and again. */
  wait_until_secs (slow.n_draws >= 3, NET_WAIT_SECONDS);
  g_assert_cmpuint (slow.n_draws, >=, 3);

  /* Queued while frames follow each other. */
  g_idle_add (idle_ran_cb, &slow);
  wait_until_secs (slow.idle_ran, NET_WAIT_SECONDS);
  g_assert_true (slow.idle_ran);

  /* And the chart went on drawing after it. */
  slow.n_draws = 0;
  wait_until_secs (slow.n_draws >= 2, NET_WAIT_SECONDS);
  g_assert_cmpuint (slow.n_draws, >=, 2);

  g_signal_handler_disconnect (clock, handler);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* These tests close live tabs to see threads end; the question before
   * losing unsaved entries is test-recording-window's. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_set_boolean (settings, "ask-before-closing", FALSE);
  }

  renderer_from_environment = g_getenv ("GSK_RENDERER") != NULL;

  g_test_add_func ("/sonde/application/new", test_application_new);
  g_test_add_func ("/sonde/application/register", test_application_register);
  g_test_add_func ("/sonde/window/new", test_window_new);
  g_test_add_func ("/sonde/window/new-activate", test_window_new_activate);
  g_test_add_func ("/sonde/window/renderer", test_window_renderer);
  g_test_add_func ("/sonde/window/url-check", test_window_url_check);
  g_test_add_func ("/sonde/window/connect", test_window_connect);
  g_test_add_func ("/sonde/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/sonde/window/about", test_window_about);
  g_test_add_func ("/sonde/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/sonde/window/focus-url", test_window_focus_url);
  g_test_add_func ("/sonde/window/tabs", test_window_tabs);
  g_test_add_func ("/sonde/window/demo", test_window_demo);
  g_test_add_func ("/sonde/window/reconnect", test_window_reconnect);
  g_test_add_func ("/sonde/window/certificate", test_window_certificate);
  g_test_add_func ("/sonde/window/hostile-text", test_window_hostile_text);
  g_test_add_func ("/sonde/window/close-live", test_window_close_live);
  g_test_add_func ("/sonde/inspector/slots", test_inspector_slots);
  g_test_add_func ("/sonde/window/idle-not-starved", test_idle_not_starved);

  return g_test_run ();
}

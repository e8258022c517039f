/* test-preferences.c: the Preferences window and what its settings change, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-connect-page.h"
#include "sonde-details-pane.h"
#include "sonde-event-list.h"
#include "sonde-inspector.h"
#include "sonde-mock-host.h"
#include "sonde-preferences-window.h"
#include "sonde-settings.h"
#include "sonde-status-line.h"
#include "sonde-tab.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-window.h"

/* How long a test waits for GTK to catch up, and for traffic on a loopback
 * shared with others, before it fails. */
#define WAIT_MS      2000
#define NET_WAIT_MS  20000

/* Every widget of @type below @widget, depth first, in the order shown. */
static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static GPtrArray *
find_all (GtkWidget *widget,
          GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (widget, type, found);
  return found;
}

static gpointer
child (GtkWidget  *window,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (window, SONDE_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

/* The reconnect policy rows of one transport: its combo row and its spin buttons. */
static AdwComboRow *
policy_row (GtkWidget      *window,
            SondeTransport  transport)
{
  g_autoptr(GPtrArray) combos = find_all (window, ADW_TYPE_COMBO_ROW);
  guint seen = 0;

  for (guint i = 0; i < combos->len; i++)
    {
      const char *title = adw_preferences_row_get_title (g_ptr_array_index (combos, i));

      /* SSE's group comes first. */
      if (g_strcmp0 (title, "Reconnect") == 0 &&
          seen++ == (transport == SONDE_TRANSPORT_WEBSOCKET ? 1u : 0u))
        return g_ptr_array_index (combos, i);
    }

  g_assert_not_reached ();
}

/* The window mirrors its settings and writes them back, each control at once. */
static void
test_preferences_bindings (void)
{
  g_autoptr(GSettings) settings = sonde_settings_new_if_installed ();
  g_autoptr(GPtrArray) controls = NULL;
  GtkWidget *window;
  SondeReconnectPolicy policy;
  GtkWidget *group;

  g_assert_nonnull (settings);
  window = sonde_preferences_window_new (settings);
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));

  /* Settings to controls. */
  g_settings_set_string (settings, "style", "dark");
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "style_row")), ==, 2);
  g_settings_set_string (settings, "time-format", "clock");
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "time_format_row")), ==, 1);
  g_settings_set_boolean (settings, "ask-before-closing", FALSE);
  g_assert_false (gtk_switch_get_active (child (window, "ask_switch")));
  g_settings_set_boolean (settings, "use-system-font", FALSE);
  g_assert_true (gtk_widget_get_sensitive (child (window, "font_row")));
  g_settings_set_boolean (settings, "use-system-font", TRUE);
  g_assert_false (gtk_widget_get_sensitive (child (window, "font_row")));

  /* Controls to settings. */
  adw_combo_row_set_selected (child (window, "style_row"), 1);
  g_assert_cmpint (g_settings_get_enum (settings, "style"), ==, 1);
  adw_combo_row_set_selected (child (window, "time_format_row"), 0);
  g_assert_cmpint (g_settings_get_enum (settings, "time-format"), ==, 0);
  gtk_switch_set_active (child (window, "ask_switch"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "ask-before-closing"));
  adw_expander_row_set_enable_expansion (child (window, "limit_row"), TRUE);
  gtk_adjustment_set_value (child (window, "limit_adjustment"), 5000);
  g_assert_true (g_settings_get_boolean (settings, "limit-entries"));
  g_assert_cmpuint (g_settings_get_uint (settings, "entries-limit"), ==, 5000);
  gtk_font_chooser_set_font (child (window, "font_button"), "Serif Bold 13");
  {
    g_autofree char *font = g_settings_get_string (settings, "payload-font");

    g_assert_cmpstr (font, ==, "Serif Bold 13");
  }

  /* A transport's policy: the mode, then a delay, go into its key only. */
  adw_combo_row_set_selected (policy_row (window, SONDE_TRANSPORT_WEBSOCKET), 3);
  sonde_settings_get_reconnect_policy (settings, SONDE_TRANSPORT_WEBSOCKET, &policy);
  g_assert_cmpint (policy.mode, ==, SONDE_RECONNECT_BACKOFF);
  group = gtk_widget_get_ancestor (GTK_WIDGET (policy_row (window, SONDE_TRANSPORT_WEBSOCKET)),
                                   ADW_TYPE_PREFERENCES_GROUP);
  {
    g_autoptr(GPtrArray) spins = find_all (group, GTK_TYPE_SPIN_BUTTON);

    /* Delay, longest delay, growth, jitter, attempts. */
    g_assert_cmpuint (spins->len, ==, 5);
    gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 750);
  }
  sonde_settings_get_reconnect_policy (settings, SONDE_TRANSPORT_WEBSOCKET, &policy);
  g_assert_cmpuint (policy.initial_ms, ==, 750);
  sonde_settings_get_reconnect_policy (settings, SONDE_TRANSPORT_SSE, &policy);
  g_assert_cmpint (policy.mode, ==, SONDE_RECONNECT_SPEC);
  g_assert_cmpuint (policy.initial_ms, ==, 1000);
  /* ... and a change made elsewhere shows. */
  g_settings_reset (settings, "ws-reconnect-policy");
  g_assert_cmpuint (adw_combo_row_get_selected (policy_row (window, SONDE_TRANSPORT_WEBSOCKET)),
                    ==, 1);

  /* Every control has a name for assistive technology. */
  controls = find_all (window, GTK_TYPE_SPIN_BUTTON);
  g_ptr_array_extend_and_steal (controls, find_all (window, GTK_TYPE_SWITCH));
  g_ptr_array_extend_and_steal (controls, find_all (window, GTK_TYPE_FONT_BUTTON));
  g_assert_cmpuint (controls->len, >=, 14);
  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *control = g_ptr_array_index (controls, i);

      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (control),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
    }

  g_settings_reset (settings, "style");
  g_settings_reset (settings, "time-format");
  g_settings_reset (settings, "limit-entries");
  g_settings_reset (settings, "entries-limit");
  g_settings_reset (settings, "payload-font");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* A new tab's connect page takes the transport's policy from the preferences. */
static void
connect_page_defaults_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GSettings *settings = sonde_application_get_settings (app);
  g_autoptr(SondeSessionConfig) sse = NULL;
  g_autoptr(SondeSessionConfig) ws = NULL;
  g_autoptr(GError) error = NULL;
  SondeConnectPage *page;

  g_settings_set (settings, "ws-reconnect-policy", "(suuddu)", "backoff", 500, 20000, 3.0, 0.25, 7);
  g_settings_set (settings, "sse-reconnect-policy", "(suuddu)", "fixed", 2500, 30000, 2.0, 0.0, 3);

  page = sonde_tab_get_connect_page (sonde_window_get_current_tab (window));
  sonde_connect_page_set_url (page, "ws://127.0.0.1:1/socket");
  ws = sonde_connect_page_get_config (page, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ws->policy.mode, ==, SONDE_RECONNECT_BACKOFF);
  g_assert_cmpuint (ws->policy.initial_ms, ==, 500);
  g_assert_cmpuint (ws->policy.max_ms, ==, 20000);
  g_assert_cmpfloat (ws->policy.factor, ==, 3.0);
  g_assert_cmpfloat (ws->policy.jitter, ==, 0.25);
  g_assert_cmpuint (ws->policy.max_attempts, ==, 7);

  /* Another transport, another default; a policy the user chose stays. */
  sonde_connect_page_set_url (page, "http://127.0.0.1:1/events");
  sse = sonde_connect_page_get_config (page, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sse->policy.mode, ==, SONDE_RECONNECT_FIXED);
  g_assert_cmpuint (sse->policy.initial_ms, ==, 2500);
  g_assert_cmpuint (sse->policy.max_attempts, ==, 3);

  g_settings_reset (settings, "ws-reconnect-policy");
  g_settings_reset (settings, "sse-reconnect-policy");
}

static void
test_preferences_connect_page_defaults (void)
{
  sonde_test_run_in_application (connect_page_defaults_body);
}

static GtkWindow *
find_preferences (void)
{
  GList *list = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;
  guint n = 0;

  for (GList *l = list; l != NULL; l = l->next)
    if (SONDE_IS_PREFERENCES_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      found = l->data, n++;
  g_list_free (list);
  g_assert_cmpuint (n, <=, 1);

  return found;
}

/* Whether any time cell the list shows reads as a clock time,
 * "14:03:27.123", or as seconds since the start, "12.345678". */
static gboolean
list_shows_time (GtkWidget       *list,
                 SondeTimeFormat  format)
{
  g_autoptr(GPtrArray) cells = find_all (list, GTK_TYPE_INSCRIPTION);

  for (guint i = 0; i < cells->len; i++)
    {
      const char *text = gtk_inscription_get_text (g_ptr_array_index (cells, i));
      const char *dot = text != NULL ? strchr (text, '.') : NULL;

      if (dot == NULL || !g_ascii_isdigit (text[0]))
        continue;
      if (format == SONDE_TIME_FORMAT_CLOCK && strlen (text) == 12 && text[2] == ':' &&
          text[5] == ':' && dot == text + 8)
        return TRUE;
      if (format == SONDE_TIME_FORMAT_RELATIVE && strlen (dot) == 7 && strchr (text, ':') == NULL)
        return TRUE;
    }

  return FALSE;
}

/* GTK turns a CSS font size in points into pixels, at 96 pixels an inch. */
static gboolean
font_is (GtkWidget  *widget,
         const char *family,
         int         size_pt)
{
  PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  double size_px = pango_font_description_get_size (font) / (double)PANGO_SCALE;

  return g_strcmp0 (pango_font_description_get_family (font), family) == 0 &&
         pango_font_description_get_size_is_absolute (font) &&
         fabs (size_px - size_pt * 96.0 / 72.0) < 0.5;
}

/* Ctrl+comma opens the window from the main one; its style, time format and
 * payload font apply at once, to what is already on screen. */
static void
preferences_live_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) accels = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWindow *preferences;
  GtkWidget *list;
  GtkWidget *details;
  GtkWidget *payload;
  SondeTab *tab;

  /* The shortcut, and the menu's action: one window however often it is asked for. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
  g_assert_null (find_preferences ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (find_preferences () == preferences);

  /* Style: through AdwStyleManager, at once. */
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  adw_combo_row_set_selected (child (GTK_WIDGET (preferences), "style_row"), 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  adw_combo_row_set_selected (child (GTK_WIDGET (preferences), "style_row"), 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style));

  /* A live tab, on the demo served from this process. */
  sonde_mock_host_start_async (host, NULL, (GAsyncReadyCallback)g_object_ref, &result);
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_port (host) != 0, NET_WAIT_MS);
  url = sonde_mock_host_get_url (host, "http", "/sse");
  config = sonde_session_config_new (url, NULL);
  tab = sonde_window_open (window, config);
  list = sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                     SONDE_TYPE_EVENT_LIST);
  g_assert_nonnull (list);
  SONDE_TEST_WAIT_UNTIL (g_list_model_get_n_items (sonde_event_list_get_model (SONDE_EVENT_LIST (list))) >= 3 &&
                         list_shows_time (list, SONDE_TIME_FORMAT_RELATIVE), NET_WAIT_MS);
  g_assert_false (list_shows_time (list, SONDE_TIME_FORMAT_CLOCK));

  /* Time format: the rows on screen change. */
  adw_combo_row_set_selected (child (GTK_WIDGET (preferences), "time_format_row"), 1);
  g_assert_cmpint (sonde_event_list_get_time_format (SONDE_EVENT_LIST (list)), ==,
                   SONDE_TIME_FORMAT_CLOCK);
  SONDE_TEST_WAIT_UNTIL (list_shows_time (list, SONDE_TIME_FORMAT_CLOCK) && !list_shows_time (list, SONDE_TIME_FORMAT_RELATIVE), WAIT_MS);
  adw_combo_row_set_selected (child (GTK_WIDGET (preferences), "time_format_row"), 0);
  SONDE_TEST_WAIT_UNTIL (list_shows_time (list, SONDE_TIME_FORMAT_RELATIVE) && !list_shows_time (list, SONDE_TIME_FORMAT_CLOCK), WAIT_MS);

  /* Payload font: the details pane's payload view takes it, and gives it back.
   * The details show once an entry is selected. */
  sonde_event_list_select_seq (SONDE_EVENT_LIST (list), 1);
  details = sonde_test_find_descendant (GTK_WIDGET (tab), SONDE_TYPE_DETAILS_PANE);
  g_assert_nonnull (details);
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (details), WAIT_MS);
  payload = GTK_WIDGET (gtk_widget_get_template_child (details, SONDE_TYPE_DETAILS_PANE,
                                                       "payload_view"));
  g_assert_nonnull (payload);
  gtk_font_chooser_set_font (child (GTK_WIDGET (preferences), "font_button"), "Serif 17");
  g_assert_false (font_is (payload, "Serif", 17));
  gtk_switch_set_active (child (GTK_WIDGET (preferences), "system_font_switch"), FALSE);
  SONDE_TEST_WAIT_UNTIL (font_is (payload, "Serif", 17), WAIT_MS);
  gtk_switch_set_active (child (GTK_WIDGET (preferences), "system_font_switch"), TRUE);
  SONDE_TEST_WAIT_UNTIL (!font_is (payload, "Serif", 17), WAIT_MS);

  adw_combo_row_set_selected (child (GTK_WIDGET (preferences), "style_row"), 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_settings_reset (sonde_application_get_settings (app), "payload-font");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_mock_host_stop (host);
}

static void
test_preferences_live (void)
{
  sonde_test_run_in_application (preferences_live_body);
}

static const char *
counters_text (SondeTab *tab)
{
  GtkWidget *line = sonde_inspector_get_status_line (sonde_tab_get_inspector (tab));

  return sonde_status_line_get_counters_text (SONDE_STATUS_LINE (line));
}

/* Whether the status line gives the number of entries let go so far, as
 * the session counts them. */
static gboolean
status_says_removed (SondeTab *tab)
{
  SondeSession *session = sonde_tab_get_session (tab);
  g_autofree char *said = g_strdup_printf ("%'" G_GUINT64_FORMAT " oldest entries removed",
                                           sonde_session_get_n_released (session));

  return sonde_session_get_n_released (session) > 0 && strstr (counters_text (tab), said) != NULL;
}

/* Entries the log's model has announced, those let go included: appends
 * reach the model with its next frame. */
static guint64
n_published (SondeEventLog *log)
{
  return sonde_event_log_get_first_seq (log) + g_list_model_get_n_items (G_LIST_MODEL (log));
}

/* The list shows the log's entries kept, from the first kept on. */
static gboolean
list_starts_at_first_kept (GListModel    *rows,
                           SondeEventLog *log)
{
  g_autoptr(SondeEntry) oldest = NULL;

  if (g_list_model_get_n_items (rows) != g_list_model_get_n_items (G_LIST_MODEL (log)))
    return FALSE;
  oldest = g_list_model_get_item (rows, 0);
  return oldest != NULL && sonde_entry_get_seq (oldest) == sonde_event_log_get_first_seq (log);
}

/* Entries kept per tab, set in the Preferences window: a live tab lets the
 * oldest go, the list shows the newest, the status line says how many went;
 * turned off, nothing more goes. */
static void
entries_limit_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autoptr(GString) response = sonde_test_sse_stream_response (100, 64 * 1024);
  SondeTestRawServer *server = sonde_test_raw_server_new (response->str, (gssize)response->len);
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autofree char *url = g_strdup_printf ("%s/events", sonde_test_raw_server_get_url (server));
  GtkWidget *preferences;
  SondeSession *session;
  SondeEventLog *log;
  GListModel *rows;
  GtkWidget *list;
  SondeTab *tab;
  guint64 released;
  guint64 n;

  config = sonde_session_config_new (url, NULL);
  tab = sonde_window_open (window, config);
  session = sonde_tab_get_session (tab);
  log = sonde_session_get_log (session);
  list = sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                     SONDE_TYPE_EVENT_LIST);
  rows = sonde_event_list_get_model (SONDE_EVENT_LIST (list));

  /* Every entry by default. */
  SONDE_TEST_WAIT_UNTIL (sonde_event_log_get_n_entries (log) >= 250, NET_WAIT_MS);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, 0);
  g_assert_cmpuint (sonde_session_get_n_released (session), ==, 0);
  g_assert_null (strstr (counters_text (tab), "removed"));

  /* On, from the Preferences window, while the tab runs. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = GTK_WIDGET (find_preferences ());
  g_assert_true (gtk_widget_is_visible (child (preferences, "limit_row")));
  gtk_adjustment_set_value (child (preferences, "limit_adjustment"), 10);
  adw_expander_row_set_enable_expansion (child (preferences, "limit_row"), TRUE);
  SONDE_TEST_WAIT_UNTIL (sonde_event_log_get_first_seq (log) > 250 &&
                         list_starts_at_first_kept (rows, log) &&
                         status_says_removed (tab), NET_WAIT_MS);
  /* Counting goes on over what went. */
  g_assert_cmpuint (sonde_session_get_n_entries (session), >, sonde_event_log_get_first_seq (log));

  /* Stopped, the list settles at the limit and a block or two of 64 entries
   * more (the oldest go in whole blocks), and the status line says how many went.
   * The log tells the list at its own pace, spaced by the window's frame time:
   * on a loaded machine that took more than 2 s (1.5 s where it passed). */
  sonde_session_stop (session);
  SONDE_TEST_WAIT_UNTIL (g_list_model_get_n_items (rows) <= 10 + 2 * 64 + 8 &&
                         list_starts_at_first_kept (rows, log) &&
                         sonde_session_get_n_released (session) ==
                         sonde_event_log_get_first_seq (log) &&
                         status_says_removed (tab), NET_WAIT_MS);
  g_test_message ("status line: %s", counters_text (tab));
  g_assert_cmpuint (g_list_model_get_n_items (rows), >=, 10);
  g_assert_cmpuint (sonde_session_get_n_entries (session), ==, sonde_event_log_get_n_entries (log));
  sonde_session_start (session);

  /* Off again: nothing more goes, while the stream goes on (what was asked
   * to go before goes with the next frame). */
  adw_expander_row_set_enable_expansion (child (preferences, "limit_row"), FALSE);
  g_assert_false (g_settings_get_boolean (sonde_application_get_settings (app), "limit-entries"));
  n = sonde_event_log_get_n_entries (log);
  SONDE_TEST_WAIT_UNTIL (n_published (log) >= n + 100 && list_starts_at_first_kept (rows, log),
                         NET_WAIT_MS);
  released = sonde_event_log_get_first_seq (log);
  n = sonde_event_log_get_n_entries (log);
  SONDE_TEST_WAIT_UNTIL (n_published (log) >= n + 250 && list_starts_at_first_kept (rows, log),
                         NET_WAIT_MS);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, released);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 250);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (sonde_application_get_settings (app), "limit-entries");
  g_settings_reset (sonde_application_get_settings (app), "entries-limit");
  sonde_session_stop (session);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_test_raw_server_free (server);
}

static void
test_preferences_entries_limit (void)
{
  sonde_test_run_in_application (entries_limit_body);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/preferences/bindings", test_preferences_bindings);
  g_test_add_func ("/sonde/preferences/connect-page-defaults",
                   test_preferences_connect_page_defaults);
  g_test_add_func ("/sonde/preferences/live", test_preferences_live);
  g_test_add_func ("/sonde/preferences/entries-limit", test_preferences_entries_limit);

  return g_test_run ();
}

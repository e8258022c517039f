/* test-mock-panel.c: the Mock Servers window, in the real application under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sonde-mock-panel.h"
#include "sonde-tab.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-window.h"

#define N_EVENTS 30

/* Bounded waits: for GTK to catch up, and for traffic on a shared machine. */
#define WAIT_MS     2000
#define NET_WAIT_MS 20000

static SondeMockPanel *
find_panel (void)
{
  GList *list = gtk_window_list_toplevels ();
  SondeMockPanel *found = NULL;

  for (GList *l = list; l != NULL && found == NULL; l = l->next)
    {
      if (SONDE_IS_MOCK_PANEL (l->data) && gtk_widget_get_visible (l->data))
        found = l->data;
    }
  g_list_free (list);

  return found;
}

/* The panel as the menu item (or Ctrl+Shift+M) opens it, and its first server. */
static SondeMockServerView *
open_panel (SondeWindow     *window,
            SondeMockPanel **panel_out)
{
  SondeMockPanel *panel;
  g_autoptr(GList) servers = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.mock-servers", NULL));
  SONDE_TEST_WAIT_UNTIL ((panel = find_panel ()) != NULL && gtk_widget_get_mapped (GTK_WIDGET (panel)), WAIT_MS);
  servers = sonde_mock_panel_get_servers (panel);
  g_assert_cmpuint (g_list_length (servers), ==, 1);
  if (panel_out != NULL)
    *panel_out = panel;

  return servers->data;
}

static gpointer
child (SondeMockServerView *view,
       const char          *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (view),
                                                   SONDE_TYPE_MOCK_SERVER_VIEW, name);

  g_assert_nonnull (object);
  return object;
}

static void
set_spin (SondeMockServerView *view,
          const char          *name,
          double               value)
{
  gtk_spin_button_set_value (child (view, name), value);
}

static void
click (SondeMockServerView *view,
       const char          *name)
{
  GtkWidget *button = child (view, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_running (SondeMockServerView *view)
{
  SondeMockHost *host = sonde_mock_server_view_get_host (view);

  return host != NULL && sonde_mock_host_get_running (host);
}

static void
start (SondeMockServerView *view)
{
  click (view, "start_button");
  SONDE_TEST_WAIT_UNTIL (is_running (view), NET_WAIT_MS);
  g_assert_cmpstr (gtk_button_get_label (child (view, "start_button")), ==, "_Stop");
  g_assert_true (gtk_widget_get_visible (child (view, "urls_group")));
}

/* Opens a tab on the server's SSE or WebSocket URL with its button. */
static SondeTab *
open_tab (SondeWindow         *window,
          SondeMockServerView *view,
          const char          *button)
{
  AdwTabView *tabs = sonde_window_get_tab_view (window);
  int before = adw_tab_view_get_n_pages (tabs);

  click (view, button);
  /* The first tab, still untouched, is used for it. */
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), <=, before + 1);
  return sonde_window_get_current_tab (window);
}

static guint
count_kind (SondeEventLog  *log,
            SondeEntryKind  kind)
{
  return sonde_test_count_entries (log, kind, -1);
}

/* The recording the drop test serves: N_EVENTS events, ids e0, e1, ... */
static char *
write_recording (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  g_string_append (text, "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\","
                         "\"url\":\"http://example.invalid/events\","
                         "\"started_at\":\"2026-01-01T12:00:00.000Z\"}\n");
  for (guint i = 0; i < N_EVENTS; i++)
    {
      g_autofree char *raw = g_strdup_printf ("id: e%u\ndata: event %u\n\n", i, i);
      g_autofree char *raw64 = g_base64_encode ((const guint8 *)raw, strlen (raw));

      g_string_append_printf (text, "{\"seq\":%u,\"t\":%u.01,\"dir\":\"in\",\"kind\":\"sse\","
                                    "\"event\":\"message\",\"data\":\"event %u\",\"id\":\"e%u\","
                                    "\"raw\":\"%s\"}\n", i, i, i, i, raw64);
    }

  fd = g_file_open_tmp ("sonde-mock-panel-XXXXXX.jsonl", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, text->str, (gssize)text->len, &error));
  g_assert_no_error (error);

  return path;
}

/* Whether the tab got every event once, in order, none lost or doubled
 * across its reconnects. */
static gboolean
got_all_in_order (SondeEventLog *log)
{
  guint next = 0;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      g_autofree char *expected = NULL;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      if (view.kind != SONDE_ENTRY_SSE)
        continue;
      expected = g_strdup_printf ("e%u", next);
      g_assert_cmpuint (view.id_len, ==, strlen (expected));
      g_assert_cmpmem (view.id, view.id_len, expected, strlen (expected));
      next++;
    }
  g_assert_cmpuint (next, <=, N_EVENTS);
  return next == N_EVENTS;
}

/* A server started from the panel with a drop fault: a tab on it shows the
 * reconnects and resumes after each drop without losing an event. */
static void
drop_resume_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autofree char *path = write_recording ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SondeMockServerView *view = open_panel (window, NULL);
  SondeTab *tab;
  SondeEventLog *log;

  sonde_mock_server_view_set_file (view, file);
  g_assert_cmpuint (adw_combo_row_get_selected (child (view, "source_row")), ==,
                    SONDE_MOCK_SOURCE_FILE);
  g_assert_true (gtk_widget_get_visible (child (view, "file_row")));
  set_spin (view, "speed_spin", 0);
  gtk_switch_set_active (child (view, "loop_switch"), FALSE);
  set_spin (view, "drop_after_spin", 7);
  /* Reconnect at once rather than after the spec's default wait. */
  set_spin (view, "retry_spin", 50);
  start (view);
  g_assert_cmpuint (sonde_mock_host_get_n_items (sonde_mock_server_view_get_host (view)), ==,
                    N_EVENTS);
  g_assert_cmpuint (sonde_mock_host_get_faults (sonde_mock_server_view_get_host (view))->drop_after,
                    ==, 7);

  tab = open_tab (window, view, "sse_open_button");
  log = sonde_session_get_log (sonde_tab_get_session (tab));
  SONDE_TEST_WAIT_UNTIL (got_all_in_order (log), NET_WAIT_MS);
  /* Dropped after 7, 14, 21 and 28 events. */
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_RECONNECT), >=, 4);
  /* The tab's counter follows on the main thread, at most once a frame. */
  SONDE_TEST_WAIT_UNTIL (sonde_session_get_n_reconnects (sonde_tab_get_session (tab)) >= 4,
                         NET_WAIT_MS);

  g_unlink (path);
}

static void
test_drop_resume (void)
{
  sonde_test_run_in_application (drop_resume_body);
}

static guint
count_rows (AdwPreferencesGroup *group)
{
  guint n = 0;
  GtkWidget *list = sonde_test_find_descendant (GTK_WIDGET (group), GTK_TYPE_LIST_BOX);

  for (GtkWidget *row = list != NULL ? gtk_widget_get_first_child (list) : NULL;
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += ADW_IS_ACTION_ROW (row);
  return n;
}

static gboolean
clients_row_says (SondeMockServerView *view,
                  const char          *title_part,
                  const char          *subtitle_part)
{
  GtkWidget *list = sonde_test_find_descendant (child (view, "clients_group"), GTK_TYPE_LIST_BOX);

  for (GtkWidget *row = list != NULL ? gtk_widget_get_first_child (list) : NULL;
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (ADW_IS_ACTION_ROW (row) &&
          strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title_part) != NULL &&
          strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), subtitle_part) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The client list fills as tabs connect; a fault changed while the server
 * runs reaches the client already connected; Stop ends it. */
static void
live_fault_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeMockServerView *view = open_panel (window, NULL);
  SondeTab *ws_tab;
  SondeTab *sse_tab;
  SondeSession *session;

  /* The demo, slow enough that the tabs stay connected. */
  set_spin (view, "speed_spin", 1);
  start (view);
  g_assert_cmpuint (count_rows (child (view, "clients_group")), ==, 0);

  ws_tab = open_tab (window, view, "ws_open_button");
  sse_tab = open_tab (window, view, "sse_open_button");
  g_assert_true (ws_tab != sse_tab);
  SONDE_TEST_WAIT_UNTIL (count_rows (child (view, "clients_group")) == 2, NET_WAIT_MS);
  SONDE_TEST_WAIT_UNTIL (clients_row_says (view, "WebSocket", "Item") &&
                   clients_row_says (view, "Server-Sent Events", "from the start"),
                   NET_WAIT_MS);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (child (view, "clients_group")),
                            "2"));

  /* Close WebSocket clients after one more message, with 4001: the tab
   * already connected gets it. */
  session = sonde_tab_get_session (ws_tab);
  g_assert_cmpuint (count_kind (sonde_session_get_log (session), SONDE_ENTRY_CLOSE), ==, 0);
  set_spin (view, "close_code_spin", 4001);
  gtk_editable_set_text (child (view, "close_reason_row"), "changed while running");
  set_spin (view, "close_after_spin", 1);
  g_assert_false (gtk_widget_get_visible (child (view, "faults_error_row")));
  g_assert_cmpuint (sonde_mock_host_get_faults (sonde_mock_server_view_get_host (view))->close_code,
                    ==, 4001);
  SONDE_TEST_WAIT_UNTIL (count_kind (sonde_session_get_log (session), SONDE_ENTRY_CLOSE) >= 1,
                   NET_WAIT_MS);
  {
    SondeEventLog *log = sonde_session_get_log (session);
    gboolean found = FALSE;

    for (guint64 i = 0; i < sonde_event_log_get_n_entries (log) && !found; i++)
      {
        SondeEntryView entry;

        sonde_event_log_get_view (log, i, &entry);
        found = entry.kind == SONDE_ENTRY_CLOSE && entry.direction == SONDE_DIRECTION_IN &&
                g_strstr_len (entry.fields, (gssize)entry.fields_len, "4001") != NULL &&
                g_strstr_len (entry.fields, (gssize)entry.fields_len, "changed while running");
      }
    g_assert_true (found);
  }
  /* The WebSocket client leaves the list; the SSE one stays. */
  SONDE_TEST_WAIT_UNTIL (count_rows (child (view, "clients_group")) == 1, NET_WAIT_MS);
  g_assert_true (clients_row_says (view, "Server-Sent Events", "Item"));

  /* A fault that cannot go on the wire is refused where it is typed. */
  gtk_editable_set_text (child (view, "sse_content_type_row"), "text/plain\r\nX: y");
  g_assert_true (gtk_widget_get_visible (child (view, "faults_error_row")));
  g_assert_null (sonde_mock_host_get_faults (sonde_mock_server_view_get_host (view))->sse_content_type);
  gtk_editable_set_text (child (view, "sse_content_type_row"), "");
  g_assert_false (gtk_widget_get_visible (child (view, "faults_error_row")));

  /* Stop: the clients drop, the list empties, the settings open again. */
  click (view, "start_button");
  g_assert_null (sonde_mock_server_view_get_host (view));
  g_assert_cmpstr (gtk_button_get_label (child (view, "start_button")), ==, "_Start");
  g_assert_false (gtk_widget_get_visible (child (view, "clients_group")));
  g_assert_true (gtk_widget_is_sensitive (child (view, "address_row")));
  SONDE_TEST_WAIT_UNTIL (sonde_tab_get_state (sse_tab) != SONDE_CONNECTION_OPEN, NET_WAIT_MS);
}

static void
test_live_fault (void)
{
  sonde_test_run_in_application (live_fault_body);
}

/* Any web page on the machine can reach the mock server. A client whose
 * resume ID is markup and escapes: the panel shows it as it is, every
 * character visible, and GTK is never handed bad markup (fatal here). */
static void
hostile_client_body (SondeApplication *app)
{
  static const char id[] = "\x1b]0;x\x07<b>&amp;</b";
  static const char shown[] = "\xe2\x90\x9b]0;x\xe2\x90\x87<b>&amp;</b";
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeMockServerView *view = open_panel (window, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;

  set_spin (view, "speed_spin", 1);
  start (view);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                (guint16)sonde_mock_host_get_port (
                                                  sonde_mock_server_view_get_host (view)),
                                                NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: %s\r\n\r\n",
                             id);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  SONDE_TEST_WAIT_UNTIL (clients_row_says (view, "Server-Sent Events", shown), NET_WAIT_MS);
  /* libadwaita 1.2 gives back the description's text as shown. */
  SONDE_TEST_WAIT_UNTIL (strstr (adw_preferences_group_get_description (
                                   child (view, "clients_group")), shown) != NULL,
                         NET_WAIT_MS);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  click (view, "start_button");
}

static void
test_hostile_client (void)
{
  sonde_test_run_in_application (hostile_client_body);
}

/* A port in use is a clear error in the panel; another address warns. */
static void
port_in_use_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeMockServerView *view = open_panel (window, NULL);
  g_autoptr(GSocketListener) listener = NULL;
  g_autofree char *port_text = NULL;
  GtkWidget *error_row = child (view, "error_row");
  guint port;

  listener = sonde_test_take_port (&port);

  g_assert_false (gtk_widget_get_visible (error_row));
  set_spin (view, "port_spin", port);
  click (view, "start_button");
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_visible (error_row), NET_WAIT_MS);
  port_text = g_strdup_printf ("port %u", port);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row)), port_text));
  g_assert_null (sonde_mock_server_view_get_host (view));
  g_assert_cmpstr (gtk_button_get_label (child (view, "start_button")), ==, "_Start");
  g_assert_false (gtk_widget_get_visible (child (view, "urls_group")));

  /* Any free port: it starts, and the error goes. */
  set_spin (view, "port_spin", 0);
  start (view);
  g_assert_false (gtk_widget_get_visible (error_row));

  /* Loopback is quiet; every address, or another one, warns before a start. */
  click (view, "start_button");
  g_assert_false (gtk_widget_get_visible (child (view, "address_warning_row")));
  gtk_editable_set_text (child (view, "address_row"), "0.0.0.0");
  g_assert_true (gtk_widget_get_visible (child (view, "address_warning_row")));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (view, "address_warning_row")),
                            "0.0.0.0"));
  gtk_editable_set_text (child (view, "address_row"), "::1");
  g_assert_false (gtk_widget_get_visible (child (view, "address_warning_row")));
  gtk_editable_set_text (child (view, "address_row"), "not an address");
  g_assert_true (gtk_widget_has_css_class (child (view, "address_row"), "error"));
}

static void
test_port_in_use (void)
{
  sonde_test_run_in_application (port_in_use_body);
}

/* Every control has a name for assistive technology and takes the focus. */
static void
check_accessible (GtkWidget *widget)
{
  /* Hidden parts (an entry row's apply button) are for no one. */
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));

      if (label == NULL && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                              GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("a button without a name, in a %s in a %s",
                 G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_parent (gtk_widget_get_parent (widget))));
      g_assert_true (gtk_widget_get_focusable (widget));
    }
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SWITCH (widget))
    {
      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                       GTK_ACCESSIBLE_RELATION_LABELLED_BY));
      /* Its own + and − are GTK's, reached with the arrow keys. */
      return;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    check_accessible (c);
}

/* The panel opens from the menu's action, lists what it can serve, adds and
 * removes servers, and every control is named. */
static void
panel_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeMockPanel *panel = NULL;
  SondeMockServerView *view = open_panel (window, &panel);
  SondeMockServerView *second;
  GListModel *sources;
  g_autoptr(GList) servers = NULL;

  check_accessible (GTK_WIDGET (panel));

  /* Demo and file; no tab has captured anything yet. */
  sources = G_LIST_MODEL (child (view, "sources"));
  g_assert_cmpuint (g_list_model_get_n_items (sources), ==, 2);

  /* Start the demo and open a tab: the tab's capture becomes a source. */
  start (view);
  open_tab (window, view, "sse_open_button");
  SONDE_TEST_WAIT_UNTIL (g_list_model_get_n_items (sources) == 3, WAIT_MS);

  /* Ctrl+Shift+N's action adds a second server, stopped. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.add-server", NULL));
  servers = sonde_mock_panel_get_servers (panel);
  g_assert_cmpuint (g_list_length (servers), ==, 2);
  second = servers->next->data;
  g_assert_null (sonde_mock_server_view_get_host (second));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (child (second, "sources"))), ==, 3);

  /* Serving the tab's capture from the second. */
  adw_combo_row_set_selected (child (second, "source_row"), SONDE_MOCK_SOURCE_FIRST_TAB);
  SONDE_TEST_WAIT_UNTIL (sonde_tab_get_session (sonde_window_get_current_tab (window)) != NULL &&
                   sonde_session_get_n_entries (sonde_tab_get_session (sonde_window_get_current_tab (window))) > 3,
                   NET_WAIT_MS);
  start (second);
  g_assert_cmpuint (sonde_mock_host_get_n_items (sonde_mock_server_view_get_host (second)), >, 0);

  /* Remove stops it and takes it away. */
  click (second, "remove_button");
  g_clear_pointer (&servers, g_list_free);
  servers = sonde_mock_panel_get_servers (panel);
  g_assert_cmpuint (g_list_length (servers), ==, 1);

  /* Closing hides the panel; its servers go on. */
  gtk_window_close (GTK_WINDOW (panel));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_true (is_running (view));
}

static void
test_panel (void)
{
  sonde_test_run_in_application (panel_body);
}

/* What a spin button field reads and how typing into it ends. */
static void
type_into (GtkSpinButton *spin,
           const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  gtk_spin_button_update (spin);
}

static void
special_values_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeMockServerView *view = open_panel (window, NULL);
  GtkSpinButton *retry = child (view, "retry_spin");
  GtkSpinButton *drop_after = child (view, "drop_after_spin");

  /* The values that mean a word show the word, not 0 or -1. */
  g_assert_cmpstr (gtk_editable_get_text (child (view, "port_spin")), ==, "Any");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (drop_after)), ==, "Never");
  g_assert_cmpstr (gtk_editable_get_text (child (view, "drop_every_spin")), ==, "Never");
  g_assert_cmpstr (gtk_editable_get_text (child (view, "stall_after_spin")), ==, "Never");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (retry)), ==, "Off");

  /* A number typed is a number, shown as one; the word typed (in any case)
   * is the value again; anything else is refused and the value stays. */
  type_into (retry, "250");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (retry), ==, 250);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (retry)), ==, "250");
  type_into (retry, " off ");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (retry), ==, -1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (retry)), ==, "Off");
  type_into (drop_after, "12");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (drop_after), ==, 12);
  type_into (drop_after, "0");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (drop_after)), ==, "Never");

  gtk_window_close (GTK_WINDOW (window));
}

static void
test_special_values (void)
{
  sonde_test_run_in_application (special_values_body);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/mock-panel/panel", test_panel);
  g_test_add_func ("/sonde/mock-panel/special-values", test_special_values);
  g_test_add_func ("/sonde/mock-panel/drop-resume", test_drop_resume);
  g_test_add_func ("/sonde/mock-panel/live-fault", test_live_fault);
  g_test_add_func ("/sonde/mock-panel/hostile-client", test_hostile_client);
  g_test_add_func ("/sonde/mock-panel/port-in-use", test_port_in_use);

  return g_test_run ();
}

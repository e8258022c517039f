/* test-compose-bar.c: sending from the window, under Xvfb, against the mock server on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sonde-application.h"
#include "sonde-compose-bar.h"
#include "sonde-entry.h"
#include "sonde-entry-text.h"
#include "sonde-inspector.h"
#include "sonde-mock-host.h"
#include "sonde-request-bar.h"
#include "sonde-tab.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-window.h"
#include "sonde-wire.h"
#include "sonde-worker.h"

/* Traffic on loopback, on a machine shared with others. */
#define NET_WAIT_MS 20000

static char *data_home;
/* One for the process: GtkApplication starts up once. */
static SondeApplication *app;

typedef struct
{
  SondeApplication *app;
  SondeWindow      *window;
  SondeMockHost    *host;
} Fixture;

/* The real window of the registered application, and the mock server (the
 * bundled demo) on a worker thread, as `sonde --demo` runs it. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->app = app;
  fixture->window = sonde_window_new (fixture->app);
  gtk_window_present (GTK_WINDOW (fixture->window));
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)), NET_WAIT_MS);

  fixture->host = sonde_mock_host_new (NULL);
  sonde_mock_host_start_async (fixture->host, NULL, NULL, NULL);
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_port (fixture->host) != 0, NET_WAIT_MS);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  sonde_mock_host_stop (fixture->host);
  g_clear_object (&fixture->host);
  SONDE_TEST_WAIT_UNTIL (sonde_worker_get_n_running () == 0, NET_WAIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static SondeTab *
open_tab (Fixture    *fixture,
          const char *scheme,
          const char *path)
{
  g_autofree char *url = sonde_mock_host_get_url (fixture->host, scheme, path);
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  SondeTab *tab;

  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);
  tab = sonde_window_open (fixture->window, config);
  SONDE_TEST_WAIT_UNTIL (sonde_tab_get_state (tab) == SONDE_CONNECTION_OPEN, NET_WAIT_MS);
  return tab;
}

/* The newest entry of @kind going @direction after @from, or G_MAXUINT64. */
static guint64
find_entry (SondeEventLog  *log,
            guint64         from,
            SondeEntryKind  kind,
            SondeDirection  direction)
{
  guint64 n = sonde_event_log_get_n_entries (log);

  for (guint64 seq = from; seq < n; seq++)
    {
      SondeEntryView view;

      if (sonde_event_log_get_view (log, seq, &view) && view.kind == kind &&
          view.direction == direction)
        return seq;
    }
  return G_MAXUINT64;
}

/* Waits for the first entry of @kind going @direction from @from on whose
 * payload is @data (any payload when NULL), and returns its view. */
static guint64
wait_entry (SondeEventLog  *log,
            guint64         from,
            SondeEntryKind  kind,
            SondeDirection  direction,
            const void     *data,
            gsize           len,
            SondeEntryView *view)
{
  gint64 deadline = g_get_monotonic_time () + NET_WAIT_MS * (gint64)1000;

  while (g_get_monotonic_time () < deadline)
    {
      guint64 seq = find_entry (log, from, kind, direction);

      if (seq != G_MAXUINT64)
        {
          g_autofree char *payload = NULL;
          gsize payload_len = 0;

          g_assert_true (sonde_event_log_get_view (log, seq, view));
          payload = sonde_entry_view_dup_data (view, &payload_len, NULL);
          if (data == NULL || (payload_len == len && memcmp (payload, data, len) == 0))
            return seq;
          from = seq + 1;
          continue;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_error ("no %s entry with the payload expected", sonde_entry_kind_to_string (kind));
}

static guint
count_frames (const SondeEntryView *view)
{
  SondeWire *wire = sonde_wire_new_for_entry (view);
  guint n = sonde_wire_get_n_units (wire);

  sonde_wire_free (wire);
  return n;
}

static void
assert_text (SondeComposeBar *bar,
             const char      *expected)
{
  g_autofree char *text = sonde_compose_bar_dup_text (bar);

  g_assert_cmpstr (text, ==, expected);
}

static gpointer
bar_child (gpointer    bar,
           GType       type,
           const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (bar), type, name);

  g_assert_nonnull (child);
  return child;
}

/* Sends what is typed, and waits for its `out` entry and the mock server's
 * echo; returns the out entry. */
static guint64
send_and_wait (SondeComposeBar *bar,
               SondeEventLog   *log,
               SondeEntryKind   kind,
               const char      *expected,
               gsize            len,
               SondeEntryView  *view)
{
  guint64 from = sonde_event_log_get_n_entries (log);
  SondeEntryView echo;
  guint64 seq;

  g_assert_null (sonde_compose_bar_get_problem (bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.send", NULL));
  seq = wait_entry (log, from, kind, SONDE_DIRECTION_OUT, expected, len, view);
  wait_entry (log, seq + 1, kind, SONDE_DIRECTION_IN, expected, len, &echo);
  return seq;
}

/* The bar in @tab's compose slot, of @type; the other kind is not there. */
static gpointer
tab_bar (SondeTab *tab,
         GType     type,
         GType     other_type)
{
  GtkWidget *inspector = GTK_WIDGET (sonde_tab_get_inspector (tab));
  GtkWidget *bar = sonde_test_find_descendant (inspector, type);

  g_assert_nonnull (bar);
  g_assert_null (sonde_test_find_descendant (inspector, other_type));
  return bar;
}

/* Every control says what it is to assistive technologies, by its label,
 * its tooltip or an accessible label. */
static void
assert_named (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) || GTK_IS_MENU_BUTTON (child) || GTK_IS_DROP_DOWN (child) ||
          GTK_IS_ENTRY (child) || GTK_IS_TEXT_VIEW (child) || GTK_IS_CHECK_BUTTON (child) ||
          GTK_IS_SPIN_BUTTON (child))
        {
          g_autofree char *label = NULL;

          if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "label") != NULL)
            g_object_get (child, "label", &label, NULL);
          if ((label == NULL || label[0] == '\0') && gtk_widget_get_tooltip_text (child) == NULL &&
              !gtk_test_accessible_has_property (GTK_ACCESSIBLE (child),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL))
            g_error ("a %s without a name", G_OBJECT_TYPE_NAME (child));
          g_assert_true (gtk_widget_get_focusable (child) || gtk_widget_get_focus_on_click (child));
          /* Its insides are GTK's. */
          continue;
        }
      assert_named (child);
    }
}

/* Ctrl+Return is the bar's own, caught before the text view's line break
 * and before the tab's Ctrl+Return (reconnect) can see it. */
static gboolean
has_capture_shortcut (GtkWidget       *widget,
                      guint            keyval,
                      GdkModifierType  modifiers)
{
  g_autoptr(GtkShortcut) shortcut = sonde_test_find_shortcut (widget, keyval, modifiers,
                                                              GTK_PHASE_CAPTURE);

  return shortcut != NULL;
}

/* A WebSocket tab against the mock server's /ws: text, pretty JSON, hex,
 * base64 and fragments go out as `out` entries with their frames and come
 * back as echoes; bad JSON and odd hex say where and send nothing; a ping
 * gets its pong with the round trip; the history recalls and outlives the
 * bar; Close sends the code and reason chosen by name. */
static void
test_websocket (Fixture       *fixture,
                gconstpointer  data)
{
  SondeTab *tab = open_tab (fixture, "ws", "/ws");
  SondeSession *session = sonde_tab_get_session (tab);
  SondeEventLog *log = sonde_session_get_log (session);
  SondeComposeBar *bar = tab_bar (tab, SONDE_TYPE_COMPOSE_BAR, SONDE_TYPE_REQUEST_BAR);
  GtkWidget *message_label = bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "message_label");
  GtkWidget *text_view = bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "text_view");
  g_autoptr(SondeComposeHistory) next_run = NULL;
  g_autoptr(JsonObject) fields = NULL;
  const char *pretty = "{\n  \"a\": [\n    1,\n    \"x y\"\n  ]\n}";
  char preview[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  SondeEntryView view;
  guint64 seq;
  guint64 before;

  assert_named (GTK_WIDGET (bar));
  assert_named (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "ping_popover"));
  assert_named (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "close_popover"));
  g_assert_true (has_capture_shortcut (GTK_WIDGET (bar), GDK_KEY_Return, GDK_CONTROL_MASK));

  /* Text. */
  sonde_compose_bar_set_text (bar, "hello from the bar");
  seq = send_and_wait (bar, log, SONDE_ENTRY_TEXT, "hello from the bar", 18, &view);
  g_assert_cmpuint (count_frames (&view), ==, 1);

  /* JSON, checked as typed: the mistake's place, and nothing sent. */
  sonde_compose_bar_set_mode (bar, SONDE_COMPOSE_JSON);
  sonde_compose_bar_set_text (bar, "{\"a\": [1,\n \"x y\" }");
  g_assert_cmpstr (sonde_compose_bar_get_problem (bar), ==,
                   "Not JSON: at line 2, column 8, expected “,” or “]”");
  g_assert_true (gtk_widget_get_visible (message_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message_label)), ==,
                   sonde_compose_bar_get_problem (bar));
  g_assert_true (gtk_widget_has_css_class (message_label, "error"));
  gtk_test_accessible_assert_state (text_view, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  /* The place is underlined too: the “}” on line 2, column 8, and only it. */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
    GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                 "problem");
    GtkTextIter iter;

    gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 1, 7);
    g_assert_true (gtk_text_iter_has_tag (&iter, tag));
    g_assert_cmpint (gtk_text_iter_get_char (&iter), ==, '}');
    gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 1, 6);
    g_assert_false (gtk_text_iter_has_tag (&iter, tag));
  }
  before = sonde_event_log_get_n_entries (log);
  gtk_widget_activate_action (GTK_WIDGET (bar), "compose.send", NULL);

  /* Fixed, and laid out pretty: the next out entry is this one, so the
   * bad text never went. */
  gtk_drop_down_set_selected (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "layout_dropdown"), 1);
  sonde_compose_bar_set_text (bar, "{\"a\": [1,\n \"x y\"] }");
  g_assert_null (sonde_compose_bar_get_problem (bar));
  g_assert_false (gtk_widget_get_visible (message_label));
  gtk_test_accessible_assert_state (text_view, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_FALSE);
  seq = send_and_wait (bar, log, SONDE_ENTRY_TEXT, pretty, strlen (pretty), &view);
  g_assert_cmpuint (find_entry (log, before, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT), ==, seq);

  /* Binary: odd hex says which digit is alone, and sends nothing. */
  sonde_compose_bar_set_mode (bar, SONDE_COMPOSE_HEX);
  sonde_compose_bar_set_text (bar, "de ad b");
  g_assert_cmpstr (sonde_compose_bar_get_problem (bar), ==,
                   "Hex needs two digits per byte; the digit at character 7 has no partner");
  before = sonde_event_log_get_n_entries (log);
  gtk_widget_activate_action (GTK_WIDGET (bar), "compose.send", NULL);
  sonde_compose_bar_set_text (bar, "de ad be ef");
  seq = send_and_wait (bar, log, SONDE_ENTRY_BINARY, "\xde\xad\xbe\xef", 4, &view);
  g_assert_cmpuint (find_entry (log, before, SONDE_ENTRY_BINARY, SONDE_DIRECTION_OUT), ==, seq);

  sonde_compose_bar_set_mode (bar, SONDE_COMPOSE_BASE64);
  sonde_compose_bar_set_text (bar, "3q2+7w=A");
  g_assert_cmpstr (sonde_compose_bar_get_problem (bar), ==,
                   "Base64 padding “=” may only end the text; one stands at character 7");
  sonde_compose_bar_set_text (bar, "AAEC");
  send_and_wait (bar, log, SONDE_ENTRY_BINARY, "\x00\x01\x02", 3, &view);

  /* Fragments of four bytes: one message, four frames on the wire. */
  sonde_compose_bar_set_mode (bar, SONDE_COMPOSE_TEXT);
  gtk_check_button_set_active (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "fragments_check"), TRUE);
  gtk_spin_button_set_value (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "fragment_spin"), 4);
  sonde_compose_bar_set_text (bar, "in four pieces!");
  send_and_wait (bar, log, SONDE_ENTRY_TEXT, "in four pieces!", 15, &view);
  g_assert_cmpuint (count_frames (&view), ==, 4);
  /* The Type column names a message by its JSON "type"; plain text has none. */
  sonde_entry_text_format_type (&view, preview, sizeof preview);
  g_assert_cmpstr (preview, ==, "fragmented");
  gtk_check_button_set_active (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "fragments_check"), FALSE);

  /* A ping with a payload; its pong says the round trip. */
  before = sonde_event_log_get_n_entries (log);
  gtk_editable_set_text (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "ping_entry"), "are you there");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.ping", NULL));
  seq = wait_entry (log, before, SONDE_ENTRY_PING, SONDE_DIRECTION_OUT, "are you there", 13,
                    &view);
  seq = wait_entry (log, seq + 1, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN, "are you there", 13,
                    &view);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpfloat (json_object_get_double_member (fields, "rtt_ms"), >, 0.0);
  sonde_entry_text_format_preview (&view, preview, sizeof preview);
  g_assert_true (g_str_has_prefix (preview, "Round trip "));

  /* Up recalls, newest first, with the mode it was typed in; Down comes
   * back to the draft. */
  sonde_compose_bar_set_text (bar, "draft");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.history-previous", NULL));
  assert_text (bar, "in four pieces!");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.history-previous", NULL));
  assert_text (bar, "AAEC");
  g_assert_cmpint (sonde_compose_bar_get_mode (bar), ==, SONDE_COMPOSE_BASE64);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.history-previous", NULL));
  assert_text (bar, "de ad be ef");
  g_assert_cmpint (sonde_compose_bar_get_mode (bar), ==, SONDE_COMPOSE_HEX);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.history-next", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.history-next", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.history-next", NULL));
  assert_text (bar, "draft");

  /* The next run reads the same history, for the same URL. */
  next_run = sonde_compose_history_new (
    sonde_compose_history_get_path (sonde_compose_bar_get_default_history ()));
  g_assert_true (g_str_has_prefix (sonde_compose_history_get_path (next_run), data_home));
  g_assert_cmpuint (sonde_compose_history_get_n (next_run, sonde_session_get_url (session)), ==, 5);
  g_assert_cmpstr (sonde_compose_history_get (next_run, sonde_session_get_url (session), 3, NULL),
                   ==, "{\"a\": [1,\n \"x y\"] }");

  /* Close, with a code chosen by its name and a reason. */
  before = sonde_event_log_get_n_entries (log);
  gtk_drop_down_set_selected (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "close_code_dropdown"), 1);
  gtk_editable_set_text (bar_child (bar, SONDE_TYPE_COMPOSE_BAR, "close_reason_entry"), "bye now");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "compose.close", NULL));
  seq = wait_entry (log, before, SONDE_ENTRY_CLOSE, SONDE_DIRECTION_OUT, NULL, 0, &view);
  g_clear_pointer (&fields, json_object_unref);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, 1001);
  g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "bye now");
  /* The handshake ends the connection, which the log says. */
  wait_entry (log, seq + 1, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, NULL, 0, &view);
}

static gboolean
has_published (SondeEventLog *log,
               const char    *data)
{
  guint64 n = sonde_event_log_get_n_entries (log);

  for (guint64 seq = 0; seq < n; seq++)
    {
      SondeEntryView view;
      g_autofree char *payload = NULL;

      if (!sonde_event_log_get_view (log, seq, &view) || view.kind != SONDE_ENTRY_SSE)
        continue;
      payload = sonde_entry_view_dup_data (&view, NULL, NULL);
      if (g_strcmp0 (payload, data) == 0)
        return TRUE;
    }
  return FALSE;
}

/* An SSE tab against the mock server: the request bar's POST to /publish is
 * an `out` entry with the response's status, and the published event comes
 * down the stream; a header line without a colon says which line, and
 * sends nothing. */
static void
test_sse (Fixture       *fixture,
          gconstpointer  data)
{
  SondeTab *tab = open_tab (fixture, "http", "/sse");
  SondeSession *session = sonde_tab_get_session (tab);
  SondeEventLog *log = sonde_session_get_log (session);
  SondeRequestBar *bar = tab_bar (tab, SONDE_TYPE_REQUEST_BAR, SONDE_TYPE_COMPOSE_BAR);
  GtkWidget *url_entry = bar_child (bar, SONDE_TYPE_REQUEST_BAR, "url_entry");
  GtkWidget *headers_view = bar_child (bar, SONDE_TYPE_REQUEST_BAR, "headers_view");
  GtkWidget *body_view = bar_child (bar, SONDE_TYPE_REQUEST_BAR, "body_view");
  g_autofree char *origin = sonde_mock_host_get_url (fixture->host, "http", "/");
  g_autofree char *publish = sonde_mock_host_get_url (fixture->host, "http", "/publish");
  g_autoptr(JsonObject) fields = NULL;
  SondeEntryView view;
  guint64 seq;

  assert_named (GTK_WIDGET (bar));
  g_assert_true (has_capture_shortcut (GTK_WIDGET (bar), GDK_KEY_Return, GDK_CONTROL_MASK));

  /* By default a POST to the stream's origin. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_entry)), ==, origin);
  g_assert_cmpstr (gtk_editable_get_text (bar_child (bar, SONDE_TYPE_REQUEST_BAR,
                                                     "method_entry")), ==, "POST");

  gtk_editable_set_text (GTK_EDITABLE (url_entry), publish);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (headers_view)),
                            "Content-Type text/plain", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (body_view)),
                            "published from the bar", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "request.send", NULL));
  g_assert_cmpstr (sonde_request_bar_get_message (bar), ==,
                   "Line 1 of the headers has no “:” between the name and the value");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (headers_view)),
                            "\nContent-Type: text/plain\nX-From: the bar\n", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "request.send", NULL));
  SONDE_TEST_WAIT_UNTIL (sonde_request_bar_get_last_seq (bar) != G_MAXUINT64, NET_WAIT_MS);
  SONDE_TEST_WAIT_UNTIL (has_published (log, "published from the bar"), NET_WAIT_MS);

  /* The only request entry: the header line without a colon sent nothing. */
  seq = sonde_request_bar_get_last_seq (bar);
  g_assert_cmpuint (find_entry (log, 0, SONDE_ENTRY_REQUEST, SONDE_DIRECTION_OUT), ==, seq);
  g_assert_true (sonde_event_log_get_view (log, seq, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpstr (json_object_get_string_member (fields, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (fields, "url"), ==, publish);
  g_assert_cmpstr (json_object_get_string_member (fields, "request_body"), ==,
                   "published from the bar");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (fields, "request_headers"), "X-From"),
                   ==, "the bar");
  /* The mock server answers a publish with 202 Accepted and the count. */
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 202);
  g_assert_cmpstr (json_object_get_string_member (fields, "body"), ==, "{\"clients\":1}\n");
  g_assert_nonnull (strstr (sonde_request_bar_get_message (bar), "/publish → 202 Accepted"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* The history goes to a folder of the test's own, never the user's. */
  data_home = g_dir_make_tmp ("sonde-compose-bar-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = sonde_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/sonde/compose-bar/websocket", Fixture, NULL, fixture_set_up, test_websocket,
              fixture_tear_down);
  g_test_add ("/sonde/compose-bar/sse", Fixture, NULL, fixture_set_up, test_sse,
              fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);

  path = g_build_filename (data_home, "sonde", "compose-history.json", NULL);
  g_unlink (path);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (data_home, "sonde", NULL);
  g_rmdir (path);
  g_rmdir (data_home);
  g_free (data_home);

  return status;
}

/* test-recording-window.c: Save, Open, Export HAR and closing unsaved tabs in the real window, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sonde-application.h"
#include "sonde-event-list.h"
#include "sonde-har.h"
#include "sonde-mock-host.h"
#include "sonde-recording-bar.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-timeline-view.h"
#include "sonde-window.h"
#include "sonde-window-files.h"

/* Generous: the machine is shared, and loopback traffic goes through threads. */
#define WAIT_MS 20000

static SondeApplication *app;

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static SondeWindow *
new_window (void)
{
  SondeWindow *window = sonde_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), WAIT_MS);

  return window;
}

static void
destroy_window (SondeWindow *window)
{
  GList *list = gtk_window_list_toplevels ();

  /* Its dialogs too. */
  g_list_foreach (list, (GFunc)g_object_ref, NULL);
  for (GList *l = list; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free_full (list, g_object_unref);
  SONDE_TEST_WAIT_UNTIL (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL, WAIT_MS);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GList *list = gtk_window_list_toplevels ();
  AdwMessageDialog *found = NULL;

  for (GList *l = list; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (list);

  return found;
}

static int
n_tabs (SondeWindow *window)
{
  return adw_tab_view_get_n_pages (sonde_window_get_tab_view (window));
}

static SondeTab *
nth_tab (SondeWindow *window,
         int          n)
{
  AdwTabPage *page = adw_tab_view_get_nth_page (sonde_window_get_tab_view (window), n);

  return SONDE_TAB (adw_tab_page_get_child (page));
}

static gboolean
tab_loaded (SondeTab *tab)
{
  SondeRecordingLoader *loader = sonde_tab_get_loader (tab);

  return loader != NULL && sonde_recording_loader_get_finished (loader);
}

static const char *
bar_text (SondeTab *tab)
{
  GtkWidget *bar = sonde_test_find_descendant (GTK_WIDGET (tab), SONDE_TYPE_RECORDING_BAR);

  g_assert_nonnull (bar);
  return gtk_widget_get_visible (bar) ? sonde_recording_bar_get_text (SONDE_RECORDING_BAR (bar))
                                      : "";
}

/* Every entry the same: time, direction, kind, id, fields and wire bytes. */
static void
assert_same_logs (SondeEventLog *a,
                  SondeEventLog *b)
{
  guint64 n = sonde_event_log_get_n_entries (a);

  g_assert_cmpuint (sonde_event_log_get_n_entries (b), ==, n);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView va, vb;

      g_assert_true (sonde_event_log_get_view (a, i, &va));
      g_assert_true (sonde_event_log_get_view (b, i, &vb));
      g_assert_cmpint (va.time_us, ==, vb.time_us);
      g_assert_cmpint (va.direction, ==, vb.direction);
      g_assert_cmpint (va.kind, ==, vb.kind);
      g_assert_cmpmem (va.id, va.id_len, vb.id, vb.id_len);
      g_assert_cmpmem (va.fields, va.fields_len, vb.fields, vb.fields_len);
      g_assert_cmpmem (va.raw, va.raw_len, vb.raw, vb.raw_len);
    }
}

static SondeTab *
capture_from_mock (SondeWindow   *window,
                   SondeMockHost *host,
                   guint          at_least)
{
  g_autofree char *url = NULL;
  g_autoptr(SondeSessionConfig) config = NULL;
  SondeSession *session;
  SondeTab *tab;

  sonde_mock_host_start_async (host, NULL, NULL, NULL);
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_port (host) != 0, WAIT_MS);
  url = sonde_mock_host_get_url (host, "ws", "/ws");
  config = sonde_session_config_new (url, NULL);
  g_assert_nonnull (config);

  tab = sonde_window_open (window, config);
  session = sonde_tab_get_session (tab);
  SONDE_TEST_WAIT_UNTIL (sonde_event_log_get_n_entries (sonde_session_get_log (session)) >=
                         at_least, WAIT_MS);

  return tab;
}

/* Save, then Open: the same rows, byte for byte; closing asks only while
 * something captured was never saved. */
static void
test_save_open (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-recording-window-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "saved.jsonl", NULL);
  g_autofree char *har_path = g_build_filename (dir, "exported.har", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) har_file = g_file_new_for_path (har_path);
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  GSettings *settings = sonde_application_get_settings (app);
  SondeWindow *window = new_window ();
  SondeTab *live, *opened;
  SondeSession *session;
  AdwMessageDialog *dialog;
  g_autofree char *har_text = NULL;

  g_settings_set_boolean (settings, "ask-before-closing", TRUE);
  live = capture_from_mock (window, host, 20);
  session = sonde_tab_get_session (live);

  /* Unsaved: closing the tab asks, and Cancel keeps it. */
  g_assert_cmpuint (sonde_tab_get_n_unsaved (live), >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  SONDE_TEST_WAIT_UNTIL (find_message_dialog () != NULL, WAIT_MS);
  dialog = find_message_dialog ();
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (n_tabs (window), ==, 1);
  g_assert_true (sonde_session_get_running (session));

  /* A fixed log to compare: stop, then save what it holds. */
  sonde_session_stop (session);
  SONDE_TEST_WAIT_UNTIL (!sonde_session_get_running (session), WAIT_MS);
  sonde_window_save_tab (window, live, file, SONDE_SAVE_RECORDING);
  SONDE_TEST_WAIT_UNTIL (sonde_tab_get_n_unsaved (live) == 0, WAIT_MS);
  g_assert_true (g_file_equal (sonde_tab_get_file (live), file));

  /* Export HAR writes a HAR with the WebSocket messages, and does not count as saving. */
  sonde_window_save_tab (window, live, har_file, SONDE_SAVE_HAR);
  SONDE_TEST_WAIT_UNTIL (g_file_test (har_path, G_FILE_TEST_EXISTS), WAIT_MS);
  g_assert_true (g_file_get_contents (har_path, &har_text, NULL, NULL));
  g_assert_nonnull (strstr (har_text, "\"_webSocketMessages\""));
  g_assert_true (g_file_equal (sonde_tab_get_file (live), file));

  opened = sonde_window_open_file (window, file);
  g_assert_true (opened != live);
  g_assert_cmpint (n_tabs (window), ==, 2);
  g_assert_cmpstr (sonde_tab_get_title (opened), ==, "saved.jsonl");
  SONDE_TEST_WAIT_UNTIL (tab_loaded (opened), WAIT_MS);
  g_assert_cmpint (sonde_recording_loader_get_state (sonde_tab_get_loader (opened)), ==,
                   SONDE_LOADER_DONE);
  g_assert_cmpstr (bar_text (opened), ==, "");
  g_assert_nonnull (sonde_tab_get_inspector (opened));
  g_assert_true (sonde_inspector_get_log (sonde_tab_get_inspector (opened)) ==
                 sonde_tab_get_log (opened));
  assert_same_logs (sonde_session_get_log (session), sonde_tab_get_log (opened));
  g_assert_cmpint (sonde_tab_get_transport (opened), ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (sonde_tab_get_url (opened), ==, sonde_session_get_url (session));

  /* Saved, and a recording from a file: both close without a question. */
  g_assert_cmpuint (sonde_tab_get_n_unsaved (opened), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_null (find_message_dialog ());
  g_assert_cmpint (n_tabs (window), ==, 1);

  /* The recent files list what was saved and opened. */
  g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (),
                                              g_file_get_uri (file)));

  destroy_window (window);
  sonde_mock_host_stop (host);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* The setting off: a tab with unsaved entries closes without asking. */
static void
test_close_without_asking (void)
{
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  GSettings *settings = sonde_application_get_settings (app);
  SondeWindow *window = new_window ();
  SondeTab *live;

  live = capture_from_mock (window, host, 5);
  sonde_window_add_tab (window);
  g_assert_cmpint (n_tabs (window), ==, 2);

  /* The window asks first too, and Cancel keeps it open. */
  g_settings_set_boolean (settings, "ask-before-closing", TRUE);
  g_assert_cmpuint (sonde_tab_get_n_unsaved (live), >, 0);
  gtk_window_close (GTK_WINDOW (window));
  SONDE_TEST_WAIT_UNTIL (find_message_dialog () != NULL, WAIT_MS);
  adw_message_dialog_response (find_message_dialog (), "cancel");
  gtk_window_destroy (GTK_WINDOW (find_message_dialog ()));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Quit (Ctrl+Q) goes through the same question. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  SONDE_TEST_WAIT_UNTIL (find_message_dialog () != NULL, WAIT_MS);
  adw_message_dialog_response (find_message_dialog (), "cancel");
  gtk_window_destroy (GTK_WINDOW (find_message_dialog ()));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  g_settings_set_boolean (settings, "ask-before-closing", FALSE);
  adw_tab_view_set_selected_page (sonde_window_get_tab_view (window),
                                  adw_tab_view_get_page (sonde_window_get_tab_view (window),
                                                         GTK_WIDGET (live)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL));
  g_assert_null (find_message_dialog ());
  g_assert_cmpint (n_tabs (window), ==, 1);
  g_settings_set_boolean (settings, "ask-before-closing", TRUE);

  destroy_window (window);
  sonde_mock_host_stop (host);
}

/* A recording cut off in its last line, and one broken in the middle: what
 * came before opens, and the tab says where and why reading stopped. */
static void
test_truncated (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-recording-window-XXXXXX");
  g_autofree char *cut = g_build_filename (dir, "cut.jsonl", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.jsonl", NULL);
  g_autoptr(GFile) cut_file = g_file_new_for_path (cut);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  g_autofree char *source = data_path ("timeline-drops.sonde.jsonl");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  SondeWindow *window = new_window ();
  SondeTab *tab;

  /* The header and the first entries of a good recording. */
  g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", 6);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);

  for (guint i = 0; i < 4; i++)
    g_string_append_printf (text, "%s\n", lines[i]);
  g_string_append_len (text, lines[4], strlen (lines[4]) / 2);
  g_assert_true (g_file_set_contents (cut, text->str, text->len, NULL));

  tab = sonde_window_open_file (window, cut_file);
  SONDE_TEST_WAIT_UNTIL (tab_loaded (tab), WAIT_MS);
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_tab_get_log (tab)), ==, 3);
  g_assert_nonnull (strstr (bar_text (tab), "Line 5, the last one, was cut off"));

  /* A line that is not JSON, between good ones. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 3; i++)
    g_string_append_printf (text, "%s\n", lines[i]);
  g_string_append (text, "this is not json\n");
  g_string_append_printf (text, "%s\n", lines[3]);
  g_assert_true (g_file_set_contents (broken, text->str, text->len, NULL));

  tab = sonde_window_open_file (window, broken_file);
  SONDE_TEST_WAIT_UNTIL (tab_loaded (tab), WAIT_MS);
  g_assert_cmpint (sonde_recording_loader_get_state (sonde_tab_get_loader (tab)), ==,
                   SONDE_LOADER_FAILED);
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_tab_get_log (tab)), ==, 2);
  g_assert_nonnull (strstr (bar_text (tab), "Line 4 is not JSON"));
  g_assert_nonnull (strstr (bar_text (tab), "the 2 entries before it are shown"));
  g_assert_cmpint (sonde_tab_get_state (tab), ==, SONDE_CONNECTION_FAILED);

  destroy_window (window);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* har-several.har cut down to its first WebSocket and its SSE stream. */
static char *
write_two_stream_har (const char *dir)
{
  g_autofree char *source = data_path ("har-several.har");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  const SondeHarCandidate *candidates;
  JsonArray *entries, *kept;
  char *path = g_build_filename (dir, "two.har", NULL);
  guint n = 0;
  gboolean have_ws = FALSE, have_sse = FALSE;

  har = sonde_har_new_for_path (source, &error);
  g_assert_no_error (error);
  candidates = sonde_har_get_candidates (har, &n);
  json_parser_load_from_file (parser, source, &error);
  g_assert_no_error (error);
  entries = json_object_get_array_member (json_object_get_object_member (
                                            json_node_get_object (json_parser_get_root (parser)),
                                            "log"), "entries");
  kept = json_array_new ();
  for (guint i = 0; i < n; i++)
    {
      gboolean ws = candidates[i].transport == SONDE_TRANSPORT_WEBSOCKET;

      if (candidates[i].n_messages == 0 || (ws ? have_ws : have_sse))
        continue;
      json_array_add_element (kept, json_node_copy (json_array_get_element (entries,
                                                                            candidates[i].index)));
      *(ws ? &have_ws : &have_sse) = TRUE;
    }
  g_assert_true (have_ws && have_sse);
  json_object_set_array_member (json_object_get_object_member (
                                  json_node_get_object (json_parser_get_root (parser)), "log"),
                                "entries", kept);
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, path, &error));
  g_assert_no_error (error);

  return path;
}

/* A HAR file with two streams asks which to open; each chosen opens in a tab. */
static void
test_har_two_streams (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-recording-window-XXXXXX");
  g_autofree char *path = write_two_stream_har (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SondeWindow *window = new_window ();
  AdwMessageDialog *dialog;
  GtkWidget *list;
  GPtrArray *checks = g_ptr_array_new ();
  SondeTab *tab;
  gboolean sse = FALSE, ws = FALSE;

  tab = sonde_window_open_file (window, file);
  SONDE_TEST_WAIT_UNTIL (find_message_dialog () != NULL, WAIT_MS);
  dialog = find_message_dialog ();
  g_assert_cmpint (sonde_recording_loader_get_state (sonde_tab_get_loader (tab)), ==,
                   SONDE_LOADER_CHOOSING);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "holds 2 streams"));

  /* One check per stream, the first already checked: check the other too. */
  list = adw_message_dialog_get_extra_child (dialog);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_ptr_array_add (checks, gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  g_assert_cmpuint (checks->len, ==, 2);
  g_assert_true (gtk_check_button_get_active (g_ptr_array_index (checks, 0)));
  g_assert_false (gtk_check_button_get_active (g_ptr_array_index (checks, 1)));
  gtk_check_button_set_active (g_ptr_array_index (checks, 1), TRUE);
  g_ptr_array_unref (checks);

  adw_message_dialog_response (dialog, "open");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (n_tabs (window), ==, 2);
  for (int i = 0; i < 2; i++)
    {
      SondeTab *t = nth_tab (window, i);

      SONDE_TEST_WAIT_UNTIL (tab_loaded (t), WAIT_MS);
      g_assert_cmpint (sonde_recording_loader_get_state (sonde_tab_get_loader (t)), ==,
                       SONDE_LOADER_DONE);
      g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_tab_get_log (t)), >, 0);
      *(sonde_tab_get_transport (t) == SONDE_TRANSPORT_SSE ? &sse : &ws) = TRUE;
    }
  g_assert_true (sse && ws);

  destroy_window (window);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

static SondeTimelineView *
tab_timeline (SondeTab *tab)
{
  return SONDE_TIMELINE_VIEW (sonde_inspector_get_timeline_view (sonde_tab_get_inspector (tab)));
}

/* The timeline of a recording shows all of it, and its pictures travel:
 * the recorded URL as their heading (as `sonde timeline` has it), and a
 * name of the recording's own; a live tab's are named for its stream. */
static void
test_timeline_names (void)
{
  g_autofree char *path = data_path ("timeline-drops.sonde.jsonl");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autofree char *live_name = NULL;
  SondeWindow *window = new_window ();
  SondeTimelineView *timeline;
  GtkFileChooser *chooser;
  g_autofree char *offered = NULL;
  SondeTab *tab;
  gint64 from, to;

  tab = sonde_window_open_file (window, file);
  SONDE_TEST_WAIT_UNTIL (tab_loaded (tab), WAIT_MS);
  /* Read to its end, nothing more comes: no live edge to jump to (before:
   * the list stayed live, and offered “Jump to Live”). */
  g_assert_false (sonde_event_list_get_live (SONDE_EVENT_LIST (sonde_test_find_descendant (
                    GTK_WIDGET (sonde_tab_get_inspector (tab)), SONDE_TYPE_EVENT_LIST))));
  timeline = tab_timeline (tab);
  g_assert_cmpstr (sonde_timeline_view_get_title (timeline), ==, "http://127.0.0.1:8080/sse");
  g_assert_cmpstr (sonde_timeline_view_get_export_name (timeline), ==, "timeline-drops timeline");
  /* The last entry is at 9.7 s. */
  SONDE_TEST_WAIT_UNTIL ((sonde_timeline_chart_get_range (sonde_timeline_view_get_chart (timeline),
                                                          &from, &to), to > 9700000), WAIT_MS);
  g_assert_cmpint (from, <=, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.export", NULL));
  SONDE_TEST_WAIT_UNTIL (sonde_test_find_file_chooser () != NULL, WAIT_MS);
  chooser = sonde_test_find_file_chooser ();
  offered = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (offered, ==, "timeline-drops timeline.png");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  SONDE_TEST_WAIT_UNTIL (sonde_test_find_file_chooser () == NULL, WAIT_MS);

  tab = capture_from_mock (window, host, 3);
  timeline = tab_timeline (tab);
  g_assert_cmpstr (sonde_timeline_view_get_title (timeline), ==,
                   sonde_session_get_url (sonde_tab_get_session (tab)));
  live_name = g_strdup_printf ("127.0.0.1-%u-ws timeline", sonde_mock_host_get_port (host));
  g_assert_cmpstr (sonde_timeline_view_get_export_name (timeline), ==, live_name);

  /* A password in the URL stays out of the pictures' heading. */
  {
    g_autofree char *url = g_strdup_printf ("ws://user:secret@127.0.0.1:%u/ws",
                                            sonde_mock_host_get_port (host));
    g_autoptr(SondeSessionConfig) config = sonde_session_config_new (url, NULL);
    const char *heading;

    g_assert_nonnull (config);
    tab = sonde_window_open (window, config);
    heading = sonde_timeline_view_get_title (tab_timeline (tab));
    g_test_message ("heading: %s", heading);
    g_assert_nonnull (heading);
    g_assert_null (strstr (heading, "secret"));
    g_assert_nonnull (strstr (heading, "127.0.0.1"));
  }

  destroy_window (window);
}

/* `sonde FILE` opens it through GApplication; a file that is not there is
 * one sentence on standard error and a non-zero status. */
static void
test_command_line (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-recording-window-XXXXXX");
  g_autofree char *missing = g_build_filename (dir, "missing.jsonl", NULL);
  g_autofree char *demo = g_build_filename (dir, "demo.jsonl", NULL);
  g_autofree char *cut = data_path ("timeline-drops.sonde.jsonl");
  g_autoptr(GFile) file = g_file_new_for_path (cut);
  const char *args[] = { NULL };
  SondeTestRun run = { 0 };
  GtkWindow *window;
  SondeTab *tab;

  g_assert_cmpint (sonde_test_run_sonde (&run, missing, args), ==, 1);
  g_assert_nonnull (strstr (run.err, "there is no such file"));
  g_assert_nonnull (strstr (run.err, "missing.jsonl"));
  sonde_test_run_clear (&run);

  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SONDE_IS_WINDOW (window));
  tab = sonde_window_get_current_tab (SONDE_WINDOW (window));
  g_assert_nonnull (sonde_tab_get_loader (tab));
  SONDE_TEST_WAIT_UNTIL (tab_loaded (tab), WAIT_MS);
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_tab_get_log (tab)), >, 0);

  destroy_window (SONDE_WINDOW (window));
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* The recent files go to a folder of the test's own, not the user's. */
  data_home = sonde_test_tmp_dir_new ("sonde-recording-window-data-XXXXXX");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);

  app = sonde_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sonde_application_get_settings (app));

  g_test_add_func ("/sonde/recording-window/save-open", test_save_open);
  g_test_add_func ("/sonde/recording-window/close-without-asking", test_close_without_asking);
  g_test_add_func ("/sonde/recording-window/truncated", test_truncated);
  g_test_add_func ("/sonde/recording-window/har-two-streams", test_har_two_streams);
  g_test_add_func ("/sonde/recording-window/command-line", test_command_line);
  g_test_add_func ("/sonde/recording-window/timeline-names", test_timeline_names);

  status = g_test_run ();

  g_object_unref (app);
  sonde_test_tmp_dir_free (g_steal_pointer (&data_home));

  return status;
}

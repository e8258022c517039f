/* test-compare-page.c: the Compare tab under Xvfb: a run fills every timeline, the table; exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include <json-glib/json-glib.h>

#include "sonde-application.h"
#include "sonde-compare-page.h"
#include "sonde-mock-host.h"
#include "sonde-recording-reader.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-timeline-view.h"
#include "sonde-window.h"

#define RUN_WAIT_MS 60000

static gpointer
template_child (SondeComparePage *page,
                const char       *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (page), SONDE_TYPE_COMPARE_PAGE,
                                                   name);

  if (object == NULL)
    g_error ("no template child %s", name);
  return object;
}

static gboolean
page_idle (gpointer data)
{
  return !sonde_compare_page_get_running (data);
}

/* With SONDE_TEST_SCREENSHOTS=DIR, the window as it looks, saved as DIR/NAME
 * (to read the page as a person would; nothing is asserted on it). */
static void
maybe_screenshot (GtkWidget  *window,
                  const char *name)
{
  const char *dir = g_getenv ("SONDE_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;
  sonde_test_spin (500);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Six SSE events of 20 to 70 bytes 10 ms apart, then one at 30 s that no run
 * reaches: every transport gets the same six, whatever the machine's load. */
static char *
write_known_recording (const char *dir)
{
  static const char * const times[] = { "0.001", "0.01", "0.02", "0.03", "0.04", "0.05", "30" };
  g_autoptr(GString) text = g_string_new (NULL);
  char *path = g_build_filename (dir, "known.sonde.jsonl", NULL);

  g_string_append (text, "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\","
                         "\"url\":\"http://127.0.0.1:1/sse\","
                         "\"started_at\":\"2026-11-29T00:00:00.000Z\"}\n");
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *data = g_strnfill (20 + i * 10, (char)('a' + i));
      g_autofree char *block = g_strdup_printf ("id: %u\ndata: %s\n\n", i, data);
      g_autofree char *raw = g_base64_encode ((const guchar *)block, strlen (block));

      g_string_append_printf (text, "{\"seq\":%u,\"t\":%s,\"dir\":\"in\",\"kind\":\"sse\","
                                    "\"event\":\"message\",\"data\":\"%s\",\"id\":\"%u\","
                                    "\"raw\":\"%s\"}\n", i, times[i], data, i, raw);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return path;
}

/* The rows whose figures do not depend on the machine's timing or ports. */
static const char * const deterministic_rows[] = {
  "Source", "Messages (text / binary)", "Payload bytes (text / binary)", "Framing per text message",
  "Framing per binary message", "Messages lost", "Messages repeated", "Drops", "HTTP version",
  "Response", "Compression", "How it sends", NULL
};

/* The text of the table's cell in the row labelled @label, column @column (1: SSE). */
static const char *
table_cell (SondeComparePage *page,
            const char       *label,
            int               column)
{
  GtkGrid *grid = template_child (page, "table_grid");

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int col, row;
      GtkWidget *cell;

      gtk_grid_query_child (grid, child, &col, &row, NULL, NULL);
      /* Section headings sit in the first column too. */
      if (col != 0 || gtk_widget_has_css_class (child, "heading") ||
          !g_str_equal (gtk_label_get_text (GTK_LABEL (child)), label))
        continue;
      cell = gtk_grid_get_child_at (grid, column, row);
      g_assert_nonnull (cell);
      return gtk_label_get_text (GTK_LABEL (cell));
    }
  g_error ("no row %s in the table", label);
}

/* `sonde compare ARGS --format json` prints, for the deterministic rows, what
 * the window's table shows. */
static void
assert_same_as_cli (SondeComparePage   *page,
                    const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  SondeTestRun run;
  guint checked = 0;

  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, (gpointer)"--format");
  g_ptr_array_add (argv, (gpointer)"json");
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (sonde_test_run_sonde (&run, "compare", (const char * const *)argv->pdata), ==,
                   0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  rows = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *label = json_object_get_string_member (row, "label");

      if (!g_strv_contains (deterministic_rows, label))
        continue;
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        {
          const char *cli = json_object_get_string_member (row, sonde_compare_transport_name (t));

          g_test_message ("%s, %s: window %s, command line %s", label,
                          sonde_compare_transport_name (t), table_cell (page, label, 1 + t), cli);
          g_assert_cmpstr (table_cell (page, label, 1 + t), ==, cli);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, (G_N_ELEMENTS (deterministic_rows) - 1) * 3);
  sonde_test_run_clear (&run);
}

/* A recording chosen (as the file chooser would), run from the setup page:
 * the table shows what `sonde compare RECORDING` prints; Change Setup goes
 * back to the form. */
static void
test_recording (void)
{
  GtkWidget *window = gtk_window_new ();
  SondeComparePage *page = SONDE_COMPARE_PAGE (sonde_compare_page_new ());
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-test-compare-page-XXXXXX");
  g_autofree char *path = write_known_recording (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkStack *stack = template_child (page, "stack");
  const char * const args[] = { path, "--duration", "1", NULL };
  gboolean valid;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "setup");
  maybe_screenshot (window, "compare-setup.png");

  /* A recording chosen is the feed, named on its row. */
  sonde_compare_page_set_recording_file (page, file);
  g_assert_true (gtk_check_button_get_active (template_child (page, "recording_check")));
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (page, "recording_row")), ==,
                   "known.sonde.jsonl");
  /* A drop every 0.01 s is refused with core's words, as `sonde compare` says it. */
  gtk_spin_button_set_value (template_child (page, "drop_spin"), 0.01);
  g_object_get (page, "setup-valid", &valid, NULL);
  g_assert_false (valid);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (template_child (page, "setup_message")),
                                   "Drop every is 0.01 s; give 0 (never)"));
  g_assert_false (gtk_widget_is_sensitive (template_child (page, "compare_button")));
  gtk_spin_button_set_value (template_child (page, "drop_spin"), 0);
  gtk_spin_button_set_value (template_child (page, "duration_spin"), 1);
  g_object_get (page, "setup-valid", &valid, NULL);
  g_assert_true (valid);

  gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "results");
  g_assert_true (sonde_test_wait_until (page_idle, page, RUN_WAIT_MS));
  g_assert_true (sonde_comparison_get_controlled (sonde_compare_page_get_comparison (page)));
  g_assert_cmpstr (table_cell (page, "Messages (text / binary)", 1), ==, "6 / 0");
  maybe_screenshot (window, "compare-results.png");
  assert_same_as_cli (page, args);

  /* Back to the setup, which kept what was set. */
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.setup", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "setup");
  g_assert_true (gtk_check_button_get_active (template_child (page, "recording_check")));

  gtk_window_destroy (GTK_WINDOW (window));
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Started;

static void
host_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Started *started = user_data;

  started->ok = sonde_mock_host_start_finish (SONDE_MOCK_HOST (object), result, &started->error);
  started->done = TRUE;
}

/* A mock server on 127.0.0.1 replaying @recording once, on a thread of its
 * own: on this one, which draws the window (llvmpipe under a loaded Xvfb can
 * hold it for seconds), its messages would go out late, and a run against
 * URLs, which cannot wait for a feed it does not control, would measure the
 * test's drawing. */
static SondeMockHost *
start_host (SondeEventLog *recording)
{
  SondeMockHost *host = sonde_mock_host_new_for_log (recording);
  Started started = { 0 };

  g_object_set (host, "loop", FALSE, NULL);
  sonde_mock_host_start_async (host, NULL, host_started_cb, &started);
  SONDE_TEST_WAIT_UNTIL (started.done, RUN_WAIT_MS);
  g_assert_no_error (started.error);
  g_assert_true (started.ok);
  return host;
}

/* URLs of a Sonde mock server the test runs on 127.0.0.1: a feed the run
 * does not control. Each URL is judged as it is typed; the table says the
 * feed was not controlled and shows what `sonde compare --sse … --ws …
 * --poll …` prints against the same server. */
static void
test_urls (void)
{
  GtkWidget *window = gtk_window_new ();
  SondeComparePage *page = SONDE_COMPARE_PAGE (sonde_compare_page_new ());
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-test-compare-page-XXXXXX");
  g_autofree char *path = write_known_recording (dir);
  g_autoptr(SondeEventLog) recording = sonde_event_log_new ();
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(SondeMockHost) server = NULL;
  g_autoptr(GError) error = NULL;
  char *urls[SONDE_COMPARE_N_TRANSPORTS] = { NULL };
  GtkWidget *sse_entry = template_child (page, "sse_url_entry");
  GtkLabel *url_message = template_child (page, "url_message");
  gboolean valid;

  reader = sonde_recording_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_recording_reader_load (reader, recording, &error));
  server = start_host (recording);
  urls[SONDE_COMPARE_SSE] = sonde_mock_host_get_url (server, "http", "/sse");
  urls[SONDE_COMPARE_WS] = sonde_mock_host_get_url (server, "ws", "/ws");
  urls[SONDE_COMPARE_POLL] = sonde_mock_host_get_url (server, "http", "/poll");

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (template_child (page, "urls_group")));
  gtk_check_button_set_active (template_child (page, "urls_check"), TRUE);
  g_assert_true (gtk_widget_get_visible (template_child (page, "urls_group")));
  /* Nothing typed yet: not ready, and the page says what is missing. */
  g_object_get (page, "setup-valid", &valid, NULL);
  g_assert_false (valid);
  g_assert_cmpstr (gtk_label_get_text (template_child (page, "setup_message")), ==,
                   "Enter a URL for SSE, or switch it off");

  /* As it is typed: TLS cannot be counted by the relay. */
  gtk_editable_set_text (GTK_EDITABLE (sse_entry), "https://127.0.0.1/sse");
  g_assert_true (gtk_widget_has_css_class (sse_entry, "error"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_message), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (url_message), "http://"));
  maybe_screenshot (window, "compare-setup-urls.png");
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    gtk_editable_set_text (GTK_EDITABLE (template_child (page, t == SONDE_COMPARE_SSE
                                                                 ? "sse_url_entry"
                                                               : t == SONDE_COMPARE_WS
                                                                 ? "ws_url_entry"
                                                                 : "poll_url_entry")),
                           urls[t]);
  g_assert_false (gtk_widget_has_css_class (sse_entry, "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_message), "error"));
  /* Drops and pace belong to the built-in mock server. */
  g_assert_false (gtk_widget_get_sensitive (template_child (page, "drop_row")));
  gtk_spin_button_set_value (template_child (page, "duration_spin"), 1);
  g_object_get (page, "setup-valid", &valid, NULL);
  g_assert_true (valid);

  gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL);
  g_assert_true (sonde_test_wait_until (page_idle, page, RUN_WAIT_MS));
  g_assert_false (sonde_comparison_get_controlled (sonde_compare_page_get_comparison (page)));
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    g_test_message ("%s: %s; %s; first event %s, drops %s, lost %s, repeated %s",
                    sonde_compare_transport_name (t), table_cell (page, "Source", 1 + t),
                    table_cell (page, "Messages (text / binary)", 1 + t),
                    table_cell (page, "Time to first event", 1 + t),
                    table_cell (page, "Drops", 1 + t), table_cell (page, "Messages lost", 1 + t),
                    table_cell (page, "Messages repeated", 1 + t));
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_assert_cmpstr (table_cell (page, "Messages (text / binary)", 1 + t), ==, "6 / 0");
      g_assert_true (g_str_has_prefix (table_cell (page, "Source", 1 + t),
                                       "a URL, not controlled"));
    }
  g_assert_nonnull (strstr (gtk_label_get_text (template_child (page, "verdict_label")),
                            "does not control"));
  maybe_screenshot (window, "compare-results-urls.png");
  {
    const char * const args[] = { "--duration", "1", "--sse", urls[0], "--ws", urls[1], "--poll",
                                  urls[2], NULL };

    assert_same_as_cli (page, args);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    g_free (urls[t]);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* Every label of the table with text, and how many of them say how they were measured. */
static void
count_cells (GtkWidget *grid,
             guint     *n_cells,
             guint     *n_tooltips)
{
  *n_cells = *n_tooltips = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_assert_true (GTK_IS_LABEL (child));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child)), !=, "");
      (*n_cells)++;
      *n_tooltips += gtk_widget_get_tooltip_text (child) != NULL;
    }
}

static void
compare_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  AdwTabView *view = sonde_window_get_tab_view (window);
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-test-compare-page-XXXXXX");
  g_autofree char *md_path = g_build_filename (dir, "table.md", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "table.csv", NULL);
  g_autofree char *png_path = g_build_filename (dir, "timelines.png", NULL);
  g_autoptr(GFile) md = g_file_new_for_path (md_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  SondeComparePage *page;
  SondeComparison *comparison;
  guint n_pages = adw_tab_view_get_n_pages (view);
  guint n_cells, n_tooltips, n_rows;
  gsize len;

  /* New Comparison in the primary menu opens a Compare tab and selects it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-comparison", NULL);
  g_assert_cmpuint (adw_tab_view_get_n_pages (view), ==, n_pages + 1);
  page = SONDE_COMPARE_PAGE (adw_tab_page_get_child (adw_tab_view_get_selected_page (view)));
  g_assert_true (SONDE_IS_COMPARE_PAGE (page));
  /* A comparison tab is no connection tab: the window's tab actions leave it alone. */
  g_assert_null (sonde_window_get_current_tab (window));
  g_assert_null (sonde_compare_page_get_comparison (page));
  maybe_screenshot (GTK_WIDGET (window), "compare-tab.png");

  gtk_spin_button_set_value (template_child (page, "duration_spin"), 1.5);
  gtk_spin_button_set_value (template_child (page, "speed_spin"), 4);
  gtk_spin_button_set_value (template_child (page, "send_spin"), 0.5);
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL);
  g_assert_true (sonde_compare_page_get_running (page));
  g_assert_true (sonde_test_wait_until (page_idle, page, RUN_WAIT_MS));

  /* Every timeline filled, from its own transport's log. */
  comparison = sonde_compare_page_get_comparison (page);
  g_assert_cmpint (sonde_comparison_get_elapsed (comparison), >, 0);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      SondeTimelineView *timeline = SONDE_TIMELINE_VIEW (sonde_compare_page_get_timeline (page, t));
      SondeEventLog *log = sonde_timeline_view_get_log (timeline);
      SondeTimelineChart *chart = sonde_timeline_view_get_chart (timeline);
      gint64 from_us, to_us;

      g_assert_true (log == sonde_comparison_get_log (comparison, t));
      g_assert_cmpuint (sonde_event_log_get_n_received (log), >, 0);
      g_assert_nonnull (sonde_timeline_chart_get_summary (chart));
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (timeline)));
      /* One time axis for all. */
      sonde_timeline_chart_get_range (chart, &from_us, &to_us);
      g_assert_cmpint (from_us, ==, 0);
      g_assert_cmpint (to_us, >=, sonde_comparison_get_elapsed (comparison));
    }

  /* The table: a heading per transport, a label and a figure per transport for
   * every row, each figure with its tooltip; and the verdict. */
  n_rows = sonde_comparison_get_n_rows (comparison);
  count_cells (template_child (page, "table_grid"), &n_cells, &n_tooltips);
  g_assert_cmpuint (n_cells, >=, 3 + n_rows * 4);
  g_assert_cmpuint (n_tooltips, ==, n_rows * 4);
  g_assert_cmpuint (strlen (gtk_label_get_text (template_child (page, "verdict_label"))), >, 80);
  maybe_screenshot (GTK_WIDGET (window), "compare-tab-results.png");

  /* The exports: Markdown, CSV, one picture. */
  g_assert_true (sonde_compare_page_write_table (page, md, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (md_path, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "| Measured | SSE | WebSocket | Long polling |"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (sonde_compare_page_write_table (page, csv, &error));
  g_assert_true (g_file_get_contents (csv_path, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "\"Section\",\"Measured\","));
  g_clear_pointer (&contents, g_free);
  g_assert_true (sonde_compare_page_write_timelines (page, png, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png_path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_compare_tab (void)
{
  sonde_test_run_in_application (compare_body);
}

static gboolean
stop_cb (gpointer data)
{
  gtk_widget_activate_action (GTK_WIDGET (data), "compare.stop", NULL);
  return G_SOURCE_REMOVE;
}

/* Presses Stop after @ms of the run, and returns once the page finishes. */
static void
stop_later (SondeComparePage *page,
            guint             ms)
{
  gboolean finishing = FALSE;

  g_timeout_add (ms, stop_cb, page);
  while (!finishing)
    {
      g_assert_true (sonde_compare_page_get_running (page));
      g_main_context_iteration (NULL, TRUE);
      g_object_get (page, "finishing", &finishing, NULL);
    }
}

/* Stop ends the feed, shows that the run is finishing, waits for every
 * transport to receive the last message sent (under drops, one may be in its
 * reconnect wait), and then measures: none lost, all the same messages. */
static void
test_stop (void)
{
  GtkWidget *window = gtk_window_new ();
  SondeComparePage *page = SONDE_COMPARE_PAGE (sonde_compare_page_new ());
  g_autoptr(SondeEventLog) recording = sonde_test_steady_recording (300);
  SondeComparison *comparison;
  gboolean finishing = FALSE;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  sonde_compare_page_set_recording (page, recording, "steady");
  gtk_spin_button_set_value (template_child (page, "duration_spin"), 600);
  gtk_spin_button_set_value (template_child (page, "drop_spin"), 0.7);
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL);
  stop_later (page, 1600);
  /* Visible while it waits, and Stop cannot be pressed twice. */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (template_child (page, "status_label")),
                                   "Finishing: the feed has ended"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (template_child (page, "stop_button"))));
  g_assert_true (sonde_test_wait_until (page_idle, page, RUN_WAIT_MS));
  g_object_get (page, "finishing", &finishing, NULL);
  g_assert_false (finishing);

  comparison = sonde_compare_page_get_comparison (page);
  sonde_test_assert_all_received (comparison);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Stop against URLs (a feed the run cannot end): SSE and WebSocket read
 * server A, long polling server B, whose feed has one message more. Stop
 * says it waits for every transport to have the last message any other has
 * (it never comes: it waits its 2 s), and the table compares the five all
 * received: the sixth is left out for long polling, lost for none. */
static void
test_stop_urls (void)
{
  const char * const a_texts[] = { "m0", "m1", "m2", "m3", "m4", NULL };
  const char * const b_texts[] = { "m0", "m1", "m2", "m3", "m4", "m5", NULL };
  g_autoptr(SondeEventLog) a_log = sonde_test_text_recording (a_texts);
  g_autoptr(SondeEventLog) b_log = sonde_test_text_recording (b_texts);
  g_autoptr(SondeMockHost) a = start_host (a_log);
  g_autoptr(SondeMockHost) b = start_host (b_log);
  g_autofree char *sse_url = sonde_mock_host_get_url (a, "http", "/sse");
  g_autofree char *ws_url = sonde_mock_host_get_url (a, "ws", "/ws");
  g_autofree char *poll_url = sonde_mock_host_get_url (b, "http", "/poll");
  GtkWidget *window = gtk_window_new ();
  SondeComparePage *page = SONDE_COMPARE_PAGE (sonde_compare_page_new ());

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  gtk_check_button_set_active (template_child (page, "urls_check"), TRUE);
  gtk_editable_set_text (template_child (page, "sse_url_entry"), sse_url);
  gtk_editable_set_text (template_child (page, "ws_url_entry"), ws_url);
  gtk_editable_set_text (template_child (page, "poll_url_entry"), poll_url);
  gtk_spin_button_set_value (template_child (page, "duration_spin"), 600);
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL);
  g_assert_true (sonde_compare_page_get_running (page));
  stop_later (page, 1000);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (template_child (page, "status_label")),
                                   "Finishing: waiting up to 2 s for every transport"));
  g_assert_true (sonde_test_wait_until (page_idle, page, RUN_WAIT_MS));

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_assert_cmpstr (table_cell (page, "Messages (text / binary)", 1 + t), ==, "5 / 0");
      g_assert_cmpstr (table_cell (page, "Messages lost", 1 + t), ==, "0");
    }
  g_assert_cmpstr (table_cell (page, "Source", 1), ==, "a URL, not controlled; nothing left out");
  g_assert_cmpstr (table_cell (page, "Source", 3), ==,
                   "a URL, not controlled; 1 message left out (outside the range all received)");
  g_assert_nonnull (strstr (gtk_label_get_text (template_child (page, "verdict_label")),
                            "(1 message at the edges was left out)"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The mnemonics of every label under @widget, lower case, each must be new to @seen. */
static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));

      if (keyval != GDK_KEY_VoidSymbol)
        {
          g_test_message ("mnemonic %s: %s", gdk_keyval_name (keyval),
                          gtk_label_get_label (GTK_LABEL (widget)));
          g_assert_false (g_hash_table_contains (seen, GUINT_TO_POINTER (keyval)));
          g_hash_table_add (seen, GUINT_TO_POINTER (keyval));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen);
}

/* Alt and a letter reaches one control of the page: no two share a mnemonic
 * (Speed and Stop both had S). */
static void
test_mnemonics (void)
{
  GtkWidget *window = gtk_window_new ();
  SondeComparePage *page = SONDE_COMPARE_PAGE (sonde_compare_page_new ());
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  collect_mnemonics (GTK_WIDGET (page), seen);
  g_assert_cmpuint (g_hash_table_size (seen), >=, 17);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The same in German: the translations' mnemonics differ from each other too. */
static void
test_mnemonics_de (void)
{
  sonde_test_use_german ();
  test_mnemonics ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/compare-page/compare-tab", test_compare_tab);
  g_test_add_func ("/sonde/compare-page/stop", test_stop);
  g_test_add_func ("/sonde/compare-page/recording", test_recording);
  g_test_add_func ("/sonde/compare-page/urls", test_urls);
  g_test_add_func ("/sonde/compare-page/stop-urls", test_stop_urls);
  g_test_add_func ("/sonde/compare-page/mnemonics", test_mnemonics);
  /* Last: it leaves the process in German. */
  g_test_add_func ("/sonde/compare-page/mnemonics-de", test_mnemonics_de);

  return g_test_run ();
}

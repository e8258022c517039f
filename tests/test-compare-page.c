/* test-compare-page.c: the Compare tab under Xvfb: a run fills every timeline, the table; exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-compare-page.h"
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

  g_assert_nonnull (object);
  return object;
}

static gboolean
page_idle (gpointer data)
{
  return !sonde_compare_page_get_running (data);
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

/* Stop ends a run at once and measures what ran. */
static void
test_stop (void)
{
  GtkWidget *window = gtk_window_new ();
  SondeComparePage *page = SONDE_COMPARE_PAGE (sonde_compare_page_new ());

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  gtk_spin_button_set_value (template_child (page, "duration_spin"), 600);
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL);
  sonde_test_spin (500);
  g_assert_true (sonde_compare_page_get_running (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "compare.stop", NULL);
  g_assert_true (sonde_test_wait_until (page_idle, page, RUN_WAIT_MS));
  g_assert_cmpint (sonde_comparison_get_elapsed (sonde_compare_page_get_comparison (page)), <,
                   60 * G_USEC_PER_SEC);
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
  g_assert_cmpuint (g_hash_table_size (seen), >=, 8);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/compare-page/compare-tab", test_compare_tab);
  g_test_add_func ("/sonde/compare-page/stop", test_stop);
  g_test_add_func ("/sonde/compare-page/mnemonics", test_mnemonics);

  return g_test_run ();
}

/* test-inspector-layout.c: what a tab's inspector shows, and what it offers, in each state
 *
 * The proportions of the inspector at the window's default size (the list is
 * what people open Sonde to watch), and the state a tab tells in more than
 * one place (actions, Jump to Live, status line and list) saying one thing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <locale.h>

#include "sonde-details-pane.h"
#include "sonde-entry-text.h"
#include "sonde-event-list.h"
#include "sonde-inspector.h"
#include "sonde-session.h"
#include "sonde-status-line.h"
#include "sonde-tab.h"
#include "sonde-timeline-chart.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"

#define wait_until(cond) SONDE_TEST_WAIT_UNTIL (cond, 20000)

static SondeEventList *
tab_list (SondeTab *tab)
{
  return SONDE_EVENT_LIST (sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                                       SONDE_TYPE_EVENT_LIST));
}

/* The rows of @list wholly in sight; with @seq, only the one of that entry
 * (its first cell, #, shows the number). */
static guint
count_visible_rows (SondeEventList *list,
                    const char     *seq)
{
  GtkWidget *view = sonde_test_find_descendant (GTK_WIDGET (list), GTK_TYPE_LIST_VIEW);
  double height = gtk_widget_get_height (view);
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (view); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_mapped (row) || !gtk_widget_compute_bounds (row, view, &bounds) ||
          bounds.size.height < 1 || bounds.origin.y < -0.5 ||
          bounds.origin.y + bounds.size.height > height + 0.5)
        continue;
      if (seq != NULL)
        {
          GtkWidget *cell = sonde_test_find_descendant (row, GTK_TYPE_INSCRIPTION);

          if (cell == NULL ||
              g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), seq) != 0)
            continue;
        }
      n++;
    }

  return n;
}

/* How many pixels high the timeline's rate graph of @tab is where it is
 * highest: the rows whose tooltip gives a rate, in the tallest column. */
static int
rate_graph_height (SondeTab *tab)
{
  GtkWidget *chart = sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                                 SONDE_TYPE_TIMELINE_CHART);
  int width = gtk_widget_get_width (chart);
  int height = gtk_widget_get_height (chart);
  int best = 0;

  for (int x = 0; x < width; x += 3)
    {
      int n = 0;

      for (int y = 0; y < height; y++)
        {
          g_autofree char *text =
            sonde_timeline_chart_describe_at (SONDE_TIMELINE_CHART (chart), x, y);

          n += text != NULL && strstr (text, " events/s, ") != NULL;
        }
      best = MAX (best, n);
    }
  return best;
}

static GtkWidget *
tab_details (SondeTab *tab)
{
  return sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                     SONDE_TYPE_DETAILS_PANE);
}

/* The window's size without its shadow, as the window manager sees it:
 * what it was given, not more (the content's minimum did not push it). */
static void
assert_window_size (SondeWindow *window,
                    int          width,
                    int          height)
{
  int default_width, default_height;

  gtk_window_get_default_size (GTK_WINDOW (window), &default_width, &default_height);
  g_assert_cmpint (default_width, ==, width);
  g_assert_cmpint (default_height, ==, height);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, height);
}

/* A row of the list chosen as a click chooses it. */
static void
click_row (SondeEventList *list,
           guint           position)
{
  GtkWidget *view = sonde_test_find_descendant (GTK_WIDGET (list), GTK_TYPE_LIST_VIEW);

  g_assert_true (gtk_widget_activate_action (view, "list.select-item", "(ubb)", position, FALSE,
                                             FALSE));
  wait_until (sonde_event_list_get_selected_entry (list) != NULL);
}

/* The demo at the window's default size, 1080 x 720: both tabs show at
 * least 12 rows while nothing is selected (before: 6 in the SSE tab, 3 in
 * the WebSocket tab, the details pane taking 160 px or more from the
 * start; 18 and 16 now, 19 and 17 with the timeline at 104 px). The
 * timeline's rate graph is tall enough to read, 20 px or more (at 104 px it
 * had 14). A selected entry brings the details, and its row stays in sight
 * with a few others. At 800 x 600 the timeline keeps its graph. */
static void
visible_rows_body (SondeApplication *app)
{
  SondeWindow *window;
  AdwTabView *view;

  window = sonde_test_open_demo (app);
  view = sonde_window_get_tab_view (window);

  for (int i = 0; i < 2; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (view, i);
      SondeTab *tab = SONDE_TAB (adw_tab_page_get_child (page));
      SondeEventList *list;
      guint selected;
      guint n;

      adw_tab_view_set_selected_page (view, page);
      wait_until (sonde_tab_get_inspector (tab) != NULL &&
                  gtk_widget_get_mapped (GTK_WIDGET (sonde_tab_get_inspector (tab))));
      list = tab_list (tab);
      /* More entries than the list can show at once. */
      wait_until (g_list_model_get_n_items (sonde_event_list_get_model (list)) > 40);
      sonde_test_settle (GTK_WIDGET (window));
      assert_window_size (window, 1080, 720);

      n = count_visible_rows (list, NULL);
      g_test_message ("tab %d: %u rows in sight", i, n);
      g_assert_cmpuint (n, >=, 12);
      g_assert_false (gtk_widget_get_mapped (tab_details (tab)));
      g_test_message ("tab %d: rate graph %d px high", i, rate_graph_height (tab));
      g_assert_cmpint (rate_graph_height (tab), >=, 20);

      /* A row in the middle of those in sight. */
      selected = g_list_model_get_n_items (sonde_event_list_get_model (list)) - n / 2;
      click_row (list, selected);
      sonde_test_settle (GTK_WIDGET (window));
      sonde_test_settle (GTK_WIDGET (window));
      g_assert_true (gtk_widget_get_mapped (tab_details (tab)));
      g_assert_cmpint (gtk_widget_get_height (tab_details (tab)), >=, 100);
      n = count_visible_rows (list, NULL);
      g_test_message ("tab %d: %u rows in sight with the details", i, n);
      g_assert_cmpuint (n, >=, 4);
      /* The row chosen, which the details took the place of, came back in sight. */
      {
        char seq[32];

        g_snprintf (seq, sizeof seq, "%" G_GUINT64_FORMAT,
                    sonde_entry_get_seq (sonde_event_list_get_selected_entry (list)));
        wait_until (count_visible_rows (list, seq) == 1);
      }
      /* The details fit in: the window did not grow for them. */
      assert_window_size (window, 1080, 720);
    }

  /* Smaller, the list gives up rows; the timeline keeps its height. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  sonde_test_settle (GTK_WIDGET (window));
  sonde_test_settle (GTK_WIDGET (window));
  assert_window_size (window, 800, 600);
  for (int i = 0; i < 2; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (view, i);
      SondeTab *tab = SONDE_TAB (adw_tab_page_get_child (page));
      guint n;

      adw_tab_view_set_selected_page (view, page);
      sonde_test_settle (GTK_WIDGET (window));
      n = count_visible_rows (tab_list (tab), NULL);
      /* Measured, not asserted: the details' remembered 200 px and the
       * compose bar leave the list little at this size either way. */
      g_test_message ("tab %d at 800 x 600: %u rows in sight with the details", i, n);
      g_assert_cmpint (rate_graph_height (tab), >=, 20);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_visible_rows (void)
{
  sonde_test_run_in_application (visible_rows_body);
}

/* The heights dragged to are the next tab's: the timeline's at once, the
 * details' once an entry is selected. A resize of the window is no drag. */
static void
remembered_heights_body (SondeApplication *app)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  SondeWindow *window;
  AdwTabView *view;
  SondeTab *tab;
  SondeEventList *list;
  GtkPaned *timeline_paned;
  GtkPaned *paned;
  int height;

  g_settings_set_int (settings, "timeline-height", 90);
  g_settings_set_int (settings, "details-height", 150);

  window = sonde_test_open_demo (app);
  view = sonde_window_get_tab_view (window);
  tab = SONDE_TAB (adw_tab_page_get_child (adw_tab_view_get_selected_page (view)));
  wait_until (sonde_tab_get_inspector (tab) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (sonde_tab_get_inspector (tab))));
  list = tab_list (tab);
  wait_until (g_list_model_get_n_items (sonde_event_list_get_model (list)) > 20);
  sonde_test_settle (GTK_WIDGET (window));

  timeline_paned = GTK_PANED (sonde_test_find_descendant (
                                GTK_WIDGET (sonde_tab_get_inspector (tab)), GTK_TYPE_PANED));
  paned = GTK_PANED (gtk_paned_get_end_child (timeline_paned));
  g_assert_cmpint (gtk_paned_get_position (timeline_paned), ==, 90);

  click_row (list, 5);
  sonde_test_settle (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (paned)) - gtk_paned_get_position (paned),
                   ==, 150);

  /* Dragged (the paned's own keyboard and pointer moves set its position). */
  gtk_paned_set_position (timeline_paned, 120);
  gtk_paned_set_position (paned, gtk_widget_get_height (GTK_WIDGET (paned)) - 180);
  wait_until (g_settings_get_int (settings, "timeline-height") == 120 &&
              g_settings_get_int (settings, "details-height") == 180);

  /* A smaller window squeezes the list, not the timeline or the details. */
  height = gtk_widget_get_height (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 660);
  wait_until (gtk_widget_get_height (GTK_WIDGET (window)) == height - 60);
  sonde_test_settle (GTK_WIDGET (window));
  g_assert_cmpint (gtk_paned_get_position (timeline_paned), ==, 120);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (paned)) - gtk_paned_get_position (paned),
                   ==, 180);
  sonde_test_spin (600);
  g_assert_cmpint (g_settings_get_int (settings, "timeline-height"), ==, 120);
  g_assert_cmpint (g_settings_get_int (settings, "details-height"), ==, 180);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "timeline-height");
  g_settings_reset (settings, "details-height");
}

static void
test_remembered_heights (void)
{
  sonde_test_run_in_application (remembered_heights_body);
}

/* A WebSocket that nothing answers (port 1 of loopback) fails for good
 * (WebSocket tabs do not reconnect by default): one `error` row. Nothing is
 * left to disconnect, and with one row there is no live edge to jump to. */
static void
failed_tab_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeTab *tab = sonde_test_open_url (window, "ws://127.0.0.1:1/socket");
  GtkWidget *inspector = GTK_WIDGET (sonde_tab_get_inspector (tab));
  GtkWidget *disconnect = sonde_test_find_button (inspector, "tab.disconnect", NULL);
  GtkWidget *reconnect = sonde_test_find_button (inspector, "tab.reconnect", NULL);
  GtkWidget *jump = sonde_test_find_button (inspector, "event-list.jump-to-live", NULL);
  SondeEventList *list = tab_list (tab);
  GtkWidget *rows;

  g_assert_nonnull (disconnect);
  g_assert_nonnull (reconnect);
  g_assert_nonnull (jump);
  wait_until (sonde_tab_get_state (tab) == SONDE_CONNECTION_FAILED);
  wait_until (g_list_model_get_n_items (sonde_event_list_get_model (list)) >= 1);
  sonde_test_settle (GTK_WIDGET (window));

  g_assert_false (gtk_widget_is_sensitive (disconnect));
  g_assert_true (gtk_widget_is_sensitive (reconnect));
  g_assert_false (gtk_widget_get_mapped (jump));

  /* Selecting the row stops following, but everything is in sight and nothing
   * newer comes: Jump to Live would do nothing, so it stays away. */
  /* As a click does: through the list view's own action. */
  rows = sonde_test_find_descendant (GTK_WIDGET (list), GTK_TYPE_LIST_VIEW);
  g_assert_true (gtk_widget_activate_action (rows, "list.select-item", "(ubb)", 0, FALSE, FALSE));
  wait_until (sonde_event_list_get_selected_entry (list) != NULL);
  sonde_test_settle (GTK_WIDGET (window));
  g_assert_false (sonde_event_list_get_following (list));
  g_assert_false (gtk_widget_get_mapped (jump));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_failed_tab (void)
{
  sonde_test_run_in_application (failed_tab_body);
}

/* The texts of the list's cells now on screen that start with @prefix. */
static void
collect_cells (GtkWidget  *widget,
               const char *prefix,
               GPtrArray  *texts)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL &&
      g_str_has_prefix (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), prefix))
    g_ptr_array_add (texts, g_strdup (gtk_inscription_get_text (GTK_INSCRIPTION (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cells (child, prefix, texts);
}

/* A stream that drops after a few events: while the tab waits, the status
 * line tells the wait in the words and with the number of its `reconnect`
 * row, then why. */
static void
wait_words_body (SondeApplication *app)
{
  static const char * const args[] = { "--speed", "0", "--drop-after", "5", "--retry", "1500",
                                       NULL };
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autofree char *url = NULL;
  GSubprocess *serve = sonde_test_serve_start (args, &url, NULL);
  SondeTab *tab = sonde_test_open_url (window, url);
  SondeEventList *list = tab_list (tab);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *status = NULL;
  gboolean agree = FALSE;

  /* Both read in one turn of the main loop, while the tab waits. */
  wait_until (sonde_tab_get_state (tab) == SONDE_CONNECTION_WAITING &&
              (g_ptr_array_set_size (rows, 0),
               collect_cells (GTK_WIDGET (list), "Reconnecting in ", rows),
               rows->len > 0));
  status = g_strdup (sonde_test_status_text (tab));

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s: ", (char *) rows->pdata[i]);

      agree |= g_str_has_prefix (status, expected);
    }
  if (!agree)
    g_error ("the status line says “%s”, the list “%s”", status, (char *) rows->pdata[0]);
  g_assert_true (g_str_has_prefix (status, "Reconnecting in "));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  sonde_test_serve_stop (serve);
}

static void
test_wait_words (void)
{
  sonde_test_run_in_application (wait_words_body);
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C.UTF-8");
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/inspector-layout/visible-rows", test_visible_rows);
  g_test_add_func ("/sonde/inspector-layout/remembered-heights", test_remembered_heights);
  g_test_add_func ("/sonde/inspector-layout/failed-tab", test_failed_tab);
  g_test_add_func ("/sonde/inspector-layout/wait-words", test_wait_words);

  return g_test_run ();
}

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

#include "sonde-entry-text.h"
#include "sonde-event-list.h"
#include "sonde-inspector.h"
#include "sonde-session.h"
#include "sonde-status-line.h"
#include "sonde-tab.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"

#define wait_until(cond) SONDE_TEST_WAIT_UNTIL (cond, 20000)

static SondeEventList *
tab_list (SondeTab *tab)
{
  return SONDE_EVENT_LIST (sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                                       SONDE_TYPE_EVENT_LIST));
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

/* A stream that drops after a few events: while the tab waits, the status line tells the wait in the
 * words and with the number of its `reconnect` row, then why. */
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

  g_test_add_func ("/sonde/inspector-layout/failed-tab", test_failed_tab);
  g_test_add_func ("/sonde/inspector-layout/wait-words", test_wait_words);

  return g_test_run ();
}

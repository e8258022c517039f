/* test-window-layout.c: the window as a new user meets it, in English and German
 *
 * Checks what a person trips over rather than what a unit does: two controls
 * on screen that answer the same Alt key (the second one then only takes the
 * focus), and a choice whose words are cut off. Each check runs on the real
 * window at its default size, once untranslated and once with the German
 * catalogue of the build tree (po/de.po, compiled by `meson compile`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "sonde-connect-page.h"
#include "sonde-event-list.h"
#include "sonde-filter-bar.h"
#include "sonde-inspector.h"
#include "sonde-session.h"
#include "sonde-tab.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"

#define wait_until(cond) SONDE_TEST_WAIT_UNTIL (cond, 20000)

/* Every mnemonic under @widget that a person can press now (its label is on
 * screen), as keyval -> the label's text; two on one key fail the test. */
static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      const char *other;

      if (keyval != GDK_KEY_VoidSymbol)
        {
          other = g_hash_table_lookup (seen, GUINT_TO_POINTER (keyval));
          if (other != NULL)
            g_error ("Alt+%s is both “%s” and “%s”", gdk_keyval_name (keyval), other, text);
          g_hash_table_insert (seen, GUINT_TO_POINTER (keyval), (gpointer) text);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen);
}

static gboolean
tab_is_live (SondeTab *tab)
{
  SondeSession *session = sonde_tab_get_session (tab);

  return session != NULL && sonde_session_get_state (session) == SONDE_CONNECTION_OPEN &&
         sonde_session_get_n_entries (session) >= 10;
}

/* Both demo tabs, each with everything its inspector can show at once: an
 * entry selected (details pane, and "Jump to Live" as the list stops
 * following) and the filter bar open. */
static void
mnemonics_body (SondeApplication *app)
{
  SondeWindow *window;
  AdwTabView *view;

  window = sonde_test_open_demo (app);
  view = sonde_window_get_tab_view (window);

  for (int i = 0; i < 2; i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (view, i);
      SondeTab *tab = SONDE_TAB (adw_tab_page_get_child (page));
      GtkWidget *inspector;
      GtkWidget *list;
      GtkWidget *filter_bar;
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

      adw_tab_view_set_selected_page (view, page);
      wait_until (tab_is_live (tab));
      inspector = GTK_WIDGET (sonde_tab_get_inspector (tab));
      wait_until (gtk_widget_get_mapped (inspector));

      list = sonde_test_find_descendant (inspector, SONDE_TYPE_EVENT_LIST);
      wait_until (g_list_model_get_n_items (sonde_event_list_get_model (SONDE_EVENT_LIST (list))) >
                  10);
      g_assert_true (sonde_event_list_select_seq (SONDE_EVENT_LIST (list), 3));
      filter_bar = sonde_test_find_descendant (inspector, SONDE_TYPE_FILTER_BAR);
      g_assert_true (gtk_widget_activate_action (filter_bar, "filter-bar.open", NULL));
      wait_until (!sonde_event_list_get_following (SONDE_EVENT_LIST (list)));
      sonde_test_settle (GTK_WIDGET (window));

      collect_mnemonics (GTK_WIDGET (window), seen);
      /* The details pane's four pages, the sending bar's controls and Jump to Live. */
      g_assert_cmpuint (g_hash_table_size (seen), >=, 7);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+F opens the filter even where the focus starts (the header bar), and
 * at the default width the bar shows its category and direction toggles
 * rather than folding them into a menu. */
static void
filter_bar_body (SondeApplication *app)
{
  SondeWindow *window;
  AdwTabView *view;
  SondeTab *tab;
  GtkWidget *filter_bar;
  GtkWidget *menu_button;
  g_autoptr(GtkShortcut) find = NULL;

  window = sonde_test_open_demo (app);
  view = sonde_window_get_tab_view (window);
  tab = SONDE_TAB (adw_tab_page_get_child (adw_tab_view_get_selected_page (view)));
  wait_until (tab_is_live (tab) && gtk_widget_get_mapped (GTK_WIDGET (sonde_tab_get_inspector (tab))));
  filter_bar = sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                           SONDE_TYPE_FILTER_BAR);

  /* The header bar's main menu button (the first menu button in the window). */
  menu_button = sonde_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_true (gtk_widget_grab_focus (menu_button));
  g_assert_false (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)),
                                          GTK_WIDGET (sonde_tab_get_inspector (tab))));
  find = sonde_test_find_shortcut (GTK_WIDGET (window), GDK_KEY_f, GDK_CONTROL_MASK,
                                   GTK_PHASE_BUBBLE);
  g_assert_nonnull (find);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (find), 0,
                                               GTK_WIDGET (window), NULL));
  wait_until (sonde_filter_bar_get_search_mode (SONDE_FILTER_BAR (filter_bar)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), filter_bar));

  sonde_test_settle (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1080);
  g_assert_true (gtk_widget_get_mapped (sonde_test_find_button (filter_bar, NULL, "Data")));
  g_assert_true (gtk_widget_get_mapped (sonde_test_find_button (filter_bar, NULL, "Local")));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The reconnect policy's choices each read in full on the connect page. */
static void
policy_words_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  SondeTab *tab = sonde_window_get_current_tab (window);
  GtkWidget *page = GTK_WIDGET (sonde_tab_get_connect_page (tab));
  AdwComboRow *row = ADW_COMBO_ROW (sonde_test_find_descendant (page, ADW_TYPE_COMBO_ROW));
  GListModel *choices = adw_combo_row_get_model (row);

  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 4);
  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    {
      g_autoptr(GtkStringObject) choice = g_list_model_get_item (choices, i);
      const char *words = gtk_string_object_get_string (choice);
      GtkWidget *current;
      GtkWidget *label;

      adw_combo_row_set_selected (row, i);
      gtk_widget_grab_focus (GTK_WIDGET (row));  /* scrolls it into view */
      sonde_test_settle (GTK_WIDGET (window));

      /* The label that shows the choice in the row itself: the row's first list
       * view (its popover's comes after it). */
      current = sonde_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_LIST_VIEW);
      g_assert_nonnull (current);
      wait_until ((label = sonde_test_find_descendant (current, GTK_TYPE_LABEL)) != NULL);
      wait_until (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), words) == 0 &&
                  gtk_widget_get_mapped (label));
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
        g_error ("the reconnect policy “%s” is cut off", words);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_mnemonics (void)
{
  sonde_test_run_in_application (mnemonics_body);
}

static void
test_filter_bar (void)
{
  sonde_test_run_in_application (filter_bar_body);
}

static void
test_policy_words (void)
{
  sonde_test_run_in_application (policy_words_body);
}

static void
test_mnemonics_de (void)
{
  sonde_test_use_german ();
  test_mnemonics ();
}

static void
test_policy_words_de (void)
{
  sonde_test_use_german ();
  test_policy_words ();
}

int
main (int   argc,
      char *argv[])
{
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C.UTF-8");
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/window-layout/mnemonics", test_mnemonics);
  g_test_add_func ("/sonde/window-layout/policy-words", test_policy_words);
  g_test_add_func ("/sonde/window-layout/filter-bar", test_filter_bar);
  g_test_add_func ("/sonde/window-layout/mnemonics-de", test_mnemonics_de);
  g_test_add_func ("/sonde/window-layout/policy-words-de", test_policy_words_de);

  return g_test_run ();
}

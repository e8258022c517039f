/* test-filter-bar.c: the filter bar over a real list in a real window, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-event-list.h"
#include "sonde-event-log.h"
#include "sonde-filter-bar.h"
#include "sonde-filter-model.h"
#include "sonde-inspector.h"
#include "sonde-json.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-ws-frame.h"

/* Generous: a loaded, shared machine under Xvfb. */
#define WAIT_MS 20000

#define WAIT_UNTIL(cond) SONDE_TEST_WAIT_UNTIL (cond, WAIT_MS)

/* 1 open, 1000 events (every hundredth has "needle"), 5 errors and 5
 * outgoing messages that say "needle" too: 1011 entries, 20 needles. */
#define N_ENTRIES 1011

typedef struct
{
  GtkWindow        *window;
  GtkWidget        *box;
  SondeFilterBar   *bar;
  SondeEventList   *list;
  SondeEventLog    *log;
  SondeFilterModel *model;
} Fixture;

static void
fill_log (SondeEventLog *log)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GString) fields = g_string_new (NULL);

  sonde_event_log_append (log, 0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *raw = g_strdup_printf ("data: item %u%s\n\n", i,
                                              i % 100 == 0 ? " needle" : "");

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                              (const guint8 *)raw, strlen (raw));
    }
  sonde_json_append_member_string (fields, "message", "needle lost");
  for (guint i = 0; i < 5; i++)
    sonde_event_log_append (log, 2000 + i, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL, 0,
                            fields->str, fields->len, NULL, 0);
  sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x1, (const guint8 *)"needle out", 10, TRUE);
  for (guint i = 0; i < 5; i++)
    sonde_event_log_append (log, 3000 + i, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL, 0, NULL, 0,
                            frame->data, frame->len);
  sonde_event_log_flush_notify (log);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->log = sonde_event_log_new ();
  fill_log (f->log);
  f->model = sonde_filter_model_new (f->log);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 500);
  f->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  f->bar = SONDE_FILTER_BAR (sonde_filter_bar_new ());
  f->list = SONDE_EVENT_LIST (sonde_event_list_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (f->list), TRUE);
  gtk_box_append (GTK_BOX (f->box), GTK_WIDGET (f->bar));
  gtk_box_append (GTK_BOX (f->box), GTK_WIDGET (f->list));
  gtk_window_set_child (f->window, f->box);

  sonde_filter_bar_set_model (f->bar, f->model);
  sonde_filter_bar_set_key_capture_widget (f->bar, f->box);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->model));
  gtk_window_present (f->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->list)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->model);
  g_assert_finalize_object (f->log);
}

static GtkWidget *
find_with_class (GtkWidget  *widget,
                 GType       type,
                 const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_has_css_class (child, css_class))
        return child;
      if ((found = find_with_class (child, type, css_class)) != NULL)
        return found;
    }

  return NULL;
}

static GtkEditable *
entry (Fixture *f)
{
  GtkWidget *entry = sonde_test_find_descendant (GTK_WIDGET (f->bar), GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);
  return GTK_EDITABLE (entry);
}

static const char *
count_text (Fixture *f)
{
  GtkWidget *label = find_with_class (GTK_WIDGET (f->bar), GTK_TYPE_LABEL, "numeric");

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

/* What the list shows: the rows of its column view. */
static guint
list_rows (Fixture *f)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (sonde_test_find_descendant (GTK_WIDGET (f->list),
                                                                     GTK_TYPE_COLUMN_VIEW));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static gboolean
settled (Fixture *f)
{
  return !sonde_filter_model_get_scanning (f->model) &&
         (!sonde_filter_model_get_active (f->model) ||
          sonde_filter_model_get_n_scanned (f->model) >= N_ENTRIES);
}

/* Activates the shortcut for @trigger that @widget's controller @name holds,
 * as a key press would. */
static void
press (GtkWidget  *widget,
       const char *controller_name,
       const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          g_strcmp0 (gtk_event_controller_get_name (controller), controller_name) != 0)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (text, trigger))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           widget, gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }

  g_error ("No shortcut %s in %s's %s", trigger, G_OBJECT_TYPE_NAME (widget), controller_name);
}

/* Delivers a key press to @widget's key controller @name, as GTK would. */
static void
press_key (GtkWidget       *widget,
           const char      *controller_name,
           guint            keyval,
           GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller) ||
          g_strcmp0 (gtk_event_controller_get_name (controller), controller_name) != 0)
        continue;

      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      g_assert_true (handled);
      return;
    }

  g_error ("No key controller %s on %s", controller_name, G_OBJECT_TYPE_NAME (widget));
}

static gboolean
focus_in (Fixture   *f,
          GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
test_create_destroy (void)
{
  GtkWidget *bar = g_object_ref_sink (sonde_filter_bar_new ());
  SondeEventLog *log = sonde_event_log_new ();
  SondeFilterModel *model = sonde_filter_model_new (log);

  sonde_filter_bar_set_model (SONDE_FILTER_BAR (bar), model);
  g_assert_true (sonde_filter_bar_get_model (SONDE_FILTER_BAR (bar)) == model);
  g_assert_false (sonde_filter_bar_get_search_mode (SONDE_FILTER_BAR (bar)));
  g_assert_null (sonde_filter_bar_get_error (SONDE_FILTER_BAR (bar)));
  g_assert_finalize_object (bar);
  g_assert_finalize_object (model);
  g_assert_finalize_object (log);
}

/* Ctrl+F on the page opens the bar with the entry focused; typing filters
 * the list after a pause; clearing the text restores every row. */
static void
test_typing (Fixture       *f,
             gconstpointer  data)
{
  g_assert_cmpuint (list_rows (f), ==, N_ENTRIES);
  gtk_widget_grab_focus (GTK_WIDGET (f->list));

  press_key (f->box, "sonde-filter-bar-open", GDK_KEY_f, GDK_CONTROL_MASK);
  g_assert_true (sonde_filter_bar_get_search_mode (f->bar));
  WAIT_UNTIL (focus_in (f, GTK_WIDGET (entry (f))));

  gtk_editable_set_text (entry (f), "NEEDLE");
  /* Debounced: nothing changes until the typing pauses. */
  g_assert_false (sonde_filter_model_get_active (f->model));
  WAIT_UNTIL (sonde_filter_model_get_active (f->model) && settled (f));
  g_assert_cmpuint (list_rows (f), ==, 20);
  g_assert_cmpstr (count_text (f), ==, "20 of 1011");

  gtk_editable_set_text (entry (f), "");
  WAIT_UNTIL (!sonde_filter_model_get_active (f->model));
  g_assert_cmpuint (list_rows (f), ==, N_ENTRIES);
  g_assert_cmpstr (count_text (f), ==, "");
}

static void
check_toggles (GtkWidget *widget,
               guint     *n_toggles)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* The narrow window's menu of the same toggles: named by its tooltip. */
      if (GTK_IS_MENU_BUTTON (child))
        {
          g_assert_nonnull (gtk_widget_get_tooltip_text (child));
          continue;
        }
      if (GTK_IS_TOGGLE_BUTTON (child))
        {
          const char *label = gtk_button_get_label (GTK_BUTTON (child));
          gboolean active = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child));

          g_assert_nonnull (label);
          g_assert_nonnull (gtk_widget_get_tooltip_text (child));
          if (g_str_equal (label, "Aa") || g_str_equal (label, "Data"))
            g_assert_true (active);
          if (g_str_equal (label, "Problems") || g_str_equal (label, "Out") ||
              g_str_equal (label, "Connection") || g_str_equal (label, ".*"))
            g_assert_false (active);
          (*n_toggles)++;
        }
      check_toggles (child, n_toggles);
    }
}

/* Category and direction toggles apply at once; each is named and explained. */
static void
test_toggles (Fixture       *f,
              gconstpointer  data)
{
  guint n_toggles = 0;

  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.open", NULL);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (entry (f))));
  gtk_editable_set_text (entry (f), "needle");
  WAIT_UNTIL (sonde_filter_model_get_active (f->model) && settled (f) && list_rows (f) == 20);

  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.show-problems", NULL);
  /* At once, without waiting for a pause. */
  g_assert_cmpuint (sonde_filter_query_get_categories (sonde_filter_model_get_query (f->model)) &
                    (1u << SONDE_ENTRY_CATEGORY_PROBLEM), ==, 0);
  WAIT_UNTIL (settled (f) && list_rows (f) == 15);

  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.show-outgoing", NULL);
  WAIT_UNTIL (settled (f) && list_rows (f) == 10);
  g_assert_cmpstr (count_text (f), ==, "10 of 1011");

  /* Without text, the toggles alone filter: lifecycle only. */
  gtk_editable_set_text (entry (f), "");
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.show-data", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.show-control", NULL);
  WAIT_UNTIL (settled (f) && list_rows (f) == 1);

  /* Case: "NEEDLE" is not "needle". */
  g_object_set (f->bar, "show-data", TRUE, "show-lifecycle", FALSE, NULL);
  gtk_editable_set_text (entry (f), "NEEDLE");
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.case-sensitive", NULL);
  WAIT_UNTIL (settled (f) && sonde_filter_model_get_active (f->model) && list_rows (f) == 0);

  /* Every toggle has a label and a tooltip, and shows the state the actions changed. */
  check_toggles (GTK_WIDGET (f->bar), &n_toggles);
  g_assert_cmpuint (n_toggles, ==, 9);
}

/* A bad regular expression says what and where, in place; the last good
 * result stays; fixing it clears the error. */
static void
test_bad_regex (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *error_label;

  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.open", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.regex", NULL);
  gtk_editable_set_text (entry (f), "need(le)? ");
  WAIT_UNTIL (sonde_filter_model_get_active (f->model) && settled (f) && list_rows (f) == 10);

  gtk_editable_set_text (entry (f), "need(le");
  WAIT_UNTIL (sonde_filter_bar_get_error (f->bar) != NULL);
  g_assert_nonnull (strstr (sonde_filter_bar_get_error (f->bar), "at character 8"));
  error_label = find_with_class (GTK_WIDGET (f->bar), GTK_TYPE_LABEL, "error");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   sonde_filter_bar_get_error (f->bar));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry (f)), "error"));
  g_assert_cmpuint (list_rows (f), ==, 10);

  gtk_editable_set_text (entry (f), "need(le)");
  WAIT_UNTIL (sonde_filter_bar_get_error (f->bar) == NULL);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry (f)), "error"));
  WAIT_UNTIL (settled (f) && list_rows (f) == 20);
}

/* Escape clears and closes, from the entry and from anywhere in the bar;
 * focus goes back where it was. */
static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  gtk_widget_grab_focus (sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_COLUMN_VIEW));
  WAIT_UNTIL (focus_in (f, GTK_WIDGET (f->list)));
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.open", NULL);
  WAIT_UNTIL (focus_in (f, GTK_WIDGET (entry (f))));
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.show-data", NULL);
  gtk_editable_set_text (entry (f), "needle");
  /* The errors: the events and outgoing messages are data. */
  WAIT_UNTIL (sonde_filter_model_get_active (f->model) && settled (f) && list_rows (f) == 5);

  /* The search entry's own Escape. */
  g_signal_emit_by_name (entry (f), "stop-search");
  g_assert_false (sonde_filter_bar_get_search_mode (f->bar));
  g_assert_false (sonde_filter_model_get_active (f->model));
  g_assert_cmpstr (gtk_editable_get_text (entry (f)), ==, "");
  g_assert_cmpuint (list_rows (f), ==, N_ENTRIES);
  WAIT_UNTIL (focus_in (f, GTK_WIDGET (f->list)));

  /* Opened again: empty, every toggle back on. */
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.open", NULL);
  {
    gboolean show_data = FALSE;

    g_object_get (f->bar, "show-data", &show_data, NULL);
    g_assert_true (show_data);
  }
  gtk_editable_set_text (entry (f), "needle");
  WAIT_UNTIL (sonde_filter_model_get_active (f->model) && settled (f) && list_rows (f) == 20);

  /* The bar's Escape, with focus on a toggle. */
  press (GTK_WIDGET (f->bar), "gtk-widget-class-shortcuts", "Escape");
  g_assert_false (sonde_filter_bar_get_search_mode (f->bar));
  g_assert_false (sonde_filter_model_get_active (f->model));
  g_assert_cmpuint (list_rows (f), ==, N_ENTRIES);
}

/* New entries that match show up while the bar is open. */
static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  gtk_widget_activate_action (GTK_WIDGET (f->bar), "filter-bar.open", NULL);
  gtk_editable_set_text (entry (f), "needle");
  WAIT_UNTIL (sonde_filter_model_get_active (f->model) && settled (f) && list_rows (f) == 20);

  sonde_event_log_append (f->log, 9000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                          (const guint8 *)"data: late needle\n\n", 19);
  sonde_event_log_append (f->log, 9001, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                          (const guint8 *)"data: late hay\n\n", 16);
  WAIT_UNTIL (list_rows (f) == 21);
  WAIT_UNTIL (g_str_equal (count_text (f), "21 of 1013"));
}

static SondeEntry *
selected (SondeEventList *list)
{
  return sonde_event_list_get_selected_entry (list);
}

static guint64
selected_seq (SondeEventList *list)
{
  return selected (list) != NULL ? sonde_entry_get_seq (selected (list)) : G_MAXUINT64;
}

/* In a tab's inspector: Ctrl+F anywhere opens the bar; the list shows the
 * filter's rows while a query leaves something out and the log otherwise;
 * the selected entry stays selected while the result holds it, also when
 * the scan reaches it only after the first rows are on show. */
static void
test_inspector (void)
{
  SondeEventLog *log = sonde_event_log_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *inspector;
  SondeFilterBar *bar;
  SondeEventList *list;
  SondeFilterModel *model;
  GtkEditable *text;
  const guint n = 200000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *raw = g_strdup_printf ("data: item %u%s\n\n", i,
                                              i % 10000 == 0 ? " needle" : "");

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                              (const guint8 *)raw, strlen (raw));
    }
  sonde_event_log_flush_notify (log);

  inspector = sonde_inspector_new_for_log (log);
  gtk_window_set_default_size (window, 1100, 700);
  gtk_window_set_child (window, inspector);
  gtk_window_present (window);
  bar = SONDE_FILTER_BAR (sonde_test_find_descendant (inspector, SONDE_TYPE_FILTER_BAR));
  list = SONDE_EVENT_LIST (sonde_test_find_descendant (inspector, SONDE_TYPE_EVENT_LIST));
  g_assert_nonnull (bar);
  g_assert_nonnull (list);
  model = sonde_filter_bar_get_model (bar);
  text = GTK_EDITABLE (sonde_test_find_descendant (GTK_WIDGET (bar), GTK_TYPE_SEARCH_ENTRY));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (list)));
  g_assert_true (sonde_event_list_get_model (list) == G_LIST_MODEL (log));

  /* An entry far into the log, past the scan's first chunks. */
  g_assert_true (sonde_event_list_select_seq (list, 190000));
  press_key (inspector, "sonde-filter-bar-open", GDK_KEY_f, GDK_CONTROL_MASK);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (text)));
  gtk_editable_set_text (text, "needle");
  WAIT_UNTIL (sonde_filter_model_get_active (model) && !sonde_filter_model_get_scanning (model) &&
              sonde_filter_model_get_n_scanned (model) >= n);
  g_assert_true (sonde_event_list_get_model (list) == G_LIST_MODEL (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 20);
  WAIT_UNTIL (selected_seq (list) == 190000);

  /* A query that still holds it, then one that does not. */
  gtk_editable_set_text (text, "item 19000");
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= n && !sonde_filter_model_get_scanning (model) &&
              g_list_model_get_n_items (G_LIST_MODEL (model)) == 11);
  WAIT_UNTIL (selected_seq (list) == 190000);
  gtk_editable_set_text (text, "item 5");
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= n && !sonde_filter_model_get_scanning (model));
  WAIT_UNTIL (selected (list) == NULL);

  /* Back to a query that holds it: selected again. */
  gtk_editable_set_text (text, "item 190000");
  WAIT_UNTIL (selected_seq (list) == 190000);
  gtk_editable_set_text (text, "item 5");
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= n && !sonde_filter_model_get_scanning (model));
  WAIT_UNTIL (selected (list) == NULL);

  /* Closed: the whole log again, with the entry selected. */
  gtk_widget_activate_action (GTK_WIDGET (bar), "filter-bar.close", NULL);
  g_assert_true (sonde_event_list_get_model (list) == G_LIST_MODEL (log));
  g_assert_cmpuint (selected_seq (list), ==, 190000);

  /* Another entry chosen while filtering is the one that stays. */
  press_key (inspector, "sonde-filter-bar-open", GDK_KEY_f, GDK_CONTROL_MASK);
  gtk_editable_set_text (text, "needle");
  WAIT_UNTIL (sonde_filter_model_get_active (model) && sonde_filter_model_get_n_scanned (model) >= n &&
              !sonde_filter_model_get_scanning (model) && selected_seq (list) == 190000);
  g_assert_false (sonde_event_list_select_seq (list, 55555));
  g_assert_cmpuint (selected_seq (list), ==, 60000);
  gtk_widget_activate_action (GTK_WIDGET (bar), "filter-bar.close", NULL);
  g_assert_cmpuint (selected_seq (list), ==, 60000);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_add_weak_pointer (G_OBJECT (log), (gpointer *)&log);
  g_object_unref (log);
  WAIT_UNTIL (log == NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/filter-bar/create-destroy", test_create_destroy);
  g_test_add ("/sonde/filter-bar/typing", Fixture, NULL, fixture_set_up, test_typing,
              fixture_tear_down);
  g_test_add ("/sonde/filter-bar/toggles", Fixture, NULL, fixture_set_up, test_toggles,
              fixture_tear_down);
  g_test_add ("/sonde/filter-bar/bad-regex", Fixture, NULL, fixture_set_up, test_bad_regex,
              fixture_tear_down);
  g_test_add ("/sonde/filter-bar/escape", Fixture, NULL, fixture_set_up, test_escape,
              fixture_tear_down);
  g_test_add ("/sonde/filter-bar/live", Fixture, NULL, fixture_set_up, test_live,
              fixture_tear_down);
  g_test_add_func ("/sonde/filter-bar/inspector", test_inspector);

  return g_test_run ();
}

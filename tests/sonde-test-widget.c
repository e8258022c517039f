/* sonde-test-widget.c: what the widget tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sonde-status-line.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"

/* How long a test waits for GTK to catch up before it fails. */
#define WAIT_MS 2000

/**
 * sonde_test_find_descendant:
 *
 * Returns: (nullable): the first widget of @type below @widget, depth first
 */
GtkWidget *
sonde_test_find_descendant (GtkWidget *widget,
                            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = sonde_test_find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_no_toplevels (void)
{
  GList *list = gtk_window_list_toplevels ();
  gboolean empty = (list == NULL);

  g_list_free (list);
  return empty;
}

static void
run_body (GApplication *app,
          gpointer      user_data)
{
  SondeTestAppFunc body = (SondeTestAppFunc)user_data;
  GList *list;

  /* Once only: the body may activate the application itself. */
  g_signal_handlers_disconnect_by_func (app, run_body, user_data);

  body (SONDE_APPLICATION (app));

  /* Close every window the body left open; the application then quits.
   * Destroying one window can destroy others (its dialogs), so hold them. */
  list = gtk_window_list_toplevels ();
  g_list_foreach (list, (GFunc)g_object_ref, NULL);
  for (GList *l = list; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free_full (list, g_object_unref);
  SONDE_TEST_WAIT_UNTIL (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL, WAIT_MS);

  g_application_quit (app);
}

/**
 * sonde_test_run_in_application:
 *
 * Runs @body inside the real application, started the way `sonde` starts
 * it, and checks that the application is finalized afterwards, which
 * catches any reference a window or action leaks.
 */
void
sonde_test_run_in_application (SondeTestAppFunc body)
{
  SondeApplication *app = sonde_application_new ();

  /* No bus name of its own, so each test gets a fresh application. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_body), body);

  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);

  SONDE_TEST_WAIT_UNTIL (has_no_toplevels (), WAIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (app);
}

/**
 * sonde_test_open_main_window:
 *
 * Returns: (transfer none): the window `sonde` without arguments opens, mapped
 */
SondeWindow *
sonde_test_open_main_window (SondeApplication *app)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SONDE_IS_WINDOW (window));
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), WAIT_MS);

  return SONDE_WINDOW (window);
}

/**
 * sonde_test_find_shortcut:
 * @phase: the phase of the shortcut controller that holds it
 *
 * Returns: (transfer full) (nullable): the shortcut @widget has for @keyval
 *   with exactly @modifiers, in a controller of @phase
 */
GtkShortcut *
sonde_test_find_shortcut (GtkWidget           *widget,
                          guint                keyval,
                          GdkModifierType      modifiers,
                          GtkPropagationPhase  phase)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != phase)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return g_steal_pointer (&shortcut);
        }
    }

  return NULL;
}

/**
 * sonde_test_use_german:
 *
 * Runs what follows in German, from the catalogue this build compiled
 * (po/de.po, by `meson compile`): strings looked up from now on are German.
 */
void
sonde_test_use_german (void)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *catalogue = g_build_filename (localedir, "de", "LC_MESSAGES",
                                                 GETTEXT_PACKAGE ".mo", NULL);

  /* Not skipped when missing: the German check would then pass unchecked. */
  if (!g_file_test (catalogue, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing: run `meson compile` first", catalogue);
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* A locale other than plain C, so that gettext reads LANGUAGE; setting it
   * again also makes gettext forget the catalogues it looked up before. */
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    g_error ("no C.UTF-8 locale");
  g_assert_cmpstr (_("_Payload"), ==, "_Nutzdaten");
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/**
 * sonde_test_settle:
 *
 * Lets the window of @widget lay out and draw what changed: a few frames (a
 * tick callback keeps them coming even when nothing else moves).
 */
void
sonde_test_settle (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  SONDE_TEST_WAIT_UNTIL (frames >= 3, 20000);
  gtk_widget_remove_tick_callback (widget, id);
}

/**
 * sonde_test_open_url:
 *
 * Returns: (transfer none): the tab that connects to @url in @window
 */
SondeTab *
sonde_test_open_url (SondeWindow *window,
                     const char  *url)
{
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);
  return sonde_window_open (window, config);
}

/**
 * sonde_test_status_text:
 *
 * Returns: the state in words that @tab's status line shows
 */
const char *
sonde_test_status_text (SondeTab *tab)
{
  GtkWidget *line = sonde_inspector_get_status_line (sonde_tab_get_inspector (tab));

  return sonde_status_line_get_state_text (SONDE_STATUS_LINE (line));
}

/**
 * sonde_test_find_button:
 * @action_name: (nullable): the action the button activates, or %NULL
 * @label: (nullable): the button's label, or %NULL
 *
 * Returns: (transfer none) (nullable): the first button under @widget with
 *   that action and that label (each when given)
 */
GtkWidget *
sonde_test_find_button (GtkWidget  *widget,
                        const char *action_name,
                        const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          (action_name == NULL ||
           g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0) &&
          (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0))
        return child;
      if ((found = sonde_test_find_button (child, action_name, label)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * sonde_test_open_demo:
 *
 * Opens the demo (app.demo) as `sonde --demo` does, and waits for its two
 * tabs: SSE, selected, then WebSocket.
 *
 * Returns: (transfer none): its window
 */
SondeWindow *
sonde_test_open_demo (SondeApplication *app)
{
  GtkWindow *window;
  AdwTabView *view;

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SONDE_IS_WINDOW (window));
  view = sonde_window_get_tab_view (SONDE_WINDOW (window));
  SONDE_TEST_WAIT_UNTIL (adw_tab_view_get_n_pages (view) == 2, 20000);

  return SONDE_WINDOW (window);
}

/* The file chooser a GtkFileChooserNative shows (a dialog of GTK's own
 * without a portal), or NULL. */
GtkFileChooser *
sonde_test_find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_mapped (window))
        return GTK_FILE_CHOOSER (window);
    }
  return NULL;
}

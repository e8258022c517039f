/* test-shortcuts.c: the Keyboard Shortcuts window lists every shortcut the window installs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-mock-host.h"
#include "sonde-mock-panel.h"
#include "sonde-preferences-window.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-window.h"

/* Each widget installs its own shortcuts in class_init, and each also goes
 * into gtk/help-overlay.ui by hand. This test walks the real window (with
 * every part of a tab in it) and the application's accelerators, and fails
 * on any shortcut the Keyboard Shortcuts window does not list, naming it. */

typedef struct
{
  guint           keyval;
  GdkModifierType modifiers;
} Key;

/* The key a person presses, whichever of its twins the code binds: the
 * keypad's, Shift's plus, and = (the unshifted + on many keyboards). */
static Key
normalize (guint           keyval,
           GdkModifierType modifiers)
{
  static const guint twins[][2] = {
    { GDK_KEY_KP_Enter, GDK_KEY_Return }, { GDK_KEY_KP_Add, GDK_KEY_plus },
    { GDK_KEY_KP_Subtract, GDK_KEY_minus }, { GDK_KEY_equal, GDK_KEY_plus },
    { GDK_KEY_KP_Left, GDK_KEY_Left }, { GDK_KEY_KP_Right, GDK_KEY_Right },
    { GDK_KEY_KP_Up, GDK_KEY_Up }, { GDK_KEY_KP_Down, GDK_KEY_Down },
    { GDK_KEY_KP_Home, GDK_KEY_Home }, { GDK_KEY_KP_End, GDK_KEY_End },
    { GDK_KEY_KP_Page_Up, GDK_KEY_Page_Up }, { GDK_KEY_KP_Page_Down, GDK_KEY_Page_Down },
    { GDK_KEY_KP_Tab, GDK_KEY_Tab },
  };
  Key key = { gdk_keyval_to_lower (keyval), modifiers & gtk_accelerator_get_default_mod_mask () };

  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    if (key.keyval == twins[i][0])
      key.keyval = twins[i][1];
  if (key.keyval >= GDK_KEY_KP_0 && key.keyval <= GDK_KEY_KP_9)
    key.keyval = GDK_KEY_0 + (key.keyval - GDK_KEY_KP_0);
  if (key.keyval == GDK_KEY_plus)
    key.modifiers &= ~GDK_SHIFT_MASK;

  return key;
}

static char *
describe (Key key)
{
  return gtk_accelerator_name (key.keyval, key.modifiers);
}

/* Every key the Keyboard Shortcuts window shows, as "<Control>l" names. */
static void
collect_listed (GtkWidget  *widget,
                GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) keys = NULL;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      keys = g_strsplit (accelerator != NULL ? accelerator : "", " ", -1);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_auto(GStrv) ends = g_strsplit (keys[i], "...", 2);
          guint first, last;
          GdkModifierType modifiers, last_modifiers;

          if (keys[i][0] == '\0')
            continue;
          /* "<Alt>1...<Alt>9" stands for each key from the first to the last. */
          g_assert_true (gtk_accelerator_parse (ends[0], &first, &modifiers));
          last = first;
          if (ends[1] != NULL)
            {
              g_assert_true (gtk_accelerator_parse (ends[1], &last, &last_modifiers));
              g_assert_cmpuint (last_modifiers, ==, modifiers);
              g_assert_cmpuint (last, >=, first);
            }
          for (guint keyval = first; keyval <= last; keyval++)
            g_hash_table_add (listed, describe (normalize (keyval, modifiers)));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_listed (child, listed);
}

/* Where a GtkShortcutsSection keeps its pages: the first GtkStack in it. */
static GtkStack *
find_stack (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *stack = GTK_IS_STACK (child) ? GTK_STACK (child) : find_stack (child);

      if (stack != NULL)
        return stack;
    }

  return NULL;
}

static void
count_section_pages (GtkWidget *widget,
                     GString   *too_long,
                     guint     *n_sections)
{
  if (GTK_IS_SHORTCUTS_SECTION (widget))
    {
      GtkStack *stack = find_stack (widget);
      g_autoptr(GtkSelectionModel) pages = NULL;
      g_autofree char *title = NULL;

      g_assert_nonnull (stack);
      pages = gtk_stack_get_pages (stack);
      g_object_get (widget, "title", &title, NULL);
      if (g_list_model_get_n_items (G_LIST_MODEL (pages)) != 1)
        g_string_append_printf (too_long, " “%s” (%u pages)", title,
                                g_list_model_get_n_items (G_LIST_MODEL (pages)));
      (*n_sections)++;
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_section_pages (child, too_long, n_sections);
}

/* A section on more than one page gets a switcher that GTK 4.8 lays out with
 * a warning; a section too tall makes a window taller than a laptop's screen
 * (1366 × 768, less the top bar). Said here in words, before either happens. */
static void
check_overlay_fits (GtkWidget *overlay)
{
  g_autoptr(GString) too_long = g_string_new (NULL);
  guint n_sections = 0;
  int width, height;

  count_section_pages (overlay, too_long, &n_sections);
  g_assert_cmpuint (n_sections, >=, 1);
  if (too_long->len > 0)
    g_error ("help-overlay.ui: sections on more than one page:%s; raise their max-height a "
             "little or move a group to another section", too_long->str);

  gtk_widget_measure (overlay, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
  gtk_widget_measure (overlay, GTK_ORIENTATION_VERTICAL, width, &height, NULL, NULL, NULL);
  g_test_message ("the Keyboard Shortcuts window needs %d × %d", width, height);
  if (width > 1366 || height > 720)
    g_error ("help-overlay.ui: the Keyboard Shortcuts window needs %d × %d pixels, more than "
             "a 1366 × 768 screen gives it; lower a section's max-height or split it",
             width, height);
}

/* The keys listed in the group titled @title: a window of its own (the mock
 * servers panel) has its shortcuts in a group named after it, since the same
 * keys do other things in the main window. */
static void
collect_listed_in_group (GtkWidget  *widget,
                         const char *title,
                         GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_GROUP (widget))
    {
      g_autofree char *group_title = NULL;

      g_object_get (widget, "title", &group_title, NULL);
      if (g_strcmp0 (group_title, title) == 0)
        collect_listed (widget, listed);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_listed_in_group (child, title, listed);
}

/* Whether a Sonde class (not one of GTK's or libadwaita's) installed @name. */
static gboolean
is_sonde_action (GtkWidget  *widget,
                 const char *name)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (widget);
  const GVariantType *parameter_type;
  const char *property_name;
  const char *action_name;
  GType owner;

  /* GTK 4.8 writes every out argument. */
  for (guint i = 0;
       gtk_widget_class_query_action (klass, i, &owner, &action_name, &parameter_type,
                                      &property_name);
       i++)
    if (g_str_equal (action_name, name))
      return g_str_has_prefix (g_type_name (owner), "Sonde");

  return FALSE;
}

/* Whether the nearest class above @widget's that is not Sonde's binds the
 * same key to the same action: a fresh instance of it has the class list. */
static gboolean
parent_class_binds (GtkWidget   *widget,
                    GtkShortcut *shortcut)
{
  GType parent = G_OBJECT_TYPE (widget);
  GtkWidget *other;
  g_autoptr(GListModel) controllers = NULL;
  gboolean found = FALSE;

  while (g_str_has_prefix (g_type_name (parent), "Sonde"))
    parent = g_type_parent (parent);
  if (G_TYPE_IS_ABSTRACT (parent))
    return FALSE;

  other = g_object_ref_sink (g_object_new (parent, NULL));
  controllers = gtk_widget_observe_controllers (other);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) theirs = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *their_action = NULL;
          g_autofree char *our_action = NULL;

          if (!gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (theirs),
                                           gtk_shortcut_get_trigger (shortcut)))
            continue;
          their_action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (theirs));
          our_action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));
          found = g_str_equal (their_action, our_action);
        }
    }
  g_clear_object (&controllers);
  if (GTK_IS_WINDOW (other))
    gtk_window_destroy (GTK_WINDOW (other));
  g_object_unref (other);

  return found;
}

static void
add_trigger (GtkShortcutTrigger *trigger,
             const char         *where,
             GHashTable         *installed)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), where,
                   installed);
      add_trigger (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), where,
                   installed);
    }
  else if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      Key key = normalize (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));

      g_hash_table_insert (installed, describe (key), g_strdup (where));
    }
}

/* The shortcuts Sonde's own widgets install, in class_init or on themselves. */
static void
collect_installed (GtkWidget  *widget,
                   GHashTable *installed)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Sonde"))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
          gboolean class_shortcuts;

          /* GtkWindow's own F10 for a menu bar, on every window: Sonde's F10
           * is the primary menu button's, on the main window only. */
          if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
              g_strcmp0 (gtk_event_controller_get_name (controller),
                         "gtk-window-menubar-accel") == 0)
            continue;
          class_shortcuts = g_strcmp0 (gtk_event_controller_get_name (controller),
                                       "gtk-widget-class-shortcuts") == 0;

          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
              GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
              g_autofree char *where = NULL;

              /* A class's list holds its parents' too: GtkWindow's, for one. A
               * Sonde class may bind a key to its parent's action (the mock
               * panel's Escape to window.close): that counts, unless the parent
               * binds the same key itself. */
              if (class_shortcuts &&
                  !(GTK_IS_NAMED_ACTION (action) &&
                    (is_sonde_action (widget, gtk_named_action_get_action_name (GTK_NAMED_ACTION (action))) ||
                     !parent_class_binds (widget, shortcut))))
                continue;

              where = GTK_IS_NAMED_ACTION (action)
                        ? g_strdup_printf ("%s (%s)", gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                           G_OBJECT_TYPE_NAME (widget))
                        : g_strdup_printf ("%s (%s)", G_OBJECT_TYPE_NAME (widget),
                                           gtk_event_controller_get_name (controller));
              add_trigger (gtk_shortcut_get_trigger (shortcut), where, installed);
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_installed (child, installed);
}

static void
collect_accels (GtkApplication *app,
                GHashTable     *installed)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (app);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &modifiers));
          g_hash_table_insert (installed, describe (normalize (keyval, modifiers)),
                               g_strdup (actions[i]));
        }
    }
}

static void
shortcuts_complete_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/sonde/Sonde/gtk/help-overlay.ui");
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) panel_listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);
  g_autoptr(GHashTable) panel_installed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                 g_free);
  GtkWindow *panel = NULL;
  /* A second copy to read the groups from: the first is shown and destroyed. */
  g_autoptr(GtkBuilder) groups_builder =
    gtk_builder_new_from_resource ("/io/github/sonde/Sonde/gtk/help-overlay.ui");
  GtkWidget *overlay_for_groups = GTK_WIDGET (gtk_builder_get_object (groups_builder,
                                                                      "help_overlay"));
  g_autoptr(GHashTable) installed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  GList *toplevels;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_nonnull (overlay);
  collect_listed (overlay, listed);
  /* Shown, it lays itself out without a warning (fatal here), each section on
   * one page, in a window that fits a laptop's screen. */
  check_overlay_fits (overlay);
  gtk_window_present (GTK_WINDOW (overlay));
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (overlay), 2000);
  gtk_window_destroy (GTK_WINDOW (overlay));

  /* Live tabs of both transports, for what only they have (the compose bar,
   * the request bar), beside the new tab's connect page. Each has an
   * inspector: the list, the details with the hex views, the timeline and
   * the filter bar. */
  sonde_mock_host_start_async (host, NULL, (GAsyncReadyCallback)g_object_ref, &result);
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_port (host) != 0, 20000);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *url = sonde_mock_host_get_url (host, i == 0 ? "http" : "ws",
                                                      i == 0 ? "/sse" : "/ws");
      g_autoptr(SondeSessionConfig) config = sonde_session_config_new (url, NULL);

      sonde_window_open (window, config);
    }
  sonde_window_add_tab (window);
  collect_installed (GTK_WIDGET (window), installed);
  collect_accels (GTK_APPLICATION (app), installed);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SONDE_IS_PREFERENCES_WINDOW (l->data))
      collect_installed (l->data, installed);
  g_list_free (toplevels);

  /* The mock servers panel, a window of its own: its keys (Escape and Ctrl+W
   * close it) are listed in its own group, under its title. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.mock-servers", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SONDE_IS_MOCK_PANEL (l->data))
      panel = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (panel);
  collect_installed (GTK_WIDGET (panel), panel_installed);
  collect_listed_in_group (overlay_for_groups, gtk_window_get_title (panel), panel_listed);
  g_assert_cmpuint (g_hash_table_size (panel_installed), >=, 3);
  g_hash_table_iter_init (&iter, panel_installed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (panel_listed, key))
      g_string_append_printf (missing, "\n  %s, installed by %s (in the group “%s”)", (char *)key,
                              (char *)value, gtk_window_get_title (panel));

  /* Enough found that the walk reached every part. */
  g_assert_cmpuint (g_hash_table_size (installed), >=, 30);

  g_hash_table_iter_init (&iter, installed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_string_append_printf (missing, "\n  %s, installed by %s", (char *)key, (char *)value);
  if (missing->len > 0)
    g_error ("src/ui/gtk/help-overlay.ui does not list these shortcuts:%s", missing->str);

  gtk_window_destroy (GTK_WINDOW (overlay_for_groups));

  /* Closed as a person would: every session stops with it. */
  gtk_window_close (GTK_WINDOW (window));
  sonde_mock_host_stop (host);
}

static void
test_shortcuts_complete (void)
{
  sonde_test_run_in_application (shortcuts_complete_body);
}

/* Every key's name the Keyboard Shortcuts window shows, as it shows them. */
static void
collect_key_labels (GtkWidget *widget,
                    GString   *names)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUT_LABEL) != NULL)
    g_string_append_printf (names, "[%s]", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_key_labels (child, names);
}

/* The window's own Keyboard Shortcuts, shown and searched, name each key as
 * it is printed on the keyboard: "Page Down", never GTK's "Page_Down". */
static void
key_names_body (SondeApplication *app)
{
  SondeWindow *window = sonde_test_open_main_window (app);
  GtkWidget *overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_nonnull (overlay);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (overlay), 5000);
  /* The search page holds a copy of each shortcut. */
  g_signal_emit_by_name (overlay, "search");
  sonde_test_spin (200);

  collect_key_labels (overlay, names);
  g_test_message ("keys: %s", names->str);
  g_assert_nonnull (strstr (names->str, "[Page Down]"));
  g_assert_nonnull (strstr (names->str, "[Page Up]"));
  g_assert_null (strstr (names->str, "_"));

  gtk_window_destroy (GTK_WINDOW (overlay));
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_key_names (void)
{
  sonde_test_run_in_application (key_names_body);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/shortcuts/complete", test_shortcuts_complete);
  g_test_add_func ("/sonde/shortcuts/key-names", test_key_names);

  return g_test_run ();
}

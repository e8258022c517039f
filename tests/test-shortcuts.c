/* test-shortcuts.c: the Keyboard Shortcuts window lists every shortcut the window installs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-mock-host.h"
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

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          class_shortcuts = g_strcmp0 (gtk_event_controller_get_name (controller),
                                       "gtk-widget-class-shortcuts") == 0;

          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
              GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
              g_autofree char *where = NULL;

              /* A class's list holds its parents' too: GtkWindow's, for one. */
              if (class_shortcuts &&
                  !(GTK_IS_NAMED_ACTION (action) &&
                    is_sonde_action (widget, gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)))))
                continue;

              where = GTK_IS_NAMED_ACTION (action)
                        ? g_strdup_printf ("%s (%s)", gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                           G_OBJECT_TYPE_NAME (widget))
                        : g_strdup (G_OBJECT_TYPE_NAME (widget));
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
  g_autoptr(GHashTable) installed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  GList *toplevels;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_nonnull (overlay);
  collect_listed (overlay, listed);
  /* Shown, it lays itself out without a warning (fatal here). */
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

  /* Enough found that the walk reached every part. */
  g_assert_cmpuint (g_hash_table_size (installed), >=, 30);

  g_hash_table_iter_init (&iter, installed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_string_append_printf (missing, "\n  %s, installed by %s", (char *)key, (char *)value);
  if (missing->len > 0)
    g_error ("src/ui/gtk/help-overlay.ui does not list these shortcuts:%s", missing->str);

  /* Closed as a person would: every session stops with it. */
  gtk_window_close (GTK_WINDOW (window));
  sonde_mock_host_stop (host);
}

static void
test_shortcuts_complete (void)
{
  sonde_test_run_in_application (shortcuts_complete_body);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/shortcuts/complete", test_shortcuts_complete);

  return g_test_run ();
}

/* sonde-application.c: the application object: actions, settings, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-application.h"
#include "sonde-url.h"
#include "sonde-window.h"

struct _SondeApplication
{
  AdwApplication  parent_instance;

  /* NULL when the schema is not installed: Sonde still runs, it only forgets. */
  GSettings      *settings;
  char           *initial_url;
};

G_DEFINE_FINAL_TYPE (SondeApplication, sonde_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { NULL }
};

SondeApplication *
sonde_application_new (void)
{
  return g_object_new (SONDE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/sonde/Sonde",
                       NULL);
}

/**
 * sonde_application_get_settings:
 *
 * Returns: (transfer none) (nullable): Sonde's settings, or %NULL when the
 *   schema is not installed
 */
GSettings *
sonde_application_get_settings (SondeApplication *self)
{
  g_return_val_if_fail (SONDE_IS_APPLICATION (self), NULL);

  return self->settings;
}

static SondeWindow *
sonde_application_get_active_sonde_window (SondeApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return SONDE_IS_WINDOW (window) ? SONDE_WINDOW (window) : NULL;
}

static gint
sonde_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  SondeApplication *self = SONDE_APPLICATION (app);
  g_autofree const char **remaining = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sonde %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &remaining))
    {
      g_autoptr(GError) error = NULL;

      if (g_strv_length ((char **)remaining) > 1)
        {
          g_printerr (_("Give at most one URL.\n"));
          return 1;
        }

      if (!sonde_url_parse (remaining[0], NULL, NULL, &error))
        {
          g_printerr (_("Cannot open “%s”: %s\n"), remaining[0], error->message);
          return 1;
        }

      g_free (self->initial_url);
      self->initial_url = g_strstrip (g_strdup (remaining[0]));
    }

  return G_APPLICATION_CLASS (sonde_application_parent_class)->handle_local_options (app, options);
}

static void
sonde_application_startup (GApplication *app)
{
  SondeApplication *self = SONDE_APPLICATION (app);
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (sonde_application_parent_class)->startup (app);

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  else
    g_message ("The GSettings schema %s is not installed; window size will not be remembered",
               APPLICATION_ID);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
sonde_application_activate (GApplication *app)
{
  SondeApplication *self = SONDE_APPLICATION (app);
  SondeWindow *window = sonde_application_get_active_sonde_window (self);

  if (window == NULL)
    window = sonde_window_new (self);

  if (self->initial_url != NULL)
    {
      g_autofree char *url = g_steal_pointer (&self->initial_url);

      sonde_window_set_url (window, url);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
sonde_application_finalize (GObject *object)
{
  SondeApplication *self = SONDE_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->initial_url, g_free);

  G_OBJECT_CLASS (sonde_application_parent_class)->finalize (object);
}

static void
sonde_application_class_init (SondeApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sonde_application_finalize;

  app_class->handle_local_options = sonde_application_handle_local_options;
  app_class->startup = sonde_application_startup;
  app_class->activate = sonde_application_activate;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
new_window_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  SondeWindow *window = sonde_window_new (SONDE_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (window));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SondeApplication *self = SONDE_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Sonde developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Sonde"),
                        "developer-name", _("The Sonde developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Look inside live Server-Sent Events and WebSocket streams: "
                                      "every event, frame, drop and reconnect, down to the bytes "
                                      "on the wire."),
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_ISSUES,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© 2026 The Sonde developers"),
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "new-window", new_window_activated },
  { "about", about_activated },
};

static void
sonde_application_init (SondeApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[URL]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Look inside live Server-Sent Events and "
                                              "WebSocket streams. With a URL (http, https, "
                                              "ws or wss), opens a window ready to connect to it."));
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
}

/* sonde-application.c: the application object: actions, settings, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-application.h"
#include "sonde-mock-host.h"
#include "sonde-preferences-window.h"
#include "sonde-session.h"
#include "sonde-ui-util.h"
#include "sonde-window.h"
#include "sonde-window-files.h"

struct _SondeApplication
{
  AdwApplication  parent_instance;

  /* NULL when the schema is not installed: Sonde still runs, it only forgets. */
  GSettings      *settings;
  /* The payload font from the preferences, for every window of the display. */
  GtkCssProvider *font_provider;
  GtkWidget      *preferences;    /* weak: the open Preferences window */

  /* The demo's mock server, on its own thread, from the first --demo on. */
  SondeMockHost  *demo_host;
  GCancellable   *demo_cancellable;
  gboolean        demo_ready;
  guint           demo_requests;  /* asked for while it was starting */
};

G_DEFINE_FINAL_TYPE (SondeApplication, sonde_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Serve the bundled demo recording from inside Sonde and open an SSE and a WebSocket "
       "tab on it"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { NULL }
};

SondeApplication *
sonde_application_new (void)
{
  return g_object_new (SONDE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
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

static SondeWindow *
sonde_application_ensure_window (SondeApplication *self)
{
  SondeWindow *window = sonde_application_get_active_sonde_window (self);

  if (window == NULL)
    window = sonde_window_new (self);

  return window;
}

/* The style preference, through libadwaita, at start-up and whenever it changes. */
static void
apply_style (SondeApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint style = (guint)g_settings_get_enum (self->settings, "style");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[MIN (style, G_N_ELEMENTS (schemes) - 1)]);
}

/* The payload font as CSS for the views that carry the `payload` class;
 * with the system font, nothing overrides their `monospace` class. */
static void
apply_payload_font (SondeApplication *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "payload-font");
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (name);
  PangoFontMask set = pango_font_description_get_set_fields (font);
  g_autoptr(GString) css = g_string_new (NULL);

  if (!g_settings_get_boolean (self->settings, "use-system-font"))
    {
      g_string_append (css, ".payload {");
      if (set & PANGO_FONT_MASK_FAMILY)
        g_string_append_printf (css, " font-family: \"%s\";",
                                pango_font_description_get_family (font));
      if (set & PANGO_FONT_MASK_SIZE)
        {
          char size[G_ASCII_DTOSTR_BUF_SIZE];

          /* Not printf's %g: a German locale would write 10,5. */
          g_ascii_formatd (size, sizeof size, "%g",
                           pango_font_description_get_size (font) / (double)PANGO_SCALE);
          g_string_append_printf (css, " font-size: %s%s;", size,
                                  pango_font_description_get_size_is_absolute (font) ? "px" : "pt");
        }
      if (set & PANGO_FONT_MASK_WEIGHT)
        g_string_append_printf (css, " font-weight: %d;", pango_font_description_get_weight (font));
      if (set & PANGO_FONT_MASK_STYLE)
        g_string_append (css, pango_font_description_get_style (font) == PANGO_STYLE_ITALIC
                                ? " font-style: italic;"
                                : pango_font_description_get_style (font) == PANGO_STYLE_OBLIQUE
                                ? " font-style: oblique;" : " font-style: normal;");
      g_string_append (css, " }");
    }

  gtk_css_provider_load_from_data (self->font_provider, css->str, (gssize)css->len);
}

static void
setting_changed_cb (GSettings        *settings,
                    const char       *key,
                    SondeApplication *self)
{
  if (g_str_equal (key, "style"))
    apply_style (self);
  else if (g_str_equal (key, "payload-font") || g_str_equal (key, "use-system-font"))
    apply_payload_font (self);
}

static gint
sonde_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autofree const char **remaining = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sonde %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &remaining))
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;

      /* All or nothing: one mistake and no window opens half of the list.
       * What has no URL scheme is a recording or HAR file to open. */
      for (guint i = 0; remaining[i] != NULL; i++)
        {
          g_autoptr(SondeSessionConfig) config = NULL;
          g_autoptr(GFile) file = NULL;
          const char *scheme = g_uri_peek_scheme (remaining[i]);

          if (scheme == NULL || g_str_equal (scheme, "file"))
            {
              file = g_file_new_for_commandline_arg (remaining[i]);
              if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) !=
                  G_FILE_TYPE_REGULAR)
                {
                  g_printerr (_("Cannot open “%s”: there is no such file\n"), remaining[i]);
                  return 1;
                }
              g_ptr_array_add (files, g_steal_pointer (&file));
              continue;
            }

          config = sonde_session_config_new (remaining[i], &error);
          if (config == NULL)
            {
              g_printerr (_("Cannot open “%s”: %s\n"), remaining[i], error->message);
              return 1;
            }
          g_ptr_array_add (files, g_file_new_for_uri (config->url));
        }

      /* Through GApplication, so that a Sonde already running opens them. */
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_application_open (app, (GFile **)files->pdata, files->len, "");
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      g_autoptr(GError) error = NULL;

      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
    }

  /* Handed over to the Sonde already running: nothing more to do here. */
  if ((remaining != NULL || g_variant_dict_contains (options, "demo")) &&
      g_application_get_is_remote (app))
    return 0;

  return G_APPLICATION_CLASS (sonde_application_parent_class)->handle_local_options (app, options);
}

static void
sonde_application_startup (GApplication *app)
{
  SondeApplication *self = SONDE_APPLICATION (app);
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  /* Ctrl+W closes a tab (the window's own shortcut); the last one closes the window. */
  static const char *close_accels[] = { "<Control><Shift>w", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (sonde_application_parent_class)->startup (app);

  sonde_choose_renderer (gdk_display_get_default ());

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  else
    g_message ("The GSettings schema %s is not installed; window size will not be remembered",
               APPLICATION_ID);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                           "preferences")),
                               self->settings != NULL);
  if (self->settings != NULL)
    {
      self->font_provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (self->font_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (setting_changed_cb), self, 0);
      apply_style (self);
      apply_payload_font (self);
    }

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
sonde_application_activate (GApplication *app)
{
  SondeWindow *window = sonde_application_ensure_window (SONDE_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
}

/* Connections asked for on the command line of a window not shown yet. */
typedef struct
{
  SondeWindow *window;
  GPtrArray   *configs;   /* SondeSessionConfig */
} DeferredOpen;

static void
deferred_open_free (DeferredOpen *data)
{
  g_object_unref (data->window);
  g_ptr_array_unref (data->configs);
  g_free (data);
}

static gboolean
deferred_open_cb (gpointer user_data)
{
  DeferredOpen *data = user_data;

  /* Closed meanwhile: nothing to connect in. */
  if (!gtk_widget_get_realized (GTK_WIDGET (data->window)))
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < data->configs->len; i++)
    sonde_window_open (data->window, g_ptr_array_index (data->configs, i));

  return G_SOURCE_REMOVE;
}

/* `sonde URL... FILE...`: one connected tab per URL, a read-only tab per file.
 *
 * A new window connects once the main loop has gone idle after showing it:
 * GTK registers the window on the accessibility bus from an idle source
 * (G_PRIORITY_DEFAULT_IDLE), and a live tab on a slow renderer draws frame
 * after frame at the redraw's higher priority, each longer than the refresh
 * interval, so that idle never came and screen readers never saw Sonde
 * (test-a11y found it on a loaded machine). */
static void
sonde_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  SondeApplication *self = SONDE_APPLICATION (app);
  SondeWindow *window = sonde_application_ensure_window (self);
  gboolean defer = !gtk_widget_get_realized (GTK_WIDGET (window));
  g_autoptr(GPtrArray) deferred = g_ptr_array_new_with_free_func (
                                    (GDestroyNotify)sonde_session_config_free);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SondeSessionConfig) config = NULL;

      if (g_file_has_uri_scheme (files[i], "file"))
        {
          sonde_window_open_file (window, files[i]);
          continue;
        }

      config = sonde_session_config_new (uri, &error);
      if (config == NULL)
        sonde_window_show_error (window, error->message);
      else if (defer)
        g_ptr_array_add (deferred, g_steal_pointer (&config));
      else
        sonde_window_open (window, config);
    }

  gtk_window_present (GTK_WINDOW (window));

  if (deferred->len > 0)
    {
      DeferredOpen *data = g_new0 (DeferredOpen, 1);

      data->window = g_object_ref (window);
      data->configs = g_steal_pointer (&deferred);
      /* Below GTK's own idle work, so that it runs first. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE + 10, deferred_open_cb, data,
                       (GDestroyNotify)deferred_open_free);
    }
}

static void
open_demo_tabs (SondeApplication *self,
                SondeWindow      *window)
{
  static const char * const endpoints[][2] = { { "http", "/sse" }, { "ws", "/ws" } };
  AdwTabView *view = sonde_window_get_tab_view (window);
  SondeTab *first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *url = sonde_mock_host_get_url (self->demo_host, endpoints[i][0],
                                                      endpoints[i][1]);
      g_autoptr(SondeSessionConfig) config = sonde_session_config_new (url, NULL);
      SondeTab *tab;

      g_assert (config != NULL);
      tab = sonde_window_open (window, config);
      if (first == NULL)
        first = tab;
    }

  /* The SSE tab first: its event types and IDs say the most at a glance. */
  adw_tab_view_set_selected_page (view, adw_tab_view_get_page (view, GTK_WIDGET (first)));
}

static void
demo_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SondeApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  guint requests;

  if (!sonde_mock_host_start_finish (SONDE_MOCK_HOST (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  requests = self->demo_requests;
  self->demo_requests = 0;

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The demo could not start: %s"),
                                                  error->message);

      g_clear_object (&self->demo_host);
      sonde_window_show_error (sonde_application_ensure_window (self), message);
      g_object_unref (self);
      return;
    }

  self->demo_ready = TRUE;
  for (guint i = 0; i < requests; i++)
    open_demo_tabs (self, sonde_application_ensure_window (self));

  g_object_unref (self);
}

/* --demo: the bundled recording served from a worker thread of this process,
 * an SSE tab and a WebSocket tab on it. */
static void
demo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SondeApplication *self = SONDE_APPLICATION (user_data);
  SondeWindow *window = sonde_application_ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));

  if (self->demo_ready)
    {
      open_demo_tabs (self, window);
      return;
    }

  self->demo_requests++;
  if (self->demo_host != NULL)
    return;

  self->demo_host = sonde_mock_host_new (NULL);
  self->demo_cancellable = g_cancellable_new ();
  sonde_mock_host_start_async (self->demo_host, self->demo_cancellable, demo_started_cb,
                               g_object_ref (self));
}

static void
sonde_application_shutdown (GApplication *app)
{
  SondeApplication *self = SONDE_APPLICATION (app);

  G_APPLICATION_CLASS (sonde_application_parent_class)->shutdown (app);

  g_cancellable_cancel (self->demo_cancellable);
  if (self->demo_host != NULL)
    sonde_mock_host_stop (self->demo_host);
}

static void
sonde_application_finalize (GObject *object)
{
  SondeApplication *self = SONDE_APPLICATION (object);

  if (self->preferences != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->preferences), (gpointer *)&self->preferences);
  g_clear_object (&self->settings);
  g_clear_object (&self->font_provider);
  g_clear_object (&self->demo_host);
  g_clear_object (&self->demo_cancellable);

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
  app_class->open = sonde_application_open;
  app_class->shutdown = sonde_application_shutdown;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy_deep (gtk_application_get_windows (app), (GCopyFunc)g_object_ref,
                                     NULL);
  gboolean asked = FALSE;

  /* Each window asks before it loses captured entries that were never
   * saved; a window that asks stays, and so does the application. */
  for (GList *l = windows; l != NULL; l = l->next)
    if (SONDE_IS_WINDOW (l->data))
      gtk_window_close (l->data);
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    asked |= SONDE_IS_WINDOW (l->data);
  g_list_free_full (windows, g_object_unref);

  if (!asked)
    g_application_quit (G_APPLICATION (app));
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

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  SondeApplication *self = SONDE_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  g_return_if_fail (self->settings != NULL);

  /* One at a time: a second Ctrl+comma brings the open one forward. It is
   * not one of the application's windows, so that the active window stays
   * a main window for `activate` and the window actions. */
  if (self->preferences == NULL)
    {
      self->preferences = sonde_preferences_window_new (self->settings);
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *)&self->preferences);
      gtk_window_set_transient_for (GTK_WINDOW (self->preferences), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->preferences), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_activated },
  { "quit", quit_activated },
  { "new-window", new_window_activated },
  { "about", about_activated },
  { "demo", demo_activated },
};

static void
sonde_application_init (SondeApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[URL…] [FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Look inside live Server-Sent Events and "
                                              "WebSocket streams. Each URL (http, https, "
                                              "ws or wss) opens in a tab of its own, connected; "
                                              "each recording or HAR file in a tab of its own, "
                                              "read-only."));
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
}

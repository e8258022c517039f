/* sonde-window.c: Sonde's main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-url.h"
#include "sonde-window.h"

struct _SondeWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkEntry             *url_entry;
  GtkLabel             *url_message;
  GtkButton            *connect_button;

  guint                 url_valid : 1;
  guint                 state_loaded : 1;
};

G_DEFINE_FINAL_TYPE (SondeWindow, sonde_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_URL_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SondeWindow *
sonde_window_new (SondeApplication *application)
{
  g_return_val_if_fail (SONDE_IS_APPLICATION (application), NULL);

  return g_object_new (SONDE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

gboolean
sonde_window_get_url_valid (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), FALSE);

  return self->url_valid;
}

static const char *
describe_url (SondeTransport  transport,
              GUri           *uri)
{
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ||
                 g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;

  switch (transport)
    {
    case SONDE_TRANSPORT_SSE:
      return tls ? _("Server-Sent Events over TLS") : _("Server-Sent Events over plain HTTP");
    case SONDE_TRANSPORT_WEBSOCKET:
      return tls ? _("WebSocket over TLS") : _("WebSocket over plain TCP");
    default:
      g_assert_not_reached ();
    }
}

static void
set_message (SondeWindow *self,
             const char  *message,
             gboolean     is_error)
{
  g_assert (SONDE_IS_WINDOW (self));

  gtk_label_set_label (self->url_message, message);

  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
    }

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->url_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               is_error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
sonde_window_update_actions (SondeWindow *self)
{
  g_assert (SONDE_IS_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", self->url_valid);
}

/* Bound to notify::text rather than GtkEditable::changed: replacing the text
 * (sonde_window_set_url(), pasting over a selection) emits "changed" twice,
 * once with the entry empty, which would flip url-valid, the Connect button
 * and the accessible invalid state off and on again. */
static void
url_entry_text_changed_cb (SondeWindow *self,
                           GParamSpec  *pspec,
                           GtkEntry    *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SondeTransport transport;
  const char *text;
  gboolean valid;

  g_assert (SONDE_IS_WINDOW (self));

  text = gtk_editable_get_text (GTK_EDITABLE (entry));
  valid = sonde_url_parse (text, &transport, &uri, &error);

  if (valid)
    set_message (self, describe_url (transport, uri), FALSE);
  else if (text[0] == '\0')
    set_message (self, _("For example https://example.com/events or wss://example.com/socket"),
                 FALSE);
  else
    set_message (self, error->message, TRUE);

  if (valid != self->url_valid)
    {
      self->url_valid = valid;
      sonde_window_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL_VALID]);
    }
}

static void
url_entry_activate_cb (SondeWindow *self,
                       GtkEntry    *entry)
{
  g_assert (SONDE_IS_WINDOW (self));

  if (self->url_valid)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", NULL);
  else
    gtk_widget_error_bell (GTK_WIDGET (entry));
}

void
sonde_window_set_url (SondeWindow *self,
                      const char  *url)
{
  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  AdwToast *toast;

  /* The stream engines land in their own issues; say so rather than pretend. */
  toast = adw_toast_new (_("Connecting is not available in this version of Sonde yet"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
focus_url_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->url_entry), 0, -1);
}

/* Returns whether there were settings to load. */
static gboolean
sonde_window_load_state (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings;

  if (!SONDE_IS_APPLICATION (app))
    return FALSE;

  settings = sonde_application_get_settings (SONDE_APPLICATION (app));
  if (settings == NULL)
    return FALSE;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  return TRUE;
}

static void
sonde_window_save_state (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings;
  int width, height;

  if (!SONDE_IS_APPLICATION (app))
    return;

  settings = sonde_application_get_settings (SONDE_APPLICATION (app));
  if (settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  /* No g_settings_delay() here: it cannot be undone, and this GSettings is
   * the application's, shared with everything else that writes settings. */
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
sonde_window_close_request (GtkWindow *window)
{
  sonde_window_save_state (SONDE_WINDOW (window));

  return GTK_WINDOW_CLASS (sonde_window_parent_class)->close_request (window);
}

/* GtkWindow:application is not a construct property: g_object_new() sets it
 * after constructed(), so the saved size is applied when it arrives. */
static void
sonde_window_notify_application (SondeWindow *self,
                                 GParamSpec  *pspec,
                                 gpointer     user_data)
{
  g_assert (SONDE_IS_WINDOW (self));

  if (self->state_loaded)
    return;

  self->state_loaded = sonde_window_load_state (self);
}

static void
sonde_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SondeWindow *self = SONDE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_URL_VALID:
      g_value_set_boolean (value, self->url_valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_window_class_init (SondeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = sonde_window_get_property;

  window_class->close_request = sonde_window_close_request;

  /**
   * SondeWindow:url-valid:
   *
   * Whether the URL entry holds a URL Sonde can connect to.
   */
  properties[PROP_URL_VALID] =
    g_param_spec_boolean ("url-valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/sonde-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, url_message);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.focus-url", NULL, focus_url_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-url", NULL);
}

static void
sonde_window_init (SondeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::application",
                    G_CALLBACK (sonde_window_notify_application), NULL);

  sonde_window_update_actions (self);
}

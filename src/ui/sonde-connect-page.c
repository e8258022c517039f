/* sonde-connect-page.c: a tab's connection described: URL, headers and the engines' options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-ui-util.h"

#include "sonde-connect-page.h"
#include "sonde-settings.h"
#include "sonde-url.h"

/* The page edits a SondeSessionConfig and knows nothing of connecting: the
 * tab's Connect action reads the config from it. The URL is checked as it is
 * typed, with core's own sentence for what is wrong; the WebSocket options
 * show only for a WebSocket URL. */

typedef enum
{
  POLICY_SPEC,
  POLICY_NONE,
  POLICY_FIXED,
  POLICY_BACKOFF,
} PolicyChoice;

struct _SondeConnectPage
{
  GtkWidget           parent_instance;

  AdwEntryRow        *url_entry;
  GtkLabel           *url_message;
  GtkButton          *connect_button;
  GtkButton          *cancel_button;
  GtkListBox         *headers_list;
  AdwPreferencesGroup *ws_group;
  AdwEntryRow        *protocols_row;
  AdwEntryRow        *origin_row;
  GtkSwitch          *deflate_switch;
  GtkSpinButton      *keepalive_spin;
  AdwEntryRow        *open_message_row;
  AdwExpanderRow     *resume_row;
  AdwEntryRow        *resume_path_row;
  AdwEntryRow        *resume_message_row;
  AdwEntryRow        *resume_query_row;
  AdwComboRow        *policy_row;
  AdwActionRow       *any_close_row;
  GtkSwitch          *any_close_switch;
  AdwActionRow       *initial_row;
  GtkSpinButton      *initial_spin;
  AdwActionRow       *max_row;
  GtkSpinButton      *max_spin;
  AdwActionRow       *factor_row;
  GtkSpinButton      *factor_spin;
  AdwActionRow       *jitter_row;
  GtkSpinButton      *jitter_spin;
  AdwActionRow       *attempts_row;
  GtkSpinButton      *attempts_spin;
  GtkSpinButton      *max_size_spin;
  GtkSpinButton      *timeout_spin;

  SondeTransport      transport;
  GTlsCertificateFlags accepted_certificate_errors;
  guint               url_valid : 1;
  guint               has_transport : 1;
  guint               policy_chosen : 1;
  guint               setting_policy : 1;
};

G_DEFINE_FINAL_TYPE (SondeConnectPage, sonde_connect_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_URL_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
set_message (SondeConnectPage *self,
             const char       *message,
             gboolean          is_error)
{
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

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->url_entry), GTK_ACCESSIBLE_STATE_INVALID,
                               is_error ? GTK_ACCESSIBLE_INVALID_TRUE
                                        : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
update_policy_rows (SondeConnectPage *self)
{
  PolicyChoice choice = adw_combo_row_get_selected (self->policy_row);
  gboolean ws = self->has_transport && self->transport == SONDE_TRANSPORT_WEBSOCKET;

  gtk_widget_set_visible (GTK_WIDGET (self->any_close_row), ws && choice != POLICY_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->initial_row),
                          choice == POLICY_FIXED || choice == POLICY_BACKOFF);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->initial_row),
                                 choice == POLICY_BACKOFF ? _("First Delay") : _("Delay"));
  gtk_widget_set_visible (GTK_WIDGET (self->max_row), choice == POLICY_BACKOFF);
  gtk_widget_set_visible (GTK_WIDGET (self->factor_row), choice == POLICY_BACKOFF);
  gtk_widget_set_visible (GTK_WIDGET (self->jitter_row),
                          choice == POLICY_FIXED || choice == POLICY_BACKOFF);
  gtk_widget_set_visible (GTK_WIDGET (self->attempts_row), choice != POLICY_NONE);
}

static void
set_policy_choice (SondeConnectPage *self,
                   PolicyChoice      choice)
{
  self->setting_policy = TRUE;
  adw_combo_row_set_selected (self->policy_row, choice);
  self->setting_policy = FALSE;
  update_policy_rows (self);
}

static void
show_policy (SondeConnectPage           *self,
             const SondeReconnectPolicy *policy)
{
  set_policy_choice (self, policy->mode == SONDE_RECONNECT_SPEC ? POLICY_SPEC
                         : policy->mode == SONDE_RECONNECT_NONE ? POLICY_NONE
                         : policy->mode == SONDE_RECONNECT_FIXED ? POLICY_FIXED
                         : POLICY_BACKOFF);
  gtk_spin_button_set_value (self->initial_spin, policy->initial_ms);
  gtk_spin_button_set_value (self->max_spin, policy->max_ms);
  gtk_spin_button_set_value (self->factor_spin, policy->factor);
  gtk_spin_button_set_value (self->jitter_spin, policy->jitter);
  gtk_spin_button_set_value (self->attempts_spin, policy->max_attempts);
}

/* A new tab starts with the transport's policy from the preferences. */
static void
show_default_policy (SondeConnectPage *self,
                     SondeTransport    transport)
{
  g_autoptr(GSettings) settings = sonde_settings_new_if_installed ();
  SondeReconnectPolicy policy;

  sonde_settings_get_reconnect_policy (settings, transport, &policy);
  show_policy (self, &policy);
}

static void
policy_changed_cb (SondeConnectPage *self,
                   GParamSpec       *pspec,
                   AdwComboRow      *row)
{
  if (!self->setting_policy)
    self->policy_chosen = TRUE;
  update_policy_rows (self);
}

/* Bound to notify::text rather than GtkEditable::changed: replacing the text
 * emits "changed" twice, once with the entry empty, which would flip
 * url-valid, the Connect button and the accessible invalid state off and on. */
static void
url_entry_text_changed_cb (SondeConnectPage *self,
                           GParamSpec       *pspec,
                           AdwEntryRow      *entry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SondeTransport transport;
  const char *text;
  gboolean valid;

  text = gtk_editable_get_text (GTK_EDITABLE (entry));
  valid = sonde_url_parse (text, &transport, &uri, &error);

  if (valid)
    set_message (self, describe_url (transport, uri), FALSE);
  else if (text[0] == '\0')
    set_message (self, _("For example https://example.com/events or wss://example.com/socket"),
                 FALSE);
  else
    set_message (self, error->message, TRUE);

  if (valid && (!self->has_transport || transport != self->transport))
    {
      self->transport = transport;
      self->has_transport = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self->ws_group), transport == SONDE_TRANSPORT_WEBSOCKET);
      if (!self->policy_chosen)
        show_default_policy (self, transport);
      update_policy_rows (self);
    }

  if (valid != self->url_valid)
    {
      self->url_valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL_VALID]);
    }
}

static void
url_entry_activate_cb (SondeConnectPage *self,
                       AdwEntryRow      *entry)
{
  if (self->url_valid)
    gtk_widget_activate_action (GTK_WIDGET (self), "tab.connect", NULL);
  else
    gtk_widget_error_bell (GTK_WIDGET (entry));
}

/* Headers: a row of two entries and a remove button each. */

static void
remove_header_cb (GtkButton *button,
                  GtkWidget *row)
{
  GtkWidget *list = gtk_widget_get_parent (row);
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  if (next == NULL)
    next = gtk_widget_get_prev_sibling (row);
  gtk_list_box_remove (GTK_LIST_BOX (list), row);

  /* Keep the focus in the list rather than losing it to the window. */
  if (next != NULL)
    gtk_widget_child_focus (next, GTK_DIR_TAB_FORWARD);
}

/**
 * sonde_connect_page_add_header:
 *
 * Adds a header row, and puts the focus in its name.
 */
void
sonde_connect_page_add_header (SondeConnectPage *self,
                               const char       *name,
                               const char       *value)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *name_entry;
  GtkWidget *value_entry;
  GtkWidget *remove;

  g_return_if_fail (SONDE_IS_CONNECT_PAGE (self));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  name_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (name_entry), _("Name"));
  gtk_editable_set_width_chars (GTK_EDITABLE (name_entry), 14);
  gtk_editable_set_text (GTK_EDITABLE (name_entry), name != NULL ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (name_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Header Name"), -1);
  gtk_widget_add_css_class (name_entry, "header-name");
  gtk_box_append (GTK_BOX (box), name_entry);

  value_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (value_entry), _("Value"));
  gtk_widget_set_hexpand (value_entry, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (value_entry), value != NULL ? value : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Header Value"), -1);
  gtk_box_append (GTK_BOX (box), value_entry);

  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Header"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Header"), -1);
  gtk_box_append (GTK_BOX (box), remove);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_header_cb), row);
  gtk_list_box_append (self->headers_list, row);

  gtk_widget_grab_focus (name_entry);
}

static void
add_header_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sonde_connect_page_add_header (SONDE_CONNECT_PAGE (widget), NULL, NULL);
}

static void
clear_headers (SondeConnectPage *self)
{
  GtkWidget *row;

  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->headers_list, 0))) != NULL)
    gtk_list_box_remove (self->headers_list, row);
}

static char *
dup_row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/**
 * sonde_connect_page_get_config:
 *
 * Returns: (transfer full) (nullable): what the page describes, or %NULL
 *   with @error saying, for people, what cannot work
 */
SondeSessionConfig *
sonde_connect_page_get_config (SondeConnectPage  *self,
                               GError           **error)
{
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autofree char *protocols = NULL;
  g_autofree char *open_message = NULL;
  PolicyChoice choice;
  int i = 0;
  GtkListBoxRow *row;

  g_return_val_if_fail (SONDE_IS_CONNECT_PAGE (self), NULL);

  config = sonde_session_config_new (gtk_editable_get_text (GTK_EDITABLE (self->url_entry)), error);
  if (config == NULL)
    return NULL;

  while ((row = gtk_list_box_get_row_at_index (self->headers_list, i++)) != NULL)
    {
      GtkWidget *box = gtk_list_box_row_get_child (row);
      GtkWidget *name_entry = gtk_widget_get_first_child (box);
      GtkWidget *value_entry = gtk_widget_get_next_sibling (name_entry);
      g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (name_entry)));
      const char *value = gtk_editable_get_text (GTK_EDITABLE (value_entry));

      g_strstrip (name);
      /* An empty row is one the user has not filled in yet, not a mistake. */
      if (name[0] == '\0' && value[0] == '\0')
        continue;
      sonde_session_config_add_header (config, name, value);
    }

  choice = adw_combo_row_get_selected (self->policy_row);
  config->policy.mode = choice == POLICY_SPEC ? SONDE_RECONNECT_SPEC
                      : choice == POLICY_NONE ? SONDE_RECONNECT_NONE
                      : choice == POLICY_FIXED ? SONDE_RECONNECT_FIXED
                      : SONDE_RECONNECT_BACKOFF;
  config->policy.initial_ms = (guint)gtk_spin_button_get_value_as_int (self->initial_spin);
  config->policy.max_ms = (guint)gtk_spin_button_get_value_as_int (self->max_spin);
  config->policy.factor = gtk_spin_button_get_value (self->factor_spin);
  config->policy.jitter = gtk_spin_button_get_value (self->jitter_spin);
  config->policy.max_attempts = (guint)gtk_spin_button_get_value_as_int (self->attempts_spin);
  config->max_size = (gsize)gtk_spin_button_get_value_as_int (self->max_size_spin) * 1024;
  config->timeout_ms = (guint)gtk_spin_button_get_value_as_int (self->timeout_spin) * 1000;
  config->accepted_certificate_errors = self->accepted_certificate_errors;

  if (config->transport == SONDE_TRANSPORT_WEBSOCKET)
    {
      protocols = dup_row_text (self->protocols_row);
      if (protocols != NULL)
        {
          config->protocols = g_strsplit (protocols, ",", -1);
          for (guint j = 0; config->protocols[j] != NULL; j++)
            g_strstrip (config->protocols[j]);
        }
      config->origin = dup_row_text (self->origin_row);
      config->deflate = gtk_switch_get_active (self->deflate_switch);
      config->keepalive_ms = (guint)(gtk_spin_button_get_value (self->keepalive_spin) * 1000);
      config->reconnect_on_any_close = gtk_switch_get_active (self->any_close_switch);
      open_message = dup_row_text (self->open_message_row);
      if (open_message != NULL)
        {
          config->open_messages = g_new0 (char *, 2);
          config->open_messages[0] = g_steal_pointer (&open_message);
        }
      if (adw_expander_row_get_enable_expansion (self->resume_row))
        {
          config->resume_path = dup_row_text (self->resume_path_row);
          config->resume_message = dup_row_text (self->resume_message_row);
          config->resume_query = dup_row_text (self->resume_query_row);
        }
    }

  if (!sonde_session_config_check (config, error))
    return NULL;

  return g_steal_pointer (&config);
}

/**
 * sonde_connect_page_set_config:
 *
 * Shows @config, to be edited and connected again.
 */
void
sonde_connect_page_set_config (SondeConnectPage         *self,
                               const SondeSessionConfig *config)
{
  const SondeReconnectPolicy *policy;

  g_return_if_fail (SONDE_IS_CONNECT_PAGE (self));
  g_return_if_fail (config != NULL);

  policy = &config->policy;
  sonde_connect_page_set_url (self, config->url);

  clear_headers (self);
  for (guint i = 0; config->headers != NULL && config->headers[i] != NULL; i += 2)
    sonde_connect_page_add_header (self, config->headers[i], config->headers[i + 1]);

  show_policy (self, policy);
  self->policy_chosen = TRUE;
  gtk_spin_button_set_value (self->max_size_spin, (double)(config->max_size / 1024));
  gtk_spin_button_set_value (self->timeout_spin, config->timeout_ms / 1000.0);
  self->accepted_certificate_errors = config->accepted_certificate_errors;

  {
    g_autofree char *protocols = config->protocols != NULL
                                   ? g_strjoinv (", ", config->protocols) : NULL;

    set_row_text (self->protocols_row, protocols);
  }
  set_row_text (self->origin_row, config->origin);
  gtk_switch_set_active (self->deflate_switch, config->deflate);
  gtk_spin_button_set_value (self->keepalive_spin, config->keepalive_ms / 1000.0);
  gtk_switch_set_active (self->any_close_switch, config->reconnect_on_any_close);
  set_row_text (self->open_message_row,
                config->open_messages != NULL ? config->open_messages[0] : NULL);
  adw_expander_row_set_enable_expansion (self->resume_row, config->resume_path != NULL);
  set_row_text (self->resume_path_row, config->resume_path);
  set_row_text (self->resume_message_row, config->resume_message);
  set_row_text (self->resume_query_row, config->resume_query);
}

GtkWidget *
sonde_connect_page_new (void)
{
  return g_object_new (SONDE_TYPE_CONNECT_PAGE, NULL);
}

const char *
sonde_connect_page_get_url (SondeConnectPage *self)
{
  g_return_val_if_fail (SONDE_IS_CONNECT_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
}

void
sonde_connect_page_set_url (SondeConnectPage *self,
                            const char       *url)
{
  g_return_if_fail (SONDE_IS_CONNECT_PAGE (self));
  g_return_if_fail (url != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
}

gboolean
sonde_connect_page_get_url_valid (SondeConnectPage *self)
{
  g_return_val_if_fail (SONDE_IS_CONNECT_PAGE (self), FALSE);

  return self->url_valid;
}

/**
 * sonde_connect_page_set_editing:
 *
 * Whether the page edits a tab's existing connection, which Cancel returns to.
 */
void
sonde_connect_page_set_editing (SondeConnectPage *self,
                                gboolean          editing)
{
  g_return_if_fail (SONDE_IS_CONNECT_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), editing);
}

/**
 * sonde_connect_page_show_error:
 *
 * Says under the URL what keeps the connection from being made.
 */
void
sonde_connect_page_show_error (SondeConnectPage *self,
                               const char       *message)
{
  g_return_if_fail (SONDE_IS_CONNECT_PAGE (self));

  set_message (self, message, TRUE);
}

void
sonde_connect_page_focus_url (SondeConnectPage *self)
{
  g_return_if_fail (SONDE_IS_CONNECT_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->url_entry), 0, -1);
}

static void
sonde_connect_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SONDE_TYPE_CONNECT_PAGE);
  /* 4.8 leaves the template's unnamed children in place. */
  sonde_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (sonde_connect_page_parent_class)->dispose (object);
}

static void
sonde_connect_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeConnectPage *self = SONDE_CONNECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_URL_VALID:
      g_value_set_boolean (value, self->url_valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
sonde_connect_page_grab_focus (GtkWidget *widget)
{
  SondeConnectPage *self = SONDE_CONNECT_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

static void
sonde_connect_page_class_init (SondeConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_connect_page_dispose;
  object_class->get_property = sonde_connect_page_get_property;

  widget_class->grab_focus = sonde_connect_page_grab_focus;

  /* Whether the URL is one Sonde can connect to. */
  properties[PROP_URL_VALID] =
    g_param_spec_boolean ("url-valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, url_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, url_message);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, headers_list);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, ws_group);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, protocols_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, origin_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, deflate_switch);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, keepalive_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, open_message_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, resume_path_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, resume_message_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, resume_query_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, policy_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, any_close_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, any_close_switch);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, initial_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, initial_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, max_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, max_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, factor_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, factor_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, jitter_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, jitter_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, attempts_row);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, max_size_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeConnectPage, timeout_spin);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, policy_changed_cb);

  gtk_widget_class_install_action (widget_class, "page.add-header", NULL, add_header_action);
}

static void
sonde_connect_page_init (SondeConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sonde_widget_fix_accessible_names (GTK_WIDGET (self));

  gtk_widget_set_visible (GTK_WIDGET (self->ws_group), FALSE);
  set_policy_choice (self, POLICY_SPEC);
}

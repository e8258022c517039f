/* sonde-status-line.c: a tab's connection state in words, and its live counters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sonde-ui-util.h"

#include "sonde-entry-text.h"
#include "sonde-status-line.h"
#include "sonde-utf8.h"

struct _SondeStatusLine
{
  GtkWidget     parent_instance;

  GtkImage     *state_icon;
  GtkLabel     *state_label;
  GtkLabel     *counters_label;

  SondeSession *session;
  GSignalGroup *session_signals;
};

G_DEFINE_FINAL_TYPE (SondeStatusLine, sonde_status_line, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * sonde_connection_state_icon_name:
 *
 * Returns: the symbolic icon that stands for @state, on the tab and the status line
 */
const char *
sonde_connection_state_icon_name (SondeConnectionState state)
{
  switch (state)
    {
    case SONDE_CONNECTION_IDLE:
      return "network-idle-symbolic";
    case SONDE_CONNECTION_CONNECTING:
      return "network-wired-acquiring-symbolic";
    case SONDE_CONNECTION_OPEN:
      return "network-transmit-receive-symbolic";
    case SONDE_CONNECTION_WAITING:
      return "media-playlist-repeat-symbolic";
    case SONDE_CONNECTION_CLOSED:
      return "network-offline-symbolic";
    case SONDE_CONNECTION_FAILED:
      return "dialog-error-symbolic";
    default:
      g_assert_not_reached ();
    }
}

/* A reason may quote the peer (a status line, a content type, a Location):
 * shown with its control characters as pictures, on one line. */
static char *
printable_reason (SondeSession *session)
{
  const char *reason = sonde_session_get_reason (session);

  return reason != NULL ? sonde_utf8_printable (reason, -1) : NULL;
}

/* In the very words of the wait's `reconnect` row in the list, and with
 * its number: the whole delay, not a countdown, which would disagree with
 * the row a second later. */
static char *
describe_wait (SondeSession *session)
{
  g_autofree char *reason = printable_reason (session);
  char wait[SONDE_ENTRY_TEXT_SHORT_SIZE];

  sonde_entry_text_format_reconnect (sonde_session_get_retry_delay (session),
                                     sonde_session_get_attempt (session), wait, sizeof wait);
  if (reason != NULL)
    /* Translators: a reconnect wait, such as “Reconnecting in 3 s (attempt 4)”, and why
     * the connection ended, such as “Connection reset by peer” */
    return g_strdup_printf (C_("reconnect wait", "%s: %s"), wait, reason);
  return g_strdup (wait);
}

/**
 * sonde_session_describe_state:
 *
 * Returns: (transfer full): the session's state in words, with its reason
 */
char *
sonde_session_describe_state (SondeSession *session)
{
  g_autofree char *reason = printable_reason (session);

  switch (sonde_session_get_state (session))
    {
    case SONDE_CONNECTION_IDLE:
      return g_strdup (_("Not connected"));

    case SONDE_CONNECTION_CONNECTING:
      if (sonde_session_get_attempt (session) > 0)
        return g_strdup_printf (_("Connecting, attempt %u…"),
                                sonde_session_get_attempt (session));
      return g_strdup (_("Connecting…"));

    case SONDE_CONNECTION_OPEN:
      return g_strdup (_("Open"));

    case SONDE_CONNECTION_WAITING:
      return describe_wait (session);

    case SONDE_CONNECTION_CLOSED:
      if (reason != NULL)
        /* Translators: the connection ended; %s says why */
        return g_strdup_printf (_("Closed: %s"), reason);
      return g_strdup (_("Closed"));

    case SONDE_CONNECTION_FAILED:
      if (reason != NULL)
        /* Translators: the connection failed for good; %s says why */
        return g_strdup_printf (_("Failed: %s"), reason);
      return g_strdup (_("Failed"));

    default:
      g_assert_not_reached ();
    }
}

static char *
describe_counters (SondeSession *session)
{
  GString *text = g_string_new (NULL);
  guint64 n_entries = sonde_session_get_n_entries (session);
  guint64 n_released = sonde_session_get_n_released (session);
  guint n_reconnects = sonde_session_get_n_reconnects (session);
  const char *last_id = sonde_session_get_last_id (session);
  g_autofree char *in = g_format_size (sonde_session_get_bytes_in (session));
  g_autofree char *out = g_format_size (sonde_session_get_bytes_out (session));
  /* Between the counters of the status line */
  const char *sep = _(" · ");

  {
    /* Digits grouped as the locale does. */
    g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, n_entries);

    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s entry", "%s entries",
                                               n_entries),
                            count);
  }
  if (n_released > 0)
    {
      g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, n_released);

      g_string_append (text, sep);
      /* Translators: the preferences limit the entries kept per tab; the oldest went */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s oldest entry removed",
                                                 "%s oldest entries removed", n_released),
                              count);
    }
  g_string_append (text, sep);
  g_string_append_printf (text, _("%'.0f events/s"),
                          round (sonde_session_get_events_per_second (session)));
  g_string_append (text, sep);
  /* Translators: bytes received, such as “1.2 MB in” */
  g_string_append_printf (text, _("%s in"), in);
  g_string_append (text, sep);
  /* Translators: bytes sent, such as “3.4 kB out” */
  g_string_append_printf (text, _("%s out"), out);
  g_string_append (text, sep);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u reconnect", "%u reconnects",
                                             n_reconnects),
                          n_reconnects);

  if (last_id != NULL)
    {
      g_string_append (text, sep);
      if (sonde_session_get_transport (session) == SONDE_TRANSPORT_SSE)
        g_string_append_printf (text, _("Last event ID: %s"), last_id);
      else
        g_string_append_printf (text, _("Resume value: %s"), last_id);
    }

  return g_string_free (text, FALSE);
}

static void
sonde_status_line_update (SondeStatusLine *self)
{
  g_autofree char *state_text = NULL;
  g_autofree char *counters_text = NULL;
  SondeConnectionState state;

  if (self->session == NULL)
    {
      gtk_label_set_label (self->state_label, _("Not connected"));
      gtk_label_set_label (self->counters_label, "");
      gtk_image_set_from_icon_name (self->state_icon,
                                    sonde_connection_state_icon_name (SONDE_CONNECTION_IDLE));
      return;
    }

  state = sonde_session_get_state (self->session);
  state_text = sonde_session_describe_state (self->session);
  counters_text = describe_counters (self->session);

  gtk_label_set_label (self->state_label, state_text);
  /* Setting a tooltip, even the same one, asks X where the pointer is. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->state_label)), state_text) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), state_text);
  gtk_label_set_label (self->counters_label, counters_text);
  gtk_image_set_from_icon_name (self->state_icon, sonde_connection_state_icon_name (state));

  if (state == SONDE_CONNECTION_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "failed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");
}

static void
session_notify_cb (SondeStatusLine *self,
                   GParamSpec      *pspec,
                   SondeSession    *session)
{
  sonde_status_line_update (self);
}

GtkWidget *
sonde_status_line_new (void)
{
  return g_object_new (SONDE_TYPE_STATUS_LINE, NULL);
}

/**
 * sonde_status_line_get_session:
 *
 * Returns: (transfer none) (nullable): the session shown
 */
SondeSession *
sonde_status_line_get_session (SondeStatusLine *self)
{
  g_return_val_if_fail (SONDE_IS_STATUS_LINE (self), NULL);

  return self->session;
}

void
sonde_status_line_set_session (SondeStatusLine *self,
                               SondeSession    *session)
{
  g_return_if_fail (SONDE_IS_STATUS_LINE (self));
  g_return_if_fail (session == NULL || SONDE_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  sonde_status_line_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
sonde_status_line_get_state_text (SondeStatusLine *self)
{
  g_return_val_if_fail (SONDE_IS_STATUS_LINE (self), NULL);

  return gtk_label_get_label (self->state_label);
}

const char *
sonde_status_line_get_counters_text (SondeStatusLine *self)
{
  g_return_val_if_fail (SONDE_IS_STATUS_LINE (self), NULL);

  return gtk_label_get_label (self->counters_label);
}

static void
sonde_status_line_dispose (GObject *object)
{
  SondeStatusLine *self = SONDE_STATUS_LINE (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_STATUS_LINE);
  /* 4.8 leaves the template's unnamed children in place. */
  sonde_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (sonde_status_line_parent_class)->dispose (object);
}

static void
sonde_status_line_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeStatusLine *self = SONDE_STATUS_LINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_status_line_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeStatusLine *self = SONDE_STATUS_LINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sonde_status_line_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_status_line_class_init (SondeStatusLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_status_line_dispose;
  object_class->get_property = sonde_status_line_get_property;
  object_class->set_property = sonde_status_line_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SONDE_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-status-line.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeStatusLine, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SondeStatusLine, state_label);
  gtk_widget_class_bind_template_child (widget_class, SondeStatusLine, counters_label);
  gtk_widget_class_set_css_name (widget_class, "statusline");
}

static void
sonde_status_line_init (SondeStatusLine *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_signals = g_signal_group_new (SONDE_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify",
                                 G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
  sonde_status_line_update (self);
}

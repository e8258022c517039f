/* sonde-request-bar.c: an SSE tab's client message: an HTTP request beside the stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-entry-text.h"
#include "sonde-error.h"
#include "sonde-request-bar.h"
#include "sonde-ui-util.h"

/* SSE is one way: an application talks back with plain HTTP requests, and
 * their effect shows on the stream. The bar builds such a request and hands
 * it to the session, whose worker thread sends it and logs the exchange as
 * a `request` entry beside the events; the bar says how it went. */

struct _SondeRequestBar
{
  GtkWidget     parent_instance;

  GtkEntry     *method_entry;
  GtkEntry     *url_entry;
  GtkToggleButton *details_toggle;
  GtkRevealer  *details_revealer;
  GtkButton    *send_button;
  GtkTextView  *headers_view;
  GtkTextView  *body_view;
  GtkLabel     *message_label;

  SondeSession *session;
  GCancellable *cancellable;
  char         *message;
  guint64       last_seq;
  guint         n_waiting;
};

G_DEFINE_FINAL_TYPE (SondeRequestBar, sonde_request_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_MESSAGE,
  PROP_LAST_SEQ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message (SondeRequestBar *self,
             const char      *text,
             gboolean         is_error)
{
  g_free (self->message);
  self->message = g_strdup (text);
  sonde_message_label_set (self->message_label, text, is_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static char *
text_of (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/**
 * sonde_request_bar_get_request:
 *
 * Reads the bar: the method, the URL, one header per line of the headers
 * field ("Name: value"; empty lines are skipped), the body.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @error
 *   saying what is wrong and where
 */
SondeSideRequest *
sonde_request_bar_get_request (SondeRequestBar  *self,
                               GError          **error)
{
  g_autoptr(SondeSideRequest) request = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *method = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (SONDE_IS_REQUEST_BAR (self), NULL);

  method = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->method_entry))));
  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  request = sonde_side_request_new (method, url);

  headers = text_of (self->headers_view);
  lines = g_strsplit (headers, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      colon = strchr (lines[i], ':');
      if (colon == NULL)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       /* Translators: %u is a line of the headers field, from 1 */
                       _("Line %u of the headers has no “:” between the name and the value"),
                       i + 1);
          return NULL;
        }
      name = g_strstrip (g_strndup (lines[i], (gsize)(colon - lines[i])));
      value = g_strstrip (g_strdup (colon + 1));
      sonde_side_request_add_header (request, name, value);
    }

  body = text_of (self->body_view);
  if (body[0] != '\0')
    {
      gsize len = strlen (body);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), len);

      sonde_side_request_set_body (request, bytes);
    }

  if (!sonde_side_request_check (request, error))
    return NULL;

  return g_steal_pointer (&request);
}

/**
 * sonde_request_bar_get_message:
 *
 * Returns: (nullable): what the bar says under the request: how the last
 *   one went, or what is wrong with this one
 */
const char *
sonde_request_bar_get_message (SondeRequestBar *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_BAR (self), NULL);

  return self->message;
}

/**
 * sonde_request_bar_get_last_seq:
 *
 * Returns: the `request` entry of the last request that ended, or
 *   %G_MAXUINT64 before one did
 */
guint64
sonde_request_bar_get_last_seq (SondeRequestBar *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_BAR (self), G_MAXUINT64);

  return self->last_seq;
}

static void
update_actions (SondeRequestBar *self)
{
  gboolean running = self->session != NULL && sonde_session_get_running (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "request.send", running);
}

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SondeRequestBar) self = user_data;
  g_autoptr(GError) error = NULL;
  SondeEventLog *log = sonde_session_get_log (SONDE_SESSION (object));
  SondeEntryView view;
  guint64 seq;
  gboolean ok;

  ok = sonde_session_send_request_finish (SONDE_SESSION (object), result, &seq, &error);
  self->n_waiting--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (self->cancellable))
    return;

  /* The entry says it as the list does: method, URL, status, time. */
  if (seq != G_MAXUINT64 && sonde_event_log_get_view (log, seq, &view))
    {
      char text[SONDE_ENTRY_TEXT_PREVIEW_SIZE];

      sonde_entry_text_format_preview (&view, text, sizeof text);
      set_message (self, text, !ok);
    }
  else if (error != NULL)
    set_message (self, error->message, TRUE);
  else
    /* Its entry is logged but already let go of, under a limit of entries
     * kept per tab. */
    set_message (self, _("The response came; its entry is no longer kept"), FALSE);

  self->last_seq = seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SEQ]);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeRequestBar *self = SONDE_REQUEST_BAR (widget);
  g_autoptr(SondeSideRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = sonde_request_bar_get_request (self, &error);
  if (request == NULL)
    {
      set_message (self, error->message, TRUE);
      gtk_widget_error_bell (widget);
      return;
    }

  /* Translators: said while an HTTP request waits for its response */
  set_message (self, _("Sending…"), FALSE);
  self->n_waiting++;
  sonde_session_send_request_async (self->session, request, self->cancellable, request_done_cb,
                                    g_object_ref (self));
}

/* Before the text views', so that Ctrl+Return sends rather than breaks a
 * line, and never reaches the tab, where it would reconnect. */
static gboolean
send_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  gtk_widget_activate_action (widget, "request.send", NULL);
  return TRUE;
}

static void
url_activate_cb (SondeRequestBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "request.send", NULL);
}

static void
session_running_cb (SondeRequestBar *self)
{
  update_actions (self);
}

/**
 * sonde_request_bar_new:
 * @session: the session whose log the requests go to
 *
 * Returns: (transfer floating): a request bar for @session
 */
GtkWidget *
sonde_request_bar_new (SondeSession *session)
{
  g_return_val_if_fail (SONDE_IS_SESSION (session), NULL);

  return g_object_new (SONDE_TYPE_REQUEST_BAR, "session", session, NULL);
}

static void
sonde_request_bar_constructed (GObject *object)
{
  SondeRequestBar *self = SONDE_REQUEST_BAR (object);
  g_autofree char *url = NULL;

  G_OBJECT_CLASS (sonde_request_bar_parent_class)->constructed (object);

  g_return_if_fail (self->session != NULL);
  url = sonde_side_request_default_url (sonde_session_get_url (self->session));
  if (url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  g_signal_connect_object (self->session, "notify::running", G_CALLBACK (session_running_cb),
                           self, G_CONNECT_SWAPPED);
  update_actions (self);
}

static void
sonde_request_bar_dispose (GObject *object)
{
  SondeRequestBar *self = SONDE_REQUEST_BAR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_REQUEST_BAR);
  sonde_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sonde_request_bar_parent_class)->dispose (object);
}

static void
sonde_request_bar_finalize (GObject *object)
{
  SondeRequestBar *self = SONDE_REQUEST_BAR (object);

  g_clear_object (&self->cancellable);
  g_free (self->message);

  G_OBJECT_CLASS (sonde_request_bar_parent_class)->finalize (object);
}

static void
sonde_request_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeRequestBar *self = SONDE_REQUEST_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_LAST_SEQ:
      g_value_set_uint64 (value, self->last_seq);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_bar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeRequestBar *self = SONDE_REQUEST_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_bar_class_init (SondeRequestBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_request_bar_constructed;
  object_class->dispose = sonde_request_bar_dispose;
  object_class->finalize = sonde_request_bar_finalize;
  object_class->get_property = sonde_request_bar_get_property;
  object_class->set_property = sonde_request_bar_set_property;

  /* The session whose worker sends the requests and whose log keeps them. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SONDE_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* What the bar says under the request. */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The entry of the last request that ended. */
  properties[PROP_LAST_SEQ] =
    g_param_spec_uint64 ("last-seq", NULL, NULL, 0, G_MAXUINT64, G_MAXUINT64,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-request-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, method_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, url_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, details_toggle);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, send_button);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, headers_view);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, body_view);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestBar, message_label);

  gtk_widget_class_install_action (widget_class, "request.send", NULL, send_action);

  gtk_widget_class_set_css_name (widget_class, "sonde-request-bar");
}

static void
sonde_request_bar_init (SondeRequestBar *self)
{
  self->last_seq = G_MAXUINT64;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The inspector names its own controls at init; this bar comes later. */
  sonde_widget_fix_accessible_names (GTK_WIDGET (self));

  sonde_widget_add_capture_shortcut (GTK_WIDGET (self), GDK_KEY_Return, GDK_CONTROL_MASK,
                                     send_shortcut_cb, NULL);
  sonde_widget_add_capture_shortcut (GTK_WIDGET (self), GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                     send_shortcut_cb, NULL);
  g_signal_connect_object (self->url_entry, "activate", G_CALLBACK (url_activate_cb), self,
                           G_CONNECT_SWAPPED);
}

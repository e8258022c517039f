/* sonde-sse-client.c: a Server-Sent Events connection on a SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "sonde-connection-private.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-sse-client.h"
#include "sonde-sse-parser.h"
#include "sonde-tls.h"

/* Large reads keep the per-read overhead small when the server floods us. */
#define READ_SIZE (256 * 1024)
/* WHATWG's default reconnection time, before any `retry:`. */
#define DEFAULT_RECONNECTION_TIME 3000

/* How far an attempt got, for what a timeout says. */
typedef enum
{
  PHASE_CONNECTING,
  PHASE_TLS,
  PHASE_WAITING,       /* the request is out; no response headers yet */
} Phase;

struct _SondeSseClient
{
  SondeConnection       parent_instance;

  SoupSession          *session;
  SoupMessage          *message;
  GInputStream         *body;
  GCancellable         *cancellable;
  GSource              *timeout_source;
  Phase                 phase;
  SondeSseParser       *parser;
  SondeEventLog        *log;
  guint8               *buffer;
  gsize                 max_size;
  guint                 reconnection_time;
  GTlsCertificateFlags  tls_errors;
  gboolean              tls_accepted;
};

G_DEFINE_FINAL_TYPE (SondeSseClient, sonde_sse_client, SONDE_TYPE_CONNECTION)

static void read_next (SondeSseClient *self);

static void
on_event (gpointer             user_data,
          const SondeSseEvent *event)
{
  SondeSseClient *self = user_data;

  sonde_event_log_append (self->log, sonde_event_log_now (self->log),
                          SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                          event->id, event->id_len, NULL, 0,
                          event->raw, event->raw_len);
}

static void
on_comment (gpointer      user_data,
            const char   *text,
            gsize         text_len,
            const guint8 *raw,
            gsize         raw_len)
{
  SondeSseClient *self = user_data;

  sonde_event_log_append (self->log, sonde_event_log_now (self->log),
                          SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT,
                          NULL, 0, NULL, 0, raw, raw_len);
}

static void
on_retry (gpointer user_data,
          guint64  ms)
{
  SondeSseClient *self = user_data;
  g_autoptr(GString) fields = NULL;
  guint clamped = (guint)MIN (ms, (guint64)G_MAXINT);

  if (clamped == self->reconnection_time)
    return;

  self->reconnection_time = clamped;
  fields = g_string_new (NULL);
  sonde_json_append_member_int (fields, "ms", clamped);
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY,
                        fields->str, NULL, 0);
}

static void
on_dropped (gpointer           user_data,
            SondeSseDropReason reason,
            guint64            bytes)
{
  SondeSseClient *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = g_format_size_full (self->max_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *lost = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);

  if (reason == SONDE_SSE_DROP_LINE_TOO_LONG)
    error = g_error_new (SONDE_ERROR, SONDE_ERROR_TOO_LARGE,
                         /* Translators: both are sizes such as “16.0 MiB” */
                         _("A line longer than the limit of %s was dropped with its event "
                           "(%s discarded); the stream goes on"),
                         limit, lost);
  else
    error = g_error_new (SONDE_ERROR, SONDE_ERROR_TOO_LARGE,
                         _("An event larger than the limit of %s was dropped "
                           "(%s discarded); the stream goes on"),
                         limit, lost);

  sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
}

static const SondeSseCallbacks parser_callbacks = {
  .event = on_event,
  .comment = on_comment,
  .retry = on_retry,
  .dropped = on_dropped,
};

static void
clear_attempt (SondeSseClient *self)
{
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->body);
  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  g_clear_object (&self->message);
}

/* Ends the stream the parser was reading and says what was lost with it. */
static void
end_stream (SondeSseClient *self,
            const GError   *error)
{
  const guint8 *pending = NULL;
  gsize pending_len = sonde_sse_parser_get_pending (self->parser, &pending);
  g_autofree guint8 *lost = g_memdup2 (pending, pending_len);
  guint64 before = sonde_event_log_get_n_entries (self->log);

  /* The end of the stream can still complete a block that ended in a bare
   * CR; then nothing was lost. */
  sonde_sse_parser_end_stream (self->parser);
  if (sonde_event_log_get_n_entries (self->log) != before)
    pending_len = 0;
  pending = lost;

  if (error != NULL)
    {
      sonde_connection_log_error (SONDE_CONNECTION (self), error, pending, pending_len);
    }
  else
    {
      g_autoptr(GString) fields = g_string_new (NULL);

      if (pending_len > 0)
        {
          sonde_json_append_member_string (fields, "message",
                                           _("The server ended the stream in the middle of an "
                                             "event; the partial event was discarded"));
          sonde_json_append_member_int (fields, "discarded_bytes", pending_len);
        }
      else
        {
          sonde_json_append_member_string (fields, "message", _("The server ended the stream"));
        }
      sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                            fields->str, pending, pending_len);
    }

  clear_attempt (self);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SondeSseClient) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      G_INPUT_STREAM (object) != self->body)
    return;

  if (n < 0)
    {
      end_stream (self, error);
      sonde_connection_dropped (SONDE_CONNECTION (self), error);
      return;
    }

  if (n == 0)
    {
      end_stream (self, NULL);
      sonde_connection_dropped (SONDE_CONNECTION (self), NULL);
      return;
    }

  sonde_sse_parser_feed (self->parser, self->buffer, (gsize)n);
  read_next (self);
}

static void
read_next (SondeSseClient *self)
{
  g_input_stream_read_async (self->body, self->buffer, READ_SIZE, G_PRIORITY_DEFAULT,
                             self->cancellable, read_cb, g_object_ref (self));
}

static void
log_open (SondeSseClient *self)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  sonde_json_append_http_open (fields, self->message);
  if (self->tls_accepted)
    {
      g_autofree char *problems = sonde_tls_describe_flags (self->tls_errors);

      sonde_json_append_member_string (fields, "certificate_accepted", problems);
    }

  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
                        fields->str, NULL, 0);
}

/* Takes @error. */
static void
fail (SondeSseClient *self,
      GError         *error)
{
  sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
  clear_attempt (self);
  sonde_connection_failed (SONDE_CONNECTION (self), error);
  g_error_free (error);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SondeSseClient) self = user_data;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  guint status;

  body = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->message == NULL)
    return;

  /* The response headers are in (or the attempt failed): in time. */
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }

  if (body == NULL)
    {
      if ((self->tls_errors != 0 && !self->tls_accepted) || error->domain == G_TLS_ERROR)
        {
          fail (self, sonde_tls_describe_error (self->tls_errors, error));
          return;
        }

      sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
      clear_attempt (self);
      sonde_connection_dropped (SONDE_CONNECTION (self), error);
      return;
    }

  log_open (self);
  status = soup_message_get_status (self->message);

  if (status == SOUP_STATUS_NO_CONTENT)
    {
      g_autoptr(GString) fields = g_string_new (NULL);

      sonde_json_append_member_string (fields, "message",
                                       _("The server answered 204 No Content, which tells "
                                         "clients to stop reconnecting"));
      sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                            fields->str, NULL, 0);
      clear_attempt (self);
      sonde_connection_finished (SONDE_CONNECTION (self));
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      const char *reason = soup_message_get_reason_phrase (self->message);

      fail (self, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                               /* Translators: %u %s is an HTTP status such as “500 Internal Server Error” */
                               _("The server answered %u %s instead of 200 OK, so the stream "
                                 "is not reconnected"),
                               status, reason != NULL ? reason : ""));
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (self->message),
                                                        NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "text/event-stream") != 0)
    {
      if (content_type == NULL)
        fail (self, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                         _("The server sent no Content-Type instead of "
                                           "text/event-stream, so the stream is not reconnected")));
      else
        fail (self, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                 /* Translators: %s is a media type such as “text/plain” */
                                 _("The server sent %s instead of text/event-stream, so the stream "
                                   "is not reconnected"),
                                 content_type));
      return;
    }

  self->body = g_steal_pointer (&body);
  sonde_connection_opened (SONDE_CONNECTION (self));
  read_next (self);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SondeSseClient *self = user_data;

  self->tls_errors = errors;
  self->tls_accepted = sonde_connection_accept_certificate (SONDE_CONNECTION (self), errors);

  return self->tls_accepted;
}

static int
port_of (GUri *uri)
{
  if (g_uri_get_port (uri) != -1)
    return g_uri_get_port (uri);
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Whether @a and @b are one origin: scheme, host and port. */
static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         port_of (a) == port_of (b);
}

/* libsoup follows a redirect with the same request headers. The user's
 * cookies and authorization were meant for the URL they gave, not for
 * wherever its server sends them, so, as curl does, they stay behind when
 * the redirect leaves that origin. */
static void
restarted_cb (SoupMessage *message,
              gpointer     user_data)
{
  SondeSseClient *self = user_data;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autoptr(GUri) first = g_uri_parse (sonde_connection_get_url (SONDE_CONNECTION (self)),
                                       SOUP_HTTP_URI_FLAGS, NULL);

  if (first != NULL && same_origin (first, soup_message_get_uri (message)))
    return;

  soup_message_headers_remove (headers, "Cookie");
  soup_message_headers_remove (headers, "Authorization");
  soup_message_headers_remove (headers, "Proxy-Authorization");
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  SondeSseClient *self = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    self->phase = PHASE_TLS;
}

static void
wrote_headers_cb (SoupMessage *message,
                  gpointer     user_data)
{
  SONDE_SSE_CLIENT (user_data)->phase = PHASE_WAITING;
}

/* Connecting, TLS and the response headers took longer than the
 * connection's timeout: the attempt failed, and the policy decides. */
static gboolean
timeout_cb (gpointer user_data)
{
  SondeSseClient *self = user_data;
  guint timeout_ms = sonde_connection_get_timeout (SONDE_CONNECTION (self));
  g_autofree char *seconds = g_strdup_printf ("%g", timeout_ms / 1000.0);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->timeout_source, g_source_unref);

  switch (self->phase)
    {
    case PHASE_CONNECTING:
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           /* Translators: %s is a number of seconds */
                           _("No connection to the server within %s s"), seconds);
      break;
    case PHASE_TLS:
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           /* Translators: %s is a number of seconds */
                           _("The TLS handshake did not finish within %s s"), seconds);
      break;
    case PHASE_WAITING:
    default:
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           /* Translators: %s is a number of seconds */
                           _("The server did not answer the request within %s s"), seconds);
      break;
    }

  sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
  clear_attempt (self);
  sonde_connection_dropped (SONDE_CONNECTION (self), error);

  return G_SOURCE_REMOVE;
}

static void
sonde_sse_client_attempt (SondeConnection *connection)
{
  SondeSseClient *self = SONDE_SSE_CLIENT (connection);
  const char * const *headers = sonde_connection_get_headers (connection);
  const char *last_event_id = sonde_sse_parser_get_last_event_id (self->parser);
  SoupMessageHeaders *request_headers;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  g_assert (self->message == NULL);

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 0,
                                                   "user-agent", "Sonde/" PACKAGE_VERSION,
                                                   NULL);

  uri = g_uri_parse (sonde_connection_get_url (connection), SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      fail (self, g_error_new (SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                               _("This is not a valid URL: %s"), error->message));
      return;
    }

  self->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  self->cancellable = g_cancellable_new ();
  self->tls_errors = 0;
  self->tls_accepted = FALSE;

  request_headers = soup_message_get_request_headers (self->message);
  soup_message_headers_replace (request_headers, "Accept", "text/event-stream");
  soup_message_headers_replace (request_headers, "Cache-Control", "no-store");
  for (guint i = 0; headers[i] != NULL; i += 2)
    soup_message_headers_append (request_headers, headers[i], headers[i + 1]);
  if (last_event_id[0] != '\0')
    soup_message_headers_replace (request_headers, "Last-Event-ID", last_event_id);

  g_signal_connect (self->message, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  g_signal_connect (self->message, "network-event", G_CALLBACK (network_event_cb), self);
  g_signal_connect (self->message, "wrote-headers", G_CALLBACK (wrote_headers_cb), self);
  g_signal_connect (self->message, "restarted", G_CALLBACK (restarted_cb), self);

  self->phase = PHASE_CONNECTING;
  if (sonde_connection_get_timeout (connection) > 0)
    {
      self->timeout_source = g_timeout_source_new (sonde_connection_get_timeout (connection));
      g_source_set_static_name (self->timeout_source, "[sonde] sse connect timeout");
      g_source_set_callback (self->timeout_source, timeout_cb, self, NULL);
      g_source_attach (self->timeout_source, sonde_connection_get_context (connection));
    }

  soup_session_send_async (self->session, self->message, G_PRIORITY_DEFAULT, self->cancellable,
                           send_cb, g_object_ref (self));
}

static void
sonde_sse_client_abort (SondeConnection *connection)
{
  SondeSseClient *self = SONDE_SSE_CLIENT (connection);

  if (self->message != NULL)
    sonde_sse_parser_end_stream (self->parser);
  clear_attempt (self);
}

static guint
sonde_sse_client_get_spec_delay (SondeConnection *connection)
{
  return SONDE_SSE_CLIENT (connection)->reconnection_time;
}

static void
sonde_sse_client_constructed (GObject *object)
{
  SondeSseClient *self = SONDE_SSE_CLIENT (object);

  G_OBJECT_CLASS (sonde_sse_client_parent_class)->constructed (object);

  self->log = g_object_ref (sonde_connection_get_log (SONDE_CONNECTION (self)));
}

static void
sonde_sse_client_dispose (GObject *object)
{
  SondeSseClient *self = SONDE_SSE_CLIENT (object);

  clear_attempt (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sonde_sse_client_parent_class)->dispose (object);
}

static void
sonde_sse_client_finalize (GObject *object)
{
  SondeSseClient *self = SONDE_SSE_CLIENT (object);

  g_clear_pointer (&self->parser, sonde_sse_parser_free);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_sse_client_parent_class)->finalize (object);
}

static void
sonde_sse_client_class_init (SondeSseClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SondeConnectionClass *connection_class = SONDE_CONNECTION_CLASS (klass);

  object_class->constructed = sonde_sse_client_constructed;
  object_class->dispose = sonde_sse_client_dispose;
  object_class->finalize = sonde_sse_client_finalize;

  connection_class->attempt = sonde_sse_client_attempt;
  connection_class->abort = sonde_sse_client_abort;
  connection_class->get_spec_delay = sonde_sse_client_get_spec_delay;
}

static void
sonde_sse_client_init (SondeSseClient *self)
{
  self->parser = sonde_sse_parser_new (&parser_callbacks, self);
  self->buffer = g_malloc (READ_SIZE);
  self->max_size = SONDE_SSE_DEFAULT_MAX_SIZE;
  self->reconnection_time = DEFAULT_RECONNECTION_TIME;
}

/**
 * sonde_sse_client_new:
 * @url: an http or https URL
 * @log: (nullable): where to write the timeline; a new log when %NULL
 */
SondeSseClient *
sonde_sse_client_new (const char    *url,
                      SondeEventLog *log)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (log == NULL || SONDE_IS_EVENT_LOG (log), NULL);

  return g_object_new (SONDE_TYPE_SSE_CLIENT,
                       "url", url,
                       "log", log,
                       NULL);
}

/**
 * sonde_sse_client_set_max_size:
 *
 * Sets the limit for one line and one event (16 MiB by default); larger ones
 * are dropped with an `error` entry and the stream goes on.
 */
void
sonde_sse_client_set_max_size (SondeSseClient *self,
                               gsize           max_size)
{
  g_return_if_fail (SONDE_IS_SSE_CLIENT (self));
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
  sonde_sse_parser_set_max_size (self->parser, max_size);
}

/**
 * sonde_sse_client_get_reconnection_time:
 *
 * Returns: the delay before the next reconnect in ms, as `retry:` last set it
 */
guint
sonde_sse_client_get_reconnection_time (SondeSseClient *self)
{
  g_return_val_if_fail (SONDE_IS_SSE_CLIENT (self), 0);

  return self->reconnection_time;
}

const char *
sonde_sse_client_get_last_event_id (SondeSseClient *self)
{
  g_return_val_if_fail (SONDE_IS_SSE_CLIENT (self), NULL);

  return sonde_sse_parser_get_last_event_id (self->parser);
}

/* sonde-ws-client-handshake.c: connecting, the WebSocket upgrade and its answer, deflate negotiation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-tls.h"
#include "sonde-ws-client-private.h"

/* Sonde opens the socket and does the upgrade itself, so that it sees and
 * checks every byte of it. The handshake is one task over the attempt: it
 * ends in an upgrade (the answer's headers, what deflate came to, and the
 * bytes that came after the answer, in the attempt) or in an error, with
 * what to log about it in the attempt too. Whoever ends the attempt first
 * (a timeout, the user) cancels it, and its result is not looked at. */

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_RESPONSE_HEADERS (64 * 1024)
#define REFUSAL_BODY_PREVIEW 1024
/* How long a refusal's body may take to arrive after its headers. */
#define REFUSAL_BODY_WAIT_MS 300

/* Takes @error; @raw is what the timeline keeps of the answer. */
static void
fail (GTask        *task,
      gboolean      final,
      GError       *error,
      const char   *fields,
      const guint8 *raw,
      gsize         raw_len)
{
  SondeWsAttempt *attempt = g_task_get_task_data (task);

  attempt->failure_final = final;
  g_free (attempt->failure_fields);
  attempt->failure_fields = g_strdup (fields);
  g_clear_pointer (&attempt->failure_raw, g_bytes_unref);
  if (raw_len > 0)
    attempt->failure_raw = g_bytes_new (raw, raw_len);
  g_task_return_error (task, error);
}

static gboolean
cancelled (GTask  *task,
           GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  g_task_return_error (task, g_error_copy (error));
  return TRUE;
}

static char *
expected_accept (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_checksum_update (sha1, (const guint8 *)key, -1);
  g_checksum_update (sha1, (const guint8 *)WS_GUID, -1);
  g_checksum_get_digest (sha1, digest, &digest_len);

  return g_base64_encode (digest, digest_len);
}

static gboolean
header_has_token (SoupMessageHeaders *headers,
                  const char         *name,
                  const char         *token)
{
  const char *value = soup_message_headers_get_list (headers, name);

  return value != NULL && soup_header_contains (value, token);
}

/* What the server's permessage-deflate parameters mean for each direction,
 * and libsoup's extension configured with them. */
static gboolean
negotiate_deflate (SondeWsAttempt  *attempt,
                   GHashTable      *params,
                   GError         **error)
{
  g_autoptr(SoupWebsocketExtension) deflate = g_object_new (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE, NULL);
  g_autoptr(GError) local_error = NULL;

  if (!soup_websocket_extension_configure (deflate, SOUP_WEBSOCKET_CONNECTION_CLIENT, params,
                                           &local_error))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                   _("The server’s permessage-deflate parameters are not valid: %s"),
                   local_error->message);
      return FALSE;
    }

  attempt->deflate = TRUE;
  attempt->server_deflate = sonde_ws_deflate_side (params, SONDE_WS_FROM_SERVER);
  attempt->client_deflate = sonde_ws_deflate_side (params, SONDE_WS_FROM_CLIENT);
  attempt->extensions = g_list_append (NULL, g_steal_pointer (&deflate));
  return TRUE;
}

/**
 * sonde_ws_check_upgrade:
 * @attempt: the attempt whose key was sent; its deflate fields and
 *   extensions are set from the answer
 * @headers: the headers of the server's 101 answer
 * @protocols: the subprotocols offered
 * @offer_deflate: whether permessage-deflate was offered
 * @final: (out): set when the failure is for good (no other attempt would do better)
 *
 * Checks a 101 answer from the server against what was asked: Upgrade and
 * Connection, the accept key, the subprotocol and the extensions.
 *
 * Returns: whether the upgrade may go on
 */
gboolean
sonde_ws_check_upgrade (SondeWsAttempt      *attempt,
                        SoupMessageHeaders  *headers,
                        GPtrArray           *protocols,
                        gboolean             offer_deflate,
                        gboolean            *final,
                        GError             **error)
{
  g_autoptr(GHashTable) deflate_params = NULL;
  g_autofree char *accept = NULL;
  const char *value;

  *final = FALSE;
  accept = expected_accept (attempt->key);
  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Accept");
  if (!header_has_token (headers, "Upgrade", "websocket") ||
      !header_has_token (headers, "Connection", "upgrade"))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                           _("The server answered 101 without “Upgrade: websocket” "
                             "and “Connection: Upgrade”"));
      return FALSE;
    }
  if (value == NULL || !g_str_equal (value, accept))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                   /* Translators: both are base64 keys */
                   _("The server’s Sec-WebSocket-Accept is “%s”, not “%s” as the key requires"),
                   value != NULL ? value : "", accept);
      return FALSE;
    }

  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  if (value != NULL)
    {
      gboolean offered = FALSE;

      for (guint i = 0; i < protocols->len; i++)
        offered |= g_str_equal (value, g_ptr_array_index (protocols, i));
      if (!offered)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                       _("The server chose the subprotocol “%s”, which Sonde did not offer"), value);
          return FALSE;
        }
    }

  value = soup_message_headers_get_list (headers, "Sec-WebSocket-Extensions");
  if (value != NULL && value[0] != '\0')
    {
      if (!offer_deflate || !sonde_ws_parse_deflate (value, &deflate_params))
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                       _("The server accepted extensions Sonde did not offer: %s"), value);
          return FALSE;
        }
      if (!negotiate_deflate (attempt, deflate_params, error))
        {
          *final = TRUE;
          return FALSE;
        }
    }

  return TRUE;
}

/* Connecting and the handshake take at most the connection's timeout; the
 * attempt ends here, and the task's cancelled result goes unread. */
static gboolean
timeout_cb (gpointer user_data)
{
  SondeWsAttempt *attempt = user_data;
  SondeWsClient *self = attempt->client;
  guint timeout_ms = sonde_connection_get_timeout (SONDE_CONNECTION (self));
  g_autofree char *seconds = g_strdup_printf ("%g", timeout_ms / 1000.0);
  g_autoptr(GString) fields = g_string_new (NULL);
  GByteArray *response = attempt->response;
  GError *error;

  g_clear_pointer (&attempt->timeout_source, g_source_unref);

  switch (attempt->phase)
    {
    case SONDE_WS_PHASE_CONNECTING:
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           /* Translators: %s is a number of seconds */
                           _("No connection to the server within %s s"), seconds);
      break;
    case SONDE_WS_PHASE_TLS:
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           /* Translators: %s is a number of seconds */
                           _("The TLS handshake did not finish within %s s"), seconds);
      break;
    case SONDE_WS_PHASE_UPGRADE:
    case SONDE_WS_PHASE_OPEN:
    default:
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           /* Translators: %s is a number of seconds */
                           _("The server did not answer the upgrade request within %s s"), seconds);
      break;
    }

  sonde_json_append_member_int (fields, "timeout_ms", timeout_ms);
  /* Part of an answer is still an answer: it goes with the entry. */
  sonde_ws_client_end_attempt (self, FALSE, error, fields->str,
                               response != NULL ? response->data : NULL,
                               response != NULL ? response->len : 0);
  return G_SOURCE_REMOVE;
}

static void
refusal_body_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeWsAttempt *attempt = g_task_get_task_data (task);
  SondeWsClient *self = g_task_get_source_object (task);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *reason = NULL;
  GByteArray *response = attempt->response;
  gsize header_len = attempt->header_len;
  guint status = 0;

  /* Whatever came in the time given (an error or a cancel only ends the wait). */
  if (object != NULL)
    {
      gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

      if (n > 0)
        g_byte_array_append (response, attempt->read_buffer, (guint)n);
    }
  if (g_cancellable_is_cancelled (attempt->cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }

  soup_headers_parse_response ((const char *)response->data, (int)header_len, headers,
                               NULL, &status, &reason);
  sonde_ws_client_append_open_fields (self, attempt, fields, status, reason, headers);
  /* What the body said, as text when it is text, in the raw bytes always. */
  {
    gsize body_len = MIN (response->len - header_len, REFUSAL_BODY_PREVIEW);
    g_autofree char *body = g_utf8_make_valid ((const char *)response->data + header_len,
                                               (gssize)body_len);

    sonde_json_append_member_string (fields, "body", body);
  }

  fail (task, FALSE,
        g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                     /* Translators: %u %s is an HTTP status such as “403 Forbidden” */
                     _("The server refused the WebSocket upgrade with %u %s"),
                     status, reason != NULL ? reason : ""),
        fields->str, response->data, MIN (response->len, header_len + REFUSAL_BODY_PREVIEW));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Checks the upgrade's answer; everything wrong with it is named. */
static void
handle_response (GTask *task)
{
  SondeWsAttempt *attempt = g_task_get_task_data (task);
  SondeWsClient *self = g_task_get_source_object (task);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  GByteArray *response = attempt->response;
  gsize header_len = attempt->header_len;
  gboolean final;
  guint status = 0;

  if (!soup_headers_parse_response ((const char *)response->data, (int)header_len, headers,
                                    NULL, &status, &reason))
    {
      fail (task, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                              _("The server’s answer to the upgrade request is not HTTP")),
            NULL, response->data, MIN (response->len, REFUSAL_BODY_PREVIEW));
      return;
    }

  if (status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      /* Show what the server sent instead: give the body a moment to arrive. */
      if (response->len - header_len < REFUSAL_BODY_PREVIEW)
        {
          g_autoptr(GSource) wait = g_timeout_source_new (REFUSAL_BODY_WAIT_MS);

          attempt->body_cancellable = g_cancellable_new ();
          g_input_stream_read_async (g_io_stream_get_input_stream (attempt->base),
                                     attempt->read_buffer, sizeof attempt->read_buffer,
                                     G_PRIORITY_DEFAULT, attempt->body_cancellable,
                                     refusal_body_cb, g_object_ref (task));
          g_source_set_callback (wait, cancel_cb, g_object_ref (attempt->body_cancellable),
                                 g_object_unref);
          g_source_set_static_name (wait, "[sonde] websocket refusal body");
          g_source_attach (wait, sonde_connection_get_context (SONDE_CONNECTION (self)));
          return;
        }
      refusal_body_cb (NULL, NULL, g_object_ref (task));
      return;
    }

  if (!sonde_ws_check_upgrade (attempt, headers, self->protocols, self->offer_deflate, &final,
                               &error))
    {
      fail (task, final, g_steal_pointer (&error), NULL, response->data, header_len);
      return;
    }

  attempt->response_headers = g_steal_pointer (&headers);
  g_task_return_boolean (task, TRUE);
}

static void
response_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeWsAttempt *attempt = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GByteArray *response = attempt->response;
  const guint8 *end;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      if (!cancelled (task, error))
        fail (task, FALSE, g_steal_pointer (&error), NULL, response->data, response->len);
      return;
    }
  if (n == 0)
    {
      fail (task, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                              _("The server closed the connection before answering "
                                                "the upgrade request")),
            NULL, response->data, response->len);
      return;
    }

  g_byte_array_append (response, attempt->read_buffer, (guint)n);
  end = memmem (response->data, response->len, "\r\n\r\n", 4);
  if (end != NULL)
    {
      attempt->header_len = (gsize)(end - response->data) + 4;
      handle_response (task);
      return;
    }

  if (response->len > MAX_RESPONSE_HEADERS)
    {
      fail (task, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                              _("The server’s answer to the upgrade has more than 64 KiB "
                                                "of headers")),
            NULL, response->data, REFUSAL_BODY_PREVIEW);
      return;
    }

  g_input_stream_read_async (G_INPUT_STREAM (object), attempt->read_buffer, sizeof attempt->read_buffer,
                             G_PRIORITY_DEFAULT, attempt->cancellable, response_read_cb,
                             g_steal_pointer (&task));
}

static void
request_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeWsAttempt *attempt = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!cancelled (task, error))
        fail (task, FALSE, g_steal_pointer (&error), NULL, NULL, 0);
      return;
    }

  attempt->response = g_byte_array_new ();
  g_input_stream_read_async (g_io_stream_get_input_stream (attempt->base), attempt->read_buffer,
                             sizeof attempt->read_buffer, G_PRIORITY_DEFAULT, attempt->cancellable,
                             response_read_cb, g_steal_pointer (&task));
}

/**
 * sonde_ws_client_attempt_uri:
 *
 * Returns: (transfer full) (nullable): the URL for the next attempt, with
 *   the resume value as a query parameter when one is set up and known
 */
GUri *
sonde_ws_client_attempt_uri (SondeWsClient  *self,
                             GError        **error)
{
  g_autoptr(GUri) uri = g_uri_parse (sonde_connection_get_url (SONDE_CONNECTION (self)),
                                     G_URI_FLAGS_ENCODED, error);
  g_autoptr(GString) query = NULL;
  g_autofree char *escaped = NULL;

  if (uri == NULL || self->resume_query == NULL || self->last_id == NULL)
    return g_steal_pointer (&uri);

  query = g_string_new (g_uri_get_query (uri));
  if (query->len > 0)
    g_string_append_c (query, '&');
  escaped = g_uri_escape_string (self->last_id, NULL, FALSE);
  g_string_append_printf (query, "%s=%s", self->resume_query, escaped);

  return g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                      g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                      query->str, NULL);
}

static void
write_request (GTask *task)
{
  SondeWsAttempt *attempt = g_task_get_task_data (task);
  SondeWsClient *self = g_task_get_source_object (task);
  const char * const *headers = sonde_connection_get_headers (SONDE_CONNECTION (self));
  GUri *uri = attempt->uri;
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;
  int port = g_uri_get_port (uri);
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) host_value = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint8 nonce[16];
  gsize len;

  for (guint i = 0; i < sizeof nonce; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (nonce + i, &r, 4);
    }
  attempt->key = g_base64_encode (nonce, sizeof nonce);

  g_string_append (host_value, strchr (host, ':') != NULL ? "[" : "");
  g_string_append (host_value, host);
  g_string_append (host_value, strchr (host, ':') != NULL ? "]" : "");
  if (port != -1 && port != (tls ? 443 : 80))
    g_string_append_printf (host_value, ":%d", port);

  attempt->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (attempt->request_headers, "Host", host_value->str);
  soup_message_headers_append (attempt->request_headers, "Upgrade", "websocket");
  soup_message_headers_append (attempt->request_headers, "Connection", "Upgrade");
  soup_message_headers_append (attempt->request_headers, "Sec-WebSocket-Key", attempt->key);
  soup_message_headers_append (attempt->request_headers, "Sec-WebSocket-Version", "13");
  if (self->origin != NULL)
    soup_message_headers_append (attempt->request_headers, "Origin", self->origin);
  if (self->protocols->len > 0)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)self->protocols->pdata);

      soup_message_headers_append (attempt->request_headers, "Sec-WebSocket-Protocol", joined);
    }
  if (self->offer_deflate)
    soup_message_headers_append (attempt->request_headers, "Sec-WebSocket-Extensions",
                                 "permessage-deflate; client_max_window_bits");
  soup_message_headers_append (attempt->request_headers, "User-Agent", "Sonde/" PACKAGE_VERSION);
  for (guint i = 0; headers[i] != NULL; i += 2)
    soup_message_headers_append (attempt->request_headers, headers[i], headers[i + 1]);

  attempt->request_line = g_strdup_printf ("GET %s%s%s HTTP/1.1", path[0] != '\0' ? path : "/",
                                           g_uri_get_query (uri) != NULL ? "?" : "",
                                           g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  g_string_append_printf (text, "%s\r\n", attempt->request_line);
  soup_message_headers_iter_init (&iter, attempt->request_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append (text, "\r\n");

  len = text->len;
  attempt->request_text = g_string_free (g_steal_pointer (&text), FALSE);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (attempt->base),
                                   attempt->request_text, len, G_PRIORITY_DEFAULT,
                                   attempt->cancellable, request_written_cb, g_object_ref (task));
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SondeWsAttempt *attempt = user_data;

  attempt->tls_errors = errors;
  attempt->tls_accepted = sonde_connection_accept_certificate (SONDE_CONNECTION (attempt->client),
                                                               errors);

  return attempt->tls_accepted;
}

/* Connecting and the TLS handshake both happen inside the socket client; its
 * events tell them apart, and give the TLS connection for the certificate. */
static void
socket_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  SondeWsAttempt *attempt = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    {
      attempt->phase = SONDE_WS_PHASE_TLS;
      g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_certificate_cb), attempt);
    }
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeWsAttempt *attempt = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      if (cancelled (task, error))
        return;
      if ((attempt->tls_errors != 0 && !attempt->tls_accepted) || error->domain == G_TLS_ERROR)
        fail (task, TRUE, sonde_tls_describe_error (attempt->tls_errors, error), NULL, NULL, 0);
      else
        fail (task, FALSE, g_steal_pointer (&error), NULL, NULL, 0);
      return;
    }

  attempt->base = G_IO_STREAM (g_steal_pointer (&connection));
  attempt->phase = SONDE_WS_PHASE_UPGRADE;
  write_request (task);
}

/**
 * sonde_ws_client_handshake_async:
 * @attempt: the attempt, with its URL in attempt->uri
 *
 * Connects (through a proxy, with TLS for wss), sends the upgrade request
 * and checks the answer, all within the connection's timeout. Cancelled
 * with the attempt's cancellable.
 */
void
sonde_ws_client_handshake_async (SondeWsClient       *self,
                                 SondeWsAttempt      *attempt,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  guint timeout_ms = sonde_connection_get_timeout (SONDE_CONNECTION (self));
  g_autoptr(GTask) task = NULL;
  g_autofree char *target = NULL;
  GUri *uri = attempt->uri;
  const char *host = g_uri_get_host (uri);
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;

  task = g_task_new (self, attempt->cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_ws_client_handshake_async);
  g_task_set_task_data (task, sonde_ws_attempt_ref (attempt), (GDestroyNotify)sonde_ws_attempt_unref);

  attempt->phase = SONDE_WS_PHASE_CONNECTING;
  if (timeout_ms > 0)
    {
      attempt->timeout_source = g_timeout_source_new (timeout_ms);
      g_source_set_callback (attempt->timeout_source, timeout_cb, attempt, NULL);
      g_source_set_static_name (attempt->timeout_source, "[sonde] websocket handshake timeout");
      g_source_attach (attempt->timeout_source, sonde_connection_get_context (SONDE_CONNECTION (self)));
    }
  attempt->socket_client = g_socket_client_new ();
  g_socket_client_set_tls (attempt->socket_client, tls);
  /* The socket client goes with the attempt, and emits only while connecting. */
  g_signal_connect (attempt->socket_client, "event", G_CALLBACK (socket_event_cb), attempt);

  /* The proxy resolver knows http and https, which is what ws and wss go through. */
  target = g_strdup_printf ("%s://%s%s%s:%d/", tls ? "https" : "http",
                            strchr (host, ':') != NULL ? "[" : "", host,
                            strchr (host, ':') != NULL ? "]" : "",
                            g_uri_get_port (uri) != -1 ? g_uri_get_port (uri) : (tls ? 443 : 80));
  g_socket_client_connect_to_uri_async (attempt->socket_client, target, tls ? 443 : 80,
                                        attempt->cancellable, connected_cb, g_steal_pointer (&task));
}

/**
 * sonde_ws_client_handshake_finish:
 *
 * Returns: %TRUE when the server upgraded; otherwise %FALSE with @error, and
 *   the attempt says whether trying again can help and what to log
 */
gboolean
sonde_ws_client_handshake_finish (SondeWsClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* sonde-ws-client.c: a WebSocket connection whose every frame, both ways, is on the timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-tap-stream.h"
#include "sonde-ws-client-private.h"
#include "sonde-ws-frame.h"

/* Sonde opens the socket and does the upgrade itself
 * (sonde-ws-client-handshake.c); then libsoup runs the protocol (masking,
 * ping replies, the close handshake, deflate) over a tap stream, and a
 * dissector per direction turns the tap's copy into timeline entries
 * (sonde-ws-client-log.c).
 *
 * The incoming dissector reads ahead of libsoup. libsoup 3.2 limits single
 * frames only: it would gather endless continuation frames, and inflate a
 * small compressed frame to any size. So the dissector stops at the first
 * message past the size limit, the tap keeps every byte from there on from
 * libsoup, and Sonde closes with 1009 as browsers do. */

G_DEFINE_FINAL_TYPE (SondeWsClient, sonde_ws_client, SONDE_TYPE_CONNECTION)

static void ws_closed_cb (SoupWebsocketConnection *ws,
                          SondeWsAttempt          *attempt);
static void ws_error_cb  (SoupWebsocketConnection *ws,
                          GError                  *error,
                          SondeWsAttempt          *attempt);

/* Attempts */

static void
attempt_clear (SondeWsAttempt *attempt)
{
  g_assert (attempt->timeout_source == NULL);
  g_assert (attempt->keepalive_source == NULL);
  g_assert (attempt->too_large_source == NULL);

  g_clear_object (&attempt->cancellable);
  g_clear_object (&attempt->body_cancellable);
  g_clear_pointer (&attempt->uri, g_uri_unref);
  g_clear_object (&attempt->socket_client);
  g_clear_object (&attempt->base);
  g_clear_pointer (&attempt->key, g_free);
  g_clear_pointer (&attempt->request_line, g_free);
  g_clear_pointer (&attempt->request_text, g_free);
  g_clear_pointer (&attempt->request_headers, soup_message_headers_unref);
  g_clear_pointer (&attempt->response, g_byte_array_unref);
  g_clear_pointer (&attempt->response_headers, soup_message_headers_unref);
  g_list_free_full (g_steal_pointer (&attempt->extensions), g_object_unref);
  g_clear_pointer (&attempt->failure_fields, g_free);
  g_clear_pointer (&attempt->failure_raw, g_bytes_unref);
  g_clear_object (&attempt->ws_signals);
  g_clear_object (&attempt->ws);
  g_clear_object (&attempt->tap);
  g_clear_pointer (&attempt->in, sonde_ws_dissector_free);
  g_clear_pointer (&attempt->out, sonde_ws_dissector_free);
  g_clear_pointer (&attempt->pings, g_hash_table_unref);
  g_clear_pointer (&attempt->pending_resume, g_free);
  g_clear_pointer (&attempt->server_close_reason, g_free);
}

/**
 * sonde_ws_attempt_new:
 *
 * Returns: (transfer full): a new attempt of @self, which sets it as its
 *   current one
 */
SondeWsAttempt *
sonde_ws_attempt_new (SondeWsClient *self)
{
  SondeWsAttempt *attempt = g_rc_box_new0 (SondeWsAttempt);

  attempt->client = self;
  attempt->cancellable = g_cancellable_new ();
  attempt->pings = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                          (GDestroyNotify)g_bytes_unref, g_free);
  attempt->ws_signals = g_signal_group_new (SOUP_TYPE_WEBSOCKET_CONNECTION);
  g_signal_group_connect (attempt->ws_signals, "closed", G_CALLBACK (ws_closed_cb), attempt);
  g_signal_group_connect (attempt->ws_signals, "error", G_CALLBACK (ws_error_cb), attempt);

  return attempt;
}

SondeWsAttempt *
sonde_ws_attempt_ref (SondeWsAttempt *attempt)
{
  return g_rc_box_acquire (attempt);
}

void
sonde_ws_attempt_unref (SondeWsAttempt *attempt)
{
  g_rc_box_release_full (attempt, (GDestroyNotify)attempt_clear);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static GSource *
attach_source (SondeWsClient *self,
               GSource       *source,
               GSourceFunc    func,
               gpointer       data,
               const char    *name)
{
  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, sonde_connection_get_context (SONDE_CONNECTION (self)));
  return source;
}

/* Ends the current attempt without a word on the wire or the timeline: its
 * sources, signals, taps and socket stop now, its memory goes with its last
 * reference. */
static void
drop_attempt (SondeWsClient *self)
{
  g_autoptr(SondeWsAttempt) attempt = g_steal_pointer (&self->attempt);

  if (attempt == NULL)
    return;

  g_cancellable_cancel (attempt->cancellable);
  if (attempt->body_cancellable != NULL)
    g_cancellable_cancel (attempt->body_cancellable);
  destroy_source (&attempt->timeout_source);
  destroy_source (&attempt->keepalive_source);
  destroy_source (&attempt->too_large_source);
  g_signal_group_set_target (attempt->ws_signals, NULL);
  if (attempt->tap != NULL)
    sonde_tap_stream_detach (attempt->tap);
  if (attempt->base != NULL)
    g_io_stream_close (attempt->base, NULL, NULL);
}

/**
 * sonde_ws_client_end_attempt:
 * @final: trying again cannot help; otherwise the reconnect policy decides
 * @error: (transfer full): why
 * @extra_fields: (nullable): more members for the error entry
 * @raw: (nullable): bytes the attempt got that no other entry holds
 *
 * Logs why the current attempt ended, in an `error` entry, and ends it.
 */
void
sonde_ws_client_end_attempt (SondeWsClient *self,
                             gboolean       final,
                             GError        *error,
                             const char    *extra_fields,
                             const guint8  *raw,
                             gsize          raw_len)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  /* Taken: freed once the attempt has ended. */
  g_autoptr(GError) owned = error;

  sonde_json_append_member_string (fields, "message", owned->message);
  sonde_json_append_member_string (fields, "domain", g_quark_to_string (owned->domain));
  sonde_json_append_member_int (fields, "code", owned->code);
  if (extra_fields != NULL && extra_fields[0] != '\0')
    g_string_append_printf (fields, ",%s", extra_fields);
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR,
                        fields->str, raw, raw_len);

  drop_attempt (self);
  if (final)
    sonde_connection_failed (SONDE_CONNECTION (self), owned);
  else
    sonde_connection_dropped (SONDE_CONNECTION (self), owned);
}

/* Ends an open attempt that Sonde closed itself, after its `closed` entry. */
static void
drop_open_attempt (SondeWsClient *self,
                   GQuark         domain,
                   int            code,
                   const char    *message)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, message);

  drop_attempt (self);
  sonde_connection_dropped (SONDE_CONNECTION (self), error);
}

/* The open connection */

static gboolean
check_open (SondeWsClient  *self,
            GError        **error)
{
  if (self->attempt == NULL || self->attempt->ws == NULL ||
      soup_websocket_connection_get_state (self->attempt->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED,
                           _("The WebSocket is not open"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
inject (SondeWsClient  *self,
        GBytes         *frames,
        GError        **error)
{
  GOutputStream *output;

  if (!check_open (self, error))
    return FALSE;

  output = g_io_stream_get_output_stream (self->attempt->tap);
  sonde_tap_output_stream_inject (SONDE_TAP_OUTPUT_STREAM (output), frames);
  return TRUE;
}

static gboolean
inject_frame (SondeWsClient  *self,
              guint8          first_byte,
              const guint8   *payload,
              gsize           len,
              GError        **error)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;

  sonde_ws_frame_append (frame, first_byte, payload, len, TRUE);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&frame));
  return inject (self, bytes, error);
}

/* A message past the size limit stopped the incoming dissector, and the tap
 * keeps the rest from libsoup. Sonde fails the connection as browsers do: a
 * close frame with 1009, and the socket goes without waiting for the
 * server's answer, which would come after bytes no one reads. (When libsoup
 * is in the middle of writing a frame, the close frame cannot go out.) */
static gboolean
too_large_cb (gpointer user_data)
{
  SondeWsAttempt *attempt = user_data;
  SondeWsClient *self = attempt->client;
  static const guint8 code[2] = { 1009 >> 8, 1009 & 0xFF };
  g_autofree char *message = NULL;

  g_clear_pointer (&attempt->too_large_source, g_source_unref);

  inject_frame (self, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, code, sizeof code, NULL);
  message = g_strdup_printf (_("A message passed the size limit of %lu bytes; Sonde closed the "
                               "connection with 1009 (Message Too Big)"),
                             (gulong)self->max_size);
  sonde_ws_client_log_closed (self, attempt, message, "client", 1009, "", FALSE);
  drop_open_attempt (self, SONDE_ERROR, SONDE_ERROR_TOO_LARGE, message);
  return G_SOURCE_REMOVE;
}

static void
read_tap (gpointer      user_data,
          const guint8 *data,
          gsize         len)
{
  SondeWsAttempt *attempt = user_data;
  gsize passed = sonde_ws_dissector_feed (attempt->in, data, len);

  if (G_UNLIKELY (passed < len || sonde_ws_dissector_is_stopped (attempt->in)))
    {
      GInputStream *input = g_io_stream_get_input_stream (attempt->tap);

      sonde_tap_input_stream_cut (SONDE_TAP_INPUT_STREAM (input), passed);
      if (attempt->too_large_source == NULL)
        attempt->too_large_source = attach_source (attempt->client, g_idle_source_new (),
                                                   too_large_cb, attempt,
                                                   "[sonde] websocket message too large");
    }
}

static void
write_tap (gpointer      user_data,
           const guint8 *data,
           gsize         len)
{
  SondeWsAttempt *attempt = user_data;

  sonde_ws_dissector_feed (attempt->out, data, len);
}

static gboolean
can_inject (gpointer user_data)
{
  SondeWsAttempt *attempt = user_data;

  return sonde_ws_dissector_is_between_frames (attempt->out);
}

/* Every keepalive ping has a payload of its own, so that its pong shows a
 * round trip; a peer that answers none of the last few is gone. */
static gboolean
keepalive_cb (gpointer user_data)
{
  SondeWsAttempt *attempt = user_data;
  SondeWsClient *self = attempt->client;
  gint64 stamp = g_get_monotonic_time ();

  if (attempt->unanswered_pings >= SONDE_WS_KEEPALIVE_MISSED_PONGS)
    {
      g_autofree char *message = NULL;

      g_clear_pointer (&attempt->keepalive_source, g_source_unref);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The server answered none of the last %u keepalive "
                                              "ping; Sonde dropped the connection",
                                              "The server answered none of the last %u keepalive "
                                              "pings; Sonde dropped the connection",
                                              SONDE_WS_KEEPALIVE_MISSED_PONGS),
                                 SONDE_WS_KEEPALIVE_MISSED_PONGS);
      sonde_ws_client_log_closed (self, attempt, message, "client", 1006, "", FALSE);
      drop_open_attempt (self, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message);
      return G_SOURCE_REMOVE;
    }

  if (inject_frame (self, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, (const guint8 *)&stamp,
                    sizeof stamp, NULL))
    attempt->unanswered_pings++;

  return G_SOURCE_CONTINUE;
}

static void
ws_error_cb (SoupWebsocketConnection *ws,
             GError                  *error,
             SondeWsAttempt          *attempt)
{
  /* libsoup's own verdict, usually followed by its close frame with 1002 or 1007. */
  sonde_connection_log_error (SONDE_CONNECTION (attempt->client), error, NULL, 0);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              SondeWsAttempt          *attempt)
{
  SondeWsClient *self = attempt->client;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *closed_by;
  gboolean normal;

  /* Clean: a close frame went each way. Who sent the first one closed. */
  if (attempt->server_closed)
    {
      closed_by = attempt->client_spoke_first ? "client" : "server";
      message = g_strdup_printf (closed_by[0] == 's'
                                   ? _("The server closed the connection: %u %s")
                                   : _("Sonde closed the connection and the server answered: %u %s"),
                                 attempt->server_close_code,
                                 sonde_ws_close_code_describe (attempt->server_close_code));
    }
  else if (attempt->client_close_sent)
    {
      closed_by = "client";
      message = g_strdup (_("Sonde closed the connection; the server never answered its close frame"));
    }
  else
    {
      closed_by = "network";
      message = g_strdup (_("The connection dropped without a close frame (1006 Abnormal Closure)"));
    }

  sonde_ws_client_log_closed (self, attempt, message, closed_by,
                              attempt->server_closed ? attempt->server_close_code : 1006,
                              attempt->server_close_reason,
                              attempt->server_closed && attempt->client_close_sent);

  /* Normal: the server said 1000, or we asked to close. Anything else, a
   * lost connection or another code (1001 going away included), is what
   * reconnecting clients reconnect after. */
  normal = attempt->server_closed && (attempt->server_close_code == 1000 || attempt->we_closed);
  if (!normal)
    error = g_error_new_literal (SONDE_ERROR, SONDE_ERROR_CLOSED, message);

  drop_attempt (self);

  if (normal && !self->reconnect_on_any_close)
    sonde_connection_finished (SONDE_CONNECTION (self));
  else
    sonde_connection_dropped (SONDE_CONNECTION (self), error);
}

/* The server upgraded: libsoup takes over the protocol, the dissectors the
 * timeline, and the messages set to go out at every open go. */
static void
upgraded (SondeWsClient  *self,
          SondeWsAttempt *attempt)
{
  g_autoptr(GBytes) leftover = NULL;
  g_autoptr(GUri) uri = NULL;
  GByteArray *response = attempt->response;
  const char *protocol = soup_message_headers_get_one (attempt->response_headers,
                                                       "Sec-WebSocket-Protocol");

  destroy_source (&attempt->timeout_source);
  attempt->phase = SONDE_WS_PHASE_OPEN;

  attempt->in = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &sonde_ws_client_in_callbacks, attempt);
  attempt->out = sonde_ws_dissector_new (SONDE_WS_FROM_CLIENT, &sonde_ws_client_out_callbacks, attempt);
  sonde_ws_dissector_set_max_size (attempt->in, self->max_size);
  sonde_ws_dissector_set_max_size (attempt->out, self->max_size);
  sonde_ws_dissector_set_stop_at_limit (attempt->in, TRUE);
  sonde_ws_dissector_set_deflate (attempt->in, attempt->deflate,
                                  attempt->server_deflate.no_context_takeover,
                                  attempt->deflate ? attempt->server_deflate.window_bits : 15);
  sonde_ws_dissector_set_deflate (attempt->out, attempt->deflate,
                                  attempt->client_deflate.no_context_takeover,
                                  attempt->deflate ? attempt->client_deflate.window_bits : 15);

  g_free (self->protocol);
  self->protocol = g_strdup (protocol);
  sonde_ws_client_log_open (self, attempt);

  leftover = g_bytes_new (response->data + attempt->header_len, response->len - attempt->header_len);
  attempt->tap = sonde_tap_stream_new (attempt->base, leftover, read_tap, write_tap, can_inject, attempt);
  uri = g_uri_parse (sonde_connection_get_url (SONDE_CONNECTION (self)), SOUP_HTTP_URI_FLAGS, NULL);
  /* libsoup takes the extension list. */
  attempt->ws = soup_websocket_connection_new (attempt->tap, uri, SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                               self->origin, protocol,
                                               g_steal_pointer (&attempt->extensions));
  /* The dissector stops first, at the same limit; libsoup's own check
   * refuses a frame of exactly its limit. */
  soup_websocket_connection_set_max_incoming_payload_size (attempt->ws, (guint64)self->max_size + 1);
  soup_websocket_connection_set_keepalive_interval (attempt->ws, 0);
  g_signal_group_set_target (attempt->ws_signals, attempt->ws);

  sonde_connection_opened (SONDE_CONNECTION (self));
  /* Whoever watches the state may have stopped the connection. */
  if (self->attempt != attempt)
    return;

  if (self->keepalive_ms > 0)
    attempt->keepalive_source = attach_source (self, g_timeout_source_new (self->keepalive_ms),
                                               keepalive_cb, attempt,
                                               "[sonde] websocket keepalive");

  if (self->resume_message != NULL && self->last_id != NULL)
    {
      g_autoptr(GString) text = g_string_new (self->resume_message);

      g_string_replace (text, "{{last_id}}", self->last_id, 0);
      g_free (attempt->pending_resume);
      attempt->pending_resume = g_strdup (text->str);
      soup_websocket_connection_send_text (attempt->ws, text->str);
    }

  for (guint i = 0; i < self->open_messages->len && self->attempt == attempt; i++)
    soup_websocket_connection_send_text (attempt->ws, g_ptr_array_index (self->open_messages, i));
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SondeWsClient *self = SONDE_WS_CLIENT (object);
  SondeWsAttempt *attempt = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean upgrade = sonde_ws_client_handshake_finish (self, result, &error);

  /* Ended meanwhile (a timeout, the user): it said so then. */
  if (attempt != self->attempt)
    return;

  if (upgrade)
    upgraded (self, attempt);
  else
    sonde_ws_client_end_attempt (self, attempt->failure_final, g_steal_pointer (&error),
                                 attempt->failure_fields,
                                 attempt->failure_raw != NULL ? g_bytes_get_data (attempt->failure_raw, NULL) : NULL,
                                 attempt->failure_raw != NULL ? g_bytes_get_size (attempt->failure_raw) : 0);
}

static void
sonde_ws_client_attempt (SondeConnection *connection)
{
  SondeWsClient *self = SONDE_WS_CLIENT (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SondeWsAttempt *attempt;

  g_assert (self->attempt == NULL);

  uri = sonde_ws_client_attempt_uri (self, &error);
  if (uri == NULL)
    {
      sonde_ws_client_end_attempt (self, TRUE, g_error_new (SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                                                            _("This is not a valid URL: %s"),
                                                            error->message),
                                   NULL, NULL, 0);
      return;
    }

  attempt = self->attempt = sonde_ws_attempt_new (self);
  attempt->uri = g_steal_pointer (&uri);
  sonde_ws_client_handshake_async (self, attempt, handshake_cb, NULL);
}

static void
sonde_ws_client_abort (SondeConnection *connection)
{
  drop_attempt (SONDE_WS_CLIENT (connection));
}

static guint
sonde_ws_client_get_spec_delay (SondeConnection *connection)
{
  /* WebSocket has no delay of its own; `spec` means a fixed second. */
  return 1000;
}

static void
sonde_ws_client_constructed (GObject *object)
{
  SondeWsClient *self = SONDE_WS_CLIENT (object);
  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };

  G_OBJECT_CLASS (sonde_ws_client_parent_class)->constructed (object);

  self->log = g_object_ref (sonde_connection_get_log (SONDE_CONNECTION (self)));
  /* Browsers do not reconnect a WebSocket; applications choose to. */
  sonde_connection_set_policy (SONDE_CONNECTION (self), &none);
}

static void
sonde_ws_client_dispose (GObject *object)
{
  drop_attempt (SONDE_WS_CLIENT (object));

  G_OBJECT_CLASS (sonde_ws_client_parent_class)->dispose (object);
}

static void
sonde_ws_client_finalize (GObject *object)
{
  SondeWsClient *self = SONDE_WS_CLIENT (object);

  g_clear_pointer (&self->protocols, g_ptr_array_unref);
  g_clear_pointer (&self->open_messages, g_ptr_array_unref);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->resume_message, g_free);
  g_clear_pointer (&self->resume_path, g_free);
  g_clear_pointer (&self->resume_query, g_free);
  g_clear_pointer (&self->last_id, g_free);
  g_clear_pointer (&self->protocol, g_free);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_ws_client_parent_class)->finalize (object);
}

static void
sonde_ws_client_class_init (SondeWsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SondeConnectionClass *connection_class = SONDE_CONNECTION_CLASS (klass);

  object_class->constructed = sonde_ws_client_constructed;
  object_class->dispose = sonde_ws_client_dispose;
  object_class->finalize = sonde_ws_client_finalize;

  connection_class->attempt = sonde_ws_client_attempt;
  connection_class->abort = sonde_ws_client_abort;
  connection_class->get_spec_delay = sonde_ws_client_get_spec_delay;
}

static void
sonde_ws_client_init (SondeWsClient *self)
{
  self->protocols = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  self->open_messages = g_ptr_array_new_with_free_func (g_free);
  self->max_size = SONDE_WS_DEFAULT_MAX_SIZE;
}

/**
 * sonde_ws_client_new:
 * @url: a ws or wss URL
 * @log: (nullable): where to write the timeline; a new log when %NULL
 */
SondeWsClient *
sonde_ws_client_new (const char    *url,
                     SondeEventLog *log)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (log == NULL || SONDE_IS_EVENT_LOG (log), NULL);

  return g_object_new (SONDE_TYPE_WS_CLIENT,
                       "url", url,
                       "log", log,
                       NULL);
}

/* A subprotocol is an HTTP token (RFC 6455, 4.1): no separators, spaces or
 * control characters, which could end or split the header. */
static gboolean
is_token (const char *text)
{
  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar)*p;

      if (c <= 0x20 || c >= 0x7F || strchr ("()<>@,;:\\\"/[]?={}", c) != NULL)
        return FALSE;
    }
  return TRUE;
}

/* A header value: anything but control characters (a tab is fine). */
static gboolean
is_header_value (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar)*p;

      if ((c < 0x20 && c != '\t') || c == 0x7F)
        return FALSE;
    }
  return TRUE;
}

/**
 * sonde_ws_client_add_protocol:
 * @protocol: a subprotocol to offer: an HTTP token
 *
 * Returns: %FALSE with @error when @protocol is not a token (a line break
 *   in it, for one, would end the header)
 */
gboolean
sonde_ws_client_add_protocol (SondeWsClient  *self,
                              const char     *protocol,
                              GError        **error)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);
  g_return_val_if_fail (protocol != NULL, FALSE);

  if (!is_token (protocol))
    {
      g_autofree char *shown = g_strescape (protocol, NULL);

      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("“%s” is not a subprotocol name: one word of letters, digits and "
                     "!#$%%&'*+-.^_`|~, without spaces, line breaks or other separators"),
                   shown);
      return FALSE;
    }

  g_ptr_array_add (self->protocols, g_strdup (protocol));
  return TRUE;
}

/**
 * sonde_ws_client_set_origin:
 * @origin: (nullable): the Origin header to send, or %NULL for none
 *
 * Returns: %FALSE with @error when @origin holds a line break or another
 *   control character, which would end the header (the origin stays as it was)
 */
gboolean
sonde_ws_client_set_origin (SondeWsClient  *self,
                            const char     *origin,
                            GError        **error)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);

  if (origin != NULL && !is_header_value (origin))
    {
      g_autofree char *shown = g_strescape (origin, NULL);

      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("The origin “%s” holds a line break or another control character, "
                     "which would end the header"),
                   shown);
      return FALSE;
    }

  g_free (self->origin);
  self->origin = g_strdup (origin);
  return TRUE;
}

void
sonde_ws_client_set_offer_deflate (SondeWsClient *self,
                                   gboolean       offer)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));

  self->offer_deflate = offer;
}

/**
 * sonde_ws_client_set_keepalive:
 * @interval_ms: how often to ping while open; 0 never
 *
 * Each keepalive ping carries a payload of its own, so every pong shows its
 * round-trip time. When %SONDE_WS_KEEPALIVE_MISSED_PONGS pings in a row go
 * unanswered (a pong to any of Sonde's pings answers), the next tick drops
 * the connection with a `closed` entry that says so, and the reconnect
 * policy decides what next.
 */
void
sonde_ws_client_set_keepalive (SondeWsClient *self,
                               guint          interval_ms)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));

  self->keepalive_ms = interval_ms;
}

/**
 * sonde_ws_client_set_reconnect_on_any_close:
 * @any: %TRUE to let the policy reconnect after a normal close (1000) too;
 *   %FALSE (the default) reconnects only after an abnormal one
 */
void
sonde_ws_client_set_reconnect_on_any_close (SondeWsClient *self,
                                            gboolean       any)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));

  self->reconnect_on_any_close = any;
}

/**
 * sonde_ws_client_set_resume:
 * @message: (nullable): text sent after every open once a value has been
 *   seen, with `{{last_id}}` replaced by the last value
 * @member_path: (nullable): where incoming JSON messages carry the value,
 *   as member names joined by dots (`id`, `data.seq`, `items.0.id`); a
 *   message nested deeper than %SONDE_JSON_PARSE_MAX_DEPTH is not read
 * @query_parameter: (nullable): also add the value to the URL as this parameter
 *
 * Sets up resuming after a reconnect, the way applications do it by hand.
 */
void
sonde_ws_client_set_resume (SondeWsClient *self,
                            const char    *message,
                            const char    *member_path,
                            const char    *query_parameter)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));

  g_free (self->resume_message);
  g_free (self->resume_path);
  g_free (self->resume_query);
  self->resume_message = g_strdup (message);
  self->resume_path = g_strdup (member_path);
  self->resume_query = g_strdup (query_parameter);
}

/**
 * sonde_ws_client_add_open_message:
 *
 * Adds a text message to send after every open, after any resume message.
 */
void
sonde_ws_client_add_open_message (SondeWsClient *self,
                                  const char    *text)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));
  g_return_if_fail (text != NULL);

  g_ptr_array_add (self->open_messages, g_strdup (text));
}

/**
 * sonde_ws_client_set_max_size:
 * @max_size: the most bytes one incoming message may have, on the wire and
 *   inflated: from 1 to %SONDE_WS_MAX_SIZE_LIMIT. There is no "no limit":
 *   0 is a programming error, as anything past the ceiling is.
 *
 * The default is %SONDE_WS_DEFAULT_MAX_SIZE. A message from the server that
 * passes the limit is logged as far as it got (the `text` or `binary` entry
 * has the violation, `max_size` and `discarded_bytes`), and Sonde closes
 * the connection with 1009, as browsers do; nothing past the limit is kept
 * or inflated. Sonde's own messages past it are logged without their bytes.
 * Takes effect at the next open.
 */
void
sonde_ws_client_set_max_size (SondeWsClient *self,
                              gsize          max_size)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));
  g_return_if_fail (max_size >= 1 && max_size <= SONDE_WS_MAX_SIZE_LIMIT);

  self->max_size = max_size;
}

/**
 * sonde_ws_client_get_last_id:
 *
 * Returns: (nullable): the last value seen at the resume member path
 */
const char *
sonde_ws_client_get_last_id (SondeWsClient *self)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), NULL);

  return self->last_id;
}

/**
 * sonde_ws_client_get_protocol:
 *
 * Returns: (nullable): the subprotocol the server chose at the last open
 */
const char *
sonde_ws_client_get_protocol (SondeWsClient *self)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), NULL);

  return self->protocol;
}

gboolean
sonde_ws_client_send_text (SondeWsClient  *self,
                           const char     *text,
                           GError        **error)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("A text message must be valid UTF-8"));
      return FALSE;
    }
  if (!check_open (self, error))
    return FALSE;

  soup_websocket_connection_send_text (self->attempt->ws, text);
  return TRUE;
}

/**
 * sonde_ws_client_send_json:
 *
 * Sends @text as a text message if it parses as JSON; otherwise says where
 * it does not.
 */
gboolean
sonde_ws_client_send_json (SondeWsClient  *self,
                           const char     *text,
                           GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  root = sonde_json_parse (text, -1, &parse_error);
  if (root == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("This is not JSON: %s"), parse_error->message);
      return FALSE;
    }

  return sonde_ws_client_send_text (self, text, error);
}

gboolean
sonde_ws_client_send_binary (SondeWsClient  *self,
                             GBytes         *data,
                             GError        **error)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  soup_websocket_connection_send_message (self->attempt->ws, SOUP_WEBSOCKET_DATA_BINARY, data);
  return TRUE;
}

/**
 * sonde_ws_client_ping:
 * @payload: (nullable): at most 125 bytes
 *
 * Sends a ping between two of libsoup's frames; the pong entry that answers
 * it shows the round-trip time.
 */
gboolean
sonde_ws_client_ping (SondeWsClient  *self,
                      GBytes         *payload,
                      GError        **error)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  gsize len = payload != NULL ? g_bytes_get_size (payload) : 0;

  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);

  if (len > 125)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("A ping payload is at most 125 bytes; this one is %lu"), (gulong)len);
      return FALSE;
    }

  sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_PING,
                         payload != NULL ? g_bytes_get_data (payload, NULL) : NULL, len, TRUE);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&frame));

  return inject (self, bytes, error);
}

/**
 * sonde_ws_client_close:
 * @code: the close code; 0 sends a close frame without one
 * @reason: (nullable): at most 123 bytes of UTF-8
 *
 * Starts the closing handshake. Any code can be sent, so that a server's
 * handling of invalid ones can be tried.
 */
gboolean
sonde_ws_client_close (SondeWsClient  *self,
                       guint           code,
                       const char     *reason,
                       GError        **error)
{
  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);

  if (code > G_MAXUINT16)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("A close code is a number from 0 to 65535"));
      return FALSE;
    }
  if (reason != NULL && (strlen (reason) > 123 || !g_utf8_validate (reason, -1, NULL)))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("A close reason is at most 123 bytes of UTF-8"));
      return FALSE;
    }
  if (!check_open (self, error))
    return FALSE;

  self->attempt->we_closed = TRUE;
  soup_websocket_connection_close (self->attempt->ws, (gushort)code, reason);
  return TRUE;
}

/**
 * sonde_ws_client_send_fragmented:
 * @fragment_size: payload bytes per frame
 *
 * Sends a message split into frames of @fragment_size bytes, all written
 * together between two of libsoup's frames.
 */
gboolean
sonde_ws_client_send_fragmented (SondeWsClient  *self,
                                 gboolean        binary,
                                 GBytes         *data,
                                 gsize           fragment_size,
                                 GError        **error)
{
  g_autoptr(GBytes) frames = NULL;
  gsize len;
  const guint8 *bytes;

  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &len);
  if (fragment_size == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("A fragment holds at least one byte"));
      return FALSE;
    }
  if (!binary && !g_utf8_validate ((const char *)bytes, (gssize)len, NULL))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("A text message must be valid UTF-8"));
      return FALSE;
    }

  frames = sonde_ws_message_fragment (binary ? SONDE_WS_OPCODE_BINARY : SONDE_WS_OPCODE_TEXT,
                                      bytes, len, fragment_size, TRUE);
  return inject (self, frames, error);
}

/* sonde-ws-client.c: a WebSocket connection whose every frame, both ways, is on the timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-connection-private.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-tap-stream.h"
#include "sonde-tls.h"
#include "sonde-ws-client.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* Sonde opens the socket and does the upgrade itself, so that it sees and
 * checks every byte of it; then libsoup runs the protocol (masking, ping
 * replies, the close handshake, deflate) over a tap stream, and a dissector
 * per direction turns the tap's copy into timeline entries. What goes on
 * the timeline is therefore what was on the wire, not what libsoup made of
 * it. */

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_RESPONSE_HEADERS (64 * 1024)
#define REFUSAL_BODY_PREVIEW 1024

struct _SondeWsClient
{
  SondeConnection          parent_instance;

  /* Options */
  GPtrArray               *protocols;
  char                    *origin;
  gboolean                 offer_deflate;
  guint                    keepalive_ms;
  gboolean                 reconnect_on_any_close;
  char                    *resume_message;
  char                    *resume_path;
  char                    *resume_query;
  GPtrArray               *open_messages;
  gsize                    max_size;

  /* Across attempts */
  SondeEventLog           *log;
  char                    *last_id;
  char                    *protocol;

  /* One attempt */
  GCancellable            *cancellable;
  GSocketClient           *socket_client;
  GIOStream               *base;
  GByteArray              *response;
  char                    *key;
  SoupMessageHeaders      *request_headers;
  char                    *request_line;
  GTlsCertificateFlags     tls_errors;
  gboolean                 tls_accepted;
  GIOStream               *tap;
  SoupWebsocketConnection *ws;
  SondeWsDissector        *in;
  SondeWsDissector        *out;
  GHashTable              *pings;           /* GBytes payload -> gint64 time sent */
  GSource                 *keepalive_source;
  char                    *pending_resume;
  gboolean                 we_closed;
  gboolean                 client_close_sent;
  gboolean                 client_spoke_first;
  gboolean                 server_closed;
  guint                    server_close_code;
  char                    *server_close_reason;
  guint8                   read_buffer[4096];
};

G_DEFINE_FINAL_TYPE (SondeWsClient, sonde_ws_client, SONDE_TYPE_CONNECTION)

static void teardown (SondeWsClient *self);

static gint64
now (SondeWsClient *self)
{
  return sonde_event_log_now (self->log);
}

static void
append_violations (GString *fields,
                   guint32  violations)
{
  gboolean first = TRUE;

  if (violations == 0)
    return;

  if (fields->len > 0)
    g_string_append_c (fields, ',');
  g_string_append (fields, "\"violations\":[");
  for (guint bit = 0; bit < 32; bit++)
    {
      const char *text;

      if ((violations & (1u << bit)) == 0)
        continue;
      text = sonde_ws_violation_to_string (1u << bit);
      if (!first)
        g_string_append_c (fields, ',');
      first = FALSE;
      sonde_json_append_string (fields, text, strlen (text));
    }
  g_string_append_c (fields, ']');
}

/* The member at a dotted path ("data.seq") of a JSON text, as text. */
static char *
json_member_at (const char *text,
                gsize       len,
                const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) parts = NULL;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, text, (gssize)len, NULL))
    return NULL;

  node = json_parser_get_root (parser);
  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          char *end = NULL;
          guint64 index = g_ascii_strtoull (parts[i], &end, 10);
          JsonArray *array = json_node_get_array (node);

          node = (end != parts[i] && *end == '\0' && index < json_array_get_length (array))
                   ? json_array_get_element (array, (guint)index) : NULL;
        }
      else
        node = NULL;
    }

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static void
log_message (SondeWsClient        *self,
             SondeDirection        direction,
             const SondeWsMessage *message)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  gboolean text = message->opcode == SONDE_WS_OPCODE_TEXT;

  /* Data that inflated is not in the raw frames: it is the one thing kept twice. */
  if (message->compressed)
    {
      g_string_append (fields, "\"compressed\":true,\"data\":");
      if (text)
        {
          g_autofree char *valid = g_utf8_make_valid ((const char *)message->data,
                                                      (gssize)message->data_len);

          sonde_json_append_string (fields, valid, strlen (valid));
        }
      else
        sonde_json_append_base64 (fields, message->data, message->data_len);
    }

  if (direction == SONDE_DIRECTION_OUT && self->pending_resume != NULL && text &&
      message->data_len == strlen (self->pending_resume) &&
      memcmp (message->data, self->pending_resume, message->data_len) == 0)
    {
      sonde_json_append_member_string (fields, "purpose", "resume");
      g_clear_pointer (&self->pending_resume, g_free);
    }

  append_violations (fields, message->violations);

  sonde_event_log_append (self->log, now (self), direction,
                          text ? SONDE_ENTRY_TEXT : SONDE_ENTRY_BINARY,
                          NULL, 0, fields->str, fields->len, message->raw, message->raw_len);

  if (direction == SONDE_DIRECTION_IN && text && self->resume_path != NULL &&
      (message->violations & SONDE_WS_VIOLATION_TOO_LARGE) == 0)
    {
      char *value = json_member_at ((const char *)message->data, message->data_len,
                                    self->resume_path);

      if (value != NULL)
        {
          g_free (self->last_id);
          self->last_id = value;
        }
    }
}

static void
log_control (SondeWsClient      *self,
             SondeDirection      direction,
             const SondeWsFrame *frame)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  SondeEntryKind kind;
  gint64 time_us = now (self);

  switch (frame->opcode)
    {
    case SONDE_WS_OPCODE_PING:
      kind = SONDE_ENTRY_PING;
      if (direction == SONDE_DIRECTION_OUT && frame->payload != NULL)
        g_hash_table_insert (self->pings,
                             g_bytes_new (frame->payload, frame->length),
                             g_memdup2 (&time_us, sizeof time_us));
      break;

    case SONDE_WS_OPCODE_PONG:
      kind = SONDE_ENTRY_PONG;
      if (direction == SONDE_DIRECTION_IN && frame->payload != NULL)
        {
          g_autoptr(GBytes) key = g_bytes_new_static (frame->payload, frame->length);
          gint64 *sent = g_hash_table_lookup (self->pings, key);

          if (sent != NULL)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (fields, "\"rtt_ms\":");
              g_string_append (fields, g_ascii_formatd (buffer, sizeof buffer, "%.3f",
                                                        (time_us - *sent) / 1000.0));
              g_hash_table_remove (self->pings, key);
            }
        }
      break;

    case SONDE_WS_OPCODE_CLOSE:
      kind = SONDE_ENTRY_CLOSE;
      if (frame->has_close_code)
        {
          g_autofree char *reason = g_utf8_make_valid (frame->close_reason,
                                                       (gssize)frame->close_reason_len);

          sonde_json_append_member_int (fields, "code", frame->close_code);
          sonde_json_append_member_string (fields, "reason", reason);
        }
      if (direction == SONDE_DIRECTION_OUT && !self->client_close_sent)
        {
          self->client_close_sent = TRUE;
          self->client_spoke_first = !self->server_closed;
        }
      /* The first close frame says why; anything after it is the peer misbehaving. */
      if (direction == SONDE_DIRECTION_IN && !self->server_closed)
        {
          self->server_closed = TRUE;
          self->server_close_code = frame->has_close_code ? frame->close_code : 1005;
          g_free (self->server_close_reason);
          self->server_close_reason = g_strndup (frame->close_reason != NULL ? frame->close_reason : "",
                                                 frame->close_reason_len);
        }
      break;

    default:
      /* A reserved opcode: no kind of its own, so an error that keeps the frame. */
      kind = SONDE_ENTRY_ERROR;
      {
        g_autofree char *message = g_strdup_printf (_("A frame with the reserved opcode 0x%X"),
                                                    frame->opcode);

        sonde_json_append_member_string (fields, "message", message);
      }
      break;
    }

  append_violations (fields, frame->violations);
  sonde_event_log_append (self->log, time_us, direction, kind, NULL, 0, fields->str, fields->len,
                          frame->raw, frame->raw_len);
}

static void
in_message (gpointer              user_data,
            const SondeWsMessage *message)
{
  log_message (user_data, SONDE_DIRECTION_IN, message);
}

static void
in_control (gpointer            user_data,
            const SondeWsFrame *frame)
{
  log_control (user_data, SONDE_DIRECTION_IN, frame);
}

static void
out_message (gpointer              user_data,
             const SondeWsMessage *message)
{
  log_message (user_data, SONDE_DIRECTION_OUT, message);
}

static void
out_control (gpointer            user_data,
             const SondeWsFrame *frame)
{
  log_control (user_data, SONDE_DIRECTION_OUT, frame);
}

static const SondeWsCallbacks in_callbacks = {
  .message = in_message,
  .control = in_control,
};

static const SondeWsCallbacks out_callbacks = {
  .message = out_message,
  .control = out_control,
};

static void
read_tap (gpointer      user_data,
          const guint8 *data,
          gsize         len)
{
  SondeWsClient *self = user_data;

  sonde_ws_dissector_feed (self->in, data, len);
}

static void
write_tap (gpointer      user_data,
           const guint8 *data,
           gsize         len)
{
  SondeWsClient *self = user_data;

  sonde_ws_dissector_feed (self->out, data, len);
}

static gboolean
can_inject (gpointer user_data)
{
  SondeWsClient *self = user_data;

  return sonde_ws_dissector_is_between_frames (self->out);
}

static gboolean
check_open (SondeWsClient  *self,
            GError        **error)
{
  if (self->ws == NULL ||
      soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
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
  if (!check_open (self, error))
    return FALSE;

  sonde_tap_output_stream_inject (SONDE_TAP_OUTPUT_STREAM (g_io_stream_get_output_stream (self->tap)),
                                  frames);
  return TRUE;
}

static gboolean
keepalive_cb (gpointer user_data)
{
  SondeWsClient *self = user_data;
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  gint64 stamp = g_get_monotonic_time ();

  /* A payload of its own makes each pong's round trip measurable. */
  sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, (const guint8 *)&stamp,
                         sizeof stamp, TRUE);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&frame));
  inject (self, bytes, NULL);

  return G_SOURCE_CONTINUE;
}

static void
clear_attempt (SondeWsClient *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->socket_client);
  g_clear_pointer (&self->response, g_byte_array_unref);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->request_headers, soup_message_headers_unref);
  g_clear_pointer (&self->request_line, g_free);
  g_clear_pointer (&self->pending_resume, g_free);
  g_clear_pointer (&self->server_close_reason, g_free);
  if (self->pings != NULL)
    g_hash_table_remove_all (self->pings);
  self->we_closed = FALSE;
  self->client_close_sent = FALSE;
  self->client_spoke_first = FALSE;
  self->server_closed = FALSE;
  self->server_close_code = 0;
}

/* Ends the attempt without a word on the wire: the owner logged why. */
static void
teardown (SondeWsClient *self)
{
  if (self->keepalive_source != NULL)
    {
      g_source_destroy (self->keepalive_source);
      g_clear_pointer (&self->keepalive_source, g_source_unref);
    }

  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      g_clear_object (&self->ws);
    }

  if (self->tap != NULL)
    {
      sonde_tap_stream_detach (self->tap);
      g_clear_object (&self->tap);
    }

  if (self->base != NULL)
    {
      g_io_stream_close (self->base, NULL, NULL);
      g_clear_object (&self->base);
    }

  clear_attempt (self);
}

/* Takes @error. Logs why the attempt ended and ends it; @final says that
 * trying again cannot help, otherwise the reconnect policy decides. */
static void
end_attempt (SondeWsClient *self,
             gboolean       final,
             GError        *error,
             const char    *extra_fields,
             const guint8  *raw,
             gsize          raw_len)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  sonde_json_append_member_string (fields, "message", error->message);
  sonde_json_append_member_string (fields, "domain", g_quark_to_string (error->domain));
  sonde_json_append_member_int (fields, "code", error->code);
  if (extra_fields != NULL)
    g_string_append_printf (fields, ",%s", extra_fields);
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR,
                        fields->str, raw, raw_len);

  teardown (self);
  if (final)
    sonde_connection_failed (SONDE_CONNECTION (self), error);
  else
    sonde_connection_dropped (SONDE_CONNECTION (self), error);
  g_error_free (error);
}

static void
ws_error_cb (SoupWebsocketConnection *ws,
             GError                  *error,
             gpointer                 user_data)
{
  SondeWsClient *self = user_data;

  /* libsoup's own verdict, usually followed by its close frame with 1002 or 1007. */
  sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  SondeWsClient *self = user_data;
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree guint8 *lost = NULL;
  const guint8 *pending = NULL;
  gsize pending_len;
  const char *closed_by;
  gboolean clean;
  gboolean normal;

  pending_len = sonde_ws_dissector_get_pending (self->in, &pending);
  lost = g_memdup2 (pending, pending_len);

  /* Clean: a close frame went each way. Who sent the first one closed. */
  clean = self->server_closed && self->client_close_sent;
  if (self->server_closed)
    {
      closed_by = self->client_spoke_first ? "client" : "server";
      message = g_strdup_printf (closed_by[0] == 's'
                                   ? _("The server closed the connection: %u %s")
                                   : _("Sonde closed the connection and the server answered: %u %s"),
                                 self->server_close_code,
                                 sonde_ws_close_code_describe (self->server_close_code));
    }
  else if (self->client_close_sent)
    {
      closed_by = "client";
      message = g_strdup (_("Sonde closed the connection; the server never answered its close frame"));
    }
  else
    {
      closed_by = "network";
      message = g_strdup (_("The connection dropped without a close frame (1006 Abnormal Closure)"));
    }

  sonde_json_append_member_string (fields, "message", message);
  sonde_json_append_member_string (fields, "closed_by", closed_by);
  sonde_json_append_member_int (fields, "code", self->server_closed ? self->server_close_code : 1006);
  sonde_json_append_member_string (fields, "reason",
                                   self->server_close_reason != NULL ? self->server_close_reason : "");
  g_string_append_printf (fields, ",\"clean\":%s", clean ? "true" : "false");
  if (pending_len > 0)
    sonde_json_append_member_int (fields, "discarded_bytes", pending_len);
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                        fields->str, lost, pending_len);

  /* Normal: the server said 1000, or we asked to close. Anything else, a
   * lost connection or another code (1001 going away included), is what
   * reconnecting clients reconnect after. */
  normal = self->server_closed && (self->server_close_code == 1000 || self->we_closed);
  if (!normal)
    error = g_error_new_literal (SONDE_ERROR, SONDE_ERROR_CLOSED, message);

  teardown (self);

  if (normal && !self->reconnect_on_any_close)
    sonde_connection_finished (SONDE_CONNECTION (self));
  else
    sonde_connection_dropped (SONDE_CONNECTION (self), error);
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

/* Reads `permessage-deflate; a; b=1` into params; FALSE for anything else. */
static gboolean
parse_extensions (const char  *value,
                  GHashTable **params)
{
  g_auto(GStrv) extensions = g_strsplit (value, ",", -1);
  g_auto(GStrv) parts = NULL;

  if (g_strv_length (extensions) != 1)
    return FALSE;

  parts = g_strsplit (extensions[0], ";", -1);
  if (g_ascii_strcasecmp (g_strstrip (parts[0]), "permessage-deflate") != 0)
    return FALSE;

  *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *eq = strchr (part, '=');

      if (eq != NULL)
        {
          *eq = '\0';
          g_hash_table_insert (*params, g_strdup (g_strstrip (part)),
                               g_strdup (g_strstrip (g_strdelimit (eq + 1, "\"", ' '))));
        }
      else if (part[0] != '\0')
        g_hash_table_insert (*params, g_strdup (part), NULL);
    }

  return TRUE;
}

static int
window_bits (GHashTable *params,
             const char *name)
{
  const char *value = g_hash_table_lookup (params, name);
  int bits = value != NULL ? atoi (value) : 15;

  return CLAMP (bits, 8, 15);
}

static void
append_open_fields (SondeWsClient      *self,
                    GString            *fields,
                    guint               status,
                    const char         *reason,
                    SoupMessageHeaders *response_headers)
{
  sonde_json_append_member_int (fields, "status", status);
  sonde_json_append_member_string (fields, "reason", reason != NULL ? reason : "");
  sonde_json_append_member_string (fields, "url", sonde_connection_get_url (SONDE_CONNECTION (self)));
  sonde_json_append_member_string (fields, "request", self->request_line);
  g_string_append (fields, ",\"headers\":");
  sonde_json_append_headers (fields, response_headers);
  g_string_append (fields, ",\"request_headers\":");
  sonde_json_append_headers (fields, self->request_headers);
}

static void
upgraded (SondeWsClient      *self,
          SoupMessageHeaders *headers,
          GHashTable         *deflate_params,
          GBytes             *leftover)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autoptr(GUri) uri = NULL;
  GList *extensions = NULL;
  const char *protocol = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  const char *extension_header = soup_message_headers_get_one (headers, "Sec-WebSocket-Extensions");

  self->in = self->in != NULL ? self->in : sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &in_callbacks, self);
  self->out = self->out != NULL ? self->out : sonde_ws_dissector_new (SONDE_WS_FROM_CLIENT, &out_callbacks, self);
  sonde_ws_dissector_reset (self->in);
  sonde_ws_dissector_reset (self->out);
  sonde_ws_dissector_set_max_size (self->in, self->max_size);
  sonde_ws_dissector_set_max_size (self->out, self->max_size);
  sonde_ws_dissector_set_deflate (self->in, deflate_params != NULL,
                                  deflate_params != NULL &&
                                  g_hash_table_contains (deflate_params, "server_no_context_takeover"),
                                  deflate_params != NULL ? window_bits (deflate_params, "server_max_window_bits") : 15);
  sonde_ws_dissector_set_deflate (self->out, deflate_params != NULL,
                                  deflate_params != NULL &&
                                  g_hash_table_contains (deflate_params, "client_no_context_takeover"),
                                  deflate_params != NULL ? window_bits (deflate_params, "client_max_window_bits") : 15);

  g_free (self->protocol);
  self->protocol = g_strdup (protocol);

  append_open_fields (self, fields, SOUP_STATUS_SWITCHING_PROTOCOLS, "Switching Protocols", headers);
  sonde_json_append_member_string (fields, "subprotocol", protocol != NULL ? protocol : "");
  sonde_json_append_member_string (fields, "extensions", extension_header != NULL ? extension_header : "");
  if (self->tls_accepted)
    {
      g_autofree char *problems = sonde_tls_describe_flags (self->tls_errors);

      sonde_json_append_member_string (fields, "certificate_accepted", problems);
    }
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
                        fields->str, NULL, 0);

  if (deflate_params != NULL)
    {
      SoupWebsocketExtension *deflate = g_object_new (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE, NULL);
      g_autoptr(GError) error = NULL;

      if (!soup_websocket_extension_configure (deflate, SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                               deflate_params, &error))
        {
          g_object_unref (deflate);
          end_attempt (self, TRUE, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                   _("The server’s permessage-deflate parameters are not valid: %s"),
                                   error->message),
                NULL, NULL, 0);
          return;
        }
      extensions = g_list_append (NULL, deflate);
    }

  self->tap = sonde_tap_stream_new (self->base, leftover, read_tap, write_tap, can_inject, self);
  uri = g_uri_parse (sonde_connection_get_url (SONDE_CONNECTION (self)), SOUP_HTTP_URI_FLAGS, NULL);
  /* libsoup takes the extension list. */
  self->ws = soup_websocket_connection_new (self->tap, uri, SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                            self->origin, protocol, extensions);
  soup_websocket_connection_set_max_incoming_payload_size (self->ws, self->max_size);
  soup_websocket_connection_set_keepalive_interval (self->ws, 0);
  g_signal_connect (self->ws, "closed", G_CALLBACK (ws_closed_cb), self);
  g_signal_connect (self->ws, "error", G_CALLBACK (ws_error_cb), self);

  sonde_connection_opened (SONDE_CONNECTION (self));

  if (self->keepalive_ms > 0)
    {
      self->keepalive_source = g_timeout_source_new (self->keepalive_ms);
      g_source_set_callback (self->keepalive_source, keepalive_cb, self, NULL);
      g_source_set_static_name (self->keepalive_source, "[sonde] websocket keepalive");
      g_source_attach (self->keepalive_source, sonde_connection_get_context (SONDE_CONNECTION (self)));
    }

  if (self->resume_message != NULL && self->last_id != NULL)
    {
      g_autoptr(GString) text = g_string_new (self->resume_message);

      g_string_replace (text, "{{last_id}}", self->last_id, 0);
      g_free (self->pending_resume);
      self->pending_resume = g_strdup (text->str);
      soup_websocket_connection_send_text (self->ws, text->str);
    }

  for (guint i = 0; i < self->open_messages->len && self->ws != NULL; i++)
    soup_websocket_connection_send_text (self->ws, g_ptr_array_index (self->open_messages, i));
}

static void
refusal_body_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data);

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Checks the upgrade response; everything wrong with it is named. */
static void
handle_response (SondeWsClient *self,
                 gsize          header_len)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GHashTable) deflate_params = NULL;
  g_autoptr(GBytes) leftover = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *accept = NULL;
  const char *value;
  guint status = 0;

  if (!soup_headers_parse_response ((const char *)self->response->data, (int)header_len, headers,
                                    NULL, &status, &reason))
    {
      end_attempt (self, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                       _("The server’s answer to the upgrade request is not HTTP")),
            NULL, self->response->data, MIN (self->response->len, REFUSAL_BODY_PREVIEW));
      return;
    }

  if (status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      /* Show what the server sent instead: give the body a moment to arrive. */
      if (self->response->len - header_len < REFUSAL_BODY_PREVIEW && self->cancellable != NULL)
        {
          GInputStream *input = g_io_stream_get_input_stream (self->base);

          g_object_set_data (G_OBJECT (self->cancellable), "sonde-header-len",
                             GSIZE_TO_POINTER (header_len));
          g_autoptr(GSource) timeout = g_timeout_source_new (300);

          g_input_stream_read_async (input, self->read_buffer, sizeof self->read_buffer,
                                     G_PRIORITY_DEFAULT, self->cancellable, refusal_body_cb,
                                     g_object_ref (self));
          g_source_set_callback (timeout, cancel_cb, g_object_ref (self->cancellable), g_object_unref);
          g_source_attach (timeout, sonde_connection_get_context (SONDE_CONNECTION (self)));
          return;
        }
      refusal_body_cb (NULL, NULL, g_object_ref (self));
      return;
    }

  accept = expected_accept (self->key);
  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Accept");
  if (!header_has_token (headers, "Upgrade", "websocket") ||
      !header_has_token (headers, "Connection", "upgrade"))
    {
      end_attempt (self, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                       _("The server answered 101 without “Upgrade: websocket” "
                                         "and “Connection: Upgrade”")),
            NULL, self->response->data, header_len);
      return;
    }
  if (value == NULL || !g_str_equal (value, accept))
    {
      end_attempt (self, FALSE, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                               /* Translators: both are base64 keys */
                               _("The server’s Sec-WebSocket-Accept is “%s”, not “%s” as the key requires"),
                               value != NULL ? value : "", accept),
            NULL, self->response->data, header_len);
      return;
    }

  value = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  if (value != NULL)
    {
      gboolean offered = FALSE;

      for (guint i = 0; i < self->protocols->len; i++)
        offered |= g_str_equal (value, g_ptr_array_index (self->protocols, i));
      if (!offered)
        {
          end_attempt (self, FALSE, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                   _("The server chose the subprotocol “%s”, which Sonde did not offer"),
                                   value),
                NULL, self->response->data, header_len);
          return;
        }
    }

  value = soup_message_headers_get_list (headers, "Sec-WebSocket-Extensions");
  if (value != NULL && value[0] != '\0')
    {
      if (!self->offer_deflate || !parse_extensions (value, &deflate_params))
        {
          end_attempt (self, FALSE, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                   _("The server accepted extensions Sonde did not offer: %s"), value),
                NULL, self->response->data, header_len);
          return;
        }
    }

  leftover = g_bytes_new (self->response->data + header_len, self->response->len - header_len);
  upgraded (self, headers, deflate_params, leftover);
}

static void
refusal_body_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SondeWsClient) self = user_data;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *reason = NULL;
  gsize header_len;
  guint status = 0;

  if (self->response == NULL)
    return;

  if (object != NULL)
    {
      gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

      if (n > 0)
        g_byte_array_append (self->response, self->read_buffer, (guint)n);
      header_len = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (self->cancellable), "sonde-header-len"));
    }
  else
    {
      const guint8 *end = memmem (self->response->data, self->response->len, "\r\n\r\n", 4);

      header_len = (gsize)(end - self->response->data) + 4;
    }

  soup_headers_parse_response ((const char *)self->response->data, (int)header_len, headers,
                               NULL, &status, &reason);
  append_open_fields (self, fields, status, reason, headers);
  /* What the body said, as text when it is text, in the raw bytes always. */
  {
    gsize body_len = MIN (self->response->len - header_len, REFUSAL_BODY_PREVIEW);
    g_autofree char *body = g_utf8_make_valid ((const char *)self->response->data + header_len,
                                               (gssize)body_len);

    sonde_json_append_member_string (fields, "body", body);
  }

  end_attempt (self, FALSE, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                           /* Translators: %u %s is an HTTP status such as “403 Forbidden” */
                           _("The server refused the WebSocket upgrade with %u %s"),
                           status, reason != NULL ? reason : ""),
        fields->str, self->response->data,
        MIN (self->response->len, header_len + REFUSAL_BODY_PREVIEW));
}

static void
response_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SondeWsClient) self = user_data;
  g_autoptr(GError) error = NULL;
  const guint8 *end;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->response == NULL)
    return;

  if (n < 0)
    {
      end_attempt (self, FALSE, g_steal_pointer (&error), NULL, self->response->data, self->response->len);
      return;
    }
  if (n == 0)
    {
      end_attempt (self, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                       _("The server closed the connection before answering "
                                         "the upgrade request")),
            NULL, self->response->data, self->response->len);
      return;
    }

  g_byte_array_append (self->response, self->read_buffer, (guint)n);
  end = memmem (self->response->data, self->response->len, "\r\n\r\n", 4);
  if (end != NULL)
    {
      handle_response (self, (gsize)(end - self->response->data) + 4);
      return;
    }

  if (self->response->len > MAX_RESPONSE_HEADERS)
    {
      end_attempt (self, FALSE, g_error_new_literal (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                                       _("The server’s answer to the upgrade has more than 64 KiB "
                                         "of headers")),
            NULL, self->response->data, REFUSAL_BODY_PREVIEW);
      return;
    }

  g_input_stream_read_async (G_INPUT_STREAM (object), self->read_buffer, sizeof self->read_buffer,
                             G_PRIORITY_DEFAULT, self->cancellable, response_read_cb,
                             g_object_ref (self));
}

static void
request_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SondeWsClient) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->base != NULL)
        end_attempt (self, FALSE, g_steal_pointer (&error), NULL, NULL, 0);
      return;
    }

  self->response = g_byte_array_new ();
  g_input_stream_read_async (g_io_stream_get_input_stream (self->base), self->read_buffer,
                             sizeof self->read_buffer, G_PRIORITY_DEFAULT, self->cancellable,
                             response_read_cb, g_object_ref (self));
}

static GUri *
attempt_uri (SondeWsClient  *self,
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
write_request (SondeWsClient *self,
               GUri          *uri)
{
  const char * const *headers = sonde_connection_get_headers (SONDE_CONNECTION (self));
  gboolean tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;
  int port = g_uri_get_port (uri);
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) host_value = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint8 nonce[16];

  for (guint i = 0; i < sizeof nonce; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (nonce + i, &r, 4);
    }
  self->key = g_base64_encode (nonce, sizeof nonce);

  g_string_append (host_value, strchr (host, ':') != NULL ? "[" : "");
  g_string_append (host_value, host);
  g_string_append (host_value, strchr (host, ':') != NULL ? "]" : "");
  if (port != -1 && port != (tls ? 443 : 80))
    g_string_append_printf (host_value, ":%d", port);

  self->request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (self->request_headers, "Host", host_value->str);
  soup_message_headers_append (self->request_headers, "Upgrade", "websocket");
  soup_message_headers_append (self->request_headers, "Connection", "Upgrade");
  soup_message_headers_append (self->request_headers, "Sec-WebSocket-Key", self->key);
  soup_message_headers_append (self->request_headers, "Sec-WebSocket-Version", "13");
  if (self->origin != NULL)
    soup_message_headers_append (self->request_headers, "Origin", self->origin);
  if (self->protocols->len > 0)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)self->protocols->pdata);

      soup_message_headers_append (self->request_headers, "Sec-WebSocket-Protocol", joined);
    }
  if (self->offer_deflate)
    soup_message_headers_append (self->request_headers, "Sec-WebSocket-Extensions",
                                 "permessage-deflate; client_max_window_bits");
  soup_message_headers_append (self->request_headers, "User-Agent", "Sonde/" PACKAGE_VERSION);
  for (guint i = 0; headers[i] != NULL; i += 2)
    soup_message_headers_append (self->request_headers, headers[i], headers[i + 1]);

  self->request_line = g_strdup_printf ("GET %s%s%s HTTP/1.1", path[0] != '\0' ? path : "/",
                                        g_uri_get_query (uri) != NULL ? "?" : "",
                                        g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  g_string_append_printf (text, "%s\r\n", self->request_line);
  soup_message_headers_iter_init (&iter, self->request_headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append (text, "\r\n");

  {
    gsize len = text->len;
    char *request = g_string_free (g_steal_pointer (&text), FALSE);

    /* The request text must outlive the write; the attempt's cancellable holds it. */
    g_object_set_data_full (G_OBJECT (self->cancellable), "sonde-request", request, g_free);
    g_output_stream_write_all_async (g_io_stream_get_output_stream (self->base), request, len,
                                     G_PRIORITY_DEFAULT, self->cancellable, request_written_cb,
                                     g_object_ref (self));
  }
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SondeWsClient *self = user_data;

  self->tls_errors = errors;
  self->tls_accepted = sonde_connection_accept_certificate (SONDE_CONNECTION (self), errors);

  return self->tls_accepted;
}

static void
socket_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_certificate_cb), user_data);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SondeWsClient) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  if (connection == NULL)
    {
      if ((self->tls_errors != 0 && !self->tls_accepted) || error->domain == G_TLS_ERROR)
        end_attempt (self, TRUE, sonde_tls_describe_error (self->tls_errors, error), NULL, NULL, 0);
      else
        end_attempt (self, FALSE, g_steal_pointer (&error), NULL, NULL, 0);
      return;
    }

  self->base = G_IO_STREAM (g_steal_pointer (&connection));
  uri = attempt_uri (self, NULL);
  write_request (self, uri);
}

static void
sonde_ws_client_attempt (SondeConnection *connection)
{
  SondeWsClient *self = SONDE_WS_CLIENT (connection);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *target = NULL;
  gboolean tls;

  g_assert (self->base == NULL);

  uri = attempt_uri (self, &error);
  if (uri == NULL)
    {
      end_attempt (self, TRUE, g_error_new (SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                               _("This is not a valid URL: %s"), error->message),
            NULL, NULL, 0);
      return;
    }

  tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0;
  self->cancellable = g_cancellable_new ();
  self->tls_errors = 0;
  self->tls_accepted = FALSE;
  self->socket_client = g_socket_client_new ();
  g_socket_client_set_tls (self->socket_client, tls);
  g_signal_connect (self->socket_client, "event", G_CALLBACK (socket_event_cb), self);

  /* The proxy resolver knows http and https, which is what ws and wss go through. */
  target = g_strdup_printf ("%s://%s%s%s:%d/", tls ? "https" : "http",
                            strchr (g_uri_get_host (uri), ':') != NULL ? "[" : "",
                            g_uri_get_host (uri),
                            strchr (g_uri_get_host (uri), ':') != NULL ? "]" : "",
                            g_uri_get_port (uri) != -1 ? g_uri_get_port (uri) : (tls ? 443 : 80));
  g_socket_client_connect_to_uri_async (self->socket_client, target, tls ? 443 : 80,
                                        self->cancellable, connected_cb, g_object_ref (self));
}

static void
sonde_ws_client_abort (SondeConnection *connection)
{
  teardown (SONDE_WS_CLIENT (connection));
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
  teardown (SONDE_WS_CLIENT (object));

  G_OBJECT_CLASS (sonde_ws_client_parent_class)->dispose (object);
}

static void
sonde_ws_client_finalize (GObject *object)
{
  SondeWsClient *self = SONDE_WS_CLIENT (object);

  g_clear_pointer (&self->in, sonde_ws_dissector_free);
  g_clear_pointer (&self->out, sonde_ws_dissector_free);
  g_clear_pointer (&self->protocols, g_ptr_array_unref);
  g_clear_pointer (&self->open_messages, g_ptr_array_unref);
  g_clear_pointer (&self->pings, g_hash_table_unref);
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
  self->pings = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                       (GDestroyNotify)g_bytes_unref, g_free);
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

void
sonde_ws_client_add_protocol (SondeWsClient *self,
                              const char    *protocol)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));
  g_return_if_fail (protocol != NULL);

  g_ptr_array_add (self->protocols, g_strdup (protocol));
}

void
sonde_ws_client_set_origin (SondeWsClient *self,
                            const char    *origin)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));

  g_free (self->origin);
  self->origin = g_strdup (origin);
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
 * round-trip time.
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
 *   as member names joined by dots (`id`, `data.seq`, `items.0.id`)
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

void
sonde_ws_client_set_max_size (SondeWsClient *self,
                              gsize          max_size)
{
  g_return_if_fail (SONDE_IS_WS_CLIENT (self));
  g_return_if_fail (max_size > 0);

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

  soup_websocket_connection_send_text (self->ws, text);
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
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (SONDE_IS_WS_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!json_parser_load_from_data (parser, text, -1, &parse_error))
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

  soup_websocket_connection_send_message (self->ws, SOUP_WEBSOCKET_DATA_BINARY, data);
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

  self->we_closed = TRUE;
  soup_websocket_connection_close (self->ws, (gushort)code, reason);
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

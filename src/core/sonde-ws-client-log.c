/* sonde-ws-client-log.c: what a WebSocket connection puts on the timeline, frame by frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-json.h"
#include "sonde-tls.h"
#include "sonde-ws-client-private.h"

/* Entries come from the two dissectors, one per direction, so that what is
 * on the timeline is what was on the wire, not what libsoup made of it. */

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

/* The member at a dotted path ("data.seq") of a JSON text from the peer, as
 * text; NULL when the text is not JSON, is nested too deep to read safely,
 * or has nothing there. */
static char *
json_member_at (const char *text,
                gsize       len,
                const char *path)
{
  g_autoptr(JsonNode) root = sonde_json_parse (text, (gssize)len, NULL);
  g_auto(GStrv) parts = NULL;
  JsonNode *node = root;

  if (root == NULL)
    return NULL;

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
log_message (SondeWsAttempt       *attempt,
             SondeDirection        direction,
             const SondeWsMessage *message)
{
  SondeWsClient *self = attempt->client;
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

  if (direction == SONDE_DIRECTION_OUT && attempt->pending_resume != NULL && text &&
      message->data_len == strlen (attempt->pending_resume) &&
      memcmp (message->data, attempt->pending_resume, message->data_len) == 0)
    {
      sonde_json_append_member_string (fields, "purpose", "resume");
      g_clear_pointer (&attempt->pending_resume, g_free);
    }

  append_violations (fields, message->violations);
  if (message->violations & SONDE_WS_VIOLATION_TOO_LARGE)
    sonde_json_append_member_int (fields, "max_size", (gint64)self->max_size);
  if (message->discarded > 0)
    sonde_json_append_member_int (fields, "discarded_bytes",
                                  (gint64)MIN (message->discarded, (guint64)G_MAXINT64));

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
log_control (SondeWsAttempt     *attempt,
             SondeDirection      direction,
             const SondeWsFrame *frame)
{
  SondeWsClient *self = attempt->client;
  g_autoptr(GString) fields = g_string_new (NULL);
  SondeEntryKind kind;
  gint64 time_us = now (self);

  switch (frame->opcode)
    {
    case SONDE_WS_OPCODE_PING:
      kind = SONDE_ENTRY_PING;
      if (direction == SONDE_DIRECTION_OUT && frame->payload != NULL)
        g_hash_table_insert (attempt->pings,
                             g_bytes_new (frame->payload, frame->length),
                             g_memdup2 (&time_us, sizeof time_us));
      break;

    case SONDE_WS_OPCODE_PONG:
      kind = SONDE_ENTRY_PONG;
      if (direction == SONDE_DIRECTION_IN && frame->payload != NULL)
        {
          g_autoptr(GBytes) key = g_bytes_new_static (frame->payload, frame->length);
          gint64 *sent = g_hash_table_lookup (attempt->pings, key);

          if (sent != NULL)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (fields, "\"rtt_ms\":");
              g_string_append (fields, g_ascii_formatd (buffer, sizeof buffer, "%.3f",
                                                        (time_us - *sent) / 1000.0));
              g_hash_table_remove (attempt->pings, key);
              /* The peer answers: the keepalive starts counting again. */
              attempt->unanswered_pings = 0;
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
      if (direction == SONDE_DIRECTION_OUT && !attempt->client_close_sent)
        {
          attempt->client_close_sent = TRUE;
          attempt->client_spoke_first = !attempt->server_closed;
        }
      /* The first close frame says why; anything after it is the peer misbehaving. */
      if (direction == SONDE_DIRECTION_IN && !attempt->server_closed)
        {
          attempt->server_closed = TRUE;
          attempt->server_close_code = frame->has_close_code ? frame->close_code : 1005;
          g_free (attempt->server_close_reason);
          attempt->server_close_reason = g_strndup (frame->close_reason != NULL ? frame->close_reason : "",
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
  if (frame->violations & SONDE_WS_VIOLATION_TOO_LARGE)
    sonde_json_append_member_int (fields, "max_size", (gint64)self->max_size);
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

/* Both take the attempt as user data. */
const SondeWsCallbacks sonde_ws_client_in_callbacks = {
  .message = in_message,
  .control = in_control,
};

const SondeWsCallbacks sonde_ws_client_out_callbacks = {
  .message = out_message,
  .control = out_control,
};

/* The fields an upgrade's answer gives its entry, whether it opened or was refused. */
void
sonde_ws_client_append_open_fields (SondeWsClient      *self,
                                    SondeWsAttempt     *attempt,
                                    GString            *fields,
                                    guint               status,
                                    const char         *reason,
                                    SoupMessageHeaders *response_headers)
{
  sonde_json_append_member_int (fields, "status", status);
  sonde_json_append_member_string (fields, "reason", reason != NULL ? reason : "");
  sonde_json_append_member_string (fields, "url", sonde_connection_get_url (SONDE_CONNECTION (self)));
  sonde_json_append_member_string (fields, "request", attempt->request_line);
  g_string_append (fields, ",\"headers\":");
  sonde_json_append_headers (fields, response_headers);
  g_string_append (fields, ",\"request_headers\":");
  sonde_json_append_headers (fields, attempt->request_headers);
}

void
sonde_ws_client_log_open (SondeWsClient  *self,
                          SondeWsAttempt *attempt)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  SoupMessageHeaders *headers = attempt->response_headers;
  const char *protocol = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  const char *extensions = soup_message_headers_get_one (headers, "Sec-WebSocket-Extensions");

  sonde_ws_client_append_open_fields (self, attempt, fields, SOUP_STATUS_SWITCHING_PROTOCOLS,
                                      "Switching Protocols", headers);
  sonde_json_append_member_string (fields, "subprotocol", protocol != NULL ? protocol : "");
  sonde_json_append_member_string (fields, "extensions", extensions != NULL ? extensions : "");
  if (attempt->tls_accepted)
    {
      g_autofree char *problems = sonde_tls_describe_flags (attempt->tls_errors);

      sonde_json_append_member_string (fields, "certificate_accepted", problems);
    }
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
                        fields->str, NULL, 0);
}

/* The `closed` entry of an open connection, with the bytes of a message or
 * frame that it cut short. */
void
sonde_ws_client_log_closed (SondeWsClient  *self,
                            SondeWsAttempt *attempt,
                            const char     *message,
                            const char     *closed_by,
                            guint           code,
                            const char     *reason,
                            gboolean        clean)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  const guint8 *pending = NULL;
  gsize pending_len = sonde_ws_dissector_get_pending (attempt->in, &pending);

  sonde_json_append_member_string (fields, "message", message);
  sonde_json_append_member_string (fields, "closed_by", closed_by);
  sonde_json_append_member_int (fields, "code", code);
  sonde_json_append_member_string (fields, "reason", reason != NULL ? reason : "");
  g_string_append_printf (fields, ",\"clean\":%s", clean ? "true" : "false");
  if (pending_len > 0)
    sonde_json_append_member_int (fields, "discarded_bytes", pending_len);
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                        fields->str, pending, pending_len);
}

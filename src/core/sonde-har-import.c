/* sonde-har-import.c: an entry of a HAR file turned into a session that a recording holds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-har-private.h"
#include "sonde-json.h"
#include "sonde-json-scanner.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* GDateTime ends with the year 9999; times past it are no times. */
#define MAX_EPOCH_SECONDS G_GINT64_CONSTANT (253402300799)

/* A number of milliseconds, or -1 when it is missing or not a number. */
static double
ms_member (JsonObject *object,
           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return -1;
  return json_node_get_double (node);
}

/* HAR times are seconds since 1970 as a JSON number, which json-glib reads
 * into a double: within a quarter of a microsecond for any time of this
 * century. The whole seconds and the fraction are taken apart first (the
 * fraction exactly, as both lie within a factor of two of each other), and
 * only the fraction is scaled and rounded to the nearest microsecond, so
 * that 1700000000.123 becomes ...123000 µs and not ...122999. */
static gboolean
seconds_to_us (JsonNode *node,
               gint64   *us)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 seconds = json_node_get_int (node);

      if (seconds < 0 || seconds > MAX_EPOCH_SECONDS)
        return FALSE;
      *us = seconds * G_USEC_PER_SEC;
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double seconds = json_node_get_double (node);
      gint64 whole;
      gint64 fraction;

      /* Also false for NaN. */
      if (!(seconds >= 0 && seconds <= (double)MAX_EPOCH_SECONDS))
        return FALSE;
      whole = (gint64)seconds;
      fraction = (gint64)((seconds - (double)whole) * G_USEC_PER_SEC + 0.5);
      *us = whole * G_USEC_PER_SEC + fraction;
      return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Importing an entry                                                  */

/* HTTP headers as HAR lists them, {name, value} pairs, gathered as a
 * recording keeps them: one member per name, case aside, values joined
 * with ", " as HTTP allows. */
typedef struct
{
  GPtrArray  *names;     /* as first spelt */
  GPtrArray  *values;    /* GString */
  GHashTable *index;     /* folded name -> position + 1 */
} Headers;

static void
headers_clear (Headers *headers)
{
  g_ptr_array_unref (headers->names);
  g_ptr_array_unref (headers->values);
  g_hash_table_unref (headers->index);
}

static void
free_gstring (gpointer data)
{
  g_string_free (data, TRUE);
}

/* Without @keep_credentials, the values of credential headers become the marker. */
static void
headers_init (Headers    *headers,
              JsonObject *message,
              gboolean    keep_credentials)
{
  JsonArray *list = sonde_har_array_member (message, "headers");
  guint n = list != NULL ? json_array_get_length (list) : 0;

  headers->names = g_ptr_array_new_with_free_func (g_free);
  headers->values = g_ptr_array_new_with_free_func (free_gstring);
  headers->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *header = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = sonde_har_string_member (header, "name");
      const char *value = sonde_har_string_member (header, "value");
      gboolean removed;
      char *folded;
      guint position;

      if (name == NULL)
        continue;
      if (value == NULL)
        value = "";
      removed = !keep_credentials && sonde_har_header_is_credential (name);
      if (removed)
        value = SONDE_CREDENTIALS_REMOVED;

      folded = g_ascii_strdown (name, -1);
      position = GPOINTER_TO_UINT (g_hash_table_lookup (headers->index, folded));
      if (position > 0 && removed)
        {
          /* One marker says it for all of them. */
          g_free (folded);
          continue;
        }
      if (position > 0)
        {
          GString *joined = g_ptr_array_index (headers->values, position - 1);

          g_string_append (joined, ", ");
          g_string_append (joined, value);
          g_free (folded);
          continue;
        }
      g_ptr_array_add (headers->names, g_strdup (name));
      g_ptr_array_add (headers->values, g_string_new (value));
      g_hash_table_insert (headers->index, folded, GUINT_TO_POINTER (headers->names->len));
    }
}

static const char *
headers_lookup (Headers    *headers,
                const char *name)
{
  g_autofree char *folded = g_ascii_strdown (name, -1);
  guint position = GPOINTER_TO_UINT (g_hash_table_lookup (headers->index, folded));

  if (position == 0)
    return NULL;
  return ((GString *)g_ptr_array_index (headers->values, position - 1))->str;
}

static void
headers_append_json (Headers *headers,
                     GString *out)
{
  g_string_append_c (out, '{');
  for (guint i = 0; i < headers->names->len; i++)
    {
      const char *name = g_ptr_array_index (headers->names, i);
      GString *value = g_ptr_array_index (headers->values, i);

      if (i > 0)
        g_string_append_c (out, ',');
      sonde_json_append_string (out, name, strlen (name));
      g_string_append_c (out, ':');
      sonde_json_append_string (out, value->str, value->len);
    }
  g_string_append_c (out, '}');
}

/* One message of the entry, checked, before it goes to the log. */
typedef struct
{
  gint64          time_us;      /* since 1970 */
  SondeDirection  direction;
  guint           opcode;       /* WebSocket */
  const char     *data;
  const char     *event;        /* SSE */
  const char     *id;
} Message;

static gboolean
message_error (GError     **error,
               guint        entry,
               guint        message,
               int          code,
               const char  *what)
{
  g_set_error (error, SONDE_ERROR, code,
               /* Translators: the numbers of an entry and a message, from 0, then what is
                * wrong with the message, such as “opcode 2 needs base64 data” */
               _("Entry %u, message %u: %s"), entry, message, what);
  return FALSE;
}

static gboolean
read_websocket_message (JsonNode  *node,
                        guint      entry,
                        guint      number,
                        Message   *message,
                        GError   **error)
{
  JsonObject *object;
  const char *type;
  gint64 opcode;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("expected an object with “type”, “time”, “opcode” and “data”"));
  object = json_node_get_object (node);

  type = sonde_har_string_member (object, "type");
  if (type == NULL)
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("it has no “type”; expected “send” or “receive”"));
  if (g_str_equal (type, "send"))
    message->direction = SONDE_DIRECTION_OUT;
  else if (g_str_equal (type, "receive"))
    message->direction = SONDE_DIRECTION_IN;
  else
    {
      g_autofree char *what = g_strdup_printf (_("unknown type “%s”; expected “send” or “receive”"),
                                               type);

      return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID, what);
    }

  if (!seconds_to_us (json_object_get_member (object, "time"), &message->time_us))
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("“time” must be seconds since 1970, such as 1700000000.123"));

  if (!sonde_har_int_member (object, "opcode", &opcode))
    {
      JsonNode *member = json_object_get_member (object, "opcode");

      /* Integers beyond a gint64 arrive as doubles (see sonde-har.c). */
      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_DOUBLE &&
          !(fabs (json_node_get_double (member)) < 9.2e18))
        return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                              _("its “opcode” is a number too large to read; expected 1 (text), "
                                "2 (binary), 8 (close), 9 (ping) or 10 (pong)"));
      return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                            _("it has no whole-number “opcode”; expected 1 (text), 2 (binary), "
                              "8 (close), 9 (ping) or 10 (pong)"));
    }
  if (opcode != SONDE_WS_OPCODE_TEXT && opcode != SONDE_WS_OPCODE_BINARY &&
      opcode != SONDE_WS_OPCODE_CLOSE && opcode != SONDE_WS_OPCODE_PING &&
      opcode != SONDE_WS_OPCODE_PONG)
    {
      g_autofree char *what = g_strdup_printf (_("unknown opcode %lld; expected 1 (text), "
                                                 "2 (binary), 8 (close), 9 (ping) or 10 (pong)"),
                                               (long long)opcode);

      return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID, what);
    }
  message->opcode = (guint)opcode;

  message->data = sonde_har_string_member (object, "data");
  if (message->data == NULL)
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("“data” must be a string"));

  return TRUE;
}

static gboolean
read_event_source_message (JsonNode  *node,
                           guint      entry,
                           guint      number,
                           Message   *message,
                           GError   **error)
{
  JsonObject *object;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("expected an object with “time”, “eventName”, “eventId” and “data”"));
  object = json_node_get_object (node);
  message->direction = SONDE_DIRECTION_IN;

  if (!seconds_to_us (json_object_get_member (object, "time"), &message->time_us))
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("“time” must be seconds since 1970, such as 1700000000.123"));

  /* A missing or null name is the default type, a missing id none. */
  member = json_object_get_member (object, "eventName");
  message->event = sonde_har_string_member (object, "eventName");
  if (message->event == NULL && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("“eventName” must be a string"));
  member = json_object_get_member (object, "eventId");
  message->id = sonde_har_string_member (object, "eventId");
  if (message->id == NULL && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("“eventId” must be a string"));
  if (message->event == NULL || message->event[0] == '\0')
    message->event = "message";
  if (message->id == NULL)
    message->id = "";

  message->data = sonde_har_string_member (object, "data");
  if (message->data == NULL)
    return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID,
                          _("“data” must be a string"));

  return TRUE;
}

static gboolean
has_line_break (const char *text)
{
  return strpbrk (text, "\r\n") != NULL;
}

/* The block a server sends for this event: what an SSE parser reads back
 * as the same type, data and last event ID. */
static void
append_sse_block (GString       *block,
                  const Message *message,
                  const char    *last_id)
{
  const char *data = message->data;

  /* An empty "id" field resets the last event ID; a line break cannot be
   * sent in one, so such an id lives only in the entry's id. */
  if (message->id[0] != '\0' && !has_line_break (message->id))
    g_string_append_printf (block, "id: %s\n", message->id);
  else if (message->id[0] == '\0' && last_id[0] != '\0')
    g_string_append (block, "id\n");

  if (!g_str_equal (message->event, "message"))
    {
      gsize n = strcspn (message->event, "\r\n");

      if (n > 0)
        {
          g_string_append (block, "event: ");
          g_string_append_len (block, message->event, (gssize)n);
          g_string_append_c (block, '\n');
        }
    }

  /* One data line per line of the data, whatever ends them. */
  for (;;)
    {
      gsize n = strcspn (data, "\r\n");

      g_string_append (block, "data: ");
      g_string_append_len (block, data, (gssize)n);
      g_string_append_c (block, '\n');
      if (data[n] == '\0')
        break;
      if (data[n] == '\r' && data[n + 1] == '\n')
        n++;
      data += n + 1;
    }
  g_string_append_c (block, '\n');
}

/* The payload of a WebSocket message, its frame and fields. */
static gboolean
build_websocket_entry (const Message   *message,
                       guint            entry,
                       guint            number,
                       GRand           *rand,
                       GByteArray      *frame,
                       GString         *fields,
                       SondeEntryKind  *kind,
                       GError         **error)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  guint8 mask[4];
  gsize len = strlen (message->data);

  if (message->opcode == SONDE_WS_OPCODE_TEXT)
    g_byte_array_append (payload, (const guint8 *)message->data, (guint)MIN (len, G_MAXUINT));
  else if (!sonde_base64_decode_append (message->data, len, payload))
    {
      g_autofree char *what = g_strdup_printf (_("opcode %u needs base64 data"), message->opcode);

      return message_error (error, entry, number, SONDE_ERROR_HAR_INVALID, what);
    }

  if (payload->len > SONDE_HAR_MAX_MESSAGE_SIZE || len > SONDE_HAR_MAX_MESSAGE_SIZE)
    {
      g_autofree char *size = g_format_size (MAX (len, payload->len));
      g_autofree char *what = g_strdup_printf (_("at %s, the message is larger than Sonde holds"),
                                               size);

      return message_error (error, entry, number, SONDE_ERROR_TOO_LARGE, what);
    }

  switch (message->opcode)
    {
    case SONDE_WS_OPCODE_TEXT:
      *kind = SONDE_ENTRY_TEXT;
      break;
    case SONDE_WS_OPCODE_BINARY:
      *kind = SONDE_ENTRY_BINARY;
      break;
    case SONDE_WS_OPCODE_PING:
      *kind = SONDE_ENTRY_PING;
      break;
    case SONDE_WS_OPCODE_PONG:
      *kind = SONDE_ENTRY_PONG;
      break;
    case SONDE_WS_OPCODE_CLOSE:
      *kind = SONDE_ENTRY_CLOSE;
      /* As the WebSocket client logs a close frame that has a code. */
      if (payload->len >= 2)
        {
          g_autofree char *reason = g_utf8_make_valid ((const char *)payload->data + 2,
                                                       (gssize)payload->len - 2);

          sonde_json_append_member_int (fields, "code", payload->data[0] << 8 | payload->data[1]);
          sonde_json_append_member_string (fields, "reason", reason);
        }
      break;
    default:
      g_assert_not_reached ();
    }

  /* Clients mask every frame, servers none (RFC 6455, 5.1). The keys come
   * from a generator with a fixed seed, so that converting the same HAR
   * twice gives the same recording. */
  if (message->direction == SONDE_DIRECTION_OUT)
    {
      guint32 key = g_rand_int (rand);

      memcpy (mask, &key, sizeof mask);
    }
  sonde_ws_frame_append_full (frame, SONDE_WS_FIN | (guint8)message->opcode,
                              payload->data, payload->len,
                              message->direction == SONDE_DIRECTION_OUT ? mask : NULL, 0);
  return TRUE;
}

gint64
sonde_har_date_time_to_us (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static gint64
floor_ms (gint64 us)
{
  gint64 rest = us % 1000;

  return rest < 0 ? us - rest - 1000 : us - rest;
}

/* When the connection opened, after the request started: the phases before
 * the response, as HAR times them (ssl is part of connect). */
static gint64
open_delay_us (JsonObject *entry)
{
  static const char * const phases[] = { "blocked", "dns", "connect", "send", "wait" };
  JsonObject *timings = sonde_har_object_member (entry, "timings");
  double ms = 0;

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      double phase = ms_member (timings, phases[i]);

      if (phase > 0)
        ms += phase;
    }
  if (!(ms < 1e12))
    return 0;
  return (gint64)(ms * 1000 + 0.5);
}

static void
append_open_fields (GString        *fields,
                    JsonObject     *entry,
                    SondeTransport  transport,
                    gboolean        keep_credentials)
{
  JsonObject *request = sonde_har_object_member (entry, "request");
  JsonObject *response = sonde_har_object_member (entry, "response");
  const char *url = sonde_har_string_member (request, "url");
  const char *reason = sonde_har_string_member (response, "statusText");
  g_autofree char *shown_url = NULL;
  Headers response_headers;
  Headers request_headers;
  gint64 status;

  if (!sonde_har_int_member (response, "status", &status) || status < 0 || status > 999)
    status = transport == SONDE_TRANSPORT_WEBSOCKET ? 101 : 200;

  headers_init (&response_headers, response, keep_credentials);
  headers_init (&request_headers, request, keep_credentials);
  if (url != NULL && !keep_credentials)
    url = shown_url = sonde_har_url_without_credentials (url);

  sonde_json_append_member_int (fields, "status", status);
  sonde_json_append_member_string (fields, "reason", reason != NULL ? reason : "");
  sonde_json_append_member_string (fields, "url", url != NULL ? url : "");
  g_string_append (fields, ",\"headers\":");
  headers_append_json (&response_headers, fields);
  g_string_append (fields, ",\"request_headers\":");
  headers_append_json (&request_headers, fields);
  if (transport == SONDE_TRANSPORT_WEBSOCKET)
    {
      const char *subprotocol = headers_lookup (&response_headers, "Sec-WebSocket-Protocol");
      const char *extensions = headers_lookup (&response_headers, "Sec-WebSocket-Extensions");

      sonde_json_append_member_string (fields, "subprotocol",
                                       subprotocol != NULL ? subprotocol : "");
      sonde_json_append_member_string (fields, "extensions", extensions != NULL ? extensions : "");
    }

  headers_clear (&response_headers);
  headers_clear (&request_headers);
}

/**
 * sonde_har_import:
 * @index: an entry that carries messages (see sonde_har_select())
 *
 * Turns the entry into a session: an `open` entry with the status and both
 * lists of headers, then one entry per message. WebSocket messages get the
 * frame they would have come in, masked when the client sent them.
 *
 * The session starts at the entry's startedDateTime, or at its first
 * message when that is missing or later; either is taken down to the whole
 * millisecond, as a recording's header keeps no more. Every message's time
 * is then exact to the microsecond the HAR gave.
 *
 * Without @keep_credentials, the values of the Cookie, Set-Cookie,
 * Authorization and Proxy-Authorization headers and the user and password in
 * the URL become %SONDE_CREDENTIALS_REMOVED.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with @error
 *   set; errors about a message name the entry and the message, from 0
 */
SondeHarSession *
sonde_har_import (SondeHar  *self,
                  guint      index,
                  gboolean   keep_credentials,
                  GError   **error)
{
  g_autoptr(SondeHarSession) session = NULL;
  g_autoptr(GArray) messages = NULL;
  g_autoptr(GByteArray) raw = NULL;
  g_autoptr(GString) fields = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GRand) rand = NULL;
  const SondeHarCandidate *candidate;
  JsonObject *entry;
  JsonArray *list;
  const char *url;
  const char *started_text;
  gint64 first_us = G_MAXINT64;
  gint64 start_us;
  gint64 open_us;
  const char *last_id = "";

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  candidate = sonde_har_find_candidate (self, index);
  if (candidate == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_SUCH_ENTRY,
                   _("Entry %u carries no WebSocket or EventSource messages"), index);
      return NULL;
    }
  entry = json_array_get_object_element (self->entries, index);
  list = sonde_har_array_member (entry, candidate->transport == SONDE_TRANSPORT_WEBSOCKET
                              ? "_webSocketMessages" : "_eventSourceMessages");

  url = sonde_har_string_member (sonde_har_object_member (entry, "request"), "url");
  if (url == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_INVALID,
                   _("Entry %u has no “url” in its “request”"), index);
      return NULL;
    }

  /* The messages first: the session starts no later than the first one. */
  messages = g_array_sized_new (FALSE, TRUE, sizeof (Message), candidate->n_messages);
  for (guint i = 0; i < candidate->n_messages; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      Message message = { 0, };
      gboolean ok;

      if (candidate->transport == SONDE_TRANSPORT_WEBSOCKET)
        ok = read_websocket_message (node, index, i, &message, error);
      else
        ok = read_event_source_message (node, index, i, &message, error);
      if (!ok)
        return NULL;
      first_us = MIN (first_us, message.time_us);
      g_array_append_val (messages, message);
    }

  started_text = sonde_har_string_member (entry, "startedDateTime");
  if (started_text != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      started = g_date_time_new_from_iso8601 (started_text, utc);
    }
  if (started != NULL && sonde_har_date_time_to_us (started) <= first_us)
    {
      gint64 started_us = sonde_har_date_time_to_us (started);

      start_us = floor_ms (started_us);
      open_us = started_us - start_us + open_delay_us (entry);
    }
  else if (messages->len > 0)
    {
      start_us = floor_ms (first_us);
      open_us = 0;
    }
  else
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_INVALID,
                   _("Entry %u has neither messages nor a valid “startedDateTime”"), index);
      return NULL;
    }
  /* The connection was open by the time anything went over it. */
  if (messages->len > 0)
    open_us = MIN (open_us, first_us - start_us);

  session = g_new0 (SondeHarSession, 1);
  session->transport = candidate->transport;
  session->url = keep_credentials ? g_strdup (url) : sonde_har_url_without_credentials (url);
  {
    g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

    session->started_at = g_date_time_add (epoch, start_us);
  }
  session->log = sonde_event_log_new ();

  fields = g_string_new (NULL);
  append_open_fields (fields, entry, candidate->transport, keep_credentials);
  sonde_event_log_append (session->log, open_us, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          fields->str, fields->len, NULL, 0);

  raw = g_byte_array_new ();
  rand = g_rand_new_with_seed (0x50de);
  for (guint i = 0; i < messages->len; i++)
    {
      const Message *message = &g_array_index (messages, Message, i);
      gint64 t = message->time_us - start_us;

      g_byte_array_set_size (raw, 0);
      g_string_truncate (fields, 0);

      if (candidate->transport == SONDE_TRANSPORT_WEBSOCKET)
        {
          SondeEntryKind kind;

          if (!build_websocket_entry (message, index, i, rand, raw, fields, &kind, error))
            return NULL;
          sonde_event_log_append (session->log, t, message->direction, kind, NULL, 0,
                                  fields->str, fields->len, raw->data, raw->len);
        }
      else
        {
          g_autoptr(GString) block = g_string_new (NULL);
          gsize id_len = strlen (message->id);

          append_sse_block (block, message, last_id);
          if (block->len > SONDE_HAR_MAX_MESSAGE_SIZE)
            {
              g_autofree char *size = g_format_size (block->len);
              g_autofree char *what = g_strdup_printf (_("at %s, the message is larger than "
                                                         "Sonde holds"), size);

              message_error (error, index, i, SONDE_ERROR_TOO_LARGE, what);
              return NULL;
            }
          sonde_event_log_append (session->log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                                  message->id, id_len, NULL, 0,
                                  (const guint8 *)block->str, block->len);
          last_id = message->id;
        }
    }

  return g_steal_pointer (&session);
}

/**
 * sonde_har_session_write:
 * @writer: where the recording goes
 *
 * Writes @session as a recording: the header, then every entry.
 *
 * Returns: whether everything was written (the caller still closes @writer)
 */
gboolean
sonde_har_session_write (SondeHarSession       *session,
                         SondeRecordingWriter  *writer,
                         GError               **error)
{
  guint64 n;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (writer != NULL, FALSE);

  sonde_recording_writer_write_header (writer, session->transport, session->url,
                                       session->started_at);
  n = sonde_event_log_get_n_entries (session->log);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView view;

      if (!sonde_event_log_get_view (session->log, i, &view))
        g_assert_not_reached ();
      sonde_recording_writer_write_entry (writer, &view);
    }

  return sonde_recording_writer_flush (writer, error);
}

void
sonde_har_session_free (SondeHarSession *session)
{
  if (session == NULL)
    return;

  g_free (session->url);
  g_clear_pointer (&session->started_at, g_date_time_unref);
  g_clear_object (&session->log);
  g_free (session);
}


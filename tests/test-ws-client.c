/* test-ws-client.c: the WebSocket client against libsoup's server and a raw scripted one, on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-recording-writer.h"
#include "sonde-test-util.h"
#include "sonde-ws-client.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* ---- A raw server: a thread per connection writes what the test scripted ---- */

typedef enum
{
  END_DROP,          /* close the socket without a close frame */
  END_AWAIT_CLOSE,   /* read until the client's close frame, answer it, close */
} ScriptEnd;

typedef struct
{
  char      *status_line;      /* NULL: "HTTP/1.1 101 Switching Protocols" */
  char      *extra_headers;    /* more response lines, each ending in \r\n */
  gboolean   wrong_accept;
  char      *body;             /* after the headers of a refusal */
  GBytes    *frames;           /* written after the response */
  ScriptEnd  end;
} Script;

typedef struct
{
  GSocketService *service;
  guint16         port;
  GMutex          mutex;
  GPtrArray      *scripts;     /* one per connection, in order; the last repeats */
  GPtrArray      *requests;    /* each request's head, as text */
  GPtrArray      *received;    /* the payloads of text frames clients sent */
  guint           connections;
} RawServer;

static void
script_free (Script *script)
{
  g_free (script->status_line);
  g_free (script->extra_headers);
  g_free (script->body);
  g_clear_pointer (&script->frames, g_bytes_unref);
  g_free (script);
}

/* Reads client frames until a close frame, noting text payloads. */
static void
read_client_frames (RawServer    *server,
                    GInputStream *in,
                    GOutputStream *out)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(GString) message = NULL;
  guint8 chunk[4096];

  while (TRUE)
    {
      gssize n = g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL);
      gsize offset = 0;

      if (n <= 0)
        return;
      g_byte_array_append (buffer, chunk, (guint)n);

      while (buffer->len - offset >= 2)
        {
          const guint8 *p = buffer->data + offset;
          guint64 len = p[1] & 0x7f;
          gsize header = 2;
          gboolean masked = (p[1] & 0x80) != 0;
          g_autofree guint8 *payload = NULL;

          if (len == 126)
            {
              if (buffer->len - offset < 4)
                break;
              len = (guint64)p[2] << 8 | p[3];
              header = 4;
            }
          else if (len == 127)
            {
              if (buffer->len - offset < 10)
                break;
              len = 0;
              for (guint i = 0; i < 8; i++)
                len = len << 8 | p[2 + i];
              header = 10;
            }
          if (masked)
            header += 4;
          if (buffer->len - offset < header + len)
            break;

          payload = g_malloc (len + 1);
          for (guint64 i = 0; i < len; i++)
            payload[i] = p[header + i] ^ (masked ? p[header - 4 + (i & 3)] : 0);
          payload[len] = 0;

          if ((p[0] & 0x0f) == 0x1 || ((p[0] & 0x0f) == 0x0 && message != NULL))
            {
              if (message == NULL)
                message = g_string_new (NULL);
              g_string_append_len (message, (const char *)payload, (gssize)len);
              if (p[0] & SONDE_WS_FIN)
                {
                  g_mutex_lock (&server->mutex);
                  g_ptr_array_add (server->received, g_string_free (g_steal_pointer (&message), FALSE));
                  g_mutex_unlock (&server->mutex);
                }
            }
          else if ((p[0] & 0x0f) == 0x8)
            {
              g_autoptr(GByteArray) reply = g_byte_array_new ();

              sonde_ws_frame_append (reply, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, payload, len, FALSE);
              g_output_stream_write_all (out, reply->data, reply->len, NULL, NULL, NULL);
              return;
            }
          offset += header + len;
        }
      g_byte_array_remove_range (buffer, 0, (guint)offset);
    }
}

static gboolean
raw_run (GThreadedSocketService *service,
         GSocketConnection      *connection,
         GObject                *source,
         gpointer                user_data)
{
  RawServer *server = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) response = g_string_new (NULL);
  g_autofree char *accept = NULL;
  Script *script;
  char c;

  /* One byte at a time: nothing past the request's blank line is taken. */
  while (!g_str_has_suffix (request->str, "\r\n\r\n") &&
         g_input_stream_read (in, &c, 1, NULL, NULL) == 1)
    g_string_append_c (request, c);

  g_mutex_lock (&server->mutex);
  g_ptr_array_add (server->requests, g_strdup (request->str));
  script = g_ptr_array_index (server->scripts, MIN (server->connections, server->scripts->len - 1));
  server->connections++;
  g_mutex_unlock (&server->mutex);

  if (script->status_line != NULL)
    {
      g_string_append_printf (response, "%s\r\n%sContent-Length: %zu\r\n\r\n%s",
                              script->status_line,
                              script->extra_headers != NULL ? script->extra_headers : "",
                              script->body != NULL ? strlen (script->body) : 0,
                              script->body != NULL ? script->body : "");
      g_output_stream_write_all (out, response->str, response->len, NULL, NULL, NULL);
      g_usleep (100 * 1000);
      return TRUE;
    }

  accept = script->wrong_accept ? g_strdup ("dGhpcyBpcyBub3QgaXQ=") : sonde_test_ws_accept (request->str);
  g_string_append_printf (response,
                          "HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: %s\r\n%s\r\n",
                          accept, script->extra_headers != NULL ? script->extra_headers : "");
  /* Frames in the same write as the response: the tap must hand them to libsoup first. */
  if (script->frames != NULL)
    g_string_append_len (response, g_bytes_get_data (script->frames, NULL),
                         (gssize)g_bytes_get_size (script->frames));
  g_output_stream_write_all (out, response->str, response->len, NULL, NULL, NULL);

  if (script->end == END_AWAIT_CLOSE)
    read_client_frames (server, in, out);
  else
    g_usleep (50 * 1000);

  return TRUE;
}

static RawServer *
raw_server_new (void)
{
  RawServer *server = g_new0 (RawServer, 1);

  g_mutex_init (&server->mutex);
  server->scripts = g_ptr_array_new_with_free_func ((GDestroyNotify)script_free);
  server->requests = g_ptr_array_new_with_free_func (g_free);
  server->received = g_ptr_array_new_with_free_func (g_free);
  server->service = sonde_test_threaded_service_new (G_CALLBACK (raw_run), server, NULL, &server->port);

  return server;
}

static void
raw_server_free (RawServer *server)
{
  sonde_test_threaded_service_free (server->service);
  g_ptr_array_unref (server->scripts);
  g_ptr_array_unref (server->requests);
  g_ptr_array_unref (server->received);
  g_mutex_clear (&server->mutex);
  g_free (server);
}

static Script *
raw_server_add_script (RawServer *server,
                       GBytes    *frames,
                       ScriptEnd  end)
{
  Script *script = g_new0 (Script, 1);

  script->frames = frames;
  script->end = end;
  g_ptr_array_add (server->scripts, script);

  return script;
}

static char *
raw_server_url (RawServer *server)
{
  return g_strdup_printf ("ws://127.0.0.1:%u/socket", server->port);
}

/* ---- Helpers ---- */

typedef struct
{
  SondeEventLog  *log;
  SondeEntryKind  kind;
  SondeDirection  direction;
  guint           count;
} EntryWait;

static gboolean
has_entries (gpointer data)
{
  EntryWait *wait = data;

  return sonde_test_count_entries (wait->log, wait->kind, wait->direction) >= wait->count;
}

static void
wait_for_entries (SondeEventLog  *log,
                  SondeEntryKind  kind,
                  SondeDirection  direction,
                  guint           count)
{
  EntryWait wait = { log, kind, direction, count };

  g_assert_true (sonde_test_wait_until (has_entries, &wait, 10000));
}

/* The nth entry (from 0) of a kind and direction. */
static gboolean
find_entry (SondeEventLog  *log,
            SondeEntryKind  kind,
            SondeDirection  direction,
            guint           nth,
            SondeEntryView *view)
{
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      sonde_event_log_get_view (log, i, view);
      if (view->kind == kind && view->direction == direction && nth-- == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
entry_data (const SondeEntryView *view,
            gsize                *len)
{
  return sonde_entry_view_dup_data (view, len, NULL);
}

static JsonObject *
entry_line (const SondeEntryView *view)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  sonde_recording_format_entry (line, view);
  json_parser_load_from_data (parser, line->str, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
entry_has_violation (const SondeEntryView *view,
                     SondeWsViolation      violation)
{
  const char *text = sonde_ws_violation_to_string (violation);
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", text);

  return view->fields_len > 0 &&
         g_strstr_len (view->fields, (gssize)view->fields_len, "\"violations\"") != NULL &&
         g_strstr_len (view->fields, (gssize)view->fields_len, quoted) != NULL;
}

static SondeWsClient *
start_client (const char *url,
              const char *policy)
{
  SondeWsClient *client = sonde_ws_client_new (url, NULL);

  if (policy != NULL)
    {
      SondeReconnectPolicy parsed;
      g_autoptr(GError) error = NULL;

      g_assert_true (sonde_reconnect_policy_parse (policy, &parsed, &error));
      sonde_connection_set_policy (SONDE_CONNECTION (client), &parsed);
    }
  return client;
}

static void
frame (GByteArray *out,
       guint8      first_byte,
       const char *payload,
       gsize       len)
{
  sonde_ws_frame_append (out, first_byte, (const guint8 *)payload, len, FALSE);
}

static GBytes *
close_frame (guint       code,
             const char *reason)
{
  GByteArray *out = g_byte_array_new ();
  guint8 body[128];
  gsize len = strlen (reason);

  body[0] = (guint8)(code >> 8);
  body[1] = (guint8)code;
  memcpy (body + 2, reason, len);
  frame (out, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, (const char *)body, len + 2);

  return g_byte_array_free_to_bytes (out);
}

/* ---- libsoup's own server as the peer ---- */

static void
soup_ws_message_cb (SoupWebsocketConnection *ws,
                    gint                     type,
                    GBytes                  *message,
                    gpointer                 user_data)
{
  /* Echo everything; on "binary please", answer with bytes too. */
  soup_websocket_connection_send_message (ws, type, message);
  if (type == SOUP_WEBSOCKET_DATA_TEXT &&
      g_bytes_get_size (message) == 13 &&
      memcmp (g_bytes_get_data (message, NULL), "binary please", 13) == 0)
    {
      static const guint8 bytes[] = { 0, 1, 2, 255 };
      g_autoptr(GBytes) data = g_bytes_new_static (bytes, sizeof bytes);

      soup_websocket_connection_send_message (ws, SOUP_WEBSOCKET_DATA_BINARY, data);
    }
}

static void
soup_ws_handler (SoupServer              *server,
                 SoupServerMessage       *msg,
                 const char              *path,
                 SoupWebsocketConnection *connection,
                 gpointer                 user_data)
{
  GPtrArray *connections = user_data;

  g_ptr_array_add (connections, g_object_ref (connection));
  g_signal_connect (connection, "message", G_CALLBACK (soup_ws_message_cb), NULL);
}

static SoupServer *
soup_ws_server_new (GPtrArray  *connections,
                    char      **url)
{
  g_autofree char *base = NULL;
  SoupServer *server = sonde_test_server_new (&base);
  static const char *protocols[] = { "chat", NULL };

  soup_server_add_websocket_handler (server, "/ws", NULL, (char **)protocols, soup_ws_handler,
                                     connections, NULL);
  *url = g_strdup_printf ("ws%s/ws", base + strlen ("http"));

  return server;
}

static void
test_create_destroy (void)
{
  SondeWsClient *client = sonde_ws_client_new ("ws://127.0.0.1:9/", NULL);

  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_IDLE);
  g_assert_cmpint (sonde_connection_get_policy (SONDE_CONNECTION (client))->mode, ==, SONDE_RECONNECT_NONE);
  g_assert_null (sonde_ws_client_get_last_id (client));
  g_assert_finalize_object (client);
}

/* Both directions against libsoup's server: every frame is an entry. */
static void
test_soup_peer (void)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = soup_ws_server_new (connections, &url);
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ping = g_bytes_new_static ("abc", 3);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *data = NULL;
  SondeEntryView view;
  gsize len;

  g_assert_true (sonde_ws_client_add_protocol (client, "chat", NULL));
  g_assert_true (sonde_ws_client_add_protocol (client, "superchat", NULL));
  g_assert_true (sonde_ws_client_set_origin (client, "http://sonde.test", NULL));
  sonde_connection_add_header (SONDE_CONNECTION (client), "X-Test", "yes");
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));
  g_assert_cmpstr (sonde_ws_client_get_protocol (client), ==, "chat");

  g_assert_true (find_entry (log, SONDE_ENTRY_OPEN, SONDE_DIRECTION_IN, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 101);
  g_assert_cmpstr (json_object_get_string_member (fields, "subprotocol"), ==, "chat");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "request_headers"),
                                                  "X-Test"), ==, "yes");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "request_headers"),
                                                  "Origin"), ==, "http://sonde.test");
  g_clear_pointer (&fields, json_object_unref);

  g_assert_true (sonde_ws_client_send_text (client, "binary please", &error));
  g_assert_no_error (error);
  wait_for_entries (log, SONDE_ENTRY_BINARY, SONDE_DIRECTION_IN, 1);

  /* Ours went out masked; the echo came back unmasked; both are whole frames. */
  g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT, 0, &view));
  line = entry_line (&view);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "binary please");
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_object_get_array_member (line, "frames"), 0), "masked"));
  g_clear_pointer (&line, json_object_unref);

  g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 0, &view));
  data = entry_data (&view, &len);
  g_assert_cmpstr (data, ==, "binary please");
  g_clear_pointer (&data, g_free);

  g_assert_true (find_entry (log, SONDE_ENTRY_BINARY, SONDE_DIRECTION_IN, 0, &view));
  data = entry_data (&view, &len);
  g_assert_cmpmem (data, len, "\x00\x01\x02\xff", 4);
  g_clear_pointer (&data, g_free);

  /* A ping with a payload of our own: libsoup's server answers, and the pong knows its round trip. */
  g_assert_true (sonde_ws_client_ping (client, ping, &error));
  wait_for_entries (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN, 1);
  g_assert_true (find_entry (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_true (json_object_has_member (fields, "rtt_ms"));
  g_assert_cmpfloat (json_object_get_double_member (fields, "rtt_ms"), >=, 0.0);
  g_clear_pointer (&fields, json_object_unref);

  /* Checked before sending. */
  g_assert_false (sonde_ws_client_send_json (client, "{\"a\": }", &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (sonde_ws_client_close (client, 1000, "bye", &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

  g_assert_true (find_entry (log, SONDE_ENTRY_CLOSE, SONDE_DIRECTION_OUT, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "bye");
  g_clear_pointer (&fields, json_object_unref);
  g_assert_true (find_entry (log, SONDE_ENTRY_CLOSE, SONDE_DIRECTION_IN, 0, &view));
  g_assert_true (find_entry (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpstr (json_object_get_string_member (fields, "closed_by"), ==, "client");
  g_assert_true (json_object_get_boolean_member (fields, "clean"));

  soup_server_disconnect (server);
}

/* permessage-deflate with libsoup's server: frames keep RSV1 and the compressed bytes. */
static void
test_deflate (void)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = soup_ws_server_new (connections, &url);
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) line = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *data = NULL;
  SondeEntryView view;
  JsonObject *first_frame;

  for (guint i = 0; i < 200; i++)
    g_string_append (text, "compress me, compress me; ");

  sonde_ws_client_set_offer_deflate (client, TRUE);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));
  g_assert_true (sonde_ws_client_send_text (client, text->str, &error));
  wait_for_entries (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 1);

  g_assert_true (find_entry (log, SONDE_ENTRY_OPEN, SONDE_DIRECTION_IN, 0, &view));
  line = entry_line (&view);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (line, "extensions"), "permessage-deflate"));
  g_clear_pointer (&line, json_object_unref);

  for (guint dir = 0; dir < 2; dir++)
    {
      g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, dir == 0 ? SONDE_DIRECTION_OUT : SONDE_DIRECTION_IN,
                                 0, &view));
      g_assert_true (sonde_entry_view_is_compressed (&view));
      data = entry_data (&view, NULL);
      g_assert_cmpstr (data, ==, text->str);
      g_clear_pointer (&data, g_free);
      /* Far fewer bytes on the wire than in the message. */
      g_assert_cmpuint (view.raw_len, <, text->len / 4);

      line = entry_line (&view);
      g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, text->str);
      first_frame = json_array_get_object_element (json_object_get_array_member (line, "frames"), 0);
      g_assert_cmpint (json_object_get_int_member (first_frame, "rsv"), ==, 4);
      g_clear_pointer (&line, json_object_unref);
    }

  g_assert_true (sonde_ws_client_close (client, 1000, NULL, &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  soup_server_disconnect (server);
}

/* Fragments with a ping between them, bytes arriving with the upgrade response. */
static void
test_fragmented_with_ping (void)
{
  RawServer *server = raw_server_new ();
  GByteArray *frames = g_byte_array_new ();
  g_autofree char *url = raw_server_url (server);
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *data = NULL;
  SondeEventLog *log;
  SondeEntryView view, ping_view;
  JsonArray *list;

  frame (frames, SONDE_WS_OPCODE_TEXT, "Gr\xc3", 3);            /* splits ü */
  frame (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, "p1", 2);
  frame (frames, 0x0, "\xbc", 1);
  frame (frames, SONDE_WS_FIN | 0x0, "\xc3\x9f" "e", 3);
  g_byte_array_append (frames, g_bytes_get_data (close_frame (1000, "done"), NULL), 8);
  raw_server_add_script (server, g_byte_array_free_to_bytes (frames), END_AWAIT_CLOSE);

  client = start_client (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

  /* The ping stands before the message it interrupted; libsoup answered it. */
  g_assert_true (find_entry (log, SONDE_ENTRY_PING, SONDE_DIRECTION_IN, 0, &ping_view));
  g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 0, &view));
  g_assert_cmpuint (ping_view.seq, <, view.seq);
  g_assert_true (find_entry (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_OUT, 0, &ping_view));

  data = entry_data (&view, NULL);
  g_assert_cmpstr (data, ==, "Grüße");
  g_assert_false (entry_has_violation (&view, SONDE_WS_VIOLATION_INVALID_UTF8));
  line = entry_line (&view);
  list = json_object_get_array_member (line, "frames");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (list, 0), "fin"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 1), "opcode"), ==, 0);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, 2), "fin"));

  raw_server_free (server);
}

/* 0, 125, 126, 127, 65535 and 65536-byte payloads, each length form. */
static void
test_payload_sizes (void)
{
  static const gsize sizes[] = { 0, 125, 126, 127, 65535, 65536 };
  static const guint forms[] = { 7, 7, 16, 16, 16, 64 };
  RawServer *server = raw_server_new ();
  GByteArray *frames = g_byte_array_new ();
  g_autofree guint8 *payload = g_malloc (65536);
  g_autofree char *url = raw_server_url (server);
  g_autoptr(SondeWsClient) client = NULL;
  SondeEventLog *log;

  for (gsize i = 0; i < 65536; i++)
    payload[i] = (guint8)(i * 31 + 7);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    sonde_ws_frame_append (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, payload, sizes[i], FALSE);
  g_byte_array_append (frames, g_bytes_get_data (close_frame (1000, ""), NULL), 4);
  raw_server_add_script (server, g_byte_array_free_to_bytes (frames), END_AWAIT_CLOSE);

  client = start_client (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;
      gsize len = 0;

      g_assert_true (find_entry (log, SONDE_ENTRY_BINARY, SONDE_DIRECTION_IN, i, &view));
      data = entry_data (&view, &len);
      g_assert_cmpmem (data, len, payload, sizes[i]);
      g_assert_cmpuint (view.raw_len, ==, sizes[i] + (forms[i] == 7 ? 2 : forms[i] == 16 ? 4 : 10));
    }

  raw_server_free (server);
}

/* Each close code class, as the server sends it. */
static void
test_close_codes (void)
{
  static const struct { guint code; gboolean valid; } codes[] = {
    { 1000, TRUE }, { 1001, TRUE }, { 1008, TRUE }, { 1011, TRUE }, { 1014, TRUE },
    { 3000, TRUE }, { 4999, TRUE },
    { 999, FALSE }, { 1004, FALSE }, { 1005, FALSE }, { 1006, FALSE }, { 1015, FALSE },
    { 2999, FALSE }, { 5000, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      RawServer *server = raw_server_new ();
      g_autofree char *url = raw_server_url (server);
      g_autoptr(SondeWsClient) client = NULL;
      g_autoptr(JsonObject) fields = NULL;
      SondeEventLog *log;
      SondeEntryView view;

      raw_server_add_script (server, close_frame (codes[i].code, "why"), END_AWAIT_CLOSE);
      client = start_client (url, NULL);
      log = sonde_connection_get_log (SONDE_CONNECTION (client));
      sonde_connection_start (SONDE_CONNECTION (client));
      g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

      g_assert_true (find_entry (log, SONDE_ENTRY_CLOSE, SONDE_DIRECTION_IN, 0, &view));
      g_assert_cmpint (entry_has_violation (&view, SONDE_WS_VIOLATION_CLOSE_CODE), ==, !codes[i].valid);
      fields = sonde_test_entry_fields (&view);
      g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, codes[i].code);
      g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "why");
      g_clear_pointer (&fields, json_object_unref);

      g_assert_true (find_entry (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 0, &view));
      fields = sonde_test_entry_fields (&view);
      g_assert_cmpstr (json_object_get_string_member (fields, "closed_by"), ==, "server");
      g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, codes[i].code);
      /* Only a normal closure ends well; the rest are failures with no reconnect policy. */
      g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==,
                       codes[i].code == 1000 ? SONDE_CONNECTION_CLOSED : SONDE_CONNECTION_FAILED);

      g_clear_object (&client);
      raw_server_free (server);
    }
}

typedef struct
{
  const char       *name;
  SondeWsViolation  violation;
  SondeEntryKind    kind;       /* the entry that must carry it */
} ViolationCase;

static GBytes *
violation_frames (SondeWsViolation violation)
{
  GByteArray *out = g_byte_array_new ();
  static const guint8 mask[4] = { 1, 2, 3, 4 };
  guint8 big[126];

  memset (big, 'x', sizeof big);

  switch (violation)
    {
    case SONDE_WS_VIOLATION_RESERVED_OPCODE:
      frame (out, SONDE_WS_FIN | 0x3, "?", 1);
      break;
    case SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION:
      frame (out, SONDE_WS_FIN | SONDE_WS_RSV2 | SONDE_WS_OPCODE_TEXT, "rsv", 3);
      break;
    case SONDE_WS_VIOLATION_CONTROL_TOO_LONG:
      sonde_ws_frame_append_full (out, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, big, 126, NULL, 0);
      break;
    case SONDE_WS_VIOLATION_CONTROL_FRAGMENTED:
      frame (out, SONDE_WS_OPCODE_PING, "p", 1);
      break;
    case SONDE_WS_VIOLATION_ORPHAN_CONTINUATION:
      frame (out, SONDE_WS_FIN | 0x0, "lost", 4);
      break;
    case SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE:
      frame (out, SONDE_WS_OPCODE_TEXT, "one", 3);
      frame (out, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, "two", 3);
      break;
    case SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH:
      sonde_ws_frame_append_full (out, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)"short", 5,
                                  NULL, 16);
      break;
    case SONDE_WS_VIOLATION_LENGTH_TOP_BIT:
      {
        static const guint8 header[] = { 0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 'z' };

        g_byte_array_append (out, header, sizeof header);
      }
      break;
    case SONDE_WS_VIOLATION_SERVER_MASKED:
      sonde_ws_frame_append_full (out, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)"masked", 6,
                                  mask, 0);
      break;
    case SONDE_WS_VIOLATION_CLOSE_ONE_BYTE:
      frame (out, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, "\x03", 1);
      break;
    case SONDE_WS_VIOLATION_CLOSE_CODE:
      g_byte_array_append (out, g_bytes_get_data (close_frame (1005, ""), NULL), 4);
      break;
    case SONDE_WS_VIOLATION_INVALID_UTF8:
      frame (out, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, "bad \xff byte", 10);
      break;
    case SONDE_WS_VIOLATION_CLIENT_NOT_MASKED:
    case SONDE_WS_VIOLATION_TOO_LARGE:
    case SONDE_WS_VIOLATION_BAD_DEFLATE:
    default:
      g_assert_not_reached ();
    }

  return g_byte_array_free_to_bytes (out);
}

/* Every violation a server can commit is shown as that violation, and libsoup's reaction follows. */
static void
test_violations (void)
{
  static const ViolationCase cases[] = {
    { "reserved opcode", SONDE_WS_VIOLATION_RESERVED_OPCODE, SONDE_ENTRY_ERROR },
    { "rsv", SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION, SONDE_ENTRY_TEXT },
    { "long control", SONDE_WS_VIOLATION_CONTROL_TOO_LONG, SONDE_ENTRY_PING },
    { "fragmented control", SONDE_WS_VIOLATION_CONTROL_FRAGMENTED, SONDE_ENTRY_PING },
    /* The dissector makes a continuation with nothing to continue a message of its own. */
    { "orphan continuation", SONDE_WS_VIOLATION_ORPHAN_CONTINUATION, SONDE_ENTRY_BINARY },
    { "data inside message", SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE, SONDE_ENTRY_TEXT },
    { "non-minimal length", SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH, SONDE_ENTRY_TEXT },
    { "length top bit", SONDE_WS_VIOLATION_LENGTH_TOP_BIT, SONDE_ENTRY_N_KINDS },
    { "server masked", SONDE_WS_VIOLATION_SERVER_MASKED, SONDE_ENTRY_TEXT },
    { "close one byte", SONDE_WS_VIOLATION_CLOSE_ONE_BYTE, SONDE_ENTRY_CLOSE },
    { "close code", SONDE_WS_VIOLATION_CLOSE_CODE, SONDE_ENTRY_CLOSE },
    { "invalid utf-8", SONDE_WS_VIOLATION_INVALID_UTF8, SONDE_ENTRY_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RawServer *server = raw_server_new ();
      g_autofree char *url = raw_server_url (server);
      g_autoptr(SondeWsClient) client = NULL;
      SondeEventLog *log;
      gboolean found = FALSE;

      g_test_message ("violation: %s", cases[i].name);
      raw_server_add_script (server, violation_frames (cases[i].violation), END_AWAIT_CLOSE);
      client = start_client (url, NULL);
      log = sonde_connection_get_log (SONDE_CONNECTION (client));
      sonde_connection_start (SONDE_CONNECTION (client));
      g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

      for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
        {
          SondeEntryView view;

          sonde_event_log_get_view (log, seq, &view);
          if (view.direction == SONDE_DIRECTION_IN &&
              (cases[i].kind == SONDE_ENTRY_N_KINDS || view.kind == cases[i].kind) &&
              entry_has_violation (&view, cases[i].violation))
            found = TRUE;
        }

      /* A 64-bit length with the top bit set is an absurd frame: it is reported on the closed entry's lost bytes or a frame. */
      if (cases[i].violation != SONDE_WS_VIOLATION_LENGTH_TOP_BIT)
        g_assert_true (found);
      /* libsoup reacts: it fails the connection, and says so on the timeline. */
      g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL), ==, 1);

      g_clear_object (&client);
      raw_server_free (server);
    }
}

static void
test_refused (void)
{
  RawServer *server = raw_server_new ();
  g_autofree char *url = raw_server_url (server);
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(JsonObject) fields = NULL;
  SondeEventLog *log;
  SondeEntryView view;
  Script *script;

  script = raw_server_add_script (server, NULL, END_DROP);
  script->status_line = g_strdup ("HTTP/1.1 403 Forbidden");
  script->extra_headers = g_strdup ("Content-Type: text/plain\r\nX-Why: token\r\n");
  script->body = g_strdup ("You shall not pass");

  client = start_client (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);

  g_assert_true (find_entry (log, SONDE_ENTRY_ERROR, SONDE_DIRECTION_LOCAL, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 403);
  g_assert_nonnull (strstr (json_object_get_string_member (fields, "message"), "403"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "headers"),
                                                  "X-Why"), ==, "token");
  g_assert_cmpstr (json_object_get_string_member (fields, "body"), ==, "You shall not pass");
  g_assert_true (g_str_has_prefix ((const char *)view.raw, "HTTP/1.1 403"));

  raw_server_free (server);
}

static void
test_wrong_accept (void)
{
  RawServer *server = raw_server_new ();
  g_autofree char *url = raw_server_url (server);
  g_autoptr(SondeWsClient) client = NULL;
  Script *script;

  script = raw_server_add_script (server, NULL, END_DROP);
  script->wrong_accept = TRUE;
  client = start_client (url, NULL);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  g_assert_error (sonde_connection_get_error (SONDE_CONNECTION (client)), SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (sonde_connection_get_error (SONDE_CONNECTION (client))->message,
                            "Sec-WebSocket-Accept"));

  raw_server_free (server);
}

/* A server that drops without a close frame: backoff, then a resume message
 * and query parameter carrying the last id seen. */
static void
test_drop_and_resume (void)
{
  RawServer *server = raw_server_new ();
  g_autofree char *url = raw_server_url (server);
  g_autoptr(SondeWsClient) client = NULL;
  GByteArray *first = g_byte_array_new ();
  GByteArray *second = g_byte_array_new ();
  SondeEventLog *log;
  SondeEntryView view;
  g_autoptr(JsonObject) fields = NULL;

  frame (first, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, "{\"data\":{\"seq\":41}}", 19);
  frame (first, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, "{\"data\":{\"seq\":42}}", 19);
  frame (first, SONDE_WS_OPCODE_TEXT, "{\"data\":", 8);  /* cut in the middle of a message */
  raw_server_add_script (server, g_byte_array_free_to_bytes (first), END_DROP);
  frame (second, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, "{\"data\":{\"seq\":43}}", 19);
  g_byte_array_append (second, g_bytes_get_data (close_frame (1000, ""), NULL), 4);
  raw_server_add_script (server, g_byte_array_free_to_bytes (second), END_AWAIT_CLOSE);

  client = start_client (url, "backoff:initial=50,factor=2,jitter=0,attempts=3");
  sonde_ws_client_set_resume (client, "{\"resume_after\":{{last_id}}}", "data.seq", "last_id");
  sonde_ws_client_add_open_message (client, "subscribe");
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
  g_assert_cmpstr (sonde_ws_client_get_last_id (client), ==, "43");

  g_assert_cmpuint (server->requests->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (server->requests, 0), "GET /socket HTTP/1.1\r\n"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (server->requests, 1),
                                   "GET /socket?last_id=42 HTTP/1.1\r\n"));
  /* The second connection heard the resume message first, then the subscription. */
  g_assert_cmpuint (server->received->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (server->received, 0), ==, "{\"resume_after\":42}");
  g_assert_cmpstr (g_ptr_array_index (server->received, 1), ==, "subscribe");

  /* The drop, with the partial message's bytes, the wait, and what resumed. */
  g_assert_true (find_entry (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpstr (json_object_get_string_member (fields, "closed_by"), ==, "network");
  g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, 1006);
  g_assert_cmpuint (view.raw_len, ==, 10);
  g_clear_pointer (&fields, json_object_unref);

  g_assert_true (find_entry (log, SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "delay_ms"), ==, 50);
  g_clear_pointer (&fields, json_object_unref);

  /* The first open sent only the subscription: no id had been seen yet. */
  g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_false (json_object_has_member (fields, "purpose"));
  g_clear_pointer (&fields, json_object_unref);
  g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT, 1, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpstr (json_object_get_string_member (fields, "purpose"), ==, "resume");

  raw_server_free (server);
}

/* Hand-made frames: a fragmented message, an invalid close code, binary from hex and base64. */
static void
test_hand_made (void)
{
  RawServer *server = raw_server_new ();
  g_autofree char *url = raw_server_url (server);
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("fragments of a message", 22);
  g_autoptr(GBytes) hex = NULL;
  g_autoptr(GBytes) base64 = NULL;
  g_autoptr(JsonObject) line = NULL;
  SondeEventLog *log;
  SondeEntryView view;

  raw_server_add_script (server, NULL, END_AWAIT_CLOSE);
  client = start_client (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));

  g_assert_true (sonde_ws_client_send_fragmented (client, FALSE, text, 5, &error));
  hex = sonde_bytes_from_hex ("de ad:be ef", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (hex), ==, 4);
  g_assert_true (sonde_ws_client_send_binary (client, hex, &error));
  base64 = sonde_bytes_from_base64 ("AAEC", &error);
  g_assert_no_error (error);
  g_assert_true (sonde_ws_client_send_binary (client, base64, &error));
  g_assert_null (sonde_bytes_from_hex ("abc", &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (sonde_bytes_from_hex ("zz", &error));
  g_clear_error (&error);
  g_assert_null (sonde_bytes_from_base64 ("A*==", &error));
  g_clear_error (&error);

  wait_for_entries (log, SONDE_ENTRY_BINARY, SONDE_DIRECTION_OUT, 2);
  g_assert_true (sonde_ws_client_close (client, 4321, "custom", &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  g_assert_true (find_entry (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT, 0, &view));
  line = entry_line (&view);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "fragments of a message");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (line, "frames")), ==, 5);
  g_assert_cmpstr (g_ptr_array_index (server->received, 0), ==, "fragments of a message");

  g_assert_true (find_entry (log, SONDE_ENTRY_CLOSE, SONDE_DIRECTION_IN, 0, &view));
  raw_server_free (server);
}

/* Keepalive pings carry their own payloads, so each pong shows its round trip. */
static void
test_keepalive (void)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = soup_ws_server_new (connections, &url);
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(GError) error = NULL;

  sonde_ws_client_set_keepalive (client, 30);
  sonde_connection_start (SONDE_CONNECTION (client));
  wait_for_entries (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN, 3);

  for (guint i = 0; i < 3; i++)
    {
      SondeEntryView view;
      g_autoptr(JsonObject) fields = NULL;

      g_assert_true (find_entry (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN, i, &view));
      fields = sonde_test_entry_fields (&view);
      g_assert_true (json_object_has_member (fields, "rtt_ms"));
      g_assert_true (find_entry (log, SONDE_ENTRY_PING, SONDE_DIRECTION_OUT, i, &view));
      g_assert_cmpuint (view.raw_len, ==, 6 + 8);
    }

  g_assert_true (sonde_ws_client_close (client, 1000, NULL, &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  soup_server_disconnect (server);
}

static gboolean
three_connections (gpointer data)
{
  RawServer *server = data;
  gboolean done;

  g_mutex_lock (&server->mutex);
  done = server->connections >= 3;
  g_mutex_unlock (&server->mutex);

  return done;
}

/* By default a normal close (1000) ends the session; with reconnect-on-any-close the policy acts. */
static void
test_reconnect_on_any_close (void)
{
  for (guint any = 0; any < 2; any++)
    {
      RawServer *server = raw_server_new ();
      g_autofree char *url = raw_server_url (server);
      g_autoptr(SondeWsClient) client = NULL;

      raw_server_add_script (server, close_frame (1000, "again"), END_AWAIT_CLOSE);
      client = start_client (url, "fixed:20");
      sonde_ws_client_set_reconnect_on_any_close (client, any);
      sonde_connection_start (SONDE_CONNECTION (client));

      if (any)
        {
          /* Each normal close leads to a reconnect; a successful open starts the count again. */
          g_assert_true (sonde_test_wait_until (three_connections, server, 10000));
          sonde_connection_stop (SONDE_CONNECTION (client));
          g_assert_cmpuint (sonde_test_count_entries (sonde_connection_get_log (SONDE_CONNECTION (client)),
                                           SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL), >=, 2);
        }
      else
        {
          g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
          g_assert_cmpuint (server->connections, ==, 1);
          g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
        }

      g_clear_object (&client);
      raw_server_free (server);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/ws-client/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/ws-client/soup-peer", test_soup_peer);
  g_test_add_func ("/sonde/ws-client/deflate", test_deflate);
  g_test_add_func ("/sonde/ws-client/fragmented-with-ping", test_fragmented_with_ping);
  g_test_add_func ("/sonde/ws-client/payload-sizes", test_payload_sizes);
  g_test_add_func ("/sonde/ws-client/close-codes", test_close_codes);
  g_test_add_func ("/sonde/ws-client/violations", test_violations);
  g_test_add_func ("/sonde/ws-client/refused", test_refused);
  g_test_add_func ("/sonde/ws-client/wrong-accept", test_wrong_accept);
  g_test_add_func ("/sonde/ws-client/drop-and-resume", test_drop_and_resume);
  g_test_add_func ("/sonde/ws-client/hand-made", test_hand_made);
  g_test_add_func ("/sonde/ws-client/keepalive", test_keepalive);
  g_test_add_func ("/sonde/ws-client/reconnect-on-any-close", test_reconnect_on_any_close);

  return g_test_run ();
}

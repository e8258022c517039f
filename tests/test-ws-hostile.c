/* test-ws-hostile.c: the WebSocket client against hostile servers on 127.0.0.1: floods, bombs, silence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-test-util.h"
#include "sonde-ws-client.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* Each server is a thread per connection on a GThreadedSocketService: it
 * reads the upgrade request, answers it (or does not), and then behaves as
 * the test says, in bounded loops that end when the client goes. Memory is
 * checked by the peak resident size of a test run in a subprocess of its
 * own, so that earlier tests do not hide it. */

#define MiB (1024 * 1024)

typedef struct _Hostile Hostile;
typedef void (*Behaviour) (Hostile       *server,
                           GInputStream  *in,
                           GOutputStream *out);

struct _Hostile
{
  GSocketService *service;
  guint16         port;
  gboolean        answer;         /* FALSE: never answer the upgrade request */
  const char     *extra_headers;  /* more lines of the answer, each ending in \r\n */
  Behaviour       behave;
  GBytes         *payload;        /* what a behaviour sends, when it needs something made */
  GMutex          mutex;
  GString        *request;        /* the last request's head */
  guint64         written;        /* bytes the behaviour got out */
  guint           connections;
};

/* Reads until the client goes (or 64 MiB, to stay bounded). */
static void
read_to_end (GInputStream *in)
{
  guint8 buffer[4096];
  gsize total = 0;
  gssize n;

  while (total < 64 * MiB && (n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    total += (gsize)n;
}

static gboolean
hostile_run (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                user_data)
{
  Hostile *server = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree char *key = NULL;
  g_autofree char *answer = NULL;
  char c;

  /* One byte at a time: nothing past the request's blank line is taken. */
  while (request->len < 65536 && !g_str_has_suffix (request->str, "\r\n\r\n") &&
         g_input_stream_read (in, &c, 1, NULL, NULL) == 1)
    g_string_append_c (request, c);

  g_mutex_lock (&server->mutex);
  g_string_assign (server->request, request->str);
  server->connections++;
  g_mutex_unlock (&server->mutex);

  if (!server->answer || !g_str_has_suffix (request->str, "\r\n\r\n"))
    {
      read_to_end (in);
      return TRUE;
    }

  key = sonde_test_ws_accept (request->str);
  answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: %s\r\n%s\r\n",
                            key, server->extra_headers != NULL ? server->extra_headers : "");
  if (g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL))
    server->behave (server, in, out);

  return TRUE;
}

static void
hostile_clear (Hostile *server)
{
  g_clear_pointer (&server->payload, g_bytes_unref);
  g_string_free (server->request, TRUE);
  g_mutex_clear (&server->mutex);
}

static void
hostile_release (gpointer  data,
                 GClosure *closure)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify)hostile_clear);
}

/* The test holds one reference, the service's handler the other: a thread
 * still reading when the test ends keeps the server alive. */
static Hostile *
hostile_new (Behaviour behave)
{
  Hostile *server = g_atomic_rc_box_new0 (Hostile);

  g_mutex_init (&server->mutex);
  server->answer = TRUE;
  server->behave = behave;
  server->request = g_string_new (NULL);
  server->service = sonde_test_threaded_service_new (G_CALLBACK (hostile_run),
                                                     g_atomic_rc_box_acquire (server),
                                                     hostile_release, &server->port);

  return server;
}

static void
hostile_free (Hostile *server)
{
  sonde_test_threaded_service_free (g_steal_pointer (&server->service));
  hostile_release (server, NULL);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_free)

static char *
hostile_url (Hostile    *server,
             const char *scheme)
{
  return g_strdup_printf ("%s://127.0.0.1:%u/socket", scheme, server->port);
}

static gboolean
write_frame (Hostile       *server,
             GOutputStream *out,
             guint8         first_byte,
             const guint8  *payload,
             gsize          len)
{
  g_autoptr(GByteArray) frame = g_byte_array_sized_new ((guint)len + 14);

  sonde_ws_frame_append (frame, first_byte, payload, len, FALSE);
  if (!g_output_stream_write_all (out, frame->data, frame->len, NULL, NULL, NULL))
    return FALSE;

  g_mutex_lock (&server->mutex);
  server->written += frame->len;
  g_mutex_unlock (&server->mutex);
  return TRUE;
}

static guint64
hostile_written (Hostile *server)
{
  guint64 written;

  g_mutex_lock (&server->mutex);
  written = server->written;
  g_mutex_unlock (&server->mutex);
  return written;
}

/* ---- Helpers ---- */

/* The @nth entry of @kind and @direction, with its fields. */
static JsonObject *
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
        return sonde_test_entry_fields (view);
    }
  return NULL;
}

static gboolean
has_violation (JsonObject       *fields,
               SondeWsViolation  violation)
{
  JsonArray *list;

  if (!json_object_has_member (fields, "violations"))
    return FALSE;
  list = json_object_get_array_member (fields, "violations");
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_str_equal (json_array_get_string_element (list, i), sonde_ws_violation_to_string (violation)))
      return TRUE;
  return FALSE;
}

/* Peak resident size so far, in bytes. */
static guint64
peak_resident (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) * 1024;
}

/* A message past the limit: its entry says so and what it dropped, and
 * Sonde closes with 1009 (its own close frame on the timeline, then a
 * `closed` entry), which with no reconnect policy fails the connection. */
static void
assert_closed_too_large (SondeConnection *connection,
                         SondeEntryKind   kind,
                         gboolean         discarded)
{
  SondeEventLog *log = sonde_connection_get_log (connection);
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) close = NULL;
  g_autoptr(JsonObject) closed = NULL;
  SondeEntryView view;

  message = find_entry (log, kind, SONDE_DIRECTION_IN, 0, &view);
  g_assert_nonnull (message);
  g_assert_true (has_violation (message, SONDE_WS_VIOLATION_TOO_LARGE));
  g_assert_cmpint (json_object_get_int_member (message, "max_size"), ==, MiB);
  if (discarded)
    g_assert_cmpint (json_object_get_int_member_with_default (message, "discarded_bytes", 0), >, 0);

  close = find_entry (log, SONDE_ENTRY_CLOSE, SONDE_DIRECTION_OUT, 0, &view);
  g_assert_nonnull (close);
  g_assert_cmpint (json_object_get_int_member (close, "code"), ==, 1009);

  closed = find_entry (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 0, &view);
  g_assert_nonnull (closed);
  g_assert_cmpstr (json_object_get_string_member (closed, "closed_by"), ==, "client");
  g_assert_cmpint (json_object_get_int_member (closed, "code"), ==, 1009);

  g_assert_cmpint (sonde_connection_get_state (connection), ==, SONDE_CONNECTION_FAILED);
  g_assert_error (sonde_connection_get_error (connection), SONDE_ERROR, SONDE_ERROR_TOO_LARGE);
}

/* ---- Memory: a message never grows past the limit ---- */

#define FLOOD_BYTES (400 * (guint64)MiB)

/* A text frame without FIN, then continuation frames without FIN, for ever
 * (here: 400 MiB, or until the client goes). */
static void
flood_continuations (Hostile       *server,
                     GInputStream  *in,
                     GOutputStream *out)
{
  g_autofree guint8 *chunk = g_malloc (64 * 1024);
  guint64 sent = 0;

  memset (chunk, 'a', 64 * 1024);
  if (!write_frame (server, out, SONDE_WS_OPCODE_TEXT, chunk, 1000))
    return;
  while (sent < FLOOD_BYTES && write_frame (server, out, SONDE_WS_OPCODE_CONTINUATION, chunk, 64 * 1024))
    sent += 64 * 1024;
}

static void
test_endless_continuation_subprocess (void)
{
  g_autoptr(Hostile) server = hostile_new (flood_continuations);
  g_autofree char *url = hostile_url (server, "ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  guint64 before = peak_resident ();

  sonde_ws_client_set_max_size (client, MiB);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 60000));

  assert_closed_too_large (SONDE_CONNECTION (client), SONDE_ENTRY_TEXT, TRUE);
  /* Sonde stopped reading early: the server could not get its flood out. */
  g_assert_cmpuint (hostile_written (server), <, FLOOD_BYTES / 2);
  /* libsoup did not gather the flood either. */
  g_test_message ("peak resident size grew by %" G_GUINT64_FORMAT " bytes", peak_resident () - before);
  g_assert_cmpuint (peak_resident () - before, <, 64 * MiB);
}

static void
test_endless_continuation (void)
{
  g_test_trap_subprocess ("/sonde/ws-hostile/endless-continuation/subprocess", 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* What @compressed inflates to, counted through a small buffer. */
static guint64
inflated_size (GBytes *compressed)
{
  static const guint8 tail[4] = { 0x00, 0x00, 0xFF, 0xFF };
  guint8 buffer[65536];
  z_stream zs = { 0 };
  guint64 total = 0;

  g_assert_cmpint (inflateInit2 (&zs, -15), ==, Z_OK);
  for (guint part = 0; part < 2; part++)
    {
      zs.next_in = (Bytef *)(part == 0 ? g_bytes_get_data (compressed, NULL) : tail);
      zs.avail_in = part == 0 ? g_bytes_get_size (compressed) : sizeof tail;
      do
        {
          zs.next_out = buffer;
          zs.avail_out = sizeof buffer;
          int ret = inflate (&zs, Z_SYNC_FLUSH);

          g_assert_true (ret == Z_OK || ret == Z_BUF_ERROR);
          total += sizeof buffer - zs.avail_out;
        }
      while (zs.avail_out == 0);
    }
  inflateEnd (&zs);
  return total;
}

static void
send_payload_compressed (Hostile       *server,
                         GInputStream  *in,
                         GOutputStream *out)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (server->payload, &len);

  if (write_frame (server, out, SONDE_WS_FIN | SONDE_WS_RSV1 | SONDE_WS_OPCODE_BINARY, data, len))
    read_to_end (in);
}

static void
test_deflate_bomb_subprocess (void)
{
  g_autoptr(Hostile) server = hostile_new (send_payload_compressed);
  g_autofree char *url = NULL;
  g_autoptr(SondeWsClient) client = NULL;
  guint64 before;

  server->payload = sonde_test_deflate_bomb (512);
  server->extra_headers = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
  g_assert_cmpuint (g_bytes_get_size (server->payload), <, 600 * 1024);
  g_assert_cmpuint (inflated_size (server->payload), ==, 512 * (guint64)MiB);
  url = hostile_url (server, "ws");
  client = sonde_ws_client_new (url, NULL);
  sonde_ws_client_set_offer_deflate (client, TRUE);
  sonde_ws_client_set_max_size (client, MiB);
  before = peak_resident ();
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 60000));

  /* The frame is whole on the timeline (it fits); its data is not. */
  assert_closed_too_large (SONDE_CONNECTION (client), SONDE_ENTRY_BINARY, FALSE);
  g_test_message ("peak resident size grew by %" G_GUINT64_FORMAT " bytes", peak_resident () - before);
  g_assert_cmpuint (peak_resident () - before, <, 64 * MiB);
}

static void
test_deflate_bomb (void)
{
  g_test_trap_subprocess ("/sonde/ws-hostile/deflate-bomb/subprocess", 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ---- Deep JSON where the resume value is looked for ---- */

static void
send_deep_json (Hostile       *server,
                GInputStream  *in,
                GOutputStream *out)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  static const guint8 normal[2] = { 1000 >> 8, 1000 & 0xFF };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');

  if (write_frame (server, out, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)deep->str, deep->len) &&
      write_frame (server, out, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)"{\"id\":7}", 8) &&
      write_frame (server, out, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, normal, sizeof normal))
    {
      guint8 answer[8];

      /* The client's close frame (masked, with its code), then the server goes. */
      g_input_stream_read_all (in, answer, sizeof answer, NULL, NULL, NULL);
    }
}

static void
test_resume_deep_json (void)
{
  g_autoptr(Hostile) server = hostile_new (send_deep_json);
  g_autofree char *url = hostile_url (server, "ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));

  sonde_ws_client_set_resume (client, NULL, "id", NULL);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  /* Both messages are on the timeline; the deep one gave no value, the next did. */
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN), ==, 2);
  g_assert_cmpstr (sonde_ws_client_get_last_id (client), ==, "7");
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
}

/* ---- Timeouts ---- */

static void
never_called (Hostile       *server,
              GInputStream  *in,
              GOutputStream *out)
{
  g_assert_not_reached ();
}

/* A timed-out attempt is an attempt that failed: its error entry says
 * why, and the policy reconnects (here once) before it gives up. */
static void
assert_timed_out (SondeWsClient *client,
                  const char    *says)
{
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) reconnect = NULL;
  SondeEntryView view;

  error = find_entry (log, SONDE_ENTRY_ERROR, SONDE_DIRECTION_LOCAL, 0, &view);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), says));
  g_assert_cmpstr (json_object_get_string_member (error, "domain"), ==, g_quark_to_string (G_IO_ERROR));
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (json_object_get_int_member (error, "timeout_ms"), ==, 300);

  reconnect = find_entry (log, SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL, 0, &view);
  g_assert_nonnull (reconnect);
  g_assert_cmpint (json_object_get_int_member (reconnect, "attempt"), ==, 1);
  again = find_entry (log, SONDE_ENTRY_ERROR, SONDE_DIRECTION_LOCAL, 1, &view);
  g_assert_nonnull (again);
  g_assert_nonnull (strstr (json_object_get_string_member (again, "message"), says));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
}

static SondeWsClient *
timeout_client (const char *url)
{
  SondeWsClient *client = sonde_ws_client_new (url, NULL);
  SondeReconnectPolicy policy;
  g_autoptr(GError) error = NULL;

  g_assert_true (sonde_reconnect_policy_parse ("backoff:initial=50,cap=50,jitter=0,attempts=1", &policy, &error));
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_connection_set_timeout (SONDE_CONNECTION (client), 300);
  return client;
}

/* The server takes the connection and the request, and never answers it;
 * or, for wss, never speaks TLS at all. */
static void
run_timeout (const char *scheme,
             const char *says)
{
  g_autoptr(Hostile) server = hostile_new (never_called);
  g_autofree char *url = hostile_url (server, scheme);
  g_autoptr(SondeWsClient) client = timeout_client (url);

  server->answer = FALSE;
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  assert_timed_out (client, says);
}

static void
test_timeout_upgrade (void)
{
  run_timeout ("ws", "upgrade request");
}

static void
test_timeout_tls (void)
{
  run_timeout ("wss", "TLS");
}

/* A listener whose queue is full and that never accepts: the SYN goes
 * unanswered, and connecting would take the system's minutes. */
static void
test_timeout_connect (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) filler = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeWsClient) client = NULL;
  g_autofree char *url = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, TRUE, &error));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, &error));
  address = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);

  /* The one connection the queue holds */
  filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_connect (filler, address, NULL, &error));
  g_assert_no_error (error);

  url = g_strdup_printf ("ws://127.0.0.1:%u/socket",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  client = timeout_client (url);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
  assert_timed_out (client, "No connection");
}

/* ---- Keepalive: a peer that stops answering pings ---- */

static void
answer_nothing (Hostile       *server,
                GInputStream  *in,
                GOutputStream *out)
{
  read_to_end (in);
}

typedef struct
{
  SondeEventLog *log;
  guint          closed;
} ClosedWait;

static gboolean
closed_twice (gpointer data)
{
  ClosedWait *wait = data;

  return sonde_test_count_entries (wait->log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL) >= 2;
}

static void
test_keepalive_dead_peer (void)
{
  g_autoptr(Hostile) server = hostile_new (answer_nothing);
  g_autofree char *url = hostile_url (server, "ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) reconnect = NULL;
  g_autofree char *says = NULL;
  SondeReconnectPolicy policy;
  g_autoptr(GError) error = NULL;
  SondeEntryView view;

  ClosedWait wait = { log, 0 };

  g_assert_true (sonde_reconnect_policy_parse ("fixed:50", &policy, &error));
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_ws_client_set_keepalive (client, 40);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (closed_twice, &wait, 10000));
  sonde_connection_stop (SONDE_CONNECTION (client));

  /* Three pings went unanswered, then the attempt was given up. */
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_PING, SONDE_DIRECTION_OUT), >=,
                    2 * SONDE_WS_KEEPALIVE_MISSED_PONGS);
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_PING, SONDE_DIRECTION_OUT), <=,
                    3 * SONDE_WS_KEEPALIVE_MISSED_PONGS);
  closed = find_entry (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 0, &view);
  g_assert_nonnull (closed);
  says = g_strdup_printf ("none of the last %u keepalive pings", SONDE_WS_KEEPALIVE_MISSED_PONGS);
  g_assert_nonnull (strstr (json_object_get_string_member (closed, "message"), says));
  g_assert_cmpstr (json_object_get_string_member (closed, "closed_by"), ==, "client");
  /* The policy decided: another attempt, which met the same silence. */
  reconnect = find_entry (log, SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL, 0, &view);
  g_assert_nonnull (reconnect);
  g_assert_cmpint (json_object_get_int_member (reconnect, "delay_ms"), ==, 50);
  g_clear_pointer (&closed, json_object_unref);
  closed = find_entry (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 1, &view);
  g_assert_nonnull (strstr (json_object_get_string_member (closed, "message"), says));
  g_assert_cmpuint (server->connections, >=, 2);
}

/* A peer that answers keeps the connection, however long it stays. */
static void
answer_pings (Hostile       *server,
              GInputStream  *in,
              GOutputStream *out)
{
  guint8 header[14];
  guint8 payload[125];

  /* Client frames here are short pings and the close: 2 bytes, 4 of mask, payload. */
  while (g_input_stream_read_all (in, header, 6, NULL, NULL, NULL) && (header[1] & 0x7F) <= 125)
    {
      gsize len = header[1] & 0x7F;

      if (!g_input_stream_read_all (in, payload, len, NULL, NULL, NULL))
        return;
      for (gsize i = 0; i < len; i++)
        payload[i] ^= header[2 + (i & 3)];
      if ((header[0] & 0x0F) == SONDE_WS_OPCODE_CLOSE)
        {
          write_frame (server, out, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, payload, len);
          return;
        }
      if ((header[0] & 0x0F) == SONDE_WS_OPCODE_PING &&
          !write_frame (server, out, SONDE_WS_FIN | SONDE_WS_OPCODE_PONG, payload, len))
        return;
    }
}

static void
test_keepalive_live_peer (void)
{
  g_autoptr(Hostile) server = hostile_new (answer_pings);
  g_autofree char *url = hostile_url (server, "ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));

  sonde_ws_client_set_keepalive (client, 20);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));
  sonde_test_spin (400);
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_OPEN);
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN), >,
                    SONDE_WS_KEEPALIVE_MISSED_PONGS);
  g_assert_true (sonde_ws_client_close (client, 1000, NULL, NULL));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));
}

/* ---- Header values that would end their header ---- */

static void
test_setters_refuse_line_breaks (void)
{
  g_autoptr(Hostile) server = hostile_new (answer_nothing);
  g_autofree char *url = hostile_url (server, "ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  g_autoptr(GError) error = NULL;
  static const char * const bad_protocols[] = { "chat\r\nX-Evil: 1", "a b", "a,b", "", "chat\n" };

  g_assert_false (sonde_ws_client_set_origin (client, "http://a\r\nX-Evil: 1", &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  /* The value is shown escaped, so that the message cannot break a terminal line either. */
  g_assert_nonnull (strstr (error->message, "\\r\\n"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  g_assert_false (sonde_ws_client_set_origin (client, "http://a\x1b]0;x\a", &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_protocols); i++)
    {
      g_assert_false (sonde_ws_client_add_protocol (client, bad_protocols[i], &error));
      g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
    }
  g_assert_true (sonde_ws_client_add_protocol (client, "v2.chat", &error));
  g_assert_no_error (error);

  /* What was refused never reaches the wire. */
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));
  g_assert_null (strstr (server->request->str, "X-Evil"));
  g_assert_null (strstr (server->request->str, "Origin:"));
  g_assert_nonnull (strstr (server->request->str, "Sec-WebSocket-Protocol: v2.chat\r\n"));
  sonde_connection_stop (SONDE_CONNECTION (client));
}

/* 0 is no limit nobody could mean, and past the ceiling libsoup cannot follow. */
static void
test_max_size_range (void)
{
  g_autoptr(SondeWsClient) client = sonde_ws_client_new ("ws://127.0.0.1:1/", NULL);

  g_test_expect_message ("Sonde", G_LOG_LEVEL_CRITICAL, "*max_size >= 1*");
  sonde_ws_client_set_max_size (client, 0);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Sonde", G_LOG_LEVEL_CRITICAL, "*SONDE_WS_MAX_SIZE_LIMIT*");
  sonde_ws_client_set_max_size (client, SONDE_WS_MAX_SIZE_LIMIT + 1);
  g_test_assert_expected_messages ();
  sonde_ws_client_set_max_size (client, SONDE_WS_MAX_SIZE_LIMIT);
  sonde_ws_client_set_max_size (client, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/ws-hostile/endless-continuation", test_endless_continuation);
  g_test_add_func ("/sonde/ws-hostile/endless-continuation/subprocess", test_endless_continuation_subprocess);
  g_test_add_func ("/sonde/ws-hostile/deflate-bomb", test_deflate_bomb);
  g_test_add_func ("/sonde/ws-hostile/deflate-bomb/subprocess", test_deflate_bomb_subprocess);
  g_test_add_func ("/sonde/ws-hostile/resume-deep-json", test_resume_deep_json);
  g_test_add_func ("/sonde/ws-hostile/timeout-upgrade", test_timeout_upgrade);
  g_test_add_func ("/sonde/ws-hostile/timeout-tls", test_timeout_tls);
  g_test_add_func ("/sonde/ws-hostile/timeout-connect", test_timeout_connect);
  g_test_add_func ("/sonde/ws-hostile/keepalive-dead-peer", test_keepalive_dead_peer);
  g_test_add_func ("/sonde/ws-hostile/keepalive-live-peer", test_keepalive_live_peer);
  g_test_add_func ("/sonde/ws-hostile/setters-refuse-line-breaks", test_setters_refuse_line_breaks);
  g_test_add_func ("/sonde/ws-hostile/max-size-range", test_max_size_range);

  return g_test_run ();
}

/* test-mock-hostile.c: `sonde serve` against clients that never read, flood it, or come all at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs as its own process, so that the clients here can be plain
 * blocking sockets, the server can be stopped with SIGSTOP while they
 * connect, and its peak resident size is its own.
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "sonde-recording-writer.h"
#include "sonde-test-util.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *log_path;
  guint        port;
} Serve;

static gboolean
log_has_urls (gpointer data)
{
  Serve *serve = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (serve->log_path, &text, NULL, NULL) && strstr (text, "Press Ctrl") != NULL;
}

/* A recording of @n SSE events, 10 ms apart. */
static char *
write_recording (const char *dir,
                 guint       n)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "events.jsonl", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_autofree char *raw = g_strdup_printf ("id: %u\ndata: {\"n\":%u}\n\n", i, i);

      sonde_event_log_append (log, i * 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, strlen (id),
                              NULL, 0, (const guint8 *)raw, strlen (raw));
    }
  writer = sonde_recording_writer_new_for_path (path, &error);
  g_assert_no_error (error);
  sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_SSE, "http://127.0.0.1/sse",
                                       sonde_event_log_get_started_at (log));
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      sonde_recording_writer_write_entry (writer, &view);
    }
  g_assert_true (sonde_recording_writer_close (writer, &error));

  return path;
}

static GSocket *raw_connect    (guint       port,
                                gboolean    small_buffer);
static void     raw_write      (GSocket    *socket,
                                const void *data,
                                gsize       len);
static char    *raw_read_head  (GSocket    *socket);

/* The next server started gets this many file descriptors at most; 0: its own. */
static guint serve_open_files;

static void
limit_open_files (gpointer data)
{
  struct rlimit limit = { serve_open_files, serve_open_files };

  setrlimit (RLIMIT_NOFILE, &limit);
}

/* Starts `sonde serve RECORDING ARGS...` with its log in a file. */
static void
serve_start (Serve              *serve,
             guint               n_events,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *ws;

  memset (serve, 0, sizeof *serve);
  serve->dir = g_dir_make_tmp ("sonde-test-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  serve->log_path = g_build_filename (serve->dir, "serve.log", NULL);

  g_ptr_array_add (argv, g_strdup (g_getenv ("SONDE_BIN")));
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, write_recording (serve->dir, n_events));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_stdout_file_path (launcher, serve->log_path);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* Under AddressSanitizer, freed memory waits in a quarantine (256 MB by
   * default) that would count as the server's own. */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":quarantine_size_mb=16", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  if (serve_open_files > 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_open_files, NULL, NULL);
  serve->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_test_wait_until (log_has_urls, serve, 20000));

  g_file_get_contents (serve->log_path, &text, NULL, NULL);
  ws = strstr (text, "ws://127.0.0.1:");
  g_assert_nonnull (ws);
  serve->port = (guint)g_ascii_strtoull (ws + strlen ("ws://127.0.0.1:"), NULL, 10);
  g_assert_cmpuint (serve->port, >, 0);

  /* An answer means its main loop runs, and with it its signal handlers:
   * the URLs are printed a moment before. */
  {
    static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    g_autoptr(GSocket) socket = raw_connect (serve->port, FALSE);
    g_autofree char *head = NULL;

    raw_write (socket, request, sizeof request - 1);
    head = raw_read_head (socket);
    g_assert_true (g_str_has_prefix (head, "HTTP/1.1 200 "));
  }
}

static char *
serve_log (Serve *serve)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (serve->log_path, &text, NULL, NULL));
  return text;
}

static guint
count_lines (const char *text,
             const char *part)
{
  guint n = 0;

  for (const char *p = strstr (text, part); p != NULL; p = strstr (p + 1, part))
    n++;
  return n;
}

typedef struct
{
  Serve      *serve;
  const char *part;
  guint       wanted;
} LogWait;

static gboolean
log_has (gpointer data)
{
  LogWait *wait = data;
  g_autofree char *text = serve_log (wait->serve);

  return count_lines (text, wait->part) >= wait->wanted;
}

/* The server's peak resident size, in bytes. */
static guint64
serve_peak_rss (Serve *serve)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (serve->process));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) * 1024;
}

static void
serve_stop (Serve *serve)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recording = g_build_filename (serve->dir, "events.jsonl", NULL);

  g_subprocess_send_signal (serve->process, SIGCONT);
  g_subprocess_send_signal (serve->process, SIGTERM);
  g_subprocess_wait (serve->process, NULL, &error);
  g_assert_no_error (error);
  /* It ends cleanly: neither killed by a signal nor crashed. */
  if (g_subprocess_get_if_signaled (serve->process))
    g_test_message ("sonde serve ended by signal %d", g_subprocess_get_term_sig (serve->process));
  g_assert_true (g_subprocess_get_if_exited (serve->process));
  g_assert_cmpint (g_subprocess_get_exit_status (serve->process), ==, 0);

  g_unlink (serve->log_path);
  g_unlink (recording);
  g_rmdir (serve->dir);
  g_clear_object (&serve->process);
  g_free (serve->dir);
  g_free (serve->log_path);
}

/* ------------------------------------------------------------------ */
/* Plain clients                                                       */

/* A blocking socket to the server, with a receive buffer as small as the
 * kernel allows when @small_buffer: a client that does not read then
 * leaves the server its whole queue to hold. */
static GSocket *
raw_connect (guint    port,
             gboolean small_buffer)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16)port);
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  if (small_buffer)
    g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error));
  g_socket_set_timeout (socket, 30);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);

  return socket;
}

static void
raw_write (GSocket    *socket,
           const void *data,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  gsize done = 0;

  while (done < len)
    {
      gssize n = g_socket_send (socket, (const char *)data + done, len - done, NULL, &error);

      g_assert_no_error (error);
      done += (gsize)n;
    }
}

/* Reads up to the blank line that ends a response's head. */
static char *
raw_read_head (GSocket *socket)
{
  GString *head = g_string_new (NULL);

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      g_autoptr(GError) error = NULL;
      char c;
      gssize n = g_socket_receive (socket, &c, 1, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      g_string_append_c (head, c);
    }
  return g_string_free (head, FALSE);
}

/* A /ws client that offers permessage-deflate when @deflate says so, and
 * checks the server took it. */
static GSocket *
raw_websocket_full (guint    port,
                    gboolean small_buffer,
                    gboolean deflate)
{
  g_autofree char *request = g_strdup_printf (
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
    deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n" : "");
  GSocket *socket = raw_connect (port, small_buffer);
  g_autofree char *head = NULL;

  raw_write (socket, request, strlen (request));
  head = raw_read_head (socket);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 101 "));
  if (deflate)
    g_assert_nonnull (strstr (head, "permessage-deflate"));
  return socket;
}

static GSocket *
raw_websocket (guint    port,
               gboolean small_buffer)
{
  return raw_websocket_full (port, small_buffer, FALSE);
}

static GSocket *
raw_sse (guint    port,
         gboolean small_buffer)
{
  static const char request[] = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  GSocket *socket = raw_connect (port, small_buffer);

  raw_write (socket, request, sizeof request - 1);
  return socket;
}

/* POSTs @len bytes to /publish and returns the status. */
static guint
raw_publish (guint  port,
             gsize  len,
             char **head_out)
{
  g_autoptr(GSocket) socket = raw_connect (port, FALSE);
  g_autofree char *request = g_strdup_printf ("POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                              "Connection: close\r\n\r\n", len);
  g_autofree char *body = g_malloc (len);
  g_autofree char *head = NULL;
  guint status;

  memset (body, 'x', len);
  raw_write (socket, request, strlen (request));
  raw_write (socket, body, len);
  head = raw_read_head (socket);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 "));
  status = (guint)g_ascii_strtoull (head + 9, NULL, 10);
  if (head_out != NULL)
    *head_out = g_steal_pointer (&head);
  return status;
}

/* Sends @len bytes for as long as the server takes them, for @max at most:
 * returns how many it took before it hung up. */
static gsize
send_until_dropped (GSocket    *socket,
                    const void *data,
                    gsize       len,
                    gsize       max)
{
  gsize sent = 0;

  while (sent < max)
    {
      g_autoptr(GError) error = NULL;
      gsize done = 0;

      while (done < len)
        {
          gssize n = g_socket_send (socket, (const char *)data + done, len - done, NULL, &error);

          if (n < 0)
            {
              /* Reset by the server: dropped. */
              g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
              return sent;
            }
          done += (gsize)n;
        }
      sent += len;
    }

  return sent;
}

/* ------------------------------------------------------------------ */
/* The tests                                                           */

/* Six 10 MB publishes to 40 clients that never read took the server to
 * 2.7 GB: each client got its own copy of each, kept for ever. Now each
 * publish is one copy for everyone, and a client with more than its queue's
 * worth waiting is dropped, with a line in the log. */
static void
test_idle_clients_memory (void)
{
  const char *args[] = { "--speed", "0.001", "--max-message-size", "10485760", NULL };
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *log = NULL;
  Serve serve;
  LogWait connected = { &serve, "connected", 40 };
  LogWait dropped = { &serve, "stopped reading", 40 };
  guint64 before;
  guint64 peak;

  serve_start (&serve, 100, args);
  for (guint i = 0; i < 20; i++)
    {
      g_ptr_array_add (clients, raw_websocket (serve.port, TRUE));
      g_ptr_array_add (clients, raw_sse (serve.port, TRUE));
    }
  g_assert_true (sonde_test_wait_until (log_has, &connected, 20000));
  before = serve_peak_rss (&serve);

  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (raw_publish (serve.port, 10 * 1024 * 1024, NULL), ==, 202);

  /* Every client had more than 4 MiB waiting by the second publish. */
  g_assert_true (sonde_test_wait_until (log_has, &dropped, 20000));
  peak = serve_peak_rss (&serve);
  g_test_message ("peak resident size: %" G_GUINT64_FORMAT " MB before the publishes, %" G_GUINT64_FORMAT
                  " MB after", before / 1000000, peak / 1000000);
  /* 2.7 GB before; a few copies of a publish now. */
  g_assert_cmpuint (peak, <, 250 * 1000 * 1000);

  log = serve_log (&serve);
  g_assert_nonnull (strstr (log, "was dropped: it stopped reading, with "));
  g_ptr_array_set_size (clients, 0);
  serve_stop (&serve);
}

/* A body past --max-message-size gets 413, whether its length is said
 * up front or not; one at the limit goes out. */
static void
test_publish_limit (void)
{
  const char *args[] = { "--max-message-size", "1000", NULL };
  g_autofree char *head = NULL;
  g_autofree char *log = NULL;
  Serve serve;

  serve_start (&serve, 10, args);
  g_assert_cmpuint (raw_publish (serve.port, 1000, NULL), ==, 202);
  g_assert_cmpuint (raw_publish (serve.port, 1001, &head), ==, 413);
  g_assert_nonnull (strstr (head, "Access-Control-Allow-Origin: *"));
  g_assert_cmpuint (raw_publish (serve.port, 5 * 1024 * 1024, NULL), ==, 413);

  /* Chunked, with no length up front: read and forgotten, then refused. */
  {
    g_autoptr(GSocket) socket = raw_connect (serve.port, FALSE);
    static const char request[] = "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    g_autofree char *chunk = g_strnfill (600, 'y');
    g_autofree char *response = NULL;

    raw_write (socket, request, sizeof request - 1);
    for (guint i = 0; i < 2; i++)
      {
        raw_write (socket, "258\r\n", 5);
        raw_write (socket, chunk, 600);
        raw_write (socket, "\r\n", 2);
      }
    raw_write (socket, "0\r\n\r\n", 5);
    response = raw_read_head (socket);
    g_assert_true (g_str_has_prefix (response, "HTTP/1.1 413 "));
  }

  log = serve_log (&serve);
  g_assert_cmpuint (count_lines (log, "published 1000 bytes"), ==, 1);
  g_assert_cmpuint (count_lines (log, "(413)"), ==, 3);
  serve_stop (&serve);
}

/* A client that sends and never reads gets its echoes until it has a
 * queue's worth waiting, then it is dropped; the same for pings, whose
 * pongs libsoup queues. */
static void
test_echo_and_ping_flood (void)
{
  const char *args[] = { "--speed", "0.001", NULL };
  Serve serve;
  LogWait dropped = { &serve, "stopped reading", 1 };

  serve_start (&serve, 10, args);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GSocket) socket = raw_websocket (serve.port, TRUE);
      g_autoptr(GByteArray) frames = g_byte_array_new ();
      g_autofree char *payload = g_strnfill (round == 0 ? 60000 : 125, 'e');
      gsize sent;

      /* Many frames in one write. */
      for (guint i = 0; i < (round == 0 ? 4 : 500); i++)
        sonde_ws_frame_append (frames, SONDE_WS_FIN | (round == 0 ? SONDE_WS_OPCODE_TEXT : SONDE_WS_OPCODE_PING),
                               (const guint8 *)payload, strlen (payload), TRUE);
      sent = send_until_dropped (socket, frames->data, frames->len, 256 * 1024 * 1024);
      /* Far less than the 256 MB it would have taken. */
      g_assert_cmpuint (sent, <, 256 * 1024 * 1024);
      dropped.wanted = round + 1;
      g_assert_true (sonde_test_wait_until (log_has, &dropped, 20000));
    }

  serve_stop (&serve);
}

/* A /ws message of endless continuation frames of 64 KiB each: libsoup
 * holds its limit to each frame, and the server grew with the message (400
 * MB sent, 410 MB resident). Now it stops reading at --max-message-size,
 * closes the client with 1009, and its memory stays put. */
static void
test_endless_fragments (void)
{
  const char *args[] = { "--speed", "0.001", NULL };
  g_autofree char *payload = g_strnfill (65536, 'f');
  g_autoptr(GByteArray) first = g_byte_array_new ();
  g_autoptr(GByteArray) more = g_byte_array_new ();
  g_autoptr(GSocket) socket = NULL;
  Serve serve;
  LogWait closed = { &serve, "closed with 1009", 1 };
  gsize sent;

  serve_start (&serve, 10, args);
  socket = raw_websocket (serve.port, FALSE);
  sonde_ws_frame_append (first, SONDE_WS_OPCODE_TEXT, (const guint8 *)payload, 65536, TRUE);
  raw_write (socket, first->data, first->len);
  for (guint i = 0; i < 16; i++)
    sonde_ws_frame_append (more, SONDE_WS_OPCODE_CONTINUATION, (const guint8 *)payload, 65536,
                           TRUE);
  sent = send_until_dropped (socket, more->data, more->len, 256 * 1024 * 1024);
  /* The limit (1 MiB) and what the sockets hold, not the 256 MB offered. */
  g_assert_cmpuint (sent, <, 64 * 1024 * 1024);
  g_assert_true (sonde_test_wait_until (log_has, &closed, 20000));
  g_assert_cmpuint (serve_peak_rss (&serve), <, 150 * 1024 * 1024);
  serve_stop (&serve);
}

/* A compressed /ws message of 64 KiB on the wire that inflates to 64 MiB:
 * libsoup inflates it whole before its limit applies (a client's 380 KB
 * took the server to 400 MB). The server's dissector inflates it in steps,
 * stops at --max-message-size, and the client is closed with 1009 before
 * libsoup has the frame whole. */
static void
test_client_deflate_bomb (void)
{
  const char *args[] = { "--speed", "0.001", "--max-message-size", "2000000", NULL };
  g_autoptr(GBytes) fits = sonde_test_deflate_bomb (1);
  g_autoptr(GBytes) bomb = sonde_test_deflate_bomb (64);
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *log = NULL;
  Serve serve;
  LogWait echoed = { &serve, "sent 1048576 bytes; echoed", 1 };
  LogWait closed = { &serve, "closed with 1009", 1 };

  serve_start (&serve, 10, args);
  socket = raw_websocket_full (serve.port, FALSE, TRUE);
  /* RSV1: compressed. One within the limit is read and echoed as before. */
  sonde_ws_frame_append (frames, SONDE_WS_FIN | SONDE_WS_RSV1 | SONDE_WS_OPCODE_BINARY,
                         g_bytes_get_data (fits, NULL), g_bytes_get_size (fits), TRUE);
  raw_write (socket, frames->data, frames->len);
  g_assert_true (sonde_test_wait_until (log_has, &echoed, 20000));

  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append (frames, SONDE_WS_FIN | SONDE_WS_RSV1 | SONDE_WS_OPCODE_BINARY,
                         g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), TRUE);
  send_until_dropped (socket, frames->data, frames->len, frames->len);
  g_assert_true (sonde_test_wait_until (log_has, &closed, 20000));
  log = serve_log (&serve);
  /* The bomb never echoed: libsoup never had it whole. */
  g_assert_cmpuint (count_lines (log, "echoed"), ==, 1);
  serve_stop (&serve);
}

typedef struct
{
  GSocket **sockets;
  guint     n;
} Burst;

static gboolean
all_connected (gpointer data)
{
  Burst *burst = data;

  for (guint i = 0; i < burst->n; i++)
    {
      if (burst->sockets[i] == NULL)
        continue;
      if (!(g_socket_condition_check (burst->sockets[i], G_IO_OUT) & G_IO_OUT))
        return FALSE;
      g_assert_true (g_socket_check_connect_result (burst->sockets[i], NULL));
      g_clear_object (&burst->sockets[i]);
    }
  return TRUE;
}

/* 300 connects at once while the server does not accept (it is stopped):
 * the kernel completes them all, as many as the listen backlog holds. With
 * GLib's backlog of 10, the rest waited on SYN retries (1 s, 3 s, 7 s...),
 * for ever while the server was busy. */
static void
test_connect_burst (void)
{
  const char *args[] = { NULL };
  GSocket *sockets[300] = { NULL, };
  Burst burst = { sockets, G_N_ELEMENTS (sockets) };
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  Serve serve;

  serve_start (&serve, 10, args);
  address = g_inet_socket_address_new (loopback, (guint16)serve.port);
  g_subprocess_send_signal (serve.process, SIGSTOP);

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      g_autoptr(GError) error = NULL;

      sockets[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      g_socket_set_blocking (sockets[i], FALSE);
      if (!g_socket_connect (sockets[i], address, NULL, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
    }

  /* A generous deadline: on loopback they complete at once, or never. */
  g_assert_true (sonde_test_wait_until (all_connected, &burst, 5000));

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    g_clear_object (&sockets[i]);
  serve_stop (&serve);
}

/* Slowloris: connections that send part of a request's head now and then,
 * or nothing at all, are closed once the request timeout has passed, and a
 * client that sent its whole request streams on. Before, libsoup waited for
 * ever, and a few hundred such connections used up a server's file
 * descriptors (with 128, a legitimate client got no answer). */
static void
test_slow_requests (void)
{
  const char *args[] = { "--request-timeout", "0.5", NULL };
  static const char partial[] = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  static const char whole[] = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  GSocket *slow[40] = { NULL, };
  g_autoptr(GSocket) stream = NULL;
  g_autofree char *head = NULL;
  g_autofree char *log = NULL;
  char buffer[256];
  Serve serve;

  serve_start (&serve, 300, args);
  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    {
      slow[i] = raw_connect (serve.port, FALSE);
      /* Half send part of a head, half nothing. */
      if (i % 2 == 0)
        raw_write (slow[i], partial, sizeof partial - 1);
    }
  stream = raw_connect (serve.port, FALSE);
  raw_write (stream, whole, sizeof whole - 1);
  head = raw_read_head (stream);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 200 "));

  /* Each read waits until the server closes (the sockets give up after
   * 30 s, and the test with them). */
  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      n = g_socket_receive (slow[i], buffer, sizeof buffer, NULL, &error);
      if (error != NULL)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
      else
        g_assert_cmpint (n, ==, 0);
      g_clear_object (&slow[i]);
    }

  /* The stream that asked in time goes on. */
  g_assert_cmpint (g_socket_receive (stream, buffer, sizeof buffer, NULL, NULL), >, 0);
  log = serve_log (&serve);
  g_assert_cmpuint (count_lines (log, "sent no whole request within 0.5 s"), >=, G_N_ELEMENTS (slow));
  serve_stop (&serve);
}

/* Whether GET / on a new connection is answered with 200. */
static gboolean
root_answers (gpointer data)
{
  static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  Serve *serve = data;
  g_autoptr(GSocket) socket = raw_connect (serve->port, FALSE);
  g_autoptr(GError) error = NULL;
  char answer[16];
  gsize got = 0;

  raw_write (socket, request, sizeof request - 1);
  while (got < sizeof answer)
    {
      gssize n = g_socket_receive (socket, answer + got, sizeof answer - got, NULL, &error);

      if ((n == 0 && error == NULL) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        {
          /* Closed as it came: the server still counts the others. */
          g_usleep (50000);
          return FALSE;
        }
      g_assert_no_error (error);
      got += (gsize)n;
    }
  return memcmp (answer, "HTTP/1.1 200 ", 13) == 0;
}

/* Held connections that would run the server out of file descriptors:
 * libsoup's listener stops accepting for good after one failed accept, so
 * the server stayed deaf after they were gone (128 descriptors, 200 held
 * connections: no answer ever again). Past its connection limit (half of
 * 128 here) the server closes what comes, and answers once they are gone. */
static void
test_descriptors_run_out (void)
{
  const char *args[] = { "--request-timeout", "0", NULL };
  static const char partial[] = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  GSocket *held[200] = { NULL, };
  LogWait refused;
  Serve serve;

  serve_open_files = 128;
  serve_start (&serve, 10, args);
  serve_open_files = 0;
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      held[i] = raw_connect (serve.port, FALSE);
      raw_write (held[i], partial, sizeof partial - 1);
    }
  refused = (LogWait){ &serve, "the most it takes", 1 };
  g_assert_true (sonde_test_wait_until (log_has, &refused, 20000));

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    g_clear_object (&held[i]);

  /* Answered, once the server has seen them go (a connection it closes at
   * once reads as an empty answer; one never answered gives up after 30 s,
   * and the test with it). */
  g_assert_true (sonde_test_wait_until (root_answers, &serve, 20000));
  serve_stop (&serve);
}

/* A content type with a line break is one sentence and status 2, before
 * anything listens (it was a libsoup critical, and /sse went out without
 * a content type). */
static void
test_content_type_refused (void)
{
  const char *args[] = { "--sse-content-type", "text/event-stream\r\nX-Injected: yes", NULL };
  SondeTestRun run;

  g_assert_cmpint (sonde_test_run_sonde (&run, "serve", args), ==, 2);
  g_assert_nonnull (strstr (run.err, "line break"));
  g_assert_null (strstr (run.err, "CRITICAL"));
  g_assert_null (strstr (run.out, "Press Ctrl"));
  sonde_test_run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* A client dropped by the server is a reset here, not a signal. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/sonde/mock-hostile/idle-clients-memory", test_idle_clients_memory);
  g_test_add_func ("/sonde/mock-hostile/publish-limit", test_publish_limit);
  g_test_add_func ("/sonde/mock-hostile/echo-and-ping-flood", test_echo_and_ping_flood);
  g_test_add_func ("/sonde/mock-hostile/endless-fragments", test_endless_fragments);
  g_test_add_func ("/sonde/mock-hostile/client-deflate-bomb", test_client_deflate_bomb);
  g_test_add_func ("/sonde/mock-hostile/connect-burst", test_connect_burst);
  g_test_add_func ("/sonde/mock-hostile/slow-requests", test_slow_requests);
  g_test_add_func ("/sonde/mock-hostile/descriptors-run-out", test_descriptors_run_out);
  g_test_add_func ("/sonde/mock-hostile/content-type-refused", test_content_type_refused);

  return g_test_run ();
}

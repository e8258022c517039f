/* bench-mock-server.c: how fast the mock server replays, and how close to the recorded pace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs on a thread of its own, as the window will run it; the
 * client is a plain blocking socket that only counts, so the figures are the
 * server's.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sonde-mock-server.h"

typedef struct
{
  SondeEventLog   *recording;
  double           speed;
  GMainContext    *context;
  GMainLoop       *loop;
  SondeMockServer *server;
  guint            port;
  GMutex           mutex;
  GCond            cond;
} ServerThread;

static gpointer
server_thread (gpointer user_data)
{
  ServerThread *st = user_data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (st->context);
  st->server = sonde_mock_server_new (st->recording);
  g_object_set (st->server, "speed", st->speed, NULL);
  if (!sonde_mock_server_start (st->server, &error))
    g_error ("%s", error->message);

  g_mutex_lock (&st->mutex);
  st->port = sonde_mock_server_get_port (st->server);
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->mutex);

  g_main_loop_run (st->loop);
  sonde_mock_server_stop (st->server);
  g_clear_object (&st->server);
  g_main_context_pop_thread_default (st->context);

  return NULL;
}

static GThread *
server_start (ServerThread  *st,
              SondeEventLog *recording,
              double         speed)
{
  GThread *thread;

  memset (st, 0, sizeof *st);
  st->recording = recording;
  st->speed = speed;
  st->context = g_main_context_new ();
  st->loop = g_main_loop_new (st->context, FALSE);
  g_mutex_init (&st->mutex);
  g_cond_init (&st->cond);

  thread = g_thread_new ("mock-server", server_thread, st);
  g_mutex_lock (&st->mutex);
  while (st->port == 0)
    g_cond_wait (&st->cond, &st->mutex);
  g_mutex_unlock (&st->mutex);

  return thread;
}

static void
server_stop (ServerThread *st,
             GThread      *thread)
{
  g_main_loop_quit (st->loop);
  g_main_context_wakeup (st->context);
  g_thread_join (thread);
  g_main_loop_unref (st->loop);
  g_main_context_unref (st->context);
  g_mutex_clear (&st->mutex);
  g_cond_clear (&st->cond);
}

static GSocketConnection *
open_socket (guint        port,
             const char  *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16)port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  return connection;
}

static SondeEventLog *
make_recording (guint  n,
                gint64 step_us)
{
  SondeEventLog *log = sonde_event_log_new ();

  for (guint i = 0; i < n; i++)
    {
      char raw[80];
      char id[16];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int len = g_snprintf (raw, sizeof raw, "id: %u\ndata: {\"price\":%u.%02u,\"sym\":\"ACME\"}\n\n",
                            i, i % 1000, i % 100);

      sonde_event_log_append (log, i * step_us, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len,
                              NULL, 0, (const guint8 *)raw, len);
    }

  return log;
}

/* Events served per second at speed 0, over /sse, counted by their blank lines. */
static void
bench_sse_rate (guint n)
{
  g_autoptr(SondeEventLog) recording = make_recording (n, 1000);
  g_autoptr(GSocketConnection) connection = NULL;
  ServerThread st;
  GThread *thread = server_start (&st, recording, 0.0);
  g_autofree char *request = g_strdup_printf ("GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  GInputStream *in;
  guint8 buffer[256 * 1024];
  guint64 events = 0;
  gint64 start = g_get_monotonic_time (), elapsed;
  gboolean newline = FALSE;

  connection = open_socket (st.port, request);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while (events < n)
    {
      gssize got = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (got <= 0)
        break;
      for (gssize i = 0; i < got; i++)
        {
          /* Events end in "\n\n"; chunked framing and headers use CRLF, which never counts. */
          if (buffer[i] == '\n')
            {
              events += newline;
              newline = TRUE;
            }
          else
            newline = FALSE;
        }
    }
  elapsed = g_get_monotonic_time () - start;

  g_print ("mock-server /sse at --speed 0: %.0f events/s (%" G_GUINT64_FORMAT " events)\n",
           events / (elapsed / 1e6), events);
  g_clear_object (&connection);
  server_stop (&st, thread);
}

/* Messages served per second at speed 0, over /ws, counted by their frame headers. */
static void
bench_ws_rate (guint n)
{
  g_autoptr(SondeEventLog) recording = make_recording (n, 1000);
  g_autoptr(GSocketConnection) connection = NULL;
  ServerThread st;
  GThread *thread = server_start (&st, recording, 0.0);
  static const char request[] =
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  GInputStream *in;
  guint8 buffer[256 * 1024];
  guint64 messages = 0;
  gsize offset = 0;
  gboolean upgraded = FALSE;
  gint64 start = g_get_monotonic_time (), elapsed;

  connection = open_socket (st.port, request);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while (messages < n)
    {
      gssize got = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (got <= 0)
        break;
      g_byte_array_append (pending, buffer, (guint)got);
      if (!upgraded)
        {
          guint8 *end = memmem (pending->data, pending->len, "\r\n\r\n", 4);

          if (end == NULL)
            continue;
          offset = (gsize)(end - pending->data) + 4;
          upgraded = TRUE;
        }
      while (pending->len - offset >= 2)
        {
          const guint8 *p = pending->data + offset;
          guint64 len = p[1] & 0x7f;
          gsize header = 2;

          if (len == 126)
            {
              if (pending->len - offset < 4)
                break;
              len = (guint64)p[2] << 8 | p[3];
              header = 4;
            }
          if (pending->len - offset < header + len)
            break;
          messages += (p[0] & 0x0f) == 0x1;
          offset += header + len;
        }
      g_byte_array_remove_range (pending, 0, (guint)offset);
      offset = 0;
    }
  elapsed = g_get_monotonic_time () - start;

  g_print ("mock-server /ws at --speed 0: %.0f messages/s (%" G_GUINT64_FORMAT " messages)\n",
           messages / (elapsed / 1e6), messages);
  g_clear_object (&connection);
  server_stop (&st, thread);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* At 1x, how late each event arrives against the recorded schedule. */
static void
bench_pacing (guint  n,
              gint64 step_us)
{
  g_autoptr(SondeEventLog) recording = make_recording (n, step_us);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree gint64 *lateness = g_new (gint64, n);
  ServerThread st;
  GThread *thread = server_start (&st, recording, 1.0);
  static const char request[] = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  GInputStream *in;
  guint8 buffer[64 * 1024];
  guint events = 0;
  gint64 origin = 0;
  gboolean newline = FALSE;

  connection = open_socket (st.port, request);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while (events < n)
    {
      gssize got = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
      gint64 now = g_get_monotonic_time ();

      if (got <= 0)
        break;
      for (gssize i = 0; i < got && events < n; i++)
        {
          if (buffer[i] == '\n')
            {
              if (newline)
                {
                  /* The first event sets the clock; the others are measured against it. */
                  if (events == 0)
                    origin = now;
                  if (g_getenv ("SONDE_BENCH_DEBUG") != NULL && events < 12)
                    g_printerr ("event %u at %.3f ms\n", events, (now - origin) / 1000.0);
                  lateness[events] = now - (origin + events * step_us);
                  events++;
                }
              newline = TRUE;
            }
          else
            newline = FALSE;
        }
    }

  qsort (lateness, events, sizeof (gint64), compare_gint64);
  g_print ("mock-server pacing at 1x, an event every %.0f ms: lateness p50 %.3f ms, p99 %.3f ms, "
           "max %.3f ms (%u events)\n",
           step_us / 1000.0, lateness[events / 2] / 1000.0, lateness[events * 99 / 100] / 1000.0,
           lateness[events - 1] / 1000.0, events);
  g_clear_object (&connection);
  server_stop (&st, thread);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint)g_ascii_strtoull (argv[1], NULL, 10) : 1000000;

  bench_sse_rate (n);
  bench_ws_rate (n);
  bench_pacing (1000, 3000);

  return 0;
}

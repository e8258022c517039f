/* bench-ws-ingest.c: receive, dissect and log WebSocket messages from a loopback flood server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-ws-ingest SERVER SONDE [MESSAGES]
 * Prints the rate at which SondeWsClient takes messages into the event log,
 * and the rate of `sonde record -o FILE` on the same stream.
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "sonde-event-log.h"
#include "sonde-ws-client.h"

static GSubprocess *
start_server (const char *server,
              guint64     messages,
              guint       size,
              guint      *port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *messages_arg = g_strdup_printf ("%" G_GUINT64_FORMAT, messages);
  g_autofree char *size_arg = g_strdup_printf ("%u", size);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              server, messages_arg, size_arg, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *port = (guint)g_ascii_strtoull (line, NULL, 10);

  return process;
}

static void
bench_client (const char *server,
              guint64     messages,
              guint       size)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(SondeWsClient) client = NULL;
  g_autofree char *url = NULL;
  SondeEventLog *log;
  guint port;
  gint64 start, elapsed;
  guint64 n_text = 0;

  process = start_server (server, messages, size, &port);
  url = g_strdup_printf ("ws://127.0.0.1:%u/", port);
  client = sonde_ws_client_new (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));

  start = g_get_monotonic_time ();
  sonde_connection_start (SONDE_CONNECTION (client));
  while (sonde_connection_get_state (SONDE_CONNECTION (client)) != SONDE_CONNECTION_CLOSED &&
         sonde_connection_get_state (SONDE_CONNECTION (client)) != SONDE_CONNECTION_FAILED)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      n_text += view.kind == SONDE_ENTRY_TEXT;
    }
  g_subprocess_wait (process, NULL, NULL);

  if (n_text != messages)
    g_printerr ("warning: got %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " messages\n", n_text, messages);

  g_print ("ws-ingest %uB: %.2f M messages/s, %.0f MB/s (%" G_GUINT64_FORMAT " messages into the log)\n",
           size, n_text / (elapsed / 1e6) / 1e6, (double)n_text * size / (elapsed / 1e6) / 1e6, n_text);
}

static void
bench_record (const char *server,
              const char *sonde,
              guint64     messages,
              guint       size)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocess) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  struct stat st;
  guint port;
  gint64 start, elapsed;

  dir = g_dir_make_tmp ("sonde-bench-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "record.jsonl", NULL);

  process = start_server (server, messages, size, &port);
  url = g_strdup_printf ("ws://127.0.0.1:%u/", port);

  start = g_get_monotonic_time ();
  record = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                             sonde, "record", url, "-o", path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (record, NULL, &error);
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_subprocess_wait (process, NULL, NULL);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_print ("sonde record -o FILE ws %uB: %.2f M messages/s (%.0f MB of JSON Lines written)\n",
           size, messages / (elapsed / 1e6) / 1e6, st.st_size / 1e6);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  guint64 messages = 2000000;

  if (argc < 3)
    {
      g_printerr ("usage: %s SERVER SONDE [MESSAGES]\n", argv[0]);
      return 2;
    }
  if (argc > 3)
    messages = g_ascii_strtoull (argv[3], NULL, 10);

  bench_client (argv[1], messages, 16);
  bench_client (argv[1], messages / 16, 1024);
  bench_record (argv[1], argv[2], messages / 2, 16);

  return 0;
}

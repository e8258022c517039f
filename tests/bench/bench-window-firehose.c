/* bench-window-firehose.c: the real window following a loopback fire hose, SSE then WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-window-firehose SSE_SERVER WS_SERVER
 * Environment: SONDE_FIREHOSE_SECONDS (default 30), how long each server
 * writes; SONDE_FIREHOSE_RATE (default 500000), the SSE events a second the
 * server offers (the WebSocket server writes as fast as Sonde reads).
 *
 * One SondeWindow under Xvfb, one tab at a time, connected as `sonde URL`
 * connects, with the list following the live edge. For each transport it
 * prints: events the server wrote and Sonde received, those lost (must be
 * 0), the rate, the frames drawn, the longest main-loop stall (the longest
 * time between two frames), the slowest frame (before-paint to
 * after-paint), whether the list still followed at the end, and memory per
 * entry beyond the raw bytes: the log's own count, and the process's
 * resident memory growth (GTK, the list's row objects and malloc's slack
 * included). Exits non-zero when anything was lost.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-event-list.h"
#include "sonde-inspector.h"
#include "sonde-session.h"
#include "sonde-tab.h"
#include "sonde-test-widget.h"
#include "sonde-window.h"

#define EVENT_SIZE 64

typedef struct
{
  gint64 last_frame;
  gint64 longest_gap;
  gint64 frame_start;
  gint64 slowest_frame;
  guint  frames;
} Meter;

static Meter meter;

static void
before_paint_cb (GdkFrameClock *clock)
{
  meter.frame_start = g_get_monotonic_time ();
}

/* A stall is what the user sees: the time between two frames. (A 1 ms
 * timeout would measure it too, but at the default priority it is ready on
 * every turn of a busy loop and itself keeps GTK from drawing.) */
static void
after_paint_cb (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  if (meter.frame_start == 0)
    return;
  meter.slowest_frame = MAX (meter.slowest_frame, now - meter.frame_start);
  if (meter.last_frame != 0)
    meter.longest_gap = MAX (meter.longest_gap, now - meter.last_frame);
  meter.last_frame = now;
  meter.frames++;
  meter.frame_start = 0;
}

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return (gsize)resident * (gsize)sysconf (_SC_PAGESIZE);
}

static GSubprocess *
start_server (const char       *server,
              guint             rate,
              double            seconds,
              GDataInputStream **lines,
              guint            *port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, G_MAXUINT64 / 2);
  g_autofree char *size = g_strdup_printf ("%u", EVENT_SIZE);
  g_autofree char *rate_arg = g_strdup_printf ("%u", rate);
  char seconds_arg[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *line = NULL;
  GSubprocess *process;

  g_ascii_dtostr (seconds_arg, sizeof seconds_arg, seconds);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              server, count, size, "1", rate_arg, seconds_arg, NULL);
  g_assert_no_error (error);
  *lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (*lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *port = (guint)g_ascii_strtoull (line, NULL, 10);
  return process;
}

/* Until the server's close has come through: the stream ended (closed) or broke (failed). */
static void
iterate_until_done (SondeSession *session,
                    gint64        deadline)
{
  while (sonde_session_get_state (session) != SONDE_CONNECTION_CLOSED &&
         sonde_session_get_state (session) != SONDE_CONNECTION_FAILED &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* Returns the number of events lost. */
static guint64
run_transport (SondeWindow *window,
               const char  *name,
               const char  *server,
               const char  *scheme,
               guint        rate,
               double       seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autofree char *url = NULL;
  g_autofree char *line = NULL;
  SondeTab *tab;
  SondeSession *session;
  SondeEventLog *log;
  SondeEventList *list;
  GdkFrameClock *clock;
  guint port;
  gulong before_id, after_id;
  gint64 start, elapsed;
  guint64 sent, received, n_entries;
  gsize rss_before, rss_after, memory, raw;
  gboolean following;
  g_autofree char *rate_text = rate > 0 ? g_strdup_printf ("%u/s", rate)
                                        : g_strdup ("as fast as Sonde reads");

  process = start_server (server, rate, seconds, &lines, &port);
  url = g_strdup_printf ("%s://127.0.0.1:%u/", scheme, port);
  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);
  /* The server ends the stream once its time is up; a reconnect would find nobody. */
  config->policy.mode = SONDE_RECONNECT_NONE;

  rss_before = resident_bytes ();
  memset (&meter, 0, sizeof meter);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  start = g_get_monotonic_time ();
  tab = sonde_window_open (window, config);
  session = sonde_tab_get_session (tab);
  g_assert_nonnull (session);
  g_object_ref (session);
  /* An earlier transport's tab stays open, so that freeing its log does not
   * hide this one's memory. */

  iterate_until_done (session, start + (gint64)(seconds * 20 + 120) * G_USEC_PER_SEC);
  elapsed = g_get_monotonic_time () - start;

  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);

  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (line != NULL && g_str_has_prefix (line, "sent "));
  sent = g_ascii_strtoull (line + 5, NULL, 10);

  log = sonde_session_get_log (session);
  received = sonde_event_log_get_n_received (log);
  n_entries = sonde_event_log_get_n_entries (log);
  memory = sonde_event_log_get_memory_size (log);
  raw = sonde_event_log_get_raw_size (log);
  rss_after = resident_bytes ();
  list = SONDE_EVENT_LIST (sonde_test_find_descendant (GTK_WIDGET (sonde_tab_get_inspector (tab)),
                                                       SONDE_TYPE_EVENT_LIST));
  following = sonde_event_list_get_following (list);

  g_print ("window-firehose %s: %" G_GUINT64_FORMAT " events sent, %" G_GUINT64_FORMAT
           " received, %" G_GUINT64_FORMAT " lost, in %.1f s: %.0f events/s (offered: %s)\n",
           name, sent, received, sent > received ? sent - received : 0, elapsed / 1e6,
           received / (elapsed / 1e6), rate_text);
  g_print ("window-firehose %s: %u frames (%.1f a second), longest stall between two "
           "frames %.1f ms, slowest frame %.1f ms, %s the live edge at the end\n",
           name, meter.frames, meter.frames / (elapsed / 1e6), meter.longest_gap / 1e3,
           meter.slowest_frame / 1e3, following ? "following" : "NOT following");
  g_print ("window-firehose %s: %" G_GUINT64_FORMAT " entries, %.1f MB raw; beyond the raw "
           "bytes %.1f bytes per entry in the log, %.1f bytes per entry of resident memory\n",
           name, n_entries, raw / 1e6, (double)(memory - raw) / (double)MAX (n_entries, 1),
           ((double)rss_after - (double)rss_before - (double)raw) /
           (double)MAX (n_entries, 1));

  g_object_unref (session);
  g_subprocess_wait (process, NULL, NULL);
  return sent > received ? sent - received : 0;
}

static int exit_status;

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  char **argv = user_data;
  const char *seconds_env = g_getenv ("SONDE_FIREHOSE_SECONDS");
  const char *rate_env = g_getenv ("SONDE_FIREHOSE_RATE");
  double seconds = seconds_env != NULL ? g_ascii_strtod (seconds_env, NULL) : 30;
  guint rate = rate_env != NULL ? (guint)g_ascii_strtoull (rate_env, NULL, 10) : 500000;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  guint64 lost = 0;

  /* Once only, in the window `sonde` opens at start-up. */
  g_signal_handlers_disconnect_by_func (app, activate_cb, user_data);
  g_assert_true (SONDE_IS_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  g_print ("window-firehose: %.0f s per transport, %d-byte events, on a machine shared with "
           "other work (figures vary with its load)\n", seconds, EVENT_SIZE);
  lost += run_transport (SONDE_WINDOW (window), "SSE", argv[1], "http", rate, seconds);
  lost += run_transport (SONDE_WINDOW (window), "WebSocket", argv[2], "ws", 0, seconds);
  exit_status = lost > 0 ? 1 : 0;

  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SondeApplication) app = NULL;
  int status;

  if (argc < 3)
    {
      g_printerr ("usage: %s SSE_SERVER WS_SERVER\n", argv[0]);
      return 2;
    }

  app = sonde_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), argv);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  return status != 0 ? status : exit_status;
}

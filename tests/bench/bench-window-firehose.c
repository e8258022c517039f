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
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-event-list.h"
#include "sonde-inspector.h"
#include "sonde-session.h"
#include "sonde-tab.h"
#include "sonde-test-widget.h"
#include "sonde-window.h"

#include "bench-util.h"

#define EVENT_SIZE 64

/* One frame, as the frame clock's phases saw it. Times are monotonic
 * microseconds; processor times are the main thread's own
 * (CLOCK_THREAD_CPUTIME_ID), which the machine's load disturbs less than
 * the wall clock. */
enum
{
  PHASE_UPDATE,            /* tick callbacks: the list's scroll to the live edge */
  PHASE_LAYOUT,            /* styles, sizes and allocation: the list binds rows here */
  PHASE_PAINT,             /* snapshot and the renderer */
  N_PHASES
};

static const char * const phase_signals[N_PHASES] = { "update", "layout", "paint" };

typedef struct
{
  gint64  start;           /* before-paint */
  gint64  phase_end[N_PHASES];
  gint64  end;             /* after-paint */
  gint64  duration;        /* end - start */
  gint64  gap;             /* since the previous frame's end: the stall the user sees */
  gint64  cpu;             /* main-thread processor time in the frame */
  gint64  start_cpu;       /* the thread's processor time at the start and each phase's end */
  gint64  phase_cpu[N_PHASES];
  gint64  gap_cpu;         /* main-thread processor time since the previous frame's end */
  gint64  notify_wall;     /* time in the log's items-changed since the previous frame */
  guint64 added;           /* entries those announced */
  guint   notifies;
  glong   faults;          /* minor page faults of the main thread in the frame */
  glong   gap_faults;      /* and since the previous frame's end */
} Frame;

typedef struct
{
  GArray        *frames;
  Frame          current;
  gint64         last_end;
  gint64         last_end_cpu;
  glong          last_end_faults;
  gint64         start_cpu;
  glong          start_faults;
  gint64         notify_start;
  gint64         notify_wall;
  guint64        added;
  guint          notifies;
  SondeEventLog *log;
} Meter;

static Meter meter;

static glong
thread_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_minflt + usage.ru_majflt;
}

static void
before_paint_cb (GdkFrameClock *clock)
{
  memset (&meter.current, 0, sizeof meter.current);
  meter.current.start = g_get_monotonic_time ();
  meter.start_cpu = meter.current.start_cpu = bench_thread_cpu_us ();
  meter.start_faults = thread_faults ();
}

/* Connected after GTK's own handlers: the end of each phase. */
static void
phase_cb (GdkFrameClock *clock,
          gpointer       phase)
{
  meter.current.phase_end[GPOINTER_TO_INT (phase)] = g_get_monotonic_time ();
  meter.current.phase_cpu[GPOINTER_TO_INT (phase)] = bench_thread_cpu_us ();
}

/* A stall is what the user sees: the time between two frames. (A 1 ms
 * timeout would measure it too, but at the default priority it is ready on
 * every turn of a busy loop and itself keeps GTK from drawing.) */
static void
after_paint_cb (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = bench_thread_cpu_us ();
  glong faults = thread_faults ();
  Frame *frame = &meter.current;

  if (frame->start == 0)
    return;
  frame->end = now;
  frame->duration = now - frame->start;
  frame->cpu = cpu - meter.start_cpu;
  frame->faults = faults - meter.start_faults;
  if (meter.last_end != 0)
    {
      frame->gap = now - meter.last_end;
      frame->gap_cpu = cpu - meter.last_end_cpu;
      frame->gap_faults = faults - meter.last_end_faults;
    }
  frame->notify_wall = meter.notify_wall;
  frame->added = meter.added;
  frame->notifies = meter.notifies;
  g_array_append_val (meter.frames, *frame);

  meter.last_end = now;
  meter.last_end_cpu = cpu;
  meter.last_end_faults = faults;
  meter.notify_wall = 0;
  meter.added = 0;
  meter.notifies = 0;
  frame->start = 0;
}

/* The log's items-changed, from before its first handler (an emission hook
 * runs before the handlers) to after its last (this one, connected last). */
static gboolean
items_changed_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  if (meter.log != NULL && g_value_get_object (&values[0]) == meter.log)
    meter.notify_start = g_get_monotonic_time ();
  return TRUE;
}

static void
items_changed_after_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added)
{
  if (meter.notify_start == 0)
    return;
  meter.notify_wall += g_get_monotonic_time () - meter.notify_start;
  meter.notify_start = 0;
  meter.added += added;
  meter.notifies++;
}

/* p50, p95, p99, the largest and how many are over 50 ms, of one field of every frame. */
static void
print_distribution (const char *name,
                    const char *what,
                    gsize       field_offset,
                    gboolean    skip_first)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint over = 0;

  for (guint i = skip_first ? 1 : 0; i < meter.frames->len; i++)
    {
      const Frame *frame = &g_array_index (meter.frames, Frame, i);
      gint64 value = G_STRUCT_MEMBER (gint64, frame, field_offset);

      g_array_append_val (values, value);
      over += value > 50000;
    }
  if (values->len == 0)
    return;
  g_array_sort (values, bench_compare_gint64);
#define AT(p) (g_array_index (values, gint64, MIN (values->len - 1, values->len * (p) / 100)) / 1e3)
  g_print ("window-firehose %s: %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, "
           "%u of %u over 50 ms\n", name, what, AT (50), AT (95), AT (99),
           g_array_index (values, gint64, values->len - 1) / 1e3, over, values->len);
#undef AT
}

static int
compare_gap_desc (gconstpointer a,
                  gconstpointer b)
{
  const Frame *x = *(const Frame * const *)a;
  const Frame *y = *(const Frame * const *)b;

  return (y->gap > x->gap) - (y->gap < x->gap);
}

/* The longest stalls, and what filled them: the frame's phases, the
 * main thread's processor time and page faults, and the log's items-changed
 * before the frame. */
static void
print_slowest (const char *name,
               gint64      start)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < meter.frames->len; i++)
    g_ptr_array_add (sorted, &g_array_index (meter.frames, Frame, i));
  g_ptr_array_sort (sorted, compare_gap_desc);
  g_print ("window-firehose %s: the slowest stalls (at: stall = before the frame + frame; "
           "the frame's phases update / layout / paint / after-paint, wall and main-thread "
           "processor time; processor time and page faults before the frame and in it; the "
           "log's items-changed before the frame)\n", name);
  for (guint i = 0; i < MIN (sorted->len, 10); i++)
    {
      const Frame *f = g_ptr_array_index (sorted, i);
      gint64 wall[N_PHASES + 1], cpu[N_PHASES + 1];
      gint64 last = f->start, last_cpu = f->start_cpu;

      /* A phase with nothing to do does not run: it took no time. */
      for (guint p = 0; p < N_PHASES; p++)
        {
          wall[p] = MAX (f->phase_end[p], last) - last;
          cpu[p] = MAX (f->phase_cpu[p], last_cpu) - last_cpu;
          last += wall[p];
          last_cpu += cpu[p];
        }
      wall[N_PHASES] = f->end - last;
      cpu[N_PHASES] = f->start_cpu + f->cpu - last_cpu;

      if (f->gap == 0)
        break;
      g_print ("  at %6.2f s (monotonic %.3f s): %.1f ms = %.1f + %.1f; wall %.1f / %.1f / %.1f / %.1f, "
               "cpu %.1f / %.1f / %.1f / %.1f; cpu %.1f / %.1f ms, faults %ld / %ld; "
               "%u items-changed of %" G_GUINT64_FORMAT " entries in %.1f ms\n",
               (f->start - start) / 1e6, f->start / 1e6, f->gap / 1e3, (f->gap - f->duration) / 1e3,
               f->duration / 1e3, wall[0] / 1e3, wall[1] / 1e3, wall[2] / 1e3, wall[3] / 1e3,
               cpu[0] / 1e3, cpu[1] / 1e3, cpu[2] / 1e3, cpu[3] / 1e3,
               (f->gap_cpu - f->cpu) / 1e3, f->cpu / 1e3, f->gap_faults - f->faults, f->faults,
               f->notifies, f->added, f->notify_wall / 1e3);
    }
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
  gulong handler_ids[N_PHASES + 2];
  gulong hook_id;
  gint64 longest_gap = 0, longest_gap_settled = 0, slowest_frame = 0;
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
  g_clear_pointer (&meter.frames, g_array_unref);
  memset (&meter, 0, sizeof meter);
  meter.frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler_ids[0] = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  for (guint p = 0; p < N_PHASES; p++)
    handler_ids[p + 1] = g_signal_connect (clock, phase_signals[p], G_CALLBACK (phase_cb),
                                           GINT_TO_POINTER (p));
  handler_ids[N_PHASES + 1] = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  hook_id = g_signal_add_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), 0,
                                        items_changed_hook, NULL, NULL);

  start = g_get_monotonic_time ();
  tab = sonde_window_open (window, config);
  session = sonde_tab_get_session (tab);
  g_assert_nonnull (session);
  g_object_ref (session);
  meter.log = sonde_session_get_log (session);
  g_signal_connect_after (meter.log, "items-changed", G_CALLBACK (items_changed_after_cb), NULL);
  /* An earlier transport's tab stays open, so that freeing its log does not
   * hide this one's memory. */

  iterate_until_done (session, start + (gint64)(seconds * 20 + 120) * G_USEC_PER_SEC);
  elapsed = g_get_monotonic_time () - start;

  for (guint i = 0; i < G_N_ELEMENTS (handler_ids); i++)
    g_signal_handler_disconnect (clock, handler_ids[i]);
  g_signal_remove_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), hook_id);
  g_signal_handlers_disconnect_by_func (meter.log, items_changed_after_cb, NULL);
  meter.log = NULL;
  for (guint i = 0; i < meter.frames->len; i++)
    {
      const Frame *frame = &g_array_index (meter.frames, Frame, i);

      longest_gap = MAX (longest_gap, frame->gap);
      slowest_frame = MAX (slowest_frame, frame->duration);
      /* The tab's first second is its opening: its first paint and first
       * rows (fresh surfaces, styles and glyphs). Printed apart, as well as
       * within the longest stall above. */
      if (frame->end - start > G_USEC_PER_SEC)
        longest_gap_settled = MAX (longest_gap_settled, frame->gap);
    }

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
  g_print ("window-firehose %s: %u frames (%.1f a second, drawn by %s), longest stall between "
           "two frames %.1f ms, slowest frame %.1f ms, %s the live edge at the end\n",
           name, meter.frames->len, meter.frames->len / (elapsed / 1e6),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), longest_gap / 1e3,
           slowest_frame / 1e3, following ? "following" : "NOT following");
  g_print ("window-firehose %s: longest stall after the tab's first second %.1f ms\n",
           name, longest_gap_settled / 1e3);
  g_print ("window-firehose %s: %" G_GUINT64_FORMAT " entries, %.1f MB raw; beyond the raw "
           "bytes %.1f bytes per entry in the log, %.1f bytes per entry of resident memory\n",
           name, n_entries, raw / 1e6, (double)(memory - raw) / (double)MAX (n_entries, 1),
           ((double)rss_after - (double)rss_before - (double)raw) /
           (double)MAX (n_entries, 1));
  print_distribution (name, "stalls between frames", G_STRUCT_OFFSET (Frame, gap), TRUE);
  print_distribution (name, "frames (before-paint to after-paint)",
                      G_STRUCT_OFFSET (Frame, duration), FALSE);
  print_distribution (name, "main-thread processor time per frame", G_STRUCT_OFFSET (Frame, cpu),
                      FALSE);
  print_slowest (name, start);

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

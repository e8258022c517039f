/* bench-timeline-draw.c: drawing the timeline of 10 million entries, and what its summary costs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cairo.h>

#include "sonde-sse-parser.h"
#include "sonde-timeline-render.h"

#include "bench-util.h"

/* An hour of SSE at 2,800 events a second, 10 million in all, with a drop
 * and a reconnect every 200,000 events; then a fire hose at 500,000 a
 * second while the chart follows it. A smaller count can be given as the
 * first argument, for profiling under callgrind: an hour of a million
 * entries still fills every 16 ms bucket, so frames cost what they cost
 * with ten; a second argument "hour" stops after the whole hour's frames,
 * "upkeep" after the upkeep's rounds. */
#define N_ENTRIES        10000000
#define HOUR_US          (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define WIDTH            1200
#define HEIGHT           170
#define FRAMES           30
#define LIVE_RATE        500000
#define LIVE_SECONDS     3
#define LIVE_SPAN_US     (30 * G_USEC_PER_SEC)
#define FRAME_US         16667
/* The upkeep's share of ingestion, measured in rounds over the same entries:
 * a fifth of the hour's, at its rate. */
#define UPKEEP_ROUNDS    5

typedef struct
{
  SondeEventLog *log;
  gint64         t;
  gint64         step;
} Ingest;

/* The machine is shared (often a dozen programs on two cores): time spent
 * waiting for a core is not the code's, so the figures are this thread's
 * own processor time, in nanoseconds. */
static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
on_event (gpointer             user_data,
          const SondeSseEvent *event)
{
  Ingest *ingest = user_data;

  sonde_event_log_append (ingest->log, ingest->t, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                          event->id, event->id_len, NULL, 0, event->raw, event->raw_len);
  ingest->t += ingest->step;
}

static const SondeSseCallbacks callbacks = { .event = on_event };

/* A drop, the wait the policy chose, and the new request with Last-Event-ID. */
static void
reconnect (Ingest *ingest,
           guint   n)
{
  char fields[256];
  guint delay = 1000 + (n * 731) % 4000;
  int len;

  len = g_snprintf (fields, sizeof fields, "\"message\":\"Connection reset by peer\","
                    "\"domain\":\"g-io-error-quark\",\"code\":44");
  sonde_event_log_append (ingest->log, ingest->t, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR,
                          NULL, 0, fields, len, NULL, 0);
  len = g_snprintf (fields, sizeof fields, "\"delay_ms\":%u,\"attempt\":1", delay);
  sonde_event_log_append (ingest->log, ingest->t, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT,
                          NULL, 0, fields, len, NULL, 0);
  ingest->t += (gint64)delay * 1000 + 20000;
  len = g_snprintf (fields, sizeof fields, "\"status\":200,\"reason\":\"OK\",\"headers\":{},"
                    "\"request_headers\":{\"Last-Event-ID\":\"%u\"}", n);
  sonde_event_log_append (ingest->log, ingest->t, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
                          NULL, 0, fields, len, NULL, 0);
}

/* Frames in the order drawn. The first of a row draws what no frame before
 * it did at that size (glyphs, labels laid out): it is told apart, and the
 * slowest of the others is given too. */
static void
report (const char *what,
        GArray     *samples)
{
  gint64 first = g_array_index (samples, gint64, 0);
  gint64 rest_slowest = 0;

  for (guint i = 1; i < samples->len; i++)
    rest_slowest = MAX (rest_slowest, g_array_index (samples, gint64, i));
  g_array_sort (samples, bench_compare_gint64);
  g_print ("timeline-draw: %s: median %.2f ms, 95th percentile %.2f ms, slowest %.2f ms "
           "(%u frames; the first %.2f ms, the slowest after it %.2f ms)\n", what,
           g_array_index (samples, gint64, samples->len / 2) / 1e6,
           g_array_index (samples, gint64, samples->len * 95 / 100) / 1e6,
           g_array_index (samples, gint64, samples->len - 1) / 1e6, samples->len,
           first / 1e6, rest_slowest / 1e6);
}

static gint64
draw (cairo_t              *cr,
      SondeTimelineSummary *summary,
      SondeTimelineFrame   *frame,
      gint64                from_us,
      gint64                to_us,
      gint64                end_us)
{
  SondeTimelineOptions options;
  gint64 start = cpu_ns ();

  sonde_timeline_options_init (&options);
  options.from_us = from_us;
  options.to_us = to_us;
  options.end_us = end_us;
  sonde_timeline_render (cr, WIDTH, HEIGHT, &summary, NULL, 1, &options, frame);
  cairo_surface_flush (cairo_get_target (cr));
  return cpu_ns () - start;
}

static void
draw_range (cairo_t              *cr,
            SondeTimelineSummary *summary,
            SondeTimelineFrame   *frame,
            const char           *what,
            gint64                from_us,
            gint64                to_us)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < FRAMES; i++)
    {
      gint64 took = draw (cr, summary, frame, from_us, to_us, G_MININT64);

      g_array_append_val (samples, took);
    }
  report (what, samples);
}

typedef struct
{
  SondeEventLog *log;
  gint64         start_us;    /* log time of the first live entry */
  gint64         wall_start;
  gint           stop;
  guint64        appended;
} Hose;

/* Appends at LIVE_RATE, paced by the clock, from a thread of its own. */
static gpointer
hose_thread (gpointer data)
{
  Hose *hose = data;
  static const char raw[] = "id: 1\ndata: {\"sym\":\"ACME\",\"price\":101.25}\n\n";

  while (!g_atomic_int_get (&hose->stop))
    {
      gint64 elapsed = g_get_monotonic_time () - hose->wall_start;
      guint64 due = (guint64)elapsed * LIVE_RATE / G_USEC_PER_SEC;

      if (hose->appended >= due)
        {
          g_usleep (200);
          continue;
        }
      for (; hose->appended < due; hose->appended++)
        sonde_event_log_append (hose->log,
                                hose->start_us + (gint64)(hose->appended * G_USEC_PER_SEC / LIVE_RATE),
                                SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "1", 1, NULL, 0,
                                (const guint8 *)raw, sizeof raw - 1);
    }
  return NULL;
}

/* The hour's stream: its rate, and a drop every so many entries. */
typedef struct
{
  guint  n_entries;
  gint64 step;
  guint  reconnect_every;
} Stream;

/* Ingests the first @n entries of @stream into @log as the worker thread
 * does it (parse, append), chunk by chunk; after each chunk the summary
 * catches up, as the chart does once a frame. Adds each part's processor
 * time, in nanoseconds; formatting the chunks is neither. */
static void
ingest_stream (SondeEventLog        *log,
               SondeTimelineSummary *summary,
               const Stream         *stream,
               guint                 n_entries,
               gint64               *ingest_ns,
               gint64               *sync_ns)
{
  g_autoptr(GString) chunk = g_string_new (NULL);
  SondeSseParser *parser;
  Ingest ingest = { log, 20000, stream->step };
  guint n = 0;

  parser = sonde_sse_parser_new (&callbacks, &ingest);
  sonde_event_log_append (log, 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  while (n < n_entries)
    {
      gint64 start;
      guint in_chunk = MIN (8333, n_entries - n);

      g_string_truncate (chunk, 0);
      for (guint i = 0; i < in_chunk; i++)
        g_string_append_printf (chunk, "id: %u\ndata: {\"sym\":\"ACME\",\"price\":%u.%02u}\n\n",
                                n + i, (n + i) % 1000, (n + i) % 100);

      start = cpu_ns ();
      sonde_sse_parser_feed (parser, (const guint8 *)chunk->str, chunk->len);
      if ((n + in_chunk) / stream->reconnect_every != n / stream->reconnect_every)
        reconnect (&ingest, n + in_chunk);
      *ingest_ns += cpu_ns () - start;

      start = cpu_ns ();
      sonde_timeline_summary_sync (summary);
      *sync_ns += cpu_ns () - start;

      n += in_chunk;
    }
  sonde_sse_parser_free (parser);
}

/* One round of the upkeep's measure, in a child process: each round starts
 * from the same memory, as a fresh session does (in one process, the second
 * round would write into blocks the first gave back, without the kernel
 * zeroing fresh pages, and ingestion would look cheaper than it is). */
static gboolean
upkeep_round (const Stream *stream,
              guint         n_entries,
              gint64        times[2])
{
  int fds[2];
  pid_t pid;
  int status = 0;
  gboolean ok;

  if (pipe (fds) != 0 || (pid = fork ()) < 0)
    g_error ("Cannot start a round of the upkeep's measure");
  if (pid == 0)
    {
      g_autoptr(SondeEventLog) log = sonde_event_log_new ();
      g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
      gint64 got[2] = { 0, 0 };

      close (fds[0]);
      ingest_stream (log, summary, stream, n_entries, &got[0], &got[1]);
      _exit (write (fds[1], got, sizeof got) == sizeof got ? 0 : 1);
    }
  close (fds[1]);
  ok = read (fds[0], times, 2 * sizeof (gint64)) == 2 * sizeof (gint64);
  close (fds[0]);
  return waitpid (pid, &status, 0) == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0 && ok;
}

/* The summary's upkeep against ingestion over the same entries, in
 * UPKEEP_ROUNDS rounds; the median round is the figure, the others show
 * how far the machine moved it. */
static void
measure_upkeep (const Stream *stream)
{
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ingests = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) syncs = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_entries = MAX (stream->n_entries / UPKEEP_ROUNDS, 1000);

  for (guint r = 0; r < UPKEEP_ROUNDS; r++)
    {
      gint64 times[2];
      gint64 ratio;

      if (!upkeep_round (stream, n_entries, times))
        g_error ("A round of the upkeep's measure failed");
      /* In hundredths of a percent, to sort as integers. */
      ratio = times[1] * 10000 / MAX (times[0], 1);
      g_array_append_val (ingests, times[0]);
      g_array_append_val (syncs, times[1]);
      g_array_append_val (ratios, ratio);
      g_print ("timeline-draw: upkeep round %u of %u (%u entries): ingestion %.0f ns per entry, "
               "summary upkeep %.1f ns per entry, %.2f%%\n", r + 1, UPKEEP_ROUNDS, n_entries,
               (double)times[0] / n_entries, (double)times[1] / n_entries, ratio / 100.0);
    }
  g_array_sort (ratios, bench_compare_gint64);
  g_array_sort (ingests, bench_compare_gint64);
  g_array_sort (syncs, bench_compare_gint64);
  g_print ("timeline-draw: summary upkeep, median of %u rounds (thread processor time): "
           "%.1f ns per entry against ingestion's %.0f ns, %.2f%% of ingestion "
           "(rounds %.2f to %.2f%%)\n", UPKEEP_ROUNDS,
           (double)g_array_index (syncs, gint64, UPKEEP_ROUNDS / 2) / n_entries,
           (double)g_array_index (ingests, gint64, UPKEEP_ROUNDS / 2) / n_entries,
           g_array_index (ratios, gint64, UPKEEP_ROUNDS / 2) / 100.0,
           g_array_index (ratios, gint64, 0) / 100.0,
           g_array_index (ratios, gint64, UPKEEP_ROUNDS - 1) / 100.0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SondeEventLog) log = NULL;
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *only = argc > 2 ? argv[2] : "";
  cairo_surface_t *surface;
  cairo_t *cr;
  gint64 ingest_ns = 0;
  gint64 sync_ns = 0;
  gint64 last_us;
  Stream stream;
  Hose hose = { 0 };
  GThread *thread;

  stream.n_entries = argc > 1 ? (guint)CLAMP (g_ascii_strtoull (argv[1], NULL, 10), 1000, N_ENTRIES)
                              : N_ENTRIES;
  stream.step = (HOUR_US - 50 * 3 * G_USEC_PER_SEC) / stream.n_entries;
  stream.reconnect_every = stream.n_entries / 50;

  /* Under callgrind ("hour"), only the hour: the rounds would run in
   * processes of their own. */
  if (!g_str_equal (only, "hour"))
    measure_upkeep (&stream);
  if (g_str_equal (only, "upkeep"))
    return 0;

  log = sonde_event_log_new ();
  summary = sonde_timeline_summary_new (log);
  ingest_stream (log, summary, &stream, stream.n_entries, &ingest_ns, &sync_ns);
  sonde_timeline_summary_get_span (summary, NULL, &last_us);

  g_print ("timeline-draw: %" G_GUINT64_FORMAT " entries over %.0f s, %u reconnects\n",
           sonde_event_log_get_n_entries (log), last_us / 1e6,
           stream.n_entries / stream.reconnect_every);
  g_print ("timeline-draw: the hour itself, one run: ingestion (SSE parser and log append) "
           "%.0f ns per entry; summary upkeep %.1f ns per entry, %.2f%% of ingestion; "
           "summary holds %.1f MB (%.1f bytes per entry)\n",
           (double)ingest_ns / stream.n_entries, (double)sync_ns / stream.n_entries,
           100.0 * sync_ns / ingest_ns, sonde_timeline_summary_get_memory_size (summary) / 1e6,
           (double)sonde_timeline_summary_get_memory_size (summary) / stream.n_entries);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);

  draw_range (cr, summary, frame, "whole hour (1200 x 170 pixels)", 0, last_us + last_us / 50);
  if (g_str_equal (only, "hour"))
    goto done;
  draw_range (cr, summary, frame, "one second", HOUR_US / 2, HOUR_US / 2 + G_USEC_PER_SEC);
  draw_range (cr, summary, frame, "one minute around a reconnect",
              (HOUR_US / 2) - 30 * G_USEC_PER_SEC, (HOUR_US / 2) + 30 * G_USEC_PER_SEC);
  /* Zoomed in (the rate graph from single gaps at 1 ms), and on a HiDPI
   * screen, where canvases and problem signs are drawn at scale 2. */
  draw_range (cr, summary, frame, "50 ms", HOUR_US / 2, HOUR_US / 2 + 50000);
  draw_range (cr, summary, frame, "1 ms", HOUR_US / 2, HOUR_US / 2 + 1000);
  {
    g_autoptr(SondeTimelineFrame) hidpi_frame = sonde_timeline_frame_new ();
    cairo_surface_t *hidpi = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * WIDTH,
                                                         2 * HEIGHT);
    cairo_t *hidpi_cr;

    cairo_surface_set_device_scale (hidpi, 2, 2);
    hidpi_cr = cairo_create (hidpi);
    draw_range (hidpi_cr, summary, hidpi_frame, "whole hour at scale 2 (2400 x 340 device pixels)",
                0, last_us + last_us / 50);
    cairo_destroy (hidpi_cr);
    cairo_surface_destroy (hidpi);
  }

  /* The fire hose: a thread appends at 500,000 a second after the hour;
   * each frame, the summary catches up and the last 30 s are drawn. */
  hose.log = log;
  hose.start_us = last_us + G_USEC_PER_SEC;
  hose.wall_start = g_get_monotonic_time ();
  thread = g_thread_new ("hose", hose_thread, &hose);
  for (gint64 next = g_get_monotonic_time ();
       g_get_monotonic_time () - hose.wall_start < LIVE_SECONDS * G_USEC_PER_SEC;
       next += FRAME_US)
    {
      gint64 start;
      gint64 took;
      gint64 now_us;

      while (g_get_monotonic_time () < next)
        g_usleep (500);
      start = cpu_ns ();
      sonde_timeline_summary_sync (summary);
      now_us = hose.start_us + (g_get_monotonic_time () - hose.wall_start);
      draw (cr, summary, frame, now_us - LIVE_SPAN_US, now_us + LIVE_SPAN_US / 50, now_us);
      took = cpu_ns () - start;
      g_array_append_val (samples, took);
    }
  g_atomic_int_set (&hose.stop, 1);
  g_thread_join (thread);
  g_print ("timeline-draw: live: %" G_GUINT64_FORMAT " entries appended in %d s by another thread\n",
           hose.appended, LIVE_SECONDS);
  g_print ("timeline-draw: frame times are the drawing thread's processor time\n");
  report ("following the live edge at 500,000 appends/s (catch up and draw the last 30 s)", samples);

done:
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return 0;
}

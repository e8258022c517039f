/* bench-timeline-draw.c: drawing the timeline of 10 million entries, and what its summary costs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>

#include "sonde-sse-parser.h"
#include "sonde-timeline-render.h"

#include "bench-util.h"

/* An hour of SSE at 2,800 events a second, 10 million in all, with a drop
 * and a reconnect every 200,000 events; then a fire hose at 500,000 a
 * second while the chart follows it. A smaller count can be given as the
 * first argument, for profiling under callgrind: an hour of a million
 * entries still fills every 16 ms bucket, so frames cost what they cost
 * with ten; a second argument "hour" stops after the whole hour's frames. */
#define N_ENTRIES        10000000
#define HOUR_US          (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define WIDTH            1200
#define HEIGHT           170
#define FRAMES           30
#define LIVE_RATE        500000
#define LIVE_SECONDS     3
#define LIVE_SPAN_US     (30 * G_USEC_PER_SEC)
#define FRAME_US         16667

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

static void
report (const char *what,
        GArray     *samples)
{
  g_array_sort (samples, bench_compare_gint64);
  g_print ("timeline-draw: %s: median %.2f ms, 95th percentile %.2f ms, slowest %.2f ms "
           "(%u frames)\n", what,
           g_array_index (samples, gint64, samples->len / 2) / 1e6,
           g_array_index (samples, gint64, samples->len * 95 / 100) / 1e6,
           g_array_index (samples, gint64, samples->len - 1) / 1e6, samples->len);
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

int
main (int    argc,
      char **argv)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  g_autoptr(GString) chunk = g_string_new (NULL);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  SondeSseParser *parser;
  cairo_surface_t *surface;
  cairo_t *cr;
  Ingest ingest = { 0 };
  gint64 ingest_ns = 0;
  gint64 sync_ns = 0;
  gint64 last_us;
  guint n = 0;
  guint n_entries = argc > 1 ? (guint)CLAMP (g_ascii_strtoull (argv[1], NULL, 10), 1000, N_ENTRIES)
                             : N_ENTRIES;
  guint reconnect_every = n_entries / 50;
  Hose hose = { 0 };
  GThread *thread;

  /* Ingestion as the worker thread does it (parse, append), chunk by chunk;
   * after each chunk the summary catches up, as the chart does once a frame. */
  ingest.log = log;
  ingest.t = 20000;
  ingest.step = (HOUR_US - 50 * 3 * G_USEC_PER_SEC) / n_entries;
  summary = sonde_timeline_summary_new (log);
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
      if ((n + in_chunk) / reconnect_every != n / reconnect_every)
        reconnect (&ingest, n + in_chunk);
      ingest_ns += cpu_ns () - start;

      start = cpu_ns ();
      sonde_timeline_summary_sync (summary);
      sync_ns += cpu_ns () - start;

      n += in_chunk;
    }
  sonde_sse_parser_free (parser);
  sonde_timeline_summary_get_span (summary, NULL, &last_us);

  g_print ("timeline-draw: %" G_GUINT64_FORMAT " entries over %.0f s, %u reconnects\n",
           sonde_event_log_get_n_entries (log), last_us / 1e6, n_entries / reconnect_every);
  g_print ("timeline-draw: ingestion (SSE parser and log append): %.0f ns per entry; "
           "summary upkeep: %.1f ns per entry, %.1f%% of ingestion; summary holds %.1f MB "
           "(%.1f bytes per entry)\n",
           (double)ingest_ns / n_entries, (double)sync_ns / n_entries,
           100.0 * sync_ns / ingest_ns, sonde_timeline_summary_get_memory_size (summary) / 1e6,
           (double)sonde_timeline_summary_get_memory_size (summary) / n_entries);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);

  draw_range (cr, summary, frame, "whole hour (1200 x 170 pixels)", 0, last_us + last_us / 50);
  if (argc > 2 && g_str_equal (argv[2], "hour"))
    goto done;
  draw_range (cr, summary, frame, "one second", HOUR_US / 2, HOUR_US / 2 + G_USEC_PER_SEC);
  draw_range (cr, summary, frame, "one minute around a reconnect",
              (HOUR_US / 2) - 30 * G_USEC_PER_SEC, (HOUR_US / 2) + 30 * G_USEC_PER_SEC);

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

/* bench-filter.c: how fast the filter model answers over a million and ten million entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sonde-event-log.h"
#include "sonde-filter-model.h"
#include "sonde-ws-frame.h"

/* Each query runs with the main loop turning, as in the window: a 1 ms
 * timeout measures the longest gap between its dispatches (the longest
 * stall of the main loop), and items-changed tells when the first match
 * showed. On a shared machine a gap also holds time the main thread was
 * not scheduled at all, so the thread's own CPU time over the same gaps is
 * printed too: that part is work the model did on the main thread. */

typedef struct
{
  gint64  started;
  gint64  first_match;
  gint64  last_tick;
  gint64  last_cpu;
  gint64  longest_gap;
  gint64  longest_busy;
} Run;

static gint64
thread_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return (gint64)usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64)usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Run        *run)
{
  if (run->first_match == 0 && added > 0)
    run->first_match = g_get_monotonic_time ();
}

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  run->longest_gap = MAX (run->longest_gap, now - run->last_tick);
  run->longest_busy = MAX (run->longest_busy, cpu - run->last_cpu);
  run->last_tick = now;
  run->last_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static void
fill_sse (SondeEventLog *log,
          guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      char id[16];
      char raw[128];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int raw_len = g_snprintf (raw, sizeof raw,
                                "event: quote\nid: %u\ndata: {\"price\":%u.%02u,\"sym\":\"ACME-%u\"}\n\n",
                                i, i % 1000, i % 100, i % 1000);

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len, NULL, 0,
                              (const guint8 *)raw, raw_len);
    }
  sonde_event_log_flush_notify (log);
}

static void
fill_ws (SondeEventLog *log,
         guint          n)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  for (guint i = 0; i < n; i++)
    {
      char text[96];
      int len = g_snprintf (text, sizeof text, "{\"price\":%u.%02u,\"sym\":\"ACME-%u\"}",
                            i % 1000, i % 100, i % 1000);
      gboolean out = i % 10 == 0;

      g_byte_array_set_size (frame, 0);
      sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x1, (const guint8 *)text, (gsize)len, out);
      sonde_event_log_append (log, i, out ? SONDE_DIRECTION_OUT : SONDE_DIRECTION_IN,
                              SONDE_ENTRY_TEXT, NULL, 0, NULL, 0, frame->data, frame->len);
    }
  sonde_event_log_flush_notify (log);
}

static void
measure (SondeEventLog    *log,
         const char       *what,
         const char       *text,
         SondeFilterFlags  flags,
         guint             directions)
{
  g_autoptr(SondeFilterModel) model = sonde_filter_model_new (log);
  g_autoptr(SondeFilterQuery) query = NULL;
  guint64 n = sonde_event_log_get_n_entries (log);
  Run run = { 0 };
  guint tick;
  gint64 done;

  query = sonde_filter_query_new (text, flags, SONDE_FILTER_ALL_CATEGORIES, directions, NULL, NULL);
  g_assert (query != NULL);

  /* Let the loop settle before the clock starts. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &run);
  tick = g_timeout_add (1, tick_cb, &run);

  run.started = g_get_monotonic_time ();
  run.last_tick = run.started;
  run.last_cpu = thread_cpu_us ();
  sonde_filter_model_set_query (model, query);
  while (sonde_filter_model_get_scanning (model) || sonde_filter_model_get_n_scanned (model) < n)
    g_main_context_iteration (NULL, TRUE);
  done = g_get_monotonic_time ();
  g_source_remove (tick);

  g_print ("filter: %s, %" G_GUINT64_FORMAT " entries, %s: %u matches; first match after %.1f ms, "
           "whole answer after %.0f ms (%.1f M entries/s); longest main-loop stall %.1f ms "
           "(main-thread CPU in it at most %.1f ms)\n",
           what, n, text[0] != '\0' ? text : "(direction only)",
           g_list_model_get_n_items (G_LIST_MODEL (model)),
           run.first_match != 0 ? (run.first_match - run.started) / 1000.0 : -1.0,
           (done - run.started) / 1000.0, n / ((done - run.started) / 1e6) / 1e6,
           run.longest_gap / 1000.0, run.longest_busy / 1000.0);
}

static void
bench_log (const char *what,
           guint       n,
           void      (*fill) (SondeEventLog *, guint))
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  guint all = SONDE_FILTER_ALL_DIRECTIONS;

  fill (log, n);
  measure (log, what, "acme-7", SONDE_FILTER_FLAGS_NONE, all);
  measure (log, what, "ACME-7\"", SONDE_FILTER_CASE_SENSITIVE, all);
  measure (log, what, "price\":9\\d\\d\\.5", SONDE_FILTER_REGEX, all);
  measure (log, what, "", SONDE_FILTER_FLAGS_NONE, 1u << SONDE_DIRECTION_OUT);
  measure (log, what, "zzz", SONDE_FILTER_FLAGS_NONE, all);
}

int
main (int    argc,
      char **argv)
{
  guint large = 10000000;

  /* SONDE_BENCH_QUICK=1 skips ten million, for a machine short of memory. */
  if (g_getenv ("SONDE_BENCH_QUICK") != NULL)
    large = 0;

  bench_log ("SSE", 1000000, fill_sse);
  bench_log ("WebSocket text", 1000000, fill_ws);
  if (large > 0)
    bench_log ("SSE", large, fill_sse);

  return 0;
}

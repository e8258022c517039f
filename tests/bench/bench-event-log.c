/* bench-event-log.c: what the event log costs per entry, in bytes and in time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-event-log.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  const guint n = 1000000;
  char raw[64];
  gint64 start, elapsed;
  gsize memory, raw_size;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      char id[16];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int raw_len = g_snprintf (raw, sizeof raw, "id: %u\ndata: {\"price\":%u.%02u,\"sym\":\"ACME\"}\n\n",
                                i, i % 1000, i % 100);

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len, NULL, 0,
                              (const guint8 *)raw, raw_len);
    }
  elapsed = g_get_monotonic_time () - start;

  memory = sonde_event_log_get_memory_size (log);
  raw_size = sonde_event_log_get_raw_size (log);

  g_print ("event-log: %.1f bytes per entry beyond the raw bytes (%u entries, %.1f MB raw, %.1f MB held)\n",
           (double)(memory - raw_size) / n, n, raw_size / 1e6, memory / 1e6);
  g_print ("event-log: %.1f M appends/s\n", n / (elapsed / 1e6) / 1e6);

  /* A tab under an entry limit of 1 M: its thread lets the oldest go after
   * each items-changed (here one every 100,000 appends, a frame of a fire
   * hose; the release is done by the next) while the log takes 10 million
   * entries. */
  {
    g_autoptr(SondeEventLog) limited = sonde_event_log_new ();
    const guint total = 10000000;
    const guint batch = 100000;
    gint64 frame_us = 0;
    gsize peak = 0;

    start = g_get_monotonic_time ();
    for (guint i = 0; i < total; i++)
      {
        int raw_len = g_snprintf (raw, sizeof raw,
                                  "id: %u\ndata: {\"price\":%u.%02u,\"sym\":\"ACME\"}\n\n",
                                  i, i % 1000, i % 100);

        sonde_event_log_append (limited, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                                (const guint8 *)raw, raw_len);
        if (i % batch == batch - 1)
          {
            gint64 frame_start = g_get_monotonic_time ();

            sonde_event_log_flush_notify (limited);
            sonde_event_log_keep_newest (limited, 1000000);
            frame_us = MAX (frame_us, g_get_monotonic_time () - frame_start);
            peak = MAX (peak, sonde_event_log_get_memory_size (limited));
          }
      }
    elapsed = g_get_monotonic_time () - start;

    g_print ("event-log: limit of 1 M entries, 10 M appended: %.1f M appends/s with the "
             "releases, %.1f MB held at most, %" G_GUINT64_FORMAT " kept, %" G_GUINT64_FORMAT
             " released, slowest frame %.2f ms\n",
             total / (elapsed / 1e6) / 1e6, peak / 1e6,
             (guint64)g_list_model_get_n_items (G_LIST_MODEL (limited)),
             sonde_event_log_get_first_seq (limited), frame_us / 1e3);
  }

  return 0;
}

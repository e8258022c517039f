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

  return 0;
}

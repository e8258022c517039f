/* bench-entry-text.c: what formatting the event list's row texts costs, per row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry-text.h"
#include "sonde-event-log.h"
#include "sonde-ws-frame.h"

/* A million entries in the mix a live WebSocket or SSE tab holds: mostly
 * data, some control frames and lifecycle entries; every column's text of
 * every row is formatted, as a list scrolling through all of them would. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  const guint n = 1000000;
  gint64 clock_origin = sonde_entry_text_clock_origin (sonde_event_log_get_started_at (log));
  gint64 start, elapsed;
  gsize checksum = 0;

  for (guint i = 0; i < n; i++)
    {
      char raw[128];
      char id[16];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int len;

      switch (i % 10)
        {
        case 0: case 1: case 2: case 3:
          len = g_snprintf (raw, sizeof raw, "id: %u\nevent: quote\ndata: {\"price\":%u.%02u,\"sym\":\"ACME\"}\n\n",
                            i, i % 1000, i % 100);
          sonde_event_log_append (log, i * 10, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len, NULL, 0,
                                  (const guint8 *)raw, len);
          break;

        case 4: case 5: case 6: case 7:
          len = g_snprintf (raw, sizeof raw, "{\"seq\":%u,\"text\":\"hello\\nworld\"}", i);
          g_byte_array_set_size (frame, 0);
          sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x1, (const guint8 *)raw, len, i % 2 == 1);
          sonde_event_log_append (log, i * 10, i % 2 ? SONDE_DIRECTION_OUT : SONDE_DIRECTION_IN,
                                  SONDE_ENTRY_TEXT, NULL, 0, NULL, 0, frame->data, frame->len);
          break;

        case 8:
          g_byte_array_set_size (frame, 0);
          sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x2, (const guint8 *)raw, 48, FALSE);
          sonde_event_log_append (log, i * 10, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL, 0, NULL, 0,
                                  frame->data, frame->len);
          break;

        default:
          {
            static const char fields[] = "\"delay_ms\":3000,\"attempt\":4";

            sonde_event_log_append (log, i * 10, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL, 0,
                                    fields, strlen (fields), NULL, 0);
          }
          break;
        }
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      char seq[SONDE_ENTRY_TEXT_SHORT_SIZE];
      char time[SONDE_ENTRY_TEXT_SHORT_SIZE];
      char type[SONDE_ENTRY_TEXT_SHORT_SIZE];
      char id[SONDE_ENTRY_TEXT_SHORT_SIZE];
      char size[SONDE_ENTRY_TEXT_SHORT_SIZE];
      char preview[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      checksum += sonde_entry_text_format_seq (view.seq, seq, sizeof seq);
      checksum += sonde_entry_text_format_time (view.time_us, i % 2 ? SONDE_TIME_FORMAT_CLOCK
                                                                    : SONDE_TIME_FORMAT_RELATIVE,
                                                clock_origin, time, sizeof time);
      checksum += sonde_entry_text_format_type (&view, type, sizeof type);
      checksum += sonde_entry_text_format_id (&view, id, sizeof id);
      checksum += sonde_entry_text_format_size (&view, size, sizeof size);
      checksum += sonde_entry_text_format_preview (&view, preview, sizeof preview);
      checksum += strlen (sonde_entry_kind_get_label (view.kind));
      checksum += strlen (sonde_direction_get_accessible_name (view.direction));
    }
  elapsed = g_get_monotonic_time () - start;

  g_print ("entry-text: %.0f ns per row for every column's text (%u rows, %.2f s, %" G_GSIZE_FORMAT " bytes of text)\n",
           elapsed * 1000.0 / n, n, elapsed / 1e6, checksum);

  return 0;
}

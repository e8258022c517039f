/* bench-entry-text.c: what formatting the event list's row texts and telling a row's category cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-entry-text.h"
#include "sonde-event-log.h"
#include "sonde-ws-frame.h"

/* The category a row is drawn in: the list asks for it whenever it binds a
 * row, and it reads the entry's fields. Once over the mix above, where one
 * row in ten has small fields, and once over entries that all carry
 * fields the way a connection's lifecycle and side requests do: nested
 * headers, a response body, a compressed message's data. */
static void
bench_category (SondeEventLog *mixed,
                guint          n_mixed)
{
  const char *fields[] = {
    "\"status\":101,\"reason\":\"Switching Protocols\",\"headers\":{\"upgrade\":\"websocket\","
    "\"connection\":\"Upgrade\",\"sec-websocket-accept\":\"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\","
    "\"sec-websocket-extensions\":\"permessage-deflate; client_max_window_bits=15\","
    "\"server\":\"nginx/1.22.1\",\"date\":\"Sat, 28 Nov 2026 22:50:00 GMT\"}",
    "\"compressed\":true,\"data\":\"{\\\"seq\\\":1234,\\\"text\\\":\\\"hello world, hello world, "
    "hello world, hello world, hello world, hello world, hello world\\\"}\"",
    "\"message\":\"The server closed the connection\",\"closed_by\":\"server\",\"code\":1000,"
    "\"reason\":\"bye\",\"clean\":true",
    NULL,
  };
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GString) request = g_string_new (NULL);
  const guint n = 400000;
  guint problems = 0;
  gint64 start, elapsed;

  /* A side request with its headers and a 1 KiB JSON body. */
  g_string_append (request,
                   "\"method\":\"GET\",\"url\":\"https://example.org/api/items?page=2\","
                   "\"request_headers\":{\"accept\":\"application/json\",\"user-agent\":\"Sonde\"},"
                   "\"status\":200,\"reason\":\"OK\","
                   "\"headers\":{\"content-type\":\"application/json\","
                   "\"cache-control\":\"no-store\"},"
                   "\"rtt_ms\":12.5,\"body_size\":1024,\"body\":\"[");
  while (request->len < 1400)
    g_string_append (request, "{\\\"id\\\":17,\\\"name\\\":\\\"item\\\"},");
  g_string_append (request, "{}]\"");
  fields[3] = request->str;

  for (guint i = 0; i < n; i++)
    {
      static const SondeEntryKind kinds[] = {
        SONDE_ENTRY_OPEN, SONDE_ENTRY_TEXT, SONDE_ENTRY_CLOSED, SONDE_ENTRY_REQUEST,
      };
      guint k = i % G_N_ELEMENTS (kinds);

      sonde_event_log_append (log, i * 10, SONDE_DIRECTION_LOCAL, kinds[k], NULL, 0,
                              fields[k], strlen (fields[k]), NULL, 0);
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_mixed; i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (mixed, i, &view);
      problems += sonde_entry_view_get_category (&view) == SONDE_ENTRY_CATEGORY_PROBLEM;
    }
  elapsed = g_get_monotonic_time () - start;
  g_print ("entry-category: %.1f ns per row of the mix above (%u rows, %.2f s)\n",
           elapsed * 1000.0 / n_mixed, n_mixed, elapsed / 1e6);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      problems += sonde_entry_view_get_category (&view) == SONDE_ENTRY_CATEGORY_PROBLEM;
    }
  elapsed = g_get_monotonic_time () - start;
  g_print ("entry-category: %.1f ns per row with fields (open with headers, compressed text, "
           "closed, side request with a %" G_GSIZE_FORMAT "-byte body; "
           "%u rows, %.2f s, %u problems)\n",
           elapsed * 1000.0 / n, request->len, n, elapsed / 1e6, problems);
}

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

  bench_category (log, n);

  return 0;
}

/* sse-flood-server.c: a loopback SSE server that writes events as fast as the client reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: sse-flood-server EVENTS EVENT_SIZE [CONNECTIONS [RATE [SECONDS]]]
 * Prints "PORT\n" once listening on 127.0.0.1, then serves CONNECTIONS
 * clients (default 1), one after the other: each gets EVENTS events of
 * EVENT_SIZE bytes with ids, then the connection closes. RATE and SECONDS
 * pace it (flood-pace.h). Plain blocking sockets, so the server costs the
 * benchmark as little as possible.
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "flood-pace.h"

static GBytes *
make_events (guint event_size,
             guint count,
             guint first)
{
  GString *out = g_string_sized_new ((gsize)event_size * count);

  for (guint i = 0; i < count; i++)
    {
      gsize start = out->len;
      gsize used;

      g_string_append_printf (out, "id: %u\ndata: ", first + i);
      used = out->len - start + 2;
      /* Pad the data so each block is exactly event_size bytes; a little UTF-8 keeps the decoder honest. */
      while (used < event_size)
        {
          if (event_size - used >= 2 && (used % 16) == 0)
            {
              g_string_append (out, "\xc3\xa9");
              used += 2;
            }
          else
            {
              g_string_append_c (out, 'a' + (char)(used % 26));
              used++;
            }
        }
      g_string_append (out, "\n\n");
    }

  return g_string_free_to_bytes (out);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  guint64 events;
  guint event_size;
  guint connections = 1;
  const guint batch = 4096;
  g_autoptr(GBytes) chunk = NULL;
  FloodPace pace;
  static const char header[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream\r\n"
    "Cache-Control: no-store\r\n"
    "Connection: close\r\n"
    "\r\n";

  if (argc < 3)
    {
      g_printerr ("usage: %s EVENTS EVENT_SIZE [CONNECTIONS [RATE [SECONDS]]]\n", argv[0]);
      return 2;
    }
  events = g_ascii_strtoull (argv[1], NULL, 10);
  event_size = (guint)g_ascii_strtoull (argv[2], NULL, 10);
  if (argc > 3)
    connections = (guint)g_ascii_strtoull (argv[3], NULL, 10);
  flood_pace_parse (&pace, argc, argv, 4);
  if (event_size < 32)
    event_size = 32;

  if (!g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    {
      g_printerr ("sse-flood-server: %s\n", error->message);
      return 1;
    }
  chunk = make_events (event_size, batch, 1);
  g_print ("%u\n", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  fflush (stdout);

  for (guint c = 0; c < connections; c++)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      GOutputStream *out;
      GInputStream *in;
      char request[8192];
      gsize got = 0;

      connection = g_socket_listener_accept (listener, NULL, NULL, &error);
      if (connection == NULL)
        {
          g_printerr ("sse-flood-server: %s\n", error->message);
          return 1;
        }
      in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

      /* Read the request up to its blank line. */
      while (got < sizeof request - 1)
        {
          gssize n = g_input_stream_read (in, request + got, sizeof request - 1 - got, NULL, NULL);

          if (n <= 0)
            break;
          got += (gsize)n;
          request[got] = '\0';
          if (strstr (request, "\r\n\r\n") != NULL)
            break;
        }

      if (!g_output_stream_write_all (out, header, strlen (header), NULL, NULL, NULL))
        continue;

      {
        guint64 sent = 0;

        flood_pace_start (&pace);
        while (sent < events && flood_pace_next (&pace, sent))
          {
            guint n = (guint)MIN ((guint64)batch, events - sent);
            const guint8 *data = g_bytes_get_data (chunk, NULL);

            /* The batch is built once; ids repeat every batch, which costs the client nothing. */
            if (!g_output_stream_write_all (out, data, (gsize)n * event_size, NULL, NULL, NULL))
              break;
            sent += n;
          }

        g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
        flood_pace_report (&pace, sent);
      }
    }

  return 0;
}

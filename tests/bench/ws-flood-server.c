/* ws-flood-server.c: a loopback WebSocket server that writes messages as fast as the client reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: ws-flood-server MESSAGES PAYLOAD_SIZE [CONNECTIONS [RATE [SECONDS]]]
 * Prints "PORT\n" once listening on 127.0.0.1, then serves CONNECTIONS
 * clients (default 1) one after the other: the upgrade, MESSAGES unmasked
 * text frames of PAYLOAD_SIZE bytes, a close frame with 1000, then it waits
 * for the client to close. RATE and SECONDS pace it (flood-pace.h). Plain
 * blocking sockets, so the server costs the benchmark as little as possible.
 */

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "sonde-ws-frame.h"

#include "flood-pace.h"

static char *
accept_for (const char *request)
{
  const char *key = strstr (request, "Sec-WebSocket-Key: ");
  g_autofree char *value = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  if (key == NULL)
    return NULL;
  key += strlen ("Sec-WebSocket-Key: ");
  value = g_strndup (key, strcspn (key, "\r\n"));
  g_checksum_update (sha1, (const guint8 *)value, -1);
  g_checksum_update (sha1, (const guint8 *)"258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &len);

  return g_base64_encode (digest, len);
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
  g_autoptr(GByteArray) batch = g_byte_array_new ();
  g_autofree guint8 *payload = NULL;
  guint64 messages;
  gsize size;
  guint connections = 1;
  const guint per_batch = 4096;
  FloodPace pace;

  if (argc < 3)
    {
      g_printerr ("usage: %s MESSAGES PAYLOAD_SIZE [CONNECTIONS [RATE [SECONDS]]]\n", argv[0]);
      return 2;
    }
  messages = g_ascii_strtoull (argv[1], NULL, 10);
  size = (gsize)g_ascii_strtoull (argv[2], NULL, 10);
  if (argc > 3)
    connections = (guint)g_ascii_strtoull (argv[3], NULL, 10);
  flood_pace_parse (&pace, argc, argv, 4);

  payload = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    payload[i] = (guint8)('a' + i % 26);
  for (guint i = 0; i < per_batch; i++)
    sonde_ws_frame_append (batch, SONDE_WS_FIN | 0x1, payload, size, FALSE);

  if (!g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    {
      g_printerr ("ws-flood-server: %s\n", error->message);
      return 1;
    }
  g_print ("%u\n", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  fflush (stdout);

  for (guint c = 0; c < connections; c++)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      g_autofree char *accept = NULL;
      g_autofree char *response = NULL;
      GOutputStream *out;
      GInputStream *in;
      char request[8192];
      gsize got = 0;
      gsize frame_size = batch->len / per_batch;
      static const guint8 close_frame[] = { 0x88, 0x02, 0x03, 0xe8 };
      guint8 sink[4096];
      guint64 sent = 0;

      connection = g_socket_listener_accept (listener, NULL, NULL, &error);
      if (connection == NULL)
        {
          g_printerr ("ws-flood-server: %s\n", error->message);
          return 1;
        }
      in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

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
      request[got] = '\0';

      accept = accept_for (request);
      if (accept == NULL)
        continue;
      response = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
      if (!g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL))
        continue;

      flood_pace_start (&pace);
      while (sent < messages && flood_pace_next (&pace, sent))
        {
          guint n = (guint)MIN ((guint64)per_batch, messages - sent);

          if (!g_output_stream_write_all (out, batch->data, n * frame_size, NULL, NULL, NULL))
            break;
          sent += n;
        }
      g_output_stream_write_all (out, close_frame, sizeof close_frame, NULL, NULL, NULL);

      /* The client answers the close; then the server hangs up first, as RFC 6455 asks. */
      while (TRUE)
        {
          gssize n = g_input_stream_read (in, sink, sizeof sink, NULL, NULL);

          if (n <= 0 || memchr (sink, 0x88, (gsize)n) != NULL)
            break;
        }
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      flood_pace_report (&pace, sent);
    }

  return 0;
}

/* sonde-mock-server-ws.c: the mock server's /ws: the upgrade, the taps, resume messages and echoes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-mock-server-private.h"
#include "sonde-tap-stream.h"
#include "sonde-ws-frame.h"

#define RESUME_GRACE_US (100 * 1000)

static void
ws_write_tap (gpointer      user_data,
              const guint8 *data,
              gsize         len)
{
  sonde_mock_client_written (user_data, len);
}

static void
ws_read_tap (gpointer      user_data,
             const guint8 *data,
             gsize         len)
{
  SondeMockClient *client = user_data;

  sonde_ws_dissector_feed (client->from_client, data, len);
  if (G_UNLIKELY (!client->too_large && sonde_ws_dissector_is_stopped (client->from_client)))
    {
      GInputStream *input = g_io_stream_get_input_stream (client->tap);

      /* libsoup reads nothing more (what it has is within the limit and a
       * read); the client is closed with 1009. */
      sonde_tap_input_stream_cut (SONDE_TAP_INPUT_STREAM (input), 0);
      sonde_mock_client_close_too_large (client);
    }
}

/* libsoup answers every ping with a pong of the same payload, which it
 * writes when it can: counted here, when the ping comes in, so that a
 * client that pings and never reads is bounded like any other. */
static void
ws_client_control_cb (gpointer            user_data,
                      const SondeWsFrame *frame)
{
  SondeMockClient *client = user_data;

  if (frame->opcode != SONDE_WS_OPCODE_PING || !frame->fin || frame->length > 125 ||
      frame->violations != 0)
    return;
  client->queued += 2 + frame->length;
  sonde_mock_client_check_backlog (client);
}

static gboolean
ws_can_inject (gpointer user_data)
{
  /* The server writes frames whole: libsoup queues them, and this tap only
   * ever sees complete frames pass except during a partial write, which the
   * tap finishes before injecting. */
  return TRUE;
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  SondeMockClient *client = user_data;
  g_autofree char *last_id = NULL;
  g_autoptr(GByteArray) frame = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);

  if (client->awaiting_resume && type == SOUP_WEBSOCKET_DATA_TEXT &&
      (last_id = sonde_mock_parse_resume_message ((const char *)data, len)) != NULL)
    {
      sonde_mock_client_set_resume (client, last_id);
      sonde_mock_server_say (client->server,
                             _("client %u (ws) asked to resume after id “%s”: item %u of %u"),
           client->id, last_id, client->next, client->server->items->len);
      sonde_mock_client_start_replay (client);
      return;
    }

  /* The echo, so that two-way traffic can be tried against the mock server:
   * through the client's own queue, which is bounded, not libsoup's. */
  frame = g_byte_array_sized_new ((guint)len + 10);
  sonde_ws_frame_append (frame, SONDE_WS_FIN | (type == SOUP_WEBSOCKET_DATA_TEXT ? SONDE_WS_OPCODE_TEXT
                                                                                 : SONDE_WS_OPCODE_BINARY),
                         data, len, FALSE);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&frame));
  if (sonde_mock_client_send_extra (client, bytes))
    sonde_mock_server_say (client->server, _("client %u (ws) sent %lu bytes; echoed"),
                           client->id, (gulong)len);
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  SondeMockClient *client = user_data;

  sonde_mock_client_gone (client, client->next == G_MAXUINT ? _("got the whole recording")
                                                           : _("disconnected"));
}

static const SondeWsCallbacks client_callbacks = {
  .control = ws_client_control_cb,
};

/* The dissector looks for pings, and holds a client's messages to the
 * limit as it sends them, which libsoup does not: it holds its limit to
 * each frame (endless continuation frames of 64 KiB grew the server to 400
 * MB), and inflates a compressed message whole before the limit applies (a
 * client's 380 KB inflated to 400 MB). The dissector counts a message's
 * frames as they pass, inflates in steps with what was negotiated, and stops
 * at the limit, at the header of a frame that would pass it; the read tap
 * then hands libsoup nothing more. */
static void
set_up_dissector (SondeMockClient    *client,
                  SoupMessageHeaders *response_headers)
{
  const char *extensions = soup_message_headers_get_one (response_headers,
                                                         "Sec-WebSocket-Extensions");
  g_autoptr(GHashTable) params = NULL;

  sonde_ws_dissector_set_max_size (client->from_client, client->server->max_message_size);
  sonde_ws_dissector_set_stop_at_limit (client->from_client, TRUE);
  if (extensions != NULL && sonde_ws_parse_deflate (extensions, &params))
    {
      SondeWsDeflateSide side = sonde_ws_deflate_side (params, SONDE_WS_FROM_CLIENT);

      sonde_ws_dissector_set_deflate (client->from_client, TRUE, side.no_context_takeover,
                                      side.window_bits);
    }
}

static void
ws_wrote_informational_cb (SoupServerMessage *msg,
                           gpointer           user_data)
{
  SondeMockClient *client = user_data;
  GList *extensions = g_object_steal_data (G_OBJECT (msg), "sonde-extensions");
  g_autoptr(GUri) uri = NULL;

  g_signal_handlers_disconnect_by_data (msg, client);
  /* Taken before the connection: libsoup hands that over as a stream of its
   * own, which does not tell its socket. */
  client->socket = g_object_ref (soup_server_message_get_socket (msg));
  client->base = soup_server_message_steal_connection (msg);
  sonde_mock_client_no_delay (client->socket);
  client->from_client = sonde_ws_dissector_new (SONDE_WS_FROM_CLIENT, &client_callbacks, client);
  set_up_dissector (client, soup_server_message_get_response_headers (msg));
  client->tap = sonde_tap_stream_new (client->base, NULL, ws_read_tap, ws_write_tap, ws_can_inject, client);
  uri = g_uri_ref (soup_server_message_get_uri (msg));
  client->ws = soup_websocket_connection_new (client->tap, uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
                                              NULL, NULL, extensions);
  soup_websocket_connection_set_keepalive_interval (client->ws, 0);
  soup_websocket_connection_set_max_incoming_payload_size (client->ws,
                                                           client->server->max_message_size);
  g_signal_connect (client->ws, "message", G_CALLBACK (ws_message_cb), client);
  g_signal_connect (client->ws, "closed", G_CALLBACK (ws_closed_cb), client);

  /* A client that resumes by message sends it right after the open; give it
   * a moment before the replay starts, so nothing it already has comes twice. */
  client->awaiting_resume = TRUE;
  sonde_mock_client_wake_at (client, g_get_monotonic_time () + RESUME_GRACE_US);
}

void
sonde_mock_ws_handler (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  SondeMockServer *self = user_data;
  g_autoptr(GPtrArray) supported = g_ptr_array_new ();
  GList *accepted = NULL;
  SondeMockClient *client;

  if (self->faults->ws_refuse != 0)
    {
      sonde_mock_server_say (self, _("refusing a WebSocket upgrade with %u (fault)"),
                             self->faults->ws_refuse);
      soup_server_message_set_status (msg, self->faults->ws_refuse, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "upgrade refused by sonde serve\n", 31);
      return;
    }

  g_ptr_array_add (supported, g_type_class_peek (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE));
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, supported, &accepted))
    return;

  client = sonde_mock_client_new (self, TRUE, sonde_mock_query_stamp (query),
                                  sonde_mock_request_last_id (NULL, query));
  g_object_set_data (G_OBJECT (msg), "sonde-extensions", accepted);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (ws_wrote_informational_cb), client);
}


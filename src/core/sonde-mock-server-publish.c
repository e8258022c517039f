/* sonde-mock-server-publish.c: POST /publish: a message to every client of the mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-mock-server-private.h"

/**
 * sonde_mock_server_publish:
 * @body: what to send
 *
 * Sends @body to every connected client: an SSE event `publish` with an id of
 * its own on /sse, a text message on /ws.
 *
 * Returns: how many clients it went to
 */
guint
sonde_mock_server_publish (SondeMockServer *self,
                           GBytes          *body)
{
  g_autoptr(GString) block = g_string_new (NULL);
  gsize len;
  const char *data;
  guint n = 0;

  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);
  g_return_val_if_fail (body != NULL, 0);

  data = g_bytes_get_data (body, &len);
  g_string_append_printf (block, "event: publish\nid: publish-%" G_GUINT64_FORMAT "\n", ++self->published);
  sonde_mock_append_data_lines (block, data != NULL ? data : "", len);
  g_string_append_c (block, '\n');

  for (GList *l = self->clients; l != NULL; l = l->next)
    {
      SondeMockClient *client = l->data;

      if (client->websocket && client->ws != NULL &&
          soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_TEXT, body);
          n++;
        }
      else if (!client->websocket && client->msg != NULL && client->next != G_MAXUINT)
        {
          g_byte_array_append (client->sse_batch, (const guint8 *)block->str, (guint)block->len);
          client->queued += block->len;
          sonde_mock_client_flush (client);
          n++;
        }
    }

  return n;
}

void
sonde_mock_publish_handler (SoupServer        *server,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            gpointer           user_data)
{
  SondeMockServer *self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *answer = NULL;
  guint n;

  if (sonde_mock_answer_preflight (msg))
    return;
  sonde_mock_add_cors (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  n = sonde_mock_server_publish (self, body);
  sonde_mock_server_say (self, _("published %lu bytes to %u clients"),
                         (gulong)g_bytes_get_size (body), n);

  answer = g_strdup_printf ("{\"clients\":%u}\n", n);
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}


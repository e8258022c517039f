/* sonde-mock-server-publish.c: POST /publish: a message to every client of the mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-mock-server-private.h"
#include "sonde-ws-frame.h"

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
  g_autoptr(GByteArray) frame = NULL;
  g_autoptr(GBytes) sse = NULL;
  g_autoptr(GBytes) ws = NULL;
  GList *next;
  gsize len;
  const char *data;
  guint n = 0;

  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);
  g_return_val_if_fail (body != NULL, 0);

  /* One copy of each form for every client: forty clients of a 10 MB
   * publish hold 10 MB between them, not 400. */
  data = g_bytes_get_data (body, &len);
  g_string_append_printf (block, "event: publish\nid: publish-%" G_GUINT64_FORMAT "\n",
                          ++self->published);
  sonde_mock_append_data_lines (block, data != NULL ? data : "", len);
  g_string_append_c (block, '\n');
  sse = g_string_free_to_bytes (g_steal_pointer (&block));
  frame = g_byte_array_sized_new ((guint)len + 10);
  sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)data, len, FALSE);
  ws = g_byte_array_free_to_bytes (g_steal_pointer (&frame));

  for (GList *l = self->clients; l != NULL; l = next)
    {
      SondeMockClient *client = l->data;

      next = l->next;
      if (client->websocket && client->ws != NULL &&
          soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        n += sonde_mock_client_send_extra (client, ws);
      else if (!client->websocket && client->msg != NULL && client->next != G_MAXUINT)
        n += sonde_mock_client_send_extra (client, sse);
    }

  return n;
}

/* The body of a POST, gathered here rather than by libsoup so that one past
 * the limit costs no memory: libsoup reads it on and forgets it. */
typedef struct
{
  GByteArray *data;
  guint64     limit;
  gboolean    too_large;
} Body;

static void
body_free (gpointer data)
{
  Body *body = data;

  g_clear_pointer (&body->data, g_byte_array_unref);
  g_free (body);
}

static void
refuse_too_large (SoupServerMessage *msg,
                  guint64            limit)
{
  g_autofree char *text = g_strdup_printf ("The body is larger than this server takes (%" G_GUINT64_FORMAT
                                           " bytes; sonde serve --max-message-size)\n", limit);

  soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
publish_got_chunk_cb (SoupServerMessage *msg,
                      GBytes            *chunk,
                      gpointer           user_data)
{
  Body *body = user_data;
  gsize size = g_bytes_get_size (chunk);

  if (body->too_large)
    return;
  if (body->data->len + (guint64)size > body->limit)
    {
      body->too_large = TRUE;
      g_clear_pointer (&body->data, g_byte_array_unref);
      body->data = g_byte_array_new ();
      return;
    }
  g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), (guint)size);
}

/* Before the body: one that says it is too large is refused unread. */
void
sonde_mock_publish_early_handler (SoupServer        *server,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data)
{
  SondeMockServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Body *body;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    return;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64)soup_message_headers_get_content_length (headers) > self->max_message_size)
    {
      sonde_mock_add_cors (msg);
      refuse_too_large (msg, self->max_message_size);
      sonde_mock_server_say (self, _("refused to publish %lu bytes: more than the limit (413)"),
                             (gulong)soup_message_headers_get_content_length (headers));
      return;
    }

  body = g_new0 (Body, 1);
  body->data = g_byte_array_new ();
  body->limit = self->max_message_size;
  g_object_set_data_full (G_OBJECT (msg), "sonde-publish-body", body, body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (publish_got_chunk_cb), body);
}

void
sonde_mock_publish_handler (SoupServer        *server,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            gpointer           user_data)
{
  SondeMockServer *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *answer = NULL;
  Body *body;
  guint n;

  if (sonde_mock_answer_preflight (msg))
    return;
  sonde_mock_add_cors (msg);

  body = g_object_get_data (G_OBJECT (msg), "sonde-publish-body");
  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0 || body == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (body->too_large)
    {
      refuse_too_large (msg, self->max_message_size);
      sonde_mock_server_say (self, _("refused to publish a body of more than %lu bytes (413)"),
                             (gulong)self->max_message_size);
      return;
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&body->data));
  body->data = g_byte_array_new ();
  n = sonde_mock_server_publish (self, bytes);
  sonde_mock_server_say (self, _("published %lu bytes to %u clients"),
                         (gulong)g_bytes_get_size (bytes), n);

  answer = g_strdup_printf ("{\"clients\":%u}\n", n);
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                    strlen (answer));
}

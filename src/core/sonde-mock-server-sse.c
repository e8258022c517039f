/* sonde-mock-server-sse.c: the mock server's /sse: a stream per client, resumed by Last-Event-ID
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-mock-server-private.h"

static void
sse_wrote_body_data_cb (SoupServerMessage *msg,
                        guint              chunk_size,
                        gpointer           user_data)
{
  sonde_mock_client_written (user_data, chunk_size);
}

static void
sse_finished_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  SondeMockClient *client = user_data;

  sonde_mock_client_gone (client, client->next == G_MAXUINT ? _("got the whole recording")
                                                           : _("disconnected"));
}

void
sonde_mock_sse_handler (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  SondeMockServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *last_id;
  SondeMockClient *client;

  if (!sonde_mock_begin_request (msg, SOUP_METHOD_GET))
    return;

  if (self->faults->sse_status != 0)
    {
      sonde_mock_server_say (self, _("answering /sse with %u (fault)"), self->faults->sse_status);
      soup_server_message_set_status (msg, self->faults->sse_status, NULL);
      if (self->faults->sse_status != SOUP_STATUS_NO_CONTENT)
        soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                          "refused by sonde serve\n", 23);
      return;
    }

  last_id = sonde_mock_request_last_id (soup_server_message_get_request_headers (msg), query);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type",
                                self->faults->sse_content_type != NULL
                                  ? self->faults->sse_content_type
                                  : "text/event-stream; charset=utf-8");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  sonde_mock_client_no_delay (soup_server_message_get_socket (msg));
  client = sonde_mock_client_new (self, FALSE, sonde_mock_query_stamp (query), last_id);
  client->msg = g_object_ref (msg);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (sse_wrote_body_data_cb), client);
  g_signal_connect (msg, "finished", G_CALLBACK (sse_finished_cb), client);

  if (self->faults->retry >= 0)
    {
      g_autofree char *retry = g_strdup_printf ("retry: %d\n\n", self->faults->retry);

      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                                retry, strlen (retry));
      client->queued += strlen (retry);
    }

  soup_server_message_pause (msg);
  sonde_mock_client_pump (client);
}

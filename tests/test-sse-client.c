/* test-sse-client.c: the SSE client against a real SoupServer on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-sse-client.h"
#include "sonde-test-util.h"

typedef struct
{
  SoupServer *server;
  char       *base;          /* http://127.0.0.1:PORT */
  GPtrArray  *last_ids;      /* Last-Event-ID of each request to the scripted paths ("" if none) */
  GPtrArray  *accepts;       /* Accept header of each request */
  guint       requests;
} Fixture;

static gboolean
connection_ended (gpointer data)
{
  SondeConnectionState state = sonde_connection_get_state (data);

  return state == SONDE_CONNECTION_CLOSED || state == SONDE_CONNECTION_FAILED;
}

static void
respond_stream (SoupServerMessage *msg,
                const char        *body,
                gsize              len)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  /* No length, no chunks: the end of the body is the connection closing. */
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            body, len);
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static void
record_request (Fixture           *f,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  const char *last = soup_message_headers_get_one (request, "Last-Event-ID");
  const char *accept = soup_message_headers_get_one (request, "Accept");

  g_ptr_array_add (f->last_ids, g_strdup (last != NULL ? last : ""));
  g_ptr_array_add (f->accepts, g_strdup (accept != NULL ? accept : ""));
  f->requests++;
}

/* /resume: drops between events, then in the middle of one, then says 204. */
static void
resume_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *f = user_data;
  static const char first[] = "retry: 150\n\nid: 1\ndata: one\n\nid: 2\nevent: second\ndata: two\n\n";
  static const char second[] = ": hello again\nid: 3\ndata: three\n\nid: 4\ndata: fo";

  record_request (f, msg);

  if (f->requests == 1)
    respond_stream (msg, first, strlen (first));
  else if (f->requests == 2)
    respond_stream (msg, second, strlen (second));
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
status_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *f = user_data;

  record_request (f, msg);

  if (g_str_equal (path, "/status/500"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "oops", 4);
    }
  else if (g_str_equal (path, "/status/plain"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "data: not a stream\n\n", 20);
    }
  else if (g_str_equal (path, "/status/204"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else if (g_str_equal (path, "/status/redirect"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/gzip");
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    }
}

static GBytes *
gzip_bytes (const char *text)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* /gzip: a compressed stream of 50 events, then the end (policy none in the tests). */
static void
gzip_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) zipped = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  record_request (f, msg);

  for (guint i = 1; i <= 50; i++)
    g_string_append_printf (text, "id: z%u\nevent: zipped\ndata: compressed event %u\n\n", i, i);
  zipped = gzip_bytes (text->str);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), zipped);
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->last_ids = g_ptr_array_new_with_free_func (g_free);
  f->accepts = g_ptr_array_new_with_free_func (g_free);
  f->server = sonde_test_server_new (&f->base);
  soup_server_add_handler (f->server, "/resume", resume_handler, f, NULL);
  soup_server_add_handler (f->server, "/status", status_handler, f, NULL);
  soup_server_add_handler (f->server, "/gzip", gzip_handler, f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  g_ptr_array_unref (f->last_ids);
  g_ptr_array_unref (f->accepts);
  g_free (f->base);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Starts a client on @url under @policy (NULL: spec), with a timeout unless 0. */
static SondeSseClient *
start_url (const char *url,
           const char *policy,
           guint       timeout_ms)
{
  SondeSseClient *client = sonde_sse_client_new (url, NULL);

  if (policy != NULL)
    {
      SondeReconnectPolicy parsed;
      g_autoptr(GError) error = NULL;

      g_assert_true (sonde_reconnect_policy_parse (policy, &parsed, &error));
      g_assert_no_error (error);
      sonde_connection_set_policy (SONDE_CONNECTION (client), &parsed);
    }
  if (timeout_ms > 0)
    sonde_connection_set_timeout (SONDE_CONNECTION (client), timeout_ms);

  sonde_connection_start (SONDE_CONNECTION (client));
  return client;
}

static SondeSseClient *
start_client (Fixture    *f,
              const char *path,
              const char *policy)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  return start_url (url, policy, 0);
}

static void
get_view (SondeEventLog  *log,
          guint64         seq,
          SondeEntryView *view)
{
  g_assert_true (sonde_event_log_get_view (log, seq, view));
}

static void
assert_kinds (SondeEventLog       *log,
              const SondeEntryKind *kinds,
              guint                n_kinds)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GString) wanted = g_string_new (NULL);
  guint64 n = sonde_event_log_get_n_entries (log);

  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView view;

      get_view (log, i, &view);
      g_string_append_printf (seen, "%s ", sonde_entry_kind_to_string (view.kind));
    }
  for (guint i = 0; i < n_kinds; i++)
    g_string_append_printf (wanted, "%s ", sonde_entry_kind_to_string (kinds[i]));

  g_assert_cmpstr (seen->str, ==, wanted->str);
}

static void
test_create_destroy (void)
{
  SondeSseClient *client = sonde_sse_client_new ("http://127.0.0.1:9/", NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));

  g_assert_true (SONDE_IS_EVENT_LOG (log));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_IDLE);
  g_assert_cmpuint (sonde_sse_client_get_reconnection_time (client), ==, 3000);
  g_assert_cmpstr (sonde_sse_client_get_last_event_id (client), ==, "");
  g_assert_finalize_object (client);
}

/* Drops between events and in the middle of one: each reconnect sends the
 * right Last-Event-ID, `retry:` sets the wait, and 204 ends it for good. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SondeSseClient) client = start_client (f, "/resume", NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  static const SondeEntryKind kinds[] = {
    SONDE_ENTRY_OPEN, SONDE_ENTRY_RETRY, SONDE_ENTRY_SSE, SONDE_ENTRY_SSE, SONDE_ENTRY_CLOSED,
    SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_OPEN, SONDE_ENTRY_COMMENT, SONDE_ENTRY_SSE, SONDE_ENTRY_CLOSED,
    SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_OPEN, SONDE_ENTRY_CLOSED,
  };
  SondeEntryView view;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *data_text = NULL;
  g_autofree char *type = NULL;

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
  g_assert_null (sonde_connection_get_error (SONDE_CONNECTION (client)));

  g_assert_cmpuint (f->requests, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->last_ids, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (f->last_ids, 1), ==, "2");
  /* The partial event's id was never dispatched, so it is not resumed from. */
  g_assert_cmpstr (g_ptr_array_index (f->last_ids, 2), ==, "3");
  g_assert_cmpstr (g_ptr_array_index (f->accepts, 0), ==, "text/event-stream");

  assert_kinds (log, kinds, G_N_ELEMENTS (kinds));

  get_view (log, 1, &view);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "ms"), ==, 150);
  g_clear_pointer (&fields, json_object_unref);

  get_view (log, 3, &view);
  data_text = sonde_entry_view_dup_data (&view, NULL, &type);
  g_assert_cmpstr (data_text, ==, "two");
  g_assert_cmpstr (type, ==, "second");
  g_assert_cmpmem (view.id, view.id_len, "2", 1);
  g_assert_cmpmem (view.raw, view.raw_len, "id: 2\nevent: second\ndata: two\n\n",
                   strlen ("id: 2\nevent: second\ndata: two\n\n"));

  /* The reconnect waits what `retry:` said, and the timeline shows it. */
  {
    SondeEntryView closed, reconnect, reopened;

    get_view (log, 4, &closed);
    get_view (log, 5, &reconnect);
    get_view (log, 6, &reopened);
    fields = sonde_test_entry_fields (&reconnect);
    g_assert_cmpint (json_object_get_int_member (fields, "delay_ms"), ==, 150);
    g_assert_cmpint (json_object_get_int_member (fields, "attempt"), ==, 1);
    g_clear_pointer (&fields, json_object_unref);
    g_assert_cmpint (reopened.time_us - closed.time_us, >=, 150 * 1000);
    /* Far below the 3 s default: the delay really changed. */
    g_assert_cmpint (reopened.time_us - closed.time_us, <, 2500 * 1000);

    fields = sonde_test_entry_fields (&reopened);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "request_headers"),
                                                    "Last-Event-ID"), ==, "2");
    g_clear_pointer (&fields, json_object_unref);
  }

  /* The drop in the middle of an event keeps the lost bytes on the timeline. */
  get_view (log, 9, &view);
  g_assert_cmpmem (view.raw, view.raw_len, "id: 4\ndata: fo", 14);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "discarded_bytes"), ==, 14);
  g_clear_pointer (&fields, json_object_unref);

  get_view (log, 12, &view);
  fields = sonde_test_entry_fields (&view);
  g_assert_nonnull (strstr (json_object_get_string_member (fields, "message"), "204"));
  g_assert_cmpstr (sonde_sse_client_get_last_event_id (client), ==, "3");
}

static void
assert_fails_without_reconnect (Fixture    *f,
                                const char *path,
                                const char *expected_in_message)
{
  g_autoptr(SondeSseClient) client = start_client (f, path, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  static const SondeEntryKind kinds[] = { SONDE_ENTRY_OPEN, SONDE_ENTRY_ERROR };
  const GError *error;

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
  error = sonde_connection_get_error (SONDE_CONNECTION (client));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, expected_in_message));

  /* Give a wrongly scheduled reconnect the chance to show itself. */
  sonde_test_spin (100);
  g_assert_cmpuint (f->requests, ==, 1);
  assert_kinds (log, kinds, G_N_ELEMENTS (kinds));
}

static void
test_status_500 (Fixture       *f,
                 gconstpointer  data)
{
  assert_fails_without_reconnect (f, "/status/500", "500");
}

static void
test_wrong_content_type (Fixture       *f,
                         gconstpointer  data)
{
  assert_fails_without_reconnect (f, "/status/plain", "text/plain");
}

static void
test_204_stops (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SondeSseClient) client = start_client (f, "/status/204", NULL);

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
  g_assert_null (sonde_connection_get_error (SONDE_CONNECTION (client)));
  g_assert_cmpuint (f->requests, ==, 1);
}

static void
check_gzip_events (SondeEventLog *log,
                   guint64        first_sse)
{
  for (guint i = 1; i <= 50; i++)
    {
      SondeEntryView view;
      g_autofree char *data_text = NULL;
      g_autofree char *type = NULL;
      g_autofree char *expected = g_strdup_printf ("compressed event %u", i);
      g_autofree char *id = g_strdup_printf ("z%u", i);

      get_view (log, first_sse + i - 1, &view);
      g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
      data_text = sonde_entry_view_dup_data (&view, NULL, &type);
      g_assert_cmpstr (data_text, ==, expected);
      g_assert_cmpstr (type, ==, "zipped");
      g_assert_cmpmem (view.id, view.id_len, id, strlen (id));
    }
}

static void
test_gzip (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SondeSseClient) client = start_client (f, "/gzip", "none");
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  SondeEntryView view;
  g_autoptr(JsonObject) fields = NULL;

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, 1 + 50 + 1);

  get_view (log, 0, &view);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "headers"),
                                                  "Content-Encoding"), ==, "gzip");
  check_gzip_events (log, 1);
}

static void
test_redirect (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SondeSseClient) client = start_client (f, "/status/redirect", "none");
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  SondeEntryView view;
  g_autoptr(JsonObject) fields = NULL;

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpuint (f->requests, ==, 2);

  get_view (log, 0, &view);
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 200);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (fields, "url"), "/gzip"));
  check_gzip_events (log, 1);
}

/* Nothing listens: every attempt fails, the waits grow, and it gives up. */
static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeSseClient) client = NULL;
  g_autofree char *url = NULL;
  SondeReconnectPolicy policy;
  SondeEventLog *log;
  static const SondeEntryKind kinds[] = {
    SONDE_ENTRY_ERROR, SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_ERROR, SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_ERROR, SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_ERROR, SONDE_ENTRY_ERROR,
  };
  const guint expected_delays[] = { 40, 80, 160 };

  /* A port that was free a moment ago and has no listener now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/events",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  client = sonde_sse_client_new (url, NULL);
  g_assert_true (sonde_reconnect_policy_parse ("backoff:initial=40,factor=2,cap=1000,jitter=0,attempts=3",
                                               &policy, &error));
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_connection_start (SONDE_CONNECTION (client));
  log = sonde_connection_get_log (SONDE_CONNECTION (client));

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
  assert_kinds (log, kinds, G_N_ELEMENTS (kinds));

  for (guint i = 0; i < 3; i++)
    {
      SondeEntryView reconnect, next_error;
      g_autoptr(JsonObject) fields = NULL;

      get_view (log, 1 + 2 * i, &reconnect);
      get_view (log, 2 + 2 * i, &next_error);
      fields = sonde_test_entry_fields (&reconnect);
      g_assert_cmpint (json_object_get_int_member (fields, "delay_ms"), ==, expected_delays[i]);
      g_assert_cmpint (json_object_get_int_member (fields, "attempt"), ==, i + 1);
      g_assert_cmpint (next_error.time_us - reconnect.time_us, >=, expected_delays[i] * 1000);
    }

  g_assert_error (sonde_connection_get_error (SONDE_CONNECTION (client)), SONDE_ERROR, SONDE_ERROR_FAILED);
  g_assert_nonnull (strstr (sonde_connection_get_error (SONDE_CONNECTION (client))->message, "3"));
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SondeSseClient) client = start_client (f, "/resume", NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  SondeEntryView view;

  sonde_connection_stop (SONDE_CONNECTION (client));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
  get_view (log, sonde_event_log_get_n_entries (log) - 1, &view);
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_CLOSED);

  /* A stopped client schedules nothing more. */
  sonde_test_spin (100);
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, view.seq + 1);
}

static SondeSseClient *
start_raw_client (SondeTestRawServer *server,
                  const char         *policy,
                  guint               timeout_ms)
{
  g_autofree char *url = g_strconcat (sonde_test_raw_server_get_url (server), "/events", NULL);

  return start_url (url, policy, timeout_ms);
}

/* A server that accepts and never answers: each attempt times out, the
 * policy reconnects, and the timeline says why. */
static void
test_timeout (void)
{
  SondeTestRawServer *server = sonde_test_raw_server_new (NULL, 0);
  g_autoptr(SondeSseClient) client = NULL;
  static const SondeEntryKind kinds[] = {
    SONDE_ENTRY_ERROR, SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_ERROR, SONDE_ENTRY_RECONNECT,
    SONDE_ENTRY_ERROR, SONDE_ENTRY_ERROR,
  };
  SondeEventLog *log;

  client = sonde_sse_client_new ("http://127.0.0.1/", NULL);
  g_assert_cmpuint (sonde_connection_get_timeout (SONDE_CONNECTION (client)), ==, 30000);
  g_clear_object (&client);
  client = start_raw_client (server, "backoff:initial=20,factor=1,jitter=0,attempts=2", 200);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
  assert_kinds (log, kinds, G_N_ELEMENTS (kinds));
  g_assert_cmpuint (sonde_test_raw_server_get_n_connections (server), ==, 3);

  for (guint64 seq = 0; seq < 5; seq += 2)
    {
      SondeEntryView view;
      g_autoptr(JsonObject) fields = NULL;

      get_view (log, seq, &view);
      fields = sonde_test_entry_fields (&view);
      g_assert_cmpstr (json_object_get_string_member (fields, "message"), ==,
                       "The server did not answer the request within 0.2 s");
      g_assert_cmpstr (json_object_get_string_member (fields, "domain"), ==, "g-io-error-quark");
      g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, G_IO_ERROR_TIMED_OUT);
    }

  g_clear_object (&client);
  sonde_test_raw_server_free (server);
}

typedef struct
{
  SondeTestRawServer *server;
  guint               at_most;
} Bound;

static gboolean
too_many_connections (gpointer data)
{
  Bound *bound = data;

  return sonde_test_raw_server_get_n_connections (bound->server) > bound->at_most;
}

/* Servers that answer and hang up at once, with `retry: 0`, with nothing or
 * with one event: without a backoff they get about a thousand connections
 * a second. Counted over 3.5 s on loopback. */
static void
test_no_hammering (void)
{
  const struct { const char *response; const char *policy; guint at_most; } cases[] = {
    /* spec: 0, 0, then 1, 2 s: four connections by 3.5 s. */
    { "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
      "retry: 0\n\n", NULL, 5 },
    /* An event each time, so the count starts again, but each attempt is short:
     * after four of them, one connection a second. */
    { "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
      "retry: 0\n\ndata: hello\n\n", NULL, 8 },
    { "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
      "data: hello\n\n", "fixed:0", 8 },
    { "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n",
      "backoff:initial=0,cap=0", 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Bound bound = { sonde_test_raw_server_new (cases[i].response, -1), cases[i].at_most };
      g_autoptr(SondeSseClient) client = start_raw_client (bound.server, cases[i].policy, 0);
      SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
      gboolean raised = FALSE;

      /* Fails at once when the client hammers; holds for 3.5 s when it does not. */
      g_assert_false (sonde_test_wait_until (too_many_connections, &bound, 3500));
      g_assert_cmpuint (sonde_test_raw_server_get_n_connections (bound.server), >=, 3);

      /* The longer waits are on the timeline, with what the policy alone said. */
      for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
        {
          SondeEntryView view;
          g_autoptr(JsonObject) fields = NULL;

          get_view (log, seq, &view);
          if (view.kind != SONDE_ENTRY_RECONNECT)
            continue;
          fields = sonde_test_entry_fields (&view);
          if (json_object_has_member (fields, "policy_delay_ms"))
            {
              raised = TRUE;
              g_assert_cmpint (json_object_get_int_member (fields, "policy_delay_ms"), ==, 0);
              g_assert_cmpint (json_object_get_int_member (fields, "delay_ms"), >=, 1000);
              g_assert_cmpint (json_object_get_int_member (fields, "empty_attempts"), >=, 1);
            }
        }
      g_assert_true (raised);

      sonde_connection_stop (SONDE_CONNECTION (client));
      g_clear_object (&client);
      sonde_test_raw_server_free (bound.server);
    }
}

/* `attempts=3` counts reconnects that delivered nothing: a server that
 * accepts and hangs up gets four connections, then the policy gives up. */
static void
test_attempts_count_empty (void)
{
  SondeTestRawServer *server = sonde_test_raw_server_new (
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n", -1);
  g_autoptr(SondeSseClient) client = start_raw_client (server, "backoff:initial=10,cap=40,attempts=3", 0);

  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
  g_assert_cmpuint (sonde_test_raw_server_get_n_connections (server), ==, 4);
  g_assert_nonnull (strstr (sonde_connection_get_error (SONDE_CONNECTION (client))->message,
                            "Gave up after 3"));

  g_clear_object (&client);
  sonde_test_raw_server_free (server);
}

typedef struct
{
  SoupServer *server;
  char       *base;
  char       *target;     /* where /away and /here send the client */
  GPtrArray  *seen;       /* SoupMessageHeaders of each request that reached /events */
} Hop;

static void
hop_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Hop *hop = user_data;
  static const char body[] = "data: arrived\n\n";

  if (g_str_equal (path, "/away") || g_str_equal (path, "/here"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, hop->target);
      return;
    }

  g_ptr_array_add (hop->seen, soup_message_headers_ref (soup_server_message_get_request_headers (msg)));
  respond_stream (msg, body, strlen (body));
}

static void
hop_init (Hop *hop)
{
  hop->server = sonde_test_server_new (&hop->base);
  hop->seen = g_ptr_array_new_with_free_func ((GDestroyNotify)soup_message_headers_unref);
  soup_server_add_handler (hop->server, NULL, hop_handler, hop, NULL);
}

static void
hop_clear (Hop *hop)
{
  soup_server_disconnect (hop->server);
  g_object_unref (hop->server);
  g_ptr_array_unref (hop->seen);
  g_free (hop->base);
  g_free (hop->target);
}

static void
follow (const char *url)
{
  g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);
  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };

  sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
  sonde_connection_add_header (SONDE_CONNECTION (client), "Cookie", "session=secret");
  sonde_connection_add_header (SONDE_CONNECTION (client), "Authorization", "Bearer secret");
  sonde_connection_add_header (SONDE_CONNECTION (client), "Proxy-Authorization", "Basic secret");
  sonde_connection_add_header (SONDE_CONNECTION (client), "X-Harmless", "kept");
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_event_log_get_n_received (sonde_connection_get_log (SONDE_CONNECTION (client))),
                   ==, 1);
}

/* A redirect to another origin (here another port) leaves the user's
 * cookies and authorization behind, as curl does; one to the same origin
 * keeps them. */
static void
test_redirect_credentials (void)
{
  Hop origin = { 0 };
  Hop elsewhere = { 0 };
  g_autofree char *away = NULL;
  g_autofree char *here = NULL;
  SoupMessageHeaders *seen;

  hop_init (&origin);
  hop_init (&elsewhere);
  origin.target = g_strconcat (elsewhere.base, "/events", NULL);
  away = g_strconcat (origin.base, "/away", NULL);
  follow (away);
  g_assert_cmpuint (elsewhere.seen->len, ==, 1);
  seen = g_ptr_array_index (elsewhere.seen, 0);
  g_assert_null (soup_message_headers_get_one (seen, "Cookie"));
  g_assert_null (soup_message_headers_get_one (seen, "Authorization"));
  g_assert_null (soup_message_headers_get_one (seen, "Proxy-Authorization"));
  g_assert_cmpstr (soup_message_headers_get_one (seen, "X-Harmless"), ==, "kept");

  g_free (origin.target);
  origin.target = g_strdup ("/events");
  here = g_strconcat (origin.base, "/here", NULL);
  follow (here);
  g_assert_cmpuint (origin.seen->len, ==, 1);
  seen = g_ptr_array_index (origin.seen, 0);
  g_assert_cmpstr (soup_message_headers_get_one (seen, "Cookie"), ==, "session=secret");
  g_assert_cmpstr (soup_message_headers_get_one (seen, "Authorization"), ==, "Bearer secret");

  hop_clear (&origin);
  hop_clear (&elsewhere);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/sse-client/create-destroy", test_create_destroy);
  g_test_add ("/sonde/sse-client/resume", Fixture, NULL, fixture_set_up, test_resume, fixture_tear_down);
  g_test_add ("/sonde/sse-client/status-500", Fixture, NULL, fixture_set_up, test_status_500, fixture_tear_down);
  g_test_add ("/sonde/sse-client/wrong-content-type", Fixture, NULL, fixture_set_up, test_wrong_content_type, fixture_tear_down);
  g_test_add ("/sonde/sse-client/204-stops", Fixture, NULL, fixture_set_up, test_204_stops, fixture_tear_down);
  g_test_add ("/sonde/sse-client/gzip", Fixture, NULL, fixture_set_up, test_gzip, fixture_tear_down);
  g_test_add ("/sonde/sse-client/redirect", Fixture, NULL, fixture_set_up, test_redirect, fixture_tear_down);
  g_test_add ("/sonde/sse-client/backoff", Fixture, NULL, fixture_set_up, test_backoff, fixture_tear_down);
  g_test_add ("/sonde/sse-client/stop", Fixture, NULL, fixture_set_up, test_stop, fixture_tear_down);
  g_test_add_func ("/sonde/sse-client/redirect-credentials", test_redirect_credentials);
  g_test_add_func ("/sonde/sse-client/timeout", test_timeout);
  g_test_add_func ("/sonde/sse-client/no-hammering", test_no_hammering);
  g_test_add_func ("/sonde/sse-client/attempts-count-empty", test_attempts_count_empty);

  return g_test_run ();
}

/* test-side-request.c: HTTP requests beside a stream, their `request` entries, recordings and dump
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-entry.h"
#include "sonde-entry-text.h"
#include "sonde-error.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"
#include "sonde-session.h"
#include "sonde-side-request.h"
#include "sonde-worker.h"
#include "sonde-test-util.h"
#include "sonde-timeline-summary.h"

#define WAIT_MS 20000

/* A recording the mock server loops: one event every 50 ms. */
static SondeEventLog *
make_recording (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  for (guint i = 1; i <= 20; i++)
    {
      g_autofree char *raw = g_strdup_printf ("id: %u\ndata: tick %u\n\n", i, i);
      g_autofree char *id = g_strdup_printf ("%u", i);

      sonde_event_log_append (log, i * 50000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, strlen (id),
                              NULL, 0, (const guint8 *)raw, strlen (raw));
    }
  return log;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint64   seq;
  GError   *error;
} RequestResult;

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RequestResult *r = user_data;

  r->ok = sonde_session_send_request_finish (SONDE_SESSION (object), result, &r->seq, &r->error);
  r->done = TRUE;
}

static gboolean
request_is_done (gpointer data)
{
  return ((RequestResult *)data)->done;
}

/* The first SSE entry at or after @from whose data is @data, or G_MAXUINT64. */
static guint64
find_event (SondeEventLog *log,
            guint64        from,
            const char    *data)
{
  for (guint64 seq = from; seq < sonde_event_log_get_n_entries (log); seq++)
    {
      SondeEntryView view;
      g_autofree char *text = NULL;
      gsize len;

      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      if (view.kind != SONDE_ENTRY_SSE)
        continue;
      text = sonde_entry_view_dup_data (&view, &len, NULL);
      if (text != NULL && strcmp (text, data) == 0)
        return seq;
    }
  return G_MAXUINT64;
}

typedef struct
{
  SondeEventLog *log;
  const char    *data;
} EventWant;

static gboolean
has_event (gpointer data)
{
  EventWant *want = data;

  return find_event (want->log, 0, want->data) != G_MAXUINT64;
}

/* Checking what people type */

static void
test_check (void)
{
  static const struct
  {
    const char *method;
    const char *url;
    const char *name;
    const char *value;
    int         code;   /* -1: fine */
  } cases[] = {
    { "POST", "http://127.0.0.1:8080/publish", "Content-Type", "application/json", -1 },
    { "PATCH", "https://example.org/x?y=1", NULL, NULL, -1 },
    { "", "http://127.0.0.1/", NULL, NULL, SONDE_ERROR_INVALID_INPUT },
    { "PO ST", "http://127.0.0.1/", NULL, NULL, SONDE_ERROR_INVALID_INPUT },
    { "POST", "ws://127.0.0.1/", NULL, NULL, SONDE_ERROR_INVALID_URL },
    { "POST", "127.0.0.1:8080/publish", NULL, NULL, SONDE_ERROR_INVALID_URL },
    { "POST", "http:///publish", NULL, NULL, SONDE_ERROR_INVALID_URL },
    { "POST", "http://127.0.0.1/", "X Bad", "1", SONDE_ERROR_INVALID_INPUT },
    { "POST", "http://127.0.0.1/", "X-Good", "a\r\nInjected: 1", SONDE_ERROR_INVALID_INPUT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SondeSideRequest) request = sonde_side_request_new (cases[i].method, cases[i].url);
      g_autoptr(SondeSideRequest) copy = NULL;
      g_autoptr(GError) error = NULL;

      if (cases[i].name != NULL)
        sonde_side_request_add_header (request, cases[i].name, cases[i].value);
      copy = sonde_side_request_copy (request);
      g_assert_cmpstr (copy->url, ==, cases[i].url);
      g_assert_cmpuint (copy->header_names->len, ==, request->header_names->len);

      if (cases[i].code < 0)
        {
          g_assert_true (sonde_side_request_check (copy, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (sonde_side_request_check (copy, &error));
          g_assert_error (error, SONDE_ERROR, cases[i].code);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }
}

static void
test_default_url (void)
{
  static const char * const cases[][2] = {
    { "http://127.0.0.1:8080/sse?x=1#y", "http://127.0.0.1:8080/" },
    { "https://example.org/events", "https://example.org/" },
    { "ws://localhost:9000/ws", "http://localhost:9000/" },
    { "wss://example.org/socket", "https://example.org/" },
    { "http://[::1]:8080/sse", "http://[::1]:8080/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = sonde_side_request_default_url (cases[i][0]);

      g_assert_cmpstr (url, ==, cases[i][1]);
    }
  g_assert_null (sonde_side_request_default_url ("not a url"));
}

/* Against the mock server */

/* POST /publish beside an SSE stream: the exchange is an `out` entry with
 * the request and the response, and the published event arrives on the
 * stream the session reads. */
static void
test_publish (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "loop", TRUE, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autofree char *publish_url = sonde_mock_server_get_url (server, "http", "/publish");
  g_autoptr(SondeSideRequest) request = sonde_side_request_new ("POST", publish_url);
  g_autoptr(GBytes) body = g_bytes_new_static ("héllo from the side",
                                               strlen ("héllo from the side"));
  g_autoptr(JsonObject) fields = NULL;
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);
  RequestResult result = { 0 };
  EventWant want = { log, "héllo from the side" };
  SondeEntryView view;
  g_autofree char *data = NULL;
  char text[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  gsize len;

  /* Not running: nothing can be logged, said at once. */
  sonde_side_request_set_body (request, body);
  sonde_side_request_add_header (request, "X-Sonde-Test", "side");
  sonde_session_send_request_async (session, request, NULL, request_done_cb, &result);
  g_assert_true (sonde_test_wait_until (request_is_done, &result, WAIT_MS));
  g_assert_false (result.ok);
  g_assert_error (result.error, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (result.seq, ==, G_MAXUINT64);
  g_clear_error (&result.error);
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, 0);

  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));

  result = (RequestResult) { 0 };
  sonde_session_send_request_async (session, request, NULL, request_done_cb, &result);
  g_assert_true (sonde_test_wait_until (request_is_done, &result, WAIT_MS));
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_true (sonde_test_wait_until (has_event, &want, WAIT_MS));
  sonde_event_log_flush_notify (log);

  g_assert_true (sonde_event_log_get_view (log, result.seq, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_REQUEST);
  g_assert_cmpint (view.direction, ==, SONDE_DIRECTION_OUT);
  g_assert_cmpuint (view.raw_len, ==, 0);
  g_assert_cmpint (sonde_entry_view_get_category (&view), ==, SONDE_ENTRY_CATEGORY_DATA);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpstr (json_object_get_string_member (fields, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (fields, "url"), ==, publish_url);
  g_assert_cmpstr (json_object_get_string_member (fields, "request"), ==,
                   "POST /publish HTTP/1.1");
  g_assert_cmpstr (json_object_get_string_member (fields, "request_body"), ==,
                   "héllo from the side");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (fields, "request_headers"), "X-Sonde-Test"),
                   ==, "side");
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, SOUP_STATUS_ACCEPTED);
  g_assert_cmpstr (json_object_get_string_member (fields, "body"), ==, "{\"clients\":1}\n");
  g_assert_cmpint (json_object_get_int_member (fields, "body_size"), ==, 14);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (fields, "headers"), "Content-Type"),
                   ==, "application/json");
  g_assert_cmpfloat (json_object_get_double_member (fields, "rtt_ms"), >, 0.0);

  /* The payload is the response body; the list reads method and status. */
  data = sonde_entry_view_dup_data (&view, &len, NULL);
  g_assert_cmpstr (data, ==, "{\"clients\":1}\n");
  sonde_entry_text_format_type (&view, text, sizeof text);
  g_assert_cmpstr (text, ==, "POST");
  sonde_entry_text_format_size (&view, text, sizeof text);
  g_assert_cmpstr (text, ==, "14 B");
  sonde_entry_text_format_preview (&view, text, sizeof text);
  g_assert_true (g_str_has_prefix (text, "POST http://127.0.0.1:"));
  g_assert_nonnull (strstr (text, "/publish → 202 Accepted · "));
  g_assert_cmpstr (sonde_entry_kind_to_string (view.kind), ==, "request");

  g_assert_finalize_object (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

/* A port nobody listens on: the request fails, the entry says why and is a
 * problem, and the caller hears the same. */
static void
test_refused (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "loop", TRUE, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autoptr(SondeSideRequest) request = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  g_autofree char *closed_url = NULL;
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);
  RequestResult result = { 0 };
  SondeEntryView view;
  guint16 port;

  /* A port that was free a moment ago and is closed now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_socket_close (socket, NULL);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u/publish", port);

  request = sonde_side_request_new ("PUT", closed_url);
  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_session_send_request_async (session, request, NULL, request_done_cb, &result);
  g_assert_true (sonde_test_wait_until (request_is_done, &result, WAIT_MS));
  g_assert_false (result.ok);
  g_assert_nonnull (result.error);
  g_assert_cmpuint (result.seq, !=, G_MAXUINT64);

  g_assert_true (sonde_event_log_get_view (log, result.seq, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_REQUEST);
  g_assert_cmpint (sonde_entry_view_get_category (&view), ==, SONDE_ENTRY_CATEGORY_PROBLEM);
  fields = sonde_test_entry_fields (&view);
  g_assert_false (json_object_has_member (fields, "status"));
  g_assert_cmpstr (json_object_get_string_member (fields, "message"), ==, result.error->message);
  g_assert_null (sonde_entry_view_dup_data (&view, NULL, NULL));
  g_clear_error (&result.error);

  g_assert_finalize_object (session);
}

/* A request to the stream itself never ends: the time limit stops it, and
 * the entry keeps the part of the body that came. */
static void
test_time_limit (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "loop", TRUE, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autoptr(SondeSideRequest) request = sonde_side_request_new ("GET", url);
  g_autoptr(JsonObject) fields = NULL;
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);
  RequestResult result = { 0 };
  SondeEntryView view;

  request->timeout_ms = 600;
  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_session_send_request_async (session, request, NULL, request_done_cb, &result);
  g_assert_true (sonde_test_wait_until (request_is_done, &result, WAIT_MS));
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  g_assert_true (sonde_event_log_get_view (log, result.seq, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 200);
  g_assert_true (json_object_get_boolean_member (fields, "body_truncated"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (fields, "body"), "id: "));
  g_assert_cmpfloat (json_object_get_double_member (fields, "rtt_ms"), >=, 600.0);

  g_assert_finalize_object (session);
}

/* A server that takes the request and never answers. */
static void
silent_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  guint *n_requests = user_data;

  (*n_requests)++;
  soup_server_message_pause (msg);
}

static gboolean
has_requests (gpointer data)
{
  return *(guint *)data > 0;
}

/* Stopping the session while a request waits: the request ends at once,
 * with its entry, and the thread goes. */
static void
test_stop_while_waiting (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "loop", TRUE, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autofree char *silent_url = NULL;
  g_autoptr(SoupServer) silent = sonde_test_server_new (&silent_url);
  g_autofree char *side_url = NULL;
  g_autoptr(SondeSideRequest) request = NULL;
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);
  RequestResult result = { 0 };
  SondeEntryView view;
  guint n_requests = 0;

  soup_server_add_handler (silent, "/slow", silent_handler, &n_requests, NULL);
  side_url = g_strdup_printf ("%s/slow", silent_url);
  request = sonde_side_request_new ("POST", side_url);

  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_session_send_request_async (session, request, NULL, request_done_cb, &result);
  g_assert_true (sonde_test_wait_until (has_requests, &n_requests, WAIT_MS));
  g_assert_false (result.done);

  sonde_session_stop (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
  g_assert_true (sonde_test_wait_until (request_is_done, &result, WAIT_MS));
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);
  g_assert_true (sonde_event_log_get_view (log, result.seq, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_REQUEST);

  g_assert_finalize_object (session);
}

/* Recordings */

static const char request_fields[] =
  "\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/publish\","
  "\"request\":\"POST /publish HTTP/1.1\",\"request_headers\":{\"X-A\":\"1\"},"
  "\"request_body\":\"ping\",\"status\":202,\"reason\":\"Accepted\","
  "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":\"{\\\"clients\\\":1}\\n\","
  "\"body_size\":14,\"rtt_ms\":3.250";

/* A `request` entry goes through the writer and the reader unchanged, and
 * `sonde dump` says what it was. */
static void
test_recording_round_trip (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-side-request-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "side.jsonl", NULL);
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  const char *failed = "\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/\","
                       "\"message\":\"Connection refused\","
                       "\"domain\":\"g-io-error-quark\",\"code\":39,\"rtt_ms\":0.500";
  SondeTestRun run = { 0 };
  const char *args[] = { NULL, NULL };
  SondeEntryView view;
  guint n = 0;

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1000, SONDE_DIRECTION_OUT, SONDE_ENTRY_REQUEST, NULL, 0,
                          request_fields, strlen (request_fields), NULL, 0);
  sonde_event_log_append (log, 2000, SONDE_DIRECTION_OUT, SONDE_ENTRY_REQUEST, NULL, 0,
                          failed, strlen (failed), NULL, 0);

  writer = sonde_recording_writer_new_for_path (path, &error);
  g_assert_no_error (error);
  sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_SSE, "http://127.0.0.1:9/sse",
                                       started);
  for (guint64 seq = 0; seq < 3; seq++)
    {
      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      sonde_recording_writer_write_entry (writer, &view);
    }
  g_assert_true (sonde_recording_writer_close (writer, &error));
  g_assert_no_error (error);

  reader = sonde_recording_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  while (sonde_recording_reader_next (reader, &view, &error))
    {
      SondeEntryView original;

      g_assert_true (sonde_event_log_get_view (log, n, &original));
      g_assert_cmpint (view.kind, ==, original.kind);
      g_assert_cmpint (view.direction, ==, original.direction);
      g_assert_cmpint (view.time_us, ==, original.time_us);
      g_assert_cmpmem (view.fields, view.fields_len, original.fields, original.fields_len);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_null (sonde_recording_reader_get_warning (reader));

  args[0] = path;
  g_assert_cmpint (sonde_test_run_sonde (&run, "dump", args), ==, 0);
  g_assert_nonnull (strstr (run.out, "→ request"));
  g_assert_nonnull (strstr (run.out,
                            "POST http://127.0.0.1:9/publish → 202 Accepted · 3.250 ms"));
  /* dump cuts a preview at its column's width: the time may not fit */
  g_assert_nonnull (strstr (run.out, "POST http://127.0.0.1:9/ → failed: Connection refused"));
  sonde_test_run_clear (&run);

  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* A side request's headers may carry the person's token: a recording
 * leaves its value out by default, as it does for the stream's own. */
static void
test_recording_credentials (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-side-request-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "side.jsonl", NULL);
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  g_autofree char *contents = NULL;
  const char *fields = "\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/publish\","
                       "\"request_headers\":{\"Authorization\":\"Bearer s3cret\"},"
                       "\"status\":200,\"headers\":{\"Set-Cookie\":\"sid=t0ken\"},\"rtt_ms\":1.0";
  SondeEntryView view;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_OUT, SONDE_ENTRY_REQUEST, NULL, 0,
                          fields, strlen (fields), NULL, 0);
  writer = sonde_recording_writer_new_for_path (path, &error);
  g_assert_no_error (error);
  sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_SSE, "http://127.0.0.1:9/sse",
                                       started);
  g_assert_true (sonde_event_log_get_view (log, 0, &view));
  sonde_recording_writer_write_entry (writer, &view);
  g_assert_true (sonde_recording_writer_close (writer, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (contents, "s3cret"));
  g_assert_null (strstr (contents, "t0ken"));
  g_assert_nonnull (strstr (contents, "\"Authorization\":\"[removed by Sonde]\""));
  g_assert_nonnull (strstr (contents, "\"status\":200"));

  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* A request sent while the stream waits to reconnect is no sign that the
 * stream is open again: the timeline's band stays waiting. */
static void
test_timeline_band (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  const char *reconnect = "\"delay_ms\":5000,\"attempt\":1";
  const char *closed = "\"message\":\"The server closed the stream\"";
  const SondeTimelineSegment *segments;
  guint n_segments;

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL, 0,
                          closed, strlen (closed), NULL, 0);
  sonde_event_log_append (log, 1000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL, 0,
                          reconnect, strlen (reconnect), NULL, 0);
  sonde_event_log_append (log, 2000, SONDE_DIRECTION_OUT, SONDE_ENTRY_REQUEST, NULL, 0,
                          request_fields, strlen (request_fields), NULL, 0);
  g_assert_cmpuint (sonde_timeline_summary_sync (summary), ==, 4);

  segments = sonde_timeline_summary_get_segments (summary, &n_segments);
  g_assert_cmpuint (n_segments, >=, 2);
  g_assert_cmpint (segments[n_segments - 1].state, ==, SONDE_CONNECTION_WAITING);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/side-request/check", test_check);
  g_test_add_func ("/sonde/side-request/default-url", test_default_url);
  g_test_add_func ("/sonde/side-request/publish", test_publish);
  g_test_add_func ("/sonde/side-request/refused", test_refused);
  g_test_add_func ("/sonde/side-request/time-limit", test_time_limit);
  g_test_add_func ("/sonde/side-request/stop-while-waiting", test_stop_while_waiting);
  g_test_add_func ("/sonde/side-request/recording-round-trip", test_recording_round_trip);
  g_test_add_func ("/sonde/side-request/recording-credentials", test_recording_credentials);
  g_test_add_func ("/sonde/side-request/timeline-band", test_timeline_band);

  return g_test_run ();
}

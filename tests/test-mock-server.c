/* test-mock-server.c: the mock server replays, resumes and misbehaves on request, on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-mock-server.h"
#include "sonde-mock-server-private.h"
#include "sonde-poll-client.h"
#include "sonde-poll-format.h"
#include "sonde-sse-client.h"
#include "sonde-stamp.h"
#include "sonde-test-util.h"
#include "sonde-ws-client.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

#define N_EVENTS 12

static gboolean
connection_ended (gpointer data)
{
  SondeConnectionState state = sonde_connection_get_state (data);

  return state == SONDE_CONNECTION_CLOSED || state == SONDE_CONNECTION_FAILED;
}

/* A recording of an SSE session: a retry, a comment, events with types and ids (one without). */
static SondeEventLog *
make_recording (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":2500", 9, NULL, 0);
  sonde_event_log_append (log, 2000, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, 0, NULL, 0,
                          (const guint8 *)": heartbeat\n", 12);
  for (guint i = 1; i <= N_EVENTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("ev-%u", i);
      g_autofree char *raw = NULL;

      if (i == 5)
        raw = g_strdup_printf ("data: no id here, line one\ndata: line two\n\n");
      else
        raw = g_strdup_printf ("event: %s\nid: %s\ndata: {\"n\":%u}\n\n", i % 2 ? "tick" : "tock", id, i);
      /* The recorded id of the block without an id line is the previous one's. */
      if (i == 5)
        {
          g_free (id);
          id = g_strdup ("ev-4");
        }
      sonde_event_log_append (log, 2000 + i * 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id,
                              strlen (id), NULL, 0, (const guint8 *)raw, strlen (raw));
    }

  return log;
}

/* The faults by the names `sonde serve` gives them on its command line. */
static const struct
{
  const char *name;
  GType       type;
  gsize       offset;
} fault_fields[] = {
  { "drop-after", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, drop_after) },
  { "drop-every", G_TYPE_DOUBLE, G_STRUCT_OFFSET (SondeMockFaults, drop_every) },
  { "stall-after", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, stall_after) },
  { "stall", G_TYPE_DOUBLE, G_STRUCT_OFFSET (SondeMockFaults, stall) },
  { "close-after", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, close_after) },
  { "close-code", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, close_code) },
  { "close-reason", G_TYPE_STRING, G_STRUCT_OFFSET (SondeMockFaults, close_reason) },
  { "retry", G_TYPE_INT, G_STRUCT_OFFSET (SondeMockFaults, retry) },
  { "sse-status", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, sse_status) },
  { "sse-content-type", G_TYPE_STRING, G_STRUCT_OFFSET (SondeMockFaults, sse_content_type) },
  { "ws-refuse", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, ws_refuse) },
  { "broken", G_TYPE_INT, G_STRUCT_OFFSET (SondeMockFaults, broken) },
  { "broken-after", G_TYPE_UINT, G_STRUCT_OFFSET (SondeMockFaults, broken_after) },
};

/* A server at speed 0; then each NAME, VALUE pair sets a property of the
 * server or one of its faults. */
static SondeMockServer *
start_server (SondeEventLog *recording,
              const char    *first_name,
              ...)
{
  SondeMockServer *server = sonde_mock_server_new (recording);
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  g_object_set (server, "speed", 0.0, NULL);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      guint i;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (server), name) != NULL)
        {
          /* Only doubles among the properties tests set this way. */
          g_object_set (server, name, va_arg (args, double), NULL);
          continue;
        }
      for (i = 0; i < G_N_ELEMENTS (fault_fields) && !g_str_equal (fault_fields[i].name, name); i++)
        ;
      g_assert_cmpuint (i, <, G_N_ELEMENTS (fault_fields));
      switch (fault_fields[i].type)
        {
        case G_TYPE_UINT:
          G_STRUCT_MEMBER (guint, faults, fault_fields[i].offset) = va_arg (args, guint);
          break;
        case G_TYPE_INT:
          G_STRUCT_MEMBER (int, faults, fault_fields[i].offset) = va_arg (args, int);
          break;
        case G_TYPE_DOUBLE:
          G_STRUCT_MEMBER (double, faults, fault_fields[i].offset) = va_arg (args, double);
          break;
        case G_TYPE_STRING:
          g_free (G_STRUCT_MEMBER (char *, faults, fault_fields[i].offset));
          G_STRUCT_MEMBER (char *, faults, fault_fields[i].offset) = g_strdup (va_arg (args, const char *));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);

  g_assert_true (sonde_mock_server_set_faults (server, faults, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_mock_faults_equal (sonde_mock_server_get_faults (server), faults));
  g_assert_true (sonde_mock_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_mock_server_get_port (server), >, 0);

  return server;
}

/* The data of every `sse` entry, joined with "|". */
static char *
sse_datas (SondeEventLog *log,
           GString       *ids)
{
  GString *out = g_string_new (NULL);

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;

      sonde_event_log_get_view (log, i, &view);
      if (view.kind != SONDE_ENTRY_SSE)
        continue;
      data = sonde_entry_view_dup_data (&view, NULL, NULL);
      g_string_append_printf (out, "%s|", data);
      if (ids != NULL)
        g_string_append_printf (ids, "%.*s|", (int)view.id_len, view.id);
    }

  return g_string_free (out, FALSE);
}

static char *
expected_datas (void)
{
  GString *out = g_string_new (NULL);

  for (guint i = 1; i <= N_EVENTS; i++)
    {
      if (i == 5)
        g_string_append (out, "no id here, line one\nline two|");
      else
        g_string_append_printf (out, "{\"n\":%u}|", i);
    }

  return g_string_free (out, FALSE);
}

static gboolean one_client (gpointer data);

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
test_create_destroy (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  SondeMockServer *server = sonde_mock_server_new (recording);
  g_autoptr(SondeMockFaults) faults = NULL;
  g_autoptr(SondeMockFaults) copy = NULL;
  g_autoptr(GError) error = NULL;
  double speed;
  guint notified = 0;

  g_object_get (server, "speed", &speed, "faults", &faults, NULL);
  g_assert_cmpfloat (speed, ==, 1.0);
  g_assert_cmpint (faults->retry, ==, -1);
  g_assert_cmpuint (faults->broken_after, ==, 1);
  g_assert_cmpint (faults->broken, ==, SONDE_MOCK_BROKEN_NONE);

  /* The faults are one value: copied whole, notified only when they change. */
  g_signal_connect (server, "notify::faults", G_CALLBACK (count_notify_cb), &notified);
  g_assert_true (sonde_mock_server_set_faults (server, faults, &error));
  g_assert_cmpuint (notified, ==, 0);
  faults->drop_after = 7;
  g_assert_true (sonde_mock_faults_set_close_reason (faults, "bye", &error));
  g_assert_no_error (error);
  copy = sonde_mock_faults_copy (faults);
  g_assert_true (sonde_mock_faults_equal (copy, faults));
  g_object_set (server, "faults", copy, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (server, "faults", copy, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (sonde_mock_server_get_faults (server)->drop_after, ==, 7);
  g_assert_cmpstr (sonde_mock_server_get_faults (server)->close_reason, ==, "bye");
  g_assert_true (sonde_mock_server_get_faults (server) != copy);
  copy->close_code = 5000;
  g_assert_false (sonde_mock_faults_equal (copy, faults));
  g_assert_false (sonde_mock_server_set_faults (server, copy, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "close-code"));
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (server, "faults", NULL, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (sonde_mock_server_get_faults (server)->drop_after, ==, 0);

  g_assert_finalize_object (server);
}

/* What cannot go on the wire is refused where it is set: a content type
 * with a line break (libsoup dropped the header with a critical), a close
 * reason past 123 bytes; and again where the whole faults are taken. */
static void
test_faults_refused (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_mock_server_new (recording);
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  g_autofree char *long_reason = g_strnfill (124, 'r');
  g_autofree char *longest_reason = g_strnfill (123, 'r');
  static const char * const bad_types[] = {
    "text/event-stream\r\nX-Injected: yes", "text/plain\n", "text/\rplain", "a\x01b", "a\x7f",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_types); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sonde_mock_faults_set_sse_content_type (faults, bad_types[i], &error));
      g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==,
                       "A content type cannot hold a line break or another control character");
      g_assert_null (faults->sse_content_type);
    }
  g_assert_true (sonde_mock_faults_set_sse_content_type (faults, "text/plain;\tcharset=x", NULL));
  g_assert_cmpstr (faults->sse_content_type, ==, "text/plain;\tcharset=x");

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sonde_mock_faults_set_close_reason (faults, long_reason, &error));
    g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
    g_assert_false (sonde_mock_faults_set_close_reason (faults, "\xff", NULL));
    g_assert_true (sonde_mock_faults_set_close_reason (faults, longest_reason, NULL));
  }

  /* Set without the setter: the server refuses the whole. */
  {
    g_autoptr(GError) error = NULL;

    g_free (faults->sse_content_type);
    faults->sse_content_type = g_strdup ("text/event-stream\r\nSet-Cookie: x=1");
    g_assert_false (sonde_mock_server_set_faults (server, faults, &error));
    g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
    g_assert_null (sonde_mock_server_get_faults (server)->sse_content_type);
  }
}

/* Faults set while the server runs apply to what comes next. */
static void
test_faults_while_running (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, "speed", 0.001, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
  g_autoptr(SondeWsClient) first = sonde_ws_client_new (url, NULL);
  g_autoptr(SondeWsClient) second = sonde_ws_client_new (url, NULL);
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_copy (sonde_mock_server_get_faults (server));
  g_autoptr(GError) error = NULL;

  sonde_connection_start (SONDE_CONNECTION (first));
  g_assert_true (sonde_test_wait_until (one_client, server, 10000));

  faults->ws_refuse = 403;
  g_assert_true (sonde_mock_server_set_faults (server, faults, &error));
  sonde_connection_start (SONDE_CONNECTION (second));
  g_assert_true (sonde_test_wait_until (connection_ended, second, 10000));
  g_assert_nonnull (strstr (sonde_connection_get_error (SONDE_CONNECTION (second))->message, "403"));
  /* The first is still there, still open. */
  g_assert_cmpuint (sonde_mock_server_get_n_clients (server), ==, 1);
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (first)), ==, SONDE_CONNECTION_OPEN);

  sonde_connection_stop (SONDE_CONNECTION (first));
  sonde_mock_server_stop (server);
}

static void
test_sse_replay (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);
  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *datas = NULL;
  g_autofree char *expected = expected_datas ();

  g_assert_cmpuint (sonde_mock_server_get_n_items (server), ==, N_EVENTS + 2);
  sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));

  datas = sse_datas (log, ids);
  g_assert_cmpstr (datas, ==, expected);
  /* Recorded ids kept; the event that set none gets its position instead. */
  g_assert_true (g_str_has_prefix (ids->str, "ev-1|ev-2|ev-3|ev-4|6|ev-6|"));
  g_assert_cmpuint (sonde_sse_client_get_reconnection_time (client), ==, 2500);
  sonde_mock_server_stop (server);
}

/* The data of every text a WebSocket client received, in order. */
static GPtrArray *
incoming_texts (SondeEventLog *log)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      if (view.kind == SONDE_ENTRY_TEXT && view.direction == SONDE_DIRECTION_IN)
        g_ptr_array_add (texts, sonde_entry_view_dup_data (&view, NULL, NULL));
    }
  return texts;
}

static void
test_ws_replay (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autoptr(GPtrArray) texts = NULL;

  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  /* The end of the recording is a normal close. */
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

  texts = incoming_texts (log);
  g_assert_cmpuint (texts->len, ==, N_EVENTS);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==,
                   "{\"event\":\"tick\",\"id\":\"ev-1\",\"data\":\"{\\\"n\\\":1}\"}");
  sonde_mock_server_stop (server);
}

typedef struct
{
  SondeEventLog *log;
  guint          wanted;
} CountWait;

static guint
count_kind (SondeEventLog  *log,
            SondeEntryKind  kind,
            SondeDirection  direction)
{
  guint n = 0;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      n += view.kind == kind && view.direction == direction;
    }
  return n;
}

static gboolean
has_texts (gpointer data)
{
  CountWait *wait = data;

  return count_kind (wait->log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN) >= wait->wanted;
}

static gboolean
has_all_events (gpointer data)
{
  CountWait *wait = data;

  return count_kind (wait->log, SONDE_ENTRY_SSE, SONDE_DIRECTION_IN) >= wait->wanted;
}

/* Drops after every third event; the client resumes with Last-Event-ID and
 * gets every event exactly once. */
static void
test_sse_drop_resume (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, "drop-after", 3, "retry", 20, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autofree char *expected = expected_datas ();
  g_autofree char *datas = NULL;
  CountWait wait = { log, N_EVENTS };

  /* The spec policy: `retry: 20` from the server sets the wait. */
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (has_all_events, &wait, 10000));
  sonde_test_spin (100);
  sonde_connection_stop (SONDE_CONNECTION (client));

  datas = sse_datas (log, NULL);
  g_assert_cmpstr (datas, ==, expected);
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL), >=, 3);
  sonde_mock_server_stop (server);
}

/* The same over WebSocket, resuming with ?last_id= from the ids in the JSON messages. */
static void
test_ws_drop_resume (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, "drop-after", 4, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  SondeReconnectPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GString) wanted = g_string_new (NULL);

  g_assert_true (sonde_reconnect_policy_parse ("fixed:20", &policy, &error));
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_ws_client_set_resume (client, NULL, "id", "last_id");
  sonde_connection_start (SONDE_CONNECTION (client));
  /* Abnormal drops reconnect; the normal close at the end of the recording does not. */
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;

      sonde_event_log_get_view (log, i, &view);
      if (view.kind == SONDE_ENTRY_TEXT && view.direction == SONDE_DIRECTION_IN)
        {
          data = sonde_entry_view_dup_data (&view, NULL, NULL);
          g_string_append_printf (seen, "%s\n", strstr (data, "\"data\":"));
        }
    }
  for (guint i = 1; i <= N_EVENTS; i++)
    {
      if (i == 5)
        g_string_append (wanted, "\"data\":\"no id here, line one\\nline two\"}\n");
      else
        g_string_append_printf (wanted, "\"data\":\"{\\\"n\\\":%u}\"}\n", i);
    }
  g_assert_cmpstr (seen->str, ==, wanted->str);
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL), ==, 3);
  sonde_mock_server_stop (server);
}

/* And by message: the client says `{"last_id": …}` after each open. */
static void
test_ws_drop_resume_message (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, "drop-after", 5, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
  g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  SondeReconnectPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_true (sonde_reconnect_policy_parse ("fixed:20", &policy, &error));
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_ws_client_set_resume (client, "{\"last_id\":\"{{last_id}}\"}", "id", NULL);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;
      const char *id;

      sonde_event_log_get_view (log, i, &view);
      if (view.kind != SONDE_ENTRY_TEXT || view.direction != SONDE_DIRECTION_IN)
        continue;
      data = sonde_entry_view_dup_data (&view, NULL, NULL);
      id = strstr (data, "\"id\":\"") + 6;
      g_string_append_len (ids, id, strchr (id, '"') - id);
      g_string_append_c (ids, ' ');
    }
  /* Every event once; the resume messages went out after each reconnect. */
  g_assert_cmpstr (ids->str, ==, "ev-1 ev-2 ev-3 ev-4 6 ev-6 ev-7 ev-8 ev-9 ev-10 ev-11 ev-12 ");
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT), ==, 2);
  sonde_mock_server_stop (server);
}

static void
test_sse_status (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SondeMockServer) server = NULL;
      g_autoptr(SondeSseClient) client = NULL;
      g_autofree char *url = NULL;

      if (i == 0)
        server = start_server (recording, "sse-status", 204, NULL);
      else if (i == 1)
        server = start_server (recording, "sse-status", 500, NULL);
      else
        server = start_server (recording, "sse-content-type", "text/plain", NULL);
      url = sonde_mock_server_get_url (server, "http", "/sse");
      client = sonde_sse_client_new (url, NULL);
      sonde_connection_start (SONDE_CONNECTION (client));
      g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
      /* 204 stops cleanly; the others fail for good; none reconnects. */
      g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==,
                       i == 0 ? SONDE_CONNECTION_CLOSED : SONDE_CONNECTION_FAILED);
      g_assert_cmpuint (count_kind (sonde_connection_get_log (SONDE_CONNECTION (client)),
                                    SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL), ==, 0);
      sonde_mock_server_stop (server);
    }
}

static void
test_ws_refuse_and_close_code (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();

  {
    g_autoptr(SondeMockServer) server = start_server (recording, "ws-refuse", 403, NULL);
    g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
    g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);

    sonde_connection_start (SONDE_CONNECTION (client));
    g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
    g_assert_nonnull (strstr (sonde_connection_get_error (SONDE_CONNECTION (client))->message, "403"));
    sonde_mock_server_stop (server);
  }
  {
    g_autoptr(SondeMockServer) server = start_server (recording, "close-after", 2, "close-code", 4002,
                                                      "close-reason", "go away", NULL);
    g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
    g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
    SondeEventLog *log;
    SondeEntryView view;
    g_autoptr(JsonObject) fields = NULL;

    sonde_connection_start (SONDE_CONNECTION (client));
    g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
    log = sonde_connection_get_log (SONDE_CONNECTION (client));
    g_assert_cmpuint (count_kind (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN), ==, 2);
    g_assert_true (sonde_event_log_get_view (log, sonde_event_log_get_n_entries (log) - 1, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_CLOSED);
    fields = sonde_test_entry_fields (&view);
    g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, 4002);
    g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "go away");
    sonde_mock_server_stop (server);
  }
}

/* Each broken frame is reported by the client as the violation it is. */
static void
test_broken_frames (void)
{
  static const struct { const char *name; SondeWsViolation violation; } cases[] = {
    { "bad-utf8", SONDE_WS_VIOLATION_INVALID_UTF8 },
    { "reserved-opcode", SONDE_WS_VIOLATION_RESERVED_OPCODE },
    { "oversized-ping", SONDE_WS_VIOLATION_CONTROL_TOO_LONG },
  };
  g_autoptr(SondeEventLog) recording = make_recording ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SondeMockServer) server = NULL;
      g_autoptr(SondeWsClient) client = NULL;
      g_autofree char *url = NULL;
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", sonde_ws_violation_to_string (cases[i].violation));
      SondeMockBroken broken;
      SondeEventLog *log;
      gboolean found = FALSE;

      g_assert_true (sonde_mock_broken_from_string (cases[i].name, &broken));
      server = start_server (recording, "broken", broken, "broken-after", 2, NULL);
      url = sonde_mock_server_get_url (server, "ws", "/ws");
      client = sonde_ws_client_new (url, NULL);
      sonde_connection_start (SONDE_CONNECTION (client));
      g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
      log = sonde_connection_get_log (SONDE_CONNECTION (client));

      for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
        {
          SondeEntryView view;

          sonde_event_log_get_view (log, seq, &view);
          if (view.direction == SONDE_DIRECTION_IN && view.fields_len > 0 &&
              g_strstr_len (view.fields, (gssize)view.fields_len, quoted) != NULL)
            found = TRUE;
        }
      g_assert_true (found);
      sonde_mock_server_stop (server);
    }

  g_assert_false (sonde_mock_broken_from_string ("gentle", NULL));
}

static void
test_sse_broken_line (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, "broken", SONDE_MOCK_BROKEN_SSE_LINE,
                                                    "broken-after", 1, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);
  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  gboolean replaced = FALSE;

  sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));

  /* The invalid bytes arrive as U+FFFD, the bad retry is ignored, the stream goes on. */
  for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;

      sonde_event_log_get_view (log, seq, &view);
      if (view.kind != SONDE_ENTRY_SSE)
        continue;
      data = sonde_entry_view_dup_data (&view, NULL, NULL);
      replaced |= strstr (data, "\xef\xbf\xbd") != NULL;
    }
  g_assert_true (replaced);
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_SSE, SONDE_DIRECTION_IN), ==, N_EVENTS + 1);
  sonde_mock_server_stop (server);
}

/* A WebSocket client that talks: its own messages, pings, keepalive pings.
 * Each made libsoup write (an echo, a pong) bytes the replay did not count,
 * the replay's count of what was still unwritten went below zero, and the
 * replay stopped for good after the first of them. */
static void
test_ws_talking_client (void)
{
  g_autoptr(SondeEventLog) recording = sonde_event_log_new ();
  g_autoptr(SondeMockServer) server = NULL;
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SondeEventLog *log;
  CountWait some = { NULL, 20 };
  g_autoptr(GPtrArray) texts = NULL;
  guint n_replayed = 0;
  guint n_echoed = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *raw = g_strdup_printf ("id: %u\ndata: replayed %u\n\n", i, i);
      g_autofree char *id = g_strdup_printf ("%u", i);

      sonde_event_log_append (recording, i * 5000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, strlen (id),
                              NULL, 0, (const guint8 *)raw, strlen (raw));
    }
  server = start_server (recording, "speed", 1.0, NULL);
  url = sonde_mock_server_get_url (server, "ws", "/ws");
  client = sonde_ws_client_new (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  some.log = log;

  /* It talks at once, keeps alive every 20 ms, and talks again midway. */
  sonde_ws_client_add_open_message (client, "hello");
  sonde_ws_client_set_keepalive (client, 20);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (has_texts, &some, 10000));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) payload = g_bytes_new_static ("are you there", 13);

      g_assert_true (sonde_ws_client_send_text (client, "still here", &error));
      g_assert_no_error (error);
      g_assert_true (sonde_ws_client_ping (client, payload, &error));
      g_assert_no_error (error);
    }

  /* The whole recording, then the close that ends it. */
  g_assert_true (sonde_test_wait_until (connection_ended, client, 20000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
  texts = incoming_texts (log);
  for (guint i = 0; i < texts->len; i++)
    {
      const char *data = g_ptr_array_index (texts, i);

      if (strstr (data, "\"data\":\"replayed ") != NULL)
        n_replayed++;
      else if (g_str_equal (data, "hello") || g_str_equal (data, "still here"))
        n_echoed++;
    }
  g_assert_cmpuint (n_replayed, ==, 200);
  g_assert_cmpuint (n_echoed, ==, 6);
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN), >=, 5);
  sonde_mock_server_stop (server);
}

/* A resume message nested 100,000 deep overflowed json-glib's recursion:
 * the server died with SIGSEGV. It is no resume message: it is echoed, and
 * the replay goes on from the start. */
static void
test_ws_deep_resume_message (void)
{
  static const struct { const char *unit; const char *end; } deep[] = {
    { "[", "" },
    { "{\"a\":", "1" },
  };
  g_autoptr(SondeEventLog) recording = make_recording ();

  for (guint i = 0; i < G_N_ELEMENTS (deep); i++)
    {
      g_autoptr(SondeMockServer) server = start_server (recording, NULL);
      g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
      g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
      g_autofree char *message = sonde_test_repeat (deep[i].unit, 100000, deep[i].end);

      sonde_ws_client_add_open_message (client, message);
      sonde_ws_client_set_max_size (client, 1024 * 1024);
      sonde_connection_start (SONDE_CONNECTION (client));
      g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
      g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);
      g_assert_cmpuint (count_kind (sonde_connection_get_log (SONDE_CONNECTION (client)),
                                    SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN), ==, N_EVENTS + 1);
      sonde_mock_server_stop (server);
    }

  /* The parsing itself, as a fuzz target calls it. */
  {
    g_autofree char *message = sonde_test_repeat ("{\"last_id\":", 100000, "1");
    g_autofree char *id = NULL;

    g_assert_null (sonde_mock_parse_resume_message (message, strlen (message)));
    id = sonde_mock_parse_resume_message ("{\"last_id\": \"ev-3\"}", 19);
    g_assert_cmpstr (id, ==, "ev-3");
    g_clear_pointer (&id, g_free);
    id = sonde_mock_parse_resume_message ("{\"last_id\": 42}", 15);
    g_assert_cmpstr (id, ==, "42");
    g_assert_null (sonde_mock_parse_resume_message ("{\"last_id\": 1.5}", 16));
    g_assert_null (sonde_mock_parse_resume_message ("[\"last_id\"]", 11));
    /* json-glib reads this escape as bytes that are not UTF-8 (found by fuzz-mock-request). */
    g_assert_null (sonde_mock_parse_resume_message ("{\"last_id\": \"\\udc00x\"}", 21));
  }
}

typedef struct
{
  SoupSession *session;
  SoupMessage *message;
  GBytes      *body;
  gboolean     done;
} Request;

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;

  g_autoptr(GError) error = NULL;

  request->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  request->done = TRUE;
}

static gboolean
request_done (gpointer data)
{
  return ((Request *)data)->done;
}

static void
request_run (Request    *request,
             const char *method,
             const char *url,
             const char *body)
{
  request->done = FALSE;
  request->session = soup_session_new ();
  request->message = soup_message_new (method, url);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (request->message, "text/plain", bytes);
    }
  soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                "Origin", "http://some-other-site.test");
  soup_session_send_and_read_async (request->session, request->message, G_PRIORITY_DEFAULT, NULL,
                                    request_cb, request);
  g_assert_true (sonde_test_wait_until (request_done, request, 10000));
}

static void
request_clear (Request *request)
{
  g_clear_object (&request->message);
  g_clear_object (&request->session);
  g_clear_pointer (&request->body, g_bytes_unref);
}

static gboolean
has_publish (gpointer data)
{
  SondeEventLog *log = data;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      g_autofree char *text = NULL;

      sonde_event_log_get_view (log, i, &view);
      if (view.kind != SONDE_ENTRY_SSE && view.kind != SONDE_ENTRY_TEXT)
        continue;
      text = sonde_entry_view_dup_data (&view, NULL, NULL);
      if (g_strcmp0 (text, "hello everyone") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
one_client (gpointer data)
{
  return sonde_mock_server_get_n_clients (data) == 1;
}

static gboolean
two_clients (gpointer data)
{
  return sonde_mock_server_get_n_clients (data) == 2;
}

/* POST /publish reaches SSE and WebSocket clients alike; CORS lets any page in. */
static void
test_publish_and_cors (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, "speed", 0.001, NULL);
  g_autofree char *sse_url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autofree char *ws_url = sonde_mock_server_get_url (server, "ws", "/ws");
  g_autofree char *publish_url = sonde_mock_server_get_url (server, "http", "/publish");
  g_autoptr(SondeSseClient) sse = sonde_sse_client_new (sse_url, NULL);
  g_autoptr(SondeWsClient) ws = sonde_ws_client_new (ws_url, NULL);
  Request request = { 0 };

  sonde_connection_start (SONDE_CONNECTION (sse));
  sonde_connection_start (SONDE_CONNECTION (ws));
  g_assert_true (sonde_test_wait_until (two_clients, server, 10000));

  request_run (&request, "POST", publish_url, "hello everyone");
  g_assert_cmpuint (soup_message_get_status (request.message), ==, 202);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (request.message),
                                                 "Access-Control-Allow-Origin"), ==, "*");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (request.body, NULL), g_bytes_get_size (request.body),
                                  "\"clients\":2"));
  request_clear (&request);

  g_assert_true (sonde_test_wait_until (has_publish, sonde_connection_get_log (SONDE_CONNECTION (sse)), 10000));
  g_assert_true (sonde_test_wait_until (has_publish, sonde_connection_get_log (SONDE_CONNECTION (ws)), 10000));

  request_run (&request, "OPTIONS", sse_url, NULL);
  g_assert_cmpuint (soup_message_get_status (request.message), ==, 204);
  g_assert_nonnull (strstr (soup_message_headers_get_one (soup_message_get_response_headers (request.message),
                                                          "Access-Control-Allow-Headers"), "Last-Event-ID"));
  request_clear (&request);

  sonde_connection_stop (SONDE_CONNECTION (sse));
  sonde_connection_stop (SONDE_CONNECTION (ws));
  sonde_mock_server_stop (server);
}

static void
test_port_in_use (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) first = start_server (recording, NULL);
  g_autoptr(SondeMockServer) second = sonde_mock_server_new (recording);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", sonde_mock_server_get_port (first));

  g_object_set (second, "port", sonde_mock_server_get_port (first), NULL);
  g_assert_false (sonde_mock_server_start (second, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, port));
  g_clear_error (&error);

  g_object_set (second, "address", "not-an-address", NULL);
  g_assert_false (sonde_mock_server_start (second, &error));
  g_assert_nonnull (strstr (error->message, "not-an-address"));
  sonde_mock_server_stop (first);
}

/* Replay what a client recorded from the mock server, record it again: the same events. */
static void
test_round_trip (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeEventLog) first = NULL;
  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };
  g_autoptr(GString) ids1 = g_string_new (NULL);
  g_autoptr(GString) ids2 = g_string_new (NULL);
  g_autofree char *datas1 = NULL;
  g_autofree char *datas2 = NULL;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SondeMockServer) server = start_server (round == 0 ? recording : first, NULL);
      g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
      g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);

      sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
      sonde_connection_start (SONDE_CONNECTION (client));
      g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
      if (round == 0)
        {
          first = g_object_ref (sonde_connection_get_log (SONDE_CONNECTION (client)));
          datas1 = sse_datas (first, ids1);
        }
      else
        datas2 = sse_datas (sonde_connection_get_log (SONDE_CONNECTION (client)), ids2);
      sonde_mock_server_stop (server);
    }

  g_assert_cmpstr (datas1, ==, datas2);
  g_assert_cmpstr (ids1->str, ==, ids2->str);
}

/* ---- /poll, /echo and latency stamps ---- */

/* The payloads of every incoming message of @log, joined with "|"; binary ones as <hex>. */
static char *
payloads (SondeEventLog *log,
          gboolean       stamped,
          GArray        *positions)
{
  GString *out = g_string_new (NULL);

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      g_autofree guint8 *data = NULL;
      gsize len, skip = 0;
      gboolean binary;

      sonde_event_log_get_view (log, i, &view);
      data = sonde_stamp_entry_payload (&view, &len, &binary);
      if (data == NULL)
        continue;
      if (stamped)
        {
          guint32 position;
          gint64 sent_us;

          /* The stamp survived the transport, and its clock is this machine's. */
          g_assert_true (sonde_stamp_parse (data, len, &position, &sent_us));
          g_assert_cmpint (sent_us, <=, g_get_monotonic_time ());
          g_assert_cmpint (sent_us, >, g_get_monotonic_time () - 60 * G_USEC_PER_SEC);
          if (positions != NULL)
            g_array_append_val (positions, position);
          skip = SONDE_STAMP_LEN;
        }
      if (binary)
        {
          g_string_append_c (out, '<');
          for (gsize j = skip; j < len; j++)
            g_string_append_printf (out, "%02x", data[j]);
          g_string_append_c (out, '>');
        }
      else
        g_string_append_len (out, (const char *)data + skip, (gssize)(len - skip));
      g_string_append_c (out, '|');
    }

  return g_string_free (out, FALSE);
}

/* A WebSocket recording: texts and binary messages (one with every byte value). */
static SondeEventLog *
make_binary_recording (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GByteArray) frame = g_byte_array_new ();
      guint8 bytes[256];
      gsize len;

      if (i % 2 == 0)
        {
          g_autofree char *text = g_strdup_printf ("text %u", i);

          sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)text,
                                 strlen (text), FALSE);
        }
      else
        {
          len = i == 1 ? 256 : 3;
          for (gsize j = 0; j < len; j++)
            bytes[j] = (guint8)(j + i);
          sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, bytes, len, FALSE);
        }
      sonde_event_log_append (log, i * 1000, SONDE_DIRECTION_IN,
                              i % 2 == 0 ? SONDE_ENTRY_TEXT : SONDE_ENTRY_BINARY, NULL, 0, NULL, 0,
                              frame->data, frame->len);
    }
  return log;
}

static char *
expected_binary_payloads (void)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < 6; i++)
    {
      if (i % 2 == 0)
        g_string_append_printf (out, "text %u|", i);
      else
        {
          g_string_append_c (out, '<');
          for (guint j = 0; j < (i == 1 ? 256u : 3u); j++)
            g_string_append_printf (out, "%02x", (guint8)(j + i));
          g_string_append (out, ">|");
        }
    }
  return g_string_free (out, FALSE);
}

/* Every message over /poll, in order, with the end of the feed closing it. */
static void
test_poll_replay (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/poll");
  g_autoptr(SondePollClient) client = sonde_poll_client_new (url, NULL);
  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  g_autofree char *datas = NULL;
  g_autofree char *expected = expected_datas ();

  sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

  datas = payloads (log, FALSE, NULL);
  g_assert_cmpstr (datas, ==, expected);
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_OPEN, SONDE_DIRECTION_IN), ==, 1);
  /* The cursor counts every item, the retry and the comment too. */
  g_assert_cmpuint (sonde_poll_client_get_cursor (client), ==, N_EVENTS + 2);
  g_assert_cmpuint (sonde_poll_client_get_n_requests (client), >=, 2);
  sonde_mock_server_stop (server);
}

/* The cursor, the timeout, the end, and what a poll cannot ask. */
static void
test_poll_cursor (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, NULL);
  g_autoptr(SondeMockServer) slow = start_server (recording, "speed", 0.0001, NULL);
  g_autofree char *base = sonde_mock_server_get_url (server, "http", "/poll");
  g_autofree char *slow_base = sonde_mock_server_get_url (slow, "http", "/poll");
  g_autoptr(GError) error = NULL;
  Request request = { 0 };
  guint64 cursor = 0;
  gboolean end = FALSE;
  guint n = 0;
  static const char * const bad[] = { "?cursor=-1", "?cursor=x", "?cursor=1&timeout=1000",
                                      "?timeout=soon" };

  {
    g_autofree char *url = g_strdup_printf ("%s?cursor=10", base);

    request_run (&request, "GET", url, NULL);
    g_assert_cmpuint (soup_message_get_status (request.message), ==, 200);
    /* Items 10 to 13 are events 9 to 12. */
    g_assert_nonnull (strstr (g_bytes_get_data (request.body, NULL), "{\"event\":\"tick\",\"data\":\"{\\\"n\\\":9}\"}"));
    g_assert_nonnull (strstr (g_bytes_get_data (request.body, NULL), "\"cursor\":14"));
    request_clear (&request);
  }
  {
    g_autofree char *url = g_strdup_printf ("%s?cursor=14", base);

    request_run (&request, "GET", url, NULL);
    g_assert_true (sonde_poll_parse_answer (g_bytes_get_data (request.body, NULL),
                                            g_bytes_get_size (request.body), &cursor, &end, NULL,
                                            NULL, &error));
    g_assert_no_error (error);
    g_assert_true (end);
    g_assert_cmpuint (cursor, ==, 14);
    request_clear (&request);
  }
  {
    /* Nothing due yet: the poll waits its timeout out and answers with the same cursor. */
    g_autofree char *url = g_strdup_printf ("%s?cursor=3&timeout=0.2", slow_base);

    request_run (&request, "GET", url, NULL);
    g_assert_true (sonde_poll_parse_answer (g_bytes_get_data (request.body, NULL),
                                            g_bytes_get_size (request.body), &cursor, &end, NULL,
                                            NULL, &error));
    g_assert_no_error (error);
    g_assert_false (end);
    g_assert_cmpuint (cursor, ==, 3);
    g_assert_nonnull (strstr (g_bytes_get_data (request.body, NULL), "\"messages\":[]"));
    request_clear (&request);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *url = g_strdup_printf ("%s%s", base, bad[i]);

      request_run (&request, "GET", url, NULL);
      g_assert_cmpuint (soup_message_get_status (request.message), ==, 400);
      n++;
      request_clear (&request);
    }
  request_run (&request, "POST", base, "x");
  g_assert_cmpuint (soup_message_get_status (request.message), ==, 405);
  request_clear (&request);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (bad));

  sonde_mock_server_stop (server);
  sonde_mock_server_stop (slow);
}

/* drop-every hangs up on each poll connection; the cursor loses nothing and repeats nothing. */
static void
test_poll_drop_every (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  /* 14 items 1 ms apart at 0.01x: 1.4 s, dropped every 0.3 s. */
  g_autoptr(SondeMockServer) server = start_server (recording, "speed", 0.01, "drop-every", 0.3,
                                                    NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/poll");
  g_autoptr(SondePollClient) client = sonde_poll_client_new (url, NULL);
  SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
  SondeReconnectPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autofree char *datas = NULL;
  g_autofree char *expected = expected_datas ();

  g_assert_true (sonde_reconnect_policy_parse ("fixed:20", &policy, &error));
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 20000));

  datas = payloads (log, FALSE, NULL);
  g_assert_cmpstr (datas, ==, expected);
  g_assert_cmpuint (count_kind (log, SONDE_ENTRY_RECONNECT, SONDE_DIRECTION_LOCAL), >=, 2);
  sonde_mock_server_stop (server);
}

static void
collect_cb (gpointer      user_data,
            const char   *event,
            gboolean      binary,
            const guint8 *data,
            gsize         len,
            gsize         encoded_len)
{
  g_string_append_printf (user_data, "%s:%d:%.*s:%zu|", event != NULL ? event : "-", binary,
                          (int)len, (const char *)data, encoded_len);
}

/* The answer's reader keeps what it reads and refuses what it cannot. */
static void
test_poll_format (void)
{
  static const char * const bad[] = {
    "", "[]", "{\"messages\":[]}", "{\"cursor\":-1,\"messages\":[]}", "{\"cursor\":1}",
    "{\"cursor\":1,\"messages\":[1]}", "{\"cursor\":1,\"messages\":[{}]}",
    "{\"cursor\":1,\"messages\":[{\"data\":1}]}",
    "{\"cursor\":1,\"messages\":[{\"data\":\"x\",\"event\":2}]}",
    "{\"cursor\":1,\"messages\":[{\"data\":\"x\",\"binary\":\"yes\"}]}",
    "{\"cursor\":1,\"messages\":[{\"data\":\"abc\",\"binary\":true}]}",
    "{\"cursor\":1,\"messages\":[{\"data\":\"a=bc\",\"binary\":true}]}",
  };
  g_autoptr(GString) json = g_string_new ("{\"cursor\":7,\"messages\":[");
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint64 cursor = 0;
  gboolean end = TRUE;

  sonde_poll_format_message (json, "tick", FALSE, (const guint8 *)"a \"b\"", 5);
  g_string_append_c (json, ',');
  sonde_poll_format_message (json, NULL, TRUE, (const guint8 *)"xyz", 3);
  g_string_append (json, "]}");
  g_assert_cmpstr (json->str, ==, "{\"cursor\":7,\"messages\":[{\"event\":\"tick\",\"data\":\"a \\\"b\\\"\"},"
                                  "{\"binary\":true,\"data\":\"eHl6\"}]}");
  g_assert_true (sonde_poll_parse_answer (json->str, json->len, &cursor, &end, collect_cb, seen,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cursor, ==, 7);
  g_assert_false (end);
  g_assert_cmpstr (seen->str, ==, "tick:0:a \"b\":33|-:1:xyz:29|");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_string_truncate (seen, 0);
      g_assert_false (sonde_poll_parse_answer (bad[i], strlen (bad[i]), &cursor, &end, collect_cb,
                                               seen, &error));
      g_assert_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE);
      g_clear_error (&error);
      g_assert_cmpstr (seen->str, ==, "");
    }
}

typedef struct
{
  SondeConnection *connection;
  guint            wanted;
} MessageWait;

static gboolean
has_messages (gpointer data)
{
  MessageWait *wait = data;

  return sonde_event_log_get_n_received (sonde_connection_get_log (wait->connection)) >= wait->wanted;
}

/* ?stamp=1 on every transport: each payload comes behind a stamp of its
 * position and send time, binary ones too (inside SSE's and polling's
 * base64); the payload after it is the recording's; drops resume by position. */
static void
test_stamps_survive (void)
{
  g_autoptr(SondeEventLog) recording = make_binary_recording ();
  g_autofree char *expected = expected_binary_payloads ();

  for (guint round = 0; round < 2; round++)
    {
      /* Round 1 drops after every second message and resumes by position. */
      g_autoptr(SondeMockServer) server = round == 0 ? start_server (recording, NULL)
                                                     : start_server (recording, "drop-after", 2,
                                                                     NULL);
      g_autofree char *sse_url = sonde_mock_server_get_url (server, "http", "/sse?stamp=1");
      g_autofree char *ws_url = sonde_mock_server_get_url (server, "ws", "/ws?stamp=1");
      g_autofree char *poll_url = sonde_mock_server_get_url (server, "http", "/poll?stamp=1");
      g_autoptr(SondeSseClient) sse = sonde_sse_client_new (sse_url, NULL);
      g_autoptr(SondeWsClient) ws = sonde_ws_client_new (ws_url, NULL);
      g_autoptr(SondePollClient) poll = sonde_poll_client_new (poll_url, NULL);
      SondeConnection *clients[] = { SONDE_CONNECTION (sse), SONDE_CONNECTION (ws),
                                     SONDE_CONNECTION (poll) };
      SondeReconnectPolicy policy;
      g_autoptr(GError) error = NULL;

      g_assert_true (sonde_reconnect_policy_parse ("fixed:20", &policy, &error));
      /* The WebSocket resumes with the position of the last stamp it got: ?last_id=#N. */
      sonde_ws_client_set_resume (ws, NULL, NULL, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
        {
          g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint32));
          g_autofree char *seen = NULL;
          MessageWait wait = { clients[i], 6 };

          if (i != 1 || round == 0)
            {
              sonde_connection_set_policy (clients[i], &policy);
              sonde_connection_start (clients[i]);
              g_assert_true (sonde_test_wait_until (has_messages, &wait, 10000));
            }
          else
            {
              /* By hand, as the comparison does: reconnect with the last position. */
              for (guint32 last = G_MAXUINT32; wait.wanted > 0;)
                {
                  g_autofree char *resume_url = NULL;
                  g_autoptr(SondeWsClient) part = NULL;
                  SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };

                  resume_url = last == G_MAXUINT32 ? g_strdup (ws_url)
                                                   : g_strdup_printf ("%s&last_id=%%23%u", ws_url, last);
                  part = sonde_ws_client_new (resume_url, sonde_connection_get_log (clients[i]));
                  sonde_connection_set_policy (SONDE_CONNECTION (part), &none);
                  sonde_connection_start (SONDE_CONNECTION (part));
                  g_assert_true (sonde_test_wait_until (connection_ended, part, 10000));
                  g_array_set_size (positions, 0);
                  g_free (payloads (sonde_connection_get_log (clients[i]), TRUE, positions));
                  g_assert_cmpuint (positions->len, >, 0);
                  last = g_array_index (positions, guint32, positions->len - 1);
                  if (last == 5)
                    break;
                }
              g_array_set_size (positions, 0);
            }
          seen = payloads (sonde_connection_get_log (clients[i]), TRUE, positions);
          g_assert_cmpstr (seen, ==, expected);
          for (guint j = 0; j < positions->len; j++)
            g_assert_cmpuint (g_array_index (positions, guint32, j), ==, j);
          sonde_connection_stop (clients[i]);
        }
      sonde_mock_server_stop (server);
    }
}

#define FEED_EVENTS   60
#define FEED_SPACE_US 25000

typedef struct
{
  SondeConnection *connection;
  guint            wanted;
} PositionWait;

static gboolean
has_positions (gpointer data)
{
  PositionWait *wait = data;
  g_autoptr(GArray) times = sonde_test_stamped_times (sonde_connection_get_log (wait->connection),
                                                      FEED_EVENTS);

  return times->len >= wait->wanted;
}

/* Stamped /sse and /ws and /poll read one live feed: a reader that comes
 * later catches up from the feed's start, and every reader gets each
 * message with the same position and the same send time, the time it fell
 * due on the feed's one clock. An ended feed sends nothing past its end,
 * and readers that are behind still get up to it. */
static void
test_shared_feed (void)
{
  g_autoptr(SondeEventLog) recording = sonde_event_log_new ();
  g_autoptr(SondeMockServer) server = NULL;
  g_autofree char *sse_url = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *poll_url = NULL;
  g_autoptr(SondeSseClient) sse = NULL;
  g_autoptr(SondeWsClient) ws = NULL;
  g_autoptr(SondePollClient) poll = NULL;
  g_autoptr(GArray) first = NULL;
  SondeConnection *clients[3];
  PositionWait wait;
  guint64 end;

  for (guint i = 0; i < FEED_EVENTS; i++)
    {
      g_autofree char *raw = g_strdup_printf ("id: f%u\ndata: {\"n\":%u}\n\n", i, i);

      sonde_event_log_append (recording, (gint64)i * FEED_SPACE_US, SONDE_DIRECTION_IN,
                              SONDE_ENTRY_SSE, NULL, 0, NULL, 0, (const guint8 *)raw, strlen (raw));
    }
  server = start_server (recording, "speed", 1.0, NULL);
  sse_url = sonde_mock_server_get_url (server, "http", "/sse?stamp=1");
  ws_url = sonde_mock_server_get_url (server, "ws", "/ws?stamp=1");
  poll_url = sonde_mock_server_get_url (server, "http", "/poll?stamp=1");
  sse = sonde_sse_client_new (sse_url, NULL);
  ws = sonde_ws_client_new (ws_url, NULL);
  poll = sonde_poll_client_new (poll_url, NULL);
  clients[0] = SONDE_CONNECTION (sse);
  clients[1] = SONDE_CONNECTION (ws);
  clients[2] = SONDE_CONNECTION (poll);

  /* SSE first; the others join once it has 8 messages. */
  sonde_connection_start (clients[0]);
  wait = (PositionWait) { clients[0], 8 };
  g_assert_true (sonde_test_wait_until (has_positions, &wait, 20000));
  sonde_connection_start (clients[1]);
  sonde_connection_start (clients[2]);
  wait = (PositionWait) { clients[0], 16 };
  g_assert_true (sonde_test_wait_until (has_positions, &wait, 20000));

  end = sonde_mock_server_end_feed (server);
  g_assert_cmpuint (end, >=, 16);
  g_assert_cmpuint (end, <, FEED_EVENTS);
  /* Ending again changes nothing. */
  g_assert_cmpuint (sonde_mock_server_end_feed (server), ==, end);

  for (guint c = 0; c < G_N_ELEMENTS (clients); c++)
    {
      wait = (PositionWait) { clients[c], (guint)end };
      g_assert_true (sonde_test_wait_until (has_positions, &wait, 20000));
    }
  /* What would have fallen due next does not come. */
  sonde_test_spin (3 * FEED_SPACE_US / 1000);

  first = sonde_test_stamped_times (sonde_connection_get_log (clients[0]), FEED_EVENTS);
  g_assert_cmpuint (first->len, ==, end);
  for (guint i = 1; i < first->len; i++)
    g_assert_cmpint (g_array_index (first, gint64, i) - g_array_index (first, gint64, i - 1), ==,
                     FEED_SPACE_US);
  for (guint c = 1; c < G_N_ELEMENTS (clients); c++)
    {
      g_autoptr(GArray) times = sonde_test_stamped_times (sonde_connection_get_log (clients[c]),
                                                           FEED_EVENTS);

      g_assert_cmpuint (times->len, ==, end);
      g_assert_cmpmem (times->data, times->len * sizeof (gint64), first->data,
                       first->len * sizeof (gint64));
    }
  for (guint c = 0; c < G_N_ELEMENTS (clients); c++)
    sonde_connection_stop (clients[c]);
  sonde_mock_server_stop (server);
}

/* POST /echo answers with the body it got. */
static void
test_echo (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = start_server (recording, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/echo");
  Request request = { 0 };

  request_run (&request, "POST", url, "back to me");
  g_assert_cmpuint (soup_message_get_status (request.message), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (request.body, NULL), g_bytes_get_size (request.body),
                   "back to me", 10);
  request_clear (&request);
  request_run (&request, "GET", url, NULL);
  g_assert_cmpuint (soup_message_get_status (request.message), ==, 405);
  request_clear (&request);
  sonde_mock_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/mock-server/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/mock-server/faults-while-running", test_faults_while_running);
  g_test_add_func ("/sonde/mock-server/faults-refused", test_faults_refused);
  g_test_add_func ("/sonde/mock-server/sse-replay", test_sse_replay);
  g_test_add_func ("/sonde/mock-server/ws-replay", test_ws_replay);
  g_test_add_func ("/sonde/mock-server/sse-drop-resume", test_sse_drop_resume);
  g_test_add_func ("/sonde/mock-server/ws-drop-resume", test_ws_drop_resume);
  g_test_add_func ("/sonde/mock-server/ws-drop-resume-message", test_ws_drop_resume_message);
  g_test_add_func ("/sonde/mock-server/sse-status", test_sse_status);
  g_test_add_func ("/sonde/mock-server/ws-refuse-and-close-code", test_ws_refuse_and_close_code);
  g_test_add_func ("/sonde/mock-server/broken-frames", test_broken_frames);
  g_test_add_func ("/sonde/mock-server/sse-broken-line", test_sse_broken_line);
  g_test_add_func ("/sonde/mock-server/publish-and-cors", test_publish_and_cors);
  g_test_add_func ("/sonde/mock-server/ws-talking-client", test_ws_talking_client);
  g_test_add_func ("/sonde/mock-server/ws-deep-resume-message", test_ws_deep_resume_message);
  g_test_add_func ("/sonde/mock-server/port-in-use", test_port_in_use);
  g_test_add_func ("/sonde/mock-server/round-trip", test_round_trip);
  g_test_add_func ("/sonde/mock-server/poll-replay", test_poll_replay);
  g_test_add_func ("/sonde/mock-server/poll-cursor", test_poll_cursor);
  g_test_add_func ("/sonde/mock-server/poll-drop-every", test_poll_drop_every);
  g_test_add_func ("/sonde/mock-server/poll-format", test_poll_format);
  g_test_add_func ("/sonde/mock-server/stamps-survive", test_stamps_survive);
  g_test_add_func ("/sonde/mock-server/shared-feed", test_shared_feed);
  g_test_add_func ("/sonde/mock-server/echo", test_echo);

  return g_test_run ();
}

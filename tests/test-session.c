/* test-session.c: a connection on a worker thread, started, stopped and read from the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-session.h"
#include "sonde-worker.h"
#include "sonde-test-util.h"

#define N_EVENTS 40
#define WAIT_MS  10000

/* An SSE recording the mock server replays: events with ids, 10 ms apart. */
static SondeEventLog *
make_recording (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  for (guint i = 1; i <= N_EVENTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("ev-%u", i);
      g_autofree char *raw = g_strdup_printf ("id: %s\ndata: {\"seq\":%u}\n\n", id, i);

      sonde_event_log_append (log, i * 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id,
                              strlen (id), NULL, 0, (const guint8 *)raw, strlen (raw));
    }

  return log;
}

static gboolean
is_waiting (gpointer data)
{
  return sonde_session_get_state (data) == SONDE_CONNECTION_WAITING;
}

static gboolean
has_ended (gpointer data)
{
  SondeConnectionState state = sonde_session_get_state (data);

  return state == SONDE_CONNECTION_CLOSED || state == SONDE_CONNECTION_FAILED;
}

static gboolean
has_all_events (gpointer data)
{
  const char *last_id = sonde_session_get_last_id (data);

  return g_strcmp0 (last_id, "ev-" G_STRINGIFY (N_EVENTS)) == 0;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

typedef struct
{
  SondeEventLog  *log;
  SondeEntryKind  kind;
  SondeDirection  direction;
  guint           count;
} KindCount;

static gboolean
has_kind_count (gpointer data)
{
  KindCount *want = data;

  return sonde_test_count_entries (want->log, want->kind, want->direction) >= want->count;
}

/* The configuration */

static void
test_config_defaults (void)
{
  g_autoptr(SondeSessionConfig) sse = NULL;
  g_autoptr(SondeSessionConfig) ws = NULL;
  g_autoptr(SondeSessionConfig) copy = NULL;
  g_autoptr(GError) error = NULL;

  sse = sonde_session_config_new ("  https://example.com/events ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sse->url, ==, "https://example.com/events");
  g_assert_cmpint (sse->transport, ==, SONDE_TRANSPORT_SSE);
  g_assert_cmpint (sse->policy.mode, ==, SONDE_RECONNECT_SPEC);
  g_assert_cmpuint (sse->timeout_ms, ==, SONDE_CONNECTION_DEFAULT_TIMEOUT_MS);

  /* Browsers never reconnect a WebSocket by themselves; neither does Sonde by default. */
  ws = sonde_session_config_new ("wss://example.com/socket", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ws->transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpint (ws->policy.mode, ==, SONDE_RECONNECT_NONE);

  g_assert_null (sonde_session_config_new ("ftp://example.com/", &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_UNSUPPORTED_SCHEME);
  g_clear_error (&error);

  /* Copies are deep and equal until one changes. */
  sonde_session_config_add_header (ws, "Authorization", "Bearer x");
  ws->protocols = g_strsplit ("chat,json", ",", -1);
  ws->resume_path = g_strdup ("data.seq");
  copy = sonde_session_config_copy (ws);
  g_assert_true (sonde_session_config_equal (ws, copy));
  g_assert_true (copy->headers != ws->headers);
  g_assert_cmpstr (copy->headers[1], ==, "Bearer x");
  g_assert_null (copy->headers[2]);
  copy->accepted_certificate_errors = G_TLS_CERTIFICATE_UNKNOWN_CA;
  g_assert_false (sonde_session_config_equal (ws, copy));
  copy->accepted_certificate_errors = 0;
  g_free (copy->protocols[1]);
  copy->protocols[1] = g_strdup ("xml");
  g_assert_false (sonde_session_config_equal (ws, copy));
}

static void
assert_config_refused (SondeSessionConfig *config,
                       const char         *needle)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sonde_session_config_check (config, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_config_check (void)
{
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = sonde_session_config_new ("ws://127.0.0.1:1/", &error);
  g_assert_no_error (error);
  g_assert_true (sonde_session_config_check (config, &error));
  g_assert_no_error (error);

  sonde_session_config_add_header (config, "X Bad", "1");
  assert_config_refused (config, "X Bad");
  g_clear_pointer (&config->headers, g_strfreev);

  sonde_session_config_add_header (config, "X-Split", "a\r\nInjected: yes");
  assert_config_refused (config, "X-Split");
  g_clear_pointer (&config->headers, g_strfreev);

  sonde_session_config_add_header (config, "", "value");
  assert_config_refused (config, "no name");
  g_clear_pointer (&config->headers, g_strfreev);

  config->protocols = g_strsplit ("chat,bad protocol", ",", -1);
  assert_config_refused (config, "bad protocol");
  g_clear_pointer (&config->protocols, g_strfreev);

  config->resume_message = g_strdup ("{\"after\":{{last_id}}}");
  assert_config_refused (config, "carry their ID");
  config->resume_path = g_strdup ("seq");
  g_assert_true (sonde_session_config_check (config, &error));

  config->origin = g_strdup ("http://a\nb");
  assert_config_refused (config, "Origin");
}

/* Life */

static void
test_session_new (void)
{
  SondeSession *session = sonde_test_session_new ("http://127.0.0.1:1/events");
  SondeEventLog *log = sonde_session_get_log (session);

  g_assert_true (SONDE_IS_EVENT_LOG (log));
  g_assert_cmpint (sonde_session_get_transport (session), ==, SONDE_TRANSPORT_SSE);
  g_assert_cmpstr (sonde_session_get_url (session), ==, "http://127.0.0.1:1/events");
  g_assert_cmpint (sonde_session_get_state (session), ==, SONDE_CONNECTION_IDLE);
  g_assert_false (sonde_session_get_running (session));
  g_assert_cmpuint (sonde_session_get_n_entries (session), ==, 0);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);

  /* Stopping what never started does nothing. */
  sonde_session_stop (session);
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, 0);

  g_object_add_weak_pointer (G_OBJECT (log), (gpointer *)&log);
  g_assert_finalize_object (session);
  g_assert_null (log);
}

/* Against the mock server: connect, read every event with the counters up
 * to date, stop, start again into the same log. */
static void
test_session_sse_life (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "speed", 1.0, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);
  guint state_notifies = 0;
  guint entries_notifies = 0;
  SondeEntryView view;
  g_autofree char *data = NULL;
  guint64 n_before;

  g_signal_connect (session, "notify::state", G_CALLBACK (count_notify), &state_notifies);
  g_signal_connect (session, "notify::n-entries", G_CALLBACK (count_notify), &entries_notifies);

  sonde_session_start (session);
  g_assert_true (sonde_session_get_running (session));
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 1);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  g_assert_null (sonde_session_get_reason (session));
  g_assert_true (sonde_test_wait_until (has_all_events, session, WAIT_MS));
  g_assert_cmpfloat (sonde_session_get_events_per_second (session), >, 0);

  /* Stopping ends the thread, at once, and says so in the log. */
  sonde_session_stop (session);
  g_assert_false (sonde_session_get_running (session));
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
  g_assert_cmpint (sonde_session_get_state (session), ==, SONDE_CONNECTION_CLOSED);
  g_assert_cmpstr (sonde_session_get_reason (session), ==, "Stopped by the user");
  g_assert_cmpfloat (sonde_session_get_events_per_second (session), ==, 0);
  n_before = sonde_event_log_get_n_entries (log);
  g_assert_true (sonde_event_log_get_view (log, n_before - 1, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_CLOSED);

  /* The counters come from the log, final once stopped: one open and N events, all in. */
  g_assert_cmpuint (sonde_session_get_n_entries (session), ==, n_before);
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_SSE, -1), ==, N_EVENTS);
  g_assert_cmpuint (sonde_session_get_bytes_in (session), ==, sonde_event_log_get_raw_size (log));
  g_assert_cmpuint (sonde_session_get_bytes_in (session), >, N_EVENTS * 10);
  g_assert_cmpuint (sonde_session_get_bytes_out (session), ==, 0);
  /* The recording ends, the server closes, and SSE reconnects as browsers do. */
  g_assert_cmpuint (sonde_session_get_n_reconnects (session), ==,
                    sonde_test_count_entries (log, SONDE_ENTRY_RECONNECT, -1));
  /* Fewer notifications than entries: they are folded per frame. */
  g_assert_cmpuint (entries_notifies, >, 0);
  g_assert_cmpuint (entries_notifies, <=, sonde_session_get_n_entries (session));

  g_assert_true (sonde_event_log_get_view (log, 1, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
  data = sonde_entry_view_dup_data (&view, NULL, NULL);
  g_assert_cmpstr (data, ==, "{\"seq\":1}");

  /* Starting again writes into the same log, after the gap. */
  sonde_session_start (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 1);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  g_assert_true (sonde_session_get_log (session) == log);
  g_assert_true (sonde_event_log_get_view (log, n_before, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
  g_assert_cmpuint (state_notifies, >=, 4);

  sonde_session_stop (session);
  g_assert_finalize_object (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

/* The server drops the stream after a few events; SSE waits the `retry:`
 * delay it was given and resumes where it stopped. */
static void
test_session_sse_reconnect (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  g_autoptr(SondeMockServer) server = NULL;
  g_autofree char *url = NULL;
  SondeSession *session;
  SondeEventLog *log;

  faults->drop_after = 15;
  faults->retry = 300;
  server = sonde_test_mock_server_new (recording, "speed", 0.0, "faults", faults, NULL);
  url = sonde_mock_server_get_url (server, "http", "/sse");
  session = sonde_test_session_new (url);
  log = sonde_session_get_log (session);

  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (is_waiting, session, WAIT_MS));

  /* Waiting: which attempt, how long, and why, as the status line tells it. */
  g_assert_cmpuint (sonde_session_get_attempt (session), ==, 1);
  g_assert_cmpuint (sonde_session_get_retry_delay (session), ==, 300);
  g_assert_cmpint (sonde_session_get_retry_at (session), >, 0);
  g_assert_nonnull (sonde_session_get_reason (session));
  g_assert_cmpstr (sonde_session_get_reason (session), !=, "");
  g_assert_cmpuint (sonde_session_get_n_reconnects (session), ==, 1);

  /* Resumed with Last-Event-ID: every event once, none lost, none twice. */
  g_assert_true (sonde_test_wait_until (has_all_events, session, WAIT_MS));
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_SSE, -1), ==, N_EVENTS);
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_OPEN, -1), >=, 2);
  g_assert_cmpuint (sonde_session_get_n_reconnects (session), ==,
                    sonde_test_count_entries (log, SONDE_ENTRY_RECONNECT, -1));

  g_object_unref (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

/* Reconnect at the user's request: the same log, a `closed` entry, then a new open. */
static void
test_session_user_reconnect (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "speed", 1.0,
                                                                 "loop", TRUE, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);

  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_session_reconnect (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 1);

  {
    KindCount opens = { log, SONDE_ENTRY_OPEN, SONDE_DIRECTION_IN, 2 };

    g_assert_true (sonde_test_wait_until (has_kind_count, &opens, WAIT_MS));
  }
  g_assert_cmpuint (sonde_test_count_entries (log, SONDE_ENTRY_CLOSED, -1), ==, 1);

  /* A changed configuration is taken by the next reconnect: a new header. */
  {
    g_autoptr(SondeSessionConfig) config = NULL;
    guint notified = 0;

    config = sonde_session_config_copy (sonde_session_get_config (session));
    g_signal_connect (session, "notify::config", G_CALLBACK (count_notify), &notified);
    sonde_session_config_add_header (config, "X-Sonde-Test", "yes");
    sonde_session_set_config (session, config);
    sonde_session_set_config (session, config);
    g_assert_cmpuint (notified, ==, 1);
  }
  sonde_session_reconnect (session);
  {
    KindCount opens = { log, SONDE_ENTRY_OPEN, SONDE_DIRECTION_IN, 3 };

    g_assert_true (sonde_test_wait_until (has_kind_count, &opens, WAIT_MS));
  }
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  {
    SondeEntryView view;
    g_autoptr(JsonObject) fields = NULL;
    guint64 last_open = 0;

    for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
      {
        g_assert_true (sonde_event_log_get_view (log, i, &view));
        if (view.kind == SONDE_ENTRY_OPEN)
          last_open = i;
      }
    g_assert_true (sonde_event_log_get_view (log, last_open, &view));
    fields = sonde_test_entry_fields (&view);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (fields, "request_headers"), "X-Sonde-Test"),
                     ==, "yes");
  }

  g_assert_finalize_object (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

/* Nothing listens: a WebSocket with no policy fails for good with the engine's reason. */
static void
test_session_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SondeSession *session;
  guint16 port;

  /* Take a free port, then close it, so that nothing is there. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("ws://127.0.0.1:%u/", port);

  session = sonde_test_session_new (url);
  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (has_ended, session, WAIT_MS));
  g_assert_cmpint (sonde_session_get_state (session), ==, SONDE_CONNECTION_FAILED);
  g_assert_nonnull (sonde_session_get_reason (session));
  g_assert_cmpuint (sonde_session_get_certificate_errors (session), ==, 0);
  /* A failed connection keeps its thread until stopped; stopping keeps the reason. */
  sonde_session_stop (session);
  g_assert_cmpint (sonde_session_get_state (session), ==, SONDE_CONNECTION_FAILED);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
  g_assert_finalize_object (session);
}

/* WebSocket: sends from the main thread, the echo, a ping, the resume value. */

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} SendResult;

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendResult *send = user_data;

  send->ok = sonde_session_send_finish (SONDE_SESSION (object), result, &send->error);
  send->done = TRUE;
}

static gboolean
send_is_done (gpointer data)
{
  return ((SendResult *)data)->done;
}

static gboolean
send_and_wait (SondeSession  *session,
               SondeSendKind  kind,
               const char    *text,
               guint          code_or_size,
               GError       **error)
{
  g_autoptr(GBytes) bytes = text != NULL ? g_bytes_new (text, strlen (text)) : NULL;
  SendResult send = { 0 };

  sonde_session_send_async (session, kind, bytes, code_or_size, NULL, NULL, send_done_cb, &send);
  g_assert_true (sonde_test_wait_until (send_is_done, &send, WAIT_MS));
  if (send.error != NULL)
    g_propagate_error (error, send.error);

  return send.ok;
}

static gboolean
has_resume_value (gpointer data)
{
  const char *last_id = sonde_session_get_last_id (data);

  return last_id != NULL && g_str_has_prefix (last_id, "ev-");
}

static void
test_session_ws (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "speed", 1.0,
                                                                 "loop", TRUE, NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "ws", "/ws");
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  SondeSession *session;
  SondeEventLog *log;
  guint n_in;

  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);
  /* The mock server sends each event as {"event":..., "id":..., "data":...}. */
  config->resume_path = g_strdup ("id");
  session = sonde_session_new (config);
  log = sonde_session_get_log (session);

  /* Not running: nothing to send on, said at once. */
  g_assert_false (send_and_wait (session, SONDE_SEND_TEXT, "early", 0, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));

  /* The resume value is the last `id` of the messages the server sent. */
  g_assert_true (sonde_test_wait_until (has_resume_value, session, WAIT_MS));

  n_in = sonde_test_count_entries (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN);
  g_assert_true (send_and_wait (session, SONDE_SEND_TEXT, "hello from the main thread", 0, &error));
  g_assert_no_error (error);
  g_assert_true (send_and_wait (session, SONDE_SEND_PING, "p", 0, &error));
  g_assert_no_error (error);

  /* Bad JSON is refused by the engine, with its reason. */
  g_assert_false (send_and_wait (session, SONDE_SEND_JSON, "{\"a\":", 0, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  {
    KindCount out = { log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_OUT, 1 };
    KindCount echo = { log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, n_in + 1 };
    KindCount pong = { log, SONDE_ENTRY_PONG, SONDE_DIRECTION_IN, 1 };

    g_assert_true (sonde_test_wait_until (has_kind_count, &out, WAIT_MS));
    g_assert_true (sonde_test_wait_until (has_kind_count, &echo, WAIT_MS));
    g_assert_true (sonde_test_wait_until (has_kind_count, &pong, WAIT_MS));
  }
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_test_spin (50);
  g_assert_cmpuint (sonde_session_get_bytes_out (session), >,
                    strlen ("hello from the main thread"));

  /* A close from our side ends the session for good (no policy). */
  {
    g_autoptr(GBytes) none = NULL;
    SendResult send = { 0 };

    sonde_session_send_async (session, SONDE_SEND_CLOSE, none, 1000, "done here", NULL,
                              send_done_cb, &send);
    g_assert_true (sonde_test_wait_until (send_is_done, &send, WAIT_MS));
    g_assert_no_error (send.error);
    g_assert_true (send.ok);
  }
  g_assert_true (sonde_test_wait_until (has_ended, session, WAIT_MS));
  g_assert_cmpint (sonde_session_get_state (session), ==, SONDE_CONNECTION_CLOSED);

  g_assert_finalize_object (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

/* SSE cannot send; the session says so rather than pretend. */
static void
test_session_sse_send (void)
{
  SondeSession *session = sonde_test_session_new ("http://127.0.0.1:1/events");
  g_autoptr(GError) error = NULL;

  g_assert_false (send_and_wait (session, SONDE_SEND_TEXT, "x", 0, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED);
  g_assert_finalize_object (session);
}

/* Ten live sessions, dropped while they stream: each returns at once, every
 * thread ends, every object goes. */
static void
test_session_dispose_live (void)
{
  g_autoptr(SondeEventLog) recording = make_recording ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (recording, "speed", 1.0,
                                                                 "loop", TRUE, NULL);
  SondeSession *sessions[10];
  SondeEventLog *logs[10];

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autofree char *url = sonde_mock_server_get_url (server, i % 2 ? "ws" : "http",
                                                        i % 2 ? "/ws" : "/sse");

      sessions[i] = sonde_test_session_new (url);
      logs[i] = sonde_session_get_log (sessions[i]);
      g_object_add_weak_pointer (G_OBJECT (logs[i]), (gpointer *)&logs[i]);
      sonde_session_start (sessions[i]);
    }
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, G_N_ELEMENTS (sessions));
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, sessions[i], WAIT_MS));

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_assert_finalize_object (sessions[i]);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_assert_null (logs[i]);
}

static gboolean
has_released (gpointer data)
{
  return sonde_session_get_n_released (data) > 0;
}

static gboolean
has_reconnected (gpointer data)
{
  return sonde_session_get_n_reconnects (data) > 0;
}

static gboolean
released_is_counted (gpointer data)
{
  SondeEventLog *log = sonde_session_get_log (data);

  return sonde_session_get_n_released (data) == sonde_event_log_get_first_seq (log) &&
         sonde_event_log_get_first_seq (log) + g_list_model_get_n_items (G_LIST_MODEL (log)) ==
         sonde_event_log_get_n_entries (log);
}

/* An entry limit: the log keeps the newest, the oldest go from its start
 * once counted, so the counters cover every entry; the worker reads the
 * log's last entries (why it waits) while entries go, inside a read
 * section. */
static void
test_session_entry_limit (void)
{
  g_autoptr(GString) response = sonde_test_sse_stream_response (100, 64 * 1024);
  SondeTestRawServer *server = sonde_test_raw_server_new (response->str, (gssize)response->len);
  g_autofree char *url = g_strdup_printf ("%s/events", sonde_test_raw_server_get_url (server));
  SondeSession *session = sonde_test_session_new (url);
  SondeEventLog *log = sonde_session_get_log (session);
  guint released_notifies = 0;
  guint64 n_items;
  guint64 first;

  g_signal_connect (session, "notify::n-released", G_CALLBACK (count_notify), &released_notifies);
  sonde_session_set_entry_limit (session, 10);
  g_assert_cmpuint (sonde_session_get_entry_limit (session), ==, 10);
  sonde_session_start (session);
  /* Entries went during the first connection of 6.5 MB, and after it ends
   * the worker reads the log's last entries to reconnect while more go. */
  g_assert_true (sonde_test_wait_until (has_released, session, WAIT_MS));
  g_assert_true (sonde_test_wait_until (has_reconnected, session, WAIT_MS));
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_session_stop (session);
  /* The last release asked for goes with the log's next frame, and the session counts it. */
  g_assert_true (sonde_test_wait_until (released_is_counted, session, WAIT_MS));

  first = sonde_event_log_get_first_seq (log);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (first, >, 0);
  g_assert_cmpuint (sonde_session_get_n_released (session), ==, first);
  g_assert_cmpuint (released_notifies, >, 0);
  g_assert_cmpuint (first + n_items, ==, sonde_event_log_get_n_entries (log));
  g_assert_cmpuint (n_items, >=, 10);
  g_assert_cmpuint (n_items, <=, 10 + 2 * 64 + 8);
  /* Every entry was counted, those that went too. */
  g_assert_cmpuint (sonde_session_get_n_entries (session), ==, sonde_event_log_get_n_entries (log));
  g_assert_cmpuint (sonde_session_get_bytes_in (session), ==, sonde_event_log_get_raw_size (log));
  g_assert_cmpuint (sonde_session_get_n_reconnects (session), >, 0);

  /* Lifted: what is left stays. */
  sonde_session_set_entry_limit (session, 0);
  sonde_session_start (session);
  g_assert_true (sonde_test_wait_until (sonde_test_session_is_open, session, WAIT_MS));
  sonde_session_stop (session);
  g_assert_true (sonde_test_wait_until (released_is_counted, session, WAIT_MS));
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, first);

  g_assert_finalize_object (session);
  sonde_test_raw_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/session/config/defaults", test_config_defaults);
  g_test_add_func ("/sonde/session/config/check", test_config_check);
  g_test_add_func ("/sonde/session/new", test_session_new);
  g_test_add_func ("/sonde/session/sse-life", test_session_sse_life);
  g_test_add_func ("/sonde/session/entry-limit", test_session_entry_limit);
  g_test_add_func ("/sonde/session/sse-reconnect", test_session_sse_reconnect);
  g_test_add_func ("/sonde/session/user-reconnect", test_session_user_reconnect);
  g_test_add_func ("/sonde/session/refused", test_session_refused);
  g_test_add_func ("/sonde/session/ws", test_session_ws);
  g_test_add_func ("/sonde/session/sse-send", test_session_sse_send);
  g_test_add_func ("/sonde/session/dispose-live", test_session_dispose_live);

  return g_test_run ();
}

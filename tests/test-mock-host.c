/* test-mock-host.c: the mock server on its worker thread: live changes, clients, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-error.h"
#include "sonde-mock-host.h"
#include "sonde-session.h"
#include "sonde-test-util.h"
#include "sonde-worker.h"

/* Bounded waits, generous for a shared machine. */
#define WAIT_MS 20000

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     n_clients;
} Result;

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  r->ok = sonde_mock_host_start_finish (SONDE_MOCK_HOST (object), result, &r->error);
  r->done = TRUE;
}

static void
published_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Result *r = user_data;

  r->ok = sonde_mock_host_publish_finish (SONDE_MOCK_HOST (object), result, &r->n_clients,
                                          &r->error);
  r->done = TRUE;
}

static void
start_host (SondeMockHost *host)
{
  Result r = { 0 };

  sonde_mock_host_start_async (host, NULL, started_cb, &r);
  SONDE_TEST_WAIT_UNTIL (r.done, WAIT_MS);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (sonde_mock_host_get_running (host));
  g_assert_cmpuint (sonde_mock_host_get_port (host), >, 0);
  g_assert_cmpuint (sonde_mock_host_get_n_items (host), >, 0);
}

static SondeSession *
connect_session (SondeMockHost *host,
                 const char    *scheme,
                 const char    *path)
{
  g_autofree char *url = sonde_mock_host_get_url (host, scheme, path);
  g_autoptr(SondeSessionConfig) config = sonde_session_config_new (url, NULL);
  SondeSession *session;

  g_assert_nonnull (config);
  session = sonde_session_new (config);
  sonde_session_start (session);
  return session;
}

static const SondeMockClientInfo *
find_client (SondeMockHost *host,
             gboolean       resumed)
{
  GPtrArray *clients = sonde_mock_host_get_clients (host);

  for (guint i = 0; i < clients->len; i++)
    {
      const SondeMockClientInfo *info = g_ptr_array_index (clients, i);

      if ((info->resumed_after != NULL) == resumed)
        return info;
    }
  return NULL;
}

static void
count_cb (gpointer  instance,
          gpointer  user_data)
{
  (*(guint *)user_data)++;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
event_cb (SondeMockHost *host,
          const char    *message,
          GPtrArray     *messages)
{
  g_ptr_array_add (messages, g_strdup (message));
}

static gboolean
any_contains (GPtrArray  *messages,
              const char *needle)
{
  for (guint i = 0; i < messages->len; i++)
    {
      if (strstr (g_ptr_array_index (messages, i), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The list of clients fills, each with its position in the recording and,
 * for one that resumed, where it asked to and where that put it. */
static void
test_clients (void)
{
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(SondeSession) first = NULL;
  g_autoptr(SondeSession) second = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *resume_id = NULL;
  g_autofree char *query = NULL;
  const SondeMockClientInfo *info;
  guint changes = 0;
  guint position;

  g_signal_connect (host, "clients-changed", G_CALLBACK (count_cb), &changes);
  g_signal_connect (host, "client-event", G_CALLBACK (event_cb), messages);
  /* Fast enough to move, slow enough never to finish. */
  g_object_set (host, "speed", 20.0, "loop", TRUE, NULL);
  start_host (host);
  g_assert_cmpuint (sonde_mock_host_get_clients (host)->len, ==, 0);

  first = connect_session (host, "http", "/sse");
  SONDE_TEST_WAIT_UNTIL ((info = find_client (host, FALSE)) != NULL && info->position >= 2,
                         WAIT_MS);
  g_assert_false (info->websocket);
  g_assert_false (info->finished);
  g_assert_cmpuint (info->position, <=, sonde_mock_host_get_n_items (host));
  g_assert_cmpuint (info->sent, >=, 1);
  g_assert_null (info->resumed_after);
  /* Where it would resume if it dropped now. */
  g_assert_nonnull (info->last_id);
  g_assert_cmpuint (changes, >=, 1);
  position = info->position;
  resume_id = g_strdup (info->last_id);
  SONDE_TEST_WAIT_UNTIL ((info = find_client (host, FALSE)) != NULL && info->position > position,
                         WAIT_MS);
  SONDE_TEST_WAIT_UNTIL (any_contains (messages, "connected"), WAIT_MS);

  /* A second client resumes after the first one's id. */
  query = g_strdup_printf ("/sse?last_id=%s", resume_id);
  second = connect_session (host, "http", query);
  SONDE_TEST_WAIT_UNTIL (find_client (host, TRUE) != NULL, WAIT_MS);
  info = find_client (host, TRUE);
  if (info == NULL || info->resumed_after == NULL)
    g_error ("the resumed client left the list");
  g_assert_cmpstr (info->resumed_after, ==, resume_id);
  g_assert_cmpuint (info->resumed_at, >, 0);
  g_assert_cmpuint (info->resumed_at, <=, info->position);
  g_assert_cmpuint (sonde_mock_host_get_clients (host)->len, ==, 2);
  /* Oldest first. */
  g_assert_cmpuint (((SondeMockClientInfo *)g_ptr_array_index (sonde_mock_host_get_clients (host),
                                                               0))->id, <,
                    ((SondeMockClientInfo *)g_ptr_array_index (sonde_mock_host_get_clients (host),
                                                               1))->id);

  /* A client that goes leaves the list. */
  sonde_session_stop (first);
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_clients (host)->len == 1, WAIT_MS);
  g_assert_nonnull (find_client (host, TRUE));

  /* Stopping empties it at once, and says so. */
  changes = 0;
  sonde_mock_host_stop (host);
  g_assert_false (sonde_mock_host_get_running (host));
  g_assert_cmpuint (sonde_mock_host_get_clients (host)->len, ==, 0);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_null (sonde_mock_host_get_url (host, "http", "/sse"));
  sonde_session_stop (second);
}

/* Faults, speed and loop change from the main thread while the thread
 * serves, again and again, and the last change is what the clients get. */
static void
test_live_changes (void)
{
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  g_autoptr(SondeSession) sse = NULL;
  g_autoptr(SondeSession) ws = NULL;
  g_autoptr(GError) error = NULL;
  const SondeMockClientInfo *info;
  guint notified = 0;
  guint position;
  guint reconnects;

  /* So slow that after the first item nothing comes for minutes. */
  g_object_set (host, "speed", 0.001, "loop", TRUE, NULL);
  g_signal_connect (host, "notify::faults", G_CALLBACK (notify_count_cb), &notified);
  start_host (host);
  sse = connect_session (host, "http", "/sse");
  ws = connect_session (host, "ws", "/ws");
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_clients (host)->len == 2, WAIT_MS);
  info = g_ptr_array_index (sonde_mock_host_get_clients (host), 0);
  position = info->position;
  g_assert_cmpuint (position, <=, 2);

  /* Speed: the clients already there get the new pace from where they are. */
  g_object_set (host, "speed", 0.0, NULL);
  SONDE_TEST_WAIT_UNTIL ((info = find_client (host, FALSE)) != NULL &&
                         info->position > position + 5, WAIT_MS);
  g_object_set (host, "speed", 50.0, NULL);

  /* Hammer the faults while both clients stream: every change is a copy
   * for the thread, whatever the server is doing meanwhile. */
  for (guint i = 0; i < 2000; i++)
    {
      faults->stall_after = i % 7;
      faults->stall = (i % 3) * 0.001;
      faults->broken = i % 2 ? SONDE_MOCK_BROKEN_NONE : SONDE_MOCK_BROKEN_OVERSIZED_PING;
      faults->broken_after = 1000000;
      g_assert_true (sonde_mock_faults_set_close_reason (faults, i % 2 ? "one" : "two", NULL));
      g_assert_true (sonde_mock_host_set_faults (host, faults, &error));
      g_assert_no_error (error);
      if (i % 100 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (notified, ==, 2000);
  g_assert_true (sonde_mock_faults_equal (sonde_mock_host_get_faults (host), faults));

  /* One that cannot go on the wire is refused, and changes nothing. */
  faults->sse_status = 42;
  g_assert_false (sonde_mock_host_set_faults (host, faults, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (notified, ==, 2000);

  /* Then a drop: the SSE client reconnects again and again. */
  reconnects = sonde_session_get_n_reconnects (sse);
  g_clear_pointer (&faults, sonde_mock_faults_free);
  faults = sonde_mock_faults_new ();
  faults->drop_after = 3;
  g_assert_true (sonde_mock_host_set_faults (host, faults, &error));
  SONDE_TEST_WAIT_UNTIL (sonde_session_get_n_reconnects (sse) >= reconnects + 2, WAIT_MS);

  /* And refusing upgrades reaches the next WebSocket client. */
  faults->drop_after = 0;
  faults->ws_refuse = 403;
  g_assert_true (sonde_mock_host_set_faults (host, faults, &error));
  {
    g_autoptr(SondeSession) refused = connect_session (host, "ws", "/ws");

    SONDE_TEST_WAIT_UNTIL (sonde_session_get_state (refused) == SONDE_CONNECTION_FAILED, WAIT_MS);
    g_assert_cmpuint (sonde_test_count_entries (sonde_session_get_log (refused),
                                                SONDE_ENTRY_ERROR, -1), >=, 1);
    sonde_session_stop (refused);
  }

  sonde_session_stop (sse);
  sonde_session_stop (ws);
  sonde_mock_host_stop (host);
}

/* A port already taken is a clear error, and the host can start again. */
static void
test_port_in_use (void)
{
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(GSocketListener) listener = NULL;
  g_autofree char *port_text = NULL;
  Result r = { 0 };
  guint port;

  listener = sonde_test_take_port (&port);

  g_object_set (host, "port", port, NULL);
  sonde_mock_host_start_async (host, NULL, started_cb, &r);
  SONDE_TEST_WAIT_UNTIL (r.done, WAIT_MS);
  g_assert_false (r.ok);
  g_assert_error (r.error, SONDE_ERROR, SONDE_ERROR_FAILED);
  port_text = g_strdup_printf ("port %u", port);
  g_assert_nonnull (strstr (r.error->message, port_text));
  g_assert_nonnull (strstr (r.error->message, "127.0.0.1"));
  g_assert_false (sonde_mock_host_get_running (host));
  g_assert_cmpuint (sonde_mock_host_get_port (host), ==, 0);
  g_clear_error (&r.error);

  /* Another port, and it serves. */
  g_object_set (host, "port", 0, NULL);
  start_host (host);
  g_assert_cmpuint (sonde_mock_host_get_port (host), !=, port);
  sonde_mock_host_stop (host);
}

static gboolean
log_has_event (SondeEventLog *log,
               const char    *text)
{
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      if (sonde_event_log_get_view (log, i, &view) && view.kind == SONDE_ENTRY_SSE &&
          g_strstr_len ((const char *)view.raw, (gssize)view.raw_len, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A message to every client, from the main thread. */
static void
test_publish (void)
{
  g_autoptr(SondeMockHost) host = sonde_mock_host_new (NULL);
  g_autoptr(SondeSession) sse = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("hello from the panel", 20);
  SondeEventLog *log;
  Result r = { 0 };

  g_object_set (host, "speed", 0.001, "loop", TRUE, NULL);

  /* Not running: an error, not a crash. */
  sonde_mock_host_publish_async (host, body, NULL, published_cb, &r);
  SONDE_TEST_WAIT_UNTIL (r.done, WAIT_MS);
  g_assert_false (r.ok);
  g_assert_error (r.error, SONDE_ERROR, SONDE_ERROR_FAILED);
  g_clear_error (&r.error);

  start_host (host);
  sse = connect_session (host, "http", "/sse");
  SONDE_TEST_WAIT_UNTIL (sonde_mock_host_get_clients (host)->len == 1, WAIT_MS);

  memset (&r, 0, sizeof r);
  sonde_mock_host_publish_async (host, body, NULL, published_cb, &r);
  SONDE_TEST_WAIT_UNTIL (r.done, WAIT_MS);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (r.n_clients, ==, 1);

  log = sonde_session_get_log (sse);
  SONDE_TEST_WAIT_UNTIL (log_has_event (log, "hello from the panel"), WAIT_MS);

  sonde_session_stop (sse);
  sonde_mock_host_stop (host);
}

/* A tab's capture serves as a recording: what it holds at the start. */
static void
test_log_source (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeMockHost) host = NULL;
  g_autoptr(SondeSession) sse = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *raw = g_strdup_printf ("id: e%u\ndata: event %u\n\n", i, i);
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *fields = g_strdup_printf ("\"event\":\"message\",\"data\":\"event %u\"", i);

      sonde_event_log_append (log, i * 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, strlen (id),
                              fields, strlen (fields), (const guint8 *)raw, strlen (raw));
    }

  host = sonde_mock_host_new_for_log (log);
  g_object_set (host, "speed", 0.0, "loop", FALSE, NULL);
  start_host (host);
  g_assert_cmpuint (sonde_mock_host_get_n_items (host), ==, 5);

  sse = connect_session (host, "http", "/sse?last_id=e2");
  SONDE_TEST_WAIT_UNTIL (sonde_test_count_entries (sonde_session_get_log (sse), SONDE_ENTRY_SSE,
                                                   -1) >= 2, WAIT_MS);
  g_assert_true (log_has_event (sonde_session_get_log (sse), "event 3"));
  g_assert_false (log_has_event (sonde_session_get_log (sse), "event 1"));
  sonde_session_stop (sse);
  sonde_mock_host_stop (host);
}

/* A stop before the start finished cancels it, and a host dropped while
 * serving takes its thread with it. */
static void
test_stop_while_starting (void)
{
  SondeMockHost *host = sonde_mock_host_new (NULL);
  Result r = { 0 };

  sonde_mock_host_start_async (host, NULL, started_cb, &r);
  sonde_mock_host_stop (host);
  SONDE_TEST_WAIT_UNTIL (r.done, WAIT_MS);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (sonde_mock_host_get_running (host));
  g_clear_error (&r.error);

  start_host (host);
  g_assert_finalize_object (host);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/mock-host/clients", test_clients);
  g_test_add_func ("/sonde/mock-host/live-changes", test_live_changes);
  g_test_add_func ("/sonde/mock-host/port-in-use", test_port_in_use);
  g_test_add_func ("/sonde/mock-host/publish", test_publish);
  g_test_add_func ("/sonde/mock-host/log-source", test_log_source);
  g_test_add_func ("/sonde/mock-host/stop-while-starting", test_stop_while_starting);

  return g_test_run ();
}

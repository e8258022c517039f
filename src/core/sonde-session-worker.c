/* sonde-session-worker.c: the session's worker thread: the connection and the snapshot it publishes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-session-private.h"
#include "sonde-ws-client.h"

#define RESUME_POLL_MS       100
#define REASON_LOOKBACK      64

void
sonde_session_snapshot_clear (SondeSessionSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->reason, g_free);
  g_clear_pointer (&snapshot->resume_value, g_free);
}

SondeSessionWorker *
sonde_session_worker_ref (SondeSessionWorker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

void
sonde_session_worker_unref (SondeSessionWorker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;

  g_assert (worker->connection == NULL);
  g_clear_pointer (&worker->context, g_main_context_unref);
  g_clear_object (&worker->log);
  g_clear_pointer (&worker->config, sonde_session_config_free);
  g_clear_object (&worker->probe_cancellable);
  g_assert (worker->side_session == NULL);
  g_clear_object (&worker->side_cancellable);
  g_clear_pointer (&worker->wake_source, g_source_unref);
  sonde_session_snapshot_clear (&worker->snapshot);
  g_mutex_clear (&worker->mutex);
  g_free (worker);
}

/* Call with the mutex held. */
void
sonde_session_worker_wake_locked (SondeSessionWorker *worker)
{
  if (worker->wake_source != NULL)
    g_source_set_ready_time (worker->wake_source, 0);
}

static JsonObject *
parse_fields (const SondeEntryView *view,
              JsonParser           *parser)
{
  g_autofree char *text = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

/* Why the connection is in its state, from the entries it just wrote: the
 * worker is the log's only writer, so nothing came after them. A wait or a
 * new attempt is announced by a `reconnect` entry, last in the log; the
 * reason is the error or `closed` entry nearest before it. */
static void
describe_state (SondeSessionWorker   *worker,
                SondeSessionSnapshot *snapshot)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint64 n = sonde_event_log_get_n_entries (worker->log);
  SondeEntryView view;
  JsonObject *fields;
  guint64 seq;

  if (n == 0 || !sonde_event_log_get_view (worker->log, n - 1, &view))
    return;

  seq = n - 1;
  if (view.kind == SONDE_ENTRY_RECONNECT)
    {
      fields = parse_fields (&view, parser);
      if (fields != NULL)
        {
          snapshot->attempt = json_object_get_int_member_with_default (fields, "attempt", 0);
          if (snapshot->state == SONDE_CONNECTION_WAITING)
            {
              gint64 start = g_get_monotonic_time () - sonde_event_log_now (worker->log);

              snapshot->retry_delay_ms =
                json_object_get_int_member_with_default (fields, "delay_ms", 0);
              snapshot->retry_at = start + view.time_us +
                                   (gint64)snapshot->retry_delay_ms * 1000;
            }
        }
      if (seq == 0)
        return;
      seq--;
    }

  if (snapshot->state == SONDE_CONNECTION_CONNECTING)
    return;

  for (guint i = 0; i < REASON_LOOKBACK; i++, seq--)
    {
      if (!sonde_event_log_get_view (worker->log, seq, &view) ||
          view.kind == SONDE_ENTRY_OPEN || view.kind == SONDE_ENTRY_RECONNECT)
        break;

      if (view.kind == SONDE_ENTRY_ERROR || view.kind == SONDE_ENTRY_CLOSED)
        {
          fields = parse_fields (&view, parser);
          if (fields != NULL && json_object_has_member (fields, "message"))
            {
              snapshot->reason = g_strdup (json_object_get_string_member (fields, "message"));
              break;
            }
        }

      if (seq == 0)
        break;
    }
}

static void
worker_publish (SondeSessionWorker *worker)
{
  SondeSessionSnapshot snapshot = { 0 };
  const char *resume = NULL;

  g_assert (g_main_context_is_owner (worker->context));

  if (worker->connection != NULL)
    {
      const GError *error;

      snapshot.state = sonde_connection_get_state (worker->connection);
      if (snapshot.state != SONDE_CONNECTION_OPEN && snapshot.state != SONDE_CONNECTION_IDLE)
        {
          /* A tab's entry limit lets entries go on the session's thread meanwhile. */
          sonde_event_log_begin_read (worker->log);
          describe_state (worker, &snapshot);
          sonde_event_log_end_read (worker->log);
        }
      error = sonde_connection_get_error (worker->connection);
      if (snapshot.state == SONDE_CONNECTION_FAILED && error != NULL)
        {
          g_free (snapshot.reason);
          snapshot.reason = g_strdup (error->message);
        }
      if (SONDE_IS_WS_CLIENT (worker->connection))
        resume = sonde_ws_client_get_last_id (SONDE_WS_CLIENT (worker->connection));
    }

  g_mutex_lock (&worker->mutex);
  snapshot.certificate_errors = worker->snapshot.certificate_errors;
  snapshot.resume_value = g_strdup (resume);
  sonde_session_snapshot_clear (&worker->snapshot);
  worker->snapshot = snapshot;
  sonde_session_worker_wake_locked (worker);
  g_mutex_unlock (&worker->mutex);
}

/* The resume value changes with the messages, not with the state; look now
 * and then rather than on every message. */
static gboolean
poll_resume_cb (gpointer user_data)
{
  SondeSessionWorker *worker = user_data;
  const char *resume;

  if (!SONDE_IS_WS_CLIENT (worker->connection))
    return G_SOURCE_CONTINUE;

  resume = sonde_ws_client_get_last_id (SONDE_WS_CLIENT (worker->connection));

  g_mutex_lock (&worker->mutex);
  if (g_strcmp0 (resume, worker->snapshot.resume_value) != 0)
    {
      g_free (worker->snapshot.resume_value);
      worker->snapshot.resume_value = g_strdup (resume);
      sonde_session_worker_wake_locked (worker);
    }
  g_mutex_unlock (&worker->mutex);

  return G_SOURCE_CONTINUE;
}

static void
connection_state_cb (SondeConnection *connection,
                     GParamSpec      *pspec,
                     gpointer         user_data)
{
  SondeSessionWorker *worker = user_data;
  const GError *error = sonde_connection_get_error (connection);

  if (sonde_connection_get_state (connection) == SONDE_CONNECTION_CONNECTING)
    {
      g_cancellable_cancel (worker->probe_cancellable);
      g_mutex_lock (&worker->mutex);
      worker->snapshot.certificate_errors = 0;
      g_mutex_unlock (&worker->mutex);
    }

  worker_publish (worker);

  if (sonde_connection_get_state (connection) == SONDE_CONNECTION_FAILED &&
      g_error_matches (error, SONDE_ERROR, SONDE_ERROR_TLS))
    sonde_session_worker_probe_certificate (worker);
}

static void
worker_drop_connection (SondeSessionWorker *worker)
{
  if (worker->connection == NULL)
    return;

  sonde_connection_stop (worker->connection);
  g_signal_handlers_disconnect_by_func (worker->connection, connection_state_cb, worker);
  g_clear_object (&worker->connection);
}

void
sonde_session_start_call_free (gpointer data)
{
  SondeSessionStartCall *call = data;

  sonde_session_worker_unref (call->worker);
  sonde_session_config_free (call->config);
  g_free (call);
}

gboolean
sonde_session_worker_start_cb (gpointer data)
{
  SondeSessionStartCall *call = data;
  SondeSessionWorker *worker = call->worker;

  if (worker->connection != NULL && call->restart)
    sonde_connection_stop (worker->connection);

  if (worker->connection != NULL &&
      !sonde_session_config_same_connection (worker->config, call->config))
    worker_drop_connection (worker);

  g_clear_pointer (&worker->config, sonde_session_config_free);
  worker->config = g_steal_pointer (&call->config);

  if (worker->connection == NULL)
    {
      g_autoptr(GError) error = NULL;

      worker->connection = sonde_session_config_create_connection (worker->config, worker->log,
                                                                   &error);
      if (worker->connection == NULL)
        {
          /* The config was checked; this is the engine's own word against it. */
          g_mutex_lock (&worker->mutex);
          sonde_session_snapshot_clear (&worker->snapshot);
          worker->snapshot.state = SONDE_CONNECTION_FAILED;
          worker->snapshot.reason = g_strdup (error->message);
          sonde_session_worker_wake_locked (worker);
          g_mutex_unlock (&worker->mutex);
          return G_SOURCE_REMOVE;
        }
      g_signal_connect (worker->connection, "notify::state", G_CALLBACK (connection_state_cb),
                        worker);
    }
  else
    sonde_connection_set_accepted_certificate_errors (worker->connection,
                                                      worker->config->accepted_certificate_errors);

  sonde_connection_start (worker->connection);
  worker_publish (worker);

  return G_SOURCE_REMOVE;
}

gboolean
sonde_session_worker_setup_cb (gpointer data)
{
  SondeSessionWorker *worker = data;

  worker->poll_source = g_timeout_source_new (RESUME_POLL_MS);
  g_source_set_static_name (worker->poll_source, "[sonde] session resume poll");
  g_source_set_callback (worker->poll_source, poll_resume_cb, worker, NULL);
  g_source_attach (worker->poll_source, worker->context);

  return G_SOURCE_REMOVE;
}

/* Last on the worker thread: the connection stops (and publishes the
 * `closed` state on its way out) and goes, with everything it used. */
gboolean
sonde_session_worker_teardown_cb (gpointer data)
{
  SondeSessionWorker *worker = data;

  if (worker->poll_source != NULL)
    {
      g_source_destroy (worker->poll_source);
      g_clear_pointer (&worker->poll_source, g_source_unref);
    }
  g_cancellable_cancel (worker->probe_cancellable);
  worker_drop_connection (worker);
  /* Side requests still waiting end now, each with its entry, while the
   * thread drains; the session goes with the last of them, here. */
  g_cancellable_cancel (worker->side_cancellable);
  g_clear_object (&worker->side_session);

  return G_SOURCE_REMOVE;
}

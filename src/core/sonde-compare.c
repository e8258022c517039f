/* sonde-compare.c: SSE, WebSocket and long polling on the same feed at once, measured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-compare-private.h"
#include "sonde-demo.h"
#include "sonde-entry.h"
#include "sonde-entry-fields.h"
#include "sonde-error.h"
#include "sonde-mock-server.h"
#include "sonde-poll-client.h"
#include "sonde-reconnect.h"
#include "sonde-recording-reader.h"
#include "sonde-relay.h"
#include "sonde-sse-client.h"
#include "sonde-stamp.h"
#include "sonde-ws-client.h"

/* A run: the mock server (unless every transport has a URL) replays with
 * stamps; each transport's client reaches its server through a relay of
 * its own that counts the bytes and connections; the client's sends go
 * through a second relay (HTTP) or on the open connection (WebSocket,
 * echoed back). When the time is up, every figure is read from what was
 * kept: the clients' event logs (times, payloads and their stamps, raw
 * bytes of each message, drops and opens), the relays' counts and heads,
 * and the round trips of the sends. Nothing in the table is assumed. */

/* How often the end of a run looks whether every transport has caught up. */
#define DRAIN_CHECK_MS 20

/* Row, Send and the object's fields are in sonde-compare-private.h. */

G_DEFINE_FINAL_TYPE (SondeComparison, sonde_comparison, G_TYPE_OBJECT)

static gboolean
enabled (SondeComparison       *self,
         SondeCompareTransport  t)
{
  return (self->options.transports & (1u << t)) != 0;
}

/* ---- The run ---- */

static void finish_run (SondeComparison *self);

/* Stopped early: what ran so far is measured. */
static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  finish_run (user_data);
  return G_SOURCE_REMOVE;
}

/* Whether @t reads the mock server's feed (no URL of its own). */
gboolean
sonde_compare_on_feed (SondeComparison       *self,
                       SondeCompareTransport  t)
{
  return self->server != NULL && self->clients[t] != NULL && self->options.urls[t] == NULL;
}

static gint64 last_position (SondeEventLog *log);

static gboolean
given_up (SondeComparison       *self,
          SondeCompareTransport  t)
{
  SondeConnectionState state = sonde_connection_get_state (self->clients[t]);

  return state == SONDE_CONNECTION_FAILED || state == SONDE_CONNECTION_CLOSED;
}

/* Reads what @t received since the last look into its set of keys.
 * Returns: (transfer none) (nullable): the key of the last message read */
static const char *
read_keys (SondeComparison       *self,
           SondeCompareTransport  t)
{
  guint64 n = sonde_event_log_get_n_entries (self->logs[t]);
  const char *last = NULL;

  if (self->drain_keys[t] == NULL)
    {
      self->drain_keys[t] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      self->drain_counts[t] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  for (; self->drain_next[t] < n; self->drain_next[t]++)
    {
      SondeEntryView view;
      char *key;

      sonde_event_log_get_view (self->logs[t], self->drain_next[t], &view);
      key = sonde_compare_message_key (t, &view, self->drain_counts[t]);
      if (key != NULL)
        {
          g_hash_table_add (self->drain_keys[t], key);
          last = key;
        }
    }
  return last;
}

/* Every transport has the last message of the feed (the mock server's, which
 * the run ended), or, against URLs, the last message each other transport
 * had when the end began; or has given up. */
static gboolean
caught_up (SondeComparison *self)
{
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (self->clients[t] == NULL || given_up (self, t))
        continue;
      if (self->controlled)
        {
          if (last_position (self->logs[t]) + 1 < self->feed_messages)
            return FALSE;
          continue;
        }
      read_keys (self, t);
      for (guint u = 0; u < SONDE_COMPARE_N_TRANSPORTS; u++)
        if (u != t && self->drain_targets[u] != NULL &&
            !g_hash_table_contains (self->drain_keys[t], self->drain_targets[u]))
          return FALSE;
    }
  return TRUE;
}

static gboolean
drain_timer_cb (gpointer user_data)
{
  SondeComparison *self = user_data;

  if (!caught_up (self) && g_get_monotonic_time () < self->drain_deadline_us)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->drain_timer, g_source_unref);
  self->drained = TRUE;
  finish_run (self);
  return G_SOURCE_REMOVE;
}

/* The time is up, or Stop came. On the mock server's feed, the feed ends
 * where it is (nothing more is published), and the run waits until every
 * transport has the messages it published, or @max_wait_us passes, so that
 * all are measured on the same messages: one in its reconnect wait, or a
 * poll on its way, is late, not short. Against URLs the feed goes on; the
 * run waits (at most SONDE_COMPARE_STOP_WAIT_US) until each transport has
 * the last message any other had, and then compares the range all got. */
static void
begin_end (SondeComparison *self,
           gint64           max_wait_us)
{
  gint64 now = g_get_monotonic_time ();

  if (self->finished || self->started_us == 0)
    return;
  if (!self->controlled)
    max_wait_us = MIN (max_wait_us, SONDE_COMPARE_STOP_WAIT_US);
  if (self->ending)
    {
      /* Stop while catching up: wait no longer than Stop does. */
      self->drain_deadline_us = MIN (self->drain_deadline_us, now + max_wait_us);
      return;
    }
  self->ending = TRUE;

  if (self->end_timer != NULL)
    {
      g_source_destroy (self->end_timer);
      g_clear_pointer (&self->end_timer, g_source_unref);
    }
  self->elapsed_us = now - self->started_us;
  if (self->send_timer != NULL)
    {
      g_source_destroy (self->send_timer);
      g_clear_pointer (&self->send_timer, g_source_unref);
    }

  if (self->controlled)
    self->feed_messages = (gint64)sonde_mock_server_end_feed (self->server);
  else
    for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
      if (self->clients[t] != NULL)
        self->drain_targets[t] = g_strdup (read_keys (self, t));
  self->drain_deadline_us = now + max_wait_us;
  self->drain_timer = g_timeout_source_new (DRAIN_CHECK_MS);
  g_source_set_static_name (self->drain_timer, "[sonde] comparison catching up");
  g_source_set_callback (self->drain_timer, drain_timer_cb, self, NULL);
  g_source_attach (self->drain_timer, self->context);
}

static gboolean
end_timer_cb (gpointer user_data)
{
  SondeComparison *self = user_data;

  g_clear_pointer (&self->end_timer, g_source_unref);
  begin_end (self, SONDE_COMPARE_DRAIN_MAX_US);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  SondeComparison *self;
  gint64           max_wait_us;
} EndCall;

static gboolean
end_call_cb (gpointer data)
{
  EndCall *call = data;

  begin_end (call->self, call->max_wait_us);
  return G_SOURCE_REMOVE;
}

static void
end_call_free (gpointer data)
{
  EndCall *call = data;

  g_object_unref (call->self);
  g_free (call);
}

/**
 * sonde_comparison_end:
 * @max_wait_us: how long to wait at most for every transport to catch up
 *
 * Ends a run before its time, as its time does: the mock server stops
 * publishing, and the run waits until every transport has received up to
 * the last message sent (or @max_wait_us passed; against URLs, the last
 * message any transport had), then measures. Safe to call from any thread;
 * the run finishes on its own context.
 */
void
sonde_comparison_end (SondeComparison *self,
                      gint64           max_wait_us)
{
  EndCall *call;

  g_return_if_fail (SONDE_IS_COMPARISON (self));
  g_return_if_fail (max_wait_us >= 0);

  /* Once the run has finished its context is let go (nothing would run the call). */
  g_mutex_lock (&self->context_lock);
  if (self->context == NULL && !self->finished)
    self->end_pending_us = max_wait_us;
  else if (self->context != NULL)
    {
      call = g_new0 (EndCall, 1);
      call->self = g_object_ref (self);
      call->max_wait_us = max_wait_us;
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, end_call_cb, call,
                                  end_call_free);
    }
  g_mutex_unlock (&self->context_lock);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body != NULL && send->self->rtts[send->transport] != NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      gint64 rtt = g_get_monotonic_time () - send->started_us;

      g_array_append_val (send->self->rtts[send->transport], rtt);
    }
  g_object_unref (send->self);
  g_free (send);
}

static gboolean
send_timer_cb (gpointer user_data)
{
  SondeComparison *self = user_data;
  g_autofree char *text = g_strdup_printf (SEND_PREFIX "%u", ++self->n_sends);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (!enabled (self, t) || self->clients[t] == NULL)
        continue;
      if (t == SONDE_COMPARE_WS)
        {
          /* A frame on the open connection; between connections there is none to send on. */
          if (sonde_connection_get_state (self->clients[t]) == SONDE_CONNECTION_OPEN &&
              sonde_ws_client_send_text (SONDE_WS_CLIENT (self->clients[t]), text, NULL))
            self->sends[t]++;
        }
      else
        {
          g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, self->send_urls[t]);
          g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
          Send *send = g_new0 (Send, 1);

          soup_message_set_request_body_from_bytes (message, "text/plain", body);
          /* libsoup gives a POST a new connection unless told it may be sent
           * again; a browser's fetch() reuses the idle keep-alive one, and
           * that is what the send's cost should show. */
          soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
          send->self = g_object_ref (self);
          send->transport = t;
          send->started_us = g_get_monotonic_time ();
          self->sends[t]++;
          soup_session_send_and_read_async (self->send_sessions[t], message, G_PRIORITY_DEFAULT,
                                            self->send_cancellable, send_cb, send);
        }
    }
  return G_SOURCE_CONTINUE;
}

/* The position of the last stamped message @log holds, or -1. */
static gint64
last_position (SondeEventLog *log)
{
  for (guint64 i = sonde_event_log_get_n_entries (log); i > 0; i--)
    {
      SondeEntryView view;
      guint32 position;
      gint64 sent_us;

      sonde_event_log_get_view (log, i - 1, &view);
      if (sonde_stamp_entry_read (&view, &position, &sent_us))
        return position;
    }
  return -1;
}

/* The WebSocket's resume policy: after a reconnect, ask for what follows
 * the last message it has, as a message (the mock server's protocol). The
 * first connection says it has nothing yet (an empty id), so the server need
 * not wait a moment for a resume that does not come. */
static void
ws_state_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  SondeComparison *self = user_data;
  SondeConnection *ws = SONDE_CONNECTION (object);
  g_autofree char *resume = NULL;
  gint64 last;

  if (sonde_connection_get_state (ws) != SONDE_CONNECTION_OPEN)
    return;
  last = last_position (sonde_connection_get_log (ws));
  if (last < 0)
    {
      sonde_ws_client_send_text (SONDE_WS_CLIENT (ws), RESUME_PREFIX "\"}", NULL);
      return;
    }
  resume = g_strdup_printf (RESUME_PREFIX "#%" G_GINT64_FORMAT "\"}", last);
  if (sonde_ws_client_send_text (SONDE_WS_CLIENT (ws), resume, NULL))
    self->resumes[SONDE_COMPARE_WS]++;
}


/* http://host:port/path?query, for the transport's server. */
static GUri *
server_uri (SondeComparison        *self,
            SondeCompareTransport   t,
            GError                **error)
{
  static const char * const paths[] = { "/sse", "/ws", "/poll" };
  g_autofree char *text = NULL;

  if (self->options.urls[t] != NULL)
    text = g_strdup (self->options.urls[t]);
  else
    text = sonde_mock_server_get_url (self->server, t == SONDE_COMPARE_WS ? "ws" : "http",
                                      paths[t]);
  return sonde_compare_parse_url (t, text, error);
}

/* The URL the client uses: the relay's, with ?stamp=1 unless it says otherwise. */
static char *
client_url (GUri    *server,
            guint16  relay_port)
{
  const char *query = g_uri_get_query (server);
  g_autofree char *stamped = NULL;

  if (query == NULL || query[0] == '\0')
    stamped = g_strdup ("stamp=1");
  else if (strstr (query, "stamp=") == NULL)
    stamped = g_strdup_printf ("%s&stamp=1", query);
  else
    stamped = g_strdup (query);
  return g_strdup_printf ("%s://127.0.0.1:%u%s?%s", g_uri_get_scheme (server), relay_port,
                          g_uri_get_path (server)[0] != '\0' ? g_uri_get_path (server) : "/",
                          stamped);
}

/* Whether stamps from @host read on this machine's monotonic clock. */
static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = host[0] == '[' ? g_strndup (host + 1, strlen (host) - 2) : g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
start_transport (SondeComparison        *self,
                 SondeCompareTransport   t,
                 GError                **error)
{
  g_autoptr(GUri) uri = server_uri (self, t, error);
  g_autofree char *url = NULL;
  int port;

  if (uri == NULL)
    return FALSE;
  port = g_uri_get_port (uri);
  if (port < 0)
    port = 80;
  self->figures[t].other_clock = !is_loopback (g_uri_get_host (uri));

  self->feed_relays[t] = sonde_relay_new (g_uri_get_host (uri), (guint16)port);
  if (!sonde_relay_start (self->feed_relays[t], error))
    return FALSE;
  url = client_url (uri, sonde_relay_get_port (self->feed_relays[t]));
  self->log_origin[t] = g_get_monotonic_time () - sonde_event_log_now (self->logs[t]);

  switch (t)
    {
    case SONDE_COMPARE_SSE:
      self->clients[t] = SONDE_CONNECTION (sonde_sse_client_new (url, self->logs[t]));
      break;
    case SONDE_COMPARE_WS:
      self->clients[t] = SONDE_CONNECTION (sonde_ws_client_new (url, self->logs[t]));
      /* What browsers offer. */
      sonde_ws_client_set_offer_deflate (SONDE_WS_CLIENT (self->clients[t]),
                                         self->options.ws_deflate);
      if (self->options.ws_resume)
        g_signal_connect_object (self->clients[t], "notify::state", G_CALLBACK (ws_state_cb),
                                 self, 0);
      break;
    case SONDE_COMPARE_POLL:
      self->clients[t] = SONDE_CONNECTION (sonde_poll_client_new (url, self->logs[t]));
      break;
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }

  /* What a browser does for SSE; for the others the same, a second between tries. */
  {
    SondeReconnectPolicy policy;

    sonde_reconnect_policy_init_spec (&policy);
    sonde_connection_set_policy (self->clients[t], &policy);
  }

  if (t != SONDE_COMPARE_WS && self->options.send_every > 0)
    {
      self->send_relays[t] = sonde_relay_new (g_uri_get_host (uri), (guint16)port);
      if (!sonde_relay_start (self->send_relays[t], error))
        return FALSE;
      self->send_urls[t] = g_strdup_printf ("http://127.0.0.1:%u/echo",
                                            sonde_relay_get_port (self->send_relays[t]));
      self->send_sessions[t] = soup_session_new_with_options ("timeout", 30, NULL);
      self->rtts[t] = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  return TRUE;
}

static gboolean
start_server (SondeComparison  *self,
              GError          **error)
{
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  SondeEventLog *recording = self->options.recording;

  if (recording == NULL && self->options.recording_path != NULL)
    {
      g_autoptr(SondeRecordingReader) reader = NULL;
      g_autofree char *name = g_filename_display_name (self->options.recording_path);

      self->demo = sonde_event_log_new ();
      reader = sonde_recording_reader_new_for_path (self->options.recording_path, error);
      if (reader == NULL || !sonde_recording_reader_load (reader, self->demo, error))
        {
          /* Translators: the recording's file name, then what is wrong with it */
          g_prefix_error (error, _("%s: "), name);
          return FALSE;
        }
      recording = self->demo;
    }
  else if (recording == NULL)
    {
      self->demo = sonde_event_log_new ();
      if (!sonde_demo_load (self->demo, error))
        return FALSE;
      recording = self->demo;
    }

  self->server = sonde_mock_server_new (recording);
  faults->drop_every = self->options.drop_every;
  g_object_set (self->server, "speed", self->options.speed, "loop", TRUE, NULL);
  if (!sonde_mock_server_set_faults (self->server, faults, error) ||
      !sonde_mock_server_start (self->server, error))
    return FALSE;
  if (sonde_mock_server_get_n_items (self->server) == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("The recording has no events or messages to compare with"));
      return FALSE;
    }
  return TRUE;
}

/**
 * sonde_comparison_run_async:
 *
 * Runs the comparison on the thread-default main context for the options'
 * duration; the figures, rows and verdict are there when it finishes.
 */
void
sonde_comparison_run_async (SondeComparison     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean need_server = FALSE;
  gint64 pending_us;

  g_return_if_fail (SONDE_IS_COMPARISON (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, sonde_comparison_run_async);
  g_mutex_lock (&self->context_lock);
  self->context = g_main_context_ref_thread_default ();
  g_mutex_unlock (&self->context_lock);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    need_server |= enabled (self, t) && self->options.urls[t] == NULL;
  g_assert (need_server == self->controlled);
  if (need_server && !start_server (self, &error))
    {
      finish_run (self);
      g_task_return_error (g_steal_pointer (&self->task), g_steal_pointer (&error));
      return;
    }

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (enabled (self, t) && !start_transport (self, t, &error))
        {
          finish_run (self);
          g_task_return_error (g_steal_pointer (&self->task), g_steal_pointer (&error));
          return;
        }
    }

  /* All at once: the clock of each starts with its connection. */
  self->started_us = g_get_monotonic_time ();
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (self->clients[t] != NULL)
      sonde_connection_start (self->clients[t]);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }
  self->end_timer = g_timeout_source_new ((guint)(self->options.duration * 1000));
  g_source_set_static_name (self->end_timer, "[sonde] comparison end");
  g_source_set_callback (self->end_timer, end_timer_cb, self, NULL);
  g_source_attach (self->end_timer, g_main_context_get_thread_default ());
  if (self->options.send_every > 0)
    {
      self->send_timer = g_timeout_source_new ((guint)(self->options.send_every * 1000));
      g_source_set_static_name (self->send_timer, "[sonde] comparison sends");
      g_source_set_callback (self->send_timer, send_timer_cb, self, NULL);
      g_source_attach (self->send_timer, g_main_context_get_thread_default ());
    }

  /* Stop came before the run began: end now, as it would have. */
  g_mutex_lock (&self->context_lock);
  pending_us = self->end_pending_us;
  g_mutex_unlock (&self->context_lock);
  if (pending_us >= 0)
    begin_end (self, pending_us);
}

gboolean
sonde_comparison_run_finish (SondeComparison  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What talks to the network goes on the thread that ran it (libsoup binds
 * a session to its thread); the logs and figures stay. */
static void
release (SondeComparison *self)
{
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_clear_object (&self->clients[t]);
      g_clear_object (&self->feed_relays[t]);
      g_clear_object (&self->send_relays[t]);
      if (self->send_sessions[t] != NULL)
        soup_session_abort (self->send_sessions[t]);
      g_clear_object (&self->send_sessions[t]);
    }
  g_clear_object (&self->server);
}

/* Stops everything; measures when a run was under way. */
static void
finish_run (SondeComparison *self)
{
  gboolean ran = self->started_us > 0 && !self->finished;

  /* Holding the context past the run would keep a late sonde_comparison_end()
   * call, and this object with it, in a context nobody runs. */
  g_mutex_lock (&self->context_lock);
  self->finished = TRUE;
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_unlock (&self->context_lock);
  if (self->drain_timer != NULL)
    {
      g_source_destroy (self->drain_timer);
      g_clear_pointer (&self->drain_timer, g_source_unref);
    }
  if (self->end_timer != NULL)
    {
      g_source_destroy (self->end_timer);
      g_clear_pointer (&self->end_timer, g_source_unref);
    }
  if (self->send_timer != NULL)
    {
      g_source_destroy (self->send_timer);
      g_clear_pointer (&self->send_timer, g_source_unref);
    }
  g_cancellable_cancel (self->send_cancellable);
  /* Stopped before the time was up: as long as it ran. */
  if (ran && self->elapsed_us == 0)
    self->elapsed_us = g_get_monotonic_time () - self->started_us;

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (self->clients[t] != NULL)
      sonde_connection_stop (self->clients[t]);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (self->feed_relays[t] != NULL)
        sonde_relay_stop (self->feed_relays[t]);
      if (self->send_relays[t] != NULL)
        sonde_relay_stop (self->send_relays[t]);
    }
  if (self->server != NULL)
    sonde_mock_server_stop (self->server);

  if (ran)
    {
      if (!self->controlled)
        sonde_compare_align (self);
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->clients[t] != NULL)
          sonde_compare_measure (self, t);
      sonde_compare_build_rows (self);
    }
  release (self);
  if (!ran)
    return;

  if (self->task != NULL)
    {
      g_task_return_boolean (self->task, TRUE);
      g_clear_object (&self->task);
    }
}

/* ---- The object ---- */

/**
 * sonde_comparison_new:
 * @options: what to compare; copied
 */
SondeComparison *
sonde_comparison_new (const SondeCompareOptions *options)
{
  SondeComparison *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->duration > 0, NULL);

  self = g_object_new (SONDE_TYPE_COMPARISON, NULL);
  self->options = *options;
  /* Made here, so that views of them live on the caller's context (the
   * window's), while the run may append from a thread of its own. */
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if ((options->transports & (1u << t)) != 0)
      self->logs[t] = sonde_event_log_new ();
  if (options->recording != NULL)
    self->options.recording = g_object_ref (options->recording);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    self->options.urls[t] = g_strdup (options->urls[t]);
  self->options.recording_path = g_strdup (options->recording_path);
  self->controlled = sonde_compare_options_uses_server (options);
  return self;
}

/**
 * sonde_comparison_get_log:
 *
 * Returns: (transfer none) (nullable): the timeline of one transport's
 *   client; %NULL for one not compared
 */
SondeEventLog *
sonde_comparison_get_log (SondeComparison       *self,
                          SondeCompareTransport  transport)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return self->logs[transport];
}

/**
 * sonde_comparison_get_figures:
 *
 * Returns: (transfer none): what was measured for @transport (all zero
 *   and not enabled before the run ends)
 */
const SondeCompareFigures *
sonde_comparison_get_figures (SondeComparison       *self,
                              SondeCompareTransport  transport)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return &self->figures[transport];
}

/**
 * sonde_comparison_get_feed_messages:
 *
 * Returns: how many messages the mock server's feed published in the run
 *   (positions 0 to that less one), which every transport on it was given
 *   the time to receive; -1 before the end, or when no transport read the
 *   mock server
 */
gint64
sonde_comparison_get_feed_messages (SondeComparison *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), -1);

  return self->feed_messages;
}

/**
 * sonde_comparison_get_controlled:
 *
 * Returns: whether the run read the built-in mock server's feed, which it
 *   ends and whose stamps it trusts; %FALSE against URLs
 */
gboolean
sonde_comparison_get_controlled (SondeComparison *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), FALSE);

  return self->controlled;
}

/**
 * sonde_comparison_get_elapsed:
 *
 * Returns: how long the run lasted, in microseconds; 0 before it ends
 */
gint64
sonde_comparison_get_elapsed (SondeComparison *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), 0);

  return self->elapsed_us;
}

guint
sonde_comparison_get_n_rows (SondeComparison *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), 0);

  return self->rows->len;
}

/**
 * sonde_comparison_get_row:
 * @cells: (out): one text per transport, %NULL for those not compared
 * @how: (out): how the row's figures were measured, for a tooltip
 */
gboolean
sonde_comparison_get_row (SondeComparison     *self,
                          guint                row,
                          const char         **section,
                          const char         **label,
                          const char * const **cells,
                          const char         **how)
{
  Row *r;

  g_return_val_if_fail (SONDE_IS_COMPARISON (self), FALSE);

  if (row >= self->rows->len)
    return FALSE;
  r = g_ptr_array_index (self->rows, row);
  if (section != NULL)
    *section = r->section;
  if (label != NULL)
    *label = r->label;
  if (cells != NULL)
    *cells = (const char * const *)r->cells;
  if (how != NULL)
    *how = r->how;
  return TRUE;
}

static void
sonde_comparison_dispose (GObject *object)
{
  SondeComparison *self = SONDE_COMPARISON (object);

  finish_run (self);

  G_OBJECT_CLASS (sonde_comparison_parent_class)->dispose (object);
}

static void
sonde_comparison_finalize (GObject *object)
{
  SondeComparison *self = SONDE_COMPARISON (object);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_clear_object (&self->logs[t]);
      g_clear_pointer (&self->send_urls[t], g_free);
      g_clear_pointer (&self->rtts[t], g_array_unref);
      g_clear_pointer (&self->figures[t].http_version, g_free);
      g_clear_pointer (&self->figures[t].compression, g_free);
      g_clear_pointer (&self->figures[t].error, g_free);
      g_clear_pointer (&self->drain_targets[t], g_free);
      g_clear_pointer (&self->drain_keys[t], g_hash_table_unref);
      g_clear_pointer (&self->drain_counts[t], g_hash_table_unref);
    }
  g_mutex_clear (&self->context_lock);
  sonde_compare_options_clear (&self->options);
  g_clear_object (&self->demo);
  g_clear_object (&self->send_cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_comparison_parent_class)->finalize (object);
}

static void
sonde_comparison_class_init (SondeComparisonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_comparison_dispose;
  object_class->finalize = sonde_comparison_finalize;
}

static void
sonde_comparison_init (SondeComparison *self)
{
  g_mutex_init (&self->context_lock);
  self->end_pending_us = -1;
  self->send_cancellable = g_cancellable_new ();
  self->feed_messages = -1;
  self->rows = g_ptr_array_new_with_free_func (sonde_compare_row_free);
}

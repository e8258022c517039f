/* sonde-session.c: one connection on a worker thread of its own, read from the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-session-private.h"

/* A session owns an event log, made on the thread that made the session (the
 * window's), and, while it runs, a worker thread with its own GMainContext on
 * which the connection lives: libsoup binds a session to the thread that uses
 * it, and a fire hose must not queue work on the thread that draws.
 *
 * Calls go to the worker as closures invoked on its context. What comes back
 * (the state, why, the resume value, a refused certificate's problems) is a
 * snapshot under a mutex; the worker arms one source on the session's own
 * context when it changes, and that source also counts the log's new entries
 * and notifies the properties, at most once per UPDATE_INTERVAL_US. The
 * counters are read from the log itself, which any thread may read. */

#define UPDATE_INTERVAL_US   (G_USEC_PER_SEC / 60)
/* The worker appends on its own context; the log's items-changed on ours
 * runs at the default idle priority, the one GTK gives its own idle work
 * (registering the window on the accessibility bus, among others). Above
 * GTK's redraw, a fire hose kept the notify ready every turn and the window
 * drew one frame in seven seconds; at the redraw's priority, a notify each
 * frame on a renderer slower than a frame kept the main loop from ever being
 * idle, and GTK's idle work never ran: the window never reached a screen
 * reader. At the idle priority the notify waits for the frame and shares the
 * idle moments with GTK's own work (the timeline's live redraw waits there
 * too), so the list and the timeline hear of new entries a few times a second
 * on the slowest renderer and every frame on a quick one. */
#define LOG_NOTIFY_PRIORITY  G_PRIORITY_DEFAULT_IDLE
#define RATE_TICK_MS         250
#define RATE_WINDOW_US       G_USEC_PER_SEC

G_DEFINE_FINAL_TYPE (SondeSession, sonde_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_LOG,
  PROP_TRANSPORT,
  PROP_URL,
  PROP_RUNNING,
  PROP_STATE,
  PROP_REASON,
  PROP_ATTEMPT,
  PROP_RETRY_DELAY,
  PROP_RETRY_AT,
  PROP_CERTIFICATE_ERRORS,
  PROP_N_ENTRIES,
  PROP_EVENTS_PER_SECOND,
  PROP_BYTES_IN,
  PROP_BYTES_OUT,
  PROP_N_RECONNECTS,
  PROP_LAST_ID,
  PROP_ENTRY_LIMIT,
  PROP_N_RELEASED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The session, on its own thread */

void
sonde_session_invoke (SondeSession   *self,
                      GSourceFunc     func,
                      gpointer        data,
                      GDestroyNotify  notify)
{
  g_assert (self->thread != NULL);

  sonde_worker_invoke (self->thread, func, data, notify);
}

static void
notify_if (SondeSession *self,
           gboolean      changed,
           guint         prop_id)
{
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
scan_log (SondeSession *self)
{
  guint64 n = sonde_event_log_get_n_entries (self->log);
  guint64 bytes_in = self->bytes_in;
  guint64 bytes_out = self->bytes_out;
  guint n_reconnects = self->n_reconnects;
  const char *last_id = NULL;
  gsize last_id_len = 0;
  SondeEntryView view;
  /* Under an entry limit nothing goes before it was counted here (see
   * apply_entry_limit()): the first kept is only a guard. */
  guint64 first = sonde_event_log_get_first_seq (self->log);

  for (guint64 seq = MAX (self->n_scanned, first); seq < n; seq++)
    {
      if (!sonde_event_log_get_view (self->log, seq, &view))
        break;

      if (view.direction == SONDE_DIRECTION_IN)
        bytes_in += view.raw_len;
      else if (view.direction == SONDE_DIRECTION_OUT)
        bytes_out += view.raw_len;

      switch (view.kind)
        {
        case SONDE_ENTRY_SSE:
          last_id = view.id;
          last_id_len = view.id_len;
          self->n_data++;
          break;

        case SONDE_ENTRY_TEXT:
        case SONDE_ENTRY_BINARY:
          self->n_data++;
          break;

        case SONDE_ENTRY_RECONNECT:
          n_reconnects++;
          break;

        case SONDE_ENTRY_OPEN:
        case SONDE_ENTRY_COMMENT:
        case SONDE_ENTRY_RETRY:
        case SONDE_ENTRY_PING:
        case SONDE_ENTRY_PONG:
        case SONDE_ENTRY_CLOSE:
        case SONDE_ENTRY_CLOSED:
        case SONDE_ENTRY_ERROR:
        case SONDE_ENTRY_REQUEST:
        case SONDE_ENTRY_N_KINDS:
        default:
          break;
        }
    }
  self->n_scanned = n;

  notify_if (self, n != self->n_entries, PROP_N_ENTRIES);
  self->n_entries = n;
  notify_if (self, bytes_in != self->bytes_in, PROP_BYTES_IN);
  self->bytes_in = bytes_in;
  notify_if (self, bytes_out != self->bytes_out, PROP_BYTES_OUT);
  self->bytes_out = bytes_out;
  notify_if (self, n_reconnects != self->n_reconnects, PROP_N_RECONNECTS);
  self->n_reconnects = n_reconnects;

  /* SSE: the ID the next reconnect sends, as of the last event. */
  if (last_id != NULL &&
      (self->last_id == NULL || strlen (self->last_id) != last_id_len ||
       memcmp (self->last_id, last_id, last_id_len) != 0))
    {
      g_free (self->last_id);
      self->last_id = g_strndup (last_id, last_id_len);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ID]);
    }
}

static void
update_rate (SondeSession *self)
{
  gint64 now = g_get_monotonic_time ();
  double rate = 0;

  /* Two samples about a second apart: the older one is the base, and it
   * moves up once the newer one is old enough to take its place. */
  if (self->rate_time[0] == 0)
    {
      self->rate_time[0] = self->rate_time[1] = now;
      self->rate_count[0] = self->rate_count[1] = self->n_data;
    }
  if (now - self->rate_time[1] >= RATE_WINDOW_US)
    {
      self->rate_time[0] = self->rate_time[1];
      self->rate_count[0] = self->rate_count[1];
      self->rate_time[1] = now;
      self->rate_count[1] = self->n_data;
    }
  if (now > self->rate_time[0])
    rate = (double)(self->n_data - self->rate_count[0]) * G_USEC_PER_SEC /
           (double)(now - self->rate_time[0]);
  if (!self->running)
    rate = 0;

  if (rate != self->events_per_second)
    {
      self->events_per_second = rate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS_PER_SECOND]);
    }
}

static void
take_snapshot (SondeSession *self)
{
  SondeSessionSnapshot snapshot = { 0 };
  SondeSessionSnapshot *shown = &self->shown;

  if (self->worker == NULL)
    return;

  g_mutex_lock (&self->worker->mutex);
  snapshot = self->worker->snapshot;
  snapshot.reason = g_strdup (snapshot.reason);
  snapshot.resume_value = g_strdup (snapshot.resume_value);
  g_mutex_unlock (&self->worker->mutex);

  notify_if (self, snapshot.state != shown->state, PROP_STATE);
  notify_if (self, g_strcmp0 (snapshot.reason, shown->reason) != 0, PROP_REASON);
  notify_if (self, snapshot.attempt != shown->attempt, PROP_ATTEMPT);
  notify_if (self, snapshot.retry_delay_ms != shown->retry_delay_ms, PROP_RETRY_DELAY);
  notify_if (self, snapshot.retry_at != shown->retry_at, PROP_RETRY_AT);
  notify_if (self, snapshot.certificate_errors != shown->certificate_errors,
             PROP_CERTIFICATE_ERRORS);

  if (self->config->transport == SONDE_TRANSPORT_WEBSOCKET &&
      g_strcmp0 (snapshot.resume_value, self->last_id) != 0)
    {
      g_free (self->last_id);
      self->last_id = g_strdup (snapshot.resume_value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ID]);
    }

  sonde_session_snapshot_clear (shown);
  *shown = snapshot;
}

/* Keeps the log to the entry limit. After scan_log(), which has counted
 * every entry appended so far: what goes, at the log's next announcement,
 * is older than what the model shows now, so it was counted. */
static void
apply_entry_limit (SondeSession *self)
{
  guint64 n_released = sonde_event_log_get_first_seq (self->log);

  if (self->entry_limit > 0)
    sonde_event_log_keep_newest (self->log, self->entry_limit);

  notify_if (self, n_released != self->n_released, PROP_N_RELEASED);
  self->n_released = n_released;
}

static void
sonde_session_update (SondeSession *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  take_snapshot (self);
  scan_log (self);
  apply_entry_limit (self);
  update_rate (self);
  g_object_thaw_notify (G_OBJECT (self));

  self->last_update = g_get_monotonic_time ();
}

static gboolean
update_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  SondeSession *self = user_data;
  gint64 now = g_get_monotonic_time ();

  /* At most once per frame: a fire hose wakes us every turn of the loop. */
  if (now - self->last_update < UPDATE_INTERVAL_US)
    {
      g_source_set_ready_time (source, self->last_update + UPDATE_INTERVAL_US);
      return G_SOURCE_CONTINUE;
    }

  g_source_set_ready_time (source, -1);
  sonde_session_update (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs update_funcs = {
  .dispatch = update_dispatch,
};

static void
schedule_update (SondeSession *self)
{
  if (g_source_get_ready_time (self->update_source) == -1)
    g_source_set_ready_time (self->update_source, 0);
}

static void
log_items_changed_cb (SondeSession *self,
                      guint         position,
                      guint         removed,
                      guint         added,
                      GListModel   *model)
{
  schedule_update (self);
}

static gboolean
rate_tick_cb (gpointer user_data)
{
  schedule_update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
set_running (SondeSession *self,
             gboolean      running)
{
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Ends the worker thread and waits for it: the connection was told to stop,
 * which only cancels what it is doing, so this takes milliseconds. */
static void
sonde_session_join (SondeSession *self)
{
  if (self->thread == NULL)
    return;

  sonde_worker_join (g_steal_pointer (&self->thread));

  g_clear_handle_id (&self->rate_tick, g_source_remove);
}

static void
sonde_session_release_worker (SondeSession *self)
{
  if (self->worker == NULL)
    return;

  g_mutex_lock (&self->worker->mutex);
  g_clear_pointer (&self->worker->wake_source, g_source_unref);
  g_mutex_unlock (&self->worker->mutex);
  g_clear_pointer (&self->worker, sonde_session_worker_unref);
}

static void
sonde_session_dispose (GObject *object)
{
  SondeSession *self = SONDE_SESSION (object);

  sonde_session_join (self);
  sonde_session_release_worker (self);

  if (self->update_source != NULL)
    {
      g_source_destroy (self->update_source);
      g_clear_pointer (&self->update_source, g_source_unref);
    }
  g_clear_signal_handler (&self->items_changed_id, self->log);

  G_OBJECT_CLASS (sonde_session_parent_class)->dispose (object);
}

static void
sonde_session_finalize (GObject *object)
{
  SondeSession *self = SONDE_SESSION (object);

  g_clear_pointer (&self->config, sonde_session_config_free);
  g_clear_object (&self->log);
  g_clear_pointer (&self->context, g_main_context_unref);
  sonde_session_snapshot_clear (&self->shown);
  g_clear_pointer (&self->last_id, g_free);

  G_OBJECT_CLASS (sonde_session_parent_class)->finalize (object);
}

static void
sonde_session_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SondeSession *self = SONDE_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_boxed (value, self->config);
      break;

    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    case PROP_TRANSPORT:
      g_value_set_enum (value, self->config->transport);
      break;

    case PROP_URL:
      g_value_set_string (value, self->config->url);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->shown.state);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->shown.reason);
      break;

    case PROP_ATTEMPT:
      g_value_set_uint (value, self->shown.attempt);
      break;

    case PROP_RETRY_DELAY:
      g_value_set_uint (value, self->shown.retry_delay_ms);
      break;

    case PROP_RETRY_AT:
      g_value_set_int64 (value, self->shown.retry_at);
      break;

    case PROP_CERTIFICATE_ERRORS:
      g_value_set_flags (value, self->shown.certificate_errors);
      break;

    case PROP_N_ENTRIES:
      g_value_set_uint64 (value, self->n_entries);
      break;

    case PROP_EVENTS_PER_SECOND:
      g_value_set_double (value, self->events_per_second);
      break;

    case PROP_BYTES_IN:
      g_value_set_uint64 (value, self->bytes_in);
      break;

    case PROP_BYTES_OUT:
      g_value_set_uint64 (value, self->bytes_out);
      break;

    case PROP_N_RECONNECTS:
      g_value_set_uint (value, self->n_reconnects);
      break;

    case PROP_LAST_ID:
      g_value_set_string (value, self->last_id);
      break;

    case PROP_ENTRY_LIMIT:
      g_value_set_uint64 (value, self->entry_limit);
      break;

    case PROP_N_RELEASED:
      g_value_set_uint64 (value, self->n_released);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_session_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SondeSession *self = SONDE_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      sonde_session_set_config (self, g_value_get_boxed (value));
      break;

    case PROP_ENTRY_LIMIT:
      sonde_session_set_entry_limit (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_session_class_init (SondeSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sonde_session_dispose;
  object_class->finalize = sonde_session_finalize;
  object_class->get_property = sonde_session_get_property;
  object_class->set_property = sonde_session_set_property;

  /* What the next start or reconnect connects with. */
  properties[PROP_CONFIG] =
    g_param_spec_boxed ("config", NULL, NULL, SONDE_TYPE_SESSION_CONFIG,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG, ro);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL, SONDE_TYPE_TRANSPORT, SONDE_TRANSPORT_SSE,
                       ro);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL, ro);
  /* Whether the worker thread is there: from start until stop. */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SONDE_TYPE_CONNECTION_STATE,
                       SONDE_CONNECTION_IDLE, ro);
  /* Why the connection is waiting, closed or failed, in words; NULL when open. */
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  /* Which reconnect attempt is waited for or made; 0 for the first connection. */
  properties[PROP_ATTEMPT] =
    g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* How long the current wait lasts, in milliseconds. */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* When the current wait ends, on the monotonic clock; 0 when not waiting. */
  properties[PROP_RETRY_AT] =
    g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* The problems of a certificate that made the connection fail. */
  properties[PROP_CERTIFICATE_ERRORS] =
    g_param_spec_flags ("certificate-errors", NULL, NULL, G_TYPE_TLS_CERTIFICATE_FLAGS, 0, ro);
  properties[PROP_N_ENTRIES] =
    g_param_spec_uint64 ("n-entries", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /* Data entries (SSE events, WebSocket messages) per second over the last second or so. */
  properties[PROP_EVENTS_PER_SECOND] =
    g_param_spec_double ("events-per-second", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  /* Raw bytes of the entries from the server and to it. */
  properties[PROP_BYTES_IN] =
    g_param_spec_uint64 ("bytes-in", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_OUT] =
    g_param_spec_uint64 ("bytes-out", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_N_RECONNECTS] =
    g_param_spec_uint ("n-reconnects", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* SSE: the last event ID; WebSocket: the resume value, when a resume path is set. */
  properties[PROP_LAST_ID] =
    g_param_spec_string ("last-id", NULL, NULL, NULL, ro);
  /* How many of the newest entries the log keeps; 0 keeps every entry. The
   * oldest go in whole blocks, so up to a block more stay. */
  properties[PROP_ENTRY_LIMIT] =
    g_param_spec_uint64 ("entry-limit", NULL, NULL, 0, G_MAXUINT32, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How many of the oldest entries the limit let go: the first sequence number kept. */
  properties[PROP_N_RELEASED] =
    g_param_spec_uint64 ("n-released", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_session_init (SondeSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->log = sonde_event_log_new ();
  sonde_event_log_set_notify_priority (self->log, LOG_NOTIFY_PRIORITY);
  self->items_changed_id = g_signal_connect_swapped (self->log, "items-changed",
                                                     G_CALLBACK (log_items_changed_cb), self);

  self->update_source = g_source_new (&update_funcs, sizeof (GSource));
  g_source_set_callback (self->update_source, NULL, self, NULL);
  g_source_set_static_name (self->update_source, "[sonde] session update");
  g_source_attach (self->update_source, self->context);
}

/**
 * sonde_session_new:
 *
 * Makes a session and its log on the calling thread, whose main context then
 * hears of everything; nothing connects before sonde_session_start().
 */
SondeSession *
sonde_session_new (const SondeSessionConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  return g_object_new (SONDE_TYPE_SESSION, "config", config, NULL);
}

/**
 * sonde_session_get_config:
 *
 * Returns: (transfer none): what the session connects with
 */
const SondeSessionConfig *
sonde_session_get_config (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), NULL);

  return self->config;
}

/**
 * sonde_session_set_config:
 *
 * Takes effect at the next start or reconnect. The URL may change, but not
 * its transport: the log holds one transport's entries.
 */
void
sonde_session_set_config (SondeSession             *self,
                          const SondeSessionConfig *config)
{
  gboolean url_changed;

  g_return_if_fail (SONDE_IS_SESSION (self));
  g_return_if_fail (config != NULL);
  g_return_if_fail (self->config == NULL || self->config->transport == config->transport);

  if (self->config != NULL && sonde_session_config_equal (self->config, config))
    return;

  url_changed = self->config == NULL || g_strcmp0 (self->config->url, config->url) != 0;
  g_clear_pointer (&self->config, sonde_session_config_free);
  self->config = sonde_session_config_copy (config);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  if (url_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

/**
 * sonde_session_get_log:
 *
 * Returns: (transfer none): the log, for the main thread to read; it stays
 *   the same across reconnects
 */
SondeEventLog *
sonde_session_get_log (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), NULL);

  return self->log;
}

SondeTransport
sonde_session_get_transport (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), SONDE_TRANSPORT_SSE);

  return self->config->transport;
}

const char *
sonde_session_get_url (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), NULL);

  return self->config->url;
}

static void
sonde_session_start_worker (SondeSession *self,
                            gboolean      restart)
{
  SondeSessionStartCall *call;

  if (self->thread == NULL)
    {
      SondeSessionWorker *worker;

      /* A stopped worker's snapshot is gone with it; start over. */
      sonde_session_release_worker (self);

      worker = g_new0 (SondeSessionWorker, 1);
      g_atomic_ref_count_init (&worker->ref_count);
      g_mutex_init (&worker->mutex);
      worker->log = g_object_ref (self->log);
      worker->wake_source = g_source_ref (self->update_source);
      self->worker = worker;

      /* The worker struct outlives the thread: the session reads its last
       * snapshot after the join. */
      self->thread = sonde_worker_new ("sonde-session", sonde_session_worker_teardown_cb, worker);
      worker->context = g_main_context_ref (sonde_worker_get_context (self->thread));
      sonde_session_invoke (self, sonde_session_worker_setup_cb, sonde_session_worker_ref (worker),
                            (GDestroyNotify)sonde_session_worker_unref);
      self->rate_tick = g_timeout_add (RATE_TICK_MS, rate_tick_cb, self);
      self->rate_time[0] = 0;
      set_running (self, TRUE);
    }

  call = g_new0 (SondeSessionStartCall, 1);
  call->worker = sonde_session_worker_ref (self->worker);
  call->config = sonde_session_config_copy (self->config);
  call->restart = restart;
  sonde_session_invoke (self, sonde_session_worker_start_cb, call, sonde_session_start_call_free);
}

/**
 * sonde_session_start:
 *
 * Starts the worker thread, if it is not running, and connects. Does nothing
 * while the connection is connecting, open or waiting.
 */
void
sonde_session_start (SondeSession *self)
{
  g_return_if_fail (SONDE_IS_SESSION (self));

  sonde_session_start_worker (self, FALSE);
}

/**
 * sonde_session_stop:
 *
 * Ends the connection, at the user's request (a `closed` entry says so), and
 * the worker thread with it. The log stays.
 */
void
sonde_session_stop (SondeSession *self)
{
  g_return_if_fail (SONDE_IS_SESSION (self));

  if (self->thread == NULL)
    return;

  sonde_session_join (self);
  /* The thread is gone; what it left in the snapshot is final. */
  sonde_session_update (self);
  set_running (self, FALSE);
  update_rate (self);
}

/**
 * sonde_session_reconnect:
 *
 * Ends the connection and connects again at once, with the current
 * configuration, into the same log: the timeline shows the gap.
 */
void
sonde_session_reconnect (SondeSession *self)
{
  g_return_if_fail (SONDE_IS_SESSION (self));

  sonde_session_start_worker (self, TRUE);
}

/**
 * sonde_session_accept_certificate:
 * @errors: the certificate problems to let through from now on
 *
 * Accepts @errors for this session only, on top of what it accepted before,
 * and reconnects.
 */
void
sonde_session_accept_certificate (SondeSession         *self,
                                  GTlsCertificateFlags  errors)
{
  g_autoptr(SondeSessionConfig) config = NULL;

  g_return_if_fail (SONDE_IS_SESSION (self));

  config = sonde_session_config_copy (self->config);
  config->accepted_certificate_errors |= errors;
  sonde_session_set_config (self, config);
  sonde_session_reconnect (self);
}

gboolean
sonde_session_get_running (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), FALSE);

  return self->running;
}

/**
 * sonde_session_get_active:
 *
 * Returns: whether the connection may still bring entries: it is
 *   connecting, open or waiting to reconnect. One that failed or closed is
 *   not, though the worker thread stays until a reconnect or a stop.
 */
gboolean
sonde_session_get_active (SondeSession *self)
{
  SondeConnectionState state;

  g_return_val_if_fail (SONDE_IS_SESSION (self), FALSE);

  state = self->shown.state;
  return self->running && (state == SONDE_CONNECTION_CONNECTING ||
                           state == SONDE_CONNECTION_OPEN || state == SONDE_CONNECTION_WAITING);
}

SondeConnectionState
sonde_session_get_state (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), SONDE_CONNECTION_IDLE);

  return self->shown.state;
}

/**
 * sonde_session_get_reason:
 *
 * Returns: (nullable): why the connection waits, closed or failed, as the
 *   engine said it
 */
const char *
sonde_session_get_reason (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), NULL);

  return self->shown.reason;
}

guint
sonde_session_get_attempt (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->shown.attempt;
}

guint
sonde_session_get_retry_delay (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->shown.retry_delay_ms;
}

gint64
sonde_session_get_retry_at (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->shown.retry_at;
}

/**
 * sonde_session_get_certificate_errors:
 *
 * Returns: what was wrong with the certificate that made the connection
 *   fail, or 0; sonde_session_accept_certificate() takes exactly this
 */
GTlsCertificateFlags
sonde_session_get_certificate_errors (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->shown.certificate_errors;
}

guint64
sonde_session_get_n_entries (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->n_entries;
}

/**
 * sonde_session_set_entry_limit:
 * @limit: how many of the newest entries to keep; 0 keeps every entry
 *
 * Lets the log go of its oldest entries beyond @limit, now and as entries
 * arrive (once a frame, after they were counted). They leave the log's
 * model from its start, in whole 4 MiB blocks, so between @limit and a
 * block more stay; sequence numbers go on. Lifting the limit keeps what is
 * left.
 */
void
sonde_session_set_entry_limit (SondeSession *self,
                               guint64       limit)
{
  g_return_if_fail (SONDE_IS_SESSION (self));
  g_return_if_fail (limit <= G_MAXUINT32);

  if (self->entry_limit == limit)
    return;

  self->entry_limit = limit;
  /* Lifted: what is left stays, a block still asked to go included. */
  if (limit == 0)
    sonde_event_log_cancel_release (self->log);
  schedule_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY_LIMIT]);
}

guint64
sonde_session_get_entry_limit (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->entry_limit;
}

/**
 * sonde_session_get_n_released:
 *
 * Returns: how many of the oldest entries the entry limit let go
 */
guint64
sonde_session_get_n_released (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->n_released;
}

double
sonde_session_get_events_per_second (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->events_per_second;
}

guint64
sonde_session_get_bytes_in (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->bytes_in;
}

guint64
sonde_session_get_bytes_out (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->bytes_out;
}

guint
sonde_session_get_n_reconnects (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), 0);

  return self->n_reconnects;
}

/**
 * sonde_session_get_last_id:
 *
 * Returns: (nullable): SSE: the last event ID; WebSocket: the last value at
 *   the resume path
 */
const char *
sonde_session_get_last_id (SondeSession *self)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), NULL);

  return self->last_id;
}

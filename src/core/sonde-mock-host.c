/* sonde-mock-host.c: the mock server on a worker thread, for a process whose main thread draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-demo.h"
#include "sonde-error.h"
#include "sonde-mock-host.h"
#include "sonde-recording-reader.h"
#include "sonde-worker.h"

/* `sonde --demo` and the Mock Servers panel serve from inside the window's
 * process. The recording is read, and the SoupServer made, run and
 * destroyed, on the worker thread; the main thread keeps a copy of what it
 * asked for (faults, speed, loop) and hands each change to the thread as a
 * copy, so the two never share a value. What the thread knows (the port,
 * the clients, what happened to them) comes back on the thread that made the
 * host, in one update at most every WATCH_INTERVAL_MS.
 *
 * Nothing the thread runs holds a reference to the host or to a task: the
 * host joins the thread before it goes (dispose stops it), and a last
 * reference dropped on the thread would join the thread from itself. Tasks
 * go out and come back as plain pointers, and are finished and released on
 * the main thread. */

#define WATCH_INTERVAL_MS 100
/* The sentences one update carries at most; a flood of connects is summed up. */
#define MAX_EVENTS_PER_UPDATE 50

struct _SondeMockHost
{
  GObject          parent_instance;

  /* The main thread's. */
  char            *recording_path;
  SondeEventLog   *source_log;     /* a tab's capture; NULL to read recording_path */
  char            *address;
  guint            requested_port;
  double           speed;
  gboolean         loop;
  SondeMockFaults *faults;
  GMainContext    *main_context;
  SondeWorker     *worker;
  guint            generation;     /* a new one at each start and stop */
  gboolean         running;
  guint            port;
  guint            n_items;
  GPtrArray       *clients;        /* SondeMockClientInfo */

  /* The worker thread's (written by the main thread before the thread starts). */
  guint            run_generation;
  SondeEventLog   *recording;
  SondeMockServer *server;
  GSource         *watch;
  GPtrArray       *posted_clients; /* what the main thread was last told */
  GPtrArray       *events;         /* sentences not yet posted */
  guint            events_dropped;
  gboolean         torn_down;
};

G_DEFINE_FINAL_TYPE (SondeMockHost, sonde_mock_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_SPEED,
  PROP_LOOP,
  PROP_FAULTS,
  PROP_RUNNING,
  N_PROPS
};

enum {
  CLIENTS_CHANGED,
  CLIENT_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- Updates, from the thread to the main thread ---- */

typedef struct
{
  GWeakRef   host;
  guint      generation;
  GPtrArray *clients;   /* NULL: unchanged */
  GPtrArray *events;
} Update;

static void
update_free (gpointer data)
{
  Update *update = data;

  g_weak_ref_clear (&update->host);
  g_clear_pointer (&update->clients, g_ptr_array_unref);
  g_clear_pointer (&update->events, g_ptr_array_unref);
  g_free (update);
}

static gboolean
deliver_update_cb (gpointer data)
{
  Update *update = data;
  g_autoptr(SondeMockHost) self = g_weak_ref_get (&update->host);

  /* From a run that has since been stopped: its clients are gone. */
  if (self == NULL || update->generation != self->generation)
    return G_SOURCE_REMOVE;

  for (guint i = 0; update->events != NULL && i < update->events->len; i++)
    g_signal_emit (self, signals[CLIENT_EVENT], 0, g_ptr_array_index (update->events, i));

  if (update->clients != NULL)
    {
      g_ptr_array_unref (self->clients);
      self->clients = g_steal_pointer (&update->clients);
      g_signal_emit (self, signals[CLIENTS_CHANGED], 0);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
clients_equal (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (!sonde_mock_client_info_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
copy_clients (GPtrArray *clients)
{
  return g_ptr_array_copy (clients, (GCopyFunc)sonde_mock_client_info_copy, NULL);
}

/* On the thread: tells the main thread what changed since the last time. */
static gboolean
watch_cb (gpointer data)
{
  SondeMockHost *self = data;
  g_autoptr(GPtrArray) clients = sonde_mock_server_list_clients (self->server);
  Update *update;

  if (self->events->len == 0 && clients_equal (clients, self->posted_clients))
    return G_SOURCE_CONTINUE;

  update = g_new0 (Update, 1);
  g_weak_ref_init (&update->host, self);
  update->generation = self->run_generation;
  if (!clients_equal (clients, self->posted_clients))
    {
      g_ptr_array_unref (self->posted_clients);
      self->posted_clients = copy_clients (clients);
      update->clients = g_steal_pointer (&clients);
    }
  if (self->events_dropped > 0)
    g_ptr_array_add (self->events,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %u more event",
                                                   "… and %u more events", self->events_dropped),
                                      self->events_dropped));
  self->events_dropped = 0;
  if (self->events->len > 0)
    {
      update->events = g_steal_pointer (&self->events);
      self->events = g_ptr_array_new_with_free_func (g_free);
    }

  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, deliver_update_cb, update,
                              update_free);
  return G_SOURCE_CONTINUE;
}

static void
server_client_event_cb (SondeMockServer *server,
                        const char      *message,
                        gpointer         user_data)
{
  SondeMockHost *self = user_data;

  if (self->events->len < MAX_EVENTS_PER_UPDATE)
    g_ptr_array_add (self->events, g_strdup (message));
  else
    self->events_dropped++;
}

/* ---- Start and stop ---- */

typedef struct
{
  SondeMockHost   *self;        /* the task holds the reference */
  char            *address;
  guint            port;
  double           speed;
  gboolean         loop;
  SondeMockFaults *faults;
  guint            generation;
  /* The outcome, for the main thread. */
  GError          *error;
  guint            bound_port;
  guint            n_items;
} Start;

static void
start_free (gpointer data)
{
  Start *start = data;

  g_free (start->address);
  sonde_mock_faults_free (start->faults);
  g_clear_error (&start->error);
  g_free (start);
}

static gboolean
started_on_main_cb (gpointer data)
{
  GTask *task = data;
  Start *start = g_task_get_task_data (task);
  SondeMockHost *self = start->self;

  if (start->generation != self->generation)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The mock server was stopped before it started"));
      return G_SOURCE_REMOVE;
    }
  if (start->error != NULL)
    {
      /* Nothing to serve: the thread goes, and a new start may follow. */
      sonde_worker_join (g_steal_pointer (&self->worker));
      self->generation++;
      g_task_return_error (task, g_steal_pointer (&start->error));
      return G_SOURCE_REMOVE;
    }

  self->port = start->bound_port;
  self->n_items = start->n_items;
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
load_recording (SondeMockHost  *self,
                GError        **error)
{
  g_autoptr(SondeRecordingReader) reader = NULL;

  if (self->source_log != NULL)
    {
      /* Any thread may read a log; the main thread keeps its own reference. */
      self->recording = g_object_ref (self->source_log);
      return TRUE;
    }

  self->recording = sonde_event_log_new ();
  if (self->recording_path == NULL)
    return sonde_demo_load (self->recording, error);   /* what every sonde binary carries */

  reader = sonde_recording_reader_new_for_path (self->recording_path, error);
  return reader != NULL && sonde_recording_reader_load (reader, self->recording, error);
}

static gboolean
worker_start_cb (gpointer data)
{
  GTask *task = data;
  Start *start = g_task_get_task_data (task);
  SondeMockHost *self = start->self;
  g_autoptr(GError) error = NULL;

  /* Stopped before it began: the main thread says so. */
  if (self->torn_down)
    goto out;
  if (!load_recording (self, &error))
    goto out;

  self->server = sonde_mock_server_new (self->recording);
  g_object_set (self->server,
                "address", start->address,
                "port", start->port,
                "speed", start->speed,
                "loop", start->loop,
                "faults", start->faults,
                NULL);
  g_signal_connect (self->server, "client-event", G_CALLBACK (server_client_event_cb), self);
  if (!sonde_mock_server_start (self->server, &error))
    goto out;

  start->bound_port = sonde_mock_server_get_port (self->server);
  start->n_items = sonde_mock_server_get_n_items (self->server);

  self->watch = g_timeout_source_new (WATCH_INTERVAL_MS);
  g_source_set_callback (self->watch, watch_cb, self, NULL);
  g_source_set_static_name (self->watch, "[sonde] mock host watch");
  g_source_attach (self->watch, g_main_context_get_thread_default ());

out:
  start->error = g_steal_pointer (&error);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, started_on_main_cb, task,
                              g_object_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
worker_teardown_cb (gpointer data)
{
  SondeMockHost *self = data;

  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      sonde_mock_server_stop (self->server);
    }
  g_clear_object (&self->server);
  g_clear_object (&self->recording);
  g_ptr_array_set_size (self->posted_clients, 0);
  g_ptr_array_set_size (self->events, 0);
  self->events_dropped = 0;
  self->torn_down = TRUE;

  return G_SOURCE_REMOVE;
}

/**
 * sonde_mock_host_start_async:
 *
 * Reads the recording and starts serving it on the address and port asked
 * for (a free loopback port by default), on a worker thread. The callback
 * comes on the thread that made the host, with the port known.
 */
void
sonde_mock_host_start_async (SondeMockHost       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Start *start;

  g_return_if_fail (SONDE_IS_MOCK_HOST (self));
  g_return_if_fail (self->worker == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_mock_host_start_async);

  start = g_new0 (Start, 1);
  start->self = self;
  start->address = g_strdup (self->address);
  start->port = self->requested_port;
  start->speed = self->speed;
  start->loop = self->loop;
  start->faults = sonde_mock_faults_copy (self->faults);
  start->generation = ++self->generation;
  g_task_set_task_data (task, start, start_free);

  self->run_generation = self->generation;
  self->torn_down = FALSE;
  self->worker = sonde_worker_new ("sonde-mock-host", worker_teardown_cb, self);
  /* The task comes back to this thread in started_on_main_cb. */
  sonde_worker_invoke (self->worker, worker_start_cb, task, NULL);
}

gboolean
sonde_mock_host_start_finish (SondeMockHost  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sonde_mock_host_stop:
 *
 * Stops serving and ends the thread; the clients see their connections drop.
 * A start still under way finishes with %G_IO_ERROR_CANCELLED.
 */
void
sonde_mock_host_stop (SondeMockHost *self)
{
  gboolean was_running;

  g_return_if_fail (SONDE_IS_MOCK_HOST (self));

  if (self->worker == NULL)
    return;

  sonde_worker_join (g_steal_pointer (&self->worker));
  self->generation++;
  was_running = self->running;
  self->running = FALSE;
  self->port = 0;
  self->n_items = 0;

  if (self->clients->len > 0)
    {
      g_ptr_array_set_size (self->clients, 0);
      g_signal_emit (self, signals[CLIENTS_CHANGED], 0);
    }
  if (was_running)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
}

/**
 * sonde_mock_host_get_running:
 *
 * Returns: whether it serves: from the start's callback to the stop
 */
gboolean
sonde_mock_host_get_running (SondeMockHost *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), FALSE);

  return self->running;
}

/**
 * sonde_mock_host_get_port:
 *
 * Returns: the port served on, once started; 0 before
 */
guint
sonde_mock_host_get_port (SondeMockHost *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), 0);

  return self->port;
}

/**
 * sonde_mock_host_get_n_items:
 *
 * Returns: how many events and messages the recording replays, once started
 */
guint
sonde_mock_host_get_n_items (SondeMockHost *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), 0);

  return self->n_items;
}

/**
 * sonde_mock_host_get_url:
 * @scheme: "http" or "ws"
 * @path: "/sse", "/ws" or "/publish"
 *
 * A server on every address (0.0.0.0 or ::) is reached here on loopback.
 *
 * Returns: (transfer full) (nullable): the URL, once started
 */
char *
sonde_mock_host_get_url (SondeMockHost *self,
                         const char    *scheme,
                         const char    *path)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), NULL);

  if (self->port == 0)
    return NULL;

  inet = g_inet_address_new_from_string (self->address);
  if (inet != NULL && g_inet_address_get_is_any (inet))
    host = g_strdup (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "[::1]"
                                                                               : "127.0.0.1");
  else if (inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    host = g_strdup_printf ("[%s]", self->address);
  else
    host = g_strdup (self->address);

  return g_strdup_printf ("%s://%s:%u%s", scheme, host, self->port, path);
}

/**
 * sonde_mock_host_get_faults:
 *
 * Returns: (transfer none): the faults asked for last
 */
const SondeMockFaults *
sonde_mock_host_get_faults (SondeMockHost *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), NULL);

  return self->faults;
}

/* A change for the server on the thread: the host (which outlives the
 * thread) and a copy of what changes. */
typedef struct
{
  SondeMockHost  *self;
  gpointer        data;
  GDestroyNotify  data_free;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  if (change->data_free != NULL)
    change->data_free (change->data);
  g_free (change);
}

/* Runs @func with a Change on the thread, after what was asked for before;
 * a server that failed to start, or is gone, is NULL there. */
static void
run_on_worker (SondeMockHost  *self,
               GSourceFunc     func,
               gpointer        data,
               GDestroyNotify  data_free)
{
  Change *change = g_new0 (Change, 1);

  change->self = self;
  change->data = data;
  change->data_free = data_free;
  if (self->worker == NULL)
    change_free (change);
  else
    sonde_worker_invoke (self->worker, func, change, change_free);
}

static gboolean
worker_set_faults_cb (gpointer data)
{
  Change *change = data;

  /* Checked on the way in. */
  if (change->self->server != NULL)
    sonde_mock_server_set_faults (change->self->server, change->data, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * sonde_mock_host_set_faults:
 * @faults: the faults to inject from now on
 *
 * Takes a copy of @faults. A running server applies them to what it does
 * next (see sonde_mock_server_set_faults()); the next start uses them too.
 *
 * Returns: whether @faults were taken; %FALSE, with @error set, when one of
 *   them is out of range
 */
gboolean
sonde_mock_host_set_faults (SondeMockHost          *self,
                            const SondeMockFaults  *faults,
                            GError                **error)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), FALSE);
  g_return_val_if_fail (faults != NULL, FALSE);

  if (!sonde_mock_faults_check (faults, error))
    return FALSE;
  if (sonde_mock_faults_equal (self->faults, faults))
    return TRUE;

  sonde_mock_faults_free (self->faults);
  self->faults = sonde_mock_faults_copy (faults);
  run_on_worker (self, worker_set_faults_cb, sonde_mock_faults_copy (faults),
                 (GDestroyNotify)sonde_mock_faults_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAULTS]);

  return TRUE;
}

/**
 * sonde_mock_host_get_clients:
 *
 * The connected clients as the thread last told: it tells at most every
 * 100 ms, and emits ::clients-changed when it does.
 *
 * Returns: (transfer none) (element-type SondeMockClientInfo): the clients,
 *   oldest first
 */
GPtrArray *
sonde_mock_host_get_clients (SondeMockHost *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), NULL);

  return self->clients;
}

typedef struct
{
  SondeMockHost *self;
  GBytes        *body;
  GTask         *task;
  guint          n_clients;
  gboolean       sent;
} Publish;

static void
publish_free (gpointer data)
{
  Publish *publish = data;

  g_bytes_unref (publish->body);
  g_clear_object (&publish->task);
  g_free (publish);
}

static gboolean
published_on_main_cb (gpointer data)
{
  Publish *publish = data;

  if (publish->sent)
    g_task_return_int (publish->task, publish->n_clients);
  else
    g_task_return_new_error (publish->task, SONDE_ERROR, SONDE_ERROR_FAILED,
                             _("The mock server is not running"));
  return G_SOURCE_REMOVE;
}

static gboolean
worker_publish_cb (gpointer data)
{
  Publish *publish = data;
  SondeMockHost *self = publish->self;

  if (self->server != NULL)
    {
      publish->n_clients = sonde_mock_server_publish (self->server, publish->body);
      publish->sent = TRUE;
    }
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, published_on_main_cb,
                              publish, publish_free);
  return G_SOURCE_REMOVE;
}

/**
 * sonde_mock_host_publish_async:
 * @body: the message
 *
 * Sends @body to every connected client, as POST /publish does.
 */
void
sonde_mock_host_publish_async (SondeMockHost       *self,
                               GBytes              *body,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Publish *publish;

  g_return_if_fail (SONDE_IS_MOCK_HOST (self));
  g_return_if_fail (body != NULL);

  publish = g_new0 (Publish, 1);
  publish->self = self;
  publish->body = g_bytes_ref (body);
  publish->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (publish->task, sonde_mock_host_publish_async);

  if (self->worker == NULL)
    {
      published_on_main_cb (publish);
      publish_free (publish);
      return;
    }
  /* It comes back to this thread in published_on_main_cb. */
  sonde_worker_invoke (self->worker, worker_publish_cb, publish, NULL);
}

/**
 * sonde_mock_host_publish_finish:
 * @n_clients: (out) (optional): how many clients it went to
 */
gboolean
sonde_mock_host_publish_finish (SondeMockHost  *self,
                                GAsyncResult   *result,
                                guint          *n_clients,
                                GError        **error)
{
  gssize n;

  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_clients != NULL)
    *n_clients = (guint)n;
  return TRUE;
}

/* ---- Speed and loop, live ---- */

typedef struct
{
  const char *name;
  GValue      value;
} PropertyChange;

static void
property_change_free (gpointer data)
{
  PropertyChange *change = data;

  g_value_unset (&change->value);
  g_free (change);
}

static gboolean
worker_set_property_cb (gpointer data)
{
  Change *change = data;
  PropertyChange *property = change->data;

  if (change->self->server != NULL)
    g_object_set_property (G_OBJECT (change->self->server), property->name, &property->value);
  return G_SOURCE_REMOVE;
}

static void
forward_property (SondeMockHost *self,
                  GParamSpec    *pspec,
                  const GValue  *value)
{
  PropertyChange *property = g_new0 (PropertyChange, 1);

  property->name = g_param_spec_get_name (pspec);
  g_value_init (&property->value, G_VALUE_TYPE (value));
  g_value_copy (value, &property->value);
  run_on_worker (self, worker_set_property_cb, property, property_change_free);
}

/* ---- The object ---- */

static void
sonde_mock_host_dispose (GObject *object)
{
  sonde_mock_host_stop (SONDE_MOCK_HOST (object));

  G_OBJECT_CLASS (sonde_mock_host_parent_class)->dispose (object);
}

static void
sonde_mock_host_finalize (GObject *object)
{
  SondeMockHost *self = SONDE_MOCK_HOST (object);

  g_clear_pointer (&self->recording_path, g_free);
  g_clear_object (&self->source_log);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->faults, sonde_mock_faults_free);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->posted_clients, g_ptr_array_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_mock_host_parent_class)->finalize (object);
}

static void
sonde_mock_host_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeMockHost *self = SONDE_MOCK_HOST (object);

  switch (prop_id)
    {
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_PORT: g_value_set_uint (value, self->running ? self->port : self->requested_port); break;
    case PROP_SPEED: g_value_set_double (value, self->speed); break;
    case PROP_LOOP: g_value_set_boolean (value, self->loop); break;
    case PROP_FAULTS: g_value_set_boxed (value, self->faults); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_mock_host_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeMockHost *self = SONDE_MOCK_HOST (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      {
        const char *address = g_value_get_string (value) != NULL ? g_value_get_string (value)
                                                                  : "127.0.0.1";

        if (g_strcmp0 (self->address, address) == 0)
          return;
        g_free (self->address);
        self->address = g_strdup (address);
      }
      break;

    case PROP_PORT:
      if (self->requested_port == g_value_get_uint (value))
        return;
      self->requested_port = g_value_get_uint (value);
      break;

    case PROP_SPEED:
      if (self->speed == g_value_get_double (value))
        return;
      self->speed = g_value_get_double (value);
      forward_property (self, pspec, value);
      break;

    case PROP_LOOP:
      if (self->loop == g_value_get_boolean (value))
        return;
      self->loop = g_value_get_boolean (value);
      forward_property (self, pspec, value);
      break;

    case PROP_FAULTS:
      {
        const SondeMockFaults *faults = g_value_get_boxed (value);
        g_autoptr(SondeMockFaults) none = NULL;
        g_autoptr(GError) error = NULL;

        if (faults == NULL)
          faults = none = sonde_mock_faults_new ();
        /* It notifies when they change. */
        if (!sonde_mock_host_set_faults (self, faults, &error))
          g_critical ("%s", error->message);
      }
      return;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_object_notify_by_pspec (object, pspec);
}

static void
sonde_mock_host_class_init (SondeMockHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sonde_mock_host_dispose;
  object_class->finalize = sonde_mock_host_finalize;
  object_class->get_property = sonde_mock_host_get_property;
  object_class->set_property = sonde_mock_host_set_property;

  /* Where to listen; loopback unless someone names another. Read at start. */
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, "127.0.0.1", flags);
  /* The port asked for (0: a free one), read at start; while running, the one served on. */
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, flags);
  /* The replay's pace, as the recording went (1) or faster; 0 as fast as
   * clients read. A change reaches a running server. */
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 0, 1000, 1,
                                                flags | G_PARAM_CONSTRUCT);
  /* Whether the replay starts over at the end; a change reaches a running server. */
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, TRUE,
                                                flags | G_PARAM_CONSTRUCT);
  /* A SondeMockFaults, as a whole (see sonde_mock_host_set_faults()); NULL clears them. */
  properties[PROP_FAULTS] = g_param_spec_boxed ("faults", NULL, NULL, SONDE_TYPE_MOCK_FAULTS,
                                                flags);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SondeMockHost::clients-changed:
   *
   * The clients, their positions or their resume points changed; see
   * sonde_mock_host_get_clients().
   */
  signals[CLIENTS_CHANGED] =
    g_signal_new ("clients-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  /**
   * SondeMockHost::client-event:
   * @message: a sentence: a connect, a resume point, a disconnect, a fault
   *
   * The server's ::client-event, brought to the host's thread.
   */
  signals[CLIENT_EVENT] =
    g_signal_new ("client-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sonde_mock_host_init (SondeMockHost *self)
{
  self->address = g_strdup ("127.0.0.1");
  self->faults = sonde_mock_faults_new ();
  self->main_context = g_main_context_ref_thread_default ();
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify)sonde_mock_client_info_free);
  self->posted_clients =
    g_ptr_array_new_with_free_func ((GDestroyNotify)sonde_mock_client_info_free);
  self->events = g_ptr_array_new_with_free_func (g_free);
}

/**
 * sonde_mock_host_new:
 * @recording_path: (nullable): the recording to serve; %NULL for the demo
 */
SondeMockHost *
sonde_mock_host_new (const char *recording_path)
{
  SondeMockHost *self = g_object_new (SONDE_TYPE_MOCK_HOST, NULL);

  self->recording_path = g_strdup (recording_path);

  return self;
}

/**
 * sonde_mock_host_new_for_log:
 * @log: a capture, such as a tab's, which may still be growing
 *
 * Serves what @log holds when the server starts.
 */
SondeMockHost *
sonde_mock_host_new_for_log (SondeEventLog *log)
{
  SondeMockHost *self;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  self = g_object_new (SONDE_TYPE_MOCK_HOST, NULL);
  self->source_log = g_object_ref (log);

  return self;
}

/* sonde-mock-host.c: the mock server on a worker thread, for a process whose main thread draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-demo.h"
#include "sonde-mock-host.h"
#include "sonde-mock-server.h"
#include "sonde-recording-reader.h"
#include "sonde-worker.h"

/* `sonde --demo` serves the demo from inside the window's process. The
 * recording is read, and the SoupServer made, run and destroyed, on the
 * worker thread; the main thread only learns the port. */

struct _SondeMockHost
{
  GObject          parent_instance;

  char            *recording_path;
  double           speed;
  gboolean         loop;
  SondeWorker     *worker;
  guint            port;   /* written before the start task returns */

  /* The worker thread's own. */
  SondeEventLog   *recording;
  SondeMockServer *server;
};

G_DEFINE_FINAL_TYPE (SondeMockHost, sonde_mock_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SPEED,
  PROP_LOOP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
worker_start_cb (gpointer data)
{
  GTask *task = data;
  SondeMockHost *self = g_task_get_source_object (task);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  self->recording = sonde_event_log_new ();
  if (self->recording_path == NULL)
    {
      /* The demo every sonde binary carries. */
      if (!sonde_demo_load (self->recording, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return G_SOURCE_REMOVE;
        }
    }
  else if ((reader = sonde_recording_reader_new_for_path (self->recording_path, &error)) == NULL ||
           !sonde_recording_reader_load (reader, self->recording, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  self->server = sonde_mock_server_new (self->recording);
  g_object_set (self->server, "speed", self->speed, "loop", self->loop, NULL);
  if (!sonde_mock_server_start (self->server, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  self->port = sonde_mock_server_get_port (self->server);
  g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
worker_teardown_cb (gpointer data)
{
  SondeMockHost *self = data;

  if (self->server != NULL)
    sonde_mock_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->recording);

  return G_SOURCE_REMOVE;
}

/**
 * sonde_mock_host_start_async:
 *
 * Reads the recording and starts serving it on a free loopback port, on a
 * worker thread.
 */
void
sonde_mock_host_start_async (SondeMockHost       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SONDE_IS_MOCK_HOST (self));
  g_return_if_fail (self->worker == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_mock_host_start_async);

  self->worker = sonde_worker_new ("sonde-mock-host", worker_teardown_cb, self);
  sonde_worker_invoke (self->worker, worker_start_cb, task, g_object_unref);
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
 */
void
sonde_mock_host_stop (SondeMockHost *self)
{
  g_return_if_fail (SONDE_IS_MOCK_HOST (self));

  if (self->worker == NULL)
    return;

  sonde_worker_join (g_steal_pointer (&self->worker));
  self->port = 0;
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
 * sonde_mock_host_get_url:
 * @scheme: "http" or "ws"
 * @path: "/sse", "/ws" or "/publish"
 *
 * Returns: (transfer full) (nullable): the URL, once started
 */
char *
sonde_mock_host_get_url (SondeMockHost *self,
                         const char    *scheme,
                         const char    *path)
{
  g_return_val_if_fail (SONDE_IS_MOCK_HOST (self), NULL);

  if (self->port == 0)
    return NULL;

  return g_strdup_printf ("%s://127.0.0.1:%u%s", scheme, self->port, path);
}

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
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;

    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;

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

  /* Taken at start; the server on the thread is not touched from here. */
  switch (prop_id)
    {
    case PROP_SPEED:
      self->speed = g_value_get_double (value);
      break;

    case PROP_LOOP:
      self->loop = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_mock_host_class_init (SondeMockHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_mock_host_dispose;
  object_class->finalize = sonde_mock_host_finalize;
  object_class->get_property = sonde_mock_host_get_property;
  object_class->set_property = sonde_mock_host_set_property;

  /* The replay's pace, as the recording went (1) or faster; set before starting. */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, 1000, 1,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  /* Whether the replay starts over at the end; set before starting. */
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_mock_host_init (SondeMockHost *self)
{
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

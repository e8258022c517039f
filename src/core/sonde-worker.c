/* sonde-worker.c: a thread with a main context of its own, for what must not run on the window's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-worker.h"

/* The thread runs its context until joined. Whatever lives there (a
 * connection, a SoupServer) is made and destroyed on it, by calls invoked on
 * its context; the teardown function runs there last, and then the thread
 * lets cancelled operations finish, so that what they hold is freed on the
 * thread that used it. Joining takes as long as the teardown: milliseconds,
 * since nothing there blocks. */

#define DRAIN_ITERATIONS 1000

struct _SondeWorker
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GSourceFunc   teardown;
  gpointer      teardown_data;
};

static guint n_running;

static gpointer
worker_thread (gpointer data)
{
  SondeWorker *self = data;
  guint i;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);

  if (self->teardown != NULL)
    self->teardown (self->teardown_data);

  for (i = 0; i < DRAIN_ITERATIONS && g_main_context_iteration (self->context, FALSE); i++)
    ;

  g_main_context_pop_thread_default (self->context);
  g_atomic_int_add ((int *)&n_running, -1);

  return NULL;
}

/**
 * sonde_worker_new:
 * @name: the thread's name
 * @teardown: (nullable): called on the thread when it is joined, before it ends
 *
 * Starts a thread running a main context of its own.
 *
 * Returns: (transfer full): the worker; end it with sonde_worker_join()
 */
SondeWorker *
sonde_worker_new (const char  *name,
                  GSourceFunc  teardown,
                  gpointer     teardown_data)
{
  SondeWorker *self = g_new0 (SondeWorker, 1);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->teardown = teardown;
  self->teardown_data = teardown_data;

  g_atomic_int_inc ((int *)&n_running);
  self->thread = g_thread_new (name, worker_thread, self);

  return self;
}

/**
 * sonde_worker_get_context:
 *
 * Returns: (transfer none): the thread's main context
 */
GMainContext *
sonde_worker_get_context (SondeWorker *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->context;
}

/**
 * sonde_worker_invoke:
 *
 * Calls @func with @data on the thread, soon; @notify frees @data there
 * afterwards, or wherever the context goes if the call never came.
 */
void
sonde_worker_invoke (SondeWorker    *self,
                     GSourceFunc     func,
                     gpointer        data,
                     GDestroyNotify  notify)
{
  g_return_if_fail (self != NULL);

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, func, data, notify);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * sonde_worker_join:
 *
 * Ends the thread, after what was invoked before and the teardown, waits for
 * it, and frees the worker.
 */
void
sonde_worker_join (SondeWorker *self)
{
  g_return_if_fail (self != NULL);

  sonde_worker_invoke (self, quit_cb, g_main_loop_ref (self->loop),
                       (GDestroyNotify)g_main_loop_unref);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self);
}

/**
 * sonde_worker_get_n_running:
 *
 * Returns: how many workers' threads are running in the process
 */
guint
sonde_worker_get_n_running (void)
{
  return (guint)g_atomic_int_get ((int *)&n_running);
}

/* sonde-worker.h: a thread with a main context of its own, for what must not run on the window's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SondeWorker SondeWorker;

SondeWorker  *sonde_worker_new            (const char     *name,
                                           GSourceFunc     teardown,
                                           gpointer        teardown_data);
GMainContext *sonde_worker_get_context    (SondeWorker    *self);
void          sonde_worker_invoke         (SondeWorker    *self,
                                           GSourceFunc     func,
                                           gpointer        data,
                                           GDestroyNotify  notify);
void          sonde_worker_join           (SondeWorker    *self);
guint         sonde_worker_get_n_running  (void);

G_END_DECLS

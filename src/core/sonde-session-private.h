/* sonde-session-private.h: what the parts of the session share: the object, its worker, a snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sonde-session.h"
#include "sonde-worker.h"

G_BEGIN_DECLS

/* The session is four files: sonde-session.c (the object and its
 * properties on the session's own context, start and stop),
 * sonde-session-worker.c (the worker thread: the connection, and the
 * snapshot it publishes), sonde-session-probe.c (which problems a refused
 * certificate has) and sonde-session-send.c (messages and side requests). */

/* What the worker tells the session; guarded by SondeSessionWorker.mutex. */
typedef struct
{
  SondeConnectionState  state;
  char                 *reason;
  guint                 attempt;
  guint                 retry_delay_ms;
  gint64                retry_at;          /* monotonic; 0 when not waiting */
  GTlsCertificateFlags  certificate_errors;
  char                 *resume_value;      /* WebSocket */
} SondeSessionSnapshot;

/* What the session and its worker thread share; outlives the thread, since
 * the session reads the last snapshot after the join. */
typedef struct
{
  gatomicrefcount       ref_count;
  GMainContext         *context;
  SondeEventLog        *log;

  /* The worker thread's own. */
  SondeConnection      *connection;
  SondeSessionConfig   *config;
  GSource              *poll_source;
  GCancellable         *probe_cancellable;
  SoupSession          *side_session;      /* side requests; made on first use */
  GCancellable         *side_cancellable;

  GMutex                mutex;
  SondeSessionSnapshot  snapshot;
  GSource              *wake_source;       /* the session's; NULL once it is gone */
} SondeSessionWorker;

/* What sonde_session_start() and _reconnect() hand the worker. */
typedef struct
{
  SondeSessionWorker *worker;
  SondeSessionConfig *config;
  gboolean            restart;
} SondeSessionStartCall;

struct _SondeSession
{
  GObject               parent_instance;

  SondeSessionConfig   *config;
  SondeEventLog        *log;
  GMainContext         *context;
  SondeWorker          *thread;
  SondeSessionWorker   *worker;

  /* Dispatched on @context: folds the worker's snapshot and the log's new
   * entries into the properties below. */
  GSource              *update_source;
  gint64                last_update;
  guint                 rate_tick;
  gulong                items_changed_id;

  /* Properties, as last notified */
  SondeSessionSnapshot  shown;
  guint64               n_entries;
  double                events_per_second;
  guint64               bytes_in;
  guint64               bytes_out;
  guint                 n_reconnects;
  char                 *last_id;
  gboolean              running;
  guint64               entry_limit;       /* 0: every entry is kept */
  guint64               n_released;

  /* Counting the log, from @n_scanned on. */
  guint64               n_scanned;
  guint64               n_data;
  gint64                rate_time[2];
  guint64               rate_count[2];
};

/* sonde-session.c */
void                sonde_session_invoke                   (SondeSession       *self,
                                                            GSourceFunc         func,
                                                            gpointer            data,
                                                            GDestroyNotify      notify);

/* sonde-session-worker.c */
void                sonde_session_snapshot_clear           (SondeSessionSnapshot *snapshot);
SondeSessionWorker *sonde_session_worker_ref               (SondeSessionWorker *worker);
void                sonde_session_worker_unref             (SondeSessionWorker *worker);
void                sonde_session_worker_wake_locked       (SondeSessionWorker *worker);
gboolean            sonde_session_worker_setup_cb          (gpointer            data);
gboolean            sonde_session_worker_start_cb          (gpointer            data);
gboolean            sonde_session_worker_teardown_cb       (gpointer            data);
void                sonde_session_start_call_free          (gpointer            data);

/* sonde-session-probe.c */
void                sonde_session_worker_probe_certificate (SondeSessionWorker *worker);

G_END_DECLS

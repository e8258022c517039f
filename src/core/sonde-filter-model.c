/* sonde-filter-model.c: the entries of a log that match a query, found off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-entry.h"
#include "sonde-filter-model.h"

/* A GtkFilterListModel asks for an item object per row and walks every
 * row on each change; over a log of millions that stalls the window. This
 * model scans the packed entries in place on a worker thread instead, into
 * an index of matching sequence numbers (four bytes a row), and makes item
 * objects only for the rows a view asks for.
 *
 * The worker hands over what it found after each chunk; the main thread
 * takes it in at most once per frame, so the first matches show at once
 * and a long scan costs the main loop one small copy a frame. Entries that
 * arrive later are matched from where the scan stopped: on the main thread
 * when only a few came, on a worker when many did.
 *
 * A new query leaves the old rows on show until the new scan has something
 * to say, then replaces them in one items-changed, so refining a search
 * does not flash an empty list. With no query, or one that lets everything
 * through, the model is the log itself, row for row.
 *
 * A log may let go of its oldest entries (a tab's entry limit): it removes
 * them from its start, and so does this model, with the rows of the entries
 * that went. The worker reads inside sonde_event_log_begin_read(), so no
 * block is freed under a chunk it is matching. */

#define FRAME_US        16667   /* one notification a frame, at most */
#define FIRST_CHUNK     4096    /* small, so the first matches show at once */
#define MAX_CHUNK       65536
#define SYNC_MAX        1024    /* entries matched on the main thread when they arrive */
#define LARGE_BACKLOG   65536   /* a catch-up this big shows as scanning */

/* Wakes the model's flush source from any thread, once until it runs. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GSource         *source;        /* NULL once the model is gone */
  gint             armed;
} Waker;

typedef struct
{
  gatomicrefcount   ref_count;
  SondeEventLog    *log;
  SondeFilterQuery *query;
  GCancellable     *cancellable;
  Waker            *waker;
  guint64           start;
  guint64           limit;        /* atomic: the main thread raises it as the log grows */
  gboolean          announce;     /* shows as scanning */

  GMutex            mutex;
  GArray           *found;        /* guint64 sequence numbers, not yet taken */
  guint64           scanned;      /* every entry below this was matched */
  gboolean          done;
} ScanJob;

struct _SondeFilterModel
{
  GObject             parent_instance;

  SondeEventLog      *log;
  SondeFilterQuery   *query;      /* NULL when the model is the log */
  SondeFilterMatcher *matcher;    /* for the few entries matched on the main thread */

  /* The result being built: sequence numbers minus base. */
  GArray             *rows;
  guint64             base;
  guint64             n_scanned;  /* entries below this are matched, in rows or with the job */
  ScanJob            *job;

  /* What the last items-changed announced: the first n_shown of
   * shown_rows (the log itself when NULL). It differs from rows only
   * between a new query and its first report. */
  GArray             *shown_rows;
  guint64             shown_base;   /* what shown_rows count from: a new query's base may differ */
  guint               n_shown;
  guint64             n_scanned_shown;

  Waker              *waker;
  gint64              last_announce_us;
  gboolean            scanning;
  double              progress;
};

enum {
  PROP_0,
  PROP_LOG,
  PROP_QUERY,
  PROP_ACTIVE,
  PROP_SCANNING,
  PROP_PROGRESS,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeFilterModel, sonde_filter_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static Waker *
waker_new (void)
{
  Waker *waker = g_new0 (Waker, 1);

  g_atomic_ref_count_init (&waker->ref_count);
  g_mutex_init (&waker->mutex);
  return waker;
}

static Waker *
waker_ref (Waker *waker)
{
  g_atomic_ref_count_inc (&waker->ref_count);
  return waker;
}

static void
waker_unref (Waker *waker)
{
  if (!g_atomic_ref_count_dec (&waker->ref_count))
    return;
  g_mutex_clear (&waker->mutex);
  g_free (waker);
}

static void
waker_wake (Waker *waker)
{
  /* The plain load first keeps the locked exchange off the common path. */
  if (g_atomic_int_get (&waker->armed) != 0 ||
      !g_atomic_int_compare_and_exchange (&waker->armed, 0, 1))
    return;

  g_mutex_lock (&waker->mutex);
  if (waker->source != NULL)
    g_source_set_ready_time (waker->source, 0);
  g_mutex_unlock (&waker->mutex);
}

static ScanJob *
scan_job_ref (ScanJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
scan_job_unref (gpointer data)
{
  ScanJob *job = data;

  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  g_object_unref (job->log);
  sonde_filter_query_unref (job->query);
  g_object_unref (job->cancellable);
  waker_unref (job->waker);
  g_mutex_clear (&job->mutex);
  g_array_unref (job->found);
  g_free (job);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanJob *job = task_data;
  g_autoptr(SondeFilterMatcher) matcher = sonde_filter_matcher_new (job->query);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 seq = job->start;
  guint64 chunk = FIRST_CHUNK;

  while (!g_cancellable_is_cancelled (cancellable))
    {
      guint64 limit = __atomic_load_n (&job->limit, __ATOMIC_ACQUIRE);
      guint64 end;

      if (seq >= limit)
        break;
      end = MIN (limit, seq + chunk);

      sonde_event_log_begin_read (job->log);
      /* Entries the log let go meanwhile are not looked for. */
      seq = MAX (seq, sonde_event_log_get_first_seq (job->log));
      for (; seq < end; seq++)
        {
          SondeEntryView view;

          if (!sonde_event_log_get_view (job->log, seq, &view))
            {
              guint64 first = sonde_event_log_get_first_seq (job->log);

              if (seq >= first)
                break;
              seq = first - 1;
              continue;
            }
          if (sonde_filter_matcher_match (matcher, &view))
            g_array_append_val (found, seq);
        }
      sonde_event_log_end_read (job->log);

      g_mutex_lock (&job->mutex);
      g_array_append_vals (job->found, found->data, found->len);
      job->scanned = seq;
      g_mutex_unlock (&job->mutex);
      g_array_set_size (found, 0);
      waker_wake (job->waker);

      if (seq < end)
        break;
      chunk = MIN (chunk * 2, MAX_CHUNK);
    }

  g_mutex_lock (&job->mutex);
  job->done = TRUE;
  g_mutex_unlock (&job->mutex);
  waker_wake (job->waker);

  g_task_return_boolean (task, TRUE);
}

static void
stop_job (SondeFilterModel *self)
{
  if (self->job == NULL)
    return;

  g_cancellable_cancel (self->job->cancellable);
  g_clear_pointer (&self->job, scan_job_unref);
}

static void
start_job (SondeFilterModel *self,
           guint64           limit,
           gboolean          announce)
{
  g_autoptr(GTask) task = NULL;
  ScanJob *job;

  g_assert (self->job == NULL);
  g_assert (self->query != NULL);

  job = g_new0 (ScanJob, 1);
  g_atomic_ref_count_init (&job->ref_count);
  job->log = g_object_ref (self->log);
  job->query = sonde_filter_query_ref (self->query);
  job->cancellable = g_cancellable_new ();
  job->waker = waker_ref (self->waker);
  job->start = self->n_scanned;
  job->limit = limit;
  job->announce = announce || limit - self->n_scanned > LARGE_BACKLOG;
  g_mutex_init (&job->mutex);
  job->found = g_array_new (FALSE, FALSE, sizeof (guint64));
  job->scanned = job->start;
  self->job = job;

  task = g_task_new (NULL, job->cancellable, NULL, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_name (task, "[sonde] filter scan");
  g_task_set_task_data (task, scan_job_ref (job), scan_job_unref);
  g_task_run_in_thread (task, scan_thread);
}

static void
append_row (SondeFilterModel *self,
            guint64           seq)
{
  guint32 row;

  /* The log holds at most 2^32 entries past base, so a row fits. */
  g_assert (seq >= self->base && seq - self->base <= G_MAXUINT32);
  row = (guint32)(seq - self->base);
  g_array_append_val (self->rows, row);
}

static guint64
log_n_items (SondeFilterModel *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->log));
}

/* The sequence number after the last entry the log shows: its position 0
 * is its first entry kept, not entry 0. */
static guint64
log_end (SondeFilterModel *self)
{
  return sonde_event_log_get_first_seq (self->log) + log_n_items (self);
}

/* Matches what the log published since the last scan: a few entries here,
 * many on a worker. */
static void
catch_up (SondeFilterModel *self,
          gboolean          announce)
{
  guint64 target = log_end (self);

  g_assert (self->query != NULL);

  if (self->job != NULL)
    {
      __atomic_store_n (&self->job->limit, MAX (self->job->limit, target), __ATOMIC_RELEASE);
      return;
    }
  /* What the log let go before it was matched is not looked for. */
  self->n_scanned = MAX (self->n_scanned, sonde_event_log_get_first_seq (self->log));
  if (self->n_scanned >= target)
    return;

  if (target - self->n_scanned > SYNC_MAX)
    {
      start_job (self, target, announce);
      return;
    }

  for (guint64 seq = self->n_scanned; seq < target; seq++)
    {
      SondeEntryView view;

      if (sonde_event_log_get_view (self->log, seq, &view) &&
          sonde_filter_matcher_match (self->matcher, &view))
        append_row (self, seq);
    }
  self->n_scanned = target;
  waker_wake (self->waker);
}

static void
update_status (SondeFilterModel *self)
{
  gboolean scanning = self->job != NULL && self->job->announce;
  double progress = 1.0;

  if (scanning)
    {
      guint64 limit = __atomic_load_n (&self->job->limit, __ATOMIC_RELAXED);

      if (limit > self->job->start)
        progress = (double)(self->n_scanned - self->job->start) / (double)(limit - self->job->start);
      progress = CLAMP (progress, 0.0, 1.0);
    }

  if (scanning != self->scanning)
    {
      self->scanning = scanning;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
    }
  if (progress != self->progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
}

static void
announce (SondeFilterModel *self,
          guint             position,
          guint             removed,
          guint             added)
{
  if (removed == 0 && added == 0)
    return;

  self->last_announce_us = g_get_monotonic_time ();
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Takes in what the worker found and tells the views, once a frame. */
static void
flush (SondeFilterModel *self)
{
  gboolean reported = FALSE;

  if (self->job != NULL)
    {
      ScanJob *job = self->job;
      guint64 first = sonde_event_log_get_first_seq (self->log);
      gboolean done;

      g_mutex_lock (&job->mutex);
      /* Matches the log let go since they were found were never shown: they stay out. */
      for (guint i = 0; i < job->found->len; i++)
        if (g_array_index (job->found, guint64, i) >= first)
          append_row (self, g_array_index (job->found, guint64, i));
      g_array_set_size (job->found, 0);
      self->n_scanned = job->scanned;
      done = job->done;
      reported = job->scanned > job->start || done;
      g_mutex_unlock (&job->mutex);

      if (done)
        {
          g_clear_pointer (&self->job, scan_job_unref);
          catch_up (self, FALSE);
        }
    }

  if (self->query == NULL)
    return;

  if (self->shown_rows != self->rows)
    {
      guint removed = self->n_shown;

      /* Keep the old rows on show until the new scan has something to say. */
      if (!reported && self->job != NULL)
        return;

      g_clear_pointer (&self->shown_rows, g_array_unref);
      self->shown_rows = g_array_ref (self->rows);
      self->shown_base = self->base;
      self->n_shown = self->rows->len;
      self->n_scanned_shown = self->n_scanned;
      announce (self, 0, removed, self->n_shown);
    }
  else if (self->rows->len > self->n_shown)
    {
      guint position = self->n_shown;

      self->n_shown = self->rows->len;
      self->n_scanned_shown = self->n_scanned;
      announce (self, position, 0, self->n_shown - position);
    }
  else
    self->n_scanned_shown = self->n_scanned;
}

static gboolean
flush_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  SondeFilterModel *self = user_data;
  gint64 now = g_source_get_time (source);

  /* At most one items-changed a frame; a flush that announced nothing
   * does not count, so the first matches never wait. */
  if (self->last_announce_us != 0 && now - self->last_announce_us < FRAME_US)
    {
      g_source_set_ready_time (source, self->last_announce_us + FRAME_US);
      return G_SOURCE_CONTINUE;
    }

  g_source_set_ready_time (source, -1);
  /* Cleared before taking anything, so a report racing with us arms it again. */
  g_atomic_int_set (&self->waker->armed, 0);

  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  flush (self);
  update_status (self);
  g_object_thaw_notify (G_OBJECT (self));
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_funcs = {
  .dispatch = flush_dispatch,
};

/* How many of the first @n of @rows, counted from @base, are below sequence number @first. */
static guint
count_rows_below (GArray  *rows,
                  guint    n,
                  guint64  base,
                  guint64  first)
{
  const guint32 *data = (const guint32 *)(gpointer)rows->data;
  guint lo = 0;
  guint hi = n;

  if (first <= base)
    return 0;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (base + data[mid] < first)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The log let its oldest entries go: their rows go too, from the start, as
 * the log's did. The row index shifts down, a copy of the matching rows
 * kept, which the log's own limit bounds. */
static void
drop_rows (SondeFilterModel *self,
           guint             removed)
{
  guint64 first = sonde_event_log_get_first_seq (self->log);
  guint gone;

  if (self->rows != NULL)
    {
      /* Also rows matched but not announced yet, on the main thread. */
      guint below = count_rows_below (self->rows, self->rows->len, self->base, first);

      g_array_remove_range (self->rows, 0, below);
      if (self->rows == self->shown_rows)
        {
          gone = MIN (below, self->n_shown);
          self->n_shown -= gone;
          announce (self, 0, gone, 0);
          return;
        }
    }

  if (self->shown_rows == NULL)
    {
      /* The log itself until a new query's first report: its rows go as the log's did. */
      gone = MIN (removed, self->n_shown);
    }
  else
    {
      /* The last query's rows while a new one has not reported. */
      gone = count_rows_below (self->shown_rows, self->n_shown, self->shown_base, first);
      g_array_remove_range (self->shown_rows, 0, gone);
    }
  self->n_shown -= gone;
  announce (self, 0, gone, 0);
}

static void
log_items_changed_cb (SondeFilterModel *self,
                      guint             position,
                      guint             removed,
                      guint             added,
                      GListModel       *log)
{
  if (self->query != NULL)
    {
      /* The log removes only from its start. */
      if (removed > 0)
        drop_rows (self, removed);
      catch_up (self, FALSE);
      return;
    }

  /* Row for row the log, the oldest going as they do there. */
  self->n_shown = g_list_model_get_n_items (log);
  self->n_scanned_shown = log_end (self);
  announce (self, position, removed, added);
}

static GType
sonde_filter_model_get_item_type (GListModel *model)
{
  return SONDE_TYPE_ENTRY;
}

static guint
sonde_filter_model_get_n_items (GListModel *model)
{
  return SONDE_FILTER_MODEL (model)->n_shown;
}

static gpointer
sonde_filter_model_get_item (GListModel *model,
                             guint       position)
{
  SondeFilterModel *self = SONDE_FILTER_MODEL (model);

  if (position >= self->n_shown)
    return NULL;

  return sonde_entry_new (self->log, sonde_filter_model_get_seq (self, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sonde_filter_model_get_item_type;
  iface->get_n_items = sonde_filter_model_get_n_items;
  iface->get_item = sonde_filter_model_get_item;
}

static void
sonde_filter_model_constructed (GObject *object)
{
  SondeFilterModel *self = SONDE_FILTER_MODEL (object);

  G_OBJECT_CLASS (sonde_filter_model_parent_class)->constructed (object);

  g_assert (self->log != NULL);
  g_signal_connect_object (self->log, "items-changed",
                           G_CALLBACK (log_items_changed_cb), self, G_CONNECT_SWAPPED);
  self->n_shown = (guint)log_n_items (self);
  self->n_scanned_shown = log_end (self);
}

static void
sonde_filter_model_dispose (GObject *object)
{
  SondeFilterModel *self = SONDE_FILTER_MODEL (object);

  stop_job (self);

  if (self->waker != NULL)
    {
      g_mutex_lock (&self->waker->mutex);
      if (self->waker->source != NULL)
        {
          g_source_destroy (self->waker->source);
          g_clear_pointer (&self->waker->source, g_source_unref);
        }
      g_mutex_unlock (&self->waker->mutex);
      g_clear_pointer (&self->waker, waker_unref);
    }

  G_OBJECT_CLASS (sonde_filter_model_parent_class)->dispose (object);
}

static void
sonde_filter_model_finalize (GObject *object)
{
  SondeFilterModel *self = SONDE_FILTER_MODEL (object);

  g_clear_pointer (&self->query, sonde_filter_query_unref);
  g_clear_pointer (&self->matcher, sonde_filter_matcher_free);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->shown_rows, g_array_unref);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_filter_model_parent_class)->finalize (object);
}

static void
sonde_filter_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeFilterModel *self = SONDE_FILTER_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, sonde_filter_model_get_active (self));
      break;

    case PROP_SCANNING:
      g_value_set_boolean (value, self->scanning);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_shown);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_filter_model_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SondeFilterModel *self = SONDE_FILTER_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOG:
      self->log = g_value_dup_object (value);
      break;

    case PROP_QUERY:
      sonde_filter_model_set_query (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_filter_model_class_init (SondeFilterModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sonde_filter_model_constructed;
  object_class->dispose = sonde_filter_model_dispose;
  object_class->finalize = sonde_filter_model_finalize;
  object_class->get_property = sonde_filter_model_get_property;
  object_class->set_property = sonde_filter_model_set_property;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* NULL, or a query that lets everything through: the model is the log. */
  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL, SONDE_TYPE_FILTER_QUERY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_filter_model_init (SondeFilterModel *self)
{
  GSource *source;

  self->progress = 1.0;
  self->waker = waker_new ();

  /* Like the log, the model lives on the context that made it. */
  source = g_source_new (&flush_funcs, sizeof (GSource));
  g_source_set_callback (source, NULL, self, NULL);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[sonde] filter model flush");
  g_source_attach (source, g_main_context_get_thread_default ());
  self->waker->source = source;
}

/**
 * sonde_filter_model_new:
 * @log: the log to filter; the model reads it on this thread's context
 *
 * Returns: (transfer full): a model that shows all of @log until a query is set
 */
SondeFilterModel *
sonde_filter_model_new (SondeEventLog *log)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  return g_object_new (SONDE_TYPE_FILTER_MODEL, "log", log, NULL);
}

/**
 * sonde_filter_model_get_log:
 *
 * Returns: (transfer none): the log being filtered
 */
SondeEventLog *
sonde_filter_model_get_log (SondeFilterModel *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), NULL);

  return self->log;
}

/**
 * sonde_filter_model_set_query:
 * @query: (nullable): what to look for; %NULL for every entry
 *
 * Starts looking for @query, cancelling a scan in flight. The rows of the
 * last query stay until the new scan reports its first chunk.
 */
void
sonde_filter_model_set_query (SondeFilterModel *self,
                              SondeFilterQuery *query)
{
  gboolean was_active;

  g_return_if_fail (SONDE_IS_FILTER_MODEL (self));

  if (query != NULL && sonde_filter_query_matches_all (query))
    query = NULL;
  if (sonde_filter_query_equal (query, self->query))
    return;

  was_active = self->query != NULL;
  stop_job (self);
  g_clear_pointer (&self->query, sonde_filter_query_unref);
  g_clear_pointer (&self->matcher, sonde_filter_matcher_free);
  /* The shown rows hold their own reference; an unannounced result goes. */
  g_clear_pointer (&self->rows, g_array_unref);
  /* Rows count from the oldest entry kept, so they fit in 32 bits while
   * the log keeps fewer than 2^32 entries. */
  self->base = sonde_event_log_get_first_seq (self->log);
  self->n_scanned = self->base;

  g_object_freeze_notify (G_OBJECT (self));

  if (query == NULL)
    {
      guint removed = self->n_shown;

      g_clear_pointer (&self->shown_rows, g_array_unref);
      self->n_shown = (guint)log_n_items (self);
      self->n_scanned_shown = log_end (self);
      announce (self, 0, removed, self->n_shown);
    }
  else
    {
      self->query = sonde_filter_query_ref (query);
      self->matcher = sonde_filter_matcher_new (query);
      self->rows = g_array_new (FALSE, FALSE, sizeof (guint32));
      /* Nothing shown answers for the new query yet. */
      self->n_scanned_shown = 0;
      catch_up (self, TRUE);
      /* Nothing to scan (an empty log) still has to replace what is shown. */
      if (self->job == NULL)
        waker_wake (self->waker);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  if (was_active != (self->query != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  update_status (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * sonde_filter_model_get_query:
 *
 * Returns: (transfer none) (nullable): the query, or %NULL when the model
 *   shows every entry
 */
SondeFilterQuery *
sonde_filter_model_get_query (SondeFilterModel *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), NULL);

  return self->query;
}

/**
 * sonde_filter_model_get_active:
 *
 * Returns: whether a query leaves some entries out
 */
gboolean
sonde_filter_model_get_active (SondeFilterModel *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), FALSE);

  return self->query != NULL;
}

/**
 * sonde_filter_model_get_scanning:
 *
 * Returns: whether a scan of many entries is under way
 */
gboolean
sonde_filter_model_get_scanning (SondeFilterModel *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), FALSE);

  return self->scanning;
}

/**
 * sonde_filter_model_get_progress:
 *
 * Returns: how much of the scan under way is done, from 0 to 1; 1 when
 *   none is
 */
double
sonde_filter_model_get_progress (SondeFilterModel *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), 1.0);

  return self->progress;
}

/**
 * sonde_filter_model_get_n_scanned:
 *
 * Returns: the number of log entries the shown rows account for: every
 *   entry below it that matches is in the model
 */
guint64
sonde_filter_model_get_n_scanned (SondeFilterModel *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), 0);

  return self->n_scanned_shown;
}

/**
 * sonde_filter_model_get_seq:
 * @position: a row of the model
 *
 * Returns: the sequence number of the entry at @position, without making
 *   an item for it; G_MAXUINT64 past the end
 */
guint64
sonde_filter_model_get_seq (SondeFilterModel *self,
                            guint             position)
{
  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), G_MAXUINT64);

  if (position >= self->n_shown)
    return G_MAXUINT64;
  if (self->shown_rows == NULL)
    return sonde_event_log_get_first_seq (self->log) + position;

  return self->shown_base + g_array_index (self->shown_rows, guint32, position);
}

/**
 * sonde_filter_model_lookup:
 * @seq: an entry's sequence number
 * @position: (out) (optional): its row, when found
 *
 * Finds an entry among the rows shown, so that a view can keep its
 * selection across a new query: the answer may be "not yet" while the
 * scan has not reached @seq.
 */
SondeFilterLookup
sonde_filter_model_lookup (SondeFilterModel *self,
                           guint64           seq,
                           guint            *position)
{
  const guint32 *rows;
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (SONDE_IS_FILTER_MODEL (self), SONDE_FILTER_LOOKUP_NOT_FOUND);

  if (self->query != NULL && self->shown_rows != self->rows)
    return SONDE_FILTER_LOOKUP_PENDING;

  if (self->shown_rows == NULL)
    {
      guint64 first = sonde_event_log_get_first_seq (self->log);

      if (seq < first)
        return SONDE_FILTER_LOOKUP_NOT_FOUND;
      if (seq - first >= self->n_shown)
        return SONDE_FILTER_LOOKUP_PENDING;
      if (position != NULL)
        *position = (guint)(seq - first);
      return SONDE_FILTER_LOOKUP_FOUND;
    }

  if (seq < self->shown_base)
    return SONDE_FILTER_LOOKUP_NOT_FOUND;

  rows = (const guint32 *)(gpointer)self->shown_rows->data;
  hi = self->n_shown;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->shown_base + rows[mid] < seq)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo < self->n_shown && self->shown_base + rows[lo] == seq)
    {
      if (position != NULL)
        *position = lo;
      return SONDE_FILTER_LOOKUP_FOUND;
    }

  return seq < self->n_scanned_shown ? SONDE_FILTER_LOOKUP_NOT_FOUND
                                     : SONDE_FILTER_LOOKUP_PENDING;
}

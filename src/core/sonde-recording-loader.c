/* sonde-recording-loader.c: a recording or HAR file read into an event log on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sonde-enums.h"
#include "sonde-error.h"
#include "sonde-recording-loader.h"
#include "sonde-recording-reader.h"

/* A window opens a file the way a tab connects: a thread reads and appends,
 * the main thread reads the log and this object's properties, notified on
 * the context that made the loader. The log is made there too, so its
 * items-changed arrive where the views are; the first rows show as soon as
 * the first batch is in, whatever the size of the file.
 *
 * The header's start time goes into the log on the main thread before the
 * first append (the log reads it without a lock): the worker waits for that
 * hand-over, which takes one turn of the main loop. */

/* How many entries go between looks at the cancellable and the clock. */
#define CHECK_EVERY 4096
/* Progress goes to the main thread at most this often. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 30)

/* A parsed HAR file that several loaders import from, one at a time:
 * json-glib's trees are not for two threads at once. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           mutex;
  SondeHar        *har;
} SharedHar;

static SharedHar *
shared_har_new (SondeHar *har)
{
  SharedHar *self = g_new0 (SharedHar, 1);

  g_atomic_ref_count_init (&self->ref);
  g_mutex_init (&self->mutex);
  self->har = har;

  return self;
}

static SharedHar *
shared_har_ref (SharedHar *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

static void
shared_har_unref (SharedHar *self)
{
  if (!g_atomic_ref_count_dec (&self->ref))
    return;

  sonde_har_free (self->har);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SharedHar, shared_har_unref)

/* One load: what the worker and the main thread share. The worker writes
 * the fields below the mutex line, under the mutex, and arms the update
 * source; the main thread reads them when it dispatches. */
typedef struct
{
  gatomicrefcount   ref;
  GMutex            mutex;
  GCond             cond;
  GCancellable     *cancellable;
  GSource          *update_source;
  char             *path;
  char             *display;
  SondeEventLog    *log;
  SharedHar        *har;          /* import this entry of it, rather than open the file */
  guint             har_index;

  SondeLoaderState  state;
  gboolean          is_har;
  gboolean          header_ready;
  gboolean          header_taken;
  SondeTransport    transport;
  char             *url;
  GDateTime        *started_at;
  double            fraction;
  GError           *error;
  char             *warning;
  SharedHar        *parsed;       /* a HAR file whose stream is still to be chosen */
} Job;

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref);
  return job;
}

static void
job_unref (Job *job)
{
  if (!g_atomic_ref_count_dec (&job->ref))
    return;

  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_object_unref (job->cancellable);
  g_source_unref (job->update_source);
  g_free (job->path);
  g_free (job->display);
  g_object_unref (job->log);
  g_clear_pointer (&job->har, shared_har_unref);
  g_free (job->url);
  g_clear_pointer (&job->started_at, g_date_time_unref);
  g_clear_error (&job->error);
  g_free (job->warning);
  g_clear_pointer (&job->parsed, shared_har_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_unref)

/* Under the mutex, so that a worker waiting for the header hand-over wakes. */
static void
job_cancel (Job *job)
{
  g_cancellable_cancel (job->cancellable);
  g_mutex_lock (&job->mutex);
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->mutex);
}

/* Called with the mutex held, or without: waking a source is thread-safe. */
static void
job_wake (Job *job)
{
  g_source_set_ready_time (job->update_source, 0);
}

static void
job_set_fraction (Job    *job,
                  double  fraction)
{
  g_mutex_lock (&job->mutex);
  job->fraction = fraction;
  g_mutex_unlock (&job->mutex);
  job_wake (job);
}

/* Hands the header to the main thread and waits until it has put the start
 * time into the log. Returns FALSE when cancelled meanwhile. */
static gboolean
job_publish_header (Job            *job,
                    SondeTransport  transport,
                    const char     *url,
                    GDateTime      *started_at,
                    double          fraction)
{
  gboolean taken;

  g_mutex_lock (&job->mutex);
  job->transport = transport;
  job->url = g_strdup (url);
  job->started_at = g_date_time_ref (started_at);
  job->fraction = fraction;
  job->header_ready = TRUE;
  job->state = SONDE_LOADER_LOADING;
  job_wake (job);
  while (!job->header_taken && !g_cancellable_is_cancelled (job->cancellable))
    g_cond_wait (&job->cond, &job->mutex);
  taken = job->header_taken;
  g_mutex_unlock (&job->mutex);

  return taken;
}

/* Takes @error. A cancelled load ends cancelled, whatever else happened. */
static void
job_finish (Job        *job,
            GError     *error,
            const char *warning)
{
  g_mutex_lock (&job->mutex);
  if (g_cancellable_is_cancelled (job->cancellable))
    {
      job->state = SONDE_LOADER_CANCELLED;
      g_clear_error (&error);
    }
  else if (error != NULL)
    {
      job->state = SONDE_LOADER_FAILED;
      job->error = g_steal_pointer (&error);
    }
  else
    {
      job->state = SONDE_LOADER_DONE;
      job->fraction = 1.0;
    }
  job->warning = g_strdup (warning);
  g_mutex_unlock (&job->mutex);
  job_wake (job);
}

static void
load_recording (Job *job)
{
  g_autoptr(SondeRecordingReader) reader = NULL;
  const SondeRecordingHeader *header;
  GError *error = NULL;
  SondeEntryView view;
  struct stat st;
  guint64 size = 0;
  guint64 n = 0;
  gint64 last_progress = 0;
  int fd;

  fd = g_open (job->path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      job_finish (job,
                  g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               /* Translators: %s is a file name, then the system's reason */
                               _("Cannot open “%s”: %s"), job->display, g_strerror (saved_errno)),
                  NULL);
      return;
    }
  /* Pipes and FIFOs read too, without a fraction. */
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    size = (guint64)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  /* The reader closes @fd, also when it fails. */
  reader = sonde_recording_reader_new_for_fd (fd, TRUE, job->display, &error);
  if (reader == NULL)
    {
      job_finish (job, error, NULL);
      return;
    }

  header = sonde_recording_reader_get_header (reader);
  if (!job_publish_header (job, header->transport, header->url, header->started_at,
                           size > 0 ? 0.0 : -1.0))
    {
      job_finish (job, NULL, NULL);
      return;
    }

  while (sonde_recording_reader_next (reader, &view, &error))
    {
      sonde_event_log_append (job->log, view.time_us, view.direction, view.kind,
                              view.id, view.id_len, view.fields, view.fields_len,
                              view.raw, view.raw_len);

      if (++n % CHECK_EVERY == 0)
        {
          gint64 now;

          if (g_cancellable_is_cancelled (job->cancellable))
            break;
          now = g_get_monotonic_time ();
          if (size > 0 && now - last_progress >= PROGRESS_INTERVAL_US)
            {
              /* Where the reader's last read ended: at most a chunk ahead of the entries. */
              off_t position = lseek (fd, 0, SEEK_CUR);

              if (position >= 0)
                job_set_fraction (job, MIN (1.0, (double)position / (double)size));
              last_progress = now;
            }
        }
    }

  job_finish (job, error, sonde_recording_reader_get_warning (reader));
}

static void
load_har_entry (Job       *job,
                SharedHar *shared,
                guint      index)
{
  g_autoptr(SondeHarSession) session = NULL;
  GError *error = NULL;
  guint64 n;
  gint64 last_progress = 0;

  /* Credentials stay out, as sonde convert leaves them out by default. */
  g_mutex_lock (&shared->mutex);
  session = sonde_har_import (shared->har, index, FALSE, &error);
  g_mutex_unlock (&shared->mutex);
  if (session == NULL)
    {
      job_finish (job, error, NULL);
      return;
    }

  if (!job_publish_header (job, session->transport, session->url, session->started_at, 0.0))
    {
      job_finish (job, NULL, NULL);
      return;
    }

  n = sonde_event_log_get_n_entries (session->log);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView view;

      if (!sonde_event_log_get_view (session->log, i, &view))
        g_assert_not_reached ();
      sonde_event_log_append (job->log, view.time_us, view.direction, view.kind,
                              view.id, view.id_len, view.fields, view.fields_len,
                              view.raw, view.raw_len);

      if ((i + 1) % CHECK_EVERY == 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (g_cancellable_is_cancelled (job->cancellable))
            break;
          if (now - last_progress >= PROGRESS_INTERVAL_US)
            {
              job_set_fraction (job, (double)(i + 1) / (double)n);
              last_progress = now;
            }
        }
    }

  job_finish (job, NULL, NULL);
}

static void
open_file (Job *job)
{
  g_autoptr(SharedHar) shared = NULL;
  GError *error = NULL;
  gboolean is_recording = FALSE;
  SondeHar *har;
  guint index;

  if (!sonde_har_sniff_recording (job->path, &is_recording, &error))
    {
      job_finish (job, error, NULL);
      return;
    }

  /* What a file holds decides, not its name; but a .jsonl file that does
   * not start with a header is a broken recording, and the reader says
   * best what is wrong with it. */
  if (is_recording || g_str_has_suffix (job->path, ".jsonl"))
    {
      load_recording (job);
      return;
    }

  g_mutex_lock (&job->mutex);
  job->is_har = TRUE;
  g_mutex_unlock (&job->mutex);
  job_wake (job);

  har = sonde_har_new_for_path (job->path, &error);
  if (har == NULL)
    {
      job_finish (job, error, NULL);
      return;
    }
  shared = shared_har_new (har);

  if (!sonde_har_select (har, -1, NULL, &index, &error))
    {
      if (g_error_matches (error, SONDE_ERROR, SONDE_ERROR_HAR_CHOOSE))
        {
          g_clear_error (&error);
          g_mutex_lock (&job->mutex);
          job->parsed = shared_har_ref (shared);
          job->state = SONDE_LOADER_CHOOSING;
          g_mutex_unlock (&job->mutex);
          job_wake (job);
        }
      else
        job_finish (job, error, NULL);
      return;
    }

  load_har_entry (job, shared, index);
}

static gpointer
worker_run (gpointer data)
{
  g_autoptr(Job) job = data;

  if (job->har != NULL)
    load_har_entry (job, job->har, job->har_index);
  else
    open_file (job);

  return NULL;
}

struct _SondeRecordingLoader
{
  GObject           parent_instance;

  GFile            *file;
  SondeEventLog    *log;
  GSource          *update_source;
  GThread          *thread;
  Job              *job;
  SharedHar        *har;          /* to choose a stream from, or to import one of */
  guint             har_index;
  gboolean          har_index_set;

  /* As the main thread last saw them. */
  SondeLoaderState  state;
  gboolean          is_har;
  SondeTransport    transport;
  char             *url;
  double            fraction;
  GError           *error;
  char             *warning;
};

G_DEFINE_FINAL_TYPE (SondeRecordingLoader, sonde_recording_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_LOG,
  PROP_STATE,
  PROP_IS_HAR,
  PROP_TRANSPORT,
  PROP_URL,
  PROP_FRACTION,
  PROP_ERROR,
  PROP_WARNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
state_is_final (SondeLoaderState state)
{
  return state == SONDE_LOADER_DONE || state == SONDE_LOADER_FAILED ||
         state == SONDE_LOADER_CANCELLED;
}

static void
set_state (SondeRecordingLoader *self,
           SondeLoaderState      state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
sonde_recording_loader_update (SondeRecordingLoader *self)
{
  Job *job = self->job;
  g_autofree char *url = NULL;
  g_autofree char *warning = NULL;
  GError *error = NULL;
  SharedHar *parsed = NULL;
  SondeLoaderState state;
  gboolean header = FALSE;
  gboolean is_har;
  double fraction;

  if (job == NULL)
    return;

  g_mutex_lock (&job->mutex);
  if (job->header_ready && !job->header_taken)
    {
      /* The worker appends nothing until this is done. */
      sonde_event_log_set_started_at (self->log, job->started_at);
      job->header_taken = TRUE;
      g_cond_broadcast (&job->cond);
      header = TRUE;
      url = g_strdup (job->url);
    }
  state = job->state;
  is_har = job->is_har;
  fraction = job->fraction;
  if (job->error != NULL && self->error == NULL)
    error = g_error_copy (job->error);
  if (job->warning != NULL && self->warning == NULL)
    warning = g_strdup (job->warning);
  if (job->parsed != NULL)
    parsed = g_steal_pointer (&job->parsed);
  g_mutex_unlock (&job->mutex);

  g_object_freeze_notify (G_OBJECT (self));

  if (is_har != self->is_har)
    {
      self->is_har = is_har;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_HAR]);
    }
  if (header)
    {
      self->transport = job->transport;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
      g_free (self->url);
      self->url = g_steal_pointer (&url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }
  if (parsed != NULL)
    {
      g_clear_pointer (&self->har, shared_har_unref);
      self->har = parsed;
    }
  if (fraction != self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  if (error != NULL)
    {
      self->error = error;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (warning != NULL)
    {
      self->warning = g_steal_pointer (&warning);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
    }

  /* The worker has nothing left to do but return. */
  if ((state_is_final (state) || state == SONDE_LOADER_CHOOSING) && self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));

  /* Last, so that whoever watches the state finds everything else in place;
   * and the log's last entries published, so that the rows are all there. */
  if (state_is_final (state))
    sonde_event_log_flush_notify (self->log);
  set_state (self, state);

  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
update_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  sonde_recording_loader_update (user_data);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs update_funcs = {
  .dispatch = update_dispatch,
};

/* A new load on a thread of its own, for the file or for entry @har_index of @har. */
static void
start_job (SondeRecordingLoader *self,
           SharedHar            *har,
           guint                 har_index)
{
  Job *job;
  g_autofree char *path = g_file_get_path (self->file);

  g_assert (self->thread == NULL);

  job = g_new0 (Job, 1);
  g_atomic_ref_count_init (&job->ref);
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  job->cancellable = g_cancellable_new ();
  job->update_source = g_source_ref (self->update_source);
  job->display = g_file_get_parse_name (self->file);
  job->path = g_strdup (path);
  job->log = g_object_ref (self->log);
  job->har = har != NULL ? shared_har_ref (har) : NULL;
  job->har_index = har_index;
  job->state = SONDE_LOADER_OPENING;
  job->is_har = har != NULL;
  job->fraction = -1.0;

  g_clear_pointer (&self->job, job_unref);
  self->job = job;

  if (path == NULL)
    {
      job_finish (job,
                  g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               /* Translators: %s is a file's address */
                               _("Cannot open “%s”: Sonde opens files on this computer only"),
                               job->display),
                  NULL);
      return;
    }

  self->thread = g_thread_new ("sonde-loader", worker_run, job_ref (job));
}

/**
 * sonde_recording_loader_new:
 * @file: a recording (JSON Lines) or a HAR file, told apart by what it holds
 *
 * Makes a loader and its empty log on the thread-default main context,
 * where the properties will be notified; sonde_recording_loader_start()
 * starts reading.
 *
 * Returns: (transfer full): the loader
 */
SondeRecordingLoader *
sonde_recording_loader_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (SONDE_TYPE_RECORDING_LOADER, "file", file, NULL);
}

/**
 * sonde_recording_loader_new_for_har_entry:
 * @chooser: a loader of a HAR file with several streams, in
 *   %SONDE_LOADER_CHOOSING
 * @index: the entry to load, one of @chooser's candidates
 *
 * A second loader of the same HAR file, for another of its streams, which
 * imports from what @chooser has parsed instead of reading the file again.
 *
 * Returns: (transfer full): the loader, not started
 */
SondeRecordingLoader *
sonde_recording_loader_new_for_har_entry (SondeRecordingLoader *chooser,
                                          guint                 index)
{
  SondeRecordingLoader *self;

  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (chooser), NULL);
  g_return_val_if_fail (chooser->har != NULL, NULL);

  self = sonde_recording_loader_new (chooser->file);
  self->har = shared_har_ref (chooser->har);
  self->har_index = index;
  self->har_index_set = TRUE;
  self->is_har = TRUE;

  return self;
}

/**
 * sonde_recording_loader_start:
 *
 * Starts reading on a worker thread. The main loop of the loader's context
 * must run for the load to go on: the start time is handed over there.
 */
void
sonde_recording_loader_start (SondeRecordingLoader *self)
{
  g_return_if_fail (SONDE_IS_RECORDING_LOADER (self));
  g_return_if_fail (self->job == NULL);

  start_job (self, self->har_index_set ? self->har : NULL, self->har_index);
}

/**
 * sonde_recording_loader_choose:
 * @index: the HAR entry to load, one of the candidates
 *
 * Loads one stream of a HAR file that has several, into this loader's log.
 */
void
sonde_recording_loader_choose (SondeRecordingLoader *self,
                               guint                 index)
{
  g_return_if_fail (SONDE_IS_RECORDING_LOADER (self));
  g_return_if_fail (self->state == SONDE_LOADER_CHOOSING);
  g_return_if_fail (self->har != NULL);

  self->har_index = index;
  self->har_index_set = TRUE;
  start_job (self, self->har, index);
  set_state (self, SONDE_LOADER_OPENING);
}

/**
 * sonde_recording_loader_cancel:
 *
 * Stops reading soon; the entries read so far stay in the log, and the
 * state becomes %SONDE_LOADER_CANCELLED. Does nothing once the load ended.
 */
void
sonde_recording_loader_cancel (SondeRecordingLoader *self)
{
  g_return_if_fail (SONDE_IS_RECORDING_LOADER (self));

  if (state_is_final (self->state))
    return;

  if (self->state == SONDE_LOADER_CHOOSING || self->job == NULL)
    {
      set_state (self, SONDE_LOADER_CANCELLED);
      return;
    }

  job_cancel (self->job);
}

GFile *
sonde_recording_loader_get_file (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), NULL);

  return self->file;
}

/**
 * sonde_recording_loader_get_log:
 *
 * Returns: (transfer none): the log the entries go into
 */
SondeEventLog *
sonde_recording_loader_get_log (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), NULL);

  return self->log;
}

SondeLoaderState
sonde_recording_loader_get_state (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), SONDE_LOADER_FAILED);

  return self->state;
}

/**
 * sonde_recording_loader_get_finished:
 *
 * Returns: whether the load has ended: done, failed or cancelled
 */
gboolean
sonde_recording_loader_get_finished (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), TRUE);

  return state_is_final (self->state);
}

/**
 * sonde_recording_loader_get_is_har:
 *
 * Returns: whether the file turned out to be a HAR file
 */
gboolean
sonde_recording_loader_get_is_har (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), FALSE);

  return self->is_har;
}

/**
 * sonde_recording_loader_get_transport:
 *
 * Returns: the transport of the session, once the state has passed
 *   %SONDE_LOADER_OPENING
 */
SondeTransport
sonde_recording_loader_get_transport (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), SONDE_TRANSPORT_SSE);

  return self->transport;
}

/**
 * sonde_recording_loader_get_url:
 *
 * Returns: (nullable): the URL of the session, once its header was read
 */
const char *
sonde_recording_loader_get_url (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), NULL);

  return self->url;
}

/**
 * sonde_recording_loader_get_fraction:
 *
 * Returns: how much of the file has been read, from 0 to 1, or -1 when
 *   that cannot be told (a pipe, or while a HAR file is parsed)
 */
double
sonde_recording_loader_get_fraction (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), -1.0);

  return self->fraction;
}

/**
 * sonde_recording_loader_get_error:
 *
 * Returns: (nullable): why the load stopped, in %SONDE_LOADER_FAILED: the
 *   reader's message names the line
 */
const GError *
sonde_recording_loader_get_error (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), NULL);

  return self->error;
}

/**
 * sonde_recording_loader_get_warning:
 *
 * Returns: (nullable): what a finished load left out: a cut-off last line,
 *   entries of unknown kinds
 */
const char *
sonde_recording_loader_get_warning (SondeRecordingLoader *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), NULL);

  return self->warning;
}

/**
 * sonde_recording_loader_get_candidates:
 * @n_candidates: (out): how many
 *
 * Returns: (array length=n_candidates) (nullable): the streams of a HAR
 *   file, in %SONDE_LOADER_CHOOSING; valid while @self lives
 */
const SondeHarCandidate *
sonde_recording_loader_get_candidates (SondeRecordingLoader *self,
                                       guint                *n_candidates)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (self), NULL);
  g_return_val_if_fail (n_candidates != NULL, NULL);

  *n_candidates = 0;
  if (self->har == NULL)
    return NULL;

  return sonde_har_get_candidates (self->har->har, n_candidates);
}

static void
sonde_recording_loader_dispose (GObject *object)
{
  SondeRecordingLoader *self = SONDE_RECORDING_LOADER (object);

  /* A worker notices within a few thousand entries, or at once when it
   * waits for the header hand-over. */
  if (self->job != NULL)
    job_cancel (self->job);
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));

  if (self->update_source != NULL)
    {
      g_source_destroy (self->update_source);
      g_clear_pointer (&self->update_source, g_source_unref);
    }
  g_clear_pointer (&self->job, job_unref);
  g_clear_pointer (&self->har, shared_har_unref);

  G_OBJECT_CLASS (sonde_recording_loader_parent_class)->dispose (object);
}

static void
sonde_recording_loader_finalize (GObject *object)
{
  SondeRecordingLoader *self = SONDE_RECORDING_LOADER (object);

  g_clear_object (&self->file);
  g_clear_object (&self->log);
  g_free (self->url);
  g_clear_error (&self->error);
  g_free (self->warning);

  G_OBJECT_CLASS (sonde_recording_loader_parent_class)->finalize (object);
}

static void
sonde_recording_loader_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SondeRecordingLoader *self = SONDE_RECORDING_LOADER (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_IS_HAR:
      g_value_set_boolean (value, self->is_har);
      break;

    case PROP_TRANSPORT:
      g_value_set_enum (value, self->transport);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_recording_loader_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SondeRecordingLoader *self = SONDE_RECORDING_LOADER (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_recording_loader_class_init (SondeRecordingLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sonde_recording_loader_dispose;
  object_class->finalize = sonde_recording_loader_finalize;
  object_class->get_property = sonde_recording_loader_get_property;
  object_class->set_property = sonde_recording_loader_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SONDE_TYPE_LOADER_STATE, SONDE_LOADER_OPENING, ro);
  properties[PROP_IS_HAR] =
    g_param_spec_boolean ("is-har", NULL, NULL, FALSE, ro);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL, SONDE_TYPE_TRANSPORT, SONDE_TRANSPORT_SSE, ro);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL, ro);
  /* From 0 to 1, or -1 when it cannot be told. */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, -1.0, ro);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_recording_loader_init (SondeRecordingLoader *self)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  self->state = SONDE_LOADER_OPENING;
  self->fraction = -1.0;
  self->log = sonde_event_log_new ();

  self->update_source = g_source_new (&update_funcs, sizeof (GSource));
  g_source_set_callback (self->update_source, NULL, self, NULL);
  g_source_set_static_name (self->update_source, "[sonde] recording loader update");
  g_source_attach (self->update_source, context);
}

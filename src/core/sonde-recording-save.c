/* sonde-recording-save.c: a log written to a file, as a recording or a HAR file, on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sonde-har.h"
#include "sonde-recording-save.h"
#include "sonde-recording-writer.h"

/* A save never leaves a half-written file where the old one was: it writes
 * beside it under a hidden name and renames at the end, after the data is
 * on the disk. The log may grow meanwhile (a live tab saves what it has). */

#define CHECK_EVERY 4096

static void
set_save_error (GError     **error,
                int          code,
                const char  *path,
                const char  *reason)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, code,
               /* Translators: %s is a file name, then the reason */
               _("Cannot save “%s”: %s"), display, reason);
}

static gboolean
save_har (SondeEventLog   *log,
          guint64          n_entries,
          SondeTransport   transport,
          const char      *url,
          const char      *path,
          GError         **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  /* Credentials stay out, as in the HAR files browsers write. */
  text = sonde_har_export_log (log, n_entries, transport, url, FALSE, &len);
  if (!g_file_set_contents_full (path, text, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0666,
                                 &local_error))
    {
      set_save_error (error, local_error->code, path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_recording (SondeEventLog   *log,
                guint64          n_entries,
                SondeTransport   transport,
                const char      *url,
                const char      *path,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *hidden = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *tmp = g_build_filename (dir, hidden, NULL);
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      set_save_error (error, g_io_error_from_errno (saved_errno), path, g_strerror (saved_errno));
      return FALSE;
    }

  writer = sonde_recording_writer_new_for_fd (fd, TRUE);
  sonde_recording_writer_write_header (writer, transport, url,
                                       sonde_event_log_get_started_at (log));
  /* From the first entry still kept; none is let go of while this reads. */
  sonde_event_log_begin_read (log);
  for (guint64 i = sonde_event_log_get_first_seq (log); i < n_entries; i++)
    {
      SondeEntryView view;

      if (!sonde_event_log_get_view (log, i, &view))
        g_assert_not_reached ();
      sonde_recording_writer_write_entry (writer, &view);

      if ((i + 1) % CHECK_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable,
                                                                                &local_error))
        break;
    }
  sonde_event_log_end_read (log);

  if (local_error == NULL)
    sonde_recording_writer_close (writer, &local_error);
  g_clear_pointer (&writer, sonde_recording_writer_free);

  if (local_error == NULL && g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (&local_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
    }

  if (local_error != NULL)
    {
      g_unlink (tmp);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_save_error (error, local_error->code, path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * sonde_recording_save:
 * @log: the entries; another thread may append meanwhile
 * @n_entries: how many of the first entries to write (what the log holds
 *   when the save starts, for a live tab)
 * @transport: the session's transport
 * @url: the session's URL
 * @path: where to write; a file there is replaced only once the new one is
 *   whole on the disk
 * @cancellable: (nullable): stops a recording's save between entries
 *
 * Writes the first @n_entries of @log, with the log's start time, as a
 * recording or a HAR file. Blocks: call it on a worker thread, or
 * through sonde_recording_save_async().
 *
 * Returns: whether the file was written
 */
gboolean
sonde_recording_save (SondeEventLog    *log,
                      guint64           n_entries,
                      SondeTransport    transport,
                      const char       *url,
                      SondeSaveFormat   format,
                      const char       *path,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_entries = MIN (n_entries, sonde_event_log_get_n_entries (log));

  if (format == SONDE_SAVE_HAR)
    return save_har (log, n_entries, transport, url, path, error);
  return save_recording (log, n_entries, transport, url, path, cancellable, error);
}

typedef struct
{
  SondeEventLog   *log;
  guint64          n_entries;
  SondeTransport   transport;
  char            *url;
  SondeSaveFormat  format;
  char            *path;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->log);
  g_free (data->url);
  g_free (data->path);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (sonde_recording_save (data->log, data->n_entries, data->transport, data->url, data->format,
                            data->path, cancellable, &error))
    g_task_return_int (task, (gssize)data->n_entries);
  else
    g_task_return_error (task, error);
}

/**
 * sonde_recording_save_async:
 * @file: where to write, a file on this computer
 *
 * sonde_recording_save() on a worker thread; the window goes on drawing.
 */
void
sonde_recording_save_async (SondeEventLog        *log,
                            guint64               n_entries,
                            SondeTransport        transport,
                            const char           *url,
                            SondeSaveFormat       format,
                            GFile                *file,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (SONDE_IS_EVENT_LOG (log));
  g_return_if_fail (url != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_recording_save_async);
  g_task_set_name (task, "[sonde] save recording");

  data = g_new0 (SaveData, 1);
  data->log = g_object_ref (log);
  /* What the log holds now: a live tab saves that, and later entries are unsaved. */
  data->n_entries = MIN (n_entries, sonde_event_log_get_n_entries (log));
  data->transport = transport;
  data->url = g_strdup (url);
  data->format = format;
  data->path = g_file_get_path (file);
  g_task_set_task_data (task, data, (GDestroyNotify)save_data_free);

  if (data->path == NULL)
    {
      g_autofree char *display = g_file_get_parse_name (file);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               /* Translators: %s is a file's address */
                               _("Cannot save “%s”: Sonde saves to files on this computer only"),
                               display);
      return;
    }

  g_task_run_in_thread (task, save_thread);
}

/**
 * sonde_recording_save_finish:
 * @n_saved: (out) (optional): how many entries were written
 *
 * Returns: whether the file was written
 */
gboolean
sonde_recording_save_finish (GAsyncResult  *result,
                             guint64       *n_saved,
                             GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_saved != NULL)
    *n_saved = (guint64)n;
  return TRUE;
}

/* sonde-recording-reader.c: reads recording format v1 as a stream, line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sonde-bytes.h"
#include "sonde-error.h"
#include "sonde-recording-reader-private.h"

/* Reads go in chunks this large; a line longer than a chunk grows the
 * buffer, up to MAX_LINE. The buffer starts small and grows to a chunk
 * when the source proves larger, so that small recordings stay cheap. */
#define CHUNK_SIZE (1024 * 1024)
#define FIRST_CHUNK_SIZE (64 * 1024)
#define MAX_LINE   ((gsize)1024 * 1024 * 1024)


static gboolean read_header (SondeRecordingReader  *self,
                             GError               **error);

static SondeRecordingReader *
reader_new (const char *name)
{
  SondeRecordingReader *self = g_new0 (SondeRecordingReader, 1);

  self->fd = -1;
  self->name = g_strdup (name);
  self->capacity = FIRST_CHUNK_SIZE;
  self->buffer = g_malloc (self->capacity);
  self->max_line = MAX_LINE;
  self->last_time_us = G_MININT64;
  self->members = g_array_sized_new (FALSE, FALSE, sizeof (SondeJsonMember), 16);
  self->names = g_byte_array_sized_new (16);
  self->frame_members = g_array_sized_new (FALSE, FALSE, sizeof (SondeJsonMember), 8);
  self->fields = g_string_sized_new (256);
  self->id = g_string_sized_new (64);
  self->scratch = g_string_sized_new (256);
  self->raw = g_byte_array_sized_new (4096);
  self->unknown_names = g_ptr_array_new_with_free_func (g_free);

  return self;
}

/**
 * sonde_recording_reader_new_for_path:
 * @path: a recording file, in the GLib file name encoding
 *
 * Opens @path and reads its header.
 *
 * Returns: (transfer full) (nullable): the reader, standing before the
 *   first entry, or %NULL with @error set (%G_IO_ERROR when the file cannot
 *   be read, %SONDE_ERROR when it is no recording this Sonde reads)
 */
SondeRecordingReader *
sonde_recording_reader_new_for_path (const char  *path,
                                     GError     **error)
{
  g_autofree char *display = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a file name, then the system's reason */
                   _("Cannot open the recording “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  return sonde_recording_reader_new_for_fd (fd, TRUE, display, error);
}

/**
 * sonde_recording_reader_new_for_fd:
 * @fd: an open file descriptor: a file, a pipe, a FIFO, standard input
 * @close_fd: whether the reader closes @fd when it is freed (also when
 *   this call fails)
 * @name: (nullable): what to call the source in messages
 *
 * Reads the header from @fd. Nothing is read twice and nothing is sought,
 * so a pipe or a FIFO reads as a file does.
 *
 * Returns: (transfer full) (nullable): the reader, standing before the
 *   first entry, or %NULL with @error set
 */
SondeRecordingReader *
sonde_recording_reader_new_for_fd (int          fd,
                                   gboolean     close_fd,
                                   const char  *name,
                                   GError     **error)
{
  g_autoptr(SondeRecordingReader) self = NULL;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = reader_new (name);
  self->fd = fd;
  self->close_fd = close_fd;
  if (!read_header (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sonde_recording_reader_new_for_stream:
 * @stream: where the recording comes from; read with blocking calls
 * @name: (nullable): what to call it in messages, such as a file name
 *
 * Reads the header from @stream.
 *
 * Returns: (transfer full) (nullable): the reader, standing before the
 *   first entry, or %NULL with @error set
 */
SondeRecordingReader *
sonde_recording_reader_new_for_stream (GInputStream  *stream,
                                       const char    *name,
                                       GError       **error)
{
  g_autoptr(SondeRecordingReader) self = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = reader_new (name);
  self->stream = g_object_ref (stream);
  if (!read_header (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
sonde_recording_reader_free (SondeRecordingReader *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0 && self->close_fd)
    g_close (self->fd, NULL);
  g_clear_object (&self->stream);
  g_free (self->name);
  g_free (self->buffer);
  g_free (self->url);
  g_clear_pointer (&self->header.started_at, g_date_time_unref);
  g_array_unref (self->members);
  g_byte_array_unref (self->names);
  g_array_unref (self->frame_members);
  g_string_free (self->fields, TRUE);
  g_string_free (self->id, TRUE);
  g_string_free (self->scratch, TRUE);
  g_byte_array_unref (self->raw);
  g_clear_error (&self->error);
  g_ptr_array_unref (self->unknown_names);
  g_free (self->warning);
  g_free (self);
}

/**
 * sonde_recording_reader_get_header:
 *
 * Returns: (transfer none): the header, valid while @self lives
 */
const SondeRecordingHeader *
sonde_recording_reader_get_header (SondeRecordingReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->header;
}

/**
 * sonde_recording_reader_get_line:
 *
 * Returns: the number of the last line read (the header is line 1): the
 *   line of the entry next() gave last, or of the error it reported
 */
guint64
sonde_recording_reader_get_line (SondeRecordingReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->line;
}

static void
set_read_error (SondeRecordingReader  *self,
                GError               **error,
                int                    code,
                const char            *reason)
{
  if (self->name != NULL)
    g_set_error (error, G_IO_ERROR, code,
                 /* Translators: %s is a file name, then the system's reason */
                 _("Cannot read the recording “%s”: %s"), self->name, reason);
  else
    g_set_error (error, G_IO_ERROR, code, _("Cannot read the recording: %s"), reason);
}

/* Appends what the source has to the buffer. Returns the number of bytes,
 * 0 at the end, -1 on an error. */
static gssize
read_more (SondeRecordingReader  *self,
           GError               **error)
{
  gsize room = self->capacity - self->end;
  gssize n;

  if (self->stream != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      n = g_input_stream_read (self->stream, self->buffer + self->end, room, NULL, &local_error);
      if (n < 0)
        {
          set_read_error (self, error, local_error->code, local_error->message);
          return -1;
        }
      return n;
    }

  do
    n = read (self->fd, self->buffer + self->end, room);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved_errno = errno;

      set_read_error (self, error, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      return -1;
    }
  return n;
}

static int
line_too_long (SondeRecordingReader  *self,
               GError               **error)
{
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
               _("Line %llu is longer than 1 GiB, more than Sonde reads as one entry"),
               (unsigned long long)self->line + 1);
  return -1;
}

/* Takes the next line, without its LF. *complete says whether the LF was
 * there (only the last line of a file may lack it). The line stays valid
 * until the next call. Returns 1 for a line, 0 at the end, -1 on an error. */
static int
next_line (SondeRecordingReader  *self,
           const char           **line,
           gsize                 *len,
           gboolean              *complete,
           GError               **error)
{
  for (;;)
    {
      const char *from = self->buffer + self->start + self->searched;
      const char *newline = memchr (from, '\n', self->end - self->start - self->searched);
      gsize room;
      gssize n;

      /* A line found whole in the buffer is held to the limit as much as
       * one still growing: the buffer grows by doubling, so a line of up to
       * twice the limit could otherwise be found in one piece. */
      if (newline != NULL && (gsize)(newline - (self->buffer + self->start)) > self->max_line)
        return line_too_long (self, error);
      if (newline != NULL)
        {
          *line = self->buffer + self->start;
          *len = (gsize)(newline - *line);
          *complete = TRUE;
          self->start += *len + 1;
          self->searched = 0;
          self->line++;
          return 1;
        }
      self->searched = self->end - self->start;

      if (self->eof)
        {
          if (self->end == self->start)
            return 0;
          if (self->end - self->start > self->max_line)
            return line_too_long (self, error);
          *line = self->buffer + self->start;
          *len = self->end - self->start;
          *complete = FALSE;
          self->start = self->end;
          self->searched = 0;
          self->line++;
          return 1;
        }

      if (self->searched > self->max_line)
        return line_too_long (self, error);

      /* Keep the unfinished line and make room after it. */
      if (self->start > 0 && self->capacity - self->end < self->capacity / 2)
        {
          memmove (self->buffer, self->buffer + self->start, self->end - self->start);
          self->end -= self->start;
          self->start = 0;
        }
      if (self->end == self->capacity || (self->capacity < CHUNK_SIZE && self->read_all))
        {
          /* Never more than the limit and a read: a longer line is refused
           * above before the buffer is full. */
          self->capacity = MIN (self->capacity * 2,
                                MAX (self->capacity, self->max_line + CHUNK_SIZE));
          self->buffer = g_realloc (self->buffer, self->capacity);
        }

      room = self->capacity - self->end;
      n = read_more (self, error);
      if (n < 0)
        return -1;
      if (n == 0)
        self->eof = TRUE;
      self->end += (gsize)n;
      self->read_all = (gsize)n == room;
    }
}

static gboolean
header_error (GError     **error,
              const char  *message)
{
  g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, message);
  return FALSE;
}

static gboolean
read_header (SondeRecordingReader  *self,
             GError               **error)
{
  const SondeJsonMember *member;
  SondeJsonError json_error;
  const char *line;
  gsize len;
  gboolean complete;
  guint64 version;
  int got;

  /* Blank lines before the header are let through, like blank lines anywhere. */
  do
    got = next_line (self, &line, &len, &complete, error);
  while (got == 1 && sonde_bytes_is_blank (line, len));

  if (got < 0)
    return FALSE;
  if (got == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                           _("The recording is empty: expected a header on line 1"));
      return FALSE;
    }

  /* A byte order mark is no part of JSON, but editors add one. */
  if (self->line == 1 && len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
    {
      line += 3;
      len -= 3;
    }

  g_array_set_size (self->members, 0);
  if (!sonde_json_scan_object (line, len, self->members, &json_error))
    {
      sonde_recording_reader_set_not_json_error (self, line, &json_error, error);
      return FALSE;
    }

  member = sonde_recording_reader_find_member (self->members, "format");
  if (member == NULL ||
      !sonde_recording_reader_string_is (member, self->scratch, "sonde-recording"))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                   _("Line %llu is not the header of a Sonde recording: expected an object "
                     "with \"format\":\"sonde-recording\""),
                   (unsigned long long)self->line);
      return FALSE;
    }

  member = sonde_recording_reader_find_member (self->members, "version");
  if (member == NULL || member->type != SONDE_JSON_NUMBER)
    return header_error (error, _("The header has no valid “version”: expected a whole number "
                                  "such as 1"));
  if (strspn (member->value, "0123456789") < member->value_len)
    return header_error (error, _("The header has no valid “version”: expected a whole number "
                                  "such as 1"));
  if (!sonde_json_parse_uint64 (member->value, member->value_len, &version) || version > 1)
    {
      g_autofree char *shown = NULL;

      /* Anything that is no version we know reads as a newer one. */
      shown = g_strndup (member->value, MIN (member->value_len, 32));
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_NEWER_RECORDING,
                   _("This recording is version %s; this Sonde reads version 1 and older; "
                     "update Sonde to open it"),
                   shown);
      return FALSE;
    }
  self->header.version = (guint)version;

  member = sonde_recording_reader_find_member (self->members, "transport");
  if (member != NULL && sonde_recording_reader_string_is (member, self->scratch, "sse"))
    self->header.transport = SONDE_TRANSPORT_SSE;
  else if (member != NULL && sonde_recording_reader_string_is (member, self->scratch, "websocket"))
    self->header.transport = SONDE_TRANSPORT_WEBSOCKET;
  else
    return header_error (error, _("The header has no valid “transport”: expected \"sse\" "
                                  "or \"websocket\""));

  member = sonde_recording_reader_find_member (self->members, "url");
  if (member == NULL || member->type != SONDE_JSON_STRING)
    return header_error (error, _("The header has no valid “url”: expected a string"));
  {
    gsize url_len;
    const char *url = sonde_recording_reader_string_value (member, self->scratch, &url_len);

    self->url = g_utf8_make_valid (url, (gssize)url_len);
    self->header.url = self->url;
  }

  member = sonde_recording_reader_find_member (self->members, "started_at");
  if (member != NULL && member->type == SONDE_JSON_STRING)
    {
      gsize stamp_len;
      const char *stamp = sonde_recording_reader_string_value (member, self->scratch, &stamp_len);
      g_autofree char *copy = g_strndup (stamp, stamp_len);
      g_autoptr(GDateTime) parsed = NULL;

      if (strlen (copy) == stamp_len)
        parsed = g_date_time_new_from_iso8601 (copy, NULL);
      if (parsed != NULL)
        self->header.started_at = g_date_time_to_utc (parsed);
    }
  if (self->header.started_at == NULL)
    return header_error (error, _("The header has no valid “started_at”: expected a time "
                                  "such as \"2026-01-01T12:00:00.000Z\""));

  return TRUE;
}

/**
 * sonde_recording_reader_next:
 * @view: (out caller-allocates): the entry; its pointers stay valid until
 *   the next call on @self
 *
 * Reads the next entry. Blank lines are passed over, and so are entries of
 * kinds this Sonde does not know (get_warning() counts them). A last line
 * that lacks its line end and is not JSON was cut off while it was being
 * written: reading ends before it, and get_warning() says so.
 *
 * Returns: %TRUE with @view filled, or %FALSE at the end (@error unset) or
 *   on an error, which every later call reports again
 */
gboolean
sonde_recording_reader_next (SondeRecordingReader  *self,
                             SondeEntryView        *view,
                             GError               **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  while (!self->finished)
    {
      const char *line;
      gsize len;
      gboolean complete;
      gboolean skip;
      int got;

      got = next_line (self, &line, &len, &complete, &self->error);
      if (got < 0)
        break;
      if (got == 0)
        {
          self->finished = TRUE;
          break;
        }
      if (sonde_bytes_is_blank (line, len))
        continue;

      if (!complete)
        {
          SondeJsonError json_error;

          /* Only a scan, to tell a cut line from a whole one; parsing the
           * entry scans it again. */
          g_array_set_size (self->members, 0);
          if (!sonde_json_scan_object (line, len, self->members, &json_error) &&
              json_error.expected != SONDE_JSON_EXPECTED_OBJECT)
            {
              self->truncated_line = self->line;
              self->truncated_bytes = len;
              self->warning_dirty = TRUE;
              self->finished = TRUE;
              break;
            }
        }

      if (!sonde_recording_reader_parse_entry (self, line, len, view, &skip, &self->error))
        break;
      if (skip)
        continue;
      /* A clock that stepped back (entries merged or edited by hand): the
       * entry keeps its place in the order and takes the time of the one
       * before it, so that nothing reads entries by time and misses it
       * (the timeline found none between the step and its time); the
       * warning says so. */
      if (view->time_us < self->last_time_us)
        {
          if (self->n_earlier++ == 0)
            {
              self->earlier_line = self->line;
              self->earlier_us = view->time_us;
              self->earlier_after_us = self->last_time_us;
            }
          self->warning_dirty = TRUE;
          view->time_us = self->last_time_us;
        }
      self->last_time_us = view->time_us;
      return TRUE;
    }

  if (self->error != NULL && error != NULL)
    *error = g_error_copy (self->error);
  return FALSE;
}

/**
 * sonde_recording_reader_get_warning:
 *
 * Returns: (nullable): a sentence or two about what was left out so far: a
 *   cut-off last line and how many bytes it had, entries of unknown kinds;
 *   %NULL when nothing was. Valid until the next call on @self.
 */
const char *
sonde_recording_reader_get_warning (SondeRecordingReader *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!self->warning_dirty)
    return self->warning;

  text = g_string_new (NULL);
  if (self->truncated_bytes > 0)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Line %llu, the last one, was cut off while it was "
                                         "being written; its %llu byte was dropped.",
                                         "Line %llu, the last one, was cut off while it was "
                                         "being written; its %llu bytes were dropped.",
                                         (gulong)MIN (self->truncated_bytes, G_MAXULONG)),
                            (unsigned long long)self->truncated_line,
                            (unsigned long long)self->truncated_bytes);
  if (self->n_unknown > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < self->unknown_names->len; i++)
        {
          if (i > 0)
            g_string_append (names, _(", "));
          g_string_append_printf (names, _("“%s”"), (char *)g_ptr_array_index (self->unknown_names, i));
        }
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%llu entry of a kind this Sonde does not know was "
                                           "skipped (%s).",
                                           "%llu entries of kinds this Sonde does not know were "
                                           "skipped (%s).",
                                           (gulong)MIN (self->n_unknown, G_MAXULONG)),
                              (unsigned long long)self->n_unknown, names->str);
    }

  if (self->n_earlier > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%llu entry has a time earlier than the entry before "
                                           "it (line %llu: %.6f s after %.6f s); it is placed at "
                                           "the time of the entry before it.",
                                           "%llu entries have a time earlier than the entry "
                                           "before them (first on line %llu: %.6f s after "
                                           "%.6f s); each is placed at the time of the entry "
                                           "before it.",
                                           (gulong)MIN (self->n_earlier, G_MAXULONG)),
                              (unsigned long long)self->n_earlier,
                              (unsigned long long)self->earlier_line,
                              self->earlier_us / (double)G_USEC_PER_SEC,
                              self->earlier_after_us / (double)G_USEC_PER_SEC);
    }

  g_free (self->warning);
  self->warning = text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
  self->warning_dirty = FALSE;

  return self->warning;
}

/**
 * sonde_recording_reader_load:
 * @log: where the entries go
 *
 * Appends every entry left to @log, in order, with its time, direction,
 * kind, id, fields and raw bytes. The log numbers them itself.
 *
 * Returns: whether the whole rest was read; on an error the entries before
 *   the bad line are in @log
 */
gboolean
sonde_recording_reader_load (SondeRecordingReader  *self,
                             SondeEventLog         *log,
                             GError               **error)
{
  SondeEntryView view;
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (sonde_recording_reader_next (self, &view, &local_error))
    sonde_event_log_append (log, view.time_us, view.direction, view.kind, view.id, view.id_len,
                            view.fields, view.fields_len, view.raw, view.raw_len);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}


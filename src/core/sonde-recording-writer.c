/* sonde-recording-writer.c: writes recording format v1 (JSON Lines) as entries arrive
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

#include "sonde-bytes.h"
#include "sonde-credentials.h"
#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-recording-writer.h"
#include "sonde-url.h"
#include "sonde-ws-dissector.h"

/* Lines gather in one buffer; a flush is one write(2), so a burst of entries
 * costs one system call, not one per line. */
#define FLUSH_SIZE (256 * 1024)

struct _SondeRecordingWriter
{
  int      fd;
  gboolean close_fd;
  char    *path;
  GString *buffer;
  GError  *error;       /* the first write error; later writes are skipped */
  gboolean keep_credentials;
};

SondeRecordingWriter *
sonde_recording_writer_new_for_fd (int      fd,
                                   gboolean close_fd)
{
  SondeRecordingWriter *self;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_new0 (SondeRecordingWriter, 1);
  self->fd = fd;
  self->close_fd = close_fd;
  self->buffer = g_string_sized_new (FLUSH_SIZE + 64 * 1024);

  return self;
}

SondeRecordingWriter *
sonde_recording_writer_new_for_path (const char  *path,
                                     GError     **error)
{
  SondeRecordingWriter *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a file name, then the system's reason */
                   _("Cannot write the recording to “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }

  self = sonde_recording_writer_new_for_fd (fd, TRUE);
  self->path = g_strdup (path);

  return self;
}

/**
 * sonde_recording_writer_set_keep_credentials:
 * @keep: whether cookies, authorization and the user and password of URLs
 *   are written as they are
 *
 * By default a recording leaves them out: each value becomes
 * %SONDE_CREDENTIALS_REMOVED, so that a recording can be passed on.
 */
void
sonde_recording_writer_set_keep_credentials (SondeRecordingWriter *self,
                                             gboolean              keep)
{
  g_return_if_fail (self != NULL);

  self->keep_credentials = keep;
}

void
sonde_recording_writer_write_header (SondeRecordingWriter *self,
                                     SondeTransport        transport,
                                     const char           *url,
                                     GDateTime            *started_at)
{
  g_autofree char *stamp = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (url != NULL);
  g_return_if_fail (started_at != NULL);

  if (!self->keep_credentials)
    url = stripped = sonde_credentials_remove_from_url (url);

  stamp = sonde_json_format_time (started_at);
  g_string_append (self->buffer, "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":");
  sonde_json_append_string (self->buffer, transport == SONDE_TRANSPORT_SSE ? "sse" : "websocket",
                            transport == SONDE_TRANSPORT_SSE ? 3 : 9);
  g_string_append (self->buffer, ",\"url\":");
  sonde_json_append_string (self->buffer, url, strlen (url));
  g_string_append_printf (self->buffer, ",\"started_at\":\"%s\"}\n", stamp);
}

/* Faster than printf, which a million lines a second notice. */
static void
append_uint (GString *out,
             guint64  value)
{
  char digits[24];
  int n = 0;

  do
    {
      digits[sizeof digits - 1 - n++] = (char)('0' + value % 10);
      value /= 10;
    }
  while (value > 0);

  g_string_append_len (out, digits + sizeof digits - n, n);
}

static gboolean
append_frame (const SondeWsFrame *frame,
              gpointer            user_data)
{
  GString *out = user_data;

  if (out->str[out->len - 1] != '[')
    g_string_append_c (out, ',');
  g_string_append (out, frame->fin ? "{\"fin\":true,\"rsv\":" : "{\"fin\":false,\"rsv\":");
  append_uint (out, frame->rsv);
  g_string_append (out, ",\"opcode\":");
  append_uint (out, frame->opcode);
  if (frame->masked)
    {
      char mask[8];

      g_string_append (out, ",\"masked\":true,\"mask\":\"");
      g_string_append_len (out, mask, sonde_bytes_write_hex (mask, frame->mask, 4, 0) - mask);
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, ",\"masked\":false,\"mask\":null");
  g_string_append (out, ",\"length\":");
  append_uint (out, frame->length);
  g_string_append (out, ",\"raw\":");
  sonde_json_append_base64 (out, frame->raw, frame->raw_len);
  g_string_append_c (out, '}');

  return TRUE;
}

static gboolean
is_websocket_frame_kind (SondeEntryKind kind)
{
  return kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY || kind == SONDE_ENTRY_PING ||
         kind == SONDE_ENTRY_PONG || kind == SONDE_ENTRY_CLOSE;
}

/**
 * sonde_recording_format_entry:
 *
 * Appends @view to @out as one line of recording format v1.
 */
void
sonde_recording_format_entry (GString              *out,
                              const SondeEntryView *view)
{
  guint64 fraction;
  gsize start;

  g_return_if_fail (out != NULL);
  g_return_if_fail (view != NULL);

  g_string_append (out, "{\"seq\":");
  append_uint (out, view->seq);
  g_string_append (out, ",\"t\":");
  if (view->time_us < 0)
    g_string_append_c (out, '-');
  append_uint (out, (guint64)ABS (view->time_us) / G_USEC_PER_SEC);
  g_string_append_c (out, '.');
  /* Six digits of microseconds, zeros in front kept. */
  fraction = (guint64)ABS (view->time_us) % G_USEC_PER_SEC + G_USEC_PER_SEC;
  start = out->len;
  append_uint (out, fraction);
  g_string_erase (out, (gssize)start, 1);
  g_string_append (out, ",\"dir\":\"");
  g_string_append (out, sonde_direction_to_string (view->direction));
  g_string_append (out, "\",\"kind\":\"");
  g_string_append (out, sonde_entry_kind_to_string (view->kind));
  g_string_append_c (out, '"');

  if (view->kind == SONDE_ENTRY_SSE)
    {
      g_autofree char *type = NULL;
      g_autofree char *data = NULL;
      gsize data_len = 0;

      data = sonde_entry_view_dup_data (view, &data_len, &type);
      /* Raw bytes that hold no whole event (an entry made by hand) write as an empty one. */
      g_string_append (out, ",\"event\":");
      sonde_json_append_string (out, type != NULL ? type : "message", type != NULL ? strlen (type) : 7);
      g_string_append (out, ",\"data\":");
      sonde_json_append_string (out, data != NULL ? data : "", data != NULL ? data_len : 0);
      g_string_append (out, ",\"id\":");
      sonde_json_append_string (out, view->id, view->id_len);
    }
  else if (view->kind == SONDE_ENTRY_COMMENT)
    {
      g_autofree char *text = NULL;
      gsize text_len = 0;

      text = sonde_entry_view_dup_data (view, &text_len, NULL);
      g_string_append (out, ",\"text\":");
      sonde_json_append_string (out, text != NULL ? text : "", text != NULL ? text_len : 0);
    }

  else if ((view->kind == SONDE_ENTRY_TEXT || view->kind == SONDE_ENTRY_BINARY ||
            view->kind == SONDE_ENTRY_PING || view->kind == SONDE_ENTRY_PONG) &&
           !sonde_entry_view_is_compressed (view))
    {
      g_autofree char *data = NULL;
      gsize data_len = 0;

      data = sonde_entry_view_dup_data (view, &data_len, NULL);
      g_string_append (out, ",\"data\":");
      if (view->kind == SONDE_ENTRY_TEXT)
        {
          g_autofree char *valid = g_utf8_make_valid (data, (gssize)data_len);

          sonde_json_append_string (out, valid, strlen (valid));
        }
      else
        sonde_json_append_base64 (out, (const guint8 *)data, data_len);
    }

  if (view->fields_len > 0)
    {
      g_string_append_c (out, ',');
      g_string_append_len (out, view->fields, view->fields_len);
    }

  /* A WebSocket entry's bytes are its frames, each with its own raw. */
  if (is_websocket_frame_kind (view->kind))
    {
      g_string_append (out, ",\"frames\":[");
      sonde_ws_frames_foreach (view->raw, view->raw_len,
                               view->direction == SONDE_DIRECTION_OUT ? SONDE_WS_FROM_CLIENT
                                                                     : SONDE_WS_FROM_SERVER,
                               append_frame, out);
      g_string_append_c (out, ']');
    }
  else if (view->raw_len > 0)
    {
      g_string_append (out, ",\"raw\":");
      sonde_json_append_base64 (out, view->raw, view->raw_len);
    }

  g_string_append (out, "}\n");
}

/* Entries that carry headers or a URL: the open, the error and closed
 * entries of an attempt that went wrong (a refused upgrade keeps the
 * server's answer as its raw bytes), and a request sent beside the stream.
 * Events and messages never do. */
static gboolean
may_hold_credentials (SondeEntryKind kind)
{
  return kind == SONDE_ENTRY_OPEN || kind == SONDE_ENTRY_ERROR || kind == SONDE_ENTRY_CLOSED ||
         kind == SONDE_ENTRY_REQUEST;
}

/* Writes @view with its credentials left out, when it has any. */
static gboolean
write_without_credentials (SondeRecordingWriter *self,
                           const SondeEntryView *view)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  SondeEntryView stripped = *view;
  gboolean changed = FALSE;

  if (sonde_credentials_remove_from_fields (view->fields, view->fields_len, fields))
    {
      stripped.fields = fields->str;
      stripped.fields_len = fields->len;
      changed = TRUE;
    }
  if (sonde_credentials_remove_from_http (view->raw, view->raw_len, raw))
    {
      stripped.raw = raw->data;
      stripped.raw_len = raw->len;
      changed = TRUE;
    }
  if (changed)
    sonde_recording_format_entry (self->buffer, &stripped);

  return changed;
}

void
sonde_recording_writer_write_entry (SondeRecordingWriter *self,
                                    const SondeEntryView *view)
{
  g_return_if_fail (self != NULL);

  if (self->keep_credentials || !may_hold_credentials (view->kind) ||
      !write_without_credentials (self, view))
    sonde_recording_format_entry (self->buffer, view);

  /* A small buffer stays in the cache and never faults in fresh pages. */
  if (self->buffer->len >= FLUSH_SIZE)
    sonde_recording_writer_flush (self, NULL);
}

/**
 * sonde_recording_writer_flush:
 *
 * Writes out every line gathered so far.
 */
gboolean
sonde_recording_writer_flush (SondeRecordingWriter  *self,
                              GError               **error)
{
  gsize done = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->error != NULL)
    {
      g_string_truncate (self->buffer, 0);
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  while (done < self->buffer->len)
    {
      gssize n = write (self->fd, self->buffer->str + done, self->buffer->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (&self->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot write the recording: %s"), g_strerror (saved_errno));
          g_string_truncate (self->buffer, 0);
          if (error != NULL)
            *error = g_error_copy (self->error);
          return FALSE;
        }
      done += (gsize)n;
    }

  g_string_truncate (self->buffer, 0);
  return TRUE;
}

/**
 * sonde_recording_writer_close:
 *
 * Writes what is left and, for a file, makes sure it is on the disk.
 */
gboolean
sonde_recording_writer_close (SondeRecordingWriter  *self,
                              GError               **error)
{
  struct stat st;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->fd < 0)
    return TRUE;

  ok = sonde_recording_writer_flush (self, error);

  if (ok && fstat (self->fd, &st) == 0 && S_ISREG (st.st_mode) && fsync (self->fd) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write the recording: %s"), g_strerror (saved_errno));
      ok = FALSE;
    }

  if (self->close_fd && !g_close (self->fd, ok ? error : NULL))
    ok = FALSE;
  self->fd = -1;

  return ok;
}

void
sonde_recording_writer_free (SondeRecordingWriter *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    sonde_recording_writer_close (self, NULL);
  g_string_free (self->buffer, TRUE);
  g_clear_error (&self->error);
  g_free (self->path);
  g_free (self);
}

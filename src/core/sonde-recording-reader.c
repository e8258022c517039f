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
#include "sonde-json-scanner.h"
#include "sonde-recording-reader.h"
#include "sonde-sse-parser.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* Reads go in chunks this large; a line longer than a chunk grows the
 * buffer, up to MAX_LINE. The buffer starts small and grows to a chunk
 * when the source proves larger, so that small recordings stay cheap. */
#define CHUNK_SIZE (1024 * 1024)
#define FIRST_CHUNK_SIZE (64 * 1024)
#define MAX_LINE   ((gsize)1024 * 1024 * 1024)

/* How many distinct unknown kinds the warning names. */
#define MAX_UNKNOWN_NAMES 3

/* The members the reader takes apart; everything else goes to the fields. */
typedef enum
{
  NAME_OTHER,
  NAME_SEQ,
  NAME_T,
  NAME_DIR,
  NAME_KIND,
  NAME_RAW,
  NAME_FRAMES,
  NAME_EVENT,
  NAME_DATA,
  NAME_ID,
  NAME_TEXT,
  NAME_COMPRESSED,
  NAME_CODE,
  NAME_REASON,
  N_NAMES
} MemberName;

struct _SondeRecordingReader
{
  int                   fd;          /* -1 when reading a stream */
  gboolean              close_fd;
  GInputStream         *stream;
  char                 *name;        /* for messages; may be NULL */

  char                 *buffer;
  gsize                 capacity;
  gsize                 start;       /* [start, end) is read but not yet taken */
  gsize                 end;
  gsize                 searched;    /* bytes after start known to hold no newline */
  gboolean              eof;
  gboolean              read_all;    /* the last read filled all the room it had */
  guint64               line;        /* the number of the last line taken */

  SondeRecordingHeader  header;
  char                 *url;

  GArray               *members;     /* SondeJsonMember, of the current line */
  GByteArray           *names;       /* MemberName of each member */
  GArray               *frame_members;
  GString              *fields;
  GString              *id;
  GString              *scratch;
  GByteArray           *raw;

  GError               *error;       /* sticky: every later call gives it again */
  gboolean              finished;
  guint64               truncated_line;
  guint64               truncated_bytes;
  guint64               n_unknown;
  GPtrArray            *unknown_names;
  char                 *warning;
  gboolean              warning_dirty;
};

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
          *line = self->buffer + self->start;
          *len = self->end - self->start;
          *complete = FALSE;
          self->start = self->end;
          self->searched = 0;
          self->line++;
          return 1;
        }

      if (self->searched > MAX_LINE)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                       _("Line %llu is longer than 1 GiB, more than Sonde reads as one entry"),
                       (unsigned long long)self->line + 1);
          return -1;
        }

      /* Keep the unfinished line and make room after it. */
      if (self->start > 0 && self->capacity - self->end < self->capacity / 2)
        {
          memmove (self->buffer, self->buffer + self->start, self->end - self->start);
          self->end -= self->start;
          self->start = 0;
        }
      if (self->end == self->capacity || (self->capacity < CHUNK_SIZE && self->read_all))
        {
          self->capacity *= 2;
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

/* Columns count characters, as people do, not bytes. */
static guint
column_of (const char *line,
           gsize       offset)
{
  guint column = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (((guint8)line[i] & 0xC0) != 0x80)
        column++;
    }
  return column;
}

static void
set_not_json_error (SondeRecordingReader  *self,
                    const char            *line,
                    const SondeJsonError  *json_error,
                    GError               **error)
{
  if (json_error->expected == SONDE_JSON_EXPECTED_OBJECT)
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                 _("Line %llu is JSON but not an object: expected one object per line, "
                   "starting with “{”"),
                 (unsigned long long)self->line);
  else
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                 /* Translators: the second %s is what was expected, such as “a value” */
                 _("Line %llu is not JSON: expected %s at column %u"),
                 (unsigned long long)self->line,
                 sonde_json_expected_describe (json_error->expected),
                 column_of (line, json_error->offset));
}

/* A string member's text, escapes decoded, in @scratch when it had any. */
static const char *
string_value (const SondeJsonMember *member,
              GString               *scratch,
              gsize                 *len)
{
  if (!member->value_escaped)
    {
      *len = member->value_len;
      return member->value;
    }

  g_string_truncate (scratch, 0);
  sonde_json_decode_string (member->value, member->value_len, scratch);
  *len = scratch->len;
  return scratch->str;
}

static gboolean
string_is (const SondeJsonMember *member,
           GString               *scratch,
           const char            *expected)
{
  gsize len;
  const char *text;

  if (member->type != SONDE_JSON_STRING)
    return FALSE;
  text = string_value (member, scratch, &len);
  return len == strlen (expected) && memcmp (text, expected, len) == 0;
}

static const SondeJsonMember *
find_member (GArray     *members,
             const char *name)
{
  const SondeJsonMember *found = NULL;

  /* The last of equal names wins, as with most JSON readers. */
  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);

      if (sonde_json_member_name_is (member, name))
        found = member;
    }
  return found;
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
      set_not_json_error (self, line, &json_error, error);
      return FALSE;
    }

  member = find_member (self->members, "format");
  if (member == NULL || !string_is (member, self->scratch, "sonde-recording"))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                   _("Line %llu is not the header of a Sonde recording: expected an object "
                     "with \"format\":\"sonde-recording\""),
                   (unsigned long long)self->line);
      return FALSE;
    }

  member = find_member (self->members, "version");
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

  member = find_member (self->members, "transport");
  if (member != NULL && string_is (member, self->scratch, "sse"))
    self->header.transport = SONDE_TRANSPORT_SSE;
  else if (member != NULL && string_is (member, self->scratch, "websocket"))
    self->header.transport = SONDE_TRANSPORT_WEBSOCKET;
  else
    return header_error (error, _("The header has no valid “transport”: expected \"sse\" "
                                  "or \"websocket\""));

  member = find_member (self->members, "url");
  if (member == NULL || member->type != SONDE_JSON_STRING)
    return header_error (error, _("The header has no valid “url”: expected a string"));
  {
    gsize url_len;
    const char *url = string_value (member, self->scratch, &url_len);

    self->url = g_utf8_make_valid (url, (gssize)url_len);
    self->header.url = self->url;
  }

  member = find_member (self->members, "started_at");
  if (member != NULL && member->type == SONDE_JSON_STRING)
    {
      gsize stamp_len;
      const char *stamp = string_value (member, self->scratch, &stamp_len);
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

static MemberName
classify (const SondeJsonMember *member)
{
  g_autoptr(GString) decoded = NULL;
  const char *n = member->name;
  gsize len = member->name_len;

  if (member->name_escaped)
    {
      decoded = g_string_new (NULL);
      sonde_json_decode_string (member->name, member->name_len, decoded);
      n = decoded->str;
      len = decoded->len;
    }

#define IS(word) (len == sizeof word - 1 && memcmp (n, word, sizeof word - 1) == 0)
  switch (len)
    {
    case 1:
      return n[0] == 't' ? NAME_T : NAME_OTHER;
    case 2:
      return IS ("id") ? NAME_ID : NAME_OTHER;
    case 3:
      return IS ("seq") ? NAME_SEQ : IS ("dir") ? NAME_DIR : IS ("raw") ? NAME_RAW : NAME_OTHER;
    case 4:
      return IS ("kind") ? NAME_KIND : IS ("data") ? NAME_DATA : IS ("text") ? NAME_TEXT :
             IS ("code") ? NAME_CODE : NAME_OTHER;
    case 5:
      return IS ("event") ? NAME_EVENT : NAME_OTHER;
    case 6:
      return IS ("frames") ? NAME_FRAMES : IS ("reason") ? NAME_REASON : NAME_OTHER;
    case 10:
      return IS ("compressed") ? NAME_COMPRESSED : NAME_OTHER;
    default:
      return NAME_OTHER;
    }
#undef IS
}

static gboolean
is_frame_kind (SondeEntryKind kind)
{
  return kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY || kind == SONDE_ENTRY_PING ||
         kind == SONDE_ENTRY_PONG || kind == SONDE_ENTRY_CLOSE;
}

static gboolean
entry_error (SondeRecordingReader  *self,
             GError               **error,
             const char            *name,
             const char            *expected)
{
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
               /* Translators: “%s” is a member name such as “seq”, then what it should be */
               _("Line %llu has an invalid “%s”: expected %s"),
               (unsigned long long)self->line, name, expected);
  return FALSE;
}

static void
note_unknown_kind (SondeRecordingReader  *self,
                   const SondeJsonMember *kind)
{
  gsize len;
  const char *text = string_value (kind, self->scratch, &len);
  g_autofree char *valid = g_utf8_make_valid (text, (gssize)MIN (len, 40));

  /* The name ends up on a terminal: no control character gets there. */
  for (char *p = valid; *p != '\0'; p++)
    {
      if ((guint8)*p < 0x20 || *p == 0x7f)
        *p = '?';
    }

  self->n_unknown++;
  self->warning_dirty = TRUE;
  if (self->unknown_names->len >= MAX_UNKNOWN_NAMES)
    return;
  for (guint i = 0; i < self->unknown_names->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->unknown_names, i), valid))
        return;
    }
  g_ptr_array_add (self->unknown_names, g_steal_pointer (&valid));
}

/* Appends the text of a line's text up to its first line break. */
static void
append_first_line (GString    *out,
                   const char *text,
                   gsize       len)
{
  gsize n = 0;

  while (n < len && text[n] != '\n' && text[n] != '\r')
    n++;
  g_string_append_len (out, text, n);
}

/* An SSE event or comment written without its raw bytes (by hand, or by
 * another program) gets the bytes a server would have sent. */
static void
make_sse_raw (SondeRecordingReader  *self,
              SondeEntryKind         kind,
              const SondeJsonMember *event,
              const SondeJsonMember *data,
              const SondeJsonMember *text,
              const char            *id,
              gsize                  id_len)
{
  g_autoptr(GString) block = g_string_new (NULL);
  const char *value;
  gsize len;

  if (kind == SONDE_ENTRY_COMMENT)
    {
      g_string_append_c (block, ':');
      if (text != NULL && text->type == SONDE_JSON_STRING)
        {
          value = string_value (text, self->scratch, &len);
          append_first_line (block, value, len);
        }
      g_string_append_c (block, '\n');
      g_byte_array_append (self->raw, (const guint8 *)block->str, block->len);
      return;
    }

  if (id_len > 0 && memchr (id, '\n', id_len) == NULL && memchr (id, '\r', id_len) == NULL &&
      memchr (id, '\0', id_len) == NULL)
    {
      g_string_append (block, "id: ");
      g_string_append_len (block, id, id_len);
      g_string_append_c (block, '\n');
    }
  if (event != NULL && event->type == SONDE_JSON_STRING &&
      !string_is (event, self->scratch, "message"))
    {
      gsize before = block->len;

      g_string_append (block, "event: ");
      value = string_value (event, self->scratch, &len);
      append_first_line (block, value, len);
      if (block->len == before + strlen ("event: "))
        g_string_truncate (block, before);
      else
        g_string_append_c (block, '\n');
    }

  value = "";
  len = 0;
  if (data != NULL && data->type == SONDE_JSON_STRING)
    value = string_value (data, self->scratch, &len);
  /* One data line per line of the data, whatever ends them. */
  for (;;)
    {
      gsize n = 0;

      while (n < len && value[n] != '\n' && value[n] != '\r')
        n++;
      g_string_append (block, "data: ");
      g_string_append_len (block, value, n);
      g_string_append_c (block, '\n');
      if (n == len)
        break;
      if (value[n] == '\r' && n + 1 < len && value[n + 1] == '\n')
        n++;
      value += n + 1;
      len -= n + 1;
    }
  g_string_append_c (block, '\n');

  g_byte_array_append (self->raw, (const guint8 *)block->str, block->len);
}

/* A WebSocket entry written without frames gets one final frame that
 * carries its payload: unmasked from the server, masked with the key
 * 00000000 from the client, as RFC 6455 wants each side to send. */
static gboolean
make_frame (SondeRecordingReader  *self,
            GError               **error,
            SondeEntryKind         kind,
            SondeDirection         direction,
            const SondeJsonMember *data,
            const SondeJsonMember *code,
            const SondeJsonMember *reason)
{
  static const guint8 zero_mask[4] = { 0, 0, 0, 0 };
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  const char *text;
  gsize len;
  guint8 opcode;

  switch (kind)
    {
    case SONDE_ENTRY_TEXT:
      opcode = SONDE_WS_OPCODE_TEXT;
      if (data != NULL && data->type == SONDE_JSON_STRING)
        {
          text = string_value (data, self->scratch, &len);
          g_byte_array_append (payload, (const guint8 *)text, (guint)len);
        }
      break;

    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      opcode = kind == SONDE_ENTRY_BINARY ? SONDE_WS_OPCODE_BINARY :
               kind == SONDE_ENTRY_PING ? SONDE_WS_OPCODE_PING : SONDE_WS_OPCODE_PONG;
      if (data != NULL && data->type == SONDE_JSON_STRING)
        {
          text = string_value (data, self->scratch, &len);
          if (!sonde_base64_decode_append (text, len, payload))
            return entry_error (self, error, "data", _("base64"));
        }
      break;

    case SONDE_ENTRY_CLOSE:
      opcode = SONDE_WS_OPCODE_CLOSE;
      {
        guint64 value;

        if (code != NULL && code->type == SONDE_JSON_NUMBER &&
            sonde_json_parse_uint64 (code->value, code->value_len, &value) && value <= G_MAXUINT16)
          {
            guint8 bytes[2] = { (guint8)(value >> 8), (guint8)value };

            g_byte_array_append (payload, bytes, 2);
            if (reason != NULL && reason->type == SONDE_JSON_STRING)
              {
                text = string_value (reason, self->scratch, &len);
                g_byte_array_append (payload, (const guint8 *)text, (guint)len);
              }
          }
      }
      break;

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  sonde_ws_frame_append_full (self->raw, SONDE_WS_FIN | opcode, payload->data, payload->len,
                              direction == SONDE_DIRECTION_OUT ? zero_mask : NULL, 0);
  return TRUE;
}

static gboolean
decode_base64_member (SondeRecordingReader  *self,
                      const SondeJsonMember *member)
{
  gsize len;
  const char *text;

  if (member->type != SONDE_JSON_STRING)
    return FALSE;
  text = string_value (member, self->scratch, &len);
  return sonde_base64_decode_append (text, len, self->raw);
}

static gboolean
decode_frames (SondeRecordingReader  *self,
               const SondeJsonMember *frames,
               GError               **error)
{
  SondeJsonMember element;
  gsize pos = 0;

  if (frames->type != SONDE_JSON_ARRAY)
    goto bad;

  while (sonde_json_array_next (frames->value, frames->value_len, &pos, &element))
    {
      const SondeJsonMember *raw;

      if (element.type != SONDE_JSON_OBJECT)
        goto bad;
      g_array_set_size (self->frame_members, 0);
      if (!sonde_json_scan_object (element.value, element.value_len, self->frame_members, NULL))
        goto bad;
      raw = find_member (self->frame_members, "raw");
      if (raw == NULL || !decode_base64_member (self, raw))
        goto bad;
    }
  return TRUE;

bad:
  return entry_error (self, error, "frames",
                      _("a list of frames, each with its bytes in base64 under “raw”"));
}

/* Whether an SSE parser fed @raw dispatches an event, as every event's raw
 * block does: a data field, then a blank line. (The log derives an event's
 * data and type from its block; one that dispatches nothing has neither.)
 * The same answer as sonde_sse_block_get_data() giving a type, at a
 * fraction of the cost. */
static gboolean
block_dispatches (const guint8 *raw,
                  gsize         len)
{
  const guint8 *p = raw;
  const guint8 *end = raw + len;
  gboolean data = FALSE;

  while (p < end)
    {
      const guint8 *q = p;
      gsize line_len;

      while (q < end && *q != '\n' && *q != '\r')
        q++;
      if (q == end)
        break;
      line_len = (gsize)(q - p);

      if (line_len == 0 && data)
        return TRUE;
      if (line_len == 0)
        data = FALSE;
      else if (line_len >= 4 && memcmp (p, "data", 4) == 0 && (line_len == 4 || p[4] == ':'))
        data = TRUE;

      p = q + 1;
      if (*q == '\r' && p < end && *p == '\n')
        p++;
    }

  return FALSE;
}

/* Reads one entry line into @view. *skip is set for a kind this Sonde does
 * not know. */
static gboolean
parse_entry (SondeRecordingReader  *self,
             const char            *line,
             gsize                  len,
             SondeEntryView        *view,
             gboolean              *skip,
             GError               **error)
{
  const SondeJsonMember *at[N_NAMES] = { NULL, };
  SondeJsonMember *members;
  SondeJsonError json_error;
  SondeEntryKind kind;
  gboolean keep[N_NAMES] = { FALSE, };
  gboolean compressed;
  guint n;

  *skip = FALSE;
  g_array_set_size (self->members, 0);
  if (!sonde_json_scan_object (line, len, self->members, &json_error))
    {
      set_not_json_error (self, line, &json_error, error);
      return FALSE;
    }

  members = (SondeJsonMember *)(gpointer)self->members->data;
  n = self->members->len;
  g_byte_array_set_size (self->names, n);
  for (guint i = 0; i < n; i++)
    {
      MemberName name = classify (&members[i]);

      self->names->data[i] = (guint8)name;
      at[name] = &members[i];
    }

  {
    static const MemberName required[] = { NAME_SEQ, NAME_T, NAME_DIR, NAME_KIND };
    static const char * const required_names[] = { "seq", "t", "dir", "kind" };

    for (guint i = 0; i < G_N_ELEMENTS (required); i++)
      {
        if (at[required[i]] == NULL)
          {
            g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                         /* Translators: “%s” is a member name such as “seq” */
                         _("Line %llu has no “%s”: expected every entry to have seq, t, dir "
                           "and kind"),
                         (unsigned long long)self->line, required_names[i]);
            return FALSE;
          }
      }
  }

  if (at[NAME_SEQ]->type != SONDE_JSON_NUMBER ||
      !sonde_json_parse_uint64 (at[NAME_SEQ]->value, at[NAME_SEQ]->value_len, &view->seq))
    return entry_error (self, error, "seq", _("a whole number from 0 up"));

  if (at[NAME_T]->type != SONDE_JSON_NUMBER ||
      !sonde_json_parse_seconds_us (at[NAME_T]->value, at[NAME_T]->value_len, &view->time_us))
    return entry_error (self, error, "t", _("seconds since the start, such as 12.345678"));

  if (string_is (at[NAME_DIR], self->scratch, "in"))
    view->direction = SONDE_DIRECTION_IN;
  else if (string_is (at[NAME_DIR], self->scratch, "out"))
    view->direction = SONDE_DIRECTION_OUT;
  else if (string_is (at[NAME_DIR], self->scratch, "local"))
    view->direction = SONDE_DIRECTION_LOCAL;
  else
    return entry_error (self, error, "dir", _("\"in\", \"out\" or \"local\""));

  if (at[NAME_KIND]->type != SONDE_JSON_STRING)
    return entry_error (self, error, "kind", _("a string such as \"sse\""));
  {
    gsize kind_len;
    const char *kind_text = string_value (at[NAME_KIND], self->scratch, &kind_len);
    char name[16];

    if (kind_len >= sizeof name || memchr (kind_text, '\0', kind_len) != NULL)
      kind = SONDE_ENTRY_N_KINDS;
    else
      {
        memcpy (name, kind_text, kind_len);
        name[kind_len] = '\0';
        if (!sonde_entry_kind_from_string (name, &kind))
          kind = SONDE_ENTRY_N_KINDS;
      }
  }
  if (kind == SONDE_ENTRY_N_KINDS)
    {
      note_unknown_kind (self, at[NAME_KIND]);
      *skip = TRUE;
      return TRUE;
    }
  view->kind = kind;

  compressed = FALSE;

  /* What stays in the fields: everything the log does not derive. */
  for (guint i = 0; i < N_NAMES; i++)
    keep[i] = TRUE;
  keep[NAME_SEQ] = keep[NAME_T] = keep[NAME_DIR] = keep[NAME_KIND] = keep[NAME_RAW] = FALSE;
  switch (kind)
    {
    case SONDE_ENTRY_SSE:
      keep[NAME_EVENT] = keep[NAME_DATA] = keep[NAME_ID] = FALSE;
      break;
    case SONDE_ENTRY_COMMENT:
      keep[NAME_TEXT] = FALSE;
      break;
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      keep[NAME_DATA] = FALSE;
      keep[NAME_FRAMES] = FALSE;
      break;
    case SONDE_ENTRY_CLOSE:
      keep[NAME_FRAMES] = FALSE;
      break;
    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      break;
    }

  g_string_truncate (self->fields, 0);
  for (guint i = 0; i < n; i++)
    {
      if (!keep[self->names->data[i]])
        continue;
      if (self->fields->len > 0)
        g_string_append_c (self->fields, ',');
      sonde_json_append_compact (self->fields, &members[i]);
    }

  /* A compressed message keeps its data in the fields. Whether it is one is
   * decided as the log decides it (sonde_entry_view_is_compressed() looks
   * for "compressed":true in the fields), on the fields without the data,
   * so that the two never disagree about where the data is. */
  if (is_frame_kind (kind) && kind != SONDE_ENTRY_CLOSE &&
      g_strstr_len (self->fields->str, (gssize)self->fields->len, "\"compressed\":true") != NULL)
    compressed = TRUE;
  if (compressed && at[NAME_DATA] != NULL)
    {
      keep[NAME_DATA] = TRUE;
      g_string_truncate (self->fields, 0);
      for (guint i = 0; i < n; i++)
        {
          if (!keep[self->names->data[i]])
            continue;
          if (self->fields->len > 0)
            g_string_append_c (self->fields, ',');
          sonde_json_append_compact (self->fields, &members[i]);
        }
    }

  /* The id: it points into the line unless it had escapes. */
  view->id = "";
  view->id_len = 0;
  if (kind == SONDE_ENTRY_SSE && at[NAME_ID] != NULL && at[NAME_ID]->type == SONDE_JSON_STRING)
    {
      if (!at[NAME_ID]->value_escaped)
        {
          view->id = at[NAME_ID]->value;
          view->id_len = at[NAME_ID]->value_len;
        }
      else
        {
          g_string_truncate (self->id, 0);
          sonde_json_decode_string (at[NAME_ID]->value, at[NAME_ID]->value_len, self->id);
          view->id = self->id->str;
          view->id_len = self->id->len;
        }
    }

  /* The bytes on the wire. */
  g_byte_array_set_size (self->raw, 0);
  if (is_frame_kind (kind) && at[NAME_FRAMES] != NULL)
    {
      if (!decode_frames (self, at[NAME_FRAMES], error))
        return FALSE;
    }
  else if (at[NAME_RAW] != NULL)
    {
      if (!decode_base64_member (self, at[NAME_RAW]))
        return entry_error (self, error, "raw", _("base64"));
    }
  else if (kind == SONDE_ENTRY_SSE || kind == SONDE_ENTRY_COMMENT)
    make_sse_raw (self, kind, at[NAME_EVENT], at[NAME_DATA], at[NAME_TEXT], view->id, view->id_len);
  else if (is_frame_kind (kind) && !compressed)
    {
      if (!make_frame (self, error, kind, view->direction, at[NAME_DATA], at[NAME_CODE],
                       at[NAME_REASON]))
        return FALSE;
    }

  if (kind == SONDE_ENTRY_SSE && !block_dispatches (self->raw->data, self->raw->len))
    return entry_error (self, error, "raw", _("the bytes of an SSE event, up to its blank line"));
  if (kind == SONDE_ENTRY_COMMENT)
    {
      /* Comments are few: the parser itself can say. */
      char *comment = sonde_sse_comment_get_text (self->raw->data, self->raw->len, NULL);

      if (comment == NULL)
        return entry_error (self, error, "raw", _("an SSE comment line, starting with “:”"));
      g_free (comment);
    }

  view->fields = self->fields->str;
  view->fields_len = self->fields->len;
  view->raw = self->raw->data;
  view->raw_len = self->raw->len;

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

          /* Only a scan, to tell a cut line from a whole one; parse_entry
           * scans it again. */
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

      if (!parse_entry (self, line, len, view, &skip, &self->error))
        break;
      if (!skip)
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

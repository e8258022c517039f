/* sonde-recording-reader-private.h: what the recording reader's two parts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-json-scanner.h"
#include "sonde-recording-reader.h"

G_BEGIN_DECLS

/* The reader is two files: sonde-recording-reader.c (opening a file or a
 * stream, cutting it into lines, the header, what was left out) and
 * sonde-recording-reader-entry.c (one entry line taken apart into a view,
 * with the bytes a server would have sent when the line has none). */

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
  gsize                 max_line;    /* the longest line taken; a test lowers it */
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
  gint64                last_time_us; /* the latest time so far, G_MININT64 before any */
  guint64               n_earlier;    /* entries placed at it, their own time being earlier */
  guint64               earlier_line;
  gint64                earlier_us;   /* the first of them, its own time */
  gint64                earlier_after_us; /* and the time it came after */
};

/* sonde-recording-reader-entry.c */
const char            *sonde_recording_reader_string_value       (const SondeJsonMember *member,
                                                                  GString               *scratch,
                                                                  gsize                 *len);
gboolean               sonde_recording_reader_string_is          (const SondeJsonMember *member,
                                                                  GString               *scratch,
                                                                  const char            *expected);
const SondeJsonMember *sonde_recording_reader_find_member        (GArray                *members,
                                                                  const char            *name);
void                   sonde_recording_reader_set_not_json_error (SondeRecordingReader  *self,
                                                                  const char            *line,
                                                                  const SondeJsonError  *json_error,
                                                                  GError               **error);
gboolean               sonde_recording_reader_parse_entry        (SondeRecordingReader  *self,
                                                                  const char            *line,
                                                                  gsize                  len,
                                                                  SondeEntryView        *view,
                                                                  gboolean              *skip,
                                                                  GError               **error);

G_END_DECLS

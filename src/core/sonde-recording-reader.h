/* sonde-recording-reader.h: reads recording format v1 as a stream, line by line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef struct
{
  guint            version;
  SondeTransport   transport;
  const char      *url;
  GDateTime       *started_at;    /* UTC */
} SondeRecordingHeader;

typedef struct _SondeRecordingReader SondeRecordingReader;

SondeRecordingReader       *sonde_recording_reader_new_for_path   (const char            *path,
                                                                   GError               **error);
SondeRecordingReader       *sonde_recording_reader_new_for_fd     (int                    fd,
                                                                   gboolean               close_fd,
                                                                   const char            *name,
                                                                   GError               **error);
SondeRecordingReader       *sonde_recording_reader_new_for_stream (GInputStream          *stream,
                                                                   const char            *name,
                                                                   GError               **error);
const SondeRecordingHeader *sonde_recording_reader_get_header     (SondeRecordingReader  *self);
gboolean                    sonde_recording_reader_next           (SondeRecordingReader  *self,
                                                                   SondeEntryView        *view,
                                                                   GError               **error);
guint64                     sonde_recording_reader_get_line       (SondeRecordingReader  *self);
const char                 *sonde_recording_reader_get_warning    (SondeRecordingReader  *self);
gboolean                    sonde_recording_reader_load           (SondeRecordingReader  *self,
                                                                   SondeEventLog         *log,
                                                                   GError               **error);
void                        sonde_recording_reader_free           (SondeRecordingReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeRecordingReader, sonde_recording_reader_free)

G_END_DECLS

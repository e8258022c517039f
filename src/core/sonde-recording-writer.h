/* sonde-recording-writer.h: writes recording format v1 (JSON Lines) as entries arrive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef struct _SondeRecordingWriter SondeRecordingWriter;

SondeRecordingWriter *sonde_recording_writer_new_for_fd   (int                    fd,
                                                           gboolean               close_fd);
SondeRecordingWriter *sonde_recording_writer_new_for_path (const char            *path,
                                                           GError               **error);
void                  sonde_recording_writer_set_keep_credentials (SondeRecordingWriter *self,
                                                                   gboolean              keep);
void                  sonde_recording_writer_write_header (SondeRecordingWriter  *self,
                                                           SondeTransport         transport,
                                                           const char            *url,
                                                           GDateTime             *started_at);
void                  sonde_recording_writer_write_entry  (SondeRecordingWriter  *self,
                                                           const SondeEntryView  *view);
gboolean              sonde_recording_writer_flush        (SondeRecordingWriter  *self,
                                                           GError               **error);
gboolean              sonde_recording_writer_close        (SondeRecordingWriter  *self,
                                                           GError               **error);
void                  sonde_recording_writer_free         (SondeRecordingWriter  *self);

void                  sonde_recording_format_entry        (GString               *out,
                                                           const SondeEntryView  *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeRecordingWriter, sonde_recording_writer_free)

G_END_DECLS

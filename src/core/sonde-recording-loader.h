/* sonde-recording-loader.h: a recording or HAR file read into an event log on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"
#include "sonde-har.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_LOADER_OPENING,    /* reading the header, or the whole HAR file */
  SONDE_LOADER_CHOOSING,   /* a HAR file with several streams: sonde_recording_loader_choose() */
  SONDE_LOADER_LOADING,    /* entries are arriving in the log */
  SONDE_LOADER_DONE,       /* everything was read; there may be a warning */
  SONDE_LOADER_FAILED,     /* stopped at an error; what came before it stays in the log */
  SONDE_LOADER_CANCELLED,  /* stopped when asked; what was read stays in the log */
} SondeLoaderState;

#define SONDE_TYPE_RECORDING_LOADER (sonde_recording_loader_get_type ())

G_DECLARE_FINAL_TYPE (SondeRecordingLoader, sonde_recording_loader, SONDE, RECORDING_LOADER,
                      GObject)

SondeRecordingLoader    *sonde_recording_loader_new               (GFile                *file);
SondeRecordingLoader    *sonde_recording_loader_new_for_har_entry (SondeRecordingLoader *chooser,
                                                                   guint                 index);
void                     sonde_recording_loader_start             (SondeRecordingLoader *self);
void                     sonde_recording_loader_choose            (SondeRecordingLoader *self,
                                                                   guint                 index);
void                     sonde_recording_loader_cancel            (SondeRecordingLoader *self);

GFile                   *sonde_recording_loader_get_file          (SondeRecordingLoader *self);
SondeEventLog           *sonde_recording_loader_get_log           (SondeRecordingLoader *self);
SondeLoaderState         sonde_recording_loader_get_state         (SondeRecordingLoader *self);
gboolean                 sonde_recording_loader_get_finished      (SondeRecordingLoader *self);
gboolean                 sonde_recording_loader_get_is_har        (SondeRecordingLoader *self);
SondeTransport           sonde_recording_loader_get_transport     (SondeRecordingLoader *self);
const char              *sonde_recording_loader_get_url           (SondeRecordingLoader *self);
double                   sonde_recording_loader_get_fraction      (SondeRecordingLoader *self);
const GError            *sonde_recording_loader_get_error         (SondeRecordingLoader *self);
const char              *sonde_recording_loader_get_warning       (SondeRecordingLoader *self);
const SondeHarCandidate *sonde_recording_loader_get_candidates    (SondeRecordingLoader *self,
                                                                   guint                *n_candidates);

G_END_DECLS

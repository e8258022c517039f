/* sonde-recording-save.h: a log written to a file, as a recording or a HAR file, on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_SAVE_RECORDING,   /* recording format v1, every entry as it was captured */
  SONDE_SAVE_HAR,         /* HAR 1.2, credentials left out */
} SondeSaveFormat;

void     sonde_recording_save_async  (SondeEventLog        *log,
                                      guint64               n_entries,
                                      SondeTransport        transport,
                                      const char           *url,
                                      SondeSaveFormat       format,
                                      GFile                *file,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean sonde_recording_save_finish (GAsyncResult         *result,
                                      guint64              *n_saved,
                                      GError              **error);
gboolean sonde_recording_save        (SondeEventLog        *log,
                                      guint64               n_entries,
                                      SondeTransport        transport,
                                      const char           *url,
                                      SondeSaveFormat       format,
                                      const char           *path,
                                      GCancellable         *cancellable,
                                      GError              **error);

G_END_DECLS

/* sonde-demo.c: the demo recording that every sonde binary carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-demo.h"
#include "sonde-demo-resources.h"
#include "sonde-event-log.h"
#include "sonde-recording-reader.h"

/* The recording is compiled in (data/sonde-demo.gresource.xml), so a
 * binary run from its build folder, or copied anywhere, has it: no data
 * directory to find. It is read as a stream, as any recording could be. */
#define DEMO_PATH "/io/github/sonde/Sonde/demo/" SONDE_DEMO_NAME

/**
 * sonde_demo_open_stream:
 *
 * Returns: (transfer full): the demo recording, as recording format v1
 */
GInputStream *
sonde_demo_open_stream (GError **error)
{
  return g_resource_open_stream (sonde_demo_get_resource (), DEMO_PATH,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/**
 * sonde_demo_load:
 * @log: an empty log to fill
 *
 * Reads the whole demo recording into @log.
 *
 * Returns: whether it was read (it always is, unless memory runs out)
 */
gboolean
sonde_demo_load (SondeEventLog  *log,
                 GError        **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stream = sonde_demo_open_stream (error);
  if (stream == NULL)
    return FALSE;
  reader = sonde_recording_reader_new_for_stream (stream, SONDE_DEMO_NAME, error);
  if (reader == NULL)
    return FALSE;

  return sonde_recording_reader_load (reader, log, error);
}

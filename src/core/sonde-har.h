/* sonde-har.h: HAR files to Sonde recordings and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-error.h"
#include "sonde-event-log.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"

G_BEGIN_DECLS

/* What a HAR export or import writes instead of a credential (the value of
 * a Cookie, Set-Cookie, Authorization or Proxy-Authorization header, or the
 * user and password in a URL, where it is percent-encoded), unless asked to
 * keep them. Recordings use the same words. Not translated: tools look for it. */
#define SONDE_CREDENTIALS_REMOVED "[removed by Sonde]"

/* An entry of the HAR file that can become a recording. */
typedef struct
{
  guint           index;          /* in log.entries, counted from 0 */
  SondeTransport  transport;
  const char     *url;            /* request.url, or "" */
  guint           n_messages;
} SondeHarCandidate;

/* A session imported from a HAR entry: what a recording holds. */
typedef struct
{
  SondeTransport  transport;
  char           *url;
  GDateTime      *started_at;     /* UTC, whole milliseconds */
  SondeEventLog  *log;
} SondeHarSession;

typedef struct _SondeHar SondeHar;

gboolean                 sonde_har_data_is_recording (const char             *data,
                                                      gsize                   len);
gboolean                 sonde_har_sniff_recording   (const char             *path,
                                                      gboolean               *is_recording,
                                                      GError                **error);

SondeHar                *sonde_har_new_for_path      (const char             *path,
                                                      GError                **error);
SondeHar                *sonde_har_new_for_data      (const char             *data,
                                                      gssize                  len,
                                                      GError                **error);
guint                    sonde_har_get_n_entries     (SondeHar               *self);
const SondeHarCandidate *sonde_har_get_candidates    (SondeHar               *self,
                                                      guint                  *n_candidates);
gboolean                 sonde_har_select            (SondeHar               *self,
                                                      gint64                  entry,
                                                      const char             *url_part,
                                                      guint                  *index,
                                                      GError                **error);
SondeHarSession         *sonde_har_import            (SondeHar               *self,
                                                      guint                   index,
                                                      gboolean                keep_credentials,
                                                      GError                **error);
void                     sonde_har_free              (SondeHar               *self);

gboolean                 sonde_har_session_write     (SondeHarSession        *session,
                                                      SondeRecordingWriter   *writer,
                                                      GError                **error);
void                     sonde_har_session_free      (SondeHarSession        *session);

char                    *sonde_har_export            (SondeRecordingReader   *reader,
                                                      gboolean                keep_credentials,
                                                      gsize                  *len,
                                                      GError                **error);
char                    *sonde_har_export_log        (SondeEventLog          *log,
                                                      guint64                 n_entries,
                                                      SondeTransport          transport,
                                                      const char             *url,
                                                      gboolean                keep_credentials,
                                                      gsize                  *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeHar, sonde_har_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeHarSession, sonde_har_session_free)

G_END_DECLS

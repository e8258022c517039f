/* sonde-side-request.h: an HTTP request sent beside a stream, logged as a `request` entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

/* The most of a response body the entry keeps, and how long a request may
 * take by default before Sonde stops waiting: a request sent to a stream's
 * own URL would otherwise read it for ever. */
#define SONDE_SIDE_REQUEST_BODY_LIMIT  (1024 * 1024)
#define SONDE_SIDE_REQUEST_TIMEOUT_MS  30000

/* What the person asks to send: a method, a URL, headers and a body. */
typedef struct
{
  char      *method;
  char      *url;
  GPtrArray *header_names;
  GPtrArray *header_values;
  GBytes    *body;
  guint      timeout_ms;     /* 0: SONDE_SIDE_REQUEST_TIMEOUT_MS */
} SondeSideRequest;

#define SONDE_TYPE_SIDE_REQUEST (sonde_side_request_get_type ())

GType             sonde_side_request_get_type    (void) G_GNUC_CONST;
SondeSideRequest *sonde_side_request_new         (const char              *method,
                                                  const char              *url);
SondeSideRequest *sonde_side_request_copy        (const SondeSideRequest  *self);
void              sonde_side_request_free        (SondeSideRequest        *self);
void              sonde_side_request_add_header  (SondeSideRequest        *self,
                                                  const char              *name,
                                                  const char              *value);
void              sonde_side_request_set_body    (SondeSideRequest        *self,
                                                  GBytes                  *body);
gboolean          sonde_side_request_check       (const SondeSideRequest  *self,
                                                  GError                 **error);
char             *sonde_side_request_default_url (const char              *stream_url);

void              sonde_side_request_send_async  (const SondeSideRequest  *self,
                                                  SoupSession             *session,
                                                  SondeEventLog           *log,
                                                  GTlsCertificateFlags     accepted_errors,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean          sonde_side_request_send_finish (GAsyncResult            *result,
                                                  guint64                 *seq,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeSideRequest, sonde_side_request_free)

G_END_DECLS

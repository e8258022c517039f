/* sonde-session.h: one connection on a worker thread of its own, read from the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-connection.h"
#include "sonde-event-log.h"
#include "sonde-session-config.h"
#include "sonde-side-request.h"

G_BEGIN_DECLS

/* What a send asks of a WebSocket session. */
typedef enum
{
  SONDE_SEND_TEXT,
  SONDE_SEND_JSON,
  SONDE_SEND_BINARY,
  SONDE_SEND_PING,
  SONDE_SEND_CLOSE,
  SONDE_SEND_TEXT_FRAGMENTS,
  SONDE_SEND_BINARY_FRAGMENTS,
} SondeSendKind;

#define SONDE_TYPE_SESSION (sonde_session_get_type ())

G_DECLARE_FINAL_TYPE (SondeSession, sonde_session, SONDE, SESSION, GObject)

SondeSession             *sonde_session_new                  (const SondeSessionConfig *config);
const SondeSessionConfig *sonde_session_get_config           (SondeSession             *self);
void                      sonde_session_set_config           (SondeSession             *self,
                                                              const SondeSessionConfig *config);
SondeEventLog            *sonde_session_get_log              (SondeSession             *self);
SondeTransport            sonde_session_get_transport        (SondeSession             *self);
const char               *sonde_session_get_url              (SondeSession             *self);

void                      sonde_session_start                (SondeSession             *self);
void                      sonde_session_stop                 (SondeSession             *self);
void                      sonde_session_reconnect            (SondeSession             *self);
void                      sonde_session_accept_certificate   (SondeSession             *self,
                                                              GTlsCertificateFlags      errors);
gboolean                  sonde_session_get_running          (SondeSession             *self);
gboolean                  sonde_session_get_active           (SondeSession             *self);

SondeConnectionState      sonde_session_get_state            (SondeSession             *self);
const char               *sonde_session_get_reason           (SondeSession             *self);
guint                     sonde_session_get_attempt          (SondeSession             *self);
guint                     sonde_session_get_retry_delay      (SondeSession             *self);
gint64                    sonde_session_get_retry_at         (SondeSession             *self);
GTlsCertificateFlags      sonde_session_get_certificate_errors (SondeSession           *self);

guint64                   sonde_session_get_n_entries        (SondeSession             *self);
void                      sonde_session_set_entry_limit      (SondeSession             *self,
                                                              guint64                   limit);
guint64                   sonde_session_get_entry_limit      (SondeSession             *self);
guint64                   sonde_session_get_n_released       (SondeSession             *self);
double                    sonde_session_get_events_per_second (SondeSession            *self);
guint64                   sonde_session_get_bytes_in         (SondeSession             *self);
guint64                   sonde_session_get_bytes_out        (SondeSession             *self);
guint                     sonde_session_get_n_reconnects     (SondeSession             *self);
const char               *sonde_session_get_last_id          (SondeSession             *self);

void                      sonde_session_send_async           (SondeSession             *self,
                                                              SondeSendKind             kind,
                                                              GBytes                   *data,
                                                              guint                    code_or_size,
                                                              const char               *reason,
                                                              GCancellable             *cancellable,
                                                              GAsyncReadyCallback       callback,
                                                              gpointer                  user_data);
gboolean                  sonde_session_send_finish          (SondeSession             *self,
                                                              GAsyncResult             *result,
                                                              GError                  **error);
void                      sonde_session_send_request_async   (SondeSession             *self,
                                                              const SondeSideRequest   *request,
                                                              GCancellable             *cancellable,
                                                              GAsyncReadyCallback       callback,
                                                              gpointer                  user_data);
gboolean                  sonde_session_send_request_finish  (SondeSession             *self,
                                                              GAsyncResult             *result,
                                                              guint64                  *seq,
                                                              GError                  **error);

G_END_DECLS

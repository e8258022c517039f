/* sonde-session-config.h: everything a connection is told before it starts, for both transports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-connection.h"
#include "sonde-event-log.h"
#include "sonde-reconnect.h"

G_BEGIN_DECLS

/* Everything a connection can be told before it starts, for both transports.
 * The WebSocket-only members are ignored for SSE. Strings and string arrays
 * belong to the struct. */
typedef struct
{
  char                 *url;
  SondeTransport        transport;      /* from the URL's scheme */
  char                **headers;        /* name, value, name, value, ..., NULL */
  SondeReconnectPolicy  policy;         /* default: spec for SSE, none for WebSocket */
  gsize                 max_size;       /* 0: the engine's default */
  guint                 timeout_ms;     /* 0: no limit */
  GTlsCertificateFlags  accepted_certificate_errors;

  /* WebSocket only */
  char                **protocols;
  char                 *origin;
  gboolean              deflate;
  guint                 keepalive_ms;   /* 0: no pings */
  gboolean              reconnect_on_any_close;
  char                **open_messages;  /* text sent after every open */
  char                 *resume_path;
  char                 *resume_message;
  char                 *resume_query;
} SondeSessionConfig;

#define SONDE_TYPE_SESSION_CONFIG (sonde_session_config_get_type ())

GType               sonde_session_config_get_type         (void) G_GNUC_CONST;
SondeSessionConfig *sonde_session_config_new              (const char                *url,
                                                           GError                   **error);
SondeSessionConfig *sonde_session_config_copy             (const SondeSessionConfig  *config);
void                sonde_session_config_free             (SondeSessionConfig        *config);
gboolean            sonde_session_config_equal            (const SondeSessionConfig  *a,
                                                           const SondeSessionConfig  *b);
gboolean            sonde_session_config_same_connection  (const SondeSessionConfig  *a,
                                                           const SondeSessionConfig  *b);
void                sonde_session_config_add_header       (SondeSessionConfig        *config,
                                                           const char                *name,
                                                           const char                *value);
gboolean            sonde_session_config_check            (const SondeSessionConfig  *config,
                                                           GError                   **error);
SondeConnection    *sonde_session_config_create_connection (const SondeSessionConfig *config,
                                                            SondeEventLog            *log,
                                                            GError                  **error);

gboolean            sonde_http_is_token                   (const char                *text);
gboolean            sonde_http_check_header               (const char                *name,
                                                           const char                *value,
                                                           GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeSessionConfig, sonde_session_config_free)

G_END_DECLS

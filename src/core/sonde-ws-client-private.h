/* sonde-ws-client-private.h: what the parts of the WebSocket client share: the object and one attempt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sonde-connection-private.h"
#include "sonde-ws-client.h"
#include "sonde-ws-dissector.h"

G_BEGIN_DECLS

/* The client is three files: sonde-ws-client.c (the object, its options,
 * sends, and an attempt from start to end), sonde-ws-client-handshake.c
 * (connecting, the upgrade request and its answer, deflate negotiation) and
 * sonde-ws-client-log.c (what goes on the timeline). */

/* Where an attempt is, for what a timeout says. */
typedef enum
{
  SONDE_WS_PHASE_CONNECTING,   /* TCP, through a proxy if there is one */
  SONDE_WS_PHASE_TLS,          /* the TLS handshake */
  SONDE_WS_PHASE_UPGRADE,      /* the upgrade request and its answer */
  SONDE_WS_PHASE_OPEN,
} SondeWsPhase;

/* Everything one attempt holds, from connecting to its end. The client
 * owns the current attempt; the handshake's task holds it too until its
 * last callback. Created by sonde_ws_attempt_new(), freed in one place when
 * the last of them lets go; sonde_ws_client_end_attempt() stops everything
 * it runs first, so what stays behind is only memory. */
typedef struct
{
  SondeWsClient           *client;           /* not a ref: the client ends its attempts first */
  GCancellable            *cancellable;
  GUri                    *uri;              /* this attempt's, with any resume parameter */
  SondeWsPhase             phase;
  GSource                 *timeout_source;   /* connecting and the handshake */

  /* The handshake */
  GSocketClient           *socket_client;
  GIOStream               *base;
  char                    *key;
  char                    *request_line;
  char                    *request_text;     /* must outlive its write */
  SoupMessageHeaders      *request_headers;
  GByteArray              *response;         /* the answer's bytes so far */
  GCancellable            *body_cancellable; /* the refused upgrade's body, briefly */
  GTlsCertificateFlags     tls_errors;
  gboolean                 tls_accepted;
  guint8                   read_buffer[4096];

  /* What it came to: an upgrade, or why not */
  SoupMessageHeaders      *response_headers;
  gsize                    header_len;
  gboolean                 deflate;
  GList                   *extensions;       /* configured, for libsoup to take */
  SondeWsDeflateSide       server_deflate;
  SondeWsDeflateSide       client_deflate;
  gboolean                 failure_final;
  char                    *failure_fields;
  GBytes                  *failure_raw;

  /* Open */
  GIOStream               *tap;
  SoupWebsocketConnection *ws;
  GSignalGroup            *ws_signals;
  SondeWsDissector        *in;
  SondeWsDissector        *out;
  GHashTable              *pings;            /* GBytes payload -> gint64 time sent */
  GSource                 *keepalive_source;
  guint                    unanswered_pings; /* keepalive pings since the last pong to one */
  GSource                 *too_large_source;
  char                    *pending_resume;
  gboolean                 we_closed;
  gboolean                 client_close_sent;
  gboolean                 client_spoke_first;
  gboolean                 server_closed;
  guint                    server_close_code;
  char                    *server_close_reason;
} SondeWsAttempt;

struct _SondeWsClient
{
  SondeConnection  parent_instance;

  /* Options */
  GPtrArray       *protocols;
  char            *origin;
  gboolean         offer_deflate;
  guint            keepalive_ms;
  gboolean         reconnect_on_any_close;
  char            *resume_message;
  char            *resume_path;
  char            *resume_query;
  GPtrArray       *open_messages;
  gsize            max_size;

  /* Across attempts */
  SondeEventLog   *log;
  char            *last_id;
  char            *protocol;

  SondeWsAttempt  *attempt;
};

SondeWsAttempt *sonde_ws_attempt_new               (SondeWsClient        *self);
SondeWsAttempt *sonde_ws_attempt_ref               (SondeWsAttempt       *attempt);
void            sonde_ws_attempt_unref             (SondeWsAttempt       *attempt);

void            sonde_ws_client_end_attempt        (SondeWsClient        *self,
                                                    gboolean              final,
                                                    GError               *error,
                                                    const char           *extra_fields,
                                                    const guint8         *raw,
                                                    gsize                 raw_len);

/* sonde-ws-client-handshake.c */
GUri           *sonde_ws_client_attempt_uri        (SondeWsClient        *self,
                                                    GError              **error);
void            sonde_ws_client_handshake_async    (SondeWsClient        *self,
                                                    SondeWsAttempt       *attempt,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        sonde_ws_client_handshake_finish   (SondeWsClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
gboolean        sonde_ws_check_upgrade             (SondeWsAttempt       *attempt,
                                                    SoupMessageHeaders   *headers,
                                                    GPtrArray            *protocols,
                                                    gboolean              offer_deflate,
                                                    gboolean             *final,
                                                    GError              **error);

/* sonde-ws-client-log.c */
extern const SondeWsCallbacks sonde_ws_client_in_callbacks;
extern const SondeWsCallbacks sonde_ws_client_out_callbacks;

void            sonde_ws_client_append_open_fields (SondeWsClient        *self,
                                                    SondeWsAttempt       *attempt,
                                                    GString              *fields,
                                                    guint                 status,
                                                    const char           *reason,
                                                    SoupMessageHeaders   *response_headers);
void            sonde_ws_client_log_open           (SondeWsClient        *self,
                                                    SondeWsAttempt       *attempt);
void            sonde_ws_client_log_closed         (SondeWsClient        *self,
                                                    SondeWsAttempt       *attempt,
                                                    const char           *message,
                                                    const char           *closed_by,
                                                    guint                 code,
                                                    const char           *reason,
                                                    gboolean              clean);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeWsAttempt, sonde_ws_attempt_unref)

G_END_DECLS

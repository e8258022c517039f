/* sonde-ws-client.h: a WebSocket connection whose every frame, both ways, is on the timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-connection.h"

G_BEGIN_DECLS

/* Keepalive pings in a row that may go unanswered before the peer counts as gone. */
#define SONDE_WS_KEEPALIVE_MISSED_PONGS 3

#define SONDE_TYPE_WS_CLIENT (sonde_ws_client_get_type ())

G_DECLARE_FINAL_TYPE (SondeWsClient, sonde_ws_client, SONDE, WS_CLIENT, SondeConnection)

SondeWsClient *sonde_ws_client_new               (const char     *url,
                                                  SondeEventLog  *log);
gboolean       sonde_ws_client_add_protocol      (SondeWsClient  *self,
                                                  const char     *protocol,
                                                  GError        **error);
gboolean       sonde_ws_client_set_origin        (SondeWsClient  *self,
                                                  const char     *origin,
                                                  GError        **error);
void           sonde_ws_client_set_offer_deflate (SondeWsClient  *self,
                                                  gboolean        offer);
void           sonde_ws_client_set_keepalive     (SondeWsClient  *self,
                                                  guint           interval_ms);
void           sonde_ws_client_set_reconnect_on_any_close (SondeWsClient *self,
                                                           gboolean       any);
void           sonde_ws_client_set_resume        (SondeWsClient  *self,
                                                  const char     *message,
                                                  const char     *member_path,
                                                  const char     *query_parameter);
void           sonde_ws_client_add_open_message  (SondeWsClient  *self,
                                                  const char     *text);
void           sonde_ws_client_set_max_size      (SondeWsClient  *self,
                                                  gsize           max_size);
const char    *sonde_ws_client_get_last_id       (SondeWsClient  *self);
const char    *sonde_ws_client_get_protocol      (SondeWsClient  *self);

gboolean       sonde_ws_client_send_text         (SondeWsClient  *self,
                                                  const char     *text,
                                                  GError        **error);
gboolean       sonde_ws_client_send_json         (SondeWsClient  *self,
                                                  const char     *text,
                                                  GError        **error);
gboolean       sonde_ws_client_send_binary       (SondeWsClient  *self,
                                                  GBytes         *data,
                                                  GError        **error);
gboolean       sonde_ws_client_ping              (SondeWsClient  *self,
                                                  GBytes         *payload,
                                                  GError        **error);
gboolean       sonde_ws_client_close             (SondeWsClient  *self,
                                                  guint           code,
                                                  const char     *reason,
                                                  GError        **error);
gboolean       sonde_ws_client_send_fragmented   (SondeWsClient  *self,
                                                  gboolean        binary,
                                                  GBytes         *data,
                                                  gsize           fragment_size,
                                                  GError        **error);

G_END_DECLS

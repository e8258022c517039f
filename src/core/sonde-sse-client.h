/* sonde-sse-client.h: a Server-Sent Events connection on a SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-connection.h"

G_BEGIN_DECLS

#define SONDE_TYPE_SSE_CLIENT (sonde_sse_client_get_type ())

G_DECLARE_FINAL_TYPE (SondeSseClient, sonde_sse_client, SONDE, SSE_CLIENT, SondeConnection)

SondeSseClient *sonde_sse_client_new                  (const char     *url,
                                                       SondeEventLog  *log);
void            sonde_sse_client_set_max_size         (SondeSseClient *self,
                                                       gsize           max_size);
guint           sonde_sse_client_get_reconnection_time (SondeSseClient *self);
const char     *sonde_sse_client_get_last_event_id    (SondeSseClient *self);

G_END_DECLS

/* sonde-poll-client.h: a long-polling connection: GET with a cursor, again and again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-connection.h"

G_BEGIN_DECLS

#define SONDE_TYPE_POLL_CLIENT (sonde_poll_client_get_type ())

G_DECLARE_FINAL_TYPE (SondePollClient, sonde_poll_client, SONDE, POLL_CLIENT, SondeConnection)

SondePollClient *sonde_poll_client_new            (const char      *url,
                                                   SondeEventLog   *log);
guint64          sonde_poll_client_get_cursor     (SondePollClient *self);
guint            sonde_poll_client_get_n_requests (SondePollClient *self);

G_END_DECLS

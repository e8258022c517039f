/* sonde-mock-server.h: replays a recording over SSE and WebSocket from loopback, with faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_MOCK_BROKEN_NONE,
  SONDE_MOCK_BROKEN_BAD_UTF8,         /* /ws: a text frame that is not UTF-8 */
  SONDE_MOCK_BROKEN_RESERVED_OPCODE,  /* /ws: a frame with opcode 0x3 */
  SONDE_MOCK_BROKEN_OVERSIZED_PING,   /* /ws: a ping with 126 bytes */
  SONDE_MOCK_BROKEN_SSE_LINE,         /* /sse: a line of invalid UTF-8 and a bad retry */
} SondeMockBroken;

#define SONDE_TYPE_MOCK_SERVER (sonde_mock_server_get_type ())

G_DECLARE_FINAL_TYPE (SondeMockServer, sonde_mock_server, SONDE, MOCK_SERVER, GObject)

SondeMockServer *sonde_mock_server_new           (SondeEventLog    *recording);
gboolean         sonde_mock_server_start         (SondeMockServer  *self,
                                                  GError          **error);
void             sonde_mock_server_stop          (SondeMockServer  *self);
guint            sonde_mock_server_get_port      (SondeMockServer  *self);
char            *sonde_mock_server_get_url       (SondeMockServer  *self,
                                                  const char       *scheme,
                                                  const char       *path);
guint            sonde_mock_server_get_n_items   (SondeMockServer  *self);
guint            sonde_mock_server_get_n_clients (SondeMockServer  *self);
guint            sonde_mock_server_publish       (SondeMockServer  *self,
                                                  GBytes           *body);
gboolean         sonde_mock_broken_from_string   (const char       *name,
                                                  SondeMockBroken  *broken);

G_END_DECLS

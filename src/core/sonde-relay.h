/* sonde-relay.h: a TCP relay on loopback that counts every byte both ways, for comparisons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What went through a relay. The heads are those of its first connection:
 * the first request's head and the first response's head, up to and
 * including their blank line (at most 16 KiB of each is kept). */
typedef struct
{
  guint64  bytes_up;        /* client to server */
  guint64  bytes_down;      /* server to client */
  guint    connections;     /* TCP connections accepted */
  GString *request_head;
  GString *response_head;
  gboolean request_head_done;
  gboolean response_head_done;
} SondeRelayCounts;

#define SONDE_TYPE_RELAY (sonde_relay_get_type ())

G_DECLARE_FINAL_TYPE (SondeRelay, sonde_relay, SONDE, RELAY, GObject)

SondeRelay             *sonde_relay_new        (const char   *host,
                                                guint16       port);
gboolean                sonde_relay_start      (SondeRelay   *self,
                                                GError      **error);
void                    sonde_relay_stop       (SondeRelay   *self);
guint16                 sonde_relay_get_port   (SondeRelay   *self);
const SondeRelayCounts *sonde_relay_get_counts (SondeRelay   *self);

G_END_DECLS

/* sonde-stamp.h: the latency stamp the mock server puts in front of each message it sends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

/* A stamp is part of the payload, so it travels wherever the payload does:
 * in an SSE data line, a WebSocket text or binary frame, a long-polling
 * answer, and inside the base64 that SSE and polling make of binary data.
 * It is plain ASCII of a fixed length, whatever the recording holds:
 *
 *   "@" 8 hex digits: the message's position in the feed (counting across loops)
 *       16 hex digits: the server's monotonic clock when it sent it, in µs
 *   ";"
 *
 * The monotonic clock is the machine's, so a client on the same machine
 * (loopback) reads one-way latency as its own clock less the stamp. */
#define SONDE_STAMP_LEN 26

void     sonde_stamp_format (char          out[SONDE_STAMP_LEN],
                             guint32       index,
                             gint64        sent_us);
gboolean sonde_stamp_parse  (const guint8 *data,
                             gsize         len,
                             guint32      *index,
                             gint64       *sent_us);
guint8  *sonde_stamp_entry_payload (const SondeEntryView *view,
                                    gsize                *len,
                                    gboolean             *binary);
gboolean sonde_stamp_entry_read    (const SondeEntryView *view,
                                    guint32              *index,
                                    gint64               *sent_us);

G_END_DECLS

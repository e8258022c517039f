/* sonde-ws-frame.h: writing WebSocket frames by hand, well-formed or deliberately not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SONDE_WS_FIN  0x80
#define SONDE_WS_RSV1 0x40
#define SONDE_WS_RSV2 0x20
#define SONDE_WS_RSV3 0x10

void     sonde_ws_frame_append         (GByteArray   *out,
                                        guint8        first_byte,
                                        const guint8 *payload,
                                        gsize         len,
                                        gboolean      masked);
void     sonde_ws_frame_append_full    (GByteArray   *out,
                                        guint8        first_byte,
                                        const guint8 *payload,
                                        gsize         len,
                                        const guint8 *mask,
                                        guint         length_bits);
GBytes  *sonde_ws_message_fragment     (guint8        opcode,
                                        const guint8 *payload,
                                        gsize         len,
                                        gsize         fragment_size,
                                        gboolean      masked);
gboolean sonde_ws_close_code_is_valid  (guint         code);
const char *sonde_ws_close_code_describe (guint       code);

G_END_DECLS

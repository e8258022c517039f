/* sonde-ws-frame.h: WebSocket frames: their fields, writing them by hand, walking stored ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SONDE_WS_OPCODE_CONTINUATION = 0x0,
  SONDE_WS_OPCODE_TEXT         = 0x1,
  SONDE_WS_OPCODE_BINARY       = 0x2,
  SONDE_WS_OPCODE_CLOSE        = 0x8,
  SONDE_WS_OPCODE_PING         = 0x9,
  SONDE_WS_OPCODE_PONG         = 0xA,
} SondeWsOpcode;

/* Which side wrote the bytes: a client must mask every frame, a server none. */
typedef enum
{
  SONDE_WS_FROM_CLIENT,
  SONDE_WS_FROM_SERVER,
} SondeWsSender;

/* Protocol violations, reported on the frame (and message) they were found in. */
typedef enum
{
  SONDE_WS_VIOLATION_RESERVED_OPCODE       = 1 << 0,  /* 0x3-0x7, 0xB-0xF */
  SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION = 1 << 1,  /* RSV1 without deflate, RSV2/3 always */
  SONDE_WS_VIOLATION_CONTROL_TOO_LONG      = 1 << 2,  /* control payload > 125 */
  SONDE_WS_VIOLATION_CONTROL_FRAGMENTED    = 1 << 3,  /* control frame without FIN */
  SONDE_WS_VIOLATION_ORPHAN_CONTINUATION   = 1 << 4,  /* continuation, no message in progress */
  SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE   = 1 << 5,  /* text/binary while a fragmented message is open */
  SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH    = 1 << 6,  /* 16- or 64-bit form for a shorter length */
  SONDE_WS_VIOLATION_LENGTH_TOP_BIT        = 1 << 7,  /* 64-bit length with the top bit set */
  SONDE_WS_VIOLATION_CLIENT_NOT_MASKED     = 1 << 8,
  SONDE_WS_VIOLATION_SERVER_MASKED         = 1 << 9,
  SONDE_WS_VIOLATION_CLOSE_ONE_BYTE        = 1 << 10, /* close body of exactly 1 byte */
  SONDE_WS_VIOLATION_CLOSE_CODE            = 1 << 11, /* a code not allowed on the wire */
  SONDE_WS_VIOLATION_INVALID_UTF8          = 1 << 12, /* text message or close reason */
  SONDE_WS_VIOLATION_TOO_LARGE             = 1 << 13, /* message past the size limit (dropped) */
  SONDE_WS_VIOLATION_BAD_DEFLATE           = 1 << 14, /* compressed payload that does not inflate */
} SondeWsViolation;

/* One frame as it was on the wire. Pointers are valid only during the callback.
 * A frame past the size limit (see sonde_ws_dissector_set_max_size()) is
 * reported with its header fields, length and TOO_LARGE, but without its
 * bytes: raw and payload NULL, raw_len 0. */
typedef struct
{
  gboolean      fin;
  guint8        rsv;            /* RSV1 = 4, RSV2 = 2, RSV3 = 1 */
  guint8        opcode;
  gboolean      masked;
  guint8        mask[4];
  guint8        length_bits;    /* 7, 16 or 64: the form the length was sent in */
  guint64       length;         /* payload length */
  const guint8 *raw;            /* the whole frame, header and (masked) payload */
  gsize         raw_len;
  gsize         header_len;     /* raw[0..header_len) is the header with the mask key */
  const guint8 *payload;        /* unmasked payload (as sent: not inflated) */
  gboolean      has_close_code; /* close frames: a code was present */
  guint16       close_code;
  const char    *close_reason;  /* close frames: UTF-8 as sent (not NUL-terminated) */
  gsize         close_reason_len;
  guint32       violations;     /* SondeWsViolation bits found in this frame */
} SondeWsFrame;

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

/* Walks stored frames again (an entry's raw bytes) for views and recordings. */
typedef gboolean (*SondeWsFrameFunc) (const SondeWsFrame *frame,
                                      gpointer            user_data);
gboolean          sonde_ws_frames_foreach           (const guint8           *raw,
                                                     gsize                   raw_len,
                                                     SondeWsSender           sender,
                                                     SondeWsFrameFunc        func,
                                                     gpointer                user_data);
guint8           *sonde_ws_frames_get_payload       (const guint8           *raw,
                                                     gsize                   raw_len,
                                                     gsize                  *len);
/* What permessage-deflate came to, for one direction. */
typedef struct
{
  gboolean no_context_takeover;
  int      window_bits;
} SondeWsDeflateSide;

gboolean           sonde_ws_parse_deflate           (const char             *value,
                                                     GHashTable            **params);
SondeWsDeflateSide sonde_ws_deflate_side            (GHashTable             *params,
                                                     SondeWsSender           sender);

const char       *sonde_ws_violation_to_string      (SondeWsViolation        violation);
char             *sonde_ws_violations_describe      (guint32                 violations);

G_END_DECLS

/* sonde-ws-dissector.h: a read-only RFC 6455 decoder for the bytes on the wire, frames and messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-ws-frame.h"

G_BEGIN_DECLS

/* Default limit for one message (all its frames), in bytes. */
#define SONDE_WS_DEFAULT_MAX_SIZE (64 * 1024 * 1024)
/* The highest limit a WebSocket client takes: libsoup keeps a message in a
 * GByteArray, which cannot pass 4 GiB, and Sonde may hold a message's raw
 * frames and its data next to libsoup's copy. */
#define SONDE_WS_MAX_SIZE_LIMIT ((gsize) 1 << 30)

/* A whole data message: every frame it came in, its payload put together
 * (inflated when it was compressed). Control frames that arrived between
 * its fragments are reported on their own, in wire order, and are not part
 * of it. Pointers are valid only during the callback.
 * Every data frame belongs to exactly one message: a text or binary frame
 * inside a fragmented message joins it (DATA_INSIDE_MESSAGE), and a
 * continuation with no message open starts one, reported as BINARY
 * (ORPHAN_CONTINUATION). Past the size limit, data_len is 0 with TOO_LARGE,
 * and raw is NULL (raw_len 0) unless only the inflated data was too large,
 * or the dissector stops at the limit: then raw holds the whole frames before
 * the one that went past it. discarded counts the wire bytes of its frames
 * that raw does not hold (a frame that went past the limit counts whole, by
 * its header, though a dissector that stops never reads most of it).
 * A message that does not inflate (BAD_DEFLATE) has data_len 0 too. data is
 * never NULL, and not NUL-terminated. */
typedef struct
{
  guint8        opcode;         /* TEXT or BINARY */
  gboolean      compressed;     /* RSV1 on its first frame, with deflate negotiated */
  const guint8 *data;
  gsize         data_len;
  const guint8 *raw;            /* its frames' raw bytes, one after the other */
  gsize         raw_len;
  guint         n_frames;
  guint32       violations;     /* every violation in its frames, and in the message */
  guint64       discarded;      /* wire bytes of its frames not in raw */
} SondeWsMessage;

typedef struct
{
  /* Every frame, data or control, as soon as it is complete. */
  void (*frame)   (gpointer              user_data,
                   const SondeWsFrame   *frame);
  /* A data message whose final frame arrived. */
  void (*message) (gpointer              user_data,
                   const SondeWsMessage *message);
  /* A control frame (ping, pong, close), or a frame with a reserved opcode. */
  void (*control) (gpointer              user_data,
                   const SondeWsFrame   *frame);
} SondeWsCallbacks;

typedef struct _SondeWsDissector SondeWsDissector;

/* Callbacks must not feed, reset or free the dissector that calls them. The
 * dissector never stops at a violation: it reports it and decodes on. A
 * frame is never kept beyond the size limit: a huge declared length is
 * counted down as its bytes go by. get_partial_frame() tells about the frame
 * being read (its header is whole, its payload not yet), which is where a
 * 64-bit length with the top bit set shows. */

SondeWsDissector *sonde_ws_dissector_new            (SondeWsSender           sender,
                                                     const SondeWsCallbacks *callbacks,
                                                     gpointer                user_data);
void              sonde_ws_dissector_free           (SondeWsDissector       *self);
void              sonde_ws_dissector_set_deflate    (SondeWsDissector       *self,
                                                     gboolean                enabled,
                                                     gboolean                no_context_takeover,
                                                     int                     window_bits);
void              sonde_ws_dissector_set_max_size   (SondeWsDissector       *self,
                                                     gsize                   max_size);
void              sonde_ws_dissector_set_stop_at_limit (SondeWsDissector    *self,
                                                     gboolean                stop);
gboolean          sonde_ws_dissector_is_stopped     (SondeWsDissector       *self);
gsize             sonde_ws_dissector_feed           (SondeWsDissector       *self,
                                                     const guint8           *data,
                                                     gsize                   len);
gboolean          sonde_ws_dissector_is_between_frames (SondeWsDissector    *self);
gsize             sonde_ws_dissector_get_pending    (SondeWsDissector       *self,
                                                     const guint8          **raw);
gboolean          sonde_ws_dissector_get_partial_frame (SondeWsDissector    *self,
                                                     SondeWsFrame           *frame,
                                                     guint64                *received);
void              sonde_ws_dissector_reset          (SondeWsDissector       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeWsDissector, sonde_ws_dissector_free)

G_END_DECLS

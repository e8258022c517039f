/* sonde-ws-frame-private.h: decoding one frame, shared by the dissector and the walkers of stored frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include "sonde-utf8.h"
#include "sonde-ws-frame.h"

G_BEGIN_DECLS

/* Everything here is inline: the dissector decodes tens of millions of
 * frame headers a second, and a call per header would show. */

/* Buffers that grew past this for one large message are given back afterwards. */
#define SONDE_WS_SHRINK_ABOVE (1024 * 1024)

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   cap;
} Buf;

static G_GNUC_NO_INLINE G_GNUC_UNUSED void
buf_grow (Buf  *b,
          gsize extra)
{
  gsize need;
  gsize cap = MAX (b->cap, 256);

  if (extra > G_MAXSIZE - b->len)
    g_error ("WebSocket dissector buffer size overflow");
  need = b->len + extra;
  while (cap < need)
    cap = cap <= G_MAXSIZE / 2 ? cap * 2 : need;

  b->data = g_realloc (b->data, cap);
  b->cap = cap;
}

/* Room for @extra more bytes; returns where they go (never NULL). */
static inline guint8 *
buf_reserve (Buf  *b,
             gsize extra)
{
  if (G_UNLIKELY (b->cap - b->len < extra || b->cap == 0))
    buf_grow (b, extra);
  return b->data + b->len;
}

static inline void
buf_append (Buf          *b,
            const guint8 *bytes,
            gsize         len)
{
  if (len == 0)
    return;
  memcpy (buf_reserve (b, len), bytes, len);
  b->len += len;
}

/* Empties @b, handing back the memory one large message left behind. */
static inline void
buf_reset (Buf *b)
{
  b->len = 0;
  if (G_UNLIKELY (b->cap > SONDE_WS_SHRINK_ABOVE))
    {
      g_clear_pointer (&b->data, g_free);
      b->cap = 0;
    }
}

static inline void
buf_clear (Buf *b)
{
  g_clear_pointer (&b->data, g_free);
  b->len = 0;
  b->cap = 0;
}

/* Words */

static inline guint64
load64 (const guint8 *p)
{
  guint64 word;

  memcpy (&word, p, 8);
  return word;
}

/* dst[i] = src[i] ^ key[(offset + i) % 4], eight bytes at a time. @dst may be @src. */
static inline void
unmask_copy (guint8       *dst,
             const guint8 *src,
             gsize         n,
             const guint8  key[4],
             guint64       offset)
{
  guint8 k[8];
  guint64 k64;
  gsize i = 0;

  for (guint j = 0; j < 8; j++)
    k[j] = key[(offset + j) & 3];
  memcpy (&k64, k, 8);

  for (; i + 32 <= n; i += 32)
    {
      guint64 a = load64 (src + i) ^ k64;
      guint64 b = load64 (src + i + 8) ^ k64;
      guint64 c = load64 (src + i + 16) ^ k64;
      guint64 d = load64 (src + i + 24) ^ k64;

      memcpy (dst + i, &a, 8);
      memcpy (dst + i + 8, &b, 8);
      memcpy (dst + i + 16, &c, 8);
      memcpy (dst + i + 24, &d, 8);
    }
  for (; i + 8 <= n; i += 8)
    {
      guint64 a = load64 (src + i) ^ k64;

      memcpy (dst + i, &a, 8);
    }
  /* i is a multiple of 8 here, so k[] still lines up. */
  for (; i < n; i++)
    dst[i] = src[i] ^ k[i & 7];
}

/* Frame headers */

/* How long a header is, from its second byte. */
static inline gsize
header_size (guint8 second)
{
  gsize size = (second & 0x80) ? 6 : 2;
  guint8 len7 = second & 0x7F;

  if (len7 == 126)
    size += 2;
  else if (len7 == 127)
    size += 8;
  return size;
}

static inline guint64
load_be64 (const guint8 *p)
{
  guint64 v = 0;

  for (guint i = 0; i < 8; i++)
    v = v << 8 | p[i];
  return v;
}

/* Decodes a whole header and finds the violations it shows by itself. RSV1
 * on text, binary and continuation frames depends on the message and on the
 * negotiation, so the caller judges it. */
static inline void
decode_header (const guint8  *h,
               SondeWsSender  sender,
               SondeWsFrame  *f)
{
  guint8 len7 = h[1] & 0x7F;
  gsize at = 2;
  guint32 v = 0;

  f->fin = (h[0] & 0x80) != 0;
  f->rsv = (h[0] >> 4) & 7;
  f->opcode = h[0] & 0x0F;
  f->masked = (h[1] & 0x80) != 0;

  if (len7 < 126)
    {
      f->length = len7;
      f->length_bits = 7;
    }
  else if (len7 == 126)
    {
      f->length = (guint64) h[2] << 8 | h[3];
      f->length_bits = 16;
      at = 4;
      if (f->length < 126)
        v |= SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH;
    }
  else
    {
      f->length = load_be64 (h + 2);
      f->length_bits = 64;
      at = 10;
      if (f->length >> 63)
        v |= SONDE_WS_VIOLATION_LENGTH_TOP_BIT;
      else if (f->length < 65536)
        v |= SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH;
    }

  if (f->masked)
    {
      memcpy (f->mask, h + at, 4);
      at += 4;
    }
  else
    {
      memset (f->mask, 0, 4);
    }
  f->header_len = at;

  /* 0x3-0x7 and 0xB-0xF */
  if ((f->opcode & 7) >= 3)
    v |= SONDE_WS_VIOLATION_RESERVED_OPCODE;
  if (f->opcode & 8)
    {
      if (f->length > 125)
        v |= SONDE_WS_VIOLATION_CONTROL_TOO_LONG;
      if (!f->fin)
        v |= SONDE_WS_VIOLATION_CONTROL_FRAGMENTED;
    }
  /* RSV1 belongs to permessage-deflate, and only on a message's first
   * frame: never on a continuation or a control frame. */
  if ((f->rsv & 3) != 0 ||
      ((f->rsv & 4) != 0 && f->opcode != SONDE_WS_OPCODE_TEXT && f->opcode != SONDE_WS_OPCODE_BINARY))
    v |= SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION;
  if (sender == SONDE_WS_FROM_CLIENT && !f->masked)
    v |= SONDE_WS_VIOLATION_CLIENT_NOT_MASKED;
  else if (sender == SONDE_WS_FROM_SERVER && f->masked)
    v |= SONDE_WS_VIOLATION_SERVER_MASKED;

  f->violations = v;
  f->raw = NULL;
  f->raw_len = 0;
  f->payload = NULL;
  f->has_close_code = FALSE;
  f->close_code = 0;
  f->close_reason = NULL;
  f->close_reason_len = 0;
}

/* Reads a close frame's body from its (unmasked) payload. */
static inline void
decode_close (SondeWsFrame *f)
{
  if (f->length == 1)
    {
      f->violations |= SONDE_WS_VIOLATION_CLOSE_ONE_BYTE;
    }
  else if (f->length >= 2)
    {
      f->has_close_code = TRUE;
      f->close_code = (guint16) (f->payload[0] << 8 | f->payload[1]);
      f->close_reason = (const char *) f->payload + 2;
      f->close_reason_len = f->length - 2;
      if (!sonde_ws_close_code_is_valid (f->close_code))
        f->violations |= SONDE_WS_VIOLATION_CLOSE_CODE;
      if (!sonde_utf8_valid (f->payload + 2, f->close_reason_len))
        f->violations |= SONDE_WS_VIOLATION_INVALID_UTF8;
    }
}

/* The payload of a whole frame at @raw, unmasked: where it lies when it was
 * not masked, else unmasked into @into (emptied first). */
static inline const guint8 *
frame_payload (const SondeWsFrame *f,
               const guint8       *raw,
               Buf                *into)
{
  const guint8 *payload = raw + f->header_len;
  guint8 *dst;

  if (!f->masked || f->length == 0)
    return payload;

  into->len = 0;
  dst = buf_reserve (into, f->length);
  unmask_copy (dst, payload, f->length, f->mask, 0);
  return dst;
}

G_END_DECLS

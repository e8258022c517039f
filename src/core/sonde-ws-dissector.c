/* sonde-ws-dissector.c: a read-only RFC 6455 frame decoder for the bytes on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#if defined (__x86_64__) && (defined (__GNUC__) || defined (__clang__))
#include <immintrin.h>
#define HAVE_SSSE3_UTF8 1
#endif

#include <glib/gi18n-lib.h>

#include "sonde-ws-dissector.h"

/* The dissector only watches: it never answers, never fails the connection
 * and never stops at a violation. Each frame goes one of two ways. When the
 * dissector sits between frames and a feed holds a whole frame, the frame is
 * decoded where it lies (zero copy). Otherwise its bytes are gathered in
 * `pend`, right after the raw bytes of the data message in progress, so that
 * get_pending() is one run of bytes. A frame that would take a message (or a
 * control frame) past the size limit is never gathered: its payload is
 * counted as it goes by, and only its header is kept. */

/* Buffers that grew past this for one large message are given back afterwards. */
#define SHRINK_ABOVE (1024 * 1024)
/* Inflated bytes nobody keeps (a message past the limit) land here. */
#define DISCARD_SIZE (16 * 1024)
/* Bytes unmasked at a time for a skipped payload that still has to be inflated. */
#define SKIP_PIECE (16 * 1024)

static const guint8 deflate_tail[4] = { 0x00, 0x00, 0xFF, 0xFF };

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   cap;
} Buf;

typedef enum
{
  STATE_IDLE,      /* between frames */
  STATE_HEADER,    /* some header bytes in pend */
  STATE_PAYLOAD,   /* the header is decoded, payload bytes coming */
} State;

struct _SondeWsDissector
{
  SondeWsSender     sender;
  SondeWsCallbacks  callbacks;
  gpointer          user_data;
  gsize             max_size;
  gsize             max_raw;

  /* permessage-deflate for the bytes this dissector reads */
  gboolean          deflate;
  gboolean          no_context_takeover;
  int               window_bits;
  gboolean          zs_ready;
  z_stream          zs;

  /* The frame being read */
  State             state;
  SondeWsFrame      head;           /* its header fields and violations so far */
  gboolean          standalone;     /* control or reserved opcode: not part of a message */
  gboolean          skipping;       /* past the limit: payload counted, not kept */
  guint64           got;            /* payload bytes received */

  /* Raw bytes kept: the message's whole frames, then the frame being read */
  Buf               pend;
  gsize             msg_raw_len;

  /* The data message in progress */
  gboolean          in_message;
  guint8            msg_opcode;
  gboolean          msg_compressed;
  gboolean          msg_dropped;      /* its frames passed the limit: raw and data gone */
  gboolean          msg_data_dropped; /* its (inflated) data passed the limit */
  gboolean          msg_inflate_failed;
  gboolean          msg_stream_ended; /* a block with BFINAL ended its deflate stream */
  guint             msg_frames;
  guint32           msg_violations;
  guint64           msg_payload;      /* wire payload bytes so far */
  guint8            utf8_state;
  Buf               data;

  Buf               scratch;          /* unmasked payloads that are not message data */
  guint8           *discard;
};

/* Buffers */

static G_GNUC_NO_INLINE void
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
  if (G_UNLIKELY (b->cap > SHRINK_ABOVE))
    {
      g_clear_pointer (&b->data, g_free);
      b->cap = 0;
    }
}

static void
buf_clear (Buf *b)
{
  g_clear_pointer (&b->data, g_free);
  b->len = 0;
  b->cap = 0;
}

/* Words */

#define HIGH_BITS G_GUINT64_CONSTANT (0x8080808080808080)

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

/* UTF-8, checked incrementally so that a character may straddle fragments.
 * States: between characters, failed, and what the next byte must be. The
 * ranges are Unicode's (no overlongs, no surrogates, nothing past U+10FFFF). */

enum
{
  U8_OK,
  U8_BAD,
  U8_NEED1,     /* 80..BF, then done */
  U8_NEED2,     /* 80..BF, then NEED1 */
  U8_NEED3,     /* 80..BF, then NEED2 */
  U8_AFTER_E0,  /* A0..BF, then NEED1 */
  U8_AFTER_ED,  /* 80..9F, then NEED1 */
  U8_AFTER_F0,  /* 90..BF, then NEED2 */
  U8_AFTER_F4,  /* 80..8F, then NEED2 */
  U8_N_STATES
};

/* Byte classes */
enum
{
  C_ASCII,   /* 00..7F */
  C_80,      /* 80..8F */
  C_90,      /* 90..9F */
  C_A0,      /* A0..BF */
  C_NEVER,   /* C0, C1, F5..FF */
  C_LEAD2,   /* C2..DF */
  C_E0,
  C_LEAD3,   /* E1..EC, EE, EF */
  C_ED,
  C_F0,
  C_LEAD4,   /* F1..F3 */
  C_F4,
  C_N_CLASSES
};

static const guint8 utf8_class[256] = {
  [0x00 ... 0x7F] = C_ASCII,
  [0x80 ... 0x8F] = C_80,
  [0x90 ... 0x9F] = C_90,
  [0xA0 ... 0xBF] = C_A0,
  [0xC0 ... 0xC1] = C_NEVER,
  [0xC2 ... 0xDF] = C_LEAD2,
  [0xE0] = C_E0,
  [0xE1 ... 0xEC] = C_LEAD3,
  [0xED] = C_ED,
  [0xEE ... 0xEF] = C_LEAD3,
  [0xF0] = C_F0,
  [0xF1 ... 0xF3] = C_LEAD4,
  [0xF4] = C_F4,
  [0xF5 ... 0xFF] = C_NEVER,
};

#define B U8_BAD
static const guint8 utf8_next[U8_N_STATES][C_N_CLASSES] = {
  /*               ASCII  80        90        A0        NEVER  LEAD2     E0           LEAD3     ED           F0           LEAD4     F4 */
  [U8_OK]       = { U8_OK, B,        B,        B,        B,     U8_NEED1, U8_AFTER_E0, U8_NEED2, U8_AFTER_ED, U8_AFTER_F0, U8_NEED3, U8_AFTER_F4 },
  [U8_BAD]      = { B,     B,        B,        B,        B,     B,        B,           B,        B,           B,           B,        B },
  [U8_NEED1]    = { B,     U8_OK,    U8_OK,    U8_OK,    B,     B,        B,           B,        B,           B,           B,        B },
  [U8_NEED2]    = { B,     U8_NEED1, U8_NEED1, U8_NEED1, B,     B,        B,           B,        B,           B,           B,        B },
  [U8_NEED3]    = { B,     U8_NEED2, U8_NEED2, U8_NEED2, B,     B,        B,           B,        B,           B,           B,        B },
  [U8_AFTER_E0] = { B,     B,        B,        U8_NEED1, B,     B,        B,           B,        B,           B,           B,        B },
  [U8_AFTER_ED] = { B,     U8_NEED1, U8_NEED1, B,        B,     B,        B,           B,        B,           B,           B,        B },
  [U8_AFTER_F0] = { B,     B,        U8_NEED2, U8_NEED2, B,     B,        B,           B,        B,           B,           B,        B },
  [U8_AFTER_F4] = { B,     U8_NEED2, B,        B,        B,     B,        B,           B,        B,           B,           B,        B },
};
#undef B

/* Where the first byte with its high bit set is, in a word that has one. */
static inline gsize
first_high_byte (guint64 word)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && (defined (__GNUC__) || defined (__clang__))
  return (gsize) __builtin_ctzll (word) / 8;
#else
  guint8 bytes[8];
  gsize i = 0;

  memcpy (bytes, &word, 8);
  while ((bytes[i] & 0x80) == 0)
    i++;
  return i;
#endif
}

#ifdef HAVE_SSSE3_UTF8
/* Sixteen bytes at a time, for long text on x86-64 processors with SSSE3:
 * each byte is judged with the one before it through three 16-entry tables
 * (the previous byte's high and low nibble, this byte's high nibble), each
 * entry a set of the errors that nibble allows. A pair is wrong when one
 * error is in all three. What a pair cannot tell, that the third and fourth
 * bytes of a long character are continuation bytes, is checked against the
 * bytes two and three back. */
enum
{
  E_TOO_SHORT      = 1 << 0,  /* a lead byte not followed by a continuation */
  E_TOO_LONG       = 1 << 1,  /* a continuation after ASCII */
  E_OVERLONG_3     = 1 << 2,  /* E0 80..9F */
  E_TOO_LARGE      = 1 << 3,  /* F4 90..BF, F5.. */
  E_SURROGATE      = 1 << 4,  /* ED A0..BF */
  E_OVERLONG_2     = 1 << 5,  /* C0, C1 */
  E_TOO_LARGE_1000 = 1 << 6,  /* F5.. 80..8F */
  E_OVERLONG_4     = 1 << 6,  /* F0 80..8F */
  E_TWO_CONTS      = 1 << 7,  /* a continuation after a continuation */
  E_CARRY          = E_TOO_SHORT | E_TOO_LONG | E_TWO_CONTS,
};

#define E_CONT_8 (E_TOO_LONG | E_OVERLONG_2 | E_TWO_CONTS | E_OVERLONG_3 | E_TOO_LARGE_1000 | E_OVERLONG_4)
#define E_CONT_9 (E_TOO_LONG | E_OVERLONG_2 | E_TWO_CONTS | E_OVERLONG_3 | E_TOO_LARGE)
#define E_CONT_AB (E_TOO_LONG | E_OVERLONG_2 | E_TWO_CONTS | E_SURROGATE | E_TOO_LARGE)
#define E_F_LOW (E_CARRY | E_TOO_LARGE | E_TOO_LARGE_1000)

/* By the previous byte's high nibble */
static const guint8 utf8_prev_high[16] = {
  E_TOO_LONG, E_TOO_LONG, E_TOO_LONG, E_TOO_LONG, E_TOO_LONG, E_TOO_LONG, E_TOO_LONG, E_TOO_LONG,
  E_TWO_CONTS, E_TWO_CONTS, E_TWO_CONTS, E_TWO_CONTS,
  E_TOO_SHORT | E_OVERLONG_2,
  E_TOO_SHORT,
  E_TOO_SHORT | E_OVERLONG_3 | E_SURROGATE,
  E_TOO_SHORT | E_TOO_LARGE | E_TOO_LARGE_1000 | E_OVERLONG_4,
};

/* By the previous byte's low nibble */
static const guint8 utf8_prev_low[16] = {
  E_CARRY | E_OVERLONG_3 | E_OVERLONG_2 | E_OVERLONG_4,
  E_CARRY | E_OVERLONG_2,
  E_CARRY,
  E_CARRY,
  E_CARRY | E_TOO_LARGE,
  E_F_LOW, E_F_LOW, E_F_LOW, E_F_LOW, E_F_LOW, E_F_LOW, E_F_LOW, E_F_LOW,
  E_F_LOW | E_SURROGATE,
  E_F_LOW, E_F_LOW,
};

/* By this byte's high nibble */
static const guint8 utf8_this_high[16] = {
  E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT,
  E_CONT_8, E_CONT_9, E_CONT_AB, E_CONT_AB,
  E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT, E_TOO_SHORT,
};

__attribute__ ((target ("ssse3")))
static inline __m128i
load128 (const guint8 *p)
{
  __m128i v;

  memcpy (&v, p, 16);
  return v;
}

/* Checks s[0..n) in blocks of 16 (n >= 16). Returns -1 when it found an
 * error, else where to go on byte by byte: the start of a character the
 * last block may have cut, or the end of the blocks. */
__attribute__ ((target ("ssse3")))
static gssize
utf8_blocks_ssse3 (const guint8 *s,
                   gsize         n)
{
  __m128i prev_high, prev_low, this_high;
  const __m128i nibble = _mm_set1_epi8 (0x0F);
  const __m128i high_bit = _mm_set1_epi8 (-0x80);
  const __m128i third_from = _mm_set1_epi8 (0xE0 - 0x80);
  const __m128i fourth_from = _mm_set1_epi8 (0xF0 - 0x80);
  __m128i prev = _mm_setzero_si128 ();
  __m128i error = _mm_setzero_si128 ();
  gsize i;
  gsize back;

  prev_high = load128 (utf8_prev_high);
  prev_low = load128 (utf8_prev_low);
  this_high = load128 (utf8_this_high);

  for (i = 0; i + 16 <= n; i += 16)
    {
      __m128i in = load128 (s + i);
      __m128i prev1, prev2, prev3, pairs, long_tails;

      /* ASCII after ASCII (or after whole characters) needs no tables: a
       * character the previous block left open is found below. */
      if (_mm_movemask_epi8 (in) == 0 && _mm_movemask_epi8 (prev) == 0)
        {
          prev = in;
          continue;
        }

      prev1 = _mm_alignr_epi8 (in, prev, 15);
      pairs = _mm_and_si128 (
        _mm_and_si128 (_mm_shuffle_epi8 (prev_high, _mm_and_si128 (_mm_srli_epi16 (prev1, 4), nibble)),
                       _mm_shuffle_epi8 (prev_low, _mm_and_si128 (prev1, nibble))),
        _mm_shuffle_epi8 (this_high, _mm_and_si128 (_mm_srli_epi16 (in, 4), nibble)));
      prev2 = _mm_alignr_epi8 (in, prev, 14);
      prev3 = _mm_alignr_epi8 (in, prev, 13);
      long_tails = _mm_and_si128 (_mm_or_si128 (_mm_subs_epu8 (prev2, third_from),
                                                _mm_subs_epu8 (prev3, fourth_from)),
                                  high_bit);
      error = _mm_or_si128 (error, _mm_xor_si128 (long_tails, pairs));
      prev = in;
    }

  if (_mm_movemask_epi8 (_mm_cmpeq_epi8 (error, _mm_setzero_si128 ())) != 0xFFFF)
    return -1;

  /* The last block may end inside a character: go back to its lead byte, so
   * that it is checked whole, byte by byte, with what follows. */
  for (back = 1; back <= 3 && back <= i; back++)
    {
      guint8 c = s[i - back];

      if (c >= 0xC0)
        {
          gsize len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

          return len > back ? (gssize) (i - back) : (gssize) i;
        }
      if (c < 0x80)
        break;
    }
  return (gssize) i;
}

static gboolean
have_ssse3 (void)
{
  static gsize checked = 0;
  static gboolean result = FALSE;

  if (g_once_init_enter (&checked))
    {
      result = __builtin_cpu_supports ("ssse3");
      g_once_init_leave (&checked, 1);
    }
  return result;
}
#endif

/* Runs @s through the checker from @state; returns the state after it.
 * Between characters, ASCII goes by sixteen bytes at a time, and a whole
 * multi-byte character that fits is checked in one go; the table takes the
 * rest (a character cut by the end of a fragment, and anything invalid). */
static inline guint8
utf8_run (guint8        state,
          const guint8 *s,
          gsize         n)
{
  gsize i = 0;

  while (i < n)
    {
      if (state == U8_OK)
        {
          guint8 c;

#ifdef HAVE_SSSE3_UTF8
          if (n - i >= 64 && have_ssse3 ())
            {
              gssize resume = utf8_blocks_ssse3 (s + i, n - i);

              if (resume < 0)
                return U8_BAD;
              i += resume;
              if (i == n)
                break;
            }
#endif
          for (;;)
            {
              guint64 a, b;

              if (G_UNLIKELY (i + 16 > n))
                {
                  while (i < n && s[i] < 0x80)
                    i++;
                  break;
                }
              a = load64 (s + i) & HIGH_BITS;
              b = load64 (s + i + 8) & HIGH_BITS;
              if (a != 0)
                {
                  i += first_high_byte (a);
                  break;
                }
              if (b != 0)
                {
                  i += 8 + first_high_byte (b);
                  break;
                }
              i += 16;
            }
          if (i == n)
            break;

          c = s[i];
          if (G_LIKELY (i + 4 <= n))
            {
              guint8 c1 = s[i + 1];

              if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80)
                {
                  i += 2;
                  continue;
                }
              if (c >= 0xE0 && c <= 0xEF && (s[i + 2] & 0xC0) == 0x80 &&
                  c1 >= (c == 0xE0 ? 0xA0 : 0x80) && c1 <= (c == 0xED ? 0x9F : 0xBF))
                {
                  i += 3;
                  continue;
                }
              if (c >= 0xF0 && c <= 0xF4 && (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80 &&
                  c1 >= (c == 0xF0 ? 0x90 : 0x80) && c1 <= (c == 0xF4 ? 0x8F : 0xBF))
                {
                  i += 4;
                  continue;
                }
            }
        }
      state = utf8_next[state][utf8_class[s[i]]];
      i++;
      if (G_UNLIKELY (state == U8_BAD))
        break;
    }

  return state;
}

static inline gboolean
utf8_valid (const guint8 *s,
            gsize         n)
{
  return utf8_run (U8_OK, s, n) == U8_OK;
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

static inline gboolean
close_code_allowed (guint code)
{
  return (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

/* Reads a close frame's body from its (unmasked) payload. */
static void
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
      if (!close_code_allowed (f->close_code))
        f->violations |= SONDE_WS_VIOLATION_CLOSE_CODE;
      if (!utf8_valid (f->payload + 2, f->close_reason_len))
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

/* Inflating */

static gboolean
inflate_ready (SondeWsDissector *self)
{
  if (!self->zs_ready)
    {
      memset (&self->zs, 0, sizeof self->zs);
      /* zlib has no 8-bit window; 9 reads everything a window of 8 wrote. */
      if (inflateInit2 (&self->zs, -MAX (self->window_bits, 9)) != Z_OK)
        return FALSE;
      self->zs_ready = TRUE;
    }
  return TRUE;
}

static void
inflate_drop (SondeWsDissector *self)
{
  if (self->zs_ready)
    {
      inflateEnd (&self->zs);
      self->zs_ready = FALSE;
    }
}

/* A block with BFINAL set ended the deflate stream (RFC 7692 allows it):
 * the rest of the message, the 00 00 FF FF put after it included, is not
 * deflate data. The next message starts a new stream that keeps the window. */
static G_GNUC_NO_INLINE gboolean
inflate_restart (SondeWsDissector *self)
{
  guint8 *window = g_malloc (32768);
  uInt window_len = 0;
  gboolean ok;

  ok = inflateGetDictionary (&self->zs, window, &window_len) == Z_OK &&
       inflateReset (&self->zs) == Z_OK &&
       (window_len == 0 || inflateSetDictionary (&self->zs, window, window_len) == Z_OK);
  g_free (window);
  return ok;
}

static void
drop_message_data (SondeWsDissector *self)
{
  self->msg_data_dropped = TRUE;
  buf_reset (&self->data);
}

/* Inflates @n more compressed bytes of the current message into its data, or
 * into the discard area once the data is past the limit (the window must
 * still follow the stream when the context is taken over). */
static void
inflate_bytes (SondeWsDissector *self,
               const guint8     *in,
               gsize             n,
               guint32          *violations)
{
  z_stream *zs = &self->zs;

  if (self->msg_inflate_failed || self->msg_stream_ended || n == 0)
    return;
  if (self->msg_data_dropped && self->no_context_takeover)
    return;
  if (!inflate_ready (self))
    {
      self->msg_inflate_failed = TRUE;
      *violations |= SONDE_WS_VIOLATION_BAD_DEFLATE;
      return;
    }

  while (n > 0)
    {
      gsize piece = MIN (n, (gsize) 1 << 30);

      zs->next_in = (Bytef *) in;
      zs->avail_in = (uInt) piece;

      for (;;)
        {
          guint8 *out;
          gsize room;
          int ret;

          if (!self->msg_data_dropped)
            {
              gsize left = self->max_size - MIN (self->max_size, self->data.len);

              if (left < G_MAXSIZE)
                left++;

              if (self->data.cap - self->data.len < 4096)
                buf_reserve (&self->data, MIN (MAX (zs->avail_in * 2, (gsize) 16384), left));
              out = self->data.data + self->data.len;
              room = MIN (MIN (self->data.cap - self->data.len, left), (gsize) 1 << 30);
            }
          else
            {
              if (self->discard == NULL)
                self->discard = g_malloc (DISCARD_SIZE);
              out = self->discard;
              room = DISCARD_SIZE;
            }

          zs->next_out = out;
          zs->avail_out = (uInt) room;
          ret = inflate (zs, Z_SYNC_FLUSH);

          if (!self->msg_data_dropped)
            {
              self->data.len += room - zs->avail_out;
              if (self->data.len > self->max_size)
                {
                  drop_message_data (self);
                  *violations |= SONDE_WS_VIOLATION_TOO_LARGE;
                  if (self->no_context_takeover)
                    return;
                }
            }

          if (ret == Z_STREAM_END)
            {
              self->msg_stream_ended = TRUE;
              if (inflate_restart (self))
                return;
              ret = Z_DATA_ERROR;
            }
          if (ret != Z_OK && ret != Z_BUF_ERROR)
            {
              self->msg_inflate_failed = TRUE;
              *violations |= SONDE_WS_VIOLATION_BAD_DEFLATE;
              return;
            }
          if (zs->avail_in == 0 && zs->avail_out > 0)
            break;
        }

      in += piece;
      n -= piece;
    }
}

/* Callbacks */

static inline void
emit_frame (SondeWsDissector   *self,
            const SondeWsFrame *frame)
{
  if (self->callbacks.frame != NULL)
    self->callbacks.frame (self->user_data, frame);
  if (self->standalone && self->callbacks.control != NULL)
    self->callbacks.control (self->user_data, frame);
}

/* Messages */

static void
end_message (SondeWsDissector *self)
{
  if (self->msg_compressed && self->zs_ready &&
      (self->no_context_takeover || self->msg_inflate_failed))
    {
      if (inflateReset (&self->zs) != Z_OK)
        inflate_drop (self);
    }

  self->in_message = FALSE;
  self->msg_compressed = FALSE;
  self->msg_dropped = FALSE;
  self->msg_data_dropped = FALSE;
  self->msg_inflate_failed = FALSE;
  self->msg_stream_ended = FALSE;
  self->msg_frames = 0;
  self->msg_violations = 0;
  self->msg_payload = 0;
  self->utf8_state = U8_OK;
  self->msg_raw_len = 0;
  buf_reset (&self->pend);
  buf_reset (&self->data);
}

/* The message in progress went past the limit: its raw bytes and data are
 * given up, the bytes of the frame being read move to the front of pend. */
static void
drop_message (SondeWsDissector *self)
{
  gsize frame_bytes = self->pend.len - self->msg_raw_len;

  self->msg_dropped = TRUE;
  drop_message_data (self);
  if (self->msg_raw_len > 0 && frame_bytes > 0)
    memmove (self->pend.data, self->pend.data + self->msg_raw_len, frame_bytes);
  self->pend.len = frame_bytes;
  self->msg_raw_len = 0;
}

/* The header of a frame is whole (in self->head): place the frame in the
 * stream, find what depends on the frames before it, and decide whether its
 * payload fits. */
static inline void
begin_frame (SondeWsDissector *self)
{
  SondeWsFrame *f = &self->head;
  gboolean rsv1 = (f->rsv & 4) != 0;

  self->got = 0;

  if (f->opcode >= 3)
    {
      self->standalone = TRUE;
      self->skipping = f->length > self->max_size;
    }
  else
    {
      self->standalone = FALSE;
      if (!self->in_message)
        {
          self->in_message = TRUE;
          self->msg_frames = 0;
          self->msg_violations = 0;
          self->msg_payload = 0;
          self->utf8_state = U8_OK;
          if (f->opcode == SONDE_WS_OPCODE_CONTINUATION)
            {
              /* Kept as a message all the same, so that no data frame is lost. */
              f->violations |= SONDE_WS_VIOLATION_ORPHAN_CONTINUATION;
              self->msg_opcode = SONDE_WS_OPCODE_BINARY;
              self->msg_compressed = FALSE;
            }
          else
            {
              self->msg_opcode = f->opcode;
              self->msg_compressed = rsv1 && self->deflate;
            }
          if (rsv1 && !self->msg_compressed)
            f->violations |= SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION;
        }
      else
        {
          /* A stray text or binary frame joins the open message: every data
           * frame ends up in exactly one message. */
          if (f->opcode != SONDE_WS_OPCODE_CONTINUATION)
            f->violations |= SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE;
          if (rsv1)
            f->violations |= SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION;
        }

      /* (The limit may have been lowered since the message began.) */
      if (!self->msg_dropped &&
          (f->length > self->max_size - MIN (self->max_size, self->msg_payload) ||
           f->length + f->header_len > self->max_raw - MIN (self->max_raw, self->msg_raw_len)))
        drop_message (self);
      self->skipping = self->msg_dropped;
      if (!self->skipping)
        self->msg_payload += f->length;
    }

  if (self->skipping)
    f->violations |= SONDE_WS_VIOLATION_TOO_LARGE;
}

/* A control frame, or one with a reserved opcode, is whole. */
static void
finish_standalone (SondeWsDissector *self,
                   const guint8     *raw)
{
  SondeWsFrame f = self->head;

  if (!self->skipping)
    {
      f.raw = raw;
      f.raw_len = f.header_len + f.length;
      f.payload = frame_payload (&f, raw, &self->scratch);
      if (f.opcode == SONDE_WS_OPCODE_CLOSE)
        decode_close (&f);
    }

  emit_frame (self, &f);
}

/* A data frame is whole; @raw is where it lies, NULL when it was skipped.
 * @in_input: it lies in the caller's buffer, not in pend. */
static void
finish_data (SondeWsDissector *self,
             const guint8     *raw,
             gboolean          in_input)
{
  SondeWsFrame f = self->head;
  gboolean single = f.fin && self->msg_frames == 0;
  gboolean text = self->msg_opcode == SONDE_WS_OPCODE_TEXT;
  const guint8 *data = NULL;
  gsize data_len = 0;

  if (raw != NULL)
    {
      const guint8 *wire = raw + f.header_len;
      gsize n = f.length;

      f.raw = raw;
      f.raw_len = f.header_len + n;

      if (self->msg_compressed)
        {
          gsize before = self->data.len;

          f.payload = frame_payload (&f, raw, &self->scratch);
          inflate_bytes (self, f.payload, n, &f.violations);
          if (f.fin)
            inflate_bytes (self, deflate_tail, sizeof deflate_tail, &f.violations);
          if (text && !self->msg_data_dropped && !self->msg_inflate_failed &&
              self->utf8_state != U8_BAD && self->data.len > before)
            {
              self->utf8_state = utf8_run (self->utf8_state, self->data.data + before,
                                           self->data.len - before);
              if (self->utf8_state == U8_BAD)
                f.violations |= SONDE_WS_VIOLATION_INVALID_UTF8;
            }
          data = self->data.data;
          data_len = self->data.len;
        }
      else
        {
          if ((single && !f.masked) || n == 0)
            {
              /* Straight from where the frame lies, no copy. */
              f.payload = wire;
            }
          else
            {
              guint8 *dst;

              if (single)
                self->data.len = 0;
              dst = buf_reserve (&self->data, n);
              if (f.masked)
                unmask_copy (dst, wire, n, f.mask, 0);
              else if (n > 0)
                memcpy (dst, wire, n);
              self->data.len += n;
              f.payload = dst;
            }
          if (text && self->utf8_state != U8_BAD)
            {
              self->utf8_state = utf8_run (self->utf8_state, f.payload, n);
              if (self->utf8_state == U8_BAD)
                f.violations |= SONDE_WS_VIOLATION_INVALID_UTF8;
            }
          if (single)
            {
              data = f.payload;
              data_len = n;
            }
          else
            {
              data = self->data.data;
              data_len = self->data.len;
            }
        }

      /* The message's raw bytes: whole frames only, one after the other. */
      if (!single)
        {
          if (in_input)
            buf_append (&self->pend, raw, f.raw_len);
          self->msg_raw_len = self->pend.len;
        }
    }
  else
    {
      /* Skipped: only its header was kept, and it is not the message's. The
       * inflater still takes the end of the message, or its next message
       * would start in the middle of a block. */
      self->pend.len = self->msg_raw_len;
      if (f.fin && self->msg_compressed)
        inflate_bytes (self, deflate_tail, sizeof deflate_tail, &f.violations);
    }

  /* A character cut short by the end of the message */
  if (f.fin && text && !self->msg_data_dropped && !self->msg_inflate_failed &&
      self->utf8_state != U8_OK && self->utf8_state != U8_BAD)
    f.violations |= SONDE_WS_VIOLATION_INVALID_UTF8;

  self->msg_frames++;
  self->msg_violations |= f.violations;
  emit_frame (self, &f);

  if (f.fin)
    {
      SondeWsMessage m;

      m.opcode = self->msg_opcode;
      m.compressed = self->msg_compressed;
      m.n_frames = self->msg_frames;
      m.violations = self->msg_violations;
      if (self->msg_data_dropped || self->msg_inflate_failed)
        {
          /* Data that is not the message's is worse than none. */
          if (self->msg_data_dropped)
            m.violations |= SONDE_WS_VIOLATION_TOO_LARGE;
          m.data = (const guint8 *) "";
          m.data_len = 0;
        }
      else
        {
          m.data = data != NULL ? data : (const guint8 *) "";
          m.data_len = data_len;
        }
      if (self->msg_dropped)
        {
          m.raw = NULL;
          m.raw_len = 0;
        }
      else if (single)
        {
          m.raw = raw;
          m.raw_len = f.raw_len;
        }
      else
        {
          m.raw = self->pend.data;
          m.raw_len = self->msg_raw_len;
        }

      if (self->callbacks.message != NULL)
        self->callbacks.message (self->user_data, &m);
      end_message (self);
    }
}

static inline void
finish_frame (SondeWsDissector *self,
              const guint8     *raw,
              gboolean          in_input)
{
  if (self->standalone)
    finish_standalone (self, self->skipping ? NULL : raw);
  else
    finish_data (self, self->skipping ? NULL : raw, in_input);
}

/* The frame gathered in pend (or skipped) is whole. */
static void
finish_pending_frame (SondeWsDissector *self)
{
  self->state = STATE_IDLE;
  finish_frame (self, self->pend.data + self->msg_raw_len, FALSE);
  if (self->standalone)
    self->pend.len = self->msg_raw_len;
}

/* A piece of a skipped payload. Only a compressed message whose window is
 * taken over needs its bytes: they are inflated, and the output discarded. */
static void
skip_payload (SondeWsDissector *self,
              const guint8     *p,
              gsize             n)
{
  SondeWsFrame *f = &self->head;

  if (self->standalone || !self->msg_compressed || self->no_context_takeover ||
      self->msg_inflate_failed)
    return;

  if (!f->masked)
    {
      inflate_bytes (self, p, n, &f->violations);
      return;
    }

  while (n > 0)
    {
      gsize piece = MIN (n, (gsize) SKIP_PIECE);
      guint8 *dst;

      self->scratch.len = 0;
      dst = buf_reserve (&self->scratch, piece);
      unmask_copy (dst, p, piece, f->mask, self->got);
      inflate_bytes (self, dst, piece, &f->violations);
      self->got += piece;
      p += piece;
      n -= piece;
    }
}

/* The header in pend is whole. */
static void
header_done (SondeWsDissector *self)
{
  decode_header (self->pend.data + self->msg_raw_len, self->sender, &self->head);
  begin_frame (self);
  self->state = STATE_PAYLOAD;
  if (!self->skipping)
    buf_reserve (&self->pend, self->head.length);
  if (self->head.length == 0)
    finish_pending_frame (self);
}

/**
 * sonde_ws_dissector_new:
 * @sender: who wrote the bytes this dissector will read
 * @callbacks: (nullable): what to call; copied, and any member may be %NULL
 * @user_data: passed to every callback
 *
 * Creates a dissector for one direction of one connection. Callbacks must
 * not feed, reset or free the dissector that calls them.
 *
 * Returns: (transfer full): a dissector, free with sonde_ws_dissector_free()
 */
SondeWsDissector *
sonde_ws_dissector_new (SondeWsSender           sender,
                        const SondeWsCallbacks *callbacks,
                        gpointer                user_data)
{
  SondeWsDissector *self;

  g_return_val_if_fail (sender == SONDE_WS_FROM_CLIENT || sender == SONDE_WS_FROM_SERVER, NULL);

  self = g_new0 (SondeWsDissector, 1);
  self->sender = sender;
  if (callbacks != NULL)
    self->callbacks = *callbacks;
  self->user_data = user_data;
  self->window_bits = 15;
  self->state = STATE_IDLE;
  self->utf8_state = U8_OK;
  sonde_ws_dissector_set_max_size (self, SONDE_WS_DEFAULT_MAX_SIZE);

  return self;
}

void
sonde_ws_dissector_free (SondeWsDissector *self)
{
  if (self == NULL)
    return;

  inflate_drop (self);
  buf_clear (&self->pend);
  buf_clear (&self->data);
  buf_clear (&self->scratch);
  g_free (self->discard);
  g_free (self);
}

/**
 * sonde_ws_dissector_set_deflate:
 * @self: a dissector
 * @enabled: whether permessage-deflate was negotiated
 * @no_context_takeover: whether the writer of these bytes starts each
 *   message afresh (the client's or the server's `*_no_context_takeover`)
 * @window_bits: the writer's window, 8 to 15 (`*_max_window_bits`), or 0
 *   when the handshake did not say (15)
 *
 * Says what the handshake agreed for the bytes this dissector reads. Call it
 * before the first frame, or between messages: the inflater starts anew.
 */
void
sonde_ws_dissector_set_deflate (SondeWsDissector *self,
                                gboolean          enabled,
                                gboolean          no_context_takeover,
                                int               window_bits)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (window_bits == 0 || (window_bits >= 8 && window_bits <= 15));

  inflate_drop (self);
  self->deflate = enabled;
  self->no_context_takeover = no_context_takeover;
  self->window_bits = window_bits == 0 ? 15 : window_bits;
}

/**
 * sonde_ws_dissector_set_max_size:
 * @self: a dissector
 * @max_size: the most payload bytes one message (or one control frame) may
 *   have, and the most bytes its inflated data may take
 *
 * So that memory stays bounded even for a message of many tiny frames, a
 * message's raw bytes may not pass twice the limit either. A frame that
 * would take its message past the limit, and every later frame of that
 * message, is reported with the TOO_LARGE violation, its length and header
 * fields, but without its bytes: raw and payload %NULL, raw_len 0. The
 * message then comes with TOO_LARGE, data_len 0 and raw %NULL (raw_len 0).
 * A compressed message whose inflated data passes the limit keeps its raw
 * bytes, but not its data.
 */
void
sonde_ws_dissector_set_max_size (SondeWsDissector *self,
                                 gsize             max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
  self->max_raw = max_size <= G_MAXSIZE / 2 ? 2 * max_size : G_MAXSIZE;
}

/**
 * sonde_ws_dissector_feed:
 * @self: a dissector
 * @data: (array length=len): the next bytes of the stream
 * @len: how many
 *
 * Decodes as many frames as the bytes complete, in any split of the stream.
 */
void
sonde_ws_dissector_feed (SondeWsDissector *self,
                         const guint8     *data,
                         gsize             len)
{
  const guint8 *p = data;
  const guint8 *end = data + len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  while (p < end)
    {
      gsize avail = end - p;

      if (G_LIKELY (self->state == STATE_IDLE))
        {
          gsize hsize;

          if (G_UNLIKELY (avail < 2))
            {
              buf_append (&self->pend, p, avail);
              self->state = STATE_HEADER;
              break;
            }
          hsize = header_size (p[1]);
          if (G_UNLIKELY (avail < hsize))
            {
              buf_append (&self->pend, p, avail);
              self->state = STATE_HEADER;
              break;
            }

          decode_header (p, self->sender, &self->head);
          begin_frame (self);
          if (G_LIKELY (!self->skipping && self->head.length <= avail - hsize))
            {
              finish_frame (self, p, TRUE);
              p += hsize + self->head.length;
              continue;
            }

          /* The rest comes later: keep the header and what payload there is. */
          buf_append (&self->pend, p, hsize);
          p += hsize;
          self->state = STATE_PAYLOAD;
          if (!self->skipping)
            buf_reserve (&self->pend, self->head.length);
          else if (self->head.length == 0)
            finish_pending_frame (self);
        }
      else if (self->state == STATE_HEADER)
        {
          gsize have = self->pend.len - self->msg_raw_len;
          gsize need = have < 2 ? 2 : header_size (self->pend.data[self->msg_raw_len + 1]);
          gsize take = MIN (need - have, avail);

          buf_append (&self->pend, p, take);
          p += take;
          have += take;
          if (have == 2)
            need = header_size (self->pend.data[self->msg_raw_len + 1]);
          if (have == need)
            header_done (self);
        }
      else
        {
          guint64 left = self->head.length - self->got;
          gsize take = left < avail ? (gsize) left : avail;

          if (self->skipping)
            {
              guint64 got = self->got;

              skip_payload (self, p, take);
              self->got = got + take;
            }
          else
            {
              buf_append (&self->pend, p, take);
              self->got += take;
            }
          p += take;
          if (self->got == self->head.length)
            finish_pending_frame (self);
        }
    }
}

/**
 * sonde_ws_dissector_is_between_frames:
 * @self: a dissector
 *
 * Whether the bytes fed so far end exactly where a frame ends, so that a
 * frame written now would not tear one apart. (Between the fragments of a
 * message, only a control frame may be written.)
 *
 * Returns: %TRUE between frames
 */
gboolean
sonde_ws_dissector_is_between_frames (SondeWsDissector *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->state == STATE_IDLE;
}

/**
 * sonde_ws_dissector_get_pending:
 * @self: a dissector
 * @raw: (out) (transfer none): where the bytes are; valid until the next
 *   call on @self
 *
 * The bytes fed but not yet reported in an entry: the whole frames of the
 * data message in progress, then the bytes of the frame being read. That is
 * what would be lost if the connection dropped now. Bytes not kept (a
 * message past the size limit) are not in it.
 *
 * Returns: how many bytes (@raw is %NULL when none)
 */
gsize
sonde_ws_dissector_get_pending (SondeWsDissector  *self,
                                const guint8     **raw)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (raw != NULL, 0);

  *raw = self->pend.len > 0 ? self->pend.data : NULL;
  return self->pend.len;
}

/**
 * sonde_ws_dissector_get_partial_frame:
 * @self: a dissector
 * @frame: (out caller-allocates): the frame being read
 * @received: (out) (optional): how many of its payload bytes have come
 *
 * Tells about the frame being read, once its header is whole: its header
 * fields and the violations known so far (a length with its top bit set, for
 * one, is only ever seen here). raw is what is kept of it so far; payload and
 * the close fields are unset.
 *
 * Returns: %TRUE when a frame's header is whole and its payload is not
 */
gboolean
sonde_ws_dissector_get_partial_frame (SondeWsDissector *self,
                                      SondeWsFrame     *frame,
                                      guint64          *received)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (self->state != STATE_PAYLOAD)
    {
      memset (frame, 0, sizeof *frame);
      if (received != NULL)
        *received = 0;
      return FALSE;
    }

  *frame = self->head;
  frame->raw = self->pend.data + self->msg_raw_len;
  frame->raw_len = self->pend.len - self->msg_raw_len;
  if (received != NULL)
    *received = self->got;
  return TRUE;
}

/**
 * sonde_ws_dissector_reset:
 * @self: a dissector
 *
 * Forgets the stream, for a new connection: the frame being read, the
 * message in progress and the inflater's window. The sender, callbacks, size
 * limit and deflate settings stay; call sonde_ws_dissector_set_deflate()
 * again when the new handshake agreed otherwise.
 */
void
sonde_ws_dissector_reset (SondeWsDissector *self)
{
  g_return_if_fail (self != NULL);

  inflate_drop (self);
  end_message (self);
  self->state = STATE_IDLE;
  self->got = 0;
  self->skipping = FALSE;
  self->standalone = FALSE;
  memset (&self->head, 0, sizeof self->head);
  buf_reset (&self->scratch);
}

/* Stored frames */

typedef enum
{
  WALK_FRAME,
  WALK_END,
  WALK_CUT,
} WalkResult;

/* Reads the frame at raw[*at], with the violations it shows by itself. */
static WalkResult
walk_frame (const guint8  *raw,
            gsize          raw_len,
            gsize         *at,
            SondeWsSender  sender,
            SondeWsFrame  *f)
{
  gsize left = raw_len - *at;
  const guint8 *p;
  gsize hsize;

  if (left == 0)
    return WALK_END;
  p = raw + *at;
  if (left < 2)
    return WALK_CUT;
  hsize = header_size (p[1]);
  if (left < hsize)
    return WALK_CUT;
  decode_header (p, sender, f);
  if (f->length > left - hsize)
    return WALK_CUT;

  f->raw = p;
  f->raw_len = hsize + f->length;
  *at += f->raw_len;
  return WALK_FRAME;
}

/**
 * sonde_ws_frames_foreach:
 * @raw: (array length=raw_len): frames back to back, as an entry keeps them
 * @raw_len: how many bytes
 * @sender: who wrote them
 * @func: called for each frame, in order, until it returns %FALSE
 * @user_data: passed to @func
 *
 * Walks stored frames again, for views and recordings. Each frame comes
 * with its unmasked payload and, for a close frame, its code and reason. Its
 * violations are those a frame shows by itself: what depends on the frames
 * around it or on the negotiation (RSV1 on a text or binary frame, a stray
 * continuation, UTF-8 across fragments, the size limit, inflating) is not
 * known here.
 *
 * Returns: %FALSE when the bytes end inside a frame (the whole frames before
 *   it were walked), else %TRUE
 */
gboolean
sonde_ws_frames_foreach (const guint8     *raw,
                         gsize             raw_len,
                         SondeWsSender     sender,
                         SondeWsFrameFunc  func,
                         gpointer          user_data)
{
  Buf scratch = { NULL, 0, 0 };
  gsize at = 0;
  WalkResult result;
  SondeWsFrame f;

  g_return_val_if_fail (raw != NULL || raw_len == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  while ((result = walk_frame (raw, raw_len, &at, sender, &f)) == WALK_FRAME)
    {
      f.payload = frame_payload (&f, f.raw, &scratch);
      if (f.opcode == SONDE_WS_OPCODE_CLOSE)
        decode_close (&f);
      if (!func (&f, user_data))
        break;
    }

  buf_clear (&scratch);
  return result != WALK_CUT;
}

/**
 * sonde_ws_frames_get_payload:
 * @raw: (array length=raw_len): frames back to back
 * @raw_len: how many bytes
 * @len: (out) (optional): the payload's length
 *
 * The unmasked payloads of the frames, one after the other, as sent: a
 * compressed message is not inflated.
 *
 * Returns: (transfer full) (nullable): the payload, with a NUL after it
 *   that @len does not count, or %NULL when the bytes end inside a frame
 */
guint8 *
sonde_ws_frames_get_payload (const guint8 *raw,
                             gsize         raw_len,
                             gsize        *len)
{
  Buf out = { NULL, 0, 0 };
  gsize at = 0;
  WalkResult result;
  SondeWsFrame f;

  if (len != NULL)
    *len = 0;
  g_return_val_if_fail (raw != NULL || raw_len == 0, NULL);

  while ((result = walk_frame (raw, raw_len, &at, SONDE_WS_FROM_SERVER, &f)) == WALK_FRAME)
    {
      guint8 *dst = buf_reserve (&out, f.length);

      if (f.masked)
        unmask_copy (dst, f.raw + f.header_len, f.length, f.mask, 0);
      else if (f.length > 0)
        memcpy (dst, f.raw + f.header_len, f.length);
      out.len += f.length;
    }

  if (result == WALK_CUT)
    {
      buf_clear (&out);
      return NULL;
    }

  *buf_reserve (&out, 1) = '\0';
  if (len != NULL)
    *len = out.len;
  return out.data;
}

/**
 * sonde_ws_violation_to_string:
 * @violation: one violation
 *
 * Returns: (nullable): what it means, translated, as a phrase that can stand
 *   in a list; %NULL when @violation is not one known violation
 */
const char *
sonde_ws_violation_to_string (SondeWsViolation violation)
{
  switch (violation)
    {
    case SONDE_WS_VIOLATION_RESERVED_OPCODE:
      return _("reserved opcode");
    case SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION:
      return _("reserved bit set without a negotiated extension");
    case SONDE_WS_VIOLATION_CONTROL_TOO_LONG:
      return _("control frame longer than 125 bytes");
    case SONDE_WS_VIOLATION_CONTROL_FRAGMENTED:
      return _("control frame without FIN");
    case SONDE_WS_VIOLATION_ORPHAN_CONTINUATION:
      return _("continuation frame with no message to continue");
    case SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE:
      return _("new text or binary frame inside a fragmented message");
    case SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH:
      return _("payload length not sent in its shortest form");
    case SONDE_WS_VIOLATION_LENGTH_TOP_BIT:
      return _("64-bit payload length with the top bit set");
    case SONDE_WS_VIOLATION_CLIENT_NOT_MASKED:
      return _("client frame not masked");
    case SONDE_WS_VIOLATION_SERVER_MASKED:
      return _("server frame masked");
    case SONDE_WS_VIOLATION_CLOSE_ONE_BYTE:
      return _("close frame with a body of one byte");
    case SONDE_WS_VIOLATION_CLOSE_CODE:
      return _("close code not allowed on the wire");
    case SONDE_WS_VIOLATION_INVALID_UTF8:
      return _("text that is not valid UTF-8");
    case SONDE_WS_VIOLATION_TOO_LARGE:
      return _("larger than the size limit, not kept");
    case SONDE_WS_VIOLATION_BAD_DEFLATE:
      return _("compressed data that does not inflate");
    default:
      return NULL;
    }
}

/**
 * sonde_ws_violations_describe:
 * @violations: SondeWsViolation bits
 *
 * Returns: (transfer full): every violation in @violations, translated, in
 *   the order of their bits, joined with "; "; "" for none
 */
char *
sonde_ws_violations_describe (guint32 violations)
{
  GString *out = g_string_new (NULL);

  for (guint bit = 0; bit < 32; bit++)
    {
      const char *text;

      if ((violations & (1u << bit)) == 0)
        continue;
      text = sonde_ws_violation_to_string ((SondeWsViolation) (1u << bit));
      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, text);
    }

  return g_string_free (out, FALSE);
}

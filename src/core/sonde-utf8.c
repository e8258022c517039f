/* sonde-utf8.c: a UTF-8 check that can stop and go on between pieces of a text; printable text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#if defined (__x86_64__) && (defined (__GNUC__) || defined (__clang__))
#include <immintrin.h>
#define HAVE_SSSE3_UTF8 1
#endif

#include "sonde-utf8.h"

#define HIGH_BITS G_GUINT64_CONSTANT (0x8080808080808080)

static inline guint64
load64 (const guint8 *p)
{
  guint64 word;

  memcpy (&word, p, 8);
  return word;
}

/* UTF-8, checked incrementally so that a character may straddle fragments.
 * States: between characters, failed, and what the next byte must be. The
 * ranges are Unicode's (no overlongs, no surrogates, nothing past U+10FFFF). */

enum
{
  U8_OK = SONDE_UTF8_OK,
  U8_BAD = SONDE_UTF8_BAD,
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

/**
 * sonde_utf8_run:
 * @state: %SONDE_UTF8_OK for a new text, else what the previous piece returned
 * @s: (array length=n): the next piece
 * @n: how many bytes
 *
 * Runs @s through the checker from @state. Between characters, ASCII goes
 * by sixteen bytes at a time (with SSSE3, long runs of any text do), and a
 * whole multi-byte character that fits is checked in one go; the table takes
 * the rest (a character cut by the end of a piece, and anything invalid).
 *
 * Returns: the state after @s: %SONDE_UTF8_OK between characters,
 *   %SONDE_UTF8_BAD once anything was invalid, else inside a character
 */
guint8
sonde_utf8_run (guint8        state,
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

/* Control characters, DEL and the C1 range: what a terminal may act on. */
static inline gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7F && c < 0xA0);
}

/**
 * sonde_utf8_printable:
 * @text: (nullable): text from anywhere: a peer, a file, the user
 * @len: its length, or -1 when it ends with NUL
 *
 * Text that cannot drive a terminal, on one line: invalid UTF-8 is replaced,
 * each control character below U+0020 shows as its Unicode control picture
 * (␛ for an escape, ␊ for a line feed, ␀ for NUL), DEL as ␡ and the C1
 * controls as �. A server that sends `\e]0;…\a` in a status line could
 * otherwise retitle or clear the user's terminal, and the window would show
 * the characters as nothing or as boxes (and a line feed would break its
 * one-line labels).
 *
 * Returns: (transfer full): the printable text
 */
char *
sonde_utf8_printable (const char *text,
                      gssize      len)
{
  g_autofree char *valid = NULL;
  const char *end;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = (gssize)strlen (text);

  /* g_utf8_make_valid() stops at NUL; swap each for its picture first. */
  if (memchr (text, '\0', (gsize)len) != NULL)
    {
      g_autoptr(GString) copy = g_string_sized_new ((gsize)len + 16);

      for (gssize i = 0; i < len; i++)
        {
          if (text[i] == '\0')
            g_string_append (copy, "\xe2\x90\x80");
          else
            g_string_append_c (copy, text[i]);
        }
      valid = g_utf8_make_valid (copy->str, (gssize)copy->len);
    }
  else
    valid = g_utf8_make_valid (text, len);

  end = valid + strlen (valid);
  out = g_string_sized_new ((gsize)(end - valid) + 16);
  for (const char *p = valid; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_control (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7F)
        g_string_append_unichar (out, 0x2421);
      else
        g_string_append_unichar (out, 0xFFFD);
    }

  return g_string_free (out, FALSE);
}

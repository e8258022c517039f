/* sonde-sse-decode.c: field values that are not valid UTF-8, decoded as the WHATWG decoder does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-sse-parser-private.h"

static inline gsize
first_high_byte (guint64 word)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && (defined (__GNUC__) || defined (__clang__))
  return (gsize) __builtin_ctzll (word & ASCII_MASK) / 8;
#else
  gsize i = 0;
  guint8 bytes[8];

  memcpy (bytes, &word, 8);
  while ((bytes[i] & 0x80) == 0)
    i++;
  return i;
#endif
}

/* How many leading bytes of @s form valid UTF-8. ASCII goes by in 16-byte
 * strides; a multi-byte sequence is checked with the ranges of the WHATWG
 * decoder (which rule out overlongs, surrogates and values past U+10FFFF). */
static inline gsize
utf8_valid_prefix (const guint8 *s,
                   gsize         n)
{
  gsize i = 0;

  while (i < n)
    {
      guint8 c;

      while (i + 16 <= n)
        {
          guint64 a, b;

          memcpy (&a, s + i, 8);
          memcpy (&b, s + i + 8, 8);
          if (G_UNLIKELY ((a | b) & ASCII_MASK))
            {
              if (a & ASCII_MASK)
                i += first_high_byte (a);
              else
                i += 8 + first_high_byte (b);
              goto multibyte;
            }
          i += 16;
        }

      while (i < n && s[i] < 0x80)
        i++;
      if (i == n)
        break;

    multibyte:
      c = s[i];
      if (c >= 0xC2 && c <= 0xDF)
        {
          if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
            return i;
          i += 2;
        }
      else if (c >= 0xE0 && c <= 0xEF)
        {
          guint8 lo = c == 0xE0 ? 0xA0 : 0x80;
          guint8 hi = c == 0xED ? 0x9F : 0xBF;

          if (i + 2 >= n || s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xC0) != 0x80)
            return i;
          i += 3;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          guint8 lo = c == 0xF0 ? 0x90 : 0x80;
          guint8 hi = c == 0xF4 ? 0x8F : 0xBF;

          if (i + 3 >= n || s[i + 1] < lo || s[i + 1] > hi ||
              (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
            return i;
          i += 4;
        }
      else
        {
          return i;
        }
    }

  return n;
}

/* Appends @s decoded as the WHATWG "UTF-8 decode" does for a stream that
 * ends after @n bytes: each maximal subpart of an ill-formed sequence, and a
 * sequence cut short by the end, becomes one U+FFFD. */
G_GNUC_NO_INLINE void
sonde_sse_decode_slow (SondeSseBuf  *out,
                       const guint8 *s,
                       gsize         n)
{
  while (n > 0)
    {
      gsize valid = utf8_valid_prefix (s, n);
      gsize need = 0;
      gsize taken = 1;
      guint8 lo = 0x80, hi = 0xBF;
      guint8 c;
      char *dst;

      /* Room for the valid run and, at worst, three bytes per byte after it. */
      dst = sonde_sse_buf_reserve (out, valid + 3 * (n - valid));
      memcpy (dst, s, valid);
      out->len += valid;
      s += valid;
      n -= valid;
      if (n == 0)
        break;

      c = s[0];
      if (c >= 0xC2 && c <= 0xDF)
        {
          need = 1;
        }
      else if (c >= 0xE0 && c <= 0xEF)
        {
          need = 2;
          if (c == 0xE0)
            lo = 0xA0;
          else if (c == 0xED)
            hi = 0x9F;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          need = 3;
          if (c == 0xF0)
            lo = 0x90;
          else if (c == 0xF4)
            hi = 0x8F;
        }

      /* The bytes that fit belong to the replaced sequence; the first one
       * that does not is looked at again as the start of something new. */
      while (taken <= need && taken < n && s[taken] >= lo && s[taken] <= hi)
        {
          taken++;
          lo = 0x80;
          hi = 0xBF;
        }

      dst = out->str + out->len;
      dst[0] = (char) 0xEF;
      dst[1] = (char) 0xBF;
      dst[2] = (char) 0xBD;
      out->len += 3;
      s += taken;
      n -= taken;
    }
}

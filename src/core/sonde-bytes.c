/* sonde-bytes.c: the bytes toolbox: strict hex and base64 both ways, the blank-line test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-error.h"

/* People type into a text field whose positions count characters, so an
 * error names the character (not the byte) and shows it whole, even when it
 * is not ASCII. */
static glong
character_at (const char *text,
              const char *p,
              char        shown[8])
{
  memset (shown, 0, 8);
  g_unichar_to_utf8 (g_utf8_get_char (p), shown);
  return g_utf8_pointer_to_offset (text, p) + 1;
}

/**
 * sonde_bytes_from_hex:
 * @text: hex digits, valid UTF-8; white space and colons between bytes are
 *   ignored
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error naming
 *   the first character that is not hex, or the digit that has no partner
 */
GBytes *
sonde_bytes_from_hex (const char  *text,
                      GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *high_at = NULL;
  int high = -1;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int digit;

      if (g_ascii_isspace (*p) || *p == ':')
        {
          /* A separator splits a byte: "a b" is no byte. */
          if (high >= 0)
            break;
          continue;
        }
      digit = g_ascii_xdigit_value (*p);
      if (digit < 0)
        {
          char shown[8];
          glong at = character_at (text, p, shown);

          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       /* Translators: %s is the character, %ld its position in the text, from 1 */
                       _("“%s” at character %ld is not a hex digit"), shown, at);
          return NULL;
        }
      if (high < 0)
        {
          high = digit;
          high_at = p;
        }
      else
        {
          guint8 byte = (guint8)(high << 4 | digit);

          g_byte_array_append (out, &byte, 1);
          high = -1;
        }
    }

  if (high >= 0)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   /* Translators: %ld is a position in the text, from 1 */
                   _("Hex needs two digits per byte; the digit at character %ld has no partner"),
                   g_utf8_pointer_to_offset (text, high_at) + 1);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * sonde_bytes_from_base64:
 * @text: base64 (RFC 4648, standard alphabet), valid UTF-8; white space is
 *   ignored
 *
 * Strict, as core's base64 is: a character outside the alphabet, padding
 * before the end, or a length no bytes encode to is an error.
 *
 * Returns: (transfer full) (nullable): the decoded bytes, or %NULL when @text
 *   is not base64, with @error saying where
 */
GBytes *
sonde_bytes_from_base64 (const char  *text,
                         GError     **error)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *padding_at = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_ascii_isspace (*p))
        continue;
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        {
          char shown[8];
          glong at = character_at (text, p, shown);

          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       /* Translators: %s is the character, %ld its position in the text, from 1 */
                       _("“%s” at character %ld is not base64"), shown, at);
          return NULL;
        }
      if (*p == '=')
        {
          if (padding_at == NULL)
            padding_at = p;
        }
      else if (padding_at != NULL)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       /* Translators: %ld is a position in the text, from 1 */
                       _("Base64 padding “=” may only end the text; one stands at character %ld"),
                       g_utf8_pointer_to_offset (text, padding_at) + 1);
          return NULL;
        }
      g_string_append_c (clean, *p);
    }
  if (clean->len % 4 != 0 || !sonde_base64_decode_append (clean->str, clean->len, out))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("Base64 comes in groups of four characters; this is cut short"));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* 0-63 for the base64 alphabet, 0x80 for anything else. */
static const guint8 base64_value[256] = {
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 62,   0x80, 0x80, 0x80, 63,
  52,   53,   54,   55,   56,   57,   58,   59,   60,   61,   0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,
  15,   16,   17,   18,   19,   20,   21,   22,   23,   24,   25,   0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 26,   27,   28,   29,   30,   31,   32,   33,   34,   35,   36,   37,   38,   39,   40,
  41,   42,   43,   44,   45,   46,   47,   48,   49,   50,   51,   0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};

/**
 * sonde_base64_decode:
 * @text: base64 (RFC 4648, standard alphabet), with or without its padding
 * @out: (out caller-allocates): room for SONDE_BASE64_DECODED_MAX (@len) bytes
 * @out_len: (out): how many bytes were written
 *
 * Stricter than g_base64_decode(), which skips what it does not know: any
 * byte outside the alphabet (white space included), padding anywhere but at
 * the end, or a length that no bytes encode to, is refused. The one base64
 * decoder of what comes from files and the network; what people type goes
 * through sonde_bytes_from_base64(), which says where it is wrong.
 *
 * Returns: whether @text was base64; when not, what @out holds is undefined
 */
gboolean
sonde_base64_decode (const char *text,
                     gsize       len,
                     guint8     *out,
                     gsize      *out_len)
{
  const guint8 *in = (const guint8 *)text;
  guint8 *o = out;
  gsize groups;
  gsize rest;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL || len == 0, FALSE);
  g_return_val_if_fail (out_len != NULL, FALSE);

  *out_len = 0;
  if (len > 0 && in[len - 1] == '=')
    {
      if (len % 4 != 0)
        return FALSE;
      len--;
      if (in[len - 1] == '=')
        len--;
    }
  groups = len / 4;
  rest = len % 4;
  if (rest == 1)
    return FALSE;

  for (gsize i = 0; i < groups; i++, in += 4)
    {
      guint a = base64_value[in[0]];
      guint b = base64_value[in[1]];
      guint c = base64_value[in[2]];
      guint d = base64_value[in[3]];

      if ((a | b | c | d) & 0x80)
        return FALSE;
      o[0] = (guint8)(a << 2 | b >> 4);
      o[1] = (guint8)(b << 4 | c >> 2);
      o[2] = (guint8)(c << 6 | d);
      o += 3;
    }

  if (rest > 0)
    {
      guint a = base64_value[in[0]];
      guint b = base64_value[in[1]];
      guint c = rest == 3 ? base64_value[in[2]] : 0;

      if ((a | b | c) & 0x80)
        return FALSE;
      *o++ = (guint8)(a << 2 | b >> 4);
      if (rest == 3)
        *o++ = (guint8)(b << 4 | c >> 2);
    }

  *out_len = (gsize)(o - out);
  return TRUE;
}

/**
 * sonde_base64_decode_append:
 * @text: base64, as sonde_base64_decode() takes it
 * @out: where the bytes are appended
 *
 * Returns: whether @text was base64; when not, @out is left as it was
 */
gboolean
sonde_base64_decode_append (const char *text,
                            gsize       len,
                            GByteArray *out)
{
  gsize old_len;
  gsize written;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  old_len = out->len;
  g_byte_array_set_size (out, (guint)(old_len + SONDE_BASE64_DECODED_MAX (len)));
  if (!sonde_base64_decode (text, len, out->data + old_len, &written))
    {
      g_byte_array_set_size (out, (guint)old_len);
      return FALSE;
    }
  g_byte_array_set_size (out, (guint)(old_len + written));
  return TRUE;
}

/**
 * sonde_bytes_write_hex:
 * @dest: (out caller-allocates): room for 3 × @len characters (2 × @len
 *   without a separator); no NUL is written
 * @separator: what stands between two bytes, such as ' ', or 0 for nothing
 *
 * The one hex encoder: lower case, two digits a byte, nothing after the
 * last one. The list's preview, the filter that finds bytes by their hex
 * and the details pane's copy all write through it, so that what is shown
 * is what is found and copied.
 *
 * Returns: the end of what was written
 */
char *
sonde_bytes_write_hex (char         *dest,
                       const guint8 *data,
                       gsize         len,
                       char          separator)
{
  static const char hex[] = "0123456789abcdef";
  char *p = dest;

  g_return_val_if_fail (dest != NULL || len == 0, dest);
  g_return_val_if_fail (data != NULL || len == 0, dest);

  for (gsize i = 0; i < len; i++)
    {
      if (separator != 0 && i > 0)
        *p++ = separator;
      p[0] = hex[data[i] >> 4];
      p[1] = hex[data[i] & 0xf];
      p += 2;
    }

  return p;
}

/**
 * sonde_bytes_to_hex:
 * @separator: as sonde_bytes_write_hex() takes it
 *
 * Returns: (transfer full): @data in hex, as a string
 */
char *
sonde_bytes_to_hex (const guint8 *data,
                    gsize         len,
                    char          separator)
{
  char *text;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len < G_MAXSIZE / 3, NULL);

  text = g_malloc (len * 3 + 1);
  *sonde_bytes_write_hex (text, data, len, separator) = '\0';

  return text;
}

/**
 * sonde_bytes_append_hex_row:
 * @data: (array length=len): at most 16 bytes
 *
 * Appends one row of a hex dump after its offset: the bytes in hex, in two
 * groups of eight, then as ASCII between bars, and a line end. Rows of
 * fewer bytes are padded, so that the ASCII column lines up.
 */
void
sonde_bytes_append_hex_row (GString      *out,
                            const guint8 *data,
                            gsize         len)
{
  /* Two columns of eight "xx " cells and a space between them. */
  char cells[8 * 3 * 2 + 1];

  g_return_if_fail (out != NULL);
  g_return_if_fail (len <= 16);

  memset (cells, ' ', sizeof cells);
  for (gsize half = 0; half < 2 && half * 8 < len; half++)
    sonde_bytes_write_hex (cells + half * (8 * 3 + 1), data + half * 8, MIN (len - half * 8, 8),
                           ' ');
  g_string_append_len (out, cells, sizeof cells);
  g_string_append (out, " |");
  for (gsize i = 0; i < len; i++)
    g_string_append_c (out, data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.');
  g_string_append (out, "|\n");
}

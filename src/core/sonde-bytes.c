/* sonde-bytes.c: bytes from the hex and base64 that people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-error.h"
#include "sonde-json-scanner.h"

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
  static const char hex[] = "0123456789abcdef";

  g_return_if_fail (out != NULL);
  g_return_if_fail (len <= 16);

  for (gsize i = 0; i < 16; i++)
    {
      if (i < len)
        {
          char byte[3] = { hex[data[i] >> 4], hex[data[i] & 0xf], ' ' };

          g_string_append_len (out, byte, 3);
        }
      else
        g_string_append_len (out, "   ", 3);
      if (i == 7)
        g_string_append_c (out, ' ');
    }
  g_string_append (out, " |");
  for (gsize i = 0; i < len; i++)
    g_string_append_c (out, data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.');
  g_string_append (out, "|\n");
}

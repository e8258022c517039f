/* sonde-bytes.c: bytes from the hex and base64 that people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-error.h"

/**
 * sonde_bytes_from_hex:
 * @text: hex digits; white space and colons between bytes are ignored
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error naming
 *   the first character that is not hex
 */
GBytes *
sonde_bytes_from_hex (const char  *text,
                      GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  int high = -1;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      int digit;

      if (g_ascii_isspace (*p) || *p == ':')
        {
          if (high >= 0)
            break;
          continue;
        }
      digit = g_ascii_xdigit_value (*p);
      if (digit < 0)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("“%c” at position %d is not a hex digit"), *p, (int)(p - text) + 1);
          return NULL;
        }
      if (high < 0)
        high = digit;
      else
        {
          guint8 byte = (guint8)(high << 4 | digit);

          g_byte_array_append (out, &byte, 1);
          high = -1;
        }
    }

  if (high >= 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("Hex needs two digits per byte; one digit is left over"));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * sonde_bytes_from_base64:
 *
 * Returns: (transfer full) (nullable): the decoded bytes, or %NULL when @text
 *   is not base64
 */
GBytes *
sonde_bytes_from_base64 (const char  *text,
                         GError     **error)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  guchar *data;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        continue;
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("“%c” at position %d is not base64"), *p, (int)(p - text) + 1);
          return NULL;
        }
      g_string_append_c (clean, *p);
    }
  if (clean->len % 4 != 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("Base64 comes in groups of four characters; this is cut short"));
      return NULL;
    }

  data = g_base64_decode (clean->str, &len);
  return g_bytes_new_take (data, len);
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

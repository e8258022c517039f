/* sonde-bytes.h: the bytes toolbox: strict hex and base64 both ways, the blank-line test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What people type: errors that name the character. */
GBytes   *sonde_bytes_from_hex        (const char    *text,
                                       GError       **error);
GBytes   *sonde_bytes_from_base64     (const char    *text,
                                       GError       **error);

/* What files and the network carry: strict, and no allocation when the
 * caller has the room. At most this many bytes come out of @len characters
 * of base64. */
#define SONDE_BASE64_DECODED_MAX(len) ((len) / 4 * 3 + 2)

gboolean  sonde_base64_decode         (const char    *text,
                                       gsize          len,
                                       guint8        *out,
                                       gsize         *out_len);
gboolean  sonde_base64_decode_append  (const char    *text,
                                       gsize          len,
                                       GByteArray    *out);

/* Lower-case hex, two digits a byte: "00 01 fe ff". */
char     *sonde_bytes_write_hex       (char          *dest,
                                       const guint8  *data,
                                       gsize          len,
                                       char           separator);
char     *sonde_bytes_to_hex          (const guint8  *data,
                                       gsize          len,
                                       char           separator);
void      sonde_bytes_append_hex_row  (GString       *out,
                                       const guint8  *data,
                                       gsize          len);

/* The one blank-line test: whether @data holds only what JSON takes for
 * white space (space, tab, CR, LF). A line of a recording or of a HAR file
 * that is blank is skipped; inline, as the recording reader asks it of
 * every line. */
static inline gboolean
sonde_bytes_is_blank (const char *data,
                      gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
        return FALSE;
    }
  return TRUE;
}

G_END_DECLS

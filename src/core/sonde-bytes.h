/* sonde-bytes.h: bytes from the hex and base64 that people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *sonde_bytes_from_hex    (const char  *text,
                                 GError     **error);
GBytes *sonde_bytes_from_base64 (const char  *text,
                                 GError     **error);
void    sonde_bytes_append_hex_row (GString      *out,
                                    const guint8 *data,
                                    gsize         len);

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

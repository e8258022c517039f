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

G_END_DECLS

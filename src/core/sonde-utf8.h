/* sonde-utf8.h: a UTF-8 check that can stop and go on between pieces of a text; printable text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a check stands between two pieces: between characters, failed for
 * good, or inside a character (any other value). Start from SONDE_UTF8_OK. */
#define SONDE_UTF8_OK  0
#define SONDE_UTF8_BAD 1

guint8 sonde_utf8_run (guint8        state,
                       const guint8 *s,
                       gsize         n);

/* Whether @s is whole, valid UTF-8 (as RFC 3629 and Unicode define it). */
static inline gboolean
sonde_utf8_valid (const guint8 *s,
                  gsize         n)
{
  return sonde_utf8_run (SONDE_UTF8_OK, s, n) == SONDE_UTF8_OK;
}

/* Text that drives no terminal and shows every character, on one line. */
char *sonde_utf8_printable (const char *text,
                            gssize      len);

G_END_DECLS

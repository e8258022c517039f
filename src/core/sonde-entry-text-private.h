/* sonde-entry-text-private.h: what the row-text files share: text written into a fixed buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include "sonde-entry-text.h"

G_BEGIN_DECLS

/* Text written into a fixed buffer, cut on a character boundary with "…"
 * when it does not fit: every column's text goes through one, into the
 * caller's buffer, without allocating. */
typedef struct
{
  char     *start;
  char     *p;
  char     *end;   /* room for "…" and NUL stays after it */
  gboolean  cut;
} SondeTextOut;

#define SONDE_TEXT_OUT_ELLIPSIS "\xe2\x80\xa6"

/* The small steps are inline: a row's texts take them for every run of
 * plain characters. */
static inline void
sonde_text_out_init (SondeTextOut *o,
                     char         *buf,
                     gsize         size)
{
  g_assert (size >= sizeof SONDE_TEXT_OUT_ELLIPSIS + 1);

  o->start = o->p = buf;
  o->end = buf + size - sizeof SONDE_TEXT_OUT_ELLIPSIS;
  o->cut = FALSE;
}

/* Ends the text, with "…" when it was cut; returns its length. */
static inline gsize
sonde_text_out_finish (SondeTextOut *o)
{
  if (o->cut)
    {
      memcpy (o->p, SONDE_TEXT_OUT_ELLIPSIS, sizeof SONDE_TEXT_OUT_ELLIPSIS - 1);
      o->p += sizeof SONDE_TEXT_OUT_ELLIPSIS - 1;
    }
  *o->p = '\0';

  return (gsize)(o->p - o->start);
}

/* Appends UTF-8 text as it is. */
static inline void
sonde_text_out_text (SondeTextOut *o,
                     const char   *text,
                     gsize         len)
{
  gsize room;

  if (o->cut)
    return;

  room = (gsize)(o->end - o->p);
  if (len > room)
    {
      len = room;
      while (len > 0 && ((guchar)text[len] & 0xc0) == 0x80)
        len--;
      o->cut = TRUE;
    }
  memcpy (o->p, text, len);
  o->p += len;
}

static inline void
sonde_text_out_str (SondeTextOut *o,
                    const char   *text)
{
  sonde_text_out_text (o, text, strlen (text));
}

void sonde_text_out_printf  (SondeTextOut *o,
                             const char   *format,
                             ...) G_GNUC_PRINTF (2, 3);
void sonde_text_out_escaped (SondeTextOut *o,
                             const guint8 *s,
                             gsize         len,
                             gboolean      more);

G_END_DECLS

/* sonde-sse-parser-private.h: what the parts of the SSE parser share: the parser, its buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include "sonde-sse-parser.h"

G_BEGIN_DECLS

/* The parser is three files: sonde-sse-parser.c (lines, fields, events,
 * limits, and the fast UTF-8 check of field values), sonde-sse-decode.c
 * (field values that are not valid UTF-8, replaced as WHATWG decoders do)
 * and sonde-sse-block.c (a stored block parsed again). The buffers' hot
 * functions are inline here, as they were in the one file. */

/* Buffers that grew past this for one huge event are given back afterwards. */
#define SHRINK_ABOVE (1024 * 1024)
#define INITIAL_SIZE 64

typedef struct
{
  char  *str;
  gsize  len;
  gsize  cap;   /* always > len: there is room for the terminating NUL */
} SondeSseBuf;

struct _SondeSseParser
{
  SondeSseCallbacks  callbacks;
  gpointer           user_data;
  gsize              max_size;
  gsize              max_raw;

  /* Per stream; sonde_sse_parser_end_stream() resets these. */
  guint              bom_seen;        /* bytes of a leading BOM matched, or BOM_DONE */
  gboolean           cr_pending;      /* the last feed ended with the CR of a line end */
  gboolean           dropping;        /* skipping a block that went past the limit */
  gboolean           drop_line_open;  /* the skipped block's current line has bytes */
  gboolean           drop_cr_blank;   /* the pending CR ends a blank line */
  SondeSseDropReason drop_reason;
  guint64            drop_bytes;
  SondeSseBuf        acc;             /* the current block's bytes from earlier feeds */
  gsize              line_off;        /* where the unfinished line starts in acc */
  SondeSseBuf        data;
  SondeSseBuf        type;
  SondeSseBuf        block_id;        /* the id field of the current block ... */
  gboolean           block_id_set;    /* ... if it had a valid one */

  /* Kept across streams. */
  SondeSseBuf        last_id;
  SondeSseBuf        scratch;
};

#define ASCII_MASK G_GUINT64_CONSTANT (0x8080808080808080)

/* sonde-sse-parser.c */
void  sonde_sse_buf_clear         (SondeSseBuf             *b);
void  sonde_sse_buf_grow          (SondeSseBuf             *b,
                                   gsize                    extra);
void  sonde_sse_parser_init       (SondeSseParser          *self,
                                   const SondeSseCallbacks *callbacks,
                                   gpointer                 user_data);
void  sonde_sse_parser_clear      (SondeSseParser          *self);
void  sonde_sse_parser_feed_bytes (SondeSseParser          *self,
                                   const guint8            *buf,
                                   gsize                    len);

/* sonde-sse-decode.c */
void  sonde_sse_decode_slow       (SondeSseBuf             *out,
                                   const guint8            *s,
                                   gsize                    n);

static inline void
sonde_sse_buf_init (SondeSseBuf *b)
{
  b->str = g_malloc (INITIAL_SIZE);
  b->str[0] = '\0';
  b->len = 0;
  b->cap = INITIAL_SIZE;
}

/* Room for @extra more bytes and a NUL; returns where they go. */
static inline char *
sonde_sse_buf_reserve (SondeSseBuf *b,
                       gsize        extra)
{
  if (G_UNLIKELY (b->cap - b->len <= extra))
    sonde_sse_buf_grow (b, extra);
  return b->str + b->len;
}

static inline void
sonde_sse_buf_append (SondeSseBuf *b,
                      const void  *bytes,
                      gsize        len)
{
  char *dst = sonde_sse_buf_reserve (b, len);

  memcpy (dst, bytes, len);
  b->len += len;
}

/* Empties @b, handing back memory one huge event left behind. */
static inline void
sonde_sse_buf_reset (SondeSseBuf *b)
{
  b->len = 0;
  if (G_UNLIKELY (b->cap > SHRINK_ABOVE))
    {
      g_free (b->str);
      sonde_sse_buf_init (b);
    }
  b->str[0] = '\0';
}

static inline void
sonde_sse_buf_terminate (SondeSseBuf *b)
{
  b->str[b->len] = '\0';
}

G_END_DECLS

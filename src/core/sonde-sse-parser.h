/* sonde-sse-parser.h: incremental text/event-stream parser (WHATWG HTML, "Server-sent events")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Default limit for one line and for one event's data, in bytes. */
#define SONDE_SSE_DEFAULT_MAX_SIZE (16 * 1024 * 1024)

typedef struct _SondeSseParser SondeSseParser;

/* A dispatched event. Every pointer is valid only during the callback.
 * Strings are UTF-8 (invalid input replaced with U+FFFD as the WHATWG UTF-8
 * decoder does) and are NUL-terminated at their length, but may contain NUL. */
typedef struct
{
  const char   *type;       /* "message" when the block had no (non-empty) event field */
  gsize         type_len;
  const char   *data;       /* data lines joined with LF, the one trailing LF removed */
  gsize         data_len;
  const char   *id;         /* the last event ID after this event; "" when none yet */
  gsize         id_len;
  gboolean      id_set;     /* whether this block itself had a valid id field */
  const guint8 *raw;        /* the block's exact bytes, first line to blank line inclusive */
  gsize         raw_len;
} SondeSseEvent;

typedef enum
{
  SONDE_SSE_DROP_LINE_TOO_LONG,
  SONDE_SSE_DROP_EVENT_TOO_LARGE,
} SondeSseDropReason;

typedef struct
{
  /* A blank line dispatched an event with a non-empty data buffer. */
  void (*event)   (gpointer             user_data,
                   const SondeSseEvent *event);
  /* A comment line; @text is what follows the colon (not stripped), @raw the
   * line with its line end. */
  void (*comment) (gpointer             user_data,
                   const char          *text,
                   gsize                text_len,
                   const guint8        *raw,
                   gsize                raw_len);
  /* A retry field of ASCII digits only; @ms saturates at G_MAXUINT64. */
  void (*retry)   (gpointer             user_data,
                   guint64              ms);
  /* An event (or a line) went past the size limit and was discarded whole, up
   * to the next blank line; @bytes is how many bytes were discarded. (A
   * block's raw bytes may not pass twice the limit either. A block still
   * being discarded when the stream ends is reported by end_stream.) */
  void (*dropped) (gpointer             user_data,
                   SondeSseDropReason   reason,
                   guint64              bytes);
} SondeSseCallbacks;

/* Callbacks must not feed, end or free the parser that calls them. A CR that
 * is the last byte of a feed holds back the line it ends until the next byte
 * shows whether a LF follows (or end_stream completes it), so that raw bytes
 * never depend on how the stream was cut. */
SondeSseParser *sonde_sse_parser_new                (const SondeSseCallbacks *callbacks,
                                                     gpointer                 user_data);
void            sonde_sse_parser_free               (SondeSseParser          *self);
void            sonde_sse_parser_set_max_size       (SondeSseParser          *self,
                                                     gsize                    max_size);
void            sonde_sse_parser_feed               (SondeSseParser          *self,
                                                     const guint8            *data,
                                                     gsize                    len);
gsize           sonde_sse_parser_get_pending        (SondeSseParser          *self,
                                                     const guint8           **raw);
void            sonde_sse_parser_end_stream         (SondeSseParser          *self);
const char     *sonde_sse_parser_get_last_event_id  (SondeSseParser          *self);
void            sonde_sse_parser_set_last_event_id  (SondeSseParser          *self,
                                                     const char              *id);

char           *sonde_sse_block_get_data            (const guint8            *raw,
                                                     gsize                    raw_len,
                                                     gsize                   *data_len,
                                                     char                   **type);
char           *sonde_sse_comment_get_text          (const guint8            *raw,
                                                     gsize                    raw_len,
                                                     gsize                   *text_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeSseParser, sonde_sse_parser_free)

G_END_DECLS

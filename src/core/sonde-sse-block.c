/* sonde-sse-block.c: one stored event or comment parsed again from its raw bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-sse-parser-private.h"

typedef struct
{
  gboolean  found;
  char     *data;
  gsize     data_len;
  char     *type;
} BlockResult;

static void
block_event_cb (gpointer             user_data,
                const SondeSseEvent *event)
{
  BlockResult *result = user_data;

  if (result->found)
    return;

  result->found = TRUE;
  result->data = g_malloc (event->data_len + 1);
  memcpy (result->data, event->data, event->data_len + 1);
  result->data_len = event->data_len;
  result->type = g_malloc (event->type_len + 1);
  memcpy (result->type, event->type, event->type_len + 1);
}

/* Runs stored bytes through a parser of their own, without limits (they
 * were checked when the bytes came) and past the BOM check (a stored block
 * never holds the stream's BOM, so what looks like one is data). */
static void
parse_again (const SondeSseCallbacks *callbacks,
             const guint8            *raw,
             gsize                    raw_len,
             BlockResult             *result)
{
  SondeSseParser parser = { 0 };

  sonde_sse_parser_init (&parser, callbacks, result);
  parser.max_size = G_MAXSIZE;
  parser.max_raw = G_MAXSIZE;
  sonde_sse_parser_feed_bytes (&parser, raw, raw_len);
  sonde_sse_parser_end_stream (&parser);
  sonde_sse_parser_clear (&parser);
}

/**
 * sonde_sse_block_get_data:
 * @raw: (array length=raw_len): the raw bytes of one event, as the event
 *   callback had them
 * @raw_len: how many
 * @data_len: (out) (optional): the length of the data, which may hold NULs
 * @type: (out) (optional) (transfer full): the event type, "message" by default
 *
 * Parses one block again, so the event log needs to keep only its raw bytes.
 *
 * Returns: (transfer full) (nullable): the event's data, NUL-terminated, or
 *   %NULL if @raw dispatches no event
 */
char *
sonde_sse_block_get_data (const guint8  *raw,
                          gsize          raw_len,
                          gsize         *data_len,
                          char         **type)
{
  static const SondeSseCallbacks callbacks = { .event = block_event_cb };
  BlockResult result = { 0 };

  g_return_val_if_fail (raw != NULL || raw_len == 0, NULL);

  parse_again (&callbacks, raw, raw_len, &result);

  if (data_len != NULL)
    *data_len = result.found ? result.data_len : 0;
  if (type != NULL)
    *type = g_steal_pointer (&result.type);
  g_free (result.type);

  return result.data;
}

static void
comment_text_cb (gpointer      user_data,
                 const char   *text,
                 gsize         text_len,
                 const guint8 *raw,
                 gsize         raw_len)
{
  BlockResult *result = user_data;

  if (result->found)
    return;

  result->found = TRUE;
  result->data = g_malloc (text_len + 1);
  memcpy (result->data, text, text_len + 1);
  result->data_len = text_len;
}

/**
 * sonde_sse_comment_get_text:
 * @raw: (array length=raw_len): a comment line with its line end, as the
 *   comment callback had it
 * @raw_len: how many bytes
 * @text_len: (out) (optional): the length of the text, which may hold NULs
 *
 * Decodes a comment again from its raw bytes, as the parser did.
 *
 * Returns: (transfer full) (nullable): the text after the colon,
 *   NUL-terminated, or %NULL if @raw is not a comment line
 */
char *
sonde_sse_comment_get_text (const guint8 *raw,
                            gsize         raw_len,
                            gsize        *text_len)
{
  static const SondeSseCallbacks callbacks = { .comment = comment_text_cb };
  BlockResult result = { 0 };

  g_return_val_if_fail (raw != NULL || raw_len == 0, NULL);

  parse_again (&callbacks, raw, raw_len, &result);

  if (text_len != NULL)
    *text_len = result.found ? result.data_len : 0;

  return result.data;
}

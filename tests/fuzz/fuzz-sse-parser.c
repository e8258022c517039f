/* fuzz-sse-parser.c: libFuzzer target for the SSE parser, fed whole, cut up and reused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, one byte that seeds the cuts, then the stream.
 * Settings: bits 0-5 are the size limit in bytes (0: the default), bit 6
 * feeds the stream a second time after end_stream on the same parser.
 *
 * Aborts when the callbacks differ between the whole stream and the same
 * stream cut into pieces, when an event's raw bytes do not give back its data
 * and type, when a string is not UTF-8 or not NUL-terminated, when the
 * pending bytes are not the tail of what was fed, and (with the default
 * limit) when the parser disagrees with a plain reading of the WHATWG rules.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-sse-parser.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-sse-parser: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

typedef struct
{
  SondeSseParser *parser;
  GString        *full;       /* every callback with every argument */
  GString        *meaning;    /* what the reference can know: no raw bytes, no id_set */
} Run;

static void
put_bytes (GString    *out,
           const void *bytes,
           gsize       len)
{
  g_string_append_printf (out, "%" G_GSIZE_FORMAT ":", len);
  g_string_append_len (out, bytes, len);
}

/* UTF-8, where NUL counts as a character like any other. */
static gboolean
utf8_ok (const char *s,
         gsize       len)
{
  while (len > 0)
    {
      const char *nul = memchr (s, '\0', len);
      gsize run = nul != NULL ? (gsize) (nul - s) : len;

      if (!g_utf8_validate_len (s, run, NULL))
        return FALSE;
      if (nul == NULL)
        break;
      s += run + 1;
      len -= run + 1;
    }
  return TRUE;
}

static void
put_event_meaning (GString    *out,
                   const char *type,
                   gsize       type_len,
                   const char *data,
                   gsize       data_len,
                   const char *id,
                   gsize       id_len)
{
  g_string_append (out, "E");
  put_bytes (out, type, type_len);
  put_bytes (out, data, data_len);
  put_bytes (out, id, id_len);
}

static void
on_event (gpointer             user_data,
          const SondeSseEvent *event)
{
  Run *run = user_data;
  char *data;
  char *type = NULL;
  gsize data_len = 0;

  CHECK (event->type[event->type_len] == '\0');
  CHECK (event->data[event->data_len] == '\0');
  CHECK (event->id[event->id_len] == '\0');
  CHECK (utf8_ok (event->type, event->type_len));
  CHECK (utf8_ok (event->data, event->data_len));
  CHECK (utf8_ok (event->id, event->id_len));
  CHECK (memchr (event->id, '\0', event->id_len) == NULL);
  CHECK (event->type_len > 0);
  CHECK (strcmp (event->id, sonde_sse_parser_get_last_event_id (run->parser)) == 0);
  CHECK (event->raw_len >= 2);
  CHECK (event->raw[event->raw_len - 1] == '\n' || event->raw[event->raw_len - 1] == '\r');

  data = sonde_sse_block_get_data (event->raw, event->raw_len, &data_len, &type);
  CHECK (data != NULL && type != NULL);
  CHECK (data_len == event->data_len && memcmp (data, event->data, data_len) == 0);
  CHECK (strcmp (type, event->type) == 0);
  g_free (data);
  g_free (type);

  g_string_append_printf (run->full, "E%d", event->id_set);
  put_bytes (run->full, event->type, event->type_len);
  put_bytes (run->full, event->data, event->data_len);
  put_bytes (run->full, event->id, event->id_len);
  put_bytes (run->full, event->raw, event->raw_len);
  put_event_meaning (run->meaning, event->type, event->type_len, event->data, event->data_len,
                     event->id, event->id_len);
}

static void
on_comment (gpointer      user_data,
            const char   *text,
            gsize         text_len,
            const guint8 *raw,
            gsize         raw_len)
{
  Run *run = user_data;

  CHECK (text[text_len] == '\0');
  CHECK (utf8_ok (text, text_len));
  CHECK (raw_len >= 2 && raw[0] == ':');
  CHECK (raw[raw_len - 1] == '\n' || raw[raw_len - 1] == '\r');

  g_string_append (run->full, "C");
  put_bytes (run->full, text, text_len);
  put_bytes (run->full, raw, raw_len);
  g_string_append (run->meaning, "C");
  put_bytes (run->meaning, text, text_len);
}

static void
on_retry (gpointer user_data,
          guint64  ms)
{
  Run *run = user_data;

  g_string_append_printf (run->full, "R%" G_GUINT64_FORMAT ";", ms);
  g_string_append_printf (run->meaning, "R%" G_GUINT64_FORMAT ";", ms);
}

static void
on_dropped (gpointer           user_data,
            SondeSseDropReason reason,
            guint64            bytes)
{
  Run *run = user_data;

  g_string_append_printf (run->full, "D%d,%" G_GUINT64_FORMAT ";", reason, bytes);
  g_string_append_printf (run->meaning, "D%d,%" G_GUINT64_FORMAT ";", reason, bytes);
}

static const SondeSseCallbacks callbacks = {
  .event = on_event,
  .comment = on_comment,
  .retry = on_retry,
  .dropped = on_dropped,
};

/* The cuts: a small generator seeded from the input, so that the fuzzer
 * can steer them. Each call gives the next piece length, 1 to @most. */
static gsize
next_piece (guint32 *state,
            gsize    most)
{
  *state = *state * 1103515245u + 12345u;
  return 1 + (*state >> 16) % most;
}

typedef enum
{
  CUT_WHOLE,
  CUT_BYTES,
  CUT_SMALL,
  CUT_LARGE,
  CUT_HALVES,
} CutMode;

static void
feed (Run          *run,
      const guint8 *stream,
      gsize         len,
      CutMode       mode,
      guint32       seed)
{
  gsize at = 0;

  while (at < len)
    {
      gsize piece;
      const guint8 *pending;
      gsize pending_len;

      switch (mode)
        {
        case CUT_WHOLE:
          piece = len;
          break;
        case CUT_BYTES:
          piece = 1;
          break;
        case CUT_SMALL:
          piece = next_piece (&seed, 4);
          break;
        case CUT_LARGE:
          piece = next_piece (&seed, 64);
          break;
        case CUT_HALVES:
          piece = at == 0 ? (len + 1) / 2 : len - at;
          break;
        default:
          abort ();
        }
      piece = MIN (piece, len - at);

      sonde_sse_parser_feed (run->parser, stream + at, piece);
      at += piece;

      pending_len = sonde_sse_parser_get_pending (run->parser, &pending);
      CHECK (pending_len <= at);
      CHECK (pending_len == 0 || memcmp (pending, stream + at - pending_len, pending_len) == 0);
    }
}

static void
run_parser (Run          *run,
            const guint8 *stream,
            gsize         len,
            gsize         max_size,
            gboolean      twice,
            CutMode       mode,
            guint32       seed)
{
  const guint8 *pending;

  run->parser = sonde_sse_parser_new (&callbacks, run);
  run->full = g_string_new (NULL);
  run->meaning = g_string_new (NULL);
  if (max_size > 0)
    sonde_sse_parser_set_max_size (run->parser, max_size);

  feed (run, stream, len, mode, seed);
  sonde_sse_parser_end_stream (run->parser);
  g_string_append (run->full, "|");
  g_string_append (run->meaning, "|");
  CHECK (sonde_sse_parser_get_pending (run->parser, &pending) == 0);

  if (twice)
    {
      feed (run, stream, len, mode, seed ^ 0x5bd1e995u);
      sonde_sse_parser_end_stream (run->parser);
      g_string_append (run->full, "|");
      g_string_append (run->meaning, "|");
    }

  g_string_append (run->full, sonde_sse_parser_get_last_event_id (run->parser));
  g_string_append (run->meaning, sonde_sse_parser_get_last_event_id (run->parser));
  sonde_sse_parser_free (run->parser);
  run->parser = NULL;
}

static void
run_clear (Run *run)
{
  g_string_free (run->full, TRUE);
  g_string_free (run->meaning, TRUE);
}

/* The reference: decode the whole stream first, one byte at a time as the
 * WHATWG "UTF-8 decode" says, then read it line by line as the SSE rules say. */

static void
append_fffd (GString *out)
{
  g_string_append (out, "\xEF\xBF\xBD");
}

static void
reference_decode (const guint8 *in,
                  gsize         len,
                  GString      *out)
{
  gsize i = 0;
  guint needed = 0, seen = 0;
  gunichar cp = 0;
  guint8 lower = 0x80, upper = 0xBF;

  if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
    i = 3;

  while (i < len)
    {
      guint8 b = in[i];

      if (needed == 0)
        {
          i++;
          if (b < 0x80)
            {
              g_string_append_c (out, (char) b);
            }
          else if (b >= 0xC2 && b <= 0xDF)
            {
              needed = 1;
              cp = b & 0x1F;
            }
          else if (b >= 0xE0 && b <= 0xEF)
            {
              lower = b == 0xE0 ? 0xA0 : 0x80;
              upper = b == 0xED ? 0x9F : 0xBF;
              needed = 2;
              cp = b & 0x0F;
            }
          else if (b >= 0xF0 && b <= 0xF4)
            {
              lower = b == 0xF0 ? 0x90 : 0x80;
              upper = b == 0xF4 ? 0x8F : 0xBF;
              needed = 3;
              cp = b & 0x07;
            }
          else
            {
              append_fffd (out);
            }
          continue;
        }

      if (b < lower || b > upper)
        {
          /* U+FFFD, and the byte is read again. */
          needed = seen = 0;
          lower = 0x80;
          upper = 0xBF;
          append_fffd (out);
          continue;
        }

      i++;
      lower = 0x80;
      upper = 0xBF;
      cp = (cp << 6) | (b & 0x3F);
      if (++seen == needed)
        {
          g_string_append_unichar (out, cp);
          needed = seen = 0;
        }
    }

  if (needed > 0)
    append_fffd (out);
}

/* @last_id is the event source's last event ID string, which outlives the
 * stream; the stream's last event ID buffer starts from it, as browsers do
 * when they reconnect. */
static void
reference_stream (const guint8 *in,
                  gsize         len,
                  GString      *last_id,
                  GString      *out)
{
  GString *id = g_string_new (last_id->str);
  GString *text = g_string_new (NULL);
  GString *data = g_string_new (NULL);
  GString *type = g_string_new (NULL);
  gsize pos = 0;

  reference_decode (in, len, text);

  for (;;)
    {
      gsize start = pos;
      const char *line;
      gsize line_len;
      const char *colon;
      gsize name_len;
      const char *value;
      gsize value_len;

      while (pos < text->len && text->str[pos] != '\r' && text->str[pos] != '\n')
        pos++;
      if (pos == text->len)
        break;
      line = text->str + start;
      line_len = pos - start;
      if (text->str[pos] == '\r' && pos + 1 < text->len && text->str[pos + 1] == '\n')
        pos += 2;
      else
        pos += 1;

      if (line_len == 0)
        {
          g_string_assign (last_id, id->str);
          if (data->len > 0)
            {
              g_string_truncate (data, data->len - 1);
              if (type->len > 0)
                put_event_meaning (out, type->str, type->len, data->str, data->len, id->str, id->len);
              else
                put_event_meaning (out, "message", 7, data->str, data->len, id->str, id->len);
            }
          g_string_truncate (data, 0);
          g_string_truncate (type, 0);
          continue;
        }

      if (line[0] == ':')
        {
          g_string_append (out, "C");
          put_bytes (out, line + 1, line_len - 1);
          continue;
        }

      colon = memchr (line, ':', line_len);
      name_len = colon != NULL ? (gsize) (colon - line) : line_len;
      value = colon != NULL ? colon + 1 : line + line_len;
      value_len = line_len - (value - line);
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }

      if (name_len == 5 && memcmp (line, "event", 5) == 0)
        {
          g_string_truncate (type, 0);
          g_string_append_len (type, value, value_len);
        }
      else if (name_len == 4 && memcmp (line, "data", 4) == 0)
        {
          g_string_append_len (data, value, value_len);
          g_string_append_c (data, '\n');
        }
      else if (name_len == 2 && memcmp (line, "id", 2) == 0)
        {
          if (memchr (value, '\0', value_len) == NULL)
            {
              g_string_truncate (id, 0);
              g_string_append_len (id, value, value_len);
            }
        }
      else if (name_len == 5 && memcmp (line, "retry", 5) == 0 && value_len > 0)
        {
          guint64 ms = 0;
          gsize i;

          for (i = 0; i < value_len && g_ascii_isdigit (value[i]); i++)
            {
              guint digit = value[i] - '0';

              ms = ms > (G_MAXUINT64 - digit) / 10 ? G_MAXUINT64 : ms * 10 + digit;
            }
          if (i == value_len)
            g_string_append_printf (out, "R%" G_GUINT64_FORMAT ";", ms);
        }
    }

  g_string_free (id, TRUE);
  g_string_free (text, TRUE);
  g_string_free (data, TRUE);
  g_string_free (type, TRUE);
}

static void
check_reference (const Run    *run,
                 const guint8 *stream,
                 gsize         len,
                 gboolean      twice)
{
  GString *expected = g_string_new (NULL);
  GString *last_id = g_string_new (NULL);

  reference_stream (stream, len, last_id, expected);
  g_string_append (expected, "|");
  if (twice)
    {
      reference_stream (stream, len, last_id, expected);
      g_string_append (expected, "|");
    }
  g_string_append (expected, last_id->str);

  if (!g_string_equal (run->meaning, expected))
    FAIL ("the parser and the reference disagree");

  g_string_free (expected, TRUE);
  g_string_free (last_id, TRUE);
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  static const CutMode modes[] = { CUT_BYTES, CUT_SMALL, CUT_LARGE, CUT_HALVES };
  const guint8 *stream;
  gsize len;
  gsize max_size;
  gboolean twice;
  guint32 seed;
  Run whole;

  if (size < 2)
    return 0;

  max_size = input[0] & 0x3F;
  twice = (input[0] & 0x40) != 0;
  seed = input[1] | (guint32) size << 8;
  stream = input + 2;
  len = size - 2;

  run_parser (&whole, stream, len, max_size, twice, CUT_WHOLE, seed);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      Run cut;

      if (modes[i] == CUT_BYTES && len > 4096)
        continue;
      run_parser (&cut, stream, len, max_size, twice, modes[i], seed);
      if (!g_string_equal (whole.full, cut.full))
        FAIL ("callbacks differ between the whole stream and cut mode %d", modes[i]);
      run_clear (&cut);
    }

  /* Nothing is dropped with the default limit on inputs this small, so the
   * plain reading of the rules applies. */
  if (max_size == 0)
    check_reference (&whole, stream, len, twice);

  run_clear (&whole);
  return 0;
}

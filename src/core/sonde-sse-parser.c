/* sonde-sse-parser.c: incremental text/event-stream parser (WHATWG HTML, "Server-sent events")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-sse-parser-private.h"

/* Lines are split on bytes and only field values are decoded. That gives the
 * same result as decoding the whole stream first: CR, LF and ':' are ASCII, so
 * they never sit inside a multi-byte sequence, and the UTF-8 decoder turns a
 * sequence they cut short into U+FFFD before handing them on unchanged. */

#define BOM_DONE 4u

static const guint8 bom_bytes[3] = { 0xEF, 0xBB, 0xBF };

void
sonde_sse_buf_clear (SondeSseBuf *b)
{
  g_clear_pointer (&b->str, g_free);
  b->len = 0;
  b->cap = 0;
}

G_GNUC_NO_INLINE void
sonde_sse_buf_grow (SondeSseBuf *b,
                    gsize        extra)
{
  gsize need;
  gsize cap = b->cap;

  if (extra >= G_MAXSIZE - b->len)
    g_error ("SSE parser buffer size overflow");
  need = b->len + extra + 1;

  while (cap < need)
    cap = cap < G_MAXSIZE / 2 ? cap * 2 : need;

  b->str = g_realloc (b->str, cap);
  b->cap = cap;
}

/* Whether @s is valid UTF-8, for the fast path. ASCII goes by 16 bytes at a
 * time; around other bytes a DFA takes one byte per step with no branch:
 * each byte's row holds, at bit offset S, the state that follows state S
 * (states are multiples of 6 so that a row holds them all). */
enum
{
  U_OK = 0,     /* between characters */
  U_ERR = 6,
  U_NEED1 = 12, /* one more continuation byte, 80..BF */
  U_NEED2 = 18,
  U_NEED3 = 24,
  U_E0 = 30,    /* after E0: A0..BF, then one more (no overlongs) */
  U_ED = 36,    /* after ED: 80..9F, then one more (no surrogates) */
  U_F0 = 42,    /* after F0: 90..BF, then two more (no overlongs) */
  U_F4 = 48,    /* after F4: 80..8F, then two more (nothing past U+10FFFF) */
};

#define U_ALL_ERR \
  ((guint64) U_ERR << U_OK | (guint64) U_ERR << U_ERR | (guint64) U_ERR << U_NEED1 | \
   (guint64) U_ERR << U_NEED2 | (guint64) U_ERR << U_NEED3 | (guint64) U_ERR << U_E0 | \
   (guint64) U_ERR << U_ED | (guint64) U_ERR << U_F0 | (guint64) U_ERR << U_F4)
#define U_SET(row, from, to) (((row) & ~((guint64) 63 << (from))) | ((guint64) (to) << (from)))
#define U_CONT(row) U_SET (U_SET (U_SET (row, U_NEED1, U_OK), U_NEED2, U_NEED1), U_NEED3, U_NEED2)

#define U_ROW_ASCII U_SET (U_ALL_ERR, U_OK, U_OK)
#define U_ROW_80 U_SET (U_SET (U_CONT (U_ALL_ERR), U_ED, U_NEED1), U_F4, U_NEED2)
#define U_ROW_90 U_SET (U_SET (U_CONT (U_ALL_ERR), U_ED, U_NEED1), U_F0, U_NEED2)
#define U_ROW_A0 U_SET (U_SET (U_CONT (U_ALL_ERR), U_E0, U_NEED1), U_F0, U_NEED2)
#define U_ROW_LEAD(to) U_SET (U_ALL_ERR, U_OK, to)

static const guint64 utf8_dfa[256] = {
  [0x00 ... 0x7F] = U_ROW_ASCII,
  [0x80 ... 0x8F] = U_ROW_80,
  [0x90 ... 0x9F] = U_ROW_90,
  [0xA0 ... 0xBF] = U_ROW_A0,
  [0xC0 ... 0xC1] = U_ALL_ERR,
  [0xC2 ... 0xDF] = U_ROW_LEAD (U_NEED1),
  [0xE0] = U_ROW_LEAD (U_E0),
  [0xE1 ... 0xEC] = U_ROW_LEAD (U_NEED2),
  [0xED] = U_ROW_LEAD (U_ED),
  [0xEE ... 0xEF] = U_ROW_LEAD (U_NEED2),
  [0xF0] = U_ROW_LEAD (U_F0),
  [0xF1 ... 0xF3] = U_ROW_LEAD (U_NEED3),
  [0xF4] = U_ROW_LEAD (U_F4),
  [0xF5 ... 0xFF] = U_ALL_ERR,
};

static inline guint64
load64 (const guint8 *p)
{
  guint64 word;

  memcpy (&word, p, 8);
  return word;
}

static inline guint32
load32 (const guint8 *p)
{
  guint32 word;

  memcpy (&word, p, 4);
  return word;
}

/* Whether s[i..n) is all ASCII, for fewer than 16 bytes. The loads may
 * reach back before @i (never before @s), which at worst says no. */
static inline gboolean
ascii_tail (const guint8 *s,
            gsize         i,
            gsize         n)
{
  if (n >= 16)
    return ((load64 (s + n - 16) | load64 (s + n - 8)) & ASCII_MASK) == 0;
  if (n >= 8)
    return ((load64 (s) | load64 (s + n - 8)) & ASCII_MASK) == 0;
  if (n >= 4)
    return ((load32 (s) | load32 (s + n - 4)) & 0x80808080u) == 0;
  for (; i < n; i++)
    {
      if (s[i] & 0x80)
        return FALSE;
    }
  return TRUE;
}

static inline gboolean
utf8_validate (const guint8 *s,
               gsize         n)
{
  gsize i = 0;

  for (;;)
    {
      guint64 state = U_OK;

      while (i + 16 <= n)
        {
          if ((load64 (s + i) | load64 (s + i + 8)) & ASCII_MASK)
            break;
          i += 16;
        }
      if (i + 16 > n && ascii_tail (s, i, n))
        return TRUE;

      /* Run the DFA in blocks of 8 until it is between characters. Only
       * the low six bits of the state count: masking the shift count lets
       * the compiler use a bare shift, one cycle per byte. */
      do
        {
          if (G_LIKELY (i + 8 <= n))
            {
              state = utf8_dfa[s[i]] >> (state & 63);
              state = utf8_dfa[s[i + 1]] >> (state & 63);
              state = utf8_dfa[s[i + 2]] >> (state & 63);
              state = utf8_dfa[s[i + 3]] >> (state & 63);
              state = utf8_dfa[s[i + 4]] >> (state & 63);
              state = utf8_dfa[s[i + 5]] >> (state & 63);
              state = utf8_dfa[s[i + 6]] >> (state & 63);
              state = utf8_dfa[s[i + 7]] >> (state & 63);
              i += 8;
            }
          else
            {
              for (; i < n; i++)
                state = utf8_dfa[s[i]] >> (state & 63);
            }
          state &= 63;
        }
      while (state != U_OK && state != U_ERR && i < n);

      if (state != U_OK)
        return FALSE;
      if (i == n)
        return TRUE;
    }
}

static inline void
decode_append (SondeSseBuf  *out,
               const guint8 *s,
               gsize         n)
{
  if (G_LIKELY (utf8_validate (s, n)))
    sonde_sse_buf_append (out, s, n);
  else
    sonde_sse_decode_slow (out, s, n);
}

void
sonde_sse_parser_init (SondeSseParser          *self,
                       const SondeSseCallbacks *callbacks,
                       gpointer                 user_data)
{
  if (callbacks != NULL)
    self->callbacks = *callbacks;
  self->user_data = user_data;
  self->max_size = SONDE_SSE_DEFAULT_MAX_SIZE;
  self->max_raw = 2 * (gsize) SONDE_SSE_DEFAULT_MAX_SIZE;
  sonde_sse_buf_init (&self->acc);
  sonde_sse_buf_init (&self->data);
  sonde_sse_buf_init (&self->type);
  sonde_sse_buf_init (&self->block_id);
  sonde_sse_buf_init (&self->last_id);
  sonde_sse_buf_init (&self->scratch);
}

void
sonde_sse_parser_clear (SondeSseParser *self)
{
  sonde_sse_buf_clear (&self->acc);
  sonde_sse_buf_clear (&self->data);
  sonde_sse_buf_clear (&self->type);
  sonde_sse_buf_clear (&self->block_id);
  sonde_sse_buf_clear (&self->last_id);
  sonde_sse_buf_clear (&self->scratch);
}

/**
 * sonde_sse_parser_new:
 * @callbacks: (nullable): what to call; copied, and any member may be %NULL
 * @user_data: passed to every callback
 *
 * Creates a parser for one event source. Callbacks must not feed, end or free
 * the parser that calls them.
 *
 * Returns: (transfer full): a parser, free with sonde_sse_parser_free()
 */
SondeSseParser *
sonde_sse_parser_new (const SondeSseCallbacks *callbacks,
                      gpointer                 user_data)
{
  SondeSseParser *self = g_new0 (SondeSseParser, 1);

  sonde_sse_parser_init (self, callbacks, user_data);

  return self;
}

void
sonde_sse_parser_free (SondeSseParser *self)
{
  if (self == NULL)
    return;

  sonde_sse_parser_clear (self);
  g_free (self);
}

/**
 * sonde_sse_parser_set_max_size:
 * @self: a parser
 * @max_size: the most bytes one line, or one event's data buffer (each data
 *   line plus its LF), may hold
 *
 * A block that goes past the limit is skipped up to its blank line and
 * reported once through the dropped callback. So that memory stays bounded
 * even for a block of nothing but comments or unknown fields, a block's raw
 * bytes may not pass twice the limit either.
 */
void
sonde_sse_parser_set_max_size (SondeSseParser *self,
                               gsize           max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
  self->max_raw = max_size <= G_MAXSIZE / 2 ? 2 * max_size : G_MAXSIZE;
}

/* Forgets the block being read: the data and type buffers and its id field. */
static inline void
reset_block_fields (SondeSseParser *self)
{
  sonde_sse_buf_reset (&self->data);
  sonde_sse_buf_reset (&self->type);
  self->block_id_set = FALSE;
}

static void
finish_drop (SondeSseParser *self)
{
  self->dropping = FALSE;
  self->drop_line_open = FALSE;
  self->drop_cr_blank = FALSE;
  if (self->callbacks.dropped != NULL)
    self->callbacks.dropped (self->user_data, self->drop_reason, self->drop_bytes);
}

/* The block went past the limit after @bytes of it. Returns TRUE when the
 * line that did it was the block's blank line, so the block is over. */
static gboolean
start_drop (SondeSseParser     *self,
            SondeSseDropReason  reason,
            guint64             bytes,
            gboolean            blank)
{
  reset_block_fields (self);
  sonde_sse_buf_reset (&self->acc);
  self->line_off = 0;
  self->dropping = TRUE;
  self->drop_reason = reason;
  self->drop_bytes = bytes;
  self->drop_line_open = FALSE;

  if (blank)
    finish_drop (self);

  return blank;
}

static void
dispatch (SondeSseParser *self,
          const guint8   *raw,
          gsize           raw_len)
{
  SondeSseEvent event;
  gboolean id_set = self->block_id_set;

  if (id_set)
    {
      SondeSseBuf tmp = self->last_id;

      self->last_id = self->block_id;
      self->block_id = tmp;
      self->block_id_set = FALSE;
    }

  if (self->data.len == 0)
    {
      sonde_sse_buf_reset (&self->type);
      return;
    }

  if (self->callbacks.event != NULL)
    {
      /* Drop the LF of the last data line; the NUL takes its place. */
      self->data.len--;
      sonde_sse_buf_terminate (&self->data);
      sonde_sse_buf_terminate (&self->type);

      if (self->type.len > 0)
        {
          event.type = self->type.str;
          event.type_len = self->type.len;
        }
      else
        {
          event.type = "message";
          event.type_len = 7;
        }
      event.data = self->data.str;
      event.data_len = self->data.len;
      event.id = self->last_id.str;
      event.id_len = self->last_id.len;
      event.id_set = id_set;
      event.raw = raw;
      event.raw_len = raw_len;

      self->callbacks.event (self->user_data, &event);
    }

  sonde_sse_buf_reset (&self->data);
  sonde_sse_buf_reset (&self->type);
}

static inline gboolean
field_is (const guint8 *name,
          const char   *known,
          gsize         len)
{
  return memcmp (name, known, len) == 0;
}

/* A line that is neither blank nor too long. Returns FALSE when it makes the
 * data buffer too large. */
static gboolean
process_line (SondeSseParser *self,
              const guint8   *line,
              gsize           len,
              gsize           eol_len)
{
  const guint8 *value;
  gsize value_len;
  gsize name_len;
  gsize scan;

  if (line[0] == ':')
    {
      if (self->callbacks.comment != NULL)
        {
          sonde_sse_buf_reset (&self->scratch);
          decode_append (&self->scratch, line + 1, len - 1);
          sonde_sse_buf_terminate (&self->scratch);
          self->callbacks.comment (self->user_data,
                                   self->scratch.str, self->scratch.len,
                                   line, len + eol_len);
        }
      return TRUE;
    }

  /* Every field Sonde knows has a name of at most five bytes, so looking
   * for the colon further than that is not needed. */
  scan = MIN (len, 6);
  for (name_len = 0; name_len < scan; name_len++)
    {
      if (line[name_len] == ':')
        break;
    }
  if (name_len == scan)
    {
      if (len > 5)
        return TRUE;
      name_len = len;
      value = line + len;
      value_len = 0;
    }
  else
    {
      value = line + name_len + 1;
      value_len = len - name_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }

  switch (name_len)
    {
    case 4:
      if (field_is (line, "data", 4))
        {
          char *dst;

          if (self->data.len + value_len + 1 > self->max_size)
            return FALSE;

          dst = sonde_sse_buf_reserve (&self->data, value_len + 1);
          if (G_LIKELY (utf8_validate (value, value_len)))
            {
              memcpy (dst, value, value_len);
              dst[value_len] = '\n';
              self->data.len += value_len + 1;
            }
          else
            {
              /* Replacement characters are longer than what they replace. */
              sonde_sse_decode_slow (&self->data, value, value_len);
              if (self->data.len + 1 > self->max_size)
                return FALSE;
              sonde_sse_buf_append (&self->data, "\n", 1);
            }
        }
      break;

    case 5:
      if (field_is (line, "event", 5))
        {
          sonde_sse_buf_reset (&self->type);
          decode_append (&self->type, value, value_len);
        }
      else if (field_is (line, "retry", 5))
        {
          guint64 ms = 0;
          gboolean saturated = FALSE;

          if (value_len == 0)
            break;

          for (gsize i = 0; i < value_len; i++)
            {
              guint digit = (guint) value[i] - '0';

              if (digit > 9)
                return TRUE;
              if (ms > (G_MAXUINT64 - digit) / 10)
                saturated = TRUE;
              else
                ms = ms * 10 + digit;
            }

          if (self->callbacks.retry != NULL)
            self->callbacks.retry (self->user_data, saturated ? G_MAXUINT64 : ms);
        }
      break;

    case 2:
      if (field_is (line, "id", 2) && memchr (value, '\0', value_len) == NULL)
        {
          self->block_id.len = 0;
          decode_append (&self->block_id, value, value_len);
          sonde_sse_buf_terminate (&self->block_id);
          self->block_id_set = TRUE;
        }
      break;

    default:
      break;
    }

  return TRUE;
}

/* A whole line; @raw is the block through this line's end. Returns TRUE when
 * the block is over (dispatched, or dropped at its blank line). */
static inline gboolean
complete_line (SondeSseParser *self,
               const guint8   *line,
               gsize           line_len,
               gsize           eol_len,
               const guint8   *raw,
               gsize           raw_len)
{
  if (G_UNLIKELY (line_len > self->max_size))
    return start_drop (self, SONDE_SSE_DROP_LINE_TOO_LONG, raw_len, FALSE);

  if (G_UNLIKELY (raw_len > self->max_raw))
    return start_drop (self, SONDE_SSE_DROP_EVENT_TOO_LARGE, raw_len, line_len == 0);

  if (line_len == 0)
    {
      dispatch (self, raw, raw_len);
      return TRUE;
    }

  if (G_UNLIKELY (!process_line (self, line, line_len, eol_len)))
    return start_drop (self, SONDE_SSE_DROP_EVENT_TOO_LARGE, raw_len, FALSE);

  return FALSE;
}

/* Completes the line at the end of acc, whose line end is the last @eol_len
 * bytes there. */
static void
complete_acc_line (SondeSseParser *self,
                   gsize           eol_len)
{
  const guint8 *raw = (const guint8 *) self->acc.str;
  gsize line_len = self->acc.len - self->line_off - eol_len;

  if (complete_line (self, raw + self->line_off, line_len, eol_len, raw, self->acc.len))
    sonde_sse_buf_reset (&self->acc);

  self->line_off = self->acc.len;
}

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)

/* The first byte @c at or after @p, or @end. Most lines are short, so the
 * first 16 bytes are looked at in place before calling memchr. */
static inline const guint8 *
find_byte (const guint8 *p,
           const guint8 *end,
           guint8        c)
{
  const guint8 *found;

  if (end - p >= 16)
    {
      guint64 pattern = ONES * c;
      guint64 a = load64 (p) ^ pattern;
      guint64 b = load64 (p + 8) ^ pattern;
      /* A byte of a or b is zero where c is; the lowest flag is exact. */
      guint64 za = (a - ONES) & ~a & ASCII_MASK;
      guint64 zb = (b - ONES) & ~b & ASCII_MASK;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN && (defined (__GNUC__) || defined (__clang__))
      if (za != 0)
        return p + __builtin_ctzll (za) / 8;
      if (zb != 0)
        return p + 8 + __builtin_ctzll (zb) / 8;
#else
      if ((za | zb) != 0)
        return memchr (p, c, 16);
#endif
      p += 16;
    }

  found = memchr (p, c, end - p);
  return found != NULL ? found : end;
}

void
sonde_sse_parser_feed_bytes (SondeSseParser *self,
                             const guint8   *buf,
                             gsize           len)
{
  const guint8 *p = buf;
  const guint8 *end = buf + len;
  const guint8 *block;
  const guint8 *lf;
  const guint8 *cr;

  if (len == 0)
    return;

  if (self->cr_pending)
    {
      gboolean crlf = *p == '\n';

      self->cr_pending = FALSE;
      if (crlf)
        p++;

      if (self->dropping)
        {
          self->drop_bytes += crlf;
          if (self->drop_cr_blank)
            finish_drop (self);
        }
      else
        {
          if (crlf)
            sonde_sse_buf_append (&self->acc, "\n", 1);
          complete_acc_line (self, crlf ? 2 : 1);
        }
    }

  /* Where the block being read starts in @buf, while acc is empty. */
  block = p;
  /* The next LF and CR at or after p; recomputed when p passes them. */
  lf = find_byte (p, end, '\n');
  cr = find_byte (p, end, '\r');

  while (p < end)
    {
      const guint8 *e;
      const guint8 *next;

      if (G_UNLIKELY (self->dropping))
        {
          gboolean blank;

          if (lf < p)
            lf = find_byte (p, end, '\n');
          if (cr < p)
            cr = find_byte (p, end, '\r');
          e = MIN (lf, cr);

          if (e == end)
            {
              self->drop_line_open = TRUE;
              self->drop_bytes += end - p;
              return;
            }

          blank = e == p && !self->drop_line_open;
          if (e == cr && e + 1 == end)
            {
              self->drop_bytes += end - p;
              self->drop_line_open = FALSE;
              self->drop_cr_blank = blank;
              self->cr_pending = TRUE;
              return;
            }

          next = e + 1 + (e == cr && e[1] == '\n');
          self->drop_bytes += next - p;
          self->drop_line_open = FALSE;
          p = next;
          if (blank)
            {
              finish_drop (self);
              block = p;
            }
          continue;
        }

      if (lf < p)
        lf = find_byte (p, end, '\n');
      if (cr < p)
        cr = find_byte (p, end, '\r');

      if (G_LIKELY (lf < cr))
        {
          e = lf;
          next = e + 1;
        }
      else if (cr < end)
        {
          e = cr;
          if (e + 1 == end)
            break;  /* is it CR or CRLF? the next byte will tell */
          next = e + 1 + (e[1] == '\n');
        }
      else
        {
          break;
        }

      if (G_LIKELY (self->acc.len == 0))
        {
          if (complete_line (self, p, e - p, next - e, block, next - block))
            block = next;
        }
      else
        {
          /* The block began in an earlier feed: keep gathering it in acc. */
          gsize line_len = self->acc.len - self->line_off + (e - p);
          gsize raw_len = self->acc.len + (next - p);

          if (line_len > self->max_size)
            start_drop (self, SONDE_SSE_DROP_LINE_TOO_LONG, raw_len, FALSE);
          else if (raw_len > self->max_raw)
            start_drop (self, SONDE_SSE_DROP_EVENT_TOO_LARGE, raw_len, line_len == 0);
          else
            {
              sonde_sse_buf_append (&self->acc, p, next - p);
              complete_acc_line (self, next - e);
            }
          block = next;
        }

      p = next;
    }

  if (self->dropping)
    return;

  /* Keep the unfinished block; p..end is its unfinished line, which may
   * end with a CR still waiting for its LF. */
  {
    gboolean cr_end = p < end && end[-1] == '\r';
    gsize line_part = (end - p) - cr_end;
    const guint8 *keep = self->acc.len == 0 ? block : p;
    gsize line_len = self->acc.len - self->line_off + line_part;

    if (G_UNLIKELY (line_len > self->max_size))
      {
        start_drop (self, SONDE_SSE_DROP_LINE_TOO_LONG, self->acc.len + (end - keep), FALSE);
        self->drop_line_open = !cr_end;
        self->drop_cr_blank = FALSE;
        self->cr_pending = cr_end;
        return;
      }

    sonde_sse_buf_append (&self->acc, keep, end - keep);
    self->line_off = self->acc.len - line_len - cr_end;
    self->cr_pending = cr_end;
  }
}

/**
 * sonde_sse_parser_feed:
 * @self: a parser
 * @data: (array length=len): the next bytes of the response body
 * @len: how many
 *
 * Parses @data, calling back for each comment, retry field, event and drop.
 * A CR that is the very last byte holds back the line it ends until the next
 * byte shows whether a LF follows (so that the event's raw bytes are exact);
 * sonde_sse_parser_end_stream() completes such a line.
 */
void
sonde_sse_parser_feed (SondeSseParser *self,
                       const guint8   *data,
                       gsize           len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (G_UNLIKELY (self->bom_seen != BOM_DONE))
    {
      guint held;

      while (len > 0 && self->bom_seen < 3 && data[0] == bom_bytes[self->bom_seen])
        {
          self->bom_seen++;
          data++;
          len--;
        }

      if (self->bom_seen == 3)
        {
          self->bom_seen = BOM_DONE;
        }
      else if (len > 0)
        {
          /* Not a BOM after all: what looked like one is stream data. */
          held = self->bom_seen;
          self->bom_seen = BOM_DONE;
          sonde_sse_parser_feed_bytes (self, bom_bytes, held);
        }
    }

  sonde_sse_parser_feed_bytes (self, data, len);
}

/**
 * sonde_sse_parser_get_pending:
 * @self: a parser
 * @raw: (out) (transfer none): where the bytes are; valid until the next call
 *   on @self
 *
 * The bytes received since the last block ended: the event that would be
 * lost if the stream ended now. A block being skipped for its size keeps no
 * bytes, so it has none.
 *
 * Returns: how many bytes
 */
gsize
sonde_sse_parser_get_pending (SondeSseParser  *self,
                              const guint8   **raw)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (raw != NULL, 0);

  if (self->bom_seen > 0 && self->bom_seen < 3)
    {
      *raw = bom_bytes;
      return self->bom_seen;
    }

  *raw = (const guint8 *) self->acc.str;
  return self->dropping ? 0 : self->acc.len;
}

/**
 * sonde_sse_parser_end_stream:
 * @self: a parser
 *
 * The response body ended. A line waiting on a final CR is completed, an
 * unterminated block is discarded (reported through the dropped callback if
 * it was being skipped for its size), and everything about the stream is
 * forgotten except the last event ID, so the parser is ready for the
 * response of a reconnection.
 */
void
sonde_sse_parser_end_stream (SondeSseParser *self)
{
  g_return_if_fail (self != NULL);

  if (self->cr_pending)
    {
      self->cr_pending = FALSE;
      if (!self->dropping)
        complete_acc_line (self, 1);
      else if (self->drop_cr_blank)
        finish_drop (self);
    }

  if (self->dropping)
    finish_drop (self);

  self->bom_seen = 0;
  self->line_off = 0;
  sonde_sse_buf_reset (&self->acc);
  reset_block_fields (self);
}

/**
 * sonde_sse_parser_get_last_event_id:
 * @self: a parser
 *
 * Returns: the last event ID as of the last blank line ("" when none); what
 *   a reconnection sends as `Last-Event-ID`
 */
const char *
sonde_sse_parser_get_last_event_id (SondeSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->last_id.str;
}

/**
 * sonde_sse_parser_set_last_event_id:
 * @self: a parser
 * @id: (nullable): UTF-8 without NUL, or %NULL for none
 *
 * Sets the last event ID, as when resuming a recorded session.
 */
void
sonde_sse_parser_set_last_event_id (SondeSseParser *self,
                                    const char     *id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (id == NULL || g_utf8_validate (id, -1, NULL));

  sonde_sse_buf_reset (&self->last_id);
  if (id != NULL)
    sonde_sse_buf_append (&self->last_id, id, strlen (id));
  sonde_sse_buf_terminate (&self->last_id);
}

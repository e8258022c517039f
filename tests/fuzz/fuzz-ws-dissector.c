/* fuzz-ws-dissector.c: libFuzzer target for the WebSocket frame dissector, fed whole and cut up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, one byte that seeds the cuts (its top bit
 * puts the dissector in stop mode), then the stream.
 * Settings: bit 0 reads the stream as the client's (masked) instead of the
 * server's, bit 1 turns permessage-deflate on, bit 2 without context
 * takeover, bit 3 with a window of 8 bits instead of 15, bits 4-6 pick the
 * size limit (0: the default, else 2^(2 * n) bytes), bit 7 resets the
 * dissector halfway through the stream.
 *
 * Aborts when the callbacks differ between the whole stream and the same
 * stream cut into pieces; when a frame does not sit where a plain walk of the
 * headers puts it; when a frame's or a message's raw bytes do not walk back
 * into the same frames and payload; when a text message's UTF-8 verdict is
 * not GLib's; when the pending bytes or the frame boundary disagree; when a
 * message's discarded count is not the size of the frames it lacks; and, in
 * stop mode, when the bytes passed on reach the frame it stopped at whole, or
 * do not reach its start.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-ws-dissector.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-ws-dissector: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

#define V_TOO_LARGE SONDE_WS_VIOLATION_TOO_LARGE
#define V_UTF8 SONDE_WS_VIOLATION_INVALID_UTF8
#define V_BAD_DEFLATE SONDE_WS_VIOLATION_BAD_DEFLATE

/* The violations a frame shows without the frames around it */
#define INTRINSIC (SONDE_WS_VIOLATION_RESERVED_OPCODE | SONDE_WS_VIOLATION_CONTROL_TOO_LONG | \
                   SONDE_WS_VIOLATION_CONTROL_FRAGMENTED | SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH | \
                   SONDE_WS_VIOLATION_LENGTH_TOP_BIT | SONDE_WS_VIOLATION_CLIENT_NOT_MASKED | \
                   SONDE_WS_VIOLATION_SERVER_MASKED | SONDE_WS_VIOLATION_CLOSE_ONE_BYTE | \
                   SONDE_WS_VIOLATION_CLOSE_CODE)

/* Where a plain walk of the headers puts each frame. */
typedef struct
{
  gsize   offset;
  gsize   header_len;
  guint64 length;
} RefFrame;

typedef struct
{
  SondeWsSender  sender;
  const guint8  *stream;      /* the part fed since the last reset */
  GArray        *ref;         /* RefFrame */
  guint          next_ref;
  GString       *full;        /* every callback with every argument */
  GArray        *msg_frames;  /* raw bytes of the data frames since the last message */
  GByteArray    *msg_raw;
  guint          msg_n;
  gboolean       msg_dropped;
  guint64        msg_total;     /* wire bytes of the message's frames */
  guint64        msg_lacking;   /* of those, in frames reported without their bytes */
  gboolean       stop;          /* stop mode */
  RefFrame       cut_frame;     /* the frame whose header is whole but not its payload */
  gboolean       has_cut_frame;
  RefFrame       last;          /* the last frame reported */
} Run;

static void
reference_walk (const guint8 *s,
                gsize         len,
                GArray       *out,
                RefFrame     *cut,
                gboolean     *has_cut)
{
  gsize at = 0;

  g_array_set_size (out, 0);
  *has_cut = FALSE;
  while (len - at >= 2)
    {
      RefFrame f;
      guint8 len7 = s[at + 1] & 0x7F;
      gsize h = 2;

      f.offset = at;
      if (len7 == 126)
        h += 2;
      else if (len7 == 127)
        h += 8;
      if (s[at + 1] & 0x80)
        h += 4;
      if (len - at < h)
        break;
      if (len7 < 126)
        {
          f.length = len7;
        }
      else
        {
          f.length = 0;
          for (gsize i = 2; i < (len7 == 126 ? 4u : 10u); i++)
            f.length = f.length << 8 | s[at + i];
        }
      f.header_len = h;
      if (f.length > len - at - h)
        {
          *cut = f;
          *has_cut = TRUE;
          break;
        }
      g_array_append_val (out, f);
      at += h + f.length;
    }
}

static void
put_bytes (GString      *out,
           const guint8 *bytes,
           gsize         len)
{
  g_string_append_printf (out, "%" G_GSIZE_FORMAT ":", len);
  if (bytes != NULL)
    g_string_append_len (out, (const char *) bytes, len);
  else
    g_string_append (out, "(null)");
}

static void
put_frame (GString            *out,
           const char         *kind,
           const SondeWsFrame *f)
{
  g_string_append_printf (out, "%s%d,%u,%u,%d,%02x%02x%02x%02x,%u,%" G_GUINT64_FORMAT ",%"
                          G_GSIZE_FORMAT ",%x;", kind, f->fin, f->rsv, f->opcode, f->masked,
                          f->mask[0], f->mask[1], f->mask[2], f->mask[3], f->length_bits,
                          f->length, f->header_len, f->violations);
  put_bytes (out, f->raw, f->raw_len);
  put_bytes (out, f->payload, f->payload != NULL ? f->length : 0);
  if (f->has_close_code)
    {
      g_string_append_printf (out, "C%u", f->close_code);
      put_bytes (out, (const guint8 *) f->close_reason, f->close_reason_len);
    }
}

/* UTF-8, where NUL counts as a character like any other. */
static gboolean
utf8_ok (const guint8 *s,
         gsize         len)
{
  while (len > 0)
    {
      const guint8 *nul = memchr (s, '\0', len);
      gsize run = nul != NULL ? (gsize) (nul - s) : len;

      if (!g_utf8_validate_len ((const char *) s, run, NULL))
        return FALSE;
      if (nul == NULL)
        break;
      s += run + 1;
      len -= run + 1;
    }
  return TRUE;
}

typedef struct
{
  const SondeWsFrame *expected;
  guint               seen;
} OneFrame;

static gboolean
walk_one (const SondeWsFrame *frame,
          gpointer            user_data)
{
  OneFrame *one = user_data;
  const SondeWsFrame *e = one->expected;

  one->seen++;
  CHECK (frame->fin == e->fin && frame->rsv == e->rsv && frame->opcode == e->opcode);
  CHECK (frame->masked == e->masked && memcmp (frame->mask, e->mask, 4) == 0);
  CHECK (frame->length_bits == e->length_bits && frame->length == e->length);
  CHECK (frame->header_len == e->header_len);
  CHECK (memcmp (frame->payload, e->payload, frame->length) == 0);
  CHECK (frame->has_close_code == e->has_close_code && frame->close_code == e->close_code);
  CHECK (frame->close_reason_len == e->close_reason_len);
  /* What a frame shows by itself, the walk finds too. */
  CHECK ((frame->violations & INTRINSIC) == (e->violations & INTRINSIC));
  if (frame->opcode == SONDE_WS_OPCODE_CLOSE)
    CHECK ((frame->violations & V_UTF8) == (e->violations & V_UTF8));
  return TRUE;
}

static void
on_frame (gpointer            user_data,
          const SondeWsFrame *frame)
{
  Run *run = user_data;
  const RefFrame *ref;

  if (run->next_ref == run->ref->len && run->stop && frame->raw == NULL && run->has_cut_frame)
    {
      /* Stop mode reports the frame it stops at by its header. */
      ref = &run->cut_frame;
    }
  else
    {
      CHECK (run->next_ref < run->ref->len);
      ref = &g_array_index (run->ref, RefFrame, run->next_ref);
      run->next_ref++;
    }
  run->last = *ref;
  CHECK (frame->header_len == ref->header_len);
  CHECK (frame->length == ref->length);
  CHECK (frame->length_bits == 7 || frame->length_bits == 16 || frame->length_bits == 64);

  if (frame->raw == NULL)
    {
      CHECK (frame->raw_len == 0 && frame->payload == NULL);
      CHECK (frame->violations & V_TOO_LARGE);
    }
  else
    {
      OneFrame one = { frame, 0 };
      guint8 *payload;
      gsize payload_len;

      CHECK (frame->raw_len == frame->header_len + frame->length);
      CHECK (memcmp (frame->raw, run->stream + ref->offset, frame->raw_len) == 0);
      CHECK (frame->payload != NULL);
      CHECK (sonde_ws_frames_foreach (frame->raw, frame->raw_len, run->sender, walk_one, &one));
      CHECK (one.seen == 1);
      payload = sonde_ws_frames_get_payload (frame->raw, frame->raw_len, &payload_len);
      CHECK (payload != NULL && payload_len == frame->length);
      CHECK (memcmp (payload, frame->payload, payload_len) == 0);
      g_free (payload);
      if (frame->has_close_code)
        CHECK (frame->opcode == SONDE_WS_OPCODE_CLOSE && frame->length >= 2);
    }

  if (frame->opcode < 3)
    {
      /* Counted as the dissector does, saturating at 2^64 - 1. */
      guint64 size = MIN (frame->length, G_MAXUINT64 - frame->header_len - run->msg_total) +
                     frame->header_len;

      run->msg_n++;
      run->msg_total += size;
      if (frame->raw == NULL)
        {
          run->msg_dropped = TRUE;
          run->msg_lacking += MIN (frame->length, G_MAXUINT64 - frame->header_len - run->msg_lacking) +
                              frame->header_len;
        }
      else
        g_byte_array_append (run->msg_raw, frame->raw, frame->raw_len);
    }

  put_frame (run->full, "F", frame);
}

static void
on_control (gpointer            user_data,
            const SondeWsFrame *frame)
{
  Run *run = user_data;

  CHECK (frame->opcode >= 3);
  put_frame (run->full, "K", frame);
}

typedef struct
{
  guint n;
  guint fins;
  gboolean last_fin;
} Count;

static gboolean
count_frame (const SondeWsFrame *frame,
             gpointer            user_data)
{
  Count *count = user_data;

  count->n++;
  count->fins += frame->fin;
  count->last_fin = frame->fin;
  return TRUE;
}

static void
on_message (gpointer              user_data,
            const SondeWsMessage *m)
{
  Run *run = user_data;
  gboolean data_kept = !(m->violations & (V_TOO_LARGE | V_BAD_DEFLATE));

  CHECK (m->opcode == SONDE_WS_OPCODE_TEXT || m->opcode == SONDE_WS_OPCODE_BINARY);
  CHECK (m->data != NULL);
  CHECK (m->n_frames == run->msg_n);
  if (!data_kept)
    CHECK (m->data_len == 0);

  if (m->raw == NULL)
    {
      CHECK (m->raw_len == 0);
      CHECK (run->msg_dropped || (run->stop && run->msg_raw->len == 0));
      CHECK (m->violations & V_TOO_LARGE);
      CHECK (m->discarded == run->msg_total);
    }
  else
    {
      Count count = { 0, 0, FALSE };

      /* Stop mode keeps the whole frames before the one past the limit. */
      CHECK (!run->msg_dropped || run->stop);
      CHECK (m->discarded == run->msg_lacking);
      CHECK (m->raw_len == run->msg_raw->len && memcmp (m->raw, run->msg_raw->data, m->raw_len) == 0);
      CHECK (sonde_ws_frames_foreach (m->raw, m->raw_len, run->sender, count_frame, &count));
      if (run->stop && (m->violations & V_TOO_LARGE))
        CHECK (count.n <= m->n_frames && count.fins <= 1);
      else
        CHECK (count.n == m->n_frames && count.fins == 1 && count.last_fin);
      if (!m->compressed && data_kept)
        {
          gsize len;
          guint8 *payload = sonde_ws_frames_get_payload (m->raw, m->raw_len, &len);

          CHECK (payload != NULL && len == m->data_len && memcmp (payload, m->data, len) == 0);
          g_free (payload);
        }
    }

  /* The UTF-8 verdict is GLib's. */
  if (m->opcode == SONDE_WS_OPCODE_TEXT && data_kept)
    CHECK (utf8_ok (m->data, m->data_len) == !(m->violations & V_UTF8));

  g_string_append_printf (run->full, "M%u,%d,%u,%x,%" G_GUINT64_FORMAT ";", m->opcode,
                          m->compressed, m->n_frames, m->violations, m->discarded);
  put_bytes (run->full, m->data, m->data_len);
  put_bytes (run->full, m->raw, m->raw_len);

  run->msg_n = 0;
  run->msg_dropped = FALSE;
  run->msg_total = 0;
  run->msg_lacking = 0;
  g_byte_array_set_size (run->msg_raw, 0);
}

static const SondeWsCallbacks callbacks = {
  .frame = on_frame,
  .message = on_message,
  .control = on_control,
};

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

/* Feeds @stream (a part after a reset) in pieces. */
static void
feed_part (Run              *run,
           SondeWsDissector *d,
           const guint8     *stream,
           gsize             len,
           CutMode           mode,
           guint32           seed)
{
  gsize at = 0;
  gsize passed = 0;

  run->stream = stream;
  reference_walk (stream, len, run->ref, &run->cut_frame, &run->has_cut_frame);
  run->next_ref = 0;
  run->msg_n = 0;
  run->msg_dropped = FALSE;
  run->msg_total = 0;
  run->msg_lacking = 0;
  g_byte_array_set_size (run->msg_raw, 0);

  while (at < len)
    {
      gsize piece;
      const guint8 *pending;
      gsize pending_len;
      gboolean boundary;

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

      passed += sonde_ws_dissector_feed (d, stream + at, piece);
      at += piece;

      if (sonde_ws_dissector_is_stopped (d))
        {
          /* Everything before the frame it stopped at passed, never that frame whole. */
          CHECK (run->stop);
          CHECK (passed >= run->last.offset);
          CHECK (passed - run->last.offset < run->last.header_len ||
                 passed - run->last.offset - run->last.header_len < run->last.length);
          CHECK (sonde_ws_dissector_feed (d, stream + at, len - at) == 0);
          CHECK (!sonde_ws_dissector_is_between_frames (d));
          g_string_append_printf (run->full, "S%" G_GSIZE_FORMAT ";", run->last.offset);
          return;
        }
      CHECK (passed == at);

      /* Between frames exactly where the walk says a frame ends. */
      boundary = FALSE;
      for (guint i = 0; i < run->ref->len && !boundary; i++)
        {
          const RefFrame *f = &g_array_index (run->ref, RefFrame, i);

          boundary = f->offset + f->header_len + f->length == at;
        }
      CHECK (sonde_ws_dissector_is_between_frames (d) == boundary);

      pending_len = sonde_ws_dissector_get_pending (d, &pending);
      CHECK (pending_len <= at);
      if (sonde_ws_dissector_is_between_frames (d) && !run->msg_dropped)
        CHECK (pending_len == run->msg_raw->len &&
               (pending_len == 0 || memcmp (pending, run->msg_raw->data, pending_len) == 0));
    }

  /* Every whole frame was reported. */
  CHECK (run->next_ref == run->ref->len);
}

static GString *
run_dissector (const guint8 *stream,
               gsize         len,
               guint8        settings,
               gboolean      stop,
               CutMode       mode,
               guint32       seed)
{
  SondeWsSender sender = settings & 1 ? SONDE_WS_FROM_CLIENT : SONDE_WS_FROM_SERVER;
  guint limit = (settings >> 4) & 7;
  Run run = { 0 };
  SondeWsDissector *d;
  SondeWsFrame partial;
  guint64 received;
  gsize half = settings & 0x80 ? len / 2 : len;
  const guint8 *pending;

  run.sender = sender;
  run.stop = stop;
  run.ref = g_array_new (FALSE, FALSE, sizeof (RefFrame));
  run.full = g_string_new (NULL);
  run.msg_raw = g_byte_array_new ();

  d = sonde_ws_dissector_new (sender, &callbacks, &run);
  if (settings & 2)
    sonde_ws_dissector_set_deflate (d, TRUE, (settings & 4) != 0, settings & 8 ? 8 : 15);
  if (limit > 0)
    sonde_ws_dissector_set_max_size (d, (gsize) 1 << (2 * limit));
  sonde_ws_dissector_set_stop_at_limit (d, stop);

  feed_part (&run, d, stream, half, mode, seed);
  if (half < len)
    {
      g_string_append (run.full, "|reset|");
      sonde_ws_dissector_reset (d);
      CHECK (sonde_ws_dissector_is_between_frames (d));
      CHECK (sonde_ws_dissector_get_pending (d, &pending) == 0);
      feed_part (&run, d, stream + half, len - half, mode, seed ^ 0x5bd1e995u);
    }

  /* Where the stream stopped is the same however it was cut. */
  if (sonde_ws_dissector_get_partial_frame (d, &partial, &received))
    {
      g_string_append_printf (run.full, "P%" G_GUINT64_FORMAT ",%x;", received, partial.violations);
      put_bytes (run.full, partial.raw, partial.raw_len);
    }
  g_string_append_printf (run.full, "B%d;", sonde_ws_dissector_is_between_frames (d));
  {
    gsize pending_len = sonde_ws_dissector_get_pending (d, &pending);

    put_bytes (run.full, pending, pending_len);
  }

  sonde_ws_dissector_free (d);
  g_array_unref (run.ref);
  g_byte_array_unref (run.msg_raw);
  return run.full;
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  static const CutMode modes[] = { CUT_BYTES, CUT_SMALL, CUT_LARGE, CUT_HALVES };
  const guint8 *stream;
  gsize len;
  guint8 settings;
  guint32 seed;
  gboolean stop;
  GString *whole;

  if (size < 2)
    return 0;

  settings = input[0];
  stop = (input[1] & 0x80) != 0;
  seed = input[1] | (guint32) size << 8;
  stream = input + 2;
  len = size - 2;

  whole = run_dissector (stream, len, settings, stop, CUT_WHOLE, seed);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      GString *cut;

      if (modes[i] == CUT_BYTES && len > 4096)
        continue;
      cut = run_dissector (stream, len, settings, stop, modes[i], seed);
      if (!g_string_equal (whole, cut) && g_getenv ("FUZZ_WS_DUMP") != NULL)
        {
          g_file_set_contents ("/tmp/fuzz-ws-whole", whole->str, whole->len, NULL);
          g_file_set_contents ("/tmp/fuzz-ws-cut", cut->str, cut->len, NULL);
        }
      if (!g_string_equal (whole, cut))
        FAIL ("callbacks differ between the whole stream and cut mode %d", modes[i]);
      g_string_free (cut, TRUE);
    }

  g_string_free (whole, TRUE);
  return 0;
}

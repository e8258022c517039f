/* test-ws-dissector.c: the WebSocket frame dissector on hand-built frames, fed whole and in every split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "sonde-ws-dissector.h"

/* Each case is built frame by frame: the builder writes the bytes on the
 * wire and, next to them, the transcript the dissector must produce (one line
 * per callback). The dissector's own transcript is then compared with it for
 * the bytes fed whole, in two at every offset, byte by byte and in random
 * pieces. Bytes that are not printable ASCII are written \xHH. */

#define TEXT SONDE_WS_OPCODE_TEXT
#define BINARY SONDE_WS_OPCODE_BINARY
#define CONT SONDE_WS_OPCODE_CONTINUATION
#define CLOSE SONDE_WS_OPCODE_CLOSE
#define PING SONDE_WS_OPCODE_PING
#define PONG SONDE_WS_OPCODE_PONG

#define V_RESERVED_OPCODE SONDE_WS_VIOLATION_RESERVED_OPCODE
#define V_RSV SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION
#define V_CONTROL_TOO_LONG SONDE_WS_VIOLATION_CONTROL_TOO_LONG
#define V_CONTROL_FRAGMENTED SONDE_WS_VIOLATION_CONTROL_FRAGMENTED
#define V_ORPHAN SONDE_WS_VIOLATION_ORPHAN_CONTINUATION
#define V_DATA_INSIDE SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE
#define V_NON_MINIMAL SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH
#define V_TOP_BIT SONDE_WS_VIOLATION_LENGTH_TOP_BIT
#define V_NOT_MASKED SONDE_WS_VIOLATION_CLIENT_NOT_MASKED
#define V_MASKED SONDE_WS_VIOLATION_SERVER_MASKED
#define V_CLOSE_ONE_BYTE SONDE_WS_VIOLATION_CLOSE_ONE_BYTE
#define V_CLOSE_CODE SONDE_WS_VIOLATION_CLOSE_CODE
#define V_UTF8 SONDE_WS_VIOLATION_INVALID_UTF8
#define V_TOO_LARGE SONDE_WS_VIOLATION_TOO_LARGE
#define V_BAD_DEFLATE SONDE_WS_VIOLATION_BAD_DEFLATE

#define LIT(field, s) .field = (const guint8 *) (s), .field##_len = sizeof (s) - 1

static const guint8 default_key[4] = { 0x37, 0xFA, 0x21, 0x3D };

/* Transcripts */

static void
append_escaped (GString      *out,
                const guint8 *s,
                gsize         len)
{
  if (s == NULL)
    {
      g_string_append (out, "(none)");
      return;
    }
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = s[i];

      if (c == '\\' || c == '"')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c >= 0x20 && c < 0x7F)
        {
          g_string_append_c (out, c);
        }
      else
        {
          g_string_append (out, "\\x");
          g_string_append_c (out, "0123456789ABCDEF"[c >> 4]);
          g_string_append_c (out, "0123456789ABCDEF"[c & 15]);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_hex (GString      *out,
            const guint8 *s,
            gsize         len)
{
  if (s == NULL)
    {
      g_string_append_printf (out, "(none/%" G_GSIZE_FORMAT ")", len);
      return;
    }
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, "0123456789abcdef"[s[i] >> 4]);
      g_string_append_c (out, "0123456789abcdef"[s[i] & 15]);
    }
}

static void
describe_frame (GString            *out,
                const char         *kind,
                const SondeWsFrame *f)
{
  g_string_append_printf (out, "%s fin=%d rsv=%u op=%X masked=%d mask=%02x%02x%02x%02x bits=%u "
                          "len=%" G_GUINT64_FORMAT " hlen=%" G_GSIZE_FORMAT " raw=",
                          kind, f->fin ? 1 : 0, f->rsv, f->opcode, f->masked ? 1 : 0,
                          f->mask[0], f->mask[1], f->mask[2], f->mask[3], f->length_bits,
                          f->length, f->header_len);
  append_hex (out, f->raw, f->raw_len);
  g_string_append (out, " payload=");
  append_escaped (out, f->payload, f->payload != NULL ? f->length : 0);
  if (f->has_close_code)
    {
      g_string_append_printf (out, " close=%u reason=", f->close_code);
      append_escaped (out, (const guint8 *) f->close_reason, f->close_reason_len);
    }
  g_string_append_printf (out, " v=0x%x\n", f->violations);
}

static void
describe_message (GString              *out,
                  const SondeWsMessage *m)
{
  g_string_append_printf (out, "message op=%X compressed=%d frames=%u data=",
                          m->opcode, m->compressed ? 1 : 0, m->n_frames);
  append_escaped (out, m->data, m->data_len);
  g_string_append (out, " raw=");
  append_hex (out, m->raw, m->raw_len);
  g_string_append_printf (out, " discarded=%" G_GUINT64_FORMAT " v=0x%x\n",
                          m->discarded, m->violations);
}

/* The builder */

typedef struct
{
  gsize    start;
  gsize    end;
  gsize    msg_end;     /* where the message it belongs to ends; its own end if none */
  gboolean data;
  gboolean skipped;
} FrameRec;

typedef struct
{
  SondeWsSender  sender;
  gsize          max_size;        /* 0: the default */
  gboolean       deflate;
  gboolean       no_context_takeover;
  int            window_bits;
  gboolean       check_pending;   /* off where bytes past the limit are not kept */
  gboolean       stop_at_limit;
  gsize          stop_start;      /* stop mode: the frame it stops at, */
  gsize          stop_end;        /* where it starts and ends */
  GByteArray    *input;
  GString       *expect;
  GArray        *frames;          /* FrameRec */
  GArray        *open;            /* indexes of the frames of the message being built */
} Case;

typedef struct
{
  gboolean      nofin;
  guint8        rsv;
  guint8        opcode;
  gboolean      flip_mask;        /* mask a server frame, or not a client frame */
  const guint8 *key;              /* NULL: default_key */
  guint         length_bits;      /* 0: the shortest form */
  const guint8 *payload;
  gsize         payload_len;
  guint32       violations;       /* expected on the frame */
  gboolean      skipped;          /* expected without its bytes (past the limit) */
  gboolean      unread;           /* after the frame a stopped dissector stopped at */
} FrameSpec;

static Case *
case_new (SondeWsSender sender)
{
  Case *c = g_new0 (Case, 1);

  c->sender = sender;
  c->check_pending = TRUE;
  c->input = g_byte_array_new ();
  c->expect = g_string_new (NULL);
  c->frames = g_array_new (FALSE, FALSE, sizeof (FrameRec));
  c->open = g_array_new (FALSE, FALSE, sizeof (guint));
  return c;
}

static void
case_free (Case *c)
{
  g_byte_array_unref (c->input);
  g_string_free (c->expect, TRUE);
  g_array_unref (c->frames);
  g_array_unref (c->open);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Case, case_free)

/* Writes a frame's header for @length in the form @bits (0: shortest). */
static gsize
put_header (GByteArray   *out,
            guint8        first,
            gboolean      masked,
            const guint8 *key,
            guint64       length,
            guint         bits)
{
  guint8 h[14];
  gsize n = 2;

  if (bits == 0)
    bits = length < 126 ? 7 : length < 65536 ? 16 : 64;

  h[0] = first;
  h[1] = masked ? 0x80 : 0;
  if (bits == 7)
    {
      h[1] |= (guint8) length;
    }
  else if (bits == 16)
    {
      h[1] |= 126;
      h[2] = (guint8) (length >> 8);
      h[3] = (guint8) length;
      n = 4;
    }
  else
    {
      h[1] |= 127;
      for (guint i = 0; i < 8; i++)
        h[2 + i] = (guint8) (length >> (56 - 8 * i));
      n = 10;
    }
  if (masked)
    {
      memcpy (h + n, key, 4);
      n += 4;
    }
  g_byte_array_append (out, h, n);
  return n;
}

/* Appends one frame to the case and the frame (and control) line it must
 * give. Data frames are remembered for the message that ends them. */
static void
add_frame (Case            *c,
           const FrameSpec *spec)
{
  gboolean masked = (c->sender == SONDE_WS_FROM_CLIENT) != spec->flip_mask;
  const guint8 *key = spec->key != NULL ? spec->key : default_key;
  guint8 first = (spec->nofin ? 0 : 0x80) | (guint8) (spec->rsv << 4) | spec->opcode;
  SondeWsFrame f = { 0 };
  FrameRec rec;
  gsize start = c->input->len;
  gsize hlen;

  hlen = put_header (c->input, first, masked, key, spec->payload_len, spec->length_bits);
  for (gsize i = 0; i < spec->payload_len; i++)
    {
      guint8 b = spec->payload[i] ^ (masked ? key[i & 3] : 0);

      g_byte_array_append (c->input, &b, 1);
    }

  f.fin = !spec->nofin;
  f.rsv = spec->rsv;
  f.opcode = spec->opcode;
  f.masked = masked;
  if (masked)
    memcpy (f.mask, key, 4);
  f.length_bits = spec->length_bits != 0 ? spec->length_bits :
                  spec->payload_len < 126 ? 7 : spec->payload_len < 65536 ? 16 : 64;
  f.length = spec->payload_len;
  f.header_len = hlen;
  if (!spec->skipped)
    {
      f.raw = c->input->data + start;
      f.raw_len = c->input->len - start;
      f.payload = spec->payload != NULL ? spec->payload : (const guint8 *) "";
      if (spec->opcode == CLOSE && spec->payload_len >= 2)
        {
          f.has_close_code = TRUE;
          f.close_code = (guint16) (spec->payload[0] << 8 | spec->payload[1]);
          f.close_reason = (const char *) spec->payload + 2;
          f.close_reason_len = spec->payload_len - 2;
        }
    }
  f.violations = spec->violations;

  rec.start = start;
  rec.end = c->input->len;
  rec.msg_end = spec->opcode >= 3 ? rec.end : G_MAXSIZE;
  rec.data = spec->opcode < 3;
  rec.skipped = spec->skipped;
  g_array_append_val (c->frames, rec);
  if (spec->unread)
    return;

  describe_frame (c->expect, "frame", &f);
  if (spec->opcode >= 3)
    describe_frame (c->expect, "control", &f);
  if (rec.data)
    {
      guint index = c->frames->len - 1;

      g_array_append_val (c->open, index);
    }
}

#define FRAME(c, ...) add_frame ((c), &(FrameSpec) { __VA_ARGS__ })

typedef struct
{
  guint8        opcode;
  gboolean      compressed;
  const guint8 *data;
  gsize         data_len;
  guint32       violations;
  gboolean      no_raw;     /* its frames were past the limit */
} MessageSpec;

/* The data frames since the last message make a message. */
static void
add_message (Case              *c,
             const MessageSpec *spec)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  SondeWsMessage m = { 0 };
  guint64 discarded = 0;
  gsize end;

  g_assert_cmpuint (c->open->len, >, 0);
  end = g_array_index (c->frames, FrameRec, g_array_index (c->open, guint, c->open->len - 1)).end;
  for (guint i = 0; i < c->open->len; i++)
    {
      FrameRec *rec = &g_array_index (c->frames, FrameRec, g_array_index (c->open, guint, i));

      /* What raw does not hold is counted instead. */
      if (spec->no_raw || rec->skipped)
        discarded += rec->end - rec->start;
      else
        g_byte_array_append (raw, c->input->data + rec->start, rec->end - rec->start);
      rec->msg_end = end;
    }

  m.opcode = spec->opcode;
  m.compressed = spec->compressed;
  m.data = spec->data != NULL ? spec->data : (const guint8 *) "";
  m.data_len = spec->data_len;
  m.raw = spec->no_raw || raw->len == 0 ? NULL : raw->data;
  m.raw_len = spec->no_raw ? 0 : raw->len;
  m.discarded = discarded;
  m.n_frames = c->open->len;
  m.violations = spec->violations;
  describe_message (c->expect, &m);
  g_array_set_size (c->open, 0);
}

#define MESSAGE(c, ...) add_message ((c), &(MessageSpec) { __VA_ARGS__ })

/* Running a case */

typedef struct
{
  GString       *transcript;
  SondeWsSender  sender;
  gboolean       deflate;
} Run;

typedef struct
{
  const SondeWsFrame *expected;
  guint               seen;
} WalkCheck;

static gboolean
walk_one (const SondeWsFrame *frame,
          gpointer            user_data)
{
  WalkCheck *check = user_data;
  const SondeWsFrame *e = check->expected;

  check->seen++;
  g_assert_cmpint (frame->fin, ==, e->fin);
  g_assert_cmpuint (frame->rsv, ==, e->rsv);
  g_assert_cmpuint (frame->opcode, ==, e->opcode);
  g_assert_cmpint (frame->masked, ==, e->masked);
  g_assert_cmpmem (frame->mask, 4, e->mask, 4);
  g_assert_cmpuint (frame->length_bits, ==, e->length_bits);
  g_assert_cmpuint (frame->length, ==, e->length);
  g_assert_cmpuint (frame->header_len, ==, e->header_len);
  g_assert_cmpmem (frame->raw, frame->raw_len, e->raw, e->raw_len);
  g_assert_cmpmem (frame->payload, frame->length, e->payload, e->length);
  g_assert_cmpint (frame->has_close_code, ==, e->has_close_code);
  g_assert_cmpuint (frame->close_code, ==, e->close_code);
  /* What a frame shows by itself is found again; the rest needs the stream. */
  g_assert_cmpuint (frame->violations & ~(V_RSV | V_ORPHAN | V_DATA_INSIDE | V_UTF8 | V_TOO_LARGE |
                                          V_BAD_DEFLATE),
                    ==,
                    e->violations & ~(V_RSV | V_ORPHAN | V_DATA_INSIDE | V_UTF8 | V_TOO_LARGE |
                                      V_BAD_DEFLATE));
  return TRUE;
}

static void
check_frame (Run                *run,
             const SondeWsFrame *frame)
{
  WalkCheck check = { frame, 0 };
  g_autofree guint8 *payload = NULL;
  gsize payload_len = 0;

  g_assert_true (frame->length_bits == 7 || frame->length_bits == 16 || frame->length_bits == 64);
  if (frame->raw == NULL)
    {
      g_assert_cmpuint (frame->raw_len, ==, 0);
      g_assert_null (frame->payload);
      g_assert_true (frame->violations & V_TOO_LARGE);
      return;
    }

  g_assert_cmpuint (frame->raw_len, ==, frame->header_len + frame->length);
  g_assert_nonnull (frame->payload);

  /* A stored frame gives the same back. */
  g_assert_true (sonde_ws_frames_foreach (frame->raw, frame->raw_len, run->sender, walk_one, &check));
  g_assert_cmpuint (check.seen, ==, 1);
  payload = sonde_ws_frames_get_payload (frame->raw, frame->raw_len, &payload_len);
  g_assert_cmpmem (payload, payload_len, frame->payload, frame->length);
  g_assert_cmpint (payload[payload_len], ==, 0);
}

static void
on_frame (gpointer            user_data,
          const SondeWsFrame *frame)
{
  Run *run = user_data;

  check_frame (run, frame);
  describe_frame (run->transcript, "frame", frame);
}

static void
on_control (gpointer            user_data,
            const SondeWsFrame *frame)
{
  Run *run = user_data;

  g_assert_cmpuint (frame->opcode, >=, 3);
  describe_frame (run->transcript, "control", frame);
}

typedef struct
{
  guint n;
  guint fin_seen;
} CountCheck;

static gboolean
count_frames (const SondeWsFrame *frame,
              gpointer            user_data)
{
  CountCheck *count = user_data;

  count->n++;
  g_assert_cmpuint (frame->opcode, <, 3);
  if (frame->fin)
    count->fin_seen++;
  return TRUE;
}

static void
on_message (gpointer              user_data,
            const SondeWsMessage *message)
{
  Run *run = user_data;

  g_assert_nonnull (message->data);
  g_assert_true (message->opcode == TEXT || message->opcode == BINARY);
  if (message->raw != NULL)
    {
      CountCheck count = { 0, 0 };
      g_autofree guint8 *payload = NULL;
      gsize payload_len = 0;

      g_assert_true (sonde_ws_frames_foreach (message->raw, message->raw_len, run->sender,
                                              count_frames, &count));
      /* Cut off at the limit (stop mode), a message holds the frames before
       * the one that went past it, or ends in one without FIN. */
      if (message->discarded == 0)
        g_assert_cmpuint (count.n, ==, message->n_frames);
      else
        g_assert_cmpuint (count.n, <, message->n_frames);
      if (message->violations & V_TOO_LARGE)
        g_assert_cmpuint (count.fin_seen, <=, 1);
      else
        g_assert_cmpuint (count.fin_seen, ==, 1);
      payload = sonde_ws_frames_get_payload (message->raw, message->raw_len, &payload_len);
      g_assert_nonnull (payload);
      if (!message->compressed && !(message->violations & V_TOO_LARGE))
        g_assert_cmpmem (payload, payload_len, message->data, message->data_len);
    }
  else
    {
      g_assert_true (message->violations & V_TOO_LARGE);
    }
  describe_message (run->transcript, message);
}

static const SondeWsCallbacks recording_callbacks = {
  .frame = on_frame,
  .message = on_message,
  .control = on_control,
};

/* After @fed bytes: between frames exactly at a frame's end, and the pending
 * bytes are the open message's whole frames, then the partial frame's. */
static void
check_position (const Case       *c,
                SondeWsDissector *d,
                gsize             fed)
{
  gboolean boundary = fed == 0;
  const FrameRec *partial = NULL;
  const guint8 *pending = NULL;
  gsize pending_len;
  gsize at = 0;

  for (guint i = 0; i < c->frames->len; i++)
    {
      const FrameRec *rec = &g_array_index (c->frames, FrameRec, i);

      if (rec->end == fed)
        boundary = TRUE;
      if (rec->start < fed && fed < rec->end)
        partial = rec;
    }
  g_assert_cmpint (sonde_ws_dissector_is_between_frames (d), ==, boundary);

  if (!c->check_pending)
    return;

  /* Compared piece by piece where they lie: no copies, long cases are fed
   * byte by byte. */
  pending_len = sonde_ws_dissector_get_pending (d, &pending);
  for (guint i = 0; i < c->frames->len; i++)
    {
      const FrameRec *rec = &g_array_index (c->frames, FrameRec, i);
      gsize n = rec->end - rec->start;

      if (!(rec->data && rec->end <= fed && fed < rec->msg_end))
        continue;
      g_assert_cmpuint (pending_len - at, >=, n);
      g_assert_true (memcmp (pending + at, c->input->data + rec->start, n) == 0);
      at += n;
    }
  if (partial != NULL)
    {
      gsize n = fed - partial->start;

      g_assert_cmpuint (pending_len - at, >=, n);
      g_assert_true (memcmp (pending + at, c->input->data + partial->start, n) == 0);
      at += n;
    }
  g_assert_cmpuint (pending_len, ==, at);
}

static SondeWsDissector *
case_dissector (const Case             *c,
                const SondeWsCallbacks *callbacks,
                gpointer                user_data)
{
  SondeWsDissector *d = sonde_ws_dissector_new (c->sender, callbacks, user_data);

  if (c->max_size > 0)
    sonde_ws_dissector_set_max_size (d, c->max_size);
  if (c->deflate)
    sonde_ws_dissector_set_deflate (d, TRUE, c->no_context_takeover, c->window_bits);
  sonde_ws_dissector_set_stop_at_limit (d, c->stop_at_limit);
  return d;
}

/* Feeds the case in pieces that end at each of @cuts (ascending), then the rest. */
static char *
run_case (const Case  *c,
          const gsize *cuts,
          guint        n_cuts)
{
  Run run = { g_string_new (NULL), c->sender, c->deflate };
  g_autoptr(SondeWsDissector) d = case_dissector (c, &recording_callbacks, &run);
  gsize done = 0;
  gsize passed = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize upto = i < n_cuts ? MIN (cuts[i], c->input->len) : c->input->len;
      gsize n;

      if (upto < done)
        continue;
      n = sonde_ws_dissector_feed (d, c->input->data + done, upto - done);
      g_assert_cmpuint (n, <=, upto - done);
      passed += n;
      if (n < upto - done || sonde_ws_dissector_is_stopped (d))
        {
          /* Stopped: what passed reaches the frame it stopped at, but never
           * its end, and nothing more is read. */
          g_assert_true (c->stop_at_limit);
          g_assert_true (sonde_ws_dissector_is_stopped (d));
          g_assert_cmpuint (passed, >=, c->stop_start);
          g_assert_cmpuint (passed, <, c->stop_end);
          g_assert_cmpuint (sonde_ws_dissector_feed (d, c->input->data + upto,
                                                     c->input->len - upto), ==, 0);
          g_assert_false (sonde_ws_dissector_is_between_frames (d));
          break;
        }
      done = upto;
      check_position (c, d, done);
    }
  g_assert_cmpint (sonde_ws_dissector_is_stopped (d), ==, c->stop_at_limit);

  return g_string_free (run.transcript, FALSE);
}

static void
assert_run (const Case  *c,
            const gsize *cuts,
            guint        n_cuts,
            const char  *how)
{
  g_autofree char *got = run_case (c, cuts, n_cuts);

  if (g_strcmp0 (got, c->expect->str) != 0)
    {
      GString *where = g_string_new (how);

      for (guint i = 0; i < MIN (n_cuts, 40); i++)
        g_string_append_printf (where, " %" G_GSIZE_FORMAT, cuts[i]);
      g_test_message ("fed %s", where->str);
      g_string_free (where, TRUE);
    }
  g_assert_cmpstr (got, ==, c->expect->str);
}

/* Every way of cutting the input gives the same transcript. */
static void
check_case (const Case *c)
{
  gsize len = c->input->len;
  g_autofree gsize *cuts = g_new (gsize, len + 1);

  g_assert_cmpuint (c->open->len, ==, 0);

  assert_run (c, NULL, 0, "whole");

  /* In two, at every offset; around frame boundaries only for long inputs. */
  for (gsize i = 1; i < len; i++)
    {
      if (len > 4096)
        {
          gboolean near = FALSE;

          for (guint f = 0; f < c->frames->len && !near; f++)
            {
              const FrameRec *rec = &g_array_index (c->frames, FrameRec, f);

              near = (i >= rec->start && i <= rec->start + 16) || (i + 16 >= rec->end && i <= rec->end);
            }
          if (!near && i % 997 != 0)
            continue;
        }
      assert_run (c, &i, 1, "in two at");
    }

  /* Byte by byte */
  for (gsize i = 0; i < len; i++)
    cuts[i] = i + 1;
  assert_run (c, cuts, len, "byte by byte");

  /* Random pieces, short and long */
  for (guint round = 0; round < 40; round++)
    {
      guint n = 0;
      gsize at = 0;
      gint32 most = round % 2 ? 9 : 300;

      for (;;)
        {
          at += g_test_rand_int_range (1, most);
          if (at >= len)
            break;
          cuts[n++] = at;
        }
      assert_run (c, cuts, n, "randomly");
    }

  /* With no callbacks at all: nothing to crash on. */
  {
    g_autoptr(SondeWsDissector) d = case_dissector (c, NULL, NULL);
    SondeWsCallbacks none = { NULL, NULL, NULL };
    g_autoptr(SondeWsDissector) d2 = case_dissector (c, &none, NULL);

    for (gsize i = 0; i < len; i++)
      sonde_ws_dissector_feed (d, c->input->data + i, 1);
    sonde_ws_dissector_feed (d2, c->input->data, len);
    g_assert_true (sonde_ws_dissector_is_between_frames (d) != c->stop_at_limit);
    g_assert_true (sonde_ws_dissector_is_between_frames (d2) != c->stop_at_limit);
  }
}

/* Helpers for payloads */

static guint8 *
pattern (gsize len,
         guint seed)
{
  guint8 *p = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    p[i] = (guint8) ('a' + (i * 7 + seed) % 26);
  return p;
}

static guint8 *
close_body (guint16     code,
            const char *reason,
            gsize      *len)
{
  gsize reason_len = strlen (reason);
  guint8 *body = g_malloc (2 + reason_len);

  body[0] = (guint8) (code >> 8);
  body[1] = (guint8) code;
  memcpy (body + 2, reason, reason_len);
  *len = 2 + reason_len;
  return body;
}

/* The tests */

static void
test_lengths (void)
{
  static const struct {
    gsize len;
    guint bits;
    gsize server_hlen;
    gsize client_hlen;
  } lengths[] = {
    { 0, 7, 2, 6 },
    { 125, 7, 2, 6 },
    { 126, 16, 4, 8 },
    { 127, 16, 4, 8 },
    { 65535, 16, 4, 8 },
    { 65536, 64, 10, 14 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      for (SondeWsSender sender = SONDE_WS_FROM_CLIENT; sender <= SONDE_WS_FROM_SERVER; sender++)
        {
          g_autoptr(Case) c = case_new (sender);
          g_autofree guint8 *text = pattern (lengths[i].len, i);
          g_autofree guint8 *bin = pattern (lengths[i].len, i + 1);
          gsize hlen = sender == SONDE_WS_FROM_SERVER ? lengths[i].server_hlen : lengths[i].client_hlen;
          const FrameRec *rec;
          g_autofree char *fields = NULL;

          g_test_message ("%" G_GSIZE_FORMAT " bytes from the %s", lengths[i].len,
                          sender == SONDE_WS_FROM_SERVER ? "server" : "client");
          FRAME (c, .opcode = TEXT, .payload = text, .payload_len = lengths[i].len);
          MESSAGE (c, .opcode = TEXT, .data = text, .data_len = lengths[i].len);
          FRAME (c, .opcode = BINARY, .payload = bin, .payload_len = lengths[i].len);
          MESSAGE (c, .opcode = BINARY, .data = bin, .data_len = lengths[i].len);

          /* The builder wrote what the table says... */
          rec = &g_array_index (c->frames, FrameRec, 0);
          g_assert_cmpuint (rec->end - rec->start, ==, hlen + lengths[i].len);
          /* ... and the dissector reads it. */
          fields = g_strdup_printf (" bits=%u len=%" G_GSIZE_FORMAT " hlen=%" G_GSIZE_FORMAT " ",
                                    lengths[i].bits, lengths[i].len, hlen);
          g_assert_nonnull (strstr (c->expect->str, fields));
          check_case (c);
        }
    }
}

/* The order of callbacks, and the lines of the first frame and the message
 * spelled out by hand. */
static void
test_fragmented_utf8_with_ping (void)
{
  g_autoptr(Case) c = case_new (SONDE_WS_FROM_SERVER);
  g_auto(GStrv) lines = NULL;
  GString *kinds = g_string_new (NULL);

  FRAME (c, .nofin = TRUE, .opcode = TEXT, LIT (payload, "caf\xC3"));
  FRAME (c, .opcode = PING, LIT (payload, "are you there"));
  FRAME (c, .opcode = CONT, LIT (payload, "\xA9 au lait"));
  MESSAGE (c, .opcode = TEXT, LIT (data, "caf\xC3\xA9 au lait"));
  check_case (c);

  lines = g_strsplit (c->expect->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_string_append_printf (kinds, "%s%.*s", i > 0 ? "," : "",
                              (int) strcspn (lines[i], " "), lines[i]);
    }
  g_assert_cmpstr (kinds->str, ==, "frame,frame,control,frame,message");
  g_string_free (kinds, TRUE);
  g_assert_cmpstr (lines[0], ==,
                   "frame fin=0 rsv=0 op=1 masked=0 mask=00000000 bits=7 len=4 hlen=2 "
                   "raw=0104636166c3 payload=\"caf\\xC3\" v=0x0");
  g_assert_cmpstr (lines[4], ==,
                   "message op=1 compressed=0 frames=2 data=\"caf\\xC3\\xA9 au lait\" "
                   "raw=0104636166c38009a9206175206c616974 discarded=0 v=0x0");

  /* The same from the client, masked */
  {
    g_autoptr(Case) m = case_new (SONDE_WS_FROM_CLIENT);

    FRAME (m, .nofin = TRUE, .opcode = TEXT, LIT (payload, "\xE2\x82"));
    FRAME (m, .opcode = PING, LIT (payload, ""));
    FRAME (m, .nofin = TRUE, .opcode = CONT, LIT (payload, "\xAC"));
    FRAME (m, .opcode = PONG, LIT (payload, "x"));
    FRAME (m, .opcode = CONT, LIT (payload, "5"));
    MESSAGE (m, .opcode = TEXT, LIT (data, "\xE2\x82\xAC" "5"));
    check_case (m);
  }
}

static void
test_close_codes (void)
{
  static const struct {
    guint16 code;
    gboolean ok;
  } codes[] = {
    { 1000, TRUE }, { 1001, TRUE }, { 1002, TRUE }, { 1003, TRUE },
    { 1007, TRUE }, { 1008, TRUE }, { 1009, TRUE }, { 1010, TRUE }, { 1011, TRUE },
    { 1012, TRUE }, { 1013, TRUE }, { 1014, TRUE }, { 3000, TRUE }, { 4999, TRUE },
    { 0, FALSE }, { 999, FALSE }, { 1004, FALSE }, { 1005, FALSE }, { 1006, FALSE },
    { 1015, FALSE }, { 1016, FALSE }, { 2999, FALSE }, { 5000, FALSE }, { 65535, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(Case) c = case_new (i % 2 ? SONDE_WS_FROM_CLIENT : SONDE_WS_FROM_SERVER);
      gsize len;
      g_autofree guint8 *body = close_body (codes[i].code, "bye \xE2\x9C\x93", &len);
      g_autofree char *line = NULL;

      FRAME (c, .opcode = CLOSE, .payload = body, .payload_len = len,
             .violations = codes[i].ok ? 0 : V_CLOSE_CODE);
      check_case (c);
      line = g_strdup_printf (" close=%u reason=\"bye \\xE2\\x9C\\x93\" v=0x%x\n", codes[i].code,
                              codes[i].ok ? 0 : V_CLOSE_CODE);
      g_assert_true (g_str_has_suffix (c->expect->str, line));
    }
}

/* The fields of a close frame, read from the dissector itself. */
static void
keep_frame (gpointer            user_data,
            const SondeWsFrame *frame)
{
  GString *out = user_data;

  g_string_append_printf (out, "%u:%d:%u:%.*s:%" G_GSIZE_FORMAT ":0x%x;", frame->opcode,
                          frame->has_close_code, frame->close_code, (int) frame->close_reason_len,
                          frame->close_reason != NULL ? frame->close_reason : "",
                          frame->close_reason_len, frame->violations);
}

static void
test_close_fields (void)
{
  static const guint8 stream[] = {
    0x88, 0x00,                                  /* no body */
    0x88, 0x02, 0x03, 0xE8,                      /* 1000, no reason */
    0x88, 0x05, 0x0F, 0xA0, 'o', 'k', '!',       /* 4000 "ok!" */
    0x88, 0x01, 0x03,                            /* one byte */
    0x88, 0x03, 0x03, 0xE9, 0xC3,                /* 1001, reason cut in a character */
  };
  SondeWsCallbacks callbacks = { .control = keep_frame };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(SondeWsDissector) d = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &callbacks, out);

  sonde_ws_dissector_feed (d, stream, sizeof stream);
  g_assert_cmpstr (out->str, ==,
                   "8:0:0::0:0x0;"
                   "8:1:1000::0:0x0;"
                   "8:1:4000:ok!:3:0x0;"
                   "8:0:0::0:0x400;"
                   "8:1:1001:\xC3:1:0x1000;");
}

static void
test_violations (void)
{
  static const guint8 other_key[4] = { 0xFF, 0x00, 0x80, 0x01 };
  g_autofree guint8 *long_ping = pattern (126, 3);
  g_autofree guint8 *close_1005 = NULL;
  g_autofree guint8 *close_bad_reason = NULL;
  gsize close_1005_len, close_bad_reason_len;

  close_1005 = close_body (1005, "", &close_1005_len);
  close_bad_reason = close_body (1000, "\xED\xA0\x80", &close_bad_reason_len);

  for (SondeWsSender sender = SONDE_WS_FROM_CLIENT; sender <= SONDE_WS_FROM_SERVER; sender++)
    {
      guint32 wrong_mask = sender == SONDE_WS_FROM_CLIENT ? V_NOT_MASKED : V_MASKED;

      /* Reserved opcodes, data-like and control-like */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .opcode = 0x3, LIT (payload, "x"), .violations = V_RESERVED_OPCODE);
        FRAME (c, .opcode = 0x7, LIT (payload, ""), .violations = V_RESERVED_OPCODE);
        FRAME (c, .opcode = 0xB, LIT (payload, "yz"), .violations = V_RESERVED_OPCODE);
        FRAME (c, .opcode = 0xF, LIT (payload, ""), .violations = V_RESERVED_OPCODE);
        /* ... and between fragments, outside the message */
        FRAME (c, .nofin = TRUE, .opcode = BINARY, LIT (payload, "a"));
        FRAME (c, .opcode = 0x4, LIT (payload, "q"), .violations = V_RESERVED_OPCODE);
        FRAME (c, .opcode = CONT, LIT (payload, "b"));
        MESSAGE (c, .opcode = BINARY, LIT (data, "ab"));
        check_case (c);
      }

      /* RSV bits without an extension */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .rsv = 4, .opcode = TEXT, LIT (payload, "a"), .violations = V_RSV);
        MESSAGE (c, .opcode = TEXT, LIT (data, "a"), .violations = V_RSV);
        FRAME (c, .rsv = 2, .opcode = BINARY, LIT (payload, "b"), .violations = V_RSV);
        MESSAGE (c, .opcode = BINARY, LIT (data, "b"), .violations = V_RSV);
        FRAME (c, .rsv = 1, .opcode = PING, LIT (payload, "c"), .violations = V_RSV);
        FRAME (c, .rsv = 7, .opcode = PONG, LIT (payload, ""), .violations = V_RSV);
        FRAME (c, .nofin = TRUE, .opcode = TEXT, LIT (payload, "d"));
        FRAME (c, .rsv = 1, .opcode = CONT, LIT (payload, "e"), .violations = V_RSV);
        MESSAGE (c, .opcode = TEXT, LIT (data, "de"), .violations = V_RSV);
        check_case (c);
      }

      /* RSV1 with deflate: allowed on a data message's first frame only */
      {
        g_autoptr(Case) c = case_new (sender);

        c->deflate = TRUE;
        FRAME (c, .nofin = TRUE, .opcode = BINARY, LIT (payload, "a"));
        FRAME (c, .rsv = 4, .opcode = CONT, LIT (payload, "b"), .violations = V_RSV);
        MESSAGE (c, .opcode = BINARY, LIT (data, "ab"), .violations = V_RSV);
        FRAME (c, .rsv = 4, .opcode = PING, LIT (payload, ""), .violations = V_RSV);
        FRAME (c, .rsv = 4, .opcode = CLOSE, LIT (payload, ""), .violations = V_RSV);
        FRAME (c, .rsv = 2, .opcode = TEXT, LIT (payload, "c"), .violations = V_RSV);
        MESSAGE (c, .opcode = TEXT, LIT (data, "c"), .violations = V_RSV);
        check_case (c);
      }

      /* Control frames: too long, not final */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .opcode = PING, .payload = long_ping, .payload_len = 126,
               .violations = V_CONTROL_TOO_LONG);
        FRAME (c, .nofin = TRUE, .opcode = PONG, LIT (payload, "p"), .violations = V_CONTROL_FRAGMENTED);
        FRAME (c, .opcode = PING, .payload = long_ping, .payload_len = 125);
        check_case (c);
      }

      /* A continuation with nothing to continue is kept as a binary message. */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .opcode = CONT, LIT (payload, "lost"), .violations = V_ORPHAN);
        MESSAGE (c, .opcode = BINARY, LIT (data, "lost"), .violations = V_ORPHAN);
        FRAME (c, .nofin = TRUE, .opcode = CONT, LIT (payload, "\xFF"), .violations = V_ORPHAN);
        FRAME (c, .opcode = CONT, LIT (payload, "!"));
        MESSAGE (c, .opcode = BINARY, LIT (data, "\xFF!"), .violations = V_ORPHAN);
        check_case (c);
      }

      /* A new data frame inside a fragmented message joins it. */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .nofin = TRUE, .opcode = TEXT, LIT (payload, "one "));
        FRAME (c, .nofin = TRUE, .opcode = BINARY, LIT (payload, "two "), .violations = V_DATA_INSIDE);
        FRAME (c, .opcode = TEXT, LIT (payload, "three"), .violations = V_DATA_INSIDE);
        MESSAGE (c, .opcode = TEXT, LIT (data, "one two three"), .violations = V_DATA_INSIDE);
        FRAME (c, .opcode = TEXT, LIT (payload, "after"));
        MESSAGE (c, .opcode = TEXT, LIT (data, "after"));
        check_case (c);
      }

      /* Lengths not in their shortest form */
      {
        g_autoptr(Case) c = case_new (sender);
        g_autofree guint8 *p300 = pattern (300, 5);

        FRAME (c, .opcode = TEXT, .length_bits = 16, LIT (payload, "hello"), .violations = V_NON_MINIMAL);
        MESSAGE (c, .opcode = TEXT, LIT (data, "hello"), .violations = V_NON_MINIMAL);
        FRAME (c, .opcode = BINARY, .length_bits = 64, .payload = p300, .payload_len = 300,
               .violations = V_NON_MINIMAL);
        MESSAGE (c, .opcode = BINARY, .data = p300, .data_len = 300, .violations = V_NON_MINIMAL);
        FRAME (c, .opcode = PING, .length_bits = 64, LIT (payload, ""), .violations = V_NON_MINIMAL);
        FRAME (c, .opcode = BINARY, .length_bits = 16, .payload = p300, .payload_len = 126);
        MESSAGE (c, .opcode = BINARY, .data = p300, .data_len = 126);
        check_case (c);
      }

      /* At the edges: 125 in 16 bits and 65535 in 64 are one too short */
      {
        g_autoptr(Case) c = case_new (sender);
        g_autofree guint8 *p65535 = pattern (65535, 2);

        FRAME (c, .opcode = BINARY, .length_bits = 16, .payload = p65535, .payload_len = 125,
               .violations = V_NON_MINIMAL);
        MESSAGE (c, .opcode = BINARY, .data = p65535, .data_len = 125, .violations = V_NON_MINIMAL);
        FRAME (c, .opcode = BINARY, .length_bits = 64, .payload = p65535, .payload_len = 65535,
               .violations = V_NON_MINIMAL);
        MESSAGE (c, .opcode = BINARY, .data = p65535, .data_len = 65535, .violations = V_NON_MINIMAL);
        FRAME (c, .opcode = BINARY, .length_bits = 64, .payload = p65535, .payload_len = 0,
               .violations = V_NON_MINIMAL);
        MESSAGE (c, .opcode = BINARY, .data = p65535, .data_len = 0, .violations = V_NON_MINIMAL);
        check_case (c);
      }

      /* The wrong masking for the sender */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .flip_mask = TRUE, .key = other_key, .opcode = TEXT, LIT (payload, "masked?"),
               .violations = wrong_mask);
        MESSAGE (c, .opcode = TEXT, LIT (data, "masked?"), .violations = wrong_mask);
        FRAME (c, .flip_mask = TRUE, .key = other_key, .opcode = PING, LIT (payload, "p"),
               .violations = wrong_mask);
        FRAME (c, .key = other_key, .opcode = BINARY, LIT (payload, "right"));
        MESSAGE (c, .opcode = BINARY, LIT (data, "right"));
        check_case (c);
      }

      /* Close bodies */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .opcode = CLOSE, LIT (payload, "\x03"), .violations = V_CLOSE_ONE_BYTE);
        FRAME (c, .opcode = CLOSE, .payload = close_1005, .payload_len = close_1005_len,
               .violations = V_CLOSE_CODE);
        FRAME (c, .opcode = CLOSE, .payload = close_bad_reason, .payload_len = close_bad_reason_len,
               .violations = V_UTF8);
        check_case (c);
      }

      /* Text that is not UTF-8: where the checker finds it, and at the end */
      {
        g_autoptr(Case) c = case_new (sender);

        FRAME (c, .opcode = TEXT, LIT (payload, "ok \xFF"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ok \xFF"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "cut \xF0\x9F\x98"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "cut \xF0\x9F\x98"), .violations = V_UTF8);
        FRAME (c, .nofin = TRUE, .opcode = TEXT, LIT (payload, "\xE2\x82"));
        FRAME (c, .nofin = TRUE, .opcode = CONT, LIT (payload, "A"), .violations = V_UTF8);
        FRAME (c, .opcode = CONT, LIT (payload, "\xE2\x82\xAC"));
        MESSAGE (c, .opcode = TEXT, LIT (data, "\xE2\x82" "A\xE2\x82\xAC"), .violations = V_UTF8);
        FRAME (c, .nofin = TRUE, .opcode = TEXT, LIT (payload, "end \xC3"));
        FRAME (c, .opcode = CONT, LIT (payload, ""), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "end \xC3"), .violations = V_UTF8);
        /* Overlongs, surrogates, past U+10FFFF */
        FRAME (c, .opcode = TEXT, LIT (payload, "\xC0\xAF"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "\xC0\xAF"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "0123456789\xED\xA0\x80"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "0123456789\xED\xA0\x80"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "\xF4\x90\x80\x80"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "\xF4\x90\x80\x80"), .violations = V_UTF8);
        /* The same with room after them, each on its own */
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xE0\x80\x80zzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xE0\x80\x80zzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xED\xBF\xBFzzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xED\xBF\xBFzzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xF0\x8F\xBF\xBFzzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xF0\x8F\xBF\xBFzzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xF4\x90\x80\x80zzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xF4\x90\x80\x80zzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xC1\xBFzzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xC1\xBFzzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xE2\x82zzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xE2\x82zzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xF1\x80\x80zzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xF1\x80\x80zzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xF5\x80\x80\x80zzzz"), .violations = V_UTF8);
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xF5\x80\x80\x80zzzz"), .violations = V_UTF8);
        FRAME (c, .opcode = TEXT, LIT (payload, "ab\xE0\xA0\x80\xED\x9F\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"
                                                "\xC2\x80\xDF\xBF\xEF\xBF\xBF\xF3\xBF\xBF\xBF zzzzzzzzzzzzzzzzz"));
        MESSAGE (c, .opcode = TEXT, LIT (data, "ab\xE0\xA0\x80\xED\x9F\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"
                                             "\xC2\x80\xDF\xBF\xEF\xBF\xBF\xF3\xBF\xBF\xBF zzzzzzzzzzzzzzzzz"));
        /* Binary may be anything, and valid text is fine */
        FRAME (c, .opcode = BINARY, LIT (payload, "\xFF\xC0"));
        MESSAGE (c, .opcode = BINARY, LIT (data, "\xFF\xC0"));
        FRAME (c, .opcode = TEXT, LIT (payload, "0123456789abcdef\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBD"));
        MESSAGE (c, .opcode = TEXT, LIT (data, "0123456789abcdef\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBD"));
        check_case (c);
      }
    }
}

static void
test_too_large (void)
{
  g_autofree guint8 *big = pattern (40, 9);

  for (SondeWsSender sender = SONDE_WS_FROM_CLIENT; sender <= SONDE_WS_FROM_SERVER; sender++)
    {
      g_autoptr(Case) c = case_new (sender);

      c->max_size = 16;
      c->check_pending = FALSE;

      /* Exactly at the limit is fine */
      FRAME (c, .opcode = TEXT, .payload = big, .payload_len = 16);
      MESSAGE (c, .opcode = TEXT, .data = big, .data_len = 16);
      /* One frame past it */
      FRAME (c, .opcode = TEXT, .payload = big, .payload_len = 17, .violations = V_TOO_LARGE,
             .skipped = TRUE);
      MESSAGE (c, .opcode = TEXT, .violations = V_TOO_LARGE, .no_raw = TRUE);
      /* Fragments that add up past it: the first is reported whole */
      FRAME (c, .nofin = TRUE, .opcode = BINARY, .payload = big, .payload_len = 10);
      FRAME (c, .opcode = PING, LIT (payload, "between"));
      FRAME (c, .nofin = TRUE, .opcode = CONT, .payload = big, .payload_len = 10,
             .violations = V_TOO_LARGE, .skipped = TRUE);
      FRAME (c, .opcode = PONG, .payload = big, .payload_len = 20, .violations = V_TOO_LARGE,
             .skipped = TRUE);
      FRAME (c, .nofin = TRUE, .opcode = CONT, LIT (payload, ""), .violations = V_TOO_LARGE,
             .skipped = TRUE);
      FRAME (c, .opcode = CONT, LIT (payload, "x"), .violations = V_TOO_LARGE, .skipped = TRUE);
      MESSAGE (c, .opcode = BINARY, .violations = V_TOO_LARGE, .no_raw = TRUE);
      /* A control frame past it, on its own, by one byte and by more */
      FRAME (c, .opcode = PING, .payload = big, .payload_len = 17, .violations = V_TOO_LARGE,
             .skipped = TRUE);
      FRAME (c, .opcode = PING, .payload = big, .payload_len = 40, .violations = V_TOO_LARGE,
             .skipped = TRUE);
      FRAME (c, .opcode = PONG, .payload = big, .payload_len = 16);
      /* And the next message is whole again */
      FRAME (c, .opcode = TEXT, LIT (payload, "fine"));
      MESSAGE (c, .opcode = TEXT, LIT (data, "fine"));
      check_case (c);
    }

  /* Many tiny frames: their raw bytes may not pass twice the limit. */
  {
    g_autoptr(Case) c = case_new (SONDE_WS_FROM_SERVER);

    c->max_size = 8;
    c->check_pending = FALSE;
    for (guint i = 0; i < 8; i++)
      FRAME (c, .nofin = TRUE, .opcode = i == 0 ? TEXT : CONT, LIT (payload, ""));
    FRAME (c, .nofin = TRUE, .opcode = CONT, LIT (payload, ""), .violations = V_TOO_LARGE, .skipped = TRUE);
    FRAME (c, .opcode = CONT, LIT (payload, "a"), .violations = V_TOO_LARGE, .skipped = TRUE);
    MESSAGE (c, .opcode = TEXT, .violations = V_TOO_LARGE, .no_raw = TRUE);
    check_case (c);
  }
}

/* A 64-bit length with its top bit set can never arrive: it shows on the
 * frame being read, which is past any limit. */
static void
test_length_top_bit (void)
{
  static const guint8 stream[] = {
    0x82, 0x7F, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 'a', 'b', 'c',
  };
  g_autoptr(GString) out = g_string_new (NULL);
  SondeWsCallbacks callbacks = { .frame = keep_frame };
  g_autoptr(SondeWsDissector) d = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &callbacks, out);
  SondeWsFrame frame;
  guint64 received = 99;
  const guint8 *pending;

  g_assert_false (sonde_ws_dissector_get_partial_frame (d, &frame, &received));
  g_assert_cmpuint (received, ==, 0);

  sonde_ws_dissector_feed (d, stream, 5);
  g_assert_false (sonde_ws_dissector_get_partial_frame (d, &frame, NULL));
  sonde_ws_dissector_feed (d, stream + 5, sizeof stream - 5);

  g_assert_cmpstr (out->str, ==, "");
  g_assert_true (sonde_ws_dissector_get_partial_frame (d, &frame, &received));
  g_assert_cmpuint (frame.violations, ==, V_TOP_BIT | V_TOO_LARGE);
  g_assert_cmpuint (frame.length, ==, G_GUINT64_CONSTANT (0x8000000000000005));
  g_assert_cmpuint (frame.length_bits, ==, 64);
  g_assert_cmpuint (frame.header_len, ==, 10);
  g_assert_cmpuint (frame.opcode, ==, BINARY);
  g_assert_cmpmem (frame.raw, frame.raw_len, stream, 10);
  g_assert_cmpuint (received, ==, 3);
  g_assert_false (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 10);

  /* Bit 62 is only a very long length. */
  sonde_ws_dissector_reset (d);
  sonde_ws_dissector_feed (d, (const guint8 *) "\x82\x7F\x40\x00\x00\x00\x00\x00\x00\x00", 10);
  g_assert_true (sonde_ws_dissector_get_partial_frame (d, &frame, &received));
  g_assert_cmpuint (frame.violations, ==, V_TOO_LARGE);
  g_assert_cmpuint (frame.length, ==, G_GUINT64_CONSTANT (1) << 62);
  g_assert_cmpuint (received, ==, 0);

  /* A new connection starts clean. */
  sonde_ws_dissector_reset (d);
  g_assert_true (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 0);
  sonde_ws_dissector_feed (d, (const guint8 *) "\x81\x02hi", 4);
  g_assert_cmpstr (out->str, ==, "1:0:0::0:0x0;");
}

/* Compression, with zlib on the writer's side */

typedef struct
{
  z_stream zs;
  gboolean no_context_takeover;
} Deflater;

static void
deflater_init (Deflater *z,
               gboolean  no_context_takeover,
               int       window_bits)
{
  memset (&z->zs, 0, sizeof z->zs);
  g_assert_cmpint (deflateInit2 (&z->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -window_bits, 8,
                                 Z_DEFAULT_STRATEGY), ==, Z_OK);
  z->no_context_takeover = no_context_takeover;
}

/* One message's compressed bytes, without the 00 00 FF FF at the end. */
static GByteArray *
deflater_message (Deflater   *z,
                  const char *text,
                  gsize       len)
{
  GByteArray *out = g_byte_array_new ();
  guint8 buf[4096];

  z->zs.next_in = (Bytef *) text;
  z->zs.avail_in = len;
  do
    {
      z->zs.next_out = buf;
      z->zs.avail_out = sizeof buf;
      g_assert_cmpint (deflate (&z->zs, Z_SYNC_FLUSH), ==, Z_OK);
      g_byte_array_append (out, buf, sizeof buf - z->zs.avail_out);
    }
  while (z->zs.avail_out == 0);

  g_assert_cmpuint (out->len, >=, 4);
  g_assert_cmpmem (out->data + out->len - 4, 4, "\x00\x00\xFF\xFF", 4);
  g_byte_array_set_size (out, out->len - 4);
  if (z->no_context_takeover)
    g_assert_cmpint (deflateReset (&z->zs), ==, Z_OK);
  return out;
}

static const char lorem[] =
  "Sonde looks inside live streams. Sonde looks inside live streams, frame by frame. "
  "\xC3\x9C" "ber alles: caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x99\x82. Sonde looks inside live streams.";

static void
deflate_session (SondeWsSender sender,
                 gboolean      no_context_takeover,
                 int           window_bits)
{
  g_autoptr(Case) c = case_new (sender);
  Deflater z;

  deflater_init (&z, no_context_takeover, window_bits < 9 ? 9 : window_bits);
  c->deflate = TRUE;
  c->no_context_takeover = no_context_takeover;
  c->window_bits = window_bits;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GByteArray) one = deflater_message (&z, lorem, strlen (lorem));
      g_autoptr(GByteArray) two = deflater_message (&z, lorem, strlen (lorem));
      g_autoptr(GByteArray) bin = deflater_message (&z, "\x00\x01\x02\xFF", 4);
      gsize third = two->len / 3;

      /* One frame */
      FRAME (c, .rsv = 4, .opcode = TEXT, .payload = one->data, .payload_len = one->len);
      MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, lorem));
      /* Three fragments, a ping between them, RSV1 on the first only */
      FRAME (c, .nofin = TRUE, .rsv = 4, .opcode = TEXT, .payload = two->data, .payload_len = third);
      FRAME (c, .opcode = PING, LIT (payload, "p"));
      FRAME (c, .nofin = TRUE, .opcode = CONT, .payload = two->data + third, .payload_len = 0);
      FRAME (c, .opcode = CONT, .payload = two->data + third, .payload_len = two->len - third);
      MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, lorem));
      /* Uncompressed messages may come between compressed ones */
      FRAME (c, .opcode = TEXT, LIT (payload, "plain"));
      MESSAGE (c, .opcode = TEXT, LIT (data, "plain"));
      FRAME (c, .rsv = 4, .opcode = BINARY, .payload = bin->data, .payload_len = bin->len);
      MESSAGE (c, .opcode = BINARY, .compressed = TRUE, LIT (data, "\x00\x01\x02\xFF"));

      /* With the context taken over, a repeated message is shorter. */
      if (no_context_takeover)
        g_assert_cmpmem (one->data, one->len, two->data, two->len);
      else if (i == 0)
        g_assert_cmpuint (two->len, <, one->len);
    }

  deflateEnd (&z.zs);
  check_case (c);
}

/* zlib cannot write with a window of 8 bits and writes with 9 instead, so a
 * reader told 8 must keep 512 bytes of window. The second message here
 * refers back 450 bytes into the first, as a 9-bit writer may. */
static void
test_deflate_window_8 (void)
{
  g_autoptr(Case) c = case_new (SONDE_WS_FROM_SERVER);
  g_autofree char *text = g_malloc (450);
  g_autoptr(GByteArray) first = NULL;
  g_autoptr(GByteArray) again = NULL;
  GRand *rand = g_rand_new_with_seed (3);
  Deflater z;

  for (guint i = 0; i < 450; i++)
    text[i] = (char) ('a' + g_rand_int_range (rand, 0, 26));
  g_rand_free (rand);

  deflater_init (&z, FALSE, 15);
  first = deflater_message (&z, text, 450);
  again = deflater_message (&z, text, 450);
  deflateEnd (&z.zs);
  g_assert_cmpuint (again->len, <, 20);

  c->deflate = TRUE;
  c->window_bits = 8;
  FRAME (c, .rsv = 4, .opcode = TEXT, .payload = first->data, .payload_len = first->len);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, .data = (const guint8 *) text, .data_len = 450);
  FRAME (c, .rsv = 4, .opcode = TEXT, .payload = again->data, .payload_len = again->len);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, .data = (const guint8 *) text, .data_len = 450);
  check_case (c);
}

static void
test_deflate (void)
{
  for (SondeWsSender sender = SONDE_WS_FROM_CLIENT; sender <= SONDE_WS_FROM_SERVER; sender++)
    {
      deflate_session (sender, FALSE, 15);
      deflate_session (sender, TRUE, 15);
      deflate_session (sender, FALSE, 8);
      deflate_session (sender, FALSE, 0);
    }
}

/* An empty message, compressed, is the single byte 00 once the tail is gone. */
static void
test_deflate_empty_and_final_block (void)
{
  g_autoptr(Case) c = case_new (SONDE_WS_FROM_SERVER);
  Deflater z;
  g_autoptr(GByteArray) empty = NULL;
  g_autoptr(GByteArray) after = NULL;
  guint8 final[64];
  gsize final_len;
  z_stream zs = { 0 };

  deflater_init (&z, FALSE, 15);
  c->deflate = TRUE;
  empty = deflater_message (&z, "", 0);
  g_assert_cmpmem (empty->data, empty->len, "\x00", 1);
  FRAME (c, .rsv = 4, .opcode = TEXT, .payload = empty->data, .payload_len = empty->len);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, ""));

  /* A message that ends its deflate stream with BFINAL, as RFC 7692 allows */
  g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  zs.next_in = (Bytef *) "final block";
  zs.avail_in = 11;
  zs.next_out = final;
  zs.avail_out = sizeof final;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  final_len = sizeof final - zs.avail_out;
  deflateEnd (&zs);
  FRAME (c, .rsv = 4, .opcode = TEXT, .payload = final, .payload_len = final_len);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, "final block"));

  /* The stream after it still inflates. */
  after = deflater_message (&z, "after", 5);
  FRAME (c, .rsv = 4, .opcode = TEXT, .payload = after->data, .payload_len = after->len);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, "after"));
  deflateEnd (&z.zs);
  check_case (c);
}

static void
test_bad_deflate (void)
{
  g_autoptr(Case) c = case_new (SONDE_WS_FROM_CLIENT);
  Deflater z;
  g_autoptr(GByteArray) first = NULL;
  g_autoptr(GByteArray) second = NULL;
  g_autoptr(GByteArray) utf8 = NULL;
  g_autoptr(GByteArray) big = NULL;
  g_autofree char *zeros = g_malloc0 (5000);

  c->deflate = TRUE;
  /* BTYPE 11 is reserved: this never inflates. */
  FRAME (c, .rsv = 4, .opcode = TEXT, LIT (payload, "\xFF\xFF\xFF"), .violations = V_BAD_DEFLATE);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, .violations = V_BAD_DEFLATE);
  FRAME (c, .nofin = TRUE, .rsv = 4, .opcode = BINARY, LIT (payload, "\x07"), .violations = V_BAD_DEFLATE);
  FRAME (c, .opcode = CONT, LIT (payload, "\x00"));
  MESSAGE (c, .opcode = BINARY, .compressed = TRUE, .violations = V_BAD_DEFLATE);

  /* Inflated text is checked as text */
  deflater_init (&z, TRUE, 15);
  utf8 = deflater_message (&z, "bad \xC0\x80", 6);
  FRAME (c, .rsv = 4, .opcode = TEXT, .payload = utf8->data, .payload_len = utf8->len, .violations = V_UTF8);
  MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, "bad \xC0\x80"), .violations = V_UTF8);
  deflateEnd (&z.zs);

  /* The writer takes the context over, the reader was told it would not:
   * the second message refers back to the first, and cannot inflate. */
  deflater_init (&z, FALSE, 15);
  first = deflater_message (&z, lorem, strlen (lorem));
  second = deflater_message (&z, lorem, strlen (lorem));
  deflateEnd (&z.zs);
  {
    g_autoptr(Case) d = case_new (SONDE_WS_FROM_SERVER);

    d->deflate = TRUE;
    d->no_context_takeover = TRUE;
    FRAME (d, .rsv = 4, .opcode = TEXT, .payload = first->data, .payload_len = first->len);
    MESSAGE (d, .opcode = TEXT, .compressed = TRUE, LIT (data, lorem));
    FRAME (d, .rsv = 4, .opcode = TEXT, .payload = second->data, .payload_len = second->len,
           .violations = V_BAD_DEFLATE);
    MESSAGE (d, .opcode = TEXT, .compressed = TRUE, .violations = V_BAD_DEFLATE);
    check_case (d);
  }

  /* Inflated data past the limit: the raw bytes stay, the data goes; the
   * window goes on, so the next message inflates. */
  deflater_init (&z, FALSE, 15);
  big = deflater_message (&z, zeros, 5000);
  g_byte_array_unref (first);
  first = deflater_message (&z, zeros, 100);
  deflateEnd (&z.zs);
  {
    g_autoptr(Case) d = case_new (SONDE_WS_FROM_SERVER);

    d->deflate = TRUE;
    d->max_size = 4096;
    FRAME (d, .rsv = 4, .opcode = BINARY, .payload = big->data, .payload_len = big->len,
           .violations = V_TOO_LARGE);
    MESSAGE (d, .opcode = BINARY, .compressed = TRUE, .violations = V_TOO_LARGE);
    FRAME (d, .rsv = 4, .opcode = BINARY, .payload = first->data, .payload_len = first->len);
    MESSAGE (d, .opcode = BINARY, .compressed = TRUE, .data = (const guint8 *) zeros, .data_len = 100);
    check_case (d);
  }

  check_case (c);
}

/* Frames past the limit in a compressed message are still inflated (and
 * thrown away) so that the next message, which refers back, inflates. */
static void
test_deflate_too_large_keeps_window (void)
{
  for (SondeWsSender sender = SONDE_WS_FROM_CLIENT; sender <= SONDE_WS_FROM_SERVER; sender++)
    {
      g_autoptr(Case) c = case_new (sender);
      g_autoptr(GByteArray) big = NULL;
      g_autoptr(GByteArray) again = NULL;
      g_autofree char *text = (char *) pattern (3000, 1);
      GRand *rand = g_rand_new_with_seed (7);
      Deflater z;

      /* Letters that do not compress much, so the frames pass the limit. */
      for (guint i = 0; i < 3000; i++)
        text[i] = (char) ('a' + g_rand_int_range (rand, 0, 26));
      g_rand_free (rand);

      /* The next message repeats the start of this one: it inflates only
       * with the window the skipped frame left. */
      deflater_init (&z, FALSE, 15);
      big = deflater_message (&z, text, 3000);
      again = deflater_message (&z, text, 800);
      deflateEnd (&z.zs);
      g_assert_cmpuint (big->len, >, 1100);
      g_assert_cmpuint (again->len, <, 100);

      c->deflate = TRUE;
      c->max_size = 1024;
      c->check_pending = FALSE;
      FRAME (c, .nofin = TRUE, .rsv = 4, .opcode = TEXT, .payload = big->data, .payload_len = 500);
      FRAME (c, .opcode = CONT, .payload = big->data + 500, .payload_len = big->len - 500,
             .violations = V_TOO_LARGE, .skipped = TRUE);
      MESSAGE (c, .opcode = TEXT, .compressed = TRUE, .violations = V_TOO_LARGE, .no_raw = TRUE);
      FRAME (c, .rsv = 4, .opcode = TEXT, .payload = again->data, .payload_len = again->len);
      MESSAGE (c, .opcode = TEXT, .compressed = TRUE, .data = (const guint8 *) text, .data_len = 800);
      check_case (c);
    }
}

/* Stop mode (the client's reader, ahead of libsoup): the first message or
 * control frame past the limit is reported as far as it got, and nothing
 * after it is read. feed() passes on less than a whole frame of it, at any
 * cut (run_case() checks that). */
static Case *
stop_case_new (SondeWsSender sender,
               gsize         max_size)
{
  Case *c = case_new (sender);

  c->max_size = max_size;
  c->stop_at_limit = TRUE;
  c->check_pending = FALSE;
  return c;
}

static void
test_stop_at_limit (void)
{
  g_autofree guint8 *big = pattern (40, 3);

  for (SondeWsSender sender = SONDE_WS_FROM_CLIENT; sender <= SONDE_WS_FROM_SERVER; sender++)
    {
      /* A fragmented message whose continuation goes past the limit. */
      {
        g_autoptr(Case) c = stop_case_new (sender, 16);

        FRAME (c, .opcode = TEXT, .payload = big, .payload_len = 16);
        MESSAGE (c, .opcode = TEXT, .data = big, .data_len = 16);
        FRAME (c, .nofin = TRUE, .opcode = TEXT, .payload = big, .payload_len = 10);
        FRAME (c, .opcode = PING, LIT (payload, "between"));
        c->stop_start = c->input->len;
        FRAME (c, .nofin = TRUE, .opcode = CONT, .payload = big, .payload_len = 10,
               .violations = V_TOO_LARGE, .skipped = TRUE);
        c->stop_end = c->input->len;
        MESSAGE (c, .opcode = TEXT, .violations = V_TOO_LARGE);
        FRAME (c, .opcode = CONT, LIT (payload, "x"), .unread = TRUE);
        FRAME (c, .opcode = TEXT, LIT (payload, "never"), .unread = TRUE);
        check_case (c);
      }

      /* One frame past it, whatever its length says. */
      {
        g_autoptr(Case) c = stop_case_new (sender, 16);

        c->stop_start = c->input->len;
        FRAME (c, .opcode = BINARY, .payload = big, .payload_len = 40, .violations = V_TOO_LARGE,
               .skipped = TRUE);
        c->stop_end = c->input->len;
        MESSAGE (c, .opcode = BINARY, .violations = V_TOO_LARGE);
        FRAME (c, .opcode = TEXT, LIT (payload, "never"), .unread = TRUE);
        check_case (c);
      }

      /* A control frame past it */
      {
        g_autoptr(Case) c = stop_case_new (sender, 16);

        FRAME (c, .opcode = PING, LIT (payload, "fits"));
        c->stop_start = c->input->len;
        FRAME (c, .opcode = PING, .payload = big, .payload_len = 17, .violations = V_TOO_LARGE,
               .skipped = TRUE);
        c->stop_end = c->input->len;
        FRAME (c, .opcode = TEXT, LIT (payload, "never"), .unread = TRUE);
        check_case (c);
      }
    }

  /* Endless empty continuations: their raw bytes pass twice the limit. */
  {
    g_autoptr(Case) c = stop_case_new (SONDE_WS_FROM_SERVER, 8);

    for (guint i = 0; i < 8; i++)
      FRAME (c, .nofin = TRUE, .opcode = i == 0 ? TEXT : CONT, LIT (payload, ""));
    c->stop_start = c->input->len;
    FRAME (c, .nofin = TRUE, .opcode = CONT, LIT (payload, ""), .violations = V_TOO_LARGE,
           .skipped = TRUE);
    c->stop_end = c->input->len;
    MESSAGE (c, .opcode = TEXT, .violations = V_TOO_LARGE);
    for (guint i = 0; i < 100; i++)
      FRAME (c, .nofin = TRUE, .opcode = CONT, LIT (payload, ""), .unread = TRUE);
    check_case (c);
  }
}

/* Stop mode with deflate: a message that inflates past the limit ends with
 * the frame in which it did, whole in raw, before any reader has that frame
 * whole; inflating stops there. */
static void
test_stop_at_limit_inflated (void)
{
  g_autofree char *zeros = g_malloc0 (100000);

  for (guint fragmented = 0; fragmented <= 1; fragmented++)
    {
      g_autoptr(Case) c = stop_case_new (SONDE_WS_FROM_SERVER, 4096);
      g_autoptr(GByteArray) small = NULL;
      g_autoptr(GByteArray) bomb = NULL;
      Deflater z;

      deflater_init (&z, FALSE, 15);
      small = deflater_message (&z, "fine", 4);
      bomb = deflater_message (&z, zeros, 100000);
      deflateEnd (&z.zs);
      g_assert_cmpuint (bomb->len, <, 1024);

      c->deflate = TRUE;
      FRAME (c, .rsv = 4, .opcode = TEXT, .payload = small->data, .payload_len = small->len);
      MESSAGE (c, .opcode = TEXT, .compressed = TRUE, LIT (data, "fine"));
      c->stop_start = c->input->len;
      FRAME (c, .nofin = fragmented, .rsv = 4, .opcode = BINARY, .payload = bomb->data,
             .payload_len = bomb->len, .violations = V_TOO_LARGE);
      c->stop_end = c->input->len;
      MESSAGE (c, .opcode = BINARY, .compressed = TRUE, .violations = V_TOO_LARGE);
      FRAME (c, .opcode = CONT, LIT (payload, "x"), .unread = TRUE);
      check_case (c);
    }
}

/* Position: where frames end, what is pending, and partial frames */
static void
test_position (void)
{
  static const guint8 stream[] = {
    0x01, 0x02, 'a', 'b',         /* text, not final */
    0x89, 0x01, 'p',              /* ping */
    0x80, 0x01, 'c',              /* final continuation */
  };
  g_autoptr(SondeWsDissector) d = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, NULL, NULL);
  const guint8 *pending;
  SondeWsFrame frame;
  guint64 received;

  g_assert_true (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 0);

  sonde_ws_dissector_feed (d, stream, 1);
  g_assert_false (sonde_ws_dissector_is_between_frames (d));
  g_assert_false (sonde_ws_dissector_get_partial_frame (d, &frame, &received));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 1);
  g_assert_cmpmem (pending, 1, stream, 1);

  sonde_ws_dissector_feed (d, stream + 1, 2);
  g_assert_true (sonde_ws_dissector_get_partial_frame (d, &frame, &received));
  g_assert_cmpuint (frame.opcode, ==, TEXT);
  g_assert_false (frame.fin);
  g_assert_cmpuint (frame.length, ==, 2);
  g_assert_cmpuint (received, ==, 1);
  g_assert_cmpmem (frame.raw, frame.raw_len, stream, 3);

  sonde_ws_dissector_feed (d, stream + 3, 1);
  g_assert_true (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 4);

  /* Half a ping between fragments: the message's frame, then the ping's bytes */
  sonde_ws_dissector_feed (d, stream + 4, 2);
  g_assert_false (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 6);
  g_assert_cmpmem (pending, 6, stream, 6);
  sonde_ws_dissector_feed (d, stream + 6, 1);
  g_assert_true (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 4);
  g_assert_cmpmem (pending, 4, stream, 4);

  sonde_ws_dissector_feed (d, stream + 7, 3);
  g_assert_true (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 0);

  /* reset() forgets a message in progress. */
  sonde_ws_dissector_feed (d, stream, 5);
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 5);
  sonde_ws_dissector_reset (d);
  g_assert_true (sonde_ws_dissector_is_between_frames (d));
  g_assert_cmpuint (sonde_ws_dissector_get_pending (d, &pending), ==, 0);
}

static void
log_message (gpointer              user_data,
             const SondeWsMessage *message)
{
  GString *out = user_data;

  g_string_append_printf (out, "%u:%.*s:0x%x;", message->opcode, (int) message->data_len,
                          (const char *) message->data, message->violations);
}

static void
test_reset (void)
{
  SondeWsCallbacks callbacks = { .message = log_message };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(SondeWsDissector) d = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &callbacks, out);

  /* A fragment, then a new connection: its continuation is an orphan. */
  sonde_ws_dissector_feed (d, (const guint8 *) "\x01\x01" "a\x82\x05xy", 7);
  sonde_ws_dissector_reset (d);
  sonde_ws_dissector_feed (d, (const guint8 *) "\x80\x01" "b\x81\x01" "c", 6);
  g_assert_cmpstr (out->str, ==, "2:b:0x10;1:c:0x0;");
}

/* A limit lowered in the middle of a message applies from the next frame. */
static void
test_limit_lowered (void)
{
  SondeWsCallbacks callbacks = { .frame = keep_frame, .message = log_message };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(SondeWsDissector) d = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &callbacks, out);

  sonde_ws_dissector_feed (d, (const guint8 *) "\x01\x0A" "0123456789", 12);
  sonde_ws_dissector_set_max_size (d, 8);
  sonde_ws_dissector_feed (d, (const guint8 *) "\x80\x01" "x" "\x81\x02" "ok", 7);
  g_assert_cmpstr (out->str, ==, "1:0:0::0:0x0;0:0:0::0:0x2000;1::0x2000;1:0:0::0:0x0;1:ok:0x0;");
}

static void
keep_violations (gpointer              user_data,
                 const SondeWsMessage *message)
{
  *(guint32 *) user_data = message->violations;
}

/* Appends one random character: mostly ASCII, some of every other length,
 * now and then at the edges of the ranges. */
static void
append_random_char (GByteArray *out)
{
  static const gunichar edges[] = {
    0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF,
  };
  gunichar c;
  char buf[6];
  gint32 kind = g_test_rand_int_range (0, 20);

  if (kind < 12)
    c = g_test_rand_int_range (1, 0x80);
  else if (kind < 14)
    c = g_test_rand_int_range (0x80, 0x800);
  else if (kind < 16)
    c = g_test_rand_int_range (0x800, 0xD800);
  else if (kind < 18)
    c = g_test_rand_int_range (0x10000, 0x110000);
  else
    c = edges[g_test_rand_int_range (0, G_N_ELEMENTS (edges))];
  g_byte_array_append (out, (const guint8 *) buf, g_unichar_to_utf8 (c, buf));
}

/* The text check agrees with GLib's on random text, valid and spoilt, of
 * every length the vector code takes and around it, in whole frames and cut
 * into fragments anywhere, even inside a character. */
static void
test_utf8_random (void)
{
  guint32 violations = 0;
  SondeWsCallbacks callbacks = { .message = keep_violations };
  g_autoptr(SondeWsDissector) d = sonde_ws_dissector_new (SONDE_WS_FROM_SERVER, &callbacks, &violations);
  g_autoptr(GByteArray) text = g_byte_array_new ();
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  guint bad = 0;

  for (guint round = 0; round < 20000; round++)
    {
      gsize target = g_test_rand_int_range (0, round % 10 == 0 ? 1200 : 300);
      gboolean valid;
      guint n_cuts;
      gsize cuts[3];

      g_byte_array_set_size (text, 0);
      while (text->len < target)
        append_random_char (text);

      /* Spoil half of them: a random byte replaced, put in, or the end cut. */
      if (round % 2 && text->len > 0)
        {
          gsize at = g_test_rand_int_range (0, text->len);
          guint8 b = (guint8) g_test_rand_int_range (1, 256);

          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              text->data[at] = b;
              break;
            case 1:
              g_byte_array_set_size (text, text->len + 1);
              memmove (text->data + at + 1, text->data + at, text->len - at - 1);
              text->data[at] = b;
              break;
            default:
              g_byte_array_set_size (text, at);
              break;
            }
        }
      valid = g_utf8_validate_len ((const char *) text->data, text->len, NULL);
      bad += !valid;

      /* One to three fragments, cut anywhere */
      n_cuts = g_test_rand_int_range (0, 3);
      for (guint i = 0; i < n_cuts; i++)
        cuts[i] = text->len > 0 ? g_test_rand_int_range (0, text->len + 1) : 0;
      if (n_cuts == 2 && cuts[0] > cuts[1])
        {
          gsize t = cuts[0];

          cuts[0] = cuts[1];
          cuts[1] = t;
        }

      g_byte_array_set_size (wire, 0);
      for (guint i = 0, from = 0; i <= n_cuts; i++)
        {
          gsize to = i < n_cuts ? cuts[i] : text->len;
          guint8 first = (i == 0 ? TEXT : CONT) | (i == n_cuts ? 0x80 : 0);

          put_header (wire, first, FALSE, NULL, to - from, 0);
          g_byte_array_append (wire, text->data + from, to - from);
          from = to;
        }

      violations = 0xFFFFFFFF;
      sonde_ws_dissector_feed (d, wire->data, wire->len);
      if (((violations & V_UTF8) != 0) == valid)
        {
          g_autoptr(GString) hex = g_string_new (NULL);

          append_hex (hex, text->data, text->len);
          g_test_message ("text %s, %u cuts", hex->str, n_cuts);
        }
      g_assert_cmpuint (violations & ~V_UTF8, ==, 0);
      g_assert_cmpint ((violations & V_UTF8) != 0, ==, !valid);
    }

  /* Both kinds came up often enough to mean something. */
  g_assert_cmpuint (bad, >, 5000);
  g_assert_cmpuint (bad, <, 15000);

  /* Every sequence, whole and cut short, at every offset across two blocks
   * of sixteen, with ASCII around it. */
  {
    static const char *pieces[] = {
      "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x99\x82", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF",
      "\xC3", "\xE2\x82", "\xE2", "\xF0\x9F\x99", "\xF0\x9F", "\xF0", "\x80", "\xBF\xBF",
      "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF",
    };

    for (guint p = 0; p < G_N_ELEMENTS (pieces); p++)
      {
        for (gsize offset = 0; offset < 40; offset++)
          {
            for (gsize after = 0; after < 100; after += 33)
              {
                g_byte_array_set_size (text, 0);
                for (gsize i = 0; i < offset; i++)
                  g_byte_array_append (text, (const guint8 *) "a", 1);
                g_byte_array_append (text, (const guint8 *) pieces[p], strlen (pieces[p]));
                for (gsize i = 0; i < after; i++)
                  g_byte_array_append (text, (const guint8 *) "z", 1);
                for (gsize i = 0; i < 64; i++)
                  g_byte_array_append (text, (const guint8 *) "0123456789abcdef" + i % 16, 1);

                g_byte_array_set_size (wire, 0);
                put_header (wire, 0x80 | TEXT, FALSE, NULL, text->len, 0);
                g_byte_array_append (wire, text->data, text->len);
                violations = 0xFFFFFFFF;
                sonde_ws_dissector_feed (d, wire->data, wire->len);
                g_assert_cmpint ((violations & V_UTF8) != 0, ==,
                                 !g_utf8_validate_len ((const char *) text->data, text->len, NULL));
              }
          }
      }
  }
}

typedef struct
{
  GString *out;
  guint    stop_after;
} WalkLog;

static gboolean
log_walk (const SondeWsFrame *frame,
          gpointer            user_data)
{
  WalkLog *log = user_data;

  g_string_append_printf (log->out, "%X:%.*s:0x%x;", frame->opcode, (int) frame->length,
                          (const char *) frame->payload, frame->violations);
  return --log->stop_after > 0;
}

static void
test_frames_foreach (void)
{
  /* Masked: text "Hello" (the RFC 6455 example), a ping, a continuation with RSV1 */
  static const guint8 client[] = {
    0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58,
    0x89, 0x80, 0x01, 0x02, 0x03, 0x04,
    0xC0, 0x81, 0x00, 0x00, 0x00, 0x00, 'z',
  };
  /* Unmasked "Hel", "lo" (RFC 6455) and a cut frame */
  static const guint8 server[] = {
    0x01, 0x03, 0x48, 0x65, 0x6C,
    0x80, 0x02, 0x6C, 0x6F,
    0x82, 0x7E, 0x01,
  };
  g_autoptr(GString) out = g_string_new (NULL);
  WalkLog log = { out, 100 };
  g_autofree guint8 *payload = NULL;
  gsize len = 99;

  g_assert_true (sonde_ws_frames_foreach (client, sizeof client, SONDE_WS_FROM_CLIENT, log_walk, &log));
  g_assert_cmpstr (out->str, ==, "1:Hello:0x0;9::0x0;0:z:0x2;");

  /* The same bytes read as a server's */
  g_string_truncate (out, 0);
  log.stop_after = 100;
  g_assert_true (sonde_ws_frames_foreach (client, sizeof client, SONDE_WS_FROM_SERVER, log_walk, &log));
  g_assert_cmpstr (out->str, ==, "1:Hello:0x200;9::0x200;0:z:0x202;");

  /* Stopped by the function */
  g_string_truncate (out, 0);
  log.stop_after = 1;
  g_assert_true (sonde_ws_frames_foreach (client, sizeof client, SONDE_WS_FROM_CLIENT, log_walk, &log));
  g_assert_cmpstr (out->str, ==, "1:Hello:0x0;");

  /* Bytes that end inside a frame: the whole ones first, then FALSE */
  g_string_truncate (out, 0);
  log.stop_after = 100;
  g_assert_false (sonde_ws_frames_foreach (server, sizeof server, SONDE_WS_FROM_SERVER, log_walk, &log));
  g_assert_cmpstr (out->str, ==, "1:Hel:0x0;0:lo:0x0;");
  g_assert_false (sonde_ws_frames_foreach (server, 1, SONDE_WS_FROM_SERVER, log_walk, &log));
  g_assert_false (sonde_ws_frames_foreach (client, 10, SONDE_WS_FROM_CLIENT, log_walk, &log));
  g_assert_true (sonde_ws_frames_foreach (NULL, 0, SONDE_WS_FROM_SERVER, log_walk, &log));

  payload = sonde_ws_frames_get_payload (client, sizeof client, &len);
  g_assert_cmpmem (payload, len, "Helloz", 6);
  g_clear_pointer (&payload, g_free);
  payload = sonde_ws_frames_get_payload (server, 9, &len);
  g_assert_cmpmem (payload, len, "Hello", 5);
  g_clear_pointer (&payload, g_free);
  g_assert_null (sonde_ws_frames_get_payload (server, sizeof server, &len));
  g_assert_cmpuint (len, ==, 0);
  payload = sonde_ws_frames_get_payload (NULL, 0, &len);
  g_assert_nonnull (payload);
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpint (payload[0], ==, 0);
}

static void
test_describe (void)
{
  g_autofree char *none = sonde_ws_violations_describe (0);
  g_autofree char *two = sonde_ws_violations_describe (V_RESERVED_OPCODE | V_CLOSE_CODE | (1u << 30));
  g_autofree char *all = sonde_ws_violations_describe (G_MAXUINT32);
  g_auto(GStrv) parts = g_strsplit (all, "; ", -1);

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (two, ==, "reserved opcode; close code not allowed on the wire");
  g_assert_cmpuint (g_strv_length (parts), ==, 15);
  for (guint bit = 0; bit < 15; bit++)
    {
      const char *text = sonde_ws_violation_to_string (1u << bit);

      g_assert_nonnull (text);
      g_assert_cmpstr (parts[bit], ==, text);
      for (guint other = 0; other < bit; other++)
        g_assert_cmpstr (text, !=, parts[other]);
    }
  g_assert_null (sonde_ws_violation_to_string (0));
  g_assert_null (sonde_ws_violation_to_string (1u << 15));
  g_assert_null (sonde_ws_violation_to_string (V_RSV | V_UTF8));
}

static void
test_create_destroy (void)
{
  SondeWsDissector *d = sonde_ws_dissector_new (SONDE_WS_FROM_CLIENT, NULL, NULL);

  sonde_ws_dissector_set_deflate (d, TRUE, TRUE, 9);
  sonde_ws_dissector_set_max_size (d, 100);
  sonde_ws_dissector_feed (d, (const guint8 *) "\xC1\x85", 2);
  sonde_ws_dissector_free (d);
  sonde_ws_dissector_free (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/ws-dissector/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/ws-dissector/lengths", test_lengths);
  g_test_add_func ("/sonde/ws-dissector/fragmented-utf8-with-ping", test_fragmented_utf8_with_ping);
  g_test_add_func ("/sonde/ws-dissector/close-codes", test_close_codes);
  g_test_add_func ("/sonde/ws-dissector/close-fields", test_close_fields);
  g_test_add_func ("/sonde/ws-dissector/violations", test_violations);
  g_test_add_func ("/sonde/ws-dissector/too-large", test_too_large);
  g_test_add_func ("/sonde/ws-dissector/length-top-bit", test_length_top_bit);
  g_test_add_func ("/sonde/ws-dissector/limit-lowered", test_limit_lowered);
  g_test_add_func ("/sonde/ws-dissector/utf8-random", test_utf8_random);
  g_test_add_func ("/sonde/ws-dissector/deflate", test_deflate);
  g_test_add_func ("/sonde/ws-dissector/deflate-window-8", test_deflate_window_8);
  g_test_add_func ("/sonde/ws-dissector/deflate-empty-and-final-block", test_deflate_empty_and_final_block);
  g_test_add_func ("/sonde/ws-dissector/bad-deflate", test_bad_deflate);
  g_test_add_func ("/sonde/ws-dissector/deflate-too-large-keeps-window", test_deflate_too_large_keeps_window);
  g_test_add_func ("/sonde/ws-dissector/stop-at-limit", test_stop_at_limit);
  g_test_add_func ("/sonde/ws-dissector/stop-at-limit-inflated", test_stop_at_limit_inflated);
  g_test_add_func ("/sonde/ws-dissector/position", test_position);
  g_test_add_func ("/sonde/ws-dissector/reset", test_reset);
  g_test_add_func ("/sonde/ws-dissector/frames-foreach", test_frames_foreach);
  g_test_add_func ("/sonde/ws-dissector/describe", test_describe);

  return g_test_run ();
}

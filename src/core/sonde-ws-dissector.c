/* sonde-ws-dissector.c: a read-only RFC 6455 decoder for the bytes on the wire, frames and messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "sonde-ws-dissector.h"
#include "sonde-ws-frame-private.h"

/* The dissector only watches: it never answers, never fails the connection
 * and never stops at a violation. Each frame goes one of two ways. When the
 * dissector sits between frames and a feed holds a whole frame, the frame is
 * decoded where it lies (zero copy). Otherwise its bytes are gathered in
 * `pend`, right after the raw bytes of the data message in progress, so that
 * get_pending() is one run of bytes. A frame that would take a message (or a
 * control frame) past the size limit is never gathered: its payload is
 * counted as it goes by, and only its header is kept; or, for a reader that
 * must not hand such a message on (set_stop_at_limit()), the dissector
 * reports the message as far as it got and stops reading, and feed() says
 * where, so that the bytes from there on go nowhere. */

/* Inflated bytes nobody keeps (a message past the limit) land here. */
#define DISCARD_SIZE (16 * 1024)
/* Bytes unmasked at a time for a skipped payload that still has to be inflated. */
#define SKIP_PIECE (16 * 1024)

static const guint8 deflate_tail[4] = { 0x00, 0x00, 0xFF, 0xFF };

typedef enum
{
  STATE_IDLE,      /* between frames */
  STATE_HEADER,    /* some header bytes in pend */
  STATE_PAYLOAD,   /* the header is decoded, payload bytes coming */
  STATE_STOPPED,   /* a message went past the limit, in stop mode: nothing more is read */
} State;

struct _SondeWsDissector
{
  SondeWsSender     sender;
  SondeWsCallbacks  callbacks;
  gpointer          user_data;
  gsize             max_size;
  gsize             max_raw;
  gboolean          stop_at_limit;

  /* permessage-deflate for the bytes this dissector reads */
  gboolean          deflate;
  gboolean          no_context_takeover;
  int               window_bits;
  gboolean          zs_ready;
  z_stream          zs;

  /* The frame being read */
  State             state;
  SondeWsFrame      head;           /* its header fields and violations so far */
  gboolean          standalone;     /* control or reserved opcode: not part of a message */
  gboolean          skipping;       /* past the limit: payload counted, not kept */
  guint64           got;            /* payload bytes received */

  /* Raw bytes kept: the message's whole frames, then the frame being read */
  Buf               pend;
  gsize             msg_raw_len;

  /* The data message in progress */
  gboolean          in_message;
  guint8            msg_opcode;
  gboolean          msg_compressed;
  gboolean          msg_dropped;      /* its frames passed the limit: raw and data gone */
  gboolean          msg_data_dropped; /* its (inflated) data passed the limit */
  gboolean          msg_inflate_failed;
  gboolean          msg_stream_ended; /* a block with BFINAL ended its deflate stream */
  guint             msg_frames;
  guint32           msg_violations;
  guint64           msg_payload;      /* wire payload bytes so far */
  guint64           msg_discarded;    /* wire bytes of its frames not kept in raw */
  guint8            utf8_state;
  Buf               data;

  Buf               scratch;          /* unmasked payloads that are not message data */
  guint8           *discard;
};

/* Inflating */

static gboolean
inflate_ready (SondeWsDissector *self)
{
  if (!self->zs_ready)
    {
      memset (&self->zs, 0, sizeof self->zs);
      /* zlib has no 8-bit window; 9 reads everything a window of 8 wrote. */
      if (inflateInit2 (&self->zs, -MAX (self->window_bits, 9)) != Z_OK)
        return FALSE;
      self->zs_ready = TRUE;
    }
  return TRUE;
}

static void
inflate_drop (SondeWsDissector *self)
{
  if (self->zs_ready)
    {
      inflateEnd (&self->zs);
      self->zs_ready = FALSE;
    }
}

/* A block with BFINAL set ended the deflate stream (RFC 7692 allows it):
 * the rest of the message, the 00 00 FF FF put after it included, is not
 * deflate data. The next message starts a new stream that keeps the window. */
static G_GNUC_NO_INLINE gboolean
inflate_restart (SondeWsDissector *self)
{
  guint8 *window = g_malloc (32768);
  uInt window_len = 0;
  gboolean ok;

  ok = inflateGetDictionary (&self->zs, window, &window_len) == Z_OK &&
       inflateReset (&self->zs) == Z_OK &&
       (window_len == 0 || inflateSetDictionary (&self->zs, window, window_len) == Z_OK);
  g_free (window);
  return ok;
}

static void
drop_message_data (SondeWsDissector *self)
{
  self->msg_data_dropped = TRUE;
  buf_reset (&self->data);
}

/* Inflates @n more compressed bytes of the current message into its data, or
 * into the discard area once the data is past the limit (the window must
 * still follow the stream when the context is taken over). */
static void
inflate_bytes (SondeWsDissector *self,
               const guint8     *in,
               gsize             n,
               guint32          *violations)
{
  z_stream *zs = &self->zs;

  if (self->msg_inflate_failed || self->msg_stream_ended || n == 0)
    return;
  if (self->msg_data_dropped && self->no_context_takeover)
    return;
  if (!inflate_ready (self))
    {
      self->msg_inflate_failed = TRUE;
      *violations |= SONDE_WS_VIOLATION_BAD_DEFLATE;
      return;
    }

  while (n > 0)
    {
      gsize piece = MIN (n, (gsize) 1 << 30);

      zs->next_in = (Bytef *) in;
      zs->avail_in = (uInt) piece;

      for (;;)
        {
          guint8 *out;
          gsize room;
          int ret;

          if (!self->msg_data_dropped)
            {
              gsize left = self->max_size - MIN (self->max_size, self->data.len);

              if (left < G_MAXSIZE)
                left++;

              if (self->data.cap - self->data.len < 4096)
                buf_reserve (&self->data, MIN (MAX (zs->avail_in * 2, (gsize) 16384), left));
              out = self->data.data + self->data.len;
              room = MIN (MIN (self->data.cap - self->data.len, left), (gsize) 1 << 30);
            }
          else
            {
              if (self->discard == NULL)
                self->discard = g_malloc (DISCARD_SIZE);
              out = self->discard;
              room = DISCARD_SIZE;
            }

          zs->next_out = out;
          zs->avail_out = (uInt) room;
          ret = inflate (zs, Z_SYNC_FLUSH);

          if (!self->msg_data_dropped)
            {
              self->data.len += room - zs->avail_out;
              if (self->data.len > self->max_size)
                {
                  drop_message_data (self);
                  *violations |= SONDE_WS_VIOLATION_TOO_LARGE;
                  /* Without a window to keep, or when the connection ends
                   * here, nothing more needs inflating. */
                  if (self->no_context_takeover || self->stop_at_limit)
                    return;
                }
            }

          if (ret == Z_STREAM_END)
            {
              self->msg_stream_ended = TRUE;
              if (inflate_restart (self))
                return;
              ret = Z_DATA_ERROR;
            }
          if (ret != Z_OK && ret != Z_BUF_ERROR)
            {
              self->msg_inflate_failed = TRUE;
              *violations |= SONDE_WS_VIOLATION_BAD_DEFLATE;
              return;
            }
          if (zs->avail_in == 0 && zs->avail_out > 0)
            break;
        }

      in += piece;
      n -= piece;
    }
}

/* Callbacks */

static inline void
emit_frame (SondeWsDissector   *self,
            const SondeWsFrame *frame)
{
  if (self->callbacks.frame != NULL)
    self->callbacks.frame (self->user_data, frame);
  if (self->standalone && self->callbacks.control != NULL)
    self->callbacks.control (self->user_data, frame);
}

/* Messages */

static void
end_message (SondeWsDissector *self)
{
  if (self->msg_compressed && self->zs_ready &&
      (self->no_context_takeover || self->msg_inflate_failed))
    {
      if (inflateReset (&self->zs) != Z_OK)
        inflate_drop (self);
    }

  self->in_message = FALSE;
  self->msg_compressed = FALSE;
  self->msg_dropped = FALSE;
  self->msg_data_dropped = FALSE;
  self->msg_inflate_failed = FALSE;
  self->msg_stream_ended = FALSE;
  self->msg_frames = 0;
  self->msg_violations = 0;
  self->msg_payload = 0;
  self->msg_discarded = 0;
  self->utf8_state = SONDE_UTF8_OK;
  self->msg_raw_len = 0;
  buf_reset (&self->pend);
  buf_reset (&self->data);
}

/* The message in progress went past the limit: its raw bytes and data are
 * given up, the bytes of the frame being read move to the front of pend. */
static void
drop_message (SondeWsDissector *self)
{
  gsize frame_bytes = self->pend.len - self->msg_raw_len;

  self->msg_dropped = TRUE;
  self->msg_discarded += self->msg_raw_len;
  drop_message_data (self);
  if (self->msg_raw_len > 0 && frame_bytes > 0)
    memmove (self->pend.data, self->pend.data + self->msg_raw_len, frame_bytes);
  self->pend.len = frame_bytes;
  self->msg_raw_len = 0;
}

/* Reports the data message in hand and forgets it: ended by its final
 * frame, or, in stop mode, cut off at the limit. @single_raw is the frame it
 * came in when that was its only frame. Inline: most frames end a message. */
static inline G_ALWAYS_INLINE void
emit_message (SondeWsDissector *self,
              const guint8     *single_raw,
              gsize             single_raw_len,
              const guint8     *data,
              gsize             data_len)
{
  SondeWsMessage m;

  m.opcode = self->msg_opcode;
  m.compressed = self->msg_compressed;
  m.n_frames = self->msg_frames;
  m.violations = self->msg_violations;
  m.discarded = self->msg_discarded;
  if (self->msg_data_dropped || self->msg_inflate_failed)
    {
      /* Data that is not the message's is worse than none. */
      if (self->msg_data_dropped)
        m.violations |= SONDE_WS_VIOLATION_TOO_LARGE;
      m.data = (const guint8 *) "";
      m.data_len = 0;
    }
  else
    {
      m.data = data != NULL ? data : (const guint8 *) "";
      m.data_len = data_len;
    }
  if (self->msg_dropped)
    {
      m.raw = NULL;
      m.raw_len = 0;
    }
  else if (single_raw != NULL)
    {
      m.raw = single_raw;
      m.raw_len = single_raw_len;
    }
  else
    {
      m.raw = self->msg_raw_len > 0 ? self->pend.data : NULL;
      m.raw_len = self->msg_raw_len;
    }

  if (self->callbacks.message != NULL)
    self->callbacks.message (self->user_data, &m);
  end_message (self);
}

/* Stop mode: the frame whose header is in self->head takes its message (or,
 * as a control frame, itself) past the limit. It is reported without its
 * bytes, and so is its message, with the whole frames before it; then the
 * dissector reads nothing more. A data message cut short by a control frame
 * past the limit stays pending. */
static G_GNUC_NO_INLINE void
stop_at_header (SondeWsDissector *self)
{
  SondeWsFrame f = self->head;

  self->state = STATE_STOPPED;
  emit_frame (self, &f);
  if (self->standalone)
    {
      /* Pending: the message's whole frames, however the header came. */
      self->pend.len = self->msg_raw_len;
      return;
    }

  self->msg_frames++;
  self->msg_violations |= f.violations;
  /* The frame counts whole, though most of it will never be read. */
  self->msg_discarded += MIN (f.length, G_MAXUINT64 - f.header_len - self->msg_discarded) + f.header_len;
  drop_message_data (self);
  emit_message (self, NULL, 0, NULL, 0);
}

/* The header of a frame is whole (in self->head): place the frame in the
 * stream, find what depends on the frames before it, and decide whether its
 * payload fits. */
static inline void
begin_frame (SondeWsDissector *self)
{
  SondeWsFrame *f = &self->head;
  gboolean rsv1 = (f->rsv & 4) != 0;
  gboolean over;

  self->got = 0;

  if (f->opcode >= 3)
    {
      self->standalone = TRUE;
      self->skipping = f->length > self->max_size;
    }
  else
    {
      self->standalone = FALSE;
      if (!self->in_message)
        {
          self->in_message = TRUE;
          self->msg_frames = 0;
          self->msg_violations = 0;
          self->msg_payload = 0;
          self->msg_discarded = 0;
          self->utf8_state = SONDE_UTF8_OK;
          if (f->opcode == SONDE_WS_OPCODE_CONTINUATION)
            {
              /* Kept as a message all the same, so that no data frame is lost. */
              f->violations |= SONDE_WS_VIOLATION_ORPHAN_CONTINUATION;
              self->msg_opcode = SONDE_WS_OPCODE_BINARY;
              self->msg_compressed = FALSE;
            }
          else
            {
              self->msg_opcode = f->opcode;
              self->msg_compressed = rsv1 && self->deflate;
            }
          if (rsv1 && !self->msg_compressed)
            f->violations |= SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION;
        }
      else
        {
          /* A stray text or binary frame joins the open message: every data
           * frame ends up in exactly one message. */
          if (f->opcode != SONDE_WS_OPCODE_CONTINUATION)
            f->violations |= SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE;
          if (rsv1)
            f->violations |= SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION;
        }

      /* (The limit may have been lowered since the message began.) */
      over = !self->msg_dropped &&
             (f->length > self->max_size - MIN (self->max_size, self->msg_payload) ||
              f->length + f->header_len > self->max_raw - MIN (self->max_raw, self->msg_raw_len));
      if (over && !self->stop_at_limit)
        drop_message (self);
      self->skipping = self->msg_dropped || over;
      if (!self->skipping)
        self->msg_payload += f->length;
    }

  if (G_UNLIKELY (self->skipping))
    {
      f->violations |= SONDE_WS_VIOLATION_TOO_LARGE;
      if (self->stop_at_limit)
        stop_at_header (self);
    }
}

/* A control frame, or one with a reserved opcode, is whole. */
static void
finish_standalone (SondeWsDissector *self,
                   const guint8     *raw)
{
  SondeWsFrame f = self->head;

  if (!self->skipping)
    {
      f.raw = raw;
      f.raw_len = f.header_len + f.length;
      f.payload = frame_payload (&f, raw, &self->scratch);
      if (f.opcode == SONDE_WS_OPCODE_CLOSE)
        decode_close (&f);
    }

  emit_frame (self, &f);
}

/* A data frame is whole; @raw is where it lies, NULL when it was skipped.
 * @in_input: it lies in the caller's buffer, not in pend. */
static void
finish_data (SondeWsDissector *self,
             const guint8     *raw,
             gboolean          in_input)
{
  SondeWsFrame f = self->head;
  gboolean single = f.fin && self->msg_frames == 0;
  gboolean text = self->msg_opcode == SONDE_WS_OPCODE_TEXT;
  const guint8 *data = NULL;
  gsize data_len = 0;
  gboolean stop;

  if (raw != NULL)
    {
      const guint8 *wire = raw + f.header_len;
      gsize n = f.length;

      f.raw = raw;
      f.raw_len = f.header_len + n;

      if (self->msg_compressed)
        {
          gsize before = self->data.len;

          f.payload = frame_payload (&f, raw, &self->scratch);
          inflate_bytes (self, f.payload, n, &f.violations);
          if (f.fin)
            inflate_bytes (self, deflate_tail, sizeof deflate_tail, &f.violations);
          if (text && !self->msg_data_dropped && !self->msg_inflate_failed &&
              self->utf8_state != SONDE_UTF8_BAD && self->data.len > before)
            {
              self->utf8_state = sonde_utf8_run (self->utf8_state, self->data.data + before,
                                           self->data.len - before);
              if (self->utf8_state == SONDE_UTF8_BAD)
                f.violations |= SONDE_WS_VIOLATION_INVALID_UTF8;
            }
          data = self->data.data;
          data_len = self->data.len;
        }
      else
        {
          if ((single && !f.masked) || n == 0)
            {
              /* Straight from where the frame lies, no copy. */
              f.payload = wire;
            }
          else
            {
              guint8 *dst;

              if (single)
                self->data.len = 0;
              dst = buf_reserve (&self->data, n);
              if (f.masked)
                unmask_copy (dst, wire, n, f.mask, 0);
              else if (n > 0)
                memcpy (dst, wire, n);
              self->data.len += n;
              f.payload = dst;
            }
          if (text && self->utf8_state != SONDE_UTF8_BAD)
            {
              self->utf8_state = sonde_utf8_run (self->utf8_state, f.payload, n);
              if (self->utf8_state == SONDE_UTF8_BAD)
                f.violations |= SONDE_WS_VIOLATION_INVALID_UTF8;
            }
          if (single)
            {
              data = f.payload;
              data_len = n;
            }
          else
            {
              data = self->data.data;
              data_len = self->data.len;
            }
        }

      /* The message's raw bytes: whole frames only, one after the other. */
      if (!single)
        {
          if (in_input)
            buf_append (&self->pend, raw, f.raw_len);
          self->msg_raw_len = self->pend.len;
        }
    }
  else
    {
      /* Skipped: only its header was kept, and it is not the message's. The
       * inflater still takes the end of the message, or its next message
       * would start in the middle of a block. */
      self->pend.len = self->msg_raw_len;
      self->msg_discarded += f.header_len + f.length;
      if (f.fin && self->msg_compressed)
        inflate_bytes (self, deflate_tail, sizeof deflate_tail, &f.violations);
    }

  /* A character cut short by the end of the message */
  if (f.fin && text && !self->msg_data_dropped && !self->msg_inflate_failed &&
      self->utf8_state != SONDE_UTF8_OK && self->utf8_state != SONDE_UTF8_BAD)
    f.violations |= SONDE_WS_VIOLATION_INVALID_UTF8;

  self->msg_frames++;
  self->msg_violations |= f.violations;
  emit_frame (self, &f);

  /* Inflated past the limit, in stop mode (a frame that did not inflate
   * is the only one with TOO_LARGE that gets here): the message ends here,
   * and so does reading, before the frame can reach anyone who inflates it
   * whole. */
  stop = G_UNLIKELY (f.violations & SONDE_WS_VIOLATION_TOO_LARGE) && self->stop_at_limit;
  if (f.fin || stop)
    emit_message (self, single ? raw : NULL, f.raw_len, data, data_len);
  if (G_UNLIKELY (stop))
    self->state = STATE_STOPPED;
}

static inline void
finish_frame (SondeWsDissector *self,
              const guint8     *raw,
              gboolean          in_input)
{
  if (self->standalone)
    finish_standalone (self, self->skipping ? NULL : raw);
  else
    finish_data (self, self->skipping ? NULL : raw, in_input);
}

/* The frame gathered in pend (or skipped) is whole. */
static void
finish_pending_frame (SondeWsDissector *self)
{
  self->state = STATE_IDLE;
  finish_frame (self, self->pend.data + self->msg_raw_len, FALSE);
  if (self->standalone)
    self->pend.len = self->msg_raw_len;
}

/* A piece of a skipped payload. Only a compressed message whose window is
 * taken over needs its bytes: they are inflated, and the output discarded. */
static void
skip_payload (SondeWsDissector *self,
              const guint8     *p,
              gsize             n)
{
  SondeWsFrame *f = &self->head;

  if (self->standalone || !self->msg_compressed || self->no_context_takeover ||
      self->msg_inflate_failed)
    return;

  if (!f->masked)
    {
      inflate_bytes (self, p, n, &f->violations);
      return;
    }

  while (n > 0)
    {
      gsize piece = MIN (n, (gsize) SKIP_PIECE);
      guint8 *dst;

      self->scratch.len = 0;
      dst = buf_reserve (&self->scratch, piece);
      unmask_copy (dst, p, piece, f->mask, self->got);
      inflate_bytes (self, dst, piece, &f->violations);
      self->got += piece;
      p += piece;
      n -= piece;
    }
}

/* The header in pend is whole. */
static void
header_done (SondeWsDissector *self)
{
  decode_header (self->pend.data + self->msg_raw_len, self->sender, &self->head);
  begin_frame (self);
  if (self->state == STATE_STOPPED)
    return;
  self->state = STATE_PAYLOAD;
  if (!self->skipping)
    buf_reserve (&self->pend, self->head.length);
  if (self->head.length == 0)
    finish_pending_frame (self);
}

/**
 * sonde_ws_dissector_new:
 * @sender: who wrote the bytes this dissector will read
 * @callbacks: (nullable): what to call; copied, and any member may be %NULL
 * @user_data: passed to every callback
 *
 * Creates a dissector for one direction of one connection. Callbacks must
 * not feed, reset or free the dissector that calls them.
 *
 * Returns: (transfer full): a dissector, free with sonde_ws_dissector_free()
 */
SondeWsDissector *
sonde_ws_dissector_new (SondeWsSender           sender,
                        const SondeWsCallbacks *callbacks,
                        gpointer                user_data)
{
  SondeWsDissector *self;

  g_return_val_if_fail (sender == SONDE_WS_FROM_CLIENT || sender == SONDE_WS_FROM_SERVER, NULL);

  self = g_new0 (SondeWsDissector, 1);
  self->sender = sender;
  if (callbacks != NULL)
    self->callbacks = *callbacks;
  self->user_data = user_data;
  self->window_bits = 15;
  self->state = STATE_IDLE;
  self->utf8_state = SONDE_UTF8_OK;
  sonde_ws_dissector_set_max_size (self, SONDE_WS_DEFAULT_MAX_SIZE);

  return self;
}

void
sonde_ws_dissector_free (SondeWsDissector *self)
{
  if (self == NULL)
    return;

  inflate_drop (self);
  buf_clear (&self->pend);
  buf_clear (&self->data);
  buf_clear (&self->scratch);
  g_free (self->discard);
  g_free (self);
}

/**
 * sonde_ws_dissector_set_deflate:
 * @self: a dissector
 * @enabled: whether permessage-deflate was negotiated
 * @no_context_takeover: whether the writer of these bytes starts each
 *   message afresh (the client's or the server's `*_no_context_takeover`)
 * @window_bits: the writer's window, 8 to 15 (`*_max_window_bits`), or 0
 *   when the handshake did not say (15)
 *
 * Says what the handshake agreed for the bytes this dissector reads. Call it
 * before the first frame, or between messages: the inflater starts anew.
 */
void
sonde_ws_dissector_set_deflate (SondeWsDissector *self,
                                gboolean          enabled,
                                gboolean          no_context_takeover,
                                int               window_bits)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (window_bits == 0 || (window_bits >= 8 && window_bits <= 15));

  inflate_drop (self);
  self->deflate = enabled;
  self->no_context_takeover = no_context_takeover;
  self->window_bits = window_bits == 0 ? 15 : window_bits;
}

/**
 * sonde_ws_dissector_set_max_size:
 * @self: a dissector
 * @max_size: the most payload bytes one message (or one control frame) may
 *   have, and the most bytes its inflated data may take
 *
 * So that memory stays bounded even for a message of many tiny frames, a
 * message's raw bytes may not pass twice the limit either. A frame that
 * would take its message past the limit, and every later frame of that
 * message, is reported with the TOO_LARGE violation, its length and header
 * fields, but without its bytes: raw and payload %NULL, raw_len 0. The
 * message then comes with TOO_LARGE, data_len 0 and raw %NULL (raw_len 0).
 * A compressed message whose inflated data passes the limit keeps its raw
 * bytes, but not its data.
 */
void
sonde_ws_dissector_set_max_size (SondeWsDissector *self,
                                 gsize             max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
  self->max_raw = max_size <= G_MAXSIZE / 2 ? 2 * max_size : G_MAXSIZE;
}

/**
 * sonde_ws_dissector_set_stop_at_limit:
 * @self: a dissector
 * @stop: %TRUE to stop reading at the first message past the limit
 *
 * For a dissector that reads ahead of someone who gets the same bytes (the
 * tap before libsoup): a message (or control frame) past the size limit, by
 * its frames or by its inflated data, ends the stream. The message is
 * reported at once with TOO_LARGE, as far as it got: the frame that went
 * past the limit without its bytes (or, when its data inflated past it,
 * whole), the whole frames before it in raw, no data. Inflating stops at the
 * limit. From then on feed() reads nothing (sonde_ws_dissector_is_stopped()),
 * until sonde_ws_dissector_reset(). Off by default: the frames and messages
 * past the limit are then counted as they go by, and decoding goes on.
 */
void
sonde_ws_dissector_set_stop_at_limit (SondeWsDissector *self,
                                      gboolean          stop)
{
  g_return_if_fail (self != NULL);

  self->stop_at_limit = stop;
}

/**
 * sonde_ws_dissector_is_stopped:
 * @self: a dissector
 *
 * Returns: whether the dissector stopped at the size limit and reads no more
 */
gboolean
sonde_ws_dissector_is_stopped (SondeWsDissector *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->state == STATE_STOPPED;
}

/**
 * sonde_ws_dissector_feed:
 * @self: a dissector
 * @data: (array length=len): the next bytes of the stream
 * @len: how many
 *
 * Decodes as many frames as the bytes complete, in any split of the stream.
 *
 * Returns: @len; less only when the dissector stopped at the size limit (see
 *   sonde_ws_dissector_set_stop_at_limit()): then how many bytes came before
 *   the frame it stopped at, which a reader that gets the same bytes must be
 *   kept from (the frame may have started in an earlier feed: the reader has
 *   its start, but can never have it whole)
 */
gsize
sonde_ws_dissector_feed (SondeWsDissector *self,
                         const guint8     *data,
                         gsize             len)
{
  const guint8 *p = data;
  const guint8 *end = data + len;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);

  if (G_UNLIKELY (self->state == STATE_STOPPED))
    return 0;

  while (p < end)
    {
      /* Where this round's bytes start: in stop mode, where reading ends. */
      const guint8 *here = p;
      gsize avail = end - p;

      if (G_LIKELY (self->state == STATE_IDLE))
        {
          gsize hsize;

          if (G_UNLIKELY (avail < 2))
            {
              buf_append (&self->pend, p, avail);
              self->state = STATE_HEADER;
              break;
            }
          hsize = header_size (p[1]);
          if (G_UNLIKELY (avail < hsize))
            {
              buf_append (&self->pend, p, avail);
              self->state = STATE_HEADER;
              break;
            }

          decode_header (p, self->sender, &self->head);
          begin_frame (self);
          if (G_LIKELY (!self->skipping && self->head.length <= avail - hsize))
            {
              finish_frame (self, p, TRUE);
              if (G_UNLIKELY (self->state == STATE_STOPPED))
                return here - data;
              p += hsize + self->head.length;
              continue;
            }
          if (self->state == STATE_STOPPED)
            return here - data;

          /* The rest comes later: keep the header and what payload there is. */
          buf_append (&self->pend, p, hsize);
          p += hsize;
          self->state = STATE_PAYLOAD;
          if (!self->skipping)
            buf_reserve (&self->pend, self->head.length);
          else if (self->head.length == 0)
            finish_pending_frame (self);
        }
      else if (self->state == STATE_HEADER)
        {
          gsize have = self->pend.len - self->msg_raw_len;
          gsize need = have < 2 ? 2 : header_size (self->pend.data[self->msg_raw_len + 1]);
          gsize take = MIN (need - have, avail);

          buf_append (&self->pend, p, take);
          p += take;
          have += take;
          if (have == 2)
            need = header_size (self->pend.data[self->msg_raw_len + 1]);
          if (have == need)
            header_done (self);
        }
      else
        {
          guint64 left = self->head.length - self->got;
          gsize take = left < avail ? (gsize) left : avail;

          if (self->skipping)
            {
              guint64 got = self->got;

              skip_payload (self, p, take);
              self->got = got + take;
            }
          else
            {
              buf_append (&self->pend, p, take);
              self->got += take;
            }
          p += take;
          if (self->got == self->head.length)
            finish_pending_frame (self);
        }

      if (G_UNLIKELY (self->state == STATE_STOPPED))
        return here - data;
    }

  return len;
}

/**
 * sonde_ws_dissector_is_between_frames:
 * @self: a dissector
 *
 * Whether the bytes fed so far end exactly where a frame ends, so that a
 * frame written now would not tear one apart. (Between the fragments of a
 * message, only a control frame may be written.)
 *
 * Returns: %TRUE between frames
 */
gboolean
sonde_ws_dissector_is_between_frames (SondeWsDissector *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->state == STATE_IDLE;
}

/**
 * sonde_ws_dissector_get_pending:
 * @self: a dissector
 * @raw: (out) (transfer none): where the bytes are; valid until the next
 *   call on @self
 *
 * The bytes fed but not yet reported in an entry: the whole frames of the
 * data message in progress, then the bytes of the frame being read. That is
 * what would be lost if the connection dropped now. Bytes not kept (a
 * message past the size limit) are not in it.
 *
 * Returns: how many bytes (@raw is %NULL when none)
 */
gsize
sonde_ws_dissector_get_pending (SondeWsDissector  *self,
                                const guint8     **raw)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (raw != NULL, 0);

  *raw = self->pend.len > 0 ? self->pend.data : NULL;
  return self->pend.len;
}

/**
 * sonde_ws_dissector_get_partial_frame:
 * @self: a dissector
 * @frame: (out caller-allocates): the frame being read
 * @received: (out) (optional): how many of its payload bytes have come
 *
 * Tells about the frame being read, once its header is whole: its header
 * fields and the violations known so far (a length with its top bit set, for
 * one, is only ever seen here). raw is what is kept of it so far; payload and
 * the close fields are unset.
 *
 * Returns: %TRUE when a frame's header is whole and its payload is not
 */
gboolean
sonde_ws_dissector_get_partial_frame (SondeWsDissector *self,
                                      SondeWsFrame     *frame,
                                      guint64          *received)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (self->state != STATE_PAYLOAD)
    {
      memset (frame, 0, sizeof *frame);
      if (received != NULL)
        *received = 0;
      return FALSE;
    }

  *frame = self->head;
  frame->raw = self->pend.data + self->msg_raw_len;
  frame->raw_len = self->pend.len - self->msg_raw_len;
  if (received != NULL)
    *received = self->got;
  return TRUE;
}

/**
 * sonde_ws_dissector_reset:
 * @self: a dissector
 *
 * Forgets the stream, for a new connection: the frame being read, the
 * message in progress and the inflater's window. The sender, callbacks, size
 * limit and deflate settings stay; call sonde_ws_dissector_set_deflate()
 * again when the new handshake agreed otherwise.
 */
void
sonde_ws_dissector_reset (SondeWsDissector *self)
{
  g_return_if_fail (self != NULL);

  inflate_drop (self);
  end_message (self);
  self->state = STATE_IDLE;
  self->got = 0;
  self->skipping = FALSE;
  self->standalone = FALSE;
  memset (&self->head, 0, sizeof self->head);
  buf_reset (&self->scratch);
}

/* sonde-tap-stream.c: a GIOStream that passes bytes through and reports a copy of each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-tap-stream.h"

/* libsoup drives a WebSocket through pollable streams: it waits on a
 * stream's source, then reads or writes without blocking. Both tap streams
 * are pollable filter streams whose sources wrap the base stream's source
 * (as a child with a dummy callback, so the child only wakes the parent).
 *
 * The input side first serves the bytes that came with the upgrade
 * response after its blank line: those are already frames. Its owner can
 * cut it while a read is reported: the reader gets only the bytes before
 * the cut, and nothing ever again (the owner then closes the connection).
 * The output side
 * can inject whole hand-made frames, but only where the outgoing byte stream
 * is between frames; once an injection has begun, it is finished before any
 * byte of libsoup's goes out. */

struct _SondeTapInputStream
{
  GFilterInputStream  parent_instance;

  GBytes             *prebuffer;
  gsize               prebuffer_offset;
  SondeTapFunc        tap;
  gpointer            user_data;
  gboolean            cut;              /* nothing more passes */
  gsize               cut_keep;         /* of the read being reported, what still does */
};

static void tap_input_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeTapInputStream, sonde_tap_input_stream, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      tap_input_pollable_iface_init))

static gsize
take_prebuffer (SondeTapInputStream *self,
                void                *buffer,
                gsize                count)
{
  gsize size;
  const guint8 *data;
  gsize n;

  if (self->prebuffer == NULL)
    return 0;

  data = g_bytes_get_data (self->prebuffer, &size);
  n = MIN (count, size - self->prebuffer_offset);
  memcpy (buffer, data + self->prebuffer_offset, n);
  self->prebuffer_offset += n;
  if (self->prebuffer_offset == size)
    g_clear_pointer (&self->prebuffer, g_bytes_unref);

  return n;
}

static gssize
cut_error (gboolean   nonblocking,
           GError   **error)
{
  if (nonblocking)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "the stream was cut");
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "the stream was cut");
  return -1;
}

/* Reports the @n bytes just read, and returns how many of them pass on:
 * fewer when the tap function cut the stream. None passing is not an end
 * of stream, so it reads as @would_block's error. */
static gssize
report (SondeTapInputStream  *self,
        const void           *buffer,
        gssize                n,
        gboolean              nonblocking,
        GError              **error)
{
  if (n <= 0 || self->tap == NULL)
    return n;

  self->tap (self->user_data, buffer, (gsize)n);
  if (G_LIKELY (!self->cut))
    return n;

  n = (gssize)MIN (self->cut_keep, (gsize)n);
  self->cut_keep = 0;
  if (n == 0)
    return cut_error (nonblocking, error);
  return n;
}

static gssize
sonde_tap_input_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  SondeTapInputStream *self = SONDE_TAP_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n;

  if (self->cut)
    return cut_error (FALSE, error);

  n = (gssize)take_prebuffer (self, buffer, count);
  if (n == 0)
    n = g_input_stream_read (base, buffer, count, cancellable, error);

  return report (self, buffer, n, FALSE, error);
}

static gboolean
sonde_tap_input_stream_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
sonde_tap_input_stream_is_readable (GPollableInputStream *stream)
{
  SondeTapInputStream *self = SONDE_TAP_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));

  return !self->cut &&
         (self->prebuffer != NULL ||
          g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base)));
}

static gssize
sonde_tap_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                         void                  *buffer,
                                         gsize                  count,
                                         GError               **error)
{
  SondeTapInputStream *self = SONDE_TAP_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n;

  if (self->cut)
    return cut_error (TRUE, error);

  n = (gssize)take_prebuffer (self, buffer, count);
  if (n == 0)
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (base), buffer, count,
                                                  NULL, error);

  return report (self, buffer, n, TRUE, error);
}

static GSource *
sonde_tap_input_stream_create_source (GPollableInputStream *stream,
                                      GCancellable         *cancellable)
{
  SondeTapInputStream *self = SONDE_TAP_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  g_autoptr(GSource) child = NULL;
  GSource *source;

  /* Cut: a source that never fires. */
  if (self->cut)
    return g_pollable_source_new (G_OBJECT (stream));

  if (self->prebuffer != NULL)
    {
      /* Readable at once: the prebuffer needs no poll. */
      child = g_timeout_source_new (0);
    }
  else
    {
      child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base), NULL);
    }
  /* This gives the child its dummy callback. */
  source = g_pollable_source_new_full (stream, child, cancellable);

  return source;
}

static void
tap_input_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = sonde_tap_input_stream_can_poll;
  iface->is_readable = sonde_tap_input_stream_is_readable;
  iface->create_source = sonde_tap_input_stream_create_source;
  iface->read_nonblocking = sonde_tap_input_stream_read_nonblocking;
}

static void
sonde_tap_input_stream_finalize (GObject *object)
{
  SondeTapInputStream *self = SONDE_TAP_INPUT_STREAM (object);

  g_clear_pointer (&self->prebuffer, g_bytes_unref);

  G_OBJECT_CLASS (sonde_tap_input_stream_parent_class)->finalize (object);
}

static void
sonde_tap_input_stream_class_init (SondeTapInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = sonde_tap_input_stream_finalize;
  input_class->read_fn = sonde_tap_input_stream_read;
}

static void
sonde_tap_input_stream_init (SondeTapInputStream *self)
{
}

/**
 * sonde_tap_input_stream_new:
 * @prebuffer: (nullable): bytes to serve before any of @base's
 * @tap: called with a copy of every byte read
 */
GInputStream *
sonde_tap_input_stream_new (GInputStream *base,
                            GBytes       *prebuffer,
                            SondeTapFunc  tap,
                            gpointer      user_data)
{
  SondeTapInputStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);

  self = g_object_new (SONDE_TYPE_TAP_INPUT_STREAM,
                       "base-stream", base,
                       "close-base-stream", FALSE,
                       NULL);
  if (prebuffer != NULL && g_bytes_get_size (prebuffer) > 0)
    self->prebuffer = g_bytes_ref (prebuffer);
  self->tap = tap;
  self->user_data = user_data;

  return G_INPUT_STREAM (self);
}

/**
 * sonde_tap_input_stream_cut:
 * @keep: how many of the bytes being reported still pass on
 *
 * Called from the tap function, while it is handed bytes: of those, only
 * the first @keep reach the reader, and after them nothing ever does. The
 * stream then reads as empty (would block) for good; its owner closes the
 * connection under it.
 */
void
sonde_tap_input_stream_cut (SondeTapInputStream *self,
                            gsize                keep)
{
  g_return_if_fail (SONDE_IS_TAP_INPUT_STREAM (self));

  if (self->cut)
    return;
  self->cut = TRUE;
  self->cut_keep = keep;
}

struct _SondeTapOutputStream
{
  GFilterOutputStream  parent_instance;

  GQueue               injections;      /* GBytes, whole frames */
  gsize                injected;        /* bytes of the head already written */
  GSource             *drain_source;
  SondeTapFunc         tap;
  SondeTapCanInject    can_inject;
  gpointer             user_data;
};

static void tap_output_pollable_iface_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeTapOutputStream, sonde_tap_output_stream, G_TYPE_FILTER_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      tap_output_pollable_iface_init))

static GPollableOutputStream *
output_base (SondeTapOutputStream *self)
{
  return G_POLLABLE_OUTPUT_STREAM (g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self)));
}

static void
report_out (SondeTapOutputStream *self,
            const void           *buffer,
            gssize                n)
{
  if (n > 0 && self->tap != NULL)
    self->tap (self->user_data, buffer, (gsize)n);
}

/* Writes queued injections while it may. Returns FALSE when one is still
 * part-written: nothing else may go out before it. */
static gboolean
write_injections (SondeTapOutputStream  *self,
                  GError               **error)
{
  while (!g_queue_is_empty (&self->injections))
    {
      GBytes *head = g_queue_peek_head (&self->injections);
      gsize size;
      const guint8 *data = g_bytes_get_data (head, &size);
      gssize n;

      /* A new injection starts only between frames; a begun one always continues. */
      if (self->injected == 0 && self->can_inject != NULL && !self->can_inject (self->user_data))
        return TRUE;

      n = g_pollable_output_stream_write_nonblocking (output_base (self), data + self->injected,
                                                      size - self->injected, NULL, error);
      if (n < 0)
        return FALSE;

      report_out (self, data + self->injected, n);
      self->injected += (gsize)n;
      if (self->injected < size)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
          return FALSE;
        }

      self->injected = 0;
      g_bytes_unref (g_queue_pop_head (&self->injections));
    }

  return TRUE;
}

static gboolean drain_cb (GObject *stream, gpointer user_data);

static void
schedule_drain (SondeTapOutputStream *self)
{
  if (self->drain_source != NULL || g_queue_is_empty (&self->injections))
    return;

  self->drain_source = g_pollable_output_stream_create_source (output_base (self), NULL);
  g_source_set_callback (self->drain_source, G_SOURCE_FUNC (drain_cb), self, NULL);
  g_source_set_static_name (self->drain_source, "[sonde] tap injection");
  g_source_attach (self->drain_source, g_main_context_get_thread_default ());
}

static gboolean
drain_cb (GObject  *stream,
          gpointer  user_data)
{
  SondeTapOutputStream *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->drain_source, g_source_unref);

  if (!write_injections (self, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* The connection is going; libsoup will see the same error. */
      g_queue_clear_full (&self->injections, (GDestroyNotify)g_bytes_unref);
      self->injected = 0;
      return G_SOURCE_REMOVE;
    }

  /* Still queued: either the socket is full or libsoup is mid-frame and
   * will hand us the turn on its next write. */
  if (self->injected > 0)
    schedule_drain (self);

  return G_SOURCE_REMOVE;
}

/**
 * sonde_tap_output_stream_inject:
 * @bytes: one or more whole frames, written together
 *
 * Queues @bytes to go out at the next point between frames.
 */
void
sonde_tap_output_stream_inject (SondeTapOutputStream *self,
                                GBytes               *bytes)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SONDE_IS_TAP_OUTPUT_STREAM (self));
  g_return_if_fail (bytes != NULL);

  g_queue_push_tail (&self->injections, g_bytes_ref (bytes));

  if (!write_injections (self, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return;

  schedule_drain (self);
}

gboolean
sonde_tap_output_stream_has_pending_injection (SondeTapOutputStream *self)
{
  g_return_val_if_fail (SONDE_IS_TAP_OUTPUT_STREAM (self), FALSE);

  return !g_queue_is_empty (&self->injections);
}

static gssize
sonde_tap_output_stream_write (GOutputStream  *stream,
                               const void     *buffer,
                               gsize           count,
                               GCancellable   *cancellable,
                               GError        **error)
{
  SondeTapOutputStream *self = SONDE_TAP_OUTPUT_STREAM (stream);
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (stream));
  gssize n;

  /* Blocking writers get the injections out first, whole. */
  while (!g_queue_is_empty (&self->injections) &&
         (self->injected > 0 || self->can_inject == NULL || self->can_inject (self->user_data)))
    {
      GBytes *head = g_queue_peek_head (&self->injections);
      gsize size;
      const guint8 *data = g_bytes_get_data (head, &size);
      gsize written = 0;

      if (!g_output_stream_write_all (base, data + self->injected, size - self->injected, &written,
                                      cancellable, error))
        return -1;
      report_out (self, data + self->injected, (gssize)written);
      self->injected = 0;
      g_bytes_unref (g_queue_pop_head (&self->injections));
    }

  n = g_output_stream_write (base, buffer, count, cancellable, error);
  report_out (self, buffer, n);
  return n;
}

static gboolean
sonde_tap_output_stream_can_poll (GPollableOutputStream *stream)
{
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (stream));

  return G_IS_POLLABLE_OUTPUT_STREAM (base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static gboolean
sonde_tap_output_stream_is_writable (GPollableOutputStream *stream)
{
  return g_pollable_output_stream_is_writable (output_base (SONDE_TAP_OUTPUT_STREAM (stream)));
}

static gssize
sonde_tap_output_stream_write_nonblocking (GPollableOutputStream  *stream,
                                          const void             *buffer,
                                          gsize                   count,
                                          GError                **error)
{
  SondeTapOutputStream *self = SONDE_TAP_OUTPUT_STREAM (stream);
  gssize n;

  if (!write_injections (self, error))
    return -1;

  n = g_pollable_output_stream_write_nonblocking (output_base (self), buffer, count, NULL, error);
  report_out (self, buffer, n);

  /* libsoup may have just finished a frame with an injection waiting behind it. */
  schedule_drain (self);

  return n;
}

static GSource *
sonde_tap_output_stream_create_source (GPollableOutputStream *stream,
                                       GCancellable          *cancellable)
{
  g_autoptr(GSource) child = NULL;

  child = g_pollable_output_stream_create_source (output_base (SONDE_TAP_OUTPUT_STREAM (stream)), NULL);

  return g_pollable_source_new_full (stream, child, cancellable);
}

static void
tap_output_pollable_iface_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = sonde_tap_output_stream_can_poll;
  iface->is_writable = sonde_tap_output_stream_is_writable;
  iface->create_source = sonde_tap_output_stream_create_source;
  iface->write_nonblocking = sonde_tap_output_stream_write_nonblocking;
}

static void
sonde_tap_output_stream_dispose (GObject *object)
{
  SondeTapOutputStream *self = SONDE_TAP_OUTPUT_STREAM (object);

  if (self->drain_source != NULL)
    {
      g_source_destroy (self->drain_source);
      g_clear_pointer (&self->drain_source, g_source_unref);
    }
  g_queue_clear_full (&self->injections, (GDestroyNotify)g_bytes_unref);

  G_OBJECT_CLASS (sonde_tap_output_stream_parent_class)->dispose (object);
}

static void
sonde_tap_output_stream_class_init (SondeTapOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->dispose = sonde_tap_output_stream_dispose;
  output_class->write_fn = sonde_tap_output_stream_write;
}

static void
sonde_tap_output_stream_init (SondeTapOutputStream *self)
{
  g_queue_init (&self->injections);
}

/**
 * sonde_tap_output_stream_new:
 * @tap: called with a copy of every byte written, injected ones included
 * @can_inject: (nullable): whether a new injection may start now
 */
GOutputStream *
sonde_tap_output_stream_new (GOutputStream     *base,
                             SondeTapFunc       tap,
                             SondeTapCanInject  can_inject,
                             gpointer           user_data)
{
  SondeTapOutputStream *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (base), NULL);

  self = g_object_new (SONDE_TYPE_TAP_OUTPUT_STREAM,
                       "base-stream", base,
                       "close-base-stream", FALSE,
                       NULL);
  self->tap = tap;
  self->can_inject = can_inject;
  self->user_data = user_data;

  return G_OUTPUT_STREAM (self);
}

/**
 * sonde_tap_stream_detach:
 *
 * Stops the taps of a stream made by sonde_tap_stream_new(): after this,
 * bytes pass through unreported, so the owner may go away first.
 */
void
sonde_tap_stream_detach (GIOStream *stream)
{
  SondeTapInputStream *input;
  SondeTapOutputStream *output;

  g_return_if_fail (G_IS_IO_STREAM (stream));

  input = SONDE_TAP_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  output = SONDE_TAP_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  input->tap = NULL;
  output->tap = NULL;
  output->can_inject = NULL;
  if (output->drain_source != NULL)
    {
      g_source_destroy (output->drain_source);
      g_clear_pointer (&output->drain_source, g_source_unref);
    }
  g_queue_clear_full (&output->injections, (GDestroyNotify)g_bytes_unref);
  output->injected = 0;
}

/**
 * sonde_tap_stream_new:
 * @base: the connection, plain or TLS
 * @prebuffer: (nullable): bytes read past the upgrade response: frames
 *
 * Returns: (transfer full): a stream to hand to libsoup
 */
GIOStream *
sonde_tap_stream_new (GIOStream         *base,
                      GBytes            *prebuffer,
                      SondeTapFunc       read_tap,
                      SondeTapFunc       write_tap,
                      SondeTapCanInject  can_inject,
                      gpointer           user_data)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  input = sonde_tap_input_stream_new (g_io_stream_get_input_stream (base), prebuffer,
                                      read_tap, user_data);
  output = sonde_tap_output_stream_new (g_io_stream_get_output_stream (base), write_tap,
                                        can_inject, user_data);

  return g_simple_io_stream_new (input, output);
}

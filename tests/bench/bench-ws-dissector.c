/* bench-ws-dissector.c: how fast the WebSocket dissector takes frames of 16 bytes and of 64 KiB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-ws-dissector [--seconds S] [--shape NAME] [--write-input PREFIX]
 * Feeds a stream of like-sized text frames (one message each, UTF-8 checked)
 * in 64 KiB pieces, over and over for about S seconds (default 1) per shape,
 * and prints frames/s and MB/s of the wire bytes for the best of ten rounds.
 * Shapes: 16B and 64KiB are a server's frames (not masked), 16B-masked and
 * 64KiB-masked a client's. With --write-input it writes each stream to
 * PREFIX-SHAPE.bin instead, so that a peer can be given the very same bytes
 * (tests/bench/peers/). --shape runs one shape only.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sonde-ws-dissector.h"

#define CHUNK (64 * 1024)
#define STREAM_SIZE (8 * 1024 * 1024)

typedef struct
{
  const char *name;
  gsize       payload;    /* bytes of text per frame */
  gboolean    masked;     /* a client's frames */
} Shape;

static const Shape shapes[] = {
  { "16B", 14, FALSE },
  { "64KiB", 65536, FALSE },
  { "16B-masked", 10, TRUE },
  { "64KiB-masked", 65536, TRUE },
};

static gsize
header_size (const Shape *shape)
{
  gsize size = shape->payload < 126 ? 2 : shape->payload < 65536 ? 4 : 10;

  return size + (shape->masked ? 4 : 0);
}

/* Text of exactly @len bytes, whole characters only: JSON-like ASCII with a
 * two-, three- or four-byte character now and then, as chat or market data. */
static void
append_text (GByteArray *out,
             gsize       len,
             guint       n)
{
  static const char *pieces[] = {
    "{\"sym\":\"ACME\",", "\"price\":12.50,", "\"note\":\"caf\xC3\xA9\",", "\"qty\":100,",
    "\"ok\":true,", "\"cur\":\"\xE2\x82\xAC\",", "\"lorem\":\"ipsum dolor sit amet\",",
    "\"mood\":\"\xF0\x9F\x99\x82\",",
  };
  gsize end = out->len + len;

  if (len < 32)
    {
      /* Short frames: a counter, and a character outside ASCII every other one. */
      char small[32];
      int written = n % 2 ? g_snprintf (small, sizeof small, "\xC3\xA9%0*u", (int) len - 2, n)
                          : g_snprintf (small, sizeof small, "%0*u", (int) len, n);

      g_assert ((gsize) written >= len);
      g_byte_array_append (out, (const guint8 *) small + written - len, len);
      if (n % 2)
        memcpy (out->data + end - len, "\xC3\xA9", 2);
      return;
    }

  for (guint i = n;; i++)
    {
      const char *piece = pieces[i % G_N_ELEMENTS (pieces)];
      gsize piece_len = strlen (piece);

      if (out->len + piece_len > end)
        break;
      g_byte_array_append (out, (const guint8 *) piece, piece_len);
    }
  while (out->len < end)
    g_byte_array_append (out, (const guint8 *) ".", 1);
}

static void
append_frame (GByteArray  *stream,
              const Shape *shape,
              guint        n)
{
  guint8 header[14];
  gsize h = 2;
  guint8 key[4] = { (guint8) n, (guint8) (n >> 8), 0x5A, 0xC3 };
  gsize start;

  header[0] = 0x81;
  header[1] = shape->masked ? 0x80 : 0;
  if (shape->payload < 126)
    {
      header[1] |= (guint8) shape->payload;
    }
  else if (shape->payload < 65536)
    {
      header[1] |= 126;
      header[2] = (guint8) (shape->payload >> 8);
      header[3] = (guint8) shape->payload;
      h = 4;
    }
  else
    {
      header[1] |= 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) shape->payload >> (56 - 8 * i));
      h = 10;
    }
  if (shape->masked)
    {
      memcpy (header + h, key, 4);
      h += 4;
    }
  g_byte_array_append (stream, header, h);

  start = stream->len;
  append_text (stream, shape->payload, n);
  if (shape->masked)
    {
      for (gsize i = 0; i < shape->payload; i++)
        stream->data[start + i] ^= key[i & 3];
    }
}

static GByteArray *
make_stream (const Shape *shape)
{
  GByteArray *stream = g_byte_array_sized_new (STREAM_SIZE);
  gsize frame_size = header_size (shape) + shape->payload;

  for (guint n = 0; stream->len + frame_size <= STREAM_SIZE; n++)
    append_frame (stream, shape, n);

  return stream;
}

typedef struct
{
  guint64 frames;
  guint64 messages;
  guint64 data_bytes;
  guint32 violations;
} Counts;

static void
count_frame (gpointer            user_data,
             const SondeWsFrame *frame)
{
  Counts *counts = user_data;

  counts->frames++;
}

static void
count_message (gpointer              user_data,
               const SondeWsMessage *message)
{
  Counts *counts = user_data;

  counts->messages++;
  counts->data_bytes += message->data_len;
  counts->violations |= message->violations;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The machine may be shared, so the time is cut into ten rounds and the
 * best round is reported, with the median beside it. */
#define ROUNDS 10

static void
feed_stream (SondeWsDissector *dissector,
             GByteArray       *stream)
{
  for (gsize at = 0; at < stream->len; at += CHUNK)
    sonde_ws_dissector_feed (dissector, stream->data + at, MIN (CHUNK, stream->len - at));
}

static void
run_shape (const Shape *shape,
           double       seconds)
{
  SondeWsCallbacks callbacks = { .frame = count_frame, .message = count_message };
  g_autoptr(GByteArray) stream = make_stream (shape);
  g_autoptr(SondeWsDissector) dissector = NULL;
  Counts counts = { 0 };
  gsize frame_size = header_size (shape) + shape->payload;
  guint64 frames_per_pass = stream->len / frame_size;
  double rates[ROUNDS];

  dissector = sonde_ws_dissector_new (shape->masked ? SONDE_WS_FROM_CLIENT : SONDE_WS_FROM_SERVER,
                                      &callbacks, &counts);

  /* Once to warm up, and to check that every message came out, clean. */
  feed_stream (dissector, stream);
  if (counts.frames != frames_per_pass || counts.messages != frames_per_pass ||
      counts.data_bytes != frames_per_pass * shape->payload || counts.violations != 0)
    g_error ("expected %" G_GUINT64_FORMAT " clean messages, got %" G_GUINT64_FORMAT
             " (violations 0x%x)", frames_per_pass, counts.messages, counts.violations);

  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      counts.frames = 0;
      do
        {
          feed_stream (dissector, stream);
          elapsed = g_get_monotonic_time () - start;
        }
      while (elapsed < seconds / ROUNDS * G_USEC_PER_SEC);

      rates[round] = counts.frames / (elapsed / 1e6);
    }

  qsort (rates, ROUNDS, sizeof rates[0], compare_doubles);
  g_print ("ws-dissector %s: %.2f M frames/s, %.0f MB/s (best of %d rounds; median %.2f M frames/s)\n",
           shape->name, rates[ROUNDS - 1] / 1e6, rates[ROUNDS - 1] * frame_size / 1e6,
           ROUNDS, rates[ROUNDS / 2] / 1e6);
}

static void
write_inputs (const char *prefix)
{
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GByteArray) stream = make_stream (&shapes[i]);
      g_autofree char *path = g_strdup_printf ("%s-%s.bin", prefix, shapes[i].name);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (path, (const char *) stream->data, stream->len, &error))
        {
          g_printerr ("%s\n", error->message);
          exit (1);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  double seconds = 1.0;
  const char *write_prefix = NULL;
  const char *only = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--seconds") && i + 1 < argc)
        seconds = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--write-input") && i + 1 < argc)
        write_prefix = argv[++i];
      else if (g_str_equal (argv[i], "--shape") && i + 1 < argc)
        only = argv[++i];
      else
        {
          g_printerr ("usage: %s [--seconds S] [--shape NAME] [--write-input PREFIX]\n", argv[0]);
          return 2;
        }
    }

  if (write_prefix != NULL)
    {
      write_inputs (write_prefix);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      if (only == NULL || g_str_equal (only, shapes[i].name))
        run_shape (&shapes[i], seconds);
    }

  return 0;
}

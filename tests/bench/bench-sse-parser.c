/* bench-sse-parser.c: how fast the SSE parser takes events of 64 bytes and of 1 KiB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-sse-parser [--seconds S] [--shape NAME] [--write-input PREFIX]
 * Feeds a stream of like-sized events in 64 KiB pieces, over and over for
 * about S seconds (default 1) per size, and prints events/s and MB/s of the
 * best of ten rounds. With
 * --write-input it writes the streams to PREFIX-64B.txt, PREFIX-1KiB.txt and
 * PREFIX-1KiB-utf8.txt instead, so that a peer parser can be given the very
 * same bytes (tests/bench/peers/). --shape runs one size only (64B, 1KiB or
 * 1KiB-utf8).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sonde-sse-parser.h"

#define CHUNK (64 * 1024)
#define STREAM_SIZE (8 * 1024 * 1024)

typedef struct
{
  const char *name;
  gsize       event_size;
  gboolean    mostly_utf8;   /* data mostly of two- and three-byte characters */
} Shape;

static const Shape shapes[] = {
  { "64B", 64, FALSE },
  { "1KiB", 1024, FALSE },
  { "1KiB-utf8", 1024, TRUE },
};

/* Text for the data lines: ASCII with a few multi-byte characters, or the
 * other way round. Every piece is whole characters. */
static const char *ascii_pieces[] = {
  "{\"sym\":\"ACME\",", "\"price\":12.50,", "\"note\":\"caf\xC3\xA9\",", "\"cur\":\"\xE2\x82\xAC\",",
  "\"qty\":100,", "\"ok\":true,", "\"lorem\":\"ipsum dolor sit amet\",", "\"mood\":\"\xF0\x9F\x99\x82\",",
};
static const char *utf8_pieces[] = {
  "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 ", "\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C ",
  "\xCE\xBA\xCE\xB1\xCE\xBB\xCE\xB7\xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1 ", "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB ",
};

/* One event of exactly @size bytes: "id: N\ndata: ...\n\n". */
static void
append_event (GString     *stream,
              const Shape *shape,
              guint        n)
{
  gsize start = stream->len;
  gsize data_end;
  const char **pieces = shape->mostly_utf8 ? utf8_pieces : ascii_pieces;
  guint n_pieces = shape->mostly_utf8 ? G_N_ELEMENTS (utf8_pieces) : G_N_ELEMENTS (ascii_pieces);

  g_string_append_printf (stream, "id: %u\ndata: ", n);
  data_end = start + shape->event_size - 2;

  for (guint i = n;; i++)
    {
      const char *piece = pieces[i % n_pieces];
      gsize len = strlen (piece);

      if (stream->len + len > data_end)
        break;
      g_string_append_len (stream, piece, len);
    }
  while (stream->len < data_end)
    g_string_append_c (stream, '.');
  g_string_append (stream, "\n\n");

  g_assert (stream->len - start == shape->event_size);
}

static GString *
make_stream (const Shape *shape)
{
  GString *stream = g_string_sized_new (STREAM_SIZE);

  for (guint n = 0; stream->len + shape->event_size <= STREAM_SIZE; n++)
    append_event (stream, shape, n);

  return stream;
}

typedef struct
{
  guint64 events;
  guint64 data_bytes;
} Counts;

static void
count_event (gpointer             user_data,
             const SondeSseEvent *event)
{
  Counts *counts = user_data;

  counts->events++;
  counts->data_bytes += event->data_len;
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
run_shape (const Shape *shape,
           double       seconds)
{
  SondeSseCallbacks callbacks = { .event = count_event };
  g_autoptr(GString) stream = make_stream (shape);
  g_autoptr(SondeSseParser) parser = NULL;
  Counts counts = { 0 };
  guint64 events_per_pass = stream->len / shape->event_size;
  double rates[ROUNDS];

  parser = sonde_sse_parser_new (&callbacks, &counts);

  /* Once to warm up, and to check every event came out. */
  for (gsize at = 0; at < stream->len; at += CHUNK)
    sonde_sse_parser_feed (parser, (const guint8 *) stream->str + at, MIN (CHUNK, stream->len - at));
  if (counts.events != events_per_pass)
    g_error ("expected %" G_GUINT64_FORMAT " events, got %" G_GUINT64_FORMAT,
             events_per_pass, counts.events);

  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      counts.events = 0;
      do
        {
          for (gsize at = 0; at < stream->len; at += CHUNK)
            sonde_sse_parser_feed (parser, (const guint8 *) stream->str + at,
                                   MIN (CHUNK, stream->len - at));
          elapsed = g_get_monotonic_time () - start;
        }
      while (elapsed < seconds / ROUNDS * G_USEC_PER_SEC);

      rates[round] = counts.events / (elapsed / 1e6);
    }

  qsort (rates, ROUNDS, sizeof rates[0], compare_doubles);
  g_print ("sse-parser %s: %.2f M events/s, %.0f MB/s (best of %d rounds; median %.2f M events/s)\n",
           shape->name, rates[ROUNDS - 1] / 1e6, rates[ROUNDS - 1] * shape->event_size / 1e6,
           ROUNDS, rates[ROUNDS / 2] / 1e6);
}

static void
write_inputs (const char *prefix)
{
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GString) stream = make_stream (&shapes[i]);
      g_autofree char *path = g_strdup_printf ("%s-%s.txt", prefix, shapes[i].name);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (path, stream->str, stream->len, &error))
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

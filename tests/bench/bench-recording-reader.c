/* bench-recording-reader.c: how fast a 1 GB recording of small SSE events reads back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes the recording with the real writer into a temporary directory,
 * reads it whole with the reader (best of three rounds), and deletes it.
 * The file was just written, so it is read from the page cache: this is
 * what the reader costs, not what the disk does. Usage: bench-recording-reader [MB]
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"

#define EVENT_SIZE 64

/* One event block of exactly EVENT_SIZE bytes: its id and a JSON price. */
static gsize
make_event (char    *block,
            guint64  i)
{
  int len = g_snprintf (block, EVENT_SIZE + 1, "id: %" G_GUINT64_FORMAT "\ndata: {\"sym\":\"ACME\",\"px\":%u.%02u,\"q\":\"",
                        i, (guint)(i % 1000), (guint)(i % 100));

  g_assert (len > 0 && len < EVENT_SIZE - 4);
  memset (block + len, 'x', EVENT_SIZE - 4 - len);
  memcpy (block + EVENT_SIZE - 4, "\"}\n\n", 4);
  return EVENT_SIZE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started_at = g_date_time_new_now_utc ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint64 target = (argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000) * 1000 * 1000;
  guint64 n_written = 0;
  guint64 size;
  double best = G_MAXDOUBLE;
  guint64 n_read = 0;
  GStatBuf st;

  dir = g_dir_make_tmp ("sonde-bench-reader-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "recording.jsonl", NULL);

  {
    g_autoptr(SondeRecordingWriter) writer = sonde_recording_writer_new_for_path (path, &error);
    char block[EVENT_SIZE + 1];
    guint64 approx = 0;

    g_assert_no_error (error);
    sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_SSE, "http://127.0.0.1:8080/prices",
                                         started_at);
    while (approx < target)
      {
        char id[24];
        SondeEntryView view = {
          .seq = n_written,
          .time_us = (gint64)n_written * 20 + 7,
          .direction = SONDE_DIRECTION_IN,
          .kind = SONDE_ENTRY_SSE,
          .fields = "",
        };

        view.id = id;
        view.id_len = (gsize)g_snprintf (id, sizeof id, "%" G_GUINT64_FORMAT, n_written);
        view.raw = (const guint8 *)block;
        view.raw_len = make_event (block, n_written);
        sonde_recording_writer_write_entry (writer, &view);
        n_written++;
        /* Lines are all about the same length; check the file now and then. */
        if (n_written % 100000 == 0 && g_stat (path, &st) == 0)
          approx = (guint64)st.st_size + 256 * 1024;
      }
    sonde_recording_writer_close (writer, &error);
    g_assert_no_error (error);
  }
  g_assert (g_stat (path, &st) == 0);
  size = (guint64)st.st_size;

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(SondeRecordingReader) reader = NULL;
      SondeEntryView view;
      gint64 start = g_get_monotonic_time ();
      double seconds;

      n_read = 0;
      reader = sonde_recording_reader_new_for_path (path, &error);
      g_assert_no_error (error);
      while (sonde_recording_reader_next (reader, &view, &error))
        n_read++;
      g_assert_no_error (error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      best = MIN (best, seconds);
      g_assert_cmpuint (n_read, ==, n_written);
    }

  g_unlink (path);
  g_rmdir (dir);

  g_print ("recording-reader: %.0f MB/s, %.2f M entries/s (%.1f GB)\n",
           size / best / 1e6, n_read / best / 1e6, size / 1e9);
  return 0;
}

/* bench-open-recording.c: opening a 1 GB recording in the real window: first row, fully loaded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a recording of WebSocket text messages of about 100 bytes into a
 * temporary file (in g_get_tmp_dir(): TMPDIR chooses where), then opens it
 * in a Sonde window under Xvfb, as Open does, and measures from the call to
 * the first row painted (in milliseconds, in the main thread's CPU time,
 * which a shared machine disturbs less, and in frames drawn), and to the
 * last entry loaded (also in the process's CPU time, all threads), with the longest gap between frames meanwhile (how
 * responsive the window stays) and the process's peak resident memory, on a
 * second opening: the first warms the renderer and the page cache. The file
 * is unlinked as soon as the measured opening holds it open, so that even a
 * failed run leaves no gigabyte behind.
 * Usage: bench-open-recording [MB]
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sonde-application.h"
#include "sonde-recording-writer.h"
#include "sonde-window.h"
#include "sonde-window-files.h"

#define MESSAGE_SIZE 96

static void
write_recording (const char *path,
                 guint64     target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started_at = g_date_time_new_now_utc ();
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  guint8 frame[2 + MESSAGE_SIZE];
  guint64 n = 0;
  GStatBuf st;

  writer = sonde_recording_writer_new_for_path (tmp, &error);
  g_assert_no_error (error);
  sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_WEBSOCKET,
                                       "ws://127.0.0.1:8080/ticks", started_at);
  /* An unmasked text frame from the server: FIN and opcode 1, then the length. */
  frame[0] = 0x81;
  frame[1] = MESSAGE_SIZE;
  for (;;)
    {
      int len = g_snprintf ((char *)frame + 2, MESSAGE_SIZE + 1,
                            "{\"tick\":%" G_GUINT64_FORMAT ",\"bid\":%u.%02u,\"pad\":\"", n,
                            (guint)(n % 997), (guint)(n % 89));
      SondeEntryView view = {
        .seq = n,
        .time_us = (gint64)n * 50 + 3,
        .direction = SONDE_DIRECTION_IN,
        .kind = SONDE_ENTRY_TEXT,
        .fields = "",
        .raw = frame,
        .raw_len = sizeof frame,
      };

      memset (frame + 2 + len, '-', MESSAGE_SIZE - len - 2);
      memcpy (frame + 2 + MESSAGE_SIZE - 2, "\"}", 2);
      sonde_recording_writer_write_entry (writer, &view);
      n++;
      if (n % 100000 == 0 && g_stat (tmp, &st) == 0 && (guint64)st.st_size >= target)
        break;
    }
  sonde_recording_writer_close (writer, &error);
  g_assert_no_error (error);
  g_assert (g_rename (tmp, path) == 0);
}

typedef struct
{
  gint64 last;
  gint64 longest;
  guint  n_frames;
} Stall;

/* The main thread's CPU time: what the window spent, whatever else the
 * machine runs. */
static gint64
cpu_us (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Stall *stall = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  stall->n_frames++;
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  guint64 target = (argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000) * 1000 * 1000;
  g_autofree char *path = NULL;
  struct rusage usage;
  gint64 start_cpu, first_row_cpu, start_process_cpu, done_process_cpu;
  guint first_row_frames;
  int fd;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  SondeApplication *app;
  SondeWindow *window;
  SondeRecordingLoader *loader;
  SondeEventLog *log;
  SondeTab *tab;
  Stall stall = { 0 };
  gint64 start, first_row = 0, done;
  guint tick;
  GStatBuf st;

  if (target == 0)
    {
      g_printerr ("usage: bench-open-recording [MB]\n");
      return 2;
    }

  fd = g_file_open_tmp ("sonde-open-recording-XXXXXX.jsonl", &path, &error);
  g_assert_no_error (error);
  close (fd);
  write_recording (path, target);
  g_assert (g_stat (path, &st) == 0);
  file = g_file_new_for_path (path);

  app = sonde_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = sonde_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  /* A first opening, cancelled at its first rows, so that what is measured
   * is not the renderer's first start (shaders, under llvmpipe) or the
   * first read of the file from disk. */
  tab = sonde_window_open_file (window, file);
  loader = sonde_tab_get_loader (tab);
  while (g_list_model_get_n_items (G_LIST_MODEL (sonde_recording_loader_get_log (loader))) == 0)
    g_main_context_iteration (NULL, TRUE);
  sonde_recording_loader_cancel (loader);
  while (!sonde_recording_loader_get_finished (loader))
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  /* Not the last tab: that would close the window. */
  sonde_window_add_tab (window);
  adw_tab_view_close_page (sonde_window_get_tab_view (window),
                           adw_tab_view_get_page (sonde_window_get_tab_view (window),
                                                  GTK_WIDGET (tab)));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, &stall, NULL);
  start = g_get_monotonic_time ();
  start_cpu = cpu_us (CLOCK_THREAD_CPUTIME_ID);
  start_process_cpu = cpu_us (CLOCK_PROCESS_CPUTIME_ID);
  tab = sonde_window_open_file (window, file);
  loader = sonde_tab_get_loader (tab);
  log = sonde_recording_loader_get_log (loader);

  /* The first row is on screen once the list has it and a frame was drawn. */
  while (g_list_model_get_n_items (G_LIST_MODEL (log)) == 0 &&
         !sonde_recording_loader_get_finished (loader))
    g_main_context_iteration (NULL, TRUE);
  {
    gint64 seen = stall.last;

    while (stall.last == seen)
      g_main_context_iteration (NULL, TRUE);
  }
  first_row = g_get_monotonic_time ();
  first_row_cpu = cpu_us (CLOCK_THREAD_CPUTIME_ID);
  first_row_frames = stall.n_frames;
  /* The loader holds the file open by now: it has read the header. */
  g_assert (g_unlink (path) == 0);

  while (!sonde_recording_loader_get_finished (loader))
    g_main_context_iteration (NULL, TRUE);
  done = g_get_monotonic_time ();
  done_process_cpu = cpu_us (CLOCK_PROCESS_CPUTIME_ID);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);

  getrusage (RUSAGE_SELF, &usage);

  g_print ("open-recording: first row %.1f ms (main thread CPU %.1f ms, in frame %u), "
           "fully loaded %.2f s (%.0f MB/s, %.2f M entries; process CPU %.2f s), "
           "%u frames drawn while loading (longest gap %.1f ms), peak resident memory %.0f MB, "
           "log %.0f MB (%.2f GB file)\n",
           (first_row - start) / 1e3, (first_row_cpu - start_cpu) / 1e3, first_row_frames,
           (done - start) / 1e6, st.st_size / ((done - start) / 1e6) / 1e6,
           sonde_event_log_get_n_entries (log) / 1e6,
           (done_process_cpu - start_process_cpu) / 1e6, stall.n_frames - first_row_frames,
           stall.longest / 1e3,
           usage.ru_maxrss / 1e3, sonde_event_log_get_memory_size (log) / 1e6,
           st.st_size / 1e9);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);

  return 0;
}

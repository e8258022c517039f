/* bench-event-list.c: the slowest frame while a million-entry list scrolls, selects and follows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-details-pane.h"
#include "sonde-event-list.h"
#include "sonde-event-log.h"
#include "sonde-test-widget.h"

/* The real list and details pane in a window, as the inspector shows them,
 * over a log of a million SSE events. A frame's cost is the time from the
 * frame clock's before-paint to its after-paint, so waiting for the next vblank
 * does not count; the slowest frame of each activity is printed. */

#define N_ENTRIES 1000000
#define N_STEPS   300
#define MAX_WAIT_US (10 * G_USEC_PER_SEC)

typedef struct
{
  gint64 frame_start;
  gint64 slowest;
  guint  frames;
} Frames;

static Frames frames;

static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock)
{
  frames.frame_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock)
{
  if (frames.frame_start == 0)
    return;
  frames.slowest = MAX (frames.slowest, g_get_monotonic_time () - frames.frame_start);
  frames.frames++;
  frames.frame_start = 0;
}

static void
reset_frames (void)
{
  frames.slowest = 0;
  frames.frames = 0;
}

/* Runs the main loop until one more frame has been painted. */
static void
next_frame (GtkWidget *widget)
{
  guint before = frames.frames;
  gint64 deadline = g_get_monotonic_time () + MAX_WAIT_US;

  gtk_widget_queue_draw (widget);
  while (frames.frames == before && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (frames.frames == before)
    g_error ("no frame was painted in %d s", (int)(MAX_WAIT_US / G_USEC_PER_SEC));
}

static void
append_events (SondeEventLog *log,
               guint          from,
               guint          to)
{
  for (guint i = from; i < to; i++)
    {
      char raw[128];
      char id[16];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int len = g_snprintf (raw, sizeof raw, "id: %u\nevent: quote\ndata: {\"price\":%u.%02u,\"sym\":\"ACME\"}\n\n",
                            i, i % 1000, i % 100);

      sonde_event_log_append (log, (gint64)i * 50, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len,
                              NULL, 0, (const guint8 *)raw, len);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  GtkWidget *window;
  GtkWidget *paned;
  GtkWidget *list;
  GtkWidget *pane;
  GtkAdjustment *adjustment;
  GdkFrameClock *clock;
  GRand *rand = g_rand_new_with_seed (42);
  double scroll_ms;
  double jump_ms;
  double select_ms;
  double follow_ms;

  adw_init ();

  append_events (log, 0, N_ENTRIES);
  sonde_event_log_flush_notify (log);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  list = sonde_event_list_new ();
  pane = sonde_details_pane_new ();
  sonde_details_pane_set_log (SONDE_DETAILS_PANE (pane), log);
  g_object_bind_property (list, "selected-entry", pane, "entry", G_BINDING_SYNC_CREATE);
  gtk_paned_set_start_child (GTK_PANED (paned), list);
  gtk_paned_set_end_child (GTK_PANED (paned), pane);
  gtk_paned_set_position (GTK_PANED (paned), 480);
  gtk_window_set_child (GTK_WINDOW (window), paned);
  sonde_event_list_set_model (SONDE_EVENT_LIST (list), G_LIST_MODEL (log));
  gtk_window_present (GTK_WINDOW (window));

  while (!gtk_widget_get_mapped (list))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  /* A running tick keeps every phase of every frame going, so each frame
   * is seen from its start to its end. */
  gtk_widget_add_tick_callback (window, keep_ticking, NULL, NULL);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (sonde_test_find_descendant (list, GTK_TYPE_COLUMN_VIEW)));
  if (g_getenv ("BENCH_DEBUG")) g_printerr ("mapped\n");
  for (guint i = 0; i < 10; i++)
    next_frame (list);
  if (g_getenv ("BENCH_DEBUG")) g_printerr ("10 frames\n");

  /* Scrolling by a few rows a frame, as a wheel or a held arrow key does. */
  gtk_adjustment_set_value (adjustment, 0);
  next_frame (list);
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 90);
      next_frame (list);
    }
  scroll_ms = frames.slowest / 1000.0;
  if (g_getenv ("BENCH_DEBUG")) g_printerr ("scrolled: %u frames\n", frames.frames);

  /* Jumping anywhere, as dragging the scroll bar does. */
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      gtk_adjustment_set_value (adjustment, g_rand_double_range (rand, 0, upper));
      next_frame (list);
    }
  jump_ms = frames.slowest / 1000.0;
  if (g_getenv ("BENCH_DEBUG")) g_printerr ("jumped\n");

  /* Selecting entries all over the log, with the details pane showing each. */
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      sonde_event_list_select_seq (SONDE_EVENT_LIST (list), g_rand_int_range (rand, 0, N_ENTRIES));
      next_frame (list);
      next_frame (list);
    }
  select_ms = frames.slowest / 1000.0;

  /* Following the live edge while 10,000 entries arrive a frame. */
  sonde_event_list_jump_to_live (SONDE_EVENT_LIST (list));
  next_frame (list);
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      append_events (log, N_ENTRIES + i * 10000, N_ENTRIES + (i + 1) * 10000);
      next_frame (list);
    }
  follow_ms = frames.slowest / 1000.0;
  if (!sonde_event_list_get_following (SONDE_EVENT_LIST (list)))
    g_error ("the list stopped following the live edge");

  printf ("event-list: slowest frame over %u entries (GSK renderer %s): scrolling %.1f ms, "
          "jumping %.1f ms, selecting %.1f ms, following 10,000 new entries a frame %.1f ms "
          "(to %u entries); filtering: not measured, no filter model yet\n",
          N_ENTRIES, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
          scroll_ms, jump_ms, select_ms, follow_ms, N_ENTRIES + N_STEPS * 10000);

  gtk_window_destroy (GTK_WINDOW (window));
  g_rand_free (rand);
  return 0;
}

/* bench-event-list.c: the slowest frame while a million-entry list scrolls, selects, follows and filters
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
#include "sonde-filter-model.h"
#include "sonde-test-widget.h"
#include "sonde-ui-util.h"

/* The real list and details pane in a window, as the inspector shows them,
 * over a log of a million SSE events. A frame's cost is the time from the
 * frame clock's before-paint to its after-paint, so waiting for the next vblank
 * does not count. Each activity prints its slowest frame, the median and
 * the 95th percentile: on a shared machine one descheduled frame makes the
 * slowest, the others say what the list itself costs. */

#define N_ENTRIES 1000000
#define N_STEPS   150
#define MAX_WAIT_US (10 * G_USEC_PER_SEC)

typedef struct
{
  gint64  frame_start;
  guint   frames;
  GArray *durations;   /* gint64 µs of each frame of the activity */
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
  {
    gint64 duration = g_get_monotonic_time () - frames.frame_start;

    g_array_append_val (frames.durations, duration);
  }
  frames.frames++;
  frames.frame_start = 0;
}

static void
reset_frames (void)
{
  g_array_set_size (frames.durations, 0);
}

static int
compare_durations (gconstpointer a,
                   gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* The activity's frames: the median, the 95th percentile and the slowest. */
static char *
describe_frames (const char *activity)
{
  GArray *d = frames.durations;
  double p50;
  double p95;
  double max;

  g_assert (d->len > 0);
  g_array_sort (d, compare_durations);
  p50 = g_array_index (d, gint64, d->len / 2) / 1000.0;
  p95 = g_array_index (d, gint64, MIN (d->len - 1, d->len * 95 / 100)) / 1000.0;
  max = g_array_index (d, gint64, d->len - 1) / 1000.0;

  return g_strdup_printf ("%s: slowest %.1f ms (median %.1f, 95%% %.1f, %u frames)",
                          activity, max, p50, p95, d->len);
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
  g_autofree char *scroll = NULL;
  g_autofree char *jump = NULL;
  g_autofree char *select = NULL;
  g_autofree char *follow = NULL;
  g_autofree char *filter_text = NULL;
  guint n_matches = 0;

  adw_init ();
  sonde_choose_renderer (gdk_display_get_default ());
  frames.durations = g_array_new (FALSE, FALSE, sizeof (gint64));

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
  for (guint i = 0; i < 10; i++)
    next_frame (list);

  /* Scrolling by a few rows a frame, as a wheel or a held arrow key does. */
  gtk_adjustment_set_value (adjustment, 0);
  next_frame (list);
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 90);
      next_frame (list);
    }
  scroll = describe_frames ("scrolling");

  /* Jumping anywhere, as dragging the scroll bar does. */
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      gtk_adjustment_set_value (adjustment, g_rand_double_range (rand, 0, upper));
      next_frame (list);
    }
  jump = describe_frames ("jumping");

  /* Selecting entries all over the log, with the details pane showing each. */
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      sonde_event_list_select_seq (SONDE_EVENT_LIST (list), g_rand_int_range (rand, 0, N_ENTRIES));
      next_frame (list);
      next_frame (list);
    }
  select = describe_frames ("selecting");

  /* Following the live edge while 10,000 entries arrive a frame. */
  sonde_event_list_jump_to_live (SONDE_EVENT_LIST (list));
  next_frame (list);
  reset_frames ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      append_events (log, N_ENTRIES + i * 10000, N_ENTRIES + (i + 1) * 10000);
      next_frame (list);
    }
  follow = describe_frames ("following 10,000 new entries a frame");
  if (!sonde_event_list_get_following (SONDE_EVENT_LIST (list)))
    g_error ("the list stopped following the live edge");

  /* Filtering: a query over every entry, scanned off the main thread while
   * the list shows the matches as they come, then scrolled. */
  {
    g_autoptr(SondeFilterModel) filter = sonde_filter_model_new (log);
    g_autoptr(SondeFilterQuery) query = NULL;
    g_autoptr(GError) error = NULL;
    gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

    query = sonde_filter_query_new ("\"price\":7", SONDE_FILTER_FLAGS_NONE, SONDE_FILTER_ALL_CATEGORIES,
                                    SONDE_FILTER_ALL_DIRECTIONS, NULL, &error);
    g_assert_no_error (error);
    reset_frames ();
    sonde_filter_model_set_query (filter, query);
    sonde_event_list_set_model (SONDE_EVENT_LIST (list), G_LIST_MODEL (filter));
    do
      next_frame (list);
    while (sonde_filter_model_get_scanning (filter) && g_get_monotonic_time () < deadline);
    if (sonde_filter_model_get_scanning (filter))
      g_error ("the filter did not finish in two minutes");
    for (guint i = 0; i < N_STEPS / 3; i++)
      {
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 90);
        next_frame (list);
      }
    filter_text = describe_frames ("filtering");
    n_matches = g_list_model_get_n_items (G_LIST_MODEL (filter));
    sonde_event_list_set_model (SONDE_EVENT_LIST (list), G_LIST_MODEL (log));
  }

  printf ("event-list: frames of a %u-entry list with its details pane, GSK renderer %s\n"
          "event-list: %s\nevent-list: %s\nevent-list: %s\nevent-list: %s (to %u entries)\n"
          "event-list: %s (%u matches)\n",
          N_ENTRIES, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
          scroll, jump, select, follow, N_ENTRIES + N_STEPS * 10000, filter_text, n_matches);

  gtk_window_destroy (GTK_WINDOW (window));
  g_rand_free (rand);
  g_array_unref (frames.durations);
  return 0;
}

/* bench-wire-view.c: the Wire page scrolling over a 16 MiB message: the slowest frame, in ms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real window (run it under Xvfb: meson does, when xvfb-run is there). The
 * message is one masked client frame, with the unmasked payload shown beside
 * it, the most the view draws per row. The page is scrolled a page at a
 * time, then in jumps across the whole message; each frame is timed from the
 * start of its update phase to the end of its paint, which leaves out the
 * wait for the next tick of the frame clock.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <adwaita.h>

#include "sonde-hex-view.h"
#include "sonde-wire-view.h"
#include "sonde-ws-frame.h"
#include "sonde-ui-util.h"

#define MESSAGE_SIZE (16 * 1024 * 1024)
#define STEPS        400
#define WAIT_US      (20 * G_USEC_PER_SEC)

typedef struct
{
  gint64  frame_start;
  double  last_ms;
  guint   painted;
} Timing;

static void
update_cb (GdkFrameClock *clock,
           Timing        *timing)
{
  timing->frame_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Timing        *timing)
{
  if (timing->frame_start == 0)
    return;
  timing->last_ms = (g_get_monotonic_time () - timing->frame_start) / 1000.0;
  timing->frame_start = 0;
  timing->painted++;
}

/* Runs the main loop until one more frame has been painted. */
static double
next_frame (Timing *timing)
{
  guint before = timing->painted;
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (timing->painted == before)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("bench-wire-view: the window stopped painting\n");
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  return timing->last_ms;
}

static SondeHexView *
find_hex_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SondeHexView *found = SONDE_IS_HEX_VIEW (child) ? SONDE_HEX_VIEW (child)
                                                     : find_hex_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *frames)
{
  double *ms = (double *)(gpointer)frames->data;

  g_array_sort (frames, compare_doubles);
  g_print ("wire-view: %s: slowest frame %.2f ms, 99th percentile %.2f ms, median %.2f ms "
           "over %u frames\n", what, ms[frames->len - 1], ms[frames->len * 99 / 100],
           ms[frames->len / 2], frames->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree guint8 *payload = g_malloc (MESSAGE_SIZE);
  g_autoptr(GByteArray) raw = g_byte_array_sized_new (MESSAGE_SIZE + 16);
  g_autoptr(SondeEventLog) log = NULL;
  g_autoptr(SondeEntry) entry = NULL;
  g_autoptr(GArray) paging = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) jumps = g_array_new (FALSE, FALSE, sizeof (double));
  static const guint8 key[4] = { 0x37, 0xFA, 0x21, 0x3D };
  GtkWindow *window;
  GtkWidget *view;
  SondeHexView *hex = NULL;
  GtkAdjustment *vadjustment;
  GdkFrameClock *clock;
  GRand *rand = g_rand_new_with_seed (1);
  Timing timing = { 0 };
  gint64 opened;
  double open_ms;
  double set_ms;
  guint64 rows_before;

  setlocale (LC_ALL, "");
  if (!gtk_init_check ())
    {
      g_printerr ("bench-wire-view: no display; run it under xvfb-run\n");
      return 1;
    }
  adw_init ();
  sonde_choose_renderer (gdk_display_get_default ());

  for (gsize i = 0; i < MESSAGE_SIZE; i++)
    payload[i] = (guint8)(i * 31 + (i >> 8));
  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, payload, MESSAGE_SIZE,
                              key, 0);
  log = sonde_event_log_new ();
  entry = sonde_entry_new (log, sonde_event_log_append (log, 0, SONDE_DIRECTION_OUT,
                                                        SONDE_ENTRY_BINARY, NULL, 0, NULL, 0,
                                                        raw->data, raw->len));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1200, 800);
  view = sonde_wire_view_new ();
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "update", G_CALLBACK (update_cb), &timing);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &timing);
  next_frame (&timing);

  hex = find_hex_view (view);
  g_assert (hex != NULL);

  /* Opening: from setting the entry to its first frame on screen. */
  opened = g_get_monotonic_time ();
  sonde_wire_view_set_entry (SONDE_WIRE_VIEW (view), entry);
  set_ms = (g_get_monotonic_time () - opened) / 1000.0;
  next_frame (&timing);
  next_frame (&timing);
  open_ms = (g_get_monotonic_time () - opened) / 1000.0;

  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (hex));
  rows_before = sonde_hex_view_get_formatted_rows (hex);
  for (guint i = 0; i < STEPS; i++)
    {
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) +
                                             gtk_adjustment_get_page_size (vadjustment));
      g_array_append_val (paging, (double){ next_frame (&timing) });
    }
  for (guint i = 0; i < STEPS; i++)
    {
      double to = g_rand_double (rand) * (gtk_adjustment_get_upper (vadjustment) -
                                          gtk_adjustment_get_page_size (vadjustment));

      gtk_adjustment_set_value (vadjustment, to);
      g_array_append_val (jumps, (double){ next_frame (&timing) });
    }
  g_rand_free (rand);

  g_print ("wire-view: a 16 MiB masked client message, unmasked column shown, window 1200x800, "
           "renderer %s\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_print ("wire-view: opens in %.1f ms: %.1f ms to take the entry (walk its frames, build the "
           "legend), the rest for its first two frames\n", open_ms, set_ms);
  report ("a page at a time", paging);
  report ("jumps across the message", jumps);
  g_print ("wire-view: %.1f rows formatted per frame (%u rows in the message)\n",
           (double)(sonde_hex_view_get_formatted_rows (hex) - rows_before) / (2 * STEPS),
           (guint)((raw->len + 15) / 16));

  gtk_window_destroy (window);
  return 0;
}

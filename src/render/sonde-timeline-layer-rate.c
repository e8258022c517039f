/* sonde-timeline-layer-rate.c: the timeline's rate graph: events and bytes per second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "sonde-timeline-render-private.h"

/* Events and bytes per second, one value per pixel column, from the lane's
 * bins (sonde_timeline_lane_fill_bins()). */
void
sonde_timeline_lane_fill_rates (SondeTimelineFrame *frame,
                                Lane               *lane)
{
  const SondeTimelineOptions *o = &frame->options;
  gint64 span = MAX (1, o->to_us - o->from_us);
  gint64 *prefix_n;
  guint64 *prefix_b;
  gint64 window;
  guint half;

  /* Rates over a window wide enough to mean something: a few bins, a
   * sixtieth of the view, and a quarter of a second, so that a few events
   * zoomed in on read as a rate and not as a row of boxes. */
  window = MAX (MAX (lane->bin_us * 4, span / 60), G_USEC_PER_SEC / 4);
  half = (guint)MIN ((guint64)(window / lane->bin_us / 2), lane->n_bins);
  lane->rate_window_us = (gint64)(2 * half + 1) * lane->bin_us;
  prefix_n = g_new0 (gint64, lane->n_bins + 1);
  prefix_b = g_new0 (guint64, lane->n_bins + 1);
  for (guint i = 0; i < lane->n_bins; i++)
    {
      const SondeTimelineCounts *bin = &lane->bins[i];

      prefix_n[i + 1] = prefix_n[i] +
                        sonde_timeline_counts_direction (bin, SONDE_DIRECTION_IN) +
                        sonde_timeline_counts_direction (bin, SONDE_DIRECTION_OUT);
      prefix_b[i + 1] = prefix_b[i] + bin->bytes[SONDE_DIRECTION_IN] + bin->bytes[SONDE_DIRECTION_OUT];
    }
  /* One value per pixel column, the window around the column's middle:
   * a graph of four thousand points would cost more than all the rest. */
  lane->n_columns = (guint)ceil (frame->plot_w);
  lane->events = g_new (double, lane->n_columns);
  lane->bytes = g_new (double, lane->n_columns);
  lane->max_events = 0;
  lane->max_bytes = 0;
  for (guint c = 0; c < lane->n_columns; c++)
    {
      gint64 t = x_time (frame, frame->plot_x + c + 0.5);
      gint64 i = CLAMP ((t - lane->bins_from_us) / lane->bin_us, 0, (gint64)lane->n_bins - 1);
      guint lo = (guint)MAX (0, i - (gint64)half);
      guint hi = (guint)MIN ((gint64)lane->n_bins, i + (gint64)half + 1);
      double seconds = (double)(hi - lo) * lane->bin_us / G_USEC_PER_SEC;

      lane->events[c] = (prefix_n[hi] - prefix_n[lo]) / seconds;
      lane->bytes[c] = (prefix_b[hi] - prefix_b[lo]) / seconds;
      lane->max_events = MAX (lane->max_events, lane->events[c]);
      lane->max_bytes = MAX (lane->max_bytes, lane->bytes[c]);
    }
  g_free (prefix_n);
  g_free (prefix_b);
}

/* A line through one value per column, as whole-pixel spans: each column
 * covers from its neighbour's height to its own. */
static void
rate_line (Spans        *spans,
           const Rect   *r,
           const double *values,
           guint         n,
           double        most)
{
  double usable = r->h - 2;
  double previous = 0;

  for (guint c = 0; c < n; c++)
    {
      double y = round (r->y + r->h - 1 - values[c] / most * usable);
      double from = c > 0 ? previous : y;

      spans_add (spans, r->x + c, MIN (from, y), 1, ABS (y - from) + 1);
      previous = y;
    }
}

void
sonde_timeline_draw_rate (Painter *p,
                          Lane    *lane)
{
  cairo_t *cr = p->cr;
  const Rect *r = &lane->rate;
  double usable = r->h - 2;
  Spans spans;
  Canvas canvas;

  if (r->h <= 0)
    return;

  cairo_save (cr);
  rect_path (cr, r);
  cairo_clip (cr);

  /* Events per second as an area, bytes per second as a line over it, each
   * to its own scale; the labels say the top of each. Both are whole-pixel
   * columns: a jagged line of a thousand points costs cairo several
   * milliseconds to stroke. */
  sonde_timeline_canvas_begin (p, &canvas, r);
  sonde_timeline_spans_init (&spans, 0);
  if (lane->max_events > 0)
    {
      for (guint c = 0; c < lane->n_columns; c++)
        {
          double top = round (r->y + r->h - lane->events[c] / lane->max_events * usable);

          spans_add (&spans, r->x + c, top, 1, round (r->y + r->h) - top);
        }
      sonde_timeline_spans_paint (p, &spans, &p->palette->events, 0.18);
      rate_line (&spans, r, lane->events, lane->n_columns, lane->max_events);
      sonde_timeline_spans_paint (p, &spans, &p->palette->events, 0.85);
    }
  if (lane->max_bytes > 0)
    {
      rate_line (&spans, r, lane->bytes, lane->n_columns, lane->max_bytes);
      sonde_timeline_spans_paint (p, &spans, &p->palette->bytes, 0.9);
    }
  sonde_timeline_spans_clear (&spans);
  sonde_timeline_canvas_end (p, &canvas);

  /* A baseline, so that an empty graph still reads as a graph. */
  set_colour (cr, &p->palette->grid, 2.0);
  cairo_rectangle (cr, r->x, floor (r->y + r->h) - 1, r->w, 1);
  cairo_fill (cr);

  cairo_restore (cr);
}

/* The top of each of the rate graph's scales, such as “12.3 k events/s”. */
static void
scale_labels (const Lane  *lane,
              char       **events_label,
              char       **bytes_label)
{
  g_autofree char *events = sonde_timeline_format_count (lane->max_events);
  g_autofree char *bytes = g_format_size ((guint64)lane->max_bytes);

  /* Translators: the top of the rate graph's scale, such as “12.3 k events/s” */
  *events_label = g_strdup_printf (_("%s events/s"), events);
  /* Translators: the top of the rate graph's scale, such as “1.2 MB/s” */
  *bytes_label = g_strdup_printf (_("%s/s"), bytes);
}

void
sonde_timeline_measure_scale (Painter *p,
                              Lane    *lane)
{
  g_autofree char *events_label = NULL;
  g_autofree char *bytes_label = NULL;

  if (lane->scale.h <= 0)
    return;
  scale_labels (lane, &events_label, &bytes_label);
  lane->scale.w = sonde_timeline_text_width (p, events_label) + 10 +
                  sonde_timeline_text_width (p, bytes_label);
}

/* After the notes, which leave its place in a shared row free. */
void
sonde_timeline_draw_scale (Painter *p,
                           Lane    *lane)
{
  g_autofree char *events_label = NULL;
  g_autofree char *bytes_label = NULL;
  double x = lane->scale.x;

  if (lane->scale.h <= 0 || lane->scale.w <= 0)
    return;
  scale_labels (lane, &events_label, &bytes_label);
  x += sonde_timeline_text_draw (p, events_label, x, lane->scale.y + 1.5, &p->palette->events,
                                 FALSE) + 10;
  sonde_timeline_text_draw (p, bytes_label, x, lane->scale.y + 1.5, &p->palette->bytes, FALSE);
}

/* sonde-timeline-layer-rate.c: the timeline's rate graph: events and bytes per second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "sonde-timeline-render-private.h"

/* A rate averages over at least this many entries where it can (a count of
 * 16 is good to a quarter), in a window at most a quarter of the view:
 * fewer entries in view than both allow (zoomed in on a few), and each rate
 * is that of one gap between two entries instead. */
#define RATE_MIN_ENTRIES      16
#define RATE_MIN_WINDOWS      4
/* Entries read one by one for those rates, at most. */
#define GAP_BUDGET            4096

static inline gboolean
is_traffic (SondeDirection direction)
{
  return direction == SONDE_DIRECTION_IN || direction == SONDE_DIRECTION_OUT;
}

/* Zoomed in on a few entries, a window wide enough to average over them
 * is wider than the view, and the graph a flat line. Each column shows
 * instead the rate of the gap it lies in: one entry over the time since the
 * one before it (received or sent, as the windows count). */
static void
fill_rates_from_gaps (SondeTimelineFrame *frame,
                      Lane               *lane)
{
  SondeEventLog *log = sonde_timeline_summary_get_log (lane->summary);
  guint64 end_seq = sonde_timeline_summary_get_n_entries (lane->summary);
  guint64 first_seq = sonde_event_log_get_first_seq (log);
  const SondeTimelineOptions *o = &frame->options;
  g_autofree gint64 *times = g_new (gint64, GAP_BUDGET);
  g_autofree gsize *sizes = g_new (gsize, GAP_BUDGET);
  SondeEntryView view;
  guint64 seq;
  guint n = 0;
  guint k = 0;

  lane->rate_from_gaps = TRUE;
  lane->rate_window_us = lane->rate_window_max_us = 0;
  if (!sonde_timeline_summary_find_nearest (lane->summary, o->from_us, &seq))
    return;
  /* From the last entry before the view, received or sent... */
  for (guint steps = 0; seq > first_seq && steps < GAP_BUDGET; steps++, seq--)
    if (sonde_event_log_get_view (log, seq, &view) && view.time_us < o->from_us &&
        is_traffic (view.direction))
      break;
  /* ... to the first after it. */
  for (guint steps = 0; seq < end_seq && n < GAP_BUDGET && steps < 4 * GAP_BUDGET; steps++, seq++)
    {
      if (!sonde_event_log_get_view (log, seq, &view))
        break;
      if (!is_traffic (view.direction))
        continue;
      times[n] = view.time_us;
      sizes[n] = view.raw_len;
      n++;
      if (view.time_us >= o->to_us)
        break;
    }

  for (guint c = 0; c < lane->n_columns; c++)
    {
      gint64 t = x_time (frame, frame->plot_x + c + 0.5);
      gint64 gap;

      while (k < n && times[k] < t)
        k++;
      if (k == 0 || k == n || (gap = times[k] - times[k - 1]) <= 0)
        continue;
      lane->windows_us[c] = gap;
      lane->events[c] = (double)G_USEC_PER_SEC / gap;
      lane->bytes[c] = (double)sizes[k] * G_USEC_PER_SEC / gap;
      lane->max_events = MAX (lane->max_events, lane->events[c]);
      lane->max_bytes = MAX (lane->max_bytes, lane->bytes[c]);
    }
}

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
  guint most;
  gint64 first_us = 0;
  gint64 end_us = sonde_timeline_session_end (frame, lane->summary);

  sonde_timeline_summary_get_span (lane->summary, &first_us, NULL);
  lane->n_columns = (guint)ceil (frame->plot_w);
  lane->events = g_new (double, lane->n_columns);
  lane->bytes = g_new (double, lane->n_columns);
  lane->windows_us = g_new0 (gint64, lane->n_columns);
  lane->max_events = 0;
  lane->max_bytes = 0;
  lane->rate_from_gaps = FALSE;
  /* Where the session was not (yet), no rate: not a rate of zero. */
  for (guint c = 0; c < lane->n_columns; c++)
    lane->events[c] = lane->bytes[c] = NAN;

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
  if (prefix_n[lane->n_bins] < RATE_MIN_ENTRIES * RATE_MIN_WINDOWS)
    {
      g_free (prefix_n);
      g_free (prefix_b);
      fill_rates_from_gaps (frame, lane);
      return;
    }

  /* Rates over a window wide enough to mean something: a few bins and a
   * sixtieth of the view, widened where it holds fewer than
   * RATE_MIN_ENTRIES inside a slow stretch (next to a busy one), and never
   * more than a quarter of the view, or the graph is a flat line. */
  window = MAX (lane->bin_us * 4, span / 60);
  window = MAX (MIN (window, span / RATE_MIN_WINDOWS), lane->bin_us);
  half = (guint)MIN ((guint64)(window / lane->bin_us / 2), lane->n_bins);
  most = (guint)MIN ((guint64)(MAX (window, span / RATE_MIN_WINDOWS) / lane->bin_us / 2),
                     lane->n_bins);
  lane->rate_window_us = (gint64)(2 * half + 1) * lane->bin_us;
  lane->rate_window_max_us = lane->rate_window_us;
  /* One value per pixel column, the window around the column's middle:
   * a graph of four thousand points would cost more than all the rest. */
  for (guint c = 0; c < lane->n_columns; c++)
    {
      gint64 t = x_time (frame, frame->plot_x + c + 0.5);
      gint64 i = CLAMP ((t - lane->bins_from_us) / lane->bin_us, 0, (gint64)lane->n_bins - 1);
      guint lo = (guint)MAX (0, i - (gint64)half);
      guint hi = (guint)MIN ((gint64)lane->n_bins, i + (gint64)half + 1);
      gint64 lo_us;
      gint64 hi_us;
      double seconds;

      if (t < first_us || t > end_us)
        continue;
      if (prefix_n[hi] - prefix_n[lo] < RATE_MIN_ENTRIES && most > half)
        {
          /* The narrowest wider window that holds enough, by halving. */
          guint low = half;
          guint high = most;

          while (low + 1 < high)
            {
              guint mid = low + (high - low) / 2;
              guint mid_lo = (guint)MAX (0, i - (gint64)mid);
              guint mid_hi = (guint)MIN ((gint64)lane->n_bins, i + (gint64)mid + 1);

              if (prefix_n[mid_hi] - prefix_n[mid_lo] >= RATE_MIN_ENTRIES)
                high = mid;
              else
                low = mid;
            }
          lo = (guint)MAX (0, i - (gint64)high);
          hi = (guint)MIN ((gint64)lane->n_bins, i + (gint64)high + 1);
          /* Only inside a slow stretch, with entries on both sides: at the
           * edge of a silence (a reconnect wait), a wider window would
           * reach into the busy side and draw a rate where none came. The
           * session's end counts as a side: there the window, cut at the
           * end, would otherwise be the narrow one, and a burst just
           * before the end rose far above the same burst anywhere else. */
          if (prefix_n[i] - prefix_n[lo] > 0 &&
              (prefix_n[hi] - prefix_n[i + 1] > 0 ||
               lane->bins_from_us + (gint64)hi * lane->bin_us > end_us))
            lane->rate_window_max_us = MAX (lane->rate_window_max_us,
                                            (gint64)(2 * high + 1) * lane->bin_us);
          else
            {
              lo = (guint)MAX (0, i - (gint64)half);
              hi = (guint)MIN ((gint64)lane->n_bins, i + (gint64)half + 1);
            }
        }
      lo_us = lane->bins_from_us + (gint64)lo * lane->bin_us;
      hi_us = lane->bins_from_us + (gint64)hi * lane->bin_us;
      /* A window that reaches past the session's start or end (the live
       * edge) averages over the part the session had, or the rate would
       * fall towards them for no reason. */
      seconds = MAX (MIN (hi_us, end_us) - MAX (lo_us, first_us), lane->bin_us) /
                (double)G_USEC_PER_SEC;
      lane->windows_us[c] = hi_us - lo_us;
      lane->events[c] = (prefix_n[hi] - prefix_n[lo]) / seconds;
      lane->bytes[c] = (prefix_b[hi] - prefix_b[lo]) / seconds;
      lane->max_events = MAX (lane->max_events, lane->events[c]);
      lane->max_bytes = MAX (lane->max_bytes, lane->bytes[c]);
    }
  g_free (prefix_n);
  g_free (prefix_b);
}

/* The smallest of 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten that is
 * at least @value: the rate graph's top is a number a reader can hold, and
 * the tallest column of a view reaches at least three quarters of it. */
static double
round_up (double value)
{
  static const double steps[] = { 1, 1.5, 2, 3, 4, 5, 6, 8, 10 };
  double power;

  if (!(value > 0) || !isfinite (value))
    return 0;
  power = pow (10, floor (log10 (value)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * power >= value * (1 - 1e-9))
      return steps[i] * power;
  return 10 * power;
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
  double previous = NAN;

  for (guint c = 0; c < n; c++)
    {
      double y;
      double from;

      if (isnan (values[c]))
        {
          previous = NAN;
          continue;
        }
      y = round (r->y + r->h - 1 - values[c] / most * usable);
      from = isnan (previous) ? y : previous;
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

  lane->top_events = round_up (lane->max_events);
  lane->top_bytes = round_up (lane->max_bytes);
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
          double top;

          if (isnan (lane->events[c]))
            continue;
          top = round (r->y + r->h - lane->events[c] / lane->top_events * usable);
          spans_add (&spans, r->x + c, top, 1, round (r->y + r->h) - top);
        }
      sonde_timeline_spans_paint (p, &spans, &p->palette->events, 0.18);
      rate_line (&spans, r, lane->events, lane->n_columns, lane->top_events);
      sonde_timeline_spans_paint (p, &spans, &p->palette->events, 0.85);
    }
  if (lane->max_bytes > 0)
    {
      rate_line (&spans, r, lane->bytes, lane->n_columns, lane->top_bytes);
      sonde_timeline_spans_paint (p, &spans, &p->palette->bytes, 0.9);
    }
  sonde_timeline_spans_clear (&spans);
  sonde_timeline_canvas_end (p, &canvas);

  /* A baseline, so that an empty graph still reads as a graph, and a
   * fainter line at the top its scale's labels name. */
  set_colour (cr, &p->palette->grid, 2.0);
  cairo_rectangle (cr, r->x, floor (r->y + r->h) - 1, r->w, 1);
  cairo_fill (cr);
  if (lane->top_events > 0)
    {
      set_colour (cr, &p->palette->grid, 1.0);
      cairo_rectangle (cr, r->x, round (r->y + r->h - 1 - usable), r->w, 1);
      cairo_fill (cr);
    }

  cairo_restore (cr);
}

/* The top of each of the rate graph's scales, such as “12.3 k events/s”,
 * and how the rates were taken: over a window, or from single gaps. */
static void
scale_labels (const Lane  *lane,
              char       **events_label,
              char       **bytes_label,
              char       **how_label)
{
  *events_label = sonde_timeline_format_event_rate (lane->top_events);
  /* No line for bytes where entries came without them (a recording made
   * without the wire bytes), so no scale for it either: "0 bytes/s" next to
   * a thousand events a second reads as a fault. */
  if (lane->max_bytes > 0)
    *bytes_label = sonde_timeline_format_byte_rate (lane->top_bytes);
  else
    *bytes_label = NULL;
  *how_label = sonde_timeline_rate_how (lane);
}

/* How rates were taken over windows from @narrowest_us to @widest_us, or
 * from single gaps, such as “averaged over 1.0 s”. */
static char *
rate_how (gboolean from_gaps,
          gint64   narrowest_us,
          gint64   widest_us)
{
  char window[32];

  if (from_gaps)
    /* Translators: how the rate graph's rates are taken when few entries are in view: each
     * is one entry over the time since the one before it */
    return g_strdup (_("from the gap between entries"));
  sonde_timeline_format_duration (narrowest_us, window, sizeof window);
  if (widest_us > narrowest_us)
    {
      char widest[32];

      sonde_timeline_format_duration (widest_us, widest, sizeof widest);
      /* Translators: how the rate graph's rates are taken: each is an average over a window
       * that is wider where entries are fewer, such as “averaged over 1.5 ms to 12 ms” */
      return g_strdup_printf (_("averaged over %s to %s"), window, widest);
    }
  /* Translators: how the rate graph's rates are taken: each is an average over a window of
   * this length, such as “averaged over 250 ms” */
  return g_strdup_printf (_("averaged over %s"), window);
}

/* How the rate graph's rates were taken: over a window, or from single
 * gaps, such as “averaged over 1.0 s”. */
char *
sonde_timeline_rate_how (const Lane *lane)
{
  return rate_how (lane->rate_from_gaps, lane->rate_window_us,
                   MAX (lane->rate_window_us, lane->rate_window_max_us));
}

/* How the rates of every lane whose scale shares the notes' row were
 * taken, said once for the legend: the narrowest to the widest window of
 * them all (a Compare picture's lanes each choose their own), or NULL
 * where no such lane has rates. */
char *
sonde_timeline_rates_how (const SondeTimelineFrame *frame)
{
  gint64 narrowest = G_MAXINT64;
  gint64 widest = 0;
  guint averaged = 0;
  guint from_gaps = 0;
  g_autofree char *windows = NULL;
  g_autofree char *gaps = NULL;

  for (guint i = 0; i < frame->n_lanes; i++)
    {
      const Lane *lane = &frame->lanes[i];

      if (!(lane->rate.h > 0 && lane->max_events > 0 && lane->scale_shared))
        continue;
      if (lane->rate_from_gaps)
        {
          from_gaps++;
          continue;
        }
      averaged++;
      narrowest = MIN (narrowest, lane->rate_window_us);
      widest = MAX (widest, MAX (lane->rate_window_us, lane->rate_window_max_us));
    }
  if (averaged > 0)
    windows = rate_how (FALSE, narrowest, widest);
  if (from_gaps > 0)
    gaps = rate_how (TRUE, 0, 0);
  if (windows != NULL && gaps != NULL)
    /* Translators: how the rates of a picture's several rate graphs were taken, where some
     * averaged over windows and some took single gaps, such as “averaged over 1.0 s, or
     * from the gap between entries” */
    return g_strdup_printf (_("%s, or %s"), windows, gaps);
  return windows != NULL ? g_steal_pointer (&windows) : g_steal_pointer (&gaps);
}

void
sonde_timeline_measure_scale (Painter *p,
                              Lane    *lane)
{
  g_autofree char *events_label = NULL;
  g_autofree char *bytes_label = NULL;
  g_autofree char *how_label = NULL;

  const SondeTimelineNote *notes;
  guint n;

  /* Nothing in view, no rate: a scale of "0 events/s" says nothing. */
  if (lane->scale.h <= 0 || !(lane->max_events > 0))
    return;
  scale_labels (lane, &events_label, &bytes_label, &how_label);
  lane->scale.w = sonde_timeline_text_width (p, events_label) +
                  (bytes_label != NULL ? 10 + sonde_timeline_text_width (p, bytes_label) : 0);
  lane->scale_how = TRUE;
  /* A picture with a legend says it there (lay_out() made room). */
  if (lane->scale_shared && p->frame->legend_how)
    {
      lane->scale_how = FALSE;
      return;
    }
  if (!lane->scale_shared)
    {
      lane->scale.w += 10 + sonde_timeline_text_width (p, how_label);
      return;
    }
  /* In a row it shares with the notes (the window's short chart), how the
   * rates were taken (also in the graph's tooltip) gives way to the first
   * note in view, which the scale would otherwise push off its pin. */
  notes = sonde_timeline_summary_get_notes (lane->summary, &n);
  for (guint i = 0; i < n; i++)
    if (notes[i].time_us >= p->frame->options.from_us)
      {
        double room = time_x (p->frame, notes[i].time_us) - lane->scale.x - lane->scale.w;

        if (notes[i].time_us <= p->frame->options.to_us &&
            room < 10 + sonde_timeline_text_width (p, how_label) + 8)
          lane->scale_how = FALSE;
        break;
      }
  if (lane->scale_how)
    lane->scale.w += 10 + sonde_timeline_text_width (p, how_label);
}

/* After the notes, which leave its place in a shared row free. */
void
sonde_timeline_draw_scale (Painter *p,
                           Lane    *lane)
{
  g_autofree char *events_label = NULL;
  g_autofree char *bytes_label = NULL;
  g_autofree char *how_label = NULL;
  double x = lane->scale.x;
  double y = lane->scale.y + 1.5;

  if (lane->scale.h <= 0 || lane->scale.w <= 0)
    return;
  scale_labels (lane, &events_label, &bytes_label, &how_label);
  x += sonde_timeline_text_draw (p, events_label, x, y, &p->palette->events, FALSE) + 10;
  if (bytes_label != NULL)
    x += sonde_timeline_text_draw (p, bytes_label, x, y, &p->palette->bytes, FALSE) + 10;
  if (lane->scale_how)
    sonde_timeline_text_draw (p, how_label, x, y, &p->palette->dim, FALSE);
}

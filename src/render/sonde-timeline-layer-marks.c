/* sonde-timeline-layer-marks.c: the timeline's marks, per entry or per pixel, and problem signs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "sonde-timeline-render-private.h"

/* What one pixel column of marks shows: the busiest bin in it sets the
 * height (so that columns holding one bucket or two do not alternate), the
 * sums split it by category. */
typedef struct
{
  guint64 busiest[SONDE_TIMELINE_N_DIRECTIONS];
  guint64 sum[SONDE_TIMELINE_N_DIRECTIONS][SONDE_TIMELINE_N_CATEGORIES];
} Column;

/* Bins for the lane's marks, from the summary's level that fits a pixel, and
 * a mark per entry when few are in view. */
void
sonde_timeline_lane_fill_bins (SondeTimelineFrame *frame,
                               Lane               *lane)
{
  const SondeTimelineOptions *o = &frame->options;
  gint64 span = MAX (1, o->to_us - o->from_us);
  double px_us = span / frame->plot_w;
  guint64 estimate;
  gint64 slack = (gint64)(px_us * MARK_HIT_PIXELS);
  guint level;

  /* Bins are the buckets of the level that fits a pixel, aligned to them:
   * whole buckets never alias into a comb of one-or-two per column. Finer
   * than level 0, entries are read one by one, if there are few enough. */
  level = sonde_timeline_summary_level_for ((gint64)px_us);
  lane->bin_us = sonde_timeline_summary_level_width (level);
  if (lane->bin_us > px_us)
    {
      lane->bin_us = MAX (1, (gint64)floor (px_us));
      lane->bins_from_us = o->from_us;
      lane->n_bins = (guint)MIN ((span + lane->bin_us - 1) / lane->bin_us, 200000);
      lane->bins = g_new (SondeTimelineCounts, lane->n_bins);
      if (sonde_timeline_summary_fill_bins (lane->summary, lane->bins_from_us, lane->bin_us,
                                            lane->n_bins, RAW_BUDGET, lane->bins) > lane->bin_us)
        {
          /* Too many to read: level 0's buckets, wider than a pixel. */
          lane->bin_us = sonde_timeline_summary_level_width (0);
          g_clear_pointer (&lane->bins, g_free);
        }
    }
  if (lane->bins == NULL)
    {
      lane->bins_from_us = sonde_timeline_floor_div (o->from_us, lane->bin_us) * lane->bin_us;
      lane->n_bins = (guint)MIN ((o->to_us - lane->bins_from_us) / lane->bin_us + 1, 200000);
      lane->bins = g_new (SondeTimelineCounts, lane->n_bins);
      sonde_timeline_summary_fill_bins (lane->summary, lane->bins_from_us, lane->bin_us,
                                        lane->n_bins, 0, lane->bins);
    }
  estimate = sonde_timeline_summary_count_between (lane->summary, o->from_us - slack, o->to_us + slack);
  lane->sparse = estimate <= frame->plot_w / SPARSE_PIXELS;
  lane->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  if (lane->sparse)
    {
      SondeEventLog *log = sonde_timeline_summary_get_log (lane->summary);
      guint64 first, end;

      if (sonde_timeline_summary_seq_range (lane->summary, o->from_us - slack, o->to_us + slack,
                                            &first, &end))
        for (guint64 seq = first; seq < end; seq++)
          {
            SondeEntryView view;
            Mark mark;

            if (!sonde_event_log_get_view (log, seq, &view))
              break;
            if (view.time_us < o->from_us - slack || view.time_us > o->to_us + slack)
              continue;
            mark.x = time_x (frame, view.time_us);
            mark.seq = seq;
            mark.direction = MIN ((guint)view.direction, SONDE_TIMELINE_N_DIRECTIONS - 1);
            mark.category = sonde_timeline_classify (&view);
            g_array_append_val (lane->marks, mark);
          }
    }
}

/* The head of an entry's mark: its category in shape as well as colour. */
void
sonde_timeline_mark_head (cairo_t            *cr,
                          SondeEntryCategory  category,
                          double              x,
                          double              y,
                          double              size)
{
  switch (category)
    {
    case SONDE_ENTRY_CATEGORY_DATA:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, size * 0.55, 0, 2 * G_PI);
      break;
    case SONDE_ENTRY_CATEGORY_CONTROL:
      cairo_rectangle (cr, x - size * 0.45, y - size * 0.45, size * 0.9, size * 0.9);
      break;
    case SONDE_ENTRY_CATEGORY_LIFECYCLE:
      cairo_move_to (cr, x, y - size * 0.7);
      cairo_line_to (cr, x + size * 0.7, y);
      cairo_line_to (cr, x, y + size * 0.7);
      cairo_line_to (cr, x - size * 0.7, y);
      cairo_close_path (cr);
      break;
    case SONDE_ENTRY_CATEGORY_PROBLEM:
    default:
      cairo_move_to (cr, x, y - size * 0.8);
      cairo_line_to (cr, x + size * 0.8, y + size * 0.6);
      cairo_line_to (cr, x - size * 0.8, y + size * 0.6);
      cairo_close_path (cr);
      break;
    }
}

/* A problem's sign, the same at every zoom: a triangle pointing at the band. */
static void
problem_sign (cairo_t *cr,
              double   x,
              double   y,
              double   size,
              gboolean down)
{
  double d = down ? 1 : -1;

  cairo_move_to (cr, x - size * 0.7, y - d * size * 0.6);
  cairo_line_to (cr, x + size * 0.7, y - d * size * 0.6);
  cairo_line_to (cr, x, y + d * size * 0.6);
  cairo_close_path (cr);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* How far apart the marks of one direction usually are, in pixels: the
 * median of the gaps (G_MAXDOUBLE with fewer than two). */
static double
usual_gap (const Lane *lane,
           guint       direction)
{
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  double last = NAN;

  for (guint i = 0; i < lane->marks->len; i++)
    {
      const Mark *mark = &g_array_index (lane->marks, Mark, i);
      double gap;

      if (mark->direction != direction)
        continue;
      gap = mark->x - last;
      if (!isnan (gap))
        g_array_append_val (gaps, gap);
      last = mark->x;
    }
  if (gaps->len == 0)
    return G_MAXDOUBLE;
  g_array_sort (gaps, compare_doubles);
  return g_array_index (gaps, double, gaps->len / 2);
}

void
sonde_timeline_draw_marks_sparse (Painter *p,
                                  Lane    *lane)
{
  cairo_t *cr = p->cr;
  static const double reach[SONDE_TIMELINE_N_CATEGORIES] = { 0.7, 0.45, 0.9, 0.9 };
  double full = CLAMP (p->line_h * 0.45, 4, 7);
  double heads[SONDE_TIMELINE_N_DIRECTIONS];

  /* Marks a few pixels apart (a slow stream over a long range) with heads
   * wider than that ran together into one scribble: data heads no wider
   * than the usual gap leave each mark its own. */
  for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
    heads[d] = d == SONDE_DIRECTION_LOCAL ? full : CLAMP (usual_gap (lane, d) * 0.7, 2.5, full);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.5);
  /* Ordinary marks first, problems over them. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < lane->marks->len; i++)
      {
        const Mark *mark = &g_array_index (lane->marks, Mark, i);
        const Colour *colour = &p->palette->category[mark->category];
        double x = floor (mark->x) + 0.5;
        gboolean problem = mark->category == SONDE_ENTRY_CATEGORY_PROBLEM;
        /* Only data shrinks: the rarer control, lifecycle and problem
         * marks keep heads large enough to tell their shapes. */
        double head = mark->category == SONDE_ENTRY_CATEGORY_DATA ? heads[mark->direction] : full;

        if (problem != (pass == 1))
          continue;

        set_colour (cr, colour, 1.0);
        if (mark->direction == SONDE_DIRECTION_LOCAL)
          {
            /* Sonde's own entries belong to the connection: on the band. */
            double y = lane->band.y + lane->band.h / 2;

            cairo_move_to (cr, x, lane->band.y - 2);
            cairo_line_to (cr, x, lane->band.y + lane->band.h + 2);
            cairo_stroke (cr);
            sonde_timeline_mark_head (cr, mark->category, x, y, head);
            cairo_fill_preserve (cr);
            set_colour (cr, &p->palette->background, 1.0);
            cairo_set_line_width (cr, 1.0);
            cairo_stroke (cr);
            cairo_set_line_width (cr, 1.5);
          }
        else if (mark->direction == SONDE_DIRECTION_IN)
          {
            double top = lane->in.y + lane->in.h * (1 - reach[mark->category]);

            cairo_move_to (cr, x, lane->in.y + lane->in.h);
            cairo_line_to (cr, x, top);
            cairo_stroke (cr);
            sonde_timeline_mark_head (cr, mark->category, x, top, head);
            cairo_fill (cr);
          }
        else
          {
            double bottom = lane->out.y + MAX (lane->out.h * reach[mark->category], head);

            cairo_move_to (cr, x, lane->out.y);
            cairo_line_to (cr, x, bottom);
            cairo_stroke (cr);
            sonde_timeline_mark_head (cr, mark->category, x, bottom, head);
            cairo_fill (cr);
          }
      }
  cairo_restore (cr);
}

/* A problem's sign where its direction puts it: pointing at the band from
 * above or below, or a diamond on it for Sonde's own. */
static void
problem_shape (cairo_t  *cr,
               guint     direction,
               double    x,
               double    y,
               double    size)
{
  if (direction == SONDE_DIRECTION_LOCAL)
    sonde_timeline_mark_head (cr, SONDE_ENTRY_CATEGORY_LIFECYCLE, x, y, size);
  else
    problem_sign (cr, x, y, size, direction == SONDE_DIRECTION_IN);
}

/* Room around a sign's centre in its stamp, in pixels. */
#define STAMP_REACH 12

/* One sign, outlined, drawn once into a small picture that is then copied
 * to every column that needs it: cairo's antialiased fill of fifty small
 * shapes across a wide chart costs as much as the rest of the frame. The
 * picture keeps the sign's offset within its pixel, which every column
 * shares. */
static cairo_surface_t *
problem_stamp (Painter *p,
               guint    direction,
               double   x,
               double   y,
               double   size)
{
  cairo_surface_t *stamp;
  cairo_t *cr;
  double cx = STAMP_REACH + (x - floor (x));
  double cy = STAMP_REACH + (y - floor (y));

  /* At the device's scale, as the canvas it is copied into. */
  stamp = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (2 * STAMP_REACH + 1) * p->scale,
                                      (2 * STAMP_REACH + 1) * p->scale);
  cairo_surface_set_device_scale (stamp, p->scale, p->scale);
  cr = cairo_create (stamp);
  problem_shape (cr, direction, cx, cy, size + 1.8);
  set_colour (cr, &p->palette->background, 0.9);
  cairo_fill (cr);
  problem_shape (cr, direction, cx, cy, size);
  set_colour (cr, &p->palette->category[SONDE_ENTRY_CATEGORY_PROBLEM], 1.0);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (stamp);
  return stamp;
}

void
sonde_timeline_draw_marks_binned (Painter *p,
                                  Lane    *lane)
{
  cairo_t *cr = p->cr;
  SondeTimelineFrame *frame = p->frame;
  g_autofree Column *columns = g_new0 (Column, lane->n_columns);
  g_autofree guint8 *problems = g_new0 (guint8, lane->n_columns);
  guint64 most = 1;
  double log_most;
  double sign = MAX (5.0, p->line_h * 0.5);
  double sign_y[SONDE_TIMELINE_N_DIRECTIONS];
  cairo_surface_t *stamps[SONDE_TIMELINE_N_DIRECTIONS] = { NULL };
  Rect reach;
  Spans spans;
  Canvas canvas;
  gboolean stamped;

  /* Bins into pixel columns: a bin narrower than a pixel goes to the
   * column it starts in, a wider one to every column it covers. */
  for (guint i = 0; i < lane->n_bins; i++)
    {
      const SondeTimelineCounts *bin = &lane->bins[i];
      gint64 start = lane->bins_from_us + (gint64)i * lane->bin_us;
      double x0;
      double x1;
      gint64 c0;
      gint64 c1;

      if (bin->first_seq == SONDE_TIMELINE_NO_SEQ)
        continue;
      x0 = time_x (frame, start) - frame->plot_x;
      x1 = time_x (frame, start + lane->bin_us) - frame->plot_x;
      c0 = MAX (0, (gint64)floor (x0));
      c1 = MIN ((gint64)lane->n_columns - 1, MAX (c0, (gint64)ceil (x1) - 1));
      for (gint64 c = c0; c <= c1; c++)
        {
          Column *column = &columns[c];

          for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
            {
              guint64 total = sonde_timeline_counts_direction (bin, d);

              column->busiest[d] = MAX (column->busiest[d], total);
              for (guint k = 0; k < SONDE_TIMELINE_N_CATEGORIES; k++)
                column->sum[d][k] += bin->count[d][k];
              if (bin->count[d][SONDE_ENTRY_CATEGORY_PROBLEM] > 0)
                problems[c] |= 1 << d;
            }
        }
    }
  for (guint c = 0; c < lane->n_columns; c++)
    most = MAX (most, MAX (columns[c].busiest[SONDE_DIRECTION_IN], columns[c].busiest[SONDE_DIRECTION_OUT]));
  log_most = log1p ((double)most);

  sign_y[SONDE_DIRECTION_IN] = lane->in.y + sign * 0.6;
  sign_y[SONDE_DIRECTION_OUT] = lane->out.y + MAX (lane->out.h, sign * 1.2) - sign * 0.6;
  sign_y[SONDE_DIRECTION_LOCAL] = lane->band.y + lane->band.h / 2;
  /* The canvas reaches as far as the marks and the signs do. */
  reach.x = frame->plot_x - STAMP_REACH;
  reach.w = frame->plot_w + 2 * STAMP_REACH;
  reach.y = MIN (lane->in.y, sign_y[SONDE_DIRECTION_IN]) - STAMP_REACH;
  reach.h = MAX (lane->out.y + lane->out.h, sign_y[SONDE_DIRECTION_OUT]) + STAMP_REACH - reach.y;
  sonde_timeline_canvas_begin (p, &canvas, &reach);

  /* One path per colour (or all in one canvas): a few paints, however many columns. Bars
   * grow from the band, by the logarithm of the count, so that one entry
   * still shows beside a thousand; each bar is split by category. */
  sonde_timeline_spans_init (&spans, 0);
  for (guint category = 0; category < SONDE_TIMELINE_N_CATEGORIES; category++)
    {
      for (guint c = 0; c < lane->n_columns; c++)
        {
          const Column *column = &columns[c];
          double x = frame->plot_x + c;

          for (guint d = SONDE_DIRECTION_IN; d <= SONDE_DIRECTION_OUT; d++)
            {
              const Rect *area = d == SONDE_DIRECTION_IN ? &lane->in : &lane->out;
              guint64 sum = 0;
              double h;
              double below = 0;
              double part;

              if (column->sum[d][category] == 0 || area->h <= 0)
                continue;
              for (guint k = 0; k < SONDE_TIMELINE_N_CATEGORIES; k++)
                sum += column->sum[d][k];
              h = MAX (2.0, area->h * log1p ((double)column->busiest[d]) / log_most);
              for (guint k = 0; k < category; k++)
                below += h * column->sum[d][k] / sum;
              part = MAX (1.0, h * column->sum[d][category] / sum);
              if (d == SONDE_DIRECTION_IN)
                spans_add (&spans, x, round (area->y + area->h - below - part), 1, round (part));
              else
                spans_add (&spans, x, round (area->y + below), 1, round (part));
            }

          /* Sonde's own entries: a tick through the band. */
          if (column->sum[SONDE_DIRECTION_LOCAL][category] > 0 && category != SONDE_ENTRY_CATEGORY_PROBLEM)
            spans_add (&spans, x, round (lane->band.y - 2), 1, round (lane->band.h + 4));
        }
      sonde_timeline_spans_paint (p, &spans, &p->palette->category[category], 0.9);
    }
  sonde_timeline_spans_clear (&spans);

  /* Problems, always: whatever else shares their column. Neighbouring
   * columns share one sign. In a canvas, each sign is a copy of one small
   * picture; on paper (SVG), a path. */
  stamped = canvas.surface != NULL && sign + 1.8 <= STAMP_REACH - 1;
  if (!stamped)
    sonde_timeline_canvas_end (p, &canvas);
  for (guint outline = 0; outline < 2; outline++)
    {
      for (guint c = 0; c < lane->n_columns; c++)
        {
          double x = frame->plot_x + c + 0.5;

          if (problems[c] == 0 || (c > 0 && problems[c - 1] == problems[c] && c % 4 != 0))
            continue;
          for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
            {
              if (!(problems[c] & (1 << d)))
                continue;
              if (!stamped)
                {
                  /* Larger in the background's colour first: an outline
                   * for a fraction of what a stroke costs. */
                  problem_shape (cr, d, x, sign_y[d], outline == 0 ? sign + 1.8 : sign);
                  continue;
                }
              if (stamps[d] == NULL)
                stamps[d] = problem_stamp (p, d, x, sign_y[d], sign);
              sonde_timeline_canvas_stamp (&canvas, stamps[d], (int)floor (x) - STAMP_REACH,
                                           (int)floor (sign_y[d]) - STAMP_REACH);
            }
        }
      if (stamped)
        break;
      cairo_save (cr);
      if (outline == 0)
        set_colour (cr, &p->palette->background, 0.9);
      else
        set_colour (cr, &p->palette->category[SONDE_ENTRY_CATEGORY_PROBLEM], 1.0);
      cairo_fill (cr);
      cairo_restore (cr);
    }
  for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
    g_clear_pointer (&stamps[d], cairo_surface_destroy);
  sonde_timeline_canvas_end (p, &canvas);
}

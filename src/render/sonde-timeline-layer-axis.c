/* sonde-timeline-layer-axis.c: the timeline's grid, time axis, legend and heading
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry.h"
#include "sonde-timeline-render-private.h"

void
sonde_timeline_draw_grid (Painter                  *p,
                          const SondeTimelineTicks *ticks)
{
  SondeTimelineFrame *frame = p->frame;
  double top = frame->n_lanes > 0 ? frame->lanes[0].whole.y : frame->axis.y;

  cairo_save (p->cr);
  set_colour (p->cr, &p->palette->grid, 1.0);
  cairo_set_line_width (p->cr, 1.0);
  for (gint64 t = ticks->first_us; t < frame->options.to_us; t += ticks->step_us)
    {
      double x = floor (time_x (frame, t)) + 0.5;

      cairo_move_to (p->cr, x, top);
      cairo_line_to (p->cr, x, frame->axis.y);
    }
  cairo_stroke (p->cr);
  cairo_restore (p->cr);
}

/* Where the label of the tick at @time_us goes: centred on its tick, but
 * inside the axis, so that a tick near an edge has its label pinned there.
 * Returns the label's left edge; its width in @width. */
static double
place_label (Painter                  *p,
             const SondeTimelineTicks *ticks,
             gint64                    time_us,
             double                   *width)
{
  const Rect *a = &p->frame->axis;
  char buf[64];

  sonde_timeline_ticks_format (ticks, time_us, buf, sizeof buf);
  *width = sonde_timeline_text_width (p, buf);
  return CLAMP (time_x (p->frame, time_us) - *width / 2, a->x, a->x + a->w - *width);
}

/* Whether the first tick's label, pinned to the left edge, leaves room for
 * the second's. Pinned, it reaches further right than it would centred, and
 * the axis would give the second label up: "0 s, 0.2 s, 0.3 s" reads as an
 * uneven scale. */
static gboolean
first_labels_fit (Painter                  *p,
                  const SondeTimelineTicks *ticks)
{
  gint64 second = ticks->first_us + ticks->step_us;
  double w0, w1, x0, x1;

  if (second > p->frame->options.to_us)
    return TRUE;
  x0 = place_label (p, ticks, ticks->first_us, &w0);
  x1 = place_label (p, ticks, second, &w1);
  return x1 >= x0 + w0 + 6;
}

void
sonde_timeline_choose_ticks (Painter            *p,
                             SondeTimelineTicks *ticks)
{
  SondeTimelineFrame *frame = p->frame;
  const SondeTimelineOptions *o = &frame->options;
  double px_us = (double)MAX (1, o->to_us - o->from_us) / frame->plot_w;
  guint n = sonde_timeline_ticks_n_steps ();

  for (guint i = 0; i < n; i++)
    {
      char buf[64];
      double widest;

      sonde_timeline_ticks_init (ticks, o->from_us, o->to_us, i, o->time_format, o->clock_origin);
      if (ticks->step_us / px_us < 40 && i + 1 < n)
        continue;
      sonde_timeline_ticks_format (ticks, o->to_us - ticks->minor_us, buf, sizeof buf);
      widest = sonde_timeline_text_width (p, buf);
      sonde_timeline_ticks_format (ticks, o->from_us + ticks->minor_us, buf, sizeof buf);
      widest = MAX (widest, sonde_timeline_text_width (p, buf));
      if ((ticks->step_us / px_us >= widest + 18 && first_labels_fit (p, ticks)) || i + 1 == n)
        return;
    }
}

void
sonde_timeline_draw_axis (Painter                  *p,
                          const SondeTimelineTicks *ticks)
{
  cairo_t *cr = p->cr;
  SondeTimelineFrame *frame = p->frame;
  const Rect *a = &frame->axis;
  double last_end = -G_MAXDOUBLE;
  gint64 first_minor;

  cairo_save (cr);
  set_colour (cr, &p->palette->dim, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, a->x, floor (a->y) + 0.5);
  cairo_line_to (cr, a->x + a->w, floor (a->y) + 0.5);
  cairo_stroke (cr);

  first_minor = ticks->first_us - (ticks->first_us - frame->options.from_us) / ticks->minor_us * ticks->minor_us;
  for (gint64 t = first_minor; t <= frame->options.to_us; t += ticks->minor_us)
    {
      double x = floor (time_x (frame, t)) + 0.5;
      gboolean major = (t - ticks->first_us) % ticks->step_us == 0;

      cairo_move_to (cr, x, a->y);
      cairo_line_to (cr, x, a->y + (major ? 5 : 2.5));
    }
  cairo_stroke (cr);

  for (gint64 t = ticks->first_us; t <= frame->options.to_us; t += ticks->step_us)
    {
      char buf[64];
      double w;
      double x = place_label (p, ticks, t, &w);

      if (x < last_end + 6)
        continue;
      sonde_timeline_ticks_format (ticks, t, buf, sizeof buf);
      sonde_timeline_text_draw (p, buf, x, a->y + 6, &p->palette->dim, FALSE);
      last_end = x + w;
    }
  cairo_restore (cr);
}

static const SondeConnectionState legend_states[] = {
  SONDE_CONNECTION_CONNECTING, SONDE_CONNECTION_OPEN, SONDE_CONNECTION_WAITING,
  SONDE_CONNECTION_CLOSED, SONDE_CONNECTION_FAILED,
};

/* Lays the legend out in rows as wide as the plot, drawing it when @draw;
 * returns how many rows it takes. */
guint
sonde_timeline_draw_legend (Painter  *p,
                            double    top,
                            gboolean  draw)
{
  SondeTimelineFrame *frame = p->frame;
  cairo_t *cr = p->cr;
  double size = p->line_h * 0.8;
  double x = frame->plot_x;
  double y = top;
  guint rows = 1;
  const char *directions = _("Above the band: received; below: sent.");
  guint n_items = 1 + SONDE_TIMELINE_N_CATEGORIES + G_N_ELEMENTS (legend_states);
  g_autofree char *how = NULL;

  /* The swatches first: where the legend wraps (a narrow picture), the
   * sentence goes to the next row, or, in a short picture, is left out. */
  for (guint item = 1; item <= n_items + 1; item++)
    {
      const char *label;
      double swatch = 0;
      double w;

      if (item == n_items)
        {
          if (!frame->legend_directions)
            continue;
          label = directions;
        }
      else if (item == n_items + 1)
        {
          g_autofree char *window = NULL;

          if (!frame->legend_how)
            break;
          /* Before drawing, the lane has no rates yet: room for a usual
           * length; when drawing, left out if it is longer than that. */
          if (!draw)
            window = g_strdup_printf (_("averaged over %s to %s"), "100 ms", "1.5 s");
          else if ((window = sonde_timeline_rates_how (frame)) == NULL)
            break;
          /* Translators: in the timeline's legend: how the rate graph's rates were taken,
           * such as “Rate graph: averaged over 1.0 s” */
          how = g_strdup_printf (_("Rate graph: %s"), window);
          label = how;
        }
      else if (item <= SONDE_TIMELINE_N_CATEGORIES)
        {
          label = sonde_entry_category_get_label (item - 1);
          swatch = size + 4;
        }
      else
        {
          label = sonde_connection_state_get_label (
            legend_states[item - 1 - SONDE_TIMELINE_N_CATEGORIES]);
          swatch = size * 2 + 4;
        }

      w = swatch + sonde_timeline_text_width (p, label);
      if (x + w > frame->plot_x + frame->plot_w && x > frame->plot_x)
        {
          if (draw && rows >= frame->legend_rows)
            break;
          x = frame->plot_x;
          y += p->line_h + 4;
          rows++;
        }
      if (draw)
        {
          if (item >= n_items)
            sonde_timeline_text_draw (p, label, x, y, &p->palette->dim, FALSE);
          else if (item <= SONDE_TIMELINE_N_CATEGORIES)
            {
              /* Marks: shape and colour by category. */
              set_colour (cr, &p->palette->category[item - 1], 1.0);
              sonde_timeline_mark_head (cr, item - 1, x + size / 2, y + p->line_h / 2, size);
              cairo_fill (cr);
              sonde_timeline_text_draw (p, label, x + swatch, y, &p->palette->text, FALSE);
            }
          else
            {
              /* The band's states, each with its pattern. */
              Rect r = { x, y + 1, size * 2, p->line_h - 2 };

              sonde_timeline_paint_state (p, legend_states[item - 1 - SONDE_TIMELINE_N_CATEGORIES],
                                          &r);
              sonde_timeline_text_draw (p, label, x + swatch, y, &p->palette->text, FALSE);
            }
        }
      x += w + 14;
    }

  return rows;
}

void
sonde_timeline_draw_heading (Painter                    *p,
                             const SondeTimelineOptions *options)
{
  SondeTimelineFrame *frame = p->frame;
  double y = options->margin;
  double x = frame->plot_x;
  double room = frame->plot_w;

  /* A long URL or a narrow picture: cut with "…" at the plot's edge
   * rather than by the picture's. Its own layout, as the title's font. */
  p->own_font = TRUE;
  g_clear_pointer (&p->laid_out, g_free);
  pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_END);
  if (options->title != NULL && frame->heading_one_line)
    {
      /* A short picture: the title in bold at the text's size, the
       * subtitle after it on the same row, each cut where it must be. */
      pango_layout_set_width (p->layout, (int)(room * 0.6 * PANGO_SCALE));
      x += sonde_timeline_text_draw (p, options->title, x, y, &p->palette->text, TRUE) + 12;
      room = frame->plot_x + frame->plot_w - x;
    }
  else if (options->title != NULL)
    {
      PangoFontDescription *normal = pango_font_description_copy (pango_layout_get_font_description (p->layout));
      PangoFontDescription *bigger = pango_font_description_copy (normal);

      pango_layout_set_width (p->layout, (int)(room * PANGO_SCALE));
      pango_font_description_set_size (bigger, pango_font_description_get_size (normal) * 13 / 10);
      pango_layout_set_font_description (p->layout, bigger);
      sonde_timeline_text_draw (p, options->title, x, y, &p->palette->text, TRUE);
      pango_layout_set_font_description (p->layout, normal);
      g_clear_pointer (&p->laid_out, g_free);
      pango_font_description_free (bigger);
      pango_font_description_free (normal);
      y += p->line_h * 1.3 + 4;
    }
  if (options->subtitle != NULL && room >= 40)
    {
      pango_layout_set_width (p->layout, (int)(room * PANGO_SCALE));
      sonde_timeline_text_draw (p, options->subtitle, x, y, &p->palette->dim, FALSE);
    }
  pango_layout_set_width (p->layout, -1);
  pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_NONE);
  g_clear_pointer (&p->laid_out, g_free);
  p->own_font = FALSE;
}

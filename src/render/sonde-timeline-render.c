/* sonde-timeline-render.c: the timeline drawn with cairo, for the window and the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "sonde-timeline-render-private.h"

/* A picture in layers, each reading the summary (the series) and drawing
 * one thing: grid, rate graph, marks, connection band, notes, cursor, axis,
 * legend. What the layers placed is kept in the frame, so that a pointer can
 * ask what lies under it without drawing again.
 *
 * Drawing costs what the pixels cost: marks and rates come from one bin per
 * pixel column, read from the summary's level that fits; entries are read
 * one by one only when few are in view, and then each gets its own mark.
 *
 * Each layer has a file of its own (sonde-timeline-layer-*.c); they share
 * the frame, the painter and the pixel helpers of
 * sonde-timeline-render-private.h. */

#define RGB(hex, alpha) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, \
                          ((hex) & 0xff) / 255.0, (alpha) }

/* GNOME's palette, so that the picture sits well next to libadwaita. */
static const Palette light_palette = {
  .background = RGB (0xffffff, 1.0),
  .text = RGB (0x000000, 0.8),
  .dim = RGB (0x000000, 0.55),
  .grid = RGB (0x000000, 0.08),
  .category = {
    [SONDE_ENTRY_CATEGORY_DATA] = RGB (0x1c71d8, 1.0),
    [SONDE_ENTRY_CATEGORY_CONTROL] = RGB (0x9141ac, 1.0),
    [SONDE_ENTRY_CATEGORY_LIFECYCLE] = RGB (0xc64600, 1.0),
    [SONDE_ENTRY_CATEGORY_PROBLEM] = RGB (0xe01b24, 1.0),
  },
  .band = {
    [SONDE_CONNECTION_IDLE] = RGB (0xdeddda, 1.0),
    [SONDE_CONNECTION_CONNECTING] = RGB (0xf6d32d, 1.0),
    [SONDE_CONNECTION_OPEN] = RGB (0x2ec27e, 1.0),
    [SONDE_CONNECTION_WAITING] = RGB (0x99c1f1, 1.0),
    [SONDE_CONNECTION_CLOSED] = RGB (0x9a9996, 1.0),
    [SONDE_CONNECTION_FAILED] = RGB (0xc01c28, 1.0),
  },
  .band_ink = {
    [SONDE_CONNECTION_IDLE] = RGB (0x000000, 0.7),
    [SONDE_CONNECTION_CONNECTING] = RGB (0x865e3c, 0.9),
    [SONDE_CONNECTION_OPEN] = RGB (0xffffff, 1.0),
    [SONDE_CONNECTION_WAITING] = RGB (0x1a5fb4, 1.0),
    [SONDE_CONNECTION_CLOSED] = RGB (0x000000, 0.75),
    [SONDE_CONNECTION_FAILED] = RGB (0xffffff, 1.0),
  },
  .events = RGB (0x1c71d8, 1.0),
  .bytes = RGB (0xc64600, 1.0),
  .cursor = RGB (0x1a5fb4, 1.0),
  .note = RGB (0x5e5c64, 1.0),
  .note_fill = RGB (0xfafafa, 0.95),
};

static const Palette dark_palette = {
  .background = RGB (0x1e1e1e, 1.0),
  .text = RGB (0xffffff, 0.87),
  .dim = RGB (0xffffff, 0.55),
  .grid = RGB (0xffffff, 0.08),
  .category = {
    [SONDE_ENTRY_CATEGORY_DATA] = RGB (0x62a0ea, 1.0),
    [SONDE_ENTRY_CATEGORY_CONTROL] = RGB (0xc061cb, 1.0),
    [SONDE_ENTRY_CATEGORY_LIFECYCLE] = RGB (0xffa348, 1.0),
    [SONDE_ENTRY_CATEGORY_PROBLEM] = RGB (0xff7b63, 1.0),
  },
  .band = {
    [SONDE_CONNECTION_IDLE] = RGB (0x3d3846, 1.0),
    [SONDE_CONNECTION_CONNECTING] = RGB (0xe5a50a, 1.0),
    [SONDE_CONNECTION_OPEN] = RGB (0x26a269, 1.0),
    [SONDE_CONNECTION_WAITING] = RGB (0x1a5fb4, 1.0),
    [SONDE_CONNECTION_CLOSED] = RGB (0x77767b, 1.0),
    [SONDE_CONNECTION_FAILED] = RGB (0xe01b24, 1.0),
  },
  .band_ink = {
    [SONDE_CONNECTION_IDLE] = RGB (0xffffff, 0.8),
    [SONDE_CONNECTION_CONNECTING] = RGB (0x3d3846, 0.9),
    [SONDE_CONNECTION_OPEN] = RGB (0xffffff, 1.0),
    [SONDE_CONNECTION_WAITING] = RGB (0x99c1f1, 1.0),
    [SONDE_CONNECTION_CLOSED] = RGB (0xffffff, 0.85),
    [SONDE_CONNECTION_FAILED] = RGB (0xffffff, 1.0),
  },
  .events = RGB (0x62a0ea, 1.0),
  .bytes = RGB (0xffa348, 1.0),
  .cursor = RGB (0x99c1f1, 1.0),
  .note = RGB (0xc0bfbc, 1.0),
  .note_fill = RGB (0x303030, 0.95),
};
void
sonde_timeline_options_init (SondeTimelineOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->to_us = 10 * G_USEC_PER_SEC;
  options->end_us = G_MININT64;
  options->time_format = SONDE_TIME_FORMAT_RELATIVE;
  options->cursor_seq = SONDE_TIMELINE_NO_SEQ;
}

SondeTimelineFrame *
sonde_timeline_frame_new (void)
{
  SondeTimelineFrame *frame = g_new0 (SondeTimelineFrame, 1);

  sonde_timeline_options_init (&frame->options);
  return frame;
}

static void
lane_clear (Lane *lane)
{
  g_clear_object (&lane->summary);
  g_clear_pointer (&lane->title, g_free);
  g_clear_pointer (&lane->bins, g_free);
  g_clear_pointer (&lane->marks, g_array_unref);
  g_clear_pointer (&lane->notes_placed, g_array_unref);
  g_clear_pointer (&lane->segments_placed, g_array_unref);
  g_clear_pointer (&lane->events, g_free);
  g_clear_pointer (&lane->bytes, g_free);
  g_clear_pointer (&lane->windows_us, g_free);
  memset (lane, 0, sizeof *lane);
}

static void
drawn_clear (gpointer data)
{
  g_free (((Drawn *)data)->text);
}

void
sonde_timeline_frame_free (SondeTimelineFrame *frame)
{
  if (frame == NULL)
    return;
  for (guint i = 0; i < SONDE_TIMELINE_MAX_LANES; i++)
    lane_clear (&frame->lanes[i]);
  g_clear_pointer (&frame->widths, g_hash_table_unref);
  g_clear_pointer (&frame->layouts[0], g_hash_table_unref);
  g_clear_pointer (&frame->layouts[1], g_hash_table_unref);
  g_free (frame->widths_font);
  g_clear_pointer (&frame->scratch[0], cairo_surface_destroy);
  g_clear_pointer (&frame->scratch[1], cairo_surface_destroy);
  g_clear_pointer (&frame->texts, g_array_unref);
  g_free (frame);
}

double
sonde_timeline_frame_time_to_x (SondeTimelineFrame *frame,
                                gint64              time_us)
{
  g_return_val_if_fail (frame != NULL, 0.0);

  return time_x (frame, time_us);
}

gint64
sonde_timeline_frame_x_to_time (SondeTimelineFrame *frame,
                                double              x)
{
  g_return_val_if_fail (frame != NULL, 0);

  return x_time (frame, x);
}

/* Layout. */

/* A lane shorter than this has no row of notes and no rate graph. */
#define LANE_NOTES_HEIGHT 70
/* A lane this high gives the rate graph's scale a row of its own. */
#define LANE_SCALE_ROW_HEIGHT 150
/* A lane shorter than this has hardly room for its band and marks. */
#define LANE_MARKS_HEIGHT 44

/* The heading's and the legend's height, as drawn in @mode (0: all; 1: the
 * legend without its sentence; 2: also the heading on one line; 3: also no
 * legend). */
static void
chrome_height (SondeTimelineFrame         *frame,
               Painter                    *p,
               const SondeTimelineOptions *o,
               guint                       mode,
               gboolean                    how,
               double                     *top,
               double                     *bottom)
{
  double line_h = p->line_h;

  frame->legend_directions = mode == 0;
  frame->legend_how = how && o->legend && mode < 3;
  frame->compact = mode >= 2;
  frame->heading_one_line = mode >= 2 && o->title != NULL && o->subtitle != NULL;
  frame->legend_shown = o->legend && mode < 3;
  *top = 0;
  if (frame->heading_one_line)
    *top += line_h + 4;
  else
    {
      if (o->title != NULL)
        *top += line_h * 1.3 + 4;
      if (o->subtitle != NULL)
        *top += line_h + 2;
    }
  /* Short pictures are also tighter around the heading and the legend. */
  if (o->title != NULL || o->subtitle != NULL)
    *top += mode >= 2 ? 3 : 6;
  *bottom = 0;
  frame->legend_rows = frame->legend_shown ? sonde_timeline_draw_legend (p, 0, FALSE) : 0;
  /* A short picture gives it no row of its own. */
  if (frame->legend_how && mode >= 1)
    {
      frame->legend_how = FALSE;
      if (sonde_timeline_draw_legend (p, 0, FALSE) == frame->legend_rows)
        frame->legend_how = TRUE;
      else
        frame->legend_rows = sonde_timeline_draw_legend (p, 0, FALSE);
    }
  if (frame->legend_shown)
    *bottom += (line_h + 4) * frame->legend_rows + (mode >= 2 ? 5 : 10);
}

static void
lay_out (SondeTimelineFrame         *frame,
         Painter                    *p,
         const SondeTimelineOptions *o,
         double                      width,
         double                      height)
{
  double line_h = p->line_h;
  double m = o->margin;
  double top = m;
  double bottom = height - m;
  double lane_h;

  frame->width = width;
  frame->height = height;
  frame->plot_x = m;
  frame->plot_w = MAX (1.0, width - 2 * m);

  /* A short or narrow picture (a thumbnail, a 170-pixel strip) gives up
   * words around the chart before the chart gives up its notes and rates:
   * lanes that overlap the heading and the legend tell nothing. */
  frame->axis.h = line_h + 8;
  {
    guint chosen = G_MAXUINT;
    guint readable = G_MAXUINT;
    double chrome_top, chrome_bottom;

    for (guint mode = 0; mode < 4 && chosen == G_MAXUINT; mode++)
      {
        chrome_height (frame, p, o, mode, TRUE, &chrome_top, &chrome_bottom);
        lane_h = (height - 2 * m - chrome_top - chrome_bottom - frame->axis.h) /
                 MAX (1, frame->n_lanes);
        if (lane_h >= LANE_NOTES_HEIGHT)
          chosen = mode;
        else if (lane_h >= LANE_MARKS_HEIGHT && readable == G_MAXUINT)
          readable = mode;
      }
    /* Without room for notes, the legend stays if the band and its marks
     * can be read with it. */
    if (chosen == G_MAXUINT)
      chosen = readable != G_MAXUINT ? readable : 3;
    /* How the rates were taken goes in the legend where the rate scale
     * shares the notes' row, whose notes it would push off their pins. */
    chrome_height (frame, p, o, chosen, TRUE, &chrome_top, &chrome_bottom);
    lane_h = (height - 2 * m - chrome_top - chrome_bottom - frame->axis.h) / MAX (1, frame->n_lanes);
    if (lane_h >= LANE_SCALE_ROW_HEIGHT)
      chrome_height (frame, p, o, chosen, FALSE, &chrome_top, &chrome_bottom);
    top = m + chrome_top;
    bottom = height - m - chrome_bottom;
  }

  frame->axis.x = frame->plot_x;
  frame->axis.w = frame->plot_w;
  frame->axis.y = bottom - frame->axis.h;
  bottom = frame->axis.y;

  lane_h = MAX (0.0, (bottom - top) / MAX (1, frame->n_lanes));
  for (guint i = 0; i < frame->n_lanes; i++)
    {
      Lane *lane = &frame->lanes[i];
      SondeTimelineCounts totals;
      double y = top + lane_h * i;
      double rest;
      double band_h = CLAMP (line_h + 3, 10, 18);
      double out_h;
      double rate_h;
      guint note_rows;

      lane->whole = (Rect) { frame->plot_x, y, frame->plot_w, lane_h };
      lane->heading = (Rect) { frame->plot_x, y, frame->plot_w, lane->title != NULL ? line_h + 4 : 0 };
      y += lane->heading.h;

      /* A short chart (the window's default size) still shows a row of
       * notes and a small rate graph: they explain the stream. */
      note_rows = lane_h >= 240 ? 2 : (lane_h >= 70 ? 1 : 0);
      lane->notes = (Rect) { frame->plot_x, y, frame->plot_w, note_rows * (line_h + 5) };
      y += lane->notes.h;

      /* The rate graph's scale has a row of its own above the graph when
       * the lane is tall (pictures); in a short one (the window) it shares
       * the notes' row, and shows where no note is. Never over the graph. */
      lane->scale_shared = lane_h < LANE_SCALE_ROW_HEIGHT;
      lane->scale = (Rect) { frame->plot_x, y, 0, lane->scale_shared ? 0 : line_h + 3 };
      y += lane->scale.h;

      rest = MAX (0.0, lane->whole.y + lane_h - y - band_h - 4);
      sonde_timeline_summary_get_totals (lane->summary, &totals);
      /* A stream nobody writes to (most SSE) needs little room below the band. */
      out_h = sonde_timeline_counts_direction (&totals, SONDE_DIRECTION_OUT) > 0 ? rest * 0.3
                                                                                 : MIN (6.0, rest * 0.1);
      /* A short lane (the window's chart) gives the rate graph a larger
       * share: the marks' stems reach the same heads with less, while a
       * graph of 10 pixels reads as a line. */
      rate_h = rest >= 32 ? (rest - out_h) * (lane_h < LANE_SCALE_ROW_HEIGHT ? 0.45 : 0.38) : 0;
      if (lane->scale_shared && note_rows > 0 && rate_h > 0)
        lane->scale = (Rect) { frame->plot_x, lane->notes.y + (note_rows - 1) * (line_h + 5), 0,
                               line_h + 3 };
      else if (rate_h <= 0)
        lane->scale.h = 0;

      lane->rate = (Rect) { frame->plot_x, y, frame->plot_w, rate_h };
      y += rate_h;
      lane->in = (Rect) { frame->plot_x, y, frame->plot_w, MAX (0.0, rest - out_h - rate_h) };
      y += lane->in.h;
      lane->band = (Rect) { frame->plot_x, y, frame->plot_w, band_h };
      y += band_h;
      lane->out = (Rect) { frame->plot_x, y, frame->plot_w, out_h };
    }
}

/**
 * sonde_timeline_render:
 * @cr: where to draw, with (0, 0) at the top left
 * @summaries: (array length=n_lanes): one summary per lane, drawn one above
 *   the other on one time axis
 * @lane_titles: (array length=n_lanes) (nullable): a heading per lane
 * @frame: (nullable): keeps what was drawn where, for
 *   sonde_timeline_frame_hit()
 *
 * Draws the timeline of [@options->from_us, @options->to_us) into a
 * @width × @height box. The cursor belongs to the first lane.
 */
void
sonde_timeline_render (cairo_t                      *cr,
                       double                        width,
                       double                        height,
                       SondeTimelineSummary * const *summaries,
                       const char * const           *lane_titles,
                       guint                         n_lanes,
                       const SondeTimelineOptions   *options,
                       SondeTimelineFrame           *frame)
{
  g_autoptr(SondeTimelineFrame) own_frame = NULL;
  g_autoptr(PangoFontDescription) default_font = NULL;
  SondeTimelineTicks ticks;
  Painter p = { 0 };
  int line_w, line_h;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (options != NULL);
  g_return_if_fail (n_lanes <= SONDE_TIMELINE_MAX_LANES);
  g_return_if_fail (summaries != NULL || n_lanes == 0);

  if (frame == NULL)
    frame = own_frame = sonde_timeline_frame_new ();
  for (guint i = 0; i < SONDE_TIMELINE_MAX_LANES; i++)
    lane_clear (&frame->lanes[i]);
  frame->options = *options;
  /* The frame outlives the caller's strings. */
  frame->options.title = NULL;
  frame->options.subtitle = NULL;
  frame->options.font = NULL;
  if (frame->options.to_us <= frame->options.from_us)
    frame->options.to_us = frame->options.from_us + 1;
  frame->n_lanes = n_lanes;
  if (frame->texts == NULL)
    {
      frame->texts = g_array_new (FALSE, FALSE, sizeof (Drawn));
      g_array_set_clear_func (frame->texts, drawn_clear);
    }
  g_array_set_size (frame->texts, 0);
  for (guint i = 0; i < n_lanes; i++)
    {
      frame->lanes[i].summary = g_object_ref (summaries[i]);
      frame->lanes[i].title = lane_titles != NULL ? g_strdup (lane_titles[i]) : NULL;
    }

  p.cr = cr;
  p.frame = frame;
  p.palette = options->dark ? &dark_palette : &light_palette;
  /* Pixels where the target is pixels: an image, or the recording that
   * gtk_snapshot_append_cairo() gives and GTK replays into one. Anything
   * else (SVG) gets paths. */
  p.raster = cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE ||
             cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_RECORDING;
  p.layout = pango_cairo_create_layout (cr);
  if (options->font == NULL)
    default_font = pango_font_description_from_string ("Sans 8");
  pango_layout_set_font_description (p.layout, options->font != NULL ? options->font : default_font);
  {
    g_autofree char *font = pango_font_description_to_string (options->font != NULL ? options->font
                                                                                    : default_font);
    double scale_x = 1, scale_y = 1;
    g_autofree char *key = NULL;
    cairo_font_options_t *font_options;

    cairo_surface_get_device_scale (cairo_get_target (cr), &scale_x, &scale_y);
    /* What is drawn as pixels is drawn at the device's scale: the window's
     * target is a recording at scale 1, which GTK replays at the widget's
     * scale factor, so the window says it. Whole device pixels only. */
    if (options->scale > 0 &&
        cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_RECORDING)
      scale_x = options->scale;
    p.scale = p.raster ? (int)CLAMP (lround (scale_x), 1, 4) : 1;
    /* Laid-out texts are kept for a font, a kind of target and its font
     * options (hinting, antialiasing). */
    font_options = cairo_font_options_create ();
    cairo_surface_get_font_options (cairo_get_target (cr), font_options);
    key = g_strdup_printf ("%s@%g/%d/%lu", font, scale_x,
                           (int)cairo_surface_get_type (cairo_get_target (cr)),
                           cairo_font_options_hash (font_options));
    cairo_font_options_destroy (font_options);
    if (frame->widths == NULL || g_strcmp0 (key, frame->widths_font) != 0)
      {
        g_clear_pointer (&frame->widths, g_hash_table_unref);
        frame->widths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = 0; i < G_N_ELEMENTS (frame->layouts); i++)
          {
            g_clear_pointer (&frame->layouts[i], g_hash_table_unref);
            frame->layouts[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       g_object_unref);
          }
        g_free (frame->widths_font);
        frame->widths_font = g_steal_pointer (&key);
      }
  }
  pango_layout_set_text (p.layout, "0:00.9 s", -1);
  pango_layout_get_pixel_size (p.layout, &line_w, &line_h);
  p.line_h = line_h;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  set_colour (cr, &p.palette->background, 1.0);
  cairo_paint (cr);

  lay_out (frame, &p, options, width, height);
  sonde_timeline_choose_ticks (&p, &ticks);
  sonde_timeline_draw_grid (&p, &ticks);

  for (guint i = 0; i < n_lanes; i++)
    {
      Lane *lane = &frame->lanes[i];

      sonde_timeline_lane_fill_bins (frame, lane);
      sonde_timeline_lane_fill_rates (frame, lane);
      if (lane->title != NULL)
        sonde_timeline_text_draw (&p, lane->title, lane->heading.x, lane->heading.y + 2,
                                  &p.palette->text, TRUE);
      sonde_timeline_draw_rate (&p, lane);
      sonde_timeline_measure_scale (&p, lane);
      sonde_timeline_draw_band (&p, lane);
      sonde_timeline_draw_notes (&p, lane);
      sonde_timeline_draw_scale (&p, lane);
      if (lane->sparse)
        sonde_timeline_draw_marks_sparse (&p, lane);
      else
        sonde_timeline_draw_marks_binned (&p, lane);
      /* An empty recording (or a tab before its first entry) says so,
       * rather than leaving a reader to wonder what failed to draw. */
      if (sonde_timeline_summary_get_n_entries (lane->summary) == 0 && lane->in.h >= p.line_h)
        {
          /* Translators: in the middle of an empty timeline */
          const char *empty = _("No entries");
          double w = sonde_timeline_text_width (&p, empty);

          sonde_timeline_text_draw (&p, empty, lane->in.x + (lane->in.w - w) / 2,
                                    lane->in.y + (lane->in.h - p.line_h) / 2, &p.palette->dim,
                                    FALSE);
        }
    }

  sonde_timeline_draw_cursor (&p);
  sonde_timeline_draw_axis (&p, &ticks);
  if (frame->legend_shown)
    sonde_timeline_draw_legend (&p, frame->axis.y + frame->axis.h + (frame->compact ? 3 : 8),
                                TRUE);
  sonde_timeline_draw_heading (&p, options);
  cairo_restore (cr);

  g_object_unref (p.layout);
  g_free (p.laid_out);
}

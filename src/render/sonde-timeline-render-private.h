/* sonde-timeline-render-private.h: what the timeline's layers share: the frame, the painter, spans
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <math.h>

#include <cairo.h>
#include <pango/pango.h>

#include "sonde-timeline-axis.h"
#include "sonde-timeline-render.h"

G_BEGIN_DECLS

/* Entries read one by one for bins finer than the summary's finest level. */
#define RAW_BUDGET            50000
/* Fewer entries than one per this many pixels: each entry gets a mark. */
#define SPARSE_PIXELS         4.0
#define MARK_HIT_PIXELS       6.0
#define NOTE_LABEL_CHARS      28
#define DESCRIBE_BINS         256

typedef struct
{
  double r, g, b, a;
} Colour;

typedef struct
{
  Colour background;
  Colour text;
  Colour dim;
  Colour grid;
  Colour category[SONDE_TIMELINE_N_CATEGORIES];
  Colour band[SONDE_CONNECTION_FAILED + 1];
  Colour band_ink[SONDE_CONNECTION_FAILED + 1];
  Colour events;
  Colour bytes;
  Colour cursor;
  Colour note;
  Colour note_fill;
} Palette;

typedef struct
{
  double x, y, w, h;
} Rect;

typedef struct
{
  double   x;
  guint64  seq;
  guint8   direction;
  guint8   category;
} Mark;

typedef struct
{
  Rect     rect;
  guint    index;
  gint64   start_us;
  gint64   end_us;
  SondeConnectionState state;
} Placed;

/* A text as drawn, where it was drawn: what a reader of the picture sees,
 * for the tests to check that no two overlap and none is cut. */
typedef struct
{
  Rect  rect;
  char *text;
} Drawn;

typedef struct
{
  SondeTimelineSummary *summary;
  char                 *title;
  Rect                  whole;
  Rect                  heading;
  Rect                  notes;
  Rect                  rate;
  Rect                  scale;        /* the rate graph's labels, never over the graph */
  gboolean              scale_shared; /* in the notes' row, which gives way to notes */
  gboolean              scale_how;    /* it says how the rates were taken */
  Rect                  in;
  Rect                  band;
  Rect                  out;
  SondeTimelineCounts  *bins;
  guint                 n_bins;
  gint64                bins_from_us;
  gint64                bin_us;
  gboolean              sparse;
  GArray               *marks;       /* Mark */
  GArray               *notes_placed;
  GArray               *segments_placed;
  double               *events;      /* per pixel column: events/s, NAN where none */
  double               *bytes;       /* per pixel column: bytes/s, NAN where none */
  gint64               *windows_us;  /* per pixel column: over how long, or the gap */
  guint                 n_columns;
  double                max_events;
  double                max_bytes;
  double                top_events;  /* the scale's top: a round number, at least max_events */
  double                top_bytes;
  gint64                rate_window_us;   /* the narrowest window the rates average over */
  gint64                rate_window_max_us; /* the widest, where entries were few */
  gboolean              rate_from_gaps; /* 1 / the gap between two entries, not a window */
} Lane;

struct _SondeTimelineFrame
{
  SondeTimelineOptions options;
  double               width;
  double               height;
  double               plot_x;
  double               plot_w;
  Rect                 axis;
  /* What a short picture leaves out so that its lanes keep their notes
   * and rates (lay_out()): the legend's sentence, then the heading's
   * second line, then the legend. */
  gboolean             legend_directions;
  gboolean             legend_shown;
  gboolean             heading_one_line;
  gboolean             compact;   /* tighter around the heading and the legend */
  gboolean             legend_how; /* the legend says how the rates were taken */
  guint                legend_rows;
  guint                n_lanes;
  Lane                 lanes[SONDE_TIMELINE_MAX_LANES];
  /* Texts measured in earlier renderings (axis labels, notes), for the
   * font in widths_font: laying a text out costs Pango as much as fifty
   * thousand instructions, and most labels come back frame after frame. */
  GHashTable          *widths;
  char                *widths_font;
  /* Texts drawn in earlier renderings, laid out, by weight (regular, bold):
   * shaping a label is two thirds of what drawing it costs. */
  GHashTable          *layouts[2];
  /* Scratch pictures for canvases (ARGB32) and masks (A8), kept from frame
   * to frame: a fresh picture of half a megabyte each frame is as many page
   * faults, which cost more than drawing into it. */
  cairo_surface_t     *scratch[2];
  GArray              *texts;   /* Drawn, in this rendering */
};

/* An image the size of an area, blended into in C and painted once
 * (sonde-timeline-canvas.c). */
typedef struct _Canvas
{
  cairo_surface_t *surface;
  guint32         *data;
  int              stride;   /* in device pixels */
  int              scale;    /* device pixels per pixel, each way */
  int              x0, y0, w, h;
} Canvas;

typedef struct
{
  cairo_t            *cr;
  PangoLayout        *layout;
  const Palette      *palette;
  SondeTimelineFrame *frame;
  double              line_h;
  gboolean            raster;     /* spans go through a mask, not a path */
  int                 scale;      /* device pixels per pixel of the canvases, masks and stamps */
  Canvas             *canvas;     /* nullable: where spans go, raster only */
  char               *laid_out;   /* the layout's text and weight, to lay it out once */
  gboolean            laid_out_bold;
  gboolean            own_font;   /* the layout's font is not the frame's (the heading) */
} Painter;

/* Whole-pixel rectangles of one colour (the rate graph's columns, the
 * marks' bars, the notes' pins), collected and painted at once. */
typedef struct
{
  GArray *rects;   /* Rect, in whole pixels */
  double  dash;    /* 0, or the length of a dash and of a gap between dashes */
} Spans;

/* Inline where every layer calls them per column or per bin. */

static inline double
time_x (SondeTimelineFrame *frame,
        gint64              time_us)
{
  double span = (double)MAX (1, frame->options.to_us - frame->options.from_us);

  return frame->plot_x + (double)(time_us - frame->options.from_us) / span * frame->plot_w;
}

static inline gint64
x_time (SondeTimelineFrame *frame,
        double              x)
{
  double span = (double)MAX (1, frame->options.to_us - frame->options.from_us);

  return frame->options.from_us +
         (gint64)llround ((x - frame->plot_x) / MAX (1.0, frame->plot_w) * span);
}

static inline void
set_colour (cairo_t      *cr,
            const Colour *colour,
            double        alpha)
{
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, colour->a * alpha);
}

static inline void
rect_path (cairo_t    *cr,
           const Rect *r)
{
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
}

static inline gboolean
rect_contains (const Rect *r,
               double      x,
               double      y)
{
  return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

static inline void
spans_add (Spans  *spans,
           double  x,
           double  y,
           double  w,
           double  h)
{
  Rect r = { round (x), round (y), MAX (1.0, round (w)), round (h) };

  if (r.h > 0)
    g_array_append_val (spans->rects, r);
}

/* Spans and canvases (sonde-timeline-canvas.c). */
void     sonde_timeline_spans_init        (Spans                      *spans,
                                           double                      dash);
void     sonde_timeline_spans_paint       (Painter                    *p,
                                           Spans                      *spans,
                                           const Colour               *colour,
                                           double                      alpha);
void     sonde_timeline_spans_clear       (Spans                      *spans);
void     sonde_timeline_canvas_begin      (Painter                    *p,
                                           Canvas                     *canvas,
                                           const Rect                 *area);
void     sonde_timeline_canvas_stamp      (Canvas                     *canvas,
                                           cairo_surface_t            *stamp,
                                           int                         x,
                                           int                         y);
void     sonde_timeline_canvas_end        (Painter                    *p,
                                           Canvas                     *canvas);

/* Texts (sonde-timeline-text.c). */
double   sonde_timeline_text_width        (Painter                    *p,
                                           const char                 *text);
double   sonde_timeline_text_measure      (Painter                    *p,
                                           const char                 *text,
                                           gboolean                    bold);
double   sonde_timeline_text_draw         (Painter                    *p,
                                           const char                 *text,
                                           double                      x,
                                           double                      y,
                                           const Colour               *colour,
                                           gboolean                    bold);
char    *sonde_timeline_ellipsize         (const char                 *text,
                                           guint                       max);
char    *sonde_timeline_format_count      (double                      value);
char    *sonde_timeline_format_event_rate (double                      per_second);
char    *sonde_timeline_format_byte_rate  (double                      per_second);
char    *sonde_timeline_format_time       (SondeTimelineFrame         *frame,
                                           gint64                      time_us);

/* The layers, in the order they are drawn. */
void     sonde_timeline_choose_ticks      (Painter                    *p,
                                           SondeTimelineTicks         *ticks);
void     sonde_timeline_draw_grid         (Painter                    *p,
                                           const SondeTimelineTicks   *ticks);
void     sonde_timeline_lane_fill_bins    (SondeTimelineFrame         *frame,
                                           Lane                       *lane);
void     sonde_timeline_lane_fill_rates   (SondeTimelineFrame         *frame,
                                           Lane                       *lane);
void     sonde_timeline_draw_rate         (Painter                    *p,
                                           Lane                       *lane);
void     sonde_timeline_measure_scale     (Painter                    *p,
                                           Lane                       *lane);
char    *sonde_timeline_rate_how          (const Lane                 *lane);
char    *sonde_timeline_rates_how         (const SondeTimelineFrame   *frame);
void     sonde_timeline_paint_state       (Painter                    *p,
                                           SondeConnectionState        state,
                                           const Rect                 *r);
void     sonde_timeline_draw_band         (Painter                    *p,
                                           Lane                       *lane);
gint64   sonde_timeline_session_end       (SondeTimelineFrame         *frame,
                                           SondeTimelineSummary       *summary);
char    *sonde_timeline_note_label        (const SondeTimelineNote    *note);
void     sonde_timeline_draw_notes        (Painter                    *p,
                                           Lane                       *lane);
void     sonde_timeline_draw_scale        (Painter                    *p,
                                           Lane                       *lane);
void     sonde_timeline_mark_head         (cairo_t                    *cr,
                                           SondeEntryCategory          category,
                                           double                      x,
                                           double                      y,
                                           double                      size);
void     sonde_timeline_draw_marks_sparse (Painter                    *p,
                                           Lane                       *lane);
void     sonde_timeline_draw_marks_binned (Painter                    *p,
                                           Lane                       *lane);
void     sonde_timeline_draw_cursor       (Painter                    *p);
void     sonde_timeline_draw_axis         (Painter                    *p,
                                           const SondeTimelineTicks   *ticks);
guint    sonde_timeline_draw_legend       (Painter                    *p,
                                           double                      top,
                                           gboolean                    draw);
void     sonde_timeline_draw_heading      (Painter                    *p,
                                           const SondeTimelineOptions *options);

G_END_DECLS

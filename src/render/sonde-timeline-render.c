/* sonde-timeline-render.c: the timeline drawn with cairo, for the window and the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-timeline-axis.h"
#include "sonde-timeline-render.h"
#include "sonde-ws-frame.h"

/* A picture in layers, each reading the summary (the series) and drawing
 * one thing: grid, rate graph, marks, connection band, notes, cursor, axis,
 * legend. What the layers placed is kept in the frame, so that a pointer can
 * ask what lies under it without drawing again.
 *
 * Drawing costs what the pixels cost: marks and rates come from one bin per
 * pixel column, read from the summary's level that fits; entries are read
 * one by one only when few are in view, and then each gets its own mark. */

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

/* What one pixel column of marks shows: the busiest bin in it sets the
 * height (so that columns holding one bucket or two do not alternate), the
 * sums split it by category. */
typedef struct
{
  guint64 busiest[SONDE_TIMELINE_N_DIRECTIONS];
  guint64 sum[SONDE_TIMELINE_N_DIRECTIONS][SONDE_TIMELINE_N_CATEGORIES];
} Column;

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
  double               *events;      /* per pixel column: events/s */
  double               *bytes;       /* per pixel column: bytes/s */
  guint                 n_columns;
  double                max_events;
  double                max_bytes;
  gint64                rate_window_us;
} Lane;

struct _SondeTimelineFrame
{
  SondeTimelineOptions options;
  double               width;
  double               height;
  double               plot_x;
  double               plot_w;
  Rect                 axis;
  guint                n_lanes;
  Lane                 lanes[SONDE_TIMELINE_MAX_LANES];
  /* Texts measured in earlier renderings (axis labels, notes), for the
   * font in widths_font: laying a text out costs Pango as much as fifty
   * thousand instructions, and most labels come back frame after frame. */
  GHashTable          *widths;
  char                *widths_font;
  /* Scratch pictures for canvases (ARGB32) and masks (A8), kept from frame
   * to frame: a fresh picture of half a megabyte each frame is as many page
   * faults, which cost more than drawing into it. */
  cairo_surface_t     *scratch[2];
};

typedef struct
{
  cairo_t            *cr;
  PangoLayout        *layout;
  const Palette      *palette;
  SondeTimelineFrame *frame;
  double              line_h;
  gboolean            raster;     /* spans go through a mask, not a path */
  struct _Canvas     *canvas;     /* nullable: where spans go, raster only */
  char               *laid_out;   /* the layout's text and weight, to lay it out once */
  gboolean            laid_out_bold;
} Painter;

/* Whole-pixel rectangles of one colour (the rate graph's columns, the
 * marks' bars, the notes' pins), collected and painted at once. */
typedef struct
{
  GArray *rects;   /* Rect, in whole pixels */
  double  dash;    /* 0, or the length of a dash and of a gap between dashes */
} Spans;

static guint legend (Painter  *p,
                     double    top,
                     gboolean  draw);

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
  memset (lane, 0, sizeof *lane);
}

void
sonde_timeline_frame_free (SondeTimelineFrame *frame)
{
  if (frame == NULL)
    return;
  for (guint i = 0; i < SONDE_TIMELINE_MAX_LANES; i++)
    lane_clear (&frame->lanes[i]);
  g_clear_pointer (&frame->widths, g_hash_table_unref);
  g_free (frame->widths_font);
  g_clear_pointer (&frame->scratch[0], cairo_surface_destroy);
  g_clear_pointer (&frame->scratch[1], cairo_surface_destroy);
  g_free (frame);
}

double
sonde_timeline_frame_time_to_x (SondeTimelineFrame *frame,
                                gint64              time_us)
{
  double span;

  g_return_val_if_fail (frame != NULL, 0.0);

  span = (double)MAX (1, frame->options.to_us - frame->options.from_us);
  return frame->plot_x + (double)(time_us - frame->options.from_us) / span * frame->plot_w;
}

gint64
sonde_timeline_frame_x_to_time (SondeTimelineFrame *frame,
                                double              x)
{
  double span;

  g_return_val_if_fail (frame != NULL, 0);

  span = (double)MAX (1, frame->options.to_us - frame->options.from_us);
  return frame->options.from_us +
         (gint64)llround ((x - frame->plot_x) / MAX (1.0, frame->plot_w) * span);
}

static inline double
time_x (SondeTimelineFrame *frame,
        gint64              time_us)
{
  return sonde_timeline_frame_time_to_x (frame, time_us);
}

/* Painting helpers. */

static void
set_colour (cairo_t      *cr,
            const Colour *colour,
            double        alpha)
{
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, colour->a * alpha);
}

static void
rect_path (cairo_t    *cr,
           const Rect *r)
{
  cairo_rectangle (cr, r->x, r->y, r->w, r->h);
}

static gboolean
rect_contains (const Rect *r,
               double      x,
               double      y)
{
  return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

/* Spans. A thousand rectangles cost cairo about a thousand instructions
 * each to path and as many to fill, more than everything else a frame
 * draws; written as bytes into an 8-bit mask, they cost a few each, and one
 * mask paints them all. Raster targets (an image, or the recording GTK
 * replays into one) take the mask; vector ones (SVG) keep the rectangles.
 *
 * Where several colours overlap in one area (the rate graph, the marks), a
 * canvas takes them all: an image the size of the area, blended into in C,
 * and painted once, instead of one mask per colour. */

/* A picture at least @w × @h, its top left @w × @h cleared, owned by the frame. */
static cairo_surface_t *
scratch_surface (SondeTimelineFrame *frame,
                 cairo_format_t      format,
                 int                 w,
                 int                 h)
{
  cairo_surface_t **scratch = &frame->scratch[format == CAIRO_FORMAT_A8 ? 1 : 0];
  guint8 *data;
  int stride;
  int bytes = format == CAIRO_FORMAT_A8 ? 1 : 4;

  if (*scratch == NULL || cairo_image_surface_get_width (*scratch) < w ||
      cairo_image_surface_get_height (*scratch) < h)
    {
      int old_w = *scratch != NULL ? cairo_image_surface_get_width (*scratch) : 0;
      int old_h = *scratch != NULL ? cairo_image_surface_get_height (*scratch) : 0;

      g_clear_pointer (scratch, cairo_surface_destroy);
      *scratch = cairo_image_surface_create (format, MAX (w, old_w), MAX (h, old_h));
      if (cairo_surface_status (*scratch) != CAIRO_STATUS_SUCCESS)
        {
          g_clear_pointer (scratch, cairo_surface_destroy);
          return NULL;
        }
    }
  cairo_surface_flush (*scratch);
  data = cairo_image_surface_get_data (*scratch);
  stride = cairo_image_surface_get_stride (*scratch);
  for (int y = 0; y < h; y++)
    memset (data + (gsize)y * stride, 0, (gsize)w * bytes);
  return *scratch;
}

/* Paints the top left @w × @h of @surface with its corner at (@x, @y). */
static void
paint_scratch (cairo_t         *cr,
               cairo_surface_t *surface,
               int              x,
               int              y,
               int              w,
               int              h,
               gboolean         as_mask)
{
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  cairo_surface_mark_dirty (surface);
  pattern = cairo_pattern_create_for_surface (surface);
  /* One pixel of the picture per user-space pixel: sharp at any scale, as
   * unsmoothed rectangles are. */
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_translate (&matrix, -x, -y);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  if (as_mask)
    cairo_mask (cr, pattern);
  else
    {
      cairo_set_source (cr, pattern);
      cairo_paint (cr);
    }
  cairo_restore (cr);
  cairo_pattern_destroy (pattern);
}

typedef struct _Canvas
{
  cairo_surface_t *surface;
  guint32         *data;
  int              stride;   /* in pixels */
  int              x0, y0, w, h;
} Canvas;

static inline guint32
premultiply (const Colour *colour,
             double        alpha)
{
  double a = CLAMP (colour->a * alpha, 0.0, 1.0);
  guint32 a8 = (guint32)lround (a * 255);

  return a8 << 24 | (guint32)lround (colour->r * a * 255) << 16 |
         (guint32)lround (colour->g * a * 255) << 8 | (guint32)lround (colour->b * a * 255);
}

/* Premultiplied @src over @dst, as cairo's OVER does it. */
static inline guint32
over (guint32 src,
      guint32 dst)
{
  guint32 rest = 255 - (src >> 24);
  guint32 rb = (dst & 0xff00ff) * rest + 0x800080;
  guint32 ag = ((dst >> 8) & 0xff00ff) * rest + 0x800080;

  rb = ((rb + ((rb >> 8) & 0xff00ff)) >> 8) & 0xff00ff;
  ag = ((ag + ((ag >> 8) & 0xff00ff)) >> 8) & 0xff00ff;
  return src + (rb | ag << 8);
}

/* Starts a canvas over @area, when the target is raster; spans painted
 * until canvas_end() go into it. */
static void
canvas_begin (Painter    *p,
              Canvas     *canvas,
              const Rect *area)
{
  memset (canvas, 0, sizeof *canvas);
  if (!p->raster || area->w < 1 || area->h < 1)
    return;
  canvas->x0 = (int)floor (area->x);
  canvas->y0 = (int)floor (area->y);
  canvas->w = (int)ceil (area->x + area->w) - canvas->x0;
  canvas->h = (int)ceil (area->y + area->h) - canvas->y0;
  canvas->surface = scratch_surface (p->frame, CAIRO_FORMAT_ARGB32, canvas->w, canvas->h);
  if (canvas->surface == NULL)
    return;
  /* Cairo keeps an ARGB32 picture's rows aligned to 4 bytes. */
  canvas->data = (guint32 *)(void *)cairo_image_surface_get_data (canvas->surface);
  canvas->stride = cairo_image_surface_get_stride (canvas->surface) / 4;
  p->canvas = canvas;
}

static void
canvas_fill (Canvas     *canvas,
             const Rect *r,
             guint32     pixel,
             int         dash)
{
  int x0 = MAX ((int)r->x - canvas->x0, 0);
  int x1 = MIN ((int)(r->x + r->w) - canvas->x0, canvas->w);
  int y0 = MAX ((int)r->y - canvas->y0, 0);
  int y1 = MIN ((int)(r->y + r->h) - canvas->y0, canvas->h);
  gboolean opaque = pixel >> 24 == 255;
  int stride = canvas->stride;
  guint32 *row;

  if (x0 >= x1 || y0 >= y1)
    return;
  row = canvas->data + (gsize)y0 * stride + x0;
  /* Mostly columns a pixel wide, on empty pixels: a store each. */
  if (dash == 0 && x1 - x0 == 1)
    {
      if (opaque)
        for (int y = y0; y < y1; y++, row += stride)
          *row = pixel;
      else
        for (int y = y0; y < y1; y++, row += stride)
          *row = *row == 0 ? pixel : over (pixel, *row);
      return;
    }
  for (int y = y0; y < y1; y++, row += stride)
    {
      if (dash > 0 && ((y - ((int)r->y - canvas->y0)) / dash) % 2 != 0)
        continue;
      for (int x = 0; x < x1 - x0; x++)
        row[x] = opaque || row[x] == 0 ? pixel : over (pixel, row[x]);
    }
}

/* Draws a small picture (premultiplied, as cairo keeps them) with its top
 * left at (@x, @y). */
static void
canvas_stamp (Canvas          *canvas,
              cairo_surface_t *stamp,
              int              x,
              int              y)
{
  const guint32 *data = (const guint32 *)(const void *)cairo_image_surface_get_data (stamp);
  int stride = cairo_image_surface_get_stride (stamp) / 4;
  int w = cairo_image_surface_get_width (stamp);
  int h = cairo_image_surface_get_height (stamp);

  x -= canvas->x0;
  y -= canvas->y0;
  for (int j = MAX (0, -y); j < h && y + j < canvas->h; j++)
    for (int i = MAX (0, -x); i < w && x + i < canvas->w; i++)
      {
        guint32 src = data[(gsize)j * stride + i];

        if (src != 0)
          canvas->data[(gsize)(y + j) * canvas->stride + x + i] =
            over (src, canvas->data[(gsize)(y + j) * canvas->stride + x + i]);
      }
}

static void
canvas_end (Painter *p,
            Canvas  *canvas)
{
  p->canvas = NULL;
  if (canvas->surface == NULL)
    return;
  paint_scratch (p->cr, canvas->surface, canvas->x0, canvas->y0, canvas->w, canvas->h, FALSE);
  canvas->surface = NULL;
}

static void
spans_init (Spans  *spans,
            double  dash)
{
  spans->rects = g_array_sized_new (FALSE, FALSE, sizeof (Rect), 1024);
  spans->dash = dash;
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

static void
spans_mask (Painter     *p,
            const Spans *spans)
{
  cairo_surface_t *mask;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  guint8 *data;
  int stride;
  int dash = (int)spans->dash;

  for (guint i = 0; i < spans->rects->len; i++)
    {
      const Rect *r = &g_array_index (spans->rects, Rect, i);

      x0 = MIN (x0, r->x);
      y0 = MIN (y0, r->y);
      x1 = MAX (x1, r->x + r->w);
      y1 = MAX (y1, r->y + r->h);
    }
  mask = scratch_surface (p->frame, CAIRO_FORMAT_A8, (int)(x1 - x0), (int)(y1 - y0));
  if (mask == NULL)
    return;
  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  for (guint i = 0; i < spans->rects->len; i++)
    {
      const Rect *r = &g_array_index (spans->rects, Rect, i);
      int x = (int)(r->x - x0);
      int w = (int)r->w;
      int top = (int)(r->y - y0);

      guint8 *row = data + (gsize)top * stride + x;

      /* Mostly columns one pixel wide: a store per row, no call. */
      for (int y = 0; y < (int)r->h; y++, row += stride)
        if (dash == 0 || (y / dash) % 2 == 0)
          {
            if (w == 1)
              *row = 0xff;
            else
              memset (row, 0xff, w);
          }
    }
  paint_scratch (p->cr, mask, (int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0), TRUE);
}

/* Paints @spans in @colour and empties them. */
static void
spans_paint (Painter      *p,
             Spans        *spans,
             const Colour *colour,
             double        alpha)
{
  cairo_t *cr = p->cr;

  if (spans->rects->len == 0)
    return;
  if (p->canvas != NULL)
    {
      guint32 pixel = premultiply (colour, alpha);

      for (guint i = 0; i < spans->rects->len; i++)
        canvas_fill (p->canvas, &g_array_index (spans->rects, Rect, i), pixel, (int)spans->dash);
      g_array_set_size (spans->rects, 0);
      return;
    }
  cairo_save (cr);
  set_colour (cr, colour, alpha);
  if (p->raster)
    spans_mask (p, spans);
  else
    {
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
      for (guint i = 0; i < spans->rects->len; i++)
        {
          const Rect *r = &g_array_index (spans->rects, Rect, i);

          if (spans->dash <= 0)
            cairo_rectangle (cr, r->x, r->y, r->w, r->h);
          else
            for (double y = 0; y < r->h; y += 2 * spans->dash)
              cairo_rectangle (cr, r->x, r->y + y, r->w, MIN (spans->dash, r->h - y));
        }
      cairo_fill (cr);
    }
  cairo_restore (cr);
  g_array_set_size (spans->rects, 0);
}

static void
spans_clear (Spans *spans)
{
  g_clear_pointer (&spans->rects, g_array_unref);
}

static void
text_set (Painter    *p,
          const char *text,
          gboolean    bold)
{
  PangoAttrList *attrs = NULL;

  /* Measuring a text and then drawing it lays it out once. */
  if (p->laid_out != NULL && p->laid_out_bold == bold && strcmp (p->laid_out, text) == 0)
    return;
  g_free (p->laid_out);
  p->laid_out = g_strdup (text);
  p->laid_out_bold = bold;
  pango_layout_set_text (p->layout, text, -1);
  if (bold)
    {
      attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  pango_layout_set_attributes (p->layout, attrs);
  g_clear_pointer (&attrs, pango_attr_list_unref);
}

static double
text_width (Painter    *p,
            const char *text)
{
  GHashTable *widths = p->frame->widths;
  gpointer known;
  int w, h;

  if (g_hash_table_lookup_extended (widths, text, NULL, &known))
    return GPOINTER_TO_INT (known);
  text_set (p, text, FALSE);
  pango_layout_get_pixel_size (p->layout, &w, &h);
  /* Bounded: a live session's labels change as its time goes by. */
  if (g_hash_table_size (widths) >= 1024)
    g_hash_table_remove_all (widths);
  g_hash_table_insert (widths, g_strdup (text), GINT_TO_POINTER (w));
  return w;
}

/* Draws @text with its top left at (@x, @y) and returns its width. */
static double
text_draw (Painter      *p,
           const char   *text,
           double        x,
           double        y,
           const Colour *colour,
           gboolean      bold)
{
  int w, h;

  text_set (p, text, bold);
  pango_layout_get_pixel_size (p->layout, &w, &h);
  set_colour (p->cr, colour, 1.0);
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, p->layout);
  return w;
}

/* Cuts @text to @max characters with "…". */
static char *
ellipsize (const char *text,
           guint       max)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *c = valid; *c != '\0'; c = g_utf8_next_char (c), n++)
    {
      gunichar ch = g_utf8_get_char (c);

      if (n + 1 >= max && g_utf8_strlen (c, -1) > 1)
        {
          g_string_append (out, "…");
          break;
        }
      /* One line: control characters as their pictures. */
      if (ch < 0x20)
        g_string_append_unichar (out, 0x2400 + ch);
      else
        g_string_append_unichar (out, ch);
    }
  return g_string_free (out, FALSE);
}

static char *
format_count (double value)
{
  if (value >= 9999500.0)
    /* Translators: a count in millions, such as “12.3 M” */
    return g_strdup_printf (C_("count", "%.1f M"), value / 1e6);
  if (value >= 9999.5)
    /* Translators: a count in thousands, such as “12.3 k” */
    return g_strdup_printf (C_("count", "%.1f k"), value / 1e3);
  if (value >= 10.0 || value == 0.0)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

static char *
format_time (SondeTimelineFrame *frame,
             gint64              time_us)
{
  char buf[64];

  sonde_entry_text_format_time (time_us, frame->options.time_format, frame->options.clock_origin,
                                buf, sizeof buf);
  if (frame->options.time_format == SONDE_TIME_FORMAT_RELATIVE)
    /* Translators: a time since the session started, such as “12.345678 s” */
    return g_strdup_printf (C_("time", "%s s"), buf);
  return g_strdup (buf);
}

/* Layout. */

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

  if (o->title != NULL)
    top += line_h * 1.3 + 4;
  if (o->subtitle != NULL)
    top += line_h + 2;
  if (o->title != NULL || o->subtitle != NULL)
    top += 6;
  if (o->legend)
    bottom -= (line_h + 4) * legend (p, 0, FALSE) + 10;

  frame->axis.x = frame->plot_x;
  frame->axis.w = frame->plot_w;
  frame->axis.h = line_h + 8;
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
      lane->scale_shared = lane_h < 150;
      lane->scale = (Rect) { frame->plot_x, y, 0, lane->scale_shared ? 0 : line_h + 3 };
      y += lane->scale.h;

      rest = MAX (0.0, lane->whole.y + lane_h - y - band_h - 4);
      sonde_timeline_summary_get_totals (lane->summary, &totals);
      /* A stream nobody writes to (most SSE) needs little room below the band. */
      out_h = sonde_timeline_counts_direction (&totals, SONDE_DIRECTION_OUT) > 0 ? rest * 0.3
                                                                                 : MIN (6.0, rest * 0.1);
      rate_h = rest >= 32 ? (rest - out_h) * 0.38 : 0;
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

/* Bins and rates. */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
fill_lane (SondeTimelineFrame *frame,
           Lane               *lane)
{
  const SondeTimelineOptions *o = &frame->options;
  gint64 span = MAX (1, o->to_us - o->from_us);
  gint64 *prefix_n;
  guint64 *prefix_b;
  gint64 window;
  guint half;
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
      lane->bins_from_us = floor_div (o->from_us, lane->bin_us) * lane->bin_us;
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
      gint64 t = sonde_timeline_frame_x_to_time (frame, frame->plot_x + c + 0.5);
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

/* Layers. */

static void
draw_grid (Painter                  *p,
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

static void
draw_rate (Painter *p,
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
  canvas_begin (p, &canvas, r);
  spans_init (&spans, 0);
  if (lane->max_events > 0)
    {
      for (guint c = 0; c < lane->n_columns; c++)
        {
          double top = round (r->y + r->h - lane->events[c] / lane->max_events * usable);

          spans_add (&spans, r->x + c, top, 1, round (r->y + r->h) - top);
        }
      spans_paint (p, &spans, &p->palette->events, 0.18);
      rate_line (&spans, r, lane->events, lane->n_columns, lane->max_events);
      spans_paint (p, &spans, &p->palette->events, 0.85);
    }
  if (lane->max_bytes > 0)
    {
      rate_line (&spans, r, lane->bytes, lane->n_columns, lane->max_bytes);
      spans_paint (p, &spans, &p->palette->bytes, 0.9);
    }
  spans_clear (&spans);
  canvas_end (p, &canvas);

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
  g_autofree char *events = format_count (lane->max_events);
  g_autofree char *bytes = g_format_size ((guint64)lane->max_bytes);

  /* Translators: the top of the rate graph's scale, such as “12.3 k events/s” */
  *events_label = g_strdup_printf (_("%s events/s"), events);
  /* Translators: the top of the rate graph's scale, such as “1.2 MB/s” */
  *bytes_label = g_strdup_printf (_("%s/s"), bytes);
}

static void
measure_scale (Painter *p,
               Lane    *lane)
{
  g_autofree char *events_label = NULL;
  g_autofree char *bytes_label = NULL;

  if (lane->scale.h <= 0)
    return;
  scale_labels (lane, &events_label, &bytes_label);
  lane->scale.w = text_width (p, events_label) + 10 + text_width (p, bytes_label);
}

/* After the notes, which leave its place in a shared row free. */
static void
draw_scale (Painter *p,
            Lane    *lane)
{
  g_autofree char *events_label = NULL;
  g_autofree char *bytes_label = NULL;
  double x = lane->scale.x;

  if (lane->scale.h <= 0 || lane->scale.w <= 0)
    return;
  scale_labels (lane, &events_label, &bytes_label);
  x += text_draw (p, events_label, x, lane->scale.y + 1.5, &p->palette->events, FALSE) + 10;
  text_draw (p, bytes_label, x, lane->scale.y + 1.5, &p->palette->bytes, FALSE);
}

/* The head of an entry's mark: its category in shape as well as colour. */
static void
mark_head (cairo_t            *cr,
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

static void
draw_marks_sparse (Painter *p,
                   Lane    *lane)
{
  cairo_t *cr = p->cr;
  static const double reach[SONDE_TIMELINE_N_CATEGORIES] = { 0.7, 0.45, 0.9, 0.9 };
  double head = CLAMP (p->line_h * 0.45, 4, 7);

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
            mark_head (cr, mark->category, x, y, head);
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
            mark_head (cr, mark->category, x, top, head);
            cairo_fill (cr);
          }
        else
          {
            double bottom = lane->out.y + MAX (lane->out.h * reach[mark->category], head);

            cairo_move_to (cr, x, lane->out.y);
            cairo_line_to (cr, x, bottom);
            cairo_stroke (cr);
            mark_head (cr, mark->category, x, bottom, head);
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
    mark_head (cr, SONDE_ENTRY_CATEGORY_LIFECYCLE, x, y, size);
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

  stamp = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * STAMP_REACH + 1,
                                      2 * STAMP_REACH + 1);
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

static void
draw_marks_binned (Painter *p,
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
  canvas_begin (p, &canvas, &reach);

  /* One path per colour (or all in one canvas): a few paints, however many columns. Bars
   * grow from the band, by the logarithm of the count, so that one entry
   * still shows beside a thousand; each bar is split by category. */
  spans_init (&spans, 0);
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
      spans_paint (p, &spans, &p->palette->category[category], 0.9);
    }
  spans_clear (&spans);

  /* Problems, always: whatever else shares their column. Neighbouring
   * columns share one sign. In a canvas, each sign is a copy of one small
   * picture; on paper (SVG), a path. */
  stamped = canvas.surface != NULL && sign + 1.8 <= STAMP_REACH - 1;
  if (!stamped)
    canvas_end (p, &canvas);
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
              canvas_stamp (&canvas, stamps[d], (int)floor (x) - STAMP_REACH,
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
  canvas_end (p, &canvas);
}

/**
 * sonde_connection_state_get_label:
 *
 * Returns: @state in one translated word ("Open", "Waiting"), as the
 *   timeline's band and the tabs' accessible names say it
 */
const char *
sonde_connection_state_get_label (SondeConnectionState state)
{
  switch (state)
    {
    case SONDE_CONNECTION_CONNECTING: return C_("connection state", "Connecting");
    case SONDE_CONNECTION_OPEN: return C_("connection state", "Open");
    case SONDE_CONNECTION_WAITING: return C_("connection state", "Waiting");
    case SONDE_CONNECTION_CLOSED: return C_("connection state", "Closed");
    case SONDE_CONNECTION_FAILED: return C_("connection state", "Failed");
    case SONDE_CONNECTION_IDLE:
    default:
      return C_("connection state", "Idle");
    }
}

/* Each state its colour and its pattern, so that the band reads without colour too:
 * open solid, connecting striped, waiting dotted, closed a thin bar, failed
 * cross-hatched. */
static void
paint_state (Painter              *p,
             SondeConnectionState  state,
             const Rect           *r)
{
  cairo_t *cr = p->cr;
  const Colour *fill = &p->palette->band[state];
  const Colour *ink = &p->palette->band_ink[state];

  cairo_save (cr);
  if (state == SONDE_CONNECTION_CLOSED)
    {
      Rect thin = { r->x, r->y + r->h * 0.35, r->w, r->h * 0.3 };

      rect_path (cr, &thin);
      set_colour (cr, fill, 1.0);
      cairo_fill (cr);
      cairo_restore (cr);
      return;
    }

  rect_path (cr, r);
  set_colour (cr, fill, 1.0);
  /* A sliver shows its colour; a pattern would not show on it anyway. */
  if (r->w < 4)
    {
      cairo_fill (cr);
      cairo_restore (cr);
      return;
    }
  cairo_fill_preserve (cr);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);
  set_colour (cr, ink, 0.45);

  switch (state)
    {
    case SONDE_CONNECTION_CONNECTING:
      for (double x = floor (r->x / 6) * 6 - r->h; x < r->x + r->w; x += 6)
        {
          cairo_move_to (cr, x, r->y + r->h);
          cairo_line_to (cr, x + r->h, r->y);
        }
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
      break;

    case SONDE_CONNECTION_WAITING:
      for (double x = floor (r->x / 5) * 5 + 2.5; x < r->x + r->w; x += 5)
        for (double y = r->y + 2.5; y < r->y + r->h; y += 5)
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, x, y, 0.9, 0, 2 * G_PI);
          }
      cairo_fill (cr);
      break;

    case SONDE_CONNECTION_FAILED:
      for (double x = floor (r->x / 6) * 6 - r->h; x < r->x + r->w; x += 6)
        {
          cairo_move_to (cr, x, r->y + r->h);
          cairo_line_to (cr, x + r->h, r->y);
          cairo_move_to (cr, x, r->y);
          cairo_line_to (cr, x + r->h, r->y + r->h);
        }
      cairo_stroke (cr);
      break;

    case SONDE_CONNECTION_IDLE:
    case SONDE_CONNECTION_OPEN:
    case SONDE_CONNECTION_CLOSED:
    default:
      break;
    }
  cairo_restore (cr);
}

static gint64
session_end (SondeTimelineFrame   *frame,
             SondeTimelineSummary *summary)
{
  gint64 last_us = 0;

  sonde_timeline_summary_get_span (summary, NULL, &last_us);
  if (frame->options.end_us == G_MININT64)
    return last_us;
  return MAX (frame->options.end_us, last_us);
}

static void
place_segment (Painter              *p,
               Lane                 *lane,
               guint                 index,
               SondeConnectionState  state,
               gint64                start_us,
               gint64                end_us)
{
  SondeTimelineFrame *frame = p->frame;
  Placed placed;
  double x0, x1;

  if (end_us <= frame->options.from_us || start_us >= frame->options.to_us || end_us <= start_us)
    return;
  x0 = MAX (lane->band.x, time_x (frame, start_us));
  x1 = MIN (lane->band.x + lane->band.w, time_x (frame, end_us));
  /* However short, a state shows: a failure of a microsecond is still a failure. */
  if (x1 - x0 < 1.5)
    x1 = x0 + 1.5;

  placed.rect = (Rect) { x0, lane->band.y, x1 - x0, lane->band.h };
  placed.index = index;
  placed.state = state;
  placed.start_us = start_us;
  placed.end_us = end_us;
  g_array_append_val (lane->segments_placed, placed);
}

static void
draw_band (Painter *p,
           Lane    *lane)
{
  const SondeTimelineSegment *segments;
  gint64 end = session_end (p->frame, lane->summary);
  guint n;
  Spans slivers[SONDE_CONNECTION_FAILED + 1];

  segments = sonde_timeline_summary_get_segments (lane->summary, &n);
  lane->segments_placed = g_array_new (FALSE, FALSE, sizeof (Placed));

  for (guint i = 0; i < n; i++)
    {
      const SondeTimelineSegment *s = &segments[i];
      gint64 stop = i + 1 < n ? segments[i + 1].start_us : end;

      /* A session that ended stays ended: to the edge of the picture. */
      if (i + 1 == n && (s->state == SONDE_CONNECTION_CLOSED || s->state == SONDE_CONNECTION_FAILED))
        stop = MAX (stop, p->frame->options.to_us);

      if (s->state == SONDE_CONNECTION_WAITING && i + 1 == n &&
          stop > s->start_us + (gint64)s->delay_ms * 1000)
        {
          /* The wait is over and nothing says so yet: it is connecting. */
          gint64 done = s->start_us + (gint64)s->delay_ms * 1000;

          place_segment (p, lane, i, SONDE_CONNECTION_WAITING, s->start_us, done);
          place_segment (p, lane, i, SONDE_CONNECTION_CONNECTING, done, stop);
        }
      else
        place_segment (p, lane, i, s->state, s->start_us, stop);
    }

  /* Behind the band, a line for where the session was not (yet). */
  set_colour (p->cr, &p->palette->grid, 2.0);
  cairo_rectangle (p->cr, lane->band.x, lane->band.y + lane->band.h / 2 - 0.5, lane->band.w, 1);
  cairo_fill (p->cr);

  /* Slivers (a wait of a second in an hour) show their colour only, and
   * are many: each state's in one paint. */
  for (guint state = 0; state < G_N_ELEMENTS (slivers); state++)
    spans_init (&slivers[state], 0);
  for (guint i = 0; i < lane->segments_placed->len; i++)
    {
      const Placed *placed = &g_array_index (lane->segments_placed, Placed, i);

      if (placed->rect.w < 4 && placed->state != SONDE_CONNECTION_CLOSED)
        spans_add (&slivers[placed->state], placed->rect.x, placed->rect.y, placed->rect.w,
                   placed->rect.h);
    }
  for (guint state = 0; state < G_N_ELEMENTS (slivers); state++)
    {
      spans_paint (p, &slivers[state], &p->palette->band[state], 1.0);
      spans_clear (&slivers[state]);
    }

  for (guint i = 0; i < lane->segments_placed->len; i++)
    {
      const Placed *placed = &g_array_index (lane->segments_placed, Placed, i);
      g_autofree char *label = NULL;
      double w;

      if (placed->rect.w >= 4 || placed->state == SONDE_CONNECTION_CLOSED)
        paint_state (p, placed->state, &placed->rect);
      if (placed->rect.w < 30)
        continue;

      if (placed->state == SONDE_CONNECTION_WAITING && segments[placed->index].delay_ms > 0)
        {
          char delay[32];

          sonde_timeline_format_duration ((gint64)segments[placed->index].delay_ms * 1000, delay,
                                          sizeof delay);
          /* Translators: in the connection band: a reconnect wait and its delay, such as “Waiting 1.5 s” */
          label = g_strdup_printf (C_("connection band", "Waiting %s"), delay);
        }
      else
        label = g_strdup (sonde_connection_state_get_label (placed->state));

      w = text_width (p, label);
      if (w + 8 <= placed->rect.w && p->line_h <= placed->rect.h + 2)
        {
          Painter *q = p;
          const Colour *ink = placed->state == SONDE_CONNECTION_CLOSED ? &q->palette->dim
                                                                       : &q->palette->band_ink[placed->state];

          text_draw (q, label, placed->rect.x + 4,
                     placed->rect.y + (placed->rect.h - q->line_h) / 2, ink,
                     placed->state != SONDE_CONNECTION_CLOSED);
        }
    }
}

static char *
note_label (const SondeTimelineNote *note)
{
  g_autofree char *value = NULL;

  switch (note->kind)
    {
    case SONDE_TIMELINE_NOTE_RETRY:
      {
        char delay[32];

        sonde_timeline_format_duration (g_ascii_strtoll (note->value, NULL, 10) * 1000, delay,
                                        sizeof delay);
        /* Translators: an SSE retry: field that set the reconnect delay */
        return g_strdup_printf (_("retry: %s"), delay);
      }

    case SONDE_TIMELINE_NOTE_LAST_EVENT_ID:
      value = ellipsize (note->value, NOTE_LABEL_CHARS - 15);
      return g_strdup_printf ("Last-Event-ID: %s", value);

    case SONDE_TIMELINE_NOTE_RESUME_MESSAGE:
      value = ellipsize (note->value, NOTE_LABEL_CHARS - 8);
      /* Translators: a WebSocket message sent to resume a stream after a reconnect */
      return g_strdup_printf (_("resume: %s"), value);

    case SONDE_TIMELINE_NOTE_RESUME_QUERY:
      value = ellipsize (note->value, NOTE_LABEL_CHARS - 9);
      /* Translators: query parameters added to resume a stream after a reconnect */
      return g_strdup_printf (_("resume: ?%s"), value);

    case SONDE_TIMELINE_NOTE_CLOSE_CODE:
    default:
      {
        guint64 code = g_ascii_strtoull (note->value, NULL, 10);

        /* Translators: a WebSocket close code and its name, such as “close 1001 Going Away” */
        return g_strdup_printf (_("close %u %s"), (guint)MIN (code, G_MAXUINT),
                                sonde_ws_close_code_describe ((guint)MIN (code, G_MAXUINT)));
      }
    }
}

static void
draw_notes (Painter *p,
            Lane    *lane)
{
  cairo_t *cr = p->cr;
  SondeTimelineFrame *frame = p->frame;
  const SondeTimelineNote *notes;
  guint n;
  guint rows = MIN (2, (guint)(lane->notes.h / (p->line_h + 5)));
  double row_end[2] = { -G_MAXDOUBLE, -G_MAXDOUBLE };
  double pin_top = rows > 0 ? lane->notes.y + p->line_h + 2 : lane->in.y;
  double last_diamond = -G_MAXDOUBLE;
  guint first = 0;
  guint end;
  Spans pins;
  g_autoptr(GArray) diamonds = g_array_new (FALSE, FALSE, sizeof (double));
  guint scale_row = G_MAXUINT;
  double scale_end = -G_MAXDOUBLE;

  lane->notes_placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  notes = sonde_timeline_summary_get_notes (lane->summary, &n);
  /* Notes are in time order: only those in view. */
  while (first < n && notes[first].time_us < frame->options.from_us)
    first++;
  for (end = first; end < n && notes[end].time_us <= frame->options.to_us; end++)
    ;
  if (first == end)
    return;

  /* Pins from the notes down to the band, dashed, all painted at once (a
   * dashed stroke of a few hundred pins costs cairo a millisecond). */
  spans_init (&pins, 2);
  for (guint i = first; i < end; i++)
    spans_add (&pins, floor (time_x (frame, notes[i].time_us)), round (pin_top), 1,
               round (lane->band.y) - round (pin_top));
  spans_paint (p, &pins, &p->palette->note, 0.55);
  spans_clear (&pins);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);

  /* The rate graph's scale, where it shares the notes' row, is never
   * covered: the row starts after it. A note whose pin is under it hangs its
   * label just past it, tied to its pin by a short line. */
  if (lane->scale_shared && lane->scale.h > 0 && lane->scale.w > 0 && rows > 0)
    {
      scale_row = MIN (rows - 1, (guint)((lane->scale.y - lane->notes.y) / (p->line_h + 5) + 0.5));
      scale_end = lane->scale.x + lane->scale.w + 6;
      row_end[scale_row] = scale_end - 4;
    }

  for (guint i = first; i < end; i++)
    {
      const SondeTimelineNote *note = &notes[i];
      double x = floor (time_x (frame, note->time_us)) + 0.5;
      gboolean placed = FALSE;
      gboolean room = FALSE;

      /* Words only where a row has room for them: no label is even
       * measured where notes crowd. */
      for (guint row = 0; row < rows; row++)
        room = room || x >= row_end[row] + 4 || x >= lane->notes.x + lane->notes.w - 60 ||
               (row == scale_row && row_end[row] == scale_end - 4 && x < scale_end);
      if (room)
        {
          g_autofree char *label = note_label (note);
          double w = text_width (p, label) + 8;

          for (guint row = 0; row < rows && !placed; row++)
            {
              /* Labels hang right of their pin, or left of it at the right edge. */
              double left = x + w <= lane->notes.x + lane->notes.w ? x : x - w;
              gboolean tied = FALSE;
              Placed box;

              if (row == scale_row && row_end[row] == scale_end - 4 && x < scale_end &&
                  scale_end + w <= lane->notes.x + lane->notes.w)
                {
                  left = scale_end;
                  tied = TRUE;
                }
              if (left < row_end[row] + 4 || left < lane->notes.x)
                continue;
              box = (Placed) { { left, lane->notes.y + row * (p->line_h + 5), w, p->line_h + 3 }, i,
                               note->time_us, note->time_us, 0 };
              if (tied)
                {
                  /* From the pin's top along under the scale to the label. */
                  set_colour (cr, &p->palette->note, 0.55);
                  cairo_rectangle (cr, floor (x), round (pin_top) - 1, left - floor (x), 1);
                  cairo_rectangle (cr, left, round (box.rect.y + box.rect.h), 1,
                                   round (pin_top) - round (box.rect.y + box.rect.h));
                  cairo_fill (cr);
                }
              rect_path (cr, &box.rect);
              set_colour (cr, &p->palette->note_fill, 1.0);
              cairo_fill_preserve (cr);
              set_colour (cr, &p->palette->note, 0.7);
              cairo_stroke (cr);
              text_draw (p, label, left + 4, box.rect.y + 1.5, &p->palette->text, FALSE);
              g_array_append_val (lane->notes_placed, box);
              row_end[row] = left + w;
              placed = TRUE;
            }
        }

      if (!placed)
        {
          /* No room for words: a small diamond says there is a note here,
           * in the notes' row, or at the top of its pin where a label or
           * the scale holds the row. */
          double y = rows > 0 ? lane->notes.y + p->line_h / 2 : lane->in.y + 4;
          Placed box;

          if (rows > 0 && x <= row_end[0] + 4)
            y = pin_top + 3;
          box = (Placed) { { x - 4, y - p->line_h / 2, 8, p->line_h }, i, note->time_us,
                           note->time_us, 0 };
          if (x - last_diamond >= 3)
            {
              double at[2] = { x, y };

              g_array_append_vals (diamonds, at, 2);
              last_diamond = x;
            }
          g_array_append_val (lane->notes_placed, box);
        }
    }
  /* The diamonds in one fill, after the labels: one path, however many. */
  for (guint i = 0; i + 1 < diamonds->len; i += 2)
    mark_head (cr, SONDE_ENTRY_CATEGORY_LIFECYCLE, g_array_index (diamonds, double, i),
               g_array_index (diamonds, double, i + 1), 3.5);
  set_colour (cr, &p->palette->note, 0.9);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_cursor (Painter *p)
{
  SondeTimelineFrame *frame = p->frame;
  Lane *lane = &frame->lanes[0];
  SondeEntryView view;
  double x;

  if (frame->n_lanes == 0 || frame->options.cursor_seq == SONDE_TIMELINE_NO_SEQ)
    return;
  if (!sonde_event_log_get_view (sonde_timeline_summary_get_log (lane->summary),
                                 frame->options.cursor_seq, &view))
    return;
  if (view.time_us < frame->options.from_us || view.time_us > frame->options.to_us)
    return;

  x = floor (time_x (frame, view.time_us)) + 0.5;
  cairo_save (p->cr);
  set_colour (p->cr, &p->palette->cursor, 1.0);
  cairo_set_line_width (p->cr, 1.5);
  cairo_move_to (p->cr, x, lane->rate.y);
  cairo_line_to (p->cr, x, lane->out.y + lane->out.h);
  cairo_stroke (p->cr);
  cairo_move_to (p->cr, x - 5, lane->rate.y);
  cairo_line_to (p->cr, x + 5, lane->rate.y);
  cairo_line_to (p->cr, x, lane->rate.y + 6);
  cairo_close_path (p->cr);
  cairo_fill (p->cr);
  cairo_restore (p->cr);
}

static void
choose_ticks (Painter            *p,
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
      widest = text_width (p, buf);
      sonde_timeline_ticks_format (ticks, o->from_us + ticks->minor_us, buf, sizeof buf);
      widest = MAX (widest, text_width (p, buf));
      if (ticks->step_us / px_us >= widest + 18 || i + 1 == n)
        return;
    }
}

static void
draw_axis (Painter                  *p,
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
      double x = time_x (frame, t);
      double w;

      sonde_timeline_ticks_format (ticks, t, buf, sizeof buf);
      w = text_width (p, buf);
      x = CLAMP (x - w / 2, a->x, a->x + a->w - w);
      if (x < last_end + 6)
        continue;
      text_draw (p, buf, x, a->y + 6, &p->palette->dim, FALSE);
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
static guint
legend (Painter  *p,
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

  for (guint item = 0; item < 1 + SONDE_TIMELINE_N_CATEGORIES + G_N_ELEMENTS (legend_states); item++)
    {
      const char *label;
      double swatch = 0;
      double w;

      if (item == 0)
        label = directions;
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

      w = swatch + text_width (p, label);
      if (x + w > frame->plot_x + frame->plot_w && x > frame->plot_x)
        {
          x = frame->plot_x;
          y += p->line_h + 4;
          rows++;
        }
      if (draw)
        {
          if (item == 0)
            text_draw (p, label, x, y, &p->palette->dim, FALSE);
          else if (item <= SONDE_TIMELINE_N_CATEGORIES)
            {
              /* Marks: shape and colour by category. */
              set_colour (cr, &p->palette->category[item - 1], 1.0);
              mark_head (cr, item - 1, x + size / 2, y + p->line_h / 2, size);
              cairo_fill (cr);
              text_draw (p, label, x + swatch, y, &p->palette->text, FALSE);
            }
          else
            {
              /* The band's states, each with its pattern. */
              Rect r = { x, y + 1, size * 2, p->line_h - 2 };

              paint_state (p, legend_states[item - 1 - SONDE_TIMELINE_N_CATEGORIES], &r);
              text_draw (p, label, x + swatch, y, &p->palette->text, FALSE);
            }
        }
      x += w + 14;
    }

  return rows;
}

static void
draw_heading (Painter                    *p,
              const SondeTimelineOptions *options)
{
  double y = options->margin;

  if (options->title != NULL)
    {
      PangoFontDescription *normal = pango_font_description_copy (pango_layout_get_font_description (p->layout));
      PangoFontDescription *bigger = pango_font_description_copy (normal);

      pango_font_description_set_size (bigger, pango_font_description_get_size (normal) * 13 / 10);
      pango_layout_set_font_description (p->layout, bigger);
      g_clear_pointer (&p->laid_out, g_free);
      text_draw (p, options->title, p->frame->plot_x, y, &p->palette->text, TRUE);
      pango_layout_set_font_description (p->layout, normal);
      g_clear_pointer (&p->laid_out, g_free);
      pango_font_description_free (bigger);
      pango_font_description_free (normal);
      y += p->line_h * 1.3 + 4;
    }
  if (options->subtitle != NULL)
    text_draw (p, options->subtitle, p->frame->plot_x, y, &p->palette->dim, FALSE);
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

    cairo_surface_get_device_scale (cairo_get_target (cr), &scale_x, &scale_y);
    key = g_strdup_printf ("%s@%g", font, scale_x);
    if (frame->widths == NULL || g_strcmp0 (key, frame->widths_font) != 0)
      {
        g_clear_pointer (&frame->widths, g_hash_table_unref);
        frame->widths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
  choose_ticks (&p, &ticks);
  draw_grid (&p, &ticks);

  for (guint i = 0; i < n_lanes; i++)
    {
      Lane *lane = &frame->lanes[i];

      fill_lane (frame, lane);
      if (lane->title != NULL)
        text_draw (&p, lane->title, lane->heading.x, lane->heading.y + 2, &p.palette->text, TRUE);
      draw_rate (&p, lane);
      measure_scale (&p, lane);
      draw_band (&p, lane);
      draw_notes (&p, lane);
      draw_scale (&p, lane);
      if (lane->sparse)
        draw_marks_sparse (&p, lane);
      else
        draw_marks_binned (&p, lane);
    }

  draw_cursor (&p);
  draw_axis (&p, &ticks);
  if (options->legend)
    legend (&p, frame->axis.y + frame->axis.h + 8, TRUE);
  draw_heading (&p, options);
  cairo_restore (cr);

  g_object_unref (p.layout);
  g_free (p.laid_out);
}

/* Hit tests. */

/**
 * sonde_timeline_frame_hit:
 * @hit: (out caller-allocates): what lies at (@x, @y)
 *
 * Returns: %TRUE when something is there: a note's label, a stretch of the
 *   band, an entry's mark (when entries are drawn one by one) or a column
 *   of entries, or the rate graph
 */
gboolean
sonde_timeline_frame_hit (SondeTimelineFrame *frame,
                          double              x,
                          double              y,
                          SondeTimelineHit   *hit)
{
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (hit != NULL, FALSE);

  memset (hit, 0, sizeof *hit);
  hit->kind = SONDE_TIMELINE_HIT_NONE;
  hit->time_us = sonde_timeline_frame_x_to_time (frame, x);

  for (guint l = 0; l < frame->n_lanes; l++)
    {
      Lane *lane = &frame->lanes[l];
      Rect marks = { lane->in.x, lane->in.y, lane->in.w, lane->out.y + lane->out.h - lane->in.y };

      if (!rect_contains (&lane->whole, x, y))
        continue;
      hit->lane = l;

      for (guint i = 0; lane->notes_placed != NULL && i < lane->notes_placed->len; i++)
        {
          const Placed *placed = &g_array_index (lane->notes_placed, Placed, i);

          if (rect_contains (&placed->rect, x, y))
            {
              guint n;
              const SondeTimelineNote *notes = sonde_timeline_summary_get_notes (lane->summary, &n);

              hit->kind = SONDE_TIMELINE_HIT_NOTE;
              hit->index = placed->index;
              hit->seq = notes[placed->index].seq;
              return TRUE;
            }
        }

      if (rect_contains (&lane->band, x, y) && lane->segments_placed != NULL)
        {
          for (guint i = 0; i < lane->segments_placed->len; i++)
            {
              const Placed *placed = &g_array_index (lane->segments_placed, Placed, i);

              if (x >= placed->rect.x && x < placed->rect.x + placed->rect.w)
                {
                  hit->kind = SONDE_TIMELINE_HIT_SEGMENT;
                  hit->index = i;
                  /* A mark of Sonde's own on the band wins, when entries are drawn one by one. */
                  break;
                }
            }
        }

      if (rect_contains (&marks, x, y) && lane->sparse)
        {
          double best = MARK_HIT_PIXELS;
          gboolean in_band = rect_contains (&lane->band, x, y);

          for (guint i = 0; i < lane->marks->len; i++)
            {
              const Mark *mark = &g_array_index (lane->marks, Mark, i);
              gboolean area_matches = in_band ? mark->direction == SONDE_DIRECTION_LOCAL
                                              : (y < lane->band.y ? mark->direction == SONDE_DIRECTION_IN
                                                                  : mark->direction == SONDE_DIRECTION_OUT);

              if (area_matches && ABS (mark->x - x) <= best)
                {
                  best = ABS (mark->x - x);
                  hit->kind = SONDE_TIMELINE_HIT_ENTRY;
                  hit->seq = mark->seq;
                }
            }
          if (hit->kind != SONDE_TIMELINE_HIT_NONE)
            return TRUE;
        }
      else if (rect_contains (&marks, x, y) && !rect_contains (&lane->band, x, y) && lane->n_bins > 0)
        {
          double px_us = (double)(frame->options.to_us - frame->options.from_us) / frame->plot_w;
          gint64 reach = MAX (lane->bin_us / 2, (gint64)(px_us * 2));
          guint lo = (guint)CLAMP ((hit->time_us - reach - lane->bins_from_us) / lane->bin_us, 0,
                                   (gint64)lane->n_bins - 1);
          guint hi = (guint)CLAMP ((hit->time_us + reach - lane->bins_from_us) / lane->bin_us, 0,
                                   (gint64)lane->n_bins - 1);
          gint64 best = G_MAXINT64;

          for (guint i = lo; i <= hi; i++)
            {
              gint64 middle = lane->bins_from_us + (gint64)i * lane->bin_us + lane->bin_us / 2;

              if (lane->bins[i].first_seq != SONDE_TIMELINE_NO_SEQ && ABS (middle - hit->time_us) < best)
                {
                  best = ABS (middle - hit->time_us);
                  hit->kind = SONDE_TIMELINE_HIT_BIN;
                  hit->index = i;
                  hit->seq = lane->bins[i].first_seq;
                }
            }
          if (hit->kind != SONDE_TIMELINE_HIT_NONE)
            return TRUE;
        }

      if (hit->kind != SONDE_TIMELINE_HIT_NONE)
        return TRUE;
      if (rect_contains (&lane->rate, x, y) && lane->n_columns > 0)
        {
          hit->kind = SONDE_TIMELINE_HIT_RATE;
          hit->index = (guint)CLAMP ((gint64)(x - frame->plot_x), 0, (gint64)lane->n_columns - 1);
          return TRUE;
        }
      return FALSE;
    }

  return FALSE;
}

static void
describe_entry (GString              *text,
                SondeTimelineFrame   *frame,
                const SondeEntryView *view)
{
  char type[SONDE_ENTRY_TEXT_SHORT_SIZE];
  char id[SONDE_ENTRY_TEXT_SHORT_SIZE];
  char size[SONDE_ENTRY_TEXT_SHORT_SIZE];
  char preview[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  g_autofree char *time = format_time (frame, view->time_us);

  sonde_entry_text_format_type (view, type, sizeof type);
  sonde_entry_text_format_id (view, id, sizeof id);
  sonde_entry_text_format_size (view, size, sizeof size);
  sonde_entry_text_format_preview (view, preview, sizeof preview);

  g_string_append_printf (text, "#%" G_GUINT64_FORMAT " · %s · %s %s", view->seq, time,
                          sonde_direction_get_arrow (view->direction),
                          sonde_entry_kind_get_label (view->kind));
  if (type[0] != '\0')
    g_string_append_printf (text, " %s", type);
  if (id[0] != '\0')
    g_string_append_printf (text, " #%s", id);
  if (size[0] != '\0')
    g_string_append_printf (text, " · %s", size);
  if (preview[0] != '\0')
    g_string_append_printf (text, "\n%s", preview);
}

/* "12 entries, 1 problem" */
static void
append_entries_problems (GString *text,
                         guint64  entries,
                         guint64  problems)
{
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%llu entry", "%llu entries",
                                             (gulong)MIN (entries, G_MAXULONG)),
                          (unsigned long long)entries);
  g_string_append (text, ", ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%llu problem", "%llu problems",
                                             (gulong)MIN (problems, G_MAXULONG)),
                          (unsigned long long)problems);
}

static void
describe_counts (GString                   *text,
                 const SondeTimelineCounts *counts)
{
  guint64 total = sonde_timeline_counts_total (counts);
  g_autofree char *in = g_format_size (counts->bytes[SONDE_DIRECTION_IN]);
  g_autofree char *out = g_format_size (counts->bytes[SONDE_DIRECTION_OUT]);
  gboolean first = TRUE;

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%llu entry", "%llu entries",
                                             (gulong)MIN (total, G_MAXULONG)),
                          (unsigned long long)total);
  g_string_append (text, ": ");
  for (guint c = 0; c < SONDE_TIMELINE_N_CATEGORIES; c++)
    {
      guint64 n = sonde_timeline_counts_category (counts, c);

      if (n == 0)
        continue;
      if (!first)
        g_string_append (text, ", ");
      /* Translators: a count and a category, such as “12 Data” */
      g_string_append_printf (text, C_("count of category", "%llu %s"), (unsigned long long)n,
                              sonde_entry_category_get_label (c));
      first = FALSE;
    }
  g_string_append_c (text, '\n');
  /* Translators: bytes received and sent in a stretch of the timeline */
  g_string_append_printf (text, _("Received %s in %llu, sent %s in %llu"), in,
                          (unsigned long long)sonde_timeline_counts_direction (counts, SONDE_DIRECTION_IN),
                          out,
                          (unsigned long long)sonde_timeline_counts_direction (counts, SONDE_DIRECTION_OUT));
}

/**
 * sonde_timeline_frame_describe_hit:
 *
 * Returns: (transfer full) (nullable): a tooltip for what @hit found, in words
 */
char *
sonde_timeline_frame_describe_hit (SondeTimelineFrame     *frame,
                                   const SondeTimelineHit *hit)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Lane *lane;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (hit != NULL, NULL);

  if (hit->kind == SONDE_TIMELINE_HIT_NONE || hit->lane >= frame->n_lanes)
    return NULL;
  lane = &frame->lanes[hit->lane];

  switch (hit->kind)
    {
    case SONDE_TIMELINE_HIT_ENTRY:
      {
        SondeEntryView view;

        if (!sonde_event_log_get_view (sonde_timeline_summary_get_log (lane->summary), hit->seq, &view))
          return NULL;
        describe_entry (text, frame, &view);
      }
      break;

    case SONDE_TIMELINE_HIT_BIN:
      {
        const SondeTimelineCounts *bin = &lane->bins[hit->index];
        gint64 width = lane->bin_us;
        gint64 start = lane->bins_from_us + (gint64)hit->index * lane->bin_us;
        g_autofree char *from = NULL;
        char span[32];

        from = format_time (frame, start);
        sonde_timeline_format_duration (width, span, sizeof span);
        /* Translators: where a column of the timeline starts and how long it is */
        g_string_append_printf (text, _("From %s, for %s"), from, span);
        g_string_append_c (text, '\n');
        describe_counts (text, bin);
        if (bin->first_problem_seq != SONDE_TIMELINE_NO_SEQ)
          {
            SondeEntryView view;

            if (sonde_event_log_get_view (sonde_timeline_summary_get_log (lane->summary),
                                          bin->first_problem_seq, &view))
              {
                g_string_append (text, "\n");
                g_string_append (text, _("First problem:"));
                g_string_append_c (text, ' ');
                describe_entry (text, frame, &view);
              }
          }
      }
      break;

    case SONDE_TIMELINE_HIT_SEGMENT:
      {
        const Placed *placed = &g_array_index (lane->segments_placed, Placed, hit->index);
        const SondeTimelineSegment *segments;
        const SondeTimelineSegment *segment;
        g_autofree char *from = format_time (frame, placed->start_us);
        g_autofree char *to = format_time (frame, placed->end_us);
        char span[32];
        guint n;

        segments = sonde_timeline_summary_get_segments (lane->summary, &n);
        segment = &segments[placed->index];
        sonde_timeline_format_duration (placed->end_us - placed->start_us, span, sizeof span);
        if (placed->state == SONDE_CONNECTION_WAITING)
          {
            char delay[32];

            sonde_timeline_format_duration ((gint64)segment->delay_ms * 1000, delay, sizeof delay);
            /* Translators: a reconnect wait, such as “Waiting 1.5 s before attempt 2” */
            g_string_append_printf (text, _("Waiting %s before attempt %u"), delay, segment->attempt);
          }
        else
          g_string_append (text, sonde_connection_state_get_label (placed->state));
        if (segment->reason != NULL && placed->state != SONDE_CONNECTION_CONNECTING &&
            placed->state != SONDE_CONNECTION_OPEN)
          g_string_append_printf (text, ": %s", segment->reason);
        g_string_append_c (text, '\n');
        /* Translators: a stretch of time, such as “from 2.000000 s to 3.500000 s (1.5 s)” */
        g_string_append_printf (text, _("From %s to %s (%s)"), from, to, span);
      }
      break;

    case SONDE_TIMELINE_HIT_NOTE:
      {
        guint n;
        const SondeTimelineNote *note = &sonde_timeline_summary_get_notes (lane->summary, &n)[hit->index];
        g_autofree char *time = format_time (frame, note->time_us);
        g_autofree char *value = ellipsize (note->value, 400);

        switch (note->kind)
          {
          case SONDE_TIMELINE_NOTE_RETRY:
            g_string_append_printf (text, _("The server set the reconnect delay to %s ms"), value);
            break;
          case SONDE_TIMELINE_NOTE_LAST_EVENT_ID:
            g_string_append_printf (text, _("Reconnected with Last-Event-ID: %s"), value);
            break;
          case SONDE_TIMELINE_NOTE_RESUME_MESSAGE:
            g_string_append_printf (text, _("Sent to resume: %s"), value);
            break;
          case SONDE_TIMELINE_NOTE_RESUME_QUERY:
            g_string_append_printf (text, _("Reconnected with the resume query ?%s"), value);
            break;
          case SONDE_TIMELINE_NOTE_CLOSE_CODE:
          default:
            {
              g_autofree char *label = note_label (note);

              /* Translators: a close code and its reason as the peer wrote it */
              g_string_append_printf (text, _("Closed with code %s"), value);
              g_string_append_printf (text, " (%s)", label);
            }
            break;
          }
        g_string_append_printf (text, "\n#%" G_GUINT64_FORMAT " · %s", note->seq, time);
      }
      break;

    case SONDE_TIMELINE_HIT_RATE:
      {
        g_autofree char *events = format_count (lane->events[hit->index]);
        g_autofree char *bytes = g_format_size ((guint64)lane->bytes[hit->index]);
        g_autofree char *at = format_time (frame, hit->time_us);
        char window[32];

        sonde_timeline_format_duration (lane->rate_window_us, window, sizeof window);
        /* Translators: the rate graph at one point: events and bytes per second, the time and over how long */
        g_string_append_printf (text, _("%s events/s, %s/s around %s (over %s)"), events, bytes, at,
                                window);
      }
      break;

    case SONDE_TIMELINE_HIT_NONE:
    default:
      return NULL;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * sonde_timeline_describe:
 *
 * What a timeline shows, in a sentence or two, for people who cannot see
 * it: the range, how many entries and problems it holds, and the
 * connection's state at its end.
 *
 * Returns: (transfer full): the description
 */
char *
sonde_timeline_describe (SondeTimelineSummary       *summary,
                         const SondeTimelineOptions *options)
{
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const SondeTimelineSegment *segments;
  SondeTimelineCounts counts;
  gint64 span;
  guint64 problems;
  guint n;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (summary), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  frame->options = *options;
  from = format_time (frame, options->from_us);
  to = format_time (frame, options->to_us);
  /* Counted in fine bins, so that buckets straddling the ends of the
   * range miss or add little. */
  span = MAX (DESCRIBE_BINS, options->to_us - options->from_us);
  sonde_timeline_counts_clear (&counts);
  {
    g_autofree SondeTimelineCounts *bins = g_new (SondeTimelineCounts, DESCRIBE_BINS);

    sonde_timeline_summary_fill_bins (summary, options->from_us, span / DESCRIBE_BINS, DESCRIBE_BINS,
                                      RAW_BUDGET, bins);
    for (guint i = 0; i < DESCRIBE_BINS; i++)
      sonde_timeline_counts_add (&counts, &bins[i]);
  }
  problems = sonde_timeline_counts_category (&counts, SONDE_ENTRY_CATEGORY_PROBLEM);

  /* Translators: the start of the timeline's description for screen readers */
  g_string_append_printf (text, _("From %s to %s:"), from, to);
  g_string_append_c (text, ' ');
  append_entries_problems (text, sonde_timeline_counts_total (&counts), problems);
  g_string_append (text, ". ");

  segments = sonde_timeline_summary_get_segments (summary, &n);
  if (n > 0)
    {
      guint reconnects = 0;
      const SondeTimelineSegment *now = NULL;

      for (guint i = 0; i < n; i++)
        {
          if (segments[i].start_us <= options->to_us)
            now = &segments[i];
          if (segments[i].state == SONDE_CONNECTION_WAITING &&
              segments[i].start_us >= options->from_us && segments[i].start_us < options->to_us)
            reconnects++;
        }
      if (reconnects > 0)
        {
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u reconnect wait",
                                                     "%u reconnect waits", reconnects), reconnects);
          g_string_append (text, ". ");
        }
      if (now != NULL)
        {
          /* Translators: the connection's state at the end of the visible range, such as “Connection: Open” */
          g_string_append_printf (text, _("Connection: %s"),
                                  sonde_connection_state_get_label (now->state));
          g_string_append_c (text, '.');
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * sonde_timeline_describe_totals:
 *
 * Returns: (transfer full): what the whole session holds, in a few words:
 *   "759 entries, 2 problems, 3 reconnects"
 */
char *
sonde_timeline_describe_totals (SondeTimelineSummary *summary)
{
  GString *text = g_string_new (NULL);
  const SondeTimelineSegment *segments;
  SondeTimelineCounts totals;
  guint n_segments;
  guint n_waits = 0;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (summary), NULL);

  sonde_timeline_summary_get_totals (summary, &totals);
  segments = sonde_timeline_summary_get_segments (summary, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    n_waits += segments[i].state == SONDE_CONNECTION_WAITING;

  append_entries_problems (text, sonde_timeline_counts_total (&totals),
                           sonde_timeline_counts_category (&totals, SONDE_ENTRY_CATEGORY_PROBLEM));
  g_string_append (text, ", ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u reconnect", "%u reconnects", n_waits),
                          n_waits);
  return g_string_free (text, FALSE);
}

/**
 * sonde_timeline_file_format_from_name:
 * @format: (out) (optional): the format a file name asks for
 *
 * Returns: whether @name ends in .png or .svg (in any case)
 */
gboolean
sonde_timeline_file_format_from_name (const char              *name,
                                      SondeTimelineFileFormat *format)
{
  gsize len;

  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  if (len < 4)
    return FALSE;
  if (g_ascii_strcasecmp (name + len - 4, ".png") == 0)
    {
      if (format != NULL)
        *format = SONDE_TIMELINE_FILE_PNG;
      return TRUE;
    }
  if (g_ascii_strcasecmp (name + len - 4, ".svg") == 0)
    {
      if (format != NULL)
        *format = SONDE_TIMELINE_FILE_SVG;
      return TRUE;
    }
  return FALSE;
}

typedef struct
{
  GOutputStream *out;
  GError        *error;
} Writer;

/* Cairo writes through this, so that a full disk or a missing folder comes
 * back in GIO's own words rather than cairo's "error while writing". */
static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Writer *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (writer->out, data, length, NULL, NULL, &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * sonde_timeline_render_to_file:
 * @file: where the picture goes; its name's ending (.png or .svg) says how
 *
 * Renders as sonde_timeline_render() does into a PNG or an SVG of @width ×
 * @height pixels. The file is replaced only when the whole picture was
 * written; on an error, what was there before stays.
 *
 * Returns: whether the picture was written
 */
gboolean
sonde_timeline_render_to_file (GFile                        *file,
                               int                           width,
                               int                           height,
                               SondeTimelineSummary * const *summaries,
                               const char * const           *lane_titles,
                               guint                         n_lanes,
                               const SondeTimelineOptions   *options,
                               GError                      **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *display = NULL;
  SondeTimelineFileFormat format;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Writer writer = { 0 };

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  basename = g_file_get_basename (file);
  display = g_file_get_parse_name (file);
  if (basename == NULL || !sonde_timeline_file_format_from_name (basename, &format))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("“%s” ends neither in .png nor in .svg"), display);
      return FALSE;
    }

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return FALSE;
  writer.out = G_OUTPUT_STREAM (stream);

  if (format == SONDE_TIMELINE_FILE_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (write_cb, &writer, width, height);
      /* Pixels, as asked, rather than cairo's default points. */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
    }
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  sonde_timeline_render (cr, width, height, summaries, lane_titles, n_lanes, options, NULL);
  cairo_destroy (cr);
  if (format == SONDE_TIMELINE_FILE_SVG)
    cairo_surface_finish (surface);
  else
    cairo_surface_write_to_png_stream (surface, write_cb, &writer);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer.error == NULL && status != CAIRO_STATUS_SUCCESS)
    writer.error = g_error_new (SONDE_ERROR, SONDE_ERROR_FAILED, _("Could not draw the picture: %s"),
                                cairo_status_to_string (status));
  if (writer.error == NULL && g_output_stream_close (writer.out, NULL, &writer.error))
    return TRUE;

  /* A half-written picture is no picture: closing a replacement with a
   * cancelled cancellable drops it and keeps what was there before. */
  {
    g_autoptr(GCancellable) cancel = g_cancellable_new ();

    g_cancellable_cancel (cancel);
    g_output_stream_close (writer.out, cancel, NULL);
  }
  g_propagate_prefixed_error (error, writer.error, "%s: ", display);
  return FALSE;
}

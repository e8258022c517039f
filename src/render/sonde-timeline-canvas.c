/* sonde-timeline-canvas.c: pixel canvases and masks, for what the timeline draws in whole pixels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-timeline-render-private.h"

/* Spans. A thousand rectangles cost cairo about a thousand instructions
 * each to path and as many to fill, more than everything else a frame
 * draws; written as bytes into an 8-bit mask, they cost a few each, and one
 * mask paints them all. Raster targets (an image, or the recording GTK
 * replays into one) take the mask; vector ones (SVG) keep the rectangles.
 *
 * Where several colours overlap in one area (the rate graph, the marks), a
 * canvas takes them all: an image the size of the area, blended into in C,
 * and painted once, instead of one mask per colour. */

/* A picture at least @w × @h device pixels, its top left @w × @h cleared,
 * owned by the frame. */
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

/* Paints @surface's top left, @w × @h pixels (times the painter's scale
 * in device pixels), with its corner at (@x, @y). */
static void
paint_scratch (Painter         *p,
               cairo_surface_t *surface,
               int              x,
               int              y,
               int              w,
               int              h,
               gboolean         as_mask)
{
  cairo_t *cr = p->cr;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  cairo_surface_mark_dirty (surface);
  cairo_surface_set_device_scale (surface, p->scale, p->scale);
  pattern = cairo_pattern_create_for_surface (surface);
  /* One pixel of the picture per device pixel: sharp at any scale, as
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
void
sonde_timeline_canvas_begin (Painter    *p,
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
  /* At the device's scale, so that what is not whole pixels (the problem
   * signs) is as smooth on a HiDPI screen as the paths around it. */
  canvas->scale = p->scale;
  canvas->surface = scratch_surface (p->frame, CAIRO_FORMAT_ARGB32, canvas->w * canvas->scale,
                                     canvas->h * canvas->scale);
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
  int s = canvas->scale;
  guint32 *row;

  if (x0 >= x1 || y0 >= y1)
    return;
  row = canvas->data + (gsize)y0 * s * stride + x0 * s;
  /* Mostly columns a pixel wide, on empty pixels: a store each. */
  if (dash == 0 && x1 - x0 == 1 && s == 1)
    {
      if (opaque)
        for (int y = y0; y < y1; y++, row += stride)
          *row = pixel;
      else
        for (int y = y0; y < y1; y++, row += stride)
          *row = *row == 0 ? pixel : over (pixel, *row);
      return;
    }
  if (s == 1)
    {
      for (int y = y0; y < y1; y++, row += stride)
        {
          if (dash > 0 && ((y - ((int)r->y - canvas->y0)) / dash) % 2 != 0)
            continue;
          for (int x = 0; x < x1 - x0; x++)
            row[x] = opaque || row[x] == 0 ? pixel : over (pixel, row[x]);
        }
      return;
    }
  /* Each pixel is s × s device pixels. */
  for (int y = y0; y < y1; y++, row += s * stride)
    {
      if (dash > 0 && ((y - ((int)r->y - canvas->y0)) / dash) % 2 != 0)
        continue;
      for (int j = 0; j < s; j++)
        {
          guint32 *device = row + j * stride;

          for (int x = 0; x < (x1 - x0) * s; x++)
            device[x] = opaque || device[x] == 0 ? pixel : over (pixel, device[x]);
        }
    }
}

/* Draws a small picture (premultiplied, as cairo keeps them, drawn at the
 * canvas's scale) with its top left at (@x, @y). */
void
sonde_timeline_canvas_stamp (Canvas          *canvas,
                             cairo_surface_t *stamp,
                             int              x,
                             int              y)
{
  const guint32 *data = (const guint32 *)(const void *)cairo_image_surface_get_data (stamp);
  int stride = cairo_image_surface_get_stride (stamp) / 4;
  int w = cairo_image_surface_get_width (stamp);
  int h = cairo_image_surface_get_height (stamp);
  int canvas_w = canvas->w * canvas->scale;
  int canvas_h = canvas->h * canvas->scale;

  x = (x - canvas->x0) * canvas->scale;
  y = (y - canvas->y0) * canvas->scale;
  for (int j = MAX (0, -y); j < h && y + j < canvas_h; j++)
    for (int i = MAX (0, -x); i < w && x + i < canvas_w; i++)
      {
        guint32 src = data[(gsize)j * stride + i];

        if (src != 0)
          canvas->data[(gsize)(y + j) * canvas->stride + x + i] =
            over (src, canvas->data[(gsize)(y + j) * canvas->stride + x + i]);
      }
}

void
sonde_timeline_canvas_end (Painter *p,
                           Canvas  *canvas)
{
  p->canvas = NULL;
  if (canvas->surface == NULL)
    return;
  paint_scratch (p, canvas->surface, canvas->x0, canvas->y0, canvas->w, canvas->h, FALSE);
  canvas->surface = NULL;
}
void
sonde_timeline_spans_init (Spans  *spans,
                           double  dash)
{
  spans->rects = g_array_sized_new (FALSE, FALSE, sizeof (Rect), 1024);
  spans->dash = dash;
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
  int s = p->scale;

  for (guint i = 0; i < spans->rects->len; i++)
    {
      const Rect *r = &g_array_index (spans->rects, Rect, i);

      x0 = MIN (x0, r->x);
      y0 = MIN (y0, r->y);
      x1 = MAX (x1, r->x + r->w);
      y1 = MAX (y1, r->y + r->h);
    }
  mask = scratch_surface (p->frame, CAIRO_FORMAT_A8, (int)(x1 - x0) * s, (int)(y1 - y0) * s);
  if (mask == NULL)
    return;
  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  for (guint i = 0; i < spans->rects->len; i++)
    {
      const Rect *r = &g_array_index (spans->rects, Rect, i);
      int x = (int)(r->x - x0) * s;
      int w = (int)r->w * s;
      int top = (int)(r->y - y0) * s;

      guint8 *row = data + (gsize)top * stride + x;

      /* Mostly columns one pixel wide: a store per row, no call. */
      for (int y = 0; y < (int)r->h * s; y++, row += stride)
        if (dash == 0 || (y / (s * dash)) % 2 == 0)
          {
            if (w == 1)
              *row = 0xff;
            else
              memset (row, 0xff, w);
          }
    }
  paint_scratch (p, mask, (int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0), TRUE);
}

/* Paints @spans in @colour and empties them. */
void
sonde_timeline_spans_paint (Painter      *p,
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

void
sonde_timeline_spans_clear (Spans *spans)
{
  g_clear_pointer (&spans->rects, g_array_unref);
}

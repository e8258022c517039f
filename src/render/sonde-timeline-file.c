/* sonde-timeline-file.c: the timeline as a PNG or SVG file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <cairo-svg.h>

#include "sonde-error.h"
#include "sonde-timeline-render-private.h"

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

/* sonde-timeline-text.c: the timeline's texts: laid out once, measured once, formatted for people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "sonde-timeline-render-private.h"

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

/* @text's width in bold (the band's labels) or not. */
double
sonde_timeline_text_measure (Painter    *p,
                             const char *text,
                             gboolean    bold)
{
  GHashTable *widths = p->frame->widths;
  g_autofree char *bold_key = NULL;
  const char *key = text;
  gpointer known;
  int w, h;

  /* Bold widths are kept under the text after a byte no text has. */
  if (bold)
    key = bold_key = g_strconcat ("\x01", text, NULL);
  if (g_hash_table_lookup_extended (widths, key, NULL, &known))
    return GPOINTER_TO_INT (known);
  text_set (p, text, bold);
  pango_layout_get_pixel_size (p->layout, &w, &h);
  /* Bounded: a live session's labels change as its time goes by. */
  if (g_hash_table_size (widths) >= 1024)
    g_hash_table_remove_all (widths);
  g_hash_table_insert (widths, g_strdup (key), GINT_TO_POINTER (w));
  return w;
}

double
sonde_timeline_text_width (Painter    *p,
                           const char *text)
{
  return sonde_timeline_text_measure (p, text, FALSE);
}

/* @text laid out in the frame's font, kept from frame to frame: most
 * labels (the axis's, the notes', the scale's) come back. */
static PangoLayout *
kept_layout (Painter    *p,
             const char *text,
             gboolean    bold)
{
  GHashTable *layouts = p->frame->layouts[bold ? 1 : 0];
  PangoLayout *layout = g_hash_table_lookup (layouts, text);

  /* Not pango_cairo_update_layout(): it lays the text out again whatever
   * changed. What the layout depends on (the font, the kind of target and
   * its font options) is in the frame's key for its kept texts. */
  if (layout != NULL)
    return layout;
  layout = pango_cairo_create_layout (p->cr);
  pango_layout_set_font_description (layout, pango_layout_get_font_description (p->layout));
  pango_layout_set_text (layout, text, -1);
  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  /* Bounded: a live session's labels change as its time goes by. */
  if (g_hash_table_size (layouts) >= 256)
    g_hash_table_remove_all (layouts);
  g_hash_table_insert (layouts, g_strdup (text), layout);
  return layout;
}

/* Draws @text with its top left at (@x, @y) and returns its width. */
double
sonde_timeline_text_draw (Painter      *p,
                          const char   *text,
                          double        x,
                          double        y,
                          const Colour *colour,
                          gboolean      bold)
{
  PangoLayout *layout = p->layout;
  Drawn drawn;
  int w, h;

  if (p->own_font)
    text_set (p, text, bold);
  else
    layout = kept_layout (p, text, bold);
  pango_layout_get_pixel_size (layout, &w, &h);
  set_colour (p->cr, colour, 1.0);
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, layout);
  drawn = (Drawn) { { x, y, w, h }, g_strdup (text) };
  g_array_append_val (p->frame->texts, drawn);
  return w;
}

/* Cuts @text to @max characters with "…". */
char *
sonde_timeline_ellipsize (const char *text,
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

char *
sonde_timeline_format_count (double value)
{
  /* Whole thousands or millions without a decimal (a rate scale's top of
   * 600 k, not 600.0 k). */
  if (value >= 999500.0 && (value >= 99950000.0 || fmod (value, 1e6) < 5e4 || fmod (value, 1e6) >= 9.5e5))
    /* Translators: a whole count in millions, such as “12 M” */
    return g_strdup_printf (C_("count", "%.0f M"), value / 1e6);
  if (value >= 999500.0)
    /* Translators: a count in millions, such as “12.3 M” */
    return g_strdup_printf (C_("count", "%.1f M"), value / 1e6);
  if (value >= 9999.5 && (value >= 99950.0 || fmod (value, 1e3) < 50 || fmod (value, 1e3) >= 950))
    /* Translators: a whole count in thousands, such as “12 k” */
    return g_strdup_printf (C_("count", "%.0f k"), value / 1e3);
  if (value >= 9999.5)
    /* Translators: a count in thousands, such as “12.3 k” */
    return g_strdup_printf (C_("count", "%.1f k"), value / 1e3);
  if (value >= 10.0 || value == 0.0)
    return g_strdup_printf ("%.0f", value);
  /* Two digits, so that a scale's top of 0.15 events/s is not “0.1”. */
  return g_strdup_printf ("%.2g", value);
}

/* A rate of events for people. Below one a tenth of a second, "3e-05 events/s"
 * or "0 events/s" says nothing to a reader of a sparse recording's picture;
 * the time one event takes does: "1 event per 9 h 16 min". */
char *
sonde_timeline_format_event_rate (double per_second)
{
  g_autofree char *count = NULL;

  if (per_second > 0 && per_second < 0.1)
    {
      char every[32];

      sonde_timeline_format_duration ((gint64)round (G_USEC_PER_SEC / per_second), every,
                                      sizeof every);
      /* Translators: a rate too low for events per second, such as “1 event per 9 h 16 min” */
      return g_strdup_printf (_("1 event per %s"), every);
    }
  count = sonde_timeline_format_count (per_second);
  /* Translators: a rate of events, such as “12.3 k events/s” */
  return g_strdup_printf (_("%s events/s"), count);
}

/* A rate of bytes for people: per second, or where that is under one byte,
 * per minute or per hour ("18 bytes/h"), never "0 bytes/s" when bytes came. */
char *
sonde_timeline_format_byte_rate (double per_second)
{
  g_autofree char *size = NULL;

  if (per_second <= 0 || per_second >= 0.5)
    {
      size = g_format_size ((guint64)round (MAX (per_second, 0)));
      /* Translators: a rate of bytes, such as “1.2 MB/s” */
      return g_strdup_printf (_("%s/s"), size);
    }
  if (per_second * 60 >= 0.5)
    {
      size = g_format_size ((guint64)round (per_second * 60));
      /* Translators: a rate of bytes under one a second, such as “30 bytes/min” */
      return g_strdup_printf (_("%s/min"), size);
    }
  size = g_format_size ((guint64)MAX (1, round (per_second * 3600)));
  /* Translators: a rate of bytes under one a minute, such as “18 bytes/h” */
  return g_strdup_printf (_("%s/h"), size);
}

char *
sonde_timeline_format_time (SondeTimelineFrame *frame,
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

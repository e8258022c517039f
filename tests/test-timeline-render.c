/* test-timeline-render.c: the timeline's pictures, drawn as pixels and as paths, agree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-tee.h>

#include "sonde-entry-text.h"
#include "sonde-timeline-axis.h"
#include "sonde-timeline-render.h"
/* The rate graph's values per column, to check them as numbers. */
#include "sonde-timeline-render-private.h"

/* Thirty seconds of a busy stream in and a trickle out, with pings, two
 * drops and their waits: enough for every layer (rate graph, binned marks
 * of every category, problem signs, notes and their pins, the band's
 * slivers) to have something to draw. */
static SondeEventLog *
busy_log (void)
{
  SondeEventLog *log = sonde_event_log_new ();
  static const guint8 raw[] = "data: {\"price\":101.25}\n\n";
  gint64 t = 1000;

  sonde_event_log_append (log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  for (guint i = 0; i < 60000; i++)
    {
      t += 500 + (i % 7) * 20;
      if (i % 20000 == 19999)
        {
          char fields[128];
          int len;

          sonde_event_log_append (log, t, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL, 0,
                                  "\"message\":\"Connection reset\",\"domain\":\"x\",\"code\":1",
                                  50, NULL, 0);
          len = g_snprintf (fields, sizeof fields, "\"delay_ms\":%u,\"attempt\":1",
                            1000 + i / 20);
          sonde_event_log_append (log, t, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL, 0,
                                  fields, len, NULL, 0);
          t += 1500000;
          len = g_snprintf (fields, sizeof fields, "\"status\":200,\"request_headers\":"
                            "{\"Last-Event-ID\":\"%u\"}", i);
          sonde_event_log_append (log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                                  fields, len, NULL, 0);
        }
      else if (i % 500 == 0)
        sonde_event_log_append (log, t, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, NULL, 0, NULL, 0,
                                (const guint8 *)"\x89\x00", 2);
      else
        sonde_event_log_append (log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                                raw, sizeof raw - 1);
    }
  return log;
}

static cairo_surface_t *
draw (SondeTimelineSummary *summary,
      SondeTimelineFrame   *frame,
      int                   width,
      int                   height,
      gboolean              dark,
      gboolean              as_paths)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_surface_t *target = image;
  SondeTimelineOptions options;
  gint64 last_us;
  cairo_t *cr;

  /* A tee surface is not pixels to the renderer, so it draws paths, which
   * the tee passes on to the image: the same picture the SVG gets. */
  if (as_paths)
    target = cairo_tee_surface_create (image);
  sonde_timeline_summary_get_span (summary, NULL, &last_us);
  sonde_timeline_options_init (&options);
  options.from_us = 0;
  options.to_us = last_us + last_us / 50;
  options.dark = dark;
  options.legend = TRUE;
  cr = cairo_create (target);
  sonde_timeline_render (cr, width, height, &summary, NULL, 1, &options, frame);
  cairo_destroy (cr);
  if (as_paths)
    cairo_surface_destroy (target);
  cairo_surface_flush (image);
  return image;
}

/* How many pixels differ by more than @tolerance in some channel. */
static guint
count_different (cairo_surface_t *a,
                 cairo_surface_t *b,
                 guint            tolerance)
{
  const guint8 *pa = cairo_image_surface_get_data (a);
  const guint8 *pb = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a);
  guint n = 0;

  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (cairo_image_surface_get_height (a), ==, cairo_image_surface_get_height (b));
  for (int y = 0; y < cairo_image_surface_get_height (a); y++)
    for (int x = 0; x < cairo_image_surface_get_width (a); x++)
      for (int c = 0; c < 3; c++)
        if ((guint)ABS (pa[y * stride + x * 4 + c] - pb[y * stride + x * 4 + c]) > tolerance)
          {
            n++;
            break;
          }
  return n;
}

static guint
count_colour (cairo_surface_t *image,
              guint32          rgb)
{
  const guint8 *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (image); y++)
    for (int x = 0; x < cairo_image_surface_get_width (image); x++)
      {
        guint32 pixel;

        memcpy (&pixel, data + y * stride + x * 4, 4);
        n += (pixel & 0xffffff) == rgb;
      }
  return n;
}

/* The window and PNGs get pixels written in C (rate graph, marks, pins,
 * problem signs as copies of one small picture); SVGs get paths. Both must
 * show the same picture. */
static void
test_pixels_match_paths (void)
{
  g_autoptr(SondeEventLog) log = busy_log ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
      cairo_surface_t *pixels = draw (summary, frame, 900, 260, dark, FALSE);
      cairo_surface_t *paths = draw (summary, NULL, 900, 260, dark, TRUE);
      guint differ = count_different (pixels, paths, 40);

      /* Antialiased edges of the problem signs may round apart by a shade;
       * a layer missing or misplaced would differ by thousands. */
      g_test_message ("%s: %u of %u pixels differ", dark ? "dark" : "light", differ, 900 * 260);
      g_assert_cmpuint (differ, <, 60);
      /* And the picture is not empty: the problem red shows, as a sign. */
      g_assert_cmpuint (count_colour (pixels, dark ? 0xff7b63 : 0xe01b24), >, 6);
      cairo_surface_destroy (pixels);
      cairo_surface_destroy (paths);
    }
}

typedef enum
{
  AS_PIXELS,
  AS_PATHS,
  AS_RECORDING,   /* as the window draws: a recording, replayed at the widget's scale */
} DrawMode;

/* The busy log's whole range, @width × @height pixels on a screen of
 * @scale device pixels per pixel. */
static cairo_surface_t *
draw_scaled (SondeTimelineSummary *summary,
             int                   width,
             int                   height,
             int                   scale,
             DrawMode              mode)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width * scale,
                                                       height * scale);
  cairo_surface_t *target = image;
  SondeTimelineOptions options;
  gint64 last_us;
  cairo_t *cr;

  cairo_surface_set_device_scale (image, scale, scale);
  sonde_timeline_summary_get_span (summary, NULL, &last_us);
  sonde_timeline_options_init (&options);
  options.from_us = 0;
  options.to_us = last_us + last_us / 50;
  if (mode == AS_PATHS)
    target = cairo_tee_surface_create (image);
  else if (mode == AS_RECORDING)
    {
      target = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      options.scale = scale;
    }
  cr = cairo_create (target);
  sonde_timeline_render (cr, width, height, &summary, NULL, 1, &options, NULL);
  cairo_destroy (cr);
  if (mode == AS_RECORDING)
    {
      cr = cairo_create (image);
      cairo_set_source_surface (cr, target, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  if (target != image)
    cairo_surface_destroy (target);
  cairo_surface_flush (image);
  return image;
}

/* On a HiDPI screen (scale 2) what is written as pixels (the problem signs
 * above all, antialiased shapes copied from one small picture) is written
 * at the device's scale: as smooth as the paths an SVG gets, not a picture
 * of half the resolution blown up. The window draws into a recording that
 * GTK replays at its scale factor, and must get the same picture. */
static void
test_hidpi (void)
{
  g_autoptr(SondeEventLog) log = busy_log ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  cairo_surface_t *pixels = draw_scaled (summary, 900, 260, 2, AS_PIXELS);
  cairo_surface_t *paths = draw_scaled (summary, 900, 260, 2, AS_PATHS);
  cairo_surface_t *replayed = draw_scaled (summary, 900, 260, 2, AS_RECORDING);
  guint differ = count_different (pixels, paths, 40);
  guint replay_differ = count_different (replayed, paths, 40);

  /* Drawn at scale 1 and blown up, the signs' edges differed from the
   * paths' in some 220 device pixels. */
  g_test_message ("scale 2: of %u device pixels, %u differ from paths as pixels, %u as the "
                  "window's replay", 1800 * 520, differ, replay_differ);
  g_assert_cmpuint (count_colour (pixels, 0xe01b24), >, 4 * 6);
  g_assert_cmpuint (differ, <, 40);
  g_assert_cmpuint (replay_differ, <, 40);
  cairo_surface_destroy (pixels);
  cairo_surface_destroy (paths);
  cairo_surface_destroy (replayed);
}

/* A frame keeps scratch pictures, measured and laid-out texts between
 * renderings: reused at another size, in the other palette, on another kind
 * of target, it draws what a fresh one draws, pixel for pixel. */
static void
test_frame_reuse (void)
{
  g_autoptr(SondeEventLog) log = busy_log ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  g_autoptr(SondeTimelineFrame) reused = sonde_timeline_frame_new ();
  cairo_surface_t *fresh = draw (summary, NULL, 700, 180, FALSE, FALSE);
  cairo_surface_t *big = draw (summary, reused, 1400, 420, TRUE, FALSE);
  cairo_surface_t *again = draw (summary, reused, 700, 180, FALSE, FALSE);
  /* Texts laid out for one kind of target are not drawn on another. */
  cairo_surface_t *fresh_paths = draw (summary, NULL, 700, 180, FALSE, TRUE);
  cairo_surface_t *paths = draw (summary, reused, 700, 180, FALSE, TRUE);
  cairo_surface_t *pixels_again = draw (summary, reused, 700, 180, FALSE, FALSE);

  g_assert_cmpuint (count_different (fresh, again, 0), ==, 0);
  g_assert_cmpuint (count_different (fresh_paths, paths, 0), ==, 0);
  g_assert_cmpuint (count_different (fresh, pixels_again, 0), ==, 0);
  cairo_surface_destroy (fresh);
  cairo_surface_destroy (big);
  cairo_surface_destroy (again);
  cairo_surface_destroy (fresh_paths);
  cairo_surface_destroy (paths);
  cairo_surface_destroy (pixels_again);
}

static gboolean
is_events_blue (const guint8 *pixel)
{
  /* The rate scale's events label (#1c71d8), antialiased on white. */
  return pixel[0] > 150 && pixel[1] < 170 && pixel[2] < 120;
}

/* In a short chart (the window's), the rate graph's scale shares the notes'
 * row: a note at the very start (the demo's retry:) must not hide it, and
 * its label must not lie over it. */
static void
test_note_leaves_scale (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  static const guint8 raw[] = "data: {\"price\":101.25}\n\n";
  cairo_surface_t *image;
  const guint8 *data;
  int stride;
  double note_from = G_MAXDOUBLE;
  double note_to = -G_MAXDOUBLE;
  double row_y = -1;
  guint blue = 0;
  guint blue_under_note = 0;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1100, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":2000", 9, NULL, 0);
  for (guint i = 0; i < 200; i++)
    sonde_event_log_append (log, 2000 + (gint64)i * 50000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                            NULL, 0, NULL, 0, raw, sizeof raw - 1);
  summary = sonde_timeline_summary_new (log);
  image = draw (summary, frame, 900, 160, FALSE, FALSE);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);

  /* Where the note's label is: what the frame says lies under the pointer. */
  for (double y = 0; y < 40 && row_y < 0; y += 1)
    for (double x = 0; x < 900; x += 1)
      {
        SondeTimelineHit hit;

        if (sonde_timeline_frame_hit (frame, x, y, &hit) && hit.kind == SONDE_TIMELINE_HIT_NOTE)
          {
            note_from = MIN (note_from, x);
            note_to = MAX (note_to, x);
            row_y = y;
          }
      }
  g_assert_cmpfloat (row_y, >=, 0);
  /* A label with words, not a diamond. */
  g_assert_cmpfloat (note_to - note_from, >, 40);

  for (int y = (int)row_y; y < (int)row_y + 12; y++)
    for (int x = 0; x < 900; x++)
      if (is_events_blue (data + y * stride + x * 4))
        {
          blue++;
          blue_under_note += x >= note_from && x <= note_to;
        }
  g_test_message ("note at %.0f to %.0f; %u blue pixels in its row, %u under it", note_from,
                  note_to, blue, blue_under_note);
  g_assert_cmpuint (blue, >, 10);
  g_assert_cmpuint (blue_under_note, ==, 0);
  cairo_surface_destroy (image);
}

/* A title or subtitle longer than the picture is wide (a long URL, a
 * narrow export) is cut with "…" at the plot's edge, not by the picture's. */
static void
test_heading_fits (void)
{
  g_autoptr(SondeEventLog) log = busy_log ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 300, 200);
  SondeTimelineOptions options;
  const guint8 *data;
  int stride;
  guint inked = 0;
  guint inked_in_margin = 0;
  cairo_t *cr;

  sonde_timeline_options_init (&options);
  options.to_us = 30 * G_USEC_PER_SEC;
  options.margin = 16;
  options.title = "https://stream.example.com/a/very/long/path/to/the/events?with=query";
  options.subtitle = "SSE, started 2026-11-22 10:00:00 UTC · 60000 entries · shown from 0 s";
  cr = cairo_create (image);
  sonde_timeline_render (cr, 300, 200, &summary, NULL, 1, &options, NULL);
  cairo_destroy (cr);
  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  /* The heading's rows: ink on the left, none in the right margin. */
  for (int y = 16; y < 50; y++)
    for (int x = 0; x < 300; x++)
      if (data[y * stride + x * 4] < 200)
        {
          inked++;
          inked_in_margin += x >= 300 - 16;
        }
  g_test_message ("%u dark pixels in the heading, %u in the right margin", inked,
                  inked_in_margin);
  g_assert_cmpuint (inked, >, 100);
  g_assert_cmpuint (inked_in_margin, ==, 0);
  cairo_surface_destroy (image);
}

/* Draws @summary's [@from_us, @to_us) into a frame, 1000 × 300 pixels;
 * @end_us is where a live session stands (G_MININT64: not live). */
static SondeTimelineFrame *
draw_range (SondeTimelineSummary *summary,
            gint64                from_us,
            gint64                to_us,
            gint64                end_us)
{
  SondeTimelineFrame *frame = sonde_timeline_frame_new ();
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1000, 300);
  SondeTimelineOptions options;
  cairo_t *cr = cairo_create (image);

  sonde_timeline_options_init (&options);
  options.from_us = from_us;
  options.to_us = to_us;
  options.end_us = end_us;
  sonde_timeline_render (cr, 1000, 300, &summary, NULL, 1, &options, frame);
  cairo_destroy (cr);
  cairo_surface_destroy (image);
  g_assert_cmpfloat (frame->lanes[0].rate.h, >, 20);
  return frame;
}

/* Draws the first @to_us of @n_lanes summaries into a @width × @height
 * chart into @frame: as the window does, or, as a @picture, as `sonde
 * timeline` does (a heading and a legend). Returns the picture. */
static cairo_surface_t *
draw_lanes_image (SondeTimelineSummary **summaries,
                  guint                  n_lanes,
                  SondeTimelineFrame    *frame,
                  int                    width,
                  int                    height,
                  gint64                 to_us,
                  gboolean               picture)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  SondeTimelineOptions options;
  cairo_t *cr = cairo_create (image);

  sonde_timeline_options_init (&options);
  options.to_us = to_us;
  if (picture)
    {
      options.margin = 16;
      options.legend = TRUE;
      options.title = "http://127.0.0.1:8080/events";
      options.subtitle = "SSE, started 2026-11-29 07:13:32 UTC · 60,003 entries, 3 problems, "
                         "2 reconnects · shown from 0.000 s to 32.000 s";
    }
  sonde_timeline_render (cr, width, height, summaries, NULL, n_lanes, &options, frame);
  cairo_destroy (cr);
  cairo_surface_flush (image);
  return image;
}

static void
draw_lanes (SondeTimelineSummary **summaries,
            guint                  n_lanes,
            SondeTimelineFrame    *frame,
            int                    width,
            int                    height,
            gint64                 to_us,
            gboolean               picture)
{
  cairo_surface_destroy (draw_lanes_image (summaries, n_lanes, frame, width, height, to_us,
                                           picture));
}

/* The same, of one summary. */
static void
draw_chart (SondeTimelineSummary *summary,
            SondeTimelineFrame   *frame,
            int                   width,
            int                   height,
            gint64                to_us,
            gboolean              picture)
{
  draw_lanes (&summary, 1, frame, width, height, to_us, picture);
}

/* The rate graph's events per second at @time_us. */
static double
rate_at (SondeTimelineFrame *frame,
         gint64              time_us)
{
  const Lane *lane = &frame->lanes[0];
  double x = sonde_timeline_frame_time_to_x (frame, time_us) - frame->plot_x;

  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (x, <, lane->n_columns);
  return lane->events[(guint)x];
}

static void
append_in (SondeEventLog *log,
           gint64         time_us)
{
  static const guint8 raw[] = "data: x\n\n";

  sonde_event_log_append (log, time_us, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                          raw, sizeof raw - 1);
}

/* The text drawn that equals @text, or NULL. */
static const Drawn *
find_text (SondeTimelineFrame *frame,
           const char         *text)
{
  for (guint i = 0; i < frame->texts->len; i++)
    if (g_str_equal (g_array_index (frame->texts, Drawn, i).text, text))
      return &g_array_index (frame->texts, Drawn, i);
  return NULL;
}

static const Drawn *
must_find_text (SondeTimelineFrame *frame,
                const char         *text)
{
  const Drawn *drawn = find_text (frame, text);

  if (drawn == NULL)
    g_error ("“%s” is not in the picture", text);
  return drawn;
}

/* A reconnect wait, as the band and its tooltip tell it: in the words of
 * the list's reconnect row (and the status line), "Reconnecting in 1.5 s
 * (attempt 1)"; where the stretch is narrow, the delay as they write it. */
static void
test_band_wait_words (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  g_autofree char *tooltip = NULL;
  char list[SONDE_ENTRY_TEXT_SHORT_SIZE];
  SondeEntryView view;
  SondeTimelineHit hit;
  const Drawn *label;
  guint64 seq;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  append_in (log, 500000);
  sonde_event_log_append (log, 1000000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL, 0,
                          "\"message\":\"The server ended the stream\"", 40, NULL, 0);
  seq = sonde_event_log_append (log, 1000000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL,
                                0, "\"delay_ms\":1500,\"attempt\":1", 27, NULL, 0);
  sonde_event_log_append (log, 2500000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  append_in (log, 3000000);
  summary = sonde_timeline_summary_new (log);

  g_assert_true (sonde_event_log_get_view (log, seq, &view));
  sonde_entry_text_format_preview (&view, list, sizeof list);
  g_assert_cmpstr (list, ==, "Reconnecting in 1.5 s (attempt 1)");
  /* The legend, the tabs and the tooltips name the state in the band's word. */
  g_assert_cmpstr (sonde_connection_state_get_label (SONDE_CONNECTION_WAITING), ==,
                   "Reconnecting");

  frame = draw_range (summary, 0, 4 * G_USEC_PER_SEC, G_MININT64);
  label = must_find_text (frame, list);
  g_assert_true (sonde_timeline_frame_hit (frame, label->rect.x + 2,
                                           label->rect.y + label->rect.h / 2, &hit));
  g_assert_cmpint (hit.kind, ==, SONDE_TIMELINE_HIT_SEGMENT);
  tooltip = sonde_timeline_frame_describe_hit (frame, &hit);
  g_assert_true (g_str_has_prefix (tooltip, list));
  g_clear_pointer (&frame, sonde_timeline_frame_free);

  /* Zoomed out, the wait is too narrow for the sentence: its start. */
  frame = draw_range (summary, 0, 9 * G_USEC_PER_SEC, G_MININT64);
  g_assert_null (find_text (frame, list));
  g_assert_nonnull (find_text (frame, "Reconnecting in 1.5 s"));
  g_clear_pointer (&frame, sonde_timeline_frame_free);

  /* Narrower still: its delay. */
  frame = draw_range (summary, 0, 40 * G_USEC_PER_SEC, G_MININT64);
  g_assert_null (find_text (frame, list));
  g_assert_nonnull (find_text (frame, "1.5 s"));
  g_clear_pointer (&frame, sonde_timeline_frame_free);

  /* At every zoom between, the label (in bold) ends inside the wait. */
  for (gint64 to_us = 3 * G_USEC_PER_SEC; to_us <= 40 * G_USEC_PER_SEC; to_us += G_USEC_PER_SEC / 4)
    {
      double end;

      frame = draw_range (summary, 0, to_us, G_MININT64);
      end = sonde_timeline_frame_time_to_x (frame, 2500000);
      for (guint i = 0; i < frame->texts->len; i++)
        {
          const Drawn *drawn = &g_array_index (frame->texts, Drawn, i);

          if (g_str_has_prefix (drawn->text, "Reconnecting") || g_str_equal (drawn->text, "1.5 s"))
            g_assert_cmpfloat (drawn->rect.x + drawn->rect.w, <=, end);
        }
      g_clear_pointer (&frame, sonde_timeline_frame_free);
    }
}

/* A sparse recording (an entry every two and a half hours) has rates far
 * below one a second: the scale and the tooltip say them as a reader
 * would ("1 event per …", bytes per hour), never "3e-05 events/s" or, where
 * bytes came, "0 bytes/s". */
static void
test_rate_sparse (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  g_autofree char *events = NULL;
  g_autofree char *bytes = NULL;
  const Lane *lane;
  gboolean found_events = FALSE, found_bytes = FALSE;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  for (guint i = 1; i <= 4; i++)
    append_in (log, i * (gint64)9000 * G_USEC_PER_SEC);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 40000 * (gint64)G_USEC_PER_SEC, G_MININT64);
  lane = &frame->lanes[0];
  g_assert_cmpfloat (lane->top_events, <, 0.1);
  g_assert_cmpfloat (lane->max_bytes, >, 0);
  g_assert_cmpfloat (lane->top_bytes, <, 1);
  for (guint i = 0; i < frame->texts->len; i++)
    {
      const char *text = g_array_index (frame->texts, Drawn, i).text;

      g_assert_null (strstr (text, "e-0"));
      g_assert_null (strstr (text, "0 bytes"));
      found_events |= g_str_has_prefix (text, "1 event per ");
      found_bytes |= g_str_has_suffix (text, "bytes/h") || g_str_has_suffix (text, "bytes/min");
    }
  g_assert_true (found_events);
  g_assert_true (found_bytes);

  /* The words for rates at each size. */
  events = sonde_timeline_format_event_rate (1 / 33333.0);
  g_assert_cmpstr (events, ==, "1 event per 9 h 16 min");
  g_clear_pointer (&events, g_free);
  events = sonde_timeline_format_event_rate (0.15);
  g_assert_cmpstr (events, ==, "0.15 events/s");
  g_clear_pointer (&events, g_free);
  events = sonde_timeline_format_event_rate (0);
  g_assert_cmpstr (events, ==, "0 events/s");
  bytes = sonde_timeline_format_byte_rate (0.005);
  g_assert_cmpstr (bytes, ==, "18 bytes/h");
  g_clear_pointer (&bytes, g_free);
  bytes = sonde_timeline_format_byte_rate (0.5);
  g_assert_cmpstr (bytes, ==, "1 byte/s");
  g_clear_pointer (&bytes, g_free);
  bytes = sonde_timeline_format_byte_rate (0.1);
  g_assert_cmpstr (bytes, ==, "6 bytes/min");
  g_clear_pointer (&bytes, g_free);
  bytes = sonde_timeline_format_byte_rate (1e-6);
  g_assert_cmpstr (bytes, ==, "1 byte/h");
}

/* A time axis label in relative time ("0.15 s", "1:05", "2:30:00") in seconds. */
static double
axis_label_seconds (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  double seconds = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    seconds = seconds * 60 + g_ascii_strtod (parts[i], NULL);
  return seconds;
}

/* The time axis's labels step evenly from the first to the last at every
 * width: the first, pinned to the left edge, does not push out the second
 * ("0 s, 0.2 s, 0.3 s" reads as an uneven scale). */
static void
test_axis_labels_even (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  static const gint64 ranges_us[] = { 950000, 95 * (gint64)G_USEC_PER_SEC,
                                      28081 * (gint64)G_USEC_PER_SEC };

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  append_in (log, 900000);
  summary = sonde_timeline_summary_new (log);
  for (guint r = 0; r < G_N_ELEMENTS (ranges_us); r++)
    for (int width = 300; width <= 1600; width += 20)
      {
        g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
        double values[64];
        guint n = 0;

        draw_chart (summary, frame, width, 300, ranges_us[r], FALSE);
        /* The texts are kept in the order drawn: the axis's from left to right. */
        for (guint i = 0; i < frame->texts->len && n < G_N_ELEMENTS (values); i++)
          {
            const Drawn *drawn = &g_array_index (frame->texts, Drawn, i);

            if (drawn->rect.y >= frame->axis.y && drawn->rect.y < frame->axis.y + frame->axis.h)
              values[n++] = axis_label_seconds (drawn->text);
          }
        g_assert_cmpuint (n, >=, 2);
        for (guint i = 2; i < n; i++)
          if (fabs ((values[i] - values[i - 1]) - (values[1] - values[0])) > 1e-6)
            g_error ("at %d pixels over %" G_GINT64_FORMAT " µs the axis reads %g, %g, … %g, %g",
                     width, ranges_us[r], values[0], values[1], values[i - 1], values[i]);
      }
}

/* A range with no entries in it (a session of one entry, a range after its
 * end) has no rates: no scale saying "0 events/s" either. A session with
 * no entries at all says so in the middle. */
static void
test_no_rate_no_scale (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;

  /* Empty, it says so. */
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 3 * G_USEC_PER_SEC, G_MININT64);
  must_find_text (frame, "No entries");
  g_clear_pointer (&frame, sonde_timeline_frame_free);
  g_clear_object (&summary);

  sonde_event_log_append (log, 2500000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 3 * G_USEC_PER_SEC, G_MININT64);
  g_assert_null (find_text (frame, "No entries"));
  g_assert_cmpuint (frame->texts->len, >, 0);
  for (guint i = 0; i < frame->texts->len; i++)
    {
      const char *text = g_array_index (frame->texts, Drawn, i).text;

      g_assert_null (strstr (text, "/s"));
      g_assert_null (strstr (text, "averaged"));
      g_assert_null (strstr (text, "from the gap"));
    }
}

/* Every text of @frame lies inside its @width × @height picture and none
 * overlaps another: what a reader could not read. */
static void
assert_texts_clear (SondeTimelineFrame *frame,
                    double              width,
                    double              height)
{
  for (guint i = 0; i < frame->texts->len; i++)
    {
      const Drawn *a = &g_array_index (frame->texts, Drawn, i);

      if (a->rect.x < -0.5 || a->rect.y < -0.5 || a->rect.x + a->rect.w > width + 0.5 ||
          a->rect.y + a->rect.h > height + 0.5)
        g_error ("%gx%g: “%s” at %g,%g (%g × %g) is cut by the picture's edge", width, height,
                 a->text, a->rect.x, a->rect.y, a->rect.w, a->rect.h);
      for (guint j = i + 1; j < frame->texts->len; j++)
        {
          const Drawn *b = &g_array_index (frame->texts, Drawn, j);

          if (a->rect.x + a->rect.w > b->rect.x + 0.5 && b->rect.x + b->rect.w > a->rect.x + 0.5 &&
              a->rect.y + a->rect.h > b->rect.y + 0.5 && b->rect.y + b->rect.h > a->rect.y + 0.5)
            g_error ("%gx%g: “%s” at %g,%g overlaps “%s” at %g,%g", width, height, a->text,
                     a->rect.x, a->rect.y, b->text, b->rect.x, b->rect.y);
        }
    }
}

/* Pictures as `sonde timeline` draws them (heading, legend), from a
 * thumbnail to a wide slide: no text over another or cut by the edge; a
 * strip as high as the window's chart (170 pixels) keeps its notes, its
 * rate graph and a legend of one row. */
static void
test_small_pictures (void)
{
  g_autoptr(SondeEventLog) log = busy_log ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  static const struct
  {
    int width, height;
    gboolean strip;
  } sizes[] = {
    { 200, 100, FALSE }, { 400, 120, FALSE }, { 300, 360, FALSE }, { 600, 170, FALSE },
    { 800, 170, TRUE }, { 1200, 170, TRUE }, { 1200, 360, FALSE }, { 2400, 360, FALSE },
    { 1200, 1200, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();

      draw_chart (summary, frame, sizes[i].width, sizes[i].height, 32 * G_USEC_PER_SEC, TRUE);
      g_test_message ("%d × %d: %u texts", sizes[i].width, sizes[i].height, frame->texts->len);
      assert_texts_clear (frame, sizes[i].width, sizes[i].height);
      /* The band is in the picture, above the axis. */
      g_assert_cmpfloat (frame->lanes[0].band.y, >, 0);
      g_assert_cmpfloat (frame->lanes[0].band.y + frame->lanes[0].band.h, <=, frame->axis.y);
      if (sizes[i].strip)
        {
          g_assert_cmpfloat (frame->lanes[0].notes.h, >, 0);
          g_assert_cmpfloat (frame->lanes[0].rate.h, >, 0);
          g_assert_cmpuint (frame->lanes[0].notes_placed->len, >, 0);
          g_assert_cmpfloat (must_find_text (frame, "Failed")->rect.y, ==,
                             must_find_text (frame, "Data")->rect.y);
        }
    }
}

/* Charts as short as the window's timeline (104 to 160 px, no legend): the
 * rate graph gets at least two fifths of the height it shares with the
 * marks above the band (before: 38 %, 15 px at 104, a line), its labels
 * stay off it, and no text overlaps another. */
static void
test_short_chart_rate (void)
{
  g_autoptr(SondeEventLog) log = busy_log ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);

  for (int height = 104; height <= 160; height += 8)
    {
      g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
      const Lane *lane;

      draw_chart (summary, frame, 1040, height, 32 * G_USEC_PER_SEC, FALSE);
      lane = &frame->lanes[0];
      g_test_message ("%d px: rate graph %.1f px, marks %.1f px", height, lane->rate.h,
                      lane->in.h);
      assert_texts_clear (frame, 1040, height);
      g_assert_cmpfloat (lane->rate.h, >=, 0.4 * (lane->rate.h + lane->in.h));
      g_assert_cmpfloat (lane->in.h, >=, 16);
      g_assert_cmpfloat (lane->scale.y + lane->scale.h, <=, lane->rate.y + 0.5);
    }
}

/* A slow stream over a long range, in the window's chart: data marks
 * about 4 px apart. Their heads were 6.6 px wide and ran together into one
 * blue scribble along the row where they end; now each gets a head no
 * wider than the gap, and the row shows (nearly) white between most. */
static void
test_slow_marks_apart (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  static const guint8 raw[] = "data: {\"price\":101.25}\n\n";
  cairo_surface_t *image;
  const guint8 *data;
  const Lane *lane;
  int stride;
  int y;
  guint background = 0;
  double first = G_MAXDOUBLE, last = -G_MAXDOUBLE;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  /* 240 events 125 ms apart: 30 s, drawn over 1040 px of 31 s. */
  for (guint i = 0; i < 240; i++)
    sonde_event_log_append (log, 100000 + (gint64)i * 125000, SONDE_DIRECTION_IN,
                            SONDE_ENTRY_SSE, NULL, 0, NULL, 0, raw, sizeof raw - 1);
  summary = sonde_timeline_summary_new (log);
  image = draw_lanes_image (&summary, 1, frame, 1040, 120, 31 * G_USEC_PER_SEC, FALSE);
  lane = &frame->lanes[0];
  g_assert_true (lane->sparse);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  /* The row where data marks end (reach 0.7 of the lane above the band). */
  y = (int)floor (lane->in.y + lane->in.h * 0.3);
  for (guint i = 0; i < lane->marks->len; i++)
    {
      const Mark *mark = &g_array_index (lane->marks, Mark, i);

      if (mark->category != SONDE_ENTRY_CATEGORY_DATA)
        continue;
      first = MIN (first, mark->x);
      last = MAX (last, mark->x);
    }
  for (int x = (int)first + 1; x < (int)last; x++)
    {
      guint32 pixel;

      memcpy (&pixel, data + y * stride + x * 4, 4);
      /* White, or nearly (a head's smoothed edge). */
      background += (pixel & 0xff) >= 0xe0 && (pixel >> 8 & 0xff) >= 0xe0 &&
                    (pixel >> 16 & 0xff) >= 0xe0;
    }
  g_test_message ("%u marks from x %.0f to %.0f, %u background pixels in their heads' row",
                  lane->marks->len, first, last, background);
  g_assert_cmpuint (background, >=, 200);
  cairo_surface_destroy (image);
}

/* A picture whose rate scale shares the notes' row (sonde timeline at 260
 * pixels, the window's Export Image) says how the rates were taken in its
 * legend: in that row, a retry: at the start hid it. The scale's top is a
 * round number at least as high as the tallest column, and its label names
 * it. */
static void
test_scale_in_legend (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  g_autofree char *top = NULL;
  g_autofree char *top_label = NULL;
  const Lane *lane;
  gboolean said = FALSE;
  double mantissa;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1100, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":2000", 9, NULL, 0);
  /* A thousand a second, then three thousand. */
  for (gint64 t = 2000; t < 30 * G_USEC_PER_SEC; t += t < 15 * G_USEC_PER_SEC ? 1000 : 333)
    append_in (log, t);
  summary = sonde_timeline_summary_new (log);
  draw_chart (summary, frame, 1000, 260, 32 * G_USEC_PER_SEC, TRUE);

  lane = &frame->lanes[0];
  g_assert_true (lane->scale_shared);
  assert_texts_clear (frame, 1000, 260);
  for (guint i = 0; i < frame->texts->len; i++)
    {
      const Drawn *drawn = &g_array_index (frame->texts, Drawn, i);

      if (g_str_has_prefix (drawn->text, "Rate graph: averaged over "))
        {
          said = TRUE;
          g_assert_cmpfloat (drawn->rect.y, >, frame->axis.y);
        }
      g_assert_false (g_str_has_prefix (drawn->text, "averaged over"));
    }
  g_assert_true (said);
  must_find_text (frame, "retry: 2.0 s");

  g_test_message ("tallest %.1f events/s, scale to %.1f", lane->max_events, lane->top_events);
  g_assert_cmpfloat (lane->top_events, >=, lane->max_events);
  g_assert_cmpfloat (lane->top_events, <, lane->max_events * 1.5);
  mantissa = lane->top_events / pow (10, floor (log10 (lane->top_events)));
  g_assert_true (mantissa == 1 || mantissa == 1.5 || mantissa == 2 || mantissa == 3 ||
                 mantissa == 4 || mantissa == 5 || mantissa == 6 || mantissa == 8);
  top = sonde_timeline_format_count (lane->top_events);
  top_label = g_strdup_printf ("%s events/s", top);
  must_find_text (frame, top_label);
}

/* Notes in one pixel column share a label: the retry: that came with a
 * reconnect's Last-Event-ID was hidden under it, and of two retry: fields
 * in a row the first was shown, not the one that set the next wait. */
static void
test_notes_together (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1100, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":700", 8, NULL, 0);
  sonde_event_log_append (log, 1200, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":2000", 9, NULL, 0);
  append_in (log, 300000);
  sonde_event_log_append (log, 400000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL, 0,
                          "\"message\":\"The server ended the stream\"", 40, NULL, 0);
  sonde_event_log_append (log, 400000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL, 0,
                          "\"delay_ms\":2000,\"attempt\":1", 27, NULL, 0);
  sonde_event_log_append (log, 2400000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200,\"request_headers\":{\"Last-Event-ID\":\"2\"}", 52,
                          NULL, 0);
  sonde_event_log_append (log, 2400100, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":700", 8, NULL, 0);
  append_in (log, 2600000);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 4 * G_USEC_PER_SEC, G_MININT64);

  must_find_text (frame, "retry: 2.0 s");
  must_find_text (frame, "Last-Event-ID: 2 · retry: 700 ms");
  g_assert_null (find_text (frame, "retry: 700 ms"));
  /* Each note still answers the pointer. */
  g_assert_cmpuint (frame->lanes[0].notes_placed->len, ==, 4);
}

/* A WebSocket close and its echo are one note, which gives the peer's
 * reason rather than the code's name ("private use" for every 4000s). */
static void
test_close_note (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  static const char close[] = "\"code\":4001,\"reason\":\"going away for maintenance\"";

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":101", 12, NULL, 0);
  append_in (log, 300000);
  sonde_event_log_append (log, 1000000, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL, 0,
                          close, sizeof close - 1, NULL, 0);
  sonde_event_log_append (log, 1000100, SONDE_DIRECTION_OUT, SONDE_ENTRY_CLOSE, NULL, 0,
                          close, sizeof close - 1, NULL, 0);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 4 * G_USEC_PER_SEC, G_MININT64);

  must_find_text (frame, "close 4001 “going away for main…”");
  g_assert_cmpuint (frame->lanes[0].notes_placed->len, ==, 2);
}

/* In a picture with one row of notes (the window's short chart, a small
 * sonde timeline), a resume sent just after a close, whose pin falls under
 * the close's label, joins that label rather than being a bare diamond. */
static void
test_resume_after_close_one_row (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  static const char close[] = "\"code\":1001,\"reason\":\"going away\"";
  static const guint8 resume[] = "\x81\x0c{\"since\":19}";
  static const int widths[] = { 600, 800, 1200 };

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":101", 12, NULL, 0);
  for (gint64 t = 100000; t < 2000000; t += 100000)
    append_in (log, t);
  sonde_event_log_append (log, 2000000, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL, 0,
                          close, sizeof close - 1, NULL, 0);
  sonde_event_log_append (log, 2010000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL, 0,
                          "\"delay_ms\":250,\"attempt\":1", 26, NULL, 0);
  sonde_event_log_append (log, 2260000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":101", 12, NULL, 0);
  sonde_event_log_append (log, 2270000, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL, 0,
                          "\"purpose\":\"resume\"", 18, resume, sizeof resume - 1);
  for (gint64 t = 2400000; t < 4400000; t += 100000)
    append_in (log, t);
  summary = sonde_timeline_summary_new (log);

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
      const Lane *lane;
      const Drawn *label;

      draw_chart (summary, frame, widths[w], 170, 4472000, TRUE);
      lane = &frame->lanes[0];
      g_assert_cmpuint (lane->notes_placed->len, ==, 2);
      label = must_find_text (frame, "close 1001 “going away” · resume: {\"since\":19}");
      /* One row: no room for a second label under the first. */
      g_assert_cmpfloat (lane->notes.h, <, 2 * (label->rect.h + 5));
      /* Both notes answer the pointer on it. */
      for (guint i = 0; i < 2; i++)
        g_assert_cmpfloat (g_array_index (lane->notes_placed, Placed, i).rect.w, >,
                           label->rect.w);
    }
}

/* A Compare picture's lanes, where each rate scale shares its row with the
 * notes and gives way to an early note: the legend says how the rates were
 * taken, once for every lane (before, several lanes said it nowhere). */
static void
test_rates_how_several_lanes (void)
{
  SondeTimelineSummary *summaries[2];
  SondeEventLog *logs[2];
  static const int sizes[][2] = { { 1000, 300 }, { 800, 360 } };

  for (guint l = 0; l < 2; l++)
    {
      logs[l] = sonde_event_log_new ();
      sonde_event_log_append (logs[l], 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                              "\"status\":200", 12, NULL, 0);
      for (gint64 t = 10000; t < 10 * G_USEC_PER_SEC; t += 37000 + l * 11000)
        append_in (logs[l], t);
      sonde_event_log_append (logs[l], 1200000, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                              "\"ms\":700", 8, NULL, 0);
      summaries[l] = sonde_timeline_summary_new (logs[l]);
    }
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
      gboolean in_legend = FALSE;

      draw_lanes (summaries, 2, frame, sizes[k][0], sizes[k][1], 10 * G_USEC_PER_SEC, TRUE);
      for (guint i = 0; i < frame->texts->len; i++)
        in_legend |= g_str_has_prefix (g_array_index (frame->texts, Drawn, i).text,
                                       "Rate graph: averaged over ");
      for (guint l = 0; l < frame->n_lanes; l++)
        {
          const Lane *lane = &frame->lanes[l];

          g_assert_cmpfloat (lane->rate.h, >, 0);
          g_assert_true (lane->scale_shared);
          g_assert_true (lane->scale_how || in_legend);
        }
      g_assert_true (in_legend);
    }
  for (guint l = 0; l < 2; l++)
    {
      g_object_unref (summaries[l]);
      g_object_unref (logs[l]);
    }
}

/* A label that joins the notes under it never takes in, or covers, a later
 * note of its own: a close and its resume, then another close 0.8 s on, at
 * 1200 pixels are two labels, not one running over both closes. */
static void
test_joined_note_leaves_next (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  static const char close[] = "\"code\":1001,\"reason\":\"going away\"";
  static const guint8 resume[] = "\x81\x0c{\"since\":19}";
  guint closes = 0;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":101", 12, NULL, 0);
  for (gint64 t = 100000; t < 4400000; t += 100000)
    append_in (log, t);
  sonde_event_log_append (log, 2000000, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL, 0,
                          close, sizeof close - 1, NULL, 0);
  sonde_event_log_append (log, 2050000, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL, 0,
                          "\"purpose\":\"resume\"", 18, resume, sizeof resume - 1);
  sonde_event_log_append (log, 2800000, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL, 0,
                          close, sizeof close - 1, NULL, 0);
  summary = sonde_timeline_summary_new (log);
  draw_chart (summary, frame, 1200, 170, 4472000, TRUE);
  for (guint i = 0; i < frame->texts->len; i++)
    {
      const char *text = g_array_index (frame->texts, Drawn, i).text;
      const char *first = strstr (text, "close 1001");

      g_assert_true (first == NULL || strstr (first + 1, "close 1001") == NULL);
      closes += first != NULL;
    }
  g_assert_cmpuint (closes, ==, 2);
}

/* Where a session ended or failed, the band says why (a picture has no
 * pointer to hover with), cut with "…" to its stretch; every band label,
 * bold, lies inside its stretch. */
static void
test_band_says_why (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  static const char message[] = "\"message\":\"The server answered 204 No Content, which tells "
                                "clients to stop reconnecting\"";
  static const char *const words = "Closed: The server answered 204 No Content, which tells "
                                   "clients to stop reconnecting";
  static const int widths[] = { 1000, 300 };

  sonde_event_log_append (log, 16000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":204", 12, NULL, 0);
  sonde_event_log_append (log, 17000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL, 0,
                          message, sizeof message - 1, NULL, 0);
  summary = sonde_timeline_summary_new (log);

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, widths[i], 200);
      SondeTimelineOptions options;
      const Drawn *label = NULL;
      const Lane *lane;
      cairo_t *cr = cairo_create (image);

      sonde_timeline_options_init (&options);
      options.to_us = G_USEC_PER_SEC;
      sonde_timeline_render (cr, widths[i], 200, &summary, NULL, 1, &options, frame);
      cairo_destroy (cr);
      cairo_surface_destroy (image);

      lane = &frame->lanes[0];
      for (guint j = 0; j < frame->texts->len; j++)
        if (g_str_has_prefix (g_array_index (frame->texts, Drawn, j).text, "Closed: The server"))
          label = &g_array_index (frame->texts, Drawn, j);
      g_assert_nonnull (label);
      g_test_message ("%d pixels: “%s”", widths[i], label->text);
      if (i == 0)
        g_assert_cmpstr (label->text, ==, words);
      else
        g_assert_true (g_str_has_suffix (label->text, "…"));
      g_assert_cmpfloat (label->rect.x + label->rect.w, <=, lane->band.x + lane->band.w);
    }
}

/* Counts for people, such as a rate scale's top: whole thousands without a
 * decimal, small ones with two digits. */
static void
test_format_count (void)
{
  static const struct
  {
    double      value;
    const char *text;
  } cases[] = {
    { 0, "0" }, { 0.15, "0.15" }, { 1.5, "1.5" }, { 8, "8" }, { 452, "452" },
    { 12345, "12.3 k" }, { 15000, "15 k" }, { 600000, "600 k" }, { 1000000, "1 M" },
    { 1500000, "1.5 M" },
    { 12300000, "12.3 M" }, { 50000000, "50 M" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sonde_timeline_format_count (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* A burst just before the session's end reads as the same burst anywhere
 * else: the window there, cut at the end, was the narrowest of the graph
 * and its rate rose to three times the others', the top of the scale. */
static void
test_rate_end_burst (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  double middle = 0;
  double end = 0;
  const Lane *lane;

  /* One entry every 0.1 s for 12 s, and a burst of ten in 20 ms at 6 s and
   * at the very end. */
  for (gint64 t = 0; t < 12 * G_USEC_PER_SEC; t += 100000)
    {
      append_in (log, t);
      if (t == 6 * G_USEC_PER_SEC)
        for (guint i = 1; i <= 10; i++)
          append_in (log, t + i * 2000);
    }
  for (guint i = 1; i <= 10; i++)
    append_in (log, 12 * G_USEC_PER_SEC + i * 2000);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 12500000, G_MININT64);
  lane = &frame->lanes[0];
  for (guint c = 0; c < lane->n_columns; c++)
    {
      gint64 t = sonde_timeline_frame_x_to_time (frame, frame->plot_x + c + 0.5);

      if (isnan (lane->events[c]))
        continue;
      if (t > 5 * G_USEC_PER_SEC && t < 7 * G_USEC_PER_SEC)
        middle = MAX (middle, lane->events[c]);
      if (t > 11 * G_USEC_PER_SEC)
        end = MAX (end, lane->events[c]);
    }
  g_test_message ("burst in the middle %.1f events/s, at the end %.1f", middle, end);
  g_assert_cmpfloat (middle, >, 0);
  g_assert_cmpfloat (end, <, middle * 1.6);
}

/* A session that fails again and again: the band's "Failed: …" goes where
 * no error's sign is, not under them. */
static void
test_band_label_clear_of_signs (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  static const char error[] = "\"message\":\"Could not connect to 127.0.0.1: Connection refused\","
                              "\"domain\":\"g-io-error-quark\",\"code\":39";
  const Drawn *label = NULL;
  const Lane *lane;
  gint64 t = 0;

  for (guint i = 1; i <= 8; i++)
    {
      t += 300000 * i;
      sonde_event_log_append (log, t, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL, 0, error,
                              sizeof error - 1, NULL, 0);
    }
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 11 * G_USEC_PER_SEC, G_MININT64);
  lane = &frame->lanes[0];
  g_assert_true (lane->sparse);
  for (guint i = 0; i < frame->texts->len; i++)
    if (g_str_has_prefix (g_array_index (frame->texts, Drawn, i).text, "Failed: Could not"))
      label = &g_array_index (frame->texts, Drawn, i);
  g_assert_nonnull (label);
  for (guint i = 0; i < lane->marks->len; i++)
    {
      const Mark *mark = &g_array_index (lane->marks, Mark, i);

      g_assert_true (mark->x + 5 < label->rect.x || mark->x - 5 > label->rect.x + label->rect.w);
    }
}

/* A note near the right edge ends its label at the edge, over its pin,
 * where hanging it wholly left of the pin would meet the label before
 * and leave a bare diamond. */
static void
test_note_at_right_edge (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  static const char *const opens[] = {
    "\"status\":200,\"request_headers\":{\"Last-Event-ID\":\"order-000000000001\"}",
    "\"status\":200,\"request_headers\":{\"Last-Event-ID\":\"order-000000000002\"}",
  };
  const Lane *lane;

  append_in (log, 100000);
  sonde_event_log_append (log, 6000000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          opens[0], strlen (opens[0]), NULL, 0);
  append_in (log, 6100000);
  sonde_event_log_append (log, 9300000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          opens[1], strlen (opens[1]), NULL, 0);
  append_in (log, 9400000);
  summary = sonde_timeline_summary_new (log);
  draw_chart (summary, frame, 1000, 200, 10 * G_USEC_PER_SEC, FALSE);

  lane = &frame->lanes[0];
  g_assert_cmpuint (lane->notes_placed->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const Placed *placed = &g_array_index (lane->notes_placed, Placed, i);
      double pin = sonde_timeline_frame_time_to_x (frame, placed->start_us);

      g_test_message ("note %u: %.0f to %.0f, pin at %.0f", i, placed->rect.x,
                      placed->rect.x + placed->rect.w, pin);
      g_assert_cmpfloat (placed->rect.w, >, 40);
      g_assert_cmpfloat (placed->rect.x, <=, pin + 1);
      g_assert_cmpfloat (placed->rect.x + placed->rect.w, >=, pin);
      g_assert_cmpfloat (placed->rect.x + placed->rect.w, <=, 1000);
    }
  assert_texts_clear (frame, 1000, 200);
}

/* In the window's short chart the rate scale shares the notes' row: how
 * the rates were taken gives way to the notes, whose labels stay words. */
static void
test_scale_gives_way (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = sonde_timeline_frame_new ();
  const Lane *lane;

  sonde_event_log_append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  sonde_event_log_append (log, 1100, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0,
                          "\"ms\":1500", 9, NULL, 0);
  append_in (log, 100000);
  append_in (log, 200000);
  sonde_event_log_append (log, 1200000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200,\"request_headers\":{\"Last-Event-ID\":\"2\"}", 52,
                          NULL, 0);
  append_in (log, 1300000);
  summary = sonde_timeline_summary_new (log);
  draw_chart (summary, frame, 900, 160, 3 * G_USEC_PER_SEC, FALSE);

  lane = &frame->lanes[0];
  g_assert_true (lane->scale_shared);
  g_assert_true (lane->rate_from_gaps);
  g_assert_false (lane->scale_how);
  g_assert_cmpuint (lane->notes_placed->len, ==, 2);
  for (guint i = 0; i < lane->notes_placed->len; i++)
    g_assert_cmpfloat (g_array_index (lane->notes_placed, Placed, i).rect.w, >, 40);
}

/* Zoomed in to 50 ms, where a second of rate window held the whole view
 * and the graph was one flat line: a thousand events a second, then ten
 * thousand, must read as such on either side of the change. */
static void
test_rate_zoomed_in (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  double slow, fast;

  for (gint64 t = 0; t < G_USEC_PER_SEC; t += 1000)
    append_in (log, t);
  for (gint64 t = G_USEC_PER_SEC; t < 2 * G_USEC_PER_SEC; t += 100)
    append_in (log, t);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 980000, 1030000, G_MININT64);
  slow = rate_at (frame, 988000);
  fast = rate_at (frame, 1020000);
  g_test_message ("50 ms: %.0f events/s before, %.0f after, averaged over %" G_GINT64_FORMAT " µs",
                  slow, fast, frame->lanes[0].rate_window_us);
  g_assert_false (frame->lanes[0].rate_from_gaps);
  g_assert_cmpfloat (frame->lanes[0].rate_window_us, <=, 50000 / 4);
  g_assert_cmpfloat (fabs (slow - 1000), <, 300);
  g_assert_cmpfloat (fabs (fast - 10000), <, 3000);
}

/* A silence (a reconnect wait) between two busy stretches has no rate,
 * even where a window widened for a slow stretch would reach across it. */
static void
test_rate_silence (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;

  for (gint64 t = 0; t < G_USEC_PER_SEC; t += 1000)
    append_in (log, t);
  for (gint64 t = 2 * G_USEC_PER_SEC; t < 3 * G_USEC_PER_SEC; t += 1000)
    append_in (log, t);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, G_USEC_PER_SEC / 2, 5 * G_USEC_PER_SEC / 2, G_MININT64);
  g_test_message ("busy %.0f, 100 ms into the silence %.0f, in its middle %.0f events/s",
                  rate_at (frame, 800000), rate_at (frame, 1100000), rate_at (frame, 1500000));
  g_assert_cmpfloat (fabs (rate_at (frame, 800000) - 1000), <, 150);
  g_assert_cmpfloat (rate_at (frame, 1100000), ==, 0);
  g_assert_cmpfloat (rate_at (frame, 1500000), ==, 0);
  g_assert_cmpfloat (rate_at (frame, 1900000), ==, 0);
}

/* Zoomed in on a few entries (a millisecond), each column shows one
 * entry over the time since the one before it. */
static void
test_rate_from_gaps (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  static const gint64 times[] = { 0, 1000, 1200, 2000, 3000 };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      append_in (log, times[i]);
      /* Sonde's own entries are no traffic, as in the windows' counts. */
      sonde_event_log_append (log, times[i] + 50, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                              NULL, 0, "\"message\":\"x\"", 13, NULL, 0);
    }
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 900, 2100, G_MININT64);
  g_assert_true (frame->lanes[0].rate_from_gaps);
  g_assert_cmpfloat (fabs (rate_at (frame, 950) - 1000), <, 1e-6);
  g_assert_cmpfloat (fabs (rate_at (frame, 1100) - 5000), <, 1e-6);
  g_assert_cmpfloat (fabs (rate_at (frame, 1600) - 1250), <, 1e-6);
  g_assert_cmpfloat (fabs (rate_at (frame, 2050) - 1000), <, 1e-6);
  g_assert_cmpfloat (frame->lanes[0].max_events, ==, 5000);
}

/* Following a live stream, the rate at the live edge is the stream's, not
 * half of it (a window half in the future), and there is none beyond it. */
static void
test_rate_live_edge (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(SondeTimelineFrame) frame = NULL;
  double edge;

  for (gint64 t = 0; t < 10 * G_USEC_PER_SEC; t += 1000)
    append_in (log, t);
  summary = sonde_timeline_summary_new (log);
  frame = draw_range (summary, 0, 12 * G_USEC_PER_SEC, 10 * G_USEC_PER_SEC);
  edge = rate_at (frame, 10 * G_USEC_PER_SEC - 20000);
  g_test_message ("at the live edge: %.0f events/s", edge);
  g_assert_cmpfloat (fabs (edge - 1000), <, 150);
  g_assert_true (isnan (rate_at (frame, 11 * G_USEC_PER_SEC)));
  g_assert_cmpfloat (fabs (frame->lanes[0].max_events - 1000), <, 150);
}

/* The range under a picture: as many decimals as tell its ends apart. */
static void
test_format_range (void)
{
  static const struct
  {
    gint64      from_us, to_us;
    const char *from, *to;
  } cases[] = {
    { 0, 62521000, "0.000", "62.521" },
    { 3170000, 3220000, "3.1700", "3.2200" },
    { 3207500, 3208500, "3.20750", "3.20850" },
    { 3208000, 3208050, "3.208000", "3.208050" },
    { 5, 5, "0.000005", "0.000005" },
    { -1500000, 1500000, "-1.500", "1.500" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char from[32];
      char to[32];

      sonde_timeline_format_range (cases[i].from_us, cases[i].to_us, from, to, sizeof from);
      g_assert_cmpstr (from, ==, cases[i].from);
      g_assert_cmpstr (to, ==, cases[i].to);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/timeline-render/pixels-match-paths", test_pixels_match_paths);
  g_test_add_func ("/sonde/timeline-render/hidpi", test_hidpi);
  g_test_add_func ("/sonde/timeline-render/frame-reuse", test_frame_reuse);
  g_test_add_func ("/sonde/timeline-render/note-leaves-scale", test_note_leaves_scale);
  g_test_add_func ("/sonde/timeline-render/heading-fits", test_heading_fits);
  g_test_add_func ("/sonde/timeline-render/scale-gives-way", test_scale_gives_way);
  g_test_add_func ("/sonde/timeline-render/rate-zoomed-in", test_rate_zoomed_in);
  g_test_add_func ("/sonde/timeline-render/rate-silence", test_rate_silence);
  g_test_add_func ("/sonde/timeline-render/rate-from-gaps", test_rate_from_gaps);
  g_test_add_func ("/sonde/timeline-render/rate-live-edge", test_rate_live_edge);
  g_test_add_func ("/sonde/timeline-render/format-range", test_format_range);
  g_test_add_func ("/sonde/timeline-render/band-wait-words", test_band_wait_words);
  g_test_add_func ("/sonde/timeline-render/no-rate-no-scale", test_no_rate_no_scale);
  g_test_add_func ("/sonde/timeline-render/rate-sparse", test_rate_sparse);
  g_test_add_func ("/sonde/timeline-render/axis-labels-even", test_axis_labels_even);
  g_test_add_func ("/sonde/timeline-render/small-pictures", test_small_pictures);
  g_test_add_func ("/sonde/timeline-render/scale-in-legend", test_scale_in_legend);
  g_test_add_func ("/sonde/timeline-render/short-chart-rate", test_short_chart_rate);
  g_test_add_func ("/sonde/timeline-render/slow-marks-apart", test_slow_marks_apart);
  g_test_add_func ("/sonde/timeline-render/notes-together", test_notes_together);
  g_test_add_func ("/sonde/timeline-render/close-note", test_close_note);
  g_test_add_func ("/sonde/timeline-render/joined-note-leaves-next", test_joined_note_leaves_next);
  g_test_add_func ("/sonde/timeline-render/rates-how-several-lanes", test_rates_how_several_lanes);
  g_test_add_func ("/sonde/timeline-render/resume-after-close-one-row",
                   test_resume_after_close_one_row);
  g_test_add_func ("/sonde/timeline-render/band-says-why", test_band_says_why);
  g_test_add_func ("/sonde/timeline-render/format-count", test_format_count);
  g_test_add_func ("/sonde/timeline-render/rate-end-burst", test_rate_end_burst);
  g_test_add_func ("/sonde/timeline-render/note-at-right-edge", test_note_at_right_edge);
  g_test_add_func ("/sonde/timeline-render/band-label-clear-of-signs",
                   test_band_label_clear_of_signs);

  return g_test_run ();
}

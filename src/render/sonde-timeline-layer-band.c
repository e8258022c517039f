/* sonde-timeline-layer-band.c: the connection band, each state in its colour and pattern
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry-text.h"
#include "sonde-timeline-render-private.h"

/* A state's label starts this far into its stretch of the band. */
#define LABEL_INSET 9

/**
 * sonde_connection_state_get_label:
 *
 * Returns: @state in one translated word ("Open", "Reconnecting"), as the
 *   timeline's legend and the tabs' accessible names say it; a wait is named
 *   as the band, the list's reconnect row and the status line tell it
 *   ("Reconnecting in 1.5 s"), not by a word of its own
 */
const char *
sonde_connection_state_get_label (SondeConnectionState state)
{
  switch (state)
    {
    case SONDE_CONNECTION_CONNECTING: return C_("connection state", "Connecting");
    case SONDE_CONNECTION_OPEN: return C_("connection state", "Open");
    case SONDE_CONNECTION_WAITING: return C_("connection state", "Reconnecting");
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
void
sonde_timeline_paint_state (Painter              *p,
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

/* Where the session stands: now while it is live, else its last entry. */
gint64
sonde_timeline_session_end (SondeTimelineFrame   *frame,
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

/* Where a label may go in @placed's stretch: the widest part of it free of
 * Sonde's own entries drawn on the band (each error of a failed session
 * that keeps trying), which a label would run under; its start in @from.
 * The mark at the stretch's very start is cleared by the label's inset. */
static double
label_room (const Lane   *lane,
            const Placed *placed,
            double       *from)
{
  double end = placed->rect.x + placed->rect.w;
  double start = placed->rect.x;
  double widest = 0;

  *from = start;
  if (!lane->sparse || lane->marks == NULL)
    return placed->rect.w;
  /* Marks are in time order. */
  for (guint i = 0; i <= lane->marks->len; i++)
    {
      const Mark *mark = i < lane->marks->len ? &g_array_index (lane->marks, Mark, i) : NULL;
      double stop = end;

      if (mark != NULL)
        {
          if (mark->direction != SONDE_DIRECTION_LOCAL || mark->x <= placed->rect.x + 4)
            continue;
          if (mark->x - 6 >= end)
            mark = NULL;
          else
            stop = mark->x - 6;
        }
      if (stop - start > widest)
        {
          widest = stop - start;
          *from = start;
        }
      if (mark == NULL)
        break;
      start = mark->x + 6;
    }
  return widest;
}

/* A picture is read without a pointer to hover with: where a session
 * ended or failed, the band says why, as far as there is room (“Closed: The
 * server answered 204 No Content, which tells…”), or its state alone. */
static char *
ended_label (Painter              *p,
             SondeConnectionState  state,
             const char           *reason,
             double                room)
{
  const char *word = sonde_connection_state_get_label (state);
  g_autofree char *printable = sonde_timeline_ellipsize (reason, 200);
  glong chars = g_utf8_strlen (printable, -1);

  /* A few tries at fewer characters, each guessed from the last width. */
  for (guint tries = 0; tries < 6 && chars >= 12; tries++)
    {
      g_autofree char *cut = sonde_timeline_ellipsize (printable, (guint)chars);
      /* Translators: in the connection band: a state and why, such as
       * “Closed: The server ended the stream” */
      g_autofree char *label = g_strdup_printf (C_("connection band", "%s: %s"), word, cut);
      double w = sonde_timeline_text_measure (p, label, state != SONDE_CONNECTION_CLOSED);

      if (w <= room)
        return g_steal_pointer (&label);
      chars = MIN (chars - 1, (glong)(chars * room / w));
    }
  return g_strdup (word);
}

void
sonde_timeline_draw_band (Painter *p,
                          Lane    *lane)
{
  const SondeTimelineSegment *segments;
  gint64 end = sonde_timeline_session_end (p->frame, lane->summary);
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
    sonde_timeline_spans_init (&slivers[state], 0);
  for (guint i = 0; i < lane->segments_placed->len; i++)
    {
      const Placed *placed = &g_array_index (lane->segments_placed, Placed, i);

      if (placed->rect.w < 4 && placed->state != SONDE_CONNECTION_CLOSED)
        spans_add (&slivers[placed->state], placed->rect.x, placed->rect.y, placed->rect.w,
                   placed->rect.h);
    }
  for (guint state = 0; state < G_N_ELEMENTS (slivers); state++)
    {
      sonde_timeline_spans_paint (p, &slivers[state], &p->palette->band[state], 1.0);
      sonde_timeline_spans_clear (&slivers[state]);
    }

  for (guint i = 0; i < lane->segments_placed->len; i++)
    {
      const Placed *placed = &g_array_index (lane->segments_placed, Placed, i);
      g_autofree char *label = NULL;
      double room;
      double from;
      double w;

      if (placed->rect.w >= 4 || placed->state == SONDE_CONNECTION_CLOSED)
        sonde_timeline_paint_state (p, placed->state, &placed->rect);
      if (placed->rect.w < 30)
        continue;
      room = label_room (lane, placed, &from);

      if (placed->state == SONDE_CONNECTION_WAITING && segments[placed->index].delay_ms > 0)
        {
          char text[SONDE_ENTRY_TEXT_SHORT_SIZE];

          char delay[32];

          /* In the words of the list's reconnect row and the status line;
           * where they have no room, fewer of them, then the delay alone. */
          sonde_entry_text_format_reconnect (segments[placed->index].delay_ms,
                                             segments[placed->index].attempt, text, sizeof text);
          sonde_entry_text_format_delay (segments[placed->index].delay_ms, delay, sizeof delay);
          if (sonde_timeline_text_measure (p, text, TRUE) + 8 > room)
            /* Translators: in the connection band where “Reconnecting in 1.5 s (attempt 2)”
             * has no room: the start of it */
            g_snprintf (text, sizeof text, C_("connection band", "Reconnecting in %s"), delay);
          if (sonde_timeline_text_measure (p, text, TRUE) + 8 > room)
            g_strlcpy (text, delay, sizeof text);
          label = g_strdup (text);
        }
      else if ((placed->state == SONDE_CONNECTION_CLOSED ||
                placed->state == SONDE_CONNECTION_FAILED) && segments[placed->index].reason != NULL)
        label = ended_label (p, placed->state, segments[placed->index].reason, room - 8);
      else
        label = g_strdup (sonde_connection_state_get_label (placed->state));

      w = sonde_timeline_text_measure (p, label, placed->state != SONDE_CONNECTION_CLOSED);
      if (w + 8 <= room && p->line_h <= placed->rect.h + 2)
        {
          const Colour *ink = placed->state == SONDE_CONNECTION_CLOSED ? &p->palette->dim
                                                                       : &p->palette->band_ink[placed->state];
          /* Clear of the mark that often starts a stretch (the error or the
           * reconnect on the band), where there is room. */
          double inset = w + 2 * LABEL_INSET <= room ? LABEL_INSET : 4;

          sonde_timeline_text_draw (p, label, from + inset,
                                    placed->rect.y + (placed->rect.h - p->line_h) / 2, ink,
                                    placed->state != SONDE_CONNECTION_CLOSED);
        }
    }
}

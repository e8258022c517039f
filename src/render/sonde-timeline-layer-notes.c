/* sonde-timeline-layer-notes.c: the timeline's notes, where recovery is decided, and its cursor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "sonde-ws-frame.h"
#include "sonde-timeline-render-private.h"

char *
sonde_timeline_note_label (const SondeTimelineNote *note)
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
      value = sonde_timeline_ellipsize (note->value, NOTE_LABEL_CHARS - 15);
      return g_strdup_printf ("Last-Event-ID: %s", value);

    case SONDE_TIMELINE_NOTE_RESUME_MESSAGE:
      value = sonde_timeline_ellipsize (note->value, NOTE_LABEL_CHARS - 8);
      /* Translators: a WebSocket message sent to resume a stream after a reconnect */
      return g_strdup_printf (_("resume: %s"), value);

    case SONDE_TIMELINE_NOTE_RESUME_QUERY:
      value = sonde_timeline_ellipsize (note->value, NOTE_LABEL_CHARS - 9);
      /* Translators: query parameters added to resume a stream after a reconnect */
      return g_strdup_printf (_("resume: ?%s"), value);

    case SONDE_TIMELINE_NOTE_CLOSE_CODE:
    default:
      {
        char *end = NULL;
        guint64 code = g_ascii_strtoull (note->value, &end, 10);

        /* The peer's own reason says more than the code's name ("private
         * use" for every 4000 code). */
        if (end != NULL && *end == ' ' && end[1] != '\0')
          {
            value = sonde_timeline_ellipsize (end + 1, NOTE_LABEL_CHARS - 8);
            /* Translators: a WebSocket close code and the reason the peer gave, such as
             * “close 4001 “going away for maintenance”” */
            return g_strdup_printf (_("close %u “%s”"), (guint)MIN (code, G_MAXUINT), value);
          }
        /* Translators: a WebSocket close code and its name, such as “close 1001 Going Away” */
        return g_strdup_printf (_("close %u %s"), (guint)MIN (code, G_MAXUINT),
                                sonde_ws_close_code_describe ((guint)MIN (code, G_MAXUINT)));
      }
    }
}

/* The label of notes [@from, @to], which fall in one pixel column (a
 * reconnect's Last-Event-ID and the retry: that came with it, two retry:
 * fields in a row): all of them, joined, but of several retry: fields only
 * the last, which set the delay the next wait takes. */
static char *
group_label (const SondeTimelineNote *notes,
             guint                    from,
             guint                    to)
{
  GString *label = g_string_new (NULL);

  for (guint i = from; i <= to; i++)
    {
      g_autofree char *one = NULL;
      gboolean later_retry = FALSE;

      for (guint j = i + 1; j <= to && notes[i].kind == SONDE_TIMELINE_NOTE_RETRY; j++)
        later_retry = later_retry || notes[j].kind == SONDE_TIMELINE_NOTE_RETRY;
      if (later_retry)
        continue;
      one = sonde_timeline_note_label (&notes[i]);
      /* A close frame and its echo: one "close 1000". */
      if (label->len > 0 && (g_str_equal (label->str, one) || g_str_has_suffix (label->str, one)))
        continue;
      if (label->len > 0)
        g_string_append (label, " · ");
      g_string_append (label, one);
    }
  return g_string_free (label, FALSE);
}

void
sonde_timeline_draw_notes (Painter *p,
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
  sonde_timeline_spans_init (&pins, 2);
  for (guint i = first; i < end; i++)
    spans_add (&pins, floor (time_x (frame, notes[i].time_us)), round (pin_top), 1,
               round (lane->band.y) - round (pin_top));
  sonde_timeline_spans_paint (p, &pins, &p->palette->note, 0.55);
  sonde_timeline_spans_clear (&pins);

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
      guint last = i;
      guint same_column;

      /* Notes in one pixel column share one label. */
      while (last + 1 < end && floor (time_x (frame, notes[last + 1].time_us)) + 0.5 == x)
        last++;
      same_column = last;

      /* Words only where a row has room for them: no label is even
       * measured where notes crowd. */
      for (guint row = 0; row < rows; row++)
        room = room || x >= row_end[row] + 4 || x >= lane->notes.x + lane->notes.w - 60 ||
               (row == scale_row && row_end[row] == scale_end - 4 && x < scale_end);
      if (room)
        {
          g_autofree char *label = group_label (notes, i, last);
          double w = sonde_timeline_text_width (p, label) + 8;

          double own_end = x + w + 4;

          /* With one row, a note whose pin falls under this note's own
           * label (a resume just after a close) would have no room of its
           * own, and be a bare diamond: it joins the label, in time order. */
          while (rows == 1 && last + 1 < end && time_x (frame, notes[last + 1].time_us) < own_end)
            {
              guint next = last + 1;
              g_autofree char *joined = NULL;
              double joined_w;
              double left;

              while (next + 1 < end && floor (time_x (frame, notes[next + 1].time_us)) ==
                                       floor (time_x (frame, notes[last + 1].time_us)))
                next++;
              joined = group_label (notes, i, next);
              joined_w = sonde_timeline_text_width (p, joined) + 8;
              left = MIN (x, lane->notes.x + lane->notes.w - joined_w);
              /* Only where the whole fits in the row, over the pins it
               * names (hung left at the right edge, as any label), and
               * leaves the next note's pin clear for its own label:
               * otherwise the first note keeps its label and the next its
               * diamond. */
              if (left < MAX (row_end[0] + 4, lane->notes.x) ||
                  left > time_x (frame, notes[next].time_us) ||
                  (next + 1 < end && left + joined_w + 4 > time_x (frame, notes[next + 1].time_us)))
                break;
              g_free (label);
              label = g_steal_pointer (&joined);
              w = joined_w;
              last = next;
            }

          for (guint row = 0; row < rows && !placed; row++)
            {
              /* Labels hang right of their pin; at the right edge they end
               * there, still over their pin (hanging left of it wholly left
               * less room after the label before). */
              double left = x + w <= lane->notes.x + lane->notes.w ? x
                                                                   : lane->notes.x + lane->notes.w - w;
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
              sonde_timeline_text_draw (p, label, left + 4, box.rect.y + 1.5, &p->palette->text,
                                        FALSE);
              for (guint j = i; j <= last; j++)
                {
                  box.index = j;
                  box.start_us = box.end_us = notes[j].time_us;
                  g_array_append_val (lane->notes_placed, box);
                }
              row_end[row] = left + w;
              placed = TRUE;
            }
        }

      if (!placed)
        {
          /* A label that took the notes after it in, but found no place,
           * gives them back: each has its own chance. */
          last = same_column;
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
          for (guint j = i; j <= last; j++)
            {
              box.index = j;
              box.start_us = box.end_us = notes[j].time_us;
              g_array_append_val (lane->notes_placed, box);
            }
        }
      i = last;
    }
  /* The diamonds in one fill, after the labels: one path, however many. */
  for (guint i = 0; i + 1 < diamonds->len; i += 2)
    sonde_timeline_mark_head (cr, SONDE_ENTRY_CATEGORY_LIFECYCLE,
                              g_array_index (diamonds, double, i),
                              g_array_index (diamonds, double, i + 1), 3.5);
  set_colour (cr, &p->palette->note, 0.9);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
sonde_timeline_draw_cursor (Painter *p)
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

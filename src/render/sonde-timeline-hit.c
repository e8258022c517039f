/* sonde-timeline-hit.c: what lies under the pointer on the timeline, and the timeline in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry.h"
#include "sonde-entry-text.h"
#include "sonde-ws-frame.h"
#include "sonde-timeline-render-private.h"

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
  g_autofree char *time = sonde_timeline_format_time (frame, view->time_us);

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

        from = sonde_timeline_format_time (frame, start);
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
        g_autofree char *from = sonde_timeline_format_time (frame, placed->start_us);
        g_autofree char *to = sonde_timeline_format_time (frame, placed->end_us);
        char span[32];
        guint n;

        segments = sonde_timeline_summary_get_segments (lane->summary, &n);
        segment = &segments[placed->index];
        sonde_timeline_format_duration (placed->end_us - placed->start_us, span, sizeof span);
        if (placed->state == SONDE_CONNECTION_WAITING)
          {
            char wait[SONDE_ENTRY_TEXT_SHORT_SIZE];

            /* As the list's reconnect row and the status line say it. */
            sonde_entry_text_format_reconnect (segment->delay_ms, segment->attempt, wait,
                                               sizeof wait);
            g_string_append (text, wait);
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
        g_autofree char *time = sonde_timeline_format_time (frame, note->time_us);
        g_autofree char *value = sonde_timeline_ellipsize (note->value, 400);

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
              guint64 code = g_ascii_strtoull (note->value, NULL, 10);

              /* Translators: a close code and its reason as the peer wrote it */
              g_string_append_printf (text, _("Closed with code %s"), value);
              g_string_append_printf (text, " (%s)",
                                      sonde_ws_close_code_describe ((guint)MIN (code, G_MAXUINT)));
            }
            break;
          }
        g_string_append_printf (text, "\n#%" G_GUINT64_FORMAT " · %s", note->seq, time);
      }
      break;

    case SONDE_TIMELINE_HIT_RATE:
      {
        g_autofree char *events = NULL;
        g_autofree char *bytes = NULL;
        g_autofree char *at = sonde_timeline_format_time (frame, hit->time_us);
        char window[32];

        /* Before the session, after it, or in a gap with no end yet. */
        if (isnan (lane->events[hit->index]))
          return NULL;
        events = sonde_timeline_format_event_rate (lane->events[hit->index]);
        bytes = sonde_timeline_format_byte_rate (lane->bytes[hit->index]);
        if (lane->rate_from_gaps)
          {
            sonde_timeline_format_duration (lane->windows_us[hit->index], window, sizeof window);
            /* Translators: the rate graph at one point, zoomed in on a few entries: the rates of
             * events and bytes (“12 events/s”, “1.2 kB/s”), the time, and the gap between two
             * entries they come from */
            g_string_append_printf (text, _("%s, %s around %s (one entry %s after the one "
                                            "before)"), events, bytes, at, window);
            break;
          }
        sonde_timeline_format_duration (lane->windows_us[hit->index], window, sizeof window);
        /* Translators: the rate graph at one point: the rates of events and bytes (“12 events/s”,
         * “1.2 kB/s”), the time and over how long */
        g_string_append_printf (text, _("%s, %s around %s (over %s)"), events, bytes, at, window);
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
  from = sonde_timeline_format_time (frame, options->from_us);
  to = sonde_timeline_format_time (frame, options->to_us);
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

/* sonde-timeline-axis.c: where a time axis puts its ticks, and what their labels say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-timeline-axis.h"

#define MINUTE  (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR    (60 * MINUTE)
#define DAY     (24 * HOUR)

/* Steps people count in: 1-2-5 below a second, then the clock's own. */
static const struct
{
  gint64 step;
  guint  minor;
} steps[] = {
  { 1, 1 }, { 2, 2 }, { 5, 5 },
  { 10, 5 }, { 20, 4 }, { 50, 5 },
  { 100, 5 }, { 200, 4 }, { 500, 5 },
  { 1000, 5 }, { 2000, 4 }, { 5000, 5 },
  { 10000, 5 }, { 20000, 4 }, { 50000, 5 },
  { 100000, 5 }, { 200000, 4 }, { 500000, 5 },
  { G_USEC_PER_SEC, 5 }, { 2 * G_USEC_PER_SEC, 4 }, { 5 * G_USEC_PER_SEC, 5 },
  { 10 * G_USEC_PER_SEC, 5 }, { 15 * G_USEC_PER_SEC, 3 }, { 30 * G_USEC_PER_SEC, 3 },
  { MINUTE, 4 }, { 2 * MINUTE, 4 }, { 5 * MINUTE, 5 },
  { 10 * MINUTE, 5 }, { 15 * MINUTE, 3 }, { 30 * MINUTE, 3 },
  { HOUR, 4 }, { 2 * HOUR, 4 }, { 3 * HOUR, 3 }, { 6 * HOUR, 6 }, { 12 * HOUR, 4 },
  { DAY, 4 }, { 2 * DAY, 2 }, { 7 * DAY, 7 }, { 14 * DAY, 2 }, { 28 * DAY, 4 },
  { 91 * DAY, 13 }, { 364 * DAY, 4 },
};

guint
sonde_timeline_ticks_n_steps (void)
{
  return G_N_ELEMENTS (steps);
}

gint64
sonde_timeline_ticks_step (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (steps), 0);

  return steps[i].step;
}

/* @a / @b rounded down, for times before the session's start too. */
gint64
sonde_timeline_floor_div (gint64 a,
                          gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/**
 * sonde_timeline_ticks_init:
 * @step_index: which step, below sonde_timeline_ticks_n_steps()
 * @clock_origin: for clock time, from sonde_entry_text_clock_origin()
 *
 * Ticks for [@from_us, @to_us). With clock time, ticks fall on round times
 * of day (a tick every 15 minutes is at :00, :15, :30 and :45), otherwise
 * on round times since the session started.
 */
void
sonde_timeline_ticks_init (SondeTimelineTicks *ticks,
                           gint64              from_us,
                           gint64              to_us,
                           guint               step_index,
                           SondeTimeFormat     format,
                           gint64              clock_origin)
{
  gint64 step;

  g_return_if_fail (ticks != NULL);
  g_return_if_fail (step_index < G_N_ELEMENTS (steps));

  step = steps[step_index].step;
  ticks->step_us = step;
  ticks->minor_us = step / steps[step_index].minor;
  ticks->format = format;
  ticks->clock_origin = clock_origin;
  ticks->origin_us = format == SONDE_TIME_FORMAT_CLOCK ? -clock_origin : 0;
  ticks->first_us = (sonde_timeline_floor_div (from_us - ticks->origin_us - 1, step) + 1) * step +
                    ticks->origin_us;
  ticks->span_us = MAX (ABS (from_us), ABS (to_us));

  ticks->decimals = 0;
  for (gint64 unit = G_USEC_PER_SEC; step % unit != 0 && ticks->decimals < 6; unit /= 10)
    ticks->decimals++;
}

static void
append_fraction (GString *out,
                 gint64   us,
                 guint    decimals)
{
  gint64 fraction = us % G_USEC_PER_SEC;

  if (decimals == 0)
    return;
  for (guint i = decimals; i < 6; i++)
    fraction /= 10;
  g_string_append_printf (out, ".%0*" G_GINT64_FORMAT, (int)decimals, fraction);
}

/**
 * sonde_timeline_ticks_format:
 *
 * A tick's label, as precise as the step: relative time reads "12.5 s",
 * "1:05" or "1:02:30" (hours and minutes only when the range reaches them),
 * clock time "14:30", "14:30:05" or "14:30:05.250". Decimals use a dot, as
 * the event list's time column does.
 *
 * Returns: the length of the label
 */
gsize
sonde_timeline_ticks_format (const SondeTimelineTicks *ticks,
                             gint64                    time_us,
                             char                     *buf,
                             gsize                     size)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (ticks != NULL, 0);
  g_return_val_if_fail (buf != NULL && size > 0, 0);

  if (ticks->format == SONDE_TIME_FORMAT_CLOCK)
    {
      gint64 t = ((ticks->clock_origin + time_us) % DAY + DAY) % DAY;

      g_string_append_printf (out, "%02d:%02d", (int)(t / HOUR), (int)(t / MINUTE % 60));
      if (ticks->step_us % MINUTE != 0)
        {
          g_string_append_printf (out, ":%02d", (int)(t / G_USEC_PER_SEC % 60));
          append_fraction (out, t, ticks->decimals);
        }
    }
  else
    {
      gint64 t = ABS (time_us);

      if (time_us < 0)
        g_string_append (out, "−");
      if (ticks->span_us >= HOUR)
        g_string_append_printf (out, "%d:%02d:%02d", (int)(t / HOUR), (int)(t / MINUTE % 60),
                                (int)(t / G_USEC_PER_SEC % 60));
      else if (ticks->span_us >= MINUTE)
        g_string_append_printf (out, "%d:%02d", (int)(t / MINUTE), (int)(t / G_USEC_PER_SEC % 60));
      else
        g_string_append_printf (out, "%d", (int)(t / G_USEC_PER_SEC));
      append_fraction (out, t, ticks->decimals);
      if (ticks->span_us < MINUTE)
        /* Translators: a time axis label in seconds, such as “12.5 s” */
        g_string_append (out, C_("time axis", " s"));
    }

  g_strlcpy (buf, out->str, size);
  return MIN (out->len, size - 1);
}

/**
 * sonde_timeline_format_duration:
 *
 * A length of time for people, to two significant units or digits:
 * "350 µs", "16 ms", "1.5 s", "2 min 30 s", "1 h 5 min".
 *
 * Returns: the length of the text
 */
gsize
sonde_timeline_format_duration (gint64  us,
                                char   *buf,
                                gsize   size)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (buf != NULL && size > 0, 0);

  us = ABS (us);
  if (us < 1000)
    text = g_strdup_printf (C_("duration", "%d µs"), (int)us);
  else if (us < 10000)
    text = g_strdup_printf (C_("duration", "%.1f ms"), us / 1000.0);
  else if (us < G_USEC_PER_SEC)
    text = g_strdup_printf (C_("duration", "%d ms"), (int)((us + 500) / 1000));
  else if (us < 10 * G_USEC_PER_SEC)
    text = g_strdup_printf (C_("duration", "%.1f s"), us / (double)G_USEC_PER_SEC);
  else if (us < MINUTE)
    text = g_strdup_printf (C_("duration", "%d s"), (int)((us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC));
  else if (us < HOUR)
    {
      gint64 s = (us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;

      if (s % 60 == 0)
        text = g_strdup_printf (C_("duration", "%d min"), (int)(s / 60));
      else
        text = g_strdup_printf (C_("duration", "%d min %d s"), (int)(s / 60), (int)(s % 60));
    }
  else
    {
      gint64 m = (us + MINUTE / 2) / MINUTE;

      if (m % 60 == 0)
        text = g_strdup_printf (C_("duration", "%d h"), (int)(m / 60));
      else
        text = g_strdup_printf (C_("duration", "%d h %d min"), (int)(m / 60), (int)(m % 60));
    }

  g_strlcpy (buf, text, size);
  return MIN (strlen (text), size - 1);
}

/**
 * sonde_timeline_format_range:
 * @from: (out caller-allocates): @from_us in seconds
 * @to: (out caller-allocates): @to_us in seconds
 *
 * The ends of a range in seconds, with as many decimals as tell them apart:
 * three (milliseconds) for a range of a second or more, up to six
 * (microseconds) for a range of a few of them, so that a picture of one
 * millisecond does not read "from 3.208 s to 3.208 s".
 */
void
sonde_timeline_format_range (gint64  from_us,
                             gint64  to_us,
                             char   *from,
                             char   *to,
                             gsize   size)
{
  gint64 span = MAX (1, to_us - from_us);
  gint64 unit = 1000;   /* the last decimal's worth, in µs */
  int decimals = 3;
  char format[8];

  g_return_if_fail (from != NULL && to != NULL && size > 0);

  /* A hundred of the last decimal's units in the span, at least. */
  while (decimals < 6 && span < 100 * unit)
    {
      decimals++;
      unit /= 10;
    }
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (from, size, format, from_us / (double)G_USEC_PER_SEC);
  g_ascii_formatd (to, size, format, to_us / (double)G_USEC_PER_SEC);
}

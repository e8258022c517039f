/* flood-pace.h: how fast and how long the flood servers write, shared by both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The flood servers take [RATE [SECONDS]] after their other arguments:
 * RATE items a second (0: as fast as the client reads) and SECONDS of
 * writing at most (0: until the count is sent). With SECONDS, the server
 * prints "sent N" once a connection is done, so a benchmark can tell how
 * many items its client must have.
 */

#pragma once

#include <stdio.h>

#include <glib.h>

typedef struct
{
  guint64 rate;
  gint64  start_us;
  gint64  end_us;     /* 0: no time limit */
} FloodPace;

static inline void
flood_pace_parse (FloodPace  *pace,
                  int         argc,
                  char      **argv,
                  int         first)
{
  pace->rate = argc > first ? g_ascii_strtoull (argv[first], NULL, 10) : 0;
  pace->end_us = argc > first + 1 ?
    (gint64)(g_ascii_strtod (argv[first + 1], NULL) * G_USEC_PER_SEC) : 0;
}

static inline void
flood_pace_start (FloodPace *pace)
{
  pace->start_us = g_get_monotonic_time ();
}

/* Called before writing the next batch, with how many items went out so far:
 * sleeps until the rate allows them, and says FALSE once the time is up. */
static inline gboolean
flood_pace_next (FloodPace *pace,
                 guint64    sent)
{
  gint64 elapsed = g_get_monotonic_time () - pace->start_us;

  if (pace->end_us > 0 && elapsed >= pace->end_us)
    return FALSE;
  if (pace->rate > 0)
    {
      gint64 due = (gint64)((double)sent * G_USEC_PER_SEC / (double)pace->rate);

      if (due > elapsed)
        g_usleep ((gulong)(due - elapsed));
    }
  return TRUE;
}

static inline void
flood_pace_report (FloodPace *pace,
                   guint64    sent)
{
  if (pace->end_us > 0)
    {
      g_print ("sent %" G_GUINT64_FORMAT "\n", sent);
      fflush (stdout);
    }
}

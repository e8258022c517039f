/* sonde-timeline-axis.h: where a time axis puts its ticks, and what their labels say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-entry-text.h"

G_BEGIN_DECLS

/* Labelled ticks every step_us, unlabelled ones every minor_us, aligned to
 * the clock when labels show the time of day. */
typedef struct
{
  gint64          first_us;    /* the first labelled tick at or after the range's start */
  gint64          step_us;
  gint64          minor_us;
  guint           decimals;    /* digits after the seconds */
  gint64          origin_us;   /* what a tick time is aligned to: 0, or minus the clock origin */
  SondeTimeFormat format;
  gint64          clock_origin;
  gint64          span_us;     /* the largest time in range, for how many fields to show */
} SondeTimelineTicks;

guint   sonde_timeline_ticks_n_steps (void);
gint64  sonde_timeline_ticks_step    (guint                     i);
void    sonde_timeline_ticks_init    (SondeTimelineTicks       *ticks,
                                      gint64                    from_us,
                                      gint64                    to_us,
                                      guint                     step_index,
                                      SondeTimeFormat           format,
                                      gint64                    clock_origin);
gsize   sonde_timeline_ticks_format  (const SondeTimelineTicks *ticks,
                                      gint64                    time_us,
                                      char                     *buf,
                                      gsize                     size);
gsize   sonde_timeline_format_duration (gint64                  us,
                                        char                   *buf,
                                        gsize                   size);
gint64  sonde_timeline_floor_div      (gint64                   a,
                                       gint64                   b);
void    sonde_timeline_format_range   (gint64                   from_us,
                                       gint64                   to_us,
                                       char                    *from,
                                       char                    *to,
                                       gsize                    size);

G_END_DECLS

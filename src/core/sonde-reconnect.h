/* sonde-reconnect.h: when and how often a dropped connection tries again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SONDE_RECONNECT_NONE,     /* a drop ends the session */
  SONDE_RECONNECT_SPEC,     /* what a browser does: SSE's reconnection time, forever */
  SONDE_RECONNECT_FIXED,    /* the same delay each time */
  SONDE_RECONNECT_BACKOFF,  /* exponential backoff with jitter, a cap and a limit */
} SondeReconnectMode;

typedef struct
{
  SondeReconnectMode mode;
  guint              initial_ms;    /* first delay (fixed, backoff) */
  guint              max_ms;        /* cap on one delay (backoff) */
  double             factor;        /* growth per attempt (backoff) */
  double             jitter;        /* 0..1: each delay is scaled by a random 1±jitter */
  guint              max_attempts;  /* consecutive attempts before giving up; 0: never */
} SondeReconnectPolicy;

void     sonde_reconnect_policy_init_spec (SondeReconnectPolicy       *policy);
gboolean sonde_reconnect_policy_parse     (const char                 *text,
                                           SondeReconnectPolicy       *policy,
                                           GError                    **error);
gboolean sonde_reconnect_policy_next_delay (const SondeReconnectPolicy *policy,
                                            guint                       attempt,
                                            guint                       spec_delay_ms,
                                            double                      random,
                                            guint                      *delay_ms);

G_END_DECLS

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
  guint              max_attempts;  /* reconnects in a row that deliver nothing before
                                     * giving up; 0: never */
} SondeReconnectPolicy;

/* Attempts that deliver nothing must not hammer a server, whatever the
 * policy says (sonde_reconnect_raise_delay()): under `spec`, reconnects that
 * follow nothing delivered wait 1 s, 2, 4, ... up to
 * SONDE_RECONNECT_SPEC_CAP_MS; and an attempt is empty when no event or
 * message came in or when it was open for less than SONDE_RECONNECT_SHORT_MS:
 * after SONDE_RECONNECT_FLOOR_AFTER empty attempts in a row, every policy
 * waits at least SONDE_RECONNECT_FLOOR_MS. */
#define SONDE_RECONNECT_SHORT_MS     1000
#define SONDE_RECONNECT_SPEC_CAP_MS  30000
#define SONDE_RECONNECT_FLOOR_AFTER  4
#define SONDE_RECONNECT_FLOOR_MS     1000

void     sonde_reconnect_policy_init_spec (SondeReconnectPolicy       *policy);
gboolean sonde_reconnect_policy_parse     (const char                 *text,
                                           SondeReconnectPolicy       *policy,
                                           GError                    **error);
gboolean sonde_reconnect_policy_next_delay (const SondeReconnectPolicy *policy,
                                            guint                       attempt,
                                            guint                       spec_delay_ms,
                                            double                      random,
                                            guint                      *delay_ms);
guint    sonde_reconnect_raise_delay       (const SondeReconnectPolicy *policy,
                                            guint                       delay_ms,
                                            guint                       attempt,
                                            guint                       empty_in_row);

G_END_DECLS

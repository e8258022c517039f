/* sonde-reconnect.c: when and how often a dropped connection tries again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-reconnect.h"

void
sonde_reconnect_policy_init_spec (SondeReconnectPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  *policy = (SondeReconnectPolicy) {
    .mode = SONDE_RECONNECT_SPEC,
    .initial_ms = 1000,
    .max_ms = 30000,
    .factor = 2.0,
    .jitter = 0.0,
    .max_attempts = 0,
  };
}

static gboolean
parse_number (const char  *key,
              const char  *value,
              double       min,
              double       max,
              double      *out,
              GError     **error)
{
  char *end = NULL;
  double number = g_ascii_strtod (value, &end);

  if (end == value || *end != '\0' || !isfinite (number) || number < min || number > max)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                   /* Translators: a reconnect option such as “cap=30000” has a bad value */
                   _("“%s=%s” needs a number from %g to %g"), key, value, min, max);
      return FALSE;
    }

  *out = number;
  return TRUE;
}

/**
 * sonde_reconnect_policy_parse:
 * @text: `none`, `spec`, `fixed[:DELAY_MS]` or
 *   `backoff[:initial=MS,cap=MS,factor=X,jitter=X,attempts=N]`
 *
 * Reads a policy as given on the command line.
 */
gboolean
sonde_reconnect_policy_parse (const char            *text,
                              SondeReconnectPolicy  *policy,
                              GError               **error)
{
  g_auto(GStrv) options = NULL;
  const char *colon;
  g_autofree char *mode = NULL;
  SondeReconnectPolicy result;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);

  sonde_reconnect_policy_init_spec (&result);

  colon = strchr (text, ':');
  mode = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);

  if (g_str_equal (mode, "none"))
    result.mode = SONDE_RECONNECT_NONE;
  else if (g_str_equal (mode, "spec"))
    result.mode = SONDE_RECONNECT_SPEC;
  else if (g_str_equal (mode, "fixed"))
    result.mode = SONDE_RECONNECT_FIXED;
  else if (g_str_equal (mode, "backoff"))
    result.mode = SONDE_RECONNECT_BACKOFF;
  else
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                   _("Unknown reconnect policy “%s”; use none, spec, fixed or backoff"), mode);
      return FALSE;
    }

  if (colon != NULL && (result.mode == SONDE_RECONNECT_NONE || result.mode == SONDE_RECONNECT_SPEC))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                   _("The reconnect policy “%s” takes no options"), mode);
      return FALSE;
    }

  if (colon != NULL)
    options = g_strsplit (colon + 1, ",", -1);

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      const char *option = options[i];
      const char *eq = strchr (option, '=');
      g_autofree char *key = NULL;
      double number;

      if (result.mode == SONDE_RECONNECT_FIXED && eq == NULL && i == 0)
        {
          if (!parse_number ("fixed", option, 0, G_MAXINT, &number, error))
            return FALSE;
          result.initial_ms = (guint)number;
          continue;
        }

      if (eq == NULL || result.mode != SONDE_RECONNECT_BACKOFF)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                       _("Cannot read “%s” in the reconnect policy; for example "
                         "backoff:initial=500,cap=30000,factor=2,jitter=0.2,attempts=10 or fixed:2000"),
                       option);
          return FALSE;
        }

      key = g_strndup (option, eq - option);
      if (g_str_equal (key, "initial"))
        {
          if (!parse_number (key, eq + 1, 0, G_MAXINT, &number, error))
            return FALSE;
          result.initial_ms = (guint)number;
        }
      else if (g_str_equal (key, "cap"))
        {
          if (!parse_number (key, eq + 1, 0, G_MAXINT, &number, error))
            return FALSE;
          result.max_ms = (guint)number;
        }
      else if (g_str_equal (key, "factor"))
        {
          if (!parse_number (key, eq + 1, 1, 100, &result.factor, error))
            return FALSE;
        }
      else if (g_str_equal (key, "jitter"))
        {
          if (!parse_number (key, eq + 1, 0, 1, &result.jitter, error))
            return FALSE;
        }
      else if (g_str_equal (key, "attempts"))
        {
          if (!parse_number (key, eq + 1, 0, G_MAXINT, &number, error))
            return FALSE;
          result.max_attempts = (guint)number;
        }
      else
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                       _("Unknown backoff option “%s”; use initial, cap, factor, jitter or attempts"),
                       key);
          return FALSE;
        }
    }

  *policy = result;
  return TRUE;
}

/**
 * sonde_reconnect_policy_next_delay:
 * @attempt: which reconnect this is since the last attempt that delivered
 *   an event or a message, from 1
 * @spec_delay_ms: the transport's own delay (SSE's reconnection time)
 * @random: a number in [0, 1) for the jitter
 * @delay_ms: (out): how long to wait before the attempt
 *
 * Returns: %FALSE when the policy says not to try again
 */
gboolean
sonde_reconnect_policy_next_delay (const SondeReconnectPolicy *policy,
                                   guint                       attempt,
                                   guint                       spec_delay_ms,
                                   double                      random,
                                   guint                      *delay_ms)
{
  double delay;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (attempt >= 1, FALSE);
  g_return_val_if_fail (delay_ms != NULL, FALSE);

  if (policy->max_attempts > 0 && attempt > policy->max_attempts)
    return FALSE;

  switch (policy->mode)
    {
    case SONDE_RECONNECT_NONE:
      return FALSE;

    case SONDE_RECONNECT_SPEC:
      *delay_ms = spec_delay_ms;
      return TRUE;

    case SONDE_RECONNECT_FIXED:
      delay = policy->initial_ms;
      break;

    case SONDE_RECONNECT_BACKOFF:
      delay = policy->initial_ms * pow (policy->factor, (double)(attempt - 1));
      delay = MIN (delay, (double)policy->max_ms);
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  delay *= 1.0 + policy->jitter * (2.0 * random - 1.0);
  if (policy->mode == SONDE_RECONNECT_BACKOFF)
    delay = MIN (delay, (double)policy->max_ms);
  *delay_ms = (guint)CLAMP (delay, 0.0, (double)G_MAXINT);

  return TRUE;
}

/**
 * sonde_reconnect_raise_delay:
 * @delay_ms: what the policy said (sonde_reconnect_policy_next_delay())
 * @attempt: which reconnect this is since an attempt delivered an event or
 *   a message, from 1
 * @empty_in_row: how many attempts in a row, the last one included, were
 *   empty: no event or message came in, or the stream was open for less
 *   than %SONDE_RECONNECT_SHORT_MS
 *
 * A server that answers and hangs up at once, with `retry: 0` or not, would
 * otherwise get a thousand connections a second. Under `spec`, from the
 * second reconnect in a row that follows nothing delivered, the wait is at
 * least 1 s, then 2, 4, ... up to %SONDE_RECONNECT_SPEC_CAP_MS (browsers
 * keep the server's delay for ever). Under every policy, after
 * %SONDE_RECONNECT_FLOOR_AFTER empty attempts in a row, a wait is at least
 * %SONDE_RECONNECT_FLOOR_MS: that also holds for a server that sends one
 * event and hangs up each time.
 *
 * Returns: the delay to wait, never less than @delay_ms
 */
guint
sonde_reconnect_raise_delay (const SondeReconnectPolicy *policy,
                             guint                       delay_ms,
                             guint                       attempt,
                             guint                       empty_in_row)
{
  g_return_val_if_fail (policy != NULL, delay_ms);

  if (policy->mode == SONDE_RECONNECT_SPEC && attempt >= 2)
    {
      guint shift = MIN (attempt - 2, 15u);
      guint grown = MIN ((guint)1000 << shift, (guint)SONDE_RECONNECT_SPEC_CAP_MS);

      delay_ms = MAX (delay_ms, grown);
    }

  if (empty_in_row >= SONDE_RECONNECT_FLOOR_AFTER)
    delay_ms = MAX (delay_ms, (guint)SONDE_RECONNECT_FLOOR_MS);

  return delay_ms;
}

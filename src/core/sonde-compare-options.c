/* sonde-compare-options.c: what a comparison runs on, parsed and judged for the command line and the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "sonde-compare-private.h"
#include "sonde-error.h"

const char * const sonde_compare_transport_names[] = { "sse", "ws", "poll" };

const char *
sonde_compare_transport_name (SondeCompareTransport transport)
{
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return sonde_compare_transport_names[transport];
}

/**
 * sonde_compare_transport_title:
 *
 * Returns: the name people read in a column's title: SSE, WebSocket, Long polling
 */
const char *
sonde_compare_transport_title (SondeCompareTransport transport)
{
  switch (transport)
    {
    case SONDE_COMPARE_SSE: return _("SSE");
    case SONDE_COMPARE_WS: return _("WebSocket");
    case SONDE_COMPARE_POLL: return _("Long polling");
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }
}


void
sonde_compare_options_init (SondeCompareOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (SondeCompareOptions) {
    .duration = 10,
    .drop_every = 0,
    .speed = 1,
    .send_every = 0,
    .transports = (1 << SONDE_COMPARE_N_TRANSPORTS) - 1,
    .ws_deflate = TRUE,
    .ws_resume = TRUE,
  };
}

void
sonde_compare_options_clear (SondeCompareOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_object (&options->recording);
  g_clear_pointer (&options->recording_path, g_free);
  for (guint i = 0; i < SONDE_COMPARE_N_TRANSPORTS; i++)
    g_clear_pointer (&options->urls[i], g_free);
}

/**
 * sonde_compare_parse_transports:
 * @text: names separated by commas: sse, ws, poll
 *
 * Returns: whether @text names one or more transports, each once
 */
gboolean
sonde_compare_parse_transports (const char  *text,
                                guint       *transports,
                                GError     **error)
{
  g_auto(GStrv) names = NULL;
  guint set = 0;

  g_return_val_if_fail (text != NULL && transports != NULL, FALSE);

  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      guint t;

      for (t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (g_str_equal (name, sonde_compare_transport_names[t]))
          break;
      if (t == SONDE_COMPARE_N_TRANSPORTS || (set & (1u << t)) != 0)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       /* Translators: %s is what the user wrote; keep sse, ws and poll as they are */
                       _("“%s” is not a list of transports: name each of sse, ws and poll at most "
                         "once, separated by commas"), text);
          return FALSE;
        }
      set |= 1u << t;
    }
  if (set == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("Name at least one transport: sse, ws or poll"));
      return FALSE;
    }
  *transports = set;
  return TRUE;
}

gboolean
sonde_compare_parse_format (const char         *text,
                            SondeCompareFormat *format)
{
  static const char * const names[] = { "text", "markdown", "csv", "json" };

  g_return_val_if_fail (text != NULL && format != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (text, names[i]))
        {
          *format = (SondeCompareFormat)i;
          return TRUE;
        }
    }
  return FALSE;
}

/* @text as a URL @t can be compared on, or an error that says why not. */
GUri *
sonde_compare_parse_url (SondeCompareTransport   t,
                         const char             *text,
                         GError                **error)
{
  const char *want = t == SONDE_COMPARE_WS ? "ws" : "http";
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;

  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                   /* Translators: a URL, then why it is not one */
                   _("“%s” is not a URL: %s"), text, local_error->message);
      return NULL;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), want) != 0 || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_UNSUPPORTED_SCHEME,
                   /* Translators: a URL, then the scheme it needs (http or ws) */
                   _("“%s” cannot be compared: a comparison counts bytes through a relay on "
                     "loopback, so it takes %s:// URLs, without TLS"), text, want);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* An interval of seconds: 0 (never), or from @min to a day. */
static gboolean
valid_every (double value,
             double min)
{
  return isfinite (value) && (value == 0 || (value >= min && value <= SONDE_COMPARE_SECONDS_MAX));
}

/**
 * sonde_compare_check_url:
 * @text: a URL typed for @transport
 *
 * Returns: whether a comparison can use @text for @transport: http:// (SSE,
 *   long polling) or ws:// (WebSocket), which its relay can count
 */
gboolean
sonde_compare_check_url (SondeCompareTransport   transport,
                         const char             *text,
                         GError                **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  uri = sonde_compare_parse_url (transport, text, error);
  return uri != NULL;
}

/**
 * sonde_compare_options_check:
 *
 * Returns: whether a comparison can run with @options; %FALSE with @error
 *   saying what is wrong with the first URL it cannot take
 */
gboolean
sonde_compare_options_check (const SondeCompareOptions  *options,
                             GError                    **error)
{
  guint with_url = 0, compared = 0;
  int without_url = -1;

  g_return_val_if_fail (options != NULL, FALSE);

  if (!isfinite (options->duration) || options->duration < SONDE_COMPARE_DURATION_MIN ||
      options->duration > SONDE_COMPARE_SECONDS_MAX)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   /* Translators: the duration given, then the range it must be in */
                   _("The duration is %g s; give a number of seconds from %g to %g"),
                   options->duration, SONDE_COMPARE_DURATION_MIN, SONDE_COMPARE_SECONDS_MAX);
      return FALSE;
    }
  if (!valid_every (options->drop_every, SONDE_COMPARE_DROP_EVERY_MIN))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   /* Translators: the value given, then the range it must be in */
                   _("Drop every is %g s; give 0 (never) or a number of seconds from %g to %g"),
                   options->drop_every, SONDE_COMPARE_DROP_EVERY_MIN, SONDE_COMPARE_SECONDS_MAX);
      return FALSE;
    }
  if (!isfinite (options->speed) || options->speed < 0 || options->speed > SONDE_COMPARE_SPEED_MAX)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   /* Translators: the value given, then the largest there may be */
                   _("The speed is %g; give a number from 0 (as fast as the clients read) to %g"),
                   options->speed, SONDE_COMPARE_SPEED_MAX);
      return FALSE;
    }
  if (!valid_every (options->send_every, SONDE_COMPARE_SEND_EVERY_MIN))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   /* Translators: the value given, then the range it must be in */
                   _("Send every is %g s; give 0 (never) or a number of seconds from %g to %g"),
                   options->send_every, SONDE_COMPARE_SEND_EVERY_MIN, SONDE_COMPARE_SECONDS_MAX);
      return FALSE;
    }

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_autoptr(GUri) uri = NULL;

      if ((options->transports & (1u << t)) == 0)
        continue;
      compared++;
      if (options->urls[t] == NULL)
        {
          if (without_url < 0)
            without_url = (int)t;
          continue;
        }
      with_url++;
      uri = sonde_compare_parse_url (t, options->urls[t], error);
      if (uri == NULL)
        return FALSE;
    }
  if (compared == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("Compare at least one transport: SSE (sse), WebSocket (ws) or long "
                             "polling (poll)"));
      return FALSE;
    }
  /* The built-in feed and another are two feeds: nothing would be the same messages. */
  if (with_url > 0 && without_url >= 0)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   /* Translators: a transport (SSE, WebSocket, Long polling) */
                   _("%s has no URL: give one for every transport compared, or none to compare "
                     "on the built-in mock server"), sonde_compare_transport_title (without_url));
      return FALSE;
    }
  if (with_url > 0 && (options->recording != NULL || options->recording_path != NULL))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("A recording needs the built-in mock server, but the transports "
                             "compared have URLs of their own"));
      return FALSE;
    }
  return TRUE;
}

/**
 * sonde_compare_options_uses_server:
 *
 * Returns: whether a run on @options reads the built-in mock server (no
 *   transport compared has a URL): a feed the run controls and ends
 */
gboolean
sonde_compare_options_uses_server (const SondeCompareOptions *options)
{
  g_return_val_if_fail (options != NULL, FALSE);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if ((options->transports & (1u << t)) != 0 && options->urls[t] == NULL)
      return TRUE;
  return FALSE;
}

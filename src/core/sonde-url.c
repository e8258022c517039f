/* sonde-url.c: checking the stream URLs people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-url.h"

static gboolean
scheme_transport (const char     *scheme,
                  SondeTransport *transport)
{
  g_assert (scheme != NULL);

  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    *transport = SONDE_TRANSPORT_SSE;
  else if (g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0)
    *transport = SONDE_TRANSPORT_WEBSOCKET;
  else
    return FALSE;

  return TRUE;
}

/**
 * sonde_url_parse:
 * @text: what the person typed; white space around it is ignored
 * @transport: (out) (optional): SSE for http(s), WebSocket for ws(s)
 * @uri: (out) (optional) (transfer full): the parsed URL
 * @error: a message written for people, naming what is wrong
 *
 * Checks that @text is a URL Sonde can connect to. Each kind of mistake gets
 * its own message, because the window shows it as the person types.
 */
gboolean
sonde_url_parse (const char      *text,
                 SondeTransport  *transport,
                 GUri           **uri,
                 GError         **error)
{
  g_autofree char *trimmed = NULL;
  const char *scheme = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  SondeTransport found;
  const char *host;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                           _("Enter the URL of a stream"));
      return FALSE;
    }

  for (const char *p = trimmed; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                               _("A URL cannot contain spaces; encode them as %20"));
          return FALSE;
        }
    }

  if (strstr (trimmed, "://") == NULL || (scheme = g_uri_peek_scheme (trimmed)) == NULL)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                           _("Start the URL with http://, https://, ws:// or wss://"));
      return FALSE;
    }

  if (!scheme_transport (scheme, &found))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_UNSUPPORTED_SCHEME,
                   /* Translators: %s is a URL scheme such as “ftp” */
                   _("“%s” URLs are not streams; use http, https, ws or wss"),
                   scheme);
      return FALSE;
    }

  parsed = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                   /* Translators: %s is GLib's description of the problem */
                   _("This is not a valid URL: %s"), local_error->message);
      return FALSE;
    }

  host = g_uri_get_host (parsed);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                           _("The URL has no host name after “//”"));
      return FALSE;
    }

  if (found == SONDE_TRANSPORT_WEBSOCKET && g_uri_get_fragment (parsed) != NULL)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                           _("A WebSocket URL cannot have a “#” fragment"));
      return FALSE;
    }

  if (transport != NULL)
    *transport = found;
  if (uri != NULL)
    *uri = g_steal_pointer (&parsed);

  return TRUE;
}

const char *
sonde_transport_to_string (SondeTransport transport)
{
  switch (transport)
    {
    case SONDE_TRANSPORT_SSE:
      return "sse";
    case SONDE_TRANSPORT_WEBSOCKET:
      return "websocket";
    default:
      g_return_val_if_reached (NULL);
    }
}

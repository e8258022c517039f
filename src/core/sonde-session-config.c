/* sonde-session-config.c: everything a connection is told before it starts, for both transports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-session-config.h"
#include "sonde-sse-client.h"
#include "sonde-url.h"
#include "sonde-ws-client.h"

G_DEFINE_BOXED_TYPE (SondeSessionConfig, sonde_session_config,
                     sonde_session_config_copy, sonde_session_config_free)

/**
 * sonde_session_config_new:
 * @url: an http, https, ws or wss URL
 *
 * Returns: (transfer full) (nullable): a configuration with the defaults for
 *   the URL's transport, or %NULL with @error set when the URL is not one
 *   Sonde can connect to
 */
SondeSessionConfig *
sonde_session_config_new (const char  *url,
                          GError     **error)
{
  SondeSessionConfig *config;
  SondeTransport transport;

  g_return_val_if_fail (url != NULL, NULL);

  if (!sonde_url_parse (url, &transport, NULL, error))
    return NULL;

  config = g_new0 (SondeSessionConfig, 1);
  config->url = g_strstrip (g_strdup (url));
  config->transport = transport;
  config->headers = g_new0 (char *, 1);
  config->timeout_ms = SONDE_CONNECTION_DEFAULT_TIMEOUT_MS;
  sonde_reconnect_policy_init_spec (&config->policy);
  /* Browsers reconnect an EventSource by themselves, never a WebSocket. */
  if (transport == SONDE_TRANSPORT_WEBSOCKET)
    config->policy.mode = SONDE_RECONNECT_NONE;

  return config;
}

SondeSessionConfig *
sonde_session_config_copy (const SondeSessionConfig *config)
{
  SondeSessionConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->url = g_strdup (config->url);
  copy->headers = g_strdupv (config->headers);
  copy->protocols = g_strdupv (config->protocols);
  copy->origin = g_strdup (config->origin);
  copy->open_messages = g_strdupv (config->open_messages);
  copy->resume_path = g_strdup (config->resume_path);
  copy->resume_message = g_strdup (config->resume_message);
  copy->resume_query = g_strdup (config->resume_query);

  return copy;
}

void
sonde_session_config_free (SondeSessionConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->url);
  g_strfreev (config->headers);
  g_strfreev (config->protocols);
  g_free (config->origin);
  g_strfreev (config->open_messages);
  g_free (config->resume_path);
  g_free (config->resume_message);
  g_free (config->resume_query);
  g_free (config);
}

static gboolean
strv_equal (char **a,
            char **b)
{
  guint na = a != NULL ? g_strv_length (a) : 0;
  guint nb = b != NULL ? g_strv_length (b) : 0;

  return na == nb && (na == 0 || g_strv_equal ((const char * const *)a, (const char * const *)b));
}

static gboolean
policy_equal (const SondeReconnectPolicy *a,
              const SondeReconnectPolicy *b)
{
  return a->mode == b->mode && a->initial_ms == b->initial_ms && a->max_ms == b->max_ms &&
         a->factor == b->factor && a->jitter == b->jitter && a->max_attempts == b->max_attempts;
}

/**
 * sonde_session_config_same_connection:
 *
 * Returns: whether a connection made from @a serves for @b as it is, apart
 *   from the accepted certificate problems, which a connection takes at any time
 */
gboolean
sonde_session_config_same_connection (const SondeSessionConfig *a,
                        const SondeSessionConfig *b)
{
  return g_strcmp0 (a->url, b->url) == 0 &&
         a->transport == b->transport &&
         strv_equal (a->headers, b->headers) &&
         policy_equal (&a->policy, &b->policy) &&
         a->max_size == b->max_size &&
         a->timeout_ms == b->timeout_ms &&
         strv_equal (a->protocols, b->protocols) &&
         g_strcmp0 (a->origin, b->origin) == 0 &&
         a->deflate == b->deflate &&
         a->keepalive_ms == b->keepalive_ms &&
         a->reconnect_on_any_close == b->reconnect_on_any_close &&
         strv_equal (a->open_messages, b->open_messages) &&
         g_strcmp0 (a->resume_path, b->resume_path) == 0 &&
         g_strcmp0 (a->resume_message, b->resume_message) == 0 &&
         g_strcmp0 (a->resume_query, b->resume_query) == 0;
}

gboolean
sonde_session_config_equal (const SondeSessionConfig *a,
                            const SondeSessionConfig *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return sonde_session_config_same_connection (a, b) &&
         a->accepted_certificate_errors == b->accepted_certificate_errors;
}

void
sonde_session_config_add_header (SondeSessionConfig *config,
                                 const char         *name,
                                 const char         *value)
{
  guint n;

  g_return_if_fail (config != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  n = config->headers != NULL ? g_strv_length (config->headers) : 0;
  config->headers = g_renew (char *, config->headers, n + 3);
  config->headers[n] = g_strdup (name);
  config->headers[n + 1] = g_strdup (value);
  config->headers[n + 2] = NULL;
}

static gboolean
is_token_char (char c)
{
  /* RFC 9110's tchar */
  return c != '\0' && (g_ascii_isalnum (c) || strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/**
 * sonde_http_is_token:
 *
 * Returns: whether @text is an HTTP token (RFC 9110), such as a method or
 *   a header name: not empty, no separators, spaces or controls
 */
gboolean
sonde_http_is_token (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!is_token_char (*p))
      return FALSE;
  return TRUE;
}

/**
 * sonde_http_check_header:
 *
 * Says, in one sentence for people, why a request header cannot be sent.
 */
gboolean
sonde_http_check_header (const char  *name,
                         const char  *value,
                         GError     **error)
{
  if (name[0] == '\0')
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("A request header has a value but no name"));
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!is_token_char (*p))
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("The header name “%s” may hold only letters, digits and "
                         "!#$%%&'*+-.^_`|~"), name);
          return FALSE;
        }
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n' || *p == '\0')
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("The value of the header “%s” cannot hold a line break"), name);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * sonde_session_config_check:
 *
 * Says, in one sentence for people, what in @config cannot work.
 */
gboolean
sonde_session_config_check (const SondeSessionConfig  *config,
                            GError                   **error)
{
  SondeTransport transport;

  g_return_val_if_fail (config != NULL, FALSE);

  if (!sonde_url_parse (config->url, &transport, NULL, error))
    return FALSE;

  if (transport != config->transport)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("The URL’s scheme does not match the transport"));
      return FALSE;
    }

  for (guint i = 0; config->headers != NULL && config->headers[i] != NULL; i += 2)
    {
      if (config->headers[i + 1] == NULL)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("The header “%s” has no value"), config->headers[i]);
          return FALSE;
        }
      if (!sonde_http_check_header (config->headers[i], config->headers[i + 1], error))
        return FALSE;
    }

  if (transport != SONDE_TRANSPORT_WEBSOCKET)
    return TRUE;

  for (guint i = 0; config->protocols != NULL && config->protocols[i] != NULL; i++)
    {
      const char *protocol = config->protocols[i];

      for (const char *p = protocol; *p != '\0'; p++)
        {
          if (!is_token_char (*p))
            {
              g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("The subprotocol “%s” may hold only letters, digits and "
                             "!#$%%&'*+-.^_`|~"), protocol);
              return FALSE;
            }
        }
      if (protocol[0] == '\0')
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("A subprotocol cannot be empty"));
          return FALSE;
        }
    }

  if ((config->resume_message != NULL || config->resume_query != NULL) &&
      config->resume_path == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("To resume by message or query parameter, say where incoming messages "
                     "carry their ID"));
      return FALSE;
    }

  if (config->origin != NULL && !sonde_http_check_header ("Origin", config->origin, error))
    return FALSE;

  return TRUE;
}

/**
 * sonde_session_config_create_connection:
 * @log: the log the connection writes to
 *
 * Makes the connection @config describes. Its sources go to the main context
 * that is the thread default when it starts.
 *
 * Returns: (transfer full) (nullable): an SSE or WebSocket connection, not
 *   started, or %NULL with @error saying which option the engine refused
 */
SondeConnection *
sonde_session_config_create_connection (const SondeSessionConfig  *config,
                                        SondeEventLog             *log,
                                        GError                   **error)
{
  g_autoptr(SondeConnection) connection = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  if (config->transport == SONDE_TRANSPORT_SSE)
    {
      SondeSseClient *client = sonde_sse_client_new (config->url, log);

      connection = SONDE_CONNECTION (client);
      if (config->max_size > 0)
        sonde_sse_client_set_max_size (client, config->max_size);
    }
  else
    {
      SondeWsClient *client = sonde_ws_client_new (config->url, log);

      connection = SONDE_CONNECTION (client);
      for (guint i = 0; config->protocols != NULL && config->protocols[i] != NULL; i++)
        {
          if (!sonde_ws_client_add_protocol (client, config->protocols[i], error))
            return NULL;
        }
      for (guint i = 0; config->open_messages != NULL && config->open_messages[i] != NULL; i++)
        sonde_ws_client_add_open_message (client, config->open_messages[i]);
      if (!sonde_ws_client_set_origin (client, config->origin, error))
        return NULL;
      sonde_ws_client_set_offer_deflate (client, config->deflate);
      sonde_ws_client_set_keepalive (client, config->keepalive_ms);
      sonde_ws_client_set_reconnect_on_any_close (client, config->reconnect_on_any_close);
      sonde_ws_client_set_resume (client, config->resume_message, config->resume_path,
                                  config->resume_query);
      if (config->max_size > 0)
        sonde_ws_client_set_max_size (client, config->max_size);
    }

  for (guint i = 0; config->headers != NULL && config->headers[i] != NULL; i += 2)
    sonde_connection_add_header (connection, config->headers[i], config->headers[i + 1]);
  sonde_connection_set_policy (connection, &config->policy);
  sonde_connection_set_timeout (connection, config->timeout_ms);
  sonde_connection_set_accepted_certificate_errors (connection,
                                                    config->accepted_certificate_errors);

  return g_steal_pointer (&connection);
}

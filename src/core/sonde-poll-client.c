/* sonde-poll-client.c: a long-polling connection: GET with a cursor, again and again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "sonde-connection-private.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-poll-client.h"
#include "sonde-poll-format.h"

/* One attempt is one run of polls: it opens with the first answer and ends
 * when a poll fails (the connection dropped, a timeout); the policy then
 * waits, and the next attempt asks with the cursor it has, so nothing is
 * lost. Each message is an entry of kind text or binary whose raw bytes are
 * its JSON in the answer, as Sonde writes it. The largest answer read: */
#define MAX_ANSWER_SIZE (64 * 1024 * 1024)
/* Between attempts under the spec policy: polling has no server-set delay. */
#define SPEC_DELAY_MS 1000

struct _SondePollClient
{
  SondeConnection  parent_instance;

  SoupSession     *session;
  SoupMessage     *message;
  GCancellable    *cancellable;
  SondeEventLog   *log;
  guint64          cursor;
  guint            n_requests;
  gboolean         opened;      /* this attempt has had an answer */
  gboolean         restarted;   /* libsoup was about to send the poll again */
};

G_DEFINE_FINAL_TYPE (SondePollClient, sonde_poll_client, SONDE_TYPE_CONNECTION)

static void poll_next (SondePollClient *self);

static void
clear_attempt (SondePollClient *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  g_clear_object (&self->message);
}

static void
log_open (SondePollClient *self)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  sonde_json_append_http_open (fields, self->message);
  sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
                        fields->str, NULL, 0);
}

/* Takes @error. */
static void
fail (SondePollClient *self,
      GError          *error)
{
  sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
  clear_attempt (self);
  sonde_connection_failed (SONDE_CONNECTION (self), error);
  g_error_free (error);
}

static void
message_cb (gpointer      user_data,
            const char   *event,
            gboolean      binary,
            const guint8 *data,
            gsize         len,
            gsize         encoded_len)
{
  SondePollClient *self = user_data;
  g_autoptr(GString) json = g_string_new (NULL);

  sonde_poll_format_message (json, event, binary, data, len);
  sonde_event_log_append (self->log, sonde_event_log_now (self->log), SONDE_DIRECTION_IN,
                          binary ? SONDE_ENTRY_BINARY : SONDE_ENTRY_TEXT, NULL, 0,
                          "\"transport\":\"poll\"", strlen ("\"transport\":\"poll\""),
                          (const guint8 *)json->str, json->len);
}

static void
answer_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SondePollClient) self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize len;
  guint status;
  gboolean end = FALSE;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (self->message == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!self->restarted)
        return;
      g_clear_error (&error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                   _("The server closed the connection before it answered the "
                                     "poll"));
    }

  if (body == NULL)
    {
      sonde_connection_log_error (SONDE_CONNECTION (self), error, NULL, 0);
      clear_attempt (self);
      sonde_connection_dropped (SONDE_CONNECTION (self), error);
      return;
    }

  status = soup_message_get_status (self->message);
  if (!self->opened)
    {
      log_open (self);
      if (status == SOUP_STATUS_OK)
        {
          self->opened = TRUE;
          sonde_connection_opened (SONDE_CONNECTION (self));
        }
    }
  if (status != SOUP_STATUS_OK)
    {
      const char *reason = soup_message_get_reason_phrase (self->message);

      fail (self, g_error_new (SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
                               /* Translators: %u %s is an HTTP status such as “500 Internal Server Error” */
                               _("The server answered a poll with %u %s instead of 200 OK, so "
                                 "polling stops"),
                               status, reason != NULL ? reason : ""));
      return;
    }

  data = g_bytes_get_data (body, &len);
  if (!sonde_poll_parse_answer (data, len, &self->cursor, &end, message_cb, self, &error))
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  if (end)
    {
      g_autoptr(GString) fields = g_string_new (NULL);

      sonde_json_append_member_string (fields, "message", _("The feed has no more messages"));
      sonde_connection_log (SONDE_CONNECTION (self), SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                            fields->str, NULL, 0);
      clear_attempt (self);
      sonde_connection_finished (SONDE_CONNECTION (self));
      return;
    }

  poll_next (self);
}

/* libsoup sends a GET again by itself when the server closes a connection
 * it reused: that hides the drop, which is what a comparison measures. The
 * drop goes to the reconnect policy instead, like any other. */
static void
restarted_cb (SoupMessage *message,
              gpointer     user_data)
{
  SondePollClient *self = user_data;

  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (message)))
    return;
  self->restarted = TRUE;
  g_cancellable_cancel (self->cancellable);
}

static void
poll_next (SondePollClient *self)
{
  const char * const *headers = sonde_connection_get_headers (SONDE_CONNECTION (self));
  const char *url = sonde_connection_get_url (SONDE_CONNECTION (self));
  g_autofree char *full = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *request_headers;

  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
  g_clear_object (&self->message);
  full = g_strdup_printf ("%s%scursor=%" G_GUINT64_FORMAT, url, strchr (url, '?') ? "&" : "?",
                          self->cursor);
  uri = g_uri_parse (full, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      fail (self, g_error_new (SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                               _("This is not a valid URL: %s"), error->message));
      return;
    }

  self->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  request_headers = soup_message_get_request_headers (self->message);
  soup_message_headers_replace (request_headers, "Accept", "application/json");
  soup_message_headers_replace (request_headers, "Cache-Control", "no-store");
  for (guint i = 0; headers[i] != NULL; i += 2)
    soup_message_headers_append (request_headers, headers[i], headers[i + 1]);
  g_signal_connect (self->message, "restarted", G_CALLBACK (restarted_cb), self);
  self->n_requests++;
  soup_session_send_and_read_async (self->session, self->message, G_PRIORITY_DEFAULT,
                                    self->cancellable, answer_cb, g_object_ref (self));
}

static void
sonde_poll_client_attempt (SondeConnection *connection)
{
  SondePollClient *self = SONDE_POLL_CLIENT (connection);

  g_assert (self->message == NULL);

  /* A long poll waits for as long as the server likes: no session timeout.
   * The connection's own timeout bounds connecting. */
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 0,
                                                   "idle-timeout", 0,
                                                   "user-agent", "Sonde/" PACKAGE_VERSION,
                                                   NULL);
  self->cancellable = g_cancellable_new ();
  self->opened = FALSE;
  self->restarted = FALSE;
  poll_next (self);
}

static void
sonde_poll_client_abort (SondeConnection *connection)
{
  clear_attempt (SONDE_POLL_CLIENT (connection));
}

static guint
sonde_poll_client_get_spec_delay (SondeConnection *connection)
{
  return SPEC_DELAY_MS;
}

static void
sonde_poll_client_constructed (GObject *object)
{
  SondePollClient *self = SONDE_POLL_CLIENT (object);

  G_OBJECT_CLASS (sonde_poll_client_parent_class)->constructed (object);

  self->log = g_object_ref (sonde_connection_get_log (SONDE_CONNECTION (self)));
}

static void
sonde_poll_client_dispose (GObject *object)
{
  SondePollClient *self = SONDE_POLL_CLIENT (object);

  clear_attempt (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sonde_poll_client_parent_class)->dispose (object);
}

static void
sonde_poll_client_finalize (GObject *object)
{
  SondePollClient *self = SONDE_POLL_CLIENT (object);

  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_poll_client_parent_class)->finalize (object);
}

static void
sonde_poll_client_class_init (SondePollClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SondeConnectionClass *connection_class = SONDE_CONNECTION_CLASS (klass);

  object_class->constructed = sonde_poll_client_constructed;
  object_class->dispose = sonde_poll_client_dispose;
  object_class->finalize = sonde_poll_client_finalize;

  connection_class->attempt = sonde_poll_client_attempt;
  connection_class->abort = sonde_poll_client_abort;
  connection_class->get_spec_delay = sonde_poll_client_get_spec_delay;
}

static void
sonde_poll_client_init (SondePollClient *self)
{
}

/**
 * sonde_poll_client_new:
 * @url: an http URL that answers polls (the mock server's /poll); the
 *   cursor is added to its query
 * @log: (nullable): where to write the timeline; a new log when %NULL
 */
SondePollClient *
sonde_poll_client_new (const char    *url,
                       SondeEventLog *log)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (log == NULL || SONDE_IS_EVENT_LOG (log), NULL);

  return g_object_new (SONDE_TYPE_POLL_CLIENT, "url", url, "log", log, NULL);
}

/**
 * sonde_poll_client_get_cursor:
 *
 * Returns: what the next poll asks for
 */
guint64
sonde_poll_client_get_cursor (SondePollClient *self)
{
  g_return_val_if_fail (SONDE_IS_POLL_CLIENT (self), 0);

  return self->cursor;
}

/**
 * sonde_poll_client_get_n_requests:
 *
 * Returns: how many polls it has sent
 */
guint
sonde_poll_client_get_n_requests (SondePollClient *self)
{
  g_return_val_if_fail (SONDE_IS_POLL_CLIENT (self), 0);

  return self->n_requests;
}

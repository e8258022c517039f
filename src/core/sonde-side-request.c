/* sonde-side-request.c: an HTTP request sent beside a stream, logged as a `request` entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-session-config.h"
#include "sonde-side-request.h"
#include "sonde-tls.h"

/* SSE applications talk back with plain HTTP requests ("the occasional
 * client message"): a POST to the server, whose effect then shows on the
 * stream. Sonde sends one with a SoupSession of the caller's thread (the
 * session's worker: libsoup binds a session to one thread) and logs the
 * exchange as one `out` entry once it is over, with the request, the
 * response's status, headers and body, and the time it took. The log does
 * not hold its bytes: libsoup writes them, and Sonde sees no tap there. */

#define READ_SIZE (16 * 1024)

G_DEFINE_BOXED_TYPE (SondeSideRequest, sonde_side_request,
                     sonde_side_request_copy, sonde_side_request_free)

/**
 * sonde_side_request_new:
 * @method: an HTTP method, such as "POST"
 * @url: an http or https URL
 *
 * Returns: (transfer full): a request without headers or body
 */
SondeSideRequest *
sonde_side_request_new (const char *method,
                        const char *url)
{
  SondeSideRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (SondeSideRequest, 1);
  self->method = g_strdup (method);
  self->url = g_strdup (url);
  self->header_names = g_ptr_array_new_with_free_func (g_free);
  self->header_values = g_ptr_array_new_with_free_func (g_free);

  return self;
}

SondeSideRequest *
sonde_side_request_copy (const SondeSideRequest *self)
{
  SondeSideRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = sonde_side_request_new (self->method, self->url);
  for (guint i = 0; i < self->header_names->len; i++)
    sonde_side_request_add_header (copy, g_ptr_array_index (self->header_names, i),
                                   g_ptr_array_index (self->header_values, i));
  sonde_side_request_set_body (copy, self->body);
  copy->timeout_ms = self->timeout_ms;

  return copy;
}

void
sonde_side_request_free (SondeSideRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->method);
  g_free (self->url);
  g_ptr_array_unref (self->header_names);
  g_ptr_array_unref (self->header_values);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

void
sonde_side_request_add_header (SondeSideRequest *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (self->header_names, g_strdup (name));
  g_ptr_array_add (self->header_values, g_strdup (value));
}

/**
 * sonde_side_request_set_body:
 * @body: (nullable): the body, or %NULL for none
 */
void
sonde_side_request_set_body (SondeSideRequest *self,
                             GBytes           *body)
{
  g_return_if_fail (self != NULL);

  if (body != NULL)
    g_bytes_ref (body);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body;
}

static gboolean
has_header (const SondeSideRequest *self,
            const char             *name)
{
  for (guint i = 0; i < self->header_names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->header_names, i), name) == 0)
      return TRUE;
  return FALSE;
}

/**
 * sonde_side_request_check:
 *
 * Says, in one sentence for people, what in @self cannot be sent.
 */
gboolean
sonde_side_request_check (const SondeSideRequest  *self,
                          GError                 **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!sonde_http_is_token (self->method))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           self->method[0] == '\0'
                           ? _("Choose a request method, such as POST")
                           : _("A request method may hold only letters, digits and "
                               "!#$%&'*+-.^_`|~"));
      return FALSE;
    }

  uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                           _("The request needs a URL that starts with http:// or https:// "
                             "and names a host"));
      return FALSE;
    }

  for (guint i = 0; i < self->header_names->len; i++)
    {
      if (!sonde_http_check_header (g_ptr_array_index (self->header_names, i),
                                    g_ptr_array_index (self->header_values, i), error))
        return FALSE;
    }

  return TRUE;
}

/**
 * sonde_side_request_default_url:
 * @stream_url: the URL of the stream
 *
 * Where a side request goes unless the person says otherwise: the stream's
 * origin, as SSE applications post to their own server. A WebSocket URL's
 * origin is given in HTTP terms.
 *
 * Returns: (transfer full) (nullable): the origin with a path of "/", or
 *   %NULL when @stream_url is no absolute URL
 */
char *
sonde_side_request_default_url (const char *stream_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) origin = NULL;
  const char *scheme;

  g_return_val_if_fail (stream_url != NULL, NULL);

  uri = g_uri_parse (stream_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "wss") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    scheme = "https";
  else
    scheme = "http";

  origin = g_uri_build (SOUP_HTTP_URI_FLAGS, scheme, NULL, g_uri_get_host (uri),
                        g_uri_get_port (uri), "/", NULL, NULL);
  return g_uri_to_string (origin);
}

/* Sending */

typedef struct
{
  SondeSideRequest     *request;
  SondeEventLog        *log;
  SoupMessage          *message;
  GInputStream         *stream;
  GCancellable         *cancellable;   /* ours: the caller's, or the time limit */
  GCancellable         *caller_cancellable;
  gulong                cancelled_id;
  GSource              *timeout;
  guint                 timeout_ms;
  GTlsCertificateFlags  accepted_errors;
  GTlsCertificateFlags  certificate_errors;
  gboolean              certificate_accepted;
  gboolean              timed_out;
  gboolean              truncated;
  gint64                started;
  GByteArray           *body;
  guint8               *buffer;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *exchange = data;

  if (exchange->timeout != NULL)
    {
      g_source_destroy (exchange->timeout);
      g_source_unref (exchange->timeout);
    }
  if (exchange->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (exchange->caller_cancellable, exchange->cancelled_id);
      g_object_unref (exchange->caller_cancellable);
    }
  sonde_side_request_free (exchange->request);
  g_clear_object (&exchange->log);
  g_clear_object (&exchange->message);
  g_clear_object (&exchange->stream);
  g_clear_object (&exchange->cancellable);
  g_byte_array_unref (exchange->body);
  g_free (exchange->buffer);
  g_free (exchange);
}

static void
append_body (GString      *fields,
             const char   *name_text,
             const char   *name_base64,
             const guint8 *data,
             gsize         len)
{
  g_string_append_c (fields, ',');
  if (g_utf8_validate ((const char *)data, (gssize)len, NULL))
    {
      sonde_json_append_string (fields, name_text, strlen (name_text));
      g_string_append_c (fields, ':');
      sonde_json_append_string (fields, (const char *)data, len);
    }
  else
    {
      sonde_json_append_string (fields, name_base64, strlen (name_base64));
      g_string_append_c (fields, ':');
      sonde_json_append_base64 (fields, data, len);
    }
}

/* The entry, on the log's writer thread; @error when no response came. */
static guint64
log_exchange (Exchange     *exchange,
              const GError *error)
{
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *request_line = NULL;
  GUri *uri = soup_message_get_uri (exchange->message);
  gint64 now = g_get_monotonic_time ();
  char rtt[G_ASCII_DTOSTR_BUF_SIZE];

  {
    g_autofree char *path = g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO |
                                                          G_URI_HIDE_FRAGMENT);
    const char *target = g_uri_get_path (uri);
    g_autofree char *query_target = NULL;

    /* The request line names the path and query, as it went out. */
    if (g_uri_get_query (uri) != NULL)
      target = query_target = g_strdup_printf ("%s?%s", g_uri_get_path (uri),
                                               g_uri_get_query (uri));
    request_line = g_strdup_printf ("%s %s HTTP/1.1", exchange->request->method,
                                    target[0] != '\0' ? target : "/");
    sonde_json_append_member_string (fields, "method", exchange->request->method);
    sonde_json_append_member_string (fields, "url", path);
    sonde_json_append_member_string (fields, "request", request_line);
  }
  g_string_append (fields, ",\"request_headers\":");
  sonde_json_append_headers (fields, soup_message_get_request_headers (exchange->message));
  if (exchange->request->body != NULL && g_bytes_get_size (exchange->request->body) > 0)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (exchange->request->body, &len);

      append_body (fields, "request_body", "request_body_base64", data, len);
    }

  if (error == NULL)
    {
      const char *reason = soup_message_get_reason_phrase (exchange->message);
      g_autofree char *valid_reason = g_utf8_make_valid (reason != NULL ? reason : "", -1);

      sonde_json_append_member_int (fields, "status", soup_message_get_status (exchange->message));
      sonde_json_append_member_string (fields, "reason", valid_reason);
      g_string_append (fields, ",\"headers\":");
      sonde_json_append_headers (fields, soup_message_get_response_headers (exchange->message));
      append_body (fields, "body", "body_base64", exchange->body->data, exchange->body->len);
      sonde_json_append_member_int (fields, "body_size", exchange->body->len);
      if (exchange->truncated)
        g_string_append (fields, ",\"body_truncated\":true");
    }
  else
    {
      sonde_json_append_member_string (fields, "message", error->message);
      sonde_json_append_member_string (fields, "domain", g_quark_to_string (error->domain));
      sonde_json_append_member_int (fields, "code", error->code);
    }

  if (exchange->certificate_accepted)
    {
      g_autofree char *problems = sonde_tls_describe_flags (exchange->certificate_errors);

      sonde_json_append_member_string (fields, "certificate_accepted", problems);
    }

  g_string_append (fields, ",\"rtt_ms\":");
  g_string_append (fields, g_ascii_formatd (rtt, sizeof rtt, "%.3f",
                                            (now - exchange->started) / 1000.0));

  return sonde_event_log_append (exchange->log, sonde_event_log_now (exchange->log),
                                 SONDE_DIRECTION_OUT, SONDE_ENTRY_REQUEST, NULL, 0,
                                 fields->str, fields->len, NULL, 0);
}

static void
finish (GTask  *task,
        GError *error)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;
  guint64 seq;

  if (owned != NULL && exchange->timed_out)
    {
      g_clear_error (&owned);
      owned = g_error_new (SONDE_ERROR, SONDE_ERROR_FAILED,
                           _("No response within %.1f seconds"),
                           exchange->timeout_ms / 1000.0);
    }

  seq = log_exchange (exchange, owned);
  /* Nothing of the exchange (the message, its stream) may outlive this
   * thread's part of it: the task itself may be freed elsewhere. */
  g_task_set_task_data (task, NULL, NULL);

  g_object_set_data_full (G_OBJECT (task), "sonde-seq", g_memdup2 (&seq, sizeof seq), g_free);
  if (owned != NULL)
    g_task_return_error (task, g_steal_pointer (&owned));
  else
    g_task_return_pointer (task, g_memdup2 (&seq, sizeof seq), g_free);
}

static void read_next (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      /* A body cut off by the time limit is still a response: keep it. */
      if (exchange->timed_out)
        {
          g_clear_error (&error);
          exchange->truncated = TRUE;
          finish (task, NULL);
        }
      else
        finish (task, error);
      return;
    }
  if (n == 0)
    {
      finish (task, NULL);
      return;
    }

  if (exchange->body->len + (gsize)n > SONDE_SIDE_REQUEST_BODY_LIMIT)
    {
      g_byte_array_append (exchange->body, exchange->buffer,
                           SONDE_SIDE_REQUEST_BODY_LIMIT - exchange->body->len);
      exchange->truncated = TRUE;
      finish (task, NULL);
      return;
    }
  g_byte_array_append (exchange->body, exchange->buffer, (guint)n);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);

  g_input_stream_read_async (exchange->stream, exchange->buffer, READ_SIZE, G_PRIORITY_DEFAULT,
                             exchange->cancellable, read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;

  exchange->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (exchange->stream == NULL)
    {
      finish (task, error);
      g_object_unref (task);
      return;
    }

  exchange->buffer = g_malloc (READ_SIZE);
  read_next (task);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Exchange *exchange = user_data;

  /* Exactly what the person accepted for the stream's tab, and no more. */
  if (errors == 0 || (errors & ~exchange->accepted_errors) != 0)
    return FALSE;
  exchange->certificate_errors = errors;
  exchange->certificate_accepted = TRUE;
  return TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->timed_out = TRUE;
  g_cancellable_cancel (exchange->cancellable);
  g_clear_pointer (&exchange->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/**
 * sonde_side_request_send_async:
 * @session: a session of the calling thread
 * @log: the log the entry goes to; the calling thread must be its writer
 * @accepted_errors: certificate problems the person accepted for the stream
 * @cancellable: (nullable): stops waiting; the entry then says so
 *
 * Sends @self and logs the exchange as a `request` entry when it is over,
 * or failed, or took longer than its time limit (a response then keeps the
 * body it had, marked `body_truncated`). The body is kept up to
 * %SONDE_SIDE_REQUEST_BODY_LIMIT bytes. An invalid request is
 * refused and logs nothing.
 */
void
sonde_side_request_send_async (const SondeSideRequest *self,
                               SoupSession            *session,
                               SondeEventLog          *log,
                               GTlsCertificateFlags    accepted_errors,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Exchange *exchange;

  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SONDE_IS_EVENT_LOG (log));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_side_request_send_async);
  /* The entry is the answer even when the caller gives up. */
  g_task_set_check_cancellable (task, FALSE);

  if (!sonde_side_request_check (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  exchange = g_new0 (Exchange, 1);
  exchange->request = sonde_side_request_copy (self);
  exchange->log = g_object_ref (log);
  exchange->accepted_errors = accepted_errors;
  exchange->body = g_byte_array_new ();
  exchange->cancellable = g_cancellable_new ();
  exchange->message = soup_message_new (self->method, self->url);
  g_task_set_task_data (task, exchange, exchange_free);

  headers = soup_message_get_request_headers (exchange->message);
  for (guint i = 0; i < self->header_names->len; i++)
    soup_message_headers_append (headers, g_ptr_array_index (self->header_names, i),
                                 g_ptr_array_index (self->header_values, i));
  if (self->body != NULL && g_bytes_get_size (self->body) > 0)
    soup_message_set_request_body_from_bytes (exchange->message,
                                              has_header (self, "Content-Type")
                                              ? NULL : "text/plain; charset=utf-8",
                                              self->body);
  g_signal_connect (exchange->message, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                    exchange);

  if (cancellable != NULL)
    {
      exchange->caller_cancellable = g_object_ref (cancellable);
      exchange->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                      g_object_ref (exchange->cancellable),
                                                      g_object_unref);
    }
  exchange->timeout_ms = self->timeout_ms > 0 ? self->timeout_ms : SONDE_SIDE_REQUEST_TIMEOUT_MS;
  exchange->timeout = g_timeout_source_new (exchange->timeout_ms);
  g_source_set_static_name (exchange->timeout, "[sonde] side request time limit");
  g_source_set_callback (exchange->timeout, timeout_cb, exchange, NULL);
  g_source_attach (exchange->timeout, g_main_context_get_thread_default ());

  exchange->started = g_get_monotonic_time ();
  soup_session_send_async (session, exchange->message, G_PRIORITY_DEFAULT, exchange->cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * sonde_side_request_send_finish:
 * @seq: (out) (optional): the entry's sequence number, or %G_MAXUINT64
 *   when nothing was logged
 *
 * Returns: whether a response came; when none did, @error says why (and
 *   the entry, if there is one, says the same)
 */
gboolean
sonde_side_request_send_finish (GAsyncResult  *result,
                                guint64       *seq,
                                GError       **error)
{
  g_autofree guint64 *value = NULL;
  guint64 *logged;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  logged = g_object_get_data (G_OBJECT (result), "sonde-seq");
  if (seq != NULL)
    *seq = logged != NULL ? *logged : G_MAXUINT64;

  value = g_task_propagate_pointer (G_TASK (result), error);
  return value != NULL;
}

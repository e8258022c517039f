/* sonde-session-send.c: messages and side requests, sent from the session's worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-session-private.h"
#include "sonde-side-request.h"
#include "sonde-ws-client.h"

/* Sends */

typedef struct
{
  SondeSessionWorker *worker;
  SondeSendKind       kind;
  GBytes             *data;
  guint               code_or_size;
  char               *reason;
} SendCall;

static void
send_call_free (gpointer data)
{
  SendCall *call = data;

  sonde_session_worker_unref (call->worker);
  g_clear_pointer (&call->data, g_bytes_unref);
  g_free (call->reason);
  g_free (call);
}

static gboolean
worker_send_cb (gpointer data)
{
  GTask *task = data;
  SendCall *call = g_task_get_task_data (task);
  SondeSessionWorker *worker = call->worker;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SondeWsClient *client;
  gboolean ok = FALSE;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  if (!SONDE_IS_WS_CLIENT (worker->connection))
    {
      g_task_return_new_error (task, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED,
                               _("Only a WebSocket connection can send messages"));
      return G_SOURCE_REMOVE;
    }

  client = SONDE_WS_CLIENT (worker->connection);
  if (call->data != NULL)
    {
      gsize len;
      const char *bytes = g_bytes_get_data (call->data, &len);

      text = g_strndup (bytes, len);
    }

  switch (call->kind)
    {
    case SONDE_SEND_TEXT:
      ok = sonde_ws_client_send_text (client, text != NULL ? text : "", &error);
      break;

    case SONDE_SEND_JSON:
      ok = sonde_ws_client_send_json (client, text != NULL ? text : "", &error);
      break;

    case SONDE_SEND_BINARY:
      {
        g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

        ok = sonde_ws_client_send_binary (client, call->data != NULL ? call->data : empty,
                                          &error);
      }
      break;

    case SONDE_SEND_PING:
      ok = sonde_ws_client_ping (client, call->data, &error);
      break;

    case SONDE_SEND_CLOSE:
      ok = sonde_ws_client_close (client, call->code_or_size, call->reason, &error);
      break;

    case SONDE_SEND_TEXT_FRAGMENTS:
    case SONDE_SEND_BINARY_FRAGMENTS:
      {
        g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

        ok = sonde_ws_client_send_fragmented (client, call->kind == SONDE_SEND_BINARY_FRAGMENTS,
                                              call->data != NULL ? call->data : empty,
                                              call->code_or_size, &error);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));

  return G_SOURCE_REMOVE;
}

/**
 * sonde_session_send_async:
 * @data: (nullable): the message, ping payload or fragments' data
 * @code_or_size: the close code for %SONDE_SEND_CLOSE, the fragment size
 *   for the fragment kinds, otherwise 0
 * @reason: (nullable): the close reason
 *
 * Sends on a WebSocket session, from the worker thread; the entry it makes
 * appears in the log like any other.
 */
void
sonde_session_send_async (SondeSession        *self,
                          SondeSendKind        kind,
                          GBytes              *data,
                          guint                code_or_size,
                          const char          *reason,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendCall *call;

  g_return_if_fail (SONDE_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_session_send_async);

  if (self->config->transport != SONDE_TRANSPORT_WEBSOCKET)
    {
      g_task_return_new_error (task, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED,
                               _("Only a WebSocket connection can send messages"));
      return;
    }
  if (self->thread == NULL)
    {
      g_task_return_new_error (task, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED,
                               _("Not connected"));
      return;
    }

  call = g_new0 (SendCall, 1);
  call->worker = sonde_session_worker_ref (self->worker);
  call->kind = kind;
  call->data = data != NULL ? g_bytes_ref (data) : NULL;
  call->code_or_size = code_or_size;
  call->reason = g_strdup (reason);
  g_task_set_task_data (task, call, send_call_free);

  sonde_session_invoke (self, worker_send_cb, g_steal_pointer (&task), g_object_unref);
}

gboolean
sonde_session_send_finish (SondeSession  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (SONDE_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Side requests */

typedef struct
{
  SondeSessionWorker *worker;
  SondeSideRequest   *request;
} RequestCall;

static void
request_call_free (gpointer data)
{
  RequestCall *call = data;

  sonde_session_worker_unref (call->worker);
  sonde_side_request_free (call->request);
  g_free (call);
}

static void
worker_request_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  guint64 seq;

  /* The entry's number goes back with an error too: a failed request
   * still has its entry. */
  if (sonde_side_request_send_finish (result, &seq, &error))
    g_task_return_pointer (task, g_memdup2 (&seq, sizeof seq), g_free);
  else
    {
      g_object_set_data_full (G_OBJECT (task), "sonde-seq", g_memdup2 (&seq, sizeof seq), g_free);
      g_task_return_error (task, error);
    }
}

static gboolean
worker_request_cb (gpointer data)
{
  GTask *task = data;
  RequestCall *call = g_task_get_task_data (task);
  SondeSessionWorker *worker = call->worker;

  if (worker->side_session == NULL)
    {
      worker->side_session = soup_session_new ();
      worker->side_cancellable = g_cancellable_new ();
    }

  sonde_side_request_send_async (call->request, worker->side_session, worker->log,
                                 worker->config != NULL
                                 ? worker->config->accepted_certificate_errors : 0,
                                 worker->side_cancellable, worker_request_done_cb,
                                 g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/**
 * sonde_session_send_request_async:
 * @request: what to send
 *
 * Sends an HTTP request beside the stream, from the worker thread, with the
 * certificate problems accepted for this session; the exchange appears in
 * the log as a `request` entry when it is over. Either transport may send
 * one; the session must be running, since the log's writer is its thread.
 */
void
sonde_session_send_request_async (SondeSession           *self,
                                  const SondeSideRequest *request,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RequestCall *call;

  g_return_if_fail (SONDE_IS_SESSION (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_session_send_request_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!sonde_side_request_check (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->thread == NULL)
    {
      g_task_return_new_error (task, SONDE_ERROR, SONDE_ERROR_NOT_CONNECTED,
                               _("Connect first: requests are sent beside a running stream"));
      return;
    }

  call = g_new0 (RequestCall, 1);
  call->worker = sonde_session_worker_ref (self->worker);
  call->request = sonde_side_request_copy (request);
  g_task_set_task_data (task, call, request_call_free);

  sonde_session_invoke (self, worker_request_cb, g_steal_pointer (&task), g_object_unref);
}

/**
 * sonde_session_send_request_finish:
 * @seq: (out) (optional): the sequence number of the `request` entry, or
 *   %G_MAXUINT64 when none was logged
 *
 * Returns: whether a response came; otherwise @error says why
 */
gboolean
sonde_session_send_request_finish (SondeSession  *self,
                                   GAsyncResult  *result,
                                   guint64       *seq,
                                   GError       **error)
{
  g_autofree guint64 *value = NULL;
  const guint64 *failed;

  g_return_val_if_fail (SONDE_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  failed = g_object_get_data (G_OBJECT (result), "sonde-seq");
  if (seq != NULL)
    *seq = value != NULL ? *value : failed != NULL ? *failed : G_MAXUINT64;
  return value != NULL;
}

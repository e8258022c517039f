/* sonde-session-probe.c: asks a server whose certificate was refused which problems it has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-session-private.h"

typedef struct
{
  SondeSessionWorker   *worker;
  GCancellable         *cancellable;
  GTlsCertificateFlags  errors;
} Probe;

static gboolean
probe_accept_certificate_cb (GTlsConnection       *connection,
                             GTlsCertificate      *certificate,
                             GTlsCertificateFlags  errors,
                             gpointer              user_data)
{
  Probe *probe = user_data;

  probe->errors = errors;
  return FALSE;
}

static void
probe_event_cb (GSocketClient      *client,
                GSocketClientEvent  event,
                GSocketConnectable *connectable,
                GIOStream          *connection,
                gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    g_signal_connect (connection, "accept-certificate",
                      G_CALLBACK (probe_accept_certificate_cb), user_data);
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, NULL);

  /* A probe of an attempt that a newer one replaced says nothing about the
   * newer one: written late, it gave an accepted tab its problems back. Both
   * run on the worker's context, so the check cannot race the cancel. */
  if (!g_cancellable_is_cancelled (probe->cancellable))
    {
      g_mutex_lock (&probe->worker->mutex);
      probe->worker->snapshot.certificate_errors = probe->errors;
      sonde_session_worker_wake_locked (probe->worker);
      g_mutex_unlock (&probe->worker->mutex);
    }

  g_object_unref (probe->cancellable);
  sonde_session_worker_unref (probe->worker);
  g_free (probe);
}

/* The engines say in words which certificate problem they refused; to offer
 * to accept exactly that problem, ask the server for its certificate once
 * more, and refuse it again, noting the problems this time. */
void
sonde_session_worker_probe_certificate (SondeSessionWorker *worker)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GUri) uri = NULL;
  g_autofree char *target = NULL;
  g_autofree char *host = NULL;
  Probe *probe;
  int port;

  uri = g_uri_parse (worker->config->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return;

  port = g_uri_get_port (uri) != -1 ? g_uri_get_port (uri) : 443;
  host = strchr (g_uri_get_host (uri), ':') != NULL
           ? g_strdup_printf ("[%s]", g_uri_get_host (uri))
           : g_strdup (g_uri_get_host (uri));
  target = g_strdup_printf ("https://%s:%d/", host, port);

  probe = g_new0 (Probe, 1);
  probe->worker = sonde_session_worker_ref (worker);

  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, MAX (1, worker->config->timeout_ms / 1000));
  g_signal_connect (client, "event", G_CALLBACK (probe_event_cb), probe);
  g_cancellable_cancel (worker->probe_cancellable);
  g_clear_object (&worker->probe_cancellable);
  worker->probe_cancellable = g_cancellable_new ();
  probe->cancellable = g_object_ref (worker->probe_cancellable);
  g_socket_client_connect_to_uri_async (client, target, port, worker->probe_cancellable,
                                        probe_done_cb, probe);
}

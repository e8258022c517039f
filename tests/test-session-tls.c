/* test-session-tls.c: a session refused a certificate says exactly which problems, and accepts them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A program of its own for the reason test-tls.c gives: LeakSanitizer's
 * tracer crashes at exit once glib-networking's TLS threads have run.
 */

#include "config.h"

#include <string.h>

#include "sonde-error.h"
#include "sonde-session.h"
#include "sonde-worker.h"
#include "sonde-test-util.h"

#define WAIT_MS 10000

static void
ws_handler (SoupServer              *server,
            SoupServerMessage       *msg,
            const char              *path,
            SoupWebsocketConnection *connection,
            gpointer                 user_data)
{
  soup_websocket_connection_send_text (connection, "secure hello");
}

static gboolean
has_certificate_errors (gpointer data)
{
  return sonde_session_get_certificate_errors (data) != 0;
}

static gboolean
has_no_certificate_errors (gpointer data)
{
  return sonde_session_get_certificate_errors (data) == 0;
}

static gboolean
has_data (gpointer data)
{
  SondeEventLog *log = sonde_session_get_log (data);

  return sonde_test_count_entries (log, SONDE_ENTRY_SSE, -1) +
         sonde_test_count_entries (log, SONDE_ENTRY_TEXT, -1) > 0;
}

/* Refused with the engine's words and the exact problems, then accepted for this session only. */
static void
test_session_tls (gconstpointer data)
{
  const char *scheme = data;
  g_autofree char *host_port = NULL;
  g_autoptr(SoupServer) server = sonde_test_tls_server_new (&host_port);
  g_autofree char *url = g_strdup_printf ("%s://%s/%s", scheme, host_port,
                                          g_str_equal (scheme, "wss") ? "ws" : "events");
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  SondeSession *session;
  GTlsCertificateFlags errors;

  soup_server_add_handler (server, "/events", sonde_test_sse_once_handler, NULL, NULL);
  soup_server_add_websocket_handler (server, "/ws", NULL, NULL, ws_handler, NULL, NULL);

  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);
  session = sonde_session_new (config);
  sonde_session_start (session);

  g_assert_true (sonde_test_wait_until (has_certificate_errors, session, WAIT_MS));
  g_assert_cmpint (sonde_session_get_state (session), ==, SONDE_CONNECTION_FAILED);
  g_assert_nonnull (strstr (sonde_session_get_reason (session),
                            "not signed by a certificate authority"));
  errors = sonde_session_get_certificate_errors (session);
  /* A self-signed certificate for another name than 127.0.0.1. */
  g_assert_cmpuint (errors, ==, G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);

  sonde_session_accept_certificate (session, errors);
  g_assert_cmpuint (sonde_session_get_config (session)->accepted_certificate_errors, ==, errors);
  g_assert_true (sonde_test_wait_until (has_data, session, WAIT_MS));
  /* The log is read directly; the session's published state follows within
   * a frame or so, and must then hold no problems. */
  g_assert_true (sonde_test_wait_until (has_no_certificate_errors, session, WAIT_MS));

  g_assert_finalize_object (session);
  g_assert_cmpuint (sonde_worker_get_n_running (), ==, 0);
  soup_server_disconnect (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sonde/session/tls/sse", "https", test_session_tls);
  g_test_add_data_func ("/sonde/session/tls/ws", "wss", test_session_tls);

  return g_test_run ();
}

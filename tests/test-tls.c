/* test-tls.c: how Sonde's connections meet a TLS certificate they cannot trust
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A program of its own: once glib-networking's TLS threads have run,
 * LeakSanitizer's tracer crashes at exit (seen with clang 14 on Debian 12),
 * so the sanitized build runs this one with AddressSanitizer alone.
 */

#include "config.h"

#include <string.h>

#include "sonde-error.h"
#include "sonde-sse-client.h"
#include "sonde-test-util.h"

static gboolean
connection_ended (gpointer data)
{
  SondeConnectionState state = sonde_connection_get_state (data);

  return state == SONDE_CONNECTION_CLOSED || state == SONDE_CONNECTION_FAILED;
}

/* A certificate no authority signed, for another name: refused for good, with both reasons. */
static void
test_tls_refused (void)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "test-key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SondeSseClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const GError *failure;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d/events", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  client = sonde_sse_client_new (url, NULL);
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));

  g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
  failure = sonde_connection_get_error (SONDE_CONNECTION (client));
  g_assert_error (failure, SONDE_ERROR, SONDE_ERROR_TLS);
  g_assert_nonnull (strstr (failure->message, "not signed by a certificate authority"));
  g_assert_nonnull (strstr (failure->message, "another host name"));
  /* Refused for good: retrying cannot make the certificate acceptable. */
  sonde_test_spin (100);
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_connection_get_log (SONDE_CONNECTION (client))), ==, 1);

  soup_server_disconnect (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/tls/sse-refused", test_tls_refused);

  return g_test_run ();
}

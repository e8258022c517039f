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
#include "sonde-tls.h"
#include "sonde-entry.h"
#include "sonde-ws-client.h"

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

static void
events_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  static const char body[] = "id: 1\ndata: over tls\n\n";
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            body, strlen (body));
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

/* Accepting a named problem lets exactly that certificate through, and says so. */
static void
test_tls_accepted (void)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "test-key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GTlsCertificateFlags accepted;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, "/events", events_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d/events", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  /* Only one of the two problems accepted: still refused. */
  {
    g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);

    g_assert_true (sonde_tls_flags_parse ("unknown-ca", &accepted, &error));
    sonde_connection_set_accepted_certificate_errors (SONDE_CONNECTION (client), accepted);
    sonde_connection_start (SONDE_CONNECTION (client));
    g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
    g_assert_error (sonde_connection_get_error (SONDE_CONNECTION (client)), SONDE_ERROR, SONDE_ERROR_TLS);
    g_assert_nonnull (strstr (sonde_connection_get_error (SONDE_CONNECTION (client))->message,
                              "another host name"));
  }

  /* Both accepted: the stream flows and the open entry names what was accepted. */
  {
    g_autoptr(SondeSseClient) client = sonde_sse_client_new (url, NULL);
    SondeReconnectPolicy none = { .mode = SONDE_RECONNECT_NONE };
    SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
    g_autoptr(JsonObject) fields = NULL;
    SondeEntryView view;

    g_assert_true (sonde_tls_flags_parse ("unknown-ca, bad-identity", &accepted, &error));
    sonde_connection_set_accepted_certificate_errors (SONDE_CONNECTION (client), accepted);
    sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
    sonde_connection_start (SONDE_CONNECTION (client));
    g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
    g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

    g_assert_true (sonde_event_log_get_view (log, 0, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
    fields = sonde_test_entry_fields (&view);
    g_assert_nonnull (strstr (json_object_get_string_member (fields, "certificate_accepted"),
                              "another host name"));
    g_assert_true (sonde_event_log_get_view (log, 1, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
  }

  /* Names that are not problems are refused with the list of those that are. */
  g_assert_false (sonde_tls_flags_parse ("unknown-ca,too-old", &accepted, &error));
  g_assert_nonnull (strstr (error->message, "too-old"));

  soup_server_disconnect (server);
}

static void
ws_handler (SoupServer              *server,
            SoupServerMessage       *msg,
            const char              *path,
            SoupWebsocketConnection *connection,
            gpointer                 user_data)
{
  soup_websocket_connection_send_text (connection, "secure hello");
  soup_websocket_connection_close (connection, 1000, NULL);
}

/* wss: refused by default and naming the problems; accepted when named, and said so. */
static void
test_wss (void)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "test-key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GTlsCertificateFlags accepted;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_websocket_handler (server, "/ws", NULL, NULL, ws_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("wss://127.0.0.1:%d/ws", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  {
    g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
    const GError *failure;

    sonde_connection_start (SONDE_CONNECTION (client));
    g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
    g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_FAILED);
    failure = sonde_connection_get_error (SONDE_CONNECTION (client));
    g_assert_error (failure, SONDE_ERROR, SONDE_ERROR_TLS);
    g_assert_nonnull (strstr (failure->message, "not signed by a certificate authority"));
    g_assert_nonnull (strstr (failure->message, "another host name"));
  }

  {
    g_autoptr(SondeWsClient) client = sonde_ws_client_new (url, NULL);
    SondeEventLog *log = sonde_connection_get_log (SONDE_CONNECTION (client));
    g_autoptr(JsonObject) fields = NULL;
    g_autofree char *data = NULL;
    SondeEntryView view;

    g_assert_true (sonde_tls_flags_parse ("unknown-ca,bad-identity", &accepted, &error));
    sonde_connection_set_accepted_certificate_errors (SONDE_CONNECTION (client), accepted);
    sonde_connection_start (SONDE_CONNECTION (client));
    g_assert_true (sonde_test_wait_until (connection_ended, client, 10000));
    g_assert_cmpint (sonde_connection_get_state (SONDE_CONNECTION (client)), ==, SONDE_CONNECTION_CLOSED);

    g_assert_true (sonde_event_log_get_view (log, 0, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
    fields = sonde_test_entry_fields (&view);
    g_assert_nonnull (strstr (json_object_get_string_member (fields, "certificate_accepted"),
                              "not signed by a certificate authority"));
    g_assert_true (sonde_event_log_get_view (log, 1, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_TEXT);
    data = sonde_entry_view_dup_data (&view, NULL, NULL);
    g_assert_cmpstr (data, ==, "secure hello");
  }

  soup_server_disconnect (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/tls/sse-refused", test_tls_refused);
  g_test_add_func ("/sonde/tls/sse-accepted", test_tls_accepted);
  g_test_add_func ("/sonde/tls/wss", test_wss);

  return g_test_run ();
}

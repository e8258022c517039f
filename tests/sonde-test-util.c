/* sonde-test-util.c: what several test programs share: bounded waits, a loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <signal.h>
#include <string.h>
#include <zlib.h>

#include <glib/gstdio.h>

#include "sonde-compare.h"
#include "sonde-connection.h"
#include "sonde-entry.h"
#include "sonde-stamp.h"
#include "sonde-test-util.h"
#include "sonde-ws-frame.h"

/**
 * sonde_test_wait_until:
 *
 * Iterates the default main context until @cond holds, for @timeout_ms at most.
 *
 * Returns: whether @cond came to hold
 */
gboolean
sonde_test_wait_until (gboolean (*cond) (gpointer),
                       gpointer   data,
                       guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }

  return TRUE;
}

/**
 * sonde_test_spin:
 *
 * Keeps the default main context running for @ms, so that something that
 * should not happen gets its chance to happen.
 */
void
sonde_test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/**
 * sonde_test_server_new:
 * @base_url: (out): `http://127.0.0.1:PORT`
 *
 * Returns: (transfer full): a SoupServer listening on a free loopback port
 */
SoupServer *
sonde_test_server_new (char **base_url)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  *base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return server;
}

/**
 * sonde_test_entry_fields:
 *
 * Returns: (transfer full): an entry's fields (JSON members without braces) as an object
 */
JsonObject *
sonde_test_entry_fields (const SondeEntryView *view)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/**
 * sonde_test_count_entries:
 * @direction: a #SondeDirection, or -1 for any
 *
 * Returns: how many entries of @log are of @kind, from @direction
 */
guint
sonde_test_count_entries (SondeEventLog  *log,
                          SondeEntryKind  kind,
                          int             direction)
{
  guint n = 0;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      n += view.kind == kind && (direction < 0 || (int)view.direction == direction);
    }

  return n;
}

/**
 * sonde_test_tls_server_new:
 * @host_port: (out): `127.0.0.1:PORT`
 *
 * Returns: (transfer full): an HTTPS SoupServer on a free loopback port with
 *   tests/data/test-cert.pem, a self-signed certificate for another name
 */
SoupServer *
sonde_test_tls_server_new (char **host_port)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "test-key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *host_port = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return server;
}

/**
 * sonde_test_mock_server_new:
 * @first_property: (nullable): the first of the server's properties to set,
 *   followed by its value, then more pairs, then %NULL
 *
 * Returns: (transfer full): a mock server replaying @recording, started on a
 *   free loopback port
 */
SondeMockServer *
sonde_test_mock_server_new (SondeEventLog *recording,
                            const char    *first_property,
                            ...)
{
  SondeMockServer *server = sonde_mock_server_new (recording);
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first_property);
  if (first_property != NULL)
    g_object_set_valist (G_OBJECT (server), first_property, args);
  va_end (args);

  g_assert_true (sonde_mock_server_start (server, &error));
  g_assert_no_error (error);

  return server;
}

/**
 * sonde_test_sse_once_handler:
 * @user_data: (nullable): the whole body, a string; "id: 1\ndata: hello\n\n" if %NULL
 *
 * A SoupServer handler that answers with an event stream of @user_data,
 * then ends it.
 */
void
sonde_test_sse_once_handler (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  const char *body = user_data != NULL ? user_data : "id: 1\ndata: hello\n\n";
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            body, strlen (body));
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static void
echo_cb (SoupWebsocketConnection *ws,
         gint                     type,
         GBytes                  *message,
         gpointer                 user_data)
{
  soup_websocket_connection_send_message (ws, type, message);
}

static void
echo_handler (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  /* The server holds its connections until it goes. */
  g_ptr_array_add (user_data, g_object_ref (connection));
  g_signal_connect (connection, "message", G_CALLBACK (echo_cb), NULL);
}

/**
 * sonde_test_ws_echo_server_new:
 * @ws_url: (out): `ws://127.0.0.1:PORT/ws`
 *
 * Returns: (transfer full): libsoup's WebSocket server on loopback, echoing
 *   every message back as it came
 */
SoupServer *
sonde_test_ws_echo_server_new (char **ws_url)
{
  g_autofree char *base = NULL;
  SoupServer *server = sonde_test_server_new (&base);
  GPtrArray *connections = g_ptr_array_new_with_free_func (g_object_unref);

  g_object_set_data_full (G_OBJECT (server), "sonde-test-connections", connections,
                          (GDestroyNotify)g_ptr_array_unref);
  soup_server_add_websocket_handler (server, "/ws", NULL, NULL, echo_handler, connections, NULL);
  *ws_url = g_strdup_printf ("ws%s/ws", base + strlen ("http"));
  return server;
}

/* For sonde_test_wait_until() on a SondeConnection. */
gboolean
sonde_test_connection_is_open (gpointer connection)
{
  return sonde_connection_get_state (connection) == SONDE_CONNECTION_OPEN;
}

/* A session on @url with every other option at its default. */
SondeSession *
sonde_test_session_new (const char *url)
{
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);

  return sonde_session_new (config);
}

gboolean
sonde_test_session_is_open (gpointer session)
{
  return sonde_session_get_state (session) == SONDE_CONNECTION_OPEN;
}

gboolean
sonde_test_connection_has_ended (gpointer connection)
{
  SondeConnectionState state = sonde_connection_get_state (connection);

  return state == SONDE_CONNECTION_CLOSED || state == SONDE_CONNECTION_FAILED;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SondeTestRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((SondeTestRun *)data)->done;
}

/**
 * sonde_test_run_start:
 * @argv: the program and its arguments
 *
 * Starts a program with its output captured, in an English UTF-8 locale,
 * with Debian's node modules where the program looks.
 */
void
sonde_test_run_start (SondeTestRun       *run,
                      const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  memset (run, 0, sizeof *run);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", "/usr/share/nodejs", TRUE);
  run->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (run->process, NULL, NULL, communicate_cb, run);
}

/**
 * sonde_test_run_wait:
 *
 * Waits, 40 seconds at the most, for a program started with
 * sonde_test_run_start() to end on its own.
 *
 * Returns: its exit status
 */
int
sonde_test_run_wait (SondeTestRun *run)
{
  g_assert_true (sonde_test_wait_until (run_done, run, 40000));
  g_assert_true (g_subprocess_get_if_exited (run->process));
  run->status = g_subprocess_get_exit_status (run->process);

  return run->status;
}

/**
 * sonde_test_run:
 *
 * Starts a program and waits for it.
 *
 * Returns: its exit status
 */
int
sonde_test_run (SondeTestRun       *run,
                const char * const *argv)
{
  sonde_test_run_start (run, argv);
  return sonde_test_run_wait (run);
}

void
sonde_test_run_clear (SondeTestRun *run)
{
  g_clear_object (&run->process);
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/**
 * sonde_test_sonde_argv:
 * @args: the subcommand's arguments
 *
 * Returns: (transfer full): `$SONDE_BIN SUBCOMMAND ARGS...`
 */
GStrv
sonde_test_sonde_argv (const char         *subcommand,
                       const char * const *args)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  const char *sonde = g_getenv ("SONDE_BIN");
  GStrv argv;

  g_assert_nonnull (sonde);
  g_strv_builder_add (builder, sonde);
  g_strv_builder_add (builder, subcommand);
  for (guint i = 0; args[i] != NULL; i++)
    g_strv_builder_add (builder, args[i]);
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return argv;
}

/**
 * sonde_test_serve_start:
 * @args: `sonde serve`'s arguments
 * @sse_url: (out) (optional): the SSE URL it prints
 * @ws_url: (out) (optional): the WebSocket URL it prints
 *
 * Starts `sonde serve` in a process of its own, so that its server's
 * complaints about clients are its own, and waits for its URLs.
 *
 * Returns: (transfer full): the process; end it with sonde_test_serve_stop()
 */
GSubprocess *
sonde_test_serve_start (const char * const  *args,
                        char               **sse_url,
                        char               **ws_url)
{
  g_auto(GStrv) argv = sonde_test_sonde_argv ("serve", args);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *serve;
  char *line;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  serve = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);

  /* It prints its URLs at once, then "Press Ctrl+C"; the pipe ends if it fails. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  /* The pipe stays open after this: closing it would kill the server at its next line. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      g_autofree char *owned = line;
      const char *url = strstr (owned, "://");

      if (url != NULL)
        {
          while (url > owned && url[-1] != ' ')
            url--;
          if (strstr (owned, "SSE:") != NULL && sse_url != NULL)
            *sse_url = g_strdup (url);
          else if (strstr (owned, "WebSocket:") != NULL && ws_url != NULL)
            *ws_url = g_strdup (url);
        }
      if (g_str_has_prefix (owned, "Press Ctrl+C"))
        break;
    }
  g_assert_no_error (error);
  g_assert_true (sse_url == NULL || *sse_url != NULL);
  g_assert_true (ws_url == NULL || *ws_url != NULL);

  return serve;
}

/**
 * sonde_test_serve_stop:
 *
 * Interrupts `sonde serve` as Ctrl+C does and waits for it.
 */
void
sonde_test_serve_stop (GSubprocess *serve)
{
  g_subprocess_send_signal (serve, SIGINT);
  g_subprocess_wait (serve, NULL, NULL);
  g_object_unref (serve);
}

/**
 * sonde_test_run_sonde:
 * @args: the subcommand's arguments
 *
 * Runs `$SONDE_BIN SUBCOMMAND ARGS...` to its end.
 *
 * Returns: its exit status
 */
int
sonde_test_run_sonde (SondeTestRun       *run,
                      const char         *subcommand,
                      const char * const *args)
{
  g_auto(GStrv) argv = sonde_test_sonde_argv (subcommand, args);

  return sonde_test_run (run, (const char * const *)argv);
}

/**
 * sonde_test_repeat:
 * @unit: what to repeat, such as "[" for deeply nested JSON
 * @end: what follows the repeats
 *
 * Returns: (transfer full): @times times @unit, then @end
 */
char *
sonde_test_repeat (const char *unit,
                   guint       times,
                   const char *end)
{
  GString *text = g_string_sized_new (strlen (unit) * times + strlen (end) + 1);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  g_string_append (text, end);
  return g_string_free (text, FALSE);
}

/**
 * sonde_test_use_german_numbers:
 *
 * Compiles Debian's de_DE definition (package locales) with localedef into a
 * new folder, points glibc at it (LOCPATH) and switches LC_NUMERIC to it, so
 * that numbers for people take a decimal comma. Fails the test when it cannot:
 * a German check that silently ran in C would prove nothing.
 *
 * Returns: (transfer full): the folder, for sonde_test_stop_german_numbers()
 */
char *
sonde_test_use_german_numbers (void)
{
  char *dir = sonde_test_tmp_dir_new ("sonde-locale-XXXXXX");
  g_autofree char *target = g_build_filename (dir, "de_DE.UTF-8", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", target, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("localedef -i de_DE failed (is the package locales installed?): %s", err);
  g_setenv ("LOCPATH", dir, TRUE);
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    g_error ("no de_DE.UTF-8 locale in %s", dir);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

/**
 * sonde_test_stop_german_numbers:
 *
 * Back to C.UTF-8 numbers; deletes the folder of sonde_test_use_german_numbers().
 */
void
sonde_test_stop_german_numbers (char *dir)
{
  g_assert_nonnull (setlocale (LC_NUMERIC, "C.UTF-8"));
  g_unsetenv ("LOCPATH");
  remove_tree (dir);
  g_free (dir);
}

/**
 * sonde_test_tmp_dir_new:
 * @tmpl: a name for g_dir_make_tmp(), ending in XXXXXX
 *
 * Returns: (transfer full): the path of a new empty folder
 */
char *
sonde_test_tmp_dir_new (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

/**
 * sonde_test_tmp_dir_free:
 *
 * Deletes the files in @dir (not folders in it), then @dir, and frees the path.
 */
void
sonde_test_tmp_dir_free (char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

/* A scripted HTTP peer: bytes the test chose, whatever HTTP says. */
struct _SondeTestRawServer
{
  GSocketService *service;
  char           *url;
  GBytes         *response;
  GPtrArray      *held;            /* connections kept open, silent */
  GCancellable   *cancellable;     /* what is in flight when the server goes */
  guint           n_connections;
};

typedef struct
{
  SondeTestRawServer *server;
  GSocketConnection  *connection;
  GByteArray         *request;
  guint8              buffer[4096];
} RawClient;

static void
raw_client_free (RawClient *client)
{
  g_object_unref (client->connection);
  g_byte_array_unref (client->request);
  g_free (client);
}

static void
raw_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawClient *client = user_data;

  /* The peer may have gone; what it was sent is all this server does. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  raw_client_free (client);
}

static void raw_read_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
raw_read_more (RawClient *client)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (client->connection)),
                             client->buffer, sizeof client->buffer, G_PRIORITY_DEFAULT,
                             client->server->cancellable, raw_read_cb, client);
}

static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawClient *client = user_data;
  SondeTestRawServer *server = client->server;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  GOutputStream *out;

  if (n <= 0)
    {
      raw_client_free (client);
      return;
    }
  g_byte_array_append (client->request, client->buffer, (guint)n);
  /* The whole request head is read first, so that closing never resets it. */
  if (g_strstr_len ((const char *)client->request->data, client->request->len, "\r\n\r\n") == NULL)
    {
      raw_read_more (client);
      return;
    }

  if (server->response == NULL)
    {
      g_ptr_array_add (server->held, g_object_ref (client->connection));
      raw_client_free (client);
      return;
    }

  out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));
  g_output_stream_write_all_async (out, g_bytes_get_data (server->response, NULL),
                                   g_bytes_get_size (server->response), G_PRIORITY_DEFAULT,
                                   server->cancellable, raw_written_cb, client);
}

static gboolean
raw_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source_object,
                 gpointer           user_data)
{
  SondeTestRawServer *server = user_data;
  RawClient *client = g_new0 (RawClient, 1);

  server->n_connections++;
  client->server = server;
  client->connection = g_object_ref (connection);
  client->request = g_byte_array_new ();
  raw_read_more (client);

  return TRUE;
}

/**
 * sonde_test_raw_server_new:
 * @response: (nullable): the bytes every connection gets once its request
 *   head is in, before the server closes it; %NULL to hold each connection
 *   open and say nothing
 * @len: the length of @response, or -1 when it ends with NUL
 *
 * Returns: (transfer full): a server on a free loopback port that counts
 *   its connections
 */
SondeTestRawServer *
sonde_test_raw_server_new (const char *response,
                           gssize      len)
{
  SondeTestRawServer *server = g_new0 (SondeTestRawServer, 1);
  g_autoptr(GError) error = NULL;
  guint16 port;

  server->service = g_socket_service_new ();
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (server->service), NULL, &error);
  g_assert_no_error (error);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  if (response != NULL)
    server->response = g_bytes_new (response, len < 0 ? strlen (response) : (gsize)len);
  server->held = g_ptr_array_new_with_free_func (g_object_unref);
  server->cancellable = g_cancellable_new ();
  g_signal_connect (server->service, "incoming", G_CALLBACK (raw_incoming_cb), server);
  g_socket_service_start (server->service);

  return server;
}

/**
 * sonde_test_sse_stream_response:
 * @n_events: events with ids 0 to @n_events - 1
 * @size: the bytes of each event's data
 *
 * Returns: (transfer full): an SSE response for sonde_test_raw_server_new():
 *   `retry: 100`, then the events; with large events, whole blocks of a
 *   log, again 100 ms after each close
 */
GString *
sonde_test_sse_stream_response (guint n_events,
                                gsize size)
{
  GString *response = g_string_new ("HTTP/1.1 200 OK\r\n"
                                    "Content-Type: text/event-stream\r\n"
                                    "Cache-Control: no-cache\r\n"
                                    "\r\n"
                                    "retry: 100\n\n");
  g_autofree char *data = g_strnfill (size, 'x');

  for (guint i = 0; i < n_events; i++)
    g_string_append_printf (response, "id: %u\ndata: %s\n\n", i, data);
  return response;
}

/**
 * sonde_test_raw_server_get_url:
 *
 * Returns: `http://127.0.0.1:PORT`
 */
const char *
sonde_test_raw_server_get_url (SondeTestRawServer *server)
{
  return server->url;
}

guint
sonde_test_raw_server_get_n_connections (SondeTestRawServer *server)
{
  return server->n_connections;
}

void
sonde_test_raw_server_free (SondeTestRawServer *server)
{
  g_cancellable_cancel (server->cancellable);
  g_object_unref (server->cancellable);
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_signal_handlers_disconnect_by_data (server->service, server);
  g_object_unref (server->service);
  for (guint i = 0; i < server->held->len; i++)
    g_io_stream_close (g_ptr_array_index (server->held, i), NULL, NULL);
  g_ptr_array_unref (server->held);
  g_clear_pointer (&server->response, g_bytes_unref);
  g_free (server->url);
  g_free (server);
}

static void
process_wait_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *)user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

/**
 * sonde_test_process_wait:
 *
 * Waits, 40 seconds at the most and with the main loop turning, for
 * @process to exit.
 *
 * Returns: its exit status
 */
int
sonde_test_process_wait (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, process_wait_cb, &done);
  g_assert_true (sonde_test_wait_until (flag_set, &done, 40000));
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

/**
 * sonde_test_ws_accept:
 * @request: a WebSocket upgrade request's head
 *
 * Returns: (transfer full): the Sec-WebSocket-Accept its key asks for
 */
char *
sonde_test_ws_accept (const char *request)
{
  const char *key = strstr (request, "Sec-WebSocket-Key: ");
  g_autofree char *value = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_assert_nonnull (key);
  key += strlen ("Sec-WebSocket-Key: ");
  value = g_strndup (key, strcspn (key, "\r\n"));
  g_checksum_update (sha1, (const guint8 *)value, -1);
  g_checksum_update (sha1, (const guint8 *)"258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &len);

  return g_base64_encode (digest, len);
}

/**
 * sonde_test_threaded_service_new:
 * @run: the service's "run" handler, called in a thread per connection
 * @destroy: (nullable): frees @data once no thread can use it any more: when
 *   the service goes, which is after its last connection's thread ended
 * @port: (out): the loopback port it listens on
 *
 * Returns: (transfer full): a started threaded socket service on 127.0.0.1,
 *   for raw scripted servers
 */
GSocketService *
sonde_test_threaded_service_new (GCallback       run,
                                 gpointer        data,
                                 GClosureNotify  destroy,
                                 guint16        *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  GSocketService *service = g_threaded_socket_service_new (4);

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect_data (service, "run", run, data, destroy, 0);
  g_socket_service_start (service);

  return service;
}

static GTlsCertificate *
test_certificate (void)
{
  g_autofree char *cert_path = g_test_build_filename (G_TEST_DIST, "data", "test-cert.pem", NULL);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "data", "test-key.pem", NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  return certificate;
}

static gboolean
tls_sse_run (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                user_data)
{
  static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                 "Cache-Control: no-store\r\n\r\nid: 1\ndata: over tls\n\n";
  g_autoptr(GTlsCertificate) certificate = test_certificate ();
  g_autoptr(GIOStream) tls = NULL;
  GString *request = g_string_new (NULL);
  char buffer[1024];
  gssize n;

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), certificate, NULL);
  /* A client that refuses the certificate ends here, which is what it should do. */
  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    {
      g_string_free (request, TRUE);
      return TRUE;
    }

  while (strstr (request->str, "\r\n\r\n") == NULL &&
         (n = g_input_stream_read (g_io_stream_get_input_stream (tls), buffer, sizeof buffer,
                                   NULL, NULL)) > 0)
    g_string_append_len (request, buffer, n);
  g_string_free (request, TRUE);

  g_output_stream_write_all (g_io_stream_get_output_stream (tls), response, strlen (response),
                             NULL, NULL, NULL);
  g_io_stream_close (tls, NULL, NULL);

  return TRUE;
}

/**
 * sonde_test_tls_sse_service_new:
 * @port: (out): the loopback port
 *
 * Returns: (transfer full): a raw HTTPS server with test-cert.pem (self-signed,
 *   for another name) answering every request with one SSE event, then the
 *   end of the stream; it runs on threads of its own and says nothing about
 *   clients that refuse its certificate. Free with
 *   sonde_test_threaded_service_free().
 */
GSocketService *
sonde_test_tls_sse_service_new (guint16 *port)
{
  return sonde_test_threaded_service_new (G_CALLBACK (tls_sse_run), NULL, NULL, port);
}

void
sonde_test_threaded_service_free (GSocketService *service)
{
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
}


/**
 * sonde_test_take_port:
 * @port: (out): the port it holds on 127.0.0.1
 *
 * Returns: (transfer full): the listener that holds it, until freed
 */
GSocketListener *
sonde_test_take_port (guint *port)
{
  GSocketListener *listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error));
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  return listener;
}

struct _SondeTestMirror
{
  GListModel *model;
  GArray     *seqs;       /* guint64 */
  gulong      handler;
  guint       removed;    /* rows removed, over all signals */
};

static guint64
mirror_seq_at (GListModel *model,
               guint       position)
{
  g_autoptr(SondeEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);
  return sonde_entry_get_seq (entry);
}

static void
mirror_items_changed_cb (GListModel      *model,
                         guint            position,
                         guint            removed,
                         guint            added,
                         SondeTestMirror *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->seqs->len);
  g_array_remove_range (mirror->seqs, position, removed);
  mirror->removed += removed;
  for (guint i = 0; i < added; i++)
    {
      guint64 seq = mirror_seq_at (model, position + i);

      g_array_insert_val (mirror->seqs, position + i, seq);
    }
  /* The count the model gives during the signal is the one after it. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, mirror->seqs->len);
}

SondeTestMirror *
sonde_test_mirror_new (GListModel *model)
{
  SondeTestMirror *mirror = g_new0 (SondeTestMirror, 1);
  guint n = g_list_model_get_n_items (model);

  mirror->model = g_object_ref (model);
  mirror->seqs = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint i = 0; i < n; i++)
    {
      guint64 seq = mirror_seq_at (model, i);

      g_array_append_val (mirror->seqs, seq);
    }
  mirror->handler = g_signal_connect (model, "items-changed",
                                      G_CALLBACK (mirror_items_changed_cb), mirror);
  return mirror;
}

/* The model holds exactly what its signals said, in sequence order. */
void
sonde_test_mirror_check (SondeTestMirror *mirror)
{
  guint n = g_list_model_get_n_items (mirror->model);

  g_assert_cmpuint (n, ==, mirror->seqs->len);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (mirror_seq_at (mirror->model, i), ==,
                        g_array_index (mirror->seqs, guint64, i));
      if (i > 0)
        g_assert_cmpuint (g_array_index (mirror->seqs, guint64, i - 1), <,
                          g_array_index (mirror->seqs, guint64, i));
    }
}

guint
sonde_test_mirror_removed (SondeTestMirror *mirror)
{
  return mirror->removed;
}

void
sonde_test_mirror_free (SondeTestMirror *mirror)
{
  g_clear_signal_handler (&mirror->handler, mirror->model);
  g_object_unref (mirror->model);
  g_array_unref (mirror->seqs);
  g_free (mirror);
}

/**
 * sonde_test_stamped_times:
 * @max_position: positions at or past this fail the test
 *
 * Returns: the send time in the stamp of each incoming message of @log, by
 *   position; 0 where none came. A repeat must carry its first copy's time.
 */
GArray *
sonde_test_stamped_times (SondeEventLog *log,
                          guint          max_position)
{
  GArray *times = g_array_new (FALSE, TRUE, sizeof (gint64));

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;
      guint32 position;
      gint64 sent_us;

      sonde_event_log_get_view (log, i, &view);
      if (!sonde_stamp_entry_read (&view, &position, &sent_us))
        continue;
      g_assert_cmpuint (position, <, max_position);
      if (position >= times->len)
        g_array_set_size (times, position + 1);
      if (g_array_index (times, gint64, position) != 0)
        g_assert_cmpint (g_array_index (times, gint64, position), ==, sent_us);
      g_array_index (times, gint64, position) = sent_us;
    }
  return times;
}

/**
 * sonde_test_steady_recording:
 * @n_events: how many events
 *
 * Returns: (transfer full): an SSE feed: retry: 50, then @n_events events
 *   20 ms apart (ids e0, e1, …; data {"tick":N})
 */
SondeEventLog *
sonde_test_steady_recording (guint n_events)
{
  SondeEventLog *log = sonde_event_log_new ();

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, 0, "\"ms\":50", 7,
                          NULL, 0);
  for (guint i = 0; i < n_events; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);
      g_autofree char *raw = g_strdup_printf ("id: %s\ndata: {\"tick\":%u}\n\n", id, i);

      sonde_event_log_append (log, 1000 + i * 20000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id,
                              strlen (id), NULL, 0, (const guint8 *)raw, strlen (raw));
    }
  return log;
}

/**
 * sonde_test_assert_all_received:
 *
 * Fails unless @comparison ran on the mock server's feed, ended, and every
 * transport received each message the feed published: none lost.
 */
void
sonde_test_assert_all_received (SondeComparison *comparison)
{
  gint64 published = sonde_comparison_get_feed_messages (comparison);

  g_assert_cmpint (published, >, 0);
  g_assert_cmpint (sonde_comparison_get_elapsed (comparison), <, 60 * G_USEC_PER_SEC);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      const SondeCompareFigures *f = sonde_comparison_get_figures (comparison, t);

      g_test_message ("%s: %u of %" G_GINT64_FORMAT ", %u drops", sonde_compare_transport_name (t),
                      f->messages[0], published, f->drops);
      g_assert_cmpuint (f->messages[0], ==, published);
      g_assert_cmpuint (f->lost, ==, 0);
    }
}

/**
 * sonde_test_text_recording:
 * @texts: %NULL-terminated
 *
 * Returns: (transfer full): the texts as WebSocket text messages 10 ms
 *   apart, then "late" at 30 s, which no test's run reaches, so that the
 *   mock server's streams stay open (a stream that ends is a drop)
 */
SondeEventLog *
sonde_test_text_recording (const char * const *texts)
{
  SondeEventLog *log = sonde_event_log_new ();
  guint i;

  for (i = 0; texts[i] != NULL; i++)
    {
      g_autoptr(GByteArray) frame = g_byte_array_new ();

      sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)texts[i],
                             strlen (texts[i]), FALSE);
      sonde_event_log_append (log, i * 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, 0, NULL,
                              0, frame->data, frame->len);
    }
  {
    g_autoptr(GByteArray) frame = g_byte_array_new ();

    sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)"late", 4,
                           FALSE);
    sonde_event_log_append (log, 30 * G_USEC_PER_SEC, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL,
                            0, NULL, 0, frame->data, frame->len);
  }
  return log;
}

/* One compressed message of about @mebibytes KiB that inflates to
 * @mebibytes MiB of zeros, as permessage-deflate sends it (no context taken over).
 * After a flush, the window holds only zeros, so the next mebibyte's blocks
 * are the same bytes each time: they are made once and repeated. */
GBytes *
sonde_test_deflate_bomb (guint mebibytes)
{
  g_autofree guint8 *zeros = g_malloc0 (1024 * 1024);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) again = g_byte_array_new ();
  guint8 buffer[65536];
  z_stream zs = { 0 };

  g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
  for (guint i = 0; i < 2; i++)
    {
      zs.next_in = zeros;
      zs.avail_in = 1024 * 1024;
      do
        {
          zs.next_out = buffer;
          zs.avail_out = sizeof buffer;
          g_assert_cmpint (deflate (&zs, Z_SYNC_FLUSH), !=, Z_STREAM_ERROR);
          g_byte_array_append (i == 0 ? out : again, buffer, sizeof buffer - zs.avail_out);
        }
      while (zs.avail_out == 0);
    }
  deflateEnd (&zs);
  for (guint i = 1; i < mebibytes; i++)
    g_byte_array_append (out, again->data, again->len);

  /* permessage-deflate leaves out the 00 00 FF FF that ends a sync flush. */
  g_assert_cmpuint (out->len, >, 4);
  g_byte_array_set_size (out, out->len - 4);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

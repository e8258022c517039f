/* test-cli-serve.c: `sonde serve` with clients no one here wrote, faults, and record-replay round trips
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-test-util.h"

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *log_path;
  char        *sse_url;
  char        *ws_url;
  char        *publish_url;
} Serve;

static gboolean
file_has_urls (gpointer data)
{
  Serve *serve = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (serve->log_path, &text, NULL, NULL) && strstr (text, "Press Ctrl") != NULL;
}

static char *
url_after (const char *text,
           const char *label)
{
  const char *start = strstr (text, label);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (label);
  while (*start == ' ')
    start++;
  end = strchr (start, '\n');
  return g_strndup (start, end - start);
}

/* Starts `sonde serve ARGS...`, its output to a file, and reads the URLs it prints. */
static void
serve_start (Serve               *serve,
             const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  memset (serve, 0, sizeof *serve);
  serve->dir = g_dir_make_tmp ("sonde-test-serve-XXXXXX", &error);
  g_assert_no_error (error);
  serve->log_path = g_build_filename (serve->dir, "serve.log", NULL);

  g_ptr_array_add (argv, (char *)g_getenv ("SONDE_BIN"));
  g_ptr_array_add (argv, (char *)"serve");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_stdout_file_path (launcher, serve->log_path);
  /* libsoup warns when a client is gone before the server reads its address
   * (a browser-like client that reconnects at once does that); the test's
   * fatal-warnings would turn the peer's haste into a crash of the server.
   * Criticals stay fatal. */
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly,fatal-criticals", TRUE);
  serve->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_test_wait_until (file_has_urls, serve, 10000));

  g_file_get_contents (serve->log_path, &text, NULL, NULL);
  serve->sse_url = url_after (text, "SSE:");
  serve->ws_url = url_after (text, "WebSocket:");
  serve->publish_url = url_after (text, "curl -d 'hello'");
}

/* Ctrl-C ends it cleanly. */
static void
serve_stop (Serve *serve)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_subprocess_send_signal (serve->process, SIGINT);
  g_subprocess_wait (serve->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (serve->process));
  g_assert_cmpint (g_subprocess_get_exit_status (serve->process), ==, 0);
  g_assert_true (g_file_get_contents (serve->log_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "Stopped."));

  g_unlink (serve->log_path);
  g_rmdir (serve->dir);
  g_clear_object (&serve->process);
  g_free (serve->dir);
  g_free (serve->log_path);
  g_free (serve->sse_url);
  g_free (serve->ws_url);
  g_free (serve->publish_url);
}

static GPtrArray *
json_lines (const char *text)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

static char *
peer_script (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "peers", name, NULL);
}

/* node-eventsource gets the demo's events, and after each drop resumes with Last-Event-ID. */
static void
test_eventsource_resumes (void)
{
  const char *args[] = { "--speed", "0", "--drop-after", "25", "--retry", "30", NULL };
  g_autofree char *script = peer_script ("eventsource-client.js");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  Serve serve;
  SondeTestRun client;

  serve_start (&serve, args);
  {
    const char *argv[] = { "node", script, serve.sse_url, "100", NULL };

    g_assert_cmpint (sonde_test_run (&client, argv), ==, 0);
  }
  events = json_lines (client.out);
  g_assert_cmpuint (events->len, ==, 100);

  /* Every event once, in the demo's order, across three drops. */
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 0), "type"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 0), "id"), ==, "status-1");
  for (guint i = 0; i < events->len; i++)
    {
      const char *id = json_object_get_string_member (g_ptr_array_index (events, i), "id");

      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer)id);
    }
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 25), "id"), ==, "q-25");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 50), "id"), ==, "q-50");

  sonde_test_run_clear (&client);
  serve_stop (&serve);
}

/* node-ws gets every message of the demo, binary snapshots included, then a normal close. */
static void
test_node_ws_client (void)
{
  const char *args[] = { "--speed", "0", NULL };
  g_autofree char *script = peer_script ("ws-client.js");
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *last;
  guint binary = 0;
  Serve serve;
  SondeTestRun client;

  serve_start (&serve, args);
  {
    const char *argv[] = { "node", script, serve.ws_url, NULL };

    g_assert_cmpint (sonde_test_run (&client, argv), ==, 0);
  }
  messages = json_lines (client.out);
  last = g_ptr_array_index (messages, messages->len - 1);
  g_assert_cmpint (json_object_get_int_member (last, "close"), ==, 1000);
  for (guint i = 0; i + 1 < messages->len; i++)
    binary += json_object_get_boolean_member (g_ptr_array_index (messages, i), "binary");
  /* The demo has four binary snapshots and 730-odd events. */
  g_assert_cmpuint (binary, ==, 4);
  g_assert_cmpuint (messages->len, >, 700);

  sonde_test_run_clear (&client);
  serve_stop (&serve);
}

/* Record from `sonde serve`, serve that recording, record again: the same events, ids kept. */
static void
test_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sonde-test-roundtrip-XXXXXX", NULL);
  g_autofree char *first = g_build_filename (dir, "first.jsonl", NULL);
  g_autofree char *second = g_build_filename (dir, "second.jsonl", NULL);
  const char *sonde = g_getenv ("SONDE_BIN");

  for (guint transport = 0; transport < 2; transport++)
    {
      g_autoptr(GPtrArray) a = NULL;
      g_autoptr(GPtrArray) b = NULL;
      g_autofree char *text_a = NULL;
      g_autofree char *text_b = NULL;
      const char *kind = transport == 0 ? "sse" : "text";
      guint n_a = 0, n_b = 0;

      for (guint round = 0; round < 2; round++)
        {
          const char *args[] = { "--speed", "0", round == 0 ? NULL : first, NULL };
          Serve serve;
          SondeTestRun recorder;

          serve_start (&serve, args);
          {
            const char *argv[] = { sonde, "record", transport == 0 ? serve.sse_url : serve.ws_url,
                                   "-o", round == 0 ? first : second, "--count", "60",
                                   "--reconnect", "none", NULL };

            g_assert_cmpint (sonde_test_run (&recorder, argv), ==, 0);
          }
          sonde_test_run_clear (&recorder);
          serve_stop (&serve);
        }

      g_assert_true (g_file_get_contents (first, &text_a, NULL, NULL));
      g_assert_true (g_file_get_contents (second, &text_b, NULL, NULL));
      a = json_lines (text_a);
      b = json_lines (text_b);
      for (guint i = 1, j = 1; i < a->len && j < b->len; i++, j++)
        {
          JsonObject *x, *y;

          while (i < a->len && g_strcmp0 (json_object_get_string_member (g_ptr_array_index (a, i), "kind"), kind) != 0)
            i++;
          while (j < b->len && g_strcmp0 (json_object_get_string_member (g_ptr_array_index (b, j), "kind"), kind) != 0)
            j++;
          if (i >= a->len || j >= b->len)
            break;
          x = g_ptr_array_index (a, i);
          y = g_ptr_array_index (b, j);
          g_assert_cmpstr (json_object_get_string_member (x, "data"), ==, json_object_get_string_member (y, "data"));
          if (transport == 0)
            {
              g_assert_cmpstr (json_object_get_string_member (x, "id"), ==, json_object_get_string_member (y, "id"));
              g_assert_cmpstr (json_object_get_string_member (x, "event"), ==, json_object_get_string_member (y, "event"));
            }
          n_a++;
          n_b++;
        }
      g_assert_cmpuint (n_a, ==, 60);
      g_assert_cmpuint (n_b, ==, 60);
    }

  g_unlink (first);
  g_unlink (second);
  g_rmdir (dir);
}

typedef struct
{
  const char *path;
  guint       lines;
} LineWait;

static gboolean
has_lines (gpointer data)
{
  LineWait *wait = data;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (wait->path, &text, NULL, NULL))
    return FALSE;
  for (const char *p = text; (p = strchr (p, '\n')) != NULL; p++)
    n++;
  return n >= wait->lines;
}

/* A recorder killed outright leaves a recording that opens, holding what it had flushed. */
static void
test_killed_recorder (void)
{
  const char *args[] = { "--speed", "20", "--loop", NULL };
  g_autofree char *dir = g_dir_make_tmp ("sonde-test-kill-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "killed.jsonl", NULL);
  const char *sonde = g_getenv ("SONDE_BIN");
  g_autoptr(GSubprocess) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LineWait wait = { path, 80 };
  guint complete = 0;
  Serve serve;
  SondeTestRun dump;

  serve_start (&serve, args);
  recorder = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, sonde, "record", serve.sse_url,
                               "-o", path, NULL);
  g_assert_no_error (error);
  g_assert_true (sonde_test_wait_until (has_lines, &wait, 20000));
  g_subprocess_force_exit (recorder);
  g_subprocess_wait (recorder, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (recorder));

  /* Everything written so far is whole lines; the reader opens it. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; (p = strchr (p, '\n')) != NULL; p++)
    complete++;
  g_assert_cmpuint (complete, >=, 80);
  {
    const char *argv[] = { sonde, "dump", path, NULL };

    g_assert_cmpint (sonde_test_run (&dump, argv), ==, 0);
    g_assert_nonnull (strstr (dump.out, "q-"));
    sonde_test_run_clear (&dump);
  }

  serve_stop (&serve);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_errors (void)
{
  const char *sonde = g_getenv ("SONDE_BIN");
  SondeTestRun run_result;

  {
    const char *argv[] = { sonde, "serve", "/nonexistent/recording.jsonl", NULL };

    g_assert_cmpint (sonde_test_run (&run_result, argv), ==, 1);
    g_assert_nonnull (strstr (run_result.err, "/nonexistent/recording.jsonl"));
    sonde_test_run_clear (&run_result);
  }
  {
    const char *argv[] = { sonde, "serve", "--broken", "gentle", NULL };

    g_assert_cmpint (sonde_test_run (&run_result, argv), ==, 2);
    g_assert_nonnull (strstr (run_result.err, "gentle"));
    sonde_test_run_clear (&run_result);
  }
  {
    const char *args[] = { "--speed", "0", NULL };
    g_autofree char *port = NULL;
    Serve serve;

    /* A port in use is one clear sentence and exit status 1. */
    serve_start (&serve, args);
    port = g_strdup (strrchr (serve.sse_url, ':') + 1);
    *strchr (port, '/') = '\0';
    {
      const char *argv[] = { sonde, "serve", "--port", port, NULL };

      g_assert_cmpint (sonde_test_run (&run_result, argv), ==, 1);
      g_assert_nonnull (strstr (run_result.err, port));
      sonde_test_run_clear (&run_result);
    }
    serve_stop (&serve);
  }
}

static gboolean
log_has_resume (gpointer data)
{
  Serve *serve = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (serve->log_path, &text, NULL, NULL) && strstr (text, "resuming") != NULL;
}

/* A client's Last-Event-ID is printed in the server's log: shown, never
 * passed to the terminal, where it could retitle or clear it. */
static void
test_terminal_escapes (void)
{
  g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..", "data", "demo.sonde.jsonl", NULL);
  const char *args[] = { "--speed", "0", demo, NULL };
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  static const char request[] =
    "GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: \033]0;pwned\007\033[2J\r\n\r\n";
  char reply[64];
  Serve serve;

  serve_start (&serve, args);
  uri = g_uri_parse (serve.sse_url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16)g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  /* The answer is there, so the server has seen the request and said so. */
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), reply,
                                        sizeof reply, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_assert_true (sonde_test_wait_until (log_has_resume, &serve, 10000));

  g_assert_true (g_file_get_contents (serve.log_path, &text, NULL, NULL));
  g_assert_null (strchr (text, '\033'));
  g_assert_null (strchr (text, '\007'));
  g_assert_nonnull (strstr (text, "resuming after id “␛]0;pwned␇␛[2J”"));
  serve_stop (&serve);
}

/* Each number that is out of range is named, and so are NaN and infinities. */
static void
test_bad_options (void)
{
  const struct { const char *args[4]; const char *named; } cases[] = {
    { { "--speed", "nan", NULL }, "--speed" },
    { { "--speed", "inf", NULL }, "--speed" },
    { { "--speed", "1001", NULL }, "--speed" },
    { { "--port", "70000", NULL }, "--port" },
    { { "--stall", "-inf", NULL }, "--stall" },
    { { "--drop-every", "nan", NULL }, "--drop-every" },
    { { "--close-code", "5000", NULL }, "--close-code" },
    { { "--sse-content-type", "text/event-stream\r\nX-Evil: 1", NULL }, "--sse-content-type" },
    { { "--sse-content-type", "text/event-stream\nX-Evil: 1", NULL }, "--sse-content-type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeTestRun run;

      g_assert_cmpint (sonde_test_run_sonde (&run, "serve", cases[i].args), ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].named));
      g_assert_cmpstr (strchr (run.err, '\n'), ==, "\n");
      g_assert_cmpstr (run.out, ==, "");
      sonde_test_run_clear (&run);
    }
}

/* The demo is in the binary: no data folder, no installation, any folder. */
static void
test_demo_anywhere (void)
{
  const char *argv[] = { g_getenv ("SONDE_BIN"), "serve", "--speed", "0", NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Serve serve = { 0 };

  serve.dir = g_dir_make_tmp ("sonde-test-serve-XXXXXX", &error);
  g_assert_no_error (error);
  serve.log_path = g_build_filename (serve.dir, "serve.log", NULL);
  g_subprocess_launcher_set_cwd (launcher, serve.dir);
  g_subprocess_launcher_unsetenv (launcher, "SONDE_DATADIR");
  g_subprocess_launcher_set_stdout_file_path (launcher, serve.log_path);
  serve.process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_test_wait_until (file_has_urls, &serve, 10000));

  g_assert_true (g_file_get_contents (serve.log_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "Serving demo.sonde.jsonl (758 items)"));
  serve_stop (&serve);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/cli-serve/eventsource-resumes", test_eventsource_resumes);
  g_test_add_func ("/sonde/cli-serve/node-ws-client", test_node_ws_client);
  g_test_add_func ("/sonde/cli-serve/round-trip", test_round_trip);
  g_test_add_func ("/sonde/cli-serve/killed-recorder", test_killed_recorder);
  g_test_add_func ("/sonde/cli-serve/errors", test_errors);
  g_test_add_func ("/sonde/cli-serve/terminal-escapes", test_terminal_escapes);
  g_test_add_func ("/sonde/cli-serve/bad-options", test_bad_options);
  g_test_add_func ("/sonde/cli-serve/demo-anywhere", test_demo_anywhere);

  return g_test_run ();
}

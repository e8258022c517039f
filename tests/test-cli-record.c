/* test-cli-record.c: `sonde record` against a real SoupServer on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sonde-entry.h"
#include "sonde-sse-client.h"
#include "sonde-test-util.h"

typedef struct
{
  SoupServer *server;
  char       *base;
  char       *dir;
  GPtrArray  *stalled;     /* messages held open by /stall */
} Fixture;

static const char stream_body[] =
  "retry: 5000\n\n"
  ": heartbeat\n"
  "id: 1\ndata: first\n\n"
  "id: 2\nevent: quote\ndata: {\"sym\":\"ACME\",\"price\":12.5}\n\n"
  "data: line one\ndata: line \"two\"\n\n"
  "id: 4\ndata: fourth \xc3\xa9\n\n"
  "id: 5\ndata: fifth\n\n";

static void
flood_finished_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "finished", GINT_TO_POINTER (TRUE));
}

static gboolean
flood_tick_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  static const char event[] = "data: tick\n\n";

  if (g_object_get_data (G_OBJECT (msg), "finished") != NULL)
    return G_SOURCE_REMOVE;

  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            event, strlen (event));
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

static void
stream_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "X-Token");

  if (g_str_equal (path, "/status/500"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  if (g_str_equal (path, "/status/204"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  if (g_str_equal (path, "/private") && g_strcmp0 (token, "secret") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  if (g_str_equal (path, "/cookie"))
    soup_message_headers_append (headers, "Set-Cookie", "session=from-the-server; HttpOnly");
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            stream_body, strlen (stream_body));

  if (g_str_equal (path, "/flood"))
    {
      /* An event every few milliseconds, for as long as the client stays. */
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      g_signal_connect (msg, "finished", G_CALLBACK (flood_finished_cb), NULL);
      g_signal_connect (msg, "disconnected", G_CALLBACK (flood_finished_cb), NULL);
      g_timeout_add_full (G_PRIORITY_DEFAULT, 2, flood_tick_cb, g_object_ref (msg), g_object_unref);
      return;
    }

  if (g_str_equal (path, "/stall"))
    {
      /* One event, then the stream stays open and silent. */
      g_ptr_array_add (f->stalled, g_object_ref (msg));
      return;
    }

  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  soup_websocket_connection_send_message (ws, type, message);
}

static void
ws_handler (SoupServer              *server,
            SoupServerMessage       *msg,
            const char              *path,
            SoupWebsocketConnection *connection,
            gpointer                 user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->stalled, g_object_ref (connection));
  g_signal_connect (connection, "message", G_CALLBACK (ws_message_cb), NULL);
  soup_websocket_connection_send_text (connection, "welcome");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = sonde_test_server_new (&f->base);
  f->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (f->server, NULL, stream_handler, f, NULL);
  soup_server_add_websocket_handler (f->server, "/ws", NULL, NULL, ws_handler, f, NULL);
  f->dir = g_dir_make_tmp ("sonde-test-record-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);

  for (guint i = 0; i < f->stalled->len; i++)
    {
      gpointer held = g_ptr_array_index (f->stalled, i);

      if (SOUP_IS_SERVER_MESSAGE (held))
        soup_message_body_complete (soup_server_message_get_response_body (held));
    }
  g_ptr_array_unref (f->stalled);
  soup_server_disconnect (f->server);
  g_object_unref (f->server);
  g_free (f->base);
}

/* Starts `sonde record ARGS...`; the test server keeps serving while it runs. */
static void
run_start (SondeTestRun       *run,
           const char * const *args)
{
  g_auto(GStrv) argv = sonde_test_sonde_argv ("record", args);

  sonde_test_run_start (run, (const char * const *)argv);
}

static GPtrArray *
parse_lines (const char *text)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        {
          /* Only the very end may be empty: every line is a whole entry. */
          g_assert_null (lines[i + 1]);
          break;
        }
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

static void
test_count_to_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/stream", NULL);
  g_autofree char *path = g_build_filename (f->dir, "out.jsonl", NULL);
  const char *args[] = { url, "-o", path, "--count", "3", NULL };
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *header;
  guint n_sse = 0;
  SondeTestRun run;

  run_start (&run, args);
  g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
  g_assert_cmpstr (run.out, ==, "");

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = parse_lines (contents);

  header = g_ptr_array_index (lines, 0);
  g_assert_cmpstr (json_object_get_string_member (header, "format"), ==, "sonde-recording");
  g_assert_cmpint (json_object_get_int_member (header, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (header, "transport"), ==, "sse");
  g_assert_cmpstr (json_object_get_string_member (header, "url"), ==, url);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (header, "started_at"), "Z"));

  /* open, retry, comment, sse 1, sse 2, sse 3: and nothing after the third event. */
  g_assert_cmpuint (lines->len, ==, 1 + 6);
  for (guint i = 1; i < lines->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (lines, i);

      g_assert_cmpint (json_object_get_int_member (entry, "seq"), ==, i - 1);
      g_assert_true (json_object_has_member (entry, "t"));
      g_assert_true (json_object_has_member (entry, "dir"));
      if (g_str_equal (json_object_get_string_member (entry, "kind"), "sse"))
        n_sse++;
    }
  g_assert_cmpuint (n_sse, ==, 3);

  {
    JsonObject *retry = g_ptr_array_index (lines, 2);
    JsonObject *comment = g_ptr_array_index (lines, 3);
    JsonObject *quote = g_ptr_array_index (lines, 5);
    JsonObject *multi = g_ptr_array_index (lines, 6);
    g_autofree guchar *raw = NULL;
    gsize raw_len;

    g_assert_cmpstr (json_object_get_string_member (retry, "kind"), ==, "retry");
    g_assert_cmpint (json_object_get_int_member (retry, "ms"), ==, 5000);
    g_assert_cmpstr (json_object_get_string_member (comment, "text"), ==, " heartbeat");
    g_assert_cmpstr (json_object_get_string_member (quote, "event"), ==, "quote");
    g_assert_cmpstr (json_object_get_string_member (quote, "data"), ==, "{\"sym\":\"ACME\",\"price\":12.5}");
    g_assert_cmpstr (json_object_get_string_member (quote, "id"), ==, "2");
    raw = g_base64_decode (json_object_get_string_member (quote, "raw"), &raw_len);
    {
      static const char expected[] = "id: 2\nevent: quote\ndata: {\"sym\":\"ACME\",\"price\":12.5}\n\n";

      g_assert_cmpmem (raw, raw_len, expected, sizeof expected - 1);
    }
    g_assert_cmpstr (json_object_get_string_member (multi, "data"), ==, "line one\nline \"two\"");
    /* No id field in the block: the last event ID carries over. */
    g_assert_cmpstr (json_object_get_string_member (multi, "id"), ==, "2");
    g_assert_cmpstr (json_object_get_string_member (multi, "event"), ==, "message");
  }

  sonde_test_run_clear (&run);
}

/* What `sonde record` writes is what the log of a client holds. */
static void
test_matches_log (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/stream", NULL);
  const char *args[] = { url, "--reconnect", "none", NULL };
  g_autoptr(SondeSseClient) client = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  SondeReconnectPolicy policy = { .mode = SONDE_RECONNECT_NONE };
  SondeEventLog *log;
  SondeTestRun run;

  client = sonde_sse_client_new (url, NULL);
  sonde_connection_set_policy (SONDE_CONNECTION (client), &policy);
  sonde_connection_start (SONDE_CONNECTION (client));
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  while (sonde_connection_get_state (SONDE_CONNECTION (client)) != SONDE_CONNECTION_CLOSED)
    g_main_context_iteration (NULL, TRUE);

  run_start (&run, args);
  g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
  lines = parse_lines (run.out);

  g_assert_cmpuint (lines->len, ==, 1 + sonde_event_log_get_n_entries (log));
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      JsonObject *entry = g_ptr_array_index (lines, i + 1);
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==,
                       sonde_entry_kind_to_string (view.kind));
      g_assert_cmpstr (json_object_get_string_member (entry, "dir"), ==,
                       sonde_direction_to_string (view.direction));
      if (view.kind == SONDE_ENTRY_SSE)
        {
          g_autofree char *type = NULL;
          g_autofree char *text = sonde_entry_view_dup_data (&view, NULL, &type);
          g_autofree char *id = g_strndup (view.id, view.id_len);

          g_assert_cmpstr (json_object_get_string_member (entry, "data"), ==, text);
          g_assert_cmpstr (json_object_get_string_member (entry, "event"), ==, type);
          g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, id);
        }
      if (view.raw_len > 0)
        {
          g_autofree guchar *raw = NULL;
          gsize raw_len;

          raw = g_base64_decode (json_object_get_string_member (entry, "raw"), &raw_len);
          g_assert_cmpmem (raw, raw_len, view.raw, view.raw_len);
        }
    }

  sonde_test_run_clear (&run);
}

static void
test_exit_statuses (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url_500 = g_strconcat (f->base, "/status/500", NULL);
  g_autofree char *url_204 = g_strconcat (f->base, "/status/204", NULL);
  g_autofree char *url_private = g_strconcat (f->base, "/private", NULL);
  SondeTestRun run;

  {
    const char *args[] = { url_500, NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 1);
    g_assert_nonnull (strstr (run.err, "500"));
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { url_204, NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    g_assert_nonnull (strstr (run.out, "\"kind\":\"closed\""));
    sonde_test_run_clear (&run);
  }
  {
    /* -H reaches the server: without it, 403; with it, the stream. */
    const char *args[] = { url_private, "-H", "X-Token: secret", "--count", "1", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    g_assert_nonnull (strstr (run.out, "\"X-Token\":\"secret\""));
    g_assert_nonnull (strstr (run.out, "\"data\":\"first\""));
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { url_private, "-H", "no colon here", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 2);
    g_assert_nonnull (strstr (run.err, "no colon here"));
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { "ftp://example.com/", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 2);
    g_assert_nonnull (strstr (run.err, "ftp"));
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { url_500, "--reconnect", "sometimes", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 2);
    g_assert_nonnull (strstr (run.err, "sometimes"));
    sonde_test_run_clear (&run);
  }
}

/* --duration ends a silent stream; SIGINT ends one cleanly with everything written. */
static void
test_duration_and_interrupt (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/stall", NULL);
  g_autofree char *path = g_build_filename (f->dir, "interrupted.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  SondeTestRun run;

  {
    const char *args[] = { url, "--duration", "0.5", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    g_assert_nonnull (strstr (run.out, "\"data\":\"fifth\""));
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { url, "-o", path, NULL };

    run_start (&run, args);
    /* Wait until the five events are on disk, then interrupt. */
    while (TRUE)
      {
        g_clear_pointer (&contents, g_free);
        if (g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, "fifth") != NULL)
          break;
        g_assert_false (run.done);
        sonde_test_spin (20);
      }
    g_subprocess_send_signal (run.process, SIGINT);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);

    g_clear_pointer (&contents, g_free);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    lines = parse_lines (contents);
    /* header, open, retry, comment, five events, and the closed entry of the stop */
    g_assert_cmpuint (lines->len, ==, 1 + 8 + 1);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (lines, lines->len - 1), "kind"),
                     ==, "closed");
    sonde_test_run_clear (&run);
  }
}

/* ws:// records the same way, with --send and the frames of every message. */
static void
test_websocket (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("ws%s/ws", f->base + strlen ("http"));
  const char *args[] = { url, "--send", "hello", "--count", "3", "--protocol", "none-needed", NULL };
  g_autoptr(GPtrArray) lines = NULL;
  guint n_text = 0;
  SondeTestRun run;

  run_start (&run, args);
  g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
  lines = parse_lines (run.out);

  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (lines, 0), "transport"), ==, "websocket");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (lines, 1), "kind"), ==, "open");
  for (guint i = 1; i < lines->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (lines, i);
      JsonObject *first_frame;
      const char *dir = json_object_get_string_member (entry, "dir");

      if (!g_str_equal (json_object_get_string_member (entry, "kind"), "text"))
        continue;
      n_text++;
      first_frame = json_array_get_object_element (json_object_get_array_member (entry, "frames"), 0);
      /* What we send is masked, what the server sends is not. */
      g_assert_cmpint (json_object_get_boolean_member (first_frame, "masked"), ==, g_str_equal (dir, "out"));
      g_assert_false (json_object_has_member (entry, "raw"));
      if (g_str_equal (dir, "out"))
        g_assert_cmpstr (json_object_get_string_member (entry, "data"), ==, "hello");
    }
  g_assert_cmpuint (n_text, ==, 3);

  sonde_test_run_clear (&run);
}

typedef struct
{
  GDataInputStream *lines;
  guint             n_lines;
  gboolean          failed;
} LineReader;

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineReader *reader = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result,
                                                                NULL, NULL);

  if (line == NULL)
    {
      reader->failed = TRUE;
      return;
    }
  if (++reader->n_lines < 2)
    g_data_input_stream_read_line_async (reader->lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, reader);
}

static gboolean
two_lines_read (gpointer data)
{
  LineReader *reader = data;

  return reader->n_lines >= 2 || reader->failed;
}

/* `sonde record URL | head -n 2`: the reader goes away, and the recorder
 * ends quietly and successfully, as cat and grep do. */
static void
test_pipe_closed (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/flood", NULL);
  const char *args[] = { url, NULL };
  g_auto(GStrv) argv = sonde_test_sonde_argv ("record", args);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err = NULL;
  LineReader reader = { 0 };
  SondeTestRun run = { 0 };

  run.process = g_subprocess_newv ((const char * const *)argv,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                   &error);
  g_assert_no_error (error);
  reader.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.process));
  g_data_input_stream_read_line_async (reader.lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, &reader);
  g_assert_true (sonde_test_wait_until (two_lines_read, &reader, 20000));
  g_assert_false (reader.failed);

  /* head has what it wanted and exits. */
  g_input_stream_close (G_INPUT_STREAM (reader.lines), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&reader.lines);

  g_assert_cmpint (sonde_test_process_wait (run.process), ==, 0);
  /* Nothing on standard error: not one “Broken pipe”. */
  {
    GInputStream *stderr_pipe = g_subprocess_get_stderr_pipe (run.process);

    err = g_input_stream_read_bytes (stderr_pipe, 4096, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (err), ==, 0);
  }

  g_clear_object (&run.process);
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* A full disk is no reader going away: it fails, loudly and once, both for
 * -o and for standard output. */
static void
test_full_output (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/flood", NULL);
  SondeTestRun run;

  {
    const char *args[] = { url, "-o", "/dev/full", "--count", "50", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 1);
    g_assert_cmpuint (count_occurrences (run.err, "No space left on device"), ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "sonde record: "));
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { url, "--count", "50", NULL };
    g_auto(GStrv) argv = sonde_test_sonde_argv ("record", args);
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) err = NULL;
    g_autofree char *text = NULL;

    memset (&run, 0, sizeof run);
    g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
    g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
    run.process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sonde_test_process_wait (run.process), ==, 1);
    err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (run.process), 4096, NULL, &error);
    g_assert_no_error (error);
    text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
    g_assert_cmpuint (count_occurrences (text, "No space left on device"), ==, 1);
    g_clear_object (&run.process);
  }
}

/* -o - is standard output, not a file named “-”. */
static void
test_output_dash (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/stream", NULL);
  const char *args[] = { url, "-o", "-", "--count", "2", NULL };
  g_auto(GStrv) argv = sonde_test_sonde_argv ("record", args);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dash = g_build_filename (f->dir, "-", NULL);
  GSubprocess *process;
  SondeTestRun run = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);
  run.process = process;
  g_subprocess_communicate_utf8_async (process, NULL, NULL, NULL, NULL);
  g_assert_cmpint (sonde_test_process_wait (process), ==, 0);
  g_assert_false (g_file_test (dash, G_FILE_TEST_EXISTS));
  g_clear_object (&run.process);

  /* And what it wrote is the recording. */
  {
    const char *args2[] = { url, "-o", "-", "--count", "2", NULL };

    run_start (&run, args2);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "{\"format\":\"sonde-recording\""));
    g_assert_nonnull (strstr (run.out, "\"data\":\"first\""));
    sonde_test_run_clear (&run);
  }
}

/* Every option with a bad value is refused, by name. */
static void
test_bad_options (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/stream", NULL);
  g_autofree char *ws_url = g_strdup_printf ("ws%s/ws", f->base + strlen ("http"));
  const struct { const char *args[6]; const char *named; } cases[] = {
    { { url, "--max-size", "0", NULL }, "--max-size" },
    { { url, "--max-size", "-5", NULL }, "--max-size" },
    /* Above 1 GiB, for both transports (the WebSocket client's own range). */
    { { url, "--max-size", "1073741825", NULL }, "--max-size" },
    { { ws_url, "--max-size", "2000000000", NULL }, "--max-size" },
    { { url, "--duration", "nan", NULL }, "--duration" },
    { { url, "--duration", "inf", NULL }, "--duration" },
    { { url, "--count", "-1", NULL }, "--count" },
    { { ws_url, "--origin", "http://a\r\nX-Evil: 1", NULL }, "--origin" },
    { { ws_url, "--protocol", "chat\nX-Evil: 1", NULL }, "--protocol" },
    { { ws_url, "--keepalive", "-1", NULL }, "--keepalive" },
    { { url, "--timeout", "nan", NULL }, "--timeout" },
    { { ws_url, "--timeout", "-1", NULL }, "--timeout" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeTestRun run;

      run_start (&run, cases[i].args);
      g_assert_cmpint (sonde_test_run_wait (&run), ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].named));
      /* One sentence, with the line break in a value shown, not sent to the terminal. */
      g_assert_cmpuint (count_occurrences (run.err, "\n"), ==, 1);
      sonde_test_run_clear (&run);
    }
}

/* What a server says that Sonde prints (a status reason, a content type)
 * cannot retitle or clear the user's terminal. */
static void
test_terminal_escapes (Fixture       *f,
                       gconstpointer  data)
{
  const char *responses[] = {
    "HTTP/1.1 500 \033]0;pwned\007\033[2J\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    /* A media type ends at “;”: this one has no parameters, only escapes. */
    "HTTP/1.1 200 OK\r\nContent-Type: text/\033[2J\033]0:pwned\007\r\nContent-Length: 0\r\n"
    "Connection: close\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      SondeTestRawServer *server = sonde_test_raw_server_new (responses[i], -1);
      const char *args[] = { sonde_test_raw_server_get_url (server), NULL };
      SondeTestRun run;

      run_start (&run, args);
      g_assert_cmpint (sonde_test_run_wait (&run), ==, 1);
      g_assert_null (strchr (run.err, '\033'));
      g_assert_null (strchr (run.err, '\007'));
      /* Shown, not hidden: ␛ and ␇ stand for what the server sent. */
      g_assert_nonnull (strstr (run.err, "␛[2J"));
      g_assert_nonnull (strstr (run.err, "pwned␇"));
      sonde_test_run_clear (&run);
      sonde_test_raw_server_free (server);
    }

  /* The recording itself goes to standard output, often a terminal. JSON
   * escapes C0 controls, and DEL and the C1 controls (U+009B is CSI to a
   * terminal) are escaped too; read back, the data is what was sent. */
  {
    static const char stream[] =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
      "id: \xc2\x9d" "0;pwned\x07\n"
      "data: \xc2\x9b" "2J \x7f \xc2\xa0 \xc3\x9b\n\n";
    SondeTestRawServer *server = sonde_test_raw_server_new (stream, -1);
    const char *args[] = { sonde_test_raw_server_get_url (server), "--count", "1", NULL };
    g_autoptr(GPtrArray) lines = NULL;
    SondeTestRun run;
    JsonObject *event = NULL;

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    g_assert_null (strstr (run.out, "\xc2\x9b"));
    g_assert_null (strstr (run.out, "\xc2\x9d"));
    g_assert_null (strchr (run.out, '\x7f'));
    g_assert_nonnull (strstr (run.out, "\\u009b2J \\u007f \xc2\xa0 \xc3\x9b"));
    lines = parse_lines (run.out);
    for (guint i = 0; i < lines->len; i++)
      {
        JsonObject *line = g_ptr_array_index (lines, i);

        if (json_object_has_member (line, "kind") &&
            g_strcmp0 (json_object_get_string_member (line, "kind"), "sse") == 0)
          event = line;
      }
    g_assert_nonnull (event);
    g_assert_cmpstr (json_object_get_string_member (event, "data"), ==,
                     "\xc2\x9b" "2J \x7f \xc2\xa0 \xc3\x9b");
    g_assert_cmpstr (json_object_get_string_member (event, "id"), ==, "\xc2\x9d" "0;pwned\x07");
    sonde_test_run_clear (&run);
    sonde_test_raw_server_free (server);
  }
}

/* --timeout: a server that accepts and never answers fails the attempt in
 * time, for SSE under the policy, with the reason on standard error. */
static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  SondeTestRawServer *server = sonde_test_raw_server_new (NULL, 0);
  const char *args[] = { sonde_test_raw_server_get_url (server), "--timeout", "0.3",
                         "--reconnect", "none", NULL };
  SondeTestRun run;

  run_start (&run, args);
  g_assert_cmpint (sonde_test_run_wait (&run), ==, 1);
  g_assert_cmpstr (run.err, ==, "sonde record: The server did not answer the request within 0.3 s\n");
  g_assert_nonnull (strstr (run.out, "\"code\":24"));
  sonde_test_run_clear (&run);
  sonde_test_raw_server_free (server);
}

/* A recording leaves cookies, authorization and a URL's password out by
 * default, and says so; --keep-credentials keeps them. */
static void
test_credentials (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://someone:hunter2@%s/cookie",
                                          f->base + strlen ("http://"));
  const char *secrets[] = { "hunter2", "session=from-the-client", "Bearer t0ken",
                            "Basic cHJveHk6cGFzcw==", "session=from-the-server" };
  SondeTestRun run;

  {
    const char *args[] = { url, "--count", "1", "-H", "Cookie: session=from-the-client",
                           "-H", "Authorization: Bearer t0ken",
                           "-H", "Proxy-Authorization: Basic cHJveHk6cGFzcw==",
                           "-H", "X-Kept: visible", NULL };
    g_autoptr(GPtrArray) lines = NULL;
    JsonObject *open;
    JsonObject *request;
    JsonObject *response;

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      g_assert_null (strstr (run.out, secrets[i]));

    lines = parse_lines (run.out);
    g_assert_true (g_str_has_prefix (json_object_get_string_member (g_ptr_array_index (lines, 0), "url"),
                                     "http://%5Bremoved%20by%20Sonde%5D@127.0.0.1:"));
    open = g_ptr_array_index (lines, 1);
    g_assert_cmpstr (json_object_get_string_member (open, "kind"), ==, "open");
    request = json_object_get_object_member (open, "request_headers");
    response = json_object_get_object_member (open, "headers");
    g_assert_cmpstr (json_object_get_string_member (request, "Cookie"), ==, "[removed by Sonde]");
    g_assert_cmpstr (json_object_get_string_member (request, "Authorization"), ==, "[removed by Sonde]");
    g_assert_cmpstr (json_object_get_string_member (request, "Proxy-Authorization"), ==,
                     "[removed by Sonde]");
    g_assert_cmpstr (json_object_get_string_member (request, "X-Kept"), ==, "visible");
    g_assert_cmpstr (json_object_get_string_member (response, "Set-Cookie"), ==, "[removed by Sonde]");
    g_assert_cmpstr (json_object_get_string_member (response, "Content-Type"), ==, "text/event-stream");
    sonde_test_run_clear (&run);
  }
  {
    const char *args[] = { url, "--count", "1", "--keep-credentials",
                           "-H", "Cookie: session=from-the-client",
                           "-H", "Authorization: Bearer t0ken",
                           "-H", "Proxy-Authorization: Basic cHJveHk6cGFzcw==", NULL };

    run_start (&run, args);
    g_assert_cmpint (sonde_test_run_wait (&run), ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      g_assert_nonnull (strstr (run.out, secrets[i]));
    g_assert_null (strstr (run.out, "removed by Sonde"));
    sonde_test_run_clear (&run);
  }
}

/* A raw SSE server that writes FLOOD_EVENTS events of about 1 KiB as fast
 * as the client reads, then closes. */
#define FLOOD_EVENTS 160000
#define FLOOD_EVENT_SIZE 1024

static gboolean
flood_run (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source,
           gpointer                user_data)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                             "Cache-Control: no-store\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) batch = g_string_new (NULL);
  char buffer[1024];
  gssize n;

  while (strstr (request->str, "\r\n\r\n") == NULL &&
         (n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (request, buffer, n);
  if (!g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL))
    return TRUE;

  /* 64 events a write; the client closing ends the loop early. */
  for (guint i = 0; i < FLOOD_EVENTS; i += 64)
    {
      g_string_truncate (batch, 0);
      for (guint j = i; j < i + 64 && j < FLOOD_EVENTS; j++)
        {
          gsize start = batch->len;

          g_string_append_printf (batch, "id: %u\ndata: ", j);
          while (batch->len - start < FLOOD_EVENT_SIZE - 2)
            g_string_append_c (batch, 'a' + (char)(batch->len % 26));
          g_string_append (batch, "\n\n");
        }
      if (!g_output_stream_write_all (out, batch->str, batch->len, NULL, NULL, NULL))
        break;
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return TRUE;
}

/* The peak resident size of a live process, in KiB, or 0 once it is gone. */
static guint64
process_peak_kib (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *status = NULL;
  const char *line;

  if (g_subprocess_get_identifier (process) == NULL ||
      !g_file_get_contents (path, &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* A recorder that streams to a file keeps flat memory: 160 MiB of events go
 * through `sonde record -o FILE` while its peak resident size stays far
 * below what keeping them would take. */
static void
test_flat_memory (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *count = g_strdup_printf ("%u", FLOOD_EVENTS);
  g_autofree char *url = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  const char *asan = g_getenv ("ASAN_OPTIONS");
  g_autofree char *asan_options = NULL;
  GSubprocess *process;
  guint64 peak_kib = 0;
  gint64 deadline;
  guint16 port;

  service = sonde_test_threaded_service_new (G_CALLBACK (flood_run), NULL, NULL, &port);
  url = g_strdup_printf ("http://127.0.0.1:%u/flood", port);
  {
    const char *args[] = { url, "-o", "/dev/null", "--count", count, "--reconnect", "none", NULL };

    argv = sonde_test_sonde_argv ("record", args);
  }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* Under AddressSanitizer, freed blocks wait in a quarantine of 256 MiB by
   * default; a small one lets the measure be the recorder's, not the tool's. */
  asan_options = g_strdup_printf ("%s%squarantine_size_mb=8", asan != NULL ? asan : "",
                                  asan != NULL ? ":" : "");
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan_options, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);

  /* Bounded: the recorder ends after the last event, or the test fails. */
  deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;
  while (g_subprocess_get_identifier (process) != NULL)
    {
      guint64 kib = process_peak_kib (process);

      peak_kib = MAX (peak_kib, kib);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpint (sonde_test_process_wait (process), ==, 0);
  g_object_unref (process);

  g_test_message ("sonde record: peak resident size %" G_GUINT64_FORMAT " KiB for %u MiB of events",
                  peak_kib, FLOOD_EVENTS * FLOOD_EVENT_SIZE / (1024 * 1024));
  /* Keeping them would take more than 160 MiB; the log's 4 MiB blocks, the
   * libraries and the sanitizers' own take well under 96. */
  g_assert_cmpuint (peak_kib, >, 0);
  g_assert_cmpuint (peak_kib, <, 96 * 1024);
  sonde_test_threaded_service_free (g_steal_pointer (&service));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sonde/cli-record/count-to-file", Fixture, NULL, fixture_set_up, test_count_to_file, fixture_tear_down);
  g_test_add ("/sonde/cli-record/matches-log", Fixture, NULL, fixture_set_up, test_matches_log, fixture_tear_down);
  g_test_add ("/sonde/cli-record/exit-statuses", Fixture, NULL, fixture_set_up, test_exit_statuses, fixture_tear_down);
  g_test_add ("/sonde/cli-record/websocket", Fixture, NULL, fixture_set_up, test_websocket, fixture_tear_down);
  g_test_add ("/sonde/cli-record/duration-and-interrupt", Fixture, NULL, fixture_set_up, test_duration_and_interrupt, fixture_tear_down);
  g_test_add ("/sonde/cli-record/pipe-closed", Fixture, NULL, fixture_set_up, test_pipe_closed, fixture_tear_down);
  g_test_add ("/sonde/cli-record/full-output", Fixture, NULL, fixture_set_up, test_full_output, fixture_tear_down);
  g_test_add ("/sonde/cli-record/output-dash", Fixture, NULL, fixture_set_up, test_output_dash, fixture_tear_down);
  g_test_add ("/sonde/cli-record/bad-options", Fixture, NULL, fixture_set_up, test_bad_options, fixture_tear_down);
  g_test_add ("/sonde/cli-record/timeout", Fixture, NULL, fixture_set_up, test_timeout, fixture_tear_down);
  g_test_add ("/sonde/cli-record/credentials", Fixture, NULL, fixture_set_up, test_credentials, fixture_tear_down);
  g_test_add ("/sonde/cli-record/terminal-escapes", Fixture, NULL, fixture_set_up, test_terminal_escapes, fixture_tear_down);
  g_test_add ("/sonde/cli-record/flat-memory", Fixture, NULL, fixture_set_up, test_flat_memory, fixture_tear_down);

  return g_test_run ();
}

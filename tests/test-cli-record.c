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
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            stream_body, strlen (stream_body));

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

  return g_test_run ();
}

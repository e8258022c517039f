/* test-ws-peer.c: the WebSocket client against Debian's node-ws, a peer no one here wrote
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-recording-writer.h"
#include "sonde-test-util.h"
#include "sonde-ws-client.h"

typedef struct
{
  SondeEventLog  *log;
  SondeEntryKind  kind;
  SondeDirection  direction;
  guint           count;
} Wanted;

static guint
count_of (SondeEventLog  *log,
          SondeEntryKind  kind,
          SondeDirection  direction)
{
  guint n = 0;

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      n += view.kind == kind && view.direction == direction;
    }
  return n;
}

static gboolean
has_wanted (gpointer data)
{
  Wanted *wanted = data;

  return count_of (wanted->log, wanted->kind, wanted->direction) >= wanted->count;
}

static JsonObject *
nth_line (SondeEventLog  *log,
          SondeEntryKind  kind,
          SondeDirection  direction,
          guint           nth)
{
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (log, i, &view);
      if (view.kind == kind && view.direction == direction && nth-- == 0)
        {
          g_autoptr(GString) line = g_string_new (NULL);
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          sonde_recording_format_entry (line, &view);
          json_parser_load_from_data (parser, line->str, -1, &error);
          g_assert_no_error (error);
          return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
        }
    }

  g_assert_not_reached ();
}

static void
test_node_ws (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "peers", "ws-peer-server.js", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *port = NULL;
  g_autofree char *url = NULL;
  SondeEventLog *log;
  JsonArray *frames;
  Wanted wanted;

  /* Debian's node modules live here; node-ws is a package, not something we vendored. */
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", "/usr/share/nodejs", TRUE);
  node = g_subprocess_launcher_spawn (launcher, &error, "node", script, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node));
  port = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port);
  url = g_strdup_printf ("ws://127.0.0.1:%s/feed", port);

  client = sonde_ws_client_new (url, NULL);
  sonde_ws_client_set_offer_deflate (client, TRUE);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));

  wanted = (Wanted) { log, SONDE_ENTRY_PING, SONDE_DIRECTION_IN, 1 };
  g_assert_true (sonde_test_wait_until (has_wanted, &wanted, 10000));
  g_assert_true (sonde_ws_client_send_text (client, "echo me", &error));
  wanted = (Wanted) { log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 3 };
  g_assert_true (sonde_test_wait_until (has_wanted, &wanted, 10000));
  g_assert_true (sonde_ws_client_send_text (client, "bye", &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  line = nth_line (log, SONDE_ENTRY_OPEN, SONDE_DIRECTION_IN, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (line, "extensions"), "permessage-deflate"));
  g_clear_pointer (&line, json_object_unref);

  /* Compressed by node-ws: RSV1 on the wire, the text inflated on the entry. */
  line = nth_line (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "hello from ws");
  g_assert_true (json_object_get_boolean_member (line, "compressed"));
  frames = json_object_get_array_member (line, "frames");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (frames, 0), "rsv"), ==, 4);
  g_clear_pointer (&line, json_object_unref);

  line = nth_line (log, SONDE_ENTRY_BINARY, SONDE_DIRECTION_IN, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "AQID");
  g_clear_pointer (&line, json_object_unref);

  line = nth_line (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 1);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "part one, part two");
  frames = json_object_get_array_member (line, "frames");
  g_assert_cmpuint (json_array_get_length (frames), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (frames, 0), "fin"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (frames, 1), "opcode"), ==, 0);
  g_clear_pointer (&line, json_object_unref);

  line = nth_line (log, SONDE_ENTRY_PING, SONDE_DIRECTION_IN, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "a2E=");
  g_clear_pointer (&line, json_object_unref);
  /* libsoup answered the ping; the answer is on the timeline too. */
  g_assert_cmpuint (count_of (log, SONDE_ENTRY_PONG, SONDE_DIRECTION_OUT), >=, 1);

  line = nth_line (log, SONDE_ENTRY_TEXT, SONDE_DIRECTION_IN, 2);
  g_assert_cmpstr (json_object_get_string_member (line, "data"), ==, "echo me");
  g_clear_pointer (&line, json_object_unref);

  line = nth_line (log, SONDE_ENTRY_CLOSED, SONDE_DIRECTION_LOCAL, 0);
  g_assert_cmpint (json_object_get_int_member (line, "code"), ==, 4001);
  g_assert_cmpstr (json_object_get_string_member (line, "reason"), ==, "bye to you");
  g_assert_cmpstr (json_object_get_string_member (line, "closed_by"), ==, "server");
  g_assert_true (json_object_get_boolean_member (line, "clean"));

  g_output_stream_close (g_subprocess_get_stdin_pipe (node), NULL, NULL);
  g_subprocess_wait (node, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/ws-peer/node-ws", test_node_ws);

  return g_test_run ();
}

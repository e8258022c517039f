/* test-frame-text.c: frames and lines in words, violations as sentences, curl and websocat commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sonde-command.h"
#include "sonde-frame-text.h"
#include "sonde-json.h"
#include "sonde-test-util.h"
#include "sonde-ws-client.h"
#include "sonde-ws-frame.h"

static const guint8 key[4] = { 0x37, 0xFA, 0x21, 0x3D };

/* Appends an entry with @violations (SondeWsViolation bits) recorded as the client does. */
static guint64
append (SondeEventLog  *log,
        SondeDirection  direction,
        SondeEntryKind  kind,
        const char     *extra_fields,
        guint32         violations,
        const guint8   *raw,
        gsize           raw_len)
{
  g_autoptr(GString) fields = g_string_new (extra_fields);

  if (violations != 0)
    {
      if (fields->len > 0)
        g_string_append_c (fields, ',');
      g_string_append (fields, "\"violations\":[");
      for (guint bit = 0; bit < 32; bit++)
        {
          const char *text;

          if ((violations & (1u << bit)) == 0)
            continue;
          text = sonde_ws_violation_to_string (1u << bit);
          if (fields->str[fields->len - 1] != '[')
            g_string_append_c (fields, ',');
          sonde_json_append_string (fields, text, strlen (text));
        }
      g_string_append_c (fields, ']');
    }
  return sonde_event_log_append (log, 0, direction, kind, NULL, 0, fields->str, fields->len,
                                 raw, raw_len);
}

static SondeFrameText *
describe (SondeEventLog *log,
          guint64        seq,
          guint          max)
{
  SondeEntryView view;

  g_assert_true (sonde_event_log_get_view (log, seq, &view));
  return sonde_frame_text_new_for_entry (&view, max);
}

static SondeFrameSection *
section (SondeFrameText *text,
         guint           i)
{
  g_assert_cmpuint (i, <, text->sections->len);
  return g_ptr_array_index (text->sections, i);
}

/* The value of the field called @name; fails when there is none. */
static const char *
field (SondeFrameSection *s,
       const char        *name)
{
  for (guint i = 0; i < s->fields->len; i++)
    {
      SondeFrameField *f = &g_array_index (s->fields, SondeFrameField, i);

      if (g_strcmp0 (f->name, name) == 0)
        return f->value;
    }
  g_assert_not_reached ();
  return NULL;
}

static gboolean
has_field (SondeFrameSection *s,
           const char        *name)
{
  for (guint i = 0; i < s->fields->len; i++)
    {
      if (g_strcmp0 (g_array_index (s->fields, SondeFrameField, i).name, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
assert_problem (GPtrArray  *problems,
                const char *sentence)
{
  for (guint i = 0; i < problems->len; i++)
    {
      if (strcmp (g_ptr_array_index (problems, i), sentence) == 0)
        return;
    }
  g_error ("no problem says “%s” among %u", sentence, problems->len);
}

/* A server's close frame with a code that only reports closures locally. */
static void
test_close_violation (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(SondeFrameText) text = NULL;
  SondeFrameSection *s;
  guint64 seq;

  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE,
                              (const guint8 *)"\x03\xed" "bye", 5, NULL, 0);
  seq = append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, "\"code\":1005,\"reason\":\"bye\"",
                SONDE_WS_VIOLATION_CLOSE_CODE, raw->data, raw->len);
  text = describe (log, seq, 100);

  g_assert_cmpuint (text->sections->len, ==, 1);
  g_assert_cmpuint (text->n_omitted, ==, 0);
  g_assert_cmpuint (text->problems->len, ==, 0);
  s = section (text, 0);
  g_assert_cmpstr (s->title, ==, "Frame 1 of 1");
  g_assert_cmpstr (s->summary, ==, "Bytes 0x0 to 0x6, 7 bytes");
  g_assert_cmpstr (field (s, "FIN"), ==, "Set: the last frame of its message");
  g_assert_cmpstr (field (s, "RSV1"), ==, "Not set");
  g_assert_cmpstr (field (s, "RSV3"), ==, "Not set");
  g_assert_cmpstr (field (s, "Opcode"), ==, "0x8, close");
  g_assert_cmpstr (field (s, "Masked"), ==, "No");
  g_assert_false (has_field (s, "Mask key"));
  g_assert_cmpstr (field (s, "Payload length"), ==, "5 bytes, in the 7-bit form");
  g_assert_cmpstr (field (s, "Close code"), ==, "1005, No Status Received");
  g_assert_cmpstr (field (s, "Close reason"), ==, "bye");
  g_assert_cmpuint (s->problems->len, ==, 1);
  assert_problem (s->problems, "The close code 1005 (No Status Received) only reports a closure "
                               "inside a program; it must never be sent in a close frame.");
}

/* A client's frame: its key, a long length form, and a reserved bit. */
static void
test_masked_frame (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(SondeFrameText) text = NULL;
  SondeFrameSection *s;
  guint64 seq;

  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_RSV2 | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"hi", 2, key, 16);
  seq = append (log, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL,
                SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION | SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH,
                raw->data, raw->len);
  text = describe (log, seq, 100);
  s = section (text, 0);
  g_assert_cmpstr (field (s, "Opcode"), ==, "0x1, text");
  g_assert_cmpstr (field (s, "RSV2"), ==, "Set");
  g_assert_cmpstr (field (s, "Masked"), ==, "Yes");
  g_assert_cmpstr (field (s, "Mask key"), ==, "37 fa 21 3d");
  g_assert_cmpstr (field (s, "Payload length"), ==, "2 bytes, in the 16-bit extended form");
  g_assert_cmpuint (s->problems->len, ==, 2);
  assert_problem (s->problems, "Reserved bits are set (RSV2), but no extension that gives them a "
                               "meaning was negotiated.");
  assert_problem (s->problems, "The payload length, 2 bytes, is sent in the 16-bit form, though "
                               "a shorter form holds it; RFC 6455 requires the shortest.");
  g_assert_cmpuint (text->problems->len, ==, 0);
}

/* Violations that need the frames around one are told on the frame they came from. */
static void
test_fragment_violations (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) orphan = g_byte_array_new ();
  g_autoptr(SondeFrameText) text = NULL;
  g_autoptr(SondeFrameText) capped = NULL;
  g_autoptr(SondeFrameText) alone = NULL;
  guint64 seq;
  guint64 orphan_seq;

  sonde_ws_frame_append_full (raw, SONDE_WS_OPCODE_TEXT, (const guint8 *)"ab", 2, NULL, 0);
  sonde_ws_frame_append_full (raw, SONDE_WS_OPCODE_TEXT, (const guint8 *)"cd", 2, NULL, 0);
  sonde_ws_frame_append_full (raw, SONDE_WS_FIN, (const guint8 *)"\xff", 1, NULL, 0);
  seq = append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL,
                SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE | SONDE_WS_VIOLATION_INVALID_UTF8,
                raw->data, raw->len);
  sonde_ws_frame_append_full (orphan, SONDE_WS_FIN, (const guint8 *)"x", 1, NULL, 0);
  orphan_seq = append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL,
                       SONDE_WS_VIOLATION_ORPHAN_CONTINUATION, orphan->data, orphan->len);

  text = describe (log, seq, 100);
  g_assert_cmpuint (text->sections->len, ==, 3);
  g_assert_cmpstr (section (text, 2)->title, ==, "Frame 3 of 3");
  g_assert_cmpstr (field (section (text, 0), "FIN"), ==, "Not set: more frames follow");
  g_assert_cmpstr (field (section (text, 2), "Opcode"), ==, "0x0, continuation");
  g_assert_cmpuint (section (text, 0)->problems->len, ==, 0);
  g_assert_cmpuint (section (text, 1)->problems->len, ==, 1);
  assert_problem (section (text, 1)->problems,
                  "A new text or binary frame came while a fragmented message was still open; "
                  "only continuation frames may follow until the one with FIN.");
  /* UTF-8 across fragments belongs to the message. */
  g_assert_cmpuint (text->problems->len, ==, 1);
  assert_problem (text->problems, "The text is not valid UTF-8, as every text message must be.");

  /* Past the limit, frames are counted, not described. */
  capped = describe (log, seq, 1);
  g_assert_cmpuint (capped->sections->len, ==, 1);
  g_assert_cmpuint (capped->n_omitted, ==, 2);
  g_assert_cmpstr (section (capped, 0)->title, ==, "Frame 1 of 3");

  alone = describe (log, orphan_seq, 100);
  assert_problem (section (alone, 0)->problems,
                  "This continuation frame has no message to continue: no text or binary frame "
                  "without FIN came before it.");
  g_assert_cmpuint (alone->problems->len, ==, 0);
}

/* A message past the size limit keeps no bytes; a sentence from another
 * language's recording is kept as it was. */
static void
test_entry_problems (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeFrameText) large = NULL;
  g_autoptr(SondeFrameText) foreign = NULL;
  static const char german[] = "\"violations\":[\"Steuer-Frame länger als 125 Bytes\"]";
  guint64 seq;

  seq = append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL, SONDE_WS_VIOLATION_TOO_LARGE,
                NULL, 0);
  large = describe (log, seq, 100);
  g_assert_cmpuint (large->sections->len, ==, 0);
  g_assert_cmpuint (large->problems->len, ==, 1);
  assert_problem (large->problems,
                  "The message is larger than the size limit, so its bytes were not kept.");

  seq = sonde_event_log_append (log, 0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL, 0,
                                german, strlen (german), NULL, 0);
  foreign = describe (log, seq, 100);
  g_assert_cmpuint (foreign->problems->len, ==, 1);
  assert_problem (foreign->problems, "Steuer-Frame länger als 125 Bytes");
}

/* Every violation has a sentence, with and without its frame. */
static void
test_every_violation (void)
{
  SondeWsFrame frame = { 0 };

  frame.opcode = SONDE_WS_OPCODE_CLOSE;
  frame.length = 130;
  frame.length_bits = 16;
  frame.rsv = 4;
  frame.has_close_code = TRUE;
  frame.close_code = 999;
  for (guint bit = 0; bit < 15; bit++)
    {
      g_autofree char *alone = sonde_ws_violation_explain (1u << bit, NULL);
      g_autofree char *with = sonde_ws_violation_explain (1u << bit, &frame);

      g_assert_nonnull (sonde_ws_violation_to_string (1u << bit));
      g_assert_true (g_str_has_suffix (alone, "."));
      g_assert_true (g_str_has_suffix (with, "."));
      g_assert_true (g_ascii_isupper (alone[0]));
      g_assert_true (g_ascii_isupper (with[0]));
    }
  {
    g_autofree char *code = sonde_ws_violation_explain (SONDE_WS_VIOLATION_CLOSE_CODE, &frame);
    g_autofree char *rsv = sonde_ws_violation_explain (SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION,
                                                       &frame);

    g_assert_cmpstr (code, ==, "The close code 999 is not assigned, so a close frame may not "
                               "carry it.");
    g_assert_cmpstr (rsv, ==, "RSV1 is set on a continuation or control frame; "
                              "permessage-deflate sets it only on the first frame of a message.");
  }
  g_assert_cmpstr (sonde_ws_opcode_get_name (SONDE_WS_OPCODE_PONG), ==, "pong");
  g_assert_null (sonde_ws_opcode_get_name (0x3));
}

static void
test_sse_lines (void)
{
  static const char block[] =
    "event: update\n"
    ": note\x1b[2J\n"
    "data: a\n"
    "retry: 1x\r\n"
    "x-other: y\n"
    "id: a\0b\n"
    "data\n"
    "\n";
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeFrameText) text = NULL;
  g_autoptr(SondeFrameText) capped = NULL;
  SondeFrameSection *s;
  SondeFrameField *f;
  guint64 seq;

  seq = sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                                (const guint8 *)block, sizeof block - 1);
  text = describe (log, seq, 100);
  g_assert_cmpuint (text->sections->len, ==, 1);
  s = section (text, 0);
  g_assert_cmpstr (s->title, ==, "Lines of the event");
  g_assert_cmpstr (s->summary, ==, "8 lines");
  g_assert_cmpuint (s->fields->len, ==, 7);
  f = &g_array_index (s->fields, SondeFrameField, 0);
  g_assert_cmpstr (f->name, ==, "event");
  g_assert_cmpstr (f->value, ==, "update");
  /* A comment keeps its colon; an escape character is shown, not obeyed. */
  f = &g_array_index (s->fields, SondeFrameField, 1);
  g_assert_cmpstr (f->name, ==, "Comment");
  g_assert_cmpstr (f->value, ==, ": note\xe2\x90\x9b[2J");
  f = &g_array_index (s->fields, SondeFrameField, 5);
  g_assert_cmpstr (f->name, ==, "id");
  g_assert_cmpstr (f->value, ==, "a\xe2\x90\x80" "b");
  f = &g_array_index (s->fields, SondeFrameField, 6);
  g_assert_cmpstr (f->name, ==, "data");
  g_assert_cmpstr (f->value, ==, "");

  g_assert_cmpuint (s->problems->len, ==, 3);
  assert_problem (s->problems, "Line 4: the retry value “1x” is not made of ASCII digits only, "
                               "so it is ignored.");
  assert_problem (s->problems, "Line 5: “x-other” is not a field of the event stream format, so "
                               "it is ignored.");
  assert_problem (s->problems, "Line 6: the id contains a NUL character, so the field is ignored.");

  capped = describe (log, seq, 2);
  g_assert_cmpuint (section (capped, 0)->fields->len, ==, 2);
  g_assert_cmpuint (capped->n_omitted, ==, 5);
}

/* A real exchange: the close frames both ways, ours masked. */
static void
test_ws_exchange (void)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = sonde_test_ws_echo_server_new (&url);
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(GError) error = NULL;
  SondeEventLog *log;
  guint closes = 0;

  client = sonde_ws_client_new (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));
  g_assert_true (sonde_ws_client_close (client, 4001, "done here", &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
    {
      SondeEntryView view;
      g_autoptr(SondeFrameText) text = NULL;
      SondeFrameSection *s;

      sonde_event_log_get_view (log, seq, &view);
      if (view.kind != SONDE_ENTRY_CLOSE)
        continue;
      closes++;
      text = sonde_frame_text_new_for_entry (&view, 10);
      s = section (text, 0);
      g_assert_cmpstr (field (s, "Opcode"), ==, "0x8, close");
      g_assert_cmpstr (field (s, "Close code"), ==, "4001, private use");
      g_assert_cmpstr (field (s, "Close reason"), ==, "done here");
      g_assert_cmpstr (field (s, "Masked"), ==,
                   view.direction == SONDE_DIRECTION_OUT ? "Yes" : "No");
      g_assert_cmpuint (s->problems->len, ==, 0);
      g_assert_cmpuint (text->problems->len, ==, 0);
    }
  g_assert_cmpuint (closes, ==, 2);
  soup_server_disconnect (server);
}

/* ---- commands ---- */

static const char * const hostile[] = {
  "X-Quote", "it's \"quoted\"",
  "X-Subst", "$(touch PWNED) `touch PWNED2` ${HOME}",
  "X-Lines", "one\ntwo; touch PWNED3",
  "X-Glob", "* ? [a] ~ & | < > ! # \\",
  "Host", "example.test",
  "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Protocol", "chat, superchat",
  NULL
};

/* Runs @command in a POSIX shell whose PATH holds only a stand-in for
 * @program, and returns the arguments it was given. */
static GStrv
run_command (const char *command,
             const char *program)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sonde-command-XXXXXX", &error);
  g_autofree char *stand_in = g_build_filename (dir, program, NULL);
  g_autofree char *args_file = g_build_filename (dir, "args", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\n"
                                             "for a in \"$@\"; do printf '%%s\\0' \"$a\"; "
                                             "done > '%s'\n", args_file);
  g_autofree char *contents = NULL;
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autofree char *env_path = g_strdup_printf ("PATH=%s", dir);
  const char *envp[] = { env_path, NULL };
  gsize len;
  int status;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (stand_in, script, -1, &error));
  g_assert_cmpint (g_chmod (stand_in, 0755), ==, 0);
  g_assert_true (g_spawn_sync (dir, (char **)argv, (char **)envp, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* Nothing in a header ran. */
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf (i == 1 ? "PWNED" : "PWNED%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  g_assert_true (g_file_get_contents (args_file, &contents, &len, &error));
  for (gsize at = 0; at < len; at += strlen (contents + at) + 1)
    g_strv_builder_add (args, contents + at);

  g_remove (args_file);
  g_remove (stand_in);
  g_rmdir (dir);
  return g_strv_builder_end (args);
}

static void
assert_args (GStrv               got,
             const char * const *expected)
{
  g_assert_cmpuint (g_strv_length (got), ==, g_strv_length ((GStrv)expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (got[i], ==, expected[i]);
}

static void
test_curl_hostile (void)
{
  g_autofree char *command = sonde_command_curl ("http://127.0.0.1:8080/events?a=1&b='2'",
                                                 hostile, FALSE);
  g_auto(GStrv) args = run_command (command, "curl");
  const char * const expected[] = {
    "--no-buffer",
    "--globoff",
    "-H", "X-Quote: it's \"quoted\"",
    "-H", "X-Subst: $(touch PWNED) `touch PWNED2` ${HOME}",
    "-H", "X-Lines: one\ntwo; touch PWNED3",
    "-H", "X-Glob: * ? [a] ~ & | < > ! # \\",
    "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "-H", "Sec-WebSocket-Protocol: chat, superchat",
    "-H", "Accept: text/event-stream",
    "--", "http://127.0.0.1:8080/events?a=1&b='2'",
    NULL
  };

  g_assert_true (g_str_has_prefix (command, "curl --no-buffer --globoff -H "));
  assert_args (args, expected);
}

/* A tab that accepted a certificate problem copies commands that accept it too. */
static void
test_commands_insecure (void)
{
  const char * const headers[] = { "X-Token", "t", NULL };
  g_autofree char *curl = sonde_command_for_url ("https://127.0.0.1:8443/events", headers, TRUE);
  g_autofree char *websocat = sonde_command_for_url ("wss://127.0.0.1:8443/ws", headers, TRUE);
  g_autofree char *plain = sonde_command_for_url ("wss://127.0.0.1:8443/ws", headers, FALSE);
  g_auto(GStrv) curl_args = run_command (curl, "curl");
  g_auto(GStrv) websocat_args = run_command (websocat, "websocat");
  const char * const curl_expected[] = {
    "--no-buffer", "--globoff", "--insecure", "-H", "X-Token: t",
    "-H", "Accept: text/event-stream", "--", "https://127.0.0.1:8443/events", NULL
  };
  const char * const websocat_expected[] = {
    "--insecure", "-H=X-Token: t", "--", "wss://127.0.0.1:8443/ws", NULL
  };

  assert_args (curl_args, curl_expected);
  assert_args (websocat_args, websocat_expected);
  g_assert_null (strstr (plain, "insecure"));
}

static void
test_websocat_hostile (void)
{
  g_autofree char *command = sonde_command_for_url ("wss://127.0.0.1/$(id)", hostile, FALSE);
  g_auto(GStrv) args = run_command (command, "websocat");
  const char * const expected[] = {
    "-H=X-Quote: it's \"quoted\"",
    "-H=X-Subst: $(touch PWNED) `touch PWNED2` ${HOME}",
    "-H=X-Lines: one\ntwo; touch PWNED3",
    "-H=X-Glob: * ? [a] ~ & | < > ! # \\",
    "--protocol", "chat, superchat",
    "--", "wss://127.0.0.1/$(id)",
    NULL
  };

  g_assert_true (g_str_has_prefix (command, "websocat -H="));
  assert_args (args, expected);
}

/* The real curl, run by a shell, against a server on loopback: the server
 * gets the path and query as written (brackets too) and every header with
 * its value byte for byte, an empty one included. */
typedef struct
{
  char               *path_and_query;
  SoupMessageHeaders *headers;
} CurlRequest;

static void
curl_handler (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  CurlRequest *request = data;
  GUri *uri = soup_server_message_get_uri (message);

  g_free (request->path_and_query);
  request->path_and_query = g_strdup_printf ("%s?%s", g_uri_get_path (uri), g_uri_get_query (uri));
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (message));
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "text/event-stream", SOUP_MEMORY_STATIC,
                                    "data: ok\n\n", 10);
}

static void
curl_exited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static void
test_curl_real (void)
{
  static const char * const headers[] = {
    "X-Quote", "it's \"quoted\" and $(not run)",
    "X-Spaces", "a  b\tc",
    "X-Unicode", "Grüße, 東京 ✓",
    "X-Empty", "",
    "Authorization", "Bearer abc.def",
    NULL
  };
  g_autofree char *base_url = NULL;
  g_autoptr(SoupServer) server = sonde_test_server_new (&base_url);
  g_autofree char *url = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GSubprocess) shell = NULL;
  g_autoptr(GError) error = NULL;
  CurlRequest request = { NULL, NULL };
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autofree char *curl = g_find_program_in_path ("curl");

  if (curl == NULL)
    {
      g_test_fail_printf ("curl is not installed (build-aux/sonde-dev installs it for the tests)");
      return;
    }
  soup_server_add_handler (server, "/events", curl_handler, &request, NULL);
  url = g_strconcat (base_url, "/events?filter[0]=a&b={1}", NULL);
  command = sonde_command_curl (url, headers, FALSE);
  shell = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "/bin/sh", "-c",
                            command, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (shell, NULL, curl_exited_cb, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
  g_assert_true (g_subprocess_get_if_exited (shell));
  g_assert_cmpint (g_subprocess_get_exit_status (shell), ==, 0);

  g_assert_nonnull (request.headers);
  g_assert_cmpstr (request.path_and_query, ==, "/events?filter[0]=a&b={1}");
  for (guint i = 0; headers[i] != NULL; i += 2)
    g_assert_cmpstr (soup_message_headers_get_one (request.headers, headers[i]), ==, headers[i + 1]);
  g_assert_cmpstr (soup_message_headers_get_one (request.headers, "Accept"), ==, "text/event-stream");

  g_free (request.path_and_query);
  soup_message_headers_unref (request.headers);
}

/* The command comes from the `open` entry before the one asked about. */
static void
test_command_for_log (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autofree char *none = NULL;
  g_autofree char *command = NULL;
  g_auto(GStrv) headers = NULL;
  static const char open[] =
    "\"status\":200,\"url\":\"http://127.0.0.1:1/sse\","
    "\"request_headers\":{\"Host\":\"127.0.0.1:1\",\"Accept\":\"text/event-stream\","
    "\"Last-Event-ID\":\"4\",\"X-Token\":\"a\\\"b\"}";
  guint64 first;
  guint64 seq;
  SondeEntryView view;
  SondeTransport transport = SONDE_TRANSPORT_WEBSOCKET;

  first = sonde_event_log_append (log, 0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL, 0,
                                  NULL, 0, NULL, 0);
  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          open, strlen (open), NULL, 0);
  seq = sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                                (const guint8 *)"data: x\n\n", 9);

  none = sonde_command_for_log (log, first, FALSE, NULL);
  g_assert_null (none);

  sonde_event_log_get_view (log, first + 1, &view);
  headers = sonde_entry_view_dup_request_headers (&view);
  g_assert_cmpuint (g_strv_length (headers), ==, 8);
  g_assert_cmpstr (headers[6], ==, "X-Token");
  g_assert_cmpstr (headers[7], ==, "a\"b");

  command = sonde_command_for_log (log, seq, FALSE, &transport);
  g_assert_cmpint (transport, ==, SONDE_TRANSPORT_SSE);
  g_assert_cmpstr (command, ==, "curl --no-buffer --globoff -H 'Accept: text/event-stream' "
                                "-H 'Last-Event-ID: 4' -H 'X-Token: a\"b' -- "
                                "http://127.0.0.1:1/sse");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/frame-text/close-violation", test_close_violation);
  g_test_add_func ("/sonde/frame-text/masked-frame", test_masked_frame);
  g_test_add_func ("/sonde/frame-text/fragment-violations", test_fragment_violations);
  g_test_add_func ("/sonde/frame-text/entry-problems", test_entry_problems);
  g_test_add_func ("/sonde/frame-text/every-violation", test_every_violation);
  g_test_add_func ("/sonde/frame-text/sse-lines", test_sse_lines);
  g_test_add_func ("/sonde/frame-text/ws-exchange", test_ws_exchange);
  g_test_add_func ("/sonde/frame-text/curl-hostile", test_curl_hostile);
  g_test_add_func ("/sonde/frame-text/curl-real", test_curl_real);
  g_test_add_func ("/sonde/frame-text/websocat-hostile", test_websocat_hostile);
  g_test_add_func ("/sonde/frame-text/commands-insecure", test_commands_insecure);
  g_test_add_func ("/sonde/frame-text/command-for-log", test_command_for_log);

  return g_test_run ();
}

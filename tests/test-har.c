/* test-har.c: HAR import and export, in core and through `sonde convert`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <glib/gstdio.h>
#include <glib-unix.h>

#include "sonde-entry.h"
#include "sonde-har.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"
#include "sonde-test-util.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sonde-test-har-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_chmod (path, 0700);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static char *
temp_path (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static char *
write_text (Fixture    *f,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = temp_path (f, name);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The names in the test's folder, sorted and joined with spaces. */
static char *
list_dir (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **)names->pdata);
}

/* ------------------------------------------------------------------ */
/* Running `sonde convert`                                             */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs `sonde convert ARGS...` in an English UTF-8 locale and waits for it. */
static void
run_convert (Run                *run,
             const char * const *args)
{
  SondeTestRun result;

  memset (run, 0, sizeof *run);
  run->status = sonde_test_run_sonde (&result, "convert", args);
  run->out = g_steal_pointer (&result.out);
  run->err = g_steal_pointer (&result.err);
  sonde_test_run_clear (&result);
}

/* Converts and expects success, with nothing said. */
static void
convert_ok (const char * const *args)
{
  Run run;

  run_convert (&run, args);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
}

/* Converts and expects @status with exactly @err. */
static void
convert_fails (const char * const *args,
               int                 status,
               const char         *err)
{
  Run run;

  run_convert (&run, args);
  g_assert_cmpstr (run.err, ==, err);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (run.status, ==, status);
  run_clear (&run);
}

/* ------------------------------------------------------------------ */
/* Recordings, made with the real writer and read with the real reader */

static void
append (SondeEventLog  *log,
        gint64          time_us,
        SondeDirection  direction,
        SondeEntryKind  kind,
        const char     *id,
        const char     *fields,
        const void     *raw,
        gsize           raw_len)
{
  sonde_event_log_append (log, time_us, direction, kind, id, id != NULL ? strlen (id) : 0,
                          fields, fields != NULL ? strlen (fields) : 0, raw, raw_len);
}

static void
append_frame (SondeEventLog  *log,
              gint64          time_us,
              SondeDirection  direction,
              SondeEntryKind  kind,
              guint8          opcode,
              const char     *fields,
              const void     *payload,
              gsize           len)
{
  static const guint8 mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  sonde_ws_frame_append_full (frame, SONDE_WS_FIN | opcode, payload, len,
                              direction == SONDE_DIRECTION_OUT ? mask : NULL, 0);
  append (log, time_us, direction, kind, NULL, fields, frame->data, frame->len);
}

static char *
write_recording (Fixture        *f,
                 const char     *name,
                 SondeTransport  transport,
                 const char     *url,
                 SondeEventLog  *log)
{
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  char *path = temp_path (f, name);

  writer = sonde_recording_writer_new_for_path (path, &error);
  g_assert_no_error (error);
  sonde_recording_writer_write_header (writer, transport, url, sonde_event_log_get_started_at (log));
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (log); i++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      sonde_recording_writer_write_entry (writer, &view);
    }
  sonde_recording_writer_close (writer, &error);
  g_assert_no_error (error);

  return path;
}

#define WS_URL "ws://127.0.0.1:8080/ws?room=a%20b&x=1"

/* A WebSocket session with every kind of message, both ways, a fragmented
 * message, a compressed one and entries HAR has no place for. */
static char *
write_websocket_recording (Fixture    *f,
                           const char *name)
{
  static const guint8 binary[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff };
  static const guint8 close_in[] = { 0x03, 0xe8, 'd', 'o', 'n', 'e' };
  static const guint8 close_out[] = { 0x03, 0xe8 };
  static const guint8 deflated[] = { 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00 };
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GByteArray) frames = g_byte_array_new ();

  append (log, 20500, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
          "\"status\":101,\"reason\":\"Switching Protocols\",\"url\":\"" WS_URL "\","
          "\"request\":\"GET /ws?room=a%20b&x=1 HTTP/1.1\","
          "\"headers\":{\"Upgrade\":\"websocket\",\"Sec-WebSocket-Accept\":\"abc=\"},"
          "\"request_headers\":{\"Host\":\"127.0.0.1:8080\",\"Sec-WebSocket-Key\":\"k==\"},"
          "\"subprotocol\":\"\",\"extensions\":\"\"",
          NULL, 0);
  append_frame (log, 100000, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, SONDE_WS_OPCODE_TEXT, NULL, "hello", 5);
  append_frame (log, 150250, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_OPCODE_TEXT, NULL,
                "w\xc3\xb6rld \"q\"", 10);
  append_frame (log, 200001, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_OPCODE_BINARY, NULL,
                binary, sizeof binary);
  sonde_ws_frame_append_full (frames, SONDE_WS_OPCODE_TEXT, (const guint8 *)"frag", 4, NULL, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CONTINUATION,
                              (const guint8 *)"ment", 4, NULL, 0);
  append (log, 250000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, NULL, frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_RSV1 | SONDE_WS_OPCODE_TEXT,
                              deflated, sizeof deflated, NULL, 0);
  append (log, 300000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL,
          "\"compressed\":true,\"data\":\"Hello\"", frames->data, frames->len);
  append_frame (log, 1000999, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, SONDE_WS_OPCODE_PING, NULL, "p1", 2);
  append_frame (log, 1001500, SONDE_DIRECTION_IN, SONDE_ENTRY_PONG, SONDE_WS_OPCODE_PONG,
                "\"rtt_ms\":0.501", "p1", 2);
  append_frame (log, 1500000, SONDE_DIRECTION_OUT, SONDE_ENTRY_BINARY, SONDE_WS_OPCODE_BINARY, NULL, NULL, 0);
  append_frame (log, 2000000, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, SONDE_WS_OPCODE_CLOSE,
                "\"code\":1000,\"reason\":\"done\"", close_in, sizeof close_in);
  append_frame (log, 2000100, SONDE_DIRECTION_OUT, SONDE_ENTRY_CLOSE, SONDE_WS_OPCODE_CLOSE,
                "\"code\":1000,\"reason\":\"\"", close_out, sizeof close_out);
  append (log, 2100000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL,
          "\"message\":\"The server closed the connection\",\"closed_by\":\"server\",\"code\":1000,"
          "\"reason\":\"done\",\"clean\":true",
          NULL, 0);

  return write_recording (f, name, SONDE_TRANSPORT_WEBSOCKET, WS_URL, log);
}

#define SSE_URL "http://127.0.0.1:8080/sse"

static char *
write_sse_recording (Fixture    *f,
                     const char *name)
{
  static const char quote[] = "id: 7\nevent: quote\ndata: {\"sym\":\"ACME\"}\ndata: line two\n\n";
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();

  append (log, 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
          "\"status\":200,\"reason\":\"OK\",\"url\":\"" SSE_URL "\","
          "\"headers\":{\"Content-Type\":\"text/event-stream; charset=utf-8\",\"Cache-Control\":\"no-cache\"},"
          "\"request_headers\":{\"Accept\":\"text/event-stream\",\"Last-Event-ID\":\"6\"}",
          NULL, 0);
  append (log, 11000, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, "\"ms\":5000", NULL, 0);
  append (log, 12000, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, NULL, ": heartbeat\n", 12);
  append (log, 100000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "7", NULL, quote, sizeof quote - 1);
  append (log, 250500, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "7", NULL, "data: keeps the id\n\n", 20);
  append (log, 1000001, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "", NULL, "id\ndata: reset\n\n", 16);
  append (log, 1500000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "8", NULL, "id: 8\ndata\n\n", 12);
  append (log, 2000000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL,
          "\"message\":\"The server ended the stream\"", NULL, 0);

  return write_recording (f, name, SONDE_TRANSPORT_SSE, SSE_URL, log);
}

typedef struct
{
  SondeTransport  transport;
  char           *url;
  GDateTime      *started_at;
  SondeEventLog  *log;
} Loaded;

static void
loaded_clear (Loaded *loaded)
{
  g_clear_pointer (&loaded->url, g_free);
  g_clear_pointer (&loaded->started_at, g_date_time_unref);
  g_clear_object (&loaded->log);
}

static void
load_recording (const char *path,
                Loaded     *loaded)
{
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const SondeRecordingHeader *header;

  reader = sonde_recording_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  header = sonde_recording_reader_get_header (reader);
  loaded->transport = header->transport;
  loaded->url = g_strdup (header->url);
  loaded->started_at = g_date_time_ref (header->started_at);
  loaded->log = sonde_event_log_new ();
  sonde_recording_reader_load (reader, loaded->log, &error);
  g_assert_no_error (error);
  g_assert_null (sonde_recording_reader_get_warning (reader));
}

static gint64
unix_us (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static char *
format_stamp (GDateTime *time)
{
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (time) / 1000);
}

/* ------------------------------------------------------------------ */
/* Messages, from either side, compared field by field                 */

typedef struct
{
  char   *kind;      /* text, binary, ping, pong, close, sse */
  char   *dir;       /* in, out */
  char   *data;      /* text; base64 for the other WebSocket kinds */
  char   *event;     /* sse */
  char   *id;        /* sse */
  gint64  time_us;   /* since 1970 */
} Msg;

static void
msg_free (gpointer data)
{
  Msg *msg = data;

  g_free (msg->kind);
  g_free (msg->dir);
  g_free (msg->data);
  g_free (msg->event);
  g_free (msg->id);
  g_free (msg);
}

static GPtrArray *
messages_of_recording (Loaded *loaded)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (msg_free);
  gint64 start = unix_us (loaded->started_at);

  for (guint64 i = 0; i < sonde_event_log_get_n_entries (loaded->log); i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;
      g_autofree char *type = NULL;
      gsize len = 0;
      Msg *msg;

      g_assert_true (sonde_event_log_get_view (loaded->log, i, &view));
      if (view.kind != SONDE_ENTRY_TEXT && view.kind != SONDE_ENTRY_BINARY &&
          view.kind != SONDE_ENTRY_PING && view.kind != SONDE_ENTRY_PONG &&
          view.kind != SONDE_ENTRY_CLOSE && view.kind != SONDE_ENTRY_SSE)
        continue;

      msg = g_new0 (Msg, 1);
      msg->kind = g_strdup (sonde_entry_kind_to_string (view.kind));
      msg->dir = g_strdup (sonde_direction_to_string (view.direction));
      msg->time_us = start + view.time_us;
      if (view.kind == SONDE_ENTRY_CLOSE)
        data = (char *)sonde_ws_frames_get_payload (view.raw, view.raw_len, &len);
      else
        data = sonde_entry_view_dup_data (&view, &len, &type);
      if (view.kind == SONDE_ENTRY_TEXT || view.kind == SONDE_ENTRY_SSE)
        msg->data = g_strndup (data, len);
      else
        msg->data = g_base64_encode ((const guint8 *)data, len);
      if (view.kind == SONDE_ENTRY_SSE)
        {
          msg->event = g_strdup (type);
          msg->id = g_strndup (view.id, view.id_len);
        }
      g_ptr_array_add (messages, msg);
    }

  return messages;
}

static JsonNode *
parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
har_entry (JsonNode *root,
           guint     index)
{
  JsonObject *log = json_object_get_object_member (json_node_get_object (root), "log");

  return json_array_get_object_element (json_object_get_array_member (log, "entries"), index);
}

/* The test's own reading of a HAR time: seconds to the nearest microsecond. */
static gint64
har_time_us (JsonObject *message)
{
  double seconds = json_object_get_double_member (message, "time");

  return (gint64)(seconds * G_USEC_PER_SEC + 0.5);
}

static GPtrArray *
messages_of_har_entry (JsonObject *entry)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (msg_free);
  JsonArray *list;

  if (json_object_has_member (entry, "_webSocketMessages"))
    {
      list = json_object_get_array_member (entry, "_webSocketMessages");
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *object = json_array_get_object_element (list, i);
          const char *type = json_object_get_string_member (object, "type");
          gint64 opcode = json_object_get_int_member (object, "opcode");
          Msg *msg = g_new0 (Msg, 1);

          msg->kind = g_strdup (opcode == 1 ? "text" : opcode == 2 ? "binary" : opcode == 8 ? "close" :
                                opcode == 9 ? "ping" : opcode == 10 ? "pong" : "?");
          msg->dir = g_strdup (g_str_equal (type, "send") ? "out" : g_str_equal (type, "receive") ? "in" : "?");
          msg->data = g_strdup (json_object_get_string_member (object, "data"));
          msg->time_us = har_time_us (object);
          g_ptr_array_add (messages, msg);
        }
    }
  else
    {
      list = json_object_get_array_member (entry, "_eventSourceMessages");
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *object = json_array_get_object_element (list, i);
          Msg *msg = g_new0 (Msg, 1);

          msg->kind = g_strdup ("sse");
          msg->dir = g_strdup ("in");
          msg->data = g_strdup (json_object_get_string_member (object, "data"));
          msg->event = g_strdup (json_object_get_string_member (object, "eventName"));
          msg->id = g_strdup (json_object_get_string_member (object, "eventId"));
          msg->time_us = har_time_us (object);
          g_ptr_array_add (messages, msg);
        }
    }

  return messages;
}

static void
assert_same_messages (GPtrArray *expected,
                      GPtrArray *actual)
{
  g_assert_cmpuint (actual->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      Msg *a = g_ptr_array_index (expected, i);
      Msg *b = g_ptr_array_index (actual, i);

      g_assert_cmpstr (b->kind, ==, a->kind);
      g_assert_cmpstr (b->dir, ==, a->dir);
      g_assert_cmpstr (b->data, ==, a->data);
      g_assert_cmpstr (b->event, ==, a->event);
      g_assert_cmpstr (b->id, ==, a->id);
      /* To the millisecond, as promised; in fact to the microsecond. */
      g_assert_cmpint (b->time_us / 1000, ==, a->time_us / 1000);
      g_assert_cmpint (b->time_us, ==, a->time_us);
    }
}

/* ------------------------------------------------------------------ */
/* HAR 1.2: the required members, with their types                    */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    g_error ("HAR member “%s” is missing", name);
  return node;
}

static const char *
assert_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_STRING);
  return json_node_get_string (node);
}

static gint64
assert_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_INT64);
  return json_node_get_int (node);
}

static double
assert_number (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_INT64 ||
                 json_node_get_value_type (node) == G_TYPE_DOUBLE);
  return json_node_get_double (node);
}

static JsonObject *
assert_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static JsonArray *
assert_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

static void
assert_pairs (JsonObject *object,
              const char *name)
{
  JsonArray *list = assert_array (object, name);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      assert_string (json_node_get_object (node), "name");
      assert_string (json_node_get_object (node), "value");
    }
}

static void
assert_valid_har (JsonNode *root)
{
  JsonObject *log;
  JsonObject *creator;
  JsonArray *entries;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  log = assert_object (json_node_get_object (root), "log");
  g_assert_cmpstr (assert_string (log, "version"), ==, "1.2");
  creator = assert_object (log, "creator");
  g_assert_cmpstr (assert_string (creator, "name"), ==, "Sonde");
  g_assert_cmpstr (assert_string (creator, "version"), ==, PACKAGE_VERSION);
  entries = assert_array (log, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *request = assert_object (entry, "request");
      JsonObject *response = assert_object (entry, "response");
      JsonObject *content;
      JsonObject *timings;
      g_autoptr(GDateTime) started = NULL;
      double sum = 0;

      started = g_date_time_new_from_iso8601 (assert_string (entry, "startedDateTime"), NULL);
      g_assert_nonnull (started);

      g_assert_cmpstr (assert_string (request, "method"), ==, "GET");
      assert_string (request, "url");
      g_assert_cmpstr (assert_string (request, "httpVersion"), ==, "HTTP/1.1");
      g_assert_cmpuint (json_array_get_length (assert_array (request, "cookies")), ==, 0);
      assert_pairs (request, "headers");
      assert_pairs (request, "queryString");
      g_assert_cmpint (assert_int (request, "headersSize"), ==, -1);
      g_assert_cmpint (assert_int (request, "bodySize"), ==, 0);

      assert_int (response, "status");
      assert_string (response, "statusText");
      g_assert_cmpstr (assert_string (response, "httpVersion"), ==, "HTTP/1.1");
      g_assert_cmpuint (json_array_get_length (assert_array (response, "cookies")), ==, 0);
      assert_pairs (response, "headers");
      content = assert_object (response, "content");
      g_assert_cmpint (assert_int (content, "size"), ==, 0);
      assert_string (content, "mimeType");
      g_assert_cmpstr (assert_string (response, "redirectURL"), ==, "");
      g_assert_cmpint (assert_int (response, "headersSize"), ==, -1);
      g_assert_cmpint (assert_int (response, "bodySize"), ==, -1);

      assert_object (entry, "cache");
      timings = assert_object (entry, "timings");
      for (guint j = 0; j < 3; j++)
        {
          static const char * const required[] = { "send", "wait", "receive" };
          double value = assert_number (timings, required[j]);

          g_assert_cmpfloat (value, >=, 0);
          sum += value;
        }
      for (guint j = 0; j < 4; j++)
        {
          static const char * const optional[] = { "blocked", "dns", "connect", "ssl" };

          if (json_object_has_member (timings, optional[j]))
            g_assert_cmpfloat (assert_number (timings, optional[j]), ==, -1);
        }
      /* HAR: the entry's time is the sum of its timings. */
      g_assert_cmpfloat_with_epsilon (assert_number (entry, "time"), sum, 0.0005);
    }
}

/* ------------------------------------------------------------------ */
/* Import                                                              */

typedef struct
{
  gint64          t_us;
  SondeDirection  direction;
  SondeEntryKind  kind;
  const char     *data;      /* text; base64 for the other kinds */
} Expected;

static void
assert_entries (SondeEventLog  *log,
                const Expected *expected,
                guint           n)
{
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, n);
  for (guint i = 0; i < n; i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;
      g_autofree char *shown = NULL;
      gsize len = 0;
      guint n_frames = 0;

      g_assert_true (sonde_event_log_get_view (log, i, &view));
      g_assert_cmpint (view.time_us, ==, expected[i].t_us);
      g_assert_cmpint (view.direction, ==, expected[i].direction);
      g_assert_cmpint (view.kind, ==, expected[i].kind);
      if (view.kind == SONDE_ENTRY_OPEN)
        continue;

      if (view.kind == SONDE_ENTRY_CLOSE)
        data = (char *)sonde_ws_frames_get_payload (view.raw, view.raw_len, &len);
      else
        data = sonde_entry_view_dup_data (&view, &len, NULL);
      shown = view.kind == SONDE_ENTRY_TEXT ? g_strndup (data, len) : g_base64_encode ((guint8 *)data, len);
      g_assert_cmpstr (shown, ==, expected[i].data);

      /* One final frame, masked exactly when the client sent it. */
      {
        const guint8 *p = view.raw;
        const guint8 *end = view.raw + view.raw_len;

        while (p < end)
          {
            gsize payload_len = p[1] & 0x7f;
            gsize header_len = 2;

            g_assert_cmpint (p[0], ==, SONDE_WS_FIN | (view.kind == SONDE_ENTRY_TEXT ? 1 :
                                                      view.kind == SONDE_ENTRY_BINARY ? 2 :
                                                      view.kind == SONDE_ENTRY_CLOSE ? 8 :
                                                      view.kind == SONDE_ENTRY_PING ? 9 : 10));
            g_assert_cmpint (!!(p[1] & 0x80), ==, view.direction == SONDE_DIRECTION_OUT);
            g_assert_cmpuint (payload_len, <, 126);
            if (p[1] & 0x80)
              header_len += 4;
            p += header_len + payload_len;
            n_frames++;
          }
        g_assert_true (p == end);
        g_assert_cmpuint (n_frames, ==, 1);
      }
    }
}

static const Expected single_expected[] = {
  { 85123, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL },
  { 162345, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, "{\"op\":\"subscribe\",\"channel\":\"prices\"}" },
  { 248000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, "{\"ok\":true}" },
  { 750999, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, "AAF/gP7/" },
  { 1250000, SONDE_DIRECTION_OUT, SONDE_ENTRY_BINARY, "3q2+7w==" },
  { 1873456, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, "h\xc3\xa9llo \xe2\x9c\x93\nline two" },
  { 2750000, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, "cGluZw==" },
  { 2751500, SONDE_DIRECTION_IN, SONDE_ENTRY_PONG, "cGluZw==" },
  { 4000000, SONDE_DIRECTION_OUT, SONDE_ENTRY_CLOSE, "A+hieWU=" },
};

static void
assert_single_open (SondeEventLog *log)
{
  SondeEntryView view;
  g_autoptr(JsonObject) fields = NULL;
  JsonObject *headers;
  JsonObject *request_headers;

  g_assert_true (sonde_event_log_get_view (log, 0, &view));
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 101);
  g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "Switching Protocols");
  g_assert_cmpstr (json_object_get_string_member (fields, "url"), ==,
                   "wss://stream.example.com/feed?token=abc&lang=de");
  g_assert_cmpstr (json_object_get_string_member (fields, "subprotocol"), ==, "prices.v1");
  g_assert_cmpstr (json_object_get_string_member (fields, "extensions"), ==, "");
  headers = json_object_get_object_member (fields, "headers");
  g_assert_cmpuint (json_object_get_size (headers), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (headers, "Sec-WebSocket-Accept"), ==,
                   "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  /* A name twice, case aside: one member, the values joined. */
  g_assert_cmpstr (json_object_get_string_member (headers, "Set-Cookie"), ==, "a=1, b=2");
  request_headers = json_object_get_object_member (fields, "request_headers");
  g_assert_cmpuint (json_object_get_size (request_headers), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (request_headers, "Sec-WebSocket-Key"), ==,
                   "dGhlIHNhbXBsZSBub25jZQ==");

  /* The close frame's code and reason, as the WebSocket client logs them. */
  g_assert_true (sonde_event_log_get_view (log, 8, &view));
  g_clear_pointer (&fields, json_object_unref);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "code"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (fields, "reason"), ==, "bye");
}

static void
test_import_single (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *har_path = data_path ("har-chrome-single.har");
  g_autofree char *out = temp_path (f, "single.jsonl");
  g_autofree char *again = temp_path (f, "again.jsonl");
  g_autofree char *out_text = NULL;
  g_autofree char *again_text = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(SondeHarSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const SondeHarCandidate *candidates;
  guint n;
  guint index = 99;
  Loaded loaded = { 0, };

  /* In core. */
  har = sonde_har_new_for_path (har_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_har_get_n_entries (har), ==, 1);
  candidates = sonde_har_get_candidates (har, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (candidates[0].index, ==, 0);
  g_assert_cmpint (candidates[0].transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (candidates[0].url, ==, "wss://stream.example.com/feed?token=abc&lang=de");
  g_assert_cmpuint (candidates[0].n_messages, ==, 8);
  g_assert_true (sonde_har_select (har, -1, NULL, &index, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (index, ==, 0);

  session = sonde_har_import (har, index, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (session->transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (session->url, ==, "wss://stream.example.com/feed?token=abc&lang=de");
  stamp = format_stamp (session->started_at);
  g_assert_cmpstr (stamp, ==, "2024-03-01T10:00:01.250Z");
  g_assert_cmpint (unix_us (session->started_at), ==, G_GINT64_CONSTANT (1709287201250000));
  assert_entries (session->log, single_expected, G_N_ELEMENTS (single_expected));
  assert_single_open (session->log);

  /* Through the command line, read back with the reader; credentials kept
   * (their default is tested in /sonde/har/credentials). */
  {
    const char *args[] = { "--keep-credentials", har_path, out, NULL };

    convert_ok (args);
  }
  load_recording (out, &loaded);
  g_assert_cmpint (loaded.transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (loaded.url, ==, "wss://stream.example.com/feed?token=abc&lang=de");
  g_clear_pointer (&stamp, g_free);
  stamp = format_stamp (loaded.started_at);
  g_assert_cmpstr (stamp, ==, "2024-03-01T10:00:01.250Z");
  assert_entries (loaded.log, single_expected, G_N_ELEMENTS (single_expected));
  assert_single_open (loaded.log);
  loaded_clear (&loaded);

  /* The same HAR makes the same file, mask keys and all. */
  {
    const char *args[] = { "--keep-credentials", har_path, again, NULL };

    convert_ok (args);
  }
  out_text = read_text (out);
  again_text = read_text (again);
  g_assert_cmpstr (out_text, ==, again_text);
}

static const char several_listing[] =
  "Choose one with --entry N or --url SUBSTRING; entries are numbered from 0, as in log.entries:\n"
  "  --entry 1    WebSocket  wss://app.example.com/socket/chat  (3 messages)\n"
  "  --entry 3    WebSocket  wss://feed.example.com/prices?v=2  (2 messages)\n"
  "  --entry 4    WebSocket  wss://app.example.com/socket/presence  (0 messages)\n"
  "  --entry 5    SSE        https://app.example.com/events  (2 messages)\n";

static void
test_import_select (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *har_path = data_path ("har-several.har");
  g_autofree char *out = temp_path (f, "out.jsonl");
  g_autofree char *by_url = temp_path (f, "by-url.jsonl");
  g_autofree char *text_entry = NULL;
  g_autofree char *text_url = NULL;
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(GError) error = NULL;
  const SondeHarCandidate *candidates;
  guint n;
  guint index;
  Loaded loaded = { 0, };

  /* In core: every entry with a list counts, empty or not. */
  har = sonde_har_new_for_path (har_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_har_get_n_entries (har), ==, 6);
  candidates = sonde_har_get_candidates (har, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (candidates[0].index, ==, 1);
  g_assert_cmpuint (candidates[1].index, ==, 3);
  g_assert_cmpuint (candidates[2].index, ==, 4);
  g_assert_cmpuint (candidates[2].n_messages, ==, 0);
  g_assert_cmpuint (candidates[3].index, ==, 5);
  g_assert_cmpint (candidates[3].transport, ==, SONDE_TRANSPORT_SSE);
  g_assert_false (sonde_har_select (har, -1, NULL, &index, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_HAR_CHOOSE);
  g_clear_error (&error);
  g_assert_false (sonde_har_select (har, 2, NULL, &index, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_SUCH_ENTRY);
  g_assert_cmpstr (error->message, ==, "Entry 2 (https://app.example.com/app.js) carries no WebSocket "
                                       "or EventSource messages");
  g_clear_error (&error);
  g_assert_true (sonde_har_select (har, -1, "feed.example", &index, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (index, ==, 3);

  /* No choice: the candidates, and exit status 2. */
  {
    const char *args[] = { har_path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: 3 entries of the HAR file carry "
                                                 "messages\n%s", har_path, several_listing);

    convert_fails (args, 2, expected);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }

  /* --entry counts every entry of log.entries, from 0. */
  {
    const char *args[] = { "--entry", "3", har_path, out, NULL };
    static const Expected expected[] = {
      { 3000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL },
      { 10500, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, "AQID" },
      { 1999999, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, "A+k=" },
    };

    convert_ok (args);
    load_recording (out, &loaded);
    g_assert_cmpstr (loaded.url, ==, "wss://feed.example.com/prices?v=2");
    g_assert_cmpint (unix_us (loaded.started_at), ==, G_GINT64_CONSTANT (1715329801000000));
    assert_entries (loaded.log, expected, G_N_ELEMENTS (expected));
    loaded_clear (&loaded);
  }

  /* --url picks the same entry, and the file is the same. */
  {
    const char *args[] = { "--url", "prices", har_path, by_url, NULL };

    convert_ok (args);
    text_entry = read_text (out);
    text_url = read_text (by_url);
    g_assert_cmpstr (text_entry, ==, text_url);
  }

  {
    const char *args[] = { "--url", "chat", har_path, out, NULL };
    static const Expected expected[] = {
      { 12250, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL },
      { 100000, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, "hello" },
      { 200000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, "hi there" },
      { 300000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, "" },
    };
    SondeEntryView view;
    g_autoptr(JsonObject) fields = NULL;

    convert_ok (args);
    load_recording (out, &loaded);
    g_assert_cmpstr (loaded.url, ==, "wss://app.example.com/socket/chat");
    g_assert_cmpint (unix_us (loaded.started_at), ==, G_GINT64_CONSTANT (1715329800100000));
    assert_entries (loaded.log, expected, G_N_ELEMENTS (expected));
    g_assert_true (sonde_event_log_get_view (loaded.log, 0, &view));
    fields = sonde_test_entry_fields (&view);
    g_assert_cmpstr (json_object_get_string_member (fields, "extensions"), ==, "permessage-deflate");
    loaded_clear (&loaded);
  }

  /* An entry with an empty list: the open entry alone. */
  {
    const char *args[] = { "--entry", "4", har_path, out, NULL };
    static const Expected expected[] = {
      { 1500, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL },
    };

    convert_ok (args);
    load_recording (out, &loaded);
    g_assert_cmpstr (loaded.url, ==, "wss://app.example.com/socket/presence");
    assert_entries (loaded.log, expected, G_N_ELEMENTS (expected));
    loaded_clear (&loaded);
  }

  /* The SSE entry: events with their types, data and ids. */
  {
    const char *args[] = { "--entry", "5", har_path, out, NULL };
    static const struct {
      gint64      t_us;
      const char *event;
      const char *data;
      const char *id;
    } expected[] = {
      { 500000, "price", "{\"sym\":\"ACME\"}\nsecond line", "41" },
      { 1250000, "message", "no id", "" },
    };
    SondeEntryView view;
    g_autoptr(JsonObject) fields = NULL;

    convert_ok (args);
    load_recording (out, &loaded);
    g_assert_cmpint (loaded.transport, ==, SONDE_TRANSPORT_SSE);
    g_assert_cmpstr (loaded.url, ==, "https://app.example.com/events");
    g_assert_cmpuint (sonde_event_log_get_n_entries (loaded.log), ==, 3);
    g_assert_true (sonde_event_log_get_view (loaded.log, 0, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
    g_assert_cmpint (view.time_us, ==, 7000);
    fields = sonde_test_entry_fields (&view);
    g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "headers"),
                                                    "Content-Type"), ==, "text/event-stream");
    g_assert_false (json_object_has_member (fields, "subprotocol"));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autofree char *event_data = NULL;
        g_autofree char *type = NULL;
        gsize len;

        g_assert_true (sonde_event_log_get_view (loaded.log, i + 1, &view));
        g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
        g_assert_cmpint (view.direction, ==, SONDE_DIRECTION_IN);
        g_assert_cmpint (view.time_us, ==, expected[i].t_us);
        event_data = sonde_entry_view_dup_data (&view, &len, &type);
        g_assert_cmpstr (event_data, ==, expected[i].data);
        g_assert_cmpstr (type, ==, expected[i].event);
        g_assert_cmpuint (view.id_len, ==, strlen (expected[i].id));
        g_assert_true (memcmp (view.id, expected[i].id, view.id_len) == 0);
      }
    loaded_clear (&loaded);
  }

  /* What cannot be chosen: exit status 2, and the candidates again. */
  {
    const char *args[] = { "--url", "socket", har_path, by_url, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: 2 WebSocket or SSE entries have a "
                                                 "URL that contains “socket”\n%s",
                                                 har_path, several_listing);
    g_autofree char *before = read_text (by_url);
    g_autofree char *after = NULL;

    convert_fails (args, 2, expected);
    /* Nothing written: the earlier file is as it was. */
    after = read_text (by_url);
    g_assert_cmpstr (after, ==, before);
  }
  {
    const char *args[] = { "--url", "nowhere", har_path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: No WebSocket or SSE entry has a URL "
                                                 "that contains “nowhere”\n%s",
                                                 har_path, several_listing);

    convert_fails (args, 2, expected);
  }
  {
    const char *args[] = { "--entry", "0", har_path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: Entry 0 (https://app.example.com/) "
                                                 "carries no WebSocket or EventSource messages\n%s",
                                                 har_path, several_listing);

    convert_fails (args, 2, expected);
  }
  {
    const char *args[] = { "--entry", "6", har_path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: There is no entry 6: the HAR file "
                                                 "has 6 entries, numbered from 0\n%s",
                                                 har_path, several_listing);

    convert_fails (args, 2, expected);
  }
  {
    const char *minus[] = { "--entry", "-1", har_path, out, NULL };
    const char *word[] = { "--entry=two", har_path, out, NULL };
    const char *both[] = { "--entry", "1", "--url", "chat", har_path, out, NULL };

    convert_fails (minus, 2, "sonde convert: --entry wants the number of an entry, counted from 0, "
                              "such as --entry 2\n");
    convert_fails (word, 2, "sonde convert: --entry wants the number of an entry, counted from 0, "
                             "such as --entry 2\n");
    convert_fails (both, 2, "sonde convert: give --entry or --url, not both\n");
  }
}

/* Times: exact to the microsecond the HAR gave, whatever a double does. */
static void
test_import_times (Fixture       *f,
                   gconstpointer  data)
{
  static const char no_start[] =
    "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":{\"url\":\"wss://h/\"},"
    "\"_webSocketMessages\":["
    "{\"type\":\"receive\",\"time\":1712345678.9019,\"opcode\":1,\"data\":\"a\"},"
    "{\"type\":\"receive\",\"time\":1712345678.901999,\"opcode\":1,\"data\":\"b\"},"
    "{\"type\":\"receive\",\"time\":1712345679.000001,\"opcode\":1,\"data\":\"c\"},"
    "{\"type\":\"receive\",\"time\":1712345680,\"opcode\":1,\"data\":\"d\"},"
    "{\"type\":\"receive\",\"time\":1712345680.1,\"opcode\":1,\"data\":\"e\"},"
    "{\"type\":\"send\",\"time\":1712345678.9019006,\"opcode\":1,\"data\":\"f\"},"
    "{\"type\":\"send\",\"time\":1712345681.999,\"opcode\":1,\"data\":\"g\"}"
    "]}]}}";
  /* The open entry first, at the start. */
  static const gint64 no_start_us[] = { 0, 900, 999, 99001, 1099000, 1199000, 901, 3098000 };
  static const char with_start[] =
    "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":{\"url\":\"https://h/e\"},"
    "\"startedDateTime\":\"2024-04-05T19:34:38.500+02:00\","
    "\"timings\":{\"blocked\":-1,\"dns\":0.125,\"connect\":-1,\"send\":0,\"wait\":0.25,\"receive\":9},"
    "\"_eventSourceMessages\":["
    "{\"time\":1712338478.5005,\"eventName\":null,\"data\":\"x\"},"
    "{\"time\":1712338479.5,\"eventName\":\"tick\",\"eventId\":\"9\",\"data\":\"y\"}"
    "]}]}}";
  static const char late_start[] =
    "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":{\"url\":\"wss://h/\"},"
    "\"startedDateTime\":\"2024-04-05T17:34:40.000Z\",\"timings\":{\"wait\":5},"
    "\"_webSocketMessages\":["
    "{\"type\":\"receive\",\"time\":1712338479.0004,\"opcode\":1,\"data\":\"a\"}"
    "]}]}}";
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SondeHar) har = sonde_har_new_for_data (no_start, -1, &error);
    g_autoptr(SondeHarSession) session = NULL;

    g_assert_no_error (error);
    session = sonde_har_import (har, 0, TRUE, &error);
    g_assert_no_error (error);
    /* No startedDateTime: the first message, down to its millisecond. */
    g_assert_cmpint (unix_us (session->started_at), ==, G_GINT64_CONSTANT (1712345678901000));
    g_assert_cmpuint (sonde_event_log_get_n_entries (session->log), ==, G_N_ELEMENTS (no_start_us));
    for (guint i = 0; i < G_N_ELEMENTS (no_start_us); i++)
      {
        SondeEntryView view;

        g_assert_true (sonde_event_log_get_view (session->log, i, &view));
        g_assert_cmpint (view.time_us, ==, no_start_us[i]);
      }
  }

  {
    g_autoptr(SondeHar) har = sonde_har_new_for_data (with_start, -1, &error);
    g_autoptr(SondeHarSession) session = NULL;
    SondeEntryView view;
    g_autofree char *type = NULL;
    g_autofree char *event_data = NULL;

    g_assert_no_error (error);
    session = sonde_har_import (har, 0, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (session->transport, ==, SONDE_TRANSPORT_SSE);
    /* startedDateTime, in another zone; open after dns, send and wait. */
    g_assert_cmpint (unix_us (session->started_at), ==, G_GINT64_CONSTANT (1712338478500000));
    g_assert_true (sonde_event_log_get_view (session->log, 0, &view));
    g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
    g_assert_cmpint (view.time_us, ==, 375);
    g_assert_true (sonde_event_log_get_view (session->log, 1, &view));
    g_assert_cmpint (view.time_us, ==, 500);
    event_data = sonde_entry_view_dup_data (&view, NULL, &type);
    g_assert_cmpstr (type, ==, "message");
    g_assert_cmpstr (event_data, ==, "x");
    g_assert_cmpuint (view.id_len, ==, 0);
    g_assert_true (sonde_event_log_get_view (session->log, 2, &view));
    g_assert_cmpint (view.time_us, ==, 1000000);
    g_assert_cmpuint (view.id_len, ==, 1);
    g_assert_cmpint (view.id[0], ==, '9');
  }

  {
    g_autoptr(SondeHar) har = sonde_har_new_for_data (late_start, -1, &error);
    g_autoptr(SondeHarSession) session = NULL;
    SondeEntryView view;

    g_assert_no_error (error);
    session = sonde_har_import (har, 0, TRUE, &error);
    g_assert_no_error (error);
    /* A startedDateTime after the first message is not the start. */
    g_assert_cmpint (unix_us (session->started_at), ==, G_GINT64_CONSTANT (1712338479000000));
    g_assert_true (sonde_event_log_get_view (session->log, 0, &view));
    g_assert_cmpint (view.time_us, ==, 0);
    g_assert_true (sonde_event_log_get_view (session->log, 1, &view));
    g_assert_cmpint (view.time_us, ==, 400);
  }
}

/* ------------------------------------------------------------------ */
/* Export                                                              */

static void
test_export_websocket (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *recording = write_websocket_recording (f, "ws.jsonl");
  g_autofree char *har_path = temp_path (f, "ws.har");
  g_autofree char *text = NULL;
  g_autofree char *core_text = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) actual = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *entry;
  JsonObject *request;
  JsonObject *response;
  JsonObject *timings;
  JsonArray *list;
  Loaded loaded = { 0, };
  const char *args[] = { recording, har_path, NULL };

  convert_ok (args);
  root = parse_file (har_path);
  assert_valid_har (root);

  load_recording (recording, &loaded);
  stamp = format_stamp (loaded.started_at);
  entry = har_entry (root, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "startedDateTime"), ==, stamp);
  g_assert_cmpstr (json_object_get_string_member (entry, "_resourceType"), ==, "websocket");
  g_assert_false (json_object_has_member (entry, "_eventSourceMessages"));
  g_assert_cmpfloat (json_object_get_double_member (entry, "time"), ==, 2100.0);

  request = json_object_get_object_member (entry, "request");
  g_assert_cmpstr (json_object_get_string_member (request, "url"), ==, WS_URL);
  list = json_object_get_array_member (request, "queryString");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "name"), ==, "room");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "value"), ==, "a b");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "name"), ==, "x");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "value"), ==, "1");
  list = json_object_get_array_member (request, "headers");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "name"), ==, "Host");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "name"), ==,
                   "Sec-WebSocket-Key");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "value"), ==, "k==");

  response = json_object_get_object_member (entry, "response");
  g_assert_cmpint (json_object_get_int_member (response, "status"), ==, 101);
  g_assert_cmpstr (json_object_get_string_member (response, "statusText"), ==, "Switching Protocols");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (response, "content"),
                                                  "mimeType"), ==, "x-unknown");
  list = json_object_get_array_member (response, "headers");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "name"), ==, "Upgrade");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 1), "value"), ==, "abc=");

  /* Waiting until the open entry, then the session. */
  timings = json_object_get_object_member (entry, "timings");
  g_assert_cmpfloat (json_object_get_double_member (timings, "send"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (timings, "wait"), ==, 20.5);
  g_assert_cmpfloat (json_object_get_double_member (timings, "receive"), ==, 2079.5);

  /* Every message, as browsers write them. */
  {
    gint64 start = unix_us (loaded.started_at);
    static const struct {
      gint64      t_us;
      const char *type;
      gint64      opcode;
      const char *data;
    } messages[] = {
      { 100000, "send", 1, "hello" },
      { 150250, "receive", 1, "w\xc3\xb6rld \"q\"" },
      { 200001, "receive", 2, "AAF/gP7/" },
      { 250000, "receive", 1, "fragment" },
      { 300000, "receive", 1, "Hello" },
      { 1000999, "send", 9, "cDE=" },
      { 1001500, "receive", 10, "cDE=" },
      { 1500000, "send", 2, "" },
      { 2000000, "receive", 8, "A+hkb25l" },
      { 2000100, "send", 8, "A+g=" },
    };

    list = json_object_get_array_member (entry, "_webSocketMessages");
    g_assert_cmpuint (json_array_get_length (list), ==, G_N_ELEMENTS (messages));
    for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
      {
        JsonObject *message = json_array_get_object_element (list, i);

        g_assert_cmpuint (json_object_get_size (message), ==, 4);
        g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, messages[i].type);
        g_assert_cmpint (json_object_get_int_member (message, "opcode"), ==, messages[i].opcode);
        g_assert_cmpstr (json_object_get_string_member (message, "data"), ==, messages[i].data);
        g_assert_cmpint (har_time_us (message), ==, start + messages[i].t_us);
      }

    /* The text says the time to the microsecond, as Chrome does. */
    {
      g_autofree char *first = g_strdup_printf ("\"time\": %" G_GINT64_FORMAT ".%06d,",
                                                (start + 100000) / G_USEC_PER_SEC,
                                                (int)((start + 100000) % G_USEC_PER_SEC));

      text = read_text (har_path);
      g_assert_nonnull (strstr (text, first));
    }
  }

  /* The core function writes the very same text. */
  reader = sonde_recording_reader_new_for_path (recording, &error);
  g_assert_no_error (error);
  core_text = sonde_har_export (reader, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (core_text, ==, text);

  /* The messages, compared the same way the round trips compare them. */
  expected = messages_of_recording (&loaded);
  actual = messages_of_har_entry (entry);
  assert_same_messages (expected, actual);
  loaded_clear (&loaded);
}

static void
test_export_sse (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *recording = write_sse_recording (f, "sse.jsonl");
  g_autofree char *har_path = temp_path (f, "sse.HAR");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *entry;
  JsonObject *response;
  JsonArray *list;
  Loaded loaded = { 0, };
  const char *args[] = { recording, har_path, NULL };
  static const struct {
    gint64      t_us;
    const char *event;
    const char *id;
    const char *data;
  } messages[] = {
    { 100000, "quote", "7", "{\"sym\":\"ACME\"}\nline two" },
    { 250500, "message", "7", "keeps the id" },
    { 1000001, "message", "", "reset" },
    { 1500000, "message", "8", "" },
  };

  /* “.HAR” is a HAR name too. */
  convert_ok (args);
  root = parse_file (har_path);
  assert_valid_har (root);
  load_recording (recording, &loaded);

  entry = har_entry (root, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "_resourceType"), ==, "eventsource");
  g_assert_false (json_object_has_member (entry, "_webSocketMessages"));
  g_assert_cmpfloat (json_object_get_double_member (entry, "time"), ==, 2000.0);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (entry, "timings"),
                                                    "wait"), ==, 10.0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "request"), "url"),
                   ==, SSE_URL);
  response = json_object_get_object_member (entry, "response");
  g_assert_cmpint (json_object_get_int_member (response, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (response, "statusText"), ==, "OK");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (response, "content"),
                                                  "mimeType"), ==, "text/event-stream; charset=utf-8");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (response, "headers")), ==, 2);

  list = json_object_get_array_member (entry, "_eventSourceMessages");
  g_assert_cmpuint (json_array_get_length (list), ==, G_N_ELEMENTS (messages));
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (list, i);

      g_assert_cmpuint (json_object_get_size (message), ==, 4);
      g_assert_cmpint (har_time_us (message), ==, unix_us (loaded.started_at) + messages[i].t_us);
      g_assert_cmpstr (json_object_get_string_member (message, "eventName"), ==, messages[i].event);
      g_assert_cmpstr (json_object_get_string_member (message, "eventId"), ==, messages[i].id);
      g_assert_cmpstr (json_object_get_string_member (message, "data"), ==, messages[i].data);
    }
  loaded_clear (&loaded);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */

static void
round_trip_recording (Fixture    *f,
                      const char *recording,
                      const char *stem)
{
  g_autofree char *har_name = g_strconcat (stem, ".har", NULL);
  g_autofree char *back_name = g_strconcat (stem, "-back.jsonl", NULL);
  g_autofree char *har_path = temp_path (f, har_name);
  g_autofree char *back = temp_path (f, back_name);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  Loaded original = { 0, };
  Loaded result = { 0, };
  SondeEntryView open_before;
  SondeEntryView open_after;
  g_autoptr(JsonObject) fields_before = NULL;
  g_autoptr(JsonObject) fields_after = NULL;

  {
    const char *args[] = { recording, har_path, NULL };

    convert_ok (args);
  }
  {
    const char *args[] = { har_path, back, NULL };

    convert_ok (args);
  }

  load_recording (recording, &original);
  load_recording (back, &result);
  g_assert_cmpint (result.transport, ==, original.transport);
  g_assert_cmpstr (result.url, ==, original.url);
  g_assert_cmpint (unix_us (result.started_at), ==, unix_us (original.started_at));

  before = messages_of_recording (&original);
  after = messages_of_recording (&result);
  g_assert_cmpuint (before->len, >, 3);
  assert_same_messages (before, after);

  /* The open entry too: when, status, reason and both sets of headers. */
  g_assert_true (sonde_event_log_get_view (original.log, 0, &open_before));
  g_assert_true (sonde_event_log_get_view (result.log, 0, &open_after));
  g_assert_cmpint (open_after.kind, ==, SONDE_ENTRY_OPEN);
  g_assert_cmpint (open_after.time_us, ==, open_before.time_us);
  fields_before = sonde_test_entry_fields (&open_before);
  fields_after = sonde_test_entry_fields (&open_after);
  g_assert_cmpint (json_object_get_int_member (fields_after, "status"), ==,
                   json_object_get_int_member (fields_before, "status"));
  g_assert_cmpstr (json_object_get_string_member (fields_after, "reason"), ==,
                   json_object_get_string_member (fields_before, "reason"));
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "headers" : "request_headers";
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (),
                                                     json_object_get_object_member (fields_before, name));
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (),
                                                     json_object_get_object_member (fields_after, name));

      g_assert_true (json_node_equal (a, b));
    }

  loaded_clear (&original);
  loaded_clear (&result);
}

static void
test_round_trip_websocket (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *recording = write_websocket_recording (f, "ws.jsonl");

  round_trip_recording (f, recording, "ws");
}

static void
test_round_trip_sse (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *recording = write_sse_recording (f, "sse.jsonl");

  round_trip_recording (f, recording, "sse");
}

static void
round_trip_har (Fixture    *f,
                const char *har_path,
                const char *entry,
                guint       index)
{
  g_autofree char *middle = temp_path (f, "middle.jsonl");
  g_autofree char *back = temp_path (f, "back.har");
  g_autoptr(JsonNode) original = parse_file (har_path);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  JsonObject *a;
  JsonObject *b;

  {
    const char *with_entry[] = { "--entry", entry, har_path, middle, NULL };
    const char *without[] = { har_path, middle, NULL };

    convert_ok (entry != NULL ? with_entry : without);
  }
  {
    const char *args[] = { middle, back, NULL };

    convert_ok (args);
  }
  result = parse_file (back);
  assert_valid_har (result);

  a = har_entry (original, index);
  b = har_entry (result, 0);
  g_assert_cmpstr (json_object_get_string_member (b, "startedDateTime"), ==,
                   json_object_get_string_member (a, "startedDateTime"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (b, "request"), "url"), ==,
                   json_object_get_string_member (json_object_get_object_member (a, "request"), "url"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (b, "response"), "status"), ==,
                   json_object_get_int_member (json_object_get_object_member (a, "response"), "status"));
  g_assert_cmpstr (json_object_get_string_member (b, "_resourceType"), ==,
                   json_object_get_string_member (a, "_resourceType"));

  /* The request headers, in their order (these fixtures name each once). */
  {
    g_autoptr(JsonNode) headers_a = json_node_init_array (json_node_alloc (),
        json_object_get_array_member (json_object_get_object_member (a, "request"), "headers"));
    g_autoptr(JsonNode) headers_b = json_node_init_array (json_node_alloc (),
        json_object_get_array_member (json_object_get_object_member (b, "request"), "headers"));

    g_assert_true (json_node_equal (headers_a, headers_b));
  }

  before = messages_of_har_entry (a);
  after = messages_of_har_entry (b);
  g_assert_cmpuint (before->len, >, 1);
  assert_same_messages (before, after);
}

static void
test_round_trip_har (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *single = data_path ("har-chrome-single.har");
  g_autofree char *several = data_path ("har-several.har");

  round_trip_har (f, single, NULL, 0);
  round_trip_har (f, several, "1", 1);
  round_trip_har (f, several, "3", 3);
  round_trip_har (f, several, "5", 5);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static void
test_core_errors (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *har;
    int         code;
    const char *message;
  } cases[] = {
    { "", SONDE_ERROR_NOT_HAR, "Neither a Sonde recording nor a HAR file: the file is empty" },
    { "[1, 2]", SONDE_ERROR_NOT_HAR,
      "Neither a Sonde recording nor a HAR file: the JSON has no “log” object at its top level" },
    { "{\"log\": []}", SONDE_ERROR_NOT_HAR,
      "Neither a Sonde recording nor a HAR file: the JSON has no “log” object at its top level" },
    { "{\"log\": {}}", SONDE_ERROR_HAR_INVALID, "The HAR file has no “entries” list in its “log”" },
    { "{\"log\": {\"entries\": [{}, 3]}}", SONDE_ERROR_HAR_INVALID,
      "Entry 1 of the HAR file is not an object" },
    { "{\"log\": {\"entries\": [{\"_webSocketMessages\": {}}]}}", SONDE_ERROR_HAR_INVALID,
      "Entry 0: “_webSocketMessages” is not a list" },
    { "{\"log\": {\"entries\": [{\"_eventSourceMessages\": \"x\"}]}}", SONDE_ERROR_HAR_INVALID,
      "Entry 0: “_eventSourceMessages” is not a list" },
  };
  static const struct {
    const char *messages;    /* of entry 0 */
    int         code;
    const char *message;
  } import_cases[] = {
    { "\"_webSocketMessages\": [[]]", SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: expected an object with “type”, “time”, “opcode” and “data”" },
    { "\"_webSocketMessages\": [{\"time\": 1, \"opcode\": 1, \"data\": \"\"}]", SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: it has no “type”; expected “send” or “receive”" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": 1, \"data\": \"\"},"
      "{\"type\": \"send\", \"time\": -1, \"opcode\": 1, \"data\": \"\"}]", SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 1: “time” must be seconds since 1970, such as 1700000000.123" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1e300, \"opcode\": 1, \"data\": \"\"}]",
      SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: “time” must be seconds since 1970, such as 1700000000.123" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": 1.5, \"data\": \"\"}]",
      SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: it has no whole-number “opcode”; expected 1 (text), 2 (binary), 8 (close), "
      "9 (ping) or 10 (pong)" },
    /* json-glib reads these as -1 and 1: a text. They are too large, and said so. */
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": 99999999999999999999, "
      "\"data\": \"\"}]", SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: its “opcode” is a number too large to read; expected 1 (text), 2 (binary), "
      "8 (close), 9 (ping) or 10 (pong)" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": -99999999999999999999, "
      "\"data\": \"\"}]", SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: its “opcode” is a number too large to read; expected 1 (text), 2 (binary), "
      "8 (close), 9 (ping) or 10 (pong)" },
    /* The largest a gint64 holds is read as it is. */
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": -9223372036854775808, "
      "\"data\": \"\"}]", SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: unknown opcode -9223372036854775808; expected 1 (text), 2 (binary), "
      "8 (close), 9 (ping) or 10 (pong)" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": 0, \"data\": \"\"}]",
      SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: unknown opcode 0; expected 1 (text), 2 (binary), 8 (close), 9 (ping) or "
      "10 (pong)" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": 1}]",
      SONDE_ERROR_HAR_INVALID, "Entry 0, message 0: “data” must be a string" },
    { "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1, \"opcode\": 9, \"data\": \"cGluZw\"},"
      "{\"type\": \"receive\", \"time\": 1, \"opcode\": 10, \"data\": \"cGl=Zw==\"}]",
      SONDE_ERROR_HAR_INVALID, "Entry 0, message 1: opcode 10 needs base64 data" },
    { "\"_eventSourceMessages\": [{\"time\": 1, \"eventName\": 5, \"data\": \"\"}]",
      SONDE_ERROR_HAR_INVALID, "Entry 0, message 0: “eventName” must be a string" },
    { "\"_eventSourceMessages\": [{\"time\": 1, \"eventId\": true, \"data\": \"\"}]",
      SONDE_ERROR_HAR_INVALID, "Entry 0, message 0: “eventId” must be a string" },
    { "\"_eventSourceMessages\": [{\"time\": 1, \"data\": null}]",
      SONDE_ERROR_HAR_INVALID, "Entry 0, message 0: “data” must be a string" },
    { "\"_eventSourceMessages\": [{\"data\": \"x\"}]",
      SONDE_ERROR_HAR_INVALID,
      "Entry 0, message 0: “time” must be seconds since 1970, such as 1700000000.123" },
    { "\"_eventSourceMessages\": []", SONDE_ERROR_HAR_INVALID,
      "Entry 0 has neither messages nor a valid “startedDateTime”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SondeHar) har = sonde_har_new_for_data (cases[i].har, -1, &error);

      g_assert_null (har);
      g_assert_error (error, SONDE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (import_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("{\"log\": {\"entries\": [{\"request\": {\"url\": \"ws://h/\"}, "
                                               "%s}]}}", import_cases[i].messages);
      g_autoptr(SondeHar) har = sonde_har_new_for_data (text, -1, &error);
      g_autoptr(SondeHarSession) session = NULL;

      g_assert_no_error (error);
      session = sonde_har_import (har, 0, TRUE, &error);
      g_assert_null (session);
      g_assert_error (error, SONDE_ERROR, import_cases[i].code);
      g_assert_cmpstr (error->message, ==, import_cases[i].message);
    }

  /* json-glib reads these as other text than they say, or as bytes that are
   * not UTF-8: refused, with where. */
  {
    static const char * const escapes[] = {
      "\\uZZZZ", "\\u00e\xc3\xa0t", "\\udc00x", "\\ud83dx", "\\ud83d\\u0041",
    };

    for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = g_strdup_printf ("{\"log\": {\"entries\": [],\n \"x\": \"%s\"}}",
                                                 escapes[i]);
        g_autoptr(SondeHar) har = sonde_har_new_for_data (text, -1, &error);

        g_assert_null (har);
        g_assert_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR);
        g_assert_cmpstr (error->message, ==, "Neither a Sonde recording nor a HAR file: invalid JSON "
                                             "at line 2, column 7 (a \\u escape that is no character)");
      }
    /* A pair, and escapes of other kinds, are fine. */
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SondeHar) har = sonde_har_new_for_data ("{\"log\": {\"entries\": [], \"x\": "
                                                        "\"\\ud83d\\ude00 \\\\u \\\" \\u00e9\"}}", -1,
                                                        &error);

      g_assert_no_error (error);
      g_assert_nonnull (har);
    }
  }

  /* Not JSON: the line and the column. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SondeHar) har = sonde_har_new_for_data ("{\n  \"log\": x\n}", -1, &error);

    g_assert_null (har);
    g_assert_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR);
    g_assert_true (g_str_has_prefix (error->message, "Neither a Sonde recording nor a HAR file: "
                                                     "invalid JSON at line 2, column "));
  }
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = temp_path (f, "out.jsonl");
  g_autofree char *out_har = temp_path (f, "out.har");
  g_autofree char *single = data_path ("har-chrome-single.har");
  g_autofree char *recording = write_sse_recording (f, "sse.jsonl");
  g_autofree char *listing = NULL;
  static const struct {
    const char *file;
    const char *message;
  } broken[] = {
    { "har-broken-bad-base64.har", "Entry 1, message 2: opcode 2 needs base64 data" },
    { "har-broken-bad-opcode.har", "Entry 1, message 1: unknown opcode 5; expected 1 (text), 2 (binary), "
                                   "8 (close), 9 (ping) or 10 (pong)" },
    { "har-broken-bad-time.har", "Entry 1, message 1: “time” must be seconds since 1970, such as "
                                 "1700000000.123" },
    { "har-broken-bad-type.har", "Entry 1, message 1: unknown type “sent”; expected “send” or “receive”" },
    { "har-broken-no-log.har", "Neither a Sonde recording nor a HAR file: the JSON has no “log” object "
                               "at its top level" },
    { "har-broken-no-messages.har", "No entry of the HAR file carries WebSocket or EventSource messages "
                                    "(“_webSocketMessages” or “_eventSourceMessages”)" },
  };

  /* Each broken file: one sentence naming the file and where, status 1,
   * and nothing written. */
  g_file_set_contents (out, "old\n", -1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = data_path (broken[i].file);
      g_autofree char *expected = g_strdup_printf ("sonde convert: %s: %s\n", path, broken[i].message);
      g_autofree char *left = NULL;
      const char *args[] = { path, out, NULL };

      convert_fails (args, 1, expected);
      left = read_text (out);
      g_assert_cmpstr (left, ==, "old\n");
    }
  {
    g_autofree char *path = data_path ("har-broken-not-json.har");
    const char *args[] = { path, out, NULL };
    g_autofree char *prefix = g_strdup_printf ("sonde convert: %s: Neither a Sonde recording nor a HAR "
                                               "file: invalid JSON at line 5, column ", path);
    Run run;

    run_convert (&run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, prefix));
    /* One line. */
    g_assert_true (g_str_has_suffix (run.err, ")\n"));
    g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
    run_clear (&run);
  }
  {
    g_autofree char *path = write_text (f, "notes.txt", "just some notes\n");
    const char *args[] = { path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: Neither a Sonde recording nor a HAR "
                                                 "file: invalid JSON at line 1, column ", path);
    Run run;

    run_convert (&run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.err, expected));
    run_clear (&run);
  }
  {
    g_autofree char *path = write_text (f, "empty.har", "\n\n");
    const char *args[] = { path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: Neither a Sonde recording nor a HAR "
                                                 "file: the file is empty\n", path);

    convert_fails (args, 1, expected);
  }

  /* A missing input, a broken recording. */
  {
    g_autofree char *path = temp_path (f, "missing.har");
    const char *args[] = { path, out, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: Cannot read “%s”: No such file or "
                                                 "directory\n", path);

    convert_fails (args, 1, expected);
  }
  {
    g_autofree char *path = write_text (f, "bad.jsonl",
                                        "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\","
                                        "\"url\":\"http://h/\",\"started_at\":\"2026-01-01T12:00:00.000Z\"}\n"
                                        "{\"seq\":0,\"t\":1,\"dir\":\"in\",\"kind\":\"retry\",}\n");
    const char *args[] = { path, out_har, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: Line 2 is not JSON: expected a member "
                                                 "name in quotes at column 42\n", path);

    convert_fails (args, 1, expected);
  }
  {
    g_autofree char *path = write_text (f, "v2.jsonl", "\xEF\xBB\xBF{\"format\":\"sonde-recording\",\"version\":2}\n");
    const char *args[] = { path, out_har, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: %s: This recording is version 2; this "
                                                 "Sonde reads version 1 and older; update Sonde to open "
                                                 "it\n", path);

    convert_fails (args, 1, expected);
  }

  /* Usage: status 2. */
  {
    const char *none[] = { NULL };
    const char *one[] = { single, NULL };
    const char *three[] = { single, out, out_har, NULL };
    const char *unknown[] = { "--entries", "1", single, out, NULL };
    const char *har_to_har[] = { single, out_har, NULL };
    const char *rec_to_rec[] = { recording, out, NULL };
    const char *rec_with_entry[] = { "--entry", "0", recording, out_har, NULL };
    g_autofree char *har_to_har_err = g_strdup_printf ("sonde convert: %s is a HAR file, and OUT ends in "
                                                       "“.har” too: give OUT another name to import it "
                                                       "as a Sonde recording\n", single);
    g_autofree char *rec_to_rec_err = g_strdup_printf ("sonde convert: %s is a Sonde recording already: "
                                                       "name OUT with “.har” at the end to export it as "
                                                       "a HAR file\n", recording);
    g_autofree char *rec_with_entry_err = g_strdup_printf ("sonde convert: --entry and --url pick an entry "
                                                           "of a HAR file, and %s is a Sonde recording\n",
                                                           recording);
    static const char give[] = "sonde convert: give an input and an output file, for example sonde "
                               "convert capture.har session.jsonl\n";
    Run run;

    convert_fails (none, 2, give);
    convert_fails (one, 2, give);
    convert_fails (three, 2, give);
    run_convert (&run, unknown);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--entries"));
    run_clear (&run);
    convert_fails (har_to_har, 2, har_to_har_err);
    convert_fails (rec_to_rec, 2, rec_to_rec_err);
    convert_fails (rec_with_entry, 2, rec_with_entry_err);
  }

  /* --help says how the formats are told apart. */
  {
    const char *help[] = { "--help", NULL };
    Run run;

    run_convert (&run, help);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "OUT becomes a HAR file when its name ends in “.har”"));
    g_assert_nonnull (strstr (run.out, "numbered from 0"));
    g_assert_nonnull (strstr (run.out, "--entry=N"));
    g_assert_nonnull (strstr (run.out, "--url=SUBSTRING"));
    run_clear (&run);
  }

  /* An output that cannot be written: the system's reason, status 1, and
   * no file left behind. */
  listing = list_dir (f);
  {
    g_autofree char *path = g_build_filename (f->dir, "no-such-dir", "out.jsonl", NULL);
    const char *args[] = { single, path, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: Cannot write “%s”: No such file or "
                                                 "directory\n", path);

    convert_fails (args, 1, expected);
  }
  {
    g_autofree char *path = temp_path (f, "a-folder.har");
    const char *args[] = { recording, path, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde convert: Cannot write “%s”: Is a directory\n", path);
    g_autofree char *now = NULL;

    g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
    convert_fails (args, 1, expected);
    g_rmdir (path);
    now = list_dir (f);
    g_assert_cmpstr (now, ==, listing);
  }
  if (geteuid () != 0)
    {
      g_autofree char *dir = temp_path (f, "read-only");
      g_autofree char *path = g_build_filename (dir, "out.jsonl", NULL);
      const char *args[] = { single, path, NULL };
      g_autofree char *expected = g_strdup_printf ("sonde convert: Cannot write “%s”: Permission "
                                                   "denied\n", path);
      g_autoptr(GDir) contents = NULL;

      g_assert_cmpint (g_mkdir (dir, 0500), ==, 0);
      convert_fails (args, 1, expected);
      contents = g_dir_open (dir, 0, NULL);
      g_assert_null (g_dir_read_name (contents));
    }

  /* And after all of that, the one good conversion leaves one file. */
  {
    g_autofree char *before = list_dir (f);
    const char *args[] = { single, out, NULL };
    g_autofree char *after = NULL;

    convert_ok (args);
    after = list_dir (f);
    g_assert_cmpstr (after, ==, before);
  }
}

/* ------------------------------------------------------------------ */
/* Hostile files                                                       */

/* 100,000 levels of nesting overflowed json-glib's recursion (SIGSEGV);
 * now they are one sentence, in core and on the command line. */
static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *unit;
    const char *close;
    guint       first_too_deep;  /* the byte that opens level 1001 */
  } cases[] = {
    { "[", "", 1001 },
    { "{\"a\":", "1", 5001 },
  };
  g_autofree char *out = temp_path (f, "out.jsonl");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sonde_test_repeat (cases[i].unit, 100000, cases[i].close);
      g_autofree char *path = write_text (f, "deep.har", text);
      g_autofree char *message = g_strdup_printf ("Not a HAR file that Sonde can read: The JSON nests "
                                                  "arrays and objects more than 1000 deep (at byte %u)",
                                                  cases[i].first_too_deep);
      g_autofree char *expected = g_strdup_printf ("sonde convert: %s: %s\n", path, message);
      g_autoptr(SondeHar) har = NULL;
      g_autoptr(GError) error = NULL;
      const char *args[] = { path, out, NULL };

      har = sonde_har_new_for_data (text, -1, &error);
      g_assert_null (har);
      g_assert_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR);
      g_assert_cmpstr (error->message, ==, message);

      convert_fails (args, 1, expected);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  /* Deep inside a HAR that is otherwise fine. */
  {
    g_autofree char *deep = sonde_test_repeat ("[", 50000, "");
    g_autofree char *text = g_strdup_printf ("{\"log\": {\"entries\": [{\"_webSocketMessages\": %s}]}}",
                                             deep);
    g_autoptr(SondeHar) har = NULL;
    g_autoptr(GError) error = NULL;

    har = sonde_har_new_for_data (text, -1, &error);
    g_assert_null (har);
    g_assert_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR);
    g_assert_nonnull (strstr (error->message, "more than 1000 deep"));
  }

  /* And in the open entry of a recording exported as HAR: the export reads
   * those fields with the same limit (the reader may refuse them first). */
  {
    g_autofree char *deep = sonde_test_repeat ("{\"a\":", 100000, "1");
    g_autofree char *closing = g_strnfill (100000, '}');
    g_autofree char *text = g_strdup_printf (
      "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"websocket\",\"url\":\"ws://h/\","
      "\"started_at\":\"2026-01-01T00:00:00.000Z\"}\n"
      "{\"seq\":0,\"t\":0,\"dir\":\"in\",\"kind\":\"open\",\"status\":101,\"headers\":%s%s}\n",
      deep, closing);
    g_autofree char *path = write_text (f, "deep.jsonl", text);
    g_autofree char *har_out = temp_path (f, "deep.har");
    const char *args[] = { path, har_out, NULL };
    Run run;

    /* It exits (a signal fails run_convert), with at most one sentence. */
    run_convert (&run, args);
    g_assert_cmpint (run.status, >=, 0);
    g_assert_cmpint (run.status, <=, 1);
    g_assert_true (strchr (run.err, '\n') == NULL || strchr (run.err, '\n')[1] == '\0');
    run_clear (&run);
  }
}

/* The marker, as it stands in a URL. */
#define REMOVED_IN_URL "%5Bremoved%20by%20Sonde%5D"

static JsonObject *
open_fields (const char *path)
{
  Loaded loaded = { 0, };
  SondeEntryView view;
  JsonObject *fields;

  load_recording (path, &loaded);
  g_assert_true (sonde_event_log_get_view (loaded.log, 0, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
  fields = sonde_test_entry_fields (&view);
  /* The header's URL says what the open entry says. */
  g_assert_cmpstr (loaded.url, ==, json_object_get_string_member (fields, "url"));
  loaded_clear (&loaded);
  return fields;
}

/* The value of header @name in a HAR list of {name, value}. */
static const char *
har_header (JsonArray  *headers,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonObject *header = json_array_get_object_element (headers, i);

      if (g_str_equal (json_object_get_string_member (header, "name"), name))
        return json_object_get_string_member (header, "value");
    }
  return NULL;
}

/* Cookies, authorization and a password in the URL stay out of what
 * `sonde convert` writes, unless asked for. */
static void
test_credentials (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *har_path = data_path ("har-credentials.har");
  g_autofree char *out = temp_path (f, "out.jsonl");

  /* HAR to recording. */
  for (guint keep = 0; keep < 2; keep++)
    {
      const char *args[] = { keep ? "--keep-credentials" : har_path, keep ? har_path : out,
                             keep ? out : NULL, NULL };
      g_autoptr(JsonObject) fields = NULL;
      JsonObject *request_headers;
      JsonObject *headers;

      convert_ok (args);
      fields = open_fields (out);
      request_headers = json_object_get_object_member (fields, "request_headers");
      headers = json_object_get_object_member (fields, "headers");
      g_assert_cmpstr (json_object_get_string_member (request_headers, "Host"), ==,
                       "chat.example.com:8443");
      g_assert_cmpstr (json_object_get_string_member (headers, "Upgrade"), ==, "websocket");
      if (keep)
        {
          g_assert_cmpstr (json_object_get_string_member (fields, "url"), ==,
                           "wss://alice:s3cret@chat.example.com:8443/socket?room=1");
          g_assert_cmpstr (json_object_get_string_member (request_headers, "Cookie"), ==,
                           "session=abc123");
          g_assert_cmpstr (json_object_get_string_member (request_headers, "authorization"), ==,
                           "Bearer eyJhbGciOi");
          g_assert_cmpstr (json_object_get_string_member (request_headers, "Proxy-Authorization"), ==,
                           "Basic cHJveHk6cHc=");
          g_assert_cmpstr (json_object_get_string_member (headers, "Set-Cookie"), ==,
                           "session=def456; HttpOnly, tracking=1");
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (fields, "url"), ==,
                           "wss://" REMOVED_IN_URL "@chat.example.com:8443/socket?room=1");
          g_assert_cmpstr (json_object_get_string_member (request_headers, "Cookie"), ==,
                           SONDE_CREDENTIALS_REMOVED);
          g_assert_cmpstr (json_object_get_string_member (request_headers, "authorization"), ==,
                           SONDE_CREDENTIALS_REMOVED);
          g_assert_cmpstr (json_object_get_string_member (request_headers, "Proxy-Authorization"), ==,
                           SONDE_CREDENTIALS_REMOVED);
          g_assert_cmpstr (json_object_get_string_member (headers, "Set-Cookie"), ==,
                           SONDE_CREDENTIALS_REMOVED);
          g_assert_cmpstr (SONDE_CREDENTIALS_REMOVED, ==, "[removed by Sonde]");
        }
    }

  /* Recording to HAR: a recording written by hand, so that nothing on the
   * way takes the credentials out before the export does. */
  {
    g_autofree char *recording = write_text (f, "creds.jsonl",
      "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"websocket\","
      "\"url\":\"ws://bob:pw@127.0.0.1:9/ws?x=1\",\"started_at\":\"2026-01-01T00:00:00.000Z\"}\n"
      "{\"seq\":0,\"t\":0.01,\"dir\":\"in\",\"kind\":\"open\",\"status\":101,\"reason\":\"Switching Protocols\","
      "\"url\":\"ws://bob:pw@127.0.0.1:9/ws?x=1\","
      "\"headers\":{\"Upgrade\":\"websocket\",\"Set-Cookie\":\"s=1\"},"
      "\"request_headers\":{\"Host\":\"127.0.0.1:9\",\"Cookie\":\"s=0\",\"Authorization\":\"Basic Ym9iOnB3\","
      "\"PROXY-AUTHORIZATION\":\"Basic eDp5\"},\"subprotocol\":\"\",\"extensions\":\"\"}\n");
    g_autofree char *har_out = temp_path (f, "creds.har");

    for (guint keep = 0; keep < 2; keep++)
      {
        const char *args[] = { keep ? "--keep-credentials" : recording, keep ? recording : har_out,
                               keep ? har_out : NULL, NULL };
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) error = NULL;
        JsonObject *entry;
        JsonObject *request;
        JsonArray *request_headers;
        JsonArray *response_headers;
        JsonArray *query;

        convert_ok (args);
        json_parser_load_from_file (parser, har_out, &error);
        g_assert_no_error (error);
        entry = json_array_get_object_element (
          json_object_get_array_member (json_object_get_object_member (
            json_node_get_object (json_parser_get_root (parser)), "log"), "entries"), 0);
        request = json_object_get_object_member (entry, "request");
        request_headers = json_object_get_array_member (request, "headers");
        response_headers = json_object_get_array_member (json_object_get_object_member (entry, "response"),
                                                         "headers");
        query = json_object_get_array_member (request, "queryString");
        g_assert_cmpuint (json_array_get_length (query), ==, 1);
        g_assert_cmpstr (har_header (request_headers, "Host"), ==, "127.0.0.1:9");
        g_assert_cmpstr (har_header (response_headers, "Upgrade"), ==, "websocket");
        if (keep)
          {
            g_assert_cmpstr (json_object_get_string_member (request, "url"), ==,
                             "ws://bob:pw@127.0.0.1:9/ws?x=1");
            g_assert_cmpstr (har_header (request_headers, "Cookie"), ==, "s=0");
            g_assert_cmpstr (har_header (request_headers, "Authorization"), ==, "Basic Ym9iOnB3");
            g_assert_cmpstr (har_header (request_headers, "PROXY-AUTHORIZATION"), ==, "Basic eDp5");
            g_assert_cmpstr (har_header (response_headers, "Set-Cookie"), ==, "s=1");
          }
        else
          {
            g_assert_cmpstr (json_object_get_string_member (request, "url"), ==,
                             "ws://" REMOVED_IN_URL "@127.0.0.1:9/ws?x=1");
            g_assert_cmpstr (har_header (request_headers, "Cookie"), ==, SONDE_CREDENTIALS_REMOVED);
            g_assert_cmpstr (har_header (request_headers, "Authorization"), ==, SONDE_CREDENTIALS_REMOVED);
            g_assert_cmpstr (har_header (request_headers, "PROXY-AUTHORIZATION"), ==,
                             SONDE_CREDENTIALS_REMOVED);
            g_assert_cmpstr (har_header (response_headers, "Set-Cookie"), ==, SONDE_CREDENTIALS_REMOVED);
            g_autofree char *text = read_text (har_out);

            g_assert_null (strstr (text, "Ym9iOnB3"));
          }
      }
  }
}

/* ------------------------------------------------------------------ */
/* Files that are not files                                            */

typedef struct
{
  GSubprocess *process;
  GBytes      *out;
  GBytes      *err;
  gboolean     done;
} Piped;

static void
piped_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Piped *piped = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &piped->out, &piped->err, NULL);
  piped->done = TRUE;
}

static gboolean
piped_done (gpointer data)
{
  return ((Piped *)data)->done;
}

/* Starts `sonde convert ARGS...` with its standard input from @input (a
 * pipe, when not NULL) and its output captured. */
static void
piped_start (Piped              *piped,
             const char * const *args,
             GBytes             *input)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = sonde_test_sonde_argv ("convert", args);
  g_autoptr(GError) error = NULL;

  memset (piped, 0, sizeof *piped);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  piped->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (piped->process, input, NULL, piped_cb, piped);
}

/* Waits a generous while; a command that hangs is killed, and fails the test. */
static int
piped_wait (Piped *piped)
{
  if (!sonde_test_wait_until (piped_done, piped, 30000))
    {
      g_subprocess_force_exit (piped->process);
      g_assert_true (sonde_test_wait_until (piped_done, piped, 10000));
      g_assert_not_reached ();
    }
  g_assert_true (g_subprocess_get_if_exited (piped->process));
  return g_subprocess_get_exit_status (piped->process);
}

static void
piped_clear (Piped *piped)
{
  g_clear_object (&piped->process);
  g_clear_pointer (&piped->out, g_bytes_unref);
  g_clear_pointer (&piped->err, g_bytes_unref);
}

typedef struct
{
  const char *path;
  int         fd;
} FifoWriter;

static gboolean
fifo_opened (gpointer data)
{
  FifoWriter *writer = data;

  /* Without a reader, a non-blocking open for writing fails with ENXIO. */
  writer->fd = g_open (writer->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
  return writer->fd >= 0;
}

/* A FIFO is read once (it was opened twice, and the second open waited for
 * a writer for ever); "-" is standard input and standard output. */
static void
test_pipes (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *har_path = data_path ("har-chrome-single.har");
  g_autofree char *har_text = read_text (har_path);
  g_autofree char *fifo = temp_path (f, "in.fifo");
  g_autofree char *out = temp_path (f, "out.jsonl");
  g_autofree char *reference = temp_path (f, "reference.jsonl");
  g_autofree char *reference_text = NULL;
  g_autoptr(GBytes) har_bytes = g_bytes_new (har_text, strlen (har_text));

  {
    const char *args[] = { har_path, reference, NULL };

    convert_ok (args);
    reference_text = read_text (reference);
  }

  /* A FIFO, written by us once the command has it open. */
  {
    const char *args[] = { fifo, out, NULL };
    FifoWriter writer = { fifo, -1 };
    g_autofree char *out_text = NULL;
    Piped piped;
    gsize done = 0;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    piped_start (&piped, args, NULL);
    g_assert_true (sonde_test_wait_until (fifo_opened, &writer, 30000));
    g_unix_set_fd_nonblocking (writer.fd, FALSE, NULL);
    while (done < strlen (har_text))
      {
        gssize n = write (writer.fd, har_text + done, strlen (har_text) - done);

        g_assert_cmpint (n, >, 0);
        done += (gsize)n;
      }
    close (writer.fd);
    g_assert_cmpint (piped_wait (&piped), ==, 0);
    g_assert_cmpuint (g_bytes_get_size (piped.err), ==, 0);
    out_text = read_text (out);
    g_assert_cmpstr (out_text, ==, reference_text);
    piped_clear (&piped);
  }

  /* Standard input to standard output: a HAR becomes a recording... */
  {
    const char *args[] = { "-", "-", NULL };
    g_autofree char *text = NULL;
    Piped piped;

    piped_start (&piped, args, har_bytes);
    g_assert_cmpint (piped_wait (&piped), ==, 0);
    g_assert_cmpuint (g_bytes_get_size (piped.err), ==, 0);
    text = g_strndup (g_bytes_get_data (piped.out, NULL), g_bytes_get_size (piped.out));
    g_assert_cmpstr (text, ==, reference_text);
    g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
    piped_clear (&piped);
  }

  /* ...and a recording a HAR file, the same as one written to a file. */
  {
    g_autoptr(GBytes) recording = g_bytes_new (reference_text, strlen (reference_text));
    g_autofree char *har_out = temp_path (f, "out.har");
    g_autofree char *expected = NULL;
    g_autofree char *text = NULL;
    const char *to_file[] = { reference, har_out, NULL };
    const char *args[] = { "-", "-", NULL };
    Piped piped;

    convert_ok (to_file);
    expected = read_text (har_out);
    piped_start (&piped, args, recording);
    g_assert_cmpint (piped_wait (&piped), ==, 0);
    g_assert_cmpuint (g_bytes_get_size (piped.err), ==, 0);
    text = g_strndup (g_bytes_get_data (piped.out, NULL), g_bytes_get_size (piped.out));
    g_assert_cmpstr (text, ==, expected);
    piped_clear (&piped);
  }

  /* A broken HAR from standard input names standard input. */
  {
    g_autoptr(GBytes) broken = g_bytes_new_static ("{\"log\": {}}", 11);
    const char *args[] = { "-", out, NULL };
    g_autofree char *err = NULL;
    Piped piped;

    piped_start (&piped, args, broken);
    g_assert_cmpint (piped_wait (&piped), ==, 1);
    err = g_strndup (g_bytes_get_data (piped.err, NULL), g_bytes_get_size (piped.err));
    g_assert_cmpstr (err, ==, "sonde convert: standard input: The HAR file has no “entries” list in "
                              "its “log”\n");
    piped_clear (&piped);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sonde/har/import/single", Fixture, NULL, fixture_set_up, test_import_single,
              fixture_tear_down);
  g_test_add ("/sonde/har/import/select", Fixture, NULL, fixture_set_up, test_import_select,
              fixture_tear_down);
  g_test_add ("/sonde/har/import/times", Fixture, NULL, fixture_set_up, test_import_times,
              fixture_tear_down);
  g_test_add ("/sonde/har/export/websocket", Fixture, NULL, fixture_set_up, test_export_websocket,
              fixture_tear_down);
  g_test_add ("/sonde/har/export/sse", Fixture, NULL, fixture_set_up, test_export_sse, fixture_tear_down);
  g_test_add ("/sonde/har/round-trip/websocket", Fixture, NULL, fixture_set_up, test_round_trip_websocket,
              fixture_tear_down);
  g_test_add ("/sonde/har/round-trip/sse", Fixture, NULL, fixture_set_up, test_round_trip_sse,
              fixture_tear_down);
  g_test_add ("/sonde/har/round-trip/har", Fixture, NULL, fixture_set_up, test_round_trip_har,
              fixture_tear_down);
  g_test_add ("/sonde/har/errors/core", Fixture, NULL, fixture_set_up, test_core_errors, fixture_tear_down);
  g_test_add ("/sonde/har/errors/cli", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/sonde/har/deep-nesting", Fixture, NULL, fixture_set_up, test_deep_nesting,
              fixture_tear_down);
  g_test_add ("/sonde/har/credentials", Fixture, NULL, fixture_set_up, test_credentials,
              fixture_tear_down);
  g_test_add ("/sonde/har/pipes", Fixture, NULL, fixture_set_up, test_pipes, fixture_tear_down);

  return g_test_run ();
}

/* test-recording-reader.c: recordings read back: round trips through the writer, errors, warnings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-reader-private.h"
#include "sonde-recording-writer.h"
#include "sonde-test-util.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

#define HEADER "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\"," \
               "\"url\":\"http://127.0.0.1/events\",\"started_at\":\"2026-01-01T12:00:00.250Z\"}\n"

/* A stream that gives at most a few bytes a read, so that lines cross
 * every possible read boundary. */
#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *bytes;
  gsize         pos;
  gsize         step;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize size;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  gsize n = MIN (MIN (count, self->step), size - self->pos);

  memcpy (buffer, data + self->pos, n);
  self->pos += n;
  return (gssize)n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  g_bytes_unref (TEST_TRICKLE_STREAM (object)->bytes);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle_stream_new (const char *text,
                    gsize       len,
                    gsize       step)
{
  TestTrickleStream *self = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  self->bytes = g_bytes_new (text, len);
  self->step = step;
  return G_INPUT_STREAM (self);
}

static SondeRecordingReader *
reader_for_text (const char  *text,
                 GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);

  return sonde_recording_reader_new_for_stream (stream, "test.jsonl", error);
}

static JsonNode *
parse_json (const char *text,
            gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* The log of a session that has every kind of entry the writer knows. */

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
append_text (SondeEventLog  *log,
             gint64          time_us,
             SondeDirection  direction,
             SondeEntryKind  kind,
             const char     *id,
             const char     *fields,
             const char     *raw)
{
  append (log, time_us, direction, kind, id, fields, raw, raw != NULL ? strlen (raw) : 0);
}

static void
append_frames (SondeEventLog  *log,
               gint64          time_us,
               SondeDirection  direction,
               SondeEntryKind  kind,
               const char     *fields,
               GByteArray     *frames)
{
  append (log, time_us, direction, kind, NULL, fields, frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
}

static SondeEventLog *
make_session_log (void)
{
  static const guint8 mask[4] = { 0x1a, 0x2b, 0x3c, 0x4d };
  static const guint8 zero_mask[4] = { 0, 0, 0, 0 };
  static const guint8 binary[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, '"', '\\' };
  SondeEventLog *log = sonde_event_log_new ();
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autoptr(GString) fields = g_string_new (NULL);
  static const char close_body[] = "\x03\xe8" "bye";

  /* SSE */
  append_text (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
               "\"status\":200,\"reason\":\"OK\",\"url\":\"http://127.0.0.1/events\","
               "\"headers\":{\"Content-Type\":\"text/event-stream\",\"X-Quote\":\"a \\\"b\\\" \\\\ c\"},"
               "\"request_headers\":{\"Accept\":\"text/event-stream\",\"Last-Event-ID\":\"41\"}",
               NULL);
  append_text (log, 1200, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, "\"ms\":5000", NULL);
  append_text (log, 1500, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, NULL, ": heartbeat\n");
  append_text (log, 1501, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, NULL, ":\r\n");
  append_text (log, 2000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "1", NULL, "id: 1\ndata: first\n\n");
  append_text (log, 2001, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "2", NULL,
               "id: 2\nevent: quote\ndata: {\"sym\":\"ACME\",\"price\":12.5}\n\n");
  append_text (log, 3000000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "2", NULL,
               "data: line one\r\ndata: line \"two\"\tand\\three\r\n\r\n");
  append_text (log, 3000001, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "\xc3\xa9\xf0\x9f\x98\x80", NULL,
               "id: \xc3\xa9\xf0\x9f\x98\x80\ndata: caf\xc3\xa9 \xf0\x9f\x98\x80 \x01\x1f\n\n");
  append (log, 3000002, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "", NULL,
          "data: nul \0 inside\n\n", 21);
  append_text (log, 3500000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL,
               "\"message\":\"The server ended the stream\",\"discarded_bytes\":7", "data: x");
  append_text (log, 3500001, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL,
               "\"delay_ms\":5000,\"attempt\":1", NULL);
  append_text (log, 8500001, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL,
               "\"message\":\"Could not connect: Connection refused\",\"domain\":\"g-io-error-quark\","
               "\"code\":39", NULL);

  /* WebSocket */
  append_text (log, 9000000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
               "\"status\":101,\"reason\":\"Switching Protocols\",\"url\":\"ws://127.0.0.1/ws\","
               "\"request\":\"GET /ws HTTP/1.1\",\"headers\":{\"Upgrade\":\"websocket\"},"
               "\"request_headers\":{\"Sec-WebSocket-Version\":\"13\"},\"subprotocol\":\"\","
               "\"extensions\":\"permessage-deflate\"", NULL);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)"Hello", 5, mask, 0);
  append_frames (log, 9000100, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, "\"purpose\":\"resume\"", frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"welcome \xc3\xa9 \"q\"", 14, NULL, 0);
  append_frames (log, 9000200, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, binary, sizeof binary, NULL, 0);
  append_frames (log, 9000300, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL, frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, binary, sizeof binary, zero_mask, 0);
  append_frames (log, 9000301, SONDE_DIRECTION_OUT, SONDE_ENTRY_BINARY, NULL, frames);
  /* Fragmented, with a long middle piece in the 16-bit length form. */
  {
    g_autofree char *middle = g_strnfill (300, 'm');

    sonde_ws_frame_append_full (frames, SONDE_WS_OPCODE_TEXT, (const guint8 *)"frag-", 5, NULL, 0);
    sonde_ws_frame_append_full (frames, SONDE_WS_OPCODE_CONTINUATION, (const guint8 *)middle, 300, NULL, 0);
    sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CONTINUATION,
                                (const guint8 *)"-end", 4, NULL, 0);
    append_frames (log, 9000400, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, frames);
    sonde_ws_frame_append_full (frames, SONDE_WS_OPCODE_BINARY, binary, 3, mask, 0);
    sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CONTINUATION, binary + 3, 5, mask, 0);
    append_frames (log, 9000401, SONDE_DIRECTION_OUT, SONDE_ENTRY_BINARY, NULL, frames);
  }
  /* Compressed: the inflated data lives in the fields. */
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_RSV1 | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"\xf2\x48\xcd\xc9\xc9\x07\x00", 7, NULL, 0);
  append_frames (log, 9000500, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT,
                 "\"compressed\":true,\"data\":\"Hello \\\"deflate\\\"\"", frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_RSV1 | SONDE_WS_OPCODE_BINARY,
                              (const guint8 *)"\x63\x60\x04\x00", 4, mask, 0);
  append_frames (log, 9000501, SONDE_DIRECTION_OUT, SONDE_ENTRY_BINARY,
                 "\"compressed\":true,\"data\":\"AAE=\"", frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, (const guint8 *)"k1", 2, mask, 0);
  append_frames (log, 9000600, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, NULL, frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_PONG, (const guint8 *)"k1", 2, NULL, 0);
  append_frames (log, 9000700, SONDE_DIRECTION_IN, SONDE_ENTRY_PONG, "\"rtt_ms\":0.100", frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, NULL, 0, NULL, 0);
  append_frames (log, 9000800, SONDE_DIRECTION_IN, SONDE_ENTRY_PING, NULL, frames);
  /* A server frame with RSV2 and a mask: two violations. */
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_RSV2 | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"odd", 3, mask, 0);
  g_string_assign (fields, "\"violations\":[\"reserved bit set without a negotiated extension\","
                           "\"server frame is masked\"]");
  append_frames (log, 9000900, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, fields->str, frames);
  sonde_ws_frame_append_full (frames, 0x83, (const guint8 *)"??", 2, NULL, 0);
  append_frames (log, 9000901, SONDE_DIRECTION_IN, SONDE_ENTRY_ERROR,
                 "\"message\":\"A frame with the reserved opcode 0x3\",\"violations\":[\"reserved opcode\"]",
                 frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE,
                              (const guint8 *)close_body, 5, mask, 0);
  append_frames (log, 9001000, SONDE_DIRECTION_OUT, SONDE_ENTRY_CLOSE, "\"code\":1000,\"reason\":\"bye\"",
                 frames);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, NULL, 0, NULL, 0);
  append_frames (log, 9001100, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL, frames);
  append_text (log, 9001200, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL,
               "\"message\":\"Closed by the client\",\"closed_by\":\"client\",\"code\":1005,"
               "\"reason\":\"\",\"clean\":true", NULL);
  append_text (log, 9001300, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL,
               "\"message\":\"The server refused the upgrade\",\"domain\":\"sonde-error-quark\","
               "\"code\":3,\"status\":403,\"reason\":\"Forbidden\",\"headers\":{},"
               "\"request_headers\":{},\"body\":\"no\\n\"",
               "HTTP/1.1 403 Forbidden\r\n\r\nno\n");

  return log;
}

static char *
write_log (SondeEventLog *log,
           const char    *dir)
{
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "session.jsonl", NULL);

  writer = sonde_recording_writer_new_for_path (path, &error);
  g_assert_no_error (error);
  sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_WEBSOCKET, "ws://127.0.0.1/ws",
                                       sonde_event_log_get_started_at (log));
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

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sonde-test-reader-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
assert_views_equal (const SondeEntryView *a,
                    const SondeEntryView *b)
{
  g_assert_cmpint (a->time_us, ==, b->time_us);
  g_assert_cmpint (a->direction, ==, b->direction);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpmem (a->id, a->id_len, b->id, b->id_len);
  g_assert_cmpmem (a->fields, a->fields_len, b->fields, b->fields_len);
  g_assert_cmpmem (a->raw, a->raw_len, b->raw, b->raw_len);
}

/* Writer, file, reader, writer: every line comes out as it went in. */
static void
test_round_trip (void)
{
  g_autoptr(SondeEventLog) log = make_session_log ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = write_log (log, dir);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  const SondeRecordingHeader *header;
  SondeEntryView view;
  guint64 n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);

  reader = sonde_recording_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  header = sonde_recording_reader_get_header (reader);
  g_assert_cmpuint (header->version, ==, 1);
  g_assert_cmpint (header->transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (header->url, ==, "ws://127.0.0.1/ws");
  /* The header keeps milliseconds. */
  g_assert_cmpint (g_date_time_to_unix (header->started_at), ==,
                   g_date_time_to_unix (sonde_event_log_get_started_at (log)));
  g_assert_cmpint (g_date_time_get_microsecond (header->started_at) / 1000, ==,
                   g_date_time_get_microsecond (sonde_event_log_get_started_at (log)) / 1000);
  g_assert_cmpint (g_date_time_get_utc_offset (header->started_at), ==, 0);
  g_assert_cmpuint (sonde_recording_reader_get_line (reader), ==, 1);

  while (sonde_recording_reader_next (reader, &view, &error))
    {
      g_autoptr(GString) again = g_string_new (NULL);
      g_autoptr(JsonNode) original = NULL;
      g_autoptr(JsonNode) rewritten = NULL;
      SondeEntryView expected;

      g_assert_cmpuint (view.seq, ==, n);
      g_assert_cmpuint (sonde_recording_reader_get_line (reader), ==, n + 2);
      g_assert_true (sonde_event_log_get_view (log, n, &expected));
      assert_views_equal (&view, &expected);

      sonde_recording_format_entry (again, &view);
      g_assert_true (g_str_has_suffix (again->str, "\n"));
      original = parse_json (lines[n + 1], -1);
      rewritten = parse_json (again->str, (gssize)again->len - 1);
      if (!json_node_equal (original, rewritten))
        g_error ("line %" G_GUINT64_FORMAT " changed:\n%s\n%s", n + 2, lines[n + 1], again->str);
      /* What the writer wrote comes back byte for byte. */
      g_assert_cmpmem (again->str, again->len - 1, lines[n + 1], strlen (lines[n + 1]));
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, sonde_event_log_get_n_entries (log));
  g_assert_null (sonde_recording_reader_get_warning (reader));
  /* The end stays the end. */
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);

  remove_temp_dir (dir);
}

/* load() fills a log that derives the same data as the one recorded. */
static void
test_load (void)
{
  g_autoptr(SondeEventLog) log = make_session_log ();
  g_autoptr(SondeEventLog) loaded = sonde_event_log_new ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = write_log (log, dir);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEntryView first;

  reader = sonde_recording_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  /* next() and load() share the position: load() takes what is left. */
  g_assert_true (sonde_recording_reader_next (reader, &first, &error));
  g_assert_true (sonde_recording_reader_load (reader, loaded, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (sonde_event_log_get_n_entries (loaded), ==, sonde_event_log_get_n_entries (log) - 1);
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (loaded); i++)
    {
      SondeEntryView a, b;
      g_autofree char *data_a = NULL;
      g_autofree char *data_b = NULL;
      g_autofree char *type_a = NULL;
      g_autofree char *type_b = NULL;
      gsize len_a = 0, len_b = 0;

      g_assert_true (sonde_event_log_get_view (loaded, i, &a));
      g_assert_true (sonde_event_log_get_view (log, i + 1, &b));
      g_assert_cmpuint (a.seq, ==, i);
      assert_views_equal (&a, &b);
      data_a = sonde_entry_view_dup_data (&a, &len_a, &type_a);
      data_b = sonde_entry_view_dup_data (&b, &len_b, &type_b);
      g_assert_cmpmem (data_a, len_a, data_b, len_b);
      g_assert_cmpstr (type_a, ==, type_b);
    }

  remove_temp_dir (dir);
}

/* Reads @text whole; returns the error of the first bad line. */
static GError *
read_error (const char *text,
            guint64    *line)
{
  g_autoptr(SondeRecordingReader) reader = NULL;
  GError *error = NULL;
  SondeEntryView view;

  reader = reader_for_text (text, &error);
  if (reader == NULL)
    {
      *line = 1;
      return error;
    }
  while (sonde_recording_reader_next (reader, &view, &error))
    ;
  g_assert_nonnull (error);
  *line = sonde_recording_reader_get_line (reader);

  /* Every later call reports the same error. */
  {
    g_autoptr(GError) again = NULL;

    g_assert_false (sonde_recording_reader_next (reader, &view, &again));
    g_assert_error (again, error->domain, error->code);
    g_assert_cmpstr (again->message, ==, error->message);
  }

  return error;
}

static void
assert_read_error (const char *text,
                   GQuark      domain,
                   int         code,
                   guint64     line,
                   const char *message)
{
  guint64 error_line = 0;
  g_autoptr(GError) error = read_error (text, &error_line);

  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (error_line, ==, line);
}

#define ENTRY0 "{\"seq\":0,\"t\":0.000001,\"dir\":\"in\",\"kind\":\"retry\",\"ms\":1000}\n"

static void
test_header_errors (void)
{
  assert_read_error ("", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "The recording is empty: expected a header on line 1");
  assert_read_error ("\n  \n", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "The recording is empty: expected a header on line 1");
  assert_read_error ("hello\n", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "Line 1 is not JSON: expected a value at column 1");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":1,}\n", SONDE_ERROR,
                     SONDE_ERROR_BAD_RECORDING, 1,
                     "Line 1 is not JSON: expected a member name in quotes at column 41");
  assert_read_error ("[1,2]\n", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "Line 1 is JSON but not an object: expected one object per line, starting with “{”");
  assert_read_error (ENTRY0, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "Line 1 is not the header of a Sonde recording: expected an object with "
                     "\"format\":\"sonde-recording\"");
  assert_read_error ("{\"format\":\"har\",\"version\":1}\n", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "Line 1 is not the header of a Sonde recording: expected an object with "
                     "\"format\":\"sonde-recording\"");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":2,\"transport\":\"quic\"}\n" ENTRY0,
                     SONDE_ERROR, SONDE_ERROR_NEWER_RECORDING, 1,
                     "This recording is version 2; this Sonde reads version 1 and older; "
                     "update Sonde to open it");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":100000000000000000000}\n",
                     SONDE_ERROR, SONDE_ERROR_NEWER_RECORDING, 1,
                     "This recording is version 100000000000000000000; this Sonde reads version 1 "
                     "and older; update Sonde to open it");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":1.5}\n", SONDE_ERROR,
                     SONDE_ERROR_BAD_RECORDING, 1,
                     "The header has no valid “version”: expected a whole number such as 1");
  assert_read_error ("{\"format\":\"sonde-recording\"}\n", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "The header has no valid “version”: expected a whole number such as 1");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"quic\"}\n",
                     SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "The header has no valid “transport”: expected \"sse\" or \"websocket\"");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\"}\n",
                     SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "The header has no valid “url”: expected a string");
  assert_read_error ("{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\",\"url\":\"x\","
                     "\"started_at\":\"yesterday\"}\n",
                     SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "The header has no valid “started_at”: expected a time such as "
                     "\"2026-01-01T12:00:00.000Z\"");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SondeRecordingReader) reader =
      sonde_recording_reader_new_for_path ("/nonexistent/sonde/rec.jsonl", &error);

    g_assert_null (reader);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "“/nonexistent/sonde/rec.jsonl”"));
  }
}

static void
test_entry_errors (void)
{
  static const struct
  {
    const char *line;
    const char *message;
  } cases[] = {
    { "{\"seq\":1,\"t\":1.0,\"dir\":\"in\" \"kind\":\"sse\"}",
      "Line 3 is not JSON: expected “,” or “}” at column 29" },
    /* Columns count characters, not bytes. */
    { "{\"seq\":1,\"t\":1.0,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"é😀\",}",
      "Line 3 is not JSON: expected a member name in quotes at column 58" },
    { "{\"seq\":1,\"t\":1.0,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"a\\qb\"}",
      "Line 3 is not JSON: expected an escape such as “\\n” or “\\u00e9” after the backslash at column 56" },
    { "{\"seq\":1,\"t\":1.0,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"a\\u12x4\"}",
      "Line 3 is not JSON: expected four hexadecimal digits after “\\u” at column 59" },
    { "{\"seq\":1,\"t\":1.0,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"a\tb\"}",
      "Line 3 is not JSON: expected an escape such as “\\t” instead of a control character at column 55" },
    { "{\"seq\":01,\"t\":1.0,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 is not JSON: expected “,” or “}” at column 9" },
    { "{\"seq\":1,\"t\":1.,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 is not JSON: expected a digit at column 16" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\",\"x\":[1,2}",
      "Line 3 is not JSON: expected “,” or “]” at column 48" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\",\"x\":tru}",
      "Line 3 is not JSON: expected a value at column 44" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\"} x",
      "Line 3 is not JSON: expected the end of the line at column 41" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\"}{}",
      "Line 3 is not JSON: expected the end of the line at column 40" },
    { "{\"seq\" 1}", "Line 3 is not JSON: expected “:” at column 8" },
    { "\"just a string\"",
      "Line 3 is JSON but not an object: expected one object per line, starting with “{”" },
    { "{\"t\":1,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has no “seq”: expected every entry to have seq, t, dir and kind" },
    { "{\"seq\":1,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has no “t”: expected every entry to have seq, t, dir and kind" },
    { "{\"seq\":1,\"t\":1,\"kind\":\"sse\"}",
      "Line 3 has no “dir”: expected every entry to have seq, t, dir and kind" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\"}",
      "Line 3 has no “kind”: expected every entry to have seq, t, dir and kind" },
    { "{\"seq\":-1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has an invalid “seq”: expected a whole number from 0 up" },
    { "{\"seq\":\"1\",\"t\":1,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has an invalid “seq”: expected a whole number from 0 up" },
    { "{\"seq\":1.5,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has an invalid “seq”: expected a whole number from 0 up" },
    { "{\"seq\":1,\"t\":\"1\",\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has an invalid “t”: expected seconds since the start, such as 12.345678" },
    { "{\"seq\":1,\"t\":1e300,\"dir\":\"in\",\"kind\":\"sse\"}",
      "Line 3 has an invalid “t”: expected seconds since the start, such as 12.345678" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"up\",\"kind\":\"sse\"}",
      "Line 3 has an invalid “dir”: expected \"in\", \"out\" or \"local\"" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":7}",
      "Line 3 has an invalid “kind”: expected a string such as \"sse\"" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\",\"raw\":\"ZGF0YTogeAoK!\"}",
      "Line 3 has an invalid “raw”: expected base64" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\",\"raw\":\"Z\"}",
      "Line 3 has an invalid “raw”: expected base64" },
    /* "data: x\n": no blank line, so no event. */
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\",\"raw\":\"ZGF0YTogeAo=\"}",
      "Line 3 has an invalid “raw”: expected the bytes of an SSE event, up to its blank line" },
    /* "data: x\n\n" is an event, not a comment. */
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"comment\",\"raw\":\"ZGF0YTogeAoK\"}",
      "Line 3 has an invalid “raw”: expected an SSE comment line, starting with “:”" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"text\",\"frames\":{}}",
      "Line 3 has an invalid “frames”: expected a list of frames, each with its bytes in base64 under “raw”" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"text\",\"frames\":[{\"fin\":true}]}",
      "Line 3 has an invalid “frames”: expected a list of frames, each with its bytes in base64 under “raw”" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"text\",\"frames\":[\"gQFh\"]}",
      "Line 3 has an invalid “frames”: expected a list of frames, each with its bytes in base64 under “raw”" },
    { "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"binary\",\"data\":\"***\"}",
      "Line 3 has an invalid “data”: expected base64" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (HEADER, ENTRY0, cases[i].line, "\n", ENTRY0, NULL);

      g_test_message ("case %u: %s", i, cases[i].line);
      assert_read_error (text, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 3, cases[i].message);
    }

  /* Nesting has a limit; the scanner never recurses past it. */
  {
    g_autoptr(GString) text = g_string_new (HEADER ENTRY0 "{\"seq\":1,\"t\":1,\"dir\":\"in\",\"kind\":\"sse\",\"x\":");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (text, '[');
    g_string_append (text, "\n");
    assert_read_error (text->str, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 3,
                       "Line 3 is not JSON: expected at most 256 levels of nesting at column 299");
  }
}

/* A line cut off by a crash is left out with a warning; a whole last line
 * without its line end is an entry. */
static void
test_truncated (void)
{
  static const char cut[] = "{\"seq\":1,\"t\":0.5,\"dir\":\"in\",\"kind\":\"sse\",\"data\":\"hal";
  g_autofree char *text = g_strconcat (HEADER, ENTRY0, "\n", cut, NULL);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEntryView view;

  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  g_assert_null (sonde_recording_reader_get_warning (reader));
  g_assert_true (sonde_recording_reader_next (reader, &view, &error));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_RETRY);
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_recording_reader_get_line (reader), ==, 4);
  g_assert_cmpstr (sonde_recording_reader_get_warning (reader), ==,
                   "Line 4, the last one, was cut off while it was being written; "
                   "its 52 bytes were dropped.");
  g_clear_pointer (&reader, sonde_recording_reader_free);

  /* Complete, only without its LF. */
  g_free (text);
  text = g_strconcat (HEADER, ENTRY0, "{\"seq\":1,\"t\":0.5,\"dir\":\"local\",\"kind\":\"closed\",\"message\":\"m\"}", NULL);
  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_recording_reader_next (reader, &view, &error));
  g_assert_true (sonde_recording_reader_next (reader, &view, &error));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_CLOSED);
  g_assert_cmpmem (view.fields, view.fields_len, "\"message\":\"m\"", 13);
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_null (sonde_recording_reader_get_warning (reader));
  g_clear_pointer (&reader, sonde_recording_reader_free);

  /* One byte. */
  g_free (text);
  text = g_strconcat (HEADER, "{", NULL);
  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_recording_reader_get_warning (reader), ==,
                   "Line 2, the last one, was cut off while it was being written; "
                   "its 1 byte was dropped.");
  g_clear_pointer (&reader, sonde_recording_reader_free);

  /* Not JSON in the middle of the file is an error, not a cut. */
  g_free (text);
  text = g_strconcat (HEADER, cut, "\n", ENTRY0, NULL);
  assert_read_error (text, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 2,
                     "Line 2 is not JSON: expected a closing quote at column 53");

  /* A header cut off is no recording. */
  assert_read_error ("{\"format\":\"sonde-rec", SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, 1,
                     "Line 1 is not JSON: expected a closing quote at column 21");
}

/* Members the reader does not know stay in the fields, compact, and the
 * writer puts them back. */
static void
test_unknown_fields (void)
{
  static const char line[] =
    " { \"seq\" : 0 , \"t\" : 1.5 , \"dir\" : \"local\" , \"kind\" : \"reconnect\" ,"
    " \"delay_ms\" : 250 , \"attempt\" : 2 , \"x_note\" : \"caf\\u00e9 \\ud83d\\ude00 \\/ \\ud800\" ,"
    " \"x_more\" : { \"a\" : [ 1 , -2.5e3 , true , false , null , { } , [ ] ] , \"b\\\"\" : \"\\n\" } }\r";
  g_autofree char *text = g_strconcat (HEADER, line, "\n", NULL);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) again = g_string_new (NULL);
  g_autoptr(JsonObject) fields = NULL;
  SondeEntryView view;
  static const char expected_fields[] =
    "\"delay_ms\":250,\"attempt\":2,\"x_note\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 / \xef\xbf\xbd\","
    "\"x_more\":{\"a\":[1,-2.5e3,true,false,null,{},[]],\"b\\\"\":\"\\n\"}";

  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_cmpint (view.time_us, ==, 1500000);
  g_assert_cmpint (view.direction, ==, SONDE_DIRECTION_LOCAL);
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_RECONNECT);
  g_assert_cmpmem (view.fields, view.fields_len, expected_fields, sizeof expected_fields - 1);
  fields = sonde_test_entry_fields (&view);
  g_assert_cmpint (json_object_get_int_member (fields, "attempt"), ==, 2);

  sonde_recording_format_entry (again, &view);
  g_assert_cmpstr (again->str, ==,
                   "{\"seq\":0,\"t\":1.500000,\"dir\":\"local\",\"kind\":\"reconnect\","
                   "\"delay_ms\":250,\"attempt\":2,\"x_note\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 / \xef\xbf\xbd\","
                   "\"x_more\":{\"a\":[1,-2.5e3,true,false,null,{},[]],\"b\\\"\":\"\\n\"}}\n");

  /* Unknown members of an SSE event survive too; its derived ones do not
   * come twice. */
  {
    static const char sse[] =
      "{\"seq\":1,\"t\":2.000000,\"dir\":\"in\",\"kind\":\"sse\",\"event\":\"tick\",\"data\":\"x\",\"id\":\"9\","
      "\"x_origin\":\"relay\",\"raw\":\"aWQ6IDkKZXZlbnQ6IHRpY2sKZGF0YTogeAoK\"}\n";
    g_autoptr(SondeRecordingReader) sse_reader = NULL;
    g_autofree char *sse_text = g_strconcat (HEADER, sse, NULL);

    sse_reader = reader_for_text (sse_text, &error);
    g_assert_no_error (error);
    g_assert_true (sonde_recording_reader_next (sse_reader, &view, &error));
    g_assert_cmpmem (view.fields, view.fields_len, "\"x_origin\":\"relay\"", 18);
    g_assert_cmpmem (view.id, view.id_len, "9", 1);
    g_string_truncate (again, 0);
    sonde_recording_format_entry (again, &view);
    g_assert_cmpstr (again->str, ==, sse);
  }
}

static void
test_unknown_kinds (void)
{
  static const char text[] =
    HEADER
    "{\"seq\":0,\"t\":0.1,\"dir\":\"in\",\"kind\":\"telemetry\",\"cpu\":3}\n"
    "{\"seq\":1,\"t\":0.2,\"dir\":\"in\",\"kind\":\"retry\",\"ms\":10}\n"
    "{\"seq\":2,\"t\":0.3,\"dir\":\"local\",\"kind\":\"tel\\u0065metry\"}\n"
    "{\"seq\":3,\"t\":0.4,\"dir\":\"local\",\"kind\":\"hologram\"}\n"
    "{\"seq\":4,\"t\":0.5,\"dir\":\"local\",\"kind\":\"a-very-long-kind-name-from-the-future\"}\n"
    "{\"seq\":5,\"t\":0.6,\"dir\":\"local\",\"kind\":\"more\"}\n";
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GError) error = NULL;
  SondeEntryView view;

  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_recording_reader_next (reader, &view, &error));
  g_assert_cmpuint (view.seq, ==, 1);
  g_assert_cmpstr (sonde_recording_reader_get_warning (reader), ==,
                   "1 entry of a kind this Sonde does not know was skipped (“telemetry”).");
  g_assert_true (sonde_recording_reader_load (reader, log, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, 0);
  g_assert_cmpstr (sonde_recording_reader_get_warning (reader), ==,
                   "5 entries of kinds this Sonde does not know were skipped "
                   "(“telemetry”, “hologram”, “a-very-long-kind-name-from-the-future”).");
  g_clear_pointer (&reader, sonde_recording_reader_free);

  /* A kind's name is shown to people: no control characters. */
  reader = reader_for_text (HEADER "{\"seq\":0,\"t\":0,\"dir\":\"in\",\"kind\":\"\\u001b[2Jx\"}\n", &error);
  g_assert_no_error (error);
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_recording_reader_get_warning (reader), ==,
                   "1 entry of a kind this Sonde does not know was skipped (“?[2Jx”).");
}

/* t is read from its digits, exactly. */
static void
test_times (void)
{
  static const struct
  {
    const char *t;
    gint64      us;
  } cases[] = {
    { "0", 0 },
    { "0.000001", 1 },
    { "12.345678", 12345678 },
    { "86399.999999", 86399999999 },
    { "0.1", 100000 },
    { "-0.25", -250000 },
    { "1e-6", 1 },
    { "1.5E3", 1500000000 },
    { "0.0000005", 1 },
    { "0.00000049", 0 },
    { "2.9999999", 3000000 },
    { "1e0", 1000000 },
    { "123456789.123456", 123456789123456 },
    { "9223372036854.775807", G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (HEADER "{\"seq\":0,\"t\":%s,\"dir\":\"in\",\"kind\":\"retry\"}\n",
                                               cases[i].t);
      g_autoptr(SondeRecordingReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      SondeEntryView view;

      reader = reader_for_text (text, &error);
      g_assert_no_error (error);
      g_assert_true (sonde_recording_reader_next (reader, &view, &error));
      g_assert_cmpint (view.time_us, ==, cases[i].us);
    }

  {
    guint64 line;
    g_autoptr(GError) error = read_error (HEADER "{\"seq\":0,\"t\":9223372036854.775808,\"dir\":\"in\","
                                          "\"kind\":\"retry\"}\n", &line);

    g_assert_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING);
    g_assert_cmpuint (line, ==, 2);
  }
}

/* Entries written without their bytes (by hand, or by another program) get
 * the bytes a server or client would have sent. */
static void
test_derived_raw (void)
{
  static const char text[] =
    HEADER
    "{\"seq\":0,\"t\":0,\"dir\":\"in\",\"kind\":\"sse\",\"event\":\"tick\",\"data\":\"a\\nb\\r\\nc\",\"id\":\"7\"}\n"
    "{\"seq\":1,\"t\":0,\"dir\":\"in\",\"kind\":\"sse\",\"data\":\"\"}\n"
    "{\"seq\":2,\"t\":0,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\" ping\"}\n"
    "{\"seq\":3,\"t\":0,\"dir\":\"out\",\"kind\":\"text\",\"data\":\"hi\"}\n"
    "{\"seq\":4,\"t\":0,\"dir\":\"in\",\"kind\":\"binary\",\"data\":\"AAH/\"}\n"
    "{\"seq\":5,\"t\":0,\"dir\":\"in\",\"kind\":\"close\",\"code\":1001,\"reason\":\"away\"}\n"
    "{\"seq\":6,\"t\":0,\"dir\":\"in\",\"kind\":\"text\",\"raw\":\"gQJoaQ==\"}\n";
  static const struct
  {
    const char *raw;
    gsize       raw_len;
    const char *data;
    gsize       data_len;
  } expected[] = {
    { "id: 7\nevent: tick\ndata: a\ndata: b\ndata: c\n\n", 43, "a\nb\nc", 5 },
    { "data: \n\n", 8, "", 0 },
    { ": ping\n", 7, " ping", 5 },
    { "\x81\x82\0\0\0\0hi", 8, "hi", 2 },
    { "\x82\x03\x00\x01\xff", 5, "\x00\x01\xff", 3 },
    { "\x88\x06\x03\xe9" "away", 8, NULL, 0 },
    { "\x81\x02hi", 4, "hi", 2 },
  };
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEntryView view;

  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *data = NULL;
      gsize data_len = 0;

      g_assert_true (sonde_recording_reader_next (reader, &view, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (view.raw, view.raw_len, expected[i].raw, expected[i].raw_len);
      data = sonde_entry_view_dup_data (&view, &data_len, NULL);
      if (expected[i].data != NULL)
        g_assert_cmpmem (data, data_len, expected[i].data, expected[i].data_len);
    }
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
}

/* A BOM, CRLF line ends, blank lines, escapes in names and values. */
static void
test_leniency (void)
{
  static const char text[] =
    "\xEF\xBB\xBF{\"format\":\"sonde-recording\",\"version\":0,\"transport\":\"websocket\","
    "\"url\":\"ws://h\\/x\",\"started_at\":\"2026-01-01T13:00:00+01:00\",\"later\":[1]}\r\n"
    "\r\n"
    "{\"s\\u0065q\":0,\"t\":0.5,\"dir\":\"\\u0069n\",\"kind\":\"s\\u0073e\",\"id\":\"\\u00e9\","
    "\"raw\":\"ZGF0YTog\\/\\/8KCg==\"}\r\n"
    "   \n";
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const SondeRecordingHeader *header;
  SondeEntryView view;

  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  header = sonde_recording_reader_get_header (reader);
  g_assert_cmpuint (header->version, ==, 0);
  g_assert_cmpint (header->transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (header->url, ==, "ws://h/x");
  g_assert_cmpint (g_date_time_get_hour (header->started_at), ==, 12);
  g_assert_cmpint (g_date_time_get_utc_offset (header->started_at), ==, 0);

  g_assert_true (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_recording_reader_get_line (reader), ==, 3);
  g_assert_cmpint (view.direction, ==, SONDE_DIRECTION_IN);
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
  g_assert_cmpmem (view.id, view.id_len, "\xc3\xa9", 2);
  g_assert_cmpmem (view.raw, view.raw_len, "data: \xff\xff\n\n", 10);
  g_assert_cmpuint (view.fields_len, ==, 0);
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
}

/* An entry line of @len bytes with its LF: a text message padded to fit. */
static void
append_line_of (GString *text,
                gsize    len)
{
  static const char head[] = "{\"seq\":0,\"t\":0,\"dir\":\"in\",\"kind\":\"text\",\"data\":\"";
  static const char tail[] = "\"}\n";
  gsize pad = len - (sizeof head - 1) - (sizeof tail - 1);

  g_string_append (text, head);
  for (gsize i = 0; i < pad; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, tail);
}

/* The line limit holds for a line found whole in the buffer, as much as for
 * one still growing: the buffer grows by doubling, and a line up to twice
 * the limit came in one piece (a 1.2 GB line was read, 1.19 GB resident).
 * The limit is lowered here so that the test stays small. */
static void
test_line_limit (void)
{
  static const gsize limit = 200 * 1024;
  static const char header[] = "{\"format\":\"sonde-recording\",\"version\":1,"
                               "\"transport\":\"websocket\",\"url\":\"ws://x/\","
                               "\"started_at\":\"2026-01-01T00:00:00.000Z\"}\n";
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "long-line.jsonl", NULL);

  for (guint over = 0; over <= 2; over++)
    {
      g_autoptr(GString) text = g_string_new (header);
      g_autoptr(SondeRecordingReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      SondeEntryView view;

      /* 0: exactly the limit (and its LF); 1: one byte more; 2: one more
       * and no LF, at the end of the file. */
      append_line_of (text, limit + 1 + (over > 0));
      if (over == 2)
        g_string_truncate (text, text->len - 1);
      g_assert_true (g_file_set_contents (path, text->str, (gssize)text->len, NULL));

      reader = sonde_recording_reader_new_for_path (path, &error);
      g_assert_no_error (error);
      reader->max_line = limit;
      if (over == 0)
        {
          gboolean read = sonde_recording_reader_next (reader, &view, &error);

          g_assert_no_error (error);
          g_assert_true (read);
          g_assert_cmpuint (view.raw_len, >, limit - 100);
          g_assert_cmpuint (reader->capacity, <=, limit + 1024 * 1024);
        }
      else
        {
          g_assert_false (sonde_recording_reader_next (reader, &view, &error));
          g_assert_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING);
          g_assert_nonnull (strstr (error->message, "Line 2 "));
        }
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* Many megabytes, lines longer than a read, and reads of a few bytes. */
static void
test_large (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *huge = g_malloc (3 * 1024 * 1024 + 16);
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint n = 150000;

  /* An event of 3 MiB among many small ones: its line is longer than a read. */
  memcpy (huge, "data: ", 6);
  memset (huge + 6, 'z', 3 * 1024 * 1024);
  memcpy (huge + 6 + 3 * 1024 * 1024, "\n\n", 2);
  for (guint i = 0; i < n; i++)
    {
      char id[16];
      char raw[96];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int raw_len = g_snprintf (raw, sizeof raw, "id: %u\ndata: {\"price\":%u.%02u,\"sym\":\"ACME\"}\n\n",
                                i, i % 1000, i % 100);

      /* In time order like the rest: the reader places an entry whose time
       * steps back at the time of the one before it. */
      if (i == n / 2)
        sonde_event_log_append (log, (gint64)i * 1000 + 1, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                                NULL, 0, NULL, 0,
                                (const guint8 *)huge, 6 + 3 * 1024 * 1024 + 2);
      else
        sonde_event_log_append (log, (gint64)i * 1000 + 1, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                                id, id_len, NULL, 0, (const guint8 *)raw, raw_len);
    }
  path = write_log (log, dir);

  {
    g_autoptr(SondeRecordingReader) reader = sonde_recording_reader_new_for_path (path, &error);
    SondeEntryView view;
    guint64 i = 0;

    g_assert_no_error (error);
    while (sonde_recording_reader_next (reader, &view, &error))
      {
        SondeEntryView expected;

        g_assert_true (sonde_event_log_get_view (log, i, &expected));
        assert_views_equal (&view, &expected);
        i++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (i, ==, n);
  }

  /* The same bytes, a few at a time. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  {
    static const gsize steps[] = { 1, 7, 4093 };

    for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
      {
        gsize part = steps[s] == 1 ? 40000 : length;
        g_autoptr(GInputStream) stream = trickle_stream_new (contents, part, steps[s]);
        g_autoptr(SondeRecordingReader) reader = NULL;
        SondeEntryView view;
        guint64 i = 0;

        reader = sonde_recording_reader_new_for_stream (stream, NULL, &error);
        g_assert_no_error (error);
        while (sonde_recording_reader_next (reader, &view, &error))
          {
            SondeEntryView expected;

            g_assert_true (sonde_event_log_get_view (log, i, &expected));
            assert_views_equal (&view, &expected);
            i++;
          }
        g_assert_no_error (error);
        if (part == length)
          {
            g_assert_cmpuint (i, ==, n);
            g_assert_null (sonde_recording_reader_get_warning (reader));
          }
        else
          g_assert_nonnull (sonde_recording_reader_get_warning (reader));
      }
  }

  remove_temp_dir (dir);
}

/* The writer leaves credentials out unless told to keep them: in the
 * header's URL, in an open entry's URL and headers, and in the raw answer a
 * refused upgrade keeps; events and messages are written as they are. */
static void
test_writer_credentials (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autofree char *dir = make_temp_dir ();
  static const char refusal[] =
    "HTTP/1.1 403 Forbidden\r\nSet-Cookie: id=s3cret; Path=/\r\nContent-Length: 2\r\n\r\nno";
  static const char open_fields[] =
    "\"status\":101,\"reason\":\"Switching Protocols\",\"url\":\"ws://me:pa55@127.0.0.1/ws\","
    "\"headers\":{\"Set-Cookie\":\"id=s3cret\",\"Upgrade\":\"websocket\"},"
    "\"request_headers\":{\"cookie\":\"id=s3cret\",\"Authorization\":\"Bearer s3cret\",\"Host\":\"h\"}";
  static const char text_frame[] = "\x81\x0e" "Cookie: s3cret";

  sonde_event_log_append (log, 0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL, 0,
                          "\"message\":\"refused\"", strlen ("\"message\":\"refused\""),
                          (const guint8 *)refusal, strlen (refusal));
  sonde_event_log_append (log, 1, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          open_fields, strlen (open_fields), NULL, 0);
  sonde_event_log_append (log, 2, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, 0, NULL, 0,
                          (const guint8 *)text_frame, sizeof text_frame - 1);

  for (int keep = 0; keep <= 1; keep++)
    {
      g_autofree char *path = g_build_filename (dir, "credentials.jsonl", NULL);
      g_autoptr(SondeRecordingWriter) writer = NULL;
      g_autoptr(SondeRecordingReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      SondeEntryView view;

      writer = sonde_recording_writer_new_for_path (path, &error);
      g_assert_no_error (error);
      sonde_recording_writer_set_keep_credentials (writer, keep);
      sonde_recording_writer_write_header (writer, SONDE_TRANSPORT_WEBSOCKET,
                                           "ws://me:pa55@127.0.0.1/ws",
                                           sonde_event_log_get_started_at (log));
      for (guint64 i = 0; i < 3; i++)
        {
          g_assert_true (sonde_event_log_get_view (log, i, &view));
          sonde_recording_writer_write_entry (writer, &view);
        }
      g_assert_true (sonde_recording_writer_close (writer, &error));
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

      /* The message's text is data, not a header: it stays either way. */
      reader = sonde_recording_reader_new_for_path (path, &error);
      g_assert_no_error (error);
      if (keep)
        {
          g_assert_cmpstr (sonde_recording_reader_get_header (reader)->url, ==, "ws://me:pa55@127.0.0.1/ws");
          g_assert_null (strstr (contents, "removed by Sonde"));
        }
      else
        {
          g_assert_cmpstr (sonde_recording_reader_get_header (reader)->url, ==,
                           "ws://%5Bremoved%20by%20Sonde%5D@127.0.0.1/ws");
          g_assert_null (strstr (contents, "pa55"));
        }

      g_assert_true (sonde_recording_reader_next (reader, &view, &error));
      if (keep)
        g_assert_cmpmem (view.raw, view.raw_len, refusal, strlen (refusal));
      else
        {
          static const char kept[] =
            "HTTP/1.1 403 Forbidden\r\nSet-Cookie: [removed by Sonde]\r\nContent-Length: 2\r\n\r\nno";

          g_assert_cmpmem (view.raw, view.raw_len, kept, strlen (kept));
        }

      g_assert_true (sonde_recording_reader_next (reader, &view, &error));
      {
        g_autoptr(JsonObject) fields = sonde_test_entry_fields (&view);
        JsonObject *request = json_object_get_object_member (fields, "request_headers");
        JsonObject *response = json_object_get_object_member (fields, "headers");
        const char *hidden = keep ? "id=s3cret" : "[removed by Sonde]";

        g_assert_cmpstr (json_object_get_string_member (request, "cookie"), ==, hidden);
        g_assert_cmpstr (json_object_get_string_member (request, "Authorization"), ==,
                         keep ? "Bearer s3cret" : "[removed by Sonde]");
        g_assert_cmpstr (json_object_get_string_member (request, "Host"), ==, "h");
        g_assert_cmpstr (json_object_get_string_member (response, "Set-Cookie"), ==,
                         keep ? "id=s3cret" : "[removed by Sonde]");
        g_assert_cmpstr (json_object_get_string_member (response, "Upgrade"), ==, "websocket");
        g_assert_cmpstr (json_object_get_string_member (fields, "url"), ==,
                         keep ? "ws://me:pa55@127.0.0.1/ws" : "ws://%5Bremoved%20by%20Sonde%5D@127.0.0.1/ws");
        g_assert_cmpint (json_object_get_int_member (fields, "status"), ==, 101);
      }

      g_assert_true (sonde_recording_reader_next (reader, &view, &error));
      g_assert_cmpmem (view.raw, view.raw_len, text_frame, sizeof text_frame - 1);
      g_assert_no_error (error);
      g_unlink (path);
    }

  remove_temp_dir (dir);
}

/* A clock that stepped back: each such entry keeps its place and takes the
 * time of the one before it, and the warning says how many and where. */
static void
test_time_steps_back (void)
{
  static const gint64 expected[] = { 1000000, 2000000, 2000000, 2000000, 3000000, 3000000 };
  g_autofree char *text = g_strconcat (HEADER,
    "{\"seq\":0,\"t\":1,\"dir\":\"in\",\"kind\":\"retry\"}\n",
    "{\"seq\":1,\"t\":2,\"dir\":\"in\",\"kind\":\"retry\"}\n",
    "{\"seq\":2,\"t\":1.2,\"dir\":\"in\",\"kind\":\"retry\"}\n",
    "{\"seq\":3,\"t\":1.5,\"dir\":\"in\",\"kind\":\"retry\"}\n",
    "{\"seq\":4,\"t\":3,\"dir\":\"in\",\"kind\":\"retry\"}\n",
    "{\"seq\":5,\"t\":-1,\"dir\":\"in\",\"kind\":\"retry\"}\n", NULL);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEntryView view;

  reader = reader_for_text (text, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (sonde_recording_reader_next (reader, &view, &error));
      g_assert_cmpint (view.time_us, ==, expected[i]);
    }
  g_assert_false (sonde_recording_reader_next (reader, &view, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_recording_reader_get_warning (reader), ==,
                   "3 entries have a time earlier than the entry before them (first on line 4: "
                   "1.200000 s after 2.000000 s); each is placed at the time of the entry before "
                   "it.");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/recording-reader/round-trip", test_round_trip);
  g_test_add_func ("/sonde/recording-reader/load", test_load);
  g_test_add_func ("/sonde/recording-reader/header-errors", test_header_errors);
  g_test_add_func ("/sonde/recording-reader/entry-errors", test_entry_errors);
  g_test_add_func ("/sonde/recording-reader/truncated", test_truncated);
  g_test_add_func ("/sonde/recording-reader/unknown-fields", test_unknown_fields);
  g_test_add_func ("/sonde/recording-reader/unknown-kinds", test_unknown_kinds);
  g_test_add_func ("/sonde/recording-reader/times", test_times);
  g_test_add_func ("/sonde/recording-reader/time-steps-back", test_time_steps_back);
  g_test_add_func ("/sonde/recording-reader/derived-raw", test_derived_raw);
  g_test_add_func ("/sonde/recording-reader/leniency", test_leniency);
  g_test_add_func ("/sonde/recording-reader/large", test_large);
  g_test_add_func ("/sonde/recording-reader/line-limit", test_line_limit);
  g_test_add_func ("/sonde/recording-writer/credentials", test_writer_credentials);

  return g_test_run ();
}

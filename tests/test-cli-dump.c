/* test-cli-dump.c: `sonde dump` on recordings the real writer made
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

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

  f->dir = g_dir_make_tmp ("sonde-test-dump-XXXXXX", &error);
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
}

typedef struct
{
  int    status;
  char  *out;
  char  *err;
  char **lines;    /* out, split at line ends */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->lines, g_strfreev);
}

/* Runs `sonde dump ARGS...` in an English UTF-8 locale and waits for it. */
static void
run_dump (Run                *run,
          const char * const *args)
{
  SondeTestRun result;

  memset (run, 0, sizeof *run);
  run->status = sonde_test_run_sonde (&result, "dump", args);
  run->out = g_steal_pointer (&result.out);
  run->err = g_steal_pointer (&result.err);
  sonde_test_run_clear (&result);
  run->lines = g_strsplit (run->out, "\n", -1);
}

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

static char *
write_recording (Fixture        *f,
                 const char     *name,
                 SondeTransport  transport,
                 const char     *url,
                 SondeEventLog  *log)
{
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

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

static char *
write_text (Fixture    *f,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static guint
columns (const char *line)
{
  return (guint)g_utf8_strlen (line, -1);
}

static void
test_sse (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autofree char *path = NULL;
  g_autofree char *expected_header = NULL;
  static const char quote[] = "id: 2\nevent: quote\ndata: {\"sym\":\"ACME\"}\ndata: line two\n\n";
  Run run;

  append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
          "\"status\":200,\"reason\":\"OK\",\"url\":\"http://127.0.0.1/events\",\"headers\":{},"
          "\"request_headers\":{}", NULL, 0);
  append (log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, "\"ms\":5000", NULL, 0);
  append (log, 1500, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, NULL, ": heartbeat\n", 12);
  append (log, 2000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "1", NULL, "id: 1\ndata: first\n\n", 19);
  append (log, 12345678, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "2", NULL, quote, sizeof quote - 1);
  append (log, 12345679, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "", NULL, "data: no id\n\n", 13);
  append (log, 13000000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL,
          "\"message\":\"The server ended the stream\"", NULL, 0);
  append (log, 13000001, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL,
          "\"delay_ms\":5000,\"attempt\":1", NULL, 0);
  append (log, 18000001, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL,
          "\"message\":\"Could not connect: Connection refused\",\"domain\":\"g-io-error-quark\","
          "\"code\":39", NULL, 0);
  path = write_recording (f, "sse.jsonl", SONDE_TRANSPORT_SSE, "http://127.0.0.1/events", log);

  {
    const char *args[] = { path, NULL };
    GDateTime *started = sonde_event_log_get_started_at (log);
    g_autofree char *stamp = g_date_time_format (started, "%Y-%m-%d %H:%M:%S");
    const char * const expected[] = {
      NULL,
      "   0.000000  ← open                  200 OK",
      "   0.001000  ← retry                 5000 ms",
      "   0.001500  ← comment         12 B  : heartbeat",
      "   0.002000  ← sse             19 B  message #1: first",
      "  12.345678  ← sse             56 B  quote #2: {\"sym\":\"ACME\"}␊line two",
      "  12.345679  ← sse             13 B  message: no id",
      "  13.000000  · closed                The server ended the stream",
      "  13.000001  · reconnect             in 5000 ms, attempt 1",
      "  18.000001  · error                 Could not connect: Connection refused",
      "",
      NULL
    };

    expected_header = g_strdup_printf ("SSE session with http://127.0.0.1/events, started %s.%03d UTC",
                                       stamp, g_date_time_get_microsecond (started) / 1000);
    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpstr (run.lines[0], ==, expected_header);
    for (guint i = 1; expected[i] != NULL; i++)
      g_assert_cmpstr (run.lines[i], ==, expected[i]);
    g_assert_cmpuint (g_strv_length (run.lines), ==, 11);
    run_clear (&run);
  }

  /* --hex: the block's bytes under it, 16 to a row. */
  {
    const char *args[] = { "--hex", path, NULL };

    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.lines[5], ==, "   0.002000  ← sse             19 B  message #1: first");
    g_assert_cmpstr (run.lines[6], ==,
                     "               0000  69 64 3a 20 31 0a 64 61  74 61 3a 20 66 69 72 73  |id: 1.data: firs|");
    g_assert_cmpstr (run.lines[7], ==,
                     "               0010  74 0a 0a                                          |t..|");
    g_assert_cmpstr (run.lines[8], ==, "  12.345678  ← sse             56 B  quote #2: {\"sym\":\"ACME\"}␊line two");
    g_assert_cmpstr (run.lines[12], ==,
                     "               0030  6e 65 20 74 77 6f 0a 0a                           |ne two..|");
    /* Entries without bytes have no rows. */
    g_assert_cmpstr (run.lines[1], ==, "   0.000000  ← open                  200 OK");
    g_assert_cmpstr (run.lines[2], ==, "   0.001000  ← retry                 5000 ms");
    run_clear (&run);
  }
}

static void
test_websocket_hex (Fixture       *f,
                    gconstpointer  data)
{
  static const guint8 mask[4] = { 0x1a, 0x2b, 0x3c, 0x4d };
  static const guint8 binary[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff };
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autofree char *path = NULL;
  Run run;

  append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
          "\"status\":101,\"reason\":\"Switching Protocols\",\"subprotocol\":\"chat\",\"extensions\":\"\"",
          NULL, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT, (const guint8 *)"Hello", 5, mask, 0);
  append (log, 100, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL, NULL, frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_OPCODE_TEXT, (const guint8 *)"frag", 4, NULL, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CONTINUATION,
                              (const guint8 *)"ment", 4, NULL, 0);
  append (log, 200, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, NULL, frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, binary, sizeof binary, NULL, 0);
  append (log, 300, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL, NULL, frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, (const guint8 *)"k", 1, mask, 0);
  append (log, 400, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, NULL, NULL, frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_PONG, (const guint8 *)"k", 1, NULL, 0);
  append (log, 500, SONDE_DIRECTION_IN, SONDE_ENTRY_PONG, NULL, "\"rtt_ms\":0.100", frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_RSV2 | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"odd", 3, NULL, 0);
  append (log, 600, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL,
          "\"violations\":[\"reserved bit set without a negotiated extension\"]",
          frames->data, frames->len);
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append_full (frames, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE,
                              (const guint8 *)"\x03\xe8" "bye", 5, NULL, 0);
  append (log, 700, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL, "\"code\":1000,\"reason\":\"bye\"",
          frames->data, frames->len);
  append (log, 800, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED, NULL,
          "\"message\":\"The server closed the connection\",\"closed_by\":\"server\",\"code\":1000",
          NULL, 0);
  path = write_recording (f, "ws.jsonl", SONDE_TRANSPORT_WEBSOCKET, "ws://127.0.0.1/ws", log);

  {
    const char *args[] = { path, "--hex", NULL };
    const char * const expected[] = {
      NULL,
      "   0.000000  ← open                  101 Switching Protocols, subprotocol chat",
      "   0.000100  → text            11 B  Hello",
      "               frame 1: FIN text, masked, key 1a2b3c4d, 5 bytes",
      "                 header    0000  81 85                                             |..|",
      "                 mask      0002  1a 2b 3c 4d                                       |.+<M|",
      "                 payload   0006  52 4e 50 21 75                                    |RNP!u|",
      "                 unmasked  0006  48 65 6c 6c 6f                                    |Hello|",
      "   0.000200  ← text            12 B  fragment",
      "               frame 1: text, not masked, 4 bytes",
      "                 header    0000  01 04                                             |..|",
      "                 payload   0002  66 72 61 67                                       |frag|",
      "               frame 2: FIN continuation, not masked, 4 bytes",
      "                 header    0000  80 04                                             |..|",
      "                 payload   0002  6d 65 6e 74                                       |ment|",
      "   0.000300  ← binary           8 B  00 01 7f 80 fe ff",
      "               frame 1: FIN binary, not masked, 6 bytes",
      "                 header    0000  82 06                                             |..|",
      "                 payload   0002  00 01 7f 80 fe ff                                 |......|",
      "   0.000400  → ping             7 B  6b",
      "               frame 1: FIN ping, masked, key 1a2b3c4d, 1 byte",
      "                 header    0000  89 81                                             |..|",
      "                 mask      0002  1a 2b 3c 4d                                       |.+<M|",
      "                 payload   0006  71                                                |q|",
      "                 unmasked  0006  6b                                                |k|",
      "   0.000500  ← pong             3 B  round trip 0.100 ms: 6b",
      "               frame 1: FIN pong, not masked, 1 byte",
      "                 header    0000  8a 01                                             |..|",
      "                 payload   0002  6b                                                |k|",
      "   0.000600  ← text             5 B  odd  ⚠ reserved bit set without a negotiated extension",
      "               frame 1: FIN text RSV2, not masked, 3 bytes",
      "                 header    0000  a1 03                                             |..|",
      "                 payload   0002  6f 64 64                                          |odd|",
      "   0.000700  ← close            7 B  1000 Normal Closure: “bye”",
      "               frame 1: FIN close, not masked, 5 bytes",
      "                 header    0000  88 05                                             |..|",
      "                 payload   0002  03 e8 62 79 65                                    |..bye|",
      "   0.000800  · closed                The server closed the connection",
      "",
      NULL
    };

    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_true (g_str_has_prefix (run.lines[0], "WebSocket session with ws://127.0.0.1/ws, started "));
    for (guint i = 1; expected[i] != NULL; i++)
      g_assert_cmpstr (run.lines[i], ==, expected[i]);
    g_assert_cmpuint (g_strv_length (run.lines), ==, G_N_ELEMENTS (expected) - 1);
    run_clear (&run);
  }
}

/* Long and hostile data stays on one line of at most 100 columns, and
 * cannot send the terminal an escape sequence. */
static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GString) block = g_string_new ("data: \x1b[2J\x1b]0;owned\x07");
  g_autofree char *path = NULL;
  const char *args[2] = { NULL, NULL };
  Run run;

  for (guint i = 0; i < 500; i++)
    g_string_append (block, "\xe6\xbc\xa2");
  g_string_append (block, "\n\n");
  append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "", NULL, block->str, block->len);
  append (log, 1, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "\x1b[31m", NULL, "data: x\n\n", 9);
  path = write_recording (f, "wide.jsonl", SONDE_TRANSPORT_SSE, "http://h/\x1b[1m", log);
  args[0] = path;

  run_dump (&run, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strchr (run.out, '\x1b'));
  g_assert_null (strchr (run.out, '\x07'));
  g_assert_true (g_str_has_suffix (run.lines[0], "") && strstr (run.lines[0], "http://h/␛[1m") != NULL);
  /* Wide characters take two columns each: 100 columns at most. */
  g_assert_true (g_str_has_prefix (run.lines[1], "   0.000000  ← sse           1522 B  message: ␛[2J␛]0;owned␇漢漢"));
  g_assert_true (g_str_has_suffix (run.lines[1], "…"));
  {
    guint width = 0;

    for (const char *p = run.lines[1]; *p != '\0'; p = g_utf8_next_char (p))
      width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
    g_assert_cmpuint (width, <=, 100);
    g_assert_cmpuint (width, >=, 98);
  }
  g_assert_cmpstr (run.lines[2], ==, "   0.000001  ← sse              9 B  message #␛[31m: x");
  g_assert_cmpuint (columns (run.lines[2]), <=, 100);
  run_clear (&run);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const char header[] =
    "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\",\"url\":\"http://h/\","
    "\"started_at\":\"2026-01-01T12:00:00.000Z\"}\n";
  static const char entry[] = "{\"seq\":0,\"t\":1.5,\"dir\":\"in\",\"kind\":\"retry\",\"ms\":3000}\n";
  Run run;

  /* A missing file: one sentence that names it. */
  {
    g_autofree char *missing = g_build_filename (f->dir, "missing.jsonl", NULL);
    const char *args[] = { missing, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde dump: Cannot open the recording “%s”: "
                                                 "No such file or directory\n", missing);

    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_cmpstr (run.err, ==, expected);
    run_clear (&run);
  }

  /* A bad line: what came before it is printed, then the file and the line. */
  {
    g_autofree char *text = g_strconcat (header, entry, "{\"seq\":1,\"t\":2,\"dir\":\"in\",\"kind\":\"retry\",}\n",
                                         entry, NULL);
    g_autofree char *path = write_text (f, "bad.jsonl", text);
    const char *args[] = { path, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde dump: %s: Line 3 is not JSON: expected a member "
                                                 "name in quotes at column 42\n", path);

    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.lines[1], ==, "   1.500000  ← retry                 3000 ms");
    g_assert_cmpstr (run.lines[2], ==, "");
    g_assert_cmpstr (run.err, ==, expected);
    run_clear (&run);
  }

  /* A newer version. */
  {
    g_autofree char *path = write_text (f, "v2.jsonl",
                                        "{\"format\":\"sonde-recording\",\"version\":2}\n");
    const char *args[] = { path, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde dump: %s: This recording is version 2; this "
                                                 "Sonde reads version 1 and older; update Sonde to "
                                                 "open it\n", path);

    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_cmpstr (run.err, ==, expected);
    run_clear (&run);
  }

  /* A last line cut off: every whole entry, a warning, and success. */
  {
    g_autofree char *text = g_strconcat (header, entry, "{\"seq\":1,\"t\":2,\"di", NULL);
    g_autofree char *path = write_text (f, "cut.jsonl", text);
    const char *args[] = { path, NULL };
    g_autofree char *expected = g_strdup_printf ("sonde dump: %s: Line 3, the last one, was cut off while "
                                                 "it was being written; its 18 bytes were dropped.\n",
                                                 path);

    run_dump (&run, args);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.lines[1], ==, "   1.500000  ← retry                 3000 ms");
    g_assert_cmpstr (run.lines[2], ==, "");
    g_assert_cmpstr (run.err, ==, expected);
    run_clear (&run);
  }

  /* Usage. */
  {
    const char *none[] = { NULL };
    const char *two[] = { "a.jsonl", "b.jsonl", NULL };
    const char *unknown[] = { "--hexx", "a.jsonl", NULL };

    run_dump (&run, none);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "give exactly one recording"));
    run_clear (&run);

    run_dump (&run, two);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "give exactly one recording"));
    run_clear (&run);

    run_dump (&run, unknown);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--hexx"));
    g_assert_cmpstr (run.out, ==, "");
    run_clear (&run);
  }
}

/* A recording of @n entries, as the real writer writes it. */
static char *
many_entries (Fixture    *f,
              const char *name,
              guint       n)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();

  for (guint i = 0; i < n; i++)
    append (log, i * 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_RETRY, NULL, "\"ms\":3000", NULL, 0);
  return write_recording (f, name, SONDE_TRANSPORT_SSE, "http://127.0.0.1/events", log);
}

/* `-` is standard input, and a FIFO is read once, as a file is: both print
 * what the file itself prints. */
static void
test_stdin_and_fifo (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = many_entries (f, "small.jsonl", 3);
  g_autofree char *fifo = g_build_filename (f->dir, "fifo", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  Run from_file;

  {
    const char *args[] = { path, NULL };

    run_dump (&from_file, args);
    g_assert_cmpint (from_file.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* Standard input. */
  {
    const char *args[] = { "-", NULL };
    g_auto(GStrv) argv = sonde_test_sonde_argv ("dump", args);
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GBytes) input = g_bytes_new (contents, length);
    g_autoptr(GBytes) out = NULL;

    process = g_subprocess_newv ((const char * const *)argv,
                                 G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                 &error);
    g_assert_no_error (error);
    g_subprocess_communicate (process, input, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                     from_file.out, strlen (from_file.out));
  }

  /* A FIFO: the writer opens it once, so a reader that opened it twice would wait for ever. */
  {
    const char *args[] = { fifo, NULL };
    g_auto(GStrv) argv = sonde_test_sonde_argv ("dump", args);
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GBytes) out = NULL;
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    int fd;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    process = g_subprocess_newv ((const char * const *)argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    g_assert_no_error (error);
    /* Opening for writing succeeds once the reader has it open. */
    while ((fd = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
      {
        g_assert_cmpint (errno, ==, ENXIO);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (10000);
      }
    g_assert_cmpint (write (fd, contents, length), ==, (gssize)length);
    close (fd);

    g_assert_cmpint (sonde_test_process_wait (process), ==, 0);
    out = g_input_stream_read_bytes (g_subprocess_get_stdout_pipe (process), 1024 * 1024, NULL,
                                     &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                     from_file.out, strlen (from_file.out));
  }

  run_clear (&from_file);
}

/* `sonde dump BIG | head -n 1`: quiet, status 0; a full disk: loud, status 1. */
static void
test_output_closed_or_full (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = many_entries (f, "big.jsonl", 20000);
  const char *args[] = { path, NULL };
  g_auto(GStrv) argv = sonde_test_sonde_argv ("dump", args);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GBytes) err = NULL;
    char first[64];

    process = g_subprocess_newv ((const char * const *)argv,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_input_stream_read (g_subprocess_get_stdout_pipe (process), first, sizeof first,
                                          NULL, &error), >, 0);
    g_input_stream_close (g_subprocess_get_stdout_pipe (process), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sonde_test_process_wait (process), ==, 0);
    err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (process), 4096, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (err), ==, 0);
  }
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GBytes) err = NULL;

    g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
    g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
    process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sonde_test_process_wait (process), ==, 1);
    err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (process), 4096, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err),
                                    "No space left on device"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sonde/cli-dump/sse", Fixture, NULL, fixture_set_up, test_sse, fixture_tear_down);
  g_test_add ("/sonde/cli-dump/websocket-hex", Fixture, NULL, fixture_set_up, test_websocket_hex,
              fixture_tear_down);
  g_test_add ("/sonde/cli-dump/preview", Fixture, NULL, fixture_set_up, test_preview, fixture_tear_down);
  g_test_add ("/sonde/cli-dump/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/sonde/cli-dump/stdin-and-fifo", Fixture, NULL, fixture_set_up, test_stdin_and_fifo,
              fixture_tear_down);
  g_test_add ("/sonde/cli-dump/output-closed-or-full", Fixture, NULL, fixture_set_up,
              test_output_closed_or_full, fixture_tear_down);

  return g_test_run ();
}

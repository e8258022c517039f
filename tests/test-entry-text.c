/* test-entry-text.c: the texts of an event list row, read from packed entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "sonde-entry-fields.h"
#include "sonde-entry-text.h"
#include "sonde-test-util.h"
#include "sonde-event-log.h"
#include "sonde-ws-frame.h"

/* Appends one entry and reads it back as the list does. */
static SondeEntryView
add (SondeEventLog  *log,
     SondeDirection  direction,
     SondeEntryKind  kind,
     const char     *id,
     const char     *fields,
     const guint8   *raw,
     gsize           raw_len)
{
  SondeEntryView view;
  guint64 seq;

  seq = sonde_event_log_append (log, 1500000, direction, kind,
                                id, id != NULL ? strlen (id) : 0,
                                fields, fields != NULL ? strlen (fields) : 0,
                                raw, raw_len);
  g_assert_true (sonde_event_log_get_view (log, seq, &view));
  return view;
}

static SondeEntryView
add_sse (SondeEventLog *log,
         const char    *id,
         const char    *raw)
{
  return add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, NULL,
              (const guint8 *)raw, strlen (raw));
}

static SondeEntryView
add_frame (SondeEventLog  *log,
           SondeDirection  direction,
           SondeEntryKind  kind,
           guint8          first_byte,
           const char     *fields,
           const void     *payload,
           gsize           len)
{
  g_autoptr(GByteArray) frames = g_byte_array_new ();

  sonde_ws_frame_append (frames, first_byte, payload, len, direction == SONDE_DIRECTION_OUT);
  return add (log, direction, kind, NULL, fields, frames->data, frames->len);
}

static SondeEntryView
add_fields (SondeEventLog  *log,
            SondeEntryKind  kind,
            const char     *fields)
{
  return add (log, SONDE_DIRECTION_LOCAL, kind, NULL, fields, NULL, 0);
}

#define assert_preview(view, expected) \
  G_STMT_START { \
    char buf__[SONDE_ENTRY_TEXT_PREVIEW_SIZE]; \
    gsize n__ = sonde_entry_text_format_preview (&(view), buf__, sizeof buf__); \
    g_assert_cmpstr (buf__, ==, (expected)); \
    g_assert_cmpuint (n__, ==, strlen (expected)); \
  } G_STMT_END

#define assert_type(view, expected) \
  G_STMT_START { \
    char buf__[SONDE_ENTRY_TEXT_SHORT_SIZE]; \
    sonde_entry_text_format_type (&(view), buf__, sizeof buf__); \
    g_assert_cmpstr (buf__, ==, (expected)); \
  } G_STMT_END

static void
test_sse (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  SondeEntryView view;
  char buf[SONDE_ENTRY_TEXT_SHORT_SIZE];

  view = add_sse (log, "42", "id: 42\nevent: tick\ndata: first\ndata: second\n\n");
  assert_type (view, "tick");
  assert_preview (view, "first\\nsecond");
  sonde_entry_text_format_id (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "42");

  /* No event field, CRLF and CR line ends, a field after the data, a tab. */
  view = add_sse (log, "", "data:a\tb\r\r\n");
  assert_type (view, "message");
  assert_preview (view, "a\\tb");
  sonde_entry_text_format_id (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "");

  view = add_sse (log, "", "data: x\r\nevent: late\r\nevent\r\n\r\n");
  assert_type (view, "message");
  view = add_sse (log, "", "data: x\r\nevent: late\r\n\r\n");
  assert_type (view, "late");

  /* Control characters and bytes that are not UTF-8 are escaped; UTF-8 stays. */
  view = add_sse (log, "", "data: grüße \x01\xff\x7f end\n\n");
  assert_preview (view, "grüße \\x01\\xff\\x7f end");

  /* An ID with a newline stays on one line. */
  view = add_sse (log, "a\rb", "id: a\n\n");
  sonde_entry_text_format_id (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "a\\rb");

  view = add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, NULL,
              (const guint8 *)": keep-alive\r\n", 14);
  assert_preview (view, " keep-alive");
  assert_type (view, "");
}

static void
test_long_preview (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GString) raw = g_string_new ("data: ");
  char buf[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  char small[16];
  SondeEntryView view;
  gsize n;

  /* 16 MiB of two-byte characters: the preview is cut on a character. */
  for (guint i = 0; i < 8 * 1024 * 1024; i++)
    g_string_append (raw, "é");
  g_string_append (raw, "\n\n");
  view = add_sse (log, "", raw->str);

  n = sonde_entry_text_format_preview (&view, buf, sizeof buf);
  g_assert_cmpuint (n, <, sizeof buf);
  g_assert_true (g_utf8_validate (buf, -1, NULL));
  g_assert_true (g_str_has_prefix (buf, "éééé"));
  g_assert_true (g_str_has_suffix (buf, "…"));

  n = sonde_entry_text_format_preview (&view, small, sizeof small);
  g_assert_cmpuint (n, ==, strlen (small));
  g_assert_true (g_utf8_validate (small, -1, NULL));
  g_assert_cmpstr (small, ==, "éééééé…");

  sonde_entry_text_format_size (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "16.8 MB");
}

static void
test_websocket (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  static const guint8 bytes[] = { 0x00, 0x01, 0xfe, 0xff };
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  SondeEntryView view;
  char buf[SONDE_ENTRY_TEXT_SHORT_SIZE];

  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, NULL,
                    "{\"a\":1}\n", 8);
  /* The Kind column says Text: the type is the application's name for the
   * message, and a message without one has none. */
  assert_type (view, "");
  assert_preview (view, "{\"a\":1}\\n");
  sonde_entry_text_format_size (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "10 B");

  /* Outgoing frames are masked: the preview shows the unmasked payload. */
  view = add_frame (log, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, NULL,
                    "hello", 5);
  assert_preview (view, "hello");

  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | 0x2, NULL,
                    bytes, sizeof bytes);
  assert_type (view, "");
  assert_preview (view, "00 01 fe ff");

  /* A fragmented message: the preview runs across its frames. */
  sonde_ws_frame_append (frames, 0x1, (const guint8 *)"hel", 3, TRUE);
  sonde_ws_frame_append (frames, SONDE_WS_FIN | 0x0, (const guint8 *)"lo", 2, TRUE);
  view = add (log, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL, NULL, frames->data, frames->len);
  assert_type (view, "fragmented");
  assert_preview (view, "hello");

  /* A JSON message's "type", or else its "event", names it; a number does not. */
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, NULL,
                    " {\"id\":[1,{\"type\":\"inner\"}],\"type\":\"quo\\u0074e\"}", 48);
  assert_type (view, "quote");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, NULL,
                    "{\"type\":7,\"event\":\"tick\"}", 25);
  assert_type (view, "tick");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, NULL,
                    "[\"type\",\"x\"]", 12);
  assert_type (view, "");
  g_byte_array_set_size (frames, 0);
  sonde_ws_frame_append (frames, 0x1, (const guint8 *)"{\"type\":\"snap", 13, TRUE);
  sonde_ws_frame_append (frames, SONDE_WS_FIN | 0x0, (const guint8 *)"shot\"}", 6, TRUE);
  view = add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, NULL, frames->data, frames->len);
  assert_type (view, "snapshot, fragmented");

  /* A compressed message keeps its inflated data in its fields. */
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x1,
                    "\"compressed\":true,\"data\":\"caf\\u00e9 \\\"x\\\"\\n\"", "zz", 2);
  assert_preview (view, "café \"x\"\\n");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    "\"compressed\":true,\"data\":\"AAH+/w==\"", "zz", 2);
  assert_preview (view, "00 01 fe ff");

  view = add_frame (log, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, SONDE_WS_FIN | 0x9, NULL,
                    "beat", 4);
  assert_type (view, "ping");
  assert_preview (view, "beat");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_PONG, SONDE_WS_FIN | 0xA,
                    "\"rtt_ms\":1.250", bytes, sizeof bytes);
  assert_type (view, "pong");
  assert_preview (view, "Round trip 1.250 ms · 00 01 fe ff");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_PONG, SONDE_WS_FIN | 0xA,
                    "\"rtt_ms\":0.500", NULL, 0);
  assert_preview (view, "Round trip 0.500 ms");

  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, SONDE_WS_FIN | 0x8,
                    "\"code\":1001,\"reason\":\"bye\"", "\x03\xe9" "bye", 5);
  assert_type (view, "close");
  assert_preview (view, "1001 Going Away “bye”");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, SONDE_WS_FIN | 0x8, NULL, NULL, 0);
  assert_preview (view, "No close code");

  /* A reserved opcode is named by its number. */
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x3, NULL, "x", 1);
  assert_type (view, "0x3");
}

/* A compressed binary message keeps its data as base64 in its fields: data
 * that is no base64 shows as such, not as bytes made up from part of it. */
static void
test_compressed_base64 (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  SondeEntryView view;

  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    "\"compressed\":true,\"data\":\"AAEC!!!!\"", "zz", 2);
  assert_preview (view, "Invalid base64 data");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    "\"compressed\":true,\"data\":\"AA==AAEC\"", "zz", 2);
  assert_preview (view, "Invalid base64 data");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    "\"compressed\":true,\"data\":7", "zz", 2);
  assert_preview (view, "Invalid base64 data");

  /* A long message: the preview decodes its start only, and padding at
   * the end of that start is no end of the text. */
  for (guint i = 0; i < 64; i++)
    g_string_append (expected, i == 0 ? "00" : " 00");
  g_string_append (expected, "…");
  g_string_assign (fields, "\"compressed\":true,\"data\":\"");
  for (guint i = 0; i < 200; i++)
    g_string_append (fields, "AAAA");
  g_string_append (fields, "\"");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    fields->str, "zz", 2);
  assert_preview (view, expected->str);
  g_string_assign (fields, "\"compressed\":true,\"data\":\"");
  for (guint i = 0; i < 79; i++)
    g_string_append (fields, "AAAA");
  g_string_append (fields, "AAA=AAAA\"");
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    fields->str, "zz", 2);
  assert_preview (view, "Invalid base64 data");

  /* Base64 that is whole still shows its bytes. */
  view = add_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | SONDE_WS_RSV1 | 0x2,
                    "\"compressed\":true,\"data\":\"AAH+/w==\"", "zz", 2);
  assert_preview (view, "00 01 fe ff");
}

static void
test_lifecycle (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  SondeEntryView view;

  /* A header named like a top-level member does not confuse the lookup. */
  view = add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL,
              "\"headers\":{\"status\":\"7\",\"reason\":\"no\"},\"status\":200,\"reason\":\"OK\"",
              NULL, 0);
  assert_preview (view, "Connected, 200 OK");
  assert_type (view, "");

  view = add_fields (log, SONDE_ENTRY_RECONNECT, "\"delay_ms\":3000,\"attempt\":4");
  assert_preview (view, "Reconnecting in 3 s (attempt 4)");
  view = add_fields (log, SONDE_ENTRY_RECONNECT, "\"delay_ms\":250,\"attempt\":1");
  assert_preview (view, "Reconnecting in 250 ms (attempt 1)");
  view = add_fields (log, SONDE_ENTRY_RECONNECT, "\"delay_ms\":2500,\"attempt\":2");
  assert_preview (view, "Reconnecting in 2.5 s (attempt 2)");

  view = add_fields (log, SONDE_ENTRY_RETRY, "\"ms\":5000");
  assert_preview (view, "Reconnect delay set to 5 s");

  view = add_fields (log, SONDE_ENTRY_CLOSED,
                     "\"message\":\"The connection dropped\",\"closed_by\":\"network\","
                     "\"code\":1006,\"reason\":\"\",\"clean\":false");
  assert_preview (view, "Closed: 1006 Abnormal Closure");
  view = add_fields (log, SONDE_ENTRY_CLOSED,
                     "\"message\":\"x\",\"closed_by\":\"server\",\"code\":4000,\"reason\":\"done\"");
  assert_preview (view, "Closed by the server: 4000 private use “done”");
  view = add_fields (log, SONDE_ENTRY_CLOSED, "\"message\":\"The server ended the stream\"");
  assert_preview (view, "Closed: The server ended the stream");

  view = add_fields (log, SONDE_ENTRY_ERROR,
                     "\"message\":\"Could not connect:\\nrefused\",\"domain\":\"g-io-error-quark\","
                     "\"code\":39");
  assert_preview (view, "Could not connect:\\nrefused");
  view = add_fields (log, SONDE_ENTRY_ERROR, "");
  assert_preview (view, "Unknown error");
}

static void
test_members (void)
{
  SondeEntryView view = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *missing = NULL;
  const char *value;
  gsize len;
  gint64 n = 0;

  view.fields = "\"a\":{\"b\":[1,\"],\"],\"c\":2},\"s\":\"x\\\"y\\u00fc\\ud83d\\ude00\",\"n\":-12";
  view.fields_len = strlen (view.fields);

  g_assert_true (sonde_entry_fields_find_member (view.fields, view.fields_len, "a", &value, &len));
  g_assert_cmpmem (value, len, "{\"b\":[1,\"],\"],\"c\":2}", 20);
  g_assert_false (sonde_entry_fields_find_member (view.fields, view.fields_len, "b", &value, &len));
  g_assert_false (sonde_entry_fields_find_member (view.fields, view.fields_len, "c", &value, &len));

  text = sonde_entry_fields_dup_string (&view, "s");
  g_assert_cmpstr (text, ==, "x\"yü😀");
  missing = sonde_entry_fields_dup_string (&view, "n");
  g_assert_null (missing);

  g_assert_true (sonde_entry_fields_get_int (&view, "n", &n));
  g_assert_cmpint (n, ==, -12);
  g_assert_false (sonde_entry_fields_get_int (&view, "s", &n));
  g_assert_false (sonde_entry_fields_get_int (&view, "zz", &n));
}

static void
test_time_and_size (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) start = g_date_time_new (utc, 2026, 1, 1, 23, 59, 59.5);
  SondeEntryView view = { 0 };
  char buf[SONDE_ENTRY_TEXT_SHORT_SIZE];
  gint64 origin;

  sonde_entry_text_format_time (12345678, SONDE_TIME_FORMAT_RELATIVE, 0, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "12.345678");
  sonde_entry_text_format_time (0, SONDE_TIME_FORMAT_RELATIVE, 0, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.000000");

  /* The test runs with TZ=UTC: the clock wraps at midnight. */
  origin = sonde_entry_text_clock_origin (start);
  g_assert_cmpint (origin, ==, ((gint64)23 * 3600 + 59 * 60 + 59) * G_USEC_PER_SEC + 500000);
  sonde_entry_text_format_time (250000, SONDE_TIME_FORMAT_CLOCK, origin, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "23:59:59.750");
  sonde_entry_text_format_time (3 * G_USEC_PER_SEC + 1000, SONDE_TIME_FORMAT_CLOCK, origin,
                                buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "00:00:02.501");

  /* For people: in German, a decimal comma. */
  {
    char *dir = sonde_test_use_german_numbers ();

    sonde_entry_text_format_time (12345678, SONDE_TIME_FORMAT_RELATIVE, 0, buf, sizeof buf);
    g_assert_cmpstr (buf, ==, "12,345678");
    sonde_entry_text_format_time (-1500000, SONDE_TIME_FORMAT_RELATIVE, 0, buf, sizeof buf);
    g_assert_cmpstr (buf, ==, "-1,500000");
    sonde_entry_text_format_time (250000, SONDE_TIME_FORMAT_CLOCK, origin, buf, sizeof buf);
    g_assert_cmpstr (buf, ==, "23:59:59,750");
    sonde_test_stop_german_numbers (dir);
  }
  sonde_entry_text_format_time (12345678, SONDE_TIME_FORMAT_RELATIVE, 0, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "12.345678");

  sonde_entry_text_format_seq (1234567, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1234567");

  view.raw_len = 999;
  sonde_entry_text_format_size (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "999 B");
  view.raw_len = 1500;
  sonde_entry_text_format_size (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1.5 kB");
}

static void
test_labels (void)
{
  for (guint kind = 0; kind < SONDE_ENTRY_N_KINDS; kind++)
    g_assert_cmpstr (sonde_entry_kind_get_label (kind), !=, "");
  g_assert_cmpstr (sonde_entry_kind_get_label (SONDE_ENTRY_SSE), ==, "Event");
  g_assert_cmpstr (sonde_direction_get_accessible_name (SONDE_DIRECTION_IN), ==, "Incoming");
  g_assert_cmpstr (sonde_direction_get_accessible_name (SONDE_DIRECTION_OUT), ==, "Outgoing");
  g_assert_cmpstr (sonde_direction_get_accessible_name (SONDE_DIRECTION_LOCAL), ==, "Local");
  g_assert_cmpstr (sonde_direction_get_arrow (SONDE_DIRECTION_IN), !=,
                   sonde_direction_get_arrow (SONDE_DIRECTION_OUT));
  g_assert_cmpstr (sonde_entry_category_get_label (SONDE_ENTRY_CATEGORY_PROBLEM), ==, "Problem");
}

/* Truncated and hostile bytes never read past the entry. */
static void
test_truncated (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  static const guint8 header_only[] = { 0x81, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 };
  static const guint8 short_mask[] = { 0x81, 0x85, 0x01, 0x02 };
  char buf[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  SondeEntryView view;

  view = add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, NULL, header_only, sizeof header_only);
  assert_preview (view, "");
  view = add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, NULL, short_mask, sizeof short_mask);
  assert_preview (view, "");
  view = add (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, NULL, short_mask, 1);
  assert_type (view, "");
  view = add (log, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_OPEN, NULL, "\"status\":\"x", NULL, 0);
  sonde_entry_text_format_preview (&view, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "Connected");
  view = add_fields (log, SONDE_ENTRY_ERROR, "\"message\":\"abc");
  sonde_entry_text_format_preview (&view, buf, sizeof buf);
  g_assert_true (g_utf8_validate (buf, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/entry-text/sse", test_sse);
  g_test_add_func ("/sonde/entry-text/long-preview", test_long_preview);
  g_test_add_func ("/sonde/entry-text/websocket", test_websocket);
  g_test_add_func ("/sonde/entry-text/compressed-base64", test_compressed_base64);
  g_test_add_func ("/sonde/entry-text/lifecycle", test_lifecycle);
  g_test_add_func ("/sonde/entry-text/members", test_members);
  g_test_add_func ("/sonde/entry-text/time-and-size", test_time_and_size);
  g_test_add_func ("/sonde/entry-text/labels", test_labels);
  g_test_add_func ("/sonde/entry-text/truncated", test_truncated);

  return g_test_run ();
}

/* test-compare.c: SSE, WebSocket and long polling compared on known feeds, on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sonde-compare.h"
#include "sonde-error.h"
#include "sonde-stamp.h"
#include "sonde-test-util.h"
#include "sonde-ws-frame.h"

#define TEXT_LEN   40
#define BINARY_LEN 300

/* Three texts of 40 bytes and three binary messages of 300, 10 ms apart,
 * then one more at 9 s, which a short run does not reach: every transport
 * gets positions 0 to 5, once each. */
static SondeEventLog *
make_sized_recording (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(GByteArray) frame = g_byte_array_new ();
      guint8 payload[BINARY_LEN];
      gboolean binary = i % 2 == 1;
      gsize len = binary ? BINARY_LEN : TEXT_LEN;

      for (gsize j = 0; j < len; j++)
        payload[j] = binary ? (guint8)(j * 7 + i) : (guint8)('a' + (j + i) % 26);
      sonde_ws_frame_append (frame, SONDE_WS_FIN | (binary ? SONDE_WS_OPCODE_BINARY
                                                           : SONDE_WS_OPCODE_TEXT),
                             payload, len, FALSE);
      sonde_event_log_append (log, i < 6 ? i * 10000 : 9 * G_USEC_PER_SEC, SONDE_DIRECTION_IN,
                              binary ? SONDE_ENTRY_BINARY : SONDE_ENTRY_TEXT, NULL, 0, NULL, 0,
                              frame->data, frame->len);
    }
  return log;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = sonde_comparison_run_finish (SONDE_COMPARISON (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Wait *)data)->done;
}

static SondeComparison *
run (const SondeCompareOptions *options,
     GError                   **error)
{
  g_autoptr(SondeComparison) comparison = sonde_comparison_new (options);
  Wait wait = { 0 };

  sonde_comparison_run_async (comparison, NULL, run_cb, &wait);
  g_assert_true (sonde_test_wait_until (is_done, &wait, (guint)(options->duration * 1000) + 20000));
  if (!wait.ok)
    {
      g_propagate_error (error, wait.error);
      return NULL;
    }
  return g_steal_pointer (&comparison);
}

static void
test_create_destroy (void)
{
  SondeCompareOptions options;
  SondeComparison *comparison;

  sonde_compare_options_init (&options);
  options.transports = (1 << SONDE_COMPARE_SSE) | (1 << SONDE_COMPARE_POLL);
  comparison = sonde_comparison_new (&options);
  g_assert_cmpuint (sonde_comparison_get_elapsed (comparison), ==, 0);
  /* The logs are there from the start, for views; none for what is not compared. */
  g_assert_nonnull (sonde_comparison_get_log (comparison, SONDE_COMPARE_SSE));
  g_assert_null (sonde_comparison_get_log (comparison, SONDE_COMPARE_WS));
  g_assert_finalize_object (comparison);
}

static gsize
base64_len (gsize n)
{
  return (n + 2) / 3 * 4;
}

/* Known sizes give exact counts: the payloads, and each message's own
 * framing in each transport, base64 included. */
static void
test_exact_bytes (void)
{
  g_autoptr(SondeComparison) comparison = NULL;
  g_autoptr(GError) error = NULL;
  SondeCompareOptions options;
  const SondeCompareFigures *f;
  /* Beyond payload and stamp: a text's SSE block "id: #N\ndata: …\n\n", a binary's
   * "event: binary\nid: #N\ndata: BASE64\n\n" with base64's growth; the WebSocket
   * frame headers of 66 and 326 bytes; a poll's {"data":"…"} and
   * {"binary":true,"data":"BASE64"}. */
  const guint64 stamp_b64 = base64_len (SONDE_STAMP_LEN + BINARY_LEN) - base64_len (BINARY_LEN);
  const guint64 binary_b64 = base64_len (SONDE_STAMP_LEN + BINARY_LEN) - stamp_b64;
  const guint64 text_framing[] = { 15, 2, 11 };
  const guint64 binary_framing[] = { 29 + binary_b64 - BINARY_LEN, 4, 25 + binary_b64 - BINARY_LEN };

  sonde_compare_options_init (&options);
  options.recording = make_sized_recording ();
  options.duration = 1.0;
  options.ws_deflate = FALSE;
  comparison = run (&options, &error);
  g_assert_no_error (error);
  sonde_compare_options_clear (&options);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      f = sonde_comparison_get_figures (comparison, t);
      g_test_message ("%s: framed %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                      sonde_compare_transport_name (t), f->framed[0], f->framed[1]);
      g_assert_true (f->enabled);
      g_assert_cmpuint (f->messages[0], ==, 3);
      g_assert_cmpuint (f->messages[1], ==, 3);
      g_assert_cmpuint (f->payload[0], ==, 3 * TEXT_LEN);
      g_assert_cmpuint (f->payload[1], ==, 3 * BINARY_LEN);
      g_assert_cmpuint (f->framed[0], ==, 3 * (TEXT_LEN + text_framing[t]));
      g_assert_cmpuint (f->framed[1], ==, 3 * (BINARY_LEN + binary_framing[t]));
      g_assert_cmpuint (f->lost, ==, 0);
      g_assert_cmpuint (f->repeated, ==, 0);
      g_assert_cmpuint (f->unstamped, ==, 0);
      /* The stamps survived and read as times on this machine. */
      g_assert_cmpint (f->latency_p50_us, >=, 0);
      g_assert_cmpint (f->latency_p50_us, <=, f->latency_p99_us);
      g_assert_cmpint (f->latency_p99_us, <=, f->latency_max_us);
      g_assert_cmpint (f->latency_max_us, <, 5 * G_USEC_PER_SEC);
      g_assert_cmpint (f->first_event_us, >=, 0);
      /* The wire holds at least the messages and the handshake. */
      g_assert_cmpuint (f->handshake_bytes, >, 0);
      g_assert_cmpuint (f->wire_up + f->wire_down, >=,
                        f->framed[0] + f->framed[1] + f->stamp_bytes + f->handshake_bytes);
      g_assert_cmpstr (f->http_version, ==, "HTTP/1.1");
      g_assert_cmpuint (f->tcp_connections, ==, 1);
      g_assert_cmpuint (f->drops, ==, 0);
    }
  g_assert_cmpuint (sonde_comparison_get_figures (comparison, SONDE_COMPARE_WS)->status, ==, 101);
  g_assert_true (sonde_comparison_get_figures (comparison, SONDE_COMPARE_SSE)->chunked);
  g_assert_null (sonde_comparison_get_figures (comparison, SONDE_COMPARE_WS)->compression);
  /* A poll waits at most its timeout: the run saw at least the first answer and a waiting poll. */
  g_assert_cmpuint (sonde_comparison_get_figures (comparison, SONDE_COMPARE_POLL)->requests, >=, 2);
}

/* Drops every second: SSE and polling lose nothing and repeat nothing; the
 * WebSocket does as well as its policy: none lost with its resume message,
 * the replay again from the start without. */
static void
test_drops (void)
{
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SondeComparison) comparison = NULL;
      g_autoptr(GError) error = NULL;
      SondeCompareOptions options;
      const SondeCompareFigures *ws;

      sonde_compare_options_init (&options);
      options.recording = sonde_test_steady_recording (200);
      options.duration = 3.5;
      options.drop_every = 1.0;
      options.ws_resume = round == 0;
      comparison = run (&options, &error);
      g_assert_no_error (error);
      sonde_compare_options_clear (&options);

      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        {
          const SondeCompareFigures *f = sonde_comparison_get_figures (comparison, t);

          g_test_message ("%s: %u drops, %u lost, %u repeated, %u messages",
                          sonde_compare_transport_name (t), f->drops, f->lost, f->repeated,
                          f->messages[0]);
          g_assert_cmpuint (f->drops, >=, 2);
          g_assert_cmpint (f->reconnect_mean_us, >, 0);
          /* The wait the client chose: SSE the recording's retry: 50, the others the
           * policy's second (longer only after attempts that delivered nothing). */
          g_assert_cmpfloat (f->reconnect_wait_ms, >=, t == SONDE_COMPARE_SSE ? 50 : 1000);
          g_assert_true (f->wait_from_retry == (t == SONDE_COMPARE_SSE));
          g_assert_cmpuint (f->messages[0], >, 20);
          /* One to start with, one for each drop it came back from. */
          g_assert_cmpuint (f->tcp_connections, >=, f->drops);
          if (t == SONDE_COMPARE_WS)
            continue;
          g_assert_cmpuint (f->lost, ==, 0);
          g_assert_cmpuint (f->repeated, ==, 0);
        }

      /* The table says which wait was chosen, and by whom. */
      for (guint row = 0; row < sonde_comparison_get_n_rows (comparison); row++)
        {
          const char *label;
          const char * const *cells;

          g_assert_true (sonde_comparison_get_row (comparison, row, NULL, &label, &cells, NULL));
          if (!g_str_equal (label, "Reconnect delay, mean"))
            continue;
          g_assert_nonnull (strstr (cells[SONDE_COMPARE_SSE], " ms (the server’s retry:)"));
          g_assert_nonnull (strstr (cells[SONDE_COMPARE_WS], " ms (the policy)"));
          g_assert_nonnull (strstr (cells[SONDE_COMPARE_POLL], " ms (the policy)"));
        }

      ws = sonde_comparison_get_figures (comparison, SONDE_COMPARE_WS);
      g_assert_cmpuint (ws->lost, ==, 0);
      if (round == 0)
        {
          g_assert_cmpuint (ws->repeated, ==, 0);
          g_assert_cmpuint (ws->resumes, >=, 1);
        }
      else
        {
          g_assert_cmpuint (ws->repeated, >, 0);
          g_assert_cmpuint (ws->resumes, ==, 0);
        }
    }
}

/* The three transports read one feed: under drops, each of them gets the
 * same messages, positions 0 to N - 1 of what the feed published, each with
 * the same send time in its stamp, so the figures compare like with like. */
static void
test_same_feed (void)
{
  g_autoptr(SondeComparison) comparison = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sse = NULL;
  SondeCompareOptions options;
  gint64 published;

  sonde_compare_options_init (&options);
  options.recording = sonde_test_steady_recording (200);
  options.duration = 2.5;
  options.drop_every = 0.8;
  comparison = run (&options, &error);
  g_assert_no_error (error);
  sonde_compare_options_clear (&options);

  published = sonde_comparison_get_feed_messages (comparison);
  g_test_message ("the feed published %" G_GINT64_FORMAT " messages", published);
  /* 20 ms apart for 2.5 s, less the first connection's time. */
  g_assert_cmpint (published, >, 50);
  g_assert_cmpint (published, <=, 200);

  sse = sonde_test_stamped_times (sonde_comparison_get_log (comparison, SONDE_COMPARE_SSE),
                                  100000);
  g_assert_cmpint (sse->len, ==, published);
  for (guint i = 0; i < sse->len; i++)
    g_assert_cmpint (g_array_index (sse, gint64, i), >, 0);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_autoptr(GArray) got = sonde_test_stamped_times (sonde_comparison_get_log (comparison, t),
                                                         100000);
      const SondeCompareFigures *f = sonde_comparison_get_figures (comparison, t);

      g_test_message ("%s: %u positions, %u drops", sonde_compare_transport_name (t), got->len,
                      f->drops);
      g_assert_cmpuint (f->drops, >=, 1);
      g_assert_cmpuint (got->len, ==, sse->len);
      g_assert_cmpmem (got->data, got->len * sizeof (gint64), sse->data,
                       sse->len * sizeof (gint64));
      g_assert_cmpuint (f->messages[0], ==, published);
      g_assert_cmpuint (f->lost, ==, 0);
    }
}

/* Sending back: frames on the WebSocket, POSTs beside SSE and polling, each answered. */
static void
test_sends (void)
{
  g_autoptr(SondeComparison) comparison = NULL;
  g_autoptr(GError) error = NULL;
  SondeCompareOptions options;
  const SondeCompareFigures *sse, *ws, *poll;
  g_autofree char *verdict = NULL;

  sonde_compare_options_init (&options);
  options.recording = sonde_test_steady_recording (200);
  options.duration = 1.5;
  options.send_every = 0.2;
  comparison = run (&options, &error);
  g_assert_no_error (error);
  sonde_compare_options_clear (&options);

  sse = sonde_comparison_get_figures (comparison, SONDE_COMPARE_SSE);
  ws = sonde_comparison_get_figures (comparison, SONDE_COMPARE_WS);
  poll = sonde_comparison_get_figures (comparison, SONDE_COMPARE_POLL);
  g_assert_cmpuint (ws->sends, >=, 4);
  g_assert_cmpuint (sse->sends, ==, ws->sends);
  g_assert_cmpuint (poll->sends, ==, ws->sends);
  /* The last may still be on its way when the run ends. */
  g_assert_cmpuint (ws->sends_answered + 1, >=, ws->sends);
  g_assert_cmpuint (sse->sends_answered + 1, >=, sse->sends);
  g_assert_cmpint (ws->rtt_p50_us, >=, 0);
  g_assert_cmpint (sse->rtt_p50_us, >=, 0);
  /* A masked frame out and its echo cost less than a POST and its answer. */
  g_assert_cmpuint (ws->send_bytes / ws->sends, <, sse->send_bytes / sse->sends);
  /* The POSTs need a connection beside the stream, and keep it for the next
   * POST as a browser does: counted by the relays between the clients and the
   * real server. (One POST every 200 ms takes a few milliseconds on loopback;
   * a third connection would mean one overlapped the next on a loaded machine,
   * one per POST that the connection is not kept.) */
  g_assert_cmpuint (sse->tcp_connections, >=, 2);
  g_assert_cmpuint (sse->tcp_connections, <=, 3);
  g_assert_cmpuint (poll->tcp_connections, >=, 2);
  g_assert_cmpuint (poll->tcp_connections, <=, 3);
  g_assert_cmpuint (sse->sends, >=, 4);
  g_assert_cmpuint (sse->requests, >=, 1 + sse->sends);
  g_assert_cmpuint (ws->requests, ==, 1);

  verdict = sonde_comparison_get_verdict (comparison);
  g_assert_nonnull (strstr (verdict, "WebSocket frame"));
}

/* Every row has a figure for each transport compared, and says how it was measured. */
static void
test_rows_and_formats (void)
{
  g_autoptr(SondeComparison) comparison = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *markdown = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) csv_lines = NULL;
  SondeCompareOptions options;
  JsonObject *root;

  sonde_compare_options_init (&options);
  options.recording = make_sized_recording ();
  options.duration = 0.5;
  g_assert_true (sonde_compare_parse_transports ("ws,sse", &options.transports, &error));
  comparison = run (&options, &error);
  g_assert_no_error (error);
  sonde_compare_options_clear (&options);

  g_assert_cmpuint (sonde_comparison_get_n_rows (comparison), >=, 20);
  for (guint i = 0; i < sonde_comparison_get_n_rows (comparison); i++)
    {
      const char *section, *label, *how;
      const char * const *cells;

      g_assert_true (sonde_comparison_get_row (comparison, i, &section, &label, &cells, &how));
      g_assert_cmpuint (strlen (how), >, 20);
      g_assert_nonnull (cells[SONDE_COMPARE_SSE]);
      g_assert_nonnull (cells[SONDE_COMPARE_WS]);
      g_assert_null (cells[SONDE_COMPARE_POLL]);
    }
  g_assert_false (sonde_comparison_get_row (comparison, 1000, NULL, NULL, NULL, NULL));
  g_assert_false (sonde_comparison_get_figures (comparison, SONDE_COMPARE_POLL)->enabled);

  markdown = sonde_comparison_format (comparison, SONDE_COMPARE_FORMAT_MARKDOWN);
  g_assert_true (g_str_has_prefix (markdown, "| Measured | SSE | WebSocket |\n| --- | --- | --- |\n"));
  g_assert_nonnull (strstr (markdown, "| Messages (text / binary) | 3 / 3 | 3 / 3 |"));
  csv = sonde_comparison_format (comparison, SONDE_COMPARE_FORMAT_CSV);
  csv_lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (csv_lines[0], ==, "\"Section\",\"Measured\",\"SSE\",\"WebSocket\"");
  g_assert_cmpuint (g_strv_length (csv_lines), ==, sonde_comparison_get_n_rows (comparison) + 2);
  json = sonde_comparison_format (comparison, SONDE_COMPARE_FORMAT_JSON);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (root, "transports"), "ws"), "binary_payload_bytes"),
                   ==, 3 * BINARY_LEN);
  g_assert_false (json_object_has_member (json_object_get_object_member (root, "transports"), "poll"));
  g_assert_nonnull (strstr (json_object_get_string_member (root, "verdict"), "SSE"));
  text = sonde_comparison_format (comparison, SONDE_COMPARE_FORMAT_TEXT);
  g_assert_nonnull (strstr (text, "Latency\n"));
}

static void
test_refused (void)
{
  SondeCompareOptions options;
  g_autoptr(GError) error = NULL;
  guint transports = 0;
  SondeCompareFormat format;

  sonde_compare_options_init (&options);
  options.transports = 1 << SONDE_COMPARE_SSE;
  options.urls[SONDE_COMPARE_SSE] = g_strdup ("https://example.invalid/events");
  g_assert_null (run (&options, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_UNSUPPORTED_SCHEME);
  g_assert_nonnull (strstr (error->message, "http://"));
  g_clear_error (&error);
  sonde_compare_options_clear (&options);

  g_assert_false (sonde_compare_parse_transports ("sse,sse", &transports, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (sonde_compare_parse_transports ("sse,smoke", &transports, &error));
  g_clear_error (&error);
  g_assert_false (sonde_compare_parse_transports ("", &transports, &error));
  g_clear_error (&error);
  g_assert_true (sonde_compare_parse_transports ("poll", &transports, &error));
  g_assert_cmpuint (transports, ==, 1 << SONDE_COMPARE_POLL);
  g_assert_false (sonde_compare_parse_format ("yaml", &format));
  g_assert_true (sonde_compare_parse_format ("csv", &format));
  g_assert_cmpint (format, ==, SONDE_COMPARE_FORMAT_CSV);
}

static const char *
row_cell (SondeComparison       *comparison,
          const char            *label,
          SondeCompareTransport  t)
{
  for (guint i = 0; i < sonde_comparison_get_n_rows (comparison); i++)
    {
      const char *row_label;
      const char * const *cells;

      sonde_comparison_get_row (comparison, i, NULL, &row_label, &cells, NULL);
      if (g_str_equal (row_label, label))
        return cells[t];
    }
  g_assert_not_reached ();
}

/* A feed the run does not control (URLs): each transport stops at its own
 * last message. SSE and WebSocket read server A, long polling server B,
 * which has one message more at the end: that message is outside the range
 * every transport received and counts as lost for none. Without stamps
 * (stamp=0), messages are matched by payload: B lacks m2 inside the range,
 * which is a loss for long polling alone; and there is no latency, which
 * the table says rather than showing a figure. */
static void
test_uncontrolled (void)
{
  const char * const a_texts[] = { "m0", "m1", "m2", "m3", "m4", NULL };
  const char * const b_stamped[] = { "m0", "m1", "m2", "m3", "m4", "m5", NULL };
  const char * const b_unstamped[] = { "m0", "m1", "m3", "m4", "m5", NULL };

  for (guint round = 0; round < 2; round++)
    {
      gboolean stamped = round == 0;
      g_autoptr(SondeEventLog) a_log = sonde_test_text_recording (a_texts);
      g_autoptr(SondeEventLog) b_log = sonde_test_text_recording (stamped ? b_stamped : b_unstamped);
      g_autoptr(SondeMockServer) a = sonde_test_mock_server_new (a_log, NULL, NULL);
      g_autoptr(SondeMockServer) b = sonde_test_mock_server_new (b_log, NULL, NULL);
      g_autoptr(SondeComparison) comparison = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *verdict = NULL;
      g_autofree char *sse_url = NULL;
      g_autofree char *ws_url = NULL;
      g_autofree char *poll_url = NULL;
      const char *query = stamped ? "" : "?stamp=0";
      SondeCompareOptions options;
      const SondeCompareFigures *f;

      sonde_compare_options_init (&options);
      options.duration = 1.0;
      sse_url = sonde_mock_server_get_url (a, "http", "/sse");
      ws_url = sonde_mock_server_get_url (a, "ws", "/ws");
      poll_url = sonde_mock_server_get_url (b, "http", "/poll");
      options.urls[SONDE_COMPARE_SSE] = g_strconcat (sse_url, query, NULL);
      options.urls[SONDE_COMPARE_WS] = g_strconcat (ws_url, query, NULL);
      options.urls[SONDE_COMPARE_POLL] = g_strconcat (poll_url, query, NULL);
      g_assert_true (sonde_compare_options_check (&options, &error));
      g_assert_false (sonde_compare_options_uses_server (&options));
      comparison = run (&options, &error);
      g_assert_no_error (error);
      sonde_compare_options_clear (&options);
      g_assert_false (sonde_comparison_get_controlled (comparison));

      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        {
          f = sonde_comparison_get_figures (comparison, t);
          g_test_message ("%s %s: %u messages, %u lost, %u outside, %u unstamped",
                          stamped ? "stamped" : "unstamped", sonde_compare_transport_name (t),
                          f->messages[0], f->lost, f->outside, f->unstamped);
          if (t == SONDE_COMPARE_POLL)
            {
              g_assert_cmpuint (f->messages[0], ==, stamped ? 5 : 4);
              g_assert_cmpuint (f->lost, ==, stamped ? 0 : 1);
              g_assert_cmpuint (f->outside, ==, 1);
              /* Its bytes stay out of the overhead of the messages compared. */
              g_assert_cmpuint (f->outside_bytes, >, 2);
            }
          else
            {
              g_assert_cmpuint (f->messages[0], ==, 5);
              g_assert_cmpuint (f->lost, ==, 0);
              g_assert_cmpuint (f->outside, ==, 0);
              g_assert_cmpuint (f->outside_bytes, ==, 0);
            }
          g_assert_cmpuint (f->repeated, ==, 0);
          g_assert_false (f->other_clock);
          if (stamped)
            {
              /* Stamped by a Sonde mock server on this machine: its clock is ours. */
              g_assert_cmpint (f->latency_p50_us, >=, 0);
              g_assert_cmpuint (f->unstamped, ==, 0);
            }
          else
            {
              g_assert_cmpint (f->latency_p50_us, ==, -1);
              g_assert_cmpstr (row_cell (comparison, "One-way latency, median", t), ==,
                               "not measured: no stamps");
            }
          g_assert_nonnull (strstr (row_cell (comparison, "Source", t), "not controlled"));
        }
      verdict = sonde_comparison_get_verdict (comparison);
      g_test_message ("%s", verdict);
      g_assert_true (g_str_has_prefix (verdict, "The feed came from URLs that Sonde does not "
                                                "control"));
      g_assert_true ((strstr (verdict, "no one-way latency") != NULL) == !stamped);
    }
}

/* The checks `sonde compare` and the window's setup share. */
static void
test_options_check (void)
{
  struct
  {
    double      duration, drop_every, speed, send_every;
    guint       transports;
    const char *sse_url;
    const char *needle;
  } cases[] = {
    { 0, 0, 1, 0, 7, NULL, "duration" },
    { 10, 0.01, 1, 0, 7, NULL, "Drop every" },
    { 10, -1, 1, 0, 7, NULL, "Drop every" },
    { 10, 0, 1001, 0, 7, NULL, "speed" },
    { 10, 0, 1, 0.001, 7, NULL, "Send every" },
    { 10, 0, 1, 0, 0, NULL, "at least one" },
    /* The built-in feed and a URL's are two feeds. */
    { 10, 0, 1, 0, 7, "http://127.0.0.1:1/sse", "WebSocket has no URL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeCompareOptions options;
      g_autoptr(GError) error = NULL;

      sonde_compare_options_init (&options);
      options.duration = cases[i].duration;
      options.drop_every = cases[i].drop_every;
      options.speed = cases[i].speed;
      options.send_every = cases[i].send_every;
      options.transports = cases[i].transports;
      options.urls[SONDE_COMPARE_SSE] = g_strdup (cases[i].sse_url);
      g_assert_false (sonde_compare_options_check (&options, &error));
      g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      sonde_compare_options_clear (&options);
    }

  {
    SondeCompareOptions options;
    g_autoptr(GError) error = NULL;

    /* The defaults pass; a recording with URLs does not. */
    sonde_compare_options_init (&options);
    g_assert_true (sonde_compare_options_check (&options, &error));
    g_assert_true (sonde_compare_options_uses_server (&options));
    options.transports = 1 << SONDE_COMPARE_WS;
    options.urls[SONDE_COMPARE_WS] = g_strdup ("ws://127.0.0.1:1/ws");
    g_assert_true (sonde_compare_options_check (&options, &error));
    options.recording_path = g_strdup ("feed.jsonl");
    g_assert_false (sonde_compare_options_check (&options, &error));
    g_assert_nonnull (strstr (error->message, "recording"));
    sonde_compare_options_clear (&options);
  }
}

static gboolean
end_after_cb (gpointer data)
{
  sonde_comparison_end (data, SONDE_COMPARE_STOP_WAIT_US);
  return G_SOURCE_REMOVE;
}

/* Ended early (Stop), with drops: the feed ends, and every transport,
 * whether in its reconnect wait or not, gets up to the last message sent
 * before the run measures: none lost. */
static void
test_end_waits (void)
{
  g_autoptr(SondeComparison) comparison = NULL;
  SondeCompareOptions options;
  Wait wait = { 0 };

  sonde_compare_options_init (&options);
  options.recording = sonde_test_steady_recording (200);
  options.duration = 600;
  options.drop_every = 0.7;
  comparison = sonde_comparison_new (&options);
  sonde_compare_options_clear (&options);
  sonde_comparison_run_async (comparison, NULL, run_cb, &wait);
  g_timeout_add (1600, end_after_cb, comparison);
  g_assert_true (sonde_test_wait_until (is_done, &wait, 60000));
  g_assert_true (wait.ok);

  sonde_test_assert_all_received (comparison);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/compare/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/compare/exact-bytes", test_exact_bytes);
  g_test_add_func ("/sonde/compare/drops", test_drops);
  g_test_add_func ("/sonde/compare/same-feed", test_same_feed);
  g_test_add_func ("/sonde/compare/sends", test_sends);
  g_test_add_func ("/sonde/compare/rows-and-formats", test_rows_and_formats);
  g_test_add_func ("/sonde/compare/refused", test_refused);
  g_test_add_func ("/sonde/compare/uncontrolled", test_uncontrolled);
  g_test_add_func ("/sonde/compare/options-check", test_options_check);
  g_test_add_func ("/sonde/compare/end-waits", test_end_waits);

  return g_test_run ();
}

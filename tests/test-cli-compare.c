/* test-cli-compare.c: `sonde compare` prints a measured table and verdict, refuses what it cannot do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sonde-test-util.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

/* The demo on the built-in mock server, as Markdown: every section, each transport a column. */
static void
test_demo_markdown (void)
{
  const char * const args[] = { "--duration", "1.5", "--speed", "4", "--send-every", "0.3",
                                "--format", "markdown", NULL };
  SondeTestRun run;

  g_assert_cmpint (sonde_test_run_sonde (&run, "compare", args), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "| Measured | SSE | WebSocket | Long polling |\n"));
  g_assert_nonnull (strstr (run.out, "| **Latency** |"));
  g_assert_nonnull (strstr (run.out, "| **Reconnection** |"));
  g_assert_nonnull (strstr (run.out, "| **Direction** |"));
  g_assert_nonnull (strstr (run.out, "| **Protocol and infrastructure** |"));
  g_assert_nonnull (strstr (run.out, "| HTTP version | HTTP/1.1 | HTTP/1.1 | HTTP/1.1 |"));
  /* The verdict, from the figures: the demo's sends were answered. */
  g_assert_nonnull (strstr (run.out, "Talking back cost"));
  sonde_test_run_clear (&run);
}

/* Against `sonde serve` by URL, as JSON: stamps are asked for, so latency is measured. */
static void
test_urls_json (void)
{
  g_autofree char *sse_url = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *poll_url = NULL;
  GSubprocess *serve;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char * const serve_args[] = { "--speed", "5", "--loop", NULL };
  JsonObject *transports;
  SondeTestRun run;

  serve = sonde_test_serve_start (serve_args, &sse_url, &ws_url);
  g_assert_true (g_str_has_suffix (sse_url, "/sse"));
  poll_url = g_strdup_printf ("%.*spoll", (int)strlen (sse_url) - 3, sse_url);
  {
    const char * const args[] = { "--duration", "1", "--sse", sse_url, "--ws", ws_url,
                                  "--poll", poll_url, "--format", "json", NULL };

    g_assert_cmpint (sonde_test_run_sonde (&run, "compare", args), ==, 0);
  }
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  transports = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                              "transports");
  for (guint i = 0; i < 3; i++)
    {
      static const char * const names[] = { "sse", "ws", "poll" };
      JsonObject *figures = json_object_get_object_member (transports, names[i]);

      g_assert_nonnull (figures);
      g_assert_cmpint (json_object_get_int_member (figures, "text_messages"), >, 0);
      g_assert_cmpint (json_object_get_int_member (figures, "unstamped"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (figures, "latency_p50_us"), >=, 0);
      g_assert_cmpint (json_object_get_int_member (figures, "tcp_connections"), >=, 1);
    }
  sonde_test_run_clear (&run);
  sonde_test_serve_stop (serve);
}

/* A recording of one's own, two transports, as CSV. */
static void
test_recording_csv (void)
{
  g_autofree char *recording = data_path ("timeline-drops.sonde.jsonl");
  const char * const args[] = { recording, "--duration", "0.5", "--transports", "poll,sse",
                                "--format", "csv", NULL };
  SondeTestRun run;

  g_assert_cmpint (sonde_test_run_sonde (&run, "compare", args), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "\"Section\",\"Measured\",\"SSE\",\"Long polling\"\r\n"));
  sonde_test_run_clear (&run);
}

static void
test_usage (void)
{
  g_autofree char *recording = data_path ("timeline-drops.sonde.jsonl");
  const char * const bad_format[] = { "--format", "yaml", NULL };
  const char * const bad_transports[] = { "--transports", "sse,smoke", NULL };
  const char * const no_time[] = { "--duration", "0", NULL };
  const char * const negative[] = { "--drop-every", "-1", NULL };
  const char * const two[] = { recording, recording, NULL };
  const char * const tls[] = { "--sse", "https://127.0.0.1:1/sse", NULL };
  const char * const not_url[] = { "--ws", "ws://[::1", NULL };
  const char * const unknown[] = { "--colour", NULL };
  const char * const * const cases[] = { bad_format, bad_transports, no_time, negative, two, tls,
                                         not_url, unknown };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeTestRun run;

      g_assert_cmpint (sonde_test_run_sonde (&run, "compare", cases[i]), ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "sonde compare: "));
      /* One sentence on one line, and no table. */
      g_assert_cmpuint (strlen (run.err), >, 20);
      g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, (gssize)strlen (run.err) - 1);
      g_assert_cmpstr (run.out, ==, "");
      sonde_test_run_clear (&run);
    }

  {
    const char * const missing[] = { "/nonexistent/feed.jsonl", "--duration", "1", NULL };
    SondeTestRun run;

    g_assert_cmpint (sonde_test_run_sonde (&run, "compare", missing), ==, 1);
    g_assert_true (g_str_has_prefix (run.err, "sonde compare: "));
    sonde_test_run_clear (&run);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/cli-compare/demo-markdown", test_demo_markdown);
  g_test_add_func ("/sonde/cli-compare/urls-json", test_urls_json);
  g_test_add_func ("/sonde/cli-compare/recording-csv", test_recording_csv);
  g_test_add_func ("/sonde/cli-compare/usage", test_usage);

  return g_test_run ();
}

/* sonde-cli-serve.c: `sonde serve [RECORDING]`: the mock server, headless, until Ctrl-C
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <math.h>

#include "sonde-cli-private.h"
#include "sonde-demo.h"
#include "sonde-mock-server.h"
#include "sonde-recording-reader.h"

typedef struct
{
  GMainLoop *loop;
  int        status;
  gboolean   output_failed;
} Serve;

/* Standard output is the server's log; when it cannot be written the
 * server stops, quietly if its reader went away. */
static void
output_failed (Serve        *serve,
               const GError *error)
{
  if (serve->output_failed)
    return;

  serve->output_failed = TRUE;
  serve->status = sonde_cli_output_failed ("sonde serve", error);
  g_main_loop_quit (serve->loop);
}

/* @message quotes what clients sent (a Last-Event-ID, a resume message):
 * printed through sonde_cli_print(), it cannot drive the terminal. */
static void
client_event_cb (SondeMockServer *server,
                 const char      *message,
                 gpointer         user_data)
{
  Serve *serve = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%H:%M:%S");
  g_autoptr(GError) error = NULL;

  if (!sonde_cli_print (&error, "%s.%03d  %s\n", stamp, g_date_time_get_microsecond (now) / 1000,
                        message))
    output_failed (serve, error);
}

static gboolean
quit_cb (gpointer user_data)
{
  Serve *serve = user_data;

  g_main_loop_quit (serve->loop);
  return G_SOURCE_CONTINUE;
}

int
sonde_cli_serve (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SondeMockServer) server = NULL;
  g_autoptr(SondeMockFaults) faults = NULL;
  g_autoptr(SondeEventLog) recording = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autofree char *path = NULL;
  g_autofree char *address = NULL;
  g_autofree char *close_reason = NULL;
  g_autofree char *sse_content_type = NULL;
  g_autofree char *broken_name = NULL;
  g_autofree char *sse_url = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *publish_url = NULL;
  g_auto(GStrv) rest = NULL;
  int port = 0;
  double speed = 1.0;
  gboolean loop_flag = FALSE;
  int drop_after = 0, stall_after = 0, close_after = 0, close_code = 0;
  int retry = -1, sse_status = 0, ws_refuse = 0, broken_after = 1;
  double drop_every = 0, stall = 0;
  gint64 max_message_size = SONDE_MOCK_DEFAULT_MAX_MESSAGE_SIZE;
  double request_timeout = SONDE_MOCK_DEFAULT_REQUEST_TIMEOUT_MS / 1000.0;
  SondeMockBroken broken = SONDE_MOCK_BROKEN_NONE;
  guint sigint_id, sigterm_id;
  Serve serve = { 0 };
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Listen on port P (default: a free one)"), N_("P") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
      N_("Listen on this address instead of 127.0.0.1"), N_("ADDRESS") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("Replay at X times the recorded pace; 0 sends as fast as clients read"), N_("X") },
    { "loop", 0, 0, G_OPTION_ARG_NONE, &loop_flag, N_("Start over at the end of the recording"), NULL },
    { "drop-after", 0, 0, G_OPTION_ARG_INT, &drop_after,
      N_("Fault: drop each connection without a goodbye after N events"), N_("N") },
    { "drop-every", 0, 0, G_OPTION_ARG_DOUBLE, &drop_every,
      N_("Fault: drop each connection without a goodbye every S seconds"), N_("S") },
    { "stall-after", 0, 0, G_OPTION_ARG_INT, &stall_after,
      N_("Fault: after N events, stall (see --stall)"), N_("N") },
    { "stall", 0, 0, G_OPTION_ARG_DOUBLE, &stall, N_("Fault: how long to stall, in seconds"), N_("S") },
    { "close-after", 0, 0, G_OPTION_ARG_INT, &close_after,
      N_("Fault: close WebSocket clients after N messages (see --close-code)"), N_("N") },
    { "close-code", 0, 0, G_OPTION_ARG_INT, &close_code,
      N_("WebSocket close code at the end or after --close-after (default 1000)"), N_("CODE") },
    { "close-reason", 0, 0, G_OPTION_ARG_STRING, &close_reason,
      N_("WebSocket close reason"), N_("TEXT") },
    { "retry", 0, 0, G_OPTION_ARG_INT, &retry,
      N_("Send “retry: MS” at the start of each SSE stream"), N_("MS") },
    { "sse-status", 0, 0, G_OPTION_ARG_INT, &sse_status,
      N_("Fault: answer /sse with this HTTP status (204, 500, …)"), N_("CODE") },
    { "sse-content-type", 0, 0, G_OPTION_ARG_STRING, &sse_content_type,
      N_("Fault: answer /sse with this content type"), N_("TYPE") },
    { "ws-refuse", 0, 0, G_OPTION_ARG_INT, &ws_refuse,
      N_("Fault: refuse WebSocket upgrades with this HTTP status"), N_("CODE") },
    { "broken", 0, 0, G_OPTION_ARG_STRING, &broken_name,
      N_("Fault: send a broken frame or line: bad-utf8, reserved-opcode, oversized-ping (WebSocket) "
         "or sse-line"), N_("KIND") },
    { "broken-after", 0, 0, G_OPTION_ARG_INT, &broken_after,
      N_("Send the broken frame or line after N events (default 1)"), N_("N") },
    { "max-message-size", 0, 0, G_OPTION_ARG_INT64, &max_message_size,
      N_("The largest POST /publish body and WebSocket message from a client, in bytes "
         "(default 1048576)"), N_("BYTES") },
    { "request-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &request_timeout,
      N_("Close a connection that has not sent a whole request (its headers and body) S seconds "
         "after it connected or had its last answer (default 10; 0 waits for ever)"), N_("S") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "[RECORDING]" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Replays a recording from a mock server: over SSE at /sse, over "
                                  "WebSocket at /ws, with POST /publish to send to every client. "
                                  "Without a recording, serves the bundled demo."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  argv[1] = argv[0];
  argc--;
  argv++;
  g_set_prgname ("sonde serve");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sonde_cli_printerr ("sonde serve: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }

  if (rest != NULL && rest[0] != NULL && rest[1] != NULL)
    {
      sonde_cli_printerr (_("sonde serve: give at most one recording\n"));
      return SONDE_EXIT_USAGE;
    }
  {
    /* Each number names its own option when it is out of range (NaN and infinities too). */
    const struct { const char *option; double value, min, max; } numbers[] = {
      { "port", port, 0, 65535 },
      { "speed", speed, 0, 1000 },
      { "drop-after", drop_after, 0, G_MAXINT },
      { "drop-every", drop_every, 0, 1e6 },
      { "stall-after", stall_after, 0, G_MAXINT },
      { "stall", stall, 0, 1e6 },
      { "close-after", close_after, 0, G_MAXINT },
      { "close-code", close_code, 0, 4999 },
      { "retry", retry, -1, G_MAXINT },
      { "sse-status", sse_status, 0, 599 },
      { "ws-refuse", ws_refuse, 0, 599 },
      { "broken-after", broken_after, 0, G_MAXINT },
      { "max-message-size", (double)max_message_size, 1, (double)G_MAXINT64 },
      { "request-timeout", request_timeout, 0, (double)G_MAXUINT / 1000 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
      {
        if (!sonde_cli_check_number ("sonde serve", numbers[i].option, numbers[i].value,
                                     numbers[i].min, numbers[i].max))
          return SONDE_EXIT_USAGE;
      }
  }
  if (!sonde_cli_check_one_line ("sonde serve", "sse-content-type", sse_content_type))
    return SONDE_EXIT_USAGE;
  if ((sse_status != 0 && sse_status < 100) || (ws_refuse != 0 && ws_refuse < 100))
    {
      sonde_cli_printerr (_("sonde serve: an HTTP status is a number from 100 to 599\n"));
      return SONDE_EXIT_USAGE;
    }
  if (broken_name != NULL && !sonde_mock_broken_from_string (broken_name, &broken))
    {
      sonde_cli_printerr (_("sonde serve: “%s” is not a kind of broken frame; use bad-utf8, "
                    "reserved-opcode, oversized-ping or sse-line\n"), broken_name);
      return SONDE_EXIT_USAGE;
    }

  recording = sonde_event_log_new ();
  if (rest != NULL && rest[0] != NULL)
    {
      path = g_strdup (rest[0]);
      reader = sonde_recording_reader_new_for_path (path, &error);
      if (reader == NULL || !sonde_recording_reader_load (reader, recording, &error))
        {
          sonde_cli_printerr ("sonde serve: %s\n", error->message);
          return SONDE_EXIT_FAILED;
        }
      if (sonde_recording_reader_get_warning (reader) != NULL)
        sonde_cli_printerr ("sonde serve: %s\n", sonde_recording_reader_get_warning (reader));
    }
  else if (!sonde_demo_load (recording, &error))
    {
      sonde_cli_printerr ("sonde serve: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }

  faults = sonde_mock_faults_new ();
  faults->drop_after = (guint)drop_after;
  faults->drop_every = drop_every;
  faults->stall_after = (guint)stall_after;
  faults->stall = stall;
  faults->close_after = (guint)close_after;
  faults->close_code = (guint)close_code;
  faults->retry = retry;
  faults->sse_status = (guint)sse_status;
  faults->ws_refuse = (guint)ws_refuse;
  faults->broken = broken;
  faults->broken_after = (guint)broken_after;
  server = sonde_mock_server_new (recording);
  g_object_set (server, "port", (guint)port, "speed", speed, "loop", loop_flag,
                "max-message-size", (guint64)max_message_size,
                /* Rounded up: a timeout of 0.0001 s is a timeout, not none. */
                "request-timeout", (guint)ceil (request_timeout * 1000.0), NULL);
  if (!sonde_mock_faults_set_close_reason (faults, close_reason, &error) ||
      !sonde_mock_faults_set_sse_content_type (faults, sse_content_type, &error) ||
      !sonde_mock_server_set_faults (server, faults, &error))
    {
      sonde_cli_printerr ("sonde serve: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }
  if (address != NULL)
    g_object_set (server, "address", address, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  serve.loop = loop;
  serve.status = SONDE_EXIT_OK;
  g_signal_connect (server, "client-event", G_CALLBACK (client_event_cb), &serve);

  if (!sonde_mock_server_start (server, &error))
    {
      sonde_cli_printerr ("sonde serve: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }

  if (address != NULL && !sonde_mock_address_is_loopback (address))
    sonde_cli_printerr (_("sonde serve: warning: listening on %s, not on loopback: other machines "
                  "can connect\n"), address);

  /* Before the URLs are out: whoever reads them may press Ctrl+C at once. */
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &serve);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &serve);

  sse_url = sonde_mock_server_get_url (server, "http", "/sse");
  ws_url = sonde_mock_server_get_url (server, "ws", "/ws");
  publish_url = sonde_mock_server_get_url (server, "http", "/publish");
  {
    g_autofree char *name = g_path_get_basename (path != NULL ? path : SONDE_DEMO_NAME);

    if (!sonde_cli_print (&error, _("Serving %s (%u items) at %g× speed%s\n"), name,
                          sonde_mock_server_get_n_items (server), speed,
                          loop_flag ? _(", looping") : "") ||
        !sonde_cli_print (&error, "  SSE:        %s\n", sse_url) ||
        !sonde_cli_print (&error, "  WebSocket:  %s\n", ws_url) ||
        !sonde_cli_print (&error, "  Publish:    curl -d 'hello' %s\n", publish_url) ||
        !sonde_cli_print (&error, _("Press Ctrl+C to stop.\n")))
      output_failed (&serve, error);
  }

  if (!serve.output_failed)
    g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  sonde_mock_server_stop (server);
  if (!serve.output_failed)
    {
      g_clear_error (&error);
      if (!sonde_cli_print (&error, _("Stopped.\n")))
        output_failed (&serve, error);
    }

  return serve.status;
}

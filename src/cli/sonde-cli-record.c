/* sonde-cli-record.c: `sonde record URL`: connect and write a recording as it happens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "sonde-cli-private.h"
#include "sonde-connection.h"
#include "sonde-entry.h"
#include "sonde-recording-writer.h"
#include "sonde-sse-client.h"
#include "sonde-tls.h"
#include "sonde-url.h"
#include "sonde-ws-client.h"
#include "sonde-ws-dissector.h"

typedef struct
{
  GMainLoop            *loop;
  SondeConnection      *connection;
  SondeEventLog        *log;
  SondeRecordingWriter *writer;
  guint64               written;      /* entries written so far */
  guint64               count;        /* data entries to record; 0: no limit */
  guint64               data_entries;
  gboolean              done;
  gboolean              output_failed;
  int                   status;
} Recorder;

static void
recorder_finish (Recorder *recorder,
                 int       status)
{
  if (recorder->done)
    return;

  recorder->done = TRUE;
  recorder->status = status;
  g_main_loop_quit (recorder->loop);
}

/* Writes what the log has announced and then lets go of it: a recorder
 * writes and forgets, so its memory follows the log's block size and not
 * the session's length. Position 0 of the model is the first entry the log
 * still keeps, so the end of what it announced is that entry's number plus
 * the model's length. */
static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Recorder *recorder = user_data;
  g_autoptr(GError) error = NULL;
  guint64 end;

  if (recorder->output_failed || added == 0)
    return;

  end = sonde_event_log_get_first_seq (recorder->log) + g_list_model_get_n_items (model);
  for (guint64 seq = recorder->written; seq < end; seq++)
    {
      SondeEntryView view;

      if (recorder->count > 0 && recorder->data_entries >= recorder->count)
        break;
      if (!sonde_event_log_get_view (recorder->log, seq, &view))
        break;

      sonde_recording_writer_write_entry (recorder->writer, &view);
      recorder->written = seq + 1;
      if (view.kind == SONDE_ENTRY_SSE || view.kind == SONDE_ENTRY_TEXT ||
          view.kind == SONDE_ENTRY_BINARY)
        recorder->data_entries++;
    }

  if (!sonde_recording_writer_flush (recorder->writer, &error))
    {
      int status = sonde_cli_output_failed ("sonde record", error);

      /* Said once; whatever comes after has nowhere to go. */
      recorder->output_failed = TRUE;
      if (recorder->done && status != SONDE_EXIT_OK)
        recorder->status = status;
      recorder_finish (recorder, status);
      return;
    }
  /* Written and flushed: the log may forget it. */
  sonde_event_log_release_before (recorder->log, recorder->written);

  if (recorder->count > 0 && recorder->data_entries >= recorder->count)
    recorder_finish (recorder, SONDE_EXIT_OK);
}

static void
state_cb (SondeConnection *connection,
          GParamSpec      *pspec,
          gpointer         user_data)
{
  Recorder *recorder = user_data;

  switch (sonde_connection_get_state (connection))
    {
    case SONDE_CONNECTION_CLOSED:
      recorder_finish (recorder, SONDE_EXIT_OK);
      break;

    case SONDE_CONNECTION_FAILED:
      recorder_finish (recorder, SONDE_EXIT_FAILED);
      break;

    case SONDE_CONNECTION_IDLE:
    case SONDE_CONNECTION_CONNECTING:
    case SONDE_CONNECTION_OPEN:
    case SONDE_CONNECTION_WAITING:
    default:
      break;
    }
}

static gboolean
duration_cb (gpointer user_data)
{
  recorder_finish (user_data, SONDE_EXIT_OK);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer user_data)
{
  recorder_finish (user_data, SONDE_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

static gboolean
add_headers (SondeConnection  *connection,
             char            **headers,
             GError          **error)
{
  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      const char *colon = strchr (headers[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL || colon == headers[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a header; write it as -H 'Name: value'"), headers[i]);
          return FALSE;
        }

      name = g_strstrip (g_strndup (headers[i], colon - headers[i]));
      value = g_strstrip (g_strdup (colon + 1));
      if (name[0] == '\0' || strpbrk (name, " \t\r\n") != NULL || strpbrk (value, "\r\n") != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a header; write it as -H 'Name: value'"), headers[i]);
          return FALSE;
        }
      sonde_connection_add_header (connection, name, value);
    }

  return TRUE;
}

int
sonde_cli_record (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SondeConnection) connection = NULL;
  g_autoptr(SondeEventLog) log = NULL;
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autofree char *output = NULL;
  g_autofree char *reconnect = NULL;
  g_autofree char *accept_certificate = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *resume_message = NULL;
  g_autofree char *resume_path = NULL;
  g_autofree char *resume_query = NULL;
  g_auto(GStrv) protocols = NULL;
  g_auto(GStrv) sends = NULL;
  gboolean deflate = FALSE;
  gboolean keep_credentials = FALSE;
  gboolean any_close = FALSE;
  gint64 keepalive = 0;
  g_auto(GStrv) headers = NULL;
  g_auto(GStrv) rest = NULL;
  gint64 count = 0;
  double duration = 0;
  double timeout = SONDE_CONNECTION_DEFAULT_TIMEOUT_MS / 1000.0;
  gint64 max_size = G_MININT64;   /* not given */
  gboolean max_size_given;
  SondeTransport transport;
  SondeReconnectPolicy policy;
  Recorder recorder = { 0 };
  guint sigint_id, sigterm_id, duration_id = 0;
  gulong items_id, state_id;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the recording to FILE instead of standard output (“-” is standard output)"),
      N_("FILE") },
    { "count", 0, 0, G_OPTION_ARG_INT64, &count,
      N_("Stop after N data entries (SSE events, WebSocket messages)"), N_("N") },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration,
      N_("Stop after S seconds"), N_("S") },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &headers,
      N_("Send a request header; may repeat"), N_("'Name: value'") },
    { "reconnect", 0, 0, G_OPTION_ARG_STRING, &reconnect,
      N_("Reconnect policy: spec (SSE's retry delay, as browsers do), none (the default for "
         "WebSocket), fixed:MS or backoff[:initial=MS,cap=MS,factor=X,jitter=X,attempts=N]"),
      N_("POLICY") },
    { "accept-certificate", 0, 0, G_OPTION_ARG_STRING, &accept_certificate,
      N_("Accept a TLS certificate with these problems only: unknown-ca, bad-identity, "
         "not-activated, expired, revoked, insecure, generic-error (comma-separated)"),
      N_("PROBLEMS") },
    { "keep-credentials", 0, 0, G_OPTION_ARG_NONE, &keep_credentials,
      N_("Write cookies, authorization headers and the user and password of URLs into the "
         "recording; by default each becomes “[removed by Sonde]”"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout,
      N_("Give up an attempt that has not connected and had its answer (the HTTP response, "
         "the WebSocket upgrade) after S seconds; the reconnect policy decides what next "
         "(default 30; 0 waits for ever)"), N_("S") },
    { "max-size", 0, 0, G_OPTION_ARG_INT64, &max_size,
      N_("Largest SSE line or event, or WebSocket message, kept in bytes, from 1 to 1073741824 "
         "(default 16 MiB for SSE, 64 MiB for WebSocket)"), N_("BYTES") },
    { "protocol", 0, 0, G_OPTION_ARG_STRING_ARRAY, &protocols,
      N_("WebSocket: offer this subprotocol; may repeat"), N_("NAME") },
    { "send", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sends,
      N_("WebSocket: send this text after every open; may repeat"), N_("TEXT") },
    { "origin", 0, 0, G_OPTION_ARG_STRING, &origin,
      N_("WebSocket: send this Origin header"), N_("ORIGIN") },
    { "deflate", 0, 0, G_OPTION_ARG_NONE, &deflate,
      N_("WebSocket: offer permessage-deflate compression"), NULL },
    { "keepalive", 0, 0, G_OPTION_ARG_INT64, &keepalive,
      N_("WebSocket: ping every MS milliseconds; each pong shows its round trip"), N_("MS") },
    { "reconnect-on-any-close", 0, 0, G_OPTION_ARG_NONE, &any_close,
      N_("WebSocket: let the reconnect policy act after a normal close too, not only after "
         "an abnormal one"), NULL },
    { "resume-path", 0, 0, G_OPTION_ARG_STRING, &resume_path,
      N_("WebSocket: where incoming JSON messages carry their id, such as id or data.seq"),
      N_("PATH") },
    { "resume-message", 0, 0, G_OPTION_ARG_STRING, &resume_message,
      N_("WebSocket: text sent after every open once an id was seen, with {{last_id}} "
         "replaced by it"), N_("TEXT") },
    { "resume-query", 0, 0, G_OPTION_ARG_STRING, &resume_query,
      N_("WebSocket: also add the last id to the URL as this query parameter"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, "URL" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Connects to an SSE (http, https) or WebSocket (ws, wss) URL and "
                                  "writes every entry of its timeline as recording format v1, "
                                  "one JSON line per entry, as it happens."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* argv[0] stays the program; the subcommand name goes. */
  argv[1] = argv[0];
  argc--;
  argv++;
  g_set_prgname ("sonde record");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sonde_cli_printerr ("sonde record: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }

  max_size_given = max_size != G_MININT64;
  if (!max_size_given)
    max_size = 0;

  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      sonde_cli_printerr (_("sonde record: give exactly one URL, for example "
                    "sonde record https://example.com/events -o events.jsonl\n"));
      return SONDE_EXIT_USAGE;
    }

  /* --max-size 0 would be no room at all, not “no limit”: refused, as 0 is
   * by sonde_ws_client_set_max_size() and sonde_sse_client_set_max_size().
   * Above 1 GiB is refused for both transports, as the WebSocket client's
   * setter does (libsoup's buffers stop at 4 GiB, and a message may be held
   * twice). */
  if (!sonde_cli_check_number ("sonde record", "count", (double)count, 0, (double)G_MAXINT64) ||
      !sonde_cli_check_number ("sonde record", "duration", duration, 0, (double)G_MAXUINT / 1000) ||
      !sonde_cli_check_number ("sonde record", "timeout", timeout, 0, (double)G_MAXUINT / 1000) ||
      (max_size_given && !sonde_cli_check_number ("sonde record", "max-size", (double)max_size, 1,
                                                  (double)SONDE_WS_MAX_SIZE_LIMIT)) ||
      !sonde_cli_check_number ("sonde record", "keepalive", (double)keepalive, 0, G_MAXUINT))
    return SONDE_EXIT_USAGE;
  if (!sonde_cli_check_one_line ("sonde record", "origin", origin))
    return SONDE_EXIT_USAGE;
  for (guint i = 0; protocols != NULL && protocols[i] != NULL; i++)
    {
      if (!sonde_cli_check_one_line ("sonde record", "protocol", protocols[i]))
        return SONDE_EXIT_USAGE;
    }

  if (!sonde_url_parse (rest[0], &transport, NULL, &error))
    {
      sonde_cli_printerr (_("sonde record: %s: %s\n"), rest[0], error->message);
      return SONDE_EXIT_USAGE;
    }

  if (transport == SONDE_TRANSPORT_SSE &&
      (protocols != NULL || sends != NULL || origin != NULL || deflate || keepalive != 0 ||
       any_close || resume_path != NULL || resume_message != NULL || resume_query != NULL))
    {
      sonde_cli_printerr (_("sonde record: --protocol, --send, --origin, --deflate, --keepalive, "
                    "--reconnect-on-any-close and --resume-* are for ws:// and wss:// URLs\n"));
      return SONDE_EXIT_USAGE;
    }
  if ((resume_message != NULL || resume_query != NULL) && resume_path == NULL)
    {
      sonde_cli_printerr (_("sonde record: --resume-message and --resume-query need --resume-path, "
                    "to know where messages carry their id\n"));
      return SONDE_EXIT_USAGE;
    }

  sonde_reconnect_policy_init_spec (&policy);
  if (reconnect != NULL && !sonde_reconnect_policy_parse (reconnect, &policy, &error))
    {
      sonde_cli_printerr ("sonde record: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }
  /* Browsers reconnect an EventSource by themselves, never a WebSocket. */
  if (reconnect == NULL && transport == SONDE_TRANSPORT_WEBSOCKET)
    policy.mode = SONDE_RECONNECT_NONE;

  /* “-” is standard output, as for most tools that take an output file. */
  if (output != NULL && !g_str_equal (output, "-"))
    writer = sonde_recording_writer_new_for_path (output, &error);
  else
    writer = sonde_recording_writer_new_for_fd (STDOUT_FILENO, FALSE);
  if (writer != NULL)
    sonde_recording_writer_set_keep_credentials (writer, keep_credentials);
  if (writer == NULL)
    {
      sonde_cli_printerr ("sonde record: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }

  log = sonde_event_log_new ();
  {
    g_autofree char *url = g_strstrip (g_strdup (rest[0]));

    if (transport == SONDE_TRANSPORT_SSE)
      {
        SondeSseClient *client = sonde_sse_client_new (url, log);

        if (max_size > 0)
          sonde_sse_client_set_max_size (client, (gsize)max_size);
        connection = SONDE_CONNECTION (client);
      }
    else
      {
        SondeWsClient *client = sonde_ws_client_new (url, log);

        for (guint i = 0; protocols != NULL && protocols[i] != NULL && error == NULL; i++)
          sonde_ws_client_add_protocol (client, protocols[i], &error);
        for (guint i = 0; sends != NULL && sends[i] != NULL; i++)
          sonde_ws_client_add_open_message (client, sends[i]);
        if (error == NULL)
          sonde_ws_client_set_origin (client, origin, &error);
        sonde_ws_client_set_offer_deflate (client, deflate);
        sonde_ws_client_set_keepalive (client, (guint)keepalive);
        sonde_ws_client_set_reconnect_on_any_close (client, any_close);
        sonde_ws_client_set_resume (client, resume_message, resume_path, resume_query);
        if (max_size > 0)
          sonde_ws_client_set_max_size (client, (gsize)max_size);
        connection = SONDE_CONNECTION (client);
      }
    sonde_recording_writer_write_header (writer, transport, url,
                                         sonde_event_log_get_started_at (log));
  }

  if (error != NULL || !add_headers (connection, headers, &error))
    {
      sonde_cli_printerr ("sonde record: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }
  sonde_connection_set_policy (connection, &policy);
  /* Rounded up: a timeout of 0.0001 s is a timeout, not none. */
  sonde_connection_set_timeout (connection, (guint)ceil (timeout * 1000.0));

  if (accept_certificate != NULL)
    {
      GTlsCertificateFlags accepted;

      if (!sonde_tls_flags_parse (accept_certificate, &accepted, &error))
        {
          sonde_cli_printerr ("sonde record: %s\n", error->message);
          return SONDE_EXIT_USAGE;
        }
      sonde_connection_set_accepted_certificate_errors (connection, accepted);
    }

  if (!sonde_recording_writer_flush (writer, &error))
    return sonde_cli_output_failed ("sonde record", error);

  loop = g_main_loop_new (NULL, FALSE);
  recorder.loop = loop;
  recorder.connection = connection;
  recorder.log = log;
  recorder.writer = writer;
  recorder.count = (guint64)count;

  items_id = g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), &recorder);
  state_id = g_signal_connect (connection, "notify::state", G_CALLBACK (state_cb), &recorder);
  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &recorder);
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &recorder);
  if (duration > 0)
    duration_id = g_timeout_add ((guint)MIN (duration * 1000.0, (double)G_MAXUINT), duration_cb,
                                 &recorder);

  sonde_connection_start (connection);
  if (!recorder.done)
    g_main_loop_run (loop);

  /* Whatever is still in the log (the entries that ended it) goes out too. */
  g_signal_handler_disconnect (connection, state_id);
  sonde_connection_stop (connection);
  sonde_event_log_flush_notify (log);
  g_signal_handler_disconnect (log, items_id);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (duration_id != 0 && !g_main_context_find_source_by_id (NULL, duration_id))
    duration_id = 0;
  g_clear_handle_id (&duration_id, g_source_remove);

  /* A failed output was reported (or, for a reader that went away, not)
   * when it failed; the connection has nothing more to say then. */
  if (recorder.output_failed)
    return recorder.status;
  if (!sonde_recording_writer_close (writer, &error) &&
      sonde_cli_output_failed ("sonde record", error) != SONDE_EXIT_OK)
    return SONDE_EXIT_FAILED;

  if (recorder.status == SONDE_EXIT_FAILED && sonde_connection_get_error (connection) != NULL)
    sonde_cli_printerr ("sonde record: %s\n", sonde_connection_get_error (connection)->message);

  return recorder.status;
}

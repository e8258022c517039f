/* sonde-cli-compare.c: `sonde compare`: SSE, WebSocket and long polling on one feed, measured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "sonde-cli-private.h"
#include "sonde-compare.h"

#define COMMAND "sonde compare"

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Run;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->ok = sonde_comparison_run_finish (SONDE_COMPARISON (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
sonde_cli_compare (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeComparison) comparison = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(GStrv) rest = NULL;
  g_autofree char *transports_text = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *sse_url = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *poll_url = NULL;
  g_autofree char *output = NULL;
  SondeCompareOptions options;
  SondeCompareFormat format = SONDE_COMPARE_FORMAT_TEXT;
  double duration = 10, drop_every = 0, speed = 1, send_every = 0;
  Run run = { 0 };
  guint interrupt;
  const GOptionEntry entries[] = {
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration,
      N_("How long the comparison runs, in seconds (default 10)"), N_("S") },
    { "drop-every", 0, 0, G_OPTION_ARG_DOUBLE, &drop_every,
      N_("The mock server drops every connection this often, in seconds (default: never)"),
      N_("S") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("The mock server replays at this multiple of the recorded pace (default 1)"), N_("X") },
    { "send-every", 0, 0, G_OPTION_ARG_DOUBLE, &send_every,
      N_("The clients send a message back this often, in seconds: a WebSocket frame, an HTTP "
         "POST for SSE and long polling (default: never)"), N_("S") },
    { "transports", 0, 0, G_OPTION_ARG_STRING, &transports_text,
      N_("Which to compare, separated by commas (default sse,ws,poll)"), N_("LIST") },
    { "sse", 0, 0, G_OPTION_ARG_STRING, &sse_url,
      N_("Compare this SSE endpoint instead of the built-in mock server’s"), N_("URL") },
    { "ws", 0, 0, G_OPTION_ARG_STRING, &ws_url,
      N_("Compare this WebSocket endpoint instead of the built-in mock server’s"), N_("URL") },
    { "poll", 0, 0, G_OPTION_ARG_STRING, &poll_url,
      N_("Compare this long-polling endpoint instead of the built-in mock server’s"), N_("URL") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("How to print the table: text, markdown, csv or json (default text)"), N_("FORMAT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("[RECORDING]") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Connects to the same feed over SSE, WebSocket and long polling "
                                  "at once (by default the built-in mock server, replaying the "
                                  "recording or the demo), and prints what each cost, measured: "
                                  "bytes, latency, reconnection, sending back, connections; then a "
                                  "verdict drawn from those figures."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  argv[1] = argv[0];
  argc--;
  argv++;
  g_set_prgname (COMMAND);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sonde_cli_printerr (COMMAND ": %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }

  sonde_compare_options_init (&options);
  if (transports_text != NULL &&
      !sonde_compare_parse_transports (transports_text, &options.transports, &error))
    {
      sonde_cli_printerr (COMMAND ": %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }
  if (format_text != NULL && !sonde_compare_parse_format (format_text, &format))
    {
      sonde_cli_printerr (_("sonde compare: “%s” is not a format; use text, markdown, csv or "
                            "json\n"), format_text);
      return SONDE_EXIT_USAGE;
    }
  if (rest != NULL && rest[0] != NULL && rest[1] != NULL)
    {
      sonde_cli_printerr (_("sonde compare: give at most one recording\n"));
      return SONDE_EXIT_USAGE;
    }

  options.duration = duration;
  options.drop_every = drop_every;
  options.speed = speed;
  options.send_every = send_every;
  options.urls[SONDE_COMPARE_SSE] = g_steal_pointer (&sse_url);
  options.urls[SONDE_COMPARE_WS] = g_steal_pointer (&ws_url);
  options.urls[SONDE_COMPARE_POLL] = g_steal_pointer (&poll_url);
  /* Read by the run: a recording it cannot read fails the run (status 1), not the options. */
  if (rest != NULL && rest[0] != NULL)
    options.recording_path = g_strdup (rest[0]);
  /* The window's Compare tab judges the same options with the same words. */
  if (!sonde_compare_options_check (&options, &error))
    {
      sonde_cli_printerr (COMMAND ": %s\n", error->message);
      sonde_compare_options_clear (&options);
      return SONDE_EXIT_USAGE;
    }

  comparison = sonde_comparison_new (&options);
  sonde_compare_options_clear (&options);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  interrupt = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  sonde_comparison_run_async (comparison, cancellable, run_cb, &run);
  g_main_loop_run (loop);
  g_source_remove (interrupt);

  if (!run.ok)
    {
      sonde_cli_printerr (COMMAND ": %s\n", run.error->message);
      g_clear_error (&run.error);
      return SONDE_EXIT_FAILED;
    }

  output = sonde_comparison_format (comparison, format);
  if (!sonde_cli_write_stdout (output, strlen (output), &error))
    return sonde_cli_output_failed (COMMAND, error);
  return SONDE_EXIT_OK;
}

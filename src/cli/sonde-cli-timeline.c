/* sonde-cli-timeline.c: `sonde timeline RECORDING -o FILE.png|FILE.svg`: the timeline as a picture, headless
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "sonde-cli-private.h"
#include "sonde-credentials.h"
#include "sonde-error.h"
#include "sonde-recording-reader.h"
#include "sonde-timeline-axis.h"
#include "sonde-timeline-render.h"

/* Cairo's image surfaces stop at 32767 pixels a side. */
#define MAX_SIDE 32767
#define MIN_SIDE 200
/* A PNG is drawn whole in memory, four bytes a pixel: 64 million pixels
 * (256 MB) at most, on a machine others share. An SVG has no such cost. */
#define MAX_PNG_PIXELS (G_GINT64_CONSTANT (64) * 1000 * 1000)

static void
print_error (const char   *name,
             const GError *error)
{
  /* The reader's messages say the line; the file name goes in front. */
  if (error->domain == SONDE_ERROR)
    g_printerr ("sonde timeline: %s: %s\n", name, error->message);
  else
    g_printerr ("sonde timeline: %s\n", error->message);
}

static char *
describe_session (const SondeRecordingHeader *header,
                  SondeTimelineSummary       *summary,
                  gint64                      from_us,
                  gint64                      to_us)
{
  g_autofree char *stamp = g_date_time_format (header->started_at, "%Y-%m-%d %H:%M:%S UTC");
  g_autofree char *totals = sonde_timeline_describe_totals (summary);
  char from[64];
  char to[64];

  sonde_timeline_format_range (from_us, to_us, from, to, sizeof from);

  /* Translators: under a timeline picture: the transport, when it started,
   * what it holds (“759 entries, 2 problems, 3 reconnects”), then the range
   * shown in seconds since the start */
  return g_strdup_printf (_("%s, started %s · %s · shown from %s s to %s s"),
                          header->transport == SONDE_TRANSPORT_SSE ? "SSE" : "WebSocket",
                          stamp, totals, from, to);
}

static gboolean
parse_seconds (const char *text,
               gint64     *us)
{
  char *end = NULL;
  double seconds;

  if (text == NULL)
    return FALSE;
  seconds = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (seconds) || ABS (seconds) > 1e9)
    return FALSE;
  *us = (gint64)(seconds * G_USEC_PER_SEC);
  return TRUE;
}

int
sonde_cli_timeline (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(SondeEventLog) log = NULL;
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autoptr(GFile) file = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *output = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *output_name = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const SondeRecordingHeader *header;
  SondeTimelineOptions options;
  gint64 first_us = 0;
  gint64 last_us = 0;
  char first[64];
  char last[64];
  SondeTimelineFileFormat format = SONDE_TIMELINE_FILE_PNG;
  gint width = 1200;
  gint height = 360;
  gboolean dark = FALSE;
  gboolean clock = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the picture: a name ending in .png or .svg"), N_("FILE") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Width in pixels (default 1200)"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, N_("Height in pixels (default 360)"), N_("H") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Start of the range shown, in seconds since the session started (default: its start)"),
      N_("S") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("End of the range shown, in seconds since the session started (default: its last entry)"),
      N_("S") },
    { "clock", 0, 0, G_OPTION_ARG_NONE, &clock,
      N_("Label the axis with the local time of day instead of the time since the start"), NULL },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, N_("Light text on a dark background"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("RECORDING") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Draws a recording’s timeline as a PNG or SVG picture: the "
                                  "connection’s states, every entry received (above the band) "
                                  "and sent (below it), the rates, and where the stream "
                                  "recovered."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* argv[0] stays the program; the subcommand name goes. */
  argv[1] = argv[0];
  argc--;
  argv++;
  g_set_prgname ("sonde timeline");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sonde timeline: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }

  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      g_printerr (_("sonde timeline: give exactly one recording, for example "
                    "sonde timeline events.jsonl -o events.png\n"));
      return SONDE_EXIT_USAGE;
    }
  if (output == NULL)
    {
      g_printerr (_("sonde timeline: say where the picture goes with -o FILE.png or -o FILE.svg\n"));
      return SONDE_EXIT_USAGE;
    }
  if (!sonde_timeline_file_format_from_name (output, &format))
    {
      output_name = g_filename_display_name (output);
      g_printerr (_("sonde timeline: “%s” ends neither in .png nor in .svg\n"), output_name);
      return SONDE_EXIT_USAGE;
    }
  if (width < MIN_SIDE || width > MAX_SIDE || height < MIN_SIDE / 2 || height > MAX_SIDE)
    {
      g_printerr (_("sonde timeline: the width must be from %d to %d pixels and the height "
                    "from %d to %d\n"), MIN_SIDE, MAX_SIDE, MIN_SIDE / 2, MAX_SIDE);
      return SONDE_EXIT_USAGE;
    }
  if (format == SONDE_TIMELINE_FILE_PNG && (gint64)width * height > MAX_PNG_PIXELS)
    {
      g_printerr (_("sonde timeline: a PNG of %d × %d pixels would take %lld MB to draw; "
                    "ask for at most %d million pixels, or write an SVG\n"), width, height,
                  (long long)((gint64)width * height * 4 / 1000000),
                  (int)(MAX_PNG_PIXELS / 1000000));
      return SONDE_EXIT_USAGE;
    }

  sonde_timeline_options_init (&options);
  if (from_text != NULL && !parse_seconds (from_text, &options.from_us))
    {
      g_printerr (_("sonde timeline: --from wants seconds, such as 12.5, not “%s”\n"), from_text);
      return SONDE_EXIT_USAGE;
    }
  if (to_text != NULL && !parse_seconds (to_text, &options.to_us))
    {
      g_printerr (_("sonde timeline: --to wants seconds, such as 12.5, not “%s”\n"), to_text);
      return SONDE_EXIT_USAGE;
    }
  if (from_text != NULL && to_text != NULL && options.to_us <= options.from_us)
    {
      g_printerr (_("sonde timeline: --to must come after --from\n"));
      return SONDE_EXIT_USAGE;
    }

  name = g_filename_display_name (rest[0]);
  reader = sonde_recording_reader_new_for_path (rest[0], &error);
  if (reader == NULL)
    {
      print_error (name, error);
      return SONDE_EXIT_FAILED;
    }
  log = sonde_event_log_new ();
  if (!sonde_recording_reader_load (reader, log, &error))
    {
      print_error (name, error);
      return SONDE_EXIT_FAILED;
    }
  if (sonde_recording_reader_get_warning (reader) != NULL)
    g_printerr ("sonde timeline: %s: %s\n", name, sonde_recording_reader_get_warning (reader));

  header = sonde_recording_reader_get_header (reader);
  summary = sonde_timeline_summary_new (log);
  sonde_timeline_summary_get_span (summary, &first_us, &last_us);

  /* The whole session by default, from its start, with a little room after
   * the last entry so that it does not sit on the edge. */
  if (from_text == NULL)
    options.from_us = MIN (0, first_us);
  if (to_text == NULL)
    {
      gint64 span = MAX (last_us - options.from_us, G_USEC_PER_SEC);

      options.to_us = options.from_us + span + span / 25;
    }
  sonde_timeline_format_range (first_us, last_us, first, last, sizeof first);
  if (options.to_us <= options.from_us)
    {
      /* Only --to was given, before the session's start. */
      g_printerr (_("sonde timeline: --to must come after the recording’s start (%s s)\n"), first);
      return SONDE_EXIT_USAGE;
    }
  /* A range that misses every entry draws an empty band: say so instead. */
  if (sonde_event_log_get_n_entries (log) > 0 &&
      (options.to_us < first_us || options.from_us > last_us))
    {
      char from[64];
      char to[64];

      sonde_timeline_format_range (options.from_us, options.to_us, from, to, sizeof from);
      /* Translators: the range asked for with --from and --to, then the recording's, in
       * seconds since the start */
      g_printerr (_("sonde timeline: nothing happened from %s s to %s s: the recording’s "
                    "entries are from %s s to %s s\n"), from, to, first, last);
      return SONDE_EXIT_USAGE;
    }

  options.end_us = G_MININT64;
  options.dark = dark;
  options.legend = TRUE;
  options.margin = 16;
  options.time_format = clock ? SONDE_TIME_FORMAT_CLOCK : SONDE_TIME_FORMAT_RELATIVE;
  options.clock_origin = sonde_entry_text_clock_origin (header->started_at);
  /* A picture travels further than a recording (one made with
   * --keep-credentials has them in its URL): never with a password, as the
   * window's Export Image. */
  {
    g_autofree char *url = sonde_credentials_remove_from_url (header->url);

    title = g_utf8_make_valid (url, -1);
  }
  options.title = title;
  subtitle = describe_session (header, summary, options.from_us, options.to_us);
  options.subtitle = subtitle;

  file = g_file_new_for_commandline_arg (output);
  if (!sonde_timeline_render_to_file (file, width, height, &summary, NULL, 1, &options, &error))
    {
      g_printerr ("sonde timeline: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }

  return SONDE_EXIT_OK;
}

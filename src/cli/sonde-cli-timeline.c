/* sonde-cli-timeline.c: `sonde timeline RECORDING -o FILE.png|FILE.svg`: the timeline as a picture, headless
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <cairo-svg.h>
#include <glib/gi18n-lib.h>

#include "sonde-cli-private.h"
#include "sonde-error.h"
#include "sonde-recording-reader.h"
#include "sonde-timeline-render.h"

/* Cairo's image surfaces stop at 32767 pixels a side. */
#define MAX_SIDE 32767
#define MIN_SIDE 200

typedef struct
{
  GOutputStream *out;
  GError        *error;
} Writer;

/* Cairo writes through this, so that a full disk or a missing folder comes
 * back as GIO's own words rather than cairo's "error while writing". */
static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Writer *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (writer->out, data, length, NULL, NULL, &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

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

  g_ascii_formatd (from, sizeof from, "%.3f", from_us / (double)G_USEC_PER_SEC);
  g_ascii_formatd (to, sizeof to, "%.3f", to_us / (double)G_USEC_PER_SEC);

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
  g_autoptr(GFileOutputStream) stream = NULL;
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
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  Writer writer = { 0 };
  gint64 first_us = 0;
  gint64 last_us = 0;
  gint width = 1200;
  gint height = 360;
  gboolean dark = FALSE;
  gboolean clock = FALSE;
  gboolean svg;
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
  svg = g_str_has_suffix (output, ".svg") || g_str_has_suffix (output, ".SVG");
  if (!svg && !g_str_has_suffix (output, ".png") && !g_str_has_suffix (output, ".PNG"))
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
  if (options.to_us <= options.from_us)
    {
      g_printerr (_("sonde timeline: --from must come before the end of the range (%.3f s)\n"),
                  options.to_us / (double)G_USEC_PER_SEC);
      return SONDE_EXIT_USAGE;
    }

  options.end_us = G_MININT64;
  options.dark = dark;
  options.legend = TRUE;
  options.margin = 16;
  options.time_format = clock ? SONDE_TIME_FORMAT_CLOCK : SONDE_TIME_FORMAT_RELATIVE;
  options.clock_origin = sonde_entry_text_clock_origin (header->started_at);
  title = g_utf8_make_valid (header->url, -1);
  options.title = title;
  subtitle = describe_session (header, summary, options.from_us, options.to_us);
  options.subtitle = subtitle;

  file = g_file_new_for_commandline_arg (output);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (stream == NULL)
    {
      g_printerr ("sonde timeline: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }
  writer.out = G_OUTPUT_STREAM (stream);

  if (svg)
    {
      surface = cairo_svg_surface_create_for_stream (write_cb, &writer, width, height);
      /* Pixels, as asked, rather than cairo's default points. */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
    }
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  sonde_timeline_render (cr, width, height, &summary, NULL, 1, &options, NULL);
  cairo_destroy (cr);
  if (svg)
    cairo_surface_finish (surface);
  else
    cairo_surface_write_to_png_stream (surface, write_cb, &writer);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer.error == NULL && status != CAIRO_STATUS_SUCCESS)
    writer.error = g_error_new (SONDE_ERROR, SONDE_ERROR_FAILED, _("Could not draw the picture: %s"),
                                cairo_status_to_string (status));
  if (writer.error == NULL)
    g_output_stream_close (writer.out, NULL, &writer.error);
  if (writer.error != NULL)
    {
      output_name = g_filename_display_name (output);
      g_printerr ("sonde timeline: %s: %s\n", output_name, writer.error->message);
      g_clear_error (&writer.error);
      /* A half-written picture is no picture: closing a replacement with a
       * cancelled cancellable drops it and keeps what was there before. */
      {
        g_autoptr(GCancellable) cancel = g_cancellable_new ();

        g_cancellable_cancel (cancel);
        g_output_stream_close (writer.out, cancel, NULL);
      }
      return SONDE_EXIT_FAILED;
    }

  return SONDE_EXIT_OK;
}

/* sonde-cli-convert.c: `sonde convert IN OUT`: HAR files to Sonde recordings and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sonde-cli-private.h"
#include "sonde-error.h"
#include "sonde-har.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"

/* The output goes to a hidden file next to OUT, which takes OUT's name only
 * once everything is written: a failure leaves OUT as it was. OUT "-" is
 * standard output, written as it comes. */
typedef struct
{
  char     *path;          /* OUT, as given */
  char     *display;       /* OUT, for messages */
  char     *temp_path;
  int       fd;
  gboolean  to_stdout;
} Output;

/* IN is read where it is when it is a regular file (a recording is read as
 * a stream, never whole); anything else (standard input for "-", a pipe, a
 * device) is read once, whole, and told apart in memory, since it cannot be
 * opened a second time. */
typedef struct
{
  const char *path;
  char       *display;
  GBytes     *bytes;       /* NULL: read from path */
} Input;

static void
input_clear (Input *input)
{
  g_free (input->display);
  g_clear_pointer (&input->bytes, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Input, input_clear)

static gboolean
input_read_all (Input *input,
                int    fd)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  for (;;)
    {
      gssize n;

      g_byte_array_set_size (data, data->len + 64 * 1024);
      do
        n = read (fd, data->data + data->len - 64 * 1024, 64 * 1024);
      while (n < 0 && errno == EINTR);
      g_byte_array_set_size (data, data->len - 64 * 1024 + (guint)MAX (n, 0));
      if (n < 0)
        {
          /* Translators: %s is a file name, then the system's reason */
          g_printerr (_("sonde convert: Cannot read “%s”: %s\n"), input->display, g_strerror (errno));
          return FALSE;
        }
      if (n == 0)
        break;
    }

  input->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  return TRUE;
}

/* Opens IN and tells a recording from a HAR file. */
static gboolean
input_open (Input      *input,
            const char *path,
            gboolean   *is_recording)
{
  g_autoptr(GError) error = NULL;
  struct stat st;
  gboolean ok;
  int fd;

  input->path = path;
  if (g_str_equal (path, "-"))
    {
      input->display = g_strdup (_("standard input"));
      if (!input_read_all (input, STDIN_FILENO))
        return FALSE;
    }
  else
    {
      input->display = g_filename_display_name (path);
      if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
        {
          fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
          if (fd < 0)
            {
              g_printerr (_("sonde convert: Cannot read “%s”: %s\n"), input->display,
                          g_strerror (errno));
              return FALSE;
            }
          ok = input_read_all (input, fd);
          g_close (fd, NULL);
          if (!ok)
            return FALSE;
        }
    }

  if (input->bytes != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (input->bytes, &len);

      *is_recording = sonde_har_data_is_recording (data, len);
      return TRUE;
    }

  if (!sonde_har_sniff_recording (path, is_recording, &error))
    {
      g_printerr ("sonde convert: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
output_clear (Output *output)
{
  if (output->fd >= 0 && !output->to_stdout)
    g_close (output->fd, NULL);
  if (output->temp_path != NULL)
    g_unlink (output->temp_path);
  g_free (output->temp_path);
  g_free (output->display);
  g_free (output->path);
}

static void
print_write_error (Output *output,
                   int     saved_errno)
{
  /* Translators: %s is a file name, then the system's reason */
  g_printerr (_("sonde convert: Cannot write “%s”: %s\n"),
              output->display, g_strerror (saved_errno));
}

static gboolean
output_open (Output     *output,
             const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);

  output->path = g_strdup (path);
  if (g_str_equal (path, "-"))
    {
      output->display = g_strdup (_("standard output"));
      output->fd = STDOUT_FILENO;
      output->to_stdout = TRUE;
      return TRUE;
    }
  output->display = g_filename_display_name (path);
  output->temp_path = g_build_filename (dir, name, NULL);
  output->fd = g_mkstemp_full (output->temp_path, O_RDWR | O_CLOEXEC, 0644);
  if (output->fd < 0)
    {
      print_write_error (output, errno);
      g_clear_pointer (&output->temp_path, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Gives the finished file OUT's name; the descriptor is closed already. */
static gboolean
output_commit (Output *output)
{
  if (output->to_stdout)
    return TRUE;
  if (g_rename (output->temp_path, output->path) != 0)
    {
      print_write_error (output, errno);
      return FALSE;
    }
  g_clear_pointer (&output->temp_path, g_free);
  return TRUE;
}

static gboolean
write_text (Output     *output,
            const char *text,
            gsize       len)
{
  gsize done = 0;
  int fd = output->fd;

  while (done < len)
    {
      gssize n = write (output->fd, text + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      /* A reader that went away (`| head`) ends the command quietly. */
      if (n < 0 && errno == EPIPE && output->to_stdout)
        return TRUE;
      if (n < 0)
        {
          print_write_error (output, errno);
          return FALSE;
        }
      done += (gsize)n;
    }

  output->fd = -1;
  if (output->to_stdout)
    return TRUE;
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      print_write_error (output, errno);
      return FALSE;
    }
  return TRUE;
}

/* A URL from a file goes to a terminal: no control character gets there. */
static char *
printable (const char *text)
{
  char *copy = g_utf8_make_valid (text, -1);

  for (char *p = copy; *p != '\0'; p++)
    {
      if ((guint8)*p < 0x20 || *p == 0x7f)
        *p = '?';
    }
  return copy;
}

static void
print_candidates (SondeHar *har)
{
  const SondeHarCandidate *candidates;
  guint n;

  candidates = sonde_har_get_candidates (har, &n);
  if (n == 0)
    {
      g_printerr ("%s\n", _("No entry of the HAR file carries WebSocket or EventSource messages."));
      return;
    }

  g_printerr ("%s\n", _("Choose one with --entry N or --url SUBSTRING; entries are numbered "
                        "from 0, as in log.entries:"));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = printable (candidates[i].url);
      g_autofree char *count = NULL;

      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message", "%u messages",
                                            candidates[i].n_messages),
                               candidates[i].n_messages);
      g_printerr ("  --entry %-4u %-9s  %s  (%s)\n", candidates[i].index,
                  candidates[i].transport == SONDE_TRANSPORT_SSE ? "SSE" : "WebSocket", url, count);
    }
}

static int
export_recording (Input      *input,
                  const char *out,
                  gboolean    keep_credentials)
{
  const char *in_display = input->display;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Output output = { .fd = -1 };
  gsize len;
  int status = SONDE_EXIT_FAILED;

  if (input->bytes != NULL)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (input->bytes);

      reader = sonde_recording_reader_new_for_stream (stream, in_display, &error);
    }
  else
    reader = sonde_recording_reader_new_for_path (input->path, &error);
  if (reader != NULL)
    text = sonde_har_export (reader, keep_credentials, &len, &error);
  if (text == NULL)
    {
      /* The reader's own messages say the line; the file name goes in front.
       * Messages about opening the file name it already. */
      if (error->domain == SONDE_ERROR)
        g_printerr ("sonde convert: %s: %s\n", in_display, error->message);
      else
        g_printerr ("sonde convert: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }

  if (output_open (&output, out) && write_text (&output, text, len) && output_commit (&output))
    status = SONDE_EXIT_OK;
  output_clear (&output);

  if (status == SONDE_EXIT_OK && sonde_recording_reader_get_warning (reader) != NULL)
    g_printerr ("sonde convert: %s: %s\n", in_display, sonde_recording_reader_get_warning (reader));

  return status;
}

static int
import_har (Input      *input,
            const char *out,
            gboolean    out_is_har,
            gint64      entry,
            const char *url_part,
            gboolean    keep_credentials)
{
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(SondeHarSession) session = NULL;
  g_autoptr(SondeRecordingWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  Output output = { .fd = -1 };
  const char *in_display = input->display;
  guint index;
  int status = SONDE_EXIT_FAILED;

  if (input->bytes != NULL)
    har = sonde_har_new_for_data (g_bytes_get_data (input->bytes, NULL),
                                  (gssize)g_bytes_get_size (input->bytes), &error);
  else
    har = sonde_har_new_for_path (input->path, &error);
  if (har == NULL)
    {
      if (error->domain == SONDE_ERROR)
        g_printerr ("sonde convert: %s: %s\n", in_display, error->message);
      else
        g_printerr ("sonde convert: %s\n", error->message);
      return SONDE_EXIT_FAILED;
    }

  if (out_is_har)
    {
      g_printerr (_("sonde convert: %s is a HAR file, and OUT ends in “.har” too: give OUT another "
                    "name to import it as a Sonde recording\n"), in_display);
      return SONDE_EXIT_USAGE;
    }

  if (!sonde_har_select (har, entry, url_part, &index, &error))
    {
      g_printerr ("sonde convert: %s: %s\n", in_display, error->message);
      if (g_error_matches (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_MESSAGES))
        return SONDE_EXIT_FAILED;
      print_candidates (har);
      return SONDE_EXIT_USAGE;
    }

  session = sonde_har_import (har, index, keep_credentials, &error);
  if (session == NULL)
    {
      g_printerr ("sonde convert: %s: %s\n", in_display, error->message);
      return SONDE_EXIT_FAILED;
    }

  if (!output_open (&output, out))
    {
      output_clear (&output);
      return SONDE_EXIT_FAILED;
    }

  /* The writer closes the descriptor of a file, after a sync. */
  writer = sonde_recording_writer_new_for_fd (output.fd, !output.to_stdout);
  /* The import has left credentials out already, or kept them on request. */
  sonde_recording_writer_set_keep_credentials (writer, TRUE);
  output.fd = -1;
  if (!sonde_har_session_write (session, writer, &error) ||
      !sonde_recording_writer_close (writer, &error))
    {
      /* A reader that went away (`| head`) ends the command quietly. */
      if (output.to_stdout && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        status = SONDE_EXIT_OK;
      else
        g_printerr ("sonde convert: %s: %s\n", output.display, error->message);
    }
  else if (output_commit (&output))
    status = SONDE_EXIT_OK;
  g_clear_pointer (&writer, sonde_recording_writer_free);
  output_clear (&output);

  return status;
}

static gboolean
name_is_har (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  gsize len = strlen (base);

  return len > 4 && g_ascii_strcasecmp (base + len - 4, ".har") == 0;
}

int
sonde_cli_convert (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *entry_text = NULL;
  g_autofree char *url_part = NULL;
  g_auto(Input) input = { NULL, };
  gboolean out_is_stdout;
  gboolean keep_credentials = FALSE;
  gboolean is_recording;
  gint64 entry = -1;
  const GOptionEntry entries[] = {
    { "entry", 0, 0, G_OPTION_ARG_STRING, &entry_text,
      N_("Import entry N of the HAR file, counted from 0 among all of log.entries"), N_("N") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url_part,
      N_("Import the entry whose request URL contains SUBSTRING"), N_("SUBSTRING") },
    { "keep-credentials", 0, 0, G_OPTION_ARG_NONE, &keep_credentials,
      N_("Keep the values of Cookie, Set-Cookie, Authorization and Proxy-Authorization headers "
         "and the user and password in URLs; without it they become “[removed by Sonde]”"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("IN OUT") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Converts between HAR files and Sonde recordings.\n\n"
                                  "What IN is, Sonde tells from what it holds, not from its name: "
                                  "a Sonde recording starts with its header line, a HAR file is "
                                  "a JSON object with a “log”.\n"
                                  "OUT becomes a HAR file when its name ends in “.har”, and a "
                                  "Sonde recording otherwise.\n\n"
                                  "A HAR file may hold several WebSocket (_webSocketMessages) or "
                                  "SSE (_eventSourceMessages) entries: then --entry or --url picks "
                                  "one, and without them Sonde lists them. Entries are numbered "
                                  "from 0 in the order of log.entries, counting every entry; "
                                  "errors about a message count messages from 0 too."));
  g_option_context_set_description (context,
                                    _("IN may be “-” for standard input, and OUT “-” for standard "
                                      "output, which gets the other format: a HAR file for a "
                                      "recording, a recording for a HAR file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* argv[0] stays the program; the subcommand name goes. */
  argv[1] = argv[0];
  argc--;
  argv++;
  g_set_prgname ("sonde convert");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sonde convert: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }

  if (rest == NULL || rest[0] == NULL || rest[1] == NULL || rest[2] != NULL)
    {
      g_printerr (_("sonde convert: give an input and an output file, for example "
                    "sonde convert capture.har session.jsonl\n"));
      return SONDE_EXIT_USAGE;
    }

  if (entry_text != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (entry_text, 10, 0, G_MAXUINT, &value, NULL))
        {
          g_printerr (_("sonde convert: --entry wants the number of an entry, counted from 0, "
                        "such as --entry 2\n"));
          return SONDE_EXIT_USAGE;
        }
      entry = (gint64)value;
    }
  if (entry >= 0 && url_part != NULL)
    {
      g_printerr (_("sonde convert: give --entry or --url, not both\n"));
      return SONDE_EXIT_USAGE;
    }

  if (!input_open (&input, rest[0], &is_recording))
    return SONDE_EXIT_FAILED;

  /* "-" is the other format, whichever IN is. */
  out_is_stdout = g_str_equal (rest[1], "-");
  if (!is_recording)
    return import_har (&input, rest[1], !out_is_stdout && name_is_har (rest[1]), entry, url_part,
                       keep_credentials);

  if (entry >= 0 || url_part != NULL)
    {
      g_printerr (_("sonde convert: --entry and --url pick an entry of a HAR file, and %s is a "
                    "Sonde recording\n"), input.display);
      return SONDE_EXIT_USAGE;
    }
  if (!out_is_stdout && !name_is_har (rest[1]))
    {
      g_printerr (_("sonde convert: %s is a Sonde recording already: name OUT with “.har” at the "
                    "end to export it as a HAR file\n"), input.display);
      return SONDE_EXIT_USAGE;
    }

  return export_recording (&input, rest[1], keep_credentials);
}

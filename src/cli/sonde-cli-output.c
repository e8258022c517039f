/* sonde-cli-output.c: what subcommands print: text safe for a terminal, outputs that close
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "sonde-cli-private.h"
#include "sonde-utf8.h"

/* Formats, makes everything but one final line feed printable, and
 * converts to the console's character set as g_print() does. */
static char * G_GNUC_PRINTF (1, 0)
format_printable (const char *format,
                  va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  gsize len = strlen (message);
  gboolean newline = len > 0 && message[len - 1] == '\n';
  g_autofree char *safe = sonde_utf8_printable (message, (gssize)(newline ? len - 1 : len));
  char *line = newline ? g_strconcat (safe, "\n", NULL) : g_steal_pointer (&safe);
  const char *charset;

  if (!g_get_console_charset (&charset))
    {
      char *converted = g_convert_with_fallback (line, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

      if (converted != NULL)
        {
          g_free (line);
          line = converted;
        }
    }

  return line;
}

static gboolean
write_all (FILE        *stream,
           const char  *data,
           gsize        len,
           GError     **error)
{
  errno = 0;
  if ((len > 0 && fwrite (data, 1, len, stream) != len) || fflush (stream) != 0)
    {
      int saved_errno = errno != 0 ? errno : EIO;

      clearerr (stream);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write to standard output: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * sonde_cli_print:
 *
 * Prints to standard output like g_print(), every control character shown
 * as sonde_utf8_printable() does except one line feed at the end.
 *
 * Returns: %FALSE with @error set when standard output could not take it
 *   (%G_IO_ERROR_BROKEN_PIPE when its reader has gone)
 */
gboolean
sonde_cli_print (GError     **error,
                 const char  *format,
                 ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = format_printable (format, args);
  va_end (args);

  return write_all (stdout, line, strlen (line), error);
}

/**
 * sonde_cli_printerr:
 *
 * Prints to standard error like g_printerr(), every control character shown
 * as sonde_utf8_printable() does except one line feed at the end.
 */
void
sonde_cli_printerr (const char *format,
                    ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = format_printable (format, args);
  va_end (args);

  fputs (line, stderr);
  fflush (stderr);
}

/**
 * sonde_cli_write_stdout:
 * @data: text the caller made printable already
 *
 * Returns: %FALSE with @error set as sonde_cli_print() does
 */
gboolean
sonde_cli_write_stdout (const char  *data,
                        gsize        len,
                        GError     **error)
{
  return write_all (stdout, data, len, error);
}

/**
 * sonde_cli_output_failed:
 * @command: the subcommand, for the message
 * @error: why an output could not be written
 *
 * A reader that went away (`| head`) ends the command quietly and
 * successfully, as it ends `cat` or `grep`; any other failure (a full disk,
 * a read-only file) is reported.
 *
 * Returns: the exit status the command ends with
 */
int
sonde_cli_output_failed (const char   *command,
                         const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return SONDE_EXIT_OK;

  sonde_cli_printerr ("%s: %s\n", command, error->message);
  return SONDE_EXIT_FAILED;
}

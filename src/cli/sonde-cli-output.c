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

/* Control characters, DEL and the C1 range: what a terminal may act on. */
static inline gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7F && c < 0xA0);
}

/**
 * sonde_cli_printable:
 * @text: (nullable): text from anywhere: a peer, a file, the user
 * @len: its length, or -1 when it ends with NUL
 *
 * Text that cannot drive a terminal, on one line: invalid UTF-8 is replaced,
 * each control character below U+0020 shows as its Unicode control picture
 * (␛ for an escape, ␊ for a line feed, ␀ for NUL), DEL as ␡ and the C1
 * controls as �. A server that sends `\e]0;…\a` in a status line could
 * otherwise retitle or clear the user's terminal.
 *
 * Returns: (transfer full): the printable text
 */
char *
sonde_cli_printable (const char *text,
                     gssize      len)
{
  g_autofree char *valid = NULL;
  const char *end;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = (gssize)strlen (text);

  /* g_utf8_make_valid() stops at NUL; swap each for its picture first. */
  if (memchr (text, '\0', (gsize)len) != NULL)
    {
      g_autoptr(GString) copy = g_string_sized_new ((gsize)len + 16);

      for (gssize i = 0; i < len; i++)
        {
          if (text[i] == '\0')
            g_string_append (copy, "\xe2\x90\x80");
          else
            g_string_append_c (copy, text[i]);
        }
      valid = g_utf8_make_valid (copy->str, (gssize)copy->len);
    }
  else
    valid = g_utf8_make_valid (text, len);

  end = valid + strlen (valid);
  out = g_string_sized_new ((gsize)(end - valid) + 16);
  for (const char *p = valid; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_control (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7F)
        g_string_append_unichar (out, 0x2421);
      else
        g_string_append_unichar (out, 0xFFFD);
    }

  return g_string_free (out, FALSE);
}

/* Formats, makes everything but one final line feed printable, and
 * converts to the console's character set as g_print() does. */
static char * G_GNUC_PRINTF (1, 0)
format_printable (const char *format,
                  va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  gsize len = strlen (message);
  gboolean newline = len > 0 && message[len - 1] == '\n';
  g_autofree char *safe = sonde_cli_printable (message, (gssize)(newline ? len - 1 : len));
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
 * as sonde_cli_printable() does except one line feed at the end.
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
 * as sonde_cli_printable() does except one line feed at the end.
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

/* sonde-cli.c: the headless subcommands of the sonde binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-cli.h"
#include "sonde-cli-private.h"


typedef struct
{
  const char *name;
  const char *synopsis;
  int       (*run) (int argc, char **argv);
} Subcommand;

static const Subcommand subcommands[] = {
  { "record", N_("Connect to a stream and write a recording"), sonde_cli_record },
  { "serve", N_("Replay a recording from a mock server on loopback"), sonde_cli_serve },
  { "dump", N_("Print a recording for people, with hex dumps"), sonde_cli_dump },
  { "convert", N_("Convert between HAR files and Sonde recordings"), sonde_cli_convert },
  { "timeline", N_("Draw a recording’s timeline as a PNG or SVG picture"), sonde_cli_timeline },
  { "compare", N_("SSE, WebSocket and long polling on the same feed, measured"), sonde_cli_compare },
};

gboolean
sonde_cli_is_subcommand (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      if (g_str_equal (subcommands[i].name, name))
        return TRUE;
    }

  return FALSE;
}

/**
 * sonde_cli_describe:
 *
 * Returns: (transfer full): the list of subcommands for `sonde --help`
 */
char *
sonde_cli_describe (void)
{
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_string_append_printf (text, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].synopsis));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Run “sonde COMMAND --help” for the options of a command."));

  return g_string_free (text, FALSE);
}

/**
 * sonde_cli_run:
 * @argc: the program's argument count
 * @argv: the program's arguments; argv[1] names the subcommand
 *
 * Returns: the exit status
 */
int
sonde_cli_run (int    argc,
               char **argv)
{
  g_return_val_if_fail (argc >= 2, 1);

  /* A reader that goes away (`sonde dump … | head`) is an EPIPE each
   * subcommand handles, ending quietly, not a signal that kills it. */
  signal (SIGPIPE, SIG_IGN);

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      if (g_str_equal (subcommands[i].name, argv[1]))
        return subcommands[i].run (argc, argv);
    }

  sonde_cli_printerr (_("“%s” is not a sonde command.\n"), argv[1]);
  return SONDE_EXIT_USAGE;
}

/**
 * sonde_cli_check_number:
 * @command: the subcommand, for the message
 * @option: the option's long name, without dashes
 *
 * Returns: whether @value is a finite number from @min to @max; if not,
 *   says so on standard error, naming the option
 */
gboolean
sonde_cli_check_number (const char *command,
                        const char *option,
                        double      value,
                        double      min,
                        double      max)
{
  g_return_val_if_fail (command != NULL && option != NULL, FALSE);

  if (isfinite (value) && value >= min && value <= max)
    return TRUE;

  /* Translators: the command, the option, the value given, then the range it must be in */
  sonde_cli_printerr (_("%s: --%s is %.15g; give a number from %.15g to %.15g\n"),
                      command, option, value, min, max);
  return FALSE;
}

/**
 * sonde_cli_check_one_line:
 * @value: (nullable): the option's value, sent as an HTTP header or a token
 *
 * A line break in a header value would end the header, or start a new one,
 * as `-H` already knows.
 *
 * Returns: whether @value has no CR or LF; if it has, says so
 */
gboolean
sonde_cli_check_one_line (const char *command,
                          const char *option,
                          const char *value)
{
  g_return_val_if_fail (command != NULL && option != NULL, FALSE);

  if (value == NULL || strpbrk (value, "\r\n") == NULL)
    return TRUE;

  sonde_cli_printerr (_("%s: --%s cannot hold a line break (CR or LF): “%s”\n"),
                      command, option, value);
  return FALSE;
}

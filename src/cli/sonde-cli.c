/* sonde-cli.c: the headless subcommands of the sonde binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      if (g_str_equal (subcommands[i].name, argv[1]))
        return subcommands[i].run (argc, argv);
    }

  g_printerr (_("“%s” is not a sonde command.\n"), argv[1]);
  return SONDE_EXIT_USAGE;
}

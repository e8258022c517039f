/* sonde-cli-private.h: the subcommands, one file each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit statuses every subcommand shares. */
#define SONDE_EXIT_OK            0
#define SONDE_EXIT_FAILED        1
#define SONDE_EXIT_USAGE         2

int sonde_cli_compare (int    argc,
                       char **argv);
int sonde_cli_convert (int    argc,
                       char **argv);
int sonde_cli_dump   (int    argc,
                      char **argv);
int sonde_cli_record (int    argc,
                      char **argv);
int sonde_cli_serve  (int    argc,
                      char **argv);
int sonde_cli_timeline (int    argc,
                        char **argv);

/* Options every subcommand checks the same way (sonde-cli.c). */
gboolean  sonde_cli_check_number  (const char    *command,
                                   const char    *option,
                                   double         value,
                                   double         min,
                                   double         max);
gboolean  sonde_cli_check_one_line (const char   *command,
                                    const char   *option,
                                    const char   *value);

/* Everything a subcommand prints goes through these (sonde-cli-output.c). */
gboolean  sonde_cli_print         (GError       **error,
                                   const char    *format,
                                   ...) G_GNUC_PRINTF (2, 3);
void      sonde_cli_printerr      (const char    *format,
                                   ...) G_GNUC_PRINTF (1, 2);
gboolean  sonde_cli_write_stdout  (const char    *data,
                                   gsize          len,
                                   GError       **error);
int       sonde_cli_output_failed (const char    *command,
                                   const GError  *error);

G_END_DECLS

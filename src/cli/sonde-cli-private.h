/* sonde-cli-private.h: the subcommands, one file each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses every subcommand shares. */
#define SONDE_EXIT_OK            0
#define SONDE_EXIT_FAILED        1
#define SONDE_EXIT_USAGE         2

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

G_END_DECLS

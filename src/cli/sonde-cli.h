/* sonde-cli.h: the headless subcommands of the sonde binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sonde_cli_is_subcommand (const char *name);
char    *sonde_cli_describe      (void);
int      sonde_cli_run           (int         argc,
                                  char      **argv);

G_END_DECLS

/* main.c: the one sonde binary; subcommands run headless, no subcommand opens the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <sys/resource.h>

#include <glib/gi18n.h>

#include "sonde-cli.h"

#if SONDE_HAVE_UI
# include "sonde-application.h"
#endif

static void
setup_gettext (void)
{
  /* meson devenv points this at the build tree, so an uninstalled build is translated too. */
  const char *localedir = g_getenv ("SONDE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* Each connection is a file descriptor: a tab's, and each client of a mock
 * server. The soft limit (often 1024) is there for programs that use
 * select(); GLib and libsoup poll, so Sonde takes what the hard limit
 * allows, and a burst of clients does not run it out of descriptors. */
static void
raise_open_files_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

int
main (int    argc,
      char **argv)
{
  setup_gettext ();
  raise_open_files_limit ();

  if (argc >= 2 && sonde_cli_is_subcommand (argv[1]))
    return sonde_cli_run (argc, argv);

#if SONDE_HAVE_UI
  {
    g_autoptr(SondeApplication) app = sonde_application_new ();
    g_autofree char *commands = sonde_cli_describe ();

    g_application_set_option_context_description (G_APPLICATION (app), commands);
    return g_application_run (G_APPLICATION (app), argc, argv);
  }
#else
  g_printerr (_("This sonde was built without its window (-Dui=false); use a subcommand.\n"));
  {
    g_autofree char *commands = sonde_cli_describe ();

    g_printerr ("%s\n", commands);
  }
  return 2;
#endif
}

/* sonde-test-util.c: what several test programs share: bounded waits, a loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-test-util.h"

/**
 * sonde_test_wait_until:
 *
 * Iterates the default main context until @cond holds, for @timeout_ms at most.
 *
 * Returns: whether @cond came to hold
 */
gboolean
sonde_test_wait_until (gboolean (*cond) (gpointer),
                       gpointer   data,
                       guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }

  return TRUE;
}

/**
 * sonde_test_spin:
 *
 * Keeps the default main context running for @ms, so that something that
 * should not happen gets its chance to happen.
 */
void
sonde_test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/**
 * sonde_test_server_new:
 * @base_url: (out): `http://127.0.0.1:PORT`
 *
 * Returns: (transfer full): a SoupServer listening on a free loopback port
 */
SoupServer *
sonde_test_server_new (char **base_url)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  *base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return server;
}

/**
 * sonde_test_entry_fields:
 *
 * Returns: (transfer full): an entry's fields (JSON members without braces) as an object
 */
JsonObject *
sonde_test_entry_fields (const SondeEntryView *view)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

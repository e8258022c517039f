/* sonde-settings.c: reading and writing Sonde's preferences in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-settings.h"

/* The schema's nicks for SondeReconnectMode, in the enum's order. */
static const char * const mode_nicks[] = {
  [SONDE_RECONNECT_NONE] = "none",
  [SONDE_RECONNECT_SPEC] = "spec",
  [SONDE_RECONNECT_FIXED] = "fixed",
  [SONDE_RECONNECT_BACKOFF] = "backoff",
};

/**
 * sonde_settings_new_if_installed:
 *
 * Widgets that follow a preference read it themselves; some tests run
 * without the schema, and Sonde still works then, with the defaults.
 *
 * Returns: (transfer full) (nullable): Sonde's settings, or %NULL when the
 *   schema is not installed
 */
GSettings *
sonde_settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  return schema != NULL ? g_settings_new (APPLICATION_ID) : NULL;
}

/**
 * sonde_settings_policy_key:
 *
 * Returns: the key that holds the default reconnect policy of @transport
 */
const char *
sonde_settings_policy_key (SondeTransport transport)
{
  return transport == SONDE_TRANSPORT_WEBSOCKET ? "ws-reconnect-policy" : "sse-reconnect-policy";
}

/**
 * sonde_settings_get_reconnect_policy:
 * @settings: (nullable): Sonde's settings, or %NULL for the built-in defaults
 * @policy: (out caller-allocates): the policy new tabs of @transport start with
 *
 * Values that no policy can have (a key edited by hand) fall back to the
 * built-in default, so a new tab always gets a policy that works.
 */
void
sonde_settings_get_reconnect_policy (GSettings            *settings,
                                     SondeTransport        transport,
                                     SondeReconnectPolicy *policy)
{
  g_autofree char *mode = NULL;
  guint initial_ms, max_ms, max_attempts;
  double factor, jitter;

  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (policy != NULL);

  sonde_reconnect_policy_init_spec (policy);
  /* Browsers reconnect an EventSource by themselves, never a WebSocket. */
  if (transport == SONDE_TRANSPORT_WEBSOCKET)
    policy->mode = SONDE_RECONNECT_NONE;

  if (settings == NULL)
    return;

  g_settings_get (settings, sonde_settings_policy_key (transport), "(suuddu)", &mode,
                  &initial_ms, &max_ms, &factor, &jitter, &max_attempts);

  for (guint i = 0; i < G_N_ELEMENTS (mode_nicks); i++)
    if (g_strcmp0 (mode, mode_nicks[i]) == 0)
      policy->mode = (SondeReconnectMode)i;
  policy->initial_ms = MIN (initial_ms, (guint)G_MAXINT);
  policy->max_ms = MIN (max_ms, (guint)G_MAXINT);
  if (factor >= 1.0 && factor <= 100.0)
    policy->factor = factor;
  if (jitter >= 0.0 && jitter <= 1.0)
    policy->jitter = jitter;
  policy->max_attempts = max_attempts;
}

/**
 * sonde_settings_set_reconnect_policy:
 *
 * Makes @policy the one new tabs of @transport start with.
 */
void
sonde_settings_set_reconnect_policy (GSettings                  *settings,
                                     SondeTransport              transport,
                                     const SondeReconnectPolicy *policy)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (policy != NULL);
  g_return_if_fail ((guint)policy->mode < G_N_ELEMENTS (mode_nicks));

  g_settings_set (settings, sonde_settings_policy_key (transport), "(suuddu)",
                  mode_nicks[policy->mode], policy->initial_ms, policy->max_ms, policy->factor,
                  policy->jitter, policy->max_attempts);
}

static void
apply_entry_limit (GSettings    *settings,
                   const char   *key,
                   SondeSession *session)
{
  sonde_session_set_entry_limit (session, g_settings_get_boolean (settings, "limit-entries")
                                          ? g_settings_get_uint (settings, "entries-limit") : 0);
}

/**
 * sonde_settings_follow_entry_limit:
 * @session: a live tab's session
 *
 * Keeps @session's log to the entries per tab the preferences allow, now
 * and whenever they change, for as long as @session lives.
 */
void
sonde_settings_follow_entry_limit (SondeSession *session)
{
  GSettings *settings;

  g_return_if_fail (SONDE_IS_SESSION (session));

  settings = sonde_settings_new_if_installed ();
  if (settings == NULL)
    return;

  /* The session holds the settings, and the handlers go with the session. */
  g_object_set_data_full (G_OBJECT (session), "sonde-entry-limit-settings", settings,
                          g_object_unref);
  g_signal_connect_object (settings, "changed::limit-entries", G_CALLBACK (apply_entry_limit),
                           session, 0);
  g_signal_connect_object (settings, "changed::entries-limit", G_CALLBACK (apply_entry_limit),
                           session, 0);
  apply_entry_limit (settings, NULL, session);
}

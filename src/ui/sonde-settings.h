/* sonde-settings.h: reading and writing Sonde's preferences in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-reconnect.h"
#include "sonde-session.h"
#include "sonde-types.h"

G_BEGIN_DECLS

GSettings  *sonde_settings_new_if_installed       (void);
const char *sonde_settings_policy_key             (SondeTransport              transport);
void        sonde_settings_get_reconnect_policy   (GSettings                  *settings,
                                                   SondeTransport              transport,
                                                   SondeReconnectPolicy       *policy);
void        sonde_settings_set_reconnect_policy   (GSettings                  *settings,
                                                   SondeTransport              transport,
                                                   const SondeReconnectPolicy *policy);
void        sonde_settings_follow_entry_limit     (SondeSession               *session);

G_END_DECLS

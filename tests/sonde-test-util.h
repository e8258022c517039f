/* sonde-test-util.h: what several test programs share: bounded waits, a loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

gboolean    sonde_test_wait_until    (gboolean             (*cond) (gpointer),
                                      gpointer               data,
                                      guint                  timeout_ms);
void        sonde_test_spin          (guint                  ms);
SoupServer *sonde_test_server_new    (char                 **base_url);
JsonObject *sonde_test_entry_fields  (const SondeEntryView  *view);

G_END_DECLS

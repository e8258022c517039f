/* sonde-demo.h: the demo recording that every sonde binary carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-types.h"

G_BEGIN_DECLS

/* What messages about the demo call it. */
#define SONDE_DEMO_NAME "demo.sonde.jsonl"

GInputStream *sonde_demo_open_stream (GError        **error);
gboolean      sonde_demo_load        (SondeEventLog  *log,
                                      GError        **error);

G_END_DECLS

/* sonde-url.h: checking the stream URLs people type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-types.h"

G_BEGIN_DECLS

gboolean     sonde_url_parse               (const char      *text,
                                            SondeTransport  *transport,
                                            GUri           **uri,
                                            GError         **error);
const char  *sonde_transport_to_string     (SondeTransport   transport);

G_END_DECLS

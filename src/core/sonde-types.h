/* sonde-types.h: forward declarations shared by every layer of Sonde
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which wire protocol a URL or a connection speaks. */
typedef enum
{
  SONDE_TRANSPORT_SSE,
  SONDE_TRANSPORT_WEBSOCKET,
} SondeTransport;

G_END_DECLS

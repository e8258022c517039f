/* sonde-request-bar.h: an SSE tab's client message: an HTTP request beside the stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-session.h"

G_BEGIN_DECLS

#define SONDE_TYPE_REQUEST_BAR (sonde_request_bar_get_type ())

G_DECLARE_FINAL_TYPE (SondeRequestBar, sonde_request_bar, SONDE, REQUEST_BAR, GtkWidget)

GtkWidget        *sonde_request_bar_new          (SondeSession     *session);
SondeSideRequest *sonde_request_bar_get_request  (SondeRequestBar  *self,
                                                  GError          **error);
const char       *sonde_request_bar_get_message  (SondeRequestBar  *self);
guint64           sonde_request_bar_get_last_seq (SondeRequestBar  *self);

G_END_DECLS

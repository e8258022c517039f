/* sonde-compose-bar.h: a WebSocket tab's compose bar: messages, pings and the close
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-compose.h"
#include "sonde-session.h"

G_BEGIN_DECLS

#define SONDE_TYPE_COMPOSE_BAR (sonde_compose_bar_get_type ())

G_DECLARE_FINAL_TYPE (SondeComposeBar, sonde_compose_bar, SONDE, COMPOSE_BAR, GtkWidget)

GtkWidget           *sonde_compose_bar_new          (SondeSession        *session);
SondeSession        *sonde_compose_bar_get_session  (SondeComposeBar     *self);
SondeComposeHistory *sonde_compose_bar_get_default_history (void);
void                 sonde_compose_bar_set_history  (SondeComposeBar     *self,
                                                     SondeComposeHistory *history);
SondeComposeMode     sonde_compose_bar_get_mode     (SondeComposeBar     *self);
void                 sonde_compose_bar_set_mode     (SondeComposeBar     *self,
                                                     SondeComposeMode     mode);
char                *sonde_compose_bar_dup_text     (SondeComposeBar     *self);
void                 sonde_compose_bar_set_text     (SondeComposeBar     *self,
                                                     const char          *text);
const char          *sonde_compose_bar_get_problem  (SondeComposeBar     *self);

G_END_DECLS

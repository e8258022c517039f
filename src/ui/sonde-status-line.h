/* sonde-status-line.h: a tab's connection state in words, and its live counters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-session.h"

G_BEGIN_DECLS

#define SONDE_TYPE_STATUS_LINE (sonde_status_line_get_type ())

G_DECLARE_FINAL_TYPE (SondeStatusLine, sonde_status_line, SONDE, STATUS_LINE, GtkWidget)

GtkWidget    *sonde_status_line_new             (void);
SondeSession *sonde_status_line_get_session     (SondeStatusLine      *self);
void          sonde_status_line_set_session     (SondeStatusLine      *self,
                                                 SondeSession         *session);
const char   *sonde_status_line_get_state_text  (SondeStatusLine      *self);
const char   *sonde_status_line_get_counters_text (SondeStatusLine    *self);

const char   *sonde_connection_state_icon_name  (SondeConnectionState  state);
char         *sonde_session_describe_state      (SondeSession         *session);

G_END_DECLS

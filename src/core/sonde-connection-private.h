/* sonde-connection-private.h: what only a transport calls on its connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-connection.h"

G_BEGIN_DECLS

GMainContext         *sonde_connection_get_context     (SondeConnection            *self);
guint                 sonde_connection_get_attempt     (SondeConnection            *self);
void                  sonde_connection_log             (SondeConnection            *self,
                                                        SondeDirection              direction,
                                                        SondeEntryKind              kind,
                                                        const char                 *fields,
                                                        const guint8               *raw,
                                                        gsize                       raw_len);
void                  sonde_connection_log_error       (SondeConnection            *self,
                                                        const GError               *error,
                                                        const guint8               *raw,
                                                        gsize                       raw_len);
void                  sonde_connection_opened          (SondeConnection            *self);
void                  sonde_connection_dropped         (SondeConnection            *self,
                                                        const GError               *error);
void                  sonde_connection_failed          (SondeConnection            *self,
                                                        const GError               *error);
void                  sonde_connection_finished        (SondeConnection            *self);

G_END_DECLS

/* sonde-connection.h: the lifecycle both transports share, and its reconnects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"
#include "sonde-reconnect.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_CONNECTION_IDLE,
  SONDE_CONNECTION_CONNECTING,
  SONDE_CONNECTION_OPEN,
  SONDE_CONNECTION_WAITING,
  SONDE_CONNECTION_CLOSED,
  SONDE_CONNECTION_FAILED,
} SondeConnectionState;

/* How long connecting and the HTTP or upgrade handshake may take, unless set. */
#define SONDE_CONNECTION_DEFAULT_TIMEOUT_MS 30000

#define SONDE_TYPE_CONNECTION (sonde_connection_get_type ())

G_DECLARE_DERIVABLE_TYPE (SondeConnection, sonde_connection, SONDE, CONNECTION, GObject)

/* A final subclass's class struct embeds this one, so it stays public; only
 * transports fill it in. */
struct _SondeConnectionClass
{
  GObjectClass parent_class;

  /* Start one attempt; report its outcome with sonde-connection-private.h. */
  void  (*attempt)            (SondeConnection *self);
  /* Cancel whatever the current attempt is doing; report nothing. */
  void  (*abort)              (SondeConnection *self);
  /* The transport's own reconnect delay, for the `spec` policy. */
  guint (*get_spec_delay)     (SondeConnection *self);
};

const char           *sonde_connection_get_url         (SondeConnection            *self);
SondeEventLog        *sonde_connection_get_log         (SondeConnection            *self);
SondeConnectionState  sonde_connection_get_state       (SondeConnection            *self);
const GError         *sonde_connection_get_error       (SondeConnection            *self);
void                  sonde_connection_set_policy      (SondeConnection            *self,
                                                        const SondeReconnectPolicy *policy);
const SondeReconnectPolicy *sonde_connection_get_policy (SondeConnection           *self);
void                  sonde_connection_add_header      (SondeConnection            *self,
                                                        const char                 *name,
                                                        const char                 *value);
const char * const   *sonde_connection_get_headers     (SondeConnection            *self);
void                  sonde_connection_set_accepted_certificate_errors (SondeConnection *self,
                                                                        GTlsCertificateFlags errors);
GTlsCertificateFlags  sonde_connection_get_accepted_certificate_errors (SondeConnection *self);
gboolean              sonde_connection_accept_certificate (SondeConnection            *self,
                                                           GTlsCertificateFlags        errors);
void                  sonde_connection_set_timeout     (SondeConnection            *self,
                                                        guint                       timeout_ms);
guint                 sonde_connection_get_timeout     (SondeConnection            *self);
void                  sonde_connection_start           (SondeConnection            *self);
void                  sonde_connection_stop            (SondeConnection            *self);

G_END_DECLS

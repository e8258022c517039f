/* sonde-error.h: Sonde's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SONDE_ERROR (sonde_error_quark ())

typedef enum
{
  SONDE_ERROR_INVALID_URL,
  SONDE_ERROR_UNSUPPORTED_SCHEME,
  SONDE_ERROR_NOT_AVAILABLE,
  SONDE_ERROR_BAD_RESPONSE,
  SONDE_ERROR_TOO_LARGE,
  SONDE_ERROR_TLS,
  SONDE_ERROR_NOT_CONNECTED,
  SONDE_ERROR_CLOSED,
  SONDE_ERROR_INVALID_INPUT,
  SONDE_ERROR_BAD_RECORDING,
  SONDE_ERROR_NEWER_RECORDING,
  SONDE_ERROR_FAILED,
  SONDE_ERROR_NOT_HAR,            /* neither a recording nor a HAR file: not JSON, or no "log" */
  SONDE_ERROR_HAR_INVALID,        /* a HAR, but a member is not what browsers write */
  SONDE_ERROR_HAR_NO_MESSAGES,    /* no entry carries WebSocket or EventSource messages */
  SONDE_ERROR_HAR_CHOOSE,         /* several do: the caller must pick one */
  SONDE_ERROR_HAR_NO_SUCH_ENTRY,  /* the entry picked is not there or carries no messages */
} SondeError;

GQuark sonde_error_quark (void);

G_END_DECLS

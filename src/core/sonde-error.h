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
} SondeError;

GQuark sonde_error_quark (void);

G_END_DECLS

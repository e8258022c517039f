/* sonde-tls.h: saying which certificate problem made a TLS handshake fail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char   *sonde_tls_describe_flags (GTlsCertificateFlags  flags);
gboolean sonde_tls_flags_parse   (const char            *text,
                                  GTlsCertificateFlags  *flags,
                                  GError               **error);
GError *sonde_tls_describe_error (GTlsCertificateFlags  flags,
                                  const GError         *error);

G_END_DECLS

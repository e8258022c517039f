/* sonde-credentials.h: what counts as a credential, and taking it out of what Sonde saves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What recordings and HAR exports write instead of a credential (the value
 * of a Cookie, Set-Cookie, Authorization or Proxy-Authorization header, or
 * the user and password in a URL, where it is percent-encoded), unless asked
 * to keep them. Not translated: tools look for it. */
#ifndef SONDE_CREDENTIALS_REMOVED
#define SONDE_CREDENTIALS_REMOVED "[removed by Sonde]"
#endif

gboolean  sonde_credentials_is_header         (const char   *name,
                                               gsize         len);
char     *sonde_credentials_remove_from_url   (const char   *url);
gboolean  sonde_credentials_remove_from_fields (const char  *fields,
                                                gsize        len,
                                                GString     *out);
gboolean  sonde_credentials_remove_from_http  (const guint8 *raw,
                                               gsize         len,
                                               GByteArray   *out);

G_END_DECLS

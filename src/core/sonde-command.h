/* sonde-command.h: shell commands that open the same stream again with curl or websocat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

char  *sonde_command_curl                   (const char            *url,
                                             const char * const    *headers,
                                             gboolean               insecure);
char  *sonde_command_websocat               (const char            *url,
                                             const char * const    *headers,
                                             gboolean               insecure);
char  *sonde_command_for_url                (const char            *url,
                                             const char * const    *headers,
                                             gboolean               insecure);
SondeTransport sonde_command_url_transport  (const char            *url);
char **sonde_entry_view_dup_request_headers (const SondeEntryView  *view);
char  *sonde_command_for_log                (SondeEventLog         *log,
                                             guint64                seq,
                                             gboolean               insecure,
                                             SondeTransport        *transport);

G_END_DECLS

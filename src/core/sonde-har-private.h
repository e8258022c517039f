/* sonde-har-private.h: what the parts of the HAR code share: the parsed file and its JSON readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "sonde-har.h"

G_BEGIN_DECLS

/* The event log holds entries of less than 4 GiB. */
#define SONDE_HAR_MAX_MESSAGE_SIZE ((gsize)G_MAXUINT32 - 64 * 1024)

struct _SondeHar
{
  JsonNode   *root;
  JsonArray  *entries;      /* log.entries */
  GArray     *candidates;   /* SondeHarCandidate */
};

/* Members of what a HAR holds, NULL (or FALSE) when missing or of another type. */
JsonObject              *sonde_har_object_member   (JsonObject *object,
                                                    const char *name);
JsonArray               *sonde_har_array_member    (JsonObject *object,
                                                    const char *name);
const char              *sonde_har_string_member   (JsonObject *object,
                                                    const char *name);
gboolean                 sonde_har_int_member      (JsonObject *object,
                                                    const char *name,
                                                    gint64     *value);

gboolean                 sonde_har_header_is_credential    (const char *name);
char                    *sonde_har_url_without_credentials (const char *url);

const SondeHarCandidate *sonde_har_find_candidate  (SondeHar   *self,
                                                    guint       index);
gint64                   sonde_har_date_time_to_us (GDateTime  *time);

G_END_DECLS

/* sonde-json.h: fast JSON text for recordings and entry fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Deeper JSON from outside is refused before json-glib, which recurses per level, sees it. */
#define SONDE_JSON_PARSE_MAX_DEPTH 1000

JsonNode *sonde_json_parse       (const char         *text,
                                  gssize              len,
                                  GError            **error);
gboolean  sonde_json_check_depth (const char         *text,
                                  gsize               len,
                                  guint               max_depth,
                                  GError            **error);
char     *sonde_json_pretty      (const char         *text,
                                  gsize               len);
char     *sonde_json_format_time (GDateTime          *time);

void sonde_json_append_string  (GString            *out,
                                const char         *text,
                                gsize               len);
gboolean sonde_json_has_terminal_controls (const char *text,
                                           gsize       len);
void sonde_json_append_base64  (GString            *out,
                                const guint8       *data,
                                gsize               len);
void sonde_json_append_headers (GString            *out,
                                SoupMessageHeaders *headers);
void sonde_json_append_member_string (GString      *out,
                                      const char   *name,
                                      const char   *value);
void sonde_json_append_member_int    (GString      *out,
                                      const char   *name,
                                      gint64        value);
void sonde_json_append_http_open     (GString      *out,
                                      SoupMessage  *message);

G_END_DECLS

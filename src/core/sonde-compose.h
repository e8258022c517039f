/* sonde-compose.h: what the compose bar checks and keeps: JSON with its error's place, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How the compose bar reads what is typed. */
typedef enum
{
  SONDE_COMPOSE_TEXT,
  SONDE_COMPOSE_JSON,
  SONDE_COMPOSE_HEX,
  SONDE_COMPOSE_BASE64,
} SondeComposeMode;

/* The history keeps this many messages per URL, each at most
 * SONDE_COMPOSE_HISTORY_MAX_TEXT bytes (longer ones are sent but not kept),
 * and drops the URLs used longest ago once the file would pass
 * SONDE_COMPOSE_HISTORY_MAX_FILE bytes. */
#define SONDE_COMPOSE_HISTORY_PER_URL   50
#define SONDE_COMPOSE_HISTORY_MAX_TEXT  (16 * 1024)
#define SONDE_COMPOSE_HISTORY_MAX_FILE  (2 * 1024 * 1024)

gboolean     sonde_compose_check_json      (const char        *text,
                                            gsize              len,
                                            gsize             *error_offset,
                                            GError           **error);
char        *sonde_compose_format_json     (const char        *text,
                                            gsize              len,
                                            gboolean           pretty);
GBytes      *sonde_compose_encode          (SondeComposeMode   mode,
                                            const char        *text,
                                            gboolean           pretty,
                                            GError           **error);
const char  *sonde_compose_mode_to_string  (SondeComposeMode   mode);
gboolean     sonde_compose_mode_from_string (const char       *text,
                                             SondeComposeMode *mode);

/* Messages sent, newest first, per URL, kept in a file across runs. */
typedef struct _SondeComposeHistory SondeComposeHistory;

SondeComposeHistory *sonde_compose_history_new    (const char           *path);
void                 sonde_compose_history_free   (SondeComposeHistory  *self);
const char          *sonde_compose_history_get_path (SondeComposeHistory *self);
void                 sonde_compose_history_add    (SondeComposeHistory  *self,
                                                   const char           *url,
                                                   SondeComposeMode      mode,
                                                   const char           *text);
guint                sonde_compose_history_get_n  (SondeComposeHistory  *self,
                                                   const char           *url);
const char          *sonde_compose_history_get    (SondeComposeHistory  *self,
                                                   const char           *url,
                                                   guint                 index,
                                                   SondeComposeMode     *mode);
gboolean             sonde_compose_history_save   (SondeComposeHistory  *self,
                                                   GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeComposeHistory, sonde_compose_history_free)

G_END_DECLS

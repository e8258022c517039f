/* sonde-poll-format.h: the long-polling answer of the mock server's /poll, written and read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An answer to `GET /poll?cursor=N` is one JSON object:
 *
 *   {"cursor":12,"messages":[{"data":"text"},{"event":"tick","data":"text"},
 *                            {"binary":true,"data":"base64"}]}
 *
 * `cursor` is what the next poll asks for; `"end":true` says the feed has
 * nothing more, ever. */

typedef void (*SondePollMessageFunc) (gpointer      user_data,
                                      const char   *event,
                                      gboolean      binary,
                                      const guint8 *data,
                                      gsize         len,
                                      gsize         encoded_len);

void     sonde_poll_format_message (GString               *json,
                                    const char            *event,
                                    gboolean               binary,
                                    const guint8          *data,
                                    gsize                  len);
gboolean sonde_poll_parse_answer   (const char            *text,
                                    gsize                  len,
                                    guint64               *cursor,
                                    gboolean              *end,
                                    SondePollMessageFunc   func,
                                    gpointer               user_data,
                                    GError               **error);

G_END_DECLS

/* sonde-entry-fields.h: the one reader of an entry's fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

/* An entry's fields are the members of a JSON object without its braces,
 * written compact by Sonde itself (or checked by the recording reader
 * before they were stored). These read its top-level members in place:
 * no tree, no allocation, and a member of a nested object or array is
 * never taken for one of the entry's own. */

gboolean  sonde_entry_fields_next_member (const char           *fields,
                                          gsize                 fields_len,
                                          gsize                *pos,
                                          const char          **name,
                                          gsize                *name_len,
                                          const char          **value,
                                          gsize                *value_len);
gboolean  sonde_entry_fields_find_member (const char           *fields,
                                          gsize                 fields_len,
                                          const char           *name,
                                          const char          **value,
                                          gsize                *value_len);
gsize     sonde_entry_fields_copy_string (const char           *value,
                                          gsize                 len,
                                          char                 *buf,
                                          gsize                 size,
                                          gboolean             *cut);
gboolean  sonde_entry_fields_is_true     (const char           *fields,
                                          gsize                 fields_len,
                                          const char           *name);
char     *sonde_entry_fields_dup_string  (const SondeEntryView *view,
                                          const char           *name);
gboolean  sonde_entry_fields_get_int     (const SondeEntryView *view,
                                          const char           *name,
                                          gint64               *value);

G_END_DECLS

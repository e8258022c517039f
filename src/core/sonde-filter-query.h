/* sonde-filter-query.h: what a filter looks for, and matching one entry against it in place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef enum /*< flags >*/
{
  SONDE_FILTER_FLAGS_NONE      = 0,
  SONDE_FILTER_REGEX           = 1 << 0,  /* the text is a regular expression (GRegex) */
  SONDE_FILTER_CASE_SENSITIVE  = 1 << 1,
} SondeFilterFlags;

/* Masks of (1 << SondeEntryCategory) and (1 << SondeDirection). */
#define SONDE_FILTER_ALL_CATEGORIES 0xfu
#define SONDE_FILTER_ALL_DIRECTIONS 0x7u

#define SONDE_TYPE_FILTER_QUERY (sonde_filter_query_get_type ())

/* SondeFilterQuery is immutable once made, so one query can be matched from
 * several threads. */

GType             sonde_filter_query_get_type       (void) G_GNUC_CONST;
SondeFilterQuery *sonde_filter_query_new            (const char              *text,
                                                     SondeFilterFlags         flags,
                                                     guint                    categories,
                                                     guint                    directions,
                                                     int                     *error_position,
                                                     GError                 **error);
SondeFilterQuery *sonde_filter_query_ref            (SondeFilterQuery        *self);
void              sonde_filter_query_unref          (SondeFilterQuery        *self);
const char       *sonde_filter_query_get_text       (const SondeFilterQuery  *self);
SondeFilterFlags  sonde_filter_query_get_flags      (const SondeFilterQuery  *self);
guint             sonde_filter_query_get_categories (const SondeFilterQuery  *self);
guint             sonde_filter_query_get_directions (const SondeFilterQuery  *self);
gboolean          sonde_filter_query_matches_all    (const SondeFilterQuery  *self);
gboolean          sonde_filter_query_equal          (const SondeFilterQuery  *a,
                                                     const SondeFilterQuery  *b);

/* A SondeFilterMatcher is a query with the scratch space one thread needs to
 * match without allocating per entry. One matcher per thread. */

SondeFilterMatcher *sonde_filter_matcher_new        (SondeFilterQuery        *query);
void                sonde_filter_matcher_free       (SondeFilterMatcher      *self);
gboolean            sonde_filter_matcher_match      (SondeFilterMatcher      *self,
                                                     const SondeEntryView    *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeFilterQuery, sonde_filter_query_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeFilterMatcher, sonde_filter_matcher_free)

G_END_DECLS

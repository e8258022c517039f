/* sonde-filter-model.h: the entries of a log that match a query, found off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"
#include "sonde-filter-query.h"

G_BEGIN_DECLS

#define SONDE_TYPE_FILTER_MODEL (sonde_filter_model_get_type ())

G_DECLARE_FINAL_TYPE (SondeFilterModel, sonde_filter_model, SONDE, FILTER_MODEL, GObject)

/* Where a sequence number stands in the result. */
typedef enum
{
  SONDE_FILTER_LOOKUP_FOUND,      /* it matches, at the given position */
  SONDE_FILTER_LOOKUP_NOT_FOUND,  /* it was looked at and does not match */
  SONDE_FILTER_LOOKUP_PENDING,    /* not looked at yet: ask again when items change */
} SondeFilterLookup;

SondeFilterModel *sonde_filter_model_new           (SondeEventLog     *log);
SondeEventLog    *sonde_filter_model_get_log       (SondeFilterModel  *self);
void              sonde_filter_model_set_query     (SondeFilterModel  *self,
                                                    SondeFilterQuery  *query);
SondeFilterQuery *sonde_filter_model_get_query     (SondeFilterModel  *self);
gboolean          sonde_filter_model_get_active    (SondeFilterModel  *self);
gboolean          sonde_filter_model_get_scanning  (SondeFilterModel  *self);
double            sonde_filter_model_get_progress  (SondeFilterModel  *self);
guint64           sonde_filter_model_get_n_scanned (SondeFilterModel  *self);
guint64           sonde_filter_model_get_seq       (SondeFilterModel  *self,
                                                    guint              position);
SondeFilterLookup sonde_filter_model_lookup        (SondeFilterModel  *self,
                                                    guint64            seq,
                                                    guint             *position);

G_END_DECLS

/* sonde-compare-private.h: what the run and the report of a comparison share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sonde-compare.h"
#include "sonde-mock-server.h"
#include "sonde-relay.h"

G_BEGIN_DECLS

/* What the comparison's clients send, and know again among the echoes. */
#define SEND_PREFIX "sonde-compare send "
#define RESUME_PREFIX "{\"last_id\":\""

typedef struct
{
  char     *section;
  char     *label;
  char     *cells[SONDE_COMPARE_N_TRANSPORTS];
  char     *how;
} Row;

typedef struct
{
  SondeComparison *self;
  SondeCompareTransport transport;
  gint64           started_us;
} Send;

struct _SondeComparison
{
  GObject              parent_instance;

  SondeCompareOptions  options;
  SondeEventLog       *demo;
  SondeMockServer     *server;
  SondeEventLog       *logs[SONDE_COMPARE_N_TRANSPORTS];
  SondeConnection     *clients[SONDE_COMPARE_N_TRANSPORTS];
  SondeRelay          *feed_relays[SONDE_COMPARE_N_TRANSPORTS];
  SondeRelay          *send_relays[SONDE_COMPARE_N_TRANSPORTS];
  SoupSession         *send_sessions[SONDE_COMPARE_N_TRANSPORTS];
  char                *send_urls[SONDE_COMPARE_N_TRANSPORTS];
  GArray              *rtts[SONDE_COMPARE_N_TRANSPORTS];     /* gint64, HTTP sends */
  guint                sends[SONDE_COMPARE_N_TRANSPORTS];
  guint                resumes[SONDE_COMPARE_N_TRANSPORTS];
  gint64               log_origin[SONDE_COMPARE_N_TRANSPORTS];
  SondeCompareFigures  figures[SONDE_COMPARE_N_TRANSPORTS];
  GCancellable        *send_cancellable;
  GTask               *task;
  GSource             *end_timer;
  GSource             *send_timer;
  GSource             *drain_timer;
  gint64               drain_deadline_us;
  gint64               feed_messages;  /* what the mock server's feed published; -1: unknown */
  gboolean             drained;    /* the end waited for every transport, or its deadline */
  gboolean             finished;
  GSource             *cancel_source;
  guint                n_sends;
  gint64               started_us;
  gint64               elapsed_us;
  GPtrArray           *rows;       /* Row */
};

extern const char * const sonde_compare_transport_names[];

/* sonde-compare.c */
gboolean    sonde_compare_on_feed           (SondeComparison       *self,
                                             SondeCompareTransport  t);

/* sonde-compare-measure.c */
void        sonde_compare_measure           (SondeComparison       *self,
                                             SondeCompareTransport  t);

/* sonde-compare-report.c */
void        sonde_compare_build_rows        (SondeComparison       *self);
void        sonde_compare_row_free          (gpointer               data);
const char *sonde_compare_transport_in_sentence (SondeCompareTransport transport);

G_END_DECLS

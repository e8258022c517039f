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
  GMainContext        *context;    /* the run's, for sonde_comparison_end() from elsewhere */
  GMutex               context_lock; /* context is read on any thread, cleared on the run's */
  gint64               end_pending_us; /* sonde_comparison_end() before the run began; -1 */
  gboolean             controlled; /* the built-in mock server's feed, which the run ends */
  gboolean             ending;     /* the time is up or Stop came: waiting for stragglers */
  /* Against URLs, the end waits until each transport has the last message
   * any other had when it began: the keys of those, and of what each got. */
  char                *drain_targets[SONDE_COMPARE_N_TRANSPORTS];
  GHashTable          *drain_keys[SONDE_COMPARE_N_TRANSPORTS];
  GHashTable          *drain_counts[SONDE_COMPARE_N_TRANSPORTS];
  guint64              drain_next[SONDE_COMPARE_N_TRANSPORTS];
  /* Against URLs, the entries of each log from the first to the last message
   * every transport received (from > to: none), and what fell outside. */
  guint64              range_from[SONDE_COMPARE_N_TRANSPORTS];
  guint64              range_to[SONDE_COMPARE_N_TRANSPORTS];
  guint                range_lost[SONDE_COMPARE_N_TRANSPORTS];
  guint                range_outside[SONDE_COMPARE_N_TRANSPORTS];
  guint                n_sends;
  gint64               started_us;
  gint64               elapsed_us;
  GPtrArray           *rows;       /* Row */
};

extern const char * const sonde_compare_transport_names[];

/* sonde-compare-options.c */
GUri       *sonde_compare_parse_url         (SondeCompareTransport   t,
                                             const char             *text,
                                             GError                **error);

/* sonde-compare.c */
gboolean    sonde_compare_on_feed           (SondeComparison       *self,
                                             SondeCompareTransport  t);

/* sonde-compare-measure.c */
char       *sonde_compare_message_key       (SondeCompareTransport  t,
                                             const SondeEntryView  *view,
                                             GHashTable            *counts);
void        sonde_compare_align             (SondeComparison       *self);
void        sonde_compare_measure           (SondeComparison       *self,
                                             SondeCompareTransport  t);

/* sonde-compare-report.c */
void        sonde_compare_build_rows        (SondeComparison       *self);
void        sonde_compare_row_free          (gpointer               data);
const char *sonde_compare_transport_in_sentence (SondeCompareTransport transport);

G_END_DECLS

/* sonde-compare.h: SSE, WebSocket and long polling on the same feed at once, measured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_COMPARE_SSE,
  SONDE_COMPARE_WS,
  SONDE_COMPARE_POLL,
  SONDE_COMPARE_N_TRANSPORTS /*< skip >*/
} SondeCompareTransport;

typedef enum
{
  SONDE_COMPARE_FORMAT_TEXT,
  SONDE_COMPARE_FORMAT_MARKDOWN,
  SONDE_COMPARE_FORMAT_CSV,
  SONDE_COMPARE_FORMAT_JSON,
} SondeCompareFormat;

/* What to compare: `sonde compare`'s options and the window's Compare tab
 * both fill this, and sonde_compare_options_check() judges it for both. No
 * URLs mean the in-process mock server (on @recording, else the file at
 * @recording_path, read when the run starts, else the demo); otherwise every
 * transport compared has a URL of its own. */
typedef struct
{
  SondeEventLog *recording;
  char          *recording_path; /* a recording file, read by the run; used without @recording */
  double         duration;      /* seconds the run lasts */
  double         drop_every;    /* the mock server drops every connection this often; 0: never */
  double         speed;         /* the mock server's pace; 0: as fast as clients read */
  double         send_every;    /* the client sends back this often; 0: never */
  guint          transports;    /* 1 << SondeCompareTransport */
  gboolean       ws_deflate;    /* the WebSocket client offers permessage-deflate (default) */
  gboolean       ws_resume;     /* ... and asks for what follows its last message (default) */
  char          *urls[SONDE_COMPARE_N_TRANSPORTS];
} SondeCompareOptions;

/* Every figure of one transport, as measured. Times in microseconds, -1
 * where there was nothing to measure. */
typedef struct
{
  gboolean  enabled;
  guint     messages[2];            /* [0] text, [1] binary: distinct messages received */
  guint64   payload[2];             /* their payload bytes, without stamps */
  guint64   framed[2];              /* their bytes in their own framing, stamps' share taken out */
  guint64   wire_up;                /* all bytes on the feed's connections, client to server */
  guint64   wire_down;
  guint64   stamp_bytes;            /* what the stamps added on the wire */
  guint64   handshake_bytes;        /* the first request's and response's heads */
  gint64    first_event_us;
  gint64    latency_p50_us;
  gint64    latency_p99_us;
  gint64    latency_max_us;
  guint     unstamped;              /* messages without a stamp (not the mock server's) */
  guint     drops;                  /* connections that ended and were tried again */
  double    reconnect_wait_ms;      /* the wait each drop chose (mean), as the client logged it */
  gboolean  wait_from_retry;        /* SSE: the server's retry: set it, not the default */
  gint64    reconnect_mean_us;      /* from the end of one connection to the next open */
  guint     lost;                   /* messages another transport got in the compared range */
  guint     outside;                /* URLs: messages outside the range every transport got */
  guint64   outside_bytes;          /* ... their own bytes (left out of the overhead) */
  gboolean  other_clock;            /* URLs: stamped by a server on another machine */
  guint     repeated;               /* messages received more than once */
  guint     resumes;                /* resume requests the client made (WebSocket) */
  guint     sends;                  /* messages the client sent back */
  guint     sends_answered;
  guint64   send_bytes;             /* what sending cost on the wire, both ways */
  gint64    rtt_p50_us;
  gint64    rtt_max_us;
  char     *http_version;           /* "HTTP/1.1" */
  guint     status;                 /* of the first response */
  gboolean  chunked;
  char     *compression;            /* "permessage-deflate", "gzip"; NULL: none */
  guint     tcp_connections;        /* the feed's and the sends' */
  guint     requests;               /* HTTP requests: polls, POSTs, upgrades, GETs */
  char     *error;                  /* the connection failed for good */
} SondeCompareFigures;

/* At the end of a run on the mock server's feed, the longest wait for every
 * transport to catch up on the messages the feed published. */
#define SONDE_COMPARE_DRAIN_MAX_US (10 * G_USEC_PER_SEC)

/* When stopped early, or against URLs (a feed the run cannot end), the longest
 * wait for every transport to receive the last message any of them had. */
#define SONDE_COMPARE_STOP_WAIT_US (2 * G_USEC_PER_SEC)

/* The options' limits, the same for the command line and the window. */
#define SONDE_COMPARE_DURATION_MIN 0.1
#define SONDE_COMPARE_SECONDS_MAX (24 * 3600.0)
#define SONDE_COMPARE_DROP_EVERY_MIN 0.05
#define SONDE_COMPARE_SEND_EVERY_MIN 0.01
#define SONDE_COMPARE_SPEED_MAX 1000.0

#define SONDE_TYPE_COMPARISON (sonde_comparison_get_type ())

G_DECLARE_FINAL_TYPE (SondeComparison, sonde_comparison, SONDE, COMPARISON, GObject)

void                       sonde_compare_options_init      (SondeCompareOptions *options);
void                       sonde_compare_options_clear     (SondeCompareOptions *options);
gboolean                   sonde_compare_options_check     (const SondeCompareOptions *options,
                                                            GError             **error);
const char                *sonde_compare_transport_name    (SondeCompareTransport transport);
const char                *sonde_compare_transport_title   (SondeCompareTransport transport);
gboolean                   sonde_compare_parse_transports  (const char          *text,
                                                            guint               *transports,
                                                            GError             **error);
gboolean                   sonde_compare_parse_format      (const char          *text,
                                                            SondeCompareFormat  *format);

gboolean                   sonde_compare_check_url         (SondeCompareTransport transport,
                                                            const char          *text,
                                                            GError             **error);
gboolean                   sonde_compare_options_uses_server (const SondeCompareOptions *options);

SondeComparison           *sonde_comparison_new            (const SondeCompareOptions *options);
void                       sonde_comparison_run_async      (SondeComparison     *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean                   sonde_comparison_run_finish     (SondeComparison     *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
void                       sonde_comparison_end            (SondeComparison     *self,
                                                            gint64               max_wait_us);
gboolean                   sonde_comparison_get_controlled (SondeComparison     *self);
SondeEventLog             *sonde_comparison_get_log        (SondeComparison     *self,
                                                            SondeCompareTransport transport);
const SondeCompareFigures *sonde_comparison_get_figures    (SondeComparison     *self,
                                                            SondeCompareTransport transport);
gint64                     sonde_comparison_get_elapsed    (SondeComparison     *self);
gint64                     sonde_comparison_get_feed_messages (SondeComparison  *self);
guint                      sonde_comparison_get_n_rows     (SondeComparison     *self);
gboolean                   sonde_comparison_get_row        (SondeComparison     *self,
                                                            guint                row,
                                                            const char         **section,
                                                            const char         **label,
                                                            const char * const **cells,
                                                            const char         **how);
char                      *sonde_comparison_get_verdict    (SondeComparison     *self);
char                      *sonde_comparison_format         (SondeComparison     *self,
                                                            SondeCompareFormat   format);

G_END_DECLS

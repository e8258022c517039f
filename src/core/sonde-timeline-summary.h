/* sonde-timeline-summary.h: what a timeline draws, kept up to date as a log grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-connection.h"
#include "sonde-event-log.h"

G_BEGIN_DECLS

/* Buckets are 2^14 µs (16.4 ms) wide at level 0 and four times wider at each
 * level above, up to 2^40 µs (12.7 days) at the top. */
#define SONDE_TIMELINE_BASE_SHIFT    14
#define SONDE_TIMELINE_LEVEL_SHIFT   2
#define SONDE_TIMELINE_N_LEVELS      14
#define SONDE_TIMELINE_N_DIRECTIONS  3   /* SondeDirection */
#define SONDE_TIMELINE_N_CATEGORIES  4   /* SondeEntryCategory */
#define SONDE_TIMELINE_NO_SEQ        G_MAXUINT64

/* Entries counted over some span of time. */
typedef struct
{
  guint64 first_seq;                 /* SONDE_TIMELINE_NO_SEQ when empty */
  guint64 first_problem_seq;         /* SONDE_TIMELINE_NO_SEQ when none */
  guint64 bytes[SONDE_TIMELINE_N_DIRECTIONS];
  guint32 count[SONDE_TIMELINE_N_DIRECTIONS][SONDE_TIMELINE_N_CATEGORIES];
} SondeTimelineCounts;

/* A stretch of the connection band: it lasts until the next one starts. */
typedef struct
{
  gint64                start_us;
  SondeConnectionState  state;
  guint64               seq;         /* the entry that began it */
  guint                 delay_ms;    /* waiting: the delay chosen */
  guint                 attempt;     /* waiting: the attempt it waits for */
  char                 *reason;      /* nullable: why, in the log's own words */
} SondeTimelineSegment;

/* Where the stream's recovery is decided. */
typedef enum
{
  SONDE_TIMELINE_NOTE_RETRY,           /* an SSE `retry:` changed the delay; value: ms */
  SONDE_TIMELINE_NOTE_LAST_EVENT_ID,   /* an SSE reconnect sent Last-Event-ID; value: the ID */
  SONDE_TIMELINE_NOTE_RESUME_MESSAGE,  /* a WebSocket resume message; value: its text */
  SONDE_TIMELINE_NOTE_RESUME_QUERY,    /* a WebSocket reconnect's resume query; value: "a=b" */
  SONDE_TIMELINE_NOTE_CLOSE_CODE,      /* a close frame, or 1006; value: "code reason" */
} SondeTimelineNoteKind;

typedef struct
{
  gint64                 time_us;
  guint64                seq;
  SondeTimelineNoteKind  kind;
  SondeDirection         direction;
  char                  *value;
} SondeTimelineNote;

#define SONDE_TYPE_TIMELINE_SUMMARY (sonde_timeline_summary_get_type ())

G_DECLARE_FINAL_TYPE (SondeTimelineSummary, sonde_timeline_summary,
                      SONDE, TIMELINE_SUMMARY, GObject)

SondeTimelineSummary *sonde_timeline_summary_new        (SondeEventLog        *log);
SondeEventLog  *sonde_timeline_summary_get_log          (SondeTimelineSummary *self);
guint64         sonde_timeline_summary_sync             (SondeTimelineSummary *self);
guint64         sonde_timeline_summary_get_n_entries    (SondeTimelineSummary *self);
gboolean        sonde_timeline_summary_get_span         (SondeTimelineSummary *self,
                                                         gint64               *first_us,
                                                         gint64               *last_us);
void            sonde_timeline_summary_get_totals       (SondeTimelineSummary *self,
                                                         SondeTimelineCounts  *totals);
gsize           sonde_timeline_summary_get_memory_size  (SondeTimelineSummary *self);

gint64          sonde_timeline_summary_level_width      (guint                 level);
guint           sonde_timeline_summary_level_for        (gint64                bin_us);
gint64          sonde_timeline_summary_fill_bins        (SondeTimelineSummary *self,
                                                         gint64                from_us,
                                                         gint64                bin_us,
                                                         guint                 n_bins,
                                                         guint64               raw_budget,
                                                         SondeTimelineCounts  *bins);
guint64         sonde_timeline_summary_count_between    (SondeTimelineSummary *self,
                                                         gint64                from_us,
                                                         gint64                to_us);
gboolean        sonde_timeline_summary_seq_range        (SondeTimelineSummary *self,
                                                         gint64                from_us,
                                                         gint64                to_us,
                                                         guint64              *first_seq,
                                                         guint64              *end_seq);
gboolean        sonde_timeline_summary_find_nearest     (SondeTimelineSummary *self,
                                                         gint64                time_us,
                                                         guint64              *seq);

const SondeTimelineSegment *sonde_timeline_summary_get_segments (SondeTimelineSummary *self,
                                                                 guint                *n_segments);
const SondeTimelineNote    *sonde_timeline_summary_get_notes    (SondeTimelineSummary *self,
                                                                 guint                *n_notes);

SondeEntryCategory sonde_timeline_classify              (const SondeEntryView *view);
void            sonde_timeline_counts_clear             (SondeTimelineCounts  *counts);
void            sonde_timeline_counts_add               (SondeTimelineCounts  *counts,
                                                         const SondeTimelineCounts *other);
guint64         sonde_timeline_counts_total             (const SondeTimelineCounts *counts);
guint64         sonde_timeline_counts_category          (const SondeTimelineCounts *counts,
                                                         SondeEntryCategory    category);
guint64         sonde_timeline_counts_direction         (const SondeTimelineCounts *counts,
                                                         SondeDirection        direction);
guint64         sonde_timeline_counts_bytes             (const SondeTimelineCounts *counts);

G_END_DECLS

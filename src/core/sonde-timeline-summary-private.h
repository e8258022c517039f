/* sonde-timeline-summary-private.h: what the parts of the timeline summary share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sonde-timeline-summary.h"

G_BEGIN_DECLS

/* A bucket of plain traffic (data in and out, in counts and bytes that fit
 * 32 bits: nearly every bucket of a busy stream) keeps its counts itself,
 * in 40 bytes; any other (a control frame, a lifecycle entry, a problem, a
 * sum too large) keeps them whole in its level's @wholes, and says where.
 * A level's buckets are most of the summary's memory, and a fresh page of
 * them costs the kernel's zeroing: 96-byte buckets made that a third of the
 * summary's upkeep. Read them with sonde_timeline_bucket_counts(). */
typedef struct
{
  gint64  index;
  guint64 first_seq;
  guint32 data[2];    /* SONDE_DIRECTION_IN, _OUT: data entries */
  guint32 bytes[2];   /* and their bytes */
  guint32 whole;      /* 0: plain; otherwise 1 + the place of its counts in wholes */
} SondeTimelineBucket;

/* A level's buckets, in chunks that double in size (64 buckets, then 128,
 * 256, ...): growing never copies, and bucket i is found with one count of
 * leading zeros. */
#define SONDE_TIMELINE_CHUNK_BITS  6
#define SONDE_TIMELINE_MAX_CHUNKS  48

typedef struct
{
  SondeTimelineBucket *chunks[SONDE_TIMELINE_MAX_CHUNKS];
  SondeTimelineBucket *arena;    /* where the middle chunks are (sonde-timeline-levels.c) */
  guint                n_chunks;
  gsize                first;    /* buckets before it counted entries the log let go of */
  gsize                n;
  GArray              *wholes;   /* SondeTimelineCounts of buckets that are not plain */
} SondeTimelineLevel;

/* What a level above 0 has still to take in: one bucket's worth. */
typedef struct
{
  gint64              index;
  gboolean            used;
  gboolean            only_data;  /* counts holds data in and out, nothing else */
  SondeTimelineCounts counts;
} SondeTimelinePending;

struct _SondeTimelineSummary
{
  GObject                parent_instance;

  SondeEventLog         *log;
  gulong                 items_changed_id;
  GMainContext          *context;         /* the log's, where its items-changed comes */
  GSource               *catch_up;        /* the next step of a count under way */
  guint64                catch_up_to;     /* the log's entries when it last said it grew */

  guint64                n_seen;
  guint64                front;           /* the log's first entry kept, when last looked at */
  gboolean               unordered;       /* an entry's time went back: buckets are no seq runs */
  gint64                 last_index;      /* the level-0 bucket of the last entry counted */
  gint64                 first_us;
  gint64                 last_us;
  SondeTimelineCounts    totals;
  SondeTimelineLevel     levels[SONDE_TIMELINE_N_LEVELS];
  SondeTimelinePending   pending[SONDE_TIMELINE_N_LEVELS];   /* [0] unused */
  gboolean               steady;          /* open, nothing to decide: traffic needs no look */

  /* The connection band, derived from the lifecycle entries. */
  GArray                *segments;        /* SondeTimelineSegment */
  GArray                *notes;           /* SondeTimelineNote */
  gboolean               failure_pending; /* the last segment is a failure a later entry may undo */
  char                  *drop_reason;     /* what ended the last attempt, for its wait */
  char                  *first_request;   /* the first WebSocket request line, for resume queries */

  GArray                *members;         /* scratch: an entry's fields */
  GString               *object;          /* scratch: the same, with braces */
};

/* Levels (sonde-timeline-levels.c). */

static inline guint
sonde_timeline_level_shift (guint level)
{
  return SONDE_TIMELINE_BASE_SHIFT + SONDE_TIMELINE_LEVEL_SHIFT * level;
}

static inline guint
sonde_timeline_chunk_of (gsize i)
{
  return 63 - (guint)__builtin_clzll ((i >> SONDE_TIMELINE_CHUNK_BITS) + 1);
}

static inline SondeTimelineBucket *
sonde_timeline_bucket_at (const SondeTimelineLevel *level,
           gsize        i)
{
  guint chunk = sonde_timeline_chunk_of (i);

  return &level->chunks[chunk][i - ((((gsize)1 << chunk) - 1) << SONDE_TIMELINE_CHUNK_BITS)];
}

void     sonde_timeline_bucket_counts         (const SondeTimelineLevel  *level,
                                               const SondeTimelineBucket *bucket,
                                               SondeTimelineCounts       *counts);
void     sonde_timeline_bucket_add_to         (const SondeTimelineLevel  *level,
                                               const SondeTimelineBucket *bucket,
                                               SondeTimelineCounts       *counts);
void     sonde_timeline_bucket_set            (SondeTimelineLevel        *level,
                                               SondeTimelineBucket       *bucket,
                                               const SondeTimelineCounts *counts);
gsize    sonde_timeline_level_memory_size     (const SondeTimelineLevel  *level);
gsize    sonde_timeline_level_lower_bound     (const SondeTimelineLevel  *level,
                                               gint64                     index);
gsize    sonde_timeline_level_capacity        (const SondeTimelineLevel  *level);
void     sonde_timeline_level_free            (SondeTimelineLevel        *level);
void     sonde_timeline_level_compact         (SondeTimelineLevel        *level);
void     sonde_timeline_summary_add_run       (SondeTimelineSummary      *self,
                                               gint64                     index,
                                               const SondeTimelineCounts *counts);
void     sonde_timeline_summary_flush_pending (SondeTimelineSummary      *self,
                                               guint                      level);

/* The connection band and the notes (sonde-timeline-band.c). */

void     sonde_timeline_band_init             (SondeTimelineSummary      *self);
void     sonde_timeline_band_finalize         (SondeTimelineSummary      *self);
void     sonde_timeline_band_take             (SondeTimelineSummary      *self,
                                               const SondeEntryView      *view);
void     sonde_timeline_band_trim             (SondeTimelineSummary      *self,
                                               guint64                    first);

G_END_DECLS

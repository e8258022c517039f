/* sonde-timeline-levels.c: the timeline summary's counts per time bucket, at every level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sonde-huge-pages.h"
#include "sonde-timeline-summary-private.h"

/* Each level keeps only the buckets that hold something, sorted by their
 * index (time / width), so a quiet day costs what its entries cost, and a
 * fire hose costs one bucket per 16 ms whatever its rate. Levels grow four
 * times wider each: reading any range at any zoom touches at most about four
 * buckets per pixel, and all the levels together hold a third more buckets
 * than level 0 alone. */

void
sonde_timeline_counts_clear (SondeTimelineCounts *counts)
{
  g_return_if_fail (counts != NULL);

  memset (counts, 0, sizeof *counts);
  counts->first_seq = SONDE_TIMELINE_NO_SEQ;
  counts->first_problem_seq = SONDE_TIMELINE_NO_SEQ;
}

void
sonde_timeline_counts_add (SondeTimelineCounts       *counts,
                           const SondeTimelineCounts *other)
{
  g_return_if_fail (counts != NULL);
  g_return_if_fail (other != NULL);

  counts->first_seq = MIN (counts->first_seq, other->first_seq);
  counts->first_problem_seq = MIN (counts->first_problem_seq, other->first_problem_seq);
  for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
    {
      counts->bytes[d] += other->bytes[d];
      for (guint c = 0; c < SONDE_TIMELINE_N_CATEGORIES; c++)
        counts->count[d][c] += other->count[d][c];
    }
}

guint64
sonde_timeline_counts_total (const SondeTimelineCounts *counts)
{
  guint64 total = 0;

  g_return_val_if_fail (counts != NULL, 0);

  for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
    for (guint c = 0; c < SONDE_TIMELINE_N_CATEGORIES; c++)
      total += counts->count[d][c];
  return total;
}

guint64
sonde_timeline_counts_category (const SondeTimelineCounts *counts,
                                SondeEntryCategory         category)
{
  guint64 total = 0;

  g_return_val_if_fail (counts != NULL, 0);
  g_return_val_if_fail ((guint)category < SONDE_TIMELINE_N_CATEGORIES, 0);

  for (guint d = 0; d < SONDE_TIMELINE_N_DIRECTIONS; d++)
    total += counts->count[d][category];
  return total;
}

guint64
sonde_timeline_counts_direction (const SondeTimelineCounts *counts,
                                 SondeDirection             direction)
{
  guint64 total = 0;

  g_return_val_if_fail (counts != NULL, 0);
  g_return_val_if_fail ((guint)direction < SONDE_TIMELINE_N_DIRECTIONS, 0);

  for (guint c = 0; c < SONDE_TIMELINE_N_CATEGORIES; c++)
    total += counts->count[direction][c];
  return total;
}

guint64
sonde_timeline_counts_bytes (const SondeTimelineCounts *counts)
{
  g_return_val_if_fail (counts != NULL, 0);

  return counts->bytes[0] + counts->bytes[1] + counts->bytes[2];
}

gint64
sonde_timeline_summary_level_width (guint level)
{
  g_return_val_if_fail (level < SONDE_TIMELINE_N_LEVELS, 0);

  return (gint64)1 << (SONDE_TIMELINE_BASE_SHIFT + SONDE_TIMELINE_LEVEL_SHIFT * level);
}

/**
 * sonde_timeline_summary_level_for:
 * @bin_us: the width of a bin, such as a pixel
 *
 * Returns: the coarsest level whose buckets are no wider than @bin_us, or 0
 */
guint
sonde_timeline_summary_level_for (gint64 bin_us)
{
  guint level = 0;

  while (level + 1 < SONDE_TIMELINE_N_LEVELS &&
         sonde_timeline_summary_level_width (level + 1) <= bin_us)
    level++;
  return level;
}

/* Buckets: plain ones keep their counts in place, the others in wholes. */

/* Whether @counts holds data entries in and out and nothing else: what a
 * bucket keeps in place, if the sums fit its 32 bits. */
static inline gboolean
counts_only_data (const SondeTimelineCounts *counts)
{
  const guint32 (*n)[SONDE_TIMELINE_N_CATEGORIES] = counts->count;
  guint32 other = n[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_CONTROL] |
                  n[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_LIFECYCLE] |
                  n[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_PROBLEM] |
                  n[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_CONTROL] |
                  n[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_LIFECYCLE] |
                  n[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_PROBLEM] |
                  n[SONDE_DIRECTION_LOCAL][SONDE_ENTRY_CATEGORY_DATA] |
                  n[SONDE_DIRECTION_LOCAL][SONDE_ENTRY_CATEGORY_CONTROL] |
                  n[SONDE_DIRECTION_LOCAL][SONDE_ENTRY_CATEGORY_LIFECYCLE] |
                  n[SONDE_DIRECTION_LOCAL][SONDE_ENTRY_CATEGORY_PROBLEM];

  G_STATIC_ASSERT (SONDE_TIMELINE_N_DIRECTIONS == 3 && SONDE_TIMELINE_N_CATEGORIES == 4);
  return other == 0 && counts->first_problem_seq == SONDE_TIMELINE_NO_SEQ &&
         counts->bytes[SONDE_DIRECTION_LOCAL] == 0;
}

static inline gboolean
counts_are_plain (const SondeTimelineCounts *counts)
{
  return counts_only_data (counts) &&
         (counts->bytes[SONDE_DIRECTION_IN] | counts->bytes[SONDE_DIRECTION_OUT]) <= G_MAXUINT32;
}

/* sonde_timeline_counts_add() for @other that holds data only. */
static inline void
counts_add_data (SondeTimelineCounts       *counts,
                 const SondeTimelineCounts *other)
{
  counts->first_seq = MIN (counts->first_seq, other->first_seq);
  counts->count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA] +=
    other->count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA];
  counts->count[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_DATA] +=
    other->count[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_DATA];
  counts->bytes[SONDE_DIRECTION_IN] += other->bytes[SONDE_DIRECTION_IN];
  counts->bytes[SONDE_DIRECTION_OUT] += other->bytes[SONDE_DIRECTION_OUT];
}

/**
 * sonde_timeline_bucket_counts:
 * @counts: (out caller-allocates): what @bucket of @level counted
 */
void
sonde_timeline_bucket_counts (const SondeTimelineLevel  *level,
                              const SondeTimelineBucket *bucket,
                              SondeTimelineCounts       *counts)
{
  if (bucket->whole != 0)
    {
      *counts = g_array_index (level->wholes, SondeTimelineCounts, bucket->whole - 1);
      return;
    }
  sonde_timeline_counts_clear (counts);
  sonde_timeline_bucket_add_to (level, bucket, counts);
}

/* Adds what @bucket counted to @counts, without making its counts whole first. */
void
sonde_timeline_bucket_add_to (const SondeTimelineLevel  *level,
                              const SondeTimelineBucket *bucket,
                              SondeTimelineCounts       *counts)
{
  if (bucket->whole != 0)
    {
      sonde_timeline_counts_add (counts, &g_array_index (level->wholes, SondeTimelineCounts,
                                                         bucket->whole - 1));
      return;
    }
  counts->first_seq = MIN (counts->first_seq, bucket->first_seq);
  counts->count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA] += bucket->data[0];
  counts->count[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_DATA] += bucket->data[1];
  counts->bytes[SONDE_DIRECTION_IN] += bucket->bytes[0];
  counts->bytes[SONDE_DIRECTION_OUT] += bucket->bytes[1];
}

/* Makes @bucket count @counts, whatever it counted before. */
void
sonde_timeline_bucket_set (SondeTimelineLevel        *level,
                           SondeTimelineBucket       *bucket,
                           const SondeTimelineCounts *counts)
{
  bucket->first_seq = counts->first_seq;
  if (bucket->whole != 0)
    {
      /* Once whole, always whole: its place in wholes stays its own. */
      g_array_index (level->wholes, SondeTimelineCounts, bucket->whole - 1) = *counts;
      return;
    }
  if (counts_are_plain (counts))
    {
      bucket->data[0] = counts->count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA];
      bucket->data[1] = counts->count[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_DATA];
      bucket->bytes[0] = (guint32)counts->bytes[SONDE_DIRECTION_IN];
      bucket->bytes[1] = (guint32)counts->bytes[SONDE_DIRECTION_OUT];
      return;
    }
  if (level->wholes == NULL)
    level->wholes = g_array_new (FALSE, FALSE, sizeof (SondeTimelineCounts));
  if (level->wholes->len >= G_MAXUINT32 - 1)
    g_error ("The timeline is full (%u buckets of every kind)", level->wholes->len);
  g_array_append_val (level->wholes, *counts);
  bucket->whole = level->wholes->len;
}

/* Adds @counts to what @bucket counted; @only_data: counts_only_data (@counts). */
static void
bucket_add (SondeTimelineLevel        *level,
            SondeTimelineBucket       *bucket,
            const SondeTimelineCounts *counts,
            gboolean                   only_data)
{
  SondeTimelineCounts sum;

  if (bucket->whole == 0 && only_data)
    {
      guint64 in = (guint64)bucket->data[0] + counts->count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA];
      guint64 out = (guint64)bucket->data[1] + counts->count[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_DATA];
      guint64 in_bytes = bucket->bytes[0] + counts->bytes[SONDE_DIRECTION_IN];
      guint64 out_bytes = bucket->bytes[1] + counts->bytes[SONDE_DIRECTION_OUT];

      if (MAX (MAX (in, out), MAX (in_bytes, out_bytes)) <= G_MAXUINT32)
        {
          bucket->data[0] = (guint32)in;
          bucket->data[1] = (guint32)out;
          bucket->bytes[0] = (guint32)in_bytes;
          bucket->bytes[1] = (guint32)out_bytes;
          bucket->first_seq = MIN (bucket->first_seq, counts->first_seq);
          return;
        }
    }
  if (bucket->whole != 0)
    {
      sonde_timeline_counts_add (&g_array_index (level->wholes, SondeTimelineCounts,
                                                 bucket->whole - 1), counts);
      bucket->first_seq = MIN (bucket->first_seq, counts->first_seq);
      return;
    }
  sonde_timeline_bucket_counts (level, bucket, &sum);
  sonde_timeline_counts_add (&sum, counts);
  /* Counts are 32 bits wide in SondeTimelineCounts too; bytes are 64. */
  sonde_timeline_bucket_set (level, bucket, &sum);
}

gsize
sonde_timeline_level_memory_size (const SondeTimelineLevel *level)
{
  return sonde_timeline_level_capacity (level) * sizeof (SondeTimelineBucket) +
         (level->wholes != NULL ? level->wholes->len * sizeof (SondeTimelineCounts) : 0);
}

/* The first bucket whose index is at least @index. */
gsize
sonde_timeline_level_lower_bound (const SondeTimelineLevel *level,
                                  gint64                    index)
{
  gsize lo = level->first;
  gsize hi = level->n;

  /* Reads mostly look near the end, where appends go. */
  if (hi > lo && sonde_timeline_bucket_at (level, hi - 1)->index < index)
    return hi;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (sonde_timeline_bucket_at (level, mid)->index < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Big chunks live in 2 MiB-aligned memory with transparent huge pages, as
 * the event log's blocks do. On the virtual machine this was measured on, a
 * fresh 4 KiB page costs about 7 µs the first time it is written, even when
 * madvise() populated it beforehand (the host backs it only then), and a
 * fresh huge page about 0.24 µs per 4 KiB of it: at an hour's density that
 * was a third of the summary's upkeep, spent writing new buckets.
 *
 * The first chunks (1,984 buckets, half a minute of a stream with data in
 * every 16 ms) come from the heap, so a quiet tab's levels stay small. The
 * five after them share one 4 MiB arena of huge pages, faulted in 2 MiB at
 * a time as the level reaches them, and each chunk after those is huge
 * pages of its own: a level holds at most about 2 MiB more than it uses. */
#define ARENA_FIRST  5
#define ARENA_LAST   9
#define ARENA_SIZE   (2 * SONDE_HUGE_PAGE_SIZE)

static inline gsize
chunk_size (guint chunk)
{
  return ((gsize)1 << (chunk + SONDE_TIMELINE_CHUNK_BITS)) * sizeof (SondeTimelineBucket);
}

/* Fresh pages of a chunk are asked for ten at a time (1,024 buckets, 40
 * KiB) as the level reaches them, with one madvise() instead of a page
 * fault each: on a virtual machine a fault costs microseconds (about 9 on
 * the one this was measured on), and the faults on the levels' chunks were
 * a quarter of the summary's upkeep. What is asked for is written next. */
#define POPULATE_BUCKETS 1024
#define POPULATE_PAGE    4096

static void
populate_ahead (const SondeTimelineLevel *level,
                gsize                     i)
{
#ifdef MADV_POPULATE_WRITE
  guint chunk = sonde_timeline_chunk_of (i);
  guintptr chunk_end = (guintptr)level->chunks[chunk] + chunk_size (chunk);
  guintptr from = ((guintptr)sonde_timeline_bucket_at (level, i) + POPULATE_PAGE - 1) &
                  ~(guintptr)(POPULATE_PAGE - 1);
  guintptr to = MIN (from + POPULATE_BUCKETS * sizeof (SondeTimelineBucket),
                     chunk_end & ~(guintptr)(POPULATE_PAGE - 1));

  /* Huge pages fault in 2 MiB at a time without help. Failing (an older
   * kernel) only leaves the pages to fault one by one. */
  if (to > from && chunk < ARENA_FIRST)
    madvise ((void *)from, to - from, MADV_POPULATE_WRITE);
#endif
}

static void
level_grow (SondeTimelineLevel *level)
{
  guint chunk = level->n_chunks;
  gsize size = chunk_size (chunk);
  void *data;

  G_STATIC_ASSERT (((((gsize)1 << (ARENA_LAST + 1)) - ((gsize)1 << ARENA_FIRST)) <<
                    SONDE_TIMELINE_CHUNK_BITS) * sizeof (SondeTimelineBucket) <= ARENA_SIZE);

  if (chunk == SONDE_TIMELINE_MAX_CHUNKS)
    g_error ("The timeline is full (%" G_GSIZE_FORMAT " buckets)", level->n);

  if (chunk < ARENA_FIRST)
    data = g_malloc (size);
  else if (chunk <= ARENA_LAST)
    {
      /* After the chunks before it in the arena. */
      if (level->arena == NULL)
        level->arena = sonde_huge_pages_alloc (ARENA_SIZE, "the timeline");
      data = level->arena + ((((gsize)1 << chunk) - ((gsize)1 << ARENA_FIRST)) <<
                             SONDE_TIMELINE_CHUNK_BITS);
    }
  else
    data = sonde_huge_pages_alloc ((size + SONDE_HUGE_PAGE_SIZE - 1) &
                                   ~(gsize)(SONDE_HUGE_PAGE_SIZE - 1), "the timeline");
  level->chunks[level->n_chunks++] = data;
}

static inline gsize
level_capacity (const SondeTimelineLevel *level)
{
  return ((((gsize)1 << level->n_chunks) - 1) << SONDE_TIMELINE_CHUNK_BITS);
}

gsize
sonde_timeline_level_capacity (const SondeTimelineLevel *level)
{
  return level_capacity (level);
}

/* Counts @counts into the bucket @index of @level, a new one if need be;
 * @only_data: counts_only_data (@counts), which the caller knew already. */
static void
level_add (SondeTimelineLevel        *level,
           gint64                     index,
           const SondeTimelineCounts *counts,
           gboolean                   only_data)
{
  SondeTimelineBucket *last = level->n > level->first
                                ? sonde_timeline_bucket_at (level, level->n - 1) : NULL;
  SondeTimelineBucket *bucket;
  gsize at;

  if (last != NULL && last->index == index)
    {
      bucket_add (level, last, counts, only_data);
      return;
    }

  /* Entries come in time order: a bucket is nearly always new and last. */
  if (last == NULL || last->index < index)
    at = level->n;
  else
    {
      at = sonde_timeline_level_lower_bound (level, index);
      if (at < level->n && sonde_timeline_bucket_at (level, at)->index == index)
        {
          bucket_add (level, sonde_timeline_bucket_at (level, at), counts, only_data);
          return;
        }
    }

  if (level->n == level_capacity (level))
    level_grow (level);
  /* A bucket in the middle (a clock that stepped back) moves the later ones up. */
  for (gsize i = level->n; i > at; i--)
    *sonde_timeline_bucket_at (level, i) = *sonde_timeline_bucket_at (level, i - 1);
  if (G_UNLIKELY (at == level->n && at % POPULATE_BUCKETS == 0))
    populate_ahead (level, at);
  bucket = sonde_timeline_bucket_at (level, at);
  bucket->index = index;
  bucket->whole = 0;
  level->n++;
  if (only_data &&
      (counts->bytes[SONDE_DIRECTION_IN] | counts->bytes[SONDE_DIRECTION_OUT]) <= G_MAXUINT32)
    {
      bucket->first_seq = counts->first_seq;
      bucket->data[0] = counts->count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA];
      bucket->data[1] = counts->count[SONDE_DIRECTION_OUT][SONDE_ENTRY_CATEGORY_DATA];
      bucket->bytes[0] = (guint32)counts->bytes[SONDE_DIRECTION_IN];
      bucket->bytes[1] = (guint32)counts->bytes[SONDE_DIRECTION_OUT];
      return;
    }
  sonde_timeline_bucket_set (level, bucket, counts);
}

/* Both kinds of chunk come from malloc underneath, and go back with free(). */
void
sonde_timeline_level_free (SondeTimelineLevel *level)
{
  for (guint c = 0; c < level->n_chunks; c++)
    if (c < ARENA_FIRST || c > ARENA_LAST)
      free (level->chunks[c]);
  free (level->arena);
  g_clear_pointer (&level->wholes, g_array_unref);
  memset (level, 0, sizeof *level);
}

/* Once at least half of a level's buckets were let go of, the kept ones
 * move to fresh chunks, so that memory follows what the log keeps: each
 * bucket moves about once, however long the session runs. */
void
sonde_timeline_level_compact (SondeTimelineLevel *level)
{
  SondeTimelineLevel fresh = { 0 };

  if (level->first < ((gsize)1 << SONDE_TIMELINE_CHUNK_BITS) ||
      level->first < level->n - level->first)
    return;
  for (gsize i = level->first; i < level->n; i++)
    {
      const SondeTimelineBucket *old = sonde_timeline_bucket_at (level, i);
      SondeTimelineBucket *moved;

      if (fresh.n == sonde_timeline_level_capacity (&fresh))
        level_grow (&fresh);
      moved = sonde_timeline_bucket_at (&fresh, fresh.n++);
      *moved = *old;
      if (old->whole != 0)
        {
          /* Wholes of buckets let go of stay behind. */
          moved->whole = 0;
          sonde_timeline_bucket_set (&fresh, moved,
                                     &g_array_index (level->wholes, SondeTimelineCounts,
                                                     old->whole - 1));
        }
    }
  sonde_timeline_level_free (level);
  *level = fresh;
}

/* Levels above 0 stay a step behind while a sync runs: a run goes into
 * level 0 and into level 1's pending bucket, and a pending bucket goes into
 * its level (and into the pending bucket above) when a run of another bucket
 * comes, or when the sync ends. A run costs two additions instead of one per
 * level. Runs of data alone (nearly all of a busy stream's) are added as
 * such, four sums instead of fifteen. */
static void
pend (SondeTimelineSummary      *self,
      guint                      level,
      gint64                     index,
      const SondeTimelineCounts *counts,
      gboolean                   only_data)
{
  SondeTimelinePending *pending = &self->pending[level];

  if (pending->used && pending->index != index)
    sonde_timeline_summary_flush_pending (self, level);
  if (!pending->used)
    {
      pending->used = TRUE;
      pending->index = index;
      pending->counts = *counts;
      pending->only_data = only_data;
    }
  else if (only_data)
    counts_add_data (&pending->counts, counts);
  else
    {
      sonde_timeline_counts_add (&pending->counts, counts);
      pending->only_data = FALSE;
    }
}

void
sonde_timeline_summary_flush_pending (SondeTimelineSummary *self,
                                      guint                 level)
{
  SondeTimelinePending *pending = &self->pending[level];

  if (!pending->used)
    return;
  pending->used = FALSE;
  level_add (&self->levels[level], pending->index, &pending->counts, pending->only_data);
  if (level + 1 < SONDE_TIMELINE_N_LEVELS)
    pend (self, level + 1, pending->index >> SONDE_TIMELINE_LEVEL_SHIFT, &pending->counts,
          pending->only_data);
}

void
sonde_timeline_summary_add_run (SondeTimelineSummary      *self,
                                gint64                     index,
                                const SondeTimelineCounts *counts)
{
  gboolean only_data = counts_only_data (counts);

  level_add (&self->levels[0], index, counts, only_data);
  pend (self, 1, index >> SONDE_TIMELINE_LEVEL_SHIFT, counts, only_data);
  if (only_data)
    counts_add_data (&self->totals, counts);
  else
    sonde_timeline_counts_add (&self->totals, counts);
}

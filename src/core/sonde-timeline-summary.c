/* sonde-timeline-summary.c: what a timeline draws, kept up to date as a log grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-timeline-summary-private.h"

/* Drawing costs what the pixels cost, not what the log holds: a timeline
 * reads counts per time bucket from the level whose buckets are about a
 * pixel wide, and only reads entries themselves when few are in view.
 * The levels are kept in sonde-timeline-levels.c, the connection band and
 * the notes in sonde-timeline-band.c.
 *
 * Entries are read from the log after they were appended (one call per frame
 * from the thread that draws), so the writer never waits for the summary.
 * Consecutive entries of the same level-0 bucket are counted in a local run
 * first; only a run's end touches the levels. */

G_DEFINE_FINAL_TYPE (SondeTimelineSummary, sonde_timeline_summary, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * sonde_timeline_classify:
 *
 * The same as sonde_entry_view_get_category(), with the common case (an
 * entry without fields) answered from a table.
 */
static const guint8 category_of_kind[SONDE_ENTRY_N_KINDS] = {
  [SONDE_ENTRY_OPEN] = SONDE_ENTRY_CATEGORY_LIFECYCLE,
  [SONDE_ENTRY_SSE] = SONDE_ENTRY_CATEGORY_DATA,
  [SONDE_ENTRY_COMMENT] = SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_RETRY] = SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_TEXT] = SONDE_ENTRY_CATEGORY_DATA,
  [SONDE_ENTRY_BINARY] = SONDE_ENTRY_CATEGORY_DATA,
  [SONDE_ENTRY_PING] = SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_PONG] = SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_CLOSE] = SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_RECONNECT] = SONDE_ENTRY_CATEGORY_LIFECYCLE,
  [SONDE_ENTRY_CLOSED] = SONDE_ENTRY_CATEGORY_LIFECYCLE,
  [SONDE_ENTRY_ERROR] = SONDE_ENTRY_CATEGORY_PROBLEM,
};

SondeEntryCategory
sonde_timeline_classify (const SondeEntryView *view)
{
  if (view->fields_len == 0 && view->kind < SONDE_ENTRY_N_KINDS)
    return category_of_kind[view->kind];
  return sonde_entry_view_get_category (view);
}

/* One entry into @counts. */
static inline void
count_one (SondeTimelineCounts *counts,
           guint64              seq,
           SondeEntryCategory   category,
           guint                direction,
           gsize                raw_len)
{
  direction = MIN (direction, SONDE_TIMELINE_N_DIRECTIONS - 1);
  counts->count[direction][category]++;
  counts->bytes[direction] += raw_len;
  counts->first_seq = MIN (counts->first_seq, seq);
  if (category == SONDE_ENTRY_CATEGORY_PROBLEM)
    counts->first_problem_seq = MIN (counts->first_problem_seq, seq);
}

static guint64 sync_up_to (SondeTimelineSummary *self,
                           guint64               max_entries);

/* What the summary counts when the log says it grew, at most, before it
 * lets the main loop draw a frame: some 5 ms at 20 ns an entry. A window
 * that got no processor for a while, or a tab that opens on a fire hose,
 * finds a million entries or more to count; counted at once, they made a
 * frame of their own. The rest, up to what the log held when it said so,
 * is counted in later steps at the default idle priority (the log's own
 * notification's, in a live tab): below the redraw, and never chasing a
 * writer that appends faster than a loaded main thread counts, which would
 * keep the source ready for ever and starve every idle below it. */
#define SYNC_STEP 262144

static void sync_step (SondeTimelineSummary *self);

static gboolean
catch_up_cb (gpointer user_data)
{
  SondeTimelineSummary *self = user_data;

  g_clear_pointer (&self->catch_up, g_source_unref);
  sync_step (self);

  return G_SOURCE_REMOVE;
}

static void
sync_step (SondeTimelineSummary *self)
{
  sync_up_to (self, self->catch_up_to > self->n_seen
                    ? MIN (self->catch_up_to - self->n_seen, SYNC_STEP) : 0);
  if (self->catch_up == NULL && self->n_seen < self->catch_up_to)
    {
      self->catch_up = g_idle_source_new ();
      g_source_set_priority (self->catch_up, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (self->catch_up, catch_up_cb, self, NULL);
      g_source_set_static_name (self->catch_up, "[sonde] timeline summary catch-up");
      g_source_attach (self->catch_up, self->context);
    }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  SondeTimelineSummary *self = user_data;

  self->catch_up_to = MAX (self->catch_up_to, sonde_event_log_get_n_entries (self->log));
  sync_step (self);
}

static void
sonde_timeline_summary_dispose (GObject *object)
{
  SondeTimelineSummary *self = SONDE_TIMELINE_SUMMARY (object);

  g_clear_signal_handler (&self->items_changed_id, self->log);
  g_clear_object (&self->log);
  if (self->catch_up != NULL)
    {
      g_source_destroy (self->catch_up);
      g_clear_pointer (&self->catch_up, g_source_unref);
    }
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sonde_timeline_summary_parent_class)->dispose (object);
}

static void
sonde_timeline_summary_finalize (GObject *object)
{
  SondeTimelineSummary *self = SONDE_TIMELINE_SUMMARY (object);

  for (guint i = 0; i < SONDE_TIMELINE_N_LEVELS; i++)
    sonde_timeline_level_free (&self->levels[i]);
  sonde_timeline_band_finalize (self);

  G_OBJECT_CLASS (sonde_timeline_summary_parent_class)->finalize (object);
}

static void fill_marks (void);

static void
sonde_timeline_summary_class_init (SondeTimelineSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  fill_marks ();

  object_class->dispose = sonde_timeline_summary_dispose;
  object_class->finalize = sonde_timeline_summary_finalize;

  /**
   * SondeTimelineSummary::changed:
   *
   * New entries were counted (at most once per sync).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sonde_timeline_summary_init (SondeTimelineSummary *self)
{
  sonde_timeline_counts_clear (&self->totals);
  sonde_timeline_band_init (self);
}

/**
 * sonde_timeline_summary_new:
 * @log: the log to summarize
 *
 * Counts what @log holds and, from then on, what it appends: the summary
 * catches up whenever the log says it has new items (on the log's own
 * context, at most 262,144 entries before a frame may come, the rest of
 * what it then held in later turns of that context's main loop), or when
 * sonde_timeline_summary_sync() is called (all at once).
 *
 * Returns: (transfer full): a summary of @log
 */
SondeTimelineSummary *
sonde_timeline_summary_new (SondeEventLog *log)
{
  SondeTimelineSummary *self;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  self = g_object_new (SONDE_TYPE_TIMELINE_SUMMARY, NULL);
  self->log = g_object_ref (log);
  /* Where the log's items-changed comes, the rest of a step is counted. */
  self->context = g_main_context_ref_thread_default ();
  self->items_changed_id = g_signal_connect (log, "items-changed",
                                             G_CALLBACK (items_changed_cb), self);
  sonde_timeline_summary_sync (self);

  return self;
}

/**
 * sonde_timeline_summary_get_log:
 *
 * Returns: (transfer none): the log this summarizes
 */
SondeEventLog *
sonde_timeline_summary_get_log (SondeTimelineSummary *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), NULL);

  return self->log;
}

/* Traffic that needs no look beyond its kind when the connection is open:
 * 1 + its category, or 0 for a kind that needs a look. */
static const guint8 plain_kinds[16] = {
  [SONDE_ENTRY_SSE] = 1 + SONDE_ENTRY_CATEGORY_DATA,
  [SONDE_ENTRY_COMMENT] = 1 + SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_TEXT] = 1 + SONDE_ENTRY_CATEGORY_DATA,
  [SONDE_ENTRY_BINARY] = 1 + SONDE_ENTRY_CATEGORY_DATA,
  [SONDE_ENTRY_PING] = 1 + SONDE_ENTRY_CATEGORY_CONTROL,
  [SONDE_ENTRY_PONG] = 1 + SONDE_ENTRY_CATEGORY_CONTROL,
};

/* The long way: the entry read whole, its fields looked at, the band moved. */
static void
count_whole (SondeTimelineSummary *self,
             SondeTimelineCounts  *run,
             guint64               seq)
{
  SondeEntryView view;

  if (!sonde_event_log_get_view (self->log, seq, &view))
    return;
  count_one (run, seq, sonde_timeline_classify (&view), view.direction, view.raw_len);

  if (view.kind < SONDE_ENTRY_N_KINDS && view.direction <= SONDE_DIRECTION_LOCAL)
    sonde_timeline_band_take (self, &view);
}

/* Letting go at the front. A log with an entry limit releases its oldest
 * entries (sonde_event_log_release_before()); the summary then counts only
 * the entries kept, and never reads one that went. */

/* Counts the kept entries [@from, @to) again, as sync counted them: into
 * @only when given, into the levels otherwise. */
static void
recount (SondeTimelineSummary *self,
         guint64               from,
         guint64               to,
         SondeTimelineCounts  *only)
{
  SondeEntryBrief briefs[256];
  SondeTimelineCounts run;
  gint64 run_index = 0;
  gboolean in_run = FALSE;
  guint got;

  sonde_timeline_counts_clear (&run);
  for (guint64 seq = from;
       seq < to &&
       (got = sonde_event_log_read_briefs (self->log, seq, briefs,
                                           (guint)MIN (G_N_ELEMENTS (briefs), to - seq))) > 0;
       seq += got)
    for (guint i = 0; i < got; i++)
      {
        const SondeEntryBrief *brief = &briefs[i];
        gint64 index = brief->time_us >> SONDE_TIMELINE_BASE_SHIFT;
        SondeEntryCategory category;
        SondeEntryView view;

        if (only == NULL)
          {
            if (!in_run || index != run_index)
              {
                if (in_run)
                  sonde_timeline_summary_add_run (self, run_index, &run);
                sonde_timeline_counts_clear (&run);
                run_index = index;
                in_run = TRUE;
              }
            self->first_us = MIN (self->first_us, brief->time_us);
            self->last_us = MAX (self->last_us, brief->time_us);
          }

        if (!brief->has_fields && brief->kind < SONDE_ENTRY_N_KINDS)
          category = category_of_kind[brief->kind];
        else if (sonde_event_log_get_view (self->log, seq + i, &view))
          category = sonde_timeline_classify (&view);
        else
          continue;
        count_one (only != NULL ? only : &run, seq + i, category, brief->direction,
                   brief->raw_len);
      }
  if (in_run)
    sonde_timeline_summary_add_run (self, run_index, &run);
  for (guint level = 1; level < SONDE_TIMELINE_N_LEVELS; level++)
    sonde_timeline_summary_flush_pending (self, level);
}

/* Entries in time order make each level-0 bucket a run of sequence numbers
 * up to the next bucket's first: the buckets before @first leave whole, the
 * one it cuts through is counted again from its kept entries, and each level
 * above takes its first kept bucket again from the (at most four) below it.
 * What this costs follows the buckets that go, not the entries. */
static void
trim_levels (SondeTimelineSummary *self,
             guint64               first)
{
  SondeTimelineLevel *lv0 = &self->levels[0];
  const SondeTimelineLevel *top = &self->levels[SONDE_TIMELINE_N_LEVELS - 1];

  for (; lv0->first < lv0->n; lv0->first++)
    {
      SondeTimelineBucket *bucket = sonde_timeline_bucket_at (lv0, lv0->first);
      guint64 end = lv0->first + 1 < lv0->n
                      ? sonde_timeline_bucket_at (lv0, lv0->first + 1)->first_seq
                      : self->n_seen;

      if (end <= first)
        continue;
      if (bucket->first_seq < first)
        {
          SondeTimelineCounts kept;

          sonde_timeline_counts_clear (&kept);
          recount (self, first, end, &kept);
          sonde_timeline_bucket_set (lv0, bucket, &kept);
        }
      break;
    }

  for (guint level = 1; level < SONDE_TIMELINE_N_LEVELS; level++)
    {
      SondeTimelineLevel *below = &self->levels[level - 1];
      SondeTimelineLevel *lv = &self->levels[level];
      SondeTimelineBucket *bucket;
      gint64 index;

      if (below->first == below->n)
        {
          lv->first = lv->n;
          continue;
        }
      index = sonde_timeline_bucket_at (below, below->first)->index >> SONDE_TIMELINE_LEVEL_SHIFT;
      while (lv->first < lv->n && sonde_timeline_bucket_at (lv, lv->first)->index < index)
        lv->first++;
      if (lv->first < lv->n && (bucket = sonde_timeline_bucket_at (lv, lv->first))->index == index)
        {
          SondeTimelineCounts kept;

          sonde_timeline_counts_clear (&kept);
          for (gsize i = below->first;
               i < below->n &&
               sonde_timeline_bucket_at (below, i)->index >> SONDE_TIMELINE_LEVEL_SHIFT == index;
               i++)
            sonde_timeline_bucket_add_to (below, sonde_timeline_bucket_at (below, i), &kept);
          sonde_timeline_bucket_set (lv, bucket, &kept);
        }
      sonde_timeline_level_compact (below);
    }
  sonde_timeline_level_compact (&self->levels[SONDE_TIMELINE_N_LEVELS - 1]);

  /* The top level's buckets are 12.7 days wide: a few hold everything. */
  sonde_timeline_counts_clear (&self->totals);
  for (gsize i = top->first; i < top->n; i++)
    sonde_timeline_bucket_add_to (top, sonde_timeline_bucket_at (top, i), &self->totals);
}

static void
clear_levels (SondeTimelineSummary *self)
{
  for (guint i = 0; i < SONDE_TIMELINE_N_LEVELS; i++)
    sonde_timeline_level_free (&self->levels[i]);
  sonde_timeline_counts_clear (&self->totals);
}

/* Follows the log's release of its oldest entries, if any since the last
 * look. Entries released before they were counted are skipped. Returns
 * whether anything changed. */
static gboolean
follow_release (SondeTimelineSummary *self)
{
  guint64 first = sonde_event_log_get_first_seq (self->log);
  SondeEntryView view;

  if (first <= self->front)
    return FALSE;

  if (first >= self->n_seen)
    {
      clear_levels (self);
      self->n_seen = first;
    }
  else if (self->unordered)
    {
      /* Buckets are no runs of entries once a clock went back: count the
       * kept entries again, which costs what the log keeps. */
      clear_levels (self);
      self->first_us = G_MAXINT64;
      self->last_us = G_MININT64;
      recount (self, first, self->n_seen, NULL);
      self->last_index = sonde_event_log_get_time (self->log, self->n_seen - 1) >> SONDE_TIMELINE_BASE_SHIFT;
    }
  else
    {
      trim_levels (self, first);
      if (sonde_event_log_get_view (self->log, first, &view))
        self->first_us = view.time_us;
    }
  self->front = first;
  sonde_timeline_band_trim (self, first);

  return TRUE;
}

/**
 * sonde_timeline_summary_sync:
 *
 * Counts the entries appended since the last call, and lets go of those
 * the log released. Call it from one thread, the one that reads the summary.
 *
 * Returns: how many entries were counted
 */
guint64
sonde_timeline_summary_sync (SondeTimelineSummary *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), 0);

  return sync_up_to (self, G_MAXUINT64);
}

/* What a walk by tags makes of each: its tick mark and what follows it
 * (kind, direction, whether it needs a look), as an index into a table of
 * 1 + its place in a #SondeTimelineCounts' count (direction * categories +
 * category) when an open connection's entry of that sort is counted from its
 * tag alone, 0 when it needs a look; with TICK set when it starts a tick.
 * While the connection is not open, every entry needs a look. */
#define TAG_MARK_SHIFT  SONDE_ENTRY_TAG_LOCATION_BITS
#define TAG_MARKS       256
#define TICK            0x80
#define IN_DATA_SORT    (1 + SONDE_DIRECTION_IN * SONDE_TIMELINE_N_CATEGORIES + SONDE_ENTRY_CATEGORY_DATA)
/* Tags are read in batches, the times a batch needs asked for first. */
#define TAG_BATCH       512

static guint8 steady_marks[TAG_MARKS];
static guint8 unsteady_marks[TAG_MARKS];

static void
fill_marks (void)
{
  for (guint mark = 0; mark < TAG_MARKS; mark++)
    {
      SondeEntryTag tag = (SondeEntryTag)mark << TAG_MARK_SHIFT;
      guint kind = sonde_entry_tag_kind (tag);
      guint direction = sonde_entry_tag_direction (tag);
      guint8 tick = sonde_entry_tag_starts_tick (tag) ? TICK : 0;

      G_STATIC_ASSERT (SONDE_DIRECTION_IN == 0 && SONDE_DIRECTION_OUT == 1);
      steady_marks[mark] = unsteady_marks[mark] = tick;
      if (plain_kinds[kind] != 0 && direction < SONDE_DIRECTION_LOCAL &&
          !sonde_entry_tag_needs_look (tag))
        steady_marks[mark] |= (guint8)(1 + direction * SONDE_TIMELINE_N_CATEGORIES +
                                       plain_kinds[kind] - 1);
    }
}

/* sonde_timeline_summary_sync(), counting at most @max_entries.
 *
 * The log's index says of each entry whether it starts a tick, a level-0
 * bucket (SONDE_ENTRY_TICK_US wide), or went back in time: an entry that
 * does not lies in the bucket of the one before, no earlier. Only the
 * entries that start one have their time read; the others, nearly all of
 * a busy stream's, are counted from their tags, eight bytes each, one after
 * the other, and their records are not touched. */
static guint64
sync_up_to (SondeTimelineSummary *self,
            guint64               max_entries)
{
  SondeTimelineCounts run;
  guint32 *run_counts = &run.count[0][0];
  /* Incoming data in a tick begun, nearly every entry, is counted in
   * registers: counting it in @run made each entry wait for the one
   * before's sum. */
  guint32 in_data = 0;
  guint64 in_bytes = 0;
  const guint8 *marks;
  gint64 first_us;
  gint64 last_us;
  gint64 last_index;
  gboolean unordered;
  gboolean released;
  gint64 run_index;
  guint64 n_entries;
  guint64 seq;

  G_STATIC_ASSERT (SONDE_TIMELINE_BASE_SHIFT == SONDE_ENTRY_TICK_SHIFT);
  G_STATIC_ASSERT (sizeof run.count == SONDE_TIMELINE_N_DIRECTIONS * SONDE_TIMELINE_N_CATEGORIES * sizeof (guint32));

  /* Held as a reader: no block goes while this reads, whatever thread it is. */
  sonde_event_log_begin_read (self->log);
  released = follow_release (self);
  n_entries = sonde_event_log_get_n_entries (self->log);
  n_entries = MIN (n_entries, self->n_seen + MIN (max_entries, G_MAXUINT64 - self->n_seen));
  if (n_entries == self->n_seen)
    {
      sonde_event_log_end_read (self->log);
      if (released)
        g_signal_emit (self, signals[CHANGED], 0);
      return 0;
    }
  if (self->n_seen == self->front)
    {
      /* The first entry kept has nothing before it to be in order with. */
      self->first_us = self->last_us = sonde_event_log_get_time (self->log, self->n_seen);
      self->last_index = (self->first_us >> SONDE_TIMELINE_BASE_SHIFT) - 1;
      run_index = self->last_index + 1;
    }
  else
    run_index = self->last_index;

  /* The run goes on in the bucket the last entry counted was in. */
  sonde_timeline_counts_clear (&run);
  run.first_seq = self->n_seen;
  first_us = self->first_us;
  last_us = self->last_us;
  last_index = self->last_index;
  unordered = self->unordered;
  marks = self->steady ? steady_marks : unsteady_marks;
  for (seq = self->n_seen; seq < n_entries;)
    {
      guint n_tags;
      const SondeEntryTag *tags = sonde_event_log_peek_tags (self->log, seq,
                                                             MIN (n_entries, seq + TAG_BATCH),
                                                             &n_tags);
      const SondeEntryTag *tag = tags;
      const SondeEntryTag *end = tags + n_tags;

      if (tags == NULL)
        break;
      sonde_event_log_prefetch_tick_times (self->log, tags, n_tags);
      while (tag < end)
        {
          guint8 mark;
          guint64 at;

          /* The common case, in as few instructions as it takes. */
          while (tag < end && marks[(*tag >> TAG_MARK_SHIFT) & (TAG_MARKS - 1)] == IN_DATA_SORT)
            {
              in_data++;
              in_bytes += sonde_entry_tag_raw_len (*tag);
              tag++;
            }
          if (tag == end)
            break;

          /* Any other: a tick begun, traffic of another sort, or a look. */
          mark = marks[(*tag >> TAG_MARK_SHIFT) & (TAG_MARKS - 1)];
          at = seq + (guint64)(tag - tags);
          if (mark & TICK)
            {
              gint64 time_us = sonde_event_log_get_time (self->log, at);
              gint64 index = time_us >> SONDE_TIMELINE_BASE_SHIFT;

              if (index <= last_index)
                {
                  /* Back in time: the entry before may have been the latest. */
                  unordered = TRUE;
                  first_us = MIN (first_us, time_us);
                  if (at > self->front)
                    last_us = MAX (last_us, sonde_event_log_get_time (self->log, at - 1));
                }
              last_index = index;
              if (index != run_index)
                {
                  run.count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA] += in_data;
                  run.bytes[SONDE_DIRECTION_IN] += in_bytes;
                  in_data = 0;
                  in_bytes = 0;
                  if (at > run.first_seq)
                    sonde_timeline_summary_add_run (self, run_index, &run);
                  sonde_timeline_counts_clear (&run);
                  run.first_seq = at;
                  run_index = index;
                }
              mark &= ~TICK;
            }
          if (mark != 0)
            {
              run_counts[mark - 1]++;
              run.bytes[(mark - 1) / SONDE_TIMELINE_N_CATEGORIES] += sonde_entry_tag_raw_len (*tag);
            }
          else
            {
              count_whole (self, &run, at);
              marks = self->steady ? steady_marks : unsteady_marks;
            }
          tag++;
        }
      seq += n_tags;
    }
  run.count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA] += in_data;
  run.bytes[SONDE_DIRECTION_IN] += in_bytes;
  if (seq > run.first_seq)
    sonde_timeline_summary_add_run (self, run_index, &run);
  if (seq > self->n_seen)
    last_us = MAX (last_us, sonde_event_log_get_time (self->log, seq - 1));
  self->first_us = first_us;
  self->last_us = last_us;
  self->last_index = last_index;
  self->unordered = unordered;
  for (guint level = 1; level < SONDE_TIMELINE_N_LEVELS; level++)
    sonde_timeline_summary_flush_pending (self, level);

  sonde_event_log_end_read (self->log);

  n_entries = seq - self->n_seen;
  self->n_seen = seq;
  if (n_entries > 0 || released)
    g_signal_emit (self, signals[CHANGED], 0);

  return n_entries;
}

/**
 * sonde_timeline_summary_get_n_entries:
 *
 * Returns: how many entries the summary has counted, those the log let go
 *   of since included: the sequence number of the next entry it will count
 */
guint64
sonde_timeline_summary_get_n_entries (SondeTimelineSummary *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), 0);

  return self->n_seen;
}

/**
 * sonde_timeline_summary_get_span:
 * @first_us: (out) (optional): the earliest entry's time
 * @last_us: (out) (optional): the latest entry's time
 *
 * Returns: %FALSE when nothing has been counted yet
 */
gboolean
sonde_timeline_summary_get_span (SondeTimelineSummary *self,
                                 gint64               *first_us,
                                 gint64               *last_us)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), FALSE);

  if (first_us != NULL)
    *first_us = self->n_seen > self->front ? self->first_us : 0;
  if (last_us != NULL)
    *last_us = self->n_seen > self->front ? self->last_us : 0;
  return self->n_seen > self->front;
}

/**
 * sonde_timeline_summary_get_totals:
 * @totals: (out caller-allocates): every entry counted so far that the log keeps
 */
void
sonde_timeline_summary_get_totals (SondeTimelineSummary *self,
                                   SondeTimelineCounts  *totals)
{
  g_return_if_fail (SONDE_IS_TIMELINE_SUMMARY (self));
  g_return_if_fail (totals != NULL);

  *totals = self->totals;
}

/**
 * sonde_timeline_summary_get_memory_size:
 *
 * Returns: bytes held by the levels' buckets
 */
gsize
sonde_timeline_summary_get_memory_size (SondeTimelineSummary *self)
{
  gsize size = 0;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), 0);

  for (guint i = 0; i < SONDE_TIMELINE_N_LEVELS; i++)
    size += sonde_timeline_level_memory_size (&self->levels[i]);
  return size;
}

/* Reading. */

/* Adds each bucket of @level whose middle lies in a bin to that bin. */
static void
fill_from_level (SondeTimelineSummary *self,
                 guint                 level,
                 gint64                from_us,
                 gint64                bin_us,
                 guint                 n_bins,
                 SondeTimelineCounts  *bins)
{
  const SondeTimelineLevel *lv = &self->levels[level];
  guint shift = sonde_timeline_level_shift (level);
  gint64 width = (gint64)1 << shift;
  gint64 to_us = from_us + bin_us * n_bins;

  for (gsize i = sonde_timeline_level_lower_bound (lv, (from_us - width / 2) >> shift);
       i < lv->n;
       i++)
    {
      const SondeTimelineBucket *bucket = sonde_timeline_bucket_at (lv, i);
      gint64 middle = (bucket->index << shift) + width / 2;

      if (middle >= to_us)
        break;
      if (middle < from_us)
        continue;
      sonde_timeline_bucket_add_to (lv, bucket, &bins[(middle - from_us) / bin_us]);
    }
}

/**
 * sonde_timeline_summary_seq_range:
 * @first_seq: (out): the first entry that may lie in [@from_us, @to_us)
 * @end_seq: (out): the first entry after them
 *
 * Entries are in time order, so the entries of a span are a run of
 * sequence numbers; this finds it through level 0, without reading entries.
 *
 * Returns: %FALSE when no entry lies in the span
 */
gboolean
sonde_timeline_summary_seq_range (SondeTimelineSummary *self,
                                  gint64                from_us,
                                  gint64                to_us,
                                  guint64              *first_seq,
                                  guint64              *end_seq)
{
  const SondeTimelineLevel *lv;
  gsize first;
  gsize end;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), FALSE);
  g_return_val_if_fail (first_seq != NULL && end_seq != NULL, FALSE);

  lv = &self->levels[0];
  if (to_us <= from_us)
    return FALSE;
  first = sonde_timeline_level_lower_bound (lv, from_us >> SONDE_TIMELINE_BASE_SHIFT);
  end = sonde_timeline_level_lower_bound (lv, ((to_us - 1) >> SONDE_TIMELINE_BASE_SHIFT) + 1);
  if (first >= end)
    return FALSE;

  /* Only entries kept, even between a release and the sync that follows it. */
  *first_seq = MAX (sonde_timeline_bucket_at (lv, first)->first_seq,
                    sonde_event_log_get_first_seq (self->log));
  *end_seq = end < lv->n ? sonde_timeline_bucket_at (lv, end)->first_seq : self->n_seen;
  return *first_seq < *end_seq;
}

/**
 * sonde_timeline_summary_count_between:
 *
 * Returns: about how many entries lie in [@from_us, @to_us): at least that
 *   many, and at most those of the level-0 buckets it touches
 */
guint64
sonde_timeline_summary_count_between (SondeTimelineSummary *self,
                                      gint64                from_us,
                                      gint64                to_us)
{
  guint64 first_seq;
  guint64 end_seq;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), 0);

  if (!sonde_timeline_summary_seq_range (self, from_us, to_us, &first_seq, &end_seq))
    return 0;
  return end_seq - first_seq;
}

/**
 * sonde_timeline_summary_fill_bins:
 * @from_us: where the first bin starts
 * @bin_us: how wide each bin is
 * @n_bins: how many bins
 * @raw_budget: how many entries may be read one by one when bins are finer
 *   than level 0
 * @bins: (array length=n_bins) (out caller-allocates): the counts per bin
 *
 * Counts entries into equal bins. When a level's buckets fit in a bin, each
 * bucket counts in the bin that holds its middle, so a bin's counts may be
 * off by half a bucket at its edges; bins aligned to a level's buckets are
 * exact. Bins finer than level 0 are counted from the entries when there
 * are at most @raw_budget of them in range, exactly, and from level 0
 * otherwise.
 *
 * Returns: the resolution of what was filled: 1 when entries were read,
 *   otherwise the width of the buckets used (more than @bin_us when level 0
 *   was too coarse, and then only one bin in so many holds anything)
 */
gint64
sonde_timeline_summary_fill_bins (SondeTimelineSummary *self,
                                  gint64                from_us,
                                  gint64                bin_us,
                                  guint                 n_bins,
                                  guint64               raw_budget,
                                  SondeTimelineCounts  *bins)
{
  gint64 to_us;
  guint64 first_seq;
  guint64 end_seq;
  guint level;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), 0);
  g_return_val_if_fail (bin_us > 0, 0);
  g_return_val_if_fail (bins != NULL || n_bins == 0, 0);

  for (guint i = 0; i < n_bins; i++)
    sonde_timeline_counts_clear (&bins[i]);
  if (n_bins == 0)
    return bin_us;

  to_us = from_us + bin_us * n_bins;
  level = sonde_timeline_summary_level_for (bin_us);
  if (sonde_timeline_summary_level_width (level) <= bin_us)
    {
      fill_from_level (self, level, from_us, bin_us, n_bins, bins);
      return sonde_timeline_summary_level_width (level);
    }

  if (!sonde_timeline_summary_seq_range (self, from_us, to_us, &first_seq, &end_seq))
    return 1;

  if (end_seq - first_seq > raw_budget)
    {
      fill_from_level (self, 0, from_us, bin_us, n_bins, bins);
      return sonde_timeline_summary_level_width (0);
    }

  /* Read as a reader of the log, in case the drawing thread is not the log's. */
  sonde_event_log_begin_read (self->log);
  for (guint64 seq = first_seq; seq < end_seq; seq++)
    {
      SondeEntryView view;

      if (!sonde_event_log_get_view (self->log, seq, &view))
        break;
      if (view.time_us < from_us || view.time_us >= to_us)
        continue;
      count_one (&bins[(view.time_us - from_us) / bin_us], seq, sonde_timeline_classify (&view),
                 view.direction, view.raw_len);
    }
  sonde_event_log_end_read (self->log);
  return 1;
}

/* The first entry in [lo, hi) at or after @time_us, entries being in time order. */
static guint64
seq_lower_bound (SondeTimelineSummary *self,
                 guint64               lo,
                 guint64               hi,
                 gint64                time_us)
{
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      SondeEntryView view;

      if (!sonde_event_log_get_view (self->log, mid, &view))
        return hi;
      if (view.time_us < time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * sonde_timeline_summary_find_nearest:
 * @seq: (out): the entry nearest in time to @time_us
 *
 * Returns: %FALSE when there are no entries
 */
gboolean
sonde_timeline_summary_find_nearest (SondeTimelineSummary *self,
                                     gint64                time_us,
                                     guint64              *seq)
{
  const SondeTimelineLevel *lv;
  gsize at;
  guint64 lo;
  guint64 hi;
  guint64 found;
  guint64 best = SONDE_TIMELINE_NO_SEQ;
  gint64 best_distance = G_MAXINT64;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), FALSE);
  g_return_val_if_fail (seq != NULL, FALSE);

  lv = &self->levels[0];
  if (lv->n == lv->first)
    return FALSE;

  /* The nearest entry is in the bucket of @time_us or in a neighbour that
   * holds any: search from the bucket before to the one after next. */
  at = sonde_timeline_level_lower_bound (lv, time_us >> SONDE_TIMELINE_BASE_SHIFT);
  lo = MAX (sonde_timeline_bucket_at (lv, at > lv->first ? at - 1 : lv->first)->first_seq,
            sonde_event_log_get_first_seq (self->log));
  hi = at + 2 < lv->n ? sonde_timeline_bucket_at (lv, at + 2)->first_seq : self->n_seen;
  if (lo >= hi)
    return FALSE;

  sonde_event_log_begin_read (self->log);
  found = seq_lower_bound (self, lo, hi, time_us);
  for (guint64 candidate = found > lo ? found - 1 : lo;
       candidate <= found && candidate < hi;
       candidate++)
    {
      SondeEntryView view;
      gint64 distance;

      if (!sonde_event_log_get_view (self->log, candidate, &view))
        continue;
      distance = ABS (view.time_us - time_us);
      if (distance < best_distance)
        {
          best_distance = distance;
          best = candidate;
        }
    }
  sonde_event_log_end_read (self->log);

  if (best == SONDE_TIMELINE_NO_SEQ)
    return FALSE;
  *seq = best;
  return TRUE;
}


/* sonde-timeline-summary.c: what a timeline draws, kept up to date as a log grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry.h"
#include "sonde-json-scanner.h"
#include "sonde-timeline-summary.h"

/* Drawing costs what the pixels cost, not what the log holds: a timeline
 * reads counts per time bucket from the level whose buckets are about a
 * pixel wide, and only reads entries themselves when few are in view.
 *
 * Each level keeps only the buckets that hold something, sorted by their
 * index (time / width), so a quiet day costs what its entries cost, and a
 * fire hose costs one bucket per 16 ms whatever its rate. Levels grow four
 * times wider each: reading any range at any zoom touches at most about four
 * buckets per pixel, and all the levels together hold a third more buckets
 * than level 0 alone.
 *
 * Entries are read from the log after they were appended (one call per frame
 * from the thread that draws), so the writer never waits for the summary.
 * Consecutive entries of the same level-0 bucket are counted in a local run
 * first; only a run's end touches the levels. */

typedef struct
{
  gint64              index;
  SondeTimelineCounts counts;
} Bucket;

/* A level's buckets, in chunks that double in size (64 buckets, then 128,
 * 256, ...): growing never copies, and bucket i is found with one count of
 * leading zeros. */
#define CHUNK_BITS  6
#define MAX_CHUNKS  48

typedef struct
{
  Bucket *chunks[MAX_CHUNKS];
  guint   n_chunks;
  gsize   first;    /* buckets before it counted entries the log let go of */
  gsize   n;
} Level;

/* What a level above 0 has still to take in: one bucket's worth. */
typedef struct
{
  gint64              index;
  gboolean            used;
  SondeTimelineCounts counts;
} Pending;

struct _SondeTimelineSummary
{
  GObject                parent_instance;

  SondeEventLog         *log;
  gulong                 items_changed_id;

  guint64                n_seen;
  guint64                front;           /* the log's first entry kept, when last looked at */
  gboolean               unordered;       /* an entry's time went back: buckets are no seq runs */
  gint64                 first_us;
  gint64                 last_us;
  SondeTimelineCounts    totals;
  Level                  levels[SONDE_TIMELINE_N_LEVELS];
  Pending                pending[SONDE_TIMELINE_N_LEVELS];   /* [0] unused */
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

G_DEFINE_FINAL_TYPE (SondeTimelineSummary, sonde_timeline_summary, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Kinds whose entries can move the connection band or carry a note. */
static const guint8 lifecycle_kinds[SONDE_ENTRY_N_KINDS] = {
  [SONDE_ENTRY_OPEN] = 1,
  [SONDE_ENTRY_RETRY] = 1,
  [SONDE_ENTRY_CLOSE] = 1,
  [SONDE_ENTRY_RECONNECT] = 1,
  [SONDE_ENTRY_CLOSED] = 1,
  [SONDE_ENTRY_ERROR] = 1,
};

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

static void
segment_clear (gpointer data)
{
  SondeTimelineSegment *segment = data;

  g_clear_pointer (&segment->reason, g_free);
}

static void
note_clear (gpointer data)
{
  SondeTimelineNote *note = data;

  g_clear_pointer (&note->value, g_free);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  sonde_timeline_summary_sync (user_data);
}

static void level_free (Level *level);

static void
sonde_timeline_summary_dispose (GObject *object)
{
  SondeTimelineSummary *self = SONDE_TIMELINE_SUMMARY (object);

  g_clear_signal_handler (&self->items_changed_id, self->log);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_timeline_summary_parent_class)->dispose (object);
}

static void
sonde_timeline_summary_finalize (GObject *object)
{
  SondeTimelineSummary *self = SONDE_TIMELINE_SUMMARY (object);

  for (guint i = 0; i < SONDE_TIMELINE_N_LEVELS; i++)
    level_free (&self->levels[i]);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->notes, g_array_unref);
  g_clear_pointer (&self->members, g_array_unref);
  g_string_free (self->object, TRUE);
  g_free (self->drop_reason);
  g_free (self->first_request);

  G_OBJECT_CLASS (sonde_timeline_summary_parent_class)->finalize (object);
}

static void
sonde_timeline_summary_class_init (SondeTimelineSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

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
  self->segments = g_array_new (FALSE, FALSE, sizeof (SondeTimelineSegment));
  g_array_set_clear_func (self->segments, segment_clear);
  self->notes = g_array_new (FALSE, FALSE, sizeof (SondeTimelineNote));
  g_array_set_clear_func (self->notes, note_clear);
  self->members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  self->object = g_string_new (NULL);
}

/**
 * sonde_timeline_summary_new:
 * @log: the log to summarize
 *
 * Counts what @log holds and, from then on, what it appends: the summary
 * catches up whenever the log says it has new items (on the log's own
 * context), or when sonde_timeline_summary_sync() is called.
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

/* Levels. */

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

static inline guint
level_shift (guint level)
{
  return SONDE_TIMELINE_BASE_SHIFT + SONDE_TIMELINE_LEVEL_SHIFT * level;
}

static inline guint
chunk_of (gsize i)
{
  return 63 - (guint)__builtin_clzll ((i >> CHUNK_BITS) + 1);
}

static inline Bucket *
bucket_at (const Level *level,
           gsize        i)
{
  guint chunk = chunk_of (i);

  return &level->chunks[chunk][i - ((((gsize)1 << chunk) - 1) << CHUNK_BITS)];
}

/* The first bucket whose index is at least @index. */
static gsize
level_lower_bound (const Level *level,
                   gint64       index)
{
  gsize lo = level->first;
  gsize hi = level->n;

  /* Reads mostly look near the end, where appends go. */
  if (hi > lo && bucket_at (level, hi - 1)->index < index)
    return hi;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (bucket_at (level, mid)->index < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Big chunks live in 2 MiB-aligned memory with transparent huge pages, as
 * the event log's blocks do: a fresh page faulted in costs about what a few
 * hundred entries cost to count, and an hour of a busy stream needs tens of
 * megabytes of level 0. Small chunks come from the ordinary heap. */
#define HUGE_SIZE (2u * 1024 * 1024)

static void
level_grow (Level *level)
{
  gsize size = ((gsize)1 << (level->n_chunks + CHUNK_BITS)) * sizeof (Bucket);
  void *data = NULL;

  if (level->n_chunks == MAX_CHUNKS)
    g_error ("The timeline is full (%" G_GSIZE_FORMAT " buckets)", level->n);

  if (size < HUGE_SIZE)
    data = g_malloc (size);
  else
    {
      if (posix_memalign (&data, HUGE_SIZE, size) != 0)
        g_error ("Out of memory for the timeline (%" G_GSIZE_FORMAT " bytes)", size);
#ifdef MADV_HUGEPAGE
      madvise (data, size, MADV_HUGEPAGE);
#endif
    }
  level->chunks[level->n_chunks++] = data;
}

static gsize
level_capacity (const Level *level)
{
  return ((((gsize)1 << level->n_chunks) - 1) << CHUNK_BITS);
}

static void
level_add (Level                     *level,
           gint64                     index,
           const SondeTimelineCounts *counts)
{
  Bucket *last = level->n > level->first ? bucket_at (level, level->n - 1) : NULL;
  gsize at;

  if (last != NULL && last->index == index)
    {
      sonde_timeline_counts_add (&last->counts, counts);
      return;
    }

  /* Entries come in time order: a bucket is nearly always new and last. */
  if (last == NULL || last->index < index)
    at = level->n;
  else
    {
      at = level_lower_bound (level, index);
      if (at < level->n && bucket_at (level, at)->index == index)
        {
          sonde_timeline_counts_add (&bucket_at (level, at)->counts, counts);
          return;
        }
    }

  if (level->n == level_capacity (level))
    level_grow (level);
  /* A bucket in the middle (a clock that stepped back) moves the later ones up. */
  for (gsize i = level->n; i > at; i--)
    *bucket_at (level, i) = *bucket_at (level, i - 1);
  bucket_at (level, at)->index = index;
  bucket_at (level, at)->counts = *counts;
  level->n++;
}

/* Both kinds of chunk come from malloc underneath, and go back with free(). */
static void
level_free (Level *level)
{
  for (guint c = 0; c < level->n_chunks; c++)
    free (level->chunks[c]);
  memset (level, 0, sizeof *level);
}

/* Once at least half of a level's buckets were let go of, the kept ones
 * move to fresh chunks, so that memory follows what the log keeps: each
 * bucket moves about once, however long the session runs. */
static void
level_compact (Level *level)
{
  Level fresh = { 0 };

  if (level->first < ((gsize)1 << CHUNK_BITS) || level->first < level->n - level->first)
    return;
  for (gsize i = level->first; i < level->n; i++)
    {
      if (fresh.n == level_capacity (&fresh))
        level_grow (&fresh);
      *bucket_at (&fresh, fresh.n++) = *bucket_at (level, i);
    }
  level_free (level);
  *level = fresh;
}

/* Levels above 0 stay a step behind while a sync runs: a run goes into
 * level 0 and into level 1's pending bucket, and a pending bucket goes into
 * its level (and into the pending bucket above) when a run of another bucket
 * comes, or when the sync ends. A run costs two additions instead of one per
 * level. */
static void flush_pending (SondeTimelineSummary *self,
                           guint                 level);

static void
pend (SondeTimelineSummary      *self,
      guint                      level,
      gint64                     index,
      const SondeTimelineCounts *counts)
{
  Pending *pending = &self->pending[level];

  if (pending->used && pending->index != index)
    flush_pending (self, level);
  if (!pending->used)
    {
      pending->used = TRUE;
      pending->index = index;
      pending->counts = *counts;
    }
  else
    sonde_timeline_counts_add (&pending->counts, counts);
}

static void
flush_pending (SondeTimelineSummary *self,
               guint                 level)
{
  Pending *pending = &self->pending[level];

  if (!pending->used)
    return;
  pending->used = FALSE;
  level_add (&self->levels[level], pending->index, &pending->counts);
  if (level + 1 < SONDE_TIMELINE_N_LEVELS)
    pend (self, level + 1, pending->index >> SONDE_TIMELINE_LEVEL_SHIFT, &pending->counts);
}

static void
add_run (SondeTimelineSummary      *self,
         gint64                     index,
         const SondeTimelineCounts *counts)
{
  level_add (&self->levels[0], index, counts);
  pend (self, 1, index >> SONDE_TIMELINE_LEVEL_SHIFT, counts);
  sonde_timeline_counts_add (&self->totals, counts);
}

/* Fields. */

static gboolean
load_fields (SondeTimelineSummary *self,
             const SondeEntryView *view)
{
  g_string_truncate (self->object, 0);
  g_string_append_c (self->object, '{');
  g_string_append_len (self->object, view->fields, (gssize)view->fields_len);
  g_string_append_c (self->object, '}');
  g_array_set_size (self->members, 0);
  if (!sonde_json_scan_object (self->object->str, self->object->len, self->members, NULL))
    {
      g_array_set_size (self->members, 0);
      return FALSE;
    }
  return TRUE;
}

static const SondeJsonMember *
field (SondeTimelineSummary *self,
       const char           *name)
{
  for (guint i = self->members->len; i > 0; i--)
    {
      const SondeJsonMember *member = &g_array_index (self->members, SondeJsonMember, i - 1);

      if (sonde_json_member_name_is (member, name))
        return member;
    }
  return NULL;
}

static char *
decode_string (const SondeJsonMember *member)
{
  GString *decoded;

  if (member == NULL || member->type != SONDE_JSON_STRING)
    return NULL;
  decoded = g_string_new (NULL);
  sonde_json_decode_string (member->value, member->value_len, decoded);
  return g_string_free (decoded, FALSE);
}

static char *
field_string (SondeTimelineSummary *self,
              const char           *name)
{
  return decode_string (field (self, name));
}

static gboolean
field_uint (SondeTimelineSummary *self,
            const char           *name,
            guint64              *value)
{
  const SondeJsonMember *member = field (self, name);

  return member != NULL && member->type == SONDE_JSON_NUMBER &&
         sonde_json_parse_uint64 (member->value, member->value_len, value);
}

/* A header of an object of headers, by name, whatever its case. */
static char *
field_header (SondeTimelineSummary *self,
              const char           *object_name,
              const char           *header)
{
  const SondeJsonMember *headers = field (self, object_name);
  g_autoptr(GArray) members = NULL;

  if (headers == NULL || headers->type != SONDE_JSON_OBJECT)
    return NULL;
  members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  if (!sonde_json_scan_object (headers->value, headers->value_len, members, NULL))
    return NULL;
  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);
      g_autoptr(GString) name = g_string_new (NULL);

      sonde_json_decode_string (member->name, member->name_len, name);
      if (g_ascii_strcasecmp (name->str, header) == 0)
        return decode_string (member);
    }
  return NULL;
}

/* The band. */

static SondeTimelineSegment *
last_segment (SondeTimelineSummary *self)
{
  if (self->segments->len == 0)
    return NULL;
  return &g_array_index (self->segments, SondeTimelineSegment, self->segments->len - 1);
}

static void
push_segment (SondeTimelineSummary *self,
              gint64                start_us,
              SondeConnectionState  state,
              guint64               seq,
              char                 *reason)
{
  SondeTimelineSegment segment = { 0 };
  SondeTimelineSegment *last = last_segment (self);

  /* Waits always start anew: each has its own delay. */
  if (last != NULL && last->state == state && state != SONDE_CONNECTION_WAITING)
    {
      g_free (reason);
      return;
    }

  segment.start_us = start_us;
  segment.state = state;
  segment.seq = seq;
  segment.reason = reason;
  g_array_append_val (self->segments, segment);
}

static void
add_note (SondeTimelineSummary  *self,
          const SondeEntryView  *view,
          SondeTimelineNoteKind  kind,
          char                  *value)
{
  SondeTimelineNote note = { 0 };

  note.time_us = view->time_us;
  note.seq = view->seq;
  note.kind = kind;
  note.direction = view->direction;
  note.value = value;
  g_array_append_val (self->notes, note);
}

/* A failure logged in an open connection can turn out not to have ended it:
 * an event too large was dropped and the stream went on. Then it goes. */
static void
undo_failure (SondeTimelineSummary *self)
{
  if (!self->failure_pending)
    return;
  self->failure_pending = FALSE;
  g_array_set_size (self->segments, self->segments->len - 1);
}

/* A wait that has run its course became a new attempt. */
static void
end_wait (SondeTimelineSummary *self,
          gint64                time_us)
{
  SondeTimelineSegment *last = last_segment (self);
  gint64 done;

  if (last == NULL || last->state != SONDE_CONNECTION_WAITING)
    return;
  done = last->start_us + (gint64)last->delay_ms * 1000;
  if (time_us >= done)
    push_segment (self, done, SONDE_CONNECTION_CONNECTING, last->seq, NULL);
}

/* The query parameters of @request's target that @url does not have. */
static char *
added_query (const char *request,
             const char *url)
{
  const char *target;
  const char *query;
  const char *url_query;
  g_autoptr(GString) added = NULL;
  g_auto(GStrv) params = NULL;
  g_auto(GStrv) known = NULL;
  g_autofree char *target_copy = NULL;

  if (request == NULL)
    return NULL;
  target = strchr (request, ' ');
  if (target == NULL)
    return NULL;
  target_copy = g_strdup (target + 1);
  if (strchr (target_copy, ' ') != NULL)
    *strchr (target_copy, ' ') = '\0';
  query = strchr (target_copy, '?');
  if (query == NULL)
    return NULL;

  url_query = url != NULL ? strchr (url, '?') : NULL;
  known = g_strsplit (url_query != NULL ? url_query + 1 : "", "&", -1);
  params = g_strsplit (query + 1, "&", -1);
  added = g_string_new (NULL);
  for (guint i = 0; params[i] != NULL; i++)
    {
      if (params[i][0] == '\0' || g_strv_contains ((const char * const *)known, params[i]))
        continue;
      if (added->len > 0)
        g_string_append_c (added, '&');
      g_string_append (added, params[i]);
    }
  if (added->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&added), FALSE);
}

static void
on_open (SondeTimelineSummary *self,
         const SondeEntryView *view)
{
  g_autofree char *request = NULL;
  g_autofree char *url = NULL;
  char *last_event_id;
  guint64 status = 0;

  load_fields (self, view);
  field_uint (self, "status", &status);

  /* What the request said to resume from. */
  last_event_id = field_header (self, "request_headers", "Last-Event-ID");
  if (last_event_id != NULL)
    add_note (self, view, SONDE_TIMELINE_NOTE_LAST_EVENT_ID, last_event_id);

  request = field_string (self, "request");
  url = field_string (self, "url");
  if (request != NULL)
    {
      /* The first request is what the user asked for; a later one that
       * adds parameters is a resume query. */
      if (self->first_request == NULL)
        self->first_request = g_strdup (request);
      else
        {
          char *query = added_query (request, url);

          if (query != NULL)
            add_note (self, view, SONDE_TIMELINE_NOTE_RESUME_QUERY, query);
        }
    }

  /* An open after a failure is the user connecting again. */
  self->failure_pending = FALSE;

  if (status == 101 || (status >= 200 && status < 300 && status != 204))
    push_segment (self, view->time_us, SONDE_CONNECTION_OPEN, view->seq, NULL);
  /* Any other answer is followed by the `closed` or `error` that says how it ended. */
}

static char *
close_description (SondeTimelineSummary *self)
{
  g_autofree char *reason = field_string (self, "reason");
  guint64 code;

  if (!field_uint (self, "code", &code))
    return NULL;
  if (reason != NULL && reason[0] != '\0')
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", code, reason);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, code);
}

static void
on_lifecycle (SondeTimelineSummary *self,
              const SondeEntryView *view)
{
  switch (view->kind)
    {
    case SONDE_ENTRY_OPEN:
      on_open (self, view);
      break;

    case SONDE_ENTRY_RETRY:
      {
        guint64 ms;

        load_fields (self, view);
        if (field_uint (self, "ms", &ms))
          add_note (self, view, SONDE_TIMELINE_NOTE_RETRY,
                    g_strdup_printf ("%" G_GUINT64_FORMAT, ms));
        undo_failure (self);
      }
      break;

    case SONDE_ENTRY_CLOSE:
      {
        char *description;

        load_fields (self, view);
        description = close_description (self);
        if (description != NULL)
          add_note (self, view, SONDE_TIMELINE_NOTE_CLOSE_CODE, description);
      }
      break;

    case SONDE_ENTRY_RECONNECT:
      {
        SondeTimelineSegment *waiting;
        guint64 delay = 0;
        guint64 attempt = 0;

        load_fields (self, view);
        field_uint (self, "delay_ms", &delay);
        field_uint (self, "attempt", &attempt);
        /* The failure was a drop: the policy waits and tries again. */
        undo_failure (self);
        push_segment (self, view->time_us, SONDE_CONNECTION_WAITING, view->seq,
                      g_strdup (self->drop_reason));
        waiting = &g_array_index (self->segments, SondeTimelineSegment, self->segments->len - 1);
        waiting->delay_ms = (guint)MIN (delay, G_MAXUINT);
        waiting->attempt = (guint)MIN (attempt, G_MAXUINT);
      }
      break;

    case SONDE_ENTRY_CLOSED:
      {
        guint64 code;

        load_fields (self, view);
        g_free (self->drop_reason);
        self->drop_reason = field_string (self, "message");
        /* A connection that ended without a close frame says so with 1006. */
        if (field_uint (self, "code", &code) && code == 1006)
          add_note (self, view, SONDE_TIMELINE_NOTE_CLOSE_CODE, close_description (self));
        undo_failure (self);
        push_segment (self, view->time_us, SONDE_CONNECTION_CLOSED, view->seq,
                      g_strdup (self->drop_reason));
      }
      break;

    case SONDE_ENTRY_ERROR:
      if (view->direction != SONDE_DIRECTION_LOCAL)
        {
          /* A frame the peer should not have sent: the connection lives. */
          undo_failure (self);
          break;
        }
      load_fields (self, view);
      g_free (self->drop_reason);
      self->drop_reason = field_string (self, "message");
      if (!self->failure_pending && (last_segment (self) == NULL ||
                                     last_segment (self)->state != SONDE_CONNECTION_FAILED))
        {
          push_segment (self, view->time_us, SONDE_CONNECTION_FAILED, view->seq,
                        g_strdup (self->drop_reason));
          self->failure_pending = TRUE;
        }
      break;

    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Data flowing means the connection is open, whatever came before. */
static void
on_traffic (SondeTimelineSummary *self,
            const SondeEntryView *view)
{
  SondeTimelineSegment *last;

  undo_failure (self);
  last = last_segment (self);
  if (last == NULL || last->state != SONDE_CONNECTION_OPEN)
    push_segment (self, view->time_us, SONDE_CONNECTION_OPEN, view->seq, NULL);

  if (view->kind == SONDE_ENTRY_TEXT && view->direction == SONDE_DIRECTION_OUT &&
      view->fields_len > 0 && sonde_entry_view_has_member (view, "purpose"))
    {
      g_autofree char *purpose = NULL;

      load_fields (self, view);
      purpose = field_string (self, "purpose");
      if (g_strcmp0 (purpose, "resume") == 0)
        {
          gsize len = 0;
          char *data = sonde_entry_view_dup_data (view, &len, NULL);

          add_note (self, view, SONDE_TIMELINE_NOTE_RESUME_MESSAGE,
                    data != NULL ? data : g_strdup (""));
        }
    }
}

static void
on_state_entry (SondeTimelineSummary *self,
                const SondeEntryView *view)
{
  SondeTimelineSegment *last = last_segment (self);

  /* The band starts when the session does, for a log that starts with its
   * connection; a log that starts with traffic (an imported HAR) starts open. */
  if (last == NULL && lifecycle_kinds[view->kind])
    push_segment (self, MIN (0, view->time_us), SONDE_CONNECTION_CONNECTING, view->seq, NULL);

  end_wait (self, view->time_us);

  /* A request sent beside the stream says nothing about the stream. */
  if (lifecycle_kinds[view->kind])
    on_lifecycle (self, view);
  else if (view->direction != SONDE_DIRECTION_LOCAL && view->kind != SONDE_ENTRY_REQUEST)
    on_traffic (self, view);
}

/* Traffic that needs no look beyond its kind when the connection is open. */
static const guint8 plain_kinds[256] = {
  [SONDE_ENTRY_SSE] = 1,
  [SONDE_ENTRY_COMMENT] = 1,
  [SONDE_ENTRY_TEXT] = 1,
  [SONDE_ENTRY_BINARY] = 1,
  [SONDE_ENTRY_PING] = 1,
  [SONDE_ENTRY_PONG] = 1,
};

/* The long way: the entry read whole, its fields looked at, the band moved. */
static void
count_whole (SondeTimelineSummary *self,
             SondeTimelineCounts  *run,
             guint64               seq)
{
  SondeTimelineSegment *last;
  SondeEntryView view;

  if (!sonde_event_log_get_view (self->log, seq, &view))
    return;
  count_one (run, seq, sonde_timeline_classify (&view), view.direction, view.raw_len);

  if (view.kind < SONDE_ENTRY_N_KINDS && view.direction <= SONDE_DIRECTION_LOCAL)
    on_state_entry (self, &view);
  last = last_segment (self);
  self->steady = last != NULL && last->state == SONDE_CONNECTION_OPEN && !self->failure_pending;
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
                  add_run (self, run_index, &run);
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
    add_run (self, run_index, &run);
  for (guint level = 1; level < SONDE_TIMELINE_N_LEVELS; level++)
    flush_pending (self, level);
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
  Level *lv0 = &self->levels[0];
  const Level *top = &self->levels[SONDE_TIMELINE_N_LEVELS - 1];

  for (; lv0->first < lv0->n; lv0->first++)
    {
      Bucket *bucket = bucket_at (lv0, lv0->first);
      guint64 end = lv0->first + 1 < lv0->n ? bucket_at (lv0, lv0->first + 1)->counts.first_seq
                                            : self->n_seen;

      if (end <= first)
        continue;
      if (bucket->counts.first_seq < first)
        {
          sonde_timeline_counts_clear (&bucket->counts);
          recount (self, first, end, &bucket->counts);
        }
      break;
    }

  for (guint level = 1; level < SONDE_TIMELINE_N_LEVELS; level++)
    {
      Level *below = &self->levels[level - 1];
      Level *lv = &self->levels[level];
      Bucket *bucket;
      gint64 index;

      if (below->first == below->n)
        {
          lv->first = lv->n;
          continue;
        }
      index = bucket_at (below, below->first)->index >> SONDE_TIMELINE_LEVEL_SHIFT;
      while (lv->first < lv->n && bucket_at (lv, lv->first)->index < index)
        lv->first++;
      if (lv->first < lv->n && (bucket = bucket_at (lv, lv->first))->index == index)
        {
          sonde_timeline_counts_clear (&bucket->counts);
          for (gsize i = below->first;
               i < below->n && bucket_at (below, i)->index >> SONDE_TIMELINE_LEVEL_SHIFT == index;
               i++)
            sonde_timeline_counts_add (&bucket->counts, &bucket_at (below, i)->counts);
        }
      level_compact (below);
    }
  level_compact (&self->levels[SONDE_TIMELINE_N_LEVELS - 1]);

  /* The top level's buckets are 12.7 days wide: a few hold everything. */
  sonde_timeline_counts_clear (&self->totals);
  for (gsize i = top->first; i < top->n; i++)
    sonde_timeline_counts_add (&self->totals, &bucket_at (top, i)->counts);
}

static void
clear_levels (SondeTimelineSummary *self)
{
  for (guint i = 0; i < SONDE_TIMELINE_N_LEVELS; i++)
    level_free (&self->levels[i]);
  sonde_timeline_counts_clear (&self->totals);
}

/* Notes of entries that went leave; so do segments that ended before the
 * first entry kept. The one in effect then stays as it began (a wait's end
 * follows from its start), and so does the last, which later entries move. */
static void
trim_band (SondeTimelineSummary *self,
           guint64               first)
{
  SondeEntryView view;
  guint n_notes = 0;
  guint n_ended = 0;

  while (n_notes < self->notes->len &&
         g_array_index (self->notes, SondeTimelineNote, n_notes).seq < first)
    n_notes++;
  g_array_remove_range (self->notes, 0, n_notes);

  if (self->segments->len == 0)
    return;
  if (!sonde_event_log_get_view (self->log, first, &view))
    n_ended = self->segments->len - 1;
  else
    while (n_ended + 1 < self->segments->len &&
           g_array_index (self->segments, SondeTimelineSegment, n_ended + 1).start_us <= view.time_us)
      n_ended++;
  g_array_remove_range (self->segments, 0, n_ended);
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
    }
  else
    {
      trim_levels (self, first);
      if (sonde_event_log_get_view (self->log, first, &view))
        self->first_us = view.time_us;
    }
  self->front = first;
  trim_band (self, first);

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
  SondeTimelineCounts run;
  SondeEntryBrief briefs[512];
  gint64 first_us;
  gint64 last_us;
  gboolean steady;
  gboolean unordered;
  gboolean released;
  gint64 run_index = 0;
  gboolean in_run = FALSE;
  guint64 n_entries;
  guint64 seq;
  guint got;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), 0);

  /* Held as a reader: no block goes while this reads, whatever thread it is. */
  sonde_event_log_begin_read (self->log);
  released = follow_release (self);
  n_entries = sonde_event_log_get_n_entries (self->log);
  if (n_entries == self->n_seen)
    {
      sonde_event_log_end_read (self->log);
      if (released)
        g_signal_emit (self, signals[CHANGED], 0);
      return 0;
    }
  if (self->n_seen == self->front)
    {
      SondeEntryView first;

      sonde_event_log_get_view (self->log, self->n_seen, &first);
      self->first_us = self->last_us = first.time_us;
    }

  /* Each entry is read briefly: time, kind, direction, size. Plain traffic
   * in an open connection is counted in a few instructions; anything else
   * (fields to look at, a lifecycle entry, a connection not open) is read
   * whole and taken the long way. */
  sonde_timeline_counts_clear (&run);
  first_us = self->first_us;
  last_us = self->last_us;
  steady = self->steady;
  unordered = self->unordered;
  for (seq = self->n_seen;
       seq < n_entries &&
       (got = sonde_event_log_read_briefs (self->log, seq, briefs,
                                           (guint)MIN (G_N_ELEMENTS (briefs), n_entries - seq))) > 0;
       seq += got)
    for (guint i = 0; i < got; i++)
      {
        const SondeEntryBrief *brief = &briefs[i];
        gint64 index = brief->time_us >> SONDE_TIMELINE_BASE_SHIFT;

        if (G_UNLIKELY (!in_run || index != run_index))
          {
            if (in_run)
              add_run (self, run_index, &run);
            sonde_timeline_counts_clear (&run);
            run.first_seq = seq + i;
            run_index = index;
            in_run = TRUE;
          }

        if (G_LIKELY (brief->time_us >= last_us))
          last_us = brief->time_us;
        else
          {
            unordered = TRUE;
            first_us = MIN (first_us, brief->time_us);
          }

        if (G_LIKELY (steady && plain_kinds[brief->kind] && !brief->has_fields &&
                      brief->direction < SONDE_DIRECTION_LOCAL))
          {
            run.count[brief->direction][category_of_kind[brief->kind]]++;
            run.bytes[brief->direction] += brief->raw_len;
          }
        else
          {
            count_whole (self, &run, seq + i);
            steady = self->steady;
          }
      }
  self->first_us = first_us;
  self->last_us = last_us;
  self->unordered = unordered;
  if (in_run)
    add_run (self, run_index, &run);
  for (guint level = 1; level < SONDE_TIMELINE_N_LEVELS; level++)
    flush_pending (self, level);

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
    size += level_capacity (&self->levels[i]) * sizeof (Bucket);
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
  const Level *lv = &self->levels[level];
  guint shift = level_shift (level);
  gint64 width = (gint64)1 << shift;
  gint64 to_us = from_us + bin_us * n_bins;

  for (gsize i = level_lower_bound (lv, (from_us - width / 2) >> shift); i < lv->n; i++)
    {
      const Bucket *bucket = bucket_at (lv, i);
      gint64 middle = (bucket->index << shift) + width / 2;

      if (middle >= to_us)
        break;
      if (middle < from_us)
        continue;
      sonde_timeline_counts_add (&bins[(middle - from_us) / bin_us], &bucket->counts);
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
  const Level *lv;
  gsize first;
  gsize end;

  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), FALSE);
  g_return_val_if_fail (first_seq != NULL && end_seq != NULL, FALSE);

  lv = &self->levels[0];
  if (to_us <= from_us)
    return FALSE;
  first = level_lower_bound (lv, from_us >> SONDE_TIMELINE_BASE_SHIFT);
  end = level_lower_bound (lv, ((to_us - 1) >> SONDE_TIMELINE_BASE_SHIFT) + 1);
  if (first >= end)
    return FALSE;

  /* Only entries kept, even between a release and the sync that follows it. */
  *first_seq = MAX (bucket_at (lv, first)->counts.first_seq,
                    sonde_event_log_get_first_seq (self->log));
  *end_seq = end < lv->n ? bucket_at (lv, end)->counts.first_seq : self->n_seen;
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
  const Level *lv;
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
  at = level_lower_bound (lv, time_us >> SONDE_TIMELINE_BASE_SHIFT);
  lo = MAX (bucket_at (lv, at > lv->first ? at - 1 : lv->first)->counts.first_seq,
            sonde_event_log_get_first_seq (self->log));
  hi = at + 2 < lv->n ? bucket_at (lv, at + 2)->counts.first_seq : self->n_seen;
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

/**
 * sonde_timeline_summary_get_segments:
 * @n_segments: (out): how many
 *
 * The connection band so far: each segment lasts until the next starts, the
 * last until now. A wait whose delay has passed with nothing logged since is
 * still the last segment: past its delay, it is connecting again.
 *
 * Returns: (transfer none) (array length=n_segments): the segments in time order
 */
const SondeTimelineSegment *
sonde_timeline_summary_get_segments (SondeTimelineSummary *self,
                                     guint                *n_segments)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), NULL);
  g_return_val_if_fail (n_segments != NULL, NULL);

  *n_segments = self->segments->len;
  return (const SondeTimelineSegment *)(gpointer)self->segments->data;
}

/**
 * sonde_timeline_summary_get_notes:
 * @n_notes: (out): how many
 *
 * Returns: (transfer none) (array length=n_notes): where recovery was decided, in time order
 */
const SondeTimelineNote *
sonde_timeline_summary_get_notes (SondeTimelineSummary *self,
                                  guint                *n_notes)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), NULL);
  g_return_val_if_fail (n_notes != NULL, NULL);

  *n_notes = self->notes->len;
  return (const SondeTimelineNote *)(gpointer)self->notes->data;
}

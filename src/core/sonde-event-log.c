/* sonde-event-log.c: the append-only store every view and the recorder read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sonde-entry.h"
#include "sonde-event-log.h"
#include "sonde-huge-pages.h"

/* Entries are packed back to back into large blocks; an index of tags,
 * kept in fixed pages so it never moves either, finds entry N: each says
 * where the record is, and what a walk over every entry needs without it
 * (#SondeEntryTag). A record is
 * a fixed header, then varint-prefixed id and fields, then the raw bytes.
 * Derivable values (an SSE event's data and type) are not stored: they are
 * parsed again from the raw bytes when asked for. */

#define BLOCK_SIZE      (4u * 1024 * 1024)
#define PAGE_BITS       16
#define PAGE_SIZE       (1u << PAGE_BITS)
#define PAGE_MASK       (PAGE_SIZE - 1)
#define MAX_PAGES       (1u << 16)   /* 2^32 entries kept at once */
#define MAX_BLOCKS      (1u << 16)   /* 256 GiB of 4 MiB blocks kept at once */
#define MAX_VARINT      10

/* The tables are rings: block N and page N sit in slot N modulo their size,
 * so that a log which lets go of its oldest entries can run for ever, and
 * only what it keeps at once is bounded. A block number fits the 32 bits an
 * offset gives it: 16 PiB over a log's life. */
#define BLOCK_SLOT(n)   ((n) & (MAX_BLOCKS - 1))
#define PAGE_SLOT(n)    ((n) & (MAX_PAGES - 1))

/* A tag's low bits are where the record is: its offset in the block, then
 * the block's slot. A record starts below BLOCK_SIZE: a block made larger
 * for one record holds that record alone. */
#define OFFSET_BITS     22
#define TAG_OFFSET(t)   ((guint32)(t) & ((1u << OFFSET_BITS) - 1))
#define TAG_SLOT(t)     ((guint)((t) >> OFFSET_BITS) & (MAX_BLOCKS - 1))

G_STATIC_ASSERT (BLOCK_SIZE <= (1u << OFFSET_BITS));
G_STATIC_ASSERT (OFFSET_BITS + 16 == SONDE_ENTRY_TAG_LOCATION_BITS && MAX_BLOCKS == (1u << 16));
G_STATIC_ASSERT (SONDE_ENTRY_N_KINDS <= 16);

/* A record's header is the entry's brief (time, raw size, kind, direction,
 * whether it has fields): a reader that walks every entry, as the timeline's
 * summary does, copies it and touches nothing after it. The raw bytes run
 * from the end of the fields to raw_len bytes further. */
typedef SondeEntryBrief RecordHeader;

G_STATIC_ASSERT (sizeof (RecordHeader) == 16);

struct _SondeEventLog
{
  GObject       parent_instance;

  /* One thread appends, any thread reads, and nobody locks: the block and
   * page tables have a fixed size, so they never move, and n_entries is
   * stored with release order after the record and its index slot are
   * written, and loaded with acquire order before they are read. */
  guint8      **blocks;        /* by block number, in a ring */
  guint64      *block_first;   /* the seq of each block's first entry */
  gsize        *block_bytes;   /* each full block's record bytes */
  gint         *block_pins;    /* entry objects that point into each block */
  SondeEntryTag **pages;       /* by seq >> PAGE_BITS, in a ring */
  guint64       n_entries;
  guint64       n_received;    /* incoming events and messages */
  gsize         raw_bytes;
  gsize         record_bytes;
  guint         n_blocks;      /* blocks ever made: numbers 0 .. n_blocks - 1 */

  /* The writer's own. */
  gsize         block_used;
  gsize         block_size;
  gint64        last_time_us;  /* the last entry's, for its successor's tag */
  gint64        tick_end_us;   /* and where its tick ends */

  /* Letting go of the oldest entries (sonde_event_log_release_before()).
   * Asked from any thread; done by publish(), on the thread of @context,
   * where the model's removal goes out, so that no row it still shows is
   * gone. first_seq is stored with release order once the entries below it
   * are out of the model, and loaded with acquire order by get_view(). A
   * block is freed once no reader holds the log (begin_read()) and no entry
   * object points into it; until then it is only retired. */
  guint64       release_target;
  guint64       first_seq;
  guint         first_block;
  guint64       first_page;
  gsize         released_bytes;
  GMutex        reclaim_lock;
  guint         readers;
  GArray       *retired_blocks;  /* block numbers */
  GPtrArray    *retired_pages;
  /* One freed block kept for the writer's next, exchanged atomically: a log
   * that lets go as it goes writes into memory already faulted in, instead
   * of having the kernel zero fresh pages for every block. */
  guint8       *spare_block;

  /* Owned by the thread of @context. */
  GMainContext *context;
  GSource      *notify_source;
  gint          notify_armed;
  /* Read by the appending thread, so stored and loaded atomically. */
  gint64        notify_interval_us;
  gint64        last_notify_us;
  guint64       n_published;   /* entries the model has announced, released ones included */
  guint64       n_shown;       /* of those, the ones it still shows */

  GDateTime    *started_at;
  gint64        start_monotonic;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeEventLog, sonde_event_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static inline guint8 *
put_varint (guint8  *p,
            guint64  value)
{
  while (value >= 0x80)
    {
      *p++ = (guint8)(value | 0x80);
      value >>= 7;
    }
  *p++ = (guint8)value;
  return p;
}

static inline const guint8 *
get_varint (const guint8 *p,
            guint64      *value)
{
  guint64 result = 0;
  guint shift = 0;

  while (*p & 0x80)
    {
      result |= (guint64)(*p++ & 0x7f) << shift;
      shift += 7;
    }
  result |= (guint64)*p++ << shift;
  *value = result;
  return p;
}

/* Frees what was retired and is no longer read. Holds reclaim_lock. */
static void
reclaim_locked (SondeEventLog *self)
{
  if (self->readers > 0)
    return;

  for (guint i = 0; i < self->retired_blocks->len;)
    {
      guint number = g_array_index (self->retired_blocks, guint, i);
      guint slot = BLOCK_SLOT (number);

      if (g_atomic_int_get (&self->block_pins[slot]) > 0)
        {
          i++;
          continue;
        }
      /* Only a block of at least BLOCK_SIZE holds that many record bytes. */
      if (self->block_bytes[slot] > BLOCK_SIZE ||
          !__atomic_compare_exchange_n (&self->spare_block, &(guint8 *){ NULL }, self->blocks[slot],
                                        FALSE, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        free (self->blocks[slot]);
      /* The writer looks at the slot to know it is free again. */
      __atomic_store_n (&self->blocks[slot], NULL, __ATOMIC_RELEASE);
      g_array_remove_index_fast (self->retired_blocks, i);
    }
  g_ptr_array_set_size (self->retired_pages, 0);
}

/* Moves the first entries up to what release_before() asked for, in whole
 * blocks, out of reach: first_seq goes up and their blocks and index pages
 * are retired. Returns whether anything was. */
static gboolean
retire (SondeEventLog *self)
{
  guint64 target = __atomic_load_n (&self->release_target, __ATOMIC_RELAXED);
  guint n_blocks = __atomic_load_n (&self->n_blocks, __ATOMIC_ACQUIRE);
  guint block = self->first_block;
  guint64 first;

  /* The block being written stays: only blocks with a successor are full. */
  while (block + 1 < n_blocks && self->block_first[BLOCK_SLOT (block + 1)] <= target)
    block++;
  if (block == self->first_block)
    return FALSE;

  first = self->block_first[BLOCK_SLOT (block)];
  g_mutex_lock (&self->reclaim_lock);
  for (guint b = self->first_block; b < block; b++)
    {
      g_array_append_val (self->retired_blocks, b);
      self->released_bytes += self->block_bytes[BLOCK_SLOT (b)];
    }
  while (((self->first_page + 1) << PAGE_BITS) <= first)
    {
      g_ptr_array_add (self->retired_pages, self->pages[PAGE_SLOT (self->first_page)]);
      self->pages[PAGE_SLOT (self->first_page)] = NULL;
      __atomic_store_n (&self->first_page, self->first_page + 1, __ATOMIC_RELEASE);
    }
  self->first_block = block;
  __atomic_store_n (&self->first_seq, first, __ATOMIC_RELEASE);
  g_mutex_unlock (&self->reclaim_lock);

  return TRUE;
}

/* The one items-changed of a dispatch: the entries let go of leave the
 * front, then the new ones join the end. */
static void
publish (SondeEventLog *self)
{
  gboolean retired = retire (self);
  guint64 n_entries = __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE);
  guint64 first = __atomic_load_n (&self->first_seq, __ATOMIC_RELAXED);
  guint64 shown_first = self->n_published - self->n_shown;

  if (first >= self->n_published)
    {
      /* Nothing shown is kept: one change replaces it all. */
      guint removed = (guint)MIN (self->n_shown, G_MAXUINT);

      self->n_published = n_entries;
      self->n_shown = n_entries - first;
      if (removed > 0 || self->n_shown > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, (guint)self->n_shown);
    }
  else
    {
      guint64 before = self->n_published;

      if (first > shown_first)
        {
          self->n_shown -= first - shown_first;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint)(first - shown_first), 0);
        }
      if (n_entries > before)
        {
          self->n_published = n_entries;
          self->n_shown += n_entries - before;
          g_list_model_items_changed (G_LIST_MODEL (self), (guint)(before - first), 0,
                                      (guint)(n_entries - before));
        }
    }

  /* After the removal: the rows it took have let go of their entries. */
  if (retired)
    {
      g_mutex_lock (&self->reclaim_lock);
      reclaim_locked (self);
      g_mutex_unlock (&self->reclaim_lock);
    }
}

/* Ready at once, or once the interval since the last notify has passed. */
static void
arm_notify (SondeEventLog *self)
{
  gint64 interval = __atomic_load_n (&self->notify_interval_us, __ATOMIC_RELAXED);

  g_source_set_ready_time (self->notify_source,
                           interval > 0
                           ? __atomic_load_n (&self->last_notify_us, __ATOMIC_RELAXED) + interval
                           : 0);
}

static gboolean
notify_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  SondeEventLog *self = user_data;

  g_source_set_ready_time (source, -1);
  __atomic_store_n (&self->last_notify_us, g_get_monotonic_time (), __ATOMIC_RELAXED);
  /* Cleared before counting, so an append racing with us arms it again. */
  g_atomic_int_set (&self->notify_armed, 0);
  publish (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs notify_funcs = {
  .dispatch = notify_dispatch,
};

static GType
sonde_event_log_get_item_type (GListModel *model)
{
  return SONDE_TYPE_ENTRY;
}

static guint
sonde_event_log_get_n_items (GListModel *model)
{
  SondeEventLog *self = SONDE_EVENT_LOG (model);

  return (guint)MIN (self->n_shown, G_MAXUINT);
}

/* Position 0 is the first entry still kept, not entry 0. */
static gpointer
sonde_event_log_get_item (GListModel *model,
                          guint       position)
{
  SondeEventLog *self = SONDE_EVENT_LOG (model);

  if (position >= self->n_shown)
    return NULL;

  return sonde_entry_new (self, self->n_published - self->n_shown + position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sonde_event_log_get_item_type;
  iface->get_n_items = sonde_event_log_get_n_items;
  iface->get_item = sonde_event_log_get_item;
}

static void
sonde_event_log_dispose (GObject *object)
{
  SondeEventLog *self = SONDE_EVENT_LOG (object);

  if (self->notify_source != NULL)
    {
      g_source_destroy (self->notify_source);
      g_clear_pointer (&self->notify_source, g_source_unref);
    }

  G_OBJECT_CLASS (sonde_event_log_parent_class)->dispose (object);
}

static void
sonde_event_log_finalize (GObject *object)
{
  SondeEventLog *self = SONDE_EVENT_LOG (object);
  guint64 end_page = self->n_entries > 0 ? ((self->n_entries - 1) >> PAGE_BITS) + 1 : 0;

  /* Entry objects hold the log, so none is left to point anywhere. */
  g_mutex_lock (&self->reclaim_lock);
  reclaim_locked (self);
  g_mutex_unlock (&self->reclaim_lock);
  g_assert (self->retired_blocks->len == 0);

  for (guint b = self->first_block; b < self->n_blocks; b++)
    free (self->blocks[BLOCK_SLOT (b)]);
  for (guint64 p = self->first_page; p < end_page; p++)
    g_free (self->pages[PAGE_SLOT (p)]);
  free (self->spare_block);
  g_free (self->blocks);
  g_free (self->block_first);
  g_free (self->block_bytes);
  g_free (self->block_pins);
  g_free (self->pages);
  g_array_unref (self->retired_blocks);
  g_ptr_array_unref (self->retired_pages);
  g_mutex_clear (&self->reclaim_lock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);

  G_OBJECT_CLASS (sonde_event_log_parent_class)->finalize (object);
}

static void
sonde_event_log_class_init (SondeEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_event_log_dispose;
  object_class->finalize = sonde_event_log_finalize;
}

static void
sonde_event_log_init (SondeEventLog *self)
{
  /* Untouched, these tables cost address space, not memory. */
  self->blocks = g_new0 (guint8 *, MAX_BLOCKS);
  self->block_first = g_new0 (guint64, MAX_BLOCKS);
  self->block_bytes = g_new0 (gsize, MAX_BLOCKS);
  self->block_pins = g_new0 (gint, MAX_BLOCKS);
  self->pages = g_new0 (SondeEntryTag *, MAX_PAGES);
  g_mutex_init (&self->reclaim_lock);
  self->retired_blocks = g_array_new (FALSE, FALSE, sizeof (guint));
  self->retired_pages = g_ptr_array_new_with_free_func (g_free);
  /* The first entry starts a tick, whatever its time. */
  self->last_time_us = self->tick_end_us = G_MAXINT64;
  self->started_at = g_date_time_new_now_utc ();
  self->start_monotonic = g_get_monotonic_time ();

  /* Views live on the context that made the log; appends may come from any thread. */
  self->context = g_main_context_ref_thread_default ();
  self->notify_source = g_source_new (&notify_funcs, sizeof (GSource));
  g_source_set_callback (self->notify_source, NULL, self, NULL);
  g_source_set_priority (self->notify_source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->notify_source, "[sonde] event log notify");
  g_source_attach (self->notify_source, self->context);
}

SondeEventLog *
sonde_event_log_new (void)
{
  return g_object_new (SONDE_TYPE_EVENT_LOG, NULL);
}

/**
 * sonde_event_log_set_notify_priority:
 *
 * The priority of the one coalesced `items-changed` per main-loop dispatch.
 * It must not be lower than the sources that append, or a fire hose starves it.
 */
void
sonde_event_log_set_notify_priority (SondeEventLog *self,
                                     int            priority)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  g_source_set_priority (self->notify_source, priority);
}

/**
 * sonde_event_log_set_notify_interval:
 * @interval_us: the least time between two `items-changed`, in microseconds
 *
 * Spaces the coalesced `items-changed` at least @interval_us apart (0, the
 * default: one per main-loop dispatch). Each one makes a window draw a
 * frame; where frames cost more than the time between them, the main loop
 * would never get below the redraw's priority and idle work would starve.
 * Any thread may call it.
 */
void
sonde_event_log_set_notify_interval (SondeEventLog *self,
                                     gint64         interval_us)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  __atomic_store_n (&self->notify_interval_us, MAX (interval_us, 0), __ATOMIC_RELAXED);
}

/**
 * sonde_event_log_flush_notify:
 *
 * Emits `items-changed` now for everything appended so far. Call it from the
 * log's own context, for instance before reading the model at exit.
 */
void
sonde_event_log_flush_notify (SondeEventLog *self)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  g_source_set_ready_time (self->notify_source, -1);
  g_atomic_int_set (&self->notify_armed, 0);
  publish (self);
}

/**
 * sonde_event_log_get_started_at:
 *
 * Returns: (transfer none): the wall-clock time the session started, in UTC
 */
GDateTime *
sonde_event_log_get_started_at (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), NULL);

  return self->started_at;
}

/**
 * sonde_event_log_set_started_at:
 * @started_at: when the session began, as a recording's header says
 *
 * Gives a log read from a file the wall-clock start of its session, so that
 * clock times and a saved copy say when it really happened. Call it before
 * the first append, on the thread that reads the log: the start is read
 * without a lock.
 */
void
sonde_event_log_set_started_at (SondeEventLog *self,
                                GDateTime     *started_at)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));
  g_return_if_fail (started_at != NULL);
  g_return_if_fail (sonde_event_log_get_n_entries (self) == 0);

  g_clear_pointer (&self->started_at, g_date_time_unref);
  self->started_at = g_date_time_to_utc (started_at);
}

/**
 * sonde_event_log_now:
 *
 * Returns: microseconds since the session started, on the monotonic clock
 */
gint64
sonde_event_log_now (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  return g_get_monotonic_time () - self->start_monotonic;
}

/* Where a record of at most @size bytes goes, and where that is, as a
 * tag's location; the caller adds to block_used what it wrote. */
static guint8 *
reserve (SondeEventLog *self,
         gsize          size,
         guint64       *offset)
{
  guint current = self->n_blocks - 1;
  guint8 *p;

  if (self->n_blocks == 0 || self->block_size - self->block_used < size ||
      self->block_size > BLOCK_SIZE)
    {
      guint number = self->n_blocks;

      /* Its slot is free once the block that had it a ring ago is freed. */
      if (number == G_MAXUINT32 ||
          __atomic_load_n (&self->blocks[BLOCK_SLOT (number)], __ATOMIC_ACQUIRE) != NULL)
        g_error ("The event log is full (%u blocks kept)", MAX_BLOCKS);
      if (self->n_blocks > 0)
        self->block_bytes[BLOCK_SLOT (current)] = self->block_used;
      self->block_size = MAX (BLOCK_SIZE, size);
      self->blocks[BLOCK_SLOT (number)] = NULL;
      if (self->block_size == BLOCK_SIZE)
        self->blocks[BLOCK_SLOT (number)] = __atomic_exchange_n (&self->spare_block, NULL,
                                                                 __ATOMIC_ACQUIRE);
      if (self->blocks[BLOCK_SLOT (number)] == NULL)
        /* Huge pages: one fault per 2 MiB as a block fills, which at a few
         * million entries a second is most of the cost of storing them. */
        self->blocks[BLOCK_SLOT (number)] = sonde_huge_pages_alloc (self->block_size,
                                                                    "the event log");
      self->block_first[BLOCK_SLOT (number)] = self->n_entries;
      __atomic_store_n (&self->n_blocks, number + 1, __ATOMIC_RELEASE);
      self->block_used = 0;
      current = number;
    }

  p = self->blocks[BLOCK_SLOT (current)] + self->block_used;
  *offset = ((guint64)BLOCK_SLOT (current) << OFFSET_BITS) | self->block_used;

  return p;
}

/**
 * sonde_event_log_append:
 * @time_us: microseconds since the session started (see sonde_event_log_now())
 * @id: (nullable): for `sse` entries, the last event ID after the event
 * @fields: (nullable): the entry's other recording fields, as JSON object
 *   members without the braces (`"status":200,"headers":{...}`)
 * @raw: (nullable): the exact bytes on the wire
 *
 * Appends one entry. One thread appends; any thread reads.
 *
 * Returns: the new entry's sequence number
 */
guint64
sonde_event_log_append (SondeEventLog  *self,
                        gint64          time_us,
                        SondeDirection  direction,
                        SondeEntryKind  kind,
                        const char     *id,
                        gsize           id_len,
                        const char     *fields,
                        gsize           fields_len,
                        const guint8   *raw,
                        gsize           raw_len)
{
  RecordHeader header;
  guint64 offset;
  guint64 seq;
  gsize body_len;
  guint8 *p;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), G_MAXUINT64);
  g_return_val_if_fail (kind < SONDE_ENTRY_N_KINDS, G_MAXUINT64);
  g_return_val_if_fail (direction <= SONDE_DIRECTION_LOCAL, G_MAXUINT64);
  g_return_val_if_fail (id != NULL || id_len == 0, G_MAXUINT64);
  g_return_val_if_fail (fields != NULL || fields_len == 0, G_MAXUINT64);
  g_return_val_if_fail (raw != NULL || raw_len == 0, G_MAXUINT64);

  body_len = id_len + fields_len + raw_len + 2 * MAX_VARINT;
  g_return_val_if_fail (body_len < G_MAXUINT32, G_MAXUINT64);

  /* Room for the worst case; what the varints did not use stays free. */
  p = reserve (self, sizeof header + body_len, &offset);
  {
    guint8 *start = p;

    p += sizeof header;
    p = put_varint (p, id_len);
    if (id_len > 0)
      memcpy (p, id, id_len), p += id_len;
    p = put_varint (p, fields_len);
    if (fields_len > 0)
      memcpy (p, fields, fields_len), p += fields_len;
    if (raw_len > 0)
      memcpy (p, raw, raw_len), p += raw_len;

    header.time_us = time_us;
    header.raw_len = (guint32)raw_len;
    header.kind = kind;
    header.direction = direction;
    header.has_fields = fields_len > 0;
    header.reserved = 0;
    memcpy (start, &header, sizeof header);

    self->block_used += (gsize)(p - start);
    __atomic_store_n (&self->record_bytes, self->record_bytes + (gsize)(p - start),
                      __ATOMIC_RELAXED);
  }

  seq = self->n_entries;
  if ((seq & PAGE_MASK) == 0)
    {
      /* A new index page, in a slot that a page a ring ago has left. */
      if ((seq >> PAGE_BITS) - __atomic_load_n (&self->first_page, __ATOMIC_ACQUIRE) >= MAX_PAGES)
        g_error ("The event log is full (%" G_GUINT64_FORMAT " entries kept)", seq);
      self->pages[PAGE_SLOT (seq >> PAGE_BITS)] = g_new (SondeEntryTag, PAGE_SIZE);
    }
  {
    /* In the last entry's tick, and no earlier than it: one comparison. */
    guint64 starts_tick = (guint64)time_us - (guint64)self->last_time_us >=
                          (guint64)self->tick_end_us - (guint64)self->last_time_us;
    /* Fields to read, or a raw size above what the tag holds. */
    guint64 look = (fields_len | (raw_len >> SONDE_ENTRY_TAG_RAW_BITS)) != 0;
    guint64 mark = starts_tick | (guint64)kind << 1 | (guint64)direction << 5 | look << 7;

    if (starts_tick)
      self->tick_end_us = (gint64)(((guint64)time_us | (SONDE_ENTRY_TICK_US - 1)) + 1);
    self->last_time_us = time_us;
    self->pages[PAGE_SLOT (seq >> PAGE_BITS)][seq & PAGE_MASK] =
      offset | mark << SONDE_ENTRY_TAG_LOCATION_BITS |
      (guint64)MIN (raw_len, SONDE_ENTRY_TAG_RAW_MAX) << (64 - SONDE_ENTRY_TAG_RAW_BITS);
  }
  __atomic_store_n (&self->raw_bytes, self->raw_bytes + raw_len, __ATOMIC_RELAXED);
  if (direction == SONDE_DIRECTION_IN &&
      (kind == SONDE_ENTRY_SSE || kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY))
    __atomic_store_n (&self->n_received, self->n_received + 1, __ATOMIC_RELAXED);
  __atomic_store_n (&self->n_entries, seq + 1, __ATOMIC_RELEASE);

  /* The plain load first keeps the locked exchange off the common path. */
  if (g_atomic_int_get (&self->notify_armed) == 0 &&
      g_atomic_int_compare_and_exchange (&self->notify_armed, 0, 1))
    arm_notify (self);

  return seq;
}

/**
 * sonde_event_log_get_n_entries:
 *
 * Returns: how many entries have been appended, published or not yet; safe
 *   from any thread
 */
guint64
sonde_event_log_get_n_entries (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  return __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE);
}

/**
 * sonde_event_log_get_n_received:
 *
 * Returns: how many SSE events and WebSocket text and binary messages came
 *   in from the peer; safe from any thread
 */
guint64
sonde_event_log_get_n_received (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  return __atomic_load_n (&self->n_received, __ATOMIC_RELAXED);
}

/* Reads entry @seq, which is kept; returns its block's slot. */
static inline guint
read_view (SondeEventLog  *self,
           guint64         seq,
           SondeEntryView *view)
{
  RecordHeader header;
  const guint8 *record;
  const guint8 *p;
  SondeEntryTag tag;
  guint64 len;

  tag = self->pages[PAGE_SLOT (seq >> PAGE_BITS)][seq & PAGE_MASK];
  record = self->blocks[TAG_SLOT (tag)] + TAG_OFFSET (tag);

  memcpy (&header, record, sizeof header);
  p = record + sizeof header;

  view->seq = seq;
  view->time_us = header.time_us;
  view->kind = header.kind;
  view->direction = header.direction;

  p = get_varint (p, &len);
  view->id = (const char *)p;
  view->id_len = len;
  p += len;

  p = get_varint (p, &len);
  view->fields = len > 0 ? (const char *)p : "";
  view->fields_len = len;
  p += len;

  view->raw = p;
  view->raw_len = header.raw_len;

  return TAG_SLOT (tag);
}

/**
 * sonde_event_log_get_view:
 * @view: (out caller-allocates): where to put the entry
 *
 * Reads entry @seq in place, without copying or allocating. The view stays
 * valid until the entry is released (sonde_event_log_release_before()):
 * for as long as the log lives when nothing is. A thread other than the
 * log's own that reads while entries may be released reads between
 * sonde_event_log_begin_read() and sonde_event_log_end_read().
 *
 * Returns: %FALSE if there is no such entry yet, or no longer
 */
gboolean
sonde_event_log_get_view (SondeEventLog  *self,
                          guint64         seq,
                          SondeEntryView *view)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  if (seq >= __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE) ||
      seq < __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE))
    return FALSE;

  read_view (self, seq, view);
  return TRUE;
}

/**
 * sonde_event_log_get_first_seq:
 *
 * Sequence numbers never start again: after a release, the first entry
 * kept has the number it always had, and the model's position 0 is that
 * entry. Safe from any thread.
 *
 * Returns: the sequence number of the first entry still kept
 */
guint64
sonde_event_log_get_first_seq (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  return __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE);
}

/**
 * sonde_event_log_release_before:
 * @seq: entries before this one may go
 *
 * Lets go of the oldest entries, so that memory follows what is kept and
 * not how long the session ran: a recorder releases what it has written, a
 * tab with an entry limit what is past it. It goes in whole blocks (4 MiB),
 * so a few entries before @seq may stay; the block being written always
 * does. It happens at the next coalesced `items-changed`, as a removal at
 * position 0, so no row a view shows goes before the view knows. Safe from
 * any thread.
 *
 * Whoever reads the log by sequence number follows the removal:
 * #SondeFilterModel drops the rows of the entries that went,
 * #SondeTimelineSummary counts only the entries kept, and a reader that
 * walks the log starts again at sonde_event_log_get_first_seq().
 * `sonde record` releases what it wrote; a live tab what is past the
 * preferences' entry limit (#SondeSession:entry-limit).
 */
void
sonde_event_log_release_before (SondeEventLog *self,
                                guint64        seq)
{
  guint64 target;

  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  target = __atomic_load_n (&self->release_target, __ATOMIC_RELAXED);
  while (seq > target &&
         !__atomic_compare_exchange_n (&self->release_target, &target, seq, TRUE,
                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
    ;

  if (g_atomic_int_compare_and_exchange (&self->notify_armed, 0, 1))
    arm_notify (self);
}

/**
 * sonde_event_log_cancel_release:
 *
 * Takes back what sonde_event_log_release_before() asked for and has not
 * gone yet: the entries of a block still being written when the release
 * was asked for would otherwise go once that block is full, later. A tab
 * whose entry limit is lifted keeps what is left. Call it on the log's own
 * thread, where nothing else asks for a release meanwhile.
 */
void
sonde_event_log_cancel_release (SondeEventLog *self)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  __atomic_store_n (&self->release_target, __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE),
                    __ATOMIC_RELAXED);
}

/**
 * sonde_event_log_keep_newest:
 * @n: how many of the newest entries the model shows to keep
 *
 * sonde_event_log_release_before() for an entry limit: lets go of the
 * entries the model shows beyond its newest @n, in whole blocks as that
 * does, so between @n and a block more stay. A live tab calls it after each
 * `items-changed` while a limit is set. Call it on the log's own thread.
 */
void
sonde_event_log_keep_newest (SondeEventLog *self,
                             guint64        n)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  if (self->n_shown > n)
    sonde_event_log_release_before (self, self->n_published - n);
}

/**
 * sonde_event_log_begin_read:
 *
 * A thread other than the log's own that reads entries (a search, a
 * filter) while some may be released brackets its reading with this and
 * sonde_event_log_end_read(): in between, no block is freed, and views it
 * got stay valid. Cheap enough per batch, not meant per entry.
 */
void
sonde_event_log_begin_read (SondeEventLog *self)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  g_mutex_lock (&self->reclaim_lock);
  self->readers++;
  g_mutex_unlock (&self->reclaim_lock);
}

void
sonde_event_log_end_read (SondeEventLog *self)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  g_mutex_lock (&self->reclaim_lock);
  g_assert (self->readers > 0);
  if (--self->readers == 0)
    reclaim_locked (self);
  g_mutex_unlock (&self->reclaim_lock);
}

/**
 * sonde_event_log_get_pinned_view: (skip)
 * @pin: (out): what to give sonde_event_log_unpin()
 *
 * sonde_event_log_get_view() for an object that keeps the view (a
 * #SondeEntry): its block is not freed until sonde_event_log_unpin().
 */
gboolean
sonde_event_log_get_pinned_view (SondeEventLog  *self,
                                 guint64         seq,
                                 SondeEntryView *view,
                                 guint          *pin)
{
  gboolean found = FALSE;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (view != NULL && pin != NULL, FALSE);

  /* Held as a reader, so that the block is not freed between the view and the pin. */
  sonde_event_log_begin_read (self);
  if (seq < __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE) &&
      seq >= __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE))
    {
      *pin = read_view (self, seq, view);
      g_atomic_int_inc (&self->block_pins[BLOCK_SLOT (*pin)]);
      found = TRUE;
    }
  sonde_event_log_end_read (self);

  return found;
}

void
sonde_event_log_unpin (SondeEventLog *self,
                       guint          pin)
{
  g_return_if_fail (SONDE_IS_EVENT_LOG (self));

  if (!g_atomic_int_dec_and_test (&self->block_pins[BLOCK_SLOT (pin)]))
    return;

  g_mutex_lock (&self->reclaim_lock);
  if (self->retired_blocks->len > 0)
    reclaim_locked (self);
  g_mutex_unlock (&self->reclaim_lock);
}

/**
 * sonde_event_log_read_briefs:
 * @first_seq: the first entry to read; not one already released
 * @briefs: (out caller-allocates) (array length=n_briefs): where to put them
 *
 * Reads the time, kind, direction and size of up to @n_briefs consecutive
 * entries, for a reader on the log's own thread that walks every entry once
 * (the timeline's summary does, as the log grows): each is a copy of its
 * record's header, nothing after it is read, and the checks are made once.
 *
 * Returns: how many entries were read; fewer than @n_briefs at the end of the log
 */
guint
sonde_event_log_read_briefs (SondeEventLog   *self,
                             guint64          first_seq,
                             SondeEntryBrief *briefs,
                             guint            n_briefs)
{
  guint64 n_entries;
  guint n;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);
  g_return_val_if_fail (briefs != NULL || n_briefs == 0, 0);
  g_return_val_if_fail (first_seq >= __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE), 0);

  n_entries = __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE);
  if (first_seq >= n_entries)
    return 0;
  n = (guint)MIN ((guint64)n_briefs, n_entries - first_seq);
  for (guint i = 0; i < n;)
    {
      guint64 seq = first_seq + i;
      const SondeEntryTag *tags = &self->pages[PAGE_SLOT (seq >> PAGE_BITS)][seq & PAGE_MASK];
      guint in_page = (guint)MIN ((guint64)(n - i), PAGE_SIZE - (seq & PAGE_MASK));

      for (guint j = 0; j < in_page; j++)
        memcpy (&briefs[i + j], self->blocks[TAG_SLOT (tags[j])] + TAG_OFFSET (tags[j]),
                sizeof (RecordHeader));
      i += in_page;
    }

  return n;
}

/**
 * sonde_event_log_peek_tags:
 * @first_seq: the first entry's tag to read; not one already released
 * @end_seq: the entry after the last one wanted
 * @n_tags: (out): how many tags the result holds
 *
 * The tags of entries from @first_seq, in place: as many as lie before
 * @end_seq and the log's end in one page of its index (65,536 entries). A
 * reader that walks every entry once (the timeline's summary) reads them
 * instead of the records, as long as it holds the log (on the log's own
 * thread, or between sonde_event_log_begin_read() and _end_read()).
 *
 * Returns: (array length=n_tags): the tags, or %NULL when there are none
 */
const SondeEntryTag *
sonde_event_log_peek_tags (SondeEventLog *self,
                           guint64        first_seq,
                           guint64        end_seq,
                           guint         *n_tags)
{
  guint64 n_entries;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (n_tags != NULL, NULL);
  g_return_val_if_fail (first_seq >= __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE), NULL);

  n_entries = MIN (end_seq, __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE));
  *n_tags = 0;
  if (first_seq >= n_entries)
    return NULL;
  *n_tags = (guint)MIN (n_entries - first_seq, PAGE_SIZE - (first_seq & PAGE_MASK));
  return &self->pages[PAGE_SLOT (first_seq >> PAGE_BITS)][first_seq & PAGE_MASK];
}

/**
 * sonde_event_log_get_time:
 * @seq: a kept entry
 *
 * Returns: the time of entry @seq (what its view says), or 0 if there is
 *   no such entry
 */
gint64
sonde_event_log_get_time (SondeEventLog *self,
                          guint64        seq)
{
  SondeEntryTag tag;
  gint64 time_us;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  if (seq >= __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE) ||
      seq < __atomic_load_n (&self->first_seq, __ATOMIC_ACQUIRE))
    return 0;
  tag = self->pages[PAGE_SLOT (seq >> PAGE_BITS)][seq & PAGE_MASK];
  memcpy (&time_us, self->blocks[TAG_SLOT (tag)] + TAG_OFFSET (tag) +
                    G_STRUCT_OFFSET (RecordHeader, time_us), sizeof time_us);
  return time_us;
}

/**
 * sonde_event_log_prefetch_tick_times:
 * @tags: (array length=n_tags): tags from sonde_event_log_peek_tags()
 *
 * Asks the processor for the times of the entries among @tags that start a
 * tick, which a walk by tags reads next (sonde_event_log_get_time()): their
 * records lie far apart, and waiting for each in turn cost the walk more
 * than all its counting.
 */
void
sonde_event_log_prefetch_tick_times (SondeEventLog       *self,
                                     const SondeEntryTag *tags,
                                     guint                n_tags)
{
  const SondeEntryTag tick = (SondeEntryTag)1 << SONDE_ENTRY_TAG_LOCATION_BITS;

  for (guint i = 0; i < n_tags; i++)
    if (tags[i] & tick)
      __builtin_prefetch (self->blocks[TAG_SLOT (tags[i])] + TAG_OFFSET (tags[i]));
}

/**
 * sonde_event_log_get_memory_size:
 *
 * Returns: bytes the log holds for its entries: every record and the index
 *   of the entries it keeps
 */
gsize
sonde_event_log_get_memory_size (SondeEventLog *self)
{
  guint64 n_entries;
  guint64 first_page;
  gsize n_pages;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  n_entries = __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE);
  first_page = __atomic_load_n (&self->first_page, __ATOMIC_ACQUIRE);
  n_pages = (gsize)(((n_entries + PAGE_SIZE - 1) >> PAGE_BITS) - MIN (first_page, (n_entries + PAGE_SIZE - 1) >> PAGE_BITS));

  /* The tables' untouched tails are address space only; count the pages in use. */
  g_mutex_lock (&self->reclaim_lock);
  n_pages += self->retired_pages->len;
  g_mutex_unlock (&self->reclaim_lock);
  return __atomic_load_n (&self->record_bytes, __ATOMIC_RELAXED) -
         __atomic_load_n (&self->released_bytes, __ATOMIC_RELAXED) +
         n_pages * PAGE_SIZE * sizeof (SondeEntryTag) +
         n_pages * sizeof (guint64 *) +
         (__atomic_load_n (&self->n_blocks, __ATOMIC_RELAXED) - self->first_block) * sizeof (guint8 *);
}

/**
 * sonde_event_log_get_raw_size:
 *
 * Returns: the sum of every entry's raw bytes, released ones included
 */
gsize
sonde_event_log_get_raw_size (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  return __atomic_load_n (&self->raw_bytes, __ATOMIC_RELAXED);
}

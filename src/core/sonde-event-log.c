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

/* Entries are packed back to back into large blocks; an index of offsets,
 * kept in fixed pages so it never moves either, finds entry N. A record is
 * a fixed header, then varint-prefixed id and fields, then the raw bytes up
 * to the record's end. Derivable values (an SSE event's data and type) are
 * not stored: they are parsed again from the raw bytes when asked for. */

#define BLOCK_SIZE      (4u * 1024 * 1024)
#define HUGE_PAGE_SIZE  (2u * 1024 * 1024)
#define PAGE_BITS       16
#define PAGE_SIZE       (1u << PAGE_BITS)
#define PAGE_MASK       (PAGE_SIZE - 1)
#define MAX_PAGES       (1u << 16)   /* 2^32 entries */
#define MAX_BLOCKS      (1u << 16)   /* 256 GiB of 4 MiB blocks */
#define MAX_VARINT      10

typedef struct
{
  gint64  time_us;
  guint32 body_len;
  guint8  kind;
  guint8  direction;
  guint16 reserved;
} RecordHeader;

G_STATIC_ASSERT (sizeof (RecordHeader) == 16);

struct _SondeEventLog
{
  GObject       parent_instance;

  /* One thread appends, any thread reads, and nobody locks: the block and
   * page tables have a fixed size, so they never move, and n_entries is
   * stored with release order after the record and its index slot are
   * written, and loaded with acquire order before they are read. */
  guint8      **blocks;
  guint64     **pages;
  guint64       n_entries;
  guint64       n_received;    /* incoming events and messages */
  gsize         raw_bytes;
  gsize         record_bytes;

  /* The writer's own. */
  guint         n_blocks;
  gsize         block_used;
  gsize         block_size;

  /* Owned by the thread of @context. */
  GMainContext *context;
  GSource      *notify_source;
  gint          notify_armed;
  guint64       n_published;

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

static void
publish (SondeEventLog *self)
{
  guint64 n_entries = __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE);
  guint64 before;

  if (n_entries == self->n_published)
    return;

  before = self->n_published;
  self->n_published = n_entries;
  g_list_model_items_changed (G_LIST_MODEL (self), before, 0, n_entries - before);
}

static gboolean
notify_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  SondeEventLog *self = user_data;

  g_source_set_ready_time (source, -1);
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

  return (guint)MIN (self->n_published, G_MAXUINT);
}

static gpointer
sonde_event_log_get_item (GListModel *model,
                          guint       position)
{
  SondeEventLog *self = SONDE_EVENT_LOG (model);

  if (position >= self->n_published)
    return NULL;

  return sonde_entry_new (self, position);
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

  for (guint i = 0; i < self->n_blocks; i++)
    free (self->blocks[i]);
  g_free (self->blocks);
  for (guint i = 0; i < MAX_PAGES && self->pages[i] != NULL; i++)
    g_free (self->pages[i]);
  g_free (self->pages);
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
  self->pages = g_new0 (guint64 *, MAX_PAGES);
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

/* Fresh blocks fault in page by page as they fill; with transparent huge
 * pages that is one fault per 2 MiB instead of one per 4 KiB, which at a
 * few million entries a second is most of the cost of storing them. */
static guint8 *
block_alloc (gsize size)
{
  void *data = NULL;

  if (posix_memalign (&data, HUGE_PAGE_SIZE, size) != 0)
    g_error ("Out of memory for the event log (%" G_GSIZE_FORMAT " bytes)", size);
#ifdef MADV_HUGEPAGE
  madvise (data, size, MADV_HUGEPAGE);
#endif

  return data;
}

static guint8 *
reserve (SondeEventLog *self,
         gsize          size,
         guint64       *offset)
{
  guint8 *p;

  if (self->n_blocks == 0 || self->block_size - self->block_used < size)
    {
      if (self->n_blocks == MAX_BLOCKS)
        g_error ("The event log is full (%u blocks)", MAX_BLOCKS);
      self->block_size = MAX (BLOCK_SIZE, size);
      self->blocks[self->n_blocks] = block_alloc (self->block_size);
      __atomic_store_n (&self->n_blocks, self->n_blocks + 1, __ATOMIC_RELAXED);
      self->block_used = 0;
    }

  p = self->blocks[self->n_blocks - 1] + self->block_used;
  *offset = ((guint64)(self->n_blocks - 1) << 32) | self->block_used;
  self->block_used += size;

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
  g_return_val_if_fail (id != NULL || id_len == 0, G_MAXUINT64);
  g_return_val_if_fail (fields != NULL || fields_len == 0, G_MAXUINT64);
  g_return_val_if_fail (raw != NULL || raw_len == 0, G_MAXUINT64);

  body_len = id_len + fields_len + raw_len + 2 * MAX_VARINT;
  g_return_val_if_fail (body_len < G_MAXUINT32, G_MAXUINT64);

  /* Reserve the worst case; give back what the varints did not use. */
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
    header.body_len = (guint32)(p - start - sizeof header);
    header.kind = kind;
    header.direction = direction;
    header.reserved = 0;
    memcpy (start, &header, sizeof header);

    self->block_used -= (sizeof header + body_len) - (gsize)(p - start);
    __atomic_store_n (&self->record_bytes, self->record_bytes + (gsize)(p - start),
                      __ATOMIC_RELAXED);
  }

  seq = self->n_entries;
  if ((seq >> PAGE_BITS) >= MAX_PAGES)
    g_error ("The event log is full (%" G_GUINT64_FORMAT " entries)", seq);
  if (self->pages[seq >> PAGE_BITS] == NULL)
    self->pages[seq >> PAGE_BITS] = g_new (guint64, PAGE_SIZE);
  self->pages[seq >> PAGE_BITS][seq & PAGE_MASK] = offset;
  __atomic_store_n (&self->raw_bytes, self->raw_bytes + raw_len, __ATOMIC_RELAXED);
  if (direction == SONDE_DIRECTION_IN &&
      (kind == SONDE_ENTRY_SSE || kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY))
    __atomic_store_n (&self->n_received, self->n_received + 1, __ATOMIC_RELAXED);
  __atomic_store_n (&self->n_entries, seq + 1, __ATOMIC_RELEASE);

  /* The plain load first keeps the locked exchange off the common path. */
  if (g_atomic_int_get (&self->notify_armed) == 0 &&
      g_atomic_int_compare_and_exchange (&self->notify_armed, 0, 1))
    g_source_set_ready_time (self->notify_source, 0);

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

/**
 * sonde_event_log_get_view:
 * @view: (out caller-allocates): where to put the entry
 *
 * Reads entry @seq in place, without copying or allocating.
 *
 * Returns: %FALSE if there is no such entry yet
 */
gboolean
sonde_event_log_get_view (SondeEventLog  *self,
                          guint64         seq,
                          SondeEntryView *view)
{
  RecordHeader header;
  const guint8 *record;
  const guint8 *p;
  const guint8 *end;
  guint64 offset;
  guint64 len;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  if (seq >= __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE))
    return FALSE;
  offset = self->pages[seq >> PAGE_BITS][seq & PAGE_MASK];
  record = self->blocks[offset >> 32] + (offset & G_MAXUINT32);

  memcpy (&header, record, sizeof header);
  p = record + sizeof header;
  end = p + header.body_len;

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
  view->raw_len = (gsize)(end - p);

  return TRUE;
}

/**
 * sonde_event_log_get_memory_size:
 *
 * Returns: bytes the log holds for its entries: every record and the index
 */
gsize
sonde_event_log_get_memory_size (SondeEventLog *self)
{
  guint64 n_entries;
  gsize n_pages;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  n_entries = __atomic_load_n (&self->n_entries, __ATOMIC_ACQUIRE);
  n_pages = (gsize)((n_entries + PAGE_SIZE - 1) >> PAGE_BITS);

  /* The tables' untouched tails are address space only; count the pages in use. */
  return __atomic_load_n (&self->record_bytes, __ATOMIC_RELAXED) +
         n_pages * PAGE_SIZE * sizeof (guint64) +
         n_pages * sizeof (guint64 *) +
         __atomic_load_n (&self->n_blocks, __ATOMIC_RELAXED) * sizeof (guint8 *);
}

/**
 * sonde_event_log_get_raw_size:
 *
 * Returns: the sum of every entry's raw bytes
 */
gsize
sonde_event_log_get_raw_size (SondeEventLog *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (self), 0);

  return __atomic_load_n (&self->raw_bytes, __ATOMIC_RELAXED);
}

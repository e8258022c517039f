/* sonde-event-log.h: the append-only store every view and the recorder read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-types.h"

G_BEGIN_DECLS

/* One entry, read in place. The pointers stay valid until the entry is
 * released (for as long as the log lives when nothing is): blocks never
 * move and written bytes never change. */
typedef struct
{
  guint64         seq;
  gint64          time_us;     /* since the session started */
  SondeDirection  direction;
  SondeEntryKind  kind;
  const char     *id;          /* sse: the last event ID after this event */
  gsize           id_len;
  const char     *fields;      /* the other recording fields as a JSON object's
                                * members without braces, or "" */
  gsize           fields_len;
  const guint8   *raw;         /* the exact bytes on the wire */
  gsize           raw_len;
} SondeEntryView;

/* What a reader that walks every entry needs, without the bytes themselves.
 * It is each record's header as the log stores it, so reading it is a copy
 * of 16 bytes that touches nothing after them. */
typedef struct
{
  gint64          time_us;
  guint32         raw_len;
  guint8          kind;        /* SondeEntryKind */
  guint8          direction;   /* SondeDirection */
  guint8          has_fields;  /* whether the entry has fields beyond the header */
  guint8          reserved;
} SondeEntryBrief;

/* What the log's index keeps of each entry beside where its record is: its
 * kind, direction, raw size up to 256 KiB, whether it needs a look at its
 * record beyond those (it has fields, or a larger raw size), and
 * whether it starts a tick (see below). A reader that walks every entry and needs no
 * time for most of them (the timeline's summary) reads these, eight bytes
 * an entry one after the other, and not the records, which lie an entry's
 * bytes apart. Read them with the functions below; the other bits are the
 * log's own.
 *
 * Ticks are SONDE_ENTRY_TICK_US (16.384 ms) of time wide. An entry starts a
 * tick when it is the log's first, or its time's tick is not the entry
 * before's, or its time is earlier than that one's: an entry that does not
 * start a tick lies in the same tick as the one before, at the same time or
 * later. */
typedef guint64 SondeEntryTag;

#define SONDE_ENTRY_TICK_SHIFT      14
#define SONDE_ENTRY_TICK_US         ((gint64)1 << SONDE_ENTRY_TICK_SHIFT)

#define SONDE_ENTRY_TAG_LOCATION_BITS 38
#define SONDE_ENTRY_TAG_RAW_BITS      18
#define SONDE_ENTRY_TAG_RAW_MAX   ((1u << SONDE_ENTRY_TAG_RAW_BITS) - 1)

static inline gboolean
sonde_entry_tag_starts_tick (SondeEntryTag tag)
{
  return (tag >> SONDE_ENTRY_TAG_LOCATION_BITS) & 1;
}

/* The entry's #SondeEntryKind. */
static inline guint
sonde_entry_tag_kind (SondeEntryTag tag)
{
  return (tag >> (SONDE_ENTRY_TAG_LOCATION_BITS + 1)) & 0xf;
}

/* The entry's #SondeDirection, or 3 for a value the tag cannot hold. */
static inline guint
sonde_entry_tag_direction (SondeEntryTag tag)
{
  return (tag >> (SONDE_ENTRY_TAG_LOCATION_BITS + 5)) & 0x3;
}

/* Whether the entry has fields, or a raw size above SONDE_ENTRY_TAG_RAW_MAX. */
static inline gboolean
sonde_entry_tag_needs_look (SondeEntryTag tag)
{
  return (tag >> (SONDE_ENTRY_TAG_LOCATION_BITS + 7)) & 1;
}

/* The entry's raw size, or SONDE_ENTRY_TAG_RAW_MAX when it is more (the
 * tag then needs a look: its view or brief says). */
static inline guint
sonde_entry_tag_raw_len (SondeEntryTag tag)
{
  return (guint)(tag >> (64 - SONDE_ENTRY_TAG_RAW_BITS));
}

#define SONDE_TYPE_EVENT_LOG (sonde_event_log_get_type ())

G_DECLARE_FINAL_TYPE (SondeEventLog, sonde_event_log, SONDE, EVENT_LOG, GObject)

SondeEventLog *sonde_event_log_new              (void);
GDateTime     *sonde_event_log_get_started_at   (SondeEventLog   *self);
void           sonde_event_log_set_started_at   (SondeEventLog   *self,
                                                 GDateTime       *started_at);
gint64         sonde_event_log_now              (SondeEventLog   *self);
guint64        sonde_event_log_append           (SondeEventLog   *self,
                                                 gint64           time_us,
                                                 SondeDirection   direction,
                                                 SondeEntryKind   kind,
                                                 const char      *id,
                                                 gsize            id_len,
                                                 const char      *fields,
                                                 gsize            fields_len,
                                                 const guint8    *raw,
                                                 gsize            raw_len);
guint64        sonde_event_log_get_n_entries    (SondeEventLog   *self);
guint64        sonde_event_log_get_n_received   (SondeEventLog   *self);
gboolean       sonde_event_log_get_view         (SondeEventLog   *self,
                                                 guint64          seq,
                                                 SondeEntryView  *view);
guint64        sonde_event_log_get_first_seq    (SondeEventLog   *self);
void           sonde_event_log_release_before   (SondeEventLog   *self,
                                                 guint64          seq);
void           sonde_event_log_cancel_release   (SondeEventLog   *self);
void           sonde_event_log_keep_newest      (SondeEventLog   *self,
                                                 guint64          n);
void           sonde_event_log_begin_read       (SondeEventLog   *self);
void           sonde_event_log_end_read         (SondeEventLog   *self);
gboolean       sonde_event_log_get_pinned_view  (SondeEventLog   *self,
                                                 guint64          seq,
                                                 SondeEntryView  *view,
                                                 guint           *pin);
void           sonde_event_log_unpin            (SondeEventLog   *self,
                                                 guint            pin);
guint          sonde_event_log_read_briefs      (SondeEventLog   *self,
                                                 guint64          first_seq,
                                                 SondeEntryBrief *briefs,
                                                 guint            n_briefs);
const SondeEntryTag *
               sonde_event_log_peek_tags        (SondeEventLog   *self,
                                                 guint64          first_seq,
                                                 guint64          end_seq,
                                                 guint           *n_tags);
gint64         sonde_event_log_get_time         (SondeEventLog   *self,
                                                 guint64          seq);
void           sonde_event_log_prefetch_tick_times (SondeEventLog       *self,
                                                    const SondeEntryTag *tags,
                                                    guint                n_tags);
gsize          sonde_event_log_get_memory_size  (SondeEventLog   *self);
gsize          sonde_event_log_get_raw_size     (SondeEventLog   *self);
void           sonde_event_log_set_notify_priority (SondeEventLog *self,
                                                    int            priority);
void           sonde_event_log_set_notify_interval (SondeEventLog *self,
                                                    gint64         interval_us);
void           sonde_event_log_flush_notify     (SondeEventLog   *self);

G_END_DECLS

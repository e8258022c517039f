/* sonde-wire.c: which bytes of an entry on the wire are which field, for the hex view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry.h"
#include "sonde-wire.h"

/* A wire is made of units: WebSocket frames or SSE lines. A view asks for
 * the regions of the few hundred bytes it shows, so a wire does not keep a
 * region per field (a hostile peer's 64 MiB of two-byte frames would need a
 * gigabyte): it keeps a sparse index of units and walks again from the
 * nearest one. Long units are always kept, so a walk only ever passes short
 * ones and never reads a long payload or line again; of the short ones, one
 * in UNIT_STRIDE is kept, so a walk passes fewer than that. */
#define LONG_UNIT   256
#define UNIT_STRIDE 64

typedef struct
{
  gsize   offset;
  gsize   length;   /* every byte of it, line end included */
  gsize   split;    /* frames: the header's length with the mask key;
                     * lines: where the colon is, or the content's length */
  guint32 index;
  guint8  eol;      /* lines: the line end's length */
  guint8  field;    /* lines: SondeWireField */
  guint8  flags;    /* SondeWireRegionFlags */
} Unit;

struct _SondeWire
{
  SondeWireLayout  layout;
  SondeWireKind    bytes_kind;
  SondeWsSender    sender;
  const guint8    *data;
  gsize            len;
  gsize            start;      /* where the first unit starts: past an SSE BOM */
  gsize            units_end;  /* where the last whole unit ends */
  guint            n_units;
  guint32          kinds;      /* 1 << SondeWireKind of every region there is */
  gboolean         has_masked;
  GArray          *index;      /* Unit, by offset */
  guint            since_kept; /* while building */
};

/* ---- units ---- */

static void
keep_unit (SondeWire  *self,
           const Unit *unit)
{
  if (self->index->len == 0 || unit->length >= LONG_UNIT || self->since_kept + 1 >= UNIT_STRIDE)
    {
      g_array_append_val (self->index, *unit);
      self->since_kept = 0;
    }
  else
    self->since_kept++;
}

static void
unit_from_frame (SondeWire          *self,
                 const SondeWsFrame *frame,
                 guint32             index,
                 Unit               *unit)
{
  unit->offset = (gsize)(frame->raw - self->data);
  unit->length = frame->raw_len;
  unit->split = frame->header_len;
  unit->index = index;
  unit->eol = 0;
  unit->field = SONDE_WIRE_FIELD_NONE;
  unit->flags = frame->masked && frame->raw_len > frame->header_len ? SONDE_WIRE_REGION_MASKED : 0;
}

/* Reads a line as a parser of text/event-stream does: CR, LF and CR LF end
 * it, and its field name runs to the first colon. The next CR and LF are
 * remembered, so a stream of short lines with no CR is not searched to its
 * end for one at every line. */
typedef struct
{
  const guint8 *data;
  gsize         end;
  gsize         next_cr;
  gsize         next_lf;
  gboolean      primed;
} LineWalk;

static gsize
find_from (const guint8 *data,
           gsize         pos,
           gsize         end,
           guint8        c)
{
  const guint8 *found = memchr (data + pos, c, end - pos);

  return found != NULL ? (gsize)(found - data) : end;
}

static SondeWireField
field_for_name (const guint8 *name,
                gsize         len)
{
  if (len == 4 && memcmp (name, "data", 4) == 0)
    return SONDE_WIRE_FIELD_DATA;
  if (len == 5 && memcmp (name, "event", 5) == 0)
    return SONDE_WIRE_FIELD_EVENT;
  if (len == 2 && memcmp (name, "id", 2) == 0)
    return SONDE_WIRE_FIELD_ID;
  if (len == 5 && memcmp (name, "retry", 5) == 0)
    return SONDE_WIRE_FIELD_RETRY;
  return SONDE_WIRE_FIELD_UNKNOWN;
}

/* Where a field line's value starts, past the colon and one space. */
static gsize
value_start (const guint8 *line,
             gsize         split,
             gsize         content)
{
  if (split >= content)
    return content;
  return split + 1 + (split + 1 < content && line[split + 1] == ' ');
}

static gboolean
line_next (LineWalk *walk,
           gsize     pos,
           guint32   index,
           Unit     *unit)
{
  const guint8 *line = walk->data + pos;
  gsize e;
  gsize content;

  if (pos >= walk->end)
    return FALSE;

  if (!walk->primed || walk->next_cr < pos)
    walk->next_cr = find_from (walk->data, pos, walk->end, '\r');
  if (!walk->primed || walk->next_lf < pos)
    walk->next_lf = find_from (walk->data, pos, walk->end, '\n');
  walk->primed = TRUE;

  e = MIN (walk->next_cr, walk->next_lf);
  content = e - pos;
  unit->offset = pos;
  unit->index = index;
  unit->flags = 0;
  unit->field = SONDE_WIRE_FIELD_NONE;
  if (e == walk->end)
    unit->eol = 0;
  else if (e == walk->next_cr && e + 1 < walk->end && walk->data[e + 1] == '\n')
    unit->eol = 2;
  else
    unit->eol = 1;
  unit->length = content + unit->eol;

  if (content == 0 || line[0] == ':')
    {
      unit->split = 0;
      return TRUE;
    }

  {
    const guint8 *colon = memchr (line, ':', content);
    const guint8 *value;
    gsize value_len;

    unit->split = colon != NULL ? (gsize)(colon - line) : content;
    unit->field = field_for_name (line, unit->split);
    value = line + value_start (line, unit->split, content);
    value_len = (gsize)(line + content - value);

    /* What a parser passes over without a word: these are worth marking. */
    switch ((SondeWireField)unit->field)
      {
      case SONDE_WIRE_FIELD_UNKNOWN:
        unit->flags |= SONDE_WIRE_REGION_IGNORED;
        break;
      case SONDE_WIRE_FIELD_ID:
        if (memchr (value, '\0', value_len) != NULL)
          unit->flags |= SONDE_WIRE_REGION_IGNORED;
        break;
      case SONDE_WIRE_FIELD_RETRY:
        if (value_len == 0)
          unit->flags |= SONDE_WIRE_REGION_IGNORED;
        for (gsize i = 0; i < value_len; i++)
          {
            if (!g_ascii_isdigit (value[i]))
              {
                unit->flags |= SONDE_WIRE_REGION_IGNORED;
                break;
              }
          }
        break;
      case SONDE_WIRE_FIELD_NONE:
      case SONDE_WIRE_FIELD_EVENT:
      case SONDE_WIRE_FIELD_DATA:
      default:
        break;
      }
  }

  return TRUE;
}

/* ---- regions of one unit ---- */

#define MAX_UNIT_REGIONS 4

static guint
add_region (SondeWireRegion *regions,
            guint            n,
            gsize            offset,
            gsize            length,
            const Unit      *unit,
            SondeWireKind    kind)
{
  SondeWireRegion *r;

  if (length == 0)
    return n;
  g_assert (n < MAX_UNIT_REGIONS);
  r = &regions[n];
  memset (r, 0, sizeof *r);
  r->offset = offset;
  r->length = length;
  r->unit = unit->index;
  r->kind = kind;
  r->field = unit->field;
  return n + 1;
}

static guint
unit_regions (SondeWire       *self,
              const Unit      *unit,
              SondeWireRegion *regions)
{
  gsize at = unit->offset;
  guint n = 0;

  if (self->layout == SONDE_WIRE_LAYOUT_FRAMES)
    {
      gboolean masked = (self->data[at + 1] & 0x80) != 0;
      gsize bare = unit->split - (masked ? 4 : 0);

      n = add_region (regions, n, at, 2, unit, SONDE_WIRE_FRAME_HEADER);
      n = add_region (regions, n, at + 2, bare - 2, unit, SONDE_WIRE_EXTENDED_LENGTH);
      if (masked)
        n = add_region (regions, n, at + bare, 4, unit, SONDE_WIRE_MASK_KEY);
      n = add_region (regions, n, at + unit->split, unit->length - unit->split, unit,
                      SONDE_WIRE_PAYLOAD);
      if (masked && unit->length > unit->split)
        {
          regions[n - 1].flags = SONDE_WIRE_REGION_MASKED;
          memcpy (regions[n - 1].mask, self->data + at + bare, 4);
        }
      return n;
    }

  {
    gsize content = unit->length - unit->eol;
    const guint8 *line = self->data + at;

    if (content > 0 && line[0] == ':')
      n = add_region (regions, n, at, content, unit, SONDE_WIRE_COMMENT);
    else if (content > 0)
      {
        gsize value = value_start (line, unit->split, content);

        n = add_region (regions, n, at, unit->split, unit, SONDE_WIRE_FIELD_NAME);
        n = add_region (regions, n, at + unit->split, value - unit->split, unit,
                        SONDE_WIRE_SEPARATOR);
        n = add_region (regions, n, at + value, content - value, unit, SONDE_WIRE_VALUE);
        for (guint i = 0; i < n; i++)
          regions[i].flags = unit->flags;
      }
    n = add_region (regions, n, at + content, unit->eol, unit, SONDE_WIRE_LINE_END);
    return n;
  }
}

/* ---- building ---- */

static void
add_unit_kinds (SondeWire  *self,
                const Unit *unit)
{
  SondeWireRegion regions[MAX_UNIT_REGIONS];
  guint n = unit_regions (self, unit, regions);

  for (guint i = 0; i < n; i++)
    self->kinds |= 1u << regions[i].kind;
}

static SondeWire *
wire_new (SondeWireLayout  layout,
          const guint8    *data,
          gsize            len)
{
  SondeWire *self = g_new0 (SondeWire, 1);

  self->layout = len > 0 ? layout : SONDE_WIRE_LAYOUT_NONE;
  self->data = data;
  self->len = len;
  self->index = g_array_new (FALSE, FALSE, sizeof (Unit));
  return self;
}

static gboolean
build_frame_cb (const SondeWsFrame *frame,
                gpointer            user_data)
{
  SondeWire *self = user_data;
  Unit unit;

  unit_from_frame (self, frame, self->n_units, &unit);
  keep_unit (self, &unit);
  add_unit_kinds (self, &unit);
  self->n_units++;
  self->units_end = unit.offset + unit.length;
  if (unit.flags & SONDE_WIRE_REGION_MASKED)
    self->has_masked = TRUE;
  return TRUE;
}

/**
 * sonde_wire_new_frames:
 * @data: (array length=len): WebSocket frames back to back, as an entry keeps them
 * @sender: who wrote them, which decides nothing here but is passed to the walker
 *
 * Bytes after the last whole frame form one PARTIAL_FRAME region.
 *
 * Returns: (transfer full): the wire of @data, which must outlive it
 */
SondeWire *
sonde_wire_new_frames (const guint8  *data,
                       gsize          len,
                       SondeWsSender  sender)
{
  SondeWire *self;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  self = wire_new (SONDE_WIRE_LAYOUT_FRAMES, data, len);
  self->sender = sender;
  if (len > 0)
    sonde_ws_frames_foreach (data, len, sender, build_frame_cb, self);
  if (self->units_end < len)
    self->kinds |= 1u << SONDE_WIRE_PARTIAL_FRAME;
  return self;
}

/**
 * sonde_wire_new_sse:
 * @data: (array length=len): text/event-stream bytes: an event's block, a comment line
 * @stream_start: whether @data starts the stream, where a BOM is a BOM. An
 *   entry's bytes never start one: the parser takes the BOM off the stream
 *   before any block, so in a block those bytes would belong to a field name.
 *
 * Returns: (transfer full): the wire of @data, which must outlive it
 */
SondeWire *
sonde_wire_new_sse (const guint8 *data,
                    gsize         len,
                    gboolean      stream_start)
{
  SondeWire *self;
  LineWalk walk = { data, len, 0, 0, FALSE };
  gsize pos;
  Unit unit;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  self = wire_new (SONDE_WIRE_LAYOUT_SSE, data, len);
  if (stream_start && len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      self->start = 3;
      self->kinds |= 1u << SONDE_WIRE_BOM;
    }

  pos = self->start;
  while (line_next (&walk, pos, self->n_units, &unit))
    {
      keep_unit (self, &unit);
      add_unit_kinds (self, &unit);
      self->n_units++;
      pos += unit.length;
    }
  self->units_end = len;
  return self;
}

/**
 * sonde_wire_new_bytes:
 * @kind: what the bytes are: %SONDE_WIRE_BYTES or %SONDE_WIRE_DISCARDED
 *
 * Returns: (transfer full): a wire of one region, for bytes with no finer structure
 */
SondeWire *
sonde_wire_new_bytes (const guint8  *data,
                      gsize          len,
                      SondeWireKind  kind)
{
  SondeWire *self;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (kind == SONDE_WIRE_BYTES || kind == SONDE_WIRE_DISCARDED, NULL);

  self = wire_new (SONDE_WIRE_LAYOUT_BYTES, data, len);
  self->bytes_kind = kind;
  self->n_units = len > 0 ? 1 : 0;
  self->kinds = len > 0 ? 1u << kind : 0;
  self->units_end = len;
  return self;
}

/**
 * sonde_wire_new_for_entry:
 *
 * WebSocket messages and control frames are walked as frames (a client's
 * as masked), SSE blocks and comments as lines; what a drop lost is one
 * DISCARDED region, and other bytes (a refused upgrade's response) one
 * BYTES region.
 *
 * Returns: (transfer full): the wire of the entry's raw bytes, valid while they are
 */
SondeWire *
sonde_wire_new_for_entry (const SondeEntryView *view)
{
  SondeWsSender sender;

  g_return_val_if_fail (view != NULL, NULL);

  sender = view->direction == SONDE_DIRECTION_OUT ? SONDE_WS_FROM_CLIENT : SONDE_WS_FROM_SERVER;
  switch (view->kind)
    {
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
      return sonde_wire_new_frames (view->raw, view->raw_len, sender);

    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
      return sonde_wire_new_sse (view->raw, view->raw_len, FALSE);

    case SONDE_ENTRY_ERROR:
      /* An error from a side is a frame that is no message; Sonde's own
       * errors hold what a drop lost, or an HTTP response. */
      if (view->direction != SONDE_DIRECTION_LOCAL)
        return sonde_wire_new_frames (view->raw, view->raw_len, sender);
      G_GNUC_FALLTHROUGH;
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      return sonde_wire_new_bytes (view->raw, view->raw_len,
                                   sonde_entry_view_has_member (view, "discarded_bytes")
                                     ? SONDE_WIRE_DISCARDED : SONDE_WIRE_BYTES);
    }
}

void
sonde_wire_free (SondeWire *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->index);
  g_free (self);
}

SondeWireLayout
sonde_wire_get_layout (SondeWire *self)
{
  g_return_val_if_fail (self != NULL, SONDE_WIRE_LAYOUT_NONE);

  return self->layout;
}

/**
 * sonde_wire_get_data:
 * @len: (out) (optional): how many bytes
 *
 * Returns: (transfer none): the bytes the wire was made for
 */
const guint8 *
sonde_wire_get_data (SondeWire *self,
                     gsize     *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (len != NULL)
    *len = self->len;
  return self->data;
}

/**
 * sonde_wire_get_n_units:
 *
 * Returns: how many whole frames or lines (a BYTES wire: 1, an empty one: 0)
 */
guint
sonde_wire_get_n_units (SondeWire *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_units;
}

/**
 * sonde_wire_is_complete:
 *
 * Returns: %FALSE when WebSocket bytes end inside a frame
 */
gboolean
sonde_wire_is_complete (SondeWire *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->units_end == self->len;
}

/**
 * sonde_wire_get_kinds:
 *
 * Returns: a bit (1 << #SondeWireKind) for every kind of region the wire has,
 *   for a legend that lists only what is there
 */
guint32
sonde_wire_get_kinds (SondeWire *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->kinds;
}

/**
 * sonde_wire_has_masked:
 *
 * Returns: whether a frame has a masked payload, worth showing unmasked
 */
gboolean
sonde_wire_has_masked (SondeWire *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_masked;
}

/* ---- finding regions ---- */

typedef struct
{
  SondeWire *wire;
  gsize      from;
  gsize      to;
  GArray    *out;
  guint32    index;
  guint      added;
  gsize      reached;
} Collect;

/* Appends the unit's regions that overlap from..to. */
static void
collect_unit (Collect    *c,
              const Unit *unit)
{
  SondeWireRegion regions[MAX_UNIT_REGIONS];
  guint n = unit_regions (c->wire, unit, regions);

  for (guint i = 0; i < n; i++)
    {
      if (regions[i].offset < c->to && regions[i].offset + regions[i].length > c->from)
        {
          g_array_append_val (c->out, regions[i]);
          c->added++;
        }
    }
  c->reached = unit->offset + unit->length;
}

static gboolean
collect_frame_cb (const SondeWsFrame *frame,
                  gpointer            user_data)
{
  Collect *c = user_data;
  Unit unit;

  unit_from_frame (c->wire, frame, c->index++, &unit);
  if (unit.offset >= c->to)
    return FALSE;
  collect_unit (c, &unit);
  return TRUE;
}

/* Walks the units in pos..end, none of them kept in the index. */
static void
collect_walk (Collect *c,
              gsize    pos,
              gsize    end)
{
  SondeWire *self = c->wire;

  if (self->layout == SONDE_WIRE_LAYOUT_FRAMES)
    {
      sonde_ws_frames_foreach (self->data + pos, end - pos, self->sender, collect_frame_cb, c);
      return;
    }

  {
    LineWalk walk = { self->data, end, 0, 0, FALSE };
    Unit unit;

    while (pos < c->to && line_next (&walk, pos, c->index, &unit))
      {
        c->index++;
        collect_unit (c, &unit);
        pos += unit.length;
      }
  }
}

/* The last kept unit that starts at or before @offset. */
static guint
find_kept (SondeWire *self,
           gsize      offset)
{
  guint lo = 0;
  guint hi = self->index->len;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->index, Unit, mid).offset <= offset)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

static void
add_whole (Collect       *c,
           gsize          offset,
           gsize          length,
           guint32        unit,
           SondeWireKind  kind)
{
  SondeWireRegion r;

  if (length == 0 || offset >= c->to || offset + length <= c->from)
    return;
  memset (&r, 0, sizeof r);
  r.offset = offset;
  r.length = length;
  r.unit = unit;
  r.kind = kind;
  g_array_append_val (c->out, r);
  c->added++;
}

/**
 * sonde_wire_get_regions:
 * @offset: the first byte of interest
 * @length: how many bytes from there
 * @regions: (element-type SondeWireRegion): where the regions are appended
 *
 * Finds the regions that overlap @offset..@offset+@length, whole (a region
 * may start before @offset and end after the range), in order. The cost
 * follows the range, not the size of the wire.
 *
 * Returns: how many regions were appended
 */
guint
sonde_wire_get_regions (SondeWire *self,
                        gsize      offset,
                        gsize      length,
                        GArray    *regions)
{
  Collect c = { 0 };
  guint k;
  gsize pos;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (regions != NULL, 0);
  g_return_val_if_fail (g_array_get_element_size (regions) == sizeof (SondeWireRegion), 0);

  if (offset >= self->len || length == 0)
    return 0;

  c.wire = self;
  c.from = offset;
  c.to = length > self->len - offset ? self->len : offset + length;
  c.out = regions;

  if (self->layout == SONDE_WIRE_LAYOUT_BYTES)
    {
      add_whole (&c, 0, self->len, 0, self->bytes_kind);
      return c.added;
    }

  if (self->layout == SONDE_WIRE_LAYOUT_SSE)
    add_whole (&c, 0, self->start, 0, SONDE_WIRE_BOM);

  if (self->index->len > 0 && c.from < self->units_end && c.to > self->start)
    {
      k = find_kept (self, c.from);
      pos = g_array_index (self->index, Unit, k).offset;
      c.index = g_array_index (self->index, Unit, k).index;
      while (pos < c.to && pos < self->units_end)
        {
          if (k < self->index->len && g_array_index (self->index, Unit, k).offset == pos)
            {
              const Unit *unit = &g_array_index (self->index, Unit, k);

              collect_unit (&c, unit);
              c.index = unit->index + 1;
              pos = c.reached;
              k++;
            }
          else
            {
              gsize end = k < self->index->len ? g_array_index (self->index, Unit, k).offset
                                               : self->units_end;

              collect_walk (&c, pos, end);
              pos = end;
            }
        }
    }

  if (self->layout == SONDE_WIRE_LAYOUT_FRAMES)
    add_whole (&c, self->units_end, self->len - self->units_end, self->n_units,
               SONDE_WIRE_PARTIAL_FRAME);

  return c.added;
}

/**
 * sonde_wire_get_region_at:
 * @region: (out caller-allocates): the region that holds byte @offset
 *
 * Returns: %FALSE when @offset is past the bytes
 */
gboolean
sonde_wire_get_region_at (SondeWire       *self,
                          gsize            offset,
                          SondeWireRegion *region)
{
  g_autoptr(GArray) found = g_array_sized_new (FALSE, FALSE, sizeof (SondeWireRegion), 1);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (region != NULL, FALSE);

  if (sonde_wire_get_regions (self, offset, 1, found) == 0)
    return FALSE;
  *region = g_array_index (found, SondeWireRegion, 0);
  return TRUE;
}

/**
 * sonde_wire_region_unmask:
 * @region: a region with %SONDE_WIRE_REGION_MASKED
 * @data: the wire's bytes
 * @offset: the first byte to unmask, inside @region
 * @length: how many, all inside @region
 * @out: (array length=length): where the unmasked bytes go
 *
 * The key repeats from the payload's first byte, which is the region's.
 */
void
sonde_wire_region_unmask (const SondeWireRegion *region,
                          const guint8          *data,
                          gsize                  offset,
                          gsize                  length,
                          guint8                *out)
{
  g_return_if_fail (region != NULL && data != NULL && (out != NULL || length == 0));
  g_return_if_fail (offset >= region->offset && length <= region->length &&
                    offset - region->offset <= region->length - length);

  for (gsize i = 0; i < length; i++)
    out[i] = data[offset + i] ^ region->mask[(offset + i - region->offset) & 3];
}

/* ---- words ---- */

/**
 * sonde_wire_kind_to_string:
 *
 * Returns: the kind's name for people, translated, as a legend shows it
 */
const char *
sonde_wire_kind_to_string (SondeWireKind kind)
{
  switch (kind)
    {
    case SONDE_WIRE_BYTES:
      return C_("wire region", "Bytes as received");
    case SONDE_WIRE_DISCARDED:
      return C_("wire region", "Discarded bytes");
    case SONDE_WIRE_FRAME_HEADER:
      return C_("wire region", "Frame header");
    case SONDE_WIRE_EXTENDED_LENGTH:
      return C_("wire region", "Extended length");
    case SONDE_WIRE_MASK_KEY:
      return C_("wire region", "Mask key");
    case SONDE_WIRE_PAYLOAD:
      return C_("wire region", "Payload");
    case SONDE_WIRE_PARTIAL_FRAME:
      return C_("wire region", "Incomplete frame");
    case SONDE_WIRE_BOM:
      return C_("wire region", "Byte order mark");
    case SONDE_WIRE_FIELD_NAME:
      return C_("wire region", "Field name");
    case SONDE_WIRE_SEPARATOR:
      return C_("wire region", "Colon");
    case SONDE_WIRE_VALUE:
      return C_("wire region", "Value");
    case SONDE_WIRE_COMMENT:
      return C_("wire region", "Comment");
    case SONDE_WIRE_LINE_END:
      return C_("wire region", "Line end");
    case SONDE_WIRE_N_KINDS:
    default:
      return "";
    }
}

/**
 * sonde_wire_field_to_string:
 *
 * Returns: (nullable): the field's name as it is on the wire, or a
 *   translated phrase for an unknown one; %NULL for none
 */
const char *
sonde_wire_field_to_string (SondeWireField field)
{
  switch (field)
    {
    case SONDE_WIRE_FIELD_EVENT:
      return "event";
    case SONDE_WIRE_FIELD_DATA:
      return "data";
    case SONDE_WIRE_FIELD_ID:
      return "id";
    case SONDE_WIRE_FIELD_RETRY:
      return "retry";
    case SONDE_WIRE_FIELD_UNKNOWN:
      return _("unknown field");
    case SONDE_WIRE_FIELD_NONE:
    default:
      return NULL;
    }
}

static const char *
line_end_name (const guint8 *bytes,
               gsize         len)
{
  if (len == 2)
    return "CR LF";
  return bytes[0] == '\r' ? "CR" : "LF";
}

/**
 * sonde_wire_region_describe:
 *
 * Returns: (transfer full): where @region is and what it holds, translated,
 *   such as “Frame 2, mask key” or “Line 1, value of the data field”
 */
char *
sonde_wire_region_describe (SondeWire             *self,
                            const SondeWireRegion *region)
{
  guint number;
  const char *field;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (region != NULL, NULL);

  number = region->unit + 1;
  field = sonde_wire_field_to_string (region->field);

  switch ((SondeWireKind)region->kind)
    {
    case SONDE_WIRE_FRAME_HEADER:
      /* Translators: %u is the frame's number, from 1 */
      return g_strdup_printf (_("Frame %u, header"), number);
    case SONDE_WIRE_EXTENDED_LENGTH:
      return g_strdup_printf (_("Frame %u, extended length"), number);
    case SONDE_WIRE_MASK_KEY:
      return g_strdup_printf (_("Frame %u, mask key"), number);
    case SONDE_WIRE_PAYLOAD:
      if (region->flags & SONDE_WIRE_REGION_MASKED)
        return g_strdup_printf (_("Frame %u, masked payload"), number);
      return g_strdup_printf (_("Frame %u, payload"), number);
    case SONDE_WIRE_PARTIAL_FRAME:
      return g_strdup (_("Bytes that are not a whole frame"));
    case SONDE_WIRE_BOM:
      return g_strdup (_("Byte order mark"));
    case SONDE_WIRE_FIELD_NAME:
      if (region->field == SONDE_WIRE_FIELD_UNKNOWN)
        /* Translators: %u is the line's number, from 1 */
        text = g_strdup_printf (_("Line %u, name of an unknown field"), number);
      else
        /* Translators: %u is the line's number, %s a field name such as “data” */
        text = g_strdup_printf (_("Line %u, name of the %s field"), number, field);
      break;
    case SONDE_WIRE_SEPARATOR:
      text = g_strdup_printf (_("Line %u, colon after the field name"), number);
      break;
    case SONDE_WIRE_VALUE:
      if (region->field == SONDE_WIRE_FIELD_UNKNOWN)
        text = g_strdup_printf (_("Line %u, value of an unknown field"), number);
      else
        /* Translators: %u is the line's number, %s a field name such as “data” */
        text = g_strdup_printf (_("Line %u, value of the %s field"), number, field);
      break;
    case SONDE_WIRE_COMMENT:
      return g_strdup_printf (_("Line %u, comment"), number);
    case SONDE_WIRE_LINE_END:
      /* Translators: %u is the line's number, %s “CR”, “LF” or “CR LF” */
      return g_strdup_printf (_("Line %u, line end (%s)"), number,
                              line_end_name (self->data + region->offset, region->length));
    case SONDE_WIRE_DISCARDED:
      return g_strdup (_("Bytes of an unfinished event or frame, discarded when the stream ended"));
    case SONDE_WIRE_BYTES:
    case SONDE_WIRE_N_KINDS:
    default:
      return g_strdup (_("Bytes as received"));
    }

  if (region->flags & SONDE_WIRE_REGION_IGNORED)
    {
      /* Translators: a description of a line's part, then why it does not count */
      char *ignored = g_strdup_printf (_("%s (ignored)"), text);

      g_free (text);
      return ignored;
    }
  return text;
}

/* sonde-wire.h: which bytes of an entry on the wire are which field, for the hex view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sonde-event-log.h"
#include "sonde-ws-dissector.h"

G_BEGIN_DECLS

/* What a run of wire bytes is. */
typedef enum
{
  SONDE_WIRE_BYTES,            /* no finer structure: a refused upgrade's HTTP response */
  SONDE_WIRE_DISCARDED,        /* what a drop lost: a partial event or frame */
  SONDE_WIRE_FRAME_HEADER,     /* FIN, RSV and opcode byte; mask bit and length byte */
  SONDE_WIRE_EXTENDED_LENGTH,  /* the 16- or 64-bit payload length */
  SONDE_WIRE_MASK_KEY,
  SONDE_WIRE_PAYLOAD,          /* as sent: still masked when the frame was */
  SONDE_WIRE_PARTIAL_FRAME,    /* bytes after the last whole frame */
  SONDE_WIRE_BOM,              /* the byte order mark that may start an event stream */
  SONDE_WIRE_FIELD_NAME,       /* an SSE line's field name */
  SONDE_WIRE_SEPARATOR,        /* the colon after it, and the one space that may follow */
  SONDE_WIRE_VALUE,
  SONDE_WIRE_COMMENT,          /* a line that starts with a colon, colon included */
  SONDE_WIRE_LINE_END,         /* CR, LF or CR LF */
  SONDE_WIRE_N_KINDS /*< skip >*/
} SondeWireKind;

/* Which SSE field a line's name, separator and value belong to. */
typedef enum
{
  SONDE_WIRE_FIELD_NONE,       /* not a field: a comment, a blank line, WebSocket bytes */
  SONDE_WIRE_FIELD_EVENT,
  SONDE_WIRE_FIELD_DATA,
  SONDE_WIRE_FIELD_ID,
  SONDE_WIRE_FIELD_RETRY,
  SONDE_WIRE_FIELD_UNKNOWN,
} SondeWireField;

/* How the bytes are told apart. */
typedef enum
{
  SONDE_WIRE_LAYOUT_NONE,      /* no bytes */
  SONDE_WIRE_LAYOUT_BYTES,     /* one region */
  SONDE_WIRE_LAYOUT_FRAMES,    /* WebSocket frames back to back */
  SONDE_WIRE_LAYOUT_SSE,       /* text/event-stream lines */
} SondeWireLayout;

typedef enum
{
  SONDE_WIRE_REGION_MASKED  = 1 << 0,  /* a masked frame's payload: see mask */
  SONDE_WIRE_REGION_IGNORED = 1 << 1,  /* an SSE line a parser ignores: an unknown field,
                                        * an id with NUL, a retry that is not all digits */
} SondeWireRegionFlags;

/* One run of bytes; the regions of a wire cover its bytes once, in order. */
typedef struct
{
  gsize    offset;
  gsize    length;
  guint32  unit;      /* the frame (WebSocket) or line (SSE) it is in, from 0 */
  guint8   kind;      /* SondeWireKind */
  guint8   field;     /* SondeWireField */
  guint8   flags;     /* SondeWireRegionFlags */
  guint8   mask[4];   /* with SONDE_WIRE_REGION_MASKED: the frame's mask key */
} SondeWireRegion;

typedef struct _SondeWire SondeWire;

/* A wire reads the bytes it was made for in place: they must outlive it. */
SondeWire      *sonde_wire_new_for_entry (const SondeEntryView *view);
SondeWire      *sonde_wire_new_frames    (const guint8         *data,
                                          gsize                 len,
                                          SondeWsSender         sender);
SondeWire      *sonde_wire_new_sse       (const guint8         *data,
                                          gsize                 len,
                                          gboolean              stream_start);
SondeWire      *sonde_wire_new_bytes     (const guint8         *data,
                                          gsize                 len,
                                          SondeWireKind         kind);
void            sonde_wire_free          (SondeWire            *self);

SondeWireLayout sonde_wire_get_layout    (SondeWire            *self);
const guint8   *sonde_wire_get_data      (SondeWire            *self,
                                          gsize                *len);
guint           sonde_wire_get_n_units   (SondeWire            *self);
gboolean        sonde_wire_is_complete   (SondeWire            *self);
gboolean        sonde_wire_has_masked    (SondeWire            *self);
guint32         sonde_wire_get_kinds     (SondeWire            *self);
guint           sonde_wire_get_regions   (SondeWire            *self,
                                          gsize                 offset,
                                          gsize                 length,
                                          GArray               *regions);
gboolean        sonde_wire_get_region_at (SondeWire            *self,
                                          gsize                 offset,
                                          SondeWireRegion      *region);
void            sonde_wire_region_unmask (const SondeWireRegion *region,
                                          const guint8         *data,
                                          gsize                 offset,
                                          gsize                 length,
                                          guint8               *out);
char           *sonde_wire_region_describe (SondeWire             *self,
                                            const SondeWireRegion *region);

const char     *sonde_wire_kind_to_string  (SondeWireKind   kind);
const char     *sonde_wire_field_to_string (SondeWireField  field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeWire, sonde_wire_free)

G_END_DECLS

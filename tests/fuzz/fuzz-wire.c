/* fuzz-wire.c: libFuzzer target for the wire regions of frames and event-stream lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, then the bytes. Settings, bits 0-1: 0 frames
 * from a server, 1 frames from a client, 2 SSE lines inside a stream, 3 SSE
 * lines at the start of a stream (a BOM counts). Bits 2-7 seed the ranges asked for.
 *
 * Aborts when the regions do not cover the bytes exactly once and in order,
 * when a range gets other regions than the same range cut from the whole,
 * when a frame's regions are not header, extended length, mask key and
 * payload in that order, or disagree with the frame walker, and when an SSE
 * line's regions are out of order.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-wire.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-wire: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

#define REGION(array, i) (&g_array_index ((array), SondeWireRegion, (i)))

static gboolean
same_region (const SondeWireRegion *a,
             const SondeWireRegion *b)
{
  return a->offset == b->offset && a->length == b->length && a->unit == b->unit &&
         a->kind == b->kind && a->field == b->field && a->flags == b->flags &&
         memcmp (a->mask, b->mask, 4) == 0;
}

typedef struct
{
  const guint8 *data;
  guint         n;
  gsize         end;
  GArray       *regions;
  guint         at;       /* the first region of the frame being checked */
} FrameCheck;

/* The walker's frames and the regions agree on every boundary. */
static gboolean
frame_cb (const SondeWsFrame *frame,
          gpointer            user_data)
{
  FrameCheck *check = user_data;
  gsize bare = frame->header_len - (frame->masked ? 4 : 0);
  guint needed = 1 + (bare > 2) + (frame->masked != 0) + (frame->length > 0);
  const SondeWireRegion *r;

  CHECK (check->at + needed <= check->regions->len);
  r = REGION (check->regions, check->at);
  CHECK (r->kind == SONDE_WIRE_FRAME_HEADER && r->length == 2 && r->unit == check->n);
  check->at++;
  if (bare > 2)
    {
      r = REGION (check->regions, check->at++);
      CHECK (r->kind == SONDE_WIRE_EXTENDED_LENGTH && r->length == bare - 2);
    }
  if (frame->masked)
    {
      r = REGION (check->regions, check->at++);
      CHECK (r->kind == SONDE_WIRE_MASK_KEY && r->length == 4);
      CHECK (memcmp (frame->raw + bare, frame->mask, 4) == 0);
    }
  if (frame->length > 0)
    {
      g_autofree guint8 *unmasked = g_malloc (frame->length);

      r = REGION (check->regions, check->at++);
      CHECK (r->kind == SONDE_WIRE_PAYLOAD && r->length == frame->length);
      CHECK (((r->flags & SONDE_WIRE_REGION_MASKED) != 0) == frame->masked);
      if (frame->masked)
        {
          CHECK (memcmp (r->mask, frame->mask, 4) == 0);
          CHECK (check->data + r->offset == frame->raw + frame->header_len);
          sonde_wire_region_unmask (r, check->data, r->offset, r->length, unmasked);
          CHECK (memcmp (unmasked, frame->payload, frame->length) == 0);
        }
    }
  check->n++;
  check->end += frame->raw_len;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) some = NULL;
  const guint8 *data;
  gsize len;
  guint settings;
  gsize at = 0;
  guint32 seed;

  if (size < 1)
    return 0;
  settings = input[0];
  data = input + 1;
  len = size - 1;

  switch (settings & 3)
    {
    case 0:
      wire = sonde_wire_new_frames (data, len, SONDE_WS_FROM_SERVER);
      break;
    case 1:
      wire = sonde_wire_new_frames (data, len, SONDE_WS_FROM_CLIENT);
      break;
    case 2:
      wire = sonde_wire_new_sse (data, len, FALSE);
      break;
    default:
      wire = sonde_wire_new_sse (data, len, TRUE);
      break;
    }

  all = g_array_new (FALSE, FALSE, sizeof (SondeWireRegion));
  some = g_array_new (FALSE, FALSE, sizeof (SondeWireRegion));
  sonde_wire_get_regions (wire, 0, len, all);

  for (guint i = 0; i < all->len; i++)
    {
      const SondeWireRegion *r = REGION (all, i);
      g_autofree char *text = sonde_wire_region_describe (wire, r);

      CHECK (r->offset == at);
      CHECK (r->length > 0);
      CHECK (r->kind < SONDE_WIRE_N_KINDS);
      CHECK (text != NULL && text[0] != '\0');
      if (i > 0)
        {
          const SondeWireRegion *before = REGION (all, i - 1);

          CHECK (r->unit == before->unit || r->unit == before->unit + 1);
          /* Within a line: name, separator, value, line end; a comment, line end. */
          if (r->unit == before->unit && (settings & 2) != 0)
            CHECK (r->kind > before->kind || before->kind == SONDE_WIRE_BOM);
        }
      at += r->length;
    }
  CHECK (at == len);
  {
    guint32 kinds = 0;

    for (guint i = 0; i < all->len; i++)
      kinds |= 1u << REGION (all, i)->kind;
    CHECK (kinds == sonde_wire_get_kinds (wire));
  }

  if ((settings & 2) == 0)
    {
      FrameCheck check = { data, 0, 0, all, 0 };

      sonde_ws_frames_foreach (data, len, (settings & 1) ? SONDE_WS_FROM_CLIENT
                                                         : SONDE_WS_FROM_SERVER,
                               frame_cb, &check);
      CHECK (check.n == sonde_wire_get_n_units (wire));
      CHECK ((check.end == len) == sonde_wire_is_complete (wire));
      if (check.end < len)
        {
          CHECK (check.at + 1 == all->len);
          CHECK (REGION (all, check.at)->kind == SONDE_WIRE_PARTIAL_FRAME);
        }
      else
        CHECK (check.at == all->len);
    }

  /* Ranges from everywhere get what the whole had there. */
  seed = settings >> 2;
  for (guint round = 0; round < 64 && len > 0; round++)
    {
      gsize offset;
      gsize span;
      guint first = 0;
      guint got;

      seed = seed * 1103515245u + 12345u;
      offset = (seed >> 8) % len;
      span = 1 + (seed >> 20) % 600;
      while (REGION (all, first)->offset + REGION (all, first)->length <= offset)
        first++;
      g_array_set_size (some, 0);
      got = sonde_wire_get_regions (wire, offset, span, some);
      CHECK (got > 0 && first + got <= all->len);
      for (guint i = 0; i < got; i++)
        CHECK (same_region (REGION (some, i), REGION (all, first + i)));
      CHECK (first + got == all->len || REGION (all, first + got)->offset >= offset + span);
    }

  return 0;
}

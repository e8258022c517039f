/* test-wire.c: the regions of wire bytes, on hand-made frames and blocks and on real exchanges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "sonde-entry.h"
#include "sonde-sse-client.h"
#include "sonde-test-util.h"
#include "sonde-wire.h"
#include "sonde-ws-client.h"
#include "sonde-ws-frame.h"

static const guint8 key[4] = { 0x37, 0xFA, 0x21, 0x3D };

static GArray *
regions_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (SondeWireRegion));
}

#define REGION(array, i) (&g_array_index ((array), SondeWireRegion, (i)))

static gboolean
region_equal (const SondeWireRegion *a,
              const SondeWireRegion *b)
{
  return a->offset == b->offset && a->length == b->length && a->unit == b->unit &&
         a->kind == b->kind && a->field == b->field && a->flags == b->flags &&
         memcmp (a->mask, b->mask, 4) == 0;
}

/* Every region of @wire, after checking that they cover its bytes exactly
 * once, in order, and that any smaller range gets the same regions. */
static GArray *
checked_regions (SondeWire *wire)
{
  GArray *all = regions_new ();
  g_autoptr(GArray) some = regions_new ();
  gsize len;
  gsize at = 0;
  guint first = 0;

  sonde_wire_get_data (wire, &len);
  sonde_wire_get_regions (wire, 0, len, all);

  for (guint i = 0; i < all->len; i++)
    {
      const SondeWireRegion *r = REGION (all, i);

      g_assert_cmpuint (r->offset, ==, at);
      g_assert_cmpuint (r->length, >, 0);
      g_assert_cmpuint (r->kind, <, SONDE_WIRE_N_KINDS);
      if (i > 0)
        g_assert_cmpuint (r->unit, >=, REGION (all, i - 1)->unit);
      at += r->length;
    }
  g_assert_cmpuint (at, ==, len);
  {
    guint32 kinds = 0;

    for (guint i = 0; i < all->len; i++)
      kinds |= 1u << REGION (all, i)->kind;
    g_assert_cmphex (sonde_wire_get_kinds (wire), ==, kinds);
  }

  /* Byte by byte for small wires; for large ones, a stride that lands everywhere. */
  for (gsize offset = 0; offset < len; offset += len <= 4096 ? 1 : 97)
    {
      gsize span = 1 + offset % 37;
      guint got;

      while (first < all->len &&
             REGION (all, first)->offset + REGION (all, first)->length <= offset)
        first++;
      g_array_set_size (some, 0);
      got = sonde_wire_get_regions (wire, offset, span, some);
      g_assert_cmpuint (got, ==, some->len);
      g_assert_cmpuint (got, >, 0);
      for (guint i = 0; i < got; i++)
        g_assert_true (region_equal (REGION (some, i), REGION (all, first + i)));
      /* Nothing that overlaps the range is left out. */
      if (first + got < all->len)
        g_assert_cmpuint (REGION (all, first + got)->offset, >=, MIN (offset + span, len));
    }

  g_array_set_size (some, 0);
  g_assert_cmpuint (sonde_wire_get_regions (wire, len, 10, some), ==, 0);
  g_assert_cmpuint (sonde_wire_get_regions (wire, 0, 0, some), ==, 0);

  return all;
}

static void
assert_region (GArray        *regions,
               guint          i,
               gsize          offset,
               gsize          length,
               SondeWireKind  kind,
               guint          unit)
{
  const SondeWireRegion *r;

  g_assert_cmpuint (i, <, regions->len);
  r = REGION (regions, i);
  g_assert_cmpuint (r->offset, ==, offset);
  g_assert_cmpuint (r->length, ==, length);
  g_assert_cmpint (r->kind, ==, kind);
  g_assert_cmpuint (r->unit, ==, unit);
}

/* ---- WebSocket frames, hand-made ---- */

static void
test_frame_small (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) regions = NULL;
  g_autofree char *text = NULL;

  sonde_ws_frame_append_full (bytes, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"Hello", 5, NULL, 0);
  wire = sonde_wire_new_frames (bytes->data, bytes->len, SONDE_WS_FROM_SERVER);
  g_assert_cmpint (sonde_wire_get_layout (wire), ==, SONDE_WIRE_LAYOUT_FRAMES);
  g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, 1);
  g_assert_true (sonde_wire_is_complete (wire));
  g_assert_false (sonde_wire_has_masked (wire));

  regions = checked_regions (wire);
  g_assert_cmpuint (regions->len, ==, 2);
  g_assert_cmphex (sonde_wire_get_kinds (wire), ==,
                   1u << SONDE_WIRE_FRAME_HEADER | 1u << SONDE_WIRE_PAYLOAD);
  assert_region (regions, 0, 0, 2, SONDE_WIRE_FRAME_HEADER, 0);
  assert_region (regions, 1, 2, 5, SONDE_WIRE_PAYLOAD, 0);
  g_assert_cmpuint (REGION (regions, 1)->flags, ==, 0);

  text = sonde_wire_region_describe (wire, REGION (regions, 1));
  g_assert_cmpstr (text, ==, "Frame 1, payload");
}

/* A client's frame with a 16-bit length: the mask key, and the payload unmasked beside it. */
static void
test_frame_masked (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) regions = NULL;
  g_autofree char *text = NULL;
  guint8 payload[300];
  guint8 unmasked[300];
  const SondeWireRegion *r;
  SondeWireRegion at;

  for (guint i = 0; i < sizeof payload; i++)
    payload[i] = (guint8)('a' + i % 26);
  sonde_ws_frame_append_full (bytes, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, payload,
                              sizeof payload, key, 0);
  wire = sonde_wire_new_frames (bytes->data, bytes->len, SONDE_WS_FROM_CLIENT);
  g_assert_true (sonde_wire_has_masked (wire));

  regions = checked_regions (wire);
  g_assert_cmpuint (regions->len, ==, 4);
  assert_region (regions, 0, 0, 2, SONDE_WIRE_FRAME_HEADER, 0);
  assert_region (regions, 1, 2, 2, SONDE_WIRE_EXTENDED_LENGTH, 0);
  assert_region (regions, 2, 4, 4, SONDE_WIRE_MASK_KEY, 0);
  assert_region (regions, 3, 8, 300, SONDE_WIRE_PAYLOAD, 0);
  r = REGION (regions, 3);
  g_assert_cmpuint (r->flags, ==, SONDE_WIRE_REGION_MASKED);
  g_assert_cmpmem (r->mask, 4, key, 4);

  /* Unmasking a piece that does not start on the key's period. */
  sonde_wire_region_unmask (r, bytes->data, 8 + 5, 200, unmasked);
  g_assert_cmpmem (unmasked, 200, payload + 5, 200);
  sonde_wire_region_unmask (r, bytes->data, 8, 300, unmasked);
  g_assert_cmpmem (unmasked, 300, payload, 300);

  g_assert_true (sonde_wire_get_region_at (wire, 5, &at));
  g_assert_cmpint (at.kind, ==, SONDE_WIRE_MASK_KEY);
  text = sonde_wire_region_describe (wire, &at);
  g_assert_cmpstr (text, ==, "Frame 1, mask key");
  g_clear_pointer (&text, g_free);
  text = sonde_wire_region_describe (wire, r);
  g_assert_cmpstr (text, ==, "Frame 1, masked payload");
  g_assert_false (sonde_wire_get_region_at (wire, bytes->len, &at));
}

/* The 64-bit length form, sent for a short payload too (a violation, still regions). */
static void
test_frame_long_forms (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) regions = NULL;
  g_autofree guint8 *big = g_malloc0 (70000);

  sonde_ws_frame_append_full (bytes, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, big, 70000, NULL, 0);
  sonde_ws_frame_append_full (bytes, SONDE_WS_FIN | SONDE_WS_OPCODE_PING,
                              (const guint8 *)"hi", 2, key, 64);
  sonde_ws_frame_append_full (bytes, SONDE_WS_FIN | SONDE_WS_OPCODE_PONG, NULL, 0, key, 0);
  wire = sonde_wire_new_frames (bytes->data, bytes->len, SONDE_WS_FROM_CLIENT);
  g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, 3);

  regions = checked_regions (wire);
  g_assert_cmpuint (regions->len, ==, 3 + 4 + 2);
  assert_region (regions, 0, 0, 2, SONDE_WIRE_FRAME_HEADER, 0);
  assert_region (regions, 1, 2, 8, SONDE_WIRE_EXTENDED_LENGTH, 0);
  assert_region (regions, 2, 10, 70000, SONDE_WIRE_PAYLOAD, 0);
  assert_region (regions, 3, 70010, 2, SONDE_WIRE_FRAME_HEADER, 1);
  assert_region (regions, 4, 70012, 8, SONDE_WIRE_EXTENDED_LENGTH, 1);
  assert_region (regions, 5, 70020, 4, SONDE_WIRE_MASK_KEY, 1);
  assert_region (regions, 6, 70024, 2, SONDE_WIRE_PAYLOAD, 1);
  /* A masked frame with no payload: a key, nothing to unmask. */
  assert_region (regions, 7, 70026, 2, SONDE_WIRE_FRAME_HEADER, 2);
  assert_region (regions, 8, 70028, 4, SONDE_WIRE_MASK_KEY, 2);
}

/* A fragmented message whose bytes end inside a fourth frame. */
static void
test_frame_fragments_and_rest (void)
{
  g_autoptr(GBytes) message = sonde_ws_message_fragment (SONDE_WS_OPCODE_TEXT,
                                                         (const guint8 *)"abcdefghij", 10, 4,
                                                         FALSE);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) regions = NULL;
  g_autofree char *text = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);

  g_byte_array_append (bytes, data, len);
  g_byte_array_append (bytes, (const guint8 *)"\x81\x7e\x01", 3);
  wire = sonde_wire_new_frames (bytes->data, bytes->len, SONDE_WS_FROM_SERVER);
  g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, 3);
  g_assert_false (sonde_wire_is_complete (wire));

  regions = checked_regions (wire);
  g_assert_cmpuint (regions->len, ==, 7);
  assert_region (regions, 0, 0, 2, SONDE_WIRE_FRAME_HEADER, 0);
  assert_region (regions, 1, 2, 4, SONDE_WIRE_PAYLOAD, 0);
  assert_region (regions, 2, 6, 2, SONDE_WIRE_FRAME_HEADER, 1);
  assert_region (regions, 3, 8, 4, SONDE_WIRE_PAYLOAD, 1);
  assert_region (regions, 4, 12, 2, SONDE_WIRE_FRAME_HEADER, 2);
  assert_region (regions, 5, 14, 2, SONDE_WIRE_PAYLOAD, 2);
  assert_region (regions, 6, 16, 3, SONDE_WIRE_PARTIAL_FRAME, 3);
  text = sonde_wire_region_describe (wire, REGION (regions, 6));
  g_assert_cmpstr (text, ==, "Bytes that are not a whole frame");
}

/* Thousands of frames of every size: the sparse index walks give exactly
 * what one walk over everything gives, from any offset. */
static void
test_frame_many (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) regions = NULL;
  g_autofree guint8 *payload = g_malloc (1000);
  GRand *rand = g_rand_new_with_seed (7);
  guint n = 5000;

  for (guint i = 0; i < 1000; i++)
    payload[i] = (guint8)i;
  for (guint i = 0; i < n; i++)
    {
      /* Mostly tiny, now and then long, so both kinds of index entry occur. */
      gsize len = g_rand_int_range (rand, 0, 10) == 0 ? (gsize)g_rand_int_range (rand, 256, 1000)
                                                      : (gsize)g_rand_int_range (rand, 0, 6);

      sonde_ws_frame_append_full (bytes, (i + 1 == n ? SONDE_WS_FIN : 0) |
                                           (i == 0 ? SONDE_WS_OPCODE_BINARY : 0),
                                  payload, len, i % 3 == 0 ? key : NULL, 0);
    }
  g_rand_free (rand);

  wire = sonde_wire_new_frames (bytes->data, bytes->len, SONDE_WS_FROM_CLIENT);
  g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, n);
  regions = checked_regions (wire);
  g_assert_cmpuint (REGION (regions, regions->len - 1)->unit, ==, n - 1);
  for (guint i = 0; i < regions->len; i++)
    {
      const SondeWireRegion *r = REGION (regions, i);

      if (r->kind == SONDE_WIRE_MASK_KEY || (r->flags & SONDE_WIRE_REGION_MASKED))
        g_assert_cmpuint (r->unit % 3, ==, 0);
    }
}

/* ---- SSE lines, hand-made ---- */

static void
assert_sse (GArray         *regions,
            guint           i,
            const char     *text,
            const guint8   *data,
            SondeWireKind   kind,
            SondeWireField  field,
            guint           flags,
            guint           line)
{
  const SondeWireRegion *r;

  g_assert_cmpuint (i, <, regions->len);
  r = REGION (regions, i);
  g_assert_cmpmem (data + r->offset, r->length, text, strlen (text));
  g_assert_cmpint (r->kind, ==, kind);
  g_assert_cmpint (r->field, ==, field);
  g_assert_cmpuint (r->flags, ==, flags);
  g_assert_cmpuint (r->unit, ==, line);
}

static void
test_sse_block (void)
{
  static const char block[] =
    "event: update\n"
    "data:a\r\n"
    "data\r"
    ": a comment\n"
    "id: 7\n"
    "retry: 1x\n"
    "x-other: y\n"
    "id: a\0b\n"
    "\n";
  const guint8 *data = (const guint8 *)block;
  g_autoptr(SondeWire) wire = sonde_wire_new_sse (data, sizeof block - 1, FALSE);
  g_autoptr(GArray) r = checked_regions (wire);
  g_autofree char *text = NULL;
  guint i = 0;

  g_assert_cmpint (sonde_wire_get_layout (wire), ==, SONDE_WIRE_LAYOUT_SSE);
  g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, 9);

  assert_sse (r, i++, "event", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_EVENT, 0, 0);
  assert_sse (r, i++, ": ", data, SONDE_WIRE_SEPARATOR, SONDE_WIRE_FIELD_EVENT, 0, 0);
  assert_sse (r, i++, "update", data, SONDE_WIRE_VALUE, SONDE_WIRE_FIELD_EVENT, 0, 0);
  assert_sse (r, i++, "\n", data, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_EVENT, 0, 0);

  assert_sse (r, i++, "data", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_DATA, 0, 1);
  assert_sse (r, i++, ":", data, SONDE_WIRE_SEPARATOR, SONDE_WIRE_FIELD_DATA, 0, 1);
  assert_sse (r, i++, "a", data, SONDE_WIRE_VALUE, SONDE_WIRE_FIELD_DATA, 0, 1);
  assert_sse (r, i++, "\r\n", data, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_DATA, 0, 1);

  /* A name with no colon is a field with an empty value. */
  assert_sse (r, i++, "data", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_DATA, 0, 2);
  assert_sse (r, i++, "\r", data, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_DATA, 0, 2);

  assert_sse (r, i++, ": a comment", data, SONDE_WIRE_COMMENT, SONDE_WIRE_FIELD_NONE, 0, 3);
  assert_sse (r, i++, "\n", data, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_NONE, 0, 3);

  assert_sse (r, i++, "id", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_ID, 0, 4);
  assert_sse (r, i++, ": ", data, SONDE_WIRE_SEPARATOR, SONDE_WIRE_FIELD_ID, 0, 4);
  assert_sse (r, i++, "7", data, SONDE_WIRE_VALUE, SONDE_WIRE_FIELD_ID, 0, 4);
  i++;

  assert_sse (r, i++, "retry", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_RETRY,
              SONDE_WIRE_REGION_IGNORED, 5);
  assert_sse (r, i++, ": ", data, SONDE_WIRE_SEPARATOR, SONDE_WIRE_FIELD_RETRY,
              SONDE_WIRE_REGION_IGNORED, 5);
  assert_sse (r, i++, "1x", data, SONDE_WIRE_VALUE, SONDE_WIRE_FIELD_RETRY,
              SONDE_WIRE_REGION_IGNORED, 5);
  text = sonde_wire_region_describe (wire, REGION (r, i - 1));
  g_assert_cmpstr (text, ==, "Line 6, value of the retry field (ignored)");
  g_clear_pointer (&text, g_free);
  i++;

  assert_sse (r, i++, "x-other", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_UNKNOWN,
              SONDE_WIRE_REGION_IGNORED, 6);
  text = sonde_wire_region_describe (wire, REGION (r, i - 1));
  g_assert_cmpstr (text, ==, "Line 7, name of an unknown field (ignored)");
  g_clear_pointer (&text, g_free);
  i += 3;

  /* An id with NUL does not count. */
  assert_sse (r, i++, "id", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_ID,
              SONDE_WIRE_REGION_IGNORED, 7);
  i += 2;
  assert_sse (r, i++, "\n", data, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_ID, 0, 7);
  /* The blank line that ends the block. */
  assert_sse (r, i++, "\n", data, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_NONE, 0, 8);
  g_assert_cmpuint (i, ==, r->len);

  text = sonde_wire_region_describe (wire, REGION (r, 0));
  g_assert_cmpstr (text, ==, "Line 1, name of the event field");
  g_clear_pointer (&text, g_free);
  text = sonde_wire_region_describe (wire, REGION (r, 7));
  g_assert_cmpstr (text, ==, "Line 2, line end (CR LF)");
}

/* Where the bytes start the stream, a BOM is one; elsewhere it belongs to a name. */
static void
test_sse_bom (void)
{
  static const char stream[] = "\xEF\xBB\xBF" "data: x\n\n";
  const guint8 *data = (const guint8 *)stream;
  g_autoptr(SondeWire) start = sonde_wire_new_sse (data, sizeof stream - 1, TRUE);
  g_autoptr(SondeWire) block = sonde_wire_new_sse (data, sizeof stream - 1, FALSE);
  g_autoptr(GArray) r = checked_regions (start);
  g_autoptr(GArray) b = checked_regions (block);

  assert_sse (r, 0, "\xEF\xBB\xBF", data, SONDE_WIRE_BOM, SONDE_WIRE_FIELD_NONE, 0, 0);
  assert_sse (r, 1, "data", data, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_DATA, 0, 0);
  g_assert_cmpuint (sonde_wire_get_n_units (start), ==, 2);

  assert_sse (b, 0, "\xEF\xBB\xBF" "data", data, SONDE_WIRE_FIELD_NAME,
              SONDE_WIRE_FIELD_UNKNOWN, SONDE_WIRE_REGION_IGNORED, 0);
}

/* Lines with no CR anywhere, short and long, and an unfinished last one. */
static void
test_sse_many_lines (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(SondeWire) wire = NULL;
  g_autoptr(GArray) regions = NULL;
  const SondeWireRegion *last;
  guint lines = 0;

  for (guint i = 0; i < 6000; i++, lines++)
    {
      if (i % 500 == 0)
        {
          g_string_append (text, "data: ");
          for (guint j = 0; j < 700; j++)
            g_string_append_c (text, (char)('a' + j % 26));
          g_string_append_c (text, '\n');
        }
      else if (i % 7 == 0)
        g_string_append (text, ":\n");
      else if (i % 11 == 0)
        g_string_append (text, "\r\n");
      else
        g_string_append_printf (text, "data:%u\n", i);
    }
  g_string_append (text, "data: unfinished");
  lines++;

  wire = sonde_wire_new_sse ((const guint8 *)text->str, text->len, FALSE);
  g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, lines);
  regions = checked_regions (wire);
  last = REGION (regions, regions->len - 1);
  g_assert_cmpint (last->kind, ==, SONDE_WIRE_VALUE);
  g_assert_cmpuint (last->unit, ==, lines - 1);
}

static void
test_bytes (void)
{
  static const char response[] = "HTTP/1.1 403 Forbidden\r\n\r\n";
  g_autoptr(SondeWire) wire = sonde_wire_new_bytes ((const guint8 *)response,
                                                    sizeof response - 1, SONDE_WIRE_BYTES);
  g_autoptr(SondeWire) empty = sonde_wire_new_bytes (NULL, 0, SONDE_WIRE_DISCARDED);
  g_autoptr(GArray) regions = checked_regions (wire);
  g_autoptr(GArray) none = checked_regions (empty);

  g_assert_cmpuint (regions->len, ==, 1);
  assert_region (regions, 0, 0, sizeof response - 1, SONDE_WIRE_BYTES, 0);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (sonde_wire_get_layout (empty), ==, SONDE_WIRE_LAYOUT_NONE);
  g_assert_cmpstr (sonde_wire_kind_to_string (SONDE_WIRE_MASK_KEY), ==, "Mask key");
}

/* ---- entries from the real engines ---- */

/* Checks every entry of @log, and counts the regions of each kind. */
static void
check_log (SondeEventLog *log,
           guint          counts[SONDE_WIRE_N_KINDS])
{
  guint64 n = sonde_event_log_get_n_entries (log);

  memset (counts, 0, sizeof (guint) * SONDE_WIRE_N_KINDS);
  for (guint64 seq = 0; seq < n; seq++)
    {
      SondeEntryView view;
      g_autoptr(SondeWire) wire = NULL;
      g_autoptr(GArray) regions = NULL;

      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      wire = sonde_wire_new_for_entry (&view);
      regions = checked_regions (wire);
      g_assert_true (sonde_wire_is_complete (wire));
      for (guint i = 0; i < regions->len; i++)
        {
          const SondeWireRegion *r = REGION (regions, i);

          counts[r->kind]++;
          /* A data entry's payload, unmasked, is what the entry says it carries. */
          if (r->kind == SONDE_WIRE_PAYLOAD && (r->flags & SONDE_WIRE_REGION_MASKED))
            g_assert_cmpint (view.direction, ==, SONDE_DIRECTION_OUT);
        }
      if (view.kind == SONDE_ENTRY_TEXT && sonde_wire_get_n_units (wire) == 1)
        {
          gsize len = 0;
          g_autofree char *data = sonde_entry_view_dup_data (&view, &len, NULL);
          const SondeWireRegion *payload = REGION (regions, regions->len - 1);
          g_autofree guint8 *shown = g_malloc (payload->length + 1);

          g_assert_cmpint (payload->kind, ==, SONDE_WIRE_PAYLOAD);
          if (payload->flags & SONDE_WIRE_REGION_MASKED)
            sonde_wire_region_unmask (payload, view.raw, payload->offset, payload->length, shown);
          else
            memcpy (shown, view.raw + payload->offset, payload->length);
          g_assert_cmpmem (shown, payload->length, data, len);
        }
    }
}

typedef struct
{
  SondeEventLog *log;
  guint64        n;
} Count;

static gboolean
has_entries (gpointer data)
{
  Count *count = data;

  return sonde_event_log_get_n_entries (count->log) >= count->n;
}

static void
test_ws_exchange (void)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) server = sonde_test_ws_echo_server_new (&url);
  g_autoptr(SondeWsClient) client = NULL;
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) ping = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) pieces = g_bytes_new_static ("abcdefgh", 8);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *payload = g_malloc (70000);
  SondeEventLog *log;
  guint counts[SONDE_WIRE_N_KINDS];
  Count count;

  client = sonde_ws_client_new (url, NULL);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_is_open, client, 10000));

  for (gsize i = 0; i < 70000; i++)
    payload[i] = (guint8)(i * 7);
  big = g_bytes_new (payload, 70000);
  g_assert_true (sonde_ws_client_send_text (client, "hello there", &error));
  g_assert_true (sonde_ws_client_send_binary (client, big, &error));
  g_assert_true (sonde_ws_client_send_fragmented (client, FALSE, pieces, 3, &error));
  g_assert_true (sonde_ws_client_ping (client, ping, &error));
  g_assert_no_error (error);
  /* open, 4 out, 3 echoes and a pong */
  count.log = log;
  count.n = 9;
  g_assert_true (sonde_test_wait_until (has_entries, &count, 10000));
  g_assert_true (sonde_ws_client_close (client, 1000, "bye", &error));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  check_log (log, counts);
  /* Ours masked with keys, the echoes not; 16- and 64-bit lengths both ways. */
  g_assert_cmpuint (counts[SONDE_WIRE_MASK_KEY], >=, 4 + 3);
  g_assert_cmpuint (counts[SONDE_WIRE_EXTENDED_LENGTH], >=, 2);
  g_assert_cmpuint (counts[SONDE_WIRE_FRAME_HEADER], >=, 2 * 4 + 2 + 2);
  g_assert_cmpuint (counts[SONDE_WIRE_PARTIAL_FRAME], ==, 0);

  soup_server_disconnect (server);
}

static void
sse_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  static const char body[] =
    ": hello\n"
    "retry: 2500\n"
    "\n"
    "event: tick\r\n"
    "id: 1\r\n"
    "data: one\r\n"
    "data:two\r\n"
    "x-unknown: z\r\n"
    "\r\n"
    "data: unfinished";
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            body, sizeof body - 1);
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static void
test_sse_exchange (void)
{
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = sonde_test_server_new (&base);
  g_autofree char *url = g_strdup_printf ("%s/events", base);
  g_autoptr(SondeSseClient) client = NULL;
  SondeEventLog *log;
  guint counts[SONDE_WIRE_N_KINDS];
  gboolean saw_block = FALSE;

  SondeReconnectPolicy none = { SONDE_RECONNECT_NONE };

  soup_server_add_handler (server, "/events", sse_handler, NULL, NULL);
  client = sonde_sse_client_new (url, NULL);
  sonde_connection_set_policy (SONDE_CONNECTION (client), &none);
  log = sonde_connection_get_log (SONDE_CONNECTION (client));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (sonde_test_connection_has_ended, client, 10000));

  check_log (log, counts);
  g_assert_cmpuint (counts[SONDE_WIRE_COMMENT], ==, 1);
  g_assert_cmpuint (counts[SONDE_WIRE_DISCARDED], ==, 1);

  for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
    {
      SondeEntryView view;
      g_autoptr(SondeWire) wire = NULL;
      g_autoptr(GArray) regions = regions_new ();

      sonde_event_log_get_view (log, seq, &view);
      if (view.kind != SONDE_ENTRY_SSE)
        continue;
      saw_block = TRUE;
      wire = sonde_wire_new_for_entry (&view);
      sonde_wire_get_regions (wire, 0, view.raw_len, regions);
      g_assert_cmpuint (sonde_wire_get_n_units (wire), ==, 6);
      assert_sse (regions, 0, "event", view.raw, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_EVENT,
                  0, 0);
      assert_sse (regions, 2, "tick", view.raw, SONDE_WIRE_VALUE, SONDE_WIRE_FIELD_EVENT, 0, 0);
      assert_sse (regions, 3, "\r\n", view.raw, SONDE_WIRE_LINE_END, SONDE_WIRE_FIELD_EVENT, 0, 0);
      assert_sse (regions, 4, "id", view.raw, SONDE_WIRE_FIELD_NAME, SONDE_WIRE_FIELD_ID, 0, 1);
      assert_sse (regions, 14, "two", view.raw, SONDE_WIRE_VALUE, SONDE_WIRE_FIELD_DATA, 0, 3);
      assert_sse (regions, 16, "x-unknown", view.raw, SONDE_WIRE_FIELD_NAME,
                  SONDE_WIRE_FIELD_UNKNOWN, SONDE_WIRE_REGION_IGNORED, 4);
      assert_sse (regions, regions->len - 1, "\r\n", view.raw, SONDE_WIRE_LINE_END,
                  SONDE_WIRE_FIELD_NONE, 0, 5);
    }
  g_assert_true (saw_block);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/wire/frame-small", test_frame_small);
  g_test_add_func ("/sonde/wire/frame-masked", test_frame_masked);
  g_test_add_func ("/sonde/wire/frame-long-forms", test_frame_long_forms);
  g_test_add_func ("/sonde/wire/frame-fragments-and-rest", test_frame_fragments_and_rest);
  g_test_add_func ("/sonde/wire/frame-many", test_frame_many);
  g_test_add_func ("/sonde/wire/sse-block", test_sse_block);
  g_test_add_func ("/sonde/wire/sse-bom", test_sse_bom);
  g_test_add_func ("/sonde/wire/sse-many-lines", test_sse_many_lines);
  g_test_add_func ("/sonde/wire/bytes", test_bytes);
  g_test_add_func ("/sonde/wire/ws-exchange", test_ws_exchange);
  g_test_add_func ("/sonde/wire/sse-exchange", test_sse_exchange);

  return g_test_run ();
}

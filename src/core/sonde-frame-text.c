/* sonde-frame-text.c: every field of an entry's frames, and every rule they broke, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry.h"
#include "sonde-entry-fields.h"
#include "sonde-frame-text.h"
#include "sonde-json-scanner.h"
#include "sonde-wire.h"
#include "sonde-ws-frame.h"

/* A value longer than this is shown cut, with “…”: a row is for reading. */
#define MAX_VALUE_BYTES 1024

/* ---- words for single things ---- */

/**
 * sonde_ws_opcode_get_name:
 *
 * Returns: (nullable): the opcode's name, translated; %NULL for a reserved one
 */
const char *
sonde_ws_opcode_get_name (guint opcode)
{
  switch (opcode)
    {
    case SONDE_WS_OPCODE_CONTINUATION:
      return C_("opcode", "continuation");
    case SONDE_WS_OPCODE_TEXT:
      return C_("opcode", "text");
    case SONDE_WS_OPCODE_BINARY:
      return C_("opcode", "binary");
    case SONDE_WS_OPCODE_CLOSE:
      return C_("opcode", "close");
    case SONDE_WS_OPCODE_PING:
      return C_("opcode", "ping");
    case SONDE_WS_OPCODE_PONG:
      return C_("opcode", "pong");
    default:
      return NULL;
    }
}

static gboolean
close_code_is_local (guint code)
{
  return code == 1005 || code == 1006 || code == 1015;
}

/* The reserved bits a frame has set, as “RSV1”, “RSV2, RSV3”. */
static char *
rsv_names (guint8 rsv)
{
  GString *names = g_string_new (NULL);

  for (guint bit = 0; bit < 3; bit++)
    {
      if ((rsv & (4 >> bit)) == 0)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append_printf (names, "RSV%u", bit + 1);
    }
  return g_string_free (names, FALSE);
}

/**
 * sonde_ws_violation_explain:
 * @violation: one violation
 * @frame: (nullable): the frame it was found in, for its numbers; %NULL
 *   when it concerns a whole message
 *
 * Returns: (transfer full): a sentence that says what rule was broken and
 *   what follows from it, translated
 */
char *
sonde_ws_violation_explain (SondeWsViolation    violation,
                            const SondeWsFrame *frame)
{
  switch (violation)
    {
    case SONDE_WS_VIOLATION_RESERVED_OPCODE:
      if (frame != NULL)
        return g_strdup_printf (_("The opcode 0x%X is reserved: RFC 6455 gives it no meaning, so "
                                  "the receiver must fail the connection."), frame->opcode);
      return g_strdup (_("A frame has a reserved opcode, one RFC 6455 gives no meaning."));

    case SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION:
      if (frame != NULL && frame->rsv == 4 && frame->opcode != SONDE_WS_OPCODE_TEXT &&
          frame->opcode != SONDE_WS_OPCODE_BINARY)
        return g_strdup (_("RSV1 is set on a continuation or control frame; permessage-deflate "
                           "sets it only on the first frame of a message."));
      if (frame != NULL && frame->rsv != 0)
        {
          g_autofree char *names = rsv_names (frame->rsv);

          /* Translators: %s names reserved bits, such as “RSV2, RSV3” */
          return g_strdup_printf (_("Reserved bits are set (%s), but no extension that gives "
                                    "them a meaning was negotiated."), names);
        }
      return g_strdup (_("A reserved bit is set, but no extension that gives it a meaning was "
                         "negotiated."));

    case SONDE_WS_VIOLATION_CONTROL_TOO_LONG:
      if (frame != NULL)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "This control frame carries %llu byte; a control "
                                             "frame may carry at most 125.",
                                             "This control frame carries %llu bytes; a control "
                                             "frame may carry at most 125.",
                                             (gulong)MIN (frame->length, G_MAXULONG)),
                                (unsigned long long)frame->length);
      return g_strdup (_("A control frame carries more than 125 bytes, the most it may."));

    case SONDE_WS_VIOLATION_CONTROL_FRAGMENTED:
      return g_strdup (_("A control frame without FIN: control frames must not be fragmented."));

    case SONDE_WS_VIOLATION_ORPHAN_CONTINUATION:
      return g_strdup (_("This continuation frame has no message to continue: no text or binary "
                         "frame without FIN came before it."));

    case SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE:
      return g_strdup (_("A new text or binary frame came while a fragmented message was still "
                         "open; only continuation frames may follow until the one with FIN."));

    case SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH:
      if (frame != NULL)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The payload length, %llu byte, is sent in the "
                                             "%u-bit form, though a shorter form holds it; RFC "
                                             "6455 requires the shortest.",
                                             "The payload length, %llu bytes, is sent in the "
                                             "%u-bit form, though a shorter form holds it; RFC "
                                             "6455 requires the shortest.",
                                             (gulong)MIN (frame->length, G_MAXULONG)),
                                (unsigned long long)frame->length, (guint)frame->length_bits);
      return g_strdup (_("A payload length is not sent in its shortest form, as RFC 6455 "
                         "requires."));

    case SONDE_WS_VIOLATION_LENGTH_TOP_BIT:
      return g_strdup (_("The 64-bit payload length has its most significant bit set, which RFC "
                         "6455 forbids."));

    case SONDE_WS_VIOLATION_CLIENT_NOT_MASKED:
      return g_strdup (_("The client sent a frame unmasked; a client must mask every frame."));

    case SONDE_WS_VIOLATION_SERVER_MASKED:
      return g_strdup (_("The server masked a frame; a server must never mask its frames."));

    case SONDE_WS_VIOLATION_CLOSE_ONE_BYTE:
      return g_strdup (_("The close frame’s body is one byte long; a body is either empty or "
                         "starts with a two-byte close code."));

    case SONDE_WS_VIOLATION_CLOSE_CODE:
      if (frame != NULL && frame->has_close_code && close_code_is_local (frame->close_code))
        return g_strdup_printf (_("The close code %u (%s) only reports a closure inside a "
                                  "program; it must never be sent in a close frame."),
                                frame->close_code,
                                sonde_ws_close_code_describe (frame->close_code));
      if (frame != NULL && frame->has_close_code)
        return g_strdup_printf (_("The close code %u is not assigned, so a close frame may not "
                                  "carry it."), frame->close_code);
      return g_strdup (_("A close frame carries a code that may not be sent."));

    case SONDE_WS_VIOLATION_INVALID_UTF8:
      if (frame != NULL && frame->opcode == SONDE_WS_OPCODE_CLOSE)
        return g_strdup (_("The close reason is not valid UTF-8, as it must be."));
      return g_strdup (_("The text is not valid UTF-8, as every text message must be."));

    case SONDE_WS_VIOLATION_TOO_LARGE:
      return g_strdup (_("The message is larger than the size limit, so its bytes were not "
                         "kept."));

    case SONDE_WS_VIOLATION_BAD_DEFLATE:
      return g_strdup (_("The message came compressed with permessage-deflate, but its bytes do "
                         "not inflate."));

    default:
      return g_strdup (_("A rule of RFC 6455 that Sonde has no words for was broken."));
    }
}

/* ---- building ---- */

static void
field_clear (gpointer data)
{
  SondeFrameField *field = data;

  g_free (field->name);
  g_free (field->value);
}

static void
section_free (gpointer data)
{
  SondeFrameSection *section = data;

  g_free (section->title);
  g_free (section->summary);
  g_array_unref (section->fields);
  g_ptr_array_unref (section->problems);
  g_free (section);
}

static SondeFrameSection *
section_new (gsize offset,
             gsize length)
{
  SondeFrameSection *section = g_new0 (SondeFrameSection, 1);

  section->offset = offset;
  section->length = length;
  section->fields = g_array_new (FALSE, FALSE, sizeof (SondeFrameField));
  g_array_set_clear_func (section->fields, field_clear);
  section->problems = g_ptr_array_new_with_free_func (g_free);
  return section;
}

/* Takes @value. */
static void
add_field (SondeFrameSection *section,
           const char        *name,
           char              *value)
{
  SondeFrameField field = { g_strdup (name), value };

  g_array_append_val (section->fields, field);
}

static char *
bytes_summary (gsize offset,
               gsize length)
{
  if (length == 0)
    return g_strdup (_("No bytes"));
  /* Translators: where a frame or line sits in an entry's bytes: its first
   * and last offset, in hex, then how many bytes */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Bytes 0x%llx to 0x%llx, %llu byte",
                                       "Bytes 0x%llx to 0x%llx, %llu bytes",
                                       (gulong)MIN (length, G_MAXULONG)),
                          (unsigned long long)offset,
                          (unsigned long long)(offset + length - 1),
                          (unsigned long long)length);
}

/* Text from the wire, for a row: valid UTF-8, one line, control characters
 * shown as their pictures (an escape sequence is not for a label to obey),
 * and cut at MAX_VALUE_BYTES. */
static char *
shown_text (const guint8 *bytes,
            gsize         len)
{
  const char *p = (const char *)bytes;
  const char *end = p + MIN (len, MAX_VALUE_BYTES);
  GString *out = g_string_sized_new ((gsize)(end - p) + 8);

  while (p < end)
    {
      gunichar c = *p == '\0' ? 0 : g_utf8_get_char_validated (p, end - p);
      const char *next;

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          /* Not UTF-8, or cut at the limit: one replacement character per byte. */
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);
      if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7F)
        g_string_append_unichar (out, 0x2421);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  if (len > MAX_VALUE_BYTES)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* The entry's recorded violations: the bits whose sentence matches, and the
 * sentences that match none (a recording made in another language). */
static guint32
stored_violations (const SondeEntryView *view,
                   GPtrArray            *unmatched)
{
  const char *array;
  gsize array_len;
  SondeJsonMember element;
  gsize pos = 0;
  guint32 bits = 0;

  if (!sonde_entry_fields_find_member (view->fields, view->fields_len, "violations",
                                       &array, &array_len))
    return 0;

  while (sonde_json_array_next (array, array_len, &pos, &element))
    {
      g_autoptr(GString) text = NULL;
      guint32 found = 0;

      if (element.type != SONDE_JSON_STRING)
        continue;
      text = g_string_new (NULL);
      sonde_json_decode_string (element.value, element.value_len, text);
      for (guint bit = 0; bit < 32 && found == 0; bit++)
        {
          const char *known = sonde_ws_violation_to_string ((SondeWsViolation)(1u << bit));

          if (known != NULL && strcmp (known, text->str) == 0)
            found = 1u << bit;
        }
      if (found != 0)
        bits |= found;
      else
        g_ptr_array_add (unmatched, g_string_free (g_steal_pointer (&text), FALSE));
    }
  return bits;
}

static void
add_violations (GPtrArray          *problems,
                guint32             bits,
                const SondeWsFrame *frame)
{
  for (guint bit = 0; bit < 32; bit++)
    {
      if (bits & (1u << bit))
        g_ptr_array_add (problems, sonde_ws_violation_explain ((SondeWsViolation)(1u << bit),
                                                               frame));
    }
}

/* ---- WebSocket frames ---- */

typedef struct
{
  SondeFrameText       *text;
  const SondeEntryView *view;
  guint                 max;
  guint                 n;          /* frames walked */
  gsize                 consumed;
  guint32               stored;     /* the entry's recorded violations */
  guint32               explained;  /* those told on a frame */
  gboolean              compressed;
} FrameWalk;

static char *
length_text (const SondeWsFrame *frame)
{
  const char *form;

  switch (frame->length_bits)
    {
    case 16:
      form = _("in the 16-bit extended form");
      break;
    case 64:
      form = _("in the 64-bit extended form");
      break;
    default:
      form = _("in the 7-bit form");
      break;
    }
  /* Translators: the payload length in bytes, then how it was written, such
   * as “in the 16-bit extended form” */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu byte, %s", "%llu bytes, %s",
                                       (gulong)MIN (frame->length, G_MAXULONG)),
                          (unsigned long long)frame->length, form);
}

/* The violations that depend on the frames around a frame are recorded for
 * the message only; told again on the frame they must have come from. */
static guint32
context_violations (FrameWalk          *walk,
                    const SondeWsFrame *frame)
{
  guint32 bits = 0;
  gboolean data = frame->opcode == SONDE_WS_OPCODE_TEXT || frame->opcode == SONDE_WS_OPCODE_BINARY;

  if ((walk->stored & SONDE_WS_VIOLATION_ORPHAN_CONTINUATION) && walk->n == 0 &&
      frame->opcode == SONDE_WS_OPCODE_CONTINUATION)
    bits |= SONDE_WS_VIOLATION_ORPHAN_CONTINUATION;
  if ((walk->stored & SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE) && walk->n > 0 && data)
    bits |= SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE;
  if ((walk->stored & SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION) && data && (frame->rsv & 4) &&
      !(walk->compressed && walk->n == 0))
    bits |= SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION;
  return bits;
}

static gboolean
describe_frame (const SondeWsFrame *frame,
                gpointer            user_data)
{
  FrameWalk *walk = user_data;
  SondeFrameSection *section;
  const char *name = sonde_ws_opcode_get_name (frame->opcode);
  guint32 bits = frame->violations | context_violations (walk, frame);

  walk->explained |= bits;
  walk->consumed += frame->raw_len;
  if (walk->n++ >= walk->max)
    return TRUE;

  section = section_new ((gsize)(frame->raw - walk->view->raw), frame->raw_len);
  section->summary = bytes_summary (section->offset, section->length);

  add_field (section, "FIN", g_strdup (frame->fin ? _("Set: the last frame of its message")
                                                  : _("Not set: more frames follow")));
  for (guint bit = 0; bit < 3; bit++)
    {
      g_autofree char *rsv = g_strdup_printf ("RSV%u", bit + 1);
      gboolean set = (frame->rsv & (4 >> bit)) != 0;
      const char *value = !set ? C_("frame value", "Not set")
                        : bit == 0 && walk->compressed && walk->n == 1
                          ? _("Set: the message is compressed (permessage-deflate)")
                          : C_("frame value", "Set");

      add_field (section, rsv, g_strdup (value));
    }
  if (name != NULL)
    add_field (section, C_("frame field", "Opcode"),
               g_strdup_printf ("0x%X, %s", frame->opcode, name));
  else
    add_field (section, C_("frame field", "Opcode"),
               g_strdup_printf (_("0x%X, reserved"), frame->opcode));
  add_field (section, C_("frame field", "Masked"),
             g_strdup (frame->masked ? C_("frame value", "Yes") : C_("frame value", "No")));
  if (frame->masked)
    add_field (section, C_("frame field", "Mask key"),
               g_strdup_printf ("%02x %02x %02x %02x",
                                frame->mask[0], frame->mask[1], frame->mask[2], frame->mask[3]));
  add_field (section, C_("frame field", "Payload length"), length_text (frame));

  if (frame->opcode == SONDE_WS_OPCODE_CLOSE)
    {
      if (frame->has_close_code)
        {
          add_field (section, C_("frame field", "Close code"),
                     g_strdup_printf ("%u, %s", frame->close_code,
                                      sonde_ws_close_code_describe (frame->close_code)));
          add_field (section, C_("frame field", "Close reason"),
                     frame->close_reason_len > 0
                       ? shown_text ((const guint8 *)frame->close_reason, frame->close_reason_len)
                       : g_strdup (C_("frame value", "None")));
        }
      else
        add_field (section, C_("frame field", "Close code"),
                   g_strdup (_("None: the frame has no body")));
    }

  add_violations (section->problems, bits, frame);
  g_ptr_array_add (walk->text->sections, section);
  return TRUE;
}

static void
describe_frames (SondeFrameText       *text,
                 const SondeEntryView *view,
                 guint                 max,
                 GPtrArray            *unmatched)
{
  FrameWalk walk = { text, view, max, 0, 0, 0, 0, FALSE };
  guint32 rest;

  walk.stored = stored_violations (view, unmatched);
  walk.compressed = sonde_entry_view_is_compressed (view);
  sonde_ws_frames_foreach (view->raw, view->raw_len,
                           view->direction == SONDE_DIRECTION_OUT ? SONDE_WS_FROM_CLIENT
                                                                  : SONDE_WS_FROM_SERVER,
                           describe_frame, &walk);

  for (guint i = 0; i < text->sections->len; i++)
    {
      SondeFrameSection *section = g_ptr_array_index (text->sections, i);

      /* Translators: a frame's number, from 1, then how many the entry came in */
      section->title = g_strdup_printf (_("Frame %u of %u"), i + 1, walk.n);
    }
  text->n_omitted = walk.n > max ? walk.n - max : 0;

  if (walk.consumed < view->raw_len)
    {
      gsize rest_len = view->raw_len - walk.consumed;

      g_ptr_array_add (text->problems,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "The bytes end inside a frame: %llu byte "
                                                     "after the last whole frame.",
                                                     "The bytes end inside a frame: %llu bytes "
                                                     "after the last whole frame.",
                                                     (gulong)MIN (rest_len, G_MAXULONG)),
                                        (unsigned long long)rest_len));
    }

  /* What no frame explains concerns the message as a whole. */
  rest = walk.stored & ~walk.explained;
  if (walk.n > max)
    rest &= ~(SONDE_WS_VIOLATION_ORPHAN_CONTINUATION | SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE |
              SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION);
  add_violations (text->problems, rest, NULL);
}

/* ---- SSE lines ---- */

typedef struct
{
  SondeFrameSection *section;
  SondeWire         *wire;
  const guint8      *data;
  guint              max;
  guint              n_rows;
  guint              omitted;
  /* The line being gathered */
  gboolean           open;
  SondeWireRegion    name;
  SondeWireRegion    value;
  SondeWireRegion    comment;
  gboolean           has_name;
  gboolean           has_value;
  gboolean           has_comment;
} LineWalk;

static char *
region_text (LineWalk              *walk,
             const SondeWireRegion *region,
             gboolean               present)
{
  if (!present)
    return g_strdup ("");
  return shown_text (walk->data + region->offset, region->length);
}

static void
flush_line (LineWalk *walk)
{
  guint number = walk->name.unit + 1;

  if (!walk->open)
    return;
  walk->open = FALSE;
  if (!walk->has_name && !walk->has_comment)
    return;  /* a blank line: the end of the block */

  if (walk->n_rows >= walk->max)
    {
      walk->omitted++;
      return;
    }
  walk->n_rows++;

  if (walk->has_comment)
    {
      add_field (walk->section, C_("frame field", "Comment"),
                 region_text (walk, &walk->comment, TRUE));
      return;
    }

  {
    g_autofree char *name = region_text (walk, &walk->name, TRUE);
    char *value = region_text (walk, &walk->value, walk->has_value);

    add_field (walk->section, name, value);
    if ((walk->name.flags & SONDE_WIRE_REGION_IGNORED) == 0)
      return;

    switch ((SondeWireField)walk->name.field)
      {
      case SONDE_WIRE_FIELD_ID:
        g_ptr_array_add (walk->section->problems,
                         /* Translators: %u is a line's number, from 1 */
                         g_strdup_printf (_("Line %u: the id contains a NUL character, so the "
                                            "field is ignored."), number));
        break;
      case SONDE_WIRE_FIELD_RETRY:
        g_ptr_array_add (walk->section->problems,
                         /* Translators: %u is a line's number, %s the value as sent */
                         g_strdup_printf (_("Line %u: the retry value “%s” is not made of ASCII "
                                            "digits only, so it is ignored."), number, value));
        break;
      case SONDE_WIRE_FIELD_UNKNOWN:
        g_ptr_array_add (walk->section->problems,
                         /* Translators: %u is a line's number, %s a field name as sent */
                         g_strdup_printf (_("Line %u: “%s” is not a field of the event stream "
                                            "format, so it is ignored."), number, name));
        break;
      case SONDE_WIRE_FIELD_NONE:
      case SONDE_WIRE_FIELD_EVENT:
      case SONDE_WIRE_FIELD_DATA:
      default:
        break;
      }
  }
}

static void
describe_lines (SondeFrameText       *text,
                const SondeEntryView *view,
                guint                 max)
{
  g_autoptr(SondeWire) wire = sonde_wire_new_for_entry (view);
  g_autoptr(GArray) regions = g_array_new (FALSE, FALSE, sizeof (SondeWireRegion));
  LineWalk walk = { 0 };
  gsize pos = 0;
  guint n_lines = sonde_wire_get_n_units (wire);

  walk.section = section_new (0, view->raw_len);
  walk.wire = wire;
  walk.data = view->raw;
  walk.max = max;
  walk.section->title = g_strdup (view->kind == SONDE_ENTRY_COMMENT ? _("Comment line")
                                                                    : _("Lines of the event"));
  /* Translators: how many lines an SSE block has, then where its bytes are */
  walk.section->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines",
                                                        n_lines), n_lines);

  /* A piece at a time, so a huge block is never held as regions all at once;
   * lines past the limit are walked too, to be counted. */
  while (pos < view->raw_len)
    {
      g_array_set_size (regions, 0);
      sonde_wire_get_regions (wire, pos, 64 * 1024, regions);
      for (guint i = 0; i < regions->len; i++)
        {
          const SondeWireRegion *r = &g_array_index (regions, SondeWireRegion, i);

          /* A region that started in the piece before was taken then. */
          if (r->offset < pos)
            continue;
          if (!walk.open || r->unit != walk.name.unit)
            {
              flush_line (&walk);
              walk.open = TRUE;
              walk.has_name = walk.has_value = walk.has_comment = FALSE;
              walk.name = *r;
            }
          switch ((SondeWireKind)r->kind)
            {
            case SONDE_WIRE_FIELD_NAME:
              walk.name = *r;
              walk.has_name = TRUE;
              break;
            case SONDE_WIRE_VALUE:
              walk.value = *r;
              walk.has_value = TRUE;
              break;
            case SONDE_WIRE_COMMENT:
              walk.comment = *r;
              walk.has_comment = TRUE;
              break;
            case SONDE_WIRE_BYTES:
            case SONDE_WIRE_DISCARDED:
            case SONDE_WIRE_FRAME_HEADER:
            case SONDE_WIRE_EXTENDED_LENGTH:
            case SONDE_WIRE_MASK_KEY:
            case SONDE_WIRE_PAYLOAD:
            case SONDE_WIRE_PARTIAL_FRAME:
            case SONDE_WIRE_BOM:
            case SONDE_WIRE_SEPARATOR:
            case SONDE_WIRE_LINE_END:
            case SONDE_WIRE_N_KINDS:
            default:
              break;
            }
          pos = r->offset + r->length;
        }
      if (regions->len == 0)
        break;
    }
  flush_line (&walk);

  text->n_omitted = walk.omitted;
  g_ptr_array_add (text->sections, walk.section);
}

/**
 * sonde_frame_text_new_for_entry:
 * @max_items: how many frames (WebSocket) or lines (SSE) to describe at most;
 *   the others are counted in n_omitted
 *
 * Describes the frames a WebSocket entry came in, field by field, with the
 * rules each broke; the lines of an SSE block, with those a parser ignores;
 * and, for any entry, the recorded violations no frame explains.
 *
 * Returns: (transfer full): the description
 */
SondeFrameText *
sonde_frame_text_new_for_entry (const SondeEntryView *view,
                                guint                 max_items)
{
  SondeFrameText *text;
  g_autoptr(GPtrArray) unmatched = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (view != NULL, NULL);

  text = g_new0 (SondeFrameText, 1);
  text->sections = g_ptr_array_new_with_free_func (section_free);
  text->problems = g_ptr_array_new_with_free_func (g_free);

  switch (view->kind)
    {
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
      describe_frames (text, view, max_items, unmatched);
      break;

    case SONDE_ENTRY_ERROR:
      if (view->direction != SONDE_DIRECTION_LOCAL && view->raw_len > 0)
        describe_frames (text, view, max_items, unmatched);
      else
        add_violations (text->problems, stored_violations (view, unmatched), NULL);
      break;

    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
      if (view->raw_len > 0)
        describe_lines (text, view, max_items);
      add_violations (text->problems, stored_violations (view, unmatched), NULL);
      break;

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      add_violations (text->problems, stored_violations (view, unmatched), NULL);
      break;
    }

  /* Sentences from a recording made in another language are kept as they are. */
  for (guint i = 0; i < unmatched->len; i++)
    g_ptr_array_add (text->problems, g_strdup (g_ptr_array_index (unmatched, i)));

  return text;
}

void
sonde_frame_text_free (SondeFrameText *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->sections);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

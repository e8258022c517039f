/* sonde-recording-reader-entry.c: one entry line of a recording, taken apart into a view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-entry-fields.h"
#include "sonde-error.h"
#include "sonde-recording-reader-private.h"
#include "sonde-sse-parser.h"
#include "sonde-ws-frame.h"

/* How many distinct unknown kinds the warning names. */
#define MAX_UNKNOWN_NAMES 3

/* The members the reader takes apart; everything else goes to the fields. */
typedef enum
{
  NAME_OTHER,
  NAME_SEQ,
  NAME_T,
  NAME_DIR,
  NAME_KIND,
  NAME_RAW,
  NAME_FRAMES,
  NAME_EVENT,
  NAME_DATA,
  NAME_ID,
  NAME_TEXT,
  NAME_COMPRESSED,
  NAME_CODE,
  NAME_REASON,
  N_NAMES
} MemberName;

/* Columns count characters, as people do, not bytes. */
static guint
column_of (const char *line,
           gsize       offset)
{
  guint column = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (((guint8)line[i] & 0xC0) != 0x80)
        column++;
    }
  return column;
}

void
sonde_recording_reader_set_not_json_error (SondeRecordingReader  *self,
                                           const char            *line,
                                           const SondeJsonError  *json_error,
                                           GError               **error)
{
  if (json_error->expected == SONDE_JSON_EXPECTED_OBJECT)
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                 _("Line %llu is JSON but not an object: expected one object per line, "
                   "starting with “{”"),
                 (unsigned long long)self->line);
  else
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                 /* Translators: the second %s is what was expected, such as “a value” */
                 _("Line %llu is not JSON: expected %s at column %u"),
                 (unsigned long long)self->line,
                 sonde_json_expected_describe (json_error->expected),
                 column_of (line, json_error->offset));
}

/* A string member's text, escapes decoded, in @scratch when it had any. */
const char *
sonde_recording_reader_string_value (const SondeJsonMember *member,
                                     GString               *scratch,
                                     gsize                 *len)
{
  if (!member->value_escaped)
    {
      *len = member->value_len;
      return member->value;
    }

  g_string_truncate (scratch, 0);
  sonde_json_decode_string (member->value, member->value_len, scratch);
  *len = scratch->len;
  return scratch->str;
}

gboolean
sonde_recording_reader_string_is (const SondeJsonMember *member,
                                  GString               *scratch,
                                  const char            *expected)
{
  gsize len;
  const char *text;

  if (member->type != SONDE_JSON_STRING)
    return FALSE;
  text = sonde_recording_reader_string_value (member, scratch, &len);
  return len == strlen (expected) && memcmp (text, expected, len) == 0;
}

const SondeJsonMember *
sonde_recording_reader_find_member (GArray     *members,
                                    const char *name)
{
  const SondeJsonMember *found = NULL;

  /* The last of equal names wins, as with most JSON readers. */
  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);

      if (sonde_json_member_name_is (member, name))
        found = member;
    }
  return found;
}

static MemberName
classify (const SondeJsonMember *member)
{
  g_autoptr(GString) decoded = NULL;
  const char *n = member->name;
  gsize len = member->name_len;

  if (member->name_escaped)
    {
      decoded = g_string_new (NULL);
      sonde_json_decode_string (member->name, member->name_len, decoded);
      n = decoded->str;
      len = decoded->len;
    }

#define IS(word) (len == sizeof word - 1 && memcmp (n, word, sizeof word - 1) == 0)
  switch (len)
    {
    case 1:
      return n[0] == 't' ? NAME_T : NAME_OTHER;
    case 2:
      return IS ("id") ? NAME_ID : NAME_OTHER;
    case 3:
      return IS ("seq") ? NAME_SEQ : IS ("dir") ? NAME_DIR : IS ("raw") ? NAME_RAW : NAME_OTHER;
    case 4:
      return IS ("kind") ? NAME_KIND : IS ("data") ? NAME_DATA : IS ("text") ? NAME_TEXT :
             IS ("code") ? NAME_CODE : NAME_OTHER;
    case 5:
      return IS ("event") ? NAME_EVENT : NAME_OTHER;
    case 6:
      return IS ("frames") ? NAME_FRAMES : IS ("reason") ? NAME_REASON : NAME_OTHER;
    case 10:
      return IS ("compressed") ? NAME_COMPRESSED : NAME_OTHER;
    default:
      return NAME_OTHER;
    }
#undef IS
}

static gboolean
is_frame_kind (SondeEntryKind kind)
{
  return kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY || kind == SONDE_ENTRY_PING ||
         kind == SONDE_ENTRY_PONG || kind == SONDE_ENTRY_CLOSE;
}

static gboolean
entry_error (SondeRecordingReader  *self,
             GError               **error,
             const char            *name,
             const char            *expected)
{
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
               /* Translators: “%s” is a member name such as “seq”, then what it should be */
               _("Line %llu has an invalid “%s”: expected %s"),
               (unsigned long long)self->line, name, expected);
  return FALSE;
}

static void
note_unknown_kind (SondeRecordingReader  *self,
                   const SondeJsonMember *kind)
{
  gsize len;
  const char *text = sonde_recording_reader_string_value (kind, self->scratch, &len);
  g_autofree char *valid = g_utf8_make_valid (text, (gssize)MIN (len, 40));

  /* The name ends up on a terminal: no control character gets there. */
  for (char *p = valid; *p != '\0'; p++)
    {
      if ((guint8)*p < 0x20 || *p == 0x7f)
        *p = '?';
    }

  self->n_unknown++;
  self->warning_dirty = TRUE;
  if (self->unknown_names->len >= MAX_UNKNOWN_NAMES)
    return;
  for (guint i = 0; i < self->unknown_names->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->unknown_names, i), valid))
        return;
    }
  g_ptr_array_add (self->unknown_names, g_steal_pointer (&valid));
}

/* Appends the text of a line's text up to its first line break. */
static void
append_first_line (GString    *out,
                   const char *text,
                   gsize       len)
{
  gsize n = 0;

  while (n < len && text[n] != '\n' && text[n] != '\r')
    n++;
  g_string_append_len (out, text, n);
}

/* An SSE event or comment written without its raw bytes (by hand, or by
 * another program) gets the bytes a server would have sent. */
static void
make_sse_raw (SondeRecordingReader  *self,
              SondeEntryKind         kind,
              const SondeJsonMember *event,
              const SondeJsonMember *data,
              const SondeJsonMember *text,
              const char            *id,
              gsize                  id_len)
{
  g_autoptr(GString) block = g_string_new (NULL);
  const char *value;
  gsize len;

  if (kind == SONDE_ENTRY_COMMENT)
    {
      g_string_append_c (block, ':');
      if (text != NULL && text->type == SONDE_JSON_STRING)
        {
          value = sonde_recording_reader_string_value (text, self->scratch, &len);
          append_first_line (block, value, len);
        }
      g_string_append_c (block, '\n');
      g_byte_array_append (self->raw, (const guint8 *)block->str, block->len);
      return;
    }

  if (id_len > 0 && memchr (id, '\n', id_len) == NULL && memchr (id, '\r', id_len) == NULL &&
      memchr (id, '\0', id_len) == NULL)
    {
      g_string_append (block, "id: ");
      g_string_append_len (block, id, id_len);
      g_string_append_c (block, '\n');
    }
  if (event != NULL && event->type == SONDE_JSON_STRING &&
      !sonde_recording_reader_string_is (event, self->scratch, "message"))
    {
      gsize before = block->len;

      g_string_append (block, "event: ");
      value = sonde_recording_reader_string_value (event, self->scratch, &len);
      append_first_line (block, value, len);
      if (block->len == before + strlen ("event: "))
        g_string_truncate (block, before);
      else
        g_string_append_c (block, '\n');
    }

  value = "";
  len = 0;
  if (data != NULL && data->type == SONDE_JSON_STRING)
    value = sonde_recording_reader_string_value (data, self->scratch, &len);
  /* One data line per line of the data, whatever ends them. */
  for (;;)
    {
      gsize n = 0;

      while (n < len && value[n] != '\n' && value[n] != '\r')
        n++;
      g_string_append (block, "data: ");
      g_string_append_len (block, value, n);
      g_string_append_c (block, '\n');
      if (n == len)
        break;
      if (value[n] == '\r' && n + 1 < len && value[n + 1] == '\n')
        n++;
      value += n + 1;
      len -= n + 1;
    }
  g_string_append_c (block, '\n');

  g_byte_array_append (self->raw, (const guint8 *)block->str, block->len);
}

/* A WebSocket entry written without frames gets one final frame that
 * carries its payload: unmasked from the server, masked with the key
 * 00000000 from the client, as RFC 6455 wants each side to send. */
static gboolean
make_frame (SondeRecordingReader  *self,
            GError               **error,
            SondeEntryKind         kind,
            SondeDirection         direction,
            const SondeJsonMember *data,
            const SondeJsonMember *code,
            const SondeJsonMember *reason)
{
  static const guint8 zero_mask[4] = { 0, 0, 0, 0 };
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  const char *text;
  gsize len;
  guint8 opcode;

  switch (kind)
    {
    case SONDE_ENTRY_TEXT:
      opcode = SONDE_WS_OPCODE_TEXT;
      if (data != NULL && data->type == SONDE_JSON_STRING)
        {
          text = sonde_recording_reader_string_value (data, self->scratch, &len);
          g_byte_array_append (payload, (const guint8 *)text, (guint)len);
        }
      break;

    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      opcode = kind == SONDE_ENTRY_BINARY ? SONDE_WS_OPCODE_BINARY :
               kind == SONDE_ENTRY_PING ? SONDE_WS_OPCODE_PING : SONDE_WS_OPCODE_PONG;
      if (data != NULL && data->type == SONDE_JSON_STRING)
        {
          text = sonde_recording_reader_string_value (data, self->scratch, &len);
          if (!sonde_base64_decode_append (text, len, payload))
            return entry_error (self, error, "data", _("base64"));
        }
      break;

    case SONDE_ENTRY_CLOSE:
      opcode = SONDE_WS_OPCODE_CLOSE;
      {
        guint64 value;

        if (code != NULL && code->type == SONDE_JSON_NUMBER &&
            sonde_json_parse_uint64 (code->value, code->value_len, &value) && value <= G_MAXUINT16)
          {
            guint8 bytes[2] = { (guint8)(value >> 8), (guint8)value };

            g_byte_array_append (payload, bytes, 2);
            if (reason != NULL && reason->type == SONDE_JSON_STRING)
              {
                text = sonde_recording_reader_string_value (reason, self->scratch, &len);
                g_byte_array_append (payload, (const guint8 *)text, (guint)len);
              }
          }
      }
      break;

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  sonde_ws_frame_append_full (self->raw, SONDE_WS_FIN | opcode, payload->data, payload->len,
                              direction == SONDE_DIRECTION_OUT ? zero_mask : NULL, 0);
  return TRUE;
}

static gboolean
decode_base64_member (SondeRecordingReader  *self,
                      const SondeJsonMember *member)
{
  gsize len;
  const char *text;

  if (member->type != SONDE_JSON_STRING)
    return FALSE;
  text = sonde_recording_reader_string_value (member, self->scratch, &len);
  return sonde_base64_decode_append (text, len, self->raw);
}

static gboolean
decode_frames (SondeRecordingReader  *self,
               const SondeJsonMember *frames,
               GError               **error)
{
  SondeJsonMember element;
  gsize pos = 0;

  if (frames->type != SONDE_JSON_ARRAY)
    goto bad;

  while (sonde_json_array_next (frames->value, frames->value_len, &pos, &element))
    {
      const SondeJsonMember *raw;

      if (element.type != SONDE_JSON_OBJECT)
        goto bad;
      g_array_set_size (self->frame_members, 0);
      if (!sonde_json_scan_object (element.value, element.value_len, self->frame_members, NULL))
        goto bad;
      raw = sonde_recording_reader_find_member (self->frame_members, "raw");
      if (raw == NULL || !decode_base64_member (self, raw))
        goto bad;
    }
  return TRUE;

bad:
  return entry_error (self, error, "frames",
                      _("a list of frames, each with its bytes in base64 under “raw”"));
}

/* Whether an SSE parser fed @raw dispatches an event, as every event's raw
 * block does: a data field, then a blank line. (The log derives an event's
 * data and type from its block; one that dispatches nothing has neither.)
 * The same answer as sonde_sse_block_get_data() giving a type, at a
 * fraction of the cost. */
static gboolean
block_dispatches (const guint8 *raw,
                  gsize         len)
{
  const guint8 *p = raw;
  const guint8 *end = raw + len;
  gboolean data = FALSE;

  while (p < end)
    {
      const guint8 *q = p;
      gsize line_len;

      while (q < end && *q != '\n' && *q != '\r')
        q++;
      if (q == end)
        break;
      line_len = (gsize)(q - p);

      if (line_len == 0 && data)
        return TRUE;
      if (line_len == 0)
        data = FALSE;
      else if (line_len >= 4 && memcmp (p, "data", 4) == 0 && (line_len == 4 || p[4] == ':'))
        data = TRUE;

      p = q + 1;
      if (*q == '\r' && p < end && *p == '\n')
        p++;
    }

  return FALSE;
}

/* Reads one entry line into @view. *skip is set for a kind this Sonde does
 * not know. */
gboolean
sonde_recording_reader_parse_entry (SondeRecordingReader  *self,
                                    const char            *line,
                                    gsize                  len,
                                    SondeEntryView        *view,
                                    gboolean              *skip,
                                    GError               **error)
{
  const SondeJsonMember *at[N_NAMES] = { NULL, };
  SondeJsonMember *members;
  SondeJsonError json_error;
  SondeEntryKind kind;
  gboolean keep[N_NAMES] = { FALSE, };
  gboolean compressed;
  guint n;

  *skip = FALSE;
  g_array_set_size (self->members, 0);
  if (!sonde_json_scan_object (line, len, self->members, &json_error))
    {
      sonde_recording_reader_set_not_json_error (self, line, &json_error, error);
      return FALSE;
    }

  members = (SondeJsonMember *)(gpointer)self->members->data;
  n = self->members->len;
  g_byte_array_set_size (self->names, n);
  for (guint i = 0; i < n; i++)
    {
      MemberName name = classify (&members[i]);

      self->names->data[i] = (guint8)name;
      at[name] = &members[i];
    }

  {
    static const MemberName required[] = { NAME_SEQ, NAME_T, NAME_DIR, NAME_KIND };
    static const char * const required_names[] = { "seq", "t", "dir", "kind" };

    for (guint i = 0; i < G_N_ELEMENTS (required); i++)
      {
        if (at[required[i]] == NULL)
          {
            g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING,
                         /* Translators: “%s” is a member name such as “seq” */
                         _("Line %llu has no “%s”: expected every entry to have seq, t, dir "
                           "and kind"),
                         (unsigned long long)self->line, required_names[i]);
            return FALSE;
          }
      }
  }

  if (at[NAME_SEQ]->type != SONDE_JSON_NUMBER ||
      !sonde_json_parse_uint64 (at[NAME_SEQ]->value, at[NAME_SEQ]->value_len, &view->seq))
    return entry_error (self, error, "seq", _("a whole number from 0 up"));

  if (at[NAME_T]->type != SONDE_JSON_NUMBER ||
      !sonde_json_parse_seconds_us (at[NAME_T]->value, at[NAME_T]->value_len, &view->time_us))
    return entry_error (self, error, "t", _("seconds since the start, such as 12.345678"));

  if (sonde_recording_reader_string_is (at[NAME_DIR], self->scratch, "in"))
    view->direction = SONDE_DIRECTION_IN;
  else if (sonde_recording_reader_string_is (at[NAME_DIR], self->scratch, "out"))
    view->direction = SONDE_DIRECTION_OUT;
  else if (sonde_recording_reader_string_is (at[NAME_DIR], self->scratch, "local"))
    view->direction = SONDE_DIRECTION_LOCAL;
  else
    return entry_error (self, error, "dir", _("\"in\", \"out\" or \"local\""));

  if (at[NAME_KIND]->type != SONDE_JSON_STRING)
    return entry_error (self, error, "kind", _("a string such as \"sse\""));
  {
    gsize kind_len;
    const char *kind_text =
      sonde_recording_reader_string_value (at[NAME_KIND], self->scratch, &kind_len);
    char name[16];

    if (kind_len >= sizeof name || memchr (kind_text, '\0', kind_len) != NULL)
      kind = SONDE_ENTRY_N_KINDS;
    else
      {
        memcpy (name, kind_text, kind_len);
        name[kind_len] = '\0';
        if (!sonde_entry_kind_from_string (name, &kind))
          kind = SONDE_ENTRY_N_KINDS;
      }
  }
  if (kind == SONDE_ENTRY_N_KINDS)
    {
      note_unknown_kind (self, at[NAME_KIND]);
      *skip = TRUE;
      return TRUE;
    }
  view->kind = kind;

  compressed = FALSE;

  /* What stays in the fields: everything the log does not derive. */
  for (guint i = 0; i < N_NAMES; i++)
    keep[i] = TRUE;
  keep[NAME_SEQ] = keep[NAME_T] = keep[NAME_DIR] = keep[NAME_KIND] = keep[NAME_RAW] = FALSE;
  switch (kind)
    {
    case SONDE_ENTRY_SSE:
      keep[NAME_EVENT] = keep[NAME_DATA] = keep[NAME_ID] = FALSE;
      break;
    case SONDE_ENTRY_COMMENT:
      keep[NAME_TEXT] = FALSE;
      break;
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      keep[NAME_DATA] = FALSE;
      keep[NAME_FRAMES] = FALSE;
      break;
    case SONDE_ENTRY_CLOSE:
      keep[NAME_FRAMES] = FALSE;
      break;
    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      break;
    }

  g_string_truncate (self->fields, 0);
  for (guint i = 0; i < n; i++)
    {
      if (!keep[self->names->data[i]])
        continue;
      if (self->fields->len > 0)
        g_string_append_c (self->fields, ',');
      sonde_json_append_compact (self->fields, &members[i]);
    }

  /* A compressed message keeps its data in the fields. Whether it is one is
   * decided as the log decides it (sonde_entry_view_is_compressed(): a
   * top-level "compressed" that is true), on the fields without the data,
   * so that the two never disagree about where the data is. */
  if (is_frame_kind (kind) && kind != SONDE_ENTRY_CLOSE &&
      sonde_entry_fields_is_true (self->fields->str, self->fields->len, "compressed"))
    compressed = TRUE;
  if (compressed && at[NAME_DATA] != NULL)
    {
      keep[NAME_DATA] = TRUE;
      g_string_truncate (self->fields, 0);
      for (guint i = 0; i < n; i++)
        {
          if (!keep[self->names->data[i]])
            continue;
          if (self->fields->len > 0)
            g_string_append_c (self->fields, ',');
          sonde_json_append_compact (self->fields, &members[i]);
        }
    }

  /* The id: it points into the line unless it had escapes. */
  view->id = "";
  view->id_len = 0;
  if (kind == SONDE_ENTRY_SSE && at[NAME_ID] != NULL && at[NAME_ID]->type == SONDE_JSON_STRING)
    {
      if (!at[NAME_ID]->value_escaped)
        {
          view->id = at[NAME_ID]->value;
          view->id_len = at[NAME_ID]->value_len;
        }
      else
        {
          g_string_truncate (self->id, 0);
          sonde_json_decode_string (at[NAME_ID]->value, at[NAME_ID]->value_len, self->id);
          view->id = self->id->str;
          view->id_len = self->id->len;
        }
    }

  /* The bytes on the wire. */
  g_byte_array_set_size (self->raw, 0);
  if (is_frame_kind (kind) && at[NAME_FRAMES] != NULL)
    {
      if (!decode_frames (self, at[NAME_FRAMES], error))
        return FALSE;
    }
  else if (at[NAME_RAW] != NULL)
    {
      if (!decode_base64_member (self, at[NAME_RAW]))
        return entry_error (self, error, "raw", _("base64"));
    }
  else if (kind == SONDE_ENTRY_SSE || kind == SONDE_ENTRY_COMMENT)
    make_sse_raw (self, kind, at[NAME_EVENT], at[NAME_DATA], at[NAME_TEXT], view->id, view->id_len);
  else if (is_frame_kind (kind) && !compressed)
    {
      if (!make_frame (self, error, kind, view->direction, at[NAME_DATA], at[NAME_CODE],
                       at[NAME_REASON]))
        return FALSE;
    }

  if (kind == SONDE_ENTRY_SSE && !block_dispatches (self->raw->data, self->raw->len))
    return entry_error (self, error, "raw", _("the bytes of an SSE event, up to its blank line"));
  if (kind == SONDE_ENTRY_COMMENT)
    {
      /* Comments are few: the parser itself can say. */
      char *comment = sonde_sse_comment_get_text (self->raw->data, self->raw->len, NULL);

      if (comment == NULL)
        return entry_error (self, error, "raw", _("an SSE comment line, starting with “:”"));
      g_free (comment);
    }

  view->fields = self->fields->str;
  view->fields_len = self->fields->len;
  view->raw = self->raw->data;
  view->raw_len = self->raw->len;

  return TRUE;
}

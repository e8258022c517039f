/* fuzz-recording-reader.c: libFuzzer target for the recording reader and its JSON scanner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, then the text.
 * Settings: bits 0-1 pick what the text is:
 *   0, 1: a recording (with bit 2, a valid header goes in front, so that the
 *         fuzzer spends its time on entries); bits 3-7 are how many bytes
 *         each read gives (1 to 32; 0 reads whole);
 *   2:    the raw bytes of an SSE event, put into an entry in base64;
 *   3:    the text of a `raw` member, as it stands between the quotes.
 *
 * Aborts when the reader gives different entries, errors or warnings for the
 * same bytes read whole and read a few bytes at a time; when an entry's
 * fields are not JSON members that scan and compact to themselves; when an
 * entry written again with the writer and read back is not the same entry;
 * when the reader accepts an SSE event whose bytes dispatch nothing (or
 * refuses one that dispatches); when it decodes base64 otherwise than
 * GLib does; and when a row's texts of an entry it gave are not one line of
 * UTF-8 that fits its buffer.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "sonde-entry.h"
#include "sonde-entry-text.h"
#include "sonde-error.h"
#include "sonde-json-scanner.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"
#include "sonde-sse-parser.h"
#include "sonde-ws-dissector.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-recording-reader: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

#define HEADER "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"websocket\"," \
               "\"url\":\"ws://127.0.0.1/\",\"started_at\":\"2026-01-01T00:00:00.000Z\"}\n"

/* A stream that gives a few bytes a read, so that lines cross reads. */
#define FUZZ_TYPE_TRICKLE_STREAM (fuzz_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzTrickleStream, fuzz_trickle_stream, FUZZ, TRICKLE_STREAM, GInputStream)

struct _FuzzTrickleStream
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gsize         step;
};

G_DEFINE_FINAL_TYPE (FuzzTrickleStream, fuzz_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
fuzz_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  FuzzTrickleStream *self = FUZZ_TRICKLE_STREAM (stream);
  gsize n = MIN (MIN (count, self->step), self->len - self->pos);

  if (n > 0)
    memcpy (buffer, self->data + self->pos, n);
  self->pos += n;
  return (gssize)n;
}

static void
fuzz_trickle_stream_class_init (FuzzTrickleStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fuzz_trickle_stream_read;
}

static void
fuzz_trickle_stream_init (FuzzTrickleStream *self)
{
}

static GInputStream *
stream_new (const guint8 *data,
            gsize         len,
            gsize         step)
{
  FuzzTrickleStream *self;

  if (step == 0)
    return g_memory_input_stream_new_from_data (data, (gssize)len, NULL);

  self = g_object_new (FUZZ_TYPE_TRICKLE_STREAM, NULL);
  self->data = data;
  self->len = len;
  self->step = step;
  return G_INPUT_STREAM (self);
}

static void
put_bytes (GString    *out,
           const void *bytes,
           gsize       len)
{
  g_string_append_printf (out, "%" G_GSIZE_FORMAT ":", len);
  if (len > 0)
    g_string_append_len (out, bytes, (gssize)len);
}

static gboolean
views_equal (const SondeEntryView *a,
             const SondeEntryView *b,
             gboolean              compare_raw)
{
  return a->seq == b->seq && a->time_us == b->time_us && a->direction == b->direction &&
         a->kind == b->kind && a->id_len == b->id_len && memcmp (a->id, b->id, a->id_len) == 0 &&
         a->fields_len == b->fields_len && memcmp (a->fields, b->fields, a->fields_len) == 0 &&
         (!compare_raw || (a->raw_len == b->raw_len &&
                           (a->raw_len == 0 || memcmp (a->raw, b->raw, a->raw_len) == 0)));
}

static gboolean
is_frame_kind (SondeEntryKind kind)
{
  return kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY || kind == SONDE_ENTRY_PING ||
         kind == SONDE_ENTRY_PONG || kind == SONDE_ENTRY_CLOSE;
}

static gboolean
count_frame (const SondeWsFrame *frame,
             gpointer            user_data)
{
  *(gsize *)user_data += frame->raw_len;
  return TRUE;
}

/* The fields are JSON members, and compacting them again changes nothing. */
static void
check_fields (const SondeEntryView *view)
{
  g_autoptr(GString) object = g_string_new ("{");
  g_autoptr(GString) again = g_string_new (NULL);
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));

  g_string_append_len (object, view->fields, (gssize)view->fields_len);
  g_string_append_c (object, '}');
  CHECK (sonde_json_scan_object (object->str, object->len, members, NULL));
  for (guint i = 0; i < members->len; i++)
    {
      if (i > 0)
        g_string_append_c (again, ',');
      sonde_json_append_compact (again, &g_array_index (members, SondeJsonMember, i));
    }
  CHECK (again->len == view->fields_len && memcmp (again->str, view->fields, again->len) == 0);
}

/* Writes @view with the writer and reads the line back: the same entry. */
/* What the list shows of a row: its texts read the entry in place, from
 * bytes and fields that came from a file. */
static void
check_row_texts (const SondeEntryView *view)
{
  char text[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  gsize (*formats[]) (const SondeEntryView *, char *, gsize) = {
    sonde_entry_text_format_type, sonde_entry_text_format_id, sonde_entry_text_format_size,
    sonde_entry_text_format_preview,
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      gsize size = i < 3 ? SONDE_ENTRY_TEXT_SHORT_SIZE : sizeof text;
      gsize n = formats[i] (view, text, size);

      CHECK (n < size && n == strlen (text));
      CHECK (g_utf8_validate (text, (gssize)n, NULL));
      CHECK (strchr (text, '\n') == NULL);
    }
  CHECK (sonde_entry_view_get_category (view) <= SONDE_ENTRY_CATEGORY_PROBLEM);
}

static void
check_rewrite (const SondeEntryView *view)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEntryView again;
  gboolean compare_raw = TRUE;

  sonde_recording_format_entry (text, view);
  stream = g_memory_input_stream_new_from_data (text->str, (gssize)text->len, NULL);
  reader = sonde_recording_reader_new_for_stream (stream, NULL, &error);
  CHECK (reader != NULL);
  if (!sonde_recording_reader_next (reader, &again, &error))
    FAIL ("a written entry does not read back: %s\n%s", error != NULL ? error->message : "(end)",
          text->str);

  /* The writer writes what the frames walk gives; bytes that are no whole
   * frame cannot be written as one. */
  if (is_frame_kind (view->kind))
    {
      gsize walked = 0;

      sonde_ws_frames_foreach (view->raw, view->raw_len,
                               view->direction == SONDE_DIRECTION_OUT ? SONDE_WS_FROM_CLIENT
                                                                      : SONDE_WS_FROM_SERVER,
                               count_frame, &walked);
      compare_raw = walked == view->raw_len;
    }
  if (!views_equal (view, &again, compare_raw))
    FAIL ("an entry written and read back changed:\n%s", text->str);
  CHECK (!sonde_recording_reader_next (reader, &again, &error));
  CHECK (error == NULL);
}

/* Reads a whole recording; the transcript holds everything it gave. */
static void
read_recording (const guint8 *text,
                gsize         len,
                gsize         step,
                GString      *transcript,
                gboolean      deep)
{
  g_autoptr(GInputStream) stream = stream_new (text, len, step);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEntryView view;

  reader = sonde_recording_reader_new_for_stream (stream, "fuzz", &error);
  if (reader == NULL)
    {
      CHECK (error != NULL);
      g_string_append_printf (transcript, "H%s:%d:%s", g_quark_to_string (error->domain), error->code,
                              error->message);
      return;
    }

  {
    const SondeRecordingHeader *header = sonde_recording_reader_get_header (reader);

    CHECK (header->version <= 1);
    CHECK (header->url != NULL && g_utf8_validate (header->url, -1, NULL));
    CHECK (header->started_at != NULL);
    g_string_append_printf (transcript, "h%u,%d,%s;", header->version, header->transport, header->url);
  }

  while (sonde_recording_reader_next (reader, &view, &error))
    {
      CHECK (view.kind < SONDE_ENTRY_N_KINDS);
      CHECK (view.direction <= SONDE_DIRECTION_LOCAL);
      CHECK (view.kind == SONDE_ENTRY_SSE || view.id_len == 0);
      g_string_append_printf (transcript, "E%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT ",%d,%d,",
                              view.seq, view.time_us, view.direction, view.kind);
      put_bytes (transcript, view.id, view.id_len);
      put_bytes (transcript, view.fields, view.fields_len);
      put_bytes (transcript, view.raw, view.raw_len);
      g_string_append_printf (transcript, "@%" G_GUINT64_FORMAT ";",
                              sonde_recording_reader_get_line (reader));

      if (!deep)
        continue;

      check_fields (&view);

      /* What the log derives from an entry, it can derive from this one. */
      {
        g_autofree char *type = NULL;
        gsize data_len = 0;
        g_autofree char *data = sonde_entry_view_dup_data (&view, &data_len, &type);

        if (view.kind == SONDE_ENTRY_SSE)
          CHECK (type != NULL && data != NULL);
      }
      check_row_texts (&view);

      check_rewrite (&view);
    }

  if (error != NULL)
    {
      CHECK (error->domain == SONDE_ERROR);
      g_string_append_printf (transcript, "X%d:%s@%" G_GUINT64_FORMAT, error->code, error->message,
                              sonde_recording_reader_get_line (reader));
    }
  if (sonde_recording_reader_get_warning (reader) != NULL)
    g_string_append_printf (transcript, "W%s", sonde_recording_reader_get_warning (reader));
}

static void
fuzz_recording (const guint8 *text,
                gsize         len,
                gsize         step)
{
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) cut = g_string_new (NULL);

  read_recording (text, len, 0, whole, TRUE);
  read_recording (text, len, step == 0 ? 1 : step, cut, FALSE);
  if (!g_string_equal (whole, cut))
    FAIL ("the reader gives other results when the bytes come %" G_GSIZE_FORMAT " at a time", step);
}

/* Reads one entry line made around @member_text; returns whether it was
 * accepted, with the entry in @view and the reader kept in @reader. */
static gboolean
read_one (const char             *line,
          SondeRecordingReader  **reader,
          GInputStream          **stream,
          char                  **text,
          SondeEntryView         *view,
          GError                **error)
{
  *text = g_strconcat (HEADER, line, "\n", NULL);
  *stream = g_memory_input_stream_new_from_data (*text, -1, NULL);
  *reader = sonde_recording_reader_new_for_stream (*stream, NULL, error);
  CHECK (*reader != NULL);
  return sonde_recording_reader_next (*reader, view, error);
}

/* The reader's quick test for an SSE block against the SSE parser itself. */
static void
fuzz_sse_block (const guint8 *raw,
                gsize         len)
{
  g_autofree char *encoded = g_base64_encode (raw, len);
  g_autofree char *line = g_strdup_printf ("{\"seq\":0,\"t\":0,\"dir\":\"in\",\"kind\":\"sse\",\"raw\":\"%s\"}",
                                           encoded);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *type = NULL;
  gboolean dispatches;
  SondeEntryView view;
  gboolean accepted = read_one (line, &reader, &stream, &text, &view, &error);

  g_free (sonde_sse_block_get_data (raw, len, NULL, &type));
  dispatches = type != NULL;
  g_free (type);
  if (accepted != dispatches)
    FAIL ("the reader %s an SSE block that the parser %s", accepted ? "accepts" : "refuses",
          dispatches ? "dispatches" : "does not dispatch");
  if (accepted)
    {
      CHECK (view.raw_len == len && memcmp (view.raw, raw, len) == 0);
      check_rewrite (&view);
    }
}

/* The reader's base64 against GLib's, on the text of a raw member. */
static void
fuzz_base64 (const guint8 *input,
             gsize         len)
{
  g_autoptr(GString) member = g_string_new (NULL);
  g_autofree char *line = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SondeEntryView view;

  /* Printable ASCII but the two bytes a JSON string would need escaped. */
  for (gsize i = 0; i < len; i++)
    {
      if (input[i] >= 0x20 && input[i] < 0x7f && input[i] != '"' && input[i] != '\\')
        g_string_append_c (member, (char)input[i]);
    }
  line = g_strdup_printf ("{\"seq\":0,\"t\":0,\"dir\":\"local\",\"kind\":\"closed\",\"raw\":\"%s\"}",
                          member->str);

  if (read_one (line, &reader, &stream, &text, &view, &error))
    {
      gsize expected_len = 0;
      g_autofree guchar *expected = NULL;

      /* GLib wants the padding that the reader lets be left out. */
      while (member->len % 4 != 0)
        g_string_append_c (member, '=');
      expected = g_base64_decode (member->str, &expected_len);

      CHECK (view.raw_len == expected_len);
      CHECK (expected_len == 0 || memcmp (view.raw, expected, expected_len) == 0);
      /* What it accepts uses the alphabet only, with padding at the end. */
      CHECK (strspn (member->str, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
             member->len);
    }
  else
    {
      CHECK (error != NULL && error->domain == SONDE_ERROR);
      CHECK (strstr (error->message, "“raw”") != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  guint8 settings;
  const guint8 *text;
  gsize len;

  if (size < 1)
    return 0;

  settings = input[0];
  text = input + 1;
  len = size - 1;

  switch (settings & 3)
    {
    case 0:
    case 1:
      if (settings & 4)
        {
          g_autoptr(GByteArray) with_header = g_byte_array_sized_new ((guint)(len + sizeof HEADER));

          g_byte_array_append (with_header, (const guint8 *)HEADER, sizeof HEADER - 1);
          g_byte_array_append (with_header, text, (guint)len);
          fuzz_recording (with_header->data, with_header->len, settings >> 3);
        }
      else
        fuzz_recording (text, len, settings >> 3);
      break;

    case 2:
      fuzz_sse_block (text, len);
      break;

    case 3:
    default:
      fuzz_base64 (text, len);
      break;
    }

  return 0;
}

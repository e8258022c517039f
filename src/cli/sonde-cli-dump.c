/* sonde-cli-dump.c: `sonde dump RECORDING [--hex]`: a recording printed for people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-cli-private.h"
#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-json-scanner.h"
#include "sonde-recording-reader.h"
#include "sonde-utf8.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* Lines fit a terminal of this many columns; longer previews end in “…”. */
#define WIDTH 100

/* Hex rows start under the kind, past the time and the arrow. */
#define HEX_INDENT "               "

/* Previews read no more of a payload than a line can show. */
#define PREVIEW_BYTES 512

typedef struct
{
  gboolean        hex;
  SondeTransport  transport;
  GString        *out;
  GArray         *members;     /* the fields of the entry being printed */
  GString        *fields;      /* the same, with braces: what members point into */
} Dump;

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

static guint
text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

/* Appends @text, valid UTF-8, cut to @columns with “…” when it is wider,
 * or when @cut says it was already cut before. */
static void
append_fitted (GString    *out,
               const char *text,
               guint       columns,
               gboolean    cut)
{
  guint width = 0;
  const char *p;

  if (!cut && text_width (text) <= columns)
    {
      g_string_append (out, text);
      return;
    }
  if (columns == 0)
    return;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint w = char_width (g_utf8_get_char (p));

      if (width + w > columns - 1)
        break;
      width += w;
    }
  g_string_append_len (out, text, p - text);
  g_string_append (out, "…");
}

/* Text from a recording, made safe for the terminal by the one function
 * every subcommand prints with; *cut when more than a preview was there. */
static char *
printable (const char *text,
           gsize       len,
           gboolean   *cut)
{
  *cut = len > PREVIEW_BYTES;
  return sonde_utf8_printable (text, (gssize)MIN (len, PREVIEW_BYTES));
}

static char *
printable_string (const char *text)
{
  return sonde_utf8_printable (text, -1);
}

static void
append_hex_preview (GString      *out,
                    const guint8 *data,
                    gsize         len)
{
  for (gsize i = 0; i < MIN (len, 40); i++)
    g_string_append_printf (out, i == 0 ? "%02x" : " %02x", data[i]);
  if (len > 40)
    g_string_append (out, " …");
}

/* The entry's fields as members, to look up by name. */
static void
load_fields (Dump                 *dump,
             const SondeEntryView *view)
{
  g_string_truncate (dump->fields, 0);
  g_string_append_c (dump->fields, '{');
  g_string_append_len (dump->fields, view->fields, view->fields_len);
  g_string_append_c (dump->fields, '}');
  g_array_set_size (dump->members, 0);
  if (!sonde_json_scan_object (dump->fields->str, dump->fields->len, dump->members, NULL))
    g_array_set_size (dump->members, 0);
}

static const SondeJsonMember *
field (Dump       *dump,
       const char *name)
{
  for (guint i = dump->members->len; i > 0; i--)
    {
      const SondeJsonMember *member = &g_array_index (dump->members, SondeJsonMember, i - 1);

      if (sonde_json_member_name_is (member, name))
        return member;
    }
  return NULL;
}

/* A string field, decoded; %NULL when there is none. */
static char *
field_string (Dump       *dump,
              const char *name)
{
  const SondeJsonMember *member = field (dump, name);
  g_autoptr(GString) decoded = NULL;

  if (member == NULL || member->type != SONDE_JSON_STRING)
    return NULL;
  decoded = g_string_new (NULL);
  sonde_json_decode_string (member->value, member->value_len, decoded);
  return g_string_free (g_steal_pointer (&decoded), FALSE);
}

/* A number field as it was written; %NULL when there is none. */
static char *
field_number (Dump       *dump,
              const char *name)
{
  const SondeJsonMember *member = field (dump, name);

  if (member == NULL || member->type != SONDE_JSON_NUMBER)
    return NULL;
  return g_strndup (member->value, member->value_len);
}

static char *
describe_violations (Dump *dump)
{
  const SondeJsonMember *member = field (dump, "violations");
  g_autoptr(GString) text = NULL;
  SondeJsonMember element;
  gsize pos = 0;

  if (member == NULL || member->type != SONDE_JSON_ARRAY)
    return NULL;

  text = g_string_new (NULL);
  while (sonde_json_array_next (member->value, member->value_len, &pos, &element))
    {
      g_autoptr(GString) decoded = g_string_new (NULL);

      if (element.type != SONDE_JSON_STRING)
        continue;
      sonde_json_decode_string (element.value, element.value_len, decoded);
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, decoded->str);
    }
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What an entry says, in a few words; *cut when it had more to say. */
static char *
preview (Dump                 *dump,
         const SondeEntryView *view,
         gboolean             *cut)
{
  g_autoptr(GString) text = g_string_new (NULL);

  *cut = FALSE;

  switch (view->kind)
    {
    case SONDE_ENTRY_OPEN:
      {
        g_autofree char *status = field_number (dump, "status");
        g_autofree char *reason = field_string (dump, "reason");
        g_autofree char *subprotocol = field_string (dump, "subprotocol");
        g_autofree char *extensions = field_string (dump, "extensions");

        g_string_append_printf (text, "%s %s", status != NULL ? status : "?", reason != NULL ? reason : "");
        if (subprotocol != NULL && subprotocol[0] != '\0')
          g_string_append_printf (text, _(", subprotocol %s"), subprotocol);
        if (extensions != NULL && extensions[0] != '\0')
          g_string_append_printf (text, _(", extensions %s"), extensions);
      }
      break;

    case SONDE_ENTRY_SSE:
      {
        g_autofree char *type = NULL;
        gsize len = 0;
        g_autofree char *data = sonde_entry_view_dup_data (view, &len, &type);

        g_string_append (text, type != NULL ? type : "message");
        if (view->id_len > 0)
          {
            g_string_append (text, " #");
            g_string_append_len (text, view->id, (gssize)view->id_len);
          }
        g_string_append (text, ": ");
        g_string_append_len (text, data != NULL ? data : "", (gssize)MIN (len, PREVIEW_BYTES));
        *cut = len > PREVIEW_BYTES;
      }
      break;

    case SONDE_ENTRY_COMMENT:
      {
        gsize len = 0;
        g_autofree char *comment = sonde_entry_view_dup_data (view, &len, NULL);
        const char *start = comment != NULL ? comment : "";

        /* One space after the colon is how comments are written, not what they say. */
        if (len > 0 && start[0] == ' ')
          start++, len--;
        g_string_append (text, ": ");
        g_string_append_len (text, start, (gssize)MIN (len, PREVIEW_BYTES));
        *cut = len > PREVIEW_BYTES;
      }
      break;

    case SONDE_ENTRY_RETRY:
      {
        g_autofree char *ms = field_number (dump, "ms");

        g_string_append_printf (text, _("%s ms"), ms != NULL ? ms : "?");
      }
      break;

    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      {
        gsize len = 0;
        g_autofree char *data = sonde_entry_view_dup_data (view, &len, NULL);
        g_autofree char *rtt = field_number (dump, "rtt_ms");
        g_autofree char *purpose = field_string (dump, "purpose");

        if (sonde_entry_view_is_compressed (view))
          g_string_append (text, _("compressed: "));
        if (g_strcmp0 (purpose, "resume") == 0)
          g_string_append (text, _("resume: "));
        if (rtt != NULL)
          g_string_append_printf (text, _("round trip %s ms: "), rtt);
        if (view->kind == SONDE_ENTRY_TEXT)
          {
            g_string_append_len (text, data != NULL ? data : "", (gssize)MIN (len, PREVIEW_BYTES));
            *cut = len > PREVIEW_BYTES;
          }
        else if (len == 0)
          g_string_append (text, _("no data"));
        else
          append_hex_preview (text, (const guint8 *)data, len);
      }
      break;

    case SONDE_ENTRY_CLOSE:
      {
        g_autofree char *code = field_number (dump, "code");
        g_autofree char *reason = field_string (dump, "reason");

        if (code == NULL)
          g_string_append (text, _("no code"));
        else
          {
            guint64 value = g_ascii_strtoull (code, NULL, 10);

            g_string_append_printf (text, "%s %s", code,
                                    sonde_ws_close_code_describe ((guint)MIN (value, G_MAXUINT)));
            if (reason != NULL && reason[0] != '\0')
              g_string_append_printf (text, _(": “%s”"), reason);
          }
      }
      break;

    case SONDE_ENTRY_RECONNECT:
      {
        g_autofree char *delay = field_number (dump, "delay_ms");
        g_autofree char *attempt = field_number (dump, "attempt");

        g_string_append_printf (text, _("in %s ms, attempt %s"), delay != NULL ? delay : "?",
                                attempt != NULL ? attempt : "?");
      }
      break;

    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
      {
        g_autofree char *message = field_string (dump, "message");

        g_string_append (text, message != NULL ? message : "");
      }
      break;

    case SONDE_ENTRY_REQUEST:
      {
        g_autofree char *method = field_string (dump, "method");
        g_autofree char *url = field_string (dump, "url");
        g_autofree char *status = field_number (dump, "status");
        g_autofree char *reason = field_string (dump, "reason");
        g_autofree char *message = field_string (dump, "message");
        g_autofree char *rtt = field_number (dump, "rtt_ms");

        g_string_append_printf (text, "%s %s", method != NULL ? method : "?",
                                url != NULL ? url : "?");
        if (status != NULL)
          g_string_append_printf (text, " → %s %s", status, reason != NULL ? reason : "");
        else if (message != NULL)
          {
            g_string_append (text, " → ");
            /* Translators: %s says why an HTTP request got no response */
            g_string_append_printf (text, _("failed: %s"), message);
          }
        if (rtt != NULL)
          {
            g_string_append (text, " · ");
            /* Translators: %s is a number of milliseconds */
            g_string_append_printf (text, _("%s ms"), rtt);
          }
      }
      break;

    case SONDE_ENTRY_N_KINDS:
    default:
      break;
    }

  {
    gboolean more;
    char *shown = printable (text->str, text->len, &more);

    *cut = *cut || more;
    return shown;
  }
}

static void
append_padded (GString    *out,
               const char *text,
               guint       columns)
{
  guint width = text_width (text);

  g_string_append (out, text);
  for (; width < columns; width++)
    g_string_append_c (out, ' ');
}

static void
append_entry_line (Dump                 *dump,
                   const SondeEntryView *view)
{
  GString *out = dump->out;
  g_autofree char *shown = NULL;
  g_autofree char *violations = NULL;
  g_autofree char *time = NULL;
  const char *arrow;
  gboolean cut;
  gsize start = out->len;
  guint used;
  guint64 magnitude = (guint64)ABS (view->time_us);

  time = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%06u", view->time_us < 0 ? "-" : "",
                          magnitude / G_USEC_PER_SEC, (guint)(magnitude % G_USEC_PER_SEC));
  g_string_append_printf (out, "%11s", time);

  switch (view->direction)
    {
    case SONDE_DIRECTION_IN:
      arrow = "←";
      break;
    case SONDE_DIRECTION_OUT:
      arrow = "→";
      break;
    case SONDE_DIRECTION_LOCAL:
    default:
      arrow = "·";
      break;
    }
  g_string_append_printf (out, "  %s ", arrow);
  append_padded (out, sonde_entry_kind_to_string (view->kind), 9);
  if (view->raw_len > 0)
    g_string_append_printf (out, " %8" G_GSIZE_FORMAT " B  ", view->raw_len);
  else
    g_string_append (out, "             ");

  used = text_width (out->str + start);
  shown = preview (dump, view, &cut);
  violations = describe_violations (dump);
  if (violations != NULL)
    {
      g_autofree char *safe = printable_string (violations);
      g_autofree char *tail = g_strconcat ("  ⚠ ", safe, NULL);
      guint tail_width = text_width (tail);

      /* The violations matter more than the end of the data. */
      if (used + tail_width + 12 <= WIDTH)
        {
          append_fitted (out, shown, WIDTH - used - tail_width, cut);
          g_string_append (out, tail);
        }
      else
        {
          g_autofree char *both = g_strconcat (shown, tail, NULL);

          append_fitted (out, both, WIDTH - used, cut);
        }
    }
  else
    append_fitted (out, shown, WIDTH - used, cut);

  /* No trailing blanks when there is nothing to preview. */
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

/* Rows of 16 bytes: offset, hex, and the bytes as ASCII. */
static void
append_hex_rows (GString      *out,
                 const char   *indent,
                 const char   *label,
                 guint         label_width,
                 gsize         offset,
                 const guint8 *data,
                 gsize         len)
{
  for (gsize row = 0; row < len; row += 16)
    {
      gsize n = MIN (16, len - row);

      g_string_append (out, indent);
      if (label_width > 0)
        append_padded (out, row == 0 ? label : "", label_width);
      if (offset + row > 0xffff)
        g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x  ", offset + row);
      else
        g_string_append_printf (out, "%04" G_GSIZE_MODIFIER "x  ", offset + row);
      sonde_bytes_append_hex_row (out, data + row, n);
    }
}

typedef struct
{
  Dump  *dump;
  guint  number;
  gsize  consumed;
  guint  label_width;
} FrameWalk;

static const char *
opcode_name (guint8 opcode,
             char   buffer[16])
{
  switch (opcode)
    {
    case SONDE_WS_OPCODE_CONTINUATION:
      return "continuation";
    case SONDE_WS_OPCODE_TEXT:
      return "text";
    case SONDE_WS_OPCODE_BINARY:
      return "binary";
    case SONDE_WS_OPCODE_CLOSE:
      return "close";
    case SONDE_WS_OPCODE_PING:
      return "ping";
    case SONDE_WS_OPCODE_PONG:
      return "pong";
    default:
      g_snprintf (buffer, 16, "opcode 0x%X", opcode);
      return buffer;
    }
}

static gboolean
dump_frame (const SondeWsFrame *frame,
            gpointer            user_data)
{
  FrameWalk *walk = user_data;
  GString *out = walk->dump->out;
  gsize mask_len = frame->masked ? 4 : 0;
  gsize bare_header = frame->header_len - mask_len;
  char buffer[16];

  walk->number++;
  g_string_append (out, HEX_INDENT);
  g_string_append_printf (out, _("frame %u:"), walk->number);
  g_string_append_c (out, ' ');
  if (frame->fin)
    g_string_append (out, "FIN ");
  g_string_append (out, opcode_name (frame->opcode, buffer));
  for (guint bit = 0; bit < 3; bit++)
    {
      if (frame->rsv & (4 >> bit))
        g_string_append_printf (out, " RSV%u", bit + 1);
    }
  g_string_append (out, ", ");
  if (frame->masked)
    {
      char key[9];

      g_snprintf (key, sizeof key, "%02x%02x%02x%02x",
                  frame->mask[0], frame->mask[1], frame->mask[2], frame->mask[3]);
      g_string_append_printf (out, _("masked, key %s"), key);
    }
  else
    g_string_append (out, _("not masked"));
  g_string_append (out, ", ");
  g_string_append_printf (out,
                          g_dngettext (GETTEXT_PACKAGE, "%llu byte", "%llu bytes",
                                       (gulong)MIN (frame->length, G_MAXULONG)),
                          (unsigned long long)frame->length);
  g_string_append_c (out, '\n');

  if (frame->raw == NULL)
    return TRUE;

  append_hex_rows (out, HEX_INDENT "  ", _("header"), walk->label_width, 0, frame->raw, bare_header);
  if (frame->masked)
    append_hex_rows (out, HEX_INDENT "  ", _("mask"), walk->label_width, bare_header,
                     frame->raw + bare_header, 4);
  append_hex_rows (out, HEX_INDENT "  ", _("payload"), walk->label_width, frame->header_len,
                   frame->raw + frame->header_len, frame->raw_len - frame->header_len);
  if (frame->masked && frame->payload != NULL)
    append_hex_rows (out, HEX_INDENT "  ", _("unmasked"), walk->label_width, frame->header_len,
                     frame->payload, frame->raw_len - frame->header_len);

  walk->consumed += frame->raw_len;
  return TRUE;
}

static gboolean
holds_frames (Dump                 *dump,
              const SondeEntryView *view)
{
  switch (view->kind)
    {
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
      return TRUE;
    case SONDE_ENTRY_ERROR:
      /* A frame that is no message is an error from a side; Sonde's own
       * errors (a refused upgrade) hold HTTP. */
      return dump->transport == SONDE_TRANSPORT_WEBSOCKET && view->direction != SONDE_DIRECTION_LOCAL;
    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      return FALSE;
    }
}

static void
append_hex (Dump                 *dump,
            const SondeEntryView *view)
{
  FrameWalk walk = { dump, 0, 0, 0 };
  const char *labels[] = { _("header"), _("mask"), _("payload"), _("unmasked"), _("rest") };

  if (view->raw_len == 0)
    return;

  if (!holds_frames (dump, view))
    {
      append_hex_rows (dump->out, HEX_INDENT, NULL, 0, 0, view->raw, view->raw_len);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    walk.label_width = MAX (walk.label_width, text_width (labels[i]) + 2);

  sonde_ws_frames_foreach (view->raw, view->raw_len,
                           view->direction == SONDE_DIRECTION_OUT ? SONDE_WS_FROM_CLIENT
                                                                  : SONDE_WS_FROM_SERVER,
                           dump_frame, &walk);

  /* Bytes that are no whole frame are shown too, for what they are. */
  if (walk.consumed < view->raw_len)
    {
      g_string_append (dump->out, HEX_INDENT);
      g_string_append (dump->out, _("bytes that are not a whole frame:"));
      g_string_append_c (dump->out, '\n');
      append_hex_rows (dump->out, HEX_INDENT "  ", _("rest"), walk.label_width, walk.consumed,
                       view->raw + walk.consumed, view->raw_len - walk.consumed);
    }
}

/* Returns FALSE with @error set when standard output cannot take more. */
static gboolean
flush (Dump    *dump,
       GError **error)
{
  gboolean ok = sonde_cli_write_stdout (dump->out->str, dump->out->len, error);

  g_string_truncate (dump->out, 0);
  return ok;
}

static void
print_error (const char   *name,
             const GError *error)
{
  /* The reader's own messages say the line; the file name goes in front.
   * Messages about opening the file name it already. */
  if (error->domain == SONDE_ERROR)
    sonde_cli_printerr ("sonde dump: %s: %s\n", name, error->message);
  else
    sonde_cli_printerr ("sonde dump: %s\n", error->message);
}

int
sonde_cli_dump (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *name = NULL;
  g_autofree char *started = NULL;
  g_autoptr(GError) output_error = NULL;
  gboolean printed;
  const SondeRecordingHeader *header;
  gboolean hex = FALSE;
  SondeEntryView view;
  Dump dump = { 0 };
  const GOptionEntry entries[] = {
    { "hex", 0, 0, G_OPTION_ARG_NONE, &hex,
      N_("Show the bytes on the wire under each entry: offsets, hex and ASCII, with each "
         "WebSocket frame’s header, mask key and payload apart"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("RECORDING") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Prints a recording for people: one line per entry with its "
                                  "time, direction (→ sent, ← received, · Sonde itself), kind, "
                                  "size on the wire and a preview."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* argv[0] stays the program; the subcommand name goes. */
  argv[1] = argv[0];
  argc--;
  argv++;
  g_set_prgname ("sonde dump");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sonde_cli_printerr ("sonde dump: %s\n", error->message);
      return SONDE_EXIT_USAGE;
    }

  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      sonde_cli_printerr (_("sonde dump: give exactly one recording, for example "
                    "sonde dump events.jsonl --hex\n"));
      return SONDE_EXIT_USAGE;
    }

  /* “-” is standard input; a FIFO or a pipe reads once, front to back, as a file does. */
  if (g_str_equal (rest[0], "-"))
    {
      name = g_strdup (_("standard input"));
      reader = sonde_recording_reader_new_for_fd (STDIN_FILENO, FALSE, name, &error);
    }
  else
    {
      name = g_filename_display_name (rest[0]);
      reader = sonde_recording_reader_new_for_path (rest[0], &error);
    }
  if (reader == NULL)
    {
      print_error (name, error);
      return SONDE_EXIT_FAILED;
    }

  header = sonde_recording_reader_get_header (reader);
  {
    g_autofree char *stamp = g_date_time_format (header->started_at, "%Y-%m-%d %H:%M:%S");

    started = g_strdup_printf ("%s.%03d UTC", stamp,
                               g_date_time_get_microsecond (header->started_at) / 1000);
  }
  if (header->transport == SONDE_TRANSPORT_SSE)
    /* Translators: the URL, then when the session started */
    printed = sonde_cli_print (&output_error, _("SSE session with %s, started %s\n"), header->url,
                               started);
  else
    /* Translators: the URL, then when the session started */
    printed = sonde_cli_print (&output_error, _("WebSocket session with %s, started %s\n"),
                               header->url, started);

  dump.hex = hex;
  dump.transport = header->transport;
  dump.out = g_string_sized_new (64 * 1024);
  dump.members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  dump.fields = g_string_new (NULL);

  while (printed && sonde_recording_reader_next (reader, &view, &error))
    {
      load_fields (&dump, &view);
      append_entry_line (&dump, &view);
      if (hex)
        append_hex (&dump, &view);
      if (dump.out->len >= 60 * 1024)
        printed = flush (&dump, &output_error);
    }
  if (printed)
    printed = flush (&dump, &output_error);
  g_string_free (dump.out, TRUE);
  g_array_unref (dump.members);
  g_string_free (dump.fields, TRUE);

  /* A reader that went away ends the dump quietly; a full disk does not. */
  if (!printed)
    return sonde_cli_output_failed ("sonde dump", output_error);

  if (error != NULL)
    {
      print_error (name, error);
      return SONDE_EXIT_FAILED;
    }

  if (sonde_recording_reader_get_warning (reader) != NULL)
    sonde_cli_printerr ("sonde dump: %s: %s\n", name, sonde_recording_reader_get_warning (reader));

  return SONDE_EXIT_OK;
}

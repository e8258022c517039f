/* sonde-entry-text-payload.c: the type and preview columns, read from an entry's payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-entry-fields.h"
#include "sonde-entry-text.h"
#include "sonde-entry-text-private.h"
#include "sonde-ws-frame.h"

/* A preview looks at no more bytes than it can show, however large the
 * entry: the start of an SSE event's data lines, of a WebSocket message's
 * frames (unmasked), or of the data a compressed message keeps in its
 * fields; lifecycle entries and errors in words. */

/* How many payload bytes a preview looks at: enough to fill the widest
 * column, in hex or escaped text. */
#define PREVIEW_BYTES      240
#define PREVIEW_HEX_BYTES  64
/* Frames walked to find a payload's start: a message of many empty
 * fragments is not walked to its end for a preview. */
#define PREVIEW_MAX_FRAMES 64
#define MEMBER_TEXT_SIZE   256

static void
out_hex (SondeTextOut *o,
         const guint8 *s,
         gsize         len,
         gboolean      more)
{
  char hex[PREVIEW_HEX_BYTES * 3];

  g_assert (len <= PREVIEW_HEX_BYTES);

  sonde_text_out_text (o, hex, (gsize)(sonde_bytes_write_hex (hex, s, len, ' ') - hex));
  if (more)
    o->cut = TRUE;
}

/* Whether bytes read as text a person can take in: valid UTF-8, no
 * control characters but tab and line ends. */
static gboolean
looks_like_text (const guint8 *s,
                 gsize         len)
{
  if (!g_utf8_validate ((const char *)s, (gssize)len, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') || s[i] == 0x7f)
      return FALSE;
  return TRUE;
}

/* A string member's text, escaped for one line, into @buf. */
static gboolean
string_member_text (const char *fields,
                    gsize       fields_len,
                    const char *name,
                    char       *buf,
                    gsize       size)
{
  char decoded[MEMBER_TEXT_SIZE];
  const char *value;
  gsize value_len;
  gboolean cut;
  gsize n;
  SondeTextOut o;

  if (!sonde_entry_fields_find_member (fields, fields_len, name, &value, &value_len) ||
      value_len < 2 || value[0] != '"')
    return FALSE;

  n = sonde_entry_fields_copy_string (value, value_len, decoded, sizeof decoded, &cut);
  sonde_text_out_init (&o, buf, size);
  sonde_text_out_escaped (&o, (const guint8 *)decoded, n, cut);
  sonde_text_out_finish (&o);

  return TRUE;
}

static gboolean
member_text (const SondeEntryView *view,
             const char           *name,
             char                 *buf,
             gsize                 size)
{
  return string_member_text (view->fields, view->fields_len, name, buf, size);
}

/* SSE blocks: the parser dispatched them already, so a light walk over
 * their lines is enough to read them again. */

static gboolean
next_line (const guint8 **pp,
           const guint8  *end,
           const guint8 **line,
           gsize         *line_len)
{
  const guint8 *p = *pp;
  const guint8 *lf;
  const guint8 *cr;
  const guint8 *eol;

  if (p >= end)
    return FALSE;

  lf = memchr (p, '\n', (gsize)(end - p));
  cr = memchr (p, '\r', (gsize)((lf != NULL ? lf : end) - p));
  eol = cr != NULL ? cr : lf != NULL ? lf : end;

  *line = p;
  *line_len = (gsize)(eol - p);
  if (eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n')
    eol++;
  *pp = eol < end ? eol + 1 : end;

  return TRUE;
}

/* Splits a line into field name and value, as the SSE rules do. */
static void
split_field (const guint8  *line,
             gsize          len,
             gsize         *name_len,
             const guint8 **value,
             gsize         *value_len)
{
  const guint8 *colon = memchr (line, ':', len);

  if (colon == NULL)
    {
      *name_len = len;
      *value = line + len;
      *value_len = 0;
      return;
    }

  *name_len = (gsize)(colon - line);
  *value = colon + 1;
  *value_len = len - *name_len - 1;
  if (*value_len > 0 && **value == ' ')
    (*value)++, (*value_len)--;
}

static gboolean
field_is (const guint8 *line,
          gsize         name_len,
          const char   *name)
{
  return name_len == strlen (name) && memcmp (line, name, name_len) == 0;
}

static void
sse_type (const SondeEntryView *view,
          SondeTextOut         *o)
{
  const guint8 *p = view->raw;
  const guint8 *end = view->raw + view->raw_len;
  const guint8 *type = NULL;
  gsize type_len = 0;
  const guint8 *line;
  gsize len;

  while (next_line (&p, end, &line, &len))
    {
      const guint8 *value;
      gsize name_len;
      gsize value_len;

      if (len < 5 || line[0] != 'e')
        continue;
      split_field (line, len, &name_len, &value, &value_len);
      if (field_is (line, name_len, "event"))
        type = value, type_len = value_len;
    }

  if (type_len > 0)
    sonde_text_out_escaped (o, type, type_len, FALSE);
  else
    sonde_text_out_str (o, "message");
}

static void
sse_data (const SondeEntryView *view,
          SondeTextOut         *o)
{
  const guint8 *p = view->raw;
  const guint8 *end = view->raw + view->raw_len;
  gboolean first = TRUE;
  const guint8 *line;
  gsize len;

  while (!o->cut && next_line (&p, end, &line, &len))
    {
      const guint8 *value;
      gsize name_len;
      gsize value_len;

      if (len < 4 || line[0] != 'd')
        continue;
      split_field (line, len, &name_len, &value, &value_len);
      if (!field_is (line, name_len, "data"))
        continue;
      if (!first)
        sonde_text_out_text (o, "\\n", 2);
      first = FALSE;
      sonde_text_out_escaped (o, value, MIN (value_len, PREVIEW_BYTES), value_len > PREVIEW_BYTES);
    }
}

/* WebSocket frames: only headers are read, and only as many payload bytes
 * as a preview shows are unmasked. */

typedef struct
{
  gboolean fin;
  guint8   opcode;
  gboolean masked;
  guint8   mask[4];
  guint64  length;
  gsize    header_len;
} FrameHead;

static gboolean
read_frame_head (const guint8 *p,
                 gsize         avail,
                 FrameHead    *head)
{
  guint64 length;
  gsize n = 2;

  if (avail < 2)
    return FALSE;

  head->fin = (p[0] & 0x80) != 0;
  head->opcode = p[0] & 0x0f;
  head->masked = (p[1] & 0x80) != 0;
  length = p[1] & 0x7f;
  if (length == 126)
    {
      if (avail < 4)
        return FALSE;
      length = (guint64)p[2] << 8 | p[3];
      n = 4;
    }
  else if (length == 127)
    {
      if (avail < 10)
        return FALSE;
      length = 0;
      for (int i = 2; i < 10; i++)
        length = length << 8 | p[i];
      n = 10;
    }
  if (head->masked)
    {
      if (avail < n + 4)
        return FALSE;
      memcpy (head->mask, p + n, 4);
      n += 4;
    }
  head->length = length;
  head->header_len = n;

  return TRUE;
}

/* Copies the first @size payload bytes of the frames in @raw, unmasked;
 * sets @more when the payload goes on. */
static gsize
frames_payload_start (const guint8 *raw,
                      gsize         raw_len,
                      guint8       *buf,
                      gsize         size,
                      gboolean     *more)
{
  gsize at = 0;
  gsize n = 0;
  FrameHead head;

  *more = FALSE;
  for (guint frames = 0; at < raw_len && read_frame_head (raw + at, raw_len - at, &head); frames++)
    {
      const guint8 *payload = raw + at + head.header_len;
      gsize avail = raw_len - at - head.header_len;
      gsize take;

      if (frames == PREVIEW_MAX_FRAMES || n == size)
        {
          *more = TRUE;
          break;
        }
      if (avail > head.length)
        avail = (gsize)head.length;
      take = MIN (avail, size - n);
      for (gsize i = 0; i < take; i++)
        buf[n + i] = head.masked ? payload[i] ^ head.mask[i & 3] : payload[i];
      n += take;
      if (take < head.length)
        {
          *more = TRUE;
          if (take < avail || n == size)
            break;
        }
      if (head.length > raw_len - at - head.header_len)
        break;
      at += head.header_len + (gsize)head.length;
    }

  return n;
}

static const char *
opcode_name (guint8 opcode)
{
  switch (opcode)
    {
    case 0x0: return "continuation";
    case 0x1: return "text";
    case 0x2: return "binary";
    case 0x8: return "close";
    case 0x9: return "ping";
    case 0xa: return "pong";
    default: return NULL;
    }
}

static gboolean
kind_has_frames (SondeEntryKind kind)
{
  return kind == SONDE_ENTRY_TEXT || kind == SONDE_ENTRY_BINARY || kind == SONDE_ENTRY_PING ||
         kind == SONDE_ENTRY_PONG || kind == SONDE_ENTRY_CLOSE;
}

/* The payload's start: from the frames, or for a compressed message from
 * the inflated data the entry keeps in its fields. FALSE when that data is
 * not what it should be (base64 for binary), so that the row says so
 * rather than show bytes made up from it. */
static gboolean
payload_start (const SondeEntryView *view,
               guint8               *buf,
               gsize                 size,
               gsize                *n,
               gboolean             *more)
{
  const char *value;
  gsize value_len;

  if (!sonde_entry_view_is_compressed (view) ||
      !sonde_entry_fields_find_member (view->fields, view->fields_len, "data", &value, &value_len))
    {
      *n = frames_payload_start (view->raw, view->raw_len, buf, size, more);
      return TRUE;
    }

  if (view->kind == SONDE_ENTRY_BINARY)
    {
      /* Four characters for three bytes: a start cut on a group's edge,
       * and padding only where the text really ends. */
      const char *text = value + 1;
      gsize text_len;
      gsize chars;

      *n = 0;
      *more = FALSE;
      if (value_len < 2 || value[0] != '"')
        return FALSE;
      text_len = value_len - 2;
      chars = MIN (text_len, size / 3 * 4);
      *more = chars < text_len;
      if (*more && text[chars - 1] == '=')
        return FALSE;
      return sonde_base64_decode (text, chars, buf, n);
    }

  {
    gboolean cut;

    *n = sonde_entry_fields_copy_string (value, MIN (value_len, size), (char *)buf, size, &cut);
    *more = cut || value_len > size;
    return TRUE;
  }
}

static void
format_duration (SondeTextOut *o,
                 gint64        ms)
{
  if (ms < 1000)
    sonde_text_out_printf (o, _("%u ms"), (guint)ms);
  else if (ms % 1000 == 0)
    sonde_text_out_printf (o, _("%u s"), (guint)(ms / 1000));
  else
    sonde_text_out_printf (o, _("%.1f s"), ms / 1000.0);
}

/**
 * sonde_entry_text_format_delay:
 * @delay_ms: a reconnect delay
 *
 * Writes a reconnect delay as sonde_entry_text_format_reconnect() tells it,
 * such as “1.5 s”: where a whole sentence has no room (the timeline's band).
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_delay (guint64  delay_ms,
                               char    *buf,
                               gsize    size)
{
  SondeTextOut o;

  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  sonde_text_out_init (&o, buf, size);
  format_duration (&o, (gint64)MIN (delay_ms, G_MAXINT64));
  return sonde_text_out_finish (&o);
}

/**
 * sonde_entry_text_format_reconnect:
 * @delay_ms: the wait before the attempt
 * @attempt: the attempt's number
 *
 * Writes a reconnect wait as the list and the status line both tell it,
 * such as “Reconnecting in 1.5 s (attempt 2)”, so that they never disagree.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_reconnect (guint64  delay_ms,
                                   guint    attempt,
                                   char    *buf,
                                   gsize    size)
{
  char delay[32];
  SondeTextOut o;

  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  sonde_entry_text_format_delay (delay_ms, delay, sizeof delay);
  sonde_text_out_init (&o, buf, size);
  /* Translators: a wait before the next connection attempt, such as
   * “Reconnecting in 1.5 s (attempt 2)” */
  sonde_text_out_printf (&o, _("Reconnecting in %s (attempt %u)"), delay, attempt);
  return sonde_text_out_finish (&o);
}

/* @separator goes before the payload when there is one. */
static void
preview_payload (const SondeEntryView *view,
                 SondeTextOut         *o,
                 const char           *separator)
{
  guint8 payload[PREVIEW_BYTES];
  gboolean more;
  gsize n;

  if (!payload_start (view, payload, sizeof payload, &n, &more))
    {
      if (separator != NULL)
        sonde_text_out_str (o, separator);
      sonde_text_out_str (o, _("Invalid base64 data"));
      return;
    }
  if (n == 0)
    return;
  if (separator != NULL)
    sonde_text_out_str (o, separator);
  if (view->kind == SONDE_ENTRY_BINARY ||
      (view->kind != SONDE_ENTRY_TEXT && !looks_like_text (payload, more ? MIN (n, 64) : n)))
    out_hex (o, payload, MIN (n, PREVIEW_HEX_BYTES), more || n > PREVIEW_HEX_BYTES);
  else
    sonde_text_out_escaped (o, payload, n, more);
}

static void
preview_close (const SondeEntryView *view,
               SondeTextOut         *o,
               gint64                code)
{
  char reason[MEMBER_TEXT_SIZE];

  sonde_text_out_printf (o, "%u %s", (guint)code, sonde_ws_close_code_describe ((guint)code));
  if (member_text (view, "reason", reason, sizeof reason) && reason[0] != '\0')
    sonde_text_out_printf (o, " “%s”", reason);
}

/* A side request: what went where, and what came back. */
static void
preview_request (const SondeEntryView *view,
                 SondeTextOut         *o)
{
  char text[MEMBER_TEXT_SIZE];
  const char *rtt;
  gsize rtt_len;
  gint64 status;

  if (member_text (view, "method", text, sizeof text))
    sonde_text_out_printf (o, "%s ", text);
  if (member_text (view, "url", text, sizeof text))
    sonde_text_out_str (o, text);
  sonde_text_out_str (o, " → ");
  if (sonde_entry_fields_get_int (view, "status", &status))
    {
      if (!member_text (view, "reason", text, sizeof text))
        text[0] = '\0';
      sonde_text_out_printf (o, "%u %s", (guint)status, text);
    }
  else if (member_text (view, "message", text, sizeof text))
    /* Translators: %s says why an HTTP request got no response */
    sonde_text_out_printf (o, _("failed: %s"), text);
  if (sonde_entry_fields_find_member (view->fields, view->fields_len, "rtt_ms", &rtt, &rtt_len) &&
      rtt_len < 32)
    {
      g_strlcpy (text, rtt, rtt_len + 1);
      sonde_text_out_str (o, " · ");
      /* Translators: %s is a number of milliseconds */
      sonde_text_out_printf (o, _("%s ms"), text);
    }
}

/**
 * sonde_entry_text_format_preview:
 * @buf: (out caller-allocates): where the text goes, at least
 *   %SONDE_ENTRY_TEXT_PREVIEW_SIZE bytes for a full preview
 *
 * One line for the list: the start of the payload with control characters
 * escaped, binary as hex, lifecycle entries and errors in words.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_preview (const SondeEntryView *view,
                                 char                 *buf,
                                 gsize                 size)
{
  char text[MEMBER_TEXT_SIZE];
  gint64 a;
  gint64 b;
  SondeTextOut o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  sonde_text_out_init (&o, buf, size);

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      sse_data (view, &o);
      break;

    case SONDE_ENTRY_COMMENT:
      {
        const guint8 *line;
        gsize len;
        const guint8 *p = view->raw;

        /* A comment keeps what follows its colon, space and all. */
        if (next_line (&p, view->raw + view->raw_len, &line, &len) && len > 0)
          {
            const guint8 *value = line + 1;
            gsize value_len = len - 1;

            sonde_text_out_escaped (&o, value, MIN (value_len, PREVIEW_BYTES), value_len > PREVIEW_BYTES);
          }
      }
      break;

    case SONDE_ENTRY_RETRY:
      if (sonde_entry_fields_get_int (view, "ms", &a))
        {
          char delay[32];
          SondeTextOut d;

          sonde_text_out_init (&d, delay, sizeof delay);
          format_duration (&d, a);
          sonde_text_out_finish (&d);
          sonde_text_out_printf (&o, _("Reconnect delay set to %s"), delay);
        }
      break;

    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
      preview_payload (view, &o, NULL);
      break;

    case SONDE_ENTRY_PONG:
      {
        const char *rtt;
        gsize rtt_len;

        if (sonde_entry_fields_find_member (view->fields, view->fields_len, "rtt_ms",
                                            &rtt, &rtt_len) &&
            rtt_len < 32)
          {
            g_strlcpy (text, rtt, rtt_len + 1);
            sonde_text_out_printf (&o, _("Round trip %s ms"), text);
            preview_payload (view, &o, " · ");
            break;
          }
      }
      preview_payload (view, &o, NULL);
      break;

    case SONDE_ENTRY_CLOSE:
      if (sonde_entry_fields_get_int (view, "code", &a))
        preview_close (view, &o, a);
      else
        sonde_text_out_str (&o, _("No close code"));
      break;

    case SONDE_ENTRY_OPEN:
      if (sonde_entry_fields_get_int (view, "status", &a))
        {
          if (!member_text (view, "reason", text, sizeof text))
            text[0] = '\0';
          sonde_text_out_printf (&o, _("Connected, %u %s"), (guint)a, text);
        }
      else
        sonde_text_out_str (&o, _("Connected"));
      break;

    case SONDE_ENTRY_RECONNECT:
      if (sonde_entry_fields_get_int (view, "delay_ms", &a) &&
          sonde_entry_fields_get_int (view, "attempt", &b))
        {
          sonde_entry_text_format_reconnect (MAX (a, 0), (guint)b, text, sizeof text);
          sonde_text_out_str (&o, text);
        }
      else
        sonde_text_out_str (&o, _("Reconnecting"));
      break;

    case SONDE_ENTRY_CLOSED:
      if (sonde_entry_fields_get_int (view, "code", &a))
        {
          char how[MEMBER_TEXT_SIZE];
          SondeTextOut h;

          sonde_text_out_init (&h, how, sizeof how);
          preview_close (view, &h, a);
          sonde_text_out_finish (&h);
          if (!member_text (view, "closed_by", text, sizeof text))
            text[0] = '\0';
          /* Translators: %s is a close code and its name, such as “1000 Normal Closure” */
          if (g_str_equal (text, "server"))
            sonde_text_out_printf (&o, _("Closed by the server: %s"), how);
          else if (g_str_equal (text, "client"))
            sonde_text_out_printf (&o, _("Closed by Sonde: %s"), how);
          else
            sonde_text_out_printf (&o, _("Closed: %s"), how);
        }
      else if (member_text (view, "message", text, sizeof text))
        sonde_text_out_printf (&o, _("Closed: %s"), text);
      else
        sonde_text_out_str (&o, _("Closed"));
      break;

    case SONDE_ENTRY_ERROR:
      if (member_text (view, "message", text, sizeof text))
        sonde_text_out_str (&o, text);
      else
        sonde_text_out_str (&o, _("Unknown error"));
      break;

    case SONDE_ENTRY_REQUEST:
      preview_request (view, &o);
      break;

    case SONDE_ENTRY_N_KINDS:
    default:
      break;
    }

  return sonde_text_out_finish (&o);
}

/* A text message that is a JSON object with a top-level string member
 * "type" or "event" (as most WebSocket APIs name their messages): that
 * string, escaped for one line. Reads only the payload's first bytes, with
 * the one reader of entry fields: an object's members, braces aside, are
 * written as an entry's fields are. */
static gboolean
message_type_text (const SondeEntryView *view,
                   char                 *buf,
                   gsize                 size)
{
  static const char *const names[] = { "type", "event" };
  guint8 payload[PREVIEW_BYTES];
  gboolean more;
  gsize n;
  gsize start = 0;

  if (view->kind != SONDE_ENTRY_TEXT || !payload_start (view, payload, sizeof payload, &n, &more))
    return FALSE;
  while (start < n && g_ascii_isspace (payload[start]))
    start++;
  if (start >= n || payload[start] != '{')
    return FALSE;
  start++;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (string_member_text ((const char *)payload + start, n - start, names[i], buf, size) &&
        buf[0] != '\0')
      return TRUE;

  return FALSE;
}

/**
 * sonde_entry_text_format_type:
 *
 * The SSE event type; for a WebSocket text message, the string its JSON
 * object gives as "type" or "event" (", fragmented" after it, or
 * "fragmented" alone, when more frames follow the first); for a control
 * frame, its opcode's name; a reserved opcode's number; a side request's
 * method; empty for other kinds.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_type (const SondeEntryView *view,
                              char                 *buf,
                              gsize                 size)
{
  FrameHead head;
  SondeTextOut o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  sonde_text_out_init (&o, buf, size);

  if (view->kind == SONDE_ENTRY_SSE)
    sse_type (view, &o);
  else if (view->kind == SONDE_ENTRY_REQUEST)
    {
      char method[MEMBER_TEXT_SIZE];

      if (member_text (view, "method", method, sizeof method))
        sonde_text_out_str (&o, method);
    }
  else if (kind_has_frames (view->kind) && read_frame_head (view->raw, view->raw_len, &head))
    {
      const char *name = opcode_name (head.opcode);
      char reserved[8];
      char message_type[MEMBER_TEXT_SIZE];

      /* The Kind column already says Text or Binary: the type of a data
       * message is what the application calls it, as an SSE event's is. */
      if (head.opcode == 0x1 || head.opcode == 0x2)
        name = message_type_text (view, message_type, sizeof message_type) ? message_type : NULL;
      else if (name == NULL)
        {
          g_snprintf (reserved, sizeof reserved, "0x%X", head.opcode);
          name = reserved;
        }
      if (head.fin)
        sonde_text_out_str (&o, name != NULL ? name : "");
      else if (name != NULL)
        /* Translators: %s is a WebSocket message's type, such as “quote” */
        sonde_text_out_printf (&o, _("%s, fragmented"), name);
      else
        /* Translators: the type of a WebSocket message that came in several frames */
        sonde_text_out_str (&o, _("fragmented"));
    }

  return sonde_text_out_finish (&o);
}

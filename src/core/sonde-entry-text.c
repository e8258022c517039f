/* sonde-entry-text.c: the words and short texts a row of the event list shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-entry-text.h"
#include "sonde-json-scanner.h"
#include "sonde-ws-frame.h"

/* A list binds a row's cells whenever it scrolls, so these run for every
 * visible row of every frame: they read the packed entry in place, never
 * parse JSON into a tree, and write into the caller's buffer. A preview
 * looks at no more bytes than it can show, however large the entry. */

/* How many payload bytes a preview looks at: enough to fill the widest
 * column, in hex or escaped text. */
#define PREVIEW_BYTES      240
#define PREVIEW_HEX_BYTES  64
/* Frames walked to find a payload's start: a message of many empty
 * fragments is not walked to its end for a preview. */
#define PREVIEW_MAX_FRAMES 64
#define MEMBER_TEXT_SIZE   256

/* Text written into a fixed buffer, cut on a character boundary with "…"
 * when it does not fit. */
typedef struct
{
  char     *start;
  char     *p;
  char     *end;   /* room for "…" and NUL stays after it */
  gboolean  cut;
} Out;

static const char ellipsis[] = "\xe2\x80\xa6";

static void
out_init (Out   *o,
          char  *buf,
          gsize  size)
{
  g_assert (size >= sizeof ellipsis + 1);

  o->start = o->p = buf;
  o->end = buf + size - sizeof ellipsis;
  o->cut = FALSE;
}

static gsize
out_finish (Out *o)
{
  if (o->cut)
    {
      memcpy (o->p, ellipsis, sizeof ellipsis - 1);
      o->p += sizeof ellipsis - 1;
    }
  *o->p = '\0';

  return (gsize)(o->p - o->start);
}

/* Appends UTF-8 text as it is. */
static void
out_text (Out        *o,
          const char *text,
          gsize       len)
{
  gsize room;

  if (o->cut)
    return;

  room = (gsize)(o->end - o->p);
  if (len > room)
    {
      len = room;
      while (len > 0 && ((guchar)text[len] & 0xc0) == 0x80)
        len--;
      o->cut = TRUE;
    }
  memcpy (o->p, text, len);
  o->p += len;
}

static void
out_str (Out        *o,
         const char *text)
{
  out_text (o, text, strlen (text));
}

static void G_GNUC_PRINTF (2, 3)
out_printf (Out        *o,
            const char *format,
            ...)
{
  char buf[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  va_list args;
  int n;

  va_start (args, format);
  n = g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);

  out_text (o, buf, MIN ((gsize)MAX (n, 0), strlen (buf)));
  if ((gsize)MAX (n, 0) >= sizeof buf)
    o->cut = TRUE;
}

/* Appends bytes as one line: valid UTF-8 as it is, control characters and
 * bytes that are not UTF-8 as escapes. @more says the bytes go on beyond
 * @len, so a character cut in two at the end is not an error. */
static void
out_escaped (Out          *o,
             const guint8 *s,
             gsize         len,
             gboolean      more)
{
  static const char hex[] = "0123456789abcdef";
  const guint8 *end = s + len;

  while (s < end && !o->cut)
    {
      const guint8 *run = s;

      while (s < end && *s >= 0x20 && *s < 0x7f)
        s++;
      if (s > run)
        out_text (o, (const char *)run, (gsize)(s - run));
      if (s == end || o->cut)
        break;

      if (*s >= 0x80)
        {
          gunichar c = g_utf8_get_char_validated ((const char *)s, (gssize)(end - s));

          if (c == (gunichar)-2 && more)
            {
              o->cut = TRUE;
              break;
            }
          if (c < (gunichar)-2 && !(c >= 0x80 && c < 0xa0) && c != 0x2028 && c != 0x2029)
            {
              gsize n = (gsize)g_utf8_skip[*s];

              out_text (o, (const char *)s, n);
              s += n;
              continue;
            }
        }

      switch (*s)
        {
        case '\n':
          out_text (o, "\\n", 2);
          break;
        case '\r':
          out_text (o, "\\r", 2);
          break;
        case '\t':
          out_text (o, "\\t", 2);
          break;
        default:
          {
            char escape[4] = { '\\', 'x', hex[*s >> 4], hex[*s & 0xf] };

            out_text (o, escape, 4);
          }
        }
      s++;
    }

  if (s < end || more)
    o->cut = TRUE;
}

static void
out_hex (Out          *o,
         const guint8 *s,
         gsize         len,
         gboolean      more)
{
  char hex[PREVIEW_HEX_BYTES * 3];

  g_assert (len <= PREVIEW_HEX_BYTES);

  out_text (o, hex, (gsize)(sonde_bytes_write_hex (hex, s, len, ' ') - hex));
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

/* Fields: Sonde writes them as compact JSON members; find one at the top
 * level by skipping strings and nested values, without building a tree. */

static const char *
skip_string (const char *p,
             const char *end)
{
  for (p++; p < end && *p != '"'; p++)
    if (*p == '\\')
      p++;
  return p < end ? p + 1 : NULL;
}

static const char *
skip_value (const char *p,
            const char *end)
{
  int depth = 0;

  while (p < end)
    {
      switch (*p)
        {
        case '"':
          p = skip_string (p, end);
          if (p == NULL)
            return end;
          if (depth == 0)
            return p;
          continue;
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return p;
          if (--depth == 0)
            return p + 1;
          break;
        case ',':
          if (depth == 0)
            return p;
          break;
        default:
          break;
        }
      p++;
    }

  return end;
}

/**
 * sonde_entry_text_find_member:
 * @fields: JSON object members without braces, as an entry stores them
 * @name: a top-level member name
 * @value: (out): where the member's value starts (a string keeps its quotes)
 * @value_len: (out): its length
 *
 * Returns: whether @fields has a top-level member @name
 */
gboolean
sonde_entry_text_find_member (const char  *fields,
                              gsize        fields_len,
                              const char  *name,
                              const char **value,
                              gsize       *value_len)
{
  const char *p = fields;
  const char *end = fields + fields_len;
  gsize name_len;

  g_return_val_if_fail (fields != NULL || fields_len == 0, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  name_len = strlen (name);
  while (p < end)
    {
      const char *key;
      const char *key_end;
      const char *value_end;

      while (p < end && (*p == ' ' || *p == ','))
        p++;
      if (p >= end || *p != '"')
        return FALSE;
      key = p + 1;
      p = skip_string (p, end);
      if (p == NULL)
        return FALSE;
      key_end = p - 1;
      while (p < end && (*p == ' ' || *p == ':'))
        p++;
      value_end = skip_value (p, end);
      if ((gsize)(key_end - key) == name_len && memcmp (key, name, name_len) == 0)
        {
          *value = p;
          *value_len = (gsize)(value_end - p);
          return TRUE;
        }
      p = value_end;
    }

  return FALSE;
}

/* Decodes a JSON string (with its quotes) into @buf, at most @size bytes;
 * sets @cut when it did not fit. Unlike sonde_json_decode_string() it
 * stops when the buffer is full and never allocates: a preview row needs
 * only the start of a long message. */
static gsize
json_unescape (const char *s,
               gsize       len,
               char       *buf,
               gsize       size,
               gboolean   *cut)
{
  const char *p = s + 1;
  const char *end = s + len - 1;
  gsize n = 0;

  *cut = FALSE;
  if (len < 2 || s[0] != '"')
    return 0;

  while (p < end)
    {
      char one[6];
      gsize one_len = 1;

      if (*p != '\\')
        {
          const char *run = p;
          gsize run_len;

          while (p < end && *p != '\\')
            p++;
          run_len = MIN ((gsize)(p - run), size - n);
          memcpy (buf + n, run, run_len);
          n += run_len;
          if (run_len < (gsize)(p - run))
            {
              *cut = TRUE;
              break;
            }
          continue;
        }

      if (++p >= end)
        break;
      switch (*p)
        {
        case 'n': one[0] = '\n'; break;
        case 'r': one[0] = '\r'; break;
        case 't': one[0] = '\t'; break;
        case 'b': one[0] = '\b'; break;
        case 'f': one[0] = '\f'; break;
        case 'u':
          {
            gunichar c;
            gsize taken = sonde_json_read_u_escape (p - 1, end, &c);

            if (taken == 0)
              {
                /* A broken escape is copied, as sonde_json_decode_string()
                 * copies it: the backslash now, the rest as text. */
                one[0] = '\\';
                p--;
                break;
              }
            /* To the escape's last digit; the p++ below steps past it. */
            p += taken - 2;
            one_len = (gsize)g_unichar_to_utf8 (g_unichar_validate (c) ? c : 0xfffd, one);
          }
          break;
        default:
          one[0] = *p;
          break;
        }
      p++;
      if (n + one_len > size)
        {
          *cut = TRUE;
          break;
        }
      memcpy (buf + n, one, one_len);
      n += one_len;
    }

  return n;
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
  Out o;

  if (!sonde_entry_text_find_member (fields, fields_len, name, &value, &value_len) ||
      value_len < 2 || value[0] != '"')
    return FALSE;

  n = json_unescape (value, value_len, decoded, sizeof decoded, &cut);
  out_init (&o, buf, size);
  out_escaped (&o, (const guint8 *)decoded, n, cut);
  out_finish (&o);

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

/**
 * sonde_entry_text_dup_string_member:
 * @name: a top-level member of the entry's fields
 *
 * Returns: (transfer full) (nullable): the member's text when it is a string
 */
char *
sonde_entry_text_dup_string_member (const SondeEntryView *view,
                                    const char           *name)
{
  const char *value;
  gsize value_len;
  GString *text;

  g_return_val_if_fail (view != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!sonde_entry_text_find_member (view->fields, view->fields_len, name, &value, &value_len) ||
      value_len < 2 || value[0] != '"')
    return NULL;

  text = g_string_sized_new (value_len);
  sonde_json_decode_string (value + 1, value_len - 2, text);

  return g_string_free (text, FALSE);
}

/**
 * sonde_entry_text_get_int_member:
 * @name: a top-level member of the entry's fields
 * @value: (out): its value
 *
 * Returns: whether the member is there and is an integer
 */
gboolean
sonde_entry_text_get_int_member (const SondeEntryView *view,
                                 const char           *name,
                                 gint64               *value)
{
  const char *text;
  gsize len;
  gboolean negative = FALSE;
  guint64 n = 0;
  gsize i = 0;

  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!sonde_entry_text_find_member (view->fields, view->fields_len, name, &text, &len))
    return FALSE;
  if (len > 0 && text[0] == '-')
    negative = TRUE, i++;
  if (i == len || len - i > 18)
    return FALSE;
  for (; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      n = n * 10 + (guint64)(text[i] - '0');
    }

  *value = negative ? -(gint64)n : (gint64)n;
  return TRUE;
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
          Out                  *o)
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
    out_escaped (o, type, type_len, FALSE);
  else
    out_str (o, "message");
}

static void
sse_data (const SondeEntryView *view,
          Out                  *o)
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
        out_text (o, "\\n", 2);
      first = FALSE;
      out_escaped (o, value, MIN (value_len, PREVIEW_BYTES), value_len > PREVIEW_BYTES);
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
      !sonde_entry_text_find_member (view->fields, view->fields_len, "data", &value, &value_len))
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

    *n = json_unescape (value, MIN (value_len, size), (char *)buf, size, &cut);
    *more = cut || value_len > size;
    return TRUE;
  }
}

static void
format_duration (Out   *o,
                 gint64 ms)
{
  if (ms < 1000)
    out_printf (o, _("%u ms"), (guint)ms);
  else if (ms % 1000 == 0)
    out_printf (o, _("%u s"), (guint)(ms / 1000));
  else
    out_printf (o, _("%.1f s"), ms / 1000.0);
}

/* @separator goes before the payload when there is one. */
static void
preview_payload (const SondeEntryView *view,
                 Out                  *o,
                 const char           *separator)
{
  guint8 payload[PREVIEW_BYTES];
  gboolean more;
  gsize n;

  if (!payload_start (view, payload, sizeof payload, &n, &more))
    {
      if (separator != NULL)
        out_str (o, separator);
      out_str (o, _("Invalid base64 data"));
      return;
    }
  if (n == 0)
    return;
  if (separator != NULL)
    out_str (o, separator);
  if (view->kind == SONDE_ENTRY_BINARY ||
      (view->kind != SONDE_ENTRY_TEXT && !looks_like_text (payload, more ? MIN (n, 64) : n)))
    out_hex (o, payload, MIN (n, PREVIEW_HEX_BYTES), more || n > PREVIEW_HEX_BYTES);
  else
    out_escaped (o, payload, n, more);
}

static void
preview_close (const SondeEntryView *view,
               Out                  *o,
               gint64                code)
{
  char reason[MEMBER_TEXT_SIZE];

  out_printf (o, "%u %s", (guint)code, sonde_ws_close_code_describe ((guint)code));
  if (member_text (view, "reason", reason, sizeof reason) && reason[0] != '\0')
    out_printf (o, " “%s”", reason);
}

/* A side request: what went where, and what came back. */
static void
preview_request (const SondeEntryView *view,
                 Out                  *o)
{
  char text[MEMBER_TEXT_SIZE];
  const char *rtt;
  gsize rtt_len;
  gint64 status;

  if (member_text (view, "method", text, sizeof text))
    out_printf (o, "%s ", text);
  if (member_text (view, "url", text, sizeof text))
    out_str (o, text);
  out_str (o, " → ");
  if (sonde_entry_text_get_int_member (view, "status", &status))
    {
      if (!member_text (view, "reason", text, sizeof text))
        text[0] = '\0';
      out_printf (o, "%u %s", (guint)status, text);
    }
  else if (member_text (view, "message", text, sizeof text))
    /* Translators: %s says why an HTTP request got no response */
    out_printf (o, _("failed: %s"), text);
  if (sonde_entry_text_find_member (view->fields, view->fields_len, "rtt_ms", &rtt, &rtt_len) &&
      rtt_len < 32)
    {
      g_strlcpy (text, rtt, rtt_len + 1);
      out_str (o, " · ");
      /* Translators: %s is a number of milliseconds */
      out_printf (o, _("%s ms"), text);
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
  Out o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  out_init (&o, buf, size);

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

            out_escaped (&o, value, MIN (value_len, PREVIEW_BYTES), value_len > PREVIEW_BYTES);
          }
      }
      break;

    case SONDE_ENTRY_RETRY:
      if (sonde_entry_text_get_int_member (view, "ms", &a))
        {
          char delay[32];
          Out d;

          out_init (&d, delay, sizeof delay);
          format_duration (&d, a);
          out_finish (&d);
          out_printf (&o, _("Reconnect delay set to %s"), delay);
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

        if (sonde_entry_text_find_member (view->fields, view->fields_len, "rtt_ms", &rtt, &rtt_len) &&
            rtt_len < 32)
          {
            g_strlcpy (text, rtt, rtt_len + 1);
            out_printf (&o, _("Round trip %s ms"), text);
            preview_payload (view, &o, " · ");
            break;
          }
      }
      preview_payload (view, &o, NULL);
      break;

    case SONDE_ENTRY_CLOSE:
      if (sonde_entry_text_get_int_member (view, "code", &a))
        preview_close (view, &o, a);
      else
        out_str (&o, _("No close code"));
      break;

    case SONDE_ENTRY_OPEN:
      if (sonde_entry_text_get_int_member (view, "status", &a))
        {
          if (!member_text (view, "reason", text, sizeof text))
            text[0] = '\0';
          out_printf (&o, _("Connected, %u %s"), (guint)a, text);
        }
      else
        out_str (&o, _("Connected"));
      break;

    case SONDE_ENTRY_RECONNECT:
      if (sonde_entry_text_get_int_member (view, "delay_ms", &a) &&
          sonde_entry_text_get_int_member (view, "attempt", &b))
        {
          char delay[32];
          Out d;

          out_init (&d, delay, sizeof delay);
          format_duration (&d, a);
          out_finish (&d);
          out_printf (&o, _("Reconnecting in %s (attempt %u)"), delay, (guint)b);
        }
      else
        out_str (&o, _("Reconnecting"));
      break;

    case SONDE_ENTRY_CLOSED:
      if (sonde_entry_text_get_int_member (view, "code", &a))
        {
          char how[MEMBER_TEXT_SIZE];
          Out h;

          out_init (&h, how, sizeof how);
          preview_close (view, &h, a);
          out_finish (&h);
          if (!member_text (view, "closed_by", text, sizeof text))
            text[0] = '\0';
          /* Translators: %s is a close code and its name, such as “1000 Normal Closure” */
          if (g_str_equal (text, "server"))
            out_printf (&o, _("Closed by the server: %s"), how);
          else if (g_str_equal (text, "client"))
            out_printf (&o, _("Closed by Sonde: %s"), how);
          else
            out_printf (&o, _("Closed: %s"), how);
        }
      else if (member_text (view, "message", text, sizeof text))
        out_printf (&o, _("Closed: %s"), text);
      else
        out_str (&o, _("Closed"));
      break;

    case SONDE_ENTRY_ERROR:
      if (member_text (view, "message", text, sizeof text))
        out_str (&o, text);
      else
        out_str (&o, _("Unknown error"));
      break;

    case SONDE_ENTRY_REQUEST:
      preview_request (view, &o);
      break;

    case SONDE_ENTRY_N_KINDS:
    default:
      break;
    }

  return out_finish (&o);
}

/* A text message that is a JSON object with a top-level string member
 * "type" or "event" (as most WebSocket APIs name their messages): that
 * string, escaped for one line. Reads only the payload's first bytes. */
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

  if (view->kind != SONDE_ENTRY_TEXT)
    return FALSE;
  n = payload_start (view, payload, sizeof payload, &more);
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
  Out o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  out_init (&o, buf, size);

  if (view->kind == SONDE_ENTRY_SSE)
    sse_type (view, &o);
  else if (view->kind == SONDE_ENTRY_REQUEST)
    {
      char method[MEMBER_TEXT_SIZE];

      if (member_text (view, "method", method, sizeof method))
        out_str (&o, method);
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
        out_str (&o, name != NULL ? name : "");
      else if (name != NULL)
        /* Translators: %s is a WebSocket message's type, such as “quote” */
        out_printf (&o, _("%s, fragmented"), name);
      else
        /* Translators: the type of a WebSocket message that came in several frames */
        out_str (&o, _("fragmented"));
    }

  return out_finish (&o);
}

/**
 * sonde_entry_text_format_id:
 *
 * An SSE event's last event ID, escaped for one line; empty for other kinds.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_id (const SondeEntryView *view,
                            char                 *buf,
                            gsize                 size)
{
  Out o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  out_init (&o, buf, size);
  out_escaped (&o, (const guint8 *)view->id, MIN (view->id_len, size), view->id_len > size);

  return out_finish (&o);
}

/* Writes @value in decimal, at least @digits wide with leading zeros;
 * returns the end. */
static char *
put_uint (char    *p,
          guint64  value,
          int      digits)
{
  char tmp[24];
  int n = 0;

  do
    {
      tmp[n++] = (char)('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  while (n < digits)
    tmp[n++] = '0';
  while (n > 0)
    *p++ = tmp[--n];

  return p;
}

/**
 * sonde_entry_text_format_seq:
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_seq (guint64  seq,
                             char    *buf,
                             gsize    size)
{
  g_return_val_if_fail (buf != NULL && size >= 24, 0);

  *put_uint (buf, seq, 1) = '\0';
  return strlen (buf);
}

/**
 * sonde_entry_text_format_size:
 *
 * The entry's size on the wire: bytes up to 999, then kB, MB and GB with
 * one decimal, as GNOME counts them. A side request, whose bytes the log
 * does not hold, shows the size of its response body.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_size (const SondeEntryView *view,
                              char                 *buf,
                              gsize                 size)
{
  gsize bytes;
  Out o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  bytes = view->raw_len;
  if (view->kind == SONDE_ENTRY_REQUEST)
    {
      gint64 body_size;

      if (sonde_entry_text_get_int_member (view, "body_size", &body_size) && body_size >= 0)
        bytes = (gsize)body_size;
    }
  out_init (&o, buf, size);
  if (bytes < 1000)
    out_printf (&o, _("%u B"), (guint)bytes);
  else if (bytes < 1000 * 1000)
    out_printf (&o, _("%.1f kB"), bytes / 1000.0);
  else if (bytes < 1000 * 1000 * 1000)
    out_printf (&o, _("%.1f MB"), bytes / (1000.0 * 1000.0));
  else
    out_printf (&o, _("%.1f GB"), bytes / (1000.0 * 1000.0 * 1000.0));

  return out_finish (&o);
}

/**
 * sonde_entry_text_clock_origin:
 * @started_at: when the session started
 *
 * Returns: the local time of day the session started at, in microseconds
 *   since midnight, for sonde_entry_text_format_time(). A daylight saving
 *   change during the session is not followed.
 */
gint64
sonde_entry_text_clock_origin (GDateTime *started_at)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (started_at != NULL, 0);

  local = g_date_time_to_local (started_at);
  return ((gint64)g_date_time_get_hour (local) * 3600 +
          g_date_time_get_minute (local) * 60 +
          g_date_time_get_second (local)) * G_USEC_PER_SEC +
         g_date_time_get_microsecond (local);
}

/**
 * sonde_entry_text_format_time:
 * @time_us: microseconds since the session started
 * @clock_origin: from sonde_entry_text_clock_origin(), for clock time
 *
 * Relative time is seconds with microseconds ("12.345678"); clock time is
 * the local time of day with milliseconds ("14:03:27.123").
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_time (gint64           time_us,
                              SondeTimeFormat  format,
                              gint64           clock_origin,
                              char            *buf,
                              gsize            size)
{
  char *p = buf;

  g_return_val_if_fail (buf != NULL && size >= 32, 0);

  if (format == SONDE_TIME_FORMAT_CLOCK)
    {
      gint64 day = (gint64)24 * 3600 * G_USEC_PER_SEC;
      gint64 t = ((clock_origin + time_us) % day + day) % day;
      gint64 ms = t / 1000;

      p = put_uint (p, (guint64)(ms / 3600000), 2);
      *p++ = ':';
      p = put_uint (p, (guint64)(ms / 60000 % 60), 2);
      *p++ = ':';
      p = put_uint (p, (guint64)(ms / 1000 % 60), 2);
      *p++ = '.';
      p = put_uint (p, (guint64)(ms % 1000), 3);
    }
  else
    {
      guint64 t = (guint64)ABS (time_us);

      if (time_us < 0)
        *p++ = '-';
      p = put_uint (p, t / G_USEC_PER_SEC, 1);
      *p++ = '.';
      p = put_uint (p, t % G_USEC_PER_SEC, 6);
    }
  *p = '\0';

  return (gsize)(p - buf);
}

/**
 * sonde_entry_kind_get_label:
 *
 * Returns: the kind's name for people, translated
 */
const char *
sonde_entry_kind_get_label (SondeEntryKind kind)
{
  switch (kind)
    {
    case SONDE_ENTRY_OPEN: return C_("entry kind", "Open");
    case SONDE_ENTRY_SSE: return C_("entry kind", "Event");
    case SONDE_ENTRY_COMMENT: return C_("entry kind", "Comment");
    case SONDE_ENTRY_RETRY: return C_("entry kind", "Retry");
    case SONDE_ENTRY_TEXT: return C_("entry kind", "Text");
    case SONDE_ENTRY_BINARY: return C_("entry kind", "Binary");
    case SONDE_ENTRY_PING: return C_("entry kind", "Ping");
    case SONDE_ENTRY_PONG: return C_("entry kind", "Pong");
    case SONDE_ENTRY_CLOSE: return C_("entry kind", "Close");
    case SONDE_ENTRY_RECONNECT: return C_("entry kind", "Reconnect");
    case SONDE_ENTRY_CLOSED: return C_("entry kind", "Closed");
    case SONDE_ENTRY_ERROR: return C_("entry kind", "Error");
    case SONDE_ENTRY_REQUEST: return C_("entry kind", "Request");
    case SONDE_ENTRY_N_KINDS:
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * sonde_entry_category_get_label:
 *
 * Returns: the category's name for people, translated
 */
const char *
sonde_entry_category_get_label (SondeEntryCategory category)
{
  switch (category)
    {
    case SONDE_ENTRY_CATEGORY_DATA: return C_("entry category", "Data");
    case SONDE_ENTRY_CATEGORY_CONTROL: return C_("entry category", "Control");
    case SONDE_ENTRY_CATEGORY_LIFECYCLE: return C_("entry category", "Connection");
    case SONDE_ENTRY_CATEGORY_PROBLEM: return C_("entry category", "Problem");
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * sonde_direction_get_arrow:
 *
 * Returns: an arrow for the direction: down for incoming, up for outgoing,
 *   a dot for Sonde's own entries
 */
const char *
sonde_direction_get_arrow (SondeDirection direction)
{
  switch (direction)
    {
    case SONDE_DIRECTION_IN: return "↓";
    case SONDE_DIRECTION_OUT: return "↑";
    case SONDE_DIRECTION_LOCAL: return "•";
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * sonde_direction_get_accessible_name:
 *
 * Returns: what the direction's arrow means, translated, for assistive
 *   technology
 */
const char *
sonde_direction_get_accessible_name (SondeDirection direction)
{
  switch (direction)
    {
    case SONDE_DIRECTION_IN: return C_("direction", "Incoming");
    case SONDE_DIRECTION_OUT: return C_("direction", "Outgoing");
    case SONDE_DIRECTION_LOCAL: return C_("direction", "Local");
    default:
      g_return_val_if_reached ("");
    }
}

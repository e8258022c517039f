/* sonde-json.c: fast JSON text for recordings and entry fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-compose.h"
#include "sonde-error.h"
#include "sonde-json.h"

/* Bytes that need an escape in a JSON string, or a second look: controls,
 * quote, backslash, DEL and 0xC2 (the lead byte of the C1 controls). JSON
 * allows DEL and U+0080 to U+009F as they are, but a recording written to
 * a terminal (sonde record with no -o) would hand the terminal a control it
 * acts on, such as U+009B (CSI); escaped, they are the same text to every
 * JSON reader. */
static const guint8 needs_escape[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Whether @p starts a C1 control (U+0080 to U+009F) in UTF-8. */
static inline gboolean
is_c1 (const guint8 *p,
       const guint8 *end)
{
  return p[0] == 0xC2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9F;
}

/**
 * sonde_json_has_terminal_controls:
 *
 * Whether valid JSON string text holds DEL or a C1 control as it is, which
 * sonde_json_append_string() would escape.
 */
gboolean
sonde_json_has_terminal_controls (const char *text,
                                  gsize       len)
{
  const guint8 *p = (const guint8 *)text;
  const guint8 *end = p + len;

  for (; p < end; p++)
    {
      if (*p == 0x7F || is_c1 (p, end))
        return TRUE;
    }
  return FALSE;
}

/**
 * sonde_json_append_string:
 * @text: UTF-8 text, which may hold NUL
 *
 * Appends @text as a quoted JSON string.
 */
void
sonde_json_append_string (GString    *out,
                          const char *text,
                          gsize       len)
{
  static const char hex[] = "0123456789abcdef";
  const guint8 *p = (const guint8 *)text;
  const guint8 *end = p + len;

  g_string_append_c (out, '"');

  while (p < end)
    {
      const guint8 *run = p;

      while (p < end && !needs_escape[*p])
        p++;
      if (p > run)
        g_string_append_len (out, (const char *)run, p - run);
      if (p == end)
        break;

      switch (*p)
        {
        case '"':
          g_string_append_len (out, "\\\"", 2);
          break;
        case '\\':
          g_string_append_len (out, "\\\\", 2);
          break;
        case '\n':
          g_string_append_len (out, "\\n", 2);
          break;
        case '\r':
          g_string_append_len (out, "\\r", 2);
          break;
        case '\t':
          g_string_append_len (out, "\\t", 2);
          break;
        case 0xC2:
          if (!is_c1 (p, end))
            {
              g_string_append_c (out, (char)*p);
              break;
            }
          /* U+0080 to U+009F: the second byte is the code point. */
          p++;
          G_GNUC_FALLTHROUGH;
        default:
          {
            char escape[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf] };

            g_string_append_len (out, escape, 6);
          }
        }
      p++;
    }

  g_string_append_c (out, '"');
}

/**
 * sonde_json_append_base64:
 *
 * Appends @data as a quoted base64 JSON string.
 */
void
sonde_json_append_base64 (GString      *out,
                          const guint8 *data,
                          gsize         len)
{
  gsize start;
  gsize written;
  int state = 0;
  int save = 0;

  g_string_append_c (out, '"');
  start = out->len;
  g_string_set_size (out, start + (len / 3 + 1) * 4 + 4);
  written = g_base64_encode_step (data, len, FALSE, out->str + start, &state, &save);
  written += g_base64_encode_close (FALSE, out->str + start + written, &state, &save);
  g_string_set_size (out, start + written);
  g_string_append_c (out, '"');
}

void
sonde_json_append_member_string (GString    *out,
                                 const char *name,
                                 const char *value)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  sonde_json_append_string (out, name, strlen (name));
  g_string_append_c (out, ':');
  sonde_json_append_string (out, value, strlen (value));
}

void
sonde_json_append_member_int (GString    *out,
                              const char *name,
                              gint64      value)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  sonde_json_append_string (out, name, strlen (name));
  g_string_append_printf (out, ":%" G_GINT64_FORMAT, value);
}

/**
 * sonde_json_append_headers:
 *
 * Appends @headers as a JSON object; a name sent more than once keeps its
 * values joined with ", ", as HTTP allows.
 */
void
sonde_json_append_headers (GString            *out,
                           SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;
  const char *value;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  if (headers != NULL)
    {
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          const char *joined;
          char *folded = g_ascii_strdown (name, -1);

          /* Header names are case-insensitive: one member per name. */
          if (!g_hash_table_add (seen, folded))
            continue;

          joined = soup_message_headers_get_list (headers, name);
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          sonde_json_append_string (out, name, strlen (name));
          g_string_append_c (out, ':');
          sonde_json_append_string (out, joined, strlen (joined));
        }
    }
  g_string_append_c (out, '}');
}

/**
 * sonde_json_check_depth:
 * @text: JSON text (need not be valid: only brackets outside strings count)
 * @max_depth: how many arrays and objects may be open at once
 *
 * Returns: %FALSE, with an error naming the byte, when @text opens more than
 *   @max_depth arrays and objects inside each other
 */
gboolean
sonde_json_check_depth (const char  *text,
                        gsize        len,
                        guint        max_depth,
                        GError     **error)
{
  const char *p = text;
  const char *end = text + len;
  guint depth = 0;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  while (p < end)
    {
      const char *special = p;

      /* Most bytes are neither brackets nor quotes: skip them a run at a time. */
      while (special < end && *special != '"' && *special != '[' && *special != '{' &&
             *special != ']' && *special != '}')
        special++;
      if (special == end)
        break;
      p = special;

      switch (*p)
        {
        case '"':
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\' && p + 1 < end)
              p++;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("The JSON nests arrays and objects more than %u deep (at byte %llu)"),
                           max_depth, (unsigned long long)(p - text) + 1);
              return FALSE;
            }
          break;

        default:
          if (depth > 0)
            depth--;
          break;
        }
      p++;
    }

  return TRUE;
}

/**
 * sonde_json_parse:
 * @len: the length of @text, or -1 when it ends with NUL
 *
 * Parses JSON that comes from outside (a peer, a file), refusing nesting
 * deeper than %SONDE_JSON_PARSE_MAX_DEPTH instead of overflowing the stack.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
sonde_json_parse (const char  *text,
                  gssize       len,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize length;

  g_return_val_if_fail (text != NULL || len <= 0, NULL);

  if (text == NULL)
    text = "";
  length = len < 0 ? strlen (text) : (gsize)len;

  if (!sonde_json_check_depth (text, length, SONDE_JSON_PARSE_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize)length, &parse_error))
    {
      /* json-glib quotes the bad string constant as it decoded it: a "\377"
       * in the text is a lone 0xff byte in the message, which no label or
       * terminal should be handed. */
      if (!g_utf8_validate (parse_error->message, -1, NULL))
        {
          char *valid = g_utf8_make_valid (parse_error->message, -1);

          g_free (parse_error->message);
          parse_error->message = valid;
        }
      g_propagate_error (error, g_steal_pointer (&parse_error));
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT, _("The JSON text is empty"));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

/**
 * sonde_json_format_time:
 * @time: the time, in the zone the text should name as UTC
 *
 * Writes @time as recordings and HAR files carry it, to the millisecond:
 * "2026-01-01T12:00:00.000Z". The year has four digits always, as ISO 8601
 * asks and the recording reader requires (GLib's "%Y" writes the year 999
 * as "999", which no reader takes back).
 *
 * Returns: (transfer full): the text
 */
char *
sonde_json_format_time (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (time), g_date_time_get_month (time),
                          g_date_time_get_day_of_month (time), g_date_time_get_hour (time),
                          g_date_time_get_minute (time), g_date_time_get_second (time),
                          g_date_time_get_microsecond (time) / 1000);
}

/**
 * sonde_json_pretty:
 * @len: the length of @text
 *
 * Indents JSON text for people, two spaces a level, keeping every token as
 * it was written: numbers keep their digits (a parser and generator would
 * print 61.56 as 61.560000000000002), strings their escapes, objects their
 * member order and repeated names. An inspector shows what came.
 *
 * Returns: (transfer full) (nullable): the indented text, or %NULL when
 *   @text is not an object or array in valid JSON
 */
char *
sonde_json_pretty (const char *text,
                   gsize       len)
{
  g_autoptr(JsonNode) root = NULL;
  gsize i = 0;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  while (i < len && g_ascii_isspace (text[i]))
    i++;
  if (i == len || (text[i] != '{' && text[i] != '['))
    return NULL;
  /* Valid, and not too deep: the layout trusts the brackets and the strings. */
  root = sonde_json_parse (text, (gssize)len, NULL);
  if (root == NULL)
    return NULL;

  return sonde_compose_format_json (text + i, len - i, TRUE);
}

/**
 * sonde_json_append_http_open:
 * @message: a request whose response headers are in
 *
 * Appends the fields of an `open` entry for an HTTP response: status,
 * reason, URL, the response's and the request's headers.
 */
void
sonde_json_append_http_open (GString     *out,
                             SoupMessage *message)
{
  g_autofree char *url = g_uri_to_string (soup_message_get_uri (message));
  const char *reason = soup_message_get_reason_phrase (message);

  sonde_json_append_member_int (out, "status", soup_message_get_status (message));
  sonde_json_append_member_string (out, "reason", reason != NULL ? reason : "");
  sonde_json_append_member_string (out, "url", url);
  g_string_append (out, ",\"headers\":");
  sonde_json_append_headers (out, soup_message_get_response_headers (message));
  g_string_append (out, ",\"request_headers\":");
  sonde_json_append_headers (out, soup_message_get_request_headers (message));
}

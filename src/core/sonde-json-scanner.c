/* sonde-json-scanner.c: a strict JSON scanner for one recording line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-json.h"
#include "sonde-json-scanner.h"

typedef struct
{
  const guint8   *start;
  const guint8   *p;
  const guint8   *end;
  SondeJsonError *error;
  gboolean        escaped;     /* the last string scanned held a backslash */
} Scan;

/* Bytes that end a plain run inside a string: controls, quote, backslash. */
static const guint8 string_special[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

static gboolean
fail (Scan              *s,
      SondeJsonExpected  expected,
      const guint8      *at)
{
  if (s->error != NULL)
    {
      s->error->expected = expected;
      s->error->offset = (gsize)(at - s->start);
    }
  return FALSE;
}

static inline void
skip_whitespace (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
    s->p++;
}

static inline gboolean
is_digit (guint8 c)
{
  return c >= '0' && c <= '9';
}

static inline int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* At the opening quote; leaves p after the closing one. */
static gboolean
scan_string (Scan *s)
{
  const guint8 *p = s->p + 1;
  const guint8 *end = s->end;

  s->escaped = FALSE;

  for (;;)
    {
      /* Most strings are long plain runs: four bytes a turn. */
      while (end - p >= 4 && !string_special[p[0]] && !string_special[p[1]] &&
             !string_special[p[2]] && !string_special[p[3]])
        p += 4;
      while (p < end && !string_special[*p])
        p++;

      if (p == end)
        return fail (s, SONDE_JSON_EXPECTED_QUOTE, p);
      if (*p == '"')
        break;
      if (*p != '\\')
        return fail (s, SONDE_JSON_EXPECTED_NO_CONTROL, p);

      s->escaped = TRUE;
      p++;
      if (p == end)
        return fail (s, SONDE_JSON_EXPECTED_ESCAPE, p);
      switch (*p)
        {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          p++;
          break;

        case 'u':
          p++;
          for (guint i = 0; i < 4; i++, p++)
            {
              if (p == end || hex_value (*p) < 0)
                return fail (s, SONDE_JSON_EXPECTED_HEX_DIGITS, p);
            }
          break;

        default:
          return fail (s, SONDE_JSON_EXPECTED_ESCAPE, p);
        }
    }

  s->p = p + 1;
  return TRUE;
}

static gboolean
scan_digits (Scan *s)
{
  if (s->p == s->end || !is_digit (*s->p))
    return fail (s, SONDE_JSON_EXPECTED_DIGIT, s->p);
  while (s->p < s->end && is_digit (*s->p))
    s->p++;
  return TRUE;
}

static gboolean
scan_number (Scan *s)
{
  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  return TRUE;
}

static gboolean
scan_literal (Scan       *s,
              const char *word,
              gsize       len)
{
  if ((gsize)(s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return fail (s, SONDE_JSON_EXPECTED_VALUE, s->p);
  s->p += len;
  return TRUE;
}

static gboolean scan_value (Scan          *s,
                            guint          depth,
                            SondeJsonType *type);

/* At the opening brace of an object at @depth. When @members is not NULL
 * the object is the top level one and its members are reported. */
static gboolean
scan_object (Scan   *s,
             guint   depth,
             GArray *members)
{
  if (depth > SONDE_JSON_MAX_DEPTH)
    return fail (s, SONDE_JSON_EXPECTED_LESS_NESTING, s->p);

  s->p++;
  skip_whitespace (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      SondeJsonMember member;
      const guint8 *value_start;

      skip_whitespace (s);
      if (s->p == s->end || *s->p != '"')
        return fail (s, SONDE_JSON_EXPECTED_NAME, s->p);
      member.name = (const char *)s->p + 1;
      if (!scan_string (s))
        return FALSE;
      member.name_len = (gsize)((const char *)s->p - 1 - member.name);
      member.name_escaped = s->escaped;

      skip_whitespace (s);
      if (s->p == s->end || *s->p != ':')
        return fail (s, SONDE_JSON_EXPECTED_COLON, s->p);
      s->p++;
      skip_whitespace (s);

      value_start = s->p;
      if (!scan_value (s, depth + 1, &member.type))
        return FALSE;
      if (members != NULL)
        {
          if (member.type == SONDE_JSON_STRING)
            {
              member.value = (const char *)value_start + 1;
              member.value_len = (gsize)(s->p - value_start) - 2;
              member.value_escaped = s->escaped;
            }
          else
            {
              member.value = (const char *)value_start;
              member.value_len = (gsize)(s->p - value_start);
              member.value_escaped = FALSE;
            }
          g_array_append_val (members, member);
        }

      skip_whitespace (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return fail (s, SONDE_JSON_EXPECTED_COMMA_OR_BRACE, s->p);
    }
}

static gboolean
scan_array (Scan  *s,
            guint  depth)
{
  if (depth > SONDE_JSON_MAX_DEPTH)
    return fail (s, SONDE_JSON_EXPECTED_LESS_NESTING, s->p);

  s->p++;
  skip_whitespace (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      SondeJsonType type;

      if (!scan_value (s, depth + 1, &type))
        return FALSE;
      skip_whitespace (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return fail (s, SONDE_JSON_EXPECTED_COMMA_OR_BRACKET, s->p);
    }
}

static gboolean
scan_value (Scan          *s,
            guint          depth,
            SondeJsonType *type)
{
  skip_whitespace (s);
  if (s->p == s->end)
    return fail (s, SONDE_JSON_EXPECTED_VALUE, s->p);

  switch (*s->p)
    {
    case '{':
      *type = SONDE_JSON_OBJECT;
      return scan_object (s, depth, NULL);
    case '[':
      *type = SONDE_JSON_ARRAY;
      return scan_array (s, depth);
    case '"':
      *type = SONDE_JSON_STRING;
      return scan_string (s);
    case 't':
      *type = SONDE_JSON_TRUE;
      return scan_literal (s, "true", 4);
    case 'f':
      *type = SONDE_JSON_FALSE;
      return scan_literal (s, "false", 5);
    case 'n':
      *type = SONDE_JSON_NULL;
      return scan_literal (s, "null", 4);
    default:
      if (*s->p == '-' || is_digit (*s->p))
        {
          *type = SONDE_JSON_NUMBER;
          return scan_number (s);
        }
      return fail (s, SONDE_JSON_EXPECTED_VALUE, s->p);
    }
}

/**
 * sonde_json_scan_object:
 * @text: one line, without its line end (a CR before it is whitespace)
 * @members: (element-type SondeJsonMember): where the object's members go,
 *   appended in the order of the line; the spans point into @text
 * @error: (out caller-allocates) (optional): where and what the scanner
 *   expected when the line is not one JSON object
 *
 * Checks that @text is exactly one JSON object (RFC 8259), with whitespace
 * around it allowed. Text that is valid JSON but no object is refused with
 * %SONDE_JSON_EXPECTED_OBJECT at the start of the value.
 *
 * Returns: whether @text is one JSON object
 */
gboolean
sonde_json_scan_object (const char     *text,
                        gsize           len,
                        GArray         *members,
                        SondeJsonError *error)
{
  Scan s;
  const guint8 *value_start;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (members != NULL, FALSE);

  s.start = (const guint8 *)text;
  s.p = s.start;
  s.end = s.start + len;
  s.error = error;
  s.escaped = FALSE;

  skip_whitespace (&s);
  value_start = s.p;
  if (s.p < s.end && *s.p == '{')
    {
      if (!scan_object (&s, 1, members))
        return FALSE;
    }
  else
    {
      SondeJsonType type;

      if (!scan_value (&s, 1, &type))
        return FALSE;
      skip_whitespace (&s);
      if (s.p != s.end)
        return fail (&s, SONDE_JSON_EXPECTED_END, s.p);
      return fail (&s, SONDE_JSON_EXPECTED_OBJECT, value_start);
    }

  skip_whitespace (&s);
  if (s.p != s.end)
    return fail (&s, SONDE_JSON_EXPECTED_END, s.p);

  return TRUE;
}

/**
 * sonde_json_array_next:
 * @array: a checked array's text, brackets included
 * @pos: (inout): where the walk stands; 0 to begin
 * @element: (out): the next element, as sonde_json_scan_object() reports
 *   values; its name is %NULL
 *
 * Returns: whether there was one more element
 */
gboolean
sonde_json_array_next (const char      *array,
                       gsize            len,
                       gsize           *pos,
                       SondeJsonMember *element)
{
  Scan s;
  const guint8 *value_start;

  g_return_val_if_fail (array != NULL || len == 0, FALSE);
  g_return_val_if_fail (pos != NULL && element != NULL, FALSE);

  s.start = (const guint8 *)array;
  s.p = s.start + MIN (*pos, len);
  s.end = s.start + len;
  s.error = NULL;
  s.escaped = FALSE;

  if (*pos == 0)
    {
      skip_whitespace (&s);
      if (s.p == s.end || *s.p != '[')
        return FALSE;
      s.p++;
    }
  skip_whitespace (&s);
  if (s.p < s.end && *s.p == ',')
    s.p++;
  skip_whitespace (&s);
  if (s.p == s.end || *s.p == ']')
    {
      *pos = len;
      return FALSE;
    }

  value_start = s.p;
  if (!scan_value (&s, 2, &element->type))
    {
      *pos = len;
      return FALSE;
    }

  element->name = NULL;
  element->name_len = 0;
  element->name_escaped = FALSE;
  if (element->type == SONDE_JSON_STRING)
    {
      element->value = (const char *)value_start + 1;
      element->value_len = (gsize)(s.p - value_start) - 2;
      element->value_escaped = s.escaped;
    }
  else
    {
      element->value = (const char *)value_start;
      element->value_len = (gsize)(s.p - value_start);
      element->value_escaped = FALSE;
    }
  *pos = (gsize)(s.p - s.start);

  return TRUE;
}

static void
append_utf8 (GString  *out,
             gunichar  c)
{
  char buffer[4];
  int n;

  if (c < 0x80)
    {
      g_string_append_c (out, (char)c);
      return;
    }
  if (c < 0x800)
    {
      buffer[0] = (char)(0xC0 | (c >> 6));
      buffer[1] = (char)(0x80 | (c & 0x3F));
      n = 2;
    }
  else if (c < 0x10000)
    {
      buffer[0] = (char)(0xE0 | (c >> 12));
      buffer[1] = (char)(0x80 | ((c >> 6) & 0x3F));
      buffer[2] = (char)(0x80 | (c & 0x3F));
      n = 3;
    }
  else
    {
      buffer[0] = (char)(0xF0 | (c >> 18));
      buffer[1] = (char)(0x80 | ((c >> 12) & 0x3F));
      buffer[2] = (char)(0x80 | ((c >> 6) & 0x3F));
      buffer[3] = (char)(0x80 | (c & 0x3F));
      n = 4;
    }
  g_string_append_len (out, buffer, n);
}

/* Four hex digits at @p, or -1. */
static int
read_hex4 (const char *p,
           const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_value ((guint8)p[i]);

      if (digit < 0)
        return -1;
      value = value << 4 | digit;
    }
  return value;
}

/**
 * sonde_json_read_u_escape:
 * @p: where a "\u" escape starts, at its backslash
 * @end: the end of the text
 * @c: (out): the character; a high surrogate is joined with the low one
 *   that follows it, and a surrogate without its other half comes as it is
 *   (0xD800 to 0xDFFF), which g_unichar_validate() refuses
 *
 * The one reader of JSON's \u escapes, for the scanner's decoder, the list's
 * previews and the HAR sniffer alike.
 *
 * Returns: how many bytes the escape takes (6, or 12 for a surrogate pair),
 *   or 0 when four hex digits do not follow "\u"
 */
gsize
sonde_json_read_u_escape (const char *p,
                          const char *end,
                          gunichar   *c)
{
  int unit;

  g_return_val_if_fail (p != NULL && end != NULL && c != NULL, 0);

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || (unit = read_hex4 (p + 2, end)) < 0)
    return 0;
  *c = (gunichar)unit;
  if (unit >= 0xD800 && unit <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u')
    {
      int low = read_hex4 (p + 8, end);

      if (low >= 0xDC00 && low <= 0xDFFF)
        {
          *c = 0x10000 + (((gunichar)unit - 0xD800) << 10) + ((gunichar)low - 0xDC00);
          return 12;
        }
    }
  return 6;
}

/**
 * sonde_json_decode_string:
 * @span: a string's text between its quotes, as the scanner reported it
 * @out: where the decoded text is appended
 *
 * Decodes the escapes of a checked string: \uXXXX becomes UTF-8, a
 * surrogate pair one character, and a surrogate without its other half
 * U+FFFD, since UTF-8 cannot hold it. Bytes that are not escaped are copied
 * as they are. Unchecked text does no harm: a broken escape is copied.
 */
void
sonde_json_decode_string (const char *span,
                          gsize       len,
                          GString    *out)
{
  const char *p = span;
  const char *end = span + len;

  g_return_if_fail (span != NULL || len == 0);
  g_return_if_fail (out != NULL);

  while (p < end)
    {
      const char *backslash = memchr (p, '\\', (gsize)(end - p));

      if (backslash == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, backslash - p);
      p = backslash + 1;
      if (p == end)
        {
          g_string_append_c (out, '\\');
          break;
        }

      switch (*p)
        {
        case 'b':
          g_string_append_c (out, '\b');
          p++;
          break;
        case 'f':
          g_string_append_c (out, '\f');
          p++;
          break;
        case 'n':
          g_string_append_c (out, '\n');
          p++;
          break;
        case 'r':
          g_string_append_c (out, '\r');
          p++;
          break;
        case 't':
          g_string_append_c (out, '\t');
          p++;
          break;
        case 'u':
          {
            gunichar c;
            gsize taken = sonde_json_read_u_escape (backslash, end, &c);

            if (taken == 0)
              {
                g_string_append_c (out, '\\');
                break;
              }
            p = backslash + taken;
            append_utf8 (out, g_unichar_validate (c) ? c : 0xFFFD);
          }
          break;
        default:
          /* " \ / stand for themselves. */
          g_string_append_c (out, *p);
          p++;
          break;
        }
    }
}

/**
 * sonde_json_member_name_is:
 *
 * Returns: whether @member's name, escapes decoded, is @name
 */
gboolean
sonde_json_member_name_is (const SondeJsonMember *member,
                           const char            *name)
{
  gsize len;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  if (!member->name_escaped)
    return member->name_len == len && memcmp (member->name, name, len) == 0;

  {
    g_autoptr(GString) decoded = g_string_new (NULL);

    sonde_json_decode_string (member->name, member->name_len, decoded);
    return decoded->len == len && memcmp (decoded->str, name, len) == 0;
  }
}

static void
append_string_span (GString    *out,
                    const char *span,
                    gsize       len,
                    gboolean    escaped)
{
  g_autoptr(GString) decoded = NULL;

  if (!escaped && !sonde_json_has_terminal_controls (span, len))
    {
      /* Nothing to decode means nothing the writer would escape either. */
      g_string_append_c (out, '"');
      g_string_append_len (out, span, len);
      g_string_append_c (out, '"');
      return;
    }

  decoded = g_string_sized_new (len);
  sonde_json_decode_string (span, len, decoded);
  sonde_json_append_string (out, decoded->str, decoded->len);
}

/* Copies checked JSON text without its whitespace, strings as the writer
 * writes them. */
static void
append_compact_text (GString    *out,
                     const char *text,
                     gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      const char *run = p;

      while (p < end && *p != '"' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
        p++;
      g_string_append_len (out, run, p - run);
      if (p == end)
        break;

      if (*p == '"')
        {
          const char *start = ++p;
          gboolean escaped = FALSE;

          while (p < end && *p != '"')
            {
              if (*p == '\\')
                {
                  escaped = TRUE;
                  p++;
                }
              if (p < end)
                p++;
            }
          append_string_span (out, start, (gsize)(p - start), escaped);
          if (p < end)
            p++;
        }
      else
        p++;
    }
}

/**
 * sonde_json_append_compact:
 *
 * Appends @member as `"name":value` with no whitespace, every string as
 * sonde_json_append_string() writes it and numbers exactly as they were
 * written, so that what the writer wrote comes out byte for byte.
 */
void
sonde_json_append_compact (GString               *out,
                           const SondeJsonMember *member)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (member != NULL);

  append_string_span (out, member->name, member->name_len, member->name_escaped);
  g_string_append_c (out, ':');

  switch (member->type)
    {
    case SONDE_JSON_STRING:
      append_string_span (out, member->value, member->value_len, member->value_escaped);
      break;

    case SONDE_JSON_NUMBER:
    case SONDE_JSON_TRUE:
    case SONDE_JSON_FALSE:
    case SONDE_JSON_NULL:
      g_string_append_len (out, member->value, member->value_len);
      break;

    case SONDE_JSON_OBJECT:
    case SONDE_JSON_ARRAY:
    default:
      append_compact_text (out, member->value, member->value_len);
      break;
    }
}

/**
 * sonde_json_parse_uint64:
 * @text: a number's text
 *
 * Returns: whether @text is a whole number from 0 to G_MAXUINT64, written
 *   as plain digits
 */
gboolean
sonde_json_parse_uint64 (const char *text,
                         gsize       len,
                         guint64    *value)
{
  guint64 v = 0;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (len == 0 || (len > 1 && text[0] == '0'))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint digit;

      if (!is_digit ((guint8)text[i]))
        return FALSE;
      digit = (guint)(text[i] - '0');
      if (v > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      v = v * 10 + digit;
    }

  if (value != NULL)
    *value = v;
  return TRUE;
}

/**
 * sonde_json_parse_seconds_us:
 * @text: a checked JSON number: seconds
 * @us: (out): the same time in microseconds
 *
 * Reads the decimal digits themselves, never a double, so that
 * "12.345678" is 12345678 exactly. A seventh decimal rounds half away from
 * zero; further ones are dropped.
 *
 * Returns: whether @text is a number whose microseconds fit a gint64
 */
gboolean
sonde_json_parse_seconds_us (const char *text,
                             gsize       len,
                             gint64     *us)
{
  const char *p = text;
  const char *end = text + len;
  const char *digits;
  const char *digits_end;
  gboolean negative = FALSE;
  gint64 point;                /* digits before the decimal point */
  gint64 exponent = 0;
  guint64 value = 0;
  gboolean round_up = FALSE;
  gint64 index = 0;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  digits = p;
  while (p < end && is_digit ((guint8)*p))
    p++;
  if (p == digits)
    return FALSE;
  point = p - digits;
  if (p < end && *p == '.')
    {
      p++;
      if (p == end || !is_digit ((guint8)*p))
        return FALSE;
      while (p < end && is_digit ((guint8)*p))
        p++;
    }
  digits_end = p;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean exponent_negative = FALSE;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        exponent_negative = *p++ == '-';
      if (p == end || !is_digit ((guint8)*p))
        return FALSE;
      for (; p < end && is_digit ((guint8)*p); p++)
        exponent = MIN (exponent * 10 + (*p - '0'), 100000);
      if (exponent_negative)
        exponent = -exponent;
    }
  if (p != end)
    return FALSE;
  point += exponent;

  /* The digit at @index weighs 10^(point - 1 - index) seconds, that is
   * 10^(point + 5 - index) microseconds. */
  for (const char *d = digits; d < digits_end; d++)
    {
      guint digit;
      gint64 weight;

      if (*d == '.')
        continue;
      digit = (guint)(*d - '0');
      weight = point + 5 - index;
      index++;

      if (weight < -1)
        break;
      if (weight == -1)
        {
          round_up = digit >= 5;
          break;
        }
      if (value > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }
  /* Zeros for the weights the digits did not reach, down to one microsecond. */
  for (gint64 weight = point + 5 - index; weight >= 0; weight--)
    {
      if (value > G_MAXUINT64 / 10)
        return FALSE;
      value *= 10;
    }
  if (round_up)
    value++;

  if (value > (guint64)G_MAXINT64)
    return FALSE;
  if (us != NULL)
    *us = negative ? -(gint64)value : (gint64)value;
  return TRUE;
}

/**
 * sonde_json_expected_describe:
 *
 * Returns: what the scanner expected, translated, as a phrase that can
 *   follow “expected”
 */
const char *
sonde_json_expected_describe (SondeJsonExpected expected)
{
  switch (expected)
    {
    case SONDE_JSON_EXPECTED_VALUE:
      return _("a value");
    case SONDE_JSON_EXPECTED_NAME:
      return _("a member name in quotes");
    case SONDE_JSON_EXPECTED_COLON:
      return _("“:”");
    case SONDE_JSON_EXPECTED_COMMA_OR_BRACE:
      return _("“,” or “}”");
    case SONDE_JSON_EXPECTED_COMMA_OR_BRACKET:
      return _("“,” or “]”");
    case SONDE_JSON_EXPECTED_HEX_DIGITS:
      return _("four hexadecimal digits after “\\u”");
    case SONDE_JSON_EXPECTED_ESCAPE:
      return _("an escape such as “\\n” or “\\u00e9” after the backslash");
    case SONDE_JSON_EXPECTED_QUOTE:
      return _("a closing quote");
    case SONDE_JSON_EXPECTED_NO_CONTROL:
      return _("an escape such as “\\t” instead of a control character");
    case SONDE_JSON_EXPECTED_DIGIT:
      return _("a digit");
    case SONDE_JSON_EXPECTED_END:
      return _("the end of the line");
    case SONDE_JSON_EXPECTED_LESS_NESTING:
      return _("at most 256 levels of nesting");
    case SONDE_JSON_EXPECTED_OBJECT:
      return _("an object");
    default:
      g_return_val_if_reached (NULL);
    }
}

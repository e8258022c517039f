/* sonde-entry-fields.c: the one reader of an entry's fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry-fields.h"
#include "sonde-json-scanner.h"

/* A list asks for a row's category and texts whenever it binds the row, so
 * members are found by skipping strings and nested values, never by
 * building a tree. */

/* At a string's opening quote; returns what follows its closing quote, or
 * %NULL when it has none. A quote inside a string is always escaped, so the
 * closing one is the first quote after an even run of backslashes. */
static const char *
skip_string (const char *p,
             const char *end)
{
  const char *from = p + 1;

  for (;;)
    {
      const char *quote = memchr (from, '"', (gsize)(end - from));
      const char *run = quote;

      if (quote == NULL)
        return NULL;
      while (run > from && run[-1] == '\\')
        run--;
      if ((quote - run) % 2 == 0)
        return quote + 1;
      from = quote + 1;
    }
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
 * sonde_entry_fields_next_member:
 * @fields: JSON object members without braces, as an entry stores them
 * @pos: (inout): where to go on from: 0 for the first member
 * @name: (out): where the member's name starts, after its quote; escapes
 *   are not decoded (Sonde's own names have none)
 * @value: (out): where its value starts (a string keeps its quotes)
 *
 * Returns: whether there was one more top-level member
 */
gboolean
sonde_entry_fields_next_member (const char  *fields,
                                gsize        fields_len,
                                gsize       *pos,
                                const char **name,
                                gsize       *name_len,
                                const char **value,
                                gsize       *value_len)
{
  const char *end;
  const char *p;
  const char *name_end;
  const char *value_end;

  g_return_val_if_fail (fields != NULL || fields_len == 0, FALSE);
  g_return_val_if_fail (pos != NULL && *pos <= fields_len, FALSE);

  if (*pos == fields_len)
    return FALSE;
  end = fields + fields_len;
  p = fields + *pos;
  while (p < end && (*p == ' ' || *p == ','))
    p++;
  if (p == end || *p != '"' || (name_end = skip_string (p, end)) == NULL)
    {
      *pos = fields_len;
      return FALSE;
    }
  *name = p + 1;
  *name_len = (gsize)(name_end - 1 - (p + 1));
  p = name_end;
  while (p < end && (*p == ' ' || *p == ':'))
    p++;
  value_end = skip_value (p, end);
  *value = p;
  *value_len = (gsize)(value_end - p);
  *pos = (gsize)(value_end - fields);

  return TRUE;
}

/**
 * sonde_entry_fields_find_member:
 * @fields: JSON object members without braces, as an entry stores them
 * @name: a top-level member name
 * @value: (out): where the member's value starts (a string keeps its quotes)
 * @value_len: (out): its length
 *
 * Returns: whether @fields has a top-level member @name
 */
gboolean
sonde_entry_fields_find_member (const char  *fields,
                                gsize        fields_len,
                                const char  *name,
                                const char **value,
                                gsize       *value_len)
{
  gsize name_len;
  gsize pos = 0;
  const char *member;
  gsize member_len;

  g_return_val_if_fail (fields != NULL || fields_len == 0, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value != NULL && value_len != NULL, FALSE);

  name_len = strlen (name);
  while (sonde_entry_fields_next_member (fields, fields_len, &pos, &member, &member_len,
                                         value, value_len))
    {
      if (member_len == name_len && memcmp (member, name, name_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * sonde_entry_fields_is_true:
 * @name: a top-level member name, such as "compressed"
 *
 * Returns: whether @fields has a top-level member @name whose value is true
 */
gboolean
sonde_entry_fields_is_true (const char *fields,
                            gsize       fields_len,
                            const char *name)
{
  const char *value;
  gsize value_len;

  return sonde_entry_fields_find_member (fields, fields_len, name, &value, &value_len) &&
         value_len == strlen ("true") && memcmp (value, "true", value_len) == 0;
}

/**
 * sonde_entry_fields_copy_string:
 * @value: a string member's value, with its quotes, as
 *   sonde_entry_fields_find_member() gives it
 * @buf: (out caller-allocates): where the decoded text goes, no NUL
 * @size: at most this many bytes
 * @cut: (out): whether the text did not fit
 *
 * Decodes as sonde_json_decode_string() does, but stops when @buf is full
 * and never allocates: a row needs only the start of a long message.
 *
 * Returns: how many bytes were written
 */
gsize
sonde_entry_fields_copy_string (const char *value,
                                gsize       len,
                                char       *buf,
                                gsize       size,
                                gboolean   *cut)
{
  const char *p;
  const char *end;
  gsize n = 0;

  g_return_val_if_fail (value != NULL || len == 0, 0);
  g_return_val_if_fail (buf != NULL || size == 0, 0);
  g_return_val_if_fail (cut != NULL, 0);

  *cut = FALSE;
  if (len < 2 || value[0] != '"')
    return 0;
  p = value + 1;
  end = value + len - 1;

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

/**
 * sonde_entry_fields_dup_string:
 * @name: a top-level member of the entry's fields
 *
 * Returns: (transfer full) (nullable): the member's text when it is a string
 */
char *
sonde_entry_fields_dup_string (const SondeEntryView *view,
                               const char           *name)
{
  const char *value;
  gsize value_len;
  GString *text;

  g_return_val_if_fail (view != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!sonde_entry_fields_find_member (view->fields, view->fields_len, name, &value, &value_len) ||
      value_len < 2 || value[0] != '"')
    return NULL;

  text = g_string_sized_new (value_len);
  sonde_json_decode_string (value + 1, value_len - 2, text);

  return g_string_free (text, FALSE);
}

/**
 * sonde_entry_fields_get_int:
 * @name: a top-level member of the entry's fields
 * @value: (out): its value
 *
 * Returns: whether the member is there and is an integer
 */
gboolean
sonde_entry_fields_get_int (const SondeEntryView *view,
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

  if (!sonde_entry_fields_find_member (view->fields, view->fields_len, name, &text, &len))
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

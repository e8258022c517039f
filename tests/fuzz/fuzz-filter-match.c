/* fuzz-filter-match.c: libFuzzer target for the filter's matcher against a plain reading of its rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, one byte for the needle's length, the needle,
 * then the bytes of an entry. Settings: bit 0 matches case, bit 1 makes the
 * needle a regular expression (the needle escaped, so that it stays a
 * literal and never explodes).
 *
 * The same bytes become an SSE block, a comment, a text message in one
 * frame (unmasked and masked) and a binary message. Aborts when the matcher,
 * which reads common shapes in place and skips copies and case folding where
 * it can, disagrees with the reference: the payload as the parsers give it,
 * made valid, folded and searched with strstr() or GRegex.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-filter-query.h"
#include "sonde-ws-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-filter-match: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

typedef struct
{
  const char *needle;
  gboolean    case_sensitive;
  GRegex     *regex;
  char       *folded;
  char       *hex;          /* the needle read as hex, lower-case digits */
} Reference;

static gboolean
reference_text (Reference  *ref,
                const char *text,
                gssize      len)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  valid = g_utf8_make_valid (text, len);
  if (ref->regex != NULL)
    return g_regex_match (ref->regex, valid, 0, NULL);
  if (ref->case_sensitive)
    return strstr (valid, ref->needle) != NULL;
  folded = g_utf8_casefold (valid, -1);
  return strstr (folded, ref->folded) != NULL;
}

static gboolean
reference_bytes (Reference    *ref,
                 const guint8 *data,
                 gsize         len)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  if (reference_text (ref, (const char *)data, (gssize)len))
    return TRUE;
  if (ref->regex != NULL)
    {
      for (gsize i = 0; i < len; i++)
        g_string_append_printf (hex, i == 0 ? "%02x" : " %02x", data[i]);
      return g_regex_match (ref->regex, hex->str, 0, NULL);
    }
  if (ref->hex == NULL)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  for (const char *p = strstr (hex->str, ref->hex); p != NULL; p = strstr (p + 1, ref->hex))
    if ((p - hex->str) % 2 == 0)
      return TRUE;
  return FALSE;
}

static gboolean
reference_match (Reference            *ref,
                 const SondeEntryView *view)
{
  g_autofree char *data = NULL;
  g_autofree char *type = NULL;
  gsize len = 0;

  data = sonde_entry_view_dup_data (view, &len, &type);
  if (view->kind == SONDE_ENTRY_SSE)
    return reference_text (ref, data, (gssize)len) || reference_text (ref, type, -1);
  if (view->kind == SONDE_ENTRY_BINARY)
    return data != NULL && reference_bytes (ref, (const guint8 *)data, len);
  return reference_text (ref, data, (gssize)len);
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  g_autoptr(SondeFilterQuery) query = NULL;
  g_autoptr(SondeFilterMatcher) matcher = NULL;
  g_autoptr(GBytes) hex = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *pattern = NULL;
  GString *needle;
  Reference ref = { 0 };
  const guint8 *raw;
  gsize raw_len;
  gsize needle_len;
  guint8 settings;

  if (size < 2)
    return 0;
  settings = input[0];
  needle_len = MIN ((gsize)input[1] % 16 + 1, size - 2);
  raw = input + 2 + needle_len;
  raw_len = size - 2 - needle_len;

  /* A needle as a search entry gives it: UTF-8, no NUL. */
  valid = g_utf8_make_valid ((const char *)input + 2, (gssize)needle_len);
  needle = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p++)
    g_string_append_c (needle, *p);
  if (needle->len == 0)
    {
      g_string_free (needle, TRUE);
      return 0;
    }

  ref.needle = needle->str;
  ref.case_sensitive = (settings & 1) != 0;
  ref.folded = g_utf8_casefold (needle->str, -1);
  if (settings & 2)
    {
      pattern = g_regex_escape_string (needle->str, -1);
      ref.regex = g_regex_new (pattern, G_REGEX_MULTILINE | (ref.case_sensitive ? 0 : G_REGEX_CASELESS),
                               0, NULL);
      if (ref.regex == NULL)
        FAIL ("an escaped needle does not compile: %s", pattern);
    }
  else
    {
      hex = sonde_bytes_from_hex (needle->str, NULL);
      if (hex != NULL && g_bytes_get_size (hex) > 0)
        {
          gsize n = 0;
          const guint8 *bytes = g_bytes_get_data (hex, &n);
          GString *digits = g_string_new (NULL);

          for (gsize i = 0; i < n; i++)
            g_string_append_printf (digits, "%02x", bytes[i]);
          ref.hex = g_string_free (digits, FALSE);
        }
    }

  query = sonde_filter_query_new (pattern != NULL ? pattern : needle->str,
                                  (ref.case_sensitive ? SONDE_FILTER_CASE_SENSITIVE : 0) |
                                  (pattern != NULL ? SONDE_FILTER_REGEX : 0),
                                  SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS, NULL, NULL);
  if (query == NULL)
    FAIL ("a query was refused: %s", pattern != NULL ? pattern : needle->str);
  matcher = sonde_filter_matcher_new (query);

  /* Views made by hand: a log per input would cost more than the matching. */
  {
    g_autoptr(GByteArray) frames = g_byte_array_new ();
    SondeEntryView views[5];
    gsize offsets[4] = { 0 };

    for (guint i = 0; i < 3; i++)
      {
        offsets[i] = frames->len;
        sonde_ws_frame_append (frames, SONDE_WS_FIN | (i < 2 ? 0x1 : 0x2), raw, raw_len, i == 1);
      }
    offsets[3] = frames->len;

    memset (views, 0, sizeof views);
    for (guint i = 0; i < G_N_ELEMENTS (views); i++)
      {
        views[i].seq = i;
        views[i].id = "";
        views[i].fields = "";
        views[i].direction = SONDE_DIRECTION_IN;
      }
    views[0].kind = SONDE_ENTRY_SSE;
    views[1].kind = SONDE_ENTRY_COMMENT;
    for (guint i = 0; i < 2; i++)
      {
        views[i].raw = raw;
        views[i].raw_len = raw_len;
      }
    views[2].kind = SONDE_ENTRY_TEXT;
    views[3].kind = SONDE_ENTRY_TEXT;
    views[3].direction = SONDE_DIRECTION_OUT;
    views[4].kind = SONDE_ENTRY_BINARY;
    for (guint i = 0; i < 3; i++)
      {
        views[2 + i].raw = frames->data + offsets[i];
        views[2 + i].raw_len = offsets[i + 1] - offsets[i];
      }

    for (guint i = 0; i < G_N_ELEMENTS (views); i++)
      {
        gboolean got = sonde_filter_matcher_match (matcher, &views[i]);
        gboolean expected = reference_match (&ref, &views[i]);

        if (got != expected)
          FAIL ("%s entry %u, needle “%s” (settings %u): the matcher says %d, the reference %d",
                sonde_entry_kind_to_string (views[i].kind), i, needle->str, settings, got, expected);
      }
  }

  g_clear_pointer (&ref.regex, g_regex_unref);
  g_free (ref.folded);
  g_free (ref.hex);
  g_string_free (needle, TRUE);

  return 0;
}

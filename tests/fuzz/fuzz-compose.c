/* fuzz-compose.c: libFuzzer target for the compose bar's JSON check and layouts, hex and base64
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the text typed, any bytes (cut at the first NUL, made valid UTF-8,
 * as a text field holds). Aborts when a text the check accepts lays out,
 * pretty or compact, into a text it refuses, when the two layouts do not
 * compact to the same text, when compacting is not stable, when an error
 * offset lies outside the text, and when hex or base64 accepts a text that
 * GLib's own reading of the same digits disagrees with.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-bytes.h"
#include "sonde-compose.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define CHECK(cond) G_STMT_START { \
  if (!(cond)) \
    { \
      fprintf (stderr, "fuzz-compose: check failed: %s\n", #cond); \
      abort (); \
    } \
} G_STMT_END

static void
check_layouts (const char *text)
{
  gsize len = strlen (text);
  gsize offset = G_MAXSIZE;
  g_autofree char *pretty = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *pretty_compact = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;

  if (!sonde_compose_check_json (text, len, &offset, &error))
    {
      CHECK (error != NULL);
      CHECK (offset <= len);
      return;
    }

  pretty = sonde_compose_format_json (text, len, TRUE);
  compact = sonde_compose_format_json (text, len, FALSE);
  CHECK (sonde_compose_check_json (pretty, strlen (pretty), NULL, NULL));
  CHECK (sonde_compose_check_json (compact, strlen (compact), NULL, NULL));
  pretty_compact = sonde_compose_format_json (pretty, strlen (pretty), FALSE);
  again = sonde_compose_format_json (compact, strlen (compact), FALSE);
  CHECK (strcmp (pretty_compact, compact) == 0);
  CHECK (strcmp (again, compact) == 0);
}

static void
check_hex (const char *text)
{
  g_autoptr(GBytes) bytes = sonde_bytes_from_hex (text, NULL);
  g_autoptr(GString) digits = NULL;
  const guint8 *data;
  gsize len;

  if (bytes == NULL)
    return;

  /* Accepted: the hex digits of the text, in order, are the bytes. */
  digits = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (digits, g_ascii_tolower (*p));
  data = g_bytes_get_data (bytes, &len);
  CHECK (digits->len == len * 2);
  for (gsize i = 0; i < len; i++)
    {
      char pair[3];

      g_snprintf (pair, sizeof pair, "%02x", data[i]);
      CHECK (memcmp (pair, digits->str + i * 2, 2) == 0);
    }
}

static void
check_base64 (const char *text)
{
  g_autoptr(GBytes) bytes = sonde_bytes_from_base64 (text, NULL);
  g_autoptr(GString) clean = NULL;
  g_autofree guchar *decoded = NULL;
  gsize len;

  if (bytes == NULL)
    return;

  clean = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (clean, *p);
  decoded = g_base64_decode (clean->str, &len);
  CHECK (len == g_bytes_get_size (bytes));
  CHECK (len == 0 || memcmp (decoded, g_bytes_get_data (bytes, NULL), len) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  g_autofree char *raw = g_strndup ((const char *)input, size);
  g_autofree char *text = g_utf8_make_valid (raw, -1);

  check_layouts (text);
  check_hex (text);
  check_base64 (text);
  return 0;
}

/* test-json.c: JSON from outside is parsed with a depth limit, never a stack overflow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-test-util.h"

static void
check_refused (const char *text,
               gsize       at_byte)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *where = g_strdup_printf ("(at byte %" G_GSIZE_FORMAT ")", at_byte);

  node = sonde_json_parse (text, -1, &error);
  g_assert_null (node);
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "1000"));
  g_assert_nonnull (strstr (error->message, where));
}

static void
test_deep_arrays (void)
{
  g_autofree char *text = sonde_test_repeat ("[", 100000, "");

  check_refused (text, SONDE_JSON_PARSE_MAX_DEPTH + 1);
}

static void
test_deep_objects (void)
{
  g_autofree char *text = sonde_test_repeat ("{\"a\":", 100000, "1");

  /* Each level is five bytes; the 1001st brace is the one refused. */
  check_refused (text, 5 * SONDE_JSON_PARSE_MAX_DEPTH + 1);
}

static void
test_at_the_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *inner;

  for (guint i = 0; i < SONDE_JSON_PARSE_MAX_DEPTH; i++)
    g_string_append_c (text, '[');
  g_string_append (text, "42");
  for (guint i = 0; i < SONDE_JSON_PARSE_MAX_DEPTH; i++)
    g_string_append_c (text, ']');

  node = sonde_json_parse (text->str, (gssize)text->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  inner = node;
  for (guint i = 0; i < SONDE_JSON_PARSE_MAX_DEPTH; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_ARRAY (inner));
      inner = json_array_get_element (json_node_get_array (inner), 0);
    }
  g_assert_cmpint (json_node_get_int (inner), ==, 42);
}

static void
test_brackets_in_strings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inside = sonde_test_repeat ("[{", 5000, "");
  g_autofree char *text = g_strdup_printf ("{\"s\":\"%s\\\"[[\",\"t\":[1]}", inside);
  g_autoptr(JsonNode) node = NULL;

  node = sonde_json_parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpint (strlen (json_object_get_string_member (json_node_get_object (node), "s")),
                   ==, strlen (inside) + 3);
}

static void
test_closing_does_not_underflow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *closers = sonde_test_repeat ("]", 5000, "");
  g_autofree char *deep = sonde_test_repeat ("[", SONDE_JSON_PARSE_MAX_DEPTH + 1, "");
  g_autofree char *text = g_strconcat (closers, deep, NULL);

  /* Stray closers do not buy depth for what follows. */
  g_assert_false (sonde_json_check_depth (text, strlen (text), SONDE_JSON_PARSE_MAX_DEPTH, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = sonde_json_parse ("", 0, &error);
  g_assert_null (node);
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  node = sonde_json_parse ("{\"a\":", -1, &error);
  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
}

/* json-glib quotes a bad string constant in its message as it decoded it:
 * the octal-looking "\377" became a lone 0xff byte (found by fuzz-har). */
static void
test_error_is_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = sonde_json_parse ("{\"version\": \"17\\777x\n}\n\":1}", -1, &error);
  g_assert_null (node);
  g_assert_nonnull (error);
  g_assert_true (error->domain == JSON_PARSER_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "invalid string constant \"17\xef\xbf\xbd"));
}

/* Indented for people, every token as it came: json-glib's generator would
 * print 61.56 as 61.560000000000002 and keep one of two members named alike. */
static void
test_pretty (void)
{
  const char *text = " {\"sym\":\"A\\u00e9\\\"\", \"price\":61.56,\"big\":12345678901234567890,"
                     "\"e\":1E+2,\"a\":[],\"o\":{ },\"a\":[1,[true,null]],\"k:,\":\"{[\"} ";
  const char *expected =
    "{\n"
    "  \"sym\": \"A\\u00e9\\\"\",\n"
    "  \"price\": 61.56,\n"
    "  \"big\": 12345678901234567890,\n"
    "  \"e\": 1E+2,\n"
    "  \"a\": [],\n"
    "  \"o\": {},\n"
    "  \"a\": [\n"
    "    1,\n"
    "    [\n"
    "      true,\n"
    "      null\n"
    "    ]\n"
    "  ],\n"
    "  \"k:,\": \"{[\"\n"
    "}";
  g_autofree char *pretty = sonde_json_pretty (text, strlen (text));
  g_autofree char *not_json = sonde_json_pretty ("{\"a\":1,}", 8);
  g_autofree char *scalar = sonde_json_pretty ("61.56", 5);
  g_autofree char *cut = sonde_json_pretty ("[1,2]", 4);

  g_assert_cmpstr (pretty, ==, expected);
  g_assert_null (not_json);
  g_assert_null (scalar);
  g_assert_null (cut);
}

/* Four digits of year always: GLib's "%Y" wrote 999 as "999", and the
 * recording reader refused the header of such a recording (found by fuzz-har). */
static void
test_format_time (void)
{
  g_autoptr(GDateTime) early = g_date_time_new_utc (999, 1, 2, 3, 4, 5.0067);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 23, 59, 59.5);
  g_autofree char *early_text = sonde_json_format_time (early);
  g_autofree char *now_text = sonde_json_format_time (now);

  g_assert_cmpstr (early_text, ==, "0999-01-02T03:04:05.006Z");
  g_assert_cmpstr (now_text, ==, "2026-11-28T23:59:59.500Z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/json/deep-arrays", test_deep_arrays);
  g_test_add_func ("/sonde/json/deep-objects", test_deep_objects);
  g_test_add_func ("/sonde/json/at-the-limit", test_at_the_limit);
  g_test_add_func ("/sonde/json/brackets-in-strings", test_brackets_in_strings);
  g_test_add_func ("/sonde/json/closing-does-not-underflow", test_closing_does_not_underflow);
  g_test_add_func ("/sonde/json/errors", test_errors);
  g_test_add_func ("/sonde/json/error-is-utf8", test_error_is_utf8);
  g_test_add_func ("/sonde/json/pretty", test_pretty);
  g_test_add_func ("/sonde/json/format-time", test_format_time);

  return g_test_run ();
}

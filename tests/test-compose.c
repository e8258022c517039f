/* test-compose.c: the compose bar's core: JSON checked with its error's place, layouts, hex and
 * base64, the history file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-bytes.h"
#include "sonde-compose.h"
#include "sonde-error.h"
#include "sonde-test-util.h"

static void
assert_json_error (const char *text,
                   const char *message,
                   gsize       offset)
{
  g_autoptr(GError) error = NULL;
  gsize at = G_MAXSIZE;

  g_assert_false (sonde_compose_check_json (text, strlen (text), &at, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (at, ==, offset);
}

/* Any JSON value is a message; a mistake is named by line and column, in
 * characters, with what was expected there. */
static void
test_check_json (void)
{
  const char *good[] = { "{}", "[1, 2]", "\"é\"", "12345678901234567890", "true", "null",
                         " {\n  \"a\": [1, {\"b\": null}]\n}\n" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (sonde_compose_check_json (good[i], strlen (good[i]), NULL, NULL));

  assert_json_error ("", "Not JSON: at line 1, column 1, expected a value", 0);
  assert_json_error ("{\"a\":1,}",
                     "Not JSON: at line 1, column 8, expected a member name in quotes", 7);
  /* Columns count characters: “é” is two bytes and one column. */
  assert_json_error ("{\n  \"é\": tru }", "Not JSON: at line 2, column 8, expected a value", 10);
  assert_json_error ("[1] 2", "Not JSON: at line 1, column 5, expected the end of the text", 4);
  assert_json_error ("{\"a\" 1}", "Not JSON: at line 1, column 6, expected “:”", 5);
}

static void
assert_layout (const char *text,
               gboolean    pretty,
               const char *expected)
{
  g_autofree char *laid_out = NULL;

  g_assert_true (sonde_compose_check_json (text, strlen (text), NULL, NULL));
  laid_out = sonde_compose_format_json (text, strlen (text), pretty);
  g_assert_cmpstr (laid_out, ==, expected);
  g_assert_true (sonde_compose_check_json (laid_out, strlen (laid_out), NULL, NULL));
}

/* Layouts change white space outside strings and nothing else: numbers
 * past 2^53 and escapes stay as written. */
static void
test_format_json (void)
{
  const char *text = " { \"n\" : 12345678901234567890123 , \"s\" : \"a , b: {\\\"c\\\"}\" ,\n"
                     "\"e\":[ ],\"o\":{},\"l\":[1,[2 ]]}";

  assert_layout (text, FALSE,
                 "{\"n\":12345678901234567890123,\"s\":\"a , b: {\\\"c\\\"}\",\"e\":[],\"o\":{},"
                 "\"l\":[1,[2]]}");
  assert_layout (text, TRUE,
                 "{\n"
                 "  \"n\": 12345678901234567890123,\n"
                 "  \"s\": \"a , b: {\\\"c\\\"}\",\n"
                 "  \"e\": [],\n"
                 "  \"o\": {},\n"
                 "  \"l\": [\n"
                 "    1,\n"
                 "    [\n"
                 "      2\n"
                 "    ]\n"
                 "  ]\n"
                 "}");
  assert_layout ("\"x\"", TRUE, "\"x\"");
}

static void
assert_encode_error (SondeComposeMode  mode,
                     const char       *text,
                     const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sonde_compose_encode (mode, text, FALSE, &error);

  g_assert_null (bytes);
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_encoded (SondeComposeMode  mode,
                const char       *text,
                gboolean          pretty,
                const void       *expected,
                gsize             len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sonde_compose_encode (mode, text, pretty, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, len);
}

/* Hex and base64 are strict and say where they go wrong, in characters. */
static void
test_encode (void)
{
  assert_encoded (SONDE_COMPOSE_TEXT, "héllo", FALSE, "héllo", strlen ("héllo"));
  assert_encoded (SONDE_COMPOSE_JSON, "{ \"a\" : 1 }", FALSE, "{\"a\":1}", 7);
  assert_encoded (SONDE_COMPOSE_JSON, "{ \"a\" : 1 }", TRUE, "{\n  \"a\": 1\n}", 12);
  assert_encoded (SONDE_COMPOSE_HEX, "de ad:BE\nef 00", FALSE, "\xde\xad\xbe\xef\x00", 5);
  assert_encoded (SONDE_COMPOSE_HEX, "", FALSE, "", 0);
  assert_encoded (SONDE_COMPOSE_BASE64, "3q2+\n7w==", FALSE, "\xde\xad\xbe\xef", 4);

  assert_encode_error (SONDE_COMPOSE_JSON, "{\"a\":}",
                       "Not JSON: at line 1, column 6, expected a value");
  assert_encode_error (SONDE_COMPOSE_HEX, "de a",
                       "Hex needs two digits per byte; the digit at character 4 has no partner");
  assert_encode_error (SONDE_COMPOSE_HEX, "de a bc",
                       "Hex needs two digits per byte; the digit at character 4 has no partner");
  assert_encode_error (SONDE_COMPOSE_HEX, "dé", "“é” at character 2 is not a hex digit");
  assert_encode_error (SONDE_COMPOSE_BASE64, "3q2+7w=A",
                       "Base64 padding “=” may only end the text; one stands at character 7");
  assert_encode_error (SONDE_COMPOSE_BASE64, "3q*+", "“*” at character 3 is not base64");
  assert_encode_error (SONDE_COMPOSE_BASE64, "3q2",
                       "Base64 comes in groups of four characters; this is cut short");
}

/* Per URL, newest first, without repeats, kept across runs in a file that
 * holds no password; a broken file starts an empty history. */
static void
test_history (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-compose-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "sub", "history.json", NULL);
  g_autoptr(SondeComposeHistory) history = sonde_compose_history_new (path);
  g_autoptr(SondeComposeHistory) again = NULL;
  g_autoptr(SondeComposeHistory) broken = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *long_text = g_strnfill (SONDE_COMPOSE_HISTORY_MAX_TEXT + 1, 'x');
  const char *url = "ws://user:pw@127.0.0.1:9/ws";
  SondeComposeMode mode;

  g_assert_cmpuint (sonde_compose_history_get_n (history, url), ==, 0);
  g_assert_null (sonde_compose_history_get (history, url, 0, NULL));

  sonde_compose_history_add (history, url, SONDE_COMPOSE_TEXT, "one");
  sonde_compose_history_add (history, url, SONDE_COMPOSE_JSON, "{\"two\":2}");
  sonde_compose_history_add (history, url, SONDE_COMPOSE_TEXT, "one");
  sonde_compose_history_add (history, url, SONDE_COMPOSE_TEXT, long_text);
  sonde_compose_history_add (history, url, SONDE_COMPOSE_TEXT, "");
  sonde_compose_history_add (history, "ws://127.0.0.1:9/other", SONDE_COMPOSE_HEX, "ff");
  for (guint i = 0; i < SONDE_COMPOSE_HISTORY_PER_URL + 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      sonde_compose_history_add (history, "ws://127.0.0.1:9/many", SONDE_COMPOSE_TEXT, text);
    }

  g_assert_cmpuint (sonde_compose_history_get_n (history, url), ==, 2);
  g_assert_cmpstr (sonde_compose_history_get (history, url, 0, &mode), ==, "one");
  g_assert_cmpint (mode, ==, SONDE_COMPOSE_TEXT);
  g_assert_cmpstr (sonde_compose_history_get (history, url, 1, &mode), ==, "{\"two\":2}");
  g_assert_cmpint (mode, ==, SONDE_COMPOSE_JSON);
  g_assert_cmpuint (sonde_compose_history_get_n (history, "ws://127.0.0.1:9/many"), ==,
                    SONDE_COMPOSE_HISTORY_PER_URL);

  g_assert_true (sonde_compose_history_save (history, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_null (strstr (contents, "pw@"));

  /* The next run reads what this one wrote. */
  again = sonde_compose_history_new (path);
  g_assert_cmpuint (sonde_compose_history_get_n (again, url), ==, 2);
  g_assert_cmpstr (sonde_compose_history_get (again, url, 1, &mode), ==, "{\"two\":2}");
  g_assert_cmpint (mode, ==, SONDE_COMPOSE_JSON);
  g_assert_cmpstr (sonde_compose_history_get (again, "ws://127.0.0.1:9/other", 0, &mode), ==,
                   "ff");
  g_assert_cmpint (mode, ==, SONDE_COMPOSE_HEX);
  g_assert_cmpstr (sonde_compose_history_get (again, "ws://127.0.0.1:9/many", 0, NULL), ==,
                   "54");

  g_assert_true (g_file_set_contents (path, "{\"version\":1,\"urls\":[{\"url\":", -1, &error));
  broken = sonde_compose_history_new (path);
  g_assert_cmpuint (sonde_compose_history_get_n (broken, url), ==, 0);
  sonde_compose_history_add (broken, url, SONDE_COMPOSE_TEXT, "fresh");
  g_assert_true (sonde_compose_history_save (broken, &error));
  g_assert_no_error (error);

  /* The folder the history made for itself. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "sub", NULL);
  g_assert_cmpint (g_rmdir (path), ==, 0);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/compose/check-json", test_check_json);
  g_test_add_func ("/sonde/compose/format-json", test_format_json);
  g_test_add_func ("/sonde/compose/encode", test_encode);
  g_test_add_func ("/sonde/compose/history", test_history);

  return g_test_run ();
}

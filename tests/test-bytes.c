/* test-bytes.c: the bytes toolbox: strict base64, one hex encoder, JSON's \u escapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-bytes.h"
#include "sonde-json-scanner.h"

/* Decodes @text whole, or returns NULL when the strict decoder refuses it. */
static GBytes *
decode (const char *text)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize len = strlen (text);
  guint8 *buf = g_malloc (SONDE_BASE64_DECODED_MAX (len) + 1);
  gsize written = 12345;
  gboolean ok = sonde_base64_decode (text, len, buf, &written);

  /* The appending form agrees, and leaves what was there when it refuses. */
  g_byte_array_append (out, (const guint8 *)"kept", 4);
  g_assert_cmpint (sonde_base64_decode_append (text, len, out), ==, ok);
  if (!ok)
    {
      g_assert_cmpmem (out->data, out->len, "kept", 4);
      g_free (buf);
      return NULL;
    }
  g_assert_cmpuint (written, <=, SONDE_BASE64_DECODED_MAX (len));
  g_assert_cmpmem (out->data + 4, out->len - 4, buf, written);
  return g_bytes_new_take (buf, written);
}

#define assert_decodes(text, expected, expected_len) \
  G_STMT_START { \
    g_autoptr(GBytes) bytes__ = decode (text); \
    g_assert_nonnull (bytes__); \
    g_assert_cmpmem (g_bytes_get_data (bytes__, NULL), g_bytes_get_size (bytes__), \
                     (expected), (expected_len)); \
  } G_STMT_END

static void
test_base64 (void)
{
  static const char *refused[] = {
    "A", "AAAAA", "A===", "====", "AA=A", "AA==AAAA", "AA AA", "AA\nAA", "AA-_", "AAA\xc3\xa9",
    "AAAA=", "AA=",
  };

  assert_decodes ("", "", 0);
  assert_decodes ("AAH+/w==", "\x00\x01\xfe\xff", 4);
  assert_decodes ("AAH+/w", "\x00\x01\xfe\xff", 4);
  assert_decodes ("aGVsbG8=", "hello", 5);
  assert_decodes ("aGVsbG8", "hello", 5);
  assert_decodes ("aGVsbA==", "hell", 4);
  assert_decodes ("aGVs", "hel", 3);

  /* GLib skips what it does not know; the one decoder refuses it. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) bytes = decode (refused[i]);

      if (bytes != NULL)
        g_error ("“%s” decoded", refused[i]);
    }
}

static void
test_hex (void)
{
  static const guint8 bytes[] = { 0x00, 0x01, 0x7f, 0xab, 0xfe, 0xff };
  g_autofree char *spaced = sonde_bytes_to_hex (bytes, sizeof bytes, ' ');
  g_autofree char *plain = sonde_bytes_to_hex (bytes, sizeof bytes, 0);
  g_autofree char *empty = sonde_bytes_to_hex (NULL, 0, ' ');
  char buf[8];
  char *end;

  g_assert_cmpstr (spaced, ==, "00 01 7f ab fe ff");
  g_assert_cmpstr (plain, ==, "00017fabfeff");
  g_assert_cmpstr (empty, ==, "");

  /* Nothing is written past two digits a byte and the separators between. */
  memset (buf, '#', sizeof buf);
  end = sonde_bytes_write_hex (buf, bytes + 3, 2, ':');
  g_assert_cmpint (end - buf, ==, 5);
  g_assert_cmpmem (buf, sizeof buf, "ab:fe###", 8);
}

static void
test_hex_row (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint8 bytes[16];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)(0x41 + i);
  bytes[15] = 0x00;

  sonde_bytes_append_hex_row (out, bytes, 16);
  g_assert_cmpstr (out->str, ==,
                   "41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 00  |ABCDEFGHIJKLMNO.|\n");

  /* A short row is padded, so that its ASCII column lines up. */
  g_string_truncate (out, 0);
  sonde_bytes_append_hex_row (out, bytes, 10);
  g_assert_cmpstr (out->str, ==,
                   "41 42 43 44 45 46 47 48  49 4a                    |ABCDEFGHIJ|\n");
  g_string_truncate (out, 0);
  sonde_bytes_append_hex_row (out, bytes, 3);
  g_assert_cmpstr (out->str, ==,
                   "41 42 43                                          |ABC|\n");
}

static void
assert_u_escape (const char *text,
                 gsize       expected_taken,
                 gunichar    expected)
{
  gunichar c = 0;
  gsize taken = sonde_json_read_u_escape (text, text + strlen (text), &c);

  g_assert_cmpuint (taken, ==, expected_taken);
  if (taken > 0)
    g_assert_cmphex (c, ==, expected);
}

static void
test_u_escape (void)
{
  g_autoptr(GString) decoded = g_string_new (NULL);
  static const char span[] = "a\\u00e9\\ud83d\\ude00\\udc00\\ud83dx\\u12\\uZZZZ";

  assert_u_escape ("\\u00e9", 6, 0xe9);
  assert_u_escape ("\\u00E9rest", 6, 0xe9);
  assert_u_escape ("\\ud83d\\ude00", 12, 0x1f600);
  /* A half without its other half comes as it is: no character. */
  assert_u_escape ("\\ud83d", 6, 0xd83d);
  assert_u_escape ("\\ud83d\\u0041", 6, 0xd83d);
  assert_u_escape ("\\ude00", 6, 0xde00);
  g_assert_false (g_unichar_validate (0xd83d));
  /* No four hex digits, or no escape at all. */
  assert_u_escape ("\\u00e", 0, 0);
  assert_u_escape ("\\u00eg", 0, 0);
  assert_u_escape ("\\n0000", 0, 0);

  /* The decoder built on it: halves become U+FFFD, broken escapes stay. */
  sonde_json_decode_string (span, strlen (span), decoded);
  g_assert_cmpstr (decoded->str, ==, "aé😀\xef\xbf\xbd\xef\xbf\xbdx\\u12\\uZZZZ");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/bytes/base64", test_base64);
  g_test_add_func ("/sonde/bytes/hex", test_hex);
  g_test_add_func ("/sonde/bytes/hex-row", test_hex_row);
  g_test_add_func ("/sonde/bytes/u-escape", test_u_escape);

  return g_test_run ();
}

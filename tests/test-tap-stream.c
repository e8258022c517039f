/* test-tap-stream.c: the tap stream passes bytes through, copies each once, and injects between frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-tap-stream.h"

typedef struct
{
  GString  *read;
  GString  *written;
  gboolean  between;
} Taps;

static void
read_tap (gpointer      user_data,
          const guint8 *data,
          gsize         len)
{
  g_string_append_len (((Taps *)user_data)->read, (const char *)data, (gssize)len);
}

static void
write_tap (gpointer      user_data,
           const guint8 *data,
           gsize         len)
{
  g_string_append_len (((Taps *)user_data)->written, (const char *)data, (gssize)len);
}

static gboolean
can_inject (gpointer user_data)
{
  return ((Taps *)user_data)->between;
}

static void
test_create_destroy (void)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data ("abc", 3, NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  GInputStream *tap_in = sonde_tap_input_stream_new (in, NULL, NULL, NULL);
  GOutputStream *tap_out = sonde_tap_output_stream_new (out, NULL, NULL, NULL);

  g_assert_true (G_IS_POLLABLE_INPUT_STREAM (tap_in));
  g_assert_true (G_IS_POLLABLE_OUTPUT_STREAM (tap_out));
  g_assert_finalize_object (tap_in);
  g_assert_finalize_object (tap_out);
}

static void
test_pass_through (void)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data ("frames", 6, NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) base = g_simple_io_stream_new (in, out);
  g_autoptr(GBytes) prebuffer = g_bytes_new_static ("early ", 6);
  g_autoptr(GBytes) injected = g_bytes_new_static ("[ping]", 6);
  g_autoptr(GError) error = NULL;
  Taps taps = { g_string_new (NULL), g_string_new (NULL), FALSE };
  GIOStream *tap = sonde_tap_stream_new (base, prebuffer, read_tap, write_tap, can_inject, &taps);
  GPollableInputStream *tap_in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (tap));
  GPollableOutputStream *tap_out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (tap));
  char buffer[64];
  gssize n;
  g_autoptr(GString) got = g_string_new (NULL);

  /* The bytes that came with the upgrade response come first, then the socket's. */
  g_assert_true (g_pollable_input_stream_is_readable (tap_in));
  while ((n = g_pollable_input_stream_read_nonblocking (tap_in, buffer, 4, NULL, &error)) > 0)
    g_string_append_len (got, buffer, n);
  g_assert_no_error (error);
  g_assert_cmpstr (got->str, ==, "early frames");
  g_assert_cmpstr (taps.read->str, ==, "early frames");

  /* Mid-frame, an injection waits; between frames it goes before the next write. */
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (tap_out, "AB", 2, NULL, &error), ==, 2);
  sonde_tap_output_stream_inject (SONDE_TAP_OUTPUT_STREAM (tap_out), injected);
  g_assert_true (sonde_tap_output_stream_has_pending_injection (SONDE_TAP_OUTPUT_STREAM (tap_out)));
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (tap_out, "CD", 2, NULL, &error), ==, 2);
  taps.between = TRUE;
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (tap_out, "EF", 2, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_false (sonde_tap_output_stream_has_pending_injection (SONDE_TAP_OUTPUT_STREAM (tap_out)));

  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                   "ABCD[ping]EF", 12);
  g_assert_cmpstr (taps.written->str, ==, "ABCD[ping]EF");

  /* Detached, bytes still pass but are no longer reported. */
  sonde_tap_stream_detach (tap);
  g_assert_cmpint (g_output_stream_write (G_OUTPUT_STREAM (tap_out), "GH", 2, NULL, &error), ==, 2);
  g_assert_cmpstr (taps.written->str, ==, "ABCD[ping]EF");

  g_assert_finalize_object (tap);
  g_string_free (taps.read, TRUE);
  g_string_free (taps.written, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/tap-stream/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/tap-stream/pass-through", test_pass_through);

  return g_test_run ();
}

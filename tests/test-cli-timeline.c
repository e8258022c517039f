/* test-cli-timeline.c: `sonde timeline` writes pictures of the size asked, and refuses what it cannot read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <cairo.h>

#include "sonde-credentials.h"
#include "sonde-recording-reader.h"
#include "sonde-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = sonde_test_tmp_dir_new ("sonde-test-timeline-XXXXXX");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  sonde_test_tmp_dir_free (f->dir);
}

static char *
demo_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo.sonde.jsonl", NULL);
}

static int
run_timeline (SondeTestRun       *run,
              const char * const *args)
{
  return sonde_test_run_sonde (run, "timeline", args);
}

static void
test_png (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *demo = demo_path ();
  g_autofree char *out = g_build_filename (f->dir, "demo.png", NULL);
  const char * const args[] = { demo, "-o", out, "--width", "640", "--height", "240", NULL };
  SondeTestRun run;
  cairo_surface_t *png;
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  const guint8 *pixels;
  int stride;

  g_assert_cmpint (run_timeline (&run, args), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  sonde_test_run_clear (&run);

  png = cairo_image_surface_create_from_png (out);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 640);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 240);

  /* A drawing, not a blank: text, marks, the band and the graph in many colours. */
  pixels = cairo_image_surface_get_data (png);
  stride = cairo_image_surface_get_stride (png);
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 640; x++)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel & 0xffffff));
      }
  g_assert_cmpuint (g_hash_table_size (colours), >, 50);
  cairo_surface_destroy (png);
}

typedef struct
{
  gboolean  root_seen;
  char     *width;
  char     *height;
  guint     elements;
} Svg;

static void
svg_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  Svg *svg = user_data;

  svg->elements++;
  if (svg->root_seen)
    return;
  svg->root_seen = TRUE;
  g_assert_cmpstr (element, ==, "svg");
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "width"))
        svg->width = g_strdup (values[i]);
      else if (g_str_equal (names[i], "height"))
        svg->height = g_strdup (values[i]);
    }
}

static void
test_svg (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *demo = demo_path ();
  g_autofree char *out = g_build_filename (f->dir, "demo.svg", NULL);
  const char * const args[] = { demo, "-o", out, "--width", "800", "--height", "300", "--dark",
                                "--clock", NULL };
  static const GMarkupParser parser = { .start_element = svg_start };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SondeTestRun run;
  Svg svg = { 0 };
  gsize len;

  g_assert_cmpint (run_timeline (&run, args), ==, 0);
  sonde_test_run_clear (&run);

  g_assert_true (g_file_get_contents (out, &text, &len, &error));
  g_assert_no_error (error);
  context = g_markup_parse_context_new (&parser, 0, &svg, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, (gssize)len, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (svg.width, ==, "800px");
  g_assert_cmpstr (svg.height, ==, "300px");
  g_assert_cmpuint (svg.elements, >, 100);
  g_free (svg.width);
  g_free (svg.height);
}

/* A fire hose of ordinary events with one problem in it: zoomed all the
 * way out, the problem's sign is still there, where it happened. */
static void
test_problem_visible (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *recording = g_build_filename (f->dir, "hose.jsonl", NULL);
  g_autofree char *out = g_build_filename (f->dir, "hose.png", NULL);
  const char * const args[] = { recording, "-o", out, "--width", "1000", "--height", "300",
                                "--from", "0", "--to", "100", NULL };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;
  const guint8 *pixels;
  int stride;
  guint near = 0;
  guint far = 0;
  /* The 16-pixel margin on each side of the plot. */
  double problem_x = 16 + 37.5 / 100 * (1000 - 32);
  SondeTestRun run;

  g_string_append (text, "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\","
                         "\"url\":\"http://127.0.0.1/hose\",\"started_at\":\"2026-11-22T10:00:00.000Z\"}\n");
  for (guint i = 0; i < 50000; i++)
    {
      char t[32];

      g_ascii_formatd (t, sizeof t, "%.6f", i * 0.002);
      if (i == 18750)
        g_string_append_printf (text, "{\"seq\":%u,\"t\":%s,\"dir\":\"local\",\"kind\":\"error\","
                                "\"message\":\"Something broke\",\"domain\":\"x\",\"code\":1}\n", i, t);
      else if (i == 18751)
        g_string_append_printf (text, "{\"seq\":%u,\"t\":%s,\"dir\":\"in\",\"kind\":\"sse\","
                                "\"event\":\"message\",\"data\":\"x\",\"raw\":\"ZGF0YTogeAoK\","
                                "\"violations\":[\"A line was not UTF-8\"]}\n", i, t);
      else
        g_string_append_printf (text, "{\"seq\":%u,\"t\":%s,\"dir\":\"in\",\"kind\":\"sse\","
                                "\"event\":\"message\",\"data\":\"x\",\"raw\":\"ZGF0YTogeAoK\"}\n", i, t);
    }
  g_assert_true (g_file_set_contents (recording, text->str, (gssize)text->len, &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_timeline (&run, args), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  sonde_test_run_clear (&run);

  png = cairo_image_surface_create_from_png (out);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  pixels = cairo_image_surface_get_data (png);
  stride = cairo_image_surface_get_stride (png);
  /* The light palette's problem red, above the axis (the legend has one too). */
  for (int y = 0; y < 220; y++)
    for (int x = 0; x < 1000; x++)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, 4);
        if ((pixel & 0xffffff) != 0xe01b24)
          continue;
        if (ABS (x - problem_x) <= 8)
          near++;
        else
          far++;
      }
  cairo_surface_destroy (png);

  g_test_message ("problem red: %u pixels near x=%.1f, %u elsewhere", near, problem_x, far);
  g_assert_cmpuint (near, >=, 10);
  g_assert_cmpuint (far, ==, 0);
}

static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *recording = g_build_filename (f->dir, "broken.jsonl", NULL);
  g_autofree char *out = g_build_filename (f->dir, "broken.png", NULL);
  const char * const args[] = { recording, "-o", out, NULL };
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GError) error = NULL;
  SondeTestRun run;
  static const char broken[] =
    "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\",\"url\":\"http://x/\","
    "\"started_at\":\"2026-11-22T10:00:00.000Z\"}\n"
    "{\"seq\":0,\"t\":0.1,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"hi\",\"raw\":\"OmhpCg==\"}\n"
    "{\"seq\":1,\"t\":0.2,\"dir\":\"in\",\"kind\":\"sse\" \"data\":\"x\"}\n"
    "{\"seq\":2,\"t\":0.3,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"hi\",\"raw\":\"OmhpCg==\"}\n";

  g_assert_true (g_file_set_contents (recording, broken, -1, &error));
  g_assert_no_error (error);

  /* What the reader itself says about the file. */
  reader = sonde_recording_reader_new_for_path (recording, &error);
  g_assert_no_error (error);
  g_assert_false (sonde_recording_reader_load (reader, log, &error));
  g_assert_nonnull (error);

  g_assert_cmpint (run_timeline (&run, args), ==, 1);
  g_test_message ("stderr: %s", run.err);
  g_assert_nonnull (strstr (run.err, error->message));
  g_assert_true (g_str_has_prefix (run.err, "sonde timeline: "));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  sonde_test_run_clear (&run);

  /* A newer format, refused the same way. */
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (recording,
                                      "{\"format\":\"sonde-recording\",\"version\":9,\"transport\":\"sse\","
                                      "\"url\":\"http://x/\",\"started_at\":\"2026-11-22T10:00:00.000Z\"}\n",
                                      -1, &error));
  g_assert_cmpint (run_timeline (&run, args), ==, 1);
  g_assert_nonnull (strstr (run.err, "version"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  sonde_test_run_clear (&run);

  /* No such file. */
  {
    g_autofree char *missing = g_build_filename (f->dir, "missing.jsonl", NULL);
    const char * const missing_args[] = { missing, "-o", out, NULL };

    g_assert_cmpint (run_timeline (&run, missing_args), ==, 1);
    g_assert_nonnull (strstr (run.err, "missing.jsonl"));
    sonde_test_run_clear (&run);
  }
}

/* A folder that is not there: GIO's words, status 1, and nothing left behind. */
static void
test_unwritable (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *demo = demo_path ();
  g_autofree char *out = g_build_filename (f->dir, "no-such-folder", "x.png", NULL);
  const char * const args[] = { demo, "-o", out, NULL };
  SondeTestRun run;

  g_assert_cmpint (run_timeline (&run, args), ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "sonde timeline: "));
  g_assert_nonnull (strstr (run.err, "x.png"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  sonde_test_run_clear (&run);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *demo = demo_path ();
  g_autofree char *png = g_build_filename (f->dir, "x.png", NULL);
  g_autofree char *jpeg = g_build_filename (f->dir, "x.jpeg", NULL);
  const char * const no_output[] = { demo, NULL };
  const char * const bad_type[] = { demo, "-o", jpeg, NULL };
  const char * const too_small[] = { demo, "-o", png, "--width", "10", NULL };
  const char * const backwards[] = { demo, "-o", png, "--from", "20", "--to", "10", NULL };
  const char * const not_seconds[] = { demo, "-o", png, "--from", "soon", NULL };
  const char * const two[] = { demo, demo, "-o", png, NULL };
  const char * const after_end[] = { demo, "-o", png, "--from", "100", "--to", "200", NULL };
  const char * const from_after_end[] = { demo, "-o", png, "--from", "100", NULL };
  const char * const before_start[] = { demo, "-o", png, "--from", "-50", "--to", "-10", NULL };
  const char * const to_before_start[] = { demo, "-o", png, "--to", "-3", NULL };
  const char * const huge_png[] = { demo, "-o", png, "--width", "20000", "--height", "20000",
                                    NULL };
  const char * const * const cases[] = { no_output, bad_type, too_small, backwards, not_seconds, two,
                                         after_end, from_after_end, before_start, to_before_start,
                                         huge_png };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeTestRun run;

      g_assert_cmpint (run_timeline (&run, cases[i]), ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "sonde timeline: "));
      /* One sentence on one line. */
      g_assert_cmpuint (strlen (run.err), >, 20);
      g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, (gssize)strlen (run.err) - 1);
      sonde_test_run_clear (&run);
    }
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (jpeg, G_FILE_TEST_EXISTS));
}

/* A range that misses every entry would draw an empty band: refused, with
 * the range asked for and the recording's own. */
static void
test_range_outside (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *demo = demo_path ();
  g_autofree char *png = g_build_filename (f->dir, "x.png", NULL);
  const char * const after_end[] = { demo, "-o", png, "--from", "100", "--to", "200", NULL };
  const char * const to_before_start[] = { demo, "-o", png, "--to", "-3", NULL };
  const char * const overlapping[] = { demo, "-o", png, "--from", "60", "--to", "200", NULL };
  SondeTestRun run;

  g_assert_cmpint (run_timeline (&run, after_end), ==, 2);
  g_test_message ("stderr: %s", run.err);
  g_assert_cmpstr (run.err, ==, "sonde timeline: nothing happened from 100.000 s to 200.000 s: "
                                "the recording’s entries are from 0.021 s to 60.116 s\n");
  sonde_test_run_clear (&run);

  g_assert_cmpint (run_timeline (&run, to_before_start), ==, 2);
  g_assert_cmpstr (run.err, ==, "sonde timeline: --to must come after the recording’s start "
                                "(0.021 s)\n");
  sonde_test_run_clear (&run);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));

  /* The end of the demo and what came after: drawn. */
  g_assert_cmpint (run_timeline (&run, overlapping), ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  sonde_test_run_clear (&run);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
}

/* A recording whose clock stepped back: every entry is drawn, at the time
 * of the one before it, and standard error says so; the picture is made. */
static void
test_time_steps_back (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *recording = g_build_filename (f->dir, "clock.jsonl", NULL);
  g_autofree char *out = g_build_filename (f->dir, "clock.png", NULL);
  const char * const args[] = { recording, "-o", out, NULL };
  g_autoptr(GError) error = NULL;
  SondeTestRun run;
  static const char text[] =
    "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":\"sse\",\"url\":\"http://x/\","
    "\"started_at\":\"2026-11-22T10:00:00.000Z\"}\n"
    "{\"seq\":0,\"t\":0.5,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"hi\",\"raw\":\"OmhpCg==\"}\n"
    "{\"seq\":1,\"t\":2,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"hi\",\"raw\":\"OmhpCg==\"}\n"
    "{\"seq\":2,\"t\":1,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"hi\",\"raw\":\"OmhpCg==\"}\n";

  g_assert_true (g_file_set_contents (recording, text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_timeline (&run, args), ==, 0);
  g_assert_true (g_str_has_prefix (run.err, "sonde timeline: "));
  g_assert_true (g_str_has_suffix (run.err, "clock.jsonl: 1 entry has a time earlier than the "
                                            "entry before it (line 4: 1.000000 s after 2.000000 "
                                            "s); it is placed at the time of the entry before "
                                            "it.\n"));
  sonde_test_run_clear (&run);
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* A recording made with --keep-credentials has a password in its URL: the
 * picture's heading has the recording's marker instead, so the picture is
 * the very one drawn from a recording that never had it. */
static void
test_no_password (Fixture       *f,
                  gconstpointer  data)
{
  static const char url[] = "http://user:secret@127.0.0.1:9/x";
  static const char entry[] =
    "{\"seq\":0,\"t\":0.5,\"dir\":\"in\",\"kind\":\"comment\",\"text\":\"hi\",\"raw\":\"OmhpCg==\"}\n";
  g_autofree char *removed = sonde_credentials_remove_from_url (url);
  char *contents[2] = { NULL, NULL };
  gsize lengths[2];

  g_assert_null (strstr (removed, "secret"));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *recording = g_strdup_printf ("%s/%u.jsonl", f->dir, i);
      g_autofree char *out = g_strdup_printf ("%s/%u.png", f->dir, i);
      g_autofree char *text = g_strdup_printf ("{\"format\":\"sonde-recording\",\"version\":1,"
                                               "\"transport\":\"sse\",\"url\":\"%s\","
                                               "\"started_at\":\"2026-11-22T10:00:00.000Z\"}\n%s",
                                               i == 0 ? url : removed, entry);
      const char * const args[] = { recording, "-o", out, "--width", "600", "--height", "200", NULL };
      SondeTestRun run;

      g_assert_true (g_file_set_contents (recording, text, -1, NULL));
      g_assert_cmpint (run_timeline (&run, args), ==, 0);
      sonde_test_run_clear (&run);
      g_assert_true (g_file_get_contents (out, &contents[i], &lengths[i], NULL));
    }
  g_assert_cmpmem (contents[0], lengths[0], contents[1], lengths[1]);
  g_free (contents[0]);
  g_free (contents[1]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sonde/cli-timeline/png", Fixture, NULL, fixture_set_up, test_png, fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/svg", Fixture, NULL, fixture_set_up, test_svg, fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/problem-visible", Fixture, NULL, fixture_set_up,
              test_problem_visible, fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/broken", Fixture, NULL, fixture_set_up, test_broken,
              fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/unwritable", Fixture, NULL, fixture_set_up, test_unwritable,
              fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/range-outside", Fixture, NULL, fixture_set_up, test_range_outside,
              fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/time-steps-back", Fixture, NULL, fixture_set_up,
              test_time_steps_back, fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/no-password", Fixture, NULL, fixture_set_up, test_no_password,
              fixture_tear_down);
  g_test_add ("/sonde/cli-timeline/usage", Fixture, NULL, fixture_set_up, test_usage,
              fixture_tear_down);

  return g_test_run ();
}

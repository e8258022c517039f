/* test-recording-loader.c: recordings and HAR files read into a log on a worker thread, and saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-demo.h"
#include "sonde-enums.h"
#include "sonde-error.h"
#include "sonde-har.h"
#include "sonde-recording-loader.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-save.h"
#include "sonde-test-util.h"

#define WAIT_MS 20000

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

/* The demo recording, copied to @dir so that it is a file like any other. */
static char *
write_demo (const char *dir)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "demo.jsonl", NULL);

  stream = sonde_demo_open_stream (&error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  return path;
}

/* Every entry of @path read the plain way, for comparison. */
static SondeEventLog *
read_plainly (const char  *path,
              GDateTime  **started_at)
{
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  SondeEventLog *log = sonde_event_log_new ();

  reader = sonde_recording_reader_new_for_path (path, &error);
  g_assert_no_error (error);
  sonde_event_log_set_started_at (log, sonde_recording_reader_get_header (reader)->started_at);
  if (started_at != NULL)
    *started_at = g_date_time_ref (sonde_recording_reader_get_header (reader)->started_at);
  sonde_recording_reader_load (reader, log, NULL);

  return log;
}

static void
assert_logs_equal (SondeEventLog *a,
                   SondeEventLog *b)
{
  guint64 n = sonde_event_log_get_n_entries (a);

  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (sonde_event_log_get_n_entries (b), ==, n);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView x, y;

      g_assert_true (sonde_event_log_get_view (a, i, &x));
      g_assert_true (sonde_event_log_get_view (b, i, &y));
      g_assert_cmpuint (x.seq, ==, y.seq);
      g_assert_cmpint (x.time_us, ==, y.time_us);
      g_assert_cmpint (x.direction, ==, y.direction);
      g_assert_cmpint (x.kind, ==, y.kind);
      g_assert_cmpmem (x.id, x.id_len, y.id, y.id_len);
      g_assert_cmpmem (x.fields, x.fields_len, y.fields, y.fields_len);
      g_assert_cmpmem (x.raw, x.raw_len, y.raw, y.raw_len);
    }
}

static void
record_state (SondeRecordingLoader *loader,
              GParamSpec           *pspec,
              GArray               *states)
{
  SondeLoaderState state = sonde_recording_loader_get_state (loader);

  g_array_append_val (states, state);
}

static SondeRecordingLoader *
load (const char *path,
      GArray     *states)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SondeRecordingLoader *loader = sonde_recording_loader_new (file);

  if (states != NULL)
    g_signal_connect (loader, "notify::state", G_CALLBACK (record_state), states);
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_OPENING);
  sonde_recording_loader_start (loader);

  return loader;
}

static gboolean
loader_finished (gpointer data)
{
  return sonde_recording_loader_get_finished (data);
}

static gboolean
loader_settled (gpointer data)
{
  return sonde_recording_loader_get_finished (data) ||
         sonde_recording_loader_get_state (data) == SONDE_LOADER_CHOOSING;
}

static void
test_new (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent");
  SondeRecordingLoader *loader = sonde_recording_loader_new (file);

  g_assert_true (sonde_recording_loader_get_file (loader) == file);
  g_assert_true (SONDE_IS_EVENT_LOG (sonde_recording_loader_get_log (loader)));
  g_assert_cmpfloat (sonde_recording_loader_get_fraction (loader), ==, -1.0);
  g_assert_false (sonde_recording_loader_get_finished (loader));
  g_assert_finalize_object (loader);
}

/* A whole recording arrives with the header's start, in order, as the plain reader reads it. */
static void
test_recording (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-loader-XXXXXX");
  g_autofree char *path = write_demo (dir);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (SondeLoaderState));
  g_autoptr(GDateTime) started_at = NULL;
  g_autoptr(SondeEventLog) expected = read_plainly (path, &started_at);
  SondeRecordingLoader *loader = load (path, states);
  SondeEventLog *log = sonde_recording_loader_get_log (loader);
  guint n_items = 0;

  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));

  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, SondeLoaderState, 0), ==, SONDE_LOADER_LOADING);
  g_assert_cmpint (g_array_index (states, SondeLoaderState, 1), ==, SONDE_LOADER_DONE);
  g_assert_false (sonde_recording_loader_get_is_har (loader));
  g_assert_cmpint (sonde_recording_loader_get_transport (loader), ==, SONDE_TRANSPORT_SSE);
  g_assert_cmpstr (sonde_recording_loader_get_url (loader), ==,
                   "https://demo.sonde.invalid/prices");
  g_assert_cmpfloat (sonde_recording_loader_get_fraction (loader), ==, 1.0);
  g_assert_null (sonde_recording_loader_get_error (loader));
  g_assert_null (sonde_recording_loader_get_warning (loader));
  g_assert_true (g_date_time_equal (sonde_event_log_get_started_at (log), started_at));

  /* By the time it says done, the rows are in the model too. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n_items, ==, sonde_event_log_get_n_entries (expected));
  assert_logs_equal (expected, log);

  /* Cancelling a finished load changes nothing. */
  sonde_recording_loader_cancel (loader);
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);

  g_assert_finalize_object (loader);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* A last line cut off while it was written: everything before it, and a warning. */
static void
test_truncated (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-loader-XXXXXX");
  g_autofree char *path = write_demo (dir);
  g_autofree char *contents = NULL;
  g_autoptr(SondeEventLog) whole = read_plainly (path, NULL);
  SondeRecordingLoader *loader;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* Half of the last line goes. */
  len -= 60;
  g_assert_true (g_file_set_contents (path, contents, (gssize)len, NULL));

  loader = load (path, NULL);
  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);
  g_assert_nonnull (sonde_recording_loader_get_warning (loader));
  g_assert_nonnull (strstr (sonde_recording_loader_get_warning (loader), "Line 760"));
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_recording_loader_get_log (loader)), ==,
                    sonde_event_log_get_n_entries (whole) - 1);

  g_assert_finalize_object (loader);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* A broken line stops the load there; the error names it, and what came before stays. */
static void
test_broken (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-loader-XXXXXX");
  g_autofree char *path = write_demo (dir);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *broken = NULL;
  SondeRecordingLoader *loader;
  const GError *error;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_free (lines[99]);
  lines[99] = g_strdup ("{\"seq\":98,\"t\":1.0,\"dir\":\"in\" \"kind\":\"sse\"}");
  broken = g_strjoinv ("\n", lines);
  g_assert_true (g_file_set_contents (path, broken, -1, NULL));

  loader = load (path, NULL);
  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_FAILED);
  error = sonde_recording_loader_get_error (loader);
  g_assert_error ((GError *)error, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING);
  g_assert_nonnull (strstr (error->message, "Line 100"));
  /* Line 1 is the header: lines 2 to 99 are entries 0 to 97. */
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_recording_loader_get_log (loader)), ==,
                    98);

  g_assert_finalize_object (loader);
  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

static void
assert_fails (const char *path,
              GQuark      domain,
              int         code,
              const char *part)
{
  SondeRecordingLoader *loader = load (path, NULL);
  const GError *error;

  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_FAILED);
  error = sonde_recording_loader_get_error (loader);
  g_assert_error ((GError *)error, domain, code);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” is not in “%s”", part, error->message);
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_recording_loader_get_log (loader)), ==, 0);
  g_assert_finalize_object (loader);
}

static void
test_not_recordings (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-loader-XXXXXX");
  g_autofree char *missing = g_build_filename (dir, "missing.jsonl", NULL);
  g_autofree char *headless = g_build_filename (dir, "headless.jsonl", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.jsonl", NULL);
  g_autofree char *not_json = data_path ("har-broken-not-json.har");

  g_assert_true (g_file_set_contents (headless, "{\"seq\":0,\"t\":0,\"dir\":\"in\",\"kind\":\"sse\"}\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (text, "Shopping list\n", -1, NULL));
  g_assert_true (g_file_set_contents (newer, "{\"format\":\"sonde-recording\",\"version\":2,"
                                      "\"transport\":\"sse\",\"url\":\"http://x/\","
                                      "\"started_at\":\"2026-01-01T00:00:00.000Z\"}\n", -1, NULL));

  assert_fails (missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "missing.jsonl");
  assert_fails (headless, SONDE_ERROR, SONDE_ERROR_BAD_RECORDING, "Line 1");
  assert_fails (text, SONDE_ERROR, SONDE_ERROR_NOT_HAR, "Neither a Sonde recording nor a HAR");
  assert_fails (newer, SONDE_ERROR, SONDE_ERROR_NEWER_RECORDING, "version 2");
  assert_fails (not_json, SONDE_ERROR, SONDE_ERROR_NOT_HAR, "invalid JSON");

  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* Cancelled before the main loop ever ran: the worker stops at the header hand-over. */
static void
test_cancel (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-loader-XXXXXX");
  g_autofree char *path = write_demo (dir);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (SondeLoaderState));
  SondeRecordingLoader *loader = load (path, states);

  sonde_recording_loader_cancel (loader);
  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_CANCELLED);
  g_assert_null (sonde_recording_loader_get_error (loader));
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_recording_loader_get_log (loader)), ==, 0);

  g_assert_finalize_object (loader);

  /* And one dropped while it reads: disposing stops and joins the thread. */
  loader = load (path, NULL);
  g_assert_finalize_object (loader);

  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

/* A HAR file with one stream opens it, as sonde convert imports it. */
static void
test_har_single (void)
{
  g_autofree char *path = data_path ("har-chrome-single.har");
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(SondeHarSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SondeRecordingLoader *loader;
  guint index;

  har = sonde_har_new_for_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_har_select (har, -1, NULL, &index, &error));
  session = sonde_har_import (har, index, FALSE, &error);
  g_assert_no_error (error);

  loader = load (path, NULL);
  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);
  g_assert_true (sonde_recording_loader_get_is_har (loader));
  g_assert_cmpint (sonde_recording_loader_get_transport (loader), ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_cmpstr (sonde_recording_loader_get_url (loader), ==, session->url);
  g_assert_true (g_date_time_equal (sonde_event_log_get_started_at
                                      (sonde_recording_loader_get_log (loader)),
                                    session->started_at));
  assert_logs_equal (session->log, sonde_recording_loader_get_log (loader));

  g_assert_finalize_object (loader);
}

/* Several streams: the loader waits for a choice, and a second loader takes another. */
static void
test_har_several (void)
{
  g_autofree char *path = data_path ("har-several.har");
  SondeRecordingLoader *loader = load (path, NULL);
  SondeRecordingLoader *second;
  const SondeHarCandidate *candidates;
  guint n = 0;
  guint n_streams = 0;
  guint first = G_MAXUINT;
  guint other = G_MAXUINT;

  g_assert_true (sonde_test_wait_until (loader_settled, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_CHOOSING);
  g_assert_true (sonde_recording_loader_get_is_har (loader));
  candidates = sonde_recording_loader_get_candidates (loader, &n);
  for (guint i = 0; i < n; i++)
    {
      if (candidates[i].n_messages == 0)
        continue;
      n_streams++;
      if (first == G_MAXUINT)
        first = candidates[i].index;
      else if (candidates[i].transport == SONDE_TRANSPORT_SSE)
        other = candidates[i].index;
    }
  g_assert_cmpuint (n_streams, ==, 3);
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (other, ==, 5);

  second = sonde_recording_loader_new_for_har_entry (loader, other);
  sonde_recording_loader_start (second);
  sonde_recording_loader_choose (loader, first);
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_OPENING);

  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_true (sonde_test_wait_until (loader_finished, second, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);
  g_assert_cmpint (sonde_recording_loader_get_state (second), ==, SONDE_LOADER_DONE);
  g_assert_cmpstr (sonde_recording_loader_get_url (loader), ==,
                   "wss://app.example.com/socket/chat");
  g_assert_cmpint (sonde_recording_loader_get_transport (second), ==, SONDE_TRANSPORT_SSE);
  g_assert_cmpstr (sonde_recording_loader_get_url (second), ==, "https://app.example.com/events");
  /* An open entry, then the messages. */
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_recording_loader_get_log (loader)), ==, 4);
  g_assert_cmpuint (sonde_event_log_get_n_entries (sonde_recording_loader_get_log (second)), ==, 3);

  g_assert_finalize_object (loader);
  g_assert_finalize_object (second);

  /* Cancelling the choice ends the load with nothing in it. */
  loader = load (path, NULL);
  g_assert_true (sonde_test_wait_until (loader_settled, loader, WAIT_MS));
  sonde_recording_loader_cancel (loader);
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_CANCELLED);
  g_assert_finalize_object (loader);
}

typedef struct
{
  GError   *error;
  gboolean  done;
} SaveResult;

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveResult *save_result = user_data;
  guint64 n = 0;

  if (sonde_recording_save_finish (result, &n, &save_result->error))
    g_assert_cmpuint (n, >, 0);
  else
    g_assert_nonnull (save_result->error);
  save_result->done = TRUE;
}

/* Waits for a save; returns its error. */
static GError *
save (SondeEventLog   *log,
      SondeSaveFormat  format,
      const char      *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SaveResult result = { NULL, FALSE };

  sonde_recording_save_async (log, G_MAXUINT64, SONDE_TRANSPORT_SSE,
                              "https://demo.sonde.invalid/prices", format, file, NULL, saved_cb,
                              &result);
  SONDE_TEST_WAIT_UNTIL (result.done, WAIT_MS);

  return result.error;
}

/* Saving, then opening again, gives the same entries byte for byte and the same start. */
static void
test_save_round_trip (void)
{
  g_autofree char *dir = sonde_test_tmp_dir_new ("sonde-loader-XXXXXX");
  g_autofree char *path = write_demo (dir);
  g_autofree char *copy = g_build_filename (dir, "copy.jsonl", NULL);
  g_autofree char *again = g_build_filename (dir, "again.jsonl", NULL);
  g_autofree char *har = g_build_filename (dir, "copy.har", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no", "such", "folder.jsonl", NULL);
  g_autoptr(GDateTime) started_at = NULL;
  g_autoptr(SondeEventLog) original = read_plainly (path, &started_at);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) listing = NULL;
  SondeRecordingLoader *loader;
  GError *error;
  guint n_files = 0;

  /* The log that was read carries the file's start when it is saved. */
  g_assert_true (g_date_time_equal (sonde_event_log_get_started_at (original), started_at));

  error = save (original, SONDE_SAVE_RECORDING, copy);
  g_assert_no_error (error);
  loader = load (copy, NULL);
  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);
  assert_logs_equal (original, sonde_recording_loader_get_log (loader));
  g_assert_true (g_date_time_equal (sonde_event_log_get_started_at
                                      (sonde_recording_loader_get_log (loader)), started_at));

  /* What was opened saves to the same bytes again. */
  error = save (sonde_recording_loader_get_log (loader), SONDE_SAVE_RECORDING, again);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (copy, &before, NULL, NULL));
  g_assert_true (g_file_get_contents (again, &after, NULL, NULL));
  g_assert_cmpuint (strlen (before), >, 100000);
  g_assert_true (g_str_equal (before, after));
  g_assert_finalize_object (loader);

  /* As HAR: an SSE stream that opens again with its events. */
  error = save (original, SONDE_SAVE_HAR, har);
  g_assert_no_error (error);
  loader = load (har, NULL);
  g_assert_true (sonde_test_wait_until (loader_finished, loader, WAIT_MS));
  g_assert_cmpint (sonde_recording_loader_get_state (loader), ==, SONDE_LOADER_DONE);
  g_assert_true (sonde_recording_loader_get_is_har (loader));
  g_assert_cmpint (sonde_recording_loader_get_transport (loader), ==, SONDE_TRANSPORT_SSE);
  g_assert_cmpuint (sonde_test_count_entries (sonde_recording_loader_get_log (loader),
                                              SONDE_ENTRY_SSE, -1), ==,
                    sonde_test_count_entries (original, SONDE_ENTRY_SSE, -1));
  g_assert_finalize_object (loader);

  /* A save that cannot be written says where, and leaves nothing behind. */
  error = save (original, SONDE_SAVE_RECORDING, nowhere);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "folder.jsonl"));
  g_clear_error (&error);

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 4);

  sonde_test_tmp_dir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/recording-loader/new", test_new);
  g_test_add_func ("/sonde/recording-loader/recording", test_recording);
  g_test_add_func ("/sonde/recording-loader/truncated", test_truncated);
  g_test_add_func ("/sonde/recording-loader/broken", test_broken);
  g_test_add_func ("/sonde/recording-loader/not-recordings", test_not_recordings);
  g_test_add_func ("/sonde/recording-loader/cancel", test_cancel);
  g_test_add_func ("/sonde/recording-loader/har-single", test_har_single);
  g_test_add_func ("/sonde/recording-loader/har-several", test_har_several);
  g_test_add_func ("/sonde/recording-loader/save-round-trip", test_save_round_trip);

  return g_test_run ();
}

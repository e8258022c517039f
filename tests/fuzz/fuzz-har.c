/* fuzz-har.c: libFuzzer target for HAR import, export and the sniffer that tells a HAR from a recording
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, then the text of a HAR file.
 * Settings: bit 0 keeps credentials; bits 1-2 are how many candidate
 * entries to import at most (1 to 4).
 *
 * Aborts when an error is not Sonde's with a sentence in UTF-8, when an
 * imported session does not hold an open entry and one entry per message,
 * when a session written as a recording does not read back as the same
 * entries, and when export and import are not a fixed point after one round:
 * the HAR exported from a recording, imported and exported again, must be
 * the same text.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-error.h"
#include "sonde-har.h"
#include "sonde-json.h"
#include "sonde-recording-reader.h"
#include "sonde-recording-writer.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-har: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

static void
check_error (const GError *error)
{
  CHECK (error != NULL);
  CHECK (error->domain == SONDE_ERROR);
  CHECK (error->message[0] != '\0');
  CHECK (g_utf8_validate (error->message, -1, NULL));
}

/* The session as recording text: header and entries. */
static GString *
session_to_recording (SondeHarSession *session)
{
  GString *text = g_string_new (NULL);
  g_autofree char *stamp = NULL;

  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (session->started_at);

    stamp = sonde_json_format_time (utc);
  }
  g_string_append (text, "{\"format\":\"sonde-recording\",\"version\":1,\"transport\":");
  g_string_append (text, session->transport == SONDE_TRANSPORT_SSE ? "\"sse\"" : "\"websocket\"");
  g_string_append (text, ",\"url\":");
  sonde_json_append_string (text, session->url, strlen (session->url));
  g_string_append_printf (text, ",\"started_at\":\"%s\"}\n", stamp);
  for (guint64 i = 0; i < sonde_event_log_get_n_entries (session->log); i++)
    {
      SondeEntryView view;

      CHECK (sonde_event_log_get_view (session->log, i, &view));
      sonde_recording_format_entry (text, &view);
    }
  return text;
}

/* Reads a recording's text back and exports it, or NULL with what the
 * reader said. */
static char *
export_text (const GString *recording,
             gboolean       keep_credentials,
             guint64       *n_entries)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (recording->str, recording->len, NULL);
  g_autoptr(SondeRecordingReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  CHECK (sonde_har_data_is_recording (recording->str, recording->len));
  reader = sonde_recording_reader_new_for_stream (stream, "fuzz", &error);
  if (reader == NULL)
    FAIL ("the recording written from a session does not open: %s", error->message);
  text = sonde_har_export (reader, keep_credentials, NULL, &error);
  if (text == NULL)
    FAIL ("the recording written from a session does not export: %s", error->message);
  *n_entries = sonde_recording_reader_get_line (reader);
  return text;
}

/* Imports the one candidate of an exported HAR. */
static SondeHarSession *
import_exported (const char *text,
                 gboolean    keep_credentials)
{
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(GError) error = NULL;
  const SondeHarCandidate *candidates;
  SondeHarSession *session;
  guint n;

  har = sonde_har_new_for_data (text, -1, &error);
  if (har == NULL)
    FAIL ("an exported HAR does not read: %s\n%s", error->message, text);
  candidates = sonde_har_get_candidates (har, &n);
  CHECK (n == 1);
  session = sonde_har_import (har, candidates[0].index, keep_credentials, &error);
  if (session == NULL)
    FAIL ("an exported HAR does not import: %s\n%s", error->message, text);
  return session;
}

static void
round_trip (SondeHarSession *session,
            guint            n_messages,
            gboolean         keep_credentials)
{
  g_autoptr(GString) recording = session_to_recording (session);
  g_autoptr(GString) again_recording = NULL;
  g_autoptr(SondeHarSession) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint64 lines;

  first = export_text (recording, keep_credentials, &lines);
  /* The header line, the open entry, a line per message. */
  CHECK (lines == 2 + (guint64)n_messages);

  again = import_exported (first, keep_credentials);
  CHECK (sonde_event_log_get_n_entries (again->log) == 1 + (guint64)n_messages);
  again_recording = session_to_recording (again);
  second = export_text (again_recording, keep_credentials, &lines);
  if (!g_str_equal (first, second))
    FAIL ("export and import are no fixed point:\n%s\n----\n%s", first, second);
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  g_autoptr(SondeHar) har = NULL;
  g_autoptr(GError) error = NULL;
  const SondeHarCandidate *candidates;
  const char *text;
  gboolean keep_credentials;
  guint max_imports;
  guint n;

  if (size < 1)
    return 0;
  keep_credentials = input[0] & 1;
  max_imports = 1 + ((input[0] >> 1) & 3);
  text = (const char *)input + 1;

  (void)sonde_har_data_is_recording (text, size - 1);

  har = sonde_har_new_for_data (text, (gssize)(size - 1), &error);
  if (har == NULL)
    {
      check_error (error);
      return 0;
    }

  candidates = sonde_har_get_candidates (har, &n);
  for (guint i = 0; i < n && i < max_imports; i++)
    {
      g_autoptr(SondeHarSession) session = NULL;
      g_autoptr(GError) import_error = NULL;

      CHECK (candidates[i].index < sonde_har_get_n_entries (har));
      session = sonde_har_import (har, candidates[i].index, keep_credentials, &import_error);
      if (session == NULL)
        {
          check_error (import_error);
          continue;
        }
      CHECK (session->transport == candidates[i].transport);
      CHECK (sonde_event_log_get_n_entries (session->log) == 1 + (guint64)candidates[i].n_messages);
      round_trip (session, candidates[i].n_messages, keep_credentials);
    }

  return 0;
}

/* test-event-log.c: the packed, append-only event log and its list model face
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-event-log.h"
#include "sonde-recording-writer.h"
#include "sonde-test-util.h"

typedef struct
{
  guint   emissions;
  guint   last_position;
  guint   last_added;
  guint   total_added;
} ChangeCount;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ChangeCount *count = user_data;

  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (position, ==, count->total_added);
  count->emissions++;
  count->last_position = position;
  count->last_added = added;
  count->total_added += added;
}

static void
append_text (SondeEventLog *log,
             SondeEntryKind kind,
             const char    *id,
             const char    *fields,
             const char    *raw)
{
  sonde_event_log_append (log, sonde_event_log_now (log), SONDE_DIRECTION_IN, kind,
                          id, id != NULL ? strlen (id) : 0,
                          fields, fields != NULL ? strlen (fields) : 0,
                          (const guint8 *)raw, raw != NULL ? strlen (raw) : 0);
}

static void
test_create_destroy (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  g_assert_true (G_IS_LIST_MODEL (log));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == SONDE_TYPE_ENTRY);
  g_assert_nonnull (sonde_event_log_get_started_at (log));
  g_assert_finalize_object (log);
}

static void
test_entry_create_destroy (void)
{
  SondeEventLog *log = sonde_event_log_new ();
  SondeEntry *entry;
  g_autoptr(GBytes) raw = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  append_text (log, SONDE_ENTRY_SSE, "7", NULL, "event: tick\ndata: a\ndata: b\n\n");
  entry = sonde_entry_new (log, 0);
  g_assert_nonnull (entry);
  g_assert_cmpuint (sonde_entry_get_seq (entry), ==, 0);
  g_assert_cmpint (sonde_entry_get_kind (entry), ==, SONDE_ENTRY_SSE);
  g_assert_cmpint (sonde_entry_get_direction (entry), ==, SONDE_DIRECTION_IN);
  g_assert_cmpfloat (sonde_entry_get_time (entry), >=, 0.0);

  raw = sonde_entry_get_raw (entry);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                   "event: tick\ndata: a\ndata: b\n\n", 29);
  data = sonde_entry_dup_data (entry, &len);
  g_assert_cmpstr (data, ==, "a\nb");
  g_assert_cmpuint (len, ==, 3);

  /* The entry keeps the log alive for as long as its bytes are in use. */
  g_object_unref (log);
  g_clear_pointer (&raw, g_bytes_unref);
  g_assert_finalize_object (entry);
}

static void
test_views (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  SondeEntryView view;

  append_text (log, SONDE_ENTRY_OPEN, NULL, "\"status\":200", NULL);
  append_text (log, SONDE_ENTRY_SSE, "41", NULL, "id: 41\ndata: x\n\n");
  append_text (log, SONDE_ENTRY_COMMENT, NULL, NULL, ": heartbeat\n");
  sonde_event_log_append (log, 1234567, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT,
                          NULL, 0, "\"delay_ms\":3000,\"attempt\":1", 27, NULL, 0);

  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, 4);

  g_assert_true (sonde_event_log_get_view (log, 0, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_OPEN);
  g_assert_cmpmem (view.fields, view.fields_len, "\"status\":200", 12);
  g_assert_cmpuint (view.raw_len, ==, 0);
  g_assert_cmpuint (view.id_len, ==, 0);

  g_assert_true (sonde_event_log_get_view (log, 1, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
  g_assert_cmpmem (view.id, view.id_len, "41", 2);
  g_assert_cmpmem (view.raw, view.raw_len, "id: 41\ndata: x\n\n", 16);
  g_assert_cmpuint (view.fields_len, ==, 0);

  g_assert_true (sonde_event_log_get_view (log, 2, &view));
  {
    g_autofree char *text = sonde_entry_view_dup_data (&view, NULL, NULL);

    g_assert_cmpstr (text, ==, " heartbeat");
  }

  g_assert_true (sonde_event_log_get_view (log, 3, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_RECONNECT);
  g_assert_cmpint (view.direction, ==, SONDE_DIRECTION_LOCAL);
  g_assert_cmpint (view.time_us, ==, 1234567);
  g_assert_cmpuint (view.seq, ==, 3);

  g_assert_false (sonde_event_log_get_view (log, 4, &view));
  g_assert_cmpuint (sonde_event_log_get_raw_size (log), ==, 16 + 12);
}

/* Entries made by hand with raw bytes that hold no whole event still format as a line. */
static void
test_format_without_event (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(GString) line = g_string_new (NULL);
  SondeEntryView view;

  append_text (log, SONDE_ENTRY_SSE, "9", NULL, "data: no blank line");
  append_text (log, SONDE_ENTRY_COMMENT, NULL, NULL, "not a comment\n");
  g_assert_true (sonde_event_log_get_view (log, 0, &view));
  sonde_recording_format_entry (line, &view);
  g_assert_nonnull (strstr (line->str, "\"event\":\"message\",\"data\":\"\",\"id\":\"9\""));
  g_assert_true (sonde_event_log_get_view (log, 1, &view));
  sonde_recording_format_entry (line, &view);
  g_assert_nonnull (strstr (line->str, "\"text\":\"\""));
}

/* Thousands of appends in one main-loop turn are one items-changed. */
static void
test_coalesced_notify (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  ChangeCount count = { 0 };
  g_autoptr(GObject) item = NULL;

  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), &count);

  for (guint i = 0; i < 5000; i++)
    append_text (log, SONDE_ENTRY_SSE, "1", NULL, "data: x\n\n");

  /* Not published before the main loop runs: the model stays consistent. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 0));

  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count.emissions, ==, 1);
  g_assert_cmpuint (count.last_position, ==, 0);
  g_assert_cmpuint (count.last_added, ==, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 5000);

  /* Nothing new, nothing emitted. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count.emissions, ==, 1);

  append_text (log, SONDE_ENTRY_SSE, "2", NULL, "data: y\n\n");
  append_text (log, SONDE_ENTRY_SSE, "3", NULL, "data: z\n\n");
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count.emissions, ==, 2);
  g_assert_cmpuint (count.last_position, ==, 5000);
  g_assert_cmpuint (count.last_added, ==, 2);

  item = g_list_model_get_item (G_LIST_MODEL (log), 5001);
  g_assert_true (SONDE_IS_ENTRY (item));
  g_assert_cmpuint (sonde_entry_get_seq (SONDE_ENTRY (item)), ==, 5001);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 5002));

  /* flush_notify publishes at once, without the main loop. */
  append_text (log, SONDE_ENTRY_SSE, "4", NULL, "data: w\n\n");
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (count.emissions, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 5003);
}

/* A notify interval spaces the items-changed: the second comes no sooner
 * than the interval after the first (only ever later on a loaded machine),
 * and nothing appended is lost meanwhile. */
static void
test_notify_interval (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  ChangeCount count = { 0 };
  const gint64 interval = 300 * 1000;
  gint64 first;
  gint64 deadline;

  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), &count);
  sonde_event_log_set_notify_interval (log, interval);

  append_text (log, SONDE_ENTRY_SSE, "1", NULL, "data: x\n\n");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count.emissions < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count.emissions, ==, 1);
  first = g_get_monotonic_time ();

  append_text (log, SONDE_ENTRY_SSE, "2", NULL, "data: y\n\n");
  g_main_context_iteration (NULL, FALSE);
  append_text (log, SONDE_ENTRY_SSE, "3", NULL, "data: z\n\n");
  while (count.emissions < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count.emissions, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - first, >=, interval - interval / 10);
  g_assert_cmpuint (count.last_added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);

  /* Back to 0: the next one comes on the next turn of the loop. */
  sonde_event_log_set_notify_interval (log, 0);
  append_text (log, SONDE_ENTRY_SSE, "4", NULL, "data: w\n\n");
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count.emissions, ==, 3);
}

/* Entries bigger than a block, and enough entries to fill many blocks and index pages. */
static void
test_many_and_large (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  gsize big_len = 9 * 1024 * 1024;
  g_autofree guint8 *big = g_malloc (big_len);
  SondeEntryView view;
  const guint n = 300000;

  for (gsize i = 0; i < big_len; i++)
    big[i] = (guint8)(i * 7);

  for (guint i = 0; i < n; i++)
    {
      char id[16];
      char raw[32];
      int id_len = g_snprintf (id, sizeof id, "%u", i);
      int raw_len = g_snprintf (raw, sizeof raw, "id: %u\ndata: %u\n\n", i, i * 3);

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len, NULL, 0,
                              (const guint8 *)raw, raw_len);
      if (i == 1000)
        sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL, 0, NULL, 0,
                                big, big_len);
    }

  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, n + 1);

  g_assert_true (sonde_event_log_get_view (log, 1001, &view));
  g_assert_cmpint (view.kind, ==, SONDE_ENTRY_BINARY);
  g_assert_cmpuint (view.raw_len, ==, big_len);
  g_assert_true (memcmp (view.raw, big, big_len) == 0);

  for (guint seq = 0; seq <= n; seq += 997)
    {
      guint i = seq <= 1000 ? seq : seq - 1;
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_autofree char *data = NULL;

      if (seq == 1001)
        continue;
      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      g_assert_cmpint (view.kind, ==, SONDE_ENTRY_SSE);
      g_assert_cmpmem (view.id, view.id_len, id, strlen (id));
      g_assert_cmpint (view.time_us, ==, i);
      data = sonde_entry_view_dup_data (&view, NULL, NULL);
      g_assert_cmpuint (g_ascii_strtoull (data, NULL, 10), ==, (guint64)i * 3);
    }

  /* Overhead beyond the raw bytes stays small even with the index. */
  g_assert_cmpuint ((sonde_event_log_get_memory_size (log) - sonde_event_log_get_raw_size (log)) / n,
                    <, 64);
}

/* Each entry's brief (its record's header) says what its view says, for ids
 * and fields whose lengths take one varint byte or more, raw bytes from none
 * to a block of their own, and batches across index pages. */
static void
test_briefs (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  static const gsize lengths[] = { 0, 1, 127, 128, 300 };
  gsize big_len = 5 * 1024 * 1024;
  g_autofree char *text = g_malloc (big_len);
  SondeEntryBrief briefs[7];
  guint64 n;
  guint64 seq;
  guint got;

  memset (text, 'x', big_len);
  for (guint i = 0; i < 70001; i++)
    {
      gsize n_lengths = G_N_ELEMENTS (lengths);
      gsize id_len = i == 30000 ? 20000 : lengths[i % n_lengths];
      gsize fields_len = i == 30001 ? 20000 : lengths[(i / n_lengths) % n_lengths];
      gsize raw_len = i == 40000 ? big_len : (i * 37) % 700;

      sonde_event_log_append (log, (gint64)i * 1000 - (i % 5 == 0 ? 7000 : 0),
                              (SondeDirection)(i % 3), (SondeEntryKind)(i % SONDE_ENTRY_N_KINDS),
                              text, id_len, text, fields_len, (const guint8 *)text, raw_len);
    }

  n = sonde_event_log_get_n_entries (log);
  for (seq = 0;
       (got = sonde_event_log_read_briefs (log, seq, briefs, G_N_ELEMENTS (briefs))) > 0;
       seq += got)
    for (guint i = 0; i < got; i++)
      {
        SondeEntryView view;

        g_assert_true (sonde_event_log_get_view (log, seq + i, &view));
        g_assert_cmpint (briefs[i].time_us, ==, view.time_us);
        g_assert_cmpuint (briefs[i].raw_len, ==, view.raw_len);
        g_assert_cmpuint (briefs[i].kind, ==, view.kind);
        g_assert_cmpuint (briefs[i].direction, ==, view.direction);
        g_assert_cmpuint (briefs[i].has_fields, ==, view.fields_len > 0);
        g_assert_cmpuint (view.raw_len, ==, seq + i == 40000 ? big_len : ((seq + i) * 37) % 700);
      }
  /* The last batch was short, and nothing is read past the end. */
  g_assert_cmpuint (seq, ==, n);
  g_assert_cmpuint (n % G_N_ELEMENTS (briefs), !=, 0);
  g_assert_cmpuint (sonde_event_log_read_briefs (log, n, briefs, G_N_ELEMENTS (briefs)), ==, 0);
}

/* The index's tags say what the records' headers say, and mark where a
 * tick starts; records after one larger than a block are still found. */
static void
test_tags (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  static const gsize raw_lens[] = { 0, 5, SONDE_ENTRY_TAG_RAW_MAX - 1, SONDE_ENTRY_TAG_RAW_MAX,
                                    SONDE_ENTRY_TAG_RAW_MAX + 1, 5 * 1024 * 1024, 12, 3 };
  gsize big_len = 5 * 1024 * 1024;
  g_autofree guint8 *raw = g_malloc (big_len);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 t = 1000;
  guint64 n;
  guint64 seq = 0;

  for (gsize i = 0; i < big_len; i++)
    raw[i] = (guint8)(i * 7);
  for (guint i = 0; i < 140000; i++)
    {
      gsize raw_len = i < G_N_ELEMENTS (raw_lens) * 10 && i % 10 == 0 ? raw_lens[i / 10] : i % 90;

      /* Mostly a few microseconds on; sometimes the next tick or far on,
       * sometimes back within the tick or further, and some ties. */
      switch (g_test_rand_int_range (0, 40))
        {
        case 0: t += SONDE_ENTRY_TICK_US; break;
        case 1: t += 50 * SONDE_ENTRY_TICK_US + 3; break;
        case 2: t -= 5; break;
        case 3: t -= 3 * SONDE_ENTRY_TICK_US; break;
        case 4: break;
        default: t += g_test_rand_int_range (1, 40); break;
        }
      g_array_append_val (times, t);
      sonde_event_log_append (log, t, (SondeDirection)(i % 3), (SondeEntryKind)(i % SONDE_ENTRY_N_KINDS),
                              NULL, 0, i % 4 == 0 ? "\"a\":1" : NULL, i % 4 == 0 ? 5 : 0, raw, raw_len);
    }

  n = sonde_event_log_get_n_entries (log);
  while (seq < n)
    {
      guint n_tags;
      const SondeEntryTag *tags = sonde_event_log_peek_tags (log, seq, n, &n_tags);

      g_assert_nonnull (tags);
      g_assert_cmpuint (n_tags, >, 0);
      /* A page of the index at most, and never past the end asked for. */
      g_assert_cmpuint ((seq & 0xffff) + n_tags, <=, 0x10000);
      for (guint i = 0; i < n_tags; i++, seq++)
        {
          SondeEntryView view;
          gint64 time_us = g_array_index (times, gint64, seq);
          gboolean starts = seq == 0 ||
                            time_us < g_array_index (times, gint64, seq - 1) ||
                            time_us >> SONDE_ENTRY_TICK_SHIFT !=
                            g_array_index (times, gint64, seq - 1) >> SONDE_ENTRY_TICK_SHIFT;

          g_assert_true (sonde_event_log_get_view (log, seq, &view));
          g_assert_cmpint (view.time_us, ==, time_us);
          g_assert_cmpint (sonde_event_log_get_time (log, seq), ==, time_us);
          g_assert_cmpuint (sonde_entry_tag_starts_tick (tags[i]), ==, starts);
          g_assert_cmpuint (sonde_entry_tag_kind (tags[i]), ==, view.kind);
          g_assert_cmpuint (sonde_entry_tag_direction (tags[i]), ==, view.direction);
          g_assert_cmpuint (sonde_entry_tag_needs_look (tags[i]), ==,
                            view.fields_len > 0 || view.raw_len > SONDE_ENTRY_TAG_RAW_MAX);
          g_assert_cmpuint (sonde_entry_tag_raw_len (tags[i]), ==,
                            MIN (view.raw_len, SONDE_ENTRY_TAG_RAW_MAX));
          g_assert_true (view.raw_len == 0 || memcmp (view.raw, raw, view.raw_len) == 0);
        }
    }
  g_assert_cmpuint (seq, ==, n);
  /* An end before the log's is kept to. */
  {
    guint n_tags = 7;

    g_assert_null (sonde_event_log_peek_tags (log, n, n + 5, &n_tags));
    g_assert_cmpuint (n_tags, ==, 0);
    g_assert_nonnull (sonde_event_log_peek_tags (log, 10, 13, &n_tags));
    g_assert_cmpuint (n_tags, ==, 3);
  }
  g_assert_cmpint (sonde_event_log_get_time (log, n), ==, 0);
}

typedef struct
{
  SondeEventLog *log;
  guint          n;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;

  for (guint i = 0; i < data->n; i++)
    {
      char raw[32];
      int len = g_snprintf (raw, sizeof raw, "data: %u\n\n", i);

      sonde_event_log_append (data->log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                              (const guint8 *)raw, len);
    }

  return NULL;
}

/* One thread appends; the main thread reads and gets coalesced notifications. */
static void
test_threaded_appends (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  ChangeCount count = { 0 };
  WriterData data = { log, 200000 };
  GThread *thread;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), &count);
  thread = g_thread_new ("writer", writer_thread, &data);

  while (count.total_added < data.n && g_get_monotonic_time () < deadline)
    {
      guint64 seen = count.total_added;
      SondeEntryView view;

      g_main_context_iteration (NULL, TRUE);
      /* Every published entry reads back whole while the writer goes on. */
      if (count.total_added > seen)
        {
          g_autofree char *expected = g_strdup_printf ("data: %u\n\n", count.total_added - 1);

          g_assert_true (sonde_event_log_get_view (log, count.total_added - 1, &view));
          g_assert_cmpmem (view.raw, view.raw_len, expected, strlen (expected));
        }
    }

  g_thread_join (thread);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpuint (count.total_added, ==, data.n);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, data.n);
}

static void
test_categories (void)
{
  static const struct
  {
    SondeEntryKind      kind;
    const char         *fields;
    SondeEntryCategory  category;
  } cases[] = {
    { SONDE_ENTRY_TEXT, "\"data\":\"hello\"", SONDE_ENTRY_CATEGORY_DATA },
    { SONDE_ENTRY_SSE, "", SONDE_ENTRY_CATEGORY_DATA },
    { SONDE_ENTRY_PING, "\"data\":\"\"", SONDE_ENTRY_CATEGORY_CONTROL },
    { SONDE_ENTRY_COMMENT, "", SONDE_ENTRY_CATEGORY_CONTROL },
    { SONDE_ENTRY_RECONNECT, "\"delay_ms\":3000,\"attempt\":2", SONDE_ENTRY_CATEGORY_LIFECYCLE },
    { SONDE_ENTRY_ERROR, "\"message\":\"x\"", SONDE_ENTRY_CATEGORY_PROBLEM },
    /* A violation or lost bytes make any kind a problem... */
    { SONDE_ENTRY_TEXT, "\"data\":\"a\",\"violations\":[\"invalid-utf8\"]", SONDE_ENTRY_CATEGORY_PROBLEM },
    { SONDE_ENTRY_CLOSED, "\"discarded_bytes\":12,\"message\":\"cut\"", SONDE_ENTRY_CATEGORY_PROBLEM },
    /* ...but the same words inside a string value are only text. */
    { SONDE_ENTRY_TEXT, "\"data\":\"x,\\\"violations\\\":[1]\"", SONDE_ENTRY_CATEGORY_DATA },
    { SONDE_ENTRY_TEXT, "\"data\":\"violations\"", SONDE_ENTRY_CATEGORY_DATA },
    /* ...and so is a member of the same name in a nested object or array:
     * only the entry's own members count. */
    { SONDE_ENTRY_OPEN, "\"status\":101,\"headers\":{\"x\":\"1\",\"violations\":\"none\"}",
      SONDE_ENTRY_CATEGORY_LIFECYCLE },
    { SONDE_ENTRY_TEXT, "\"compressed\":true,\"notes\":[{\"discarded_bytes\":3}],\"data\":\"\"",
      SONDE_ENTRY_CATEGORY_DATA },
    { SONDE_ENTRY_REQUEST, "\"method\":\"GET\",\"request_headers\":{\"message\":\"hi\"},"
      "\"status\":200", SONDE_ENTRY_CATEGORY_DATA },
    { SONDE_ENTRY_REQUEST, "\"method\":\"GET\",\"request_headers\":{\"message\":\"hi\"},"
      "\"message\":\"Connection refused\"", SONDE_ENTRY_CATEGORY_PROBLEM },
  };
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  SondeEntryView nested = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeEntryView view;

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, cases[i].kind, NULL, 0,
                              cases[i].fields, strlen (cases[i].fields), NULL, 0);
      g_assert_true (sonde_event_log_get_view (log, i, &view));
      g_test_message ("case %u: %s", i, cases[i].fields);
      g_assert_cmpint (sonde_entry_view_get_category (&view), ==, cases[i].category);
    }

  nested.fields = "\"a\":{\"b\":{\"x\":0,\"purpose\":1}},"
                  "\"c\":[\"purpose\",{\"purpose\":2}],\"d\":\"\\\\\"";
  nested.fields_len = strlen (nested.fields);
  g_assert_true (sonde_entry_view_has_member (&nested, "a"));
  g_assert_true (sonde_entry_view_has_member (&nested, "c"));
  g_assert_true (sonde_entry_view_has_member (&nested, "d"));
  g_assert_false (sonde_entry_view_has_member (&nested, "b"));
  g_assert_false (sonde_entry_view_has_member (&nested, "purpose"));

  /* Where a message's data is: only its own "compressed" says so. */
  nested.fields = "\"meta\":{\"compressed\":true},\"data\":\"x\"";
  nested.fields_len = strlen (nested.fields);
  g_assert_false (sonde_entry_view_is_compressed (&nested));
  nested.fields = "\"data\":\"x\",\"compressed\":true";
  nested.fields_len = strlen (nested.fields);
  g_assert_true (sonde_entry_view_is_compressed (&nested));
}

typedef struct
{
  guint64 n_items;   /* what the model shows, by its signals alone */
  guint   removals;
} Mirror;

/* Follows the model by its signals only, and checks each against the model. */
static void
mirror_changed_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   gpointer    user_data)
{
  Mirror *mirror = user_data;

  g_assert_cmpuint (position + removed, <=, mirror->n_items);
  if (removed > 0)
    {
      /* Released entries leave from the front. */
      g_assert_cmpuint (position, ==, 0);
      mirror->removals++;
    }
  mirror->n_items = mirror->n_items - removed + added;
  g_assert_cmpuint (mirror->n_items, ==, g_list_model_get_n_items (model));
}

static void
append_sized (SondeEventLog *log,
              guint64        seq,
              gsize          raw_len)
{
  g_autofree guint8 *raw = g_malloc (raw_len);

  /* Every byte says which entry it belongs to. */
  memset (raw, (int)(seq & 0xff), raw_len);
  sonde_event_log_append (log, (gint64)seq, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, NULL, 0,
                          NULL, 0, raw, raw_len);
}

static void
assert_entry (const SondeEntryView *view,
              guint64               seq,
              gsize                 raw_len)
{
  g_assert_cmpuint (view->seq, ==, seq);
  g_assert_cmpint (view->time_us, ==, (gint64)seq);
  g_assert_cmpuint (view->raw_len, ==, raw_len);
  for (gsize i = 0; i < raw_len; i += 4093)
    g_assert_cmpuint (view->raw[i], ==, seq & 0xff);
}

/* Releasing the oldest entries: whole blocks go, the model removes them
 * from its front, sequence numbers stay, memory follows what is kept. */
static void
test_release_before (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  const gsize raw_len = 100 * 1024;   /* about 40 to a 4 MiB block */
  const guint n = 400;
  Mirror mirror = { 0 };
  SondeEntryView view;
  gsize memory_before, memory_after;
  guint64 first;

  g_signal_connect (log, "items-changed", G_CALLBACK (mirror_changed_cb), &mirror);
  for (guint64 i = 0; i < n; i++)
    append_sized (log, i, raw_len);
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (mirror.n_items, ==, n);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, 0);
  memory_before = sonde_event_log_get_memory_size (log);
  g_assert_cmpuint (memory_before, >, n * raw_len);

  sonde_event_log_release_before (log, 250);
  /* Nothing goes before the model says so. */
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, 0);
  g_assert_true (sonde_event_log_get_view (log, 0, &view));
  sonde_event_log_flush_notify (log);

  first = sonde_event_log_get_first_seq (log);
  /* In whole blocks: some entries before 250 may stay, none after it goes. */
  g_assert_cmpuint (first, >, 150);
  g_assert_cmpuint (first, <=, 250);
  g_assert_cmpuint (mirror.removals, ==, 1);
  g_assert_cmpuint (mirror.n_items, ==, n - first);
  g_assert_false (sonde_event_log_get_view (log, 0, &view));
  g_assert_false (sonde_event_log_get_view (log, first - 1, &view));
  g_assert_true (sonde_event_log_get_view (log, first, &view));
  assert_entry (&view, first, raw_len);
  g_assert_true (sonde_event_log_get_view (log, n - 1, &view));
  assert_entry (&view, n - 1, raw_len);
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, n);
  g_assert_cmpuint (sonde_event_log_get_raw_size (log), ==, n * raw_len);
  {
    g_autoptr(SondeEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), 0);

    /* Position 0 is the first entry kept. */
    g_assert_cmpuint (sonde_entry_get_seq (entry), ==, first);
  }
  memory_after = sonde_event_log_get_memory_size (log);
  g_assert_cmpuint (memory_after, <, memory_before - (first - 1) * raw_len);
  g_assert_cmpuint (memory_after, >, (n - first) * raw_len);

  /* Appends go on with their own numbers; releasing less than is gone does nothing. */
  append_sized (log, n, raw_len);
  sonde_event_log_release_before (log, 10);
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, first);
  g_assert_cmpuint (mirror.n_items, ==, n + 1 - first);
  g_assert_true (sonde_event_log_get_view (log, n, &view));
  assert_entry (&view, n, raw_len);

  /* Taken back before it could go (its block was being written): the
   * entries stay when that block is full. */
  sonde_event_log_release_before (log, n);
  sonde_event_log_cancel_release (log);
  for (guint64 i = n + 1; i < n + 80; i++)
    append_sized (log, i, raw_len);
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), ==, first);
  g_assert_cmpuint (mirror.n_items, ==, n + 80 - first);

  /* Everything: the block being written stays. */
  sonde_event_log_release_before (log, G_MAXUINT64);
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), >, first);
  g_assert_true (sonde_event_log_get_view (log, n + 79, &view));
  assert_entry (&view, n + 79, raw_len);
  g_assert_cmpuint (sonde_event_log_get_memory_size (log), <, 2 * 4 * 1024 * 1024);
  g_assert_cmpuint (mirror.n_items, ==, n + 80 - sonde_event_log_get_first_seq (log));
}

/* A log that forgets as it goes holds a few blocks, however long it runs. */
static void
test_release_as_it_goes (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  const gsize raw_len = 1000;
  Mirror mirror = { 0 };
  gsize most = 0;

  g_signal_connect (log, "items-changed", G_CALLBACK (mirror_changed_cb), &mirror);
  /* 400 MB through the log, in rounds as a recorder writes them. */
  for (guint64 seq = 0; seq < 400000;)
    {
      for (guint i = 0; i < 1000; i++, seq++)
        append_sized (log, seq, raw_len);
      sonde_event_log_flush_notify (log);
      sonde_event_log_release_before (log, seq);
      sonde_event_log_flush_notify (log);
      most = MAX (most, sonde_event_log_get_memory_size (log));
    }
  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, 400000);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), >, 400000 - 5000);
  /* Two blocks and an index page or two, not 400 MB. */
  g_assert_cmpuint (most, <, 3 * 4 * 1024 * 1024 + 4 * 65536 * sizeof (guint64));
  g_assert_cmpuint (mirror.n_items, ==, 400000 - sonde_event_log_get_first_seq (log));
}

/* An entry object keeps its bytes after the log let go of its block, and a
 * reader between begin_read() and end_read() keeps every view it got. */
static void
test_release_keeps_what_is_held (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  const gsize raw_len = 100 * 1024;
  g_autoptr(SondeEntry) entry = NULL;
  g_autoptr(GBytes) raw = NULL;
  SondeEntryView view, held;

  for (guint64 i = 0; i < 200; i++)
    append_sized (log, i, raw_len);
  sonde_event_log_flush_notify (log);
  entry = g_list_model_get_item (G_LIST_MODEL (log), 3);
  raw = sonde_entry_get_raw (entry);

  sonde_event_log_begin_read (log);
  g_assert_true (sonde_event_log_get_view (log, 60, &held));
  sonde_event_log_release_before (log, 150);
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), >, 60);
  g_assert_false (sonde_event_log_get_view (log, 60, &view));
  /* Still readable (AddressSanitizer would say so if it were not). */
  assert_entry (&held, 60, raw_len);
  sonde_event_log_end_read (log);

  assert_entry (sonde_entry_get_view (entry), 3, raw_len);
  g_clear_object (&entry);
  /* The bytes hold the entry, which holds its block. */
  g_assert_cmpuint (g_bytes_get_size (raw), ==, raw_len);
  g_assert_cmpuint (((const guint8 *)g_bytes_get_data (raw, NULL))[raw_len - 1], ==, 3);
  g_clear_pointer (&raw, g_bytes_unref);
}

/* A live tab under an entry limit of @keep, written to from another thread. */
typedef struct
{
  SondeEventLog *log;
  guint64        keep;
  guint          n;          /* entries the writer appends */
  gsize          raw_len;
  gint           done;
  gint           ticks;      /* turns of the main thread's loop */
} LimitData;

static gpointer
limit_writer_thread (gpointer user_data)
{
  LimitData *data = user_data;

  for (guint64 seq = 0; seq < data->n; seq++)
    {
      append_sized (data->log, seq, data->raw_len);
      /* Every 4096 entries, two turns of the main thread (each applies the
       * limit) before going on, or a second at most: on a loaded machine
       * the writer would otherwise run through everything before the main
       * thread's next turn, and the test would say nothing of releasing
       * while appending. Between these points the three threads race. */
      if (seq % 4096 == 4095)
        {
          gint ticks = g_atomic_int_get (&data->ticks);
          gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

          while (g_atomic_int_get (&data->ticks) < ticks + 2 && g_get_monotonic_time () < until)
            g_usleep (100);
        }
    }
  return NULL;
}

/* Another thread reads the newest entries, inside a read section, while
 * the main thread lets the oldest go: every view it got reads whole. */
static gpointer
limit_reader_thread (gpointer user_data)
{
  LimitData *data = user_data;
  guint64 checked = 0;

  while (!g_atomic_int_get (&data->done))
    {
      guint64 n = sonde_event_log_get_n_entries (data->log);
      SondeEntryView views[64];
      guint n_views = 0;

      sonde_event_log_begin_read (data->log);
      for (guint64 seq = MAX (sonde_event_log_get_first_seq (data->log), n > 64 ? n - 64 : 0);
           seq < n && n_views < G_N_ELEMENTS (views); seq++)
        if (sonde_event_log_get_view (data->log, seq, &views[n_views]))
          n_views++;
      /* Let the main thread release meanwhile; the views must hold. */
      g_thread_yield ();
      for (guint i = 0; i < n_views; i++)
        assert_entry (&views[i], views[i].seq, data->raw_len);
      sonde_event_log_end_read (data->log);
      checked += n_views;
    }
  return GSIZE_TO_POINTER (checked);
}

/* A writer, a reader on another thread and a limit applied on the log's
 * own thread, at once: the model's signals match what it holds (a mirror
 * kept by them alone), removals come from the start, sequence numbers go
 * on, an entry object keeps its bytes, and memory stays near the limit. */
static void
test_limit_threaded (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  LimitData data = { log, 5000, 200000, 300, 0, 0 };
  g_autoptr(SondeEntry) held = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  SondeTestMirror *mirror;
  Mirror counts = { 0 };
  GThread *writer;
  GThread *reader;
  gsize most = 0;

  mirror = sonde_test_mirror_new (G_LIST_MODEL (log));
  g_signal_connect (log, "items-changed", G_CALLBACK (mirror_changed_cb), &counts);
  writer = g_thread_new ("writer", limit_writer_thread, &data);
  reader = g_thread_new ("reader", limit_reader_thread, &data);

  while (g_get_monotonic_time () < deadline &&
         (sonde_event_log_get_n_entries (log) < data.n ||
          g_list_model_get_n_items (G_LIST_MODEL (log)) + sonde_event_log_get_first_seq (log) < data.n))
    {
      guint64 first;
      SondeEntryView view;

      g_main_context_iteration (NULL, TRUE);
      sonde_event_log_keep_newest (log, data.keep);
      first = sonde_event_log_get_first_seq (log);
      /* Position 0 is the oldest kept, and nothing before it reads. */
      if (g_list_model_get_n_items (G_LIST_MODEL (log)) > 0)
        {
          g_autoptr(SondeEntry) oldest = g_list_model_get_item (G_LIST_MODEL (log), 0);

          g_assert_cmpuint (sonde_entry_get_seq (oldest), ==, first);
          assert_entry (sonde_entry_get_view (oldest), first, data.raw_len);
          if (held == NULL && first == 0)
            held = g_steal_pointer (&oldest);
        }
      g_assert_false (first > 0 && sonde_event_log_get_view (log, first - 1, &view));
      most = MAX (most, sonde_event_log_get_memory_size (log));
      g_atomic_int_inc (&data.ticks);
    }
  g_thread_join (writer);
  g_atomic_int_set (&data.done, TRUE);
  g_assert_cmpuint (GPOINTER_TO_SIZE (g_thread_join (reader)), >, 0);
  /* The last removal goes with the next items-changed. */
  sonde_event_log_keep_newest (log, data.keep);
  sonde_event_log_flush_notify (log);

  g_assert_cmpuint (sonde_event_log_get_n_entries (log), ==, data.n);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)) +
                    sonde_event_log_get_first_seq (log), ==, data.n);
  /* In whole blocks: at least the limit kept, at most a block more. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), >=, data.keep);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), <,
                    data.keep + 2 * 4 * 1024 * 1024 / data.raw_len);
  g_assert_cmpuint (counts.removals, >, 5);
  sonde_test_mirror_check (mirror);
  g_assert_cmpuint (sonde_test_mirror_removed (mirror), ==, sonde_event_log_get_first_seq (log));
  /* 200,000 entries of 300 bytes went through, 60 MB; a few blocks stay. */
  g_assert_cmpuint (most, <, 5 * 4 * 1024 * 1024);
  /* The first entry's object kept its block all along. */
  g_assert_nonnull (held);
  assert_entry (sonde_entry_get_view (held), 0, data.raw_len);
  g_clear_object (&held);
  sonde_test_mirror_free (mirror);
}

/* A compressed message's data and a side request's body are read from the
 * entry's fields by the one field reader: escapes decoded, base64 strictly. */
static void
test_data_from_fields (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  const struct { SondeEntryKind kind; const char *fields; const char *data; gsize len; } cases[] = {
    { SONDE_ENTRY_TEXT, "\"compressed\":true,\"data\":\"caf\\u00e9 \\\"x\\\"\\n\",\"size\":9",
      "caf\xc3\xa9 \"x\"\n", 10 },
    { SONDE_ENTRY_BINARY, "\"compressed\":true,\"data\":\"AAH+/w==\"", "\0\1\xfe\xff", 4 },
    /* Not base64: nothing, rather than what a lenient decoder makes of it. */
    { SONDE_ENTRY_BINARY, "\"compressed\":true,\"data\":\"AA*H\"", "", 0 },
    /* A member of a nested object is not the entry's. */
    { SONDE_ENTRY_TEXT, "\"compressed\":true,\"x\":{\"data\":\"no\"},\"data\":\"yes\"", "yes", 3 },
    { SONDE_ENTRY_REQUEST, "\"status\":200,\"body\":\"a\\tb\"", "a\tb", 3 },
    { SONDE_ENTRY_REQUEST, "\"status\":200,\"body_base64\":\"/w==\"", "\xff", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SondeEntryView view;
      g_autofree char *data = NULL;
      gsize len = G_MAXSIZE;
      guint64 seq;

      g_test_message ("case %u: %s", i, cases[i].fields);
      seq = sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, cases[i].kind, NULL, 0,
                                    cases[i].fields, strlen (cases[i].fields),
                                    (const guint8 *)"zz", 2);
      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      data = sonde_entry_view_dup_data (&view, &len, NULL);
      if (cases[i].kind == SONDE_ENTRY_REQUEST || cases[i].len > 0)
        g_assert_nonnull (data);
      if (data != NULL)
        g_assert_cmpmem (data, len, cases[i].data, cases[i].len);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/event-log/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/event-log/entry-create-destroy", test_entry_create_destroy);
  g_test_add_func ("/sonde/event-log/views", test_views);
  g_test_add_func ("/sonde/event-log/coalesced-notify", test_coalesced_notify);
  g_test_add_func ("/sonde/event-log/notify-interval", test_notify_interval);
  g_test_add_func ("/sonde/event-log/format-without-event", test_format_without_event);
  g_test_add_func ("/sonde/event-log/many-and-large", test_many_and_large);
  g_test_add_func ("/sonde/event-log/briefs", test_briefs);
  g_test_add_func ("/sonde/event-log/tags", test_tags);
  g_test_add_func ("/sonde/event-log/threaded-appends", test_threaded_appends);
  g_test_add_func ("/sonde/event-log/categories", test_categories);
  g_test_add_func ("/sonde/event-log/data-from-fields", test_data_from_fields);
  g_test_add_func ("/sonde/event-log/release-before", test_release_before);
  g_test_add_func ("/sonde/event-log/release-as-it-goes", test_release_as_it_goes);
  g_test_add_func ("/sonde/event-log/release-keeps-what-is-held", test_release_keeps_what_is_held);
  g_test_add_func ("/sonde/event-log/limit-threaded", test_limit_threaded);

  return g_test_run ();
}

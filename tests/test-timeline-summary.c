/* test-timeline-summary.c: the timeline's counts against brute force, and its band from real logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "sonde-entry.h"
#include "sonde-recording-reader.h"
#include "sonde-sse-client.h"
#include "sonde-test-util.h"
#include "sonde-timeline-summary.h"

/* Random logs */

#define TEN_WORDS "lorem ipsum dolor sit amet consectetur adipiscing elit sed do "

typedef struct
{
  gint64         time_us;
  SondeDirection direction;
  SondeEntryCategory category;
  gsize          raw_len;
} Truth;

static const char *
random_fields (GRand          *rand,
               SondeEntryKind  kind,
               char           *buffer,
               gsize           size)
{
  guint roll = g_rand_int_range (rand, 0, 100);

  if (roll < 4)
    return "\"violations\":[\"A reserved bit was set\"]";
  if (roll < 6)
    return "\"message\":\"cut\",\"discarded_bytes\":12";
  if (roll < 8)
    /* Fields longer than a one-byte length. */
    return "\"note\":\"" TEN_WORDS TEN_WORDS TEN_WORDS TEN_WORDS TEN_WORDS "\"";

  switch (kind)
    {
    case SONDE_ENTRY_OPEN:
      return g_rand_boolean (rand) ? "\"status\":200,\"request_headers\":{\"Last-Event-ID\":\"7\"}"
                                   : "\"status\":101,\"url\":\"ws://h/x\","
                                     "\"request\":\"GET /x?a=1 HTTP/1.1\"";
    case SONDE_ENTRY_RECONNECT:
      g_snprintf (buffer, size, "\"delay_ms\":%d,\"attempt\":1", g_rand_int_range (rand, 0, 5000));
      return buffer;
    case SONDE_ENTRY_RETRY:
      return "\"ms\":250";
    case SONDE_ENTRY_CLOSE:
    case SONDE_ENTRY_CLOSED:
      return g_rand_boolean (rand) ? "\"code\":1006,\"message\":\"gone\"" : "\"message\":\"ended\"";
    case SONDE_ENTRY_ERROR:
      return "\"message\":\"broken\",\"domain\":\"x\",\"code\":1";
    case SONDE_ENTRY_TEXT:
      return g_rand_int_range (rand, 0, 10) == 0 ? "\"purpose\":\"resume\"" : "";
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      return "";
    }
}

/* Appends @n entries with bursts, pauses and long gaps, in time order,
 * syncing @summary (when given) at random points, and adds what each entry
 * is to @truth. */
static void
add_random_entries (GRand                *rand,
                    SondeEventLog        *log,
                    SondeTimelineSummary *summary,
                    GArray               *truth,
                    guint                 n,
                    gint64                max_gap_us,
                    guint                 back_per_mille)
{
  gint64 t = truth->len > 0 ? g_array_index (truth, Truth, truth->len - 1).time_us
                            : g_rand_int_range (rand, 0, 2000000);
  guint8 raw[300];
  g_autofree guint8 *big_raw = g_malloc0 (SONDE_ENTRY_TAG_RAW_MAX + 2);

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = (guint8)g_rand_int (rand);

  for (guint i = 0; i < n; i++)
    {
      SondeEntryKind kind = g_rand_int_range (rand, 0, 10) < 7
                              ? (g_rand_boolean (rand) ? SONDE_ENTRY_SSE : SONDE_ENTRY_TEXT)
                              : (SondeEntryKind)g_rand_int_range (rand, 0, SONDE_ENTRY_N_KINDS);
      SondeDirection direction = g_rand_int_range (rand, 0, 10) < 7 ? SONDE_DIRECTION_IN
                                   : (SondeDirection)g_rand_int_range (rand, 0, 3);
      char buffer[64];
      const char *fields = random_fields (rand, kind, buffer, sizeof buffer);
      gsize raw_len = g_rand_int_range (rand, 0, sizeof raw);
      guint roll = g_rand_int_range (rand, 0, 1000);
      SondeEntryView view;
      Truth entry;
      guint64 seq;

      if (roll < 5)
        t += g_rand_int_range (rand, 0, (gint32)MIN (max_gap_us, G_MAXINT32));
      else if (roll < 100)
        t += g_rand_int_range (rand, 0, 100000);
      else if (roll < 600)
        t += g_rand_int_range (rand, 0, 300);
      /* else: the same microsecond as the entry before */
      /* A clock that stepped back, within a bucket or across several. */
      if (back_per_mille > 0 && g_rand_int_range (rand, 0, 1000) < (gint32)back_per_mille)
        {
          gint64 back = g_rand_int_range (rand, 1, g_rand_boolean (rand) ? 300 : 200000);

          t = MAX (0, t - back);
        }

      /* Ids of every length, one-byte and longer varints both. */
      gsize id_len = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 0, 300) : 0;

      /* Now and then one as large as the log's index says, or larger. */
      if (g_rand_int_range (rand, 0, 2000) == 0)
        raw_len = SONDE_ENTRY_TAG_RAW_MAX + g_rand_int_range (rand, 0, 3);

      seq = sonde_event_log_append (log, t, direction, kind, id_len > 0 ? (const char *)raw : NULL,
                                    id_len, fields, strlen (fields),
                                    raw_len > sizeof raw ? big_raw : raw, raw_len);
      g_assert_cmpuint (seq, ==, truth->len);
      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      entry.time_us = t;
      entry.direction = direction;
      entry.category = sonde_entry_view_get_category (&view);
      entry.raw_len = raw_len;
      g_array_append_val (truth, entry);

      if (summary != NULL && g_rand_int_range (rand, 0, 500) == 0)
        sonde_timeline_summary_sync (summary);
    }
  if (summary != NULL)
    sonde_timeline_summary_sync (summary);
}

static GArray *
fill_random_log (GRand                *rand,
                 SondeEventLog        *log,
                 SondeTimelineSummary *summary,
                 guint                 n,
                 gint64                max_gap_us,
                 guint                 back_per_mille)
{
  GArray *truth = g_array_sized_new (FALSE, FALSE, sizeof (Truth), n);

  add_random_entries (rand, log, summary, truth, n, max_gap_us, back_per_mille);
  return truth;
}

static void
count_into (SondeTimelineCounts *counts,
            const Truth         *entry,
            guint64              seq)
{
  counts->count[entry->direction][entry->category]++;
  counts->bytes[entry->direction] += entry->raw_len;
  counts->first_seq = MIN (counts->first_seq, seq);
  if (entry->category == SONDE_ENTRY_CATEGORY_PROBLEM)
    counts->first_problem_seq = MIN (counts->first_problem_seq, seq);
}

static void
assert_counts_equal (const SondeTimelineCounts *got,
                     const SondeTimelineCounts *want,
                     const char                *where)
{
  if (memcmp (got, want, sizeof *got) == 0)
    return;

  g_test_message ("%s: first %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT
                  ", problem %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT
                  ", total %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                  where, got->first_seq, want->first_seq, got->first_problem_seq,
                  want->first_problem_seq, sonde_timeline_counts_total (got),
                  sonde_timeline_counts_total (want));
  g_assert_cmpmem (got, sizeof *got, want, sizeof *want);
}

/* Every level, read with bins as wide as its buckets, equals a count of
 * every entry from @first on into those buckets. Bins are read in windows
 * around the buckets that hold entries, with empty ones on each side; long
 * quiet stretches between them are skipped. */
static void
check_levels (SondeTimelineSummary *summary,
              GArray               *truth,
              guint64               first)
{
  const guint window = 1024;

  for (guint level = 0; level < SONDE_TIMELINE_N_LEVELS; level++)
    {
      gint64 width = sonde_timeline_summary_level_width (level);
      g_autoptr(GHashTable) want = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                          g_free, g_free);
      g_autofree SondeTimelineCounts *got = g_new (SondeTimelineCounts, window);
      gint64 covered = G_MININT64;

      g_assert_cmpint (sonde_timeline_summary_level_for (width), ==, level);
      if (level + 1 < SONDE_TIMELINE_N_LEVELS)
        g_assert_cmpint (sonde_timeline_summary_level_for (width * 4 - 1), ==, level);

      for (guint i = first; i < truth->len; i++)
        {
          const Truth *entry = &g_array_index (truth, Truth, i);
          gint64 index = entry->time_us / width;
          SondeTimelineCounts *counts = g_hash_table_lookup (want, &index);

          if (counts == NULL)
            {
              counts = g_new (SondeTimelineCounts, 1);
              sonde_timeline_counts_clear (counts);
              g_hash_table_insert (want, g_memdup2 (&index, sizeof index), counts);
            }
          count_into (counts, entry, i);
        }

      for (guint i = first; i < truth->len; i++)
        {
          gint64 index = g_array_index (truth, Truth, i).time_us / width;
          gint64 from_index;

          if (index < covered)
            continue;
          from_index = index - 2;
          g_assert_cmpint (sonde_timeline_summary_fill_bins (summary, from_index * width, width,
                                                             window, 0, got), ==, width);
          for (guint b = 0; b < window; b++)
            {
              gint64 bin_index = from_index + b;
              SondeTimelineCounts *expected = g_hash_table_lookup (want, &bin_index);
              SondeTimelineCounts empty;
              g_autofree char *where = g_strdup_printf ("level %u bucket %" G_GINT64_FORMAT,
                                                        level, bin_index);

              sonde_timeline_counts_clear (&empty);
              assert_counts_equal (&got[b], expected != NULL ? expected : &empty, where);
            }
          covered = from_index + window;
        }
    }
}

/* Bins finer than level 0, read entry by entry, are exact wherever they
 * fall; entries before @first_seq count nowhere. */
static void
check_raw_bins (GRand                *rand,
                SondeTimelineSummary *summary,
                GArray               *truth,
                guint64               first_seq)
{
  const Truth *first = &g_array_index (truth, Truth, first_seq);
  const Truth *last = &g_array_index (truth, Truth, truth->len - 1);

  for (guint round = 0; round < 40; round++)
    {
      gint64 bin_us = g_rand_int_range (rand, 1, (gint32)sonde_timeline_summary_level_width (0));
      guint n_bins = g_rand_int_range (rand, 1, 400);
      gint64 from = first->time_us - bin_us * 3 +
                    (gint64)(g_rand_double (rand) * (double)(last->time_us - first->time_us + 1));
      gint64 to = from + bin_us * n_bins;
      g_autofree SondeTimelineCounts *got = g_new (SondeTimelineCounts, n_bins);
      g_autofree SondeTimelineCounts *want = g_new (SondeTimelineCounts, n_bins);
      guint64 in_range = 0;
      guint64 nearest;
      gint64 probe;
      gint64 best = G_MAXINT64;

      for (guint i = 0; i < n_bins; i++)
        sonde_timeline_counts_clear (&want[i]);
      for (guint i = first_seq; i < truth->len; i++)
        {
          const Truth *entry = &g_array_index (truth, Truth, i);

          if (entry->time_us >= from && entry->time_us < to)
            {
              count_into (&want[(entry->time_us - from) / bin_us], entry, i);
              in_range++;
            }
        }

      g_assert_cmpint (sonde_timeline_summary_fill_bins (summary, from, bin_us, n_bins,
                                                         G_MAXUINT64, got), ==, 1);
      for (guint i = 0; i < n_bins; i++)
        {
          g_autofree char *where = g_strdup_printf ("raw round %u bin %u", round, i);

          assert_counts_equal (&got[i], &want[i], where);
        }

      /* The estimate never says fewer than there are. */
      g_assert_cmpuint (sonde_timeline_summary_count_between (summary, from, to), >=, in_range);

      /* Over budget, the bins come from level 0 and say so. */
      if (in_range > 1)
        {
          gint64 resolution = sonde_timeline_summary_fill_bins (summary, from, bin_us, n_bins,
                                                                0, got);

          g_assert_cmpint (resolution, ==, sonde_timeline_summary_level_width (0));
        }

      /* The nearest entry to any time is as near as the nearest there is. */
      probe = from + bin_us * g_rand_int_range (rand, 0, n_bins);
      g_assert_true (sonde_timeline_summary_find_nearest (summary, probe, &nearest));
      g_assert_cmpuint (nearest, >=, first_seq);
      for (guint i = first_seq; i < truth->len; i++)
        best = MIN (best, ABS (g_array_index (truth, Truth, i).time_us - probe));
      g_assert_cmpint (ABS (g_array_index (truth, Truth, nearest).time_us - probe), ==, best);
    }
}

typedef struct
{
  guint  n;
  gint64 max_gap_us;
  guint  back_per_mille;   /* how often the clock steps back */
} RandomCase;

/* Random logs of each case, three seeds each: every level equals brute
 * force, and the span is the earliest and the latest time. */
static void
check_random_logs (const RandomCase *cases,
                   guint             n_cases,
                   guint             seed_base)
{
  for (guint c = 0; c < n_cases; c++)
    for (guint seed = 1; seed <= 3; seed++)
      {
        g_autoptr(GRand) rand = g_rand_new_with_seed (seed * seed_base + c);
        g_autoptr(SondeEventLog) log = sonde_event_log_new ();
        g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
        g_autoptr(GArray) truth = fill_random_log (rand, log, summary, cases[c].n,
                                                   cases[c].max_gap_us, cases[c].back_per_mille);
        SondeTimelineCounts totals;
        SondeTimelineCounts want;
        gint64 first_us, last_us;
        gint64 min_us = G_MAXINT64;
        gint64 max_us = G_MININT64;

        g_test_message ("case %u seed %u: %u entries", c, seed, cases[c].n);
        g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), ==, cases[c].n);
        sonde_timeline_counts_clear (&want);
        for (guint i = 0; i < truth->len; i++)
          {
            const Truth *entry = &g_array_index (truth, Truth, i);

            count_into (&want, entry, i);
            min_us = MIN (min_us, entry->time_us);
            max_us = MAX (max_us, entry->time_us);
          }
        g_assert_true (sonde_timeline_summary_get_span (summary, &first_us, &last_us));
        g_assert_cmpint (first_us, ==, min_us);
        g_assert_cmpint (last_us, ==, max_us);
        sonde_timeline_summary_get_totals (summary, &totals);
        assert_counts_equal (&totals, &want, "totals");

        check_levels (summary, truth, 0);
        /* Bins finer than level 0 read the entries between two buckets'
         * first ones, which takes time order. */
        if (cases[c].back_per_mille == 0)
          check_raw_bins (rand, summary, truth, 0);
      }
}

static void
test_random_logs (void)
{
  /* Sizes and gaps from one entry to hours of quiet between bursts. */
  static const RandomCase cases[] = {
    { 1, 1000, 0 },
    { 2, 60 * G_USEC_PER_SEC, 0 },
    { 50, 10 * G_USEC_PER_SEC, 0 },
    { 3000, 100000, 0 },
    { 20000, 2 * G_USEC_PER_SEC, 0 },
    { 20000, 1000 * G_USEC_PER_SEC, 0 },
    { 5000, (gint64)G_MAXINT32, 0 },
  };

  check_random_logs (cases, G_N_ELEMENTS (cases), 7919);
}

/* The same with a clock that steps back now and then, by less than a
 * bucket or by many. */
static void
test_random_logs_stepping_back (void)
{
  static const RandomCase cases[] = {
    { 3000, 100000, 20 },
    { 20000, 2 * G_USEC_PER_SEC, 5 },
    { 20000, 1000, 50 },
  };

  check_random_logs (cases, G_N_ELEMENTS (cases), 6151);
}

/* Entries whose times go back (a clock stepped while recording) still
 * land in their buckets. */
static void
test_out_of_order (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  static const gint64 times[] = { 5000000, 9000000, 1000000, 9000001, 3000000 };
  SondeTimelineCounts bins[4];
  gint64 width = sonde_timeline_summary_level_width (0);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      sonde_event_log_append (log, times[i], SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                              (const guint8 *)"data: x\n\n", 9);
      sonde_timeline_summary_sync (summary);
    }

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 from = times[i] / width * width;

      sonde_timeline_summary_fill_bins (summary, from, width, 1, 0, bins);
      guint64 want = times[i] / width == 9000000 / width ? 2 : 1;

      g_assert_cmpuint (sonde_timeline_counts_total (&bins[0]), ==, want);
      g_assert_cmpuint (bins[0].first_seq, ==, i == 3 ? 1 : i);
    }
}

/* The band */

typedef struct
{
  double                t;
  SondeConnectionState  state;
  guint                 delay_ms;
  const char           *reason;
} Stretch;

static const char *
state_name (SondeConnectionState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SONDE_TYPE_CONNECTION_STATE);

  return g_enum_get_value (klass, state)->value_nick;
}

static void
assert_band (SondeTimelineSummary *summary,
             const Stretch        *want,
             guint                 n_want)
{
  const SondeTimelineSegment *got;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GString) wanted = g_string_new (NULL);
  guint n_got;

  got = sonde_timeline_summary_get_segments (summary, &n_got);
  for (guint i = 0; i < n_got; i++)
    g_string_append_printf (seen, "%.3f %s %u %s\n", got[i].start_us / 1e6,
                            state_name (got[i].state), got[i].delay_ms,
                            got[i].reason != NULL ? got[i].reason : "-");
  for (guint i = 0; i < n_want; i++)
    g_string_append_printf (wanted, "%.3f %s %u %s\n", want[i].t, state_name (want[i].state),
                            want[i].delay_ms, want[i].reason != NULL ? want[i].reason : "-");
  g_assert_cmpstr (seen->str, ==, wanted->str);
}

/* The notes of entries from @first on. */
static char *
notes_text (SondeTimelineSummary *summary,
            guint64               first)
{
  const SondeTimelineNote *notes;
  GString *text = g_string_new (NULL);
  guint n;

  notes = sonde_timeline_summary_get_notes (summary, &n);
  for (guint i = 0; i < n; i++)
    {
      static const char * const kinds[] = { "retry", "last-event-id", "resume-message",
                                            "resume-query", "close" };

      if (notes[i].seq < first)
        continue;
      g_string_append_printf (text, "%.3f #%" G_GUINT64_FORMAT " %s %s\n", notes[i].time_us / 1e6,
                              notes[i].seq, kinds[notes[i].kind], notes[i].value);
    }
  return g_string_free (text, FALSE);
}

/* A recording written by hand: a drop, a clean end, a refused connection
 * with a longer backoff, and a 204 that stops it for good. */
static void
test_band_recording (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "timeline-drops.sonde.jsonl",
                                                NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRecordingReader) reader = sonde_recording_reader_new_for_path (path, &error);
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autofree char *notes = NULL;
  static const Stretch want[] = {
    { 0.0, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 0.01, SONDE_CONNECTION_OPEN, 0, NULL },
    { 2.0, SONDE_CONNECTION_WAITING, 1500, "Connection reset by peer" },
    { 3.5, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 3.6, SONDE_CONNECTION_OPEN, 0, NULL },
    { 5.0, SONDE_CONNECTION_CLOSED, 0, "The server ended the stream" },
    { 5.0, SONDE_CONNECTION_WAITING, 1500, "The server ended the stream" },
    { 6.5, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 6.6, SONDE_CONNECTION_WAITING, 3000, "Could not connect: Connection refused" },
    { 9.6, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 9.7, SONDE_CONNECTION_CLOSED, 0,
      "The server answered 204 No Content, which tells clients to stop reconnecting" },
  };

  g_assert_no_error (error);
  g_assert_true (sonde_recording_reader_load (reader, log, &error));
  g_assert_no_error (error);

  summary = sonde_timeline_summary_new (log);
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), ==, 14);
  assert_band (summary, want, G_N_ELEMENTS (want));

  notes = notes_text (summary, 0);
  g_assert_cmpstr (notes, ==,
                   "0.011 #1 retry 1500\n"
                   "3.600 #6 last-event-id 2\n"
                   "9.700 #12 last-event-id 3\n");
}

static void
append (SondeEventLog  *log,
        double          t,
        SondeDirection  direction,
        SondeEntryKind  kind,
        const char     *fields,
        const char     *raw,
        gsize           raw_len)
{
  sonde_event_log_append (log, (gint64)(t * G_USEC_PER_SEC + 0.5), direction, kind, NULL, 0,
                          fields, strlen (fields), (const guint8 *)raw, raw_len);
}

/* A failure that ends a session stays failed; one the stream outlives goes. */
static void
test_band_failures (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  static const Stretch open_again[] = {
    { 0.0, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 0.1, SONDE_CONNECTION_OPEN, 0, NULL },
  };
  static const Stretch failed[] = {
    { 0.0, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 0.1, SONDE_CONNECTION_OPEN, 0, NULL },
    { 4.0, SONDE_CONNECTION_FAILED, 0, "Connection reset by peer" },
  };

  append (log, 0.1, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, "\"status\":200", "", 0);
  append (log, 1.0, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "", "data: a\n\n", 9);
  append (log, 2.0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR,
          "\"message\":\"An event larger than the limit was dropped\",\"code\":4", "", 0);
  sonde_timeline_summary_sync (summary);
  /* Until more comes, the error may have ended the stream. */
  g_assert_cmpuint (sonde_timeline_summary_get_segments (summary, &(guint){0})[2].state, ==,
                    SONDE_CONNECTION_FAILED);

  append (log, 3.0, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "", "data: b\n\n", 9);
  sonde_timeline_summary_sync (summary);
  assert_band (summary, open_again, G_N_ELEMENTS (open_again));

  append (log, 4.0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR,
          "\"message\":\"Connection reset by peer\"", "", 0);
  sonde_timeline_summary_sync (summary);
  assert_band (summary, failed, G_N_ELEMENTS (failed));
}

/* A WebSocket that closes with a code, reconnects with a resume query and
 * sends a resume message. */
static void
test_band_websocket (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  g_autofree char *notes = NULL;
  /* Unmasked for brevity: the payload is what matters here. */
  static const char resume[] = "\x81\x0e{\"last_id\":42}";
  static const Stretch want[] = {
    { 0.0, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 0.05, SONDE_CONNECTION_OPEN, 0, NULL },
    { 1.0, SONDE_CONNECTION_CLOSED, 0, "The server closed the connection: 1001 Going Away" },
    { 1.0, SONDE_CONNECTION_WAITING, 500, "The server closed the connection: 1001 Going Away" },
    { 1.5, SONDE_CONNECTION_CONNECTING, 0, NULL },
    { 1.6, SONDE_CONNECTION_OPEN, 0, NULL },
    { 3.0, SONDE_CONNECTION_CLOSED, 0, "The connection dropped without a close frame" },
  };

  append (log, 0.05, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
          "\"status\":101,\"url\":\"ws://127.0.0.1:1/feed?topic=a\","
          "\"request\":\"GET /feed?topic=a HTTP/1.1\"", "", 0);
  append (log, 0.5, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, "", "\x81\x02hi", 4);
  append (log, 1.0, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE,
          "\"code\":1001,\"reason\":\"restart\"", "\x88\x09\x03\xe9restart", 11);
  append (log, 1.0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
          "\"message\":\"The server closed the connection: 1001 Going Away\",\"code\":1001", "", 0);
  append (log, 1.0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT,
          "\"delay_ms\":500,\"attempt\":1", "", 0);
  append (log, 1.6, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN,
          "\"status\":101,\"url\":\"ws://127.0.0.1:1/feed?topic=a\","
          "\"request\":\"GET /feed?topic=a&last_id=42 HTTP/1.1\"", "", 0);
  append (log, 1.61, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, "\"purpose\":\"resume\"", resume, 16);
  append (log, 3.0, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
          "\"message\":\"The connection dropped without a close frame\","
          "\"code\":1006,\"reason\":\"\"",
          "", 0);

  summary = sonde_timeline_summary_new (log);
  assert_band (summary, want, G_N_ELEMENTS (want));
  notes = notes_text (summary, 0);
  g_assert_cmpstr (notes, ==,
                   "1.000 #2 close 1001 restart\n"
                   "1.600 #5 resume-query last_id=42\n"
                   "1.610 #6 resume-message {\"last_id\":42}\n"
                   "3.000 #7 close 1006\n");
}

/* A live SSE session against a real server: the band the client's own
 * entries make. */
typedef struct
{
  guint requests;
} Server;

static void
feed_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Server *s = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *body = s->requests == 0 ? "retry: 100\nid: 1\ndata: one\n\n" : "id: 2\ndata: two\n\n";

  if (++s->requests == 3)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            body, strlen (body));
  soup_message_body_complete (soup_server_message_get_response_body (msg));
}

static SondeEventLog *
summary_log (SondeTimelineSummary *summary)
{
  return sonde_timeline_summary_get_log (summary);
}

static gboolean
client_done (gpointer data)
{
  return sonde_connection_get_state (data) == SONDE_CONNECTION_CLOSED ||
         sonde_connection_get_state (data) == SONDE_CONNECTION_FAILED;
}

static void
test_band_live (void)
{
  Server s = { 0 };
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = sonde_test_server_new (&base);
  g_autofree char *url = NULL;
  g_autoptr(SondeSseClient) client = NULL;
  g_autoptr(SondeTimelineSummary) summary = NULL;
  const SondeTimelineSegment *segments;
  g_autoptr(GString) states = g_string_new (NULL);
  g_autofree char *notes = NULL;
  guint n;

  soup_server_add_handler (server, "/feed", feed_handler, &s, NULL);
  url = g_strconcat (base, "/feed", NULL);
  client = sonde_sse_client_new (url, NULL);
  summary = sonde_timeline_summary_new (sonde_connection_get_log (SONDE_CONNECTION (client)));
  sonde_connection_start (SONDE_CONNECTION (client));
  g_assert_true (sonde_test_wait_until (client_done, client, 10000));
  sonde_event_log_flush_notify (sonde_connection_get_log (SONDE_CONNECTION (client)));

  /* The summary followed the log by itself. */
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), ==,
                    sonde_event_log_get_n_entries (summary_log (summary)));

  segments = sonde_timeline_summary_get_segments (summary, &n);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (states, "%s ", state_name (segments[i].state));
      if (i > 0)
        g_assert_cmpint (segments[i].start_us, >=, segments[i - 1].start_us);
      if (segments[i].state == SONDE_CONNECTION_WAITING)
        g_assert_cmpuint (segments[i].delay_ms, ==, 100);
    }
  g_assert_cmpstr (states->str, ==,
                   "connecting open closed waiting connecting "
                   "open closed waiting connecting closed ");

  notes = notes_text (summary, 0);
  g_assert_nonnull (strstr (notes, " retry 100\n"));
  g_assert_nonnull (strstr (notes, " last-event-id 1\n"));
  g_assert_nonnull (strstr (notes, " last-event-id 2\n"));

  soup_server_disconnect (server);
}

/* Letting go at the front */

/* The band, from the first segment that lasted past @after_us. */
static char *
band_text (SondeTimelineSummary *summary,
           gint64                after_us)
{
  const SondeTimelineSegment *segments;
  GString *text = g_string_new (NULL);
  guint n;

  segments = sonde_timeline_summary_get_segments (summary, &n);
  for (guint i = 0; i < n; i++)
    if (i + 1 == n || segments[i + 1].start_us > after_us)
      g_string_append_printf (text, "%" G_GINT64_FORMAT " %s %u %s\n", segments[i].start_us,
                              state_name (segments[i].state), segments[i].delay_ms,
                              segments[i].reason != NULL ? segments[i].reason : "-");
  return g_string_free (text, FALSE);
}

/* What a summary says of a log that let go of its entries before @first
 * equals a count of the entries kept. */
static void
check_kept (GRand                *rand,
            SondeTimelineSummary *summary,
            GArray               *truth,
            guint64               first)
{
  SondeTimelineCounts totals;
  SondeTimelineCounts want;
  gint64 first_us, last_us;
  guint64 from_seq, end_seq;

  g_test_message ("kept from %" G_GUINT64_FORMAT " of %u", first, truth->len);
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), ==, truth->len);
  g_assert_true (sonde_timeline_summary_get_span (summary, &first_us, &last_us));
  g_assert_cmpint (first_us, ==, g_array_index (truth, Truth, first).time_us);
  g_assert_cmpint (last_us, ==, g_array_index (truth, Truth, truth->len - 1).time_us);

  sonde_timeline_counts_clear (&want);
  for (guint i = first; i < truth->len; i++)
    count_into (&want, &g_array_index (truth, Truth, i), i);
  sonde_timeline_summary_get_totals (summary, &totals);
  assert_counts_equal (&totals, &want, "totals of the kept");

  /* Lookups name kept entries only. */
  g_assert_true (sonde_timeline_summary_seq_range (summary, G_MININT64 / 2, G_MAXINT64 / 2,
                                                   &from_seq, &end_seq));
  g_assert_cmpuint (from_seq, ==, first);
  g_assert_cmpuint (end_seq, ==, truth->len);
  check_levels (summary, truth, first);
  check_raw_bins (rand, summary, truth, first);
}

/* A log with an entry limit lets its oldest entries go in whole blocks: the
 * summary follows, whether it counted them first or never saw them. */
static void
test_release (void)
{
  for (guint seed = 1; seed <= 3; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed * 104729);
      g_autoptr(GRand) twin_rand = g_rand_new_with_seed (seed * 104729);
      g_autoptr(SondeEventLog) log = sonde_event_log_new ();
      g_autoptr(SondeEventLog) twin_log = sonde_event_log_new ();
      g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
      g_autoptr(SondeTimelineSummary) twin = sonde_timeline_summary_new (twin_log);
      g_autoptr(GArray) truth = g_array_new (FALSE, FALSE, sizeof (Truth));
      g_autoptr(GArray) twin_truth = g_array_new (FALSE, FALSE, sizeof (Truth));
      g_autofree char *band = NULL;
      g_autofree char *twin_band = NULL;
      g_autofree char *notes = NULL;
      g_autofree char *twin_notes = NULL;
      gsize memory_before;
      guint64 first;
      guint64 first_before;

      /* The same entries in a log that keeps them all. */
      add_random_entries (rand, log, summary, truth, 60000, 10 * G_USEC_PER_SEC, 0);
      add_random_entries (twin_rand, twin_log, twin, twin_truth, 60000, 10 * G_USEC_PER_SEC, 0);

      /* Counted, then let go of: a removal at the front of the model. */
      memory_before = sonde_timeline_summary_get_memory_size (summary);
      sonde_event_log_release_before (log, 30000);
      sonde_event_log_flush_notify (log);
      first = sonde_event_log_get_first_seq (log);
      g_assert_cmpuint (first, >, 0);
      g_assert_cmpuint (first, <=, 30000);
      check_kept (rand, summary, truth, first);

      /* The band and the notes of what is kept are what they were. */
      band = band_text (summary, G_MININT64);
      twin_band = band_text (twin, g_array_index (truth, Truth, first).time_us);
      g_assert_cmpstr (band, ==, twin_band);
      notes = notes_text (summary, 0);
      twin_notes = notes_text (twin, first);
      g_assert_cmpstr (notes, ==, twin_notes);
      g_assert_cmpuint (strlen (notes), >, 0);

      /* Appended and let go of before the summary saw them: skipped. */
      first_before = first;
      add_random_entries (rand, log, NULL, truth, 60000, 10 * G_USEC_PER_SEC, 0);
      sonde_event_log_release_before (log, truth->len - 10000);
      sonde_event_log_flush_notify (log);
      first = sonde_event_log_get_first_seq (log);
      g_assert_cmpuint (first, >, 60000);
      check_kept (rand, summary, truth, first);
      g_assert_cmpuint (first, >, first_before);
      {
        const SondeTimelineNote *kept;
        guint n_kept;

        kept = sonde_timeline_summary_get_notes (summary, &n_kept);
        g_assert_cmpuint (n_kept, >, 0);
        g_assert_cmpuint (kept[0].seq, >=, first);
      }

      /* Everything but the block being written: memory follows what is kept. */
      sonde_event_log_release_before (log, G_MAXUINT64);
      sonde_event_log_flush_notify (log);
      first = sonde_event_log_get_first_seq (log);
      check_kept (rand, summary, truth, first);
      g_test_message ("summary memory: %" G_GSIZE_FORMAT " bytes for 60000 entries, %"
                      G_GSIZE_FORMAT " for %" G_GUINT64_FORMAT, memory_before,
                      sonde_timeline_summary_get_memory_size (summary), truth->len - first);
      g_assert_cmpuint (sonde_timeline_summary_get_memory_size (summary), <, memory_before / 2);

      /* Counting goes on after it. */
      add_random_entries (rand, log, summary, truth, 5000, 10 * G_USEC_PER_SEC, 0);
      check_kept (rand, summary, truth, first);
    }
}

/* A log whose clock went back has no runs of entries per bucket: what is
 * kept is counted again. */
static void
test_release_out_of_order (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  g_autoptr(GArray) truth = g_array_new (FALSE, FALSE, sizeof (Truth));
  g_autofree guint8 *raw = g_malloc0 (100 * 1024);
  SondeTimelineCounts totals;
  SondeTimelineCounts want;
  gint64 first_us;
  gint64 earliest = G_MAXINT64;
  guint64 first;

  /* About 40 entries to a block; every seventh entry a second earlier. */
  for (guint i = 0; i < 400; i++)
    {
      Truth entry = { 0 };

      entry.time_us = (gint64)i * 50000 - (i % 7 == 0 ? G_USEC_PER_SEC : 0);
      entry.direction = i % 3 == 0 ? SONDE_DIRECTION_OUT : SONDE_DIRECTION_IN;
      entry.category = SONDE_ENTRY_CATEGORY_DATA;
      entry.raw_len = 100 * 1024 - i;
      sonde_event_log_append (log, entry.time_us, entry.direction, SONDE_ENTRY_BINARY, NULL, 0,
                              NULL, 0, raw, entry.raw_len);
      g_array_append_val (truth, entry);
      if (i % 50 == 0)
        sonde_timeline_summary_sync (summary);
    }
  sonde_timeline_summary_sync (summary);

  sonde_event_log_release_before (log, 250);
  sonde_event_log_flush_notify (log);
  first = sonde_event_log_get_first_seq (log);
  g_assert_cmpuint (first, >, 150);

  sonde_timeline_counts_clear (&want);
  for (guint i = first; i < truth->len; i++)
    {
      count_into (&want, &g_array_index (truth, Truth, i), i);
      earliest = MIN (earliest, g_array_index (truth, Truth, i).time_us);
    }
  sonde_timeline_summary_get_totals (summary, &totals);
  assert_counts_equal (&totals, &want, "totals of the kept");
  g_assert_true (sonde_timeline_summary_get_span (summary, &first_us, NULL));
  g_assert_cmpint (first_us, ==, earliest);
  /* Bins read entry by entry need time order (seq_range()): levels only. */
  check_levels (summary, truth, first);
}

static void
test_create_destroy (void)
{
  SondeEventLog *log = sonde_event_log_new ();
  SondeTimelineSummary *summary = sonde_timeline_summary_new (log);
  SondeTimelineCounts bins[3];
  guint64 seq;
  guint n;

  g_assert_false (sonde_timeline_summary_get_span (summary, NULL, NULL));
  g_assert_false (sonde_timeline_summary_find_nearest (summary, 0, &seq));
  sonde_timeline_summary_get_segments (summary, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (sonde_timeline_summary_fill_bins (summary, 0, 10, 3, 100, bins), ==, 1);
  g_assert_cmpuint (sonde_timeline_counts_total (&bins[1]), ==, 0);
  g_assert_finalize_object (summary);
  g_assert_finalize_object (log);
}

/* Buckets of plain traffic keep their counts in 40 bytes; a bucket that
 * also holds a ping keeps them whole beside, and both count right. */
static void
test_compact_buckets (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = NULL;
  static const guint8 raw[] = "data: x\n\n";
  SondeTimelineCounts bins[4];
  gsize plain_size;
  gint64 last_bucket;

  /* 20,000 level-0 buckets of one event each, 20 ms apart. */
  for (guint i = 0; i < 20000; i++)
    sonde_event_log_append (log, (gint64)i * 20000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0,
                            NULL, 0, raw, sizeof raw - 1);
  summary = sonde_timeline_summary_new (log);
  plain_size = sonde_timeline_summary_get_memory_size (summary);
  g_test_message ("%" G_GSIZE_FORMAT " bytes for 20,000 buckets", plain_size);
  /* Levels and their chunks' slack come to at most about 2.7 buckets of
   * room per level-0 bucket: 96-byte buckets needed 4.2 MB here. */
  g_assert_cmpuint (plain_size, <, 20000 * 40 * 27 / 10);

  /* A ping in an event's bucket, and an event sent: not plain any more. */
  sonde_event_log_append (log, (gint64)19999 * 20000 + 10, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING,
                          NULL, 0, NULL, 0, (const guint8 *)"\x89\x00", 2);
  sonde_event_log_append (log, (gint64)19999 * 20000 + 20, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                          NULL, 0, NULL, 0, raw, sizeof raw - 1);
  sonde_timeline_summary_sync (summary);
  g_assert_cmpuint (sonde_timeline_summary_get_memory_size (summary), >, plain_size);
  /* Bins aligned to level 0's buckets are exact: the last bucket, and the one before it. */
  last_bucket = ((gint64)19999 * 20000) >> SONDE_TIMELINE_BASE_SHIFT << SONDE_TIMELINE_BASE_SHIFT;
  g_assert_cmpint (sonde_timeline_summary_fill_bins (summary, last_bucket - sonde_timeline_summary_level_width (0),
                                                     sonde_timeline_summary_level_width (0), 2, 0,
                                                     bins), ==, sonde_timeline_summary_level_width (0));
  g_assert_cmpuint (sonde_timeline_counts_category (&bins[1], SONDE_ENTRY_CATEGORY_DATA), ==, 2);
  g_assert_cmpuint (sonde_timeline_counts_category (&bins[1], SONDE_ENTRY_CATEGORY_CONTROL), ==, 1);
  g_assert_cmpuint (bins[1].bytes[SONDE_DIRECTION_IN], ==, 2 * (sizeof raw - 1));
  g_assert_cmpuint (bins[1].bytes[SONDE_DIRECTION_OUT], ==, 2);
  g_assert_cmpuint (bins[1].first_seq, ==, 19999);
  g_assert_cmpuint (sonde_timeline_counts_total (&bins[0]), ==, 1);
  /* A whole hour in one bin, from the top levels: all of it. */
  g_assert_cmpint (sonde_timeline_summary_fill_bins (summary, 0, (gint64)1 << 40, 1, 0, bins), >, 0);
  g_assert_cmpuint (sonde_timeline_counts_total (&bins[0]), ==, 20002);
  g_assert_cmpuint (sonde_timeline_counts_bytes (&bins[0]), ==, 20001 * (sizeof raw - 1) + 2);
}

static void
count_changed (guint *count)
{
  (*count)++;
}

/* A fire hose's first items-changed, or one after the window got no
 * processor for a while, brings a million entries or more. The summary
 * counts a bounded step of them there and the rest in later turns of the
 * main loop, so that frames come in between; in the end it has counted
 * what a summary counting all at once has. */
static void
test_bounded_catch_up (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeTimelineSummary) summary = sonde_timeline_summary_new (log);
  g_autoptr(SondeTimelineSummary) whole = NULL;
  static const guint8 raw[] = "data: 0123456789abcdef\n\n";
  SondeTimelineCounts counted;
  SondeTimelineCounts expected;
  const guint64 n = 700000;
  guint changed = 0;
  gint64 deadline;

  g_signal_connect_swapped (summary, "changed", G_CALLBACK (count_changed), &changed);
  for (guint64 i = 0; i < n; i++)
    sonde_event_log_append (log, (gint64)i * 2, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0,
                            NULL, 0, raw, sizeof raw - 1);
  sonde_event_log_flush_notify (log);

  /* The one items-changed counted a step, not all. */
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), >, 0);
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), <=, 262144);
  g_assert_cmpuint (changed, ==, 1);

  /* The rest comes a step a turn of the main loop. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (sonde_timeline_summary_get_n_entries (summary) < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (summary), ==, n);
  g_assert_cmpuint (changed, >=, 3);

  whole = sonde_timeline_summary_new (log);
  sonde_timeline_summary_get_totals (summary, &counted);
  sonde_timeline_summary_get_totals (whole, &expected);
  g_assert_cmpmem (&counted, sizeof counted, &expected, sizeof expected);
  g_assert_cmpuint (counted.count[SONDE_DIRECTION_IN][SONDE_ENTRY_CATEGORY_DATA], ==, n);

  /* A summary that goes while a count is under way leaves no step behind
   * (the sanitized build would see one run on freed memory). */
  g_clear_object (&summary);
  summary = sonde_timeline_summary_new (log);
  for (guint64 i = 0; i < 300000; i++)
    sonde_event_log_append (log, (gint64)(n + i) * 2, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL,
                            0, NULL, 0, raw, sizeof raw - 1);
  sonde_event_log_flush_notify (log);
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (whole), <, n + 300000);
  g_assert_finalize_object (g_steal_pointer (&summary));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (sonde_timeline_summary_get_n_entries (whole) < n + 300000 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sonde_timeline_summary_get_n_entries (whole), ==, n + 300000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/timeline-summary/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/timeline-summary/random-logs", test_random_logs);
  g_test_add_func ("/sonde/timeline-summary/random-logs-stepping-back",
                   test_random_logs_stepping_back);
  g_test_add_func ("/sonde/timeline-summary/compact-buckets", test_compact_buckets);
  g_test_add_func ("/sonde/timeline-summary/out-of-order", test_out_of_order);
  g_test_add_func ("/sonde/timeline-summary/band-recording", test_band_recording);
  g_test_add_func ("/sonde/timeline-summary/band-failures", test_band_failures);
  g_test_add_func ("/sonde/timeline-summary/band-websocket", test_band_websocket);
  g_test_add_func ("/sonde/timeline-summary/band-live", test_band_live);
  g_test_add_func ("/sonde/timeline-summary/release", test_release);
  g_test_add_func ("/sonde/timeline-summary/bounded-catch-up", test_bounded_catch_up);
  g_test_add_func ("/sonde/timeline-summary/release-out-of-order", test_release_out_of_order);

  return g_test_run ();
}

/* test-filter-model.c: filter queries, and the model that scans a log for them off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-event-log.h"
#include "sonde-filter-model.h"
#include "sonde-json.h"
#include "sonde-test-util.h"
#include "sonde-ws-frame.h"

#define WAIT_MS 60000

#define WAIT_UNTIL(cond) SONDE_TEST_WAIT_UNTIL (cond, WAIT_MS)

/* Random entries ------------------------------------------------------- */

/* Words that test what case-insensitive means outside ASCII: ß folds to
 * "ss", the Kelvin sign to "k", ǅ to "ǆ". */
static const char * const words[] = {
  "alpha", "Beta", "bEtA", "GAMMA", "straße", "STRASSE", "Ünïcode", "ǅemal",
  ("\xe2\x84\xaa" "elvin"), "delta epsilon", "x", "café", "CAFÉ", "needle", "NeEdLe",
  "1000", "a\"quote\"", "two\nlines",
};

static void
append_words (GRand   *rand,
              GString *out,
              guint    max)
{
  guint n = (guint)g_rand_int_range (rand, 0, (gint32)max + 1);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
}

static void
append_junk (GRand   *rand,
             GString *out)
{
  /* Bytes that are not UTF-8, a NUL, and hex-friendly values. */
  static const guint8 junk[] = { 0xff, 0xfe, 0x00, 0xde, 0xad, 0xbe, 0xef, 0xc3, 0x28, 0x80 };
  guint n = (guint)g_rand_int_range (rand, 0, 6);

  for (guint i = 0; i < n; i++)
    g_string_append_c (out, (char)junk[g_rand_int_range (rand, 0, G_N_ELEMENTS (junk))]);
}

static void
append_random_entry (SondeEventLog *log,
                     GRand         *rand,
                     gint64         time_us)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autoptr(GString) id = g_string_new (NULL);
  SondeDirection direction = (SondeDirection)g_rand_int_range (rand, 0, 3);
  SondeEntryKind kind = (SondeEntryKind)g_rand_int_range (rand, 0, SONDE_ENTRY_N_KINDS);

  switch (kind)
    {
    case SONDE_ENTRY_SSE:
      {
        const char *eol = g_rand_boolean (rand) ? "\n" : "\r\n";

        /* A blank line with nothing before it dispatches nothing. */
        if (g_rand_int_range (rand, 0, 10) == 0)
          g_string_append (raw, eol);
        if (g_rand_int_range (rand, 0, 3) == 0)
          {
            g_string_append_printf (raw, "event: ");
            append_words (rand, raw, 1);
            g_string_append (raw, eol);
          }
        if (g_rand_boolean (rand))
          {
            g_string_append_printf (id, "id-%u", g_rand_int_range (rand, 0, 2000));
            g_string_append_printf (raw, "id: %s%s", id->str, eol);
          }
        append_words (rand, text, 3);
        if (g_rand_int_range (rand, 0, 8) == 0)
          append_junk (rand, text);
        /* One data line per line of text. */
        {
          g_auto(GStrv) lines = g_strsplit (text->str, "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            g_string_append_printf (raw, "data: %s%s", lines[i], eol);
        }
        g_string_append (raw, eol);
      }
      break;

    case SONDE_ENTRY_COMMENT:
      g_string_append_c (raw, ':');
      append_words (rand, raw, 2);
      g_strdelimit (raw->str, "\n", ' ');
      g_string_append_c (raw, '\n');
      break;

    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      {
        g_autoptr(GByteArray) frame = g_byte_array_new ();
        guint8 opcode = kind == SONDE_ENTRY_TEXT ? 0x1 : kind == SONDE_ENTRY_BINARY ? 0x2 :
                        kind == SONDE_ENTRY_PING ? 0x9 : 0xa;

        append_words (rand, text, kind == SONDE_ENTRY_TEXT ? 4 : 1);
        if (kind != SONDE_ENTRY_TEXT || g_rand_int_range (rand, 0, 10) == 0)
          append_junk (rand, text);
        sonde_ws_frame_append (frame, SONDE_WS_FIN | opcode, (const guint8 *)text->str, text->len,
                               direction == SONDE_DIRECTION_OUT);
        g_string_append_len (raw, (const char *)frame->data, frame->len);
      }
      break;

    case SONDE_ENTRY_CLOSE:
      append_words (rand, text, 2);
      sonde_json_append_member_int (fields, "code", g_rand_boolean (rand) ? 1000 : 4001);
      sonde_json_append_member_string (fields, "reason", text->str);
      break;

    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
      append_words (rand, text, 3);
      sonde_json_append_member_string (fields, "message", text->str);
      break;

    case SONDE_ENTRY_OPEN:
      g_string_append (fields, "\"status\":200,\"headers\":{\"beta\":\"alpha\"}");
      break;

    case SONDE_ENTRY_RETRY:
      g_string_append (fields, "\"ms\":1000");
      break;

    case SONDE_ENTRY_RECONNECT:
      g_string_append (fields, "\"delay_ms\":1000,\"attempt\":1");
      break;

    case SONDE_ENTRY_REQUEST:
      append_words (rand, text, 2);
      sonde_json_append_member_string (fields, "method", "POST");
      sonde_json_append_member_string (fields, "url", "http://127.0.0.1/publish");
      sonde_json_append_member_string (fields, "request_body", text->str);
      if (g_rand_boolean (rand))
        {
          g_string_truncate (text, 0);
          append_words (rand, text, 2);
          sonde_json_append_member_int (fields, "status", 200);
          sonde_json_append_member_string (fields, "body", text->str);
        }
      else
        sonde_json_append_member_string (fields, "message", "refused");
      break;

    case SONDE_ENTRY_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  /* Some entries carry violations: a problem whatever their kind. */
  if (g_rand_int_range (rand, 0, 20) == 0)
    {
      if (fields->len > 0)
        g_string_append_c (fields, ',');
      g_string_append (fields, "\"violations\":[\"beta\"]");
    }

  sonde_event_log_append (log, time_us, direction, kind, id->str, id->len,
                          fields->str, fields->len, (const guint8 *)raw->str, raw->len);
}

static void
fill_log (SondeEventLog *log,
          guint32        seed,
          guint          n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n; i++)
    append_random_entry (log, rand, i);
  sonde_event_log_flush_notify (log);
}

/* A brute-force reference, written apart from the matcher -------------- */

typedef struct
{
  const char       *text;
  SondeFilterFlags  flags;
  guint             categories;
  guint             directions;
} QuerySpec;

typedef struct
{
  const QuerySpec *spec;
  GRegex          *regex;
  char            *folded;
  char            *hex;       /* the text read as hex: lower-case digits, no spaces */
} Reference;

static void
reference_init (Reference       *ref,
                const QuerySpec *spec)
{
  g_autoptr(GBytes) bytes = NULL;

  memset (ref, 0, sizeof *ref);
  ref->spec = spec;
  if (spec->flags & SONDE_FILTER_REGEX)
    ref->regex = g_regex_new (spec->text,
                              G_REGEX_MULTILINE |
                              ((spec->flags & SONDE_FILTER_CASE_SENSITIVE) ? 0 : G_REGEX_CASELESS),
                              0, NULL);
  ref->folded = g_utf8_casefold (spec->text, -1);
  bytes = sonde_bytes_from_hex (spec->text, NULL);
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      GString *hex = g_string_new (NULL);

      for (gsize i = 0; i < len; i++)
        g_string_append_printf (hex, "%02x", data[i]);
      ref->hex = g_string_free (hex, FALSE);
    }
}

static void
reference_clear (Reference *ref)
{
  g_clear_pointer (&ref->regex, g_regex_unref);
  g_clear_pointer (&ref->folded, g_free);
  g_clear_pointer (&ref->hex, g_free);
}

static gboolean
reference_text (Reference  *ref,
                const char *text,
                gssize      len)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;

  /* An SSE block with empty data dispatches no event, and has no data. */
  if (text == NULL)
    return FALSE;
  valid = g_utf8_make_valid (text, len);
  if (ref->regex != NULL)
    return g_regex_match (ref->regex, valid, 0, NULL);
  if (ref->spec->flags & SONDE_FILTER_CASE_SENSITIVE)
    return strstr (valid, ref->spec->text) != NULL;

  folded = g_utf8_casefold (valid, -1);
  return strstr (folded, ref->folded) != NULL;
}

static gboolean
reference_bytes (Reference    *ref,
                 const guint8 *data,
                 gsize         len)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  if (reference_text (ref, (const char *)data, (gssize)len))
    return TRUE;

  if (ref->regex != NULL)
    {
      for (gsize i = 0; i < len; i++)
        g_string_append_printf (hex, i == 0 ? "%02x" : " %02x", data[i]);
      return g_regex_match (ref->regex, hex->str, 0, NULL);
    }

  if (ref->hex == NULL)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  for (const char *p = strstr (hex->str, ref->hex); p != NULL; p = strstr (p + 1, ref->hex))
    if ((p - hex->str) % 2 == 0)
      return TRUE;
  return FALSE;
}

static gboolean
reference_member (Reference            *ref,
                  const SondeEntryView *view,
                  const char           *name)
{
  g_autoptr(JsonObject) fields = sonde_test_entry_fields (view);
  JsonNode *node = json_object_get_member (fields, name);
  g_autofree char *text = NULL;

  if (node == NULL)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (node));
  else
    text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return reference_text (ref, text, -1);
}

static gboolean
reference_match (Reference            *ref,
                 const SondeEntryView *view)
{
  g_autofree char *data = NULL;
  g_autofree char *type = NULL;
  gsize len = 0;

  if ((ref->spec->directions & (1u << view->direction)) == 0 ||
      (ref->spec->categories & (1u << sonde_entry_view_get_category (view))) == 0)
    return FALSE;
  if (ref->spec->text[0] == '\0')
    return TRUE;

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      data = sonde_entry_view_dup_data (view, &len, &type);
      return reference_text (ref, view->id, (gssize)view->id_len) ||
             reference_text (ref, data, (gssize)len) ||
             reference_text (ref, type, -1);

    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_TEXT:
      data = sonde_entry_view_dup_data (view, &len, NULL);
      return reference_text (ref, data, (gssize)len);

    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      data = sonde_entry_view_dup_data (view, &len, NULL);
      return reference_bytes (ref, (const guint8 *)data, len);

    case SONDE_ENTRY_CLOSE:
      return reference_member (ref, view, "reason") || reference_member (ref, view, "code");

    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
      return reference_member (ref, view, "message");

    case SONDE_ENTRY_REQUEST:
      return reference_member (ref, view, "url") || reference_member (ref, view, "request_body") ||
             reference_member (ref, view, "body") || reference_member (ref, view, "message");

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_N_KINDS:
    default:
      return FALSE;
    }
}

static SondeFilterQuery *
query_from_spec (const QuerySpec *spec)
{
  g_autoptr(GError) error = NULL;
  SondeFilterQuery *query = sonde_filter_query_new (spec->text, spec->flags, spec->categories,
                                                    spec->directions, NULL, &error);

  g_assert_no_error (error);
  return query;
}

/* The model's rows for the entries it has looked at are exactly those the
 * reference finds among them. */
static void
assert_model_matches (SondeFilterModel *model,
                      const QuerySpec  *spec)
{
  SondeEventLog *log = sonde_filter_model_get_log (model);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  guint64 n_scanned = sonde_filter_model_get_n_scanned (model);
  Reference ref;
  guint position = 0;

  reference_init (&ref, spec);
  /* From the oldest entry the log keeps: rows of those it let go went with them. */
  for (guint64 seq = sonde_event_log_get_first_seq (log); seq < n_scanned; seq++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      if (!reference_match (&ref, &view))
        continue;
      if (position >= n_items || sonde_filter_model_get_seq (model, position) != seq)
        g_error ("query “%s” (flags %x, categories %x, directions %x): entry %" G_GUINT64_FORMAT
                 " (%s) matches but the model has %" G_GUINT64_FORMAT " at row %u",
                 spec->text, spec->flags, spec->categories, spec->directions, seq,
                 sonde_entry_kind_to_string (view.kind),
                 sonde_filter_model_get_seq (model, position), position);
      position++;
    }
  if (position != n_items)
    g_error ("query “%s”: the model has %u rows, the reference %u (first extra: %" G_GUINT64_FORMAT ")",
             spec->text, n_items, position, sonde_filter_model_get_seq (model, position));
  g_test_message ("“%s” (flags %x): %u of %" G_GUINT64_FORMAT, spec->text, spec->flags, n_items,
                  n_scanned);
  reference_clear (&ref);
}

static const QuerySpec random_queries[] = {
  { "beta", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "Beta", SONDE_FILTER_CASE_SENSITIVE, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "strasse", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "STRAẞE", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "kelvin", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "ǆ", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "café", SONDE_FILTER_CASE_SENSITIVE, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "É", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "\xef\xbf\xbd", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "\xef\xbf\xbd", SONDE_FILTER_CASE_SENSITIVE, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "de ad", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "FF00", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "1000", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "message", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "id-1", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "\"quote", SONDE_FILTER_CASE_SENSITIVE, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "o\nl", 0, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "^alpha", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "B.t+a$", SONDE_FILTER_REGEX | SONDE_FILTER_CASE_SENSITIVE,
    SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "stra(ss|ß)e", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "ef [0-9a-f]{2}", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "^lines", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  /* What GRegex means by a word, a space and a case, checked against PCRE2 as the model runs it. */
  { "\\bcaf\\w\\b", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "a\\s+\\S", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "^\\S+$", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "KELVIN|Ǆ", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "\\x{fffd}$", SONDE_FILTER_REGEX, SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS },
  { "", 0, 1u << SONDE_ENTRY_CATEGORY_DATA, SONDE_FILTER_ALL_DIRECTIONS },
  { "", 0, SONDE_FILTER_ALL_CATEGORIES, 1u << SONDE_DIRECTION_IN },
  { "needle", 0, (1u << SONDE_ENTRY_CATEGORY_PROBLEM) | (1u << SONDE_ENTRY_CATEGORY_CONTROL),
    (1u << SONDE_DIRECTION_OUT) | (1u << SONDE_DIRECTION_LOCAL) },
  { "x", SONDE_FILTER_REGEX, 1u << SONDE_ENTRY_CATEGORY_LIFECYCLE, SONDE_FILTER_ALL_DIRECTIONS },
};

/* The queries on a log that is already there. */
static void
test_random_static (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeFilterModel) model = sonde_filter_model_new (log);

  fill_log (log, g_test_rand_int (), 6000);

  for (guint i = 0; i < G_N_ELEMENTS (random_queries); i++)
    {
      g_autoptr(SondeFilterQuery) query = query_from_spec (&random_queries[i]);

      sonde_filter_model_set_query (model, query);
      g_assert_true (sonde_filter_model_get_active (model));
      WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 6000 &&
                  !sonde_filter_model_get_scanning (model));
      assert_model_matches (model, &random_queries[i]);
    }
}

typedef struct
{
  SondeEventLog *log;
  guint32        seed;
  guint          n;
  gint           done;
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *writer = user_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (writer->seed);
  guint written = 0;

  /* Bursts of every size, so that some arrivals are matched on the main
   * thread and some on a worker. */
  while (written < writer->n)
    {
      guint burst = MIN (writer->n - written, (guint)g_rand_int_range (rand, 1, 3000));

      for (guint i = 0; i < burst; i++)
        append_random_entry (writer->log, rand, written + i);
      written += burst;
      g_usleep ((gulong)g_rand_int_range (rand, 0, 3000));
    }

  g_atomic_int_set (&writer->done, 1);
  return NULL;
}

typedef struct
{
  guint             n_items;
  gboolean          sorted;
} Watch;

static void
watch_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gpointer    user_data)
{
  Watch *watch = user_data;

  /* Rows stay in log order, whatever is replaced or added. */
  watch->n_items = watch->n_items - removed + added;
  g_assert_cmpuint (watch->n_items, ==, g_list_model_get_n_items (model));
  for (guint i = position; i < position + added; i++)
    {
      guint64 seq = sonde_filter_model_get_seq (SONDE_FILTER_MODEL (model), i);

      if (i > 0 && sonde_filter_model_get_seq (SONDE_FILTER_MODEL (model), i - 1) >= seq)
        watch->sorted = FALSE;
    }
}

/* The queries while entries keep arriving from another thread: every time
 * a query's first answer covers what was there when it was set, that part
 * is checked; at the end, everything is. */
static void
test_random_live (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeFilterModel) model = sonde_filter_model_new (log);
  Writer writer = { log, g_test_rand_int (), 40000, 0 };
  Watch watch = { 0, TRUE };
  GThread *thread;
  const QuerySpec *spec = NULL;

  watch.n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_signal_connect (model, "items-changed", G_CALLBACK (watch_items_changed_cb), &watch);
  thread = g_thread_new ("writer", writer_thread, &writer);

  for (guint round = 0; !g_atomic_int_get (&writer.done) || round < 4; round++)
    {
      g_autoptr(SondeFilterQuery) query = NULL;
      guint64 target;

      spec = &random_queries[g_test_rand_int_range (0, G_N_ELEMENTS (random_queries))];
      query = query_from_spec (spec);
      sonde_filter_model_set_query (model, query);
      target = g_list_model_get_n_items (G_LIST_MODEL (log));

      WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= target &&
                  sonde_filter_model_lookup (model, 0, NULL) != SONDE_FILTER_LOOKUP_PENDING);
      assert_model_matches (model, spec);
      g_assert_true (watch.sorted);
    }

  g_thread_join (thread);
  sonde_event_log_flush_notify (log);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= writer.n &&
              !sonde_filter_model_get_scanning (model));
  assert_model_matches (model, spec);
  g_assert_true (watch.sorted);
}

/* Hand-made cases ------------------------------------------------------ */

static void
append (SondeEventLog  *log,
        SondeDirection  direction,
        SondeEntryKind  kind,
        const char     *id,
        const char     *fields,
        const void     *raw,
        gsize           raw_len)
{
  sonde_event_log_append (log, 0, direction, kind, id, id != NULL ? strlen (id) : 0,
                          fields, fields != NULL ? strlen (fields) : 0, raw, raw_len);
}

static void
append_frame (SondeEventLog  *log,
              SondeDirection  direction,
              SondeEntryKind  kind,
              guint8          opcode,
              const void     *payload,
              gsize           len)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  sonde_ws_frame_append (frame, SONDE_WS_FIN | opcode, payload, len,
                         direction == SONDE_DIRECTION_OUT);
  append (log, direction, kind, NULL, NULL, frame->data, frame->len);
}

static SondeEventLog *
hand_made_log (void)
{
  SondeEventLog *log = sonde_event_log_new ();
  static const char sse[] = "event: price\nid: 41\ndata: {\"Symbol\": \"ACME\"}\ndata: second\n\n";

  append (log, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_OPEN, NULL, "\"status\":200", NULL, 0);  /* 0 */
  append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, "41", NULL, sse, strlen (sse));      /* 1 */
  append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, NULL, ": keep-alive\n", 13); /* 2 */
  append_frame (log, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, 0x1, "Grüße aus Köln",         /* 3 */
                strlen ("Grüße aus Köln"));
  append_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, 0x2, "\xde\xad\xbe\xef", 4); /* 4 */
  append (log, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, NULL,                                /* 5 */
          "\"code\":4001,\"reason\":\"Going \\\"away\\\"\"", NULL, 0);
  append (log, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL,                             /* 6 */
          "\"message\":\"Connection reset by peer\",\"domain\":\"g-io-error-quark\",\"code\":44",
          NULL, 0);
  append (log, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, NULL,                         /* 7 */
          "\"delay_ms\":3000,\"attempt\":1", NULL, 0);
  append_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, 0x1, "ACME rises", 10);         /* 8 */
  sonde_event_log_flush_notify (log);

  return log;
}

static void
assert_finds (SondeEventLog    *log,
              const char       *text,
              SondeFilterFlags  flags,
              guint             categories,
              guint             directions,
              const char       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeFilterQuery) query = sonde_filter_query_new (text, flags, categories, directions,
                                                              NULL, &error);
  g_autoptr(SondeFilterMatcher) matcher = NULL;
  g_autoptr(GString) found = g_string_new (NULL);

  g_assert_no_error (error);
  matcher = sonde_filter_matcher_new (query);
  for (guint64 seq = 0; seq < sonde_event_log_get_n_entries (log); seq++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (log, seq, &view));
      if (sonde_filter_matcher_match (matcher, &view))
        g_string_append_printf (found, "%s%" G_GUINT64_FORMAT, found->len > 0 ? " " : "", seq);
    }

  if (!g_str_equal (found->str, expected))
    g_error ("“%s” found [%s], expected [%s]", text, found->str, expected);
}

static void
test_payloads (void)
{
  g_autoptr(SondeEventLog) log = hand_made_log ();
  guint all_c = SONDE_FILTER_ALL_CATEGORIES;
  guint all_d = SONDE_FILTER_ALL_DIRECTIONS;

  /* SSE: data (across its lines), type and ID; never the field names. */
  assert_finds (log, "acme", 0, all_c, all_d, "1 8");
  assert_finds (log, "ACME", SONDE_FILTER_CASE_SENSITIVE, all_c, all_d, "1 8");
  assert_finds (log, "acme", SONDE_FILTER_CASE_SENSITIVE, all_c, all_d, "");
  assert_finds (log, "}\nsec", 0, all_c, all_d, "1");
  assert_finds (log, "PRICE", 0, all_c, all_d, "1");
  assert_finds (log, "41", 0, all_c, all_d, "1");
  assert_finds (log, "data:", 0, all_c, all_d, "");
  assert_finds (log, "event", 0, all_c, all_d, "");
  /* A comment's text; a text message, folded as Unicode says. */
  assert_finds (log, "KEEP", 0, all_c, all_d, "2");
  assert_finds (log, "GRÜSSE", 0, all_c, all_d, "3");
  assert_finds (log, "köln", SONDE_FILTER_CASE_SENSITIVE, all_c, all_d, "");
  /* Binary: by hex however it is spaced, and as text. */
  assert_finds (log, "adbe", 0, all_c, all_d, "4");
  assert_finds (log, "DE AD BE EF", 0, all_c, all_d, "4");
  assert_finds (log, "dbe", 0, all_c, all_d, "");
  assert_finds (log, "ad be", SONDE_FILTER_REGEX, all_c, all_d, "4");
  assert_finds (log, "\xef\xbf\xbd", 0, all_c, all_d, "4");
  /* A close reason (JSON escapes decoded) and its code; an error's message. */
  assert_finds (log, "\"away\"", 0, all_c, all_d, "5");
  assert_finds (log, "4001", 0, all_c, all_d, "5");
  assert_finds (log, "reset by", 0, all_c, all_d, "6");
  assert_finds (log, "g-io-error", 0, all_c, all_d, "");
  /* Regular expressions, per line. */
  assert_finds (log, "^second$", SONDE_FILTER_REGEX, all_c, all_d, "1");
  assert_finds (log, "a.m", SONDE_FILTER_REGEX, all_c, all_d, "1 8");
  assert_finds (log, "a.m", SONDE_FILTER_REGEX | SONDE_FILTER_CASE_SENSITIVE, all_c, all_d, "");
  /* Masks alone, and with text. */
  assert_finds (log, "", 0, 1u << SONDE_ENTRY_CATEGORY_LIFECYCLE, all_d, "0 7");
  assert_finds (log, "", 0, 1u << SONDE_ENTRY_CATEGORY_PROBLEM, all_d, "6");
  assert_finds (log, "", 0, 1u << SONDE_ENTRY_CATEGORY_CONTROL, all_d, "2 5");
  assert_finds (log, "", 0, all_c, 1u << SONDE_DIRECTION_OUT, "3");
  assert_finds (log, "acme", 0, 1u << SONDE_ENTRY_CATEGORY_DATA, 1u << SONDE_DIRECTION_IN, "1 8");
  assert_finds (log, "", 0, 0, all_d, "");
}

static void
test_bad_regex (void)
{
  static const struct
  {
    const char *pattern;
    int         position;
  } cases[] = {
    { "ab(c", 5 },
    { "a**", 3 },
    { "[ab", 4 },
    { "été(?<n", 8 },
    { "x)", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("at character %d:", cases[i].position);
      int position = 0;
      SondeFilterQuery *query;

      query = sonde_filter_query_new (cases[i].pattern, SONDE_FILTER_REGEX,
                                      SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS,
                                      &position, &error);
      g_assert_null (query);
      g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT);
      g_assert_cmpint (position, ==, cases[i].position);
      if (strstr (error->message, where) == NULL)
        g_error ("“%s”: “%s” does not say “%s”", cases[i].pattern, error->message, where);
      g_test_message ("%s: %s", cases[i].pattern, error->message);
    }

  /* The same text as plain text is fine, and so is a valid pattern. */
  {
    g_autoptr(SondeFilterQuery) text = sonde_filter_query_new ("ab(c", 0, SONDE_FILTER_ALL_CATEGORIES,
                                                               SONDE_FILTER_ALL_DIRECTIONS, NULL, NULL);
    int position = 0;
    g_autoptr(SondeFilterQuery) regex = sonde_filter_query_new ("ab\\(c", SONDE_FILTER_REGEX,
                                                                SONDE_FILTER_ALL_CATEGORIES,
                                                                SONDE_FILTER_ALL_DIRECTIONS,
                                                                &position, NULL);

    g_assert_nonnull (text);
    g_assert_nonnull (regex);
    g_assert_cmpint (position, ==, -1);
  }
}

static void
test_query_basics (void)
{
  g_autoptr(SondeFilterQuery) a = sonde_filter_query_new ("x", SONDE_FILTER_REGEX, 3, 1, NULL, NULL);
  g_autoptr(SondeFilterQuery) b = sonde_filter_query_new ("x", SONDE_FILTER_REGEX, 3, 1, NULL, NULL);
  g_autoptr(SondeFilterQuery) c = sonde_filter_query_new ("x", 0, 3, 1, NULL, NULL);
  g_autoptr(SondeFilterQuery) all = sonde_filter_query_new (NULL, SONDE_FILTER_REGEX,
                                                            SONDE_FILTER_ALL_CATEGORIES,
                                                            SONDE_FILTER_ALL_DIRECTIONS, NULL, NULL);
  GValue value = G_VALUE_INIT;

  g_assert_true (sonde_filter_query_equal (a, b));
  g_assert_false (sonde_filter_query_equal (a, c));
  g_assert_false (sonde_filter_query_equal (a, NULL));
  g_assert_false (sonde_filter_query_matches_all (a));
  g_assert_true (sonde_filter_query_matches_all (all));
  g_assert_cmpstr (sonde_filter_query_get_text (all), ==, "");
  g_assert_cmpuint (sonde_filter_query_get_categories (a), ==, 3);
  g_assert_cmpuint (sonde_filter_query_get_directions (a), ==, 1);
  g_assert_cmpint (sonde_filter_query_get_flags (a), ==, SONDE_FILTER_REGEX);

  /* A boxed type, so that it can be a property. */
  g_value_init (&value, SONDE_TYPE_FILTER_QUERY);
  g_value_set_boxed (&value, a);
  g_assert_true (g_value_get_boxed (&value) == a);
  g_value_unset (&value);
  g_assert_true (G_TYPE_IS_FLAGS (SONDE_TYPE_FILTER_FLAGS));
}

static void
test_create_destroy (void)
{
  SondeEventLog *log = hand_made_log ();
  SondeFilterModel *model = sonde_filter_model_new (log);
  g_autoptr(SondeFilterQuery) query = sonde_filter_query_new ("acme", 0, SONDE_FILTER_ALL_CATEGORIES,
                                                              SONDE_FILTER_ALL_DIRECTIONS, NULL, NULL);
  SondeEntry *entry;

  /* Without a query, the model is the log. */
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == SONDE_TYPE_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 9);
  g_assert_false (sonde_filter_model_get_active (model));
  g_assert_true (sonde_filter_model_get_log (model) == log);

  sonde_filter_model_set_query (model, query);
  g_assert_true (sonde_filter_model_get_query (model) == query);
  WAIT_UNTIL (sonde_filter_model_lookup (model, 1, NULL) != SONDE_FILTER_LOOKUP_PENDING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  entry = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpuint (sonde_entry_get_seq (entry), ==, 8);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 2));
  g_assert_finalize_object (entry);

  g_assert_finalize_object (model);
  g_assert_finalize_object (log);
}

typedef struct
{
  guint emissions;
  guint n_items;
} Count;

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gpointer    user_data)
{
  Count *count = user_data;

  count->emissions++;
  count->n_items = count->n_items - removed + added;
}

/* New entries appear as they arrive, a few at a time on the main thread
 * and many at once on a worker; selection lookups answer "not yet" for
 * what is not scanned. */
static void
test_appends (void)
{
  g_autoptr(SondeEventLog) log = hand_made_log ();
  g_autoptr(SondeFilterModel) model = sonde_filter_model_new (log);
  g_autoptr(SondeFilterQuery) query = sonde_filter_query_new ("acme", 0, SONDE_FILTER_ALL_CATEGORIES,
                                                              SONDE_FILTER_ALL_DIRECTIONS, NULL, NULL);
  Count count = { 0, 9 };
  guint position = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (count_items_changed_cb), &count);
  sonde_filter_model_set_query (model, query);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 9);
  g_assert_cmpuint (count.n_items, ==, 2);
  g_assert_cmpint (sonde_filter_model_lookup (model, 8, &position), ==, SONDE_FILTER_LOOKUP_FOUND);
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpint (sonde_filter_model_lookup (model, 3, NULL), ==, SONDE_FILTER_LOOKUP_NOT_FOUND);
  g_assert_cmpint (sonde_filter_model_lookup (model, 9, NULL), ==, SONDE_FILTER_LOOKUP_PENDING);

  /* A few: matched as they are published. */
  append_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, 0x1, "acme", 4);
  append_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, 0x1, "other", 5);
  g_assert_cmpint (sonde_filter_model_lookup (model, 9, NULL), ==, SONDE_FILTER_LOOKUP_PENDING);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 11);
  g_assert_cmpuint (count.n_items, ==, 3);
  g_assert_cmpint (sonde_filter_model_lookup (model, 9, &position), ==, SONDE_FILTER_LOOKUP_FOUND);
  g_assert_cmpuint (position, ==, 2);
  g_assert_cmpint (sonde_filter_model_lookup (model, 10, NULL), ==, SONDE_FILTER_LOOKUP_NOT_FOUND);

  /* Many: on a worker, shown as a scan. */
  for (guint i = 0; i < 200000; i++)
    append_frame (log, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, 0x1, i % 1000 == 0 ? "ACME" : "nope", 4);
  sonde_event_log_flush_notify (log);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 200011 &&
              !sonde_filter_model_get_scanning (model));
  g_assert_cmpuint (count.n_items, ==, 203);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 203);
  g_assert_cmpfloat (sonde_filter_model_get_progress (model), ==, 1.0);
  g_assert_cmpuint (sonde_filter_model_get_seq (model, 202), ==, 11 + 199000);

  /* Back to everything: the log, row for row, at once. */
  sonde_filter_model_set_query (model, NULL);
  g_assert_false (sonde_filter_model_get_active (model));
  g_assert_cmpuint (count.n_items, ==, 200011);
  g_assert_cmpuint (sonde_filter_model_get_seq (model, 12345), ==, 12345);
}

typedef struct
{
  SondeFilterModel *model;
  Reference        *ref;
  SondeEventLog    *log;
  guint             bad_rows;
} Guard;

static void
guard_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gpointer    user_data)
{
  Guard *guard = user_data;

  for (guint i = position; i < position + added; i++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (guard->log,
                                               sonde_filter_model_get_seq (guard->model, i), &view));
      if (!reference_match (guard->ref, &view))
        guard->bad_rows++;
    }
}

/* A new query cancels the scan in flight: nothing the old one found ever
 * shows after it, and the new answer is whole. Then a model dropped in the
 * middle of a scan lets go of its log once the worker stops. */
static void
test_cancel (void)
{
  static const QuerySpec first = { ".*a.*e.*", SONDE_FILTER_REGEX,
                                   SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS };
  static const QuerySpec second = { "kelvin", 0,
                                    SONDE_FILTER_ALL_CATEGORIES, SONDE_FILTER_ALL_DIRECTIONS };
  SondeEventLog *log = sonde_event_log_new ();
  SondeFilterModel *model = sonde_filter_model_new (log);
  g_autoptr(SondeFilterQuery) first_query = query_from_spec (&first);
  g_autoptr(SondeFilterQuery) second_query = query_from_spec (&second);
  Reference ref;
  Guard guard = { model, &ref, log, 0 };
  gulong handler;

  fill_log (log, g_test_rand_int (), 100000);
  reference_init (&ref, &second);

  sonde_filter_model_set_query (model, first_query);
  g_assert_true (sonde_filter_model_get_scanning (model));
  /* Let the first scan report something, then replace it. */
  WAIT_UNTIL (sonde_filter_model_lookup (model, 0, NULL) != SONDE_FILTER_LOOKUP_PENDING);
  g_test_message ("replaced after %" G_GUINT64_FORMAT " of 100000 entries",
                  sonde_filter_model_get_n_scanned (model));

  handler = g_signal_connect (model, "items-changed", G_CALLBACK (guard_items_changed_cb), &guard);
  sonde_filter_model_set_query (model, second_query);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 100000 &&
              !sonde_filter_model_get_scanning (model));
  g_assert_cmpuint (guard.bad_rows, ==, 0);
  assert_model_matches (model, &second);
  reference_clear (&ref);
  g_signal_handler_disconnect (model, handler);

  /* Dropped mid-scan. */
  sonde_filter_model_set_query (model, first_query);
  g_assert_true (sonde_filter_model_get_scanning (model));
  g_assert_finalize_object (model);
  g_object_add_weak_pointer (G_OBJECT (log), (gpointer *)&log);
  g_object_unref (log);
  WAIT_UNTIL (log == NULL);
}

/* Entries of about a kilobyte, every third a hit, so that a few thousand fill a block. */
static void
append_tagged (SondeEventLog *log,
               guint          from,
               guint          to)
{
  g_autofree char *padding = g_strnfill (1000, '.');

  for (guint i = from; i < to; i++)
    {
      g_autofree char *raw = g_strdup_printf ("data: %u %s %s\n\n", i,
                                              i % 3 == 0 ? "hit" : "miss", padding);

      sonde_event_log_append (log, i, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0, NULL, 0,
                              (const guint8 *)raw, strlen (raw));
    }
}

/* The rows are exactly the hits from @first to @end, in order. */
static void
assert_hits (SondeFilterModel *model,
             guint64           first,
             guint64           end)
{
  guint position = 0;

  for (guint64 seq = first; seq < end; seq++)
    if (seq % 3 == 0)
      g_assert_cmpuint (sonde_filter_model_get_seq (model, position++), ==, seq);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, position);
}

/* What a live tab under an entry limit does after each items-changed. */
static void
keep_5000_cb (SondeEventLog *log,
              guint          position,
              guint          removed,
              guint          added,
              gpointer       user_data)
{
  sonde_event_log_keep_newest (log, 5000);
}

/* The log lets go of its oldest entries: their rows go too, from the start,
 * with or without a query, while a scan runs on a worker or not; the
 * model's signals say exactly that (a mirror kept by them alone agrees). */
static void
test_log_release (void)
{
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();
  g_autoptr(SondeFilterModel) model = sonde_filter_model_new (log);
  g_autoptr(SondeFilterQuery) query = sonde_filter_query_new ("hit", 0, SONDE_FILTER_ALL_CATEGORIES,
                                                              SONDE_FILTER_ALL_DIRECTIONS, NULL, NULL);
  SondeTestMirror *mirror;
  guint position = G_MAXUINT;
  guint64 first;
  guint64 end;
  gulong limit;

  append_tagged (log, 0, 20000);
  sonde_event_log_flush_notify (log);
  sonde_filter_model_set_query (model, query);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 20000 &&
              !sonde_filter_model_get_scanning (model));
  assert_hits (model, 0, 20000);
  mirror = sonde_test_mirror_new (G_LIST_MODEL (model));

  /* In whole blocks: some before 15,000 may stay. */
  sonde_event_log_release_before (log, 15000);
  sonde_event_log_flush_notify (log);
  first = sonde_event_log_get_first_seq (log);
  g_assert_cmpuint (first, >, 10000);
  g_assert_cmpuint (first, <=, 15000);
  assert_hits (model, first, 20000);
  g_assert_cmpuint (sonde_test_mirror_removed (mirror), ==, (first + 2) / 3);
  g_assert_cmpint (sonde_filter_model_lookup (model, 0, NULL), ==, SONDE_FILTER_LOOKUP_NOT_FOUND);
  g_assert_cmpint (sonde_filter_model_lookup (model, (first + 2) / 3 * 3 + 3, &position), ==,
                   SONDE_FILTER_LOOKUP_FOUND);
  g_assert_cmpuint (position, ==, 1);
  sonde_test_mirror_check (mirror);

  /* Many more, matched on a worker while the log lets go under it. */
  limit = g_signal_connect (log, "items-changed", G_CALLBACK (keep_5000_cb), NULL);
  for (guint from = 20000; from < 120000; from += 20000)
    {
      append_tagged (log, from, from + 20000);
      sonde_event_log_flush_notify (log);
      g_main_context_iteration (NULL, FALSE);
      sonde_event_log_flush_notify (log);
    }
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 120000 &&
              !sonde_filter_model_get_scanning (model));
  first = sonde_event_log_get_first_seq (log);
  g_assert_cmpuint (first, >, 100000);
  g_assert_cmpuint (first, <=, 115000);
  assert_hits (model, first, 120000);
  sonde_test_mirror_check (mirror);

  /* A new query counts from the oldest entry kept. */
  sonde_filter_model_set_query (model, NULL);
  sonde_filter_model_set_query (model, query);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 120000 &&
              !sonde_filter_model_get_scanning (model));
  assert_hits (model, first, 120000);
  sonde_test_mirror_check (mirror);

  /* No query: the log row for row, its oldest going as they do there. */
  sonde_filter_model_set_query (model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 120000 - first);
  g_assert_cmpuint (sonde_filter_model_get_seq (model, 0), ==, first);
  g_assert_cmpint (sonde_filter_model_lookup (model, first + 10, &position), ==,
                   SONDE_FILTER_LOOKUP_FOUND);
  g_assert_cmpuint (position, ==, 10);
  g_assert_cmpint (sonde_filter_model_lookup (model, first - 1, NULL), ==,
                   SONDE_FILTER_LOOKUP_NOT_FOUND);
  append_tagged (log, 120000, 140000);
  sonde_event_log_flush_notify (log);
  sonde_event_log_flush_notify (log);
  end = sonde_event_log_get_first_seq (log) + g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (end, ==, 140000);
  g_assert_cmpuint (sonde_event_log_get_first_seq (log), >, first);
  g_assert_cmpuint (sonde_filter_model_get_seq (model, 0), ==, sonde_event_log_get_first_seq (log));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (log)));
  sonde_test_mirror_check (mirror);
  g_assert_cmpuint (sonde_test_mirror_removed (mirror), >, 0);

  /* A query set while the log lets go: shown rows and the new scan both follow. */
  sonde_filter_model_set_query (model, query);
  append_tagged (log, 140000, 160000);
  sonde_event_log_flush_notify (log);
  sonde_event_log_flush_notify (log);
  WAIT_UNTIL (sonde_filter_model_get_n_scanned (model) >= 160000 &&
              !sonde_filter_model_get_scanning (model));
  sonde_event_log_flush_notify (log);
  assert_hits (model, sonde_event_log_get_first_seq (log), 160000);
  sonde_test_mirror_check (mirror);

  g_signal_handler_disconnect (log, limit);
  sonde_test_mirror_free (mirror);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/filter-model/query-basics", test_query_basics);
  g_test_add_func ("/sonde/filter-model/create-destroy", test_create_destroy);
  g_test_add_func ("/sonde/filter-model/payloads", test_payloads);
  g_test_add_func ("/sonde/filter-model/bad-regex", test_bad_regex);
  g_test_add_func ("/sonde/filter-model/appends", test_appends);
  g_test_add_func ("/sonde/filter-model/cancel", test_cancel);
  g_test_add_func ("/sonde/filter-model/log-release", test_log_release);
  g_test_add_func ("/sonde/filter-model/random-static", test_random_static);
  g_test_add_func ("/sonde/filter-model/random-live", test_random_live);

  return g_test_run ();
}

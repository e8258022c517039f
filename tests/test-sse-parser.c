/* test-sse-parser.c: the SSE parser against the WHATWG rules, fed whole and in every split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-sse-parser.h"

/* What a run of the parser did, as text: one line per callback. Bytes that
 * are not printable ASCII are written \xHH, so transcripts compare exactly. */

typedef enum
{
  CB_NONE,
  CB_EVENT,
  CB_COMMENT,
  CB_RETRY,
  CB_DROP,
  CB_END,
} CbKind;

typedef struct
{
  CbKind              kind;
  const char         *type;    /* event type; comment text */
  gsize               type_len;
  const char         *data;
  gsize               data_len;
  const char         *id;
  gsize               id_len;
  gboolean            id_set;
  const char         *raw;
  gsize               raw_len;
  guint64             num;     /* retry: ms; drop: bytes */
  SondeSseDropReason  reason;
} Expect;

#define LIT(field, s) .field = (s), .field##_len = sizeof (s) - 1
#define EVENT(t, d, i, set, r) \
  { .kind = CB_EVENT, LIT (type, t), LIT (data, d), LIT (id, i), .id_set = (set), LIT (raw, r) }
#define MESSAGE(d, i, set, r) EVENT ("message", d, i, set, r)
#define COMMENT(text, r) { .kind = CB_COMMENT, LIT (type, text), LIT (raw, r) }
#define RETRY(ms) { .kind = CB_RETRY, .num = (ms) }
#define DROP_LINE(n) { .kind = CB_DROP, .reason = SONDE_SSE_DROP_LINE_TOO_LONG, .num = (n) }
#define DROP_EVENT(n) { .kind = CB_DROP, .reason = SONDE_SSE_DROP_EVENT_TOO_LARGE, .num = (n) }
#define END { .kind = CB_END }
#define LAST_ID(s) .last_id = (s)

#define MAX_EXPECT 16

typedef struct
{
  const char *name;
  const char *input;       /* the first stream */
  gsize       input_len;
  const char *input2;      /* a second stream on the same parser, after end_stream */
  gsize       input2_len;
  gsize       max_size;    /* 0 for the default */
  const char *pending;     /* get_pending before the last end_stream */
  gsize       pending_len;
  const char *last_id;     /* get_last_event_id at the end; NULL for "" */
  Expect      expect[MAX_EXPECT];
} Vector;

#define FFFD "\xEF\xBF\xBD"
#define BOM "\xEF\xBB\xBF"

static const Vector vectors[] = {
  /* Events, data and the leading space */
  { "simple", LIT (input, "data: hello\n\n"),
    .expect = { MESSAGE ("hello", "", FALSE, "data: hello\n\n"), END } },
  { "two-events", LIT (input, "data: a\n\ndata: b\n\n"),
    .expect = { MESSAGE ("a", "", FALSE, "data: a\n\n"), MESSAGE ("b", "", FALSE, "data: b\n\n"), END } },
  { "multi-line-data", LIT (input, "data: a\ndata: b\ndata: c\n\n"),
    .expect = { MESSAGE ("a\nb\nc", "", FALSE, "data: a\ndata: b\ndata: c\n\n"), END } },
  { "data-without-colon", LIT (input, "data\n\n"),
    .expect = { MESSAGE ("", "", FALSE, "data\n\n"), END } },
  { "data-colon-no-value", LIT (input, "data:\n\n"),
    .expect = { MESSAGE ("", "", FALSE, "data:\n\n"), END } },
  { "data-empty-lines", LIT (input, "data\ndata\ndata: x\n\n"),
    .expect = { MESSAGE ("\n\nx", "", FALSE, "data\ndata\ndata: x\n\n"), END } },
  { "one-space-stripped", LIT (input, "data:  two\n\ndata:none\n\ndata:\ttab\n\ndata: \n\n"),
    .expect = { MESSAGE (" two", "", FALSE, "data:  two\n\n"),
                MESSAGE ("none", "", FALSE, "data:none\n\n"),
                MESSAGE ("\ttab", "", FALSE, "data:\ttab\n\n"),
                MESSAGE ("", "", FALSE, "data: \n\n"), END } },
  { "trailing-space-kept", LIT (input, "data: x \n\n"),
    .expect = { MESSAGE ("x ", "", FALSE, "data: x \n\n"), END } },
  { "colon-in-value", LIT (input, "data: a: b:c\n\n"),
    .expect = { MESSAGE ("a: b:c", "", FALSE, "data: a: b:c\n\n"), END } },
  { "nul-in-data", LIT (input, "data: a\0b\ndata: \0\n\n"),
    .expect = { MESSAGE ("a\0b\n\0", "", FALSE, "data: a\0b\ndata: \0\n\n"), END } },
  { "many-events", LIT (input, "id:1\ndata:a\n\nid:2\ndata:b\n\nid:3\ndata:c\n\n"),
    LAST_ID ("3"),
    .expect = { MESSAGE ("a", "1", TRUE, "id:1\ndata:a\n\n"),
                MESSAGE ("b", "2", TRUE, "id:2\ndata:b\n\n"),
                MESSAGE ("c", "3", TRUE, "id:3\ndata:c\n\n"), END } },

  /* Event types */
  { "event-type", LIT (input, "event: add\ndata: 1\n\n"),
    .expect = { EVENT ("add", "1", "", FALSE, "event: add\ndata: 1\n\n"), END } },
  { "event-type-reset-after-dispatch", LIT (input, "event: a\ndata: 1\n\ndata: 2\n\n"),
    .expect = { EVENT ("a", "1", "", FALSE, "event: a\ndata: 1\n\n"),
                MESSAGE ("2", "", FALSE, "data: 2\n\n"), END } },
  { "event-type-reset-by-empty-block", LIT (input, "event: a\n\ndata: 2\n\n"),
    .expect = { MESSAGE ("2", "", FALSE, "data: 2\n\n"), END } },
  { "event-type-empty-is-message", LIT (input, "event\ndata: x\n\nevent:\ndata: y\n\n"),
    .expect = { MESSAGE ("x", "", FALSE, "event\ndata: x\n\n"),
                MESSAGE ("y", "", FALSE, "event:\ndata: y\n\n"), END } },
  { "event-type-last-wins", LIT (input, "event: a\nevent: b\ndata: x\n\n"),
    .expect = { EVENT ("b", "x", "", FALSE, "event: a\nevent: b\ndata: x\n\n"), END } },
  { "event-type-verbatim", LIT (input, "event:  spaced \ndata: x\n\n"),
    .expect = { EVENT (" spaced ", "x", "", FALSE, "event:  spaced \ndata: x\n\n"), END } },

  /* The last event ID */
  { "id", LIT (input, "id: 1\ndata: x\n\n"), LAST_ID ("1"),
    .expect = { MESSAGE ("x", "1", TRUE, "id: 1\ndata: x\n\n"), END } },
  { "id-persists", LIT (input, "id: 1\ndata: a\n\ndata: b\n\n"), LAST_ID ("1"),
    .expect = { MESSAGE ("a", "1", TRUE, "id: 1\ndata: a\n\n"),
                MESSAGE ("b", "1", FALSE, "data: b\n\n"), END } },
  { "id-set-by-block-without-data", LIT (input, "id: 7\n\ndata: y\n\n"), LAST_ID ("7"),
    .expect = { MESSAGE ("y", "7", FALSE, "data: y\n\n"), END } },
  { "id-only", LIT (input, "id: 9\n\n"), LAST_ID ("9"),
    .expect = { END } },
  { "id-empty-resets", LIT (input, "id: 1\ndata: a\n\nid\ndata: b\n\nid: 2\ndata: c\n\nid:\ndata: d\n\n"),
    .expect = { MESSAGE ("a", "1", TRUE, "id: 1\ndata: a\n\n"),
                MESSAGE ("b", "", TRUE, "id\ndata: b\n\n"),
                MESSAGE ("c", "2", TRUE, "id: 2\ndata: c\n\n"),
                MESSAGE ("d", "", TRUE, "id:\ndata: d\n\n"), END } },
  { "id-with-nul-ignored", LIT (input, "id: 1\ndata: a\n\nid: 2\0" "3\ndata: b\n\nid: \0\n\n"),
    LAST_ID ("1"),
    .expect = { MESSAGE ("a", "1", TRUE, "id: 1\ndata: a\n\n"),
                MESSAGE ("b", "1", FALSE, "id: 2\0" "3\ndata: b\n\n"), END } },
  { "id-last-wins", LIT (input, "id: 1\nid: 2\ndata: x\n\n"), LAST_ID ("2"),
    .expect = { MESSAGE ("x", "2", TRUE, "id: 1\nid: 2\ndata: x\n\n"), END } },
  { "id-unterminated-not-applied", LIT (input, "id: 1\ndata: a\n\nid: 2\ndata: b"),
    LIT (pending, "id: 2\ndata: b"), LAST_ID ("1"),
    .expect = { MESSAGE ("a", "1", TRUE, "id: 1\ndata: a\n\n"), END } },
  { "id-utf8", LIT (input, "id: \xC3\xA9\xFF\ndata: x\n\n"), LAST_ID ("\xC3\xA9" FFFD),
    .expect = { MESSAGE ("x", "\xC3\xA9" FFFD, TRUE, "id: \xC3\xA9\xFF\ndata: x\n\n"), END } },

  /* retry */
  { "retry", LIT (input, "retry: 1000\n"), LIT (pending, "retry: 1000\n"),
    .expect = { RETRY (1000), END } },
  { "retry-not-digits", LIT (input, "retry: 10a\nretry: -1\nretry: 1.5\nretry: +5\nretry: 0x10\n\n"),
    .expect = { END } },
  { "retry-with-spaces", LIT (input, "retry:  100\nretry: 100 \nretry: 1 0\nretry:200\n"),
    LIT (pending, "retry:  100\nretry: 100 \nretry: 1 0\nretry:200\n"),
    .expect = { RETRY (200), END } },
  { "retry-empty", LIT (input, "retry:\nretry\nretry: \n\n"),
    .expect = { END } },
  { "retry-saturates", LIT (input, "retry: 18446744073709551615\nretry: 18446744073709551616\n"
                                   "retry: 99999999999999999999999999\nretry: 007\nretry: 0\n"
                                   "retry: 99999999999999999999999x\n\n"),
    .expect = { RETRY (G_MAXUINT64), RETRY (G_MAXUINT64), RETRY (G_MAXUINT64), RETRY (7), RETRY (0),
                END } },
  { "retry-in-event", LIT (input, "retry: 5\ndata: x\n\n"),
    .expect = { RETRY (5), MESSAGE ("x", "", FALSE, "retry: 5\ndata: x\n\n"), END } },

  /* Unknown fields and comments */
  { "unknown-fields", LIT (input, "foo: bar\nData: x\ndata : y\n data: z\nDATA\ndatum: q\n"
                                  "events: e\neventful: e\nidentity: 5\nid5\ndataa\n\ndata: ok\n\n"),
    .expect = { MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END } },
  { "comment", LIT (input, ": hello\n"), LIT (pending, ": hello\n"),
    .expect = { COMMENT (" hello", ": hello\n"), END } },
  { "comment-empty-and-colons", LIT (input, ":\n::x\n\n"),
    .expect = { COMMENT ("", ":\n"), COMMENT (":x", "::x\n"), END } },
  { "comment-in-block", LIT (input, "data: a\n: note\ndata: b\n\n"),
    .expect = { COMMENT (" note", ": note\n"),
                MESSAGE ("a\nb", "", FALSE, "data: a\n: note\ndata: b\n\n"), END } },
  { "comment-line-ends", LIT (input, ": x\r\n: y\r: z\n\n"),
    .expect = { COMMENT (" x", ": x\r\n"), COMMENT (" y", ": y\r"), COMMENT (" z", ": z\n"), END } },
  { "comment-utf8", LIT (input, ":\xE2\x82\n:\xC3\xA9\n\n"),
    .expect = { COMMENT (FFFD, ":\xE2\x82\n"), COMMENT ("\xC3\xA9", ":\xC3\xA9\n"), END } },
  { "comment-final-cr", LIT (input, ": x\r"), LIT (pending, ": x\r"),
    .expect = { END, COMMENT (" x", ": x\r") } },
  { "nul-in-comment-and-type", LIT (input, "event: \0x\n:\0\ndata\n\n"),
    .expect = { COMMENT ("\0", ":\0\n"), EVENT ("\0x", "", "", FALSE, "event: \0x\n:\0\ndata\n\n"), END } },
  { "all-fields-in-raw", LIT (input, "foo\n: c\nevent: t\nid: 3\nretry: 9\ndata: x\n\n"), LAST_ID ("3"),
    .expect = { COMMENT (" c", ": c\n"), RETRY (9),
                EVENT ("t", "x", "3", TRUE, "foo\n: c\nevent: t\nid: 3\nretry: 9\ndata: x\n\n"), END } },

  /* Line ends */
  { "cr-only", LIT (input, "data: a\rdata: b\r\r"), LIT (pending, "data: a\rdata: b\r\r"),
    .expect = { END, MESSAGE ("a\nb", "", FALSE, "data: a\rdata: b\r\r") } },
  { "cr-then-more", LIT (input, "data: a\r\rdata: b\r\r:"), LIT (pending, ":"),
    .expect = { MESSAGE ("a", "", FALSE, "data: a\r\r"), MESSAGE ("b", "", FALSE, "data: b\r\r"), END } },
  { "crlf", LIT (input, "data: a\r\ndata: b\r\n\r\n"),
    .expect = { MESSAGE ("a\nb", "", FALSE, "data: a\r\ndata: b\r\n\r\n"), END } },
  { "mixed-line-ends", LIT (input, "data: a\rdata: b\ndata: c\r\n\ndata: d\n\r\n"),
    .expect = { MESSAGE ("a\nb\nc", "", FALSE, "data: a\rdata: b\ndata: c\r\n\n"),
                MESSAGE ("d", "", FALSE, "data: d\n\r\n"), END } },
  { "lf-cr-is-two-line-ends", LIT (input, "data: a\n\rdata: b\n\n"),
    .expect = { MESSAGE ("a", "", FALSE, "data: a\n\r"), MESSAGE ("b", "", FALSE, "data: b\n\n"), END } },
  { "final-cr-blank-line", LIT (input, "data: x\n\r"), LIT (pending, "data: x\n\r"),
    .expect = { END, MESSAGE ("x", "", FALSE, "data: x\n\r") } },
  { "cr-crlf", LIT (input, "data: x\r\r\n"),
    .expect = { MESSAGE ("x", "", FALSE, "data: x\r\r\n"), END } },
  { "blank-lines-only", LIT (input, "\n\r\n\r\n\n"),
    .expect = { END } },
  { "empty-input", LIT (input, ""),
    .expect = { END } },

  /* BOM */
  { "bom", LIT (input, BOM "data: x\n\n"),
    .expect = { MESSAGE ("x", "", FALSE, "data: x\n\n"), END } },
  { "bom-only", LIT (input, BOM),
    .expect = { END } },
  { "double-bom", LIT (input, BOM BOM "data: x\n\ndata: y\n\n"),
    .expect = { MESSAGE ("y", "", FALSE, "data: y\n\n"), END } },
  { "bom-in-data-kept", LIT (input, BOM "data: " BOM "x\n\n"),
    .expect = { MESSAGE (BOM "x", "", FALSE, "data: " BOM "x\n\n"), END } },
  { "bom-not-at-start", LIT (input, "\n" BOM "data: x\n\n"),
    .expect = { END } },
  { "partial-bom", LIT (input, "\xEF\xBB\ndata: y\n\n"),
    .expect = { MESSAGE ("y", "", FALSE, "\xEF\xBB\ndata: y\n\n"), END } },
  { "partial-bom-at-end", LIT (input, "\xEF\xBB"), LIT (pending, "\xEF\xBB"),
    .expect = { END } },
  { "partial-bom-comment", LIT (input, "\xEF:x\n\n"),
    .expect = { END } },

  /* UTF-8 decoding */
  { "utf8-valid", LIT (input, "data: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xED\x9F\xBF\xF4\x8F\xBF\xBF\n\n"),
    .expect = { MESSAGE ("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xED\x9F\xBF\xF4\x8F\xBF\xBF", "", FALSE,
                         "data: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xED\x9F\xBF\xF4\x8F\xBF\xBF\n\n"), END } },
  { "utf8-truncated", LIT (input, "data: \xE2\x82" "A\n\n"),
    .expect = { MESSAGE (FFFD "A", "", FALSE, "data: \xE2\x82" "A\n\n"), END } },
  { "utf8-lone-continuation", LIT (input, "data: \x80\xBF" "a\x80\n\n"),
    .expect = { MESSAGE (FFFD FFFD "a" FFFD, "", FALSE, "data: \x80\xBF" "a\x80\n\n"), END } },
  { "utf8-overlong", LIT (input, "data: \xC0\x80|\xC1\xBF|\xE0\x80\x80|\xF0\x80\x80\x80\n\n"),
    .expect = { MESSAGE (FFFD FFFD "|" FFFD FFFD "|" FFFD FFFD FFFD "|" FFFD FFFD FFFD FFFD, "", FALSE,
                         "data: \xC0\x80|\xC1\xBF|\xE0\x80\x80|\xF0\x80\x80\x80\n\n"), END } },
  { "utf8-surrogate", LIT (input, "data: \xED\xA0\x80|\xED\xBF\xBF\n\n"),
    .expect = { MESSAGE (FFFD FFFD FFFD "|" FFFD FFFD FFFD, "", FALSE,
                         "data: \xED\xA0\x80|\xED\xBF\xBF\n\n"), END } },
  { "utf8-too-big", LIT (input, "data: \xF4\x90\x80\x80|\xF5\x80|\xFF|\xFE\n\n"),
    .expect = { MESSAGE (FFFD FFFD FFFD FFFD "|" FFFD FFFD "|" FFFD "|" FFFD, "", FALSE,
                         "data: \xF4\x90\x80\x80|\xF5\x80|\xFF|\xFE\n\n"), END } },
  { "utf8-cut-by-line-end", LIT (input, "data: \xF0\x9F\x98\ndata: \xF0\x9F\r\n\n"),
    .expect = { MESSAGE (FFFD "\n" FFFD, "", FALSE, "data: \xF0\x9F\x98\ndata: \xF0\x9F\r\n\n"), END } },
  { "utf8-cut-then-valid", LIT (input, "data: \xF0\x9F\xC3\xA9\xE2\xF0\x9F\x98\x80\n\n"),
    .expect = { MESSAGE (FFFD "\xC3\xA9" FFFD "\xF0\x9F\x98\x80", "", FALSE,
                         "data: \xF0\x9F\xC3\xA9\xE2\xF0\x9F\x98\x80\n\n"), END } },
  { "utf8-in-field-name", LIT (input, "da\xFFta: x\ndata\xE2\x82: y\n\xE2\x82" "data: z\n\n"),
    .expect = { END } },
  { "utf8-cut-before-colon", LIT (input, "\xE2:x\n\ndata:\xE2\x82:\n\n"),
    .expect = { MESSAGE (FFFD ":", "", FALSE, "data:\xE2\x82:\n\n"), END } },
  { "utf8-event-type", LIT (input, "event: \xE2\x82\xAC\xE2\ndata: x\n\n"),
    .expect = { EVENT ("\xE2\x82\xAC" FFFD, "x", "", FALSE, "event: \xE2\x82\xAC\xE2\ndata: x\n\n"), END } },

  /* The end of the stream */
  { "unterminated-event-discarded", LIT (input, "data: x\n"), LIT (pending, "data: x\n"),
    .expect = { END } },
  { "unterminated-line-discarded", LIT (input, "data: a\n\nretry: 5"), LIT (pending, "retry: 5"),
    .expect = { MESSAGE ("a", "", FALSE, "data: a\n\n"), END } },

  /* The size limit */
  { "drop-long-line", LIT (input, "data: 0123456789abcdef\n\ndata: ok\n\n"), .max_size = 16,
    .expect = { DROP_LINE (24), MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END } },
  { "drop-large-event", LIT (input, "data:0123456789\ndata:0123456789\n\ndata: ok\n\n"), .max_size = 16,
    .expect = { DROP_EVENT (33), MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END } },
  { "drop-keeps-earlier-callbacks",
    LIT (input, "id: 5\n: c\ndata:0123456789\ndata:0123456789\n: d\nretry: 1\nid: 6\n\ndata: ok\n\n"),
    .max_size = 16,
    .expect = { COMMENT (" c", ": c\n"), DROP_EVENT (62), MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END } },
  { "drop-crlf", LIT (input, "data: 0123456789abcdef\r\n\r\ndata: ok\r\n\r\n"), .max_size = 16,
    .expect = { DROP_LINE (26), MESSAGE ("ok", "", FALSE, "data: ok\r\n\r\n"), END } },
  { "drop-cr", LIT (input, "data: 0123456789\r\rdata: ok\r\r"), .max_size = 8,
    LIT (pending, "data: ok\r\r"),
    .expect = { DROP_LINE (18), END, MESSAGE ("ok", "", FALSE, "data: ok\r\r") } },
  { "drop-unterminated", LIT (input, "data: 0123456789abcdef\n"), .max_size = 16,
    .expect = { END, DROP_LINE (23) } },
  { "drop-final-cr-blank-line", LIT (input, "data: 0123456789\n\r"), .max_size = 8,
    .expect = { END, DROP_LINE (18) } },
  { "drop-line-without-end", LIT (input, "data: ok\n\n:0123456789abcdefgh"), .max_size = 16,
    .expect = { MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END, DROP_LINE (19) } },
  { "limit-exact", LIT (input, "data:0123456\ndata:0123456\n\n:0123456789abcde\n"), .max_size = 16,
    LIT (pending, ":0123456789abcde\n"),
    .expect = { MESSAGE ("0123456\n0123456", "", FALSE, "data:0123456\ndata:0123456\n\n"),
                COMMENT ("0123456789abcde", ":0123456789abcde\n"), END } },
  /* Five U+FFFD, "a" and a LF are 17 bytes; five U+FFFD and a LF exactly 16. */
  { "limit-replacement-characters",
    LIT (input, "data:\xFF\xFF\xFF\xFF\xFF" "a\n\ndata:\xFF\xFF\xFF\xFF\xFF\n\n"), .max_size = 16,
    .expect = { DROP_EVENT (13),
                MESSAGE (FFFD FFFD FFFD FFFD FFFD, "", FALSE, "data:\xFF\xFF\xFF\xFF\xFF\n\n"), END } },
  { "drop-raw-too-long", LIT (input, ":a\n:b\n:c\n:d\n:e\n:f\n:g\n:h\n:i\n:j\n:k\n\ndata: ok\n\n"),
    .max_size = 16,
    .expect = { COMMENT ("a", ":a\n"), COMMENT ("b", ":b\n"), COMMENT ("c", ":c\n"), COMMENT ("d", ":d\n"),
                COMMENT ("e", ":e\n"), COMMENT ("f", ":f\n"), COMMENT ("g", ":g\n"), COMMENT ("h", ":h\n"),
                COMMENT ("i", ":i\n"), COMMENT ("j", ":j\n"), DROP_EVENT (34),
                MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END } },

  /* Reconnection: end_stream, then a new stream on the same parser */
  { "reuse-keeps-last-id", LIT (input, "id: 5\ndata: a\n\ndata: partial"),
    LIT (input2, BOM "data: b\n\n"), LAST_ID ("5"),
    .expect = { MESSAGE ("a", "5", TRUE, "id: 5\ndata: a\n\n"), END,
                MESSAGE ("b", "5", FALSE, "data: b\n\n"), END } },
  { "reuse-forgets-cr", LIT (input, "data: a\r"), LIT (input2, "\ndata: b\n\n"),
    .expect = { END, MESSAGE ("b", "", FALSE, "data: b\n\n"), END } },
  { "reuse-unterminated-id-not-applied", LIT (input, "id: 1\ndata: a\n\nid: 2\n"),
    LIT (input2, "data: b\n\n"), LAST_ID ("1"),
    .expect = { MESSAGE ("a", "1", TRUE, "id: 1\ndata: a\n\n"), END,
                MESSAGE ("b", "1", FALSE, "data: b\n\n"), END } },
  { "reuse-after-drop", LIT (input, "data: 0123456789"), LIT (input2, "data: ok\n\n"), .max_size = 8,
    .expect = { END, DROP_LINE (16), MESSAGE ("ok", "", FALSE, "data: ok\n\n"), END } },
  { "reuse-forgets-event-type", LIT (input, "event: a\ndata: x\n"), LIT (input2, "data: y\n\n"),
    .expect = { END, MESSAGE ("y", "", FALSE, "data: y\n\n"), END } },
};

static void
append_escaped (GString    *out,
                const char *s,
                gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = s[i];

      if (c == '\\' || c == '"')
        g_string_append_printf (out, "\\%c", c);
      else if (c >= 0x20 && c < 0x7F)
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "\\x%02X", c);
    }
  g_string_append_c (out, '"');
}

static const char *
reason_name (SondeSseDropReason reason)
{
  switch (reason)
    {
    case SONDE_SSE_DROP_LINE_TOO_LONG:
      return "line-too-long";
    case SONDE_SSE_DROP_EVENT_TOO_LARGE:
      return "event-too-large";
    default:
      g_assert_not_reached ();
    }
}

static void
describe_event (GString    *out,
                const char *type,
                gsize       type_len,
                const char *data,
                gsize       data_len,
                const char *id,
                gsize       id_len,
                gboolean    id_set,
                const char *raw,
                gsize       raw_len)
{
  g_string_append (out, "event type=");
  append_escaped (out, type, type_len);
  g_string_append (out, " data=");
  append_escaped (out, data, data_len);
  g_string_append (out, " id=");
  append_escaped (out, id, id_len);
  g_string_append_printf (out, " id_set=%d raw=", id_set ? 1 : 0);
  append_escaped (out, raw, raw_len);
  g_string_append_c (out, '\n');
}

static void
describe_comment (GString    *out,
                  const char *text,
                  gsize       text_len,
                  const char *raw,
                  gsize       raw_len)
{
  g_string_append (out, "comment text=");
  append_escaped (out, text, text_len);
  g_string_append (out, " raw=");
  append_escaped (out, raw, raw_len);
  g_string_append_c (out, '\n');
}

static char *
describe_expected (const Expect *expect)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < MAX_EXPECT && expect[i].kind != CB_NONE; i++)
    {
      const Expect *e = &expect[i];

      switch (e->kind)
        {
        case CB_EVENT:
          describe_event (out, e->type, e->type_len, e->data, e->data_len, e->id, e->id_len,
                          e->id_set, e->raw, e->raw_len);
          break;
        case CB_COMMENT:
          describe_comment (out, e->type, e->type_len, e->raw, e->raw_len);
          break;
        case CB_RETRY:
          g_string_append_printf (out, "retry %" G_GUINT64_FORMAT "\n", e->num);
          break;
        case CB_DROP:
          g_string_append_printf (out, "dropped %s %" G_GUINT64_FORMAT "\n",
                                  reason_name (e->reason), e->num);
          break;
        case CB_END:
          g_string_append (out, "end\n");
          break;
        case CB_NONE:
        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (out, FALSE);
}

/* Valid UTF-8, where NUL counts as a character like any other. */
static gboolean
utf8_valid_with_nuls (const char *s,
                      gsize       len)
{
  while (len > 0)
    {
      const char *nul = memchr (s, '\0', len);
      gsize run = nul != NULL ? (gsize) (nul - s) : len;

      if (!g_utf8_validate_len (s, run, NULL))
        return FALSE;
      if (nul == NULL)
        break;
      s += run + 1;
      len -= run + 1;
    }
  return TRUE;
}

typedef struct
{
  SondeSseParser *parser;
  GString        *transcript;
} Run;

static void
check_event (Run                 *run,
             const SondeSseEvent *event)
{
  g_autofree char *data = NULL;
  g_autofree char *type = NULL;
  gsize data_len = 0;

  /* Strings end in NUL, are UTF-8, and the id is the parser's. */
  g_assert_cmpint (event->type[event->type_len], ==, '\0');
  g_assert_cmpint (event->data[event->data_len], ==, '\0');
  g_assert_cmpint (event->id[event->id_len], ==, '\0');
  g_assert_true (utf8_valid_with_nuls (event->type, event->type_len));
  g_assert_true (utf8_valid_with_nuls (event->data, event->data_len));
  g_assert_true (utf8_valid_with_nuls (event->id, event->id_len));
  g_assert_cmpuint (event->type_len, >, 0);
  g_assert_cmpstr (event->id, ==, sonde_sse_parser_get_last_event_id (run->parser));
  g_assert_cmpuint (event->raw_len, >, 0);

  /* The event log keeps only the raw block: it must give the same data back. */
  data = sonde_sse_block_get_data (event->raw, event->raw_len, &data_len, &type);
  g_assert_nonnull (data);
  g_assert_cmpmem (data, data_len, event->data, event->data_len);
  g_assert_cmpint (data[data_len], ==, '\0');
  g_assert_cmpstr (type, ==, event->type);
}

static void
on_event (gpointer             user_data,
          const SondeSseEvent *event)
{
  Run *run = user_data;

  check_event (run, event);
  describe_event (run->transcript, event->type, event->type_len, event->data, event->data_len,
                  event->id, event->id_len, event->id_set,
                  (const char *) event->raw, event->raw_len);
}

static void
on_comment (gpointer      user_data,
            const char   *text,
            gsize         text_len,
            const guint8 *raw,
            gsize         raw_len)
{
  Run *run = user_data;

  g_assert_cmpint (text[text_len], ==, '\0');
  g_assert_true (utf8_valid_with_nuls (text, text_len));
  g_assert_cmpuint (raw_len, >=, 2);
  g_assert_cmpint (raw[0], ==, ':');
  g_assert_true (raw[raw_len - 1] == '\n' || raw[raw_len - 1] == '\r');

  /* The event log keeps only the raw line: it must give the same text back. */
  {
    gsize again_len = 0;
    g_autofree char *again = sonde_sse_comment_get_text (raw, raw_len, &again_len);

    g_assert_cmpmem (again, again_len, text, text_len);
    g_assert_cmpint (again[again_len], ==, '\0');
  }

  describe_comment (run->transcript, text, text_len, (const char *) raw, raw_len);
}

static void
on_retry (gpointer user_data,
          guint64  ms)
{
  Run *run = user_data;

  g_string_append_printf (run->transcript, "retry %" G_GUINT64_FORMAT "\n", ms);
}

static void
on_dropped (gpointer           user_data,
            SondeSseDropReason reason,
            guint64            bytes)
{
  Run *run = user_data;

  g_string_append_printf (run->transcript, "dropped %s %" G_GUINT64_FORMAT "\n",
                          reason_name (reason), bytes);
}

static const SondeSseCallbacks recording_callbacks = {
  .event = on_event,
  .comment = on_comment,
  .retry = on_retry,
  .dropped = on_dropped,
};

/* The pending bytes are always the tail of what the stream has delivered. */
static void
check_pending (SondeSseParser *parser,
               const char     *input,
               gsize           fed)
{
  const guint8 *pending = NULL;
  gsize len = sonde_sse_parser_get_pending (parser, &pending);

  g_assert_cmpuint (len, <=, fed);
  if (len > 0)
    g_assert_cmpmem (pending, len, input + fed - len, len);
}

/* Feeds @input in pieces that end at each of @cuts (ascending), then the rest. */
static void
feed_stream (SondeSseParser *parser,
             const char     *input,
             gsize           len,
             const gsize    *cuts,
             guint           n_cuts)
{
  gsize done = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize upto = i < n_cuts ? MIN (cuts[i], len) : len;

      if (upto < done)
        continue;
      sonde_sse_parser_feed (parser, (const guint8 *) input + done, upto - done);
      done = upto;
      check_pending (parser, input, done);
    }
}

typedef struct
{
  const gsize *cuts;
  guint        n_cuts;
} Cuts;

/* Runs @vector with its streams cut as given, returns the transcript and
 * checks the pending bytes and the last event ID at the end. */
static char *
run_vector (const Vector *vector,
            Cuts          cuts1,
            Cuts          cuts2)
{
  g_autoptr(SondeSseParser) parser = NULL;
  GString *transcript = g_string_new (NULL);
  Run run = { NULL, transcript };
  const guint8 *pending = NULL;
  gsize pending_len;

  parser = sonde_sse_parser_new (&recording_callbacks, &run);
  run.parser = parser;
  if (vector->max_size > 0)
    sonde_sse_parser_set_max_size (parser, vector->max_size);

  feed_stream (parser, vector->input, vector->input_len, cuts1.cuts, cuts1.n_cuts);
  if (vector->input2 != NULL)
    {
      g_string_append (transcript, "end\n");
      sonde_sse_parser_end_stream (parser);
      feed_stream (parser, vector->input2, vector->input2_len, cuts2.cuts, cuts2.n_cuts);
    }

  pending_len = sonde_sse_parser_get_pending (parser, &pending);
  g_assert_cmpmem (pending, pending_len, vector->pending, vector->pending_len);

  g_string_append (transcript, "end\n");
  sonde_sse_parser_end_stream (parser);

  g_assert_cmpuint (sonde_sse_parser_get_pending (parser, &pending), ==, 0);
  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==,
                   vector->last_id != NULL ? vector->last_id : "");

  return g_string_free (transcript, FALSE);
}

static void
assert_run (const Vector *vector,
            const char   *expected,
            Cuts          cuts1,
            Cuts          cuts2,
            const char   *how)
{
  g_autofree char *got = NULL;

  got = run_vector (vector, cuts1, cuts2);
  if (g_strcmp0 (got, expected) != 0)
    {
      GString *where = g_string_new (how);

      for (guint i = 0; i < cuts1.n_cuts; i++)
        g_string_append_printf (where, " %" G_GSIZE_FORMAT, cuts1.cuts[i]);
      g_string_append (where, " |");
      for (guint i = 0; i < cuts2.n_cuts; i++)
        g_string_append_printf (where, " %" G_GSIZE_FORMAT, cuts2.cuts[i]);
      g_test_message ("vector %s fed %s", vector->name, where->str);
      g_string_free (where, TRUE);
    }
  g_assert_cmpstr (got, ==, expected);
}

static gsize *
every_byte (gsize len)
{
  gsize *cuts = g_new (gsize, MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    cuts[i] = i + 1;
  return cuts;
}

static guint
random_cuts (gsize  len,
             gsize *cuts)
{
  guint n = 0;
  gsize at = 0;

  for (;;)
    {
      at += g_test_rand_int_range (1, 9);
      if (at >= len)
        return n;
      cuts[n++] = at;
    }
}

static void
test_vector (gconstpointer user_data)
{
  const Vector *vector = user_data;
  g_autofree char *expected = describe_expected (vector->expect);
  g_autofree gsize *bytes1 = every_byte (vector->input_len);
  g_autofree gsize *bytes2 = every_byte (vector->input2_len);
  g_autofree gsize *random1 = g_new (gsize, vector->input_len + 1);
  g_autofree gsize *random2 = g_new (gsize, vector->input2_len + 1);
  const Cuts whole = { NULL, 0 };

  /* Whole */
  assert_run (vector, expected, whole, whole, "whole");

  /* Two pieces, at every offset, in each stream */
  for (gsize i = 1; i < vector->input_len; i++)
    assert_run (vector, expected, (Cuts) { &i, 1 }, whole, "in two");
  for (gsize i = 1; i < vector->input2_len; i++)
    assert_run (vector, expected, whole, (Cuts) { &i, 1 }, "in two");

  /* Three pieces, at every pair of offsets */
  for (gsize i = 1; i < vector->input_len; i++)
    {
      for (gsize j = i + 1; j < vector->input_len; j++)
        {
          gsize pair[2] = { i, j };

          assert_run (vector, expected, (Cuts) { pair, 2 }, whole, "in three");
        }
    }

  /* Byte by byte */
  assert_run (vector, expected,
              (Cuts) { bytes1, vector->input_len }, (Cuts) { bytes2, vector->input2_len },
              "byte by byte");

  /* Random pieces */
  for (guint round = 0; round < 50; round++)
    {
      guint n1 = random_cuts (vector->input_len, random1);
      guint n2 = random_cuts (vector->input2_len, random2);

      assert_run (vector, expected, (Cuts) { random1, n1 }, (Cuts) { random2, n2 }, "randomly");
    }
}

/* Every vector once more, with every callback NULL: nothing to crash on. */
static void
test_null_callbacks (void)
{
  SondeSseCallbacks none = { NULL, NULL, NULL, NULL };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *vector = &vectors[i];
      SondeSseParser *parser = sonde_sse_parser_new (i % 2 ? &none : NULL, NULL);
      const guint8 *pending;

      if (vector->max_size > 0)
        sonde_sse_parser_set_max_size (parser, vector->max_size);
      for (gsize j = 0; j < vector->input_len; j++)
        sonde_sse_parser_feed (parser, (const guint8 *) vector->input + j, 1);
      if (vector->input2 != NULL)
        {
          sonde_sse_parser_end_stream (parser);
          sonde_sse_parser_feed (parser, (const guint8 *) vector->input2, vector->input2_len);
        }
      g_assert_cmpuint (sonde_sse_parser_get_pending (parser, &pending), ==, vector->pending_len);
      sonde_sse_parser_end_stream (parser);
      g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==,
                       vector->last_id != NULL ? vector->last_id : "");
      sonde_sse_parser_free (parser);
    }
}

static void
count_event (gpointer             user_data,
             const SondeSseEvent *event)
{
  GString *log = user_data;

  g_string_append_printf (log, "%s=%s/%s;", event->type, event->id, event->data);
}

static void
test_set_last_event_id (void)
{
  SondeSseCallbacks callbacks = { .event = count_event };
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(SondeSseParser) parser = sonde_sse_parser_new (&callbacks, log);

  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==, "");
  sonde_sse_parser_set_last_event_id (parser, "abc");
  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==, "abc");

  sonde_sse_parser_feed (parser, (const guint8 *) "data: x\n\n", 9);
  sonde_sse_parser_end_stream (parser);
  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==, "abc");

  /* An id field counts only once its block has ended. */
  sonde_sse_parser_feed (parser, (const guint8 *) "id: 4\ndata: y\n", 14);
  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==, "abc");
  sonde_sse_parser_feed (parser, (const guint8 *) "\n", 1);
  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==, "4");

  sonde_sse_parser_set_last_event_id (parser, NULL);
  g_assert_cmpstr (sonde_sse_parser_get_last_event_id (parser), ==, "");
  sonde_sse_parser_feed (parser, (const guint8 *) "data: z\n\n", 9);

  g_assert_cmpstr (log->str, ==, "message=abc/x;message=4/y;message=/z;");
}

static void
test_block_get_data (void)
{
  static const struct {
    const char *raw;
    gsize       raw_len;
    const char *data;     /* NULL: no event */
    gsize       data_len;
    const char *type;
  } cases[] = {
    { LIT (raw, "data: x\n\n"), LIT (data, "x"), "message" },
    { LIT (raw, "event: t\ndata: a\ndata: b\r\n\r\n"), LIT (data, "a\nb"), "t" },
    { LIT (raw, "data: a\r\r"), LIT (data, "a"), "message" },
    { LIT (raw, "data: a\0b\n\n"), LIT (data, "a\0b"), "message" },
    { LIT (raw, "data: \xFF\n\n"), LIT (data, FFFD), "message" },
    /* What looks like a BOM in a raw block is data: the stream's BOM never is in one. */
    { LIT (raw, BOM "data: x\n\n"), NULL, 0, NULL },
    { LIT (raw, "data: x\n"), NULL, 0, NULL },
    { LIT (raw, "id: 1\n\n"), NULL, 0, NULL },
    { LIT (raw, ""), NULL, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = NULL;
      g_autofree char *type = NULL;
      gsize data_len = 99;

      data = sonde_sse_block_get_data ((const guint8 *) cases[i].raw, cases[i].raw_len,
                                       &data_len, &type);
      if (cases[i].data == NULL)
        {
          g_assert_null (data);
          g_assert_null (type);
          g_assert_cmpuint (data_len, ==, 0);
          continue;
        }
      g_assert_cmpmem (data, data_len, cases[i].data, cases[i].data_len);
      g_assert_cmpstr (type, ==, cases[i].type);
      g_clear_pointer (&data, g_free);

      /* Both out arguments are optional. */
      data = sonde_sse_block_get_data ((const guint8 *) cases[i].raw, cases[i].raw_len, NULL, NULL);
      g_assert_cmpmem (data, data_len, cases[i].data, cases[i].data_len);
    }
}

static void
test_comment_get_text (void)
{
  static const struct {
    const char *raw;
    gsize       raw_len;
    const char *text;     /* NULL: not a comment */
    gsize       text_len;
  } cases[] = {
    { LIT (raw, ": hello\n"), LIT (text, " hello") },
    { LIT (raw, ":x\r"), LIT (text, "x") },
    { LIT (raw, ":x\r\n"), LIT (text, "x") },
    { LIT (raw, ":\n"), LIT (text, "") },
    { LIT (raw, ":\xE2\x82\0\n"), LIT (text, FFFD "\0") },
    { LIT (raw, "data: x\n"), NULL, 0 },
    { LIT (raw, ": no line end"), NULL, 0 },
    { LIT (raw, ""), NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      gsize text_len = 99;

      text = sonde_sse_comment_get_text ((const guint8 *) cases[i].raw, cases[i].raw_len, &text_len);
      if (cases[i].text == NULL)
        {
          g_assert_null (text);
          g_assert_cmpuint (text_len, ==, 0);
          continue;
        }
      g_assert_cmpmem (text, text_len, cases[i].text, cases[i].text_len);
      g_assert_cmpint (text[text_len], ==, '\0');
      g_clear_pointer (&text, g_free);

      text = sonde_sse_comment_get_text ((const guint8 *) cases[i].raw, cases[i].raw_len, NULL);
      g_assert_cmpmem (text, text_len, cases[i].text, cases[i].text_len);
    }
}

typedef struct
{
  guint   events;
  gsize   data_len;
  guint   drops;
  guint64 dropped_bytes;
  SondeSseDropReason reason;
} Totals;

static void
total_event (gpointer             user_data,
             const SondeSseEvent *event)
{
  Totals *totals = user_data;

  totals->events++;
  totals->data_len = event->data_len;
}

static void
total_dropped (gpointer           user_data,
               SondeSseDropReason reason,
               guint64            bytes)
{
  Totals *totals = user_data;

  totals->drops++;
  totals->dropped_bytes = bytes;
  totals->reason = reason;
}

/* One event of several megabytes, fed in 4 KiB pieces, then one past the
 * default limit: it is dropped whole and the stream goes on. */
static void
test_large_events (void)
{
  SondeSseCallbacks callbacks = { .event = total_event, .dropped = total_dropped };
  Totals totals = { 0 };
  g_autoptr(SondeSseParser) parser = sonde_sse_parser_new (&callbacks, &totals);
  g_autoptr(GString) stream = g_string_new (NULL);
  gsize big = 3 * 1024 * 1024;
  gsize huge = SONDE_SSE_DEFAULT_MAX_SIZE;

  g_string_append (stream, "data: ");
  for (gsize i = 0; i < big; i++)
    g_string_append_c (stream, 'a' + i % 26);
  g_string_append (stream, "\n\ndata: ");
  for (gsize i = 0; i < huge; i++)
    g_string_append_c (stream, 'z');
  g_string_append (stream, "\n\ndata: after\n\n");

  for (gsize at = 0; at < stream->len; at += 4096)
    sonde_sse_parser_feed (parser, (const guint8 *) stream->str + at, MIN (4096, stream->len - at));

  g_assert_cmpuint (totals.events, ==, 2);
  g_assert_cmpuint (totals.data_len, ==, 5);
  g_assert_cmpuint (totals.drops, ==, 1);
  g_assert_cmpint (totals.reason, ==, SONDE_SSE_DROP_LINE_TOO_LONG);
  g_assert_cmpuint (totals.dropped_bytes, ==, 6 + huge + 2);
}

/* A straightforward reading of the WHATWG algorithms, one code point at a
 * time over the decoded stream, to compare the parser with on random input. */

static void
reference_decode (const guint8 *in,
                  gsize         len,
                  GString      *out)
{
  guint needed = 0, seen = 0;
  gunichar cp = 0;
  guint8 lower = 0x80, upper = 0xBF;
  gsize i = 0;

  if (len >= 3 && memcmp (in, BOM, 3) == 0)
    i = 3;

  while (i < len)
    {
      guint8 b = in[i];

      if (needed == 0)
        {
          i++;
          if (b <= 0x7F)
            g_string_append_c (out, b);
          else if (b >= 0xC2 && b <= 0xDF)
            needed = 1, cp = b & 0x1F;
          else if (b >= 0xE0 && b <= 0xEF)
            {
              if (b == 0xE0)
                lower = 0xA0;
              if (b == 0xED)
                upper = 0x9F;
              needed = 2, cp = b & 0xF;
            }
          else if (b >= 0xF0 && b <= 0xF4)
            {
              if (b == 0xF0)
                lower = 0x90;
              if (b == 0xF4)
                upper = 0x8F;
              needed = 3, cp = b & 0x7;
            }
          else
            g_string_append_unichar (out, 0xFFFD);
          continue;
        }

      if (b < lower || b > upper)
        {
          /* The byte is not consumed: it is read again after U+FFFD. */
          needed = seen = 0;
          lower = 0x80, upper = 0xBF;
          g_string_append_unichar (out, 0xFFFD);
          continue;
        }

      i++;
      lower = 0x80, upper = 0xBF;
      cp = (cp << 6) | (b & 0x3F);
      if (++seen == needed)
        {
          g_string_append_unichar (out, cp);
          needed = seen = 0;
        }
    }

  if (needed != 0)
    g_string_append_unichar (out, 0xFFFD);
}

static void
reference_parse (const guint8 *in,
                 gsize         len,
                 GString      *transcript)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GString) type = g_string_new (NULL);
  g_autoptr(GString) id_buffer = g_string_new (NULL);
  gsize pos = 0;

  reference_decode (in, len, text);

  for (;;)
    {
      gsize start = pos, end;
      const char *line;
      gsize line_len;
      const char *colon;
      g_autofree char *name = NULL;
      const char *value;
      gsize value_len;

      while (pos < text->len && text->str[pos] != '\r' && text->str[pos] != '\n')
        pos++;
      if (pos == text->len)
        break;  /* no line end: discarded with the end of the stream */
      end = pos;
      pos += (text->str[pos] == '\r' && pos + 1 < text->len && text->str[pos + 1] == '\n') ? 2 : 1;
      line = text->str + start;
      line_len = end - start;

      if (line_len == 0)
        {
          if (data->len == 0)
            {
              g_string_truncate (type, 0);
              continue;
            }
          g_string_truncate (data, data->len - 1);
          g_string_append (transcript, "event type=");
          if (type->len > 0)
            append_escaped (transcript, type->str, type->len);
          else
            append_escaped (transcript, "message", 7);
          g_string_append (transcript, " data=");
          append_escaped (transcript, data->str, data->len);
          g_string_append (transcript, " id=");
          append_escaped (transcript, id_buffer->str, id_buffer->len);
          g_string_append_c (transcript, '\n');
          g_string_truncate (data, 0);
          g_string_truncate (type, 0);
          continue;
        }

      if (line[0] == ':')
        {
          g_string_append (transcript, "comment text=");
          append_escaped (transcript, line + 1, line_len - 1);
          g_string_append_c (transcript, '\n');
          continue;
        }

      colon = memchr (line, ':', line_len);
      if (colon != NULL)
        {
          name = g_strndup (line, colon - line);
          value = colon + 1;
          value_len = line_len - (colon - line) - 1;
          if (value_len > 0 && value[0] == ' ')
            value++, value_len--;
        }
      else
        {
          name = g_strndup (line, line_len);
          value = line + line_len;
          value_len = 0;
        }

      /* A NUL in the name makes it no known name; strndup stops early there. */
      if (memchr (line, '\0', colon != NULL ? (gsize) (colon - line) : line_len) != NULL)
        continue;

      if (strcmp (name, "event") == 0)
        g_string_append_len (g_string_truncate (type, 0), value, value_len);
      else if (strcmp (name, "data") == 0)
        g_string_append_c (g_string_append_len (data, value, value_len), '\n');
      else if (strcmp (name, "id") == 0)
        {
          if (memchr (value, '\0', value_len) == NULL)
            g_string_append_len (g_string_truncate (id_buffer, 0), value, value_len);
        }
      else if (strcmp (name, "retry") == 0)
        {
          guint64 ms = 0;
          gboolean digits = value_len > 0;

          for (gsize i = 0; i < value_len && digits; i++)
            {
              if (!g_ascii_isdigit (value[i]))
                digits = FALSE;
              else if (ms > (G_MAXUINT64 - (value[i] - '0')) / 10)
                ms = G_MAXUINT64;
              else if (ms != G_MAXUINT64)
                ms = ms * 10 + (value[i] - '0');
            }
          if (digits)
            g_string_append_printf (transcript, "retry %" G_GUINT64_FORMAT "\n", ms);
        }
    }
}

static void
short_event (gpointer             user_data,
             const SondeSseEvent *event)
{
  Run *run = user_data;

  /* The reference does not track raw bytes or id_set. */
  check_event (run, event);
  g_string_append (run->transcript, "event type=");
  append_escaped (run->transcript, event->type, event->type_len);
  g_string_append (run->transcript, " data=");
  append_escaped (run->transcript, event->data, event->data_len);
  g_string_append (run->transcript, " id=");
  append_escaped (run->transcript, event->id, event->id_len);
  g_string_append_c (run->transcript, '\n');
}

static void
short_comment (gpointer      user_data,
               const char   *text,
               gsize         text_len,
               const guint8 *raw,
               gsize         raw_len)
{
  Run *run = user_data;

  g_string_append (run->transcript, "comment text=");
  append_escaped (run->transcript, text, text_len);
  g_string_append_c (run->transcript, '\n');
}

/* Random streams from SSE-like pieces, compared with the reference. */
static void
test_random_streams (void)
{
  static const char *pieces[] = {
    "data", "data:", "data: ", "event:", "event: ", "id:", "id: ", "retry:", "retry: ", ":",
    " ", "  ", "\n", "\n", "\n", "\r", "\r\n", "x", "12", "0", "\0", "\xC3\xA9", "\xE2\x82\xAC",
    "\xF0\x9F\x98\x80", "\xE2\x82", "\xF0\x9F", "\x80", "\xFF", "\xC0\x80", "\xED\xA0\x80",
    "\xF4\x90", BOM, "\xEF\xBB", "da", "ta", "ev", "ent", "foo", "99999999999999999999999",
  };
  static const SondeSseCallbacks callbacks = {
    .event = short_event,
    .comment = short_comment,
    .retry = on_retry,
    .dropped = on_dropped,
  };
  guint rounds = g_test_thorough () ? 20000 : 2000;

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GString) stream = g_string_new (NULL);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autoptr(GString) got = g_string_new (NULL);
      g_autoptr(SondeSseParser) parser = NULL;
      Run run = { NULL, got };
      guint n = g_test_rand_int_range (0, 60);
      gsize at = 0;

      if (g_test_rand_bit ())
        g_string_append (stream, BOM);
      for (guint i = 0; i < n; i++)
        {
          guint which = g_test_rand_int_range (0, G_N_ELEMENTS (pieces));
          /* "\0" is one byte long, the rest are ordinary strings. */
          gsize piece_len = pieces[which][0] == '\0' ? 1 : strlen (pieces[which]);

          g_string_append_len (stream, pieces[which], piece_len);
        }

      reference_parse ((const guint8 *) stream->str, stream->len, expected);

      parser = sonde_sse_parser_new (&callbacks, &run);
      run.parser = parser;
      while (at < stream->len)
        {
          gsize piece = g_test_rand_int_range (1, 12);

          piece = MIN (piece, stream->len - at);

          sonde_sse_parser_feed (parser, (const guint8 *) stream->str + at, piece);
          at += piece;
        }
      sonde_sse_parser_end_stream (parser);

      if (g_strcmp0 (got->str, expected->str) != 0)
        {
          g_autoptr(GString) input = g_string_new (NULL);

          append_escaped (input, stream->str, stream->len);
          g_test_message ("input: %s", input->str);
        }
      g_assert_cmpstr (got->str, ==, expected->str);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sonde/sse-parser/%s", vectors[i].name);

      g_test_add_data_func (path, &vectors[i], test_vector);
    }
  g_test_add_func ("/sonde/sse-parser/null-callbacks", test_null_callbacks);
  g_test_add_func ("/sonde/sse-parser/set-last-event-id", test_set_last_event_id);
  g_test_add_func ("/sonde/sse-parser/block-get-data", test_block_get_data);
  g_test_add_func ("/sonde/sse-parser/comment-get-text", test_comment_get_text);
  g_test_add_func ("/sonde/sse-parser/large-events", test_large_events);
  g_test_add_func ("/sonde/sse-parser/random-streams", test_random_streams);

  return g_test_run ();
}

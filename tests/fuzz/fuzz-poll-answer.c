/* fuzz-poll-answer.c: libFuzzer target for what a long-polling client reads: /poll answers and latency stamps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the body of an answer. Aborts when an accepted answer reports a
 * message whose JSON, written again, does not read back as the same message,
 * or when a stamp read from a payload does not write back as its bytes.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-poll-format.h"
#include "sonde-stamp.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define CHECK(cond) G_STMT_START { \
  if (!(cond)) \
    { \
      fprintf (stderr, "fuzz-poll-answer: check failed: %s\n", #cond); \
      abort (); \
    } \
} G_STMT_END

typedef struct
{
  const char   *event;
  gboolean      binary;
  const guint8 *data;
  gsize         len;
  guint         n;
} Again;

static void
again_cb (gpointer      user_data,
          const char   *event,
          gboolean      binary,
          const guint8 *data,
          gsize         len,
          gsize         encoded_len)
{
  Again *again = user_data;

  CHECK (g_strcmp0 (event, again->event) == 0);
  CHECK (binary == again->binary);
  CHECK (len == again->len && (len == 0 || memcmp (data, again->data, len) == 0));
  again->n++;
}

static void
message_cb (gpointer      user_data,
            const char   *event,
            gboolean      binary,
            const guint8 *data,
            gsize         len,
            gsize         encoded_len)
{
  g_autoptr(GString) json = g_string_new ("{\"cursor\":1,\"messages\":[");
  Again again = { event, binary, data, len, 0 };
  guint64 cursor;
  gboolean end;
  guint32 index;
  gint64 sent_us;

  sonde_poll_format_message (json, event, binary, data, len);
  CHECK (json->len - 24 == encoded_len);
  g_string_append (json, "]}");
  CHECK (sonde_poll_parse_answer (json->str, json->len, &cursor, &end, again_cb, &again, NULL));
  CHECK (again.n == 1 && cursor == 1 && !end);

  if (sonde_stamp_parse (data, len, &index, &sent_us))
    {
      char stamp[SONDE_STAMP_LEN];

      sonde_stamp_format (stamp, index, sent_us);
      CHECK (memcmp (stamp, data, SONDE_STAMP_LEN) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  guint64 cursor;
  gboolean end;

  sonde_poll_parse_answer ((const char *)input, size, &cursor, &end, message_cb, NULL, NULL);
  return 0;
}

/* fuzz-mock-request.c: libFuzzer target for what the mock server reads from its clients: the request and resume messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, then the bytes.
 * Settings: bit 0 picks what the bytes are:
 *   0: an HTTP request head (without its blank line), parsed as libsoup's
 *      server does, whose Last-Event-ID or ?last_id= says where a client
 *      resumes;
 *   1: a message a /ws client sends, which may be a resume message
 *      ({"last_id": ID}).
 *
 * Aborts when a resume point is past the end of the recording, or not right
 * after the item whose id the client named, or when a resume message gives
 * an ID that is not UTF-8.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-mock-server-private.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-mock-request: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

/* A recording with ids of several shapes, and one id twice, built once. */
static SondeMockServer *
server (void)
{
  static SondeMockServer *server;

  if (server == NULL)
    {
      static const char * const ids[] = { "1", "2", "ev-3", "ev-3", "", "\xc3\xa9t\xc3\xa9", "42" };
      g_autoptr(SondeEventLog) log = sonde_event_log_new ();

      for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
        {
          g_autofree char *raw = g_strdup_printf ("id: %s\ndata: %u\n\n", ids[i], i);

          sonde_event_log_append (log, i * 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, ids[i],
                                  strlen (ids[i]), NULL, 0, (const guint8 *)raw, strlen (raw));
        }
      server = sonde_mock_server_new (log);
      sonde_mock_items_build (server);
    }
  return server;
}

/* The position must be right after the last item with that id, or 0. */
static void
check_position (const char *last_id)
{
  SondeMockServer *self = server ();
  guint position = sonde_mock_resume_position (self, last_id);
  guint expected = 0;

  for (guint i = 0; last_id != NULL && last_id[0] != '\0' && i < self->items->len; i++)
    {
      const SondeMockItem *item = &g_array_index (self->items, SondeMockItem, i);

      if (item->id != NULL && g_str_equal (item->id, last_id))
        expected = i + 1;
    }
  CHECK (position <= self->items->len);
  if (position != expected)
    FAIL ("resuming after “%s” starts at %u, not %u", last_id, position, expected);
}

static void
request (const char *head,
         gsize       len)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) query = NULL;
  const char *question;
  const char *last_id;
  SoupHTTPVersion version;

  if (soup_headers_parse_request (head, (int)len, headers, &method, &path, &version) != SOUP_STATUS_OK)
    return;
  question = path != NULL ? strchr (path, '?') : NULL;
  if (question != NULL)
    query = soup_form_decode (question + 1);
  last_id = sonde_mock_request_last_id (headers, query);
  check_position (last_id);
}

static void
resume_message (const char *data,
                gsize       len)
{
  g_autofree char *last_id = sonde_mock_parse_resume_message (data, len);

  if (last_id == NULL)
    return;
  CHECK (g_utf8_validate (last_id, -1, NULL));
  check_position (last_id);
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  g_autofree char *text = NULL;

  if (size < 1 || size > 1024 * 1024)
    return 0;
  /* NUL-terminated, as libsoup's server hands the parser its head. */
  text = g_strndup ((const char *)input + 1, size - 1);

  if ((input[0] & 1) == 0)
    request (text, size - 1);
  else
    resume_message ((const char *)input + 1, size - 1);

  return 0;
}

/* sonde-mock-server-poll.c: the mock server's /poll (long polling with a cursor) and POST /echo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-json.h"
#include "sonde-mock-server-private.h"
#include "sonde-poll-format.h"

/* /poll serves the shared feed (sonde-mock-server-feed.c), which stamped
 * /sse and /ws clients read too: the item at position P (counting every
 * item, across loops) is due at the feed's start plus its recorded time. A
 * poll `GET /poll?cursor=N` is answered as soon as messages at N or later
 * are due, with those messages and the cursor that follows them; or after
 * `timeout` seconds with none and the same cursor. A poller that lost an
 * answer asks again with the cursor it has: nothing is lost or repeated.
 *
 * Faults: drop-every closes each connection (without an answer) once it is
 * that old, while a poll waits on it or when the next one comes; the others
 * are about one stream and do not apply. */

#define DEFAULT_TIMEOUT_S 25.0
#define MAX_TIMEOUT_S     300.0
/* Messages in one answer at most: a poller far behind catches up in steps. */
#define MAX_ANSWER_MESSAGES 512
#define MAX_ANSWER_BYTES    (1024 * 1024)

typedef struct
{
  SondeMockServer   *server;
  SoupServerMessage *msg;
  guint64            cursor;
  gboolean           stamp;
  gint64             deadline_us;
  GSource           *timer;
} PollWaiter;

struct _SondeMockPoll
{
  GList  *waiters;     /* PollWaiter */
};

/* What a connection carries along: when it came, for drop-every. */
#define BORN_KEY "sonde-poll-born"

static void poll_waiter_free (PollWaiter *waiter);

static SondeMockPoll *
get_poll (SondeMockServer *self)
{
  if (self->poll == NULL)
    self->poll = g_new0 (SondeMockPoll, 1);
  return self->poll;
}

void
sonde_mock_poll_stop (SondeMockServer *self)
{
  if (self->poll == NULL)
    return;
  while (self->poll->waiters != NULL)
    poll_waiter_free (self->poll->waiters->data);
  g_clear_pointer (&self->poll, g_free);
}

static gboolean
feed_ended (SondeMockServer *self,
            guint64          position)
{
  return self->items->len == 0 || (!self->loop && position >= self->items->len);
}

static void
set_json (SoupServerMessage *msg,
          GString           *json)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json->str,
                                    json->len);
}

/* Answers when there is something to say, and returns whether it did;
 * otherwise sets *@next_due_us to when the next message falls due. */
static gboolean
try_answer (SondeMockServer   *self,
            SoupServerMessage *msg,
            guint64           *cursor,
            gboolean           stamp,
            gboolean           timed_out,
            gint64            *next_due_us)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GString) messages = g_string_new (NULL);
  gint64 now = g_get_monotonic_time ();
  guint64 position = *cursor;
  guint n_messages = 0;
  gboolean ended;

  *next_due_us = G_MAXINT64;
  while (!(ended = feed_ended (self, position)) && n_messages < MAX_ANSWER_MESSAGES &&
         messages->len < MAX_ANSWER_BYTES)
    {
      guint index = (guint)(position % self->items->len);
      guint64 loops = position / self->items->len;
      const SondeMockItem *item = &g_array_index (self->items, SondeMockItem, index);
      gint64 due = sonde_mock_feed_due_us (self, loops, index);

      if (due > now)
        {
          *next_due_us = due;
          break;
        }
      if (sonde_mock_item_is_message (item))
        {
          g_autoptr(GBytes) payload = NULL;
          guint64 message = loops * self->n_messages + item->message_index;
          gsize len;
          const guint8 *data;

          /* Past the end of an ended feed: nothing more falls due. */
          if (!sonde_mock_feed_take (self, message))
            break;
          payload = stamp ? sonde_mock_item_stamped (item, message,
                                                     sonde_mock_feed_send_time (self, loops, index))
                          : g_bytes_ref (item->payload);
          data = g_bytes_get_data (payload, &len);
          if (n_messages > 0)
            g_string_append_c (messages, ',');
          sonde_poll_format_message (messages, item->ws_binary ? NULL : item->event,
                                          item->ws_binary, data, len);
          n_messages++;
        }
      position++;
    }
  *cursor = position;

  if (n_messages == 0 && !ended && !timed_out)
    return FALSE;

  g_string_append_printf (json, "{\"cursor\":%" G_GUINT64_FORMAT ",\"messages\":[%s]%s}\n",
                          position, messages->str, ended && n_messages == 0 ? ",\"end\":true" : "");
  set_json (msg, json);
  return TRUE;
}

static gint64
connection_born (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 *born;

  if (socket == NULL)
    return g_get_monotonic_time ();
  born = g_object_get_data (G_OBJECT (socket), BORN_KEY);
  if (born == NULL)
    {
      born = g_new (gint64, 1);
      *born = g_get_monotonic_time ();
      g_object_set_data_full (G_OBJECT (socket), BORN_KEY, born, g_free);
    }
  return *born;
}

/* When drop-every hangs up on this request's connection (G_MAXINT64: never). */
static gint64
drop_at_us (SondeMockServer   *self,
            SoupServerMessage *msg)
{
  if (self->faults->drop_every <= 0)
    return G_MAXINT64;
  return connection_born (msg) + (gint64)(self->faults->drop_every * G_USEC_PER_SEC);
}

static void
drop_connection (SondeMockServer   *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  sonde_mock_server_say (self, _("a /poll connection was dropped (fault)"));
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
poll_waiter_free (PollWaiter *waiter)
{
  SondeMockPoll *poll = waiter->server->poll;

  if (poll != NULL)
    poll->waiters = g_list_remove (poll->waiters, waiter);
  if (waiter->timer != NULL)
    {
      g_source_destroy (waiter->timer);
      g_source_unref (waiter->timer);
    }
  g_signal_handlers_disconnect_by_data (waiter->msg, waiter);
  g_object_unref (waiter->msg);
  g_free (waiter);
}

static void arm (PollWaiter *waiter,
                 gint64      next_due_us);

static gboolean
waiter_timer_cb (gpointer user_data)
{
  PollWaiter *waiter = user_data;
  SondeMockServer *self = waiter->server;
  SoupServerMessage *msg = waiter->msg;
  gint64 now = g_get_monotonic_time ();
  gint64 next_due;

  if (now >= drop_at_us (self, msg))
    {
      g_object_ref (msg);
      poll_waiter_free (waiter);
      drop_connection (self, msg);
      g_object_unref (msg);
      return G_SOURCE_REMOVE;
    }
  if (try_answer (self, msg, &waiter->cursor, waiter->stamp, now >= waiter->deadline_us, &next_due))
    {
      g_object_ref (msg);
      poll_waiter_free (waiter);
      soup_server_message_unpause (msg);
      g_object_unref (msg);
      return G_SOURCE_REMOVE;
    }
  arm (waiter, next_due);
  return G_SOURCE_CONTINUE;
}

static void
arm (PollWaiter *waiter,
     gint64      next_due_us)
{
  gint64 when = MIN (MIN (next_due_us, waiter->deadline_us),
                     drop_at_us (waiter->server, waiter->msg));

  if (waiter->timer == NULL)
    {
      waiter->timer = g_timeout_source_new (0);
      g_source_set_static_name (waiter->timer, "[sonde] mock server poll");
      g_source_set_callback (waiter->timer, waiter_timer_cb, waiter, NULL);
      g_source_attach (waiter->timer, g_main_context_get_thread_default ());
    }
  g_source_set_ready_time (waiter->timer, when);
}

static void
waiter_gone_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  poll_waiter_free (user_data);
}

static gboolean
parse_query_number (GHashTable  *query,
                    const char  *name,
                    double       fallback,
                    double       max,
                    double      *value)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  char *end = NULL;

  if (text == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *value >= 0 && *value <= max;
}

static void
bad_request (SoupServerMessage *msg,
             const char        *text)
{
  soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

void
sonde_mock_poll_handler (SoupServer        *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           user_data)
{
  SondeMockServer *self = user_data;
  const char *cursor_text = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  guint64 cursor = 0;
  double timeout;
  gint64 next_due;
  gboolean stamp = sonde_mock_query_stamp (query);
  PollWaiter *waiter;
  SondeMockPoll *poll;

  if (!sonde_mock_begin_request (msg, SOUP_METHOD_GET))
    return;
  if (cursor_text != NULL &&
      !g_ascii_string_to_unsigned (cursor_text, 10, 0, G_MAXUINT32, &cursor, NULL))
    {
      bad_request (msg, "The cursor is the whole number the last answer gave\n");
      return;
    }
  if (!parse_query_number (query, "timeout", DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, &timeout))
    {
      bad_request (msg, "The timeout is a number of seconds from 0 to 300\n");
      return;
    }

  poll = get_poll (self);

  /* A connection past its drop-every age is dropped from the timer, on a
   * paused message, as /sse drops. */
  next_due = g_get_monotonic_time ();
  if (next_due < drop_at_us (self, msg) &&
      try_answer (self, msg, &cursor, stamp, timeout == 0, &next_due))
    return;

  waiter = g_new0 (PollWaiter, 1);
  waiter->server = self;
  waiter->msg = g_object_ref (msg);
  waiter->cursor = cursor;
  waiter->stamp = stamp;
  waiter->deadline_us = g_get_monotonic_time () + (gint64)(timeout * G_USEC_PER_SEC);
  poll->waiters = g_list_prepend (poll->waiters, waiter);
  g_signal_connect (msg, "finished", G_CALLBACK (waiter_gone_cb), waiter);
  g_signal_connect (msg, "disconnected", G_CALLBACK (waiter_gone_cb), waiter);
  soup_server_message_pause (msg);
  arm (waiter, next_due);
}

/* POST /echo answers with what it was sent: the other half of a round trip
 * that a WebSocket client makes with an echoed message. */
void
sonde_mock_echo_handler (SoupServer        *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           user_data)
{
  SondeMockServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type;
  g_autoptr(GBytes) bytes = NULL;

  if (!sonde_mock_begin_request (msg, SOUP_METHOD_POST))
    return;
  if ((guint64)body->length > self->max_message_size)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      return;
    }

  bytes = soup_message_body_flatten (body);
  type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type != NULL ? type : "application/octet-stream",
                                    SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes));
}

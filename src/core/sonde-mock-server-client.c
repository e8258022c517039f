/* sonde-mock-server-client.c: one client of the mock server: its queue, its clock, its pump
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "sonde-mock-server-private.h"
#include "sonde-stamp.h"
#include "sonde-tap-stream.h"
#include "sonde-ws-frame.h"

#define BACKLOG_LIMIT (1024 * 1024)
#define BATCH_SIZE    512
#define PACE_SLACK_US 1000

static void drop (SondeMockClient *client,
                  const char      *how);

void
sonde_mock_client_free (SondeMockClient *client)
{
  if (client->timer != NULL)
    {
      g_source_destroy (client->timer);
      g_clear_pointer (&client->timer, g_source_unref);
    }
  if (client->msg != NULL)
    g_signal_handlers_disconnect_by_data (client->msg, client);
  g_clear_object (&client->msg);
  if (client->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->ws, client);
      g_clear_object (&client->ws);
    }
  if (client->tap != NULL)
    {
      sonde_tap_stream_detach (client->tap);
      g_clear_object (&client->tap);
    }
  if (client->base != NULL)
    {
      g_io_stream_close (client->base, NULL, NULL);
      g_clear_object (&client->base);
    }
  g_clear_object (&client->socket);
  g_clear_pointer (&client->from_client, sonde_ws_dissector_free);
  g_clear_pointer (&client->ws_batch, g_byte_array_unref);
  g_clear_pointer (&client->sse_batch, g_byte_array_unref);
  g_free (client->resumed_after);
  g_free (client);
}

void
sonde_mock_client_gone (SondeMockClient *client,
                        const char      *how)
{
  SondeMockServer *self = client->server;
  g_autofree char *overflow = NULL;

  if (client->gone)
    return;
  client->gone = TRUE;

  /* However it ends, a client that stopped reading was dropped for that. */
  if (client->overflowed)
    {
      g_autofree char *size = g_format_size (client->overflow);

      /* Translators: %s is an amount of data, such as “4.2 MB” */
      how = overflow = g_strdup_printf (_("was dropped: it stopped reading, with %s waiting for it"),
                                        size);
    }

  sonde_mock_server_say (self, _("client %u (%s) %s after %lu items"),
       client->id, client->websocket ? "ws" : "sse", how, (gulong)client->sent);
  self->clients = g_list_remove (self->clients, client);
  sonde_mock_client_free (client);
}

static gboolean
timer_cb (gpointer user_data)
{
  SondeMockClient *client = user_data;

  g_source_set_ready_time (client->timer, -1);
  if (client->overflowed)
    {
      drop (client, NULL);
      return G_SOURCE_CONTINUE;
    }
  if (client->too_large)
    {
      /* Once its close frame is out, or a moment after if it does not read. */
      if (client->written >= client->queued || g_get_monotonic_time () >= client->drop_at_us)
        {
          g_autofree char *how =
            g_strdup_printf (_("sent a message of more than %lu bytes: closed with 1009 "
                               "(Message Too Big)"),
                             (gulong)client->server->max_message_size);

          drop (client, how);
        }
      else
        sonde_mock_client_wake_at (client, g_get_monotonic_time () + 50 * 1000);
      return G_SOURCE_CONTINUE;
    }
  if (client->drop_pending)
    {
      if (client->written >= client->queued)
        drop (client, _("was dropped (fault)"));
      return G_SOURCE_CONTINUE;
    }
  client->stalled = FALSE;
  if (client->awaiting_resume)
    sonde_mock_client_start_replay (client);
  else
    sonde_mock_client_pump (client);

  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

void
sonde_mock_client_wake_at (SondeMockClient *client,
                           gint64           monotonic_us)
{
  if (client->timer == NULL)
    {
      client->timer = g_source_new (&timer_funcs, sizeof (GSource));
      g_source_set_callback (client->timer, timer_cb, client, NULL);
      g_source_set_static_name (client->timer, "[sonde] mock server pace");
      g_source_attach (client->timer, g_main_context_get_thread_default ());
    }
  g_source_set_ready_time (client->timer, monotonic_us);
}

/* A stamped client reads the shared feed and gets the messages alone, each
 * rendered as it goes out: its payload behind a stamp of when it fell due,
 * and for SSE an id that names its position. */
static void
client_send_stamped (SondeMockClient     *client,
                     const SondeMockItem *item)
{
  SondeMockServer *self = client->server;
  guint64 position = (guint64)client->loops * self->n_messages + item->message_index;
  g_autoptr(GBytes) payload = NULL;
  gsize len;
  const char *data;
  guint before;

  if (!sonde_mock_item_is_message (item))
    {
      /* The server's retry: still reaches SSE clients: it is how that feed reconnects. */
      if (!client->websocket && item->kind == SONDE_MOCK_ITEM_RETRY && item->sse != NULL)
        {
          g_byte_array_append (client->sse_batch, g_bytes_get_data (item->sse, NULL),
                               (guint)g_bytes_get_size (item->sse));
          client->queued += g_bytes_get_size (item->sse);
        }
      return;
    }

  payload = sonde_mock_item_stamped (item, position,
                                     sonde_mock_feed_send_time (self, client->loops, client->next));
  data = g_bytes_get_data (payload, &len);

  if (client->websocket)
    {
      before = client->ws_batch->len;
      sonde_ws_frame_append (client->ws_batch,
                             SONDE_WS_FIN | (item->ws_binary ? SONDE_WS_OPCODE_BINARY
                                                             : SONDE_WS_OPCODE_TEXT),
                             (const guint8 *)data, len, FALSE);
      client->queued += client->ws_batch->len - before;
      return;
    }

  {
    g_autoptr(GString) block = g_string_new (NULL);

    if (item->ws_binary)
      {
        g_autofree char *encoded = g_base64_encode ((const guint8 *)data, len);

        g_string_append_printf (block, "event: binary\nid: #%" G_GUINT64_FORMAT "\ndata: %s\n\n",
                                position, encoded);
      }
    else
      {
        if (item->event != NULL)
          g_string_append_printf (block, "event: %s\n", item->event);
        g_string_append_printf (block, "id: #%" G_GUINT64_FORMAT "\n", position);
        sonde_mock_append_data_lines (block, data, len);
        g_string_append_c (block, '\n');
      }
    g_byte_array_append (client->sse_batch, (const guint8 *)block->str, (guint)block->len);
    client->queued += block->len;
  }
}

static void
client_send (SondeMockClient     *client,
             const SondeMockItem *item)
{
  if (client->stamp)
    {
      client_send_stamped (client, item);
      return;
    }

  if (!client->websocket)
    {
      gsize size;
      gconstpointer data;

      if (item->sse == NULL)
        return;
      /* One chunk per pump turn, not one per event: each chunk is a write. */
      data = g_bytes_get_data (item->sse, &size);
      g_byte_array_append (client->sse_batch, data, (guint)size);
      client->queued += size;
      return;
    }

  /* Replayed messages are written as frames of our own, through the tap: so
   * every byte is counted, and a drop after N messages drops after they
   * really went out. libsoup still answers pings and does the close. */
  {
    guint before = client->ws_batch->len;
    guint8 opcode;

    switch (item->kind)
      {
      case SONDE_MOCK_ITEM_EVENT:
      case SONDE_MOCK_ITEM_TEXT:
        opcode = SONDE_WS_OPCODE_TEXT;
        break;
      case SONDE_MOCK_ITEM_BINARY:
        opcode = SONDE_WS_OPCODE_BINARY;
        break;
      case SONDE_MOCK_ITEM_PING:
        opcode = SONDE_WS_OPCODE_PING;
        break;
      case SONDE_MOCK_ITEM_COMMENT:
      case SONDE_MOCK_ITEM_RETRY:
      default:
        return;
      }
    if (item->ws_binary)
      opcode = SONDE_WS_OPCODE_BINARY;

    sonde_ws_frame_append (client->ws_batch, SONDE_WS_FIN | opcode,
                           g_bytes_get_data (item->ws, NULL), g_bytes_get_size (item->ws), FALSE);
    client->queued += client->ws_batch->len - before;
  }
}

static void
send_broken (SondeMockClient *client)
{
  SondeMockServer *self = client->server;
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 payload[126];

  client->broken_sent = TRUE;

  if (!client->websocket)
    {
      static const char line[] = "data: \xff\xfe not UTF-8\nretry: soon\nid: broken\n\n";

      if (self->faults->broken != SONDE_MOCK_BROKEN_SSE_LINE)
        return;
      g_byte_array_append (client->sse_batch, (const guint8 *)line, sizeof line - 1);
      client->queued += sizeof line - 1;
      return;
    }

  memset (payload, 'p', sizeof payload);
  switch (self->faults->broken)
    {
    case SONDE_MOCK_BROKEN_BAD_UTF8:
      sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT,
                             (const guint8 *)"bad \xc3\x28 text", 11, FALSE);
      break;
    case SONDE_MOCK_BROKEN_RESERVED_OPCODE:
      sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x3, (const guint8 *)"??", 2, FALSE);
      break;
    case SONDE_MOCK_BROKEN_OVERSIZED_PING:
      sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, payload, sizeof payload,
                             FALSE);
      break;
    case SONDE_MOCK_BROKEN_SSE_LINE:
    case SONDE_MOCK_BROKEN_NONE:
    default:
      return;
    }

  g_byte_array_append (client->ws_batch, frame->data, frame->len);
  client->queued += frame->len;
}

/* Hangs up without a goodbye: no last chunk, no close frame. */
static void
drop (SondeMockClient *client,
      const char      *how)
{
  if (client->websocket || client->msg == NULL)
    {
      sonde_mock_client_gone (client, how);
      return;
    }

  {
    g_autoptr(GIOStream) stream = NULL;
    SoupServerMessage *msg = client->msg;

    g_signal_handlers_disconnect_by_data (msg, client);
    stream = soup_server_message_steal_connection (msg);
    if (stream != NULL)
      g_io_stream_close (stream, NULL, NULL);
    sonde_mock_client_gone (client, how);
  }
}

static SondeTapOutputStream *
output_stream (SondeMockClient *client)
{
  return SONDE_TAP_OUTPUT_STREAM (g_io_stream_get_output_stream (client->tap));
}

void
sonde_mock_client_flush (SondeMockClient *client)
{
  if (!client->websocket && client->msg != NULL)
    {
      if (client->sse_batch->len > 0)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (client->sse_batch->data, client->sse_batch->len);

          g_byte_array_set_size (client->sse_batch, 0);
          soup_message_body_append_bytes (soup_server_message_get_response_body (client->msg),
                                          bytes);
        }
      soup_server_message_unpause (client->msg);
    }

  if (client->websocket && client->ws_batch->len > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (client->ws_batch->data, client->ws_batch->len);

      g_byte_array_set_size (client->ws_batch, 0);
      sonde_tap_output_stream_inject (output_stream (client), bytes);
    }
}

/* Drops once everything sent so far has gone out. */
static void
drop_when_written (SondeMockClient *client)
{
  client->drop_pending = TRUE;
  sonde_mock_client_flush (client);
  if (!client->gone && client->written >= client->queued)
    drop (client, _("was dropped (fault)"));
}

static void
finish (SondeMockClient *client)
{
  SondeMockServer *self = client->server;

  if (client->websocket)
    {
      const SondeMockFaults *faults = self->faults;
      guint code = faults->close_code != 0 ? faults->close_code : SOUP_WEBSOCKET_CLOSE_NORMAL;

      soup_websocket_connection_close (client->ws, (gushort)code,
                                       faults->close_reason != NULL ? faults->close_reason
                                                                  : "end of the recording");
      return;
    }

  soup_message_body_complete (soup_server_message_get_response_body (client->msg));
  soup_server_message_unpause (client->msg);
}

void
sonde_mock_client_pump (SondeMockClient *client)
{
  SondeMockServer *self = client->server;
  const SondeMockFaults *faults = self->faults;
  guint batch = 0;

  if (client->gone || client->stalled || client->drop_pending)
    return;

  while (TRUE)
    {
      const SondeMockItem *item;
      gint64 now = g_get_monotonic_time ();

      if (faults->drop_every > 0 && now >= client->drop_at_us)
        {
          drop_when_written (client);
          return;
        }

      if (client->next >= self->items->len)
        {
          if (self->loop && self->items->len > 0)
            {
              client->next = 0;
              client->loops++;
              client->origin_us += self->speed > 0 ? (gint64)(self->duration_us / self->speed) : 0;
              continue;
            }
          sonde_mock_client_flush (client);
          finish (client);
          client->next = G_MAXUINT;
          return;
        }

      item = &g_array_index (self->items, SondeMockItem, client->next);

      if (client->stamp)
        {
          /* The shared feed's clock, which its stamps give as the send time:
           * a message goes when it falls due, not before. */
          gint64 due = sonde_mock_feed_due_us (self, client->loops, client->next);

          if (self->speed > 0 && due > now)
            {
              sonde_mock_client_flush (client);
              sonde_mock_client_wake_at (client, MIN (due, client->drop_at_us));
              return;
            }
          if (sonde_mock_item_is_message (item) &&
              !sonde_mock_feed_take (self, (guint64)client->loops * self->n_messages +
                                             item->message_index))
            {
              /* The feed has ended: the stream stays open, and drops still come. */
              sonde_mock_client_flush (client);
              sonde_mock_client_wake_at (client, faults->drop_every > 0 ? client->drop_at_us : -1);
              return;
            }
        }
      else if (self->speed > 0)
        {
          gint64 due = client->origin_us + (gint64)(item->time_us / self->speed);

          /* The main loop sleeps in whole milliseconds, rounded up: waking a
           * millisecond early and sending what is due within it keeps events
           * from coming late. */
          if (due > now + PACE_SLACK_US)
            {
              sonde_mock_client_flush (client);
              sonde_mock_client_wake_at (client, MIN (due - PACE_SLACK_US, client->drop_at_us));
              return;
            }
        }

      /* Never more than a little ahead of what the client has read. */
      if (sonde_mock_client_get_backlog (client) > BACKLOG_LIMIT || batch >= BATCH_SIZE)
        {
          sonde_mock_client_flush (client);
          if (sonde_mock_client_get_backlog (client) > BACKLOG_LIMIT)
            client->waiting_for_writes = TRUE;
          else
            sonde_mock_client_wake_at (client, 0);
          return;
        }

      client_send (client, item);
      client->next++;
      batch++;
      if (item->kind == SONDE_MOCK_ITEM_EVENT || item->kind == SONDE_MOCK_ITEM_TEXT ||
          item->kind == SONDE_MOCK_ITEM_BINARY)
        client->sent++;

      if (faults->broken != SONDE_MOCK_BROKEN_NONE && !client->broken_sent &&
          client->sent >= MAX (faults->broken_after, 1))
        send_broken (client);

      if (faults->drop_after > 0 && client->sent >= faults->drop_after)
        {
          drop_when_written (client);
          return;
        }

      if (client->websocket && faults->close_after > 0 && client->sent >= faults->close_after)
        {
          sonde_mock_client_flush (client);
          finish (client);
          client->next = G_MAXUINT;
          return;
        }

      if (faults->stall_after > 0 && faults->stall > 0 && client->sent == faults->stall_after)
        {
          gint64 pause = (gint64)(faults->stall * G_USEC_PER_SEC);

          sonde_mock_client_flush (client);
          sonde_mock_server_say (self, _("client %u: stalling for %.1f s (fault)"), client->id,
                                 faults->stall);
          client->origin_us += pause;
          client->stalled = TRUE;
          sonde_mock_client_wake_at (client, g_get_monotonic_time () + pause);
          return;
        }
    }
}

void
sonde_mock_client_written (SondeMockClient *client,
                           gsize            n)
{
  client->written += n;
  if (client->drop_pending)
    {
      if (client->written >= client->queued)
        {
          /* Not from inside the stream's own write. */
          sonde_mock_client_wake_at (client, 0);
        }
      return;
    }
  if (client->waiting_for_writes && sonde_mock_client_get_backlog (client) <= BACKLOG_LIMIT / 2)
    {
      client->waiting_for_writes = FALSE;
      sonde_mock_client_wake_at (client, 0);
    }
}

/* What the connection has been given and not written yet. Every byte the
 * server writes is counted on both sides: the replay, echoes and publishes
 * go through the client's own queue, and libsoup's pongs are counted when
 * the ping that asks for one arrives. (Close frames are not: nothing follows
 * them.) */
guint64
sonde_mock_client_get_backlog (SondeMockClient *client)
{
  return client->queued > client->written ? client->queued - client->written : 0;
}

static GSocket *
client_socket (SondeMockClient *client)
{
  if (client->msg != NULL)
    return soup_server_message_get_socket (client->msg);
  return client->socket;
}

/* A client whose backlog passes the limit has stopped reading: it is hung
 * up on at once, and freed from its timer or when libsoup sees the end
 * (never from inside a write or a signal of the connection). Hanging up
 * cannot wait for the timer: a client that floods the server keeps libsoup
 * reading, and the main loop does not get to the timer for as long as it
 * does. Returns whether the client is still welcome. */
gboolean
sonde_mock_client_check_backlog (SondeMockClient *client)
{
  guint64 backlog;
  GSocket *socket;

  if (client->overflowed)
    return FALSE;
  backlog = sonde_mock_client_get_backlog (client);
  if (backlog <= client->server->max_client_queue)
    return TRUE;

  client->overflowed = TRUE;
  client->overflow = backlog;
  socket = client_socket (client);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  sonde_mock_client_wake_at (client, 0);
  return FALSE;
}

/**
 * sonde_mock_client_close_too_large:
 *
 * A /ws client's message passed the server's max-message-size: it gets a
 * close frame with 1009 (Message Too Big), as browsers send, and goes once
 * that is out (or a second later, if it does not read). Called from the
 * read tap, so it only schedules: the timer hangs up.
 */
void
sonde_mock_client_close_too_large (SondeMockClient *client)
{
  static const guint8 code[2] = { 1009 >> 8, 1009 & 0xFF };
  g_autoptr(GByteArray) frame = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (client->too_large || client->gone)
    return;
  client->too_large = TRUE;
  client->drop_at_us = g_get_monotonic_time () + G_USEC_PER_SEC;

  frame = g_byte_array_sized_new (4);
  sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE, code, sizeof code, FALSE);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&frame));
  sonde_mock_client_send_extra (client, bytes);
  sonde_mock_client_wake_at (client, 0);
}

/**
 * sonde_mock_client_send_extra:
 * @bytes: a whole WebSocket frame, or SSE block, that several clients may share
 *
 * Sends what is not part of the replay (an echo, a publish) after what the
 * pump has sent so far. A client that has not read what it was sent before
 * is dropped instead: it may hold no more than the limit and one message.
 *
 * Returns: whether @bytes went to the client
 */
gboolean
sonde_mock_client_send_extra (SondeMockClient *client,
                              GBytes          *bytes)
{
  if (client->gone || !sonde_mock_client_check_backlog (client))
    return FALSE;

  sonde_mock_client_flush (client);
  if (client->websocket)
    sonde_tap_output_stream_inject (output_stream (client), bytes);
  else
    {
      soup_message_body_append_bytes (soup_server_message_get_response_body (client->msg), bytes);
      soup_server_message_unpause (client->msg);
    }
  client->queued += g_bytes_get_size (bytes);
  return TRUE;
}

/* When item @index falls due after the start of the replay, at this speed. */
static gint64
item_offset_us (SondeMockServer *self,
                guint            index)
{
  if (index >= self->items->len || self->speed <= 0)
    return 0;
  return (gint64)(g_array_index (self->items, SondeMockItem, index).time_us / self->speed);
}

SondeMockClient *
sonde_mock_client_new (SondeMockServer *self,
                       gboolean         websocket,
                       gboolean         stamp,
                       const char      *last_id)
{
  SondeMockClient *client = g_new0 (SondeMockClient, 1);
  gint64 now = g_get_monotonic_time ();

  client->server = self;
  client->id = ++self->next_client_id;
  client->websocket = websocket;
  client->stamp = stamp;
  sonde_mock_client_set_resume (client, last_id);
  /* A resumed client's clock starts at the item it resumes from. */
  client->origin_us = now - item_offset_us (self, client->next);
  client->ws_batch = g_byte_array_new ();
  client->sse_batch = g_byte_array_new ();
  client->drop_at_us = self->faults->drop_every > 0
    ? now + (gint64)(self->faults->drop_every * G_USEC_PER_SEC) : G_MAXINT64;
  self->clients = g_list_prepend (self->clients, client);

  if (last_id != NULL && last_id[0] != '\0')
    sonde_mock_server_say (self,
                           _("client %u (%s) connected, resuming after id “%s” at item %u of %u"),
         client->id, websocket ? "ws" : "sse", last_id, client->next, self->items->len);
  else
    sonde_mock_server_say (self, _("client %u (%s) connected"), client->id,
                           websocket ? "ws" : "sse");

  return client;
}

/* Events are small and must leave when they are due, not when Nagle's
 * algorithm has gathered enough of them. */
void
sonde_mock_client_no_delay (GSocket *socket)
{
  if (socket != NULL)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

/* `?stamp=1` (or any value but 0): latency stamps for a comparison. */
gboolean
sonde_mock_query_stamp (GHashTable *query)
{
  const char *stamp = query != NULL ? g_hash_table_lookup (query, "stamp") : NULL;

  return stamp != NULL && !g_str_equal (stamp, "0");
}

void
sonde_mock_client_start_replay (SondeMockClient *client)
{
  client->awaiting_resume = FALSE;
  /* On the shared feed it catches up on what fell due meanwhile. */
  if (!client->stamp)
    client->origin_us = g_get_monotonic_time () - item_offset_us (client->server, client->next);
  sonde_mock_client_pump (client);
}

/* The longest resume id a client listing repeats: it comes from the client. */
#define MAX_SHOWN_ID 200

/**
 * sonde_mock_client_set_resume:
 * @last_id: (nullable): what the client asked to resume after
 *
 * Moves @client to the item after @last_id, and remembers the request for
 * the client listing, as valid UTF-8 of a bounded length.
 */
void
sonde_mock_client_set_resume (SondeMockClient *client,
                              const char      *last_id)
{
  client->next = sonde_mock_resume_at (client->server, last_id, &client->loops);
  client->resumed_at = client->next;
  g_clear_pointer (&client->resumed_after, g_free);
  if (last_id != NULL && last_id[0] != '\0')
    {
      gsize len = strlen (last_id);
      const char *end = last_id + MIN (len, MAX_SHOWN_ID);
      g_autofree char *valid = NULL;

      /* Cut at a character's start, then replace whatever is not UTF-8. */
      while (end > last_id && end < last_id + len && ((guint8)*end & 0xc0) == 0x80)
        end--;
      valid = g_utf8_make_valid (last_id, end - last_id);
      client->resumed_after = len > MAX_SHOWN_ID ? g_strconcat (valid, "…", NULL)
                                                 : g_steal_pointer (&valid);
    }
}

/**
 * sonde_mock_client_repace:
 *
 * After a change of speed: the client's clock restarts at the item it is
 * at, so that what follows comes at the new pace from now on, not at once
 * (faster) or after a long silence (slower). A stall, a resume grace or a
 * drop under way keeps its own timer.
 */
void
sonde_mock_client_repace (SondeMockClient *client)
{
  if (client->gone || client->stalled || client->awaiting_resume || client->drop_pending ||
      client->next == G_MAXUINT)
    return;

  client->origin_us = g_get_monotonic_time () - item_offset_us (client->server, client->next);
  sonde_mock_client_wake_at (client, 0);
}

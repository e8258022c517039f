/* sonde-mock-server.c: replays a recording over SSE and WebSocket from loopback, with faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-mock-server.h"
#include "sonde-sse-parser.h"
#include "sonde-tap-stream.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* The recording becomes a list of items, each rendered once for each
 * transport: the SSE block and the WebSocket message. Every client has its
 * own position and clock; its pump sends what is due, waits for the next due
 * time on a timer with microsecond resolution, and at `--speed 0` sends as
 * fast as the client reads, never queueing more than a little ahead. */

#define BACKLOG_LIMIT (1024 * 1024)
#define BATCH_SIZE    512
#define PACE_SLACK_US 1000
#define RESUME_GRACE_US (100 * 1000)

typedef enum
{
  ITEM_EVENT,
  ITEM_COMMENT,
  ITEM_RETRY,
  ITEM_TEXT,
  ITEM_BINARY,
  ITEM_PING,
} ItemKind;

typedef struct
{
  ItemKind  kind;
  gint64    time_us;     /* since the first item */
  char     *id;          /* what Last-Event-ID or ?last_id= resumes after */
  GBytes   *sse;         /* the block for /sse */
  GBytes   *ws;          /* the message payload for /ws */
  gboolean  ws_binary;
} Item;

typedef struct _Client Client;

struct _SondeMockServer
{
  GObject          parent_instance;

  SondeEventLog   *recording;
  GArray          *items;          /* Item */
  gint64           duration_us;
  SoupServer      *server;
  GList           *clients;
  guint            next_client_id;
  guint64          published;

  /* Properties */
  char            *address;
  guint            port;
  double           speed;
  gboolean         loop;
  guint            drop_after;
  double           drop_every;
  guint            stall_after;
  double           stall;
  guint            close_after;
  guint            close_code;
  char            *close_reason;
  int              retry;
  guint            sse_status;
  char            *sse_content_type;
  guint            ws_refuse;
  SondeMockBroken  broken;
  guint            broken_after;
};

struct _Client
{
  SondeMockServer         *server;
  guint                    id;
  gboolean                 websocket;
  SoupServerMessage       *msg;        /* SSE */
  GIOStream               *base;       /* WebSocket: the stolen connection */
  GIOStream               *tap;
  SoupWebsocketConnection *ws;
  SondeWsDissector        *from_client;
  guint                    next;
  gint64                   origin_us;  /* monotonic time of item time 0 */
  guint64                  sent;
  guint64                  queued;
  guint64                  written;
  gint64                   drop_at_us;
  GSource                  *timer;
  GByteArray               *ws_batch;   /* frames of this pump turn, written in one go */
  GByteArray               *sse_batch;  /* blocks of this pump turn: one HTTP chunk */
  gboolean                 drop_pending;
  gboolean                 waiting_for_writes;
  gboolean                 broken_sent;
  gboolean                 awaiting_resume;  /* /ws: the first moments, when a resume message may come */
  gboolean                 stalled;
  gboolean                 gone;
};

G_DEFINE_FINAL_TYPE (SondeMockServer, sonde_mock_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_SPEED,
  PROP_LOOP,
  PROP_DROP_AFTER,
  PROP_DROP_EVERY,
  PROP_STALL_AFTER,
  PROP_STALL,
  PROP_CLOSE_AFTER,
  PROP_CLOSE_CODE,
  PROP_CLOSE_REASON,
  PROP_RETRY,
  PROP_SSE_STATUS,
  PROP_SSE_CONTENT_TYPE,
  PROP_WS_REFUSE,
  PROP_BROKEN,
  PROP_BROKEN_AFTER,
  N_PROPS
};

enum {
  CLIENT_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pump (Client *client);
static void drop (Client *client);
static void start_replay (Client *client);

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->id);
  g_clear_pointer (&item->sse, g_bytes_unref);
  g_clear_pointer (&item->ws, g_bytes_unref);
}

static void
say (SondeMockServer *self,
     const char      *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
say (SondeMockServer *self,
     const char      *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_signal_emit (self, signals[CLIENT_EVENT], 0, message);
}

/* `data: ` lines for a text, one per line of it, as SSE needs. */
static void
append_data_lines (GString    *block,
                   const char *data,
                   gsize       len)
{
  const char *p = data;
  const char *end = data + len;

  do
    {
      const char *nl = memchr (p, '\n', (gsize)(end - p));
      const char *line_end = nl != NULL ? nl : end;

      g_string_append (block, "data: ");
      g_string_append_len (block, p, line_end - p);
      g_string_append_c (block, '\n');
      p = nl != NULL ? nl + 1 : end;
    }
  while (p < end || (p == end && len > 0 && end[-1] == '\n'));
}

typedef struct
{
  gboolean id_set;
} BlockInfo;

static void
block_event_cb (gpointer             user_data,
                const SondeSseEvent *event)
{
  ((BlockInfo *)user_data)->id_set = event->id_set;
}

/* Whether an SSE block carried an id line of its own. */
static gboolean
block_sets_id (const guint8 *raw,
               gsize         raw_len)
{
  static const SondeSseCallbacks callbacks = { .event = block_event_cb };
  g_autoptr(SondeSseParser) parser = NULL;
  BlockInfo info = { FALSE };

  parser = sonde_sse_parser_new (&callbacks, &info);
  sonde_sse_parser_feed (parser, raw, raw_len);
  return info.id_set;
}

static void
add_item (SondeMockServer      *self,
          const SondeEntryView *view,
          gint64                first_us)
{
  g_autoptr(GString) block = g_string_new (NULL);
  g_autoptr(GString) json = NULL;
  g_autofree char *data = NULL;
  g_autofree char *type = NULL;
  gsize len = 0;
  Item item = { 0 };
  guint index = self->items->len;

  item.time_us = view->time_us - first_us;

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      item.kind = ITEM_EVENT;
      data = sonde_entry_view_dup_data (view, &len, &type);
      /* The recorded id when the event set one; its sequence number otherwise. */
      if (view->id_len > 0 && block_sets_id (view->raw, view->raw_len))
        item.id = g_strndup (view->id, view->id_len);
      else
        item.id = g_strdup_printf ("%u", index);
      if (type != NULL && !g_str_equal (type, "message"))
        g_string_append_printf (block, "event: %s\n", type);
      g_string_append_printf (block, "id: %s\n", item.id);
      append_data_lines (block, data, len);
      g_string_append_c (block, '\n');
      json = g_string_new ("{\"event\":");
      sonde_json_append_string (json, type != NULL ? type : "message", type != NULL ? strlen (type) : 7);
      g_string_append (json, ",\"id\":");
      sonde_json_append_string (json, item.id, strlen (item.id));
      g_string_append (json, ",\"data\":");
      sonde_json_append_string (json, data, len);
      g_string_append_c (json, '}');
      item.ws = g_bytes_new (json->str, json->len);
      break;

    case SONDE_ENTRY_COMMENT:
      item.kind = ITEM_COMMENT;
      g_string_append_len (block, (const char *)view->raw, (gssize)view->raw_len);
      break;

    case SONDE_ENTRY_RETRY:
      {
        g_autofree char *object = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
        const char *ms = strstr (object, "\"ms\":");

        item.kind = ITEM_RETRY;
        if (ms == NULL)
          return;
        g_string_append_printf (block, "retry: %" G_GUINT64_FORMAT "\n\n",
                                g_ascii_strtoull (ms + 5, NULL, 10));
      }
      break;

    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
      if (view->direction != SONDE_DIRECTION_IN)
        return;
      item.kind = view->kind == SONDE_ENTRY_TEXT ? ITEM_TEXT : ITEM_BINARY;
      item.ws_binary = view->kind == SONDE_ENTRY_BINARY;
      data = sonde_entry_view_dup_data (view, &len, NULL);
      item.id = g_strdup_printf ("%u", index);
      item.ws = g_bytes_new (data, len);
      if (item.ws_binary)
        {
          g_autofree char *encoded = g_base64_encode ((const guint8 *)data, len);

          g_string_append_printf (block, "event: binary\nid: %s\ndata: %s\n\n", item.id, encoded);
        }
      else
        {
          g_string_append_printf (block, "id: %s\n", item.id);
          append_data_lines (block, data, len);
          g_string_append_c (block, '\n');
        }
      break;

    case SONDE_ENTRY_PING:
      if (view->direction != SONDE_DIRECTION_IN)
        return;
      item.kind = ITEM_PING;
      data = sonde_entry_view_dup_data (view, &len, NULL);
      item.ws = g_bytes_new (data, MIN (len, 125));
      break;

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_N_KINDS:
    default:
      return;
    }

  if (block->len > 0)
    item.sse = g_bytes_new (block->str, block->len);
  g_array_append_val (self->items, item);
}

static void
build_items (SondeMockServer *self)
{
  guint64 n = sonde_event_log_get_n_entries (self->recording);
  gint64 first_us = -1;

  g_array_set_size (self->items, 0);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView view;

      sonde_event_log_get_view (self->recording, i, &view);
      if (first_us < 0 && (view.kind == SONDE_ENTRY_SSE || view.kind == SONDE_ENTRY_COMMENT ||
                           view.kind == SONDE_ENTRY_RETRY || view.kind == SONDE_ENTRY_TEXT ||
                           view.kind == SONDE_ENTRY_BINARY || view.kind == SONDE_ENTRY_PING))
        first_us = view.time_us;
      if (first_us >= 0)
        add_item (self, &view, first_us);
    }

  self->duration_us = self->items->len > 0
    ? g_array_index (self->items, Item, self->items->len - 1).time_us + 1000
    : 0;
}

/* ---- Clients ---- */

static void
client_free (Client *client)
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
  g_clear_pointer (&client->from_client, sonde_ws_dissector_free);
  g_clear_pointer (&client->ws_batch, g_byte_array_unref);
  g_clear_pointer (&client->sse_batch, g_byte_array_unref);
  g_free (client);
}

static void
client_gone (Client     *client,
             const char *how)
{
  SondeMockServer *self = client->server;

  if (client->gone)
    return;
  client->gone = TRUE;

  say (self, _("client %u (%s) %s after %lu items"),
       client->id, client->websocket ? "ws" : "sse", how, (gulong)client->sent);
  self->clients = g_list_remove (self->clients, client);
  client_free (client);
}

static gboolean
timer_cb (gpointer user_data)
{
  Client *client = user_data;

  g_source_set_ready_time (client->timer, -1);
  if (client->drop_pending)
    {
      if (client->written >= client->queued)
        drop (client);
      return G_SOURCE_CONTINUE;
    }
  client->stalled = FALSE;
  if (client->awaiting_resume)
    start_replay (client);
  else
    pump (client);

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

static void
wake_at (Client *client,
         gint64  monotonic_us)
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

static void
client_send (Client     *client,
             const Item *item)
{
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
      case ITEM_EVENT:
      case ITEM_TEXT:
        opcode = SONDE_WS_OPCODE_TEXT;
        break;
      case ITEM_BINARY:
        opcode = SONDE_WS_OPCODE_BINARY;
        break;
      case ITEM_PING:
        opcode = SONDE_WS_OPCODE_PING;
        break;
      case ITEM_COMMENT:
      case ITEM_RETRY:
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
send_broken (Client *client)
{
  SondeMockServer *self = client->server;
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 payload[126];

  client->broken_sent = TRUE;

  if (!client->websocket)
    {
      static const char line[] = "data: \xff\xfe not UTF-8\nretry: soon\nid: broken\n\n";

      if (self->broken != SONDE_MOCK_BROKEN_SSE_LINE)
        return;
      g_byte_array_append (client->sse_batch, (const guint8 *)line, sizeof line - 1);
      client->queued += sizeof line - 1;
      return;
    }

  memset (payload, 'p', sizeof payload);
  switch (self->broken)
    {
    case SONDE_MOCK_BROKEN_BAD_UTF8:
      sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT,
                             (const guint8 *)"bad \xc3\x28 text", 11, FALSE);
      break;
    case SONDE_MOCK_BROKEN_RESERVED_OPCODE:
      sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x3, (const guint8 *)"??", 2, FALSE);
      break;
    case SONDE_MOCK_BROKEN_OVERSIZED_PING:
      sonde_ws_frame_append (frame, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, payload, sizeof payload, FALSE);
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
drop (Client *client)
{
  if (client->websocket)
    {
      client_gone (client, _("was dropped (fault)"));
      return;
    }

  {
    g_autoptr(GIOStream) stream = NULL;
    SoupServerMessage *msg = client->msg;

    g_signal_handlers_disconnect_by_data (msg, client);
    stream = soup_server_message_steal_connection (msg);
    if (stream != NULL)
      g_io_stream_close (stream, NULL, NULL);
    client_gone (client, _("was dropped (fault)"));
  }
}

static void
flush_out (Client *client)
{
  if (!client->websocket && client->msg != NULL)
    {
      if (client->sse_batch->len > 0)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (client->sse_batch->data, client->sse_batch->len);

          g_byte_array_set_size (client->sse_batch, 0);
          soup_message_body_append_bytes (soup_server_message_get_response_body (client->msg), bytes);
        }
      soup_server_message_unpause (client->msg);
    }

  if (client->websocket && client->ws_batch->len > 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (client->ws_batch->data, client->ws_batch->len);

      g_byte_array_set_size (client->ws_batch, 0);
      sonde_tap_output_stream_inject (SONDE_TAP_OUTPUT_STREAM (g_io_stream_get_output_stream (client->tap)),
                                      bytes);
    }
}

/* Drops once everything sent so far has gone out. */
static void
drop_when_written (Client *client)
{
  client->drop_pending = TRUE;
  flush_out (client);
  if (!client->gone && client->written >= client->queued)
    drop (client);
}

static void
finish (Client *client)
{
  SondeMockServer *self = client->server;

  if (client->websocket)
    {
      guint code = self->close_code != 0 ? self->close_code : SOUP_WEBSOCKET_CLOSE_NORMAL;

      soup_websocket_connection_close (client->ws, (gushort)code,
                                       self->close_reason != NULL ? self->close_reason
                                                                  : "end of the recording");
      return;
    }

  soup_message_body_complete (soup_server_message_get_response_body (client->msg));
  soup_server_message_unpause (client->msg);
}

static void
pump (Client *client)
{
  SondeMockServer *self = client->server;
  guint batch = 0;

  if (client->gone || client->stalled || client->drop_pending)
    return;

  while (TRUE)
    {
      const Item *item;
      gint64 now = g_get_monotonic_time ();

      if (self->drop_every > 0 && now >= client->drop_at_us)
        {
          drop_when_written (client);
          return;
        }

      if (client->next >= self->items->len)
        {
          if (self->loop && self->items->len > 0)
            {
              client->next = 0;
              client->origin_us += self->speed > 0 ? (gint64)(self->duration_us / self->speed) : 0;
              continue;
            }
          flush_out (client);
          finish (client);
          client->next = G_MAXUINT;
          return;
        }

      item = &g_array_index (self->items, Item, client->next);

      if (self->speed > 0)
        {
          gint64 due = client->origin_us + (gint64)(item->time_us / self->speed);

          /* The main loop sleeps in whole milliseconds, rounded up: waking a
           * millisecond early and sending what is due within it keeps events
           * from coming late. */
          if (due > now + PACE_SLACK_US)
            {
              flush_out (client);
              wake_at (client, MIN (due - PACE_SLACK_US, client->drop_at_us));
              return;
            }
        }

      /* Never more than a little ahead of what the client has read. */
      if (client->queued - client->written > BACKLOG_LIMIT || batch >= BATCH_SIZE)
        {
          flush_out (client);
          if (client->queued - client->written > BACKLOG_LIMIT)
            client->waiting_for_writes = TRUE;
          else
            wake_at (client, 0);
          return;
        }

      client_send (client, item);
      client->next++;
      batch++;
      if (item->kind == ITEM_EVENT || item->kind == ITEM_TEXT || item->kind == ITEM_BINARY)
        client->sent++;

      if (self->broken != SONDE_MOCK_BROKEN_NONE && !client->broken_sent &&
          client->sent >= MAX (self->broken_after, 1))
        send_broken (client);

      if (self->drop_after > 0 && client->sent >= self->drop_after)
        {
          drop_when_written (client);
          return;
        }

      if (client->websocket && self->close_after > 0 && client->sent >= self->close_after)
        {
          flush_out (client);
          finish (client);
          client->next = G_MAXUINT;
          return;
        }

      if (self->stall_after > 0 && self->stall > 0 && client->sent == self->stall_after)
        {
          gint64 pause = (gint64)(self->stall * G_USEC_PER_SEC);

          flush_out (client);
          say (self, _("client %u: stalling for %.1f s (fault)"), client->id, self->stall);
          client->origin_us += pause;
          client->stalled = TRUE;
          wake_at (client, g_get_monotonic_time () + pause);
          return;
        }
    }
}

static void
written (Client *client,
         gsize   n)
{
  client->written += n;
  if (client->drop_pending)
    {
      if (client->written >= client->queued)
        {
          /* Not from inside the stream's own write. */
          wake_at (client, 0);
        }
      return;
    }
  if (client->waiting_for_writes && client->queued - client->written <= BACKLOG_LIMIT / 2)
    {
      client->waiting_for_writes = FALSE;
      wake_at (client, 0);
    }
}

/* Where a resume starts: right after the item whose id it names. */
static guint
resume_position (SondeMockServer *self,
                 const char      *last_id)
{
  if (last_id == NULL || last_id[0] == '\0')
    return 0;

  for (guint i = self->items->len; i > 0; i--)
    {
      const Item *item = &g_array_index (self->items, Item, i - 1);

      if (item->id != NULL && g_str_equal (item->id, last_id))
        return i;
    }

  return 0;
}

static Client *
client_new (SondeMockServer *self,
            gboolean         websocket,
            const char      *last_id)
{
  Client *client = g_new0 (Client, 1);
  gint64 now = g_get_monotonic_time ();

  client->server = self;
  client->id = ++self->next_client_id;
  client->websocket = websocket;
  client->next = resume_position (self, last_id);
  /* A resumed client's clock starts at the item it resumes from. */
  client->origin_us = now - (client->next < self->items->len && self->speed > 0
                               ? (gint64)(g_array_index (self->items, Item, client->next).time_us / self->speed)
                               : 0);
  client->ws_batch = g_byte_array_new ();
  client->sse_batch = g_byte_array_new ();
  client->drop_at_us = self->drop_every > 0 ? now + (gint64)(self->drop_every * G_USEC_PER_SEC) : G_MAXINT64;
  self->clients = g_list_prepend (self->clients, client);

  if (last_id != NULL && last_id[0] != '\0')
    say (self, _("client %u (%s) connected, resuming after id “%s” at item %u of %u"),
         client->id, websocket ? "ws" : "sse", last_id, client->next, self->items->len);
  else
    say (self, _("client %u (%s) connected"), client->id, websocket ? "ws" : "sse");

  return client;
}

/* Events are small and must leave when they are due, not when Nagle's
 * algorithm has gathered enough of them. */
static void
no_delay (GSocket *socket)
{
  if (socket != NULL)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

/* ---- /sse ---- */

static void
sse_wrote_body_data_cb (SoupServerMessage *msg,
                        guint              chunk_size,
                        gpointer           user_data)
{
  written (user_data, chunk_size);
}

static void
sse_finished_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Client *client = user_data;

  client_gone (client, client->next == G_MAXUINT ? _("got the whole recording") : _("disconnected"));
}

static void
add_cors (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Any page may use the mock server: that is what it is for. */
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                "Last-Event-ID, Content-Type, Cache-Control");
  soup_message_headers_replace (headers, "Access-Control-Max-Age", "600");
}

static gboolean
answer_preflight (SoupServerMessage *msg)
{
  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_OPTIONS) != 0)
    return FALSE;

  add_cors (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  return TRUE;
}

static void
sse_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  SondeMockServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *last_id;
  Client *client;

  if (answer_preflight (msg))
    return;
  add_cors (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  if (self->sse_status != 0)
    {
      say (self, _("answering /sse with %u (fault)"), self->sse_status);
      soup_server_message_set_status (msg, self->sse_status, NULL);
      if (self->sse_status != SOUP_STATUS_NO_CONTENT)
        soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                          "refused by sonde serve\n", 23);
      return;
    }

  last_id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Last-Event-ID");
  if (last_id == NULL && query != NULL)
    last_id = g_hash_table_lookup (query, "last_id");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type",
                                self->sse_content_type != NULL ? self->sse_content_type
                                                               : "text/event-stream; charset=utf-8");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);

  no_delay (soup_server_message_get_socket (msg));
  client = client_new (self, FALSE, last_id);
  client->msg = g_object_ref (msg);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (sse_wrote_body_data_cb), client);
  g_signal_connect (msg, "finished", G_CALLBACK (sse_finished_cb), client);

  if (self->retry >= 0)
    {
      g_autofree char *retry = g_strdup_printf ("retry: %d\n\n", self->retry);

      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                                retry, strlen (retry));
      client->queued += strlen (retry);
    }

  soup_server_message_pause (msg);
  pump (client);
}

/* ---- /ws ---- */

static void
ws_write_tap (gpointer      user_data,
              const guint8 *data,
              gsize         len)
{
  written (user_data, len);
}

static void
ws_read_tap (gpointer      user_data,
             const guint8 *data,
             gsize         len)
{
  Client *client = user_data;

  sonde_ws_dissector_feed (client->from_client, data, len);
}

static gboolean
ws_can_inject (gpointer user_data)
{
  /* The server writes frames whole: libsoup queues them, and this tap only
   * ever sees complete frames pass except during a partial write, which the
   * tap finishes before injecting. */
  return TRUE;
}

/* A resume message is `{"last_id": ID}`: the client asks for what follows ID. */
static gboolean
parse_resume (GBytes  *message,
              char   **last_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  JsonNode *root;
  JsonNode *member;

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize)len, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  member = json_object_get_member (json_node_get_object (root), "last_id");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
    return FALSE;

  if (json_node_get_value_type (member) == G_TYPE_STRING)
    *last_id = g_strdup (json_node_get_string (member));
  else if (json_node_get_value_type (member) == G_TYPE_INT64)
    *last_id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
  else
    return FALSE;

  return TRUE;
}

static void
start_replay (Client *client)
{
  client->awaiting_resume = FALSE;
  client->origin_us = g_get_monotonic_time () -
    (client->next < client->server->items->len && client->server->speed > 0
       ? (gint64)(g_array_index (client->server->items, Item, client->next).time_us / client->server->speed)
       : 0);
  pump (client);
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  Client *client = user_data;
  g_autofree char *last_id = NULL;

  if (client->awaiting_resume && type == SOUP_WEBSOCKET_DATA_TEXT && parse_resume (message, &last_id))
    {
      client->next = resume_position (client->server, last_id);
      say (client->server, _("client %u (ws) asked to resume after id “%s”: item %u of %u"),
           client->id, last_id, client->next, client->server->items->len);
      start_replay (client);
      return;
    }

  /* The echo, so that two-way traffic can be tried against the mock server. */
  soup_websocket_connection_send_message (ws, type, message);
  say (client->server, _("client %u (ws) sent %lu bytes; echoed"),
       client->id, (gulong)g_bytes_get_size (message));
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  Client *client = user_data;

  client_gone (client, client->next == G_MAXUINT ? _("got the whole recording") : _("disconnected"));
}

static void
ws_wrote_informational_cb (SoupServerMessage *msg,
                           gpointer           user_data)
{
  Client *client = user_data;
  GList *extensions = g_object_steal_data (G_OBJECT (msg), "sonde-extensions");
  g_autoptr(GUri) uri = NULL;

  g_signal_handlers_disconnect_by_data (msg, client);
  client->base = soup_server_message_steal_connection (msg);
  if (G_IS_SOCKET_CONNECTION (client->base))
    no_delay (g_socket_connection_get_socket (G_SOCKET_CONNECTION (client->base)));
  client->from_client = sonde_ws_dissector_new (SONDE_WS_FROM_CLIENT, &(SondeWsCallbacks) { 0 }, NULL);
  client->tap = sonde_tap_stream_new (client->base, NULL, ws_read_tap, ws_write_tap, ws_can_inject, client);
  uri = g_uri_ref (soup_server_message_get_uri (msg));
  client->ws = soup_websocket_connection_new (client->tap, uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
                                              NULL, NULL, extensions);
  soup_websocket_connection_set_keepalive_interval (client->ws, 0);
  soup_websocket_connection_set_max_incoming_payload_size (client->ws, 16 * 1024 * 1024);
  g_signal_connect (client->ws, "message", G_CALLBACK (ws_message_cb), client);
  g_signal_connect (client->ws, "closed", G_CALLBACK (ws_closed_cb), client);

  /* A client that resumes by message sends it right after the open; give it
   * a moment before the replay starts, so nothing it already has comes twice. */
  client->awaiting_resume = TRUE;
  wake_at (client, g_get_monotonic_time () + RESUME_GRACE_US);
}

static void
ws_handler (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SondeMockServer *self = user_data;
  g_autoptr(GPtrArray) supported = g_ptr_array_new ();
  GList *accepted = NULL;
  Client *client;

  if (self->ws_refuse != 0)
    {
      say (self, _("refusing a WebSocket upgrade with %u (fault)"), self->ws_refuse);
      soup_server_message_set_status (msg, self->ws_refuse, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "upgrade refused by sonde serve\n", 31);
      return;
    }

  g_ptr_array_add (supported, g_type_class_peek (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE));
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, supported, &accepted))
    return;

  client = client_new (self, TRUE, query != NULL ? g_hash_table_lookup (query, "last_id") : NULL);
  g_object_set_data (G_OBJECT (msg), "sonde-extensions", accepted);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (ws_wrote_informational_cb), client);
}

/* ---- /publish ---- */

/**
 * sonde_mock_server_publish:
 * @body: what to send
 *
 * Sends @body to every connected client: an SSE event `publish` with an id of
 * its own on /sse, a text message on /ws.
 *
 * Returns: how many clients it went to
 */
guint
sonde_mock_server_publish (SondeMockServer *self,
                           GBytes          *body)
{
  g_autoptr(GString) block = g_string_new (NULL);
  gsize len;
  const char *data;
  guint n = 0;

  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);
  g_return_val_if_fail (body != NULL, 0);

  data = g_bytes_get_data (body, &len);
  g_string_append_printf (block, "event: publish\nid: publish-%" G_GUINT64_FORMAT "\n", ++self->published);
  append_data_lines (block, data != NULL ? data : "", len);
  g_string_append_c (block, '\n');

  for (GList *l = self->clients; l != NULL; l = l->next)
    {
      Client *client = l->data;

      if (client->websocket && client->ws != NULL &&
          soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          soup_websocket_connection_send_message (client->ws, SOUP_WEBSOCKET_DATA_TEXT, body);
          n++;
        }
      else if (!client->websocket && client->msg != NULL && client->next != G_MAXUINT)
        {
          g_byte_array_append (client->sse_batch, (const guint8 *)block->str, (guint)block->len);
          client->queued += block->len;
          flush_out (client);
          n++;
        }
    }

  return n;
}

static void
publish_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SondeMockServer *self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *answer = NULL;
  guint n;

  if (answer_preflight (msg))
    return;
  add_cors (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  n = sonde_mock_server_publish (self, body);
  say (self, _("published %lu bytes to %u clients"), (gulong)g_bytes_get_size (body), n);

  answer = g_strdup_printf ("{\"clients\":%u}\n", n);
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

static void
root_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SondeMockServer *self = user_data;
  g_autofree char *text = NULL;

  if (!g_str_equal (path, "/"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Try /sse, /ws or POST /publish\n", 31);
      return;
    }

  text = g_strdup_printf ("sonde serve: %u items; GET /sse (text/event-stream), GET /ws (WebSocket), "
                          "POST /publish\n", self->items->len);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/* ---- The object ---- */

SondeMockServer *
sonde_mock_server_new (SondeEventLog *recording)
{
  SondeMockServer *self;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (recording), NULL);

  self = g_object_new (SONDE_TYPE_MOCK_SERVER, NULL);
  self->recording = g_object_ref (recording);

  return self;
}

/**
 * sonde_mock_server_start:
 *
 * Listens on the address and port (0 picks a free one) and serves.
 */
gboolean
sonde_mock_server_start (SondeMockServer  *self,
                         GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  address = g_inet_address_new_from_string (self->address);
  if (address == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("“%s” is not an IP address"), self->address);
      return FALSE;
    }

  build_items (self);

  self->server = soup_server_new ("server-header", "sonde-serve/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->server, "/sse", sse_handler, self, NULL);
  soup_server_add_handler (self->server, "/ws", ws_handler, self, NULL);
  soup_server_add_handler (self->server, "/publish", publish_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, root_handler, self, NULL);

  socket_address = g_inet_socket_address_new (address, (guint16)self->port);
  if (!soup_server_listen (self->server, socket_address, 0, &local_error))
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                   /* Translators: an address and port, then the system's reason */
                   _("Cannot listen on %s port %u: %s"), self->address, self->port,
                   local_error->message);
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = (guint)g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return TRUE;
}

void
sonde_mock_server_stop (SondeMockServer *self)
{
  g_return_if_fail (SONDE_IS_MOCK_SERVER (self));

  while (self->clients != NULL)
    {
      Client *client = self->clients->data;

      client->gone = TRUE;
      self->clients = g_list_delete_link (self->clients, self->clients);
      client_free (client);
    }

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

guint
sonde_mock_server_get_port (SondeMockServer *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);

  return self->port;
}

/**
 * sonde_mock_server_get_url:
 * @scheme: "http" or "ws"
 * @path: "/sse", "/ws" or "/publish"
 *
 * Returns: (transfer full): the URL of one of the server's endpoints
 */
char *
sonde_mock_server_get_url (SondeMockServer *self,
                           const char      *scheme,
                           const char      *path)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), NULL);

  if (strchr (self->address, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u%s", scheme, self->address, self->port, path);
  return g_strdup_printf ("%s://%s:%u%s", scheme, self->address, self->port, path);
}

guint
sonde_mock_server_get_n_items (SondeMockServer *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);

  return self->items->len;
}

guint
sonde_mock_server_get_n_clients (SondeMockServer *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);

  return g_list_length (self->clients);
}

gboolean
sonde_mock_broken_from_string (const char      *name,
                               SondeMockBroken *broken)
{
  static const struct { const char *name; SondeMockBroken value; } names[] = {
    { "bad-utf8", SONDE_MOCK_BROKEN_BAD_UTF8 },
    { "reserved-opcode", SONDE_MOCK_BROKEN_RESERVED_OPCODE },
    { "oversized-ping", SONDE_MOCK_BROKEN_OVERSIZED_PING },
    { "sse-line", SONDE_MOCK_BROKEN_SSE_LINE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (names[i].name, name))
        {
          *broken = names[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

static void
sonde_mock_server_dispose (GObject *object)
{
  sonde_mock_server_stop (SONDE_MOCK_SERVER (object));

  G_OBJECT_CLASS (sonde_mock_server_parent_class)->dispose (object);
}

static void
sonde_mock_server_finalize (GObject *object)
{
  SondeMockServer *self = SONDE_MOCK_SERVER (object);

  g_clear_object (&self->recording);
  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->close_reason, g_free);
  g_clear_pointer (&self->sse_content_type, g_free);

  G_OBJECT_CLASS (sonde_mock_server_parent_class)->finalize (object);
}

static void
sonde_mock_server_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeMockServer *self = SONDE_MOCK_SERVER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_SPEED: g_value_set_double (value, self->speed); break;
    case PROP_LOOP: g_value_set_boolean (value, self->loop); break;
    case PROP_DROP_AFTER: g_value_set_uint (value, self->drop_after); break;
    case PROP_DROP_EVERY: g_value_set_double (value, self->drop_every); break;
    case PROP_STALL_AFTER: g_value_set_uint (value, self->stall_after); break;
    case PROP_STALL: g_value_set_double (value, self->stall); break;
    case PROP_CLOSE_AFTER: g_value_set_uint (value, self->close_after); break;
    case PROP_CLOSE_CODE: g_value_set_uint (value, self->close_code); break;
    case PROP_CLOSE_REASON: g_value_set_string (value, self->close_reason); break;
    case PROP_RETRY: g_value_set_int (value, self->retry); break;
    case PROP_SSE_STATUS: g_value_set_uint (value, self->sse_status); break;
    case PROP_SSE_CONTENT_TYPE: g_value_set_string (value, self->sse_content_type); break;
    case PROP_WS_REFUSE: g_value_set_uint (value, self->ws_refuse); break;
    case PROP_BROKEN: g_value_set_enum (value, self->broken); break;
    case PROP_BROKEN_AFTER: g_value_set_uint (value, self->broken_after); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_mock_server_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeMockServer *self = SONDE_MOCK_SERVER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_value_dup_string (value);
      if (self->address == NULL)
        self->address = g_strdup ("127.0.0.1");
      break;
    case PROP_PORT: self->port = g_value_get_uint (value); break;
    case PROP_SPEED: self->speed = g_value_get_double (value); break;
    case PROP_LOOP: self->loop = g_value_get_boolean (value); break;
    case PROP_DROP_AFTER: self->drop_after = g_value_get_uint (value); break;
    case PROP_DROP_EVERY: self->drop_every = g_value_get_double (value); break;
    case PROP_STALL_AFTER: self->stall_after = g_value_get_uint (value); break;
    case PROP_STALL: self->stall = g_value_get_double (value); break;
    case PROP_CLOSE_AFTER: self->close_after = g_value_get_uint (value); break;
    case PROP_CLOSE_CODE: self->close_code = g_value_get_uint (value); break;
    case PROP_CLOSE_REASON:
      g_free (self->close_reason);
      self->close_reason = g_value_dup_string (value);
      break;
    case PROP_RETRY: self->retry = g_value_get_int (value); break;
    case PROP_SSE_STATUS: self->sse_status = g_value_get_uint (value); break;
    case PROP_SSE_CONTENT_TYPE:
      g_free (self->sse_content_type);
      self->sse_content_type = g_value_dup_string (value);
      break;
    case PROP_WS_REFUSE: self->ws_refuse = g_value_get_uint (value); break;
    case PROP_BROKEN: self->broken = g_value_get_enum (value); break;
    case PROP_BROKEN_AFTER: self->broken_after = g_value_get_uint (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_object_notify_by_pspec (object, pspec);
}

static void
sonde_mock_server_class_init (SondeMockServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sonde_mock_server_dispose;
  object_class->finalize = sonde_mock_server_finalize;
  object_class->get_property = sonde_mock_server_get_property;
  object_class->set_property = sonde_mock_server_set_property;

  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, "127.0.0.1", flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, flags);
  /* Recorded time divided by this; 0 sends as fast as the client reads. */
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 0, 1000, 1, flags);
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, flags);
  properties[PROP_DROP_AFTER] = g_param_spec_uint ("drop-after", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DROP_EVERY] = g_param_spec_double ("drop-every", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_STALL_AFTER] = g_param_spec_uint ("stall-after", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STALL] = g_param_spec_double ("stall", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_CLOSE_AFTER] = g_param_spec_uint ("close-after", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CLOSE_CODE] = g_param_spec_uint ("close-code", NULL, NULL, 0, 4999, 0, flags);
  properties[PROP_CLOSE_REASON] = g_param_spec_string ("close-reason", NULL, NULL, NULL, flags);
  properties[PROP_RETRY] = g_param_spec_int ("retry", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_SSE_STATUS] = g_param_spec_uint ("sse-status", NULL, NULL, 0, 599, 0, flags);
  properties[PROP_SSE_CONTENT_TYPE] = g_param_spec_string ("sse-content-type", NULL, NULL, NULL, flags);
  properties[PROP_WS_REFUSE] = g_param_spec_uint ("ws-refuse", NULL, NULL, 0, 599, 0, flags);
  /* A SondeMockBroken. */
  properties[PROP_BROKEN] = g_param_spec_enum ("broken", NULL, NULL, SONDE_TYPE_MOCK_BROKEN,
                                               SONDE_MOCK_BROKEN_NONE, flags);
  properties[PROP_BROKEN_AFTER] = g_param_spec_uint ("broken-after", NULL, NULL, 0, G_MAXUINT, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SondeMockServer::client-event:
   * @message: a sentence for the console: a connect, a resume point, a disconnect, a fault
   */
  signals[CLIENT_EVENT] =
    g_signal_new ("client-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sonde_mock_server_init (SondeMockServer *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
  self->address = g_strdup ("127.0.0.1");
  self->speed = 1.0;
  self->retry = -1;
  self->broken_after = 1;
}

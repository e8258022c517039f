/* sonde-mock-server-private.h: what the parts of the mock server share: items, clients, the object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sonde-mock-server.h"
#include "sonde-ws-dissector.h"

G_BEGIN_DECLS

/* The recording becomes a list of items, each rendered once for each
 * transport: the SSE block and the WebSocket message. Every client has its
 * own position and clock; its pump sends what is due, waits for the next due
 * time on a timer with microsecond resolution, and at `--speed 0` sends as
 * fast as the client reads, never queueing more than a little ahead. */

typedef enum
{
  SONDE_MOCK_ITEM_EVENT,
  SONDE_MOCK_ITEM_COMMENT,
  SONDE_MOCK_ITEM_RETRY,
  SONDE_MOCK_ITEM_TEXT,
  SONDE_MOCK_ITEM_BINARY,
  SONDE_MOCK_ITEM_PING,
} SondeMockItemKind;

typedef struct
{
  SondeMockItemKind  kind;
  gint64             time_us;     /* since the first item */
  char              *id;          /* what Last-Event-ID or ?last_id= resumes after */
  GBytes            *sse;         /* the block for /sse */
  GBytes            *ws;          /* the message payload for /ws */
  gboolean           ws_binary;
  /* For stamped clients and /poll, which render each message as they send
   * it: the payload alone (an SSE event's data, a message), and the event
   * type when it is not "message". */
  GBytes            *payload;
  char              *event;
  guint              message_index;  /* among the messages of one round, for stamps */
} SondeMockItem;

typedef struct _SondeMockPoll SondeMockPoll;

typedef struct _SondeMockClient SondeMockClient;

struct _SondeMockServer
{
  GObject          parent_instance;

  SondeEventLog   *recording;
  GArray          *items;          /* SondeMockItem */
  gint64           duration_us;
  guint            n_messages;     /* items that are messages, in one round */
  SoupServer      *server;
  GList           *clients;
  guint            next_client_id;
  guint64          published;
  SondeMockPoll   *poll;           /* /poll: its waiting requests */
  /* The shared feed (sonde-mock-server-feed.c) */
  gint64           feed_origin_us;  /* 0 until its first reader */
  guint64          feed_sent;       /* messages gone out to any reader: positions below this */
  guint64          feed_end;        /* no message at or past this position goes out */

  /* Properties */
  char            *address;
  guint            port;
  double           speed;
  gboolean         loop;
  SondeMockFaults *faults;         /* never NULL */
  guint64          max_message_size;
  guint64          max_client_queue;
  guint            request_timeout_ms;  /* 0: none */
  GHashTable      *connections;    /* GSocket: the connections open (or closed since) */
  guint            max_connections;
};

struct _SondeMockClient
{
  SondeMockServer         *server;
  guint                    id;
  gboolean                 websocket;
  SoupServerMessage       *msg;        /* SSE */
  GIOStream               *base;       /* WebSocket: the stolen connection */
  GSocket                 *socket;     /* WebSocket: its socket (libsoup's stream does not say) */
  GIOStream               *tap;
  SoupWebsocketConnection *ws;
  SondeWsDissector        *from_client;
  guint                    next;
  char                    *resumed_after;  /* the id it asked to resume after, made printable */
  guint                    resumed_at;     /* the item that resume started at */
  guint                    loops;      /* times the replay went round (--loop) */
  gboolean                 stamp;      /* ?stamp=1: a latency stamp before each payload, and
                                        * the shared feed's clock instead of origin_us */
  gint64                   origin_us;  /* monotonic time of item time 0 */
  guint64                  sent;
  guint64                  queued;     /* bytes the connection is to write: ours, and libsoup's pongs */
  guint64                  written;    /* bytes it wrote */
  gint64                   drop_at_us;
  GSource                 *timer;
  GByteArray              *ws_batch;   /* frames of this pump turn, written in one go */
  GByteArray              *sse_batch;  /* blocks of this pump turn: one HTTP chunk */
  gboolean                 drop_pending;
  gboolean                 waiting_for_writes;
  gboolean                 broken_sent;
  gboolean                 awaiting_resume;  /* /ws: the first moments, when a resume message may come */
  gboolean                 stalled;
  gboolean                 overflowed;       /* it stopped reading: to be dropped */
  guint64                  overflow;         /* what was waiting for it then */
  gboolean                 too_large;        /* /ws: that message passed the limit: closing */
  gboolean                 gone;
};

/* sonde-mock-server.c */
void             sonde_mock_server_say           (SondeMockServer   *self,
                                                  const char        *format,
                                                  ...) G_GNUC_PRINTF (2, 3);
void             sonde_mock_add_cors             (SoupServerMessage *msg);
gboolean         sonde_mock_answer_preflight     (SoupServerMessage *msg);
gboolean         sonde_mock_begin_request        (SoupServerMessage *msg,
                                                  const char        *method);

/* sonde-mock-server-items.c */
void             sonde_mock_items_build          (SondeMockServer   *self);
void             sonde_mock_item_clear           (gpointer           data);
void             sonde_mock_append_data_lines    (GString           *block,
                                                  const char        *data,
                                                  gsize              len);
guint            sonde_mock_resume_position      (SondeMockServer   *self,
                                                  const char        *last_id);
guint            sonde_mock_resume_at            (SondeMockServer   *self,
                                                  const char        *last_id,
                                                  guint             *loops);
gboolean         sonde_mock_parse_position       (const char        *text,
                                                  guint64           *position);
gboolean         sonde_mock_item_is_message      (const SondeMockItem *item);
GBytes          *sonde_mock_item_stamped         (const SondeMockItem *item,
                                                  guint64           position,
                                                  gint64            sent_us);
const char      *sonde_mock_request_last_id      (SoupMessageHeaders *headers,
                                                  GHashTable        *query);
char            *sonde_mock_parse_resume_message (const char        *data,
                                                  gsize              len);

/* sonde-mock-server-client.c */
SondeMockClient *sonde_mock_client_new           (SondeMockServer   *self,
                                                  gboolean           websocket,
                                                  gboolean           stamp,
                                                  const char        *last_id);
void             sonde_mock_client_free          (SondeMockClient   *client);
void             sonde_mock_client_gone          (SondeMockClient   *client,
                                                  const char        *how);
void             sonde_mock_client_pump          (SondeMockClient   *client);
void             sonde_mock_client_flush         (SondeMockClient   *client);
void             sonde_mock_client_written       (SondeMockClient   *client,
                                                  gsize              n);
guint64          sonde_mock_client_get_backlog   (SondeMockClient   *client);
gboolean         sonde_mock_client_check_backlog (SondeMockClient   *client);
gboolean         sonde_mock_client_send_extra    (SondeMockClient   *client,
                                                  GBytes            *bytes);
void             sonde_mock_client_close_too_large (SondeMockClient *client);
void             sonde_mock_client_wake_at       (SondeMockClient   *client,
                                                  gint64             monotonic_us);
void             sonde_mock_client_start_replay  (SondeMockClient   *client);
void             sonde_mock_client_set_resume    (SondeMockClient   *client,
                                                  const char        *last_id);
void             sonde_mock_client_repace        (SondeMockClient   *client);
void             sonde_mock_client_no_delay      (GSocket           *socket);
gboolean         sonde_mock_query_stamp          (GHashTable        *query);

/* sonde-mock-server-feed.c */
gint64           sonde_mock_feed_due_us          (SondeMockServer   *self,
                                                  guint64            loops,
                                                  guint              index);
gint64           sonde_mock_feed_send_time       (SondeMockServer   *self,
                                                  guint64            loops,
                                                  guint              index);
gboolean         sonde_mock_feed_take            (SondeMockServer   *self,
                                                  guint64            position);
void             sonde_mock_feed_reset           (SondeMockServer   *self);

/* sonde-mock-server-sse.c, -ws.c, -publish.c */
void             sonde_mock_sse_handler          (SoupServer        *server,
                                                  SoupServerMessage *msg,
                                                  const char        *path,
                                                  GHashTable        *query,
                                                  gpointer           user_data);
void             sonde_mock_ws_handler           (SoupServer        *server,
                                                  SoupServerMessage *msg,
                                                  const char        *path,
                                                  GHashTable        *query,
                                                  gpointer           user_data);
void             sonde_mock_publish_early_handler (SoupServer       *server,
                                                   SoupServerMessage *msg,
                                                   const char       *path,
                                                   GHashTable       *query,
                                                   gpointer          user_data);
void             sonde_mock_publish_handler      (SoupServer        *server,
                                                  SoupServerMessage *msg,
                                                  const char        *path,
                                                  GHashTable        *query,
                                                  gpointer           user_data);

/* sonde-mock-server-poll.c */
void             sonde_mock_poll_handler         (SoupServer        *server,
                                                  SoupServerMessage *msg,
                                                  const char        *path,
                                                  GHashTable        *query,
                                                  gpointer           user_data);
void             sonde_mock_echo_handler         (SoupServer        *server,
                                                  SoupServerMessage *msg,
                                                  const char        *path,
                                                  GHashTable        *query,
                                                  gpointer           user_data);
void             sonde_mock_poll_stop            (SondeMockServer   *self);

G_END_DECLS

/* sonde-relay.c: a TCP relay on loopback that counts every byte both ways, for comparisons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "sonde-relay.h"

/* A comparison measures what each transport puts on the wire: libsoup
 * does not say how many bytes an HTTP response took with its chunk
 * framing, nor how many connections it opened. The client connects here
 * instead of to the server; the relay opens its own connection to the
 * server and copies both ways, counting. It sees TCP, not TLS, so it
 * serves plain http and ws; the copy costs a few microseconds a read. */

#define BUFFER_SIZE   (64 * 1024)
#define MAX_HEAD_SIZE (16 * 1024)

struct _SondeRelay
{
  GObject            parent_instance;

  char              *host;
  guint16            port;
  guint16            listen_port;
  GSocketService    *service;
  GSocketClient     *client;
  GCancellable      *cancellable;
  SondeRelayCounts   counts;
};

G_DEFINE_FINAL_TYPE (SondeRelay, sonde_relay, G_TYPE_OBJECT)

typedef struct
{
  gint                refs;
  SondeRelay         *relay;
  GSocketConnection  *down;    /* the client's */
  GSocketConnection  *up;      /* ours, to the server */
  gboolean            first;   /* the relay's first connection: its heads are kept */
  gboolean            closed;
} Pair;

typedef struct
{
  Pair          *pair;
  gboolean       upward;
  guint8        *buffer;
} Pump;

static Pair *
pair_ref (Pair *pair)
{
  pair->refs++;
  return pair;
}

static void
pair_unref (Pair *pair)
{
  if (--pair->refs > 0)
    return;
  g_clear_object (&pair->down);
  g_clear_object (&pair->up);
  g_object_unref (pair->relay);
  g_free (pair);
}

/* Either side ending ends both: a server's drop reaches the client as one. */
static void
pair_close (Pair *pair)
{
  if (pair->closed)
    return;
  pair->closed = TRUE;
  if (pair->down != NULL)
    g_io_stream_close (G_IO_STREAM (pair->down), NULL, NULL);
  if (pair->up != NULL)
    g_io_stream_close (G_IO_STREAM (pair->up), NULL, NULL);
}

static void
pump_free (Pump *pump)
{
  pair_unref (pump->pair);
  g_free (pump->buffer);
  g_free (pump);
}

static void
keep_head (GString      *head,
           gboolean     *done,
           const guint8 *data,
           gsize         len)
{
  const char *end;
  gsize room;

  if (*done)
    return;
  room = MAX_HEAD_SIZE - MIN (head->len, MAX_HEAD_SIZE);
  g_string_append_len (head, (const char *)data, (gssize)MIN (len, room));
  end = g_strstr_len (head->str, (gssize)head->len, "\r\n\r\n");
  if (end != NULL)
    {
      g_string_truncate (head, (gsize)(end - head->str) + 4);
      *done = TRUE;
    }
  else if (head->len >= MAX_HEAD_SIZE)
    *done = TRUE;
}

static void pump_read (Pump *pump);

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pump *pump = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL) ||
      pump->pair->closed)
    {
      pair_close (pump->pair);
      pump_free (pump);
      return;
    }
  pump_read (pump);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pump *pump = user_data;
  Pair *pair = pump->pair;
  SondeRelayCounts *counts = &pair->relay->counts;
  GOutputStream *out;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  if (n <= 0 || pair->closed)
    {
      pair_close (pair);
      pump_free (pump);
      return;
    }

  if (pump->upward)
    {
      counts->bytes_up += (guint64)n;
      if (pair->first)
        keep_head (counts->request_head, &counts->request_head_done, pump->buffer, (gsize)n);
    }
  else
    {
      counts->bytes_down += (guint64)n;
      if (pair->first)
        keep_head (counts->response_head, &counts->response_head_done, pump->buffer, (gsize)n);
    }

  out = g_io_stream_get_output_stream (G_IO_STREAM (pump->upward ? pair->up : pair->down));
  g_output_stream_write_all_async (out, pump->buffer, (gsize)n, G_PRIORITY_DEFAULT,
                                   pair->relay->cancellable, write_cb, pump);
}

static void
pump_read (Pump *pump)
{
  Pair *pair = pump->pair;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (pump->upward ? pair->down
                                                                               : pair->up));

  g_input_stream_read_async (in, pump->buffer, BUFFER_SIZE, G_PRIORITY_DEFAULT,
                             pair->relay->cancellable, read_cb, pump);
}

static void
pump_start (Pair     *pair,
            gboolean  upward)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->pair = pair_ref (pair);
  pump->upward = upward;
  pump->buffer = g_malloc (BUFFER_SIZE);
  pump_read (pump);
}

static void
no_delay (GSocketConnection *connection)
{
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pair *pair = user_data;

  pair->up = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, NULL);
  if (pair->up == NULL || g_cancellable_is_cancelled (pair->relay->cancellable))
    {
      /* The server is not there: the client sees its connection end. */
      pair_close (pair);
      pair_unref (pair);
      return;
    }
  no_delay (pair->up);
  pump_start (pair, TRUE);
  pump_start (pair, FALSE);
  pair_unref (pair);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  SondeRelay *self = user_data;
  Pair *pair = g_new0 (Pair, 1);

  pair->refs = 1;
  pair->relay = g_object_ref (self);
  pair->down = g_object_ref (connection);
  pair->first = self->counts.connections == 0;
  self->counts.connections++;
  no_delay (connection);
  g_socket_client_connect_to_host_async (self->client, self->host, self->port, self->cancellable,
                                         connected_cb, pair);
  return TRUE;
}

/**
 * sonde_relay_new:
 * @host: the server's host
 * @port: the server's port
 */
SondeRelay *
sonde_relay_new (const char *host,
                 guint16     port)
{
  SondeRelay *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (SONDE_TYPE_RELAY, NULL);
  self->host = g_strdup (host);
  self->port = port;
  return self;
}

/**
 * sonde_relay_start:
 *
 * Listens on a free port of 127.0.0.1 and relays what comes, from the
 * thread-default main context.
 */
gboolean
sonde_relay_start (SondeRelay  *self,
                   GError     **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (SONDE_IS_RELAY (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    {
      g_clear_object (&self->service);
      return FALSE;
    }
  self->listen_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);
  return TRUE;
}

/**
 * sonde_relay_stop:
 *
 * Stops listening and ends every connection; the counts stay.
 */
void
sonde_relay_stop (SondeRelay *self)
{
  g_return_if_fail (SONDE_IS_RELAY (self));

  g_cancellable_cancel (self->cancellable);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
}

guint16
sonde_relay_get_port (SondeRelay *self)
{
  g_return_val_if_fail (SONDE_IS_RELAY (self), 0);

  return self->listen_port;
}

/**
 * sonde_relay_get_counts:
 *
 * Returns: (transfer none): what went through so far
 */
const SondeRelayCounts *
sonde_relay_get_counts (SondeRelay *self)
{
  g_return_val_if_fail (SONDE_IS_RELAY (self), NULL);

  return &self->counts;
}

static void
sonde_relay_dispose (GObject *object)
{
  sonde_relay_stop (SONDE_RELAY (object));

  G_OBJECT_CLASS (sonde_relay_parent_class)->dispose (object);
}

static void
sonde_relay_finalize (GObject *object)
{
  SondeRelay *self = SONDE_RELAY (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_free (self->host);
  g_string_free (self->counts.request_head, TRUE);
  g_string_free (self->counts.response_head, TRUE);

  G_OBJECT_CLASS (sonde_relay_parent_class)->finalize (object);
}

static void
sonde_relay_class_init (SondeRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_relay_dispose;
  object_class->finalize = sonde_relay_finalize;
}

static void
sonde_relay_init (SondeRelay *self)
{
  self->client = g_socket_client_new ();
  self->cancellable = g_cancellable_new ();
  self->counts.request_head = g_string_new (NULL);
  self->counts.response_head = g_string_new (NULL);
}

/* sonde-mock-server.c: replays a recording over SSE and WebSocket from loopback, with faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-mock-server-private.h"

/* The parts: sonde-mock-server-items.c turns the recording into what is
 * sent, sonde-mock-server-client.c paces each client, and the -sse, -ws and
 * -publish files answer their paths. This file is the object. */

/* Connections the kernel holds for us until they are accepted: GLib's
 * default of 10 turned a burst of connects into one-second stalls (SYN
 * retries). The kernel caps it at net.core.somaxconn. */
#define LISTEN_BACKLOG 1024

G_DEFINE_FINAL_TYPE (SondeMockServer, sonde_mock_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_SPEED,
  PROP_LOOP,
  PROP_FAULTS,
  PROP_MAX_MESSAGE_SIZE,
  PROP_MAX_CLIENT_QUEUE,
  PROP_REQUEST_TIMEOUT,
  N_PROPS
};

enum {
  CLIENT_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
sonde_mock_server_say (SondeMockServer *self,
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

void
sonde_mock_add_cors (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Any page may use the mock server: that is what it is for. */
  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                "Last-Event-ID, Content-Type, Cache-Control");
  soup_message_headers_replace (headers, "Access-Control-Max-Age", "600");
}

gboolean
sonde_mock_answer_preflight (SoupServerMessage *msg)
{
  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_OPTIONS) != 0)
    return FALSE;

  sonde_mock_add_cors (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  return TRUE;
}

/* What every path does first: a CORS preflight is answered, other methods
 * than @method refused with 405. Returns whether the handler goes on. */
gboolean
sonde_mock_begin_request (SoupServerMessage *msg,
                          const char        *method)
{
  if (sonde_mock_answer_preflight (msg))
    return FALSE;
  sonde_mock_add_cors (msg);
  if (g_strcmp0 (soup_server_message_get_method (msg), method) != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return FALSE;
    }
  return TRUE;
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
                                        "Try /sse, /ws, /poll or POST /publish\n", 38);
      return;
    }

  text = g_strdup_printf ("sonde serve: %u items; GET /sse (text/event-stream), GET /ws (WebSocket), "
                          "GET /poll?cursor=N (long polling), POST /publish, POST /echo\n",
                          self->items->len);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/**
 * sonde_mock_address_is_loopback:
 * @address: (nullable): an IP address; %NULL for the default
 *
 * Returns: whether a server on @address is reached from this machine only
 */
gboolean
sonde_mock_address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (address == NULL)
    return TRUE;
  inet = g_inet_address_new_from_string (address);
  return inet != NULL && g_inet_address_get_is_loopback (inet);
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

/* ---- Requests that never come whole ---- */

#define REQUEST_TIMER "sonde-request-timer"

static gboolean
request_timeout_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  SondeMockServer *self = g_object_get_data (G_OBJECT (msg), "sonde-mock-server");
  GSocket *socket = soup_server_message_get_socket (msg);

  if (self != NULL)
    sonde_mock_server_say (self, _("closed a connection that sent no whole request within %g s"),
                           self->request_timeout_ms / 1000.0);
  /* libsoup's next read fails, and the connection ends with it. A shutdown
   * would not do: at the end of the stream libsoup takes the head so far as
   * a whole request and answers it. */
  if (socket != NULL)
    g_socket_close (socket, NULL);
  g_object_set_data (G_OBJECT (msg), REQUEST_TIMER, NULL);
  return G_SOURCE_REMOVE;
}

static void
destroy_source (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* libsoup's server waits for a request's headers and body for ever: a
 * client that connects and sends a byte now and then (slowloris), or
 * nothing, holds a connection, and enough of them use up the process's
 * file descriptors, so that nobody else is served. Each request gets the
 * request timeout from its start (the connect, or the end of the answer
 * before it on a kept-alive connection) until it has been read whole. */
/* Lets go of the connections that have closed since. libsoup closes a
 * connection's socket when it ends, but may keep the object a while. */
static void
forget_closed_connections (SondeMockServer *self)
{
  GHashTableIter iter;
  gpointer socket;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &socket, NULL))
    {
      if (g_socket_is_closed (socket))
        g_hash_table_iter_remove (&iter);
    }
}

/* Whether the connection of @msg may stay. libsoup's listener stops
 * accepting for good after one failed accept (as when the process has no
 * file descriptor left): held connections beyond the limit would leave the
 * server deaf even once they are gone. So a connection past
 * max_connections is closed as it comes, below the process's limit. */
static gboolean
admit_connection (SondeMockServer   *self,
                  SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || g_hash_table_contains (self->connections, socket))
    return TRUE;
  if (g_hash_table_size (self->connections) >= self->max_connections)
    forget_closed_connections (self);
  if (g_hash_table_size (self->connections) >= self->max_connections)
    {
      sonde_mock_server_say (self, _("closed a new connection: %u are open, the most it takes"),
                             self->max_connections);
      g_socket_close (socket, NULL);
      return FALSE;
    }
  g_hash_table_add (self->connections, g_object_ref (socket));
  return TRUE;
}

/* Leaves room below the process's limit of open files for everything else
 * it opens (the window's own, a tab's connections, recordings). */
static guint
connection_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 65536;
  if (limit.rlim_cur > 1024)
    return (guint)MIN (limit.rlim_cur - 256, 65536);
  return (guint)(limit.rlim_cur / 2);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  SondeMockServer *self = user_data;
  GSource *source;

  if (!admit_connection (self, msg) || self->request_timeout_ms == 0)
    return;

  source = g_timeout_source_new (self->request_timeout_ms);
  g_source_set_static_name (source, "[sonde] mock request timeout");
  /* The source goes with the message, so it never outlives it. */
  g_source_set_callback (source, request_timeout_cb, msg, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_object_set_data (G_OBJECT (msg), "sonde-mock-server", self);
  g_object_set_data_full (G_OBJECT (msg), REQUEST_TIMER, source, destroy_source);
}

static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), REQUEST_TIMER, NULL);
}

/* What soup_server_listen() does, on a socket of our own: its backlog. */
static gboolean
listen_on (SondeMockServer  *self,
           GSocketAddress   *address,
           GError          **error)
{
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  return g_socket_bind (socket, address, TRUE, error) &&
         g_socket_listen (socket, error) &&
         soup_server_listen_socket (self->server, socket, 0, error);
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

  sonde_mock_items_build (self);
  sonde_mock_feed_reset (self);

  self->server = soup_server_new ("server-header", "sonde-serve/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->server, "/sse", sonde_mock_sse_handler, self, NULL);
  soup_server_add_handler (self->server, "/ws", sonde_mock_ws_handler, self, NULL);
  soup_server_add_handler (self->server, "/poll", sonde_mock_poll_handler, self, NULL);
  soup_server_add_handler (self->server, "/echo", sonde_mock_echo_handler, self, NULL);
  soup_server_add_early_handler (self->server, "/publish", sonde_mock_publish_early_handler, self,
                                 NULL);
  soup_server_add_handler (self->server, "/publish", sonde_mock_publish_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, root_handler, self, NULL);
  self->max_connections = connection_limit ();
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->server, "request-read", G_CALLBACK (request_read_cb), self);

  socket_address = g_inet_socket_address_new (address, (guint16)self->port);
  if (!listen_on (self, socket_address, &local_error))
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
      SondeMockClient *client = self->clients->data;

      client->gone = TRUE;
      self->clients = g_list_delete_link (self->clients, self->clients);
      sonde_mock_client_free (client);
    }
  sonde_mock_poll_stop (self);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
      g_hash_table_remove_all (self->connections);
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

G_DEFINE_BOXED_TYPE (SondeMockClientInfo, sonde_mock_client_info,
                     sonde_mock_client_info_copy, sonde_mock_client_info_free)

SondeMockClientInfo *
sonde_mock_client_info_copy (const SondeMockClientInfo *info)
{
  SondeMockClientInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->resumed_after = g_strdup (info->resumed_after);
  copy->last_id = g_strdup (info->last_id);

  return copy;
}

void
sonde_mock_client_info_free (SondeMockClientInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->resumed_after);
  g_free (info->last_id);
  g_free (info);
}

gboolean
sonde_mock_client_info_equal (const SondeMockClientInfo *a,
                              const SondeMockClientInfo *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->id == b->id && a->websocket == b->websocket && a->position == b->position &&
         a->finished == b->finished && a->sent == b->sent && a->resumed_at == b->resumed_at &&
         g_strcmp0 (a->resumed_after, b->resumed_after) == 0 &&
         g_strcmp0 (a->last_id, b->last_id) == 0;
}

/* The id of the last item before @position that has one. */
static const char *
last_id_before (SondeMockServer *self,
                guint            position)
{
  for (guint i = MIN (position, self->items->len); i > 0; i--)
    {
      const SondeMockItem *item = &g_array_index (self->items, SondeMockItem, i - 1);

      if (item->id != NULL)
        return item->id;
    }
  return NULL;
}

/**
 * sonde_mock_server_list_clients:
 *
 * Call it on the thread the server runs on.
 *
 * Returns: (transfer container) (element-type SondeMockClientInfo): the
 *   connected clients, oldest first
 */
GPtrArray *
sonde_mock_server_list_clients (SondeMockServer *self)
{
  GPtrArray *clients;

  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), NULL);

  clients = g_ptr_array_new_with_free_func ((GDestroyNotify)sonde_mock_client_info_free);
  /* The list holds the newest first. */
  for (GList *l = g_list_last (self->clients); l != NULL; l = l->prev)
    {
      const SondeMockClient *client = l->data;
      SondeMockClientInfo *info = g_new0 (SondeMockClientInfo, 1);

      info->id = client->id;
      info->websocket = client->websocket;
      info->finished = client->next == G_MAXUINT;
      info->position = info->finished ? self->items->len : MIN (client->next, self->items->len);
      info->sent = client->sent;
      info->resumed_after = g_strdup (client->resumed_after);
      info->resumed_at = client->resumed_at;
      info->last_id = g_strdup (last_id_before (self, info->position));
      g_ptr_array_add (clients, info);
    }

  return clients;
}

/**
 * sonde_mock_server_get_faults:
 *
 * Returns: (transfer none): the faults the server injects now
 */
const SondeMockFaults *
sonde_mock_server_get_faults (SondeMockServer *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), NULL);

  return self->faults;
}

/**
 * sonde_mock_server_set_faults:
 * @faults: the faults to inject from now on
 *
 * Takes a copy of @faults. A running server applies them to what it does
 * next: a client connecting, the next event of a client already connected
 * (the drop-every clock of each starts again).
 *
 * Returns: whether @faults were taken; %FALSE, with @error set, when one of
 *   them is out of range
 */
gboolean
sonde_mock_server_set_faults (SondeMockServer        *self,
                              const SondeMockFaults  *faults,
                              GError                **error)
{
  gboolean drop_every_changed;

  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (faults != NULL, FALSE);

  if (!sonde_mock_faults_check (faults, error))
    return FALSE;
  if (sonde_mock_faults_equal (self->faults, faults))
    return TRUE;

  drop_every_changed = self->faults->drop_every != faults->drop_every;
  sonde_mock_faults_free (self->faults);
  self->faults = sonde_mock_faults_copy (faults);

  if (drop_every_changed)
    {
      gint64 now = g_get_monotonic_time ();

      for (GList *l = self->clients; l != NULL; l = l->next)
        {
          SondeMockClient *client = l->data;

          client->drop_at_us = faults->drop_every > 0
            ? now + (gint64)(faults->drop_every * G_USEC_PER_SEC) : G_MAXINT64;
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAULTS]);
  return TRUE;
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
  g_clear_pointer (&self->faults, sonde_mock_faults_free);
  g_clear_pointer (&self->connections, g_hash_table_unref);

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
    case PROP_FAULTS: g_value_set_boxed (value, self->faults); break;
    case PROP_MAX_MESSAGE_SIZE: g_value_set_uint64 (value, self->max_message_size); break;
    case PROP_MAX_CLIENT_QUEUE: g_value_set_uint64 (value, self->max_client_queue); break;
    case PROP_REQUEST_TIMEOUT: g_value_set_uint (value, self->request_timeout_ms); break;
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
      {
        const char *address = g_value_get_string (value);

        if (address == NULL)
          address = "127.0.0.1";
        if (g_strcmp0 (self->address, address) == 0)
          return;
        g_free (self->address);
        self->address = g_strdup (address);
      }
      break;
    case PROP_PORT:
      if (self->port == g_value_get_uint (value))
        return;
      self->port = g_value_get_uint (value);
      break;
    case PROP_SPEED:
      if (self->speed == g_value_get_double (value))
        return;
      self->speed = g_value_get_double (value);
      for (GList *l = self->clients; l != NULL; l = l->next)
        sonde_mock_client_repace (l->data);
      break;
    case PROP_LOOP:
      if (self->loop == g_value_get_boolean (value))
        return;
      self->loop = g_value_get_boolean (value);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      if (self->max_message_size == g_value_get_uint64 (value))
        return;
      self->max_message_size = g_value_get_uint64 (value);
      break;
    case PROP_MAX_CLIENT_QUEUE:
      if (self->max_client_queue == g_value_get_uint64 (value))
        return;
      self->max_client_queue = g_value_get_uint64 (value);
      break;
    case PROP_REQUEST_TIMEOUT:
      if (self->request_timeout_ms == g_value_get_uint (value))
        return;
      self->request_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_FAULTS:
      {
        const SondeMockFaults *faults = g_value_get_boxed (value);
        g_autoptr(SondeMockFaults) none = NULL;
        g_autoptr(GError) error = NULL;

        if (faults == NULL)
          faults = none = sonde_mock_faults_new ();
        /* It notifies when they change. */
        if (!sonde_mock_server_set_faults (self, faults, &error))
          g_critical ("%s", error->message);
      }
      return;
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
  /* Recorded time divided by this; 0 sends as fast as the client reads. A
   * change reaches the clients already connected from where they are. */
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 0, 1000, 1, flags);
  /* Read at each end of the recording, so it may change while serving. */
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, flags);
  /* A SondeMockFaults; setting NULL clears them. */
  properties[PROP_FAULTS] = g_param_spec_boxed ("faults", NULL, NULL, SONDE_TYPE_MOCK_FAULTS,
                                                flags);
  /* The largest POST /publish body (413 beyond) and the largest message a
   * /ws client may send (closed with 1009 beyond), in bytes. Read when a
   * request or a client comes. */
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-message-size", NULL, NULL, 1, G_MAXSSIZE,
                         SONDE_MOCK_DEFAULT_MAX_MESSAGE_SIZE, flags);
  /* How much one client may have waiting for it, in bytes: one that has
   * more and is sent an echo, a publish or a pong is dropped. */
  properties[PROP_MAX_CLIENT_QUEUE] =
    g_param_spec_uint64 ("max-client-queue", NULL, NULL, 64 * 1024, G_MAXSSIZE,
                         SONDE_MOCK_DEFAULT_MAX_CLIENT_QUEUE, flags);
  /* How long a connection may take to send a whole request, in ms; 0 waits
   * for ever. Read when a request starts. */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 0, G_MAXUINT,
                       SONDE_MOCK_DEFAULT_REQUEST_TIMEOUT_MS, flags);

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
  self->items = g_array_new (FALSE, TRUE, sizeof (SondeMockItem));
  g_array_set_clear_func (self->items, sonde_mock_item_clear);
  self->address = g_strdup ("127.0.0.1");
  self->speed = 1.0;
  self->faults = sonde_mock_faults_new ();
  self->max_message_size = SONDE_MOCK_DEFAULT_MAX_MESSAGE_SIZE;
  self->max_client_queue = SONDE_MOCK_DEFAULT_MAX_CLIENT_QUEUE;
  self->request_timeout_ms = SONDE_MOCK_DEFAULT_REQUEST_TIMEOUT_MS;
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  sonde_mock_feed_reset (self);
}

/* sonde-compare.c: SSE, WebSocket and long polling on the same feed at once, measured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-compare.h"
#include "sonde-demo.h"
#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-mock-server.h"
#include "sonde-poll-client.h"
#include "sonde-reconnect.h"
#include "sonde-relay.h"
#include "sonde-sse-client.h"
#include "sonde-stamp.h"
#include "sonde-ws-client.h"

/* A run: the mock server (unless every transport has a URL) replays with
 * stamps; each transport's client reaches its server through a relay of
 * its own that counts the bytes and connections; the client's sends go
 * through a second relay (HTTP) or on the open connection (WebSocket,
 * echoed back). When the time is up, every figure is read from what was
 * kept: the clients' event logs (times, payloads and their stamps, raw
 * bytes of each message, drops and opens), the relays' counts and heads,
 * and the round trips of the sends. Nothing in the table is assumed. */

#define SEND_PREFIX "sonde-compare send "

typedef struct
{
  char     *section;
  char     *label;
  char     *cells[SONDE_COMPARE_N_TRANSPORTS];
  char     *how;
} Row;

typedef struct
{
  SondeComparison *self;
  SondeCompareTransport transport;
  gint64           started_us;
} Send;

struct _SondeComparison
{
  GObject              parent_instance;

  SondeCompareOptions  options;
  SondeEventLog       *demo;
  SondeMockServer     *server;
  SondeEventLog       *logs[SONDE_COMPARE_N_TRANSPORTS];
  SondeConnection     *clients[SONDE_COMPARE_N_TRANSPORTS];
  SondeRelay          *feed_relays[SONDE_COMPARE_N_TRANSPORTS];
  SondeRelay          *send_relays[SONDE_COMPARE_N_TRANSPORTS];
  SoupSession         *send_sessions[SONDE_COMPARE_N_TRANSPORTS];
  char                *send_urls[SONDE_COMPARE_N_TRANSPORTS];
  GArray              *rtts[SONDE_COMPARE_N_TRANSPORTS];     /* gint64, HTTP sends */
  guint                sends[SONDE_COMPARE_N_TRANSPORTS];
  guint                resumes[SONDE_COMPARE_N_TRANSPORTS];
  gint64               log_origin[SONDE_COMPARE_N_TRANSPORTS];
  SondeCompareFigures  figures[SONDE_COMPARE_N_TRANSPORTS];
  GCancellable        *send_cancellable;
  GTask               *task;
  GSource             *end_timer;
  GSource             *send_timer;
  GSource             *cancel_source;
  guint                n_sends;
  gint64               started_us;
  gint64               elapsed_us;
  GPtrArray           *rows;       /* Row */
};

G_DEFINE_FINAL_TYPE (SondeComparison, sonde_comparison, G_TYPE_OBJECT)

static const char * const transport_names[] = { "sse", "ws", "poll" };

const char *
sonde_compare_transport_name (SondeCompareTransport transport)
{
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return transport_names[transport];
}

/**
 * sonde_compare_transport_title:
 *
 * Returns: the name people read in a column's title: SSE, WebSocket, Long polling
 */
const char *
sonde_compare_transport_title (SondeCompareTransport transport)
{
  switch (transport)
    {
    case SONDE_COMPARE_SSE: return _("SSE");
    case SONDE_COMPARE_WS: return _("WebSocket");
    case SONDE_COMPARE_POLL: return _("Long polling");
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }
}

/* Their names inside a sentence. */
static const char *
transport_in_sentence (SondeCompareTransport transport)
{
  switch (transport)
    {
    case SONDE_COMPARE_SSE: return _("SSE");
    case SONDE_COMPARE_WS: return _("WebSocket");
    case SONDE_COMPARE_POLL: return C_("in a sentence", "long polling");
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }
}

void
sonde_compare_options_init (SondeCompareOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (SondeCompareOptions) {
    .duration = 10,
    .drop_every = 0,
    .speed = 1,
    .send_every = 0,
    .transports = (1 << SONDE_COMPARE_N_TRANSPORTS) - 1,
    .ws_deflate = TRUE,
    .ws_resume = TRUE,
  };
}

void
sonde_compare_options_clear (SondeCompareOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_object (&options->recording);
  for (guint i = 0; i < SONDE_COMPARE_N_TRANSPORTS; i++)
    g_clear_pointer (&options->urls[i], g_free);
}

/**
 * sonde_compare_parse_transports:
 * @text: names separated by commas: sse, ws, poll
 *
 * Returns: whether @text names one or more transports, each once
 */
gboolean
sonde_compare_parse_transports (const char  *text,
                                guint       *transports,
                                GError     **error)
{
  g_auto(GStrv) names = NULL;
  guint set = 0;

  g_return_val_if_fail (text != NULL && transports != NULL, FALSE);

  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      guint t;

      for (t = 0; t < SONDE_COMPARE_N_TRANSPORTS && !g_str_equal (name, transport_names[t]); t++)
        ;
      if (t == SONDE_COMPARE_N_TRANSPORTS || (set & (1u << t)) != 0)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       /* Translators: %s is what the user wrote; keep sse, ws and poll as they are */
                       _("“%s” is not a list of transports: name each of sse, ws and poll at most "
                         "once, separated by commas"), text);
          return FALSE;
        }
      set |= 1u << t;
    }
  if (set == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("Name at least one transport: sse, ws or poll"));
      return FALSE;
    }
  *transports = set;
  return TRUE;
}

gboolean
sonde_compare_parse_format (const char         *text,
                            SondeCompareFormat *format)
{
  static const char * const names[] = { "text", "markdown", "csv", "json" };

  g_return_val_if_fail (text != NULL && format != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (text, names[i]))
        {
          *format = (SondeCompareFormat)i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
enabled (SondeComparison       *self,
         SondeCompareTransport  t)
{
  return (self->options.transports & (1u << t)) != 0;
}

/* ---- The run ---- */

static void finish_run (SondeComparison *self);

/* Stopped early: what ran so far is measured. */
static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  finish_run (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
end_timer_cb (gpointer user_data)
{
  SondeComparison *self = user_data;

  g_clear_pointer (&self->end_timer, g_source_unref);
  finish_run (self);
  return G_SOURCE_REMOVE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body != NULL && send->self->rtts[send->transport] != NULL &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      gint64 rtt = g_get_monotonic_time () - send->started_us;

      g_array_append_val (send->self->rtts[send->transport], rtt);
    }
  g_object_unref (send->self);
  g_free (send);
}

static gboolean
send_timer_cb (gpointer user_data)
{
  SondeComparison *self = user_data;
  g_autofree char *text = g_strdup_printf (SEND_PREFIX "%u", ++self->n_sends);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (!enabled (self, t) || self->clients[t] == NULL)
        continue;
      if (t == SONDE_COMPARE_WS)
        {
          /* A frame on the open connection; between connections there is none to send on. */
          if (sonde_connection_get_state (self->clients[t]) == SONDE_CONNECTION_OPEN &&
              sonde_ws_client_send_text (SONDE_WS_CLIENT (self->clients[t]), text, NULL))
            self->sends[t]++;
        }
      else
        {
          g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, self->send_urls[t]);
          g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
          Send *send = g_new0 (Send, 1);

          soup_message_set_request_body_from_bytes (message, "text/plain", body);
          send->self = g_object_ref (self);
          send->transport = t;
          send->started_us = g_get_monotonic_time ();
          self->sends[t]++;
          soup_session_send_and_read_async (self->send_sessions[t], message, G_PRIORITY_DEFAULT,
                                            self->send_cancellable, send_cb, send);
        }
    }
  return G_SOURCE_CONTINUE;
}

/* The position of the last stamped message @log holds, or -1. */
static gint64
last_position (SondeEventLog *log)
{
  for (guint64 i = sonde_event_log_get_n_entries (log); i > 0; i--)
    {
      SondeEntryView view;
      g_autofree guint8 *data = NULL;
      gsize len;
      gboolean binary;
      guint32 position;
      gint64 sent_us;

      sonde_event_log_get_view (log, i - 1, &view);
      data = sonde_stamp_entry_payload (&view, &len, &binary);
      if (data != NULL && sonde_stamp_parse (data, len, &position, &sent_us))
        return position;
    }
  return -1;
}

/* The WebSocket's resume policy: after a reconnect, ask for what follows
 * the last message it has, as a message (the mock server's protocol). */
static void
ws_state_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  SondeComparison *self = user_data;
  SondeConnection *ws = SONDE_CONNECTION (object);
  g_autofree char *resume = NULL;
  gint64 last;

  if (sonde_connection_get_state (ws) != SONDE_CONNECTION_OPEN)
    return;
  last = last_position (sonde_connection_get_log (ws));
  if (last < 0)
    return;
  resume = g_strdup_printf ("{\"last_id\":\"#%" G_GINT64_FORMAT "\"}", last);
  if (sonde_ws_client_send_text (SONDE_WS_CLIENT (ws), resume, NULL))
    self->resumes[SONDE_COMPARE_WS]++;
}

static GUri *
check_url (SondeCompareTransport   t,
           const char             *text,
           GError                **error)
{
  const char *want = t == SONDE_COMPARE_WS ? "ws" : "http";
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;

  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL,
                   /* Translators: a URL, then why it is not one */
                   _("“%s” is not a URL: %s"), text, local_error->message);
      return NULL;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), want) != 0 || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_UNSUPPORTED_SCHEME,
                   /* Translators: a URL, then the scheme it needs (http or ws) */
                   _("“%s” cannot be compared: a comparison counts bytes through a relay on "
                     "loopback, so it takes %s:// URLs, without TLS"), text, want);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/**
 * sonde_compare_options_check:
 *
 * Returns: whether a comparison can run with @options; %FALSE with @error
 *   saying what is wrong with the first URL it cannot take
 */
gboolean
sonde_compare_options_check (const SondeCompareOptions  *options,
                             GError                    **error)
{
  g_return_val_if_fail (options != NULL, FALSE);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_autoptr(GUri) uri = NULL;

      if ((options->transports & (1u << t)) == 0 || options->urls[t] == NULL)
        continue;
      uri = check_url (t, options->urls[t], error);
      if (uri == NULL)
        return FALSE;
    }
  return TRUE;
}

/* http://host:port/path?query, for the transport's server. */
static GUri *
server_uri (SondeComparison        *self,
            SondeCompareTransport   t,
            GError                **error)
{
  static const char * const paths[] = { "/sse", "/ws", "/poll" };
  g_autofree char *text = NULL;

  if (self->options.urls[t] != NULL)
    text = g_strdup (self->options.urls[t]);
  else
    text = sonde_mock_server_get_url (self->server, t == SONDE_COMPARE_WS ? "ws" : "http",
                                      paths[t]);
  return check_url (t, text, error);
}

/* The URL the client uses: the relay's, with ?stamp=1 unless it says otherwise. */
static char *
client_url (GUri    *server,
            guint16  relay_port)
{
  const char *query = g_uri_get_query (server);
  g_autofree char *stamped = NULL;

  if (query == NULL || query[0] == '\0')
    stamped = g_strdup ("stamp=1");
  else if (strstr (query, "stamp=") == NULL)
    stamped = g_strdup_printf ("%s&stamp=1", query);
  else
    stamped = g_strdup (query);
  return g_strdup_printf ("%s://127.0.0.1:%u%s?%s", g_uri_get_scheme (server), relay_port,
                          g_uri_get_path (server)[0] != '\0' ? g_uri_get_path (server) : "/",
                          stamped);
}

static gboolean
start_transport (SondeComparison        *self,
                 SondeCompareTransport   t,
                 GError                **error)
{
  g_autoptr(GUri) uri = server_uri (self, t, error);
  g_autofree char *url = NULL;
  int port;

  if (uri == NULL)
    return FALSE;
  port = g_uri_get_port (uri);
  if (port < 0)
    port = 80;

  self->feed_relays[t] = sonde_relay_new (g_uri_get_host (uri), (guint16)port);
  if (!sonde_relay_start (self->feed_relays[t], error))
    return FALSE;
  url = client_url (uri, sonde_relay_get_port (self->feed_relays[t]));
  self->log_origin[t] = g_get_monotonic_time () - sonde_event_log_now (self->logs[t]);

  switch (t)
    {
    case SONDE_COMPARE_SSE:
      self->clients[t] = SONDE_CONNECTION (sonde_sse_client_new (url, self->logs[t]));
      break;
    case SONDE_COMPARE_WS:
      self->clients[t] = SONDE_CONNECTION (sonde_ws_client_new (url, self->logs[t]));
      /* What browsers offer. */
      sonde_ws_client_set_offer_deflate (SONDE_WS_CLIENT (self->clients[t]),
                                         self->options.ws_deflate);
      if (self->options.ws_resume)
        g_signal_connect_object (self->clients[t], "notify::state", G_CALLBACK (ws_state_cb),
                                 self, 0);
      break;
    case SONDE_COMPARE_POLL:
      self->clients[t] = SONDE_CONNECTION (sonde_poll_client_new (url, self->logs[t]));
      break;
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }

  /* What a browser does for SSE; for the others the same, a second between tries. */
  {
    SondeReconnectPolicy policy;

    sonde_reconnect_policy_init_spec (&policy);
    sonde_connection_set_policy (self->clients[t], &policy);
  }

  if (t != SONDE_COMPARE_WS && self->options.send_every > 0)
    {
      self->send_relays[t] = sonde_relay_new (g_uri_get_host (uri), (guint16)port);
      if (!sonde_relay_start (self->send_relays[t], error))
        return FALSE;
      self->send_urls[t] = g_strdup_printf ("http://127.0.0.1:%u/echo",
                                            sonde_relay_get_port (self->send_relays[t]));
      self->send_sessions[t] = soup_session_new_with_options ("timeout", 30, NULL);
      self->rtts[t] = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  return TRUE;
}

static gboolean
start_server (SondeComparison  *self,
              GError          **error)
{
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  SondeEventLog *recording = self->options.recording;

  if (recording == NULL)
    {
      self->demo = sonde_event_log_new ();
      if (!sonde_demo_load (self->demo, error))
        return FALSE;
      recording = self->demo;
    }

  self->server = sonde_mock_server_new (recording);
  faults->drop_every = self->options.drop_every;
  g_object_set (self->server, "speed", self->options.speed, "loop", TRUE, NULL);
  if (!sonde_mock_server_set_faults (self->server, faults, error) ||
      !sonde_mock_server_start (self->server, error))
    return FALSE;
  if (sonde_mock_server_get_n_items (self->server) == 0)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           _("The recording has no events or messages to compare with"));
      return FALSE;
    }
  return TRUE;
}

/**
 * sonde_comparison_run_async:
 *
 * Runs the comparison on the thread-default main context for the options'
 * duration; the figures, rows and verdict are there when it finishes.
 */
void
sonde_comparison_run_async (SondeComparison     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean need_server = FALSE;

  g_return_if_fail (SONDE_IS_COMPARISON (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, sonde_comparison_run_async);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    need_server |= enabled (self, t) && self->options.urls[t] == NULL;
  if (need_server && !start_server (self, &error))
    {
      finish_run (self);
      g_task_return_error (g_steal_pointer (&self->task), g_steal_pointer (&error));
      return;
    }

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (enabled (self, t) && !start_transport (self, t, &error))
        {
          finish_run (self);
          g_task_return_error (g_steal_pointer (&self->task), g_steal_pointer (&error));
          return;
        }
    }

  /* All at once: the clock of each starts with its connection. */
  self->started_us = g_get_monotonic_time ();
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (self->clients[t] != NULL)
      sonde_connection_start (self->clients[t]);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }
  self->end_timer = g_timeout_source_new ((guint)(self->options.duration * 1000));
  g_source_set_static_name (self->end_timer, "[sonde] comparison end");
  g_source_set_callback (self->end_timer, end_timer_cb, self, NULL);
  g_source_attach (self->end_timer, g_main_context_get_thread_default ());
  if (self->options.send_every > 0)
    {
      self->send_timer = g_timeout_source_new ((guint)(self->options.send_every * 1000));
      g_source_set_static_name (self->send_timer, "[sonde] comparison sends");
      g_source_set_callback (self->send_timer, send_timer_cb, self, NULL);
      g_source_attach (self->send_timer, g_main_context_get_thread_default ());
    }
}

gboolean
sonde_comparison_run_finish (SondeComparison  *self,
                             GAsyncResult     *result,
                             GError          **error)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- What was measured ---- */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile; -1 for no values. */
static gint64
percentile (GArray *values,
            double  p)
{
  gsize rank;

  if (values == NULL || values->len == 0)
    return -1;
  g_array_sort (values, compare_gint64);
  rank = (gsize)(p / 100.0 * values->len + 0.999999);
  rank = CLAMP (rank, 1, values->len);
  return g_array_index (values, gint64, rank - 1);
}

static gsize
base64_len (gsize n)
{
  return (n + 2) / 3 * 4;
}

/* What a stamp adds on the wire to a payload of @len bytes (stamp included). */
static guint64
stamp_cost (SondeCompareTransport t,
            gboolean              binary,
            gsize                 len)
{
  if (binary && t != SONDE_COMPARE_WS)
    return base64_len (len) - base64_len (len - SONDE_STAMP_LEN);
  return SONDE_STAMP_LEN;
}

static gboolean
is_send (const guint8 *data,
         gsize         len)
{
  return len >= strlen (SEND_PREFIX) && memcmp (data, SEND_PREFIX, strlen (SEND_PREFIX)) == 0;
}

static void
read_head (SondeCompareFigures    *f,
           const SondeRelayCounts *counts)
{
  g_auto(GStrv) lines = g_strsplit (counts->response_head->str, "\r\n", -1);

  f->handshake_bytes = counts->request_head->len + counts->response_head->len;
  if (lines[0] != NULL && g_str_has_prefix (lines[0], "HTTP/"))
    {
      g_auto(GStrv) parts = g_strsplit (lines[0], " ", 3);

      f->http_version = g_strdup (parts[0]);
      if (parts[1] != NULL)
        f->status = (guint)g_ascii_strtoull (parts[1], NULL, 10);
    }
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      name = g_ascii_strdown (lines[i], colon - lines[i]);
      value = g_strstrip (g_strdup (colon + 1));
      if (g_str_equal (name, "transfer-encoding") && strstr (value, "chunked") != NULL)
        f->chunked = TRUE;
      else if (g_str_equal (name, "content-encoding") && value[0] != '\0' &&
               g_ascii_strcasecmp (value, "identity") != 0)
        {
          g_free (f->compression);
          f->compression = g_strdup (value);
        }
      else if (g_str_equal (name, "sec-websocket-extensions") &&
               strstr (value, "permessage-deflate") != NULL)
        {
          g_free (f->compression);
          f->compression = g_strdup ("permessage-deflate");
        }
    }
}

static void
measure (SondeComparison       *self,
         SondeCompareTransport  t)
{
  SondeCompareFigures *f = &self->figures[t];
  SondeEventLog *log = self->logs[t];
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ws_rtts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) sent_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const SondeRelayCounts *counts = sonde_relay_get_counts (self->feed_relays[t]);
  gint64 max_position = -1;
  gint64 reconnect_total = 0;
  guint reconnects_measured = 0;
  gint64 waiting_since = -1;
  guint64 n;

  f->enabled = TRUE;
  f->first_event_us = -1;
  f->wire_up = counts->bytes_up;
  f->wire_down = counts->bytes_down;
  f->tcp_connections = counts->connections;
  read_head (f, counts);

  n = sonde_event_log_get_n_entries (log);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView view;
      g_autofree guint8 *data = NULL;
      gint64 at;
      gsize len;
      gboolean binary;
      guint32 position;
      gint64 sent_us;

      sonde_event_log_get_view (log, i, &view);
      at = self->log_origin[t] + view.time_us;

      switch (view.kind)
        {
        case SONDE_ENTRY_RECONNECT:
          f->drops++;
          waiting_since = at;
          continue;
        case SONDE_ENTRY_OPEN:
          f->requests++;
          if (waiting_since >= 0)
            {
              reconnect_total += at - waiting_since;
              reconnects_measured++;
              waiting_since = -1;
            }
          continue;
        case SONDE_ENTRY_TEXT:
          if (view.direction == SONDE_DIRECTION_OUT && t == SONDE_COMPARE_WS)
            {
              data = (guint8 *)sonde_entry_view_dup_data (&view, &len, NULL);
              if (data != NULL && is_send (data, len))
                {
                  g_hash_table_insert (sent_at, g_strndup ((const char *)data, len),
                                       g_memdup2 (&at, sizeof at));
                  f->send_bytes += view.raw_len;
                  f->wire_up -= MIN (f->wire_up, view.raw_len);
                }
              continue;
            }
          break;
        case SONDE_ENTRY_SSE:
        case SONDE_ENTRY_BINARY:
          break;
        case SONDE_ENTRY_COMMENT:
        case SONDE_ENTRY_RETRY:
        case SONDE_ENTRY_PING:
        case SONDE_ENTRY_PONG:
        case SONDE_ENTRY_CLOSE:
        case SONDE_ENTRY_CLOSED:
        case SONDE_ENTRY_ERROR:
        case SONDE_ENTRY_REQUEST:
        case SONDE_ENTRY_N_KINDS:
        default:
          continue;
        }

      data = sonde_stamp_entry_payload (&view, &len, &binary);
      if (data == NULL)
        continue;

      if (t == SONDE_COMPARE_WS && is_send (data, len))
        {
          g_autofree char *key = g_strndup ((const char *)data, len);
          gint64 *out_at = g_hash_table_lookup (sent_at, key);

          /* The echo of a send: the other half of its round trip. */
          if (out_at != NULL)
            {
              gint64 rtt = at - *out_at;

              g_array_append_val (ws_rtts, rtt);
              g_hash_table_remove (sent_at, key);
            }
          f->send_bytes += view.raw_len;
          f->wire_down -= MIN (f->wire_down, view.raw_len);
          continue;
        }

      if (f->first_event_us < 0)
        f->first_event_us = at - self->started_us;

      if (sonde_stamp_parse (data, len, &position, &sent_us))
        {
          gint64 latency = at - sent_us;

          if (g_hash_table_contains (seen, GUINT_TO_POINTER (position + 1)))
            {
              f->repeated++;
              continue;
            }
          g_hash_table_add (seen, GUINT_TO_POINTER (position + 1));
          max_position = MAX (max_position, (gint64)position);
          g_array_append_val (latencies, latency);
          f->messages[binary]++;
          f->payload[binary] += len - SONDE_STAMP_LEN;
          f->stamp_bytes += stamp_cost (t, binary, len);
          f->framed[binary] += view.raw_len - MIN (view.raw_len, stamp_cost (t, binary, len));
        }
      else
        {
          f->unstamped++;
          f->messages[binary]++;
          f->payload[binary] += len;
          f->framed[binary] += view.raw_len;
        }
    }

  if (max_position >= 0)
    f->lost = (guint)(max_position + 1 - g_hash_table_size (seen));
  f->latency_p50_us = percentile (latencies, 50);
  f->latency_p99_us = percentile (latencies, 99);
  f->latency_max_us = percentile (latencies, 100);
  f->reconnect_mean_us = reconnects_measured > 0 ? reconnect_total / reconnects_measured : -1;
  f->resumes = self->resumes[t];
  f->sends = self->sends[t];

  switch (t)
    {
    case SONDE_COMPARE_WS:
      f->sends_answered = ws_rtts->len;
      f->rtt_p50_us = percentile (ws_rtts, 50);
      f->rtt_max_us = percentile (ws_rtts, 100);
      break;
    case SONDE_COMPARE_POLL:
      /* Each poll is a request; the opens counted only the first of each run. */
      f->requests = sonde_poll_client_get_n_requests (SONDE_POLL_CLIENT (self->clients[t]));
      G_GNUC_FALLTHROUGH;
    case SONDE_COMPARE_SSE:
      if (self->send_relays[t] != NULL)
        {
          const SondeRelayCounts *send = sonde_relay_get_counts (self->send_relays[t]);

          f->send_bytes = send->bytes_up + send->bytes_down;
          f->tcp_connections += send->connections;
          f->sends_answered = self->rtts[t]->len;
          f->rtt_p50_us = percentile (self->rtts[t], 50);
          f->rtt_max_us = percentile (self->rtts[t], 100);
          f->requests += f->sends;
        }
      else
        f->rtt_p50_us = f->rtt_max_us = -1;
      break;
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }

  if (sonde_connection_get_state (self->clients[t]) == SONDE_CONNECTION_FAILED &&
      sonde_connection_get_error (self->clients[t]) != NULL)
    f->error = g_strdup (sonde_connection_get_error (self->clients[t])->message);
}

static void build_rows (SondeComparison *self);

/* What talks to the network goes on the thread that ran it (libsoup binds
 * a session to its thread); the logs and figures stay. */
static void
release (SondeComparison *self)
{
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_clear_object (&self->clients[t]);
      g_clear_object (&self->feed_relays[t]);
      g_clear_object (&self->send_relays[t]);
      if (self->send_sessions[t] != NULL)
        soup_session_abort (self->send_sessions[t]);
      g_clear_object (&self->send_sessions[t]);
    }
  g_clear_object (&self->server);
}

/* Stops everything; measures when a run was under way. */
static void
finish_run (SondeComparison *self)
{
  gboolean ran = self->started_us > 0 && self->elapsed_us == 0;

  if (self->end_timer != NULL)
    {
      g_source_destroy (self->end_timer);
      g_clear_pointer (&self->end_timer, g_source_unref);
    }
  if (self->send_timer != NULL)
    {
      g_source_destroy (self->send_timer);
      g_clear_pointer (&self->send_timer, g_source_unref);
    }
  g_cancellable_cancel (self->send_cancellable);
  if (ran)
    self->elapsed_us = g_get_monotonic_time () - self->started_us;

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (self->clients[t] != NULL)
      sonde_connection_stop (self->clients[t]);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (self->feed_relays[t] != NULL)
        sonde_relay_stop (self->feed_relays[t]);
      if (self->send_relays[t] != NULL)
        sonde_relay_stop (self->send_relays[t]);
    }
  if (self->server != NULL)
    sonde_mock_server_stop (self->server);

  if (ran)
    {
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->clients[t] != NULL)
          measure (self, t);
      build_rows (self);
    }
  release (self);
  if (!ran)
    return;

  if (self->task != NULL)
    {
      g_task_return_boolean (self->task, TRUE);
      g_clear_object (&self->task);
    }
}

/* ---- The table ---- */

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->section);
  g_free (row->label);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    g_free (row->cells[t]);
  g_free (row->how);
  g_free (row);
}

static char *
format_ms (gint64 us)
{
  if (us < 0)
    return g_strdup ("—");
  /* Translators: a time in milliseconds */
  return g_strdup_printf (_("%.2f ms"), us / 1000.0);
}

static char *
format_bytes (guint64 bytes)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);

  /* Translators: a number of bytes */
  return g_strdup_printf (_("%s B"), number);
}

static guint
total_messages (const SondeCompareFigures *f)
{
  return f->messages[0] + f->messages[1];
}

static guint64
total_payload (const SondeCompareFigures *f)
{
  return f->payload[0] + f->payload[1];
}

/* Bytes on the feed's connections beyond the payloads and stamps. */
static double
overhead_per_message (const SondeCompareFigures *f)
{
  double extra = (double)(f->wire_up + f->wire_down) - (double)total_payload (f) -
                 (double)f->stamp_bytes;

  return total_messages (f) > 0 ? extra / total_messages (f) : -1;
}

/* A message's own framing beyond its payload, for text (0) or binary (1). */
static double
framing_per_message (const SondeCompareFigures *f,
                     guint                      binary)
{
  if (f->messages[binary] == 0)
    return -1;
  return ((double)f->framed[binary] - (double)f->payload[binary]) / f->messages[binary];
}

static char *
recovered (SondeCompareTransport      t,
           const SondeCompareFigures *f)
{
  if (f->drops == 0)
    return g_strdup (_("no drops"));
  if (f->lost > 0 || f->repeated > 0)
    return g_strdup_printf (_("not fully: %u lost, %u repeated"), f->lost, f->repeated);
  switch (t)
    {
    case SONDE_COMPARE_SSE: return g_strdup (_("by itself, with Last-Event-ID"));
    case SONDE_COMPARE_WS:
      return g_strdup (_("by its resume policy: the last position, in a message"));
    case SONDE_COMPARE_POLL: return g_strdup (_("by its cursor"));
    case SONDE_COMPARE_N_TRANSPORTS:
    default:
      g_assert_not_reached ();
    }
}

static char *
response_kind (SondeCompareTransport      t,
               const SondeCompareFigures *f)
{
  if (f->status == 0)
    return g_strdup ("—");
  if (f->status == 101)
    return g_strdup (_("101, an upgrade to WebSocket"));
  if (t == SONDE_COMPARE_POLL)
    return g_strdup_printf (_("%u, a plain response per poll"), f->status);
  if (f->chunked)
    return g_strdup_printf (_("%u, one plain response, chunked"), f->status);
  return g_strdup_printf (_("%u, one plain response"), f->status);
}

typedef enum
{
  CELL_MESSAGES,
  CELL_PAYLOAD,
  CELL_WIRE,
  CELL_OVERHEAD,
  CELL_TEXT_FRAMING,
  CELL_BINARY_FRAMING,
  CELL_HANDSHAKE,
  CELL_FIRST_EVENT,
  CELL_P50,
  CELL_P99,
  CELL_MAX,
  CELL_DROPS,
  CELL_RECONNECT_DELAY,
  CELL_LOST,
  CELL_REPEATED,
  CELL_RECOVERED,
  CELL_SENDS,
  CELL_SEND_HOW,
  CELL_SEND_BYTES,
  CELL_RTT,
  CELL_HTTP_VERSION,
  CELL_RESPONSE,
  CELL_COMPRESSION,
  CELL_TCP,
  CELL_REQUESTS,
  N_CELLS
} Cell;

static const struct
{
  Cell        cell;
  const char *section;
  const char *label;
  const char *how;
} row_specs[] = {
  { CELL_MESSAGES, N_("Payload and overhead"), N_("Messages (text / binary)"),
    N_("Distinct messages the client received, told apart by the position in their latency stamp") },
  { CELL_PAYLOAD, N_("Payload and overhead"), N_("Payload bytes (text / binary)"),
    N_("The bytes of those messages’ payloads as the server meant them: after base64 decoding, "
       "without the 26-byte stamp") },
  { CELL_WIRE, N_("Payload and overhead"), N_("Bytes on the wire"),
    N_("Every byte both ways on the feed’s TCP connections, counted by a relay on loopback between "
       "client and server: handshakes, headers, chunk and frame headers, polls, reconnects; "
       "the client’s sends are counted under Direction") },
  { CELL_OVERHEAD, N_("Payload and overhead"), N_("Overhead per message"),
    N_("Bytes on the wire less the payloads and the stamps, divided by the messages; the share is "
       "of the wire bytes without stamps") },
  { CELL_TEXT_FRAMING, N_("Payload and overhead"), N_("Framing per text message"),
    N_("Each text message’s own bytes (the SSE block, the WebSocket frames, the poll answer’s JSON "
       "object) less its payload and stamp, averaged") },
  { CELL_BINARY_FRAMING, N_("Payload and overhead"), N_("Framing per binary message"),
    N_("The same for binary messages; SSE and long polling carry them as base64, and that "
       "inflation is counted here, as a share of the payload") },
  { CELL_HANDSHAKE, N_("Payload and overhead"), N_("Handshake bytes"),
    N_("The first request’s head and the first response’s head, as the relay saw them") },
  { CELL_FIRST_EVENT, N_("Payload and overhead"), N_("Time to first event"),
    N_("From the start of the run to the first message in the client’s event log") },
  { CELL_P50, N_("Latency"), N_("One-way latency, median"),
    N_("The client’s monotonic clock when a message was logged, less the server’s when it sent it "
       "(in the stamp); both on this machine") },
  { CELL_P99, N_("Latency"), N_("One-way latency, 99th percentile"),
    N_("As the median, the nearest-rank 99th percentile of every message") },
  { CELL_MAX, N_("Latency"), N_("One-way latency, maximum"),
    N_("As the median, the slowest message") },
  { CELL_DROPS, N_("Reconnection"), N_("Drops"),
    N_("Connections that ended and were tried again (reconnect entries in the event log)") },
  { CELL_RECONNECT_DELAY, N_("Reconnection"), N_("Reconnect delay, mean"),
    N_("From each drop to the next open in the event log: the policy’s wait, connecting and the "
       "handshake") },
  { CELL_LOST, N_("Reconnection"), N_("Messages lost"),
    N_("Positions missing below the last one received: messages the server sent that never came") },
  { CELL_REPEATED, N_("Reconnection"), N_("Messages repeated"),
    N_("Messages whose position came more than once") },
  { CELL_RECOVERED, N_("Reconnection"), N_("Recovered"),
    N_("How each came back after drops, read from its losses and repeats: SSE sends Last-Event-ID, "
       "the WebSocket client sends the last position in a message, long polling asks with its "
       "cursor") },
  { CELL_SENDS, N_("Direction"), N_("Client sends (answered)"),
    N_("Messages the client sent back, one every --send-every seconds; answered: echoed back (a "
       "WebSocket frame) or answered by POST /echo (HTTP)") },
  { CELL_SEND_HOW, N_("Direction"), N_("How it sends"),
    N_("SSE and long polling have no way back on their connection: each send is an HTTP request") },
  { CELL_SEND_BYTES, N_("Direction"), N_("Bytes per send, there and back"),
    N_("WebSocket: the masked frame out and the echo frame in, from the event log; HTTP: every byte "
       "of the POST connections, counted by a second relay") },
  { CELL_RTT, N_("Direction"), N_("Round trip, median / maximum"),
    N_("From sending to the echo (WebSocket) or to the whole response (HTTP)") },
  { CELL_HTTP_VERSION, N_("Protocol and infrastructure"), N_("HTTP version"),
    N_("The first response’s status line, as the relay saw it") },
  { CELL_RESPONSE, N_("Protocol and infrastructure"), N_("Response"),
    N_("The first response’s status, and whether it stayed one long response, upgraded, or was "
       "one of many") },
  { CELL_COMPRESSION, N_("Protocol and infrastructure"), N_("Compression"),
    N_("What the first response negotiated: Content-Encoding, or permessage-deflate in "
       "Sec-WebSocket-Extensions (the client offers it, as browsers do)") },
  { CELL_TCP, N_("Protocol and infrastructure"), N_("TCP connections"),
    N_("Connections the relays accepted: the feed’s and the sends’") },
  { CELL_REQUESTS, N_("Protocol and infrastructure"), N_("HTTP requests"),
    N_("Stream requests and upgrades (one per connection attempt that got an answer), polls, and "
       "POSTs") },
};

static char *
cell_text (Cell                       cell,
           SondeCompareTransport      t,
           const SondeCompareFigures *f)
{
  switch (cell)
    {
    case CELL_MESSAGES:
      return g_strdup_printf ("%u / %u", f->messages[0], f->messages[1]);
    case CELL_PAYLOAD:
      return g_strdup_printf ("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, f->payload[0],
                              f->payload[1]);
    case CELL_WIRE:
      return format_bytes (f->wire_up + f->wire_down);
    case CELL_OVERHEAD:
      {
        double per = overhead_per_message (f);
        double wire = (double)(f->wire_up + f->wire_down) - (double)f->stamp_bytes;

        if (per < 0 && total_messages (f) == 0)
          return g_strdup ("—");
        /* Translators: bytes per message, then their share of all bytes */
        return g_strdup_printf (_("%.1f B (%.0f %%)"), per,
                                wire > 0 ? per * total_messages (f) * 100 / wire : 0);
      }
    case CELL_TEXT_FRAMING:
    case CELL_BINARY_FRAMING:
      {
        guint binary = cell == CELL_BINARY_FRAMING;
        double per = framing_per_message (f, binary);

        if (f->messages[binary] == 0)
          return g_strdup ("—");
        return g_strdup_printf (_("%.1f B (%.0f %%)"), per,
                                f->payload[binary] > 0
                                  ? per * f->messages[binary] * 100 / f->payload[binary] : 0);
      }
    case CELL_HANDSHAKE:
      return format_bytes (f->handshake_bytes);
    case CELL_FIRST_EVENT:
      return format_ms (f->first_event_us);
    case CELL_P50:
      return format_ms (f->latency_p50_us);
    case CELL_P99:
      return format_ms (f->latency_p99_us);
    case CELL_MAX:
      return format_ms (f->latency_max_us);
    case CELL_DROPS:
      return g_strdup_printf ("%u", f->drops);
    case CELL_RECONNECT_DELAY:
      return format_ms (f->reconnect_mean_us);
    case CELL_LOST:
      return g_strdup_printf ("%u", f->lost);
    case CELL_REPEATED:
      return g_strdup_printf ("%u", f->repeated);
    case CELL_RECOVERED:
      return recovered (t, f);
    case CELL_SENDS:
      return g_strdup_printf ("%u (%u)", f->sends, f->sends_answered);
    case CELL_SEND_HOW:
      return g_strdup (t == SONDE_COMPARE_WS ? _("a frame on the open connection")
                                             : _("an HTTP POST, a request of its own"));
    case CELL_SEND_BYTES:
      if (f->sends == 0)
        return g_strdup ("—");
      return g_strdup_printf (_("%.1f B"), (double)f->send_bytes / f->sends);
    case CELL_RTT:
      {
        g_autofree char *p50 = format_ms (f->rtt_p50_us);
        g_autofree char *max = format_ms (f->rtt_max_us);

        return g_strdup_printf ("%s / %s", p50, max);
      }
    case CELL_HTTP_VERSION:
      return g_strdup (f->http_version != NULL ? f->http_version : "—");
    case CELL_RESPONSE:
      return response_kind (t, f);
    case CELL_COMPRESSION:
      return g_strdup (f->compression != NULL ? f->compression : _("none"));
    case CELL_TCP:
      return g_strdup_printf ("%u", f->tcp_connections);
    case CELL_REQUESTS:
      return g_strdup_printf ("%u", f->requests);
    case N_CELLS:
    default:
      g_assert_not_reached ();
    }
}

static void
build_rows (SondeComparison *self)
{
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < G_N_ELEMENTS (row_specs); i++)
    {
      Row *row = g_new0 (Row, 1);

      row->section = g_strdup (_(row_specs[i].section));
      row->label = g_strdup (_(row_specs[i].label));
      row->how = g_strdup (_(row_specs[i].how));
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->figures[t].enabled)
          row->cells[t] = cell_text (row_specs[i].cell, t, &self->figures[t]);
      g_ptr_array_add (self->rows, row);
    }
}

/* ---- The verdict ---- */

/* "A 1, B 2 and C 3" over the transports that ran, each piece from @piece. */
static char *
join_transports (SondeComparison *self,
                 char          *(*piece) (SondeComparison *, SondeCompareTransport))
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (self->figures[t].enabled)
      g_ptr_array_add (pieces, piece (self, t));
  for (guint i = 0; i < pieces->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == pieces->len ? _(" and ") : _(", "));
      g_string_append (out, g_ptr_array_index (pieces, i));
    }
  return g_string_free (out, FALSE);
}

static char *
piece_messages (SondeComparison       *self,
                SondeCompareTransport  t)
{
  /* Translators: a transport, then a number of messages */
  return g_strdup_printf (_("%s %u"), transport_in_sentence (t),
                          total_messages (&self->figures[t]));
}

static char *
piece_overhead (SondeComparison       *self,
                SondeCompareTransport  t)
{
  /* Translators: a transport, then bytes */
  return g_strdup_printf (_("%s %.0f bytes"), transport_in_sentence (t),
                          MAX (overhead_per_message (&self->figures[t]), 0));
}

static char *
piece_latency (SondeComparison       *self,
               SondeCompareTransport  t)
{
  g_autofree char *ms = format_ms (self->figures[t].latency_p50_us);

  /* Translators: a transport, then a time */
  return g_strdup_printf (_("%s %s"), transport_in_sentence (t), ms);
}

static char *
piece_recovery (SondeComparison       *self,
                SondeCompareTransport  t)
{
  g_autofree char *how = recovered (t, &self->figures[t]);

  /* Translators: a transport, then how it recovered */
  return g_strdup_printf (_("%s %s"), transport_in_sentence (t), how);
}

/**
 * sonde_comparison_get_verdict:
 *
 * Returns: (transfer full): a few sentences for people that say which
 *   transport suits this feed and why, each built from the figures
 */
char *
sonde_comparison_get_verdict (SondeComparison *self)
{
  const SondeCompareFigures *sse = &self->figures[SONDE_COMPARE_SSE];
  const SondeCompareFigures *ws = &self->figures[SONDE_COMPARE_WS];
  const SondeCompareFigures *poll = &self->figures[SONDE_COMPARE_POLL];
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *messages = NULL;
  g_autofree char *overhead = NULL;
  g_autofree char *latency = NULL;
  guint any_binary = 0, drops = 0, sends = 0;
  int favour_sse = 0, favour_ws = 0;

  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);

  if (self->elapsed_us == 0)
    return g_strdup (_("Nothing was measured."));

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      any_binary += self->figures[t].messages[1];
      drops += self->figures[t].drops;
      sends += self->figures[t].sends;
    }

  messages = join_transports (self, piece_messages);
  overhead = join_transports (self, piece_overhead);
  latency = join_transports (self, piece_latency);
  g_string_append_printf (out, _("In %.0f s the same feed delivered these messages: %s. Beyond "
                                 "the payload each message cost %s on the wire, and took %s "
                                 "(median) to arrive."),
                          self->elapsed_us / (double)G_USEC_PER_SEC, messages, overhead, latency);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (self->figures[t].error != NULL)
      g_string_append_printf (out, _(" %s failed: %s."), sonde_compare_transport_title (t),
                              self->figures[t].error);

  if (any_binary > 0 && ws->enabled && (sse->enabled || poll->enabled))
    {
      const SondeCompareFigures *text_one = sse->enabled ? sse : poll;
      double inflated = text_one->payload[1] > 0
        ? framing_per_message (text_one, 1) * text_one->messages[1] * 100 / text_one->payload[1]
        : 0;

      g_string_append_printf (out, _(" Binary messages grew by %.0f %% as base64 in %s; WebSocket "
                                     "carried them as they are."),
                              inflated, transport_in_sentence (sse->enabled ? SONDE_COMPARE_SSE
                                                                      : SONDE_COMPARE_POLL));
      favour_ws++;
    }

  if (drops > 0)
    {
      g_autofree char *recovery = join_transports (self, piece_recovery);

      g_string_append_printf (out, _(" Under a drop every %g s they recovered like this: %s."),
                              self->options.drop_every, recovery);
      if (sse->enabled && sse->drops > 0 && sse->lost == 0 && sse->repeated == 0)
        favour_sse++;
      if (ws->enabled && (ws->lost > 0 || ws->repeated > 0))
        favour_sse++;
    }

  if (sends > 0 && ws->enabled && ws->sends > 0 && (sse->enabled || poll->enabled))
    {
      const SondeCompareFigures *http = sse->enabled ? sse : poll;
      g_autofree char *ws_rtt = format_ms (ws->rtt_p50_us);
      g_autofree char *http_rtt = format_ms (http->rtt_p50_us);
      double ws_bytes = (double)ws->send_bytes / ws->sends;
      double http_bytes = http->sends > 0 ? (double)http->send_bytes / http->sends : 0;

      g_string_append_printf (out, _(" Talking back cost %.0f bytes and %s a message as a "
                                     "WebSocket frame, against %.0f bytes and %s as an HTTP "
                                     "POST."), ws_bytes, ws_rtt, http_bytes, http_rtt);
      if (ws_bytes < http_bytes)
        favour_ws += 2;
    }
  else if (sse->enabled)
    favour_sse++;

  if (ws->enabled && sse->enabled && ws->latency_p50_us >= 0 && sse->latency_p50_us >= 0 &&
      ws->latency_p50_us * 2 < sse->latency_p50_us)
    favour_ws++;

  if (sse->enabled && ws->enabled)
    {
      if (favour_sse >= favour_ws)
        g_string_append (out, sends == 0
                         ? _(" This feed suits SSE: it only flows one way, it came as one plain "
                             "HTTP response that any proxy passes, and it resumed by itself.")
                         : _(" This feed suits SSE: what flows back is little, and one plain "
                             "HTTP response with automatic resume outweighs it."));
      else
        g_string_append (out, _(" This feed suits WebSocket: the client talks back or sends "
                                "binary, and one open connection carries that for less."));
    }
  if (poll->enabled && sse->enabled && overhead_per_message (sse) > 0)
    g_string_append_printf (out, _(" Long polling got the same messages at %.1f times SSE’s "
                                   "overhead per message and %u requests: keep it for networks "
                                   "where neither stream gets through."),
                            overhead_per_message (poll) / overhead_per_message (sse),
                            poll->requests);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- Output ---- */

static void
append_csv_field (GString    *out,
                  const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = len; i < (glong)width; i++)
    g_string_append_c (out, ' ');
}

/**
 * sonde_comparison_format:
 *
 * Returns: (transfer full): the table and the verdict as text for a
 *   terminal, Markdown, CSV (no verdict) or JSON (figures, rows, verdict)
 */
char *
sonde_comparison_format (SondeComparison    *self,
                         SondeCompareFormat  format)
{
  GString *out = g_string_new (NULL);
  g_autofree char *verdict = NULL;
  const char *section = NULL;

  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);

  verdict = sonde_comparison_get_verdict (self);
  switch (format)
    {
    case SONDE_COMPARE_FORMAT_TEXT:
      {
        guint widths[1 + SONDE_COMPARE_N_TRANSPORTS] = { 0 };

        for (guint i = 0; i < self->rows->len; i++)
          {
            Row *row = g_ptr_array_index (self->rows, i);

            widths[0] = MAX (widths[0], (guint)g_utf8_strlen (row->label, -1));
            for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
              if (row->cells[t] != NULL)
                widths[1 + t] = MAX (MAX (widths[1 + t], (guint)g_utf8_strlen (row->cells[t], -1)),
                                     (guint)g_utf8_strlen (sonde_compare_transport_title (t), -1));
          }
        append_padded (out, "", widths[0] + 2);
        for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
          if (self->figures[t].enabled)
            {
              append_padded (out, sonde_compare_transport_title (t), widths[1 + t] + 2);
            }
        g_string_append_c (out, '\n');
        for (guint i = 0; i < self->rows->len; i++)
          {
            Row *row = g_ptr_array_index (self->rows, i);

            if (g_strcmp0 (section, row->section) != 0)
              g_string_append_printf (out, "%s%s\n", section != NULL ? "\n" : "", row->section);
            section = row->section;
            g_string_append (out, "  ");
            append_padded (out, row->label, widths[0]);
            for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
              if (row->cells[t] != NULL)
                {
                  g_string_append (out, "  ");
                  append_padded (out, row->cells[t], widths[1 + t]);
                }
            g_string_append_c (out, '\n');
          }
        g_string_append_printf (out, "\n%s\n", verdict);
      }
      break;

    case SONDE_COMPARE_FORMAT_MARKDOWN:
      g_string_append_printf (out, "| %s |", _("Measured"));
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->figures[t].enabled)
          g_string_append_printf (out, " %s |", sonde_compare_transport_title (t));
      g_string_append (out, "\n| --- |");
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->figures[t].enabled)
          g_string_append (out, " --- |");
      g_string_append_c (out, '\n');
      for (guint i = 0; i < self->rows->len; i++)
        {
          Row *row = g_ptr_array_index (self->rows, i);

          if (g_strcmp0 (section, row->section) != 0)
            {
              g_string_append_printf (out, "| **%s** |", row->section);
              for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
                if (self->figures[t].enabled)
                  g_string_append (out, " |");
              g_string_append_c (out, '\n');
            }
          section = row->section;
          g_string_append_printf (out, "| %s |", row->label);
          for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
            if (row->cells[t] != NULL)
              g_string_append_printf (out, " %s |", row->cells[t]);
          g_string_append_c (out, '\n');
        }
      g_string_append_printf (out, "\n%s\n", verdict);
      break;

    case SONDE_COMPARE_FORMAT_CSV:
      append_csv_field (out, _("Section"));
      g_string_append_c (out, ',');
      append_csv_field (out, _("Measured"));
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->figures[t].enabled)
          {
            g_string_append_c (out, ',');
            append_csv_field (out, sonde_compare_transport_title (t));
          }
      g_string_append (out, "\r\n");
      for (guint i = 0; i < self->rows->len; i++)
        {
          Row *row = g_ptr_array_index (self->rows, i);

          append_csv_field (out, row->section);
          g_string_append_c (out, ',');
          append_csv_field (out, row->label);
          for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
            if (row->cells[t] != NULL)
              {
                g_string_append_c (out, ',');
                append_csv_field (out, row->cells[t]);
              }
          g_string_append (out, "\r\n");
        }
      break;

    case SONDE_COMPARE_FORMAT_JSON:
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *text = NULL;

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "duration_s");
        json_builder_add_double_value (builder, self->elapsed_us / (double)G_USEC_PER_SEC);
        json_builder_set_member_name (builder, "transports");
        json_builder_begin_object (builder);
        for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
          {
            const SondeCompareFigures *f = &self->figures[t];

            if (!f->enabled)
              continue;
            json_builder_set_member_name (builder, transport_names[t]);
            json_builder_begin_object (builder);
#define INT_MEMBER(name, value) G_STMT_START { \
  json_builder_set_member_name (builder, name); \
  json_builder_add_int_value (builder, (gint64)(value)); \
} G_STMT_END
            INT_MEMBER ("text_messages", f->messages[0]);
            INT_MEMBER ("binary_messages", f->messages[1]);
            INT_MEMBER ("text_payload_bytes", f->payload[0]);
            INT_MEMBER ("binary_payload_bytes", f->payload[1]);
            INT_MEMBER ("text_framed_bytes", f->framed[0]);
            INT_MEMBER ("binary_framed_bytes", f->framed[1]);
            INT_MEMBER ("wire_bytes_up", f->wire_up);
            INT_MEMBER ("wire_bytes_down", f->wire_down);
            INT_MEMBER ("stamp_bytes", f->stamp_bytes);
            INT_MEMBER ("handshake_bytes", f->handshake_bytes);
            INT_MEMBER ("first_event_us", f->first_event_us);
            INT_MEMBER ("latency_p50_us", f->latency_p50_us);
            INT_MEMBER ("latency_p99_us", f->latency_p99_us);
            INT_MEMBER ("latency_max_us", f->latency_max_us);
            INT_MEMBER ("unstamped", f->unstamped);
            INT_MEMBER ("drops", f->drops);
            INT_MEMBER ("reconnect_mean_us", f->reconnect_mean_us);
            INT_MEMBER ("lost", f->lost);
            INT_MEMBER ("repeated", f->repeated);
            INT_MEMBER ("resumes", f->resumes);
            INT_MEMBER ("sends", f->sends);
            INT_MEMBER ("sends_answered", f->sends_answered);
            INT_MEMBER ("send_bytes", f->send_bytes);
            INT_MEMBER ("rtt_p50_us", f->rtt_p50_us);
            INT_MEMBER ("rtt_max_us", f->rtt_max_us);
            INT_MEMBER ("status", f->status);
            INT_MEMBER ("tcp_connections", f->tcp_connections);
            INT_MEMBER ("requests", f->requests);
#undef INT_MEMBER
            json_builder_set_member_name (builder, "http_version");
            json_builder_add_string_value (builder, f->http_version);
            json_builder_set_member_name (builder, "chunked");
            json_builder_add_boolean_value (builder, f->chunked);
            json_builder_set_member_name (builder, "compression");
            json_builder_add_string_value (builder, f->compression);
            json_builder_set_member_name (builder, "error");
            json_builder_add_string_value (builder, f->error);
            json_builder_end_object (builder);
          }
        json_builder_end_object (builder);
        json_builder_set_member_name (builder, "rows");
        json_builder_begin_array (builder);
        for (guint i = 0; i < self->rows->len; i++)
          {
            Row *row = g_ptr_array_index (self->rows, i);

            json_builder_begin_object (builder);
            json_builder_set_member_name (builder, "section");
            json_builder_add_string_value (builder, row->section);
            json_builder_set_member_name (builder, "label");
            json_builder_add_string_value (builder, row->label);
            json_builder_set_member_name (builder, "how");
            json_builder_add_string_value (builder, row->how);
            for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
              if (row->cells[t] != NULL)
                {
                  json_builder_set_member_name (builder, transport_names[t]);
                  json_builder_add_string_value (builder, row->cells[t]);
                }
            json_builder_end_object (builder);
          }
        json_builder_end_array (builder);
        json_builder_set_member_name (builder, "verdict");
        json_builder_add_string_value (builder, verdict);
        json_builder_end_object (builder);

        root = json_builder_get_root (builder);
        json_generator_set_root (generator, root);
        json_generator_set_pretty (generator, TRUE);
        text = json_generator_to_data (generator, NULL);
        g_string_append_printf (out, "%s\n", text);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return g_string_free (out, FALSE);
}

/* ---- The object ---- */

/**
 * sonde_comparison_new:
 * @options: what to compare; copied
 */
SondeComparison *
sonde_comparison_new (const SondeCompareOptions *options)
{
  SondeComparison *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->duration > 0, NULL);

  self = g_object_new (SONDE_TYPE_COMPARISON, NULL);
  self->options = *options;
  /* Made here, so that views of them live on the caller's context (the
   * window's), while the run may append from a thread of its own. */
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if ((options->transports & (1u << t)) != 0)
      self->logs[t] = sonde_event_log_new ();
  if (options->recording != NULL)
    self->options.recording = g_object_ref (options->recording);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    self->options.urls[t] = g_strdup (options->urls[t]);
  return self;
}

/**
 * sonde_comparison_get_log:
 *
 * Returns: (transfer none) (nullable): the timeline of one transport's
 *   client; %NULL for one not compared
 */
SondeEventLog *
sonde_comparison_get_log (SondeComparison       *self,
                          SondeCompareTransport  transport)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return self->logs[transport];
}

/**
 * sonde_comparison_get_figures:
 *
 * Returns: (transfer none): what was measured for @transport (all zero
 *   and not enabled before the run ends)
 */
const SondeCompareFigures *
sonde_comparison_get_figures (SondeComparison       *self,
                              SondeCompareTransport  transport)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return &self->figures[transport];
}

/**
 * sonde_comparison_get_elapsed:
 *
 * Returns: how long the run lasted, in microseconds; 0 before it ends
 */
gint64
sonde_comparison_get_elapsed (SondeComparison *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), 0);

  return self->elapsed_us;
}

guint
sonde_comparison_get_n_rows (SondeComparison *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARISON (self), 0);

  return self->rows->len;
}

/**
 * sonde_comparison_get_row:
 * @cells: (out): one text per transport, %NULL for those not compared
 * @how: (out): how the row's figures were measured, for a tooltip
 */
gboolean
sonde_comparison_get_row (SondeComparison     *self,
                          guint                row,
                          const char         **section,
                          const char         **label,
                          const char * const **cells,
                          const char         **how)
{
  Row *r;

  g_return_val_if_fail (SONDE_IS_COMPARISON (self), FALSE);

  if (row >= self->rows->len)
    return FALSE;
  r = g_ptr_array_index (self->rows, row);
  if (section != NULL)
    *section = r->section;
  if (label != NULL)
    *label = r->label;
  if (cells != NULL)
    *cells = (const char * const *)r->cells;
  if (how != NULL)
    *how = r->how;
  return TRUE;
}

static void
sonde_comparison_dispose (GObject *object)
{
  SondeComparison *self = SONDE_COMPARISON (object);

  finish_run (self);

  G_OBJECT_CLASS (sonde_comparison_parent_class)->dispose (object);
}

static void
sonde_comparison_finalize (GObject *object)
{
  SondeComparison *self = SONDE_COMPARISON (object);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_clear_object (&self->logs[t]);
      g_clear_pointer (&self->send_urls[t], g_free);
      g_clear_pointer (&self->rtts[t], g_array_unref);
      g_clear_pointer (&self->figures[t].http_version, g_free);
      g_clear_pointer (&self->figures[t].compression, g_free);
      g_clear_pointer (&self->figures[t].error, g_free);
    }
  sonde_compare_options_clear (&self->options);
  g_clear_object (&self->demo);
  g_clear_object (&self->send_cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_comparison_parent_class)->finalize (object);
}

static void
sonde_comparison_class_init (SondeComparisonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_comparison_dispose;
  object_class->finalize = sonde_comparison_finalize;
}

static void
sonde_comparison_init (SondeComparison *self)
{
  self->send_cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new_with_free_func (row_free);
}

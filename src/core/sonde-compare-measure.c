/* sonde-compare-measure.c: what a comparison's run measured, transport by transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-compare-private.h"
#include "sonde-entry.h"
#include "sonde-entry-fields.h"
#include "sonde-poll-client.h"
#include "sonde-stamp.h"

/* The run's clients, relays and logs are in; the figures come from them
 * once the run has stopped (sonde-compare.c calls this from its end). */

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

/* A resume message that reached the mock server after it had stopped
 * waiting for one comes back as an echo (on a loaded machine). */
static gboolean
is_resume (const guint8 *data,
           gsize         len)
{
  return len >= strlen (RESUME_PREFIX) && memcmp (data, RESUME_PREFIX, strlen (RESUME_PREFIX)) == 0;
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

/**
 * sonde_compare_message_key:
 * @counts: how often each unstamped payload came so far in this log; updated
 *
 * A message's identity across transports. Stamped, its position on the feed
 * (a repeat has the same key); otherwise its payload, and how many copies of
 * that payload came before it (without stamps a repeat cannot be told from
 * a message that says the same again).
 *
 * Returns: (transfer full) (nullable): the key; %NULL for what is no message
 *   of the feed: a send, its echo, a resume, control entries
 */
char *
sonde_compare_message_key (SondeCompareTransport  t,
                           const SondeEntryView  *view,
                           GHashTable            *counts)
{
  g_autofree guint8 *data = NULL;
  g_autofree char *digest = NULL;
  gsize len;
  gboolean binary;
  guint32 position;
  gint64 sent_us;
  guint n;

  if (view->direction != SONDE_DIRECTION_IN ||
      (view->kind != SONDE_ENTRY_TEXT && view->kind != SONDE_ENTRY_SSE &&
       view->kind != SONDE_ENTRY_BINARY))
    return NULL;
  data = sonde_stamp_entry_payload (view, &len, &binary);
  if (data == NULL)
    return NULL;
  if (t == SONDE_COMPARE_WS && (is_resume (data, len) || is_send (data, len)))
    return NULL;
  if (sonde_stamp_parse (data, len, &position, &sent_us))
    return g_strdup_printf ("#%u", position);

  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, digest));
  g_hash_table_insert (counts, g_strdup (digest), GUINT_TO_POINTER (n + 1));
  return g_strdup_printf ("%s%c%u", digest, binary ? 'b' : 't', n);
}

/* Against URLs the run cannot end the feed: each transport stops at its own
 * last message, and each may have connected a moment after the feed began.
 * Only the range every transport received is compared: in each log, from
 * the first to the last message whose key all of them have. Within it, a
 * message one transport has and another lacks is lost for the latter;
 * outside it, nothing counts (so one more message at the end is no loss). */
void
sonde_compare_align (SondeComparison *self)
{
  g_autoptr(GHashTable) common = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) in_range = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *keys[SONDE_COMPARE_N_TRANSPORTS] = { NULL };
  guint with_messages = 0;

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      guint64 n;

      self->range_from[t] = 1;
      self->range_to[t] = 0;
      self->range_lost[t] = self->range_outside[t] = 0;
      if (self->clients[t] == NULL)
        continue;
      keys[t] = g_ptr_array_new_with_free_func (g_free);
      n = sonde_event_log_get_n_entries (self->logs[t]);
      for (guint64 i = 0; i < n; i++)
        {
          SondeEntryView view;
          char *key;

          sonde_event_log_get_view (self->logs[t], i, &view);
          key = sonde_compare_message_key (t, &view, counts);
          g_ptr_array_add (keys[t], key);
          if (key != NULL && g_hash_table_add (seen, key))
            {
              guint n_with = GPOINTER_TO_UINT (g_hash_table_lookup (common, key));

              g_hash_table_insert (common, g_strdup (key), GUINT_TO_POINTER (n_with + 1));
            }
        }
      with_messages += g_hash_table_size (seen) > 0;
    }

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      if (keys[t] == NULL)
        continue;
      for (guint i = 0; i < keys[t]->len; i++)
        {
          const char *key = g_ptr_array_index (keys[t], i);

          if (key == NULL ||
              GPOINTER_TO_UINT (g_hash_table_lookup (common, key)) != with_messages)
            continue;
          if (self->range_from[t] > self->range_to[t])
            self->range_from[t] = i;
          self->range_to[t] = i;
        }
      for (guint64 i = self->range_from[t]; i <= self->range_to[t]; i++)
        if (g_ptr_array_index (keys[t], i) != NULL)
          g_hash_table_add (in_range, g_ptr_array_index (keys[t], i));
    }

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      g_autoptr(GHashTable) mine = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);

      if (keys[t] == NULL)
        continue;
      for (guint i = 0; i < keys[t]->len; i++)
        {
          char *key = g_ptr_array_index (keys[t], i);

          if (key == NULL)
            continue;
          g_hash_table_add (all, key);
          if (i >= self->range_from[t] && i <= self->range_to[t])
            g_hash_table_add (mine, key);
        }
      self->range_lost[t] = g_hash_table_size (in_range) - g_hash_table_size (mine);
      self->range_outside[t] = g_hash_table_size (all) - g_hash_table_size (mine);
    }

  /* in_range borrowed the keys: it goes first. */
  g_clear_pointer (&in_range, g_hash_table_unref);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    g_clear_pointer (&keys[t], g_ptr_array_unref);
}

void
sonde_compare_measure (SondeComparison       *self,
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
  gint64 wait_total_ms = 0;
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
          {
            gint64 delay_ms;

            /* The wait the client chose (SSE: retry: or its default), as it logged it. */
            if (sonde_entry_fields_get_int (&view, "delay_ms", &delay_ms))
              wait_total_ms += delay_ms;
            f->drops++;
            waiting_since = at;
            continue;
          }
        case SONDE_ENTRY_RETRY:
          f->wait_from_retry = TRUE;
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

      if (t == SONDE_COMPARE_WS && is_resume (data, len))
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
      /* Against URLs, only the range every transport received. */
      if (!self->controlled && (i < self->range_from[t] || i > self->range_to[t]))
        {
          f->outside_bytes += view.raw_len;
          continue;
        }

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
          /* Another machine's monotonic clock says nothing about this one's. */
          if (!f->other_clock)
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

  /* On an ended feed, what never came counts, at the end as well. */
  if (!self->controlled)
    {
      f->lost = self->range_lost[t];
      f->outside = self->range_outside[t];
    }
  else if (sonde_compare_on_feed (self, t) && self->drained)
    f->lost = (guint)(self->feed_messages - MIN ((gint64)g_hash_table_size (seen),
                                                 self->feed_messages));
  else if (max_position >= 0)
    f->lost = (guint)(max_position + 1 - g_hash_table_size (seen));
  f->latency_p50_us = percentile (latencies, 50);
  f->latency_p99_us = percentile (latencies, 99);
  f->latency_max_us = percentile (latencies, 100);
  f->reconnect_mean_us = reconnects_measured > 0 ? reconnect_total / reconnects_measured : -1;
  f->reconnect_wait_ms = f->drops > 0 ? (double)wait_total_ms / f->drops : -1;
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

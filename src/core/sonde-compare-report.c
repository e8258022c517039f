/* sonde-compare-report.c: a comparison's table, verdict and output formats, from its figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sonde-compare-private.h"

/* Their names inside a sentence. */
const char *
sonde_compare_transport_in_sentence (SondeCompareTransport transport)
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

/* ---- The table ---- */

void
sonde_compare_row_free (gpointer data)
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

/* The wait the client chose, where it came from, and how long it took to be back. */
static char *
reconnect_delay (SondeCompareTransport      t,
                 const SondeCompareFigures *f)
{
  g_autofree char *back = NULL;
  const char *from;

  if (f->drops == 0 || f->reconnect_wait_ms < 0)
    return g_strdup ("—");
  if (t != SONDE_COMPARE_SSE)
    from = _("the policy");
  else if (f->wait_from_retry)
    from = _("the server’s retry:");
  else
    from = _("SSE’s default");
  if (f->reconnect_mean_us < 0)
    /* Translators: a wait in milliseconds, who chose it (“the server’s retry:”) */
    return g_strdup_printf (_("%.0f ms (%s); not back by the end"), f->reconnect_wait_ms, from);
  back = format_ms (f->reconnect_mean_us);
  /* Translators: a wait in milliseconds, who chose it (“the policy”), then a time such as
   * “1004.40 ms” */
  return g_strdup_printf (_("%.0f ms (%s); back in %s"), f->reconnect_wait_ms, from, back);
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

/* Bytes on the feed's connections beyond the payloads and stamps (and,
 * against URLs, the messages left out: they are not among those counted). */
static double
overhead_per_message (const SondeCompareFigures *f)
{
  double extra = (double)(f->wire_up + f->wire_down) - (double)f->outside_bytes -
                 (double)total_payload (f) - (double)f->stamp_bytes;

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
  CELL_FEED,
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
  { CELL_FEED, N_("Feed"), N_("Source"),
    N_("The built-in mock server replayed the recording with a latency stamp in each message; when "
       "the time was up (or Stop came) the run ended its feed and waited for every transport to "
       "receive the last message published, so all are measured on the same messages") },
  { CELL_MESSAGES, N_("Payload and overhead"), N_("Messages (text / binary)"),
    N_("Distinct messages the client received, told apart by the position in their latency stamp "
       "(without stamps, by their payload); against URLs, only those in the range every "
       "transport received") },
  { CELL_PAYLOAD, N_("Payload and overhead"), N_("Payload bytes (text / binary)"),
    N_("The bytes of those messages’ payloads as the server meant them: after base64 decoding, "
       "without the 26-byte stamp") },
  { CELL_WIRE, N_("Payload and overhead"), N_("Bytes on the wire"),
    N_("Every byte both ways on the feed’s TCP connections, counted by a relay on loopback between "
       "client and server: handshakes, headers, chunk and frame headers, polls, reconnects; "
       "the client’s sends are counted under Direction") },
  { CELL_OVERHEAD, N_("Payload and overhead"), N_("Overhead per message"),
    N_("Bytes on the wire less the payloads and the stamps (against URLs, less the messages left "
       "out as well), divided by the messages; the share is of the wire bytes without stamps") },
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
    N_("The client’s monotonic clock when a message was logged, less the server’s when the "
       "message fell due on the feed (in the stamp, the same for every transport); both on this "
       "machine. A message published while the client was away after a drop counts with that "
       "wait") },
  { CELL_P99, N_("Latency"), N_("One-way latency, 99th percentile"),
    N_("As the median, the nearest-rank 99th percentile of every message") },
  { CELL_MAX, N_("Latency"), N_("One-way latency, maximum"),
    N_("As the median, the slowest message") },
  { CELL_DROPS, N_("Reconnection"), N_("Drops"),
    N_("Connections that ended and were tried again (reconnect entries in the event log)") },
  { CELL_RECONNECT_DELAY, N_("Reconnection"), N_("Reconnect delay, mean"),
    N_("The wait each reconnect chose, from the reconnect entries in the event log (SSE: the "
       "server’s retry: or the default; the others: one second, the comparison’s policy); then "
       "from each drop to the next open: that wait, connecting and the handshake") },
  { CELL_LOST, N_("Reconnection"), N_("Messages lost"),
    N_("Messages the feed published that never came, checked after the run waited for every "
       "transport to catch up (built-in mock server); against URLs, messages another transport "
       "received within the range every transport received, and this one did not") },
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
    N_("Connections the relays accepted: the feed’s and the sends’. The client keeps an idle "
       "connection open and sends the next POST on it, as browsers do") },
  { CELL_REQUESTS, N_("Protocol and infrastructure"), N_("HTTP requests"),
    N_("Stream requests and upgrades (one per connection attempt that got an answer), polls, and "
       "POSTs") },
};

/* Why a transport has no latency figure, or "—" when it had no message. */
static char *
latency_text (const SondeCompareFigures *f,
              gint64                     us)
{
  if (us >= 0)
    return format_ms (us);
  if (total_messages (f) > 0 && f->other_clock)
    return g_strdup (_("not measured: stamped on another machine’s clock"));
  if (total_messages (f) > 0 && f->unstamped > 0)
    return g_strdup (_("not measured: no stamps"));
  return g_strdup ("—");
}

/* The feed this transport read, and whether the run could end it. */
static char *
feed_text (SondeComparison           *self,
           const SondeCompareFigures *f)
{
  if (self->controlled)
    return g_strdup (_("built-in mock server, ended by the run"));
  if (f->outside == 0)
    return g_strdup (_("a URL, not controlled; nothing left out"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "a URL, not controlled; %u message left out (outside the "
                                       "range all received)",
                                       "a URL, not controlled; %u messages left out (outside the "
                                       "range all received)", f->outside), f->outside);
}

static char *
cell_text (SondeComparison           *self,
           Cell                       cell,
           SondeCompareTransport      t,
           const SondeCompareFigures *f)
{
  switch (cell)
    {
    case CELL_FEED:
      return feed_text (self, f);
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
        double wire = (double)(f->wire_up + f->wire_down) - (double)f->outside_bytes -
                      (double)f->stamp_bytes;

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
      return latency_text (f, f->latency_p50_us);
    case CELL_P99:
      return latency_text (f, f->latency_p99_us);
    case CELL_MAX:
      return latency_text (f, f->latency_max_us);
    case CELL_DROPS:
      return g_strdup_printf ("%u", f->drops);
    case CELL_RECONNECT_DELAY:
      return reconnect_delay (t, f);
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

void
sonde_compare_build_rows (SondeComparison *self)
{
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < G_N_ELEMENTS (row_specs); i++)
    {
      Row *row = g_new0 (Row, 1);

      row->section = g_strdup (_(row_specs[i].section));
      row->label = g_strdup (_(row_specs[i].label));
      if (row_specs[i].cell == CELL_FEED && !self->controlled)
        row->how = g_strdup (_("The URLs’ servers: the run cannot end their feed, so each "
                               "transport stopped at its own last message (the run waited up to "
                               "2 s for each to have the last message any other had). Only the "
                               "range of messages every transport received is compared, matched "
                               "by the position in their stamps or, without stamps, by their "
                               "payload; what one got before or after that range is left out, "
                               "not counted as lost. Without the built-in mock server’s stamps "
                               "there is no one-way latency"));
      else
        row->how = g_strdup (_(row_specs[i].how));
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        if (self->figures[t].enabled)
          row->cells[t] = cell_text (self, row_specs[i].cell, t, &self->figures[t]);
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
  return g_strdup_printf (_("%s %u"), sonde_compare_transport_in_sentence (t),
                          total_messages (&self->figures[t]));
}

static char *
piece_overhead (SondeComparison       *self,
                SondeCompareTransport  t)
{
  /* Translators: a transport, then bytes */
  return g_strdup_printf (_("%s %.0f bytes"), sonde_compare_transport_in_sentence (t),
                          MAX (overhead_per_message (&self->figures[t]), 0));
}

static char *
piece_latency (SondeComparison       *self,
               SondeCompareTransport  t)
{
  g_autofree char *ms = format_ms (self->figures[t].latency_p50_us);

  /* Translators: a transport, then a time */
  return g_strdup_printf (_("%s %s"), sonde_compare_transport_in_sentence (t), ms);
}

static char *
piece_recovery (SondeComparison       *self,
                SondeCompareTransport  t)
{
  g_autofree char *how = recovered (t, &self->figures[t]);

  /* Translators: a transport, then how it recovered */
  return g_strdup_printf (_("%s %s"), sonde_compare_transport_in_sentence (t), how);
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
  guint any_binary = 0, drops = 0, sends = 0, outside = 0;
  gboolean any_latency = FALSE;
  int favour_sse = 0, favour_ws = 0;

  g_return_val_if_fail (SONDE_IS_COMPARISON (self), NULL);

  if (self->elapsed_us == 0)
    return g_strdup (_("Nothing was measured."));

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      any_binary += self->figures[t].messages[1];
      drops += self->figures[t].drops;
      sends += self->figures[t].sends;
      outside += self->figures[t].outside;
      any_latency |= self->figures[t].latency_p50_us >= 0;
    }

  if (!self->controlled && outside == 0)
    g_string_append (out, _("The feed came from URLs that Sonde does not control: the run could "
                            "not end it, so it compares only the messages every transport "
                            "received (here each received the same ones). "));
  else if (!self->controlled)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "The feed came from URLs that Sonde does not "
                                              "control: the run could not end it, so only the "
                                              "messages every transport received are compared "
                                              "(%u message at the edges was left out). ",
                                              "The feed came from URLs that Sonde does not "
                                              "control: the run could not end it, so only the "
                                              "messages every transport received are compared "
                                              "(%u messages at the edges were left out). ",
                                              outside), outside);
  if (!self->controlled && !any_latency)
    g_string_append (out, _("Without the built-in mock server’s stamps there is no one-way "
                            "latency to compare. "));

  messages = join_transports (self, piece_messages);
  overhead = join_transports (self, piece_overhead);
  latency = join_transports (self, piece_latency);
  if (any_latency)
    /* Translators: the run's seconds (as the status line gives them), then lists */
    g_string_append_printf (out, _("In %.1f s the same feed delivered these messages: %s. Beyond "
                                   "the payload each message cost %s on the wire, and took %s "
                                   "(median) to arrive."),
                            self->elapsed_us / (double)G_USEC_PER_SEC, messages, overhead,
                            latency);
  else
    /* Translators: the run's seconds (as the status line gives them), then lists */
    g_string_append_printf (out, _("In %.1f s the same feed delivered these messages: %s. Beyond "
                                   "the payload each message cost %s on the wire."),
                            self->elapsed_us / (double)G_USEC_PER_SEC, messages, overhead);
  if (drops > 0 && any_latency)
    g_string_append (out, _(" Those times count the wait of the messages published while a "
                            "transport was away after a drop."));

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
                              inflated, sonde_compare_transport_in_sentence (sse->enabled ? SONDE_COMPARE_SSE
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
        g_string_append (out, sends > 0
                         ? _(" This feed suits SSE: what flows back is little, and one plain "
                             "HTTP response with automatic resume outweighs it.")
                         : sse->drops > 0
                         ? _(" This feed suits SSE: it only flows one way, it came as one plain "
                             "HTTP response that any proxy passes, and it resumed by itself.")
                         /* No drop: nothing showed how it resumes. */
                         : _(" This feed suits SSE: it only flows one way, and it came as one "
                             "plain HTTP response that any proxy passes."));
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
        json_builder_set_member_name (builder, "controlled");
        json_builder_add_boolean_value (builder, self->controlled);
        json_builder_set_member_name (builder, "duration_s");
        json_builder_add_double_value (builder, self->elapsed_us / (double)G_USEC_PER_SEC);
        json_builder_set_member_name (builder, "transports");
        json_builder_begin_object (builder);
        for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
          {
            const SondeCompareFigures *f = &self->figures[t];

            if (!f->enabled)
              continue;
            json_builder_set_member_name (builder, sonde_compare_transport_names[t]);
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
            INT_MEMBER ("reconnect_wait_ms",
                        f->reconnect_wait_ms < 0 ? -1 : (gint64)(f->reconnect_wait_ms + 0.5));
            INT_MEMBER ("lost", f->lost);
            INT_MEMBER ("repeated", f->repeated);
            INT_MEMBER ("outside_common_range", f->outside);
            INT_MEMBER ("outside_bytes", f->outside_bytes);
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
            json_builder_set_member_name (builder, "latency_other_clock");
            json_builder_add_boolean_value (builder, f->other_clock);
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
                  json_builder_set_member_name (builder, sonde_compare_transport_names[t]);
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

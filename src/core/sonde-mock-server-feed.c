/* sonde-mock-server-feed.c: the one live feed that /poll, and /sse and /ws with ?stamp=1, all read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-mock-server-private.h"

/* A comparison must compare the same messages. Replaying the recording to
 * each client on a clock of its own does not give that: a client that comes
 * back after a drop starts its clock again where it resumed, falls behind the
 * others, and in a run of fixed length gets fewer messages. The shared feed
 * has one clock, started by its first reader: the item at position P
 * (counting every item, across loops) falls due at that start plus its
 * recorded time divided by the speed, for every reader of every transport. A
 * reader that was away catches up on what fell due meanwhile, and its
 * stamps carry the time each message fell due, not when its copy went out,
 * so every transport gets the same positions, ids and send times.
 *
 * The feed can be ended (sonde_mock_server_end_feed()): what has gone out to
 * any reader is the whole feed, and readers that are behind may still catch
 * up to it; nothing after it goes out. */

static gint64
feed_origin (SondeMockServer *self)
{
  if (self->feed_origin_us == 0)
    {
      self->feed_origin_us = g_get_monotonic_time ();
      sonde_mock_server_say (self, _("the shared feed (/poll, and stamped /sse and /ws) started"));
    }
  return self->feed_origin_us;
}

/**
 * sonde_mock_feed_due_us:
 * @loops: the rounds of the recording before this one (`--loop`)
 * @index: the item's index in the recording
 *
 * Returns: the monotonic time at which the item falls due on the shared
 *   feed; the feed's start at speed 0, where everything is due at once
 */
gint64
sonde_mock_feed_due_us (SondeMockServer *self,
                        guint64          loops,
                        guint            index)
{
  const SondeMockItem *item = &g_array_index (self->items, SondeMockItem, index);
  gint64 recorded = (gint64)loops * self->duration_us + item->time_us;
  gint64 origin = feed_origin (self);

  if (self->speed <= 0)
    return origin;
  return origin + (gint64)(recorded / self->speed);
}

/**
 * sonde_mock_feed_send_time:
 *
 * Returns: what a stamp says of the message at @index of round @loops: when
 *   it fell due; at speed 0, where nothing falls due, when it goes out
 */
gint64
sonde_mock_feed_send_time (SondeMockServer *self,
                           guint64          loops,
                           guint            index)
{
  if (self->speed <= 0)
    return g_get_monotonic_time ();
  return sonde_mock_feed_due_us (self, loops, index);
}

/**
 * sonde_mock_feed_take:
 * @position: a message's position in the feed (messages only, across loops)
 *
 * Returns: whether the message may go out: %FALSE past the end of an ended
 *   feed. Every message that goes out is counted as published.
 */
gboolean
sonde_mock_feed_take (SondeMockServer *self,
                      guint64          position)
{
  if (position >= self->feed_end)
    return FALSE;
  self->feed_sent = MAX (self->feed_sent, position + 1);
  return TRUE;
}

void
sonde_mock_feed_reset (SondeMockServer *self)
{
  self->feed_origin_us = 0;
  self->feed_sent = 0;
  self->feed_end = G_MAXUINT64;
}

/**
 * sonde_mock_server_end_feed:
 *
 * Ends the shared feed where it is: the messages that have gone out to
 * any reader (/poll, or /sse and /ws with `?stamp=1`) are the whole feed.
 * Readers that are behind still get them; none gets a later one. The
 * streams stay open (a drop fault still drops them), and polls wait.
 *
 * Returns: how many messages the feed published: positions 0 to that less one
 */
guint64
sonde_mock_server_end_feed (SondeMockServer *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER (self), 0);

  if (self->feed_end == G_MAXUINT64)
    {
      self->feed_end = self->feed_sent;
      sonde_mock_server_say (self, _("the shared feed ended after %lu messages"),
                             (gulong)self->feed_end);
    }
  return self->feed_end;
}

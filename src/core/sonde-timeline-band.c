/* sonde-timeline-band.c: the timeline summary's connection band and notes, from lifecycle entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-json-scanner.h"
#include "sonde-timeline-summary-private.h"

/* Kinds whose entries can move the connection band or carry a note. */
static const guint8 lifecycle_kinds[SONDE_ENTRY_N_KINDS] = {
  [SONDE_ENTRY_OPEN] = 1,
  [SONDE_ENTRY_RETRY] = 1,
  [SONDE_ENTRY_CLOSE] = 1,
  [SONDE_ENTRY_RECONNECT] = 1,
  [SONDE_ENTRY_CLOSED] = 1,
  [SONDE_ENTRY_ERROR] = 1,
};

static void
segment_clear (gpointer data)
{
  SondeTimelineSegment *segment = data;

  g_clear_pointer (&segment->reason, g_free);
}

static void
note_clear (gpointer data)
{
  SondeTimelineNote *note = data;

  g_clear_pointer (&note->value, g_free);
}

void
sonde_timeline_band_init (SondeTimelineSummary *self)
{
  self->segments = g_array_new (FALSE, FALSE, sizeof (SondeTimelineSegment));
  g_array_set_clear_func (self->segments, segment_clear);
  self->notes = g_array_new (FALSE, FALSE, sizeof (SondeTimelineNote));
  g_array_set_clear_func (self->notes, note_clear);
  self->members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  self->object = g_string_new (NULL);
}

void
sonde_timeline_band_finalize (SondeTimelineSummary *self)
{
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->notes, g_array_unref);
  g_clear_pointer (&self->members, g_array_unref);
  g_string_free (self->object, TRUE);
  g_free (self->drop_reason);
  g_free (self->first_request);
}

/* Fields. */

static gboolean
load_fields (SondeTimelineSummary *self,
             const SondeEntryView *view)
{
  g_string_truncate (self->object, 0);
  g_string_append_c (self->object, '{');
  g_string_append_len (self->object, view->fields, (gssize)view->fields_len);
  g_string_append_c (self->object, '}');
  g_array_set_size (self->members, 0);
  if (!sonde_json_scan_object (self->object->str, self->object->len, self->members, NULL))
    {
      g_array_set_size (self->members, 0);
      return FALSE;
    }
  return TRUE;
}

static const SondeJsonMember *
field (SondeTimelineSummary *self,
       const char           *name)
{
  for (guint i = self->members->len; i > 0; i--)
    {
      const SondeJsonMember *member = &g_array_index (self->members, SondeJsonMember, i - 1);

      if (sonde_json_member_name_is (member, name))
        return member;
    }
  return NULL;
}

static char *
decode_string (const SondeJsonMember *member)
{
  GString *decoded;

  if (member == NULL || member->type != SONDE_JSON_STRING)
    return NULL;
  decoded = g_string_new (NULL);
  sonde_json_decode_string (member->value, member->value_len, decoded);
  return g_string_free (decoded, FALSE);
}

static char *
field_string (SondeTimelineSummary *self,
              const char           *name)
{
  return decode_string (field (self, name));
}

static gboolean
field_uint (SondeTimelineSummary *self,
            const char           *name,
            guint64              *value)
{
  const SondeJsonMember *member = field (self, name);

  return member != NULL && member->type == SONDE_JSON_NUMBER &&
         sonde_json_parse_uint64 (member->value, member->value_len, value);
}

/* A header of an object of headers, by name, whatever its case. */
static char *
field_header (SondeTimelineSummary *self,
              const char           *object_name,
              const char           *header)
{
  const SondeJsonMember *headers = field (self, object_name);
  g_autoptr(GArray) members = NULL;

  if (headers == NULL || headers->type != SONDE_JSON_OBJECT)
    return NULL;
  members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  if (!sonde_json_scan_object (headers->value, headers->value_len, members, NULL))
    return NULL;
  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);
      g_autoptr(GString) name = g_string_new (NULL);

      sonde_json_decode_string (member->name, member->name_len, name);
      if (g_ascii_strcasecmp (name->str, header) == 0)
        return decode_string (member);
    }
  return NULL;
}

/* The band. */

static SondeTimelineSegment *
last_segment (SondeTimelineSummary *self)
{
  if (self->segments->len == 0)
    return NULL;
  return &g_array_index (self->segments, SondeTimelineSegment, self->segments->len - 1);
}

static void
push_segment (SondeTimelineSummary *self,
              gint64                start_us,
              SondeConnectionState  state,
              guint64               seq,
              char                 *reason)
{
  SondeTimelineSegment segment = { 0 };
  SondeTimelineSegment *last = last_segment (self);

  /* Waits always start anew: each has its own delay. */
  if (last != NULL && last->state == state && state != SONDE_CONNECTION_WAITING)
    {
      g_free (reason);
      return;
    }

  segment.start_us = start_us;
  segment.state = state;
  segment.seq = seq;
  segment.reason = reason;
  g_array_append_val (self->segments, segment);
}

static void
add_note (SondeTimelineSummary  *self,
          const SondeEntryView  *view,
          SondeTimelineNoteKind  kind,
          char                  *value)
{
  SondeTimelineNote note = { 0 };

  note.time_us = view->time_us;
  note.seq = view->seq;
  note.kind = kind;
  note.direction = view->direction;
  note.value = value;
  g_array_append_val (self->notes, note);
}

/* A failure logged in an open connection can turn out not to have ended it:
 * an event too large was dropped and the stream went on. Then it goes. */
static void
undo_failure (SondeTimelineSummary *self)
{
  if (!self->failure_pending)
    return;
  self->failure_pending = FALSE;
  g_array_set_size (self->segments, self->segments->len - 1);
}

/* A wait that has run its course became a new attempt. */
static void
end_wait (SondeTimelineSummary *self,
          gint64                time_us)
{
  SondeTimelineSegment *last = last_segment (self);
  gint64 done;

  if (last == NULL || last->state != SONDE_CONNECTION_WAITING)
    return;
  done = last->start_us + (gint64)last->delay_ms * 1000;
  if (time_us >= done)
    push_segment (self, done, SONDE_CONNECTION_CONNECTING, last->seq, NULL);
}

/* The query parameters of @request's target that @url does not have. */
static char *
added_query (const char *request,
             const char *url)
{
  const char *target;
  const char *query;
  const char *url_query;
  g_autoptr(GString) added = NULL;
  g_auto(GStrv) params = NULL;
  g_auto(GStrv) known = NULL;
  g_autofree char *target_copy = NULL;

  if (request == NULL)
    return NULL;
  target = strchr (request, ' ');
  if (target == NULL)
    return NULL;
  target_copy = g_strdup (target + 1);
  if (strchr (target_copy, ' ') != NULL)
    *strchr (target_copy, ' ') = '\0';
  query = strchr (target_copy, '?');
  if (query == NULL)
    return NULL;

  url_query = url != NULL ? strchr (url, '?') : NULL;
  known = g_strsplit (url_query != NULL ? url_query + 1 : "", "&", -1);
  params = g_strsplit (query + 1, "&", -1);
  added = g_string_new (NULL);
  for (guint i = 0; params[i] != NULL; i++)
    {
      if (params[i][0] == '\0' || g_strv_contains ((const char * const *)known, params[i]))
        continue;
      if (added->len > 0)
        g_string_append_c (added, '&');
      g_string_append (added, params[i]);
    }
  if (added->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&added), FALSE);
}

static void
on_open (SondeTimelineSummary *self,
         const SondeEntryView *view)
{
  g_autofree char *request = NULL;
  g_autofree char *url = NULL;
  char *last_event_id;
  guint64 status = 0;

  load_fields (self, view);
  field_uint (self, "status", &status);

  /* What the request said to resume from. */
  last_event_id = field_header (self, "request_headers", "Last-Event-ID");
  if (last_event_id != NULL)
    add_note (self, view, SONDE_TIMELINE_NOTE_LAST_EVENT_ID, last_event_id);

  request = field_string (self, "request");
  url = field_string (self, "url");
  if (request != NULL)
    {
      /* The first request is what the user asked for; a later one that
       * adds parameters is a resume query. */
      if (self->first_request == NULL)
        self->first_request = g_strdup (request);
      else
        {
          char *query = added_query (request, url);

          if (query != NULL)
            add_note (self, view, SONDE_TIMELINE_NOTE_RESUME_QUERY, query);
        }
    }

  /* An open after a failure is the user connecting again. */
  self->failure_pending = FALSE;

  if (status == 101 || (status >= 200 && status < 300 && status != 204))
    push_segment (self, view->time_us, SONDE_CONNECTION_OPEN, view->seq, NULL);
  /* Any other answer is followed by the `closed` or `error` that says how it ended. */
}

static char *
close_description (SondeTimelineSummary *self)
{
  g_autofree char *reason = field_string (self, "reason");
  guint64 code;

  if (!field_uint (self, "code", &code))
    return NULL;
  if (reason != NULL && reason[0] != '\0')
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", code, reason);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, code);
}

static void
on_lifecycle (SondeTimelineSummary *self,
              const SondeEntryView *view)
{
  switch (view->kind)
    {
    case SONDE_ENTRY_OPEN:
      on_open (self, view);
      break;

    case SONDE_ENTRY_RETRY:
      {
        guint64 ms;

        load_fields (self, view);
        if (field_uint (self, "ms", &ms))
          add_note (self, view, SONDE_TIMELINE_NOTE_RETRY,
                    g_strdup_printf ("%" G_GUINT64_FORMAT, ms));
        undo_failure (self);
      }
      break;

    case SONDE_ENTRY_CLOSE:
      {
        char *description;

        load_fields (self, view);
        description = close_description (self);
        if (description != NULL)
          add_note (self, view, SONDE_TIMELINE_NOTE_CLOSE_CODE, description);
      }
      break;

    case SONDE_ENTRY_RECONNECT:
      {
        SondeTimelineSegment *waiting;
        guint64 delay = 0;
        guint64 attempt = 0;

        load_fields (self, view);
        field_uint (self, "delay_ms", &delay);
        field_uint (self, "attempt", &attempt);
        /* The failure was a drop: the policy waits and tries again. */
        undo_failure (self);
        push_segment (self, view->time_us, SONDE_CONNECTION_WAITING, view->seq,
                      g_strdup (self->drop_reason));
        waiting = &g_array_index (self->segments, SondeTimelineSegment, self->segments->len - 1);
        waiting->delay_ms = (guint)MIN (delay, G_MAXUINT);
        waiting->attempt = (guint)MIN (attempt, G_MAXUINT);
      }
      break;

    case SONDE_ENTRY_CLOSED:
      {
        guint64 code;

        load_fields (self, view);
        g_free (self->drop_reason);
        self->drop_reason = field_string (self, "message");
        /* A connection that ended without a close frame says so with 1006. */
        if (field_uint (self, "code", &code) && code == 1006)
          add_note (self, view, SONDE_TIMELINE_NOTE_CLOSE_CODE, close_description (self));
        undo_failure (self);
        push_segment (self, view->time_us, SONDE_CONNECTION_CLOSED, view->seq,
                      g_strdup (self->drop_reason));
      }
      break;

    case SONDE_ENTRY_ERROR:
      if (view->direction != SONDE_DIRECTION_LOCAL)
        {
          /* A frame the peer should not have sent: the connection lives. */
          undo_failure (self);
          break;
        }
      load_fields (self, view);
      g_free (self->drop_reason);
      self->drop_reason = field_string (self, "message");
      if (!self->failure_pending && (last_segment (self) == NULL ||
                                     last_segment (self)->state != SONDE_CONNECTION_FAILED))
        {
          push_segment (self, view->time_us, SONDE_CONNECTION_FAILED, view->seq,
                        g_strdup (self->drop_reason));
          self->failure_pending = TRUE;
        }
      break;

    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Data flowing means the connection is open, whatever came before. */
static void
on_traffic (SondeTimelineSummary *self,
            const SondeEntryView *view)
{
  SondeTimelineSegment *last;

  undo_failure (self);
  last = last_segment (self);
  if (last == NULL || last->state != SONDE_CONNECTION_OPEN)
    push_segment (self, view->time_us, SONDE_CONNECTION_OPEN, view->seq, NULL);

  if (view->kind == SONDE_ENTRY_TEXT && view->direction == SONDE_DIRECTION_OUT &&
      view->fields_len > 0 && sonde_entry_view_has_member (view, "purpose"))
    {
      g_autofree char *purpose = NULL;

      load_fields (self, view);
      purpose = field_string (self, "purpose");
      if (g_strcmp0 (purpose, "resume") == 0)
        {
          gsize len = 0;
          char *data = sonde_entry_view_dup_data (view, &len, NULL);

          add_note (self, view, SONDE_TIMELINE_NOTE_RESUME_MESSAGE,
                    data != NULL ? data : g_strdup (""));
        }
    }
}

/**
 * sonde_timeline_band_take:
 *
 * Moves the band and adds notes for one entry read whole, and says whether
 * the traffic that follows can be counted from its kind alone.
 */
void
sonde_timeline_band_take (SondeTimelineSummary *self,
                          const SondeEntryView *view)
{
  SondeTimelineSegment *last = last_segment (self);

  /* The band starts when the session does, for a log that starts with its
   * connection; a log that starts with traffic (an imported HAR) starts open. */
  if (last == NULL && lifecycle_kinds[view->kind])
    push_segment (self, MIN (0, view->time_us), SONDE_CONNECTION_CONNECTING, view->seq, NULL);

  end_wait (self, view->time_us);

  /* A request sent beside the stream says nothing about the stream. */
  if (lifecycle_kinds[view->kind])
    on_lifecycle (self, view);
  else if (view->direction != SONDE_DIRECTION_LOCAL && view->kind != SONDE_ENTRY_REQUEST)
    on_traffic (self, view);

  last = last_segment (self);
  self->steady = last != NULL && last->state == SONDE_CONNECTION_OPEN && !self->failure_pending;
}

/* Notes of entries that went leave; so do segments that ended before the
 * first entry kept. The one in effect then stays as it began (a wait's end
 * follows from its start), and so does the last, which later entries move. */
void
sonde_timeline_band_trim (SondeTimelineSummary *self,
                          guint64               first)
{
  SondeEntryView view;
  guint n_notes = 0;
  guint n_ended = 0;

  while (n_notes < self->notes->len &&
         g_array_index (self->notes, SondeTimelineNote, n_notes).seq < first)
    n_notes++;
  g_array_remove_range (self->notes, 0, n_notes);

  if (self->segments->len == 0)
    return;
  if (!sonde_event_log_get_view (self->log, first, &view))
    n_ended = self->segments->len - 1;
  else
    while (n_ended + 1 < self->segments->len &&
           g_array_index (self->segments, SondeTimelineSegment, n_ended + 1).start_us <=
             view.time_us)
      n_ended++;
  g_array_remove_range (self->segments, 0, n_ended);
}

/**
 * sonde_timeline_summary_get_segments:
 * @n_segments: (out): how many
 *
 * The connection band so far: each segment lasts until the next starts, the
 * last until now. A wait whose delay has passed with nothing logged since is
 * still the last segment: past its delay, it is connecting again.
 *
 * Returns: (transfer none) (array length=n_segments): the segments in time order
 */
const SondeTimelineSegment *
sonde_timeline_summary_get_segments (SondeTimelineSummary *self,
                                     guint                *n_segments)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), NULL);
  g_return_val_if_fail (n_segments != NULL, NULL);

  *n_segments = self->segments->len;
  return (const SondeTimelineSegment *)(gpointer)self->segments->data;
}

/**
 * sonde_timeline_summary_get_notes:
 * @n_notes: (out): how many
 *
 * Returns: (transfer none) (array length=n_notes): where recovery was decided, in time order
 */
const SondeTimelineNote *
sonde_timeline_summary_get_notes (SondeTimelineSummary *self,
                                  guint                *n_notes)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_SUMMARY (self), NULL);
  g_return_val_if_fail (n_notes != NULL, NULL);

  *n_notes = self->notes->len;
  return (const SondeTimelineNote *)(gpointer)self->notes->data;
}

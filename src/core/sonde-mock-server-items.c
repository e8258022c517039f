/* sonde-mock-server-items.c: a recording turned into what the mock server sends; resume points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-entry.h"
#include "sonde-json.h"
#include "sonde-mock-server-private.h"
#include "sonde-sse-parser.h"
#include "sonde-stamp.h"

void
sonde_mock_item_clear (gpointer data)
{
  SondeMockItem *item = data;

  g_free (item->id);
  g_clear_pointer (&item->sse, g_bytes_unref);
  g_clear_pointer (&item->ws, g_bytes_unref);
  g_clear_pointer (&item->payload, g_bytes_unref);
  g_free (item->event);
}

/* What every transport carries: events and messages, not SSE's comments and
 * retries nor WebSocket pings. */
gboolean
sonde_mock_item_is_message (const SondeMockItem *item)
{
  return item->kind == SONDE_MOCK_ITEM_EVENT || item->kind == SONDE_MOCK_ITEM_TEXT ||
         item->kind == SONDE_MOCK_ITEM_BINARY;
}

/**
 * sonde_mock_item_stamped:
 * @position: the item's place in the feed, counting across loops
 *
 * @sent_us: the send time the stamp gives
 *
 * Returns: (transfer full): the item's payload behind a latency stamp
 */
GBytes *
sonde_mock_item_stamped (const SondeMockItem *item,
                         guint64              position,
                         gint64               sent_us)
{
  gsize len = 0;
  const guint8 *data = item->payload != NULL ? g_bytes_get_data (item->payload, &len) : NULL;
  guint8 *out = g_malloc (SONDE_STAMP_LEN + len);

  sonde_stamp_format ((char *)out, (guint32)position, sent_us);
  if (len > 0)
    memcpy (out + SONDE_STAMP_LEN, data, len);
  return g_bytes_new_take (out, SONDE_STAMP_LEN + len);
}
/* `data: ` lines for a text, one per line of it, as SSE needs. */
void
sonde_mock_append_data_lines (GString    *block,
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
  SondeMockItem item = { 0 };
  guint index = self->items->len;

  item.time_us = view->time_us - first_us;

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      item.kind = SONDE_MOCK_ITEM_EVENT;
      data = sonde_entry_view_dup_data (view, &len, &type);
      /* The recorded id when the event set one; its sequence number otherwise. */
      if (view->id_len > 0 && block_sets_id (view->raw, view->raw_len))
        item.id = g_strndup (view->id, view->id_len);
      else
        item.id = g_strdup_printf ("%u", index);
      if (type != NULL && !g_str_equal (type, "message"))
        g_string_append_printf (block, "event: %s\n", type);
      g_string_append_printf (block, "id: %s\n", item.id);
      sonde_mock_append_data_lines (block, data, len);
      g_string_append_c (block, '\n');
      json = g_string_new ("{\"event\":");
      sonde_json_append_string (json, type != NULL ? type : "message", type != NULL ? strlen (type) : 7);
      g_string_append (json, ",\"id\":");
      sonde_json_append_string (json, item.id, strlen (item.id));
      g_string_append (json, ",\"data\":");
      sonde_json_append_string (json, data, len);
      g_string_append_c (json, '}');
      item.ws = g_bytes_new (json->str, json->len);
      item.payload = g_bytes_new (data, len);
      if (type != NULL && !g_str_equal (type, "message"))
        item.event = g_strdup (type);
      break;

    case SONDE_ENTRY_COMMENT:
      item.kind = SONDE_MOCK_ITEM_COMMENT;
      g_string_append_len (block, (const char *)view->raw, (gssize)view->raw_len);
      break;

    case SONDE_ENTRY_RETRY:
      {
        g_autofree char *object = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
        const char *ms = strstr (object, "\"ms\":");

        item.kind = SONDE_MOCK_ITEM_RETRY;
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
      item.kind = view->kind == SONDE_ENTRY_TEXT ? SONDE_MOCK_ITEM_TEXT : SONDE_MOCK_ITEM_BINARY;
      item.ws_binary = view->kind == SONDE_ENTRY_BINARY;
      data = sonde_entry_view_dup_data (view, &len, NULL);
      item.id = g_strdup_printf ("%u", index);
      item.ws = g_bytes_new (data, len);
      item.payload = g_bytes_ref (item.ws);
      if (item.ws_binary)
        {
          g_autofree char *encoded = g_base64_encode ((const guint8 *)data, len);

          g_string_append_printf (block, "event: binary\nid: %s\ndata: %s\n\n", item.id, encoded);
        }
      else
        {
          g_string_append_printf (block, "id: %s\n", item.id);
          sonde_mock_append_data_lines (block, data, len);
          g_string_append_c (block, '\n');
        }
      break;

    case SONDE_ENTRY_PING:
      if (view->direction != SONDE_DIRECTION_IN)
        return;
      item.kind = SONDE_MOCK_ITEM_PING;
      data = sonde_entry_view_dup_data (view, &len, NULL);
      item.ws = g_bytes_new (data, MIN (len, 125));
      break;

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      return;
    }

  if (block->len > 0)
    item.sse = g_bytes_new (block->str, block->len);
  g_array_append_val (self->items, item);
}

void
sonde_mock_items_build (SondeMockServer *self)
{
  guint64 n = sonde_event_log_get_n_entries (self->recording);
  gint64 first_us = -1;

  g_array_set_size (self->items, 0);
  /* A tab's capture may let go of its oldest entries, even meanwhile: the
   * items copy what they need before the read ends. */
  sonde_event_log_begin_read (self->recording);
  for (guint64 i = sonde_event_log_get_first_seq (self->recording); i < n; i++)
    {
      SondeEntryView view;

      if (!sonde_event_log_get_view (self->recording, i, &view))
        continue;
      if (first_us < 0 && (view.kind == SONDE_ENTRY_SSE || view.kind == SONDE_ENTRY_COMMENT ||
                           view.kind == SONDE_ENTRY_RETRY || view.kind == SONDE_ENTRY_TEXT ||
                           view.kind == SONDE_ENTRY_BINARY || view.kind == SONDE_ENTRY_PING))
        first_us = view.time_us;
      if (first_us >= 0)
        add_item (self, &view, first_us);
    }
  sonde_event_log_end_read (self->recording);

  self->n_messages = 0;
  for (guint i = 0; i < self->items->len; i++)
    {
      SondeMockItem *item = &g_array_index (self->items, SondeMockItem, i);

      item->message_index = self->n_messages;
      if (sonde_mock_item_is_message (item))
        self->n_messages++;
    }

  self->duration_us = self->items->len > 0
    ? g_array_index (self->items, SondeMockItem, self->items->len - 1).time_us + 1000
    : 0;
}
/**
 * sonde_mock_parse_position:
 * @text: "#N": the N-th message of the feed, as latency stamps count them
 *
 * Stamped clients (SSE's ids, WebSocket's resume value, a poll's cursor) name
 * places in the feed by position, which the recording's own ids cannot do
 * when it loops or has none.
 */
gboolean
sonde_mock_parse_position (const char *text,
                           guint64    *position)
{
  if (text == NULL || text[0] != '#')
    return FALSE;
  return g_ascii_string_to_unsigned (text + 1, 10, 0, G_MAXUINT32, position, NULL);
}

/* The item of the message at @position of a round, and where the next one starts. */
static guint
message_item (SondeMockServer *self,
              guint64          position)
{
  guint wanted = (guint)(position % self->n_messages);

  for (guint i = 0; i < self->items->len; i++)
    {
      const SondeMockItem *item = &g_array_index (self->items, SondeMockItem, i);

      if (sonde_mock_item_is_message (item) && item->message_index == wanted)
        return i;
    }
  return 0;
}

/**
 * sonde_mock_resume_at:
 * @loops: (out) (optional): the round the resume starts in
 *
 * Returns: the item a resume after @last_id starts at: right after the item
 *   whose id it names, or after the message at position #N
 */
guint
sonde_mock_resume_at (SondeMockServer *self,
                      const char      *last_id,
                      guint           *loops)
{
  guint64 position;

  if (loops != NULL)
    *loops = 0;
  if (last_id == NULL || last_id[0] == '\0')
    return 0;
  if (sonde_mock_parse_position (last_id, &position))
    {
      guint next;

      if (self->n_messages == 0)
        return 0;
      next = message_item (self, position) + 1;
      if (loops != NULL)
        *loops = (guint)(position / self->n_messages) + (next == self->items->len);
      return next % self->items->len;
    }
  return sonde_mock_resume_position (self, last_id);
}

/* Where a resume starts: right after the item whose id it names. */
guint
sonde_mock_resume_position (SondeMockServer *self,
                            const char      *last_id)
{
  if (last_id == NULL || last_id[0] == '\0')
    return 0;

  for (guint i = self->items->len; i > 0; i--)
    {
      const SondeMockItem *item = &g_array_index (self->items, SondeMockItem, i - 1);

      if (item->id != NULL && g_str_equal (item->id, last_id))
        return i;
    }

  return 0;
}

/**
 * sonde_mock_request_last_id:
 * @headers: (nullable): the request's headers (for /sse)
 * @query: (nullable): its query, decoded
 *
 * Returns: (nullable): what a client resumes after: its Last-Event-ID
 *   header, else the `last_id` of its query
 */
const char *
sonde_mock_request_last_id (SoupMessageHeaders *headers,
                            GHashTable         *query)
{
  const char *last_id = NULL;

  if (headers != NULL)
    last_id = soup_message_headers_get_one (headers, "Last-Event-ID");
  if (last_id == NULL && query != NULL)
    last_id = g_hash_table_lookup (query, "last_id");

  return last_id;
}

/**
 * sonde_mock_parse_resume_message:
 * @data: a text message a /ws client sent
 *
 * A resume message is `{"last_id": ID}`, ID a string or a whole number: the
 * client asks for what follows ID. It comes from the network, so it is read
 * with a depth limit.
 *
 * Returns: (transfer full) (nullable): the ID, or %NULL when @data is no
 *   resume message
 */
char *
sonde_mock_parse_resume_message (const char *data,
                                 gsize       len)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *member;

  if (data == NULL || len == 0 || len > G_MAXSSIZE)
    return NULL;
  root = sonde_json_parse (data, (gssize)len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  member = json_object_get_member (json_node_get_object (root), "last_id");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
    return NULL;

  /* json-glib lets a broken \u escape through as bytes that are not UTF-8. */
  if (json_node_get_value_type (member) == G_TYPE_STRING)
    return g_utf8_validate (json_node_get_string (member), -1, NULL)
      ? g_strdup (json_node_get_string (member)) : NULL;
  if (json_node_get_value_type (member) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
  return NULL;
}

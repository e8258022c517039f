/* sonde-poll-format.c: the long-polling answer of the mock server's /poll, written and read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-poll-format.h"

/**
 * sonde_poll_format_message:
 * @event: (nullable): an SSE event type other than "message"
 *
 * Appends one message of an answer.
 */
void
sonde_poll_format_message (GString      *json,
                           const char   *event,
                           gboolean      binary,
                           const guint8 *data,
                           gsize         len)
{
  g_string_append_c (json, '{');
  if (event != NULL)
    {
      sonde_json_append_member_string (json, "event", event);
      g_string_append_c (json, ',');
    }
  if (binary)
    {
      g_string_append (json, "\"binary\":true,\"data\":");
      sonde_json_append_base64 (json, data, len);
    }
  else
    {
      g_string_append (json, "\"data\":");
      sonde_json_append_string (json, (const char *)data, len);
    }
  g_string_append_c (json, '}');
}

static gboolean
bad_answer (GError     **error,
            const char  *why)
{
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_BAD_RESPONSE,
               /* Translators: %s says what was wrong, such as “a message has no data” */
               _("The long-polling answer is not what Sonde reads: %s"), why);
  return FALSE;
}

/**
 * sonde_poll_parse_answer:
 * @text: the body of a /poll answer, from the network
 * @func: called for each message with its payload (base64 decoded for binary)
 *   and the size of its JSON as Sonde writes it
 *
 * Returns: whether @text is an answer; %FALSE with @error saying what is wrong
 */
gboolean
sonde_poll_parse_answer (const char            *text,
                         gsize                  len,
                         guint64               *cursor,
                         gboolean              *end,
                         SondePollMessageFunc   func,
                         gpointer               user_data,
                         GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *messages;
  g_autoptr(GByteArray) decoded = g_byte_array_new ();

  if (len > G_MAXSSIZE)
    return bad_answer (error, _("it is too large"));
  root = sonde_json_parse (text, (gssize)len, &local_error);
  if (root == NULL)
    return bad_answer (error, local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return bad_answer (error, _("it is not a JSON object"));
  object = json_node_get_object (root);

  member = json_object_get_member (object, "cursor");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64 ||
      json_node_get_int (member) < 0)
    return bad_answer (error, _("it has no cursor that is a whole number"));
  *cursor = (guint64)json_node_get_int (member);

  member = json_object_get_member (object, "end");
  *end = member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
         json_node_get_value_type (member) == G_TYPE_BOOLEAN && json_node_get_boolean (member);

  member = json_object_get_member (object, "messages");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return bad_answer (error, _("it has no list of messages"));
  messages = json_node_get_array (member);

  /* Checked whole before any message is reported: an answer counts or not. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < json_array_get_length (messages); i++)
        {
          JsonNode *node = json_array_get_element (messages, i);
          JsonObject *message;
          JsonNode *data, *event, *binary;
          const char *event_text = NULL;
          const char *data_text;
          gboolean is_binary;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return bad_answer (error, _("a message is not a JSON object"));
          message = json_node_get_object (node);
          data = json_object_get_member (message, "data");
          event = json_object_get_member (message, "event");
          binary = json_object_get_member (message, "binary");
          if (data == NULL || json_node_get_value_type (data) != G_TYPE_STRING)
            return bad_answer (error, _("a message has no data"));
          if (event != NULL && json_node_get_value_type (event) != G_TYPE_STRING)
            return bad_answer (error, _("a message’s event is not a string"));
          if (binary != NULL && json_node_get_value_type (binary) != G_TYPE_BOOLEAN)
            return bad_answer (error, _("a message’s binary is not true or false"));
          data_text = json_node_get_string (data);
          is_binary = binary != NULL && json_node_get_boolean (binary);
          if (event != NULL)
            event_text = json_node_get_string (event);
          /* json-glib lets a broken \u escape through as bytes that are not UTF-8. */
          if (!g_utf8_validate (data_text, -1, NULL) ||
              (event_text != NULL && !g_utf8_validate (event_text, -1, NULL)))
            return bad_answer (error, _("a message is not UTF-8"));
          /* Sonde's own server pads its base64, so an answer must. */
          g_byte_array_set_size (decoded, 0);
          if (is_binary && (strlen (data_text) % 4 != 0 ||
                            !sonde_base64_decode_append (data_text, strlen (data_text), decoded)))
            return bad_answer (error, _("a binary message’s data is not base64"));

          if (pass == 1 && func != NULL)
            {
              g_autoptr(GString) encoded = g_string_new (NULL);
              /* An empty array may have no data at all. */
              const guint8 *payload = is_binary && decoded->len > 0 ? decoded->data
                                                                    : (const guint8 *)data_text;
              gsize payload_len = is_binary ? decoded->len : strlen (data_text);

              sonde_poll_format_message (encoded, event_text, is_binary, payload, payload_len);
              func (user_data, event_text, is_binary, payload, payload_len, encoded->len);
            }
        }
    }

  return TRUE;
}

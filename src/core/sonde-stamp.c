/* sonde-stamp.c: the latency stamp the mock server puts in front of each message it sends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-entry-fields.h"
#include "sonde-json.h"
#include "sonde-stamp.h"

static const char hex_digits[] = "0123456789abcdef";

static void
put_hex (char    *out,
         guint64  value,
         guint    digits)
{
  for (guint i = digits; i > 0; i--)
    {
      out[i - 1] = hex_digits[value & 0xf];
      value >>= 4;
    }
}

/**
 * sonde_stamp_format:
 * @out: room for %SONDE_STAMP_LEN bytes (no NUL is written)
 * @index: the message's position in the feed
 * @sent_us: g_get_monotonic_time() when it is sent
 */
void
sonde_stamp_format (char    out[SONDE_STAMP_LEN],
                    guint32 index,
                    gint64  sent_us)
{
  out[0] = '@';
  put_hex (out + 1, index, 8);
  put_hex (out + 9, (guint64)sent_us, 16);
  out[SONDE_STAMP_LEN - 1] = ';';
}

static gboolean
get_hex (const guint8 *data,
         guint         digits,
         guint64      *value)
{
  guint64 v = 0;

  for (guint i = 0; i < digits; i++)
    {
      int d = g_ascii_xdigit_value ((char)data[i]);

      /* Lower case only: one spelling for each stamp. */
      if (d < 0 || g_ascii_isupper (data[i]))
        return FALSE;
      v = (v << 4) | (guint64)d;
    }
  *value = v;
  return TRUE;
}

/**
 * sonde_stamp_parse:
 * @data: a payload as it arrived
 *
 * Returns: whether @data starts with a stamp; @index and @sent_us are set then
 */
gboolean
sonde_stamp_parse (const guint8 *data,
                   gsize         len,
                   guint32      *index,
                   gint64       *sent_us)
{
  guint64 i, t;

  if (data == NULL || len < SONDE_STAMP_LEN || data[0] != '@' || data[SONDE_STAMP_LEN - 1] != ';')
    return FALSE;
  if (!get_hex (data + 1, 8, &i) || !get_hex (data + 9, 16, &t) || t > G_MAXINT64)
    return FALSE;
  *index = (guint32)i;
  *sent_us = (gint64)t;
  return TRUE;
}

/* Binary data as SSE and polling carry it, or %NULL when it is no base64:
 * then the payload is the text that came, not bytes made up from part of it. */
static guint8 *
decode_base64 (const char *text,
               gsize      *len)
{
  gsize text_len = strlen (text);
  g_autofree guint8 *bytes = g_malloc (SONDE_BASE64_DECODED_MAX (text_len));

  if (!sonde_base64_decode (text, text_len, bytes, len))
    return NULL;
  return g_steal_pointer (&bytes);
}

static gboolean
is_poll_message (const SondeEntryView *view)
{
  const char *value;
  gsize value_len;

  return view->fields_len > 0 &&
         sonde_entry_fields_find_member (view->fields, view->fields_len, "transport",
                                         &value, &value_len) &&
         value_len == strlen ("\"poll\"") && memcmp (value, "\"poll\"", value_len) == 0;
}

/* A poll message's entry holds its JSON (see sonde-poll-client.c). */
static guint8 *
poll_payload (const SondeEntryView *view,
              gsize                *len,
              gboolean             *binary)
{
  g_autoptr(JsonNode) root = sonde_json_parse ((const char *)view->raw, (gssize)view->raw_len,
                                               NULL);
  JsonObject *object;
  const char *data;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  data = json_object_get_string_member_with_default (object, "data", NULL);
  if (data == NULL)
    return NULL;
  *binary = json_object_get_boolean_member_with_default (object, "binary", FALSE);
  if (*binary)
    {
      guint8 *decoded = decode_base64 (data, len);

      if (decoded != NULL)
        return decoded;
      *binary = FALSE;
    }
  *len = strlen (data);
  return (guint8 *)g_strdup (data);
}

/**
 * sonde_stamp_entry_payload:
 * @view: an incoming event or message, of any transport
 * @binary: (out): whether the payload was binary (SSE and polling carry
 *   binary as base64; SSE marks it with the event type `binary`; data so
 *   marked that is no base64 is the text it is)
 *
 * Returns: (transfer full) (nullable): the payload as the server sent it,
 *   before any base64; %NULL for entries that carry none
 */
guint8 *
sonde_stamp_entry_payload (const SondeEntryView *view,
                           gsize                *len,
                           gboolean             *binary)
{
  g_autofree char *type = NULL;
  char *data;

  g_return_val_if_fail (view != NULL && len != NULL && binary != NULL, NULL);

  *len = 0;
  *binary = FALSE;
  if (view->direction != SONDE_DIRECTION_IN)
    return NULL;

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      data = sonde_entry_view_dup_data (view, len, &type);
      if (data != NULL && g_strcmp0 (type, "binary") == 0)
        {
          gsize decoded_len;
          guint8 *decoded = decode_base64 (data, &decoded_len);

          if (decoded != NULL)
            {
              g_free (data);
              *len = decoded_len;
              *binary = TRUE;
              return decoded;
            }
        }
      return (guint8 *)data;

    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
      if (is_poll_message (view))
        return poll_payload (view, len, binary);
      *binary = view->kind == SONDE_ENTRY_BINARY;
      return (guint8 *)sonde_entry_view_dup_data (view, len, NULL);

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      return NULL;
    }
}

/**
 * sonde_stamp_entry_read:
 * @view: an entry of any kind
 *
 * Returns: whether @view is an incoming message whose payload starts with a
 *   stamp; @index and @sent_us are set then
 */
gboolean
sonde_stamp_entry_read (const SondeEntryView *view,
                        guint32              *index,
                        gint64               *sent_us)
{
  g_autofree guint8 *data = NULL;
  gsize len;
  gboolean binary;

  g_return_val_if_fail (view != NULL && index != NULL && sent_us != NULL, FALSE);

  data = sonde_stamp_entry_payload (view, &len, &binary);
  return data != NULL && sonde_stamp_parse (data, len, index, sent_us);
}

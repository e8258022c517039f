/* sonde-compose.c: what the compose bar checks and keeps: JSON with its error's place, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-bytes.h"
#include "sonde-compose.h"
#include "sonde-credentials.h"
#include "sonde-error.h"
#include "sonde-json.h"
#include "sonde-json-scanner.h"

/* The compose bar checks as the person types, so the check must say where
 * the text goes wrong in the terms of the text field (line and column, in
 * characters), and sending must not change what was typed beyond its
 * layout. json-glib would do neither: its errors name a line and a byte,
 * and printing its tree again rounds numbers past 2^53. So the check is
 * the recording reader's strict scanner, and the layout is redone on the
 * checked text, token by token, leaving every value as written. */

/**
 * sonde_compose_check_json:
 * @len: the length of @text in bytes
 * @error_offset: (out) (optional): where the text goes wrong, in bytes
 *
 * Checks that @text is one JSON value (RFC 8259), of any type.
 *
 * Returns: whether it is; if not, @error says at which line and column
 *   (from 1, in characters) and what was expected there
 */
gboolean
sonde_compose_check_json (const char  *text,
                          gsize        len,
                          gsize       *error_offset,
                          GError     **error)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  SondeJsonError scan_error = { 0 };
  const char *expected;
  guint line = 1;
  const char *line_start = text;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  /* The scanner wants an object; any other value that it read to the end
   * is JSON all the same. */
  if (sonde_json_scan_object (text != NULL ? text : "", len, members, &scan_error) ||
      scan_error.expected == SONDE_JSON_EXPECTED_OBJECT)
    return TRUE;

  for (gsize i = 0; i < scan_error.offset; i++)
    {
      if (text[i] == '\n')
        {
          line++;
          line_start = text + i + 1;
        }
    }

  if (scan_error.expected == SONDE_JSON_EXPECTED_END)
    expected = _("the end of the text");
  else if (scan_error.expected == SONDE_JSON_EXPECTED_QUOTE)
    expected = _("a closing quote");
  else
    expected = sonde_json_expected_describe (scan_error.expected);

  if (error_offset != NULL)
    *error_offset = scan_error.offset;
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
               /* Translators: a line and a column (from 1), then what JSON
                * needed there, such as “a value” or ““,” or “}”” */
               _("Not JSON: at line %u, column %ld, expected %s"), line,
               g_utf8_pointer_to_offset (line_start, text + scan_error.offset) + 1, expected);
  return FALSE;
}

static void
append_indent (GString *out,
               guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/**
 * sonde_compose_format_json:
 * @text: JSON that sonde_compose_check_json() accepted
 * @pretty: one member or element per line, indented by two spaces; else
 *   no white space at all outside strings
 *
 * Lays @text out again without touching its values.
 *
 * Returns: (transfer full): the text laid out
 */
char *
sonde_compose_format_json (const char *text,
                           gsize       len,
                           gboolean    pretty)
{
  GString *out = g_string_sized_new (len + len / 4);
  guint depth = 0;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          /* A whole string, escapes and all, as written. */
          gsize end = i + 1;

          while (end < len && text[end] != '"')
            end += text[end] == '\\' ? 2 : 1;
          end = MIN (end, len - 1);
          g_string_append_len (out, text + i, (gssize)(end - i + 1));
          i = end;
          continue;
        }
      if (is_json_space (c))
        continue;
      if (!pretty)
        {
          g_string_append_c (out, c);
          continue;
        }

      switch (c)
        {
        case '{':
        case '[':
          {
            gsize next = i + 1;

            while (next < len && is_json_space (text[next]))
              next++;
            g_string_append_c (out, c);
            /* An empty object or array stays on its line. */
            if (next < len && text[next] == (c == '{' ? '}' : ']'))
              {
                g_string_append_c (out, text[next]);
                i = next;
              }
            else
              append_indent (out, ++depth);
          }
          break;

        case '}':
        case ']':
          append_indent (out, depth > 0 ? --depth : 0);
          g_string_append_c (out, c);
          break;

        case ',':
          g_string_append_c (out, c);
          append_indent (out, depth);
          break;

        case ':':
          g_string_append (out, ": ");
          break;

        default:
          g_string_append_c (out, c);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * sonde_compose_encode:
 * @text: what the person typed
 * @pretty: for %SONDE_COMPOSE_JSON, lay it out with indents; else compact
 *
 * Turns what was typed into the message's bytes: text as it is, JSON
 * checked and laid out, hex or base64 decoded strictly.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error
 *   saying where the text is wrong
 */
GBytes *
sonde_compose_encode (SondeComposeMode   mode,
                      const char        *text,
                      gboolean           pretty,
                      GError           **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  switch (mode)
    {
    case SONDE_COMPOSE_TEXT:
      return g_bytes_new (text, strlen (text));

    case SONDE_COMPOSE_JSON:
      {
        gsize len = strlen (text);
        char *formatted;

        if (!sonde_compose_check_json (text, len, NULL, error))
          return NULL;
        formatted = sonde_compose_format_json (text, len, pretty);
        return g_bytes_new_take (formatted, strlen (formatted));
      }

    case SONDE_COMPOSE_HEX:
      return sonde_bytes_from_hex (text, error);

    case SONDE_COMPOSE_BASE64:
      return sonde_bytes_from_base64 (text, error);

    default:
      g_return_val_if_reached (NULL);
    }
}

static const char * const mode_names[] = {
  [SONDE_COMPOSE_TEXT] = "text",
  [SONDE_COMPOSE_JSON] = "json",
  [SONDE_COMPOSE_HEX] = "hex",
  [SONDE_COMPOSE_BASE64] = "base64",
};

const char *
sonde_compose_mode_to_string (SondeComposeMode mode)
{
  g_return_val_if_fail ((guint)mode < G_N_ELEMENTS (mode_names), NULL);

  return mode_names[mode];
}

gboolean
sonde_compose_mode_from_string (const char       *text,
                                SondeComposeMode *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    {
      if (g_strcmp0 (text, mode_names[i]) == 0)
        {
          *mode = (SondeComposeMode)i;
          return TRUE;
        }
    }
  return FALSE;
}

/* History */

/* A file (not GSettings): it grows with use, per URL, up to megabytes of
 * the person's own messages, which is data and not a preference; dconf
 * keeps every key in memory in every process that reads it and is meant
 * for small values. The file is JSON:
 *   {"version":1,"urls":[{"url":"ws://…","messages":[{"mode":"json","text":"…"},…]},…]}
 * URLs most recently used first, messages newest first. */

typedef struct
{
  SondeComposeMode  mode;
  char             *text;
} Message;

typedef struct
{
  char      *url;
  GPtrArray *messages;   /* of Message, newest first */
} UrlHistory;

struct _SondeComposeHistory
{
  char      *path;
  GPtrArray *urls;       /* of UrlHistory, most recently used first */
};

static void
message_free (gpointer data)
{
  Message *message = data;

  g_free (message->text);
  g_free (message);
}

static void
url_history_free (gpointer data)
{
  UrlHistory *history = data;

  g_free (history->url);
  g_ptr_array_unref (history->messages);
  g_free (history);
}

static UrlHistory *
url_history_new (const char *url)
{
  UrlHistory *history = g_new0 (UrlHistory, 1);

  history->url = g_strdup (url);
  history->messages = g_ptr_array_new_with_free_func (message_free);
  return history;
}

static void
load (SondeComposeHistory *self)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *urls;
  gsize len;

  if (!g_file_get_contents (self->path, &contents, &len, NULL))
    return;

  /* A file that is not ours, or broken: start afresh rather than refuse to
   * send. The next save replaces it. */
  root = sonde_json_parse (contents, (gssize)len, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      json_object_get_int_member_with_default (json_node_get_object (root), "version", 0) != 1)
    return;
  urls = json_object_get_array_member (json_node_get_object (root), "urls");
  if (urls == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (urls); i++)
    {
      JsonNode *node = json_array_get_element (urls, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *url;
      JsonArray *messages;
      UrlHistory *history;

      if (object == NULL)
        continue;
      url = json_object_get_string_member_with_default (object, "url", NULL);
      messages = json_object_has_member (object, "messages") &&
                 JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "messages"))
                 ? json_object_get_array_member (object, "messages") : NULL;
      if (url == NULL || messages == NULL)
        continue;

      history = url_history_new (url);
      for (guint j = 0; j < json_array_get_length (messages) &&
                        history->messages->len < SONDE_COMPOSE_HISTORY_PER_URL; j++)
        {
          JsonNode *item = json_array_get_element (messages, j);
          JsonObject *fields = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          const char *text;
          Message *message;
          SondeComposeMode mode;

          if (fields == NULL)
            continue;
          text = json_object_get_string_member_with_default (fields, "text", NULL);
          if (text == NULL ||
              !sonde_compose_mode_from_string (
                json_object_get_string_member_with_default (fields, "mode", NULL), &mode))
            continue;
          message = g_new0 (Message, 1);
          message->mode = mode;
          message->text = g_strdup (text);
          g_ptr_array_add (history->messages, message);
        }
      g_ptr_array_add (self->urls, history);
    }
}

/**
 * sonde_compose_history_new:
 * @path: the file, read now if it exists; written by
 *   sonde_compose_history_save()
 *
 * Returns: (transfer full): the history
 */
SondeComposeHistory *
sonde_compose_history_new (const char *path)
{
  SondeComposeHistory *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (SondeComposeHistory, 1);
  self->path = g_strdup (path);
  self->urls = g_ptr_array_new_with_free_func (url_history_free);
  load (self);

  return self;
}

void
sonde_compose_history_free (SondeComposeHistory *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_ptr_array_unref (self->urls);
  g_free (self);
}

const char *
sonde_compose_history_get_path (SondeComposeHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

/* The key: the URL without its user and password, which the file must not
 * keep. */
static UrlHistory *
find_url (SondeComposeHistory *self,
          const char          *url,
          guint               *index)
{
  g_autofree char *key = sonde_credentials_remove_from_url (url);

  for (guint i = 0; i < self->urls->len; i++)
    {
      UrlHistory *history = g_ptr_array_index (self->urls, i);

      if (g_str_equal (history->url, key))
        {
          if (index != NULL)
            *index = i;
          return history;
        }
    }
  return NULL;
}

/**
 * sonde_compose_history_add:
 *
 * Puts @text first in @url's history; the same message sent before moves
 * up rather than appearing twice. A message longer than
 * %SONDE_COMPOSE_HISTORY_MAX_TEXT bytes is not kept.
 */
void
sonde_compose_history_add (SondeComposeHistory *self,
                           const char          *url,
                           SondeComposeMode     mode,
                           const char          *text)
{
  UrlHistory *history;
  Message *message;
  guint index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (url != NULL && text != NULL);

  if (text[0] == '\0' || strlen (text) > SONDE_COMPOSE_HISTORY_MAX_TEXT)
    return;

  history = find_url (self, url, &index);
  if (history == NULL)
    {
      g_autofree char *key = sonde_credentials_remove_from_url (url);

      history = url_history_new (key);
      g_ptr_array_insert (self->urls, 0, history);
    }
  else if (index > 0)
    {
      g_ptr_array_steal_index (self->urls, index);
      g_ptr_array_insert (self->urls, 0, history);
    }

  for (guint i = 0; i < history->messages->len; i++)
    {
      Message *old = g_ptr_array_index (history->messages, i);

      if (old->mode == mode && g_str_equal (old->text, text))
        {
          g_ptr_array_remove_index (history->messages, i);
          break;
        }
    }

  message = g_new0 (Message, 1);
  message->mode = mode;
  message->text = g_strdup (text);
  g_ptr_array_insert (history->messages, 0, message);
  if (history->messages->len > SONDE_COMPOSE_HISTORY_PER_URL)
    g_ptr_array_set_size (history->messages, SONDE_COMPOSE_HISTORY_PER_URL);
}

guint
sonde_compose_history_get_n (SondeComposeHistory *self,
                             const char          *url)
{
  UrlHistory *history;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (url != NULL, 0);

  history = find_url (self, url, NULL);
  return history != NULL ? history->messages->len : 0;
}

/**
 * sonde_compose_history_get:
 * @index: 0 for the newest message
 * @mode: (out) (optional): how it was typed
 *
 * Returns: (nullable): the message, or %NULL past the oldest
 */
const char *
sonde_compose_history_get (SondeComposeHistory *self,
                           const char          *url,
                           guint                index,
                           SondeComposeMode    *mode)
{
  UrlHistory *history;
  Message *message;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  history = find_url (self, url, NULL);
  if (history == NULL || index >= history->messages->len)
    return NULL;

  message = g_ptr_array_index (history->messages, index);
  if (mode != NULL)
    *mode = message->mode;
  return message->text;
}

static char *
serialize (SondeComposeHistory *self,
           guint                n_urls)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "urls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_urls; i++)
    {
      UrlHistory *history = g_ptr_array_index (self->urls, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, history->url);
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint j = 0; j < history->messages->len; j++)
        {
          Message *message = g_ptr_array_index (history->messages, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "mode");
          json_builder_add_string_value (builder, sonde_compose_mode_to_string (message->mode));
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, message->text);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * sonde_compose_history_save:
 *
 * Writes the history to its file (readable by its owner only), leaving out
 * the URLs used longest ago when it would be larger than
 * %SONDE_COMPOSE_HISTORY_MAX_FILE.
 *
 * Returns: whether it was written
 */
gboolean
sonde_compose_history_save (SondeComposeHistory  *self,
                            GError              **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  guint n_urls;

  g_return_val_if_fail (self != NULL, FALSE);

  n_urls = self->urls->len;
  data = serialize (self, n_urls);
  while (strlen (data) > SONDE_COMPOSE_HISTORY_MAX_FILE && n_urls > 1)
    {
      g_free (data);
      g_ptr_array_set_size (self->urls, --n_urls);
      data = serialize (self, n_urls);
    }

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  return g_file_set_contents_full (self->path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/* sonde-har.c: HAR files to Sonde recordings and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-entry.h"
#include "sonde-har.h"
#include "sonde-json.h"
#include "sonde-json-scanner.h"
#include "sonde-ws-dissector.h"
#include "sonde-ws-frame.h"

/* How much of a file the sniffer reads at most to find its first line. */
#define SNIFF_LIMIT (1024 * 1024)

/* GDateTime ends with the year 9999; times past it are no times. */
#define MAX_EPOCH_SECONDS G_GINT64_CONSTANT (253402300799)

/* The event log holds entries of less than 4 GiB. */
#define MAX_MESSAGE_SIZE ((gsize)G_MAXUINT32 - 64 * 1024)

/* In the HAR this file writes, message objects sit this deep: root, log,
 * entries, the entry, the message list. */
#define MESSAGE_DEPTH 5

G_DEFINE_QUARK (sonde-har-error-quark, sonde_har_error)

struct _SondeHar
{
  JsonParser *parser;
  JsonArray  *entries;      /* log.entries */
  GArray     *candidates;   /* SondeHarCandidate */
};

/* ------------------------------------------------------------------ */
/* Telling a recording from a HAR file                                 */

static gboolean
line_is_blank (const char *line,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        return FALSE;
    }
  return TRUE;
}

/* Whether @line is a recording header, as far as the reader cares to tell
 * one from anything else: an object with "format":"sonde-recording". What is
 * wrong with the rest of it the reader says better. */
static gboolean
line_is_header (const char *line,
                gsize       len)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  g_autoptr(GString) value = g_string_new (NULL);

  if (!sonde_json_scan_object (line, len, members, NULL))
    return FALSE;

  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);

      if (!sonde_json_member_name_is (member, "format") || member->type != SONDE_JSON_STRING)
        continue;
      g_string_truncate (value, 0);
      sonde_json_decode_string (member->value, member->value_len, value);
      if (g_str_equal (value->str, "sonde-recording"))
        return TRUE;
    }
  return FALSE;
}

/**
 * sonde_har_sniff_recording:
 * @path: a file that is a recording or a HAR file, or neither
 * @is_recording: (out): whether its first line is a recording header
 *
 * Tells the two formats apart by what a file holds, not by its name: a
 * recording starts with its header line (after a byte order mark and blank
 * lines, which the reader lets through too).
 *
 * Returns: %FALSE with @error set when @path cannot be read
 */
gboolean
sonde_har_sniff_recording (const char  *path,
                           gboolean    *is_recording,
                           GError     **error)
{
  g_autofree char *buffer = NULL;
  gsize len = 0;
  gboolean eof = FALSE;
  gsize start = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (is_recording != NULL, FALSE);

  *is_recording = FALSE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a file name, then the system's reason */
                   _("Cannot read “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  buffer = g_malloc (SNIFF_LIMIT);
  for (;;)
    {
      const char *newline;
      gssize n;

      newline = memchr (buffer + start, '\n', len - start);
      if (newline != NULL || eof || len == SNIFF_LIMIT)
        {
          gsize line_len = newline != NULL ? (gsize)(newline - buffer) - start : len - start;
          const char *line = buffer + start;

          if (start == 0 && line_len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
            {
              line += 3;
              line_len -= 3;
            }
          if (newline != NULL && line_is_blank (line, line_len))
            {
              start += (gsize)(newline - (buffer + start)) + 1;
              continue;
            }
          *is_recording = line_is_header (line, line_len);
          break;
        }

      do
        n = read (fd, buffer + len, SNIFF_LIMIT - len);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          int saved_errno = errno;
          g_autofree char *display = g_filename_display_name (path);

          g_close (fd, NULL);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read “%s”: %s"), display, g_strerror (saved_errno));
          return FALSE;
        }
      eof = n == 0;
      len += (gsize)n;
    }

  g_close (fd, NULL);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reading a HAR file                                                  */

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Returns: (nullable): a string member, %NULL when it is missing or no string */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
int_member (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

/* A number of milliseconds, or -1 when it is missing or not a number. */
static double
ms_member (JsonObject *object,
           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return -1;
  return json_node_get_double (node);
}

/* HAR times are seconds since 1970 as a JSON number, which json-glib reads
 * into a double: within a quarter of a microsecond for any time of this
 * century. The whole seconds and the fraction are taken apart first (the
 * fraction exactly, as both lie within a factor of two of each other), and
 * only the fraction is scaled and rounded to the nearest microsecond, so
 * that 1700000000.123 becomes ...123000 µs and not ...122999. */
static gboolean
seconds_to_us (JsonNode *node,
               gint64   *us)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 seconds = json_node_get_int (node);

      if (seconds < 0 || seconds > MAX_EPOCH_SECONDS)
        return FALSE;
      *us = seconds * G_USEC_PER_SEC;
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double seconds = json_node_get_double (node);
      gint64 whole;
      gint64 fraction;

      /* Also false for NaN. */
      if (!(seconds >= 0 && seconds <= (double)MAX_EPOCH_SECONDS))
        return FALSE;
      whole = (gint64)seconds;
      fraction = (gint64)((seconds - (double)whole) * G_USEC_PER_SEC + 0.5);
      *us = whole * G_USEC_PER_SEC + fraction;
      return TRUE;
    }

  return FALSE;
}

static void
set_not_json_error (GError     **error,
                    const GError *parse_error)
{
  const char *message = parse_error->message;
  guint line;
  guint column;
  int consumed = 0;

  /* json-glib says "<data>:LINE:COLUMN: what"; people want the words. */
  if (sscanf (message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NOT_HAR,
                 /* Translators: a line and a column, then the JSON parser's own words */
                 _("Neither a Sonde recording nor a HAR file: invalid JSON at line %u, "
                   "column %u (%s)"),
                 line, column, message + consumed);
  else
    g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NOT_HAR,
                 /* Translators: %s is the JSON parser's own words */
                 _("Neither a Sonde recording nor a HAR file: invalid JSON (%s)"), message);
}

static gboolean
find_candidates (SondeHar  *self,
                 GError   **error)
{
  guint n = json_array_get_length (self->entries);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (self->entries, i);
      SondeHarCandidate candidate = { 0, };
      JsonObject *entry;
      JsonNode *messages;
      const char *url;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_INVALID,
                       /* Translators: %u is the number of an entry in the HAR file, from 0 */
                       _("Entry %u of the HAR file is not an object"), i);
          return FALSE;
        }
      entry = json_node_get_object (node);

      name = "_webSocketMessages";
      candidate.transport = SONDE_TRANSPORT_WEBSOCKET;
      messages = json_object_get_member (entry, name);
      if (messages == NULL || JSON_NODE_HOLDS_NULL (messages))
        {
          name = "_eventSourceMessages";
          candidate.transport = SONDE_TRANSPORT_SSE;
          messages = json_object_get_member (entry, name);
        }
      if (messages == NULL || JSON_NODE_HOLDS_NULL (messages))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (messages))
        {
          g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_INVALID,
                       /* Translators: %u is the number of an entry, from 0; %s a member name */
                       _("Entry %u: “%s” is not a list"), i, name);
          return FALSE;
        }

      url = string_member (object_member (entry, "request"), "url");
      candidate.index = i;
      candidate.url = url != NULL ? url : "";
      candidate.n_messages = json_array_get_length (json_node_get_array (messages));
      g_array_append_val (self->candidates, candidate);
    }

  return TRUE;
}

/**
 * sonde_har_new_for_data:
 * @data: the text of a HAR file
 * @len: its length, or -1 when it ends in NUL
 *
 * Parses a HAR file and finds its entries that carry WebSocket messages
 * (`_webSocketMessages`, as browsers export them) or EventSource messages
 * (`_eventSourceMessages`, as Sonde exports them).
 *
 * Returns: (transfer full) (nullable): the file, or %NULL with @error set
 *   in %SONDE_HAR_ERROR
 */
SondeHar *
sonde_har_new_for_data (const char  *data,
                        gssize       len,
                        GError     **error)
{
  g_autoptr(SondeHar) self = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonObject *log;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (SondeHar, 1);
  self->parser = json_parser_new ();
  self->candidates = g_array_new (FALSE, FALSE, sizeof (SondeHarCandidate));

  if (!json_parser_load_from_data (self->parser, data != NULL ? data : "", len, &parse_error))
    {
      set_not_json_error (error, parse_error);
      return NULL;
    }

  root = json_parser_get_root (self->parser);
  if (root == NULL)
    {
      g_set_error_literal (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NOT_HAR,
                           _("Neither a Sonde recording nor a HAR file: the file is empty"));
      return NULL;
    }
  log = JSON_NODE_HOLDS_OBJECT (root) ? object_member (json_node_get_object (root), "log") : NULL;
  if (log == NULL)
    {
      g_set_error_literal (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NOT_HAR,
                           _("Neither a Sonde recording nor a HAR file: the JSON has no “log” "
                             "object at its top level"));
      return NULL;
    }

  self->entries = array_member (log, "entries");
  if (self->entries == NULL)
    {
      g_set_error_literal (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_INVALID,
                           _("The HAR file has no “entries” list in its “log”"));
      return NULL;
    }

  if (!find_candidates (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sonde_har_new_for_path:
 *
 * Reads and parses the HAR file at @path; see sonde_har_new_for_data().
 *
 * Returns: (transfer full) (nullable): the file, or %NULL with @error set:
 *   %G_IO_ERROR when it cannot be read, %SONDE_HAR_ERROR when it is no HAR
 */
SondeHar *
sonde_har_new_for_path (const char  *path,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   _("Cannot read “%s”: %s"), display, local_error->message);
      return NULL;
    }

  return sonde_har_new_for_data (contents, (gssize)len, error);
}

void
sonde_har_free (SondeHar *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->parser);
  g_array_unref (self->candidates);
  g_free (self);
}

/**
 * sonde_har_get_n_entries:
 *
 * Returns: how many entries log.entries holds, of any kind
 */
guint
sonde_har_get_n_entries (SondeHar *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return json_array_get_length (self->entries);
}

/**
 * sonde_har_get_candidates:
 * @n_candidates: (out): how many there are
 *
 * Returns: (array length=n_candidates) (transfer none): the entries that
 *   carry a list of WebSocket or EventSource messages, in file order
 */
const SondeHarCandidate *
sonde_har_get_candidates (SondeHar *self,
                          guint    *n_candidates)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_candidates != NULL, NULL);

  *n_candidates = self->candidates->len;
  return (const SondeHarCandidate *)(gpointer)self->candidates->data;
}

static const SondeHarCandidate *
find_candidate (SondeHar *self,
                guint     index)
{
  for (guint i = 0; i < self->candidates->len; i++)
    {
      const SondeHarCandidate *candidate = &g_array_index (self->candidates, SondeHarCandidate, i);

      if (candidate->index == index)
        return candidate;
    }
  return NULL;
}

/**
 * sonde_har_select:
 * @entry: an index into log.entries, from 0; or -1
 * @url_part: (nullable): text the entry's request URL contains
 * @index: (out): the entry to import
 *
 * Picks the entry to import. With @entry, that entry, if it carries
 * messages. With @url_part, the one entry with a list of messages whose URL
 * contains it. With neither, the one entry that has messages. At most one of
 * @entry and @url_part may be given.
 *
 * Returns: whether one entry was found; otherwise @error says why:
 *   %SONDE_HAR_ERROR_NO_MESSAGES (no entry has messages),
 *   %SONDE_HAR_ERROR_CHOOSE (several could be meant) or
 *   %SONDE_HAR_ERROR_NO_SUCH_ENTRY (none is what was asked for)
 */
gboolean
sonde_har_select (SondeHar    *self,
                  gint64       entry,
                  const char  *url_part,
                  guint       *index,
                  GError     **error)
{
  const SondeHarCandidate *found = NULL;
  guint n_found = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (entry < 0 || url_part == NULL, FALSE);
  g_return_val_if_fail (index != NULL, FALSE);

  if (entry >= 0)
    {
      guint n_entries = json_array_get_length (self->entries);

      if (entry >= n_entries)
        {
          g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NO_SUCH_ENTRY,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "There is no entry %lld: the HAR file has %u entry, "
                                    "numbered from 0",
                                    "There is no entry %lld: the HAR file has %u entries, "
                                    "numbered from 0",
                                    n_entries),
                       (long long)entry, n_entries);
          return FALSE;
        }
      found = find_candidate (self, (guint)entry);
      if (found == NULL)
        {
          JsonObject *object = json_array_get_object_element (self->entries, (guint)entry);
          const char *url = string_member (object_member (object, "request"), "url");

          g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NO_SUCH_ENTRY,
                       /* Translators: the number of an entry, from 0, then its URL */
                       _("Entry %u (%s) carries no WebSocket or EventSource messages"),
                       (guint)entry, url != NULL ? url : "");
          return FALSE;
        }
      *index = found->index;
      return TRUE;
    }

  for (guint i = 0; i < self->candidates->len; i++)
    {
      const SondeHarCandidate *candidate = &g_array_index (self->candidates, SondeHarCandidate, i);

      if (url_part != NULL ? strstr (candidate->url, url_part) == NULL : candidate->n_messages == 0)
        continue;
      if (found == NULL)
        found = candidate;
      n_found++;
    }

  if (n_found == 1)
    {
      *index = found->index;
      return TRUE;
    }

  if (url_part != NULL && n_found == 0)
    g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NO_SUCH_ENTRY,
                 _("No WebSocket or SSE entry has a URL that contains “%s”"),
                 url_part);
  else if (url_part != NULL)
    g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_CHOOSE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u WebSocket or SSE entry has a URL that contains “%s”",
                              "%u WebSocket or SSE entries have a URL that contains “%s”",
                              n_found),
                 n_found, url_part);
  else if (n_found == 0)
    g_set_error_literal (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NO_MESSAGES,
                         _("No entry of the HAR file carries WebSocket or EventSource messages "
                           "(“_webSocketMessages” or “_eventSourceMessages”)"));
  else
    g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_CHOOSE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u entry of the HAR file carries messages",
                              "%u entries of the HAR file carry messages",
                              n_found),
                 n_found);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Importing an entry                                                  */

/* HTTP headers as HAR lists them, {name, value} pairs, gathered as a
 * recording keeps them: one member per name, case aside, values joined
 * with ", " as HTTP allows. */
typedef struct
{
  GPtrArray  *names;     /* as first spelt */
  GPtrArray  *values;    /* GString */
  GHashTable *index;     /* folded name -> position + 1 */
} Headers;

static void
headers_clear (Headers *headers)
{
  g_ptr_array_unref (headers->names);
  g_ptr_array_unref (headers->values);
  g_hash_table_unref (headers->index);
}

static void
free_gstring (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
headers_init (Headers    *headers,
              JsonObject *message)
{
  JsonArray *list = array_member (message, "headers");
  guint n = list != NULL ? json_array_get_length (list) : 0;

  headers->names = g_ptr_array_new_with_free_func (g_free);
  headers->values = g_ptr_array_new_with_free_func (free_gstring);
  headers->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *header = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = string_member (header, "name");
      const char *value = string_member (header, "value");
      char *folded;
      guint position;

      if (name == NULL)
        continue;
      if (value == NULL)
        value = "";

      folded = g_ascii_strdown (name, -1);
      position = GPOINTER_TO_UINT (g_hash_table_lookup (headers->index, folded));
      if (position > 0)
        {
          GString *joined = g_ptr_array_index (headers->values, position - 1);

          g_string_append (joined, ", ");
          g_string_append (joined, value);
          g_free (folded);
          continue;
        }
      g_ptr_array_add (headers->names, g_strdup (name));
      g_ptr_array_add (headers->values, g_string_new (value));
      g_hash_table_insert (headers->index, folded, GUINT_TO_POINTER (headers->names->len));
    }
}

static const char *
headers_lookup (Headers    *headers,
                const char *name)
{
  g_autofree char *folded = g_ascii_strdown (name, -1);
  guint position = GPOINTER_TO_UINT (g_hash_table_lookup (headers->index, folded));

  if (position == 0)
    return NULL;
  return ((GString *)g_ptr_array_index (headers->values, position - 1))->str;
}

static void
headers_append_json (Headers *headers,
                     GString *out)
{
  g_string_append_c (out, '{');
  for (guint i = 0; i < headers->names->len; i++)
    {
      const char *name = g_ptr_array_index (headers->names, i);
      GString *value = g_ptr_array_index (headers->values, i);

      if (i > 0)
        g_string_append_c (out, ',');
      sonde_json_append_string (out, name, strlen (name));
      g_string_append_c (out, ':');
      sonde_json_append_string (out, value->str, value->len);
    }
  g_string_append_c (out, '}');
}

/* One message of the entry, checked, before it goes to the log. */
typedef struct
{
  gint64          time_us;      /* since 1970 */
  SondeDirection  direction;
  guint           opcode;       /* WebSocket */
  const char     *data;
  const char     *event;        /* SSE */
  const char     *id;
} Message;

static gboolean
message_error (GError     **error,
               guint        entry,
               guint        message,
               int          code,
               const char  *what)
{
  g_set_error (error, SONDE_HAR_ERROR, code,
               /* Translators: the numbers of an entry and a message, from 0, then what is
                * wrong with the message, such as “opcode 2 needs base64 data” */
               _("Entry %u, message %u: %s"), entry, message, what);
  return FALSE;
}

static gboolean
read_websocket_message (JsonNode    *node,
                        guint        entry,
                        guint        number,
                        Message     *message,
                        GError     **error)
{
  JsonObject *object;
  const char *type;
  gint64 opcode;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("expected an object with “type”, “time”, “opcode” and “data”"));
  object = json_node_get_object (node);

  type = string_member (object, "type");
  if (type == NULL)
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("it has no “type”; expected “send” or “receive”"));
  if (g_str_equal (type, "send"))
    message->direction = SONDE_DIRECTION_OUT;
  else if (g_str_equal (type, "receive"))
    message->direction = SONDE_DIRECTION_IN;
  else
    {
      g_autofree char *what = g_strdup_printf (_("unknown type “%s”; expected “send” or “receive”"),
                                               type);

      return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID, what);
    }

  if (!seconds_to_us (json_object_get_member (object, "time"), &message->time_us))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("“time” must be seconds since 1970, such as 1700000000.123"));

  if (!int_member (object, "opcode", &opcode))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("it has no whole-number “opcode”; expected 1 (text), 2 (binary), "
                            "8 (close), 9 (ping) or 10 (pong)"));
  if (opcode != SONDE_WS_OPCODE_TEXT && opcode != SONDE_WS_OPCODE_BINARY &&
      opcode != SONDE_WS_OPCODE_CLOSE && opcode != SONDE_WS_OPCODE_PING &&
      opcode != SONDE_WS_OPCODE_PONG)
    {
      g_autofree char *what = g_strdup_printf (_("unknown opcode %lld; expected 1 (text), "
                                                 "2 (binary), 8 (close), 9 (ping) or 10 (pong)"),
                                               (long long)opcode);

      return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID, what);
    }
  message->opcode = (guint)opcode;

  message->data = string_member (object, "data");
  if (message->data == NULL)
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("“data” must be a string"));

  return TRUE;
}

static gboolean
read_event_source_message (JsonNode    *node,
                           guint        entry,
                           guint        number,
                           Message     *message,
                           GError     **error)
{
  JsonObject *object;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("expected an object with “time”, “eventName”, “eventId” and “data”"));
  object = json_node_get_object (node);
  message->direction = SONDE_DIRECTION_IN;

  if (!seconds_to_us (json_object_get_member (object, "time"), &message->time_us))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("“time” must be seconds since 1970, such as 1700000000.123"));

  /* A missing or null name is the default type, a missing id none. */
  member = json_object_get_member (object, "eventName");
  message->event = string_member (object, "eventName");
  if (message->event == NULL && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("“eventName” must be a string"));
  member = json_object_get_member (object, "eventId");
  message->id = string_member (object, "eventId");
  if (message->id == NULL && member != NULL && !JSON_NODE_HOLDS_NULL (member))
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("“eventId” must be a string"));
  if (message->event == NULL || message->event[0] == '\0')
    message->event = "message";
  if (message->id == NULL)
    message->id = "";

  message->data = string_member (object, "data");
  if (message->data == NULL)
    return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID,
                          _("“data” must be a string"));

  return TRUE;
}

static gboolean
has_line_break (const char *text)
{
  return strpbrk (text, "\r\n") != NULL;
}

/* The block a server sends for this event: what an SSE parser reads back
 * as the same type, data and last event ID. */
static void
append_sse_block (GString       *block,
                  const Message *message,
                  const char    *last_id)
{
  const char *data = message->data;

  /* An empty "id" field resets the last event ID; a line break cannot be
   * sent in one, so such an id lives only in the entry's id. */
  if (message->id[0] != '\0' && !has_line_break (message->id))
    g_string_append_printf (block, "id: %s\n", message->id);
  else if (message->id[0] == '\0' && last_id[0] != '\0')
    g_string_append (block, "id\n");

  if (!g_str_equal (message->event, "message"))
    {
      gsize n = strcspn (message->event, "\r\n");

      if (n > 0)
        {
          g_string_append (block, "event: ");
          g_string_append_len (block, message->event, (gssize)n);
          g_string_append_c (block, '\n');
        }
    }

  /* One data line per line of the data, whatever ends them. */
  for (;;)
    {
      gsize n = strcspn (data, "\r\n");

      g_string_append (block, "data: ");
      g_string_append_len (block, data, (gssize)n);
      g_string_append_c (block, '\n');
      if (data[n] == '\0')
        break;
      if (data[n] == '\r' && data[n + 1] == '\n')
        n++;
      data += n + 1;
    }
  g_string_append_c (block, '\n');
}

/* The payload of a WebSocket message, its frame and fields. */
static gboolean
build_websocket_entry (const Message  *message,
                       guint           entry,
                       guint           number,
                       GRand          *rand,
                       GByteArray     *frame,
                       GString        *fields,
                       SondeEntryKind *kind,
                       GError        **error)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  guint8 mask[4];
  gsize len = strlen (message->data);

  if (message->opcode == SONDE_WS_OPCODE_TEXT)
    g_byte_array_append (payload, (const guint8 *)message->data, (guint)MIN (len, G_MAXUINT));
  else if (!sonde_base64_decode_append (message->data, len, payload))
    {
      g_autofree char *what = g_strdup_printf (_("opcode %u needs base64 data"), message->opcode);

      return message_error (error, entry, number, SONDE_HAR_ERROR_INVALID, what);
    }

  if (payload->len > MAX_MESSAGE_SIZE || len > MAX_MESSAGE_SIZE)
    {
      g_autofree char *size = g_format_size (MAX (len, payload->len));
      g_autofree char *what = g_strdup_printf (_("at %s, the message is larger than Sonde holds"),
                                               size);

      return message_error (error, entry, number, SONDE_HAR_ERROR_TOO_LARGE, what);
    }

  switch (message->opcode)
    {
    case SONDE_WS_OPCODE_TEXT:
      *kind = SONDE_ENTRY_TEXT;
      break;
    case SONDE_WS_OPCODE_BINARY:
      *kind = SONDE_ENTRY_BINARY;
      break;
    case SONDE_WS_OPCODE_PING:
      *kind = SONDE_ENTRY_PING;
      break;
    case SONDE_WS_OPCODE_PONG:
      *kind = SONDE_ENTRY_PONG;
      break;
    case SONDE_WS_OPCODE_CLOSE:
      *kind = SONDE_ENTRY_CLOSE;
      /* As the WebSocket client logs a close frame that has a code. */
      if (payload->len >= 2)
        {
          g_autofree char *reason = g_utf8_make_valid ((const char *)payload->data + 2,
                                                       (gssize)payload->len - 2);

          sonde_json_append_member_int (fields, "code", payload->data[0] << 8 | payload->data[1]);
          sonde_json_append_member_string (fields, "reason", reason);
        }
      break;
    default:
      g_assert_not_reached ();
    }

  /* Clients mask every frame, servers none (RFC 6455, 5.1). The keys come
   * from a generator with a fixed seed, so that converting the same HAR
   * twice gives the same recording. */
  if (message->direction == SONDE_DIRECTION_OUT)
    {
      guint32 key = g_rand_int (rand);

      memcpy (mask, &key, sizeof mask);
    }
  sonde_ws_frame_append_full (frame, SONDE_WS_FIN | (guint8)message->opcode,
                              payload->data, payload->len,
                              message->direction == SONDE_DIRECTION_OUT ? mask : NULL, 0);
  return TRUE;
}

static gint64
date_time_to_us (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static gint64
floor_ms (gint64 us)
{
  gint64 rest = us % 1000;

  return rest < 0 ? us - rest - 1000 : us - rest;
}

/* When the connection opened, after the request started: the phases before
 * the response, as HAR times them (ssl is part of connect). */
static gint64
open_delay_us (JsonObject *entry)
{
  static const char * const phases[] = { "blocked", "dns", "connect", "send", "wait" };
  JsonObject *timings = object_member (entry, "timings");
  double ms = 0;

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      double phase = ms_member (timings, phases[i]);

      if (phase > 0)
        ms += phase;
    }
  if (!(ms < 1e12))
    return 0;
  return (gint64)(ms * 1000 + 0.5);
}

static void
append_open_fields (GString        *fields,
                    JsonObject     *entry,
                    SondeTransport  transport)
{
  JsonObject *request = object_member (entry, "request");
  JsonObject *response = object_member (entry, "response");
  const char *url = string_member (request, "url");
  const char *reason = string_member (response, "statusText");
  Headers response_headers;
  Headers request_headers;
  gint64 status;

  if (!int_member (response, "status", &status) || status < 0 || status > 999)
    status = transport == SONDE_TRANSPORT_WEBSOCKET ? 101 : 200;

  headers_init (&response_headers, response);
  headers_init (&request_headers, request);

  sonde_json_append_member_int (fields, "status", status);
  sonde_json_append_member_string (fields, "reason", reason != NULL ? reason : "");
  sonde_json_append_member_string (fields, "url", url != NULL ? url : "");
  g_string_append (fields, ",\"headers\":");
  headers_append_json (&response_headers, fields);
  g_string_append (fields, ",\"request_headers\":");
  headers_append_json (&request_headers, fields);
  if (transport == SONDE_TRANSPORT_WEBSOCKET)
    {
      const char *subprotocol = headers_lookup (&response_headers, "Sec-WebSocket-Protocol");
      const char *extensions = headers_lookup (&response_headers, "Sec-WebSocket-Extensions");

      sonde_json_append_member_string (fields, "subprotocol",
                                       subprotocol != NULL ? subprotocol : "");
      sonde_json_append_member_string (fields, "extensions", extensions != NULL ? extensions : "");
    }

  headers_clear (&response_headers);
  headers_clear (&request_headers);
}

/**
 * sonde_har_import:
 * @index: an entry that carries messages (see sonde_har_select())
 *
 * Turns the entry into a session: an `open` entry with the status and both
 * lists of headers, then one entry per message. WebSocket messages get the
 * frame they would have come in, masked when the client sent them.
 *
 * The session starts at the entry's startedDateTime, or at its first
 * message when that is missing or later; either is taken down to the whole
 * millisecond, as a recording's header keeps no more. Every message's time
 * is then exact to the microsecond the HAR gave.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with @error
 *   set; errors about a message name the entry and the message, from 0
 */
SondeHarSession *
sonde_har_import (SondeHar  *self,
                  guint      index,
                  GError   **error)
{
  g_autoptr(SondeHarSession) session = NULL;
  g_autoptr(GArray) messages = NULL;
  g_autoptr(GByteArray) raw = NULL;
  g_autoptr(GString) fields = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GRand) rand = NULL;
  const SondeHarCandidate *candidate;
  JsonObject *entry;
  JsonArray *list;
  const char *url;
  const char *started_text;
  gint64 first_us = G_MAXINT64;
  gint64 start_us;
  gint64 open_us;
  const char *last_id = "";

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  candidate = find_candidate (self, index);
  if (candidate == NULL)
    {
      g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_NO_SUCH_ENTRY,
                   _("Entry %u carries no WebSocket or EventSource messages"), index);
      return NULL;
    }
  entry = json_array_get_object_element (self->entries, index);
  list = array_member (entry, candidate->transport == SONDE_TRANSPORT_WEBSOCKET
                              ? "_webSocketMessages" : "_eventSourceMessages");

  url = string_member (object_member (entry, "request"), "url");
  if (url == NULL)
    {
      g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_INVALID,
                   _("Entry %u has no “url” in its “request”"), index);
      return NULL;
    }

  /* The messages first: the session starts no later than the first one. */
  messages = g_array_sized_new (FALSE, TRUE, sizeof (Message), candidate->n_messages);
  for (guint i = 0; i < candidate->n_messages; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      Message message = { 0, };
      gboolean ok;

      if (candidate->transport == SONDE_TRANSPORT_WEBSOCKET)
        ok = read_websocket_message (node, index, i, &message, error);
      else
        ok = read_event_source_message (node, index, i, &message, error);
      if (!ok)
        return NULL;
      first_us = MIN (first_us, message.time_us);
      g_array_append_val (messages, message);
    }

  started_text = string_member (entry, "startedDateTime");
  if (started_text != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      started = g_date_time_new_from_iso8601 (started_text, utc);
    }
  if (started != NULL && date_time_to_us (started) <= first_us)
    {
      gint64 started_us = date_time_to_us (started);

      start_us = floor_ms (started_us);
      open_us = started_us - start_us + open_delay_us (entry);
    }
  else if (messages->len > 0)
    {
      start_us = floor_ms (first_us);
      open_us = 0;
    }
  else
    {
      g_set_error (error, SONDE_HAR_ERROR, SONDE_HAR_ERROR_INVALID,
                   _("Entry %u has neither messages nor a valid “startedDateTime”"), index);
      return NULL;
    }
  /* The connection was open by the time anything went over it. */
  if (messages->len > 0)
    open_us = MIN (open_us, first_us - start_us);

  session = g_new0 (SondeHarSession, 1);
  session->transport = candidate->transport;
  session->url = g_strdup (url);
  {
    g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

    session->started_at = g_date_time_add (epoch, start_us);
  }
  session->log = sonde_event_log_new ();

  fields = g_string_new (NULL);
  append_open_fields (fields, entry, candidate->transport);
  sonde_event_log_append (session->log, open_us, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          fields->str, fields->len, NULL, 0);

  raw = g_byte_array_new ();
  rand = g_rand_new_with_seed (0x50de);
  for (guint i = 0; i < messages->len; i++)
    {
      const Message *message = &g_array_index (messages, Message, i);
      gint64 t = message->time_us - start_us;

      g_byte_array_set_size (raw, 0);
      g_string_truncate (fields, 0);

      if (candidate->transport == SONDE_TRANSPORT_WEBSOCKET)
        {
          SondeEntryKind kind;

          if (!build_websocket_entry (message, index, i, rand, raw, fields, &kind, error))
            return NULL;
          sonde_event_log_append (session->log, t, message->direction, kind, NULL, 0,
                                  fields->str, fields->len, raw->data, raw->len);
        }
      else
        {
          g_autoptr(GString) block = g_string_new (NULL);
          gsize id_len = strlen (message->id);

          append_sse_block (block, message, last_id);
          if (block->len > MAX_MESSAGE_SIZE)
            {
              g_autofree char *size = g_format_size (block->len);
              g_autofree char *what = g_strdup_printf (_("at %s, the message is larger than "
                                                         "Sonde holds"), size);

              message_error (error, index, i, SONDE_HAR_ERROR_TOO_LARGE, what);
              return NULL;
            }
          sonde_event_log_append (session->log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                                  message->id, id_len, NULL, 0,
                                  (const guint8 *)block->str, block->len);
          last_id = message->id;
        }
    }

  return g_steal_pointer (&session);
}

/**
 * sonde_har_session_write:
 * @writer: where the recording goes
 *
 * Writes @session as a recording: the header, then every entry.
 *
 * Returns: whether everything was written (the caller still closes @writer)
 */
gboolean
sonde_har_session_write (SondeHarSession       *session,
                         SondeRecordingWriter  *writer,
                         GError               **error)
{
  guint64 n;

  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (writer != NULL, FALSE);

  sonde_recording_writer_write_header (writer, session->transport, session->url,
                                       session->started_at);
  n = sonde_event_log_get_n_entries (session->log);
  for (guint64 i = 0; i < n; i++)
    {
      SondeEntryView view;

      if (!sonde_event_log_get_view (session->log, i, &view))
        g_assert_not_reached ();
      sonde_recording_writer_write_entry (writer, &view);
    }

  return sonde_recording_writer_flush (writer, error);
}

void
sonde_har_session_free (SondeHarSession *session)
{
  if (session == NULL)
    return;

  g_free (session->url);
  g_clear_pointer (&session->started_at, g_date_time_unref);
  g_clear_object (&session->log);
  g_free (session);
}

/* ------------------------------------------------------------------ */
/* Exporting a recording                                               */

/* JSON written by hand, indented as browsers write HAR files, so that
 * times come out as the exact decimals they are: a double printed by a
 * JSON library would show 1700000000.1234560013. */
typedef struct
{
  GString  *out;
  guint     depth;
  gboolean  first;    /* nothing in the innermost object or list yet */
} Writer;

static void
writer_newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->out, "  ");
}

static void
writer_key (Writer     *w,
            const char *name)
{
  if (!w->first)
    g_string_append_c (w->out, ',');
  w->first = FALSE;
  /* The top-level value starts the text. */
  if (w->depth > 0)
    writer_newline (w);
  if (name != NULL)
    {
      sonde_json_append_string (w->out, name, strlen (name));
      g_string_append (w->out, ": ");
    }
}

static void
writer_open (Writer     *w,
             const char *name,
             char        bracket)
{
  writer_key (w, name);
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->first = TRUE;
}

static void
writer_close (Writer *w,
              char    bracket)
{
  gboolean empty = w->first;

  w->depth--;
  if (!empty)
    writer_newline (w);
  g_string_append_c (w->out, bracket);
  w->first = FALSE;
}

static void
writer_string (Writer     *w,
               const char *name,
               const char *value)
{
  writer_key (w, name);
  sonde_json_append_string (w->out, value, strlen (value));
}

static void
writer_int (Writer     *w,
            const char *name,
            gint64      value)
{
  writer_key (w, name);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
}

/* @value / 10^@decimals, written exactly. */
static void
writer_fixed (Writer     *w,
              const char *name,
              gint64      value,
              guint       decimals)
{
  gint64 scale = 1;
  guint64 magnitude;

  for (guint i = 0; i < decimals; i++)
    scale *= 10;
  writer_key (w, name);
  if (value < 0)
    g_string_append_c (w->out, '-');
  magnitude = value < 0 ? -(guint64)value : (guint64)value;
  g_string_append_printf (w->out, "%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          magnitude / (guint64)scale, (int)decimals, magnitude % (guint64)scale);
}

/* A recording's headers object as a HAR list of {name, value}. */
static void
writer_headers (Writer     *w,
                JsonObject *headers)
{
  /* In the order the recording has them, which iterators do not keep. */
  g_autoptr(GList) names = headers != NULL ? json_object_get_members (headers) : NULL;

  writer_open (w, "headers", '[');
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = string_member (headers, l->data);

      if (value == NULL)
        continue;
      writer_open (w, NULL, '{');
      writer_string (w, "name", l->data);
      writer_string (w, "value", value);
      writer_close (w, '}');
    }
  writer_close (w, ']');
}

static void
writer_query_string (Writer     *w,
                     const char *url)
{
  g_autofree char *query = NULL;

  writer_open (w, "queryString", '[');
  if (g_uri_split (url, G_URI_FLAGS_ENCODED, NULL, NULL, NULL, NULL, NULL, &query, NULL, NULL) &&
      query != NULL)
    {
      GUriParamsIter iter;
      char *name;
      char *value;

      g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_NONE);
      while (g_uri_params_iter_next (&iter, &name, &value, NULL))
        {
          g_autofree char *valid_name = g_utf8_make_valid (name, -1);
          g_autofree char *valid_value = g_utf8_make_valid (value, -1);

          writer_open (w, NULL, '{');
          writer_string (w, "name", valid_name);
          writer_string (w, "value", valid_value);
          writer_close (w, '}');
          g_free (name);
          g_free (value);
        }
    }
  writer_close (w, ']');
}

static const char *
lookup_header (JsonObject *headers,
               const char *wanted)
{
  g_autoptr(GList) names = headers != NULL ? json_object_get_members (headers) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      if (g_ascii_strcasecmp (l->data, wanted) == 0 && string_member (headers, l->data) != NULL)
        return string_member (headers, l->data);
    }
  return NULL;
}

/* Appends one entry as a message of the HAR entry; other kinds have no
 * place there. */
static void
append_message (Writer               *w,
                SondeTransport        transport,
                gint64                start_us,
                const SondeEntryView *view)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  guint opcode;

  if (transport == SONDE_TRANSPORT_SSE)
    {
      g_autofree char *type = NULL;
      g_autofree char *valid = NULL;
      g_autofree char *id = NULL;

      if (view->kind != SONDE_ENTRY_SSE)
        return;
      data = sonde_entry_view_dup_data (view, &len, &type);
      valid = g_utf8_make_valid (data != NULL ? data : "", (gssize)len);
      id = g_utf8_make_valid (view->id, (gssize)view->id_len);

      writer_open (w, NULL, '{');
      writer_fixed (w, "time", start_us + view->time_us, 6);
      writer_string (w, "eventName", type != NULL ? type : "message");
      writer_string (w, "eventId", id);
      writer_string (w, "data", valid);
      writer_close (w, '}');
      return;
    }

  switch (view->kind)
    {
    case SONDE_ENTRY_TEXT:
      opcode = SONDE_WS_OPCODE_TEXT;
      break;
    case SONDE_ENTRY_BINARY:
      opcode = SONDE_WS_OPCODE_BINARY;
      break;
    case SONDE_ENTRY_PING:
      opcode = SONDE_WS_OPCODE_PING;
      break;
    case SONDE_ENTRY_PONG:
      opcode = SONDE_WS_OPCODE_PONG;
      break;
    case SONDE_ENTRY_CLOSE:
      opcode = SONDE_WS_OPCODE_CLOSE;
      break;
    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_N_KINDS:
    default:
      return;
    }
  if (view->direction == SONDE_DIRECTION_LOCAL)
    return;

  /* A close frame's payload is its code and reason, which no view derives. */
  if (view->kind == SONDE_ENTRY_CLOSE)
    data = (char *)sonde_ws_frames_get_payload (view->raw, view->raw_len, &len);
  else
    data = sonde_entry_view_dup_data (view, &len, NULL);

  writer_open (w, NULL, '{');
  writer_string (w, "type", view->direction == SONDE_DIRECTION_OUT ? "send" : "receive");
  writer_fixed (w, "time", start_us + view->time_us, 6);
  writer_int (w, "opcode", opcode);
  writer_key (w, "data");
  if (opcode == SONDE_WS_OPCODE_TEXT)
    {
      g_autofree char *valid = g_utf8_make_valid (data != NULL ? data : "", (gssize)len);

      sonde_json_append_string (w->out, valid, strlen (valid));
    }
  else
    sonde_json_append_base64 (w->out, (const guint8 *)data, data != NULL ? len : 0);
  writer_close (w, '}');
}

static void
free_parser (gpointer data)
{
  g_object_unref (data);
}

/**
 * sonde_har_export:
 * @reader: a recording, standing before its first entry
 * @len: (out) (optional): the length of the text
 *
 * Reads the rest of @reader and writes it as a HAR 1.2 log with one entry:
 * the request and response of the first `open` entry, and the messages as
 * browsers export them: `_webSocketMessages` ({type, time, opcode, data},
 * base64 data for every opcode but text) for a WebSocket session,
 * `_eventSourceMessages` ({time, eventName, eventId, data}) for an SSE one.
 * Times are seconds since 1970 with six decimals, exact to the microsecond
 * the recording kept. Entries of other kinds (comments, retry, reconnects)
 * have no place in a HAR entry and are left out.
 *
 * Returns: (transfer full) (nullable): the HAR text, or %NULL with @error
 *   set when the recording cannot be read to its end
 */
char *
sonde_har_export (SondeRecordingReader  *reader,
                  gsize                 *len,
                  GError               **error)
{
  const SondeRecordingHeader *header;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *stamp = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (free_parser);
  Writer m = { messages, MESSAGE_DEPTH, TRUE };
  Writer w = { out, 0, TRUE };
  JsonObject *open = NULL;
  gint64 open_us = 0;
  gint64 last_us = 0;
  gint64 start_us;
  gint64 status = 0;
  const char *reason = "";
  const char *mime_type;
  SondeEntryView view;
  GError *local_error = NULL;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  header = sonde_recording_reader_get_header (reader);
  start_us = date_time_to_us (header->started_at);

  while (sonde_recording_reader_next (reader, &view, &local_error))
    {
      last_us = MAX (last_us, view.time_us);
      if (view.kind == SONDE_ENTRY_OPEN && open == NULL)
        {
          g_autofree char *text = g_strdup_printf ("{%.*s}", (int)view.fields_len, view.fields);
          JsonParser *parser = json_parser_new ();
          JsonNode *root;

          g_ptr_array_add (keep, parser);
          if (json_parser_load_from_data (parser, text, -1, NULL) &&
              (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
            {
              open = json_node_get_object (root);
              open_us = MAX (view.time_us, 0);
            }
          continue;
        }
      append_message (&m, header->transport, start_us, &view);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (open != NULL)
    {
      const char *text = string_member (open, "reason");

      if (!int_member (open, "status", &status))
        status = 0;
      reason = text != NULL ? text : "";
    }
  mime_type = lookup_header (object_member (open, "headers"), "Content-Type");
  if (mime_type == NULL)
    mime_type = header->transport == SONDE_TRANSPORT_SSE ? "text/event-stream" : "x-unknown";

  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (header->started_at);
    g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

    stamp = g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
  }

  writer_open (&w, NULL, '{');
  writer_open (&w, "log", '{');
  writer_string (&w, "version", "1.2");
  writer_open (&w, "creator", '{');
  writer_string (&w, "name", "Sonde");
  writer_string (&w, "version", PACKAGE_VERSION);
  writer_close (&w, '}');
  writer_open (&w, "entries", '[');
  writer_open (&w, NULL, '{');
  writer_string (&w, "startedDateTime", stamp);
  /* Timings: waiting for the response until the open entry, then the
   * session itself as the time the response took to receive. */
  writer_fixed (&w, "time", last_us > open_us ? last_us : open_us, 3);

  writer_open (&w, "request", '{');
  writer_string (&w, "method", "GET");
  writer_string (&w, "url", header->url);
  writer_string (&w, "httpVersion", "HTTP/1.1");
  writer_open (&w, "cookies", '[');
  writer_close (&w, ']');
  writer_headers (&w, object_member (open, "request_headers"));
  writer_query_string (&w, header->url);
  writer_int (&w, "headersSize", -1);
  writer_int (&w, "bodySize", 0);
  writer_close (&w, '}');

  writer_open (&w, "response", '{');
  writer_int (&w, "status", status);
  writer_string (&w, "statusText", reason);
  writer_string (&w, "httpVersion", "HTTP/1.1");
  writer_open (&w, "cookies", '[');
  writer_close (&w, ']');
  writer_headers (&w, object_member (open, "headers"));
  writer_open (&w, "content", '{');
  writer_int (&w, "size", 0);
  writer_string (&w, "mimeType", mime_type);
  writer_close (&w, '}');
  writer_string (&w, "redirectURL", "");
  writer_int (&w, "headersSize", -1);
  writer_int (&w, "bodySize", -1);
  writer_close (&w, '}');

  writer_open (&w, "cache", '{');
  writer_close (&w, '}');
  writer_open (&w, "timings", '{');
  writer_int (&w, "blocked", -1);
  writer_int (&w, "dns", -1);
  writer_int (&w, "connect", -1);
  writer_int (&w, "ssl", -1);
  writer_fixed (&w, "send", 0, 3);
  writer_fixed (&w, "wait", open_us, 3);
  writer_fixed (&w, "receive", last_us > open_us ? last_us - open_us : 0, 3);
  writer_close (&w, '}');

  writer_string (&w, "_resourceType",
                 header->transport == SONDE_TRANSPORT_SSE ? "eventsource" : "websocket");
  writer_open (&w, header->transport == SONDE_TRANSPORT_SSE ? "_eventSourceMessages"
                                                            : "_webSocketMessages", '[');
  g_assert (w.depth == MESSAGE_DEPTH);
  g_string_append_len (out, messages->str, (gssize)messages->len);
  w.first = m.first;
  writer_close (&w, ']');

  writer_close (&w, '}');
  writer_close (&w, ']');
  writer_close (&w, '}');
  writer_close (&w, '}');
  g_string_append_c (out, '\n');

  if (len != NULL)
    *len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

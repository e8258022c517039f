/* sonde-har.c: HAR files to Sonde recordings and back: telling the two apart, reading a HAR file
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

#include "sonde-bytes.h"
#include "sonde-har-private.h"
#include "sonde-json.h"
#include "sonde-json-scanner.h"

/* The parts: this file sniffs and reads, sonde-har-import.c turns an entry
 * into a session, sonde-har-export.c writes a recording as HAR. */

/* How much of a file the sniffer reads at most to find its first line. */
#define SNIFF_LIMIT (1024 * 1024)

/* ------------------------------------------------------------------ */
/* Telling a recording from a HAR file                                 */

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

/* Tells from the first @len bytes of a file (all of it when @eof) whether
 * it is a recording. Returns FALSE when more bytes are needed to tell. */
static gboolean
sniff (const char *buffer,
       gsize       len,
       gboolean    eof,
       gboolean   *is_recording)
{
  gsize start = 0;

  for (;;)
    {
      const char *newline = len > start ? memchr (buffer + start, '\n', len - start) : NULL;
      gsize line_len = newline != NULL ? (gsize)(newline - buffer) - start : len - start;
      const char *line = buffer + start;

      if (newline == NULL && !eof && len < SNIFF_LIMIT)
        return FALSE;

      if (start == 0 && line_len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          line_len -= 3;
        }
      if (newline != NULL && sonde_bytes_is_blank (line, line_len))
        {
          start += (gsize)(newline - (buffer + start)) + 1;
          continue;
        }
      *is_recording = line_is_header (line, line_len);
      return TRUE;
    }
}

/**
 * sonde_har_data_is_recording:
 * @data: the start of a file, or all of it
 *
 * Tells the two formats apart by what a file holds, not by its name: a
 * recording starts with its header line (after a byte order mark and blank
 * lines, which the reader lets through too).
 *
 * Returns: whether @data starts with a recording header
 */
gboolean
sonde_har_data_is_recording (const char *data,
                             gsize       len)
{
  gboolean is_recording = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  sniff (data != NULL ? data : "", MIN (len, SNIFF_LIMIT), TRUE, &is_recording);
  return is_recording;
}

static void
set_read_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: %s is a file name, then the system's reason */
               _("Cannot read “%s”: %s"), display, g_strerror (saved_errno));
}

/**
 * sonde_har_sniff_recording:
 * @path: a file that is a recording or a HAR file, or neither
 * @is_recording: (out): whether its first line is a recording header
 *
 * Reads the start of @path and tells, as sonde_har_data_is_recording() does.
 * The file is opened again by whoever reads it next, so @path must be a
 * regular file: read a pipe once, whole, and ask sonde_har_data_is_recording().
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
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (is_recording != NULL, FALSE);

  *is_recording = FALSE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_read_error (error, path, errno);
      return FALSE;
    }

  buffer = g_malloc (SNIFF_LIMIT);
  while (!sniff (buffer, len, eof, is_recording))
    {
      gssize n;

      do
        n = read (fd, buffer + len, SNIFF_LIMIT - len);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          int saved_errno = errno;

          g_close (fd, NULL);
          set_read_error (error, path, saved_errno);
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

JsonObject *
sonde_har_object_member (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
sonde_har_array_member (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Returns: (nullable): a string member, %NULL when it is missing or no string */
const char *
sonde_har_string_member (JsonObject *object,
                         const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
sonde_har_int_member (JsonObject *object,
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

static void
set_not_json_error (GError       **error,
                    const GError  *parse_error)
{
  const char *message = parse_error->message;
  guint line;
  guint column;
  int consumed = 0;

  /* Nested too deep: sonde_json_parse() says how deep, and where. */
  if (parse_error->domain == SONDE_ERROR)
    {
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR,
                   /* Translators: %s says why, such as “The JSON nests arrays and objects more
                    * than 1000 deep (at byte 1001)” */
                   _("Not a HAR file that Sonde can read: %s"), message);
      return;
    }

  /* json-glib says "<data>:LINE:COLUMN: what"; people want the words. */
  if (sscanf (message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR,
                 /* Translators: a line and a column, then the JSON parser's own words */
                 _("Neither a Sonde recording nor a HAR file: invalid JSON at line %u, "
                   "column %u (%s)"),
                 line, column, message + consumed);
  else
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR,
                 /* Translators: %s is the JSON parser's own words */
                 _("Neither a Sonde recording nor a HAR file: invalid JSON (%s)"), message);
}

/* Whether the integer literal @digits (without its sign) is beyond a gint64. */
static gboolean
integer_is_too_large (const char *digits,
                      gsize       n_digits,
                      gboolean    negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  while (n_digits > 1 && digits[0] == '0')
    {
      digits++;
      n_digits--;
    }
  if (n_digits != 19)
    return n_digits > 19;
  return memcmp (digits, limit, 19) > 0;
}

/* Skips the string that starts at @data[*i], its quote; FALSE when one of
 * its \u escapes is no character: json-glib reads "\uZZZZ" as "ZZZZ", and a
 * broken escape or half a surrogate pair as bytes that are not UTF-8. */
static gboolean
skip_string (const char *data,
             gsize       len,
             gsize      *i)
{
  const char *end = data + len;

  for ((*i)++; *i < len && data[*i] != '"'; (*i)++)
    {
      gunichar c;
      gsize taken;

      if (data[*i] != '\\')
        continue;
      if (*i + 1 >= len || data[*i + 1] != 'u')
        {
          (*i)++;
          continue;
        }
      taken = sonde_json_read_u_escape (data + *i, end, &c);
      if (taken == 0 || !g_unichar_validate (c))
        return FALSE;
      /* To the escape's last digit; the loop steps past it. */
      *i += taken - 1;
    }
  (*i)++;
  return TRUE;
}

static void
set_escape_error (GError     **error,
                  const char  *data,
                  gsize        at)
{
  guint line = 1;
  gsize line_start = 0;

  for (gsize i = 0; i < at; i++)
    {
      if (data[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
    }
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR,
               /* Translators: a line and a column; \u is JSON's escape for a character */
               _("Neither a Sonde recording nor a HAR file: invalid JSON at line %u, column %u "
                 "(a \\u escape that is no character)"),
               line, (guint)(at - line_start) + 1);
}

/* What json-glib would read wrongly, read first, in one pass:
 *
 * - json-glib reads an integer beyond a gint64 as a wrong one (-1, or 1 with
 *   a minus sign), and a message could then pass for a text. Such integers
 *   get ".0", so that they arrive as the large numbers they are, and the
 *   members that want a whole number say so. The text is copied into
 *   @widened only when there is one.
 * - A \u escape that is no character is refused.
 */
static gboolean
prepare_text (const char  *data,
              gsize        len,
              GString    **widened,
              GError     **error)
{
  GString *out = NULL;
  gsize copied = 0;
  gsize i = 0;

  while (i < len)
    {
      gboolean negative;
      gsize start;

      if (data[i] == '"')
        {
          start = i;
          if (!skip_string (data, len, &i))
            {
              if (out != NULL)
                g_string_free (out, TRUE);
              set_escape_error (error, data, start);
              return FALSE;
            }
          continue;
        }
      if (data[i] != '-' && !g_ascii_isdigit (data[i]))
        {
          i++;
          continue;
        }

      negative = data[i] == '-';
      if (negative)
        i++;
      start = i;
      while (i < len && g_ascii_isdigit (data[i]))
        i++;
      if (i < len && (data[i] == '.' || data[i] == 'e' || data[i] == 'E'))
        {
          /* A number json-glib reads as a double already: skip the rest of it. */
          while (i < len && (g_ascii_isdigit (data[i]) || data[i] == '.' || data[i] == 'e' ||
                             data[i] == 'E' || data[i] == '+' || data[i] == '-'))
            i++;
          continue;
        }
      if (i == start || !integer_is_too_large (data + start, i - start, negative))
        continue;

      if (out == NULL)
        out = g_string_sized_new (len + 16);
      g_string_append_len (out, data + copied, (gssize)(i - copied));
      g_string_append (out, ".0");
      copied = i;
    }

  if (out != NULL)
    g_string_append_len (out, data + copied, (gssize)(len - copied));
  *widened = out;
  return TRUE;
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
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_INVALID,
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
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_INVALID,
                       /* Translators: %u is the number of an entry, from 0; %s a member name */
                       _("Entry %u: “%s” is not a list"), i, name);
          return FALSE;
        }

      url = sonde_har_string_member (sonde_har_object_member (entry, "request"), "url");
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
 *   in %SONDE_ERROR
 */
SondeHar *
sonde_har_new_for_data (const char  *data,
                        gssize       len,
                        GError     **error)
{
  g_autoptr(SondeHar) self = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GString) widened = NULL;
  JsonObject *log;
  gsize length;

  g_return_val_if_fail (data != NULL || len <= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  length = len < 0 ? strlen (data) : (gsize)len;

  self = g_new0 (SondeHar, 1);
  self->candidates = g_array_new (FALSE, FALSE, sizeof (SondeHarCandidate));

  if (sonde_bytes_is_blank (data, length))
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR,
                           _("Neither a Sonde recording nor a HAR file: the file is empty"));
      return NULL;
    }

  /* With a depth limit: browsers nest a HAR a few levels deep, and a file
   * that nests deeper must not overflow the stack. */
  if (!prepare_text (data, length, &widened, error))
    return NULL;
  if (widened != NULL)
    {
      data = widened->str;
      length = widened->len;
    }
  self->root = sonde_json_parse (data, (gssize)length, &parse_error);
  if (self->root == NULL)
    {
      set_not_json_error (error, parse_error);
      return NULL;
    }

  log = JSON_NODE_HOLDS_OBJECT (self->root)
    ? sonde_har_object_member (json_node_get_object (self->root), "log") : NULL;
  if (log == NULL)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_NOT_HAR,
                           _("Neither a Sonde recording nor a HAR file: the JSON has no “log” "
                             "object at its top level"));
      return NULL;
    }

  self->entries = sonde_har_array_member (log, "entries");
  if (self->entries == NULL)
    {
      g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_HAR_INVALID,
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
 *   %G_IO_ERROR when it cannot be read, %SONDE_ERROR when it is no HAR
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

  g_clear_pointer (&self->root, json_node_unref);
  g_array_unref (self->candidates);
  g_free (self);
}

/* Headers whose values are someone's credentials (as Chrome's HAR export
 * leaves them out). */
gboolean
sonde_har_header_is_credential (const char *name)
{
  static const char * const names[] = {
    "Cookie", "Set-Cookie", "Authorization", "Proxy-Authorization",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (name, names[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/* @url with the user and password of its authority replaced by the marker,
 * percent-encoded so that the URL stays one. Done on the text, so that a URL
 * GUri would refuse loses its credentials too. */
char *
sonde_har_url_without_credentials (const char *url)
{
  const char *authority = strstr (url, "://");
  const char *end;
  const char *at = NULL;
  g_autofree char *marker = NULL;

  if (authority == NULL)
    return g_strdup (url);
  authority += 3;
  end = authority + strcspn (authority, "/?#");
  for (const char *p = authority; p < end; p++)
    {
      if (*p == '@')
        at = p;
    }
  if (at == NULL)
    return g_strdup (url);

  marker = g_uri_escape_string (SONDE_CREDENTIALS_REMOVED, NULL, FALSE);
  return g_strdup_printf ("%.*s%s%s", (int)(authority - url), url, marker, at);
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

const SondeHarCandidate *
sonde_har_find_candidate (SondeHar *self,
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
 *   %SONDE_ERROR_HAR_NO_MESSAGES (no entry has messages),
 *   %SONDE_ERROR_HAR_CHOOSE (several could be meant) or
 *   %SONDE_ERROR_HAR_NO_SUCH_ENTRY (none is what was asked for)
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
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_SUCH_ENTRY,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "There is no entry %lld: the HAR file has %u entry, "
                                    "numbered from 0",
                                    "There is no entry %lld: the HAR file has %u entries, "
                                    "numbered from 0",
                                    n_entries),
                       (long long)entry, n_entries);
          return FALSE;
        }
      found = sonde_har_find_candidate (self, (guint)entry);
      if (found == NULL)
        {
          JsonObject *object = json_array_get_object_element (self->entries, (guint)entry);
          JsonObject *request = sonde_har_object_member (object, "request");
          const char *url = sonde_har_string_member (request, "url");

          g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_SUCH_ENTRY,
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
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_SUCH_ENTRY,
                 _("No WebSocket or SSE entry has a URL that contains “%s”"),
                 url_part);
  else if (url_part != NULL)
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_CHOOSE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u WebSocket or SSE entry has a URL that contains “%s”",
                              "%u WebSocket or SSE entries have a URL that contains “%s”",
                              n_found),
                 n_found, url_part);
  else if (n_found == 0)
    g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_HAR_NO_MESSAGES,
                         _("No entry of the HAR file carries WebSocket or EventSource messages "
                           "(“_webSocketMessages” or “_eventSourceMessages”)"));
  else
    g_set_error (error, SONDE_ERROR, SONDE_ERROR_HAR_CHOOSE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%u entry of the HAR file carries messages",
                              "%u entries of the HAR file carry messages",
                              n_found),
                 n_found);
  return FALSE;
}


/* sonde-command.c: shell commands that open the same stream again with curl or websocat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-command.h"
#include "sonde-entry-fields.h"
#include "sonde-json-scanner.h"

/* Headers the tool writes itself, or that would break what it does: a
 * second Host, a stale WebSocket key, an extension websocat cannot speak,
 * a compressed body curl would print as it came. */
static const char * const curl_skipped[] = {
  "Host", "Connection", "Content-Length", "Accept-Encoding", "Keep-Alive", "TE", "Upgrade", NULL
};
static const char * const websocat_skipped[] = {
  "Host", "Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
  "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Content-Length", NULL
};

static gboolean
is_skipped (const char         *name,
            const char * const *skipped)
{
  for (guint i = 0; skipped[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (name, skipped[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/* One word for a POSIX shell, after @prefix (a harmless option such as
 * "-H=" that the word then follows directly): as it is when every byte is
 * harmless, else in single quotes, inside which nothing is special but the
 * quote itself. */
static void
append_prefixed_word (GString    *out,
                      const char *prefix,
                      const char *word)
{
  gboolean plain = word[0] != '\0';

  for (const char *p = word; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("_@%+=:,./-", *p) != NULL;

  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, prefix);
  if (plain)
    {
      g_string_append (out, word);
      return;
    }
  g_string_append_c (out, '\'');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static void
append_word (GString    *out,
             const char *word)
{
  append_prefixed_word (out, "", word);
}

/* curl reads "Name:" with nothing after the colon as "do not send Name",
 * so a header with an empty value is written "Name;", curl's way of
 * sending it empty. */
static void
append_curl_header (GString    *out,
                    const char *name,
                    const char *value)
{
  g_autofree char *line = value[0] != '\0' ? g_strdup_printf ("%s: %s", name, value)
                                            : g_strdup_printf ("%s;", name);

  append_word (out, "-H");
  append_word (out, line);
}

/* websocat's -H takes every word up to the next option as another header
 * (its manual says so), so each header goes in one word with the option:
 * -H='Name: value'. websocat drops the one space after the colon. */
static void
append_websocat_header (GString    *out,
                        const char *name,
                        const char *value)
{
  g_autofree char *line = g_strdup_printf ("%s: %s", name, value);

  append_prefixed_word (out, "-H=", line);
}

/**
 * sonde_command_curl:
 * @url: an http or https URL
 * @headers: (nullable) (array zero-terminated=1): name, value, name, value, …
 * @insecure: whether the command lets certificate problems through, as a
 *   tab does once its user accepted them
 *
 * Returns: (transfer full): a curl command that opens the event stream with
 *   the same headers and prints it as it arrives, safe to paste into a shell
 */
char *
sonde_command_curl (const char         *url,
                    const char * const *headers,
                    gboolean            insecure)
{
  GString *out = g_string_new (NULL);
  gboolean accept = FALSE;

  g_return_val_if_fail (url != NULL, NULL);

  append_word (out, "curl");
  append_word (out, "--no-buffer");
  /* Without it curl reads [ ] { } in a URL (a query such as ?a[0]=1) as
   * patterns for many URLs and stops on them. */
  append_word (out, "--globoff");
  if (insecure)
    append_word (out, "--insecure");
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (is_skipped (headers[i], curl_skipped))
        continue;
      accept = accept || g_ascii_strcasecmp (headers[i], "Accept") == 0;
      append_curl_header (out, headers[i], headers[i + 1]);
    }
  if (!accept)
    append_curl_header (out, "Accept", "text/event-stream");
  append_word (out, "--");
  append_word (out, url);
  return g_string_free (out, FALSE);
}

/**
 * sonde_command_websocat:
 * @url: a ws or wss URL
 * @headers: (nullable) (array zero-terminated=1): name, value, name, value, …
 * @insecure: as for sonde_command_curl()
 *
 * Returns: (transfer full): a websocat command that opens the WebSocket with
 *   the same headers and subprotocols, safe to paste into a shell
 */
char *
sonde_command_websocat (const char         *url,
                        const char * const *headers,
                        gboolean            insecure)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (url != NULL, NULL);

  append_word (out, "websocat");
  if (insecure)
    append_word (out, "--insecure");
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      if (is_skipped (headers[i], websocat_skipped))
        continue;
      if (g_ascii_strcasecmp (headers[i], "Sec-WebSocket-Protocol") == 0)
        {
          append_word (out, "--protocol");
          append_word (out, headers[i + 1]);
          continue;
        }
      append_websocat_header (out, headers[i], headers[i + 1]);
    }
  append_word (out, "--");
  append_word (out, url);
  return g_string_free (out, FALSE);
}

/**
 * sonde_command_url_transport:
 *
 * Returns: %SONDE_TRANSPORT_WEBSOCKET for a ws or wss URL, else %SONDE_TRANSPORT_SSE
 */
SondeTransport
sonde_command_url_transport (const char *url)
{
  g_return_val_if_fail (url != NULL, SONDE_TRANSPORT_SSE);

  if (g_ascii_strncasecmp (url, "ws://", 5) == 0 || g_ascii_strncasecmp (url, "wss://", 6) == 0)
    return SONDE_TRANSPORT_WEBSOCKET;
  return SONDE_TRANSPORT_SSE;
}

/**
 * sonde_command_for_url:
 *
 * Returns: (transfer full): sonde_command_websocat() for a ws or wss URL,
 *   else sonde_command_curl()
 */
char *
sonde_command_for_url (const char         *url,
                       const char * const *headers,
                       gboolean            insecure)
{
  g_return_val_if_fail (url != NULL, NULL);

  if (sonde_command_url_transport (url) == SONDE_TRANSPORT_WEBSOCKET)
    return sonde_command_websocat (url, headers, insecure);
  return sonde_command_curl (url, headers, insecure);
}

/**
 * sonde_entry_view_dup_request_headers:
 *
 * Returns: (transfer full) (nullable): an `open` entry's request headers as
 *   name, value, name, value, …; %NULL when it has none
 */
char **
sonde_entry_view_dup_request_headers (const SondeEntryView *view)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  g_autoptr(GStrvBuilder) pairs = g_strv_builder_new ();
  const char *object;
  gsize object_len;

  g_return_val_if_fail (view != NULL, NULL);

  if (!sonde_entry_fields_find_member (view->fields, view->fields_len, "request_headers",
                                       &object, &object_len) ||
      !sonde_json_scan_object (object, object_len, members, NULL))
    return NULL;

  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);
      g_autoptr(GString) name = g_string_new (NULL);
      g_autoptr(GString) value = g_string_new (NULL);

      if (member->type != SONDE_JSON_STRING)
        continue;
      sonde_json_decode_string (member->name, member->name_len, name);
      sonde_json_decode_string (member->value, member->value_len, value);
      g_strv_builder_add (pairs, name->str);
      g_strv_builder_add (pairs, value->str);
    }
  return g_strv_builder_end (pairs);
}

/**
 * sonde_command_for_log:
 * @seq: an entry; the command reproduces the connection it came on
 * @insecure: as for sonde_command_curl()
 * @transport: (out) (optional): the connection's transport
 *
 * Finds the `open` entry at or before @seq and builds the command from its
 * URL and request headers.
 *
 * Returns: (transfer full) (nullable): the command, or %NULL when no
 *   connection opened before @seq
 */
char *
sonde_command_for_log (SondeEventLog  *log,
                       guint64         seq,
                       gboolean        insecure,
                       SondeTransport *transport)
{
  guint64 n;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  n = sonde_event_log_get_n_entries (log);
  for (guint64 at = MIN (seq + 1, n); at > 0; at--)
    {
      SondeEntryView view;
      g_autofree char *url = NULL;
      g_auto(GStrv) headers = NULL;

      if (!sonde_event_log_get_view (log, at - 1, &view))
        break;
      if (view.kind != SONDE_ENTRY_OPEN)
        continue;
      url = sonde_entry_fields_dup_string (&view, "url");
      if (url == NULL)
        return NULL;
      headers = sonde_entry_view_dup_request_headers (&view);
      if (transport != NULL)
        *transport = sonde_command_url_transport (url);
      return sonde_command_for_url (url, (const char * const *)headers, insecure);
    }
  return NULL;
}

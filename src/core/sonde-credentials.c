/* sonde-credentials.c: what counts as a credential, and taking it out of what Sonde saves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-credentials.h"
#include "sonde-json.h"
#include "sonde-json-scanner.h"

/* A recording or a HAR file gets passed around; the session cookie or the
 * bearer token in it should not be, unless the user says so (as Chrome's
 * HAR export leaves cookies and authorization out). The log itself keeps
 * everything: it is the user's own, on screen. */

/* `"name":`, as JSON. */
static void
append_name (GString               *out,
             const SondeJsonMember *member)
{
  g_autoptr(GString) name = g_string_new (NULL);

  sonde_json_decode_string (member->name, member->name_len, name);
  sonde_json_append_string (out, name->str, name->len);
  g_string_append_c (out, ':');
}

static const char * const secret_headers[] = {
  "Cookie", "Set-Cookie", "Authorization", "Proxy-Authorization",
};

/**
 * sonde_credentials_is_header:
 * @name: a header name, not NUL-terminated
 *
 * Returns: whether the values of header @name are credentials
 */
gboolean
sonde_credentials_is_header (const char *name,
                             gsize       len)
{
  g_return_val_if_fail (name != NULL || len == 0, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (secret_headers); i++)
    {
      if (strlen (secret_headers[i]) == len && g_ascii_strncasecmp (name, secret_headers[i], len) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * sonde_credentials_remove_from_url:
 *
 * The user and password of @url's authority become the marker,
 * percent-encoded so that the URL stays one. It works on the text, so that
 * a URL GLib would refuse loses its credentials too.
 *
 * Returns: (transfer full): @url without credentials
 */
char *
sonde_credentials_remove_from_url (const char *url)
{
  const char *authority;
  const char *end;
  const char *at;
  g_autofree char *marker = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  authority = strstr (url, "://");
  if (authority == NULL)
    return g_strdup (url);
  authority += 3;
  end = authority + strcspn (authority, "/?#");
  /* The last @ ends the user information; a password may hold one too. */
  at = g_strrstr_len (authority, end - authority, "@");
  if (at == NULL)
    return g_strdup (url);

  marker = g_uri_escape_string (SONDE_CREDENTIALS_REMOVED, NULL, FALSE);
  return g_strdup_printf ("%.*s%s%s", (int)(authority - url), url, marker, at);
}

/* Appends a headers object ({"Name":"value",...}) with each credential's
 * value replaced. Returns how many were, or -1 when it is no such object. */
static int
append_headers (GString               *out,
                const SondeJsonMember *headers)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  g_autoptr(GString) name = g_string_new (NULL);
  int replaced = 0;

  if (!sonde_json_scan_object (headers->value, headers->value_len, members, NULL))
    return -1;

  append_name (out, headers);
  g_string_append_c (out, '{');
  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *header = &g_array_index (members, SondeJsonMember, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_truncate (name, 0);
      sonde_json_decode_string (header->name, header->name_len, name);
      if (header->type == SONDE_JSON_STRING && sonde_credentials_is_header (name->str, name->len))
        {
          append_name (out, header);
          sonde_json_append_string (out, SONDE_CREDENTIALS_REMOVED, strlen (SONDE_CREDENTIALS_REMOVED));
          replaced++;
        }
      else
        sonde_json_append_compact (out, header);
    }
  g_string_append_c (out, '}');

  return replaced;
}

/**
 * sonde_credentials_remove_from_fields:
 * @fields: an entry's fields: JSON object members without the braces
 * @out: where the fields without credentials are appended
 *
 * Takes credentials out of the members entries carry them in: `url`, and
 * the `headers` and `request_headers` objects of an `open` entry (or of an
 * `error` entry for a refused upgrade).
 *
 * Returns: whether there was anything to take out; if not, @out is left
 *   as it was and @fields can be written as they are
 */
gboolean
sonde_credentials_remove_from_fields (const char *fields,
                                      gsize       len,
                                      GString    *out)
{
  g_autoptr(GArray) members = NULL;
  g_autoptr(GString) object = NULL;
  gsize start;
  gboolean changed = FALSE;

  g_return_val_if_fail (fields != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* Most entries have none of these members: a look for their names is enough. */
  if (len == 0 ||
      (g_strstr_len (fields, (gssize)len, "\"url\":") == NULL &&
       g_strstr_len (fields, (gssize)len, "headers\":") == NULL))
    return FALSE;

  object = g_string_sized_new (len + 2);
  g_string_append_c (object, '{');
  g_string_append_len (object, fields, (gssize)len);
  g_string_append_c (object, '}');
  members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  if (!sonde_json_scan_object (object->str, object->len, members, NULL))
    return FALSE;

  start = out->len;
  for (guint i = 0; i < members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (members, SondeJsonMember, i);

      if (i > 0)
        g_string_append_c (out, ',');

      if (member->type == SONDE_JSON_STRING && sonde_json_member_name_is (member, "url"))
        {
          g_autoptr(GString) url = g_string_new (NULL);
          g_autofree char *stripped = NULL;

          sonde_json_decode_string (member->value, member->value_len, url);
          stripped = sonde_credentials_remove_from_url (url->str);
          changed |= !g_str_equal (stripped, url->str);
          append_name (out, member);
          sonde_json_append_string (out, stripped, strlen (stripped));
          continue;
        }

      if (member->type == SONDE_JSON_OBJECT &&
          (sonde_json_member_name_is (member, "headers") ||
           sonde_json_member_name_is (member, "request_headers")))
        {
          gsize before = out->len;
          int replaced = append_headers (out, member);

          if (replaced < 0)
            {
              g_string_truncate (out, before);
              sonde_json_append_compact (out, member);
            }
          changed |= replaced > 0;
          continue;
        }

      sonde_json_append_compact (out, member);
    }

  if (!changed)
    g_string_truncate (out, start);
  return changed;
}

/**
 * sonde_credentials_remove_from_http:
 * @raw: bytes that may be an HTTP response (a refused upgrade's answer,
 *   kept on its entry)
 * @out: where the bytes without credentials are appended
 *
 * Returns: whether @raw is an HTTP response with a credential header in
 *   its head; if
 *   not, @out is left as it was
 */
gboolean
sonde_credentials_remove_from_http (const guint8 *raw,
                                    gsize         len,
                                    GByteArray   *out)
{
  const char *text = (const char *)raw;
  const char *end = text + len;
  const char *head_end;
  const char *line;
  guint old_len;
  gboolean changed = FALSE;

  g_return_val_if_fail (raw != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (len < 5 || memcmp (text, "HTTP/", 5) != 0)
    return FALSE;
  head_end = memmem (text, len, "\r\n\r\n", 4);
  head_end = head_end != NULL ? head_end + 2 : end;

  old_len = out->len;
  for (line = text; line < head_end;)
    {
      const char *line_end = memchr (line, '\n', (gsize)(head_end - line));
      const char *colon;

      line_end = line_end != NULL ? line_end + 1 : head_end;
      colon = memchr (line, ':', (gsize)(line_end - line));
      if (colon != NULL && sonde_credentials_is_header (line, (gsize)(colon - line)))
        {
          g_byte_array_append (out, (const guint8 *)line, (guint)(colon - line + 1));
          g_byte_array_append (out, (const guint8 *)" " SONDE_CREDENTIALS_REMOVED,
                               strlen (" " SONDE_CREDENTIALS_REMOVED));
          if (line_end - line >= 2 && line_end[-2] == '\r' && line_end[-1] == '\n')
            g_byte_array_append (out, (const guint8 *)"\r\n", 2);
          else if (line_end[-1] == '\n')
            g_byte_array_append (out, (const guint8 *)"\n", 1);
          changed = TRUE;
        }
      else
        g_byte_array_append (out, (const guint8 *)line, (guint)(line_end - line));
      line = line_end;
    }
  g_byte_array_append (out, (const guint8 *)head_end, (guint)(end - head_end));

  if (!changed)
    g_byte_array_set_size (out, old_len);
  return changed;
}

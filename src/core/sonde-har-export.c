/* sonde-har-export.c: a recording written as a HAR 1.2 file, as browsers write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-entry.h"
#include "sonde-har-private.h"
#include "sonde-json.h"
#include "sonde-ws-dissector.h"

/* In the HAR this file writes, message objects sit this deep: root, log,
 * entries, the entry, the message list. */
#define MESSAGE_DEPTH 5

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
                JsonObject *headers,
                gboolean    keep_credentials)
{
  /* In the order the recording has them, which iterators do not keep. */
  g_autoptr(GList) names = headers != NULL ? json_object_get_members (headers) : NULL;

  writer_open (w, "headers", '[');
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *value = sonde_har_string_member (headers, l->data);

      if (value == NULL)
        continue;
      writer_open (w, NULL, '{');
      writer_string (w, "name", l->data);
      writer_string (w, "value", keep_credentials || !sonde_har_header_is_credential (l->data)
                                   ? value : SONDE_CREDENTIALS_REMOVED);
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
      if (g_ascii_strcasecmp (l->data, wanted) == 0 &&
          sonde_har_string_member (headers, l->data) != NULL)
        return sonde_har_string_member (headers, l->data);
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
    case SONDE_ENTRY_REQUEST:
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

/* Where the entries come from: a recording read as a stream, or a log in memory. */
typedef gboolean (*NextEntryFunc) (gpointer         source,
                                   SondeEntryView  *view,
                                   GError         **error);

static char *
export_entries (const SondeRecordingHeader  *header,
                NextEntryFunc                next_entry,
                gpointer                     source,
                gboolean                     keep_credentials,
                gsize                       *len,
                GError                     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *stamp = NULL;
  g_autoptr(JsonNode) open_root = NULL;
  g_autofree char *url = NULL;
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

  url = keep_credentials ? g_strdup (header->url) : sonde_har_url_without_credentials (header->url);
  start_us = sonde_har_date_time_to_us (header->started_at);

  while (next_entry (source, &view, &local_error))
    {
      last_us = MAX (last_us, view.time_us);
      if (view.kind == SONDE_ENTRY_OPEN && open == NULL)
        {
          g_autofree char *text = g_strdup_printf ("{%.*s}", (int)view.fields_len, view.fields);

          /* The fields come from a file: read with a depth limit. */
          open_root = sonde_json_parse (text, -1, NULL);
          if (open_root != NULL && JSON_NODE_HOLDS_OBJECT (open_root))
            {
              open = json_node_get_object (open_root);
              open_us = MAX (view.time_us, 0);
            }
          else
            g_clear_pointer (&open_root, json_node_unref);
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
      const char *text = sonde_har_string_member (open, "reason");

      if (!sonde_har_int_member (open, "status", &status))
        status = 0;
      reason = text != NULL ? text : "";
    }
  mime_type = lookup_header (sonde_har_object_member (open, "headers"), "Content-Type");
  if (mime_type == NULL)
    mime_type = header->transport == SONDE_TRANSPORT_SSE ? "text/event-stream" : "x-unknown";

  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (header->started_at);

    stamp = sonde_json_format_time (utc);
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
  writer_string (&w, "url", url);
  writer_string (&w, "httpVersion", "HTTP/1.1");
  writer_open (&w, "cookies", '[');
  writer_close (&w, ']');
  writer_headers (&w, sonde_har_object_member (open, "request_headers"), keep_credentials);
  writer_query_string (&w, url);
  writer_int (&w, "headersSize", -1);
  writer_int (&w, "bodySize", 0);
  writer_close (&w, '}');

  writer_open (&w, "response", '{');
  writer_int (&w, "status", status);
  writer_string (&w, "statusText", reason);
  writer_string (&w, "httpVersion", "HTTP/1.1");
  writer_open (&w, "cookies", '[');
  writer_close (&w, ']');
  writer_headers (&w, sonde_har_object_member (open, "headers"), keep_credentials);
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
 * have no place in a HAR entry and are left out. Without @keep_credentials,
 * the values of the Cookie, Set-Cookie, Authorization and
 * Proxy-Authorization headers and the user and password in the URL become
 * %SONDE_CREDENTIALS_REMOVED, as browsers leave them out of their HAR files.
 *
 * Returns: (transfer full) (nullable): the HAR text, or %NULL with @error
 *   set when the recording cannot be read to its end
 */
static gboolean
reader_source_next (gpointer         source,
                    SondeEntryView  *view,
                    GError         **error)
{
  return sonde_recording_reader_next (source, view, error);
}

char *
sonde_har_export (SondeRecordingReader  *reader,
                  gboolean               keep_credentials,
                  gsize                 *len,
                  GError               **error)
{
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return export_entries (sonde_recording_reader_get_header (reader),
                         reader_source_next, reader,
                         keep_credentials, len, error);
}

typedef struct
{
  SondeEventLog *log;
  guint64        next;
  guint64        end;
} LogSource;

static gboolean
log_source_next (gpointer         data,
                 SondeEntryView  *view,
                 GError         **error)
{
  LogSource *source = data;

  if (source->next >= source->end)
    return FALSE;
  return sonde_event_log_get_view (source->log, source->next++, view);
}

/**
 * sonde_har_export_log:
 * @log: the entries, such as a tab's; safe to call while another thread appends
 * @n_entries: write the entries before this sequence number, from the first kept
 * @transport: the session's transport
 * @url: the session's URL
 * @len: (out) (optional): the length of the text
 *
 * Writes the first @n_entries of @log as sonde_har_export() writes a
 * recording, with the log's start as the session's.
 *
 * Returns: (transfer full): the HAR text
 */
char *
sonde_har_export_log (SondeEventLog   *log,
                      guint64          n_entries,
                      SondeTransport   transport,
                      const char      *url,
                      gboolean         keep_credentials,
                      gsize           *len)
{
  SondeRecordingHeader header = { 1, transport, url, NULL };
  LogSource source = { log, 0, 0 };
  char *text;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  header.started_at = sonde_event_log_get_started_at (log);
  source.end = MIN (n_entries, sonde_event_log_get_n_entries (log));

  /* From the first entry still kept; none is let go of while this reads. */
  sonde_event_log_begin_read (log);
  source.next = sonde_event_log_get_first_seq (log);
  text = export_entries (&header, log_source_next, &source, keep_credentials, len, NULL);
  sonde_event_log_end_read (log);

  return text;
}

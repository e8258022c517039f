/* test-details-pane.c: the details pane in a real window under Xvfb, for every kind of payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "sonde-details-pane.h"
#include "sonde-event-log.h"
#include "sonde-frame-view.h"
#include "sonde-hex-view.h"
#include "sonde-wire-view.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-ws-frame.h"

#define WAIT_MS 20000

typedef struct
{
  GtkWindow        *window;
  SondeDetailsPane *pane;
  SondeEventLog    *log;
} Fixture;

static gboolean
mapped_cond (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->log = sonde_event_log_new ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 600);
  f->pane = SONDE_DETAILS_PANE (sonde_details_pane_new ());
  sonde_details_pane_set_log (f->pane, f->log);
  gtk_window_set_child (f->window, GTK_WIDGET (f->pane));
  gtk_window_present (f->window);
  g_assert_true (sonde_test_wait_until (mapped_cond, f->pane, WAIT_MS));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->log);
}

/* Shows entry @seq of the log in the pane. */
static void
show (Fixture *f,
      guint64  seq)
{
  g_autoptr(SondeEntry) entry = sonde_entry_new (f->log, seq);

  sonde_details_pane_set_entry (f->pane, entry);
  g_assert_true (sonde_details_pane_get_entry (f->pane) == entry);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint64
append (Fixture        *f,
        SondeDirection  direction,
        SondeEntryKind  kind,
        const char     *fields,
        const guint8   *raw,
        gsize           raw_len)
{
  return sonde_event_log_append (f->log, 1000, direction, kind, NULL, 0,
                                 fields, fields != NULL ? strlen (fields) : 0, raw, raw_len);
}

static guint64
append_frame (Fixture        *f,
              SondeDirection  direction,
              SondeEntryKind  kind,
              guint8          first_byte,
              const guint8   *payload,
              gsize           len)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();

  sonde_ws_frame_append (frame, first_byte, payload, len, direction == SONDE_DIRECTION_OUT);
  return append (f, direction, kind, NULL, frame->data, frame->len);
}

static char *
clipboard_text (Fixture *f)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (f->pane)));
  GValue value = G_VALUE_INIT;
  char *text;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  text = g_value_dup_string (&value);
  g_value_unset (&value);

  return text;
}

static const char *
payload_language (Fixture *f)
{
  GtkWidget *view = sonde_test_find_descendant (GTK_WIDGET (f->pane), GTK_SOURCE_TYPE_VIEW);
  GtkSourceLanguage *language = gtk_source_buffer_get_language (
    GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view))));

  return language != NULL ? gtk_source_language_get_id (language) : NULL;
}

static gboolean
action_enabled (Fixture    *f,
                const char *name)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->pane));
  g_autofree char *text = NULL;

  /* Show All has a button, insensitive while its action is disabled. */
  if (g_str_equal (name, "details.show-all"))
    {
      GtkWidget *button = sonde_test_find_descendant (sonde_test_find_descendant (GTK_WIDGET (f->pane), GTK_TYPE_ACTION_BAR),
                                           GTK_TYPE_BUTTON);
      gboolean enabled;

      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, name);
      enabled = gtk_widget_get_sensitive (button);
      if (enabled)
        gtk_widget_activate_action (GTK_WIDGET (f->pane), name, NULL);
      return enabled;
    }

  /* A copy action that is disabled leaves the clipboard alone. */
  gdk_clipboard_set_text (clipboard, "unchanged");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), name, NULL);
  text = clipboard_text (f);
  return g_strcmp0 (text, "unchanged") != 0;
}

typedef struct
{
  Fixture *f;
  int      chars;
} Filled;

static gboolean
filled_cond (gpointer data)
{
  Filled *filled = data;
  GtkWidget *view = sonde_test_find_descendant (GTK_WIDGET (filled->f->pane), GTK_SOURCE_TYPE_VIEW);

  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view))) >= filled->chars;
}

/* A long payload goes into the view a step a main-loop turn: waits for
 * @chars characters. */
static void
wait_filled (Fixture *f,
             int      chars)
{
  Filled filled = { f, chars };

  g_assert_true (sonde_test_wait_until (filled_cond, &filled, 120000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_create_destroy (void)
{
  GtkWidget *pane = g_object_ref_sink (sonde_details_pane_new ());

  g_assert_null (sonde_details_pane_get_entry (SONDE_DETAILS_PANE (pane)));
  g_assert_null (sonde_details_pane_get_log (SONDE_DETAILS_PANE (pane)));
  g_assert_finalize_object (pane);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *payload = NULL;
  g_autofree char *copied = NULL;
  guint64 seq = append_frame (f, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1,
                              (const guint8 *)"héllo\nworld", 12);

  show (f, seq);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpstr (payload, ==, "héllo\nworld");
  g_assert_null (payload_language (f));

  g_assert_true (action_enabled (f, "details.copy-text"));
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "héllo\nworld");
  g_clear_pointer (&copied, g_free);

  g_assert_true (action_enabled (f, "details.copy-hex"));
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "68c3a96c6c6f0a776f726c64");
  g_clear_pointer (&copied, g_free);

  g_assert_true (action_enabled (f, "details.copy-base64"));
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "aMOpbGxvCndvcmxk");

  /* Nothing to show all of. */
  g_assert_false (gtk_action_bar_get_revealed (GTK_ACTION_BAR (sonde_test_find_descendant (GTK_WIDGET (f->pane),
                                                                                GTK_TYPE_ACTION_BAR))));

  /* No entry: nothing to copy. */
  sonde_details_pane_set_entry (f->pane, NULL);
  g_assert_false (action_enabled (f, "details.copy-text"));
  g_assert_false (action_enabled (f, "details.copy-hex"));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  /* 61.56 has no exact double: the payload shows it as it came. */
  static const char raw[] = "event: quote\ndata: {\"sym\":\"ACME\",\ndata: \"px\":[61.56,null]}\n\n";
  g_autofree char *payload = NULL;
  g_autofree char *copied = NULL;
  guint64 seq = append (f, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL,
                        (const guint8 *)raw, strlen (raw));

  show (f, seq);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpstr (payload_language (f), ==, "json");
  g_assert_cmpstr (payload, ==, "{\n  \"sym\": \"ACME\",\n  \"px\": [\n    61.56,\n    null\n  ]\n}");

  /* Copying gives the data as it came, not as it is shown. */
  g_assert_true (action_enabled (f, "details.copy-text"));
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "{\"sym\":\"ACME\",\n\"px\":[61.56,null]}");

  /* Text that only looks like JSON stays as it is. */
  seq = append (f, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, (const guint8 *)"data: {nope\n\n", 13);
  show (f, seq);
  g_clear_pointer (&payload, g_free);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpstr (payload, ==, "{nope");
  g_assert_null (payload_language (f));
}

static void
test_binary (Fixture       *f,
             gconstpointer  data)
{
  guint8 bytes[20];
  g_autofree char *payload = NULL;
  g_autofree char *copied = NULL;
  guint64 seq;

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)(i * 13 + 60);
  seq = append_frame (f, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | 0x2, bytes, sizeof bytes);

  show (f, seq);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpstr (payload, ==,
                   "00000000  3c 49 56 63 70 7d 8a 97  a4 b1 be cb d8 e5 f2 ff  |<IVcp}..........|\n"
                   "00000010  0c 19 26 33                                       |..&3|\n");

  /* Binary has no text to copy; hex and Base64 it has. */
  g_assert_false (action_enabled (f, "details.copy-text"));
  g_assert_true (action_enabled (f, "details.copy-base64"));
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "PElWY3B9ipeksb7L2OXy/wwZJjM=");
}

static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  gsize len = 16 * 1024 * 1024;
  g_autofree guint8 *big = g_malloc (len);
  g_autofree char *payload = NULL;
  GtkWidget *bar;
  guint64 seq;

  /* 16 MiB of text in lines of 100 bytes. */
  for (gsize i = 0; i < len; i++)
    big[i] = i % 100 == 99 ? '\n' : (guint8)('a' + i % 26);
  seq = append_frame (f, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, big, len);

  show (f, seq);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpuint (strlen (payload), ==, SONDE_DETAILS_TEXT_LIMIT);
  g_assert_true (memcmp (payload, big, SONDE_DETAILS_TEXT_LIMIT) == 0);
  bar = sonde_test_find_descendant (GTK_WIDGET (f->pane), GTK_TYPE_ACTION_BAR);
  g_assert_true (gtk_action_bar_get_revealed (GTK_ACTION_BAR (bar)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (sonde_test_find_descendant (bar, GTK_TYPE_LABEL))), ==,
                   "Showing the first 262.1\u00a0kB of 16.8\u00a0MB");

  /* Show All: every byte, and nothing more to show. */
  g_assert_true (action_enabled (f, "details.show-all"));
  wait_filled (f, (int)len);
  g_clear_pointer (&payload, g_free);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpuint (strlen (payload), ==, len);
  g_assert_false (gtk_action_bar_get_revealed (GTK_ACTION_BAR (bar)));
  g_assert_false (action_enabled (f, "details.show-all"));

  /* The next entry shows its start again. */
  show (f, append_frame (f, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, SONDE_WS_FIN | 0x2, big, 100000));
  g_assert_true (gtk_action_bar_get_revealed (GTK_ACTION_BAR (bar)));
  g_clear_pointer (&payload, g_free);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpuint (strlen (payload), ==, SONDE_DETAILS_HEX_LIMIT / 16 * 79);

  /* Show All of the hex dump goes in a step at a time, every row once, in order. */
  g_assert_true (action_enabled (f, "details.show-all"));
  wait_filled (f, 100000 / 16 * 79);
  g_clear_pointer (&payload, g_free);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpuint (strlen (payload), ==, 100000 / 16 * 79);
  for (gsize row = 0; row < 100000 / 16; row++)
    {
      g_autofree char *offset = g_strdup_printf ("%08" G_GSIZE_MODIFIER "x  ", row * 16);

      g_assert_true (strncmp (payload + row * 79, offset, 10) == 0);
    }
}

/* Takes the line ends out of @text, in place; gives the longest line's
 * length in bytes, and returns the length left. */
static gsize
join_lines (char  *text,
            gsize *longest)
{
  gsize kept = 0;
  gsize run = 0;

  *longest = 0;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        run = 0;
      else
        {
          text[kept++] = *p;
          run++;
          *longest = MAX (*longest, run);
        }
    }
  text[kept] = '\0';
  return kept;
}

/* A payload of one 16 MiB line (minified JSON, a long token): the view
 * breaks it into lines GtkTextView lays out quickly, on characters, and
 * shows nothing more or less; Copy as Text copies it as it came. */
static void
test_long_line (Fixture       *f,
                gconstpointer  data)
{
  gsize len = 16 * 1024 * 1024;
  g_autoptr(GString) line = g_string_sized_new (len + 8);
  g_autofree char *payload = NULL;
  g_autofree char *copied = NULL;
  gsize longest = 0;
  gsize kept = 0;

  /* Two- and three-byte characters, so that a break could fall inside one. */
  while (line->len < len)
    g_string_append (line, "{\"k\":\"äöü €\"},");
  g_string_truncate (line, len - len % 3);
  while (!g_utf8_validate (line->str, (gssize)line->len, NULL))
    g_string_truncate (line, line->len - 1);
  show (f, append_frame (f, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1,
                         (const guint8 *)line->str, line->len));

  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_true (g_utf8_validate (payload, -1, NULL));
  kept = join_lines (payload, &longest);
  g_assert_cmpuint (longest, <=, SONDE_DETAILS_LINE_LIMIT + 3);
  g_assert_cmpuint (kept, >, SONDE_DETAILS_TEXT_LIMIT - 4);
  g_assert_true (memcmp (payload, line->str, kept) == 0);

  /* Show All: the whole line, still in short lines. */
  g_assert_true (action_enabled (f, "details.show-all"));
  wait_filled (f, (int)g_utf8_strlen (line->str, (gssize)line->len));
  g_clear_pointer (&payload, g_free);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  kept = join_lines (payload, &longest);
  g_assert_cmpuint (longest, <=, SONDE_DETAILS_LINE_LIMIT + 3);
  g_assert_cmpuint (kept, ==, line->len);
  g_assert_true (memcmp (payload, line->str, kept) == 0);

  g_assert_true (action_enabled (f, "details.copy-text"));
  copied = clipboard_text (f);
  g_assert_cmpuint (strlen (copied), ==, line->len);
  g_assert_true (strcmp (copied, line->str) == 0);

  /* Another entry while the view still fills: only its own text shows. */
  g_assert_false (action_enabled (f, "details.show-all"));
  show (f, sonde_entry_get_seq (sonde_details_pane_get_entry (f->pane)));
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "details.show-all", NULL);
  show (f, append_frame (f, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1,
                         (const guint8 *)"short", 5));
  g_clear_pointer (&payload, g_free);
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpstr (payload, ==, "short");
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  static const char open_fields[] =
    "\"status\":101,\"reason\":\"Switching Protocols\",\"url\":\"ws://127.0.0.1:9/feed\","
    "\"request\":\"GET /feed HTTP/1.1\",\"headers\":{\"Upgrade\":\"websocket\",\"Sec-WebSocket-Accept\":\"abc=\"},"
    "\"request_headers\":{\"Host\":\"127.0.0.1:9\",\"Origin\":\"http://x\"}";
  static const char refused_fields[] =
    "\"message\":\"The server refused the WebSocket upgrade with 403 Forbidden\",\"domain\":\"sonde-error\","
    "\"code\":3,\"status\":403,\"reason\":\"Forbidden\",\"url\":\"ws://127.0.0.1:9/feed\","
    "\"request\":\"GET /feed HTTP/1.1\",\"headers\":{\"Content-Type\":\"text/plain\"},"
    "\"request_headers\":{\"Host\":\"127.0.0.1:9\"},\"body\":\"go away\"";
  g_autofree char *headers = NULL;
  g_autofree char *payload = NULL;
  guint64 open;
  guint64 text;
  guint64 after;
  guint64 refused;

  open = append (f, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, open_fields, NULL, 0);
  text = append_frame (f, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1, (const guint8 *)"x", 1);
  append (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, "\"delay_ms\":1000,\"attempt\":1", NULL, 0);
  after = append (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, "\"message\":\"refused\"", NULL, 0);
  refused = append (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, refused_fields, NULL, 0);

  show (f, open);
  headers = sonde_details_pane_dup_headers_text (f->pane);
  g_assert_cmpstr (headers, ==,
                   "Request\nGET /feed HTTP/1.1\nHost: 127.0.0.1:9\nOrigin: http://x\n"
                   "\nResponse\nHTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n"
                   "Sec-WebSocket-Accept: abc=\n");
  /* A lifecycle entry shows its fields on the Payload page. */
  payload = sonde_details_pane_dup_payload_text (f->pane);
  g_assert_cmpstr (payload_language (f), ==, "json");
  g_assert_nonnull (strstr (payload, "\"status\": 101"));

  /* An entry of that connection shows the headers it came in under. */
  show (f, text);
  g_clear_pointer (&headers, g_free);
  headers = sonde_details_pane_dup_headers_text (f->pane);
  g_assert_true (g_str_has_prefix (headers, "The connection of this entry, opened at entry 0\n\nRequest\n"));
  g_assert_nonnull (strstr (headers, "Sec-WebSocket-Accept: abc=\n"));

  /* After the reconnect wait, the old connection's headers no longer apply. */
  show (f, after);
  g_clear_pointer (&headers, g_free);
  headers = sonde_details_pane_dup_headers_text (f->pane);
  g_assert_cmpstr (headers, ==, "No headers: this entry did not come in on an open connection");

  /* A refused upgrade: its status, headers and body. */
  show (f, refused);
  g_clear_pointer (&headers, g_free);
  headers = sonde_details_pane_dup_headers_text (f->pane);
  g_assert_nonnull (strstr (headers, "HTTP/1.1 403 Forbidden\nContent-Type: text/plain\n"));
  g_assert_true (g_str_has_suffix (headers, "Response Body\ngo away\n"));
}

/* The page of the pane's stack called @name, shown. */
static void
show_page (Fixture    *f,
           const char *name)
{
  GtkWidget *switcher = sonde_test_find_descendant (GTK_WIDGET (f->pane), GTK_TYPE_STACK_SWITCHER);
  GtkStack *stack = gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (switcher));

  gtk_stack_set_visible_child_name (stack, name);
  g_assert_true (sonde_test_wait_until (mapped_cond, gtk_stack_get_visible_child (stack), WAIT_MS));
}

/* The Wire and Frame pages show the selected entry; the copy menu offers
 * the command that reopens its connection, curl for SSE, websocat for WebSocket. */
static void
test_wire_frame_and_commands (Fixture       *f,
                              gconstpointer  data)
{
  static const char sse_open[] =
    "\"status\":200,\"url\":\"http://127.0.0.1:9/events\","
    "\"request_headers\":{\"Host\":\"127.0.0.1:9\",\"Accept\":\"text/event-stream\","
    "\"X-Token\":\"it's $(secret)\"}";
  static const char ws_open[] =
    "\"status\":101,\"url\":\"ws://127.0.0.1:9/feed\","
    "\"request_headers\":{\"Host\":\"127.0.0.1:9\",\"Sec-WebSocket-Key\":\"abc=\","
    "\"Sec-WebSocket-Protocol\":\"chat\"}";
  static const char block[] = "event: tick\ndata: 1\n\n";
  GtkWidget *wire = sonde_test_find_descendant (GTK_WIDGET (f->pane), SONDE_TYPE_WIRE_VIEW);
  GtkWidget *frame = sonde_test_find_descendant (GTK_WIDGET (f->pane), SONDE_TYPE_FRAME_VIEW);
  GtkWidget *hex = sonde_test_find_descendant (wire, SONDE_TYPE_HEX_VIEW);
  g_autofree char *where = NULL;
  g_autofree char *command = NULL;
  guint64 event;
  guint64 message;
  guint64 reconnect;

  append (f, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, sse_open, NULL, 0);
  event = append (f, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, (const guint8 *)block,
                  sizeof block - 1);
  reconnect = append (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT,
                      "\"delay_ms\":1000,\"attempt\":1", NULL, 0);
  append (f, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, ws_open, NULL, 0);
  message = append_frame (f, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, SONDE_WS_FIN | 0x1,
                          (const guint8 *)"hi", 2);

  show (f, event);
  show_page (f, "wire");
  g_assert_true (sonde_wire_view_get_entry (SONDE_WIRE_VIEW (wire)) ==
                 sonde_details_pane_get_entry (f->pane));
  where = sonde_hex_view_describe_selection (SONDE_HEX_VIEW (hex));
  g_assert_cmpstr (where, ==, "Line 1, name of the event field: the byte at 0x0 is 0x65");
  show_page (f, "frame");
  g_assert_true (sonde_frame_view_get_entry (SONDE_FRAME_VIEW (frame)) ==
                 sonde_details_pane_get_entry (f->pane));

  g_assert_false (action_enabled (f, "details.copy-websocat"));
  g_assert_true (action_enabled (f, "details.copy-curl"));
  command = clipboard_text (f);
  g_assert_cmpstr (command, ==, "curl --no-buffer --globoff -H 'Accept: text/event-stream' "
                                "-H 'X-Token: it'\\''s $(secret)' -- http://127.0.0.1:9/events");
  g_clear_pointer (&command, g_free);

  /* Once the tab accepted a certificate problem, so does the command. */
  sonde_details_pane_set_insecure (f->pane, TRUE);
  g_assert_true (action_enabled (f, "details.copy-curl"));
  command = clipboard_text (f);
  g_assert_cmpstr (command, ==, "curl --no-buffer --globoff --insecure "
                                "-H 'Accept: text/event-stream' "
                                "-H 'X-Token: it'\\''s $(secret)' -- http://127.0.0.1:9/events");
  g_clear_pointer (&command, g_free);
  sonde_details_pane_set_insecure (f->pane, FALSE);

  /* A lifecycle entry reopens the connection it belongs to. */
  show (f, reconnect);
  g_assert_true (action_enabled (f, "details.copy-curl"));

  show (f, message);
  g_clear_pointer (&where, g_free);
  where = sonde_hex_view_describe_selection (SONDE_HEX_VIEW (hex));
  g_assert_cmpstr (where, ==, "Frame 1, header: the byte at 0x0 is 0x81");
  g_assert_false (action_enabled (f, "details.copy-curl"));
  g_assert_true (action_enabled (f, "details.copy-websocat"));
  command = clipboard_text (f);
  g_assert_cmpstr (command, ==, "websocat --protocol chat -- ws://127.0.0.1:9/feed");

  sonde_details_pane_set_entry (f->pane, NULL);
  g_assert_null (sonde_wire_view_get_entry (SONDE_WIRE_VIEW (wire)));
  g_assert_null (sonde_frame_view_get_entry (SONDE_FRAME_VIEW (frame)));
  g_assert_false (action_enabled (f, "details.copy-curl"));
  g_assert_false (action_enabled (f, "details.copy-websocat"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/details-pane/create-destroy", test_create_destroy);
  g_test_add ("/sonde/details-pane/text", Fixture, NULL, fixture_set_up, test_text, fixture_tear_down);
  g_test_add ("/sonde/details-pane/json", Fixture, NULL, fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/sonde/details-pane/binary", Fixture, NULL, fixture_set_up, test_binary, fixture_tear_down);
  g_test_add ("/sonde/details-pane/large", Fixture, NULL, fixture_set_up, test_large, fixture_tear_down);
  g_test_add ("/sonde/details-pane/long-line", Fixture, NULL, fixture_set_up, test_long_line,
              fixture_tear_down);
  g_test_add ("/sonde/details-pane/open", Fixture, NULL, fixture_set_up, test_open, fixture_tear_down);
  g_test_add ("/sonde/details-pane/wire-frame-and-commands", Fixture, NULL, fixture_set_up,
              test_wire_frame_and_commands, fixture_tear_down);

  return g_test_run ();
}

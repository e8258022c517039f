/* sonde-details-pane.c: the selected entry's payload, bytes, frames and headers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sonde-bytes.h"
#include "sonde-command.h"
#include "sonde-details-pane.h"
#include "sonde-entry-text.h"
#include "sonde-frame-view.h"
#include "sonde-json.h"
#include "sonde-wire-view.h"

/* Pretty-printing re-lays the text out; past this size the payload shows
 * as it came, so that selecting a huge entry stays instant. */
#define JSON_PRETTY_LIMIT (1024 * 1024)

/* GtkTextView lays a paragraph out whole, again at each change near it: a
 * payload of one 16 MiB line (minified JSON, a long token) held the window
 * for 13 s after Show All, and its first 256 KiB for most of a second. The
 * Payload page breaks lines longer than SONDE_DETAILS_LINE_LIMIT bytes, on
 * a character; the view only: the copy actions copy the payload as it came. */

/* A long text goes into the view this many bytes a main-loop turn, so that
 * Show All on 16 MiB (83 MB as a hex dump) leaves the window drawing. */
#define FILL_STEP (256 * 1024)
/* The bytes of a hex dump's step: 79 characters show 16 bytes. */
#define HEX_FILL_STEP (FILL_STEP / 79 * 16)

struct _SondeDetailsPane
{
  GtkWidget      parent_instance;

  GtkWidget     *content_stack;
  GtkWidget     *stack;
  GtkLabel      *summary;
  GtkWidget     *copy_button;
  GtkSourceView *payload_view;
  GtkActionBar  *truncated_bar;
  GtkLabel      *truncated_label;
  SondeWireView *wire_view;
  SondeFrameView *frame_view;
  GtkTextView   *headers_view;

  SondeEntry    *entry;
  SondeEventLog *log;
  /* The tab let certificate problems through: so do the copied commands. */
  gboolean       insecure;

  /* The payload of the entry, once per selection. */
  char          *data;
  gsize          data_len;
  gboolean       is_text;
  gboolean       showing_all;

  /* What the Payload page has still to take, FILL_STEP at a time: text,
   * or the rows of a hex dump of data, formatted as they go in. */
  char          *fill_text;
  gsize          fill_len;
  gsize          fill_pos;
  gboolean       fill_hex;
  guint          fill_id;
};

G_DEFINE_FINAL_TYPE (SondeDetailsPane, sonde_details_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Offset, sixteen bytes in hex, and the same as ASCII: what people expect
 * from xxd and Wireshark. */
static char *
format_hexdump (const guint8 *data,
                gsize         from,
                gsize         len)
{
  GString *out = g_string_sized_new (((len - from) / 16 + 1) * 79);

  for (gsize row = from; row < len; row += 16)
    {
      g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x  ", row);
      sonde_bytes_append_hex_row (out, data + row, MIN (16, len - row));
    }

  return g_string_free (out, FALSE);
}

/* The entry's recording fields as a JSON object, what lifecycle entries
 * and errors show instead of a payload. */
static char *
fields_json (const SondeEntryView *view)
{
  g_autofree char *object = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
  char *pretty = sonde_json_pretty (object, strlen (object));

  return pretty != NULL ? pretty : g_steal_pointer (&object);
}

/* @text with a line end after each SONDE_DETAILS_LINE_LIMIT bytes of a longer
 * line (at the start of the character there), or %NULL when it has no such
 * line. */
static char *
break_long_lines (const char *text,
                  gsize       len,
                  gsize      *out_len)
{
  GString *out = NULL;
  gsize line_start = 0;
  gsize copied = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\n')
        {
          line_start = i + 1;
          continue;
        }
      if (i - line_start < SONDE_DETAILS_LINE_LIMIT || ((guchar)text[i] & 0xc0) == 0x80)
        continue;
      if (out == NULL)
        out = g_string_sized_new (len + len / SONDE_DETAILS_LINE_LIMIT + 1);
      g_string_append_len (out, text + copied, (gssize)(i - copied));
      g_string_append_c (out, '\n');
      copied = i;
      line_start = i;
    }
  if (out == NULL)
    return NULL;
  g_string_append_len (out, text + copied, (gssize)(len - copied));
  *out_len = out->len;
  return g_string_free (out, FALSE);
}

/* Where the next step of the fill ends: after the last line end in it, or
 * else on a character. */
static gsize
fill_step_end (const char *text,
               gsize       pos,
               gsize       len)
{
  gsize end = MIN (len, pos + FILL_STEP);
  const char *line_end;

  if (end == len)
    return end;
  line_end = memrchr (text + pos, '\n', end - pos);
  if (line_end != NULL)
    return (gsize)(line_end - text) + 1;
  while (end > pos + 1 && ((guchar)text[end] & 0xc0) == 0x80)
    end--;
  return end;
}

static void
cancel_fill (SondeDetailsPane *self)
{
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_clear_pointer (&self->fill_text, g_free);
  self->fill_len = self->fill_pos = 0;
  self->fill_hex = FALSE;
}

static gboolean
fill_step_cb (gpointer data)
{
  SondeDetailsPane *self = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view));
  GtkTextIter iter;

  gtk_text_buffer_get_end_iter (buffer, &iter);
  if (self->fill_hex)
    {
      gsize end = MIN (self->fill_len, self->fill_pos + HEX_FILL_STEP);
      g_autofree char *rows = format_hexdump ((const guint8 *)self->data, self->fill_pos, end);

      gtk_text_buffer_insert (buffer, &iter, rows, -1);
      self->fill_pos = end;
    }
  else
    {
      gsize end = fill_step_end (self->fill_text, self->fill_pos, self->fill_len);

      gtk_text_buffer_insert (buffer, &iter, self->fill_text + self->fill_pos,
                              (int)(end - self->fill_pos));
      self->fill_pos = end;
    }
  if (self->fill_pos < self->fill_len)
    return G_SOURCE_CONTINUE;

  self->fill_id = 0;
  cancel_fill (self);
  return G_SOURCE_REMOVE;
}

static void
start_fill (SondeDetailsPane *self)
{
  /* Below GTK's layout and drawing, so each step is seen before the next. */
  self->fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_step_cb, self, NULL);
}

/* Takes @text (valid UTF-8, freed here): the first step now, the rest a
 * step a main-loop turn after. */
static void
set_payload_text (SondeDetailsPane *self,
                  char             *text,
                  const char       *language_id)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view)));
  GtkSourceLanguage *language = NULL;
  gsize len = strlen (text);
  gsize broken_len = 0;
  char *broken = break_long_lines (text, len, &broken_len);
  gsize first;

  if (broken != NULL)
    {
      g_free (text);
      text = broken;
      len = broken_len;
    }

  cancel_fill (self);
  if (language_id != NULL)
    language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                         language_id);
  gtk_source_buffer_set_language (buffer, language);
  gtk_source_buffer_set_highlight_syntax (buffer, language != NULL);
  first = fill_step_end (text, 0, len);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text, (int)first);
  if (first == len)
    {
      g_free (text);
      return;
    }
  self->fill_text = text;
  self->fill_len = len;
  self->fill_pos = first;
  start_fill (self);
}

static void
show_truncated (SondeDetailsPane *self,
                gsize             shown)
{
  g_autofree char *shown_size = g_format_size (shown);
  g_autofree char *total_size = g_format_size (self->data_len);
  /* Translators: both are sizes, such as “256.0 kB” and “16.8 MB” */
  g_autofree char *text = g_strdup_printf (_("Showing the first %s of %s"), shown_size, total_size);

  gtk_label_set_label (self->truncated_label, text);
  gtk_action_bar_set_revealed (self->truncated_bar, TRUE);
}

static void
update_payload (SondeDetailsPane *self)
{
  const SondeEntryView *view = sonde_entry_get_view (self->entry);

  gtk_action_bar_set_revealed (self->truncated_bar, FALSE);

  if (self->data == NULL)
    {
      set_payload_text (self, fields_json (view), "json");
      return;
    }

  if (!self->is_text)
    {
      gsize shown = self->showing_all ? self->data_len : MIN (self->data_len, SONDE_DETAILS_HEX_LIMIT);
      gsize first = MIN (shown, HEX_FILL_STEP);

      set_payload_text (self, format_hexdump ((const guint8 *)self->data, 0, first), NULL);
      if (first < shown)
        {
          self->fill_hex = TRUE;
          self->fill_pos = first;
          self->fill_len = shown;
          start_fill (self);
        }
      if (shown < self->data_len)
        show_truncated (self, shown);
      return;
    }

  if (self->data_len <= JSON_PRETTY_LIMIT)
    {
      char *pretty = sonde_json_pretty (self->data, self->data_len);

      if (pretty != NULL)
        {
          set_payload_text (self, pretty, "json");
          return;
        }
    }

  {
    gsize shown = self->showing_all ? self->data_len : MIN (self->data_len, SONDE_DETAILS_TEXT_LIMIT);

    /* Cut on a character; anything that is not UTF-8 shows as U+FFFD. */
    while (shown < self->data_len && shown > 0 && ((guchar)self->data[shown] & 0xc0) == 0x80)
      shown--;
    set_payload_text (self, g_utf8_make_valid (self->data, (gssize)shown), NULL);
    if (shown < self->data_len)
      show_truncated (self, shown);
  }
}

/* Headers */

static void
append_heading (GtkTextBuffer *buffer,
                const char    *text)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (gtk_text_iter_get_offset (&end) > 0)
    {
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
      gtk_text_buffer_get_end_iter (buffer, &end);
    }
  gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, "heading", NULL);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
}

static void
append_line (GtkTextBuffer *buffer,
             const char    *text)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
}

static void
append_header_lines (GtkTextBuffer *buffer,
                     JsonObject    *object,
                     const char    *member)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", name,
                                               JSON_NODE_HOLDS_VALUE (value) &&
                                               json_node_get_value_type (value) == G_TYPE_STRING
                                               ? json_node_get_string (value) : "");

      append_line (buffer, line);
    }
}

/* An open entry, or an error that carries a refused upgrade's response. */
static gboolean
append_exchange (GtkTextBuffer        *buffer,
                 const SondeEntryView *view)
{
  g_autofree char *object_text = g_strdup_printf ("{%.*s}", (int)view->fields_len, view->fields);
  g_autoptr(JsonNode) root = sonde_json_parse (object_text, -1, NULL);
  JsonObject *object;
  const char *request;
  const char *url;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "status"))
    return FALSE;

  request = json_object_get_string_member_with_default (object, "request", NULL);
  url = json_object_get_string_member_with_default (object, "url", NULL);
  append_heading (buffer, _("Request"));
  if (request != NULL)
    append_line (buffer, request);
  else if (url != NULL)
    {
      g_autofree char *line = g_strdup_printf ("GET %s", url);

      append_line (buffer, line);
    }
  append_header_lines (buffer, object, "request_headers");

  append_heading (buffer, _("Response"));
  {
    g_autofree char *status = g_strdup_printf ("HTTP/1.1 %" G_GINT64_FORMAT " %s",
                                               json_object_get_int_member_with_default (object, "status", 0),
                                               json_object_get_string_member_with_default (object, "reason", ""));

    append_line (buffer, status);
  }
  append_header_lines (buffer, object, "headers");

  if (json_object_has_member (object, "body"))
    {
      append_heading (buffer, _("Response Body"));
      append_line (buffer, json_object_get_string_member_with_default (object, "body", ""));
    }

  return TRUE;
}

/* The open entry of the attempt @seq belongs to: the nearest open before it,
 * unless the attempt ended (a reconnect wait or a close) in between. */
static gboolean
find_open (SondeEventLog  *log,
           guint64         seq,
           SondeEntryView *open)
{
  while (seq-- > 0)
    {
      if (!sonde_event_log_get_view (log, seq, open))
        return FALSE;
      if (open->kind == SONDE_ENTRY_OPEN)
        return TRUE;
      if (open->kind == SONDE_ENTRY_RECONNECT || open->kind == SONDE_ENTRY_CLOSED)
        return FALSE;
    }

  return FALSE;
}

static void
update_headers (SondeDetailsPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->headers_view);
  const SondeEntryView *view = sonde_entry_get_view (self->entry);
  SondeEntryView open;

  gtk_text_buffer_set_text (buffer, "", 0);

  if ((view->kind == SONDE_ENTRY_OPEN || view->kind == SONDE_ENTRY_ERROR ||
       view->kind == SONDE_ENTRY_REQUEST) &&
      append_exchange (buffer, view))
    return;

  if (view->kind != SONDE_ENTRY_OPEN && self->log != NULL && find_open (self->log, view->seq, &open) &&
      append_exchange (buffer, &open))
    {
      GtkTextIter start;
      char open_seq[SONDE_ENTRY_TEXT_SHORT_SIZE];
      g_autofree char *note = NULL;

      sonde_entry_text_format_seq (open.seq, open_seq, sizeof open_seq);
      /* Translators: %s is the sequence number of the entry that opened the connection */
      note = g_strdup_printf (_("The connection of this entry, opened at entry %s"), open_seq);

      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_insert (buffer, &start, "\n\n", 2);
      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &start, note, -1, "note", NULL);
      return;
    }

  gtk_text_buffer_set_text (buffer, _("No headers: this entry did not come in on an open connection"), -1);
}

/* Copying */

/* The bytes that hex and Base64 copy: the payload, or the raw bytes of an
 * entry without one. */
static const guint8 *
copy_bytes (SondeDetailsPane *self,
            gsize            *len)
{
  const SondeEntryView *view;

  if (self->entry == NULL)
    {
      *len = 0;
      return NULL;
    }
  if (self->data != NULL)
    {
      *len = self->data_len;
      return (const guint8 *)self->data;
    }
  view = sonde_entry_get_view (self->entry);
  *len = view->raw_len;
  return view->raw;
}

/* Which command reopens the entry's connection: known from the kind for
 * the entries of one transport, else from its connection's open entry. */
static gboolean
command_transport (SondeDetailsPane *self,
                   SondeTransport   *transport)
{
  const SondeEntryView *view;

  if (self->entry == NULL || self->log == NULL)
    return FALSE;

  view = sonde_entry_get_view (self->entry);
  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
      *transport = SONDE_TRANSPORT_SSE;
      return TRUE;
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
      *transport = SONDE_TRANSPORT_WEBSOCKET;
      return TRUE;
    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      {
        g_autofree char *command = sonde_command_for_log (self->log, view->seq, FALSE, transport);

        return command != NULL;
      }
    }
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeDetailsPane *self = SONDE_DETAILS_PANE (widget);
  g_autofree char *command = NULL;

  if (self->entry != NULL && self->log != NULL)
    command = sonde_command_for_log (self->log, sonde_entry_get_seq (self->entry),
                                     self->insecure, NULL);
  /* A recording may hold no open entry before this one: nothing to copy. */
  if (command == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
}

static void
update_actions (SondeDetailsPane *self)
{
  gsize len = 0;

  copy_bytes (self, &len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-text",
                                 self->entry != NULL && (self->data == NULL || self->is_text));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-hex", len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-base64", len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.show-all",
                                 self->entry != NULL && !self->showing_all);
  {
    SondeTransport transport;
    gboolean known = command_transport (self, &transport);

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-curl",
                                   known && transport == SONDE_TRANSPORT_SSE);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-websocat",
                                   known && transport == SONDE_TRANSPORT_WEBSOCKET);
  }
  gtk_widget_set_sensitive (self->copy_button, self->entry != NULL);
}

static void
copy_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeDetailsPane *self = SONDE_DETAILS_PANE (widget);
  g_autofree char *text = NULL;

  if (self->entry == NULL)
    return;
  if (self->data != NULL)
    text = g_utf8_make_valid (self->data, (gssize)self->data_len);
  else
    text = fields_json (sonde_entry_get_view (self->entry));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
copy_hex_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gsize len;
  const guint8 *bytes = copy_bytes (SONDE_DETAILS_PANE (widget), &len);
  g_autofree char *text = sonde_bytes_to_hex (bytes, len, 0);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
copy_base64_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gsize len;
  const guint8 *bytes = copy_bytes (SONDE_DETAILS_PANE (widget), &len);
  g_autofree char *text = g_base64_encode (bytes, len);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SondeDetailsPane *self = SONDE_DETAILS_PANE (widget);

  if (self->entry == NULL || self->showing_all)
    return;
  self->showing_all = TRUE;
  update_payload (self);
  update_actions (self);
}

static void
update_style_scheme (SondeDetailsPane *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleScheme *scheme;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view));

  scheme = gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (),
                                                       adw_style_manager_get_dark (manager)
                                                       ? "Adwaita-dark" : "Adwaita");
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer), scheme);
}

static void
dark_changed_cb (SondeDetailsPane *self)
{
  update_style_scheme (self);
}

static void
update (SondeDetailsPane *self)
{
  const SondeEntryView *view;
  char seq[SONDE_ENTRY_TEXT_SHORT_SIZE];
  char size[SONDE_ENTRY_TEXT_SHORT_SIZE];
  g_autofree char *summary = NULL;

  g_clear_pointer (&self->data, g_free);
  self->data_len = 0;
  self->showing_all = FALSE;

  sonde_wire_view_set_entry (self->wire_view, self->entry);
  sonde_frame_view_set_entry (self->frame_view, self->entry);

  if (self->entry == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->content_stack), "empty");
      cancel_fill (self);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->payload_view)), "", 0);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->headers_view), "", 0);
      update_actions (self);
      return;
    }

  view = sonde_entry_get_view (self->entry);
  self->data = sonde_entry_dup_data (self->entry, &self->data_len);
  self->is_text = view->kind == SONDE_ENTRY_SSE || view->kind == SONDE_ENTRY_COMMENT ||
                  view->kind == SONDE_ENTRY_TEXT;
  /* A close frame's payload is its code and reason, which the fields say in words. */
  if (view->kind == SONDE_ENTRY_CLOSE)
    g_clear_pointer (&self->data, g_free);

  sonde_entry_text_format_seq (view->seq, seq, sizeof seq);
  sonde_entry_text_format_size (view, size, sizeof size);
  summary = g_strdup_printf ("#%s · %s · %s · %s", seq, sonde_entry_kind_get_label (view->kind),
                             sonde_direction_get_accessible_name (view->direction), size);
  gtk_label_set_label (self->summary, summary);

  update_payload (self);
  update_headers (self);
  update_actions (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->content_stack), "details");
}

static void
sonde_details_pane_dispose (GObject *object)
{
  SondeDetailsPane *self = SONDE_DETAILS_PANE (object);

  cancel_fill (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_DETAILS_PANE);
  g_clear_object (&self->entry);
  g_clear_object (&self->log);
  g_clear_pointer (&self->data, g_free);

  G_OBJECT_CLASS (sonde_details_pane_parent_class)->dispose (object);
}

static void
sonde_details_pane_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeDetailsPane *self = SONDE_DETAILS_PANE (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;

    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_details_pane_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SondeDetailsPane *self = SONDE_DETAILS_PANE (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      sonde_details_pane_set_entry (self, g_value_get_object (value));
      break;

    case PROP_LOG:
      sonde_details_pane_set_log (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_details_pane_class_init (SondeDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_details_pane_dispose;
  object_class->get_property = sonde_details_pane_get_property;
  object_class->set_property = sonde_details_pane_set_property;

  /**
   * SondeDetailsPane:entry:
   *
   * The entry shown, or %NULL.
   */
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, SONDE_TYPE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SondeDetailsPane:log:
   *
   * The log the entries come from, to find the open entry (and its
   * headers) of the connection an entry came in on.
   */
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (SONDE_TYPE_WIRE_VIEW);
  g_type_ensure (SONDE_TYPE_FRAME_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/sonde-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, summary);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, payload_view);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, truncated_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, truncated_label);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, wire_view);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, frame_view);
  gtk_widget_class_bind_template_child (widget_class, SondeDetailsPane, headers_view);

  gtk_widget_class_install_action (widget_class, "details.copy-text", NULL, copy_text_action);
  gtk_widget_class_install_action (widget_class, "details.copy-hex", NULL, copy_hex_action);
  gtk_widget_class_install_action (widget_class, "details.copy-base64", NULL, copy_base64_action);
  gtk_widget_class_install_action (widget_class, "details.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "details.copy-curl", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "details.copy-websocat", NULL,
                                   copy_command_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "details.copy-text", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "details.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "details.copy-base64", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sonde-details-pane");
}

static void
sonde_details_pane_init (SondeDetailsPane *self)
{
  GtkTextBuffer *headers;

  gtk_widget_init_template (GTK_WIDGET (self));

  headers = gtk_text_view_get_buffer (self->headers_view);
  gtk_text_buffer_create_tag (headers, "heading", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (headers, "note", "style", PANGO_STYLE_ITALIC, NULL);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
  update (self);
}

GtkWidget *
sonde_details_pane_new (void)
{
  return g_object_new (SONDE_TYPE_DETAILS_PANE, NULL);
}

/**
 * sonde_details_pane_get_entry:
 *
 * Returns: (transfer none) (nullable): the entry shown
 */
SondeEntry *
sonde_details_pane_get_entry (SondeDetailsPane *self)
{
  g_return_val_if_fail (SONDE_IS_DETAILS_PANE (self), NULL);

  return self->entry;
}

/**
 * sonde_details_pane_set_entry:
 * @entry: (nullable): the entry to show
 */
void
sonde_details_pane_set_entry (SondeDetailsPane *self,
                              SondeEntry       *entry)
{
  g_return_if_fail (SONDE_IS_DETAILS_PANE (self));
  g_return_if_fail (entry == NULL || SONDE_IS_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

/**
 * sonde_details_pane_get_log:
 *
 * Returns: (transfer none) (nullable): the log entries come from
 */
SondeEventLog *
sonde_details_pane_get_log (SondeDetailsPane *self)
{
  g_return_val_if_fail (SONDE_IS_DETAILS_PANE (self), NULL);

  return self->log;
}

void
sonde_details_pane_set_log (SondeDetailsPane *self,
                            SondeEventLog    *log)
{
  g_return_if_fail (SONDE_IS_DETAILS_PANE (self));
  g_return_if_fail (log == NULL || SONDE_IS_EVENT_LOG (log));

  if (!g_set_object (&self->log, log))
    return;

  if (self->entry != NULL)
    update_headers (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

static char *
dup_buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/**
 * sonde_details_pane_dup_payload_text:
 *
 * Returns: (transfer full): what the Payload page shows
 */
char *
sonde_details_pane_dup_payload_text (SondeDetailsPane *self)
{
  g_return_val_if_fail (SONDE_IS_DETAILS_PANE (self), NULL);

  return dup_buffer_text (GTK_TEXT_VIEW (self->payload_view));
}

/**
 * sonde_details_pane_dup_headers_text:
 *
 * Returns: (transfer full): what the Headers page shows
 */
char *
sonde_details_pane_dup_headers_text (SondeDetailsPane *self)
{
  g_return_val_if_fail (SONDE_IS_DETAILS_PANE (self), NULL);

  return dup_buffer_text (self->headers_view);
}

/**
 * sonde_details_pane_set_insecure:
 * @insecure: whether the tab accepted certificate problems
 *
 * Has "Copy as curl command" and "Copy as websocat command" let certificate
 * problems through (`--insecure`), as the tab does once its user accepted
 * them; without it the copied command would fail where the tab connects.
 */
void
sonde_details_pane_set_insecure (SondeDetailsPane *self,
                                 gboolean          insecure)
{
  g_return_if_fail (SONDE_IS_DETAILS_PANE (self));

  self->insecure = !!insecure;
}

gboolean
sonde_details_pane_get_insecure (SondeDetailsPane *self)
{
  g_return_val_if_fail (SONDE_IS_DETAILS_PANE (self), FALSE);

  return self->insecure;
}

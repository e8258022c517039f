/* test-wire-view.c: the Wire page in a real window under Xvfb: fields, unmasking, selection, 16 MiB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-hex-view.h"
#include "sonde-wire-view.h"
#include "sonde-test-util.h"
#include "sonde-ws-frame.h"

/* Generous: a loaded, shared machine under Xvfb. */
#define WAIT_MS 20000

static const guint8 key[4] = { 0x37, 0xFA, 0x21, 0x3D };

typedef struct
{
  GtkWindow     *window;
  SondeWireView *view;
  SondeHexView  *hex;
  SondeEventLog *log;
} Fixture;

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (label == NULL || (GTK_IS_LABEL (child) &&
                             g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), label) == 0)))
        return child;
      found = find_descendant (child, type, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 600);
  f->view = SONDE_WIRE_VIEW (sonde_wire_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  f->hex = SONDE_HEX_VIEW (find_descendant (GTK_WIDGET (f->view), SONDE_TYPE_HEX_VIEW, NULL));
  g_assert_nonnull (f->hex);
  f->log = sonde_event_log_new ();
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->log);
}

typedef struct
{
  SondeHexView *hex;
  guint64       before;
} DrawWait;

static gboolean
drawn_cond (gpointer data)
{
  DrawWait *wait = data;

  return sonde_hex_view_get_formatted_rows (wait->hex) > wait->before;
}

/* Waits for the next frame that draws rows; returns how many it formatted. */
static guint64
wait_for_draw (Fixture *f)
{
  DrawWait wait = { f->hex, sonde_hex_view_get_formatted_rows (f->hex) };
  guint64 after;

  gtk_widget_queue_draw (GTK_WIDGET (f->hex));
  if (!sonde_test_wait_until (drawn_cond, &wait, WAIT_MS))
    g_error ("the hex view never drew");
  /* Let that frame finish, so one frame's rows are counted, not part of them. */
  after = sonde_hex_view_get_formatted_rows (f->hex);
  return after - wait.before;
}

static SondeEntry *
add_entry (Fixture        *f,
           SondeDirection  direction,
           SondeEntryKind  kind,
           const guint8   *raw,
           gsize           raw_len)
{
  guint64 seq = sonde_event_log_append (f->log, 0, direction, kind, NULL, 0, NULL, 0, raw, raw_len);

  return sonde_entry_new (f->log, seq);
}

static void
move (Fixture      *f,
      SondeHexMove  how,
      gboolean      extend,
      guint         times)
{
  for (guint i = 0; i < times; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->hex), "hex.move", "(ib)",
                                               (int)how, extend));
}

static const char *
selection_text (Fixture *f)
{
  GtkWidget *label = NULL;
  /* The label under the hex view, with the status role. */
  GtkWidget *box = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (f->hex)));

  for (GtkWidget *w = gtk_widget_get_first_child (box);
       w != NULL && label == NULL; w = gtk_widget_get_next_sibling (w))
    {
      if (GTK_IS_LABEL (w) && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w)) ==
                              GTK_ACCESSIBLE_ROLE_STATUS)
        label = w;
    }
  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
test_create_destroy (void)
{
  GtkWidget *view = g_object_ref_sink (sonde_wire_view_new ());

  g_assert_null (sonde_wire_view_get_entry (SONDE_WIRE_VIEW (view)));
  g_assert_finalize_object (view);
}

/* An SSE block: its fields marked, the legend for lines, no unmask toggle. */
static void
test_sse_block (Fixture       *f,
                gconstpointer  data)
{
  static const char block[] = "event: update\ndata: hello\n\n";
  g_autoptr(SondeEntry) entry = add_entry (f, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                                           (const guint8 *)block, sizeof block - 1);
  g_autofree char *row = NULL;
  g_autofree char *description = NULL;
  GtkWidget *button;

  sonde_wire_view_set_entry (f->view, entry);
  g_assert_true (sonde_wire_view_get_entry (f->view) == entry);
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Field name"));
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Line end"));
  g_assert_null (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Comment"));
  g_assert_null (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Mask key"));
  button = find_descendant (GTK_WIDGET (f->view), GTK_TYPE_TOGGLE_BUTTON, NULL);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_cmpuint (wait_for_draw (f), ==, 2);

  row = sonde_hex_view_format_row (f->hex, 0);
  g_assert_true (g_str_has_prefix (row, "00000000  65 76 65 6e 74 3a 20 75  "
                                        "70 64 61 74 65 0a 64 61 "));
  g_assert_true (g_str_has_suffix (row, "event: update.da"));
  g_assert_null (sonde_hex_view_format_row (f->hex, 2));

  g_assert_cmpstr (selection_text (f), ==,
                   "Line 1, name of the event field: the byte at 0x0 is 0x65");
  move (f, SONDE_HEX_MOVE_RIGHT, TRUE, 4);
  g_assert_cmpstr (selection_text (f), ==,
                   "Line 1, name of the event field: bytes 0x0 to 0x4, 5 bytes selected, "
                   "65 76 65 6e 74");
  move (f, SONDE_HEX_MOVE_DOWN, FALSE, 1);
  g_assert_cmpstr (selection_text (f), ==,
                   "Line 2, value of the data field: the byte at 0x14 is 0x68");
  move (f, SONDE_HEX_MOVE_LEFT, TRUE, 8);
  g_assert_cmpstr (selection_text (f), ==,
                   "Line 1, value of the event field to Line 2, value of the data field: "
                   "bytes 0xc to 0x14, 9 bytes selected, 65 0a 64 61 74 61 3a 20 68");

  /* What the label says, a screen reader hears from the focused view. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->hex), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       selection_text (f));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->hex), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Wire bytes");
  description = sonde_hex_view_describe_selection (f->hex);
  g_assert_cmpstr (description, ==, selection_text (f));
}

/* A button pressed by the keyboard shows that it is pressed before it acts. */
static gboolean
unmasked_hidden (gpointer hex)
{
  return !sonde_hex_view_get_show_unmasked (hex);
}

static gboolean
unmasked_shown (gpointer hex)
{
  return sonde_hex_view_get_show_unmasked (hex);
}

/* A client's masked frame: the unmasked payload beside the bytes, on a toggle. */
static void
test_masked_frame (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(SondeEntry) entry = NULL;
  g_autofree char *row = NULL;
  g_autofree char *plain = NULL;
  GtkWidget *button;

  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_OPCODE_TEXT,
                              (const guint8 *)"Hello, world", 12, key, 0);
  entry = add_entry (f, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, raw->data, raw->len);
  sonde_wire_view_set_entry (f->view, entry);

  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Mask key"));
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Frame header"));
  /* The legend lists what the entry has: this frame's length fits its 7 bits. */
  g_assert_null (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Extended length"));
  button = find_descendant (GTK_WIDGET (f->view), GTK_TYPE_TOGGLE_BUTTON, NULL);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_true (sonde_hex_view_get_show_unmasked (f->hex));
  wait_for_draw (f);

  /* Header, key, then ten payload bytes on the first row; unmasked beside them. */
  row = sonde_hex_view_format_row (f->hex, 0);
  g_assert_nonnull (strstr (row, "81 8c 37 fa 21 3d"));
  g_assert_true (g_str_has_suffix (row, "      Hello, wor"));
  g_clear_pointer (&row, g_free);
  row = sonde_hex_view_format_row (f->hex, 1);
  g_assert_true (g_str_has_suffix (row, "ld              "));

  move (f, SONDE_HEX_MOVE_RIGHT, FALSE, 2);
  g_assert_cmpstr (selection_text (f), ==, "Frame 1, mask key: the byte at 0x2 is 0x37");
  move (f, SONDE_HEX_MOVE_RIGHT, FALSE, 4);
  g_assert_cmpstr (selection_text (f), ==, "Frame 1, masked payload: the byte at 0x6 is 0x7f");

  /* The toggle takes the column away, and brings it back. */
  gtk_widget_activate (button);
  g_assert_true (sonde_test_wait_until (unmasked_hidden, f->hex, WAIT_MS));
  wait_for_draw (f);
  plain = sonde_hex_view_format_row (f->hex, 0);
  g_assert_null (strstr (plain, "Hello"));
  g_assert_cmpuint (strlen (plain), <, strlen (row));
  gtk_widget_activate (button);
  g_assert_true (sonde_test_wait_until (unmasked_shown, f->hex, WAIT_MS));
}

/* A message in three frames: each frame's header is found where it is. */
static void
test_fragmented (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) frames = sonde_ws_message_fragment (SONDE_WS_OPCODE_TEXT,
                                                        (const guint8 *)"abcdefg", 7, 3, FALSE);
  gsize len;
  const guint8 *raw = g_bytes_get_data (frames, &len);
  g_autoptr(SondeEntry) entry = add_entry (f, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, raw, len);
  gsize start;
  gsize length;

  sonde_wire_view_set_entry (f->view, entry);
  wait_for_draw (f);
  move (f, SONDE_HEX_MOVE_RIGHT, FALSE, 5);
  g_assert_cmpstr (selection_text (f), ==, "Frame 2, header: the byte at 0x5 is 0x00");
  move (f, SONDE_HEX_MOVE_RIGHT, TRUE, 1);
  g_assert_cmpstr (selection_text (f), ==,
                   "Frame 2, header: bytes 0x5 to 0x6, 2 bytes selected, 00 03");
  move (f, SONDE_HEX_MOVE_ROW_END, FALSE, 1);
  g_assert_cmpstr (selection_text (f), ==, "Frame 3, payload: the byte at 0xc is 0x67");
  g_assert_true (sonde_hex_view_get_selection (f->hex, &start, &length));
  g_assert_cmpuint (start, ==, 12);
  g_assert_cmpuint (length, ==, 1);
  move (f, SONDE_HEX_MOVE_ROW_START, TRUE, 1);
  g_assert_true (sonde_hex_view_get_selection (f->hex, &start, &length));
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (length, ==, 13);
}

typedef struct
{
  GdkClipboard *clipboard;
  char         *text;
  gboolean      done;
} ClipboardRead;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ClipboardRead *)data)->done;
}

/* Ctrl+C copies the selection as hex. */
static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(SondeEntry) entry = NULL;
  ClipboardRead read = { 0 };

  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_OPCODE_PING, (const guint8 *)"p", 1,
                              key, 0);
  entry = add_entry (f, SONDE_DIRECTION_OUT, SONDE_ENTRY_PING, raw->data, raw->len);
  sonde_wire_view_set_entry (f->view, entry);
  sonde_hex_view_select (f->hex, 2, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->hex), "hex.copy", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->hex)), NULL,
                                 read_text_cb, &read);
  g_assert_true (sonde_test_wait_until (read_done, &read, WAIT_MS));
  g_assert_cmpstr (read.text, ==, "37 fa 21 3d");
  g_free (read.text);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->hex), "hex.select-all", NULL));
  g_assert_cmpstr (selection_text (f), ==,
                   "Frame 1, header to Frame 1, masked payload: bytes 0x0 to 0x6, "
                   "7 bytes selected, 89 81 37 fa 21 3d 47");
}

/* 16 MiB in one frame opens at once: each frame formats only what is in sight. */
static void
test_sixteen_mib (Fixture       *f,
                  gconstpointer  data)
{
  gsize size = 16 * 1024 * 1024;
  g_autofree guint8 *payload = g_malloc (size);
  g_autoptr(GByteArray) raw = g_byte_array_sized_new (size + 16);
  g_autoptr(SondeEntry) entry = NULL;
  GtkAdjustment *vadjustment;
  guint64 first;
  guint64 last;
  gsize visible;
  gsize start;
  g_autofree char *row = NULL;

  for (gsize i = 0; i < size; i++)
    payload[i] = (guint8)(i * 31);
  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_OPCODE_BINARY, payload, size, NULL, 0);
  g_clear_pointer (&payload, g_free);
  entry = add_entry (f, SONDE_DIRECTION_IN, SONDE_ENTRY_BINARY, raw->data, raw->len);

  sonde_wire_view_set_entry (f->view, entry);
  first = wait_for_draw (f);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->hex));
  visible = (gsize)(gtk_adjustment_get_page_size (vadjustment) /
                    gtk_adjustment_get_step_increment (vadjustment));
  g_assert_cmpuint (visible, >, 5);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >=,
                     (double)(raw->len / 16) * gtk_adjustment_get_step_increment (vadjustment));
  /* The rows in sight and one partly in sight, not the million there are. */
  g_assert_cmpuint (first, >=, visible);
  g_assert_cmpuint (first, <=, visible + 2);

  /* To the last byte, by the keyboard: the view follows, and still draws a screenful. */
  move (f, SONDE_HEX_MOVE_END, FALSE, 1);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >=,
                     gtk_adjustment_get_upper (vadjustment) -
                     gtk_adjustment_get_page_size (vadjustment) - 1);
  last = wait_for_draw (f);
  g_assert_cmpuint (last, <=, visible + 2);
  g_assert_true (sonde_hex_view_get_selection (f->hex, &start, NULL));
  g_assert_cmpuint (start, ==, raw->len - 1);
  g_assert_true (g_str_has_prefix (selection_text (f),
                                   "Frame 1, payload: the byte at 0x1000009 is 0x"));

  row = sonde_hex_view_format_row (f->hex, (raw->len - 1) / 16);
  g_assert_true (g_str_has_prefix (row, "01000000  "));

  move (f, SONDE_HEX_MOVE_PAGE_UP, FALSE, 1);
  g_assert_true (sonde_hex_view_get_selection (f->hex, &start, NULL));
  g_assert_cmpuint (start, ==, raw->len - 1 - visible * 16);
  move (f, SONDE_HEX_MOVE_START, FALSE, 1);
  g_assert_cmpstr (selection_text (f), ==, "Frame 1, header: the byte at 0x0 is 0x82");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, 0);
}

/* No entry, and an entry without bytes, say so instead of an empty grid. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SondeEntry) entry = add_entry (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT,
                                           NULL, 0);
  g_autoptr(SondeEntry) http = NULL;
  static const char response[] = "HTTP/1.1 403 Forbidden\r\n\r\n";
  GtkStack *stack = GTK_STACK (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_STACK, NULL));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL,
                                     "Select an entry to see its bytes on the wire"));
  sonde_wire_view_set_entry (f->view, entry);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL,
                                     "This entry has no bytes on the wire"));

  http = add_entry (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, (const guint8 *)response,
                    sizeof response - 1);
  sonde_wire_view_set_entry (f->view, http);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "bytes");
  g_assert_nonnull (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LABEL, "Bytes as received"));
  g_assert_cmpstr (selection_text (f), ==, "Bytes as received: the byte at 0x0 is 0x48");

  sonde_wire_view_set_entry (f->view, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_null (sonde_hex_view_get_entry (f->hex));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/wire-view/create-destroy", test_create_destroy);
  g_test_add ("/sonde/wire-view/sse-block", Fixture, NULL, fixture_set_up, test_sse_block,
              fixture_tear_down);
  g_test_add ("/sonde/wire-view/masked-frame", Fixture, NULL, fixture_set_up, test_masked_frame,
              fixture_tear_down);
  g_test_add ("/sonde/wire-view/fragmented", Fixture, NULL, fixture_set_up, test_fragmented,
              fixture_tear_down);
  g_test_add ("/sonde/wire-view/copy", Fixture, NULL, fixture_set_up, test_copy,
              fixture_tear_down);
  g_test_add ("/sonde/wire-view/sixteen-mib", Fixture, NULL, fixture_set_up, test_sixteen_mib,
              fixture_tear_down);
  g_test_add ("/sonde/wire-view/empty", Fixture, NULL, fixture_set_up, test_empty,
              fixture_tear_down);

  return g_test_run ();
}

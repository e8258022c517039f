/* test-frame-view.c: the Frame page in a real window under Xvfb: a row per field, problems in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-frame-view.h"
#include "sonde-json.h"
#include "sonde-test-util.h"
#include "sonde-ws-frame.h"

#define WAIT_MS 20000

typedef struct
{
  GtkWindow      *window;
  SondeFrameView *view;
  SondeEventLog  *log;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 600, 700);
  f->view = SONDE_FRAME_VIEW (sonde_frame_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
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

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Every row of the page, in order, whatever kind. */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PREFERENCES_ROW (child))
        g_ptr_array_add (rows, child);
      else
        collect_rows (child, rows);
    }
}

static GtkWidget *
find_row (SondeFrameView *view,
          const char     *title,
          guint           nth)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (view), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (row), title) == 0 && nth-- == 0)
        return GTK_WIDGET (row);
    }
  return NULL;
}

/* The selectable value a field row shows. */
static const char *
row_value (GtkWidget *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  GtkWidget *value = gtk_widget_get_last_child (box);

  g_assert_true (GTK_IS_LABEL (value));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (value)));
  return gtk_label_get_text (GTK_LABEL (value));
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return TRUE;
      if (has_label (child, text))
        return TRUE;
    }
  return FALSE;
}

static SondeEntry *
add_entry (Fixture        *f,
           SondeDirection  direction,
           SondeEntryKind  kind,
           const char     *fields,
           const guint8   *raw,
           gsize           raw_len)
{
  guint64 seq = sonde_event_log_append (f->log, 0, direction, kind, NULL, 0,
                                        fields, fields != NULL ? strlen (fields) : 0, raw, raw_len);

  return sonde_entry_new (f->log, seq);
}

static void
test_create_destroy (void)
{
  GtkWidget *view = g_object_ref_sink (sonde_frame_view_new ());

  g_assert_null (sonde_frame_view_get_entry (SONDE_FRAME_VIEW (view)));
  g_assert_finalize_object (view);
}

/* A server's close frame with a code that must not be sent: its fields, and the violation. */
static void
test_close_with_violation (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GString) fields = g_string_new ("\"code\":1005,\"reason\":\"bye\",\"violations\":[");
  g_autoptr(SondeEntry) entry = NULL;
  const char *violation = sonde_ws_violation_to_string (SONDE_WS_VIOLATION_CLOSE_CODE);
  static const char sentence[] = "The close code 1005 (No Status Received) only reports a closure "
                                 "inside a program; it must never be sent in a close frame.";
  GtkWidget *row;

  sonde_json_append_string (fields, violation, strlen (violation));
  g_string_append_c (fields, ']');
  sonde_ws_frame_append_full (raw, SONDE_WS_FIN | SONDE_WS_OPCODE_CLOSE,
                              (const guint8 *)"\x03\xed" "bye", 5, NULL, 0);
  entry = add_entry (f, SONDE_DIRECTION_IN, SONDE_ENTRY_CLOSE, fields->str, raw->data, raw->len);

  g_assert_true (sonde_test_wait_until (is_mapped, f->view, WAIT_MS));
  sonde_frame_view_set_entry (f->view, entry);
  g_assert_true (sonde_frame_view_get_entry (f->view) == entry);

  g_assert_true (has_label (GTK_WIDGET (f->view), "Frame 1 of 1"));
  g_assert_cmpstr (row_value (find_row (f->view, "FIN", 0)), ==,
                   "Set: the last frame of its message");
  g_assert_cmpstr (row_value (find_row (f->view, "RSV1", 0)), ==, "Not set");
  g_assert_cmpstr (row_value (find_row (f->view, "RSV2", 0)), ==, "Not set");
  g_assert_cmpstr (row_value (find_row (f->view, "RSV3", 0)), ==, "Not set");
  g_assert_cmpstr (row_value (find_row (f->view, "Opcode", 0)), ==, "0x8, close");
  g_assert_cmpstr (row_value (find_row (f->view, "Masked", 0)), ==, "No");
  g_assert_null (find_row (f->view, "Mask key", 0));
  g_assert_cmpstr (row_value (find_row (f->view, "Payload length", 0)), ==,
                   "5 bytes, in the 7-bit form");
  row = find_row (f->view, "Close code", 0);
  g_assert_cmpstr (row_value (row), ==, "1005, No Status Received");
  g_assert_cmpstr (row_value (find_row (f->view, "Close reason", 0)), ==, "bye");

  /* A screen reader hears the field and its value from the row itself. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Close code");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "1005, No Status Received");

  /* The violation, in words, with an icon as well as a colour. */
  row = find_row (f->view, sentence, 0);
  g_assert_nonnull (row);
  g_assert_true (adw_preferences_row_get_title_selectable (ADW_PREFERENCES_ROW (row)));
  g_assert_true (gtk_widget_has_css_class (row, "frame-problem"));
}

/* Many frames: the first ones described, the rest counted. */
static void
test_many_frames (Fixture       *f,
                  gconstpointer  data)
{
  guint n = SONDE_FRAME_VIEW_MAX_ITEMS + 10;
  g_autofree guint8 *payload = g_malloc0 (n);
  g_autoptr(GBytes) frames = sonde_ws_message_fragment (SONDE_WS_OPCODE_BINARY, payload, n, 1,
                                                        TRUE);
  gsize len;
  const guint8 *raw = g_bytes_get_data (frames, &len);
  g_autoptr(SondeEntry) entry = add_entry (f, SONDE_DIRECTION_OUT, SONDE_ENTRY_BINARY, NULL,
                                           raw, len);
  g_autofree char *last = g_strdup_printf ("Frame %u of %u", SONDE_FRAME_VIEW_MAX_ITEMS, n);

  g_assert_true (sonde_test_wait_until (is_mapped, f->view, WAIT_MS));
  sonde_frame_view_set_entry (f->view, entry);
  g_assert_true (has_label (GTK_WIDGET (f->view), last));
  g_assert_true (has_label (GTK_WIDGET (f->view), "10 more frames are not shown"));
  g_assert_nonnull (find_row (f->view, "Mask key", SONDE_FRAME_VIEW_MAX_ITEMS - 1));
  g_assert_null (find_row (f->view, "Mask key", SONDE_FRAME_VIEW_MAX_ITEMS));
}

/* Hidden, the page waits; shown, it describes the entry it was given last. */
static void
test_built_when_shown (Fixture       *f,
                       gconstpointer  data)
{
  static const char block[] = "event: tick\nid: 1\ndata: one\nretry: soon\n\n";
  g_autoptr(SondeEntry) entry = add_entry (f, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL,
                                           (const guint8 *)block, sizeof block - 1);
  g_autoptr(SondeEntry) nothing = add_entry (f, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT,
                                             "\"delay_ms\":100,\"attempt\":1", NULL, 0);

  g_assert_true (sonde_test_wait_until (is_mapped, f->view, WAIT_MS));
  g_assert_true (has_label (GTK_WIDGET (f->view), "Select an entry to see its frames"));
  gtk_widget_set_visible (GTK_WIDGET (f->view), FALSE);
  sonde_frame_view_set_entry (f->view, entry);
  g_assert_null (find_row (f->view, "event", 0));

  gtk_widget_set_visible (GTK_WIDGET (f->view), TRUE);
  g_assert_true (sonde_test_wait_until (is_mapped, f->view, WAIT_MS));
  g_assert_true (has_label (GTK_WIDGET (f->view), "Lines of the event"));
  g_assert_cmpstr (row_value (find_row (f->view, "event", 0)), ==, "tick");
  g_assert_cmpstr (row_value (find_row (f->view, "data", 0)), ==, "one");
  g_assert_nonnull (find_row (f->view, "Line 4: the retry value “soon” is not made of ASCII "
                                       "digits only, so it is ignored.", 0));

  sonde_frame_view_set_entry (f->view, nothing);
  g_assert_true (has_label (GTK_WIDGET (f->view), "This entry did not come in frames"));
  sonde_frame_view_set_entry (f->view, NULL);
  g_assert_true (has_label (GTK_WIDGET (f->view), "Select an entry to see its frames"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/frame-view/create-destroy", test_create_destroy);
  g_test_add ("/sonde/frame-view/close-with-violation", Fixture, NULL, fixture_set_up,
              test_close_with_violation, fixture_tear_down);
  g_test_add ("/sonde/frame-view/many-frames", Fixture, NULL, fixture_set_up, test_many_frames,
              fixture_tear_down);
  g_test_add ("/sonde/frame-view/built-when-shown", Fixture, NULL, fixture_set_up,
              test_built_when_shown, fixture_tear_down);

  return g_test_run ();
}

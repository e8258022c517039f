/* test-event-list.c: the event list in a real window under Xvfb, over logs of 100 to a million entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-entry-text.h"
#include "sonde-event-list.h"
#include "sonde-event-log.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-ws-frame.h"

/* Generous: a loaded, shared machine under Xvfb. */
#define WAIT_MS 20000

typedef struct
{
  GtkWindow      *window;
  SondeEventList *list;
  SondeEventLog  *log;
  GtkWidget      *list_view;
  GtkAdjustment  *vadjustment;
} Fixture;

/* The text a cell shows (a kind cell is an icon and an inscription). */
static const char *
cell_text (GtkWidget *cell)
{
  GtkWidget *child = gtk_widget_get_first_child (cell);

  if (GTK_IS_BOX (child))
    child = gtk_widget_get_last_child (child);
  g_assert_true (GTK_IS_INSCRIPTION (child));
  return gtk_inscription_get_text (GTK_INSCRIPTION (child));
}

static GtkWidget *
cell_widget (GtkWidget *row,
             guint      column)
{
  GtkWidget *cell = gtk_widget_get_first_child (row);

  for (guint i = 0; i < column && cell != NULL; i++)
    cell = gtk_widget_get_next_sibling (cell);
  g_assert_nonnull (cell);
  return gtk_widget_get_first_child (cell);
}

/* A row that shows entry @seq inside the visible part of the list. */
static GtkWidget *
visible_row (Fixture *f,
             guint64  seq)
{
  char text[32];
  double top = 0;
  double height = gtk_widget_get_height (f->list_view);

  if (height < 1)
    return NULL;

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, seq);
  for (GtkWidget *row = gtk_widget_get_first_child (f->list_view);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;
      const char *seq_text;

      if (!gtk_widget_get_mapped (row) || gtk_widget_get_first_child (row) == NULL)
        continue;
      seq_text = cell_text (gtk_widget_get_first_child (row));
      if (g_strcmp0 (seq_text, text) != 0)
        continue;
      if (!gtk_widget_compute_bounds (row, f->list_view, &bounds) || bounds.size.height < 1)
        continue;
      if (bounds.origin.y >= top - 1 && bounds.origin.y + bounds.size.height <= height + 1)
        return row;
    }

  return NULL;
}

typedef struct
{
  Fixture *f;
  guint64  seq;
} RowWait;

static gboolean
row_visible_cond (gpointer data)
{
  RowWait *wait = data;

  return visible_row (wait->f, wait->seq) != NULL;
}

static void
wait_for_row (Fixture *f,
              guint64  seq)
{
  RowWait wait = { f, seq };

  if (!sonde_test_wait_until (row_visible_cond, &wait, WAIT_MS))
    g_error ("entry %" G_GUINT64_FORMAT " never showed in the list", seq);
}

static void
append_sse (SondeEventLog *log,
            guint          i)
{
  char raw[96];
  char id[16];
  int id_len = g_snprintf (id, sizeof id, "%u", i);
  int len = g_snprintf (raw, sizeof raw, "id: %u\nevent: tick\ndata: {\"n\":%u}\n\n", i, i);

  sonde_event_log_append (log, (gint64)i * 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                          id, id_len, NULL, 0, (const guint8 *)raw, len);
}

static void
append_sse_range (SondeEventLog *log,
                  guint          from,
                  guint          to)
{
  for (guint i = from; i < to; i++)
    append_sse (log, i);
  sonde_event_log_flush_notify (log);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->log = sonde_event_log_new ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 500);
  f->list = SONDE_EVENT_LIST (sonde_event_list_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->list));
  f->list_view = sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_LIST_VIEW);
  g_assert_nonnull (f->list_view);
  f->vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (sonde_test_find_descendant (GTK_WIDGET (f->list),
                                                                                   GTK_TYPE_COLUMN_VIEW)));
  gtk_window_present (f->window);
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

static void
test_create_destroy (void)
{
  GtkWidget *list = g_object_ref_sink (sonde_event_list_new ());
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();

  sonde_event_list_set_model (SONDE_EVENT_LIST (list), G_LIST_MODEL (log));
  g_assert_true (sonde_event_list_get_model (SONDE_EVENT_LIST (list)) == G_LIST_MODEL (log));
  g_assert_null (sonde_event_list_get_selected_entry (SONDE_EVENT_LIST (list)));
  g_assert_true (sonde_event_list_get_following (SONDE_EVENT_LIST (list)));
  g_assert_finalize_object (list);
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  static const char open_fields[] = "\"status\":101,\"reason\":\"Switching Protocols\"";
  static const char error_fields[] = "\"message\":\"Connection reset by peer\",\"code\":1";
  static const char violation_fields[] = "\"violations\":[\"server frame masked\"]";
  GtkWidget *row;
  GtkWidget *kind;
  GtkWidget *image;
  GtkWidget *direction;

  sonde_event_log_append (f->log, 1000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          open_fields, strlen (open_fields), NULL, 0);
  sonde_ws_frame_append (frame, SONDE_WS_FIN | 0x1, (const guint8 *)"hi\nthere", 8, TRUE);
  sonde_event_log_append (f->log, 2500, SONDE_DIRECTION_OUT, SONDE_ENTRY_TEXT, NULL, 0, NULL, 0,
                          frame->data, frame->len);
  sonde_event_log_append (f->log, 3000, SONDE_DIRECTION_IN, SONDE_ENTRY_TEXT, NULL, 0,
                          violation_fields, strlen (violation_fields), frame->data, frame->len);
  sonde_event_log_append (f->log, 4000, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, NULL, 0,
                          error_fields, strlen (error_fields), NULL, 0);
  append_sse_range (f->log, 4, 100);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));

  /* Following: the newest entry shows first, then the top by scrolling there. */
  wait_for_row (f, 99);
  gtk_adjustment_set_value (f->vadjustment, 0);
  wait_for_row (f, 0);

  row = visible_row (f, 0);
  g_assert_cmpstr (cell_text (gtk_widget_get_first_child (row)), ==, "0");
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 1))), ==, "0.001000");
  kind = cell_widget (row, 3);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (gtk_widget_get_last_child (kind))), ==, "Open");
  g_assert_true (gtk_widget_has_css_class (kind, "lifecycle"));
  image = gtk_widget_get_first_child (kind);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (image)), ==, "network-transmit-receive-symbolic");
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 7))), ==,
                   "Connected, 101 Switching Protocols");
  g_assert_true (gtk_widget_has_css_class (cell_widget (row, 7), "lifecycle"));

  row = visible_row (f, 1);
  g_assert_nonnull (row);
  direction = cell_widget (row, 2);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (direction)), ==, "↑");
  g_assert_true (gtk_widget_has_css_class (direction, "out"));
  /* The Kind column says Text; a message that names no type of its own has none. */
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 4))), ==, "");
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 6))), ==, "14 B");
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 7))), ==, "hi\\nthere");
  g_assert_false (gtk_widget_has_css_class (cell_widget (row, 7), "problem"));
  g_assert_null (gtk_image_get_icon_name (GTK_IMAGE (gtk_widget_get_first_child (cell_widget (row, 3)))));

  /* Violations make a data entry a problem: colour and icon. */
  row = visible_row (f, 2);
  g_assert_true (gtk_widget_has_css_class (cell_widget (row, 7), "problem"));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (gtk_widget_get_first_child (cell_widget (row, 3)))), ==,
                   "dialog-warning-symbolic");

  row = visible_row (f, 3);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 7))), ==,
                   "Connection reset by peer");
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (gtk_widget_get_first_child (cell_widget (row, 3)))), ==,
                   "dialog-error-symbolic");

  row = visible_row (f, 4);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 4))), ==, "tick");
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 5))), ==, "4");
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell_widget (row, 7))), ==, "{\"n\":4}");

  /* Every cell names itself for assistive technology; the arrow and icons by their meaning. */
  row = visible_row (f, 1);
  gtk_test_accessible_assert_property (cell_widget (row, 2), GTK_ACCESSIBLE_PROPERTY_LABEL, "Outgoing");
  gtk_test_accessible_assert_property (cell_widget (row, 7), GTK_ACCESSIBLE_PROPERTY_LABEL, "hi\\nthere");
  row = visible_row (f, 3);
  gtk_test_accessible_assert_property (gtk_widget_get_first_child (cell_widget (row, 3)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Problem");
  gtk_test_accessible_assert_property (gtk_widget_get_last_child (cell_widget (row, 3)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Error");
}

/* What the button says: where it goes. With nothing more to come (a
 * finished recording, a closed connection) there is no live edge, and it
 * says “Jump to End” (before: “Jump to Live” on a finished recording). */
static void
test_jump_words (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *button = sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_BUTTON);
  GtkWidget *content = gtk_button_get_child (GTK_BUTTON (button));

  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  append_sse_range (f->log, 0, 500);
  wait_for_row (f, 499);
  gtk_adjustment_set_value (f->vadjustment, 0);
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (content)), ==,
                   "_Jump to Live");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "follow"));

  sonde_event_list_set_live (f->list, FALSE);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (content)), ==,
                   "Jump to _End");
  g_assert_null (strstr (gtk_widget_get_tooltip_text (button), "follow"));

  /* It still goes there. */
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  g_assert_true (sonde_event_list_get_following (f->list));
  wait_for_row (f, 499);
  g_assert_false (gtk_widget_get_visible (button));
}

static void
test_following (Fixture       *f,
                gconstpointer  data)
{
  double value;
  double upper;

  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  /* Appended in bursts, as a live log delivers them: the view follows. */
  for (guint burst = 0; burst < 10; burst++)
    {
      append_sse_range (f->log, burst * 100, (burst + 1) * 100);
      wait_for_row (f, (burst + 1) * 100 - 1);
    }
  g_assert_true (sonde_event_list_get_following (f->list));
  g_assert_false (gtk_widget_get_visible (sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_BUTTON)));

  /* The user scrolls up: following stops and Jump to Live shows. */
  gtk_adjustment_set_value (f->vadjustment, gtk_adjustment_get_value (f->vadjustment) / 2);
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_true (gtk_widget_get_visible (sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_BUTTON)));
  value = gtk_adjustment_get_value (f->vadjustment);
  upper = gtk_adjustment_get_upper (f->vadjustment);

  /* New entries no longer move the view. */
  append_sse_range (f->log, 1000, 1500);
  {
    struct { GtkAdjustment *adj; double upper; } grown = { f->vadjustment, upper };

    /* Wait until the list has laid out the new rows. */
    while (gtk_adjustment_get_upper (grown.adj) <= grown.upper)
      g_assert_true (g_main_context_iteration (NULL, TRUE));
  }
  sonde_test_spin (200);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (f->vadjustment), value, 0.5);
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_null (visible_row (f, 1499));

  /* Jump to Live: the newest entry shows, and the next ones are followed. */
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  g_assert_true (sonde_event_list_get_following (f->list));
  wait_for_row (f, 1499);
  append_sse_range (f->log, 1500, 1600);
  wait_for_row (f, 1599);
  g_assert_true (sonde_event_list_get_following (f->list));
  g_assert_false (gtk_widget_get_visible (sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_BUTTON)));

  /* The user selects a row (a click selects through the selection model):
   * following stops, so the row stays in view, and Jump to Live shows. */
  gtk_selection_model_select_item (gtk_list_view_get_model (GTK_LIST_VIEW (f->list_view)),
                                   1590, TRUE);
  g_assert_cmpuint (sonde_entry_get_seq (sonde_event_list_get_selected_entry (f->list)), ==, 1590);
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_true (gtk_widget_get_visible (sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_BUTTON)));
  append_sse_range (f->log, 1600, 2100);
  sonde_test_spin (200);
  g_assert_nonnull (visible_row (f, 1590));
  g_assert_null (visible_row (f, 2099));
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  g_assert_true (sonde_event_list_get_following (f->list));
  wait_for_row (f, 2099);
}

/* The row widgets the list view holds now. */
static guint
n_row_widgets (Fixture *f)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (f->list_view);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static guint
n_list_items (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (f->list_view))));
}

/* A fire hose's first items-changed brings hundreds of thousands of entries
 * to an empty list. GTK 4.8 makes a row widget for up to 200 of them at
 * once; the list lets its rows in a step at a time, a step a frame, so the
 * first frames stay short, and then follows the live edge as before. */
typedef struct
{
  Fixture *f;
  GArray  *rows;   /* the list's rows at each frame's end */
} FrameRows;

static void
record_rows_cb (GdkFrameClock *clock,
                FrameRows     *record)
{
  guint n = n_list_items (record->f);

  g_array_append_val (record->rows, n);
}

static void
test_first_rows_ramp (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  FrameRows record = { f, rows };
  GdkFrameClock *clock;
  gulong handler;

  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (f->list_view), WAIT_MS);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (record_rows_cb), &record);
  append_sse_range (f->log, 0, 20000);

  /* The one items-changed made a step of rows, not two hundred. */
  g_assert_cmpuint (n_list_items (f), >, 0);
  g_assert_cmpuint (n_list_items (f), <=, 32);
  g_assert_cmpuint (n_row_widgets (f), <=, 40);

  /* A frame or more later, every entry is there and the newest shows. */
  wait_for_row (f, 19999);
  g_signal_handler_disconnect (clock, handler);
  /* Each frame drew at most one more step while the list made its rows. */
  g_assert_cmpuint (rows->len, >, 2);
  for (guint i = 0, before = 0; i < rows->len; before = g_array_index (rows, guint, i), i++)
    if (before < 256)
      g_assert_cmpuint (g_array_index (rows, guint, i) - before, <=, 32);
  g_assert_cmpuint (n_list_items (f), ==, 20000);
  g_assert_true (sonde_event_list_get_following (f->list));

  /* Later appends to a list that has its rows come in whole. */
  append_sse_range (f->log, 20000, 21000);
  g_assert_cmpuint (n_list_items (f), ==, 21000);
  wait_for_row (f, 20999);
}

/* Whatever looks for a position, or goes to the end, sees every row at once;
 * a change among the rows shown while a ramp is under way brings in the
 * rest with it. */
static void
test_first_rows_ramp_catch_up (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GListStore) store = g_list_store_new (SONDE_TYPE_ENTRY);

  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  SONDE_TEST_WAIT_UNTIL (gtk_widget_get_mapped (f->list_view), WAIT_MS);
  append_sse_range (f->log, 0, 5000);
  g_assert_cmpuint (n_list_items (f), <, 5000);
  g_assert_true (sonde_event_list_select_seq (f->list, 4000));
  g_assert_cmpuint (n_list_items (f), ==, 5000);
  g_assert_cmpuint (sonde_entry_get_seq (sonde_event_list_get_selected_entry (f->list)), ==, 4000);
  wait_for_row (f, 4000);

  append_sse_range (f->log, 5000, 5010);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (store));
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < 3000; i++)
      g_ptr_array_add (entries, sonde_entry_new (f->log, i));
    g_list_store_splice (store, 0, 0, entries->pdata, entries->len);
  }
  g_assert_cmpuint (n_list_items (f), <, 3000);
  /* The oldest go while the rest is still to come: the rows are the store's. */
  g_list_store_splice (store, 0, 10, NULL, 0);
  g_assert_cmpuint (n_list_items (f), ==, 2990);
  {
    GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (f->list_view)));
    g_autoptr(SondeEntry) first = g_list_model_get_item (rows, 0);

    g_assert_cmpuint (sonde_entry_get_seq (first), ==, 10);
  }
  wait_for_row (f, 2999);

  /* Jump to Live shows the newest at once. */
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  append_sse_range (f->log, 5010, 5020);
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  g_assert_cmpuint (n_list_items (f), ==, 5020);
  wait_for_row (f, 5019);
}

typedef struct
{
  Fixture   *f;
  guint64    seq;
  GtkWidget *button;
} ClearWait;

/* Entry @seq's row shows, and ends above the Jump to Live button. */
static gboolean
row_clear_of_button_cond (gpointer data)
{
  ClearWait *wait = data;
  GtkWidget *row = visible_row (wait->f, wait->seq);
  graphene_rect_t row_bounds;
  graphene_rect_t button_bounds;

  return row != NULL &&
         gtk_widget_get_mapped (wait->button) &&
         gtk_widget_compute_bounds (row, GTK_WIDGET (wait->f->list), &row_bounds) &&
         gtk_widget_compute_bounds (wait->button, GTK_WIDGET (wait->f->list), &button_bounds) &&
         button_bounds.size.height > 0 &&
         row_bounds.origin.y + row_bounds.size.height <= button_bounds.origin.y + 0.5;
}

/* Jump to Live floats over the list's bottom right corner, where the last
 * rows' previews are. Selecting a row at the live edge stops following and
 * shows the button: the rows then end above it, with the newest in view. */
static void
test_jump_button_hides_no_row (Fixture       *f,
                               gconstpointer  data)
{
  GtkWidget *button = sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_BUTTON);
  ClearWait wait = { f, 299, button };

  append_sse_range (f->log, 0, 300);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  wait_for_row (f, 299);
  g_assert_false (gtk_widget_get_visible (button));

  /* As a click on the row before the last does. */
  gtk_selection_model_select_item (gtk_list_view_get_model (GTK_LIST_VIEW (f->list_view)),
                                   298, TRUE);
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_true (gtk_widget_get_visible (button));
  if (!sonde_test_wait_until (row_clear_of_button_cond, &wait, WAIT_MS))
    g_error ("the Jump to Live button hides the last row");
  /* And it stays so: the view does not follow new entries, nor slide back. */
  append_sse_range (f->log, 300, 310);
  sonde_test_spin (200);
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_true (row_clear_of_button_cond (&wait));
  g_assert_nonnull (visible_row (f, 298));
  g_assert_null (visible_row (f, 309));

  /* Back to the live edge: the button goes, and with it the room it took. */
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  wait_for_row (f, 309);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_has_css_class (f->list_view, "under-jump-button"));
}

/* Titles over numbers aligned at the end stand at the end too. */
static void
test_titles (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *title; gboolean at_end; } expected[] = {
    { "#", TRUE }, { "Time", TRUE }, { "Direction", FALSE }, { "Kind", FALSE },
    { "Type", FALSE }, { "ID", FALSE }, { "Size", TRUE }, { "Preview", FALSE },
  };
  GtkWidget *view = sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_first_child (view));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++, title = gtk_widget_get_next_sibling (title))
    {
      GtkWidget *label;

      g_assert_nonnull (title);
      label = sonde_test_find_descendant (title, GTK_TYPE_LABEL);
      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected[i].title);
      /* At the end: aligned there across the whole title's width. */
      g_assert_cmpint (gtk_label_get_xalign (GTK_LABEL (label)) == 1.0f &&
                       gtk_widget_get_hexpand (label), ==, expected[i].at_end);
    }
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_million (Fixture       *f,
              gconstpointer  data)
{
  guint notified = 0;
  SondeEntry *selected;

  append_sse_range (f->log, 0, 1000000);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  wait_for_row (f, 999999);
  g_assert_true (sonde_event_list_get_following (f->list));

  g_signal_connect (f->list, "notify::selected-entry", G_CALLBACK (notify_count_cb), &notified);
  g_assert_true (sonde_event_list_select_seq (f->list, 500000));
  g_assert_cmpuint (notified, ==, 1);
  selected = sonde_event_list_get_selected_entry (f->list);
  g_assert_nonnull (selected);
  g_assert_cmpuint (sonde_entry_get_seq (selected), ==, 500000);
  g_assert_false (sonde_event_list_get_following (f->list));
  wait_for_row (f, 500000);

  /* Appending keeps the selection and the view where they are. */
  append_sse_range (f->log, 1000000, 1000100);
  sonde_test_spin (200);
  g_assert_nonnull (visible_row (f, 500000));
  g_assert_cmpuint (sonde_entry_get_seq (sonde_event_list_get_selected_entry (f->list)), ==, 500000);
  g_assert_cmpuint (notified, ==, 1);

  /* The first row, and back to the live edge. */
  g_assert_true (sonde_event_list_select_seq (f->list, 0));
  wait_for_row (f, 0);
  g_assert_cmpuint (notified, ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.jump-to-live", NULL);
  wait_for_row (f, 1000099);
}

static void
test_select_seq_in_filter (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GListStore) store = g_list_store_new (SONDE_TYPE_ENTRY);

  /* A model that holds only some entries, as a filter does. */
  append_sse_range (f->log, 0, 50);
  for (guint i = 0; i < 50; i += 10)
    {
      g_autoptr(SondeEntry) entry = sonde_entry_new (f->log, i);

      g_list_store_append (store, entry);
    }
  sonde_event_list_set_model (f->list, G_LIST_MODEL (store));
  wait_for_row (f, 40);

  g_assert_true (sonde_event_list_select_seq (f->list, 20));
  g_assert_cmpuint (sonde_entry_get_seq (sonde_event_list_get_selected_entry (f->list)), ==, 20);
  /* Not in the model: the next entry it holds. */
  g_assert_false (sonde_event_list_select_seq (f->list, 21));
  g_assert_cmpuint (sonde_entry_get_seq (sonde_event_list_get_selected_entry (f->list)), ==, 30);

  /* The whole log instead: the selected entry stays selected, at its new row. */
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  g_assert_cmpuint (sonde_entry_get_seq (sonde_event_list_get_selected_entry (f->list)), ==, 30);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (gtk_column_view_get_model (
                   GTK_COLUMN_VIEW (sonde_test_find_descendant (GTK_WIDGET (f->list), GTK_TYPE_COLUMN_VIEW)))), 30));

  /* A model without it: nothing is selected. */
  g_list_store_remove_all (store);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (store));
  g_assert_null (sonde_event_list_get_selected_entry (f->list));
}

/* Selected before the window shows: the row is scrolled to once laid out. */
static void
test_select_before_shown (void)
{
  Fixture f = { 0 };

  f.log = sonde_event_log_new ();
  append_sse_range (f.log, 0, 1000);
  f.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f.window, 1100, 500);
  f.list = SONDE_EVENT_LIST (sonde_event_list_new ());
  gtk_window_set_child (f.window, GTK_WIDGET (f.list));
  f.list_view = sonde_test_find_descendant (GTK_WIDGET (f.list), GTK_TYPE_LIST_VIEW);
  sonde_event_list_set_model (f.list, G_LIST_MODEL (f.log));
  g_assert_true (sonde_event_list_select_seq (f.list, 500));
  g_assert_false (sonde_event_list_get_following (f.list));

  gtk_window_present (f.window);
  wait_for_row (&f, 500);
  g_assert_null (visible_row (&f, 999));

  fixture_tear_down (&f, NULL);
}

static void
test_time_format (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWidget *time;
  const char *text;
  char *german;

  append_sse_range (f->log, 0, 20);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  wait_for_row (f, 19);
  time = cell_widget (visible_row (f, 19), 1);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (time)), ==, "0.019000");

  /* The setting changes every list, and the rows already shown. */
  g_settings_set_enum (settings, "time-format", SONDE_TIME_FORMAT_CLOCK);
  g_assert_cmpint (sonde_event_list_get_time_format (f->list), ==, SONDE_TIME_FORMAT_CLOCK);
  text = gtk_inscription_get_text (GTK_INSCRIPTION (time));
  g_assert_cmpuint (strlen (text), ==, 12);
  g_assert_true (text[2] == ':' && text[5] == ':' && text[8] == '.');

  /* The header menu's action writes the setting. */
  gtk_widget_activate_action (GTK_WIDGET (f->list), "event-list.time-format", "s", "relative");
  g_assert_cmpint (g_settings_get_enum (settings, "time-format"), ==, SONDE_TIME_FORMAT_RELATIVE);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (time)), ==, "0.019000");

  /* In German both formats take a decimal comma. */
  german = sonde_test_use_german_numbers ();
  g_settings_set_enum (settings, "time-format", SONDE_TIME_FORMAT_CLOCK);
  text = gtk_inscription_get_text (GTK_INSCRIPTION (time));
  g_assert_true (text[2] == ':' && text[5] == ':' && text[8] == ',');
  g_settings_set_enum (settings, "time-format", SONDE_TIME_FORMAT_RELATIVE);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (time)), ==, "0,019000");
  sonde_test_stop_german_numbers (german);
}

/* Tab as GTK dispatches it: to the key controllers of the focus widget's
 * ancestors that listen in the capture phase, from the window down; if none
 * takes it, the window's own binding moves the focus. */
static void
press_tab (GtkWidget *window,
           gboolean   shift)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  guint keyval = shift ? GDK_KEY_ISO_Left_Tab : GDK_KEY_Tab;
  GdkModifierType state = shift ? GDK_SHIFT_MASK : 0;

  for (GtkWidget *w = gtk_root_get_focus (GTK_ROOT (window)); w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);
  for (guint i = 0; i < chain->len; i++)
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (chain->pdata[i]);

      for (guint j = 0; j < g_list_model_get_n_items (controllers); j++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, j);
          gboolean handled = FALSE;

          if (!GTK_IS_EVENT_CONTROLLER_KEY (controller) ||
              gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
            continue;
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          if (handled)
            return;
        }
    }
  gtk_widget_child_focus (window, shift ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
}

/* Tab and Shift+Tab leave the list from any row, to the controls after and
 * before it (GTK 4.8 took Tab to the next row: a live stream's thousands of
 * rows stood between a keyboard user and the details). */
static void
test_tab_leaves (void)
{
  Fixture f = { 0 };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *before = gtk_button_new_with_label ("Before");
  GtkWidget *after = gtk_button_new_with_label ("After");
  GtkWidget *row;

  fixture_set_up (&f, NULL);
  g_object_ref (f.list);
  gtk_window_set_child (f.window, box);
  gtk_widget_set_vexpand (GTK_WIDGET (f.list), TRUE);
  gtk_box_append (GTK_BOX (box), before);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f.list));
  gtk_box_append (GTK_BOX (box), after);
  g_object_unref (f.list);
  append_sse_range (f.log, 0, 50);
  sonde_event_list_set_model (f.list, G_LIST_MODEL (f.log));
  wait_for_row (&f, 6);

  row = visible_row (&f, 5);
  g_assert_true (gtk_widget_grab_focus (row));
  press_tab (GTK_WIDGET (f.window), FALSE);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) == after);

  /* Back into the list with Shift+Tab, and out of it before. */
  press_tab (GTK_WIDGET (f.window), TRUE);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f.window)),
                                         GTK_WIDGET (f.list)));
  press_tab (GTK_WIDGET (f.window), TRUE);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) == before);

  fixture_tear_down (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/event-list/create-destroy", test_create_destroy);
  g_test_add ("/sonde/event-list/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
  g_test_add ("/sonde/event-list/jump-words", Fixture, NULL, fixture_set_up, test_jump_words,
              fixture_tear_down);
  g_test_add ("/sonde/event-list/following", Fixture, NULL, fixture_set_up, test_following,
              fixture_tear_down);
  g_test_add ("/sonde/event-list/first-rows-ramp", Fixture, NULL, fixture_set_up,
              test_first_rows_ramp, fixture_tear_down);
  g_test_add ("/sonde/event-list/first-rows-ramp-catch-up", Fixture, NULL, fixture_set_up,
              test_first_rows_ramp_catch_up, fixture_tear_down);
  g_test_add ("/sonde/event-list/jump-button-hides-no-row", Fixture, NULL, fixture_set_up,
              test_jump_button_hides_no_row, fixture_tear_down);
  g_test_add ("/sonde/event-list/titles", Fixture, NULL, fixture_set_up, test_titles,
              fixture_tear_down);
  g_test_add ("/sonde/event-list/million", Fixture, NULL, fixture_set_up, test_million,
              fixture_tear_down);
  g_test_add ("/sonde/event-list/select-seq-in-filter", Fixture, NULL, fixture_set_up,
              test_select_seq_in_filter, fixture_tear_down);
  g_test_add_func ("/sonde/event-list/select-before-shown", test_select_before_shown);
  g_test_add_func ("/sonde/event-list/tab-leaves", test_tab_leaves);
  g_test_add ("/sonde/event-list/time-format", Fixture, NULL, fixture_set_up, test_time_format,
              fixture_tear_down);

  return g_test_run ();
}

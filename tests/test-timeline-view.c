/* test-timeline-view.c: the timeline in a real window under Xvfb: zoom, pan, follow, pick, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-details-pane.h"
#include "sonde-event-list.h"
#include "sonde-filter-bar.h"
#include "sonde-inspector.h"
#include "sonde-mock-server.h"
#include "sonde-session.h"
#include "sonde-test-util.h"
#include "sonde-test-widget.h"
#include "sonde-timeline-view.h"

/* Generous: a loaded, shared machine under Xvfb. */
#define WAIT_MS 20000

typedef struct
{
  GtkWindow          *window;
  SondeEventLog      *log;
  SondeTimelineView  *view;
  SondeTimelineChart *chart;
  SondeEventList     *list;
  char               *dir;
} Fixture;

/* Entries every 10 ms for 100 s: an open, then events, a comment every
 * second, and a problem at 42 s. */
static void
fill_log (SondeEventLog *log,
          guint          n)
{
  static const char open[] = "\"status\":200,\"reason\":\"OK\",\"headers\":{},\"request_headers\":{}";

  sonde_event_log_append (log, 10000, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0, open,
                          strlen (open), NULL, 0);
  for (guint i = 1; i < n; i++)
    {
      gint64 t = 10000 + (gint64)i * 10000;

      if (i == 4200)
        sonde_event_log_append (log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0,
                                "\"violations\":[\"A line was not UTF-8\"]", 37,
                                (const guint8 *)"data: \xff\n\n", 9);
      else if (i % 100 == 0)
        sonde_event_log_append (log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, 0, NULL, 0,
                                (const guint8 *)": beat\n", 7);
      else
        {
          char raw[64];
          int len = g_snprintf (raw, sizeof raw, "id: %u\ndata: {\"n\":%u}\n\n", i, i);
          char id[16];
          int id_len = g_snprintf (id, sizeof id, "%u", i);

          sonde_event_log_append (log, t, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, id, id_len, NULL, 0,
                                  (const guint8 *)raw, len);
        }
    }
  sonde_event_log_flush_notify (log);
}

static gint64
entry_time (SondeEventLog *log,
            guint64        seq)
{
  SondeEntryView view;

  g_assert_true (sonde_event_log_get_view (log, seq, &view));
  return view.time_us;
}

typedef struct
{
  Fixture *f;
  gint64   before;
} DrawWait;

static gboolean
drawn_cond (gpointer data)
{
  DrawWait *wait = data;

  return gtk_widget_get_width (GTK_WIDGET (wait->f->chart)) > 0 &&
         sonde_timeline_chart_get_drawn_at (wait->f->chart) > wait->before;
}

/* Until the chart has drawn what it shows now. */
static void
wait_drawn (Fixture *f)
{
  DrawWait wait = { f, sonde_timeline_chart_get_drawn_at (f->chart) };

  gtk_widget_queue_draw (GTK_WIDGET (f->chart));
  g_assert_true (sonde_test_wait_until (drawn_cond, &wait, WAIT_MS));
}

/* The toolbar's button for @action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      found = find_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  f->dir = sonde_test_tmp_dir_new ("sonde-test-timeline-view-XXXXXX");
  f->log = sonde_event_log_new ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 600);
  f->view = SONDE_TIMELINE_VIEW (sonde_timeline_view_new ());
  f->chart = sonde_timeline_view_get_chart (f->view);
  f->list = SONDE_EVENT_LIST (sonde_event_list_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (f->list), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->view));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->list));
  gtk_window_set_child (f->window, box);
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
  sonde_test_tmp_dir_free (f->dir);
}

static void
show_recording (Fixture *f)
{
  fill_log (f->log, 10000);
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  sonde_timeline_view_set_log (f->view, f->log);
  wait_drawn (f);
}

static void
test_create_destroy (void)
{
  GtkWidget *view = g_object_ref_sink (sonde_timeline_view_new ());
  g_autoptr(SondeEventLog) log = sonde_event_log_new ();

  sonde_timeline_view_set_log (SONDE_TIMELINE_VIEW (view), log);
  g_assert_true (sonde_timeline_view_get_log (SONDE_TIMELINE_VIEW (view)) == log);
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (SONDE_TIMELINE_VIEW (view)), ==,
                    SONDE_TIMELINE_NO_SEQ);
  g_assert_false (sonde_timeline_view_get_live (SONDE_TIMELINE_VIEW (view)));
  g_assert_finalize_object (view);
}

/* A finished log fits itself; zooming at a point keeps the time under it;
 * panning moves the time under the pointer with the pointer. */
static void
test_zoom_and_pan (Fixture       *f,
                   gconstpointer  data)
{
  static const double xs[] = { 0.0, 137.0, 500.0, 861.5 };
  static const double factors[] = { 2.0, 1.25, 7.0, 0.5, 0.8 };
  gint64 from, to;
  double width;

  show_recording (f);
  width = gtk_widget_get_width (GTK_WIDGET (f->chart));
  g_assert_cmpfloat (width, >, 500);

  /* Fitted: from the session's start past its last entry. */
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, 0);
  g_assert_cmpint (to, >, entry_time (f->log, 9999));
  g_assert_false (sonde_timeline_chart_get_following (f->chart));

  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    for (guint j = 0; j < G_N_ELEMENTS (factors); j++)
      {
        gint64 before;
        gint64 after;
        gint64 span_before;

        /* Somewhere in the middle, away from the ends the view stops at. */
        sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC);
        before = sonde_timeline_chart_x_to_time (f->chart, xs[i]);
        sonde_timeline_chart_get_range (f->chart, &from, &to);
        span_before = to - from;
        sonde_timeline_chart_zoom_at (f->chart, xs[i], factors[j]);
        after = sonde_timeline_chart_x_to_time (f->chart, xs[i]);
        sonde_timeline_chart_get_range (f->chart, &from, &to);

        g_assert_cmpint (ABS (after - before), <=, 2);
        g_assert_cmpint (ABS ((to - from) - (gint64)(span_before / factors[j])), <=, 2);
      }

  /* Dragging by 100 pixels takes the time under the pointer along. */
  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC);
  {
    gint64 before = sonde_timeline_chart_x_to_time (f->chart, 300);

    sonde_timeline_chart_pan (f->chart, 100);
    g_assert_cmpint (ABS (sonde_timeline_chart_x_to_time (f->chart, 400) - before), <=, 2);
    sonde_timeline_chart_pan (f->chart, -250);
    g_assert_cmpint (ABS (sonde_timeline_chart_x_to_time (f->chart, 150) - before), <=, 2);
  }

  /* The keyboard: + zooms at the middle, arrows pan by a tenth, Home goes
   * to the start, Ctrl+0 fits. */
  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-in", NULL));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (ABS ((from + to) / 2 - 50 * G_USEC_PER_SEC), <=, 2);
  g_assert_cmpint (ABS ((to - from) - (gint64)(20 * G_USEC_PER_SEC / 1.5)), <=, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.pan", "i", -1));
  {
    gint64 from2, to2;

    sonde_timeline_chart_get_range (f->chart, &from2, &to2);
    g_assert_cmpint (ABS ((from2 - from) - (to - from) / 10), <=, 2);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.home", NULL));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <, 0);
  g_assert_cmpint (to, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.fit", NULL));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, 0);
  g_assert_cmpint (to, >, entry_time (f->log, 9999));
}

static void
picked_cb (SondeTimelineView *view,
                    guint64            seq,
                    guint64           *picked)
{
  *picked = seq;
}

/* The tooltip names the mark under the pointer; a click on it makes it the
 * cursor and says which entry it was (the inspector then selects its row,
 * see inspector-selection). */
static void
test_tooltips_and_pick (Fixture       *f,
                        gconstpointer  data)
{
  gint64 t;
  g_autofree char *tooltip = NULL;
  guint64 picked = SONDE_TIMELINE_NO_SEQ;
  int dy_found;
  double x;
  double y;

  show_recording (f);
  g_signal_connect (f->view, "entry-activated", G_CALLBACK (picked_cb), &picked);

  /* 0.2 s around entry 5123: entries 10 ms apart each have their own mark. */
  t = entry_time (f->log, 5123);
  sonde_timeline_chart_set_range (f->chart, t - 100000, t + 100000);
  wait_drawn (f);
  x = sonde_timeline_chart_time_to_x (f->chart, t) + 2;
  /* A marks area lies above the band, a little above the middle. */
  y = gtk_widget_get_height (GTK_WIDGET (f->chart)) * 0.55;

  tooltip = sonde_timeline_chart_describe_at (f->chart, x, y);
  g_test_message ("tooltip at %.0f,%.0f: %s", x, y, tooltip);
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "#5123 "));

  g_assert_true (sonde_timeline_chart_activate_at (f->chart, x, y));
  g_assert_cmpuint (picked, ==, 5123);
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 5123);

  /* Drawn by the column, 2.3 pixels apart: the entry under the pointer
   * reads as itself, not as a column of one. */
  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 44 * G_USEC_PER_SEC);
  wait_drawn (f);
  g_clear_pointer (&tooltip, g_free);
  x = sonde_timeline_chart_time_to_x (f->chart, entry_time (f->log, 4150));
  for (int dy = -40; dy <= 40 && (tooltip == NULL || tooltip[0] != '#'); dy += 4)
    {
      g_clear_pointer (&tooltip, g_free);
      tooltip = sonde_timeline_chart_describe_at (f->chart, x, y + dy);
    }
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "#4150 "));

  /* Zoomed out, ten entries a column: its tooltip counts what it holds,
   * problems first, and a click on the problem's column picks the problem,
   * not the ordinary entry nearest in time. */
  sonde_timeline_chart_set_range (f->chart, 0, 100 * G_USEC_PER_SEC);
  wait_drawn (f);
  g_clear_pointer (&tooltip, g_free);
  x = sonde_timeline_chart_time_to_x (f->chart, entry_time (f->log, 4200)) + 0.4;
  for (dy_found = -40; dy_found <= 40; dy_found += 4)
    {
      g_clear_pointer (&tooltip, g_free);
      tooltip = sonde_timeline_chart_describe_at (f->chart, x, y + dy_found);
      if (tooltip != NULL && strstr (tooltip, "First problem") != NULL)
        break;
    }
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "First problem: #4200 "));
  g_assert_true (sonde_timeline_chart_activate_at (f->chart, x, y + dy_found));
  g_assert_cmpuint (picked, ==, 4200);
}

typedef struct
{
  char *width;
  char *height;
} SvgSize;

static void
svg_start (GMarkupParseContext  *context,
           const char           *element,
           const char          **names,
           const char          **values,
           gpointer              user_data,
           GError              **error)
{
  SvgSize *size = user_data;

  if (!g_str_equal (element, "svg") || size->width != NULL)
    return;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "width"))
        size->width = g_strdup (values[i]);
      else if (g_str_equal (names[i], "height"))
        size->height = g_strdup (values[i]);
    }
}

/* The picture at @path is a PNG as wide as an export of @chart. */
static void
assert_png_export (SondeTimelineChart *chart,
                   const char         *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==,
                   MAX (800, gtk_widget_get_width (GTK_WIDGET (chart))));
  g_assert_cmpint (gdk_texture_get_height (texture), >, gtk_widget_get_height (GTK_WIDGET (chart)));
  g_object_unref (texture);
}

/* The picture at @path is well-formed SVG as wide as an export of @chart,
 * with text in it (the heading). */
static void
assert_svg_export (SondeTimelineChart *chart,
                   const char         *path)
{
  static const GMarkupParser parser = { .start_element = svg_start };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SvgSize size = { 0 };
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  context = g_markup_parse_context_new (&parser, 0, &size, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, (gssize)len, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_nonnull (size.width);
  g_assert_cmpint (g_ascii_strtoll (size.width, NULL, 10), ==,
                   MAX (800, gtk_widget_get_width (GTK_WIDGET (chart))));
  g_assert_nonnull (strstr (text, "glyph"));
  g_free (size.width);
  g_free (size.height);
}

/* Export Image writes the range in view, as PNG or SVG. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *png_path = g_build_filename (f->dir, "view.png", NULL);
  g_autofree char *svg_path = g_build_filename (f->dir, "view.svg", NULL);
  g_autofree char *bad_path = g_build_filename (f->dir, "view.gif", NULL);
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  g_autoptr(GFile) svg = g_file_new_for_path (svg_path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;

  show_recording (f);
  sonde_timeline_chart_set_range (f->chart, 10 * G_USEC_PER_SEC, 20 * G_USEC_PER_SEC);
  sonde_timeline_view_set_title (f->view, "http://127.0.0.1/feed");

  g_assert_true (sonde_timeline_chart_export (f->chart, png, &error));
  g_assert_no_error (error);
  assert_png_export (f->chart, png_path);
  g_assert_true (sonde_timeline_chart_export (f->chart, svg, &error));
  g_assert_no_error (error);
  assert_svg_export (f->chart, svg_path);

  g_assert_false (sonde_timeline_chart_export (f->chart, bad, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
}

/* What assistive technology hears: the range, the counts, the state. */
static void
test_description (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *text = NULL;

  show_recording (f);
  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 50 * G_USEC_PER_SEC);
  text = sonde_timeline_chart_dup_description (f->chart);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "From 40.000000 s to 50.000000 s: "));
  g_assert_nonnull (strstr (text, " entries, 1 problem."));
  g_assert_nonnull (strstr (text, "Connection: Open."));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (f->chart)));
}

/* In a tab's inspector: the timeline in its slot, wired to the list */

static void
wait_until_cb (gboolean (*cond) (gpointer),
               gpointer   data)
{
  g_assert_true (sonde_test_wait_until (cond, data, WAIT_MS));
}

typedef struct
{
  Fixture *f;
  guint64  n;
} SummaryWait;

static gboolean
summary_has (gpointer data)
{
  SummaryWait *wait = data;
  SondeTimelineSummary *summary = sonde_timeline_chart_get_summary (wait->f->chart);

  return summary != NULL && sonde_timeline_summary_get_n_entries (summary) >= wait->n;
}

/* A recording that loads in pieces: the timeline shows all of it as it
 * comes, not its first seconds, while the list goes to its end; once the
 * user moves the view, more entries leave it where it is. */
static void
test_recording_loading (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SondeEventLog) whole = sonde_event_log_new ();
  SummaryWait wait = { f, 0 };
  gint64 from, to;
  guint64 n;

  fill_log (whole, 10000);
  n = g_list_model_get_n_items (G_LIST_MODEL (whole));
  sonde_event_list_set_model (f->list, G_LIST_MODEL (f->log));
  sonde_timeline_view_set_log (f->view, f->log);

  /* As a loader does: a thousand entries (10 s) at a time, each seen. */
  for (guint64 seq = 0; seq < n; seq++)
    {
      SondeEntryView view;

      g_assert_true (sonde_event_log_get_view (whole, seq, &view));
      sonde_event_log_append (f->log, view.time_us, view.direction, view.kind, view.id, view.id_len,
                              view.fields, view.fields_len, view.raw, view.raw_len);
      if ((seq + 1) % 1000 == 0 || seq + 1 == n)
        {
          sonde_event_log_flush_notify (f->log);
          wait.n = seq + 1;
          wait_until_cb (summary_has, &wait);
          wait_drawn (f);
        }
    }

  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_test_message ("range %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, from, to);
  g_assert_cmpint (from, <=, 0);
  g_assert_cmpint (to, >, entry_time (f->log, n - 1));
  g_assert_cmpint (to, <, entry_time (f->log, n - 1) + 10 * G_USEC_PER_SEC);

  /* Zoomed in by the user: what still comes does not move the view. */
  sonde_timeline_chart_zoom_at (f->chart, 100, 4);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  for (guint i = 0; i < 300; i++)
    sonde_event_log_append (f->log, entry_time (f->log, n - 1) + (i + 1) * 10000,
                            SONDE_DIRECTION_IN, SONDE_ENTRY_COMMENT, NULL, 0, NULL, 0,
                            (const guint8 *)": beat\n", 7);
  sonde_event_log_flush_notify (f->log);
  wait.n = n + 300;
  wait_until_cb (summary_has, &wait);
  wait_drawn (f);
  {
    gint64 from2, to2;

    sonde_timeline_chart_get_range (f->chart, &from2, &to2);
    g_assert_cmpint (from2, ==, from);
    g_assert_cmpint (to2, ==, to);
  }

  /* Fit shows all of it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.fit", NULL));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (to, >, entry_time (f->log, n + 299));
}

static SondeEntry *
details_entry (Fixture *f)
{
  GtkWidget *root = gtk_window_get_child (f->window);

  return sonde_details_pane_get_entry (
    SONDE_DETAILS_PANE (sonde_test_find_descendant (root, SONDE_TYPE_DETAILS_PANE)));
}

/* Finds the parts of @inspector, shown in the fixture's window. */
static void
show_inspector (Fixture   *f,
                GtkWidget *inspector)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 720);
  gtk_window_set_child (f->window, inspector);
  f->view = SONDE_TIMELINE_VIEW (sonde_test_find_descendant (inspector, SONDE_TYPE_TIMELINE_VIEW));
  g_assert_nonnull (f->view);
  f->chart = sonde_timeline_view_get_chart (f->view);
  f->list = SONDE_EVENT_LIST (sonde_test_find_descendant (inspector, SONDE_TYPE_EVENT_LIST));
  g_assert_nonnull (f->list);
  gtk_window_present (f->window);
}

static void
inspector_set_up (Fixture       *f,
                  gconstpointer  data)
{
  f->dir = sonde_test_tmp_dir_new ("sonde-test-timeline-view-XXXXXX");
  f->log = sonde_event_log_new ();
  fill_log (f->log, 10000);
  show_inspector (f, sonde_inspector_new_for_log (f->log));
  wait_drawn (f);
}

static gboolean
filter_done (gpointer data)
{
  SondeFilterModel *model = data;

  return sonde_filter_model_get_active (model) && !sonde_filter_model_get_scanning (model) &&
         sonde_filter_model_get_n_scanned (model) >= 10000;
}

static guint64
list_selected_seq (SondeEventList *list)
{
  SondeEntry *entry = sonde_event_list_get_selected_entry (list);

  return entry != NULL ? sonde_entry_get_seq (entry) : SONDE_TIMELINE_NO_SEQ;
}

/* The timeline sits in the inspector over the tab's log: a click selects
 * the row (and the details show it), the list's selection is the cursor,
 * and with a filter on, both agree on the row the list can show. */
static void
test_inspector_selection (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *inspector = gtk_window_get_child (f->window);
  SondeFilterBar *bar;
  GtkEditable *text;
  gint64 t;
  gint64 from, to;
  double x;
  double y;

  g_assert_true (sonde_timeline_view_get_log (f->view) == f->log);
  g_assert_false (sonde_timeline_view_get_live (f->view));
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, SONDE_TIMELINE_NO_SEQ);
  /* It is above the list, with room to read it. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->chart)), >=, 100);

  t = entry_time (f->log, 5123);
  sonde_timeline_chart_set_range (f->chart, t - 100000, t + 100000);
  wait_drawn (f);
  x = sonde_timeline_chart_time_to_x (f->chart, t) + 2;
  y = gtk_widget_get_height (GTK_WIDGET (f->chart)) * 0.55;
  g_assert_true (sonde_timeline_chart_activate_at (f->chart, x, y));
  g_assert_cmpuint (list_selected_seq (f->list), ==, 5123);
  g_assert_nonnull (details_entry (f));
  g_assert_cmpuint (sonde_entry_get_seq (details_entry (f)), ==, 5123);
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 5123);

  /* The list selects one far out of view: the cursor, and the view, go there. */
  g_assert_true (sonde_event_list_select_seq (f->list, 777));
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 777);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, entry_time (f->log, 777));
  g_assert_cmpint (to, >, entry_time (f->log, 777));

  /* Only the comments shown (every hundredth entry): a click on 5123 picks
   * the next row the list has, and the cursor says the same. */
  bar = SONDE_FILTER_BAR (sonde_test_find_descendant (inspector, SONDE_TYPE_FILTER_BAR));
  text = GTK_EDITABLE (sonde_test_find_descendant (GTK_WIDGET (bar), GTK_TYPE_SEARCH_ENTRY));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "filter-bar.open", NULL));
  gtk_editable_set_text (text, "beat");
  wait_until_cb (filter_done, sonde_filter_bar_get_model (bar));
  g_assert_cmpuint (list_selected_seq (f->list), ==, SONDE_TIMELINE_NO_SEQ);
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, SONDE_TIMELINE_NO_SEQ);
  sonde_timeline_chart_set_range (f->chart, t - 100000, t + 100000);
  wait_drawn (f);
  g_assert_true (sonde_timeline_chart_activate_at (f->chart, sonde_timeline_chart_time_to_x (f->chart, t) + 2, y));
  g_assert_cmpuint (list_selected_seq (f->list), ==, 5200);
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 5200);
}

/* What a key pressed while @widget has the focus does: the shortcut its
 * class installed for @keyval and @state, run as GTK runs it. */
static void
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  state)
{
  g_autoptr(GtkShortcut) shortcut = sonde_test_find_shortcut (widget, keyval, state,
                                                              GTK_PHASE_BUBBLE);

  if (shortcut == NULL)
    g_error ("No shortcut for %s on %s", gdk_keyval_name (keyval), G_OBJECT_TYPE_NAME (widget));
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                               gtk_shortcut_get_arguments (shortcut)));
}

static gboolean
chart_has_focus (gpointer data)
{
  Fixture *f = data;

  return gtk_window_get_focus (f->window) == GTK_WIDGET (f->chart);
}

/* Tab reaches the chart; there +, -, the arrows, Home, End and Ctrl+0 work;
 * it has a name and a description for assistive technology. */
static void
test_inspector_keyboard (Fixture       *f,
                         gconstpointer  data)
{
  gint64 from, to;
  gint64 from2, to2;
  guint steps = 0;
  char *label = NULL;

  gtk_window_set_focus (f->window, NULL);
  while (!chart_has_focus (f) && steps++ < 100)
    gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
  wait_until_cb (chart_has_focus, f);

  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_plus, 0);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (to - from, <, 20 * G_USEC_PER_SEC);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_minus, 0);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_minus, 0);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (to - from, >, 20 * G_USEC_PER_SEC);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_Right, 0);
  sonde_timeline_chart_get_range (f->chart, &from2, &to2);
  g_assert_cmpint (from2, >, from);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_Left, 0);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_Left, 0);
  sonde_timeline_chart_get_range (f->chart, &from2, &to2);
  g_assert_cmpint (from2, <, from);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_Home, 0);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <, 0);
  press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_End, 0);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <, entry_time (f->log, 9999));
  g_assert_cmpint (to, >, entry_time (f->log, 9999));
  g_assert_cmpint (from, >, 0);
  press_shortcut (GTK_WIDGET (f->view), GDK_KEY_0, GDK_CONTROL_MASK);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, 0);
  g_assert_cmpint (to, >, entry_time (f->log, 9999));


  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (f->chart)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
  label = sonde_timeline_chart_dup_description (f->chart);
  g_test_message ("%s", label);
  g_assert_true (g_str_has_prefix (label, "From "));
  g_assert_nonnull (strstr (label, "10000 entries"));
  g_free (label);

  /* With an entry selected in view, + and - zoom around its cursor: it
   * stays under the eye instead of drifting off an edge. */
  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 60 * G_USEC_PER_SEC);
  g_assert_true (sonde_event_list_select_seq (f->list, 4321));
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 4321);
  {
    gint64 t = entry_time (f->log, 4321);
    double x = sonde_timeline_chart_time_to_x (f->chart, t);

    for (guint i = 0; i < 4; i++)
      press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_plus, 0);
    sonde_timeline_chart_get_range (f->chart, &from, &to);
    g_assert_cmpint (to - from, <, 5 * G_USEC_PER_SEC);
    g_assert_cmpfloat (ABS (sonde_timeline_chart_time_to_x (f->chart, t) - x), <, 1.0);
    press_shortcut (GTK_WIDGET (f->chart), GDK_KEY_minus, 0);
    g_assert_cmpfloat (ABS (sonde_timeline_chart_time_to_x (f->chart, t) - x), <, 1.0);
  }
}

static gboolean
file_chooser_shown (gpointer data)
{
  return sonde_test_find_file_chooser () != NULL;
}

static void
export_through_dialog (Fixture    *f,
                       const char *name,
                       gboolean    svg)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  GtkFileChooser *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.export", NULL));
  wait_until_cb (file_chooser_shown, NULL);
  chooser = sonde_test_find_file_chooser ();
  /* A whole path in the name field, as a user may type it. */
  gtk_file_chooser_set_current_name (chooser, path);
  if (svg)
    {
      g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, 1);

      g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "SVG Image");
      gtk_file_chooser_set_filter (chooser, filter);
    }
  /* The chooser answers only once it has loaded the folder: ask until it does. */
  for (guint tries = 0; sonde_test_find_file_chooser () != NULL && tries < WAIT_MS / 100; tries++)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (sonde_test_find_file_chooser ());

      /* Never anywhere else. */
      g_assert_true (g_file_equal (chosen, target));
      gtk_dialog_response (GTK_DIALOG (sonde_test_find_file_chooser ()), GTK_RESPONSE_ACCEPT);
      sonde_test_spin (100);
    }
  g_assert_null (sonde_test_find_file_chooser ());
}

/* Export Image, as the user does it: the file chooser, a name without an
 * ending and the SVG filter, then a name ending in .png. */
static void
test_inspector_export (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *svg_path = g_build_filename (f->dir, "picture.svg", NULL);
  g_autofree char *png_path = g_build_filename (f->dir, "picture.png", NULL);

  sonde_timeline_chart_set_range (f->chart, 10 * G_USEC_PER_SEC, 20 * G_USEC_PER_SEC);
  wait_drawn (f);
  g_assert_true (gtk_widget_is_sensitive (find_button (GTK_WIDGET (f->view), "timeline.export")));

  /* The picture is written when the chooser answers. */
  export_through_dialog (f, "picture", TRUE);
  assert_svg_export (f->chart, svg_path);

  export_through_dialog (f, "picture.png", FALSE);
  assert_png_export (f->chart, png_path);

  /* A folder where nothing can be written, not even by root: the window
   * says so, naming the file. */
  {
    const char *path = "/proc/sonde-picture.png";
    g_autoptr(GFile) target = g_file_new_for_path (path);
    GtkFileChooser *chooser;
    AdwMessageDialog *dialog = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.export", NULL));
    wait_until_cb (file_chooser_shown, NULL);
    chooser = sonde_test_find_file_chooser ();
    gtk_file_chooser_set_current_name (chooser, path);
    for (guint tries = 0; sonde_test_find_file_chooser () != NULL && tries < WAIT_MS / 100; tries++)
      {
        gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
        sonde_test_spin (100);
      }
    g_assert_null (sonde_test_find_file_chooser ());
    for (guint tries = 0; dialog == NULL && tries < WAIT_MS / 100; tries++)
      {
        GList *windows = gtk_window_list_toplevels ();

        for (GList *l = windows; l != NULL; l = l->next)
          if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
            dialog = l->data;
        g_list_free (windows);
        if (dialog == NULL)
          sonde_test_spin (100);
      }
    g_assert_nonnull (dialog);
    g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                    adw_message_dialog_get_body (dialog));
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Export the Image");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), path));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
}

/* A live session's timeline */

static SondeEventLog *
make_feed (void)
{
  SondeEventLog *log = sonde_event_log_new ();

  sonde_event_log_append (log, 0, SONDE_DIRECTION_IN, SONDE_ENTRY_OPEN, NULL, 0,
                          "\"status\":200", 12, NULL, 0);
  for (guint i = 1; i <= 100; i++)
    {
      g_autofree char *raw = g_strdup_printf ("data: {\"n\":%u}\n\n", i);

      sonde_event_log_append (log, i * 20000, SONDE_DIRECTION_IN, SONDE_ENTRY_SSE, NULL, 0,
                              NULL, 0, (const guint8 *)raw, strlen (raw));
    }
  return log;
}

typedef struct
{
  SondeSession *session;
  guint64       n;
} EntriesWait;

static gboolean
has_entries (gpointer data)
{
  EntriesWait *wait = data;

  return sonde_session_get_state (wait->session) == SONDE_CONNECTION_OPEN &&
         sonde_session_get_n_entries (wait->session) >= wait->n;
}

/* Whether the timeline offers Jump to Live. */
static gboolean
live_button_shown (Fixture *f)
{
  return gtk_widget_get_visible (find_button (GTK_WIDGET (f->view), "timeline.jump-to-live"));
}

/* The view stays where it is while 20 more entries arrive. */
static void
assert_range_holds (Fixture     *f,
                    EntriesWait *wait)
{
  gint64 from, to;
  gint64 from2, to2;

  sonde_timeline_chart_get_range (f->chart, &from, &to);
  wait->n += 20;
  wait_until_cb (has_entries, wait);
  wait_drawn (f);
  sonde_timeline_chart_get_range (f->chart, &from2, &to2);
  g_assert_cmpint (from2, ==, from);
  g_assert_cmpint (to2, ==, to);
}

static gboolean
range_reaches_now (gpointer data)
{
  Fixture *f = data;
  gint64 to;

  sonde_timeline_chart_get_range (f->chart, NULL, &to);
  return to >= sonde_event_log_now (f->log) - G_USEC_PER_SEC / 2;
}

/* While the session runs, the timeline follows its edge; looking back stops
 * that (the view stays put while entries come) until Jump to Live; a
 * stopped session has no live edge. */
static void
test_inspector_live (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SondeEventLog) feed = make_feed ();
  g_autoptr(SondeMockServer) server = sonde_test_mock_server_new (feed, "speed", 1.0, "loop", TRUE,
                                                                  NULL);
  g_autofree char *url = sonde_mock_server_get_url (server, "http", "/sse");
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  SondeSession *session;
  EntriesWait wait;
  gint64 from, to;
  int height;

  config = sonde_session_config_new (url, &error);
  g_assert_no_error (error);
  session = sonde_session_new (config);
  f->dir = sonde_test_tmp_dir_new ("sonde-test-timeline-view-XXXXXX");
  f->log = g_object_ref (sonde_session_get_log (session));
  show_inspector (f, sonde_inspector_new (session));
  g_assert_false (sonde_timeline_view_get_live (f->view));

  sonde_session_start (session);
  g_assert_true (sonde_timeline_view_get_live (f->view));
  wait = (EntriesWait) { session, 30 };
  wait_until_cb (has_entries, &wait);
  wait_drawn (f);
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_false (live_button_shown (f));
  wait.n += 20;
  wait_until_cb (has_entries, &wait);
  wait_until_cb (range_reaches_now, f);

  /* Scrolled back: it stays where the user looks while entries arrive;
   * Jump to Live shows without taking height from the list. */
  height = gtk_widget_get_height (GTK_WIDGET (f->view));
  sonde_timeline_chart_pan (f->chart, 300);
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (live_button_shown (f));
  assert_range_holds (f, &wait);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->view)), ==, height);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.jump-to-live", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  wait_until_cb (range_reaches_now, f);

  /* Ctrl+scroll in zooms around the pointer, keeping the time under it
   * (in a session younger than the view too), and so looks back; out, and
   * the keys, keep following the edge. */
  {
    double x = sonde_timeline_chart_time_to_x (f->chart, sonde_event_log_now (f->log) / 2);
    gint64 before = sonde_timeline_chart_x_to_time (f->chart, x);

    sonde_timeline_chart_zoom_at (f->chart, x, 2);
    g_assert_false (sonde_timeline_chart_get_following (f->chart));
    g_assert_cmpint (ABS (sonde_timeline_chart_x_to_time (f->chart, x) - before), <=, 2);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.jump-to-live", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  sonde_timeline_chart_zoom_at (f->chart, 200, 1 / 1.2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-in", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));

  /* Panned back, then forward up to the edge: following again, as the list
   * does when scrolled back down to its end (in a view of a second, shorter
   * than the session). */
  for (guint i = 0; i < 6; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.zoom-in", NULL));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (to - from, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (sonde_event_log_now (f->log), >, to - from);
  sonde_timeline_chart_pan (f->chart, 300);
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  sonde_timeline_chart_pan (f->chart, -3000);
  g_assert_true (sonde_timeline_chart_get_following (f->chart));

  /* Fit: the whole session, and all of it still as it grows (its edge in
   * view, so nothing to jump to). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.fit", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_false (live_button_shown (f));
  wait.n += 100;
  wait_until_cb (has_entries, &wait);
  wait_until_cb (range_reaches_now, f);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, 0);
  /* Home leaves the edge, End follows it again at the zoom of the moment. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.home", NULL));
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (live_button_shown (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.end", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_false (live_button_shown (f));

  /* Export Image: the picture holds still while the file is named (as it
   * is on screen when chosen); Cancel follows the edge again, a picture
   * saved leaves the view where it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.export", NULL));
  wait_until_cb (file_chooser_shown, NULL);
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  assert_range_holds (f, &wait);
  gtk_dialog_response (GTK_DIALOG (sonde_test_find_file_chooser ()), GTK_RESPONSE_CANCEL);
  g_assert_null (sonde_test_find_file_chooser ());
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  export_through_dialog (f, "live.png", FALSE);
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  {
    g_autofree char *png = g_build_filename (f->dir, "live.png", NULL);

    assert_png_export (f->chart, png);
  }

  /* One state with the list: a row selected holds both still, the list's
   * Jump to Live takes the timeline back to the edge, and the timeline's
   * takes the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.jump-to-live", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (sonde_event_list_get_following (f->list));
  g_assert_true (sonde_event_list_select_seq (f->list, 10));
  g_assert_false (sonde_event_list_get_following (f->list));
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (live_button_shown (f));
  assert_range_holds (f, &wait);
  sonde_event_list_jump_to_live (f->list);
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  wait_until_cb (range_reaches_now, f);
  g_assert_true (sonde_event_list_select_seq (f->list, 20));
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.jump-to-live", NULL));
  g_assert_true (sonde_event_list_get_following (f->list));

  /* Stopped while Export Image waits for a name: Cancel leaves the view
   * where it is, as a finished session has no edge to go back to. */
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.export", NULL));
  wait_until_cb (file_chooser_shown, NULL);
  sonde_timeline_chart_get_range (f->chart, &from, &to);

  /* Disconnected: nothing to follow. */
  sonde_session_stop (session);
  gtk_dialog_response (GTK_DIALOG (sonde_test_find_file_chooser ()), GTK_RESPONSE_CANCEL);
  {
    gint64 from2, to2;

    sonde_timeline_chart_get_range (f->chart, &from2, &to2);
    g_assert_cmpint (from2, ==, from);
    g_assert_cmpint (to2, ==, to);
  }
  g_assert_false (sonde_timeline_view_get_live (f->view));
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  g_assert_false (live_button_shown (f));

  g_object_unref (session);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sonde/timeline-view/create-destroy", test_create_destroy);
  g_test_add ("/sonde/timeline-view/zoom-and-pan", Fixture, NULL, fixture_set_up, test_zoom_and_pan,
              fixture_tear_down);
  g_test_add ("/sonde/timeline-view/tooltips-and-pick", Fixture, NULL, fixture_set_up,
              test_tooltips_and_pick, fixture_tear_down);
  g_test_add ("/sonde/timeline-view/export", Fixture, NULL, fixture_set_up, test_export,
              fixture_tear_down);
  g_test_add ("/sonde/timeline-view/recording-loading", Fixture, NULL, fixture_set_up,
              test_recording_loading, fixture_tear_down);
  g_test_add ("/sonde/timeline-view/description", Fixture, NULL, fixture_set_up, test_description,
              fixture_tear_down);
  g_test_add ("/sonde/timeline-view/inspector-selection", Fixture, NULL, inspector_set_up,
              test_inspector_selection, fixture_tear_down);
  g_test_add ("/sonde/timeline-view/inspector-keyboard", Fixture, NULL, inspector_set_up,
              test_inspector_keyboard, fixture_tear_down);
  g_test_add ("/sonde/timeline-view/inspector-export", Fixture, NULL, inspector_set_up,
              test_inspector_export, fixture_tear_down);
  g_test_add ("/sonde/timeline-view/inspector-live", Fixture, NULL, NULL, test_inspector_live,
              fixture_tear_down);

  return g_test_run ();
}

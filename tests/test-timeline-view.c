/* test-timeline-view.c: the timeline in a real window under Xvfb: zoom, pan, follow, pick, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sonde-event-list.h"
#include "sonde-test-util.h"
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

static void
list_selection_cb (SondeEventList    *list,
                   GParamSpec        *pspec,
                   SondeTimelineView *view)
{
  SondeEntry *entry = sonde_event_list_get_selected_entry (list);

  sonde_timeline_view_set_selected_seq (view, entry != NULL ? sonde_entry_get_seq (entry)
                                                            : SONDE_TIMELINE_NO_SEQ);
}

static void
entry_activated_cb (SondeTimelineView *view,
                    guint64            seq,
                    SondeEventList    *list)
{
  sonde_event_list_select_seq (list, seq);
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

  /* Wired as the inspector wires them. */
  g_signal_connect (f->list, "notify::selected-entry", G_CALLBACK (list_selection_cb), f->view);
  g_signal_connect (f->view, "entry-activated", G_CALLBACK (entry_activated_cb), f->list);

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

/* A click on a mark selects that row in the list; the list's selection
 * comes back as the cursor, and the view moves to show it. */
static void
test_click_selects_row (Fixture       *f,
                        gconstpointer  data)
{
  gint64 t;
  gint64 from, to;
  g_autofree char *tooltip = NULL;
  SondeEntry *selected;
  double x;
  double y;

  show_recording (f);

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
  selected = sonde_event_list_get_selected_entry (f->list);
  g_assert_nonnull (selected);
  g_assert_cmpuint (sonde_entry_get_seq (selected), ==, 5123);
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 5123);

  /* The list selects an entry far out of view: the timeline goes there. */
  g_assert_true (sonde_event_list_select_seq (f->list, 777));
  g_assert_cmpuint (sonde_timeline_view_get_selected_seq (f->view), ==, 777);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (from, <=, entry_time (f->log, 777));
  g_assert_cmpint (to, >, entry_time (f->log, 777));

  /* Zoomed out, a column's tooltip counts what it holds, problems first. */
  sonde_timeline_chart_set_range (f->chart, 40 * G_USEC_PER_SEC, 44 * G_USEC_PER_SEC);
  wait_drawn (f);
  g_clear_pointer (&tooltip, g_free);
  x = sonde_timeline_chart_time_to_x (f->chart, entry_time (f->log, 4200));
  for (int dy = -40; dy <= 40 && (tooltip == NULL || strstr (tooltip, "First problem") == NULL); dy += 4)
    {
      g_clear_pointer (&tooltip, g_free);
      tooltip = sonde_timeline_chart_describe_at (f->chart, x, y + dy);
    }
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "First problem: #4200 "));
}

static void
append_events (SondeEventLog *log,
               guint          n)
{
  for (guint i = 0; i < n; i++)
    sonde_event_log_append (log, sonde_event_log_now (log), SONDE_DIRECTION_IN, SONDE_ENTRY_SSE,
                            NULL, 0, NULL, 0, (const guint8 *)"data: x\n\n", 9);
}

/* Live: it follows the edge; looking back stops that until Jump to Live. */
static void
test_following (Fixture       *f,
                gconstpointer  data)
{
  gint64 from, to;
  gint64 from2, to2;

  sonde_timeline_view_set_log (f->view, f->log);
  sonde_timeline_view_set_live (f->view, TRUE);
  append_events (f->log, 100);
  wait_drawn (f);

  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (f->view), "timeline.jump-to-live")));
  sonde_test_spin (300);
  append_events (f->log, 100);
  wait_drawn (f);
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (to, >=, sonde_event_log_now (f->log) - G_USEC_PER_SEC);

  /* Back in time: no longer following, and the button offers the way back. */
  sonde_timeline_chart_pan (f->chart, 200);
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
  g_assert_true (gtk_widget_get_visible (find_button (GTK_WIDGET (f->view), "timeline.jump-to-live")));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  sonde_test_spin (300);
  append_events (f->log, 100);
  wait_drawn (f);
  sonde_timeline_chart_get_range (f->chart, &from2, &to2);
  g_assert_cmpint (from2, ==, from);
  g_assert_cmpint (to2, ==, to);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "timeline.jump-to-live", NULL));
  g_assert_true (sonde_timeline_chart_get_following (f->chart));
  g_assert_false (gtk_widget_get_visible (find_button (GTK_WIDGET (f->view), "timeline.jump-to-live")));
  sonde_timeline_chart_get_range (f->chart, &from, &to);
  g_assert_cmpint (to, >=, sonde_event_log_now (f->log) - G_USEC_PER_SEC);

  /* The end of the session: nothing to follow any more. */
  sonde_timeline_view_set_live (f->view, FALSE);
  g_assert_false (sonde_timeline_chart_get_following (f->chart));
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
  g_autofree char *text = NULL;
  static const GMarkupParser parser = { .start_element = svg_start };
  g_autoptr(GMarkupParseContext) context = NULL;
  SvgSize size = { 0 };
  GdkTexture *texture;
  gsize len;

  show_recording (f);
  sonde_timeline_chart_set_range (f->chart, 10 * G_USEC_PER_SEC, 20 * G_USEC_PER_SEC);
  sonde_timeline_view_set_title (f->view, "http://127.0.0.1/feed");

  g_assert_true (sonde_timeline_chart_export (f->chart, png, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==,
                   MAX (800, gtk_widget_get_width (GTK_WIDGET (f->chart))));
  g_assert_cmpint (gdk_texture_get_height (texture), >, gtk_widget_get_height (GTK_WIDGET (f->chart)));
  g_object_unref (texture);

  g_assert_true (sonde_timeline_chart_export (f->chart, svg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg_path, &text, &len, &error));
  context = g_markup_parse_context_new (&parser, 0, &size, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, (gssize)len, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_nonnull (size.width);
  g_assert_cmpint (g_ascii_strtoll (size.width, NULL, 10), ==,
                   MAX (800, gtk_widget_get_width (GTK_WIDGET (f->chart))));
  /* The heading names the stream. */
  g_assert_nonnull (strstr (text, "glyph"));
  g_free (size.width);
  g_free (size.height);

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
  g_test_add ("/sonde/timeline-view/click-selects-row", Fixture, NULL, fixture_set_up,
              test_click_selects_row, fixture_tear_down);
  g_test_add ("/sonde/timeline-view/following", Fixture, NULL, fixture_set_up, test_following,
              fixture_tear_down);
  g_test_add ("/sonde/timeline-view/export", Fixture, NULL, fixture_set_up, test_export,
              fixture_tear_down);
  g_test_add ("/sonde/timeline-view/description", Fixture, NULL, fixture_set_up, test_description,
              fixture_tear_down);

  return g_test_run ();
}

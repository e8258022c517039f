/* sonde-timeline-chart.c: the drawn timeline: zoom, pan, follow the live edge, pick an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "sonde-timeline-chart.h"
#include "sonde-timeline-render.h"

/* The chart owns only a view on time (a range, whether it follows the live
 * edge) and draws with the same cairo code as `sonde timeline`. The summary
 * it reads is kept up to date by itself as the log grows; drawing costs what
 * the pixels cost, so the chart redraws on every frame while it follows a
 * live stream. */

#define MIN_SPAN_US        20
#define MAX_SPAN_US        ((gint64)400 * 24 * 3600 * G_USEC_PER_SEC)
#define LIVE_SPAN_US       (30 * G_USEC_PER_SEC)
#define KEY_ZOOM           1.5
#define KEY_PAN            0.1
#define WHEEL_ZOOM         1.2
#define WHEEL_PAN          0.08
#define CLICK_SLOP         4.0
/* Without following, a live band still grows at its end: redraw a few times a second. */
#define LIVE_REDRAW_US     (250 * 1000)
#define DESCRIBE_DELAY_MS  400

struct _SondeTimelineChart
{
  GtkWidget             parent_instance;

  SondeTimelineSummary *summary;
  gulong                changed_id;
  SondeTimelineFrame   *frame;

  gint64                from_us;
  gint64                to_us;
  gboolean              following;
  gboolean              live;
  gboolean              auto_fit;        /* the view shows the whole log as it grows (a
                                          * recording loading, a live session after Fit)
                                          * until the user moves it */
  SondeTimeFormat       time_format;
  gint64                clock_origin;
  guint64               cursor_seq;
  char                 *title;

  guint                 live_redraw_id;
  gint64                last_draw_us;
  guint                 describe_id;

  double                pointer_x;
  gint64                drag_from_us;
  gint64                drag_to_us;
  gboolean              dragged;
  gint64                zoom_anchor_us;
  double                zoom_anchor_x;
  gint64                zoom_span_us;
};

G_DEFINE_FINAL_TYPE (SondeTimelineChart, sonde_timeline_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SUMMARY,
  PROP_LIVE,
  PROP_FOLLOWING,
  PROP_CURSOR_SEQ,
  PROP_TIME_FORMAT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_description (SondeTimelineChart *self);

/* Time */

static gint64
session_start (SondeTimelineChart *self)
{
  gint64 first = 0;

  if (self->summary != NULL)
    sonde_timeline_summary_get_span (self->summary, &first, NULL);
  return MIN (0, first);
}

/* Where the session stands: now while it is live, else its last entry. */
static gint64
live_edge (SondeTimelineChart *self)
{
  gint64 last = 0;

  if (self->summary == NULL)
    return 0;
  sonde_timeline_summary_get_span (self->summary, NULL, &last);
  if (self->live)
    return MAX (last, sonde_event_log_now (sonde_timeline_summary_get_log (self->summary)));
  return last;
}

static double
plot_width (SondeTimelineChart *self)
{
  return MAX (1, gtk_widget_get_width (GTK_WIDGET (self)));
}

gint64
sonde_timeline_chart_x_to_time (SondeTimelineChart *self,
                                double              x)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), 0);

  return self->from_us + (gint64)llround (x / plot_width (self) * (double)(self->to_us - self->from_us));
}

double
sonde_timeline_chart_time_to_x (SondeTimelineChart *self,
                                gint64              time_us)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), 0.0);

  return (double)(time_us - self->from_us) / (double)MAX (1, self->to_us - self->from_us) *
         plot_width (self);
}

/* When the cursor's entry happened, while it is in the log. */
static gboolean
cursor_time (SondeTimelineChart *self,
             gint64             *time_us)
{
  SondeEntryView view;

  if (self->summary == NULL || self->cursor_seq == SONDE_TIMELINE_NO_SEQ ||
      !sonde_event_log_get_view (sonde_timeline_summary_get_log (self->summary), self->cursor_seq,
                                 &view))
    return FALSE;
  *time_us = view.time_us;
  return TRUE;
}

static void
set_following (SondeTimelineChart *self,
               gboolean            following)
{
  following = following && self->live;
  if (self->following == following)
    return;
  self->following = following;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

/* The user moved the view: it stays where they put it, neither following
 * the live edge nor fitting a recording that is still loading. */
static void
look_away (SondeTimelineChart *self)
{
  self->auto_fit = FALSE;
  set_following (self, FALSE);
}

/* Moves the view, keeping it within reach of the session when @bounded. */
static void
move_to_full (SondeTimelineChart *self,
              gint64              from_us,
              gint64              to_us,
              gboolean            bounded)
{
  gint64 span = CLAMP (to_us - from_us, MIN_SPAN_US, MAX_SPAN_US);
  gint64 start = session_start (self);
  gint64 edge = MAX (live_edge (self), start + MIN_SPAN_US);

  /* Half a view of nothing at either end, no more; a session younger than
   * the view starts at its left edge, not in the middle after negative times. */
  if (bounded)
    {
      from_us = MAX (from_us, start - span / 2);
      from_us = MIN (from_us, MAX (edge - span / 2, start - span / 50));
    }
  if (from_us == self->from_us && from_us + span == self->to_us)
    return;

  self->from_us = from_us;
  self->to_us = from_us + span;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_description (self);
}

static void
move_to (SondeTimelineChart *self,
         gint64              from_us,
         gint64              to_us)
{
  move_to_full (self, from_us, to_us, TRUE);
}

static void
follow_edge (SondeTimelineChart *self)
{
  gint64 span = self->to_us - self->from_us;
  gint64 edge = live_edge (self);

  gint64 from = MAX (edge + span / 50 - span, session_start (self) - span / 50);

  /* A little room after the edge, so that the newest mark is not cut; a
   * session younger than the view fills it from the left. */
  move_to (self, from, from + span);
}

void
sonde_timeline_chart_get_range (SondeTimelineChart *self,
                                gint64             *from_us,
                                gint64             *to_us)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  if (from_us != NULL)
    *from_us = self->from_us;
  if (to_us != NULL)
    *to_us = self->to_us;
}

/**
 * sonde_timeline_chart_set_range:
 *
 * Shows [@from_us, @to_us), no longer following the live edge.
 */
void
sonde_timeline_chart_set_range (SondeTimelineChart *self,
                                gint64              from_us,
                                gint64              to_us)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  look_away (self);
  move_to (self, from_us, to_us);
}

/* Shows @span with @anchor_us at @x. While following the live edge, the
 * edge stays put instead, unless @look (the pointer zooming in on what it
 * points at): that is looking back, and stops following. */
static void
zoom_to (SondeTimelineChart *self,
         gint64              anchor_us,
         double              x,
         gint64              span,
         gboolean            look)
{
  gint64 from;

  self->auto_fit = FALSE;
  if (self->following && !(look && span < self->to_us - self->from_us))
    {
      self->from_us = self->to_us - span;
      follow_edge (self);
      return;
    }
  set_following (self, FALSE);
  from = anchor_us - (gint64)llround (x / plot_width (self) * (double)span);
  /* Zooming in on a moment of the session shows less of what lies around
   * it, never more nothing: the moment stays under the pointer even where
   * the bounds would move a view of that width (a session younger than it). */
  move_to_full (self, from, from + span,
                !(span < self->to_us - self->from_us &&
                  anchor_us >= session_start (self) && anchor_us <= live_edge (self)));
}

static void
zoom_by (SondeTimelineChart *self,
         double              x,
         double              factor,
         gboolean            look)
{
  zoom_to (self, sonde_timeline_chart_x_to_time (self, x), x,
           (gint64)CLAMP ((double)(self->to_us - self->from_us) / factor, MIN_SPAN_US, MAX_SPAN_US),
           look);
}

/**
 * sonde_timeline_chart_zoom_at:
 * @x: where the pointer is, in the chart's coordinates
 * @factor: more than 1 zooms in, less than 1 out
 *
 * Zooms keeping the time under @x where it is (Ctrl+scroll). While
 * following the live edge, zooming out keeps the edge where it is, and
 * zooming in on the time under @x stops following.
 */
void
sonde_timeline_chart_zoom_at (SondeTimelineChart *self,
                              double              x,
                              double              factor)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));
  g_return_if_fail (factor > 0);

  zoom_by (self, x, factor, TRUE);
}

/* Pans to [@from_us, @to_us); a pan that reaches the live edge follows it
 * again, as the list does when scrolled back down to its end. */
static void
pan_to (SondeTimelineChart *self,
        gint64              from_us,
        gint64              to_us)
{
  gint64 to_before = self->to_us;
  gint64 edge;

  move_to (self, from_us, to_us);
  if (!self->live || self->following)
    return;
  edge = live_edge (self);
  if (to_before < edge && self->to_us >= edge)
    {
      set_following (self, TRUE);
      follow_edge (self);
    }
}

/**
 * sonde_timeline_chart_pan:
 * @dx: pixels to move the picture by: positive shows earlier times
 *
 * Going back in time stops following the live edge; going forward up to
 * it follows it again.
 */
void
sonde_timeline_chart_pan (SondeTimelineChart *self,
                          double              dx)
{
  gint64 shift;

  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  shift = (gint64)llround (-dx / plot_width (self) * (double)(self->to_us - self->from_us));
  if (shift < 0)
    set_following (self, FALSE);
  if (self->following)
    return;
  self->auto_fit = FALSE;
  pan_to (self, self->from_us + shift, self->to_us + shift);
}

static void
fit_whole (SondeTimelineChart *self)
{
  gint64 start = session_start (self);
  gint64 span = MAX (live_edge (self) - start, G_USEC_PER_SEC);

  move_to (self, start, start + span + span / 25);
}

/**
 * sonde_timeline_chart_fit:
 *
 * Shows the whole session, from its start to its live edge, and keeps
 * showing all of it as it grows (a live session, a recording loading) until
 * the user moves the view. A live session's edge stays in view: the chart
 * still follows it, only at a zoom that shrinks.
 */
void
sonde_timeline_chart_fit (SondeTimelineChart *self)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  self->auto_fit = TRUE;
  set_following (self, TRUE);
  fit_whole (self);
}

/**
 * sonde_timeline_chart_jump_to_live:
 *
 * Follows the live edge again, at the current zoom.
 */
void
sonde_timeline_chart_jump_to_live (SondeTimelineChart *self)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  self->auto_fit = FALSE;
  if (!self->live)
    {
      /* A finished session has an end, not a live edge: go there. */
      gint64 span = self->to_us - self->from_us;
      gint64 edge = live_edge (self);

      move_to (self, edge + span / 25 - span, edge + span / 25);
      return;
    }
  set_following (self, TRUE);
  follow_edge (self);
}

static void
go_home (SondeTimelineChart *self)
{
  gint64 span = self->to_us - self->from_us;
  gint64 start = session_start (self);

  look_away (self);
  move_to (self, start - span / 25, start - span / 25 + span);
}

/* Drawing */

static PangoFontDescription *
chart_font (SondeTimelineChart *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (context));
  int size = pango_font_description_get_size (font);

  /* A little smaller than the interface's text, as chart labels are. */
  if (size > 0)
    pango_font_description_set_size (font, size * 8 / 10);
  return font;
}

static void
fill_options (SondeTimelineChart   *self,
              SondeTimelineOptions *options)
{
  sonde_timeline_options_init (options);
  options->from_us = self->from_us;
  options->to_us = self->to_us;
  options->end_us = self->live ? live_edge (self) : G_MININT64;
  options->time_format = self->time_format;
  options->clock_origin = self->clock_origin;
  options->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  options->cursor_seq = self->cursor_seq;
  options->scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
sonde_timeline_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (widget);
  g_autoptr(PangoFontDescription) font = chart_font (self);
  SondeTimelineOptions options;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->summary == NULL || width <= 0 || height <= 0)
    return;

  fill_options (self, &options);
  options.font = font;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sonde_timeline_render (cr, width, height, &self->summary, NULL, 1, &options, self->frame);
  cairo_destroy (cr);
  self->last_draw_us = g_get_monotonic_time ();
}

/* A live chart redraws on a timeout at idle priority, not on a tick
 * callback: a tick callback makes GTK draw every frame, and where a frame
 * takes longer than the display's interval (a software renderer on a
 * loaded machine) the main loop then never gets below the redraw's
 * priority, and idle work starves (the accessibility bus never heard of
 * the window). New entries still draw on the next frame (summary_changed_cb);
 * this only moves the picture with the clock: once per pixel of motion
 * while following (at most 30 times a second), a few times a second
 * otherwise, as a live band still grows at its end. */
static void update_live_redraw (SondeTimelineChart *self);

static guint
live_redraw_interval_ms (SondeTimelineChart *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gint64 per_pixel_ms;

  if (!self->following || width <= 0)
    return LIVE_REDRAW_US / 1000;
  per_pixel_ms = (self->to_us - self->from_us) / width / 1000;
  return (guint)CLAMP (per_pixel_ms, 33, LIVE_REDRAW_US / 1000);
}

static gboolean
live_redraw_cb (gpointer user_data)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (user_data);

  self->live_redraw_id = 0;
  if (self->auto_fit)
    fit_whole (self);
  else if (self->following)
    /* The view may stand still (a session younger than it), the picture not. */
    follow_edge (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_live_redraw (self);

  return G_SOURCE_REMOVE;
}

static void
update_live_redraw (SondeTimelineChart *self)
{
  gboolean want = self->live && self->summary != NULL;

  if (want && self->live_redraw_id == 0)
    self->live_redraw_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE,
                                               live_redraw_interval_ms (self),
                                               live_redraw_cb, self, NULL);
  else if (!want)
    g_clear_handle_id (&self->live_redraw_id, g_source_remove);
}

static void
summary_changed_cb (SondeTimelineChart *self)
{
  /* A finished log shows all of itself, also while a recording loads: the
   * first entries read are not all there is. */
  if (self->auto_fit && sonde_timeline_summary_get_n_entries (self->summary) > 0)
    fit_whole (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_description (self);
}

static void
dark_changed_cb (SondeTimelineChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Accessibility */

/**
 * sonde_timeline_chart_dup_description:
 *
 * Returns: (transfer full): what the chart shows, in words
 */
char *
sonde_timeline_chart_dup_description (SondeTimelineChart *self)
{
  SondeTimelineOptions options;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), NULL);

  if (self->summary == NULL)
    return g_strdup (_("Nothing to show yet"));
  fill_options (self, &options);
  shown = sonde_timeline_describe (self->summary, &options);
  if (self->following)
    /* Translators: the timeline's description: what it shows, then that it moves with the stream */
    return g_strdup_printf (_("%s Following the live edge."), shown);
  return g_steal_pointer (&shown);
}

static gboolean
describe_cb (gpointer user_data)
{
  SondeTimelineChart *self = user_data;
  g_autofree char *description = sonde_timeline_chart_dup_description (self);

  self->describe_id = 0;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  return G_SOURCE_REMOVE;
}

static void
schedule_description (SondeTimelineChart *self)
{
  /* What changes every frame is told a few times a second at most. */
  if (self->describe_id == 0)
    self->describe_id = g_timeout_add (DESCRIBE_DELAY_MS, describe_cb, self);
}

/* Input */

/* Where entries are drawn by the column (SONDE_TIMELINE_HIT_BIN), what
 * lies within @reach pixels of @x: the first problem there (problems are
 * drawn in every column that holds one), and whether one entry alone lies
 * there. */
#define NEAR_PIXELS      1.0
#define PROBLEM_PIXELS   2.0
#define LONE_READ_LIMIT  16

static gboolean
lone_entry_at (SondeTimelineChart *self,
               double              x,
               guint64            *seq)
{
  SondeEventLog *log = sonde_timeline_summary_get_log (self->summary);
  gint64 from = sonde_timeline_chart_x_to_time (self, x - NEAR_PIXELS);
  gint64 to = sonde_timeline_chart_x_to_time (self, x + NEAR_PIXELS) + 1;
  guint64 first, end;
  guint found = 0;

  /* The run may begin and end a level-0 bucket away: read the times. */
  if (!sonde_timeline_summary_seq_range (self->summary, from, to, &first, &end) ||
      end - first > LONE_READ_LIMIT)
    return FALSE;
  for (guint64 i = first; i < end && found < 2; i++)
    {
      SondeEntryView view;

      if (sonde_event_log_get_view (log, i, &view) && view.time_us >= from && view.time_us < to)
        {
          *seq = i;
          found++;
        }
    }
  return found == 1;
}

static gboolean
problem_near (SondeTimelineChart *self,
              double              x,
              guint64            *seq)
{
  gint64 from = sonde_timeline_chart_x_to_time (self, x - PROBLEM_PIXELS);
  gint64 to = sonde_timeline_chart_x_to_time (self, x + PROBLEM_PIXELS) + 1;
  SondeTimelineCounts counts;

  sonde_timeline_counts_clear (&counts);
  sonde_timeline_summary_fill_bins (self->summary, from, to - from, 1, 4096, &counts);
  *seq = counts.first_problem_seq;
  return *seq != SONDE_TIMELINE_NO_SEQ;
}

/**
 * sonde_timeline_chart_describe_at:
 *
 * Returns: (transfer full) (nullable): what the chart last drew at (@x, @y),
 *   in words: an entry's summary, a column's counts, a stretch of the band
 */
char *
sonde_timeline_chart_describe_at (SondeTimelineChart *self,
                                  double              x,
                                  double              y)
{
  SondeTimelineHit hit;

  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), NULL);

  if (self->summary == NULL || !sonde_timeline_frame_hit (self->frame, x, y, &hit))
    return NULL;
  /* A column that holds only the entry under the pointer is that entry:
   * its summary says more than “1 entry”. */
  if (hit.kind == SONDE_TIMELINE_HIT_BIN && lone_entry_at (self, x, &hit.seq))
    hit.kind = SONDE_TIMELINE_HIT_ENTRY;
  return sonde_timeline_frame_describe_hit (self->frame, &hit);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  g_autofree char *text = NULL;

  if (keyboard)
    return FALSE;
  text = sonde_timeline_chart_describe_at (SONDE_TIMELINE_CHART (widget), x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SondeTimelineChart       *self)
{
  self->pointer_x = x;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SondeTimelineChart       *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      sonde_timeline_chart_zoom_at (self, self->pointer_x, pow (WHEEL_ZOOM, -dy));
      return TRUE;
    }
  /* Scrolling moves through time: down or right goes later. */
  sonde_timeline_chart_pan (self, -(dx + dy) * WHEEL_PAN * plot_width (self));
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag     *gesture,
               double              x,
               double              y,
               SondeTimelineChart *self)
{
  self->drag_from_us = self->from_us;
  self->drag_to_us = self->to_us;
  self->dragged = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag     *gesture,
                double              offset_x,
                double              offset_y,
                SondeTimelineChart *self)
{
  gint64 shift;

  if (!self->dragged && ABS (offset_x) < CLICK_SLOP)
    return;
  self->dragged = TRUE;
  shift = (gint64)llround (-offset_x / plot_width (self) * (double)(self->drag_to_us - self->drag_from_us));
  if (shift < 0 || !self->following)
    {
      look_away (self);
      pan_to (self, self->drag_from_us + shift, self->drag_to_us + shift);
    }
}

static void
released_cb (GtkGestureClick    *gesture,
             int                 n_press,
             double              x,
             double              y,
             SondeTimelineChart *self)
{
  if (self->dragged)
    return;
  sonde_timeline_chart_activate_at (self, x, y);
}

static void
zoom_begin_cb (GtkGesture         *gesture,
               GdkEventSequence   *sequence,
               SondeTimelineChart *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    x = plot_width (self) / 2;
  self->zoom_anchor_x = x;
  self->zoom_anchor_us = sonde_timeline_chart_x_to_time (self, x);
  self->zoom_span_us = self->to_us - self->from_us;
}

static void
zoom_scale_changed_cb (GtkGestureZoom     *gesture,
                       double              scale,
                       SondeTimelineChart *self)
{
  if (scale <= 0)
    return;
  zoom_to (self, self->zoom_anchor_us, self->zoom_anchor_x,
           (gint64)CLAMP ((double)self->zoom_span_us / scale, MIN_SPAN_US, MAX_SPAN_US), TRUE);
}

/**
 * sonde_timeline_chart_activate_at:
 *
 * Picks the entry at (@x, @y), or the nearest in time to @x, makes it the
 * cursor and says so with #SondeTimelineChart::entry-activated.
 *
 * Returns: whether there was an entry to pick
 */
gboolean
sonde_timeline_chart_activate_at (SondeTimelineChart *self,
                                  double              x,
                                  double              y)
{
  SondeTimelineHit hit;
  guint64 seq;

  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), FALSE);

  if (self->summary == NULL)
    return FALSE;
  if (sonde_timeline_frame_hit (self->frame, x, y, &hit) &&
      (hit.kind == SONDE_TIMELINE_HIT_ENTRY || hit.kind == SONDE_TIMELINE_HIT_NOTE))
    seq = hit.seq;
  /* A column's problem mark is what a click on it means (its tooltip names
   * it too), not whichever ordinary entry is nearest in time. */
  else if (hit.kind == SONDE_TIMELINE_HIT_BIN && problem_near (self, x, &seq))
    ;
  else if (!sonde_timeline_summary_find_nearest (self->summary, sonde_timeline_chart_x_to_time (self, x),
                                                 &seq))
    return FALSE;

  sonde_timeline_chart_set_cursor_seq (self, seq);
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, seq);
  return TRUE;
}

/* The keys zoom around the cursor (the entry selected in the list) while it
 * is in view, as the user looks at it; else around the middle. */
static double
key_zoom_x (SondeTimelineChart *self)
{
  gint64 time;

  if (cursor_time (self, &time) && time >= self->from_us && time < self->to_us)
    return sonde_timeline_chart_time_to_x (self, time);
  return plot_width (self) / 2;
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (widget);

  zoom_by (self, key_zoom_x (self), KEY_ZOOM, FALSE);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (widget);

  zoom_by (self, key_zoom_x (self), 1 / KEY_ZOOM, FALSE);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (widget);

  sonde_timeline_chart_pan (self, g_variant_get_int32 (parameter) * KEY_PAN * plot_width (self));
}

static void
home_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  go_home (SONDE_TIMELINE_CHART (widget));
}

static void
end_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  sonde_timeline_chart_jump_to_live (SONDE_TIMELINE_CHART (widget));
}

/* Export */

/**
 * sonde_timeline_chart_export:
 * @file: a name ending in .png or .svg
 *
 * Saves the range in view as a picture, as `sonde timeline` draws it: with
 * a heading and a legend, at least 800 pixels wide.
 *
 * Returns: whether the picture was written
 */
gboolean
sonde_timeline_chart_export (SondeTimelineChart  *self,
                             GFile               *file,
                             GError             **error)
{
  g_autofree char *subtitle = NULL;
  SondeTimelineOptions options;
  int width;
  int height;

  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->summary == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("There is no timeline to save yet"));
      return FALSE;
    }

  width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 800);
  height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 200) + 90;
  fill_options (self, &options);
  options.legend = TRUE;
  options.margin = 16;
  options.title = self->title;
  subtitle = sonde_timeline_describe (self->summary, &options);
  options.subtitle = subtitle;

  return sonde_timeline_render_to_file (file, width, height, &self->summary, NULL, 1, &options, error);
}

/* Object */

static void
sonde_timeline_chart_dispose (GObject *object)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (object);

  g_clear_handle_id (&self->describe_id, g_source_remove);
  g_clear_handle_id (&self->live_redraw_id, g_source_remove);
  if (self->summary != NULL)
    g_clear_signal_handler (&self->changed_id, self->summary);
  g_clear_object (&self->summary);

  G_OBJECT_CLASS (sonde_timeline_chart_parent_class)->dispose (object);
}

static void
sonde_timeline_chart_finalize (GObject *object)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (object);

  g_clear_pointer (&self->frame, sonde_timeline_frame_free);
  g_free (self->title);

  G_OBJECT_CLASS (sonde_timeline_chart_parent_class)->finalize (object);
}

static void
sonde_timeline_chart_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_object (value, self->summary);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    case PROP_CURSOR_SEQ:
      g_value_set_uint64 (value, self->cursor_seq);
      break;
    case PROP_TIME_FORMAT:
      g_value_set_enum (value, self->time_format);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_timeline_chart_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SondeTimelineChart *self = SONDE_TIMELINE_CHART (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      sonde_timeline_chart_set_summary (self, g_value_get_object (value));
      break;
    case PROP_LIVE:
      sonde_timeline_chart_set_live (self, g_value_get_boolean (value));
      break;
    case PROP_CURSOR_SEQ:
      sonde_timeline_chart_set_cursor_seq (self, g_value_get_uint64 (value));
      break;
    case PROP_TIME_FORMAT:
      sonde_timeline_chart_set_time_format (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_timeline_chart_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 800;
    }
  else
    {
      /* Small enough that the inspector's default size shows all of it (its
       * paned hides the top of what does not fit); the natural height has
       * room for the notes and the rate graph. */
      *minimum = 80;
      *natural = 160;
    }
}

static void
sonde_timeline_chart_class_init (SondeTimelineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_timeline_chart_dispose;
  object_class->finalize = sonde_timeline_chart_finalize;
  object_class->get_property = sonde_timeline_chart_get_property;
  object_class->set_property = sonde_timeline_chart_set_property;
  widget_class->snapshot = sonde_timeline_chart_snapshot;
  widget_class->measure = sonde_timeline_chart_measure;

  properties[PROP_SUMMARY] =
    g_param_spec_object ("summary", NULL, NULL, SONDE_TYPE_TIMELINE_SUMMARY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURSOR_SEQ] =
    g_param_spec_uint64 ("cursor-seq", NULL, NULL, 0, G_MAXUINT64, SONDE_TIMELINE_NO_SEQ,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_FORMAT] =
    g_param_spec_enum ("time-format", NULL, NULL, SONDE_TYPE_TIME_FORMAT, SONDE_TIME_FORMAT_RELATIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SondeTimelineChart::entry-activated:
   * @seq: the entry picked
   */
  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_install_action (widget_class, "chart.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "chart.pan", "i", pan_action);
  gtk_widget_class_install_action (widget_class, "chart.home", NULL, home_action);
  gtk_widget_class_install_action (widget_class, "chart.end", NULL, end_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "chart.pan", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "chart.pan", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Home, 0, "chart.home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.end", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_End, 0, "chart.end", NULL);

  gtk_widget_class_set_css_name (widget_class, "sonde-timeline-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sonde_timeline_chart_init (SondeTimelineChart *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->frame = sonde_timeline_frame_new ();
  self->cursor_seq = SONDE_TIMELINE_NO_SEQ;
  self->from_us = -LIVE_SPAN_US;
  self->to_us = 0;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "enter", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Nothing to show yet"),
                                  -1);
}

GtkWidget *
sonde_timeline_chart_new (void)
{
  return g_object_new (SONDE_TYPE_TIMELINE_CHART, NULL);
}

/**
 * sonde_timeline_chart_get_summary:
 *
 * Returns: (transfer none) (nullable): what the chart draws
 */
SondeTimelineSummary *
sonde_timeline_chart_get_summary (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), NULL);

  return self->summary;
}

void
sonde_timeline_chart_set_summary (SondeTimelineChart   *self,
                                  SondeTimelineSummary *summary)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));
  g_return_if_fail (summary == NULL || SONDE_IS_TIMELINE_SUMMARY (summary));

  if (self->summary == summary)
    return;

  if (self->summary != NULL)
    g_clear_signal_handler (&self->changed_id, self->summary);
  g_set_object (&self->summary, summary);
  self->auto_fit = !self->live;
  if (summary != NULL)
    {
      self->changed_id = g_signal_connect_swapped (summary, "changed", G_CALLBACK (summary_changed_cb), self);
      if (self->live)
        {
          set_following (self, TRUE);
          self->from_us = self->to_us - LIVE_SPAN_US;
          follow_edge (self);
        }
      else
        summary_changed_cb (self);
    }
  update_live_redraw (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

gboolean
sonde_timeline_chart_get_live (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), FALSE);

  return self->live;
}

/**
 * sonde_timeline_chart_set_live:
 *
 * Whether the session is still running: then the chart follows its live
 * edge until the user looks back in time.
 */
void
sonde_timeline_chart_set_live (SondeTimelineChart *self,
                               gboolean            live)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  live = !!live;
  if (self->live == live)
    return;
  self->live = live;
  if (live)
    {
      self->auto_fit = FALSE;
      set_following (self, TRUE);
      if (self->summary != NULL)
        follow_edge (self);
    }
  else
    set_following (self, FALSE);
  update_live_redraw (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

gboolean
sonde_timeline_chart_get_following (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), FALSE);

  return self->following;
}

guint64
sonde_timeline_chart_get_cursor_seq (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), SONDE_TIMELINE_NO_SEQ);

  return self->cursor_seq;
}

/**
 * sonde_timeline_chart_set_cursor_seq:
 * @seq: the selected entry, or %SONDE_TIMELINE_NO_SEQ
 *
 * Marks an entry with the cursor and stops following the live edge; if it
 * lies out of view, the view moves to it.
 */
void
sonde_timeline_chart_set_cursor_seq (SondeTimelineChart *self,
                                     guint64             seq)
{
  gint64 time;

  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  if (self->cursor_seq == seq)
    return;
  self->cursor_seq = seq;

  /* An entry chosen while following would slide out of view under newer
   * ones: the view holds still, as the list does when a row is selected. */
  if (seq != SONDE_TIMELINE_NO_SEQ && self->following)
    look_away (self);
  if (cursor_time (self, &time) && (time < self->from_us || time >= self->to_us))
    {
      gint64 span = self->to_us - self->from_us;

      look_away (self);
      move_to (self, time - span / 2, time - span / 2 + span);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_SEQ]);
}

SondeTimeFormat
sonde_timeline_chart_get_time_format (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), SONDE_TIME_FORMAT_RELATIVE);

  return self->time_format;
}

void
sonde_timeline_chart_set_time_format (SondeTimelineChart *self,
                                      SondeTimeFormat     format)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  if (self->time_format == format)
    return;
  self->time_format = format;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_FORMAT]);
}

/**
 * sonde_timeline_chart_set_clock_origin:
 * @clock_origin: from sonde_entry_text_clock_origin(), for clock time
 */
void
sonde_timeline_chart_set_clock_origin (SondeTimelineChart *self,
                                       gint64              clock_origin)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  self->clock_origin = clock_origin;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
sonde_timeline_chart_get_title (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), NULL);

  return self->title;
}

/**
 * sonde_timeline_chart_set_title:
 * @title: (nullable): a heading for exported pictures, such as the URL
 */
void
sonde_timeline_chart_set_title (SondeTimelineChart *self,
                                const char         *title)
{
  g_return_if_fail (SONDE_IS_TIMELINE_CHART (self));

  g_free (self->title);
  self->title = g_strdup (title);
}

/**
 * sonde_timeline_chart_get_drawn_at:
 *
 * Returns: when the chart last drew itself (monotonic time), or 0
 */
gint64
sonde_timeline_chart_get_drawn_at (SondeTimelineChart *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_CHART (self), 0);

  return self->last_draw_us;
}

/* sonde-inspector.c: a tab's inspector page: status, timeline, list, details and compose bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-ui-util.h"

#include "sonde-compose-bar.h"
#include "sonde-credentials.h"
#include "sonde-details-pane.h"
#include "sonde-event-list.h"
#include "sonde-filter-bar.h"
#include "sonde-filter-model.h"
#include "sonde-inspector.h"
#include "sonde-request-bar.h"
#include "sonde-settings.h"
#include "sonde-status-line.h"
#include "sonde-timeline-view.h"
#include "sonde-tls.h"

/* The inspector only composes: each slot holds a widget of its own over the
 * log. A live tab has a session; a recording opened from a file (issue 12)
 * has only a log, and no status of a connection to show.
 *
 * The list shows the log, or the filter model while the filter bar's query
 * leaves something out. The selected entry stays selected when the result
 * holds it: the list finds it among the rows it is given, and when a new
 * scan has not reached it yet, the inspector selects it as soon as the
 * scan does. A query without it leaves nothing selected; a later query
 * with it, or closing the filter, selects it again, unless the user chose
 * another entry meanwhile. */

struct _SondeInspector
{
  GtkWidget        parent_instance;

  SondeStatusLine *status_line;
  GtkRevealer     *problem_revealer;
  GtkLabel        *problem_label;
  GtkButton       *accept_button;
  AdwBin          *timeline_slot;
  AdwBin          *list_slot;
  AdwBin          *compose_slot;
  AdwBin          *details_slot;
  SondeEventList  *event_list;
  SondeDetailsPane *details_pane;
  SondeFilterBar  *filter_bar;
  SondeTimelineView *timeline_view;
  GtkPaned        *timeline_paned;
  GtkPaned        *paned;

  /* The heights the user gave the timeline and the details, kept in
   * GSettings (when the schema is installed) a moment after a drag. */
  GSettings       *settings;
  int              timeline_height;
  int              details_height;
  guint            save_source;
  gboolean         timeline_moved;
  gboolean         details_moved;
  guint            place_tick;
  guint            reveal_tick;
  gboolean         placing;

  SondeSession    *session;
  SondeEventLog   *log;
  SondeFilterModel *filter_model;
  guint64          kept_seq;          /* the entry to select again when the scan finds it */
  gboolean         keeping;
};

G_DEFINE_FINAL_TYPE (SondeInspector, sonde_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_problem (SondeInspector *self)
{
  GTlsCertificateFlags errors = 0;

  if (self->session != NULL &&
      sonde_session_get_state (self->session) == SONDE_CONNECTION_FAILED)
    errors = sonde_session_get_certificate_errors (self->session);

  if (errors != 0)
    {
      g_autofree char *problems = sonde_tls_describe_flags (errors);
      g_autofree char *text = NULL;

      /* Translators: %s lists problems such as “it has expired” */
      text = g_strdup_printf (_("The server’s certificate was refused: %s. Accept exactly "
                                "this for this tab and connect again?"), problems);
      gtk_label_set_label (self->problem_label, text);
    }

  gtk_revealer_set_reveal_child (self->problem_revealer, errors != 0);
}

static void
session_notify_cb (SondeInspector *self,
                   GParamSpec     *pspec,
                   SondeSession   *session)
{
  update_problem (self);
  /* Jump to Live has nothing to wait for once the connection failed or closed. */
  sonde_event_list_set_live (self->event_list, sonde_session_get_active (session));
  /* Accepting a certificate reconnects, so the state tells of it too. */
  sonde_details_pane_set_insecure (self->details_pane,
                                   sonde_session_get_config (session)->accepted_certificate_errors != 0);
}

static void
keep_selection (SondeInspector *self)
{
  SondeEntry *entry = sonde_event_list_get_selected_entry (self->event_list);

  self->keeping = entry != NULL;
  if (entry != NULL)
    self->kept_seq = sonde_entry_get_seq (entry);
}

/* After every change of the filter's rows (and after the list's own
 * handler), puts the kept entry back once the scan has found it. */
static void
filter_items_changed_cb (SondeInspector *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         GListModel     *model)
{
  SondeEntry *selected;

  if (!self->keeping || sonde_event_list_get_model (self->event_list) != model)
    return;

  selected = sonde_event_list_get_selected_entry (self->event_list);
  if (selected != NULL && sonde_entry_get_seq (selected) == self->kept_seq)
    {
      self->keeping = FALSE;
      return;
    }

  if (selected == NULL &&
      sonde_filter_model_lookup (self->filter_model, self->kept_seq, NULL) == SONDE_FILTER_LOOKUP_FOUND)
    {
      self->keeping = FALSE;
      sonde_event_list_select_seq (self->event_list, self->kept_seq);
    }
}

static void
filter_query_cb (SondeInspector *self)
{
  /* Before the rows change under the list, which may drop its selection. */
  if (!self->keeping)
    keep_selection (self);
}

static void
filter_active_cb (SondeInspector *self)
{
  gboolean active = sonde_filter_model_get_active (self->filter_model);

  sonde_event_list_set_model (self->event_list, active ? G_LIST_MODEL (self->filter_model)
                                                       : G_LIST_MODEL (self->log));
  /* Back to the whole log: the entry the filter was looking for is in it. */
  if (!active && self->keeping)
    {
      self->keeping = FALSE;
      if (sonde_event_list_get_selected_entry (self->event_list) == NULL)
        sonde_event_list_select_seq (self->event_list, self->kept_seq);
    }
}

/* Proportions: the list is what people watch, so it gets the height. The
 * timeline sits above it at the height last dragged to (short by default),
 * and the details below it only once an entry is selected, at the height
 * last dragged to but at first never more than two fifths of what they
 * share with the list. Only what a tab's user dragged is written, so that
 * two tabs do not write back each other's old heights. */

static gboolean
save_heights_cb (gpointer user_data)
{
  SondeInspector *self = user_data;

  self->save_source = 0;
  if (self->settings != NULL && self->timeline_moved)
    g_settings_set_int (self->settings, "timeline-height", self->timeline_height);
  if (self->settings != NULL && self->details_moved)
    g_settings_set_int (self->settings, "details-height", self->details_height);
  self->timeline_moved = self->details_moved = FALSE;

  return G_SOURCE_REMOVE;
}

/* Keeps @height, the new height of the timeline or of the details, after
 * @paned moved: not while the inspector places it, nor when GTK pushed the
 * handle to an end for want of room. (A resize of the window moves neither
 * height: the list takes the difference.) */
static void
keep_height (SondeInspector *self,
             GtkPaned       *paned,
             int            *kept,
             gboolean       *moved,
             int             height)
{
  int position = gtk_paned_get_position (paned);
  int min_position, max_position;

  g_object_get (paned, "min-position", &min_position, "max-position", &max_position, NULL);
  if (self->placing || gtk_widget_get_height (GTK_WIDGET (paned)) <= 0 ||
      position <= min_position || position >= max_position || height == *kept)
    return;

  *kept = height;
  *moved = TRUE;
  if (self->save_source == 0)
    self->save_source = g_timeout_add (400, save_heights_cb, self);
}

static void
timeline_position_cb (SondeInspector *self)
{
  keep_height (self, self->timeline_paned, &self->timeline_height, &self->timeline_moved,
               gtk_paned_get_position (self->timeline_paned));
}

static void
details_position_cb (SondeInspector *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->details_slot)))
    keep_height (self, self->paned, &self->details_height, &self->details_moved,
                 gtk_widget_get_height (GTK_WIDGET (self->paned)) -
                 gtk_paned_get_position (self->paned));
}

/* Gives the details their height, once the paned has one. */
static gboolean
place_details_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  SondeInspector *self = SONDE_INSPECTOR (widget);
  int height = gtk_widget_get_height (GTK_WIDGET (self->paned));

  if (height <= 0)
    return G_SOURCE_CONTINUE;

  self->place_tick = 0;
  self->placing = TRUE;
  gtk_paned_set_position (self->paned, height - MIN (self->details_height, height * 2 / 5));
  self->placing = FALSE;

  return G_SOURCE_REMOVE;
}

/* The list got shorter under the row just chosen: once it is laid out at
 * its new height (the details have theirs), the row comes back in sight. */
static gboolean
reveal_selection_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  SondeInspector *self = SONDE_INSPECTOR (widget);

  if (gtk_widget_get_height (GTK_WIDGET (self->details_slot)) <= 0)
    return G_SOURCE_CONTINUE;

  self->reveal_tick = 0;
  sonde_event_list_show_selected (self->event_list);
  return G_SOURCE_REMOVE;
}

static void
show_details (SondeInspector *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->details_slot)))
    return;

  /* Placed before it shows, on the list's height, so that the list does
   * not jump twice: the paned then moves its handle by itself. */
  if (place_details_cb (GTK_WIDGET (self), NULL, NULL) == G_SOURCE_CONTINUE)
    self->place_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), place_details_cb, NULL,
                                                     NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->details_slot), TRUE);
  if (self->reveal_tick == 0)
    self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_selection_cb, NULL,
                                                      NULL);
}

/* The list's selection is the timeline's cursor. */
static void
show_selection_on_timeline (SondeInspector *self)
{
  SondeEntry *entry = sonde_event_list_get_selected_entry (self->event_list);

  sonde_timeline_view_set_selected_seq (self->timeline_view,
                                        entry != NULL ? sonde_entry_get_seq (entry)
                                                      : SONDE_TIMELINE_NO_SEQ);
}

static void
timeline_entry_activated_cb (SondeInspector *self,
                             guint64         seq)
{
  /* A filter may hide the entry picked: the list then selects the next one
   * it shows, and the cursor goes there too, so both always agree. */
  sonde_event_list_select_seq (self->event_list, seq);
  show_selection_on_timeline (self);
}

/* Following the live edge is one state for the list and the timeline: a
 * row selected holds both still (each does so itself), and going back to
 * the edge in one, by its Jump to Live, End or a scroll to the end of the
 * list, takes the other along. */
static void
list_following_cb (SondeInspector *self)
{
  SondeTimelineChart *chart = sonde_timeline_view_get_chart (self->timeline_view);

  if (sonde_event_list_get_following (self->event_list) &&
      sonde_timeline_chart_get_live (chart) && !sonde_timeline_chart_get_following (chart))
    sonde_timeline_chart_jump_to_live (chart);
}

static void
timeline_following_cb (SondeInspector *self)
{
  SondeTimelineChart *chart = sonde_timeline_view_get_chart (self->timeline_view);

  if (sonde_timeline_chart_get_following (chart) &&
      !sonde_event_list_get_following (self->event_list))
    sonde_event_list_jump_to_live (self->event_list);
}

static void
selected_entry_cb (SondeInspector *self)
{
  SondeEntry *entry = sonde_event_list_get_selected_entry (self->event_list);

  show_selection_on_timeline (self);
  /* The details stay once shown: a filter that hides the entry for a
   * moment does not make the list jump. */
  if (entry != NULL)
    show_details (self);
  /* The user chose another entry: stop waiting for the old one. */
  if (entry != NULL && sonde_entry_get_seq (entry) != self->kept_seq)
    self->keeping = FALSE;
}

/**
 * sonde_inspector_new:
 *
 * Returns: (transfer floating): an inspector of a live session's log
 */
GtkWidget *
sonde_inspector_new (SondeSession *session)
{
  g_return_val_if_fail (SONDE_IS_SESSION (session), NULL);

  return g_object_new (SONDE_TYPE_INSPECTOR, "session", session, NULL);
}

/**
 * sonde_inspector_new_for_log:
 *
 * Returns: (transfer floating): an inspector of a log with no connection,
 *   such as a recording
 */
GtkWidget *
sonde_inspector_new_for_log (SondeEventLog *log)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  return g_object_new (SONDE_TYPE_INSPECTOR, "log", log, NULL);
}

/**
 * sonde_inspector_set_loading:
 * @loading: whether entries still arrive in the log of an inspector
 *   without a session (a recording being read)
 *
 * A finished recording has no live edge: its list offers to jump to the end.
 */
void
sonde_inspector_set_loading (SondeInspector *self,
                             gboolean        loading)
{
  g_return_if_fail (SONDE_IS_INSPECTOR (self));
  g_return_if_fail (self->session == NULL);

  sonde_event_list_set_live (self->event_list, loading);
}

/**
 * sonde_inspector_get_session:
 *
 * Returns: (transfer none) (nullable): the session, or %NULL for a recording
 */
SondeSession *
sonde_inspector_get_session (SondeInspector *self)
{
  g_return_val_if_fail (SONDE_IS_INSPECTOR (self), NULL);

  return self->session;
}

/**
 * sonde_inspector_get_log:
 *
 * Returns: (transfer none): the log every part of the inspector reads
 */
SondeEventLog *
sonde_inspector_get_log (SondeInspector *self)
{
  g_return_val_if_fail (SONDE_IS_INSPECTOR (self), NULL);

  return self->log;
}

/**
 * sonde_inspector_get_status_line:
 *
 * Returns: (transfer none): the status line
 */
GtkWidget *
sonde_inspector_get_status_line (SondeInspector *self)
{
  g_return_val_if_fail (SONDE_IS_INSPECTOR (self), NULL);

  return GTK_WIDGET (self->status_line);
}

/**
 * sonde_inspector_get_timeline_view:
 *
 * Returns: (transfer none): the timeline, for its heading and the names of
 *   its pictures
 */
GtkWidget *
sonde_inspector_get_timeline_view (SondeInspector *self)
{
  g_return_val_if_fail (SONDE_IS_INSPECTOR (self), NULL);

  return GTK_WIDGET (self->timeline_view);
}

/**
 * sonde_inspector_open_filter:
 *
 * Opens the filter bar and puts the focus in it (Ctrl+F from anywhere in the
 * window, not only from inside the inspector).
 */
void
sonde_inspector_open_filter (SondeInspector *self)
{
  g_return_if_fail (SONDE_IS_INSPECTOR (self));

  gtk_widget_activate_action (GTK_WIDGET (self->filter_bar), "filter-bar.open", NULL);
}

static void
sonde_inspector_constructed (GObject *object)
{
  SondeInspector *self = SONDE_INSPECTOR (object);

  G_OBJECT_CLASS (sonde_inspector_parent_class)->constructed (object);

  if (self->session != NULL)
    {
      g_set_object (&self->log, sonde_session_get_log (self->session));
      /* A live tab keeps as many entries as the preferences allow. */
      sonde_settings_follow_entry_limit (self->session);
      sonde_status_line_set_session (self->status_line, self->session);
      g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_notify_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::certificate-errors",
                               G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->session, "notify::running", G_CALLBACK (session_notify_cb),
                               self, G_CONNECT_SWAPPED);
      session_notify_cb (self, NULL, self->session);
      /* Talking back (issue 12): WebSocket messages, or HTTP requests beside SSE. */
      adw_bin_set_child (self->compose_slot,
                         sonde_session_get_transport (self->session) == SONDE_TRANSPORT_WEBSOCKET
                         ? sonde_compose_bar_new (self->session)
                         : sonde_request_bar_new (self->session));
      /* A running session has a live edge for the timeline to follow. */
      g_object_bind_property (self->session, "running", self->timeline_view, "live",
                              G_BINDING_SYNC_CREATE);
      {
        g_autofree char *heading = sonde_credentials_remove_from_url (
          sonde_session_get_url (self->session));

        sonde_timeline_view_set_title (self->timeline_view, heading);
      }
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->status_line), FALSE);

  if (self->log == NULL)
    self->log = sonde_event_log_new ();

  sonde_event_list_set_model (self->event_list, G_LIST_MODEL (self->log));
  self->filter_model = sonde_filter_model_new (self->log);
  sonde_filter_bar_set_model (self->filter_bar, self->filter_model);
  sonde_filter_bar_set_key_capture_widget (self->filter_bar, GTK_WIDGET (self));
  g_signal_connect_object (self->filter_model, "notify::query", G_CALLBACK (filter_query_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "notify::active", G_CALLBACK (filter_active_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filter_items_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->event_list, "notify::selected-entry",
                           G_CALLBACK (selected_entry_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->event_list, "notify::following",
                           G_CALLBACK (list_following_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sonde_timeline_view_get_chart (self->timeline_view), "notify::following",
                           G_CALLBACK (timeline_following_cb), self, G_CONNECT_SWAPPED);

  update_problem (self);
  g_object_notify_by_pspec (object, properties[PROP_LOG]);
}

static void
sonde_inspector_dispose (GObject *object)
{
  SondeInspector *self = SONDE_INSPECTOR (object);

  /* A drag in the last moment before the tab closed is kept too. */
  if (self->save_source != 0)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      save_heights_cb (self);
    }
  if (self->place_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->place_tick);
      self->place_tick = 0;
    }
  if (self->reveal_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
      self->reveal_tick = 0;
    }
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_INSPECTOR);
  /* 4.8 leaves the template's unnamed children in place. */
  sonde_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->session);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_inspector_parent_class)->dispose (object);
}

static void
sonde_inspector_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeInspector *self = SONDE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_inspector_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeInspector *self = SONDE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_LOG:
      self->log = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_inspector_class_init (SondeInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_inspector_constructed;
  object_class->dispose = sonde_inspector_dispose;
  object_class->get_property = sonde_inspector_get_property;
  object_class->set_property = sonde_inspector_set_property;

  /* The live session, or NULL for a log read from a file. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SONDE_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* What every slot reads: the session's log, or the one given. */
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SONDE_TYPE_STATUS_LINE);
  g_type_ensure (SONDE_TYPE_EVENT_LIST);
  g_type_ensure (SONDE_TYPE_DETAILS_PANE);
  g_type_ensure (SONDE_TYPE_FILTER_BAR);
  g_type_ensure (SONDE_TYPE_TIMELINE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, status_line);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, accept_button);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, timeline_slot);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, list_slot);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, compose_slot);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, details_slot);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, event_list);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, details_pane);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, timeline_paned);
  gtk_widget_class_bind_template_child (widget_class, SondeInspector, paned);
  gtk_widget_class_bind_template_callback (widget_class, timeline_entry_activated_cb);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
sonde_inspector_init (SondeInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sonde_widget_fix_accessible_names (GTK_WIDGET (self));

  /* The defaults of the schema, also without it (some tests). */
  self->timeline_height = 120;
  self->details_height = 200;
  self->settings = sonde_settings_new_if_installed ();
  if (self->settings != NULL)
    {
      self->timeline_height = g_settings_get_int (self->settings, "timeline-height");
      self->details_height = g_settings_get_int (self->settings, "details-height");
    }
  gtk_paned_set_position (self->timeline_paned, self->timeline_height);
  g_signal_connect_object (self->timeline_paned, "notify::position",
                           G_CALLBACK (timeline_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->paned, "notify::position", G_CALLBACK (details_position_cb),
                           self, G_CONNECT_SWAPPED);
}

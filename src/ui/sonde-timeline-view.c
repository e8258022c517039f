/* sonde-timeline-view.c: a tab's timeline with its toolbar: Fit, Export Image, Jump to Live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "sonde-timeline-render.h"
#include "sonde-ui-util.h"
#include "sonde-timeline-view.h"

struct _SondeTimelineView
{
  GtkWidget             parent_instance;

  GtkWidget            *toolbar;
  GtkWidget            *live_button;
  SondeTimelineChart   *chart;

  SondeEventLog        *log;
  SondeTimelineSummary *summary;
  GSettings            *settings;
  GtkFileChooserNative *export_dialog;
  char                 *export_name;    /* nullable: offered for pictures, without an ending */
  gboolean              export_held;    /* Export Image stopped following the live edge */
  gint64                held_from;
  gint64                held_to;
};

G_DEFINE_FINAL_TYPE (SondeTimelineView, sonde_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOG,
  PROP_SELECTED_SEQ,
  PROP_LIVE,
  PROP_TIME_FORMAT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One place decides what the toolbar offers. */
static void
update_actions (SondeTimelineView *self)
{
  gboolean live = sonde_timeline_chart_get_live (self->chart);
  gboolean following = sonde_timeline_chart_get_following (self->chart);
  gboolean has_entries = self->summary != NULL && sonde_timeline_summary_get_n_entries (self->summary) > 0;

  gtk_widget_set_visible (self->live_button, live && !following);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.jump-to-live", live && !following);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.export", has_entries);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  sonde_timeline_chart_fit (SONDE_TIMELINE_VIEW (widget)->chart);
}

static void
jump_to_live_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  sonde_timeline_chart_jump_to_live (SONDE_TIMELINE_VIEW (widget)->chart);
}

static void
show_error (SondeTimelineView *self,
            const GError      *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Could Not Export the Image"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_response_cb (GtkNativeDialog   *dialog,
                    int                response,
                    SondeTimelineView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file == NULL)
    {
      g_clear_object (&self->export_dialog);
      /* Nothing saved: back to where it was, unless the user moved the view meanwhile. */
      if (self->export_held && sonde_timeline_chart_get_live (self->chart) &&
          !sonde_timeline_chart_get_following (self->chart))
        {
          gint64 from, to;

          sonde_timeline_chart_get_range (self->chart, &from, &to);
          if (from == self->held_from && to == self->held_to)
            sonde_timeline_chart_jump_to_live (self->chart);
        }
      self->export_held = FALSE;
      return;
    }

  /* A name without .png or .svg gets the one of the filter chosen. */
  name = g_file_get_basename (file);
  if (!sonde_timeline_file_format_from_name (name, NULL))
    {
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      gboolean svg = filter != NULL && g_object_get_data (G_OBJECT (filter), "sonde-svg") != NULL;
      g_autofree char *with_ending = g_strconcat (name, svg ? ".svg" : ".png", NULL);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      GFile *child = g_file_get_child (parent, with_ending);

      g_object_unref (file);
      file = child;
    }
  g_clear_object (&self->export_dialog);
  self->export_held = FALSE;

  if (!sonde_timeline_chart_export (self->chart, file, &error))
    show_error (self, error);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeTimelineView *self = SONDE_TIMELINE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) svg = gtk_file_filter_new ();

  if (self->export_dialog != NULL)
    return;

  /* The picture is the one on screen when Export Image was chosen: a
   * timeline following a live stream holds still while the user names the
   * file (and follows again if they cancel). */
  self->export_held = sonde_timeline_chart_get_following (self->chart);
  if (self->export_held)
    {
      sonde_timeline_chart_get_range (self->chart, &self->held_from, &self->held_to);
      sonde_timeline_chart_set_range (self->chart, self->held_from, self->held_to);
    }

  self->export_dialog = gtk_file_chooser_native_new (_("Export Image"),
                                                     GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_dialog), TRUE);
  gtk_file_filter_set_name (png, _("PNG Image"));
  gtk_file_filter_add_mime_type (png, "image/png");
  gtk_file_filter_add_suffix (png, "png");
  gtk_file_filter_set_name (svg, _("SVG Image"));
  gtk_file_filter_add_mime_type (svg, "image/svg+xml");
  gtk_file_filter_add_suffix (svg, "svg");
  g_object_set_data (G_OBJECT (svg), "sonde-svg", GINT_TO_POINTER (TRUE));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_dialog), png);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_dialog), svg);
  if (self->export_name != NULL)
    {
      g_autofree char *name = g_strconcat (self->export_name, ".png", NULL);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_dialog), name);
    }
  else
    /* Translators: the file name offered when exporting the timeline */
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_dialog), _("timeline.png"));
  g_signal_connect (self->export_dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_dialog));
}

static void
entry_activated_cb (SondeTimelineView *self,
                    guint64            seq)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SEQ]);
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, seq);
}

static void
sonde_timeline_view_dispose (GObject *object)
{
  SondeTimelineView *self = SONDE_TIMELINE_VIEW (object);

  if (self->export_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->export_dialog, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
      g_clear_object (&self->export_dialog);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_TIMELINE_VIEW);
  /* 4.8 leaves the template's unnamed children (the overlay) in place. */
  sonde_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->summary);
  g_clear_object (&self->log);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sonde_timeline_view_parent_class)->dispose (object);
}

static void
sonde_timeline_view_finalize (GObject *object)
{
  SondeTimelineView *self = SONDE_TIMELINE_VIEW (object);

  g_free (self->export_name);

  G_OBJECT_CLASS (sonde_timeline_view_parent_class)->finalize (object);
}

static void
sonde_timeline_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SondeTimelineView *self = SONDE_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_SELECTED_SEQ:
      g_value_set_uint64 (value, sonde_timeline_view_get_selected_seq (self));
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, sonde_timeline_view_get_live (self));
      break;
    case PROP_TIME_FORMAT:
      g_value_set_enum (value, sonde_timeline_chart_get_time_format (self->chart));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_timeline_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SondeTimelineView *self = SONDE_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      sonde_timeline_view_set_log (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_SEQ:
      sonde_timeline_view_set_selected_seq (self, g_value_get_uint64 (value));
      break;
    case PROP_LIVE:
      sonde_timeline_view_set_live (self, g_value_get_boolean (value));
      break;
    case PROP_TIME_FORMAT:
      if (sonde_timeline_chart_get_time_format (self->chart) != (SondeTimeFormat)g_value_get_enum (value))
        {
          sonde_timeline_chart_set_time_format (self->chart, g_value_get_enum (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_timeline_view_class_init (SondeTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_timeline_view_dispose;
  object_class->finalize = sonde_timeline_view_finalize;
  object_class->get_property = sonde_timeline_view_get_property;
  object_class->set_property = sonde_timeline_view_set_property;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_SEQ] =
    g_param_spec_uint64 ("selected-seq", NULL, NULL, 0, G_MAXUINT64, SONDE_TIMELINE_NO_SEQ,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_FORMAT] =
    g_param_spec_enum ("time-format", NULL, NULL, SONDE_TYPE_TIME_FORMAT, SONDE_TIME_FORMAT_RELATIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SondeTimelineView::entry-activated:
   * @seq: the entry the user picked on the timeline
   *
   * For the list to select it (sonde_event_list_select_seq()).
   */
  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  g_type_ensure (SONDE_TYPE_TIMELINE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/sonde-timeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeTimelineView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SondeTimelineView, live_button);
  gtk_widget_class_bind_template_child (widget_class, SondeTimelineView, chart);

  gtk_widget_class_install_action (widget_class, "timeline.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "timeline.jump-to-live", NULL, jump_to_live_action);
  gtk_widget_class_install_action (widget_class, "timeline.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "timeline.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "timeline.fit", NULL);

  gtk_widget_class_set_css_name (widget_class, "sonde-timeline-view");
}

static void
sonde_timeline_view_init (SondeTimelineView *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->chart, "entry-activated", G_CALLBACK (entry_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chart, "notify::following", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chart, "notify::live", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);

  /* Time reads as in the list: the same setting, when the schema is there. */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            APPLICATION_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "time-format"))
    {
      self->settings = g_settings_new (APPLICATION_ID);
      g_settings_bind (self->settings, "time-format", self, "time-format", G_SETTINGS_BIND_GET);
    }
}

GtkWidget *
sonde_timeline_view_new (void)
{
  return g_object_new (SONDE_TYPE_TIMELINE_VIEW, NULL);
}

/**
 * sonde_timeline_view_get_log:
 *
 * Returns: (transfer none) (nullable): the log shown
 */
SondeEventLog *
sonde_timeline_view_get_log (SondeTimelineView *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_VIEW (self), NULL);

  return self->log;
}

/**
 * sonde_timeline_view_set_log:
 * @log: (nullable): the tab's log
 *
 * Shows @log's timeline; its summary is kept up to date as it grows.
 */
void
sonde_timeline_view_set_log (SondeTimelineView *self,
                             SondeEventLog     *log)
{
  g_return_if_fail (SONDE_IS_TIMELINE_VIEW (self));
  g_return_if_fail (log == NULL || SONDE_IS_EVENT_LOG (log));

  if (!g_set_object (&self->log, log))
    return;

  if (self->summary != NULL)
    g_signal_handlers_disconnect_by_data (self->summary, self);
  g_clear_object (&self->summary);
  if (log != NULL)
    {
      self->summary = sonde_timeline_summary_new (log);
      g_signal_connect_swapped (self->summary, "changed", G_CALLBACK (update_actions), self);
      sonde_timeline_chart_set_clock_origin (self->chart,
                                             sonde_entry_text_clock_origin (sonde_event_log_get_started_at (log)));
    }
  sonde_timeline_chart_set_summary (self->chart, self->summary);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

/**
 * sonde_timeline_view_get_chart:
 *
 * Returns: (transfer none): the drawn part, for its range and pictures
 */
SondeTimelineChart *
sonde_timeline_view_get_chart (SondeTimelineView *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_VIEW (self), NULL);

  return self->chart;
}

guint64
sonde_timeline_view_get_selected_seq (SondeTimelineView *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_VIEW (self), SONDE_TIMELINE_NO_SEQ);

  return sonde_timeline_chart_get_cursor_seq (self->chart);
}

/**
 * sonde_timeline_view_set_selected_seq:
 * @seq: the entry selected in the list, or %SONDE_TIMELINE_NO_SEQ
 *
 * Shows the list's selection as the cursor.
 */
void
sonde_timeline_view_set_selected_seq (SondeTimelineView *self,
                                      guint64            seq)
{
  g_return_if_fail (SONDE_IS_TIMELINE_VIEW (self));

  if (sonde_timeline_chart_get_cursor_seq (self->chart) == seq)
    return;
  sonde_timeline_chart_set_cursor_seq (self->chart, seq);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SEQ]);
}

gboolean
sonde_timeline_view_get_live (SondeTimelineView *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_VIEW (self), FALSE);

  return sonde_timeline_chart_get_live (self->chart);
}

/**
 * sonde_timeline_view_set_live:
 *
 * Whether the tab's session is running; a live timeline follows its edge.
 */
void
sonde_timeline_view_set_live (SondeTimelineView *self,
                              gboolean           live)
{
  g_return_if_fail (SONDE_IS_TIMELINE_VIEW (self));

  if (sonde_timeline_chart_get_live (self->chart) == !!live)
    return;
  sonde_timeline_chart_set_live (self->chart, live);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

/**
 * sonde_timeline_view_set_title:
 * @title: (nullable): the heading of exported pictures, such as the stream's URL
 */
void
sonde_timeline_view_set_title (SondeTimelineView *self,
                               const char        *title)
{
  g_return_if_fail (SONDE_IS_TIMELINE_VIEW (self));

  sonde_timeline_chart_set_title (self->chart, title);
}

/**
 * sonde_timeline_view_get_title:
 *
 * Returns: (nullable): the heading of exported pictures
 */
const char *
sonde_timeline_view_get_title (SondeTimelineView *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_VIEW (self), NULL);

  return sonde_timeline_chart_get_title (self->chart);
}

/**
 * sonde_timeline_view_get_export_name:
 *
 * Returns: (nullable): the file name Export Image offers, without its ending
 */
const char *
sonde_timeline_view_get_export_name (SondeTimelineView *self)
{
  g_return_val_if_fail (SONDE_IS_TIMELINE_VIEW (self), NULL);

  return self->export_name;
}

/**
 * sonde_timeline_view_set_export_name:
 * @name: (nullable): a file name without its ending, such as the stream's;
 *   %NULL offers “timeline.png”
 *
 * What Export Image offers to name the picture, so that pictures of
 * several tabs do not all offer the same name.
 */
void
sonde_timeline_view_set_export_name (SondeTimelineView *self,
                                     const char        *name)
{
  g_return_if_fail (SONDE_IS_TIMELINE_VIEW (self));

  g_free (self->export_name);
  self->export_name = g_strdup (name);
}

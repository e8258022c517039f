/* sonde-recording-bar.c: how far a recording being opened has come, and where and why it stopped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-recording-bar.h"
#include "sonde-ui-util.h"

/* Above a recording's inspector: while the file loads, a progress bar and
 * Cancel; when it ends short of the whole file, the reason in words (the
 * reader names the line), which stays so the tab always says it is not the
 * whole recording. A clean, complete load hides the bar. */

struct _SondeRecordingBar
{
  GtkWidget             parent_instance;

  GtkImage             *icon;
  GtkLabel             *label;
  GtkProgressBar       *progress;
  GtkButton            *cancel_button;

  SondeRecordingLoader *loader;
  guint                 pulse_id;
};

G_DEFINE_FINAL_TYPE (SondeRecordingBar, sonde_recording_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* While the size of what is left cannot be told (a HAR file being parsed). */
#define PULSE_INTERVAL_MS 100

static gboolean
pulse_cb (gpointer user_data)
{
  SondeRecordingBar *self = user_data;

  gtk_progress_bar_pulse (self->progress);
  return G_SOURCE_CONTINUE;
}

static char *
describe_state (SondeRecordingBar *self,
                gboolean          *problem)
{
  g_autofree char *name = g_file_get_basename (sonde_recording_loader_get_file (self->loader));
  guint64 n = sonde_event_log_get_n_entries (sonde_recording_loader_get_log (self->loader));
  const GError *error = sonde_recording_loader_get_error (self->loader);
  const char *warning = sonde_recording_loader_get_warning (self->loader);

  *problem = FALSE;
  switch (sonde_recording_loader_get_state (self->loader))
    {
    case SONDE_LOADER_OPENING:
      /* Translators: %s is a file name */
      return g_strdup_printf (_("Opening “%s”…"), name);

    case SONDE_LOADER_CHOOSING:
      /* Translators: %s is a file name */
      return g_strdup_printf (_("“%s” holds several streams; choose which to open"), name);

    case SONDE_LOADER_LOADING:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: %s is a file name, then a count */
                                           "Loading “%s”: %llu entry so far",
                                           "Loading “%s”: %llu entries so far",
                                           (gulong)MIN (n, G_MAXULONG)),
                              name, (unsigned long long)n);

    case SONDE_LOADER_DONE:
      *problem = warning != NULL;
      return g_strdup (warning);

    case SONDE_LOADER_FAILED:
      *problem = TRUE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: the first %s says where and why
                                            * reading stopped, then a count */
                                           "%s. Reading stopped there; the %llu"
                                           " entry before it is shown.",
                                           "%s. Reading stopped there; the %llu"
                                           " entries before it are shown.",
                                           (gulong)MIN (n, G_MAXULONG)),
                              error != NULL ? error->message : "", (unsigned long long)n);

    case SONDE_LOADER_CANCELLED:
      *problem = TRUE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: a count, then a file name */
                                           "Loading was cancelled after %llu"
                                           " entry; the rest of “%s” was not read.",
                                           "Loading was cancelled after %llu"
                                           " entries; the rest of “%s” was not read.",
                                           (gulong)MIN (n, G_MAXULONG)),
                              (unsigned long long)n, name);

    default:
      g_assert_not_reached ();
    }
}

static void
sonde_recording_bar_update (SondeRecordingBar *self)
{
  g_autofree char *text = NULL;
  gboolean busy, problem;
  double fraction;

  if (self->loader == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  busy = !sonde_recording_loader_get_finished (self->loader) &&
         sonde_recording_loader_get_state (self->loader) != SONDE_LOADER_CHOOSING;
  fraction = sonde_recording_loader_get_fraction (self->loader);
  text = describe_state (self, &problem);

  gtk_label_set_label (self->label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_image_set_from_icon_name (self->icon, problem ? "dialog-warning-symbolic"
                                                    : "document-open-symbolic");
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self), "problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "problem");

  if (busy && fraction >= 0.0)
    gtk_progress_bar_set_fraction (self->progress, fraction);
  if (busy && fraction < 0.0 && self->pulse_id == 0)
    self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
  if ((!busy || fraction >= 0.0) && self->pulse_id != 0)
    g_clear_handle_id (&self->pulse_id, g_source_remove);

  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);
}

static void
loader_notify_cb (SondeRecordingBar    *self,
                  GParamSpec           *pspec,
                  SondeRecordingLoader *loader)
{
  sonde_recording_bar_update (self);
}

static void
cancel_clicked_cb (SondeRecordingBar *self,
                   GtkButton         *button)
{
  if (self->loader != NULL)
    sonde_recording_loader_cancel (self->loader);
}

/**
 * sonde_recording_bar_new:
 *
 * Returns: (transfer floating): a bar that follows @loader
 */
GtkWidget *
sonde_recording_bar_new (SondeRecordingLoader *loader)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_LOADER (loader), NULL);

  return g_object_new (SONDE_TYPE_RECORDING_BAR, "loader", loader, NULL);
}

/**
 * sonde_recording_bar_get_loader:
 *
 * Returns: (transfer none): the loader it follows
 */
SondeRecordingLoader *
sonde_recording_bar_get_loader (SondeRecordingBar *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_BAR (self), NULL);

  return self->loader;
}

/**
 * sonde_recording_bar_get_text:
 *
 * Returns: what the bar says now (empty while it is hidden)
 */
const char *
sonde_recording_bar_get_text (SondeRecordingBar *self)
{
  g_return_val_if_fail (SONDE_IS_RECORDING_BAR (self), NULL);

  return gtk_label_get_label (self->label);
}

static void
sonde_recording_bar_constructed (GObject *object)
{
  SondeRecordingBar *self = SONDE_RECORDING_BAR (object);

  G_OBJECT_CLASS (sonde_recording_bar_parent_class)->constructed (object);

  if (self->loader != NULL)
    {
      g_signal_connect_object (self->loader, "notify::state", G_CALLBACK (loader_notify_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->loader, "notify::fraction", G_CALLBACK (loader_notify_cb),
                               self, G_CONNECT_SWAPPED);
    }
  sonde_recording_bar_update (self);
}

static void
sonde_recording_bar_dispose (GObject *object)
{
  SondeRecordingBar *self = SONDE_RECORDING_BAR (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_RECORDING_BAR);
  sonde_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->loader);

  G_OBJECT_CLASS (sonde_recording_bar_parent_class)->dispose (object);
}

static void
sonde_recording_bar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SondeRecordingBar *self = SONDE_RECORDING_BAR (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      g_value_set_object (value, self->loader);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_recording_bar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SondeRecordingBar *self = SONDE_RECORDING_BAR (object);

  switch (prop_id)
    {
    case PROP_LOADER:
      self->loader = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_recording_bar_class_init (SondeRecordingBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_recording_bar_constructed;
  object_class->dispose = sonde_recording_bar_dispose;
  object_class->get_property = sonde_recording_bar_get_property;
  object_class->set_property = sonde_recording_bar_set_property;

  properties[PROP_LOADER] =
    g_param_spec_object ("loader", NULL, NULL, SONDE_TYPE_RECORDING_LOADER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-recording-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeRecordingBar, icon);
  gtk_widget_class_bind_template_child (widget_class, SondeRecordingBar, label);
  gtk_widget_class_bind_template_child (widget_class, SondeRecordingBar, progress);
  gtk_widget_class_bind_template_child (widget_class, SondeRecordingBar, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "recordingbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
sonde_recording_bar_init (SondeRecordingBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

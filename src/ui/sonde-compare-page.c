/* sonde-compare-page.c: a Compare tab: SSE, WebSocket and long polling side by side, measured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sonde-compare-page.h"
#include "sonde-error.h"
#include "sonde-timeline-render.h"
#include "sonde-timeline-view.h"

/* The page has two faces: the setup (a form, as a connect page is) and the
 * results of a run. The setup fills one SondeCompareOptions, the same that
 * `sonde compare` fills from its options, and core judges it with the same
 * words for both. The comparison's clients, relays and mock server run on a
 * thread of their own with its own main context; the page only starts it,
 * reads the logs (made on this thread, so their views live here), asks it to
 * end, and, when it is done, reads the table. Widgets never touch that
 * thread. */

#define TIMELINE_HEIGHT 150

struct _SondeComparePage
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkCheckButton       *demo_check;
  GtkCheckButton       *recording_check;
  GtkCheckButton       *urls_check;
  AdwActionRow         *recording_row;
  GtkSwitch            *switches[SONDE_COMPARE_N_TRANSPORTS];
  AdwPreferencesGroup  *urls_group;
  AdwEntryRow          *url_entries[SONDE_COMPARE_N_TRANSPORTS];
  GtkLabel             *url_message;
  GtkSpinButton        *duration_spin;
  GtkSpinButton        *drop_spin;
  GtkSpinButton        *speed_spin;
  GtkSpinButton        *send_spin;
  GtkWidget            *drop_row;
  GtkWidget            *speed_row;
  GtkLabel             *setup_message;
  GtkWidget            *compare_button;
  GtkWidget            *stop_button;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
  GtkBox               *timelines_box;
  GtkGrid              *table_grid;
  GtkWidget            *verdict_box;
  GtkLabel             *verdict_label;

  GtkWidget            *headings[SONDE_COMPARE_N_TRANSPORTS];
  GtkWidget            *timelines[SONDE_COMPARE_N_TRANSPORTS];
  SondeEventLog        *recording;
  char                 *recording_path;
  char                 *recording_name;
  char                 *source_name;      /* of the last run, for its status */
  SondeComparison      *comparison;
  GCancellable         *cancellable;
  GtkFileChooserNative *dialog;
  guint                 finishing_timeout;
  gboolean              running;
  gboolean              finishing;
  gboolean              setup_valid;
};

G_DEFINE_FINAL_TYPE (SondeComparePage, sonde_compare_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_FINISHING,
  PROP_SETUP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (SondeComparePage *self)
{
  gboolean done = self->comparison != NULL && !self->running &&
                  sonde_comparison_get_elapsed (self->comparison) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.run",
                                 !self->running && self->setup_valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.stop",
                                 self->running && !self->finishing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.setup", !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.choose-recording", !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export-table", done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export-timelines", done);
}

static void
set_running (SondeComparePage *self,
             gboolean          running)
{
  if (self->running == running)
    return;
  self->running = running;
  gtk_spinner_set_spinning (self->spinner, running);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The time is up or Stop came: the feed has ended, and the run waits for
 * every transport to receive the last message sent before it measures. */
static void
set_finishing (SondeComparePage *self,
               gboolean          finishing,
               gint64            wait_us)
{
  g_clear_handle_id (&self->finishing_timeout, g_source_remove);
  if (self->finishing == finishing)
    return;
  self->finishing = finishing;
  if (finishing)
    {
      g_autofree char *status = NULL;
      gboolean controlled = sonde_comparison_get_controlled (self->comparison);

      status = controlled
        /* Translators: the longest wait, in seconds */
        ? g_strdup_printf (_("Finishing: the feed has ended; waiting up to %.0f s for every "
                             "transport to receive the last message sent…"),
                           wait_us / (double)G_USEC_PER_SEC)
        /* Translators: the longest wait, in seconds */
        : g_strdup_printf (_("Finishing: waiting up to %.0f s for every transport to receive the "
                             "last message any of them has…"),
                           MIN (wait_us, SONDE_COMPARE_STOP_WAIT_US) / (double)G_USEC_PER_SEC);
      gtk_label_set_text (self->status_label, status);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHING]);
}

static gboolean
finishing_timeout_cb (gpointer user_data)
{
  SondeComparePage *self = user_data;

  self->finishing_timeout = 0;
  set_finishing (self, TRUE, SONDE_COMPARE_DRAIN_MAX_US);
  return G_SOURCE_REMOVE;
}

static void
clear_table (SondeComparePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_grid))) != NULL)
    gtk_grid_remove (self->table_grid, child);
}

static GtkWidget *
cell_label (const char *text,
            const char *tooltip,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  /* A long figure (how it recovered, the feed's source) wraps in its column
   * rather than widening the window. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (label, tooltip);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

/* One row per figure, a column per transport; each figure's tooltip says
 * how it was measured. */
static void
fill_table (SondeComparePage *self)
{
  const char *section = NULL;
  int row = 0;
  int column = 1;

  clear_table (self);
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (sonde_comparison_get_figures (self->comparison, t)->enabled)
      gtk_grid_attach (self->table_grid, cell_label (sonde_compare_transport_title (t), NULL, TRUE),
                       column++, row, 1, 1);
  row++;

  for (guint i = 0; i < sonde_comparison_get_n_rows (self->comparison); i++)
    {
      const char *row_section, *label, *how;
      const char * const *cells;

      sonde_comparison_get_row (self->comparison, i, &row_section, &label, &cells, &how);
      if (g_strcmp0 (section, row_section) != 0)
        {
          GtkWidget *heading = cell_label (row_section, NULL, TRUE);

          gtk_widget_set_margin_top (heading, row > 1 ? 12 : 0);
          gtk_grid_attach (self->table_grid, heading, 0, row++, 1, 1);
          section = row_section;
        }
      gtk_grid_attach (self->table_grid, cell_label (label, how, FALSE), 0, row, 1, 1);
      column = 1;
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        {
          g_autofree char *tooltip = NULL;

          if (cells[t] == NULL)
            continue;
          /* Translators: a transport, a row of the table, then how it was measured */
          tooltip = g_strdup_printf (_("%s, %s: %s"), sonde_compare_transport_title (t), label,
                                     how);
          gtk_grid_attach (self->table_grid, cell_label (cells[t], tooltip, FALSE), column++, row,
                           1, 1);
        }
      row++;
    }
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} ThreadRun;

static void
thread_run_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ThreadRun *run = user_data;

  run->ok = sonde_comparison_run_finish (SONDE_COMPARISON (object), result, &run->error);
  run->done = TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SondeComparison *comparison = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  ThreadRun run = { 0 };

  g_main_context_push_thread_default (context);
  sonde_comparison_run_async (comparison, cancellable, thread_run_cb, &run);
  while (!run.done)
    g_main_context_iteration (context, TRUE);
  /* What was cancelled at the end still reports, here. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  if (run.ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, run.error);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *status = NULL;
  gint64 elapsed;

  set_finishing (self, FALSE, 0);
  set_running (self, FALSE);
  g_clear_object (&self->cancellable);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* A run that could not start (a recording it cannot read, a port):
       * back to the setup, which says why. */
      gtk_label_set_text (self->status_label, error->message);
      gtk_label_set_text (self->setup_message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->setup_message), TRUE);
      gtk_stack_set_visible_child_name (self->stack, "setup");
      return;
    }

  elapsed = sonde_comparison_get_elapsed (self->comparison);
  /* One time axis for all: the whole run. */
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      SondeTimelineView *view = SONDE_TIMELINE_VIEW (self->timelines[t]);

      if (!gtk_widget_get_visible (self->timelines[t]))
        continue;
      sonde_timeline_view_set_live (view, FALSE);
      sonde_timeline_chart_set_range (sonde_timeline_view_get_chart (view), 0,
                                      elapsed + elapsed / 25);
    }
  fill_table (self);
  verdict = sonde_comparison_get_verdict (self->comparison);
  gtk_label_set_text (self->verdict_label, verdict);
  gtk_widget_set_visible (self->verdict_box, TRUE);
  if (sonde_comparison_get_controlled (self->comparison))
    /* Translators: how long the comparison ran, then the recording's name (“the demo
     * recording”, a file name) */
    status = g_strdup_printf (_("Measured for %.1f s on the built-in mock server, replaying %s"),
                              elapsed / (double)G_USEC_PER_SEC, self->source_name);
  else
    /* Translators: how long the comparison ran */
    status = g_strdup_printf (_("The URLs given, measured for %.1f s: a feed Sonde does not "
                                "control, compared on the messages every transport received"),
                              elapsed / (double)G_USEC_PER_SEC);
  gtk_label_set_text (self->status_label, status);
  update_actions (self);
}

/* The setup as options, the same as `sonde compare` would make of its
 * arguments; %FALSE with @error saying, for people, what to change. */
static gboolean
read_setup (SondeComparePage     *self,
            SondeCompareOptions  *options,
            GError              **error)
{
  gboolean by_url = gtk_check_button_get_active (self->urls_check);

  sonde_compare_options_init (options);
  options->transports = 0;
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    if (gtk_switch_get_active (self->switches[t]))
      options->transports |= 1u << t;
  options->duration = gtk_spin_button_get_value (self->duration_spin);
  options->send_every = gtk_spin_button_get_value (self->send_spin);
  /* Drops and pace are the mock server's; URLs have neither. */
  options->drop_every = by_url ? 0 : gtk_spin_button_get_value (self->drop_spin);
  options->speed = by_url ? 1 : gtk_spin_button_get_value (self->speed_spin);

  if (gtk_check_button_get_active (self->recording_check))
    {
      if (self->recording != NULL)
        options->recording = g_object_ref (self->recording);
      else if (self->recording_path != NULL)
        options->recording_path = g_strdup (self->recording_path);
      else
        {
          g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                               _("Choose a recording, or compare on the demo recording"));
          return FALSE;
        }
    }
  else if (by_url)
    {
      for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entries[t]));
          g_autofree char *url = g_strstrip (g_strdup (text));

          if ((options->transports & (1u << t)) == 0)
            continue;
          if (url[0] == '\0')
            {
              g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                           /* Translators: a transport: SSE, WebSocket, Long polling */
                           _("Enter a URL for %s, or switch it off"),
                           sonde_compare_transport_title (t));
              return FALSE;
            }
          options->urls[t] = g_steal_pointer (&url);
        }
    }
  return sonde_compare_options_check (options, error);
}

/* Each URL is judged as it is typed, as the connect page does: the first
 * that cannot be compared says why under the URLs. */
static void
check_urls (SondeComparePage *self)
{
  const char *problem = NULL;
  g_autoptr(GError) first = NULL;

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      GtkWidget *entry = GTK_WIDGET (self->url_entries[t]);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
      g_autoptr(GError) error = NULL;
      gboolean bad;

      gtk_widget_set_sensitive (entry, gtk_switch_get_active (self->switches[t]));
      bad = text[0] != '\0' && gtk_switch_get_active (self->switches[t]) &&
            !sonde_compare_check_url (t, text, &error);
      if (bad)
        gtk_widget_add_css_class (entry, "error");
      else
        gtk_widget_remove_css_class (entry, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
      if (bad && first == NULL)
        first = g_steal_pointer (&error);
    }
  if (first != NULL)
    problem = first->message;
  gtk_label_set_text (self->url_message,
                      problem != NULL
                        ? problem
                        : _("For example http://127.0.0.1:8080/sse, ws://127.0.0.1:8080/ws and "
                            "http://127.0.0.1:8080/poll (sonde serve)"));
  if (problem != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_message), "dim-label");
    }
}

static void
setup_changed_cb (SondeComparePage *self)
{
  SondeCompareOptions options;
  g_autoptr(GError) error = NULL;
  gboolean by_url = gtk_check_button_get_active (self->urls_check);
  gboolean valid;

  gtk_widget_set_visible (GTK_WIDGET (self->urls_group), by_url);
  gtk_widget_set_sensitive (self->drop_row, !by_url);
  gtk_widget_set_sensitive (self->speed_row, !by_url);
  check_urls (self);

  valid = read_setup (self, &options, &error);
  sonde_compare_options_clear (&options);
  gtk_label_set_text (self->setup_message, valid ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->setup_message), !valid);
  if (valid != self->setup_valid)
    {
      self->setup_valid = valid;
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP_VALID]);
    }
}

static void
entry_activated_cb (SondeComparePage *self)
{
  if (self->setup_valid)
    gtk_widget_activate_action (GTK_WIDGET (self), "compare.run", NULL);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  SondeCompareOptions options;
  gboolean controlled;

  if (self->running)
    return;
  if (!read_setup (self, &options, &error))
    {
      sonde_compare_options_clear (&options);
      gtk_label_set_text (self->setup_message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->setup_message), TRUE);
      gtk_stack_set_visible_child_name (self->stack, "setup");
      return;
    }

  controlled = sonde_compare_options_uses_server (&options);
  g_free (self->source_name);
  self->source_name = g_strdup (!controlled ? _("the URLs given")
                                : options.recording != NULL || options.recording_path != NULL
                                ? self->recording_name : _("the demo recording"));
  g_clear_object (&self->comparison);
  self->comparison = sonde_comparison_new (&options);
  sonde_compare_options_clear (&options);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      SondeTimelineView *view = SONDE_TIMELINE_VIEW (self->timelines[t]);
      SondeEventLog *log = sonde_comparison_get_log (self->comparison, t);

      /* Only the transports compared. */
      gtk_widget_set_visible (self->headings[t], log != NULL);
      gtk_widget_set_visible (self->timelines[t], log != NULL);
      sonde_timeline_view_set_log (view, log);
      sonde_timeline_view_set_live (view, log != NULL);
    }
  clear_table (self);
  gtk_label_set_text (self->verdict_label, "");
  gtk_widget_set_visible (self->verdict_box, FALSE);
  /* Translators: the recording's name (or “the URLs given”), then the seconds the comparison
   * will run */
  status = g_strdup_printf (_("Comparing on %s for %.1f s…"), self->source_name,
                            gtk_spin_button_get_value (self->duration_spin));
  gtk_label_set_text (self->status_label, status);
  gtk_stack_set_visible_child_name (self->stack, "results");
  /* When the time is up the run waits for stragglers: say so then. */
  self->finishing_timeout = g_timeout_add ((guint)(gtk_spin_button_get_value (self->duration_spin)
                                                   * 1000), finishing_timeout_cb, self);

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  task = g_task_new (self, self->cancellable, run_done_cb, NULL);
  g_task_set_source_tag (task, run_action);
  g_task_set_task_data (task, g_object_ref (self->comparison), g_object_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (widget);

  /* Not a cancel: the feed ends, the transports catch up, then the run measures. */
  if (!self->running || self->finishing)
    return;
  sonde_comparison_end (self->comparison, SONDE_COMPARE_STOP_WAIT_US);
  set_finishing (self, TRUE, SONDE_COMPARE_STOP_WAIT_US);
}

static void
setup_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (widget);

  if (self->running)
    return;
  gtk_stack_set_visible_child_name (self->stack, "setup");
  /* Where the setup is: the feed chosen. */
  if (gtk_check_button_get_active (self->recording_check))
    gtk_widget_grab_focus (GTK_WIDGET (self->recording_check));
  else if (gtk_check_button_get_active (self->urls_check))
    gtk_widget_grab_focus (GTK_WIDGET (self->urls_check));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->demo_check));
}

static void
choose_response_cb (GtkNativeDialog  *dialog,
                    int               response,
                    SondeComparePage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->dialog);
  if (file != NULL)
    sonde_compare_page_set_recording_file (self, file);
}

static void add_filter (GtkFileChooser *chooser,
                        const char     *name,
                        const char     *mime_type,
                        const char     *suffix);

static void
choose_recording_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->dialog != NULL || self->running)
    return;
  self->dialog = gtk_file_chooser_native_new (_("Choose a Recording to Compare On"),
                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->dialog), TRUE);
  add_filter (GTK_FILE_CHOOSER (self->dialog), _("Sonde Recordings"), "application/jsonl",
              "jsonl");
  g_signal_connect (self->dialog, "response", G_CALLBACK (choose_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->dialog));
}

/**
 * sonde_compare_page_write_table:
 * @file: where to write: a name ending in .csv gets CSV, any other Markdown
 *
 * Returns: whether it was written
 */
gboolean
sonde_compare_page_write_table (SondeComparePage  *self,
                                GFile             *file,
                                GError           **error)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  SondeCompareFormat format;

  g_return_val_if_fail (SONDE_IS_COMPARE_PAGE (self), FALSE);
  g_return_val_if_fail (self->comparison != NULL, FALSE);

  name = g_file_get_basename (file);
  format = g_str_has_suffix (name, ".csv") ? SONDE_COMPARE_FORMAT_CSV
                                           : SONDE_COMPARE_FORMAT_MARKDOWN;
  text = sonde_comparison_format (self->comparison, format);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

/**
 * sonde_compare_page_write_timelines:
 * @file: a name ending in .png or .svg
 *
 * Draws the timelines one above the other on one time axis, as one picture.
 */
gboolean
sonde_compare_page_write_timelines (SondeComparePage  *self,
                                    GFile             *file,
                                    GError           **error)
{
  SondeTimelineSummary *summaries[SONDE_COMPARE_N_TRANSPORTS] = { NULL };
  const char *titles[SONDE_COMPARE_N_TRANSPORTS] = { NULL };
  SondeTimelineOptions options;
  guint n = 0;
  gint64 elapsed;
  gboolean ok;

  g_return_val_if_fail (SONDE_IS_COMPARE_PAGE (self), FALSE);
  g_return_val_if_fail (self->comparison != NULL, FALSE);

  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      SondeEventLog *log = sonde_comparison_get_log (self->comparison, t);

      if (log == NULL)
        continue;
      summaries[n] = sonde_timeline_summary_new (log);
      titles[n] = sonde_compare_transport_title (t);
      n++;
    }

  elapsed = MAX (sonde_comparison_get_elapsed (self->comparison), G_USEC_PER_SEC);
  sonde_timeline_options_init (&options);
  options.from_us = 0;
  options.to_us = elapsed + elapsed / 25;
  options.end_us = G_MININT64;
  options.legend = TRUE;
  options.margin = 16;
  options.title = _("SSE, WebSocket and long polling on the same feed");
  options.subtitle = self->recording_name;
  ok = sonde_timeline_render_to_file (file, 1200, 120 + 160 * (int)n, summaries, titles, n,
                                      &options, error);
  for (guint i = 0; i < n; i++)
    g_object_unref (summaries[i]);
  return ok;
}

static void
show_error (SondeComparePage *self,
            const char       *heading,
            const GError     *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_response_cb (GtkNativeDialog  *dialog,
                    int               response,
                    SondeComparePage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean table = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "sonde-table"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->dialog);
  if (file == NULL || self->comparison == NULL)
    return;

  if (table && !sonde_compare_page_write_table (self, file, &error))
    show_error (self, _("Could Not Export the Table"), error);
  else if (!table && !sonde_compare_page_write_timelines (self, file, &error))
    show_error (self, _("Could Not Export the Timelines"), error);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime_type,
            const char     *suffix)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  gboolean table = g_str_equal (action_name, "compare.export-table");

  if (self->dialog != NULL || self->comparison == NULL)
    return;

  self->dialog = gtk_file_chooser_native_new (table ? _("Export Table") : _("Export Timelines"),
                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->dialog), TRUE);
  g_object_set_data (G_OBJECT (self->dialog), "sonde-table", GINT_TO_POINTER (table));
  if (table)
    {
      add_filter (GTK_FILE_CHOOSER (self->dialog), _("Markdown"), "text/markdown", "md");
      add_filter (GTK_FILE_CHOOSER (self->dialog), _("CSV"), "text/csv", "csv");
      /* Translators: the file name offered when exporting the comparison's table */
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->dialog), _("comparison.md"));
    }
  else
    {
      add_filter (GTK_FILE_CHOOSER (self->dialog), _("PNG Image"), "image/png", "png");
      add_filter (GTK_FILE_CHOOSER (self->dialog), _("SVG Image"), "image/svg+xml", "svg");
      /* Translators: the file name offered when exporting the comparison's timelines */
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->dialog), _("comparison.png"));
    }
  g_signal_connect (self->dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->dialog));
}

/* ---- The object ---- */

GtkWidget *
sonde_compare_page_new (void)
{
  return g_object_new (SONDE_TYPE_COMPARE_PAGE, NULL);
}

/**
 * sonde_compare_page_set_recording:
 * @recording: (nullable): what the mock server replays; %NULL for the demo
 * @name: (nullable): what to call it
 */
void
sonde_compare_page_set_recording (SondeComparePage *self,
                                  SondeEventLog    *recording,
                                  const char       *name)
{
  g_return_if_fail (SONDE_IS_COMPARE_PAGE (self));

  g_set_object (&self->recording, recording);
  g_clear_pointer (&self->recording_path, g_free);
  g_free (self->recording_name);
  self->recording_name = g_strdup (name != NULL ? name : _("the demo recording"));
  adw_action_row_set_subtitle (self->recording_row, self->recording_name);
  gtk_check_button_set_active (recording != NULL ? self->recording_check : self->demo_check, TRUE);
  setup_changed_cb (self);
}

/**
 * sonde_compare_page_set_recording_file:
 * @file: a recording for the built-in mock server to replay
 *
 * Chooses @file as the feed, as its file chooser does; the run reads it.
 */
void
sonde_compare_page_set_recording_file (SondeComparePage *self,
                                       GFile            *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SONDE_IS_COMPARE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  g_clear_object (&self->recording);
  g_free (self->recording_path);
  self->recording_path = g_steal_pointer (&path);
  g_free (self->recording_name);
  self->recording_name = g_file_get_basename (file);
  adw_action_row_set_subtitle (self->recording_row, self->recording_name);
  gtk_check_button_set_active (self->recording_check, TRUE);
  setup_changed_cb (self);
}

gboolean
sonde_compare_page_get_running (SondeComparePage *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARE_PAGE (self), FALSE);

  return self->running;
}

/**
 * sonde_compare_page_get_comparison:
 *
 * Returns: (transfer none) (nullable): the last comparison run
 */
SondeComparison *
sonde_compare_page_get_comparison (SondeComparePage *self)
{
  g_return_val_if_fail (SONDE_IS_COMPARE_PAGE (self), NULL);

  return self->comparison;
}

/**
 * sonde_compare_page_get_timeline:
 *
 * Returns: (transfer none): the SondeTimelineView of @transport
 */
GtkWidget *
sonde_compare_page_get_timeline (SondeComparePage      *self,
                                 SondeCompareTransport  transport)
{
  g_return_val_if_fail (SONDE_IS_COMPARE_PAGE (self), NULL);
  g_return_val_if_fail (transport < SONDE_COMPARE_N_TRANSPORTS, NULL);

  return self->timelines[transport];
}

static void
sonde_compare_page_dispose (GObject *object)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (object);

  g_clear_handle_id (&self->finishing_timeout, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dialog, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->dialog));
      g_clear_object (&self->dialog);
    }
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (sonde_compare_page_parent_class)->dispose (object);
}

static void
sonde_compare_page_finalize (GObject *object)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (object);

  g_clear_object (&self->comparison);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->recording);
  g_free (self->recording_path);
  g_free (self->recording_name);
  g_free (self->source_name);

  G_OBJECT_CLASS (sonde_compare_page_parent_class)->finalize (object);
}

static void
sonde_compare_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeComparePage *self = SONDE_COMPARE_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_FINISHING:
      g_value_set_boolean (value, self->finishing);
      break;
    case PROP_SETUP_VALID:
      g_value_set_boolean (value, self->setup_valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_compare_page_class_init (SondeComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_compare_page_dispose;
  object_class->finalize = sonde_compare_page_finalize;
  object_class->get_property = sonde_compare_page_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The feed has ended and the run waits for every transport to catch up. */
  properties[PROP_FINISHING] =
    g_param_spec_boolean ("finishing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETUP_VALID] =
    g_param_spec_boolean ("setup-valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, demo_check);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, recording_check);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, urls_check);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, recording_row);
  gtk_widget_class_bind_template_child_full (widget_class, "sse_switch", FALSE,
                                             G_STRUCT_OFFSET (SondeComparePage,
                                                              switches[SONDE_COMPARE_SSE]));
  gtk_widget_class_bind_template_child_full (widget_class, "ws_switch", FALSE,
                                             G_STRUCT_OFFSET (SondeComparePage,
                                                              switches[SONDE_COMPARE_WS]));
  gtk_widget_class_bind_template_child_full (widget_class, "poll_switch", FALSE,
                                             G_STRUCT_OFFSET (SondeComparePage,
                                                              switches[SONDE_COMPARE_POLL]));
  gtk_widget_class_bind_template_child_full (widget_class, "sse_url_entry", FALSE,
                                             G_STRUCT_OFFSET (SondeComparePage,
                                                              url_entries[SONDE_COMPARE_SSE]));
  gtk_widget_class_bind_template_child_full (widget_class, "ws_url_entry", FALSE,
                                             G_STRUCT_OFFSET (SondeComparePage,
                                                              url_entries[SONDE_COMPARE_WS]));
  gtk_widget_class_bind_template_child_full (widget_class, "poll_url_entry", FALSE,
                                             G_STRUCT_OFFSET (SondeComparePage,
                                                              url_entries[SONDE_COMPARE_POLL]));
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, urls_group);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, url_message);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, drop_row);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, speed_row);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, setup_message);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, compare_button);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, drop_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, speed_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, send_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, timelines_box);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, table_grid);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, SondeComparePage, verdict_label);

  gtk_widget_class_install_action (widget_class, "compare.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "compare.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "compare.setup", NULL, setup_action);
  gtk_widget_class_install_action (widget_class, "compare.choose-recording", NULL,
                                   choose_recording_action);
  gtk_widget_class_bind_template_callback (widget_class, setup_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_install_action (widget_class, "compare.export-table", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "compare.export-timelines", NULL, export_action);
}

static void
sonde_compare_page_init (SondeComparePage *self)
{
  g_type_ensure (SONDE_TYPE_TIMELINE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recording_name = g_strdup (_("the demo recording"));
  for (guint t = 0; t < SONDE_COMPARE_N_TRANSPORTS; t++)
    {
      const char *title = sonde_compare_transport_title (t);
      GtkWidget *heading = gtk_label_new (title);

      /* Which timeline is which transport, on screen as in the exported picture. */
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_box_append (self->timelines_box, heading);
      self->headings[t] = heading;
      self->timelines[t] = sonde_timeline_view_new ();
      sonde_timeline_view_set_title (SONDE_TIMELINE_VIEW (self->timelines[t]), title);
      gtk_widget_set_size_request (self->timelines[t], -1, TIMELINE_HEIGHT);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->timelines[t]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_box_append (self->timelines_box, self->timelines[t]);
    }
  gtk_check_button_set_active (self->demo_check, TRUE);
  setup_changed_cb (self);
  update_actions (self);
}

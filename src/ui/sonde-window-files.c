/* sonde-window-files.c: the window's Open, Save, Save As, Export HAR, recent files and drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-window-files.h"

/* Files come and go through the window: the file choosers (GtkFileChooserNative,
 * GTK 4.8 has no GtkFileDialog), the recent files in the primary menu, files
 * dropped on the window, and the questions before closing what was captured
 * and never saved. Reading and writing happen on worker threads in core
 * (SondeRecordingLoader, sonde_recording_save_async); this only asks and tells. */

/* What GtkRecentManager files Sonde's entries under, to list only its own. */
#define RECENT_APP_NAME "Sonde"
#define RECENT_APP_EXEC "sonde %u"
#define RECENT_MAX 10

typedef struct
{
  GMenu       *recent_menu;      /* the template's "recent_section", not owned */
  gboolean     close_confirmed;  /* the window asked already, and the answer was close */
} FilesState;

static FilesState *
files_state (SondeWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "sonde-window-files");
}

static void
add_recent (GFile      *file,
            const char *mime_type)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .mime_type = (char *)mime_type,
    .app_name = (char *)RECENT_APP_NAME,
    .app_exec = (char *)RECENT_APP_EXEC,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static gboolean
ask_before_closing (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = SONDE_IS_APPLICATION (app)
                          ? sonde_application_get_settings (SONDE_APPLICATION (app)) : NULL;

  /* Without the schema, the safe answer: ask. */
  return settings == NULL || g_settings_get_boolean (settings, "ask-before-closing");
}

/* Opening */

static char *
describe_candidate (const SondeHarCandidate *candidate)
{
  const char *transport = candidate->transport == SONDE_TRANSPORT_WEBSOCKET
                            ? _("WebSocket") : _("Server-Sent Events");

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: the transport, the URL, then a count */
                                       "%s, %s, %u message",
                                       "%s, %s, %u messages",
                                       candidate->n_messages),
                          transport, candidate->url[0] != '\0' ? candidate->url : _("no URL"),
                          candidate->n_messages);
}

typedef struct
{
  SondeWindow          *window;
  SondeTab             *tab;
  SondeRecordingLoader *loader;
  GPtrArray            *checks;   /* GtkCheckButton per candidate, in order */
} ChooseData;

static void
choose_data_free (ChooseData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->tab);
  g_object_unref (data->loader);
  g_ptr_array_unref (data->checks);
  g_free (data);
}

static void
close_tab (SondeWindow *self,
           SondeTab    *tab)
{
  AdwTabView *view = sonde_window_get_tab_view (self);
  AdwTabPage *page = adw_tab_view_get_page (view, GTK_WIDGET (tab));

  if (page != NULL)
    adw_tab_view_close_page (view, page);
}

static void
choose_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ChooseData       *data)
{
  guint n_candidates = 0;
  const SondeHarCandidate *candidates =
    sonde_recording_loader_get_candidates (data->loader, &n_candidates);
  gboolean first = TRUE;

  if (g_strcmp0 (response, "open") != 0 ||
      sonde_recording_loader_get_state (data->loader) != SONDE_LOADER_CHOOSING)
    {
      sonde_recording_loader_cancel (data->loader);
      close_tab (data->window, data->tab);
      return;
    }

  /* The first stream chosen goes into the tab that asked, each other one
   * into a tab of its own, all from the one parse of the file. */
  for (guint i = 0; i < data->checks->len && i < n_candidates; i++)
    {
      g_autoptr(SondeRecordingLoader) other = NULL;
      SondeTab *tab;

      if (!gtk_check_button_get_active (g_ptr_array_index (data->checks, i)))
        continue;
      if (first)
        {
          first = FALSE;
          continue;
        }
      other = sonde_recording_loader_new_for_har_entry (data->loader, candidates[i].index);
      tab = sonde_window_add_tab (data->window);
      sonde_tab_open_recording (tab, other);
    }
  for (guint i = 0; i < data->checks->len && i < n_candidates; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (data->checks, i)))
      {
        sonde_recording_loader_choose (data->loader, candidates[i].index);
        break;
      }
}

static void
choose_toggled_cb (ChooseData     *data,
                   GtkCheckButton *check)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (check), ADW_TYPE_MESSAGE_DIALOG);
  gboolean any = FALSE;

  for (guint i = 0; i < data->checks->len; i++)
    any |= gtk_check_button_get_active (g_ptr_array_index (data->checks, i));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "open", any);
}

/* A HAR file with several streams: which to open, each in a tab. */
static void
ask_which_streams (SondeWindow          *self,
                   SondeTab             *tab,
                   SondeRecordingLoader *loader)
{
  g_autofree char *name = g_file_get_basename (sonde_recording_loader_get_file (loader));
  guint n_candidates = 0;
  const SondeHarCandidate *candidates = sonde_recording_loader_get_candidates (loader,
                                                                               &n_candidates);
  ChooseData *data = g_new0 (ChooseData, 1);
  GtkWidget *dialog, *list;
  guint first;

  data->window = g_object_ref (self);
  data->tab = g_object_ref (tab);
  data->loader = g_object_ref (loader);
  data->checks = g_ptr_array_new ();

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Open Which Streams?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               /* Translators: %s is a file name */
                                               "“%s” holds %u stream. Each one chosen opens "
                                               "in a tab of its own.",
                                               "“%s” holds %u streams. Each one chosen opens "
                                               "in a tab of its own.",
                                               n_candidates),
                                  name, n_candidates);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Streams"), -1);
  /* The first stream that has messages is the likely choice. */
  for (first = 0; first < n_candidates; first++)
    if (candidates[first].n_messages > 0)
      break;
  for (guint i = 0; i < n_candidates; i++)
    {
      g_autofree char *label = describe_candidate (&candidates[i]);
      GtkWidget *check = gtk_check_button_new_with_label (label);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), i == first % n_candidates);
      gtk_widget_set_margin_start (check, 6);
      gtk_widget_set_margin_end (check, 6);
      gtk_widget_set_margin_top (check, 6);
      gtk_widget_set_margin_bottom (check, 6);
      gtk_label_set_ellipsize (GTK_LABEL (gtk_widget_get_last_child (check)),
                               PANGO_ELLIPSIZE_MIDDLE);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (choose_toggled_cb), data);
      g_ptr_array_add (data->checks, check);
      gtk_list_box_append (GTK_LIST_BOX (list), check);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (choose_response_cb), data,
                         (GClosureNotify)choose_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
loader_state_cb (SondeTab             *tab,
                 GParamSpec           *pspec,
                 SondeRecordingLoader *loader)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (tab), SONDE_TYPE_WINDOW);

  if (sonde_recording_loader_get_state (loader) != SONDE_LOADER_CHOOSING || window == NULL)
    return;

  /* Once: the answer moves the loader on, or the tab closes. */
  g_signal_handlers_disconnect_by_func (loader, loader_state_cb, tab);
  ask_which_streams (SONDE_WINDOW (window), tab, loader);
}

/**
 * sonde_window_open_file:
 * @file: a recording or a HAR file
 *
 * Opens @file read-only in a new tab (or in the selected tab if that is an
 * untouched new one); the tab fills as the file is read. A HAR file with
 * several streams asks which to open.
 *
 * Returns: (transfer none): the tab
 */
SondeTab *
sonde_window_open_file (SondeWindow *self,
                        GFile       *file)
{
  g_autoptr(SondeRecordingLoader) loader = NULL;
  SondeTab *tab;

  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  tab = sonde_window_get_current_tab (self);
  if (tab == NULL || sonde_tab_get_log (tab) != NULL ||
      sonde_connect_page_get_url (sonde_tab_get_connect_page (tab))[0] != '\0')
    tab = sonde_window_add_tab (self);

  loader = sonde_recording_loader_new (file);
  g_signal_connect_object (loader, "notify::state", G_CALLBACK (loader_state_cb), tab,
                           G_CONNECT_SWAPPED);
  sonde_tab_open_recording (tab, loader);
  add_recent (file, "application/json");
  sonde_window_files_update_actions (self);

  return tab;
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  SondeWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          sonde_window_open_file (self, file);
        }
    }

  g_object_unref (chooser);
}

static void
add_filters (GtkFileChooser *chooser,
             gboolean        recordings,
             gboolean        har)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, recordings && har ? _("Recordings and HAR Files")
                                    : recordings ? _("Recordings") : _("HAR Files"));
  if (recordings)
    gtk_file_filter_add_pattern (filter, "*.jsonl");
  if (har)
    gtk_file_filter_add_pattern (filter, "*.har");
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All Files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Recording"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (chooser), TRUE, TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  sonde_window_open_file (SONDE_WINDOW (widget), file);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SondeWindow   *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    sonde_window_open_file (self, l->data);

  return files != NULL;
}

/* Ends a close that waited for a question or a save: the session stops
 * now, not when the page's last reference goes. */
static void
finish_closing (SondeWindow *self,
                SondeTab    *tab,
                AdwTabPage  *page,
                gboolean     close)
{
  SondeSession *session = sonde_tab_get_session (tab);

  if (close && session != NULL)
    sonde_session_stop (session);
  adw_tab_view_close_page_finish (sonde_window_get_tab_view (self), page, close);
}

/* Saving */

typedef struct
{
  SondeWindow     *window;
  SondeTab        *tab;
  GFile           *file;
  SondeSaveFormat  format;
  AdwTabPage      *closing;  /* a page to close once saved, or NULL */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->tab);
  g_clear_object (&data->file);
  g_clear_object (&data->closing);
  g_free (data);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(GError) error = NULL;
  guint64 n_saved = 0;

  if (!sonde_recording_save_finish (result, &n_saved, &error))
    {
      sonde_window_show_error (data->window, error->message);
      if (data->closing != NULL)
        finish_closing (data->window, data->tab, data->closing, FALSE);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (data->file);
      g_autofree char *text = NULL;

      if (data->format == SONDE_SAVE_RECORDING)
        sonde_tab_set_saved (data->tab, data->file, n_saved);
      add_recent (data->file, "application/json");

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           /* Translators: a count, then a file name */
                                           "Saved %llu entry to “%s”",
                                           "Saved %llu entries to “%s”",
                                           (gulong)MIN (n_saved, G_MAXULONG)),
                              (unsigned long long)n_saved, name);
      sonde_window_show_message (data->window, text);

      if (data->closing != NULL)
        finish_closing (data->window, data->tab, data->closing, TRUE);
    }

  save_data_free (data);
}

static void
save_tab_full (SondeWindow     *self,
               SondeTab        *tab,
               GFile           *file,
               SondeSaveFormat  format,
               AdwTabPage      *closing)
{
  SondeEventLog *log = sonde_tab_get_log (tab);
  SaveData *data;

  g_return_if_fail (log != NULL);

  data = g_new0 (SaveData, 1);
  data->window = g_object_ref (self);
  data->tab = g_object_ref (tab);
  data->file = g_object_ref (file);
  data->format = format;
  data->closing = closing != NULL ? g_object_ref (closing) : NULL;

  /* What the log holds now; entries that arrive meanwhile stay unsaved. */
  sonde_recording_save_async (log, sonde_event_log_get_n_entries (log),
                              sonde_tab_get_transport (tab), sonde_tab_get_url (tab), format,
                              file, NULL, save_done_cb, data);
}

/**
 * sonde_window_save_tab:
 * @format: a recording, or HAR (which does not count as saving the tab)
 *
 * Writes @tab's log to @file on a worker thread and says in the window
 * when it is done or why it failed.
 */
void
sonde_window_save_tab (SondeWindow     *self,
                       SondeTab        *tab,
                       GFile           *file,
                       SondeSaveFormat  format)
{
  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (SONDE_IS_TAB (tab));
  g_return_if_fail (G_IS_FILE (file));

  save_tab_full (self, tab, file, format, NULL);
}

/* @data has no file yet: the chooser gives it. */
static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  SaveData        *data)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file != NULL)
    save_tab_full (data->window, data->tab, file, data->format, data->closing);
  else if (data->closing != NULL)
    finish_closing (data->window, data->tab, data->closing, FALSE);

  save_data_free (data);
  g_object_unref (chooser);
}

static void
choose_save_file (SondeWindow     *self,
                  SondeTab        *tab,
                  SondeSaveFormat  format,
                  AdwTabPage      *closing)
{
  gboolean har = format == SONDE_SAVE_HAR;
  g_autofree char *name = sonde_tab_suggest_file_name (tab, har ? ".har" : ".jsonl");
  GtkFileChooserNative *chooser;
  SaveData *data;

  chooser = gtk_file_chooser_native_new (har ? _("Export HAR") : _("Save Recording"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         har ? _("_Export") : _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  add_filters (GTK_FILE_CHOOSER (chooser), !har, har);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  data = g_new0 (SaveData, 1);
  data->window = g_object_ref (self);
  data->tab = g_object_ref (tab);
  data->format = format;
  data->closing = closing != NULL ? g_object_ref (closing) : NULL;
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeTab *tab = sonde_window_get_current_tab (self);

  if (tab == NULL || sonde_tab_get_log (tab) == NULL)
    return;

  /* A live tab saved once saves there again; anything else asks where. */
  if (g_str_equal (action_name, "win.save") && sonde_tab_get_session (tab) != NULL &&
      sonde_tab_get_file (tab) != NULL)
    sonde_window_save_tab (self, tab, sonde_tab_get_file (tab), SONDE_SAVE_RECORDING);
  else
    choose_save_file (self, tab,
                      g_str_equal (action_name, "win.export-har") ? SONDE_SAVE_HAR
                                                                  : SONDE_SAVE_RECORDING,
                      NULL);
}

/* Closing */

typedef struct
{
  SondeWindow *window;
  SondeTab    *tab;
  AdwTabPage  *page;
} CloseData;

static void
close_tab_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CloseData        *data)
{
  if (g_str_equal (response, "save"))
    choose_save_file (data->window, data->tab, SONDE_SAVE_RECORDING, data->page);
  else
    finish_closing (data->window, data->tab, data->page, g_str_equal (response, "discard"));

  g_object_unref (data->window);
  g_object_unref (data->tab);
  g_object_unref (data->page);
  g_free (data);
}

/**
 * sonde_window_files_ask_close_tab:
 *
 * Asks before a tab with captured entries that were never saved closes,
 * unless the settings say not to.
 *
 * Returns: %TRUE when it asked: the answer finishes closing @page
 */
gboolean
sonde_window_files_ask_close_tab (SondeWindow *self,
                                  AdwTabPage  *page)
{
  GtkWidget *child = adw_tab_page_get_child (page);
  SondeTab *tab;
  guint64 n_unsaved;
  CloseData *data;
  GtkWidget *dialog;

  /* A comparison page captures nothing of its own to save. */
  if (!SONDE_IS_TAB (child))
    return FALSE;
  tab = SONDE_TAB (child);
  n_unsaved = sonde_tab_get_n_unsaved (tab);

  if (n_unsaved == 0 || !ask_before_closing (self))
    return FALSE;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Captured Entries?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               /* Translators: a tab's title, then a count */
                                               "“%s” holds %llu captured entry "
                                               "that was never saved. Closing the tab loses it.",
                                               "“%s” holds %llu captured "
                                               "entries that were never saved. Closing the tab "
                                               "loses them.",
                                               (gulong)MIN (n_unsaved, G_MAXULONG)),
                                  sonde_tab_get_title (tab), (unsigned long long)n_unsaved);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save As…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (CloseData, 1);
  data->window = g_object_ref (self);
  data->tab = g_object_ref (tab);
  data->page = g_object_ref (page);
  g_signal_connect (dialog, "response", G_CALLBACK (close_tab_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static void
close_window_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          SondeWindow      *self)
{
  if (g_str_equal (response, "close"))
    {
      files_state (self)->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

/**
 * sonde_window_files_ask_close:
 *
 * Asks before the window closes with captured entries that were never
 * saved, unless the settings say not to.
 *
 * Returns: %TRUE when it asked: the window stays until the answer
 */
gboolean
sonde_window_files_ask_close (SondeWindow *self)
{
  AdwTabView *view = sonde_window_get_tab_view (self);
  FilesState *state = files_state (self);
  guint n_tabs = 0;
  GtkWidget *dialog;

  if (state->close_confirmed || !ask_before_closing (self))
    return FALSE;

  for (int i = 0; i < adw_tab_view_get_n_pages (view); i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (view, i));

      if (SONDE_IS_TAB (child) && sonde_tab_get_n_unsaved (SONDE_TAB (child)) > 0)
        n_tabs++;
    }
  if (n_tabs == 0)
    return FALSE;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Close Without Saving?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u tab holds captured entries that were never "
                                               "saved. Closing the window loses them.",
                                               "%u tabs hold captured entries that were never "
                                               "saved. Closing the window loses them.",
                                               n_tabs),
                                  n_tabs);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "close", _("_Close Without Saving"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_window_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* Recent files */

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified (*(GtkRecentInfo **)a);
  GDateTime *tb = gtk_recent_info_get_modified (*(GtkRecentInfo **)b);

  return g_date_time_compare (tb, ta);
}

static char *
escape_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (out, '_');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
update_recent_menu (SondeWindow *self)
{
  FilesState *state = files_state (self);
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();

  g_menu_remove_all (state->recent_menu);

  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_application (l->data, RECENT_APP_NAME) &&
        gtk_recent_info_is_local (l->data) && gtk_recent_info_exists (l->data))
      g_ptr_array_add (mine, l->data);
  g_ptr_array_sort (mine, compare_recent);

  for (guint i = 0; i < mine->len && i < RECENT_MAX; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (mine, i);
      g_autofree char *label = escape_mnemonic (gtk_recent_info_get_display_name (info));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                         gtk_recent_info_get_uri (info));
      g_menu_append_item (state->recent_menu, item);
    }
  if (mine->len == 0)
    {
      /* No action: shown, and greyed out. */
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), "win.no-recent");

      g_menu_append_item (state->recent_menu, item);
    }

  g_list_free_full (items, (GDestroyNotify)gtk_recent_info_unref);
}

/* Setting up */

/**
 * sonde_window_files_update_actions:
 *
 * Enables what the selected tab can do with files.
 */
void
sonde_window_files_update_actions (SondeWindow *self)
{
  SondeTab *tab = sonde_window_get_current_tab (self);
  gboolean has_log = tab != NULL && sonde_tab_get_log (tab) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", has_log);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", has_log);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-har", has_log);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-recent", FALSE);
}

static void
no_action (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
}

void
sonde_window_files_class_init (GtkWidgetClass *widget_class)
{
  /* The GMenu of the recent files, found by name: no field in SondeWindow. */
  gtk_widget_class_bind_template_child_full (widget_class, "recent_section", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.no-recent", NULL, no_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.export-har", NULL, save_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-as", NULL);
}

void
sonde_window_files_init (SondeWindow *self)
{
  FilesState *state = g_new0 (FilesState, 1);
  GtkDropTarget *target;

  g_object_set_data_full (G_OBJECT (self), "sonde-window-files", state, g_free);

  state->recent_menu = G_MENU (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                              SONDE_TYPE_WINDOW,
                                                              "recent_section"));
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
  update_recent_menu (self);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  sonde_window_files_update_actions (self);
}

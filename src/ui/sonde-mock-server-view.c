/* sonde-mock-server-view.c: one mock server in the Mock Servers window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-mock-server-view.h"
#include "sonde-ui-util.h"
#include "sonde-utf8.h"

/* A server's settings, its addresses, faults, publish box and clients. The
 * server itself is a SondeMockHost on a thread of its own: this widget only
 * tells it what the rows say and draws what it reports. The recording, the
 * address and the port are read at the start; speed, loop and the faults
 * reach a running server at every change, the faults always as a whole. */

struct _SondeMockServerView
{
  GtkWidget             parent_instance;

  SondeWindow          *window;       /* weak */
  guint                 number;
  SondeMockHost        *host;         /* NULL while stopped */
  GCancellable         *cancellable;  /* of the start under way */
  GFile                *file;
  GPtrArray            *tabs;         /* SondeTab, weak: matched against the window's */
  GHashTable           *client_rows;  /* client id -> its row */
  char                 *last_event;

  /* Template */
  GtkWidget            *box;
  AdwPreferencesGroup  *server_group;
  GtkButton            *start_button;
  GtkButton            *remove_button;
  AdwComboRow          *source_row;
  GtkStringList        *sources;
  AdwActionRow         *file_row;
  AdwEntryRow          *address_row;
  AdwActionRow         *address_warning_row;
  GtkSpinButton        *port_spin;
  AdwActionRow         *error_row;
  AdwPreferencesGroup  *urls_group;
  AdwActionRow         *sse_row;
  AdwActionRow         *ws_row;
  AdwActionRow         *publish_row;
  GtkButton            *sse_open_button;
  GtkButton            *ws_open_button;
  GtkButton            *sse_copy_button;
  GtkButton            *ws_copy_button;
  GtkButton            *publish_copy_button;
  GtkSpinButton        *speed_spin;
  GtkSwitch            *loop_switch;
  GtkSpinButton        *drop_after_spin;
  GtkSpinButton        *drop_every_spin;
  GtkSpinButton        *stall_after_spin;
  GtkSpinButton        *stall_spin;
  GtkSpinButton        *close_after_spin;
  GtkSpinButton        *close_code_spin;
  AdwEntryRow          *close_reason_row;
  AdwComboRow          *broken_row;
  GtkSpinButton        *broken_after_spin;
  GtkSpinButton        *sse_status_spin;
  AdwEntryRow          *sse_content_type_row;
  GtkSpinButton        *ws_refuse_spin;
  GtkSpinButton        *retry_spin;
  AdwActionRow         *faults_error_row;
  AdwPreferencesGroup  *publish_group;
  AdwEntryRow          *message_row;
  AdwPreferencesGroup  *clients_group;
};

G_DEFINE_FINAL_TYPE (SondeMockServerView, sonde_mock_server_view, GTK_TYPE_WIDGET)

enum {
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (SondeMockServerView *self,
            const char          *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      g_autofree char *title = sonde_markup_printable (message);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
    }
}

/* ---- Faults ---- */

static guint
spin_uint (GtkSpinButton *spin)
{
  return (guint)MAX (gtk_spin_button_get_value_as_int (spin), 0);
}

/* The faults the rows say, or NULL with @error naming what cannot be sent. */
static SondeMockFaults *
collect_faults (SondeMockServerView  *self,
                GError              **error)
{
  g_autoptr(SondeMockFaults) faults = sonde_mock_faults_new ();
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->close_reason_row));
  const char *type = gtk_editable_get_text (GTK_EDITABLE (self->sse_content_type_row));

  faults->drop_after = spin_uint (self->drop_after_spin);
  faults->drop_every = gtk_spin_button_get_value (self->drop_every_spin);
  faults->stall_after = spin_uint (self->stall_after_spin);
  faults->stall = gtk_spin_button_get_value (self->stall_spin);
  faults->close_after = spin_uint (self->close_after_spin);
  faults->close_code = spin_uint (self->close_code_spin);
  faults->retry = gtk_spin_button_get_value_as_int (self->retry_spin);
  faults->sse_status = spin_uint (self->sse_status_spin);
  faults->ws_refuse = spin_uint (self->ws_refuse_spin);
  faults->broken = (SondeMockBroken)adw_combo_row_get_selected (self->broken_row);
  faults->broken_after = spin_uint (self->broken_after_spin);

  if (!sonde_mock_faults_set_close_reason (faults, reason[0] != '\0' ? reason : NULL, error) ||
      !sonde_mock_faults_set_sse_content_type (faults, type[0] != '\0' ? type : NULL, error) ||
      !sonde_mock_faults_check (faults, error))
    return NULL;

  return g_steal_pointer (&faults);
}

static void
faults_changed_cb (SondeMockServerView *self)
{
  g_autoptr(SondeMockFaults) faults = NULL;
  g_autoptr(GError) error = NULL;

  faults = collect_faults (self, &error);
  if (faults != NULL && self->host != NULL)
    sonde_mock_host_set_faults (self->host, faults, &error);

  gtk_widget_set_visible (GTK_WIDGET (self->faults_error_row), error != NULL);
  if (error != NULL)
    adw_action_row_set_subtitle (self->faults_error_row, error->message);
}

/* ---- Source, address, replay ---- */

static void
source_changed_cb (SondeMockServerView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->file_row),
                          adw_combo_row_get_selected (self->source_row) == SONDE_MOCK_SOURCE_FILE);
}

static void
address_changed_cb (SondeMockServerView *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  gboolean valid = inet != NULL || address[0] == '\0';
  gboolean exposed = inet != NULL && !g_inet_address_get_is_loopback (inet);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->address_row), GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);

  /* Anything but loopback lets other machines in: say so where it is chosen. */
  gtk_widget_set_visible (GTK_WIDGET (self->address_warning_row), exposed);
  if (exposed)
    {
      g_autofree char *text =
        /* Translators: %s is an IP address */
        g_strdup_printf (_("The server listens on %s: anyone who can reach this machine can "
                           "connect"), address);

      adw_action_row_set_subtitle (self->address_warning_row, text);
    }
}

static void
speed_changed_cb (SondeMockServerView *self)
{
  if (self->host != NULL)
    g_object_set (self->host, "speed", gtk_spin_button_get_value (self->speed_spin), NULL);
}

static void
loop_changed_cb (SondeMockServerView *self)
{
  if (self->host != NULL)
    g_object_set (self->host, "loop", gtk_switch_get_active (self->loop_switch), NULL);
}

static void
file_chosen_cb (GtkNativeDialog     *dialog,
                int                  response,
                SondeMockServerView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      sonde_mock_server_view_set_file (self, file);
    }
  g_object_unref (dialog);
}

static void
choose_file_cb (SondeMockServerView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) recordings = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Choose a Recording to Serve"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Serve"), _("_Cancel"));
  gtk_file_filter_set_name (recordings, _("Sonde Recordings"));
  gtk_file_filter_add_pattern (recordings, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), recordings);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/**
 * sonde_mock_server_view_set_file:
 * @file: (nullable): the recording to serve
 *
 * Chooses @file as the source, as the file chooser does.
 */
void
sonde_mock_server_view_set_file (SondeMockServerView *self,
                                 GFile               *file)
{
  g_return_if_fail (SONDE_IS_MOCK_SERVER_VIEW (self));

  g_set_object (&self->file, file);
  if (file != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      adw_action_row_set_subtitle (self->file_row, name);
      adw_combo_row_set_selected (self->source_row, SONDE_MOCK_SOURCE_FILE);
    }
  else
    adw_action_row_set_subtitle (self->file_row, _("None chosen"));
}

/**
 * sonde_mock_server_view_set_tabs:
 * @tabs: (element-type SondeTab): the tabs whose capture can be served
 *
 * Offers @tabs as sources after the demo and a file, keeping the one chosen
 * when it is still there.
 */
void
sonde_mock_server_view_set_tabs (SondeMockServerView *self,
                                 GPtrArray           *tabs)
{
  guint selected;
  gpointer chosen = NULL;
  guint n;

  g_return_if_fail (SONDE_IS_MOCK_SERVER_VIEW (self));

  selected = adw_combo_row_get_selected (self->source_row);
  if (selected != GTK_INVALID_LIST_POSITION && selected >= SONDE_MOCK_SOURCE_FIRST_TAB &&
      selected - SONDE_MOCK_SOURCE_FIRST_TAB < self->tabs->len)
    chosen = g_ptr_array_index (self->tabs, selected - SONDE_MOCK_SOURCE_FIRST_TAB);

  g_ptr_array_set_size (self->tabs, 0);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  for (guint i = 0; i < tabs->len; i++)
    {
      SondeTab *tab = g_ptr_array_index (tabs, i);
      /* Translators: a source for a mock server; %s is a tab's title */
      g_autofree char *label = g_strdup_printf (_("Capture of “%s”"), sonde_tab_get_title (tab));

      g_ptr_array_add (self->tabs, tab);
      if (SONDE_MOCK_SOURCE_FIRST_TAB + i < n)
        {
          const char *items[] = { label, NULL };

          gtk_string_list_splice (self->sources, SONDE_MOCK_SOURCE_FIRST_TAB + i, 1, items);
        }
      else
        gtk_string_list_append (self->sources, label);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  if (n > SONDE_MOCK_SOURCE_FIRST_TAB + tabs->len)
    gtk_string_list_splice (self->sources, SONDE_MOCK_SOURCE_FIRST_TAB + tabs->len,
                            n - (SONDE_MOCK_SOURCE_FIRST_TAB + tabs->len), NULL);

  if (chosen != NULL)
    {
      guint index;

      if (g_ptr_array_find (self->tabs, chosen, &index))
        adw_combo_row_set_selected (self->source_row, SONDE_MOCK_SOURCE_FIRST_TAB + index);
      else
        adw_combo_row_set_selected (self->source_row, SONDE_MOCK_SOURCE_DEMO);
    }
  else if (selected != GTK_INVALID_LIST_POSITION && selected < SONDE_MOCK_SOURCE_FIRST_TAB)
    adw_combo_row_set_selected (self->source_row, selected);
}

/* ---- Clients ---- */

static char *
client_subtitle (const SondeMockClientInfo *info,
                 guint                      n_items)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (info->finished)
    g_string_append (text, _("Got the whole recording"));
  else
    /* Translators: a client's position in the recording */
    g_string_append_printf (text, _("Item %u of %u"), info->position, n_items);

  g_string_append (text, " · ");
  if (info->resumed_after != NULL)
    /* Translators: %s is an event ID a client sent; %u the item it resumed at */
    g_string_append_printf (text, _("resumed after “%s” at item %u"), info->resumed_after,
                            info->resumed_at);
  else
    g_string_append (text, _("from the start"));

  if (info->last_id != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: %s is the last event ID the client got */
      g_string_append_printf (text, _("would resume after “%s”"), info->last_id);
    }

  /* The IDs are the client's: any web page on the machine may be one. */
  return sonde_utf8_printable (text->str, (gssize)text->len);
}

static void
update_clients_description (SondeMockServerView *self)
{
  GPtrArray *clients = self->host != NULL ? sonde_mock_host_get_clients (self->host) : NULL;
  guint n = clients != NULL ? clients->len : 0;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;

  if (n == 0)
    count = g_strdup (_("No clients connected"));
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u client connected",
                                          "%u clients connected", n), n);
  if (self->last_event != NULL)
    /* Translators: a count of clients, then what the server did last */
    text = g_strdup_printf (_("%s · last: %s"), count, self->last_event);
  /* A group's description is markup, and the server's sentences quote its
   * clients. */
  markup = sonde_markup_printable (text != NULL ? text : count);
  adw_preferences_group_set_description (self->clients_group, markup);
}

static void
clients_changed_cb (SondeMockServerView *self)
{
  GPtrArray *clients = self->host != NULL ? sonde_mock_host_get_clients (self->host) : NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; clients != NULL && i < clients->len; i++)
    {
      const SondeMockClientInfo *info = g_ptr_array_index (clients, i);
      g_autofree char *subtitle = client_subtitle (info, sonde_mock_host_get_n_items (self->host));
      AdwActionRow *row = g_hash_table_lookup (self->client_rows, GUINT_TO_POINTER (info->id));

      if (row == NULL)
        {
          g_autofree char *title =
            /* Translators: a client of the mock server: its number and its transport */
            g_strdup_printf (_("Client %u · %s"), info->id,
                             info->websocket ? _("WebSocket") : _("Server-Sent Events"));

          row = ADW_ACTION_ROW (adw_action_row_new ());
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_preferences_group_add (self->clients_group, GTK_WIDGET (row));
          g_hash_table_insert (self->client_rows, GUINT_TO_POINTER (info->id), row);
        }
      adw_action_row_set_subtitle (row, subtitle);
      g_hash_table_add (seen, GUINT_TO_POINTER (info->id));
    }

  g_hash_table_iter_init (&iter, self->client_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (seen, key))
        {
          adw_preferences_group_remove (self->clients_group, value);
          g_hash_table_iter_remove (&iter);
        }
    }

  update_clients_description (self);
}

static void
client_event_cb (SondeMockServerView *self,
                 const char          *message)
{
  g_free (self->last_event);
  self->last_event = g_strdup (message);
  update_clients_description (self);
}

/* ---- Start and stop ---- */

static void
update_state (SondeMockServerView *self)
{
  gboolean running = self->host != NULL && sonde_mock_host_get_running (self->host);
  gboolean starting = self->host != NULL && !running;
  g_autofree char *description = NULL;
  GtkWidget *setup[] = {
    GTK_WIDGET (self->source_row), GTK_WIDGET (self->file_row), GTK_WIDGET (self->address_row),
    GTK_WIDGET (gtk_widget_get_ancestor (GTK_WIDGET (self->port_spin), ADW_TYPE_ACTION_ROW)),
  };

  gtk_button_set_label (self->start_button, running ? _("_Stop") : starting ? _("Starting…")
                                                                            : _("_Start"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), !starting);
  if (running)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "suggested-action");
    }
  for (guint i = 0; i < G_N_ELEMENTS (setup); i++)
    gtk_widget_set_sensitive (setup[i], self->host == NULL);

  if (running)
    {
      guint n_items = sonde_mock_host_get_n_items (self->host);

      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Serving %u event or message on port %u",
                                                  "Serving %u events and messages on port %u",
                                                  n_items),
                                     n_items, sonde_mock_host_get_port (self->host));
    }
  else
    description = g_strdup (starting ? _("Starting…") : _("Stopped"));
  adw_preferences_group_set_description (self->server_group, description);

  gtk_widget_set_visible (GTK_WIDGET (self->urls_group), running);
  gtk_widget_set_visible (GTK_WIDGET (self->publish_group), running);
  gtk_widget_set_visible (GTK_WIDGET (self->clients_group), running);
  if (running)
    {
      g_autofree char *sse = sonde_mock_host_get_url (self->host, "http", "/sse");
      g_autofree char *ws = sonde_mock_host_get_url (self->host, "ws", "/ws");
      g_autofree char *publish = sonde_mock_host_get_url (self->host, "http", "/publish");

      adw_action_row_set_subtitle (self->sse_row, sse);
      adw_action_row_set_subtitle (self->ws_row, ws);
      adw_action_row_set_subtitle (self->publish_row, publish);
    }
  clients_changed_cb (self);
}

static void
show_start_error (SondeMockServerView *self,
                  const char          *message)
{
  adw_action_row_set_subtitle (self->error_row, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_row), message != NULL);
}

static void
forget_host (SondeMockServerView *self)
{
  if (self->host == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->host, self);
  sonde_mock_host_stop (self->host);
  g_clear_object (&self->host);
  g_clear_pointer (&self->last_event, g_free);
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SondeMockServerView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_mock_host_start_finish (SONDE_MOCK_HOST (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          self->host != SONDE_MOCK_HOST (object))
        return;
      forget_host (self);
      show_start_error (self, error->message);
    }
  update_state (self);
}

/* The host for the source the row names, or NULL with @error. */
static SondeMockHost *
create_host (SondeMockServerView  *self,
             GError              **error)
{
  guint source = adw_combo_row_get_selected (self->source_row);
  AdwTabView *view;
  SondeTab *tab;
  SondeInspector *inspector;

  if (source == SONDE_MOCK_SOURCE_DEMO || source == GTK_INVALID_LIST_POSITION)
    return sonde_mock_host_new (NULL);

  if (source == SONDE_MOCK_SOURCE_FILE)
    {
      g_autofree char *path = self->file != NULL ? g_file_get_path (self->file) : NULL;

      if (path == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Choose a recording file first"));
          return NULL;
        }
      return sonde_mock_host_new (path);
    }

  /* A tab's capture: the tab must still be there, and have one. */
  tab = source - SONDE_MOCK_SOURCE_FIRST_TAB < self->tabs->len
    ? g_ptr_array_index (self->tabs, source - SONDE_MOCK_SOURCE_FIRST_TAB) : NULL;
  view = self->window != NULL ? sonde_window_get_tab_view (self->window) : NULL;
  for (int i = 0; view != NULL && tab != NULL && i < adw_tab_view_get_n_pages (view); i++)
    {
      if (adw_tab_page_get_child (adw_tab_view_get_nth_page (view, i)) != GTK_WIDGET (tab))
        continue;
      inspector = sonde_tab_get_inspector (tab);
      if (inspector != NULL && sonde_inspector_get_log (inspector) != NULL)
        return sonde_mock_host_new_for_log (sonde_inspector_get_log (inspector));
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("That tab is closed, or has captured nothing"));
  return NULL;
}

static void
start (SondeMockServerView *self)
{
  g_autoptr(SondeMockFaults) faults = NULL;
  g_autoptr(GError) error = NULL;
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));

  show_start_error (self, NULL);
  faults = collect_faults (self, &error);
  if (faults == NULL || (self->host = create_host (self, &error)) == NULL)
    {
      show_start_error (self, error->message);
      return;
    }

  g_object_set (self->host,
                "address", address[0] != '\0' ? address : NULL,
                "port", spin_uint (self->port_spin),
                "speed", gtk_spin_button_get_value (self->speed_spin),
                "loop", gtk_switch_get_active (self->loop_switch),
                "faults", faults,
                NULL);
  g_signal_connect_object (self->host, "clients-changed", G_CALLBACK (clients_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->host, "client-event", G_CALLBACK (client_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->host, "notify::running", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  sonde_mock_host_start_async (self->host, self->cancellable, started_cb, g_object_ref (self));
  update_state (self);
}

/**
 * sonde_mock_server_view_stop:
 *
 * Stops the server; its clients see their connections drop.
 */
void
sonde_mock_server_view_stop (SondeMockServerView *self)
{
  g_return_if_fail (SONDE_IS_MOCK_SERVER_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  forget_host (self);
  update_state (self);
}

static void
start_stop_cb (SondeMockServerView *self)
{
  if (self->host != NULL)
    sonde_mock_server_view_stop (self);
  else
    start (self);
}

static void
remove_cb (SondeMockServerView *self)
{
  sonde_mock_server_view_stop (self);
  g_signal_emit (self, signals[REMOVE], 0);
}

/* ---- Addresses and publish ---- */

static const char *
button_url (SondeMockServerView *self,
            GtkButton           *button)
{
  AdwActionRow *row = ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                               ADW_TYPE_ACTION_ROW));

  return row != NULL ? adw_action_row_get_subtitle (row) : NULL;
}

static void
open_url_cb (SondeMockServerView *self,
             GtkButton           *button)
{
  const char *url = button_url (self, button);
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  if (self->window == NULL || url == NULL || url[0] == '\0')
    return;
  config = sonde_session_config_new (url, &error);
  if (config == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  sonde_window_open (self->window, config);
  show_toast (self, _("Opened in a new tab"));
}

static void
copy_url_cb (SondeMockServerView *self,
             GtkButton           *button)
{
  const char *url = button_url (self, button);

  if (url == NULL || url[0] == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
  show_toast (self, _("Copied to the clipboard"));
}

static void
published_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SondeMockServerView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (!sonde_mock_host_publish_finish (SONDE_MOCK_HOST (object), result, &n, &error))
    {
      show_toast (self, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Published to %u client",
                                       "Published to %u clients", n), n);
  show_toast (self, text);
}

static void
publish_cb (SondeMockServerView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->message_row));
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  if (self->host == NULL)
    return;
  sonde_mock_host_publish_async (self->host, body, NULL, published_cb, g_object_ref (self));
}

/* ---- The object ---- */

/**
 * sonde_mock_server_view_get_host:
 *
 * Returns: (transfer none) (nullable): the server while it starts or runs
 */
SondeMockHost *
sonde_mock_server_view_get_host (SondeMockServerView *self)
{
  g_return_val_if_fail (SONDE_IS_MOCK_SERVER_VIEW (self), NULL);

  return self->host;
}

static void
sonde_mock_server_view_dispose (GObject *object)
{
  SondeMockServerView *self = SONDE_MOCK_SERVER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  forget_host (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_MOCK_SERVER_VIEW);

  G_OBJECT_CLASS (sonde_mock_server_view_parent_class)->dispose (object);
}

static void
sonde_mock_server_view_finalize (GObject *object)
{
  SondeMockServerView *self = SONDE_MOCK_SERVER_VIEW (object);

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *)&self->window);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->tabs, g_ptr_array_unref);
  g_clear_pointer (&self->client_rows, g_hash_table_unref);
  g_clear_pointer (&self->last_event, g_free);

  G_OBJECT_CLASS (sonde_mock_server_view_parent_class)->finalize (object);
}

static void
sonde_mock_server_view_class_init (SondeMockServerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_mock_server_view_dispose;
  object_class->finalize = sonde_mock_server_view_finalize;

  /**
   * SondeMockServerView::remove:
   *
   * The Remove button was pressed; the server has stopped.
   */
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-mock-server-view.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, SondeMockServerView, name)
  CHILD (box);
  CHILD (server_group);
  CHILD (start_button);
  CHILD (remove_button);
  CHILD (source_row);
  CHILD (sources);
  CHILD (file_row);
  CHILD (address_row);
  CHILD (address_warning_row);
  CHILD (port_spin);
  CHILD (error_row);
  CHILD (urls_group);
  CHILD (sse_row);
  CHILD (ws_row);
  CHILD (publish_row);
  CHILD (sse_open_button);
  CHILD (ws_open_button);
  CHILD (sse_copy_button);
  CHILD (ws_copy_button);
  CHILD (publish_copy_button);
  CHILD (speed_spin);
  CHILD (loop_switch);
  CHILD (drop_after_spin);
  CHILD (drop_every_spin);
  CHILD (stall_after_spin);
  CHILD (stall_spin);
  CHILD (close_after_spin);
  CHILD (close_code_spin);
  CHILD (close_reason_row);
  CHILD (broken_row);
  CHILD (broken_after_spin);
  CHILD (sse_status_spin);
  CHILD (sse_content_type_row);
  CHILD (ws_refuse_spin);
  CHILD (retry_spin);
  CHILD (faults_error_row);
  CHILD (publish_group);
  CHILD (message_row);
  CHILD (clients_group);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, faults_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, source_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, loop_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_file_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_url_cb);
  gtk_widget_class_bind_template_callback (widget_class, publish_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sondemockserverview");
}

static void
sonde_mock_server_view_init (SondeMockServerView *self)
{
  const char *sources[] = { _("Bundled Demo"), _("Recording File"), NULL };

  self->tabs = g_ptr_array_new ();
  self->client_rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_splice (self->sources, 0, 0, sources);
  adw_combo_row_set_selected (self->source_row, SONDE_MOCK_SOURCE_DEMO);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "127.0.0.1");
  /* The values that mean a word show the word. */
  /* Translators: the port of a mock server when it is 0, to pick a free one */
  sonde_spin_button_set_special_value (self->port_spin, 0, C_("port", "Any"));
  /* Translators: a fault's count or interval when it is 0, the fault off */
  sonde_spin_button_set_special_value (self->drop_after_spin, 0, C_("fault", "Never"));
  sonde_spin_button_set_special_value (self->drop_every_spin, 0, C_("fault", "Never"));
  sonde_spin_button_set_special_value (self->stall_after_spin, 0, C_("fault", "Never"));
  /* Translators: the retry field of a mock server when it is −1: none is sent */
  sonde_spin_button_set_special_value (self->retry_spin, -1, C_("retry field", "Off"));
  update_state (self);
}

/**
 * sonde_mock_server_view_new:
 * @window: the window whose tabs it can serve and open tabs in
 * @number: the server's number in its window, for its title
 */
GtkWidget *
sonde_mock_server_view_new (SondeWindow *window,
                            guint        number)
{
  SondeMockServerView *self = g_object_new (SONDE_TYPE_MOCK_SERVER_VIEW, NULL);
  /* Translators: the title of one mock server in the Mock Servers window */
  g_autofree char *title = g_strdup_printf (_("Server %u"), number);

  self->window = window;
  if (window != NULL)
    g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&self->window);
  self->number = number;
  adw_preferences_group_set_title (self->server_group, title);

  return GTK_WIDGET (self);
}

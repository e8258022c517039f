/* sonde-tab.c: one tab of the window: its connect page, then its inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-credentials.h"
#include "sonde-recording-bar.h"
#include "sonde-status-line.h"
#include "sonde-tab.h"
#include "sonde-timeline-view.h"
#include "sonde-utf8.h"

/* A tab starts on its connect page. Connecting makes its session and shows
 * the inspector; editing the connection goes back to the page and
 * reconnecting keeps the same session and log, so the timeline shows the
 * gap. A session's log holds one transport's entries: switching a tab from
 * SSE to WebSocket would mix them, so that takes a new tab.
 *
 * A tab can instead hold a recording read from a file (issue 12): no
 * session, a loader and its log, the same inspector under a bar that tells
 * how far loading has come and where and why it stopped. */

struct _SondeTab
{
  GtkWidget         parent_instance;

  GtkStack         *stack;
  SondeConnectPage *connect_page;
  SondeInspector   *inspector;
  SondeSession     *session;
  SondeRecordingLoader *loader;

  /* Where the log was last saved as a recording, and how many entries it
   * had then: what closing would lose is what came after. */
  GFile            *file;
  guint64           n_saved;

  char             *title;
  char             *tooltip;
  SondeConnectionState state;
};

G_DEFINE_FINAL_TYPE (SondeTab, sonde_tab, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TITLE,
  PROP_TOOLTIP,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
title_for_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  GString *title;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);

  title = g_string_new (g_uri_get_host (uri));
  if (g_uri_get_port (uri) != -1)
    g_string_append_printf (title, ":%d", g_uri_get_port (uri));
  g_string_append (title, g_uri_get_path (uri)[0] != '\0' ? g_uri_get_path (uri) : "/");

  return g_string_free (title, FALSE);
}

static void
sonde_tab_update_actions (SondeTab *self)
{
  gboolean has_session = self->session != NULL;
  SondeConnectionState state = has_session ? sonde_session_get_state (self->session)
                                            : SONDE_CONNECTION_IDLE;
  gboolean certificate = state == SONDE_CONNECTION_FAILED &&
                         sonde_session_get_certificate_errors (self->session) != 0;
  gboolean on_page = gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->connect_page);

  /* The page's Connect button follows this: a URL that cannot work cannot connect. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.connect",
                                 sonde_connect_page_get_url_valid (self->connect_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.disconnect",
                                 has_session && sonde_session_get_active (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.reconnect", has_session);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.edit", has_session && !on_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.cancel-edit", has_session && on_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tab.accept-certificate", certificate);
}

/* Pictures of the timeline travel: they get the stream's URL as their
 * heading, as `sonde timeline` gives them, and a name of their own. */
static void
name_timeline (SondeTab *self)
{
  SondeTimelineView *timeline;
  const char *url = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;

  if (self->inspector == NULL)
    return;
  timeline = SONDE_TIMELINE_VIEW (sonde_inspector_get_timeline_view (self->inspector));

  if (self->session != NULL)
    url = sonde_session_get_url (self->session);
  else if (self->loader != NULL)
    url = sonde_recording_loader_get_url (self->loader);
  /* A picture travels further than a recording: never with a password. */
  if (url != NULL && url[0] != '\0')
    heading = sonde_credentials_remove_from_url (url);
  else
    heading = g_strdup (self->title);

  stem = sonde_tab_suggest_file_name (self, "");
  /* A recording's “name.sonde” or “name.har” is “name” in a picture's name. */
  if (g_str_has_suffix (stem, ".sonde") && strlen (stem) > strlen (".sonde"))
    stem[strlen (stem) - strlen (".sonde")] = '\0';
  else if (g_str_has_suffix (stem, ".har") && strlen (stem) > strlen (".har"))
    stem[strlen (stem) - strlen (".har")] = '\0';
  /* Translators: the file name Export Image offers, without its ending;
   * %s names the stream or recording, such as “127.0.0.1-8080-sse” */
  name = g_strdup_printf (_("%s timeline"), stem);

  sonde_timeline_view_set_title (timeline, heading);
  sonde_timeline_view_set_export_name (timeline, name);
}

static void
sonde_tab_update_title (SondeTab *self)
{
  g_autofree char *title = NULL;
  g_autofree char *tooltip = NULL;
  SondeConnectionState state = SONDE_CONNECTION_IDLE;

  if (self->session != NULL)
    {
      g_autofree char *description = sonde_session_describe_state (self->session);
      g_autofree char *url = sonde_utf8_printable (sonde_session_get_url (self->session), -1);

      title = title_for_url (sonde_session_get_url (self->session));
      /* The URL, then the state in words. */
      tooltip = g_strdup_printf ("%s\n%s", url, description);
      state = sonde_session_get_state (self->session);
    }
  else if (self->loader != NULL)
    {
      GFile *file = sonde_recording_loader_get_file (self->loader);
      g_autofree char *name = g_file_get_parse_name (file);
      /* A file's name may hold a line feed. */
      g_autofree char *where = sonde_utf8_printable (name, -1);

      title = g_file_get_basename (file);
      switch (sonde_recording_loader_get_state (self->loader))
        {
        case SONDE_LOADER_OPENING:
        case SONDE_LOADER_CHOOSING:
        case SONDE_LOADER_LOADING:
          state = SONDE_CONNECTION_CONNECTING;
          /* Translators: the tooltip of a tab with a recording that is loading */
          tooltip = g_strdup_printf ("%s\n%s", where, _("Loading"));
          break;
        case SONDE_LOADER_FAILED:
          state = SONDE_CONNECTION_FAILED;
          /* Translators: the tooltip of a tab with a recording that was not read to its end */
          tooltip = g_strdup_printf ("%s\n%s", where, _("Recording, read in part"));
          break;
        case SONDE_LOADER_DONE:
        case SONDE_LOADER_CANCELLED:
        default:
          state = SONDE_CONNECTION_CLOSED;
          /* Translators: the tooltip of a tab with a recording opened from a file */
          tooltip = g_strdup_printf ("%s\n%s", where, _("Recording"));
          break;
        }
    }
  else
    {
      title = g_strdup (_("New Tab"));
      tooltip = g_strdup (_("Not connected"));
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_steal_pointer (&title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (g_strcmp0 (tooltip, self->tooltip) != 0)
    {
      g_free (self->tooltip);
      self->tooltip = g_steal_pointer (&tooltip);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
    }
  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  name_timeline (self);
}

static void
session_changed_cb (SondeTab     *self,
                    GParamSpec   *pspec,
                    SondeSession *session)
{
  sonde_tab_update_title (self);
  sonde_tab_update_actions (self);
}

static void
show_inspector (SondeTab *self)
{
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->inspector));
  sonde_tab_update_actions (self);
}

/**
 * sonde_tab_connect:
 *
 * Connects with @config: a first session, or the tab's session again with
 * the new configuration, into the same log.
 */
void
sonde_tab_connect (SondeTab                 *self,
                   const SondeSessionConfig *config)
{
  g_return_if_fail (SONDE_IS_TAB (self));
  g_return_if_fail (config != NULL);

  if (self->session != NULL)
    {
      if (sonde_session_get_transport (self->session) != config->transport)
        {
          sonde_connect_page_show_error (self->connect_page,
                                         config->transport == SONDE_TRANSPORT_WEBSOCKET
                                           ? _("This tab holds a Server-Sent Events session; "
                                               "open a new tab for a WebSocket")
                                           : _("This tab holds a WebSocket session; open a "
                                               "new tab for Server-Sent Events"));
          return;
        }

      sonde_session_set_config (self->session, config);
      sonde_session_reconnect (self->session);
      show_inspector (self);
      return;
    }

  sonde_connect_page_set_config (self->connect_page, config);
  self->session = sonde_session_new (config);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reason", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::running", G_CALLBACK (session_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::certificate-errors",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::url", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->inspector = SONDE_INSPECTOR (sonde_inspector_new (self->session));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->inspector), "inspector");
  sonde_connect_page_set_editing (self->connect_page, TRUE);

  sonde_session_start (self->session);
  show_inspector (self);
  sonde_tab_update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
loader_changed_cb (SondeTab             *self,
                   GParamSpec           *pspec,
                   SondeRecordingLoader *loader)
{
  sonde_tab_update_title (self);
  if (self->inspector != NULL)
    sonde_inspector_set_loading (self->inspector, !sonde_recording_loader_get_finished (loader));
}

/**
 * sonde_tab_open_recording:
 * @loader: a loader, not started
 *
 * Shows @loader's log, read-only, in this new tab, under a bar that follows
 * the load, and starts it.
 */
void
sonde_tab_open_recording (SondeTab             *self,
                          SondeRecordingLoader *loader)
{
  GtkWidget *box;

  g_return_if_fail (SONDE_IS_TAB (self));
  g_return_if_fail (SONDE_IS_RECORDING_LOADER (loader));
  g_return_if_fail (self->session == NULL && self->loader == NULL);

  self->loader = g_object_ref (loader);
  g_signal_connect_object (loader, "notify::state", G_CALLBACK (loader_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* The recorded URL, the timeline's heading, is known once the header is read. */
  g_signal_connect_object (loader, "notify::url", G_CALLBACK (loader_changed_cb), self,
                           G_CONNECT_SWAPPED);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), sonde_recording_bar_new (loader));
  self->inspector = SONDE_INSPECTOR (sonde_inspector_new_for_log (
                                       sonde_recording_loader_get_log (loader)));
  gtk_widget_set_vexpand (GTK_WIDGET (self->inspector), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->inspector));
  gtk_stack_add_named (self->stack, box, "recording");
  gtk_stack_set_visible_child (self->stack, box);

  /* A recording file is already saved: closing loses nothing of it. */
  if (!sonde_recording_loader_get_is_har (loader))
    self->file = g_object_ref (sonde_recording_loader_get_file (loader));
  self->n_saved = G_MAXUINT64;

  sonde_recording_loader_start (loader);
  loader_changed_cb (self, NULL, loader);

  sonde_tab_update_title (self);
  sonde_tab_update_actions (self);
}

/**
 * sonde_tab_get_loader:
 *
 * Returns: (transfer none) (nullable): the loader of a recording tab
 */
SondeRecordingLoader *
sonde_tab_get_loader (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->loader;
}

/**
 * sonde_tab_get_log:
 *
 * Returns: (transfer none) (nullable): the session's log or the
 *   recording's, or %NULL in a new tab
 */
SondeEventLog *
sonde_tab_get_log (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  if (self->session != NULL)
    return sonde_session_get_log (self->session);
  if (self->loader != NULL)
    return sonde_recording_loader_get_log (self->loader);
  return NULL;
}

SondeTransport
sonde_tab_get_transport (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), SONDE_TRANSPORT_SSE);

  if (self->session != NULL)
    return sonde_session_get_transport (self->session);
  if (self->loader != NULL)
    return sonde_recording_loader_get_transport (self->loader);
  return SONDE_TRANSPORT_SSE;
}

/**
 * sonde_tab_get_url:
 *
 * Returns: (nullable): the URL of the session or of the recording
 */
const char *
sonde_tab_get_url (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  if (self->session != NULL)
    return sonde_session_get_url (self->session);
  if (self->loader != NULL)
    return sonde_recording_loader_get_url (self->loader);
  return NULL;
}

/**
 * sonde_tab_get_file:
 *
 * Returns: (transfer none) (nullable): the recording file this tab's log
 *   was last saved to or opened from
 */
GFile *
sonde_tab_get_file (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->file;
}

/**
 * sonde_tab_set_saved:
 * @n_saved: how many entries went into @file
 *
 * Remembers that the log was saved as a recording to @file.
 */
void
sonde_tab_set_saved (SondeTab *self,
                     GFile    *file,
                     guint64   n_saved)
{
  g_return_if_fail (SONDE_IS_TAB (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  self->n_saved = n_saved;
  name_timeline (self);
}

/**
 * sonde_tab_get_n_unsaved:
 *
 * Returns: how many captured entries were never saved: those after the
 *   last save of a live tab; none in a recording opened from a file
 */
guint64
sonde_tab_get_n_unsaved (SondeTab *self)
{
  guint64 n;

  g_return_val_if_fail (SONDE_IS_TAB (self), 0);

  if (self->session == NULL)
    return 0;

  n = sonde_event_log_get_n_entries (sonde_session_get_log (self->session));
  return n > self->n_saved ? n - self->n_saved : 0;
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SondeTab *self = SONDE_TAB (widget);
  g_autoptr(SondeSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* From the inspector, Ctrl+Return reconnects with what the page says. */
  config = sonde_connect_page_get_config (self->connect_page, &error);
  if (config == NULL)
    {
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->connect_page));
      sonde_connect_page_show_error (self->connect_page, error->message);
      gtk_widget_error_bell (widget);
      sonde_tab_update_actions (self);
      return;
    }

  sonde_tab_connect (self, config);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeTab *self = SONDE_TAB (widget);

  if (self->session != NULL)
    sonde_session_stop (self->session);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeTab *self = SONDE_TAB (widget);

  if (self->session == NULL)
    return;

  sonde_session_reconnect (self->session);
  show_inspector (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeTab *self = SONDE_TAB (widget);

  if (self->session == NULL)
    return;

  sonde_connect_page_set_config (self->connect_page, sonde_session_get_config (self->session));
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->connect_page));
  sonde_connect_page_focus_url (self->connect_page);
  sonde_tab_update_actions (self);
}

static void
cancel_edit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeTab *self = SONDE_TAB (widget);

  if (self->inspector != NULL)
    show_inspector (self);
}

static void
accept_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SondeTab *self = SONDE_TAB (widget);
  GTlsCertificateFlags errors;

  if (self->session == NULL)
    return;

  /* Exactly the problems this certificate had, for this tab only. */
  errors = sonde_session_get_certificate_errors (self->session);
  if (errors != 0)
    sonde_session_accept_certificate (self->session, errors);
}

GtkWidget *
sonde_tab_new (void)
{
  return g_object_new (SONDE_TYPE_TAB, NULL);
}

/**
 * sonde_tab_get_connect_page:
 *
 * Returns: (transfer none): the tab's connect page
 */
SondeConnectPage *
sonde_tab_get_connect_page (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->connect_page;
}

/**
 * sonde_tab_get_inspector:
 *
 * Returns: (transfer none) (nullable): the inspector, once connected
 */
SondeInspector *
sonde_tab_get_inspector (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->inspector;
}

/**
 * sonde_tab_get_session:
 *
 * Returns: (transfer none) (nullable): the session, once connected
 */
SondeSession *
sonde_tab_get_session (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->session;
}

const char *
sonde_tab_get_title (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->title;
}

const char *
sonde_tab_get_tooltip (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);

  return self->tooltip;
}

SondeConnectionState
sonde_tab_get_state (SondeTab *self)
{
  g_return_val_if_fail (SONDE_IS_TAB (self), SONDE_CONNECTION_IDLE);

  return self->state;
}

static gboolean
sonde_tab_grab_focus (GtkWidget *widget)
{
  SondeTab *self = SONDE_TAB (widget);

  return gtk_widget_grab_focus (gtk_stack_get_visible_child (self->stack));
}

static void
sonde_tab_dispose (GObject *object)
{
  SondeTab *self = SONDE_TAB (object);

  /* Closing a tab ends its connection and its thread now, not whenever the
   * last reference goes. */
  if (self->session != NULL)
    sonde_session_stop (self->session);

  if (self->stack != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->stack));
  self->stack = NULL;
  self->connect_page = NULL;
  self->inspector = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->loader);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (sonde_tab_parent_class)->dispose (object);
}

static void
sonde_tab_finalize (GObject *object)
{
  SondeTab *self = SONDE_TAB (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->tooltip, g_free);

  G_OBJECT_CLASS (sonde_tab_parent_class)->finalize (object);
}

static void
sonde_tab_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SondeTab *self = SONDE_TAB (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_TOOLTIP:
      g_value_set_string (value, self->tooltip);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_tab_class_init (SondeTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sonde_tab_dispose;
  object_class->finalize = sonde_tab_finalize;
  object_class->get_property = sonde_tab_get_property;

  widget_class->grab_focus = sonde_tab_grab_focus;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SONDE_TYPE_SESSION, ro);
  /* Host and path, for the tab. */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, ro);
  /* The URL and the state in words. */
  properties[PROP_TOOLTIP] =
    g_param_spec_string ("tooltip", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SONDE_TYPE_CONNECTION_STATE, SONDE_CONNECTION_IDLE,
                       ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sondetab");

  gtk_widget_class_install_action (widget_class, "tab.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "tab.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "tab.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "tab.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "tab.cancel-edit", NULL, cancel_edit_action);
  gtk_widget_class_install_action (widget_class, "tab.accept-certificate", NULL,
                                   accept_certificate_action);
}

static void
sonde_tab_init (SondeTab *self)
{
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  self->connect_page = SONDE_CONNECT_PAGE (sonde_connect_page_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->connect_page), "connect");
  g_signal_connect_object (self->connect_page, "notify::url-valid",
                           G_CALLBACK (sonde_tab_update_actions), self, G_CONNECT_SWAPPED);

  sonde_tab_update_title (self);
  sonde_tab_update_actions (self);
}

/**
 * sonde_tab_suggest_file_name:
 * @extension: the ending, such as “.jsonl”, or “”
 *
 * Returns: (transfer full): a name for a file made from this tab: the
 *   recording it was read from or last saved to, or host and path of its
 *   URL with the slashes gone
 */
char *
sonde_tab_suggest_file_name (SondeTab   *self,
                             const char *extension)
{
  g_autofree char *base = NULL;
  GString *name;

  g_return_val_if_fail (SONDE_IS_TAB (self), NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  if (self->file != NULL)
    {
      base = g_file_get_basename (self->file);
      if (g_str_has_suffix (base, ".jsonl"))
        base[strlen (base) - strlen (".jsonl")] = '\0';
    }
  else
    base = g_strdup (self->title != NULL ? self->title : "");

  /* Host and path make a name, once the slashes are gone. */
  name = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p++)
    g_string_append_c (name, *p == '/' || *p == ':' ? '-' : *p);
  while (name->len > 0 && name->str[name->len - 1] == '-')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, _("recording"));
  g_string_append (name, extension);

  return g_string_free (name, FALSE);
}

/* sonde-compose-bar.c: a WebSocket tab's compose bar: messages, pings and the close
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-compose-bar.h"
#include "sonde-ui-util.h"

/* The bar only reads what is typed and asks the session to send it: the
 * session's calls go to its worker thread, and what goes out comes back as
 * `out` entries in the log like everything else, so the list and the
 * timeline show it without the bar's help.
 *
 * What is typed is checked as it changes (JSON, hex, base64, by core's
 * strict readers) and the problem is said under the field, with where it
 * is; Send then refuses rather than send something else. */

struct _SondeComposeBar
{
  GtkWidget            parent_instance;

  GtkDropDown         *mode_dropdown;
  GtkDropDown         *layout_dropdown;
  GtkDropDown         *encoding_dropdown;
  GtkCheckButton      *fragments_check;
  GtkSpinButton       *fragment_spin;
  GtkMenuButton       *ping_button;
  GtkPopover          *ping_popover;
  GtkEntry            *ping_entry;
  GtkMenuButton       *close_button;
  GtkPopover          *close_popover;
  GtkDropDown         *close_code_dropdown;
  GtkSpinButton       *close_code_spin;
  GtkEntry            *close_reason_entry;
  GtkButton           *send_button;
  GtkTextView         *text_view;
  GtkLabel            *message_label;
  GtkTextTag          *problem_tag;

  SondeSession        *session;
  SondeComposeHistory *history;
  GCancellable        *cancellable;
  char                *problem;
  int                  history_index;   /* -1: the draft is shown */
  char                *draft;           /* what was typed before recalling */
  gboolean             recalling;
};

G_DEFINE_FINAL_TYPE (SondeComposeBar, sonde_compose_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* RFC 6455 section 7.4.1's codes a client may send, and IANA's later ones. */
static const struct
{
  guint       code;
  const char *name;
} close_codes[] = {
  { 1000, N_("Normal Closure") },
  { 1001, N_("Going Away") },
  { 1002, N_("Protocol Error") },
  { 1003, N_("Unsupported Data") },
  { 1007, N_("Invalid Payload Data") },
  { 1008, N_("Policy Violation") },
  { 1009, N_("Message Too Big") },
  { 1010, N_("Mandatory Extension") },
  { 1011, N_("Internal Error") },
  { 1012, N_("Service Restart") },
  { 1013, N_("Try Again Later") },
};

static SondeComposeHistory *default_history;

/**
 * sonde_compose_bar_get_default_history:
 *
 * The history every compose bar shares unless told otherwise: a file
 * in the user's data folder, read once per process.
 *
 * Returns: (transfer none): the history
 */
SondeComposeHistory *
sonde_compose_bar_get_default_history (void)
{
  if (default_history == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), "sonde",
                                                "compose-history.json", NULL);

      default_history = sonde_compose_history_new (path);
    }
  return default_history;
}

/* Says @text under the field: a problem (@is_error: what is typed cannot
 * be sent, and the field is marked invalid) or a remark; NULL hides it. */
static void
set_problem (SondeComposeBar *self,
             const char      *text,
             gboolean         is_error)
{
  gboolean had_problem = self->problem != NULL;

  if (is_error && g_strcmp0 (self->problem, text) == 0)
    return;

  g_free (self->problem);
  self->problem = is_error ? g_strdup (text) : NULL;
  sonde_message_label_set (self->message_label, text, is_error);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_STATE_INVALID,
                               self->problem != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                                     : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (had_problem || self->problem != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static gboolean
is_open (SondeComposeBar *self)
{
  return self->session != NULL &&
         sonde_session_get_state (self->session) == SONDE_CONNECTION_OPEN;
}

static void
update_actions (SondeComposeBar *self)
{
  gboolean open = is_open (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.send", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.ping", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.close", open);
}

SondeComposeMode
sonde_compose_bar_get_mode (SondeComposeBar *self)
{
  g_return_val_if_fail (SONDE_IS_COMPOSE_BAR (self), SONDE_COMPOSE_TEXT);

  switch (gtk_drop_down_get_selected (self->mode_dropdown))
    {
    case 1:
      return SONDE_COMPOSE_JSON;
    case 2:
      return gtk_drop_down_get_selected (self->encoding_dropdown) == 1 ? SONDE_COMPOSE_BASE64
                                                                       : SONDE_COMPOSE_HEX;
    default:
      return SONDE_COMPOSE_TEXT;
    }
}

void
sonde_compose_bar_set_mode (SondeComposeBar  *self,
                            SondeComposeMode  mode)
{
  g_return_if_fail (SONDE_IS_COMPOSE_BAR (self));

  switch (mode)
    {
    case SONDE_COMPOSE_TEXT:
      gtk_drop_down_set_selected (self->mode_dropdown, 0);
      break;
    case SONDE_COMPOSE_JSON:
      gtk_drop_down_set_selected (self->mode_dropdown, 1);
      break;
    case SONDE_COMPOSE_HEX:
    case SONDE_COMPOSE_BASE64:
      gtk_drop_down_set_selected (self->encoding_dropdown, mode == SONDE_COMPOSE_BASE64);
      gtk_drop_down_set_selected (self->mode_dropdown, 2);
      break;
    default:
      g_return_if_reached ();
    }
}

/**
 * sonde_compose_bar_dup_text:
 *
 * Returns: (transfer full): what is typed
 */
char *
sonde_compose_bar_dup_text (SondeComposeBar *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SONDE_IS_COMPOSE_BAR (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
sonde_compose_bar_set_text (SondeComposeBar *self,
                            const char      *text)
{
  g_return_if_fail (SONDE_IS_COMPOSE_BAR (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}

/**
 * sonde_compose_bar_get_problem:
 *
 * Returns: (nullable): why what is typed cannot be sent, as shown under it
 */
const char *
sonde_compose_bar_get_problem (SondeComposeBar *self)
{
  g_return_val_if_fail (SONDE_IS_COMPOSE_BAR (self), NULL);

  return self->problem;
}

/* Underlines the character where JSON goes wrong, as a spelling mistake
 * is, so that the place the message names is also seen. */
static void
mark_problem (SondeComposeBar *self,
              const char      *text,
              gboolean         has_problem)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  gsize offset;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->problem_tag, &start, &end);
  if (!has_problem || sonde_compose_bar_get_mode (self) != SONDE_COMPOSE_JSON ||
      sonde_compose_check_json (text, strlen (text), &offset, NULL))
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &start,
                                      (int)g_utf8_pointer_to_offset (text, text + offset));
  end = start;
  /* At the end of the text, the last character stands for what is missing. */
  if (gtk_text_iter_is_end (&start))
    gtk_text_iter_backward_char (&start);
  else
    gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag (buffer, self->problem_tag, &start, &end);
}

/* Checks what is typed; returns its bytes when it can be sent. While
 * typing (@sending FALSE), an empty field is no problem yet. */
static GBytes *
check (SondeComposeBar *self,
       gboolean         sending)
{
  g_autofree char *text = sonde_compose_bar_dup_text (self);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = sonde_compose_encode (sonde_compose_bar_get_mode (self), text,
                                gtk_drop_down_get_selected (self->layout_dropdown) == 1, &error);
  if (!sending && text[0] == '\0')
    g_clear_error (&error);
  set_problem (self, error != NULL ? error->message : NULL, TRUE);
  mark_problem (self, text, error != NULL);
  return bytes;
}

static void
changed_cb (SondeComposeBar *self)
{
  g_autoptr(GBytes) bytes = check (self, FALSE);

  /* Typing leaves the history where it is; the next Up starts over. */
  if (!self->recalling)
    self->history_index = -1;
}

static void
mode_changed_cb (SondeComposeBar *self)
{
  guint mode = gtk_drop_down_get_selected (self->mode_dropdown);
  g_autoptr(GBytes) bytes = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->layout_dropdown), mode == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->encoding_dropdown), mode == 2);
  bytes = check (self, FALSE);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SondeComposeBar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_session_send_finish (SONDE_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_problem (self, error->message, TRUE);
}

static void
send (SondeComposeBar *self,
      SondeSendKind    kind,
      GBytes          *data,
      guint            code_or_size,
      const char      *reason)
{
  sonde_session_send_async (self->session, kind, data, code_or_size, reason, self->cancellable,
                            send_done_cb, g_object_ref (self));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (widget);
  g_autoptr(GBytes) bytes = check (self, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SondeComposeMode mode = sonde_compose_bar_get_mode (self);
  gboolean binary = mode == SONDE_COMPOSE_HEX || mode == SONDE_COMPOSE_BASE64;
  SondeSendKind kind;

  if (bytes == NULL || !is_open (self))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  if (gtk_check_button_get_active (self->fragments_check))
    kind = binary ? SONDE_SEND_BINARY_FRAGMENTS : SONDE_SEND_TEXT_FRAGMENTS;
  else
    kind = binary ? SONDE_SEND_BINARY : SONDE_SEND_TEXT;
  send (self, kind, bytes, (guint)gtk_spin_button_get_value_as_int (self->fragment_spin), NULL);

  text = sonde_compose_bar_dup_text (self);
  sonde_compose_history_add (self->history, sonde_session_get_url (self->session), mode, text);
  self->history_index = -1;
  /* Not being able to keep the history does not stop sending. */
  if (!sonde_compose_history_save (self->history, &error))
    set_problem (self, error->message, FALSE);
}

static void
ping_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (widget);
  const char *payload = gtk_editable_get_text (GTK_EDITABLE (self->ping_entry));
  g_autoptr(GBytes) bytes = NULL;

  if (!is_open (self))
    return;

  if (payload[0] != '\0')
    bytes = g_bytes_new (payload, strlen (payload));
  send (self, SONDE_SEND_PING, bytes, 0, NULL);
  gtk_popover_popdown (self->ping_popover);
}

static guint
close_code (SondeComposeBar *self)
{
  guint selected = gtk_drop_down_get_selected (self->close_code_dropdown);

  if (selected < G_N_ELEMENTS (close_codes))
    return close_codes[selected].code;
  return (guint)gtk_spin_button_get_value_as_int (self->close_code_spin);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (widget);
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->close_reason_entry));

  if (!is_open (self))
    return;

  send (self, SONDE_SEND_CLOSE, NULL, close_code (self), reason[0] != '\0' ? reason : NULL);
  gtk_popover_popdown (self->close_popover);
}

static void
close_code_changed_cb (SondeComposeBar *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->close_code_spin),
                          gtk_drop_down_get_selected (self->close_code_dropdown) >=
                          G_N_ELEMENTS (close_codes));
}

/* History: Up on the first line goes back, Down on the last comes forward,
 * and past the newest message the draft comes back. */
static void
recall (SondeComposeBar *self,
        int              index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  const char *url = sonde_session_get_url (self->session);
  SondeComposeMode mode;
  const char *text;
  GtkTextIter start;

  if (self->history_index == -1)
    {
      g_free (self->draft);
      self->draft = sonde_compose_bar_dup_text (self);
    }

  self->recalling = TRUE;
  if (index < 0)
    gtk_text_buffer_set_text (buffer, self->draft != NULL ? self->draft : "", -1);
  else
    {
      text = sonde_compose_history_get (self->history, url, (guint)index, &mode);
      sonde_compose_bar_set_mode (self, mode);
      gtk_text_buffer_set_text (buffer, text, -1);
    }
  self->history_index = index;
  self->recalling = FALSE;

  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
}

static gboolean
cursor_on_line (SondeComposeBar *self,
                gboolean         first)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  if (first)
    return gtk_text_iter_get_line (&cursor) == 0;
  return gtk_text_iter_get_line (&cursor) == gtk_text_buffer_get_line_count (buffer) - 1;
}

static void
history_previous_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (widget);
  guint n = sonde_compose_history_get_n (self->history, sonde_session_get_url (self->session));

  if ((guint)(self->history_index + 1) < n)
    recall (self, self->history_index + 1);
  else
    gtk_widget_error_bell (widget);
}

static void
history_next_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (widget);

  if (self->history_index >= 0)
    recall (self, self->history_index - 1);
  else
    gtk_widget_error_bell (widget);
}

/* The bar's keys run before the text view's (capture phase), so that
 * Ctrl+Return sends instead of breaking the line and never reaches the tab,
 * where it would reconnect; Up and Down recall only at the first and the
 * last line, and otherwise move the cursor as usual. */
static gboolean
send_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  gtk_widget_activate_action (widget, "compose.send", NULL);
  return TRUE;
}

static gboolean
history_shortcut_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (widget);
  gboolean previous = GPOINTER_TO_INT (user_data);

  if (!gtk_widget_has_focus (GTK_WIDGET (self->text_view)) || !cursor_on_line (self, previous))
    return FALSE;

  gtk_widget_activate_action (widget, previous ? "compose.history-previous"
                                               : "compose.history-next", NULL);
  return TRUE;
}

static void
session_state_cb (SondeComposeBar *self)
{
  update_actions (self);
}

static void
ping_entry_activate_cb (SondeComposeBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "compose.ping", NULL);
}

/**
 * sonde_compose_bar_new:
 * @session: a WebSocket session
 *
 * Returns: (transfer floating): a compose bar sending on @session
 */
GtkWidget *
sonde_compose_bar_new (SondeSession *session)
{
  g_return_val_if_fail (SONDE_IS_SESSION (session), NULL);

  return g_object_new (SONDE_TYPE_COMPOSE_BAR, "session", session, NULL);
}

/**
 * sonde_compose_bar_get_session:
 *
 * Returns: (transfer none): the session the bar sends on
 */
SondeSession *
sonde_compose_bar_get_session (SondeComposeBar *self)
{
  g_return_val_if_fail (SONDE_IS_COMPOSE_BAR (self), NULL);

  return self->session;
}

/**
 * sonde_compose_bar_set_history:
 * @history: (transfer none): where sent messages are kept; it must outlive
 *   the bar
 */
void
sonde_compose_bar_set_history (SondeComposeBar     *self,
                               SondeComposeHistory *history)
{
  g_return_if_fail (SONDE_IS_COMPOSE_BAR (self));
  g_return_if_fail (history != NULL);

  self->history = history;
  self->history_index = -1;
}

static void
sonde_compose_bar_constructed (GObject *object)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (object);

  G_OBJECT_CLASS (sonde_compose_bar_parent_class)->constructed (object);

  g_return_if_fail (self->session != NULL);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (session_state_cb), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

static void
sonde_compose_bar_dispose (GObject *object)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_COMPOSE_BAR);
  sonde_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sonde_compose_bar_parent_class)->dispose (object);
}

static void
sonde_compose_bar_finalize (GObject *object)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (object);

  g_clear_object (&self->cancellable);
  g_free (self->problem);
  g_free (self->draft);

  G_OBJECT_CLASS (sonde_compose_bar_parent_class)->finalize (object);
}

static void
sonde_compose_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_compose_bar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeComposeBar *self = SONDE_COMPOSE_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_compose_bar_class_init (SondeComposeBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_compose_bar_constructed;
  object_class->dispose = sonde_compose_bar_dispose;
  object_class->finalize = sonde_compose_bar_finalize;
  object_class->get_property = sonde_compose_bar_get_property;
  object_class->set_property = sonde_compose_bar_set_property;

  /* The WebSocket session the bar sends on. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SONDE_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Why what is typed cannot be sent, or NULL. */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-compose-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, layout_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, fragments_check);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, fragment_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, ping_button);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, ping_popover);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, ping_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, close_button);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, close_popover);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, close_code_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, close_code_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, close_reason_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, send_button);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, text_view);
  gtk_widget_class_bind_template_child (widget_class, SondeComposeBar, message_label);

  gtk_widget_class_install_action (widget_class, "compose.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "compose.ping", NULL, ping_action);
  gtk_widget_class_install_action (widget_class, "compose.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "compose.history-previous", NULL,
                                   history_previous_action);
  gtk_widget_class_install_action (widget_class, "compose.history-next", NULL,
                                   history_next_action);

  gtk_widget_class_set_css_name (widget_class, "sonde-compose-bar");
}

static void
sonde_compose_bar_init (SondeComposeBar *self)
{
  g_autoptr(GtkStringList) codes = gtk_string_list_new (NULL);

  self->history_index = -1;
  self->cancellable = g_cancellable_new ();
  self->history = sonde_compose_bar_get_default_history ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The inspector names its own controls at init; this bar comes later. */
  sonde_widget_fix_accessible_names (GTK_WIDGET (self));
  self->problem_tag = gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view),
                                                  "problem", "underline", PANGO_UNDERLINE_ERROR,
                                                  NULL);

  for (guint i = 0; i < G_N_ELEMENTS (close_codes); i++)
    {
      /* Translators: a WebSocket close code and its name, “1000 Normal Closure” */
      g_autofree char *item = g_strdup_printf (_("%u %s"), close_codes[i].code,
                                               _(close_codes[i].name));

      gtk_string_list_append (codes, item);
    }
  gtk_string_list_append (codes, _("Other Code"));
  gtk_drop_down_set_model (self->close_code_dropdown, G_LIST_MODEL (codes));

  sonde_widget_add_capture_shortcut (GTK_WIDGET (self), GDK_KEY_Return, GDK_CONTROL_MASK,
                                     send_shortcut_cb, NULL);
  sonde_widget_add_capture_shortcut (GTK_WIDGET (self), GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                     send_shortcut_cb, NULL);
  sonde_widget_add_capture_shortcut (GTK_WIDGET (self), GDK_KEY_Up, 0, history_shortcut_cb,
                                     GINT_TO_POINTER (TRUE));
  sonde_widget_add_capture_shortcut (GTK_WIDGET (self), GDK_KEY_Down, 0, history_shortcut_cb,
                                     GINT_TO_POINTER (FALSE));

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mode_dropdown, "notify::selected", G_CALLBACK (mode_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->encoding_dropdown, "notify::selected",
                           G_CALLBACK (mode_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layout_dropdown, "notify::selected",
                           G_CALLBACK (mode_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->close_code_dropdown, "notify::selected",
                           G_CALLBACK (close_code_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ping_entry, "activate", G_CALLBACK (ping_entry_activate_cb),
                           self, G_CONNECT_SWAPPED);
  mode_changed_cb (self);
  close_code_changed_cb (self);
}

/* sonde-preferences-window.c: the Preferences window, over Sonde's GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-preferences-window.h"
#include "sonde-settings.h"

/* Every control is bound to its key, so a change applies at once, in every
 * window (the list's time format, the style, the payload font), and the
 * window has nothing to save. The reconnect policies are one key each per
 * transport; their rows are built here, twice, from one description. */

typedef enum
{
  SPIN_INITIAL,
  SPIN_MAX,
  SPIN_FACTOR,
  SPIN_JITTER,
  SPIN_ATTEMPTS,
  N_SPINS
} PolicySpin;

/* The order of the connect page's choices, so both read alike. */
typedef enum
{
  CHOICE_SPEC,
  CHOICE_NONE,
  CHOICE_FIXED,
  CHOICE_BACKOFF,
  N_CHOICES
} PolicyChoice;

typedef struct
{
  SondePreferencesWindow *window;
  SondeTransport          transport;
  AdwComboRow            *mode_row;
  AdwActionRow           *rows[N_SPINS];
  GtkSpinButton          *spins[N_SPINS];
  gboolean                loading;
} PolicyEditor;

struct _SondePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *style_row;
  AdwComboRow          *time_format_row;
  GtkSwitch            *system_font_switch;
  AdwActionRow         *font_row;
  GtkFontButton        *font_button;
  AdwExpanderRow       *limit_row;
  GtkAdjustment        *limit_adjustment;
  GtkSwitch            *ask_switch;
  AdwPreferencesGroup  *sse_group;
  AdwPreferencesGroup  *ws_group;

  GSettings            *settings;
  PolicyEditor          policies[2];
};

G_DEFINE_FINAL_TYPE (SondePreferencesWindow, sonde_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const style_nicks[] = { "system", "light", "dark", NULL };
static const char * const time_format_nicks[] = { "relative", "clock", NULL };

static const SondeReconnectMode choice_modes[N_CHOICES] = {
  [CHOICE_SPEC] = SONDE_RECONNECT_SPEC,
  [CHOICE_NONE] = SONDE_RECONNECT_NONE,
  [CHOICE_FIXED] = SONDE_RECONNECT_FIXED,
  [CHOICE_BACKOFF] = SONDE_RECONNECT_BACKOFF,
};

static const struct
{
  const char *title;
  const char *subtitle;
  double      lower;
  double      upper;
  double      step;
  double      page;
  guint       digits;
} spin_specs[N_SPINS] = {
  [SPIN_INITIAL] = { N_("Delay"), N_("Milliseconds before the first attempt"),
                     0, 3600000, 100, 1000, 0 },
  [SPIN_MAX] = { N_("Longest Delay"), N_("Milliseconds"), 0, 3600000, 1000, 10000, 0 },
  [SPIN_FACTOR] = { N_("Growth per Attempt"), NULL, 1, 10, 0.1, 1, 1 },
  [SPIN_JITTER] = { N_("Jitter"), N_("Each delay varies by up to this share"), 0, 1, 0.05, 0.1, 2 },
  [SPIN_ATTEMPTS] = { N_("Give Up After"), N_("Attempts in a row; 0 never gives up"),
                      0, 1000000, 1, 10, 0 },
};

/* An enum key shown as the position of its nick in @user_data. */
static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nick, nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **)nicks))
    return NULL;

  return g_variant_new_string (nicks[position]);
}

static void
bind_choice (SondePreferencesWindow *self,
             const char             *key,
             AdwComboRow            *row,
             const char * const     *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick, (gpointer)nicks, NULL);
}

static void
policy_editor_update_rows (PolicyEditor *editor)
{
  PolicyChoice choice = adw_combo_row_get_selected (editor->mode_row);
  gboolean delays = choice == CHOICE_FIXED || choice == CHOICE_BACKOFF;

  gtk_widget_set_visible (GTK_WIDGET (editor->rows[SPIN_INITIAL]), delays);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->rows[SPIN_INITIAL]),
                                 choice == CHOICE_BACKOFF ? _("First Delay") : _("Delay"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (editor->spins[SPIN_INITIAL]),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  choice == CHOICE_BACKOFF ? _("First Delay") : _("Delay"),
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (editor->rows[SPIN_MAX]), choice == CHOICE_BACKOFF);
  gtk_widget_set_visible (GTK_WIDGET (editor->rows[SPIN_FACTOR]), choice == CHOICE_BACKOFF);
  gtk_widget_set_visible (GTK_WIDGET (editor->rows[SPIN_JITTER]), delays);
  gtk_widget_set_visible (GTK_WIDGET (editor->rows[SPIN_ATTEMPTS]), choice != CHOICE_NONE);
}

static void
policy_editor_load (PolicyEditor *editor)
{
  SondeReconnectPolicy policy;
  PolicyChoice choice = CHOICE_SPEC;

  sonde_settings_get_reconnect_policy (editor->window->settings, editor->transport, &policy);
  for (guint i = 0; i < N_CHOICES; i++)
    if (choice_modes[i] == policy.mode)
      choice = i;

  editor->loading = TRUE;
  adw_combo_row_set_selected (editor->mode_row, choice);
  gtk_spin_button_set_value (editor->spins[SPIN_INITIAL], policy.initial_ms);
  gtk_spin_button_set_value (editor->spins[SPIN_MAX], policy.max_ms);
  gtk_spin_button_set_value (editor->spins[SPIN_FACTOR], policy.factor);
  gtk_spin_button_set_value (editor->spins[SPIN_JITTER], policy.jitter);
  gtk_spin_button_set_value (editor->spins[SPIN_ATTEMPTS], policy.max_attempts);
  editor->loading = FALSE;

  policy_editor_update_rows (editor);
}

static void
policy_editor_store (PolicyEditor *editor)
{
  SondeReconnectPolicy policy;

  policy_editor_update_rows (editor);
  if (editor->loading)
    return;

  sonde_reconnect_policy_init_spec (&policy);
  policy.mode = choice_modes[MIN (adw_combo_row_get_selected (editor->mode_row), CHOICE_BACKOFF)];
  policy.initial_ms = (guint)gtk_spin_button_get_value_as_int (editor->spins[SPIN_INITIAL]);
  policy.max_ms = (guint)gtk_spin_button_get_value_as_int (editor->spins[SPIN_MAX]);
  policy.factor = gtk_spin_button_get_value (editor->spins[SPIN_FACTOR]);
  policy.jitter = gtk_spin_button_get_value (editor->spins[SPIN_JITTER]);
  policy.max_attempts = (guint)gtk_spin_button_get_value_as_int (editor->spins[SPIN_ATTEMPTS]);
  sonde_settings_set_reconnect_policy (editor->window->settings, editor->transport, &policy);
}

static void
policy_key_changed_cb (GSettings  *settings,
                       const char *key,
                       gpointer    user_data)
{
  policy_editor_load (user_data);
}

static void
policy_widget_changed_cb (GObject    *object,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  policy_editor_store (user_data);
}

static void
policy_spin_changed_cb (GtkSpinButton *spin,
                        gpointer       user_data)
{
  policy_editor_store (user_data);
}

static void
policy_editor_build (SondePreferencesWindow *self,
                     PolicyEditor           *editor,
                     SondeTransport          transport,
                     AdwPreferencesGroup    *group)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  g_autofree char *signal = g_strconcat ("changed::", sonde_settings_policy_key (transport), NULL);

  editor->window = self;
  editor->transport = transport;

  /* The connect page's words for the same choices. */
  gtk_string_list_append (choices, C_("reconnect policy", "Like a Browser"));
  gtk_string_list_append (choices, C_("reconnect policy", "Never"));
  gtk_string_list_append (choices, C_("reconnect policy", "After a Fixed Delay"));
  gtk_string_list_append (choices, C_("reconnect policy", "With Backoff"));
  editor->mode_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->mode_row),
                                 C_("reconnect policy", "Reconnect"));
  adw_combo_row_set_model (editor->mode_row, G_LIST_MODEL (choices));
  adw_preferences_group_add (group, GTK_WIDGET (editor->mode_row));

  for (guint i = 0; i < N_SPINS; i++)
    {
      GtkAdjustment *adjustment = gtk_adjustment_new (spin_specs[i].lower, spin_specs[i].lower,
                                                      spin_specs[i].upper, spin_specs[i].step,
                                                      spin_specs[i].page, 0);

      editor->spins[i] = GTK_SPIN_BUTTON (gtk_spin_button_new (adjustment, 0,
                                                               spin_specs[i].digits));
      gtk_spin_button_set_numeric (editor->spins[i], TRUE);
      gtk_widget_set_valign (GTK_WIDGET (editor->spins[i]), GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (editor->spins[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(spin_specs[i].title), -1);

      editor->rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->rows[i]),
                                     _(spin_specs[i].title));
      if (spin_specs[i].subtitle != NULL)
        adw_action_row_set_subtitle (editor->rows[i], _(spin_specs[i].subtitle));
      adw_action_row_add_suffix (editor->rows[i], GTK_WIDGET (editor->spins[i]));
      adw_action_row_set_activatable_widget (editor->rows[i], GTK_WIDGET (editor->spins[i]));
      adw_preferences_group_add (group, GTK_WIDGET (editor->rows[i]));
    }

  policy_editor_load (editor);

  g_signal_connect (editor->mode_row, "notify::selected",
                    G_CALLBACK (policy_widget_changed_cb), editor);
  for (guint i = 0; i < N_SPINS; i++)
    g_signal_connect (editor->spins[i], "value-changed",
                      G_CALLBACK (policy_spin_changed_cb), editor);
  /* Disconnected in dispose: the editor is part of this window. */
  g_signal_connect (self->settings, signal, G_CALLBACK (policy_key_changed_cb), editor);
}

/* Names every switch under @widget @name. */
static void
name_switches (GtkWidget  *widget,
               const char *name)
{
  if (GTK_IS_SWITCH (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_switches (child, name);
}

static void
sonde_preferences_window_constructed (GObject *object)
{
  SondePreferencesWindow *self = SONDE_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (sonde_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  bind_choice (self, "style", self->style_row, style_nicks);
  bind_choice (self, "time-format", self->time_format_row, time_format_nicks);
  g_settings_bind (self->settings, "use-system-font", self->system_font_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "use-system-font", self->font_row, "sensitive",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);
  g_settings_bind (self->settings, "payload-font", self->font_button, "font",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "limit-entries", self->limit_row, "enable-expansion",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "entries-limit", self->limit_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "ask-before-closing", self->ask_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* libadwaita 1.2 gives the expander row's own switch no name; its rows hold no other. */
  name_switches (GTK_WIDGET (self->limit_row), _("Limit the Entries Kept per Tab"));

  policy_editor_build (self, &self->policies[0], SONDE_TRANSPORT_SSE, self->sse_group);
  policy_editor_build (self, &self->policies[1], SONDE_TRANSPORT_WEBSOCKET, self->ws_group);
}

static void
sonde_preferences_window_dispose (GObject *object)
{
  SondePreferencesWindow *self = SONDE_PREFERENCES_WINDOW (object);

  /* The editors live in this object: no handler may reach them after it. */
  if (self->settings != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->policies); i++)
        g_signal_handlers_disconnect_by_data (self->settings, &self->policies[i]);
    }

  G_OBJECT_CLASS (sonde_preferences_window_parent_class)->dispose (object);
}

static void
sonde_preferences_window_finalize (GObject *object)
{
  SondePreferencesWindow *self = SONDE_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sonde_preferences_window_parent_class)->finalize (object);
}

static void
sonde_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SondePreferencesWindow *self = SONDE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SondePreferencesWindow *self = SONDE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_preferences_window_class_init (SondePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_preferences_window_constructed;
  object_class->dispose = sonde_preferences_window_dispose;
  object_class->finalize = sonde_preferences_window_finalize;
  object_class->get_property = sonde_preferences_window_get_property;
  object_class->set_property = sonde_preferences_window_set_property;

  /* Sonde's settings: the window edits them in place. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, time_format_row);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, system_font_switch);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, font_row);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, font_button);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, limit_row);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, limit_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, ask_switch);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, sse_group);
  gtk_widget_class_bind_template_child (widget_class, SondePreferencesWindow, ws_group);
}

static void
sonde_preferences_window_init (SondePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sonde_preferences_window_new:
 * @settings: Sonde's settings
 *
 * Returns: (transfer none): a Preferences window that edits @settings; GTK holds
 *   it until it is closed
 */
GtkWidget *
sonde_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SONDE_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

/**
 * sonde_preferences_window_get_settings:
 *
 * Returns: (transfer none): the settings the window edits
 */
GSettings *
sonde_preferences_window_get_settings (SondePreferencesWindow *self)
{
  g_return_val_if_fail (SONDE_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}

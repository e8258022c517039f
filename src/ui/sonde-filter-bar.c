/* sonde-filter-bar.c: the search bar (Ctrl+F) that edits a filter model's query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sonde-filter-bar.h"

/* The bar only says what to look for; the model finds it, off the main
 * thread. Typing waits for a pause of 150 ms; Enter, an emptied entry and
 * the toggles apply at once. Closing the bar, with Escape or its button,
 * clears everything, so the list shows the whole log again.
 *
 * The pause is the bar's own, on notify::text, rather than the search
 * entry's search-changed: replacing the text (typing over a selection)
 * changes it twice, once to empty, and search-changed reports an empty
 * entry at once, which would flash the whole log between two queries. */

#define TYPING_PAUSE_MS 150

/* One bit per toggle, in the order of the toggle properties. */
enum {
  SWITCH_REGEX,
  SWITCH_CASE_SENSITIVE,
  SWITCH_DATA,
  SWITCH_CONTROL,
  SWITCH_LIFECYCLE,
  SWITCH_PROBLEMS,
  SWITCH_INCOMING,
  SWITCH_OUTGOING,
  SWITCH_LOCAL,
  N_SWITCHES
};

#define CATEGORY_SHIFT  SWITCH_DATA
#define DIRECTION_SHIFT SWITCH_INCOMING
#define DEFAULT_SWITCHES ((SONDE_FILTER_ALL_CATEGORIES << CATEGORY_SHIFT) | \
                          (SONDE_FILTER_ALL_DIRECTIONS << DIRECTION_SHIFT))

G_STATIC_ASSERT (SWITCH_DATA + SONDE_ENTRY_CATEGORY_DATA == SWITCH_DATA);
G_STATIC_ASSERT (SWITCH_DATA + SONDE_ENTRY_CATEGORY_PROBLEM == SWITCH_PROBLEMS);
G_STATIC_ASSERT (SWITCH_INCOMING + SONDE_DIRECTION_LOCAL == SWITCH_LOCAL);

struct _SondeFilterBar
{
  GtkWidget           parent_instance;

  GtkSearchBar       *search_bar;
  GtkSearchEntry     *entry;
  GtkProgressBar     *progress_bar;
  GtkLabel           *count_label;
  GtkLabel           *error_label;

  SondeFilterModel   *model;
  GSignalGroup       *model_signals;
  GSignalGroup       *log_signals;

  GtkWidget          *capture_widget;     /* weak */
  GtkEventController *capture_shortcuts;  /* on capture_widget: Ctrl+F */
  GtkWidget          *focus_before;       /* weak: where focus goes back to on close */
  GtkWidget          *focus_anchor;       /* weak: its ancestor below the capture widget */

  guint               switches;
  char               *error;
  guint               typing_source;
};

G_DEFINE_FINAL_TYPE (SondeFilterBar, sonde_filter_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_KEY_CAPTURE_WIDGET,
  PROP_SEARCH_MODE,
  PROP_ERROR,
  PROP_REGEX,             /* the toggles, in switch order */
  PROP_CASE_SENSITIVE,
  PROP_SHOW_DATA,
  PROP_SHOW_CONTROL,
  PROP_SHOW_LIFECYCLE,
  PROP_SHOW_PROBLEMS,
  PROP_SHOW_INCOMING,
  PROP_SHOW_OUTGOING,
  PROP_SHOW_LOCAL,
  N_PROPS
};

G_STATIC_ASSERT (PROP_SHOW_LOCAL - PROP_REGEX == SWITCH_LOCAL);

static GParamSpec *properties[N_PROPS];

static const char * const switch_names[N_SWITCHES] = {
  "regex", "case-sensitive", "show-data", "show-control", "show-lifecycle", "show-problems",
  "show-incoming", "show-outgoing", "show-local",
};

GtkWidget *
sonde_filter_bar_new (void)
{
  return g_object_new (SONDE_TYPE_FILTER_BAR, NULL);
}

static void
set_error (SondeFilterBar *self,
           const char     *message)
{
  if (g_strcmp0 (message, self->error) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Builds the query from the controls and hands it to the model. A bad
 * pattern leaves the last good query in force, and says what is wrong. */
static void
update_query (SondeFilterBar *self)
{
  g_autoptr(SondeFilterQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  SondeFilterFlags flags = SONDE_FILTER_FLAGS_NONE;

  g_clear_handle_id (&self->typing_source, g_source_remove);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      set_error (self, NULL);
      if (self->model != NULL)
        sonde_filter_model_set_query (self->model, NULL);
      return;
    }

  if (self->switches & (1u << SWITCH_REGEX))
    flags |= SONDE_FILTER_REGEX;
  if (self->switches & (1u << SWITCH_CASE_SENSITIVE))
    flags |= SONDE_FILTER_CASE_SENSITIVE;

  query = sonde_filter_query_new (gtk_editable_get_text (GTK_EDITABLE (self->entry)), flags,
                                  (self->switches >> CATEGORY_SHIFT) & SONDE_FILTER_ALL_CATEGORIES,
                                  (self->switches >> DIRECTION_SHIFT) & SONDE_FILTER_ALL_DIRECTIONS,
                                  NULL, &error);
  if (query == NULL)
    {
      set_error (self, error->message);
      return;
    }

  set_error (self, NULL);
  if (self->model != NULL)
    sonde_filter_model_set_query (self->model, query);
}

static char *
format_count (guint n)
{
  /* Grouped as the locale groups thousands: 1,000,000 or 1.000.000. */
  return g_strdup_printf ("%'u", n);
}

static void
update_status (SondeFilterBar *self)
{
  gboolean active = self->model != NULL && sonde_filter_model_get_active (self->model);
  gboolean scanning = active && sonde_filter_model_get_scanning (self->model);

  if (active)
    {
      SondeEventLog *log = sonde_filter_model_get_log (self->model);
      g_autofree char *matches = format_count (g_list_model_get_n_items (G_LIST_MODEL (self->model)));
      g_autofree char *total = format_count (g_list_model_get_n_items (G_LIST_MODEL (log)));
      /* Translators: matching entries of all entries, such as "1,234 of 1,000,000" */
      g_autofree char *text = g_strdup_printf (_("%s of %s"), matches, total);

      gtk_label_set_label (self->count_label, text);
    }
  else
    gtk_label_set_label (self->count_label, "");

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), scanning);
  if (scanning)
    gtk_progress_bar_set_fraction (self->progress_bar, sonde_filter_model_get_progress (self->model));
}

static void
model_changed_cb (SondeFilterBar *self)
{
  update_status (self);
}

static gboolean
typing_paused_cb (gpointer user_data)
{
  SondeFilterBar *self = user_data;

  self->typing_source = 0;
  update_query (self);

  return G_SOURCE_REMOVE;
}

static void
entry_text_changed_cb (SondeFilterBar *self)
{
  g_clear_handle_id (&self->typing_source, g_source_remove);

  if (gtk_editable_get_text (GTK_EDITABLE (self->entry))[0] == '\0')
    update_query (self);
  else
    self->typing_source = g_timeout_add_full (G_PRIORITY_DEFAULT, TYPING_PAUSE_MS,
                                              typing_paused_cb, self, NULL);
}

static void
entry_activate_cb (SondeFilterBar *self)
{
  g_clear_handle_id (&self->typing_source, g_source_remove);
  update_query (self);
}

static void
set_switches (SondeFilterBar *self,
              guint           switches)
{
  guint changed = switches ^ self->switches;

  if (changed == 0)
    return;

  self->switches = switches;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < N_SWITCHES; i++)
    if (changed & (1u << i))
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGEX + i]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
remember_focus (SondeFilterBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *anchor = focus;

  if (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return;

  while (anchor != NULL && gtk_widget_get_parent (anchor) != self->capture_widget &&
         !GTK_IS_ROOT (gtk_widget_get_parent (anchor)))
    anchor = gtk_widget_get_parent (anchor);

  g_set_weak_pointer (&self->focus_before, focus);
  g_set_weak_pointer (&self->focus_anchor, anchor);
}

/* Back where the user was; a list may have replaced the very row that had
 * focus, and then the part of the page that held it takes it. */
static void
restore_focus (SondeFilterBar *self)
{
  if (self->focus_before != NULL && gtk_widget_get_mapped (self->focus_before))
    gtk_widget_grab_focus (self->focus_before);
  else if (self->focus_anchor != NULL && gtk_widget_get_mapped (self->focus_anchor))
    gtk_widget_child_focus (self->focus_anchor, GTK_DIR_TAB_FORWARD);

  g_clear_weak_pointer (&self->focus_before);
  g_clear_weak_pointer (&self->focus_anchor);
}

static void
search_mode_changed_cb (SondeFilterBar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      /* The search bar empties the entry itself; the toggles go back too. */
      set_switches (self, DEFAULT_SWITCHES);
      restore_focus (self);
    }

  update_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeFilterBar *self = SONDE_FILTER_BAR (widget);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    remember_focus (self);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SondeFilterBar *self = SONDE_FILTER_BAR (widget);

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Ctrl+F anywhere in the capture widget (after its children had their say). */
static gboolean
capture_key_pressed_cb (SondeFilterBar  *self,
                        guint            keyval,
                        guint            keycode,
                        GdkModifierType  state)
{
  if ((keyval != GDK_KEY_f && keyval != GDK_KEY_F) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != GDK_CONTROL_MASK)
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), "filter-bar.open", NULL);
}

static void
sonde_filter_bar_dispose (GObject *object)
{
  SondeFilterBar *self = SONDE_FILTER_BAR (object);

  sonde_filter_bar_set_key_capture_widget (self, NULL);
  g_clear_weak_pointer (&self->focus_before);
  g_clear_weak_pointer (&self->focus_anchor);
  g_clear_handle_id (&self->typing_source, g_source_remove);
  if (self->model_signals != NULL)
    g_signal_group_set_target (self->model_signals, NULL);
  if (self->log_signals != NULL)
    g_signal_group_set_target (self->log_signals, NULL);
  g_clear_object (&self->model_signals);
  g_clear_object (&self->log_signals);
  g_clear_object (&self->model);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_FILTER_BAR);

  G_OBJECT_CLASS (sonde_filter_bar_parent_class)->dispose (object);
}

static void
sonde_filter_bar_finalize (GObject *object)
{
  SondeFilterBar *self = SONDE_FILTER_BAR (object);

  g_free (self->error);

  G_OBJECT_CLASS (sonde_filter_bar_parent_class)->finalize (object);
}

static void
sonde_filter_bar_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SondeFilterBar *self = SONDE_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_KEY_CAPTURE_WIDGET:
      g_value_set_object (value, self->capture_widget);
      break;

    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, sonde_filter_bar_get_search_mode (self));
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      /* The toggles. */
      if (prop_id >= PROP_REGEX && prop_id < N_PROPS)
        g_value_set_boolean (value, (self->switches & (1u << (prop_id - PROP_REGEX))) != 0);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_filter_bar_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SondeFilterBar *self = SONDE_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sonde_filter_bar_set_model (self, g_value_get_object (value));
      break;

    case PROP_KEY_CAPTURE_WIDGET:
      sonde_filter_bar_set_key_capture_widget (self, g_value_get_object (value));
      break;

    case PROP_SEARCH_MODE:
      sonde_filter_bar_set_search_mode (self, g_value_get_boolean (value));
      break;

    default:
      /* The toggles. */
      if (prop_id >= PROP_REGEX && prop_id < N_PROPS)
        {
          guint bit = 1u << (prop_id - PROP_REGEX);
          guint before = self->switches;

          set_switches (self, g_value_get_boolean (value) ? before | bit : before & ~bit);
          if (self->switches != before)
            update_query (self);
        }
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_filter_bar_class_init (SondeFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_filter_bar_dispose;
  object_class->finalize = sonde_filter_bar_finalize;
  object_class->get_property = sonde_filter_bar_get_property;
  object_class->set_property = sonde_filter_bar_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SONDE_TYPE_FILTER_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Typing there starts filtering, and Ctrl+F there opens the bar. */
  properties[PROP_KEY_CAPTURE_WIDGET] =
    g_param_spec_object ("key-capture-widget", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* What is wrong with the regular expression, as shown under the entry. */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < N_SWITCHES; i++)
    properties[PROP_REGEX + i] =
      g_param_spec_boolean (switch_names[i], NULL, NULL, (DEFAULT_SWITCHES >> i) & 1,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ADW_TYPE_SQUEEZER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeFilterBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeFilterBar, entry);
  gtk_widget_class_bind_template_child (widget_class, SondeFilterBar, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeFilterBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, SondeFilterBar, error_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_changed_cb);

  gtk_widget_class_install_action (widget_class, "filter-bar.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "filter-bar.close", NULL, close_action);
  for (guint i = 0; i < N_SWITCHES; i++)
    {
      g_autofree char *action = g_strconcat ("filter-bar.", switch_names[i], NULL);

      gtk_widget_class_install_property_action (widget_class, action, switch_names[i]);
    }

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "filter-bar.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "filter-bar.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_ALT_MASK,
                                       "filter-bar.regex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_ALT_MASK,
                                       "filter-bar.case-sensitive", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sonde-filter-bar");
}

static void
sonde_filter_bar_init (SondeFilterBar *self)
{
  self->switches = DEFAULT_SWITCHES;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));

  self->model_signals = g_signal_group_new (SONDE_TYPE_FILTER_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "notify::n-items",
                                  G_CALLBACK (model_changed_cb), self);
  g_signal_group_connect_swapped (self->model_signals, "notify::active",
                                  G_CALLBACK (model_changed_cb), self);
  g_signal_group_connect_swapped (self->model_signals, "notify::scanning",
                                  G_CALLBACK (model_changed_cb), self);
  g_signal_group_connect_swapped (self->model_signals, "notify::progress",
                                  G_CALLBACK (model_changed_cb), self);

  self->log_signals = g_signal_group_new (SONDE_TYPE_EVENT_LOG);
  g_signal_group_connect_swapped (self->log_signals, "items-changed",
                                  G_CALLBACK (model_changed_cb), self);
}

/**
 * sonde_filter_bar_get_model:
 *
 * Returns: (transfer none) (nullable): the model whose query the bar edits
 */
SondeFilterModel *
sonde_filter_bar_get_model (SondeFilterBar *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_BAR (self), NULL);

  return self->model;
}

/**
 * sonde_filter_bar_set_model:
 * @model: (nullable): the model whose query the bar edits
 */
void
sonde_filter_bar_set_model (SondeFilterBar   *self,
                            SondeFilterModel *model)
{
  g_return_if_fail (SONDE_IS_FILTER_BAR (self));
  g_return_if_fail (model == NULL || SONDE_IS_FILTER_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  g_signal_group_set_target (self->model_signals, model);
  g_signal_group_set_target (self->log_signals,
                             model != NULL ? sonde_filter_model_get_log (model) : NULL);
  update_query (self);
  update_status (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * sonde_filter_bar_get_key_capture_widget:
 *
 * Returns: (transfer none) (nullable): where typing starts filtering
 */
GtkWidget *
sonde_filter_bar_get_key_capture_widget (SondeFilterBar *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_BAR (self), NULL);

  return self->capture_widget;
}

/**
 * sonde_filter_bar_set_key_capture_widget:
 * @widget: (nullable): a widget, such as the page the bar filters; typing
 *   there starts filtering, and Ctrl+F there opens the bar
 */
void
sonde_filter_bar_set_key_capture_widget (SondeFilterBar *self,
                                         GtkWidget      *widget)
{
  g_return_if_fail (SONDE_IS_FILTER_BAR (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (self->capture_widget == widget)
    return;

  if (self->capture_widget != NULL && self->capture_shortcuts != NULL)
    gtk_widget_remove_controller (self->capture_widget, self->capture_shortcuts);
  self->capture_shortcuts = NULL;
  g_set_weak_pointer (&self->capture_widget, widget);

  if (self->search_bar != NULL)
    gtk_search_bar_set_key_capture_widget (self->search_bar, widget);

  if (widget != NULL)
    {
      /* A key controller, not a GtkShortcutController: on GTK 4.8, a
       * shortcut controller added to an ancestor of the bar stops the
       * toggle buttons from following their actions' state. */
      self->capture_shortcuts = gtk_event_controller_key_new ();
      gtk_event_controller_set_static_name (self->capture_shortcuts, "sonde-filter-bar-open");
      g_signal_connect_object (self->capture_shortcuts, "key-pressed",
                               G_CALLBACK (capture_key_pressed_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_add_controller (widget, self->capture_shortcuts);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_CAPTURE_WIDGET]);
}

gboolean
sonde_filter_bar_get_search_mode (SondeFilterBar *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_BAR (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

/**
 * sonde_filter_bar_set_search_mode:
 * @search_mode: %TRUE to show the bar; %FALSE to clear it and hide it
 */
void
sonde_filter_bar_set_search_mode (SondeFilterBar *self,
                                  gboolean        search_mode)
{
  g_return_if_fail (SONDE_IS_FILTER_BAR (self));

  gtk_widget_activate_action (GTK_WIDGET (self),
                              search_mode ? "filter-bar.open" : "filter-bar.close", NULL);
}

/**
 * sonde_filter_bar_get_error:
 *
 * Returns: (nullable): what is wrong with the regular expression, as the
 *   bar shows it; %NULL when nothing is
 */
const char *
sonde_filter_bar_get_error (SondeFilterBar *self)
{
  g_return_val_if_fail (SONDE_IS_FILTER_BAR (self), NULL);

  return self->error;
}

/* sonde-frame-view.c: the Frame page: every field of every frame of an entry, and what it broke
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sonde-frame-text.h"
#include "sonde-frame-view.h"

/* The words come from core (sonde-frame-text); this page lays them out as
 * groups of rows that a screen reader reads field by field. Rows are made
 * when the page is shown, not for every entry selected while it is hidden. */

struct _SondeFrameView
{
  GtkWidget    parent_instance;

  GtkWidget   *scroller;
  GtkBox      *content;

  SondeEntry  *entry;
  gboolean     stale;
};

G_DEFINE_FINAL_TYPE (SondeFrameView, sonde_frame_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
note_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* A field's name and its value side by side; the value wraps and can be
 * selected and copied. */
static GtkWidget *
field_row (const SondeFrameField *field)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (field->name);
  GtkWidget *value = gtk_label_new (field->value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_yalign (GTK_LABEL (name), 0);
  gtk_label_set_width_chars (GTK_LABEL (name), 14);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 14);
  gtk_widget_add_css_class (name, "dim-label");

  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "frame-value");

  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* The row reads as its field and its value. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, field->name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, field->value,
                                  -1);
  return row;
}

static GtkWidget *
problem_row (const char *sentence)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sentence);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Protocol violation"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "frame-problem");
  return row;
}

static void
add_problems (SondeFrameView *self,
              AdwPreferencesGroup *group,
              GPtrArray      *problems)
{
  for (guint i = 0; i < problems->len; i++)
    adw_preferences_group_add (group, problem_row (g_ptr_array_index (problems, i)));
}

static void
clear_content (SondeFrameView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))) != NULL)
    gtk_box_remove (self->content, child);
}

static void
rebuild (SondeFrameView *self)
{
  g_autoptr(SondeFrameText) text = NULL;

  self->stale = FALSE;
  clear_content (self);

  if (self->entry == NULL)
    {
      gtk_box_append (self->content, note_label (_("Select an entry to see its frames")));
      return;
    }

  text = sonde_frame_text_new_for_entry (sonde_entry_get_view (self->entry),
                                         SONDE_FRAME_VIEW_MAX_ITEMS);

  if (text->problems->len > 0)
    {
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       C_("frame view", "Problems"));
      add_problems (self, ADW_PREFERENCES_GROUP (group), text->problems);
      gtk_box_append (self->content, group);
    }

  for (guint i = 0; i < text->sections->len; i++)
    {
      SondeFrameSection *section = g_ptr_array_index (text->sections, i);
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), section->title);
      if (section->summary != NULL)
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), section->summary);
      add_problems (self, ADW_PREFERENCES_GROUP (group), section->problems);
      for (guint f = 0; f < section->fields->len; f++)
        {
          const SondeFrameField *field = &g_array_index (section->fields, SondeFrameField, f);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), field_row (field));
        }
      gtk_box_append (self->content, group);
    }

  if (text->n_omitted > 0)
    {
      g_autofree char *more = NULL;

      if (sonde_entry_get_kind (self->entry) == SONDE_ENTRY_SSE ||
          sonde_entry_get_kind (self->entry) == SONDE_ENTRY_COMMENT)
        more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more line is not shown",
                                             "%u more lines are not shown", text->n_omitted),
                                text->n_omitted);
      else
        more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more frame is not shown",
                                             "%u more frames are not shown", text->n_omitted),
                                text->n_omitted);
      gtk_box_append (self->content, note_label (more));
    }

  if (text->sections->len == 0 && text->problems->len == 0)
    gtk_box_append (self->content, note_label (_("This entry did not come in frames")));
}

SondeEntry *
sonde_frame_view_get_entry (SondeFrameView *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME_VIEW (self), NULL);

  return self->entry;
}

/**
 * sonde_frame_view_set_entry:
 * @entry: (nullable): the entry whose frames to describe
 */
void
sonde_frame_view_set_entry (SondeFrameView *self,
                            SondeEntry     *entry)
{
  g_return_if_fail (SONDE_IS_FRAME_VIEW (self));
  g_return_if_fail (entry == NULL || SONDE_IS_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rebuild (self);
  else
    self->stale = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

static void
sonde_frame_view_map (GtkWidget *widget)
{
  SondeFrameView *self = SONDE_FRAME_VIEW (widget);

  if (self->stale)
    rebuild (self);
  GTK_WIDGET_CLASS (sonde_frame_view_parent_class)->map (widget);
}

static void
sonde_frame_view_dispose (GObject *object)
{
  SondeFrameView *self = SONDE_FRAME_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_FRAME_VIEW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (sonde_frame_view_parent_class)->dispose (object);
}

static void
sonde_frame_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SondeFrameView *self = SONDE_FRAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_frame_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SondeFrameView *self = SONDE_FRAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      sonde_frame_view_set_entry (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_frame_view_class_init (SondeFrameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_frame_view_dispose;
  object_class->get_property = sonde_frame_view_get_property;
  object_class->set_property = sonde_frame_view_set_property;
  widget_class->map = sonde_frame_view_map;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, SONDE_TYPE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-frame-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeFrameView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SondeFrameView, content);

  gtk_widget_class_set_css_name (widget_class, "sonde-frame-view");
}

static void
sonde_frame_view_init (SondeFrameView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->stale = TRUE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Frame fields"), -1);
}

GtkWidget *
sonde_frame_view_new (void)
{
  return g_object_new (SONDE_TYPE_FRAME_VIEW, NULL);
}

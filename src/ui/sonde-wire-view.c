/* sonde-wire-view.c: the Wire page: an entry's bytes on the wire with its fields told apart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-hex-view.h"
#include "sonde-wire-view.h"

struct _SondeWireView
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkLabel     *empty_label;
  GtkFlowBox   *legend;
  GtkWidget    *unmasked_button;
  SondeHexView *hex_view;
  GtkLabel     *selection_label;

  SondeEntry   *entry;
};

G_DEFINE_FINAL_TYPE (SondeWireView, sonde_wire_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  SondeWireView *self = SONDE_WIRE_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (area),
                                                                  SONDE_TYPE_WIRE_VIEW));
  SondeWireKind kind = GPOINTER_TO_UINT (user_data);
  GdkRGBA color;

  if (self == NULL)
    return;
  sonde_hex_view_get_kind_color (self->hex_view, kind, &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

static void
add_legend_item (SondeWireView *self,
                 SondeWireKind  kind)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *label = gtk_label_new (sonde_wire_kind_to_string (kind));

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (kind), NULL);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (swatch, "wire-swatch");
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sonde_wire_kind_to_string (kind), -1);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  gtk_flow_box_append (self->legend, box);
  /* The legend explains; it is not a place to stop at with Tab. */
  gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
}

static void
rebuild_legend (SondeWireView *self,
                SondeWire     *wire)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend))) != NULL)
    gtk_flow_box_remove (self->legend, child);

  /* Only the kinds the entry has, in the order of the enumeration, which
   * is the order they come on the wire. */
  for (guint kind = 0; kind < SONDE_WIRE_N_KINDS; kind++)
    {
      if (sonde_wire_get_kinds (wire) & (1u << kind))
        add_legend_item (self, kind);
    }
}

static void
selection_changed_cb (SondeWireView *self)
{
  g_autofree char *text = sonde_hex_view_describe_selection (self->hex_view);

  gtk_label_set_text (self->selection_label, text);
}

SondeEntry *
sonde_wire_view_get_entry (SondeWireView *self)
{
  g_return_val_if_fail (SONDE_IS_WIRE_VIEW (self), NULL);

  return self->entry;
}

/**
 * sonde_wire_view_set_entry:
 * @entry: (nullable): the entry whose bytes to show
 */
void
sonde_wire_view_set_entry (SondeWireView *self,
                           SondeEntry    *entry)
{
  SondeWire *wire;

  g_return_if_fail (SONDE_IS_WIRE_VIEW (self));
  g_return_if_fail (entry == NULL || SONDE_IS_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  sonde_hex_view_set_entry (self->hex_view, entry);
  wire = sonde_hex_view_get_wire (self->hex_view);

  if (entry == NULL)
    {
      gtk_label_set_text (self->empty_label, _("Select an entry to see its bytes on the wire"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (sonde_wire_get_layout (wire) == SONDE_WIRE_LAYOUT_NONE)
    {
      gtk_label_set_text (self->empty_label, _("This entry has no bytes on the wire"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      rebuild_legend (self, wire);
      gtk_widget_set_visible (self->unmasked_button, sonde_wire_has_masked (wire));
      gtk_stack_set_visible_child_name (self->stack, "bytes");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

static void
sonde_wire_view_dispose (GObject *object)
{
  SondeWireView *self = SONDE_WIRE_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_WIRE_VIEW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (sonde_wire_view_parent_class)->dispose (object);
}

static void
sonde_wire_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeWireView *self = SONDE_WIRE_VIEW (object);

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
sonde_wire_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeWireView *self = SONDE_WIRE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      sonde_wire_view_set_entry (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_wire_view_class_init (SondeWireViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_wire_view_dispose;
  object_class->get_property = sonde_wire_view_get_property;
  object_class->set_property = sonde_wire_view_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, SONDE_TYPE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SONDE_TYPE_HEX_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sonde/Sonde/sonde-wire-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeWireView, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeWireView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SondeWireView, legend);
  gtk_widget_class_bind_template_child (widget_class, SondeWireView, unmasked_button);
  gtk_widget_class_bind_template_child (widget_class, SondeWireView, hex_view);
  gtk_widget_class_bind_template_child (widget_class, SondeWireView, selection_label);

  gtk_widget_class_set_css_name (widget_class, "sonde-wire-view");
}

static void
sonde_wire_view_init (SondeWireView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_bind_property (self->hex_view, "show-unmasked", self->unmasked_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->hex_view, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->empty_label, _("Select an entry to see its bytes on the wire"));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
sonde_wire_view_new (void)
{
  return g_object_new (SONDE_TYPE_WIRE_VIEW, NULL);
}

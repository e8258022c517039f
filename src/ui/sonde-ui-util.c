/* sonde-ui-util.c: small helpers the window's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <epoxy/gl.h>
#include <glib/gi18n.h>

#include "sonde-ui-util.h"
#include "sonde-utf8.h"

/**
 * sonde_widget_unparent_children:
 *
 * Unparents every child of @widget, for a widget's dispose.
 */
void
sonde_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/**
 * sonde_message_label_set:
 * @text: (nullable): what to say; %NULL hides the label
 * @is_error: styled as an error, else as a dim remark
 *
 * A line under a field that says what is wrong with it, or how it went.
 */
void
sonde_message_label_set (GtkLabel   *label,
                         const char *text,
                         gboolean    is_error)
{
  GtkWidget *widget = GTK_WIDGET (label);

  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (widget, text != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_remove_css_class (widget, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_add_css_class (widget, "dim-label");
    }
}

/**
 * sonde_widget_add_capture_shortcut:
 * @callback: returns whether it handled the key; if not, the key goes on
 *
 * A key that @widget handles before any of its descendants sees it (the
 * capture phase), while the focus is inside @widget: a text view would
 * otherwise take Ctrl+Return as a line break, and Up and Down as cursor
 * moves.
 */
void
sonde_widget_add_capture_shortcut (GtkWidget       *widget,
                                   guint            keyval,
                                   GdkModifierType  modifiers,
                                   GtkShortcutFunc  callback,
                                   gpointer         data)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keyval, modifiers);

  gtk_event_controller_set_name (controller, "sonde-capture-shortcut");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_callback_action_new (callback, data,
                                                                                   NULL)));
  gtk_widget_add_controller (widget, controller);
}

/**
 * sonde_widget_fix_accessible_names:
 *
 * Gives the buttons under @widget the one name a screen reader should say,
 * where GTK 4.8 and libadwaita 1.2 leave a wrong one:
 *
 * - a button with a mnemonic label is named by its raw label and then its
 *   label's text ("_Connect Connect"), and a GtkStackSwitcher button by its
 *   page's raw title ("_Payload"): the name becomes the label's text;
 * - the close buttons of GtkSearchBar and of AdwTabBar's tabs have no name
 *   at all: they become "Close" and "Close Tab".
 *
 * Call it again on a container whose buttons come and go (the tab bar).
 */
void
sonde_widget_fix_accessible_names (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if (GTK_IS_LABEL (child) && gtk_label_get_use_underline (GTK_LABEL (child)))
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (GTK_LABEL (child)),
                                          -1);
        }
      else if (GTK_IS_IMAGE (child) &&
               g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)),
                          "window-close-symbolic") == 0)
        {
          gboolean in_tab = gtk_widget_get_ancestor (widget, ADW_TYPE_TAB_BAR) != NULL;

          gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          in_tab ? _("Close Tab") : _("Close"),
                                          -1);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    sonde_widget_fix_accessible_names (child);
}

/**
 * sonde_shortcuts_window_name_keys:
 *
 * GtkShortcutLabel (GTK 4.8) names a key without a printable character by
 * its keyval name, run through GTK's own catalogue: a German desktop reads
 * "Bild ab", an English one "Page_Down", the programmer's name. The keys the
 * shortcuts window under @widget shows that way get the name printed on
 * the key, in Sonde's catalogue.
 */
void
sonde_shortcuts_window_name_keys (GtkWidget *widget)
{
  static const struct { const char *keyval_name; const char *label; } keys[] = {
    { "Page_Up", NC_("keyboard label", "Page Up") },
    { "Page_Down", NC_("keyboard label", "Page Down") },
  };

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUT_LABEL) != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), keys[i].keyval_name) == 0)
          gtk_label_set_label (GTK_LABEL (widget), g_dpgettext2 (GETTEXT_PACKAGE, "keyboard label",
                                                                 keys[i].label));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    sonde_shortcuts_window_name_keys (child);
}

typedef struct
{
  double  value;
  char   *text;
} SpecialValue;

static void
special_value_free (gpointer data,
                    GClosure *closure)
{
  SpecialValue *special = data;

  g_free (special->text);
  g_free (special);
}

static gboolean
special_output_cb (GtkSpinButton *spin,
                   SpecialValue  *special)
{
  if (gtk_spin_button_get_value (spin) != special->value)
    return FALSE;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), special->text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), special->text);
  return TRUE;
}

static int
special_input_cb (GtkSpinButton *spin,
                  double        *new_value,
                  SpecialValue  *special)
{
  g_autofree char *typed = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (spin)), -1);
  g_autofree char *word = g_utf8_casefold (special->text, -1);

  if (!g_str_equal (g_strstrip (typed), word))
    return FALSE;

  *new_value = special->value;
  return TRUE;
}

/**
 * sonde_spin_button_set_special_value:
 * @value: the value that means something other than a number (0: never)
 * @text: what the field shows for it, such as “Never”; typing it works too
 *
 * A spin button whose one value stands for a word shows the word, so that
 * nobody has to read the row's subtitle to learn that 0 means never. The
 * button stops filtering what is typed to digits: it could not show the
 * word; anything else that is not a number is refused when it is read.
 */
void
sonde_spin_button_set_special_value (GtkSpinButton *spin,
                                     double         value,
                                     const char    *text)
{
  SpecialValue *special = g_new0 (SpecialValue, 1);

  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));
  g_return_if_fail (text != NULL);

  special->value = value;
  special->text = g_strdup (text);
  gtk_spin_button_set_numeric (spin, FALSE);
  g_signal_connect_data (spin, "output", G_CALLBACK (special_output_cb), special, NULL, 0);
  g_signal_connect_data (spin, "input", G_CALLBACK (special_input_cb), special,
                         special_value_free, 0);
  gtk_spin_button_update (spin);
  special_output_cb (spin, special);
}

/**
 * sonde_markup_printable:
 * @text: (nullable): text from outside: a peer, a file, an error
 *
 * @text as Pango markup that shows it as it is, on one line, every control
 * character as its picture. Toasts, a tab's tooltip, a preferences group's
 * description and (unless told otherwise) a row's title and subtitle read
 * markup in libadwaita 1.2: a server's status reason of `<b>` or a URL with
 * `a=1&b=2` would otherwise be read as markup, or refused with a warning
 * and shown as nothing.
 *
 * Returns: (transfer full): the markup
 */
char *
sonde_markup_printable (const char *text)
{
  g_autofree char *printable = sonde_utf8_printable (text, -1);

  return g_markup_escape_text (printable, -1);
}

/**
 * sonde_gl_renderer_name:
 *
 * Returns: (transfer full) (nullable): the OpenGL renderer (`GL_RENDERER`)
 *   that GTK would draw @display's windows with, or %NULL without OpenGL
 */
char *
sonde_gl_renderer_name (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  const char *name;
  char *copy;

  if (display == NULL)
    return NULL;

  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return NULL;

  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  copy = g_strdup (name);
  gdk_gl_context_clear_current ();

  return copy;
}

/**
 * sonde_gl_renderer_is_software:
 * @name: an OpenGL renderer's name, as sonde_gl_renderer_name() gives it
 *
 * Returns: whether @name is one of Mesa's rasterizers that draw on the
 *   processor ("llvmpipe (LLVM 15.0.6, 256 bits)"); a graphics processor
 *   whose driver is built with LLVM ("AMD Radeon (…, LLVM 15.0.7, …)") is not
 */
gboolean
sonde_gl_renderer_is_software (const char *name)
{
  static const char *software[] = { "llvmpipe", "softpipe", "swrast", "software rasterizer" };
  g_autofree char *lower = NULL;
  guint i;

  g_return_val_if_fail (name != NULL, FALSE);

  lower = g_ascii_strdown (name, -1);
  for (i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (lower, software[i]) != NULL)
      return TRUE;

  return FALSE;
}

/**
 * sonde_choose_renderer:
 *
 * Has GTK draw @display's windows with cairo when OpenGL renders in
 * software there and the user has not chosen with GSK_RENDERER. Call it
 * before the first window is realized: GTK reads GSK_RENDERER then.
 *
 * GTK 4.8 draws with OpenGL wherever OpenGL is found, even when that is
 * Mesa's software rasterizer (a virtual machine, a remote session, Xvfb):
 * every frame is then rasterized on the processor a second time, by
 * llvmpipe's threads, which compete with the tabs' own threads. At a fire
 * hose that made frames three to four times slower than GTK's cairo
 * renderer on the same machine (docs/performance.md, window-firehose).
 */
void
sonde_choose_renderer (GdkDisplay *display)
{
  g_autofree char *name = NULL;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;

  name = sonde_gl_renderer_name (display);
  if (name != NULL && sonde_gl_renderer_is_software (name))
    {
      g_debug ("OpenGL renders in software (%s): drawing with cairo", name);
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
    }
}

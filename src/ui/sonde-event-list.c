/* sonde-event-list.c: the list of a tab's entries, following the live edge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sonde-event-list.h"
#include "sonde-event-list-selection.h"

/* A million rows must scroll as fast as ten: every cell is a GtkInscription
 * (no GtkLabel measuring its text), rows have one height and columns fixed
 * widths, so GTK never measures a cell to lay out the list; a cell's text
 * comes from core's formatters into a stack buffer; the selection finds its
 * entry by binary search, never by walking the rows. */

typedef enum
{
  COLUMN_SEQ,
  COLUMN_TIME,
  COLUMN_DIRECTION,
  COLUMN_KIND,
  COLUMN_TYPE,
  COLUMN_ID,
  COLUMN_SIZE,
  COLUMN_PREVIEW,
  N_COLUMNS
} ColumnId;

typedef struct
{
  SondeEventList *self;
  ColumnId        id;
} Column;

struct _SondeEventList
{
  GtkWidget                parent_instance;

  GtkWidget               *overlay;
  GtkScrolledWindow       *scroller;
  GtkColumnView           *column_view;
  GtkWidget               *jump_button;
  GtkWidget               *list_view;        /* the column view's own, for its actions */

  SondeEventListSelection *selection;
  GListModel              *model;
  GSettings               *settings;
  Column                   columns[N_COLUMNS];
  GHashTable              *time_items;       /* bound list items of the time column */

  SondeTimeFormat          time_format;
  gboolean                 live;
  gint64                   clock_origin;
  gboolean                 following;
  guint                    scroll_tick;
  guint                    pending_scroll;   /* a row to show once laid out */
  gboolean                 ramp_stepped;     /* a step of the first rows since the last frame */
  double                   last_value;
  guint                    ignore_scroll;
  double                   last_page_size;
  gboolean                 room_changing;    /* Jump to Live's room opens or closes */
  gboolean                 was_at_end;       /* and the view was at the end then */
  gboolean                 restore_pending;  /* put the view back at restore_value */
  double                   restore_value;
};

G_DEFINE_FINAL_TYPE (SondeEventList, sonde_event_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_ENTRY,
  PROP_FOLLOWING,
  PROP_TIME_FORMAT,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The room the rows leave under them for Jump to Live: one style for every
 * list, the list's own (not the application's style sheet, as it is part of
 * how the list works). */
static GtkCssProvider *jump_button_room;
static int jump_button_room_px;

/* The button's height with its margins (a measure includes them), and a
 * little air: measured, so that large text makes room too. A button shown
 * for the first time may not have its style yet (a pill's padding), so it
 * is measured again once laid out (range_changed_cb()). Returns whether
 * the room changed. */
static gboolean
make_room_for (GtkWidget *button)
{
  int height;
  int room;

  gtk_widget_measure (button, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
  room = height + 6;
  if (room == jump_button_room_px)
    return FALSE;

  {
    g_autofree char *css = g_strdup_printf ("listview.under-jump-button { padding-bottom: %dpx; }",
                                            room);

    jump_button_room_px = room;
    gtk_css_provider_load_from_data (jump_button_room, css, -1);
  }
  return TRUE;
}

static gboolean
is_at_end (GtkAdjustment *adjustment)
{
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  return gtk_adjustment_get_value (adjustment) >= bottom - 1.0;
}

/* Jump to Live shows while the list does not follow and jumping would move
 * it: the newest rows are out of sight, or new ones may come (the list is
 * live). A selected row stops following, but in a tab that failed or closed
 * with every row in sight there is nothing to jump to. */
static void
update_jump_button (SondeEventList *self)
{
  GtkWidget *content = gtk_button_get_child (GTK_BUTTON (self->jump_button));

  /* Once nothing more comes (a finished recording, a closed or failed
   * connection) there is no live edge: the button says where it goes. */
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), self->live ? _("_Jump to Live") : _("Jump to _End"));
  gtk_widget_set_tooltip_text (self->jump_button,
                               self->live ? _("Scroll to the newest entry and follow new ones (End)")
                                          : _("Scroll to the newest entry (End)"));
  gtk_widget_set_visible (self->jump_button,
                          !self->following &&
                          (self->live ||
                           !is_at_end (gtk_scrolled_window_get_vadjustment (self->scroller))));
}

static void
set_following (SondeEventList *self,
               gboolean        following)
{
  if (self->following == following)
    return;

  self->following = following;
  update_jump_button (self);
  /* The button floats over the list's bottom end: while it shows, the rows
   * end above it (the list view gets that much padding: see
   * sonde_event_list_init()), so no row is hidden behind it; GTK keeps the
   * bottom rows of a view at the end in place as it gets shorter. */
  self->room_changing = TRUE;
  self->was_at_end = is_at_end (gtk_scrolled_window_get_vadjustment (self->scroller));
  if (following)
    gtk_widget_remove_css_class (self->list_view, "under-jump-button");
  else
    {
      make_room_for (self->jump_button);
      gtk_widget_add_css_class (self->list_view, "under-jump-button");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static void
scroll_to (SondeEventList *self,
           guint           position)
{
  /* GTK 4.8 has no gtk_list_view_scroll_to(); its list view has this action. */
  gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", position);
}

static void
scroll_to_end (SondeEventList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n > 0)
    scroll_to (self, n - 1);
}

static void queue_scroll (SondeEventList *self);

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  SondeEventList *self = SONDE_EVENT_LIST (widget);

  self->scroll_tick = 0;
  if (self->restore_pending)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

      self->restore_pending = FALSE;
      if (!self->following)
        {
          self->ignore_scroll++;
          gtk_adjustment_set_value (adjustment, self->restore_value);
          self->ignore_scroll--;
        }
    }
  /* A few more of the first rows (see sonde_event_list_selection_set_ramp()),
   * one step a frame: not when the items-changed before this frame made one. */
  if (sonde_event_list_selection_get_pending (self->selection) > 0)
    {
      if (!self->ramp_stepped)
        sonde_event_list_selection_ramp (self->selection);
      self->ramp_stepped = FALSE;
      queue_scroll (self);
    }
  if (self->following)
    scroll_to_end (self);
  else if (self->pending_scroll != GTK_INVALID_LIST_POSITION &&
           self->pending_scroll < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    scroll_to (self, self->pending_scroll);
  /* Once the list has rows of a size, the scroll took. */
  if (gtk_widget_get_height (self->list_view) > 0)
    self->pending_scroll = GTK_INVALID_LIST_POSITION;

  return G_SOURCE_REMOVE;
}

static void
queue_scroll (SondeEventList *self)
{
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

/* Scrolls to @position now, and again on the next frame in case the list
 * had not laid its rows out yet (then the action does nothing). */
static void
show_position (SondeEventList *self,
               guint           position)
{
  self->pending_scroll = position;
  scroll_to (self, position);
  queue_scroll (self);
}

/* New entries arrive at most once a frame; follow them on the next one. */
static void
queue_follow (SondeEventList *self)
{
  if (self->following || self->pending_scroll != GTK_INVALID_LIST_POSITION)
    queue_scroll (self);
}

static void
selection_items_changed_cb (GListModel     *model,
                            guint           position,
                            guint           removed,
                            guint           added,
                            SondeEventList *self)
{
  if (added > 0)
    queue_follow (self);
  if (sonde_event_list_selection_get_pending (self->selection) > 0)
    {
      self->ramp_stepped = TRUE;
      queue_scroll (self);
    }
}

/* The list lays new rows out a frame after they arrive, and scrolling to
 * a row it has not laid out yet does nothing: when the range grows and the
 * view is not at its end, follow again. */
static void
range_changed_cb (GtkAdjustment  *adjustment,
                  SondeEventList *self)
{
  double page_size = gtk_adjustment_get_page_size (adjustment);

  /* The rows made room for Jump to Live, or gave it back. GTK keeps the
   * bottom rows in place as a view gets shorter: right for a view at the
   * end, whose last row must stay in sight above the button; any other
   * gets its top rows back where the user left them, on the next frame
   * (the list ignores a value set while it lays itself out). Neither move
   * is the user scrolling. (The adjustment has its new value when
   * "changed" comes, before "value-changed".) */
  if (self->room_changing && page_size != self->last_page_size)
    {
      self->room_changing = FALSE;
      if (!self->was_at_end)
        {
          self->restore_value = self->last_value;
          self->restore_pending = TRUE;
          queue_scroll (self);
        }
      self->last_value = gtk_adjustment_get_value (adjustment);
    }
  self->last_page_size = page_size;
  /* The button laid out: the room it takes, now that its style is known. */
  if (!self->following && gtk_widget_get_mapped (self->jump_button) &&
      make_room_for (self->jump_button))
    {
      self->room_changing = TRUE;
      self->was_at_end = is_at_end (adjustment);
    }
  if ((self->following && !is_at_end (adjustment)) ||
      self->pending_scroll != GTK_INVALID_LIST_POSITION)
    queue_scroll (self);
  update_jump_button (self);
}

/* Only a move up that the list did not make itself stops following; a
 * move back down to the end resumes it. New rows grow the range without
 * moving the value, so they never count; nor does the room Jump to Live
 * takes (range_changed_cb()). */
static void
value_changed_cb (GtkAdjustment  *adjustment,
                  SondeEventList *self)
{
  double value = gtk_adjustment_get_value (adjustment);
  gboolean at_end = is_at_end (adjustment);

  if (self->ignore_scroll == 0)
    {
      if (value < self->last_value && !at_end)
        set_following (self, FALSE);
      else if (value > self->last_value && at_end)
        set_following (self, TRUE);
    }
  self->last_value = value;
  update_jump_button (self);
}

/* A selected row would scroll away under new ones while the list follows:
 * selecting stops following (as Wireshark's auto-scroll does), and Jump to
 * Live shows the way back. */
static void
selected_entry_cb (SondeEventListSelection *selection,
                   GParamSpec              *pspec,
                   SondeEventList          *self)
{
  if (sonde_event_list_selection_get_selected_entry (selection) != NULL)
    set_following (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ENTRY]);
}

/* Cells */

static void
set_cell_text (GtkWidget  *cell,
               const char *text)
{
  /* A row bound to another entry often shows the same kind, type or size:
   * at the live edge GTK rebinds some 200 rows a frame, and a text set
   * again is laid out again and told to assistive technology again. */
  if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), text) == 0)
    return;
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  /* GTK 4.8 does not give an inscription's text to assistive technology. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* A row bound to another entry keeps its style classes when they are the
 * same: taking a class off and putting it back restyles the cell, and at
 * the live edge GTK rebinds some 200 rows a frame. */
static void
set_category_class (GtkWidget          *cell,
                    SondeEntryCategory  category)
{
  const char *wanted = category == SONDE_ENTRY_CATEGORY_PROBLEM ? "problem"
                       : category == SONDE_ENTRY_CATEGORY_LIFECYCLE ? "lifecycle"
                       : NULL;

  if (g_strcmp0 (wanted, "problem") != 0)
    gtk_widget_remove_css_class (cell, "problem");
  if (g_strcmp0 (wanted, "lifecycle") != 0)
    gtk_widget_remove_css_class (cell, "lifecycle");
  if (wanted != NULL)
    gtk_widget_add_css_class (cell, wanted);
}

static void
set_direction_class (GtkWidget      *cell,
                     SondeDirection  direction)
{
  static const SondeDirection directions[] = {
    SONDE_DIRECTION_IN, SONDE_DIRECTION_OUT, SONDE_DIRECTION_LOCAL
  };

  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    if (directions[i] != direction)
      gtk_widget_remove_css_class (cell, sonde_direction_to_string (directions[i]));
  gtk_widget_add_css_class (cell, sonde_direction_to_string (direction));
}

static const char *
category_icon (const SondeEntryView *view,
               SondeEntryCategory    category)
{
  if (category == SONDE_ENTRY_CATEGORY_PROBLEM)
    return view->kind == SONDE_ENTRY_ERROR ? "dialog-error-symbolic" : "dialog-warning-symbolic";
  if (category != SONDE_ENTRY_CATEGORY_LIFECYCLE)
    return NULL;

  switch (view->kind)
    {
    case SONDE_ENTRY_OPEN:
      return "network-transmit-receive-symbolic";
    case SONDE_ENTRY_RECONNECT:
      return "view-refresh-symbolic";
    case SONDE_ENTRY_CLOSED:
      return "network-offline-symbolic";
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_REQUEST:
    case SONDE_ENTRY_N_KINDS:
    default:
      return NULL;
    }
}

static GtkWidget *
new_inscription (float xalign,
                 guint chars)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), xalign);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), chars);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (cell), 1);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (cell), 1);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);

  return cell;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          Column                   *column)
{
  GtkWidget *child;

  switch (column->id)
    {
    case COLUMN_SEQ:
    case COLUMN_SIZE:
      child = new_inscription (1.0, 6);
      gtk_widget_add_css_class (child, "numeric");
      break;

    case COLUMN_TIME:
      child = new_inscription (1.0, 10);
      gtk_widget_add_css_class (child, "numeric");
      break;

    case COLUMN_DIRECTION:
      child = new_inscription (0.5, 1);
      gtk_widget_add_css_class (child, "direction");
      break;

    case COLUMN_KIND:
      {
        GtkWidget *image = gtk_image_new ();

        child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_image_set_pixel_size (GTK_IMAGE (image), 16);
        gtk_box_append (GTK_BOX (child), image);
        gtk_box_append (GTK_BOX (child), new_inscription (0.0, 8));
        gtk_widget_set_hexpand (gtk_widget_get_last_child (child), TRUE);
      }
      break;

    case COLUMN_TYPE:
    case COLUMN_ID:
      child = new_inscription (0.0, 8);
      break;

    case COLUMN_PREVIEW:
    case N_COLUMNS:
    default:
      child = new_inscription (0.0, 20);
      break;
    }

  gtk_list_item_set_child (item, child);
}

static void
bind_time (SondeEventList *self,
           GtkListItem    *item)
{
  SondeEntry *entry = gtk_list_item_get_item (item);
  char text[SONDE_ENTRY_TEXT_SHORT_SIZE];

  sonde_entry_text_format_time (sonde_entry_get_view (entry)->time_us, self->time_format,
                                self->clock_origin, text, sizeof text);
  set_cell_text (gtk_list_item_get_child (item), text);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         Column                   *column)
{
  SondeEventList *self = column->self;
  SondeEntry *entry = gtk_list_item_get_item (item);
  const SondeEntryView *view = sonde_entry_get_view (entry);
  GtkWidget *child = gtk_list_item_get_child (item);
  char text[SONDE_ENTRY_TEXT_PREVIEW_SIZE];

  switch (column->id)
    {
    case COLUMN_SEQ:
      sonde_entry_text_format_seq (view->seq, text, sizeof text);
      set_cell_text (child, text);
      break;

    case COLUMN_TIME:
      g_hash_table_add (self->time_items, item);
      bind_time (self, item);
      break;

    case COLUMN_DIRECTION:
      /* Named by its meaning, not its arrow; set again only when it changes. */
      if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (child)),
                     sonde_direction_get_arrow (view->direction)) != 0)
        {
          gtk_inscription_set_text (GTK_INSCRIPTION (child), sonde_direction_get_arrow (view->direction));
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          sonde_direction_get_accessible_name (view->direction), -1);
        }
      set_direction_class (child, view->direction);
      break;

    case COLUMN_KIND:
      {
        SondeEntryCategory category = sonde_entry_view_get_category (view);
        GtkWidget *image = gtk_widget_get_first_child (child);
        const char *icon = category_icon (view, category);

        gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
        if (icon != NULL)
          gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          sonde_entry_category_get_label (category), -1);
        else
          gtk_accessible_reset_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL);
        set_cell_text (gtk_widget_get_last_child (child), sonde_entry_kind_get_label (view->kind));
        set_category_class (child, category);
      }
      break;

    case COLUMN_TYPE:
      sonde_entry_text_format_type (view, text, SONDE_ENTRY_TEXT_SHORT_SIZE);
      set_cell_text (child, text);
      set_category_class (child, sonde_entry_view_get_category (view));
      break;

    case COLUMN_ID:
      sonde_entry_text_format_id (view, text, SONDE_ENTRY_TEXT_SHORT_SIZE);
      set_cell_text (child, text);
      break;

    case COLUMN_SIZE:
      sonde_entry_text_format_size (view, text, SONDE_ENTRY_TEXT_SHORT_SIZE);
      set_cell_text (child, text);
      break;

    case COLUMN_PREVIEW:
      sonde_entry_text_format_preview (view, text, sizeof text);
      set_cell_text (child, text);
      set_category_class (child, sonde_entry_view_get_category (view));
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           Column                   *column)
{
  if (column->id == COLUMN_TIME)
    g_hash_table_remove (column->self->time_items, item);
}

/* GTK 4.8 puts every column title at the start; a title over numbers
 * aligned at their end goes at the end too. The header holds one title per
 * column, in column order, each a box whose first child is its label. */
static void
align_numeric_titles (SondeEventList *self)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  GtkWidget *title = header != NULL ? gtk_widget_get_first_child (header) : NULL;

  for (guint id = 0; id < N_COLUMNS && title != NULL; id++, title = gtk_widget_get_next_sibling (title))
    {
      GtkWidget *box = gtk_widget_get_first_child (title);
      GtkWidget *label = box != NULL ? gtk_widget_get_first_child (box) : NULL;

      if (id != COLUMN_SEQ && id != COLUMN_TIME && id != COLUMN_SIZE)
        continue;
      if (!GTK_IS_LABEL (label))
        {
          g_warn_if_reached ();
          return;
        }
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_set_hexpand (label, TRUE);
    }
}

static void
add_column (SondeEventList *self,
            ColumnId        id,
            const char     *title,
            int             width,
            GMenuModel     *header_menu)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  self->columns[id].self = self;
  self->columns[id].id = id;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), &self->columns[id]);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), &self->columns[id]);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), &self->columns[id]);

  column = gtk_column_view_column_new (title, g_object_ref (factory));
  if (width > 0)
    {
      gtk_column_view_column_set_fixed_width (column, width);
      gtk_column_view_column_set_resizable (column, TRUE);
    }
  else
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_column_set_header_menu (column, header_menu);
  gtk_column_view_append_column (self->column_view, column);
}

/* The clock time of an entry needs its session's start, which the log knows;
 * a filter over the log names it in a `log` property. */
static void
update_clock_origin (SondeEventList *self)
{
  g_autoptr(SondeEventLog) log = NULL;

  if (SONDE_IS_EVENT_LOG (self->model))
    log = g_object_ref (SONDE_EVENT_LOG (self->model));
  else if (self->model != NULL)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self->model), "log");

      if (pspec != NULL && g_type_is_a (pspec->value_type, SONDE_TYPE_EVENT_LOG))
        g_object_get (self->model, "log", &log, NULL);
    }

  self->clock_origin = log != NULL
                       ? sonde_entry_text_clock_origin (sonde_event_log_get_started_at (log))
                       : 0;
}

static void
rebind_times (SondeEventList *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->time_items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    bind_time (self, item);
}

/* Actions and keys */

static void
jump_to_live_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  sonde_event_list_jump_to_live (SONDE_EVENT_LIST (widget));
}

/* End also moves the focus to the last row, as the list view does it;
 * following starts here, and the key goes on to the list. */
static gboolean
end_key_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  sonde_event_list_jump_to_live (SONDE_EVENT_LIST (widget));
  return FALSE;
}

static void
sonde_event_list_map (GtkWidget *widget)
{
  SondeEventList *self = SONDE_EVENT_LIST (widget);

  GTK_WIDGET_CLASS (sonde_event_list_parent_class)->map (widget);
  /* Shown, the first rows of a fire hose come a few a frame; hidden, a list
   * draws no frames to spread them over. */
  sonde_event_list_selection_set_ramp (self->selection, TRUE);
  queue_follow (self);
}

static void
sonde_event_list_unmap (GtkWidget *widget)
{
  SondeEventList *self = SONDE_EVENT_LIST (widget);

  sonde_event_list_selection_set_ramp (self->selection, FALSE);
  GTK_WIDGET_CLASS (sonde_event_list_parent_class)->unmap (widget);
}

static void
sonde_event_list_dispose (GObject *object)
{
  SondeEventList *self = SONDE_EVENT_LIST (object);

  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_EVENT_LIST);
  self->column_view = NULL;
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->time_items, g_hash_table_unref);

  G_OBJECT_CLASS (sonde_event_list_parent_class)->dispose (object);
}

static void
sonde_event_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SondeEventList *self = SONDE_EVENT_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED_ENTRY:
      g_value_set_object (value, sonde_event_list_get_selected_entry (self));
      break;

    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;

    case PROP_TIME_FORMAT:
      g_value_set_enum (value, self->time_format);
      break;

    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_event_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SondeEventList *self = SONDE_EVENT_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sonde_event_list_set_model (self, g_value_get_object (value));
      break;

    case PROP_TIME_FORMAT:
      sonde_event_list_set_time_format (self, g_value_get_enum (value));
      break;

    case PROP_LIVE:
      sonde_event_list_set_live (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* GTK 4.8's lists take Tab to the next row (4.12's tab-behavior changes
 * that), so a keyboard user went through every row of a live stream, one
 * Tab each, and never reached the details, the filter or the compose bar.
 * Tab and Shift+Tab leave the list, as from any other control; the arrow
 * keys go from row to row. The list is out of the focus chain for the one
 * move: each container then passes the focus to the widget after it. */
static gboolean
tab_key_cb (GtkEventControllerKey *controller,
            guint                  keyval,
            guint                  keycode,
            GdkModifierType        state,
            SondeEventList        *self)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkDirectionType direction;
  gboolean moved;

  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab && keyval != GDK_KEY_ISO_Left_Tab) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || root == NULL)
    return GDK_EVENT_PROPAGATE;

  direction = keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0
              ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), FALSE);
  moved = gtk_widget_child_focus (root, direction);
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), TRUE);

  return moved ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

static void
sonde_event_list_class_init (SondeEventListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_event_list_dispose;
  object_class->get_property = sonde_event_list_get_property;
  object_class->set_property = sonde_event_list_set_property;

  widget_class->map = sonde_event_list_map;
  widget_class->unmap = sonde_event_list_unmap;

  /**
   * SondeEventList:model:
   *
   * The entries to show, in sequence order: a tab's log, or a filter over it.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ENTRY] =
    g_param_spec_object ("selected-entry", NULL, NULL, SONDE_TYPE_ENTRY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SondeEventList:following:
   *
   * Whether new entries scroll the list to show them. Scrolling up stops
   * it; "Jump to Live" and End start it again.
   */
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_FORMAT] =
    g_param_spec_enum ("time-format", NULL, NULL, SONDE_TYPE_TIME_FORMAT, SONDE_TIME_FORMAT_RELATIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SondeEventList:live:
   *
   * Whether new entries may still come (a connection that is connecting,
   * open or waiting). While it is not, Jump to Live shows only when the
   * newest rows are out of sight.
   */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/sonde-event-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeEventList, overlay);
  gtk_widget_class_bind_template_child (widget_class, SondeEventList, scroller);
  gtk_widget_class_bind_template_child (widget_class, SondeEventList, column_view);
  gtk_widget_class_bind_template_child (widget_class, SondeEventList, jump_button);

  gtk_widget_class_install_action (widget_class, "event-list.jump-to-live", NULL, jump_to_live_action);
  gtk_widget_class_install_property_action (widget_class, "event-list.time-format", "time-format");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  jump_button_room = gtk_css_provider_new ();
  gtk_widget_class_set_css_name (widget_class, "sonde-event-list");
}

static void
sonde_event_list_init (SondeEventList *self)
{
  g_autoptr(GMenu) time_menu = g_menu_new ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkEventController *keys;
  GtkWidget *child;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->following = TRUE;
  self->live = TRUE;
  self->pending_scroll = GTK_INVALID_LIST_POSITION;
  self->time_items = g_hash_table_new (NULL, NULL);
  self->selection = sonde_event_list_selection_new (NULL);
  g_signal_connect_after (self->selection, "items-changed",
                          G_CALLBACK (selection_items_changed_cb), self);
  g_signal_connect (self->selection, "notify::selected-entry",
                    G_CALLBACK (selected_entry_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      self->list_view = child;
  g_assert (self->list_view != NULL);
  /* See make_room_for(). */
  gtk_style_context_add_provider (gtk_widget_get_style_context (self->list_view),
                                  GTK_STYLE_PROVIDER (jump_button_room),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_menu_append (time_menu, _("Time Since _Start"), "event-list.time-format::relative");
  g_menu_append (time_menu, _("_Clock Time"), "event-list.time-format::clock");

  /* Translators: the column of sequence numbers */
  add_column (self, COLUMN_SEQ, _("#"), 80, NULL);
  add_column (self, COLUMN_TIME, _("Time"), 120, G_MENU_MODEL (time_menu));
  add_column (self, COLUMN_DIRECTION, _("Direction"), 90, NULL);
  add_column (self, COLUMN_KIND, _("Kind"), 150, NULL);
  /* Translators: an SSE event type or a WebSocket opcode */
  add_column (self, COLUMN_TYPE, _("Type"), 140, NULL);
  add_column (self, COLUMN_ID, _("ID"), 90, NULL);
  add_column (self, COLUMN_SIZE, _("Size"), 80, NULL);
  add_column (self, COLUMN_PREVIEW, _("Preview"), -1, NULL);
  align_numeric_titles (self);

  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                    G_CALLBACK (value_changed_cb), self);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                    G_CALLBACK (range_changed_cb), self);

  keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_End, 0),
                                                          gtk_callback_action_new (end_key_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (tab_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);

  /* The setting, when the schema is there (it is not for some tests). */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            APPLICATION_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "time-format"))
    {
      self->settings = g_settings_new (APPLICATION_ID);
      g_settings_bind (self->settings, "time-format", self, "time-format", G_SETTINGS_BIND_DEFAULT);
    }
}

GtkWidget *
sonde_event_list_new (void)
{
  return g_object_new (SONDE_TYPE_EVENT_LIST, NULL);
}

/**
 * sonde_event_list_get_model:
 *
 * Returns: (transfer none) (nullable): the entries shown
 */
GListModel *
sonde_event_list_get_model (SondeEventList *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST (self), NULL);

  return self->model;
}

/**
 * sonde_event_list_set_model:
 * @model: (nullable): a #GListModel of #SondeEntry in sequence order
 *
 * Shows @model. The selected entry stays selected when @model holds it.
 */
void
sonde_event_list_set_model (SondeEventList *self,
                            GListModel     *model)
{
  g_return_if_fail (SONDE_IS_EVENT_LIST (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));
  g_return_if_fail (model == NULL || g_list_model_get_item_type (model) == SONDE_TYPE_ENTRY);

  if (!g_set_object (&self->model, model))
    return;

  update_clock_origin (self);
  /* Swapping every row moves the view; that is not the user scrolling. */
  self->ignore_scroll++;
  sonde_event_list_selection_set_model (self->selection, model);
  self->ignore_scroll--;
  rebind_times (self);
  queue_follow (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * sonde_event_list_get_selected_entry:
 *
 * Returns: (transfer none) (nullable): the selected entry
 */
SondeEntry *
sonde_event_list_get_selected_entry (SondeEventList *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST (self), NULL);

  return sonde_event_list_selection_get_selected_entry (self->selection);
}

/**
 * sonde_event_list_select_seq:
 * @seq: an entry's sequence number
 *
 * Selects entry @seq and scrolls to it; when the list does not show it (a
 * filter hides it), the nearest entry after it, or the last one. Following
 * stops unless that is the last row.
 *
 * Returns: whether entry @seq itself was selected
 */
gboolean
sonde_event_list_select_seq (SondeEventList *self,
                             guint64         seq)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  g_autoptr(SondeEntry) entry = NULL;
  guint n;
  guint position;

  g_return_val_if_fail (SONDE_IS_EVENT_LIST (self), FALSE);

  sonde_event_list_selection_catch_up (self->selection);
  n = g_list_model_get_n_items (model);
  if (n == 0)
    return FALSE;

  position = sonde_event_list_find_seq (model, seq, 0, n);
  if (position == n)
    position = n - 1;
  entry = g_list_model_get_item (model, position);

  sonde_event_list_selection_set_selected (self->selection, position);
  set_following (self, position == n - 1);
  show_position (self, position);

  return sonde_entry_get_seq (entry) == seq;
}

/**
 * sonde_event_list_show_selected:
 *
 * Scrolls the selected row into sight (after the list got shorter), and
 * follows or not as before.
 */
void
sonde_event_list_show_selected (SondeEventList *self)
{
  guint position;

  g_return_if_fail (SONDE_IS_EVENT_LIST (self));

  position = sonde_event_list_selection_get_selected (self->selection);
  if (position != GTK_INVALID_LIST_POSITION && !self->following)
    show_position (self, position);
}

gboolean
sonde_event_list_get_following (SondeEventList *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST (self), FALSE);

  return self->following;
}

/**
 * sonde_event_list_jump_to_live:
 *
 * Scrolls to the newest entry and follows new ones.
 */
void
sonde_event_list_jump_to_live (SondeEventList *self)
{
  g_return_if_fail (SONDE_IS_EVENT_LIST (self));

  set_following (self, TRUE);
  self->pending_scroll = GTK_INVALID_LIST_POSITION;
  sonde_event_list_selection_catch_up (self->selection);
  scroll_to_end (self);
}

SondeTimeFormat
sonde_event_list_get_time_format (SondeEventList *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST (self), SONDE_TIME_FORMAT_RELATIVE);

  return self->time_format;
}

void
sonde_event_list_set_time_format (SondeEventList  *self,
                                  SondeTimeFormat  format)
{
  g_return_if_fail (SONDE_IS_EVENT_LIST (self));

  if (self->time_format == format)
    return;

  self->time_format = format;
  rebind_times (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_FORMAT]);
}

gboolean
sonde_event_list_get_live (SondeEventList *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST (self), FALSE);

  return self->live;
}

void
sonde_event_list_set_live (SondeEventList *self,
                           gboolean        live)
{
  g_return_if_fail (SONDE_IS_EVENT_LIST (self));

  live = !!live;
  if (self->live == live)
    return;

  self->live = live;
  update_jump_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

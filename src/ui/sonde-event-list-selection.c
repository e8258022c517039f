/* sonde-event-list-selection.c: single selection over entries in sequence order, without walking them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-event-list-selection.h"

/* GtkSingleSelection looks for its selected item among every added item
 * when a change covers it, which over a filter model that swaps a million
 * rows means a million item objects. Entries in a log, or in a filter over
 * it, are in sequence order, so this selection finds its entry again by
 * binary search: some twenty items, whatever the size.
 *
 * It also spreads a list's first rows over frames. GTK 4.8's list view
 * keeps a row widget for up to 200 items around its anchor, whatever its
 * height, and makes them as soon as the items are there: the first
 * items-changed of a fire hose made some 200 rows of 8 cells at once, each
 * cell with its own Pango context, and the next frame styled and measured
 * them all (150 to 250 ms of the main thread's processor time, a stall of
 * 0.3 to 1.4 s on a loaded machine; docs/performance.md). With the ramp on,
 * an append to a model that shows fewer than RAMP_ROWS rows announces
 * RAMP_STEP of them, and sonde_event_list_selection_ramp() the next
 * RAMP_STEP, once a frame, until the list has all the rows it will ever
 * make; then the rest goes in one change, which only rebinds rows. */
#define RAMP_ROWS 256
#define RAMP_STEP 24

struct _SondeEventListSelection
{
  GObject      parent_instance;

  GListModel  *model;
  guint        n_items;         /* the rows announced: the model's first n_items */
  gboolean     ramp;
  guint        selected;        /* GTK_INVALID_LIST_POSITION for none */
  SondeEntry  *selected_entry;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED,
  PROP_SELECTED_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);
static void selection_model_iface_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeEventListSelection, sonde_event_list_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      selection_model_iface_init))

static guint64
seq_at (GListModel *model,
        guint       position)
{
  g_autoptr(SondeEntry) entry = g_list_model_get_item (model, position);

  return entry != NULL ? sonde_entry_get_seq (entry) : G_MAXUINT64;
}

/**
 * sonde_event_list_find_seq:
 * @model: entries in sequence order
 * @start: the first position to look at
 * @end: one past the last
 *
 * Returns: the first position in [@start, @end) whose entry's sequence
 *   number is @seq or more; @end when there is none
 */
guint
sonde_event_list_find_seq (GListModel *model,
                           guint64     seq,
                           guint       start,
                           guint       end)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), end);

  while (start < end)
    {
      guint mid = start + (end - start) / 2;

      if (seq_at (model, mid) < seq)
        start = mid + 1;
      else
        end = mid;
    }

  return start;
}

static GType
get_item_type (GListModel *model)
{
  return SONDE_TYPE_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return SONDE_EVENT_LIST_SELECTION (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SondeEventListSelection *self = SONDE_EVENT_LIST_SELECTION (model);

  return position < self->n_items ? g_list_model_get_item (self->model, position) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
is_selected (GtkSelectionModel *model,
             guint              position)
{
  return SONDE_EVENT_LIST_SELECTION (model)->selected == position;
}

static GtkBitset *
get_selection_in_range (GtkSelectionModel *model,
                        guint              position,
                        guint              n_items)
{
  SondeEventListSelection *self = SONDE_EVENT_LIST_SELECTION (model);
  GtkBitset *result = gtk_bitset_new_empty ();

  if (self->selected != GTK_INVALID_LIST_POSITION &&
      self->selected >= position && self->selected - position < n_items)
    gtk_bitset_add (result, self->selected);

  return result;
}

static gboolean
select_item (GtkSelectionModel *model,
             guint              position,
             gboolean           unselect_rest)
{
  sonde_event_list_selection_set_selected (SONDE_EVENT_LIST_SELECTION (model), position);
  return TRUE;
}

static gboolean
unselect_item (GtkSelectionModel *model,
               guint              position)
{
  SondeEventListSelection *self = SONDE_EVENT_LIST_SELECTION (model);

  if (self->selected == position)
    sonde_event_list_selection_set_selected (self, GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static void
selection_model_iface_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = is_selected;
  iface->get_selection_in_range = get_selection_in_range;
  iface->select_item = select_item;
  iface->unselect_item = unselect_item;
}

/* Keeps the selection in step without notifying; returns whether the
 * selected entry changed. */
static gboolean
store_selected (SondeEventListSelection *self,
                guint                    position)
{
  g_autoptr(SondeEntry) entry = NULL;

  if (position < self->n_items)
    entry = g_list_model_get_item (self->model, position);
  if (entry == NULL)
    position = GTK_INVALID_LIST_POSITION;

  self->selected = position;
  if (self->selected_entry == entry ||
      (self->selected_entry != NULL && entry != NULL &&
       sonde_entry_get_seq (self->selected_entry) == sonde_entry_get_seq (entry)))
    return FALSE;

  g_set_object (&self->selected_entry, entry);
  return TRUE;
}

/* Announces that the rows [@position, @position + @removed) are now
 * @added rows of the model, and keeps the selection on its entry. */
static void
announce (SondeEventListSelection *self,
          guint                    position,
          guint                    removed,
          guint                    added)
{
  guint selected = self->selected;
  gboolean entry_changed = FALSE;

  self->n_items = self->n_items - removed + added;
  if (selected != GTK_INVALID_LIST_POSITION && selected >= position)
    {
      if (selected >= position + removed)
        self->selected = selected - removed + added;
      else
        {
          /* The selected entry was in the range that changed: look for it
           * among the new rows. */
          guint64 seq = sonde_entry_get_seq (self->selected_entry);
          guint found = sonde_event_list_find_seq (self->model, seq, position, position + added);

          if (found < position + added && seq_at (self->model, found) == seq)
            self->selected = found;
          else
            entry_changed = store_selected (self, GTK_INVALID_LIST_POSITION);
        }
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);

  if (self->selected != selected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (entry_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ENTRY]);
}

/* Announces the model's rows not announced yet: one step of the ramp while
 * the list has few rows, all of them once it has enough. */
static void
announce_tail (SondeEventListSelection *self,
               gboolean                 step)
{
  guint n_model = g_list_model_get_n_items (self->model);
  guint n_new = n_model - self->n_items;

  if (step && self->ramp && self->n_items < RAMP_ROWS)
    n_new = MIN (n_new, RAMP_STEP);
  if (n_new > 0)
    announce (self, self->n_items, 0, n_new);
}

static void
model_items_changed_cb (GListModel              *model,
                        guint                    position,
                        guint                    removed,
                        guint                    added,
                        SondeEventListSelection *self)
{
  guint n_model = g_list_model_get_n_items (model);
  gboolean ramping = self->n_items < n_model - added + removed;

  if (position >= self->n_items)
    {
      /* Past the rows announced: a ramp already under way goes on at its
       * pace; an append starts one. */
      if (!ramping)
        announce_tail (self, TRUE);
    }
  else if (!ramping)
    announce (self, position, removed, added);
  else
    /* A change among the rows announced while a ramp is under way (the
     * oldest entries let go of, a new filter): everything from there on
     * is replaced, the rest of the ramp included. */
    announce (self, position, self->n_items - position, n_model - position);
}

SondeEventListSelection *
sonde_event_list_selection_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (SONDE_TYPE_EVENT_LIST_SELECTION, "model", model, NULL);
}

/**
 * sonde_event_list_selection_get_model:
 *
 * Returns: (transfer none) (nullable): the entries
 */
GListModel *
sonde_event_list_selection_get_model (SondeEventListSelection *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self), NULL);

  return self->model;
}

/**
 * sonde_event_list_selection_set_model:
 * @model: (nullable): entries in sequence order
 *
 * The selected entry stays selected when @model holds it too.
 */
void
sonde_event_list_selection_set_model (SondeEventListSelection *self,
                                      GListModel              *model)
{
  guint n_before;
  guint n_after;
  guint selected;
  gboolean entry_changed = FALSE;

  g_return_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  n_before = self->n_items;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
  n_after = self->n_items = model != NULL ? g_list_model_get_n_items (model) : 0;

  selected = self->selected;
  if (self->selected_entry != NULL)
    {
      guint64 seq = sonde_entry_get_seq (self->selected_entry);
      guint found = model != NULL ? sonde_event_list_find_seq (model, seq, 0, n_after) : 0;

      if (found < n_after && seq_at (model, found) == seq)
        self->selected = found;
      else
        entry_changed = store_selected (self, GTK_INVALID_LIST_POSITION);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_before, n_after);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  if (self->selected != selected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (entry_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ENTRY]);
}

/**
 * sonde_event_list_selection_set_ramp:
 * @ramp: whether appends to a short list are announced a step at a time
 *
 * Turned on, an append to a model of which fewer than 256 rows are shown
 * announces 24 rows, and sonde_event_list_selection_ramp() each further 24,
 * until 256 are; then the rest at once. A list view calls it once a frame,
 * so that it makes its first rows over several frames. Turned off, every
 * row is announced at once, those of a ramp under way too.
 */
void
sonde_event_list_selection_set_ramp (SondeEventListSelection *self,
                                     gboolean                 ramp)
{
  g_return_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self));

  self->ramp = ramp;
  if (!ramp)
    sonde_event_list_selection_catch_up (self);
}

/**
 * sonde_event_list_selection_get_pending:
 *
 * Returns: how many of the model's rows a ramp has not announced yet
 */
guint
sonde_event_list_selection_get_pending (SondeEventListSelection *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self), 0);

  return self->model != NULL ? g_list_model_get_n_items (self->model) - self->n_items : 0;
}

/**
 * sonde_event_list_selection_ramp:
 *
 * Announces the next step of a ramp under way (see
 * sonde_event_list_selection_set_ramp()).
 *
 * Returns: whether rows are still pending
 */
gboolean
sonde_event_list_selection_ramp (SondeEventListSelection *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self), FALSE);

  if (self->model != NULL)
    announce_tail (self, TRUE);
  return sonde_event_list_selection_get_pending (self) > 0;
}

/**
 * sonde_event_list_selection_catch_up:
 *
 * Announces every row of the model at once: before a position in it is
 * looked for, or the view moves to its end.
 */
void
sonde_event_list_selection_catch_up (SondeEventListSelection *self)
{
  g_return_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self));

  if (self->model != NULL)
    announce_tail (self, FALSE);
}

/**
 * sonde_event_list_selection_get_selected:
 *
 * Returns: the selected position, or %GTK_INVALID_LIST_POSITION
 */
guint
sonde_event_list_selection_get_selected (SondeEventListSelection *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self), GTK_INVALID_LIST_POSITION);

  return self->selected;
}

/**
 * sonde_event_list_selection_get_selected_entry:
 *
 * Returns: (transfer none) (nullable): the selected entry
 */
SondeEntry *
sonde_event_list_selection_get_selected_entry (SondeEventListSelection *self)
{
  g_return_val_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self), NULL);

  return self->selected_entry;
}

/**
 * sonde_event_list_selection_set_selected:
 * @position: the row to select, or %GTK_INVALID_LIST_POSITION for none
 */
void
sonde_event_list_selection_set_selected (SondeEventListSelection *self,
                                         guint                    position)
{
  guint before;
  gboolean entry_changed;

  g_return_if_fail (SONDE_IS_EVENT_LIST_SELECTION (self));

  before = self->selected;
  entry_changed = store_selected (self, position);
  if (before == self->selected && !entry_changed)
    return;

  /* Two rows changed, however far apart: one range between them would make
   * the list look at every row in it. */
  if (before != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), before, 1);
  if (self->selected != GTK_INVALID_LIST_POSITION && self->selected != before)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected, 1);

  if (before != self->selected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (entry_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ENTRY]);
}

static void
sonde_event_list_selection_dispose (GObject *object)
{
  SondeEventListSelection *self = SONDE_EVENT_LIST_SELECTION (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_clear_object (&self->model);
  g_clear_object (&self->selected_entry);

  G_OBJECT_CLASS (sonde_event_list_selection_parent_class)->dispose (object);
}

static void
sonde_event_list_selection_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SondeEventListSelection *self = SONDE_EVENT_LIST_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;

    case PROP_SELECTED_ENTRY:
      g_value_set_object (value, self->selected_entry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_event_list_selection_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  SondeEventListSelection *self = SONDE_EVENT_LIST_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sonde_event_list_selection_set_model (self, g_value_get_object (value));
      break;

    case PROP_SELECTED:
      sonde_event_list_selection_set_selected (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_event_list_selection_class_init (SondeEventListSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_event_list_selection_dispose;
  object_class->get_property = sonde_event_list_selection_get_property;
  object_class->set_property = sonde_event_list_selection_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ENTRY] =
    g_param_spec_object ("selected-entry", NULL, NULL, SONDE_TYPE_ENTRY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_event_list_selection_init (SondeEventListSelection *self)
{
  self->selected = GTK_INVALID_LIST_POSITION;
}

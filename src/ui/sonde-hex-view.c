/* sonde-hex-view.c: an entry's wire bytes as offset, hex and ASCII, drawn a visible line at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-hex-view.h"

/* A 16 MiB message must scroll as fast as 16 bytes: the view is its own
 * GtkScrollable, and each frame formats and draws only the rows in sight,
 * with the regions core finds for those bytes alone. Nothing is parsed
 * here: which byte is which field comes from SondeWire. */

#define ROW SONDE_HEX_VIEW_BYTES_PER_ROW
#define PAD 6

/* Columns, in characters: offset, hex (a gap after 8 bytes), ASCII, and
 * for masked frames the unmasked payload as hex and ASCII beside them. */
#define OFFSET_COL         0
#define HEX_COL            10
#define HEX_CHARS          (ROW * 3)
#define ASCII_COL          (HEX_COL + HEX_CHARS + 1)
#define UNMASKED_HEX_COL   (ASCII_COL + ROW + 3)
#define UNMASKED_ASCII_COL (UNMASKED_HEX_COL + HEX_CHARS + 1)
#define NARROW_CHARS       (ASCII_COL + ROW)
#define WIDE_CHARS         (UNMASKED_ASCII_COL + ROW)

struct _SondeHexView
{
  GtkWidget      parent_instance;

  SondeEntry    *entry;
  SondeWire     *wire;
  const guint8  *data;
  gsize          len;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  gboolean       show_unmasked;
  gsize          anchor;
  gsize          cursor;

  /* Measured from the font whenever the style changes */
  gboolean       metrics_valid;
  double         char_width;
  int            line_height;
  PangoLayout   *layout;
  /* Every printable ASCII character's glyph in the monospace font, so a row
   * becomes glyphs by table, not by shaping; NULL when the font is not one
   * run of equal advances (then rows go through the layout). */
  PangoFont     *font;
  PangoGlyphInfo glyphs[0x7f - 0x20];
  int            advance;
  int            baseline;
  PangoGlyphString *row_glyphs;

  GArray        *regions;     /* scratch, for the rows being drawn */
  guint64        formatted_rows;
};

static void sonde_hex_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeHexView, sonde_hex_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      sonde_hex_view_scrollable_init))

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_SHOW_UNMASKED,
  N_PROPS,
  /* GtkScrollable's */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- geometry ---- */

/* Finds each printable ASCII character's glyph, from one run of them all. */
static void
load_glyphs (SondeHexView *self)
{
  char ascii[0x7f - 0x20 + 1];
  PangoLayoutLine *line;
  PangoGlyphItem *run;
  PangoGlyphString *glyphs;

  g_clear_object (&self->font);
  for (guint c = 0x20; c < 0x7f; c++)
    ascii[c - 0x20] = (char)c;
  ascii[0x7f - 0x20] = '\0';
  pango_layout_set_text (self->layout, ascii, -1);
  line = pango_layout_get_line_readonly (self->layout, 0);
  if (line == NULL || line->runs == NULL || line->runs->next != NULL)
    return;
  run = line->runs->data;
  glyphs = run->glyphs;
  if (glyphs->num_glyphs != 0x7f - 0x20)
    return;
  for (int i = 0; i < glyphs->num_glyphs; i++)
    {
      if (glyphs->log_clusters[i] != i ||
          glyphs->glyphs[i].geometry.width != glyphs->glyphs[0].geometry.width ||
          glyphs->glyphs[i].geometry.x_offset != 0 || glyphs->glyphs[i].geometry.y_offset != 0)
        return;
      /* Whole, with its visual attributes: a renderer reads is_color. */
      self->glyphs[i] = glyphs->glyphs[i];
    }
  self->advance = glyphs->glyphs[0].geometry.width;
  self->baseline = pango_layout_get_baseline (self->layout);
  self->font = g_object_ref (run->item->analysis.font);
}

static void
ensure_metrics (SondeHexView *self)
{
  PangoRectangle logical;

  if (self->metrics_valid)
    return;

  g_clear_object (&self->layout);
  self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                 "0123456789abcdef0123456789abcdef");
  /* A monospace font's advance may be fractional: measure many to place columns exactly. */
  pango_layout_get_extents (self->layout, NULL, &logical);
  self->char_width = logical.width / 32.0 / PANGO_SCALE;
  self->line_height = MAX (1, (logical.height + PANGO_SCALE - 1) / PANGO_SCALE);
  load_glyphs (self);
  if (self->font != NULL)
    self->char_width = (double)self->advance / PANGO_SCALE;
  self->metrics_valid = TRUE;
}

static gboolean
unmasked_shown (SondeHexView *self)
{
  return self->show_unmasked && self->wire != NULL && sonde_wire_has_masked (self->wire);
}

static guint
total_chars (SondeHexView *self)
{
  return unmasked_shown (self) ? WIDE_CHARS : NARROW_CHARS;
}

static gsize
n_rows (SondeHexView *self)
{
  return (self->len + ROW - 1) / ROW;
}

/* The header row stays put; rows scroll under it. */
static int
header_height (SondeHexView *self)
{
  return self->line_height + 4;
}

static int
page_height (SondeHexView *self)
{
  return MAX (self->line_height, gtk_widget_get_height (GTK_WIDGET (self)) - header_height (self));
}

static gsize
page_rows (SondeHexView *self)
{
  return MAX (1, page_height (self) / self->line_height);
}

static int
hex_char (guint i)
{
  return HEX_COL + i * 3 + (i >= ROW / 2);
}

static double
col_x (SondeHexView *self,
       double        col)
{
  return PAD + col * self->char_width - gtk_adjustment_get_value (self->hadjustment);
}

/* ---- selection ---- */

static void
selection_bounds (SondeHexView *self,
                  gsize        *lo,
                  gsize        *hi)
{
  *lo = MIN (self->anchor, self->cursor);
  *hi = MAX (self->anchor, self->cursor);
}

static void
update_accessible (SondeHexView *self)
{
  g_autofree char *description = sonde_hex_view_describe_selection (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
selection_changed (SondeHexView *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
scroll_to_cursor (SondeHexView *self)
{
  double row_y = (double)(self->cursor / ROW) * self->line_height;
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = page_height (self);

  if (row_y < value)
    gtk_adjustment_set_value (self->vadjustment, row_y);
  else if (row_y + self->line_height > value + page)
    gtk_adjustment_set_value (self->vadjustment, row_y + self->line_height - page);
}

static void
set_cursor (SondeHexView *self,
            gsize         cursor,
            gboolean      extend)
{
  if (self->len == 0)
    return;
  cursor = MIN (cursor, self->len - 1);
  if (cursor == self->cursor && (extend || self->anchor == cursor))
    return;
  self->cursor = cursor;
  if (!extend)
    self->anchor = cursor;
  scroll_to_cursor (self);
  selection_changed (self);
}

/**
 * sonde_hex_view_select:
 * @start: the first byte
 * @length: how many; at least one byte stays selected
 *
 * Selects bytes, with the cursor on the last one, and scrolls to it.
 */
void
sonde_hex_view_select (SondeHexView *self,
                       gsize         start,
                       gsize         length)
{
  g_return_if_fail (SONDE_IS_HEX_VIEW (self));

  if (self->len == 0)
    return;
  start = MIN (start, self->len - 1);
  length = CLAMP (length, 1, self->len - start);
  self->anchor = start;
  self->cursor = start + length - 1;
  scroll_to_cursor (self);
  selection_changed (self);
}

/**
 * sonde_hex_view_get_selection:
 *
 * Returns: %FALSE when there are no bytes; else the selected bytes, at least one
 */
gboolean
sonde_hex_view_get_selection (SondeHexView *self,
                              gsize        *start,
                              gsize        *length)
{
  gsize lo;
  gsize hi;

  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), FALSE);

  if (self->len == 0)
    {
      if (start != NULL)
        *start = 0;
      if (length != NULL)
        *length = 0;
      return FALSE;
    }
  selection_bounds (self, &lo, &hi);
  if (start != NULL)
    *start = lo;
  if (length != NULL)
    *length = hi - lo + 1;
  return TRUE;
}

static void
append_hex_bytes (GString      *out,
                  const guint8 *data,
                  gsize         len)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, digits[data[i] >> 4]);
      g_string_append_c (out, digits[data[i] & 15]);
    }
}

/**
 * sonde_hex_view_dup_selection_hex:
 *
 * Returns: (transfer full) (nullable): the selected bytes as hex pairs
 *   with spaces, as Ctrl+C copies them
 */
char *
sonde_hex_view_dup_selection_hex (SondeHexView *self)
{
  gsize start;
  gsize length;
  GString *out;

  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), NULL);

  if (!sonde_hex_view_get_selection (self, &start, &length))
    return NULL;
  out = g_string_sized_new (length * 3);
  append_hex_bytes (out, self->data + start, length);
  return g_string_free (out, FALSE);
}

/**
 * sonde_hex_view_describe_selection:
 *
 * Returns: (transfer full): what the selection holds, in words: which
 *   fields, where and how many bytes, and the first of them in hex
 */
char *
sonde_hex_view_describe_selection (SondeHexView *self)
{
  SondeWireRegion first;
  SondeWireRegion last;
  g_autofree char *where = NULL;
  g_autoptr(GString) hex = g_string_new (NULL);
  gsize start;
  gsize length;

  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), NULL);

  if (!sonde_hex_view_get_selection (self, &start, &length) ||
      !sonde_wire_get_region_at (self->wire, start, &first) ||
      !sonde_wire_get_region_at (self->wire, start + length - 1, &last))
    return g_strdup (_("No bytes on the wire"));

  if (first.offset == last.offset)
    where = sonde_wire_region_describe (self->wire, &first);
  else
    {
      g_autofree char *from = sonde_wire_region_describe (self->wire, &first);
      g_autofree char *to = sonde_wire_region_describe (self->wire, &last);

      /* Translators: the fields a selection runs through, first and last */
      where = g_strdup_printf (_("%s to %s"), from, to);
    }

  append_hex_bytes (hex, self->data + start, MIN (length, 16));
  if (length > 16)
    g_string_append (hex, " …");

  if (length == 1)
    /* Translators: where the byte is, its offset in hex, then its value in hex
     * (two hex digits, after the 0x) */
    return g_strdup_printf (_("%s: the byte at 0x%llx is 0x%s"), where, (unsigned long long)start,
                            hex->str);

  /* Translators: where the bytes are, their first and last offset in hex,
   * how many they are, then the first of them in hex */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: bytes 0x%llx to 0x%llx, %llu byte selected, %s",
                                       "%s: bytes 0x%llx to 0x%llx, %llu bytes selected, %s",
                                       (gulong)MIN (length, G_MAXULONG)),
                          where, (unsigned long long)start,
                          (unsigned long long)(start + length - 1),
                          (unsigned long long)length, hex->str);
}

/* ---- colours ---- */

static void
lookup_color (SondeHexView *self,
              const char   *name,
              const char   *fallback,
              GdkRGBA      *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

/**
 * sonde_hex_view_get_kind_color:
 *
 * The background the view draws behind bytes of @kind, from libadwaita's
 * named colours (so it follows dark mode), translucent over the text's
 * background; for a legend.
 */
void
sonde_hex_view_get_kind_color (SondeHexView  *self,
                               SondeWireKind  kind,
                               GdkRGBA       *color)
{
  const char *name;
  const char *fallback;
  float alpha;

  g_return_if_fail (SONDE_IS_HEX_VIEW (self));
  g_return_if_fail (color != NULL);

  switch (kind)
    {
    case SONDE_WIRE_FRAME_HEADER:
    case SONDE_WIRE_FIELD_NAME:
      name = "accent_color", fallback = "#1c71d8", alpha = 0.30f;
      break;
    case SONDE_WIRE_EXTENDED_LENGTH:
    case SONDE_WIRE_COMMENT:
      name = "purple_3", fallback = "#9141ac", alpha = 0.30f;
      break;
    case SONDE_WIRE_MASK_KEY:
    case SONDE_WIRE_BOM:
      name = "warning_color", fallback = "#9c6e03", alpha = 0.38f;
      break;
    case SONDE_WIRE_PAYLOAD:
    case SONDE_WIRE_VALUE:
      name = "success_color", fallback = "#1b8553", alpha = 0.22f;
      break;
    case SONDE_WIRE_PARTIAL_FRAME:
    case SONDE_WIRE_DISCARDED:
      name = "error_color", fallback = "#c01c28", alpha = 0.30f;
      break;
    /* Strong enough to tell apart from unmarked bytes in the light style,
     * and from each other: a colon is grey, a line end brown. */
    case SONDE_WIRE_SEPARATOR:
      name = "view_fg_color", fallback = "#000000", alpha = 0.30f;
      break;
    case SONDE_WIRE_LINE_END:
      name = "brown_1", fallback = "#cdab8f", alpha = 0.75f;
      break;
    case SONDE_WIRE_BYTES:
    case SONDE_WIRE_N_KINDS:
    default:
      name = "view_fg_color", fallback = "#000000", alpha = 0.0f;
      break;
    }
  lookup_color (self, name, fallback, color);
  color->alpha *= alpha;
}

/* ---- drawing ---- */

/* Formats row @row into @buf: offset, hex, ASCII, and where @unmasked has
 * a byte (mask bit @have set), the unmasked payload. Returns the length. */
static gsize
format_row (SondeHexView *self,
            gsize         row,
            const guint8 *unmasked,
            guint         have,
            char         *buf)
{
  static const char digits[] = "0123456789abcdef";
  gsize start = row * ROW;
  gsize n = MIN (ROW, self->len - start);
  guint width = total_chars (self);
  const guint8 *bytes = self->data + start;

  memset (buf, ' ', width);
  for (guint i = 0; i < 8; i++)
    buf[OFFSET_COL + i] = digits[(start >> (28 - 4 * i)) & 15];
  for (guint i = 0; i < n; i++)
    {
      int at = hex_char (i);
      guint8 c = bytes[i];

      buf[at] = digits[c >> 4];
      buf[at + 1] = digits[c & 15];
      buf[ASCII_COL + i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
      if (width == WIDE_CHARS && (have & (1u << i)))
        {
          c = unmasked[i];
          buf[UNMASKED_HEX_COL + at - HEX_COL] = digits[c >> 4];
          buf[UNMASKED_HEX_COL + at - HEX_COL + 1] = digits[c & 15];
          buf[UNMASKED_ASCII_COL + i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
        }
    }
  buf[width] = '\0';
  return width;
}

/* The unmasked payload bytes of row @row, from the regions that cover it. */
static guint
unmask_row (SondeHexView          *self,
            gsize                  row,
            const SondeWireRegion *regions,
            guint                  n_regions,
            guint8                *out)
{
  gsize start = row * ROW;
  gsize end = MIN (start + ROW, self->len);
  guint have = 0;

  for (guint i = 0; i < n_regions; i++)
    {
      const SondeWireRegion *r = &regions[i];
      gsize from = MAX (start, r->offset);
      gsize to = MIN (end, r->offset + r->length);

      if (from >= to || (r->flags & SONDE_WIRE_REGION_MASKED) == 0)
        continue;
      sonde_wire_region_unmask (r, self->data, from, to - from, out + (from - start));
      for (gsize b = from; b < to; b++)
        have |= 1u << (b - start);
    }
  return have;
}

static void
fill_cells (GtkSnapshot   *snapshot,
            SondeHexView  *self,
            double         y,
            guint          from,
            guint          to,
            gboolean       unmasked_columns,
            const GdkRGBA *color)
{
  int hex_base = unmasked_columns ? UNMASKED_HEX_COL : HEX_COL;
  int ascii_base = unmasked_columns ? UNMASKED_ASCII_COL : ASCII_COL;
  double x0 = col_x (self, hex_base + hex_char (from) - HEX_COL);
  double x1 = col_x (self, hex_base + hex_char (to - 1) - HEX_COL + 2);
  double h = self->line_height;

  /* The cells and the space between them, so a field reads as one run. */
  if (to < ROW && to != ROW / 2)
    x1 += self->char_width;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x0, y, x1 - x0, h));
  x0 = col_x (self, ascii_base + from);
  x1 = col_x (self, ascii_base + to);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x0, y, x1 - x0, h));
}

static void
underline_cells (GtkSnapshot   *snapshot,
                 SondeHexView  *self,
                 double         y,
                 guint          from,
                 guint          to,
                 const GdkRGBA *color)
{
  double x0 = col_x (self, hex_char (from));
  double x1 = col_x (self, hex_char (to - 1) + 2);
  double base = y + self->line_height - 2;

  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x0, base, x1 - x0, 2));
  x0 = col_x (self, ASCII_COL + from);
  x1 = col_x (self, ASCII_COL + to);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x0, base, x1 - x0, 2));
}

static void
outline_cell (GtkSnapshot   *snapshot,
              SondeHexView  *self,
              double         y,
              double         col,
              double         chars,
              const GdkRGBA *color)
{
  GskRoundedRect box;
  const float widths[4] = { 1, 1, 1, 1 };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (col_x (self, col) - 1, y,
                                                              chars * self->char_width + 2,
                                                              self->line_height), 0);
  gtk_snapshot_append_border (snapshot, &box, widths, colors);
}

/* Draws @len characters of @text at (@x, @y), by glyph table when the
 * font allows, skipping spaces, else through the layout. */
static void
draw_text (SondeHexView  *self,
           GtkSnapshot   *snapshot,
           const char    *text,
           gsize          len,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  PangoGlyphString *glyphs = self->row_glyphs;
  int lead = 0;
  int n = 0;
  GskRenderNode *node;

  if (self->font == NULL)
    {
      pango_layout_set_text (self->layout, text, (int)len);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float)x, (float)y));
      gtk_snapshot_append_layout (snapshot, self->layout, color);
      gtk_snapshot_restore (snapshot);
      return;
    }

  pango_glyph_string_set_size (glyphs, (int)len);
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = (guint8)text[i];
      PangoGlyphInfo *info;

      if (c <= 0x20 || c >= 0x7f)
        {
          /* A space moves the pen: it widens the glyph before it. */
          if (n == 0)
            lead += self->advance;
          else
            glyphs->glyphs[n - 1].geometry.width += self->advance;
          continue;
        }
      info = &glyphs->glyphs[n];
      *info = self->glyphs[c - 0x20];
      glyphs->log_clusters[n] = (int)i;
      n++;
    }
  if (n == 0)
    return;
  glyphs->num_glyphs = n;
  node = gsk_text_node_new (self->font, glyphs, color,
                            &GRAPHENE_POINT_INIT ((float)(x + (double)lead / PANGO_SCALE),
                                                  (float)(y + (double)self->baseline /
                                                                  PANGO_SCALE)));
  if (node != NULL)
    {
      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
    }
}

static void
draw_header (SondeHexView *self,
             GtkSnapshot  *snapshot,
             int           width,
             const GdkRGBA *fg)
{
  char buf[WIDE_CHARS + 1];
  GdkRGBA dim = *fg;
  GdkRGBA line = *fg;
  /* Translators: column headings of the hex view; at most 9, 16 and 16 characters */
  const char *offset = C_("hex column", "Offset");
  const char *ascii = C_("hex column", "ASCII");
  const char *unmasked = C_("hex column", "Unmasked");
  guint width_chars = total_chars (self);
  g_autoptr(GString) text = NULL;

  memset (buf, ' ', width_chars);
  buf[width_chars] = '\0';
  for (guint i = 0; i < ROW; i++)
    {
      buf[hex_char (i)] = '0';
      buf[hex_char (i) + 1] = "0123456789abcdef"[i];
      if (width_chars == WIDE_CHARS)
        {
          buf[UNMASKED_HEX_COL + hex_char (i) - HEX_COL] = '0';
          buf[UNMASKED_HEX_COL + hex_char (i) - HEX_COL + 1] = "0123456789abcdef"[i];
        }
    }
  /* Column names are translated: laid over the spaces, never past the next column. */
  text = g_string_new (buf);
  g_string_overwrite_len (text, OFFSET_COL, offset, MIN ((gssize)strlen (offset), HEX_COL - 1));
  g_string_overwrite_len (text, ASCII_COL, ascii, MIN ((gssize)strlen (ascii), ROW));
  if (width_chars == WIDE_CHARS)
    g_string_overwrite_len (text, UNMASKED_ASCII_COL, unmasked,
                            MIN ((gssize)strlen (unmasked), ROW));

  dim.alpha *= 0.6f;
  line.alpha *= 0.15f;
  /* Translated names may not be ASCII: the header always goes through the layout. */
  pango_layout_set_text (self->layout, text->str, (int)text->len);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float)col_x (self, 0), 2));
  gtk_snapshot_append_layout (snapshot, self->layout, &dim);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (0, header_height (self) - 1, width, 1));
}

static void
sonde_hex_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SondeHexView *self = SONDE_HEX_VIEW (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int top = 0;
  double value;
  gsize first_row;
  gsize last_row;
  gsize sel_lo;
  gsize sel_hi;
  gboolean wide;
  gboolean focused = gtk_widget_has_focus (widget);
  GdkRGBA fg;
  GdkRGBA selected;
  GdkRGBA cursor_color;
  GdkRGBA ignored;
  GdkRGBA kind_colors[SONDE_WIRE_N_KINDS];
  guint next_region = 0;
  char buf[WIDE_CHARS + 1];

  ensure_metrics (self);
  gtk_style_context_get_color (context, &fg);
  lookup_color (self, "accent_bg_color", "#3584e4", &selected);
  selected.alpha *= 0.45f;
  lookup_color (self, "accent_color", "#1c71d8", &cursor_color);
  lookup_color (self, "warning_color", "#9c6e03", &ignored);
  for (guint k = 0; k < SONDE_WIRE_N_KINDS; k++)
    sonde_hex_view_get_kind_color (self, k, &kind_colors[k]);

  top = header_height (self);
  draw_header (self, snapshot, width, &fg);
  if (self->len == 0)
    return;

  wide = unmasked_shown (self);
  value = gtk_adjustment_get_value (self->vadjustment);
  first_row = (gsize)(value / self->line_height);
  last_row = MIN (n_rows (self), (gsize)((value + height - top) / self->line_height) + 1);
  selection_bounds (self, &sel_lo, &sel_hi);

  g_array_set_size (self->regions, 0);
  if (first_row < last_row)
    sonde_wire_get_regions (self->wire, first_row * ROW, (last_row - first_row) * ROW,
                            self->regions);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, top, width, MAX (0, height - top)));
  for (gsize row = first_row; row < last_row; row++)
    {
      gsize start = row * ROW;
      gsize end = MIN (start + ROW, self->len);
      double y = top + (double)row * self->line_height - value;
      const SondeWireRegion *regions;
      guint n_regions;
      guint8 unmasked[ROW];
      guint have = 0;
      gsize len;

      /* The regions that reach this row; earlier ones are behind for good. */
      while (next_region < self->regions->len &&
             g_array_index (self->regions, SondeWireRegion, next_region).offset +
             g_array_index (self->regions, SondeWireRegion, next_region).length <= start)
        next_region++;
      regions = &g_array_index (self->regions, SondeWireRegion, next_region);
      n_regions = 0;
      while (next_region + n_regions < self->regions->len &&
             regions[n_regions].offset < end)
        n_regions++;

      for (guint i = 0; i < n_regions; i++)
        {
          const SondeWireRegion *r = &regions[i];
          guint from = (guint)(MAX (start, r->offset) - start);
          guint to = (guint)(MIN (end, r->offset + r->length) - start);
          const GdkRGBA *color = &kind_colors[r->kind < SONDE_WIRE_N_KINDS ? r->kind : 0];

          fill_cells (snapshot, self, y, from, to, FALSE, color);
          if (wide && (r->flags & SONDE_WIRE_REGION_MASKED))
            fill_cells (snapshot, self, y, from, to, TRUE, color);
          if (r->flags & SONDE_WIRE_REGION_IGNORED)
            underline_cells (snapshot, self, y, from, to, &ignored);
        }

      if (sel_lo < end && sel_hi >= start)
        {
          guint from = (guint)(MAX (start, sel_lo) - start);
          guint to = (guint)(MIN (end - 1, sel_hi) - start + 1);

          fill_cells (snapshot, self, y, from, to, FALSE, &selected);
          if (wide)
            fill_cells (snapshot, self, y, from, to, TRUE, &selected);
        }
      if (focused && self->cursor >= start && self->cursor < end)
        {
          guint i = (guint)(self->cursor - start);

          outline_cell (snapshot, self, y, hex_char (i), 2, &cursor_color);
          outline_cell (snapshot, self, y, ASCII_COL + i, 1, &cursor_color);
        }

      if (wide)
        have = unmask_row (self, row, regions, n_regions, unmasked);
      len = format_row (self, row, unmasked, have, buf);
      self->formatted_rows++;
      draw_text (self, snapshot, buf, len, col_x (self, 0), y, &fg);
    }
  gtk_snapshot_pop (snapshot);
}

/* ---- size and scrolling ---- */

static void
configure_adjustments (SondeHexView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  double content_width = 2 * PAD + total_chars (self) * self->char_width;
  double content_height = (double)n_rows (self) * self->line_height;
  double page = page_height (self);

  gtk_adjustment_configure (self->vadjustment,
                            CLAMP (gtk_adjustment_get_value (self->vadjustment), 0,
                                   MAX (0, content_height - page)),
                            0, MAX (content_height, page),
                            self->line_height, MAX (self->line_height, page - self->line_height),
                            page);
  gtk_adjustment_configure (self->hadjustment,
                            CLAMP (gtk_adjustment_get_value (self->hadjustment), 0,
                                   MAX (0, content_width - width)),
                            0, MAX (content_width, width),
                            self->char_width * 4, width * 0.9, width);
}

static void
sonde_hex_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SondeHexView *self = SONDE_HEX_VIEW (widget);

  ensure_metrics (self);
  configure_adjustments (self);
}

static void
sonde_hex_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  SondeHexView *self = SONDE_HEX_VIEW (widget);

  ensure_metrics (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int)(2 * PAD + 12 * self->char_width);
      *natural = (int)(2 * PAD + total_chars (self) * self->char_width + 1);
    }
  else
    {
      *minimum = header_height (self) + 3 * self->line_height;
      *natural = header_height (self) + (int)CLAMP (n_rows (self), 3, 16) * self->line_height;
    }
}

static void
sonde_hex_view_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  SondeHexView *self = SONDE_HEX_VIEW (widget);

  GTK_WIDGET_CLASS (sonde_hex_view_parent_class)->css_changed (widget, change);
  self->metrics_valid = FALSE;
  gtk_widget_queue_resize (widget);
}

static void
adjustment_value_changed (GtkAdjustment *adjustment,
                          SondeHexView  *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (SondeHexView   *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment != NULL && *slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed), self);
  *slot = g_object_ref_sink (adjustment);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ---- input ---- */

/* The byte under a point, from the column it falls in. */
static gsize
byte_at (SondeHexView *self,
         double        x,
         double        y)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double row_f = (y - header_height (self) + value) / self->line_height;
  double col = (x - PAD + gtk_adjustment_get_value (self->hadjustment)) / self->char_width;
  gsize row = row_f < 0 ? (gsize)(value / self->line_height) : (gsize)row_f;
  int i;

  if (unmasked_shown (self) && col >= UNMASKED_HEX_COL - 1)
    col -= UNMASKED_HEX_COL - HEX_COL;

  if (col >= ASCII_COL - 0.5)
    i = (int)(col - ASCII_COL);
  else
    {
      double rel = col - HEX_COL;

      if (rel >= (ROW / 2) * 3)
        rel -= 1;
      i = (int)(rel / 3);
    }
  i = CLAMP (i, 0, ROW - 1);
  row = MIN (row, n_rows (self) > 0 ? n_rows (self) - 1 : 0);
  return MIN (row * ROW + (gsize)i, self->len > 0 ? self->len - 1 : 0);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SondeHexView   *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->len == 0)
    return;
  set_cursor (self, byte_at (self, x, y), (state & GDK_SHIFT_MASK) != 0);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                SondeHexView   *self)
{
  double x;
  double y;

  if (self->len == 0 || !gtk_gesture_drag_get_start_point (gesture, &x, &y))
    return;
  set_cursor (self, byte_at (self, x + offset_x, y + offset_y), TRUE);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeHexView *self = SONDE_HEX_VIEW (widget);
  int move;
  gboolean extend;
  gsize cursor = self->cursor;
  gsize page = page_rows (self) * ROW;

  g_variant_get (parameter, "(ib)", &move, &extend);
  if (self->len == 0)
    return;

  switch ((SondeHexMove)move)
    {
    case SONDE_HEX_MOVE_LEFT:
      cursor = cursor > 0 ? cursor - 1 : 0;
      break;
    case SONDE_HEX_MOVE_RIGHT:
      cursor++;
      break;
    case SONDE_HEX_MOVE_UP:
      cursor = cursor >= ROW ? cursor - ROW : cursor;
      break;
    case SONDE_HEX_MOVE_DOWN:
      cursor = cursor + ROW < self->len ? cursor + ROW : cursor;
      break;
    case SONDE_HEX_MOVE_ROW_START:
      cursor -= cursor % ROW;
      break;
    case SONDE_HEX_MOVE_ROW_END:
      cursor += ROW - 1 - cursor % ROW;
      break;
    case SONDE_HEX_MOVE_PAGE_UP:
      cursor = cursor >= page ? cursor - page : cursor % ROW;
      break;
    case SONDE_HEX_MOVE_PAGE_DOWN:
      if (cursor + page < self->len)
        cursor += page;
      else
        cursor = (self->len - 1) / ROW * ROW + cursor % ROW;
      break;
    case SONDE_HEX_MOVE_START:
      cursor = 0;
      break;
    case SONDE_HEX_MOVE_END:
      cursor = self->len - 1;
      break;
    default:
      return;
    }
  set_cursor (self, cursor, extend);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeHexView *self = SONDE_HEX_VIEW (widget);

  sonde_hex_view_select (self, 0, self->len);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_autofree char *hex = sonde_hex_view_dup_selection_hex (SONDE_HEX_VIEW (widget));

  if (hex != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), hex);
}

/* ---- the entry ---- */

SondeEntry *
sonde_hex_view_get_entry (SondeHexView *self)
{
  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), NULL);

  return self->entry;
}

/**
 * sonde_hex_view_set_entry:
 * @entry: (nullable): the entry whose wire bytes to show
 */
void
sonde_hex_view_set_entry (SondeHexView *self,
                          SondeEntry   *entry)
{
  g_return_if_fail (SONDE_IS_HEX_VIEW (self));
  g_return_if_fail (entry == NULL || SONDE_IS_ENTRY (entry));

  if (self->entry == entry)
    return;

  /* The wire reads the entry's bytes, which the entry keeps alive: the wire goes first. */
  g_clear_pointer (&self->wire, sonde_wire_free);
  g_set_object (&self->entry, entry);
  if (entry != NULL)
    {
      self->wire = sonde_wire_new_for_entry (sonde_entry_get_view (entry));
      self->data = sonde_wire_get_data (self->wire, &self->len);
    }
  else
    {
      self->data = NULL;
      self->len = 0;
    }
  self->anchor = self->cursor = 0;
  gtk_adjustment_set_value (self->vadjustment, 0);
  gtk_adjustment_set_value (self->hadjustment, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  selection_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

/**
 * sonde_hex_view_get_wire:
 *
 * Returns: (transfer none) (nullable): the regions of the bytes shown
 */
SondeWire *
sonde_hex_view_get_wire (SondeHexView *self)
{
  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), NULL);

  return self->wire;
}

gboolean
sonde_hex_view_get_show_unmasked (SondeHexView *self)
{
  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), FALSE);

  return self->show_unmasked;
}

/**
 * sonde_hex_view_set_show_unmasked:
 *
 * Whether a masked frame's payload is shown unmasked beside the bytes on the wire.
 */
void
sonde_hex_view_set_show_unmasked (SondeHexView *self,
                                  gboolean      show)
{
  g_return_if_fail (SONDE_IS_HEX_VIEW (self));

  show = !!show;
  if (self->show_unmasked == show)
    return;
  self->show_unmasked = show;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_UNMASKED]);
}

/**
 * sonde_hex_view_format_row:
 * @row: a row, 16 bytes each
 *
 * Returns: (transfer full) (nullable): the row as the view draws it, or
 *   %NULL past the bytes
 */
char *
sonde_hex_view_format_row (SondeHexView *self,
                           gsize         row)
{
  g_autoptr(GArray) regions = NULL;
  guint8 unmasked[ROW];
  guint have = 0;
  char buf[WIDE_CHARS + 1];

  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), NULL);

  if (row >= n_rows (self))
    return NULL;
  if (unmasked_shown (self))
    {
      regions = g_array_new (FALSE, FALSE, sizeof (SondeWireRegion));
      sonde_wire_get_regions (self->wire, row * ROW, ROW, regions);
      have = unmask_row (self, row, (const SondeWireRegion *)(gpointer)regions->data,
                         regions->len, unmasked);
    }
  format_row (self, row, unmasked, have, buf);
  return g_strdup (buf);
}

/**
 * sonde_hex_view_get_formatted_rows:
 *
 * Returns: how many rows the view has formatted for drawing since it was
 *   made, which follows what is visible, not how many bytes there are
 */
guint64
sonde_hex_view_get_formatted_rows (SondeHexView *self)
{
  g_return_val_if_fail (SONDE_IS_HEX_VIEW (self), 0);

  return self->formatted_rows;
}

/* ---- GObject ---- */

static void
sonde_hex_view_dispose (GObject *object)
{
  SondeHexView *self = SONDE_HEX_VIEW (object);

  g_clear_pointer (&self->wire, sonde_wire_free);
  g_clear_object (&self->entry);
  self->data = NULL;
  self->len = 0;
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->layout);
  g_clear_object (&self->font);

  G_OBJECT_CLASS (sonde_hex_view_parent_class)->dispose (object);
}

static void
sonde_hex_view_finalize (GObject *object)
{
  SondeHexView *self = SONDE_HEX_VIEW (object);

  g_array_unref (self->regions);
  pango_glyph_string_free (self->row_glyphs);

  G_OBJECT_CLASS (sonde_hex_view_parent_class)->finalize (object);
}

static void
sonde_hex_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SondeHexView *self = SONDE_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    case PROP_SHOW_UNMASKED:
      g_value_set_boolean (value, self->show_unmasked);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_hex_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SondeHexView *self = SONDE_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      sonde_hex_view_set_entry (self, g_value_get_object (value));
      break;
    case PROP_SHOW_UNMASKED:
      sonde_hex_view_set_show_unmasked (self, g_value_get_boolean (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint)g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint)g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
sonde_hex_view_get_border (GtkScrollable *scrollable,
                           GtkBorder     *border)
{
  SondeHexView *self = SONDE_HEX_VIEW (scrollable);

  /* The header does not scroll: tell the scrolled window where rows start. */
  ensure_metrics (self);
  border->top = (gint16)header_height (self);
  border->bottom = border->left = border->right = 0;
  return TRUE;
}

static void
sonde_hex_view_scrollable_init (GtkScrollableInterface *iface)
{
  iface->get_border = sonde_hex_view_get_border;
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           key,
                  GdkModifierType modifiers,
                  SondeHexMove    move)
{
  gtk_widget_class_add_binding_action (widget_class, key, modifiers, "hex.move", "(ib)",
                                       (int)move, FALSE);
  gtk_widget_class_add_binding_action (widget_class, key, modifiers | GDK_SHIFT_MASK, "hex.move",
                                       "(ib)", (int)move, TRUE);
}

static void
sonde_hex_view_class_init (SondeHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_hex_view_dispose;
  object_class->finalize = sonde_hex_view_finalize;
  object_class->get_property = sonde_hex_view_get_property;
  object_class->set_property = sonde_hex_view_set_property;

  widget_class->snapshot = sonde_hex_view_snapshot;
  widget_class->measure = sonde_hex_view_measure;
  widget_class->size_allocate = sonde_hex_view_size_allocate;
  widget_class->css_changed = sonde_hex_view_css_changed;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, SONDE_TYPE_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_UNMASKED] =
    g_param_spec_boolean ("show-unmasked", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * SondeHexView::selection-changed:
   *
   * The selected bytes changed, by the keyboard, the mouse or a new entry.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "hex.move", "(ib)", move_action);
  gtk_widget_class_install_action (widget_class, "hex.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "hex.copy", NULL, copy_action);

  add_move_binding (widget_class, GDK_KEY_Left, 0, SONDE_HEX_MOVE_LEFT);
  add_move_binding (widget_class, GDK_KEY_Right, 0, SONDE_HEX_MOVE_RIGHT);
  add_move_binding (widget_class, GDK_KEY_Up, 0, SONDE_HEX_MOVE_UP);
  add_move_binding (widget_class, GDK_KEY_Down, 0, SONDE_HEX_MOVE_DOWN);
  add_move_binding (widget_class, GDK_KEY_Home, 0, SONDE_HEX_MOVE_ROW_START);
  add_move_binding (widget_class, GDK_KEY_End, 0, SONDE_HEX_MOVE_ROW_END);
  add_move_binding (widget_class, GDK_KEY_Page_Up, 0, SONDE_HEX_MOVE_PAGE_UP);
  add_move_binding (widget_class, GDK_KEY_Page_Down, 0, SONDE_HEX_MOVE_PAGE_DOWN);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, SONDE_HEX_MOVE_START);
  add_move_binding (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, SONDE_HEX_MOVE_END);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "hex.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "hex.copy", NULL);

  gtk_widget_class_set_css_name (widget_class, "sonde-hex-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_WIDGET);
}

static void
sonde_hex_view_init (SondeHexView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->regions = g_array_new (FALSE, FALSE, sizeof (SondeWireRegion));
  self->row_glyphs = pango_glyph_string_new ();
  self->show_unmasked = TRUE;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Wire bytes"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No bytes on the wire"),
                                  -1);
}

GtkWidget *
sonde_hex_view_new (void)
{
  return g_object_new (SONDE_TYPE_HEX_VIEW, NULL);
}

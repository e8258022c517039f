/* sonde-hex-view.h: an entry's wire bytes as offset, hex and ASCII, drawn a visible line at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry.h"
#include "sonde-wire.h"

G_BEGIN_DECLS

#define SONDE_HEX_VIEW_BYTES_PER_ROW 16

/* How the keyboard moves the cursor; a binding passes one with whether it extends the selection. */
typedef enum
{
  SONDE_HEX_MOVE_LEFT,
  SONDE_HEX_MOVE_RIGHT,
  SONDE_HEX_MOVE_UP,
  SONDE_HEX_MOVE_DOWN,
  SONDE_HEX_MOVE_ROW_START,
  SONDE_HEX_MOVE_ROW_END,
  SONDE_HEX_MOVE_PAGE_UP,
  SONDE_HEX_MOVE_PAGE_DOWN,
  SONDE_HEX_MOVE_START,
  SONDE_HEX_MOVE_END,
} SondeHexMove;

#define SONDE_TYPE_HEX_VIEW (sonde_hex_view_get_type ())

G_DECLARE_FINAL_TYPE (SondeHexView, sonde_hex_view, SONDE, HEX_VIEW, GtkWidget)

GtkWidget  *sonde_hex_view_new                (void);
SondeEntry *sonde_hex_view_get_entry          (SondeHexView  *self);
void        sonde_hex_view_set_entry          (SondeHexView  *self,
                                               SondeEntry    *entry);
SondeWire  *sonde_hex_view_get_wire           (SondeHexView  *self);
gboolean    sonde_hex_view_get_show_unmasked  (SondeHexView  *self);
void        sonde_hex_view_set_show_unmasked  (SondeHexView  *self,
                                               gboolean       show);
gboolean    sonde_hex_view_get_selection      (SondeHexView  *self,
                                               gsize         *start,
                                               gsize         *length);
void        sonde_hex_view_select             (SondeHexView  *self,
                                               gsize          start,
                                               gsize          length);
char       *sonde_hex_view_describe_selection (SondeHexView  *self);
char       *sonde_hex_view_dup_selection_hex  (SondeHexView  *self);
char       *sonde_hex_view_format_row         (SondeHexView  *self,
                                               gsize          row);
void        sonde_hex_view_get_kind_color     (SondeHexView  *self,
                                               SondeWireKind  kind,
                                               GdkRGBA       *color);
guint64     sonde_hex_view_get_formatted_rows (SondeHexView  *self);

G_END_DECLS

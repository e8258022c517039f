/* sonde-details-pane.h: the selected entry's payload, bytes, frames and headers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sonde-entry.h"

G_BEGIN_DECLS

#define SONDE_TYPE_DETAILS_PANE (sonde_details_pane_get_type ())

G_DECLARE_FINAL_TYPE (SondeDetailsPane, sonde_details_pane, SONDE, DETAILS_PANE, GtkWidget)

/* Payloads larger than these show their start until the user asks for all. */
#define SONDE_DETAILS_TEXT_LIMIT (256 * 1024)
#define SONDE_DETAILS_HEX_LIMIT  (16 * 1024)
/* The longest line the Payload page shows unbroken, in bytes. */
#define SONDE_DETAILS_LINE_LIMIT 4096

GtkWidget     *sonde_details_pane_new       (void);
SondeEntry    *sonde_details_pane_get_entry (SondeDetailsPane *self);
void           sonde_details_pane_set_entry (SondeDetailsPane *self,
                                             SondeEntry       *entry);
SondeEventLog *sonde_details_pane_get_log   (SondeDetailsPane *self);
void           sonde_details_pane_set_log   (SondeDetailsPane *self,
                                             SondeEventLog    *log);
gboolean       sonde_details_pane_get_insecure (SondeDetailsPane *self);
void           sonde_details_pane_set_insecure (SondeDetailsPane *self,
                                                gboolean          insecure);
char          *sonde_details_pane_dup_payload_text (SondeDetailsPane *self);
char          *sonde_details_pane_dup_headers_text (SondeDetailsPane *self);

G_END_DECLS

/* sonde-connect-page.h: a tab's connection described: URL, headers and the engines' options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-session.h"

G_BEGIN_DECLS

#define SONDE_TYPE_CONNECT_PAGE (sonde_connect_page_get_type ())

G_DECLARE_FINAL_TYPE (SondeConnectPage, sonde_connect_page, SONDE, CONNECT_PAGE, GtkWidget)

GtkWidget          *sonde_connect_page_new           (void);
const char         *sonde_connect_page_get_url       (SondeConnectPage         *self);
void                sonde_connect_page_set_url       (SondeConnectPage         *self,
                                                      const char               *url);
gboolean            sonde_connect_page_get_url_valid (SondeConnectPage         *self);
SondeSessionConfig *sonde_connect_page_get_config    (SondeConnectPage         *self,
                                                      GError                  **error);
void                sonde_connect_page_set_config    (SondeConnectPage         *self,
                                                      const SondeSessionConfig *config);
void                sonde_connect_page_add_header    (SondeConnectPage         *self,
                                                      const char               *name,
                                                      const char               *value);
void                sonde_connect_page_set_editing   (SondeConnectPage         *self,
                                                      gboolean                  editing);
void                sonde_connect_page_show_error    (SondeConnectPage         *self,
                                                      const char               *message);
void                sonde_connect_page_focus_url     (SondeConnectPage         *self);

G_END_DECLS

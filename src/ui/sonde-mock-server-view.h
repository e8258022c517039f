/* sonde-mock-server-view.h: one mock server in the Mock Servers window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-mock-host.h"
#include "sonde-window.h"

G_BEGIN_DECLS

#define SONDE_TYPE_MOCK_SERVER_VIEW (sonde_mock_server_view_get_type ())

G_DECLARE_FINAL_TYPE (SondeMockServerView, sonde_mock_server_view, SONDE, MOCK_SERVER_VIEW,
                      GtkWidget)

/* What the Recording row offers before the tabs. */
enum
{
  SONDE_MOCK_SOURCE_DEMO,
  SONDE_MOCK_SOURCE_FILE,
  SONDE_MOCK_SOURCE_FIRST_TAB,
};

GtkWidget     *sonde_mock_server_view_new       (SondeWindow         *window,
                                                 guint                number);
SondeMockHost *sonde_mock_server_view_get_host  (SondeMockServerView *self);
void           sonde_mock_server_view_set_file  (SondeMockServerView *self,
                                                 GFile               *file);
void           sonde_mock_server_view_set_tabs  (SondeMockServerView *self,
                                                 GPtrArray           *tabs);
void           sonde_mock_server_view_stop      (SondeMockServerView *self);

G_END_DECLS

/* sonde-mock-panel.h: the Mock Servers window: servers started from Sonde, on threads of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-mock-server-view.h"
#include "sonde-window.h"

G_BEGIN_DECLS

#define SONDE_TYPE_MOCK_PANEL (sonde_mock_panel_get_type ())

G_DECLARE_FINAL_TYPE (SondeMockPanel, sonde_mock_panel, SONDE, MOCK_PANEL, AdwWindow)

SondeMockPanel      *sonde_mock_panel_new        (SondeWindow    *window);
SondeMockServerView *sonde_mock_panel_add_server (SondeMockPanel *self);
GList               *sonde_mock_panel_get_servers (SondeMockPanel *self);

G_END_DECLS

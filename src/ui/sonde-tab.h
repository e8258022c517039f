/* sonde-tab.h: one tab of the window: its connect page, then its inspector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-connect-page.h"
#include "sonde-inspector.h"
#include "sonde-recording-loader.h"
#include "sonde-session.h"

G_BEGIN_DECLS

#define SONDE_TYPE_TAB (sonde_tab_get_type ())

G_DECLARE_FINAL_TYPE (SondeTab, sonde_tab, SONDE, TAB, GtkWidget)

GtkWidget            *sonde_tab_new              (void);
SondeConnectPage     *sonde_tab_get_connect_page (SondeTab                 *self);
SondeInspector       *sonde_tab_get_inspector    (SondeTab                 *self);
SondeSession         *sonde_tab_get_session      (SondeTab                 *self);
const char           *sonde_tab_get_title        (SondeTab                 *self);
const char           *sonde_tab_get_tooltip      (SondeTab                 *self);
SondeConnectionState  sonde_tab_get_state        (SondeTab                 *self);
void                  sonde_tab_connect          (SondeTab                 *self,
                                                  const SondeSessionConfig *config);
void                  sonde_tab_open_recording   (SondeTab                 *self,
                                                  SondeRecordingLoader     *loader);
SondeRecordingLoader *sonde_tab_get_loader       (SondeTab                 *self);
SondeEventLog        *sonde_tab_get_log          (SondeTab                 *self);
SondeTransport        sonde_tab_get_transport    (SondeTab                 *self);
const char           *sonde_tab_get_url          (SondeTab                 *self);
GFile                *sonde_tab_get_file         (SondeTab                 *self);
char                 *sonde_tab_suggest_file_name (SondeTab                *self,
                                                  const char              *extension);
void                  sonde_tab_set_saved        (SondeTab                 *self,
                                                  GFile                    *file,
                                                  guint64                   n_saved);
guint64               sonde_tab_get_n_unsaved    (SondeTab                 *self);

G_END_DECLS

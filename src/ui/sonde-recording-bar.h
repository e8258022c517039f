/* sonde-recording-bar.h: how far a recording being opened has come, and where and why it stopped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sonde-recording-loader.h"

G_BEGIN_DECLS

#define SONDE_TYPE_RECORDING_BAR (sonde_recording_bar_get_type ())

G_DECLARE_FINAL_TYPE (SondeRecordingBar, sonde_recording_bar, SONDE, RECORDING_BAR, GtkWidget)

GtkWidget            *sonde_recording_bar_new        (SondeRecordingLoader *loader);
SondeRecordingLoader *sonde_recording_bar_get_loader (SondeRecordingBar    *self);
const char           *sonde_recording_bar_get_text   (SondeRecordingBar    *self);

G_END_DECLS

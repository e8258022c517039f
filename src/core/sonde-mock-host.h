/* sonde-mock-host.h: the mock server on a worker thread, for a process whose main thread draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SONDE_TYPE_MOCK_HOST (sonde_mock_host_get_type ())

G_DECLARE_FINAL_TYPE (SondeMockHost, sonde_mock_host, SONDE, MOCK_HOST, GObject)

SondeMockHost *sonde_mock_host_new          (const char           *recording_path);
void           sonde_mock_host_start_async  (SondeMockHost        *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       sonde_mock_host_start_finish (SondeMockHost        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           sonde_mock_host_stop         (SondeMockHost        *self);
guint          sonde_mock_host_get_port     (SondeMockHost        *self);
char          *sonde_mock_host_get_url      (SondeMockHost        *self,
                                             const char           *scheme,
                                             const char           *path);

G_END_DECLS

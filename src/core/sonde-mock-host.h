/* sonde-mock-host.h: the mock server on a worker thread, for a process whose main thread draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"
#include "sonde-mock-server.h"

G_BEGIN_DECLS

#define SONDE_TYPE_MOCK_HOST (sonde_mock_host_get_type ())

G_DECLARE_FINAL_TYPE (SondeMockHost, sonde_mock_host, SONDE, MOCK_HOST, GObject)

SondeMockHost         *sonde_mock_host_new          (const char           *recording_path);
SondeMockHost         *sonde_mock_host_new_for_log  (SondeEventLog        *log);
void                   sonde_mock_host_start_async  (SondeMockHost        *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean               sonde_mock_host_start_finish (SondeMockHost        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void                   sonde_mock_host_stop         (SondeMockHost        *self);
gboolean               sonde_mock_host_get_running  (SondeMockHost        *self);
guint                  sonde_mock_host_get_port     (SondeMockHost        *self);
char                  *sonde_mock_host_get_url      (SondeMockHost        *self,
                                                     const char           *scheme,
                                                     const char           *path);
guint                  sonde_mock_host_get_n_items  (SondeMockHost        *self);
const SondeMockFaults *sonde_mock_host_get_faults   (SondeMockHost        *self);
gboolean               sonde_mock_host_set_faults   (SondeMockHost        *self,
                                                     const SondeMockFaults *faults,
                                                     GError              **error);
GPtrArray             *sonde_mock_host_get_clients  (SondeMockHost        *self);
void                   sonde_mock_host_publish_async  (SondeMockHost        *self,
                                                       GBytes               *body,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean               sonde_mock_host_publish_finish (SondeMockHost        *self,
                                                       GAsyncResult         *result,
                                                       guint                *n_clients,
                                                       GError              **error);

G_END_DECLS

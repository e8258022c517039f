/* sonde-test-util.h: what several test programs share: bounded waits, a loopback server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-compare.h"
#include "sonde-connection.h"
#include "sonde-event-log.h"
#include "sonde-mock-server.h"
#include "sonde-session.h"

G_BEGIN_DECLS

/* Iterates the default main context until @cond (an expression) holds,
 * and fails the test after @timeout_ms. */
#define SONDE_TEST_WAIT_UNTIL(cond, timeout_ms) \
  G_STMT_START { \
    gint64 wait_deadline_ = g_get_monotonic_time () + (gint64)(timeout_ms) * 1000; \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > wait_deadline_) \
          g_error ("Timed out waiting for %s", #cond); \
        if (!g_main_context_iteration (NULL, FALSE)) \
          g_usleep (500); \
      } \
  } G_STMT_END

gboolean    sonde_test_wait_until    (gboolean             (*cond) (gpointer),
                                      gpointer               data,
                                      guint                  timeout_ms);
void        sonde_test_spin          (guint                  ms);
GArray     *sonde_test_stamped_times (SondeEventLog         *log,
                                      guint                  max_position);
SoupServer *sonde_test_server_new    (char                 **base_url);
JsonObject *sonde_test_entry_fields  (const SondeEntryView  *view);
SoupServer *sonde_test_ws_echo_server_new (char            **ws_url);
gboolean    sonde_test_connection_is_open   (gpointer          connection);
gboolean    sonde_test_connection_has_ended (gpointer          connection);
SondeSession *sonde_test_session_new     (const char        *url);
gboolean    sonde_test_session_is_open      (gpointer          session);
guint       sonde_test_count_entries (SondeEventLog         *log,
                                      SondeEntryKind         kind,
                                      int                    direction);
char       *sonde_test_ws_accept     (const char            *request);
GSocketService *sonde_test_threaded_service_new  (GCallback       run,
                                                  gpointer        data,
                                                  GClosureNotify  destroy,
                                                  guint16        *port);
void            sonde_test_threaded_service_free (GSocketService *service);
SoupServer *sonde_test_tls_server_new (char                **host_port);
GSocketService *sonde_test_tls_sse_service_new (guint16 *port);
GSubprocess *sonde_test_serve_start (const char * const *args,
                                     char              **sse_url,
                                     char              **ws_url);
void         sonde_test_serve_stop  (GSubprocess        *serve);
SondeMockServer *sonde_test_mock_server_new (SondeEventLog  *recording,
                                             const char     *first_property,
                                             ...) G_GNUC_NULL_TERMINATED;
void        sonde_test_sse_once_handler (SoupServer         *server,
                                         SoupServerMessage  *msg,
                                         const char         *path,
                                         GHashTable         *query,
                                         gpointer            user_data);

/* A program run to its end while the test's main loop keeps turning. */
typedef struct
{
  GSubprocess *process;
  gboolean     done;
  int          status;
  char        *out;
  char        *err;
} SondeTestRun;

void        sonde_test_run_start     (SondeTestRun          *run,
                                      const char * const    *argv);
int         sonde_test_run_wait      (SondeTestRun          *run);
int         sonde_test_run           (SondeTestRun          *run,
                                      const char * const    *argv);
void        sonde_test_run_clear     (SondeTestRun          *run);
char       *sonde_test_repeat        (const char            *unit,
                                      guint                  times,
                                      const char            *end);
GStrv       sonde_test_sonde_argv    (const char            *subcommand,
                                      const char * const    *args);
int         sonde_test_run_sonde     (SondeTestRun          *run,
                                      const char            *subcommand,
                                      const char * const    *args);
int         sonde_test_process_wait  (GSubprocess           *process);

/* A scripted peer on 127.0.0.1 that answers every request with the same bytes. */
typedef struct _SondeTestRawServer SondeTestRawServer;

SondeTestRawServer *sonde_test_raw_server_new             (const char          *response,
                                                           gssize               len);
const char         *sonde_test_raw_server_get_url         (SondeTestRawServer  *server);
guint               sonde_test_raw_server_get_n_connections (SondeTestRawServer *server);
void                sonde_test_raw_server_free            (SondeTestRawServer  *server);
GString            *sonde_test_sse_stream_response        (guint                n_events,
                                                           gsize                size);

/* A loopback port held by a listener that never accepts: a port in use. */
GSocketListener *sonde_test_take_port (guint *port);

/* A fresh temporary folder, and its removal with the files in it. */
char       *sonde_test_tmp_dir_new   (const char            *tmpl);
char       *sonde_test_use_german_numbers  (void);
void        sonde_test_stop_german_numbers (char                  *dir);
void        sonde_test_tmp_dir_free  (char                  *dir);

/* A copy of a model of SondeEntry kept by its items-changed alone, to hold
 * the model's signals to what it holds. */
typedef struct _SondeTestMirror SondeTestMirror;

SondeTestMirror *sonde_test_mirror_new     (GListModel      *model);
void             sonde_test_mirror_check   (SondeTestMirror *mirror);
guint            sonde_test_mirror_removed (SondeTestMirror *mirror);
void             sonde_test_mirror_free    (SondeTestMirror *mirror);

SondeEventLog *sonde_test_steady_recording (guint n_events);
SondeEventLog *sonde_test_text_recording (const char * const *texts);
void           sonde_test_assert_all_received (SondeComparison *comparison);
GBytes        *sonde_test_deflate_bomb (guint mebibytes);

G_END_DECLS

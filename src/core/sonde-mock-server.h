/* sonde-mock-server.h: replays a recording over SSE and WebSocket from loopback, with faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sonde-event-log.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_MOCK_BROKEN_NONE,
  SONDE_MOCK_BROKEN_BAD_UTF8,         /* /ws: a text frame that is not UTF-8 */
  SONDE_MOCK_BROKEN_RESERVED_OPCODE,  /* /ws: a frame with opcode 0x3 */
  SONDE_MOCK_BROKEN_OVERSIZED_PING,   /* /ws: a ping with 126 bytes */
  SONDE_MOCK_BROKEN_SSE_LINE,         /* /sse: a line of invalid UTF-8 and a bad retry */
} SondeMockBroken;

/* The faults a mock server injects, edited as a whole (the "faults"
 * property). Zero means "not this fault" everywhere but where noted; use
 * sonde_mock_faults_new() for the defaults. The strings belong to the struct:
 * set them with the setters, which refuse what cannot go on the wire. */
typedef struct
{
  guint            drop_after;        /* drop each connection without a goodbye after N events */
  double           drop_every;        /* ... every S seconds */
  guint            stall_after;       /* after N events, stop sending for `stall` seconds */
  double           stall;
  guint            close_after;       /* /ws: close after N messages, with close_code */
  guint            close_code;        /* /ws: the close code at the end (0: 1000) */
  char            *close_reason;      /* /ws: the close reason (NULL: a default) */
  int              retry;             /* /sse: send `retry: MS` first; -1: no */
  guint            sse_status;        /* /sse: answer with this HTTP status instead */
  char            *sse_content_type;  /* /sse: answer with this type (NULL: the right one) */
  guint            ws_refuse;         /* /ws: refuse upgrades with this HTTP status */
  SondeMockBroken  broken;            /* send one broken frame or line ... */
  guint            broken_after;      /* ... after N events (default 1) */
} SondeMockFaults;

#define SONDE_TYPE_MOCK_FAULTS (sonde_mock_faults_get_type ())

GType            sonde_mock_faults_get_type      (void) G_GNUC_CONST;
SondeMockFaults *sonde_mock_faults_new           (void);
SondeMockFaults *sonde_mock_faults_copy          (const SondeMockFaults  *faults);
void             sonde_mock_faults_free          (SondeMockFaults        *faults);
gboolean         sonde_mock_faults_equal         (const SondeMockFaults  *a,
                                                  const SondeMockFaults  *b);
gboolean         sonde_mock_faults_set_close_reason     (SondeMockFaults  *faults,
                                                         const char       *reason,
                                                         GError          **error);
gboolean         sonde_mock_faults_set_sse_content_type (SondeMockFaults  *faults,
                                                         const char       *content_type,
                                                         GError          **error);
gboolean         sonde_mock_faults_check         (const SondeMockFaults  *faults,
                                                  GError                **error);
gboolean         sonde_mock_broken_from_string   (const char             *name,
                                                  SondeMockBroken        *broken);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeMockFaults, sonde_mock_faults_free)

/* One client of a mock server, as sonde_mock_server_list_clients() saw it. */
typedef struct
{
  guint     id;
  gboolean  websocket;
  guint     position;       /* the next item it gets, 0 to the number of items */
  gboolean  finished;       /* it got the whole recording */
  guint64   sent;           /* events and messages sent to it */
  char     *resumed_after;  /* the id it asked to resume after; NULL: from the start */
  guint     resumed_at;     /* the item that resume started at */
  char     *last_id;        /* the id of the last item it got: where it would resume now */
} SondeMockClientInfo;

#define SONDE_TYPE_MOCK_CLIENT_INFO (sonde_mock_client_info_get_type ())

GType                sonde_mock_client_info_get_type (void) G_GNUC_CONST;
SondeMockClientInfo *sonde_mock_client_info_copy     (const SondeMockClientInfo *info);
void                 sonde_mock_client_info_free     (SondeMockClientInfo       *info);
gboolean             sonde_mock_client_info_equal    (const SondeMockClientInfo *a,
                                                      const SondeMockClientInfo *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeMockClientInfo, sonde_mock_client_info_free)

/* The largest POST /publish body, and /ws message from a client, by default. */
#define SONDE_MOCK_DEFAULT_MAX_MESSAGE_SIZE (1024 * 1024)
/* How much may wait for one client before it counts as not reading. */
#define SONDE_MOCK_DEFAULT_MAX_CLIENT_QUEUE (4 * 1024 * 1024)
/* How long a connection may take to send a whole request (its headers and
 * body), from its connect or the end of its last answer, in milliseconds. */
#define SONDE_MOCK_DEFAULT_REQUEST_TIMEOUT_MS 10000

#define SONDE_TYPE_MOCK_SERVER (sonde_mock_server_get_type ())

G_DECLARE_FINAL_TYPE (SondeMockServer, sonde_mock_server, SONDE, MOCK_SERVER, GObject)

SondeMockServer       *sonde_mock_server_new           (SondeEventLog          *recording);
gboolean               sonde_mock_server_start         (SondeMockServer        *self,
                                                        GError                **error);
void                   sonde_mock_server_stop          (SondeMockServer        *self);
guint                  sonde_mock_server_get_port      (SondeMockServer        *self);
char                  *sonde_mock_server_get_url       (SondeMockServer        *self,
                                                        const char             *scheme,
                                                        const char             *path);
guint                  sonde_mock_server_get_n_items   (SondeMockServer        *self);
guint                  sonde_mock_server_get_n_clients (SondeMockServer        *self);
guint                  sonde_mock_server_publish       (SondeMockServer        *self,
                                                        GBytes                 *body);
guint64                sonde_mock_server_end_feed      (SondeMockServer        *self);
gboolean               sonde_mock_address_is_loopback  (const char             *address);
GPtrArray             *sonde_mock_server_list_clients  (SondeMockServer        *self);
const SondeMockFaults *sonde_mock_server_get_faults    (SondeMockServer        *self);
gboolean               sonde_mock_server_set_faults    (SondeMockServer        *self,
                                                        const SondeMockFaults  *faults,
                                                        GError                **error);

G_END_DECLS

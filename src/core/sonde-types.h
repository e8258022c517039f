/* sonde-types.h: forward declarations shared by every layer of Sonde
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which wire protocol a URL or a connection speaks. */
typedef enum
{
  SONDE_TRANSPORT_SSE,
  SONDE_TRANSPORT_WEBSOCKET,
} SondeTransport;

/* Who an entry came from: the server, us, or Sonde itself. */
typedef enum
{
  SONDE_DIRECTION_IN,
  SONDE_DIRECTION_OUT,
  SONDE_DIRECTION_LOCAL,
} SondeDirection;

/* The `kind` of a timeline entry; the names are those of the recording format. */
typedef enum
{
  SONDE_ENTRY_OPEN,
  SONDE_ENTRY_SSE,
  SONDE_ENTRY_COMMENT,
  SONDE_ENTRY_RETRY,
  SONDE_ENTRY_TEXT,
  SONDE_ENTRY_BINARY,
  SONDE_ENTRY_PING,
  SONDE_ENTRY_PONG,
  SONDE_ENTRY_CLOSE,
  SONDE_ENTRY_RECONNECT,
  SONDE_ENTRY_CLOSED,
  SONDE_ENTRY_ERROR,
  SONDE_ENTRY_REQUEST,
  SONDE_ENTRY_N_KINDS /*< skip >*/
} SondeEntryKind;

/* What a view groups entries by: filters, colours, the timeline's marks. */
typedef enum
{
  SONDE_ENTRY_CATEGORY_DATA,       /* sse, text, binary, request */
  SONDE_ENTRY_CATEGORY_CONTROL,    /* comment, retry, ping, pong, close */
  SONDE_ENTRY_CATEGORY_LIFECYCLE,  /* open, reconnect, closed */
  SONDE_ENTRY_CATEGORY_PROBLEM,    /* error, and any entry with violations or lost bytes */
} SondeEntryCategory;

/* Every core type, so a header can name one without including its header.
 * (C11 lets G_DECLARE_*_TYPE repeat these typedefs.) */
typedef struct _SondeConnection       SondeConnection;
typedef struct _SondeEntry            SondeEntry;
typedef struct _SondeEventLog         SondeEventLog;
typedef struct _SondeFilterMatcher    SondeFilterMatcher;
typedef struct _SondeFilterModel      SondeFilterModel;
typedef struct _SondeFilterQuery      SondeFilterQuery;
typedef struct _SondeHar              SondeHar;
typedef struct _SondeMockServer       SondeMockServer;
typedef struct _SondeRecordingReader  SondeRecordingReader;
typedef struct _SondeRecordingWriter  SondeRecordingWriter;
typedef struct _SondeSseClient        SondeSseClient;
typedef struct _SondeSseParser        SondeSseParser;
typedef struct _SondeTapInputStream   SondeTapInputStream;
typedef struct _SondeTapOutputStream  SondeTapOutputStream;
typedef struct _SondeTimelineSummary  SondeTimelineSummary;
typedef struct _SondeWsClient         SondeWsClient;
typedef struct _SondeWsDissector      SondeWsDissector;

const char *sonde_direction_to_string  (SondeDirection direction);
const char *sonde_entry_kind_to_string (SondeEntryKind kind);
gboolean    sonde_entry_kind_from_string (const char     *name,
                                          SondeEntryKind *kind);
SondeEntryCategory sonde_entry_kind_get_category (SondeEntryKind kind);

G_END_DECLS

#include "sonde-enums.h"

/* sonde-timeline-render.h: the timeline drawn with cairo, for the window and the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "sonde-entry-text.h"
#include "sonde-timeline-summary.h"

G_BEGIN_DECLS

/* Lanes share one time axis: a comparison draws one per transport. */
#define SONDE_TIMELINE_MAX_LANES 8

typedef struct
{
  gint64                      from_us;       /* the visible range */
  gint64                      to_us;
  gint64                      end_us;        /* where the session stands: now while it is live;
                                              * G_MININT64: its last entry */
  SondeTimeFormat             time_format;
  gint64                      clock_origin;  /* sonde_entry_text_clock_origin() */
  gboolean                    dark;
  guint64                     cursor_seq;    /* the selected entry, or SONDE_TIMELINE_NO_SEQ */
  gboolean                    legend;        /* explain colours and patterns under the axis */
  const char                 *title;         /* nullable: a heading, for pictures that travel */
  const char                 *subtitle;      /* nullable */
  double                      margin;        /* around everything, in pixels */
  const PangoFontDescription *font;          /* nullable: sans at 8 points */
  double                      scale;         /* device pixels per pixel where the target is
                                              * a recording replayed later (a widget's
                                              * scale factor); others tell their own */
} SondeTimelineOptions;

typedef enum
{
  SONDE_TIMELINE_HIT_NONE,
  SONDE_TIMELINE_HIT_ENTRY,     /* one entry's mark */
  SONDE_TIMELINE_HIT_BIN,       /* a pixel's worth of entries */
  SONDE_TIMELINE_HIT_SEGMENT,   /* a stretch of the connection band */
  SONDE_TIMELINE_HIT_NOTE,      /* a note's label */
  SONDE_TIMELINE_HIT_RATE,      /* the rate graph */
} SondeTimelineHitKind;

typedef struct
{
  SondeTimelineHitKind kind;
  guint                lane;
  gint64               time_us;   /* the time under the pointer */
  guint64              seq;       /* entry, note: the entry */
  guint                index;     /* segment, note: which; bin: the bin */
} SondeTimelineHit;

/* What one rendering drew, kept to answer what lies under the pointer. */
typedef struct _SondeTimelineFrame SondeTimelineFrame;

const char         *sonde_connection_state_get_label (SondeConnectionState state);
void                sonde_timeline_options_init   (SondeTimelineOptions        *options);

SondeTimelineFrame *sonde_timeline_frame_new      (void);
void                sonde_timeline_frame_free     (SondeTimelineFrame          *frame);
gboolean            sonde_timeline_frame_hit      (SondeTimelineFrame          *frame,
                                                   double                       x,
                                                   double                       y,
                                                   SondeTimelineHit            *hit);
char               *sonde_timeline_frame_describe_hit (SondeTimelineFrame      *frame,
                                                       const SondeTimelineHit  *hit);
double              sonde_timeline_frame_time_to_x (SondeTimelineFrame         *frame,
                                                    gint64                      time_us);
gint64              sonde_timeline_frame_x_to_time (SondeTimelineFrame         *frame,
                                                    double                      x);

void                sonde_timeline_render         (cairo_t                     *cr,
                                                   double                       width,
                                                   double                       height,
                                                   SondeTimelineSummary * const *summaries,
                                                   const char * const          *lane_titles,
                                                   guint                        n_lanes,
                                                   const SondeTimelineOptions  *options,
                                                   SondeTimelineFrame          *frame);

typedef enum
{
  SONDE_TIMELINE_FILE_PNG,
  SONDE_TIMELINE_FILE_SVG,
} SondeTimelineFileFormat;

gboolean            sonde_timeline_file_format_from_name (const char           *name,
                                                          SondeTimelineFileFormat *format);
gboolean            sonde_timeline_render_to_file (GFile                       *file,
                                                   int                          width,
                                                   int                          height,
                                                   SondeTimelineSummary * const *summaries,
                                                   const char * const          *lane_titles,
                                                   guint                        n_lanes,
                                                   const SondeTimelineOptions  *options,
                                                   GError                     **error);

char               *sonde_timeline_describe       (SondeTimelineSummary        *summary,
                                                   const SondeTimelineOptions  *options);
char               *sonde_timeline_describe_totals (SondeTimelineSummary       *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTimelineFrame, sonde_timeline_frame_free)

G_END_DECLS

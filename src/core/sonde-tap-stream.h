/* sonde-tap-stream.h: a GIOStream that passes bytes through and reports a copy of each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called with every byte that passes, in order, once. */
typedef void     (*SondeTapFunc)      (gpointer      user_data,
                                       const guint8 *data,
                                       gsize         len);
/* Whether the outgoing stream is between frames, where injected bytes cannot tear one. */
typedef gboolean (*SondeTapCanInject) (gpointer      user_data);

#define SONDE_TYPE_TAP_INPUT_STREAM (sonde_tap_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SondeTapInputStream, sonde_tap_input_stream, SONDE, TAP_INPUT_STREAM, GFilterInputStream)

#define SONDE_TYPE_TAP_OUTPUT_STREAM (sonde_tap_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (SondeTapOutputStream, sonde_tap_output_stream, SONDE, TAP_OUTPUT_STREAM, GFilterOutputStream)

GInputStream  *sonde_tap_input_stream_new        (GInputStream         *base,
                                                  GBytes               *prebuffer,
                                                  SondeTapFunc          tap,
                                                  gpointer              user_data);
void           sonde_tap_input_stream_cut        (SondeTapInputStream  *self,
                                                  gsize                 keep);
GOutputStream *sonde_tap_output_stream_new       (GOutputStream        *base,
                                                  SondeTapFunc          tap,
                                                  SondeTapCanInject     can_inject,
                                                  gpointer              user_data);
void           sonde_tap_output_stream_inject    (SondeTapOutputStream *self,
                                                  GBytes               *bytes);
gboolean       sonde_tap_output_stream_has_pending_injection (SondeTapOutputStream *self);
void           sonde_tap_stream_detach           (GIOStream            *stream);

GIOStream     *sonde_tap_stream_new              (GIOStream            *base,
                                                  GBytes               *prebuffer,
                                                  SondeTapFunc          read_tap,
                                                  SondeTapFunc          write_tap,
                                                  SondeTapCanInject     can_inject,
                                                  gpointer              user_data);

G_END_DECLS

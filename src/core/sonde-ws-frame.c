/* sonde-ws-frame.c: WebSocket frames: writing them by hand, walking stored ones, naming what is wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-ws-frame-private.h"

/**
 * sonde_ws_frame_append_full:
 * @first_byte: FIN, RSV bits and opcode, as on the wire
 * @mask: (nullable): the 4-byte mask key, or %NULL for an unmasked frame
 * @length_bits: 0 for the shortest length form, or 7, 16 or 64 to force one
 *   (a longer form than needed is a protocol violation a test may want)
 *
 * Appends one frame to @out.
 */
void
sonde_ws_frame_append_full (GByteArray   *out,
                            guint8        first_byte,
                            const guint8 *payload,
                            gsize         len,
                            const guint8 *mask,
                            guint         length_bits)
{
  guint8 header[14];
  gsize header_len = 2;
  gsize start;

  g_return_if_fail (out != NULL);
  g_return_if_fail (payload != NULL || len == 0);

  if (length_bits == 0)
    length_bits = len < 126 ? 7 : len <= G_MAXUINT16 ? 16 : 64;

  header[0] = first_byte;
  header[1] = mask != NULL ? 0x80 : 0;
  if (length_bits == 7)
    {
      g_return_if_fail (len < 126);
      header[1] |= (guint8)len;
    }
  else if (length_bits == 16)
    {
      g_return_if_fail (len <= G_MAXUINT16);
      header[1] |= 126;
      header[2] = (guint8)(len >> 8);
      header[3] = (guint8)len;
      header_len = 4;
    }
  else
    {
      header[1] |= 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8)((guint64)len >> (56 - 8 * i));
      header_len = 10;
    }

  if (mask != NULL)
    {
      memcpy (header + header_len, mask, 4);
      header_len += 4;
    }

  g_byte_array_append (out, header, header_len);
  start = out->len;
  if (len > 0)
    g_byte_array_append (out, payload, len);
  if (mask != NULL)
    {
      for (gsize i = 0; i < len; i++)
        out->data[start + i] ^= mask[i & 3];
    }
}

/**
 * sonde_ws_frame_append:
 * @masked: whether to mask with a random key, as a client must
 *
 * Appends one well-formed frame to @out.
 */
void
sonde_ws_frame_append (GByteArray   *out,
                       guint8        first_byte,
                       const guint8 *payload,
                       gsize         len,
                       gboolean      masked)
{
  guint32 key = g_random_int ();
  guint8 mask[4];

  memcpy (mask, &key, 4);
  sonde_ws_frame_append_full (out, first_byte, payload, len, masked ? mask : NULL, 0);
}

/**
 * sonde_ws_message_fragment:
 * @opcode: TEXT or BINARY
 * @fragment_size: payload bytes in each frame but maybe the last; at least 1
 *
 * Returns: (transfer full): the message as frames of @fragment_size bytes,
 *   the first with @opcode, the others continuations, the last with FIN
 */
GBytes *
sonde_ws_message_fragment (guint8        opcode,
                           const guint8 *payload,
                           gsize         len,
                           gsize         fragment_size,
                           gboolean      masked)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize offset = 0;

  g_return_val_if_fail (fragment_size > 0, NULL);

  do
    {
      gsize n = MIN (fragment_size, len - offset);
      gboolean last = offset + n == len;
      guint8 first_byte = (offset == 0 ? opcode : 0x0) | (last ? SONDE_WS_FIN : 0);

      sonde_ws_frame_append (out, first_byte, payload + offset, n, masked);
      offset += n;
    }
  while (offset < len);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * sonde_ws_close_code_is_valid:
 *
 * Returns: whether RFC 6455 allows @code in a close frame on the wire
 */
gboolean
sonde_ws_close_code_is_valid (guint code)
{
  return (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

/**
 * sonde_ws_close_code_describe:
 *
 * Returns: the registered name of a close code, or a description of its range
 */
const char *
sonde_ws_close_code_describe (guint code)
{
  switch (code)
    {
    case 1000: return _("Normal Closure");
    case 1001: return _("Going Away");
    case 1002: return _("Protocol Error");
    case 1003: return _("Unsupported Data");
    case 1005: return _("No Status Received");
    case 1006: return _("Abnormal Closure");
    case 1007: return _("Invalid Frame Payload Data");
    case 1008: return _("Policy Violation");
    case 1009: return _("Message Too Big");
    case 1010: return _("Mandatory Extension");
    case 1011: return _("Internal Error");
    case 1012: return _("Service Restart");
    case 1013: return _("Try Again Later");
    case 1014: return _("Bad Gateway");
    case 1015: return _("TLS Handshake");
    default:
      break;
    }

  if (code >= 3000 && code <= 3999)
    return _("registered for libraries and frameworks");
  if (code >= 4000 && code <= 4999)
    return _("private use");
  return _("not a valid close code");
}

/* Stored frames */

typedef enum
{
  WALK_FRAME,
  WALK_END,
  WALK_CUT,
} WalkResult;

/* Reads the frame at raw[*at], with the violations it shows by itself. */
static WalkResult
walk_frame (const guint8  *raw,
            gsize          raw_len,
            gsize         *at,
            SondeWsSender  sender,
            SondeWsFrame  *f)
{
  gsize left = raw_len - *at;
  const guint8 *p;
  gsize hsize;

  if (left == 0)
    return WALK_END;
  p = raw + *at;
  if (left < 2)
    return WALK_CUT;
  hsize = header_size (p[1]);
  if (left < hsize)
    return WALK_CUT;
  decode_header (p, sender, f);
  if (f->length > left - hsize)
    return WALK_CUT;

  f->raw = p;
  f->raw_len = hsize + f->length;
  *at += f->raw_len;
  return WALK_FRAME;
}

/**
 * sonde_ws_frames_foreach:
 * @raw: (array length=raw_len): frames back to back, as an entry keeps them
 * @raw_len: how many bytes
 * @sender: who wrote them
 * @func: called for each frame, in order, until it returns %FALSE
 * @user_data: passed to @func
 *
 * Walks stored frames again, for views and recordings. Each frame comes
 * with its unmasked payload and, for a close frame, its code and reason. Its
 * violations are those a frame shows by itself: what depends on the frames
 * around it or on the negotiation (RSV1 on a text or binary frame, a stray
 * continuation, UTF-8 across fragments, the size limit, inflating) is not
 * known here.
 *
 * Returns: %FALSE when the bytes end inside a frame (the whole frames before
 *   it were walked), else %TRUE
 */
gboolean
sonde_ws_frames_foreach (const guint8     *raw,
                         gsize             raw_len,
                         SondeWsSender     sender,
                         SondeWsFrameFunc  func,
                         gpointer          user_data)
{
  Buf scratch = { NULL, 0, 0 };
  gsize at = 0;
  WalkResult result;
  SondeWsFrame f;

  g_return_val_if_fail (raw != NULL || raw_len == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  while ((result = walk_frame (raw, raw_len, &at, sender, &f)) == WALK_FRAME)
    {
      f.payload = frame_payload (&f, f.raw, &scratch);
      if (f.opcode == SONDE_WS_OPCODE_CLOSE)
        decode_close (&f);
      if (!func (&f, user_data))
        break;
    }

  buf_clear (&scratch);
  return result != WALK_CUT;
}

/**
 * sonde_ws_frames_get_payload:
 * @raw: (array length=raw_len): frames back to back
 * @raw_len: how many bytes
 * @len: (out) (optional): the payload's length
 *
 * The unmasked payloads of the frames, one after the other, as sent: a
 * compressed message is not inflated.
 *
 * Returns: (transfer full) (nullable): the payload, with a NUL after it
 *   that @len does not count, or %NULL when the bytes end inside a frame
 */
guint8 *
sonde_ws_frames_get_payload (const guint8 *raw,
                             gsize         raw_len,
                             gsize        *len)
{
  Buf out = { NULL, 0, 0 };
  gsize at = 0;
  WalkResult result;
  SondeWsFrame f;

  if (len != NULL)
    *len = 0;
  g_return_val_if_fail (raw != NULL || raw_len == 0, NULL);

  while ((result = walk_frame (raw, raw_len, &at, SONDE_WS_FROM_SERVER, &f)) == WALK_FRAME)
    {
      guint8 *dst = buf_reserve (&out, f.length);

      if (f.masked)
        unmask_copy (dst, f.raw + f.header_len, f.length, f.mask, 0);
      else if (f.length > 0)
        memcpy (dst, f.raw + f.header_len, f.length);
      out.len += f.length;
    }

  if (result == WALK_CUT)
    {
      buf_clear (&out);
      return NULL;
    }

  *buf_reserve (&out, 1) = '\0';
  if (len != NULL)
    *len = out.len;
  return out.data;
}

/**
 * sonde_ws_violation_to_string:
 * @violation: one violation
 *
 * Returns: (nullable): what it means, translated, as a phrase that can stand
 *   in a list; %NULL when @violation is not one known violation
 */
const char *
sonde_ws_violation_to_string (SondeWsViolation violation)
{
  switch (violation)
    {
    case SONDE_WS_VIOLATION_RESERVED_OPCODE:
      return _("reserved opcode");
    case SONDE_WS_VIOLATION_RSV_WITHOUT_EXTENSION:
      return _("reserved bit set without a negotiated extension");
    case SONDE_WS_VIOLATION_CONTROL_TOO_LONG:
      return _("control frame longer than 125 bytes");
    case SONDE_WS_VIOLATION_CONTROL_FRAGMENTED:
      return _("control frame without FIN");
    case SONDE_WS_VIOLATION_ORPHAN_CONTINUATION:
      return _("continuation frame with no message to continue");
    case SONDE_WS_VIOLATION_DATA_INSIDE_MESSAGE:
      return _("new text or binary frame inside a fragmented message");
    case SONDE_WS_VIOLATION_NON_MINIMAL_LENGTH:
      return _("payload length not sent in its shortest form");
    case SONDE_WS_VIOLATION_LENGTH_TOP_BIT:
      return _("64-bit payload length with the top bit set");
    case SONDE_WS_VIOLATION_CLIENT_NOT_MASKED:
      return _("client frame not masked");
    case SONDE_WS_VIOLATION_SERVER_MASKED:
      return _("server frame masked");
    case SONDE_WS_VIOLATION_CLOSE_ONE_BYTE:
      return _("close frame with a body of one byte");
    case SONDE_WS_VIOLATION_CLOSE_CODE:
      return _("close code not allowed on the wire");
    case SONDE_WS_VIOLATION_INVALID_UTF8:
      return _("text that is not valid UTF-8");
    case SONDE_WS_VIOLATION_TOO_LARGE:
      return _("larger than the size limit, not kept");
    case SONDE_WS_VIOLATION_BAD_DEFLATE:
      return _("compressed data that does not inflate");
    default:
      return NULL;
    }
}

/**
 * sonde_ws_violations_describe:
 * @violations: SondeWsViolation bits
 *
 * Returns: (transfer full): every violation in @violations, translated, in
 *   the order of their bits, joined with "; "; "" for none
 */
char *
sonde_ws_violations_describe (guint32 violations)
{
  GString *out = g_string_new (NULL);

  for (guint bit = 0; bit < 32; bit++)
    {
      const char *text;

      if ((violations & (1u << bit)) == 0)
        continue;
      text = sonde_ws_violation_to_string ((SondeWsViolation) (1u << bit));
      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, text);
    }

  return g_string_free (out, FALSE);
}

/**
 * sonde_ws_parse_deflate:
 * @value: a Sec-WebSocket-Extensions value
 * @params: (out): its parameters, names to values (%NULL for a bare name)
 *
 * Reads `permessage-deflate; a; b=1`, as a server answers an offer.
 *
 * Returns: %FALSE for anything but that one extension
 */
gboolean
sonde_ws_parse_deflate (const char  *value,
                        GHashTable **params)
{
  g_auto(GStrv) extensions = g_strsplit (value, ",", -1);
  g_auto(GStrv) parts = NULL;

  if (g_strv_length (extensions) != 1)
    return FALSE;

  parts = g_strsplit (extensions[0], ";", -1);
  if (g_ascii_strcasecmp (g_strstrip (parts[0]), "permessage-deflate") != 0)
    return FALSE;

  *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *eq = strchr (part, '=');

      if (eq != NULL)
        {
          *eq = '\0';
          g_hash_table_insert (*params, g_strdup (g_strstrip (part)),
                               g_strdup (g_strstrip (g_strdelimit (eq + 1, "\"", ' '))));
        }
      else if (part[0] != '\0')
        g_hash_table_insert (*params, g_strdup (part), NULL);
    }

  return TRUE;
}

/**
 * sonde_ws_deflate_side:
 * @params: from sonde_ws_parse_deflate()
 *
 * Returns: what the negotiated permessage-deflate means for what @sender compresses
 */
SondeWsDeflateSide
sonde_ws_deflate_side (GHashTable    *params,
                       SondeWsSender  sender)
{
  gboolean client = sender == SONDE_WS_FROM_CLIENT;
  const char *value = g_hash_table_lookup (params, client ? "client_max_window_bits"
                                                          : "server_max_window_bits");
  int bits = value != NULL ? atoi (value) : 15;

  return (SondeWsDeflateSide) {
    .no_context_takeover = g_hash_table_contains (params, client ? "client_no_context_takeover"
                                                                 : "server_no_context_takeover"),
    .window_bits = CLAMP (bits, 8, 15),
  };
}

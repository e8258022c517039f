/* sonde-ws-frame.c: writing WebSocket frames by hand, well-formed or deliberately not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-ws-frame.h"

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

/* fuzz-ws-upgrade.c: libFuzzer target for the WebSocket client's reading of a server's answer to its upgrade
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of settings, then the answer's head as a server sends it.
 * Settings: bit 0 offers permessage-deflate, bit 1 offers the subprotocol
 * "chat". The key sent is RFC 6455's example, so that an answer can carry
 * the right Sec-WebSocket-Accept (s3pPLMBiTxaQ9kYGzzhZRbK+xOo=).
 *
 * Aborts when a refusal is not Sonde's own error, when an accepted answer
 * lacks Upgrade, Connection or the right accept key, names a subprotocol
 * that was not offered, or turns deflate on when it was not offered or
 * with a window outside 8 to 15 bits.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonde-error.h"
#include "sonde-ws-client-private.h"

int LLVMFuzzerTestOneInput (const guint8 *input,
                            size_t        size);

#define FAIL(...) G_STMT_START { \
  fprintf (stderr, "fuzz-ws-upgrade: " __VA_ARGS__); \
  fputc ('\n', stderr); \
  abort (); \
} G_STMT_END

#define CHECK(cond) G_STMT_START { if (!(cond)) FAIL ("check failed: %s", #cond); } G_STMT_END

static gboolean
side_is_valid (const SondeWsDeflateSide *side)
{
  return side->window_bits >= 8 && side->window_bits <= 15;
}

int
LLVMFuzzerTestOneInput (const guint8 *input,
                        size_t        size)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GPtrArray) protocols = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  SondeWsAttempt *attempt;
  gboolean offer_deflate, offer_chat, final, accepted;
  guint status = 0;

  if (size < 1 || size > 128 * 1024)
    return 0;
  offer_deflate = (input[0] & 1) != 0;
  offer_chat = (input[0] & 2) != 0;
  protocols = g_ptr_array_new ();
  if (offer_chat)
    g_ptr_array_add (protocols, (gpointer)"chat");
  input++;
  size--;

  /* As handle_response() reads it. */
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (!soup_headers_parse_response ((const char *)input, (int)size, headers, NULL, &status,
                                    &reason) ||
      status != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return 0;

  attempt = g_new0 (SondeWsAttempt, 1);
  attempt->key = g_strdup ("dGhlIHNhbXBsZSBub25jZQ==");
  accepted = sonde_ws_check_upgrade (attempt, headers, protocols, offer_deflate, &final, &error);

  if (!accepted)
    {
      CHECK (error != NULL && error->domain == SONDE_ERROR && error->message != NULL);
    }
  else
    {
      const char *protocol = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");

      CHECK (error == NULL);
      CHECK (g_strcmp0 (soup_message_headers_get_one (headers, "Sec-WebSocket-Accept"),
                        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0);
      CHECK (soup_message_headers_header_contains (headers, "Upgrade", "websocket"));
      CHECK (soup_message_headers_header_contains (headers, "Connection", "upgrade"));
      CHECK (protocol == NULL || (offer_chat && g_str_equal (protocol, "chat")));
      CHECK (!attempt->deflate || offer_deflate);
      CHECK ((attempt->extensions != NULL) == attempt->deflate);
      if (attempt->deflate)
        CHECK (side_is_valid (&attempt->server_deflate) && side_is_valid (&attempt->client_deflate));
    }

  g_list_free_full (attempt->extensions, g_object_unref);
  g_free (attempt->key);
  g_free (attempt);
  return 0;
}

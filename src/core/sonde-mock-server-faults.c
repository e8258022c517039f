/* sonde-mock-server-faults.c: the faults a mock server injects, as one boxed value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-mock-server.h"

G_DEFINE_BOXED_TYPE (SondeMockFaults, sonde_mock_faults,
                     sonde_mock_faults_copy, sonde_mock_faults_free)

/**
 * sonde_mock_faults_new:
 *
 * Returns: (transfer full): no faults: the server replays as recorded
 */
SondeMockFaults *
sonde_mock_faults_new (void)
{
  SondeMockFaults *faults = g_new0 (SondeMockFaults, 1);

  faults->retry = -1;
  faults->broken_after = 1;

  return faults;
}

SondeMockFaults *
sonde_mock_faults_copy (const SondeMockFaults *faults)
{
  SondeMockFaults *copy;

  g_return_val_if_fail (faults != NULL, NULL);

  copy = g_memdup2 (faults, sizeof *faults);
  copy->close_reason = g_strdup (faults->close_reason);
  copy->sse_content_type = g_strdup (faults->sse_content_type);

  return copy;
}

void
sonde_mock_faults_free (SondeMockFaults *faults)
{
  if (faults == NULL)
    return;

  g_free (faults->close_reason);
  g_free (faults->sse_content_type);
  g_free (faults);
}

gboolean
sonde_mock_faults_equal (const SondeMockFaults *a,
                         const SondeMockFaults *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->drop_after == b->drop_after &&
         a->drop_every == b->drop_every &&
         a->stall_after == b->stall_after &&
         a->stall == b->stall &&
         a->close_after == b->close_after &&
         a->close_code == b->close_code &&
         g_strcmp0 (a->close_reason, b->close_reason) == 0 &&
         a->retry == b->retry &&
         a->sse_status == b->sse_status &&
         g_strcmp0 (a->sse_content_type, b->sse_content_type) == 0 &&
         a->ws_refuse == b->ws_refuse &&
         a->broken == b->broken &&
         a->broken_after == b->broken_after;
}

/* The most a close frame's reason may hold: 125 bytes of payload, less the code. */
#define MAX_CLOSE_REASON 123

static gboolean
close_reason_is_valid (const char  *reason,
                       GError     **error)
{
  if (reason == NULL || (strlen (reason) <= MAX_CLOSE_REASON && g_utf8_validate (reason, -1, NULL)))
    return TRUE;

  /* The WebSocket client's words for the same rule. */
  g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                       _("A close reason is at most 123 bytes of UTF-8"));
  return FALSE;
}

/* A header value cannot hold a line break (it would end the header, and
 * libsoup refuses it), nor another control character. */
static gboolean
content_type_is_valid (const char  *content_type,
                       GError     **error)
{
  for (const char *p = content_type; p != NULL && *p != '\0'; p++)
    {
      if (((guint8)*p < 0x20 && *p != '\t') || *p == 0x7f)
        {
          g_set_error_literal (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                               _("A content type cannot hold a line break or another control "
                                 "character"));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sonde_mock_faults_set_close_reason:
 * @reason: (nullable): the reason /ws clients get in the close frame
 *
 * Returns: whether @reason was taken; %FALSE, with @error set, for more
 *   than 123 bytes or what is not UTF-8
 */
gboolean
sonde_mock_faults_set_close_reason (SondeMockFaults  *faults,
                                    const char       *reason,
                                    GError          **error)
{
  g_return_val_if_fail (faults != NULL, FALSE);

  if (!close_reason_is_valid (reason, error))
    return FALSE;
  g_free (faults->close_reason);
  faults->close_reason = g_strdup (reason);
  return TRUE;
}

/**
 * sonde_mock_faults_set_sse_content_type:
 * @content_type: (nullable): the Content-Type /sse answers with; %NULL for
 *   the right one
 *
 * Returns: whether @content_type was taken; %FALSE, with @error set, when
 *   it holds a line break or another control character
 */
gboolean
sonde_mock_faults_set_sse_content_type (SondeMockFaults  *faults,
                                        const char       *content_type,
                                        GError          **error)
{
  g_return_val_if_fail (faults != NULL, FALSE);

  if (!content_type_is_valid (content_type, error))
    return FALSE;
  g_free (faults->sse_content_type);
  faults->sse_content_type = g_strdup (content_type);
  return TRUE;
}

static gboolean
out_of_range (GError     **error,
              const char  *what)
{
  g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
               /* Translators: %s names one of the mock server's faults */
               _("The mock server’s fault “%s” is out of range"), what);
  return FALSE;
}

/**
 * sonde_mock_faults_check:
 *
 * Returns: whether a mock server can inject these faults; %FALSE with @error
 *   naming the first it cannot
 */
gboolean
sonde_mock_faults_check (const SondeMockFaults  *faults,
                         GError                **error)
{
  g_return_val_if_fail (faults != NULL, FALSE);

  /* Also false for NaN. */
  if (!(faults->drop_every >= 0 && isfinite (faults->drop_every)))
    return out_of_range (error, "drop-every");
  if (!(faults->stall >= 0 && isfinite (faults->stall)))
    return out_of_range (error, "stall");
  if (faults->close_code > 4999)
    return out_of_range (error, "close-code");
  if (faults->retry < -1)
    return out_of_range (error, "retry");
  /* An HTTP status is 100 to 599; 0 is "no such fault". */
  if (faults->sse_status > 599 || (faults->sse_status != 0 && faults->sse_status < 100))
    return out_of_range (error, "sse-status");
  if (faults->ws_refuse > 599 || (faults->ws_refuse != 0 && faults->ws_refuse < 100))
    return out_of_range (error, "ws-refuse");
  if (faults->broken > SONDE_MOCK_BROKEN_SSE_LINE)
    return out_of_range (error, "broken");
  /* The strings may have been set without their setters. */
  if (!close_reason_is_valid (faults->close_reason, error) ||
      !content_type_is_valid (faults->sse_content_type, error))
    return FALSE;

  return TRUE;
}

gboolean
sonde_mock_broken_from_string (const char      *name,
                               SondeMockBroken *broken)
{
  static const struct { const char *name; SondeMockBroken value; } names[] = {
    { "bad-utf8", SONDE_MOCK_BROKEN_BAD_UTF8 },
    { "reserved-opcode", SONDE_MOCK_BROKEN_RESERVED_OPCODE },
    { "oversized-ping", SONDE_MOCK_BROKEN_OVERSIZED_PING },
    { "sse-line", SONDE_MOCK_BROKEN_SSE_LINE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (names[i].name, name))
        {
          *broken = names[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

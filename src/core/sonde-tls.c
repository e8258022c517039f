/* sonde-tls.c: saying which certificate problem made a TLS handshake fail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sonde-error.h"
#include "sonde-tls.h"

/**
 * sonde_tls_describe_flags:
 *
 * Returns: (transfer full): each problem in @flags, in words, joined by "; "
 */
char *
sonde_tls_describe_flags (GTlsCertificateFlags flags)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char *text;
  } problems[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a certificate authority this system trusts") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it was issued for another host name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("it could not be checked") },
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      if ((flags & problems[i].flag) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, _(problems[i].text));
    }

  return g_string_free (text, FALSE);
}

static const struct {
  const char           *name;
  GTlsCertificateFlags  flag;
} flag_names[] = {
  { "unknown-ca", G_TLS_CERTIFICATE_UNKNOWN_CA },
  { "bad-identity", G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "not-activated", G_TLS_CERTIFICATE_NOT_ACTIVATED },
  { "expired", G_TLS_CERTIFICATE_EXPIRED },
  { "revoked", G_TLS_CERTIFICATE_REVOKED },
  { "insecure", G_TLS_CERTIFICATE_INSECURE },
  { "generic-error", G_TLS_CERTIFICATE_GENERIC_ERROR },
};

/**
 * sonde_tls_flags_parse:
 * @text: comma-separated problem names: unknown-ca, bad-identity,
 *   not-activated, expired, revoked, insecure, generic-error
 *
 * Reads the certificate problems a person chose to accept.
 */
gboolean
sonde_tls_flags_parse (const char            *text,
                       GTlsCertificateFlags  *flags,
                       GError               **error)
{
  g_auto(GStrv) names = NULL;
  GTlsCertificateFlags result = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (flags != NULL, FALSE);

  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean found = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (flag_names); j++)
        {
          if (g_str_equal (name, flag_names[j].name))
            {
              result |= flag_names[j].flag;
              found = TRUE;
            }
        }

      if (!found)
        {
          g_set_error (error, SONDE_ERROR, SONDE_ERROR_FAILED,
                       _("“%s” is not a certificate problem; use unknown-ca, bad-identity, "
                         "not-activated, expired, revoked, insecure or generic-error"), name);
          return FALSE;
        }
    }

  *flags = result;
  return TRUE;
}

/**
 * sonde_tls_describe_error:
 * @flags: the problems the certificate check found, or 0 if unknown
 * @error: the error the TLS layer gave
 *
 * Returns: (transfer full): an error that names the certificate problem
 */
GError *
sonde_tls_describe_error (GTlsCertificateFlags  flags,
                          const GError         *error)
{
  g_autofree char *problems = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (flags == 0)
    return g_error_new (SONDE_ERROR, SONDE_ERROR_TLS,
                        _("The TLS handshake failed: %s"), error->message);

  problems = sonde_tls_describe_flags (flags);
  return g_error_new (SONDE_ERROR, SONDE_ERROR_TLS,
                      /* Translators: %s lists problems such as “it has expired” */
                      _("The server’s TLS certificate was refused: %s"), problems);
}

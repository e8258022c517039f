/* sonde-connection.c: the lifecycle both transports share, and its reconnects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-connection-private.h"
#include "sonde-error.h"
#include "sonde-json.h"

/* idle -> connecting -> open -> waiting -> connecting -> ... -> closed | failed.
 * Every change that matters to a person is also an entry in the log, so the
 * drop, the wait and the new request stand on the timeline in order. */

typedef struct
{
  char                 *url;
  SondeEventLog        *log;
  SondeConnectionState  state;
  GError               *error;
  SondeReconnectPolicy  policy;
  GPtrArray            *headers;     /* "Name: value" strings, NULL-terminated */
  GMainContext         *context;
  GSource              *wait_source;
  GRand                *rand;
  guint                 attempt;         /* reconnects since an attempt delivered data */
  guint                 empty_in_row;    /* attempts in a row that were empty (see sonde-reconnect.h) */
  guint64               received_before; /* the log's incoming data when the attempt began */
  gint64                opened_at;       /* monotonic; 0 while the attempt is not open */
  GTlsCertificateFlags  accepted_certificate_errors;
  guint                 timeout_ms;
} SondeConnectionPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SondeConnection, sonde_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_LOG,
  PROP_STATE,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (SondeConnection      *self,
           SondeConnectionState  state)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  if (priv->state == state)
    return;

  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
cancel_wait (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  if (priv->wait_source != NULL)
    {
      g_source_destroy (priv->wait_source);
      g_clear_pointer (&priv->wait_source, g_source_unref);
    }
}

static void
sonde_connection_dispose (GObject *object)
{
  SondeConnection *self = SONDE_CONNECTION (object);

  cancel_wait (self);

  G_OBJECT_CLASS (sonde_connection_parent_class)->dispose (object);
}

static void
sonde_connection_finalize (GObject *object)
{
  SondeConnection *self = SONDE_CONNECTION (object);
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_clear_pointer (&priv->url, g_free);
  g_clear_object (&priv->log);
  g_clear_error (&priv->error);
  g_clear_pointer (&priv->headers, g_ptr_array_unref);
  g_clear_pointer (&priv->context, g_main_context_unref);
  g_clear_pointer (&priv->rand, g_rand_free);

  G_OBJECT_CLASS (sonde_connection_parent_class)->finalize (object);
}

static void
sonde_connection_constructed (GObject *object)
{
  SondeConnection *self = SONDE_CONNECTION (object);
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  G_OBJECT_CLASS (sonde_connection_parent_class)->constructed (object);

  if (priv->log == NULL)
    priv->log = sonde_event_log_new ();
}

static void
sonde_connection_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SondeConnection *self = SONDE_CONNECTION (object);
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, priv->url);
      break;

    case PROP_LOG:
      g_value_set_object (value, priv->log);
      break;

    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, priv->timeout_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_connection_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SondeConnection *self = SONDE_CONNECTION (object);
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_URL:
      priv->url = g_value_dup_string (value);
      break;

    case PROP_LOG:
      priv->log = g_value_dup_object (value);
      break;

    case PROP_TIMEOUT:
      sonde_connection_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static guint
sonde_connection_real_get_spec_delay (SondeConnection *self)
{
  return 3000;
}

static void
sonde_connection_class_init (SondeConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_connection_dispose;
  object_class->finalize = sonde_connection_finalize;
  object_class->constructed = sonde_connection_constructed;
  object_class->get_property = sonde_connection_get_property;
  object_class->set_property = sonde_connection_set_property;

  klass->get_spec_delay = sonde_connection_real_get_spec_delay;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, SONDE_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SONDE_TYPE_CONNECTION_STATE, SONDE_CONNECTION_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Milliseconds that connecting and the handshake may take; 0 waits for ever. */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, SONDE_CONNECTION_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_connection_init (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  sonde_reconnect_policy_init_spec (&priv->policy);
  priv->headers = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  priv->rand = g_rand_new ();
  priv->timeout_ms = SONDE_CONNECTION_DEFAULT_TIMEOUT_MS;
}

/**
 * sonde_connection_set_timeout:
 * @timeout_ms: how long connecting and the HTTP or upgrade handshake may take
 *   before the attempt fails (and the reconnect policy decides); 0 for no limit
 */
void
sonde_connection_set_timeout (SondeConnection *self,
                              guint            timeout_ms)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));

  if (priv->timeout_ms == timeout_ms)
    return;

  priv->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
sonde_connection_get_timeout (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), 0);

  return priv->timeout_ms;
}

const char *
sonde_connection_get_url (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), NULL);

  return priv->url;
}

/**
 * sonde_connection_get_log:
 *
 * Returns: (transfer none): the log this connection writes its timeline to
 */
SondeEventLog *
sonde_connection_get_log (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), NULL);

  return priv->log;
}

SondeConnectionState
sonde_connection_get_state (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), SONDE_CONNECTION_FAILED);

  return priv->state;
}

/**
 * sonde_connection_get_error:
 *
 * Returns: (nullable): why the connection failed for good
 */
const GError *
sonde_connection_get_error (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), NULL);

  return priv->error;
}

void
sonde_connection_set_policy (SondeConnection            *self,
                             const SondeReconnectPolicy *policy)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));
  g_return_if_fail (policy != NULL);

  priv->policy = *policy;
}

const SondeReconnectPolicy *
sonde_connection_get_policy (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), NULL);

  return &priv->policy;
}

/**
 * sonde_connection_add_header:
 *
 * Adds a header that every request of this connection carries.
 */
void
sonde_connection_add_header (SondeConnection *self,
                             const char      *name,
                             const char      *value)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (priv->headers, g_strdup (name));
  g_ptr_array_add (priv->headers, g_strdup (value));
}

/**
 * sonde_connection_get_headers:
 *
 * Returns: (transfer none): the user's headers as name, value, name, value, ...
 */
const char * const *
sonde_connection_get_headers (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), NULL);

  return (const char * const *)priv->headers->pdata;
}

/**
 * sonde_connection_set_accepted_certificate_errors:
 * @errors: the certificate problems to let through, by name; 0 accepts none
 *
 * By default a TLS certificate with any problem is refused. A person who
 * knows their test server's certificate is self-signed can accept exactly
 * that problem, and the `open` entry says it was accepted.
 */
void
sonde_connection_set_accepted_certificate_errors (SondeConnection      *self,
                                                  GTlsCertificateFlags  errors)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));

  priv->accepted_certificate_errors = errors;
}

GTlsCertificateFlags
sonde_connection_get_accepted_certificate_errors (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), 0);

  return priv->accepted_certificate_errors;
}

/**
 * sonde_connection_accept_certificate:
 * @errors: what the check of the server's certificate found
 *
 * Returns: whether every problem in @errors is one the user accepted
 */
gboolean
sonde_connection_accept_certificate (SondeConnection      *self,
                                     GTlsCertificateFlags  errors)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), FALSE);

  return errors != 0 && (errors & ~priv->accepted_certificate_errors) == 0;
}

/**
 * sonde_connection_get_context:
 *
 * Returns: (transfer none): the main context the connection was started on;
 *   every source of the transport belongs there
 */
GMainContext *
sonde_connection_get_context (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), NULL);

  return priv->context;
}

/**
 * sonde_connection_get_attempt:
 *
 * Returns: 0 for the first connection, N for the Nth reconnect since the
 *   last attempt that delivered an event or a message
 */
guint
sonde_connection_get_attempt (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_val_if_fail (SONDE_IS_CONNECTION (self), 0);

  return priv->attempt;
}

static void
begin_attempt (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  priv->received_before = sonde_event_log_get_n_received (priv->log);
  priv->opened_at = 0;
  set_state (self, SONDE_CONNECTION_CONNECTING);
  SONDE_CONNECTION_GET_CLASS (self)->attempt (self);
}

void
sonde_connection_start (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));
  g_return_if_fail (priv->url != NULL);

  if (priv->state != SONDE_CONNECTION_IDLE &&
      priv->state != SONDE_CONNECTION_CLOSED &&
      priv->state != SONDE_CONNECTION_FAILED)
    return;

  g_clear_pointer (&priv->context, g_main_context_unref);
  priv->context = g_main_context_ref_thread_default ();
  g_clear_error (&priv->error);
  priv->attempt = 0;
  priv->empty_in_row = 0;

  begin_attempt (self);
}

/**
 * sonde_connection_stop:
 *
 * Ends the session at the user's request: the attempt or the wait stops, and
 * a `closed` entry says so.
 */
void
sonde_connection_stop (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);
  g_autoptr(GString) fields = g_string_new (NULL);

  g_return_if_fail (SONDE_IS_CONNECTION (self));

  if (priv->state == SONDE_CONNECTION_IDLE ||
      priv->state == SONDE_CONNECTION_CLOSED ||
      priv->state == SONDE_CONNECTION_FAILED)
    return;

  cancel_wait (self);
  SONDE_CONNECTION_GET_CLASS (self)->abort (self);

  sonde_json_append_member_string (fields, "message", _("Stopped by the user"));
  sonde_connection_log (self, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_CLOSED,
                        fields->str, NULL, 0);
  set_state (self, SONDE_CONNECTION_CLOSED);
}

/**
 * sonde_connection_log:
 * @fields: (nullable): JSON object members without braces
 *
 * Appends an entry stamped with the current time.
 */
void
sonde_connection_log (SondeConnection *self,
                      SondeDirection   direction,
                      SondeEntryKind   kind,
                      const char      *fields,
                      const guint8    *raw,
                      gsize            raw_len)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));

  sonde_event_log_append (priv->log, sonde_event_log_now (priv->log), direction, kind,
                          NULL, 0, fields, fields != NULL ? strlen (fields) : 0,
                          raw, raw_len);
}

/**
 * sonde_connection_log_error:
 * @raw: (nullable): bytes that were lost with the error, such as a partial event
 *
 * Appends an `error` entry for @error.
 */
void
sonde_connection_log_error (SondeConnection *self,
                            const GError    *error,
                            const guint8    *raw,
                            gsize            raw_len)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  g_return_if_fail (SONDE_IS_CONNECTION (self));
  g_return_if_fail (error != NULL);

  sonde_json_append_member_string (fields, "message", error->message);
  sonde_json_append_member_string (fields, "domain", g_quark_to_string (error->domain));
  sonde_json_append_member_int (fields, "code", error->code);
  if (raw_len > 0)
    sonde_json_append_member_int (fields, "discarded_bytes", raw_len);

  sonde_connection_log (self, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_ERROR, fields->str, raw, raw_len);
}

/**
 * sonde_connection_opened:
 *
 * The transport is streaming. The reconnect count does not start again
 * here: a server that accepts and hangs up at once would keep it at zero.
 * It starts again when an attempt delivers an event or a message.
 */
void
sonde_connection_opened (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));

  priv->opened_at = g_get_monotonic_time ();
  set_state (self, SONDE_CONNECTION_OPEN);
}

/* Counts the attempt that just ended as empty or not (see sonde-reconnect.h). */
static void
count_attempt (SondeConnection *self)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);
  gboolean delivered = sonde_event_log_get_n_received (priv->log) > priv->received_before;
  gboolean brief = priv->opened_at == 0 ||
                   g_get_monotonic_time () - priv->opened_at < SONDE_RECONNECT_SHORT_MS * 1000;

  if (delivered)
    priv->attempt = 0;
  if (!delivered || brief)
    priv->empty_in_row++;
  else
    priv->empty_in_row = 0;
}

static gboolean
wait_done_cb (gpointer user_data)
{
  SondeConnection *self = user_data;
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_clear_pointer (&priv->wait_source, g_source_unref);
  begin_attempt (self);

  return G_SOURCE_REMOVE;
}

/**
 * sonde_connection_dropped:
 * @error: (nullable): what went wrong, or %NULL for a clean end of stream
 *
 * The attempt ended (after the transport logged how). The policy decides
 * whether to wait and try again; the wait is logged as a `reconnect` entry.
 */
void
sonde_connection_dropped (SondeConnection *self,
                          const GError    *error)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);
  g_autoptr(GString) fields = g_string_new (NULL);
  guint policy_delay_ms;
  guint delay_ms;
  guint attempt;

  g_return_if_fail (SONDE_IS_CONNECTION (self));

  count_attempt (self);
  attempt = priv->attempt + 1;
  if (!sonde_reconnect_policy_next_delay (&priv->policy, attempt,
                                          SONDE_CONNECTION_GET_CLASS (self)->get_spec_delay (self),
                                          g_rand_double (priv->rand), &policy_delay_ms))
    {
      if (priv->policy.mode != SONDE_RECONNECT_NONE)
        {
          g_autoptr(GError) gave_up = NULL;

          gave_up = g_error_new (SONDE_ERROR, SONDE_ERROR_FAILED,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "Gave up after %u reconnect attempt",
                                              "Gave up after %u reconnect attempts",
                                              priv->policy.max_attempts),
                                 priv->policy.max_attempts);
          sonde_connection_log_error (self, gave_up, NULL, 0);
          sonde_connection_failed (self, gave_up);
        }
      else if (error != NULL)
        sonde_connection_failed (self, error);
      else
        set_state (self, SONDE_CONNECTION_CLOSED);
      return;
    }

  priv->attempt = attempt;
  delay_ms = sonde_reconnect_raise_delay (&priv->policy, policy_delay_ms, attempt, priv->empty_in_row);
  sonde_json_append_member_int (fields, "delay_ms", delay_ms);
  sonde_json_append_member_int (fields, "attempt", attempt);
  /* Why the wait is longer than the policy (or the server's retry:) said. */
  if (delay_ms != policy_delay_ms)
    {
      sonde_json_append_member_int (fields, "policy_delay_ms", policy_delay_ms);
      sonde_json_append_member_int (fields, "empty_attempts", priv->empty_in_row);
    }
  sonde_connection_log (self, SONDE_DIRECTION_LOCAL, SONDE_ENTRY_RECONNECT, fields->str, NULL, 0);

  set_state (self, SONDE_CONNECTION_WAITING);
  cancel_wait (self);
  priv->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_static_name (priv->wait_source, "[sonde] reconnect wait");
  g_source_set_callback (priv->wait_source, wait_done_cb, self, NULL);
  g_source_attach (priv->wait_source, priv->context);
}

/**
 * sonde_connection_failed:
 *
 * The connection failed for good (the transport has logged why).
 */
void
sonde_connection_failed (SondeConnection *self,
                         const GError    *error)
{
  SondeConnectionPrivate *priv = sonde_connection_get_instance_private (self);

  g_return_if_fail (SONDE_IS_CONNECTION (self));
  g_return_if_fail (error != NULL);

  cancel_wait (self);
  g_clear_error (&priv->error);
  priv->error = g_error_copy (error);
  set_state (self, SONDE_CONNECTION_FAILED);
}

/**
 * sonde_connection_finished:
 *
 * The server ended the session for good and that is not an error (SSE's 204).
 */
void
sonde_connection_finished (SondeConnection *self)
{
  g_return_if_fail (SONDE_IS_CONNECTION (self));

  cancel_wait (self);
  set_state (self, SONDE_CONNECTION_CLOSED);
}

/* sonde-entry.c: one timeline row, made only when a view asks for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-entry-fields.h"
#include "sonde-json-scanner.h"
#include "sonde-sse-parser.h"
#include "sonde-ws-dissector.h"

#include <string.h>

struct _SondeEntry
{
  GObject         parent_instance;

  SondeEventLog  *log;
  SondeEntryView  view;
  guint           pin;    /* the log's block the view points into */
};

G_DEFINE_FINAL_TYPE (SondeEntry, sonde_entry, G_TYPE_OBJECT)

/**
 * sonde_entry_view_is_compressed:
 *
 * Returns: whether a WebSocket message came compressed, so that its data is
 *   stored in its fields rather than derived from its frames
 */
gboolean
sonde_entry_view_is_compressed (const SondeEntryView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);

  return view->fields_len > 0 &&
         sonde_entry_fields_is_true (view->fields, view->fields_len, "compressed");
}

/* Appends the decoded value of the top-level string member @name of the
 * entry's fields, as text or, with @base64, as the bytes it encodes: the
 * one reader of entry fields (sonde_entry_fields_find_member()), no JSON tree.
 * Returns whether the member is there and decodes. */
static gboolean
append_string_member (const SondeEntryView *view,
                      const char           *name,
                      gboolean              base64,
                      GString              *out)
{
  const char *value;
  gsize value_len;

  if (!sonde_entry_fields_find_member (view->fields, view->fields_len, name, &value, &value_len) ||
      value_len < 2 || value[0] != '"')
    return FALSE;
  if (!base64)
    {
      sonde_json_decode_string (value + 1, value_len - 2, out);
      return TRUE;
    }

  {
    gsize old_len = out->len;
    gsize written;

    /* Base64 needs no unescaping: its alphabet has nothing JSON escapes. */
    g_string_set_size (out, old_len + SONDE_BASE64_DECODED_MAX (value_len - 2));
    if (!sonde_base64_decode (value + 1, value_len - 2, (guint8 *)out->str + old_len, &written))
      {
        g_string_truncate (out, old_len);
        return FALSE;
      }
    g_string_truncate (out, old_len + written);
    return TRUE;
  }
}

static char *
string_free_with_len (GString *text,
                      gsize   *len)
{
  if (len != NULL)
    *len = text->len;
  return g_string_free (text, FALSE);
}

/* A compressed message keeps its inflated data in its fields: text as a
 * string, binary as base64. */
static char *
compressed_data (const SondeEntryView *view,
                 gsize                *len)
{
  GString *data = g_string_new (NULL);

  append_string_member (view, "data", view->kind == SONDE_ENTRY_BINARY, data);
  return string_free_with_len (data, len);
}

/* A side request's response body: kept in its fields as text, or as
 * base64 when it was not UTF-8. */
static char *
response_body (const SondeEntryView *view,
               gsize                *len)
{
  GString *decoded = g_string_new (NULL);

  if (!append_string_member (view, "body", FALSE, decoded))
    append_string_member (view, "body_base64", TRUE, decoded);

  /* Nothing to show: the fields say more (the status, or why it failed). */
  if (decoded->len == 0)
    {
      g_string_free (decoded, TRUE);
      if (len != NULL)
        *len = 0;
      return NULL;
    }
  return string_free_with_len (decoded, len);
}

/**
 * sonde_entry_view_dup_data:
 * @len: (out) (optional): the length, as data may hold NUL
 * @type: (out) (optional) (transfer full): an SSE event's type
 *
 * Derives the entry's payload from its raw bytes: an SSE event's data, a
 * comment's text. The log does not store what it can derive. A side
 * request's payload is its response body, when it had one.
 *
 * Returns: (transfer full) (nullable): the payload, %NULL for kinds without one
 */
char *
sonde_entry_view_dup_data (const SondeEntryView  *view,
                           gsize                 *len,
                           char                 **type)
{
  g_return_val_if_fail (view != NULL, NULL);

  if (type != NULL)
    *type = NULL;

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      return sonde_sse_block_get_data (view->raw, view->raw_len, len, type);

    case SONDE_ENTRY_COMMENT:
      return sonde_sse_comment_get_text (view->raw, view->raw_len, len);

    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      if (sonde_entry_view_is_compressed (view))
        return compressed_data (view, len);
      {
        gsize payload_len = 0;
        char *payload = (char *)sonde_ws_frames_get_payload (view->raw, view->raw_len, &payload_len);

        if (payload == NULL)
          payload = g_malloc0 (1);
        if (len != NULL)
          *len = payload_len;
        return payload;
      }

    case SONDE_ENTRY_REQUEST:
      return response_body (view, len);

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_CLOSE:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_N_KINDS:
    default:
      if (len != NULL)
        *len = 0;
      return NULL;
    }
}

enum {
  PROP_0,
  PROP_SEQ,
  PROP_TIME,
  PROP_KIND,
  PROP_DIRECTION,
  PROP_KIND_NAME,
  PROP_DIRECTION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * sonde_entry_new:
 * @log: the log that holds the entry
 * @seq: the entry's sequence number; it must exist
 *
 * Returns: (transfer full): a row object for entry @seq
 */
SondeEntry *
sonde_entry_new (SondeEventLog *log,
                 guint64        seq)
{
  SondeEntry *self;

  g_return_val_if_fail (SONDE_IS_EVENT_LOG (log), NULL);

  self = g_object_new (SONDE_TYPE_ENTRY, NULL);
  /* The pin keeps the bytes the view points into alive even when the log
   * lets go of the entry (sonde_event_log_release_before()); holding the
   * log keeps the log. */
  if (!sonde_event_log_get_pinned_view (log, seq, &self->view, &self->pin))
    {
      g_critical ("Entry %" G_GUINT64_FORMAT " is not in the log", seq);
      g_object_unref (self);
      return NULL;
    }
  self->log = g_object_ref (log);

  return self;
}

guint64
sonde_entry_get_seq (SondeEntry *self)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), 0);

  return self->view.seq;
}

/**
 * sonde_entry_get_time:
 *
 * Returns: seconds since the session started
 */
double
sonde_entry_get_time (SondeEntry *self)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), 0.0);

  return self->view.time_us / (double)G_USEC_PER_SEC;
}

SondeDirection
sonde_entry_get_direction (SondeEntry *self)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), SONDE_DIRECTION_LOCAL);

  return self->view.direction;
}

SondeEntryKind
sonde_entry_get_kind (SondeEntry *self)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), SONDE_ENTRY_ERROR);

  return self->view.kind;
}

/**
 * sonde_entry_get_view:
 *
 * Returns: (transfer none): the entry as stored, valid while @self lives
 */
const SondeEntryView *
sonde_entry_get_view (SondeEntry *self)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), NULL);

  return &self->view;
}

/**
 * sonde_entry_get_raw:
 *
 * Returns: (transfer full): the exact bytes on the wire
 */
GBytes *
sonde_entry_get_raw (SondeEntry *self)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), NULL);

  return g_bytes_new_with_free_func (self->view.raw, self->view.raw_len,
                                     g_object_unref, g_object_ref (self));
}

/**
 * sonde_entry_dup_data:
 * @len: (out) (optional): the length, as data may hold NUL
 *
 * Returns: (transfer full) (nullable): the entry's payload as text: an SSE
 *   event's data, a comment's text; %NULL for kinds without one
 */
char *
sonde_entry_dup_data (SondeEntry *self,
                      gsize      *len)
{
  g_return_val_if_fail (SONDE_IS_ENTRY (self), NULL);

  return sonde_entry_view_dup_data (&self->view, len, NULL);
}

static void
sonde_entry_finalize (GObject *object)
{
  SondeEntry *self = SONDE_ENTRY (object);

  if (self->log != NULL)
    sonde_event_log_unpin (self->log, self->pin);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_entry_parent_class)->finalize (object);
}

static void
sonde_entry_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SondeEntry *self = SONDE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_uint64 (value, self->view.seq);
      break;

    case PROP_TIME:
      g_value_set_double (value, sonde_entry_get_time (self));
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->view.kind);
      break;

    case PROP_DIRECTION:
      g_value_set_enum (value, self->view.direction);
      break;

    case PROP_KIND_NAME:
      g_value_set_static_string (value, sonde_entry_kind_to_string (self->view.kind));
      break;

    case PROP_DIRECTION_NAME:
      g_value_set_static_string (value, sonde_direction_to_string (self->view.direction));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_entry_class_init (SondeEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_entry_finalize;
  object_class->get_property = sonde_entry_get_property;

  properties[PROP_SEQ] =
    g_param_spec_uint64 ("seq", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_double ("time", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SONDE_TYPE_ENTRY_KIND, SONDE_ENTRY_OPEN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, SONDE_TYPE_DIRECTION, SONDE_DIRECTION_IN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND_NAME] =
    g_param_spec_string ("kind-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRECTION_NAME] =
    g_param_spec_string ("direction-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_entry_init (SondeEntry *self)
{
}

/**
 * sonde_entry_view_has_member:
 * @name: a top-level member name of the entry's fields, such as "violations"
 *
 * A member of the same name in a nested object (a header called
 * "violations") or inside a string does not count.
 */
gboolean
sonde_entry_view_has_member (const SondeEntryView *view,
                             const char           *name)
{
  const char *value;
  gsize value_len;

  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return sonde_entry_fields_find_member (view->fields, view->fields_len, name, &value, &value_len);
}

static inline gboolean
name_is (const char *name,
         gsize       name_len,
         const char *literal,
         gsize       literal_len)
{
  return name_len == literal_len && memcmp (name, literal, literal_len) == 0;
}

/**
 * sonde_entry_view_get_category:
 *
 * Returns: the entry's category; an entry that carries protocol violations
 *   or lost bytes is a problem whatever its kind, so that it stands out, and
 *   so is a side request that got no response (its `message` says why)
 */
SondeEntryCategory
sonde_entry_view_get_category (const SondeEntryView *view)
{
  const char *name;
  gsize name_len;
  const char *value;
  gsize value_len;
  gsize pos = 0;

  g_return_val_if_fail (view != NULL, SONDE_ENTRY_CATEGORY_PROBLEM);

  /* The list asks this of every row it binds: one walk over the members
   * answers all three questions. */
  while (pos < view->fields_len &&
         sonde_entry_fields_next_member (view->fields, view->fields_len, &pos,
                                         &name, &name_len, &value, &value_len))
    {
      if (name_is (name, name_len, "violations", strlen ("violations")) ||
          name_is (name, name_len, "discarded_bytes", strlen ("discarded_bytes")) ||
          (view->kind == SONDE_ENTRY_REQUEST && name_is (name, name_len, "message", strlen ("message"))))
        return SONDE_ENTRY_CATEGORY_PROBLEM;
    }

  return sonde_entry_kind_get_category (view->kind);
}

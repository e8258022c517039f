/* sonde-filter-query.c: what a filter looks for, and matching one entry against it in place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sonde-bytes.h"
#include "sonde-entry.h"
#include "sonde-error.h"
#include "sonde-filter-query.h"
#include "sonde-json-scanner.h"
#include "sonde-sse-parser.h"

/* What an entry is searched by, its "haystacks":
 *   sse      the data, the event type and the event ID
 *   comment  the text
 *   text     the message
 *   binary, ping, pong
 *            the bytes as text, and as hex: a text query made of hex digits
 *            ("de ad be ef", "deadbeef") finds those bytes; a regular
 *            expression also runs over the bytes written "de ad be ef"
 *   close    the reason and the code
 *   error, closed
 *            the message
 * Other kinds have no text: a query with text never finds them.
 *
 * Text is compared as the window shows it: invalid UTF-8 (and NUL) as
 * U+FFFD. Without case sensitivity both sides are case-folded
 * (g_utf8_casefold). Both rules are kept exactly, but cheaply: a needle
 * without U+FFFD is found in the bytes as they are exactly when it is found
 * in their made-valid text, and ASCII text folds by ASCII rules, so only
 * haystacks outside ASCII are copied, and only when case does not matter. */

struct _SondeFilterQuery
{
  gatomicrefcount   ref_count;
  char             *text;
  SondeFilterFlags  flags;
  guint             categories;
  guint             directions;

  /* Compiled from the above. */
  gboolean          has_text;
  pcre2_code       *regex;
  char             *needle;         /* case-folded unless case-sensitive */
  gsize             needle_len;
  gboolean          needle_ascii;
  gboolean          needle_has_replacement;
  GBytes           *needle_bytes;   /* the text read as hex, if it reads as hex */
};

struct _SondeFilterMatcher
{
  SondeFilterQuery *query;
  GString          *valid;          /* made-valid copies of haystacks */
  GString          *fields;         /* "{fields}" for the scanner */
  GString          *decoded;        /* a decoded JSON string member */
  GArray           *members;
  GByteArray       *unmasked;       /* a masked frame's payload */
  pcre2_match_data *match_data;
};

G_DEFINE_BOXED_TYPE (SondeFilterQuery, sonde_filter_query,
                     sonde_filter_query_ref, sonde_filter_query_unref)

static gboolean
is_ascii (const char *text,
          gsize       len)
{
  /* NUL counts as outside: the window shows it as U+FFFD. */
  for (gsize i = 0; i < len; i++)
    if ((guchar)text[i] - 1u >= 0x7fu)
      return FALSE;
  return TRUE;
}

/* A regular expression is what GRegex takes, and means what it means to
 * GRegex, but it is matched with PCRE2 (which GRegex is built on) directly:
 * g_regex_match() makes and frees its match state on every call, which
 * cost more than the matching itself at millions of entries. GRegex
 * compiles with Unicode properties and any newline; so does this, and the
 * tests check the two against each other. */
static pcre2_code *
compile_regex (const char  *pattern,
               gboolean     caseless,
               int         *error_position,
               GError     **error)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GError) local_error = NULL;
  pcre2_compile_context *context;
  pcre2_code *code;
  PCRE2_SIZE offset = 0;
  int code_error = 0;
  const char *reason;
  const char *colon;
  glong position;

  if (error_position != NULL)
    *error_position = -1;

  regex = g_regex_new (pattern, G_REGEX_MULTILINE | (caseless ? G_REGEX_CASELESS : 0), 0,
                       &local_error);

  context = pcre2_compile_context_create (NULL);
  pcre2_set_newline (context, PCRE2_NEWLINE_ANY);
  code = pcre2_compile ((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | (caseless ? PCRE2_CASELESS : 0),
                        &code_error, &offset, context);
  pcre2_compile_context_free (context);

  if (regex != NULL && code != NULL)
    {
      /* Without the JIT (out of executable memory), the interpreter matches. */
      pcre2_jit_compile (code, PCRE2_JIT_COMPLETE);
      return code;
    }

  if (regex != NULL)
    {
      /* PCRE2 refused what GRegex took, which the same options never do. */
      PCRE2_UCHAR buffer[256];

      pcre2_get_error_message (code_error, buffer, sizeof buffer);
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("Invalid regular expression: %s"), (const char *)buffer);
      return NULL;
    }
  if (code != NULL)
    {
      /* GRegex refused what PCRE2 takes: say so without a position. */
      pcre2_code_free (code);
      g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
                   _("Invalid regular expression: %s"), local_error->message);
      return NULL;
    }

  /* GRegex's words, PCRE2's position: GRegex puts it only in its
   * message, and in bytes. */
  offset = MIN (offset, strlen (pattern));
  position = g_utf8_pointer_to_offset (pattern, pattern + offset) + 1;
  if (error_position != NULL)
    *error_position = (int)position;

  /* GRegex's message ends with the reason after the last ": ". */
  reason = local_error->message;
  colon = g_strrstr (reason, ": ");
  if (colon != NULL && colon[2] != '\0')
    reason = colon + 2;

  g_set_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_INPUT,
               /* Translators: %d counts characters from 1; %s is the regular
                * expression library's reason, such as "missing terminating )" */
               _("Invalid regular expression at character %d: %s"), (int)position, reason);
  return NULL;
}

/**
 * sonde_filter_query_new:
 * @text: (nullable): what to look for; %NULL or "" for any entry of the
 *   chosen categories and directions
 * @flags: how to read @text
 * @categories: a mask of (1 << #SondeEntryCategory)
 * @directions: a mask of (1 << #SondeDirection)
 * @error_position: (out) (optional): for a bad regular expression, where
 *   it goes wrong, in characters from 1; -1 otherwise
 *
 * Returns: (transfer full) (nullable): a query, or %NULL with @error when
 *   @text is not a valid regular expression
 */
SondeFilterQuery *
sonde_filter_query_new (const char        *text,
                        SondeFilterFlags   flags,
                        guint              categories,
                        guint              directions,
                        int               *error_position,
                        GError           **error)
{
  g_autoptr(SondeFilterQuery) self = NULL;
  gboolean caseless;

  g_return_val_if_fail (text == NULL || g_utf8_validate (text, -1, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_position != NULL)
    *error_position = -1;

  self = g_new0 (SondeFilterQuery, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text != NULL ? text : "");
  self->flags = flags;
  self->categories = categories & SONDE_FILTER_ALL_CATEGORIES;
  self->directions = directions & SONDE_FILTER_ALL_DIRECTIONS;
  self->has_text = self->text[0] != '\0';
  caseless = (flags & SONDE_FILTER_CASE_SENSITIVE) == 0;

  if (!self->has_text)
    return g_steal_pointer (&self);

  if (flags & SONDE_FILTER_REGEX)
    {
      self->regex = compile_regex (self->text, caseless, error_position, error);
      if (self->regex == NULL)
        return NULL;
      return g_steal_pointer (&self);
    }

  self->needle = caseless ? g_utf8_casefold (self->text, -1) : g_strdup (self->text);
  self->needle_len = strlen (self->needle);
  self->needle_ascii = is_ascii (self->needle, self->needle_len);
  self->needle_has_replacement = strstr (self->needle, "\xef\xbf\xbd") != NULL;
  self->needle_bytes = sonde_bytes_from_hex (self->text, NULL);
  if (self->needle_bytes != NULL && g_bytes_get_size (self->needle_bytes) == 0)
    g_clear_pointer (&self->needle_bytes, g_bytes_unref);

  return g_steal_pointer (&self);
}

SondeFilterQuery *
sonde_filter_query_ref (SondeFilterQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sonde_filter_query_unref (SondeFilterQuery *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->text);
  g_free (self->needle);
  g_clear_pointer (&self->regex, pcre2_code_free);
  g_clear_pointer (&self->needle_bytes, g_bytes_unref);
  g_free (self);
}

const char *
sonde_filter_query_get_text (const SondeFilterQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

SondeFilterFlags
sonde_filter_query_get_flags (const SondeFilterQuery *self)
{
  g_return_val_if_fail (self != NULL, SONDE_FILTER_FLAGS_NONE);

  return self->flags;
}

guint
sonde_filter_query_get_categories (const SondeFilterQuery *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->categories;
}

guint
sonde_filter_query_get_directions (const SondeFilterQuery *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->directions;
}

/**
 * sonde_filter_query_matches_all:
 *
 * Returns: whether @self lets every entry through, so that a view can show
 *   the log itself instead
 */
gboolean
sonde_filter_query_matches_all (const SondeFilterQuery *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return !self->has_text &&
         self->categories == SONDE_FILTER_ALL_CATEGORIES &&
         self->directions == SONDE_FILTER_ALL_DIRECTIONS;
}

/**
 * sonde_filter_query_equal:
 *
 * Returns: whether @a and @b find the same entries for the same reasons
 */
gboolean
sonde_filter_query_equal (const SondeFilterQuery *a,
                          const SondeFilterQuery *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_str_equal (a->text, b->text) &&
         (!a->has_text || a->flags == b->flags) &&
         a->categories == b->categories &&
         a->directions == b->directions;
}

/**
 * sonde_filter_matcher_new:
 *
 * Returns: (transfer full): a matcher for @query, for one thread
 */
SondeFilterMatcher *
sonde_filter_matcher_new (SondeFilterQuery *query)
{
  SondeFilterMatcher *self;

  g_return_val_if_fail (query != NULL, NULL);

  self = g_new0 (SondeFilterMatcher, 1);
  self->query = sonde_filter_query_ref (query);
  self->valid = g_string_new (NULL);
  self->fields = g_string_new (NULL);
  self->decoded = g_string_new (NULL);
  self->members = g_array_new (FALSE, FALSE, sizeof (SondeJsonMember));
  self->unmasked = g_byte_array_new ();
  /* Only whether it matches: one pair of offsets is enough. */
  self->match_data = pcre2_match_data_create (1, NULL);

  return self;
}

void
sonde_filter_matcher_free (SondeFilterMatcher *self)
{
  g_return_if_fail (self != NULL);

  sonde_filter_query_unref (self->query);
  g_string_free (self->valid, TRUE);
  g_string_free (self->fields, TRUE);
  g_string_free (self->decoded, TRUE);
  g_array_unref (self->members);
  g_byte_array_unref (self->unmasked);
  pcre2_match_data_free (self->match_data);
  g_free (self);
}

/* The text as the window shows it, in self->valid when it had to change. */
static const char *
make_valid (SondeFilterMatcher *self,
            const char         *text,
            gsize              *len)
{
  const char *rest = text;
  gsize remaining = *len;
  const char *invalid;

  if (g_utf8_validate_len (text, remaining, NULL))
    return text;

  /* As g_utf8_make_valid(): one U+FFFD per byte that does not fit. */
  g_string_truncate (self->valid, 0);
  while (!g_utf8_validate_len (rest, remaining, &invalid))
    {
      gsize valid_len = (gsize)(invalid - rest);

      g_string_append_len (self->valid, rest, (gssize)valid_len);
      g_string_append (self->valid, "\xef\xbf\xbd");
      rest = invalid + 1;
      remaining -= valid_len + 1;
    }
  g_string_append_len (self->valid, rest, (gssize)remaining);

  *len = self->valid->len;
  return self->valid->str;
}

static gboolean
find_ascii_caseless (const char *haystack,
                     gsize       len,
                     const char *needle,
                     gsize       needle_len)
{
  guchar first = (guchar)needle[0];
  guchar first_upper = (guchar)g_ascii_toupper ((char)first);

  if (needle_len > len)
    return FALSE;

  for (gsize i = 0; i + needle_len <= len; i++)
    {
      guchar c = (guchar)haystack[i];

      if ((c == first || c == first_upper) &&
          g_ascii_strncasecmp (haystack + i + 1, needle + 1, needle_len - 1) == 0)
        return TRUE;
    }

  return FALSE;
}

/* @text is valid UTF-8. */
static gboolean
match_regex (SondeFilterMatcher *self,
             const char         *text,
             gsize               len)
{
  int result = pcre2_match (self->query->regex, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK,
                            self->match_data, NULL);

  /* The JIT's stack is small; the interpreter takes what it cannot. */
  if (result == PCRE2_ERROR_JIT_STACKLIMIT)
    result = pcre2_match (self->query->regex, (PCRE2_SPTR)text, len, 0,
                          PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, self->match_data, NULL);

  return result >= 0;
}

static gboolean
match_text (SondeFilterMatcher *self,
            const char         *text,
            gsize               len)
{
  SondeFilterQuery *query = self->query;

  if (query->regex != NULL)
    {
      text = make_valid (self, text, &len);
      return match_regex (self, text, len);
    }

  if (query->flags & SONDE_FILTER_CASE_SENSITIVE)
    {
      if (query->needle_has_replacement)
        text = make_valid (self, text, &len);
      return memmem (text, len, query->needle, query->needle_len) != NULL;
    }

  if (is_ascii (text, len))
    return query->needle_ascii &&
           find_ascii_caseless (text, len, query->needle, query->needle_len);

  {
    g_autofree char *folded = NULL;

    text = make_valid (self, text, &len);
    folded = g_utf8_casefold (text, (gssize)len);
    return strstr (folded, query->needle) != NULL;
  }
}

/* Bytes are also found by their hex. */
static gboolean
match_bytes (SondeFilterMatcher *self,
             const guint8       *data,
             gsize               len)
{
  SondeFilterQuery *query = self->query;

  if (match_text (self, (const char *)data, len))
    return TRUE;

  if (query->regex != NULL)
    {
      char *end;

      /* As the list's preview shows them: "00 01 fe ff". */
      g_string_set_size (self->valid, len * 3);
      end = sonde_bytes_write_hex (self->valid->str, data, len, ' ');
      g_string_truncate (self->valid, (gsize)(end - self->valid->str));
      return match_regex (self, self->valid->str, self->valid->len);
    }

  if (query->needle_bytes != NULL)
    {
      gsize needle_len = 0;
      const guint8 *needle = g_bytes_get_data (query->needle_bytes, &needle_len);

      return memmem (data, len, needle, needle_len) != NULL;
    }

  return FALSE;
}

/* A top-level string member of the entry's fields, decoded, or %NULL. */
static const char *
get_fields_string (SondeFilterMatcher   *self,
                   const SondeEntryView *view,
                   const char           *name,
                   gsize                *len)
{
  if (view->fields_len == 0 || !sonde_entry_view_has_member (view, name))
    return NULL;

  g_string_truncate (self->fields, 0);
  g_string_append_c (self->fields, '{');
  g_string_append_len (self->fields, view->fields, (gssize)view->fields_len);
  g_string_append_c (self->fields, '}');
  g_array_set_size (self->members, 0);
  if (!sonde_json_scan_object (self->fields->str, self->fields->len, self->members, NULL))
    return NULL;

  for (guint i = 0; i < self->members->len; i++)
    {
      const SondeJsonMember *member = &g_array_index (self->members, SondeJsonMember, i);

      if (!sonde_json_member_name_is (member, name))
        continue;
      g_string_truncate (self->decoded, 0);
      if (member->type == SONDE_JSON_STRING)
        sonde_json_decode_string (member->value, member->value_len, self->decoded);
      else
        g_string_append_len (self->decoded, member->value, (gssize)member->value_len);
      *len = self->decoded->len;
      return self->decoded->str;
    }

  return NULL;
}

static gboolean
match_fields_member (SondeFilterMatcher   *self,
                     const SondeEntryView *view,
                     const char           *name)
{
  gsize len = 0;
  const char *text = get_fields_string (self, view, name, &len);

  return text != NULL && match_text (self, text, len);
}

/* The common SSE block, read in place: LF line ends, valid UTF-8 without
 * NUL, a few data lines, a blank line at the end. The parser reads the rest
 * (sonde_entry_view_dup_data()); both give the same data and type. */
#define MAX_DATA_LINES 8

typedef struct
{
  const char *lines[MAX_DATA_LINES];
  gsize       line_lens[MAX_DATA_LINES];
  guint       n_lines;
  const char *type;           /* "message" when the block set none */
  gsize       type_len;
} SseBlock;

static gboolean
read_sse_block (const SondeEntryView *view,
                SseBlock             *block)
{
  const char *p = (const char *)view->raw;
  const char *end = p + view->raw_len;

  block->n_lines = 0;
  block->type = "";
  block->type_len = 0;

  if (memchr (p, '\r', view->raw_len) != NULL ||
      !g_utf8_validate_len (p, view->raw_len, NULL))
    return FALSE;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', (gsize)(end - p));
      const char *colon;
      const char *value;
      gsize name_len;

      if (eol == NULL)
        return FALSE;   /* no blank line: the parser drops such a block */
      if (eol == p)
        {
          if (block->n_lines > 0)
            break;      /* the blank line that dispatches */
          /* A blank line with no data dispatches nothing and forgets the type. */
          block->type = "";
          block->type_len = 0;
          p = eol + 1;
          continue;
        }

      colon = memchr (p, ':', (gsize)(eol - p));
      name_len = (gsize)((colon != NULL ? colon : eol) - p);
      value = colon != NULL ? colon + 1 : eol;
      if (value < eol && *value == ' ')
        value++;

      if (name_len == 4 && memcmp (p, "data", 4) == 0)
        {
          if (block->n_lines == MAX_DATA_LINES)
            return FALSE;
          block->lines[block->n_lines] = value;
          block->line_lens[block->n_lines] = (gsize)(eol - value);
          block->n_lines++;
        }
      else if (name_len == 5 && memcmp (p, "event", 5) == 0)
        {
          block->type = value;
          block->type_len = (gsize)(eol - value);
        }
      p = eol + 1;
    }

  if (p == end)
    return FALSE;       /* ended without its blank line */
  if (block->type_len == 0)
    {
      block->type = "message";
      block->type_len = 7;
    }

  return TRUE;
}

static gboolean
match_sse (SondeFilterMatcher   *self,
           const SondeEntryView *view)
{
  SondeFilterQuery *query = self->query;
  g_autofree char *data = NULL;
  g_autofree char *type = NULL;
  gsize len = 0;
  SseBlock block;

  if (view->id_len > 0 && match_text (self, view->id, view->id_len))
    return TRUE;

  if (read_sse_block (view, &block))
    {
      /* Data lines are joined with LF: text without one is found in a
       * line, or not at all. */
      if (block.n_lines == 1 ||
          (query->regex == NULL && memchr (query->needle, '\n', query->needle_len) == NULL))
        {
          if (block.n_lines == 0)
            return FALSE;   /* no data, no event */
          for (guint i = 0; i < block.n_lines; i++)
            if (match_text (self, block.lines[i], block.line_lens[i]))
              return TRUE;
          return match_text (self, block.type, block.type_len);
        }
    }

  data = sonde_entry_view_dup_data (view, &len, &type);
  return (data != NULL && match_text (self, data, len)) ||
         (type != NULL && match_text (self, type, strlen (type)));
}

/* A message in one frame, read in place (or unmasked into scratch space);
 * several frames, and compressed messages, go through
 * sonde_entry_view_dup_data(). */
static const guint8 *
single_frame_payload (SondeFilterMatcher   *self,
                      const SondeEntryView *view,
                      gsize                *len)
{
  const guint8 *raw = view->raw;
  gsize header_len = 2;
  guint64 length;

  if (view->raw_len < 2 || sonde_entry_view_is_compressed (view))
    return NULL;

  length = raw[1] & 0x7f;
  if (length == 126)
    {
      if (view->raw_len < 4)
        return NULL;
      length = (guint64)raw[2] << 8 | raw[3];
      header_len = 4;
    }
  else if (length == 127)
    {
      if (view->raw_len < 10)
        return NULL;
      length = 0;
      for (guint i = 2; i < 10; i++)
        length = length << 8 | raw[i];
      header_len = 10;
    }
  if (raw[1] & 0x80)
    header_len += 4;
  if (header_len > view->raw_len || length != view->raw_len - header_len)
    return NULL;

  *len = (gsize)length;
  if ((raw[1] & 0x80) == 0)
    return raw + header_len;

  {
    const guint8 *mask = raw + header_len - 4;

    g_byte_array_set_size (self->unmasked, (guint)length);
    for (gsize i = 0; i < length; i++)
      self->unmasked->data[i] = raw[header_len + i] ^ mask[i & 3];
    return self->unmasked->data;
  }
}

static gboolean
match_payload (SondeFilterMatcher   *self,
               const SondeEntryView *view)
{
  g_autofree char *data = NULL;
  const guint8 *payload;
  gsize len = 0;

  switch (view->kind)
    {
    case SONDE_ENTRY_SSE:
      return match_sse (self, view);

    case SONDE_ENTRY_COMMENT:
      data = sonde_entry_view_dup_data (view, &len, NULL);
      return data != NULL && match_text (self, data, len);

    case SONDE_ENTRY_TEXT:
      payload = single_frame_payload (self, view, &len);
      if (payload != NULL)
        return match_text (self, (const char *)payload, len);
      data = sonde_entry_view_dup_data (view, &len, NULL);
      return data != NULL && match_text (self, data, len);

    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
      payload = single_frame_payload (self, view, &len);
      if (payload != NULL)
        return match_bytes (self, payload, len);
      data = sonde_entry_view_dup_data (view, &len, NULL);
      return data != NULL && match_bytes (self, (const guint8 *)data, len);

    case SONDE_ENTRY_CLOSE:
      return match_fields_member (self, view, "reason") ||
             match_fields_member (self, view, "code");

    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_CLOSED:
      return match_fields_member (self, view, "message");

    case SONDE_ENTRY_REQUEST:
      return match_fields_member (self, view, "url") ||
             match_fields_member (self, view, "request_body") ||
             match_fields_member (self, view, "body") ||
             match_fields_member (self, view, "message");

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_N_KINDS:
    default:
      return FALSE;
    }
}

/**
 * sonde_filter_matcher_match:
 * @view: an entry, read in place
 *
 * Returns: whether the entry is one the query looks for
 */
gboolean
sonde_filter_matcher_match (SondeFilterMatcher   *self,
                            const SondeEntryView *view)
{
  SondeFilterQuery *query;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  query = self->query;
  if ((query->directions & (1u << view->direction)) == 0)
    return FALSE;
  if (query->categories != SONDE_FILTER_ALL_CATEGORIES &&
      (query->categories & (1u << sonde_entry_view_get_category (view))) == 0)
    return FALSE;
  if (!query->has_text)
    return TRUE;

  return match_payload (self, view);
}

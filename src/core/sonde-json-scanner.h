/* sonde-json-scanner.h: a strict JSON scanner for one recording line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The recording reader's hot path: it checks a whole line once (RFC 8259,
 * nothing more and nothing less) and reports the top-level members of an
 * object as spans of the line, without building a tree or copying a byte.
 * What a caller needs from a span it decodes afterwards, from text the
 * scanner has already checked. */

typedef enum
{
  SONDE_JSON_OBJECT,
  SONDE_JSON_ARRAY,
  SONDE_JSON_STRING,
  SONDE_JSON_NUMBER,
  SONDE_JSON_TRUE,
  SONDE_JSON_FALSE,
  SONDE_JSON_NULL,
} SondeJsonType;

/* What the scanner wanted where it stopped. */
typedef enum
{
  SONDE_JSON_EXPECTED_VALUE,
  SONDE_JSON_EXPECTED_NAME,            /* a member name: a string */
  SONDE_JSON_EXPECTED_COLON,
  SONDE_JSON_EXPECTED_COMMA_OR_BRACE,
  SONDE_JSON_EXPECTED_COMMA_OR_BRACKET,
  SONDE_JSON_EXPECTED_HEX_DIGITS,      /* four after \u */
  SONDE_JSON_EXPECTED_ESCAPE,          /* one of " \ / b f n r t u after a backslash */
  SONDE_JSON_EXPECTED_QUOTE,           /* the line ended inside a string */
  SONDE_JSON_EXPECTED_NO_CONTROL,      /* a raw control character inside a string */
  SONDE_JSON_EXPECTED_DIGIT,
  SONDE_JSON_EXPECTED_END,             /* something after the value */
  SONDE_JSON_EXPECTED_LESS_NESTING,    /* deeper than SONDE_JSON_MAX_DEPTH */
  SONDE_JSON_EXPECTED_OBJECT,          /* valid JSON, but not an object */
} SondeJsonExpected;

#define SONDE_JSON_MAX_DEPTH 256

typedef struct
{
  SondeJsonExpected expected;
  gsize             offset;            /* byte offset into the text */
} SondeJsonError;

/* One top-level member. A string's span is what lies between its quotes,
 * escapes not decoded; any other value's span is its text as written. */
typedef struct
{
  const char    *name;
  gsize          name_len;
  const char    *value;
  gsize          value_len;
  SondeJsonType  type;
  guint8         name_escaped;         /* the name holds a backslash */
  guint8         value_escaped;        /* the string value holds a backslash */
} SondeJsonMember;

gboolean    sonde_json_scan_object        (const char        *text,
                                           gsize              len,
                                           GArray            *members,
                                           SondeJsonError    *error);
gboolean    sonde_json_array_next         (const char        *array,
                                           gsize              len,
                                           gsize             *pos,
                                           SondeJsonMember   *element);
gboolean    sonde_json_member_name_is     (const SondeJsonMember *member,
                                           const char        *name);
gsize       sonde_json_read_u_escape      (const char        *p,
                                           const char        *end,
                                           gunichar          *c);
void        sonde_json_decode_string      (const char        *span,
                                           gsize              len,
                                           GString           *out);
void        sonde_json_append_compact     (GString           *out,
                                           const SondeJsonMember *member);
gboolean    sonde_json_parse_uint64       (const char        *text,
                                           gsize              len,
                                           guint64           *value);
gboolean    sonde_json_parse_seconds_us   (const char        *text,
                                           gsize              len,
                                           gint64            *us);
const char *sonde_json_expected_describe  (SondeJsonExpected  expected);

G_END_DECLS

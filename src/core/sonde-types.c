/* sonde-types.c: names of the enumerations shared by every layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sonde-types.h"

static const char * const kind_names[SONDE_ENTRY_N_KINDS] = {
  [SONDE_ENTRY_OPEN] = "open",
  [SONDE_ENTRY_SSE] = "sse",
  [SONDE_ENTRY_COMMENT] = "comment",
  [SONDE_ENTRY_RETRY] = "retry",
  [SONDE_ENTRY_TEXT] = "text",
  [SONDE_ENTRY_BINARY] = "binary",
  [SONDE_ENTRY_PING] = "ping",
  [SONDE_ENTRY_PONG] = "pong",
  [SONDE_ENTRY_CLOSE] = "close",
  [SONDE_ENTRY_RECONNECT] = "reconnect",
  [SONDE_ENTRY_CLOSED] = "closed",
  [SONDE_ENTRY_ERROR] = "error",
  [SONDE_ENTRY_REQUEST] = "request",
};

const char *
sonde_entry_kind_to_string (SondeEntryKind kind)
{
  g_return_val_if_fail (kind < SONDE_ENTRY_N_KINDS, NULL);

  return kind_names[kind];
}

gboolean
sonde_entry_kind_from_string (const char     *name,
                              SondeEntryKind *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < SONDE_ENTRY_N_KINDS; i++)
    {
      if (g_str_equal (kind_names[i], name))
        {
          if (kind != NULL)
            *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
sonde_direction_to_string (SondeDirection direction)
{
  switch (direction)
    {
    case SONDE_DIRECTION_IN:
      return "in";
    case SONDE_DIRECTION_OUT:
      return "out";
    case SONDE_DIRECTION_LOCAL:
      return "local";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * sonde_entry_kind_get_category:
 *
 * Returns: the category of entries of @kind when nothing went wrong with
 *   them; sonde_entry_view_get_category() also looks at the entry
 */
SondeEntryCategory
sonde_entry_kind_get_category (SondeEntryKind kind)
{
  switch (kind)
    {
    case SONDE_ENTRY_SSE:
    case SONDE_ENTRY_TEXT:
    case SONDE_ENTRY_BINARY:
    case SONDE_ENTRY_REQUEST:
      return SONDE_ENTRY_CATEGORY_DATA;

    case SONDE_ENTRY_COMMENT:
    case SONDE_ENTRY_RETRY:
    case SONDE_ENTRY_PING:
    case SONDE_ENTRY_PONG:
    case SONDE_ENTRY_CLOSE:
      return SONDE_ENTRY_CATEGORY_CONTROL;

    case SONDE_ENTRY_OPEN:
    case SONDE_ENTRY_RECONNECT:
    case SONDE_ENTRY_CLOSED:
      return SONDE_ENTRY_CATEGORY_LIFECYCLE;

    case SONDE_ENTRY_ERROR:
    case SONDE_ENTRY_N_KINDS:
    default:
      return SONDE_ENTRY_CATEGORY_PROBLEM;
    }
}

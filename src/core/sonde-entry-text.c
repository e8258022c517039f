/* sonde-entry-text.c: the words and short texts a row of the event list shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <langinfo.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sonde-bytes.h"
#include "sonde-entry-fields.h"
#include "sonde-entry-text.h"
#include "sonde-entry-text-private.h"

/* A list binds a row's cells whenever it scrolls, so these run for every
 * visible row of every frame: they read the packed entry in place, never
 * parse JSON into a tree, and write into the caller's buffer. This file
 * holds the text writer they share and the short columns; the type and
 * preview columns, which read an entry's payload, are in
 * sonde-entry-text-payload.c. */

void
sonde_text_out_printf (SondeTextOut *o,
                       const char   *format,
                       ...)
{
  char buf[SONDE_ENTRY_TEXT_PREVIEW_SIZE];
  va_list args;
  int n;

  va_start (args, format);
  n = g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);

  sonde_text_out_text (o, buf, MIN ((gsize)MAX (n, 0), strlen (buf)));
  if ((gsize)MAX (n, 0) >= sizeof buf)
    o->cut = TRUE;
}

/* Appends bytes as one line: valid UTF-8 as it is, control characters and
 * bytes that are not UTF-8 as escapes. @more says the bytes go on beyond
 * @len, so a character cut in two at the end is not an error. */
void
sonde_text_out_escaped (SondeTextOut *o,
                        const guint8 *s,
                        gsize         len,
                        gboolean      more)
{
  const guint8 *end = s + len;

  while (s < end && !o->cut)
    {
      const guint8 *run = s;

      while (s < end && *s >= 0x20 && *s < 0x7f)
        s++;
      if (s > run)
        sonde_text_out_text (o, (const char *)run, (gsize)(s - run));
      if (s == end || o->cut)
        break;

      if (*s >= 0x80)
        {
          gunichar c = g_utf8_get_char_validated ((const char *)s, (gssize)(end - s));

          if (c == (gunichar)-2 && more)
            {
              o->cut = TRUE;
              break;
            }
          if (c < (gunichar)-2 && !(c >= 0x80 && c < 0xa0) && c != 0x2028 && c != 0x2029)
            {
              gsize n = (gsize)g_utf8_skip[*s];

              sonde_text_out_text (o, (const char *)s, n);
              s += n;
              continue;
            }
        }

      switch (*s)
        {
        case '\n':
          sonde_text_out_text (o, "\\n", 2);
          break;
        case '\r':
          sonde_text_out_text (o, "\\r", 2);
          break;
        case '\t':
          sonde_text_out_text (o, "\\t", 2);
          break;
        default:
          {
            char escape[4] = { '\\', 'x' };

            sonde_bytes_write_hex (escape + 2, s, 1, 0);
            sonde_text_out_text (o, escape, 4);
          }
        }
      s++;
    }

  if (s < end || more)
    o->cut = TRUE;
}

/**
 * sonde_entry_text_format_id:
 *
 * An SSE event's last event ID, escaped for one line; empty for other kinds.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_id (const SondeEntryView *view,
                            char                 *buf,
                            gsize                 size)
{
  SondeTextOut o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  sonde_text_out_init (&o, buf, size);
  sonde_text_out_escaped (&o, (const guint8 *)view->id, MIN (view->id_len, size), view->id_len > size);

  return sonde_text_out_finish (&o);
}

/* Writes @value in decimal, at least @digits wide with leading zeros;
 * returns the end. */
static char *
put_uint (char    *p,
          guint64  value,
          int      digits)
{
  char tmp[24];
  int n = 0;

  do
    {
      tmp[n++] = (char)('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  while (n < digits)
    tmp[n++] = '0';
  while (n > 0)
    *p++ = tmp[--n];

  return p;
}

/**
 * sonde_entry_text_format_seq:
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_seq (guint64  seq,
                             char    *buf,
                             gsize    size)
{
  g_return_val_if_fail (buf != NULL && size >= 24, 0);

  *put_uint (buf, seq, 1) = '\0';
  return strlen (buf);
}

/**
 * sonde_entry_text_format_size:
 *
 * The entry's size on the wire: bytes up to 999, then kB, MB and GB with
 * one decimal, as GNOME counts them. A side request, whose bytes the log
 * does not hold, shows the size of its response body.
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_size (const SondeEntryView *view,
                              char                 *buf,
                              gsize                 size)
{
  gsize bytes;
  SondeTextOut o;

  g_return_val_if_fail (view != NULL, 0);
  g_return_val_if_fail (buf != NULL && size >= 8, 0);

  bytes = view->raw_len;
  if (view->kind == SONDE_ENTRY_REQUEST)
    {
      gint64 body_size;

      if (sonde_entry_fields_get_int (view, "body_size", &body_size) && body_size >= 0)
        bytes = (gsize)body_size;
    }
  sonde_text_out_init (&o, buf, size);
  if (bytes < 1000)
    sonde_text_out_printf (&o, _("%u B"), (guint)bytes);
  else if (bytes < 1000 * 1000)
    sonde_text_out_printf (&o, _("%.1f kB"), bytes / 1000.0);
  else if (bytes < 1000 * 1000 * 1000)
    sonde_text_out_printf (&o, _("%.1f MB"), bytes / (1000.0 * 1000.0));
  else
    sonde_text_out_printf (&o, _("%.1f GB"), bytes / (1000.0 * 1000.0 * 1000.0));

  return sonde_text_out_finish (&o);
}

/**
 * sonde_entry_text_clock_origin:
 * @started_at: when the session started
 *
 * Returns: the local time of day the session started at, in microseconds
 *   since midnight, for sonde_entry_text_format_time(). A daylight saving
 *   change during the session is not followed.
 */
gint64
sonde_entry_text_clock_origin (GDateTime *started_at)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (started_at != NULL, 0);

  local = g_date_time_to_local (started_at);
  return ((gint64)g_date_time_get_hour (local) * 3600 +
          g_date_time_get_minute (local) * 60 +
          g_date_time_get_second (local)) * G_USEC_PER_SEC +
         g_date_time_get_microsecond (local);
}

/**
 * sonde_entry_text_format_time:
 * @time_us: microseconds since the session started
 * @clock_origin: from sonde_entry_text_clock_origin(), for clock time
 *
 * Relative time is seconds with microseconds ("12.345678"); clock time is
 * the local time of day with milliseconds ("14:03:27.123"). Both are for
 * people, so the fraction follows the locale's decimal separator
 * ("12,345678" in German).
 *
 * Returns: the length of the text written
 */
gsize
sonde_entry_text_format_time (gint64           time_us,
                              SondeTimeFormat  format,
                              gint64           clock_origin,
                              char            *buf,
                              gsize            size)
{
  char *p = buf;
  /* nl_langinfo() reads the current locale without locking, cheap enough
   * for each row a list binds. */
  const char *radix = nl_langinfo (RADIXCHAR);
  gsize radix_len = radix != NULL ? strnlen (radix, 5) : 0;

  g_return_val_if_fail (buf != NULL && size >= 32, 0);

  /* A separator is one character, at most four bytes in UTF-8. */
  if (radix_len == 0 || radix_len > 4)
    {
      radix = ".";
      radix_len = 1;
    }

  if (format == SONDE_TIME_FORMAT_CLOCK)
    {
      gint64 day = (gint64)24 * 3600 * G_USEC_PER_SEC;
      gint64 t = ((clock_origin + time_us) % day + day) % day;
      gint64 ms = t / 1000;

      p = put_uint (p, (guint64)(ms / 3600000), 2);
      *p++ = ':';
      p = put_uint (p, (guint64)(ms / 60000 % 60), 2);
      *p++ = ':';
      p = put_uint (p, (guint64)(ms / 1000 % 60), 2);
      memcpy (p, radix, radix_len);
      p += radix_len;
      p = put_uint (p, (guint64)(ms % 1000), 3);
    }
  else
    {
      guint64 t = (guint64)ABS (time_us);

      if (time_us < 0)
        *p++ = '-';
      p = put_uint (p, t / G_USEC_PER_SEC, 1);
      memcpy (p, radix, radix_len);
      p += radix_len;
      p = put_uint (p, t % G_USEC_PER_SEC, 6);
    }
  *p = '\0';

  return (gsize)(p - buf);
}

/**
 * sonde_entry_kind_get_label:
 *
 * Returns: the kind's name for people, translated
 */
const char *
sonde_entry_kind_get_label (SondeEntryKind kind)
{
  switch (kind)
    {
    case SONDE_ENTRY_OPEN: return C_("entry kind", "Open");
    case SONDE_ENTRY_SSE: return C_("entry kind", "Event");
    case SONDE_ENTRY_COMMENT: return C_("entry kind", "Comment");
    case SONDE_ENTRY_RETRY: return C_("entry kind", "Retry");
    case SONDE_ENTRY_TEXT: return C_("entry kind", "Text");
    case SONDE_ENTRY_BINARY: return C_("entry kind", "Binary");
    case SONDE_ENTRY_PING: return C_("entry kind", "Ping");
    case SONDE_ENTRY_PONG: return C_("entry kind", "Pong");
    case SONDE_ENTRY_CLOSE: return C_("entry kind", "Close");
    case SONDE_ENTRY_RECONNECT: return C_("entry kind", "Reconnect");
    case SONDE_ENTRY_CLOSED: return C_("entry kind", "Closed");
    case SONDE_ENTRY_ERROR: return C_("entry kind", "Error");
    case SONDE_ENTRY_REQUEST: return C_("entry kind", "Request");
    case SONDE_ENTRY_N_KINDS:
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * sonde_entry_category_get_label:
 *
 * Returns: the category's name for people, translated
 */
const char *
sonde_entry_category_get_label (SondeEntryCategory category)
{
  switch (category)
    {
    case SONDE_ENTRY_CATEGORY_DATA: return C_("entry category", "Data");
    case SONDE_ENTRY_CATEGORY_CONTROL: return C_("entry category", "Control");
    case SONDE_ENTRY_CATEGORY_LIFECYCLE: return C_("entry category", "Connection");
    case SONDE_ENTRY_CATEGORY_PROBLEM: return C_("entry category", "Problem");
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * sonde_direction_get_arrow:
 *
 * Returns: an arrow for the direction: down for incoming, up for outgoing,
 *   a dot for Sonde's own entries
 */
const char *
sonde_direction_get_arrow (SondeDirection direction)
{
  switch (direction)
    {
    case SONDE_DIRECTION_IN: return "↓";
    case SONDE_DIRECTION_OUT: return "↑";
    case SONDE_DIRECTION_LOCAL: return "•";
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * sonde_direction_get_accessible_name:
 *
 * Returns: what the direction's arrow means, translated, for assistive
 *   technology
 */
const char *
sonde_direction_get_accessible_name (SondeDirection direction)
{
  switch (direction)
    {
    case SONDE_DIRECTION_IN: return C_("direction", "Incoming");
    case SONDE_DIRECTION_OUT: return C_("direction", "Outgoing");
    case SONDE_DIRECTION_LOCAL: return C_("direction", "Local");
    default:
      g_return_val_if_reached ("");
    }
}

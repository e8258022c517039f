/* sonde-huge-pages.h: memory that faults in 2 MiB at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdlib.h>
#include <sys/mman.h>

#include <glib.h>

G_BEGIN_DECLS

#define SONDE_HUGE_PAGE_SIZE (2u * 1024 * 1024)

/* @size bytes, 2 MiB-aligned, with transparent huge pages asked for: a
 * fresh page costs one fault per 2 MiB instead of one per 4 KiB, which is
 * what the event log's blocks and the timeline's big chunks spend most on
 * when they grow. Free it with free(); @what names it if memory runs out. */
static inline void *
sonde_huge_pages_alloc (gsize       size,
                        const char *what)
{
  void *data = NULL;

  if (posix_memalign (&data, SONDE_HUGE_PAGE_SIZE, size) != 0)
    g_error ("Out of memory for %s (%" G_GSIZE_FORMAT " bytes)", what, size);
#ifdef MADV_HUGEPAGE
  madvise (data, size, MADV_HUGEPAGE);
#endif
  return data;
}

G_END_DECLS

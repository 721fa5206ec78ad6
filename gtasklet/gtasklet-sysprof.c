/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-stats-private.h"
#include "gtasklet-tasklet-private.h"

/* Sysprof marks, one per step, so that a capture shows which tasklet ran when. Built only
 * with the meson feature 'sysprof' (sysprof-capture-4); turned on at startup when the
 * process runs under Sysprof (SYSPROF_CONTROL_FD is set), or by GTASKLET_DEBUG=sysprof.
 * The mark's name is the tasklet's name, or its type when it has none; its message the type
 * and address, so that two tasklets with one name stay apart. */

#ifdef HAVE_SYSPROF
#include <sysprof-capture.h>

void
_gtasklet_sysprof_mark (GtaskletTasklet *self,
                        guint64          start_ns,
                        guint64          elapsed_ns)
{
  const char *name = gtasklet_tasklet_get_name (self);
  char message[128];

  g_snprintf (message, sizeof message, "%s %p", G_OBJECT_TYPE_NAME (self), self);
  sysprof_collector_mark ((gint64) start_ns, (gint64) elapsed_ns, "gtasklet",
                          name != NULL ? name : G_OBJECT_TYPE_NAME (self), message);
}
#endif

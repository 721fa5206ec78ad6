/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-recycle-private.h"

#include <string.h>

gboolean
_gtasklet_recycle_enabled (void)
{
  static gsize enabled;

  if (g_once_init_enter (&enabled))
    {
      const char *debug = g_getenv ("GTASKLET_DEBUG");
      gboolean off = debug != NULL && strstr (debug, "no-pools") != NULL;

      g_once_init_leave (&enabled, off ? 1 : 2);
    }
  return enabled == 2;
}

/* Whether @object, whose last reference the caller holds, is known to nobody else. */
gboolean
_gtasklet_object_is_private (gpointer object,
                             guint    own_signal_id)
{
  GObject *gobject = object;

  return g_atomic_int_get (&gobject->ref_count) == 1 &&
         g_atomic_pointer_get (&gobject->qdata) == NULL &&
         !g_signal_has_handler_pending (object, own_signal_id, 0, TRUE) &&
         g_signal_handler_find (object, G_SIGNAL_MATCH_UNBLOCKED, 0, 0, NULL, NULL, NULL) == 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Reusing objects gtasklet makes by the hundred thousand: closure tasklets and the
 * conditions that join them. On GLib 2.74 creating a GObject costs about 1,000 instructions
 * and finalizing one about 2,300 (the notify queue, qdata and handler teardown under bit
 * locks), more than everything else a spawned tasklet does. So when gtasklet drops the last
 * reference to one of these objects and nothing else could tell the difference, the object
 * is reset and kept in a small per-thread pool instead, and the next constructor call on that
 * thread takes it from there.
 *
 * "Nothing else could tell": ours is the only reference, there is no qdata at all (weak
 * references, GWeakRefs, toggle references of binding wrappers, user data), and no signal
 * handler: none for the type's own signal (blocked ones included) and none unblocked for any
 * signal. (A handler both blocked and connected with a detail, left on an object dropped
 * without disconnecting it, is the one thing this does not see.)
 *
 * GTASKLET_DEBUG=no-pools in the environment turns the pools off, so that memory checkers see
 * every object die (useful when hunting a use after free in application code). */

#define GTASKLET_POOL_MAX 256

gboolean _gtasklet_recycle_enabled    (void);
gboolean _gtasklet_object_is_private  (gpointer      object,
                                       guint         own_signal_id);

G_END_DECLS

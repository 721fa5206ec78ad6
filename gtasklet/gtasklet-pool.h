/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-tasklet.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_POOL (gtasklet_pool_get_type ())
GTASKLET_AVAILABLE_IN_1_2
G_DECLARE_FINAL_TYPE (GtaskletPool, gtasklet_pool, GTASKLET, POOL, GObject)

GTASKLET_AVAILABLE_IN_1_2
GtaskletPool *gtasklet_pool_new           (guint            n_workers) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GtaskletPool *gtasklet_pool_get_default   (void);
GTASKLET_AVAILABLE_IN_1_2
guint         gtasklet_pool_get_n_workers (GtaskletPool    *self);
GTASKLET_AVAILABLE_IN_1_2
void          gtasklet_pool_start         (GtaskletPool    *self,
                                           GtaskletTasklet *tasklet);

G_END_DECLS

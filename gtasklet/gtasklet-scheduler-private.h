/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "gtasklet-types.h"

G_BEGIN_DECLS

/* One scheduler per GMainContext: a run queue of tasklets with an event to handle, drained
 * by one main-loop source. It lives while tasklets started on its context are unfinished. */
typedef struct _GtaskletScheduler GtaskletScheduler;

GtaskletScheduler *_gtasklet_scheduler_acquire      (GMainContext      *context);
void               _gtasklet_scheduler_release      (GtaskletScheduler *self);
GMainContext      *_gtasklet_scheduler_get_context  (GtaskletScheduler *self);
gboolean           _gtasklet_scheduler_is_owner     (GtaskletScheduler *self);
void               _gtasklet_scheduler_push         (GtaskletScheduler *self,
                                                     GtaskletTasklet   *tasklet);

G_END_DECLS

G_BEGIN_DECLS
void               _gtasklet_scheduler_post_remote  (GtaskletScheduler *self,
                                                     gpointer           item);
G_END_DECLS

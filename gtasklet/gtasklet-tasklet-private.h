/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-tasklet.h"
#include "gtasklet-wait-condition.h"

G_BEGIN_DECLS

typedef struct _GtaskletFinishWatch GtaskletFinishWatch;

/* Someone to tell when a tasklet finishes: joiners link one of these into the tasklet
 * instead of connecting to ::finished, which would cost a closure per join. */
struct _GtaskletFinishWatch
{
  GtaskletFinishWatch *next;
  GtaskletFinishWatch *prev;
  void               (*notify) (GtaskletFinishWatch *watch,
                                GtaskletTasklet     *tasklet);
};

void     _gtasklet_tasklet_condition_fired   (GtaskletTasklet       *self,
                                              GtaskletWaitCondition *condition);
void     _gtasklet_tasklet_condition_unfired (GtaskletTasklet       *self,
                                              GtaskletWaitCondition *condition);
gboolean _gtasklet_tasklet_add_finish_watch  (GtaskletTasklet       *self,
                                              GtaskletFinishWatch   *watch);
void     _gtasklet_tasklet_remove_finish_watch (GtaskletTasklet     *self,
                                                GtaskletFinishWatch *watch);
void     _gtasklet_tasklet_dispatch          (GtaskletTasklet       *self);
gboolean _gtasklet_tasklet_adopt_cancellable (GtaskletTasklet       *self,
                                              GCancellable          *cancellable);

G_END_DECLS

G_BEGIN_DECLS
/* Takes ownership of @item, posted from another thread: a GtaskletMessage (its dest set) or a
 * GtaskletWaitCondition that fired. */
void     _gtasklet_tasklet_remote_arrived    (gpointer               item);
G_END_DECLS

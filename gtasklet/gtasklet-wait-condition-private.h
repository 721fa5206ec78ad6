/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-wait-condition.h"

G_BEGIN_DECLS

/* The bookkeeping a tasklet keeps on each condition of its wait sets. It lives in the
 * condition rather than in the tasklet because a condition is in at most one wait set at a
 * time: intrusive links cost no allocation and make disarm O(1). */
typedef struct
{
  /* The tasklet this condition is armed for (no reference: the tasklet's armed set holds a
   * reference on the condition, and disarms it before the tasklet goes away). */
  GtaskletTasklet       *tasklet;
  /* The running tasklet whose next wait set holds this condition, while its step runs. */
  GtaskletTasklet       *pending_owner;
  /* Link in the tasklet's list of fired, not yet delivered conditions. */
  GtaskletWaitCondition *fired_next;
  guint64                fired_stamp;
  /* For conditions whose event is a lasting state (a finished tasklet, a completed operation,
   * a cancelled cancellable, a reaped process): whether that state still holds. A condition
   * delivered as an event and kept in the next wait set is not re-armed, so the engine asks
   * this to fire it again, as the contract wants for "waiting on it again". */
  gboolean             (*is_done) (GtaskletWaitCondition *self);
  guint                  fired : 1;
  guint                  delivered : 1;
  guint                  in_new_set : 1;
  guint                  is_message_wait : 1;
  guint                  is_cancellable_wait : 1;
} GtaskletWaitConditionPrivate;

/* Set by class_init: the private struct's offset, so the engine reaches it without a call. */
extern int _gtasklet_wait_condition_private_offset;

static inline GtaskletWaitConditionPrivate *
_gtasklet_wait_condition_get_private (GtaskletWaitCondition *self)
{
  return G_STRUCT_MEMBER_P (self, _gtasklet_wait_condition_private_offset);
}

void                          _gtasklet_wait_condition_arm         (GtaskletWaitCondition *self,
                                                                    GtaskletTasklet       *tasklet);
void                          _gtasklet_wait_condition_disarm      (GtaskletWaitCondition *self);
void                          _gtasklet_wait_condition_fire_queued (GtaskletWaitCondition *self);
void                          _gtasklet_wait_condition_unfire      (GtaskletWaitCondition *self);

G_END_DECLS

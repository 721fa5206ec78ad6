/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "gtasklet-receive-private.h"
#include "gtasklet-wait-condition.h"

G_BEGIN_DECLS

/* Generic hooks a condition type may provide, so the engine can treat it specially without
 * knowing the type. Set per instance by the type's init, NULL for most conditions. */
typedef struct
{
  /* For conditions whose event is a lasting state (a finished tasklet, a completed
   * operation, a cancelled cancellable, a reaped process): whether it still holds. A
   * condition delivered and kept in the next wait set is not re-armed, so the engine asks
   * this to fire it again, as the contract wants for "waiting on it again". */
  gboolean             (*is_done)        (GtaskletWaitCondition *self);
  /* A message wait: what it receives. The mailbox decides with it; such a condition never
   * fires itself (the step's event is the accepted message). */
  GtaskletReceiveSpec *(*get_receive)    (GtaskletWaitCondition *self);
  /* Whether the condition reports the cancellation of @cancellable itself (the tasklet's
   * own): the tasklet is then woken by it instead of being ended. */
  gboolean             (*catches_cancel) (GtaskletWaitCondition *self,
                                          GCancellable          *cancellable);
  /* Called on the tasklet's thread when the condition is delivered as a step's event, before
   * the step runs: the moment to make what the event recorded (possibly on another thread)
   * visible to the step. */
  void                 (*delivered)      (GtaskletWaitCondition *self);
  /* Called on the tasklet's thread when a step adds the condition to its next wait set. */
  void                 (*added)          (GtaskletWaitCondition *self);
  /* The wait set drops its reference, maybe the last: the type may keep the condition for
   * reuse instead (returns TRUE, having taken that reference). */
  gboolean             (*recycle)        (GtaskletWaitCondition *self);
} GtaskletWaitConditionHooks;

/* Whom an armed condition reports to: the engine, on behalf of the waiting tasklet. The
 * condition layer calls these without knowing what a tasklet does with them. */
typedef struct
{
  /* Any thread, with a reference on @waiter held across the call. @generation identifies
   * the arming the event belongs to; @may_run_now is FALSE when the step must not run
   * inside this call whatever the thread (the event arrives at an awkward moment). */
  void          (*fired)       (GtaskletTasklet       *waiter,
                                GtaskletWaitCondition *condition,
                                guint                  generation,
                                gboolean               failed,
                                gboolean               may_run_now);
  /* The waiter's thread: an event reported earlier no longer counts. */
  void          (*unfired)     (GtaskletTasklet       *waiter,
                                GtaskletWaitCondition *condition);
  GMainContext *(*get_context) (GtaskletTasklet       *waiter);
  /* Drops the reference held across fired(), maybe the last (the step that ran inside it
   * finished the tasklet, whose owner had let go). */
  void          (*release)     (GtaskletTasklet       *waiter);
} GtaskletWaiterFuncs;

/* The engine's bookkeeping on a condition of a wait set. It lives in the condition rather
 * than in the tasklet because a condition is in at most one wait set at a time: intrusive
 * links cost no allocation. Touched only on the waiting tasklet's thread. */
typedef struct
{
  /* Link in the tasklet's list of fired, not yet delivered conditions. */
  GtaskletWaitCondition *fired_next;
  guint64                fired_stamp;
  guint                  fired : 1;
  guint                  failed : 1;
  guint                  delivered : 1;
  guint                  in_new_set : 1;
  /* Armed for the tasklet and added again to the next wait set of its running step. */
  guint                  pending : 1;
} GtaskletWaitLink;

typedef struct
{
  /* The arming: written on the waiting tasklet's thread under the condition's lock, read
   * under it from any thread (@waiter also atomically without it). Each arm and disarm
   * starts a new generation, so an event reported for one arming never reaches a later
   * one. */
  const GtaskletWaiterFuncs        *waiter_funcs;
  GtaskletTasklet                  *waiter;
  /* The running tasklet whose next wait set holds the condition, while its step runs;
   * claimed atomically, so two steps cannot both take it. */
  GtaskletTasklet                  *pending_owner;
  guint                             generation;
  /* The arming (generation) for which a report is travelling to the tasklet's thread, or 0:
   * further fires from other threads during that arming add nothing to it, so a thread that
   * fires in a loop cannot flood the tasklet's context with work. Atomic. */
  guint                             posting;
  /* Set by gtasklet_wait_condition_fail() (under the lock) for the current arming. */
  GError                           *failure;
  /* Set at construction when the condition was built without what it needs: arming it then
   * fails the wait instead of waiting forever. */
  GError                           *invalid;
  const GtaskletWaitConditionHooks *hooks;
  GtaskletWaitLink                  link;
} GtaskletWaitConditionPrivate;

/* Set by class_init: the private struct's offset, so the engine reaches it without a call. */
extern int _gtasklet_wait_condition_private_offset;

static inline GtaskletWaitConditionPrivate *
_gtasklet_wait_condition_get_private (GtaskletWaitCondition *self)
{
  return G_STRUCT_MEMBER_P (self, _gtasklet_wait_condition_private_offset);
}

static inline GtaskletWaitLink *
_gtasklet_wait_condition_get_link (GtaskletWaitCondition *self)
{
  return &_gtasklet_wait_condition_get_private (self)->link;
}

static inline const GtaskletWaitConditionHooks *
_gtasklet_wait_condition_get_hooks (GtaskletWaitCondition *self)
{
  return _gtasklet_wait_condition_get_private (self)->hooks;
}

void                  _gtasklet_wait_condition_set_hooks    (GtaskletWaitCondition            *self,
                                                             const GtaskletWaitConditionHooks *hooks);
void                  _gtasklet_wait_condition_set_invalid  (GtaskletWaitCondition            *self,
                                                             const char                       *format,
                                                             ...) G_GNUC_PRINTF (2, 3);
void                  _gtasklet_wait_condition_arm          (GtaskletWaitCondition            *self,
                                                             GtaskletTasklet                  *waiter,
                                                             const GtaskletWaiterFuncs        *funcs);
void                  _gtasklet_wait_condition_disarm       (GtaskletWaitCondition            *self);
/* Whether the condition is armed for @waiter (only @waiter's thread changes that, so the
 * answer is stable there); *other is the tasklet it is armed for, or NULL. */
static inline gboolean
_gtasklet_wait_condition_is_armed_by (GtaskletWaitCondition  *self,
                                      GtaskletTasklet        *waiter,
                                      GtaskletTasklet       **other)
{
  *other = g_atomic_pointer_get (&_gtasklet_wait_condition_get_private (self)->waiter);
  return *other == waiter;
}

typedef enum
{
  GTASKLET_CLAIM_NEW,
  GTASKLET_CLAIM_ALREADY,
  GTASKLET_CLAIM_ARMED_ELSEWHERE,
  GTASKLET_CLAIM_PENDING_ELSEWHERE,
} GtaskletClaim;

/* A step adds the condition to @waiter's next wait set; *other names the tasklet that holds
 * it when the claim fails. */
static inline GtaskletClaim
_gtasklet_wait_condition_claim (GtaskletWaitCondition  *self,
                                GtaskletTasklet        *waiter,
                                GtaskletTasklet       **other)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);

  if (!_gtasklet_wait_condition_is_armed_by (self, waiter, other) && *other != NULL)
    return GTASKLET_CLAIM_ARMED_ELSEWHERE;
  if (g_atomic_pointer_compare_and_exchange (&priv->pending_owner, NULL, waiter))
    return GTASKLET_CLAIM_NEW;
  *other = g_atomic_pointer_get (&priv->pending_owner);
  return *other == waiter ? GTASKLET_CLAIM_ALREADY : GTASKLET_CLAIM_PENDING_ELSEWHERE;
}

static inline void
_gtasklet_wait_condition_unclaim (GtaskletWaitCondition *self)
{
  g_atomic_pointer_set (&_gtasklet_wait_condition_get_private (self)->pending_owner, NULL);
}

/* Any thread, about to post the report of arming @generation (never 0: armings are odd) to
 * the tasklet's thread: FALSE when one is already on its way, which will mark the event. */
static inline gboolean
_gtasklet_wait_condition_begin_posting (GtaskletWaitCondition *self,
                                        guint                  generation)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);

  return (guint) g_atomic_int_exchange (&priv->posting, generation) != generation;
}

/* The tasklet's thread, before handling the posted report of arming @generation: a fire
 * from now on is no longer covered by it and posts its own. */
static inline void
_gtasklet_wait_condition_end_posting (GtaskletWaitCondition *self,
                                      guint                  generation)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);

  g_atomic_int_compare_and_exchange (&priv->posting, generation, 0);
}

guint                 _gtasklet_wait_condition_get_generation (GtaskletWaitCondition          *self);
GError               *_gtasklet_wait_condition_take_failure (GtaskletWaitCondition            *self);
void                  _gtasklet_wait_condition_fire_later   (GtaskletWaitCondition            *self);
void                  _gtasklet_wait_condition_unfire       (GtaskletWaitCondition            *self);
void                  _gtasklet_wait_condition_reset        (GtaskletWaitCondition            *self);

extern guint _gtasklet_wait_condition_fired_signal;

G_END_DECLS

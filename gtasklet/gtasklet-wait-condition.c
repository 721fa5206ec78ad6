/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-enum-types.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-thread-private.h"
#include "gtasklet-wait-condition-private.h"

/**
 * GtaskletWaitCondition:
 *
 * Something a [class@Gtasklet.Tasklet] can wait for.
 *
 * A step adds conditions to its wait set with [method@Gtasklet.Tasklet.wait]; when the step
 * returns, gtasklet *arms* each new condition (the [vfunc@Gtasklet.WaitCondition.arm] vfunc
 * starts watching for the event) and *disarms* the conditions of the previous set that are
 * no longer wanted. When the event happens, the implementation calls
 * [method@Gtasklet.WaitCondition.fire]; the tasklet's next step receives the condition as its
 * event, from the main loop.
 *
 * A condition that stays in the wait sets of consecutive steps stays armed: a
 * [class@Gtasklet.WaitForTimeout] waited on again keeps its schedule and so becomes periodic.
 * A condition is in at most one tasklet's wait set at a time.
 *
 * ## Writing a condition
 *
 * Subclass it, start watching in `arm` and stop in `disarm`; call
 * [method@Gtasklet.WaitCondition.fire] when the event happens. Implementations need not chain
 * up: the base class already knows the armed tasklet.
 *
 * ```c
 * static void
 * my_condition_arm (GtaskletWaitCondition *cond,
 *                   GtaskletTasklet       *tasklet)
 * {
 *   MyCondition *self = MY_CONDITION (cond);
 *
 *   self->handler = g_signal_connect_swapped (self->device, "ready",
 *                                             G_CALLBACK (gtasklet_wait_condition_fire),
 *                                             cond);
 * }
 *
 * static void
 * my_condition_disarm (GtaskletWaitCondition *cond)
 * {
 *   MyCondition *self = MY_CONDITION (cond);
 *
 *   g_clear_signal_handler (&self->handler, self->device);
 * }
 * ```
 *
 * If the event has already happened when the condition is armed, `arm` may call
 * [method@Gtasklet.WaitCondition.fire] at once.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitConditionClass:
 * @parent_class: the parent class
 * @arm: starts watching for the event on behalf of @tasklet
 * @disarm: stops watching
 *
 * The class structure of [class@Gtasklet.WaitCondition].
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitConditionClass::arm:
 * @self: the condition
 * @tasklet: the tasklet that waits for it
 *
 * Starts watching for the event. Called when a step that added @self to its wait set returns,
 * unless @self was already armed for @tasklet. Main-loop sources should be attached to
 * [method@Gtasklet.WaitCondition.get_context].
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitConditionClass::disarm:
 * @self: the condition
 *
 * Stops watching for the event: the tasklet no longer waits for it, or finished.
 *
 * Since: 1.0
 */

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GtaskletWaitCondition, gtasklet_wait_condition, G_TYPE_OBJECT)

enum {
  FIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

int _gtasklet_wait_condition_private_offset;

static void
gtasklet_wait_condition_real_arm (GtaskletWaitCondition *self,
                                  GtaskletTasklet       *tasklet)
{
}

static void
gtasklet_wait_condition_real_disarm (GtaskletWaitCondition *self)
{
}

static void
gtasklet_wait_condition_dispose (GObject *object)
{
  GtaskletWaitCondition *self = GTASKLET_WAIT_CONDITION (object);
  GtaskletWaitConditionPrivate *priv = gtasklet_wait_condition_get_instance_private (self);

  /* An armed condition is referenced by its tasklet's wait set, so this only runs on an
   * unarmed one; keep the invariant visible. */
  g_assert (priv->tasklet == NULL);

  G_OBJECT_CLASS (gtasklet_wait_condition_parent_class)->dispose (object);
}

static void
gtasklet_wait_condition_class_init (GtaskletWaitConditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gtasklet_wait_condition_dispose;

  _gtasklet_wait_condition_private_offset = GtaskletWaitCondition_private_offset;

  klass->arm = gtasklet_wait_condition_real_arm;
  klass->disarm = gtasklet_wait_condition_real_disarm;

  /**
   * GtaskletWaitCondition::fired:
   * @self: the condition
   *
   * Emitted when the condition fires, on the thread that called
   * [method@Gtasklet.WaitCondition.fire], just before the waiting tasklet is told (its step
   * may then run at once, see [method@Gtasklet.WaitCondition.fire]).
   *
   * Since: 1.0
   */
  /* No class closure and no emission hooks: GLib then emits to an instance that never had a
   * handler through a fast path, and this signal is emitted on every fire. */
  signals[FIRED] =
    g_signal_new ("fired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_NO_HOOKS,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
gtasklet_wait_condition_init (GtaskletWaitCondition *self)
{
}

void
_gtasklet_wait_condition_arm (GtaskletWaitCondition *self,
                              GtaskletTasklet       *tasklet)
{
  GtaskletWaitConditionPrivate *priv = gtasklet_wait_condition_get_instance_private (self);

  g_assert (priv->tasklet == NULL);

  priv->tasklet = tasklet;
  GTASKLET_WAIT_CONDITION_GET_CLASS (self)->arm (self, tasklet);
}

void
_gtasklet_wait_condition_disarm (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv = gtasklet_wait_condition_get_instance_private (self);

  g_assert (priv->tasklet != NULL);

  GTASKLET_WAIT_CONDITION_GET_CLASS (self)->disarm (self);
  priv->tasklet = NULL;
}

/* Fires without ever running the step inside the call, for events that arrive at awkward
 * moments (an object's finalization): marking the engine busy makes the tasklet queue. */
void
_gtasklet_wait_condition_fire_queued (GtaskletWaitCondition *self)
{
  _gtasklet_thread_get ()->engine_depth++;
  gtasklet_wait_condition_fire (self);
  _gtasklet_thread_get ()->engine_depth--;
}

/* Takes back a fire that was not delivered yet (a timeout restarted before its tasklet ran). */
void
_gtasklet_wait_condition_unfire (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv = gtasklet_wait_condition_get_instance_private (self);

  if (priv->tasklet != NULL)
    _gtasklet_tasklet_condition_unfired (priv->tasklet, self);
}

/**
 * gtasklet_wait_condition_fire:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * Tells the waiting tasklet that the event happened.
 *
 * Implementations call this from their event callback. The tasklet's next step receives
 * @self as its event. Called from a main-loop callback on the tasklet's own thread, outside any
 * step, the step runs right away inside this call (so the condition's source priority is the
 * step's priority); called from within a step (or any other gtasklet machinery) the tasklet is
 * queued and its step runs from the main loop afterwards, never nested. Called from another
 * thread, the event is handed to the tasklet's thread. Firing a condition that is not armed
 * does nothing but emit [signal@Gtasklet.WaitCondition::fired]. Firing twice before the
 * tasklet runs delivers the event once.
 *
 * Since: 1.0
 */
void
gtasklet_wait_condition_fire (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_CONDITION (self));

  priv = gtasklet_wait_condition_get_instance_private (self);

  /* Emit first: the step that may run from the next call can drop the last reference to
   * us, so nothing may touch the condition after it. */
  g_signal_emit (self, signals[FIRED], 0);
  if (priv->tasklet != NULL)
    _gtasklet_tasklet_condition_fired (priv->tasklet, self);
}

/**
 * gtasklet_wait_condition_get_tasklet:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * The tasklet this condition is armed for.
 *
 * Returns: (transfer none) (nullable): the waiting tasklet, or %NULL when not armed
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_wait_condition_get_tasklet (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), NULL);

  priv = gtasklet_wait_condition_get_instance_private (self);
  return priv->tasklet;
}

/**
 * gtasklet_wait_condition_is_armed:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * Whether the condition is armed, that is in the wait set of a suspended or running tasklet.
 *
 * Returns: %TRUE if armed
 *
 * Since: 1.0
 */
gboolean
gtasklet_wait_condition_is_armed (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), FALSE);

  priv = gtasklet_wait_condition_get_instance_private (self);
  return priv->tasklet != NULL;
}

/**
 * gtasklet_wait_condition_get_context:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * The main context of the tasklet this condition is armed for: where implementations attach
 * their main-loop sources.
 *
 * Returns: (transfer none) (nullable): the context, or %NULL when not armed
 *
 * Since: 1.0
 */
GMainContext *
gtasklet_wait_condition_get_context (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), NULL);

  priv = gtasklet_wait_condition_get_instance_private (self);
  if (priv->tasklet == NULL)
    return NULL;
  return gtasklet_tasklet_get_context (priv->tasklet);
}

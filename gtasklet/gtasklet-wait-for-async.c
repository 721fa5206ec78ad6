/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-condition-private.h"

#include "gtasklet-wait-for-async.h"

/**
 * GtaskletWaitForAsync:
 *
 * Waits for any GIO-style asynchronous operation to complete.
 *
 * Pass `gtasklet_wait_for_async_callback()` as the `GAsyncReadyCallback` of an `_async` call
 * and the condition as its user data, wait on the condition, and in the step it wakes call the
 * matching `_finish` with [method@Gtasklet.WaitForAsync.get_result]. Pass the tasklet's
 * cancellable to the call, so that cancelling the tasklet cancels the operation too.
 *
 * ```c
 * // step 1
 * g_file_load_contents_async (file,
 *                             gtasklet_tasklet_get_cancellable (tasklet),
 *                             gtasklet_wait_for_async_callback,
 *                             self->load);
 * gtasklet_tasklet_wait (tasklet, self->load);
 * return TRUE;
 *
 * // step 2, event == self->load
 * if (!g_file_load_contents_finish (file,
 *                                   gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (self->load)),
 *                                   &contents, &length, NULL, error))
 *   return FALSE;
 * ```
 *
 * From a binding, where a C function cannot be passed as the callback, call
 * [method@Gtasklet.WaitForAsync.complete] from the language's own callback.
 *
 * Once a step has waited on it (or reset it), the condition stays alive until the operation
 * completes, even if the tasklet stops waiting for it, fails, finishes or is cancelled
 * meanwhile: the operation's callback holds a plain pointer to it, and a late completion is
 * then simply dropped. (Keep your own reference until then if you start an operation with it
 * and may not wait on it.) A completed condition fires at once each time it is armed; use
 * [method@Gtasklet.WaitForAsync.reset] to reuse it for another operation.
 *
 * The completion may come on any thread; [method@Gtasklet.WaitCondition.fire] hands it to
 * the tasklet's.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForAsyncClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForAsync]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  GAsyncResult *result;
  GObject      *source_object;
  /* Held from the moment a step waits on the condition (or resets it while armed, to reuse a
   * kept condition for the next operation) until completion: the operation's callback
   * carries a plain pointer to us, which must stay valid even if every other reference goes
   * away meanwhile (the step fails and its wait set is abandoned, say). */
  gboolean      holds_self;
} GtaskletWaitForAsyncPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForAsync, gtasklet_wait_for_async,
                            GTASKLET_TYPE_WAIT_CONDITION)

static void
hold_until_complete (GtaskletWaitForAsync *self)
{
  GtaskletWaitForAsyncPrivate *priv = gtasklet_wait_for_async_get_instance_private (self);

  if (!priv->holds_self)
    {
      g_object_ref (self);
      priv->holds_self = TRUE;
    }
}

static void
gtasklet_wait_for_async_arm (GtaskletWaitCondition *condition,
                             GtaskletTasklet       *tasklet)
{
  GtaskletWaitForAsync *self = GTASKLET_WAIT_FOR_ASYNC (condition);
  GtaskletWaitForAsyncPrivate *priv = gtasklet_wait_for_async_get_instance_private (self);

  if (priv->result != NULL)
    {
      gtasklet_wait_condition_fire (condition);
      return;
    }
  hold_until_complete (self);
}

/* A step waits on it: an operation is (about to be) in flight with a pointer to us. */
static void
gtasklet_wait_for_async_added (GtaskletWaitCondition *condition)
{
  GtaskletWaitForAsync *self = GTASKLET_WAIT_FOR_ASYNC (condition);
  GtaskletWaitForAsyncPrivate *priv = gtasklet_wait_for_async_get_instance_private (self);

  if (priv->result == NULL)
    hold_until_complete (self);
}

static void
gtasklet_wait_for_async_dispose (GObject *object)
{
  GtaskletWaitForAsync *self = GTASKLET_WAIT_FOR_ASYNC (object);
  GtaskletWaitForAsyncPrivate *priv = gtasklet_wait_for_async_get_instance_private (self);

  g_clear_object (&priv->result);
  g_clear_object (&priv->source_object);

  G_OBJECT_CLASS (gtasklet_wait_for_async_parent_class)->dispose (object);
}

static char *
gtasklet_wait_for_async_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForAsyncPrivate *priv =
    gtasklet_wait_for_async_get_instance_private (GTASKLET_WAIT_FOR_ASYNC (condition));

  if (priv->result == NULL)
    return g_strdup ("async operation, pending");
  if (priv->source_object != NULL)
    return g_strdup_printf ("async operation on %s %p, completed",
                            G_OBJECT_TYPE_NAME (priv->source_object), priv->source_object);
  return g_strdup ("async operation, completed");
}

static void
gtasklet_wait_for_async_class_init (GtaskletWaitForAsyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->dispose = gtasklet_wait_for_async_dispose;
  condition_class->arm = gtasklet_wait_for_async_arm;
  condition_class->describe = gtasklet_wait_for_async_describe;
}

static gboolean
gtasklet_wait_for_async_is_done (GtaskletWaitCondition *condition)
{
  GtaskletWaitForAsyncPrivate *priv =
    gtasklet_wait_for_async_get_instance_private (GTASKLET_WAIT_FOR_ASYNC (condition));

  return priv->result != NULL;
}

static const GtaskletWaitConditionHooks async_hooks = {
  .is_done = gtasklet_wait_for_async_is_done,
  .added = gtasklet_wait_for_async_added,
};

static void
gtasklet_wait_for_async_init (GtaskletWaitForAsync *self)
{
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &async_hooks);
}

/**
 * gtasklet_wait_for_async_new:
 *
 * Creates a condition for one asynchronous operation.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForAsync]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_async_new (void)
{
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_ASYNC, NULL);
}

/**
 * gtasklet_wait_for_async_callback: (skip)
 * @source_object: (nullable): the operation's source object
 * @result: the operation's result
 * @user_data: a [class@Gtasklet.WaitForAsync]
 *
 * A `GAsyncReadyCallback` that completes the [class@Gtasklet.WaitForAsync] given as
 * @user_data.
 *
 * For C: bindings cannot pass a C function with an object as its user data (PyGObject
 * refuses the pointer), so they do not see this one; they complete the condition with
 * [method@Gtasklet.WaitForAsync.complete] from a callback of their own.
 *
 * This function is thread-safe: the completion is handed to the thread of the waiting tasklet.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_async_callback (GObject      *source_object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_return_if_fail (GTASKLET_IS_WAIT_FOR_ASYNC (user_data));

  gtasklet_wait_for_async_complete (user_data, source_object, result);
}

/**
 * gtasklet_wait_for_async_complete:
 * @self: a [class@Gtasklet.WaitForAsync]
 * @source_object: (nullable): the operation's source object
 * @result: the operation's result
 *
 * Records the result of the operation and fires the condition if a tasklet waits for it.
 *
 * This function is thread-safe: the completion is handed to the thread of the waiting tasklet.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_async_complete (GtaskletWaitForAsync *self,
                                  GObject              *source_object,
                                  GAsyncResult         *result)
{
  GtaskletWaitForAsyncPrivate *priv;
  gboolean held;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_ASYNC (self));
  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));
  g_return_if_fail (G_IS_ASYNC_RESULT (result));

  priv = gtasklet_wait_for_async_get_instance_private (self);
  g_set_object (&priv->result, result);
  g_set_object (&priv->source_object, source_object);

  held = priv->holds_self;
  priv->holds_self = FALSE;

  if (gtasklet_wait_condition_is_armed (GTASKLET_WAIT_CONDITION (self)))
    gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (self));

  if (held)
    g_object_unref (self);
}

/**
 * gtasklet_wait_for_async_get_result:
 * @self: a [class@Gtasklet.WaitForAsync]
 *
 * The result to pass to the operation's `_finish` function.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the result, or %NULL before completion
 *
 * Since: 1.0
 */
GAsyncResult *
gtasklet_wait_for_async_get_result (GtaskletWaitForAsync *self)
{
  GtaskletWaitForAsyncPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_ASYNC (self), NULL);

  priv = gtasklet_wait_for_async_get_instance_private (self);
  return priv->result;
}

/**
 * gtasklet_wait_for_async_get_source_object:
 * @self: a [class@Gtasklet.WaitForAsync]
 *
 * The source object the operation completed with.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the source object, or %NULL
 *
 * Since: 1.0
 */
GObject *
gtasklet_wait_for_async_get_source_object (GtaskletWaitForAsync *self)
{
  GtaskletWaitForAsyncPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_ASYNC (self), NULL);

  priv = gtasklet_wait_for_async_get_instance_private (self);
  return priv->source_object;
}

/**
 * gtasklet_wait_for_async_is_complete:
 * @self: a [class@Gtasklet.WaitForAsync]
 *
 * Whether the operation has completed.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: %TRUE once a result was recorded
 *
 * Since: 1.0
 */
gboolean
gtasklet_wait_for_async_is_complete (GtaskletWaitForAsync *self)
{
  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_ASYNC (self), FALSE);

  return gtasklet_wait_for_async_get_result (self) != NULL;
}

/**
 * gtasklet_wait_for_async_reset:
 * @self: a [class@Gtasklet.WaitForAsync]
 *
 * Forgets the previous result, to use the condition for another operation. Call it before
 * starting that operation.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_async_reset (GtaskletWaitForAsync *self)
{
  GtaskletWaitForAsyncPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_ASYNC (self));

  priv = gtasklet_wait_for_async_get_instance_private (self);
  g_clear_object (&priv->result);
  g_clear_object (&priv->source_object);

  /* Reset while armed: the step is starting the next operation on a condition it keeps
   * waiting on, so arm() will not run again. */
  if (gtasklet_wait_condition_is_armed (GTASKLET_WAIT_CONDITION (self)))
    hold_until_complete (self);
}

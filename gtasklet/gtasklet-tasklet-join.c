/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-tasklet-private.h"

/* Joining a tasklet from GIO code: a GTask completed by a finish watch. The join's own
 * cancellable completes the GTask early without touching the tasklet. */

typedef struct
{
  GtaskletFinishWatch  watch;
  GTask               *task;
  GCancellable        *cancellable;
  gulong               cancelled_handler;
  /* Set by whoever returns the task first: the finish watch or the join's cancellable. */
  int                  returned;
} Join;

static void
join_return_finished (GTask           *task,
                      GtaskletTasklet *tasklet)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);

  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_pointer (task, (gpointer) gtasklet_tasklet_get_result (tasklet), NULL);
}

/* May run on any thread, inside the cancellable's emission: it only returns the task; the
 * watch stays linked until the tasklet finishes, which frees the join. */
static void
on_join_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  Join *join = data;

  if (g_atomic_int_compare_and_exchange (&join->returned, FALSE, TRUE))
    g_task_return_error_if_cancelled (join->task);
}

static void
on_tasklet_finished (GtaskletFinishWatch *watch,
                     GtaskletTasklet     *tasklet)
{
  Join *join = (Join *) watch;

  if (join->cancelled_handler != 0)
    g_cancellable_disconnect (join->cancellable, join->cancelled_handler);
  if (g_atomic_int_compare_and_exchange (&join->returned, FALSE, TRUE))
    join_return_finished (join->task, tasklet);

  g_clear_object (&join->cancellable);
  g_clear_object (&join->task);
  g_free (join);
}

/**
 * gtasklet_tasklet_join_async:
 * @self: a [class@Gtasklet.Tasklet]
 * @cancellable: (nullable): cancels the join (not the tasklet)
 * @callback: (scope async) (closure user_data): called when the tasklet has finished
 * @user_data: data for @callback
 *
 * Waits for the tasklet to finish, the GIO way: @callback runs in the thread-default main
 * context of the caller once the tasklet has finished (from the main loop, even if it already
 * has). Call [method@Gtasklet.Tasklet.join_finish] there for its result or error.
 *
 * Cancelling @cancellable completes the join with `G_IO_ERROR_CANCELLED` and leaves the
 * tasklet running; to stop the tasklet, use [method@Gtasklet.Tasklet.cancel]. The result's
 * source object is the tasklet. Call this on the thread that runs the tasklet.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_join_async (GtaskletTasklet     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  Join *join;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gtasklet_tasklet_join_async);
  g_task_set_name (task, "[gtasklet] join");

  if (gtasklet_tasklet_get_state (self) == GTASKLET_STATE_FINISHED)
    {
      join_return_finished (task, self);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  join = g_new0 (Join, 1);
  join->watch.notify = on_tasklet_finished;
  join->task = g_steal_pointer (&task);
  if (!_gtasklet_tasklet_add_finish_watch (self, &join->watch))
    g_assert_not_reached ();

  if (cancellable != NULL)
    {
      join->cancellable = g_object_ref (cancellable);
      join->cancelled_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (on_join_cancelled),
                                                       join, NULL);
    }
}

/**
 * gtasklet_tasklet_join_finish:
 * @self: a [class@Gtasklet.Tasklet]
 * @result: the `GAsyncResult` given to the callback
 * @error: return location for the tasklet's error, or `G_IO_ERROR_CANCELLED`
 *
 * Finishes [method@Gtasklet.Tasklet.join_async].
 *
 * Returns: (transfer none) (nullable): the tasklet's result (owned by the tasklet, valid
 *   while it lives; %NULL if it finished without one), or %NULL with @error set
 *
 * Since: 1.0
 */
const GValue *
gtasklet_tasklet_join_finish (GtaskletTasklet  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gtasklet_tasklet_join_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A tasklet run as the body of a GTask. */
typedef struct
{
  GtaskletFinishWatch  watch;
  GTask               *task;
  GCancellable        *cancellable;
  gulong               cancelled_handler;
  GtaskletTasklet     *tasklet;
} TaskBody;

static void
on_task_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  TaskBody *body = data;

  /* Thread-safe: this only cancels the tasklet's own cancellable, which posts the work to the
   * tasklet's thread. */
  gtasklet_tasklet_cancel (body->tasklet);
}

static void
on_body_finished (GtaskletFinishWatch *watch,
                  GtaskletTasklet     *tasklet)
{
  TaskBody *body = (TaskBody *) watch;
  const GError *error = gtasklet_tasklet_get_error (tasklet);
  const GValue *result = gtasklet_tasklet_get_result (tasklet);

  if (body->cancelled_handler != 0)
    g_cancellable_disconnect (body->cancellable, body->cancelled_handler);

  if (error != NULL)
    g_task_return_error (body->task, g_error_copy (error));
  else if (result != NULL)
    g_task_return_value (body->task, (GValue *) result);
  else
    g_task_return_value (body->task, NULL);

  g_clear_object (&body->cancellable);
  g_clear_object (&body->task);
  g_clear_object (&body->tasklet);
  g_free (body);
}

/**
 * gtasklet_tasklet_start_with_task:
 * @self: a [class@Gtasklet.Tasklet] that has not started
 * @task: the `GTask` of a GIO-style asynchronous operation
 *
 * Starts @self as the body of @task: when the tasklet finishes, @task returns its result
 * (`g_task_return_value()`) or its error, and cancelling the task's cancellable cancels the
 * tasklet. This is how a library implements a `foo_async()` / `foo_finish()` pair with a
 * tasklet inside:
 *
 * ```c
 * void
 * foo_async (Foo *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
 * {
 *   g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
 *   g_autoptr (GtaskletTasklet) body = gtasklet_tasklet_new (foo_step, foo_state_new (self),
 *                                                            foo_state_free);
 *
 *   g_task_set_source_tag (task, foo_async);
 *   gtasklet_tasklet_start_with_task (body, task);
 * }
 *
 * char *
 * foo_finish (Foo *self, GAsyncResult *result, GError **error)
 * {
 *   g_auto (GValue) value = G_VALUE_INIT;
 *
 *   g_return_val_if_fail (g_task_is_valid (result, self), NULL);
 *   if (!g_task_propagate_value (G_TASK (result), &value, error))
 *     return NULL;
 *   return g_value_dup_string (&value);
 * }
 * ```
 *
 * The tasklet uses the task's cancellable as its own when it has none, so the GIO calls it
 * makes with [method@Gtasklet.Tasklet.get_cancellable] are cancelled with the task. The
 * task keeps a reference until it returns; the callback runs from the main loop, never
 * inside this call.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_start_with_task (GtaskletTasklet *self,
                                  GTask           *task)
{
  GCancellable *cancellable;
  TaskBody *body;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (gtasklet_tasklet_get_state (self) == GTASKLET_STATE_NEW);

  body = g_new0 (TaskBody, 1);
  body->watch.notify = on_body_finished;
  body->task = g_object_ref (task);
  body->tasklet = g_object_ref (self);

  cancellable = g_task_get_cancellable (task);
  if (cancellable != NULL && !_gtasklet_tasklet_adopt_cancellable (self, cancellable))
    {
      body->cancellable = g_object_ref (cancellable);
      body->cancelled_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_task_cancelled),
                                                       body, NULL);
    }

  if (!_gtasklet_tasklet_add_finish_watch (self, &body->watch))
    g_assert_not_reached ();
  gtasklet_tasklet_start (self);
}

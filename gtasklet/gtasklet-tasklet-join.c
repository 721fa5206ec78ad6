/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"
#include "gtasklet-tasklet-private.h"

/* Joining a tasklet from GIO code. A join is a finish watch on the tasklet, completed through
 * an idle in the joiner's context. It holds no reference on the tasklet (a joined tasklet
 * that is never started must still be able to go away), and its own GAsyncResult is made only
 * when it completes, with the tasklet as source object then. */

#define GTASKLET_TYPE_JOIN_RESULT (gtasklet_join_result_get_type ())
G_DECLARE_FINAL_TYPE (GtaskletJoinResult, gtasklet_join_result, GTASKLET, JOIN_RESULT, GObject)

struct _GtaskletJoinResult
{
  GObject          parent_instance;
  GtaskletTasklet *tasklet;
  gpointer         user_data;
  /* Owned by the tasklet, which this result keeps alive. */
  const GValue    *value;
  GError          *error;
};

static gpointer
join_result_get_user_data (GAsyncResult *result)
{
  return GTASKLET_JOIN_RESULT (result)->user_data;
}

static GObject *
join_result_get_source_object (GAsyncResult *result)
{
  return g_object_ref (G_OBJECT (GTASKLET_JOIN_RESULT (result)->tasklet));
}

static gboolean
join_result_is_tagged (GAsyncResult *result,
                       gpointer      source_tag)
{
  return source_tag == gtasklet_tasklet_join_async;
}

static void
join_result_iface_init (GAsyncResultIface *iface)
{
  iface->get_user_data = join_result_get_user_data;
  iface->get_source_object = join_result_get_source_object;
  iface->is_tagged = join_result_is_tagged;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (GtaskletJoinResult, gtasklet_join_result, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_RESULT, join_result_iface_init))

static void
gtasklet_join_result_finalize (GObject *object)
{
  GtaskletJoinResult *self = GTASKLET_JOIN_RESULT (object);

  g_clear_error (&self->error);
  g_clear_object (&self->tasklet);

  G_OBJECT_CLASS (gtasklet_join_result_parent_class)->finalize (object);
}

static void
gtasklet_join_result_class_init (GtaskletJoinResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gtasklet_join_result_finalize;
}

static void
gtasklet_join_result_init (GtaskletJoinResult *self)
{
}

typedef struct
{
  GtaskletFinishWatch  watch;
  GtaskletTasklet     *tasklet;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
  GMainContext        *context;
  GCancellable        *cancellable;
  gulong               cancelled_handler;
  /* Set by whoever completes the join first: the tasklet's end, or the join's cancellable. */
  int                  completed;
  GtaskletJoinResult  *result;
  /* Atomic: one reference for the completion's idle, one for gtasklet_tasklet_join_async()
   * until it returns. Once the watch is linked, the tasklet may finish on another thread and
   * the idle run in a context that thread runs (the global default, for a caller without a
   * thread-default context) before join_async() has connected to the cancellable: freed
   * there, the join would then be written after its free and its handler left connected. */
  int                  ref_count;
} Join;

static void
join_unref (gpointer data)
{
  Join *join = data;

  if (!g_atomic_int_dec_and_test (&join->ref_count))
    return;

  /* Not from inside the cancellable's emission: this runs from the completion's idle, or at
   * the end of join_async(). */
  if (join->cancelled_handler != 0)
    g_cancellable_disconnect (join->cancellable, join->cancelled_handler);
  g_clear_object (&join->cancellable);
  g_clear_object (&join->result);
  g_main_context_unref (join->context);
  g_free (join);
}

static gboolean
join_deliver (gpointer data)
{
  Join *join = data;

  /* As GTask does: the callback runs with its context as the thread-default, so what it
   * starts lands there too. */
  g_main_context_push_thread_default (join->context);
  join->callback (G_OBJECT (join->result->tasklet), G_ASYNC_RESULT (join->result),
                  join->user_data);
  g_main_context_pop_thread_default (join->context);
  return G_SOURCE_REMOVE;
}

/* Completes the join with @tasklet (a reference is taken) and @error (taken), from the
 * joiner's context, never inside the caller. */
static void
join_complete (Join            *join,
               GtaskletTasklet *tasklet,
               GError          *error)
{
  GtaskletJoinResult *result = g_object_new (GTASKLET_TYPE_JOIN_RESULT, NULL);
  GSource *source = g_idle_source_new ();
  GMainContext *context;

  result->tasklet = g_object_ref (tasklet);
  result->user_data = join->user_data;
  result->error = error;
  if (error == NULL)
    result->value = gtasklet_tasklet_get_result (tasklet);
  join->result = result;

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[gtasklet] join");
  /* If the joiner's context goes away first, the join is freed with the idle. */
  g_source_set_callback (source, join_deliver, join, join_unref);
  /* The joiner's thread may run the idle, free the join (and its reference on the context)
   * and drop the context before this thread lets go of the source: hold the context until
   * then, or the unref would lock a freed context. */
  context = g_main_context_ref (join->context);
  g_source_attach (source, context);
  g_source_unref (source);
  g_main_context_unref (context);
}

static void
join_complete_finished (Join            *join,
                        GtaskletTasklet *tasklet)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);

  join_complete (join, tasklet, error != NULL ? g_error_copy (error) : NULL);
}

/* On the finishing tasklet's thread (or in the dispose of a tasklet never started). */
static void
on_tasklet_finished (GtaskletFinishWatch *watch,
                     GtaskletTasklet     *tasklet)
{
  Join *join = (Join *) watch;

  if (g_atomic_int_compare_and_exchange (&join->completed, FALSE, TRUE))
    join_complete_finished (join, tasklet);
}

/* Any thread, inside the cancellable's emission. The join is ours to complete only if the
 * tasklet has not taken its watch yet; unlinking it under the tasklet's lock also proves the
 * tasklet is still there to reference. */
static void
on_join_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  Join *join = data;
  GtaskletTasklet *tasklet = _gtasklet_tasklet_remove_finish_watch_ref (join->tasklet, &join->watch);

  if (tasklet == NULL)
    return;
  if (g_atomic_int_compare_and_exchange (&join->completed, FALSE, TRUE))
    join_complete (join, tasklet,
                   g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Join was cancelled"));
  g_object_unref (tasklet);
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
 * source object is the tasklet. A tasklet dropped without ever being started completes its
 * joins with %GTASKLET_ERROR_NOT_STARTED.
 *
 * This function is thread-safe: the tasklet may run on another thread.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_join_async (GtaskletTasklet     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Join *join;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (callback != NULL);

  join = g_new0 (Join, 1);
  join->ref_count = 2;
  _gtasklet_finish_watch_set_notify (&join->watch, on_tasklet_finished);
  join->tasklet = self;
  join->callback = callback;
  join->user_data = user_data;
  join->context = g_main_context_ref_thread_default ();

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      join->completed = TRUE;
      join_complete (join, self,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Join was cancelled"));
      join_unref (join);
      return;
    }

  if (!_gtasklet_tasklet_add_finish_watch (self, &join->watch))
    {
      join->completed = TRUE;
      join_complete_finished (join, self);
      join_unref (join);
      return;
    }

  /* The watch may already have fired on the tasklet's thread, and the completion's idle run
   * on another: this call's reference keeps the join until the handler is connected, and the
   * last reference disconnects it. */
  if (cancellable != NULL)
    {
      join->cancellable = g_object_ref (cancellable);
      join->cancelled_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (on_join_cancelled),
                                                       join, NULL);
    }
  join_unref (join);
}

/**
 * gtasklet_tasklet_join_finish:
 * @self: a [class@Gtasklet.Tasklet]
 * @result: the `GAsyncResult` given to the callback
 * @error: return location for the tasklet's error, or `G_IO_ERROR_CANCELLED`
 *
 * Finishes [method@Gtasklet.Tasklet.join_async].
 *
 * The value belongs to the tasklet and stays valid while the tasklet lives. The join's
 * @result holds the tasklet until the callback returns; after that, a tasklet that nothing
 * else references is gone, and the value with it. To keep the result longer, copy it, or
 * call [method@Gtasklet.Tasklet.join_finish_dup] instead.
 *
 * Language bindings own what they get: GJS and Python convert the value while @result is
 * alive (the Python override copies boxed values, which PyGObject would otherwise wrap
 * without copying), and Vala's `yield tasklet.join_async (null)` finishes with
 * [method@Gtasklet.Tasklet.join_finish_dup], giving an owned `Value?`.
 *
 * This function is thread-safe: it only reads the completed @result.
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
  GtaskletJoinResult *join;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);
  g_return_val_if_fail (GTASKLET_IS_JOIN_RESULT (result), NULL);

  join = GTASKLET_JOIN_RESULT (result);
  if (join->tasklet != self)
    {
      g_critical ("gtasklet_tasklet_join_finish(): the result given is that of joining %s %p, "
                  "not %s %p: call join_finish on the tasklet that join_async was called on",
                  G_OBJECT_TYPE_NAME (join->tasklet), join->tasklet,
                  G_OBJECT_TYPE_NAME (self), self);
      return NULL;
    }

  if (join->error != NULL)
    {
      g_propagate_error (error, g_error_copy (join->error));
      return NULL;
    }
  return join->value;
}

/**
 * gtasklet_tasklet_join_finish_dup: (skip)
 * @self: a [class@Gtasklet.Tasklet]
 * @result: the `GAsyncResult` given to the callback
 * @error: return location for the tasklet's error, or `G_IO_ERROR_CANCELLED`
 *
 * Finishes [method@Gtasklet.Tasklet.join_async] as [method@Gtasklet.Tasklet.join_finish]
 * does, but returns a copy of the tasklet's result, which stays valid after the tasklet is
 * gone:
 *
 * ```c
 * GValue *value = gtasklet_tasklet_join_finish_dup (tasklet, result, &error);
 * ...
 * if (value != NULL)
 *   g_boxed_free (G_TYPE_VALUE, value);
 * ```
 *
 * This is the finish function of Vala's `async` [method@Gtasklet.Tasklet.join_async] (the
 * VAPI pairs them), so `var value = yield tasklet.join_async (null);` owns its `Value?`.
 * GJS and Python call [method@Gtasklet.Tasklet.join_finish] instead: PyGObject 3.42
 * never frees a `GValue` returned with `(transfer full)`, which is why this function is not
 * introspectable.
 *
 * This function is thread-safe: it only reads the completed @result.
 *
 * Returns: (transfer full) (nullable): a copy of the tasklet's result (%NULL if it finished
 *   without one), or %NULL with @error set
 *
 * Since: 1.2
 */
GValue *
gtasklet_tasklet_join_finish_dup (GtaskletTasklet  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  const GValue *value = gtasklet_tasklet_join_finish (self, result, error);

  return value != NULL ? g_boxed_copy (G_TYPE_VALUE, value) : NULL;
}

static void
run_joined (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(gboolean *) data = TRUE;
}

/**
 * gtasklet_tasklet_run_until_finished:
 * @self: a [class@Gtasklet.Tasklet]
 * @error: return location for the tasklet's error
 *
 * Runs a program's main tasklet: starts @self if it has not been started (in the
 * thread-default main context, as [method@Gtasklet.Tasklet.start] does), then iterates the
 * thread-default main context until @self has finished, and gives its outcome, as Python's
 * `asyncio.run()` does. @self may also be a tasklet started elsewhere, on a
 * [class@Gtasklet.Pool] for instance: this thread's context is iterated meanwhile.
 *
 * ```c
 * int
 * main (void)
 * {
 *   g_autoptr (GtaskletTasklet) app = gtasklet_tasklet_new (app_step, NULL, NULL);
 *   g_autoptr (GError) error = NULL;
 *
 *   if (gtasklet_tasklet_run_until_finished (app, &error) == NULL && error != NULL)
 *     {
 *       g_printerr ("%s\n", error->message);
 *       return 1;
 *     }
 *   return 0;
 * }
 * ```
 *
 * It is for the outside of a program (its `main()`, a test): a step that wants another
 * tasklet's outcome waits for it with a [class@Gtasklet.WaitForTasklet] instead. Called inside
 * a step, this is a programmer error, and that step's tasklet fails.
 *
 * Call it on the thread that runs its thread-default main context (and no main loop runs
 * that context meanwhile).
 *
 * Returns: (nullable) (transfer none): the tasklet's result (%NULL if it finished without
 *   one), owned by the tasklet and valid while it lives; or %NULL with @error set to the
 *   tasklet's error
 *
 * Since: 1.2
 */
const GValue *
gtasklet_tasklet_run_until_finished (GtaskletTasklet  *self,
                                     GError          **error)
{
  GtaskletTasklet *current = gtasklet_tasklet_get_current ();
  g_autoptr (GMainContext) context = NULL;
  gboolean joined = FALSE;
  const GError *failure;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (current != NULL)
    {
      _gtasklet_tasklet_misuse (current, "gtasklet_tasklet_run_until_finished() called inside "
                                "a step of %s %p: a step must not iterate the main context; "
                                "wait with a GtaskletWaitForTasklet instead",
                                G_OBJECT_TYPE_NAME (current), current);
      g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE,
                   "gtasklet_tasklet_run_until_finished() was called inside a step");
      return NULL;
    }

  context = g_main_context_ref_thread_default ();
  if (gtasklet_tasklet_get_state (self) == GTASKLET_STATE_NEW)
    gtasklet_tasklet_start (self);
  /* The join completes in this thread's context, wherever @self runs. */
  gtasklet_tasklet_join_async (self, NULL, run_joined, &joined);
  while (!joined)
    g_main_context_iteration (context, TRUE);

  failure = gtasklet_tasklet_get_error (self);
  if (failure != NULL)
    {
      g_propagate_error (error, g_error_copy (failure));
      return NULL;
    }
  return gtasklet_tasklet_get_result (self);
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

  /* Thread-safe: this only cancels the tasklet's own cancellable, which hands the work to the
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
 * Call it from the thread that runs the thread-default main context, as
 * [method@Gtasklet.Tasklet.start].
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
  if (gtasklet_tasklet_get_state (self) != GTASKLET_STATE_NEW)
    {
      g_critical ("gtasklet_tasklet_start_with_task(): %s %p has already been started; a "
                  "tasklet can be the body of a GTask only from its start",
                  G_OBJECT_TYPE_NAME (self), self);
      return;
    }

  body = g_new0 (TaskBody, 1);
  _gtasklet_finish_watch_set_notify (&body->watch, on_body_finished);
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-condition-private.h"

#include "gtasklet-error.h"
#include "gtasklet-thread-private.h"

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
 * [method@Gtasklet.WaitCondition.fire] at once. If the condition cannot work (it was given
 * nothing to watch, or watching failed), call [method@Gtasklet.WaitCondition.fail] instead:
 * the waiting tasklet then fails with that error rather than waiting forever.
 *
 * [method@Gtasklet.WaitCondition.fire] and [method@Gtasklet.WaitCondition.fail] may be
 * called from any thread; `arm` and `disarm` run on the thread of the waiting tasklet.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitConditionClass:
 * @parent_class: the parent class
 * @arm: starts watching for the event on behalf of @tasklet
 * @disarm: stops watching
 * @describe: says in words what the condition waits for (since 1.2)
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
 * unless @self was already armed for @tasklet, on the thread that runs @tasklet. Main-loop
 * sources should be attached to [method@Gtasklet.WaitCondition.get_context]. An
 * implementation that cannot watch calls [method@Gtasklet.WaitCondition.fail].
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitConditionClass::disarm:
 * @self: the condition
 *
 * Stops watching for the event: the tasklet no longer waits for it, or finished. Runs on the
 * thread that runs the tasklet. An event reported after this (from another thread, say)
 * is ignored.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitConditionClass::describe:
 * @self: the condition
 *
 * Says in a few words what the condition waits for, with the values that tell it apart
 * ("timeout 100 ms, due in 42 ms", "IO fd 5 IN"), for
 * [method@Gtasklet.Tasklet.describe] and debugging tools. The default implementation gives
 * the type name. Runs on the thread that calls [method@Gtasklet.WaitCondition.describe],
 * normally the thread of the waiting tasklet.
 *
 * Returns: (transfer full): a newly allocated string, one line
 *
 * Since: 1.2
 */

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GtaskletWaitCondition, gtasklet_wait_condition, G_TYPE_OBJECT)

enum {
  FIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

int _gtasklet_wait_condition_private_offset;
guint _gtasklet_wait_condition_fired_signal;

static void
gtasklet_wait_condition_real_arm (GtaskletWaitCondition *self,
                                  GtaskletTasklet       *tasklet)
{
}

static void
gtasklet_wait_condition_real_disarm (GtaskletWaitCondition *self)
{
}

static char *
gtasklet_wait_condition_real_describe (GtaskletWaitCondition *self)
{
  return g_strdup (G_OBJECT_TYPE_NAME (self));
}

static void
gtasklet_wait_condition_dispose (GObject *object)
{
  GtaskletWaitCondition *self = GTASKLET_WAIT_CONDITION (object);
  GtaskletWaitConditionPrivate *priv = gtasklet_wait_condition_get_instance_private (self);

  /* An armed condition is referenced by its tasklet's wait set, so this only runs on an
   * unarmed one; keep the invariant visible. */
  g_assert (priv->waiter == NULL);

  G_OBJECT_CLASS (gtasklet_wait_condition_parent_class)->dispose (object);
}

static void
gtasklet_wait_condition_finalize (GObject *object)
{
  GtaskletWaitCondition *self = GTASKLET_WAIT_CONDITION (object);
  GtaskletWaitConditionPrivate *priv = gtasklet_wait_condition_get_instance_private (self);

  g_clear_error (&priv->failure);
  g_clear_error (&priv->invalid);

  G_OBJECT_CLASS (gtasklet_wait_condition_parent_class)->finalize (object);
}

static void
gtasklet_wait_condition_class_init (GtaskletWaitConditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gtasklet_wait_condition_dispose;
  object_class->finalize = gtasklet_wait_condition_finalize;

  _gtasklet_wait_condition_private_offset = GtaskletWaitCondition_private_offset;

  klass->arm = gtasklet_wait_condition_real_arm;
  klass->disarm = gtasklet_wait_condition_real_disarm;
  klass->describe = gtasklet_wait_condition_real_describe;

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
  _gtasklet_wait_condition_fired_signal = signals[FIRED];
}

static void
gtasklet_wait_condition_init (GtaskletWaitCondition *self)
{
}

void
_gtasklet_wait_condition_set_hooks (GtaskletWaitCondition            *self,
                                    const GtaskletWaitConditionHooks *hooks)
{
  _gtasklet_wait_condition_get_private (self)->hooks = hooks;
}

/* For a condition built without what it needs (a programmer error): reports it now, in plain
 * words, and keeps the words for the error that fails whoever waits on it. */
void
_gtasklet_wait_condition_set_invalid (GtaskletWaitCondition *self,
                                      const char            *format,
                                      ...)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_critical ("%s", message);
  if (priv->invalid == NULL)
    priv->invalid = g_error_new_literal (GTASKLET_ERROR, GTASKLET_ERROR_MISUSE, message);
}

/* Back to the state of a new condition, for reuse by its type (see
 * gtasklet-recycle-private.h). The generation keeps counting: a report still travelling for
 * an arming of the previous life must not match a new one. */
void
_gtasklet_wait_condition_reset (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);

  g_assert (priv->waiter == NULL && priv->pending_owner == NULL);
  g_clear_error (&priv->failure);
  g_clear_error (&priv->invalid);
  priv->link = (GtaskletWaitLink) { 0 };
}

/* An event's arming, taken when the event happens: its waiter (with a reference), the
 * waiter's functions and the generation. */
typedef struct
{
  GtaskletTasklet           *waiter;
  const GtaskletWaiterFuncs *funcs;
  guint                      generation;
  gboolean                   failed;
} Report;

static void
condition_capture (GtaskletWaitCondition *self,
                   const GError          *failure,
                   Report                *report)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);

  _gtasklet_lock (lock);
  report->waiter = priv->waiter;
  report->funcs = priv->waiter_funcs;
  report->generation = priv->generation;
  if (report->waiter != NULL)
    {
      g_object_ref (report->waiter);
      if (failure != NULL && priv->failure == NULL)
        priv->failure = g_error_copy (failure);
    }
  report->failed = priv->failure != NULL;
  _gtasklet_unlock (lock);
}

/* Tells the waiter of the captured arming. The reference held across the call keeps the
 * waiter alive: another thread may finish it meanwhile. */
static void
condition_deliver (GtaskletWaitCondition *self,
                   Report                *report,
                   gboolean               may_run_now)
{
  if (report->waiter == NULL)
    return;
  report->funcs->fired (report->waiter, self, report->generation, report->failed, may_run_now);
  report->funcs->release (report->waiter);
}

static void
condition_report (GtaskletWaitCondition *self,
                  const GError          *failure,
                  gboolean               may_run_now)
{
  Report report;

  condition_capture (self, failure, &report);
  condition_deliver (self, &report, may_run_now);
}

void
_gtasklet_wait_condition_arm (GtaskletWaitCondition     *self,
                              GtaskletTasklet           *waiter,
                              const GtaskletWaiterFuncs *funcs)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);

  _gtasklet_lock (lock);
  g_assert (priv->waiter == NULL);
  g_atomic_pointer_set (&priv->waiter, waiter);
  priv->waiter_funcs = funcs;
  priv->generation++;
  g_clear_error (&priv->failure);
  _gtasklet_unlock (lock);

  if G_UNLIKELY (priv->invalid != NULL)
    {
      condition_report (self, priv->invalid, TRUE);
      return;
    }

  GTASKLET_WAIT_CONDITION_GET_CLASS (self)->arm (self, waiter);
}

/* The implementation's disarm runs first, while the condition still knows its context; an
 * event it reports meanwhile is dropped by the engine, and one reported later from another
 * thread carries a generation that no longer matches. */
void
_gtasklet_wait_condition_disarm (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);

  g_assert (priv->waiter != NULL);

  GTASKLET_WAIT_CONDITION_GET_CLASS (self)->disarm (self);

  _gtasklet_lock (lock);
  g_atomic_pointer_set (&priv->waiter, NULL);
  priv->waiter_funcs = NULL;
  priv->generation++;
  g_clear_error (&priv->failure);
  _gtasklet_unlock (lock);
}

/* On the waiting tasklet's thread, which alone changes the generation. */
guint
_gtasklet_wait_condition_get_generation (GtaskletWaitCondition *self)
{
  return _gtasklet_wait_condition_get_private (self)->generation;
}

GError *
_gtasklet_wait_condition_take_failure (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GError *error;

  _gtasklet_lock (lock);
  error = g_steal_pointer (&priv->failure);
  _gtasklet_unlock (lock);
  return error;
}

/* Fires without ever running the step inside the call, for events that arrive at awkward
 * moments (an object's finalization, a cancellable's emission that a disarm would wait
 * for). */
void
_gtasklet_wait_condition_fire_later (GtaskletWaitCondition *self)
{
  Report report;

  condition_capture (self, NULL, &report);
  g_signal_emit (self, signals[FIRED], 0);
  condition_deliver (self, &report, FALSE);
}

/* Takes back a fire that was not delivered yet (a timeout restarted before its tasklet ran).
 * On the waiting tasklet's thread. */
void
_gtasklet_wait_condition_unfire (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv = _gtasklet_wait_condition_get_private (self);
  GtaskletTasklet *waiter = g_atomic_pointer_get (&priv->waiter);

  if (waiter != NULL)
    priv->waiter_funcs->unfired (waiter, self);
}

/**
 * gtasklet_wait_condition_fire:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * Tells the waiting tasklet that the event happened.
 *
 * Implementations call this from their event callback. The tasklet's next step receives
 * @self as its event. When this is called from a main-loop source of the tasklet's own
 * context, outside any step, the step runs right away inside this call (so the condition's
 * source priority is the step's priority), as `g_task_return_*()` completes a task in its own
 * context; otherwise (from within a step, from another context's source, from outside any
 * source, or from another thread) the tasklet is queued and its step runs from its own
 * context afterwards, never nested.
 *
 * Firing a condition that is not armed does nothing but emit
 * [signal@Gtasklet.WaitCondition::fired]. Firing twice before the tasklet runs delivers the
 * event once. An event belongs to the arming during which it was fired: it never reaches a
 * later arming of the same condition.
 *
 * This function is thread-safe.
 *
 * Since: 1.0
 */
void
gtasklet_wait_condition_fire (GtaskletWaitCondition *self)
{
  Report report;

  g_return_if_fail (GTASKLET_IS_WAIT_CONDITION (self));

  /* The event belongs to the arming current now, whatever a ::fired handler (or another
   * thread meanwhile) does. Emit before delivering: the step that may run from the delivery
   * can drop the last reference to us. */
  condition_capture (self, NULL, &report);
  g_signal_emit (self, signals[FIRED], 0);
  condition_deliver (self, &report, TRUE);
}

/**
 * gtasklet_wait_condition_fail:
 * @self: a [class@Gtasklet.WaitCondition]
 * @error: why the condition cannot fire
 *
 * Fails the wait: the tasklet whose wait set holds @self fails with a copy of @error instead
 * of waiting for an event that will never come (its next step does not run). Call it from
 * `arm` when the condition cannot watch what it was given, or later when watching breaks.
 *
 * Does nothing when the condition is not armed.
 *
 * This function is thread-safe.
 *
 * Since: 1.2
 */
void
gtasklet_wait_condition_fail (GtaskletWaitCondition *self,
                              const GError          *error)
{
  g_return_if_fail (GTASKLET_IS_WAIT_CONDITION (self));
  g_return_if_fail (error != NULL);

  condition_report (self, error, TRUE);
}

/**
 * gtasklet_wait_condition_describe:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * Says in words what @self waits for, through [vfunc@Gtasklet.WaitCondition.describe]:
 * for example `timeout 100 ms, due in 42 ms` or `messages accept=[ping] defer=[] discard=[*]`.
 * Meant for people and tools, not for parsing: the wording may change.
 *
 * Call it from the thread that runs the waiting tasklet (or any thread while the condition
 * is in no wait set): implementations read state that thread changes.
 *
 * Returns: (transfer full): a newly allocated one-line description
 *
 * Since: 1.2
 */
char *
gtasklet_wait_condition_describe (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionClass *klass;
  char *text;

  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), NULL);

  klass = GTASKLET_WAIT_CONDITION_GET_CLASS (self);
  text = klass->describe != NULL ? klass->describe (self) : NULL;
  /* A binding's implementation may return nothing: say at least what it is. */
  if (text == NULL)
    text = gtasklet_wait_condition_real_describe (self);
  return text;
}

/**
 * gtasklet_wait_condition_get_tasklet:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * The tasklet this condition is armed for.
 *
 * Call it from the thread that runs that tasklet (from another thread the answer may be
 * stale by the time it is used).
 *
 * Returns: (transfer none) (nullable): the waiting tasklet, or %NULL when not armed
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_wait_condition_get_tasklet (GtaskletWaitCondition *self)
{
  GtaskletTasklet *waiter;

  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), NULL);

  _gtasklet_wait_condition_is_armed_by (self, NULL, &waiter);
  return waiter;
}

/**
 * gtasklet_wait_condition_is_armed:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * Whether the condition is armed, that is in the wait set of a suspended or running tasklet.
 *
 * This function is thread-safe (the answer may be stale once another thread changes it).
 *
 * Returns: %TRUE if armed
 *
 * Since: 1.0
 */
gboolean
gtasklet_wait_condition_is_armed (GtaskletWaitCondition *self)
{
  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), FALSE);

  return gtasklet_wait_condition_get_tasklet (self) != NULL;
}

/**
 * gtasklet_wait_condition_get_context:
 * @self: a [class@Gtasklet.WaitCondition]
 *
 * The main context of the tasklet this condition is armed for: where implementations attach
 * their main-loop sources. Call it from `arm` or `disarm`, or from the tasklet's thread.
 *
 * Returns: (transfer none) (nullable): the context, or %NULL when not armed
 *
 * Since: 1.0
 */
GMainContext *
gtasklet_wait_condition_get_context (GtaskletWaitCondition *self)
{
  GtaskletWaitConditionPrivate *priv;
  GtaskletTasklet *waiter;

  g_return_val_if_fail (GTASKLET_IS_WAIT_CONDITION (self), NULL);

  priv = gtasklet_wait_condition_get_instance_private (self);
  waiter = g_atomic_pointer_get (&priv->waiter);
  if (waiter == NULL)
    return NULL;
  return priv->waiter_funcs->get_context (waiter);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-condition-private.h"

#include "gtasklet-error.h"
#include "gtasklet-recycle-private.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-wait-for-tasklet.h"

/**
 * GtaskletWaitForTasklet:
 *
 * Waits for another [class@Gtasklet.Tasklet] to finish (a join).
 *
 * The condition fires when the tasklet finishes, or at once when it is armed if the tasklet
 * has already finished, so a child started inside the parent's step can never be missed.
 * Its result or error is then available from the condition. Several tasklets can join the same
 * tasklet, each with its own condition, and a condition can be waited on again (it fires
 * again at once).
 *
 * ```c
 * g_autoptr (GtaskletWaitCondition) join = gtasklet_wait_for_tasklet_new (child);
 *
 * gtasklet_tasklet_wait (tasklet, join);
 * // next step: event == join
 * const GValue *result = gtasklet_wait_for_tasklet_get_result (GTASKLET_WAIT_FOR_TASKLET (join));
 * ```
 *
 * The tasklet waited for may run on another thread or context: the condition fires on the
 * waiting tasklet's own thread all the same. A tasklet waiting for itself would wait for
 * ever: that is a programmer error (a critical), and the tasklet fails with
 * %GTASKLET_ERROR_MISUSE.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForTaskletClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForTasklet]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  GtaskletTasklet     *tasklet;
  /* Linked into the watched tasklet while armed; that tasklet may finish on another thread. */
  GtaskletFinishWatch  watch;
} GtaskletWaitForTaskletPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForTasklet, gtasklet_wait_for_tasklet,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_TASKLET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* On the finishing tasklet's thread, with a reference on the condition (the watch's owner). */
static void
on_tasklet_finished (GtaskletFinishWatch *watch,
                     GtaskletTasklet     *tasklet)
{
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (watch->owner));
}

static void
gtasklet_wait_for_tasklet_arm (GtaskletWaitCondition *condition,
                               GtaskletTasklet       *waiter)
{
  GtaskletWaitForTasklet *self = GTASKLET_WAIT_FOR_TASKLET (condition);
  GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (self);

  if (priv->tasklet == NULL)
    {
      /* Built (by a binding, say) without its tasklet: waiting would never end. */
      _gtasklet_wait_condition_set_invalid (condition,
                                            "GtaskletWaitForTasklet was given no tasklet to wait "
                                            "for (the \"tasklet\" property)");
      gtasklet_wait_condition_fail (condition,
                                    _gtasklet_wait_condition_get_private (condition)->invalid);
      return;
    }

  if G_UNLIKELY (priv->tasklet == waiter)
    {
      g_autoptr (GError) error = NULL;

      error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_MISUSE,
                           "%s %p waits for itself to finish (a GtaskletWaitForTasklet on its "
                           "own tasklet): that wait could never end",
                           G_OBJECT_TYPE_NAME (waiter), waiter);
      g_critical ("%s", error->message);
      gtasklet_wait_condition_fail (condition, error);
      return;
    }

  if (!_gtasklet_tasklet_add_finish_watch (priv->tasklet, &priv->watch))
    gtasklet_wait_condition_fire (condition);
}

static void
gtasklet_wait_for_tasklet_disarm (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTasklet *self = GTASKLET_WAIT_FOR_TASKLET (condition);
  GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (self);

  /* If the tasklet is finishing right now, its notify may still come: it holds a reference on
   * us and its fire belongs to an arming that is over. */
  if (priv->tasklet != NULL)
    _gtasklet_tasklet_remove_finish_watch (priv->tasklet, &priv->watch);
}

static void
gtasklet_wait_for_tasklet_dispose (GObject *object)
{
  GtaskletWaitForTasklet *self = GTASKLET_WAIT_FOR_TASKLET (object);
  GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (self);

  g_assert (!priv->watch.linked);
  if (priv->tasklet != NULL)
    _gtasklet_tasklet_release (g_steal_pointer (&priv->tasklet));

  G_OBJECT_CLASS (gtasklet_wait_for_tasklet_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_tasklet_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  GtaskletWaitForTasklet *self = GTASKLET_WAIT_FOR_TASKLET (object);

  switch (prop_id)
    {
    case PROP_TASKLET:
      g_value_set_object (value, gtasklet_wait_for_tasklet_get_tasklet (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_tasklet_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  GtaskletWaitForTasklet *self = GTASKLET_WAIT_FOR_TASKLET (object);
  GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TASKLET:
      priv->tasklet = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_tasklet_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTaskletPrivate *priv =
    gtasklet_wait_for_tasklet_get_instance_private (GTASKLET_WAIT_FOR_TASKLET (condition));
  const char *name;

  if (priv->tasklet == NULL)
    return g_strdup ("tasklet (none)");
  /* A name set before the tasklet was shared, as gtasklet_tasklet_set_name() asks. */
  name = gtasklet_tasklet_get_name (priv->tasklet);
  if (name != NULL)
    return g_strdup_printf ("tasklet '%s'", name);
  return g_strdup_printf ("tasklet %s %p", G_OBJECT_TYPE_NAME (priv->tasklet), priv->tasklet);
}

static void
gtasklet_wait_for_tasklet_class_init (GtaskletWaitForTaskletClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->dispose = gtasklet_wait_for_tasklet_dispose;
  object_class->get_property = gtasklet_wait_for_tasklet_get_property;
  object_class->set_property = gtasklet_wait_for_tasklet_set_property;

  condition_class->arm = gtasklet_wait_for_tasklet_arm;
  condition_class->describe = gtasklet_wait_for_tasklet_describe;
  condition_class->disarm = gtasklet_wait_for_tasklet_disarm;

  /**
   * GtaskletWaitForTasklet:tasklet:
   *
   * The tasklet to wait for.
   *
   * Since: 1.0
   */
  properties[PROP_TASKLET] =
    g_param_spec_object ("tasklet", NULL, NULL, GTASKLET_TYPE_TASKLET,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static gboolean
gtasklet_wait_for_tasklet_is_done (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTaskletPrivate *priv =
    gtasklet_wait_for_tasklet_get_instance_private (GTASKLET_WAIT_FOR_TASKLET (condition));

  return priv->tasklet != NULL &&
         gtasklet_tasklet_get_state (priv->tasklet) == GTASKLET_STATE_FINISHED;
}

static void
join_pool_clear (GtaskletThread *thread)
{
  while (thread->join_pool != NULL)
    {
      GtaskletWaitForTasklet *join = thread->join_pool;
      GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (join);

      thread->join_pool = priv->watch.next;
      priv->watch.next = NULL;
      g_object_unref (join);
    }
  thread->join_pool_length = 0;
}

/* A join per spawned tasklet is common: keep the ones nobody else knows for the next
 * gtasklet_wait_for_tasklet_new() on this thread (see gtasklet-recycle-private.h). */
static gboolean
gtasklet_wait_for_tasklet_recycle (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTasklet *self = GTASKLET_WAIT_FOR_TASKLET (condition);
  GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (self);
  GtaskletThread *thread;
  GtaskletTasklet *tasklet;

  if (G_OBJECT_TYPE (self) != GTASKLET_TYPE_WAIT_FOR_TASKLET || !_gtasklet_recycle_enabled () ||
      (thread = _gtasklet_thread_get ())->join_pool_length >= GTASKLET_POOL_MAX ||
      !_gtasklet_object_is_private (self, _gtasklet_wait_condition_fired_signal))
    return FALSE;

  g_assert (!priv->watch.linked);
  _gtasklet_wait_condition_reset (condition);
  tasklet = g_steal_pointer (&priv->tasklet);
  if (tasklet != NULL)
    _gtasklet_tasklet_release (tasklet);

  if (thread->join_pool == NULL)
    _gtasklet_thread_add_exit_func (join_pool_clear);
  /* The pool is linked through the (now unused) finish watch. */
  priv->watch.next = thread->join_pool;
  thread->join_pool = self;
  thread->join_pool_length++;
  return TRUE;
}

static const GtaskletWaitConditionHooks tasklet_hooks = {
  .is_done = gtasklet_wait_for_tasklet_is_done,
  .recycle = gtasklet_wait_for_tasklet_recycle,
};

static void
gtasklet_wait_for_tasklet_init (GtaskletWaitForTasklet *self)
{
  GtaskletWaitForTaskletPrivate *priv = gtasklet_wait_for_tasklet_get_instance_private (self);

  _gtasklet_finish_watch_set_notify (&priv->watch, on_tasklet_finished);
  priv->watch.owner = G_OBJECT (self);
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &tasklet_hooks);
}

/**
 * gtasklet_wait_for_tasklet_new:
 * @tasklet: the [class@Gtasklet.Tasklet] to wait for
 *
 * Creates a condition that fires when @tasklet has finished.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForTasklet]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_tasklet_new (GtaskletTasklet *tasklet)
{
  GtaskletWaitForTasklet *self;
  GtaskletWaitForTaskletPrivate *priv;
  GtaskletThread *thread;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (tasklet), NULL);

  thread = _gtasklet_thread_get ();
  if (thread->join_pool != NULL)
    {
      self = thread->join_pool;
      priv = gtasklet_wait_for_tasklet_get_instance_private (self);
      thread->join_pool = priv->watch.next;
      thread->join_pool_length--;
      priv->watch.next = NULL;
    }
  else
    {
      /* Set directly rather than through the construct property: a join per spawned tasklet
       * makes property marshalling a measurable share of the spawn cost. */
      self = g_object_new (GTASKLET_TYPE_WAIT_FOR_TASKLET, NULL);
      priv = gtasklet_wait_for_tasklet_get_instance_private (self);
    }
  priv->tasklet = g_object_ref (tasklet);
  return GTASKLET_WAIT_CONDITION (self);
}

/**
 * gtasklet_wait_for_tasklet_get_tasklet:
 * @self: a [class@Gtasklet.WaitForTasklet]
 *
 * The tasklet this condition waits for.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none): the tasklet
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_wait_for_tasklet_get_tasklet (GtaskletWaitForTasklet *self)
{
  GtaskletWaitForTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_TASKLET (self), NULL);

  priv = gtasklet_wait_for_tasklet_get_instance_private (self);
  return priv->tasklet;
}

/**
 * gtasklet_wait_for_tasklet_get_result:
 * @self: a [class@Gtasklet.WaitForTasklet]
 *
 * The result of the joined tasklet, as [method@Gtasklet.Tasklet.get_result].
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the result once the tasklet finished with one, else
 *   %NULL
 *
 * Since: 1.0
 */
const GValue *
gtasklet_wait_for_tasklet_get_result (GtaskletWaitForTasklet *self)
{
  GtaskletWaitForTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_TASKLET (self), NULL);

  priv = gtasklet_wait_for_tasklet_get_instance_private (self);
  return gtasklet_tasklet_get_result (priv->tasklet);
}

/**
 * gtasklet_wait_for_tasklet_get_error:
 * @self: a [class@Gtasklet.WaitForTasklet]
 *
 * The error the joined tasklet failed with, as [method@Gtasklet.Tasklet.get_error].
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the error once the tasklet failed, else %NULL
 *
 * Since: 1.0
 */
const GError *
gtasklet_wait_for_tasklet_get_error (GtaskletWaitForTasklet *self)
{
  GtaskletWaitForTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_TASKLET (self), NULL);

  priv = gtasklet_wait_for_tasklet_get_instance_private (self);
  return gtasklet_tasklet_get_error (priv->tasklet);
}

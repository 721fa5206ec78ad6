/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-condition-private.h"
#include "gtasklet-wait-for-cancellable.h"

/**
 * GtaskletWaitForCancellable:
 *
 * Waits for a `GCancellable` to be cancelled.
 *
 * A tasklet whose own cancellable ([method@Gtasklet.Tasklet.get_cancellable]) is cancelled
 * normally ends at once with `G_IO_ERROR_CANCELLED`. If its wait set holds a
 * `GtaskletWaitForCancellable` for that cancellable, the condition fires instead and the next
 * step decides: clean up and finish, return a value, or keep waiting on other conditions.
 *
 * ```c
 * gtasklet_tasklet_wait (tasklet, self->work);
 * gtasklet_tasklet_wait (tasklet, self->on_cancel);   // for our own cancellable
 * return TRUE;
 * // next step:
 * if (event == G_OBJECT (self->on_cancel))
 *   {
 *     flush_partial_results (self);
 *     return TRUE;                                     // finish cleanly
 *   }
 * ```
 *
 * It can also wait for any other cancellable, as an ordinary event. It fires at once when
 * armed if the cancellable is already cancelled.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForCancellableClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForCancellable]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  GCancellable *cancellable;
  gulong        handler;
} GtaskletWaitForCancellablePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForCancellable, gtasklet_wait_for_cancellable,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_CANCELLABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Runs on the cancelling thread, inside the cancellable's emission. The step must not run
 * here: if it disarmed this condition, g_cancellable_disconnect() would wait for this very
 * emission to end and deadlock. So the event always goes through the tasklet's context. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  _gtasklet_wait_condition_fire_later (GTASKLET_WAIT_CONDITION (data));
}

static void
gtasklet_wait_for_cancellable_arm (GtaskletWaitCondition *condition,
                                   GtaskletTasklet       *tasklet)
{
  GtaskletWaitForCancellable *self = GTASKLET_WAIT_FOR_CANCELLABLE (condition);
  GtaskletWaitForCancellablePrivate *priv = gtasklet_wait_for_cancellable_get_instance_private (self);

  if (g_cancellable_is_cancelled (priv->cancellable))
    {
      gtasklet_wait_condition_fire (condition);
      return;
    }

  priv->handler = g_cancellable_connect (priv->cancellable, G_CALLBACK (on_cancelled), self, NULL);
}

static void
gtasklet_wait_for_cancellable_disarm (GtaskletWaitCondition *condition)
{
  GtaskletWaitForCancellable *self = GTASKLET_WAIT_FOR_CANCELLABLE (condition);
  GtaskletWaitForCancellablePrivate *priv = gtasklet_wait_for_cancellable_get_instance_private (self);

  if (priv->handler != 0)
    {
      g_cancellable_disconnect (priv->cancellable, priv->handler);
      priv->handler = 0;
    }
}

static void
gtasklet_wait_for_cancellable_dispose (GObject *object)
{
  GtaskletWaitForCancellable *self = GTASKLET_WAIT_FOR_CANCELLABLE (object);
  GtaskletWaitForCancellablePrivate *priv = gtasklet_wait_for_cancellable_get_instance_private (self);

  g_assert (priv->handler == 0);
  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (gtasklet_wait_for_cancellable_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_cancellable_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  GtaskletWaitForCancellable *self = GTASKLET_WAIT_FOR_CANCELLABLE (object);

  switch (prop_id)
    {
    case PROP_CANCELLABLE:
      g_value_set_object (value, gtasklet_wait_for_cancellable_get_cancellable (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_cancellable_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  GtaskletWaitForCancellable *self = GTASKLET_WAIT_FOR_CANCELLABLE (object);
  GtaskletWaitForCancellablePrivate *priv = gtasklet_wait_for_cancellable_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CANCELLABLE:
      priv->cancellable = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_cancellable_constructed (GObject *object)
{
  GtaskletWaitForCancellable *self = GTASKLET_WAIT_FOR_CANCELLABLE (object);
  GtaskletWaitForCancellablePrivate *priv = gtasklet_wait_for_cancellable_get_instance_private (self);

  G_OBJECT_CLASS (gtasklet_wait_for_cancellable_parent_class)->constructed (object);

  /* Built from a binding without a cancellable: give it one of its own, so it is usable. */
  if (priv->cancellable == NULL)
    priv->cancellable = g_cancellable_new ();
}

static char *
gtasklet_wait_for_cancellable_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForCancellablePrivate *priv =
    gtasklet_wait_for_cancellable_get_instance_private (GTASKLET_WAIT_FOR_CANCELLABLE (condition));

  if (priv->cancellable == NULL)
    return g_strdup ("cancellable (none)");
  return g_strdup_printf ("cancellable %p%s", priv->cancellable,
                          g_cancellable_is_cancelled (priv->cancellable) ? ", cancelled" : "");
}

static void
gtasklet_wait_for_cancellable_class_init (GtaskletWaitForCancellableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->dispose = gtasklet_wait_for_cancellable_dispose;
  object_class->constructed = gtasklet_wait_for_cancellable_constructed;
  object_class->get_property = gtasklet_wait_for_cancellable_get_property;
  object_class->set_property = gtasklet_wait_for_cancellable_set_property;

  condition_class->arm = gtasklet_wait_for_cancellable_arm;
  condition_class->describe = gtasklet_wait_for_cancellable_describe;
  condition_class->disarm = gtasklet_wait_for_cancellable_disarm;

  /**
   * GtaskletWaitForCancellable:cancellable:
   *
   * The cancellable to wait for.
   *
   * Since: 1.0
   */
  properties[PROP_CANCELLABLE] =
    g_param_spec_object ("cancellable", NULL, NULL, G_TYPE_CANCELLABLE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static gboolean
gtasklet_wait_for_cancellable_is_done (GtaskletWaitCondition *condition)
{
  GtaskletWaitForCancellablePrivate *priv =
    gtasklet_wait_for_cancellable_get_instance_private (GTASKLET_WAIT_FOR_CANCELLABLE (condition));

  return g_cancellable_is_cancelled (priv->cancellable);
}

/* Waiting for the tasklet's own cancellable is how a tasklet takes its cancellation into its
 * own hands. */
static gboolean
gtasklet_wait_for_cancellable_catches_cancel (GtaskletWaitCondition *condition,
                                              GCancellable          *cancellable)
{
  GtaskletWaitForCancellablePrivate *priv =
    gtasklet_wait_for_cancellable_get_instance_private (GTASKLET_WAIT_FOR_CANCELLABLE (condition));

  return priv->cancellable == cancellable;
}

static const GtaskletWaitConditionHooks cancellable_hooks = {
  .is_done = gtasklet_wait_for_cancellable_is_done,
  .catches_cancel = gtasklet_wait_for_cancellable_catches_cancel,
};

static void
gtasklet_wait_for_cancellable_init (GtaskletWaitForCancellable *self)
{
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &cancellable_hooks);
}

/**
 * gtasklet_wait_for_cancellable_new:
 * @cancellable: the `GCancellable` to wait for
 *
 * Creates a condition that fires when @cancellable is cancelled.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForCancellable]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_cancellable_new (GCancellable *cancellable)
{
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);

  return g_object_new (GTASKLET_TYPE_WAIT_FOR_CANCELLABLE, "cancellable", cancellable, NULL);
}

/**
 * gtasklet_wait_for_cancellable_get_cancellable:
 * @self: a [class@Gtasklet.WaitForCancellable]
 *
 * The cancellable this condition waits for.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none): the cancellable
 *
 * Since: 1.0
 */
GCancellable *
gtasklet_wait_for_cancellable_get_cancellable (GtaskletWaitForCancellable *self)
{
  GtaskletWaitForCancellablePrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_CANCELLABLE (self), NULL);

  priv = gtasklet_wait_for_cancellable_get_instance_private (self);
  return priv->cancellable;
}

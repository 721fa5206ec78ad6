/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-condition-private.h"

#include "gtasklet-wait-for-timeout.h"

#include "gtasklet-source-watch-private.h"

/**
 * GtaskletWaitForTimeout:
 *
 * Waits for a delay to pass.
 *
 * The delay ([property@Gtasklet.WaitForTimeout:interval], in milliseconds) counts from when
 * the condition is armed, that is when the step that waits on it returns. A timeout that stays
 * in the wait sets of consecutive steps stays armed and keeps its schedule, so waiting on the
 * same condition again makes it periodic; [method@Gtasklet.WaitForTimeout.restart] starts
 * counting again from now.
 *
 * That is the old module's behaviour, and the default. For a deadline per wait instead (each
 * item must come within a second of the previous one, say), make the timeout *one-shot*
 * ([ctor@Gtasklet.WaitForTimeout.new_one_shot], [property@Gtasklet.WaitForTimeout:one-shot]):
 * every wait on it counts the interval from then, whether it fired or not.
 *
 * ```c
 * static gboolean
 * blink (GtaskletTasklet *tasklet, GObject *event, gpointer user_data, GError **error)
 * {
 *   GtaskletWaitCondition *tick = user_data; // gtasklet_wait_for_timeout_new (500)
 *
 *   if (event == G_OBJECT (tick))
 *     toggle_led ();
 *   gtasklet_tasklet_wait (tasklet, tick); // fires every 500 ms
 *   return TRUE;
 * }
 * ```
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForTimeoutClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForTimeout]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  guint               interval;
  gboolean            one_shot;
  GtaskletSourceWatch watch;
} GtaskletWaitForTimeoutPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForTimeout, gtasklet_wait_for_timeout,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_INTERVAL,
  PROP_PRIORITY,
  PROP_ONE_SHOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
on_timeout (gpointer user_data)
{
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (user_data));

  /* Continue rather than remove: a condition kept in consecutive wait sets is periodic on
   * GLib's own schedule. If the step run by fire() restarted or disarmed us, this source is
   * already destroyed and the return value is ignored. */
  return G_SOURCE_CONTINUE;
}

/* Waited on again while armed: a one-shot timeout counts from this wait. */
static void
gtasklet_wait_for_timeout_added (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTimeoutPrivate *priv =
    gtasklet_wait_for_timeout_get_instance_private (GTASKLET_WAIT_FOR_TIMEOUT (condition));

  if (priv->one_shot)
    gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (condition));
}

static const GtaskletWaitConditionHooks timeout_hooks = {
  .added = gtasklet_wait_for_timeout_added,
};

static void
gtasklet_wait_for_timeout_arm (GtaskletWaitCondition *condition,
                               GtaskletTasklet       *tasklet)
{
  GtaskletWaitForTimeoutPrivate *priv =
    gtasklet_wait_for_timeout_get_instance_private (GTASKLET_WAIT_FOR_TIMEOUT (condition));

  _gtasklet_source_watch_start (&priv->watch, condition, g_timeout_source_new (priv->interval),
                                on_timeout, "GtaskletWaitForTimeout");
}

static void
gtasklet_wait_for_timeout_disarm (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTimeoutPrivate *priv =
    gtasklet_wait_for_timeout_get_instance_private (GTASKLET_WAIT_FOR_TIMEOUT (condition));

  _gtasklet_source_watch_stop (&priv->watch);
}

static void
gtasklet_wait_for_timeout_dispose (GObject *object)
{
  GtaskletWaitForTimeoutPrivate *priv =
    gtasklet_wait_for_timeout_get_instance_private (GTASKLET_WAIT_FOR_TIMEOUT (object));

  _gtasklet_source_watch_stop (&priv->watch);

  G_OBJECT_CLASS (gtasklet_wait_for_timeout_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_timeout_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  GtaskletWaitForTimeout *self = GTASKLET_WAIT_FOR_TIMEOUT (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, gtasklet_wait_for_timeout_get_interval (self));
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, gtasklet_wait_for_timeout_get_priority (self));
      break;
    case PROP_ONE_SHOT:
      g_value_set_boolean (value, gtasklet_wait_for_timeout_get_one_shot (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_timeout_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  GtaskletWaitForTimeout *self = GTASKLET_WAIT_FOR_TIMEOUT (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      gtasklet_wait_for_timeout_set_interval (self, g_value_get_uint (value));
      break;
    case PROP_PRIORITY:
      gtasklet_wait_for_timeout_set_priority (self, g_value_get_int (value));
      break;
    case PROP_ONE_SHOT:
      gtasklet_wait_for_timeout_set_one_shot (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_timeout_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForTimeoutPrivate *priv =
    gtasklet_wait_for_timeout_get_instance_private (GTASKLET_WAIT_FOR_TIMEOUT (condition));
  const char *kind = priv->one_shot ? "one-shot timeout" : "timeout";
  gint64 ready_time;

  if (!_gtasklet_source_watch_is_active (&priv->watch) ||
      (ready_time = g_source_get_ready_time (priv->watch.source)) < 0)
    return g_strdup_printf ("%s %u ms", kind, priv->interval);

  /* Rounded up, so a timeout that is due in 0.4 ms does not read as overdue. */
  return g_strdup_printf ("%s %u ms, due in %" G_GINT64_FORMAT " ms", kind, priv->interval,
                          MAX (ready_time - g_get_monotonic_time () + 999, 0) / 1000);
}

static void
gtasklet_wait_for_timeout_class_init (GtaskletWaitForTimeoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->dispose = gtasklet_wait_for_timeout_dispose;
  object_class->get_property = gtasklet_wait_for_timeout_get_property;
  object_class->set_property = gtasklet_wait_for_timeout_set_property;

  condition_class->arm = gtasklet_wait_for_timeout_arm;
  condition_class->describe = gtasklet_wait_for_timeout_describe;
  condition_class->disarm = gtasklet_wait_for_timeout_disarm;

  /**
   * GtaskletWaitForTimeout:interval:
   *
   * The delay in milliseconds, counted from when the condition is armed or restarted.
   *
   * A change applies from the next arm or [method@Gtasklet.WaitForTimeout.restart]; an armed
   * timeout keeps its current schedule.
   *
   * Since: 1.0
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForTimeout:priority:
   *
   * The priority of the main-loop source behind the condition, %G_PRIORITY_DEFAULT unless set.
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] = _gtasklet_source_watch_priority_pspec (G_PRIORITY_DEFAULT);

  /**
   * GtaskletWaitForTimeout:one-shot:
   *
   * Whether every wait on the condition counts the interval from then (a deadline per
   * wait), rather than keeping the schedule while the condition stays in consecutive wait
   * sets (periodic, the default).
   *
   * Since: 1.2
   */
  properties[PROP_ONE_SHOT] =
    g_param_spec_boolean ("one-shot", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_wait_for_timeout_init (GtaskletWaitForTimeout *self)
{
  GtaskletWaitForTimeoutPrivate *priv = gtasklet_wait_for_timeout_get_instance_private (self);

  _gtasklet_source_watch_init (&priv->watch, G_PRIORITY_DEFAULT);
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &timeout_hooks);
}

/**
 * gtasklet_wait_for_timeout_new:
 * @interval_ms: delay in milliseconds, counted from when the condition is armed
 *
 * Creates a wait condition that fires @interval_ms milliseconds after it is armed.
 *
 * Waited on again by the step it wakes, it fires every @interval_ms milliseconds.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForTimeout]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_timeout_new (guint interval_ms)
{
  GtaskletWaitForTimeout *self = g_object_new (GTASKLET_TYPE_WAIT_FOR_TIMEOUT, NULL);
  GtaskletWaitForTimeoutPrivate *priv = gtasklet_wait_for_timeout_get_instance_private (self);

  /* Set directly rather than through the property: programs create a timeout per tasklet,
   * and property marshalling would be a large share of that cost. */
  priv->interval = interval_ms;
  return GTASKLET_WAIT_CONDITION (self);
}

/**
 * gtasklet_wait_for_timeout_new_one_shot:
 * @interval_ms: delay in milliseconds, counted from each wait on the condition
 *
 * Creates a one-shot timeout: it fires @interval_ms milliseconds after the step that waits on
 * it returns, and every later wait on it counts from then again, whether it fired or not. Kept
 * beside a [class@Gtasklet.WaitForMessages], it is a deadline per message rather than one
 * deadline for all of them.
 *
 * ```c
 * // in the state's data: self->idle = gtasklet_wait_for_timeout_new_one_shot (1000);
 * if (event == G_OBJECT (self->idle))
 *   return give_up (error);                 // no item for a whole second
 * gtasklet_tasklet_receive (tasklet, items, NULL, NULL);
 * gtasklet_tasklet_wait (tasklet, self->idle);
 * ```
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForTimeout]
 *
 * Since: 1.2
 */
GtaskletWaitCondition *
gtasklet_wait_for_timeout_new_one_shot (guint interval_ms)
{
  GtaskletWaitCondition *self = gtasklet_wait_for_timeout_new (interval_ms);
  GtaskletWaitForTimeoutPrivate *priv =
    gtasklet_wait_for_timeout_get_instance_private (GTASKLET_WAIT_FOR_TIMEOUT (self));

  priv->one_shot = TRUE;
  return self;
}

/**
 * gtasklet_wait_for_timeout_get_one_shot:
 * @self: a [class@Gtasklet.WaitForTimeout]
 *
 * Whether every wait on the condition counts the interval from then.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Returns: %TRUE for a one-shot timeout, %FALSE for a periodic one (the default)
 *
 * Since: 1.2
 */
gboolean
gtasklet_wait_for_timeout_get_one_shot (GtaskletWaitForTimeout *self)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self), FALSE);

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  return priv->one_shot;
}

/**
 * gtasklet_wait_for_timeout_set_one_shot:
 * @self: a [class@Gtasklet.WaitForTimeout]
 * @one_shot: %TRUE for a deadline per wait, %FALSE to keep the schedule across waits
 *
 * Makes the timeout one-shot or periodic; it applies from the next wait.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.2
 */
void
gtasklet_wait_for_timeout_set_one_shot (GtaskletWaitForTimeout *self,
                                        gboolean                one_shot)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self));

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  one_shot = !!one_shot;
  if (priv->one_shot == one_shot)
    return;

  priv->one_shot = one_shot;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONE_SHOT]);
}

/**
 * gtasklet_wait_for_timeout_restart:
 * @self: a [class@Gtasklet.WaitForTimeout]
 *
 * Starts counting the interval again from now.
 *
 * If the condition is armed, its pending deadline is dropped and the next one is
 * [property@Gtasklet.WaitForTimeout:interval] milliseconds from now, also when called from the
 * step that this timeout just woke. If it is not armed, this does nothing: the delay counts
 * from the next arm anyway.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_timeout_restart (GtaskletWaitForTimeout *self)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self));

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  if (!_gtasklet_source_watch_is_active (&priv->watch))
    return;

  /* A fresh source rather than g_source_set_ready_time() on the old one: a timeout source
   * recomputes its own expiration after each dispatch, so only a new source reliably
   * counts from now, whether or not the old one is being dispatched right now. */
  _gtasklet_source_watch_restart (&priv->watch, GTASKLET_WAIT_CONDITION (self),
                                  g_timeout_source_new (priv->interval), on_timeout,
                                  "GtaskletWaitForTimeout");

  /* A deadline that already passed but was not delivered yet no longer counts. */
  _gtasklet_wait_condition_unfire (GTASKLET_WAIT_CONDITION (self));
}

/**
 * gtasklet_wait_for_timeout_get_interval:
 * @self: a [class@Gtasklet.WaitForTimeout]
 *
 * Gets the delay of the condition.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the interval in milliseconds
 *
 * Since: 1.0
 */
guint
gtasklet_wait_for_timeout_get_interval (GtaskletWaitForTimeout *self)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self), 0);

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  return priv->interval;
}

/**
 * gtasklet_wait_for_timeout_set_interval:
 * @self: a [class@Gtasklet.WaitForTimeout]
 * @interval_ms: the new delay in milliseconds
 *
 * Sets the delay of the condition.
 *
 * The new interval applies from the next arm or [method@Gtasklet.WaitForTimeout.restart]:
 * an armed timeout keeps its current schedule, so call restart() too for an immediate
 * change.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_timeout_set_interval (GtaskletWaitForTimeout *self,
                                        guint                   interval_ms)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self));

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  if (priv->interval == interval_ms)
    return;

  priv->interval = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

/**
 * gtasklet_wait_for_timeout_get_priority:
 * @self: a [class@Gtasklet.WaitForTimeout]
 *
 * Gets the priority of the condition's main-loop source.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the priority, such as %G_PRIORITY_DEFAULT
 *
 * Since: 1.0
 */
int
gtasklet_wait_for_timeout_get_priority (GtaskletWaitForTimeout *self)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self), G_PRIORITY_DEFAULT);

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  return priv->watch.priority;
}

/**
 * gtasklet_wait_for_timeout_set_priority:
 * @self: a [class@Gtasklet.WaitForTimeout]
 * @priority: the priority of the main-loop source, such as %G_PRIORITY_HIGH
 *
 * Sets the priority of the condition's main-loop source.
 *
 * It applies at once when the condition is armed, without changing its schedule.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_timeout_set_priority (GtaskletWaitForTimeout *self,
                                        int                     priority)
{
  GtaskletWaitForTimeoutPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_TIMEOUT (self));

  priv = gtasklet_wait_for_timeout_get_instance_private (self);
  if (_gtasklet_source_watch_set_priority (&priv->watch, priority))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

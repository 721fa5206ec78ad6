/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-for-idle.h"

#include "gtasklet-source-watch-private.h"

/**
 * GtaskletWaitForIdle:
 *
 * Waits until the main loop has nothing more urgent to do.
 *
 * The condition is backed by an idle source of [property@Gtasklet.WaitForIdle:priority]
 * (%G_PRIORITY_DEFAULT_IDLE unless set), attached to the tasklet's main context when the
 * condition is armed: it fires once no source of a higher priority is ready. Kept in the wait
 * sets of consecutive steps, it fires again on each idle iteration, which suits a tasklet that
 * does a long job in small slices.
 *
 * ```c
 * static gboolean
 * crunch (GtaskletTasklet *tasklet, GObject *event, gpointer user_data, GError **error)
 * {
 *   Job *job = user_data; // job->idle = gtasklet_wait_for_idle_new ()
 *
 *   if (job_do_a_slice (job))
 *     return TRUE; // done: finish the tasklet
 *   gtasklet_tasklet_wait (tasklet, job->idle);
 *   return TRUE;
 * }
 * ```
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForIdleClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForIdle]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  GtaskletSourceWatch watch;
} GtaskletWaitForIdlePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForIdle, gtasklet_wait_for_idle,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_PRIORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
on_idle (gpointer user_data)
{
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (user_data));

  /* The source lives as long as the condition is armed; if the step run by fire() dropped the
   * condition, disarm already destroyed the source and this value is ignored. */
  return G_SOURCE_CONTINUE;
}

static void
gtasklet_wait_for_idle_arm (GtaskletWaitCondition *condition,
                            GtaskletTasklet       *tasklet)
{
  GtaskletWaitForIdle *self = GTASKLET_WAIT_FOR_IDLE (condition);
  GtaskletWaitForIdlePrivate *priv = gtasklet_wait_for_idle_get_instance_private (self);

  /* The priority is the source's, never the callback's data: passing it as user data is how
   * the seed's idle never fired. */
  _gtasklet_source_watch_start (&priv->watch, condition, g_idle_source_new (), on_idle,
                                "GtaskletWaitForIdle");
}

static void
gtasklet_wait_for_idle_disarm (GtaskletWaitCondition *condition)
{
  GtaskletWaitForIdlePrivate *priv =
    gtasklet_wait_for_idle_get_instance_private (GTASKLET_WAIT_FOR_IDLE (condition));

  _gtasklet_source_watch_stop (&priv->watch);
}

static void
gtasklet_wait_for_idle_dispose (GObject *object)
{
  GtaskletWaitForIdlePrivate *priv =
    gtasklet_wait_for_idle_get_instance_private (GTASKLET_WAIT_FOR_IDLE (object));

  _gtasklet_source_watch_stop (&priv->watch);

  G_OBJECT_CLASS (gtasklet_wait_for_idle_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_idle_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GtaskletWaitForIdle *self = GTASKLET_WAIT_FOR_IDLE (object);

  switch (prop_id)
    {
    case PROP_PRIORITY:
      g_value_set_int (value, gtasklet_wait_for_idle_get_priority (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_idle_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  GtaskletWaitForIdle *self = GTASKLET_WAIT_FOR_IDLE (object);

  switch (prop_id)
    {
    case PROP_PRIORITY:
      gtasklet_wait_for_idle_set_priority (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_idle_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForIdlePrivate *priv =
    gtasklet_wait_for_idle_get_instance_private (GTASKLET_WAIT_FOR_IDLE (condition));

  if (priv->watch.priority == G_PRIORITY_DEFAULT_IDLE)
    return g_strdup ("idle");
  return g_strdup_printf ("idle, priority %d", priv->watch.priority);
}

static void
gtasklet_wait_for_idle_class_init (GtaskletWaitForIdleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->dispose = gtasklet_wait_for_idle_dispose;
  object_class->get_property = gtasklet_wait_for_idle_get_property;
  object_class->set_property = gtasklet_wait_for_idle_set_property;

  condition_class->arm = gtasklet_wait_for_idle_arm;
  condition_class->describe = gtasklet_wait_for_idle_describe;
  condition_class->disarm = gtasklet_wait_for_idle_disarm;

  /**
   * GtaskletWaitForIdle:priority:
   *
   * The priority of the idle source behind the condition, %G_PRIORITY_DEFAULT_IDLE unless set.
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] = _gtasklet_source_watch_priority_pspec (G_PRIORITY_DEFAULT_IDLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_wait_for_idle_init (GtaskletWaitForIdle *self)
{
  GtaskletWaitForIdlePrivate *priv = gtasklet_wait_for_idle_get_instance_private (self);

  _gtasklet_source_watch_init (&priv->watch, G_PRIORITY_DEFAULT_IDLE);
}

/**
 * gtasklet_wait_for_idle_new:
 *
 * Creates a wait condition that fires when the tasklet's main loop is idle.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForIdle]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_idle_new (void)
{
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_IDLE, NULL);
}

/**
 * gtasklet_wait_for_idle_get_priority:
 * @self: a [class@Gtasklet.WaitForIdle]
 *
 * Gets the priority of the condition's idle source.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the priority, such as %G_PRIORITY_DEFAULT_IDLE
 *
 * Since: 1.0
 */
int
gtasklet_wait_for_idle_get_priority (GtaskletWaitForIdle *self)
{
  GtaskletWaitForIdlePrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IDLE (self), G_PRIORITY_DEFAULT_IDLE);

  priv = gtasklet_wait_for_idle_get_instance_private (self);
  return priv->watch.priority;
}

/**
 * gtasklet_wait_for_idle_set_priority:
 * @self: a [class@Gtasklet.WaitForIdle]
 * @priority: the priority of the idle source, such as %G_PRIORITY_HIGH_IDLE
 *
 * Sets the priority of the condition's idle source; it applies at once if the condition is
 * armed.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_idle_set_priority (GtaskletWaitForIdle *self,
                                     int                  priority)
{
  GtaskletWaitForIdlePrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_IDLE (self));

  priv = gtasklet_wait_for_idle_get_instance_private (self);
  if (_gtasklet_source_watch_set_priority (&priv->watch, priority))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-supervisor-private.h"

#include <gio/gio.h>

#include "gtasklet-enum-types.h"
#include "gtasklet-error.h"
#include "gtasklet-message.h"
#include "gtasklet-wait-for-cancellable.h"

/**
 * GtaskletSupervisor:
 *
 * A tasklet that starts, watches and restarts child tasklets, as Erlang/OTP's supervisors
 * do, so that one failing tasklet does not take the program down unnoticed.
 *
 * Children are added with [method@Gtasklet.Supervisor.add_child]: an id, a function that
 * makes a new tasklet for the child each time it (re)starts, and a [enum@Gtasklet.Restart]
 * kind. They start in the order added, when the supervisor starts (at once if it already
 * runs), in the supervisor's main context. When a child ends in a way its restart kind says
 * must be restarted, the supervisor's [enum@Gtasklet.SupervisorStrategy] says which children
 * start again: that one, all of them, or it and those started after it; the others are
 * stopped first, in reverse start order, each cancelled and waited for before the next.
 *
 * ```c
 * g_autoptr (GtaskletSupervisor) sup =
 *   gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 3, 5000);
 *
 * gtasklet_supervisor_add_child (sup, "listener", listener_new, service, NULL,
 *                                GTASKLET_RESTART_PERMANENT);
 * gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
 * ```
 *
 * More than `intensity` restarts within any `period_ms` (a sliding window) is a failure the
 * supervisor does not handle: it stops every child in reverse start order and fails with
 * %GTASKLET_ERROR_RESTART_LIMIT, for its own supervisor (or whoever joins it) to deal with.
 * One failure that restarts several children counts as one restart, and a child function
 * that returns %NULL counts as a failed start. Cancelling the supervisor stops its children
 * in reverse start order, then ends it with `G_IO_ERROR_CANCELLED`.
 *
 * A child function may return a tasklet it already started (placed on a
 * [class@Gtasklet.Pool], for instance): the supervisor watches it all the same. A child that
 * ignores its cancellation keeps its supervisor waiting.
 *
 * The supervisor's step is its own: a subclass adds children (in its `constructed`, say) but
 * does not override [vfunc@Gtasklet.Tasklet.run].
 *
 * Since: 1.2
 */

/**
 * GtaskletSupervisorClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.Supervisor].
 *
 * Since: 1.2
 */

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletSupervisor, gtasklet_supervisor, GTASKLET_TYPE_TASKLET)

GtaskletSupervisorPrivate *
_gtasklet_supervisor_get_private (GtaskletSupervisor *self)
{
  return gtasklet_supervisor_get_instance_private (self);
}

void
_gtasklet_supervisor_child_free (Child *child)
{
  if (child->destroy != NULL)
    child->destroy (child->user_data);
  g_clear_object (&child->current);
  g_free (child->id);
  g_free (child);
}

enum {
  PROP_0,
  PROP_STRATEGY,
  PROP_INTENSITY,
  PROP_PERIOD_MS,
  PROP_BACKOFF_INITIAL_MS,
  PROP_BACKOFF_MAX_MS,
  PROP_BACKOFF_JITTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];



static void
gtasklet_supervisor_constructed (GObject *object)
{
  GtaskletSupervisor *self = GTASKLET_SUPERVISOR (object);
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  G_OBJECT_CLASS (gtasklet_supervisor_parent_class)->constructed (object);

  priv->cancelled =
    gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (GTASKLET_TASKLET (self)));
}

static void
gtasklet_supervisor_finalize (GObject *object)
{
  GtaskletSupervisor *self = GTASKLET_SUPERVISOR (object);
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  g_ptr_array_unref (priv->to_stop);
  g_ptr_array_unref (priv->to_restart);
  g_ptr_array_unref (priv->deferred);
  g_hash_table_unref (priv->by_tasklet);
  g_ptr_array_unref (priv->children);
  _gtasklet_restart_window_clear (&priv->window);
  g_clear_object (&priv->backoff);
  g_clear_error (&priv->failure);
  g_clear_object (&priv->cancelled);

  G_OBJECT_CLASS (gtasklet_supervisor_parent_class)->finalize (object);
}

static void
gtasklet_supervisor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GtaskletSupervisorPrivate *priv =
    gtasklet_supervisor_get_instance_private (GTASKLET_SUPERVISOR (object));

  switch (prop_id)
    {
    case PROP_STRATEGY:
      g_value_set_enum (value, priv->strategy);
      break;
    case PROP_INTENSITY:
      g_value_set_uint (value, priv->window.intensity);
      break;
    case PROP_PERIOD_MS:
      g_value_set_uint (value, priv->window.period_ms);
      break;
    case PROP_BACKOFF_INITIAL_MS:
      g_value_set_uint (value, priv->window.backoff_initial_ms);
      break;
    case PROP_BACKOFF_MAX_MS:
      g_value_set_uint (value, priv->window.backoff_max_ms);
      break;
    case PROP_BACKOFF_JITTER:
      g_value_set_double (value, priv->window.backoff_jitter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_supervisor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GtaskletSupervisorPrivate *priv =
    gtasklet_supervisor_get_instance_private (GTASKLET_SUPERVISOR (object));

  switch (prop_id)
    {
    case PROP_STRATEGY:
      priv->strategy = g_value_get_enum (value);
      break;
    case PROP_INTENSITY:
      priv->window.intensity = g_value_get_uint (value);
      break;
    case PROP_PERIOD_MS:
      priv->window.period_ms = g_value_get_uint (value);
      break;
    case PROP_BACKOFF_INITIAL_MS:
      priv->window.backoff_initial_ms = g_value_get_uint (value);
      break;
    case PROP_BACKOFF_MAX_MS:
      priv->window.backoff_max_ms = g_value_get_uint (value);
      break;
    case PROP_BACKOFF_JITTER:
      priv->window.backoff_jitter = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_supervisor_class_init (GtaskletSupervisorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletTaskletClass *tasklet_class = GTASKLET_TASKLET_CLASS (klass);

  object_class->constructed = gtasklet_supervisor_constructed;
  object_class->finalize = gtasklet_supervisor_finalize;
  object_class->get_property = gtasklet_supervisor_get_property;
  object_class->set_property = gtasklet_supervisor_set_property;
  tasklet_class->run = _gtasklet_supervisor_run;

  /**
   * GtaskletSupervisor:strategy:
   *
   * Which children start again when one must be restarted.
   *
   * Since: 1.2
   */
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL, GTASKLET_TYPE_SUPERVISOR_STRATEGY,
                       GTASKLET_SUPERVISOR_ONE_FOR_ONE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletSupervisor:intensity:
   *
   * How many restarts [property@Gtasklet.Supervisor:period-ms] may hold; one more and the
   * supervisor gives up. The default, 3 within 5 s, lets a flaky child fail a few times in a
   * row; OTP's default of 1 restart in 5 s gives up at a child's second failure within five
   * seconds, which often surprises.
   *
   * Since: 1.2
   */
  properties[PROP_INTENSITY] =
    g_param_spec_uint ("intensity", NULL, NULL, 0, G_MAXUINT, 3,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletSupervisor:period-ms:
   *
   * The sliding window, in milliseconds, over which restarts are counted.
   *
   * Since: 1.2
   */
  properties[PROP_PERIOD_MS] =
    g_param_spec_uint ("period-ms", NULL, NULL, 1, G_MAXUINT, 5000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletSupervisor:backoff-initial-ms:
   *
   * The delay before a restart, in milliseconds, doubled for each restart already in the
   * window (so a child that stayed up for a whole period starts from this delay again), up to
   * [property@Gtasklet.Supervisor:backoff-max-ms].
   *
   * The default, 0, restarts at once, as OTP does: right for a child that crashed on bad
   * input. Set it for children that depend on something outside the program (a server, a
   * device, a D-Bus name), so that a restart gives that a moment to come back, for example
   * 100 ms, then 200, 400 and so on.
   *
   * Since: 1.2
   */
  properties[PROP_BACKOFF_INITIAL_MS] =
    g_param_spec_uint ("backoff-initial-ms", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletSupervisor:backoff-max-ms:
   *
   * The longest delay before a restart, in milliseconds. The default, 10 s, is long enough
   * for a local service to restart and short enough that a user who is waiting still sees the
   * program recover.
   *
   * Since: 1.2
   */
  properties[PROP_BACKOFF_MAX_MS] =
    g_param_spec_uint ("backoff-max-ms", NULL, NULL, 0, G_MAXUINT, 10000,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletSupervisor:backoff-jitter:
   *
   * How much each delay varies at random, as a fraction of it, either way. The default, 0.2
   * (±20 %), keeps many supervisors whose children failed together (a server went away) from
   * restarting them in lockstep and hitting it all at the same moment again.
   *
   * Since: 1.2
   */
  properties[PROP_BACKOFF_JITTER] =
    g_param_spec_double ("backoff-jitter", NULL, NULL, 0.0, 1.0, 0.2,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_supervisor_init (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  priv->children = g_ptr_array_new_with_free_func ((GDestroyNotify) _gtasklet_supervisor_child_free);
  priv->by_tasklet = g_hash_table_new (NULL, NULL);
  priv->to_stop = g_ptr_array_new ();
  priv->to_restart = g_ptr_array_new ();
  priv->deferred = g_ptr_array_new ();
  _gtasklet_restart_window_init (&priv->window);
}

/**
 * gtasklet_supervisor_new:
 * @strategy: which children start again when one must be restarted
 * @intensity: how many restarts @period_ms may hold; one more and the supervisor gives up
 * @period_ms: the sliding window over which restarts are counted, in milliseconds
 *
 * Creates a supervisor with no children, not started yet.
 *
 * This function is thread-safe; the supervisor then belongs to the thread that starts it.
 *
 * Returns: (transfer full): a new [class@Gtasklet.Supervisor]
 *
 * Since: 1.2
 */
GtaskletSupervisor *
gtasklet_supervisor_new (GtaskletSupervisorStrategy strategy,
                         guint                      intensity,
                         guint                      period_ms)
{
  g_return_val_if_fail (period_ms > 0, NULL);

  return g_object_new (GTASKLET_TYPE_SUPERVISOR,
                       "strategy", strategy,
                       "intensity", intensity,
                       "period-ms", period_ms,
                       NULL);
}

/**
 * gtasklet_supervisor_add_child:
 * @self: a [class@Gtasklet.Supervisor]
 * @id: the child's id, unique in this supervisor
 * @func: (scope notified) (closure user_data) (destroy destroy): makes a new tasklet for the
 *   child each time it starts or restarts
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the supervisor is finalized
 * @restart: when the child is restarted after it ended by itself
 *
 * Adds a child. Children start in the order added, when the supervisor starts, or at once if
 * it already runs.
 *
 * Call it before the supervisor starts, or from its own thread (from a step of one of its
 * children running there, say).
 *
 * Since: 1.2
 */
void
gtasklet_supervisor_add_child (GtaskletSupervisor *self,
                               const char         *id,
                               GtaskletChildFunc   func,
                               gpointer            user_data,
                               GDestroyNotify      destroy,
                               GtaskletRestart     restart)
{
  GtaskletSupervisorPrivate *priv;
  Child *child;

  g_return_if_fail (GTASKLET_IS_SUPERVISOR (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (func != NULL);

  priv = gtasklet_supervisor_get_instance_private (self);
  for (guint i = 0; i < priv->children->len; i++)
    if (g_str_equal (((Child *) g_ptr_array_index (priv->children, i))->id, id))
      {
        g_critical ("gtasklet_supervisor_add_child(): %s %p already has a child '%s'",
                    G_OBJECT_TYPE_NAME (self), self, id);
        if (destroy != NULL)
          destroy (user_data);
        return;
      }

  child = g_new0 (Child, 1);
  child->id = g_strdup (id);
  child->func = func;
  child->user_data = user_data;
  child->destroy = destroy;
  child->restart = restart;
  child->index = priv->children->len;
  g_ptr_array_add (priv->children, child);

  if (!priv->started || priv->after_stop == AFTER_STOP_FAIL ||
      gtasklet_tasklet_get_state (GTASKLET_TASKLET (self)) == GTASKLET_STATE_FINISHED)
    return;
  if (!_gtasklet_supervisor_start_child (self, child))
    {
      /* Taken up by the supervisor's next step, like a failed start at its beginning. */
      if (!_gtasklet_supervisor_count_restart (self))
        _gtasklet_supervisor_shut_down (self);
      else
        {
          priv->after_stop = AFTER_STOP_RESTART;
          _gtasklet_supervisor_queue_restart (priv, child);
        }
      gtasklet_tasklet_send (GTASKLET_TASKLET (self), CHILD_EXITED, NULL);
    }
}

/**
 * gtasklet_supervisor_get_child:
 * @self: a [class@Gtasklet.Supervisor]
 * @id: a child's id
 *
 * The child's current tasklet: the one made at its latest start (it may have finished
 * since, and not been restarted yet or at all).
 *
 * Call it from the supervisor's thread.
 *
 * Returns: (transfer none) (nullable): the tasklet, or %NULL if there is no such child or it
 *   has not started yet
 *
 * Since: 1.2
 */
GtaskletTasklet *
gtasklet_supervisor_get_child (GtaskletSupervisor *self,
                               const char         *id)
{
  GtaskletSupervisorPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_SUPERVISOR (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  priv = gtasklet_supervisor_get_instance_private (self);
  for (guint i = 0; i < priv->children->len; i++)
    {
      Child *child = g_ptr_array_index (priv->children, i);

      if (g_str_equal (child->id, id))
        return child->current;
    }
  return NULL;
}

/**
 * gtasklet_supervisor_get_n_restarts:
 * @self: a [class@Gtasklet.Supervisor]
 *
 * How many restarts the supervisor has made (one failure restarting several children counts
 * once).
 *
 * Call it from the supervisor's thread, or once it has finished.
 *
 * Returns: the number of restarts
 *
 * Since: 1.2
 */
guint
gtasklet_supervisor_get_n_restarts (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_SUPERVISOR (self), 0);

  priv = gtasklet_supervisor_get_instance_private (self);
  return priv->window.total;
}

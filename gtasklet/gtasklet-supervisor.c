/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-supervisor.h"

#include <gio/gio.h>

#include "gtasklet-enum-types.h"
#include "gtasklet-error.h"
#include "gtasklet-message.h"
#include "gtasklet-tasklet-private.h"
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

/* What the supervisor hears from a child that ended: a message whose value is the child's
 * tasklet (an older tasklet of a restarted child is recognised and ignored). */
#define CHILD_EXITED "gtasklet.supervisor.child-exited"

typedef struct
{
  char              *id;
  GtaskletChildFunc  func;
  gpointer           user_data;
  GDestroyNotify     destroy;
  GtaskletRestart    restart;
  guint              index;      /* start order */
  GtaskletTasklet   *current;    /* the latest tasklet, finished or not; strong */
  gboolean           running;    /* started, and its end not taken in yet */
  gboolean           stopping;   /* cancelled by the supervisor, its end awaited */
} Child;

typedef struct
{
  GtaskletFinishWatch  watch;
  GtaskletSupervisor  *supervisor;  /* strong, handed over to the notify */
} ExitWatch;

typedef enum
{
  AFTER_STOP_NOTHING,
  AFTER_STOP_RESTART,
  AFTER_STOP_FAIL,
} AfterStop;

typedef struct
{
  GtaskletSupervisorStrategy  strategy;
  guint                       intensity;
  guint                       period_ms;

  GPtrArray                  *children;      /* Child *, in start order */
  gboolean                    started;
  GtaskletWaitCondition      *cancelled;
  /* Restarts within the window: monotonic times, oldest first. */
  GQueue                      restarts;
  guint                       n_restarts;

  /* A stop in progress: children to stop, last to first; then what to do. */
  GPtrArray                  *to_stop;       /* Child *, borrowed */
  AfterStop                   after_stop;
  GPtrArray                  *to_restart;    /* Child *, borrowed, in start order */
  GError                     *failure;
  /* Ends that came during a stop and still need handling. */
  GPtrArray                  *deferred;      /* Child *, borrowed */
} GtaskletSupervisorPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletSupervisor, gtasklet_supervisor, GTASKLET_TYPE_TASKLET)

enum {
  PROP_0,
  PROP_STRATEGY,
  PROP_INTENSITY,
  PROP_PERIOD_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
child_free (Child *child)
{
  if (child->destroy != NULL)
    child->destroy (child->user_data);
  g_clear_object (&child->current);
  g_free (child->id);
  g_free (child);
}

/* On the child's thread. */
static void
on_child_finished (GtaskletFinishWatch *watch,
                   GtaskletTasklet     *tasklet)
{
  ExitWatch *exit_watch = (ExitWatch *) watch;
  GtaskletSupervisor *supervisor = exit_watch->supervisor;
  GValue value = G_VALUE_INIT;

  g_free (exit_watch);
  g_value_init (&value, GTASKLET_TYPE_TASKLET);
  g_value_set_object (&value, tasklet);
  /* Refused only when the supervisor has finished, which it does after its children. */
  gtasklet_tasklet_send (GTASKLET_TASKLET (supervisor), CHILD_EXITED, &value);
  g_value_unset (&value);
  g_object_unref (supervisor);
}

/* Makes and starts @child's next tasklet. FALSE if the child function gave none. */
static gboolean
start_child (GtaskletSupervisor *self,
             Child              *child)
{
  GtaskletTasklet *tasklet = child->func (self, child->id, child->user_data);
  ExitWatch *exit_watch;

  if (tasklet == NULL)
    return FALSE;

  g_clear_object (&child->current);
  child->current = tasklet;
  child->running = TRUE;
  child->stopping = FALSE;

  exit_watch = g_new0 (ExitWatch, 1);
  exit_watch->watch.notify = on_child_finished;
  exit_watch->supervisor = g_object_ref (self);
  if (!_gtasklet_tasklet_add_finish_watch (tasklet, &exit_watch->watch))
    on_child_finished (&exit_watch->watch, tasklet);
  else if (gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_NEW)
    _gtasklet_tasklet_start_in (tasklet, gtasklet_tasklet_get_context (GTASKLET_TASKLET (self)),
                                FALSE);
  return TRUE;
}

/* Counts one restart; FALSE (and the failure set) when it is one too many. */
static gboolean
count_restart (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);
  gint64 now = g_get_monotonic_time ();
  gint64 window = (gint64) priv->period_ms * G_TIME_SPAN_MILLISECOND;

  g_queue_push_tail (&priv->restarts, g_memdup2 (&now, sizeof now));
  while (!g_queue_is_empty (&priv->restarts) &&
         *(gint64 *) g_queue_peek_head (&priv->restarts) <= now - window)
    g_free (g_queue_pop_head (&priv->restarts));

  if (g_queue_get_length (&priv->restarts) <= priv->intensity)
    {
      priv->n_restarts++;
      return TRUE;
    }
  if (priv->failure == NULL)
    priv->failure = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_RESTART_LIMIT,
                                 "%s %p gave up: more than %u restarts within %u ms",
                                 G_OBJECT_TYPE_NAME (self), self, priv->intensity,
                                 priv->period_ms);
  return FALSE;
}

/* Queues the running children from @first on for stopping, last started first. */
static void
stop_from (GtaskletSupervisor *self,
           guint               first,
           Child              *except)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  for (guint i = priv->children->len; i-- > first;)
    {
      Child *child = g_ptr_array_index (priv->children, i);

      if (child != except && child->running && !child->stopping &&
          !g_ptr_array_find (priv->to_stop, child, NULL))
        g_ptr_array_add (priv->to_stop, child);
    }
}

/* Stops everything, then fails (or ends cancelled). */
static void
shut_down (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  priv->after_stop = AFTER_STOP_FAIL;
  g_ptr_array_set_size (priv->to_restart, 0);
  g_ptr_array_set_size (priv->deferred, 0);
  stop_from (self, 0, NULL);
}

/* A child ended by itself (not stopped by us): restart what its kind and the strategy say. */
static void
handle_exit (GtaskletSupervisor *self,
             Child              *child,
             gboolean            failed)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  if (child->restart == GTASKLET_RESTART_TEMPORARY ||
      (child->restart == GTASKLET_RESTART_TRANSIENT && !failed))
    return;

  if (!count_restart (self))
    {
      shut_down (self);
      return;
    }

  priv->after_stop = AFTER_STOP_RESTART;
  switch (priv->strategy)
    {
    case GTASKLET_SUPERVISOR_ONE_FOR_ONE:
      g_ptr_array_add (priv->to_restart, child);
      break;
    case GTASKLET_SUPERVISOR_ONE_FOR_ALL:
    case GTASKLET_SUPERVISOR_REST_FOR_ONE:
      {
        guint first = priv->strategy == GTASKLET_SUPERVISOR_ONE_FOR_ALL ? 0 : child->index;

        stop_from (self, first, child);
        /* Temporary children are not started again once stopped, as in OTP. */
        for (guint i = first; i < priv->children->len; i++)
          {
            Child *other = g_ptr_array_index (priv->children, i);

            if ((other == child || other->running ||
                 g_ptr_array_find (priv->to_stop, other, NULL)) &&
                (other == child || other->restart != GTASKLET_RESTART_TEMPORARY) &&
                !g_ptr_array_find (priv->to_restart, other, NULL))
              g_ptr_array_add (priv->to_restart, other);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static Child *
find_child_by_tasklet (GtaskletSupervisor *self,
                       GtaskletTasklet    *tasklet)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  for (guint i = 0; i < priv->children->len; i++)
    {
      Child *child = g_ptr_array_index (priv->children, i);

      if (child->current == tasklet)
        return child;
    }
  return NULL;
}

/* The end of @tasklet taken in. */
static void
on_exit_message (GtaskletSupervisor *self,
                 GtaskletTasklet    *tasklet)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);
  Child *child = find_child_by_tasklet (self, tasklet);
  gboolean was_stopping;

  /* An older tasklet of a child started again since: nothing to do. */
  if (child == NULL || !child->running)
    return;

  was_stopping = child->stopping;
  child->running = FALSE;
  child->stopping = FALSE;
  g_ptr_array_remove (priv->to_stop, child);

  if (was_stopping || priv->after_stop == AFTER_STOP_FAIL)
    return;
  if (priv->to_stop->len > 0 || priv->to_restart->len > 0)
    {
      /* A restart is under way: it will start this one again if it is part of it. */
      if (!g_ptr_array_find (priv->to_restart, child, NULL))
        g_ptr_array_add (priv->deferred, child);
      return;
    }
  handle_exit (self, child, gtasklet_tasklet_get_error (tasklet) != NULL);
}

/* Moves the stop along, and once it is done, does what comes after. Returns FALSE when the
 * supervisor is to end now (with priv->failure set, or cancelled). */
static gboolean
advance (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  for (;;)
    {
      if (priv->to_stop->len > 0)
        {
          Child *next = g_ptr_array_index (priv->to_stop, 0);

          /* One at a time: cancelled, then waited for. */
          if (!next->stopping)
            {
              next->stopping = TRUE;
              gtasklet_tasklet_cancel (next->current);
            }
          return TRUE;
        }

      switch (priv->after_stop)
        {
        case AFTER_STOP_FAIL:
          return FALSE;
        case AFTER_STOP_RESTART:
          {
            g_autoptr (GPtrArray) restart = g_ptr_array_copy (priv->to_restart, NULL, NULL);
            gboolean failed_start = FALSE;

            g_ptr_array_set_size (priv->to_restart, 0);
            priv->after_stop = AFTER_STOP_NOTHING;
            for (guint i = 0; i < restart->len; i++)
              if (!start_child (self, g_ptr_array_index (restart, i)))
                failed_start = TRUE;
            if (failed_start && !count_restart (self))
              {
                shut_down (self);
                continue;
              }
            if (failed_start)
              {
                /* Try the ones that gave no tasklet again, as one more restart. */
                for (guint i = 0; i < restart->len; i++)
                  {
                    Child *child = g_ptr_array_index (restart, i);

                    if (!child->running)
                      g_ptr_array_add (priv->to_restart, child);
                  }
                priv->after_stop = AFTER_STOP_RESTART;
                continue;
              }
          }
          break;
        case AFTER_STOP_NOTHING:
        default:
          break;
        }

      if (priv->deferred->len == 0)
        return TRUE;
      {
        Child *child = g_ptr_array_steal_index (priv->deferred, 0);

        if (!child->running && child->current != NULL)
          handle_exit (self, child, gtasklet_tasklet_get_error (child->current) != NULL);
      }
    }
}

/* Starts the children in start order, the first time. */
static void
start_children (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  priv->started = TRUE;
  for (guint i = 0; i < priv->children->len; i++)
    {
      Child *child = g_ptr_array_index (priv->children, i);

      if (!start_child (self, child))
        {
          if (!count_restart (self))
            {
              shut_down (self);
              return;
            }
          priv->after_stop = AFTER_STOP_RESTART;
          g_ptr_array_add (priv->to_restart, child);
        }
    }
}

static gboolean
gtasklet_supervisor_run (GtaskletTasklet  *tasklet,
                         GObject          *event,
                         GError          **error)
{
  GtaskletSupervisor *self = GTASKLET_SUPERVISOR (tasklet);
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);
  static const char * const exits[] = { CHILD_EXITED, NULL };

  if (event == NULL)
    start_children (self);
  else if (event == G_OBJECT (priv->cancelled))
    {
      g_clear_object (&priv->cancelled);
      shut_down (self);
    }
  else if (GTASKLET_IS_MESSAGE (event))
    {
      const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));

      /* Without a value: a nudge from add_child (a child that gave no tasklet). */
      if (value != NULL)
        on_exit_message (self, g_value_get_object (value));
    }

  if (!advance (self))
    {
      for (guint i = 0; i < priv->children->len; i++)
        g_assert (!((Child *) g_ptr_array_index (priv->children, i))->running);
      if (priv->failure != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&priv->failure));
          return FALSE;
        }
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Tasklet was cancelled");
      return FALSE;
    }

  gtasklet_tasklet_receive (tasklet, exits, NULL, NULL);
  /* Its own cancellation is the supervisor's to handle: it stops its children first. */
  if (priv->cancelled != NULL)
    gtasklet_tasklet_wait (tasklet, priv->cancelled);
  return TRUE;
}

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
  g_ptr_array_unref (priv->children);
  g_queue_clear_full (&priv->restarts, g_free);
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
      g_value_set_uint (value, priv->intensity);
      break;
    case PROP_PERIOD_MS:
      g_value_set_uint (value, priv->period_ms);
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
      priv->intensity = g_value_get_uint (value);
      break;
    case PROP_PERIOD_MS:
      priv->period_ms = g_value_get_uint (value);
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
  tasklet_class->run = gtasklet_supervisor_run;

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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_supervisor_init (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = gtasklet_supervisor_get_instance_private (self);

  priv->children = g_ptr_array_new_with_free_func ((GDestroyNotify) child_free);
  priv->to_stop = g_ptr_array_new ();
  priv->to_restart = g_ptr_array_new ();
  priv->deferred = g_ptr_array_new ();
  g_queue_init (&priv->restarts);
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
  if (!start_child (self, child))
    {
      /* Taken up by the supervisor's next step, like a failed start at its beginning. */
      if (!count_restart (self))
        shut_down (self);
      else
        {
          priv->after_stop = AFTER_STOP_RESTART;
          g_ptr_array_add (priv->to_restart, child);
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
  return priv->n_restarts;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-for-process.h"

#include <errno.h>
#include <sys/wait.h>
#include <gio/gio.h>

#include "gtasklet-source-watch-private.h"
#include "gtasklet-wait-condition-private.h"

/**
 * GtaskletWaitForProcess:
 *
 * Waits for a child process to exit.
 *
 * The condition watches the child with a child-watch source (see
 * [func@GLib.child_watch_source_new]), which also reaps it: spawn the child with
 * %G_SPAWN_DO_NOT_REAP_CHILD and do not wait for it elsewhere. When it fires,
 * [method@Gtasklet.WaitForProcess.get_status] gives the wait status, to be checked with
 * [func@GLib.spawn_check_wait_status]; the status is kept for the condition's life. Once the
 * child has been reaped, waiting on the condition again fires it at once, also from the step
 * it woke.
 *
 * A pid that is not a child of this process, or a child that something else has reaped
 * already, cannot be waited for: the wait fails with a `G_IO_ERROR` (from `ECHILD`) instead
 * of never ending.
 *
 * ```c
 * static gboolean
 * run_child (GtaskletTasklet *tasklet, GObject *event, gpointer user_data, GError **error)
 * {
 *   Job *job = user_data; // job->exit = gtasklet_wait_for_process_new (pid)
 *
 *   if (event == NULL)
 *     {
 *       gtasklet_tasklet_wait (tasklet, job->exit);
 *       return TRUE;
 *     }
 *   return g_spawn_check_wait_status (
 *     gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (job->exit)), error);
 * }
 * ```
 *
 * The pid is not closed: on Unix there is nothing to close, elsewhere call
 * [func@GLib.spawn_close_pid] once the condition is no longer used.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForProcessClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForProcess]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  GPid                pid;
  int                 status;
  gboolean            exited;
  /* Active while the condition is armed and the child has not been reaped yet. */
  GtaskletSourceWatch watch;
  /* A GSubprocess reaps its child itself, so it is watched through g_subprocess_wait_async();
   * the cancellable of the current wait stops it on disarm. */
  GSubprocess        *subprocess;
  GCancellable       *subprocess_wait;
} GtaskletWaitForProcessPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForProcess, gtasklet_wait_for_process,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_PID,
  PROP_PRIORITY,
  PROP_SUBPROCESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
on_child_exited (GPid     pid,
                 int      wait_status,
                 gpointer user_data)
{
  GtaskletWaitForProcess *self = user_data;
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);

  /* Record before firing, and never clear afterwards: the step woken by fire() and any later
   * one read the status (the seed cleared it right after the callback). */
  priv->status = wait_status;
  priv->exited = TRUE;

  /* A child watch is one-shot (GLib removes it after this callback): drop ours now so a
   * re-arm from the step woken by fire() knows to fire at once instead. */
  _gtasklet_source_watch_stop (&priv->watch);

  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (self));
  return G_SOURCE_REMOVE;
}

/* One g_subprocess_wait_async(): a disarm cancels it, and a re-arm starts another, so a
 * completion must only touch the state of its own wait. */
typedef struct
{
  GtaskletWaitForProcess *self;
  GCancellable           *cancellable;
} SubprocessWait;

static void
on_subprocess_waited (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SubprocessWait *wait = user_data;
  GtaskletWaitForProcess *self = wait->self;
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);
  g_autoptr (GError) error = NULL;
  gboolean waited = g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);

  if (priv->subprocess_wait == wait->cancellable)
    g_clear_object (&priv->subprocess_wait);

  /* Even a wait cancelled too late learned that the child exited: that is true for every
   * later arming too. */
  if (waited)
    {
      priv->status = g_subprocess_get_status (G_SUBPROCESS (source));
      priv->exited = TRUE;
      if (gtasklet_wait_condition_is_armed (GTASKLET_WAIT_CONDITION (self)))
        gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (self));
    }

  g_object_unref (wait->cancellable);
  g_object_unref (wait->self);
  g_free (wait);
}

/* Whether @pid is a child of this process that nobody has reaped yet (it may have exited):
 * the question is asked without reaping it. On failure errno says why. */
static gboolean
pid_is_child (GPid pid)
{
  siginfo_t info;
  int r;

  do
    r = waitid (P_PID, (id_t) pid, &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT);
  while (r < 0 && errno == EINTR);
  return r == 0;
}

static void
gtasklet_wait_for_process_arm (GtaskletWaitCondition *condition,
                               GtaskletTasklet       *tasklet)
{
  GtaskletWaitForProcess *self = GTASKLET_WAIT_FOR_PROCESS (condition);
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);

  /* A reaped pid cannot be watched again (and may even belong to another process by now):
   * the event has already happened, so report it at once. */
  if (priv->exited)
    {
      gtasklet_wait_condition_fire (condition);
      return;
    }

  if (priv->subprocess != NULL)
    {
      GMainContext *context = gtasklet_wait_condition_get_context (condition);
      SubprocessWait *wait = g_new (SubprocessWait, 1);

      wait->self = g_object_ref (self);
      wait->cancellable = g_cancellable_new ();
      g_set_object (&priv->subprocess_wait, wait->cancellable);
      /* The completion comes in the thread-default context of the call: make that the
       * tasklet's, which this thread runs. */
      g_main_context_push_thread_default (context);
      g_subprocess_wait_async (priv->subprocess, wait->cancellable, on_subprocess_waited, wait);
      g_main_context_pop_thread_default (context);
      return;
    }

  if (!pid_is_child (priv->pid))
    {
      int saved_errno = errno;
      g_autoptr (GError) error = NULL;

      /* GLib's child watch would wait for ever: it only ever reaps children. */
      error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           "Cannot wait for process %d: it is not a child of this process, or "
                           "it was reaped already (%s)", (int) priv->pid,
                           g_strerror (saved_errno));
      gtasklet_wait_condition_fail (condition, error);
      return;
    }

  _gtasklet_source_watch_start (&priv->watch, condition, g_child_watch_source_new (priv->pid),
                                G_SOURCE_FUNC (on_child_exited), "GtaskletWaitForProcess");
}

static void
gtasklet_wait_for_process_disarm (GtaskletWaitCondition *condition)
{
  GtaskletWaitForProcess *self = GTASKLET_WAIT_FOR_PROCESS (condition);
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);

  _gtasklet_source_watch_stop (&priv->watch);
  if (priv->subprocess_wait != NULL)
    {
      g_cancellable_cancel (priv->subprocess_wait);
      g_clear_object (&priv->subprocess_wait);
    }
}

static void
gtasklet_wait_for_process_constructed (GObject *object)
{
  GtaskletWaitForProcess *self = GTASKLET_WAIT_FOR_PROCESS (object);
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);

  G_OBJECT_CLASS (gtasklet_wait_for_process_parent_class)->constructed (object);

  if (priv->subprocess != NULL)
    {
      const char *identifier = g_subprocess_get_identifier (priv->subprocess);

      /* NULL once the subprocess has been reaped. */
      if (identifier != NULL)
        priv->pid = (GPid) g_ascii_strtoll (identifier, NULL, 10);
    }
  else if (priv->pid <= 0)
    _gtasklet_wait_condition_set_invalid (GTASKLET_WAIT_CONDITION (self),
                                          "GtaskletWaitForProcess was given %d, which is not the "
                                          "pid of a child process", priv->pid);
}

static void
gtasklet_wait_for_process_dispose (GObject *object)
{
  GtaskletWaitForProcessPrivate *priv =
    gtasklet_wait_for_process_get_instance_private (GTASKLET_WAIT_FOR_PROCESS (object));

  _gtasklet_source_watch_stop (&priv->watch);
  g_clear_object (&priv->subprocess);

  G_OBJECT_CLASS (gtasklet_wait_for_process_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_process_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  GtaskletWaitForProcess *self = GTASKLET_WAIT_FOR_PROCESS (object);

  switch (prop_id)
    {
    case PROP_PID:
      g_value_set_int (value, gtasklet_wait_for_process_get_pid (self));
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, gtasklet_wait_for_process_get_priority (self));
      break;
    case PROP_SUBPROCESS:
      g_value_set_object (value, gtasklet_wait_for_process_get_subprocess (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_process_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  GtaskletWaitForProcess *self = GTASKLET_WAIT_FOR_PROCESS (object);
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PID:
      priv->pid = g_value_get_int (value);
      break;
    case PROP_PRIORITY:
      gtasklet_wait_for_process_set_priority (self, g_value_get_int (value));
      break;
    case PROP_SUBPROCESS:
      priv->subprocess = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_process_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForProcessPrivate *priv =
    gtasklet_wait_for_process_get_instance_private (GTASKLET_WAIT_FOR_PROCESS (condition));

  if (priv->exited)
    return g_strdup_printf ("process %d, reaped (wait status %d)", (int) priv->pid,
                            priv->status);
  return g_strdup_printf ("process %d", (int) priv->pid);
}

static void
gtasklet_wait_for_process_class_init (GtaskletWaitForProcessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->constructed = gtasklet_wait_for_process_constructed;
  object_class->dispose = gtasklet_wait_for_process_dispose;
  object_class->get_property = gtasklet_wait_for_process_get_property;
  object_class->set_property = gtasklet_wait_for_process_set_property;

  condition_class->arm = gtasklet_wait_for_process_arm;
  condition_class->describe = gtasklet_wait_for_process_describe;
  condition_class->disarm = gtasklet_wait_for_process_disarm;

  /**
   * GtaskletWaitForProcess:pid:
   *
   * The process id of the watched child, spawned with %G_SPAWN_DO_NOT_REAP_CHILD.
   *
   * Since: 1.0
   */
  properties[PROP_PID] =
    g_param_spec_int ("pid", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      (G_PARAM_READWRITE |
                       G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForProcess:priority:
   *
   * The priority of the child-watch source behind the condition, %G_PRIORITY_DEFAULT unless
   * set.
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] = _gtasklet_source_watch_priority_pspec (G_PRIORITY_DEFAULT);

  /**
   * GtaskletWaitForProcess:subprocess:
   *
   * The watched `GSubprocess`, when the condition was made for one.
   *
   * Since: 1.0
   */
  properties[PROP_SUBPROCESS] =
    g_param_spec_object ("subprocess", NULL, NULL, G_TYPE_SUBPROCESS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* An exit is a lasting state: when the step it woke waits on the condition again, the engine
 * keeps it armed without calling arm(), and asks this whether to fire it again. */
static gboolean
gtasklet_wait_for_process_is_done (GtaskletWaitCondition *condition)
{
  GtaskletWaitForProcessPrivate *priv =
    gtasklet_wait_for_process_get_instance_private (GTASKLET_WAIT_FOR_PROCESS (condition));

  return priv->exited;
}

static const GtaskletWaitConditionHooks process_hooks = {
  .is_done = gtasklet_wait_for_process_is_done,
};

static void
gtasklet_wait_for_process_init (GtaskletWaitForProcess *self)
{
  GtaskletWaitForProcessPrivate *priv = gtasklet_wait_for_process_get_instance_private (self);

  _gtasklet_source_watch_init (&priv->watch, G_PRIORITY_DEFAULT);
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &process_hooks);
}

/**
 * gtasklet_wait_for_process_new:
 * @pid: a child process spawned with %G_SPAWN_DO_NOT_REAP_CHILD
 *
 * Creates a wait condition that fires when the child process @pid exits.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForProcess]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_process_new (GPid pid)
{
  /* A pid that is not positive makes an invalid condition (reported, and failing its waiter),
   * not NULL. */
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_PROCESS,
                       "pid", pid,
                       NULL);
}

/**
 * gtasklet_wait_for_process_get_pid:
 * @self: a [class@Gtasklet.WaitForProcess]
 *
 * Gets the watched process.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the process id
 *
 * Since: 1.0
 */
GPid
gtasklet_wait_for_process_get_pid (GtaskletWaitForProcess *self)
{
  GtaskletWaitForProcessPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_PROCESS (self), 0);

  priv = gtasklet_wait_for_process_get_instance_private (self);
  return priv->pid;
}

/**
 * gtasklet_wait_for_process_has_exited:
 * @self: a [class@Gtasklet.WaitForProcess]
 *
 * Whether the process has exited and been reaped by this condition.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: %TRUE once the condition has seen the process exit
 *
 * Since: 1.0
 */
gboolean
gtasklet_wait_for_process_has_exited (GtaskletWaitForProcess *self)
{
  GtaskletWaitForProcessPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_PROCESS (self), FALSE);

  priv = gtasklet_wait_for_process_get_instance_private (self);
  return priv->exited;
}

/**
 * gtasklet_wait_for_process_get_status:
 * @self: a [class@Gtasklet.WaitForProcess]
 *
 * Gets the wait status of the exited process.
 *
 * Pass it to [func@GLib.spawn_check_wait_status], or on Unix decode it with `WIFEXITED()`,
 * `WEXITSTATUS()`, `WIFSIGNALED()` and `WTERMSIG()`. It stays available after the step
 * that the condition woke.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the wait status, or 0 while [method@Gtasklet.WaitForProcess.has_exited] is %FALSE
 *
 * Since: 1.0
 */
int
gtasklet_wait_for_process_get_status (GtaskletWaitForProcess *self)
{
  GtaskletWaitForProcessPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_PROCESS (self), 0);

  priv = gtasklet_wait_for_process_get_instance_private (self);
  return priv->status;
}

/**
 * gtasklet_wait_for_process_get_priority:
 * @self: a [class@Gtasklet.WaitForProcess]
 *
 * Gets the priority of the condition's child-watch source.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the priority, such as %G_PRIORITY_DEFAULT
 *
 * Since: 1.0
 */
int
gtasklet_wait_for_process_get_priority (GtaskletWaitForProcess *self)
{
  GtaskletWaitForProcessPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_PROCESS (self), G_PRIORITY_DEFAULT);

  priv = gtasklet_wait_for_process_get_instance_private (self);
  return priv->watch.priority;
}

/**
 * gtasklet_wait_for_process_set_priority:
 * @self: a [class@Gtasklet.WaitForProcess]
 * @priority: the priority of the child-watch source, such as %G_PRIORITY_HIGH
 *
 * Sets the priority of the condition's child-watch source; it applies at once if the
 * condition is armed.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_process_set_priority (GtaskletWaitForProcess *self,
                                        int                     priority)
{
  GtaskletWaitForProcessPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_PROCESS (self));

  priv = gtasklet_wait_for_process_get_instance_private (self);
  if (_gtasklet_source_watch_set_priority (&priv->watch, priority))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

/**
 * gtasklet_wait_for_process_new_for_subprocess:
 * @subprocess: a `GSubprocess`
 *
 * Creates a condition that fires when @subprocess has exited (at once if it already has).
 * The status is [method@Gio.Subprocess.get_status]'s.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForProcess]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_process_new_for_subprocess (GSubprocess *subprocess)
{
  /* Not a subprocess makes an invalid condition (reported, and failing its waiter). */
  if (!G_IS_SUBPROCESS (subprocess))
    subprocess = NULL;
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_PROCESS, "subprocess", subprocess, NULL);
}

/**
 * gtasklet_wait_for_process_get_subprocess:
 * @self: a [class@Gtasklet.WaitForProcess]
 *
 * The `GSubprocess` this condition watches.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the subprocess, or %NULL for a condition made from a pid
 *
 * Since: 1.0
 */
GSubprocess *
gtasklet_wait_for_process_get_subprocess (GtaskletWaitForProcess *self)
{
  GtaskletWaitForProcessPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_PROCESS (self), NULL);

  priv = gtasklet_wait_for_process_get_instance_private (self);
  return priv->subprocess;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-debug-private.h"
#include "gtasklet-error.h"
#include "gtasklet-stats-private.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-value-private.h"
#include "gtasklet-wait-condition.h"

/**
 * GtaskletTasklet:
 *
 * A cooperative actor on the GLib main loop.
 *
 * A tasklet is a state machine whose [vfunc@Gtasklet.Tasklet.run] performs one *step*. A
 * step does some work, adds the conditions it wants to wait for with
 * [method@Gtasklet.Tasklet.wait] and returns %TRUE; when one of them fires, the next step runs
 * from the main loop with that condition (or the accepted [class@Gtasklet.Message]) as its
 * event. A step that returns %TRUE without waiting finishes the tasklet; one that returns
 * %FALSE with an error fails it.
 *
 * ```c
 * static gboolean
 * count_step (GtaskletTasklet  *tasklet,
 *             GObject          *event,
 *             gpointer          user_data,
 *             GError          **error)
 * {
 *   Counter *c = user_data;
 *
 *   if (c->n == 10)
 *     return TRUE;                        // no wait: the tasklet finishes
 *   g_print ("%u\n", c->n++);
 *   gtasklet_tasklet_wait (tasklet, c->timeout);
 *   return TRUE;
 * }
 *
 * g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (count_step, counter, counter_free);
 * gtasklet_tasklet_start (t);
 * ```
 *
 * Steps run to completion and are never re-entered. Every tasklet has a FIFO mailbox:
 * [method@Gtasklet.Tasklet.send] queues a message there and never runs the receiver inside
 * the call; the receiver's step runs from its main context after the sender's step returned.
 * The one step that runs inside its caller is a new tasklet's first, inside
 * [method@Gtasklet.Tasklet.start].
 *
 * A tasklet belongs to the thread-default main context of the thread that starts it, and its
 * steps run on the thread that iterates that context. A started tasklet keeps itself alive
 * until it finishes.
 *
 * ## Threads
 *
 * These calls are safe from any thread, on any tasklet:
 * [method@Gtasklet.Tasklet.send], [method@Gtasklet.Tasklet.send_message],
 * [method@Gtasklet.Tasklet.cancel], [method@Gtasklet.Tasklet.get_state],
 * [method@Gtasklet.Tasklet.get_cancellable], [method@Gtasklet.Tasklet.join_async] (it
 * completes in the caller's thread-default context), and
 * [method@Gtasklet.Tasklet.get_result] and [method@Gtasklet.Tasklet.get_error] once the
 * tasklet has finished; so is [func@Gtasklet.Tasklet.list_live]. Messages from one sender
 * to one receiver arrive in the order sent, across threads too. The calls made from a step
 * ([method@Gtasklet.Tasklet.wait], [method@Gtasklet.Tasklet.receive],
 * [method@Gtasklet.Tasklet.return_value]) belong to the tasklet's own step;
 * [method@Gtasklet.Tasklet.describe] and [method@Gtasklet.Tasklet.get_statistics] belong to
 * the tasklet's thread.
 *
 * For steps written top to bottom like a generator, see the `GTASKLET_BEGIN` family of
 * macros.
 *
 * Since: 1.0
 */

/**
 * GtaskletTaskletClass:
 * @parent_class: the parent class
 * @run: performs one step of the tasklet
 *
 * The class structure of [class@Gtasklet.Tasklet]. Subclasses override @run.
 *
 * Since: 1.0
 */

/**
 * GtaskletTaskletClass::run:
 * @self: the tasklet
 * @event: (nullable): what woke the tasklet: %NULL for the first step, the
 *   [class@Gtasklet.WaitCondition] that fired, or the [class@Gtasklet.Message] that a
 *   [class@Gtasklet.WaitForMessages] accepted; valid for the whole step
 * @error: return location for the error that fails the tasklet
 *
 * Performs one step. Inside it, [method@Gtasklet.Tasklet.wait] adds conditions to the next
 * wait set and [method@Gtasklet.Tasklet.return_value] sets the result. When the step returns
 * %TRUE the new wait set is armed before control goes back to the caller, or, if the step
 * added no condition, the tasklet finishes. Returning %FALSE with @error set fails the
 * tasklet with that error; returning %FALSE without an error is a programmer error.
 *
 * Returns: %TRUE to wait or finish, %FALSE with @error set to fail
 *
 * Since: 1.0
 */


G_DEFINE_TYPE_WITH_PRIVATE (GtaskletTasklet, gtasklet_tasklet, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
guint _gtasklet_tasklet_finished_signal;
int _gtasklet_tasklet_private_offset;

enum {
  PROP_0,
  PROP_CANCELLABLE,
  PROP_NAME,
  PROP_TRAP_EXITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
GParamSpec *_gtasklet_tasklet_trap_exits_pspec;

/* GObject */

static gboolean
gtasklet_tasklet_real_run (GtaskletTasklet  *self,
                           GObject          *event,
                           GError          **error)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  if (priv->func == NULL)
    {
      g_critical ("%s does not override GtaskletTaskletClass.run and has no step function",
                  G_OBJECT_TYPE_NAME (self));
      g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_FAILED,
                   "%s has no step function", G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }

  return priv->func (self, event, priv->func_data, error);
}

/* The code that runs @self's steps: its class's run, or the closure given to
 * gtasklet_tasklet_new(). */
gpointer
_gtasklet_tasklet_get_step_code (GtaskletTasklet *self)
{
  GtaskletTaskletClass *klass = GTASKLET_TASKLET_GET_CLASS (self);

  if (klass->run == gtasklet_tasklet_real_run)
    return (gpointer) _gtasklet_tasklet_get_private (self)->func;
  return (gpointer) klass->run;
}

static void
release_func_data (GtaskletTaskletPrivate *priv)
{
  GDestroyNotify destroy = g_steal_pointer (&priv->func_destroy);
  gpointer data = g_steal_pointer (&priv->func_data);

  if (destroy != NULL)
    destroy (data);
}

static void
gtasklet_tasklet_dispose (GObject *object)
{
  GtaskletTasklet *self = GTASKLET_TASKLET (object);
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletState state;

  _gtasklet_tsan_disposing (object);
  state = _gtasklet_tasklet_peek_state (self);

  if (state == GTASKLET_STATE_SUSPENDED || state == GTASKLET_STATE_RUNNING)
    {
      /* Only g_object_run_dispose() gets here (a started tasklet holds itself): it ends as if
       * cancelled, and keeps its step function until then. */
      _gtasklet_tasklet_end_disposed (self);
    }
  else if (state == GTASKLET_STATE_NEW)
    {
      GtaskletFinishWatch *watches = _gtasklet_tasklet_steal_finish_watches (self);
      guint dropped;

      /* Dropped without being started: it will never finish, so its joiners hear it now. */
      if (watches != NULL)
        {
          GtaskletTaskletExtras *extras = _gtasklet_tasklet_get_extras (self);

          extras->error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NOT_STARTED,
                                       "%s %p was dropped without being started",
                                       G_OBJECT_TYPE_NAME (self), self);
          g_atomic_int_set (&extras->error_seen, TRUE);
          _gtasklet_tasklet_notify_finish_watches (self, watches);
        }

      _gtasklet_mailbox_forget_dest (&priv->mailbox);
      dropped = _gtasklet_mailbox_clear (&priv->mailbox);
      if (dropped > 0)
        g_debug ("%s %p disposed before it started, with %u message%s, dropped",
                 G_OBJECT_TYPE_NAME (self), self, dropped, dropped == 1 ? "" : "s");
      release_func_data (priv);
    }
  else
    {
      release_func_data (priv);
    }

  G_OBJECT_CLASS (gtasklet_tasklet_parent_class)->dispose (object);
}

/* What finalize frees, apart from the GObject itself (a pooled tasklet is reset with it). */
void
_gtasklet_tasklet_release_state (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletTaskletExtras *extras = priv->extras;

  release_func_data (priv);
  _gtasklet_mailbox_clear (&priv->mailbox);

  if (extras != NULL)
    {
      /* A failure nobody looked at would otherwise vanish without a trace, as asyncio warns
       * about a task exception that was never retrieved. */
      if (extras->error != NULL && !g_atomic_int_get (&extras->error_seen))
        g_message ("%s%s%s%s %p failed and nobody read its error: %s (%s, %d)",
                   G_OBJECT_TYPE_NAME (self),
                   extras->name != NULL ? " '" : "",
                   extras->name != NULL ? extras->name : "",
                   extras->name != NULL ? "'" : "",
                   self, extras->error->message,
                   g_quark_to_string (extras->error->domain), extras->error->code);

      g_assert (extras->watches == NULL);
      g_clear_error (&extras->pending_failure);
      g_clear_error (&extras->error);
      g_clear_object (&extras->cancellable);
      g_free (extras->name);
      g_free (extras->stats);
      g_clear_pointer (&priv->extras, g_free);
    }
  _gtasklet_value_clear (&priv->result);
  g_clear_pointer (&priv->scheduler, _gtasklet_scheduler_unref);
}

static void
gtasklet_tasklet_finalize (GObject *object)
{
  _gtasklet_tasklet_release_state (GTASKLET_TASKLET (object));

  G_OBJECT_CLASS (gtasklet_tasklet_parent_class)->finalize (object);
}

static void
gtasklet_tasklet_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GtaskletTasklet *self = GTASKLET_TASKLET (object);

  switch (prop_id)
    {
    case PROP_CANCELLABLE:
      /* What exists: reading a property must not create one. */
      g_value_set_object (value, _gtasklet_tasklet_peek_cancellable (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, gtasklet_tasklet_get_name (self));
      break;
    case PROP_TRAP_EXITS:
      g_value_set_boolean (value, gtasklet_tasklet_get_trap_exits (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_tasklet_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GtaskletTasklet *self = GTASKLET_TASKLET (object);

  switch (prop_id)
    {
    case PROP_CANCELLABLE:
      if (g_value_get_object (value) != NULL)
        _gtasklet_tasklet_adopt_cancellable (self, g_value_get_object (value));
      break;
    case PROP_NAME:
      gtasklet_tasklet_set_name (self, g_value_get_string (value));
      break;
    case PROP_TRAP_EXITS:
      gtasklet_tasklet_set_trap_exits (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_tasklet_class_init (GtaskletTaskletClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gtasklet_tasklet_dispose;
  object_class->finalize = gtasklet_tasklet_finalize;
  object_class->get_property = gtasklet_tasklet_get_property;
  object_class->set_property = gtasklet_tasklet_set_property;

  klass->run = gtasklet_tasklet_real_run;

  _gtasklet_tasklet_private_offset = GtaskletTasklet_private_offset;
  _gtasklet_tasklet_register_member_func ();
  _gtasklet_stats_init_from_env ();
  _gtasklet_debug_init_from_env ();

  /**
   * GtaskletTasklet:cancellable:
   *
   * The tasklet's `GCancellable`, given at construction (give the same one to several
   * tasklets to stop them as a group) or created by
   * [method@Gtasklet.Tasklet.get_cancellable]; %NULL until then (reading the property does
   * not create one).
   *
   * Since: 1.0
   */
  properties[PROP_CANCELLABLE] =
    g_param_spec_object ("cancellable", NULL, NULL, G_TYPE_CANCELLABLE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletTasklet:name:
   *
   * A label for people and tools (debug output, logs), or %NULL.
   *
   * Since: 1.2
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletTasklet:trap-exits:
   *
   * Whether the end of a tasklet linked to this one ([method@Gtasklet.Tasklet.link]) reaches
   * it as a message named [const@Gtasklet.MESSAGE_EXIT] instead of failing it (when the linked
   * tasklet failed) or going unnoticed (when it finished normally). Supervisors trap exits.
   *
   * Since: 1.2
   */
  properties[PROP_TRAP_EXITS] =
    g_param_spec_boolean ("trap-exits", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _gtasklet_tasklet_trap_exits_pspec = properties[PROP_TRAP_EXITS];

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtaskletTasklet::finished:
   * @self: the tasklet
   *
   * Emitted once when the tasklet finishes, after its result or error is set and its wait set
   * disarmed, on the thread that runs its steps. Joiners ([class@Gtasklet.WaitForTasklet],
   * [method@Gtasklet.Tasklet.join_async]) are told after this emission.
   *
   * Since: 1.0
   */
  /* No class closure and no emission hooks: GLib's emission then takes its fast path for a
   * tasklet nobody connected to, which is most of them. */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_NO_HOOKS,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
  _gtasklet_tasklet_finished_signal = signals[FINISHED];
}

static void
gtasklet_tasklet_init (GtaskletTasklet *self)
{
}

/* Public API */

/**
 * gtasklet_tasklet_new:
 * @func: (scope notified) (closure user_data) (destroy destroy): the step function
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the tasklet is done with it
 *
 * Creates a tasklet whose steps are calls to @func, for tasklets that need no subclass.
 * Start it with [method@Gtasklet.Tasklet.start].
 *
 * This function is thread-safe: the new tasklet belongs to the context of the thread that
 * starts it.
 *
 * Returns: (transfer full): a new [class@Gtasklet.Tasklet]
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_tasklet_new (GtaskletRunFunc func,
                      gpointer        user_data,
                      GDestroyNotify  destroy)
{
  g_return_val_if_fail (func != NULL, NULL);

  return gtasklet_tasklet_new_full (NULL, func, user_data, destroy);
}

/**
 * gtasklet_tasklet_new_full:
 * @cancellable: (nullable): the tasklet's cancellable, possibly shared with other tasklets
 * @func: (scope notified) (closure user_data) (destroy destroy): the step function
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the tasklet is done with it
 *
 * Like [ctor@Gtasklet.Tasklet.new], with the [property@Gtasklet.Tasklet:cancellable] given
 * at construction: one cancellable can then stop a group of tasklets.
 *
 * This function is thread-safe: the new tasklet belongs to the context of the thread that
 * starts it.
 *
 * Returns: (transfer full): a new [class@Gtasklet.Tasklet]
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_tasklet_new_full (GCancellable    *cancellable,
                           GtaskletRunFunc  func,
                           gpointer         user_data,
                           GDestroyNotify   destroy)
{
  GtaskletTasklet *self;
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = _gtasklet_tasklet_pool_take ();
  if (self == NULL)
    self = g_object_new (GTASKLET_TYPE_TASKLET, NULL);
  priv = _gtasklet_tasklet_get_private (self);
  if (cancellable != NULL)
    _gtasklet_tasklet_adopt_cancellable (self, cancellable);
  priv->func = func;
  priv->func_data = user_data;
  priv->func_destroy = destroy;
  return self;
}

/**
 * gtasklet_tasklet_start:
 * @self: a new [class@Gtasklet.Tasklet]
 *
 * Starts the tasklet on the thread-default main context: its first step runs (with a %NULL
 * event) before this returns, and its first wait set is armed by then.
 *
 * That holds when this thread runs the context, or when no thread does at the moment (the
 * context is then acquired for the first step). If another thread is running the context,
 * the first step runs there, shortly after this returns.
 *
 * From now on the tasklet keeps itself alive until it finishes, so the caller may drop its
 * reference. Starting a tasklet twice is a programmer error.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_start (GtaskletTasklet *self)
{
  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  _gtasklet_tasklet_start_in (self, NULL, FALSE);
}

/**
 * gtasklet_tasklet_wait:
 * @self: the running [class@Gtasklet.Tasklet]
 * @condition: a [class@Gtasklet.WaitCondition]
 *
 * Adds @condition to the set the tasklet waits for after the current step. Call it several
 * times to wait for the first of several conditions. Only the tasklet's own step may call it.
 *
 * The tasklet takes its own reference while the condition is in its wait set, so the caller
 * keeps (or drops) its own. Waiting on %NULL, on a condition in another tasklet's wait set,
 * or from outside the tasklet's step is a programmer error: it is reported, and the tasklet
 * then fails with %GTASKLET_ERROR_MISUSE.
 *
 * Call it from the tasklet's own step, on the thread that runs it.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_wait (GtaskletTasklet       *self,
                       GtaskletWaitCondition *condition)
{
  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  if (!GTASKLET_IS_WAIT_CONDITION (condition))
    {
      _gtasklet_tasklet_misuse (self, "gtasklet_tasklet_wait() on %s %p was given %s instead of "
                                "a wait condition", G_OBJECT_TYPE_NAME (self), self,
                                condition == NULL ? "NULL" : "something else");
      return;
    }

  _gtasklet_tasklet_add_wait (self, condition, NULL);
}

/**
 * gtasklet_tasklet_receive:
 * @self: the running [class@Gtasklet.Tasklet]
 * @accept: (nullable) (array zero-terminated=1): names of the messages to accept
 * @defer: (nullable) (array zero-terminated=1): names of the messages to defer
 * @discard: (nullable) (array zero-terminated=1): names of the messages to discard
 *
 * Adds a receive to the set the tasklet waits for after the current step: the same as
 * waiting on a [class@Gtasklet.WaitForMessages] with these lists (the event is the accepted
 * [class@Gtasklet.Message]), without creating a condition. A tasklet that receives the same
 * way at every step costs no new object per step, and an idle tasklet waiting this way costs
 * only itself.
 *
 * `"*"` in a list stands for every name not listed otherwise. Giving no name at all is a
 * programmer error (nothing could ever be received). Only the tasklet's own step may call it.
 *
 * Call it from the tasklet's own step, on the thread that runs it.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_receive (GtaskletTasklet    *self,
                          const char * const *accept,
                          const char * const *defer,
                          const char * const *discard)
{
  GtaskletReceiveSpec *spec;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  spec = _gtasklet_receive_spec_get_cached (accept, defer, discard);
  if (_gtasklet_receive_spec_is_empty (spec))
    {
      _gtasklet_tasklet_misuse (self, "gtasklet_tasklet_receive() on %s %p was given no message "
                                "name: it could never receive anything",
                                G_OBJECT_TYPE_NAME (self), self);
      return;
    }

  _gtasklet_tasklet_add_wait (self, NULL, spec);
}

/**
 * gtasklet_tasklet_return_value:
 * @self: the running [class@Gtasklet.Tasklet]
 * @value: (nullable): the result, copied; %NULL clears it
 *
 * Sets the tasklet's result, read with [method@Gtasklet.Tasklet.get_result] once it has
 * finished. Only the tasklet's own step may call it.
 *
 * Call it from the tasklet's own step, on the thread that runs it.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_return_value (GtaskletTasklet *self,
                               const GValue    *value)
{
  GtaskletTaskletPrivate *priv;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));
  g_return_if_fail (value == NULL || G_IS_VALUE (value));

  if (!_gtasklet_tasklet_is_in_step (self))
    {
      _gtasklet_tasklet_misuse (self, "gtasklet_tasklet_return_value() called outside a step of "
                                "%s %p", G_OBJECT_TYPE_NAME (self), self);
      return;
    }

  priv = _gtasklet_tasklet_get_private (self);
  _gtasklet_value_clear (&priv->result);
  if (value != NULL)
    _gtasklet_value_copy_into (&priv->result, value);
}

/**
 * gtasklet_tasklet_get_state:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * Where the tasklet is in its life cycle.
 *
 * This function is thread-safe; from another thread the answer may be out of date as soon as
 * it returns, except %GTASKLET_STATE_FINISHED, which is final.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
GtaskletState
gtasklet_tasklet_get_state (GtaskletTasklet *self)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), GTASKLET_STATE_NEW);

  return _gtasklet_tasklet_peek_state (self);
}

/**
 * gtasklet_tasklet_get_result:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The result set by [method@Gtasklet.Tasklet.return_value].
 *
 * This function is thread-safe once the tasklet has finished.
 *
 * Returns: (transfer none) (nullable): the result once the tasklet has finished with one,
 *   else %NULL
 *
 * Since: 1.0
 */
const GValue *
gtasklet_tasklet_get_result (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  if (_gtasklet_tasklet_peek_state (self) != GTASKLET_STATE_FINISHED)
    return NULL;
  extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  if ((extras != NULL && extras->error != NULL) ||
      !G_IS_VALUE (&_gtasklet_tasklet_get_private (self)->result))
    return NULL;
  return &_gtasklet_tasklet_get_private (self)->result;
}

/**
 * gtasklet_tasklet_get_error:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The error the tasklet failed with.
 *
 * This function is thread-safe once the tasklet has finished.
 *
 * Returns: (transfer none) (nullable): the error once the tasklet has finished with one, else
 *   %NULL
 *
 * Since: 1.0
 */
const GError *
gtasklet_tasklet_get_error (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  if (_gtasklet_tasklet_peek_state (self) != GTASKLET_STATE_FINISHED)
    return NULL;
  extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  if (extras == NULL || extras->error == NULL)
    return NULL;
  g_atomic_int_set (&extras->error_seen, TRUE);
  return extras->error;
}

/**
 * gtasklet_tasklet_get_n_pending_messages:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * How many messages wait in the tasklet's mailbox (deferred, or not named by its current
 * wait set). Call it from the tasklet's thread.
 *
 * Returns: the number of queued messages
 *
 * Since: 1.0
 */
guint
gtasklet_tasklet_get_n_pending_messages (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;
  guint n;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), 0);

  priv = _gtasklet_tasklet_get_private (self);
  if (_gtasklet_tasklet_peek_state (self) != GTASKLET_STATE_NEW)
    return _gtasklet_tasklet_count_pending (self);

  /* Before the start, sends from any thread fill the mailbox under the lock. */
  _gtasklet_lock (_gtasklet_lock_for (self));
  n = priv->mailbox.length;
  _gtasklet_unlock (_gtasklet_lock_for (self));
  return n;
}

/**
 * gtasklet_tasklet_get_current:
 *
 * The tasklet whose step is running on this thread.
 *
 * Returns: (transfer none) (nullable): the running tasklet, or %NULL outside any step
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_tasklet_get_current (void)
{
  return _gtasklet_tasklet_current ();
}

/**
 * gtasklet_tasklet_get_context:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The main context the tasklet runs on: the thread-default context when it was started.
 *
 * Returns: (transfer none) (nullable): the context, or %NULL before the tasklet is started
 *   and once that context has been destroyed
 *
 * Since: 1.0
 */
GMainContext *
gtasklet_tasklet_get_context (GtaskletTasklet *self)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_NEW)
    return NULL;
  return _gtasklet_scheduler_get_context (_gtasklet_tasklet_get_private (self)->scheduler);
}

/**
 * gtasklet_tasklet_get_name:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The tasklet's [property@Gtasklet.Tasklet:name].
 *
 * This function may be called from any thread once the name is set (set it before sharing the
 * tasklet).
 *
 * Returns: (nullable): the name, or %NULL
 *
 * Since: 1.2
 */
const char *
gtasklet_tasklet_get_name (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  return extras != NULL ? extras->name : NULL;
}

/**
 * gtasklet_tasklet_set_name:
 * @self: a [class@Gtasklet.Tasklet]
 * @name: (nullable): a label for people and tools
 *
 * Sets the tasklet's [property@Gtasklet.Tasklet:name]. Set it before other threads may read
 * it (typically right after creating the tasklet).
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_set_name (GtaskletTasklet *self,
                           const char      *name)
{
  GtaskletTaskletExtras *extras;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  extras = _gtasklet_tasklet_get_extras (self);
  if (g_strcmp0 (extras->name, name) == 0)
    return;
  g_free (extras->name);
  extras->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

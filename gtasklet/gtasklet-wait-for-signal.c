/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-for-signal.h"

#include "gtasklet-thread-private.h"
#include "gtasklet-wait-condition-private.h"

/**
 * GtaskletWaitForSignal:
 *
 * Waits for a GObject signal to be emitted.
 *
 * While the condition is armed, each emission of the signal on the object fires it and
 * replaces the arguments it keeps: [method@Gtasklet.WaitForSignal.get_n_args] and
 * [method@Gtasklet.WaitForSignal.get_arg] give the latest emission's arguments, without the
 * emitting object itself. Emissions while the condition is not armed are not seen.
 *
 * The condition only watches: it never changes the signal's return value and never stops an
 * emission, so a boolean signal with a "handled" accumulator still reaches the handlers that
 * decide it.
 *
 * The object is not kept alive by the condition (it holds a weak reference). If the object is
 * finalized, the condition forgets it and its arguments; if it was armed, it fires, so that
 * the waiting tasklet learns it, and [method@Gtasklet.WaitForSignal.get_object] returns
 * %NULL. Waiting on a condition whose object is gone fires it at once, each time, also from
 * the step it woke.
 *
 * ```c
 * static gboolean
 * wait_changed (GtaskletTasklet *tasklet, GObject *event, gpointer user_data, GError **error)
 * {
 *   GtaskletWaitCondition *changed = user_data; // gtasklet_wait_for_signal_new (settings,
 *                                               //   "changed::font-name")
 *   GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (changed);
 *
 *   if (event != NULL && gtasklet_wait_for_signal_get_object (self) == NULL)
 *     return TRUE; // the settings object is gone: finish
 *   if (event != NULL)
 *     g_print ("%s changed\n",
 *              g_value_get_string (gtasklet_wait_for_signal_get_arg (self, 0)));
 *   gtasklet_tasklet_wait (tasklet, changed);
 *   return TRUE;
 * }
 * ```
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForSignalClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForSignal]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  /* Weak: a condition waiting for "destroy" or "closed" must not keep the object alive. */
  GObject  *object;
  char     *detailed_signal;
  guint     signal_id;
  GQuark    detail;
  /* The object was finalized (set on the finalizing thread): the event that ends all waiting
   * has happened. */
  int       object_gone;
  gboolean  use_hook;
  gulong    handler_id;
  gulong    hook_id;
  /* The arguments of the emission the step was woken for, the emitting instance left out;
   * touched only on the waiting tasklet's thread. */
  GValue   *args;
  guint     n_args;
  /* The latest emission's arguments, written on the emitting thread under the condition's
   * lock and moved to @args when the condition is delivered: an emission on another thread
   * never writes what a running step reads. */
  GValue   *pending_args;
  guint     n_pending_args;
} GtaskletWaitForSignalPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForSignal, gtasklet_wait_for_signal,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_OBJECT,
  PROP_SIGNAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
free_args (GValue *args,
           guint   n_args)
{
  for (guint i = 0; i < n_args; i++)
    g_value_unset (&args[i]);
  g_free (args);
}

static void
clear_args (GtaskletWaitForSignalPrivate *priv)
{
  free_args (g_steal_pointer (&priv->args), priv->n_args);
  priv->n_args = 0;
}

/* Copies, on the emitting thread: the emission's values only live as long as the emission,
 * and the step runs later, maybe elsewhere. */
static void
store_args (GtaskletWaitForSignal *self,
            guint                  n_values,
            const GValue          *values)
{
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GValue *args = n_values > 0 ? g_new0 (GValue, n_values) : NULL;
  GValue *old;
  guint n_old;

  for (guint i = 0; i < n_values; i++)
    {
      g_value_init (&args[i], G_VALUE_TYPE (&values[i]));
      g_value_copy (&values[i], &args[i]);
    }

  _gtasklet_lock (lock);
  old = priv->pending_args;
  n_old = priv->n_pending_args;
  priv->pending_args = args;
  priv->n_pending_args = n_values;
  _gtasklet_unlock (lock);

  free_args (old, n_old);
}

/* On the waiting tasklet's thread, before the step woken by an emission runs. */
static void
gtasklet_wait_for_signal_delivered (GtaskletWaitCondition *condition)
{
  GtaskletWaitForSignalPrivate *priv =
    gtasklet_wait_for_signal_get_instance_private (GTASKLET_WAIT_FOR_SIGNAL (condition));
  GtaskletLock *lock = _gtasklet_lock_for (condition);
  GValue *args;
  guint n_args;

  _gtasklet_lock (lock);
  args = g_steal_pointer (&priv->pending_args);
  n_args = priv->n_pending_args;
  priv->n_pending_args = 0;
  _gtasklet_unlock (lock);

  /* Woken because the object was finalized: there are no new arguments, only none. */
  if (args == NULL && !g_atomic_int_get (&priv->object_gone))
    return;
  clear_args (priv);
  priv->args = args;
  priv->n_args = n_args;
}

/* May run on two threads at once (a disarm, and the object's finalization elsewhere): the
 * ids are taken under the lock so each is removed once. */
static void
stop_watching (GtaskletWaitForSignal *self)
{
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GObject *object;
  gulong handler_id, hook_id;

  _gtasklet_lock (lock);
  object = priv->object;
  handler_id = priv->handler_id;
  hook_id = priv->hook_id;
  priv->handler_id = 0;
  priv->hook_id = 0;
  _gtasklet_unlock (lock);

  /* A finalized object has already dropped its handlers. */
  if (handler_id != 0 && object != NULL && g_signal_handler_is_connected (object, handler_id))
    g_signal_handler_disconnect (object, handler_id);
  if (hook_id != 0)
    g_signal_remove_emission_hook (priv->signal_id, hook_id);
}

static void
on_emission (GClosure     *closure,
             GValue       *return_value,
             guint         n_param_values,
             const GValue *param_values,
             gpointer      invocation_hint,
             gpointer      marshal_data)
{
  GtaskletWaitForSignal *self = closure->data;

  /* return_value is never written: for a signal without accumulator, leaving it alone keeps
   * what earlier handlers returned. */
  g_assert (n_param_values >= 1);
  store_args (self, n_param_values - 1, param_values + 1);
  /* Nothing of self is touched after this: the step it may run can drop the condition. */
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (self));
}

static void
closure_release_self (gpointer  data,
                      GClosure *closure)
{
  g_object_unref (data);
}

/* What an emission hook holds. An emission on another thread may be inside the hook when this
 * thread removes it and drops the condition, so the hook must keep the condition alive for
 * the length of each call; but GLib frees a hook's data under its signal lock, where the
 * condition's last reference must not go (finalizing it takes that lock). So the hook's data
 * is a weak reference, and each call holds a strong one while it runs (hooks run outside the
 * lock). */
typedef struct
{
  GWeakRef condition;
} HookData;

static void
hook_data_free (gpointer data)
{
  HookData *hook = data;

  g_weak_ref_clear (&hook->condition);
  g_free (hook);
}

static gboolean
on_emission_hook (GSignalInvocationHint *ihint,
                  guint                  n_param_values,
                  const GValue          *param_values,
                  gpointer               user_data)
{
  GtaskletWaitForSignal *self = g_weak_ref_get (&((HookData *) user_data)->condition);
  GtaskletWaitForSignalPrivate *priv;

  if (self == NULL)
    return TRUE;
  priv = gtasklet_wait_for_signal_get_instance_private (self);

  /* The hook sees every instance's emissions (GLib already matched the detail). */
  g_assert (n_param_values >= 1);
  if (priv->object != NULL && g_value_peek_pointer (&param_values[0]) == (gpointer) priv->object)
    {
      store_args (self, n_param_values - 1, param_values + 1);
      gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (self));
    }
  g_object_unref (self);

  /* Stay installed: disarm removes the hook, possibly already from inside fire(). */
  return TRUE;
}

static void
on_object_finalized (gpointer  user_data,
                     GObject  *where_the_object_was)
{
  GtaskletWaitForSignal *self = user_data;
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);

  /* GObject destroys the object's handlers before it notifies weak references, so
   * stop_watching() must not disconnect from it any more. */
  _gtasklet_lock (lock);
  priv->object = NULL;
  priv->handler_id = 0;
  _gtasklet_unlock (lock);
  g_atomic_int_set (&priv->object_gone, TRUE);
  stop_watching (self);

  /* Queued, never run here: the step would otherwise run inside someone's g_object_unref(). */
  _gtasklet_wait_condition_fire_later (GTASKLET_WAIT_CONDITION (self));
}

static void
gtasklet_wait_for_signal_arm (GtaskletWaitCondition *condition,
                              GtaskletTasklet       *tasklet)
{
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (condition);
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  gulong id;

  if (g_atomic_int_get (&priv->object_gone))
    {
      gtasklet_wait_condition_fire (condition);
      return;
    }

  /* (A condition without a valid object and signal was marked invalid at construction and
   * never gets here.) */

  if (priv->use_hook)
    {
      /* The signal returns a value. A handler must return something, and with an
       * accumulator even an untouched return value goes through it (a "first wins"
       * accumulator would stop at our default). An emission hook runs without taking part
       * in the return value at all, at the cost of seeing every instance's emissions. */
      HookData *hook = g_new0 (HookData, 1);

      g_weak_ref_init (&hook->condition, self);
      id = g_signal_add_emission_hook (priv->signal_id, priv->detail,
                                       on_emission_hook, hook, hook_data_free);
      _gtasklet_lock (lock);
      priv->hook_id = id;
      _gtasklet_unlock (lock);
    }
  else
    {
      /* The closure holds a reference on the condition: an emission on another thread may
       * have entered the handler when this thread disconnects it and drops the condition,
       * and GLib keeps the closure (not its data) until that emission has left it. GLib
       * drops a handler's closure outside its signal lock, so this last reference may go
       * there. */
      GClosure *closure = g_closure_new_simple (sizeof (GClosure), g_object_ref (self));

      g_closure_add_finalize_notifier (closure, self, closure_release_self);
      /* Our own marshal rather than a C callback: it sees the arguments as GValues whatever
       * the signal's signature, and never touches the return value. */
      g_closure_set_marshal (closure, on_emission);
      id = g_signal_connect_closure_by_id (priv->object, priv->signal_id,
                                           priv->detail, closure, FALSE);
      _gtasklet_lock (lock);
      priv->handler_id = id;
      _gtasklet_unlock (lock);
    }
}

static void
gtasklet_wait_for_signal_disarm (GtaskletWaitCondition *condition)
{
  stop_watching (GTASKLET_WAIT_FOR_SIGNAL (condition));
}

static void
gtasklet_wait_for_signal_constructed (GObject *object)
{
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (object);
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);
  GSignalQuery query;
  GType return_type;

  G_OBJECT_CLASS (gtasklet_wait_for_signal_parent_class)->constructed (object);

  if (priv->object == NULL)
    {
      _gtasklet_wait_condition_set_invalid (GTASKLET_WAIT_CONDITION (self),
                                            "GtaskletWaitForSignal was given no object to watch "
                                            "(the \"object\" property)");
      return;
    }
  if (priv->detailed_signal == NULL)
    {
      _gtasklet_wait_condition_set_invalid (GTASKLET_WAIT_CONDITION (self),
                                            "GtaskletWaitForSignal was given no signal name to "
                                            "watch on %s", G_OBJECT_TYPE_NAME (priv->object));
      return;
    }
  if (!g_signal_parse_name (priv->detailed_signal, G_OBJECT_TYPE (priv->object),
                            &priv->signal_id, &priv->detail, TRUE))
    {
      _gtasklet_wait_condition_set_invalid (GTASKLET_WAIT_CONDITION (self),
                                            "no signal '%s' on %s", priv->detailed_signal,
                                            G_OBJECT_TYPE_NAME (priv->object));
      return;
    }

  g_signal_query (priv->signal_id, &query);
  return_type = query.return_type & ~G_SIGNAL_TYPE_STATIC_SCOPE;
  /* Signals that refuse hooks get a handler even if they return a value: then an
   * accumulator still sees the handler's untouched default (see arm()). */
  priv->use_hook = return_type != G_TYPE_NONE && !(query.signal_flags & G_SIGNAL_NO_HOOKS);
}

static void
gtasklet_wait_for_signal_dispose (GObject *object)
{
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (object);
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);

  stop_watching (self);
  if (priv->object != NULL)
    {
      g_object_weak_unref (priv->object, on_object_finalized, self);
      priv->object = NULL;
    }
  /* The arguments may hold references to other objects. */
  clear_args (priv);
  free_args (g_steal_pointer (&priv->pending_args), priv->n_pending_args);
  priv->n_pending_args = 0;

  G_OBJECT_CLASS (gtasklet_wait_for_signal_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_signal_finalize (GObject *object)
{
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (object);
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);

  g_free (priv->detailed_signal);

  G_OBJECT_CLASS (gtasklet_wait_for_signal_parent_class)->finalize (object);
}

static void
gtasklet_wait_for_signal_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (object);

  switch (prop_id)
    {
    case PROP_OBJECT:
      g_value_set_object (value, gtasklet_wait_for_signal_get_object (self));
      break;
    case PROP_SIGNAL:
      g_value_set_string (value, gtasklet_wait_for_signal_get_signal (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_signal_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (object);
  GtaskletWaitForSignalPrivate *priv = gtasklet_wait_for_signal_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_OBJECT:
      /* Construct-only, so set once. */
      g_assert (priv->object == NULL);
      priv->object = g_value_get_object (value);
      if (priv->object != NULL)
        g_object_weak_ref (priv->object, on_object_finalized, self);
      break;
    case PROP_SIGNAL:
      g_assert (priv->detailed_signal == NULL);
      priv->detailed_signal = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_signal_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForSignalPrivate *priv =
    gtasklet_wait_for_signal_get_instance_private (GTASKLET_WAIT_FOR_SIGNAL (condition));
  const char *signal = priv->detailed_signal != NULL ? priv->detailed_signal : "(none)";

  if (g_atomic_int_get (&priv->object_gone) || priv->object == NULL)
    return g_strdup_printf ("signal %s on a finalized object", signal);
  return g_strdup_printf ("signal %s on %s %p", signal, G_OBJECT_TYPE_NAME (priv->object),
                          priv->object);
}

static void
gtasklet_wait_for_signal_class_init (GtaskletWaitForSignalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->constructed = gtasklet_wait_for_signal_constructed;
  object_class->dispose = gtasklet_wait_for_signal_dispose;
  object_class->finalize = gtasklet_wait_for_signal_finalize;
  object_class->get_property = gtasklet_wait_for_signal_get_property;
  object_class->set_property = gtasklet_wait_for_signal_set_property;

  condition_class->arm = gtasklet_wait_for_signal_arm;
  condition_class->describe = gtasklet_wait_for_signal_describe;
  condition_class->disarm = gtasklet_wait_for_signal_disarm;

  /**
   * GtaskletWaitForSignal:object:
   *
   * The object whose signal the condition waits for, or %NULL once it has been finalized.
   *
   * The condition holds only a weak reference on it.
   *
   * Since: 1.0
   */
  properties[PROP_OBJECT] =
    g_param_spec_object ("object", NULL, NULL,
                         G_TYPE_OBJECT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForSignal:signal:
   *
   * The signal the condition waits for, in the form `signal-name::detail` (the detail is
   * optional), as for [func@GObject.signal_connect].
   *
   * Since: 1.0
   */
  properties[PROP_SIGNAL] =
    g_param_spec_string ("signal", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* Emissions are events, but the object being gone is a lasting state: when the step it woke
 * waits on the condition again, the engine keeps it armed without calling arm(), and asks
 * this whether to fire it again. */
static gboolean
gtasklet_wait_for_signal_is_done (GtaskletWaitCondition *condition)
{
  GtaskletWaitForSignalPrivate *priv =
    gtasklet_wait_for_signal_get_instance_private (GTASKLET_WAIT_FOR_SIGNAL (condition));

  return g_atomic_int_get (&priv->object_gone);
}

static const GtaskletWaitConditionHooks signal_hooks = {
  .is_done = gtasklet_wait_for_signal_is_done,
  .delivered = gtasklet_wait_for_signal_delivered,
};

static void
gtasklet_wait_for_signal_init (GtaskletWaitForSignal *self)
{
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &signal_hooks);
}

/**
 * gtasklet_wait_for_signal_new:
 * @object: (type GObject.Object): the object that emits the signal
 * @detailed_signal: the signal, in the form `signal-name::detail` (the detail is optional)
 *
 * Creates a wait condition that fires when @object emits @detailed_signal.
 *
 * @object is not kept alive by the condition; if it is finalized while the condition is
 * armed, the condition fires and [method@Gtasklet.WaitForSignal.get_object] returns %NULL.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * A @detailed_signal that @object does not have (or an @object that is not one) is a
 * programmer error: it is reported at once in plain words, and the condition returned fails
 * whoever waits on it with %GTASKLET_ERROR_MISUSE, as constructors in GLib never return %NULL.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForSignal]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_signal_new (gpointer    object,
                              const char *detailed_signal)
{
  /* Anything wrong makes an invalid condition, reported in plain words and failing whoever
   * waits on it, rather than NULL. */
  if (!G_IS_OBJECT (object))
    object = NULL;
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_SIGNAL,
                       "object", object,
                       "signal", detailed_signal,
                       NULL);
}

/**
 * gtasklet_wait_for_signal_get_object:
 * @self: a [class@Gtasklet.WaitForSignal]
 *
 * Gets the object whose signal the condition waits for.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the object, or %NULL once it has been finalized
 *
 * Since: 1.0
 */
GObject *
gtasklet_wait_for_signal_get_object (GtaskletWaitForSignal *self)
{
  GtaskletWaitForSignalPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_SIGNAL (self), NULL);

  priv = gtasklet_wait_for_signal_get_instance_private (self);
  return priv->object;
}

/**
 * gtasklet_wait_for_signal_get_signal:
 * @self: a [class@Gtasklet.WaitForSignal]
 *
 * Gets the signal the condition waits for.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (nullable): the detailed signal name, as given at construction
 *
 * Since: 1.0
 */
const char *
gtasklet_wait_for_signal_get_signal (GtaskletWaitForSignal *self)
{
  GtaskletWaitForSignalPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_SIGNAL (self), NULL);

  priv = gtasklet_wait_for_signal_get_instance_private (self);
  return priv->detailed_signal;
}

/**
 * gtasklet_wait_for_signal_get_n_args:
 * @self: a [class@Gtasklet.WaitForSignal]
 *
 * Gets the number of arguments of the latest emission seen, the emitting object left out.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the number of arguments: 0 before the first emission and after the object was
 *   finalized
 *
 * Since: 1.0
 */
guint
gtasklet_wait_for_signal_get_n_args (GtaskletWaitForSignal *self)
{
  GtaskletWaitForSignalPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_SIGNAL (self), 0);

  priv = gtasklet_wait_for_signal_get_instance_private (self);
  return priv->n_args;
}

/**
 * gtasklet_wait_for_signal_get_arg:
 * @self: a [class@Gtasklet.WaitForSignal]
 * @i: the index of the argument, below [method@Gtasklet.WaitForSignal.get_n_args]
 *
 * Gets an argument of the latest emission seen; index 0 is the first argument after the
 * emitting object.
 *
 * The value is a copy made during the emission. Pointer arguments (%G_TYPE_POINTER) are copied
 * as pointers only, so what they point to may be gone after the emission.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the argument, valid until the next emission while the
 *   condition is armed or until the object is finalized; %NULL if @i is out of range
 *
 * Since: 1.0
 */
const GValue *
gtasklet_wait_for_signal_get_arg (GtaskletWaitForSignal *self,
                                  guint                  i)
{
  GtaskletWaitForSignalPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_SIGNAL (self), NULL);
  priv = gtasklet_wait_for_signal_get_instance_private (self);
  if (i >= gtasklet_wait_for_signal_get_n_args (self))
    {
      g_critical ("gtasklet_wait_for_signal_get_arg(): argument %u asked for, but the condition "
                  "holds %u arguments of '%s' (those of the emission that fired it, the "
                  "emitting object not counted)",
                  i, gtasklet_wait_for_signal_get_n_args (self),
                  priv->detailed_signal != NULL ? priv->detailed_signal : "(no signal)");
      return NULL;
    }
  return &priv->args[i];
}

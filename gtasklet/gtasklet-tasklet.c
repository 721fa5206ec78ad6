/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-enum-types.h"
#include "gtasklet-error.h"
#include "gtasklet-mailbox-private.h"
#include "gtasklet-scheduler-private.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-thread-private.h"
#include "gtasklet-wait-condition-private.h"
#include "gtasklet-wait-for-cancellable.h"

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
 * A tasklet runs on the thread-default main context of the thread that starts it. A started
 * tasklet keeps itself alive until it finishes.
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

/* A condition set with room for one condition inline: most steps wait for one thing. */
typedef struct
{
  union {
    GtaskletWaitCondition  *one;     /* cap <= 1 */
    GtaskletWaitCondition **many;    /* cap > 1 */
  };
  guint                     len;
  guint                     cap;
} CondSet;

/* One running step. Frames live on the C stack and form a chain, because a step may start a
 * child tasklet whose first step runs inside it. */
typedef struct _StepFrame StepFrame;
struct _StepFrame
{
  GtaskletTasklet *tasklet;
  StepFrame       *parent;
  CondSet          pending;
};

typedef struct
{
  GtaskletRunFunc        func;
  gpointer               func_data;
  GDestroyNotify         func_destroy;

  GtaskletScheduler     *scheduler;

  CondSet                armed;
  GtaskletWaitCondition *fired_head;
  GtaskletWaitCondition *fired_tail;
  GtaskletMailbox        mailbox;
  /* An event chosen when the tasklet was queued, delivered when it is dispatched. A message
   * here still counts as queued in the mailbox (in_mailbox stays set) until its step runs. */
  GObject               *next_event;
  GtaskletFinishWatch   *watches;

  GCancellable          *cancellable;
  gulong                 cancelled_handler;

  GValue                 result;
  GError                *error;

  guint                  n_message_waits;
  guint                  state : 2;
  guint                  queued : 1;
  guint                  committing : 1;
  guint                  release_on_dequeue : 1;
  /* The step was woken by a WaitForCancellable for its own cancellable: the cancellation is
   * its to handle from then on, so later wait sets no longer end it. */
  guint                  cancel_handled : 1;
} GtaskletTaskletPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletTasklet, gtasklet_tasklet, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CANCELLABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Messages are a final type, so an exact type comparison tells them from conditions without
 * a type-system walk. */
#define IS_MESSAGE(obj) (G_TYPE_FROM_INSTANCE (obj) == GTASKLET_TYPE_MESSAGE)

static void tasklet_step (GtaskletTasklet *self,
                          GObject         *event);

/* The frame of @self's running step on this thread: the innermost, unless the step started a
 * child whose first step is running inside it. */
static StepFrame *
tasklet_find_frame (GtaskletTasklet *self)
{
  for (StepFrame *f = _gtasklet_thread_get ()->current_frame; f != NULL; f = f->parent)
    if (f->tasklet == self)
      return f;
  return NULL;
}

/* CondSet */

static inline GtaskletWaitCondition **
cond_set_items (CondSet *set)
{
  return set->cap > 1 ? set->many : &set->one;
}

static void
cond_set_append (CondSet               *set,
                 GtaskletWaitCondition *condition)
{
  if (set->len == 0 && set->cap <= 1)
    {
      set->one = condition;
      set->cap = 1;
    }
  else
    {
      if (set->cap == 1)
        {
          GtaskletWaitCondition **many = g_new (GtaskletWaitCondition *, 4);

          many[0] = set->one;
          set->many = many;
          set->cap = 4;
        }
      else if (set->len == set->cap)
        {
          set->cap *= 2;
          set->many = g_renew (GtaskletWaitCondition *, set->many, set->cap);
        }
      set->many[set->len] = condition;
    }
  set->len++;
}

static void
cond_set_free (CondSet *set)
{
  if (set->cap > 1)
    g_free (set->many);
  *set = (CondSet) { 0 };
}

/* Fired list: conditions that fired and were not delivered yet, oldest first. */

static void
fired_list_append (GtaskletTaskletPrivate *priv,
                   GtaskletWaitCondition  *condition)
{
  GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (condition);

  cpriv->fired = TRUE;
  cpriv->fired_stamp = _gtasklet_thread_next_stamp (_gtasklet_thread_get ());
  cpriv->fired_next = NULL;
  if (priv->fired_tail != NULL)
    _gtasklet_wait_condition_get_private (priv->fired_tail)->fired_next = condition;
  else
    priv->fired_head = condition;
  priv->fired_tail = condition;
}

static void
fired_list_remove (GtaskletTaskletPrivate *priv,
                   GtaskletWaitCondition  *condition)
{
  GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (condition);
  GtaskletWaitCondition *prev = NULL;

  if (!cpriv->fired)
    return;

  for (GtaskletWaitCondition *c = priv->fired_head; c != NULL;
       prev = c, c = _gtasklet_wait_condition_get_private (c)->fired_next)
    {
      if (c != condition)
        continue;
      if (prev != NULL)
        _gtasklet_wait_condition_get_private (prev)->fired_next = cpriv->fired_next;
      else
        priv->fired_head = cpriv->fired_next;
      if (priv->fired_tail == condition)
        priv->fired_tail = prev;
      break;
    }
  cpriv->fired = FALSE;
  cpriv->fired_next = NULL;
}

/* Arming */

static void
tasklet_disarm (GtaskletTasklet       *self,
                GtaskletWaitCondition *condition)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (condition);

  fired_list_remove (priv, condition);
  cpriv->delivered = FALSE;
  if (cpriv->is_message_wait)
    priv->n_message_waits--;
  _gtasklet_wait_condition_disarm (condition);
}

static void
tasklet_disarm_all (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  CondSet armed = priv->armed;
  GtaskletWaitCondition **items = cond_set_items (&armed);

  priv->armed = (CondSet) { 0 };
  for (guint i = 0; i < armed.len; i++)
    {
      tasklet_disarm (self, items[i]);
      g_object_unref (items[i]);
    }
  cond_set_free (&armed);
  g_assert (priv->fired_head == NULL);
  g_assert (priv->n_message_waits == 0);
}

/* The pending set holds a reference on each condition, except on those already armed for
 * this tasklet: the armed set's reference then serves both (see gtasklet_tasklet_wait()). */
static void
pending_set_abandon (GtaskletTasklet *self,
                     CondSet         *pending)
{
  GtaskletWaitCondition **items = cond_set_items (pending);

  for (guint i = 0; i < pending->len; i++)
    {
      GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (items[i]);

      cpriv->pending_owner = NULL;
      if (cpriv->tasklet != self)
        g_object_unref (items[i]);
    }
  cond_set_free (pending);
}

/* Events */

static void
tasklet_queue (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->queued)
    return;
  priv->queued = TRUE;
  _gtasklet_scheduler_push (priv->scheduler, self);
}

static void
tasklet_release_event (GObject *event)
{
  if (event == NULL)
    return;
  /* Only messages are owned here; a condition event is kept alive by the armed set. */
  if (IS_MESSAGE (event))
    _gtasklet_message_release ((GtaskletMessage *) event);
}

/* The next event of a queued tasklet. A message held there still counts as queued (it is in
 * no mailbox, but cannot be sent elsewhere and is counted as pending) until its step runs. */
static void
next_event_set (GtaskletTaskletPrivate *priv,
                GObject                *event)
{
  g_assert (priv->next_event == NULL);

  if (IS_MESSAGE (event))
    ((GtaskletMessage *) event)->in_mailbox = TRUE;
  priv->next_event = event;
}

static GObject *
next_event_steal (GtaskletTaskletPrivate *priv)
{
  GObject *event = g_steal_pointer (&priv->next_event);

  if (event != NULL && IS_MESSAGE (event))
    ((GtaskletMessage *) event)->in_mailbox = FALSE;
  return event;
}

/* Drops every queued message, the chosen next one included, and reports how many. */
static void
tasklet_drop_messages (GtaskletTasklet *self,
                       const char      *when)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  GObject *next = next_event_steal (priv);
  guint dropped = _gtasklet_mailbox_clear (&priv->mailbox);

  if (next != NULL && IS_MESSAGE (next))
    dropped++;
  tasklet_release_event (next);
  if (dropped > 0)
    g_debug ("%s %p %s with %u undelivered message%s, dropped",
             G_OBJECT_TYPE_NAME (self), self, when, dropped, dropped == 1 ? "" : "s");
}

/* Takes the oldest deliverable event: a fired condition or a message some armed
 * WaitForMessages accepts, whichever happened first. A message comes with the reference the
 * mailbox held; a condition comes without one (its wait set holds one). NULL if none. */
static GObject *
tasklet_take_event (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  GtaskletWaitCondition *fired = priv->fired_head;

  if (priv->next_event != NULL)
    return next_event_steal (priv);

  if (priv->n_message_waits > 0 && priv->mailbox.head != NULL)
    {
      guint64 before = fired != NULL
        ? _gtasklet_wait_condition_get_private (fired)->fired_stamp
        : G_MAXUINT64;
      GtaskletMessage *message = _gtasklet_mailbox_match (&priv->mailbox,
                                                          cond_set_items (&priv->armed),
                                                          priv->armed.len,
                                                          before);
      if (message != NULL)
        return (GObject *) message;
    }

  if (fired != NULL)
    {
      fired_list_remove (priv, fired);
      _gtasklet_wait_condition_get_private (fired)->delivered = TRUE;
      /* No reference: the armed set holds one until the step's wait set is committed, which
       * is after the step returns, so the event stays valid for the whole step. */
      return (GObject *) fired;
    }

  return NULL;
}

/* Runs the next event now if there is one. */
static void
tasklet_run_next (GtaskletTasklet *self)
{
  GObject *event = tasklet_take_event (self);

  if (event != NULL)
    tasklet_step (self, event);
}

/* Something may be deliverable: run it now when called from the bare main loop, else queue. */
static void
tasklet_wake (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->state != GTASKLET_STATE_SUSPENDED || priv->committing || priv->queued)
    return;

  if (_gtasklet_thread_get ()->engine_depth == 0)
    {
      /* Straight from a main-loop source of the tasklet's own context: no step is on the
       * stack, so running now nests nothing and honours the condition's own priority. */
      tasklet_run_next (self);
    }
  else
    {
      tasklet_queue (self);
    }
}

void
_gtasklet_tasklet_condition_fired (GtaskletTasklet       *self,
                                   GtaskletWaitCondition *condition)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (condition);

  if (!_gtasklet_scheduler_is_owner (priv->scheduler))
    {
      _gtasklet_scheduler_post_remote (priv->scheduler, condition);
      return;
    }

  if (cpriv->tasklet != self || cpriv->fired)
    return;

  fired_list_append (priv, condition);
  tasklet_wake (self);
}

void
_gtasklet_tasklet_condition_unfired (GtaskletTasklet       *self,
                                     GtaskletWaitCondition *condition)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  g_assert (_gtasklet_scheduler_is_owner (priv->scheduler));

  fired_list_remove (priv, condition);
  /* Already chosen as the queued tasklet's next event: withdraw it; the dispatch then finds
   * whatever else is deliverable, or nothing. */
  if (priv->next_event == (GObject *) condition)
    next_event_steal (priv);
}

/* Cancellation */

/* Whether @set holds a WaitForCancellable for the tasklet's own cancellable: then that
 * condition reports the cancellation and the tasklet is not ended. */
static gboolean
cond_set_waits_for_own_cancellable (GtaskletTasklet *self,
                                    CondSet         *set)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  GtaskletWaitCondition **items = cond_set_items (set);

  for (guint i = 0; i < set->len; i++)
    {
      if (_gtasklet_wait_condition_get_private (items[i])->is_cancellable_wait &&
          gtasklet_wait_for_cancellable_get_cancellable ((GtaskletWaitForCancellable *) items[i]) ==
            priv->cancellable)
        return TRUE;
    }
  return FALSE;
}

static inline gboolean
tasklet_is_cancelled (GtaskletTaskletPrivate *priv)
{
  return priv->cancellable != NULL && !priv->cancel_handled &&
         g_cancellable_is_cancelled (priv->cancellable);
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Tasklet was cancelled");
}

/* Runs on the cancelling thread, maybe inside another tasklet's step or inside the
 * cancellable's emission: never end the tasklet here (finishing disconnects from the
 * cancellable, which would wait for this very emission). The owner thread's scheduler
 * handles it from the main loop. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  GtaskletTasklet *self = data;
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  _gtasklet_scheduler_post_remote (priv->scheduler, self);
}

static void
tasklet_connect_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  g_assert (priv->scheduler != NULL);
  g_assert (priv->cancelled_handler == 0);

  priv->cancelled_handler = g_cancellable_connect (priv->cancellable, G_CALLBACK (on_cancelled),
                                                   self, NULL);
}

static void
tasklet_disconnect_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->cancelled_handler != 0)
    {
      g_cancellable_disconnect (priv->cancellable, priv->cancelled_handler);
      priv->cancelled_handler = 0;
    }
}

static void tasklet_finish       (GtaskletTasklet *self,
                                  GError          *error);
static void tasklet_release_self (GtaskletTasklet *self);

/* On the owner thread, from the main loop: ends a suspended tasklet whose cancellable was
 * cancelled, unless a WaitForCancellable in its wait set takes the event. A running tasklet is
 * checked when its step's wait set is committed instead. */
static void
tasklet_check_cancelled (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->state != GTASKLET_STATE_SUSPENDED || priv->committing)
    return;
  if (!tasklet_is_cancelled (priv) || cond_set_waits_for_own_cancellable (self, &priv->armed))
    return;

  _gtasklet_thread_get ()->engine_depth++;
  tasklet_finish (self, cancelled_error ());
  _gtasklet_thread_get ()->engine_depth--;
  tasklet_release_self (self);
}

/* Finishing */

static void
tasklet_finish (GtaskletTasklet *self,
                GError          *error)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  g_assert (priv->state != GTASKLET_STATE_FINISHED);

  priv->state = GTASKLET_STATE_FINISHED;
  priv->error = error;

  tasklet_disconnect_cancellable (self);
  tasklet_disarm_all (self);
  tasklet_drop_messages (self, "finished");

  g_signal_emit (self, signals[FINISHED], 0);

  while (priv->watches != NULL)
    {
      GtaskletFinishWatch *watch = priv->watches;

      priv->watches = watch->next;
      if (priv->watches != NULL)
        priv->watches->prev = NULL;
      watch->next = watch->prev = NULL;
      watch->notify (watch, self);
    }
}

/* Drops the reference that kept the started tasklet alive, once it has finished. A queued
 * tasklet is still in the run queue, which holds a plain pointer: the queue drops it when it
 * gets there. */
static void
tasklet_release_self (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->queued)
    priv->release_on_dequeue = TRUE;
  else
    g_object_unref (self);
}

/* Steps */

static void
tasklet_commit (GtaskletTasklet *self,
                CondSet         *pending)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  CondSet old = priv->armed;
  GtaskletWaitCondition **old_items = cond_set_items (&old);
  GtaskletWaitCondition **new_items = cond_set_items (pending);

  priv->state = GTASKLET_STATE_SUSPENDED;
  priv->committing = TRUE;

  for (guint i = 0; i < pending->len; i++)
    _gtasklet_wait_condition_get_private (new_items[i])->in_new_set = TRUE;

  /* Disarm what the step dropped; what it kept stays armed (a timeout keeps its schedule),
   * and its reference passes from the old set to the new one. */
  for (guint i = 0; i < old.len; i++)
    {
      if (!_gtasklet_wait_condition_get_private (old_items[i])->in_new_set)
        {
          tasklet_disarm (self, old_items[i]);
          g_object_unref (old_items[i]);
        }
    }
  cond_set_free (&old);

  priv->armed = *pending;
  *pending = (CondSet) { 0 };
  new_items = cond_set_items (&priv->armed);

  for (guint i = 0; i < priv->armed.len; i++)
    {
      GtaskletWaitCondition *condition = new_items[i];
      GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (condition);

      cpriv->in_new_set = FALSE;
      cpriv->pending_owner = NULL;
      if (cpriv->tasklet == self)
        {
          /* Kept: stays armed. A lasting event that was just delivered fires again. */
          if (cpriv->delivered && cpriv->is_done != NULL && cpriv->is_done (condition))
            fired_list_append (priv, condition);
          cpriv->delivered = FALSE;
          continue;
        }
      cpriv->delivered = FALSE;
      if (cpriv->is_message_wait)
        priv->n_message_waits++;
      /* May fire at once (the event already happened): committing makes that a mark only. */
      _gtasklet_wait_condition_arm (condition, self);
    }

  priv->committing = FALSE;

  if (priv->state != GTASKLET_STATE_SUSPENDED)
    return;

  if (priv->fired_head != NULL || (priv->n_message_waits > 0 && priv->mailbox.head != NULL))
    {
      GObject *event = tasklet_take_event (self);

      if (event != NULL)
        {
          next_event_set (priv, event);
          tasklet_queue (self);
        }
    }
}

/* Runs one step with @event, as tasklet_take_event() returned it (a message's reference is
 * the step's to release). The tasklet stays alive through the step because a started,
 * unfinished tasklet holds a reference on itself; when the step finishes it, that reference
 * is dropped only on the way out. */
static void
tasklet_step (GtaskletTasklet *self,
              GObject         *event)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);
  GtaskletThread *thread = _gtasklet_thread_get ();
  GError *error = NULL;
  StepFrame frame = { self, thread->current_frame, { { NULL }, 0, 0 } };
  gboolean ok;

  g_assert (priv->state == GTASKLET_STATE_SUSPENDED);

  thread->engine_depth++;

  if (G_UNLIKELY (priv->cancellable != NULL) && event != NULL &&
      !IS_MESSAGE (event) &&
      _gtasklet_wait_condition_get_private ((GtaskletWaitCondition *) event)->is_cancellable_wait &&
      gtasklet_wait_for_cancellable_get_cancellable ((GtaskletWaitForCancellable *) event) ==
        priv->cancellable)
    priv->cancel_handled = TRUE;

  priv->state = GTASKLET_STATE_RUNNING;
  thread->current_frame = &frame;

  ok = GTASKLET_TASKLET_GET_CLASS (self)->run (self, event, &error);

  thread->current_frame = frame.parent;
  tasklet_release_event (event);

  if (G_LIKELY (ok && error == NULL))
    {
      if (frame.pending.len > 0 && G_UNLIKELY (tasklet_is_cancelled (priv)) &&
          !cond_set_waits_for_own_cancellable (self, &frame.pending))
        {
          /* Cancelled while it ran: it ends instead of waiting. */
          pending_set_abandon (self, &frame.pending);
          tasklet_finish (self, cancelled_error ());
        }
      else if (frame.pending.len > 0)
        {
          tasklet_commit (self, &frame.pending);
          thread->engine_depth--;
          return;
        }
      else
        {
          tasklet_finish (self, NULL);
        }
    }
  else
    {
      if (!ok && error == NULL)
        {
          g_critical ("%s %p: step returned FALSE without setting an error",
                      G_OBJECT_TYPE_NAME (self), self);
          error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_FAILED,
                               "%s: step returned FALSE without setting an error",
                               G_OBJECT_TYPE_NAME (self));
        }
      else if (ok)
        {
          g_critical ("%s %p: step returned TRUE but set an error: %s",
                      G_OBJECT_TYPE_NAME (self), self, error->message);
        }
      pending_set_abandon (self, &frame.pending);
      tasklet_finish (self, error);
    }

  thread->engine_depth--;
  tasklet_release_self (self);
}

void
_gtasklet_tasklet_dispatch (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  g_assert (priv->queued);
  priv->queued = FALSE;

  if (priv->release_on_dequeue)
    {
      priv->release_on_dequeue = FALSE;
      g_object_unref (self);
      return;
    }

  if (priv->state != GTASKLET_STATE_SUSPENDED)
    return;

  _gtasklet_thread_get ()->engine_depth++;
  tasklet_run_next (self);
  _gtasklet_thread_get ()->engine_depth--;
}

/* Messages */

static gboolean tasklet_deliver (GtaskletTasklet *self,
                                 GtaskletMessage *message);

/* Sends @message (whose reference the caller gives) from the step running on this thread. */
static gboolean
tasklet_route_and_deliver (GtaskletThread  *thread,
                           GtaskletTasklet *dest,
                           GtaskletMessage *message)
{
  StepFrame *frame = thread->current_frame;

  _gtasklet_message_set_route (message, frame != NULL ? frame->tasklet : NULL, dest);
  return tasklet_deliver (dest, message);
}

static gboolean
tasklet_deliver (GtaskletTasklet *self,
                 GtaskletMessage *message)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->state == GTASKLET_STATE_FINISHED)
    {
      g_debug ("message '%s' for finished %s %p dropped",
               message->name, G_OBJECT_TYPE_NAME (self), self);
      _gtasklet_message_release (message);
      return FALSE;
    }

  if (priv->scheduler != NULL && !_gtasklet_scheduler_is_owner (priv->scheduler))
    {
      _gtasklet_message_own_dest (message);
      _gtasklet_scheduler_post_remote (priv->scheduler, message);
      g_object_unref (message);
      return TRUE;
    }

  message->stamp = _gtasklet_thread_next_stamp (_gtasklet_thread_get ());

  /* A suspended, unqueued tasklet has nothing deliverable: the only candidate is this message,
   * so decide it here instead of scanning the mailbox later. */
  if (priv->state == GTASKLET_STATE_SUSPENDED && !priv->committing && !priv->queued &&
      priv->n_message_waits > 0)
    {
      int action = _gtasklet_mailbox_resolve (cond_set_items (&priv->armed), priv->armed.len,
                                              message->name);

      if (action == GTASKLET_MESSAGE_ACCEPT)
        {
          next_event_set (priv, (GObject *) message);
          tasklet_queue (self);
          return TRUE;
        }
      if (action == GTASKLET_MESSAGE_DISCARD)
        {
          _gtasklet_message_release (message);
          return TRUE;
        }
    }

  _gtasklet_mailbox_push (&priv->mailbox, message);
  return TRUE;
}

void
_gtasklet_tasklet_remote_arrived (gpointer item)
{
  if (GTASKLET_IS_TASKLET (item))
    {
      /* Posted by the cancellable's handler. */
      tasklet_check_cancelled (item);
      g_object_unref (item);
    }
  else if (GTASKLET_IS_MESSAGE (item))
    {
      GtaskletMessage *message = item;

      tasklet_deliver (message->dest, message);
    }
  else
    {
      GtaskletWaitCondition *condition = item;
      GtaskletTasklet *tasklet = gtasklet_wait_condition_get_tasklet (condition);

      if (tasklet != NULL)
        _gtasklet_tasklet_condition_fired (tasklet, condition);
      g_object_unref (condition);
    }
}

/* Finish watches */

gboolean
_gtasklet_tasklet_add_finish_watch (GtaskletTasklet     *self,
                                    GtaskletFinishWatch *watch)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->state == GTASKLET_STATE_FINISHED)
    return FALSE;

  watch->prev = NULL;
  watch->next = priv->watches;
  if (priv->watches != NULL)
    priv->watches->prev = watch;
  priv->watches = watch;
  return TRUE;
}

void
_gtasklet_tasklet_remove_finish_watch (GtaskletTasklet     *self,
                                       GtaskletFinishWatch *watch)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (watch->prev != NULL)
    watch->prev->next = watch->next;
  else if (priv->watches == watch)
    priv->watches = watch->next;
  if (watch->next != NULL)
    watch->next->prev = watch->prev;
  watch->next = watch->prev = NULL;
}

/* Gives a tasklet that has not started and has no cancellable yet @cancellable as its own. */
gboolean
_gtasklet_tasklet_adopt_cancellable (GtaskletTasklet *self,
                                     GCancellable    *cancellable)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (priv->state != GTASKLET_STATE_NEW || priv->cancellable != NULL)
    return FALSE;
  priv->cancellable = g_object_ref (cancellable);
  return TRUE;
}

/* GObject */

static gboolean
gtasklet_tasklet_real_run (GtaskletTasklet  *self,
                           GObject          *event,
                           GError          **error)
{
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

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

static void
gtasklet_tasklet_dispose (GObject *object)
{
  GtaskletTasklet *self = GTASKLET_TASKLET (object);
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  /* Only a tasklet that never started (or finished) can lose its last reference. */
  g_assert (priv->armed.len == 0);
  g_assert (priv->cancelled_handler == 0);

  /* Queued messages that someone else still holds must not point at us any more. */
  for (GtaskletMessage *m = priv->mailbox.head; m != NULL; m = m->next)
    _gtasklet_message_forget_dest (m);

  tasklet_drop_messages (self, "disposed before it started,");

  if (priv->func_destroy != NULL)
    {
      GDestroyNotify destroy = g_steal_pointer (&priv->func_destroy);

      destroy (g_steal_pointer (&priv->func_data));
    }
  priv->func = NULL;

  G_OBJECT_CLASS (gtasklet_tasklet_parent_class)->dispose (object);
}

static void
gtasklet_tasklet_finalize (GObject *object)
{
  GtaskletTasklet *self = GTASKLET_TASKLET (object);
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  if (G_IS_VALUE (&priv->result))
    g_value_unset (&priv->result);
  g_clear_error (&priv->error);
  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->scheduler, _gtasklet_scheduler_release);

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
      g_value_set_object (value, gtasklet_tasklet_get_cancellable (self));
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
  GtaskletTaskletPrivate *priv = gtasklet_tasklet_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CANCELLABLE:
      g_set_object (&priv->cancellable, g_value_get_object (value));
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

  /**
   * GtaskletTasklet:cancellable:
   *
   * The tasklet's `GCancellable`. Give the same one to several tasklets to stop them as a
   * group; when none is given, [method@Gtasklet.Tasklet.get_cancellable] creates one.
   *
   * Since: 1.0
   */
  properties[PROP_CANCELLABLE] =
    g_param_spec_object ("cancellable", NULL, NULL, G_TYPE_CANCELLABLE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtaskletTasklet::finished:
   * @self: the tasklet
   *
   * Emitted once when the tasklet finishes, after its result or error is set and its wait set
   * disarmed, on the thread that runs its steps. Joiners ([class@Gtasklet.WaitForTasklet])
   * are told after this emission.
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
 * @destroy: (nullable): frees @user_data when the tasklet is disposed
 *
 * Creates a tasklet whose steps are calls to @func, for tasklets that need no subclass.
 * Start it with [method@Gtasklet.Tasklet.start].
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
 * @destroy: (nullable): frees @user_data when the tasklet is disposed
 *
 * Like [ctor@Gtasklet.Tasklet.new], with the [property@Gtasklet.Tasklet:cancellable] given
 * at construction: one cancellable can then stop a group of tasklets.
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

  self = g_object_new (GTASKLET_TYPE_TASKLET, NULL);
  priv = gtasklet_tasklet_get_instance_private (self);
  if (cancellable != NULL)
    priv->cancellable = g_object_ref (cancellable);
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
 * From now on the tasklet keeps itself alive until it finishes, so the caller may drop its
 * reference. Starting a tasklet twice is a programmer error.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_start (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;
  GMainContext *context;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  priv = gtasklet_tasklet_get_instance_private (self);
  g_return_if_fail (priv->state == GTASKLET_STATE_NEW);

  /* Cancelling before start is legal: the tasklet then ends as soon as it starts. */
  context = g_main_context_ref_thread_default ();
  priv->scheduler = _gtasklet_scheduler_acquire (context);
  g_main_context_unref (context);

  g_object_ref (self);
  priv->state = GTASKLET_STATE_SUSPENDED;

  _gtasklet_thread_get ()->engine_depth++;
  if (priv->cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (priv->cancellable))
        {
          /* Cancelled before it started: it ends without running a step. */
          tasklet_finish (self, cancelled_error ());
          _gtasklet_thread_get ()->engine_depth--;
          tasklet_release_self (self);
          return;
        }
      tasklet_connect_cancellable (self);
    }
  tasklet_step (self, NULL);
  _gtasklet_thread_get ()->engine_depth--;
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
 * keeps (or drops) its own. A condition armed for another tasklet cannot be waited on: that
 * is a programmer error.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_wait (GtaskletTasklet       *self,
                       GtaskletWaitCondition *condition)
{
  GtaskletWaitConditionPrivate *cpriv;
  StepFrame *frame;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));
  g_return_if_fail (GTASKLET_IS_WAIT_CONDITION (condition));

  cpriv = _gtasklet_wait_condition_get_private (condition);

  /* Only the tasklet's own running step (on this thread) may add to its next wait set. */
  frame = tasklet_find_frame (self);
  g_return_if_fail (frame != NULL);
  g_return_if_fail (cpriv->tasklet == NULL || cpriv->tasklet == self);
  g_return_if_fail (cpriv->pending_owner == NULL || cpriv->pending_owner == self);

  if (cpriv->pending_owner == self)
    return;

  cpriv->pending_owner = self;
  cond_set_append (&frame->pending,
                   cpriv->tasklet == self ? condition : g_object_ref (condition));
}

/**
 * gtasklet_tasklet_return_value:
 * @self: the running [class@Gtasklet.Tasklet]
 * @value: (nullable): the result, copied; %NULL clears it
 *
 * Sets the tasklet's result, read with [method@Gtasklet.Tasklet.get_result] once it has
 * finished. Only the tasklet's own step may call it.
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

  priv = gtasklet_tasklet_get_instance_private (self);
  g_return_if_fail (priv->state == GTASKLET_STATE_RUNNING);

  if (G_IS_VALUE (&priv->result))
    g_value_unset (&priv->result);
  if (value != NULL)
    {
      g_value_init (&priv->result, G_VALUE_TYPE (value));
      g_value_copy (value, &priv->result);
    }
}

/**
 * gtasklet_tasklet_send_message:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @message: a [class@Gtasklet.Message] that is in no mailbox
 *
 * Queues @message in @dest's mailbox. The mailbox takes its own reference.
 *
 * The sender is the tasklet whose step is running on this thread (%NULL from the main loop).
 * The receiver never runs inside this call: its step runs from its main context after the
 * current step has returned. Messages from one sender to one receiver arrive in order.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.0
 */
gboolean
gtasklet_tasklet_send_message (GtaskletTasklet *dest,
                               GtaskletMessage *message)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (dest), FALSE);
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (!message->in_mailbox, FALSE);

  if (gtasklet_tasklet_get_state (dest) == GTASKLET_STATE_FINISHED)
    return FALSE;

  return tasklet_route_and_deliver (_gtasklet_thread_get (), dest, g_object_ref (message));
}

/**
 * gtasklet_tasklet_send:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @name: the message name
 * @value: (nullable): the payload, copied
 *
 * Builds a [class@Gtasklet.Message] and sends it as [method@Gtasklet.Tasklet.send_message]
 * does. This is the cheap way to send: the message object is recycled after delivery when
 * nobody else kept it.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.0
 */
gboolean
gtasklet_tasklet_send (GtaskletTasklet *dest,
                       const char      *name,
                       const GValue    *value)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletTaskletPrivate *priv;
  GtaskletMessage *message;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (dest), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value == NULL || G_IS_VALUE (value), FALSE);

  priv = gtasklet_tasklet_get_instance_private (dest);
  if (priv->state == GTASKLET_STATE_FINISHED)
    return FALSE;

  message = _gtasklet_message_new_interned (_gtasklet_thread_intern (thread, name), value);
  return tasklet_route_and_deliver (thread, dest, message);
}

/**
 * gtasklet_tasklet_get_state:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * Where the tasklet is in its life cycle.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
GtaskletState
gtasklet_tasklet_get_state (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), GTASKLET_STATE_NEW);

  priv = gtasklet_tasklet_get_instance_private (self);
  return priv->state;
}

/**
 * gtasklet_tasklet_get_result:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The result set by [method@Gtasklet.Tasklet.return_value].
 *
 * Returns: (transfer none) (nullable): the result once the tasklet has finished with one,
 *   else %NULL
 *
 * Since: 1.0
 */
const GValue *
gtasklet_tasklet_get_result (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  priv = gtasklet_tasklet_get_instance_private (self);
  if (priv->state != GTASKLET_STATE_FINISHED || priv->error != NULL ||
      !G_IS_VALUE (&priv->result))
    return NULL;
  return &priv->result;
}

/**
 * gtasklet_tasklet_get_error:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The error the tasklet failed with.
 *
 * Returns: (transfer none) (nullable): the error once the tasklet has finished with one, else
 *   %NULL
 *
 * Since: 1.0
 */
const GError *
gtasklet_tasklet_get_error (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  priv = gtasklet_tasklet_get_instance_private (self);
  return priv->error;
}

/**
 * gtasklet_tasklet_get_n_pending_messages:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * How many messages wait in the tasklet's mailbox (deferred, or not named by its current
 * wait set).
 *
 * Returns: the number of queued messages
 *
 * Since: 1.0
 */
guint
gtasklet_tasklet_get_n_pending_messages (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), 0);

  priv = gtasklet_tasklet_get_instance_private (self);
  return priv->mailbox.length +
         (priv->next_event != NULL && IS_MESSAGE (priv->next_event) ? 1 : 0);
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
  StepFrame *frame = _gtasklet_thread_get ()->current_frame;

  return frame != NULL ? frame->tasklet : NULL;
}

/**
 * gtasklet_tasklet_get_context:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The main context the tasklet runs on: the thread-default context when it was started.
 *
 * Returns: (transfer none) (nullable): the context, or %NULL before the tasklet is started
 *
 * Since: 1.0
 */
GMainContext *
gtasklet_tasklet_get_context (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  priv = gtasklet_tasklet_get_instance_private (self);
  return priv->scheduler != NULL ? _gtasklet_scheduler_get_context (priv->scheduler) : NULL;
}

/**
 * gtasklet_tasklet_get_cancellable:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The tasklet's cancellable: the one given at construction, else one created now. Cancelling
 * it ends the tasklet with `G_IO_ERROR_CANCELLED`, unless its wait set holds a
 * [class@Gtasklet.WaitForCancellable] for it. Pass it to the GIO calls the tasklet makes so
 * they are cancelled with it.
 *
 * Returns: (transfer none): the cancellable
 *
 * Since: 1.0
 */
GCancellable *
gtasklet_tasklet_get_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  priv = gtasklet_tasklet_get_instance_private (self);
  if (priv->cancellable == NULL)
    {
      /* Created on demand: most tasklets are never cancelled, and a cancellable per tasklet
       * would cost memory and a handler each. */
      priv->cancellable = g_cancellable_new ();
      if (priv->state == GTASKLET_STATE_SUSPENDED || priv->state == GTASKLET_STATE_RUNNING)
        tasklet_connect_cancellable (self);
    }
  return priv->cancellable;
}

/**
 * gtasklet_tasklet_cancel:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * Cancels the tasklet's cancellable (and so every tasklet sharing it). The tasklet ends with
 * `G_IO_ERROR_CANCELLED` from its main loop shortly after, or, if its wait set holds a
 * [class@Gtasklet.WaitForCancellable] for its cancellable, that condition fires and its next
 * step decides: once woken that way, the cancellation is the tasklet's to handle, and it may
 * finish, return a value or keep waiting on anything. Cancelling a tasklet that has not
 * started ends it when it starts, without running a step; cancelling a finished tasklet does
 * nothing.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_cancel (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  priv = gtasklet_tasklet_get_instance_private (self);
  if (priv->state == GTASKLET_STATE_FINISHED)
    return;
  g_cancellable_cancel (gtasklet_tasklet_get_cancellable (self));
}

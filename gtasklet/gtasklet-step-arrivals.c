/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"
#include "gtasklet-stats-private.h"
#include "gtasklet-step-private.h"
#include "gtasklet-wait-condition-private.h"

/* What reaches the step engine from outside a step: reports from conditions, work posted from
 * other threads (fires, cancellations, first steps), the start of a tasklet, the calls a step
 * makes to build its wait set, programmer errors, and messages arriving for a tasklet. Each
 * either acts on the tasklet's own thread or hands the work over to it. */

/* Reports from conditions (any thread) */

static void
local_fired (GtaskletTasklet       *self,
             GtaskletWaitCondition *condition,
             guint                  generation,
             gboolean               failed,
             gboolean               may_run_now)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);
  GtaskletTasklet *armed_for;

  /* Only this thread arms and disarms, so the arming read here is stable: an event of an
   * earlier arming, or for a condition no longer ours, is dropped. */
  if (!_gtasklet_wait_condition_is_armed_by (condition, self, &armed_for) ||
      _gtasklet_wait_condition_get_generation (condition) != generation)
    return;

  if (failed)
    link->failed = TRUE;
  if (link->fired)
    return;
  _gtasklet_step_fired_append (priv, condition);
  _gtasklet_step_wake (self, may_run_now);
}

typedef struct
{
  GtaskletWorkItem       item;
  GtaskletTasklet       *tasklet;
  GtaskletWaitCondition *condition;
  guint                  generation;
  gboolean               failed;
} FireItem;

static void
fire_item_run (GtaskletWorkItem *item,
               gboolean          run)
{
  FireItem *fire = (FireItem *) item;

  if (!fire->failed)
    _gtasklet_wait_condition_end_posting (fire->condition, fire->generation);
  if (run)
    local_fired (fire->tasklet, fire->condition, fire->generation, fire->failed, FALSE);
  g_object_unref (fire->condition);
  g_object_unref (fire->tasklet);
  g_free (fire);
}

static void
waiter_fired (GtaskletTasklet       *self,
              GtaskletWaitCondition *condition,
              guint                  generation,
              gboolean               failed,
              gboolean               may_run_now)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletSchedulerEntry entry;
  FireItem *fire;

  if (_gtasklet_scheduler_is_current (priv->scheduler))
    {
      local_fired (self, condition, generation, failed, may_run_now);
      return;
    }
  if (_gtasklet_scheduler_enter (priv->scheduler, &entry))
    {
      /* This thread's own context, idle: mark and queue; the step runs from its loop. (Work
       * posted earlier stays posted: this may run inside any emission, where that work, such
       * as ending a tasklet, must not run.) */
      local_fired (self, condition, generation, failed, FALSE);
      _gtasklet_scheduler_leave (priv->scheduler, &entry);
      return;
    }

  /* A failure always travels: it must reach the step even if a plain fire is on its way. */
  if (!failed && !_gtasklet_wait_condition_begin_posting (condition, generation))
    return;
  fire = g_new (FireItem, 1);
  fire->item.func = fire_item_run;
  fire->tasklet = g_object_ref (self);
  fire->condition = g_object_ref (condition);
  fire->generation = generation;
  fire->failed = failed;
  if (!_gtasklet_scheduler_post (priv->scheduler, &fire->item))
    fire_item_run (&fire->item, FALSE);
}

static void
waiter_unfired (GtaskletTasklet       *self,
                GtaskletWaitCondition *condition)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  _gtasklet_step_fired_remove (priv, condition);
  /* Already chosen as the queued tasklet's next event: withdraw it; the dispatch then finds
   * whatever else is deliverable, or nothing. */
  if (priv->next_event == (gpointer) condition)
    priv->next_event = NULL;
}

static GMainContext *
waiter_get_context (GtaskletTasklet *self)
{
  return _gtasklet_scheduler_get_context (_gtasklet_tasklet_get_private (self)->scheduler);
}

const GtaskletWaiterFuncs _gtasklet_step_waiter_funcs = {
  .fired = waiter_fired,
  .unfired = waiter_unfired,
  .get_context = waiter_get_context,
  .release = _gtasklet_tasklet_release,
};

/* Work posted to the tasklet's thread */

typedef struct
{
  GtaskletWorkItem  item;
  GtaskletTasklet  *tasklet;
} TaskletItem;

static void
tasklet_item_post (GtaskletTasklet  *self,
                   GtaskletWorkFunc  func)
{
  TaskletItem *item = g_new (TaskletItem, 1);

  item->item.func = func;
  item->tasklet = g_object_ref (self);
  if (!_gtasklet_scheduler_post (_gtasklet_tasklet_get_private (self)->scheduler, &item->item))
    func (&item->item, FALSE);
}

/* A cancellation or a programmer error reported from elsewhere: ends a waiting tasklet. A
 * running one is checked when its step returns. */
static void
tasklet_check (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GError *failure;

  /* Not begun: a start posted from a thread that does not run the context makes the tasklet
   * SUSPENDED before the post, so a cancellation from a third thread can arrive here first.
   * Ending it now would have its begin run on a finished tasklet; the begin looks at the
   * cancellable and the pending failure itself. */
  if (priv->state != GTASKLET_STATE_SUSPENDED || priv->committing || !priv->begun)
    return;

  failure = _gtasklet_step_take_pending_failure (self);
  if (failure != NULL)
    _gtasklet_step_finish_outside (self, failure);
  else if (_gtasklet_step_is_cancelled (self) &&
           !_gtasklet_step_catches_cancel (&priv->armed, _gtasklet_tasklet_peek_cancellable (self)))
    _gtasklet_step_finish_outside (self, _gtasklet_step_cancelled_error ());
}

static void
check_item_run (GtaskletWorkItem *item,
                gboolean          run)
{
  TaskletItem *check = (TaskletItem *) item;

  if (run)
    tasklet_check (check->tasklet);
  g_object_unref (check->tasklet);
  g_free (check);
}

/* Any thread: have the tasklet's thread look at its cancellable and pending failure. Always
 * posted: this runs inside cancellables' emissions, where ending the tasklet would wait on
 * itself. */
void
_gtasklet_tasklet_check_later (GtaskletTasklet *self)
{
  tasklet_item_post (self, check_item_run);
}

/* The same, done at once when this thread can run the tasklet's context and nothing of any
 * tasklet is on its stack. */
static void
tasklet_check_soon (GtaskletTasklet *self)
{
  GtaskletScheduler *scheduler = _gtasklet_tasklet_get_private (self)->scheduler;
  GtaskletSchedulerEntry entry;

  if (_gtasklet_thread_get ()->current_frame == NULL &&
      _gtasklet_scheduler_enter (scheduler, &entry))
    {
      tasklet_check (self);
      _gtasklet_scheduler_leave (scheduler, &entry);
      return;
    }
  _gtasklet_tasklet_check_later (self);
}

/* Starting */

static void
member_context_destroyed (GtaskletSchedulerMember *member)
{
  GtaskletTaskletPrivate *priv = G_STRUCT_MEMBER_P (member,
                                                    -G_STRUCT_OFFSET (GtaskletTaskletPrivate, member));
  GtaskletTasklet *self = _gtasklet_tasklet_from_private (priv);

  priv->is_member = FALSE;
  _gtasklet_step_finish_outside (self,
                               g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_CONTEXT_DESTROYED,
                                            "The main context of %s %p was destroyed while "
                                            "it waited", G_OBJECT_TYPE_NAME (self), self));
}

/* Once, from the class: what the scheduler does with a member whose context dies. */
void
_gtasklet_tasklet_register_member_func (void)
{
  _gtasklet_scheduler_set_member_destroyed (member_context_destroyed);
}

/* On the context's thread: joins the scheduler and runs the first step. */
static void
tasklet_begin (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GError *failure;

  priv->begun = TRUE;
  priv->is_member = TRUE;
  _gtasklet_scheduler_add_member (priv->scheduler, &priv->member);

  failure = _gtasklet_step_take_pending_failure (self);
  if (failure != NULL)
    _gtasklet_step_finish_outside (self, failure);
  else if (_gtasklet_step_is_cancelled (self))
    _gtasklet_step_finish_outside (self, _gtasklet_step_cancelled_error ());   /* without running a step */
  else
    {
      _gtasklet_tasklet_connect_cancellable (self);
      _gtasklet_step_run (self, NULL);
    }
}

static void
start_item_run (GtaskletWorkItem *item,
                gboolean          run)
{
  TaskletItem *start = (TaskletItem *) item;

  if (run)
    tasklet_begin (start->tasklet);
  else
    _gtasklet_step_finish_outside (start->tasklet,
                                 g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_CONTEXT_DESTROYED,
                                              "The main context of %s %p was destroyed before "
                                              "it could start",
                                              G_OBJECT_TYPE_NAME (start->tasklet), start->tasklet));
  g_object_unref (start->tasklet);
  g_free (start);
}

/* Starts a new tasklet on the thread-default context. Its first step runs here when this
 * thread can run that context (it does already, or nobody does); otherwise the thread that
 * runs the context runs it, shortly after. */
/* Starts @self in @context (NULL: this thread's thread-default context). With @post, or when
 * this thread cannot run that context now, the first step is posted to it and runs there
 * later; otherwise it runs inside this call. Returns FALSE (after a critical) if @self had
 * already been started. */
gboolean
_gtasklet_tasklet_start_in (GtaskletTasklet *self,
                            GMainContext    *context,
                            gboolean         post)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletScheduler *scheduler;
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GtaskletSchedulerEntry entry;

  /* No reference needed on a thread-default context: this thread's stack of them holds one
   * (and the global default lives forever) for as long as this call runs. */
  if (context == NULL)
    context = g_main_context_get_thread_default ();
  if (context == NULL)
    context = g_main_context_default ();
  scheduler = _gtasklet_scheduler_get_for_context (context);

  if (_gtasklet_tasklet_is_forwarding (self))
    {
      _gtasklet_scheduler_unref (scheduler);
      g_critical ("Cannot start %s %p: it is the handle of a tasklet in another process, "
                  "which runs there", G_OBJECT_TYPE_NAME (self), self);
      return FALSE;
    }

  _gtasklet_lock (lock);
  if (g_atomic_int_get (&priv->state) != GTASKLET_STATE_NEW)
    {
      _gtasklet_unlock (lock);
      _gtasklet_scheduler_unref (scheduler);
      g_critical ("Cannot start %s %p, which has already been started",
                  G_OBJECT_TYPE_NAME (self), self);
      return FALSE;
    }
  priv->scheduler = scheduler;
  g_atomic_int_set (&priv->state, GTASKLET_STATE_SUSPENDED);
  _gtasklet_unlock (lock);

  /* Kept alive until it finishes, whoever else lets go. */
  g_object_ref (self);
  /* Listed from now until it finishes, SUSPENDED until its first step if that is posted. */
  _gtasklet_live_register (&priv->live);

  if (!post && _gtasklet_scheduler_enter (scheduler, &entry))
    {
      tasklet_begin (self);
      _gtasklet_scheduler_leave (scheduler, &entry);
    }
  else
    {
      tasklet_item_post (self, start_item_run);
    }
  return TRUE;
}

/* The step API */

/* Adds @condition (or, if NULL, the receive @receive, borrowed from the caller) to the next
 * wait set of @self's running step. */
void
_gtasklet_tasklet_add_wait (GtaskletTasklet       *self,
                            GtaskletWaitCondition *condition,
                            GtaskletReceiveSpec   *receive)
{
  GtaskletStepFrame *frame = _gtasklet_step_find_frame (self);
  const GtaskletWaitConditionHooks *hooks;
  GtaskletTasklet *other;

  if (frame == NULL)
    {
      _gtasklet_tasklet_misuse (self, "%s() called outside a step of %s %p: only the tasklet's "
                                "own step may add to its wait set",
                                receive != NULL ? "gtasklet_tasklet_receive" : "gtasklet_tasklet_wait",
                                G_OBJECT_TYPE_NAME (self), self);
      return;
    }

  if (receive != NULL)
    {
      GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

      /* Receiving the same way as the armed set does: borrow its reference. */
      if (priv->armed.len == 1 && frame->pending.len == 0 &&
          priv->armed.one == _gtasklet_wait_entry_for_receive (receive))
        _gtasklet_wait_set_append (&frame->pending,
                                   _gtasklet_wait_entry_for_borrowed_receive (receive));
      else
        _gtasklet_wait_set_append (&frame->pending,
                                   _gtasklet_wait_entry_for_receive (_gtasklet_receive_spec_ref (receive)));
      return;
    }

  /* Waiting again on a condition armed for this tasklet, the usual case: only this thread
   * changes that, so no claim is needed. */
  if (_gtasklet_wait_condition_is_armed_by (condition, self, &other))
    {
      GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);

      if (link->pending)
        return;
      link->pending = TRUE;
      hooks = _gtasklet_wait_condition_get_hooks (condition);
      if (hooks != NULL && hooks->added != NULL)
        hooks->added (condition);
      _gtasklet_wait_set_append (&frame->pending, condition);
      return;
    }

  switch (_gtasklet_wait_condition_claim (condition, self, &other))
    {
    case GTASKLET_CLAIM_ALREADY:
      return;
    case GTASKLET_CLAIM_ARMED_ELSEWHERE:
    case GTASKLET_CLAIM_PENDING_ELSEWHERE:
      _gtasklet_tasklet_misuse (self, "%s %p cannot wait on %s %p: that condition is in the "
                                "wait set of %s %p (a condition is waited on by one tasklet at "
                                "a time)", G_OBJECT_TYPE_NAME (self), self,
                                G_OBJECT_TYPE_NAME (condition), condition,
                                G_OBJECT_TYPE_NAME (other), other);
      return;
    case GTASKLET_CLAIM_NEW:
    default:
      break;
    }

  hooks = _gtasklet_wait_condition_get_hooks (condition);
  if (hooks != NULL && hooks->added != NULL)
    hooks->added (condition);

  _gtasklet_wait_set_append (&frame->pending, g_object_ref (condition));
}

/* A programmer error concerning @self: reported now, in plain words, and the tasklet fails
 * with the same words (its step's end, or as soon as its thread gets to it). */
void
_gtasklet_tasklet_misuse (GtaskletTasklet *self,
                          const char      *format,
                          ...)
{
  GtaskletStepFrame *frame;
  GError *error;
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_critical ("%s", message);
  error = g_error_new_literal (GTASKLET_ERROR, GTASKLET_ERROR_MISUSE, message);
  g_free (message);

  frame = _gtasklet_step_find_frame (self);
  if (frame != NULL)
    {
      if (frame->misuse == NULL)
        frame->misuse = error;
      else
        g_error_free (error);
      return;
    }

  _gtasklet_tasklet_fail_later (self, error);
}

/* Fails @self with @error (taken) at its next chance: when it begins, or as soon as its thread
 * gets to it if it is waiting. Any thread; a tasklet that already has a failure coming, or
 * has finished, keeps what it has. */
void
_gtasklet_tasklet_fail_later (GtaskletTasklet *self,
                              GError          *error)
{
  GtaskletTaskletExtras *extras = _gtasklet_tasklet_get_extras (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);

  _gtasklet_lock (lock);
  if (extras->pending_failure == NULL && g_atomic_int_get (&_gtasklet_tasklet_get_private (self)->state) != GTASKLET_STATE_FINISHED)
    extras->pending_failure = g_steal_pointer (&error);
  _gtasklet_unlock (lock);
  g_clear_error (&error);

  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_SUSPENDED)
    tasklet_check_soon (self);
}

/* g_object_run_dispose() on a started tasklet: it ends as if cancelled. */
void
_gtasklet_tasklet_end_disposed (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;
  GtaskletLock *lock;

  extras = _gtasklet_tasklet_get_extras (self);
  lock = _gtasklet_lock_for (self);
  _gtasklet_lock (lock);
  if (extras->pending_failure == NULL)
    extras->pending_failure = _gtasklet_step_cancelled_error ();
  _gtasklet_unlock (lock);
  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_SUSPENDED)
    tasklet_check_soon (self);
}

/* Messages */

/* On the receiver's thread: the mailbox decides. */
static gboolean
deliver_local (GtaskletTasklet  *self,
               GtaskletEnvelope *envelope)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  gboolean may_accept;

  if G_UNLIKELY (priv->state == GTASKLET_STATE_FINISHED)
    {
      g_debug ("message '%s' for finished %s %p dropped",
               envelope->name, G_OBJECT_TYPE_NAME (self), self);
      _gtasklet_envelope_discard (envelope);
      return FALSE;
    }

  if G_UNLIKELY (envelope->flags & (ENVELOPE_DOWN | ENVELOPE_EXIT))
    {
      if ((envelope->flags & ENVELOPE_DOWN) ? !_gtasklet_tasklet_down_arrived (self, envelope)
                                            : !_gtasklet_tasklet_exit_arrived (self, envelope))
        return TRUE;
    }

  envelope->stamp = _gtasklet_thread_next_stamp (_gtasklet_thread_get ());

  /* A waiting tasklet with nothing else to deliver: the newcomer can be decided at once. */
  may_accept = priv->state == GTASKLET_STATE_SUSPENDED && !priv->committing && !priv->queued &&
               priv->next_event == NULL && priv->fired_head == NULL;
  if (_gtasklet_mailbox_offer (&priv->mailbox, envelope, may_accept) == GTASKLET_MAILBOX_ACCEPTED)
    {
      priv->next_event = ENVELOPE_EVENT (envelope);
      _gtasklet_step_queue (self);
    }
  return TRUE;
}

static void
envelope_item_run (GtaskletWorkItem *item,
                   gboolean          run)
{
  GtaskletEnvelope *envelope = (GtaskletEnvelope *) item;
  GtaskletTasklet *dest = envelope->dest;

  if (!run)
    {
      if (envelope->flags & ENVELOPE_EXIT)
        _gtasklet_tasklet_exit_lost (dest, envelope);
      _gtasklet_envelope_discard (envelope);
      return;
    }

  /* The reference that crossed the threads is ours now; queued, the envelope needs none. */
  envelope->flags &= ~ENVELOPE_OWNS_DEST;
  envelope->item.func = NULL;
  deliver_local (dest, envelope);
  g_object_unref (dest);
}

/* Sends @envelope (routed, taken) to @dest, from any thread. */
gboolean
_gtasklet_tasklet_deliver (GtaskletTasklet  *dest,
                           GtaskletEnvelope *envelope)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (dest);
  GtaskletState state = g_atomic_int_get (&priv->state);

  if G_UNLIKELY (state == GTASKLET_STATE_NEW)
    {
      GtaskletLock *lock = _gtasklet_lock_for (dest);

      /* Nobody runs it yet to decide on arrival: a linked tasklet's end is decided now. */
      if ((envelope->flags & ENVELOPE_EXIT) && !_gtasklet_tasklet_exit_arrived (dest, envelope))
        return TRUE;
      if (_gtasklet_tasklet_is_forwarding (dest))
        return _gtasklet_tasklet_forward (dest, envelope);

      /* Not started: no thread owns the mailbox yet, so the lock does; start takes it over. */
      _gtasklet_lock (lock);
      if (g_atomic_int_get (&priv->state) == GTASKLET_STATE_NEW)
        {
          _gtasklet_mailbox_push (&priv->mailbox, envelope);
          _gtasklet_unlock (lock);
          return TRUE;
        }
      _gtasklet_unlock (lock);
      state = g_atomic_int_get (&priv->state);
    }

  if (state != GTASKLET_STATE_FINISHED)
    {
      GtaskletScheduler *scheduler = priv->scheduler;

      GtaskletSchedulerEntry entry;
      gboolean delivered;

      /* Directly into the mailbox when this thread runs the context (or it is this thread's
       * own, idle one), unless work posted earlier is waiting: that may be a message from this
       * very sender, sent before this thread ran the context, so this one goes behind it. The
       * posted work itself runs from the scheduler's dispatch, never here (this may be inside
       * a cancellable's emission, where ending a tasklet would wait on itself). */
      if (_gtasklet_scheduler_is_current (scheduler))
        {
          if G_LIKELY (!_gtasklet_scheduler_has_posted (scheduler))
            return deliver_local (dest, envelope);
        }
      else if (_gtasklet_scheduler_enter (scheduler, &entry))
        {
          /* Looked at only here: for a context another thread runs, reading the inbox's
           * state would move its cache line for nothing. */
          if G_LIKELY (!_gtasklet_scheduler_has_posted (scheduler))
            {
              delivered = deliver_local (dest, envelope);
              _gtasklet_scheduler_leave (scheduler, &entry);
              return delivered;
            }
          _gtasklet_scheduler_leave (scheduler, &entry);
        }

      _gtasklet_envelope_own_dest (envelope);
      envelope->item.func = envelope_item_run;
      envelope->flags |= ENVELOPE_QUEUED;
      if (_gtasklet_scheduler_post (scheduler, &envelope->item))
        return TRUE;
      envelope->item.func = NULL;
    }

  g_debug ("message '%s' for finished %s %p dropped",
           envelope->name, G_OBJECT_TYPE_NAME (dest), dest);
  if (envelope->flags & ENVELOPE_EXIT)
    _gtasklet_tasklet_exit_lost (dest, envelope);
  _gtasklet_envelope_discard (envelope);
  return FALSE;
}

/* Messages waiting for the tasklet: queued, and the one chosen as its next event. */
guint
_gtasklet_tasklet_count_pending (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  return priv->mailbox.length + (priv->next_event != NULL && EVENT_IS_ENVELOPE (priv->next_event));
}

/* Delivers a routed envelope; while statistics are on, the send counts for the tasklet whose
 * step runs on this thread (the one that sent or forwarded it), if any. */
static gboolean
deliver_counted (GtaskletTasklet  *dest,
                 GtaskletEnvelope *envelope)
{
  gboolean sent = _gtasklet_tasklet_deliver (dest, envelope);
  GtaskletTasklet *current;

  if (G_UNLIKELY (_gtasklet_instrument_flags () & GTASKLET_INSTRUMENT_STATS) && sent &&
      (current = _gtasklet_tasklet_current ()) != NULL)
    _gtasklet_tasklet_count_sent (current);
  return sent;
}

/* Queues @message for @dest, from the running tasklet or, with @keep_sender, from the
 * sender it has. */
static gboolean
send_message (GtaskletTasklet *dest,
              GtaskletMessage *message,
              gboolean         keep_sender,
              const char      *func)
{
  GtaskletEnvelope *envelope;

  if (message->envelope.flags & ENVELOPE_QUEUED)
    {
      g_critical ("%s(): message '%s' is already queued for a tasklet; a message is in one "
                  "mailbox at a time (send a new one)", func, message->envelope.name);
      return FALSE;
    }

  if (_gtasklet_tasklet_peek_state (dest) == GTASKLET_STATE_FINISHED)
    return FALSE;

  envelope = _gtasklet_envelope_of_message (message);
  _gtasklet_envelope_route (envelope,
                            keep_sender ? envelope->sender : _gtasklet_tasklet_current (),
                            dest);
  return deliver_counted (dest, envelope);
}

/**
 * gtasklet_tasklet_send_message:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @message: a [class@Gtasklet.Message] that is in no mailbox
 *
 * Queues @message in @dest's mailbox. The mailbox takes its own reference.
 *
 * The sender is the tasklet whose step is running on this thread (%NULL from outside any
 * step). The receiver never runs inside this call: its step runs from its main context after
 * the current step has returned. Messages from one sender to one receiver arrive in order.
 *
 * This function is thread-safe.
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

  return send_message (dest, message, FALSE, G_STRFUNC);
}

/**
 * gtasklet_tasklet_forward_message:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @message: a [class@Gtasklet.Message] that is in no mailbox, typically the event of the
 *   running step
 *
 * Queues @message in @dest's mailbox as [method@Gtasklet.Tasklet.send_message] does, but
 * keeps its sender: @dest sees the tasklet that sent it first, and can answer that one (a
 * dispatcher handing requests to workers, say). The order promise holds per forwarding
 * tasklet: messages it forwards to one receiver arrive in the order forwarded.
 *
 * ```c
 * if (event != NULL && GTASKLET_IS_MESSAGE (event))
 *   gtasklet_tasklet_forward_message (next_worker (self), GTASKLET_MESSAGE (event));
 * ```
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_forward_message (GtaskletTasklet *dest,
                                  GtaskletMessage *message)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (dest), FALSE);
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (message), FALSE);

  return send_message (dest, message, TRUE, G_STRFUNC);
}

/**
 * gtasklet_tasklet_send:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @name: the message name
 * @value: (nullable): the payload, copied
 *
 * Sends a message named @name, as [method@Gtasklet.Tasklet.send_message] does. This is the
 * cheap way to send: no [class@Gtasklet.Message] object exists until the receiver's step
 * gets it.
 *
 * This function is thread-safe.
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
  GtaskletEnvelope *envelope;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (dest), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (value == NULL || G_IS_VALUE (value), FALSE);

  if (_gtasklet_tasklet_peek_state (dest) == GTASKLET_STATE_FINISHED)
    return FALSE;

  envelope = _gtasklet_envelope_new (_gtasklet_thread_intern (_gtasklet_thread_get (), name),
                                     value);
  _gtasklet_envelope_route (envelope, _gtasklet_tasklet_current (), dest);
  return deliver_counted (dest, envelope);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-step-private.h"

#include "gtasklet-error.h"
#include "gtasklet-stats-private.h"

/* The step engine: how a tasklet goes from an event to a step, and from a step to its next
 * wait set or its end. The public API (gtasklet-tasklet.c) calls in here; the scheduler runs
 * the jobs queued here; conditions report to the waiter functions below.
 *
 * The path of a message: gtasklet_tasklet_send() builds an envelope and hands it to
 * _gtasklet_tasklet_deliver(); on the receiver's thread the mailbox decides it (accept now,
 * queue, drop); an accepted one becomes the tasklet's next event and the tasklet is queued on
 * its scheduler; the scheduler's dispatch runs tasklet_dispatch_job(), which opens the
 * envelope into a GtaskletMessage and runs the step. From another thread the envelope first
 * crosses the scheduler's inbox.
 *
 * Everything here runs on the thread that runs the tasklet's context, unless said otherwise. */

static void tasklet_finish (GtaskletTasklet *self,
                            GError          *error);

GError *
_gtasklet_step_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Tasklet was cancelled");
}

/* Frames */

GtaskletStepFrame *
_gtasklet_step_find_frame (GtaskletTasklet *self)
{
  for (GtaskletStepFrame *f = _gtasklet_thread_get ()->current_frame; f != NULL; f = f->parent)
    if (f->tasklet == self && !f->closed)
      return f;
  return NULL;
}

gboolean
_gtasklet_tasklet_is_in_step (GtaskletTasklet *self)
{
  return _gtasklet_step_find_frame (self) != NULL;
}

/* The tasklet whose step runs on this thread: the innermost frame that is still in run(). */
GtaskletTasklet *
_gtasklet_tasklet_current (void)
{
  for (GtaskletStepFrame *f = _gtasklet_thread_get ()->current_frame; f != NULL; f = f->parent)
    if (!f->closed)
      return f->tasklet;
  return NULL;
}

/* Fired list: conditions that fired and were not delivered yet, oldest first. */

void
_gtasklet_step_fired_append (GtaskletTaskletPrivate *priv,
              GtaskletWaitCondition  *condition)
{
  GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);

  link->fired = TRUE;
  link->fired_stamp = _gtasklet_thread_next_stamp (_gtasklet_thread_get ());
  link->fired_next = NULL;
  if (priv->fired_tail != NULL)
    _gtasklet_wait_condition_get_link (priv->fired_tail)->fired_next = condition;
  else
    priv->fired_head = condition;
  priv->fired_tail = condition;
}

void
_gtasklet_step_fired_remove (GtaskletTaskletPrivate *priv,
              GtaskletWaitCondition  *condition)
{
  GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);
  GtaskletWaitCondition *prev = NULL;

  if (!link->fired)
    return;

  for (GtaskletWaitCondition *c = priv->fired_head; c != NULL;
       prev = c, c = _gtasklet_wait_condition_get_link (c)->fired_next)
    {
      if (c != condition)
        continue;
      if (prev != NULL)
        _gtasklet_wait_condition_get_link (prev)->fired_next = link->fired_next;
      else
        priv->fired_head = link->fired_next;
      if (priv->fired_tail == condition)
        priv->fired_tail = prev;
      break;
    }
  link->fired = FALSE;
  link->fired_next = NULL;
}

/* Wait sets */

/* Drops a wait set's reference on @condition, letting its type keep it for reuse. */
static void
condition_release (GtaskletWaitCondition *condition)
{
  const GtaskletWaitConditionHooks *hooks = _gtasklet_wait_condition_get_hooks (condition);

  if (hooks != NULL && hooks->recycle != NULL && hooks->recycle (condition))
    return;
  g_object_unref (condition);
}

static void
tasklet_disarm (GtaskletTasklet       *self,
                GtaskletWaitCondition *condition)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);

  _gtasklet_wait_condition_disarm (condition);
  /* After the disarm: an event its implementation reported on the way out is dropped too. */
  _gtasklet_step_fired_remove (priv, condition);
  link->delivered = FALSE;
  link->failed = FALSE;
}

static void
tasklet_disarm_all (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitSet armed = priv->armed;
  GtaskletWaitEntry *items = _gtasklet_wait_set_items (&armed);

  priv->armed = (GtaskletWaitSet) { 0 };
  _gtasklet_mailbox_set_receivers (&priv->mailbox, NULL, 0);
  for (guint i = 0; i < armed.len; i++)
    {
      if (_gtasklet_wait_entry_is_receive (items[i]))
        {
          _gtasklet_receive_spec_unref (_gtasklet_wait_entry_get_receive (items[i]));
          continue;
        }
      tasklet_disarm (self, items[i]);
      condition_release (items[i]);
    }
  _gtasklet_wait_set_free (&armed);
  g_assert (priv->fired_head == NULL);
}

/* The pending set holds a reference on each entry, except on conditions already armed for
 * this tasklet: the armed set's reference then serves both (see _gtasklet_tasklet_add_wait()). */
static void
pending_abandon (GtaskletTasklet *self,
                 GtaskletWaitSet *pending)
{
  GtaskletWaitEntry *items = _gtasklet_wait_set_items (pending);

  for (guint i = 0; i < pending->len; i++)
    {
      GtaskletTasklet *armed_for;

      if (_gtasklet_wait_entry_is_receive (items[i]))
        {
          _gtasklet_wait_entry_release_receive (items[i]);
          continue;
        }
      if (_gtasklet_wait_condition_is_armed_by (items[i], self, &armed_for))
        {
          _gtasklet_wait_condition_get_link (items[i])->pending = FALSE;
          continue;
        }
      _gtasklet_wait_condition_unclaim (items[i]);
      condition_release (items[i]);
    }
  _gtasklet_wait_set_free (pending);
}

/* Whether @set holds a condition that reports the tasklet's own cancellation. */
gboolean
_gtasklet_step_catches_cancel (GtaskletWaitSet *set,
                         GCancellable    *cancellable)
{
  GtaskletWaitEntry *items = _gtasklet_wait_set_items (set);

  for (guint i = 0; i < set->len; i++)
    {
      const GtaskletWaitConditionHooks *hooks;

      if (_gtasklet_wait_entry_is_receive (items[i]))
        continue;
      hooks = _gtasklet_wait_condition_get_hooks (items[i]);
      if (hooks != NULL && hooks->catches_cancel != NULL &&
          hooks->catches_cancel (items[i], cancellable))
        return TRUE;
    }
  return FALSE;
}

gboolean
_gtasklet_step_is_cancelled (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GCancellable *cancellable;

  if (G_LIKELY (g_atomic_pointer_get (&priv->extras) == NULL) || priv->cancel_handled)
    return FALSE;
  cancellable = _gtasklet_tasklet_peek_cancellable (self);
  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

GError *
_gtasklet_step_take_pending_failure (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&priv->extras);
  GtaskletLock *lock;
  GError *error;

  if (G_LIKELY (extras == NULL))
    return NULL;
  lock = _gtasklet_lock_for (self);
  _gtasklet_lock (lock);
  error = g_steal_pointer (&extras->pending_failure);
  _gtasklet_unlock (lock);
  return error;
}

/* Events */

static void tasklet_dispatch_job (gpointer data);

void
_gtasklet_step_queue (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  if (priv->queued)
    return;
  priv->queued = TRUE;
  _gtasklet_scheduler_queue (priv->scheduler, tasklet_dispatch_job, self);
}

/* Takes the oldest deliverable event: a fired condition or a message some receive of the
 * wait set accepts, whichever happened first. A message comes as a tagged envelope; a
 * condition comes without a reference (its wait set holds one). NULL if none. */
static gpointer
tasklet_take_event (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitCondition *fired = priv->fired_head;

  if (priv->next_event != NULL)
    return g_steal_pointer (&priv->next_event);

  if (_gtasklet_mailbox_may_match (&priv->mailbox))
    {
      guint64 before = fired != NULL
        ? _gtasklet_wait_condition_get_link (fired)->fired_stamp
        : G_MAXUINT64;
      GtaskletEnvelope *envelope = _gtasklet_mailbox_take (&priv->mailbox, before);

      if (envelope != NULL)
        return ENVELOPE_EVENT (envelope);
    }

  if (fired != NULL)
    {
      _gtasklet_step_fired_remove (priv, fired);
      _gtasklet_wait_condition_get_link (fired)->delivered = TRUE;
      return fired;
    }

  return NULL;
}

/* Drops the reference a started tasklet holds on itself, once it has finished; while it is
 * still in the run queue, the dequeue drops it. */
static void
tasklet_release_finished (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  if (priv->queued)
    priv->release_on_dequeue = TRUE;
  else
    _gtasklet_tasklet_release (self);
}

/* Ends the tasklet outside any step of its own (cancelled, failed wait, destroyed context),
 * and lets go of the reference it held on itself. */
void
_gtasklet_step_finish_outside (GtaskletTasklet *self,
                             GError          *error)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletStepFrame frame = { self, thread->current_frame, { { NULL }, 0, 0 }, NULL, TRUE };

  thread->current_frame = &frame;
  tasklet_finish (self, error);
  thread->current_frame = frame.parent;
  tasklet_release_finished (self);
}

/* Runs the step for @event as tasklet_take_event() returned it. */
static void
tasklet_run_event (GtaskletTasklet *self,
                   gpointer         event)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitCondition *condition;
  const GtaskletWaitConditionHooks *hooks;
  GtaskletWaitLink *link;

  if (EVENT_IS_ENVELOPE (event))
    {
      _gtasklet_step_run (self, (GObject *) _gtasklet_envelope_open (EVENT_ENVELOPE (event)));
      return;
    }

  condition = event;
  link = _gtasklet_wait_condition_get_link (condition);
  if G_UNLIKELY (link->failed)
    {
      GError *error = _gtasklet_wait_condition_take_failure (condition);

      link->failed = FALSE;
      if (error == NULL)
        error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_FAILED, "%s failed",
                             G_OBJECT_TYPE_NAME (condition));
      _gtasklet_step_finish_outside (self, error);
      return;
    }

  hooks = _gtasklet_wait_condition_get_hooks (condition);
  if G_UNLIKELY (hooks != NULL)
    {
      if (hooks->delivered != NULL)
        hooks->delivered (condition);
      if (hooks->catches_cancel != NULL &&
          _gtasklet_tasklet_peek_cancellable (self) != NULL &&
          hooks->catches_cancel (condition, _gtasklet_tasklet_peek_cancellable (self)))
        priv->cancel_handled = TRUE;
    }

  _gtasklet_step_run (self, (GObject *) condition);
}

/* Something may be deliverable. Runs the step right here when a source of the tasklet's own
 * context is being dispatched on this thread and nothing of any tasklet is on the stack (the
 * rule g_task_return() follows); queues the tasklet otherwise. */
void
_gtasklet_step_wake (GtaskletTasklet *self,
              gboolean         may_run_now)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletThread *thread;

  if (priv->state != GTASKLET_STATE_SUSPENDED || priv->committing || priv->queued)
    return;

  thread = _gtasklet_thread_get ();
  if (may_run_now && thread->current_frame == NULL &&
      _gtasklet_scheduler_is_dispatching (priv->scheduler))
    {
      gpointer saved = thread->current_scheduler;
      gpointer event;

      thread->current_scheduler = priv->scheduler;
      event = tasklet_take_event (self);
      if (event != NULL)
        tasklet_run_event (self, event);
      thread->current_scheduler = saved;
      return;
    }

  _gtasklet_step_queue (self);
}

/* Steps one tasklet runs per job before it goes to the back of the run queue: events already
 * waiting for it (a deep mailbox) run without a trip through the queue each, yet a busy
 * tasklet cannot hold the dispatch for long. */
#define STEPS_PER_JOB 16

/* The tasklet stays flagged as queued while its job runs: a step that ends it then leaves
 * the last reference to this loop (release_on_dequeue), and events that arrive meanwhile are
 * picked up here rather than queued again. */
static void
tasklet_dispatch_job (gpointer data)
{
  GtaskletTasklet *self = data;
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  g_assert (priv->queued);

  for (guint n = 0; ; n++)
    {
      gpointer event;

      if (priv->release_on_dequeue)
        {
          priv->release_on_dequeue = FALSE;
          priv->queued = FALSE;
          _gtasklet_tasklet_release (self);
          return;
        }
      if (priv->state != GTASKLET_STATE_SUSPENDED)
        break;
      if (n == STEPS_PER_JOB)
        {
          if (priv->next_event != NULL || priv->fired_head != NULL ||
              _gtasklet_mailbox_may_match (&priv->mailbox))
            {
              /* Still flagged: back into the queue behind the others. */
              _gtasklet_scheduler_queue (priv->scheduler, tasklet_dispatch_job, self);
              return;
            }
          break;
        }

      event = tasklet_take_event (self);
      if (event == NULL)
        break;
      tasklet_run_event (self, event);
    }

  priv->queued = FALSE;
}

/* Finishing */

static void
tasklet_drop_messages (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  gpointer next = g_steal_pointer (&priv->next_event);
  guint dropped = _gtasklet_mailbox_clear (&priv->mailbox);

  if (next != NULL && EVENT_IS_ENVELOPE (next))
    {
      _gtasklet_envelope_discard (EVENT_ENVELOPE (next));
      dropped++;
    }
  if (dropped > 0)
    g_debug ("%s %p finished with %u undelivered message%s, dropped",
             G_OBJECT_TYPE_NAME (self), self, dropped, dropped == 1 ? "" : "s");
}

static gboolean
finish_watches_read_outcome (GtaskletFinishWatch *watches)
{
  for (GtaskletFinishWatch *watch = watches; watch != NULL; watch = watch->next)
    if (!watch->quiet)
      return TRUE;
  return FALSE;
}

/* Ends the tasklet with @error (taken; NULL for success). Runs inside a frame, so nothing it
 * sets off (joiners woken, handlers of ::finished) runs a step inline. */
static void
tasklet_finish (GtaskletTasklet *self,
                GError          *error)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletFinishWatch *watches;

  g_assert (priv->state != GTASKLET_STATE_FINISHED);

  if (error != NULL)
    _gtasklet_tasklet_get_extras (self)->error = error;

  tasklet_disarm_all (self);
  tasklet_drop_messages (self);
  _gtasklet_tasklet_drop_monitors (self);
  if (priv->is_member)
    {
      _gtasklet_scheduler_remove_member (priv->scheduler, &priv->member);
      priv->is_member = FALSE;
    }

  /* Off the list before the state says FINISHED: a snapshot never lists a finished tasklet
   * it took after the finish. */
  _gtasklet_live_unregister (&priv->live);

  /* The state becomes FINISHED here, under the lock, with the watches taken in one go: a
   * watch added from another thread either is in the list or sees FINISHED. */
  watches = _gtasklet_tasklet_steal_finish_watches (self);
  /* Only now: until the state is FINISHED, get_cancellable() on another thread may still
   * connect a cancellable it has just made; from now on it does not. */
  _gtasklet_tasklet_disconnect_cancellable (self);

  if (error != NULL &&
      (finish_watches_read_outcome (watches) ||
       g_signal_has_handler_pending (self, _gtasklet_tasklet_finished_signal, 0, TRUE)))
    g_atomic_int_set (&_gtasklet_tasklet_get_extras (self)->error_seen, TRUE);

  g_signal_emit (self, _gtasklet_tasklet_finished_signal, 0);
  _gtasklet_tasklet_notify_finish_watches (self, watches);
}

/* Steps */

static void
tasklet_commit (GtaskletTasklet *self,
                GtaskletWaitSet *pending)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitSet old = priv->armed;
  GtaskletWaitEntry *old_items = _gtasklet_wait_set_items (&old);
  GtaskletWaitEntry *new_items = _gtasklet_wait_set_items (pending);
  GtaskletReceiveSpec *receives_inline[8];
  GtaskletReceiveSpec **receives = receives_inline;
  guint n_receives = 0;

  /* Release stores: a plain store on x86, and readers on other threads load atomically. */
  __atomic_store_n (&priv->state, GTASKLET_STATE_SUSPENDED, __ATOMIC_RELEASE);
  priv->committing = TRUE;

  /* The common case of a tasklet that waits the same way at every step: one entry, kept. It
   * stays armed, and its reference stays with the armed set. */
  if (old.len == 1 && pending->len == 1 &&
      ((guintptr) old.one & ~(guintptr) 2) == ((guintptr) pending->one & ~(guintptr) 2))
    {
      if (_gtasklet_wait_entry_is_receive (pending->one))
        {
          _gtasklet_wait_entry_release_receive (pending->one);
        }
      else
        {
          GtaskletWaitCondition *condition = pending->one;
          GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);
          const GtaskletWaitConditionHooks *hooks = _gtasklet_wait_condition_get_hooks (condition);

          link->pending = FALSE;
          if (link->delivered && hooks != NULL && hooks->is_done != NULL &&
              hooks->is_done (condition))
            _gtasklet_step_fired_append (priv, condition);
          link->delivered = FALSE;
        }
      _gtasklet_wait_set_free (pending);
      goto committed;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      if (!_gtasklet_wait_entry_is_receive (new_items[i]))
        _gtasklet_wait_condition_get_link (new_items[i])->in_new_set = TRUE;
      else if (_gtasklet_wait_entry_is_borrowed (new_items[i]))
        /* The armed set is about to be replaced: the entry needs its own reference now. */
        new_items[i] = _gtasklet_wait_entry_for_receive (
          _gtasklet_receive_spec_ref (_gtasklet_wait_entry_get_receive (new_items[i])));
    }

  /* Disarm what the step dropped; what it kept stays armed (a timeout keeps its schedule),
   * and its reference passes from the old set to the new one. */
  for (guint i = 0; i < old.len; i++)
    {
      if (_gtasklet_wait_entry_is_receive (old_items[i]))
        _gtasklet_receive_spec_unref (_gtasklet_wait_entry_get_receive (old_items[i]));
      else if (!_gtasklet_wait_condition_get_link (old_items[i])->in_new_set)
        {
          tasklet_disarm (self, old_items[i]);
          condition_release (old_items[i]);
        }
    }
  _gtasklet_wait_set_free (&old);

  priv->armed = *pending;
  *pending = (GtaskletWaitSet) { 0 };
  new_items = _gtasklet_wait_set_items (&priv->armed);
  if (priv->armed.len > G_N_ELEMENTS (receives_inline))
    receives = g_new (GtaskletReceiveSpec *, priv->armed.len);

  for (guint i = 0; i < priv->armed.len; i++)
    {
      GtaskletWaitCondition *condition;
      const GtaskletWaitConditionHooks *hooks;
      GtaskletWaitLink *link;
      GtaskletTasklet *armed_for;

      if (_gtasklet_wait_entry_is_receive (new_items[i]))
        {
          receives[n_receives++] = _gtasklet_wait_entry_get_receive (new_items[i]);
          continue;
        }

      condition = new_items[i];
      link = _gtasklet_wait_condition_get_link (condition);
      hooks = _gtasklet_wait_condition_get_hooks (condition);
      link->in_new_set = FALSE;
      link->pending = FALSE;
      _gtasklet_wait_condition_unclaim (condition);

      if (hooks != NULL && hooks->get_receive != NULL)
        receives[n_receives++] = hooks->get_receive (condition);

      if (_gtasklet_wait_condition_is_armed_by (condition, self, &armed_for))
        {
          /* Kept: stays armed. A lasting event that was just delivered fires again. */
          if (link->delivered && hooks != NULL && hooks->is_done != NULL &&
              hooks->is_done (condition))
            _gtasklet_step_fired_append (priv, condition);
          link->delivered = FALSE;
          continue;
        }
      link->delivered = FALSE;
      /* May fire at once (the event already happened): committing makes that a mark only. */
      _gtasklet_wait_condition_arm (condition, self, &_gtasklet_step_waiter_funcs);
    }

  if (!_gtasklet_mailbox_same_receivers (&priv->mailbox, receives, n_receives))
    _gtasklet_mailbox_set_receivers (&priv->mailbox, receives, n_receives);
  if (receives != receives_inline)
    g_free (receives);

committed:
  priv->committing = FALSE;

  if (priv->fired_head != NULL || _gtasklet_mailbox_may_match (&priv->mailbox))
    {
      gpointer event = tasklet_take_event (self);

      if (event != NULL)
        {
          priv->next_event = event;
          _gtasklet_step_queue (self);
        }
    }
}

/* Runs one step with @event (a message event's reference is the step's to release). The
 * tasklet stays alive through the step because a started, unfinished tasklet holds a
 * reference on itself; when the step finishes it, that reference is dropped on the way out. */
void
_gtasklet_step_run (GtaskletTasklet *self,
              GObject         *event)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletStepFrame frame = { self, thread->current_frame, { { NULL }, 0, 0 }, NULL, FALSE };
  GError *error = NULL;
  GError *failure;
  gboolean ok;

  g_assert (priv->state == GTASKLET_STATE_SUSPENDED);

  __atomic_store_n (&priv->state, GTASKLET_STATE_RUNNING, __ATOMIC_RELEASE);
  thread->current_frame = &frame;

  /* The one test statistics cost a step while they are off. */
  if G_UNLIKELY (_gtasklet_stats_on ())
    ok = _gtasklet_tasklet_run_counted (self, event, &error);
  else
    ok = GTASKLET_TASKLET_GET_CLASS (self)->run (self, event, &error);

  frame.closed = TRUE;
  if (event != NULL && IS_MESSAGE (event))
    _gtasklet_message_release ((GtaskletMessage *) event);

  if G_UNLIKELY (frame.misuse != NULL)
    {
      g_clear_error (&error);
      error = g_steal_pointer (&frame.misuse);
      ok = FALSE;
    }
  else if G_UNLIKELY (!ok && error == NULL)
    {
      g_critical ("%s %p: its step returned FALSE without setting an error",
                  G_OBJECT_TYPE_NAME (self), self);
      error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_FAILED,
                           "%s: step returned FALSE without setting an error",
                           G_OBJECT_TYPE_NAME (self));
    }
  else if G_UNLIKELY (ok && error != NULL)
    {
      g_critical ("%s %p: its step returned TRUE but set an error: %s",
                  G_OBJECT_TYPE_NAME (self), self, error->message);
      ok = FALSE;
    }

  if (G_LIKELY (ok) && G_UNLIKELY ((failure = _gtasklet_step_take_pending_failure (self)) != NULL))
    {
      error = failure;
      ok = FALSE;
    }

  if (G_LIKELY (ok))
    {
      if (frame.pending.len == 0)
        {
          tasklet_finish (self, NULL);
        }
      else if (G_UNLIKELY (_gtasklet_step_is_cancelled (self)) &&
               !_gtasklet_step_catches_cancel (&frame.pending, _gtasklet_tasklet_peek_cancellable (self)))
        {
          /* Cancelled while it ran: it ends instead of waiting. */
          pending_abandon (self, &frame.pending);
          tasklet_finish (self, _gtasklet_step_cancelled_error ());
        }
      else
        {
          tasklet_commit (self, &frame.pending);
          thread->current_frame = frame.parent;
          return;
        }
    }
  else
    {
      pending_abandon (self, &frame.pending);
      tasklet_finish (self, error);
    }

  thread->current_frame = frame.parent;
  tasklet_release_finished (self);
}


/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-wait-condition-private.h"

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

/* One step (or one finish outside a step) on the C stack. Frames form a chain, because a
 * step may start a child tasklet whose first step runs inside it. While any frame is on a
 * thread's stack, no step runs inline there: delivery never nests. */
typedef struct _StepFrame StepFrame;
struct _StepFrame
{
  GtaskletTasklet *tasklet;
  StepFrame       *parent;
  GtaskletWaitSet  pending;
  /* The first programmer error the step made; it fails the tasklet when the step returns. */
  GError          *misuse;
  /* run() has returned: the wait set is being committed or the tasklet finished. */
  gboolean         closed;
};

/* A next event is a condition, or an envelope tagged in the low bit. */
#define EVENT_IS_ENVELOPE(event) (((guintptr) (event) & 1) != 0)
#define EVENT_ENVELOPE(event)    ((GtaskletEnvelope *) ((guintptr) (event) & ~(guintptr) 1))
#define ENVELOPE_EVENT(envelope) ((gpointer) ((guintptr) (envelope) | 1))

/* Messages are a final type, so an exact type comparison tells them from conditions. */
#define IS_MESSAGE(obj) (G_TYPE_FROM_INSTANCE (obj) == GTASKLET_TYPE_MESSAGE)

extern guint _gtasklet_tasklet_finished_signal;

static const GtaskletWaiterFuncs waiter_funcs;

static void tasklet_step      (GtaskletTasklet *self,
                               GObject         *event);
static void tasklet_finish    (GtaskletTasklet *self,
                               GError          *error);

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Tasklet was cancelled");
}

/* Frames */

static StepFrame *
find_open_frame (GtaskletTasklet *self)
{
  for (StepFrame *f = _gtasklet_thread_get ()->current_frame; f != NULL; f = f->parent)
    if (f->tasklet == self && !f->closed)
      return f;
  return NULL;
}

gboolean
_gtasklet_tasklet_is_in_step (GtaskletTasklet *self)
{
  return find_open_frame (self) != NULL;
}

/* The tasklet whose step runs on this thread: the innermost frame that is still in run(). */
GtaskletTasklet *
_gtasklet_tasklet_current (void)
{
  for (StepFrame *f = _gtasklet_thread_get ()->current_frame; f != NULL; f = f->parent)
    if (!f->closed)
      return f->tasklet;
  return NULL;
}

/* Fired list: conditions that fired and were not delivered yet, oldest first. */

static void
fired_append (GtaskletTaskletPrivate *priv,
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

static void
fired_remove (GtaskletTaskletPrivate *priv,
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

static void
tasklet_disarm (GtaskletTasklet       *self,
                GtaskletWaitCondition *condition)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletWaitLink *link = _gtasklet_wait_condition_get_link (condition);

  _gtasklet_wait_condition_disarm (condition);
  /* After the disarm: an event its implementation reported on the way out is dropped too. */
  fired_remove (priv, condition);
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
      g_object_unref (items[i]);
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
          _gtasklet_receive_spec_unref (_gtasklet_wait_entry_get_receive (items[i]));
          continue;
        }
      _gtasklet_wait_condition_unclaim (items[i]);
      if (!_gtasklet_wait_condition_is_armed_by (items[i], self, &armed_for))
        g_object_unref (items[i]);
    }
  _gtasklet_wait_set_free (pending);
}

/* Whether @set holds a condition that reports the tasklet's own cancellation. */
static gboolean
wait_set_catches_cancel (GtaskletWaitSet *set,
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

static inline gboolean
tasklet_is_cancelled (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GCancellable *cancellable;

  if (G_LIKELY (g_atomic_pointer_get (&priv->extras) == NULL) || priv->cancel_handled)
    return FALSE;
  cancellable = _gtasklet_tasklet_peek_cancellable (self);
  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static GError *
take_pending_failure (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GMutex *lock;
  GError *error;

  if (G_LIKELY (g_atomic_pointer_get (&priv->extras) == NULL))
    return NULL;
  lock = _gtasklet_lock_for (self);
  g_mutex_lock (lock);
  error = g_steal_pointer (&priv->extras->pending_failure);
  g_mutex_unlock (lock);
  return error;
}

/* Events */

static void tasklet_dispatch_job (gpointer data);

static void
tasklet_queue (GtaskletTasklet *self)
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
      fired_remove (priv, fired);
      _gtasklet_wait_condition_get_link (fired)->delivered = TRUE;
      return fired;
    }

  return NULL;
}

/* Ends the tasklet outside any step of its own (cancelled, failed wait, destroyed context),
 * and lets go of the reference it held on itself. */
static void
tasklet_finish_outside_step (GtaskletTasklet *self,
                             GError          *error)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  StepFrame frame = { self, thread->current_frame, { { NULL }, 0, 0 }, NULL, TRUE };
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  thread->current_frame = &frame;
  tasklet_finish (self, error);
  thread->current_frame = frame.parent;

  if (priv->queued)
    priv->release_on_dequeue = TRUE;
  else
    g_object_unref (self);
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
      tasklet_step (self, (GObject *) _gtasklet_envelope_open (EVENT_ENVELOPE (event)));
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
      tasklet_finish_outside_step (self, error);
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

  tasklet_step (self, (GObject *) condition);
}

/* Something may be deliverable. Runs the step right here when a source of the tasklet's own
 * context is being dispatched on this thread and nothing of any tasklet is on the stack (the
 * rule g_task_return() follows); queues the tasklet otherwise. */
static void
tasklet_wake (GtaskletTasklet *self,
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

  tasklet_queue (self);
}

static void
tasklet_dispatch_job (gpointer data)
{
  GtaskletTasklet *self = data;
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  gpointer event;

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

  event = tasklet_take_event (self);
  if (event != NULL)
    tasklet_run_event (self, event);
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

  _gtasklet_tasklet_disconnect_cancellable (self);
  tasklet_disarm_all (self);
  tasklet_drop_messages (self);
  if (priv->member.context_destroyed != NULL)
    {
      _gtasklet_scheduler_remove_member (priv->scheduler, &priv->member);
      priv->member.context_destroyed = NULL;
    }

  /* The state becomes FINISHED here, under the lock, with the watches taken in one go: a
   * watch added from another thread either is in the list or sees FINISHED. */
  watches = _gtasklet_tasklet_steal_finish_watches (self);

  if (error != NULL &&
      (watches != NULL ||
       g_signal_has_handler_pending (self, _gtasklet_tasklet_finished_signal, 0, TRUE)))
    g_atomic_int_set (&priv->extras->error_seen, TRUE);

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

  g_atomic_int_set (&priv->state, GTASKLET_STATE_SUSPENDED);
  priv->committing = TRUE;

  for (guint i = 0; i < pending->len; i++)
    if (!_gtasklet_wait_entry_is_receive (new_items[i]))
      _gtasklet_wait_condition_get_link (new_items[i])->in_new_set = TRUE;

  /* Disarm what the step dropped; what it kept stays armed (a timeout keeps its schedule),
   * and its reference passes from the old set to the new one. */
  for (guint i = 0; i < old.len; i++)
    {
      if (_gtasklet_wait_entry_is_receive (old_items[i]))
        _gtasklet_receive_spec_unref (_gtasklet_wait_entry_get_receive (old_items[i]));
      else if (!_gtasklet_wait_condition_get_link (old_items[i])->in_new_set)
        {
          tasklet_disarm (self, old_items[i]);
          g_object_unref (old_items[i]);
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
      _gtasklet_wait_condition_unclaim (condition);

      if (hooks != NULL && hooks->get_receive != NULL)
        receives[n_receives++] = hooks->get_receive (condition);

      if (_gtasklet_wait_condition_is_armed_by (condition, self, &armed_for))
        {
          /* Kept: stays armed. A lasting event that was just delivered fires again. */
          if (link->delivered && hooks != NULL && hooks->is_done != NULL &&
              hooks->is_done (condition))
            fired_append (priv, condition);
          link->delivered = FALSE;
          continue;
        }
      link->delivered = FALSE;
      /* May fire at once (the event already happened): committing makes that a mark only. */
      _gtasklet_wait_condition_arm (condition, self, &waiter_funcs);
    }

  if (!_gtasklet_mailbox_same_receivers (&priv->mailbox, receives, n_receives))
    _gtasklet_mailbox_set_receivers (&priv->mailbox, receives, n_receives);
  if (receives != receives_inline)
    g_free (receives);

  priv->committing = FALSE;

  if (priv->fired_head != NULL || _gtasklet_mailbox_may_match (&priv->mailbox))
    {
      gpointer event = tasklet_take_event (self);

      if (event != NULL)
        {
          priv->next_event = event;
          tasklet_queue (self);
        }
    }
}

/* Runs one step with @event (a message event's reference is the step's to release). The
 * tasklet stays alive through the step because a started, unfinished tasklet holds a
 * reference on itself; when the step finishes it, that reference is dropped on the way out. */
static void
tasklet_step (GtaskletTasklet *self,
              GObject         *event)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletThread *thread = _gtasklet_thread_get ();
  StepFrame frame = { self, thread->current_frame, { { NULL }, 0, 0 }, NULL, FALSE };
  GError *error = NULL;
  GError *failure;
  gboolean ok;

  g_assert (priv->state == GTASKLET_STATE_SUSPENDED);

  g_atomic_int_set (&priv->state, GTASKLET_STATE_RUNNING);
  thread->current_frame = &frame;

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

  if (G_LIKELY (ok) && G_UNLIKELY ((failure = take_pending_failure (self)) != NULL))
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
      else if (G_UNLIKELY (tasklet_is_cancelled (self)) &&
               !wait_set_catches_cancel (&frame.pending, _gtasklet_tasklet_peek_cancellable (self)))
        {
          /* Cancelled while it ran: it ends instead of waiting. */
          pending_abandon (self, &frame.pending);
          tasklet_finish (self, cancelled_error ());
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
  if (priv->queued)
    priv->release_on_dequeue = TRUE;
  else
    g_object_unref (self);
}

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
  fired_append (priv, condition);
  tasklet_wake (self, may_run_now);
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

  fired_remove (priv, condition);
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

static const GtaskletWaiterFuncs waiter_funcs = {
  .fired = waiter_fired,
  .unfired = waiter_unfired,
  .get_context = waiter_get_context,
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

  if (priv->state != GTASKLET_STATE_SUSPENDED || priv->committing)
    return;

  failure = take_pending_failure (self);
  if (failure != NULL)
    tasklet_finish_outside_step (self, failure);
  else if (tasklet_is_cancelled (self) &&
           !wait_set_catches_cancel (&priv->armed, _gtasklet_tasklet_peek_cancellable (self)))
    tasklet_finish_outside_step (self, cancelled_error ());
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

  priv->member.context_destroyed = NULL;
  tasklet_finish_outside_step (self,
                               g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_CONTEXT_DESTROYED,
                                            "The main context of %s %p was destroyed while "
                                            "it waited", G_OBJECT_TYPE_NAME (self), self));
}

/* On the context's thread: joins the scheduler and runs the first step. */
static void
tasklet_begin (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GError *failure;

  priv->member.context_destroyed = member_context_destroyed;
  _gtasklet_scheduler_add_member (priv->scheduler, &priv->member);

  failure = take_pending_failure (self);
  if (failure != NULL)
    tasklet_finish_outside_step (self, failure);
  else if (tasklet_is_cancelled (self))
    tasklet_finish_outside_step (self, cancelled_error ());   /* without running a step */
  else
    {
      _gtasklet_tasklet_connect_cancellable (self);
      tasklet_step (self, NULL);
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
    tasklet_finish_outside_step (start->tasklet,
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
void
_gtasklet_tasklet_start (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GMainContext *context = g_main_context_ref_thread_default ();
  GtaskletScheduler *scheduler = _gtasklet_scheduler_get_for_context (context);
  GMutex *lock = _gtasklet_lock_for (self);
  GtaskletSchedulerEntry entry;

  g_mutex_lock (lock);
  if (priv->state != GTASKLET_STATE_NEW)
    {
      g_mutex_unlock (lock);
      _gtasklet_scheduler_unref (scheduler);
      g_main_context_unref (context);
      g_critical ("gtasklet_tasklet_start() called on %s %p, which has already been started",
                  G_OBJECT_TYPE_NAME (self), self);
      return;
    }
  priv->scheduler = scheduler;
  g_atomic_int_set (&priv->state, GTASKLET_STATE_SUSPENDED);
  g_mutex_unlock (lock);

  /* Kept alive until it finishes, whoever else lets go. */
  g_object_ref (self);

  if (_gtasklet_scheduler_enter (scheduler, &entry))
    {
      tasklet_begin (self);
      _gtasklet_scheduler_leave (scheduler, &entry);
    }
  else
    {
      tasklet_item_post (self, start_item_run);
    }

  g_main_context_unref (context);
}

/* The step API */

/* Adds @condition (or, if NULL, the receive @receive, whose reference is taken) to the next
 * wait set of @self's running step. */
void
_gtasklet_tasklet_add_wait (GtaskletTasklet       *self,
                            GtaskletWaitCondition *condition,
                            GtaskletReceiveSpec   *receive)
{
  StepFrame *frame = find_open_frame (self);
  const GtaskletWaitConditionHooks *hooks;
  GtaskletTasklet *other;

  if (frame == NULL)
    {
      if (receive != NULL)
        _gtasklet_receive_spec_unref (receive);
      _gtasklet_tasklet_misuse (self, "%s() called outside a step of %s %p: only the tasklet's "
                                "own step may add to its wait set",
                                receive != NULL ? "gtasklet_tasklet_receive" : "gtasklet_tasklet_wait",
                                G_OBJECT_TYPE_NAME (self), self);
      return;
    }

  if (receive != NULL)
    {
      _gtasklet_wait_set_append (&frame->pending, _gtasklet_wait_entry_for_receive (receive));
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

  _gtasklet_wait_set_append (&frame->pending,
                             _gtasklet_wait_condition_is_armed_by (condition, self, &other)
                               ? condition : g_object_ref (condition));
}

/* A programmer error concerning @self: reported now, in plain words, and the tasklet fails
 * with the same words (its step's end, or as soon as its thread gets to it). */
void
_gtasklet_tasklet_misuse (GtaskletTasklet *self,
                          const char      *format,
                          ...)
{
  GtaskletTaskletExtras *extras;
  StepFrame *frame;
  GError *error;
  GMutex *lock;
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_critical ("%s", message);
  error = g_error_new_literal (GTASKLET_ERROR, GTASKLET_ERROR_MISUSE, message);
  g_free (message);

  frame = find_open_frame (self);
  if (frame != NULL)
    {
      if (frame->misuse == NULL)
        frame->misuse = error;
      else
        g_error_free (error);
      return;
    }

  extras = _gtasklet_tasklet_get_extras (self);
  lock = _gtasklet_lock_for (self);
  g_mutex_lock (lock);
  if (extras->pending_failure == NULL && g_atomic_int_get (&_gtasklet_tasklet_get_private (self)->state) != GTASKLET_STATE_FINISHED)
    extras->pending_failure = g_steal_pointer (&error);
  g_mutex_unlock (lock);
  g_clear_error (&error);

  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_SUSPENDED)
    tasklet_check_soon (self);
}

/* g_object_run_dispose() on a started tasklet: it ends as if cancelled. */
void
_gtasklet_tasklet_end_disposed (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;
  GMutex *lock;

  extras = _gtasklet_tasklet_get_extras (self);
  lock = _gtasklet_lock_for (self);
  g_mutex_lock (lock);
  if (extras->pending_failure == NULL)
    extras->pending_failure = cancelled_error ();
  g_mutex_unlock (lock);
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

  envelope->stamp = _gtasklet_thread_next_stamp (_gtasklet_thread_get ());

  /* A waiting tasklet with nothing else to deliver: the newcomer can be decided at once. */
  may_accept = priv->state == GTASKLET_STATE_SUSPENDED && !priv->committing && !priv->queued &&
               priv->next_event == NULL && priv->fired_head == NULL;
  if (_gtasklet_mailbox_offer (&priv->mailbox, envelope, may_accept) == GTASKLET_MAILBOX_ACCEPTED)
    {
      priv->next_event = ENVELOPE_EVENT (envelope);
      tasklet_queue (self);
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
      GMutex *lock = _gtasklet_lock_for (dest);

      /* Not started: no thread owns the mailbox yet, so the lock does; start takes it over. */
      g_mutex_lock (lock);
      if (priv->state == GTASKLET_STATE_NEW)
        {
          _gtasklet_mailbox_push (&priv->mailbox, envelope);
          g_mutex_unlock (lock);
          return TRUE;
        }
      g_mutex_unlock (lock);
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
      if G_LIKELY (!_gtasklet_scheduler_has_posted (scheduler))
        {
          if (_gtasklet_scheduler_is_current (scheduler))
            return deliver_local (dest, envelope);
          if (_gtasklet_scheduler_enter (scheduler, &entry))
            {
              delivered = deliver_local (dest, envelope);
              _gtasklet_scheduler_leave (scheduler, &entry);
              return delivered;
            }
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

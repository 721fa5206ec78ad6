/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plain-GLib actors of the cross-thread baseline. bench-baseline.c's floor ("plain GLib,
 * one run queue drained by one idle source") with one run queue per GMainContext, so that
 * actors can live on several threads, each thread iterating a context of its own:
 *
 * - an actor is a bare struct with a FIFO of {name, int} messages (one malloc each);
 * - each context has one scheduler source draining a run queue of actors that have a message,
 *   one message per step, at most 1,024 steps per dispatch (gtasklet's budget);
 * - a send to an actor of the sender's own context appends to its FIFO and queues it;
 * - a send to an actor of another context appends the message to that context's inbox (a
 *   GMutex and a list), and the first message into an empty inbox wakes the context with
 *   g_main_context_wakeup(); the dispatch moves the inbox into the FIFOs first, in order.
 *
 * That is the hand-over gtasklet's scheduler does (a locked inbox, one wakeup per batch),
 * without the type system, wait conditions, envelopes or message objects: the floor to
 * approach across threads, not a like-for-like peer. */

#include "bench-xsched.h"

/* Same budget as gtasklet's scheduler, so neither starves the rest of its main loop more. */
#define STEPS_PER_DISPATCH 1024

struct _XSched
{
  GSource       source;
  GMainContext *context;
  GMutex        lock;
  XMsg         *posted_head;      /* the inbox, under the lock */
  XMsg         *posted_tail;
  int           has_posted;       /* atomic: the inbox is not empty; read by prepare() */
  XActor      **runq;             /* a ring buffer; the context's own thread only */
  guint         runq_head;
  guint         runq_len;
  guint         runq_cap;
};

/* The scheduler of the context this thread iterates, and the actor whose step runs. */
static __thread XSched *current_sched;
static __thread XActor *current_actor;

static void
runq_push (XSched *sched,
           XActor *actor)
{
  if (sched->runq_len == sched->runq_cap)
    {
      guint new_cap = MAX (64, sched->runq_cap * 2);
      XActor **ring = g_new (XActor *, new_cap);

      for (guint i = 0; i < sched->runq_len; i++)
        ring[i] = sched->runq[(sched->runq_head + i) % sched->runq_cap];
      g_free (sched->runq);
      sched->runq = ring;
      sched->runq_cap = new_cap;
      sched->runq_head = 0;
    }
  sched->runq[(sched->runq_head + sched->runq_len) % sched->runq_cap] = actor;
  sched->runq_len++;
}

static void
drop_messages (XMsg *msg)
{
  while (msg != NULL)
    {
      XMsg *next = msg->next;

      g_free (msg);
      msg = next;
    }
}

/* On the actor's own thread. */
static void
deliver (XActor *actor,
         XMsg   *msg)
{
  if (g_atomic_int_get (&actor->finished))
    {
      g_free (msg);
      return;
    }
  msg->next = NULL;
  if (actor->tail != NULL)
    actor->tail->next = msg;
  else
    actor->head = msg;
  actor->tail = msg;
  if (!actor->queued)
    {
      actor->queued = TRUE;
      runq_push (actor->sched, actor);
    }
}

static gboolean
xsched_prepare (GSource *source,
                int     *timeout)
{
  XSched *sched = (XSched *) source;

  *timeout = -1;
  return sched->runq_len > 0 || g_atomic_int_get (&sched->has_posted);
}

static gboolean
xsched_check (GSource *source)
{
  XSched *sched = (XSched *) source;

  return sched->runq_len > 0 || g_atomic_int_get (&sched->has_posted);
}

static gboolean
xsched_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  XSched *sched = (XSched *) source;

  if (g_atomic_int_get (&sched->has_posted))
    {
      XMsg *msg;

      g_mutex_lock (&sched->lock);
      msg = sched->posted_head;
      sched->posted_head = sched->posted_tail = NULL;
      g_atomic_int_set (&sched->has_posted, FALSE);
      g_mutex_unlock (&sched->lock);
      while (msg != NULL)
        {
          XMsg *next = msg->next;

          deliver (msg->dest, msg);
          msg = next;
        }
    }

  for (guint i = 0; i < STEPS_PER_DISPATCH && sched->runq_len > 0; i++)
    {
      XActor *actor = sched->runq[sched->runq_head];
      XMsg *msg = actor->head;

      sched->runq_head = (sched->runq_head + 1) % sched->runq_cap;
      sched->runq_len--;
      actor->queued = FALSE;
      actor->head = msg->next;
      if (actor->head == NULL)
        actor->tail = NULL;

      current_actor = actor;
      if (!actor->step (actor, msg))
        {
          g_atomic_int_set (&actor->finished, TRUE);
          drop_messages (actor->head);
          actor->head = actor->tail = NULL;
        }
      else if (actor->head != NULL && !actor->queued)
        {
          actor->queued = TRUE;
          runq_push (sched, actor);
        }
      current_actor = NULL;
      g_free (msg);
    }
  return G_SOURCE_CONTINUE;
}

static void
xsched_finalize (GSource *source)
{
  XSched *sched = (XSched *) source;

  drop_messages (sched->posted_head);
  g_free (sched->runq);
  g_mutex_clear (&sched->lock);
}

static GSourceFuncs xsched_funcs = {
  xsched_prepare, xsched_check, xsched_dispatch, xsched_finalize, NULL, NULL,
};

static XSched *
xsched_new (GMainContext *context)
{
  XSched *sched = (XSched *) g_source_new (&xsched_funcs, sizeof (XSched));

  g_mutex_init (&sched->lock);
  sched->context = context;
  g_source_set_priority (&sched->source, G_PRIORITY_DEFAULT);
  g_source_attach (&sched->source, context);
  return sched;
}

/* The scheduler of the default context, iterated by the main thread. */
XSched *
xsched_new_for_main (void)
{
  current_sched = xsched_new (g_main_context_default ());
  return current_sched;
}

void
xsched_free (XSched *sched)
{
  if (current_sched == sched)
    current_sched = NULL;
  g_source_destroy (&sched->source);
  g_source_unref (&sched->source);
}

void
xactor_init (XActor    *actor,
             XSched    *sched,
             XStepFunc  step,
             gpointer   data)
{
  *actor = (XActor) { .sched = sched, .step = step, .data = data };
}

/* From any thread; returns FALSE if @dest has finished. */
gboolean
xactor_send (XActor     *dest,
             const char *name,
             int         value)
{
  XSched *sched = dest->sched;
  XMsg *msg;
  gboolean was_empty;

  if (g_atomic_int_get (&dest->finished))
    return FALSE;
  msg = g_new (XMsg, 1);
  *msg = (XMsg) { NULL, dest, current_actor, name, value };
  if (sched == current_sched)
    {
      deliver (dest, msg);
      return TRUE;
    }

  g_mutex_lock (&sched->lock);
  was_empty = sched->posted_head == NULL;
  if (was_empty)
    sched->posted_head = msg;
  else
    sched->posted_tail->next = msg;
  sched->posted_tail = msg;
  g_atomic_int_set (&sched->has_posted, TRUE);
  g_mutex_unlock (&sched->lock);
  /* The context outlives every actor of it: waking it outside the lock is safe. */
  if (was_empty)
    g_main_context_wakeup (sched->context);
  return TRUE;
}

static gpointer
xworker_run (gpointer data)
{
  XWorker *worker = data;

  g_main_context_push_thread_default (worker->context);
  current_sched = worker->sched;
  while (!g_atomic_int_get (&worker->quit))
    g_main_context_iteration (worker->context, TRUE);
  current_sched = NULL;
  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

XWorker *
xworker_new (guint index)
{
  XWorker *worker = g_new0 (XWorker, 1);
  g_autofree char *name = g_strdup_printf ("xworker%u", index);

  worker->context = g_main_context_new ();
  worker->sched = xsched_new (worker->context);
  worker->thread = g_thread_new (name, xworker_run, worker);
  return worker;
}

/* Stops the thread once it wakes up and joins it: afterwards, what its actors wrote is safe to
 * read. */
void
xworker_free (XWorker *worker)
{
  g_atomic_int_set (&worker->quit, TRUE);
  g_main_context_wakeup (worker->context);
  g_thread_join (worker->thread);
  xsched_free (worker->sched);
  g_main_context_unref (worker->context);
  g_free (worker);
}

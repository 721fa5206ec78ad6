/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-scheduler-private.h"
#include <string.h>

#include "gtasklet-tasklet-private.h"
#include "gtasklet-thread-private.h"

/* The scheduler is one GSource per GMainContext that drains a run queue of tasklets with an
 * event to handle. One source for all deliveries (rather than one idle source per message)
 * keeps a message at the cost of a ring-buffer push and pop; prepare() reports readiness
 * without any syscall because the queue only fills from the owning thread, between
 * iterations or during dispatch. Wakeups from other threads go through a locked inbox and
 * g_main_context_wakeup(). */

/* Steps run per dispatch before the main loop gets a turn: large enough to amortise an
 * iteration over many messages, small enough that a ping-pong cannot starve other sources. */
#define STEPS_PER_DISPATCH 1024

struct _GtaskletScheduler
{
  GSource           source;

  GMainContext     *context;
  /* The owning thread, identified by the address of its thread-local block: comparing it
   * costs less than g_thread_self(), which goes through a GPrivate. */
  GtaskletThread   *owner;
  int               ref_count;
  guint             dispatching;

  /* Run queue: a ring buffer of tasklets (each flagged as queued, so it is in here once). */
  GtaskletTasklet **ring;
  guint             ring_head;
  guint             ring_len;
  guint             ring_cap;

  /* Work posted from other threads, moved to the run queue by the owner. */
  GMutex            remote_lock;
  GPtrArray        *remote;
  int               has_remote;
};

static GMutex schedulers_lock;
static GHashTable *schedulers;
_Thread_local GtaskletThread _gtasklet_thread;

/* g_intern_string() takes a global lock and hashes; a send usually names the same literal as
 * the previous one, so remember the last pair. The strcmp() keeps it right when a caller
 * reuses a buffer for different names. */
const char *
_gtasklet_thread_intern (GtaskletThread *thread,
                         const char     *name)
{
  if (name != thread->intern_key || strcmp (name, thread->intern_value) != 0)
    {
      thread->intern_value = g_intern_string (name);
      thread->intern_key = name;
    }
  return thread->intern_value;
}

static void
scheduler_drain_remote (GtaskletScheduler *self)
{
  g_autoptr (GPtrArray) items = NULL;

  if (!g_atomic_int_get (&self->has_remote))
    return;

  g_mutex_lock (&self->remote_lock);
  items = g_steal_pointer (&self->remote);
  g_atomic_int_set (&self->has_remote, FALSE);
  g_mutex_unlock (&self->remote_lock);

  if (items == NULL)
    return;

  for (guint i = 0; i < items->len; i++)
    _gtasklet_tasklet_remote_arrived (g_ptr_array_index (items, i));
}

static gboolean
scheduler_prepare (GSource *source,
                   int     *timeout)
{
  GtaskletScheduler *self = (GtaskletScheduler *) source;

  *timeout = -1;
  return self->ring_len > 0 || g_atomic_int_get (&self->has_remote);
}

static gboolean
scheduler_check (GSource *source)
{
  GtaskletScheduler *self = (GtaskletScheduler *) source;

  return self->ring_len > 0 || g_atomic_int_get (&self->has_remote);
}

static GtaskletTasklet *
scheduler_pop (GtaskletScheduler *self)
{
  GtaskletTasklet *tasklet;

  if (self->ring_len == 0)
    return NULL;

  tasklet = self->ring[self->ring_head];
  self->ring_head = (self->ring_head + 1) & (self->ring_cap - 1);
  self->ring_len--;
  return tasklet;
}

static gboolean
scheduler_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  GtaskletScheduler *self = (GtaskletScheduler *) source;
  GtaskletTasklet *tasklet;
  guint budget = STEPS_PER_DISPATCH;

  scheduler_drain_remote (self);

  self->dispatching++;
  while (budget-- > 0 && (tasklet = scheduler_pop (self)) != NULL)
    _gtasklet_tasklet_dispatch (tasklet);
  self->dispatching--;

  return G_SOURCE_CONTINUE;
}

static void
scheduler_finalize (GSource *source)
{
  GtaskletScheduler *self = (GtaskletScheduler *) source;

  g_assert (self->ring_len == 0);

  g_clear_pointer (&self->ring, g_free);
  if (self->remote != NULL)
    {
      /* Work posted by other threads after the last tasklet went away: nobody to give it to. */
      for (guint i = 0; i < self->remote->len; i++)
        g_object_unref (g_ptr_array_index (self->remote, i));
      g_clear_pointer (&self->remote, g_ptr_array_unref);
    }
  g_mutex_clear (&self->remote_lock);
  g_clear_pointer (&self->context, g_main_context_unref);
}

static GSourceFuncs scheduler_funcs = {
  .prepare = scheduler_prepare,
  .check = scheduler_check,
  .dispatch = scheduler_dispatch,
  .finalize = scheduler_finalize,
};

/* Returns the scheduler of @context with a new reference, creating it on first use. */
GtaskletScheduler *
_gtasklet_scheduler_acquire (GMainContext *context)
{
  GtaskletScheduler *self;

  g_assert (context != NULL);

  g_mutex_lock (&schedulers_lock);
  if (schedulers == NULL)
    schedulers = g_hash_table_new (NULL, NULL);

  self = g_hash_table_lookup (schedulers, context);
  if (self == NULL)
    {
      GSource *source = g_source_new (&scheduler_funcs, sizeof (GtaskletScheduler));

      self = (GtaskletScheduler *) source;
      self->context = g_main_context_ref (context);
      self->owner = &_gtasklet_thread;
      self->ring_cap = 64;
      self->ring = g_new (GtaskletTasklet *, self->ring_cap);
      g_mutex_init (&self->remote_lock);

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_static_name (source, "GtaskletScheduler");
      /* A step may iterate the context (a nested main loop); other tasklets keep going. */
      g_source_set_can_recurse (source, TRUE);
      g_source_attach (source, context);

      g_hash_table_insert (schedulers, context, self);
    }
  self->ref_count++;
  g_mutex_unlock (&schedulers_lock);

  return self;
}

void
_gtasklet_scheduler_release (GtaskletScheduler *self)
{
  gboolean last;

  g_mutex_lock (&schedulers_lock);
  g_assert (self->ref_count > 0);
  last = --self->ref_count == 0;
  if (last)
    g_hash_table_remove (schedulers, self->context);
  g_mutex_unlock (&schedulers_lock);

  if (last)
    {
      g_source_destroy ((GSource *) self);
      g_source_unref ((GSource *) self);
    }
}

GMainContext *
_gtasklet_scheduler_get_context (GtaskletScheduler *self)
{
  return self->context;
}

gboolean
_gtasklet_scheduler_is_owner (GtaskletScheduler *self)
{
  return self->owner == &_gtasklet_thread;
}

gboolean
_gtasklet_scheduler_is_dispatching (GtaskletScheduler *self)
{
  return self->dispatching > 0;
}

/* Appends @tasklet to the run queue. Owner thread only; the caller flags it as queued. */
void
_gtasklet_scheduler_push (GtaskletScheduler *self,
                          GtaskletTasklet   *tasklet)
{
  g_assert (_gtasklet_scheduler_is_owner (self));

  if G_UNLIKELY (self->ring_len == self->ring_cap)
    {
      guint old_cap = self->ring_cap;
      guint tail_part = old_cap - self->ring_head;

      /* Unwrap into a buffer twice as large so the ring stays contiguous from head. */
      self->ring_cap *= 2;
      self->ring = g_renew (GtaskletTasklet *, self->ring, self->ring_cap);
      if (self->ring_head + self->ring_len > old_cap)
        {
          memcpy (self->ring + old_cap, self->ring, (self->ring_len - tail_part) * sizeof (gpointer));
        }
    }

  self->ring[(self->ring_head + self->ring_len) & (self->ring_cap - 1)] = tasklet;
  self->ring_len++;
}

/* Hands @item (a message to deliver, or a condition that fired) to the owner thread, which
 * passes it to _gtasklet_tasklet_remote_arrived(). Takes a reference on @item. */
void
_gtasklet_scheduler_post_remote (GtaskletScheduler *self,
                                 gpointer           item)
{
  g_mutex_lock (&self->remote_lock);
  if (self->remote == NULL)
    self->remote = g_ptr_array_new ();
  g_ptr_array_add (self->remote, g_object_ref (item));
  g_atomic_int_set (&self->has_remote, TRUE);
  g_mutex_unlock (&self->remote_lock);

  g_main_context_wakeup (self->context);
}

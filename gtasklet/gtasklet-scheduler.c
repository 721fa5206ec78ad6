/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-scheduler-private.h"
#include <string.h>

#include "gtasklet-message-private.h"
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
__thread GtaskletThread *_gtasklet_thread_block __attribute__ ((tls_model ("initial-exec")));

/* g_intern_string() takes a global lock and hashes; sends usually name the same few literals,
 * so remember recent pairs by the caller's address. The strcmp() keeps it right when a caller
 * reuses a buffer for different names. */
const char *
_gtasklet_thread_intern (GtaskletThread *thread,
                         const char     *name)
{
  guint slot = ((guintptr) name >> 3) % G_N_ELEMENTS (thread->intern_cache);

  if (name != thread->intern_cache[slot].key ||
      strcmp (name, thread->intern_cache[slot].value) != 0)
    {
      thread->intern_cache[slot].value = g_intern_string (name);
      thread->intern_cache[slot].key = name;
    }
  return thread->intern_cache[slot].value;
}

static void
thread_free (gpointer data)
{
  GtaskletThread *thread = data;

  _gtasklet_message_pool_clear (thread);
  g_clear_pointer (&thread->cached_scheduler, _gtasklet_scheduler_release);
  _gtasklet_thread_block = NULL;
  g_free (thread);
}

/* Owns the thread block: its destructor frees it when the thread exits. */
static GPrivate thread_block_key = G_PRIVATE_INIT (thread_free);

GtaskletThread *
_gtasklet_thread_new (void)
{
  GtaskletThread *thread = g_new0 (GtaskletThread, 1);

  g_private_set (&thread_block_key, thread);
  _gtasklet_thread_block = thread;
  return thread;
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

  while (budget-- > 0 && (tasklet = scheduler_pop (self)) != NULL)
    _gtasklet_tasklet_dispatch (tasklet);

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

/* Takes a reference unless the count already dropped to zero (the scheduler is going away). */
static gboolean
scheduler_try_ref (GtaskletScheduler *self)
{
  int old;

  do
    {
      old = g_atomic_int_get (&self->ref_count);
      if (old == 0)
        return FALSE;
    }
  while (!g_atomic_int_compare_and_exchange (&self->ref_count, old, old + 1));
  return TRUE;
}

static GtaskletScheduler *
scheduler_new (GMainContext *context)
{
  GSource *source = g_source_new (&scheduler_funcs, sizeof (GtaskletScheduler));
  GtaskletScheduler *self = (GtaskletScheduler *) source;

  self->context = g_main_context_ref (context);
  self->owner = _gtasklet_thread_get ();
  self->ref_count = 1;
  self->ring_cap = 64;
  self->ring = g_new (GtaskletTasklet *, self->ring_cap);
  g_mutex_init (&self->remote_lock);

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "GtaskletScheduler");
  /* A step may iterate the context (a nested main loop); other tasklets keep going. */
  g_source_set_can_recurse (source, TRUE);
  g_source_attach (source, context);
  return self;
}

/* Returns the scheduler of @context with a new reference, creating it on first use. */
GtaskletScheduler *
_gtasklet_scheduler_acquire (GMainContext *context)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletScheduler *cached = thread->cached_scheduler;
  GtaskletScheduler *self;

  g_assert (context != NULL);

  /* The thread's cache holds a reference, so the count cannot reach zero under us. */
  if (cached != NULL && cached->context == context)
    {
      g_atomic_int_inc (&cached->ref_count);
      return cached;
    }

  g_mutex_lock (&schedulers_lock);
  if (schedulers == NULL)
    schedulers = g_hash_table_new (NULL, NULL);

  self = g_hash_table_lookup (schedulers, context);
  if (self == NULL || !scheduler_try_ref (self))
    {
      self = scheduler_new (context);
      g_hash_table_insert (schedulers, context, self);
    }
  g_mutex_unlock (&schedulers_lock);

  /* Remember it for the next start on this thread. */
  g_atomic_int_inc (&self->ref_count);
  thread->cached_scheduler = self;
  if (cached != NULL)
    _gtasklet_scheduler_release (cached);

  return self;
}

void
_gtasklet_scheduler_release (GtaskletScheduler *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_mutex_lock (&schedulers_lock);
  /* A newer scheduler may have replaced this one in the table already. */
  if (g_hash_table_lookup (schedulers, self->context) == self)
    g_hash_table_remove (schedulers, self->context);
  g_mutex_unlock (&schedulers_lock);

  g_source_destroy ((GSource *) self);
  g_source_unref ((GSource *) self);
}

GMainContext *
_gtasklet_scheduler_get_context (GtaskletScheduler *self)
{
  return self->context;
}

gboolean
_gtasklet_scheduler_is_owner (GtaskletScheduler *self)
{
  return self->owner == _gtasklet_thread_get ();
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-scheduler-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_EVENTFD
#include <sys/eventfd.h>
#endif

/* One GSource per GMainContext drains a ring buffer of jobs. One source for all deliveries
 * (rather than a source per message) makes a message cost a ring push and pop; prepare()
 * reports readiness without any syscall because jobs are only queued by the thread that runs
 * the context. Work from other threads goes through a lock-free inbox (a push is one
 * compare-and-swap) and one wakeup per batch (the first item into an empty inbox), none while
 * the context's thread is dispatching.
 *
 * Lifetime: the context owns the source, and the source holds a reference on the scheduler.
 * The scheduler holds no reference on the context: a context nobody iterates any more must
 * be able to die with tasklets still waiting on it, and then the source's finalize tells the
 * members so they end instead of leaking. */

/* Jobs run per dispatch before the main loop gets a turn: large enough to amortise an
 * iteration over many messages, small enough that a ping-pong cannot starve other sources. */
#define JOBS_PER_DISPATCH 1024

/* How long a context that just received work from another thread looks for more before it
 * sleeps. A message that finds its receiver awake costs no syscall and no context switch; a
 * sleeping one costs an eventfd write, a wakeup of the other CPU (microseconds in a virtual
 * machine) and a poll() return. Long enough for the other side of a ping-pong to answer,
 * short enough to cost nothing much when the traffic stops: the spin happens once after the
 * last message of a burst. A dispatch that had to wake another context yields the CPU before
 * it spins: the woken thread may have been queued behind it. */
#define SPIN_US 25

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause ()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__ ("yield" ::: "memory")
#else
#define cpu_relax() do { } while (0)
#endif

typedef struct
{
  GtaskletJobFunc func;
  gpointer        data;
} Job;

typedef struct
{
  GSource            source;
  GtaskletScheduler *scheduler;
} SchedulerSource;

/* The inbox once the context is gone: posts are refused. */
#define INBOX_CLOSED ((GtaskletWorkItem *) GINT_TO_POINTER (1))

#define CACHE_LINE 64

struct _GtaskletScheduler
{
  /* Written by other threads at every post: a cache line of their own. */
  struct {
    /* Atomic: a stack of posted items, newest first (the owner takes it whole and reverses
     * it), or INBOX_CLOSED. */
    GtaskletWorkItem      *inbox;
    /* Atomic: "the inbox or the draining list is non-empty", read by prepare() and by
     * senders that could deliver directly. */
    int                    has_posted;
    /* Atomic: the source is being dispatched. Its thread looks at the inbox again before
     * it can sleep (prepare() checks has_posted), so a post meanwhile needs no wakeup. */
    int                    dispatching;
    /* Atomic: a post woke the context (or is about to), and the next posts need not: set by
     * the post that does, cleared by the dispatch that follows. */
    int                    woken;
  } __attribute__ ((aligned (CACHE_LINE)));

  /* Read by other threads at every post, seldom written. */
  struct {
    int                    ref_count;
    /* Both cleared, under the lock, when the context is destroyed; @context is also read
     * without the lock (atomically) by the is-current checks. */
    GMainContext          *context;
    SchedulerSource       *source;
    /* Guards @source and @wake_fd against the context's death while a post wakes it. */
    GtaskletLock           lock;
    /* An eventfd watched by the source, written to wake the context; -1 where there is
     * none (then the source is made ready instead, which takes the context's lock, so the
     * woken thread may have to wait for the waker). */
    int                    wake_fd;
    gpointer               wake_tag;
  } __attribute__ ((aligned (CACHE_LINE)));

  /* The thread that dispatched the source last: a hint for _gtasklet_scheduler_enter(), not
   * an owner (whoever iterates the context owns it). */
  GThread                 *dispatcher;

  /* Owner thread only, on lines other threads do not write. */
  /* The last dispatch took work from the inbox: more is likely to come soon. */
  gboolean                 hot __attribute__ ((aligned (CACHE_LINE)));
  GtaskletWorkItem        *draining_head;
  GtaskletWorkItem        *draining_tail;
  Job                     *ring;
  guint                    ring_head;
  guint                    ring_len;
  guint                    ring_cap;
  GtaskletSchedulerMember *members;
};

static GtaskletLock schedulers_lock = PTHREAD_MUTEX_INITIALIZER;
/* Atomic; set before any member joins a scheduler. */
static GtaskletMemberFunc member_destroyed_func;

void
_gtasklet_scheduler_set_member_destroyed (GtaskletMemberFunc func)
{
  g_atomic_pointer_set (&member_destroyed_func, func);
}

static void
member_destroyed (GtaskletSchedulerMember *member)
{
  GtaskletMemberFunc func = g_atomic_pointer_get (&member_destroyed_func);

  func (member);
}
static GHashTable *schedulers;

static void
thread_exit (GtaskletThread *thread)
{
  g_clear_pointer (&thread->cached_scheduler, _gtasklet_scheduler_unref);
}

GtaskletScheduler *
_gtasklet_scheduler_ref (GtaskletScheduler *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
_gtasklet_scheduler_unref (GtaskletScheduler *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_assert (self->source == NULL);
  g_assert (self->ring_len == 0 && self->draining_head == NULL);
  g_assert (self->inbox == NULL || self->inbox == INBOX_CLOSED);
  g_free (self->ring);
  pthread_mutex_destroy (&self->lock);
  g_aligned_free (self);
}

GMainContext *
_gtasklet_scheduler_get_context (GtaskletScheduler *self)
{
  return g_atomic_pointer_get (&self->context);
}

gboolean
_gtasklet_scheduler_is_dispatching (GtaskletScheduler *self)
{
  GSource *source = g_main_current_source ();

  return source != NULL && g_source_get_context (source) == g_atomic_pointer_get (&self->context);
}

gboolean
_gtasklet_scheduler_is_current_slow (GtaskletScheduler *self)
{
  return _gtasklet_scheduler_is_dispatching (self);
}

gboolean
_gtasklet_scheduler_has_posted (GtaskletScheduler *self)
{
  return g_atomic_int_get (&self->has_posted);
}

/* Runs up to @budget jobs; returns the budget left. */
static guint
run_jobs (GtaskletScheduler *self,
          guint              budget)
{
  for (; budget > 0 && self->ring_len > 0; budget--)
    {
      Job job = self->ring[self->ring_head];

      self->ring_head = (self->ring_head + 1) & (self->ring_cap - 1);
      self->ring_len--;
      job.func (job.data);
    }
  return budget;
}

/* The inbox's items, oldest first. */
static GtaskletWorkItem *
take_inbox (GtaskletScheduler  *self,
            GtaskletWorkItem   *closed_or_null,
            GtaskletWorkItem  **tail)
{
  GtaskletWorkItem *items = g_atomic_pointer_exchange (&self->inbox, closed_or_null);
  GtaskletWorkItem *oldest_first = NULL;

  if (items == INBOX_CLOSED)
    items = NULL;
  *tail = items;
  while (items != NULL)
    {
      GtaskletWorkItem *next = items->next;

      items->next = oldest_first;
      oldest_first = items;
      items = next;
    }
  return oldest_first;
}

void
_gtasklet_scheduler_run_posted (GtaskletScheduler *self)
{
  GtaskletWorkItem *head, *tail;

  if (!g_atomic_int_get (&self->has_posted))
    return;

  /* Put the inbox behind what an outer call is still draining, then drain from the front:
   * an item may lead to a nested call (a send from a ::finished handler), which must not
   * overtake items posted before its own. */
  head = take_inbox (self, NULL, &tail);
  if (head != NULL)
    {
      self->hot = TRUE;
      if (self->draining_tail != NULL)
        self->draining_tail->next = head;
      else
        self->draining_head = head;
      self->draining_tail = tail;
    }

  while (self->draining_head != NULL)
    {
      GtaskletWorkItem *item = self->draining_head;

      self->draining_head = item->next;
      if (self->draining_head == NULL)
        self->draining_tail = NULL;
      item->next = NULL;
      item->func (item, TRUE);
    }

  /* Cleared, then set again if a post came meanwhile: a poster sets it after its push, so
   * either it stores TRUE after this, or its push is seen here. */
  g_atomic_int_set (&self->has_posted, FALSE);
  if (g_atomic_pointer_get (&self->inbox) != NULL)
    g_atomic_int_set (&self->has_posted, TRUE);
}

/* Wakes the context: once per batch, by the post that found the inbox empty while the
 * context's thread was not dispatching. Under the lock, the source and the eventfd are alive
 * (the source's finalize takes it first), and so is the context's memory;
 * g_main_context_wakeup() is not used because it must not be called once the context's last
 * reference is gone, and a post can come in between that and the source's finalize. */
static void
wake (GtaskletScheduler *self)
{
  if (!g_atomic_int_compare_and_exchange (&self->woken, FALSE, TRUE))
    return;

  _gtasklet_lock (&self->lock);
  if (self->source != NULL)
    {
#ifdef HAVE_EVENTFD
      if (self->wake_fd >= 0)
        {
          eventfd_t one = 1;

          while (write (self->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
            ;
        }
      else
#endif
        g_source_set_ready_time (&self->source->source, 0);
    }
  _gtasklet_unlock (&self->lock);
  _gtasklet_thread_get ()->woke_context = TRUE;
}

/* At the start of a dispatch, before the inbox is taken: the wake is consumed, so a post
 * from now on wakes the context again. Reading the eventfd first and clearing the flag after
 * means a post that saw the flag set has its item taken by this dispatch; an eventfd written
 * after the read stays readable, and the next poll returns at once and brings the source
 * here again. */
static void
wake_acknowledge (GtaskletScheduler *self)
{
#ifdef HAVE_EVENTFD
  if (self->wake_fd >= 0)
    {
      if ((g_source_query_unix_fd (&self->source->source, self->wake_tag) & G_IO_IN) ||
          g_atomic_int_get (&self->woken))
        {
          eventfd_t count;

          while (read (self->wake_fd, &count, sizeof count) < 0 && errno == EINTR)
            ;
          g_atomic_int_set (&self->woken, FALSE);
        }
      return;
    }
#endif
  /* The ready time is looked at too, as the eventfd's readiness above: a post that set the
   * flag before the reset below may set the ready time after it. */
  if (g_atomic_int_get (&self->woken) ||
      g_source_get_ready_time (&self->source->source) != -1)
    {
      _gtasklet_lock (&self->lock);
      g_source_set_ready_time (&self->source->source, -1);
      g_atomic_int_set (&self->woken, FALSE);
      _gtasklet_unlock (&self->lock);
    }
}

/* GTASKLET_DEBUG=no-eventfd: wake contexts the way used without an eventfd (to test it). */
static gboolean
use_eventfd (void)
{
  static gsize use;

  if (g_once_init_enter (&use))
    {
      const char *debug = g_getenv ("GTASKLET_DEBUG");

      g_once_init_leave (&use, debug != NULL && strstr (debug, "no-eventfd") != NULL ? 1 : 2);
    }
  return use == 2;
}

/* Whether waiting without sleeping can pay: not where the process may use one CPU only (the
 * one it would hold back is the one that would answer). Shared with the node's channel. */
gboolean
_gtasklet_can_spin (void)
{
  static gsize cpus;

  if (g_once_init_enter (&cpus))
    g_once_init_leave (&cpus, MAX (1, g_get_num_processors ()));
  return cpus > 1;
}

/* Waits up to SPIN_US for another thread's post, without sleeping (the context's thread is
 * dispatching, so posters do not wake it meanwhile). Returns whether one came; a context that
 * found none stops spinning until work from another thread comes again. */
static gboolean
scheduler_spin (GtaskletScheduler *self)
{
  gint64 deadline = g_get_monotonic_time () + SPIN_US;

  for (guint i = 1; ; i++)
    {
      if (g_atomic_int_get (&self->has_posted))
        return TRUE;
      cpu_relax ();
      if ((i & 31) == 0 && g_get_monotonic_time () >= deadline)
        break;
    }
  self->hot = FALSE;
  return FALSE;
}

static gboolean
scheduler_prepare (GSource *source,
                   int     *timeout)
{
  GtaskletScheduler *self = ((SchedulerSource *) source)->scheduler;

  *timeout = -1;
  return self->ring_len > 0 || g_atomic_int_get (&self->has_posted);
}

static gboolean
scheduler_check (GSource *source)
{
  GtaskletScheduler *self = ((SchedulerSource *) source)->scheduler;

  return self->ring_len > 0 || g_atomic_int_get (&self->has_posted);
}

static gboolean
scheduler_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  GtaskletScheduler *self = ((SchedulerSource *) source)->scheduler;
  GtaskletThread *thread = _gtasklet_thread_get ();
  gpointer saved = thread->current_scheduler;
  guint budget = JOBS_PER_DISPATCH;

  thread->current_scheduler = self;
  if (g_atomic_pointer_get (&self->dispatcher) != g_thread_self ())
    g_atomic_pointer_set (&self->dispatcher, g_thread_self ());
  g_atomic_int_set (&self->dispatching, TRUE);
  thread->woke_context = FALSE;
  wake_acknowledge (self);
  /* While work comes from other threads, take it in this dispatch rather than in another
   * iteration of the main loop: an iteration polls (a syscall), and sleeping in it makes the
   * next post wake this thread. The budget still hands the main loop back regularly, so
   * other sources of the context run between batches. */
  for (;;)
    {
      _gtasklet_scheduler_run_posted (self);
      budget = run_jobs (self, budget);
      if (budget == 0 || self->ring_len > 0 || !self->hot || !_gtasklet_can_spin ())
        break;
      /* The thread this dispatch woke may have been queued on this CPU: let it run first,
       * or the spin would keep it waiting. */
      if (thread->woke_context)
        {
          thread->woke_context = FALSE;
          g_thread_yield ();
        }
      if (!scheduler_spin (self))
        break;
    }
  /* From here on a post wakes the context again; one that came in between is seen by the
   * next prepare(). (Both sides use sequentially consistent atomics: a poster that read
   * TRUE here had set has_posted before this store.) */
  g_atomic_int_set (&self->dispatching, FALSE);
  thread->current_scheduler = saved;

  return G_SOURCE_CONTINUE;
}

/* The context is being destroyed (its last reference is gone): nothing will ever run here
 * again. Runs on the thread that dropped the context, after GLib released the context's lock
 * (the context's memory stays valid until its sources are finalized). */
static void
scheduler_finalize (GSource *source)
{
  GtaskletScheduler *self = ((SchedulerSource *) source)->scheduler;
  GtaskletThread *thread = _gtasklet_thread_get ();
  GMainContext *context;
  GtaskletWorkItem *posted, *posted_tail;
  gpointer saved;

  _gtasklet_lock (&self->lock);
  context = self->context;
  g_atomic_pointer_set (&self->context, NULL);
  self->source = NULL;
  if (self->wake_fd >= 0)
    close (self->wake_fd);
  self->wake_fd = -1;
  _gtasklet_unlock (&self->lock);
  /* Posts from now on are refused; those made until now end here. */
  posted = take_inbox (self, INBOX_CLOSED, &posted_tail);

  _gtasklet_lock (&schedulers_lock);
  if (schedulers != NULL && g_hash_table_lookup (schedulers, context) == self)
    g_hash_table_remove (schedulers, context);
  _gtasklet_unlock (&schedulers_lock);

  saved = thread->current_scheduler;
  thread->current_scheduler = self;

  while (posted != NULL)
    {
      GtaskletWorkItem *item = posted;

      posted = item->next;
      item->next = NULL;
      item->func (item, FALSE);
    }

  while (self->members != NULL)
    {
      GtaskletSchedulerMember *member = self->members;

      _gtasklet_scheduler_remove_member (self, member);
      member_destroyed (member);
    }

  /* What ending the members queued: each job finds its tasklet finished and only lets go. */
  while (self->ring_len > 0)
    run_jobs (self, G_MAXUINT);

  g_atomic_int_set (&self->has_posted, FALSE);
  thread->current_scheduler = saved;
  _gtasklet_scheduler_unref (self);
}

static GSourceFuncs scheduler_funcs = {
  .prepare = scheduler_prepare,
  .check = scheduler_check,
  .dispatch = scheduler_dispatch,
  .finalize = scheduler_finalize,
};

static GtaskletScheduler *
scheduler_new (GMainContext *context)
{
  GtaskletScheduler *self = g_aligned_alloc0 (1, sizeof (GtaskletScheduler), CACHE_LINE);
  GSource *source = g_source_new (&scheduler_funcs, sizeof (SchedulerSource));

  /* One reference for the source, one for the caller. */
  self->ref_count = 2;
  pthread_mutex_init (&self->lock, NULL);
  self->ring_cap = 64;
  self->ring = g_new (Job, self->ring_cap);
  self->context = context;
  self->source = (SchedulerSource *) source;
  ((SchedulerSource *) source)->scheduler = self;

  self->wake_fd = -1;
#ifdef HAVE_EVENTFD
  /* Without one (out of file descriptors), posts make the source ready instead. */
  if (use_eventfd ())
    self->wake_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (self->wake_fd >= 0)
    self->wake_tag = g_source_add_unix_fd (source, self->wake_fd, G_IO_IN);
#endif
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "GtaskletScheduler");
  /* A step may iterate the context (a nested main loop); other tasklets keep going. */
  g_source_set_can_recurse (source, TRUE);
  g_source_attach (source, context);
  /* The context holds the only reference to the source from now on. */
  g_source_unref (source);
  return self;
}

/* Returns the scheduler of @context with a new reference, creating it on first use. The
 * caller holds a reference on @context. */
GtaskletScheduler *
_gtasklet_scheduler_get_for_context (GMainContext *context)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletScheduler *cached = thread->cached_scheduler;
  GtaskletScheduler *self;

  g_assert (context != NULL);

  /* A live context cannot share its address with a dead one, and a scheduler forgets its
   * context when that dies: an equal pointer is this very context. */
  if (cached != NULL && g_atomic_pointer_get (&cached->context) == context)
    return _gtasklet_scheduler_ref (cached);

  _gtasklet_lock (&schedulers_lock);
  if (schedulers == NULL)
    {
      schedulers = g_hash_table_new (NULL, NULL);
      _gtasklet_thread_add_exit_func (thread_exit);
    }
  self = g_hash_table_lookup (schedulers, context);
  if (self != NULL)
    _gtasklet_scheduler_ref (self);
  else
    {
      self = scheduler_new (context);
      g_hash_table_insert (schedulers, context, self);
    }
  _gtasklet_unlock (&schedulers_lock);

  thread->cached_scheduler = _gtasklet_scheduler_ref (self);
  if (cached != NULL)
    _gtasklet_scheduler_unref (cached);

  return self;
}

/* Makes this thread the owner of @self's context for a while, if it can be: when it already
 * runs the context, or when the context is this thread's own (its thread-default, or the
 * global default), this thread is the one that runs it (it dispatched it last, or nobody
 * ever has), and nobody runs it right now, so it can be acquired. Only such a context is
 * known to stay alive meanwhile: this thread's stack of thread-default contexts holds a
 * reference on it (and the global default lives forever), whereas another context may be
 * dying on another thread. A context run by another thread is left to that thread even when
 * it is idle: its tasklets' state stays with one thread. Returns FALSE when the work has to
 * be posted instead. */
gboolean
_gtasklet_scheduler_enter (GtaskletScheduler      *self,
                           GtaskletSchedulerEntry *entry)
{
  GtaskletThread *thread = _gtasklet_thread_get ();

  entry->saved_current = thread->current_scheduler;
  entry->acquired = FALSE;

  if (!_gtasklet_scheduler_is_current (self))
    {
      GMainContext *context = g_atomic_pointer_get (&self->context);
      GMainContext *own = g_main_context_get_thread_default ();
      GThread *dispatcher = g_atomic_pointer_get (&self->dispatcher);

      if (own == NULL)
        own = g_main_context_default ();
      if (context != own || (dispatcher != NULL && dispatcher != g_thread_self ()) ||
          !g_main_context_acquire (context))
        return FALSE;
      entry->acquired = TRUE;
    }

  thread->current_scheduler = self;
  return TRUE;
}

void
_gtasklet_scheduler_leave (GtaskletScheduler      *self,
                           GtaskletSchedulerEntry *entry)
{
  _gtasklet_thread_get ()->current_scheduler = entry->saved_current;
  if (entry->acquired)
    g_main_context_release (g_atomic_pointer_get (&self->context));
}

/* Appends a job to the run queue. Only the thread that runs the context calls this. */
void
_gtasklet_scheduler_queue (GtaskletScheduler *self,
                           GtaskletJobFunc    func,
                           gpointer           data)
{
  if G_UNLIKELY (self->ring_len == self->ring_cap)
    {
      guint old_cap = self->ring_cap;

      /* Unwrap into a buffer twice as large so the ring stays contiguous from head. */
      self->ring_cap *= 2;
      self->ring = g_renew (Job, self->ring, self->ring_cap);
      if (self->ring_head + self->ring_len > old_cap)
        memcpy (self->ring + old_cap, self->ring,
                (self->ring_head + self->ring_len - old_cap) * sizeof (Job));
    }

  self->ring[(self->ring_head + self->ring_len) & (self->ring_cap - 1)] = (Job) { func, data };
  self->ring_len++;
}

/* Hands @item to the thread that runs the context, from any thread. Returns FALSE, without
 * taking @item, if the context has been destroyed. */
gboolean
_gtasklet_scheduler_post (GtaskletScheduler *self,
                          GtaskletWorkItem  *item)
{
  GtaskletWorkItem *head = g_atomic_pointer_get (&self->inbox);

  do
    {
      if (head == INBOX_CLOSED)
        return FALSE;
      item->next = head;
    }
  while (!g_atomic_pointer_compare_and_exchange_full (&self->inbox, head, item, &head));
  g_atomic_int_set (&self->has_posted, TRUE);

  /* A context busy dispatching this source (or spinning in its dispatch for posts) needs no
   * wakeup: its thread checks the inbox before it sleeps again. */
  if (head == NULL && !g_atomic_int_get (&self->dispatching) &&
      !g_atomic_int_get (&self->woken))
    wake (self);

  return TRUE;
}

void
_gtasklet_scheduler_add_member (GtaskletScheduler       *self,
                                GtaskletSchedulerMember *member)
{
  member->prev = NULL;
  member->next = self->members;
  if (self->members != NULL)
    self->members->prev = member;
  self->members = member;
}

void
_gtasklet_scheduler_remove_member (GtaskletScheduler       *self,
                                   GtaskletSchedulerMember *member)
{
  if (member->prev != NULL)
    member->prev->next = member->next;
  else if (self->members == member)
    self->members = member->next;
  if (member->next != NULL)
    member->next->prev = member->prev;
  member->prev = member->next = NULL;
}

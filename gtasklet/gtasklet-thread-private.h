/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pthread.h>

#if defined (__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

G_BEGIN_DECLS

/* Under ThreadSanitizer: GLib is not instrumented, so the ordering its atomic reference counts
 * give (every unref before the last one happens before the dispose) is told by hand. The
 * tests' shim (tests/tsan-glib.c) releases on the count at every unref; a dispose that reads
 * what other threads wrote while they held references acquires it first. (The shim cannot:
 * it runs before GLib's decrement, and another thread's may come in between.) */
#if defined (__SANITIZE_THREAD__)
#define _gtasklet_tsan_disposing(object) __tsan_acquire (&G_OBJECT (object)->ref_count)
#else
#define _gtasklet_tsan_disposing(object) G_STMT_START { } G_STMT_END
#endif

/* Everything gtasklet keeps per thread, in one heap block reached through a single
 * initial-exec thread-local pointer. A shared library's ordinary (global-dynamic) thread-local
 * variables cost a __tls_get_addr() call per access, a visible share of a message's cost; the
 * initial-exec model is one %fs-relative load, and eight bytes of it fit in the static TLS
 * space glibc reserves for libraries loaded later with dlopen() (as GJS and PyGObject do).
 *
 * This layer knows nothing above it: the caches of the message and scheduler layers are
 * opaque slots here, and those layers register the functions that empty them when the
 * thread exits. */

#define GTASKLET_THREAD_INTERN_SLOTS 8
#define GTASKLET_THREAD_RECEIVE_SLOTS 4

typedef struct _GtaskletThread GtaskletThread;

struct _GtaskletThread
{
  /* The innermost step frame of the engine on this thread (see gtasklet-step.c), or NULL:
   * while it is set, something of a tasklet is on the stack and nothing may run a step
   * inline. */
  gpointer         current_frame;
  /* The scheduler whose context this thread is running work for right now (inside its
   * dispatch, or inside a section that acquired its context), or NULL. */
  gpointer         current_scheduler;
  /* Orders events (fires and message arrivals) of the tasklets this thread runs. */
  guint64          stamp;

  /* Slots owned by the message layer: recycled message objects and envelopes. */
  gpointer         message_pool;
  guint            message_pool_length;
  gpointer         envelope_pool;
  guint            envelope_pool_length;

  /* Slot owned by the scheduler layer: the scheduler this thread used last, with a
   * reference, so starting tasklets does not take the global scheduler lock each time. */
  gpointer         cached_scheduler;
  /* Also the scheduler's: a post from this thread had to wake a sleeping context since the
   * current dispatch began (then it yields before it spins: see gtasklet-scheduler.c). */
  gboolean         woke_context;

  /* Slots owned by the tasklet and join layers: reset objects kept for reuse (see
   * gtasklet-recycle-private.h). */
  gpointer         tasklet_pool;
  guint            tasklet_pool_length;
  gpointer         join_pool;
  guint            join_pool_length;

  /* Slots owned by the receive layer: specs built for gtasklet_tasklet_receive(). */
  gpointer         receive_cache[GTASKLET_THREAD_RECEIVE_SLOTS];
  guint            receive_cache_next;
  guint            receive_cache_last;

  /* Names interned by recent sends, by the address of the caller's string: senders usually
   * pass the same few literals (a ping-pong alternates two on one thread). */
  struct {
    const char    *key;
    const char    *value;
  }                intern_cache[GTASKLET_THREAD_INTERN_SLOTS];
};

typedef void (*GtaskletThreadExitFunc) (GtaskletThread *thread);

extern __thread GtaskletThread *_gtasklet_thread_block __attribute__ ((tls_model ("initial-exec")));

GtaskletThread *_gtasklet_thread_new           (void);
void            _gtasklet_thread_add_exit_func (GtaskletThreadExitFunc  func);
const char     *_gtasklet_thread_intern        (GtaskletThread         *thread,
                                                const char             *name);

static inline GtaskletThread *
_gtasklet_thread_get (void)
{
  GtaskletThread *thread = _gtasklet_thread_block;

  if G_UNLIKELY (thread == NULL)
    thread = _gtasklet_thread_new ();
  return thread;
}

static inline guint64
_gtasklet_thread_next_stamp (GtaskletThread *thread)
{
  return ++thread->stamp;
}

/* gtasklet's locks are plain pthread mutexes rather than GMutex: on Linux, GLib implements
 * GMutex with futexes and atomics inside an uninstrumented libglib, where ThreadSanitizer
 * cannot see them order anything, whereas it sees every pthread mutex. Same cost: an
 * uncontended lock is one atomic instruction either way. */
typedef pthread_mutex_t GtaskletLock;

static inline void
_gtasklet_lock (GtaskletLock *lock)
{
  pthread_mutex_lock (lock);
}

static inline void
_gtasklet_unlock (GtaskletLock *lock)
{
  pthread_mutex_unlock (lock);
}

/* Striped locks for objects that are touched from several threads (a tasklet's finish
 * watches and cancellable, a condition's waiter). A mutex per object would cost its size in
 * every idle tasklet; a stripe costs nothing per object. Rules that keep stripes safe: never
 * hold two at once, and never call out (signals, vfuncs, user code) while holding one. */
GtaskletLock *_gtasklet_lock_for (gconstpointer object);

G_END_DECLS

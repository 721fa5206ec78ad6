/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-thread-private.h"

#include <string.h>

__thread GtaskletThread *_gtasklet_thread_block __attribute__ ((tls_model ("initial-exec")));

/* Filled once per layer, at its first use, before any thread can exit holding its caches. */
#define MAX_EXIT_FUNCS 8
static GtaskletThreadExitFunc exit_funcs[MAX_EXIT_FUNCS];
static int n_exit_funcs;
static GtaskletLock exit_funcs_lock = PTHREAD_MUTEX_INITIALIZER;

#define CACHE_LINE 64

#define N_LOCK_STRIPES 64
static GtaskletLock lock_stripes[N_LOCK_STRIPES] = {
  [0 ... N_LOCK_STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER
};

GtaskletLock *
_gtasklet_lock_for (gconstpointer object)
{
  guintptr address = (guintptr) object;

  /* GObjects are 16-byte aligned and allocated in runs: mix higher bits in. */
  return &lock_stripes[((address >> 4) ^ (address >> 11)) % N_LOCK_STRIPES];
}

void
_gtasklet_thread_add_exit_func (GtaskletThreadExitFunc func)
{
  _gtasklet_lock (&exit_funcs_lock);
  for (int i = 0; i < n_exit_funcs; i++)
    if (exit_funcs[i] == func)
      {
        _gtasklet_unlock (&exit_funcs_lock);
        return;
      }
  g_assert (n_exit_funcs < MAX_EXIT_FUNCS);
  exit_funcs[n_exit_funcs++] = func;
  _gtasklet_unlock (&exit_funcs_lock);
}

static void
thread_free (gpointer data)
{
  GtaskletThread *thread = data;
  int n;

  _gtasklet_lock (&exit_funcs_lock);
  n = n_exit_funcs;
  _gtasklet_unlock (&exit_funcs_lock);

  /* Upper layers first: a recycled message may hold what a lower layer's cache frees. */
  for (int i = n - 1; i >= 0; i--)
    exit_funcs[i] (thread);

  _gtasklet_thread_block = NULL;
  g_aligned_free (thread);
}

/* Owns the thread block: its destructor frees it when the thread exits. */
static GPrivate thread_block_key = G_PRIVATE_INIT (thread_free);

GtaskletThread *
_gtasklet_thread_new (void)
{
  /* On cache lines of its own: the blocks of two threads written at every step must not
   * share one (false sharing halved the speed-up of two workers). */
  GtaskletThread *thread = g_aligned_alloc0 (1, (sizeof (GtaskletThread) + CACHE_LINE - 1) &
                                                  ~(gsize) (CACHE_LINE - 1), CACHE_LINE);

  g_private_set (&thread_block_key, thread);
  _gtasklet_thread_block = thread;
  return thread;
}

/* g_intern_string() takes a global lock and hashes; sends usually name the same few literals,
 * so remember recent pairs by the caller's address. The strcmp() keeps it right when a caller
 * reuses a buffer for different names; a caller passing the interned string itself (as
 * g_intern_static_string() returns it) skips it. */
const char *
_gtasklet_thread_intern (GtaskletThread *thread,
                         const char     *name)
{
  guint slot = ((guintptr) name >> 3) % GTASKLET_THREAD_INTERN_SLOTS;

  if (name != thread->intern_cache[slot].key ||
      (name != thread->intern_cache[slot].value &&
       strcmp (name, thread->intern_cache[slot].value) != 0))
    {
      thread->intern_cache[slot].value = g_intern_string (name);
      thread->intern_cache[slot].key = name;
    }
  return thread->intern_cache[slot].value;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "gtasklet-types.h"

G_BEGIN_DECLS

/* Everything gtasklet keeps per thread, in one heap block reached through a single
 * initial-exec thread-local pointer. A shared library's ordinary (global-dynamic) thread-local
 * variables cost a __tls_get_addr() call per access, about a tenth of a message's cost; the
 * initial-exec model is one %fs-relative load, and eight bytes of it fit in the static TLS
 * space glibc reserves for libraries loaded later with dlopen() (as GJS and PyGObject do). */
typedef struct
{
  /* The innermost running step (a StepFrame of gtasklet-tasklet.c), or NULL. */
  gpointer         current_frame;
  /* Non-zero while the engine (a step, a commit, a finish) is on this thread's stack. */
  guint            engine_depth;
  /* Orders events (fires and message arrivals) on this thread. */
  guint64          stamp;
  /* Recycled messages, see gtasklet-message.c. */
  GtaskletMessage *pool_head;
  guint            pool_length;
  /* Names interned by recent sends, by the address of the caller's string: senders usually
   * pass the same few literals (a ping-pong alternates two on one thread). */
  struct {
    const char    *key;
    const char    *value;
  }                intern_cache[8];
  /* The scheduler this thread used last, with a reference, so that starting tasklets does not
   * take the global scheduler lock each time. */
  gpointer         cached_scheduler;
} GtaskletThread;

extern __thread GtaskletThread *_gtasklet_thread_block __attribute__ ((tls_model ("initial-exec")));

GtaskletThread *_gtasklet_thread_new (void);

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

const char *_gtasklet_thread_intern           (GtaskletThread *thread,
                                               const char     *name);


G_END_DECLS

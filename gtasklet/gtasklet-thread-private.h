/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "gtasklet-types.h"

G_BEGIN_DECLS

/* Everything gtasklet keeps per thread, in one thread-local block: in a shared library each
 * thread-local variable costs a __tls_get_addr() call per function that touches it, so the
 * hot paths fetch this block once. */
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
  gboolean         pool_registered;
  /* Last name interned by a send: senders usually pass the same literal every time. */
  const char      *intern_key;
  const char      *intern_value;
} GtaskletThread;

extern _Thread_local GtaskletThread _gtasklet_thread;

static inline guint64
_gtasklet_thread_next_stamp (GtaskletThread *thread)
{
  return ++thread->stamp;
}

const char *_gtasklet_thread_intern (GtaskletThread *thread,
                                     const char     *name);

G_END_DECLS

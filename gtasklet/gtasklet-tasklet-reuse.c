/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "gtasklet-recycle-private.h"
#include "gtasklet-step-private.h"
#include "gtasklet-tasklet-private.h"

/* The per-thread pool of finished closure tasklets (see gtasklet-recycle-private.h): the
 * release that would finalize one keeps it instead, and gtasklet_tasklet_new() on the same
 * thread takes it back. The pool is linked through the closure data, unused while pooled. */

static void
tasklet_pool_clear (GtaskletThread *thread)
{
  while (thread->tasklet_pool != NULL)
    {
      GtaskletTasklet *tasklet = thread->tasklet_pool;

      thread->tasklet_pool = _gtasklet_tasklet_get_private (tasklet)->func_data;
      _gtasklet_tasklet_get_private (tasklet)->func_data = NULL;
      g_object_unref (tasklet);
    }
  thread->tasklet_pool_length = 0;
}

/* Drops a reference gtasklet holds on @self. When it is the last one, on a finished closure
 * tasklet that nobody else knows, the tasklet is reset and kept for the next
 * gtasklet_tasklet_new() on this thread instead of being finalized. */
void
_gtasklet_tasklet_release (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletThread *thread;
  GObject *object = G_OBJECT (self);

  if (G_OBJECT_TYPE (self) != GTASKLET_TYPE_TASKLET || !_gtasklet_recycle_enabled () ||
      _gtasklet_tasklet_peek_state (self) != GTASKLET_STATE_FINISHED ||
      (thread = _gtasklet_thread_get ())->tasklet_pool_length >= GTASKLET_POOL_MAX ||
      !_gtasklet_object_is_private (self, _gtasklet_tasklet_finished_signal))
    {
      g_object_unref (self);
      return;
    }

  _gtasklet_tasklet_release_state (self);
  /* The closure data's destroy notify ran user code: look again. */
  if (g_atomic_int_get (&object->ref_count) != 1 || g_atomic_pointer_get (&object->qdata) != NULL)
    {
      g_object_unref (self);
      return;
    }

  memset (priv, 0, sizeof *priv);
  if (thread->tasklet_pool == NULL)
    _gtasklet_thread_add_exit_func (tasklet_pool_clear);
  priv->func_data = thread->tasklet_pool;
  thread->tasklet_pool = self;
  thread->tasklet_pool_length++;
}


/* A reset tasklet from this thread's pool, or NULL when the pool is empty. */
GtaskletTasklet *
_gtasklet_tasklet_pool_take (void)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletTasklet *self = thread->tasklet_pool;

  if (self == NULL)
    return NULL;
  thread->tasklet_pool = _gtasklet_tasklet_get_private (self)->func_data;
  _gtasklet_tasklet_get_private (self)->func_data = NULL;
  thread->tasklet_pool_length--;
  return self;
}

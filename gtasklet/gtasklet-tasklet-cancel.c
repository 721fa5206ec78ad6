/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-tasklet-private.h"

/* A tasklet's cancellable: created on demand (most tasklets are never cancelled) under the
 * tasklet's lock, connected while the tasklet runs, and reported to the tasklet's thread,
 * which decides whether the tasklet ends or a condition in its wait set takes the news. */

/* Cancellation */

/* Runs on the cancelling thread, maybe inside another tasklet's step or inside the
 * cancellable's emission: never end the tasklet here (finishing disconnects from the
 * cancellable, which would wait for this very emission). The tasklet's thread looks at it
 * from its main loop. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  _gtasklet_tasklet_check_later (data);
}

/* Connects to the cancellable once the tasklet has started (from its begin on the context's
 * thread, or from get_cancellable() creating one later on any thread). */
void
_gtasklet_tasklet_connect_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  GtaskletLock *lock = _gtasklet_lock_for (self);

  if (extras == NULL)
    return;

  _gtasklet_lock (lock);
  if (extras->cancellable != NULL && extras->cancelled_handler == 0 &&
      _gtasklet_tasklet_peek_state (self) != GTASKLET_STATE_FINISHED)
    extras->cancelled_handler = g_cancellable_connect (extras->cancellable,
                                                       G_CALLBACK (on_cancelled), self, NULL);
  _gtasklet_unlock (lock);
}

void
_gtasklet_tasklet_disconnect_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GCancellable *cancellable = NULL;
  gulong handler = 0;

  if (extras == NULL)
    return;

  _gtasklet_lock (lock);
  handler = extras->cancelled_handler;
  extras->cancelled_handler = 0;
  if (handler != 0)
    cancellable = g_object_ref (extras->cancellable);
  _gtasklet_unlock (lock);

  /* Outside the lock: this waits for a handler running on another thread. */
  if (handler != 0)
    {
      g_cancellable_disconnect (cancellable, handler);
      g_object_unref (cancellable);
    }
}

/* Gives a tasklet that has not started and has no cancellable yet @cancellable as its own. */
gboolean
_gtasklet_tasklet_adopt_cancellable (GtaskletTasklet *self,
                                     GCancellable    *cancellable)
{
  GtaskletTaskletExtras *extras = _gtasklet_tasklet_get_extras (self);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  gboolean adopted = FALSE;

  _gtasklet_lock (lock);
  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_NEW && extras->cancellable == NULL)
    {
      g_atomic_pointer_set (&extras->cancellable, g_object_ref (cancellable));
      adopted = TRUE;
    }
  _gtasklet_unlock (lock);
  return adopted;
}

/**
 * gtasklet_tasklet_get_cancellable:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * The tasklet's cancellable: the one given at construction, else one created on the first
 * call (and kept). Cancelling it ends the tasklet with `G_IO_ERROR_CANCELLED`, unless its
 * wait set holds a [class@Gtasklet.WaitForCancellable] for it. Pass it to the GIO calls the
 * tasklet makes so they are cancelled with it.
 *
 * This function is thread-safe: every caller gets the same cancellable.
 *
 * Returns: (transfer none): the cancellable
 *
 * Since: 1.0
 */
GCancellable *
gtasklet_tasklet_get_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;
  GCancellable *cancellable;
  GtaskletState state;
  GtaskletLock *lock;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  cancellable = _gtasklet_tasklet_peek_cancellable (self);
  if (cancellable != NULL)
    return cancellable;

  /* Created on demand: most tasklets are never cancelled, and a cancellable per tasklet
   * would cost an object and a handler each. */
  extras = _gtasklet_tasklet_get_extras (self);
  lock = _gtasklet_lock_for (self);
  _gtasklet_lock (lock);
  if (extras->cancellable == NULL)
    g_atomic_pointer_set (&extras->cancellable, g_cancellable_new ());
  cancellable = extras->cancellable;
  state = _gtasklet_tasklet_peek_state (self);
  _gtasklet_unlock (lock);

  if (state == GTASKLET_STATE_SUSPENDED || state == GTASKLET_STATE_RUNNING)
    _gtasklet_tasklet_connect_cancellable (self);
  return cancellable;
}

/**
 * gtasklet_tasklet_cancel:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * Cancels the tasklet's cancellable (and so every tasklet sharing it). The tasklet ends with
 * `G_IO_ERROR_CANCELLED` from its main loop shortly after, or, if its wait set holds a
 * [class@Gtasklet.WaitForCancellable] for its cancellable, that condition fires and its next
 * step decides: once woken that way, the cancellation is the tasklet's to handle, and it may
 * finish, return a value or keep waiting on anything. Cancelling a tasklet that has not
 * started ends it when it starts, without running a step; cancelling a finished tasklet does
 * nothing.
 *
 * This function is thread-safe.
 *
 * Since: 1.0
 */
void
gtasklet_tasklet_cancel (GtaskletTasklet *self)
{
  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_FINISHED)
    return;
  g_cancellable_cancel (gtasklet_tasklet_get_cancellable (self));
}


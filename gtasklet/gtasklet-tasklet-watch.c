/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-tasklet-private.h"

/* What other threads may touch on a tasklet: its extras (created once, atomically) and its
 * finish watches (joiners), both under the tasklet's stripe lock. */

/* Extras */

GtaskletTaskletExtras *
_gtasklet_tasklet_get_extras (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&priv->extras);

  if G_LIKELY (extras != NULL)
    return extras;

  /* Several threads may ask at once (get_cancellable(), a join): the first one wins. */
  extras = g_new0 (GtaskletTaskletExtras, 1);
  if (!g_atomic_pointer_compare_and_exchange (&priv->extras, NULL, extras))
    {
      g_free (extras);
      extras = g_atomic_pointer_get (&priv->extras);
    }
  return extras;
}

/* Finish watches: added and removed from any thread, under the tasklet's lock. */

gboolean
_gtasklet_tasklet_add_finish_watch (GtaskletTasklet     *self,
                                    GtaskletFinishWatch *watch)
{
  GtaskletTaskletExtras *extras;
  GtaskletLock *lock = _gtasklet_lock_for (self);

  /* FINISHED is final, and a finished tasklet that failed has extras (its error). */
  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_FINISHED)
    {
      extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
      /* The caller joins a finished tasklet: it learns the outcome now, failure included. */
      if (extras != NULL)
        g_atomic_int_set (&extras->error_seen, TRUE);
      return FALSE;
    }

  extras = _gtasklet_tasklet_get_extras (self);
  _gtasklet_lock (lock);
  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_FINISHED)
    {
      _gtasklet_unlock (lock);
      g_atomic_int_set (&extras->error_seen, TRUE);
      return FALSE;
    }
  watch->prev = NULL;
  watch->next = extras->watches;
  if (extras->watches != NULL)
    extras->watches->prev = watch;
  extras->watches = watch;
  watch->linked = TRUE;
  _gtasklet_unlock (lock);
  return TRUE;
}

/* Under the lock: a linked watch proves the tasklet is alive (its end and its dispose take
 * every watch under this lock), even for a caller holding no reference on it. */
static gboolean
remove_finish_watch_locked (GtaskletTasklet     *self,
                            GtaskletFinishWatch *watch)
{
  GtaskletTaskletExtras *extras;

  if (!watch->linked)
    return FALSE;

  extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  if (watch->prev != NULL)
    watch->prev->next = watch->next;
  else
    extras->watches = watch->next;
  if (watch->next != NULL)
    watch->next->prev = watch->prev;
  watch->next = watch->prev = NULL;
  watch->linked = FALSE;
  return TRUE;
}

/* Returns TRUE if the watch was still linked: its notify will not run. FALSE means the
 * tasklet has finished and the notify has run or is about to (on the finishing thread). */
gboolean
_gtasklet_tasklet_remove_finish_watch (GtaskletTasklet     *self,
                                       GtaskletFinishWatch *watch)
{
  GtaskletLock *lock = _gtasklet_lock_for (self);
  gboolean was_linked;

  _gtasklet_lock (lock);
  was_linked = remove_finish_watch_locked (self, watch);
  _gtasklet_unlock (lock);
  return was_linked;
}

/* The same, for a caller that holds no reference on @self: returns a new reference on it if
 * the watch was still linked, else NULL (and @self may be gone). */
GtaskletTasklet *
_gtasklet_tasklet_remove_finish_watch_ref (GtaskletTasklet     *self,
                                           GtaskletFinishWatch *watch)
{
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GtaskletTasklet *ref = NULL;

  _gtasklet_lock (lock);
  if (remove_finish_watch_locked (self, watch))
    ref = g_object_ref (self);
  _gtasklet_unlock (lock);
  return ref;
}

/* Marks the tasklet finished and takes every watch, oldest first, each with a reference on
 * its owner so that the notify can run after the lock is released. */
GtaskletFinishWatch *
_gtasklet_tasklet_steal_finish_watches (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletTaskletExtras *extras;
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GtaskletFinishWatch *reversed = NULL;

  _gtasklet_lock (lock);
  g_atomic_int_set (&priv->state, GTASKLET_STATE_FINISHED);
  /* Read under the lock: a joiner on another thread may have created the extras and linked
   * its watch just before this thread took the lock. */
  extras = g_atomic_pointer_get (&priv->extras);
  if (extras != NULL)
    {
      GtaskletFinishWatch *watch = g_steal_pointer (&extras->watches);

      while (watch != NULL)
        {
          GtaskletFinishWatch *next = watch->next;

          watch->linked = FALSE;
          watch->prev = NULL;
          watch->next = reversed;
          reversed = watch;
          if (watch->owner != NULL)
            g_object_ref (watch->owner);
          watch = next;
        }
    }
  _gtasklet_unlock (lock);
  return reversed;
}

void
_gtasklet_tasklet_notify_finish_watches (GtaskletTasklet     *self,
                                         GtaskletFinishWatch *watches)
{
  while (watches != NULL)
    {
      GtaskletFinishWatch *watch = watches;
      GObject *owner = watch->owner;

      /* The notify may free the watch. */
      watches = watch->next;
      watch->next = NULL;
      watch->notify (watch, self);
      if (owner != NULL)
        g_object_unref (owner);
    }
}


/* The first watch of @self with this @notify and @owner, or NULL; with @take it is unlinked
 * too, so its notify will not run (links find their ends this way). Any thread. */
GtaskletFinishWatch *
_gtasklet_tasklet_find_finish_watch (GtaskletTasklet *self,
                                     void           (*notify) (GtaskletFinishWatch *,
                                                               GtaskletTasklet     *),
                                     GObject         *owner,
                                     gboolean         take)
{
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  GtaskletLock *lock = _gtasklet_lock_for (self);
  GtaskletFinishWatch *found = NULL;

  if (extras == NULL)
    return NULL;

  _gtasklet_lock (lock);
  for (GtaskletFinishWatch *watch = extras->watches; watch != NULL; watch = watch->next)
    if (watch->notify == notify && watch->owner == owner)
      {
        found = watch;
        break;
      }
  if (found != NULL && take)
    remove_finish_watch_locked (self, found);
  _gtasklet_unlock (lock);
  return found;
}

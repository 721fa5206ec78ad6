/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "gtasklet-step-private.h"
#include "gtasklet-tasklet-private.h"

/* Forwarding tasklets: tasklets that stand for something else and never run a step.
 *
 * One stays NEW until its owner ends it, which is what keeps it off every hot path: a
 * delivery looks at the forwarding bit only in the branch for tasklets that have not started
 * (_gtasklet_tasklet_deliver()), and hands the envelope to the forward function there, on the
 * sender's thread, in the order the sender sent. Ending one is the NEW tasklet's way of
 * finishing (as when one is dropped unstarted): the state becomes FINISHED with the watches
 * taken under the lock, then ::finished and the watches run, so monitors get their DOWN,
 * links their exit signal and joiners their result, as for any tasklet.
 *
 * A forwarding tasklet traps exits: a linked tasklet's end reaches the forward function as an
 * envelope flagged ENVELOPE_EXIT, for it to pass on (or drop); and the forward function hears
 * of every link made or removed with it, so that it can make the same link where the tasklet
 * it stands for lives. */

GtaskletTasklet *
_gtasklet_tasklet_new_forwarding (GtaskletForwardFunc func,
                                  gpointer            user_data,
                                  GDestroyNotify      destroy)
{
  GtaskletTasklet *self = g_object_new (GTASKLET_TYPE_TASKLET, NULL);
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);

  priv->func = (GtaskletRunFunc) (void (*) (void)) func;
  priv->func_data = user_data;
  priv->func_destroy = destroy;
  gtasklet_tasklet_set_trap_exits (self, TRUE);
  _gtasklet_tasklet_get_extras (self)->forwarding = TRUE;
  return self;
}

gboolean
_gtasklet_tasklet_is_forwarding (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);

  return extras != NULL && extras->forwarding;
}

/* From _gtasklet_tasklet_deliver(), any thread: @envelope (routed, taken) goes to the forward
 * function, which says whether it could take it (as a delivery does). */
gboolean
_gtasklet_tasklet_forward (GtaskletTasklet  *self,
                           GtaskletEnvelope *envelope)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletForwardFunc func = (GtaskletForwardFunc) (void (*) (void)) priv->func;

  return func (self, envelope, NULL, FALSE, priv->func_data);
}

/* From gtasklet_tasklet_link() and _unlink(), on @other's thread. */
void
_gtasklet_tasklet_forward_link (GtaskletTasklet *self,
                                GtaskletTasklet *other,
                                gboolean         linked)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletForwardFunc func = (GtaskletForwardFunc) (void (*) (void)) priv->func;

  func (self, NULL, other, linked, priv->func_data);
}

/* Finishes @self with @error (taken; NULL for success), or with @result (taken; NULL for
 * none). Its owner's thread only (which makes
 * the check for an earlier end safe); returns FALSE, and frees @error, if it had ended. The
 * error is the remote tasklet's, whose own process reports it if nobody read it there: it
 * counts as seen here. */
gboolean
_gtasklet_tasklet_end_forwarding (GtaskletTasklet *self,
                                  GValue          *result,
                                  GError          *error)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletTaskletExtras *extras;
  GtaskletFinishWatch *watches;

  g_return_val_if_fail (_gtasklet_tasklet_is_forwarding (self), FALSE);

  if (g_atomic_int_get (&priv->state) != GTASKLET_STATE_NEW)
    {
      g_clear_error (&error);
      if (result != NULL && G_IS_VALUE (result))
        g_value_unset (result);
      return FALSE;
    }

  /* Moved in: read by joiners only once the state says FINISHED. */
  if (result != NULL && G_IS_VALUE (result))
    {
      priv->result = *result;
      memset (result, 0, sizeof *result);
    }

  g_object_ref (self);
  extras = _gtasklet_tasklet_get_extras (self);
  extras->error = g_steal_pointer (&error);
  g_atomic_int_set (&extras->error_seen, TRUE);
  watches = _gtasklet_tasklet_steal_finish_watches (self);
  g_signal_emit (self, _gtasklet_tasklet_finished_signal, 0);
  _gtasklet_tasklet_notify_finish_watches (self, watches);
  g_object_unref (self);
  return TRUE;
}

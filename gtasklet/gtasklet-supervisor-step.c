/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-supervisor-private.h"

#include <gio/gio.h>

#include "gtasklet-error.h"
#include "gtasklet-message.h"
#include "gtasklet-wait-for-timeout.h"

/* The supervisor's step: children start, end, are stopped (one at a time, the last started
 * first) and restarted as the strategy, the restart kinds, the window and the backoff say. */

/* On the child's thread. */
static void
on_child_finished (GtaskletFinishWatch *watch,
                   GtaskletTasklet     *tasklet)
{
  ExitWatch *exit_watch = (ExitWatch *) watch;
  GtaskletSupervisor *supervisor = exit_watch->supervisor;
  GValue value = G_VALUE_INIT;

  g_free (exit_watch);
  g_value_init (&value, GTASKLET_TYPE_TASKLET);
  g_value_set_object (&value, tasklet);
  /* Refused only when the supervisor has finished, which it does after its children. */
  gtasklet_tasklet_send (GTASKLET_TASKLET (supervisor), CHILD_EXITED, &value);
  g_value_unset (&value);
  g_object_unref (supervisor);
}

/* Makes and starts @child's next tasklet. FALSE if the child function gave none. */
gboolean
_gtasklet_supervisor_start_child (GtaskletSupervisor *self,
             Child              *child)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);
  GtaskletTasklet *tasklet = child->func (self, child->id, child->user_data);
  ExitWatch *exit_watch;

  if (tasklet == NULL)
    return FALSE;

  if (child->current != NULL)
    g_hash_table_remove (priv->by_tasklet, child->current);
  g_clear_object (&child->current);
  child->current = tasklet;
  g_hash_table_insert (priv->by_tasklet, tasklet, child);
  child->running = TRUE;
  child->stopping = FALSE;

  exit_watch = g_new0 (ExitWatch, 1);
  _gtasklet_finish_watch_set_notify (&exit_watch->watch, on_child_finished);
  exit_watch->supervisor = g_object_ref (self);
  if (!_gtasklet_tasklet_add_finish_watch (tasklet, &exit_watch->watch))
    on_child_finished (&exit_watch->watch, tasklet);
  /* A handle to a remote tasklet (gtasklet_node_spawn()) runs in its own process: it is
   * never started here, only watched. */
  else if (gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_NEW &&
           !_gtasklet_tasklet_is_forwarding (tasklet))
    _gtasklet_tasklet_start_in (tasklet, gtasklet_tasklet_get_context (GTASKLET_TASKLET (self)),
                                FALSE);
  return TRUE;
}

/* Counts one restart; FALSE (and the failure set) when it is one too many. */
gboolean
_gtasklet_supervisor_count_restart (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);

  if (_gtasklet_restart_window_count (&priv->window))
    {
      priv->delay_ms = _gtasklet_restart_window_delay_ms (&priv->window);
      return TRUE;
    }
  if (priv->failure == NULL)
    priv->failure = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_RESTART_LIMIT,
                                 "%s %p gave up: more than %u restarts within %u ms",
                                 G_OBJECT_TYPE_NAME (self), self, priv->window.intensity,
                                 priv->window.period_ms);
  return FALSE;
}

/* Queues the running children from @first on for stopping, last started first. */
static void
stop_from (GtaskletSupervisor *self,
           guint               first,
           Child              *except)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);

  for (guint i = first; i < priv->children->len; i++)
    {
      Child *child = g_ptr_array_index (priv->children, i);

      if (child != except && child->running && !child->stopping && !child->queued_stop)
        {
          child->queued_stop = TRUE;
          g_ptr_array_add (priv->to_stop, child);
        }
    }
}

static void
clear_restarts (GtaskletSupervisorPrivate *priv)
{
  for (guint i = 0; i < priv->to_restart->len; i++)
    ((Child *) g_ptr_array_index (priv->to_restart, i))->queued_restart = FALSE;
  g_ptr_array_set_size (priv->to_restart, 0);
}

void
_gtasklet_supervisor_queue_restart (GtaskletSupervisorPrivate *priv,
                                    Child                     *child)
{
  if (child->queued_restart)
    return;
  child->queued_restart = TRUE;
  g_ptr_array_add (priv->to_restart, child);
}

/* Stops everything, then fails (or ends cancelled). */
void
_gtasklet_supervisor_shut_down (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);

  priv->after_stop = AFTER_STOP_FAIL;
  g_clear_object (&priv->backoff);
  clear_restarts (priv);
  g_ptr_array_set_size (priv->deferred, 0);
  stop_from (self, 0, NULL);
}

/* A child ended by itself (not stopped by us): restart what its kind and the strategy say. */
static void
handle_exit (GtaskletSupervisor *self,
             Child              *child,
             gboolean            failed)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);

  if (child->restart == GTASKLET_RESTART_TEMPORARY ||
      (child->restart == GTASKLET_RESTART_TRANSIENT && !failed))
    return;

  if (!_gtasklet_supervisor_count_restart (self))
    {
      _gtasklet_supervisor_shut_down (self);
      return;
    }

  priv->after_stop = AFTER_STOP_RESTART;
  switch (priv->strategy)
    {
    case GTASKLET_SUPERVISOR_ONE_FOR_ONE:
      _gtasklet_supervisor_queue_restart (priv, child);
      break;
    case GTASKLET_SUPERVISOR_ONE_FOR_ALL:
    case GTASKLET_SUPERVISOR_REST_FOR_ONE:
      {
        guint first = priv->strategy == GTASKLET_SUPERVISOR_ONE_FOR_ALL ? 0 : child->index;

        stop_from (self, first, child);
        /* Temporary children are not started again once stopped, as in OTP. */
        for (guint i = first; i < priv->children->len; i++)
          {
            Child *other = g_ptr_array_index (priv->children, i);

            if ((other == child || other->running || other->queued_stop) &&
                (other == child || other->restart != GTASKLET_RESTART_TEMPORARY))
              _gtasklet_supervisor_queue_restart (priv, other);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static Child *
find_child_by_tasklet (GtaskletSupervisor *self,
                       GtaskletTasklet    *tasklet)
{
  return g_hash_table_lookup (_gtasklet_supervisor_get_private (self)->by_tasklet, tasklet);
}

/* The end of @tasklet taken in. */
static void
on_exit_message (GtaskletSupervisor *self,
                 GtaskletTasklet    *tasklet)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);
  Child *child = find_child_by_tasklet (self, tasklet);
  gboolean was_stopping;

  /* An older tasklet of a child started again since: nothing to do. */
  if (child == NULL || !child->running)
    return;

  was_stopping = child->stopping;
  child->running = FALSE;
  child->stopping = FALSE;
  /* Left in to_stop: advance() drops it when it comes to it. */
  child->queued_stop = FALSE;

  if (was_stopping || priv->after_stop == AFTER_STOP_FAIL)
    return;
  if (priv->to_stop->len > 0 || priv->to_restart->len > 0)
    {
      /* A restart is under way: it will start this one again if it is part of it. */
      if (!child->queued_restart)
        g_ptr_array_add (priv->deferred, child);
      return;
    }
  handle_exit (self, child, gtasklet_tasklet_get_error (tasklet) != NULL);
}

/* Moves the stop along, and once it is done, does what comes after. Returns FALSE when the
 * supervisor is to end now (with priv->failure set, or cancelled). */
static gboolean
advance (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);

  for (;;)
    {
      if (priv->to_stop->len > 0)
        {
          Child *next = g_ptr_array_index (priv->to_stop, priv->to_stop->len - 1);

          if (!next->queued_stop)
            {
              g_ptr_array_set_size (priv->to_stop, priv->to_stop->len - 1);
              continue;
            }
          /* One at a time: cancelled, then waited for. */
          if (!next->stopping)
            {
              next->stopping = TRUE;
              gtasklet_tasklet_cancel (next->current);
            }
          return TRUE;
        }

      switch (priv->after_stop)
        {
        case AFTER_STOP_FAIL:
          return FALSE;
        case AFTER_STOP_RESTART:
          {
            g_autoptr (GPtrArray) restart = NULL;
            gboolean failed_start = FALSE;

            /* The backoff first, if there is one: the step waits for it. */
            if (priv->backoff != NULL)
              return TRUE;
            if (priv->delay_ms > 0)
              {
                priv->backoff = gtasklet_wait_for_timeout_new (priv->delay_ms);
                priv->delay_ms = 0;
                return TRUE;
              }
            restart = g_ptr_array_copy (priv->to_restart, NULL, NULL);

            clear_restarts (priv);
            priv->after_stop = AFTER_STOP_NOTHING;
            for (guint i = 0; i < restart->len; i++)
              if (!_gtasklet_supervisor_start_child (self, g_ptr_array_index (restart, i)))
                failed_start = TRUE;
            if (failed_start && !_gtasklet_supervisor_count_restart (self))
              {
                _gtasklet_supervisor_shut_down (self);
                continue;
              }
            if (failed_start)
              {
                /* Try the ones that gave no tasklet again, as one more restart. */
                for (guint i = 0; i < restart->len; i++)
                  {
                    Child *child = g_ptr_array_index (restart, i);

                    if (!child->running)
                      _gtasklet_supervisor_queue_restart (priv, child);
                  }
                priv->after_stop = AFTER_STOP_RESTART;
                continue;
              }
          }
          break;
        case AFTER_STOP_NOTHING:
        default:
          break;
        }

      if (priv->deferred->len == 0)
        return TRUE;
      {
        Child *child = g_ptr_array_steal_index (priv->deferred, 0);

        if (!child->running && child->current != NULL)
          handle_exit (self, child, gtasklet_tasklet_get_error (child->current) != NULL);
      }
    }
}

/* Starts the children in start order, the first time. */
static void
start_children (GtaskletSupervisor *self)
{
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);

  priv->started = TRUE;
  for (guint i = 0; i < priv->children->len; i++)
    {
      Child *child = g_ptr_array_index (priv->children, i);

      if (!_gtasklet_supervisor_start_child (self, child))
        {
          if (!_gtasklet_supervisor_count_restart (self))
            {
              _gtasklet_supervisor_shut_down (self);
              return;
            }
          priv->after_stop = AFTER_STOP_RESTART;
          _gtasklet_supervisor_queue_restart (priv, child);
        }
    }
}

gboolean
_gtasklet_supervisor_run (GtaskletTasklet  *tasklet,
                         GObject          *event,
                         GError          **error)
{
  GtaskletSupervisor *self = GTASKLET_SUPERVISOR (tasklet);
  GtaskletSupervisorPrivate *priv = _gtasklet_supervisor_get_private (self);
  static const char * const exits[] = { CHILD_EXITED, NULL };

  if (event == NULL)
    start_children (self);
  else if (event == G_OBJECT (priv->cancelled))
    {
      g_clear_object (&priv->cancelled);
      _gtasklet_supervisor_shut_down (self);
    }
  else if (event != NULL && event == G_OBJECT (priv->backoff))
    g_clear_object (&priv->backoff);
  else if (GTASKLET_IS_MESSAGE (event))
    {
      const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));

      /* Without a value: a nudge from add_child (a child that gave no tasklet). */
      if (value != NULL)
        on_exit_message (self, g_value_get_object (value));
    }

  if (!advance (self))
    {
      for (guint i = 0; i < priv->children->len; i++)
        g_assert (!((Child *) g_ptr_array_index (priv->children, i))->running);
      if (priv->failure != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&priv->failure));
          return FALSE;
        }
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Tasklet was cancelled");
      return FALSE;
    }

  gtasklet_tasklet_receive (tasklet, exits, NULL, NULL);
  if (priv->backoff != NULL)
    gtasklet_tasklet_wait (tasklet, priv->backoff);
  /* Its own cancellation is the supervisor's to handle: it stops its children first. */
  if (priv->cancelled != NULL)
    gtasklet_tasklet_wait (tasklet, priv->cancelled);
  return TRUE;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"
#include "gtasklet-step-private.h"
#include "gtasklet-tasklet-private.h"

/* Monitors: a tasklet (the watcher) asks to be told with a DOWN message when another (the
 * target) finishes.
 *
 * A monitor is one record of 64 bytes (on LP64), shared by two threads:
 * - its finish watch sits in the target's watch list (under the target's lock); the watch's
 *   owner is the watcher. When the target finishes, the notify runs on the target's thread,
 *   after the target's last step, and sends the DOWN from there through the ordinary
 *   delivery path: messages from one sender to one receiver stay in order, so the DOWN comes
 *   after everything the target sent the watcher, across threads too;
 * - the record sits in the watcher's list of monitors (its own thread only) until the DOWN
 *   arrives there, or the watcher demonitors, or the watcher finishes.
 * Each side holds one reference on the record; whoever drops the last frees it. A DOWN
 * carries the monitor's id: on arrival it is kept only if the watcher still holds that
 * monitor, so a demonitor that races with the target's end still sees no DOWN. */

typedef struct _GtaskletMonitor GtaskletMonitor;

struct _GtaskletMonitor
{
  /* In the target's list; owner: the watcher (not referenced: it drops its monitors, under
   * the target's lock, before it can go away). */
  GtaskletFinishWatch  watch;
  /* Not referenced: used only while the watch is linked, which proves the target alive. */
  GtaskletTasklet     *target;
  GtaskletMonitor     *next;
  guint                id;
  int                  refs;
};

#if GLIB_SIZEOF_VOID_P == 8
G_STATIC_ASSERT (sizeof (GtaskletMonitor) <= 64);
#endif

static guint last_monitor_id;

static guint
monitor_next_id (void)
{
  guint id;

  do
    id = (guint) g_atomic_int_add ((int *) &last_monitor_id, 1) + 1;
  while G_UNLIKELY (id == 0);
  return id;
}

static void
monitor_unref (GtaskletMonitor *monitor)
{
  if (g_atomic_int_dec_and_test (&monitor->refs))
    g_slice_free (GtaskletMonitor, monitor);
}

/* The message that tells of @finished's end: sender @finished, value its error if it failed.
 * Any thread, once @finished is FINISHED. */
GtaskletEnvelope *
_gtasklet_tasklet_end_envelope (GtaskletTasklet *finished,
                                const char      *name)
{
  const GError *error = gtasklet_tasklet_get_error (finished);
  GtaskletEnvelope *envelope;

  envelope = _gtasklet_envelope_new (_gtasklet_thread_intern (_gtasklet_thread_get (), name),
                                     NULL);
  if (error != NULL)
    {
      g_value_init (&envelope->value, G_TYPE_ERROR);
      g_value_set_boxed (&envelope->value, error);
    }
  return envelope;
}

static void
monitor_send_down (GtaskletMonitor *monitor,
                   GtaskletTasklet *target,
                   GtaskletTasklet *watcher)
{
  GtaskletEnvelope *envelope = _gtasklet_tasklet_end_envelope (target, GTASKLET_MESSAGE_DOWN);

  envelope->flags |= ENVELOPE_DOWN;
  envelope->monitor_id = monitor->id;
  _gtasklet_envelope_route (envelope, target, watcher);
  _gtasklet_tasklet_deliver (watcher, envelope);
}

/* On the target's thread, the target finished: the watcher is referenced across the call. */
static void
monitor_notify (GtaskletFinishWatch *watch,
                GtaskletTasklet     *target)
{
  GtaskletMonitor *monitor = (GtaskletMonitor *) watch;

  monitor_send_down (monitor, target, GTASKLET_TASKLET (watch->owner));
  monitor_unref (monitor);
}

/* Unlinks the monitor @id from @self's list and returns it (the list's reference with it). */
static GtaskletMonitor *
monitor_take (GtaskletTasklet *self,
              guint            id)
{
  /* Atomic: another thread may be creating the extras (get_cancellable(), a join). */
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  GtaskletMonitor **link;

  if (extras == NULL)
    return NULL;
  for (link = &extras->monitors; *link != NULL; link = &(*link)->next)
    if ((*link)->id == id)
      {
        GtaskletMonitor *monitor = *link;

        *link = monitor->next;
        monitor->next = NULL;
        return monitor;
      }
  return NULL;
}

/* Takes the monitor's watch back from its target if it is still there (no DOWN will be
 * sent), then lets go of the list's reference. */
static void
monitor_cancel (GtaskletMonitor *monitor)
{
  if (_gtasklet_tasklet_remove_finish_watch (monitor->target, &monitor->watch))
    monitor_unref (monitor);
  monitor_unref (monitor);
}

gboolean
_gtasklet_tasklet_down_arrived (GtaskletTasklet  *self,
                                GtaskletEnvelope *envelope)
{
  GtaskletMonitor *monitor = monitor_take (self, envelope->monitor_id);

  if (monitor == NULL)
    {
      /* Demonitored while the DOWN was on its way. */
      _gtasklet_envelope_discard (envelope);
      return FALSE;
    }
  monitor_unref (monitor);
  return TRUE;
}

/* The tasklet finishes: its monitors go, and a DOWN already on its way finds no receiver. */
void
_gtasklet_tasklet_drop_monitors (GtaskletTasklet *self)
{
  /* Atomic: another thread may be creating the extras (get_cancellable(), a join). */
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);

  if (extras == NULL)
    return;
  while (extras->monitors != NULL)
    {
      GtaskletMonitor *monitor = extras->monitors;

      extras->monitors = monitor->next;
      monitor->next = NULL;
      monitor_cancel (monitor);
    }
}

/* Called on @self by @function: TRUE if this thread runs @self (its step, its context),
 * else a programmer error reported in plain words, which fails @self. */
gboolean
_gtasklet_tasklet_check_own_thread (GtaskletTasklet *self,
                                    const char      *function)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletSchedulerEntry entry;

  switch (_gtasklet_tasklet_peek_state (self))
    {
    case GTASKLET_STATE_NEW:
      _gtasklet_tasklet_misuse (self, "%s() was called on %s %p, which has not been started: "
                                "call it from the tasklet's own step", function,
                                G_OBJECT_TYPE_NAME (self), self);
      return FALSE;
    case GTASKLET_STATE_FINISHED:
      g_critical ("%s() was called on %s %p, which has already finished", function,
                  G_OBJECT_TYPE_NAME (self), self);
      return FALSE;
    case GTASKLET_STATE_RUNNING:
    case GTASKLET_STATE_SUSPENDED:
    default:
      break;
    }

  if (_gtasklet_tasklet_is_in_step (self) || _gtasklet_scheduler_is_current (priv->scheduler))
    return TRUE;
  if (_gtasklet_scheduler_enter (priv->scheduler, &entry))
    {
      _gtasklet_scheduler_leave (priv->scheduler, &entry);
      return TRUE;
    }

  _gtasklet_tasklet_misuse (self, "%s() was called on %s %p from a thread that does not run it: "
                            "call it from the tasklet's own step", function,
                            G_OBJECT_TYPE_NAME (self), self);
  return FALSE;
}

/**
 * gtasklet_tasklet_monitor:
 * @self: the [class@Gtasklet.Tasklet] that wants to know
 * @target: the [class@Gtasklet.Tasklet] to watch, on any thread
 *
 * Asks to be told when @target finishes. Then @self receives a message named
 * [const@Gtasklet.MESSAGE_DOWN] (`"gtasklet.down"`) whose sender is @target and whose value
 * holds @target's `GError` (`G_TYPE_ERROR`), or that has no value
 * ([method@Gtasklet.Message.get_value] returns %NULL) if @target finished normally. If
 * @target has already finished, the message is sent at once.
 *
 * The DOWN message arrives after every message @target sent to @self, and is an ordinary
 * message: a receive must accept `"gtasklet.down"` to get it. Monitoring the same target
 * twice gives two monitors, two ids and two messages. A monitor ends when its message
 * arrives, when [method@Gtasklet.Tasklet.demonitor] is called, or when @self finishes.
 *
 * Monitoring itself, or a %NULL @target, is a programmer error: @self then fails with
 * `GTASKLET_ERROR_MISUSE`.
 *
 * Must be called from @self's own step, or from the thread that runs its context.
 *
 * Returns: the monitor's id, never 0 (0 after a programmer error)
 *
 * Since: 1.2
 */
guint
gtasklet_tasklet_monitor (GtaskletTasklet *self,
                          GtaskletTasklet *target)
{
  GtaskletTaskletExtras *extras;
  GtaskletMonitor *monitor;
  guint id;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), 0);

  if (!GTASKLET_IS_TASKLET (target))
    {
      _gtasklet_tasklet_misuse (self, "gtasklet_tasklet_monitor() on %s %p was given %s instead "
                                "of a tasklet to monitor", G_OBJECT_TYPE_NAME (self), self,
                                target == NULL ? "NULL" : "something else");
      return 0;
    }
  if (target == self)
    {
      _gtasklet_tasklet_misuse (self, "%s %p cannot monitor itself: it would never be told "
                                "(a tasklet does not outlive its own end)",
                                G_OBJECT_TYPE_NAME (self), self);
      return 0;
    }
  if (!_gtasklet_tasklet_check_own_thread (self, "gtasklet_tasklet_monitor"))
    return 0;

  /* GSlice: a chunk of exactly 64 bytes, where malloc would add its own header. */
  monitor = g_slice_new0 (GtaskletMonitor);
  monitor->watch.notify = monitor_notify;
  monitor->watch.owner = G_OBJECT (self);
  monitor->target = target;
  monitor->id = id = monitor_next_id ();
  /* One for the watcher's list, one for the target's watch. */
  monitor->refs = 2;

  extras = _gtasklet_tasklet_get_extras (self);
  monitor->next = extras->monitors;
  extras->monitors = monitor;

  if (!_gtasklet_tasklet_add_finish_watch (target, &monitor->watch))
    {
      /* Finished already: as if it finished now. Every message it sent was posted before
       * its state became FINISHED, so this DOWN still goes behind them. */
      monitor_send_down (monitor, target, self);
      monitor_unref (monitor);
    }

  /* Not monitor->id: a DOWN delivered at once may have freed the record already. */
  return id;
}

/* A DOWN for @id already in @self's mailbox, or chosen as its next event: dropped. */
static void
remove_queued_down (GtaskletTasklet *self,
                    guint            id)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletEnvelope *next;

  if (priv->next_event != NULL && EVENT_IS_ENVELOPE (priv->next_event))
    {
      next = (GtaskletEnvelope *) ((guintptr) priv->next_event & ~(guintptr) 1);
      if ((next->flags & ENVELOPE_DOWN) && next->monitor_id == id)
        {
          /* The dispatch then finds whatever else is deliverable, or nothing. */
          priv->next_event = NULL;
          _gtasklet_envelope_discard (next);
          return;
        }
    }

  for (GtaskletEnvelope *e = priv->mailbox.head; e != NULL; e = (GtaskletEnvelope *) e->item.next)
    if ((e->flags & ENVELOPE_DOWN) && e->monitor_id == id)
      {
        _gtasklet_mailbox_remove (&priv->mailbox, e);
        _gtasklet_envelope_discard (e);
        return;
      }
}

/**
 * gtasklet_tasklet_demonitor:
 * @self: the [class@Gtasklet.Tasklet] that called [method@Gtasklet.Tasklet.monitor]
 * @id: the id that [method@Gtasklet.Tasklet.monitor] returned
 *
 * Ends a monitor. Once this returns, @self receives no [const@Gtasklet.MESSAGE_DOWN] for the
 * monitor @id (one already in its mailbox is removed). Ending a monitor that has already ended
 * (its message was received, or it was ended before) does nothing.
 *
 * Must be called from @self's own step, or from the thread that runs its context.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_demonitor (GtaskletTasklet *self,
                            guint            id)
{
  GtaskletMonitor *monitor;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  if (id == 0)
    {
      _gtasklet_tasklet_misuse (self, "gtasklet_tasklet_demonitor() on %s %p was given 0, "
                                "which is no monitor's id", G_OBJECT_TYPE_NAME (self), self);
      return;
    }
  if (!_gtasklet_tasklet_check_own_thread (self, "gtasklet_tasklet_demonitor"))
    return;

  monitor = monitor_take (self, id);
  if (monitor != NULL)
    {
      /* A DOWN on its way finds the monitor gone and is dropped on arrival. */
      monitor_cancel (monitor);
      return;
    }
  remove_queued_down (self, id);
}

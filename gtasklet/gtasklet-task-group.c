/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-task-group.h"

#include <gio/gio.h>

#include "gtasklet-tasklet-private.h"
#include "gtasklet-thread-private.h"
#include "gtasklet-wait-for-cancellable.h"

/**
 * GtaskletTaskGroup:
 *
 * A tasklet that runs a group of tasklets to their end together, as Trio's nurseries,
 * asyncio's `TaskGroup` or libdex's `DexTaskGroup` do (structured concurrency).
 *
 * [method@Gtasklet.TaskGroup.add] starts a tasklet in the group (or adopts one started
 * elsewhere, on a [class@Gtasklet.Pool] say). The group is itself a tasklet, started when it is
 * made (in the thread-default main context), which finishes once none of its tasklets is
 * running: it can be joined with [method@Gtasklet.Tasklet.join_async], waited for with a
 * [class@Gtasklet.WaitForTasklet], or run from `main()` with
 * [method@Gtasklet.Tasklet.run_until_finished].
 *
 * - The first tasklet of the group that fails (cancellation included) makes the group cancel
 *   the others; once they have all finished, the group fails with a copy of that first error.
 * - Cancelling the group cancels every tasklet in it; the group then ends with
 *   `G_IO_ERROR_CANCELLED` once they have all finished (unless one had failed first: that
 *   error wins).
 * - The group never finishes before all of its tasklets have, whatever happens.
 *
 * ```c
 * g_autoptr (GtaskletTaskGroup) group = gtasklet_task_group_new ();
 * g_autoptr (GError) error = NULL;
 *
 * for (guint i = 0; i < n_files; i++)
 *   gtasklet_task_group_add (group, checksum_tasklet_new (files[i]));
 * if (gtasklet_tasklet_run_until_finished (GTASKLET_TASKLET (group), &error) == NULL &&
 *     error != NULL)
 *   g_printerr ("one checksum failed, the others were cancelled: %s\n", error->message);
 * ```
 *
 * The group looks at its tasklets from the main loop, never inside a call: add the first ones
 * right after making it, before the main loop runs (a group that has none by then finishes at
 * its first look). From then on tasklets may be added until the group finishes, also from the
 * steps of tasklets in the group; adding to a finished group is a programmer error. The
 * group's result is empty. A group holds a reference on each of its tasklets until that
 * tasklet has finished, and each running tasklet keeps its group alive.
 *
 * Since: 1.2
 */

/**
 * GtaskletTaskGroupClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.TaskGroup], a final type.
 *
 * Since: 1.2
 */

/* What the group hears from a finishing member (the finish watch runs on the member's
 * thread; the group's step reads the rest on its own). */
#define CHILD_FINISHED "gtasklet.task-group.child-finished"

typedef struct
{
  GtaskletFinishWatch  watch;
  GtaskletTasklet     *child;      /* strong */
  /* Strong until the finish watch has run; that run hands it over and sets @notified. */
  GtaskletTaskGroup   *group;
  gboolean             notified;   /* under the group's lock */
} Member;

struct _GtaskletTaskGroup
{
  GtaskletTasklet        parent_instance;

  GtaskletLock           lock;
  GPtrArray             *members;        /* Member *, under the lock */
  gboolean               stopping;       /* under the lock: members are being cancelled */
  gboolean               closed;         /* under the lock: none running, the group ends */
  /* The group's own thread only. */
  GError                *failure;
  GtaskletWaitCondition *cancelled;
};

G_DEFINE_FINAL_TYPE (GtaskletTaskGroup, gtasklet_task_group, GTASKLET_TYPE_TASKLET)

static void
member_free (Member *member)
{
  g_clear_object (&member->child);
  g_free (member);
}

/* On the member's thread. */
static void
on_member_finished (GtaskletFinishWatch *watch,
                    GtaskletTasklet     *tasklet)
{
  Member *member = (Member *) watch;
  GtaskletTaskGroup *group = member->group;

  /* From here on the group may free @member at any time: only @group (whose reference this
   * call now holds) is used. */
  _gtasklet_lock (&group->lock);
  member->notified = TRUE;
  _gtasklet_unlock (&group->lock);

  gtasklet_tasklet_send (GTASKLET_TASKLET (group), CHILD_FINISHED, NULL);
  g_object_unref (group);
}

/* Cancels every member still running. On any thread. */
static void
cancel_members (GtaskletTaskGroup *self)
{
  g_autoptr (GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);

  _gtasklet_lock (&self->lock);
  self->stopping = TRUE;
  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (!member->notified)
        g_ptr_array_add (running, g_object_ref (member->child));
    }
  _gtasklet_unlock (&self->lock);

  for (guint i = 0; i < running->len; i++)
    gtasklet_tasklet_cancel (g_ptr_array_index (running, i));
}

/* Takes in the members that have finished; returns how many are still running. */
static guint
collect_finished (GtaskletTaskGroup *self)
{
  g_autoptr (GPtrArray) finished = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  gboolean first_failure = FALSE;
  guint running;

  _gtasklet_lock (&self->lock);
  for (guint i = 0; i < self->members->len;)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (member->notified)
        g_ptr_array_add (finished, g_ptr_array_steal_index_fast (self->members, i));
      else
        i++;
    }
  running = self->members->len;
  if (running == 0)
    self->closed = TRUE;
  _gtasklet_unlock (&self->lock);

  for (guint i = 0; i < finished->len; i++)
    {
      Member *member = g_ptr_array_index (finished, i);
      const GError *error = gtasklet_tasklet_get_error (member->child);

      if (error != NULL && self->failure == NULL)
        {
          self->failure = g_error_copy (error);
          first_failure = TRUE;
        }
    }

  if (first_failure && running > 0)
    cancel_members (self);
  return running;
}

static gboolean
gtasklet_task_group_run (GtaskletTasklet  *tasklet,
                         GObject          *event,
                         GError          **error)
{
  GtaskletTaskGroup *self = GTASKLET_TASK_GROUP (tasklet);
  static const char * const finished[] = { CHILD_FINISHED, NULL };

  if (event != NULL && event == G_OBJECT (self->cancelled))
    {
      g_clear_object (&self->cancelled);
      cancel_members (self);
    }

  /* The first step runs inside gtasklet_task_group_new(), before any tasklet could be added:
   * the first look comes with the message sent there. */
  if (event != NULL && collect_finished (self) == 0)
    {
      GCancellable *cancellable = gtasklet_tasklet_get_cancellable (tasklet);

      if (self->failure != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&self->failure));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      return TRUE;
    }

  gtasklet_tasklet_receive (tasklet, finished, NULL, NULL);
  /* Its own cancellation is the group's to handle (it waits for its members first); once
   * that has woken it, later waits no longer end it. */
  if (self->cancelled != NULL)
    gtasklet_tasklet_wait (tasklet, self->cancelled);
  return TRUE;
}

static void
gtasklet_task_group_constructed (GObject *object)
{
  GtaskletTaskGroup *self = GTASKLET_TASK_GROUP (object);

  G_OBJECT_CLASS (gtasklet_task_group_parent_class)->constructed (object);

  self->cancelled =
    gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (GTASKLET_TASKLET (self)));
}

static void
gtasklet_task_group_finalize (GObject *object)
{
  GtaskletTaskGroup *self = GTASKLET_TASK_GROUP (object);

  /* Every member keeps its group alive until its finish watch ran, so only members whose
   * end was not taken in yet can be left. */
  g_ptr_array_unref (self->members);
  g_clear_error (&self->failure);
  g_clear_object (&self->cancelled);
  pthread_mutex_destroy (&self->lock);

  G_OBJECT_CLASS (gtasklet_task_group_parent_class)->finalize (object);
}

static void
gtasklet_task_group_class_init (GtaskletTaskGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletTaskletClass *tasklet_class = GTASKLET_TASKLET_CLASS (klass);

  object_class->constructed = gtasklet_task_group_constructed;
  object_class->finalize = gtasklet_task_group_finalize;
  tasklet_class->run = gtasklet_task_group_run;
}

static void
gtasklet_task_group_init (GtaskletTaskGroup *self)
{
  pthread_mutex_init (&self->lock, NULL);
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
}

/**
 * gtasklet_task_group_new:
 *
 * Creates an empty group and starts it in the thread-default main context. Add its first
 * tasklets before the main loop runs: a group with none running when it first looks, from the
 * main loop, finishes.
 *
 * Call it on the thread that runs its thread-default main context.
 *
 * Returns: (transfer full): a new, started [class@Gtasklet.TaskGroup]
 *
 * Since: 1.2
 */
GtaskletTaskGroup *
gtasklet_task_group_new (void)
{
  GtaskletTaskGroup *self = g_object_new (GTASKLET_TYPE_TASK_GROUP, NULL);

  gtasklet_tasklet_start (GTASKLET_TASKLET (self));
  /* The first look: a step from the main loop, after the caller has added what it will. */
  gtasklet_tasklet_send (GTASKLET_TASKLET (self), CHILD_FINISHED, NULL);
  return self;
}

/**
 * gtasklet_task_group_add:
 * @self: a [class@Gtasklet.TaskGroup] that has not finished
 * @tasklet: a tasklet: new (the group starts it, in the thread-default main context as
 *   [method@Gtasklet.Tasklet.start] does) or already started (on a pool, say)
 *
 * Puts @tasklet in the group: the group finishes only once it has finished, and cancels it
 * when another tasklet of the group fails or the group is cancelled (a tasklet added then is
 * cancelled at once).
 *
 * This function is thread-safe; a new @tasklet starts in the caller's thread-default context.
 *
 * Returns: %TRUE if @tasklet is in the group; %FALSE (after a critical) if the group had
 *   already finished, in which case @tasklet is left as it was
 *
 * Since: 1.2
 */
gboolean
gtasklet_task_group_add (GtaskletTaskGroup *self,
                         GtaskletTasklet   *tasklet)
{
  Member *member;
  gboolean stopping;

  g_return_val_if_fail (GTASKLET_IS_TASK_GROUP (self), FALSE);
  g_return_val_if_fail (GTASKLET_IS_TASKLET (tasklet), FALSE);

  if (tasklet == GTASKLET_TASKLET (self))
    {
      g_critical ("gtasklet_task_group_add(): a group cannot be one of its own tasklets");
      return FALSE;
    }

  member = g_new0 (Member, 1);
  _gtasklet_finish_watch_set_notify (&member->watch, on_member_finished);
  member->child = g_object_ref (tasklet);

  _gtasklet_lock (&self->lock);
  if (self->closed)
    {
      _gtasklet_unlock (&self->lock);
      member_free (member);
      g_critical ("gtasklet_task_group_add(): %s %p cannot join %s %p, which has finished (a "
                  "group ends once none of its tasklets runs)",
                  G_OBJECT_TYPE_NAME (tasklet), tasklet, G_OBJECT_TYPE_NAME (self), self);
      return FALSE;
    }
  /* Counted before anything can finish: the group cannot end in between. */
  member->group = g_object_ref (self);
  g_ptr_array_add (self->members, member);
  stopping = self->stopping;
  _gtasklet_unlock (&self->lock);

  if (!_gtasklet_tasklet_add_finish_watch (tasklet, &member->watch))
    on_member_finished (&member->watch, tasklet);
  else if (gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_NEW)
    {
      if (stopping)
        gtasklet_tasklet_cancel (tasklet);
      gtasklet_tasklet_start (tasklet);
    }
  else if (stopping)
    gtasklet_tasklet_cancel (tasklet);

  return TRUE;
}

/**
 * gtasklet_task_group_get_n_running:
 * @self: a [class@Gtasklet.TaskGroup]
 *
 * How many tasklets of the group have not finished yet (as far as the group knows: one that
 * is finishing right now may still count).
 *
 * This function is thread-safe.
 *
 * Returns: the number of running tasklets in the group
 *
 * Since: 1.2
 */
guint
gtasklet_task_group_get_n_running (GtaskletTaskGroup *self)
{
  guint running = 0;

  g_return_val_if_fail (GTASKLET_IS_TASK_GROUP (self), 0);

  _gtasklet_lock (&self->lock);
  for (guint i = 0; i < self->members->len; i++)
    if (!((Member *) g_ptr_array_index (self->members, i))->notified)
      running++;
  _gtasklet_unlock (&self->lock);
  return running;
}

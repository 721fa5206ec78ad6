/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletTaskGroup: a group ends once none of its tasklets runs, never before; the first
 * failure cancels the others and is the group's; cancelling the group cancels them all; the
 * group is a tasklet (joined, waited for with WaitForTasklet); tasklets on pool workers belong to
 * a group all the same. Every wait has a deadline; nothing sleeps. */
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 30000

/* A member: ticks @ticks times every millisecond, then finishes (or fails, with @fail). With
 * @stubborn it catches its cancellation and still ticks @ticks_after_cancel times before it
 * ends (cancelled). With @ticks == 0 it waits for its cancellation only. */
typedef struct
{
  guint                  ticks;
  gboolean               fail;
  gboolean               stubborn;
  guint                  ticks_after_cancel;
  /* Filled in. */
  GtaskletWaitCondition *tick;
  GtaskletWaitCondition *cancelled;
  guint                  ticked;
  gboolean               saw_cancel;
  int                    finished_order;
} Member;

static int finish_counter;

static gboolean
member_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Member *m = user_data;

  if (event == NULL)
    {
      m->tick = gtasklet_wait_for_timeout_new (1);
      m->cancelled = gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (self));
    }
  else if (event == G_OBJECT (m->cancelled))
    m->saw_cancel = TRUE;
  else if (event == G_OBJECT (m->tick))
    m->ticked++;

  if (m->saw_cancel && m->ticked >= m->ticks_after_cancel)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled after %u ticks",
                   m->ticked);
      return FALSE;
    }
  if (!m->saw_cancel && m->ticks > 0 && m->ticked == m->ticks)
    {
      if (m->fail)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "member failed");
          return FALSE;
        }
      return TRUE;
    }

  if (m->ticks > 0 || m->saw_cancel)
    gtasklet_tasklet_wait (self, m->tick);
  if (m->stubborn && !m->saw_cancel)
    gtasklet_tasklet_wait (self, m->cancelled);
  else if (!m->stubborn && !m->saw_cancel && m->ticks == 0)
    gtasklet_tasklet_wait (self, m->cancelled);
  return TRUE;
}

static void
member_clear (gpointer data)
{
  Member *m = data;

  g_clear_object (&m->tick);
  g_clear_object (&m->cancelled);
}

static void
note_finish (GtaskletTasklet *tasklet,
             Member          *m)
{
  m->finished_order = ++finish_counter;
}

static GtaskletTasklet *
member_new (Member *m)
{
  GtaskletTasklet *t = gtasklet_tasklet_new (member_step, m, member_clear);

  g_signal_connect (t, "finished", G_CALLBACK (note_finish), m);
  return t;
}

static int group_finished_order;

static void
note_group_finish (GtaskletTasklet *group)
{
  group_finished_order = ++finish_counter;
}

/* Waits (with a deadline) for the group to end; returns its error, copied. */
static GError *
group_wait (GtaskletTaskGroup *group)
{
  const GError *error;

  test_wait_finished (GTASKLET_TASKLET (group), DEADLINE_MS);
  error = gtasklet_tasklet_get_error (GTASKLET_TASKLET (group));
  return error != NULL ? g_error_copy (error) : NULL;
}

static GtaskletTaskGroup *
group_new (void)
{
  GtaskletTaskGroup *group = gtasklet_task_group_new ();

  finish_counter = 0;
  group_finished_order = 0;
  g_signal_connect (group, "finished", G_CALLBACK (note_group_finish), NULL);
  return group;
}

/* Everything succeeds: the group ends after its last member, without error or result. */
static void
test_all_succeed (void)
{
  Member m[3] = { { .ticks = 3 }, { .ticks = 1 }, { .ticks = 5 } };
  g_autoptr (GtaskletTaskGroup) group = group_new ();
  g_autoptr (GError) error = NULL;
  GtaskletTasklet *t[3];

  for (guint i = 0; i < 3; i++)
    {
      t[i] = member_new (&m[i]);
      g_assert_true (gtasklet_task_group_add (group, t[i]));
    }
  g_assert_cmpuint (gtasklet_task_group_get_n_running (group), ==, 3);

  error = group_wait (group);
  g_assert_no_error (error);
  g_assert_null (gtasklet_tasklet_get_result (GTASKLET_TASKLET (group)));
  g_assert_cmpuint (gtasklet_task_group_get_n_running (group), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (m[i].ticked, ==, m[i].ticks);
      g_assert_cmpint (m[i].finished_order, <, group_finished_order);
      g_assert_no_error (gtasklet_tasklet_get_error (t[i]));
      g_object_unref (t[i]);
    }
}

/* The first failure cancels the others, waits for all of them (a stubborn one takes its
 * time), and is the group's error. */
static void
test_first_failure (void)
{
  Member done = { .ticks = 1 };
  Member failing = { .ticks = 3, .fail = TRUE };
  Member waiting = { .ticks = 0 };
  Member stubborn = { .ticks = 1000, .stubborn = TRUE, .ticks_after_cancel = 5 };
  g_autoptr (GtaskletTaskGroup) group = group_new ();
  g_autoptr (GtaskletTasklet) t_done = member_new (&done);
  g_autoptr (GtaskletTasklet) t_failing = member_new (&failing);
  g_autoptr (GtaskletTasklet) t_waiting = member_new (&waiting);
  g_autoptr (GtaskletTasklet) t_stubborn = member_new (&stubborn);
  g_autoptr (GError) error = NULL;

  gtasklet_task_group_add (group, t_done);
  gtasklet_task_group_add (group, t_failing);
  gtasklet_task_group_add (group, t_waiting);
  gtasklet_task_group_add (group, t_stubborn);

  error = group_wait (group);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "member failed");

  g_assert_no_error (gtasklet_tasklet_get_error (t_done));
  test_assert_cancelled (t_waiting);
  g_assert_true (stubborn.saw_cancel);
  g_assert_cmpuint (stubborn.ticked, >=, 5);
  g_assert_error (gtasklet_tasklet_get_error (t_stubborn), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Never before all of them. */
  g_assert_cmpint (stubborn.finished_order, <, group_finished_order);
  g_assert_cmpint (waiting.finished_order, <, group_finished_order);
  g_assert_cmpint (failing.finished_order, <, group_finished_order);
}

/* Cancelling the group cancels its members and ends it, cancelled, after them. */
static void
test_group_cancelled (void)
{
  Member waiting = { .ticks = 0 };
  Member stubborn = { .ticks = 1000, .stubborn = TRUE, .ticks_after_cancel = 3 };
  g_autoptr (GtaskletTaskGroup) group = group_new ();
  g_autoptr (GtaskletTasklet) t_waiting = member_new (&waiting);
  g_autoptr (GtaskletTasklet) t_stubborn = member_new (&stubborn);

  gtasklet_task_group_add (group, t_waiting);
  gtasklet_task_group_add (group, t_stubborn);
  test_drain ();
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (group));
  test_wait_finished (GTASKLET_TASKLET (group), DEADLINE_MS);

  test_assert_cancelled (GTASKLET_TASKLET (group));
  test_assert_cancelled (t_waiting);
  g_assert_true (stubborn.saw_cancel);
  g_assert_cmpint (stubborn.finished_order, <, group_finished_order);

  /* A member added while the group stops is cancelled at once; after it ended, adding is a
   * programmer error that leaves the tasklet alone. */
  {
    g_autoptr (GtaskletTasklet) late = gtasklet_tasklet_new (test_finish_at_once_step, NULL,
                                                             NULL);

    g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                           "gtasklet_task_group_add(): GtaskletTasklet * cannot join "
                           "GtaskletTaskGroup *, which has finished (a group ends once none of "
                           "its tasklets runs)");
    g_assert_false (gtasklet_task_group_add (group, late));
    g_test_assert_expected_messages ();
    g_assert_cmpint (gtasklet_tasklet_get_state (late), ==, GTASKLET_STATE_NEW);
  }
}

/* A parent creates a group in its step, adds members and waits for it like any tasklet. */
typedef struct
{
  GtaskletTaskGroup     *group;
  GtaskletWaitCondition *join;
  Member                 members[2];
  GError                *group_error;
} Parent;

static gboolean
parent_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Parent *p = user_data;

  if (event == NULL)
    {
      p->group = gtasklet_task_group_new ();
      for (guint i = 0; i < G_N_ELEMENTS (p->members); i++)
        {
          g_autoptr (GtaskletTasklet) t = member_new (&p->members[i]);

          gtasklet_task_group_add (p->group, t);
        }
      p->join = gtasklet_wait_for_tasklet_new (GTASKLET_TASKLET (p->group));
      gtasklet_tasklet_wait (self, p->join);
      return TRUE;
    }
  g_assert_true (event == G_OBJECT (p->join));
  p->group_error = g_error_copy (
    gtasklet_wait_for_tasklet_get_error (GTASKLET_WAIT_FOR_TASKLET (p->join)));
  return TRUE;
}

static void
test_waited_for_by_a_parent (void)
{
  Parent p = { .members = { { .ticks = 2 }, { .ticks = 4, .fail = TRUE } } };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (parent_step, &p, NULL);

  gtasklet_tasklet_start (parent);
  test_wait_finished (parent, DEADLINE_MS);
  g_assert_no_error (gtasklet_tasklet_get_error (parent));
  g_assert_error (p.group_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (p.members[0].ticked, ==, 2);
  g_clear_error (&p.group_error);
  g_clear_object (&p.join);
  g_clear_object (&p.group);
}

/* A group with no member by its first look finishes, without error. */
static void
test_empty (void)
{
  g_autoptr (GtaskletTaskGroup) group = gtasklet_task_group_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (gtasklet_tasklet_get_state (GTASKLET_TASKLET (group)), ==,
                   GTASKLET_STATE_SUSPENDED);
  error = group_wait (group);
  g_assert_no_error (error);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_task_group_add(): a group cannot be one of its own tasklets");
  g_assert_false (gtasklet_task_group_add (group, GTASKLET_TASKLET (group)));
  g_test_assert_expected_messages ();
}

/* Members finished before they are added, or inside add() (a first step that finishes). */
static void
test_finished_members (void)
{
  g_autoptr (GtaskletTaskGroup) group = gtasklet_task_group_new ();
  g_autoptr (GtaskletTasklet) before = gtasklet_tasklet_new (test_fail_at_once_step, NULL, NULL);
  g_autoptr (GtaskletTasklet) inside = gtasklet_tasklet_new (test_finish_at_once_step, NULL,
                                                             NULL);
  g_autoptr (GError) error = NULL;

  gtasklet_tasklet_start (before);
  g_assert_true (gtasklet_task_group_add (group, before));
  g_assert_true (gtasklet_task_group_add (group, inside));
  g_assert_cmpint (gtasklet_tasklet_get_state (inside), ==, GTASKLET_STATE_FINISHED);
  error = group_wait (group);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

/* Members on two pool workers: one fails, the others (on either worker) are cancelled from
 * the group's thread, and the group ends after all of them. */
static void
test_members_on_a_pool (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (2);
  Member m[4] = { { .ticks = 0 }, { .ticks = 0 }, { .ticks = 3, .fail = TRUE },
                  { .ticks = 1000, .stubborn = TRUE, .ticks_after_cancel = 2 } };
  g_autoptr (GtaskletTaskGroup) group = gtasklet_task_group_new ();
  GtaskletTasklet *t[4];
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    {
      t[i] = gtasklet_tasklet_new (member_step, &m[i], member_clear);
      gtasklet_pool_start (pool, t[i]);
      g_assert_true (gtasklet_task_group_add (group, t[i]));
    }
  error = group_wait (group);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  for (guint i = 0; i < 4; i++)
    {
      /* Finished before the group: their state is final, and read with acquire. */
      g_assert_cmpint (gtasklet_tasklet_get_state (t[i]), ==, GTASKLET_STATE_FINISHED);
      if (i != 2)
        g_assert_error (gtasklet_tasklet_get_error (t[i]), G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_object_unref (t[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/task-group/all-succeed", test_all_succeed);
  g_test_add_func ("/gtasklet/task-group/first-failure", test_first_failure);
  g_test_add_func ("/gtasklet/task-group/group-cancelled", test_group_cancelled);
  g_test_add_func ("/gtasklet/task-group/waited-for-by-a-parent", test_waited_for_by_a_parent);
  g_test_add_func ("/gtasklet/task-group/empty", test_empty);
  g_test_add_func ("/gtasklet/task-group/finished-members", test_finished_members);
  g_test_add_func ("/gtasklet/task-group/members-on-a-pool", test_members_on_a_pool);

  return g_test_run ();
}

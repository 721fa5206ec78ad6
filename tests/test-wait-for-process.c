/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "test-manual-condition.h"
#include "test-util.h"

static GPid
spawn (const char *command_line)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;
  GPid pid = 0;

  g_shell_parse_argv (command_line, NULL, &argv, &error);
  g_assert_no_error (error);
  g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pid, >, 0);
  return pid;
}

/* Waits on `process` `n_wanted` times (re-waiting after each event), recording the status
 * seen in each step. */
typedef struct
{
  GtaskletWaitCondition *process;
  guint                  n_wanted;
  guint                  n_events;
  gboolean               exited_in_step;
  int                    status_in_step;
} Waiter;

static gboolean
waiter_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Waiter *w = user_data;
  GtaskletWaitForProcess *process = GTASKLET_WAIT_FOR_PROCESS (w->process);

  if (event != NULL)
    {
      g_assert_true (event == G_OBJECT (w->process));
      w->n_events++;
      w->exited_in_step = gtasklet_wait_for_process_has_exited (process);
      w->status_in_step = gtasklet_wait_for_process_get_status (process);
    }
  if (w->n_events == w->n_wanted)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, w->process);
  return TRUE;
}

static void
test_exit_status (void)
{
  GPid pid = spawn ("sh -c 'exit 3'");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  Waiter w = { process, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (gtasklet_wait_for_process_get_pid (GTASKLET_WAIT_FOR_PROCESS (process)),
                   ==, pid);
  g_assert_false (gtasklet_wait_for_process_has_exited (GTASKLET_WAIT_FOR_PROCESS (process)));

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);

  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_true (w.exited_in_step);
  g_assert_false (g_spawn_check_wait_status (w.status_in_step, &error));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 3);
}

static void
test_exit_success (void)
{
  GPid pid = spawn ("sh -c 'exit 0'");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  Waiter w = { process, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  g_autoptr (GError) error = NULL;

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);

  g_assert_true (g_spawn_check_wait_status (w.status_in_step, &error));
  g_assert_no_error (error);
}

static void
test_killed_by_signal (void)
{
  GPid pid = spawn ("sleep 30");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  Waiter w = { process, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  test_drain ();
  g_assert_cmpuint (w.n_events, ==, 0);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  test_wait_finished (t, 10000);

  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_true (WIFSIGNALED (w.status_in_step));
  g_assert_cmpint (WTERMSIG (w.status_in_step), ==, SIGKILL);
}

static void
test_status_kept_after_step (void)
{
  /* Seed defect 12: the seed cleared the status right after its callback. */
  GPid pid = spawn ("sh -c 'exit 3'");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  GtaskletWaitForProcess *self = GTASKLET_WAIT_FOR_PROCESS (process);
  Waiter w = { process, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);
  test_drain ();

  g_assert_false (gtasklet_wait_condition_is_armed (process));
  g_assert_true (gtasklet_wait_for_process_has_exited (self));
  g_assert_cmpint (gtasklet_wait_for_process_get_status (self), ==, w.status_in_step);
  g_assert_true (WIFEXITED (gtasklet_wait_for_process_get_status (self)));
  g_assert_cmpint (WEXITSTATUS (gtasklet_wait_for_process_get_status (self)), ==, 3);
}

/* Waits on `process`; after it fires, waits on an idle (dropping `process`, which disarms it),
 * then on `process` again, which fires at once because the child is already reaped. */
typedef struct
{
  GtaskletWaitCondition *process;
  GtaskletWaitCondition *idle;
  guint                  n_steps;
  guint                  n_process_events;
  int                    last_status;
} Rewaiter;

static gboolean
rewaiter_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Rewaiter *r = user_data;

  r->n_steps++;
  if (event == G_OBJECT (r->process))
    {
      r->n_process_events++;
      r->last_status =
        gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (r->process));
    }
  switch (r->n_steps)
    {
    case 1:
      gtasklet_tasklet_wait (tasklet, r->process);
      return TRUE;
    case 2:
      g_assert_true (event == G_OBJECT (r->process));
      gtasklet_tasklet_wait (tasklet, r->idle);
      return TRUE;
    case 3:
      g_assert_true (event == G_OBJECT (r->idle));
      gtasklet_tasklet_wait (tasklet, r->process);
      return TRUE;
    default:
      g_assert_true (event == G_OBJECT (r->process));
      return TRUE;
    }
}

static void
test_rewait_after_reap (void)
{
  GPid pid = spawn ("sh -c 'exit 3'");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  Rewaiter r = { process, idle };
  Waiter later = { process, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (rewaiter_step, &r, NULL);
  g_autoptr (GtaskletTasklet) t2 = NULL;

  /* Armed again by the same tasklet after the child was reaped: fires at once, same status. */
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);
  g_assert_cmpuint (r.n_steps, ==, 4);
  g_assert_cmpuint (r.n_process_events, ==, 2);
  g_assert_true (WIFEXITED (r.last_status));
  g_assert_cmpint (WEXITSTATUS (r.last_status), ==, 3);

  /* Armed by another tasklet, later: the event is delivered from the main loop. */
  t2 = gtasklet_tasklet_new (waiter_step, &later, NULL);
  gtasklet_tasklet_start (t2);
  g_assert_cmpuint (later.n_events, ==, 0);
  test_wait_finished (t2, 1000);
  g_assert_cmpuint (later.n_events, ==, 1);
  g_assert_cmpint (WEXITSTATUS (later.status_in_step), ==, 3);
}

static void
test_rewait_in_next_step (void)
{
  GPid pid = spawn ("sh -c 'exit 3'");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  Waiter w = { process, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  /* The step woken by the exit waits on the same condition again: it stays armed (arm() is
   * not called again), yet fires at once, as the contract wants for "waiting on it again". */
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);
  g_assert_cmpuint (w.n_events, ==, 2);
  g_assert_cmpint (WEXITSTATUS (w.status_in_step), ==, 3);
}

/* Waits on `process` and an idle, and finishes on the idle: disarms the child watch early. */
static gboolean
give_up_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  GtaskletWaitCondition **conditions = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, conditions[0]);
      gtasklet_tasklet_wait (tasklet, conditions[1]);
      return TRUE;
    }
  g_assert_true (event == G_OBJECT (conditions[1]));
  return TRUE;
}

static void
test_disarm_then_rearm (void)
{
  GPid pid = spawn ("sleep 30");
  g_autoptr (GtaskletWaitCondition) process = gtasklet_wait_for_process_new (pid);
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  GtaskletWaitCondition *conditions[2] = { process, idle };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (give_up_step, conditions, NULL);
  g_autoptr (GtaskletTasklet) t2 = NULL;
  Waiter w = { process, 1 };

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_false (gtasklet_wait_condition_is_armed (process));
  g_assert_false (gtasklet_wait_for_process_has_exited (GTASKLET_WAIT_FOR_PROCESS (process)));

  /* The child dies while nobody watches; a new watch still reaps it and reports it. */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  t2 = gtasklet_tasklet_new (waiter_step, &w, NULL);
  gtasklet_tasklet_start (t2);
  test_wait_finished (t2, 10000);

  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_true (WIFSIGNALED (w.status_in_step));
}

static void
test_properties (void)
{
  GPid pid = spawn ("sh -c 'exit 0'");
  g_autoptr (GtaskletWaitCondition) process = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  Waiter w = { NULL, 1 };
  int got_pid = 0;
  int priority = 0;

  /* As bindings build it, with keyword arguments. */
  process = g_object_new (GTASKLET_TYPE_WAIT_FOR_PROCESS,
                          "pid", pid,
                          "priority", G_PRIORITY_HIGH,
                          NULL);
  w.process = process;
  g_object_get (process, "pid", &got_pid, "priority", &priority, NULL);
  g_assert_cmpint (got_pid, ==, pid);
  g_assert_cmpint (priority, ==, G_PRIORITY_HIGH);
  gtasklet_wait_for_process_set_priority (GTASKLET_WAIT_FOR_PROCESS (process),
                                          G_PRIORITY_DEFAULT);
  g_assert_cmpint (gtasklet_wait_for_process_get_priority (GTASKLET_WAIT_FOR_PROCESS (process)),
                   ==, G_PRIORITY_DEFAULT);

  t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);
  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_true (WIFEXITED (w.status_in_step));
}

static void
test_programmer_errors (void)
{
  GtaskletWaitCondition *process;

  /* Constructors never return NULL: a pid that is no child is reported, and fails whoever
   * waits on it instead of hanging. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "GtaskletWaitForProcess was given 0, which is not the pid of a child process");
  process = gtasklet_wait_for_process_new (0);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (process, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (process);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given -5, which is not*");
  process = gtasklet_wait_for_process_new (-5);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (process, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (process);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpint (gtasklet_wait_for_process_get_status (NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given 0, which is not*");
  process = g_object_new (GTASKLET_TYPE_WAIT_FOR_PROCESS, NULL);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (process, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (process);
}

/* GSubprocess */

typedef struct
{
  GtaskletWaitCondition *process;
  GtaskletWaitCondition *other;     /* optional: finishes the tasklet early when fired */
  guint                  n_events;
  guint                  wanted;
  int                    status;
  GObject               *last_event;
} SubWaiter;

static gboolean
sub_waiter_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  SubWaiter *w = user_data;

  if (event != NULL)
    {
      w->last_event = event;
      if (event == (GObject *) w->other)
        return TRUE;
      w->n_events++;
      w->status = gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (w->process));
      if (w->n_events >= w->wanted)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, w->process);
  if (w->other != NULL)
    gtasklet_tasklet_wait (tasklet, w->other);
  return TRUE;
}

static GSubprocess *
spawn_subprocess (const char *command)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *p = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sh", "-c", command, NULL);

  g_assert_no_error (error);
  return p;
}

static int
wait_subprocess_status (GSubprocess *p,
                        guint        wanted)
{
  SubWaiter w = { gtasklet_wait_for_process_new_for_subprocess (p), NULL, 0, wanted };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (sub_waiter_step, &w, NULL);

  g_assert_true (gtasklet_wait_for_process_get_subprocess (GTASKLET_WAIT_FOR_PROCESS (w.process)) == p);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);
  g_assert_cmpuint (w.n_events, ==, wanted);
  g_assert_true (gtasklet_wait_for_process_has_exited (GTASKLET_WAIT_FOR_PROCESS (w.process)));
  g_object_unref (w.process);
  return w.status;
}

static void
test_subprocess_statuses (void)
{
  g_autoptr (GSubprocess) ok = spawn_subprocess ("true");
  g_autoptr (GSubprocess) fails = spawn_subprocess ("exit 1");
  g_autoptr (GSubprocess) killed = spawn_subprocess ("exec sleep 30");
  g_autoptr (GError) error = NULL;
  int status;

  status = wait_subprocess_status (ok, 1);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  status = wait_subprocess_status (fails, 1);
  g_assert_false (g_spawn_check_wait_status (status, &error));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 1);

  g_subprocess_force_exit (killed);
  status = wait_subprocess_status (killed, 1);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

static void
test_subprocess_already_exited_and_rewait (void)
{
  g_autoptr (GSubprocess) p = spawn_subprocess ("exit 4");

  g_assert_true (g_subprocess_wait (p, NULL, NULL));
  /* Exited before the condition exists: fires at once, and again on each wait. */
  g_assert_cmpint (WEXITSTATUS (wait_subprocess_status (p, 3)), ==, 4);
}

static void
test_subprocess_disarmed_before_exit (void)
{
  g_autoptr (GSubprocess) p = spawn_subprocess ("exec sleep 30");
  SubWaiter w = { gtasklet_wait_for_process_new_for_subprocess (p), test_manual_condition_new (), 0, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (sub_waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_wait_condition_fire (w.other);
  test_wait_finished (t, 5000);
  g_assert_true (w.last_event == (GObject *) w.other);
  g_assert_false (gtasklet_wait_for_process_has_exited (GTASKLET_WAIT_FOR_PROCESS (w.process)));

  /* The cancelled internal wait completes without firing anything. */
  g_subprocess_force_exit (p);
  g_assert_true (g_subprocess_wait (p, NULL, NULL));
  test_drain ();
  g_assert_cmpuint (w.n_events, ==, 0);
  g_object_unref (w.process);
  g_object_unref (w.other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-process/exit-status", test_exit_status);
  g_test_add_func ("/gtasklet/wait-for-process/exit-success", test_exit_success);
  g_test_add_func ("/gtasklet/wait-for-process/killed-by-signal", test_killed_by_signal);
  g_test_add_func ("/gtasklet/wait-for-process/status-kept-after-step",
                   test_status_kept_after_step);
  g_test_add_func ("/gtasklet/wait-for-process/rewait-after-reap", test_rewait_after_reap);
  g_test_add_func ("/gtasklet/wait-for-process/disarm-then-rearm", test_disarm_then_rearm);
  g_test_add_func ("/gtasklet/wait-for-process/properties", test_properties);
  g_test_add_func ("/gtasklet/wait-for-process/rewait-in-next-step", test_rewait_in_next_step);
  g_test_add_func ("/gtasklet/wait-for-process/programmer-errors", test_programmer_errors);

  g_test_add_func ("/gtasklet/wait-for-process/gsubprocess-statuses", test_subprocess_statuses);
  g_test_add_func ("/gtasklet/wait-for-process/gsubprocess-already-exited-and-rewait", test_subprocess_already_exited_and_rewait);
  g_test_add_func ("/gtasklet/wait-for-process/gsubprocess-disarmed-before-exit", test_subprocess_disarmed_before_exit);

  return g_test_run ();
}

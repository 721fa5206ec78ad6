/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Waits that could never end are refused instead of hanging: a tasklet waiting for itself and
 * a WaitForMessages that names no message are programmer errors (a critical, and the tasklet
 * fails with GTASKLET_ERROR_MISUSE); a WaitForProcess on a process that is not a child fails
 * with an error; a WaitForIO on a closed descriptor fires with G_IO_NVAL. Every wait has a
 * deadline; nothing sleeps. */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"

#define DEADLINE_MS 10000

/* Waits for the tasklet in its data, which is itself. */
static gboolean
wait_for_self_step (GtaskletTasklet  *self,
                    GObject          *event,
                    gpointer          user_data,
                    GError          **error)
{
  g_autoptr (GtaskletWaitCondition) me = gtasklet_wait_for_tasklet_new (self);

  if (event != NULL)
    g_error ("the wait for itself fired");
  gtasklet_tasklet_wait (self, me);
  return TRUE;
}

static void
test_wait_for_self (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (wait_for_self_step, NULL, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "GtaskletTasklet * waits for itself to finish (a "
                         "GtaskletWaitForTasklet on its own tasklet): that wait could never end");
  gtasklet_tasklet_start (t);
  g_test_assert_expected_messages ();
  test_wait_finished (t, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
}

static void
check_names_nothing (GtaskletWaitCondition *condition)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "GtaskletTasklet * waits on a GtaskletWaitForMessages that names no "
                         "message to accept, defer or discard: that wait could never end");
  test_assert_wait_fails (condition, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_test_assert_expected_messages ();
}

static void
test_messages_naming_nothing (void)
{
  static const char * const none[] = { NULL };
  g_autoptr (GtaskletWaitCondition) null_lists = gtasklet_wait_for_messages_new (NULL, NULL, NULL);
  g_autoptr (GtaskletWaitCondition) empty_lists = gtasklet_wait_for_messages_new (none, none, none);
  g_autoptr (GtaskletWaitCondition) from_properties =
    g_object_new (GTASKLET_TYPE_WAIT_FOR_MESSAGES, NULL);
  g_autoptr (GtaskletWaitCondition) one_name =
    gtasklet_wait_for_messages_new (NULL, NULL, TEST_NAMES ("noise"));
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, one_name, NULL);

  check_names_nothing (null_lists);
  check_names_nothing (empty_lists);
  check_names_nothing (from_properties);

  /* One name in any list is a wait that can end (here, never mind that it only discards). */
  gtasklet_tasklet_start (t);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, DEADLINE_MS);
  test_assert_cancelled (t);
}

/* Processes */

static void
test_process_not_a_child (void)
{
  /* Process 1 is never a child of a test. */
  g_autoptr (GtaskletWaitCondition) init = gtasklet_wait_for_process_new (1);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, init, NULL);
  const GError *error;

  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  error = gtasklet_tasklet_get_error (t);
  g_assert_error (error, G_IO_ERROR, (int) g_io_error_from_errno (ECHILD));
  g_assert_nonnull (strstr (error->message, "process 1"));
}

static void
test_process_reaped_elsewhere (void)
{
  g_autoptr (GtaskletWaitCondition) condition = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (3);
  g_assert_cmpint (pid, >, 0);
  /* Someone else reaps it first: nothing is left to wait for. */
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  condition = gtasklet_wait_for_process_new (pid);
  t = gtasklet_tasklet_new (test_wait_once_step, condition, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, (int) g_io_error_from_errno (ECHILD));
}

/* A child that exited and was not reaped yet is still waited for: it fires. */
static void
test_process_exited_unreaped (void)
{
  g_autoptr (GtaskletWaitCondition) condition = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  siginfo_t info = { 0 };
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (3);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (waitid (P_PID, pid, &info, WEXITED | WNOWAIT), ==, 0);

  condition = gtasklet_wait_for_process_new (pid);
  t = gtasklet_tasklet_new (test_wait_once_step, condition, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_no_error (gtasklet_tasklet_get_error (t));
  status = gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (condition));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 3);
}

/* Descriptors */

typedef struct
{
  GtaskletWaitCondition *condition;
  GIOCondition           occurred;
  gboolean               woke;
} IOWait;

static gboolean
io_wait_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  IOWait *w = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (self, w->condition);
      return TRUE;
    }
  w->woke = TRUE;
  w->occurred = gtasklet_wait_for_io_get_condition (GTASKLET_WAIT_FOR_IO (event));
  return TRUE;
}

static void
test_io_closed_descriptor (void)
{
  int fds[2];
  int closed;
  IOWait w = { NULL };
  g_autoptr (GtaskletTasklet) t = NULL;

  /* A descriptor number nothing else will take meanwhile: above every one in use. */
  g_assert_cmpint (pipe (fds), ==, 0);
  closed = fcntl (fds[0], F_DUPFD, 500);
  g_assert_cmpint (closed, >=, 500);
  g_assert_cmpint (close (closed), ==, 0);

  w.condition = gtasklet_wait_for_io_new (closed, G_IO_IN);
  t = gtasklet_tasklet_new (io_wait_step, &w, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_true (w.woke);
  g_assert_cmpuint (w.occurred & G_IO_NVAL, ==, G_IO_NVAL);
  g_assert_cmpuint (w.occurred & G_IO_IN, ==, 0);

  g_object_unref (w.condition);
  close (fds[0]);
  close (fds[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/no-silent-hangs/wait-for-self", test_wait_for_self);
  g_test_add_func ("/gtasklet/no-silent-hangs/messages-naming-nothing",
                   test_messages_naming_nothing);
  g_test_add_func ("/gtasklet/no-silent-hangs/process-not-a-child", test_process_not_a_child);
  g_test_add_func ("/gtasklet/no-silent-hangs/process-reaped-elsewhere",
                   test_process_reaped_elsewhere);
  g_test_add_func ("/gtasklet/no-silent-hangs/process-exited-unreaped",
                   test_process_exited_unreaped);
  g_test_add_func ("/gtasklet/no-silent-hangs/io-closed-descriptor", test_io_closed_descriptor);

  return g_test_run ();
}

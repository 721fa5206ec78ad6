/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Regression tests for the defects of the core that the rewrite fixes, written against the
 * intended behaviour before the fix (part 1: lifetimes of async conditions, the owner of a
 * context, when a fired step runs, disposing a suspended tasklet, misuse and badly built
 * conditions). Every body runs in a subprocess, see core-defects-util.h. */

#include "core-defects-util.h"

/* 1. async-uaf */

/* GIO keeps the condition only as the plain user_data pointer of the operation, so when the
 * step that started the operation fails, nothing but the condition itself may keep it alive
 * until the operation completes. */

static gboolean async_operation_done;

/* Completes the condition exactly as gtasklet_wait_for_async_callback() would (it calls it),
 * then tells the test the operation is over: the test checks the condition's lifetime only
 * after GIO has used the pointer, so that memcheck sees the stale read on the old core. */
static void
relay_to_condition (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gtasklet_wait_for_async_callback (source, result, user_data);
  async_operation_done = TRUE;
}

typedef struct
{
  GFile    *file;
  gboolean  condition_gone;
} Loader;

static gboolean
load_then_fail_step (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  Loader *l = user_data;
  g_autoptr (GtaskletWaitCondition) load = gtasklet_wait_for_async_new ();

  defect_watch_finalize (load, &l->condition_gone);
  g_file_load_contents_async (l->file, NULL, relay_to_condition, load);
  gtasklet_tasklet_wait (tasklet, load);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "a later synchronous check failed");
  return FALSE;
}

static void
test_async_uaf (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileIOStream) stream = NULL;
  g_autoptr (GFile) file = g_file_new_tmp ("gtasklet-async-uaf-XXXXXX", &stream, &error);
  Loader l = { file, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (load_then_fail_step, &l, NULL);
  gboolean gone_right_after_start;

  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (stream)),
                                            "contents", 8, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_io_stream_close (G_IO_STREAM (stream), NULL, &error));

  gtasklet_tasklet_start (t);
  gone_right_after_start = l.condition_gone;
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (gtasklet_tasklet_get_error (t)->message, ==, "a later synchronous check failed");

  test_wait_until (async_operation_done, defect_deadline_ms ());
  /* The operation still held the pointer when the tasklet failed. */
  g_assert_false (gone_right_after_start);
  /* Once it completed, nothing keeps the condition any more. */
  test_wait_until (l.condition_gone, defect_deadline_ms ());

  g_file_delete (file, NULL, NULL);
}

/* 2. owner-livelock */

/* A context's owner is the thread that iterates it. The old core made the first thread that
 * started a tasklet on a context its owner: every later fire on the iterating thread was
 * posted to that "owner", which was the iterating thread's own queue again, forever. */

typedef struct
{
  GtaskletTasklet *tasklet;
  GMutex           lock;
  GCond            cond;
  gboolean         started;
  gboolean         may_exit;
} StartingThread;

static gpointer
start_on_global_default (gpointer data)
{
  StartingThread *s = data;

  /* No thread-default context here: the tasklet goes to the global default context, which
   * the main thread iterates. */
  g_assert_null (g_main_context_get_thread_default ());
  gtasklet_tasklet_start (s->tasklet);

  g_mutex_lock (&s->lock);
  s->started = TRUE;
  g_cond_signal (&s->cond);
  while (!s->may_exit)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  return NULL;
}

static void
starting_thread_release (StartingThread *s)
{
  g_mutex_lock (&s->lock);
  s->may_exit = TRUE;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
starting_thread_wait_started (StartingThread *s)
{
  g_mutex_lock (&s->lock);
  while (!s->started)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
}

static void
test_owner_worker_started_first (void)
{
  StartingThread s = { defect_sleeper_new (60000) };
  g_autoptr (GtaskletTasklet) main_tasklet = defect_sleeper_new (10);
  GThread *thread;

  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  thread = g_thread_new ("starts-first", start_on_global_default, &s);
  starting_thread_wait_started (&s);
  g_assert_cmpint (gtasklet_tasklet_get_state (s.tasklet), ==, GTASKLET_STATE_SUSPENDED);

  gtasklet_tasklet_start (main_tasklet);
  test_wait_finished (main_tasklet, 5000);
  g_assert_no_error (gtasklet_tasklet_get_error (main_tasklet));

  starting_thread_release (&s);
  g_thread_join (thread);
  /* Its steps run where its context is iterated: here. */
  defect_cancel_and_wait (s.tasklet);
  g_assert_error (gtasklet_tasklet_get_error (s.tasklet), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (s.tasklet);
  g_mutex_clear (&s.lock);
  g_cond_clear (&s.cond);
}

static void
test_owner_worker_exited (void)
{
  StartingThread s = { gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL) };
  g_autoptr (GtaskletTasklet) main_tasklet = defect_sleeper_new (10);

  /* Touch the library on this thread first, so that the state it keeps for the worker thread
   * cannot be recycled for this one after the worker exits (which would hide the defect by
   * luck on the old core). */
  g_assert_null (gtasklet_tasklet_get_current ());

  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  s.may_exit = TRUE;
  g_thread_join (g_thread_new ("started-and-exited", start_on_global_default, &s));
  /* Its first step ran on the worker if nobody had run the default context yet, or runs here
   * when this thread iterates it (this thread ran it before, in an earlier test). */

  /* The worker's tasklet is still referenced here, as callers commonly do. */
  gtasklet_tasklet_start (main_tasklet);
  test_wait_finished (main_tasklet, 5000);
  g_assert_no_error (gtasklet_tasklet_get_error (main_tasklet));
  test_wait_finished (s.tasklet, 5000);
  g_assert_no_error (gtasklet_tasklet_get_error (s.tasklet));

  g_object_unref (s.tasklet);
  g_mutex_clear (&s.lock);
  g_cond_clear (&s.cond);
}

/* 4. run-now-by-context */

/* fire() runs the step inline only when a source of the tasklet's own context is being
 * dispatched on this thread and no step is on the stack (the rule of g_task_return ()); else
 * the step runs later, from the tasklet's context. */

typedef struct
{
  GtaskletWaitCondition *condition;
  Waiter                *waiter;
  guint                  steps_when_fire_returned;
  gboolean               fired;
} Firer;

static gboolean
fire_from_source (gpointer data)
{
  Firer *f = data;

  gtasklet_wait_condition_fire (f->condition);
  f->steps_when_fire_returned = f->waiter->n_steps;
  f->fired = TRUE;
  return G_SOURCE_REMOVE;
}

static GtaskletTasklet *
start_manual_waiter (Firer *f)
{
  GtaskletTasklet *t;

  f->condition = test_manual_condition_new ();
  t = defect_waiter_new (g_object_ref (f->condition), &f->waiter);
  gtasklet_tasklet_start (t);
  g_assert_cmpuint (f->waiter->n_steps, ==, 1);
  return t;
}

static void
test_run_now_other_context (void)
{
  Firer f = { NULL };
  g_autoptr (GtaskletTasklet) t = start_manual_waiter (&f);
  g_autoptr (GMainContext) other = g_main_context_new ();
  g_autoptr (GSource) source = g_idle_source_new ();

  /* Dispatched on the tasklet's thread, but by another context than the tasklet's. */
  g_source_set_callback (source, fire_from_source, &f, NULL);
  g_source_attach (source, other);
  while (!f.fired)
    g_main_context_iteration (other, TRUE);

  g_assert_cmpuint (f.steps_when_fire_returned, ==, 1);
  g_assert_cmpuint (f.waiter->n_steps, ==, 1);
  test_wait_finished (t, defect_deadline_ms ());
  g_assert_cmpuint (f.waiter->n_steps, ==, 2);
  g_assert_true (f.waiter->event == G_OBJECT (f.condition));

  g_object_unref (f.condition);
}

static void
test_run_now_no_source (void)
{
  Firer f = { NULL };
  g_autoptr (GtaskletTasklet) t = start_manual_waiter (&f);

  /* Straight from the test: no source is being dispatched at all. */
  gtasklet_wait_condition_fire (f.condition);
  g_assert_cmpuint (f.waiter->n_steps, ==, 1);

  test_wait_finished (t, defect_deadline_ms ());
  g_assert_cmpuint (f.waiter->n_steps, ==, 2);
  g_assert_true (f.waiter->event == G_OBJECT (f.condition));

  g_object_unref (f.condition);
}

static void
test_run_now_own_context (void)
{
  Firer f = { NULL };
  g_autoptr (GtaskletTasklet) t = start_manual_waiter (&f);

  /* The control: from a source of the tasklet's own context, the step runs inside fire(). */
  g_idle_add (fire_from_source, &f);
  test_wait_until (f.fired, defect_deadline_ms ());
  g_assert_cmpuint (f.steps_when_fire_returned, ==, 2);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  g_object_unref (f.condition);
}

/* 5. run-dispose-suspended */

static void
test_run_dispose_suspended (void)
{
  GtaskletWaitCondition *timeout = gtasklet_wait_for_timeout_new (60000);
  GtaskletTasklet *t = defect_waiter_new (g_object_ref (timeout), NULL);
  gboolean finalized;

  gtasklet_tasklet_start (t);
  g_assert_true (gtasklet_wait_condition_is_armed (timeout));
  defect_watch_finalize (t, &finalized);

  /* What a binding's garbage collector or a container's destroy may do. */
  g_object_run_dispose (G_OBJECT (t));

  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (gtasklet_wait_condition_is_armed (timeout));
  g_assert_false (finalized);

  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_object_unref (timeout);
}

/* 6. misuse-fails */

/* A step that misuses gtasklet_tasklet_wait(): waits on @first (NULL, or a condition armed for
 * another tasklet), then on @then if set, and returns TRUE as if all went well. */
typedef struct
{
  GtaskletWaitCondition *first;
  GtaskletWaitCondition *then;
} Misuse;

static gboolean
misuse_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Misuse *m = user_data;

  if (event != NULL)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, m->first);
  if (m->then != NULL)
    gtasklet_tasklet_wait (tasklet, m->then);
  return TRUE;
}

static void
check_misuse_fails (Misuse *m)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (misuse_step, m, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*");
  gtasklet_tasklet_start (t);
  g_test_assert_expected_messages ();

  test_wait_finished (t, defect_deadline_ms ());
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
}

static void
test_misuse_wait_null (void)
{
  Misuse m = { NULL, NULL };

  /* The step added nothing valid and returned TRUE: not a normal finish. */
  check_misuse_fails (&m);
}

static void
test_misuse_wait_null_then_valid (void)
{
  Misuse m = { NULL, test_manual_condition_new () };

  /* A valid condition after the misuse does not hide it: no silent wait either. */
  check_misuse_fails (&m);
  g_assert_false (gtasklet_wait_condition_is_armed (m.then));
  g_object_unref (m.then);
}

static void
test_misuse_condition_of_another (void)
{
  Waiter *wa;
  GtaskletWaitCondition *c = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) a = defect_waiter_new (g_object_ref (c), &wa);
  Misuse m = { c, NULL };

  gtasklet_tasklet_start (a);
  check_misuse_fails (&m);

  /* The rightful waiter is untouched. */
  g_assert_true (gtasklet_wait_condition_get_tasklet (c) == a);
  gtasklet_wait_condition_fire (c);
  test_wait_finished (a, defect_deadline_ms ());
  g_assert_no_error (gtasklet_tasklet_get_error (a));
  g_assert_true (wa->event == G_OBJECT (c));
  g_object_unref (c);
}

static void
test_misuse_wait_outside_step (void)
{
  g_autoptr (GtaskletTasklet) t = defect_sleeper_new (60000);
  g_autoptr (GtaskletWaitCondition) c = test_manual_condition_new ();

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);

  /* From the test, while the tasklet is suspended: not its step. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*");
  gtasklet_tasklet_wait (t, c);
  g_test_assert_expected_messages ();

  test_wait_finished (t, defect_deadline_ms ());
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_assert_false (gtasklet_wait_condition_is_armed (c));
}

/* 7. bad-condition-fails */

/* A badly built condition is reported once, in plain words (when it is built, or when it is
 * first armed), and its waiter fails instead of hanging. */
static void
check_bad_condition (GtaskletWaitCondition *(*build) (void),
                     const char             *critical)
{
  GtaskletWaitCondition *condition;
  g_autoptr (GtaskletTasklet) t = NULL;
  Waiter *w;

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, critical);

  condition = build ();
  /* Constructors never return NULL: bindings could not tell that from an object. */
  g_assert_nonnull (condition);
  g_assert_true (GTASKLET_IS_WAIT_CONDITION (condition));

  t = defect_waiter_new (condition, &w);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, defect_deadline_ms ());

  g_test_assert_expected_messages ();
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_assert_cmpstr (gtasklet_tasklet_get_error (t)->message, !=, "");
  /* Failed, never woken. */
  g_assert_cmpuint (w->n_steps, ==, 1);
}

static GtaskletWaitCondition *
build_io_negative_fd (void)
{
  return gtasklet_wait_for_io_new (-1, G_IO_IN);
}

static GtaskletWaitCondition *
build_io_nothing_to_watch (void)
{
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_IO, NULL);
}

static GtaskletWaitCondition *
build_process_pid_zero (void)
{
  return gtasklet_wait_for_process_new (0);
}

static GtaskletWaitCondition *
build_process_pid_negative (void)
{
  return gtasklet_wait_for_process_new (-5);
}

/* Kept alive for the whole test: its finalization would be an event of its own. */
static GObject *signal_owner;

static GtaskletWaitCondition *
build_signal_unknown (void)
{
  return gtasklet_wait_for_signal_new (signal_owner, "no-such-signal");
}

static GtaskletWaitCondition *
build_signal_no_object (void)
{
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_SIGNAL, NULL);
}

static GtaskletWaitCondition *
build_tasklet_no_tasklet (void)
{
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_TASKLET, NULL);
}

static void
test_bad_io_negative_fd (void)
{
  check_bad_condition (build_io_negative_fd,
                       "GtaskletWaitForIO was given nothing to watch: no file descriptor (fd -1)*");
}

static void
test_bad_io_nothing_to_watch (void)
{
  check_bad_condition (build_io_nothing_to_watch,
                       "GtaskletWaitForIO was given nothing to watch*");
}

static void
test_bad_process_pid_zero (void)
{
  check_bad_condition (build_process_pid_zero,
                       "GtaskletWaitForProcess was given 0, which is not the pid of a child process");
}

static void
test_bad_process_pid_negative (void)
{
  check_bad_condition (build_process_pid_negative,
                       "GtaskletWaitForProcess was given -5, which is not the pid of a child process");
}

static void
test_bad_signal_unknown (void)
{
  signal_owner = g_object_new (G_TYPE_OBJECT, NULL);
  check_bad_condition (build_signal_unknown,
                       "no signal 'no-such-signal' on *");
  g_clear_object (&signal_owner);
}

static void
test_bad_signal_no_object (void)
{
  check_bad_condition (build_signal_no_object,
                       "GtaskletWaitForSignal was given no object to watch*");
}

static void
test_bad_tasklet_no_tasklet (void)
{
  check_bad_condition (build_tasklet_no_tasklet,
                       "GtaskletWaitForTasklet was given no tasklet to wait for*");
}

/* gtasklet_wait_condition_fail(): the way for a condition to fail its wait. */

#define TEST_DEFECT_ERROR (g_quark_from_static_string ("test-core-defects-error"))

/* A condition that cannot be armed: it fails its tasklet from arm(). */
#define TEST_TYPE_REFUSING_CONDITION (test_refusing_condition_get_type ())
G_DECLARE_FINAL_TYPE (TestRefusingCondition, test_refusing_condition, TEST, REFUSING_CONDITION,
                      GtaskletWaitCondition)

struct _TestRefusingCondition
{
  GtaskletWaitCondition parent_instance;
};

G_DEFINE_FINAL_TYPE (TestRefusingCondition, test_refusing_condition, GTASKLET_TYPE_WAIT_CONDITION)

static void
test_refusing_condition_arm (GtaskletWaitCondition *condition,
                             GtaskletTasklet       *tasklet)
{
  g_autoptr (GError) error = g_error_new_literal (TEST_DEFECT_ERROR, 7, "refused when armed");

  gtasklet_wait_condition_fail (condition, error);
}

static void
test_refusing_condition_class_init (TestRefusingConditionClass *klass)
{
  GTASKLET_WAIT_CONDITION_CLASS (klass)->arm = test_refusing_condition_arm;
}

static void
test_refusing_condition_init (TestRefusingCondition *self)
{
}

static void
test_fail_in_arm (void)
{
  Waiter *w;
  g_autoptr (GtaskletTasklet) t =
    defect_waiter_new (g_object_new (TEST_TYPE_REFUSING_CONDITION, NULL), &w);

  gtasklet_tasklet_start (t);
  test_wait_finished (t, defect_deadline_ms ());
  g_assert_error (gtasklet_tasklet_get_error (t), TEST_DEFECT_ERROR, 7);
  g_assert_cmpstr (gtasklet_tasklet_get_error (t)->message, ==, "refused when armed");
  g_assert_cmpuint (w->n_steps, ==, 1);
}

static gpointer
fail_from_thread (gpointer data)
{
  g_autoptr (GError) error = g_error_new_literal (TEST_DEFECT_ERROR, 8, "failed elsewhere");

  gtasklet_wait_condition_fail (data, error);
  return NULL;
}

static void
test_fail_from_thread (void)
{
  Waiter *w;
  GtaskletWaitCondition *c = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = defect_waiter_new (g_object_ref (c), &w);

  gtasklet_tasklet_start (t);
  g_thread_join (g_thread_new ("fails", fail_from_thread, c));
  test_wait_finished (t, defect_deadline_ms ());
  g_assert_error (gtasklet_tasklet_get_error (t), TEST_DEFECT_ERROR, 8);
  g_assert_cmpstr (gtasklet_tasklet_get_error (t)->message, ==, "failed elsewhere");
  g_assert_cmpuint (w->n_steps, ==, 1);
  g_assert_false (gtasklet_wait_condition_is_armed (c));
  g_object_unref (c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  defect_add ("/gtasklet/core-defects/async-uaf", test_async_uaf);
  defect_add ("/gtasklet/core-defects/owner-livelock/worker-started-first",
              test_owner_worker_started_first);
  defect_add ("/gtasklet/core-defects/owner-livelock/worker-exited", test_owner_worker_exited);
  defect_add ("/gtasklet/core-defects/run-now-by-context/other-context",
              test_run_now_other_context);
  defect_add ("/gtasklet/core-defects/run-now-by-context/no-source", test_run_now_no_source);
  defect_add ("/gtasklet/core-defects/run-now-by-context/own-context", test_run_now_own_context);
  defect_add ("/gtasklet/core-defects/run-dispose-suspended", test_run_dispose_suspended);
  defect_add ("/gtasklet/core-defects/misuse-fails/wait-null", test_misuse_wait_null);
  defect_add ("/gtasklet/core-defects/misuse-fails/wait-null-then-valid",
              test_misuse_wait_null_then_valid);
  defect_add ("/gtasklet/core-defects/misuse-fails/condition-of-another",
              test_misuse_condition_of_another);
  defect_add ("/gtasklet/core-defects/misuse-fails/wait-outside-step",
              test_misuse_wait_outside_step);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/io-negative-fd",
              test_bad_io_negative_fd);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/io-nothing-to-watch",
              test_bad_io_nothing_to_watch);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/process-pid-zero",
              test_bad_process_pid_zero);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/process-pid-negative",
              test_bad_process_pid_negative);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/signal-unknown",
              test_bad_signal_unknown);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/signal-no-object",
              test_bad_signal_no_object);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/tasklet-no-tasklet",
              test_bad_tasklet_no_tasklet);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/fail-in-arm", test_fail_in_arm);
  defect_add ("/gtasklet/core-defects/bad-condition-fails/fail-from-thread",
              test_fail_from_thread);

  return g_test_run ();
}

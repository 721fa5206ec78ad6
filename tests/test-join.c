/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

typedef struct
{
  GtaskletWaitCondition *condition;  /* waited on until fired, then the step finishes */
  int                    result;      /* returned if > 0 */
  gboolean               fail;
} Worker;

static gboolean
worker_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Worker *w = user_data;

  if (event == NULL && w->condition != NULL)
    {
      gtasklet_tasklet_wait (tasklet, w->condition);
      return TRUE;
    }
  if (w->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "denied");
      return FALSE;
    }
  if (w->result > 0)
    {
      g_auto (GValue) v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_INT);
      g_value_set_int (&v, w->result);
      gtasklet_tasklet_return_value (tasklet, &v);
    }
  return TRUE;
}

typedef struct
{
  gboolean      done;
  int           value;
  gboolean      had_value;
  GError       *error;
  GMainContext *context;
  GObject      *source;
} Joined;

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Joined *j = user_data;
  const GValue *v = gtasklet_tasklet_join_finish (GTASKLET_TASKLET (source), result, &j->error);

  j->had_value = v != NULL;
  if (v != NULL)
    j->value = g_value_get_int (v);
  j->context = g_main_context_get_thread_default ();
  j->source = source;
  g_assert_true (g_async_result_is_tagged (result, gtasklet_tasklet_join_async));
  j->done = TRUE;
}

static void
test_join_before_finish (void)
{
  Worker w = { test_manual_condition_new (), 42, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  test_drain ();
  g_assert_false (j.done);

  gtasklet_wait_condition_fire (w.condition);
  test_wait_until (j.done, 5000);
  g_assert_no_error (j.error);
  g_assert_true (j.had_value);
  g_assert_cmpint (j.value, ==, 42);
  g_assert_true (j.source == G_OBJECT (t));
  g_object_unref (w.condition);
}

static void
test_join_after_finish (void)
{
  Worker w = { NULL, 7, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  /* Completes from the main loop, never inside the call. */
  g_assert_false (j.done);
  test_wait_until (j.done, 5000);
  g_assert_cmpint (j.value, ==, 7);
}

static void
test_join_no_result (void)
{
  Worker w = { NULL, 0, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  test_wait_until (j.done, 5000);
  g_assert_no_error (j.error);
  g_assert_false (j.had_value);
}

static void
test_join_error (void)
{
  Worker w = { test_manual_condition_new (), 0, TRUE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  gtasklet_wait_condition_fire (w.condition);
  test_wait_until (j.done, 5000);
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_false (j.had_value);
  g_clear_error (&j.error);
  g_object_unref (w.condition);
}

static void
test_join_cancelled_keeps_tasklet (void)
{
  Worker w = { test_manual_condition_new (), 5, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GCancellable) join_cancellable = g_cancellable_new ();
  Joined first = { 0 }, second = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, join_cancellable, on_joined, &first);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &second);
  g_cancellable_cancel (join_cancellable);
  test_wait_until (first.done, 5000);

  /* Only the join was cancelled. */
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&first.error);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_false (second.done);

  gtasklet_wait_condition_fire (w.condition);
  test_wait_until (second.done, 5000);
  g_assert_cmpint (second.value, ==, 5);
  g_object_unref (w.condition);
}

static void
test_join_cancelled_tasklet (void)
{
  Worker w = { test_manual_condition_new (), 5, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  gtasklet_tasklet_cancel (t);
  test_wait_until (j.done, 5000);
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&j.error);
  g_object_unref (w.condition);
}

static void
test_join_already_cancelled (void)
{
  Worker w = { test_manual_condition_new (), 5, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  Joined j = { 0 };

  g_cancellable_cancel (cancelled);
  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, cancelled, on_joined, &j);
  test_wait_until (j.done, 5000);
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&j.error);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);

  gtasklet_wait_condition_fire (w.condition);
  test_drain ();
  g_object_unref (w.condition);
}

typedef struct
{
  GMainContext *context;
  Joined        joined;
} OtherContext;

static void
test_join_in_callers_context (void)
{
  Worker w = { test_manual_condition_new (), 9, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GMainContext) other = g_main_context_new ();
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  /* The join is asked for with another thread-default context: it completes there. */
  g_main_context_push_thread_default (other);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  g_main_context_pop_thread_default (other);

  gtasklet_wait_condition_fire (w.condition);
  test_drain ();
  g_assert_false (j.done);
  while (!j.done)
    g_main_context_iteration (other, TRUE);
  g_assert_true (j.context == other);
  g_assert_cmpint (j.value, ==, 9);
  g_object_unref (w.condition);
}

static void
test_join_dropped_tasklet (void)
{
  Worker w = { test_manual_condition_new (), 3, FALSE };
  GtaskletTasklet *t = gtasklet_tasklet_new (worker_step, &w, NULL);
  Joined j = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  g_object_unref (t);
  gtasklet_wait_condition_fire (w.condition);
  test_wait_until (j.done, 5000);
  g_assert_cmpint (j.value, ==, 3);
  g_object_unref (w.condition);
}

typedef struct
{
  gboolean  done;
  GValue   *value;
  GError   *error;
} JoinedDup;

static void
on_joined_dup (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  JoinedDup *j = user_data;

  j->value = gtasklet_tasklet_join_finish_dup (GTASKLET_TASKLET (source), result, &j->error);
  j->done = TRUE;
}

/* The copy outlives a tasklet that nothing else referenced: the defect of bindings that
 * kept join_finish()'s value (issue "The core rebuilt", defect 13). */
static void
test_join_dup_outlives_tasklet (void)
{
  GtaskletTasklet *t = gtasklet_tasklet_new (test_return_string_step, (gpointer) "kept", NULL);
  JoinedDup j = { 0 };

  g_object_add_weak_pointer (G_OBJECT (t), (gpointer *) &t);
  gtasklet_tasklet_start (t);
  gtasklet_tasklet_join_async (t, NULL, on_joined_dup, &j);
  g_object_unref (t);
  test_wait_until (j.done, 5000);
  test_drain ();
  g_assert_null (t);
  g_assert_no_error (j.error);
  g_assert_nonnull (j.value);
  g_assert_cmpstr (g_value_get_string (j.value), ==, "kept");
  g_boxed_free (G_TYPE_VALUE, j.value);
}

static void
test_join_dup_no_result_and_error (void)
{
  Worker none = { NULL, 0, FALSE }, failing = { NULL, 0, TRUE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &none, NULL);
  g_autoptr (GtaskletTasklet) f = gtasklet_tasklet_new (worker_step, &failing, NULL);
  JoinedDup j = { 0 }, k = { 0 };

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (f);
  gtasklet_tasklet_join_async (t, NULL, on_joined_dup, &j);
  gtasklet_tasklet_join_async (f, NULL, on_joined_dup, &k);
  test_wait_until (j.done, 5000);
  test_wait_until (k.done, 5000);
  g_assert_no_error (j.error);
  g_assert_null (j.value);
  g_assert_error (k.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_null (k.value);
  g_clear_error (&k.error);
}

static void
test_join_programmer_errors (void)
{
  Worker w = { NULL, 1, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GtaskletTasklet) other = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GTask) foreign = g_task_new (other, NULL, NULL, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*GTASKLET_IS_TASKLET*failed*");
  gtasklet_tasklet_join_async (NULL, NULL, NULL, NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*GTASKLET_IS_JOIN_RESULT*failed*");
  g_assert_null (gtasklet_tasklet_join_finish (t, G_ASYNC_RESULT (foreign), NULL));
  g_test_assert_expected_messages ();

  g_task_return_boolean (foreign, TRUE);
}

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* A join result given to the wrong tasklet, and a GTask body for a tasklet already started:
 * criticals that say what was wrong. */
static void
test_join_misuse_in_words (void)
{
  g_autoptr (GtaskletTasklet) done = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autoptr (GtaskletTasklet) other = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GTask) task = NULL;
  g_autofree char *expected = NULL;

  gtasklet_tasklet_start (done);
  gtasklet_tasklet_join_async (done, NULL, keep_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  expected = g_strdup_printf ("gtasklet_tasklet_join_finish(): the result given is that of "
                              "joining GtaskletTasklet %p, not GtaskletTasklet %p: call "
                              "join_finish on the tasklet that join_async was called on",
                              done, other);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, expected);
  g_assert_null (gtasklet_tasklet_join_finish (other, result, NULL));
  g_test_assert_expected_messages ();

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_start_with_task(): GtaskletTasklet * has already been "
                         "started; a tasklet can be the body of a GTask only from its start");
  gtasklet_tasklet_start_with_task (done, task);
  g_test_assert_expected_messages ();
  g_task_return_boolean (task, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/join/before-finish", test_join_before_finish);
  g_test_add_func ("/gtasklet/join/misuse-in-words", test_join_misuse_in_words);
  g_test_add_func ("/gtasklet/join/after-finish", test_join_after_finish);
  g_test_add_func ("/gtasklet/join/no-result", test_join_no_result);
  g_test_add_func ("/gtasklet/join/error", test_join_error);
  g_test_add_func ("/gtasklet/join/cancelled-join-keeps-tasklet", test_join_cancelled_keeps_tasklet);
  g_test_add_func ("/gtasklet/join/cancelled-tasklet", test_join_cancelled_tasklet);
  g_test_add_func ("/gtasklet/join/already-cancelled", test_join_already_cancelled);
  g_test_add_func ("/gtasklet/join/in-callers-context", test_join_in_callers_context);
  g_test_add_func ("/gtasklet/join/dropped-tasklet", test_join_dropped_tasklet);
  g_test_add_func ("/gtasklet/join/dup-outlives-tasklet", test_join_dup_outlives_tasklet);
  g_test_add_func ("/gtasklet/join/dup-no-result-and-error", test_join_dup_no_result_and_error);
  g_test_add_func ("/gtasklet/join/programmer-errors", test_join_programmer_errors);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

typedef struct
{
  GtaskletWaitCondition *condition;       /* waited on every step */
  GtaskletWaitCondition *on_cancel;       /* optional WaitForCancellable */
  guint                  n_steps;
  GObject               *last_event;
  gboolean               keep_going;      /* after on_cancel fired, wait on condition again */
  gboolean               finish_with_value;
  gboolean               finish_on_next;  /* next step finishes without waiting */
} Victim;

static gboolean
victim_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Victim *v = user_data;

  v->n_steps++;
  v->last_event = event;

  if (v->finish_on_next)
    return TRUE;

  if (event != NULL && event == (GObject *) v->on_cancel)
    {
      if (v->finish_with_value)
        {
          g_auto (GValue) value = G_VALUE_INIT;

          g_value_init (&value, G_TYPE_STRING);
          g_value_set_string (&value, "cleaned up");
          gtasklet_tasklet_return_value (tasklet, &value);
          return TRUE;
        }
      if (!v->keep_going)
        return TRUE;
      gtasklet_tasklet_wait (tasklet, v->condition);
      return TRUE;
    }

  gtasklet_tasklet_wait (tasklet, v->condition);
  if (v->on_cancel != NULL)
    gtasklet_tasklet_wait (tasklet, v->on_cancel);
  return TRUE;
}

static void
test_cancel_while_waiting (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);
  static const char * const accept[] = { "never", NULL };
  g_autoptr (GtaskletWaitCondition) inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_send (t, "unnamed", NULL);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);
  g_assert_true (c->armed);

  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, 5000);

  test_assert_cancelled (t);
  g_assert_cmpuint (v.n_steps, ==, 1);
  /* Its conditions were disarmed and its mailbox released. */
  g_assert_false (c->armed);
  g_assert_cmpuint (c->n_disarms, ==, 1);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  g_assert_true (g_cancellable_is_cancelled (gtasklet_tasklet_get_cancellable (t)));
  g_object_unref (c);
}

static void
test_cancellable_property (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GtaskletTasklet) by_property = NULL;
  g_autoptr (GtaskletTasklet) lazy = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  GCancellable *read_back = NULL;

  /* The construct property is what bindings and subclasses use. */
  by_property = g_object_new (GTASKLET_TYPE_TASKLET, "cancellable", cancellable, NULL);
  g_assert_true (gtasklet_tasklet_get_cancellable (by_property) == cancellable);
  g_object_get (by_property, "cancellable", &read_back, NULL);
  g_assert_true (read_back == cancellable);
  g_object_unref (read_back);

  /* Without one, one is created, and it stays the same. */
  g_assert_true (G_IS_CANCELLABLE (gtasklet_tasklet_get_cancellable (lazy)));
  g_assert_true (gtasklet_tasklet_get_cancellable (lazy) == gtasklet_tasklet_get_cancellable (lazy));
}

static void
test_cancel_group (void)
{
  g_autoptr (GCancellable) group = g_cancellable_new ();
  Victim v[3] = {
    { test_manual_condition_new () },
    { test_manual_condition_new () },
    { test_manual_condition_new () },
  };
  GtaskletTasklet *t[3];

  for (guint i = 0; i < 3; i++)
    {
      t[i] = gtasklet_tasklet_new_full (group, victim_step, &v[i], NULL);
      gtasklet_tasklet_start (t[i]);
      g_assert_true (gtasklet_tasklet_get_cancellable (t[i]) == group);
    }

  g_cancellable_cancel (group);
  for (guint i = 0; i < 3; i++)
    {
      test_wait_finished (t[i], 5000);
      test_assert_cancelled (t[i]);
      g_object_unref (t[i]);
      g_object_unref (v[i].condition);
    }
}

static void
test_cancel_before_start (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);
  gtasklet_tasklet_cancel (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_NEW);

  gtasklet_tasklet_start (t);
  /* Ended when it started, without running a step. */
  test_assert_cancelled (t);
  g_assert_cmpuint (v.n_steps, ==, 0);
  g_assert_cmpuint (c->n_arms, ==, 0);
  g_object_unref (c);
}

static gboolean
self_cancel_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  Victim *v = user_data;

  v->n_steps++;
  /* Cancelled during its own step: the wait set it commits is not armed. */
  gtasklet_tasklet_cancel (tasklet);
  gtasklet_tasklet_wait (tasklet, v->condition);
  return TRUE;
}

static void
test_cancel_during_step (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (self_cancel_step, &v, NULL);

  gtasklet_tasklet_start (t);
  test_assert_cancelled (t);
  g_assert_cmpuint (v.n_steps, ==, 1);
  g_assert_cmpuint (c->n_arms, ==, 0);
  test_drain ();
  g_object_unref (c);
}

static void
test_cancel_finished_does_nothing (void)
{
  g_autoptr (GCancellable) group = g_cancellable_new ();
  g_autoptr (GtaskletTasklet) t =
    gtasklet_tasklet_new_full (group, test_finish_at_once_step, NULL, NULL);

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  gtasklet_tasklet_cancel (t);
  gtasklet_tasklet_cancel (t);
  test_drain ();
  /* Neither its result nor the group's cancellable changed. */
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_false (g_cancellable_is_cancelled (group));
}

static void
test_cancel_twice (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);
  guint n_finished = 0;

  g_signal_connect_swapped (t, "finished", G_CALLBACK (test_count), &n_finished);
  gtasklet_tasklet_start (t);
  gtasklet_tasklet_cancel (t);
  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, 5000);
  test_drain ();
  test_assert_cancelled (t);
  g_assert_cmpuint (n_finished, ==, 1);
  g_object_unref (c);
}

typedef struct
{
  GtaskletTasklet *target;
  gboolean         target_still_suspended;
} Canceller;

static gboolean
canceller_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Canceller *k = user_data;

  gtasklet_tasklet_cancel (k->target);
  /* Never ended inside another tasklet's step. */
  k->target_still_suspended = gtasklet_tasklet_get_state (k->target) == GTASKLET_STATE_SUSPENDED;
  return TRUE;
}

static void
test_cancel_from_other_step (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);
  Canceller k = { t };
  g_autoptr (GtaskletTasklet) canceller = gtasklet_tasklet_new (canceller_step, &k, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (canceller);
  g_assert_true (k.target_still_suspended);
  test_wait_finished (t, 5000);
  test_assert_cancelled (t);
  g_object_unref (c);
}

static void
test_wait_for_own_cancellable_decides (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c), NULL, 0, NULL, FALSE, TRUE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);

  v.on_cancel = gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (t));
  gtasklet_tasklet_start (t);
  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, 5000);

  /* Woken by the condition, it chose to finish with a value. */
  g_assert_true (v.last_event == (GObject *) v.on_cancel);
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_cmpstr (g_value_get_string (gtasklet_tasklet_get_result (t)), ==, "cleaned up");
  g_object_unref (v.on_cancel);
  g_object_unref (c);
}

static void
test_wait_for_own_cancellable_keep_going (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c), NULL, 0, NULL, TRUE, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);
  v.on_cancel = gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (t));
  gtasklet_tasklet_start (t);
  gtasklet_tasklet_cancel (t);
  while (v.n_steps < 2)
    g_main_context_iteration (NULL, TRUE);
  test_drain ();

  /* It chose to keep going (waiting on c only): still alive although cancelled. */
  g_assert_true (v.last_event == (GObject *) v.on_cancel);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (c->armed);

  /* Having been told, it handles the cancellation itself: it goes on, and finishes cleanly. */
  v.finish_on_next = TRUE;
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (c));
  test_drain ();
  g_assert_cmpuint (v.n_steps, ==, 3);
  g_assert_true (v.last_event == (GObject *) c);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_object_unref (v.on_cancel);
  g_object_unref (c);
}

static void
test_wait_for_cancellable_already_cancelled (void)
{
  g_autoptr (GCancellable) other = g_cancellable_new ();
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c), NULL, 0, NULL, FALSE, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);

  /* Any cancellable can be waited on as an ordinary event, and fires at once if cancelled. */
  g_cancellable_cancel (other);
  v.on_cancel = gtasklet_wait_for_cancellable_new (other);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_true (v.last_event == (GObject *) v.on_cancel);
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_true (gtasklet_wait_for_cancellable_get_cancellable (
                   GTASKLET_WAIT_FOR_CANCELLABLE (v.on_cancel)) == other);
  g_object_unref (v.on_cancel);
  g_object_unref (c);
}

static gpointer
cancel_thread (gpointer data)
{
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_from_other_thread (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Victim v = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (victim_step, &v, NULL);

  gtasklet_tasklet_start (t);
  g_thread_join (g_thread_new ("canceller", cancel_thread, gtasklet_tasklet_get_cancellable (t)));
  test_wait_finished (t, 5000);
  test_assert_cancelled (t);
  g_object_unref (c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/cancel/while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/gtasklet/cancel/cancellable-property", test_cancellable_property);
  g_test_add_func ("/gtasklet/cancel/group", test_cancel_group);
  g_test_add_func ("/gtasklet/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/gtasklet/cancel/during-step", test_cancel_during_step);
  g_test_add_func ("/gtasklet/cancel/finished-does-nothing", test_cancel_finished_does_nothing);
  g_test_add_func ("/gtasklet/cancel/twice", test_cancel_twice);
  g_test_add_func ("/gtasklet/cancel/from-other-step", test_cancel_from_other_step);
  g_test_add_func ("/gtasklet/cancel/from-other-thread", test_cancel_from_other_thread);
  g_test_add_func ("/gtasklet/cancel/wait-for-own-cancellable-decides", test_wait_for_own_cancellable_decides);
  g_test_add_func ("/gtasklet/cancel/wait-for-own-cancellable-keep-going", test_wait_for_own_cancellable_keep_going);
  g_test_add_func ("/gtasklet/cancel/wait-for-cancellable-already-cancelled", test_wait_for_cancellable_already_cancelled);

  return g_test_run ();
}

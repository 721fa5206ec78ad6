/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The life of a tasklet and its waits: the first step runs inside start(), results and
 * errors, what keeps a tasklet and its closure alive, wait conditions kept armed or disarmed
 * between steps, and when a fired condition runs the step. Nesting, re-entry, event lifetime
 * and misuse are in test-tasklet-steps.c; scale and threads in test-tasklet-scale.c. */
#include "test-manual-condition.h"
#include "test-util.h"

/* A step function driven by a small record of what happened, shared by many tests. */
typedef struct
{
  guint                  n_steps;
  GObject               *last_event;       /* no reference: compared only */
  GtaskletState          state_in_step;
  GtaskletTasklet       *current_in_step;
  GtaskletWaitCondition *condition;        /* waited on while n_steps < n_waits */
  guint                  n_waits;
  int                    result;           /* returned when > 0 */
} Record;

static gboolean
record_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Record *r = user_data;

  r->n_steps++;
  r->last_event = event;
  r->state_in_step = gtasklet_tasklet_get_state (tasklet);
  r->current_in_step = gtasklet_tasklet_get_current ();

  if (r->n_steps <= r->n_waits)
    {
      gtasklet_tasklet_wait (tasklet, r->condition);
      return TRUE;
    }
  if (r->result > 0)
    {
      g_auto (GValue) v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_INT);
      g_value_set_int (&v, r->result);
      gtasklet_tasklet_return_value (tasklet, &v);
    }
  return TRUE;
}

static void
test_first_step_inside_start (void)
{
  Record r = { 0 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (record_step, &r, NULL);

  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_NEW);
  g_assert_null (gtasklet_tasklet_get_context (t));
  gtasklet_tasklet_start (t);

  g_assert_cmpuint (r.n_steps, ==, 1);
  g_assert_null (r.last_event);
  g_assert_cmpint (r.state_in_step, ==, GTASKLET_STATE_RUNNING);
  g_assert_true (r.current_in_step == t);
  g_assert_null (gtasklet_tasklet_get_current ());
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (gtasklet_tasklet_get_context (t) == g_main_context_default ());
  g_assert_null (gtasklet_tasklet_get_result (t));
  g_assert_null (gtasklet_tasklet_get_error (t));
}

static void
check_result_in_finished (GtaskletTasklet *t,
                          gpointer         data)
{
  const GValue *result = gtasklet_tasklet_get_result (t);

  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_nonnull (result);
  g_assert_cmpint (g_value_get_int (result), ==, 42);
  (*(guint *) data)++;
}

static void
test_return_value (void)
{
  Record r = { .result = 42 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (record_step, &r, NULL);
  guint n_finished = 0;

  g_signal_connect (t, "finished", G_CALLBACK (check_result_in_finished), &n_finished);
  gtasklet_tasklet_start (t);

  g_assert_cmpuint (n_finished, ==, 1);
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (t)), ==, 42);
}

static gboolean
failing_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  g_auto (GValue) v = G_VALUE_INIT;

  /* A result set before failing must not be reported. */
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 1);
  gtasklet_tasklet_return_value (tasklet, &v);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such thing");
  return FALSE;
}

static void
test_fail_with_error (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (failing_step, NULL, NULL);
  guint n_finished = 0;

  g_signal_connect (t, "finished", G_CALLBACK (test_count_signal), &n_finished);
  gtasklet_tasklet_start (t);

  g_assert_cmpuint (n_finished, ==, 1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (gtasklet_tasklet_get_error (t)->message, ==, "no such thing");
  g_assert_null (gtasklet_tasklet_get_result (t));
}

static gboolean
false_without_error_step (GtaskletTasklet  *tasklet,
                          GObject          *event,
                          gpointer          user_data,
                          GError          **error)
{
  return FALSE;
}

static void
test_false_without_error (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (false_without_error_step, NULL, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*step returned FALSE without setting an error*");
  gtasklet_tasklet_start (t);
  g_test_assert_expected_messages ();

  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_FAILED);
}

static void
test_keeps_itself_alive (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Record r = { .condition = GTASKLET_WAIT_CONDITION (c), .n_waits = 1 };
  GtaskletTasklet *t = gtasklet_tasklet_new (record_step, &r, NULL);
  GtaskletTasklet *weak = t;

  g_object_add_weak_pointer (G_OBJECT (t), (gpointer *) &weak);
  gtasklet_tasklet_start (t);
  g_object_unref (t);

  /* Dropped by its creator, it waits on. */
  g_assert_nonnull (weak);
  g_assert_cmpint (gtasklet_tasklet_get_state (weak), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (c->armed);

  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (c));
  test_drain ();

  g_assert_cmpuint (r.n_steps, ==, 2);
  g_assert_null (weak);
  g_assert_false (c->armed);
  g_object_unref (c);
}

static void
test_closure_destroyed_with_tasklet (void)
{
  gboolean destroyed = FALSE;
  GtaskletTasklet *t = gtasklet_tasklet_new (test_finish_at_once_step, &destroyed, test_set_flag);

  gtasklet_tasklet_start (t);
  g_assert_false (destroyed);
  g_object_unref (t);
  g_assert_true (destroyed);

  /* A tasklet never started frees its data too. */
  destroyed = FALSE;
  t = gtasklet_tasklet_new (test_finish_at_once_step, &destroyed, test_set_flag);
  g_object_unref (t);
  g_assert_true (destroyed);
}

static void
test_kept_condition_stays_armed (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Record r = { .condition = GTASKLET_WAIT_CONDITION (c), .n_waits = 3 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (record_step, &r, NULL);

  gtasklet_tasklet_start (t);
  /* Armed before start returned. */
  g_assert_true (c->armed);
  g_assert_cmpuint (c->n_arms, ==, 1);

  for (guint i = 2; i <= 3; i++)
    {
      gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (c));
      test_drain ();
      g_assert_cmpuint (r.n_steps, ==, i);
      g_assert_true (r.last_event == G_OBJECT (c));
      g_assert_cmpuint (c->n_arms, ==, 1);
      g_assert_cmpuint (c->n_disarms, ==, 0);
    }

  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (c));
  test_drain ();
  g_assert_cmpuint (r.n_steps, ==, 4);
  g_assert_cmpuint (c->n_disarms, ==, 1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_object_unref (c);
}

/* Alternates between two conditions: each step waits on the one that did not fire. */
typedef struct
{
  GtaskletWaitCondition *a;
  GtaskletWaitCondition *b;
  guint                  n_steps;
} Alternate;

static gboolean
alternate_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Alternate *s = user_data;

  s->n_steps++;
  if (s->n_steps > 3)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, event == G_OBJECT (s->a) ? s->b : s->a);
  return TRUE;
}

static void
test_dropped_condition_disarmed (void)
{
  Alternate s = { test_manual_condition_new (), test_manual_condition_new (), 0 };
  TestManualCondition *a = TEST_MANUAL_CONDITION (s.a);
  TestManualCondition *b = TEST_MANUAL_CONDITION (s.b);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (alternate_step, &s, NULL);

  gtasklet_tasklet_start (t);
  g_assert_true (a->armed);
  g_assert_false (b->armed);

  gtasklet_wait_condition_fire (s.a);
  test_drain ();
  g_assert_false (a->armed);
  g_assert_true (b->armed);
  g_assert_cmpuint (a->n_disarms, ==, 1);

  /* Firing a condition that is no longer waited on does nothing. */
  gtasklet_wait_condition_fire (s.a);
  test_drain ();
  g_assert_cmpuint (s.n_steps, ==, 2);

  gtasklet_wait_condition_fire (s.b);
  test_drain ();
  g_assert_cmpuint (s.n_steps, ==, 3);
  g_assert_true (a->armed);
  g_assert_cmpuint (a->n_arms, ==, 2);

  gtasklet_wait_condition_fire (s.a);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_false (a->armed);

  g_object_unref (s.a);
  g_object_unref (s.b);
}

static void
test_fire_from_main_loop_runs_step (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Record r = { .condition = GTASKLET_WAIT_CONDITION (c), .n_waits = 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (record_step, &r, NULL);
  GtaskletTasklet *parent;

  gtasklet_tasklet_start (t);

  /* From a source of the tasklet's own context a fire runs the step at once, as
   * g_task_return_*() completes a task in its own context. */
  parent = gtasklet_tasklet_get_current ();
  g_assert_null (parent);
  g_assert_true (test_fire_from_source (GTASKLET_WAIT_CONDITION (c)));
  g_assert_cmpuint (r.n_steps, ==, 2);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  g_object_unref (c);
}

static gboolean
fire_twice_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  GtaskletWaitCondition *c = user_data;

  gtasklet_wait_condition_fire (c);
  gtasklet_wait_condition_fire (c);
  return TRUE;
}

static void
test_fire_from_step_is_queued (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Record r = { .condition = GTASKLET_WAIT_CONDITION (c), .n_waits = 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (record_step, &r, NULL);
  g_autoptr (GtaskletTasklet) firer = gtasklet_tasklet_new (fire_twice_step, c, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (firer);

  /* Not run inside the firing step. */
  g_assert_cmpuint (r.n_steps, ==, 1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  test_drain ();
  /* Two fires, one delivery. */
  g_assert_cmpuint (r.n_steps, ==, 2);
  g_assert_true (r.last_event == G_OBJECT (c));
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  g_object_unref (c);
}

static gboolean
self_fire_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Record *r = user_data;

  r->n_steps++;
  r->last_event = event;
  if (r->n_steps == 1)
    {
      gtasklet_tasklet_wait (tasklet, r->condition);
      return TRUE;
    }
  if (r->n_steps == 2)
    {
      /* The condition is still armed (it is this step's event and kept in the next set):
       * a fire now must be delivered to the next step, not lost and not nested. */
      gtasklet_wait_condition_fire (r->condition);
      g_assert_cmpuint (r->n_steps, ==, 2);
      gtasklet_tasklet_wait (tasklet, r->condition);
      return TRUE;
    }
  return TRUE;
}

static void
test_fire_during_own_step (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Record r = { .condition = GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (self_fire_step, &r, NULL);

  gtasklet_tasklet_start (t);
  test_fire_from_source (GTASKLET_WAIT_CONDITION (c));
  g_assert_cmpuint (r.n_steps, ==, 2);
  test_drain ();
  g_assert_cmpuint (r.n_steps, ==, 3);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_object_unref (c);
}

static void
test_fire_on_arm (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  Record r = { .condition = GTASKLET_WAIT_CONDITION (c), .n_waits = 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (record_step, &r, NULL);

  c->fire_on_arm = TRUE;
  gtasklet_tasklet_start (t);
  /* The event already happened: it is delivered from the main loop, after start returned. */
  g_assert_cmpuint (r.n_steps, ==, 1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  test_drain ();
  g_assert_cmpuint (r.n_steps, ==, 2);
  g_assert_true (r.last_event == G_OBJECT (c));
  g_object_unref (c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/tasklet/first-step-inside-start", test_first_step_inside_start);
  g_test_add_func ("/gtasklet/tasklet/return-value", test_return_value);
  g_test_add_func ("/gtasklet/tasklet/fail-with-error", test_fail_with_error);
  g_test_add_func ("/gtasklet/tasklet/false-without-error", test_false_without_error);
  g_test_add_func ("/gtasklet/tasklet/keeps-itself-alive", test_keeps_itself_alive);
  g_test_add_func ("/gtasklet/tasklet/closure-destroyed-with-tasklet", test_closure_destroyed_with_tasklet);
  g_test_add_func ("/gtasklet/tasklet/kept-condition-stays-armed", test_kept_condition_stays_armed);
  g_test_add_func ("/gtasklet/tasklet/dropped-condition-disarmed", test_dropped_condition_disarmed);
  g_test_add_func ("/gtasklet/tasklet/fire-from-main-loop-runs-step", test_fire_from_main_loop_runs_step);
  g_test_add_func ("/gtasklet/tasklet/fire-from-step-is-queued", test_fire_from_step_is_queued);
  g_test_add_func ("/gtasklet/tasklet/fire-during-own-step", test_fire_during_own_step);
  g_test_add_func ("/gtasklet/tasklet/fire-on-arm", test_fire_on_arm);

  return g_test_run ();
}

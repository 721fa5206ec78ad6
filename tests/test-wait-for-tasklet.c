/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

/* A child: waits on `go` unless it is NULL, then finishes with `result` (when > 0), with
 * `fail` as its error (when set), or with nothing. */
typedef struct
{
  GtaskletWaitCondition *go;
  int                    result;
  gboolean               fail;
} Child;

static gboolean
child_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Child *c = user_data;

  if (event == NULL && c->go != NULL)
    {
      gtasklet_tasklet_wait (tasklet, c->go);
      return TRUE;
    }
  if (c->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "child gone");
      return FALSE;
    }
  if (c->result > 0)
    {
      g_auto (GValue) v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_INT);
      g_value_set_int (&v, c->result);
      gtasklet_tasklet_return_value (tasklet, &v);
    }
  return TRUE;
}

static GtaskletTasklet *
child_new (Child *c)
{
  return gtasklet_tasklet_new (child_step, c, NULL);
}

/* A joiner: waits on `join` (and on `other` in its first wait) `n_waits` times, recording
 * what each event showed. When `other` fires it waits on `after_other` only. */
typedef struct
{
  GtaskletWaitCondition *join;
  GtaskletWaitCondition *other;
  GtaskletWaitCondition *after_other;
  guint                  n_waits;

  guint                  n_steps;
  guint                  n_joins;
  GObject               *last_event;      /* no reference: compared only */
  int                    result;          /* -1: no result */
  GError                *error;
} Joiner;

static gboolean
joiner_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Joiner *j = user_data;

  j->n_steps++;
  j->last_event = event;

  if (event != NULL && event == G_OBJECT (j->other))
    {
      if (j->after_other != NULL)
        gtasklet_tasklet_wait (tasklet, j->after_other);
      return TRUE;
    }
  if (event != NULL && j->after_other != NULL && event == G_OBJECT (j->after_other))
    return TRUE;

  if (event != NULL)
    {
      GtaskletWaitForTasklet *wft = GTASKLET_WAIT_FOR_TASKLET (event);
      const GValue *result = gtasklet_wait_for_tasklet_get_result (wft);
      const GError *err = gtasklet_wait_for_tasklet_get_error (wft);

      g_assert_true (event == G_OBJECT (j->join));
      j->n_joins++;
      j->result = result != NULL ? g_value_get_int (result) : -1;
      g_clear_error (&j->error);
      j->error = err != NULL ? g_error_copy (err) : NULL;
    }

  if (j->n_joins < j->n_waits)
    {
      gtasklet_tasklet_wait (tasklet, j->join);
      if (j->n_steps == 1 && j->other != NULL)
        gtasklet_tasklet_wait (tasklet, j->other);
    }
  return TRUE;
}

static void
joiner_clear (Joiner *j)
{
  g_clear_object (&j->join);
  g_clear_error (&j->error);
}

static void
test_join_before_finish (void)
{
  Child c = { test_manual_condition_new (), 7 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j = { .n_waits = 1 };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (joiner_step, &j, NULL);

  gtasklet_tasklet_start (child);
  j.join = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (parent);
  g_assert_true (gtasklet_wait_condition_is_armed (j.join));
  test_drain ();
  g_assert_cmpuint (j.n_joins, ==, 0);

  /* The child finishes inside this fire; the parent's step runs later, not nested in it. */
  test_fire_from_source (c.go);
  g_assert_cmpint (gtasklet_tasklet_get_state (child), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (j.n_joins, ==, 0);
  g_assert_cmpint (gtasklet_tasklet_get_state (parent), ==, GTASKLET_STATE_SUSPENDED);

  test_drain ();
  g_assert_cmpuint (j.n_joins, ==, 1);
  g_assert_true (j.last_event == G_OBJECT (j.join));
  g_assert_cmpint (j.result, ==, 7);
  g_assert_no_error (j.error);
  g_assert_cmpint (gtasklet_tasklet_get_state (parent), ==, GTASKLET_STATE_FINISHED);
  g_assert_false (gtasklet_wait_condition_is_armed (j.join));

  g_object_unref (c.go);
  joiner_clear (&j);
}

static void
test_join_after_finish (void)
{
  Child c = { NULL, 9 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j = { .n_waits = 1 };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (joiner_step, &j, NULL);

  gtasklet_tasklet_start (child);
  g_assert_cmpint (gtasklet_tasklet_get_state (child), ==, GTASKLET_STATE_FINISHED);

  /* Fires at once when armed, and is delivered from the main loop after start(). */
  j.join = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (parent);
  g_assert_cmpuint (j.n_joins, ==, 0);
  test_drain ();
  g_assert_cmpuint (j.n_joins, ==, 1);
  g_assert_cmpint (j.result, ==, 9);
  g_assert_cmpint (gtasklet_tasklet_get_state (parent), ==, GTASKLET_STATE_FINISHED);

  joiner_clear (&j);
}

/* A parent whose first step starts a child that finishes at once, then joins it. */
typedef struct
{
  Child                  child_data;
  GtaskletTasklet       *child;
  GtaskletWaitCondition *join;
  gboolean               child_finished_in_step;
  int                    result;
  guint                  n_steps;
} Spawner;

static gboolean
spawner_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Spawner *s = user_data;

  s->n_steps++;
  if (event == NULL)
    {
      s->child = child_new (&s->child_data);
      gtasklet_tasklet_start (s->child);
      s->child_finished_in_step =
        gtasklet_tasklet_get_state (s->child) == GTASKLET_STATE_FINISHED;
      s->join = gtasklet_wait_for_tasklet_new (s->child);
      gtasklet_tasklet_wait (tasklet, s->join);
      return TRUE;
    }

  g_assert_true (event == G_OBJECT (s->join));
  s->result =
    g_value_get_int (gtasklet_wait_for_tasklet_get_result (GTASKLET_WAIT_FOR_TASKLET (event)));
  return TRUE;
}

static void
test_child_finished_inside_parent_step (void)
{
  Spawner s = { .child_data = { NULL, 3 } };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (spawner_step, &s, NULL);

  gtasklet_tasklet_start (parent);
  g_assert_true (s.child_finished_in_step);
  g_assert_cmpint (gtasklet_tasklet_get_state (parent), ==, GTASKLET_STATE_SUSPENDED);
  test_wait_finished (parent, 5000);
  g_assert_cmpuint (s.n_steps, ==, 2);
  g_assert_cmpint (s.result, ==, 3);

  g_object_unref (s.join);
  g_object_unref (s.child);
}

static void
test_several_joiners (void)
{
  Child c = { test_manual_condition_new (), 5 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j[3] = { { .n_waits = 1 }, { .n_waits = 1 }, { .n_waits = 1 } };
  GtaskletTasklet *parents[3];

  gtasklet_tasklet_start (child);
  for (guint i = 0; i < 3; i++)
    {
      j[i].join = gtasklet_wait_for_tasklet_new (child);
      parents[i] = gtasklet_tasklet_new (joiner_step, &j[i], NULL);
      gtasklet_tasklet_start (parents[i]);
    }

  gtasklet_wait_condition_fire (c.go);
  test_drain ();
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (j[i].n_joins, ==, 1);
      g_assert_true (j[i].last_event == G_OBJECT (j[i].join));
      g_assert_cmpint (j[i].result, ==, 5);
      g_assert_cmpint (gtasklet_tasklet_get_state (parents[i]), ==, GTASKLET_STATE_FINISHED);
      g_object_unref (parents[i]);
      joiner_clear (&j[i]);
    }
  g_object_unref (c.go);
}

static void
test_no_result (void)
{
  Child c = { test_manual_condition_new (), 0 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j = { .n_waits = 1, .result = 123 };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (joiner_step, &j, NULL);

  gtasklet_tasklet_start (child);
  j.join = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (parent);

  /* Before the child finishes there is nothing to read. */
  g_assert_null (gtasklet_wait_for_tasklet_get_result (GTASKLET_WAIT_FOR_TASKLET (j.join)));
  g_assert_null (gtasklet_wait_for_tasklet_get_error (GTASKLET_WAIT_FOR_TASKLET (j.join)));

  gtasklet_wait_condition_fire (c.go);
  test_drain ();
  g_assert_cmpuint (j.n_joins, ==, 1);
  g_assert_cmpint (j.result, ==, -1);
  g_assert_no_error (j.error);

  g_object_unref (c.go);
  joiner_clear (&j);
}

static void
test_result_readable_after_join (void)
{
  Child c = { NULL, 11 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  g_autoptr (GtaskletWaitCondition) join = gtasklet_wait_for_tasklet_new (child);
  const GValue *result;

  gtasklet_tasklet_start (child);
  result = gtasklet_wait_for_tasklet_get_result (GTASKLET_WAIT_FOR_TASKLET (join));
  g_assert_nonnull (result);
  g_assert_cmpint (g_value_get_int (result), ==, 11);
  /* The same value the tasklet itself reports. */
  g_assert_true (result == gtasklet_tasklet_get_result (child));
  g_assert_null (gtasklet_wait_for_tasklet_get_error (GTASKLET_WAIT_FOR_TASKLET (join)));
}

static void
test_join_failed_tasklet (void)
{
  Child c = { test_manual_condition_new (), 4, TRUE };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j = { .n_waits = 1 };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (joiner_step, &j, NULL);

  gtasklet_tasklet_start (child);
  j.join = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (parent);
  gtasklet_wait_condition_fire (c.go);
  test_drain ();

  g_assert_cmpuint (j.n_joins, ==, 1);
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (j.error->message, ==, "child gone");
  g_assert_cmpint (j.result, ==, -1);
  g_assert_true (gtasklet_wait_for_tasklet_get_error (GTASKLET_WAIT_FOR_TASKLET (j.join)) ==
                 gtasklet_tasklet_get_error (child));
  /* The joiner itself did not fail. */
  g_assert_null (gtasklet_tasklet_get_error (parent));

  g_object_unref (c.go);
  joiner_clear (&j);
}

static void
test_wait_again_fires_again (void)
{
  Child c = { test_manual_condition_new (), 6 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j = { .n_waits = 3 };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (joiner_step, &j, NULL);

  gtasklet_tasklet_start (child);
  j.join = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (parent);
  gtasklet_wait_condition_fire (c.go);

  /* Each wait on the same (kept) condition fires again: the child has finished. */
  test_wait_finished (parent, 5000);
  g_assert_cmpuint (j.n_joins, ==, 3);
  g_assert_cmpint (j.result, ==, 6);

  g_object_unref (c.go);
  joiner_clear (&j);
}

static void
test_reused_by_another_tasklet (void)
{
  Child c = { NULL, 8 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner first = { .n_waits = 1 };
  Joiner second = { .n_waits = 1 };
  g_autoptr (GtaskletTasklet) a = gtasklet_tasklet_new (joiner_step, &first, NULL);
  g_autoptr (GtaskletTasklet) b = gtasklet_tasklet_new (joiner_step, &second, NULL);

  gtasklet_tasklet_start (child);
  first.join = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (a);
  test_drain ();
  g_assert_cmpuint (first.n_joins, ==, 1);
  g_assert_false (gtasklet_wait_condition_is_armed (first.join));

  /* The same condition object, now free, joins for another tasklet. */
  second.join = g_object_ref (first.join);
  gtasklet_tasklet_start (b);
  test_drain ();
  g_assert_cmpuint (second.n_joins, ==, 1);
  g_assert_cmpint (second.result, ==, 8);

  joiner_clear (&first);
  joiner_clear (&second);
}

static void
test_disarmed_not_fired_later (void)
{
  Child c = { test_manual_condition_new (), 2 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  Joiner j = { .n_waits = 1, .other = test_manual_condition_new (),
               .after_other = test_manual_condition_new () };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (joiner_step, &j, NULL);
  GtaskletWaitCondition *join;
  gboolean join_gone = FALSE;

  gtasklet_tasklet_start (child);
  join = j.join = gtasklet_wait_for_tasklet_new (child);
  g_object_weak_ref (G_OBJECT (join), test_weak_notify_flag, &join_gone);
  gtasklet_tasklet_start (parent);
  g_assert_true (gtasklet_wait_condition_is_armed (join));

  /* The parent stops waiting for the child: the join is disarmed and, with our reference
   * dropped, freed. */
  gtasklet_wait_condition_fire (j.other);
  test_drain ();
  g_assert_cmpuint (j.n_steps, ==, 2);
  g_assert_false (gtasklet_wait_condition_is_armed (join));
  j.join = NULL;
  g_object_unref (join);
  g_assert_true (join_gone);

  /* The child finishing later tells nobody. */
  gtasklet_wait_condition_fire (c.go);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (child), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (j.n_steps, ==, 2);
  g_assert_cmpuint (j.n_joins, ==, 0);
  g_assert_cmpint (gtasklet_tasklet_get_state (parent), ==, GTASKLET_STATE_SUSPENDED);

  gtasklet_wait_condition_fire (j.after_other);
  test_drain ();
  g_assert_cmpuint (j.n_steps, ==, 3);
  g_assert_cmpint (gtasklet_tasklet_get_state (parent), ==, GTASKLET_STATE_FINISHED);

  g_object_unref (c.go);
  g_object_unref (j.other);
  g_object_unref (j.after_other);
  joiner_clear (&j);
}

static void
test_get_tasklet (void)
{
  Child c = { NULL, 0 };
  g_autoptr (GtaskletTasklet) child = child_new (&c);
  g_autoptr (GtaskletWaitCondition) join = gtasklet_wait_for_tasklet_new (child);
  g_autoptr (GtaskletTasklet) from_prop = NULL;
  g_autoptr (GtaskletWaitCondition) built = NULL;

  g_assert_true (gtasklet_wait_for_tasklet_get_tasklet (GTASKLET_WAIT_FOR_TASKLET (join)) == child);
  g_object_get (join, "tasklet", &from_prop, NULL);
  g_assert_true (from_prop == child);

  built = g_object_new (GTASKLET_TYPE_WAIT_FOR_TASKLET, "tasklet", child, NULL);
  g_assert_true (gtasklet_wait_for_tasklet_get_tasklet (GTASKLET_WAIT_FOR_TASKLET (built)) ==
                 child);

  /* The condition keeps the tasklet alive. */
  g_assert_cmpuint (G_OBJECT (child)->ref_count, >=, 3);
}

/* Waits on two conditions once, then finishes. */
static gboolean
wait_pair_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  GtaskletWaitCondition **pair = user_data;

  if (event != NULL)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, pair[0]);
  gtasklet_tasklet_wait (tasklet, pair[1]);
  return TRUE;
}

static void
test_null_is_critical (void)
{
  GtaskletWaitCondition *join;

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_TASKLET*failed*");
  join = gtasklet_wait_for_tasklet_new (NULL);
  g_test_assert_expected_messages ();
  g_assert_null (join);

  /* Built without its tasklet (as a binding could): waiting on it is the programmer error. */
  join = g_object_new (GTASKLET_TYPE_WAIT_FOR_TASKLET, NULL);
  g_assert_null (gtasklet_wait_for_tasklet_get_tasklet (GTASKLET_WAIT_FOR_TASKLET (join)));
  {
    GtaskletWaitCondition *other = test_manual_condition_new ();
    GtaskletWaitCondition *pair[] = { join, other };
    g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (wait_pair_step, pair, NULL);

    g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given no tasklet to wait for*");
    gtasklet_tasklet_start (t);
    g_test_assert_expected_messages ();
    /* It fails at once rather than waiting for a join that can never happen. */
    test_drain ();
    g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
    g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
    g_object_unref (other);
  }
  g_object_unref (join);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_WAIT_FOR_TASKLET*failed*");
  g_assert_null (gtasklet_wait_for_tasklet_get_result (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_WAIT_FOR_TASKLET*failed*");
  g_assert_null (gtasklet_wait_for_tasklet_get_error (NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-tasklet/join-before-finish", test_join_before_finish);
  g_test_add_func ("/gtasklet/wait-for-tasklet/join-after-finish", test_join_after_finish);
  g_test_add_func ("/gtasklet/wait-for-tasklet/child-finished-inside-parent-step",
                   test_child_finished_inside_parent_step);
  g_test_add_func ("/gtasklet/wait-for-tasklet/several-joiners", test_several_joiners);
  g_test_add_func ("/gtasklet/wait-for-tasklet/no-result", test_no_result);
  g_test_add_func ("/gtasklet/wait-for-tasklet/result-readable-after-join",
                   test_result_readable_after_join);
  g_test_add_func ("/gtasklet/wait-for-tasklet/join-failed-tasklet", test_join_failed_tasklet);
  g_test_add_func ("/gtasklet/wait-for-tasklet/wait-again-fires-again",
                   test_wait_again_fires_again);
  g_test_add_func ("/gtasklet/wait-for-tasklet/reused-by-another-tasklet",
                   test_reused_by_another_tasklet);
  g_test_add_func ("/gtasklet/wait-for-tasklet/disarmed-not-fired-later",
                   test_disarmed_not_fired_later);
  g_test_add_func ("/gtasklet/wait-for-tasklet/get-tasklet", test_get_tasklet);
  g_test_add_func ("/gtasklet/wait-for-tasklet/null-is-critical", test_null_is_critical);

  return g_test_run ();
}

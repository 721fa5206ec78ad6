/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
count_cb (gpointer instance,
          gpointer data)
{
  (*(guint *) data)++;
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

  g_signal_connect (t, "finished", G_CALLBACK (count_cb), &n_finished);
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

static gboolean
finish_at_once_step (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      gpointer          user_data,
                      GError          **error)
{
  return TRUE;
}

static void
destroy_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
test_closure_destroyed_with_tasklet (void)
{
  gboolean destroyed = FALSE;
  GtaskletTasklet *t = gtasklet_tasklet_new (finish_at_once_step, &destroyed, destroy_flag);

  gtasklet_tasklet_start (t);
  g_assert_false (destroyed);
  g_object_unref (t);
  g_assert_true (destroyed);

  /* A tasklet never started frees its data too. */
  destroyed = FALSE;
  t = gtasklet_tasklet_new (finish_at_once_step, &destroyed, destroy_flag);
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

/* Nesting */

typedef struct
{
  GtaskletTasklet *parent;
  GtaskletTasklet *child;
  gboolean         child_ran_inside_parent;
  gboolean         current_restored;
} Nest;

static gboolean
child_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Nest *n = user_data;

  n->child_ran_inside_parent = gtasklet_tasklet_get_state (n->parent) == GTASKLET_STATE_RUNNING;
  g_assert_true (gtasklet_tasklet_get_current () == tasklet);
  return TRUE;
}

static gboolean
parent_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Nest *n = user_data;

  n->child = gtasklet_tasklet_new (child_step, n, NULL);
  gtasklet_tasklet_start (n->child);
  n->current_restored = gtasklet_tasklet_get_current () == tasklet;
  return TRUE;
}

static void
test_child_first_step_inside_parent (void)
{
  Nest n = { 0 };

  n.parent = gtasklet_tasklet_new (parent_step, &n, NULL);
  gtasklet_tasklet_start (n.parent);

  g_assert_true (n.child_ran_inside_parent);
  g_assert_true (n.current_restored);
  g_assert_cmpint (gtasklet_tasklet_get_state (n.child), ==, GTASKLET_STATE_FINISHED);
  g_object_unref (n.child);
  g_object_unref (n.parent);
}

/* A step that iterates the main context: its own step must not be re-entered. */
typedef struct
{
  GtaskletWaitCondition *inbox;
  guint                  depth;
  guint                  max_depth;
  guint                  n_messages;
  gboolean               other_ran;
} Reentry;

static gboolean
reentry_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Reentry *s = user_data;

  s->depth++;
  s->max_depth = MAX (s->max_depth, s->depth);
  if (event != NULL)
    s->n_messages++;

  if (s->n_messages == 1)
    {
      /* A message for ourselves arrives while we iterate the loop from inside the step. */
      gtasklet_tasklet_send (tasklet, "again", NULL);
      for (guint i = 0; i < 10; i++)
        g_main_context_iteration (NULL, FALSE);
    }

  s->depth--;
  if (s->n_messages < 2)
    gtasklet_tasklet_wait (tasklet, s->inbox);
  return TRUE;
}

static gboolean
other_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Reentry *s = user_data;

  if (event != NULL)
    {
      s->other_ran = TRUE;
      return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, s->inbox);
  return TRUE;
}

static void
test_step_never_reentered (void)
{
  static const char * const names[] = { "go", "again", NULL };
  Reentry s = { gtasklet_wait_for_messages_new (names, NULL, NULL) };
  Reentry o = { gtasklet_wait_for_messages_new (names, NULL, NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (reentry_step, &s, NULL);
  g_autoptr (GtaskletTasklet) other = gtasklet_tasklet_new (other_step, &o, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (other);
  /* Queued in this order: t's step iterates the loop, during which other runs. */
  gtasklet_tasklet_send (t, "go", NULL);
  gtasklet_tasklet_send (other, "go", NULL);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (s.max_depth, ==, 1);
  g_assert_cmpuint (s.n_messages, ==, 2);
  g_assert_true (o.other_ran);

  g_object_unref (s.inbox);
  g_object_unref (o.inbox);
}

/* Event lifetime */

static void
weak_notify_flag (gpointer  data,
                  GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

typedef struct
{
  GtaskletWaitCondition *condition;
  gboolean               finalized;
  gboolean               finalized_during_step;
} Lifetime;

static gboolean
drop_event_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  Lifetime *l = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, l->condition);
      return TRUE;
    }
  /* Drop what was the last outside reference: the event must stay valid to the end. */
  g_clear_object (&l->condition);
  l->finalized_during_step = l->finalized;
  g_assert_true (G_IS_OBJECT (event));
  return TRUE;
}

static void
test_event_valid_for_whole_step (void)
{
  Lifetime l = { test_manual_condition_new () };
  GtaskletWaitCondition *c = l.condition;
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (drop_event_step, &l, NULL);

  g_object_weak_ref (G_OBJECT (c), weak_notify_flag, &l.finalized);
  gtasklet_tasklet_start (t);
  gtasklet_wait_condition_fire (c);
  test_drain ();

  g_assert_false (l.finalized_during_step);
  g_assert_true (l.finalized);
}

/* Programmer errors */

static void
test_wait_outside_step (void)
{
  g_autoptr (GtaskletWaitCondition) c = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (finish_at_once_step, NULL, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_wait() called outside a step of GtaskletTasklet*");
  gtasklet_tasklet_wait (t, c);
  g_test_assert_expected_messages ();
  g_assert_false (gtasklet_wait_condition_is_armed (c));

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_return_value() called outside a step of*");
  gtasklet_tasklet_return_value (t, NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_wait() on GtaskletTasklet * was given NULL instead of a "
                         "wait condition");
  gtasklet_tasklet_wait (t, NULL);
  g_test_assert_expected_messages ();

  /* The tasklet concerned does not go on as if nothing happened: it fails, without a step. */
  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_assert_nonnull (strstr (gtasklet_tasklet_get_error (t)->message, "outside a step"));
}

static void
test_start_twice (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (finish_at_once_step, NULL, NULL);

  gtasklet_tasklet_start (t);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*which has already been started");
  gtasklet_tasklet_start (t);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*func != NULL*failed*");
  g_assert_null (gtasklet_tasklet_new (NULL, NULL, NULL));
  g_test_assert_expected_messages ();
}

typedef struct
{
  GtaskletWaitCondition *shared;
  gboolean               second;
} Shared;

static gboolean
shared_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Shared *s = user_data;

  if (event != NULL && !s->second)
    {
      /* The first tasklet: wait once more, then finish. */
      static guint n;
      if (++n == 2)
        return TRUE;
    }

  if (s->second)
    g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                           "*cannot wait on TestManualCondition*: that condition is in the wait "
                           "set of GtaskletTasklet*");
  gtasklet_tasklet_wait (tasklet, s->shared);
  if (s->second)
    {
      g_test_assert_expected_messages ();
      return TRUE;   /* nothing was added, but the tasklet fails rather than finishing */
    }
  return TRUE;
}

static void
test_condition_for_two_tasklets (void)
{
  Shared s = { test_manual_condition_new (), FALSE };
  g_autoptr (GtaskletTasklet) first = gtasklet_tasklet_new (shared_step, &s, NULL);
  g_autoptr (GtaskletTasklet) second = gtasklet_tasklet_new (shared_step, &s, NULL);

  gtasklet_tasklet_start (first);
  s.second = TRUE;
  gtasklet_tasklet_start (second);

  g_assert_cmpint (gtasklet_tasklet_get_state (second), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (second), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_assert_true (gtasklet_wait_condition_get_tasklet (s.shared) == first);

  /* Release the first tasklet, whose step now waits again without complaint. */
  s.second = FALSE;
  test_fire_from_source (s.shared);
  g_assert_cmpint (gtasklet_tasklet_get_state (first), ==, GTASKLET_STATE_SUSPENDED);
  gtasklet_wait_condition_fire (s.shared);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (first), ==, GTASKLET_STATE_FINISHED);
  g_object_unref (s.shared);
}

/* Scale: constant stack and memory */

static guint
test_scale (void)
{
  const char *s = g_getenv ("GTASKLET_TEST_SCALE_DOWN");

  return s != NULL ? MAX (1, atoi (s)) : 1;
}

static gsize
current_rss_bytes (void)
{
  g_autofree char *contents = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL))
    return 0;
  if (sscanf (contents, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

typedef struct
{
  GtaskletTasklet       *next;
  GtaskletWaitCondition *inbox;
  guint                  hops_left;     /* only for the first */
  guintptr              *stack_low;
  guintptr              *stack_high;
  guint                 *total_hops;
} RingNode;

static gboolean
ring_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  RingNode *node = user_data;
  guintptr here = (guintptr) &node;

  *node->stack_low = MIN (*node->stack_low, here);
  *node->stack_high = MAX (*node->stack_high, here);

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      int hops = g_value_get_int (gtasklet_message_get_value (m));

      (*node->total_hops)++;
      if (hops > 0)
        {
          g_auto (GValue) v = G_VALUE_INIT;

          g_value_init (&v, G_TYPE_INT);
          g_value_set_int (&v, hops - 1);
          gtasklet_tasklet_send (node->next, "token", &v);
        }
      else
        {
          /* The last hop tells everybody to stop. */
          return TRUE;
        }
    }
  gtasklet_tasklet_wait (tasklet, node->inbox);
  return TRUE;
}

static void
test_ring_constant_stack (void)
{
  static const char * const accept[] = { "token", NULL };
  guint n = 100000 / test_scale ();
  RingNode *nodes = g_new0 (RingNode, n);
  GtaskletTasklet **tasklets = g_new0 (GtaskletTasklet *, n);
  guintptr low = G_MAXSIZE, high = 0;
  guint total_hops = 0;
  g_auto (GValue) v = G_VALUE_INIT;

  for (guint i = 0; i < n; i++)
    {
      nodes[i].inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);
      nodes[i].stack_low = &low;
      nodes[i].stack_high = &high;
      nodes[i].total_hops = &total_hops;
      tasklets[i] = gtasklet_tasklet_new (ring_step, &nodes[i], NULL);
    }
  for (guint i = 0; i < n; i++)
    {
      nodes[i].next = tasklets[(i + 1) % n];
      gtasklet_tasklet_start (tasklets[i]);
    }

  /* The token goes once around the ring plus one hop: n + 1 deliveries. */
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, n);
  gtasklet_tasklet_send (tasklets[0], "token", &v);
  while (total_hops < n + 1)
    g_main_context_iteration (NULL, TRUE);

  /* Every step ran at about the same depth: delivery never recursed. */
  g_assert_cmpuint (high - low, <, 4096);

  for (guint i = 0; i < n; i++)
    {
      /* All but the one that took the last hop still wait: send them a token of 0. */
      g_value_set_int (&v, 0);
      gtasklet_tasklet_send (tasklets[i], "token", &v);
    }
  test_drain ();
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (gtasklet_tasklet_get_state (tasklets[i]), ==, GTASKLET_STATE_FINISHED);
      g_object_unref (tasklets[i]);
      g_object_unref (nodes[i].inbox);
    }
  g_free (tasklets);
  g_free (nodes);
}

typedef struct
{
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *inbox;
  guint                  received;
  guint                  limit;
  guintptr               stack_low;
  guintptr               stack_high;
  gsize                  rss_at_tenth;
} Player;

static gboolean
player_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Player *p = user_data;
  guintptr here = (guintptr) &p;

  p->stack_low = MIN (p->stack_low, here);
  p->stack_high = MAX (p->stack_high, here);

  if (event != NULL)
    {
      const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));
      guint n = g_value_get_uint (value);
      g_auto (GValue) v = G_VALUE_INIT;

      p->received++;
      if (p->received == p->limit / 10)
        p->rss_at_tenth = current_rss_bytes ();
      if (n >= p->limit)
        return TRUE;
      g_value_init (&v, G_TYPE_UINT);
      g_value_set_uint (&v, n + 1);
      gtasklet_tasklet_send (p->peer, "ball", &v);
      if (n + 1 >= p->limit)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, p->inbox);
  return TRUE;
}

static void
test_pingpong_constant_memory (void)
{
  static const char * const accept[] = { "ball", NULL };
  guint limit = 10000000 / test_scale ();
  Player a = { NULL, gtasklet_wait_for_messages_new (accept, NULL, NULL), 0, limit, G_MAXSIZE, 0, 0 };
  Player b = { NULL, gtasklet_wait_for_messages_new (accept, NULL, NULL), 0, limit, G_MAXSIZE, 0, 0 };
  g_autoptr (GtaskletTasklet) ta = gtasklet_tasklet_new (player_step, &a, NULL);
  g_autoptr (GtaskletTasklet) tb = gtasklet_tasklet_new (player_step, &b, NULL);
  g_auto (GValue) v = G_VALUE_INIT;
  gsize rss_end;

  a.peer = tb;
  b.peer = ta;
  gtasklet_tasklet_start (ta);
  gtasklet_tasklet_start (tb);

  g_value_init (&v, G_TYPE_UINT);
  g_value_set_uint (&v, 1);
  gtasklet_tasklet_send (tb, "ball", &v);
  test_wait_finished (ta, 120000);
  test_wait_finished (tb, 120000);
  rss_end = current_rss_bytes ();

  g_assert_cmpuint (a.received + b.received, ==, limit);
  g_assert_cmpuint (a.stack_high - a.stack_low, <, 4096);
  /* Nothing accumulates per message: memory after all messages is what it was after a tenth. */
  if (test_scale () == 1)
    g_assert_cmpuint (rss_end, <, MAX (a.rss_at_tenth, b.rss_at_tenth) + 1024 * 1024);

  g_object_unref (a.inbox);
  g_object_unref (b.inbox);
}

/* Two threads, each with its own context and tasklet, exchange numbered messages. */
typedef struct
{
  GtaskletTasklet       *self;
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *inbox;
  GThread               *expected_thread;
  guint                  next_expected;
  guint                  limit;
  gboolean               wrong_thread;
  gboolean               out_of_order;
} Remote;

static gboolean
remote_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Remote *r = user_data;

  if (g_thread_self () != r->expected_thread)
    r->wrong_thread = TRUE;

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      guint n = g_value_get_uint (gtasklet_message_get_value (m));

      if (n != r->next_expected || gtasklet_message_get_sender (m) != r->peer)
        r->out_of_order = TRUE;
      r->next_expected = n + 1;
      if (n + 1 >= r->limit)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, r->inbox);
  return TRUE;
}

typedef struct
{
  Remote        *remote;
  GMainContext  *context;
  GMutex         lock;
  GCond          cond;
  gboolean       started;
} RemoteThread;

static gpointer
remote_thread_func (gpointer data)
{
  RemoteThread *rt = data;
  Remote *r = rt->remote;

  g_main_context_push_thread_default (rt->context);
  r->expected_thread = g_thread_self ();
  r->self = gtasklet_tasklet_new (remote_step, r, NULL);
  gtasklet_tasklet_start (r->self);

  g_mutex_lock (&rt->lock);
  rt->started = TRUE;
  g_cond_signal (&rt->cond);
  g_mutex_unlock (&rt->lock);

  while (gtasklet_tasklet_get_state (r->self) != GTASKLET_STATE_FINISHED)
    g_main_context_iteration (rt->context, TRUE);

  g_main_context_pop_thread_default (rt->context);
  return NULL;
}

static void
test_messages_across_threads (void)
{
  static const char * const accept[] = { "n", NULL };
  guint limit = 20000 / test_scale ();
  Remote far = { NULL, NULL, gtasklet_wait_for_messages_new (accept, NULL, NULL), NULL, 0, limit };
  RemoteThread rt = { &far, g_main_context_new () };
  GThread *thread;
  g_auto (GValue) v = G_VALUE_INIT;

  g_mutex_init (&rt.lock);
  g_cond_init (&rt.cond);
  thread = g_thread_new ("remote", remote_thread_func, &rt);
  g_mutex_lock (&rt.lock);
  while (!rt.started)
    g_cond_wait (&rt.cond, &rt.lock);
  g_mutex_unlock (&rt.lock);

  /* From this thread (outside any step, so the sender is NULL): every message must cross to
   * the other thread's context and arrive there, in order. */
  far.peer = NULL;
  g_value_init (&v, G_TYPE_UINT);
  for (guint i = 0; i < limit; i++)
    {
      g_value_set_uint (&v, i);
      g_assert_true (gtasklet_tasklet_send (far.self, "n", &v));
    }

  g_thread_join (thread);
  g_assert_false (far.wrong_thread);
  g_assert_false (far.out_of_order);
  g_assert_cmpuint (far.next_expected, ==, limit);
  g_assert_cmpint (gtasklet_tasklet_get_state (far.self), ==, GTASKLET_STATE_FINISHED);
  g_assert_false (gtasklet_tasklet_send (far.self, "n", &v));

  g_object_unref (far.self);
  g_object_unref (far.inbox);
  g_main_context_unref (rt.context);
  g_mutex_clear (&rt.lock);
  g_cond_clear (&rt.cond);
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
  g_test_add_func ("/gtasklet/tasklet/child-first-step-inside-parent", test_child_first_step_inside_parent);
  g_test_add_func ("/gtasklet/tasklet/step-never-reentered", test_step_never_reentered);
  g_test_add_func ("/gtasklet/tasklet/event-valid-for-whole-step", test_event_valid_for_whole_step);
  g_test_add_func ("/gtasklet/tasklet/wait-outside-step", test_wait_outside_step);
  g_test_add_func ("/gtasklet/tasklet/start-twice", test_start_twice);
  g_test_add_func ("/gtasklet/tasklet/condition-for-two-tasklets", test_condition_for_two_tasklets);
  g_test_add_func ("/gtasklet/tasklet/ring-constant-stack", test_ring_constant_stack);
  g_test_add_func ("/gtasklet/tasklet/pingpong-constant-memory", test_pingpong_constant_memory);
  g_test_add_func ("/gtasklet/tasklet/messages-across-threads", test_messages_across_threads);

  return g_test_run ();
}

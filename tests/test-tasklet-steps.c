/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Steps among other steps, and programmer errors: a child's first step runs inside its
 * parent's, a step that iterates the main context is never re-entered, a step's event stays
 * valid for the whole step, and misuse (waiting outside a step, starting twice, one
 * condition waited on by two tasklets) fails the tasklet concerned. */
#include <string.h>

#include "test-manual-condition.h"
#include "test-util.h"

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

  g_object_weak_ref (G_OBJECT (c), test_weak_notify_flag, &l.finalized);
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
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);

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
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/tasklet/child-first-step-inside-parent", test_child_first_step_inside_parent);
  g_test_add_func ("/gtasklet/tasklet/step-never-reentered", test_step_never_reentered);
  g_test_add_func ("/gtasklet/tasklet/event-valid-for-whole-step", test_event_valid_for_whole_step);
  g_test_add_func ("/gtasklet/tasklet/wait-outside-step", test_wait_outside_step);
  g_test_add_func ("/gtasklet/tasklet/start-twice", test_start_twice);
  g_test_add_func ("/gtasklet/tasklet/condition-for-two-tasklets", test_condition_for_two_tasklets);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

/* A doorbell: an object with a "ring" signal. */
#define TEST_TYPE_BELL (test_bell_get_type ())
G_DECLARE_FINAL_TYPE (TestBell, test_bell, TEST, BELL, GObject)

struct _TestBell
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (TestBell, test_bell, G_TYPE_OBJECT)

static guint bell_ring_signal;

static void
test_bell_class_init (TestBellClass *klass)
{
  bell_ring_signal = g_signal_new ("ring", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
test_bell_init (TestBell *self)
{
}

static void
test_bell_ring (TestBell *self)
{
  g_signal_emit (self, bell_ring_signal, 0);
}

/* A condition written the documented way: arm connects to the bell's "ring", which fires it;
 * disarm disconnects. It records what the base class told it while armed. */
#define TEST_TYPE_BELL_CONDITION (test_bell_condition_get_type ())
G_DECLARE_FINAL_TYPE (TestBellCondition, test_bell_condition, TEST, BELL_CONDITION,
                      GtaskletWaitCondition)

struct _TestBellCondition
{
  GtaskletWaitCondition parent_instance;
  TestBell             *bell;
  gulong                handler;
  guint                 n_arms;
  guint                 n_disarms;
  GtaskletTasklet      *armed_for;        /* no reference */
  GMainContext         *armed_context;    /* no reference */
  gboolean              armed_flag_in_arm;
  gboolean              armed_flag_in_disarm;
};

G_DEFINE_FINAL_TYPE (TestBellCondition, test_bell_condition, GTASKLET_TYPE_WAIT_CONDITION)

static void
test_bell_condition_arm (GtaskletWaitCondition *condition,
                         GtaskletTasklet       *tasklet)
{
  TestBellCondition *self = TEST_BELL_CONDITION (condition);

  g_assert_cmpuint (self->handler, ==, 0);
  self->n_arms++;
  self->armed_for = gtasklet_wait_condition_get_tasklet (condition);
  self->armed_context = gtasklet_wait_condition_get_context (condition);
  self->armed_flag_in_arm = gtasklet_wait_condition_is_armed (condition);
  g_assert_true (tasklet == self->armed_for);
  self->handler = g_signal_connect_swapped (self->bell, "ring",
                                            G_CALLBACK (gtasklet_wait_condition_fire), condition);
}

static void
test_bell_condition_disarm (GtaskletWaitCondition *condition)
{
  TestBellCondition *self = TEST_BELL_CONDITION (condition);

  self->n_disarms++;
  self->armed_flag_in_disarm = gtasklet_wait_condition_is_armed (condition);
  g_clear_signal_handler (&self->handler, self->bell);
}

static void
test_bell_condition_dispose (GObject *object)
{
  TestBellCondition *self = TEST_BELL_CONDITION (object);

  g_assert_cmpuint (self->handler, ==, 0);
  g_clear_object (&self->bell);

  G_OBJECT_CLASS (test_bell_condition_parent_class)->dispose (object);
}

static void
test_bell_condition_class_init (TestBellConditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->dispose = test_bell_condition_dispose;
  condition_class->arm = test_bell_condition_arm;
  condition_class->disarm = test_bell_condition_disarm;
}

static void
test_bell_condition_init (TestBellCondition *self)
{
}

static TestBellCondition *
test_bell_condition_new (TestBell *bell)
{
  TestBellCondition *self = g_object_new (TEST_TYPE_BELL_CONDITION, NULL);

  self->bell = g_object_ref (bell);
  return self;
}

/* A tasklet that waits on the conditions of conds[] (NULL-terminated) `n_waits` times,
 * recording each event; from the second step on it waits only on the ones listed in `keep`
 * (NULL-terminated; all of conds[] when `keep` is empty). */
typedef struct
{
  GtaskletWaitCondition *conds[4];
  GtaskletWaitCondition *keep[4];
  guint                  n_waits;

  guint                  n_steps;
  GObject               *events[8];       /* no references */
  GThread               *step_thread;
  gboolean               current_ok;
} Waiter;

static gboolean
waiter_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Waiter *w = user_data;
  GtaskletWaitCondition **set;

  if (w->n_steps < G_N_ELEMENTS (w->events))
    w->events[w->n_steps] = event;
  w->n_steps++;
  w->step_thread = g_thread_self ();
  w->current_ok = gtasklet_tasklet_get_current () == tasklet;

  if (w->n_steps > w->n_waits)
    return TRUE;
  set = w->n_steps > 1 && w->keep[0] != NULL ? w->keep : w->conds;
  for (guint i = 0; set[i] != NULL; i++)
    gtasklet_tasklet_wait (tasklet, set[i]);
  return TRUE;
}

static void
test_custom_condition (void)
{
  g_autoptr (TestBell) bell = g_object_new (TEST_TYPE_BELL, NULL);
  TestBellCondition *c = test_bell_condition_new (bell);
  GtaskletWaitCondition *cond = GTASKLET_WAIT_CONDITION (c);
  Waiter w = { { cond }, { NULL }, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  /* Unarmed. */
  g_assert_false (gtasklet_wait_condition_is_armed (cond));
  g_assert_null (gtasklet_wait_condition_get_tasklet (cond));
  g_assert_null (gtasklet_wait_condition_get_context (cond));

  gtasklet_tasklet_start (t);

  /* Armed before start() returned, and the base class knew the tasklet during arm. */
  g_assert_cmpuint (c->n_arms, ==, 1);
  g_assert_true (c->armed_for == t);
  g_assert_true (c->armed_context == g_main_context_default ());
  g_assert_true (c->armed_flag_in_arm);
  g_assert_true (gtasklet_wait_condition_is_armed (cond));
  g_assert_true (gtasklet_wait_condition_get_tasklet (cond) == t);
  g_assert_true (gtasklet_wait_condition_get_context (cond) == g_main_context_default ());
  g_assert_cmpuint (c->handler, !=, 0);

  test_bell_ring (bell);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 2);
  g_assert_true (w.events[1] == G_OBJECT (c));

  /* The tasklet finished: disarmed, and the base class forgot the tasklet after disarm. */
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (c->n_disarms, ==, 1);
  g_assert_true (c->armed_flag_in_disarm);
  g_assert_cmpuint (c->handler, ==, 0);
  g_assert_false (gtasklet_wait_condition_is_armed (cond));
  g_assert_null (gtasklet_wait_condition_get_tasklet (cond));
  g_assert_null (gtasklet_wait_condition_get_context (cond));

  g_object_unref (c);
}

typedef struct
{
  Waiter  *waiter;
  guint    n_fired;
  guint    steps_at_signal;
  GThread *thread;
} FiredLog;

static void
on_fired (GtaskletWaitCondition *condition,
          gpointer               data)
{
  FiredLog *f = data;

  f->n_fired++;
  f->steps_at_signal = f->waiter != NULL ? f->waiter->n_steps : 0;
  f->thread = g_thread_self ();
}

static void
fire_condition (gpointer data)
{
  gtasklet_wait_condition_fire (data);
}

static void
test_fired_signal (void)
{
  GtaskletWaitCondition *c = test_manual_condition_new ();
  Waiter w = { { c }, { NULL }, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  FiredLog f = { &w };

  g_signal_connect (c, "fired", G_CALLBACK (on_fired), &f);
  gtasklet_tasklet_start (t);
  g_assert_cmpuint (f.n_fired, ==, 0);

  /* The signal is emitted first; from a source of the tasklet's context the step then runs
   * inside fire(). */
  test_fire_from_source (c);
  g_assert_cmpuint (f.n_fired, ==, 1);
  g_assert_cmpuint (f.steps_at_signal, ==, 1);
  g_assert_cmpuint (w.n_steps, ==, 2);
  g_assert_true (f.thread == g_thread_self ());

  /* From inside a step the tasklet is only told; its step runs later. */
  test_run_in_step (fire_condition, c);
  g_assert_cmpuint (f.n_fired, ==, 2);
  g_assert_cmpuint (f.steps_at_signal, ==, 2);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 3);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  /* Unarmed: the signal is all that happens. */
  gtasklet_wait_condition_fire (c);
  test_drain ();
  g_assert_cmpuint (f.n_fired, ==, 3);
  g_assert_cmpuint (w.n_steps, ==, 3);
  g_assert_false (gtasklet_wait_condition_is_armed (c));
  g_assert_cmpuint (TEST_MANUAL_CONDITION (c)->n_arms, ==, 1);

  g_object_unref (c);
}

static void
test_fire_never_armed (void)
{
  GtaskletWaitCondition *c = test_manual_condition_new ();
  FiredLog f = { NULL };

  g_signal_connect (c, "fired", G_CALLBACK (on_fired), &f);
  gtasklet_wait_condition_fire (c);
  gtasklet_wait_condition_fire (c);
  g_assert_cmpuint (f.n_fired, ==, 2);
  g_assert_false (gtasklet_wait_condition_is_armed (c));
  g_assert_cmpuint (TEST_MANUAL_CONDITION (c)->n_arms, ==, 0);
  g_object_unref (c);
}

static void
test_kept_condition_armed_once (void)
{
  g_autoptr (TestBell) bell = g_object_new (TEST_TYPE_BELL, NULL);
  TestBellCondition *c = test_bell_condition_new (bell);
  Waiter w = { { GTASKLET_WAIT_CONDITION (c) }, { NULL }, 3 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  for (guint i = 0; i < 2; i++)
    {
      test_bell_ring (bell);
      test_drain ();
      g_assert_cmpuint (w.n_steps, ==, i + 2);
      g_assert_cmpuint (c->n_arms, ==, 1);
      g_assert_cmpuint (c->n_disarms, ==, 0);
      g_assert_true (gtasklet_wait_condition_is_armed (GTASKLET_WAIT_CONDITION (c)));
    }
  test_bell_ring (bell);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 4);
  g_assert_cmpuint (c->n_arms, ==, 1);
  g_assert_cmpuint (c->n_disarms, ==, 1);
  g_object_unref (c);
}

static void
test_dropped_condition_disarmed (void)
{
  g_autoptr (TestBell) bell_a = g_object_new (TEST_TYPE_BELL, NULL);
  g_autoptr (TestBell) bell_b = g_object_new (TEST_TYPE_BELL, NULL);
  TestBellCondition *a = test_bell_condition_new (bell_a);
  TestBellCondition *b = test_bell_condition_new (bell_b);
  Waiter w = { { GTASKLET_WAIT_CONDITION (a), GTASKLET_WAIT_CONDITION (b) },
               { GTASKLET_WAIT_CONDITION (b) }, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  test_bell_ring (bell_a);
  test_drain ();
  g_assert_true (w.events[1] == G_OBJECT (a));

  /* a was dropped from the wait set: disarmed, its handler gone; b kept, not re-armed. */
  g_assert_cmpuint (a->n_disarms, ==, 1);
  g_assert_cmpuint (a->handler, ==, 0);
  g_assert_false (gtasklet_wait_condition_is_armed (GTASKLET_WAIT_CONDITION (a)));
  g_assert_cmpuint (b->n_arms, ==, 1);
  g_assert_cmpuint (b->n_disarms, ==, 0);

  test_bell_ring (bell_a);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 2);

  test_bell_ring (bell_b);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 3);
  g_assert_true (w.events[2] == G_OBJECT (b));
  g_assert_cmpuint (b->n_disarms, ==, 1);

  g_object_unref (a);
  g_object_unref (b);
}

static void
test_wait_any (void)
{
  TestManualCondition *a = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  TestManualCondition *b = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  GtaskletWaitCondition *ga = GTASKLET_WAIT_CONDITION (a);
  GtaskletWaitCondition *gb = GTASKLET_WAIT_CONDITION (b);
  GtaskletWaitCondition *gc = GTASKLET_WAIT_CONDITION (c);
  /* Waits on all three twice, then finishes. */
  Waiter all = { { ga, gb, gc }, { NULL }, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &all, NULL);

  gtasklet_tasklet_start (t);
  g_assert_true (a->armed && b->armed && c->armed);

  gtasklet_wait_condition_fire (gb);
  test_drain ();
  g_assert_cmpuint (all.n_steps, ==, 2);
  g_assert_true (all.events[1] == G_OBJECT (b));
  /* All three waited on again: kept armed, none re-armed. */
  g_assert_cmpuint (a->n_arms + b->n_arms + c->n_arms, ==, 3);
  g_assert_cmpuint (a->n_disarms + b->n_disarms + c->n_disarms, ==, 0);

  gtasklet_wait_condition_fire (gc);
  test_drain ();
  g_assert_cmpuint (all.n_steps, ==, 3);
  g_assert_true (all.events[2] == G_OBJECT (c));
  /* Finished: all three disarmed, once. */
  g_assert_false (a->armed || b->armed || c->armed);
  g_assert_cmpuint (a->n_disarms, ==, 1);
  g_assert_cmpuint (b->n_disarms, ==, 1);
  g_assert_cmpuint (c->n_disarms, ==, 1);

  g_object_unref (a);
  g_object_unref (b);
  g_object_unref (c);
}

static void
test_wait_any_others_disarmed (void)
{
  TestManualCondition *a = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  TestManualCondition *b = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  GtaskletWaitCondition *ga = GTASKLET_WAIT_CONDITION (a);
  GtaskletWaitCondition *gb = GTASKLET_WAIT_CONDITION (b);
  GtaskletWaitCondition *gc = GTASKLET_WAIT_CONDITION (c);
  /* Waits on all three, then on a only. */
  Waiter w = { { ga, gb, gc }, { ga }, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_wait_condition_fire (gc);
  test_drain ();
  g_assert_true (w.events[1] == G_OBJECT (c));
  g_assert_true (a->armed);
  g_assert_false (b->armed);
  g_assert_false (c->armed);
  g_assert_cmpuint (a->n_arms, ==, 1);
  g_assert_cmpuint (a->n_disarms, ==, 0);
  g_assert_cmpuint (b->n_disarms, ==, 1);
  g_assert_cmpuint (c->n_disarms, ==, 1);

  /* The dropped ones no longer wake it. */
  gtasklet_wait_condition_fire (gb);
  gtasklet_wait_condition_fire (gc);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 2);

  gtasklet_wait_condition_fire (ga);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 3);
  g_assert_true (w.events[2] == G_OBJECT (a));

  g_object_unref (a);
  g_object_unref (b);
  g_object_unref (c);
}

typedef struct
{
  GtaskletWaitCondition *shared;
  gboolean               critical_seen;
} Intruder;

static gboolean
intruder_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Intruder *in = user_data;

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*cannot wait on TestBellCondition*that condition is in the wait set of*");
  gtasklet_tasklet_wait (tasklet, in->shared);
  g_test_assert_expected_messages ();
  in->critical_seen = TRUE;
  return TRUE;
}

static void
test_armed_for_another_tasklet (void)
{
  g_autoptr (TestBell) bell = g_object_new (TEST_TYPE_BELL, NULL);
  TestBellCondition *c = test_bell_condition_new (bell);
  Waiter w = { { GTASKLET_WAIT_CONDITION (c) }, { NULL }, 1 };
  g_autoptr (GtaskletTasklet) owner = gtasklet_tasklet_new (waiter_step, &w, NULL);
  Intruder in = { GTASKLET_WAIT_CONDITION (c) };
  g_autoptr (GtaskletTasklet) intruder = gtasklet_tasklet_new (intruder_step, &in, NULL);

  gtasklet_tasklet_start (owner);
  gtasklet_tasklet_start (intruder);
  g_assert_true (in.critical_seen);
  /* Nothing was added for the intruder, which failed; the owner's arm is untouched. */
  g_assert_cmpint (gtasklet_tasklet_get_state (intruder), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (intruder), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_assert_true (gtasklet_wait_condition_get_tasklet (GTASKLET_WAIT_CONDITION (c)) == owner);
  g_assert_cmpuint (c->n_arms, ==, 1);
  g_assert_cmpuint (c->n_disarms, ==, 0);

  test_bell_ring (bell);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (owner), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (w.events[1] == G_OBJECT (c));
  g_object_unref (c);
}

static void
test_added_twice_in_one_step (void)
{
  TestManualCondition *c = TEST_MANUAL_CONDITION (test_manual_condition_new ());
  GtaskletWaitCondition *gc = GTASKLET_WAIT_CONDITION (c);
  Waiter w = { { gc, gc }, { NULL }, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  g_assert_cmpuint (c->n_arms, ==, 1);
  gtasklet_wait_condition_fire (gc);
  test_drain ();
  g_assert_cmpuint (w.n_steps, ==, 2);
  g_assert_cmpuint (c->n_disarms, ==, 1);
  g_object_unref (c);
}

static void
test_dispose_unarmed (void)
{
  g_autoptr (TestBell) bell = g_object_new (TEST_TYPE_BELL, NULL);
  TestBellCondition *never = test_bell_condition_new (bell);
  TestBellCondition *used = test_bell_condition_new (bell);
  gboolean never_gone = FALSE, used_gone = FALSE;
  Waiter w = { { GTASKLET_WAIT_CONDITION (used) }, { NULL }, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  g_object_weak_ref (G_OBJECT (never), test_weak_notify_flag, &never_gone);
  g_object_weak_ref (G_OBJECT (used), test_weak_notify_flag, &used_gone);

  /* Never armed: disposed without a disarm. */
  g_object_unref (never);
  g_assert_true (never_gone);

  /* Dropped by the caller while armed: the wait set keeps it until the tasklet is done with
   * it, then it goes. */
  gtasklet_tasklet_start (t);
  g_object_unref (used);
  g_assert_false (used_gone);
  test_bell_ring (bell);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (used_gone);
}

static gpointer
fire_thread (gpointer data)
{
  gtasklet_wait_condition_fire (data);
  return NULL;
}

static void
test_fire_from_thread (void)
{
  GtaskletWaitCondition *c = test_manual_condition_new ();
  Waiter w = { { c }, { NULL }, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  FiredLog f = { NULL };
  gboolean finished = FALSE;
  GThread *thread;

  g_signal_connect (c, "fired", G_CALLBACK (on_fired), &f);
  g_signal_connect (t, "finished", G_CALLBACK (test_flag_signal), &finished);
  gtasklet_tasklet_start (t);

  thread = g_thread_new ("fire", fire_thread, c);
  test_wait_until (finished, 5000);

  g_assert_cmpuint (w.n_steps, ==, 2);
  g_assert_true (w.events[1] == G_OBJECT (c));
  /* The step ran on the tasklet's thread, as its current tasklet. */
  g_assert_true (w.step_thread == g_thread_self ());
  g_assert_true (w.current_ok);
  /* The signal was emitted on the firing thread. */
  g_thread_join (thread);
  g_assert_cmpuint (f.n_fired, ==, 1);
  g_assert_true (f.thread == thread);
  g_assert_cmpuint (TEST_MANUAL_CONDITION (c)->n_disarms, ==, 1);

  g_object_unref (c);
}

static void
test_null_is_critical (void)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_WAIT_CONDITION*failed*");
  gtasklet_wait_condition_fire (NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_WAIT_CONDITION*failed*");
  g_assert_false (gtasklet_wait_condition_is_armed (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_WAIT_CONDITION*failed*");
  g_assert_null (gtasklet_wait_condition_get_tasklet (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_WAIT_CONDITION*failed*");
  g_assert_null (gtasklet_wait_condition_get_context (NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-condition/custom-condition", test_custom_condition);
  g_test_add_func ("/gtasklet/wait-condition/fired-signal", test_fired_signal);
  g_test_add_func ("/gtasklet/wait-condition/fire-never-armed", test_fire_never_armed);
  g_test_add_func ("/gtasklet/wait-condition/kept-condition-armed-once",
                   test_kept_condition_armed_once);
  g_test_add_func ("/gtasklet/wait-condition/dropped-condition-disarmed",
                   test_dropped_condition_disarmed);
  g_test_add_func ("/gtasklet/wait-condition/wait-any", test_wait_any);
  g_test_add_func ("/gtasklet/wait-condition/wait-any-others-disarmed",
                   test_wait_any_others_disarmed);
  g_test_add_func ("/gtasklet/wait-condition/armed-for-another-tasklet",
                   test_armed_for_another_tasklet);
  g_test_add_func ("/gtasklet/wait-condition/added-twice-in-one-step",
                   test_added_twice_in_one_step);
  g_test_add_func ("/gtasklet/wait-condition/dispose-unarmed", test_dispose_unarmed);
  g_test_add_func ("/gtasklet/wait-condition/fire-from-thread", test_fire_from_thread);
  g_test_add_func ("/gtasklet/wait-condition/null-is-critical", test_null_is_critical);

  return g_test_run ();
}

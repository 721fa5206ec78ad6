/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gtasklet_wait_condition_fire() from threads other than the tasklet's: an armed condition
 * wakes its tasklet on the tasklet's thread, once; an unarmed one does nothing; and a fire
 * issued for one arming never wakes a later arming of the same condition. */
#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static GThread *main_thread;

/* A condition that counts its armings and tells the test about each arm and disarm. Arm and
 * disarm run on the tasklet's thread; other threads read the counters atomically. */
#define TEST_TYPE_GEN_CONDITION (test_gen_condition_get_type ())
G_DECLARE_FINAL_TYPE (TestGenCondition, test_gen_condition, TEST, GEN_CONDITION,
                      GtaskletWaitCondition)

struct _TestGenCondition
{
  GtaskletWaitCondition parent_instance;
  int                   changes;       /* atomic: arms + disarms; odd while armed */
  int                   arm_stamp;     /* the stamp clock's value when last armed */
  int                  *clock;         /* optional stamp clock shared with the firing thread */
  TestLatch             latch;         /* follows changes */
};

G_DEFINE_FINAL_TYPE (TestGenCondition, test_gen_condition, GTASKLET_TYPE_WAIT_CONDITION)

static void
test_gen_condition_arm (GtaskletWaitCondition *condition,
                        GtaskletTasklet       *tasklet)
{
  TestGenCondition *self = TEST_GEN_CONDITION (condition);
  int changes = g_atomic_int_get (&self->changes);

  g_assert_true (g_thread_self () == main_thread);
  g_assert_true (changes % 2 == 0);
  if (self->clock != NULL)
    self->arm_stamp = g_atomic_int_add (self->clock, 1) + 1;
  g_atomic_int_set (&self->changes, changes + 1);
  test_latch_advance (&self->latch, changes + 1);
}

static void
test_gen_condition_disarm (GtaskletWaitCondition *condition)
{
  TestGenCondition *self = TEST_GEN_CONDITION (condition);
  int changes = g_atomic_int_get (&self->changes);

  g_assert_true (g_thread_self () == main_thread);
  g_assert_true (changes % 2 == 1);
  g_atomic_int_set (&self->changes, changes + 1);
  test_latch_advance (&self->latch, changes + 1);
}

static void
test_gen_condition_finalize (GObject *object)
{
  test_latch_clear (&TEST_GEN_CONDITION (object)->latch);
  G_OBJECT_CLASS (test_gen_condition_parent_class)->finalize (object);
}

static void
test_gen_condition_class_init (TestGenConditionClass *klass)
{
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_gen_condition_finalize;
  condition_class->arm = test_gen_condition_arm;
  condition_class->disarm = test_gen_condition_disarm;
}

static void
test_gen_condition_init (TestGenCondition *self)
{
  test_latch_init (&self->latch);
}

/* Which arming is current (1 for the first), or 0 while disarmed. */
static int
gen_arming (TestGenCondition *self)
{
  int changes = g_atomic_int_get (&self->changes);

  return changes % 2 == 1 ? (changes + 1) / 2 : 0;
}

/* Latch value once arming n has begun, and once it has ended. */
#define ARMED(n)    (2 * (n) - 1)
#define DISARMED(n) (2 * (n))

/* A tasklet driven by a script: each step records its event, then waits on the conditions the
 * script names for that step. */

#define MAX_STEPS 8

typedef struct
{
  TestGenCondition      *c;
  GtaskletWaitCondition *m[3];              /* manual conditions fired by the test */
  GtaskletWaitCondition *plan[MAX_STEPS][3]; /* the wait set after step i (NULL-terminated) */
  GObject               *events[MAX_STEPS];
  int                    arming_of_event[MAX_STEPS]; /* c's arming when c was the event */
  guint                  n_steps;
  int                    c_events_per_arming[MAX_STEPS];
  /* Hook run inside step i (for i == hook_step). */
  guint                  hook_step;
  void                 (*hook) (gpointer data);
  gpointer               hook_data;
} Script;

static gboolean
script_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Script *s = user_data;
  guint i = s->n_steps++;

  g_assert_true (g_thread_self () == main_thread);
  g_assert_cmpuint (i, <, MAX_STEPS);
  s->events[i] = event;
  if (event == (GObject *) s->c)
    {
      /* The arming the event belongs to: the current one, or the one that just ended if the
       * library disarms dropped conditions before the step (fire-stress insists on the
       * former). */
      int arming = (g_atomic_int_get (&s->c->changes) + 1) / 2;

      g_assert_cmpint (arming, >, 0);
      s->arming_of_event[i] = arming;
      s->c_events_per_arming[MIN (arming, MAX_STEPS - 1)]++;
    }
  if (s->hook != NULL && s->hook_step == i)
    s->hook (s->hook_data);

  for (guint k = 0; k < 3 && s->plan[i][k] != NULL; k++)
    gtasklet_tasklet_wait (tasklet, s->plan[i][k]);
  return TRUE;
}

static void
script_init (Script *s)
{
  *s = (Script) { 0 };
  s->c = g_object_new (TEST_TYPE_GEN_CONDITION, NULL);
  for (guint k = 0; k < G_N_ELEMENTS (s->m); k++)
    s->m[k] = test_manual_condition_new ();
  s->hook_step = G_MAXUINT;
}

static void
script_clear (Script *s)
{
  g_clear_object (&s->c);
  for (guint k = 0; k < G_N_ELEMENTS (s->m); k++)
    g_clear_object (&s->m[k]);
}

/* Fires a condition from another thread, count times. */
typedef struct
{
  GtaskletWaitCondition *condition;
  guint                  count;
} FireJob;

static gpointer
fire_thread (gpointer data)
{
  FireJob *job = data;

  for (guint i = 0; i < job->count; i++)
    gtasklet_wait_condition_fire (job->condition);
  return NULL;
}

static void
fire_from_thread (GtaskletWaitCondition *condition,
                  guint                  count)
{
  FireJob job = { condition, count };

  g_thread_join (g_thread_new ("firer", fire_thread, &job));
}

/* An armed condition fired from another thread wakes the tasklet on its own thread, once. */
static void
test_fire_armed (void)
{
  Script s;
  GtaskletTasklet *tasklet;

  script_init (&s);
  s.plan[0][0] = GTASKLET_WAIT_CONDITION (s.c);
  s.plan[1][0] = s.m[0];         /* c is dropped after its event */
  tasklet = gtasklet_tasklet_new (script_step, &s, NULL);
  gtasklet_tasklet_start (tasklet);
  g_assert_cmpint (gen_arming (s.c), ==, 1);

  /* Several fires from the other thread before this thread runs the loop: one event. */
  fire_from_thread (GTASKLET_WAIT_CONDITION (s.c), 3);
  test_wait_count (s.n_steps, 2, DEADLINE_MS);
  g_assert_cmpuint (s.n_steps, ==, 2);
  g_assert_true (s.events[1] == (GObject *) s.c);
  g_assert_cmpint (s.arming_of_event[1], ==, 1);
  test_drain ();
  g_assert_cmpuint (s.n_steps, ==, 2);
  g_assert_cmpint (gen_arming (s.c), ==, 0);

  gtasklet_wait_condition_fire (s.m[0]);
  test_wait_finished (tasklet, DEADLINE_MS);
  g_assert_cmpuint (s.n_steps, ==, 3);
  g_object_unref (tasklet);
  script_clear (&s);
}

/* A thread that fires an armed condition in a loop, while the tasklet's thread is busy,
 * queues one report for the tasklet, not one per fire (each queued report holds a reference
 * on the condition); once that report is handled, the next fire of the same arming queues
 * its own and wakes the next step. */
static void
test_fire_coalesced (void)
{
  Script s;
  GtaskletTasklet *tasklet;
  guint refs;

  script_init (&s);
  /* The first event comes through this thread's loop, so this thread is the one that runs
   * the context and the firing thread cannot borrow it. */
  s.plan[0][0] = s.m[0];
  s.plan[1][0] = GTASKLET_WAIT_CONDITION (s.c);
  s.plan[2][0] = GTASKLET_WAIT_CONDITION (s.c);   /* kept: the same arming goes on */
  tasklet = gtasklet_tasklet_new (script_step, &s, NULL);
  gtasklet_tasklet_start (tasklet);
  gtasklet_wait_condition_fire (s.m[0]);
  test_wait_count (s.n_steps, 2, DEADLINE_MS);
  g_assert_cmpint (gen_arming (s.c), ==, 1);

  refs = g_atomic_int_get (&G_OBJECT (s.c)->ref_count);
  fire_from_thread (GTASKLET_WAIT_CONDITION (s.c), 100000);
  g_assert_cmpuint (g_atomic_int_get (&G_OBJECT (s.c)->ref_count), <=, refs + 1);
  test_drain ();
  g_assert_cmpuint (s.n_steps, ==, 3);
  g_assert_true (s.events[2] == (GObject *) s.c);

  fire_from_thread (GTASKLET_WAIT_CONDITION (s.c), 1000);
  test_wait_finished (tasklet, DEADLINE_MS);
  g_assert_cmpuint (s.n_steps, ==, 4);
  g_assert_true (s.events[3] == (GObject *) s.c);
  g_assert_cmpint (s.arming_of_event[3], ==, 1);
  g_assert_cmpuint (G_OBJECT (s.c)->ref_count, ==, 1);
  g_object_unref (tasklet);
  script_clear (&s);
}

/* Firing a condition that is not armed, or no longer, does nothing. */
static void
test_fire_unarmed (void)
{
  Script s;
  GtaskletTasklet *tasklet;
  g_autoptr (GtaskletWaitCondition) never = g_object_new (TEST_TYPE_GEN_CONDITION, NULL);

  script_init (&s);
  s.plan[0][0] = GTASKLET_WAIT_CONDITION (s.c);
  s.plan[0][1] = s.m[0];
  s.plan[1][0] = s.m[1];         /* c disarmed from here on */
  tasklet = gtasklet_tasklet_new (script_step, &s, NULL);
  gtasklet_tasklet_start (tasklet);

  fire_from_thread (never, 100);
  gtasklet_wait_condition_fire (s.m[0]);
  test_wait_count (s.n_steps, 2, DEADLINE_MS);
  g_assert_true (s.events[1] == (GObject *) s.m[0]);
  g_assert_cmpint (gen_arming (s.c), ==, 0);

  fire_from_thread (GTASKLET_WAIT_CONDITION (s.c), 100);
  test_drain ();
  g_assert_cmpuint (s.n_steps, ==, 2);
  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_false (gtasklet_wait_condition_is_armed (never));

  gtasklet_wait_condition_fire (s.m[1]);
  test_wait_finished (tasklet, DEADLINE_MS);
  g_assert_cmpuint (s.n_steps, ==, 3);
  g_object_unref (tasklet);
  script_clear (&s);
}

/* Stale fires. The tasklet arms c (arming 1) together with m0, takes m0's event and waits on
 * m1 only (c disarmed), then takes m1's event and waits on c again (arming 2). A fire issued
 * from another thread during arming 1 must not wake arming 2: only a fire issued during
 * arming 2 may. Both tests end with a legitimate fire of arming 2, which finishes the
 * tasklet. */

static void
stale_script_init (Script *s)
{
  script_init (s);
  s->plan[0][0] = GTASKLET_WAIT_CONDITION (s->c);
  s->plan[0][1] = s->m[0];
  s->plan[1][0] = s->m[1];
  s->plan[2][0] = GTASKLET_WAIT_CONDITION (s->c);
  /* plan[3] is empty: the step after arming 2's event finishes the tasklet. */
}

static void
stale_script_finish (Script          *s,
                     GtaskletTasklet *tasklet)
{
  guint before = s->n_steps;

  if (s->c_events_per_arming[2] != 0)
    g_error ("a fire issued during arming 1 of the condition woke arming 2 (step %u)",
             before - 1);
  g_assert_cmpint (gen_arming (s->c), ==, 2);

  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (s->c));
  test_wait_finished (tasklet, DEADLINE_MS);
  g_assert_cmpuint (s->n_steps, ==, before + 1);
  g_assert_true (s->events[before] == (GObject *) s->c);
  g_assert_cmpint (s->c_events_per_arming[2], ==, 1);
  for (guint i = 0; i < MAX_STEPS; i++)
    g_assert_cmpint (s->c_events_per_arming[i], <=, 1);
}

/* The fire's call is under way (its `fired` handler runs on the firing thread) when arming 1
 * ends and arming 2 begins: the fire belongs to the arming current when fire() was called.
 * The firing thread is blocked inside the call until the rearm has happened, so this is
 * deterministic whatever the order in which the tasklet's thread handles its work. */

enum { STAGE_FIRE_ENTERED = 1, STAGE_REARMED = 2 };

typedef struct
{
  TestGenCondition *c;
  TestLatch         stage;
  int               blocked;    /* atomic: the firing thread blocked once */
} StaleBlocked;

static void
on_fired_block (GtaskletWaitCondition *condition,
                gpointer               data)
{
  StaleBlocked *b = data;

  if (g_thread_self () == main_thread || !g_atomic_int_compare_and_exchange (&b->blocked, 0, 1))
    return;
  test_latch_advance (&b->stage, STAGE_FIRE_ENTERED);
  test_latch_wait (&b->stage, STAGE_REARMED, DEADLINE_MS);
}

static gpointer
fire_when_armed_thread (gpointer data)
{
  StaleBlocked *b = data;

  test_latch_wait (&b->c->latch, ARMED (1), DEADLINE_MS);
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (b->c));
  return NULL;
}

static void
test_fire_stale_blocked (void)
{
  Script s;
  StaleBlocked b = { 0 };
  GtaskletTasklet *tasklet;
  GThread *firer;
  gulong handler;

  stale_script_init (&s);
  b.c = s.c;
  test_latch_init (&b.stage);
  handler = g_signal_connect (s.c, "fired", G_CALLBACK (on_fired_block), &b);
  tasklet = gtasklet_tasklet_new (script_step, &s, NULL);
  gtasklet_tasklet_start (tasklet);

  firer = g_thread_new ("firer", fire_when_armed_thread, &b);
  test_latch_wait (&b.stage, STAGE_FIRE_ENTERED, DEADLINE_MS);
  g_assert_cmpint (gen_arming (s.c), ==, 1);

  gtasklet_wait_condition_fire (s.m[0]);
  test_wait_count (s.n_steps, 2, DEADLINE_MS);
  /* Normally m0's event; c's is legitimate too if the library takes the fire before it emits
   * ::fired (the fire then belongs to arming 1 and is delivered there). */
  if (s.events[1] == (GObject *) s.c)
    g_test_message ("the fire reached arming 1 before its ::fired handler ran: nothing stale "
                    "left to check");
  else
    g_assert_true (s.events[1] == (GObject *) s.m[0]);
  gtasklet_wait_condition_fire (s.m[1]);
  test_wait_count (s.n_steps, 3, DEADLINE_MS);
  g_assert_cmpint (gen_arming (s.c), ==, 2);

  /* Let the stale fire complete, then give it every chance to be delivered. */
  test_latch_advance (&b.stage, STAGE_REARMED);
  g_thread_join (firer);
  test_drain ();

  stale_script_finish (&s, tasklet);
  g_signal_handler_disconnect (s.c, handler);
  test_latch_clear (&b.stage);
  g_object_unref (tasklet);
  script_clear (&s);
}

/* The fire's call has returned during arming 1 (from inside the step that then drops c, while
 * c is still armed), before the tasklet's thread has handled it; the tasklet's thread then
 * rearms c as soon as it can. */
static void
fire_c_from_thread_hook (gpointer data)
{
  Script *s = data;

  /* c is normally still armed while the step that drops it runs; if the library disarmed it
   * already, the fire finds it unarmed, which must do nothing either. */
  if (gen_arming (s->c) != 1)
    g_test_message ("c was disarmed before the step that drops it returned");
  fire_from_thread (GTASKLET_WAIT_CONDITION (s->c), 1);
}

static void
test_fire_stale_posted (void)
{
  Script s;
  GtaskletTasklet *tasklet;

  stale_script_init (&s);
  s.hook_step = 1;
  s.hook = fire_c_from_thread_hook;
  s.hook_data = &s;
  tasklet = gtasklet_tasklet_new (script_step, &s, NULL);
  gtasklet_tasklet_start (tasklet);

  gtasklet_wait_condition_fire (s.m[0]);
  test_wait_count (s.n_steps, 2, DEADLINE_MS);
  g_assert_true (s.events[1] == (GObject *) s.m[0]);
  gtasklet_wait_condition_fire (s.m[1]);
  test_wait_count (s.n_steps, 3, DEADLINE_MS);
  g_assert_cmpint (gen_arming (s.c), ==, 2);
  test_drain ();

  stale_script_finish (&s, tasklet);
  g_object_unref (tasklet);
  script_clear (&s);
}

/* Stress: one thread fires c in a loop while the tasklet keeps arming and disarming it. Every
 * step woken by c runs while c is armed, at most once per arming, and after a fire that could
 * belong to that arming. */

typedef struct
{
  TestGenCondition      *c;
  GtaskletWaitCondition *m[2];          /* fire as soon as they are armed */
  GRand                 *rand;
  guint                  target;        /* armings to go through */
  guint                  n_armings;
  guint                  n_c_events;
  int                    last_c_arming;
  int                    plan_stamp;    /* clock when the step that armed c began */
  int                    clock;         /* atomic */
  int                    in_fire;       /* atomic */
  int                    last_fire_end; /* atomic */
  int                    stop;          /* atomic */
  guint                  n_fires;
} FireStress;

static gpointer
fire_stress_thread (gpointer data)
{
  FireStress *f = data;

  while (!g_atomic_int_get (&f->stop))
    {
      if (gen_arming (f->c) == 0)
        {
          g_thread_yield ();
          continue;
        }
      g_atomic_int_set (&f->in_fire, 1);
      gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (f->c));
      g_atomic_int_set (&f->last_fire_end, g_atomic_int_add (&f->clock, 1) + 1);
      g_atomic_int_set (&f->in_fire, 0);
      f->n_fires++;
    }
  return NULL;
}

static GtaskletWaitCondition *
fire_stress_unarmed_m (FireStress *f)
{
  return TEST_MANUAL_CONDITION (f->m[0])->armed ? f->m[1] : f->m[0];
}

static gboolean
fire_stress_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  FireStress *f = user_data;
  int stamp = g_atomic_int_add (&f->clock, 1) + 1;

  g_assert_true (g_thread_self () == main_thread);

  if (event == (GObject *) f->c)
    {
      int arming = gen_arming (f->c);

      g_assert_cmpint (arming, >, 0);
      /* At most one event per arming: c is dropped after each of its events. */
      g_assert_cmpint (arming, >, f->last_c_arming);
      f->last_c_arming = arming;
      /* Some fire overlapped this arming: one under way, or one that ended after the step
       * that armed c began. */
      if (!g_atomic_int_get (&f->in_fire) &&
          !(g_atomic_int_get (&f->last_fire_end) > f->plan_stamp))
        g_error ("c woke arming %d but no fire ended after it was armed", arming);
      f->n_c_events++;
      gtasklet_tasklet_wait (tasklet, fire_stress_unarmed_m (f));
      return TRUE;
    }

  if (f->n_armings >= f->target)
    return TRUE;

  switch (g_rand_int_range (f->rand, 0, 4))
    {
    case 0:
    case 1:
      if (gen_arming (f->c) == 0)
        {
          f->n_armings++;
          f->plan_stamp = stamp;
        }
      gtasklet_tasklet_wait (tasklet, GTASKLET_WAIT_CONDITION (f->c));
      if (g_rand_boolean (f->rand))
        gtasklet_tasklet_wait (tasklet, fire_stress_unarmed_m (f));
      break;
    default:
      /* Drops c if it was armed, with fires for it maybe under way. */
      gtasklet_tasklet_wait (tasklet, fire_stress_unarmed_m (f));
      break;
    }
  return TRUE;
}

static void
test_fire_stress (void)
{
  FireStress f = { 0 };
  GtaskletTasklet *tasklet;
  GThread *firer;
  gint64 start = g_get_monotonic_time ();

  f.c = g_object_new (TEST_TYPE_GEN_CONDITION, NULL);
  f.c->clock = &f.clock;
  for (guint k = 0; k < 2; k++)
    {
      f.m[k] = test_manual_condition_new ();
      TEST_MANUAL_CONDITION (f.m[k])->fire_on_arm = TRUE;
    }
  f.rand = g_rand_new ();
  f.target = test_scaled (20000);

  firer = g_thread_new ("firer", fire_stress_thread, &f);
  tasklet = gtasklet_tasklet_new (fire_stress_step, &f, NULL);
  gtasklet_tasklet_start (tasklet);
  test_wait_finished (tasklet, DEADLINE_MS);
  g_atomic_int_set (&f.stop, 1);
  g_thread_join (firer);
  test_drain ();

  g_assert_null (gtasklet_tasklet_get_error (tasklet));
  g_assert_cmpint (gen_arming (f.c), ==, 0);
  g_test_message ("%u armings, %u woken by c, %u fires in %.2f s", f.n_armings, f.n_c_events,
                  f.n_fires, (g_get_monotonic_time () - start) / 1e6);

  g_object_unref (tasklet);
  g_object_unref (f.c);
  g_object_unref (f.m[0]);
  g_object_unref (f.m[1]);
  g_rand_free (f.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/gtasklet/threads/fire-armed", test_fire_armed);
  g_test_add_func ("/gtasklet/threads/fire-unarmed", test_fire_unarmed);
  g_test_add_func ("/gtasklet/threads/fire-coalesced", test_fire_coalesced);
  g_test_add_func ("/gtasklet/threads/fire-stale-posted", test_fire_stale_posted);
  g_test_add_func ("/gtasklet/threads/fire-stress", test_fire_stress);
  /* Last: it depends on which arming a fire overlapping a rearm belongs to (see there). */
  g_test_add_func ("/gtasklet/threads/fire-stale-blocked", test_fire_stale_blocked);

  return g_test_run ();
}

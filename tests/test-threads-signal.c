/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletWaitForSignal with emissions on threads other than the tasklet's: the condition
 * copies the arguments on the emitting thread, and must outlive every emission that has
 * entered its handler, whatever the tasklet's thread does with it meanwhile. Every wait has
 * a deadline; nothing sleeps. */
#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

/* A boxed argument whose copy tells the test: the condition copies an emission's arguments
 * inside its handler, so the copy is a moment when the emission is inside it. */

typedef struct _HeldEmission HeldEmission;

typedef struct
{
  HeldEmission *held;
} TestHold;

struct _HeldEmission
{
  GThread   *thread;      /* the emitting thread, set by itself */
  TestLatch  stage;       /* 1: the emission is inside the handler; 2: the condition dropped */
  gboolean   paused;      /* the emitting thread only */
  int        finalized;   /* atomic: the condition is gone */
};

static gpointer
test_hold_copy (gpointer boxed)
{
  HeldEmission *h = ((TestHold *) boxed)->held;

  if (g_thread_self () == h->thread && !h->paused)
    {
      h->paused = TRUE;
      test_latch_advance (&h->stage, 1);
      test_latch_wait (&h->stage, 2, DEADLINE_MS);
      /* Returning now would have the handler write into freed memory. */
      if (g_atomic_int_get (&h->finalized))
        g_error ("the condition was finalized while an emission on another thread was inside "
                 "its handler");
    }
  /* Static: the copies share the one value. */
  return boxed;
}

static void
test_hold_free (gpointer boxed)
{
}

#define TEST_TYPE_HOLD (test_hold_get_type ())
GType test_hold_get_type (void);
G_DEFINE_BOXED_TYPE (TestHold, test_hold, test_hold_copy, test_hold_free)

#define TEST_TYPE_HOLD_EMITTER (test_hold_emitter_get_type ())
G_DECLARE_FINAL_TYPE (TestHoldEmitter, test_hold_emitter, TEST, HOLD_EMITTER, GObject)

struct _TestHoldEmitter
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (TestHoldEmitter, test_hold_emitter, G_TYPE_OBJECT)

static void
test_hold_emitter_class_init (TestHoldEmitterClass *klass)
{
  /* Static scope: the emission itself does not copy the argument, only the condition does. */
  g_signal_new ("hold", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, TEST_TYPE_HOLD | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* A signal returning a value: the condition watches it with an emission hook. */
  g_signal_new ("hold-returning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_BOOLEAN, 1, TEST_TYPE_HOLD | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
test_hold_emitter_init (TestHoldEmitter *self)
{
}

typedef struct
{
  GObject      *emitter;
  const char   *signal;
  HeldEmission *held;
} Emission;

static gpointer
emit_thread (gpointer data)
{
  Emission *e = data;
  TestHold hold = { e->held };

  gboolean handled = FALSE;

  e->held->thread = g_thread_self ();
  if (g_str_equal (e->signal, "hold"))
    g_signal_emit_by_name (e->emitter, e->signal, &hold);
  else
    g_signal_emit_by_name (e->emitter, e->signal, &hold, &handled);
  return NULL;
}

static void
flag_finalized (gpointer  data,
                GObject  *where_the_object_was)
{
  g_atomic_int_set ((int *) data, TRUE);
}

/* The tasklet drops the condition from its wait set, the last reference to it, while an
 * emission on another thread is inside its handler (or its emission hook, for a signal that
 * returns a value): the condition must stay until that emission has left it. The emission is
 * held there every time through the copy of its argument. */
static void
run_dropped_during_emission (const char *signal)
{
  HeldEmission held = { 0 };
  GObject *emitter = g_object_new (TEST_TYPE_HOLD_EMITTER, NULL);
  TestDrop d = { 0 };
  GtaskletTasklet *tasklet;
  Emission e = { emitter, signal, &held };
  GThread *thread;

  test_latch_init (&held.stage);
  d.dropped = gtasklet_wait_for_signal_new (emitter, signal);
  d.idle = test_manual_condition_new ();
  g_object_weak_ref (G_OBJECT (d.dropped), flag_finalized, &held.finalized);
  tasklet = gtasklet_tasklet_new (test_drop_step, &d, NULL);
  gtasklet_tasklet_start (tasklet);
  /* The wait set holds the only reference from now on. */
  g_object_unref (d.dropped);

  thread = g_thread_new ("emitter", emit_thread, &e);
  test_latch_wait (&held.stage, 1, DEADLINE_MS);
  gtasklet_wait_condition_fire (d.idle);
  test_wait_finished (tasklet, DEADLINE_MS);
  test_latch_advance (&held.stage, 2);
  g_thread_join (thread);

  /* Gone once the emission has left it. */
  g_assert_true (g_atomic_int_get (&held.finalized));
  g_assert_no_error (gtasklet_tasklet_get_error (tasklet));

  g_object_unref (tasklet);
  g_object_unref (d.idle);
  g_object_unref (emitter);
  test_latch_clear (&held.stage);
}

static void
test_signal_condition_dropped_during_emission (void)
{
  run_dropped_during_emission ("hold");
}

static void
test_hook_condition_dropped_during_emission (void)
{
  run_dropped_during_emission ("hold-returning");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/threads/signal-condition-dropped-during-emission",
                   test_signal_condition_dropped_during_emission);
  g_test_add_func ("/gtasklet/threads/hook-condition-dropped-during-emission",
                   test_hook_condition_dropped_during_emission);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting a tasklet from a thread that does not run its context, racing calls from other
 * threads: the start is posted to the context's thread, and what other threads do between
 * the tasklet becoming SUSPENDED and that post reaches the context's thread first. Every
 * wait has a deadline; nothing sleeps. */
#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

/* Makes this thread the one known to run the global default context (its scheduler's last
 * dispatcher): a start from another thread is then posted here rather than run there. */
static void
dispatch_default_once (void)
{
  GtaskletWaitCondition *manual = test_manual_condition_new ();
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (test_wait_once_step, manual, NULL);

  gtasklet_tasklet_start (tasklet);
  gtasklet_wait_condition_fire (manual);
  test_wait_finished (tasklet, DEADLINE_MS);
  g_object_unref (tasklet);
  g_object_unref (manual);
}

/* A cancel from this thread lands between the other thread's start making the tasklet
 * SUSPENDED and posting its first step here: the cancellation reaches this thread first. The
 * tasklet must end cancelled without running a step, once. The moment is reached every time
 * through a toggle reference on the tasklet, which tells the reference the start takes on
 * it right after the state changed. */

typedef struct
{
  GtaskletTasklet *tasklet;
  GThread         *thread;      /* set by the starting thread itself */
  TestLatch        stage;       /* 1: the start took its reference; 2: cancelled */
  gboolean         toggled;     /* the starting thread only */
  guint            n_steps;
} StartCancel;

static void
start_cancel_toggled (gpointer  data,
                      GObject  *object,
                      gboolean  is_last_ref)
{
  StartCancel *s = data;

  if (is_last_ref || g_thread_self () != s->thread || s->toggled)
    return;
  s->toggled = TRUE;
  test_latch_advance (&s->stage, 1);
  test_latch_wait (&s->stage, 2, DEADLINE_MS);
}

static gboolean
start_cancel_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  StartCancel *s = user_data;

  s->n_steps++;
  return TRUE;
}

static gpointer
start_cancel_thread (gpointer data)
{
  StartCancel *s = data;

  /* No thread-default context: the tasklet goes to the global default one, which the test's
   * thread runs. */
  g_assert_null (g_main_context_get_thread_default ());
  s->thread = g_thread_self ();
  gtasklet_tasklet_start (s->tasklet);
  return NULL;
}

static void
test_cancel_racing_posted_start (void)
{
  StartCancel s = { 0 };
  GThread *thread;

  dispatch_default_once ();
  test_latch_init (&s.stage);
  s.tasklet = gtasklet_tasklet_new (start_cancel_step, &s, NULL);
  /* The toggle reference becomes the test's only one. */
  g_object_add_toggle_ref (G_OBJECT (s.tasklet), start_cancel_toggled, &s);
  g_object_unref (s.tasklet);

  thread = g_thread_new ("starter", start_cancel_thread, &s);
  test_latch_wait (&s.stage, 1, DEADLINE_MS);
  g_assert_cmpint (gtasklet_tasklet_get_state (s.tasklet), ==, GTASKLET_STATE_SUSPENDED);
  gtasklet_tasklet_cancel (s.tasklet);
  test_latch_advance (&s.stage, 2);
  g_thread_join (thread);

  test_wait_finished (s.tasklet, DEADLINE_MS);
  test_drain ();
  test_assert_cancelled (s.tasklet);
  g_assert_cmpuint (s.n_steps, ==, 0);

  g_object_ref (s.tasklet);
  g_object_remove_toggle_ref (G_OBJECT (s.tasklet), start_cancel_toggled, &s);
  g_object_unref (s.tasklet);
  test_latch_clear (&s.stage);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/threads/cancel-racing-posted-start",
                   test_cancel_racing_posted_start);

  return g_test_run ();
}

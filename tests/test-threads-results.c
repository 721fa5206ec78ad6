/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The "Threads" rules of the contract about finished tasklets, across real threads: join_async
 * from a thread iterating its own context, get_result and get_error read from other threads,
 * and WaitForTasklet between tasklets of different contexts, both ways. Every wait has a
 * deadline; nothing sleeps. */
#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static GThread *main_thread;

/* join_async from another thread */

typedef struct
{
  GtaskletTasklet       *tasklet;
  GtaskletWaitCondition *manual;
  gboolean               fail;
  TestLatch              joined;
  /* Filled on the joining thread. */
  GMainContext          *context;
  GThread               *thread;
  gboolean               done;
  int                    value;
  GError                *error;
} JoinCase;

static gboolean
join_case_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  JoinCase *j = user_data;
  GValue value = G_VALUE_INIT;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, j->manual);
      return TRUE;
    }
  if (j->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "joined failure");
      return FALSE;
    }
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  gtasklet_tasklet_return_value (tasklet, &value);
  return TRUE;
}

static void
joined_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  JoinCase *j = user_data;
  const GValue *value;

  /* In the joining thread, from its thread-default context. */
  g_assert_true (g_thread_self () == j->thread);
  g_assert_true (g_main_context_get_thread_default () == j->context);
  g_assert_true (g_main_context_is_owner (j->context));
  g_assert_true (source == (GObject *) j->tasklet);

  value = gtasklet_tasklet_join_finish (j->tasklet, result, &j->error);
  if (value != NULL)
    j->value = g_value_get_int (value);
  j->done = TRUE;
}

static gpointer
join_thread (gpointer data)
{
  JoinCase *j = data;

  j->context = g_main_context_new ();
  j->thread = g_thread_self ();
  g_main_context_push_thread_default (j->context);

  gtasklet_tasklet_join_async (j->tasklet, NULL, joined_cb, j);
  test_latch_advance (&j->joined, 1);
  test_wait_until (j->done, DEADLINE_MS);

  g_main_context_pop_thread_default (j->context);
  g_main_context_unref (j->context);
  return NULL;
}

static void
run_join_case (gboolean fail,
               gboolean finish_first)
{
  JoinCase j = { 0 };
  GThread *thread;

  j.fail = fail;
  j.manual = test_manual_condition_new ();
  test_latch_init (&j.joined);
  j.tasklet = gtasklet_tasklet_new (join_case_step, &j, NULL);
  gtasklet_tasklet_start (j.tasklet);

  if (finish_first)
    {
      gtasklet_wait_condition_fire (j.manual);
      test_wait_finished (j.tasklet, DEADLINE_MS);
    }
  thread = g_thread_new ("joiner", join_thread, &j);
  test_latch_wait (&j.joined, 1, DEADLINE_MS);
  if (!finish_first)
    {
      gtasklet_wait_condition_fire (j.manual);
      test_wait_finished (j.tasklet, DEADLINE_MS);
    }
  g_thread_join (thread);

  g_assert_true (j.done);
  if (fail)
    {
      g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_FAILED);
    }
  else
    {
      g_assert_no_error (j.error);
      g_assert_cmpint (j.value, ==, 42);
    }

  g_clear_error (&j.error);
  g_object_unref (j.tasklet);
  g_object_unref (j.manual);
  test_latch_clear (&j.joined);
}

static void
test_join_from_thread (void)
{
  run_join_case (FALSE, FALSE);
  run_join_case (TRUE, FALSE);
}

static void
test_join_finished_from_thread (void)
{
  run_join_case (FALSE, TRUE);
  run_join_case (TRUE, TRUE);
}

/* join_async from several threads at the moment the tasklet finishes: whether a join comes
 * before or after the finish, its callback runs once, in its own thread, with the result. */

#define N_JOINERS 3

typedef struct
{
  GtaskletTasklet *tasklet;
  TestLatch       *go;
  GThread         *thread;
  GMainContext    *context;
  guint            n_callbacks;
  gboolean         done;
  int              value;
} RacingJoiner;

static void
racing_joined_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RacingJoiner *j = user_data;
  g_autoptr (GError) error = NULL;
  const GValue *value;

  g_assert_true (g_thread_self () == j->thread);
  g_assert_true (g_main_context_get_thread_default () == j->context);
  value = gtasklet_tasklet_join_finish (j->tasklet, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  j->value = g_value_get_int (value);
  j->n_callbacks++;
  j->done = TRUE;
}

static gpointer
racing_join_thread (gpointer data)
{
  RacingJoiner *j = data;

  j->context = g_main_context_new ();
  g_main_context_push_thread_default (j->context);
  test_latch_wait (j->go, 1, DEADLINE_MS);
  gtasklet_tasklet_join_async (j->tasklet, NULL, racing_joined_cb, j);
  test_wait_until (j->done, 10000);
  /* Nothing else arrives for this join. */
  test_drain ();
  g_main_context_pop_thread_default (j->context);
  g_main_context_unref (j->context);
  return NULL;
}

static void
test_join_racing_finish (void)
{
  guint rounds = test_scaled (50);

  for (guint round = 0; round < rounds; round++)
    {
      JoinCase jc = { 0 };
      RacingJoiner joiners[N_JOINERS];
      TestLatch go;

      test_latch_init (&go);
      jc.manual = test_manual_condition_new ();
      jc.tasklet = gtasklet_tasklet_new (join_case_step, &jc, NULL);
      gtasklet_tasklet_start (jc.tasklet);
      for (guint i = 0; i < N_JOINERS; i++)
        {
          joiners[i] = (RacingJoiner) { .tasklet = jc.tasklet, .go = &go };
          joiners[i].thread = g_thread_new ("joiner", racing_join_thread, &joiners[i]);
        }

      test_latch_advance (&go, 1);
      gtasklet_wait_condition_fire (jc.manual);
      test_wait_finished (jc.tasklet, DEADLINE_MS);
      for (guint i = 0; i < N_JOINERS; i++)
        {
          g_thread_join (joiners[i].thread);
          g_assert_cmpuint (joiners[i].n_callbacks, ==, 1);
          g_assert_cmpint (joiners[i].value, ==, 42);
        }

      g_object_unref (jc.tasklet);
      g_object_unref (jc.manual);
      test_latch_clear (&go);
    }
}

/* Joins racing finishes in lockstep: this thread finishes fresh tasklets (no cancellable, no
 * name: nothing allocated beside the object) one at a time, while another thread joins each
 * one the moment its finish begins, after a random spin so that across the rounds the join
 * lands everywhere around the finish. Every join must complete, once, with the result. */

typedef struct
{
  GtaskletTasklet      **tasklets;
  guint                  n;
  guint                  round;         /* atomic: the tasklet this thread is finishing */
  guint                  n_done;        /* joiner's thread only */
  guint                  n_bad;
} JoinLockstep;

static gboolean
lockstep_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  GValue value = G_VALUE_INIT;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, user_data);
      return TRUE;
    }
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  gtasklet_tasklet_return_value (tasklet, &value);
  return TRUE;
}

static void
lockstep_joined_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  JoinLockstep *l = user_data;
  g_autoptr (GError) error = NULL;
  const GValue *value = gtasklet_tasklet_join_finish (GTASKLET_TASKLET (source), result, &error);

  if (value == NULL || g_value_get_int (value) != 42)
    l->n_bad++;
  l->n_done++;
}

static gpointer
lockstep_join_thread (gpointer data)
{
  JoinLockstep *l = data;
  GMainContext *context = g_main_context_new ();
  GRand *rand = g_rand_new ();

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < l->n; i++)
    {
      guint spin = g_rand_int_range (rand, 0, 4000);

      /* Yields: under valgrind, which runs one thread at a time, a bare spin would wait for
       * the end of its time slice every round. */
      while ((guint) g_atomic_int_get (&l->round) < i + 1)
        g_thread_yield ();
      for (volatile guint k = 0; k < spin; k++)
        ;
      gtasklet_tasklet_join_async (l->tasklets[i], NULL, lockstep_joined_cb, l);
    }
  test_wait_count (l->n_done, l->n, DEADLINE_MS);
  g_rand_free (rand);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
test_join_lockstep_racing_finish (void)
{
  JoinLockstep l = { 0 };
  GtaskletWaitCondition **manual;
  GThread *joiner;

  l.n = test_scaled (20000);
  l.tasklets = g_new (GtaskletTasklet *, l.n);
  manual = g_new (GtaskletWaitCondition *, l.n);
  for (guint i = 0; i < l.n; i++)
    {
      manual[i] = test_manual_condition_new ();
      l.tasklets[i] = gtasklet_tasklet_new (lockstep_step, manual[i], NULL);
      gtasklet_tasklet_start (l.tasklets[i]);
    }

  joiner = g_thread_new ("joiner", lockstep_join_thread, &l);
  for (guint i = 0; i < l.n; i++)
    {
      g_atomic_int_set (&l.round, i + 1);
      gtasklet_wait_condition_fire (manual[i]);
      test_wait_finished (l.tasklets[i], DEADLINE_MS);
    }
  g_thread_join (joiner);
  g_assert_cmpuint (l.n_done, ==, l.n);
  g_assert_cmpuint (l.n_bad, ==, 0);

  for (guint i = 0; i < l.n; i++)
    {
      g_object_unref (l.tasklets[i]);
      g_object_unref (manual[i]);
    }
  g_free (l.tasklets);
  g_free (manual);
}

/* join_async() with a cancellable from a thread that has no thread-default context: the join
 * completes in the global default context, which this thread runs. The tasklet finishes and
 * this thread runs the completion right after the other thread has linked the join into the
 * tasklet, while join_async() is still connecting to the cancellable: the join must not be
 * freed under it, and no handler of it may stay connected to the cancellable. The moment is
 * reached every time through a toggle reference on the cancellable, which tells the other
 * thread's first g_object_ref() of it. */

typedef struct
{
  GtaskletTasklet *tasklet;
  GCancellable    *cancellable;
  GThread         *thread;      /* set by the other thread itself */
  TestLatch        stage;       /* 1: the join took the cancellable; 2: it has completed */
  gboolean         toggled;     /* the other thread only */
  gboolean         joined;
  gboolean         cancelled;
} JoinConnecting;

static void
join_connecting_toggled (gpointer  data,
                         GObject  *object,
                         gboolean  is_last_ref)
{
  JoinConnecting *j = data;

  if (is_last_ref || g_thread_self () != j->thread || j->toggled)
    return;
  j->toggled = TRUE;
  test_latch_advance (&j->stage, 1);
  test_latch_wait (&j->stage, 2, DEADLINE_MS);
}

static void
join_connecting_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  JoinConnecting *j = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_thread_self () == main_thread);
  gtasklet_tasklet_join_finish (GTASKLET_TASKLET (source), result, &error);
  j->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  j->joined = TRUE;
}

static gpointer
join_connecting_thread (gpointer data)
{
  JoinConnecting *j = data;

  g_assert_null (g_main_context_get_thread_default ());
  j->thread = g_thread_self ();
  gtasklet_tasklet_join_async (j->tasklet, j->cancellable, join_connecting_cb, j);
  return NULL;
}

static void
test_join_completes_while_connecting (void)
{
  JoinConnecting j = { 0 };
  GtaskletWaitCondition *manual = test_manual_condition_new ();
  GThread *thread;

  test_latch_init (&j.stage);
  j.tasklet = gtasklet_tasklet_new (lockstep_step, manual, NULL);
  gtasklet_tasklet_start (j.tasklet);
  j.cancellable = g_cancellable_new ();
  g_object_add_toggle_ref (G_OBJECT (j.cancellable), join_connecting_toggled, &j);
  g_object_unref (j.cancellable);

  thread = g_thread_new ("joiner", join_connecting_thread, &j);
  test_latch_wait (&j.stage, 1, DEADLINE_MS);
  gtasklet_wait_condition_fire (manual);
  test_wait_until (j.joined, DEADLINE_MS);
  g_assert_false (j.cancelled);
  test_latch_advance (&j.stage, 2);
  g_thread_join (thread);

  /* A handler left behind would run for a freed join when the cancellable is cancelled. */
  if (g_signal_has_handler_pending (j.cancellable, g_signal_lookup ("cancelled", G_TYPE_CANCELLABLE),
                                    0, FALSE))
    g_error ("a completed join is still connected to its cancellable");
  g_cancellable_cancel (j.cancellable);
  test_drain ();

  g_object_ref (j.cancellable);
  g_object_remove_toggle_ref (G_OBJECT (j.cancellable), join_connecting_toggled, &j);
  g_object_unref (j.cancellable);
  g_object_unref (j.tasklet);
  g_object_unref (manual);
  test_latch_clear (&j.stage);
}

/* get_result / get_error from other threads */

typedef struct
{
  GtaskletTasklet       *tasklet;
  GtaskletWaitCondition *manual;
  gboolean               fail;
  TestLatch              ready;
} ResultCase;

static gboolean
result_case_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  ResultCase *rc = user_data;
  GValue value = G_VALUE_INIT;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, rc->manual);
      return TRUE;
    }
  if (rc->fail)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such %s", "thing");
      return FALSE;
    }
  g_value_init (&value, G_TYPE_STRING);
  g_value_take_string (&value, g_strdup_printf ("result-%d", 12345));
  gtasklet_tasklet_return_value (tasklet, &value);
  g_value_unset (&value);
  return TRUE;
}

static gpointer
result_reader_thread (gpointer data)
{
  ResultCase *rc = data;
  gint64 end = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  test_latch_advance (&rc->ready, test_latch_get (&rc->ready) + 1);
  /* Read the moment FINISHED shows: the result must be complete by then. */
  while (gtasklet_tasklet_get_state (rc->tasklet) != GTASKLET_STATE_FINISHED)
    if (g_get_monotonic_time () > end)
      g_error ("the tasklet did not finish within %d ms", DEADLINE_MS);

  for (guint i = 0; i < 1000; i++)
    {
      const GValue *result = gtasklet_tasklet_get_result (rc->tasklet);
      const GError *error = gtasklet_tasklet_get_error (rc->tasklet);

      if (rc->fail)
        {
          g_assert_null (result);
          g_assert_nonnull (error);
          g_assert_true (error->domain == G_IO_ERROR);
          g_assert_cmpint (error->code, ==, G_IO_ERROR_NOT_FOUND);
          g_assert_cmpstr (error->message, ==, "no such thing");
        }
      else
        {
          g_assert_null (error);
          g_assert_nonnull (result);
          g_assert_true (G_VALUE_HOLDS_STRING (result));
          g_assert_cmpstr (g_value_get_string (result), ==, "result-12345");
        }
    }
  return NULL;
}

static void
run_result_case (gboolean fail)
{
  enum { N_READERS = 2 };
  ResultCase rc = { 0 };
  GThread *readers[N_READERS];

  rc.fail = fail;
  rc.manual = test_manual_condition_new ();
  test_latch_init (&rc.ready);
  rc.tasklet = gtasklet_tasklet_new (result_case_step, &rc, NULL);
  gtasklet_tasklet_start (rc.tasklet);

  for (guint i = 0; i < N_READERS; i++)
    readers[i] = g_thread_new ("reader", result_reader_thread, &rc);
  test_latch_wait (&rc.ready, N_READERS, DEADLINE_MS);
  gtasklet_wait_condition_fire (rc.manual);
  test_wait_finished (rc.tasklet, DEADLINE_MS);
  for (guint i = 0; i < N_READERS; i++)
    g_thread_join (readers[i]);

  g_object_unref (rc.tasklet);
  g_object_unref (rc.manual);
  test_latch_clear (&rc.ready);
}

static void
test_result_from_thread (void)
{
  run_result_case (FALSE);
  run_result_case (TRUE);
}

/* WaitForTasklet across contexts */

typedef struct
{
  GtaskletTasklet       *target;        /* waited for */
  GtaskletTasklet       *waiter;
  GtaskletWaitCondition *target_manual; /* finishes the target when fired */
  GThread               *waiter_thread;
  GThread               *target_thread;
  gboolean               target_first;  /* the target finishes before the waiter waits */
  gboolean               woken;
  int                    result;
} CrossWait;

static gboolean
cross_target_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  CrossWait *w = user_data;
  GValue value = G_VALUE_INIT;

  g_assert_true (g_thread_self () == w->target_thread);
  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, w->target_manual);
      return TRUE;
    }
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 99);
  gtasklet_tasklet_return_value (tasklet, &value);
  return TRUE;
}

static gboolean
cross_waiter_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  CrossWait *w = user_data;
  const GValue *result;

  /* The waiter's steps run on its own thread, whoever's thread the target finished on. */
  g_assert_true (g_thread_self () == w->waiter_thread);
  if (event == NULL)
    {
      g_autoptr (GtaskletWaitCondition) condition = gtasklet_wait_for_tasklet_new (w->target);

      gtasklet_tasklet_wait (tasklet, condition);
      return TRUE;
    }

  g_assert_true (GTASKLET_IS_WAIT_FOR_TASKLET (event));
  g_assert_null (gtasklet_wait_for_tasklet_get_error (GTASKLET_WAIT_FOR_TASKLET (event)));
  result = gtasklet_wait_for_tasklet_get_result (GTASKLET_WAIT_FOR_TASKLET (event));
  g_assert_nonnull (result);
  w->result = g_value_get_int (result);
  w->woken = TRUE;
  return TRUE;
}

static void
start_target (gpointer data,
              gpointer unused)
{
  CrossWait *w = data;

  w->target = gtasklet_tasklet_new (cross_target_step, w, NULL);
  gtasklet_tasklet_start (w->target);
}

static void
start_waiter (gpointer data,
              gpointer unused)
{
  CrossWait *w = data;

  w->waiter = gtasklet_tasklet_new (cross_waiter_step, w, NULL);
  gtasklet_tasklet_start (w->waiter);
}

static void
finish_target (gpointer data,
               gpointer unused)
{
  CrossWait *w = data;

  gtasklet_wait_condition_fire (w->target_manual);
  test_wait_finished (w->target, DEADLINE_MS);
}

static void
wait_waiter_finished (gpointer data,
                      gpointer unused)
{
  CrossWait *w = data;

  test_wait_finished (w->waiter, DEADLINE_MS);
}

static void
unref_tasklets (gpointer data,
                gpointer unused)
{
  CrossWait *w = data;

  g_clear_object (&w->target);
  g_clear_object (&w->waiter);
}

/* The target lives on the worker when target_on_worker, else on the main context; the waiter
 * on the other one. */
static void
run_cross_wait (gboolean target_on_worker,
                gboolean target_first)
{
  TestWorker *worker = test_worker_new ("worker");
  CrossWait w = { 0 };

  w.target_first = target_first;
  w.target_manual = test_manual_condition_new ();
  w.target_thread = target_on_worker ? test_worker_get_thread (worker) : main_thread;
  w.waiter_thread = target_on_worker ? main_thread : test_worker_get_thread (worker);

#define ON_TARGET(func) \
  (target_on_worker ? test_worker_call (worker, func, &w) : func (&w, NULL))
#define ON_WAITER(func) \
  (target_on_worker ? func (&w, NULL) : test_worker_call (worker, func, &w))

  ON_TARGET (start_target);
  if (target_first)
    ON_TARGET (finish_target);
  ON_WAITER (start_waiter);
  if (!target_first)
    ON_TARGET (finish_target);
  ON_WAITER (wait_waiter_finished);

#undef ON_TARGET
#undef ON_WAITER

  g_assert_true (w.woken);
  g_assert_cmpint (w.result, ==, 99);
  g_assert_null (gtasklet_tasklet_get_error (w.waiter));

  /* Each tasklet goes away on its own thread. */
  if (target_on_worker)
    {
      g_clear_object (&w.waiter);
      test_worker_call (worker, unref_tasklets, &w);
    }
  else
    {
      g_clear_object (&w.target);
      test_worker_call (worker, unref_tasklets, &w);
    }
  test_worker_free (worker);
  test_drain ();
  g_object_unref (w.target_manual);
}

static void
test_wait_for_tasklet_on_main_from_thread (void)
{
  run_cross_wait (FALSE, FALSE);
  run_cross_wait (FALSE, TRUE);
}

static void
test_wait_for_tasklet_on_thread_from_main (void)
{
  run_cross_wait (TRUE, FALSE);
  run_cross_wait (TRUE, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/gtasklet/threads/join-from-thread", test_join_from_thread);
  g_test_add_func ("/gtasklet/threads/join-finished-from-thread", test_join_finished_from_thread);
  g_test_add_func ("/gtasklet/threads/join-racing-finish", test_join_racing_finish);
  g_test_add_func ("/gtasklet/threads/join-lockstep-racing-finish",
                   test_join_lockstep_racing_finish);
  g_test_add_func ("/gtasklet/threads/join-completes-while-connecting",
                   test_join_completes_while_connecting);
  g_test_add_func ("/gtasklet/threads/result-from-thread", test_result_from_thread);
  g_test_add_func ("/gtasklet/threads/wait-for-tasklet-on-main-from-thread",
                   test_wait_for_tasklet_on_main_from_thread);
  g_test_add_func ("/gtasklet/threads/wait-for-tasklet-on-thread-from-main",
                   test_wait_for_tasklet_on_thread_from_main);

  return g_test_run ();
}

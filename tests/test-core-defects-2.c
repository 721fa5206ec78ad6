/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Regression tests for the defects of the core that the rewrite fixes, written against the
 * intended behaviour before the fix (part 2: what joins and waits keep alive, the cancellable
 * property, range checks, reporting failures nobody read, and tasklets whose context goes
 * away). Every body runs in a subprocess, see core-defects-util.h. */

#include "core-defects-util.h"
#include "test-thread-util.h"

/* 8. leaks */

typedef struct
{
  gboolean      done;
  GError       *error;
  GThread      *thread;
  GMainContext *context;     /* of the source that ran the callback; no reference */
} Joined;

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Joined *j = user_data;
  GSource *current = g_main_current_source ();

  if (source != NULL)
    gtasklet_tasklet_join_finish (GTASKLET_TASKLET (source), result, &j->error);
  else
    /* A tasklet that was finalized cannot be the source object any more. */
    g_task_propagate_pointer (G_TASK (result), &j->error);
  j->thread = g_thread_self ();
  j->context = current != NULL ? g_source_get_context (current) : NULL;
  j->done = TRUE;
}

static void
test_join_never_started (void)
{
  GtaskletTasklet *t = defect_sleeper_new (60000);
  Joined j = { FALSE };
  gboolean finalized;

  defect_watch_finalize (t, &finalized);
  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  /* The only reference: the tasklet will never finish, so the join must not keep it. */
  g_object_unref (t);

  test_wait_until (j.done, defect_deadline_ms ());
  test_wait_until (finalized, defect_deadline_ms ());
  g_assert_error (j.error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_STARTED);
  g_assert_true (j.thread == g_thread_self ());
  g_assert_true (j.context == g_main_context_default ());
  g_clear_error (&j.error);
}

static void
test_join_context_destroyed (void)
{
  GMainContext *context = g_main_context_new ();
  GtaskletTasklet *t = defect_sleeper_new (60000);
  Joined j = { FALSE };
  gboolean finalized;

  g_main_context_push_thread_default (context);
  gtasklet_tasklet_start (t);
  g_main_context_pop_thread_default (context);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  defect_watch_finalize (t, &finalized);

  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  /* The last reference to its context: the tasklet can never run again. */
  g_main_context_unref (context);

  test_wait_until (j.done, defect_deadline_ms ());
  g_assert_error (j.error, GTASKLET_ERROR, GTASKLET_ERROR_CONTEXT_DESTROYED);
  g_assert_true (j.thread == g_thread_self ());
  g_assert_true (j.context == g_main_context_default ());
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR,
                  GTASKLET_ERROR_CONTEXT_DESTROYED);

  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_clear_error (&j.error);
}

static void
test_join_cancelled_released (void)
{
  g_autoptr (GtaskletTasklet) t = defect_sleeper_new (60000);
  GCancellable *cancellable = g_cancellable_new ();
  Joined j = { FALSE };
  gboolean cancellable_finalized;

  gtasklet_tasklet_start (t);
  defect_watch_finalize (cancellable, &cancellable_finalized);
  gtasklet_tasklet_join_async (t, cancellable, on_joined, &j);
  g_cancellable_cancel (cancellable);

  test_wait_until (j.done, defect_deadline_ms ());
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The join is over: nothing of it may stay until the tasklet finishes. */
  g_object_unref (cancellable);
  test_wait_until (cancellable_finalized, defect_deadline_ms ());
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);

  defect_cancel_and_wait (t);
  g_clear_error (&j.error);
}

/* 9. process-late-success */

/* The suspected defect: the completion callback of a GSubprocess wait does
 * g_clear_object (&priv->subprocess_wait), so a late *successful* completion of an older wait,
 * after the condition was disarmed and armed again, would drop the newer wait's cancellable;
 * the next disarm could then not cancel the newer wait, which keeps a reference on the
 * condition until the child exits.
 *
 * On GLib 2.74 that late success cannot happen, so no test can make this fail on the current
 * core; this one pins down the behaviour instead. Disarming always cancels the older wait
 * first, and g_subprocess_wait_finish () goes through g_task_propagate_boolean (), which
 * checks the task's cancellable (check-cancellable is on by default) before the result: a wait
 * whose cancellable was cancelled finishes with G_IO_ERROR_CANCELLED whatever happened to the
 * child, even if GLib had already returned TRUE for it (a child that exited, or that was
 * already reaped when the wait started: then the wait completes from an idle, as the task of
 * the older wait here does). Only the current wait can succeed, and its success clears its
 * own cancellable.
 *
 * The scenario, deterministic: the child (cat, reading a pipe we hold) runs throughout.
 *   step 0: waits on the process P and on M1, which fires as it is armed: wait W1 starts;
 *   step 1 (M1): waits on M2 (fires as it is armed): P disarmed, W1 cancelled; W1's callback
 *     is now queued from an idle;
 *   step 2 (M2, same dispatch, before that idle): waits on P and M3: wait W2 starts;
 *   then W1's callback runs (the "late" completion);
 *   step 3 (M3, fired by the test): waits on M4: P disarmed again, W2 must be cancelled;
 *   step 4 (M4): finishes.
 * Then, with the child still running and the context drained, nothing may hold P: had W1's
 * completion dropped W2's cancellable, W2 would still hold P. P never fires. */

typedef struct
{
  GtaskletWaitCondition *process;
  GtaskletWaitCondition *m[5];       /* m[1] to m[4] */
  GObject               *events[6];  /* no references */
  guint                  n_steps;
} Dance;

static gboolean
dance_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Dance *d = user_data;
  guint step = d->n_steps++;

  g_assert (step < G_N_ELEMENTS (d->events));
  d->events[step] = event;
  switch (step)
    {
    case 0:
      gtasklet_tasklet_wait (tasklet, d->process);
      gtasklet_tasklet_wait (tasklet, d->m[1]);
      break;
    case 1:
      gtasklet_tasklet_wait (tasklet, d->m[2]);
      break;
    case 2:
      gtasklet_tasklet_wait (tasklet, d->process);
      gtasklet_tasklet_wait (tasklet, d->m[3]);
      break;
    case 3:
      gtasklet_tasklet_wait (tasklet, d->m[4]);
      break;
    default:
      break;
    }
  return TRUE;
}

static void
test_process_late_success (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) child =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, "cat", NULL);
  Dance d = { NULL };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (dance_step, &d, NULL);
  guint n_fired = 0;
  gboolean process_finalized;

  g_assert_no_error (error);
  d.process = g_object_new (GTASKLET_TYPE_WAIT_FOR_PROCESS, "subprocess", child, NULL);
  g_signal_connect (d.process, "fired", G_CALLBACK (test_count_signal), &n_fired);
  defect_watch_finalize (d.process, &process_finalized);
  for (guint i = 1; i <= 4; i++)
    d.m[i] = test_manual_condition_new ();
  TEST_MANUAL_CONDITION (d.m[1])->fire_on_arm = TRUE;
  TEST_MANUAL_CONDITION (d.m[2])->fire_on_arm = TRUE;

  gtasklet_tasklet_start (t);
  test_drain ();
  g_assert_cmpuint (d.n_steps, ==, 3);
  g_assert_true (gtasklet_wait_condition_is_armed (d.process));

  gtasklet_wait_condition_fire (d.m[3]);
  test_drain ();
  g_assert_cmpuint (d.n_steps, ==, 4);
  g_assert_false (gtasklet_wait_condition_is_armed (d.process));
  gtasklet_wait_condition_fire (d.m[4]);
  test_wait_finished (t, defect_deadline_ms ());
  test_drain ();

  g_assert_cmpuint (d.n_steps, ==, 5);
  g_assert_null (d.events[0]);
  for (guint i = 1; i <= 4; i++)
    g_assert_true (d.events[i] == G_OBJECT (d.m[i]));
  g_assert_cmpuint (n_fired, ==, 0);
  g_assert_false (gtasklet_wait_for_process_has_exited (GTASKLET_WAIT_FOR_PROCESS (d.process)));
  g_assert_nonnull (g_subprocess_get_identifier (child));

  g_object_unref (d.process);
  test_drain ();
  g_assert_true (process_finalized);

  for (guint i = 1; i <= 4; i++)
    g_object_unref (d.m[i]);
  g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, NULL);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
}

/* 10. cancellable-getter */

static void
test_cancellable_property_does_not_create (void)
{
  g_autoptr (GtaskletTasklet) t = defect_sleeper_new (60000);
  GCancellable *read_back = NULL;
  GCancellable *created;

  /* Reading a property has no side effect: it shows what exists so far. */
  g_object_get (t, "cancellable", &read_back, NULL);
  g_assert_null (read_back);

  /* The getter is the call that creates one on demand; the property then shows it. */
  created = gtasklet_tasklet_get_cancellable (t);
  g_assert_true (G_IS_CANCELLABLE (created));
  g_object_get (t, "cancellable", &read_back, NULL);
  g_assert_true (read_back == created);
  g_object_unref (read_back);
}

#define N_GETTERS 8

/* Creating the cancellable is a short window: repeat the race for a while (at least a few
 * rounds, at most a time budget, so that a machine under load neither hides the race nor
 * makes the test slow). */
#define MIN_ROUNDS       20
#define ROUNDS_BUDGET_US (3 * G_USEC_PER_SEC)

typedef struct
{
  GtaskletTasklet *tasklet;
  GMutex           lock;
  GCond            cond;
  guint            n_ready;
  gboolean         go;
  GCancellable    *got[N_GETTERS];
} GetterRace;

typedef struct
{
  GetterRace *race;
  guint       index;
} Getter;

static gpointer
get_cancellable_thread (gpointer data)
{
  Getter *g = data;
  GetterRace *race = g->race;

  /* Wait at the line without spinning (spinners would starve the others on a small machine),
   * then all call at once. */
  g_mutex_lock (&race->lock);
  race->n_ready++;
  g_cond_broadcast (&race->cond);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);

  race->got[g->index] = gtasklet_tasklet_get_cancellable (race->tasklet);
  return NULL;
}

static void
test_cancellable_getter_threads (void)
{
  gint64 end = g_get_monotonic_time () + ROUNDS_BUDGET_US;

  for (guint round = 0; round < MIN_ROUNDS || g_get_monotonic_time () < end; round++)
    {
      GetterRace race = { defect_sleeper_new (60000) };
      Getter getters[N_GETTERS];
      GThread *threads[N_GETTERS];

      g_mutex_init (&race.lock);
      g_cond_init (&race.cond);
      for (guint i = 0; i < N_GETTERS; i++)
        {
          getters[i] = (Getter) { &race, i };
          threads[i] = g_thread_new ("get-cancellable", get_cancellable_thread, &getters[i]);
        }
      g_mutex_lock (&race.lock);
      while (race.n_ready < N_GETTERS)
        g_cond_wait (&race.cond, &race.lock);
      race.go = TRUE;
      g_cond_broadcast (&race.cond);
      g_mutex_unlock (&race.lock);
      for (guint i = 0; i < N_GETTERS; i++)
        g_thread_join (threads[i]);

      g_assert_true (G_IS_CANCELLABLE (race.got[0]));
      for (guint i = 1; i < N_GETTERS; i++)
        g_assert_true (race.got[i] == race.got[0]);
      g_assert_true (gtasklet_tasklet_get_cancellable (race.tasklet) == race.got[0]);
      g_object_unref (race.tasklet);
      g_mutex_clear (&race.lock);
      g_cond_clear (&race.cond);
    }
}

/* 11. dup-names-range */

static void
test_dup_names_range (void)
{
  g_autoptr (GtaskletWaitCondition) w = gtasklet_wait_for_messages_new (TEST_NAMES ("a"), NULL,
                                                                        TEST_NAMES ("*"));
  g_auto (GStrv) names = NULL;

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*");
  names = gtasklet_wait_for_messages_dup_names (GTASKLET_WAIT_FOR_MESSAGES (w),
                                                (GtaskletMessageAction) 7);
  g_test_assert_expected_messages ();
  g_assert_null (names);
}

/* 12. unread-failure-logged */

/* A tasklet whose every step fails, with a type name of its own to look for in the log. */
#define TEST_TYPE_DOOMED_TASKLET (test_doomed_tasklet_get_type ())
G_DECLARE_FINAL_TYPE (TestDoomedTasklet, test_doomed_tasklet, TEST, DOOMED_TASKLET,
                      GtaskletTasklet)

struct _TestDoomedTasklet
{
  GtaskletTasklet parent_instance;
};

G_DEFINE_FINAL_TYPE (TestDoomedTasklet, test_doomed_tasklet, GTASKLET_TYPE_TASKLET)

static gboolean
test_doomed_tasklet_run (GtaskletTasklet  *self,
                         GObject          *event,
                         GError          **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "the disk is on fire");
  return FALSE;
}

static void
test_doomed_tasklet_class_init (TestDoomedTaskletClass *klass)
{
  GTASKLET_TASKLET_CLASS (klass)->run = test_doomed_tasklet_run;
}

static void
test_doomed_tasklet_init (TestDoomedTasklet *self)
{
}

static GtaskletTasklet *
start_doomed (gboolean *finalized)
{
  GtaskletTasklet *t = g_object_new (TEST_TYPE_DOOMED_TASKLET, NULL);

  defect_watch_finalize (t, finalized);
  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  return t;
}

static void
test_unread_failure_logged (void)
{
  gboolean finalized;
  GtaskletTasklet *t = start_doomed (&finalized);

  /* Nobody joined it, waited for it, connected to ::finished or read its error. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_MESSAGE,
                         "*TestDoomedTasklet*the disk is on fire*");
  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_test_assert_expected_messages ();
}

/* The negative cases: a failure that someone read is not reported again. A handler for the
 * library's domain counts what would be logged; it is checked to catch a message first, so
 * these tests can fail. */
static void
count_log (const char     *log_domain,
           GLogLevelFlags  log_level,
           const char     *message,
           gpointer        user_data)
{
  (*(guint *) user_data)++;
}

static guint
watch_log_start (guint *n_messages)
{
  guint id = g_log_set_handler ("Gtasklet", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, count_log,
                                n_messages);

  g_log ("Gtasklet", G_LOG_LEVEL_MESSAGE, "probe of the test's log watch");
  g_assert_cmpuint (*n_messages, ==, 1);
  *n_messages = 0;
  return id;
}

static void
watch_log_end (guint id)
{
  g_log_remove_handler ("Gtasklet", id);
}

static void
test_read_failure_get_error (void)
{
  guint n_messages = 0;
  guint id = watch_log_start (&n_messages);
  gboolean finalized;
  GtaskletTasklet *t = start_doomed (&finalized);

  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_assert_cmpuint (n_messages, ==, 0);
  watch_log_end (id);
}

static void
test_read_failure_joined (void)
{
  guint n_messages = 0;
  guint id = watch_log_start (&n_messages);
  gboolean finalized;
  GtaskletTasklet *t = start_doomed (&finalized);
  Joined j = { FALSE };

  gtasklet_tasklet_join_async (t, NULL, on_joined, &j);
  test_wait_until (j.done, defect_deadline_ms ());
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_assert_cmpuint (n_messages, ==, 0);
  g_clear_error (&j.error);
  watch_log_end (id);
}

static void
test_read_failure_waited_for (void)
{
  guint n_messages = 0;
  guint id = watch_log_start (&n_messages);
  gboolean finalized;
  GtaskletTasklet *t = start_doomed (&finalized);
  GtaskletTasklet *reader = defect_waiter_new (gtasklet_wait_for_tasklet_new (t), NULL);

  /* The reader only waits; being woken by the failure counts as having seen it. */
  gtasklet_tasklet_start (reader);
  test_wait_finished (reader, defect_deadline_ms ());
  g_assert_no_error (gtasklet_tasklet_get_error (reader));
  g_object_unref (reader);
  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_assert_cmpuint (n_messages, ==, 0);
  watch_log_end (id);
}

static void
test_read_failure_finished_handler (void)
{
  guint n_messages = 0;
  guint id = watch_log_start (&n_messages);
  gboolean finalized;
  gboolean finished = FALSE;
  GtaskletTasklet *t = g_object_new (TEST_TYPE_DOOMED_TASKLET, NULL);

  defect_watch_finalize (t, &finalized);
  g_signal_connect (t, "finished", G_CALLBACK (test_flag_signal), &finished);
  gtasklet_tasklet_start (t);
  g_assert_true (finished);
  g_object_unref (t);
  test_wait_until (finalized, defect_deadline_ms ());
  g_assert_cmpuint (n_messages, ==, 0);
  watch_log_end (id);
}

/* 14. ctx-hang (issue 15) */

typedef struct
{
  GtaskletTasklet *tasklet;
  GThread         *thread;            /* the private thread, as it saw itself */
  GThread         *finished_thread;   /* where ::finished was emitted */
} PrivateRun;

/* A thread with a context of its own: starts the tasklet there, runs what is pending, then
 * lets its context go and exits, as a worker does. */
static gpointer
run_on_private_context (gpointer data)
{
  PrivateRun *p = data;
  GMainContext *context = g_main_context_new ();

  p->thread = g_thread_self ();
  g_main_context_push_thread_default (context);
  gtasklet_tasklet_start (p->tasklet);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
record_finished_thread (GtaskletTasklet *t,
                        gpointer         data)
{
  PrivateRun *p = data;

  p->finished_thread = g_thread_self ();
}

static void
test_ctx_hang_unref_after_thread_exit (void)
{
  PrivateRun p = { gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL) };
  gboolean finalized;

  defect_watch_finalize (p.tasklet, &finalized);
  g_thread_join (g_thread_new ("private", run_on_private_context, &p));
  g_assert_cmpint (gtasklet_tasklet_get_state (p.tasklet), ==, GTASKLET_STATE_FINISHED);
  g_assert_no_error (gtasklet_tasklet_get_error (p.tasklet));

  /* The last reference to the tasklet, after its context is gone: must return. */
  g_object_unref (p.tasklet);
  test_wait_until (finalized, defect_deadline_ms ());
}

static void
test_ctx_hang_dropped_while_suspended (void)
{
  PrivateRun p = { defect_sleeper_new (60000) };
  gboolean finalized;

  defect_watch_finalize (p.tasklet, &finalized);
  g_signal_connect (p.tasklet, "finished", G_CALLBACK (record_finished_thread), &p);
  g_thread_join (g_thread_new ("private", run_on_private_context, &p));

  /* The context went away under the waiting tasklet, on that thread. */
  g_assert_cmpint (gtasklet_tasklet_get_state (p.tasklet), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (p.tasklet), GTASKLET_ERROR,
                  GTASKLET_ERROR_CONTEXT_DESTROYED);
  g_assert_nonnull (p.finished_thread);
  g_assert_true (p.finished_thread == p.thread);

  g_object_unref (p.tasklet);
  test_wait_until (finalized, defect_deadline_ms ());
}

/* A send from another thread while the tasklet's context is being destroyed: between the
 * context's last unref and the finalize of the library's source on it, the send is posted
 * and must not wake the dying context (GLib: "g_main_context_wakeup: assertion
 * 'g_atomic_int_get (&context->ref_count) > 0' failed"). Found by test-pool-stress, where a
 * worker's context dies as the pool goes; here a source of the test's, finalized first,
 * holds that moment open while the other thread sends. */
typedef struct
{
  GtaskletTasklet *tasklet;
  TestLatch       *latch;         /* 1: the context is dying; 2: the send has returned */
  GtaskletState    state_then;    /* the tasklet's, while the context was dying */
  gboolean         sent;
} DyingSend;

/* Freed with the context: what it finds is kept in the test's DyingSend. */
typedef struct
{
  GSource    source;
  DyingSend *d;
} HoldSource;

static gboolean
hold_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     data)
{
  return G_SOURCE_CONTINUE;
}

static void
hold_finalize (GSource *source)
{
  DyingSend *d = ((HoldSource *) source)->d;

  d->state_then = gtasklet_tasklet_get_state (d->tasklet);
  test_latch_advance (d->latch, 1);
  test_latch_wait (d->latch, 2, defect_deadline_ms ());
}

static GSourceFuncs hold_funcs = { NULL, NULL, hold_dispatch, hold_finalize };

static gpointer
send_while_dying (gpointer data)
{
  DyingSend *d = data;

  test_latch_wait (d->latch, 1, defect_deadline_ms ());
  d->sent = gtasklet_tasklet_send (d->tasklet, "m", NULL);
  test_latch_advance (d->latch, 2);
  return NULL;
}

static void
test_ctx_hang_send_while_dying (void)
{
  GMainContext *context = g_main_context_new ();
  TestLatch latch;
  DyingSend d = { defect_waiter_new (gtasklet_wait_for_messages_new (TEST_NAMES ("m"), NULL,
                                                                     NULL), NULL), &latch };
  GSource *hold = g_source_new (&hold_funcs, sizeof (HoldSource));
  GThread *sender;

  test_latch_init (&latch);
  g_main_context_push_thread_default (context);
  gtasklet_tasklet_start (d.tasklet);
  g_main_context_pop_thread_default (context);
  ((HoldSource *) hold)->d = &d;
  /* Iterated after the library's source, so finalized before it when the context goes. */
  g_source_set_priority (hold, G_PRIORITY_LOW);
  g_source_attach (hold, context);
  g_source_unref (hold);

  sender = g_thread_new ("sender", send_while_dying, &d);
  g_main_context_unref (context);
  g_thread_join (sender);

  /* The send came while the tasklet still waited: accepted, then dropped with the context. */
  g_assert_cmpint (d.state_then, ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (d.sent);
  g_assert_cmpint (gtasklet_tasklet_get_state (d.tasklet), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (d.tasklet), GTASKLET_ERROR,
                  GTASKLET_ERROR_CONTEXT_DESTROYED);
  g_object_unref (d.tasklet);
  test_latch_clear (&latch);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  defect_add ("/gtasklet/core-defects/leaks/join-never-started", test_join_never_started);
  defect_add ("/gtasklet/core-defects/leaks/join-context-destroyed", test_join_context_destroyed);
  defect_add ("/gtasklet/core-defects/leaks/join-cancelled-released",
              test_join_cancelled_released);
  defect_add ("/gtasklet/core-defects/process-late-success", test_process_late_success);
  defect_add ("/gtasklet/core-defects/cancellable-getter/property-does-not-create",
              test_cancellable_property_does_not_create);
  defect_add ("/gtasklet/core-defects/cancellable-getter/threads-get-one",
              test_cancellable_getter_threads);
  defect_add ("/gtasklet/core-defects/dup-names-range", test_dup_names_range);
  defect_add ("/gtasklet/core-defects/unread-failure-logged/logged", test_unread_failure_logged);
  defect_add ("/gtasklet/core-defects/unread-failure-logged/not-after-get-error",
              test_read_failure_get_error);
  defect_add ("/gtasklet/core-defects/unread-failure-logged/not-after-join",
              test_read_failure_joined);
  defect_add ("/gtasklet/core-defects/unread-failure-logged/not-after-wait-for-tasklet",
              test_read_failure_waited_for);
  defect_add ("/gtasklet/core-defects/unread-failure-logged/not-after-finished-handler",
              test_read_failure_finished_handler);
  defect_add ("/gtasklet/core-defects/ctx-hang/unref-after-thread-exit",
              test_ctx_hang_unref_after_thread_exit);
  defect_add ("/gtasklet/core-defects/ctx-hang/dropped-while-suspended",
              test_ctx_hang_dropped_while_suspended);
  defect_add ("/gtasklet/core-defects/ctx-hang/send-while-dying", test_ctx_hang_send_while_dying);

  return g_test_run ();
}

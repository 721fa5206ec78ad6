/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The contract's "Introspection": the name property, gtasklet_tasklet_list_live() across
 * start and finish, threads and pool workers, and gtasklet_tasklet_describe() with every
 * condition describing itself. Expected descriptions are built from the actual values (the
 * tasklet's address, the real fd and pid), so a wrong field fails the comparison. Other
 * tests' tasklets may be live in this process: list checks look for given tasklets, never at
 * the total. */
#include <unistd.h>

#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static gboolean
list_contains (GListModel      *model,
               GtaskletTasklet *tasklet)
{
  guint n = g_list_model_get_n_items (model);

  g_assert_true (g_list_model_get_item_type (model) == GTASKLET_TYPE_TASKLET);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtaskletTasklet) item = g_list_model_get_item (model, i);

      if (item == tasklet)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_live (GtaskletTasklet *tasklet)
{
  g_autoptr (GListModel) live = gtasklet_tasklet_list_live ();

  return list_contains (live, tasklet);
}

/* Name */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_name (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autofree char *read = NULL;
  guint n_notify = 0;

  g_signal_connect (t, "notify::name", G_CALLBACK (count_notify), &n_notify);
  g_assert_null (gtasklet_tasklet_get_name (t));

  gtasklet_tasklet_set_name (t, "worker-3");
  g_assert_cmpstr (gtasklet_tasklet_get_name (t), ==, "worker-3");
  g_assert_cmpuint (n_notify, ==, 1);

  /* The same name again changes nothing and notifies nothing. */
  gtasklet_tasklet_set_name (t, "worker-3");
  g_assert_cmpuint (n_notify, ==, 1);

  g_object_set (t, "name", "worker-4", NULL);
  g_object_get (t, "name", &read, NULL);
  g_assert_cmpstr (read, ==, "worker-4");
  g_assert_cmpuint (n_notify, ==, 2);

  gtasklet_tasklet_set_name (t, NULL);
  g_assert_null (gtasklet_tasklet_get_name (t));
  g_assert_cmpuint (n_notify, ==, 3);
}

/* list_live: start and finish */

static void
test_list_live_start_finish (void)
{
  g_autoptr (GtaskletWaitCondition) manual = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, manual, NULL);
  g_autoptr (GtaskletTasklet) quick = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);

  g_assert_false (is_live (t));                         /* new: not started */

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (is_live (t));

  gtasklet_tasklet_start (quick);                       /* finished inside start */
  g_assert_cmpint (gtasklet_tasklet_get_state (quick), ==, GTASKLET_STATE_FINISHED);
  g_assert_false (is_live (quick));

  test_fire_from_source (manual);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_false (is_live (t));
}

static void
test_list_live_cancelled_before_start (void)
{
  g_autoptr (GtaskletWaitCondition) manual = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, manual, NULL);

  gtasklet_tasklet_cancel (t);
  gtasklet_tasklet_start (t);                           /* ends without a step */
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  test_assert_cancelled (t);
  g_assert_false (is_live (t));
}

/* A snapshot keeps what it listed, with references, after the tasklets finish. */
static void
test_list_live_snapshot (void)
{
  g_autoptr (GtaskletWaitCondition) manual = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, manual, NULL);
  g_autoptr (GListModel) before = NULL;
  g_autoptr (GListModel) during = NULL;
  g_autoptr (GListModel) after = NULL;
  guint n_during;

  before = gtasklet_tasklet_list_live ();
  gtasklet_tasklet_start (t);
  during = gtasklet_tasklet_list_live ();
  n_during = g_list_model_get_n_items (during);

  g_assert_false (list_contains (before, t));
  g_assert_true (list_contains (during, t));

  test_fire_from_source (manual);
  test_wait_finished (t, DEADLINE_MS);
  after = gtasklet_tasklet_list_live ();

  /* The earlier snapshots did not change. */
  g_assert_false (list_contains (before, t));
  g_assert_true (list_contains (during, t));
  g_assert_cmpuint (g_list_model_get_n_items (during), ==, n_during);
  g_assert_false (list_contains (after, t));
}

/* list_live across threads */

typedef struct
{
  GtaskletTasklet *tasklet;
  char            *description;   /* written on the worker */
  GThread         *step_thread;
} OnWorker;

static gboolean
receive_stop_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  OnWorker *w = user_data;

  if (event != NULL)
    return TRUE;
  w->step_thread = g_thread_self ();
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("stop"), NULL, NULL);
  return TRUE;
}

static void
start_on_worker (gpointer data,
                 gpointer unused)
{
  OnWorker *w = data;

  gtasklet_tasklet_start (w->tasklet);
}

static void
describe_on_worker (gpointer data,
                    gpointer unused)
{
  OnWorker *w = data;

  w->description = gtasklet_tasklet_describe (w->tasklet);
}

static void
test_list_live_other_thread (void)
{
  TestWorker *worker = test_worker_new ("introspection-worker");
  OnWorker w = { 0 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (receive_stop_step, &w, NULL);
  g_autofree char *expected = NULL;

  w.tasklet = t;
  gtasklet_tasklet_set_name (t, "on-worker");
  test_worker_call (worker, start_on_worker, &w);
  g_assert_true (w.step_thread == test_worker_get_thread (worker));
  g_assert_true (is_live (t));

  /* Described on its own thread, as the documentation asks. */
  test_worker_call (worker, describe_on_worker, &w);
  expected = g_strdup_printf ("'on-worker' GtaskletTasklet %p: suspended, waiting for "
                              "[receive accept=[stop] defer=[] discard=[]], mailbox 0", t);
  g_assert_cmpstr (w.description, ==, expected);
  g_free (w.description);

  g_assert_true (gtasklet_tasklet_send (t, "stop", NULL));
  test_wait_finished_anywhere (t, DEADLINE_MS);
  g_assert_false (is_live (t));
  test_worker_free (worker);
}

/* A tasklet placed on a pool is listed from pool_start on, SUSPENDED before its first step. */

typedef struct
{
  TestLatch go;
  int       first_step_ran;   /* atomic */
} Held;

static gboolean
held_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Held *h = user_data;

  if (event != NULL)
    return TRUE;
  test_latch_wait (&h->go, 1, DEADLINE_MS);
  g_atomic_int_set (&h->first_step_ran, TRUE);
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("stop"), NULL, NULL);
  return TRUE;
}

#define N_PLACED 8

static void
test_list_live_pool (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (2);
  GtaskletTasklet *tasklets[N_PLACED];
  Held held[N_PLACED];
  g_autoptr (GListModel) live = NULL;

  for (guint i = 0; i < N_PLACED; i++)
    {
      test_latch_init (&held[i].go);
      held[i].first_step_ran = FALSE;
      tasklets[i] = gtasklet_tasklet_new (held_step, &held[i], NULL);
      gtasklet_pool_start (pool, tasklets[i]);
    }

  /* The workers are held in the first steps of the first two at most: the others have not
   * run a step, and all are listed. */
  live = gtasklet_tasklet_list_live ();
  for (guint i = 0; i < N_PLACED; i++)
    {
      g_assert_true (list_contains (live, tasklets[i]));
      if (!g_atomic_int_get (&held[i].first_step_ran))
        g_assert_cmpint (gtasklet_tasklet_get_state (tasklets[i]), !=, GTASKLET_STATE_NEW);
    }

  for (guint i = 0; i < N_PLACED; i++)
    test_latch_advance (&held[i].go, 1);
  for (guint i = 0; i < N_PLACED; i++)
    {
      test_wait_atomic (&held[i].first_step_ran, DEADLINE_MS);
      g_assert_true (gtasklet_tasklet_send (tasklets[i], "stop", NULL));
    }
  for (guint i = 0; i < N_PLACED; i++)
    {
      test_wait_finished_anywhere (tasklets[i], DEADLINE_MS);
      g_assert_no_error (gtasklet_tasklet_get_error (tasklets[i]));
      g_assert_false (is_live (tasklets[i]));
      g_object_unref (tasklets[i]);
      test_latch_clear (&held[i].go);
    }
}

/* Described before its first step: a tasklet placed on a worker that is busy with another's
 * step. That step describes it, on the worker (the tasklet's thread), after pool_start
 * returned (the latch orders the two). */
typedef struct
{
  TestLatch        go;
  GtaskletTasklet *later;
  char            *description;
  int              done;          /* atomic */
} Before;

static gboolean
describe_later_step (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  Before *b = user_data;

  test_latch_wait (&b->go, 1, DEADLINE_MS);
  b->description = gtasklet_tasklet_describe (b->later);
  g_atomic_int_set (&b->done, TRUE);
  return TRUE;
}

static void
test_describe_before_first_step (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  Before b = { 0 };
  g_autoptr (GtaskletTasklet) first = gtasklet_tasklet_new (describe_later_step, &b, NULL);
  g_autoptr (GtaskletTasklet) later = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autofree char *expected = NULL;

  test_latch_init (&b.go);
  b.later = later;
  gtasklet_tasklet_set_name (later, "queued");
  gtasklet_pool_start (pool, first);
  gtasklet_pool_start (pool, later);
  g_assert_cmpint (gtasklet_tasklet_get_state (later), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (is_live (later));
  test_latch_advance (&b.go, 1);

  test_wait_atomic (&b.done, DEADLINE_MS);
  test_wait_finished_anywhere (later, DEADLINE_MS);
  expected = g_strdup_printf ("'queued' GtaskletTasklet %p: suspended, first step not run yet, "
                              "mailbox 0", later);
  g_assert_cmpstr (b.description, ==, expected);
  g_free (b.description);
  test_wait_finished_anywhere (first, DEADLINE_MS);
  test_latch_clear (&b.go);
}

/* Snapshots taken while other threads start and finish tasklets: every item is a started
 * tasklet, and the registry holds up (run under TSan with the 'threads' suite). */

typedef struct
{
  guint n;
  int   done;   /* atomic */
} Spawner;

static gpointer
spawner_thread (gpointer data)
{
  Spawner *s = data;
  g_autoptr (GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < s->n; i++)
    {
      g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
      g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
      g_autoptr (GtaskletTasklet) w = gtasklet_tasklet_new (test_wait_once_step, idle, NULL);

      gtasklet_tasklet_start (t);
      gtasklet_tasklet_start (w);
      while (gtasklet_tasklet_get_state (w) != GTASKLET_STATE_FINISHED)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
  g_atomic_int_set (&s->done, TRUE);
  return NULL;
}

static void
test_list_live_concurrent (void)
{
  Spawner spawners[2];
  GThread *threads[2];
  guint n_snapshots = 0;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      spawners[i] = (Spawner) { test_scaled (2000), FALSE };
      threads[i] = g_thread_new ("introspection-spawner", spawner_thread, &spawners[i]);
    }

  while (!g_atomic_int_get (&spawners[0].done) || !g_atomic_int_get (&spawners[1].done) ||
         n_snapshots == 0)
    {
      g_autoptr (GListModel) live = gtasklet_tasklet_list_live ();
      guint n = g_list_model_get_n_items (live);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GtaskletTasklet) t = g_list_model_get_item (live, i);

          g_assert_true (GTASKLET_IS_TASKLET (t));
          g_assert_cmpint (gtasklet_tasklet_get_state (t), !=, GTASKLET_STATE_NEW);
        }
      n_snapshots++;
    }

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* describe: the tasklet in each state */

static void
test_describe_new (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autofree char *plain = NULL;
  g_autofree char *named = NULL;
  g_autofree char *expected_plain = g_strdup_printf ("GtaskletTasklet %p: new, mailbox 0", t);
  g_autofree char *expected_named = NULL;

  plain = gtasklet_tasklet_describe (t);
  g_assert_cmpstr (plain, ==, expected_plain);

  /* Messages sent before the start wait in the mailbox. */
  g_assert_true (test_send_int (t, "early", 1));
  g_assert_true (test_send_int (t, "early", 2));
  gtasklet_tasklet_set_name (t, "fresh");
  named = gtasklet_tasklet_describe (t);
  expected_named = g_strdup_printf ("'fresh' GtaskletTasklet %p: new, mailbox 2", t);
  g_assert_cmpstr (named, ==, expected_named);
}

static gboolean
describe_self_step (GtaskletTasklet  *tasklet,
                    GObject          *event,
                    gpointer          user_data,
                    GError          **error)
{
  *(char **) user_data = gtasklet_tasklet_describe (tasklet);
  return TRUE;
}

static void
test_describe_running (void)
{
  char *text = NULL;
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (describe_self_step, &text, NULL);
  g_autofree char *expected = g_strdup_printf ("'self' GtaskletTasklet %p: running, mailbox 0", t);

  gtasklet_tasklet_set_name (t, "self");
  gtasklet_tasklet_start (t);
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

/* Waits on a timeout and a receive (accept ping, defer flush, discard the rest). */
static gboolean
timeout_and_receive_step (GtaskletTasklet  *tasklet,
                          GObject          *event,
                          gpointer          user_data,
                          GError          **error)
{
  if (event != NULL)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, user_data);
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("ping"), TEST_NAMES ("flush"), TEST_NAMES ("*"));
  return TRUE;
}

static void
test_describe_suspended (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (250000);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (timeout_and_receive_step, timeout, NULL);
  g_autofree char *text = NULL;
  g_autofree char *prefix = NULL;
  const char *rest;
  const char *suffix = " ms | receive accept=[ping] defer=[flush] discard=[*]], mailbox 1";
  char *end;
  gint64 due;

  gtasklet_tasklet_set_name (t, "waiter");
  gtasklet_tasklet_start (t);
  g_assert_true (test_send_int (t, "flush", 1));    /* deferred: stays queued */
  test_drain ();

  text = gtasklet_tasklet_describe (t);
  prefix = g_strdup_printf ("'waiter' GtaskletTasklet %p: suspended, waiting for [timeout "
                            "250000 ms, due in ", t);
  g_assert_true (g_str_has_prefix (text, prefix));
  rest = text + strlen (prefix);
  due = g_ascii_strtoll (rest, &end, 10);
  g_assert_true (end != rest);
  g_assert_cmpint (due, >, 0);
  g_assert_cmpint (due, <=, 250000);
  g_assert_cmpstr (end, ==, suffix);

  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, DEADLINE_MS);
}

static void
test_describe_finished (void)
{
  g_autoptr (GtaskletTasklet) ok = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autoptr (GtaskletTasklet) failed = gtasklet_tasklet_new (test_fail_at_once_step, NULL, NULL);
  g_autofree char *ok_text = NULL;
  g_autofree char *failed_text = NULL;
  g_autofree char *expected_ok = NULL;
  g_autofree char *expected_failed = NULL;

  gtasklet_tasklet_start (ok);
  gtasklet_tasklet_start (failed);
  ok_text = gtasklet_tasklet_describe (ok);
  failed_text = gtasklet_tasklet_describe (failed);

  expected_ok = g_strdup_printf ("GtaskletTasklet %p: finished, mailbox 0", ok);
  expected_failed = g_strdup_printf ("GtaskletTasklet %p: finished, failed: %s, mailbox 0",
                                     failed, gtasklet_tasklet_get_error (failed)->message);
  g_assert_cmpstr (ok_text, ==, expected_ok);
  g_assert_cmpstr (failed_text, ==, expected_failed);
}

/* A tasklet waiting on a condition that does not implement describe: its type name. */
static void
test_describe_custom_default (void)
{
  g_autoptr (GtaskletWaitCondition) manual = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, manual, NULL);
  g_autofree char *own = gtasklet_wait_condition_describe (manual);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (own, ==, "TestManualCondition");

  gtasklet_tasklet_start (t);
  text = gtasklet_tasklet_describe (t);
  expected = g_strdup_printf ("GtaskletTasklet %p: suspended, waiting for "
                              "[TestManualCondition], mailbox 0", t);
  g_assert_cmpstr (text, ==, expected);

  test_fire_from_source (manual);
  test_wait_finished (t, DEADLINE_MS);
}

/* describe: each condition type */

static void
assert_describes (GtaskletWaitCondition *condition,
                  const char            *expected)
{
  g_autofree char *text = gtasklet_wait_condition_describe (condition);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_condition_timeout (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (100);

  assert_describes (timeout, "timeout 100 ms");   /* not armed: no due time */
  {
    g_autoptr (GtaskletWaitCondition) once = gtasklet_wait_for_timeout_new_one_shot (250);

    assert_describes (once, "one-shot timeout 250 ms");
  }
}

static void
test_condition_idle (void)
{
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();

  assert_describes (idle, "idle");
  gtasklet_wait_for_idle_set_priority (GTASKLET_WAIT_FOR_IDLE (idle), G_PRIORITY_LOW);
  assert_describes (idle, "idle, priority 300");
}

static void
test_condition_io (void)
{
  int fds[2];
  g_autoptr (GtaskletWaitCondition) in = NULL;
  g_autoptr (GtaskletWaitCondition) out = NULL;
  g_autofree char *expected_in = NULL;
  g_autofree char *expected_out = NULL;

  g_assert_cmpint (pipe (fds), ==, 0);
  in = gtasklet_wait_for_io_new (fds[0], G_IO_IN);
  out = gtasklet_wait_for_io_new (fds[1], G_IO_OUT | G_IO_ERR | G_IO_HUP);
  expected_in = g_strdup_printf ("IO fd %d IN", fds[0]);
  expected_out = g_strdup_printf ("IO fd %d OUT|ERR|HUP", fds[1]);
  assert_describes (in, expected_in);
  assert_describes (out, expected_out);
  close (fds[0]);
  close (fds[1]);
}

static void
test_condition_signal (void)
{
  g_autoptr (GtaskletTasklet) target = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (target, "notify::name");
  g_autofree char *expected = g_strdup_printf ("signal notify::name on GtaskletTasklet %p", target);

  assert_describes (signal, expected);
}

static void
test_condition_process (void)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { "true", NULL };
  g_autoptr (GtaskletWaitCondition) process = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_reaped = NULL;
  GPid pid = 0;
  int status;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);

  process = gtasklet_wait_for_process_new (pid);
  expected = g_strdup_printf ("process %d", (int) pid);
  assert_describes (process, expected);

  t = gtasklet_tasklet_new (test_wait_once_step, process, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  status = gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (process));
  expected_reaped = g_strdup_printf ("process %d, reaped (wait status %d)", (int) pid, status);
  assert_describes (process, expected_reaped);
}

static void
test_condition_tasklet (void)
{
  g_autoptr (GtaskletTasklet) named = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autoptr (GtaskletTasklet) plain = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  g_autoptr (GtaskletWaitCondition) on_named = NULL;
  g_autoptr (GtaskletWaitCondition) on_plain = NULL;
  g_autofree char *expected_plain = g_strdup_printf ("tasklet GtaskletTasklet %p", plain);

  gtasklet_tasklet_set_name (named, "worker-3");
  on_named = gtasklet_wait_for_tasklet_new (named);
  on_plain = gtasklet_wait_for_tasklet_new (plain);
  assert_describes (on_named, "tasklet 'worker-3'");
  assert_describes (on_plain, expected_plain);
}

static void
test_condition_messages (void)
{
  g_autoptr (GtaskletWaitCondition) messages =
    gtasklet_wait_for_messages_new (TEST_NAMES ("ping", "pong"), TEST_NAMES ("flush"),
                                    TEST_NAMES ("*"));
  g_autoptr (GtaskletWaitCondition) accept_only =
    gtasklet_wait_for_messages_new (TEST_NAMES ("quit"), NULL, NULL);

  assert_describes (messages, "messages accept=[ping,pong] defer=[flush] discard=[*]");
  assert_describes (accept_only, "messages accept=[quit] defer=[] discard=[]");
}

static void
test_condition_async (void)
{
  g_autoptr (GtaskletWaitCondition) async = gtasklet_wait_for_async_new ();
  g_autoptr (GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GTask) task = g_task_new (source, NULL, NULL, NULL);
  g_autofree char *expected = g_strdup_printf ("async operation on GObject %p, completed", source);

  assert_describes (async, "async operation, pending");
  g_task_return_boolean (task, TRUE);
  gtasklet_wait_for_async_complete (GTASKLET_WAIT_FOR_ASYNC (async), source, G_ASYNC_RESULT (task));
  assert_describes (async, expected);
}

static void
test_condition_cancellable (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GtaskletWaitCondition) condition = gtasklet_wait_for_cancellable_new (cancellable);
  g_autofree char *expected = g_strdup_printf ("cancellable %p", cancellable);
  g_autofree char *expected_cancelled = g_strdup_printf ("cancellable %p, cancelled", cancellable);

  assert_describes (condition, expected);
  g_cancellable_cancel (cancellable);
  assert_describes (condition, expected_cancelled);
}

/* Misuse */

static void
test_criticals (void)
{
  char *text;

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*GTASKLET_IS_TASKLET*");
  text = gtasklet_tasklet_describe (NULL);
  g_test_assert_expected_messages ();
  g_assert_null (text);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*GTASKLET_IS_WAIT_CONDITION*");
  text = gtasklet_wait_condition_describe (NULL);
  g_test_assert_expected_messages ();
  g_assert_null (text);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*GTASKLET_IS_TASKLET*");
  gtasklet_tasklet_set_name (NULL, "x");
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*GTASKLET_IS_TASKLET*");
  g_assert_null (gtasklet_tasklet_get_name (NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/introspection/name", test_name);
  g_test_add_func ("/gtasklet/introspection/list-live-start-finish", test_list_live_start_finish);
  g_test_add_func ("/gtasklet/introspection/list-live-cancelled-before-start",
                   test_list_live_cancelled_before_start);
  g_test_add_func ("/gtasklet/introspection/list-live-snapshot", test_list_live_snapshot);
  g_test_add_func ("/gtasklet/introspection/list-live-other-thread", test_list_live_other_thread);
  g_test_add_func ("/gtasklet/introspection/list-live-pool", test_list_live_pool);
  g_test_add_func ("/gtasklet/introspection/list-live-concurrent", test_list_live_concurrent);
  g_test_add_func ("/gtasklet/introspection/describe-before-first-step",
                   test_describe_before_first_step);
  g_test_add_func ("/gtasklet/introspection/describe-new", test_describe_new);
  g_test_add_func ("/gtasklet/introspection/describe-running", test_describe_running);
  g_test_add_func ("/gtasklet/introspection/describe-suspended", test_describe_suspended);
  g_test_add_func ("/gtasklet/introspection/describe-finished", test_describe_finished);
  g_test_add_func ("/gtasklet/introspection/describe-custom-default", test_describe_custom_default);
  g_test_add_func ("/gtasklet/introspection/condition-timeout", test_condition_timeout);
  g_test_add_func ("/gtasklet/introspection/condition-idle", test_condition_idle);
  g_test_add_func ("/gtasklet/introspection/condition-io", test_condition_io);
  g_test_add_func ("/gtasklet/introspection/condition-signal", test_condition_signal);
  g_test_add_func ("/gtasklet/introspection/condition-process", test_condition_process);
  g_test_add_func ("/gtasklet/introspection/condition-tasklet", test_condition_tasklet);
  g_test_add_func ("/gtasklet/introspection/condition-messages", test_condition_messages);
  g_test_add_func ("/gtasklet/introspection/condition-async", test_condition_async);
  g_test_add_func ("/gtasklet/introspection/condition-cancellable", test_condition_cancellable);
  g_test_add_func ("/gtasklet/introspection/criticals", test_criticals);

  return g_test_run ();
}

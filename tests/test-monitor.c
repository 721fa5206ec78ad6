/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Monitors, rule by rule from the contract's "Monitors, links and supervisors": a DOWN
 * message named "gtasklet.down" whose sender is the target and whose value is its GError (or
 * none after a normal finish), arriving after every message the target sent; demonitor
 * removes even a queued DOWN; monitoring a finished target acts at once; misuse is a
 * critical that fails the watcher. Each rule runs with the target here, on a pool worker and
 * on a plain thread's context. Every wait has a deadline; nothing sleeps. */
#include <gio/gio.h>

#include "monitor-util.h"
#include "test-util.h"

#define DEADLINE_MS 30000

static const char *where_names[] = { "here", "pool", "thread" };

/* The watcher's first step: monitor the target, then tell it to go. */
typedef struct
{
  GtaskletTasklet *target;
  guint            ids[2];
  guint            n_monitors;
  gboolean         demonitor_first;   /* demonitor ids[0] at once */
  gboolean         no_go;             /* monitor only */
} Watch;

static void
watch_first (GtaskletTasklet *self,
             gpointer         data)
{
  Watch *w = data;

  for (guint i = 0; i < MAX (w->n_monitors, 1); i++)
    {
      w->ids[i] = gtasklet_tasklet_monitor (self, w->target);
      g_assert_cmpuint (w->ids[i], !=, 0);
    }
  if (w->demonitor_first)
    gtasklet_tasklet_demonitor (self, w->ids[0]);
  if (!w->no_go)
    g_assert_true (gtasklet_tasklet_send (w->target, "go", NULL));
}

/* Runs a target at @where that sends @n_messages then ends as @end says, watched by a
 * recorder here; returns the recorder once it has got @n_down DOWNs and been stopped. */
static TestRecorder *
run_watched (TestWhere where,
             TestEnd   end,
             guint     n_messages,
             Watch    *w,
             guint     n_down)
{
  TestPlace place;
  TestRecorder *recorder = test_recorder_new (watch_first, w);
  g_autoptr (GtaskletTasklet) watcher = test_recorder_tasklet_new (recorder);
  g_autoptr (GtaskletTasklet) target = test_target_new (watcher, n_messages, end);

  test_place_init (&place, where);
  w->target = target;
  test_place_start (&place, target);
  gtasklet_tasklet_start (watcher);
  if (end == TEST_END_WAIT)
    gtasklet_tasklet_cancel (target);

  test_wait_count (recorder->n_down, n_down, DEADLINE_MS);
  test_wait_count (recorder->n_data, n_messages, DEADLINE_MS);
  test_wait_finished_anywhere (target, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_send (watcher, "stop", NULL));
  test_wait_finished (watcher, DEADLINE_MS);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (watcher));
  test_place_clear (&place);
  return recorder;
}

static void
assert_down (TestRecord      *record,
             GtaskletTasklet *target,
             GQuark           domain,
             int              code)
{
  g_assert_nonnull (record);
  g_assert_cmpstr (record->name, ==, GTASKLET_MESSAGE_DOWN);
  g_assert_true (record->sender == target);
  if (domain == 0)
    {
      g_assert_false (record->has_value);
      g_assert_null (record->error);
    }
  else
    {
      g_assert_true (record->has_value);
      g_assert_error (record->error, domain, code);
    }
}

static void
test_down_normal (gconstpointer data)
{
  Watch w = { 0 };
  TestRecorder *r = run_watched (GPOINTER_TO_INT (data), TEST_END_NORMAL, 0, &w, 1);

  g_assert_cmpuint (r->records->len, ==, 1);
  assert_down (test_recorder_last (r), w.target, 0, 0);
  test_recorder_free (r);
}

static void
test_down_error (gconstpointer data)
{
  Watch w = { 0 };
  TestRecorder *r = run_watched (GPOINTER_TO_INT (data), TEST_END_ERROR, 0, &w, 1);

  g_assert_cmpuint (r->records->len, ==, 1);
  assert_down (test_recorder_last (r), w.target, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (test_recorder_last (r)->error->message, ==, "target failed");
  test_recorder_free (r);
}

static void
test_down_cancelled (gconstpointer data)
{
  Watch w = { 0 };
  TestRecorder *r = run_watched (GPOINTER_TO_INT (data), TEST_END_WAIT, 0, &w, 1);

  g_assert_cmpuint (r->records->len, ==, 1);
  assert_down (test_recorder_last (r), w.target, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  test_recorder_free (r);
}

/* The DOWN comes after every message the target sent, across threads too. */
static void
test_down_after_messages (gconstpointer data)
{
  guint n = test_scaled (2000);
  Watch w = { 0 };
  TestRecorder *r = run_watched (GPOINTER_TO_INT (data), TEST_END_ERROR, n, &w, 1);

  g_assert_cmpuint (r->records->len, ==, n + 1);
  for (guint i = 0; i < n; i++)
    {
      TestRecord *record = g_ptr_array_index (r->records, i);

      g_assert_cmpstr (record->name, ==, "data");
      g_assert_cmpint (record->data, ==, (int) i);
    }
  assert_down (test_recorder_last (r), w.target, G_IO_ERROR, G_IO_ERROR_FAILED);
  test_recorder_free (r);
}

/* The watcher on another thread, the target here: the DOWN still comes last. */
static void
test_watcher_elsewhere (gconstpointer data)
{
  TestPlace place;
  guint n = test_scaled (1000);
  Watch w = { 0 };
  TestRecorder *r = test_recorder_new (watch_first, &w);
  g_autoptr (GtaskletTasklet) watcher = test_recorder_tasklet_new (r);
  g_autoptr (GtaskletTasklet) target = test_target_new (watcher, n, TEST_END_ERROR);

  test_place_init (&place, GPOINTER_TO_INT (data));
  r->finish_after_downs = 1;
  w.target = target;
  gtasklet_tasklet_start (target);
  test_place_start (&place, watcher);
  test_wait_finished_anywhere (watcher, DEADLINE_MS);
  test_wait_finished (target, DEADLINE_MS);

  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (watcher));
  g_assert_cmpuint (r->records->len, ==, n + 1);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (((TestRecord *) g_ptr_array_index (r->records, i))->data, ==, (int) i);
  assert_down (test_recorder_last (r), target, G_IO_ERROR, G_IO_ERROR_FAILED);
  test_recorder_free (r);
  test_place_clear (&place);
}

/* Two monitors of one target: two ids, two DOWNs. */
static void
test_two_monitors (gconstpointer data)
{
  Watch w = { .n_monitors = 2 };
  TestRecorder *r = run_watched (GPOINTER_TO_INT (data), TEST_END_NORMAL, 3, &w, 2);

  g_assert_cmpuint (w.ids[0], !=, w.ids[1]);
  g_assert_cmpuint (r->records->len, ==, 5);
  assert_down (g_ptr_array_index (r->records, 3), w.target, 0, 0);
  assert_down (g_ptr_array_index (r->records, 4), w.target, 0, 0);
  test_recorder_free (r);
}

/* Demonitored before the target ends: of two monitors, only the other one reports (it is
 * sent after the first would have been, so waiting for it is waiting long enough). */
static void
test_demonitor_before_end (gconstpointer data)
{
  Watch w = { .n_monitors = 2, .demonitor_first = TRUE };
  TestRecorder *r = run_watched (GPOINTER_TO_INT (data), TEST_END_ERROR, 5, &w, 1);

  g_assert_cmpuint (r->records->len, ==, 6);
  assert_down (test_recorder_last (r), w.target, G_IO_ERROR, G_IO_ERROR_FAILED);
  test_recorder_free (r);
}

/* Demonitor once the DOWN is queued: the watcher waits for the target's end, then (the
 * target's thread may still be sending them) until both DOWNs and the target's two
 * messages are in its mailbox, and demonitors one of the two monitors. */
typedef struct
{
  TestRecorder          *recorder;
  GtaskletTasklet       *target;
  GtaskletWaitCondition *ended;
  GtaskletWaitCondition *tick;
  guint                  ids[2];
} Queued;

static gboolean
queued_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Queued *q = user_data;

  if (event == NULL)
    {
      q->ids[0] = gtasklet_tasklet_monitor (tasklet, q->target);
      q->ids[1] = gtasklet_tasklet_monitor (tasklet, q->target);
      g_assert_true (gtasklet_tasklet_send (q->target, "go", NULL));
      gtasklet_tasklet_wait (tasklet, q->ended);
      return TRUE;
    }
  if (event == (GObject *) q->ended || event == (GObject *) q->tick)
    {
      guint pending = gtasklet_tasklet_get_n_pending_messages (tasklet);

      g_assert_cmpuint (pending, <=, 4);
      if (pending < 4)
        {
          gtasklet_tasklet_wait (tasklet, q->tick);
          return TRUE;
        }
      gtasklet_tasklet_demonitor (tasklet, q->ids[0]);
      /* Demonitoring again, or an id that never was, does nothing. */
      gtasklet_tasklet_demonitor (tasklet, q->ids[0]);
      gtasklet_tasklet_demonitor (tasklet, G_MAXUINT - 7);
    }
  return test_recorder_step (tasklet, event, q->recorder, error);
}

static void
test_demonitor_queued (gconstpointer data)
{
  TestPlace place;
  Queued q = { test_recorder_new (NULL, NULL) };
  g_autoptr (GtaskletTasklet) watcher = gtasklet_tasklet_new (queued_step, &q, NULL);
  g_autoptr (GtaskletTasklet) target = test_target_new (watcher, 2, TEST_END_ERROR);

  test_place_init (&place, GPOINTER_TO_INT (data));
  q.target = target;
  q.ended = gtasklet_wait_for_tasklet_new (target);
  q.tick = gtasklet_wait_for_timeout_new (1);
  test_place_start (&place, target);
  gtasklet_tasklet_start (watcher);

  test_wait_count (q.recorder->n_down, 1, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_send (watcher, "stop", NULL));
  test_wait_finished (watcher, DEADLINE_MS);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (watcher));

  g_assert_cmpuint (q.recorder->records->len, ==, 3);
  g_assert_cmpuint (q.recorder->n_down, ==, 1);
  assert_down (test_recorder_last (q.recorder), target, G_IO_ERROR, G_IO_ERROR_FAILED);

  g_object_unref (q.ended);
  g_object_unref (q.tick);
  test_recorder_free (q.recorder);
  test_place_clear (&place);
}

/* A target that has already finished: the DOWN comes at once, with its outcome. */
static void
check_finished_target (TestWhere where,
                       TestEnd   end)
{
  TestPlace place;
  g_autoptr (GtaskletTasklet) target = test_target_new (NULL, 0, end);
  Watch w = { .target = target, .no_go = TRUE };
  TestRecorder *r = test_recorder_new (watch_first, &w);
  g_autoptr (GtaskletTasklet) watcher = test_recorder_tasklet_new (r);

  test_place_init (&place, where);
  test_place_start (&place, target);
  g_assert_true (gtasklet_tasklet_send (target, "go", NULL));
  test_wait_finished_anywhere (target, DEADLINE_MS);

  gtasklet_tasklet_start (watcher);
  test_wait_count (r->n_down, 1, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_send (watcher, "stop", NULL));
  test_wait_finished (watcher, DEADLINE_MS);

  g_assert_cmpuint (r->records->len, ==, 1);
  if (end == TEST_END_ERROR)
    assert_down (test_recorder_last (r), target, G_IO_ERROR, G_IO_ERROR_FAILED);
  else
    assert_down (test_recorder_last (r), target, 0, 0);
  test_recorder_free (r);
  test_place_clear (&place);
}

static void
test_finished_target_normal (gconstpointer data)
{
  check_finished_target (GPOINTER_TO_INT (data), TEST_END_NORMAL);
}

static void
test_finished_target_error (gconstpointer data)
{
  check_finished_target (GPOINTER_TO_INT (data), TEST_END_ERROR);
}

/* The watcher ends first: its monitors go with it, and the target's end later tells no one. */
static void
test_watcher_ends_first (gconstpointer data)
{
  TestPlace place;
  g_autoptr (GtaskletTasklet) target = test_target_new (NULL, 0, TEST_END_ERROR);
  Watch w = { .target = target, .n_monitors = 2, .no_go = TRUE };
  TestRecorder *r = test_recorder_new (watch_first, &w);
  GtaskletTasklet *watcher = test_recorder_tasklet_new (r);
  int watcher_gone = FALSE;

  test_place_init (&place, GPOINTER_TO_INT (data));
  test_place_start (&place, target);
  gtasklet_tasklet_start (watcher);
  g_object_weak_ref (G_OBJECT (watcher), test_weak_notify_atomic, &watcher_gone);
  g_assert_true (gtasklet_tasklet_send (watcher, "stop", NULL));
  test_wait_finished (watcher, DEADLINE_MS);
  g_object_unref (watcher);
  test_wait_atomic (&watcher_gone, DEADLINE_MS);

  /* Its monitors went with it: the target's end tells no one. */
  g_assert_true (gtasklet_tasklet_send (target, "go", NULL));
  test_wait_finished_anywhere (target, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (target), G_IO_ERROR, G_IO_ERROR_FAILED);
  test_recorder_free (r);
  test_place_clear (&place);
}

/* Misuse */

static void
monitor_self (GtaskletTasklet *self,
              gpointer         data)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*cannot monitor itself*");
  g_assert_cmpuint (gtasklet_tasklet_monitor (self, self), ==, 0);
  g_test_assert_expected_messages ();
}

static void
monitor_null (GtaskletTasklet *self,
              gpointer         data)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given NULL instead of a tasklet*");
  g_assert_cmpuint (gtasklet_tasklet_monitor (self, NULL), ==, 0);
  g_test_assert_expected_messages ();
}

static void
demonitor_zero (GtaskletTasklet *self,
                gpointer         data)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given 0*");
  gtasklet_tasklet_demonitor (self, 0);
  g_test_assert_expected_messages ();
}

static void
check_misuse (TestFirstStep first)
{
  TestRecorder *r = test_recorder_new (first, NULL);
  g_autoptr (GtaskletTasklet) t = test_recorder_tasklet_new (r);

  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  test_recorder_free (r);
}

static void
test_misuse_self (void)
{
  check_misuse (monitor_self);
}

static void
test_misuse_null (void)
{
  check_misuse (monitor_null);
}

static void
test_misuse_zero_id (void)
{
  check_misuse (demonitor_zero);
}

static void
test_misuse_not_started (void)
{
  g_autoptr (GtaskletTasklet) t = test_target_new (NULL, 0, TEST_END_NORMAL);
  g_autoptr (GtaskletTasklet) other = test_target_new (NULL, 0, TEST_END_NORMAL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*has not been started*");
  g_assert_cmpuint (gtasklet_tasklet_monitor (t, other), ==, 0);
  g_test_assert_expected_messages ();

  /* It fails when it starts, without a step. */
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
}

/* From a thread that does not run the watcher. */
static void
test_misuse_wrong_thread (void)
{
  TestPlace place;
  g_autoptr (GtaskletTasklet) watcher = test_target_new (NULL, 0, TEST_END_WAIT);
  g_autoptr (GtaskletTasklet) target = test_target_new (NULL, 0, TEST_END_NORMAL);

  test_place_init (&place, TEST_WHERE_POOL);
  test_place_start (&place, watcher);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*from a thread that does not run it*");
  g_assert_cmpuint (gtasklet_tasklet_monitor (watcher, target), ==, 0);
  g_test_assert_expected_messages ();
  test_wait_finished_anywhere (watcher, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (watcher), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  test_place_clear (&place);
}

/* Stress: watchers on two threads monitor targets on both, some several times, demonitor
 * some at once and some while the targets end, and count what arrives per target. A DOWN
 * lost shows as a watcher that never gets its count; a doubled one, or one let through after
 * demonitor, as a count too high once every target's end has been told (the other thread is
 * then past its targets' ends, and "stop" is queued behind any DOWN still on its way). */

#define STRESS_TARGETS  24
#define STRESS_WATCHERS 6

typedef struct
{
  GtaskletTasklet *targets[STRESS_TARGETS];
} Stress;

typedef struct
{
  Stress   *stress;
  GRand    *rand;
  guint     expected[STRESS_TARGETS];
  guint     got[STRESS_TARGETS];
  guint     total;
  guint     received;
  guint     wrong_values;
  int       reached;      /* atomic */
} StressWatcher;

static gboolean
stress_watcher_step (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  StressWatcher *w = user_data;
  Stress *s = w->stress;

  if (event == NULL)
    {
      guint ids[STRESS_TARGETS * 3];
      guint of[STRESS_TARGETS * 3];
      guint n_ids = 0;

      for (guint i = 0; i < STRESS_TARGETS; i++)
        {
          guint k = g_rand_int_range (w->rand, 0, 3);

          for (guint j = 0; j < k; j++)
            {
              guint id = gtasklet_tasklet_monitor (tasklet, s->targets[i]);

              g_assert_cmpuint (id, !=, 0);
              if (g_rand_int_range (w->rand, 0, 4) == 0)
                {
                  gtasklet_tasklet_demonitor (tasklet, id);
                  continue;
                }
              ids[n_ids] = id;
              of[n_ids++] = i;
            }
        }
      /* The first "go" ends a target; later ones may find it finished. */
      for (guint i = 0; i < STRESS_TARGETS; i++)
        if (g_rand_boolean (w->rand))
          gtasklet_tasklet_send (s->targets[i], "go", NULL);
      /* These race with the targets' ends, on other threads too. */
      for (guint n = 0; n < n_ids; n++)
        if (g_rand_int_range (w->rand, 0, 3) == 0)
          gtasklet_tasklet_demonitor (tasklet, ids[n]);
        else
          w->expected[of[n]]++, w->total++;
    }
  else
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      GtaskletTasklet *sender = gtasklet_message_get_sender (message);
      guint i;

      if (g_str_equal (gtasklet_message_get_name (message), "stop"))
        return TRUE;

      for (i = 0; i < STRESS_TARGETS && s->targets[i] != sender; i++)
        ;
      g_assert_cmpuint (i, <, STRESS_TARGETS);
      w->got[i]++;
      w->received++;
      /* The target has finished: its outcome may be read from any thread. */
      if ((gtasklet_tasklet_get_error (sender) != NULL) !=
          (gtasklet_message_get_value (message) != NULL))
        w->wrong_values++;
    }

  if (w->received >= w->total)
    g_atomic_int_set (&w->reached, TRUE);
  gtasklet_tasklet_receive (tasklet, (const char *[]) { GTASKLET_MESSAGE_DOWN, "stop", NULL },
                            NULL, NULL);
  return TRUE;
}

static void
nothing (gpointer data,
         gpointer user_data)
{
}

static void
test_stress (void)
{
  guint rounds = test_scaled (30);
  guint32 seed = g_test_rand_int ();
  TestPlace there;

  test_place_init (&there, TEST_WHERE_THREAD);
  g_test_message ("seed %u", seed);

  for (guint round = 0; round < rounds; round++)
    {
      Stress s = { { NULL } };
      StressWatcher watchers[STRESS_WATCHERS] = { { NULL } };
      GtaskletTasklet *tasklets[STRESS_WATCHERS];
      GRand *rand = g_rand_new_with_seed (seed + round);

      for (guint i = 0; i < STRESS_TARGETS; i++)
        {
          s.targets[i] = test_target_new (NULL, 0, g_rand_int_range (rand, TEST_END_NORMAL,
                                                                     TEST_END_WAIT + 1));
          if (i % 2 == 0)
            gtasklet_tasklet_start (s.targets[i]);
          else
            test_place_start (&there, s.targets[i]);
        }
      for (guint n = 0; n < STRESS_WATCHERS; n++)
        {
          watchers[n].stress = &s;
          watchers[n].rand = g_rand_new_with_seed (g_rand_int (rand));
          tasklets[n] = gtasklet_tasklet_new (stress_watcher_step, &watchers[n], NULL);
          if (n % 2 == 0)
            gtasklet_tasklet_start (tasklets[n]);
          else
            test_place_start (&there, tasklets[n]);
        }
      /* Every target ends: told to go, or cancelled (those that wait always are). */
      for (guint i = 0; i < STRESS_TARGETS; i++)
        {
          if (g_rand_boolean (rand))
            gtasklet_tasklet_send (s.targets[i], "go", NULL);
          gtasklet_tasklet_cancel (s.targets[i]);
        }
      for (guint i = 0; i < STRESS_TARGETS; i++)
        test_wait_finished_anywhere (s.targets[i], DEADLINE_MS);
      for (guint n = 0; n < STRESS_WATCHERS; n++)
        test_wait_atomic (&watchers[n].reached, DEADLINE_MS);
      /* Past its targets' ends, and its DOWNs sent. */
      test_worker_call (there.worker, nothing, NULL);

      for (guint n = 0; n < STRESS_WATCHERS; n++)
        {
          g_assert_true (gtasklet_tasklet_send (tasklets[n], "stop", NULL));
          test_wait_finished_anywhere (tasklets[n], DEADLINE_MS);
          g_assert_no_error ((GError *) gtasklet_tasklet_get_error (tasklets[n]));
          for (guint i = 0; i < STRESS_TARGETS; i++)
            g_assert_cmpuint (watchers[n].got[i], ==, watchers[n].expected[i]);
          g_assert_cmpuint (watchers[n].wrong_values, ==, 0);
          g_object_unref (tasklets[n]);
          g_rand_free (watchers[n].rand);
        }
      for (guint i = 0; i < STRESS_TARGETS; i++)
        g_object_unref (s.targets[i]);
      g_rand_free (rand);
    }

  test_place_clear (&there);
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *name; GTestDataFunc func; } per_place[] = {
    { "down-normal", test_down_normal },
    { "down-error", test_down_error },
    { "down-cancelled", test_down_cancelled },
    { "down-after-messages", test_down_after_messages },
    { "two-monitors", test_two_monitors },
    { "watcher-elsewhere", test_watcher_elsewhere },
    { "demonitor-before-end", test_demonitor_before_end },
    { "demonitor-queued", test_demonitor_queued },
    { "finished-target-normal", test_finished_target_normal },
    { "finished-target-error", test_finished_target_error },
    { "watcher-ends-first", test_watcher_ends_first },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (per_place); i++)
    for (int where = TEST_WHERE_HERE; where <= TEST_WHERE_THREAD; where++)
      {
        g_autofree char *path = g_strdup_printf ("/gtasklet/monitor/%s/%s", per_place[i].name,
                                                 where_names[where]);

        g_test_add_data_func (path, GINT_TO_POINTER (where), per_place[i].func);
      }

  g_test_add_func ("/gtasklet/monitor/misuse/self", test_misuse_self);
  g_test_add_func ("/gtasklet/monitor/misuse/null", test_misuse_null);
  g_test_add_func ("/gtasklet/monitor/misuse/zero-id", test_misuse_zero_id);
  g_test_add_func ("/gtasklet/monitor/misuse/not-started", test_misuse_not_started);
  g_test_add_func ("/gtasklet/monitor/misuse/wrong-thread", test_misuse_wrong_thread);
  g_test_add_func ("/gtasklet/monitor/stress", test_stress);

  return g_test_run ();
}

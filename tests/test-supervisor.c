/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletSupervisor, rule by rule from the contract's "Monitors, links and supervisors":
 * children start in the order added; restart kinds; the three strategies, with stopping in
 * reverse start order, each child cancelled and waited for before the next; the restart
 * intensity over a sliding window (RESTART_LIMIT); a child function that returns NULL;
 * cancellation; children on a pool. A lab records what happened, in order. Every wait has a
 * deadline; nothing sleeps. */
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 30000

typedef enum
{
  RUN_FOREVER,      /* waits for its cancellation */
  FAIL_AFTER,       /* fails after `ms` milliseconds */
  FINISH_AFTER,     /* finishes normally after `ms` milliseconds */
  STUBBORN,         /* on cancellation, waits `ms` more milliseconds, then ends cancelled */
} Behaviour;

typedef struct _Lab Lab;

typedef struct
{
  Lab       *lab;
  char      *id;
  Behaviour  behaviour;
  guint      ms;
  guint      fail_times;   /* FAIL_AFTER: how many of its runs fail (0: all) */
  gboolean   give_null;    /* the child function returns NULL */
  guint      starts;
} Spec;

struct _Lab
{
  GString      *log;        /* "+a +b -b ..." : starts and ends, in order */
  GtaskletPool *pool;       /* when set, children are placed there */
};

typedef struct
{
  Spec                  *spec;
  GtaskletWaitCondition *timer;
  GtaskletWaitCondition *cancelled;
  gboolean               saw_cancel;
  guint                  run;
} Run;

static void
lab_note (Lab        *lab,
          char        sign,
          const char *id)
{
  g_string_append_printf (lab->log, "%s%c%s", lab->log->len > 0 ? " " : "", sign, id);
}

static void
run_free (gpointer data)
{
  Run *r = data;

  g_clear_object (&r->timer);
  g_clear_object (&r->cancelled);
  g_free (r);
}

/* Whether this run ends on its own, by its timer. */
static gboolean
run_times_out (Run *r)
{
  Spec *spec = r->spec;

  if (spec->behaviour == FINISH_AFTER)
    return TRUE;
  return spec->behaviour == FAIL_AFTER && (spec->fail_times == 0 || r->run <= spec->fail_times);
}

static gboolean
child_step (GtaskletTasklet  *self,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Run *r = user_data;
  Spec *spec = r->spec;

  if (event == NULL)
    {
      r->timer = gtasklet_wait_for_timeout_new (MAX (spec->ms, 1));
      r->cancelled = gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (self));
    }
  else if (event == G_OBJECT (r->cancelled))
    {
      r->saw_cancel = TRUE;
      if (spec->behaviour != STUBBORN)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
          return FALSE;
        }
      /* Stubborn: takes its time to stop. */
      gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (r->timer));
    }
  else if (event == G_OBJECT (r->timer))
    {
      if (r->saw_cancel)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped late");
          return FALSE;
        }
      if (spec->behaviour == FINISH_AFTER)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed", spec->id);
      return FALSE;
    }

  if (r->saw_cancel)
    gtasklet_tasklet_wait (self, r->timer);
  else
    {
      gtasklet_tasklet_wait (self, r->cancelled);
      if (run_times_out (r))
        gtasklet_tasklet_wait (self, r->timer);
    }
  return TRUE;
}

static void
on_child_finished (GtaskletTasklet *tasklet,
                   Spec            *spec)
{
  lab_note (spec->lab, '-', spec->id);
}

static GtaskletTasklet *
make_child (GtaskletSupervisor *supervisor,
            const char         *id,
            gpointer            user_data)
{
  Spec *spec = user_data;
  Run *r;
  GtaskletTasklet *t;

  g_assert_cmpstr (id, ==, spec->id);
  if (spec->give_null)
    {
      spec->starts++;
      return NULL;
    }
  r = g_new0 (Run, 1);
  r->spec = spec;
  r->run = ++spec->starts;
  t = gtasklet_tasklet_new (child_step, r, run_free);
  lab_note (spec->lab, '+', id);
  if (spec->lab->pool != NULL)
    gtasklet_pool_start (spec->lab->pool, t);
  else
    g_signal_connect (t, "finished", G_CALLBACK (on_child_finished), spec);
  return t;
}

static Spec *
spec_new (Lab        *lab,
          const char *id,
          Behaviour   behaviour,
          guint       ms)
{
  Spec *spec = g_new0 (Spec, 1);

  spec->lab = lab;
  spec->id = g_strdup (id);
  spec->behaviour = behaviour;
  spec->ms = ms;
  return spec;
}

static void
spec_free (gpointer data)
{
  Spec *spec = data;

  g_free (spec->id);
  g_free (spec);
}

static Spec *
add (GtaskletSupervisor *sup,
     Lab                *lab,
     const char         *id,
     Behaviour           behaviour,
     guint               ms,
     GtaskletRestart     restart)
{
  Spec *spec = spec_new (lab, id, behaviour, ms);

  gtasklet_supervisor_add_child (sup, id, make_child, spec, spec_free, restart);
  return spec;
}

static void
lab_init (Lab *lab)
{
  lab->log = g_string_new (NULL);
  lab->pool = NULL;
}

static void
lab_clear (Lab *lab)
{
  g_string_free (lab->log, TRUE);
  g_clear_object (&lab->pool);
}

/* Iterates until the lab's log has @n entries. */
static void
wait_log (Lab   *lab,
          guint  n)
{
  gint64 end = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_auto (GStrv) entries = g_strsplit (lab->log->str, " ", -1);

      if (lab->log->len > 0 && g_strv_length (entries) >= n)
        return;
      if (g_get_monotonic_time () > end)
        g_error ("log stuck at '%s', waiting for %u entries", lab->log->str, n);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Starting */

static void
test_start_order (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;

  lab_init (&lab);
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 3, 5000);
  add (sup, &lab, "a", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  add (sup, &lab, "b", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  g_assert_null (gtasklet_supervisor_get_child (sup, "a"));
  g_assert_cmpstr (lab.log->str, ==, "");

  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  g_assert_cmpstr (lab.log->str, ==, "+a +b");
  g_assert_nonnull (gtasklet_supervisor_get_child (sup, "a"));
  g_assert_null (gtasklet_supervisor_get_child (sup, "nope"));

  /* Added while it runs: started at once. */
  add (sup, &lab, "c", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  g_assert_cmpstr (lab.log->str, ==, "+a +b +c");

  /* Cancelled: stopped in reverse start order, then the supervisor ends cancelled. */
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);
  g_assert_cmpstr (lab.log->str, ==, "+a +b +c -c -b -a");
  test_assert_cancelled (GTASKLET_TASKLET (sup));
  g_assert_cmpuint (gtasklet_supervisor_get_n_restarts (sup), ==, 0);
  lab_clear (&lab);
}

/* Restart kinds */

static void
test_restart_kinds (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;
  Spec *perm_ok, *trans_ok, *trans_fail, *temp_fail;
  GtaskletTasklet *first;

  lab_init (&lab);
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 10, 5000);
  perm_ok = add (sup, &lab, "p", FINISH_AFTER, 5, GTASKLET_RESTART_PERMANENT);
  trans_ok = add (sup, &lab, "t", FINISH_AFTER, 5, GTASKLET_RESTART_TRANSIENT);
  trans_fail = add (sup, &lab, "f", FAIL_AFTER, 5, GTASKLET_RESTART_TRANSIENT);
  temp_fail = add (sup, &lab, "x", FAIL_AFTER, 5, GTASKLET_RESTART_TEMPORARY);
  /* Once restarted, each stays up. */
  perm_ok->behaviour = FINISH_AFTER;
  trans_fail->fail_times = 1;
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  first = gtasklet_supervisor_get_child (sup, "p");

  /* p: restarted after a normal finish, again and again; so wait for its second run. */
  while (perm_ok->starts < 2 || trans_fail->starts < 2 ||
         gtasklet_tasklet_get_state (gtasklet_supervisor_get_child (sup, "x")) !=
         GTASKLET_STATE_FINISHED ||
         gtasklet_tasklet_get_state (gtasklet_supervisor_get_child (sup, "t")) !=
         GTASKLET_STATE_FINISHED)
    g_main_context_iteration (NULL, TRUE);
  test_drain ();

  g_assert_true (gtasklet_supervisor_get_child (sup, "p") != first);
  g_assert_cmpuint (trans_ok->starts, ==, 1);   /* transient, finished normally */
  g_assert_cmpuint (trans_fail->starts, ==, 2); /* transient, failed once */
  g_assert_cmpuint (temp_fail->starts, ==, 1);  /* temporary: never */
  g_assert_error (gtasklet_tasklet_get_error (gtasklet_supervisor_get_child (sup, "x")),
                  G_IO_ERROR, G_IO_ERROR_FAILED);

  /* p keeps finishing and being restarted: stop the lot. */
  perm_ok->behaviour = RUN_FOREVER;
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);
  test_assert_cancelled (GTASKLET_TASKLET (sup));
  lab_clear (&lab);
}

/* Strategies */

static void
check_strategy (GtaskletSupervisorStrategy  strategy,
                const char                 *expected)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;
  Spec *b;

  lab_init (&lab);
  sup = gtasklet_supervisor_new (strategy, 3, 5000);
  add (sup, &lab, "a", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  b = add (sup, &lab, "b", FAIL_AFTER, 5, GTASKLET_RESTART_PERMANENT);
  b->fail_times = 1;
  /* Stubborn: the next stop must wait for it. */
  add (sup, &lab, "c", STUBBORN, 20, GTASKLET_RESTART_PERMANENT);
  add (sup, &lab, "d", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));

  {
    g_auto (GStrv) entries = g_strsplit (expected, " ", -1);

    wait_log (&lab, g_strv_length (entries));
  }
  test_drain ();
  g_assert_cmpstr (lab.log->str, ==, expected);
  g_assert_cmpuint (gtasklet_supervisor_get_n_restarts (sup), ==, 1);

  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);
  lab_clear (&lab);
}

static void
test_one_for_one (void)
{
  check_strategy (GTASKLET_SUPERVISOR_ONE_FOR_ONE, "+a +b +c +d -b +b");
}

static void
test_one_for_all (void)
{
  /* The others stop last first (c, stubborn, before a is touched), then all start again. */
  check_strategy (GTASKLET_SUPERVISOR_ONE_FOR_ALL,
                  "+a +b +c +d -b -d -c -a +a +b +c +d");
}

static void
test_rest_for_one (void)
{
  check_strategy (GTASKLET_SUPERVISOR_REST_FOR_ONE, "+a +b +c +d -b -d -c +b +c +d");
}

/* The restart limit */

static void
test_restart_limit (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;
  const GError *error;

  lab_init (&lab);
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 2, 60000);
  add (sup, &lab, "steady", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  add (sup, &lab, "flaky", FAIL_AFTER, 1, GTASKLET_RESTART_PERMANENT);
  add (sup, &lab, "last", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);

  error = gtasklet_tasklet_get_error (GTASKLET_TASKLET (sup));
  g_assert_error (error, GTASKLET_ERROR, GTASKLET_ERROR_RESTART_LIMIT);
  g_assert_nonnull (strstr (error->message, "more than 2 restarts within 60000 ms"));
  /* Two restarts allowed, the third failure gives up: the rest stop, last first. */
  g_assert_cmpstr (lab.log->str, ==,
                   "+steady +flaky +last -flaky +flaky -flaky +flaky -flaky -last -steady");
  g_assert_cmpuint (gtasklet_supervisor_get_n_restarts (sup), ==, 2);
  lab_clear (&lab);
}

/* Failures further apart than the period never add up. */
static void
test_sliding_window (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;
  Spec *flaky;

  lab_init (&lab);
  /* One restart per 2 ms at most; the child fails 30 ms after each start. */
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 1, 2);
  flaky = add (sup, &lab, "flaky", FAIL_AFTER, 30, GTASKLET_RESTART_PERMANENT);
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  while (flaky->starts < 5)
    {
      g_assert_cmpint (gtasklet_tasklet_get_state (GTASKLET_TASKLET (sup)), !=,
                       GTASKLET_STATE_FINISHED);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (gtasklet_supervisor_get_n_restarts (sup), >=, 4);
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);
  test_assert_cancelled (GTASKLET_TASKLET (sup));
  lab_clear (&lab);
}

/* A child function that gives no tasklet counts as a failed start. */
static void
test_null_child (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;
  Spec *none;

  lab_init (&lab);
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 3, 60000);
  add (sup, &lab, "ok", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  none = add (sup, &lab, "none", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  none->give_null = TRUE;
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);

  g_assert_error (gtasklet_tasklet_get_error (GTASKLET_TASKLET (sup)), GTASKLET_ERROR,
                  GTASKLET_ERROR_RESTART_LIMIT);
  /* The first try and three restarts, then the one that ran is stopped. */
  g_assert_cmpuint (none->starts, ==, 4);
  g_assert_cmpstr (lab.log->str, ==, "+ok -ok");
  lab_clear (&lab);
}

/* Programmer errors */

static void
test_duplicate_id (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;

  lab_init (&lab);
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 3, 5000);
  add (sup, &lab, "a", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_supervisor_add_child(): GtaskletSupervisor * already has a "
                         "child 'a'");
  add (sup, &lab, "a", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  g_test_assert_expected_messages ();
  lab_clear (&lab);
}

/* Children on pool workers: restarted and stopped across threads. */
static void
test_children_on_a_pool (void)
{
  Lab lab;
  g_autoptr (GtaskletSupervisor) sup = NULL;
  Spec *flaky, *steady;

  lab_init (&lab);
  lab.pool = gtasklet_pool_new (2);
  sup = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ALL, 5, 60000);
  steady = add (sup, &lab, "steady", RUN_FOREVER, 0, GTASKLET_RESTART_PERMANENT);
  flaky = add (sup, &lab, "flaky", FAIL_AFTER, 2, GTASKLET_RESTART_PERMANENT);
  flaky->fail_times = 2;
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));

  /* Two failures, each restarting both. */
  while (flaky->starts < 3 || steady->starts < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (gtasklet_supervisor_get_n_restarts (sup), ==, 2);
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  test_wait_finished (GTASKLET_TASKLET (sup), DEADLINE_MS);
  test_assert_cancelled (GTASKLET_TASKLET (sup));
  for (guint i = 0; i < 2; i++)
    {
      GtaskletTasklet *child = gtasklet_supervisor_get_child (sup, i == 0 ? "steady" : "flaky");

      g_assert_cmpint (gtasklet_tasklet_get_state (child), ==, GTASKLET_STATE_FINISHED);
    }
  lab_clear (&lab);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/supervisor/start-order", test_start_order);
  g_test_add_func ("/gtasklet/supervisor/restart-kinds", test_restart_kinds);
  g_test_add_func ("/gtasklet/supervisor/one-for-one", test_one_for_one);
  g_test_add_func ("/gtasklet/supervisor/one-for-all", test_one_for_all);
  g_test_add_func ("/gtasklet/supervisor/rest-for-one", test_rest_for_one);
  g_test_add_func ("/gtasklet/supervisor/restart-limit", test_restart_limit);
  g_test_add_func ("/gtasklet/supervisor/sliding-window", test_sliding_window);
  g_test_add_func ("/gtasklet/supervisor/null-child", test_null_child);
  g_test_add_func ("/gtasklet/supervisor/duplicate-id", test_duplicate_id);
  g_test_add_func ("/gtasklet/supervisor/children-on-a-pool", test_children_on_a_pool);

  return g_test_run ();
}

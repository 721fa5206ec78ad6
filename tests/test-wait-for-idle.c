/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"

/* Waits on `idle` until it has fired `n_wanted` times, logging each step. */
typedef struct
{
  GtaskletWaitCondition *idle;
  guint                  n_wanted;
  guint                  n_events;
  GString               *log;
} Idler;

static gboolean
idler_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Idler *i = user_data;

  if (event != NULL)
    {
      g_assert_true (event == G_OBJECT (i->idle));
      i->n_events++;
      if (i->log != NULL)
        g_string_append (i->log, "idle;");
    }
  if (i->n_events == i->n_wanted)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, i->idle);
  return TRUE;
}

static void
test_fires (void)
{
  /* Seed defect 1: the seed passed the priority as the callback's data and never fired. */
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  Idler i = { idle, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (idler_step, &i, NULL);

  gtasklet_tasklet_start (t);
  g_assert_true (gtasklet_wait_condition_is_armed (idle));
  test_wait_finished (t, 5000);

  g_assert_cmpuint (i.n_events, ==, 1);
  g_assert_false (gtasklet_wait_condition_is_armed (idle));
}

static void
test_repeats_while_kept (void)
{
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  Idler i = { idle, 4 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (idler_step, &i, NULL);
  guint n_fired = 0;

  g_signal_connect (idle, "fired", G_CALLBACK (test_count_signal), &n_fired);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  test_drain ();

  g_assert_cmpuint (i.n_events, ==, 4);
  g_assert_cmpuint (n_fired, ==, 4);
}

/* A DEFAULT-priority source that stays ready for three dispatches. */
typedef struct
{
  GString *log;
  guint    n_left;
} Busy;

static gboolean
busy_source (gpointer data)
{
  Busy *b = data;

  g_string_append (b->log, "busy;");
  return --b->n_left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static char *
run_against_busy_source (int priority)
{
  GString *log = g_string_new (NULL);
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  Idler i = { idle, 1, 0, log };
  Busy b = { log, 3 };
  g_autoptr (GtaskletTasklet) t = NULL;

  gtasklet_wait_for_idle_set_priority (GTASKLET_WAIT_FOR_IDLE (idle), priority);
  t = gtasklet_tasklet_new (idler_step, &i, NULL);
  g_idle_add_full (G_PRIORITY_DEFAULT, busy_source, &b, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  while (b.n_left > 0)
    g_main_context_iteration (NULL, TRUE);

  return g_string_free (log, FALSE);
}

static void
test_waits_for_higher_priority (void)
{
  g_autofree char *log = run_against_busy_source (G_PRIORITY_DEFAULT_IDLE);

  /* Default idle priority: it only fires once the busier source is done. */
  g_assert_cmpstr (log, ==, "busy;busy;busy;idle;");
}

static void
test_priority (void)
{
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  GtaskletWaitForIdle *self = GTASKLET_WAIT_FOR_IDLE (idle);
  g_autofree char *log = NULL;
  guint n_notify = 0;
  int priority = 0;

  g_assert_cmpint (gtasklet_wait_for_idle_get_priority (self), ==, G_PRIORITY_DEFAULT_IDLE);
  g_signal_connect (idle, "notify::priority", G_CALLBACK (test_count_notify), &n_notify);
  g_object_set (idle, "priority", G_PRIORITY_HIGH_IDLE, NULL);
  gtasklet_wait_for_idle_set_priority (self, G_PRIORITY_HIGH_IDLE);
  g_assert_cmpuint (n_notify, ==, 1);
  g_assert_cmpint (gtasklet_wait_for_idle_get_priority (self), ==, G_PRIORITY_HIGH_IDLE);
  g_object_get (idle, "priority", &priority, NULL);
  g_assert_cmpint (priority, ==, G_PRIORITY_HIGH_IDLE);

  /* Above the busy source's priority it fires first. */
  log = run_against_busy_source (G_PRIORITY_HIGH);
  g_assert_cmpstr (log, ==, "idle;busy;busy;busy;");
}

/* Waits on an idle and a timeout, then on the timeout only. */
typedef struct
{
  GtaskletWaitCondition *idle;
  GtaskletWaitCondition *timeout;
  guint                  n_steps;
} Drop;

static gboolean
drop_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Drop *d = user_data;

  d->n_steps++;
  if (d->n_steps == 1)
    {
      gtasklet_tasklet_wait (tasklet, d->idle);
      gtasklet_tasklet_wait (tasklet, d->timeout);
      return TRUE;
    }
  if (d->n_steps == 2)
    {
      g_assert_true (event == G_OBJECT (d->idle));
      gtasklet_tasklet_wait (tasklet, d->timeout);
      return TRUE;
    }
  g_assert_true (event == G_OBJECT (d->timeout));
  return TRUE;
}

static void
test_disarmed_when_dropped (void)
{
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (50);
  Drop d = { idle, timeout };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (drop_step, &d, NULL);
  guint n_fired = 0;

  g_signal_connect (idle, "fired", G_CALLBACK (test_count_signal), &n_fired);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  /* An idle source left attached would have fired on every iteration of those 50 ms. */
  g_assert_cmpuint (d.n_steps, ==, 3);
  g_assert_cmpuint (n_fired, ==, 1);
  g_assert_false (gtasklet_wait_condition_is_armed (idle));
  test_drain ();
  g_assert_cmpuint (n_fired, ==, 1);
}

static void
test_unarmed_dispose (void)
{
  GtaskletWaitCondition *idle = g_object_new (GTASKLET_TYPE_WAIT_FOR_IDLE,
                                              "priority", G_PRIORITY_HIGH,
                                              NULL);

  g_assert_cmpint (gtasklet_wait_for_idle_get_priority (GTASKLET_WAIT_FOR_IDLE (idle)),
                   ==, G_PRIORITY_HIGH);
  g_object_run_dispose (G_OBJECT (idle));
  g_object_unref (idle);
}

static void
test_programmer_errors (void)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpint (gtasklet_wait_for_idle_get_priority (NULL), ==, G_PRIORITY_DEFAULT_IDLE);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  gtasklet_wait_for_idle_set_priority (NULL, G_PRIORITY_HIGH);
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-idle/fires", test_fires);
  g_test_add_func ("/gtasklet/wait-for-idle/repeats-while-kept", test_repeats_while_kept);
  g_test_add_func ("/gtasklet/wait-for-idle/waits-for-higher-priority",
                   test_waits_for_higher_priority);
  g_test_add_func ("/gtasklet/wait-for-idle/priority", test_priority);
  g_test_add_func ("/gtasklet/wait-for-idle/disarmed-when-dropped", test_disarmed_when_dropped);
  g_test_add_func ("/gtasklet/wait-for-idle/unarmed-dispose", test_unarmed_dispose);
  g_test_add_func ("/gtasklet/wait-for-idle/programmer-errors", test_programmer_errors);

  return g_test_run ();
}

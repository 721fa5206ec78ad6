/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"

/* Iterates the main loop for about @ms milliseconds, to show that something does NOT happen. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, test_flag_source, &done);
  test_wait_until (done, ms + 5000);
}

/* Waits on `timeout` until it has fired `n_wanted` times, noting when each fire arrived. */
typedef struct
{
  GtaskletWaitCondition *timeout;
  guint                  n_wanted;
  guint                  n_events;
  gboolean               armed_in_step;
  gint64                 times[8];
} Periodic;

static gboolean
periodic_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Periodic *p = user_data;

  if (event != NULL)
    {
      g_assert_true (event == G_OBJECT (p->timeout));
      g_assert_cmpuint (p->n_events, <, G_N_ELEMENTS (p->times));
      p->times[p->n_events++] = g_get_monotonic_time ();
      p->armed_in_step = gtasklet_wait_condition_is_armed (p->timeout);
    }
  if (p->n_events == p->n_wanted)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, p->timeout);
  return TRUE;
}

static void
test_fires_once (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (20);
  Periodic p = { timeout, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (periodic_step, &p, NULL);
  guint n_fired = 0;
  gint64 start = g_get_monotonic_time ();

  g_signal_connect (timeout, "fired", G_CALLBACK (test_count_signal), &n_fired);
  gtasklet_tasklet_start (t);
  g_assert_true (gtasklet_wait_condition_is_armed (timeout));
  g_assert_cmpuint (p.n_events, ==, 0);

  test_wait_finished (t, 5000);
  g_assert_cmpuint (p.n_events, ==, 1);
  /* Generous bound: the main loop's cached time may lag the arm by a little. */
  g_assert_cmpint (p.times[0] - start, >=, 10 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (gtasklet_wait_condition_is_armed (timeout));

  run_for (60);
  g_assert_cmpuint (n_fired, ==, 1);
}

static void
test_periodic_when_kept (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (10);
  Periodic p = { timeout, 5 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (periodic_step, &p, NULL);
  gint64 start = g_get_monotonic_time ();

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (p.n_events, ==, 5);
  /* Kept in consecutive wait sets, it was never disarmed between fires. */
  g_assert_true (p.armed_in_step);
  g_assert_cmpint (p.times[4] - start, >=, 40 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (gtasklet_wait_condition_is_armed (timeout));
}

/* Waits on a long timeout and a short one; when the short one fires, restarts the long one. */
typedef struct
{
  GtaskletWaitCondition *long_timeout;
  GtaskletWaitCondition *short_timeout;
  guint                  new_interval;
  gint64                 restarted_at;
  gint64                 long_fired_at;
} Restart;

static gboolean
restart_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Restart *r = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, r->long_timeout);
      gtasklet_tasklet_wait (tasklet, r->short_timeout);
      return TRUE;
    }
  if (event == G_OBJECT (r->short_timeout))
    {
      if (r->new_interval > 0)
        gtasklet_wait_for_timeout_set_interval (GTASKLET_WAIT_FOR_TIMEOUT (r->long_timeout),
                                                r->new_interval);
      gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (r->long_timeout));
      r->restarted_at = g_get_monotonic_time ();
      gtasklet_tasklet_wait (tasklet, r->long_timeout);
      return TRUE;
    }
  g_assert_true (event == G_OBJECT (r->long_timeout));
  r->long_fired_at = g_get_monotonic_time ();
  return TRUE;
}

static void
test_restart_pushes_deadline (void)
{
  g_autoptr (GtaskletWaitCondition) long_timeout = gtasklet_wait_for_timeout_new (200);
  g_autoptr (GtaskletWaitCondition) short_timeout = gtasklet_wait_for_timeout_new (100);
  Restart r = { long_timeout, short_timeout };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (restart_step, &r, NULL);
  gint64 start = g_get_monotonic_time ();

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  g_assert_cmpint (r.restarted_at, >, 0);
  g_assert_cmpint (r.long_fired_at, >, r.restarted_at);
  /* Without the restart it would have fired about 200 ms after start; with it, about 200 ms
   * after the restart (about 300 ms after start). */
  g_assert_cmpint (r.long_fired_at - r.restarted_at, >=, 150 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (r.long_fired_at - start, >=, 250 * G_TIME_SPAN_MILLISECOND);
}

static void
test_set_interval_applies_on_restart (void)
{
  /* The long timeout would take a minute; the new interval applies from the restart. */
  g_autoptr (GtaskletWaitCondition) long_timeout = gtasklet_wait_for_timeout_new (60000);
  g_autoptr (GtaskletWaitCondition) short_timeout = gtasklet_wait_for_timeout_new (10);
  Restart r = { long_timeout, short_timeout, 20 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (restart_step, &r, NULL);
  guint interval;

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  interval = gtasklet_wait_for_timeout_get_interval (GTASKLET_WAIT_FOR_TIMEOUT (long_timeout));
  g_assert_cmpuint (interval, ==, 20);
  g_assert_cmpint (r.long_fired_at - r.restarted_at, >=, 10 * G_TIME_SPAN_MILLISECOND);
}

/* Restarts the timeout from the very step it woke, so the source being dispatched is
 * replaced; each period then counts from the restart. */
static gboolean
restart_self_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  Periodic *p = user_data;

  if (event != NULL)
    {
      p->times[p->n_events++] = g_get_monotonic_time ();
      if (p->n_events == p->n_wanted)
        return TRUE;
      gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (p->timeout));
    }
  gtasklet_tasklet_wait (tasklet, p->timeout);
  return TRUE;
}

static void
test_restart_from_own_step (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (30);
  Periodic p = { timeout, 3 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (restart_self_step, &p, NULL);
  guint n_fired = 0;

  g_signal_connect (timeout, "fired", G_CALLBACK (test_count_signal), &n_fired);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (p.n_events, ==, 3);
  for (guint i = 1; i < 3; i++)
    g_assert_cmpint (p.times[i] - p.times[i - 1], >=, 20 * G_TIME_SPAN_MILLISECOND);

  /* The replaced sources are gone: nothing fires once the tasklet stopped waiting. */
  run_for (80);
  g_assert_cmpuint (n_fired, ==, 3);
}

static void
test_restart_unarmed (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (10);
  Periodic p = { timeout, 1 };
  g_autoptr (GtaskletTasklet) t = NULL;

  /* Not armed: nothing to restart, and nothing breaks. */
  gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (timeout));
  gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (timeout));
  g_assert_false (gtasklet_wait_condition_is_armed (timeout));

  t = gtasklet_tasklet_new (periodic_step, &p, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (p.n_events, ==, 1);

  /* Not armed any more after the tasklet finished. */
  gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (timeout));
  run_for (40);
  g_assert_cmpuint (p.n_events, ==, 1);
}

/* Waits on `slow` and `fast`; after `fast` fires, waits on `fast` alone, then finishes. */
typedef struct
{
  GtaskletWaitCondition *slow;
  GtaskletWaitCondition *fast;
  guint                  n_steps;
  gboolean               slow_armed_after_drop;
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
      gtasklet_tasklet_wait (tasklet, d->slow);
      gtasklet_tasklet_wait (tasklet, d->fast);
      return TRUE;
    }
  g_assert_true (event == G_OBJECT (d->fast));
  if (d->n_steps == 2)
    {
      gtasklet_tasklet_wait (tasklet, d->fast);
      return TRUE;
    }
  d->slow_armed_after_drop = gtasklet_wait_condition_is_armed (d->slow);
  return TRUE;
}

static void
test_disarmed_when_dropped (void)
{
  g_autoptr (GtaskletWaitCondition) slow = gtasklet_wait_for_timeout_new (60);
  g_autoptr (GtaskletWaitCondition) fast = gtasklet_wait_for_timeout_new (5);
  Drop d = { slow, fast };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (drop_step, &d, NULL);
  guint n_slow_fired = 0;

  g_signal_connect (slow, "fired", G_CALLBACK (test_count_signal), &n_slow_fired);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (d.n_steps, ==, 3);
  g_assert_false (d.slow_armed_after_drop);
  g_assert_false (gtasklet_wait_condition_is_armed (slow));
  g_assert_false (gtasklet_wait_condition_is_armed (fast));

  /* Its source was destroyed: it never fires, well after its deadline. */
  run_for (120);
  g_assert_cmpuint (n_slow_fired, ==, 0);
}

/* Records the order in which the timeout condition and a plain source ran. */
typedef struct
{
  GtaskletWaitCondition *timeout;
  GString               *log;
} Order;

static gboolean
order_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Order *o = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, o->timeout);
      return TRUE;
    }
  g_string_append (o->log, "timeout;");
  return TRUE;
}

static gboolean
order_source (gpointer data)
{
  Order *o = data;

  g_string_append (o->log, "source;");
  return G_SOURCE_REMOVE;
}

static void
check_order (int         priority,
             const char *expected)
{
  g_autoptr (GString) log = g_string_new (NULL);
  g_autoptr (GtaskletWaitCondition) timeout =
    g_object_new (GTASKLET_TYPE_WAIT_FOR_TIMEOUT,
                  "interval", 0,
                  "priority", priority,
                  NULL);
  Order o = { timeout, log };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (order_step, &o, NULL);

  /* Both are ready at the next iteration; only priority decides which runs first. */
  g_idle_add_full (G_PRIORITY_DEFAULT, order_source, &o, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  test_drain ();

  g_assert_cmpstr (log->str, ==, expected);
}

static void
test_priority (void)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (10);
  GtaskletWaitForTimeout *self = GTASKLET_WAIT_FOR_TIMEOUT (timeout);
  guint n_notify = 0;
  int priority = 0;

  g_assert_cmpint (gtasklet_wait_for_timeout_get_priority (self), ==, G_PRIORITY_DEFAULT);

  g_signal_connect (timeout, "notify::priority", G_CALLBACK (test_count_notify), &n_notify);
  gtasklet_wait_for_timeout_set_priority (self, G_PRIORITY_HIGH);
  gtasklet_wait_for_timeout_set_priority (self, G_PRIORITY_HIGH);
  g_assert_cmpuint (n_notify, ==, 1);
  g_object_get (timeout, "priority", &priority, NULL);
  g_assert_cmpint (priority, ==, G_PRIORITY_HIGH);

  check_order (G_PRIORITY_HIGH, "timeout;source;");
  check_order (G_PRIORITY_LOW, "source;timeout;");
}

static void
test_interval_property (void)
{
  g_autoptr (GtaskletWaitCondition) timeout =
    g_object_new (GTASKLET_TYPE_WAIT_FOR_TIMEOUT, "interval", 15, NULL);
  GtaskletWaitForTimeout *self = GTASKLET_WAIT_FOR_TIMEOUT (timeout);
  guint n_notify = 0;
  guint interval = 0;
  Periodic p = { timeout, 2 };
  g_autoptr (GtaskletTasklet) t = NULL;

  g_assert_cmpuint (gtasklet_wait_for_timeout_get_interval (self), ==, 15);

  g_signal_connect (timeout, "notify::interval", G_CALLBACK (test_count_notify), &n_notify);
  gtasklet_wait_for_timeout_set_interval (self, 5);
  gtasklet_wait_for_timeout_set_interval (self, 5);
  g_assert_cmpuint (n_notify, ==, 1);
  g_object_get (timeout, "interval", &interval, NULL);
  g_assert_cmpuint (interval, ==, 5);

  t = gtasklet_tasklet_new (periodic_step, &p, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (p.n_events, ==, 2);
}

static void
test_unarmed_dispose (void)
{
  GtaskletWaitCondition *timeout = gtasklet_wait_for_timeout_new (10);

  g_assert_true (GTASKLET_IS_WAIT_FOR_TIMEOUT (timeout));
  g_assert_false (gtasklet_wait_condition_is_armed (timeout));
  g_assert_null (gtasklet_wait_condition_get_context (timeout));
  g_object_run_dispose (G_OBJECT (timeout));
  g_object_unref (timeout);
}

static void
test_programmer_errors (void)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  gtasklet_wait_for_timeout_restart (NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (gtasklet_wait_for_timeout_get_interval (NULL), ==, 0);
  g_test_assert_expected_messages ();
}

/* The "reset the idle timer on each message" pattern: a restart must also withdraw a
 * deadline that passed but was not delivered yet. */
typedef struct
{
  GtaskletWaitCondition *timeout;
  GtaskletWaitCondition *inbox;
  guint                  n_messages;
  guint                  n_timeouts;
} Idler;

static gboolean
idler_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Idler *i = user_data;

  if (event == G_OBJECT (i->timeout))
    i->n_timeouts++;
  else if (event != NULL)
    {
      i->n_messages++;
      gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (i->timeout));
      if (g_strcmp0 (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "stop") == 0)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, i->timeout);
  gtasklet_tasklet_wait (tasklet, i->inbox);
  return TRUE;
}

static gboolean
message_then_fire_step (GtaskletTasklet  *tasklet,
                        GObject          *event,
                        gpointer          user_data,
                        GError          **error)
{
  Idler *i = user_data;
  GtaskletTasklet *idler = gtasklet_wait_condition_get_tasklet (i->timeout);

  /* From inside a step both only queue: the message first, then the (simulated) deadline. */
  gtasklet_tasklet_send (idler, "poke", NULL);
  gtasklet_wait_condition_fire (i->timeout);
  return TRUE;
}

static void
test_restart_withdraws_undelivered_fire (void)
{
  static const char * const accept[] = { "poke", "stop", NULL };
  Idler i = { gtasklet_wait_for_timeout_new (60000), gtasklet_wait_for_messages_new (accept, NULL, NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (idler_step, &i, NULL);
  g_autoptr (GtaskletTasklet) poker = gtasklet_tasklet_new (message_then_fire_step, &i, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (poker);
  test_drain ();

  /* The message came first and its step restarted the timeout: the deadline is gone. */
  g_assert_cmpuint (i.n_messages, ==, 1);
  g_assert_cmpuint (i.n_timeouts, ==, 0);
  g_assert_true (gtasklet_wait_condition_is_armed (i.timeout));

  gtasklet_tasklet_send (t, "stop", NULL);
  test_wait_finished (t, 5000);
  g_object_unref (i.timeout);
  g_object_unref (i.inbox);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-timeout/fires-once", test_fires_once);
  g_test_add_func ("/gtasklet/wait-for-timeout/periodic-when-kept", test_periodic_when_kept);
  g_test_add_func ("/gtasklet/wait-for-timeout/restart-pushes-deadline",
                   test_restart_pushes_deadline);
  g_test_add_func ("/gtasklet/wait-for-timeout/set-interval-applies-on-restart",
                   test_set_interval_applies_on_restart);
  g_test_add_func ("/gtasklet/wait-for-timeout/restart-from-own-step", test_restart_from_own_step);
  g_test_add_func ("/gtasklet/wait-for-timeout/restart-unarmed", test_restart_unarmed);
  g_test_add_func ("/gtasklet/wait-for-timeout/disarmed-when-dropped", test_disarmed_when_dropped);
  g_test_add_func ("/gtasklet/wait-for-timeout/priority", test_priority);
  g_test_add_func ("/gtasklet/wait-for-timeout/interval-property", test_interval_property);
  g_test_add_func ("/gtasklet/wait-for-timeout/unarmed-dispose", test_unarmed_dispose);
  g_test_add_func ("/gtasklet/wait-for-timeout/programmer-errors", test_programmer_errors);
  g_test_add_func ("/gtasklet/wait-for-timeout/restart-withdraws-undelivered-fire", test_restart_withdraws_undelivered_fire);

  return g_test_run ();
}

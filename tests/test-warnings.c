/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Warnings about tasklets: off by default (on with GTASKLET_WARN_STEP_MS set: meson runs this
 * program both ways), each kind with its threshold (0: off), printed with g_message() so that
 * G_DEBUG=fatal-warnings does not abort, and at most one per tasklet, kind and interval. */
#include <stdlib.h>
#include <string.h>

#include "test-util.h"
#include "gtasklet/gtasklet-stats-private.h"

#define DEADLINE_MS 60000

/* Every message of the Gtasklet domain, counted and the last one kept. */
static guint n_logged;
static char *last_logged;

static void
count_log (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        user_data)
{
  n_logged++;
  g_free (last_logged);
  last_logged = g_strdup (message);
}

static void
reset_log (void)
{
  n_logged = 0;
  g_clear_pointer (&last_logged, g_free);
}

/* Each test starts from the defaults with warnings on, one second between warnings. */
static void
setup_on (void)
{
  reset_log ();
  gtasklet_tasklet_set_warnings_enabled (TRUE);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 10);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_MAILBOX_DEPTH, 1000);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_DEFERRED, 100);
  _gtasklet_warn_set_interval_us (G_USEC_PER_SEC);
}

static void
test_default (void)
{
  g_assert_cmpint (gtasklet_tasklet_get_warnings_enabled (), ==,
                   g_getenv ("GTASKLET_WARN_STEP_MS") != NULL);
  if (g_getenv ("GTASKLET_WARN_STEP_MS") == NULL)
    g_assert_cmpuint (gtasklet_tasklet_get_warning_threshold (GTASKLET_WARNING_LONG_STEP), ==, 10);
  else
    g_assert_cmpuint (gtasklet_tasklet_get_warning_threshold (GTASKLET_WARNING_LONG_STEP), ==,
                      (guint) atoi (g_getenv ("GTASKLET_WARN_STEP_MS")));
  g_assert_cmpuint (gtasklet_tasklet_get_warning_threshold (GTASKLET_WARNING_MAILBOX_DEPTH), ==,
                    1000);
  g_assert_cmpuint (gtasklet_tasklet_get_warning_threshold (GTASKLET_WARNING_DEFERRED), ==, 100);
}

static void
test_switch (void)
{
  gtasklet_tasklet_set_warnings_enabled (TRUE);
  g_assert_true (gtasklet_tasklet_get_warnings_enabled ());
  gtasklet_tasklet_set_warnings_enabled (FALSE);
  g_assert_false (gtasklet_tasklet_get_warnings_enabled ());
  /* Independent of statistics, which share their branch. */
  gtasklet_tasklet_set_statistics_enabled (FALSE);
  gtasklet_tasklet_set_warnings_enabled (TRUE);
  g_assert_false (gtasklet_tasklet_get_statistics_enabled ());
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_DEFERRED, 7);
  g_assert_cmpuint (gtasklet_tasklet_get_warning_threshold (GTASKLET_WARNING_DEFERRED), ==, 7);
}

/* Busy for 3 ms a step, for user_data steps. */
static gboolean
slow_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  guint *left = user_data;
  gint64 until = g_get_monotonic_time () + 3000;

  while (g_get_monotonic_time () < until)
    ;
  if (--*left > 0)
    {
      g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();

      gtasklet_tasklet_wait (tasklet, idle);
    }
  return TRUE;
}

static void
run_slow (guint n_steps)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (slow_step, &n_steps, NULL);

  gtasklet_tasklet_set_name (t, "slow");
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
}

static void
test_long_step (void)
{
  setup_on ();
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 1);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_MESSAGE,
                         "'slow' GtaskletTasklet 0x*: a step took * ms (threshold 1 ms)");
  run_slow (1);
  g_test_assert_expected_messages ();
}

static void
test_long_step_off (void)
{
  guint handler;

  setup_on ();
  handler = g_log_set_handler ("Gtasklet", G_LOG_LEVEL_MESSAGE, count_log, NULL);
  /* Under the threshold. */
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 1000);
  run_slow (2);
  /* This kind off. */
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 0);
  run_slow (2);
  /* All warnings off. */
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 1);
  gtasklet_tasklet_set_warnings_enabled (FALSE);
  run_slow (2);
  g_assert_cmpuint (n_logged, ==, 0);
  g_log_remove_handler ("Gtasklet", handler);
}

static void
test_rate_limit (void)
{
  guint handler;

  setup_on ();
  handler = g_log_set_handler ("Gtasklet", G_LOG_LEVEL_MESSAGE, count_log, NULL);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 1);
  _gtasklet_warn_set_interval_us (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  /* One tasklet, four long steps: one warning. */
  run_slow (4);
  g_assert_cmpuint (n_logged, ==, 1);
  g_assert_null (strstr (last_logged, "suppressed"));
  /* Another tasklet has its own limit. */
  run_slow (1);
  g_assert_cmpuint (n_logged, ==, 2);
  g_log_remove_handler ("Gtasklet", handler);
}

/* Two long steps, then (the interval over) a third: it says the second was suppressed. */
static gboolean
slow_then_rearm_step (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      gpointer          user_data,
                      GError          **error)
{
  guint *n = user_data;
  gint64 until = g_get_monotonic_time () + 3000;
  g_autoptr (GtaskletWaitCondition) idle = NULL;

  while (g_get_monotonic_time () < until)
    ;
  /* Checked after the step: the third step's warning is the one let through. */
  if (++*n == 3)
    _gtasklet_warn_set_interval_us (0);
  if (*n == 3)
    return TRUE;
  idle = gtasklet_wait_for_idle_new ();
  gtasklet_tasklet_wait (tasklet, idle);
  return TRUE;
}

static void
test_suppressed_count (void)
{
  guint n = 0;
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (slow_then_rearm_step, &n, NULL);
  guint handler;

  setup_on ();
  handler = g_log_set_handler ("Gtasklet", G_LOG_LEVEL_MESSAGE, count_log, NULL);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_LONG_STEP, 1);
  _gtasklet_warn_set_interval_us (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, DEADLINE_MS);
  g_assert_cmpuint (n_logged, ==, 2);
  g_assert_nonnull (strstr (last_logged, "(1 similar warning suppressed)"));
  g_log_remove_handler ("Gtasklet", handler);
}

/* Defers every message but "poke", which only makes it step. */
static gboolean
hoarder_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  if (event != NULL && g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "quit"))
    return TRUE;
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("poke", "quit"), TEST_NAMES ("*"), NULL);
  return TRUE;
}

static GtaskletTasklet *
start_hoarder (void)
{
  GtaskletTasklet *t = gtasklet_tasklet_new (hoarder_step, NULL, NULL);

  gtasklet_tasklet_set_name (t, "hoarder");
  gtasklet_tasklet_start (t);
  test_drain ();
  return t;
}

static void
test_mailbox_depth (void)
{
  g_autoptr (GtaskletTasklet) t = NULL;
  guint handler;

  setup_on ();
  handler = g_log_set_handler ("Gtasklet", G_LOG_LEVEL_MESSAGE, count_log, NULL);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_MAILBOX_DEPTH, 3);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_DEFERRED, 0);
  t = start_hoarder ();
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtasklet_tasklet_send (t, "x", NULL));
  test_drain ();
  g_assert_cmpuint (n_logged, ==, 0);
  /* The fourth goes over; the fifth is held back. */
  g_assert_true (gtasklet_tasklet_send (t, "x", NULL));
  g_assert_true (gtasklet_tasklet_send (t, "x", NULL));
  test_drain ();
  g_assert_cmpuint (n_logged, ==, 1);
  g_assert_nonnull (strstr (last_logged, "'hoarder' GtaskletTasklet"));
  g_assert_nonnull (strstr (last_logged, "4 messages in its mailbox (threshold 3)"));
  g_assert_true (gtasklet_tasklet_send (t, "quit", NULL));
  test_wait_finished (t, DEADLINE_MS);
  g_log_remove_handler ("Gtasklet", handler);
}

static void
test_deferred (void)
{
  g_autoptr (GtaskletTasklet) t = NULL;
  guint handler;

  setup_on ();
  handler = g_log_set_handler ("Gtasklet", G_LOG_LEVEL_MESSAGE, count_log, NULL);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_MAILBOX_DEPTH, 0);
  gtasklet_tasklet_set_warning_threshold (GTASKLET_WARNING_DEFERRED, 2);
  t = start_hoarder ();
  for (guint i = 0; i < 5; i++)
    g_assert_true (gtasklet_tasklet_send (t, "x", NULL));
  test_drain ();
  /* Checked after a step: none ran since they were queued. */
  g_assert_cmpuint (n_logged, ==, 0);
  g_assert_true (gtasklet_tasklet_send (t, "poke", NULL));
  test_drain ();
  g_assert_cmpuint (n_logged, ==, 1);
  g_assert_nonnull (strstr (last_logged, "5 deferred messages in its mailbox (threshold 2)"));
  g_assert_true (gtasklet_tasklet_send (t, "quit", NULL));
  test_wait_finished (t, DEADLINE_MS);
  g_log_remove_handler ("Gtasklet", handler);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First: it checks what the environment asked for. */
  g_test_add_func ("/gtasklet/warnings/default", test_default);
  g_test_add_func ("/gtasklet/warnings/switch", test_switch);
  g_test_add_func ("/gtasklet/warnings/long-step", test_long_step);
  g_test_add_func ("/gtasklet/warnings/long-step-off", test_long_step_off);
  g_test_add_func ("/gtasklet/warnings/rate-limit", test_rate_limit);
  g_test_add_func ("/gtasklet/warnings/suppressed-count", test_suppressed_count);
  g_test_add_func ("/gtasklet/warnings/mailbox-depth", test_mailbox_depth);
  g_test_add_func ("/gtasklet/warnings/deferred", test_deferred);

  return g_test_run ();
}

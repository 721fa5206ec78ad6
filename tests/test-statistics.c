/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-tasklet statistics: off by default (on with GTASKLET_DEBUG=stats: meson runs this
 * program both ways), switched by API, counting steps, step times, messages sent and
 * received, and the mailbox's depth and the age of its oldest queued message. Counts are
 * compared with what the test made happen. */
#include <string.h>

#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static gboolean
env_says_stats (void)
{
  const char *debug = g_getenv ("GTASKLET_DEBUG");

  return debug != NULL && strstr (debug, "stats") != NULL;
}

static void
test_default (void)
{
  g_assert_cmpint (gtasklet_tasklet_get_statistics_enabled (), ==, env_says_stats ());
}

static void
test_switch (void)
{
  gboolean before = gtasklet_tasklet_get_statistics_enabled ();

  gtasklet_tasklet_set_statistics_enabled (TRUE);
  g_assert_true (gtasklet_tasklet_get_statistics_enabled ());
  gtasklet_tasklet_set_statistics_enabled (FALSE);
  g_assert_false (gtasklet_tasklet_get_statistics_enabled ());
  gtasklet_tasklet_set_statistics_enabled (before);
}

/* Receives "job" messages, sending "done" to its peer for each, until "quit". */
typedef struct
{
  GtaskletTasklet *peer;
  guint            n_jobs;
} Worker;

static gboolean
worker_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Worker *w = user_data;

  if (event != NULL && g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "quit"))
    return TRUE;
  if (event != NULL)
    {
      w->n_jobs++;
      g_assert_true (gtasklet_tasklet_send (w->peer, "done", NULL));
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("job", "quit"), NULL, NULL);
  return TRUE;
}

/* Defers everything: its messages stay queued. */
static gboolean
hoarder_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("never"), TEST_NAMES ("*"), NULL);
  return TRUE;
}

#define N_JOBS 5

static void
test_counts (void)
{
  gboolean before = gtasklet_tasklet_get_statistics_enabled ();
  g_autoptr (GtaskletTasklet) hoarder = gtasklet_tasklet_new (hoarder_step, NULL, NULL);
  Worker w = { hoarder, 0 };
  g_autoptr (GtaskletTasklet) worker = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GtaskletStatistics) ws = NULL;
  g_autoptr (GtaskletStatistics) hs = NULL;
  g_autoptr (GtaskletStatistics) copy = NULL;
  g_autofree char *text = NULL;
  gint64 sent_at;

  gtasklet_tasklet_set_statistics_enabled (TRUE);
  gtasklet_tasklet_start (hoarder);
  gtasklet_tasklet_start (worker);
  sent_at = g_get_monotonic_time ();
  for (guint i = 0; i < N_JOBS; i++)
    g_assert_true (gtasklet_tasklet_send (worker, "job", NULL));
  test_wait_count (w.n_jobs, N_JOBS, DEADLINE_MS);
  test_drain ();

  ws = gtasklet_tasklet_get_statistics (worker);
  g_assert_cmpuint (ws->n_steps, ==, 1 + N_JOBS);           /* the first, then one a job */
  g_assert_cmpuint (ws->n_received, ==, N_JOBS);
  g_assert_cmpuint (ws->n_sent, ==, N_JOBS);
  g_assert_cmpuint (ws->total_step_ns, >, 0);
  g_assert_cmpuint (ws->longest_step_ns, >, 0);
  g_assert_cmpuint (ws->longest_step_ns, <=, ws->total_step_ns);
  g_assert_cmpuint (ws->mailbox_depth, ==, 0);
  g_assert_cmpint (ws->oldest_message_age_ms, ==, -1);

  /* The hoarder ran its first step only; the worker's messages wait in its mailbox, the
   * oldest for no longer than since the first job was sent. */
  hs = gtasklet_tasklet_get_statistics (hoarder);
  g_assert_cmpuint (hs->n_steps, ==, 1);
  g_assert_cmpuint (hs->n_received, ==, 0);
  g_assert_cmpuint (hs->n_sent, ==, 0);
  g_assert_cmpuint (hs->mailbox_depth, ==, N_JOBS);
  g_assert_cmpint (hs->oldest_message_age_ms, >=, 0);
  g_assert_cmpint (hs->oldest_message_age_ms, <=, (g_get_monotonic_time () - sent_at) / 1000 + 1);

  copy = gtasklet_statistics_copy (hs);
  g_assert_cmpmem (copy, sizeof *copy, hs, sizeof *hs);

  /* describe() says what was counted. */
  text = gtasklet_tasklet_describe (worker);
  g_assert_nonnull (strstr (text, ", 6 steps (total "));
  g_assert_nonnull (strstr (text, "sent 5, received 5"));

  g_assert_true (gtasklet_tasklet_send (worker, "quit", NULL));
  test_wait_finished (worker, DEADLINE_MS);
  gtasklet_tasklet_cancel (hoarder);
  test_wait_finished (hoarder, DEADLINE_MS);
  gtasklet_tasklet_set_statistics_enabled (before);
}

/* Off, nothing is counted, and messages queued meanwhile have no known age. */
static void
test_off_counts_nothing (void)
{
  gboolean before = gtasklet_tasklet_get_statistics_enabled ();
  g_autoptr (GtaskletTasklet) hoarder = gtasklet_tasklet_new (hoarder_step, NULL, NULL);
  Worker w = { hoarder, 0 };
  g_autoptr (GtaskletTasklet) worker = gtasklet_tasklet_new (worker_step, &w, NULL);
  g_autoptr (GtaskletStatistics) ws = NULL;
  g_autoptr (GtaskletStatistics) hs = NULL;
  g_autoptr (GtaskletStatistics) hs_on = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  gtasklet_tasklet_set_statistics_enabled (FALSE);
  gtasklet_tasklet_start (hoarder);
  gtasklet_tasklet_start (worker);
  for (guint i = 0; i < N_JOBS; i++)
    g_assert_true (gtasklet_tasklet_send (worker, "job", NULL));
  test_wait_count (w.n_jobs, N_JOBS, DEADLINE_MS);
  test_drain ();

  ws = gtasklet_tasklet_get_statistics (worker);
  g_assert_cmpuint (ws->n_steps, ==, 0);
  g_assert_cmpuint (ws->n_received, ==, 0);
  g_assert_cmpuint (ws->n_sent, ==, 0);
  g_assert_cmpuint (ws->total_step_ns, ==, 0);
  hs = gtasklet_tasklet_get_statistics (hoarder);
  g_assert_cmpuint (hs->mailbox_depth, ==, N_JOBS);          /* the depth is always known */
  g_assert_cmpint (hs->oldest_message_age_ms, ==, -1);

  /* Nothing counted: describe() has no statistics to tell. */
  text = gtasklet_tasklet_describe (hoarder);
  expected = g_strdup_printf ("GtaskletTasklet %p: suspended, waiting for [receive "
                              "accept=[never] defer=[*] discard=[]], mailbox %u", hoarder, N_JOBS);
  g_assert_cmpstr (text, ==, expected);

  /* Turned on later, messages already queued still have no known age. */
  gtasklet_tasklet_set_statistics_enabled (TRUE);
  hs_on = gtasklet_tasklet_get_statistics (hoarder);
  g_assert_cmpint (hs_on->oldest_message_age_ms, ==, -1);

  gtasklet_tasklet_set_statistics_enabled (FALSE);
  g_assert_true (gtasklet_tasklet_send (worker, "quit", NULL));
  test_wait_finished (worker, DEADLINE_MS);
  gtasklet_tasklet_cancel (hoarder);
  test_wait_finished (hoarder, DEADLINE_MS);
  gtasklet_tasklet_set_statistics_enabled (before);
}

/* Turning statistics off keeps what was counted. */
static void
test_off_keeps_counts (void)
{
  gboolean before = gtasklet_tasklet_get_statistics_enabled ();
  g_autoptr (GtaskletWaitCondition) manual = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, manual, NULL);
  g_autoptr (GtaskletStatistics) stats = NULL;

  gtasklet_tasklet_set_statistics_enabled (TRUE);
  gtasklet_tasklet_start (t);                               /* counted */
  gtasklet_tasklet_set_statistics_enabled (FALSE);
  test_fire_from_source (manual);                           /* not counted */
  test_wait_finished (t, DEADLINE_MS);

  stats = gtasklet_tasklet_get_statistics (t);
  g_assert_cmpuint (stats->n_steps, ==, 1);
  gtasklet_tasklet_set_statistics_enabled (before);
}

static void
test_criticals (void)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*GTASKLET_IS_TASKLET*");
  g_assert_null (gtasklet_tasklet_get_statistics (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_null (gtasklet_statistics_copy (NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/statistics/default", test_default);
  g_test_add_func ("/gtasklet/statistics/switch", test_switch);
  g_test_add_func ("/gtasklet/statistics/counts", test_counts);
  g_test_add_func ("/gtasklet/statistics/off-counts-nothing", test_off_counts_nothing);
  g_test_add_func ("/gtasklet/statistics/off-keeps-counts", test_off_keeps_counts);
  g_test_add_func ("/gtasklet/statistics/criticals", test_criticals);

  return g_test_run ();
}

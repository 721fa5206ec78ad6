/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Links and trap-exits, rule by rule from the contract's "Monitors, links and supervisors":
 * when one of two linked tasklets fails (cancellation included) the other fails with
 * GTASKLET_ERROR_LINKED, unless it traps exits: then it receives "gtasklet.exit" from the one
 * that ended, holding its error, or no value after a normal finish, which fails no one.
 * Each rule runs with the partner here, on a pool worker and on a plain thread's context.
 * Every wait has a deadline; nothing sleeps. */
#include <gio/gio.h>

#include "monitor-util.h"
#include "test-util.h"

#define DEADLINE_MS 30000

static const char *where_names[] = { "here", "pool", "thread" };

/* A recorder that links to `other` in its first step, and fails on a message "die". */
typedef struct
{
  TestRecorder    *recorder;
  GtaskletTasklet *other;
  gboolean         trap;
  gboolean         link_twice;
  gboolean         unlink;
  gboolean         monitor;
  gboolean         go;
} Linker;

static void
linker_first (GtaskletTasklet *self,
              gpointer         data)
{
  Linker *l = data;

  if (l->trap)
    gtasklet_tasklet_set_trap_exits (self, TRUE);
  if (l->other == NULL)
    return;
  gtasklet_tasklet_link (self, l->other);
  if (l->link_twice)
    gtasklet_tasklet_link (self, l->other);
  if (l->unlink)
    gtasklet_tasklet_unlink (self, l->other);
  /* Its DOWN is sent after the link's exit: once it is here, the exit was decided. */
  if (l->monitor)
    gtasklet_tasklet_monitor (self, l->other);
  if (l->go)
    gtasklet_tasklet_send (l->other, "go", NULL);
}

static gboolean
linker_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Linker *l = user_data;

  if (GTASKLET_IS_MESSAGE (event) &&
      g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "die"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "linker died");
      return FALSE;
    }
  return test_recorder_step (tasklet, event, l->recorder, error);
}

static GtaskletTasklet *
linker_new (Linker *l)
{
  l->recorder = test_recorder_new (linker_first, l);
  return gtasklet_tasklet_new (linker_step, l, NULL);
}

static void
linker_clear (Linker *l)
{
  test_recorder_free (l->recorder);
}

static void
assert_exit (TestRecord      *record,
             GtaskletTasklet *sender,
             GQuark           domain,
             int              code)
{
  g_assert_nonnull (record);
  g_assert_cmpstr (record->name, ==, GTASKLET_MESSAGE_EXIT);
  g_assert_true (record->sender == sender);
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
assert_linked_failure (GtaskletTasklet *tasklet,
                       const char      *words)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);

  g_assert_error (error, GTASKLET_ERROR, GTASKLET_ERROR_LINKED);
  g_assert_nonnull (strstr (error->message, words));
}

/* The partner fails: so does the linker. */
static void
check_partner_fails (TestWhere where,
                     TestEnd   end,
                     const char *words)
{
  TestPlace place;
  Linker l = { .go = TRUE };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (linker, 3, end);

  test_place_init (&place, where);
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);
  if (end == TEST_END_WAIT)
    gtasklet_tasklet_cancel (partner);

  test_wait_finished (linker, DEADLINE_MS);
  assert_linked_failure (linker, words);
  test_wait_finished_anywhere (partner, DEADLINE_MS);
  linker_clear (&l);
  test_place_clear (&place);
}

static void
test_partner_fails (gconstpointer data)
{
  check_partner_fails (GPOINTER_TO_INT (data), TEST_END_ERROR, "target failed");
}

static void
test_partner_cancelled (gconstpointer data)
{
  check_partner_fails (GPOINTER_TO_INT (data), TEST_END_WAIT, "cancelled");
}

/* The linker fails: so does its partner, wherever it is. */
static void
test_linker_fails (gconstpointer data)
{
  TestPlace place;
  Linker l = { 0 };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (NULL, 0, TEST_END_WAIT);

  test_place_init (&place, GPOINTER_TO_INT (data));
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);
  g_assert_true (gtasklet_tasklet_send (linker, "die", NULL));

  test_wait_finished (linker, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (linker), G_IO_ERROR, G_IO_ERROR_FAILED);
  test_wait_finished_anywhere (partner, DEADLINE_MS);
  assert_linked_failure (partner, "linker died");
  linker_clear (&l);
  test_place_clear (&place);
}

/* A normal finish fails no one: the linker is still running when the DOWN (sent after the
 * link's exit) has come, and finishes normally when told to. */
static void
test_normal_finish_fails_no_one (gconstpointer data)
{
  TestPlace place;
  Linker l = { .go = TRUE, .monitor = TRUE };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (linker, 2, TEST_END_NORMAL);

  test_place_init (&place, GPOINTER_TO_INT (data));
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);

  test_wait_count (l.recorder->n_down, 1, DEADLINE_MS);
  g_assert_cmpint (gtasklet_tasklet_get_state (linker), !=, GTASKLET_STATE_FINISHED);
  g_assert_true (gtasklet_tasklet_send (linker, "stop", NULL));
  test_wait_finished (linker, DEADLINE_MS);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (linker));
  /* Two messages and the DOWN; no exit for a tasklet that does not trap them. */
  g_assert_cmpuint (l.recorder->records->len, ==, 3);
  g_assert_cmpuint (l.recorder->n_exit, ==, 0);
  linker_clear (&l);
  test_place_clear (&place);
}

/* Trapping exits: the partner's end comes as a message, after its other messages. */
static void
check_trap (TestWhere where,
            TestEnd   end,
            GQuark    domain,
            int       code)
{
  TestPlace place;
  Linker l = { .go = TRUE, .trap = TRUE };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  guint n = test_scaled (500);
  g_autoptr (GtaskletTasklet) partner = test_target_new (linker, n, end);

  test_place_init (&place, where);
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);
  if (end == TEST_END_WAIT)
    gtasklet_tasklet_cancel (partner);

  test_wait_count (l.recorder->n_exit, 1, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_get_trap_exits (linker));
  g_assert_true (gtasklet_tasklet_send (linker, "stop", NULL));
  test_wait_finished (linker, DEADLINE_MS);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (linker));

  if (end == TEST_END_WAIT)
    n = l.recorder->n_data;
  g_assert_cmpuint (l.recorder->records->len, ==, n + 1);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (((TestRecord *) g_ptr_array_index (l.recorder->records, i))->data, ==, (int) i);
  assert_exit (test_recorder_last (l.recorder), partner, domain, code);
  test_wait_finished_anywhere (partner, DEADLINE_MS);
  linker_clear (&l);
  test_place_clear (&place);
}

static void
test_trap_error (gconstpointer data)
{
  check_trap (GPOINTER_TO_INT (data), TEST_END_ERROR, G_IO_ERROR, G_IO_ERROR_FAILED);
}

static void
test_trap_normal (gconstpointer data)
{
  check_trap (GPOINTER_TO_INT (data), TEST_END_NORMAL, 0, 0);
}

static void
test_trap_cancelled (gconstpointer data)
{
  check_trap (GPOINTER_TO_INT (data), TEST_END_WAIT, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Unlinked: the partner's failure reaches the linker only through its monitor. */
static void
check_unlink (TestWhere where,
              gboolean  trap)
{
  TestPlace place;
  Linker l = { .go = TRUE, .unlink = TRUE, .monitor = TRUE, .trap = trap };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (linker, 0, TEST_END_ERROR);

  test_place_init (&place, where);
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);

  test_wait_count (l.recorder->n_down, 1, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_send (linker, "stop", NULL));
  test_wait_finished (linker, DEADLINE_MS);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (linker));
  g_assert_cmpuint (l.recorder->records->len, ==, 1);
  g_assert_cmpuint (l.recorder->n_exit, ==, 0);
  linker_clear (&l);
  test_place_clear (&place);
}

static void
test_unlink (gconstpointer data)
{
  check_unlink (GPOINTER_TO_INT (data), FALSE);
}

static void
test_unlink_trapping (gconstpointer data)
{
  check_unlink (GPOINTER_TO_INT (data), TRUE);
}

/* Linking twice is linking once: one exit. */
static void
test_link_twice (gconstpointer data)
{
  TestPlace place;
  Linker l = { .go = TRUE, .trap = TRUE, .link_twice = TRUE, .monitor = TRUE };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (linker, 0, TEST_END_ERROR);

  test_place_init (&place, GPOINTER_TO_INT (data));
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);

  test_wait_count (l.recorder->n_down, 1, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_send (linker, "stop", NULL));
  test_wait_finished (linker, DEADLINE_MS);
  g_assert_cmpuint (l.recorder->records->len, ==, 2);
  assert_exit (g_ptr_array_index (l.recorder->records, 0), partner, G_IO_ERROR, G_IO_ERROR_FAILED);
  linker_clear (&l);
  test_place_clear (&place);
}

/* A partner that has already finished acts at once. */
static void
check_finished_partner (TestWhere where,
                        TestEnd   end,
                        gboolean  trap)
{
  TestPlace place;
  Linker l = { .trap = trap };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (NULL, 0, end);

  test_place_init (&place, where);
  l.other = partner;
  test_place_start (&place, partner);
  g_assert_true (gtasklet_tasklet_send (partner, "go", NULL));
  test_wait_finished_anywhere (partner, DEADLINE_MS);

  gtasklet_tasklet_start (linker);
  if (!trap && end == TEST_END_ERROR)
    {
      test_wait_finished (linker, DEADLINE_MS);
      assert_linked_failure (linker, "target failed");
    }
  else
    {
      if (trap)
        test_wait_count (l.recorder->n_exit, 1, DEADLINE_MS);
      g_assert_true (gtasklet_tasklet_send (linker, "stop", NULL));
      test_wait_finished (linker, DEADLINE_MS);
      g_assert_no_error ((GError *) gtasklet_tasklet_get_error (linker));
      g_assert_cmpuint (l.recorder->records->len, ==, trap ? 1 : 0);
      if (trap)
        assert_exit (test_recorder_last (l.recorder), partner,
                     end == TEST_END_ERROR ? G_IO_ERROR : 0, G_IO_ERROR_FAILED);
    }
  linker_clear (&l);
  test_place_clear (&place);
}

static void
test_finished_partner_error (gconstpointer data)
{
  check_finished_partner (GPOINTER_TO_INT (data), TEST_END_ERROR, FALSE);
}

static void
test_finished_partner_trapped (gconstpointer data)
{
  check_finished_partner (GPOINTER_TO_INT (data), TEST_END_ERROR, TRUE);
}

static void
test_finished_partner_normal (gconstpointer data)
{
  check_finished_partner (GPOINTER_TO_INT (data), TEST_END_NORMAL, TRUE);
}

/* A partner that has not started: it fails as it starts, or its being dropped fails the
 * linker. */
static void
test_partner_not_started (void)
{
  Linker l = { 0 };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (NULL, 0, TEST_END_WAIT);

  l.other = partner;
  gtasklet_tasklet_start (linker);
  g_assert_true (gtasklet_tasklet_send (linker, "die", NULL));
  test_wait_finished (linker, DEADLINE_MS);

  gtasklet_tasklet_start (partner);
  test_wait_finished (partner, DEADLINE_MS);
  assert_linked_failure (partner, "linker died");
  linker_clear (&l);
}

static void
test_partner_dropped (void)
{
  Linker l = { 0 };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);

  l.other = test_target_new (NULL, 0, TEST_END_WAIT);
  gtasklet_tasklet_start (linker);
  g_clear_object (&l.other);
  test_wait_finished (linker, DEADLINE_MS);
  assert_linked_failure (linker, "dropped without being started");
  linker_clear (&l);
}

/* Unlinked while the partner's end is on its way (posted to this thread, not yet taken in):
 * it has no effect, trapping or not. */
static void
nothing (gpointer data,
         gpointer user_data)
{
}

static void
check_unlink_in_flight (gboolean trap)
{
  TestPlace place;
  Linker l = { .trap = trap, .monitor = TRUE };
  g_autoptr (GtaskletTasklet) linker = linker_new (&l);
  g_autoptr (GtaskletTasklet) partner = test_target_new (NULL, 0, TEST_END_ERROR);

  test_place_init (&place, TEST_WHERE_THREAD);
  l.other = partner;
  test_place_start (&place, partner);
  gtasklet_tasklet_start (linker);
  g_assert_true (gtasklet_tasklet_send (partner, "go", NULL));

  /* Without iterating this thread's context: the signal and the DOWN wait in its inbox. */
  while (gtasklet_tasklet_get_state (partner) != GTASKLET_STATE_FINISHED)
    g_thread_yield ();
  test_worker_call (place.worker, nothing, NULL);
  gtasklet_tasklet_unlink (linker, partner);

  test_wait_count (l.recorder->n_down, 1, DEADLINE_MS);
  g_assert_true (gtasklet_tasklet_send (linker, "stop", NULL));
  test_wait_finished (linker, DEADLINE_MS);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (linker));
  g_assert_cmpuint (l.recorder->records->len, ==, 1);
  g_assert_cmpuint (l.recorder->n_exit, ==, 0);
  linker_clear (&l);
  test_place_clear (&place);
}

static void
test_unlink_in_flight (void)
{
  check_unlink_in_flight (FALSE);
}

static void
test_unlink_in_flight_trapping (void)
{
  check_unlink_in_flight (TRUE);
}

/* The linker's context dies with the partner's exit still in its inbox, after the partner
 * was let go: the exit never arrives, and the linker's end of the link must not outlive the
 * partner it names (valgrind sees the difference). */
static void
test_exit_lost_with_context (void)
{
  GMainContext *context = g_main_context_new ();
  Linker l = { 0 };
  GtaskletTasklet *linker = linker_new (&l);
  GtaskletTasklet *partner = test_target_new (NULL, 0, TEST_END_ERROR);
  int partner_gone = FALSE;

  gtasklet_tasklet_start (partner);
  l.other = partner;
  g_main_context_push_thread_default (context);
  gtasklet_tasklet_start (linker);
  g_main_context_pop_thread_default (context);

  g_object_weak_ref (G_OBJECT (partner), test_weak_notify_atomic, &partner_gone);
  g_assert_true (gtasklet_tasklet_send (partner, "go", NULL));
  test_wait_finished (partner, DEADLINE_MS);
  g_object_unref (partner);
  l.other = NULL;

  g_main_context_unref (context);
  test_wait_finished (linker, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (linker), GTASKLET_ERROR,
                  GTASKLET_ERROR_CONTEXT_DESTROYED);
  test_wait_atomic (&partner_gone, DEADLINE_MS);
  g_object_unref (linker);
  linker_clear (&l);
}

/* A chain A-B-C on three threads: C's failure takes B, then A. */
static void
test_chain (void)
{
  TestPlace pool, thread;
  Linker a = { 0 }, b = { .go = TRUE };
  g_autoptr (GtaskletTasklet) ta = linker_new (&a);
  g_autoptr (GtaskletTasklet) tb = linker_new (&b);
  g_autoptr (GtaskletTasklet) tc = test_target_new (NULL, 0, TEST_END_ERROR);

  test_place_init (&pool, TEST_WHERE_POOL);
  test_place_init (&thread, TEST_WHERE_THREAD);
  a.other = tb;
  b.other = tc;
  test_place_start (&pool, tc);
  /* A links to B before B has started; B links to C and tells it to go. */
  gtasklet_tasklet_start (ta);
  test_place_start (&thread, tb);

  test_wait_finished (ta, DEADLINE_MS);
  test_wait_finished_anywhere (tb, DEADLINE_MS);
  test_wait_finished_anywhere (tc, DEADLINE_MS);
  assert_linked_failure (tb, "target failed");
  assert_linked_failure (ta, "target failed");
  linker_clear (&a);
  linker_clear (&b);
  test_place_clear (&pool);
  test_place_clear (&thread);
}

/* Pairs linked across two threads, both told to die at once: each ends failed, by its own
 * error or its partner's, and nothing is left behind. */
static void
test_stress_pairs (void)
{
  guint rounds = test_scaled (200);
  TestPlace there;

  test_place_init (&there, TEST_WHERE_THREAD);
  for (guint round = 0; round < rounds; round++)
    {
      Linker l = { .trap = round % 3 == 0 };
      GtaskletTasklet *linker = linker_new (&l);
      GtaskletTasklet *partner = test_target_new (NULL, 0, TEST_END_WAIT);
      int linker_gone = FALSE, partner_gone = FALSE;

      l.other = partner;
      test_place_start (&there, partner);
      gtasklet_tasklet_start (linker);
      g_object_weak_ref (G_OBJECT (linker), test_weak_notify_atomic, &linker_gone);
      g_object_weak_ref (G_OBJECT (partner), test_weak_notify_atomic, &partner_gone);
      gtasklet_tasklet_cancel (partner);
      g_assert_true (gtasklet_tasklet_send (linker, round % 2 ? "die" : "stop", NULL));

      test_wait_finished (linker, DEADLINE_MS);
      test_wait_finished_anywhere (partner, DEADLINE_MS);
      g_assert_nonnull (gtasklet_tasklet_get_error (partner));
      if (round % 2 == 1)
        g_assert_nonnull (gtasklet_tasklet_get_error (linker));
      l.other = NULL;
      g_object_unref (linker);
      g_object_unref (partner);
      test_wait_atomic (&linker_gone, DEADLINE_MS);
      test_wait_atomic (&partner_gone, DEADLINE_MS);
      linker_clear (&l);
    }
  test_place_clear (&there);
}

/* The property */

static void
test_trap_exits_property (void)
{
  g_autoptr (GtaskletTasklet) t = test_target_new (NULL, 0, TEST_END_NORMAL);
  g_autoptr (GtaskletTasklet) constructed = NULL;
  guint notified = 0;
  gboolean value = TRUE;

  g_assert_false (gtasklet_tasklet_get_trap_exits (t));
  g_signal_connect (t, "notify::trap-exits", G_CALLBACK (test_count_notify), &notified);
  gtasklet_tasklet_set_trap_exits (t, TRUE);
  gtasklet_tasklet_set_trap_exits (t, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (gtasklet_tasklet_get_trap_exits (t));
  g_object_set (t, "trap-exits", FALSE, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_object_get (t, "trap-exits", &value, NULL);
  g_assert_false (value);

  constructed = g_object_new (GTASKLET_TYPE_TASKLET, "trap-exits", TRUE, NULL);
  g_assert_true (gtasklet_tasklet_get_trap_exits (constructed));
}

/* Misuse */

static void
link_self (GtaskletTasklet *self,
           gpointer         data)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*cannot be linked to itself*");
  gtasklet_tasklet_link (self, self);
  g_test_assert_expected_messages ();
}

static void
link_null (GtaskletTasklet *self,
           gpointer         data)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_link() * was given NULL instead of a tasklet");
  gtasklet_tasklet_link (self, NULL);
  g_test_assert_expected_messages ();
}

static void
unlink_null (GtaskletTasklet *self,
             gpointer         data)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_unlink() * was given NULL instead of a tasklet");
  gtasklet_tasklet_unlink (self, NULL);
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
  check_misuse (link_self);
}

static void
test_misuse_null (void)
{
  check_misuse (link_null);
}

static void
test_misuse_unlink_null (void)
{
  check_misuse (unlink_null);
}

static void
test_misuse_wrong_thread (void)
{
  TestPlace place;
  g_autoptr (GtaskletTasklet) linker = test_target_new (NULL, 0, TEST_END_WAIT);
  g_autoptr (GtaskletTasklet) other = test_target_new (NULL, 0, TEST_END_NORMAL);

  test_place_init (&place, TEST_WHERE_POOL);
  test_place_start (&place, linker);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*from a thread that does not run it*");
  gtasklet_tasklet_link (linker, other);
  g_test_assert_expected_messages ();
  test_wait_finished_anywhere (linker, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (linker), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  test_place_clear (&place);
}

/* trap-exits is set before the start, or from the tasklet's own thread. */
static void
test_misuse_trap_exits_wrong_thread (void)
{
  TestPlace place;
  g_autoptr (GtaskletTasklet) t = test_target_new (NULL, 0, TEST_END_WAIT);

  test_place_init (&place, TEST_WHERE_POOL);
  test_place_start (&place, t);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*from a thread that does not run it*");
  gtasklet_tasklet_set_trap_exits (t, TRUE);
  g_test_assert_expected_messages ();
  g_assert_false (gtasklet_tasklet_get_trap_exits (t));
  test_wait_finished_anywhere (t, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  test_place_clear (&place);
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *name; GTestDataFunc func; } per_place[] = {
    { "partner-fails", test_partner_fails },
    { "partner-cancelled", test_partner_cancelled },
    { "linker-fails", test_linker_fails },
    { "normal-finish-fails-no-one", test_normal_finish_fails_no_one },
    { "trap-exits-error", test_trap_error },
    { "trap-exits-normal", test_trap_normal },
    { "trap-exits-cancelled", test_trap_cancelled },
    { "unlink", test_unlink },
    { "unlink-trapping", test_unlink_trapping },
    { "link-twice", test_link_twice },
    { "finished-partner-error", test_finished_partner_error },
    { "finished-partner-trapped", test_finished_partner_trapped },
    { "finished-partner-normal", test_finished_partner_normal },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (per_place); i++)
    for (int where = TEST_WHERE_HERE; where <= TEST_WHERE_THREAD; where++)
      {
        g_autofree char *path = g_strdup_printf ("/gtasklet/link/%s/%s", per_place[i].name,
                                                 where_names[where]);

        g_test_add_data_func (path, GINT_TO_POINTER (where), per_place[i].func);
      }

  g_test_add_func ("/gtasklet/link/unlink-in-flight", test_unlink_in_flight);
  g_test_add_func ("/gtasklet/link/unlink-in-flight-trapping", test_unlink_in_flight_trapping);
  g_test_add_func ("/gtasklet/link/partner-not-started", test_partner_not_started);
  g_test_add_func ("/gtasklet/link/partner-dropped", test_partner_dropped);
  g_test_add_func ("/gtasklet/link/chain", test_chain);
  g_test_add_func ("/gtasklet/link/exit-lost-with-context", test_exit_lost_with_context);
  g_test_add_func ("/gtasklet/link/stress-pairs", test_stress_pairs);
  g_test_add_func ("/gtasklet/link/trap-exits-property", test_trap_exits_property);
  g_test_add_func ("/gtasklet/link/misuse/self", test_misuse_self);
  g_test_add_func ("/gtasklet/link/misuse/null", test_misuse_null);
  g_test_add_func ("/gtasklet/link/misuse/unlink-null", test_misuse_unlink_null);
  g_test_add_func ("/gtasklet/link/misuse/wrong-thread", test_misuse_wrong_thread);
  g_test_add_func ("/gtasklet/link/misuse/trap-exits-wrong-thread", test_misuse_trap_exits_wrong_thread);

  return g_test_run ();
}

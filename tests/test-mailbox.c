/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mailbox's order and selective receive: messages from one sender arrive in the order
 * sent, a message is accepted, deferred, discarded or left queued as the armed WaitForMessages
 * name it (wildcards, two conditions in one wait set, matching stops at the first accepted),
 * and the WaitForMessages API that reports those actions. When messages are delivered and
 * dropped is in test-mailbox-delivery.c. */
#include "mailbox-util.h"

/* Order */

static void
test_fifo_per_sender (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  g_autoptr (GString) expected = g_string_new (NULL);

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("n"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  for (int i = 0; i < 1000; i++)
    {
      g_assert_true (test_send_int (t, "n", i));
      g_string_append_printf (expected, "%sn%d", i > 0 ? " " : "", i);
    }
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, expected->str);
  receiver_clear (&r);
}

/* A sender tasklet that sends a burst of ten numbered messages each time its tick fires. */
typedef struct
{
  GtaskletTasklet       *dest;
  GtaskletWaitCondition *tick;
  const char            *name;
  int                    next_value;
} Burst;

static gboolean
burst_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Burst *b = user_data;

  if (event != NULL)
    for (int i = 0; i < 10; i++)
      g_assert_true (test_send_int (b->dest, b->name, b->next_value++));
  if (b->next_value >= 100)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, b->tick);
  return TRUE;
}

static void
test_interleaved_senders (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  Burst a = { t, test_manual_condition_new (), "a", 0 };
  Burst b = { t, test_manual_condition_new (), "b", 0 };
  g_autoptr (GtaskletTasklet) ta = gtasklet_tasklet_new (burst_step, &a, NULL);
  g_autoptr (GtaskletTasklet) tb = gtasklet_tasklet_new (burst_step, &b, NULL);
  g_autoptr (GString) expected = g_string_new (NULL);
  int m = 0;

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("*"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (ta);
  gtasklet_tasklet_start (tb);

  /* Each round: a burst from a, five messages from the main loop, a burst from b; the
   * receiver runs between rounds for odd rounds only, so bursts pile up too. */
  for (int round = 0; round < 10; round++)
    {
      test_fire_from_source (a.tick);
      for (int i = 0; i < 5; i++)
        g_assert_true (test_send_int (t, "m", m++));
      test_fire_from_source (b.tick);

      for (int i = 0; i < 10; i++)
        g_string_append_printf (expected, " a%d", round * 10 + i);
      for (int i = 0; i < 5; i++)
        g_string_append_printf (expected, " m%d", round * 5 + i);
      for (int i = 0; i < 10; i++)
        g_string_append_printf (expected, " b%d", round * 10 + i);

      if (round % 2 == 1)
        test_drain ();
    }
  test_drain ();

  g_assert_cmpstr (r.log->str, ==, expected->str + 1);
  g_assert_cmpint (gtasklet_tasklet_get_state (ta), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpint (gtasklet_tasklet_get_state (tb), ==, GTASKLET_STATE_FINISHED);
  g_object_unref (a.tick);
  g_object_unref (b.tick);
  receiver_clear (&r);
}

/* Selective receive */

static void
test_unnamed_message_stays_queued (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  /* Phase 0 waits on `next` and on messages named "other"; phase 1 accepts "hello". */
  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("other"), NULL, NULL);
  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("hello"), NULL, NULL);
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  g_assert_true (test_send_int (t, "hello", 5));
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);

  /* Still there, and delivered by the first wait that accepts it. */
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(1) hello5(0)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  receiver_clear (&r);
}

static void
test_defer_keeps_order (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("b"), TEST_NAMES ("a"), NULL);
  r.sets[2][0] = receiver_messages (&r, TEST_NAMES ("a"), NULL, NULL);
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "a", 1);
  test_send_int (t, "b", 1);
  test_send_int (t, "a", 2);
  test_send_int (t, "b", 2);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 4);

  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) b1(3) b2(2)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 2);

  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) b1(3) b2(2) next(2) a1(1) a2(0)");
  receiver_clear (&r);
}

static void
test_discard_drops (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("a"), NULL, TEST_NAMES ("x"));
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "x", 1);
  test_send_int (t, "a", 1);
  test_send_int (t, "x", 2);
  test_send_int (t, "a", 2);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(2) a2(0)");

  /* Arriving while the discard is armed, it is dropped at once. */
  test_send_int (t, "x", 3);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  test_send_int (t, "a", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(2) a2(0) a3(0)");
  receiver_clear (&r);
}

static void
test_wildcard_accept (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("*"), NULL, NULL);
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "x", 1);
  test_send_int (t, "y", 2);
  test_send_int (t, "z", 3);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(3) x1(2) y2(1) z3(0)");
  receiver_clear (&r);
}

static void
test_wildcard_defer (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("a"), TEST_NAMES ("*"), NULL);
  r.sets[2][0] = receiver_messages (&r, TEST_NAMES ("*"), NULL, NULL);
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "x", 1);
  test_send_int (t, "a", 1);
  test_send_int (t, "y", 1);
  test_send_int (t, "a", 2);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(3) a2(2)");
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(3) a2(2) next(2) x1(1) y1(0)");
  receiver_clear (&r);
}

static void
test_wildcard_discard (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("a"), NULL, TEST_NAMES ("*"));
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "x", 1);
  test_send_int (t, "a", 1);
  test_send_int (t, "y", 1);
  test_send_int (t, "a", 2);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(2) a2(0)");

  test_send_int (t, "z", 1);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  receiver_clear (&r);
}

static void
test_named_beats_wildcard (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  /* Phase 1: everything but x is accepted; phase 2: only x is. */
  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("*"), NULL, TEST_NAMES ("x"));
  r.sets[2][0] = receiver_messages (&r, TEST_NAMES ("x"), NULL, TEST_NAMES ("*"));
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "x", 1);
  test_send_int (t, "y", 1);
  test_send_int (t, "x", 2);
  test_send_int (t, "z", 1);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) y1(2) z1(0)");

  receiver_next (&r);
  test_send_int (t, "y", 2);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  test_send_int (t, "x", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next(4) y1(2) z1(0) next(0) x3(0)");
  receiver_clear (&r);
}

static void
test_accept_over_defer_over_discard (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("a"), TEST_NAMES ("a", "b"),
                                    TEST_NAMES ("a", "b", "c"));
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "c", 1);
  test_send_int (t, "b", 1);
  test_send_int (t, "a", 1);
  receiver_next (&r);
  /* c1 discarded, b1 deferred, a1 accepted. */
  g_assert_cmpstr (r.log->str, ==, "next(3) a1(1)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);
  receiver_clear (&r);
}

/* Two WaitForMessages in one wait set */

static void
test_two_conditions_named_beats_wildcard (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  /* The explicit name wins whichever condition was added first. */
  r.sets[1][0] = receiver_messages (&r, NULL, NULL, TEST_NAMES ("*"));
  r.sets[1][1] = receiver_messages (&r, TEST_NAMES ("a"), NULL, NULL);
  r.sets[2][0] = receiver_messages (&r, TEST_NAMES ("*"), NULL, NULL);
  r.sets[2][1] = receiver_messages (&r, NULL, NULL, TEST_NAMES ("a"));
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "a", 1);
  test_send_int (t, "b", 1);
  receiver_next (&r);
  /* a1 accepted by the second condition; b1, named only by "*" of the first, dropped. */
  g_assert_cmpstr (r.log->str, ==, "next(2) a1(1)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);

  receiver_next (&r);
  test_send_int (t, "a", 2);
  test_send_int (t, "b", 2);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next(2) a1(1) next(0) b2(0)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  receiver_clear (&r);
}

static void
test_two_conditions_first_added_decides (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  GtaskletWaitCondition *acc = receiver_messages (&r, TEST_NAMES ("a"), NULL, NULL);
  GtaskletWaitCondition *dis = receiver_messages (&r, NULL, NULL, TEST_NAMES ("a"));
  GtaskletWaitCondition *acc_all = receiver_messages (&r, TEST_NAMES ("*"), NULL, NULL);
  GtaskletWaitCondition *dis_all = receiver_messages (&r, NULL, NULL, TEST_NAMES ("*"));

  r.sets[1][0] = acc;       /* both name "a": the first added accepts */
  r.sets[1][1] = dis;
  r.sets[2][0] = dis;       /* the same two, kept armed, added in the other order */
  r.sets[2][1] = acc;
  r.sets[3][0] = acc_all;   /* both only through "*" */
  r.sets[3][1] = dis_all;
  r.sets[4][0] = dis_all;
  r.sets[4][1] = acc_all;
  r.n_sets = 5;
  gtasklet_tasklet_start (t);

  receiver_next (&r);
  test_send_int (t, "a", 1);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1");

  receiver_next (&r);
  test_send_int (t, "a", 2);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1 next");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);

  receiver_next (&r);
  test_send_int (t, "b", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1 next next b3");

  receiver_next (&r);
  test_send_int (t, "b", 4);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1 next next b3 next");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  receiver_clear (&r);
}

static void
test_two_conditions_disarm_one (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  GtaskletWaitCondition *w1 = receiver_messages (&r, TEST_NAMES ("a"), NULL, NULL);
  GtaskletWaitCondition *w2 = receiver_messages (&r, TEST_NAMES ("a", "b"), NULL, NULL);

  r.sets[1][0] = w1;
  r.sets[1][1] = w2;
  r.sets[2][0] = w1;
  r.n_sets = 3;
  gtasklet_tasklet_start (t);

  receiver_next (&r);
  test_send_int (t, "b", 1);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next b1");

  /* w2 dropped: w1, which shares "a" with it, still accepts "a"; "b" is named no more. */
  receiver_next (&r);
  g_assert_true (gtasklet_wait_condition_is_armed (w1));
  g_assert_false (gtasklet_wait_condition_is_armed (w2));
  test_send_int (t, "a", 1);
  test_send_int (t, "b", 2);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next b1 next a1");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);
  receiver_clear (&r);
}

static void
test_matching_stops_at_first_accepted (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  /* Phase 1 takes an "a" (dropping the "d"s before it) and moves on to phase 2, which names
   * no message; phase 3 drops the "d"s. */
  r.sets[1][0] = receiver_messages (&r, TEST_NAMES ("a"), NULL, TEST_NAMES ("d"));
  r.sets[2][0] = NULL;
  r.sets[3][0] = receiver_messages (&r, NULL, NULL, TEST_NAMES ("d"));
  r.n_sets = 4;
  r.advance_on = "a";
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  test_send_int (t, "d", 1);
  test_send_int (t, "a", 1);
  test_send_int (t, "d", 2);
  test_send_int (t, "d", 3);
  test_send_int (t, "a", 2);
  receiver_next (&r);
  /* d1 was dropped on the way to a1; d2 d3 a2, behind a1, were not looked at, and stay
   * queued while the next wait names none of them. */
  g_assert_cmpstr (r.log->str, ==, "next(5) a1(3)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 3);

  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(5) a1(3) next(3)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);

  receiver_clear (&r);
}

/* WaitForMessages API */

static void
test_get_action (void)
{
  g_autoptr (GtaskletWaitCondition) w =
    gtasklet_wait_for_messages_new (TEST_NAMES ("a"), TEST_NAMES ("a", "b", "*"),
                                    TEST_NAMES ("a", "b", "c"));
  g_autoptr (GtaskletWaitCondition) plain =
    gtasklet_wait_for_messages_new (TEST_NAMES ("a"), NULL, NULL);
  g_autoptr (GtaskletWaitCondition) all =
    gtasklet_wait_for_messages_new (TEST_NAMES ("*"), NULL, TEST_NAMES ("*"));
  GtaskletWaitForMessages *wm = GTASKLET_WAIT_FOR_MESSAGES (w);
  GtaskletWaitForMessages *plain_wm = GTASKLET_WAIT_FOR_MESSAGES (plain);
  GtaskletWaitForMessages *all_wm = GTASKLET_WAIT_FOR_MESSAGES (all);
  gboolean named = FALSE;

  g_assert_cmpint (gtasklet_wait_for_messages_get_action (wm, "a", &named), ==,
                   GTASKLET_MESSAGE_ACCEPT);
  g_assert_true (named);
  g_assert_cmpint (gtasklet_wait_for_messages_get_action (wm, "b", &named), ==,
                   GTASKLET_MESSAGE_DEFER);
  g_assert_true (named);
  g_assert_cmpint (gtasklet_wait_for_messages_get_action (wm, "c", &named), ==,
                   GTASKLET_MESSAGE_DISCARD);
  g_assert_true (named);
  g_assert_cmpint (gtasklet_wait_for_messages_get_action (wm, "q", &named), ==,
                   GTASKLET_MESSAGE_DEFER);
  g_assert_true (named);

  g_assert_cmpint (gtasklet_wait_for_messages_get_action (plain_wm, "q", &named), ==,
                   GTASKLET_MESSAGE_DEFER);
  g_assert_false (named);
  g_assert_cmpint (gtasklet_wait_for_messages_get_action (all_wm, "q", NULL), ==,
                   GTASKLET_MESSAGE_ACCEPT);
}

static void
test_dup_names (void)
{
  g_autoptr (GtaskletWaitCondition) w =
    gtasklet_wait_for_messages_new (TEST_NAMES ("a", "b"), TEST_NAMES ("c", "*"), TEST_NAMES ("d"));
  g_autoptr (GtaskletWaitCondition) from_props = NULL;
  g_auto (GStrv) accept = NULL;
  g_auto (GStrv) defer = NULL;
  g_auto (GStrv) discard = NULL;
  g_auto (GStrv) prop_accept = NULL;
  g_auto (GStrv) prop_discard = NULL;
  GtaskletWaitForMessages *wm = GTASKLET_WAIT_FOR_MESSAGES (w);

  accept = gtasklet_wait_for_messages_dup_names (wm, GTASKLET_MESSAGE_ACCEPT);
  defer = gtasklet_wait_for_messages_dup_names (wm, GTASKLET_MESSAGE_DEFER);
  discard = gtasklet_wait_for_messages_dup_names (wm, GTASKLET_MESSAGE_DISCARD);
  g_assert_true (g_strv_equal ((const char * const *) accept, TEST_NAMES ("a", "b")));
  g_assert_true (g_strv_equal ((const char * const *) defer, TEST_NAMES ("c", "*")));
  g_assert_true (g_strv_equal ((const char * const *) discard, TEST_NAMES ("d")));

  from_props = g_object_new (GTASKLET_TYPE_WAIT_FOR_MESSAGES,
                             "accept", TEST_NAMES ("x"), "discard", TEST_NAMES ("*"), NULL);
  g_object_get (from_props, "accept", &prop_accept, "discard", &prop_discard, NULL);
  g_assert_true (g_strv_equal ((const char * const *) prop_accept, TEST_NAMES ("x")));
  g_assert_true (g_strv_equal ((const char * const *) prop_discard, TEST_NAMES ("*")));
  g_assert_cmpint (gtasklet_wait_for_messages_get_action (GTASKLET_WAIT_FOR_MESSAGES (from_props),
                                                          "y", NULL),
                   ==, GTASKLET_MESSAGE_DISCARD);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/mailbox/fifo-per-sender", test_fifo_per_sender);
  g_test_add_func ("/gtasklet/mailbox/interleaved-senders", test_interleaved_senders);
  g_test_add_func ("/gtasklet/mailbox/unnamed-message-stays-queued",
                   test_unnamed_message_stays_queued);
  g_test_add_func ("/gtasklet/mailbox/defer-keeps-order", test_defer_keeps_order);
  g_test_add_func ("/gtasklet/mailbox/discard-drops", test_discard_drops);
  g_test_add_func ("/gtasklet/mailbox/wildcard-accept", test_wildcard_accept);
  g_test_add_func ("/gtasklet/mailbox/wildcard-defer", test_wildcard_defer);
  g_test_add_func ("/gtasklet/mailbox/wildcard-discard", test_wildcard_discard);
  g_test_add_func ("/gtasklet/mailbox/named-beats-wildcard", test_named_beats_wildcard);
  g_test_add_func ("/gtasklet/mailbox/accept-over-defer-over-discard",
                   test_accept_over_defer_over_discard);
  g_test_add_func ("/gtasklet/mailbox/two-conditions-named-beats-wildcard",
                   test_two_conditions_named_beats_wildcard);
  g_test_add_func ("/gtasklet/mailbox/two-conditions-first-added-decides",
                   test_two_conditions_first_added_decides);
  g_test_add_func ("/gtasklet/mailbox/two-conditions-disarm-one", test_two_conditions_disarm_one);
  g_test_add_func ("/gtasklet/mailbox/matching-stops-at-first-accepted",
                   test_matching_stops_at_first_accepted);
  g_test_add_func ("/gtasklet/wait-for-messages/get-action", test_get_action);
  g_test_add_func ("/gtasklet/wait-for-messages/dup-names", test_dup_names);

  return g_test_run ();
}

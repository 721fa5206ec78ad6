/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* When the mailbox delivers and drops messages: sending never runs the receiver, whether
 * from the main loop or from a step; a message sent to a finished tasklet is refused, one
 * sent before start() waits for it, and what is undelivered when a tasklet finishes or is
 * cancelled is dropped; messages and fired conditions arrive in the order they happened.
 * Order and selective receive are in test-mailbox.c. */
#include "mailbox-util.h"

/* Sending never runs the receiver */

static void
test_send_from_main_loop_is_queued (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  g_assert_true (test_send_int (t, "m", 1));
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_cmpstr (r.log->str, ==, "");
  g_assert_cmpuint (r.n_steps, ==, 1);

  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "m1");
  receiver_clear (&r);
}

static void
send_and_check (gpointer data)
{
  Receiver *r = data;

  g_assert_true (test_send_int (r->tasklet, "m", 1));
  g_assert_cmpint (gtasklet_tasklet_get_state (r->tasklet), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (test_send_int (r->tasklet, "m", 2));
  g_assert_cmpstr (r->log->str, ==, "");
  /* The last thing this step does: the receiver must log after it. */
  g_string_append (r->log, "sender-done");
}

typedef struct
{
  GtaskletWaitCondition *tick;
  Receiver              *receiver;
} TickSender;

static gboolean
tick_sender_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  TickSender *s = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, s->tick);
      return TRUE;
    }
  g_assert_true (test_send_int (s->receiver->tasklet, "m", 3));
  g_assert_cmpint (gtasklet_tasklet_get_state (s->receiver->tasklet), ==, GTASKLET_STATE_SUSPENDED);
  g_string_append (s->receiver->log, " ticker-done");
  return TRUE;
}

static void
test_send_from_step_is_queued (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  TickSender ts = { test_manual_condition_new (), &r };
  g_autoptr (GtaskletTasklet) ticker = gtasklet_tasklet_new (tick_sender_step, &ts, NULL);

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  /* From a first step, which runs inside start(). */
  g_assert_cmpint (test_run_in_step (send_and_check, &r), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpstr (r.log->str, ==, "sender-done");
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "sender-done m1 m2");

  /* From a later step, run by a fire straight from the main loop. */
  gtasklet_tasklet_start (ticker);
  test_fire_from_source (ts.tick);
  g_assert_cmpint (gtasklet_tasklet_get_state (ticker), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpstr (r.log->str, ==, "sender-done m1 m2 ticker-done");
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "sender-done m1 m2 ticker-done m3");

  g_object_unref (ts.tick);
  receiver_clear (&r);
}

/* Lifetime of messages */

static void
test_send_to_finished_tasklet (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  GObject *payload = g_object_new (G_TYPE_OBJECT, NULL);
  gboolean payload_gone = FALSE, message_gone = FALSE;
  g_auto (GValue) v = G_VALUE_INIT;
  GtaskletMessage *m;

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  g_object_weak_ref (payload, test_weak_notify_flag, &payload_gone);
  g_value_init (&v, G_TYPE_OBJECT);
  g_value_take_object (&v, payload);
  m = gtasklet_message_new ("late", &v);
  g_value_unset (&v);
  g_object_weak_ref (G_OBJECT (m), test_weak_notify_flag, &message_gone);

  g_assert_false (gtasklet_tasklet_send_message (t, m));
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  g_object_unref (m);
  g_assert_true (message_gone);
  g_assert_true (payload_gone);

  g_assert_false (test_send_int (t, "late", 1));
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
}

static void
test_sent_before_start (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("a"), NULL, NULL);
  r.n_sets = 1;

  g_assert_true (test_send_int (t, "a", 1));
  g_assert_true (test_send_int (t, "a", 2));
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_NEW);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 2);

  gtasklet_tasklet_start (t);
  /* Only the first step ran inside start(); the messages come from the main loop. */
  g_assert_cmpuint (r.n_steps, ==, 1);
  g_assert_cmpstr (r.log->str, ==, "");
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "a1 a2");
  receiver_clear (&r);
}

static void
test_undelivered_dropped_at_finish (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  GObject *payload = g_object_new (G_TYPE_OBJECT, NULL);
  gboolean payload_gone = FALSE;
  g_auto (GValue) v = G_VALUE_INIT;

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("other"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  g_object_weak_ref (payload, test_weak_notify_flag, &payload_gone);
  g_value_init (&v, G_TYPE_OBJECT);
  g_value_take_object (&v, payload);
  g_assert_true (gtasklet_tasklet_send (t, "x", &v));
  g_value_unset (&v);
  test_send_int (t, "y", 1);
  test_send_int (t, "z", 2);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 3);
  g_assert_false (payload_gone);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_DEBUG, "*finished with 3 undelivered messages*");
  gtasklet_wait_condition_fire (r.stop);
  test_drain ();
  g_test_assert_expected_messages ();

  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  g_assert_true (payload_gone);
  g_assert_cmpstr (r.log->str, ==, "");
  receiver_clear (&r);
}

/* A message already handed to a waiting receiver, whose step has not run yet, counts as
 * undelivered when the receiver ends before that step (here by cancellation). */
static void
test_pending_event_dropped_at_cancel (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  test_send_int (t, "m", 1);
  test_send_int (t, "x", 2);
  g_assert_cmpstr (r.log->str, ==, "");

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_DEBUG, "*finished with 2 undelivered messages*");
  gtasklet_tasklet_cancel (t);
  test_drain ();
  g_test_assert_expected_messages ();

  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (r.log->str, ==, "");
  receiver_clear (&r);
}

/* Fired conditions and messages together */

static void
send_then_fire (gpointer data)
{
  Receiver *r = data;

  test_send_int (r->tasklet, "m", 1);
  gtasklet_wait_condition_fire (r->next);
}

static void
fire_then_send (gpointer data)
{
  Receiver *r = data;

  gtasklet_wait_condition_fire (r->next);
  test_send_int (r->tasklet, "m", 2);
}

static void
test_first_happened_first_delivered (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, TEST_NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  g_assert_cmpint (test_run_in_step (send_then_fire, &r), ==, GTASKLET_STATE_FINISHED);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "m1 next");

  g_assert_cmpint (test_run_in_step (fire_then_send, &r), ==, GTASKLET_STATE_FINISHED);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "m1 next next m2");

  /* From the main loop: the send queues the receiver, the fire then only marks. */
  test_send_int (t, "m", 3);
  gtasklet_wait_condition_fire (r.next);
  g_assert_cmpstr (r.log->str, ==, "m1 next next m2");
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "m1 next next m2 m3 next");
  receiver_clear (&r);
}

static void
test_queued_message_before_fire_on_arm (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  TestManualCondition *at_once =
    TEST_MANUAL_CONDITION (labelled (test_manual_condition_new (), "at-once"));

  /* Phase 1 arms a condition whose event has already happened, next to a message wait that
   * accepts a message queued earlier: the message happened first. */
  at_once->fire_on_arm = TRUE;
  g_ptr_array_add (r.owned, at_once);
  r.sets[1][0] = GTASKLET_WAIT_CONDITION (at_once);
  r.sets[1][1] = receiver_messages (&r, TEST_NAMES ("m"), NULL, NULL);
  r.sets[2][0] = NULL;
  r.n_sets = 3;
  gtasklet_tasklet_start (t);

  test_send_int (t, "m", 1);
  test_drain ();
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next m1 at-once");
  receiver_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/mailbox/send-from-main-loop-is-queued",
                   test_send_from_main_loop_is_queued);
  g_test_add_func ("/gtasklet/mailbox/send-from-step-is-queued", test_send_from_step_is_queued);
  g_test_add_func ("/gtasklet/mailbox/send-to-finished-tasklet", test_send_to_finished_tasklet);
  g_test_add_func ("/gtasklet/mailbox/sent-before-start", test_sent_before_start);
  g_test_add_func ("/gtasklet/mailbox/undelivered-dropped-at-finish",
                   test_undelivered_dropped_at_finish);
  g_test_add_func ("/gtasklet/mailbox/first-happened-first-delivered",
                   test_first_happened_first_delivered);
  g_test_add_func ("/gtasklet/mailbox/queued-message-before-fire-on-arm",
                   test_queued_message_before_fire_on_arm);
  g_test_add_func ("/gtasklet/mailbox/pending-event-dropped-at-cancel",
                   test_pending_event_dropped_at_cancel);

  return g_test_run ();
}

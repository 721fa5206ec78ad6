/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "test-manual-condition.h"
#include "test-util.h"

/* gtasklet_tasklet_receive(): the lists of a WaitForMessages without a condition object. */

/* A receiver that logs each message ("a1") and receives with the lists it is given at each
 * step, plus an optional condition; a message named "stop" ends it. */
typedef struct
{
  const char * const    *accept;
  const char * const    *defer;
  const char * const    *discard;
  GtaskletWaitCondition *also;
  /* After this many steps, receive with these lists instead. */
  guint                  switch_after;
  const char * const    *accept2;
  GString               *log;
  guint                  n_steps;
  gboolean               event_was_message;
} Receiver;

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Receiver *r = user_data;

  r->n_steps++;
  if (event != NULL && GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      const GValue *v = gtasklet_message_get_value (m);

      r->event_was_message = TRUE;
      if (strcmp (gtasklet_message_get_name (m), "stop") == 0)
        return TRUE;
      if (r->log->len > 0)
        g_string_append_c (r->log, ' ');
      g_string_append (r->log, gtasklet_message_get_name (m));
      if (v != NULL && G_VALUE_HOLDS_INT (v))
        g_string_append_printf (r->log, "%d", g_value_get_int (v));
    }
  else if (event != NULL)
    {
      if (r->log->len > 0)
        g_string_append_c (r->log, ' ');
      g_string_append (r->log, "also");
    }

  if (r->switch_after > 0 && r->n_steps > r->switch_after)
    gtasklet_tasklet_receive (tasklet, r->accept2, NULL, NULL);
  else
    gtasklet_tasklet_receive (tasklet, r->accept, r->defer, r->discard);
  if (r->also != NULL)
    gtasklet_tasklet_wait (tasklet, r->also);
  return TRUE;
}

static void
test_receive_like_wait_for_messages (void)
{
  Receiver r = { TEST_NAMES ("a", "stop"), TEST_NAMES ("d"), TEST_NAMES ("x"),
                 .log = g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (receiver_step, &r, NULL);

  gtasklet_tasklet_start (t);
  /* d is deferred, x discarded, u (named by nobody) stays queued, a accepted in order. */
  test_send_int (t, "d", 1);
  test_send_int (t, "a", 1);
  test_send_int (t, "x", 1);
  test_send_int (t, "u", 1);
  test_send_int (t, "a", 2);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "a1 a2");
  g_assert_true (r.event_was_message);
  /* d and u are still there; x was dropped. */
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 2);

  test_send_int (t, "stop", 0);
  test_wait_finished (t, 5000);
  g_assert_no_error (gtasklet_tasklet_get_error (t));
  g_string_free (r.log, TRUE);
}

static void
test_receive_changes_lists (void)
{
  /* The first step and the one after a1 accept "a" only; from then on "b" (and "stop"), and
   * the b's left queued come out in order, while a3 stays queued. */
  Receiver r = { TEST_NAMES ("a"), NULL, NULL, .switch_after = 2,
                 .accept2 = TEST_NAMES ("b", "stop"), .log = g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (receiver_step, &r, NULL);

  gtasklet_tasklet_start (t);
  test_send_int (t, "b", 1);
  test_send_int (t, "a", 1);
  test_send_int (t, "b", 2);
  test_send_int (t, "a", 2);
  test_send_int (t, "a", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "a1 a2 b1 b2");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);
  test_send_int (t, "stop", 0);
  test_wait_finished (t, 5000);
  g_string_free (r.log, TRUE);
}

static void
test_receive_with_condition (void)
{
  Receiver r = { TEST_NAMES ("a", "stop"), .also = test_manual_condition_new (),
                 .log = g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (receiver_step, &r, NULL);

  gtasklet_tasklet_start (t);
  test_send_int (t, "a", 1);
  test_drain ();
  gtasklet_wait_condition_fire (r.also);
  test_drain ();
  test_send_int (t, "a", 2);
  test_send_int (t, "stop", 0);
  test_wait_finished (t, 5000);
  /* The condition stayed armed across the steps that received. */
  g_assert_cmpstr (r.log->str, ==, "a1 also a2");
  g_assert_cmpuint (TEST_MANUAL_CONDITION (r.also)->n_arms, ==, 1);
  g_object_unref (r.also);
  g_string_free (r.log, TRUE);
}

/* Bindings pass a new array with the same names at every step: the same receive. */
static gboolean
fresh_lists_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  guint *n = user_data;
  g_auto (GStrv) accept = g_strsplit ("tick,stop", ",", -1);

  if (event != NULL)
    {
      if (strcmp (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "stop") == 0)
        return TRUE;
      (*n)++;
    }
  gtasklet_tasklet_receive (tasklet, (const char * const *) accept, NULL, NULL);
  return TRUE;
}

static void
test_receive_fresh_arrays (void)
{
  guint n = 0;
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (fresh_lists_step, &n, NULL);

  gtasklet_tasklet_start (t);
  for (guint i = 0; i < 100; i++)
    gtasklet_tasklet_send (t, "tick", NULL);
  gtasklet_tasklet_send (t, "stop", NULL);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (n, ==, 100);
}

/* A receive and a WaitForMessages in one wait set follow the contract's rule across
 * receives: an explicit name beats "*", and the first one added decides. */
typedef struct
{
  GtaskletWaitCondition *messages;
  GString               *log;
} Mixed;

static gboolean
mixed_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Mixed *m = user_data;

  if (event != NULL)
    {
      const char *name = gtasklet_message_get_name (GTASKLET_MESSAGE (event));

      if (strcmp (name, "stop") == 0)
        return TRUE;
      g_string_append_printf (m->log, "%s%s", m->log->len > 0 ? " " : "", name);
    }
  /* First: a receive that discards everything it does not name. */
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("stop"), NULL, TEST_NAMES ("*"));
  /* Then a condition that names "keep" explicitly: that beats the receive's "*". */
  gtasklet_tasklet_wait (tasklet, m->messages);
  return TRUE;
}

static void
test_receive_mixed_with_condition (void)
{
  Mixed m = { gtasklet_wait_for_messages_new (TEST_NAMES ("keep"), NULL, NULL),
              g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (mixed_step, &m, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_send (t, "junk", NULL);
  gtasklet_tasklet_send (t, "keep", NULL);
  gtasklet_tasklet_send (t, "junk", NULL);
  gtasklet_tasklet_send (t, "keep", NULL);
  gtasklet_tasklet_send (t, "stop", NULL);
  test_wait_finished (t, 5000);
  g_assert_cmpstr (m.log->str, ==, "keep keep");
  g_object_unref (m.messages);
  g_string_free (m.log, TRUE);
}

static gboolean
empty_receive_step (GtaskletTasklet  *tasklet,
                    GObject          *event,
                    gpointer          user_data,
                    GError          **error)
{
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_receive() on GtaskletTasklet * was given no message "
                         "name: it could never receive anything");
  gtasklet_tasklet_receive (tasklet, NULL, TEST_NAMES (NULL), NULL);
  g_test_assert_expected_messages ();
  return TRUE;
}

static void
test_receive_nothing_is_misuse (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (empty_receive_step, NULL, NULL);

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
}

static void
test_receive_outside_step (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (empty_receive_step, NULL, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_receive() called outside a step of*");
  gtasklet_tasklet_receive (t, TEST_NAMES ("a"), NULL, NULL);
  g_test_assert_expected_messages ();
}

/* Many receivers on one thread, each receiving with its own lists at every step: the specs
 * shared through the per-thread cache stay right when the cache turns over. */
typedef struct
{
  const char *name;
  guint       got;
} Named;

static gboolean
named_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Named *n = user_data;
  const char * const accept[] = { n->name, "stop", NULL };

  if (event != NULL)
    {
      const char *name = gtasklet_message_get_name (GTASKLET_MESSAGE (event));

      if (strcmp (name, "stop") == 0)
        return TRUE;
      g_assert_cmpstr (name, ==, n->name);
      n->got++;
    }
  gtasklet_tasklet_receive (tasklet, accept, NULL, NULL);
  return TRUE;
}

static void
test_receive_many_lists (void)
{
  enum { N = 16, ROUNDS = 50 };
  Named named[N];
  GtaskletTasklet *t[N];
  char names[N][8];

  for (guint i = 0; i < N; i++)
    {
      g_snprintf (names[i], sizeof names[i], "n%u", i);
      named[i] = (Named) { names[i], 0 };
      t[i] = gtasklet_tasklet_new (named_step, &named[i], NULL);
      gtasklet_tasklet_start (t[i]);
    }
  for (guint r = 0; r < ROUNDS; r++)
    for (guint i = 0; i < N; i++)
      {
        /* Each receiver gets its own name, and another's that it leaves queued. */
        gtasklet_tasklet_send (t[i], names[i], NULL);
        gtasklet_tasklet_send (t[i], names[(i + 1) % N], NULL);
      }
  test_drain ();
  for (guint i = 0; i < N; i++)
    {
      g_assert_cmpuint (named[i].got, ==, ROUNDS);
      g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t[i]), ==, ROUNDS);
      gtasklet_tasklet_send (t[i], "stop", NULL);
    }
  for (guint i = 0; i < N; i++)
    {
      test_wait_finished (t[i], 5000);
      g_object_unref (t[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/receive/like-wait-for-messages", test_receive_like_wait_for_messages);
  g_test_add_func ("/gtasklet/receive/changes-lists", test_receive_changes_lists);
  g_test_add_func ("/gtasklet/receive/with-condition", test_receive_with_condition);
  g_test_add_func ("/gtasklet/receive/fresh-arrays", test_receive_fresh_arrays);
  g_test_add_func ("/gtasklet/receive/mixed-with-condition", test_receive_mixed_with_condition);
  g_test_add_func ("/gtasklet/receive/nothing-is-misuse", test_receive_nothing_is_misuse);
  g_test_add_func ("/gtasklet/receive/outside-step", test_receive_outside_step);
  g_test_add_func ("/gtasklet/receive/many-lists", test_receive_many_lists);

  return g_test_run ();
}

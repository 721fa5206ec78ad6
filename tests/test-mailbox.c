/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

#define NAMES(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
weak_notify_flag (gpointer  data,
                  GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

/* A receiver driven in phases. In phase i its steps wait on sets[i] (the last set for later
 * phases), plus two hand-fired conditions of its own: `next`, which moves it to the next phase,
 * and `stop`, which finishes it. Each event is appended to `log`: a message as its name
 * followed by its int value ("a1"), a condition as its label ("next"), and with log_pending
 * the number of messages still queued during that step ("a1(2)"). A message named
 * `advance_on` moves to the next phase too. */
#define MAX_PHASES 8
#define MAX_CONDS  4

typedef struct
{
  GtaskletWaitCondition *sets[MAX_PHASES][MAX_CONDS];
  guint                  n_sets;
  gboolean               log_pending;
  const char            *advance_on;      /* a message name that also moves to the next phase */

  GtaskletWaitCondition *next;
  GtaskletWaitCondition *stop;
  GPtrArray             *owned;
  GString               *log;
  guint                  phase;
  guint                  n_steps;
  GtaskletTasklet       *tasklet;
} Receiver;

static void
receiver_log (Receiver        *r,
              GtaskletTasklet *tasklet,
              GObject         *event)
{
  if (r->log->len > 0)
    g_string_append_c (r->log, ' ');

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      const GValue *v = gtasklet_message_get_value (m);

      g_string_append (r->log, gtasklet_message_get_name (m));
      if (v != NULL && G_VALUE_HOLDS_INT (v))
        g_string_append_printf (r->log, "%d", g_value_get_int (v));
    }
  else
    {
      const char *label = g_object_get_data (event, "label");

      g_assert_nonnull (label);
      g_string_append (r->log, label);
    }

  if (r->log_pending)
    g_string_append_printf (r->log, "(%u)", gtasklet_tasklet_get_n_pending_messages (tasklet));
}

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Receiver *r = user_data;
  guint set;

  r->n_steps++;
  if (event != NULL && event == G_OBJECT (r->stop))
    return TRUE;
  if (event != NULL && event == G_OBJECT (r->next))
    r->phase++;
  if (event != NULL && GTASKLET_IS_MESSAGE (event) &&
      g_strcmp0 (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), r->advance_on) == 0)
    r->phase++;
  if (event != NULL)
    receiver_log (r, tasklet, event);

  set = r->n_sets > 0 ? MIN (r->phase, r->n_sets - 1) : 0;
  for (guint i = 0; i < MAX_CONDS && r->sets[set][i] != NULL; i++)
    gtasklet_tasklet_wait (tasklet, r->sets[set][i]);
  gtasklet_tasklet_wait (tasklet, r->next);
  gtasklet_tasklet_wait (tasklet, r->stop);
  return TRUE;
}

static GtaskletWaitCondition *
labelled (GtaskletWaitCondition *condition,
          const char            *label)
{
  g_object_set_data_full (G_OBJECT (condition), "label", g_strdup (label), g_free);
  return condition;
}

static GtaskletTasklet *
receiver_init (Receiver *r)
{
  *r = (Receiver) { 0 };
  r->owned = g_ptr_array_new_with_free_func (g_object_unref);
  r->log = g_string_new (NULL);
  r->next = labelled (test_manual_condition_new (), "next");
  r->stop = labelled (test_manual_condition_new (), "stop");
  r->tasklet = gtasklet_tasklet_new (receiver_step, r, NULL);
  return r->tasklet;
}

/* A WaitForMessages owned by the receiver, for its sets. */
static GtaskletWaitCondition *
receiver_messages (Receiver           *r,
                   const char * const *accept,
                   const char * const *defer,
                   const char * const *discard)
{
  GtaskletWaitCondition *w = gtasklet_wait_for_messages_new (accept, defer, discard);

  g_ptr_array_add (r->owned, w);
  return w;
}

static void
receiver_next (Receiver *r)
{
  gtasklet_wait_condition_fire (r->next);
  test_drain ();
}

/* Finishes the receiver and frees it. */
static void
receiver_clear (Receiver *r)
{
  if (gtasklet_tasklet_get_state (r->tasklet) == GTASKLET_STATE_SUSPENDED)
    {
      gtasklet_wait_condition_fire (r->stop);
      test_drain ();
    }
  g_assert_cmpint (gtasklet_tasklet_get_state (r->tasklet), ==, GTASKLET_STATE_FINISHED);
  g_clear_object (&r->tasklet);
  g_clear_object (&r->next);
  g_clear_object (&r->stop);
  g_clear_pointer (&r->owned, g_ptr_array_unref);
  g_string_free (r->log, TRUE);
}

static gboolean
send_int (GtaskletTasklet *dest,
          const char      *name,
          int              value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  return gtasklet_tasklet_send (dest, name, &v);
}

/* Runs func inside the first step of a short-lived tasklet. */
typedef struct
{
  void     (*func) (gpointer data);
  gpointer   data;
} Actor;

static gboolean
actor_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Actor *a = user_data;

  a->func (a->data);
  return TRUE;
}

static void
run_in_step (void     (*func) (gpointer data),
             gpointer   data)
{
  Actor a = { func, data };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (actor_step, &a, NULL);

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
}

/* Order */

static void
test_fifo_per_sender (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);
  g_autoptr (GString) expected = g_string_new (NULL);

  r.sets[0][0] = receiver_messages (&r, NAMES ("n"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  for (int i = 0; i < 1000; i++)
    {
      g_assert_true (send_int (t, "n", i));
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
      g_assert_true (send_int (b->dest, b->name, b->next_value++));
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

  r.sets[0][0] = receiver_messages (&r, NAMES ("*"), NULL, NULL);
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
        g_assert_true (send_int (t, "m", m++));
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
  r.sets[0][0] = receiver_messages (&r, NAMES ("other"), NULL, NULL);
  r.sets[1][0] = receiver_messages (&r, NAMES ("hello"), NULL, NULL);
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  g_assert_true (send_int (t, "hello", 5));
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

  r.sets[1][0] = receiver_messages (&r, NAMES ("b"), NAMES ("a"), NULL);
  r.sets[2][0] = receiver_messages (&r, NAMES ("a"), NULL, NULL);
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "a", 1);
  send_int (t, "b", 1);
  send_int (t, "a", 2);
  send_int (t, "b", 2);
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

  r.sets[1][0] = receiver_messages (&r, NAMES ("a"), NULL, NAMES ("x"));
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "x", 1);
  send_int (t, "a", 1);
  send_int (t, "x", 2);
  send_int (t, "a", 2);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(2) a2(0)");

  /* Arriving while the discard is armed, it is dropped at once. */
  send_int (t, "x", 3);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  send_int (t, "a", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(2) a2(0) a3(0)");
  receiver_clear (&r);
}

static void
test_wildcard_accept (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, NAMES ("*"), NULL, NULL);
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "x", 1);
  send_int (t, "y", 2);
  send_int (t, "z", 3);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(3) x1(2) y2(1) z3(0)");
  receiver_clear (&r);
}

static void
test_wildcard_defer (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, NAMES ("a"), NAMES ("*"), NULL);
  r.sets[2][0] = receiver_messages (&r, NAMES ("*"), NULL, NULL);
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "x", 1);
  send_int (t, "a", 1);
  send_int (t, "y", 1);
  send_int (t, "a", 2);
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

  r.sets[1][0] = receiver_messages (&r, NAMES ("a"), NULL, NAMES ("*"));
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "x", 1);
  send_int (t, "a", 1);
  send_int (t, "y", 1);
  send_int (t, "a", 2);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) a1(2) a2(0)");

  send_int (t, "z", 1);
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
  r.sets[1][0] = receiver_messages (&r, NAMES ("*"), NULL, NAMES ("x"));
  r.sets[2][0] = receiver_messages (&r, NAMES ("x"), NULL, NAMES ("*"));
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "x", 1);
  send_int (t, "y", 1);
  send_int (t, "x", 2);
  send_int (t, "z", 1);
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next(4) y1(2) z1(0)");

  receiver_next (&r);
  send_int (t, "y", 2);
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  send_int (t, "x", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next(4) y1(2) z1(0) next(0) x3(0)");
  receiver_clear (&r);
}

static void
test_accept_over_defer_over_discard (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[1][0] = receiver_messages (&r, NAMES ("a"), NAMES ("a", "b"), NAMES ("a", "b", "c"));
  r.n_sets = 2;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "c", 1);
  send_int (t, "b", 1);
  send_int (t, "a", 1);
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
  r.sets[1][0] = receiver_messages (&r, NULL, NULL, NAMES ("*"));
  r.sets[1][1] = receiver_messages (&r, NAMES ("a"), NULL, NULL);
  r.sets[2][0] = receiver_messages (&r, NAMES ("*"), NULL, NULL);
  r.sets[2][1] = receiver_messages (&r, NULL, NULL, NAMES ("a"));
  r.n_sets = 3;
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "a", 1);
  send_int (t, "b", 1);
  receiver_next (&r);
  /* a1 accepted by the second condition; b1, named only by "*" of the first, dropped. */
  g_assert_cmpstr (r.log->str, ==, "next(2) a1(1)");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);

  receiver_next (&r);
  send_int (t, "a", 2);
  send_int (t, "b", 2);
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
  GtaskletWaitCondition *acc = receiver_messages (&r, NAMES ("a"), NULL, NULL);
  GtaskletWaitCondition *dis = receiver_messages (&r, NULL, NULL, NAMES ("a"));
  GtaskletWaitCondition *acc_all = receiver_messages (&r, NAMES ("*"), NULL, NULL);
  GtaskletWaitCondition *dis_all = receiver_messages (&r, NULL, NULL, NAMES ("*"));

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
  send_int (t, "a", 1);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1");

  receiver_next (&r);
  send_int (t, "a", 2);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1 next");
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);

  receiver_next (&r);
  send_int (t, "b", 3);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next a1 next next b3");

  receiver_next (&r);
  send_int (t, "b", 4);
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
  GtaskletWaitCondition *w1 = receiver_messages (&r, NAMES ("a"), NULL, NULL);
  GtaskletWaitCondition *w2 = receiver_messages (&r, NAMES ("a", "b"), NULL, NULL);

  r.sets[1][0] = w1;
  r.sets[1][1] = w2;
  r.sets[2][0] = w1;
  r.n_sets = 3;
  gtasklet_tasklet_start (t);

  receiver_next (&r);
  send_int (t, "b", 1);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "next b1");

  /* w2 dropped: w1, which shares "a" with it, still accepts "a"; "b" is named no more. */
  receiver_next (&r);
  g_assert_true (gtasklet_wait_condition_is_armed (w1));
  g_assert_false (gtasklet_wait_condition_is_armed (w2));
  send_int (t, "a", 1);
  send_int (t, "b", 2);
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
  r.sets[1][0] = receiver_messages (&r, NAMES ("a"), NULL, NAMES ("d"));
  r.sets[2][0] = NULL;
  r.sets[3][0] = receiver_messages (&r, NULL, NULL, NAMES ("d"));
  r.n_sets = 4;
  r.advance_on = "a";
  r.log_pending = TRUE;
  gtasklet_tasklet_start (t);

  send_int (t, "d", 1);
  send_int (t, "a", 1);
  send_int (t, "d", 2);
  send_int (t, "d", 3);
  send_int (t, "a", 2);
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

/* Sending never runs the receiver */

static void
test_send_from_main_loop_is_queued (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  g_assert_true (send_int (t, "m", 1));
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

  g_assert_true (send_int (r->tasklet, "m", 1));
  g_assert_cmpint (gtasklet_tasklet_get_state (r->tasklet), ==, GTASKLET_STATE_SUSPENDED);
  g_assert_true (send_int (r->tasklet, "m", 2));
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
  g_assert_true (send_int (s->receiver->tasklet, "m", 3));
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

  r.sets[0][0] = receiver_messages (&r, NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  /* From a first step, which runs inside start(). */
  run_in_step (send_and_check, &r);
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

static gboolean
finish_at_once (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  return TRUE;
}

static void
test_send_to_finished_tasklet (void)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (finish_at_once, NULL, NULL);
  GObject *payload = g_object_new (G_TYPE_OBJECT, NULL);
  gboolean payload_gone = FALSE, message_gone = FALSE;
  g_auto (GValue) v = G_VALUE_INIT;
  GtaskletMessage *m;

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  g_object_weak_ref (payload, weak_notify_flag, &payload_gone);
  g_value_init (&v, G_TYPE_OBJECT);
  g_value_take_object (&v, payload);
  m = gtasklet_message_new ("late", &v);
  g_value_unset (&v);
  g_object_weak_ref (G_OBJECT (m), weak_notify_flag, &message_gone);

  g_assert_false (gtasklet_tasklet_send_message (t, m));
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  g_object_unref (m);
  g_assert_true (message_gone);
  g_assert_true (payload_gone);

  g_assert_false (send_int (t, "late", 1));
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
}

static void
test_sent_before_start (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, NAMES ("a"), NULL, NULL);
  r.n_sets = 1;

  g_assert_true (send_int (t, "a", 1));
  g_assert_true (send_int (t, "a", 2));
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

  r.sets[0][0] = receiver_messages (&r, NAMES ("other"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  g_object_weak_ref (payload, weak_notify_flag, &payload_gone);
  g_value_init (&v, G_TYPE_OBJECT);
  g_value_take_object (&v, payload);
  g_assert_true (gtasklet_tasklet_send (t, "x", &v));
  g_value_unset (&v);
  send_int (t, "y", 1);
  send_int (t, "z", 2);
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

  r.sets[0][0] = receiver_messages (&r, NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  send_int (t, "m", 1);
  send_int (t, "x", 2);
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

  send_int (r->tasklet, "m", 1);
  gtasklet_wait_condition_fire (r->next);
}

static void
fire_then_send (gpointer data)
{
  Receiver *r = data;

  gtasklet_wait_condition_fire (r->next);
  send_int (r->tasklet, "m", 2);
}

static void
test_first_happened_first_delivered (void)
{
  Receiver r;
  GtaskletTasklet *t = receiver_init (&r);

  r.sets[0][0] = receiver_messages (&r, NAMES ("m"), NULL, NULL);
  r.n_sets = 1;
  gtasklet_tasklet_start (t);

  run_in_step (send_then_fire, &r);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "m1 next");

  run_in_step (fire_then_send, &r);
  test_drain ();
  g_assert_cmpstr (r.log->str, ==, "m1 next next m2");

  /* From the main loop: the send queues the receiver, the fire then only marks. */
  send_int (t, "m", 3);
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
  r.sets[1][1] = receiver_messages (&r, NAMES ("m"), NULL, NULL);
  r.sets[2][0] = NULL;
  r.n_sets = 3;
  gtasklet_tasklet_start (t);

  send_int (t, "m", 1);
  test_drain ();
  receiver_next (&r);
  g_assert_cmpstr (r.log->str, ==, "next m1 at-once");
  receiver_clear (&r);
}

/* WaitForMessages API */

static void
test_get_action (void)
{
  g_autoptr (GtaskletWaitCondition) w =
    gtasklet_wait_for_messages_new (NAMES ("a"), NAMES ("a", "b", "*"), NAMES ("a", "b", "c"));
  g_autoptr (GtaskletWaitCondition) plain =
    gtasklet_wait_for_messages_new (NAMES ("a"), NULL, NULL);
  g_autoptr (GtaskletWaitCondition) all =
    gtasklet_wait_for_messages_new (NAMES ("*"), NULL, NAMES ("*"));
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
    gtasklet_wait_for_messages_new (NAMES ("a", "b"), NAMES ("c", "*"), NAMES ("d"));
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
  g_assert_true (g_strv_equal ((const char * const *) accept, NAMES ("a", "b")));
  g_assert_true (g_strv_equal ((const char * const *) defer, NAMES ("c", "*")));
  g_assert_true (g_strv_equal ((const char * const *) discard, NAMES ("d")));

  from_props = g_object_new (GTASKLET_TYPE_WAIT_FOR_MESSAGES,
                             "accept", NAMES ("x"), "discard", NAMES ("*"), NULL);
  g_object_get (from_props, "accept", &prop_accept, "discard", &prop_discard, NULL);
  g_assert_true (g_strv_equal ((const char * const *) prop_accept, NAMES ("x")));
  g_assert_true (g_strv_equal ((const char * const *) prop_discard, NAMES ("*")));
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
  g_test_add_func ("/gtasklet/wait-for-messages/get-action", test_get_action);
  g_test_add_func ("/gtasklet/wait-for-messages/dup-names", test_dup_names);
  g_test_add_func ("/gtasklet/mailbox/pending-event-dropped-at-cancel",
                   test_pending_event_dropped_at_cancel);

  return g_test_run ();
}

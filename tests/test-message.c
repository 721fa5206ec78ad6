/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

/* A tasklet that accepts every message and keeps what it saw of each, finishing after
 * `limit` messages (never when 0) or when `stop` fires. */
typedef struct
{
  GtaskletWaitCondition *inbox;
  GtaskletWaitCondition *stop;
  guint                  limit;
  guint                  n_received;
  GtaskletMessage       *last;            /* no reference: compared only */
  GtaskletTasklet       *last_sender;     /* no reference */
  GtaskletTasklet       *last_dest;       /* no reference */
  char                  *last_name;
  int                   last_int;
  GObject               *last_object;     /* no reference */
} Sink;

static gboolean
sink_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Sink *s = user_data;

  if (event != NULL && event == G_OBJECT (s->stop))
    return TRUE;

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      const GValue *v = gtasklet_message_get_value (m);

      s->n_received++;
      s->last = m;
      s->last_sender = gtasklet_message_get_sender (m);
      s->last_dest = gtasklet_message_get_dest (m);
      g_free (s->last_name);
      s->last_name = g_strdup (gtasklet_message_get_name (m));
      s->last_int = v != NULL && G_VALUE_HOLDS_INT (v) ? g_value_get_int (v) : -1;
      s->last_object = v != NULL && G_VALUE_HOLDS_OBJECT (v) ? g_value_get_object (v) : NULL;
      if (s->limit > 0 && s->n_received >= s->limit)
        return TRUE;
    }

  gtasklet_tasklet_wait (tasklet, s->inbox);
  gtasklet_tasklet_wait (tasklet, s->stop);
  return TRUE;
}

static GtaskletTasklet *
sink_new (Sink  *s,
          guint  limit)
{
  *s = (Sink) { 0 };
  s->inbox = gtasklet_wait_for_messages_new (TEST_NAMES ("*"), NULL, NULL);
  s->stop = test_manual_condition_new ();
  s->limit = limit;
  return gtasklet_tasklet_new (sink_step, s, NULL);
}

/* Finishes the sink if it still runs, and frees what it kept. */
static void
sink_clear (Sink            *s,
            GtaskletTasklet *t)
{
  if (gtasklet_tasklet_get_state (t) != GTASKLET_STATE_FINISHED)
    {
      gtasklet_wait_condition_fire (s->stop);
      test_drain ();
    }
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_clear_object (&s->inbox);
  g_clear_object (&s->stop);
  g_clear_pointer (&s->last_name, g_free);
}

static void
test_new_copies_value (void)
{
  g_auto (GValue) v = G_VALUE_INIT;
  g_autoptr (GtaskletMessage) m = NULL;
  const GValue *got;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, "hello");
  m = gtasklet_message_new ("greet", &v);

  /* Changing the caller's value afterwards does not reach the message. */
  g_value_set_string (&v, "changed");

  g_assert_cmpstr (gtasklet_message_get_name (m), ==, "greet");
  g_assert_true (gtasklet_message_get_name (m) == g_intern_string ("greet"));
  got = gtasklet_message_get_value (m);
  g_assert_nonnull (got);
  g_assert_true (got != &v);
  g_assert_true (G_VALUE_HOLDS_STRING (got));
  g_assert_cmpstr (g_value_get_string (got), ==, "hello");
  g_assert_null (gtasklet_message_get_variant (m));
  g_assert_null (gtasklet_message_get_sender (m));
  g_assert_null (gtasklet_message_get_dest (m));

  /* A basic type too. */
  {
    g_auto (GValue) i = G_VALUE_INIT;
    g_autoptr (GtaskletMessage) mi = NULL;

    g_value_init (&i, G_TYPE_INT);
    g_value_set_int (&i, 41);
    mi = gtasklet_message_new ("n", &i);
    g_value_set_int (&i, 0);
    g_assert_cmpint (g_value_get_int (gtasklet_message_get_value (mi)), ==, 41);
  }
}

static void
test_null_value (void)
{
  g_autoptr (GtaskletMessage) m = gtasklet_message_new ("ping", NULL);
  g_autoptr (GtaskletMessage) mv = gtasklet_message_new_variant ("ping", NULL);

  g_assert_cmpstr (gtasklet_message_get_name (m), ==, "ping");
  g_assert_null (gtasklet_message_get_value (m));
  g_assert_null (gtasklet_message_get_variant (m));
  g_assert_cmpstr (gtasklet_message_get_name (mv), ==, "ping");
  g_assert_null (gtasklet_message_get_value (mv));
  g_assert_null (gtasklet_message_get_variant (mv));
}

static void
test_variant (void)
{
  GVariant *floating = g_variant_new ("(si)", "answer", 42);
  GVariant *owned = g_variant_ref_sink (g_variant_new_int32 (7));
  g_autoptr (GtaskletMessage) m = NULL;
  g_autoptr (GtaskletMessage) m2 = NULL;
  GVariant *got;
  const char *s = NULL;
  gint32 n = 0;

  g_assert_true (g_variant_is_floating (floating));
  m = gtasklet_message_new_variant ("v", floating);
  /* The floating reference was sunk by the message (which now owns it). */
  g_assert_false (g_variant_is_floating (floating));

  got = gtasklet_message_get_variant (m);
  g_assert_true (got == floating);
  g_assert_true (G_VALUE_HOLDS_VARIANT (gtasklet_message_get_value (m)));
  g_variant_get (got, "(&si)", &s, &n);
  g_assert_cmpstr (s, ==, "answer");
  g_assert_cmpint (n, ==, 42);

  /* A non-floating variant: the message takes its own reference. */
  m2 = gtasklet_message_new_variant ("w", owned);
  g_variant_unref (owned);
  g_assert_cmpint (g_variant_get_int32 (gtasklet_message_get_variant (m2)), ==, 7);
}

static void
test_properties (void)
{
  g_auto (GValue) v = G_VALUE_INIT;
  g_autoptr (GtaskletMessage) m = NULL;
  g_autofree char *name = NULL;
  GValue *value = NULL;
  GtaskletTasklet *sender = (gpointer) 1, *dest = (gpointer) 1;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 5);
  m = g_object_new (GTASKLET_TYPE_MESSAGE, "name", "prop", "value", &v, NULL);
  g_value_set_int (&v, 6);

  g_assert_cmpstr (gtasklet_message_get_name (m), ==, "prop");
  g_assert_cmpint (g_value_get_int (gtasklet_message_get_value (m)), ==, 5);

  g_object_get (m, "name", &name, "value", &value, "sender", &sender, "dest", &dest, NULL);
  g_assert_cmpstr (name, ==, "prop");
  g_assert_nonnull (value);
  g_assert_cmpint (g_value_get_int (value), ==, 5);
  g_assert_null (sender);
  g_assert_null (dest);
  g_boxed_free (G_TYPE_VALUE, value);
}

typedef struct
{
  GtaskletTasklet *dest;
} SendFromStep;

static gboolean
send_from_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  SendFromStep *s = user_data;

  g_assert_true (gtasklet_tasklet_send (s->dest, "from-step", NULL));
  return TRUE;
}

static void
test_sender_and_dest (void)
{
  Sink s;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 0);
  SendFromStep sfs = { t };
  g_autoptr (GtaskletTasklet) sender = gtasklet_tasklet_new (send_from_step, &sfs, NULL);
  g_autoptr (GtaskletMessage) m = gtasklet_message_new ("explicit", NULL);
  GtaskletTasklet *prop_sender = (gpointer) 1, *prop_dest = NULL;

  gtasklet_tasklet_start (t);

  /* From a step: the sender is the tasklet whose step sent it. */
  gtasklet_tasklet_start (sender);
  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 1);
  g_assert_cmpstr (s.last_name, ==, "from-step");
  g_assert_true (s.last_sender == sender);
  g_assert_true (s.last_dest == t);

  /* From the main loop: no sender. */
  g_assert_true (gtasklet_tasklet_send (t, "from-loop", NULL));
  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 2);
  g_assert_cmpstr (s.last_name, ==, "from-loop");
  g_assert_null (s.last_sender);
  g_assert_true (s.last_dest == t);

  /* The route of a message the caller keeps is readable after delivery, as properties too. */
  g_assert_true (gtasklet_tasklet_send_message (t, m));
  test_drain ();
  g_assert_true (s.last == m);
  g_assert_true (gtasklet_message_get_dest (m) == t);
  g_assert_null (gtasklet_message_get_sender (m));
  g_object_get (m, "sender", &prop_sender, "dest", &prop_dest, NULL);
  g_assert_null (prop_sender);
  g_assert_true (prop_dest == t);
  g_object_unref (prop_dest);

  sink_clear (&s, t);
}

static void
test_send_message_transfer_none (void)
{
  Sink s;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 0);
  GtaskletMessage *m = gtasklet_message_new ("mine", NULL);
  gboolean finalized = FALSE;

  g_object_weak_ref (G_OBJECT (m), test_weak_notify_flag, &finalized);
  gtasklet_tasklet_start (t);

  g_assert_true (gtasklet_tasklet_send_message (t, m));
  /* The mailbox took its own reference; ours is untouched. */
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 2);
  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 1);
  g_assert_true (s.last == m);

  /* Delivered and released by the engine: only the caller's reference is left, and the
   * message is still whole. */
  g_assert_false (finalized);
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);
  g_assert_cmpstr (gtasklet_message_get_name (m), ==, "mine");

  /* Sent again once it has left the mailbox: allowed, delivered again. */
  g_assert_true (gtasklet_tasklet_send_message (t, m));
  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 2);
  g_assert_true (s.last == m);

  sink_clear (&s, t);
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);
  g_object_unref (m);
  g_assert_true (finalized);
}

static void
test_send_queued_message_is_critical (void)
{
  Sink s;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 0);
  g_autoptr (GtaskletTasklet) other = NULL;
  Sink so;
  g_autoptr (GtaskletMessage) m = gtasklet_message_new ("twice", NULL);
  gboolean ok;

  /* A sink that waits only on its stop condition keeps messages queued. */
  g_clear_object (&s.inbox);
  s.inbox = test_manual_condition_new ();
  gtasklet_tasklet_start (t);
  other = sink_new (&so, 0);
  gtasklet_tasklet_start (other);

  g_assert_true (gtasklet_tasklet_send_message (t, m));
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*is already queued for a tasklet*");
  ok = gtasklet_tasklet_send_message (t, m);
  g_test_assert_expected_messages ();
  g_assert_false (ok);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);

  /* Nor to another mailbox: a message is in one mailbox at a time. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*is already queued for a tasklet*");
  ok = gtasklet_tasklet_send_message (other, m);
  g_test_assert_expected_messages ();
  g_assert_false (ok);
  test_drain ();
  g_assert_cmpuint (so.n_received, ==, 0);
  g_assert_true (gtasklet_message_get_dest (m) == t);

  sink_clear (&s, t);
  sink_clear (&so, other);
  /* Dropped with the finished mailbox: the caller's reference is all that is left. */
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);
}

/* Keeps its first message with a reference while 100 more go through the pool. */
typedef struct
{
  GtaskletWaitCondition *inbox;
  GtaskletMessage       *held;
  guint                  n_received;
  gboolean               held_delivered_again;
  gboolean               held_changed;
} Holder;

static gboolean
holder_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Holder *h = user_data;

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);

      h->n_received++;
      if (h->n_received == 1)
        h->held = g_object_ref (m);
      else if (m == h->held)
        h->held_delivered_again = TRUE;

      if (g_strcmp0 (gtasklet_message_get_name (h->held), "first") != 0 ||
          g_value_get_int (gtasklet_message_get_value (h->held)) != 1)
        h->held_changed = TRUE;

      if (h->n_received == 101)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, h->inbox);
  return TRUE;
}

static void
test_held_message_not_reused (void)
{
  Holder h = { gtasklet_wait_for_messages_new (TEST_NAMES ("*"), NULL, NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (holder_step, &h, NULL);
  g_auto (GValue) v = G_VALUE_INIT;

  gtasklet_tasklet_start (t);
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 1);
  g_assert_true (gtasklet_tasklet_send (t, "first", &v));
  test_drain ();
  g_assert_nonnull (h.held);

  /* One at a time, so each is recycled before the next is built, then in a batch. */
  for (int i = 0; i < 50; i++)
    {
      g_value_set_int (&v, 100 + i);
      g_assert_true (gtasklet_tasklet_send (t, "later", &v));
      test_drain ();
    }
  for (int i = 50; i < 100; i++)
    {
      g_value_set_int (&v, 100 + i);
      g_assert_true (gtasklet_tasklet_send (t, "later", &v));
    }
  test_drain ();

  g_assert_cmpuint (h.n_received, ==, 101);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_false (h.held_delivered_again);
  g_assert_false (h.held_changed);
  g_assert_cmpstr (gtasklet_message_get_name (h.held), ==, "first");
  g_assert_cmpint (g_value_get_int (gtasklet_message_get_value (h.held)), ==, 1);
  g_assert_null (gtasklet_message_get_sender (h.held));
  g_assert_true (gtasklet_message_get_dest (h.held) == t);

  g_object_unref (h.held);
  g_object_unref (h.inbox);
}

static void
test_kept_by_caller_not_reused (void)
{
  Sink s;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 0);
  g_auto (GValue) v = G_VALUE_INIT;
  g_autoptr (GtaskletMessage) mine = NULL;

  gtasklet_tasklet_start (t);
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 7);
  mine = gtasklet_message_new ("mine", &v);
  g_assert_true (gtasklet_tasklet_send_message (t, mine));
  test_drain ();

  for (int i = 0; i < 100; i++)
    {
      g_value_set_int (&v, i);
      g_assert_true (gtasklet_tasklet_send (t, "other", &v));
      test_drain ();
      g_assert_true (s.last != mine);
    }
  g_assert_cmpuint (s.n_received, ==, 101);
  g_assert_cmpstr (gtasklet_message_get_name (mine), ==, "mine");
  g_assert_cmpint (g_value_get_int (gtasklet_message_get_value (mine)), ==, 7);
  g_assert_true (gtasklet_message_get_dest (mine) == t);

  sink_clear (&s, t);
}

static void
test_object_payload_released (void)
{
  Sink s;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 1);
  GObject *delivered = g_object_new (G_TYPE_OBJECT, NULL);
  GObject *copied = g_object_new (G_TYPE_OBJECT, NULL);
  GObject *dropped = g_object_new (G_TYPE_OBJECT, NULL);
  gboolean delivered_gone = FALSE, copied_gone = FALSE, dropped_gone = FALSE;
  g_auto (GValue) v = G_VALUE_INIT;
  GtaskletMessage *m;

  g_object_weak_ref (delivered, test_weak_notify_flag, &delivered_gone);
  g_object_weak_ref (copied, test_weak_notify_flag, &copied_gone);
  g_object_weak_ref (dropped, test_weak_notify_flag, &dropped_gone);
  gtasklet_tasklet_start (t);

  /* A message built by the caller holds its own reference on the payload. */
  g_value_init (&v, G_TYPE_OBJECT);
  g_value_set_object (&v, delivered);
  g_object_unref (delivered);
  m = gtasklet_message_new ("obj", &v);
  g_value_set_object (&v, NULL);
  g_assert_false (delivered_gone);
  g_assert_true (gtasklet_tasklet_send_message (t, m));
  g_object_unref (m);
  g_assert_false (delivered_gone);

  /* send() copies the value: a second reference, released after delivery. Sent behind the
   * first, it is dropped when the sink finishes after one message. */
  g_value_set_object (&v, copied);
  g_assert_true (gtasklet_tasklet_send (t, "obj", &v));
  g_value_set_object (&v, NULL);
  g_assert_cmpuint (copied->ref_count, ==, 2);
  g_object_unref (copied);
  g_assert_false (copied_gone);

  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 1);
  g_assert_true (s.last_object == delivered);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (delivered_gone);
  g_assert_true (copied_gone);

  /* Sent to a finished tasklet: refused, and the payload is not leaked either. */
  g_value_set_object (&v, dropped);
  g_object_unref (dropped);
  g_assert_false (gtasklet_tasklet_send (t, "obj", &v));
  g_value_set_object (&v, NULL);
  g_assert_true (dropped_gone);

  sink_clear (&s, t);
}

static void
test_null_name_is_critical (void)
{
  Sink s;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 0);
  GtaskletMessage *m;

  gtasklet_tasklet_start (t);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*name != NULL*failed*");
  m = gtasklet_message_new (NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (m);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*name != NULL*failed*");
  m = gtasklet_message_new_variant (NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (m);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*name != NULL*failed*");
  g_assert_false (gtasklet_tasklet_send (t, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_MESSAGE*failed*");
  g_assert_false (gtasklet_tasklet_send_message (t, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "*assertion*GTASKLET_IS_MESSAGE*failed*");
  g_assert_null (gtasklet_message_get_name (NULL));
  g_test_assert_expected_messages ();

  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 0);
  sink_clear (&s, t);
}

/* A message handed to a waiting receiver is queued for it even before its step runs: sending
 * it again, to the same or another tasklet, is refused like for any queued message. */
static void
test_send_pending_event_is_critical (void)
{
  Sink s, so;
  g_autoptr (GtaskletTasklet) t = sink_new (&s, 0);
  g_autoptr (GtaskletTasklet) other = sink_new (&so, 0);
  g_autoptr (GtaskletMessage) m = gtasklet_message_new ("once", NULL);
  gboolean ok;

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (other);

  /* t waits for it: the message is its next event, not yet delivered. */
  g_assert_true (gtasklet_tasklet_send_message (t, m));

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*is already queued for a tasklet*");
  ok = gtasklet_tasklet_send_message (t, m);
  g_test_assert_expected_messages ();
  g_assert_false (ok);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*is already queued for a tasklet*");
  ok = gtasklet_tasklet_send_message (other, m);
  g_test_assert_expected_messages ();
  g_assert_false (ok);

  test_drain ();
  g_assert_cmpuint (s.n_received, ==, 1);
  g_assert_cmpuint (so.n_received, ==, 0);
  g_assert_true (gtasklet_message_get_dest (m) == t);

  sink_clear (&s, t);
  sink_clear (&so, other);
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);
}

/* A step forwards the message it received, as it is, to a tasklet that keeps it queued. */
typedef struct
{
  GtaskletWaitCondition *inbox;
  GtaskletTasklet       *next;
  gboolean               forwarded;
} Forwarder;

static gboolean
forwarder_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Forwarder *f = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, f->inbox);
      return TRUE;
    }
  f->forwarded = gtasklet_tasklet_send_message (f->next, GTASKLET_MESSAGE (event));
  return TRUE;
}

/* Waits on `hold` first, then accepts any message and records it. */
typedef struct
{
  GtaskletWaitCondition *hold;
  GtaskletWaitCondition *inbox;
  GtaskletMessage       *received;        /* no reference: compared only */
  GtaskletTasklet       *sender;
  GtaskletTasklet       *dest;
} LateSink;

static gboolean
late_sink_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  LateSink *ls = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, ls->hold);
      return TRUE;
    }
  if (event == G_OBJECT (ls->hold))
    {
      gtasklet_tasklet_wait (tasklet, ls->inbox);
      return TRUE;
    }
  ls->received = GTASKLET_MESSAGE (event);
  ls->sender = gtasklet_message_get_sender (ls->received);
  ls->dest = gtasklet_message_get_dest (ls->received);
  return TRUE;
}

static void
test_forward_received_message (void)
{
  LateSink ls = { test_manual_condition_new (),
                  gtasklet_wait_for_messages_new (TEST_NAMES ("*"), NULL, NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (late_sink_step, &ls, NULL);
  Forwarder f = { gtasklet_wait_for_messages_new (TEST_NAMES ("*"), NULL, NULL), t };
  g_autoptr (GtaskletTasklet) fwd = gtasklet_tasklet_new (forwarder_step, &f, NULL);
  g_autoptr (GtaskletMessage) m = gtasklet_message_new ("hello", NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_start (fwd);

  /* The sink waits on a condition that names no message: the forwarded message stays queued
   * in its mailbox after the forwarding step has returned. */
  g_assert_true (gtasklet_tasklet_send_message (fwd, m));
  test_drain ();
  g_assert_true (f.forwarded);
  g_assert_cmpint (gtasklet_tasklet_get_state (fwd), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);

  gtasklet_wait_condition_fire (ls.hold);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (ls.received == m);
  g_assert_true (ls.sender == fwd);
  g_assert_true (ls.dest == t);
  g_assert_cmpuint (G_OBJECT (m)->ref_count, ==, 1);

  g_object_unref (f.inbox);
  g_object_unref (ls.hold);
  g_object_unref (ls.inbox);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/message/new-copies-value", test_new_copies_value);
  g_test_add_func ("/gtasklet/message/null-value", test_null_value);
  g_test_add_func ("/gtasklet/message/variant", test_variant);
  g_test_add_func ("/gtasklet/message/properties", test_properties);
  g_test_add_func ("/gtasklet/message/sender-and-dest", test_sender_and_dest);
  g_test_add_func ("/gtasklet/message/send-message-transfer-none", test_send_message_transfer_none);
  g_test_add_func ("/gtasklet/message/send-queued-message-is-critical",
                   test_send_queued_message_is_critical);
  g_test_add_func ("/gtasklet/message/held-message-not-reused", test_held_message_not_reused);
  g_test_add_func ("/gtasklet/message/kept-by-caller-not-reused", test_kept_by_caller_not_reused);
  g_test_add_func ("/gtasklet/message/object-payload-released", test_object_payload_released);
  g_test_add_func ("/gtasklet/message/null-name-is-critical", test_null_name_is_critical);
  g_test_add_func ("/gtasklet/message/send-pending-event-is-critical",
                   test_send_pending_event_is_critical);
  g_test_add_func ("/gtasklet/message/forward-received-message", test_forward_received_message);

  return g_test_run ();
}

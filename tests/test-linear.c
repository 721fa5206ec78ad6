/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"
#include "test-util.h"

/* A counting loop written top to bottom over a hand-fired condition. */
typedef struct
{
  int                    pc;
  int                    i;
  int                    limit;
  int                    return_at;      /* GTASKLET_RETURN when i reaches it (if > 0) */
  GtaskletWaitCondition *tick;
  GString               *log;
  gboolean               after_loop;
} Counter;

static gboolean
counter_run (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Counter *c = user_data;
  g_auto (GValue) v = G_VALUE_INIT;

  GTASKLET_BEGIN (&c->pc);
  g_string_append (c->log, "begin");
  for (c->i = 0; c->i < c->limit; c->i++)
    {
      g_string_append_printf (c->log, " %d", c->i);
      if (c->return_at > 0 && c->i == c->return_at)
        {
          g_value_init (&v, G_TYPE_STRING);
          g_value_set_string (&v, "early");
          gtasklet_tasklet_return_value (tasklet, &v);
          GTASKLET_RETURN (&c->pc);
        }
      GTASKLET_WAIT (tasklet, &c->pc, c->tick);
      /* Resumed here by the tick, which is the event. */
      g_assert_true (event == G_OBJECT (c->tick));
    }
  c->after_loop = TRUE;
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, c->i);
  gtasklet_tasklet_return_value (tasklet, &v);
  GTASKLET_END (&c->pc);
}

static void
test_counter_loop (void)
{
  Counter c = { .limit = 5, .tick = test_manual_condition_new (), .log = g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (counter_run, &c, NULL);

  gtasklet_tasklet_start (t);
  g_assert_cmpstr (c.log->str, ==, "begin 0");
  g_assert_cmpint (c.pc, >, 0);

  for (int n = 1; n < 5; n++)
    {
      g_autofree char *expected = g_strdup_printf (" %d", n);

      gtasklet_wait_condition_fire (c.tick);
      test_drain ();
      g_assert_cmpint (c.i, ==, n);
      g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
      g_assert_true (g_str_has_suffix (c.log->str, expected));
    }
  g_assert_cmpstr (c.log->str, ==, "begin 0 1 2 3 4");

  gtasklet_wait_condition_fire (c.tick);
  test_drain ();
  g_assert_true (c.after_loop);
  g_assert_cmpint (c.pc, ==, -1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (t)), ==, 5);
  g_assert_cmpuint (TEST_MANUAL_CONDITION (c.tick)->n_arms, ==, 1);

  g_object_unref (c.tick);
  g_string_free (c.log, TRUE);
}

static void
test_early_return (void)
{
  Counter c = { .limit = 10, .return_at = 2, .tick = test_manual_condition_new (),
                .log = g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (counter_run, &c, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_wait_condition_fire (c.tick);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  gtasklet_wait_condition_fire (c.tick);
  test_drain ();

  g_assert_cmpstr (c.log->str, ==, "begin 0 1 2");
  g_assert_false (c.after_loop);
  g_assert_cmpint (c.pc, ==, -1);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpstr (g_value_get_string (gtasklet_tasklet_get_result (t)), ==, "early");
  /* Finishing disarmed the tick. */
  g_assert_false (gtasklet_wait_condition_is_armed (c.tick));

  g_object_unref (c.tick);
  g_string_free (c.log, TRUE);
}

/* A tasklet subclass whose run vfunc is written linearly, with its state in the instance:
 * it sums the values of "add" messages until "stop", then returns the sum. */
#define TEST_TYPE_ADDER (test_adder_get_type ())
G_DECLARE_FINAL_TYPE (TestAdder, test_adder, TEST, ADDER, GtaskletTasklet)

struct _TestAdder
{
  GtaskletTasklet        parent_instance;
  int                    pc;
  int                    sum;
  guint                  n_added;
  GtaskletWaitCondition *inbox;
};

G_DEFINE_FINAL_TYPE (TestAdder, test_adder, GTASKLET_TYPE_TASKLET)

static gboolean
test_adder_run (GtaskletTasklet  *tasklet,
                GObject          *event,
                GError          **error)
{
  TestAdder *self = TEST_ADDER (tasklet);
  g_auto (GValue) v = G_VALUE_INIT;

  GTASKLET_BEGIN (&self->pc);
  g_assert_null (event);
  for (;;)
    {
      GTASKLET_WAIT (tasklet, &self->pc, self->inbox);
      g_assert_true (GTASKLET_IS_MESSAGE (event));
      if (g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "stop"))
        break;
      self->sum += g_value_get_int (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));
      self->n_added++;
    }
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, self->sum);
  gtasklet_tasklet_return_value (tasklet, &v);
  GTASKLET_END (&self->pc);
}

static void
test_adder_dispose (GObject *object)
{
  TestAdder *self = TEST_ADDER (object);

  g_clear_object (&self->inbox);
  G_OBJECT_CLASS (test_adder_parent_class)->dispose (object);
}

static void
test_adder_class_init (TestAdderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = test_adder_dispose;
  GTASKLET_TASKLET_CLASS (klass)->run = test_adder_run;
}

static void
test_adder_init (TestAdder *self)
{
  self->inbox = gtasklet_wait_for_messages_new (TEST_NAMES ("add", "stop"), NULL, NULL);
}

static void
test_subclass (void)
{
  g_autoptr (TestAdder) adder = g_object_new (TEST_TYPE_ADDER, NULL);
  GtaskletTasklet *t = GTASKLET_TASKLET (adder);

  gtasklet_tasklet_start (t);
  g_assert_cmpint (adder->pc, >, 0);
  test_send_int (t, "add", 1);
  test_send_int (t, "add", 20);
  test_drain ();
  g_assert_cmpint (adder->sum, ==, 21);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);

  test_send_int (t, "add", 300);
  gtasklet_tasklet_send (t, "stop", NULL);
  test_send_int (t, "add", 4000);  /* after stop: never added */
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (adder->n_added, ==, 3);
  g_assert_cmpint (adder->pc, ==, -1);
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (t)), ==, 321);
}

/* Waits on two conditions at once with GTASKLET_SUSPEND, then branches on the event. */
typedef struct
{
  int                    pc;
  guint                  round;
  GtaskletWaitCondition *a;
  GtaskletWaitCondition *b;
  GString               *log;
} Either;

static gboolean
either_run (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Either *e = user_data;

  GTASKLET_BEGIN (&e->pc);
  for (e->round = 0; e->round < 3; e->round++)
    {
      gtasklet_tasklet_wait (tasklet, e->a);
      gtasklet_tasklet_wait (tasklet, e->b);
      GTASKLET_SUSPEND (&e->pc);
      if (event == G_OBJECT (e->a))
        g_string_append (e->log, "a");
      else if (event == G_OBJECT (e->b))
        g_string_append (e->log, "b");
      else
        g_string_append (e->log, "?");
    }
  GTASKLET_END (&e->pc);
}

static void
test_suspend_and_branch (void)
{
  Either e = { 0, 0, test_manual_condition_new (), test_manual_condition_new (),
               g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (either_run, &e, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_wait_condition_fire (e.b);
  test_drain ();
  g_assert_cmpstr (e.log->str, ==, "b");
  gtasklet_wait_condition_fire (e.a);
  test_drain ();
  g_assert_cmpstr (e.log->str, ==, "ba");
  gtasklet_wait_condition_fire (e.b);
  test_drain ();
  g_assert_cmpstr (e.log->str, ==, "bab");
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  /* Both kept armed across the rounds, disarmed once at the end. */
  g_assert_cmpuint (TEST_MANUAL_CONDITION (e.a)->n_arms, ==, 1);
  g_assert_cmpuint (TEST_MANUAL_CONDITION (e.b)->n_arms, ==, 1);
  g_assert_cmpuint (TEST_MANUAL_CONDITION (e.a)->n_disarms, ==, 1);
  g_assert_cmpuint (TEST_MANUAL_CONDITION (e.b)->n_disarms, ==, 1);

  g_object_unref (e.a);
  g_object_unref (e.b);
  g_string_free (e.log, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/linear/counter-loop", test_counter_loop);
  g_test_add_func ("/gtasklet/linear/early-return", test_early_return);
  g_test_add_func ("/gtasklet/linear/subclass", test_subclass);
  g_test_add_func ("/gtasklet/linear/suspend-and-branch", test_suspend_and_branch);

  return g_test_run ();
}

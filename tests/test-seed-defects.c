/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The twelve defects of the seed (gtasklet.py 0.4.0, see seed/README.md), one test each,
 * showing that gtasklet does not repeat them (part 1: defects 1 to 7, from WaitForIdle to the
 * mailbox; 8 to 12 are in test-seed-defects-2.c). Defects 2 and 6 concern Python mechanics;
 * their tests check the guarantee the seed broke, in its C form. */

#include "seed-defects-util.h"

static gboolean
log_idle (gpointer data)
{
  GString *log = data;

  g_string_append_printf (log, "%sidle", log->len > 0 ? " " : "");
  return G_SOURCE_REMOVE;
}

/* 1. WaitForIdle never fired: the priority was passed as the callback's user data. */
static void
test_01_idle_fires (void)
{
  g_autoptr (GString) log = g_string_new (NULL);
  Looper l = { gtasklet_wait_for_idle_new (), 3, "tasklet", log };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (looper_step, &l, NULL);
  Looper high = { gtasklet_wait_for_idle_new (), 1, "high", log };
  Looper low = { gtasklet_wait_for_idle_new (), 1, "low", log };
  g_autoptr (GtaskletTasklet) th = gtasklet_tasklet_new (looper_step, &high, NULL);
  g_autoptr (GtaskletTasklet) tl = gtasklet_tasklet_new (looper_step, &low, NULL);

  /* It fires, and kept in the wait set it fires on each idle iteration. */
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (l.n_events, ==, 3);
  g_assert_true (l.last_event == G_OBJECT (l.cond));
  g_assert_cmpstr (log->str, ==, "tasklet tasklet tasklet");

  /* Its priority is the source's: around an idle of the default idle priority added first,
   * a higher one goes before it and a lower one after. */
  g_string_truncate (log, 0);
  g_idle_add (log_idle, log);
  gtasklet_wait_for_idle_set_priority (GTASKLET_WAIT_FOR_IDLE (high.cond), G_PRIORITY_HIGH_IDLE);
  gtasklet_wait_for_idle_set_priority (GTASKLET_WAIT_FOR_IDLE (low.cond), G_PRIORITY_LOW);
  g_assert_cmpint (gtasklet_wait_for_idle_get_priority (GTASKLET_WAIT_FOR_IDLE (high.cond)), ==,
                   G_PRIORITY_HIGH_IDLE);
  gtasklet_tasklet_start (tl);
  gtasklet_tasklet_start (th);
  test_wait_finished (tl, 5000);
  test_wait_finished (th, 5000);
  test_drain ();
  g_assert_cmpstr (log->str, ==, "high idle low");

  g_object_unref (l.cond);
  g_object_unref (high.cond);
  g_object_unref (low.cond);
}

/* 2. The optimised (-O) dispatch path called a method that does not exist. gtasklet has two
 * dispatch paths too: a message for a tasklet that is already waiting is decided on arrival,
 * one found in the mailbox when a wait begins is decided by a scan. Both must give the same
 * deliveries for every action. */
typedef struct
{
  GtaskletWaitCondition *hold;     /* waited on alone first, when set */
  GtaskletWaitCondition *inbox;
  GString               *log;
} Dispatcher;

static gboolean
dispatcher_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  Dispatcher *d = user_data;

  if (event == NULL && d->hold != NULL)
    {
      gtasklet_tasklet_wait (tasklet, d->hold);
      return TRUE;
    }
  if (event != NULL && GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);

      g_string_append_printf (d->log, "%s%s%d", d->log->len > 0 ? " " : "",
                              gtasklet_message_get_name (m),
                              g_value_get_int (gtasklet_message_get_value (m)));
      if (g_str_equal (gtasklet_message_get_name (m), "end"))
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, d->inbox);
  return TRUE;
}

static void
test_02_both_dispatch_paths (void)
{
  static const char *names[] = { "c", "a", "b", "d", "a", "c", "b", "a" };
  Dispatcher on_arrival = { NULL,
                            gtasklet_wait_for_messages_new (TEST_NAMES ("a", "end"),
                                                            TEST_NAMES ("b"), TEST_NAMES ("c")),
                            g_string_new (NULL) };
  Dispatcher by_scan = { test_manual_condition_new (),
                         gtasklet_wait_for_messages_new (TEST_NAMES ("a", "end"),
                                                         TEST_NAMES ("b"), TEST_NAMES ("c")),
                         g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t1 = gtasklet_tasklet_new (dispatcher_step, &on_arrival, NULL);
  g_autoptr (GtaskletTasklet) t2 = gtasklet_tasklet_new (dispatcher_step, &by_scan, NULL);

  gtasklet_tasklet_start (t1);
  gtasklet_tasklet_start (t2);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      test_send_int (t1, names[i], i);
      test_drain ();
      test_send_int (t2, names[i], i);
    }
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t2), ==, G_N_ELEMENTS (names));
  gtasklet_wait_condition_fire (by_scan.hold);
  test_drain ();

  g_assert_cmpstr (on_arrival.log->str, ==, "a1 a4 a7");
  g_assert_cmpstr (by_scan.log->str, ==, on_arrival.log->str);
  /* b deferred and d unnamed stay queued on both paths; c was dropped. */
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t1), ==, 3);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t2), ==, 3);

  test_send_int (t1, "end", 0);
  test_send_int (t2, "end", 0);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t1), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpint (gtasklet_tasklet_get_state (t2), ==, GTASKLET_STATE_FINISHED);

  g_object_unref (on_arrival.inbox);
  g_object_unref (by_scan.inbox);
  g_object_unref (by_scan.hold);
  g_string_free (on_arrival.log, TRUE);
  g_string_free (by_scan.log, TRUE);
}

/* 3. Joining a finished tasklet hung: its return value was not kept, and a child started in
 * its parent's step could finish before the parent waited for it. */
typedef struct
{
  GtaskletTasklet       *child;
  GtaskletWaitCondition *join;
  char                  *result;
} Parent;

static gboolean
parent_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Parent *p = user_data;

  if (event == NULL)
    {
      if (p->child == NULL)
        {
          p->child = gtasklet_tasklet_new (test_return_string_step, "from child", NULL);
          gtasklet_tasklet_start (p->child);
          g_assert_cmpint (gtasklet_tasklet_get_state (p->child), ==, GTASKLET_STATE_FINISHED);
        }
      p->join = gtasklet_wait_for_tasklet_new (p->child);
      gtasklet_tasklet_wait (tasklet, p->join);
      return TRUE;
    }
  p->result =
    g_value_dup_string (gtasklet_wait_for_tasklet_get_result (GTASKLET_WAIT_FOR_TASKLET (event)));
  return TRUE;
}

static void
test_03_join_finished_tasklet (void)
{
  Parent inside = { NULL };
  Parent later = { NULL };
  g_autoptr (GtaskletTasklet) p1 = gtasklet_tasklet_new (parent_step, &inside, NULL);
  g_autoptr (GtaskletTasklet) p2 = gtasklet_tasklet_new (parent_step, &later, NULL);

  /* The child starts and finishes inside the parent's step, before the parent waits. */
  gtasklet_tasklet_start (p1);
  test_wait_finished (p1, 5000);
  g_assert_cmpstr (inside.result, ==, "from child");

  /* A tasklet finished long ago: its result was kept. */
  test_drain ();
  later.child = g_object_ref (inside.child);
  gtasklet_tasklet_start (p2);
  test_wait_finished (p2, 5000);
  g_assert_cmpstr (later.result, ==, "from child");

  g_object_unref (inside.child);
  g_object_unref (inside.join);
  g_free (inside.result);
  g_object_unref (later.child);
  g_object_unref (later.join);
  g_free (later.result);
}

/* 4. WaitForTasklet ignored its re-arm result, could not be reused, and delivered the join
 * from an extra idle source. */
static void
test_04_wait_for_tasklet_reusable (void)
{
  GtaskletWaitCondition *go = test_manual_condition_new ();
  g_autoptr (GtaskletTasklet) child = NULL;
  g_autoptr (GString) log = g_string_new (NULL);
  Looper first = { NULL, 2, "join", log };
  Looper second = { NULL, 1, "again", log };
  g_autoptr (GtaskletTasklet) p1 = gtasklet_tasklet_new (looper_step, &first, NULL);
  g_autoptr (GtaskletTasklet) p2 = gtasklet_tasklet_new (looper_step, &second, NULL);
  Looper child_l = { go, 1 };

  child = gtasklet_tasklet_new (looper_step, &child_l, NULL);
  gtasklet_tasklet_start (child);
  first.cond = gtasklet_wait_for_tasklet_new (child);
  gtasklet_tasklet_start (p1);

  /* An idle added before the child finishes runs after the join: the join is not delivered
   * through an idle source of its own, but at the default priority of the scheduler. */
  g_idle_add (log_idle, log);
  gtasklet_wait_condition_fire (go);
  test_drain ();
  /* Waited on twice by p1 (kept armed: it fires again), then reused by p2. */
  g_assert_cmpstr (log->str, ==, "join join idle");
  g_assert_cmpint (gtasklet_tasklet_get_state (p1), ==, GTASKLET_STATE_FINISHED);

  second.cond = g_object_ref (first.cond);
  gtasklet_tasklet_start (p2);
  test_drain ();
  g_assert_cmpstr (log->str, ==, "join join idle again");
  g_assert_true (second.last_event == G_OBJECT (first.cond));

  g_object_unref (first.cond);
  g_object_unref (second.cond);
  g_object_unref (go);
}

/* 5. WaitForSignal stopped emission of boolean signals with a true-handled accumulator, and the
 * waiting tasklet was never told when the object was destroyed. */
#define TEST_TYPE_EMITTER (test_emitter_get_type ())
G_DECLARE_FINAL_TYPE (TestEmitter, test_emitter, TEST, EMITTER, GObject)

struct _TestEmitter
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (TestEmitter, test_emitter, G_TYPE_OBJECT)

static void
test_emitter_class_init (TestEmitterClass *klass)
{
  g_signal_new ("handle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                g_signal_accumulator_true_handled, NULL, NULL,
                G_TYPE_BOOLEAN, 1, G_TYPE_INT);
}

static void
test_emitter_init (TestEmitter *self)
{
}

typedef struct
{
  guint    n_calls;
  gboolean reply;
} Handler;

static gboolean
on_handle (TestEmitter *emitter,
           int          n,
           gpointer     data)
{
  Handler *h = data;

  h->n_calls++;
  return h->reply;
}

typedef struct
{
  GtaskletWaitCondition *signal;
  guint                  n_events;
  int                    arg;
  gboolean               object_gone;
} SignalWaiter;

static gboolean
signal_waiter_step (GtaskletTasklet  *tasklet,
                    GObject          *event,
                    gpointer          user_data,
                    GError          **error)
{
  SignalWaiter *s = user_data;
  GtaskletWaitForSignal *ws = GTASKLET_WAIT_FOR_SIGNAL (s->signal);

  if (event != NULL)
    {
      s->n_events++;
      if (gtasklet_wait_for_signal_get_object (ws) == NULL)
        {
          s->object_gone = TRUE;
          return TRUE;
        }
      g_assert_cmpuint (gtasklet_wait_for_signal_get_n_args (ws), ==, 1);
      s->arg = g_value_get_int (gtasklet_wait_for_signal_get_arg (ws, 0));
    }
  gtasklet_tasklet_wait (tasklet, s->signal);
  return TRUE;
}

typedef struct
{
  TestEmitter *emitter;
  int          arg;
  gboolean     handled;
} Emission;

static void
emit_handle (gpointer data)
{
  Emission *e = data;

  g_signal_emit_by_name (e->emitter, "handle", e->arg, &e->handled);
}

static void
test_05_wait_for_signal (void)
{
  TestEmitter *emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  SignalWaiter s = { gtasklet_wait_for_signal_new (emitter, "handle") };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (signal_waiter_step, &s, NULL);
  Handler h = { 0, FALSE };
  gboolean handled = TRUE;
  gboolean finished = FALSE;

  g_signal_connect (t, "finished", G_CALLBACK (test_flag_signal), &finished);
  gtasklet_tasklet_start (t);
  /* Connected after the condition armed: it must still run and decide the result. */
  g_signal_connect (emitter, "handle", G_CALLBACK (on_handle), &h);

  /* Emitted from main-loop sources, as a toolkit emits: each emission wakes the tasklet. */
  {
    Emission e = { emitter, 7, TRUE };

    test_run_from_source (emit_handle, &e);
    g_assert_cmpuint (h.n_calls, ==, 1);
    g_assert_false (e.handled);
    h.reply = TRUE;
    e.arg = 8;
    test_run_from_source (emit_handle, &e);
    g_assert_cmpuint (h.n_calls, ==, 2);
    g_assert_true (e.handled);
    handled = e.handled;
  }
  test_drain ();
  g_assert_true (handled);
  g_assert_cmpuint (s.n_events, ==, 2);
  g_assert_cmpint (s.arg, ==, 8);

  /* The object goes away while the tasklet waits on it: the tasklet is told. */
  g_object_unref (emitter);
  test_wait_until (finished, 5000);
  g_assert_true (s.object_gone);
  g_assert_cmpuint (s.n_events, ==, 3);

  g_object_unref (s.signal);
}

/* 6. Events passed through one global variable: a tasklet that did not read its event broke
 * the next one to resume. Each step gets its own event as a parameter. */
typedef struct
{
  GtaskletWaitCondition *mine;
  guint                  n_steps;
  GObject               *events[4];       /* no references */
  gboolean               read_events;
  gboolean               start_child;
  GObject               *child_first_event;
  gboolean               child_ran;
} Reader;

static gboolean
child_records_event (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  Reader *r = user_data;

  r->child_ran = TRUE;
  r->child_first_event = event;
  return TRUE;
}

static gboolean
reader_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Reader *r = user_data;

  if (r->read_events && r->n_steps < G_N_ELEMENTS (r->events))
    r->events[r->n_steps] = event;
  r->n_steps++;
  if (event != NULL && r->start_child)
    {
      /* A tasklet started while this step's event is live gets its own (NULL) event. */
      g_autoptr (GtaskletTasklet) child = gtasklet_tasklet_new (child_records_event, r, NULL);

      gtasklet_tasklet_start (child);
    }
  if (r->n_steps < 3)
    gtasklet_tasklet_wait (tasklet, r->mine);
  return TRUE;
}

static void
fire_both (gpointer data)
{
  GtaskletWaitCondition **conds = data;

  gtasklet_wait_condition_fire (conds[0]);
  gtasklet_wait_condition_fire (conds[1]);
}

static void
test_06_event_per_step (void)
{
  Reader ignorer = { test_manual_condition_new (), 0, { NULL }, FALSE, TRUE };
  Reader reader = { test_manual_condition_new (), 0, { NULL }, TRUE, FALSE };
  g_autoptr (GtaskletTasklet) ti = gtasklet_tasklet_new (reader_step, &ignorer, NULL);
  g_autoptr (GtaskletTasklet) tr = gtasklet_tasklet_new (reader_step, &reader, NULL);
  GtaskletWaitCondition *first[2] = { ignorer.mine, reader.mine };
  GtaskletWaitCondition *second[2] = { reader.mine, ignorer.mine };

  gtasklet_tasklet_start (ti);
  gtasklet_tasklet_start (tr);
  g_assert_null (reader.events[0]);

  /* Both resume in one dispatch, the ignoring one first, then the other way round. */
  test_run_in_step (fire_both, first);
  test_drain ();
  test_run_in_step (fire_both, second);
  test_drain ();

  g_assert_cmpuint (ignorer.n_steps, ==, 3);
  g_assert_cmpuint (reader.n_steps, ==, 3);
  g_assert_true (reader.events[1] == G_OBJECT (reader.mine));
  g_assert_true (reader.events[2] == G_OBJECT (reader.mine));
  g_assert_true (ignorer.child_ran);
  g_assert_null (ignorer.child_first_event);

  g_object_unref (ignorer.mine);
  g_object_unref (reader.mine);
}

/* 7. There was no real mailbox: a message the receiver was not waiting for at that moment
 * (for example while it waited on a timeout) was dropped with a warning. */
typedef struct
{
  GtaskletWaitCondition *timeout;
  GtaskletWaitCondition *inbox;
  guint                  n_steps;
  guint                  pending_after_timeout;
  int                    received;
} Sleeper;

static gboolean
sleeper_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Sleeper *s = user_data;

  s->n_steps++;
  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, s->timeout);
      return TRUE;
    }
  if (event == G_OBJECT (s->timeout))
    {
      s->pending_after_timeout = gtasklet_tasklet_get_n_pending_messages (tasklet);
      gtasklet_tasklet_wait (tasklet, s->inbox);
      return TRUE;
    }
  s->received = g_value_get_int (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));
  return TRUE;
}

static void
test_07_message_kept_while_waiting_elsewhere (void)
{
  Sleeper s = { gtasklet_wait_for_timeout_new (20),
                gtasklet_wait_for_messages_new (TEST_NAMES ("hello"), NULL, NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (sleeper_step, &s, NULL);

  gtasklet_tasklet_start (t);
  g_assert_true (test_send_int (t, "hello", 42));
  test_drain ();
  g_assert_cmpuint (s.n_steps, ==, 1);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 1);

  test_wait_finished (t, 5000);
  g_assert_cmpuint (s.pending_after_timeout, ==, 1);
  g_assert_cmpint (s.received, ==, 42);

  g_object_unref (s.timeout);
  g_object_unref (s.inbox);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/seed-defects/01-idle-fires", test_01_idle_fires);
  g_test_add_func ("/gtasklet/seed-defects/02-both-dispatch-paths", test_02_both_dispatch_paths);
  g_test_add_func ("/gtasklet/seed-defects/03-join-finished-tasklet",
                   test_03_join_finished_tasklet);
  g_test_add_func ("/gtasklet/seed-defects/04-wait-for-tasklet-reusable",
                   test_04_wait_for_tasklet_reusable);
  g_test_add_func ("/gtasklet/seed-defects/05-wait-for-signal", test_05_wait_for_signal);
  g_test_add_func ("/gtasklet/seed-defects/06-event-per-step", test_06_event_per_step);
  g_test_add_func ("/gtasklet/seed-defects/07-message-kept-while-waiting-elsewhere",
                   test_07_message_kept_while_waiting_elsewhere);

  return g_test_run ();
}

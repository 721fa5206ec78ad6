/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The twelve defects of the seed (gtasklet.py 0.4.0, see seed/README.md), one test each,
 * showing that gtasklet does not repeat them (part 2: defects 8 to 12, from the ring of
 * tasklets to the finished state; 1 to 7 are in test-seed-defects.c). */

#include <sys/wait.h>

#include "seed-defects-util.h"

/* 8. Delivery was a nested call into the receiver: a ring of 1,000 tasklets overflowed the
 * stack. */
#define RING_SIZE 1000
#define RING_LAPS 3

typedef struct
{
  GtaskletTasklet       *next;
  GtaskletWaitCondition *inbox;
  guint                  index;
  guint                 *depth;
  guint                 *max_depth;
  guintptr              *stack_low;
  guintptr              *stack_high;
  guint                 *n_hops;
  gboolean              *order_ok;
} RingNode;

static gboolean
ring_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  RingNode *node = user_data;
  guintptr here = (guintptr) &node;
  gboolean more = TRUE;

  (*node->depth)++;
  *node->max_depth = MAX (*node->max_depth, *node->depth);
  *node->stack_low = MIN (*node->stack_low, here);
  *node->stack_high = MAX (*node->stack_high, here);

  if (event != NULL)
    {
      int hop = g_value_get_int (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));

      /* Hop h lands on node h % RING_SIZE. */
      if ((guint) hop % RING_SIZE != node->index || (guint) hop != *node->n_hops)
        *node->order_ok = FALSE;
      (*node->n_hops)++;
      if (hop + 1 < RING_SIZE * RING_LAPS)
        test_send_int (node->next, "token", hop + 1);
      /* Each node finishes after its last lap. */
      more = (guint) hop + RING_SIZE < RING_SIZE * RING_LAPS;
    }
  if (more)
    gtasklet_tasklet_wait (tasklet, node->inbox);

  (*node->depth)--;
  return TRUE;
}

static void
test_08_ring_without_recursion (void)
{
  RingNode *nodes = g_new0 (RingNode, RING_SIZE);
  GtaskletTasklet **tasklets = g_new0 (GtaskletTasklet *, RING_SIZE);
  guint depth = 0, max_depth = 0, n_hops = 0;
  guintptr low = G_MAXSIZE, high = 0;
  gboolean order_ok = TRUE;

  for (guint i = 0; i < RING_SIZE; i++)
    {
      nodes[i] = (RingNode) { NULL,
                              gtasklet_wait_for_messages_new (TEST_NAMES ("token"), NULL, NULL),
                              i, &depth, &max_depth, &low, &high, &n_hops, &order_ok };
      tasklets[i] = gtasklet_tasklet_new (ring_step, &nodes[i], NULL);
    }
  for (guint i = 0; i < RING_SIZE; i++)
    {
      nodes[i].next = tasklets[(i + 1) % RING_SIZE];
      gtasklet_tasklet_start (tasklets[i]);
    }

  test_send_int (tasklets[0], "token", 0);
  test_wait_finished (tasklets[RING_SIZE - 1], 30000);

  g_assert_cmpuint (n_hops, ==, RING_SIZE * RING_LAPS);
  g_assert_true (order_ok);
  /* No step ever ran inside another, and all ran at about the same stack depth. */
  g_assert_cmpuint (max_depth, ==, 1);
  g_assert_cmpuint (high - low, <, 4096);

  for (guint i = 0; i < RING_SIZE; i++)
    {
      g_assert_cmpint (gtasklet_tasklet_get_state (tasklets[i]), ==, GTASKLET_STATE_FINISHED);
      g_object_unref (tasklets[i]);
      g_object_unref (nodes[i].inbox);
    }
  g_free (tasklets);
  g_free (nodes);
}

/* 9. Sending to a tasklet whose step was running (a child messaging its parent) raised an
 * assertion. */
typedef struct
{
  GtaskletWaitCondition *inbox;
  GtaskletTasklet       *child;
  GtaskletTasklet       *parent;
  GtaskletState          parent_state_at_send;
  gboolean               send_ok;
  GtaskletTasklet       *sender_seen;
  char                  *received;
} Family;

static gboolean
messaging_child_step (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      gpointer          user_data,
                      GError          **error)
{
  Family *f = user_data;

  f->parent_state_at_send = gtasklet_tasklet_get_state (f->parent);
  f->send_ok = gtasklet_tasklet_send (f->parent, "hi", NULL);
  return TRUE;
}

static gboolean
messaged_parent_step (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      gpointer          user_data,
                      GError          **error)
{
  Family *f = user_data;

  if (event == NULL)
    {
      f->child = gtasklet_tasklet_new (messaging_child_step, f, NULL);
      gtasklet_tasklet_start (f->child);
      /* Queued, not delivered into this running step. */
      g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (tasklet), ==, 1);
      gtasklet_tasklet_wait (tasklet, f->inbox);
      return TRUE;
    }
  f->received = g_strdup (gtasklet_message_get_name (GTASKLET_MESSAGE (event)));
  f->sender_seen = gtasklet_message_get_sender (GTASKLET_MESSAGE (event));
  return TRUE;
}

static void
test_09_send_to_running_parent (void)
{
  Family f = { gtasklet_wait_for_messages_new (TEST_NAMES ("hi"), NULL, NULL) };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (messaged_parent_step, &f, NULL);

  f.parent = parent;
  gtasklet_tasklet_start (parent);
  g_assert_true (f.send_ok);
  g_assert_cmpint (f.parent_state_at_send, ==, GTASKLET_STATE_RUNNING);
  g_assert_null (f.received);

  test_wait_finished (parent, 5000);
  g_assert_cmpstr (f.received, ==, "hi");
  g_assert_true (f.sender_seen == f.child);

  g_object_unref (f.child);
  g_object_unref (f.inbox);
  g_free (f.received);
}

/* 10. An exception inside a tasklet was only printed: the tasklet never finished and its
 * joiners waited forever. */
typedef struct
{
  GtaskletWaitCondition *inbox;
  gboolean               got;
} Worker;

static gboolean
failing_on_message_step (GtaskletTasklet  *tasklet,
                         GObject          *event,
                         gpointer          user_data,
                         GError          **error)
{
  Worker *w = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, w->inbox);
      return TRUE;
    }
  w->got = TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "step failed");
  return FALSE;
}

static gboolean
working_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Worker *w = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, w->inbox);
      return TRUE;
    }
  w->got = TRUE;
  return TRUE;
}

typedef struct
{
  GtaskletWaitCondition *join;
  GError                *error;
  gboolean               joined;
} ErrorJoiner;

static gboolean
error_joiner_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  ErrorJoiner *j = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, j->join);
      return TRUE;
    }
  j->joined = TRUE;
  j->error = g_error_copy (gtasklet_wait_for_tasklet_get_error (GTASKLET_WAIT_FOR_TASKLET (event)));
  return TRUE;
}

typedef struct
{
  GtaskletTasklet *failing;
  GtaskletTasklet *working;
} Pair;

static void
send_to_pair (gpointer data)
{
  Pair *p = data;

  gtasklet_tasklet_send (p->failing, "go", NULL);
  gtasklet_tasklet_send (p->working, "go", NULL);
}

static void
test_10_error_finishes_tasklet (void)
{
  Worker fw = { gtasklet_wait_for_messages_new (TEST_NAMES ("go"), NULL, NULL) };
  Worker ww = { gtasklet_wait_for_messages_new (TEST_NAMES ("go"), NULL, NULL) };
  g_autoptr (GtaskletTasklet) failing = gtasklet_tasklet_new (failing_on_message_step, &fw, NULL);
  g_autoptr (GtaskletTasklet) working = gtasklet_tasklet_new (working_step, &ww, NULL);
  ErrorJoiner j = { NULL };
  g_autoptr (GtaskletTasklet) joiner = gtasklet_tasklet_new (error_joiner_step, &j, NULL);
  Pair pair = { failing, working };
  gboolean idle_ran = FALSE;

  gtasklet_tasklet_start (failing);
  gtasklet_tasklet_start (working);
  j.join = gtasklet_wait_for_tasklet_new (failing);
  gtasklet_tasklet_start (joiner);

  /* Both resume in one dispatch: the failure does not stop the other. */
  test_run_in_step (send_to_pair, &pair);
  g_idle_add (test_flag_source, &idle_ran);
  test_wait_finished (joiner, 5000);

  g_assert_true (fw.got);
  g_assert_cmpint (gtasklet_tasklet_get_state (failing), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (failing), G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (j.joined);
  g_assert_error (j.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (j.error->message, ==, "step failed");
  g_assert_true (ww.got);
  g_assert_cmpint (gtasklet_tasklet_get_state (working), ==, GTASKLET_STATE_FINISHED);
  g_assert_no_error (gtasklet_tasklet_get_error (working));
  /* And the main loop goes on. */
  test_wait_until (idle_ran, 5000);

  g_object_unref (fw.inbox);
  g_object_unref (ww.inbox);
  g_object_unref (j.join);
  g_clear_error (&j.error);
}

/* 11. Message actions were one flat table per tasklet: two armed WaitForMessages sharing a name
 * broke on disarm. */
typedef struct
{
  GtaskletWaitCondition *w1;      /* accepts a */
  GtaskletWaitCondition *w2;      /* accepts a and b */
  GString               *log;
} Shared;

static gboolean
shared_names_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  Shared *s = user_data;

  if (event != NULL)
    {
      const char *name = gtasklet_message_get_name (GTASKLET_MESSAGE (event));

      g_string_append_printf (s->log, "%s%s", s->log->len > 0 ? " " : "", name);
      if (g_str_equal (name, "a"))
        return TRUE;
    }
  /* Both at first; after the "b", only w1: w2 is disarmed while w1 stays armed. */
  gtasklet_tasklet_wait (tasklet, s->w1);
  if (event == NULL)
    gtasklet_tasklet_wait (tasklet, s->w2);
  return TRUE;
}

static void
test_11_shared_names_survive_disarm (void)
{
  Shared s = { gtasklet_wait_for_messages_new (TEST_NAMES ("a"), NULL, NULL),
               gtasklet_wait_for_messages_new (TEST_NAMES ("a", "b"), NULL, NULL),
               g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (shared_names_step, &s, NULL);

  gtasklet_tasklet_start (t);
  gtasklet_tasklet_send (t, "b", NULL);
  test_drain ();
  g_assert_cmpstr (s.log->str, ==, "b");
  g_assert_true (gtasklet_wait_condition_is_armed (s.w1));
  g_assert_false (gtasklet_wait_condition_is_armed (s.w2));

  /* "b" is no longer named: queued. "a" is still accepted by w1. */
  gtasklet_tasklet_send (t, "b", NULL);
  gtasklet_tasklet_send (t, "a", NULL);
  test_drain ();
  g_assert_cmpstr (s.log->str, ==, "b a");
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  g_object_unref (s.w1);
  g_object_unref (s.w2);
  g_string_free (s.log, TRUE);
}

/* 12. A finished tasklet's state stayed "running"; WaitForTimeout.restart() lost its source on
 * some paths; WaitForProcess.status was cleared right after the callback. */
static void
check_finished_state (GtaskletTasklet *t,
                      gpointer         data)
{
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  (*(guint *) data)++;
}

static void
test_12_finished_state (void)
{
  GtaskletWaitCondition *go = test_manual_condition_new ();
  Looper l = { go, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (looper_step, &l, NULL);
  g_autoptr (GtaskletTasklet) failed = gtasklet_tasklet_new (test_fail_at_once_step, NULL, NULL);
  guint n_checked = 0;

  g_signal_connect (t, "finished", G_CALLBACK (check_finished_state), &n_checked);
  g_signal_connect (failed, "finished", G_CALLBACK (check_finished_state), &n_checked);

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  gtasklet_wait_condition_fire (go);
  test_drain ();
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);

  gtasklet_tasklet_start (failed);
  g_assert_cmpint (gtasklet_tasklet_get_state (failed), ==, GTASKLET_STATE_FINISHED);
  g_assert_cmpuint (n_checked, ==, 2);

  g_object_unref (go);
}

typedef struct
{
  GtaskletWaitCondition *timeout;
  GtaskletWaitCondition *other;
  guint                  restarts;     /* restart and wait again this many times, then stop */
  guint                  n_timeouts;
  guint                  n_fired_signals;
  gboolean               armed_after_step;
} Restarter;

static gboolean
restarter_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Restarter *r = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, r->timeout);
      return TRUE;
    }
  if (event == G_OBJECT (r->other))
    return TRUE;

  /* Woken by the timeout, from inside its own source's dispatch: restart it here. */
  r->n_timeouts++;
  gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (r->timeout));
  if (r->n_timeouts <= r->restarts)
    gtasklet_tasklet_wait (tasklet, r->timeout);
  else
    gtasklet_tasklet_wait (tasklet, r->other);
  return TRUE;
}

static void
test_12_timeout_restart_in_step (void)
{
  Restarter r = { gtasklet_wait_for_timeout_new (1), gtasklet_wait_for_timeout_new (100), 3 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (restarter_step, &r, NULL);

  g_signal_connect (r.timeout, "fired", G_CALLBACK (test_count_signal), &r.n_fired_signals);
  gtasklet_tasklet_start (t);

  /* Restarted and waited on again three times: it keeps firing. Restarted and then dropped:
   * no source is left behind to fire it again while the tasklet waits on the other. */
  test_wait_finished (t, 10000);
  g_assert_cmpuint (r.n_timeouts, ==, 4);
  g_assert_cmpuint (r.n_fired_signals, ==, 4);
  g_assert_false (gtasklet_wait_condition_is_armed (r.timeout));
  g_assert_false (gtasklet_wait_condition_is_armed (r.other));

  g_object_unref (r.timeout);
  g_object_unref (r.other);
}

typedef struct
{
  GtaskletWaitCondition *exit;
  guint                  n_events;
  int                    status_in_step[2];
} ProcessWaiter;

static gboolean
process_waiter_step (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  ProcessWaiter *p = user_data;

  if (event != NULL)
    {
      g_assert_true (event == G_OBJECT (p->exit));
      p->status_in_step[p->n_events++] =
        gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (event));
    }
  /* Waited on again once it has exited: fires again, with the same status. */
  if (p->n_events < 2)
    gtasklet_tasklet_wait (tasklet, p->exit);
  return TRUE;
}

static void
test_12_process_status_kept (void)
{
  const char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
  g_autoptr (GError) error = NULL;
  ProcessWaiter p = { NULL };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (process_waiter_step, &p, NULL);
  GPid pid = 0;
  int status;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  p.exit = gtasklet_wait_for_process_new (pid);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);

  g_assert_cmpuint (p.n_events, ==, 2);
  g_assert_true (WIFEXITED (p.status_in_step[0]));
  g_assert_cmpint (WEXITSTATUS (p.status_in_step[0]), ==, 3);
  g_assert_cmpint (p.status_in_step[1], ==, p.status_in_step[0]);

  /* Still readable after the steps. */
  g_assert_true (gtasklet_wait_for_process_has_exited (GTASKLET_WAIT_FOR_PROCESS (p.exit)));
  status = gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (p.exit));
  g_assert_cmpint (status, ==, p.status_in_step[0]);
  g_assert_false (g_spawn_check_wait_status (status, &error));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 3);

  g_spawn_close_pid (pid);
  g_object_unref (p.exit);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/seed-defects/08-ring-without-recursion",
                   test_08_ring_without_recursion);
  g_test_add_func ("/gtasklet/seed-defects/09-send-to-running-parent",
                   test_09_send_to_running_parent);
  g_test_add_func ("/gtasklet/seed-defects/10-error-finishes-tasklet",
                   test_10_error_finishes_tasklet);
  g_test_add_func ("/gtasklet/seed-defects/11-shared-names-survive-disarm",
                   test_11_shared_names_survive_disarm);
  g_test_add_func ("/gtasklet/seed-defects/12-finished-state", test_12_finished_state);
  g_test_add_func ("/gtasklet/seed-defects/12-timeout-restart-in-step",
                   test_12_timeout_restart_in_step);
  g_test_add_func ("/gtasklet/seed-defects/12-process-status-kept", test_12_process_status_kept);

  return g_test_run ();
}

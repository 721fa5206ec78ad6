/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tasklets at scale: a ring of 100,000 tasklets and a ping-pong of 10,000,000 messages run in
 * constant stack and memory (GTASKLET_TEST_SCALE_DOWN divides both, for valgrind), and 20,000
 * messages sent from another thread arrive in order on the receiver's thread. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test-util.h"

/* Scale: constant stack and memory */

static guint
test_scale (void)
{
  const char *s = g_getenv ("GTASKLET_TEST_SCALE_DOWN");

  return s != NULL ? MAX (1, atoi (s)) : 1;
}

static gsize
current_rss_bytes (void)
{
  g_autofree char *contents = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL))
    return 0;
  if (sscanf (contents, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

typedef struct
{
  GtaskletTasklet       *next;
  GtaskletWaitCondition *inbox;
  guint                  hops_left;     /* only for the first */
  guintptr              *stack_low;
  guintptr              *stack_high;
  guint                 *total_hops;
} RingNode;

static gboolean
ring_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  RingNode *node = user_data;
  guintptr here = (guintptr) &node;

  *node->stack_low = MIN (*node->stack_low, here);
  *node->stack_high = MAX (*node->stack_high, here);

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      int hops = g_value_get_int (gtasklet_message_get_value (m));

      (*node->total_hops)++;
      if (hops > 0)
        test_send_int (node->next, "token", hops - 1);
      else
        {
          /* The last hop tells everybody to stop. */
          return TRUE;
        }
    }
  gtasklet_tasklet_wait (tasklet, node->inbox);
  return TRUE;
}

static void
test_ring_constant_stack (void)
{
  static const char * const accept[] = { "token", NULL };
  guint n = 100000 / test_scale ();
  RingNode *nodes = g_new0 (RingNode, n);
  GtaskletTasklet **tasklets = g_new0 (GtaskletTasklet *, n);
  guintptr low = G_MAXSIZE, high = 0;
  guint total_hops = 0;

  for (guint i = 0; i < n; i++)
    {
      nodes[i].inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);
      nodes[i].stack_low = &low;
      nodes[i].stack_high = &high;
      nodes[i].total_hops = &total_hops;
      tasklets[i] = gtasklet_tasklet_new (ring_step, &nodes[i], NULL);
    }
  for (guint i = 0; i < n; i++)
    {
      nodes[i].next = tasklets[(i + 1) % n];
      gtasklet_tasklet_start (tasklets[i]);
    }

  /* The token goes once around the ring plus one hop: n + 1 deliveries. */
  test_send_int (tasklets[0], "token", n);
  while (total_hops < n + 1)
    g_main_context_iteration (NULL, TRUE);

  /* Every step ran at about the same depth: delivery never recursed. */
  g_assert_cmpuint (high - low, <, 4096);

  for (guint i = 0; i < n; i++)
    {
      /* All but the one that took the last hop still wait: send them a token of 0. */
      test_send_int (tasklets[i], "token", 0);
    }
  test_drain ();
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (gtasklet_tasklet_get_state (tasklets[i]), ==, GTASKLET_STATE_FINISHED);
      g_object_unref (tasklets[i]);
      g_object_unref (nodes[i].inbox);
    }
  g_free (tasklets);
  g_free (nodes);
}

typedef struct
{
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *inbox;
  guint                  received;
  guint                  limit;
  guintptr               stack_low;
  guintptr               stack_high;
  gsize                  rss_at_tenth;
} Player;

static gboolean
player_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Player *p = user_data;
  guintptr here = (guintptr) &p;

  p->stack_low = MIN (p->stack_low, here);
  p->stack_high = MAX (p->stack_high, here);

  if (event != NULL)
    {
      const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));
      guint n = g_value_get_uint (value);
      g_auto (GValue) v = G_VALUE_INIT;

      p->received++;
      if (p->received == p->limit / 10)
        p->rss_at_tenth = current_rss_bytes ();
      if (n >= p->limit)
        return TRUE;
      g_value_init (&v, G_TYPE_UINT);
      g_value_set_uint (&v, n + 1);
      gtasklet_tasklet_send (p->peer, "ball", &v);
      if (n + 1 >= p->limit)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, p->inbox);
  return TRUE;
}

static void
test_pingpong_constant_memory (void)
{
  static const char * const accept[] = { "ball", NULL };
  guint limit = 10000000 / test_scale ();
  Player a = { NULL, gtasklet_wait_for_messages_new (accept, NULL, NULL), 0, limit, G_MAXSIZE, 0, 0 };
  Player b = { NULL, gtasklet_wait_for_messages_new (accept, NULL, NULL), 0, limit, G_MAXSIZE, 0, 0 };
  g_autoptr (GtaskletTasklet) ta = gtasklet_tasklet_new (player_step, &a, NULL);
  g_autoptr (GtaskletTasklet) tb = gtasklet_tasklet_new (player_step, &b, NULL);
  g_auto (GValue) v = G_VALUE_INIT;
  gsize rss_end;

  a.peer = tb;
  b.peer = ta;
  gtasklet_tasklet_start (ta);
  gtasklet_tasklet_start (tb);

  g_value_init (&v, G_TYPE_UINT);
  g_value_set_uint (&v, 1);
  gtasklet_tasklet_send (tb, "ball", &v);
  test_wait_finished (ta, 120000);
  test_wait_finished (tb, 120000);
  rss_end = current_rss_bytes ();

  g_assert_cmpuint (a.received + b.received, ==, limit);
  g_assert_cmpuint (a.stack_high - a.stack_low, <, 4096);
  /* Nothing accumulates per message: memory after all messages is what it was after a tenth. */
  if (test_scale () == 1)
    g_assert_cmpuint (rss_end, <, MAX (a.rss_at_tenth, b.rss_at_tenth) + 1024 * 1024);

  g_object_unref (a.inbox);
  g_object_unref (b.inbox);
}

/* Two threads, each with its own context and tasklet, exchange numbered messages. */
typedef struct
{
  GtaskletTasklet       *self;
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *inbox;
  GThread               *expected_thread;
  guint                  next_expected;
  guint                  limit;
  gboolean               wrong_thread;
  gboolean               out_of_order;
} Remote;

static gboolean
remote_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Remote *r = user_data;

  if (g_thread_self () != r->expected_thread)
    r->wrong_thread = TRUE;

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      guint n = g_value_get_uint (gtasklet_message_get_value (m));

      if (n != r->next_expected || gtasklet_message_get_sender (m) != r->peer)
        r->out_of_order = TRUE;
      r->next_expected = n + 1;
      if (n + 1 >= r->limit)
        return TRUE;
    }
  gtasklet_tasklet_wait (tasklet, r->inbox);
  return TRUE;
}

typedef struct
{
  Remote        *remote;
  GMainContext  *context;
  GMutex         lock;
  GCond          cond;
  gboolean       started;
} RemoteThread;

static gpointer
remote_thread_func (gpointer data)
{
  RemoteThread *rt = data;
  Remote *r = rt->remote;

  g_main_context_push_thread_default (rt->context);
  r->expected_thread = g_thread_self ();
  r->self = gtasklet_tasklet_new (remote_step, r, NULL);
  gtasklet_tasklet_start (r->self);

  g_mutex_lock (&rt->lock);
  rt->started = TRUE;
  g_cond_signal (&rt->cond);
  g_mutex_unlock (&rt->lock);

  while (gtasklet_tasklet_get_state (r->self) != GTASKLET_STATE_FINISHED)
    g_main_context_iteration (rt->context, TRUE);

  g_main_context_pop_thread_default (rt->context);
  return NULL;
}

static void
test_messages_across_threads (void)
{
  static const char * const accept[] = { "n", NULL };
  guint limit = 20000 / test_scale ();
  Remote far = { NULL, NULL, gtasklet_wait_for_messages_new (accept, NULL, NULL), NULL, 0, limit };
  RemoteThread rt = { &far, g_main_context_new () };
  GThread *thread;
  g_auto (GValue) v = G_VALUE_INIT;

  g_mutex_init (&rt.lock);
  g_cond_init (&rt.cond);
  thread = g_thread_new ("remote", remote_thread_func, &rt);
  g_mutex_lock (&rt.lock);
  while (!rt.started)
    g_cond_wait (&rt.cond, &rt.lock);
  g_mutex_unlock (&rt.lock);

  /* From this thread (outside any step, so the sender is NULL): every message must cross to
   * the other thread's context and arrive there, in order. */
  far.peer = NULL;
  g_value_init (&v, G_TYPE_UINT);
  for (guint i = 0; i < limit; i++)
    {
      g_value_set_uint (&v, i);
      g_assert_true (gtasklet_tasklet_send (far.self, "n", &v));
    }

  g_thread_join (thread);
  g_assert_false (far.wrong_thread);
  g_assert_false (far.out_of_order);
  g_assert_cmpuint (far.next_expected, ==, limit);
  g_assert_cmpint (gtasklet_tasklet_get_state (far.self), ==, GTASKLET_STATE_FINISHED);
  g_assert_false (gtasklet_tasklet_send (far.self, "n", &v));

  g_object_unref (far.self);
  g_object_unref (far.inbox);
  g_main_context_unref (rt.context);
  g_mutex_clear (&rt.lock);
  g_cond_clear (&rt.cond);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/tasklet/ring-constant-stack", test_ring_constant_stack);
  g_test_add_func ("/gtasklet/tasklet/pingpong-constant-memory", test_pingpong_constant_memory);
  g_test_add_func ("/gtasklet/tasklet/messages-across-threads", test_messages_across_threads);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletPool, rule by rule from the contract's "Threads and the worker pool": workers are
 * threads iterating contexts of their own; pool_start places a tasklet on the least loaded
 * one and its first step runs there after pool_start returned; it stays there until it
 * finishes; wait conditions work on workers; a pool lives while a tasklet placed on it is
 * unfinished, and then its threads end. Every wait has a deadline; nothing sleeps. */
#include <glib/gstdio.h>

#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static GThread *main_thread;

/* Sizes */

static void
test_sizes (void)
{
  g_autoptr (GtaskletPool) two = gtasklet_pool_new (2);
  g_autoptr (GtaskletPool) automatic = gtasklet_pool_new (0);
  guint n_workers = 0;

  g_assert_cmpuint (gtasklet_pool_get_n_workers (two), ==, 2);
  g_assert_cmpuint (gtasklet_pool_get_n_workers (automatic), ==, g_get_num_processors ());
  g_object_get (two, "n-workers", &n_workers, NULL);
  g_assert_cmpuint (n_workers, ==, 2);

  g_assert_true (gtasklet_pool_get_default () == gtasklet_pool_get_default ());
  g_assert_cmpuint (gtasklet_pool_get_n_workers (gtasklet_pool_get_default ()), ==,
                    g_get_num_processors ());
}

/* Where steps run */

typedef struct
{
  GtaskletWaitCondition *timeout;
  TestLatch              returned;           /* advanced once pool_start has returned */
  GThread               *threads[4];         /* the thread of each step */
  GMainContext          *contexts[4];        /* its thread-default context */
  guint                  n_steps;
  int                    done;               /* atomic */
} Placed;

static gboolean
placed_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Placed *p = user_data;

  /* The first step waits for pool_start to return: had pool_start run it, or waited for
   * it, this would never end. */
  if (p->n_steps == 0)
    test_latch_wait (&p->returned, 1, DEADLINE_MS);
  p->threads[p->n_steps] = g_thread_self ();
  p->contexts[p->n_steps] = g_main_context_get_thread_default ();
  if (++p->n_steps < G_N_ELEMENTS (p->threads))
    {
      /* A timeout, then a message, then the timeout again: each wakes it on its worker. */
      if (p->n_steps == 2)
        gtasklet_tasklet_receive (tasklet, (const char *[]) { "go", NULL }, NULL, NULL);
      else
        gtasklet_tasklet_wait (tasklet, p->timeout);
      if (p->n_steps == 2)
        g_assert_true (gtasklet_tasklet_send (tasklet, "go", NULL));
      return TRUE;
    }
  g_atomic_int_set (&p->done, TRUE);
  return TRUE;
}

static void
test_first_step_after_start_on_worker (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  Placed p = { gtasklet_wait_for_timeout_new (1) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (placed_step, &p, NULL);

  test_latch_init (&p.returned);
  gtasklet_pool_start (pool, t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), !=, GTASKLET_STATE_NEW);
  test_latch_advance (&p.returned, 1);

  test_wait_finished_anywhere (t, DEADLINE_MS);
  g_assert_true (g_atomic_int_get (&p.done));
  g_assert_no_error (gtasklet_tasklet_get_error (t));
  for (guint i = 0; i < G_N_ELEMENTS (p.threads); i++)
    {
      g_assert_true (p.threads[i] != main_thread);
      g_assert_true (p.threads[i] == p.threads[0]);
      g_assert_true (p.contexts[i] == p.contexts[0]);
      g_assert_true (p.contexts[i] != g_main_context_default ());
    }
  g_object_unref (p.timeout);
  test_latch_clear (&p.returned);
}

/* Placement: each tasklet goes to the least loaded worker. */

typedef struct
{
  GMutex   mutex;
  GArray  *threads;   /* the worker of each tasklet's first step */
} Spread;

static gboolean
spread_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Spread *s = user_data;
  GThread *self = g_thread_self ();

  if (event != NULL)
    return TRUE;
  g_mutex_lock (&s->mutex);
  g_array_append_val (s->threads, self);
  g_mutex_unlock (&s->mutex);
  gtasklet_tasklet_receive (tasklet, (const char *[]) { "quit", NULL }, NULL, NULL);
  return TRUE;
}

static guint
spread_count (Spread *s)
{
  guint n;

  g_mutex_lock (&s->mutex);
  n = s->threads->len;
  g_mutex_unlock (&s->mutex);
  return n;
}

static void
test_least_loaded (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (3);
  Spread s = { 0 };
  GtaskletTasklet *tasklets[12];
  GHashTable *per_thread = g_hash_table_new (NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  g_mutex_init (&s.mutex);
  s.threads = g_array_new (FALSE, FALSE, sizeof (GThread *));
  for (guint i = 0; i < G_N_ELEMENTS (tasklets); i++)
    {
      tasklets[i] = gtasklet_tasklet_new (spread_step, &s, NULL);
      gtasklet_pool_start (pool, tasklets[i]);
    }
  while (spread_count (&s) < G_N_ELEMENTS (tasklets))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_thread_yield ();
    }

  /* All twelve still wait: four on each of the three workers. */
  for (guint i = 0; i < s.threads->len; i++)
    {
      gpointer thread = g_array_index (s.threads, GThread *, i);

      g_assert_true (thread != main_thread);
      g_hash_table_insert (per_thread, thread,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_thread,
                                                                                    thread)) + 1));
    }
  g_assert_cmpuint (g_hash_table_size (per_thread), ==, 3);
  {
    GHashTableIter iter;
    gpointer count;

    g_hash_table_iter_init (&iter, per_thread);
    while (g_hash_table_iter_next (&iter, NULL, &count))
      g_assert_cmpuint (GPOINTER_TO_UINT (count), ==, 4);
  }

  for (guint i = 0; i < G_N_ELEMENTS (tasklets); i++)
    {
      g_assert_true (gtasklet_tasklet_send (tasklets[i], "quit", NULL));
      test_wait_finished_anywhere (tasklets[i], DEADLINE_MS);
      g_object_unref (tasklets[i]);
    }
  g_hash_table_unref (per_thread);
  g_array_unref (s.threads);
  g_mutex_clear (&s.mutex);
}

/* Joining a pool tasklet from the main context, and messages between the two. */

static gboolean
echo_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  static const char * const names[] = { "ping", "quit", NULL };

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);

      if (g_str_equal (gtasklet_message_get_name (m), "quit"))
        {
          gtasklet_tasklet_return_value (tasklet, gtasklet_message_get_value (m));
          return TRUE;
        }
      /* Answer with the same value: the main side checks the order. */
      gtasklet_tasklet_send (gtasklet_message_get_sender (m), "pong",
                             gtasklet_message_get_value (m));
    }
  gtasklet_tasklet_receive (tasklet, names, NULL, NULL);
  return TRUE;
}

typedef struct
{
  GtaskletTasklet *echo;
  guint            n;
  guint            sent;
  guint            received;
  gboolean         out_of_order;
} PingMain;

static gboolean
ping_main_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  PingMain *p = user_data;

  g_assert_true (g_thread_self () == main_thread);
  if (event != NULL)
    {
      int value = g_value_get_int (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));

      if (value != (int) p->received)
        p->out_of_order = TRUE;
      p->received++;
    }
  if (p->received == p->n)
    {
      test_send_int (p->echo, "quit", (int) p->n);
      return TRUE;
    }
  /* Keep a window of messages in flight. */
  while (p->sent < p->n && p->sent < p->received + 64)
    test_send_int (p->echo, "ping", (int) p->sent++);
  gtasklet_tasklet_receive (tasklet, (const char *[]) { "pong", NULL }, NULL, NULL);
  return TRUE;
}

typedef struct
{
  gboolean done;
  int      value;
} Joined;

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Joined *j = user_data;
  g_autoptr (GError) error = NULL;
  const GValue *value;

  g_assert_true (g_thread_self () == main_thread);
  value = gtasklet_tasklet_join_finish (GTASKLET_TASKLET (source), result, &error);
  g_assert_no_error (error);
  j->value = g_value_get_int (value);
  j->done = TRUE;
}

static void
test_messages_and_join_across (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (2);
  PingMain p = { .n = test_scaled (100000) };
  g_autoptr (GtaskletTasklet) main_side = NULL;
  Joined joined = { 0 };

  p.echo = gtasklet_tasklet_new (echo_step, NULL, NULL);
  gtasklet_pool_start (pool, p.echo);
  gtasklet_tasklet_join_async (p.echo, NULL, on_joined, &joined);
  main_side = gtasklet_tasklet_new (ping_main_step, &p, NULL);
  gtasklet_tasklet_start (main_side);

  test_wait_finished (main_side, DEADLINE_MS);
  test_wait_until (joined.done, DEADLINE_MS);
  g_assert_cmpuint (p.received, ==, p.n);
  g_assert_false (p.out_of_order);
  g_assert_cmpint (joined.value, ==, (int) p.n);
  g_assert_cmpint (gtasklet_tasklet_get_state (p.echo), ==, GTASKLET_STATE_FINISHED);
  g_object_unref (p.echo);
}

/* Cancelling a pool tasklet from the main thread. */

static void
test_cancel_from_main (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (echo_step, NULL, NULL);

  gtasklet_pool_start (pool, t);
  gtasklet_tasklet_cancel (t);
  test_wait_finished_anywhere (t, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A pool is kept while a tasklet placed on it is unfinished; then its threads end. */

static void
test_kept_while_placed (void)
{
  guint threads_before = test_count_threads_settled ();
  GtaskletPool *pool = gtasklet_pool_new (2);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (echo_step, NULL, NULL);
  int finalized = FALSE;

  test_wait_for_thread_count (threads_before + 2, DEADLINE_MS);
  g_object_weak_ref (G_OBJECT (pool), test_weak_notify_atomic, &finalized);
  gtasklet_pool_start (pool, t);
  g_object_unref (pool);
  /* Still running: the tasklet keeps it. */
  test_drain ();
  g_assert_false (g_atomic_int_get (&finalized));

  /* Its last step drops the pool, on the worker itself; both threads then end. */
  g_assert_true (test_send_int (t, "quit", 7));
  test_wait_finished_anywhere (t, DEADLINE_MS);
  test_wait_atomic (&finalized, DEADLINE_MS);
  test_wait_for_thread_count (threads_before, DEADLINE_MS);
}

/* A pool dropped at once while the tasklets on it message each other: every message is
 * delivered, then the pool goes and leaves no thread behind. */

typedef struct
{
  GtaskletTasklet *peer;
  guint            n;          /* balls to receive */
  gboolean         serves;
  int              next;       /* the number of the next ball it should get */
  guint            received;   /* this tasklet's worker only; read after the finish */
} Volley;

/* Balls are numbered; each receiver sends the next number back until 2n balls have gone. */
static gboolean
volley_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Volley *v = user_data;

  if (event == NULL)
    {
      if (v->serves)
        test_send_int (v->peer, "ball", 0);
    }
  else
    {
      int ball = g_value_get_int (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));

      g_assert_cmpint (ball, ==, v->next);
      v->next += 2;
      v->received++;
      if ((guint) ball + 1 < 2 * v->n)
        test_send_int (v->peer, "ball", ball + 1);
      if (v->received == v->n)
        return TRUE;
    }
  gtasklet_tasklet_receive (tasklet, (const char *[]) { "ball", NULL }, NULL, NULL);
  return TRUE;
}

static void
test_dropped_while_busy (void)
{
  guint threads_before = test_count_threads_settled ();
  guint rounds = test_scaled (20);

  for (guint round = 0; round < rounds; round++)
    {
      GtaskletPool *pool = gtasklet_pool_new (2);
      Volley a = { .n = 1000, .serves = TRUE, .next = 1 };
      Volley b = { .n = 1000, .next = 0 };
      GtaskletTasklet *ta = gtasklet_tasklet_new (volley_step, &a, NULL);
      GtaskletTasklet *tb = gtasklet_tasklet_new (volley_step, &b, NULL);
      int finalized = FALSE;

      a.peer = tb;
      b.peer = ta;
      g_object_weak_ref (G_OBJECT (pool), test_weak_notify_atomic, &finalized);
      gtasklet_pool_start (pool, ta);
      gtasklet_pool_start (pool, tb);
      g_object_unref (pool);

      test_wait_finished_anywhere (ta, DEADLINE_MS);
      test_wait_finished_anywhere (tb, DEADLINE_MS);
      test_wait_atomic (&finalized, DEADLINE_MS);
      g_assert_cmpuint (a.received, ==, a.n);
      g_assert_cmpuint (b.received, ==, b.n);
      g_assert_no_error (gtasklet_tasklet_get_error (ta));
      g_assert_no_error (gtasklet_tasklet_get_error (tb));
      g_object_unref (ta);
      g_object_unref (tb);
    }
  test_wait_for_thread_count (threads_before, DEADLINE_MS);
}

/* Starting twice is a programmer error: a critical, and nothing else changes. */

static void
test_start_twice (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (echo_step, NULL, NULL);
  int finalized = FALSE;

  gtasklet_pool_start (pool, t);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*which has already been started");
  gtasklet_pool_start (pool, t);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*which has already been started");
  gtasklet_tasklet_start (t);
  g_test_assert_expected_messages ();

  g_object_weak_ref (G_OBJECT (pool), test_weak_notify_atomic, &finalized);
  g_assert_true (test_send_int (t, "quit", 3));
  test_wait_finished_anywhere (t, DEADLINE_MS);
  g_assert_no_error (gtasklet_tasklet_get_error (t));
  /* The refused start kept no reference on the pool. */
  g_clear_object (&pool);
  test_wait_atomic (&finalized, DEADLINE_MS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/gtasklet/pool/sizes", test_sizes);
  g_test_add_func ("/gtasklet/pool/first-step-after-start-on-worker",
                   test_first_step_after_start_on_worker);
  g_test_add_func ("/gtasklet/pool/least-loaded", test_least_loaded);
  g_test_add_func ("/gtasklet/pool/messages-and-join-across", test_messages_and_join_across);
  g_test_add_func ("/gtasklet/pool/cancel-from-main", test_cancel_from_main);
  g_test_add_func ("/gtasklet/pool/kept-while-placed", test_kept_while_placed);
  g_test_add_func ("/gtasklet/pool/dropped-while-busy", test_dropped_while_busy);
  g_test_add_func ("/gtasklet/pool/start-twice", test_start_twice);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletNode between two nodes of this process on a peer-to-peer connection: handles,
 * messages both ways with the sender's handle, order, ends (result, error, unknown name, no
 * connection), links, spawn, cancellation, values that cannot cross, file descriptors,
 * credit (a receiver that does not read), and the methods for callers that are not nodes. */
#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "node-echo.h"
#include "node-pair.h"
#include "test-thread-util.h"
#include "test-util.h"

/* Round trips of the ping-pong test (scaled down under valgrind, never below 50). */
#define ECHO_ROUNDS MAX (50, (int) test_scaled (1000))

static void
test_ping_pong (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) remote = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gtasklet_node_export (pair->b, "echo", echo, &error));
  g_assert_no_error (error);
  g_assert_false (gtasklet_node_export (pair->b, "echo", echo, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);

  remote = gtasklet_node_lookup (pair->a, NULL, "echo");
  g_assert_true (gtasklet_node_is_remote (pair->a, remote));
  g_assert_false (gtasklet_node_is_remote (pair->b, remote));
  g_assert_false (gtasklet_node_is_remote (pair->a, echo));
  node_ping_pong (remote, ECHO_ROUNDS, 100000);

  /* The remote end: its result crosses. */
  gtasklet_tasklet_send (remote, "stop", NULL);
  test_wait_finished (remote, 5000);
  g_assert_no_error (gtasklet_tasklet_get_error (remote));
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (remote)), ==, 42);
}

static void
test_unknown_name (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) handle = gtasklet_node_lookup (pair->a, NULL, "nobody");

  test_wait_finished (handle, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle), GTASKLET_ERROR,
                  GTASKLET_ERROR_UNKNOWN_TASKLET);
  g_assert_nonnull (strstr (gtasklet_tasklet_get_error (handle)->message, "nobody"));
}

static void
test_remote_failure (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) handle = NULL;

  g_assert_true (gtasklet_node_export (pair->b, "echo", echo, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "echo");
  gtasklet_tasklet_send (handle, "fail", NULL);
  test_wait_finished (handle, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle), G_IO_ERROR,
                  G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpstr (gtasklet_tasklet_get_error (handle)->message, ==, "asked to fail");
  g_assert_error ((GError *) gtasklet_tasklet_get_error (echo), G_IO_ERROR,
                  G_IO_ERROR_BROKEN_PIPE);
}

/* Counts messages, checking their order; finishes on "stop" with the count. */
static gboolean
counter_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  int *count = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);

      if (g_str_equal (gtasklet_message_get_name (message), "stop"))
        {
          gtasklet_tasklet_return_int (tasklet, *count);
          return TRUE;
        }
      if (gtasklet_message_get_int (message) != *count)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "message %d came as number %d",
                       gtasklet_message_get_int (message), *count);
          return FALSE;
        }
      (*count)++;
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("*"), NULL, NULL);
  return TRUE;
}

static void
test_order (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  int count = 0;
  g_autoptr(GtaskletTasklet) counter = gtasklet_tasklet_new ((GtaskletRunFunc) counter_step, &count, NULL);
  g_autoptr(GtaskletTasklet) handle = NULL;
  int n = test_scaled (20000);

  gtasklet_tasklet_start (counter);
  g_assert_true (gtasklet_node_export (pair->b, "counter", counter, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "counter");
  for (int i = 0; i < n; i++)
    g_assert_true (gtasklet_tasklet_send_int (handle, "n", i));
  gtasklet_tasklet_send (handle, "stop", NULL);
  test_wait_finished (handle, 100000);
  g_assert_no_error (gtasklet_tasklet_get_error (handle));
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (handle)), ==, n);
}

/* A receiver that reads nothing until its own process wakes it, then counts 20,000. */
static gboolean
sleeper_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  int *count = user_data;

  if (event != NULL && GTASKLET_IS_MESSAGE (event) &&
      g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "n"))
    {
      g_assert_cmpint (gtasklet_message_get_int (GTASKLET_MESSAGE (event)), ==, *count);
      if (++(*count) == 20000)
        {
          gtasklet_tasklet_return_int (tasklet, *count);
          return TRUE;
        }
    }
  if (event == NULL)
    gtasklet_tasklet_receive (tasklet, TEST_NAMES ("wake"), NULL, NULL);
  else
    gtasklet_tasklet_receive (tasklet, TEST_NAMES ("n"), NULL, NULL);
  return TRUE;
}

/* Iterates until @receiver has @n messages waiting (the test fails after 100 s). */
static void
wait_for_backlog (GtaskletTasklet *receiver,
                  guint            n)
{
  gint64 deadline = g_get_monotonic_time () + 100 * G_TIME_SPAN_SECOND;

  while (gtasklet_tasklet_get_n_pending_messages (receiver) < n &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (receiver), >=, n);
}

static void
test_credit (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  int count = 0;
  g_autoptr(GtaskletTasklet) sleeper = gtasklet_tasklet_new ((GtaskletRunFunc) sleeper_step, &count, NULL);
  g_autoptr(GtaskletTasklet) handle = NULL;
  gint64 deadline;

  gtasklet_tasklet_start (sleeper);
  g_assert_true (gtasklet_node_export (pair->b, "sleeper", sleeper, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "sleeper");
  for (int i = 0; i < 20000; i++)
    gtasklet_tasklet_send_int (handle, "n", i);

  /* The receiver's backlog grows to its window (1,024) and stops below twice that: the
   * sender has at most a window of items unanswered, and the receiver answers only while the
   * backlog is under its window. The other 16,000 wait in the sender. */
  wait_for_backlog (sleeper, 1024);
  deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (sleeper), <, 2 * 1024);
    }
  g_test_message ("%u messages wait in the receiver", gtasklet_tasklet_get_n_pending_messages (sleeper));

  gtasklet_tasklet_send (sleeper, "wake", NULL);
  test_wait_finished (handle, 30000);
  g_assert_no_error (gtasklet_tasklet_get_error (handle));
  g_assert_cmpint (count, ==, 20000);
}

/* The sender goes while the receiver holds a Deliver() of it unanswered (its tasklet had no
 * room): the call is answered with the error, no critical, and the receiver goes on. */
static void
test_lost_while_deferred (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  int count = 0;
  g_autoptr(GtaskletTasklet) sleeper = gtasklet_tasklet_new ((GtaskletRunFunc) sleeper_step, &count, NULL);
  g_autoptr(GtaskletTasklet) handle = NULL;
  gint64 deadline;

  gtasklet_tasklet_start (sleeper);
  g_assert_true (gtasklet_node_export (pair->b, "sleeper", sleeper, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "sleeper");
  for (int i = 0; i < 4096; i++)
    gtasklet_tasklet_send_int (handle, "n", i);

  /* A backlog at the window: the batch that filled it is waiting for room. */
  wait_for_backlog (sleeper, 1024);

  g_dbus_connection_close_sync (pair->a_connection, NULL, NULL);
  test_wait_finished (handle, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle), GTASKLET_ERROR,
                  GTASKLET_ERROR_NO_CONNECTION);
  /* The receiver goes on: woken, it reads what had arrived, in order. */
  gtasklet_tasklet_send (sleeper, "wake", NULL);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (count < 1024 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (count, >=, 1024);
  g_assert_cmpint (gtasklet_tasklet_get_state (sleeper), !=, GTASKLET_STATE_FINISHED);
  gtasklet_tasklet_cancel (sleeper);
  test_wait_finished (sleeper, 5000);
}

static gboolean
pointer_sender_step (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  g_assert_false (gtasklet_tasklet_send_pointer (user_data, "pointer", g_strdup ("x"), g_free));
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("never"), NULL, NULL);
  return TRUE;
}

static void
test_not_serializable (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) handle = NULL;
  g_autoptr(GtaskletTasklet) sender = NULL;

  g_assert_true (gtasklet_node_export (pair->b, "echo", echo, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "echo");
  sender = gtasklet_tasklet_new ((GtaskletRunFunc) pointer_sender_step, handle, NULL);
  gtasklet_tasklet_start (sender);
  test_wait_finished (sender, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (sender), GTASKLET_ERROR,
                  GTASKLET_ERROR_NOT_SERIALIZABLE);
  g_test_message ("%s", gtasklet_tasklet_get_error (sender)->message);
  g_assert_nonnull (strstr (gtasklet_tasklet_get_error (sender)->message, "pointer"));
  gtasklet_tasklet_send (echo, "stop", NULL);
  test_wait_finished (echo, 5000);
}

static void
test_close (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) handle = NULL;
  gint64 start;

  g_assert_true (gtasklet_node_export (pair->b, "echo", echo, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "echo");
  gtasklet_tasklet_send_int (handle, "ping", 0);
  test_drain ();

  start = g_get_monotonic_time ();
  g_dbus_connection_close_sync (pair->b_connection, NULL, NULL);
  test_wait_finished (handle, 5000);
  g_test_message ("the handle ended %.1f ms after the connection closed",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle), GTASKLET_ERROR,
                  GTASKLET_ERROR_NO_CONNECTION);
  gtasklet_tasklet_send (echo, "stop", NULL);
  test_wait_finished (echo, 5000);
}

static GtaskletTasklet *
echo_factory (GVariant  *args,
              gpointer   user_data,
              GError   **error)
{
  int *made = user_data;

  if (args != NULL && g_variant_is_of_type (args, G_VARIANT_TYPE_STRING) &&
      g_str_equal (g_variant_get_string (args, NULL), "refuse"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "refused");
      return NULL;
    }
  (*made)++;
  return node_echo_start ();
}

static void
test_spawn (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) worker = NULL;
  g_autoptr(GtaskletTasklet) refused = NULL;
  g_autoptr(GtaskletTasklet) missing = NULL;
  int made = 0;

  gtasklet_node_add_factory (pair->b, "echo", echo_factory, &made, NULL);
  worker = gtasklet_node_spawn (pair->a, NULL, "echo", NULL);
  refused = gtasklet_node_spawn (pair->a, NULL, "echo", g_variant_new_string ("refuse"));
  missing = gtasklet_node_spawn (pair->a, NULL, "nothing", NULL);
  test_wait_finished (refused, 5000);
  test_wait_finished (missing, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (refused), G_IO_ERROR,
                  G_IO_ERROR_PERMISSION_DENIED);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (missing), GTASKLET_ERROR,
                  GTASKLET_ERROR_UNKNOWN_TASKLET);
  g_assert_cmpint (made, ==, 1);

  /* Cancelling the handle cancels the tasklet, and the handle ends with its outcome. */
  gtasklet_tasklet_cancel (worker);
  test_wait_finished (worker, 5000);
  test_assert_cancelled (worker);
}

/* Links: a local tasklet linked to a handle fails when the remote one does; a remote tasklet
 * that a local one linked itself to (through the handle) fails when the local one does. */
static gboolean
linker_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  GtaskletTasklet *handle = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_link (tasklet, handle);
      gtasklet_tasklet_receive (tasklet, TEST_NAMES ("fail"), NULL, NULL);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "linker failed");
  return FALSE;
}

static void
test_links (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) echo2 = node_echo_start ();
  g_autoptr(GtaskletTasklet) handle = NULL;
  g_autoptr(GtaskletTasklet) handle2 = NULL;
  g_autoptr(GtaskletTasklet) linker = NULL;
  g_autoptr(GtaskletTasklet) linker2 = NULL;

  g_assert_true (gtasklet_node_export (pair->b, "echo", echo, NULL));
  g_assert_true (gtasklet_node_export (pair->b, "echo2", echo2, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "echo");
  handle2 = gtasklet_node_lookup (pair->a, NULL, "echo2");

  /* Remote fails → the local linker fails. */
  linker = gtasklet_tasklet_new ((GtaskletRunFunc) linker_step, handle, NULL);
  gtasklet_tasklet_start (linker);
  test_drain ();
  gtasklet_tasklet_send (handle, "fail", NULL);
  test_wait_finished (linker, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (linker), GTASKLET_ERROR,
                  GTASKLET_ERROR_LINKED);

  /* Local fails → the remote tasklet fails, and so its handle ends. */
  linker2 = gtasklet_tasklet_new ((GtaskletRunFunc) linker_step, handle2, NULL);
  gtasklet_tasklet_start (linker2);
  test_drain ();
  gtasklet_tasklet_send (linker2, "fail", NULL);
  test_wait_finished (handle2, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (echo2), GTASKLET_ERROR,
                  GTASKLET_ERROR_LINKED);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle2), GTASKLET_ERROR,
                  GTASKLET_ERROR_LINKED);
}

/* Senders on worker threads: each one's messages arrive in its order, none lost. */
#define N_THREAD_SENDERS 4

typedef struct
{
  GtaskletTasklet *handle;
  int              index;
  int              count;
} ThreadSender;

static gboolean
thread_sender_step (GtaskletTasklet  *tasklet,
                    GObject          *event,
                    gpointer          user_data,
                    GError          **error)
{
  ThreadSender *sender = user_data;

  for (int i = 0; i < sender->count; i++)
    gtasklet_tasklet_send_int (sender->handle, "n", sender->index * 1000000 + i);
  return TRUE;
}

static gboolean
sorter_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  int *next = user_data;

  if (event != NULL && GTASKLET_IS_MESSAGE (event))
    {
      int value = gtasklet_message_get_int (GTASKLET_MESSAGE (event));
      int index = value / 1000000;

      if (value % 1000000 != next[index])
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "sender %d: %d came as number %d",
                       index, value % 1000000, next[index]);
          return FALSE;
        }
      next[index]++;
      next[N_THREAD_SENDERS]++;
      if (next[N_THREAD_SENDERS] == next[N_THREAD_SENDERS + 1])
        {
          gtasklet_tasklet_return_int (tasklet, next[N_THREAD_SENDERS]);
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("n"), NULL, NULL);
  return TRUE;
}

static void
test_thread_senders (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletPool) pool = gtasklet_pool_new (2);
  int per_sender = test_scaled (5000);
  int next[N_THREAD_SENDERS + 2] = { 0 };
  g_autoptr(GtaskletTasklet) sorter = gtasklet_tasklet_new ((GtaskletRunFunc) sorter_step, next, NULL);
  g_autoptr(GtaskletTasklet) handle = NULL;
  ThreadSender senders[N_THREAD_SENDERS];
  GtaskletTasklet *tasklets[N_THREAD_SENDERS];

  next[N_THREAD_SENDERS + 1] = N_THREAD_SENDERS * per_sender;
  gtasklet_tasklet_start (sorter);
  g_assert_true (gtasklet_node_export (pair->b, "sorter", sorter, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "sorter");
  for (int i = 0; i < N_THREAD_SENDERS; i++)
    {
      senders[i] = (ThreadSender) { handle, i, per_sender };
      tasklets[i] = gtasklet_tasklet_new ((GtaskletRunFunc) thread_sender_step, &senders[i], NULL);
      gtasklet_pool_start (pool, tasklets[i]);
    }
  test_wait_finished (handle, 100000);
  g_assert_no_error (gtasklet_tasklet_get_error (handle));
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (handle)), ==,
                   N_THREAD_SENDERS * per_sender);
  for (int i = 0; i < N_THREAD_SENDERS; i++)
    {
      test_wait_finished (tasklets[i], 10000);
      g_object_unref (tasklets[i]);
    }
}

/* A sender that waits for room between bursts: suspended while the receiver sleeps, with
 * never more than a window and a burst queued in its process. */
typedef struct
{
  GtaskletNode    *node;
  GtaskletTasklet *handle;
  int              sent;
  guint            most_queued;
} PacedSender;

#define PACED_TOTAL 20000
#define PACED_BURST 256

static gboolean
paced_sender_step (GtaskletTasklet  *tasklet,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  PacedSender *sender = user_data;

  for (int i = 0; i < PACED_BURST && sender->sent < PACED_TOTAL; i++)
    gtasklet_tasklet_send_int (sender->handle, "n", sender->sent++);
  sender->most_queued = MAX (sender->most_queued,
                             gtasklet_node_get_queued (sender->node, sender->handle));
  if (sender->sent == PACED_TOTAL)
    return TRUE;
  {
    g_autoptr(GtaskletWaitCondition) room = gtasklet_node_wait_for_room (sender->node, sender->handle);

    gtasklet_tasklet_wait (tasklet, room);
  }
  return TRUE;
}

static void
test_room (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  int count = 0;
  g_autoptr(GtaskletTasklet) sleeper = gtasklet_tasklet_new ((GtaskletRunFunc) sleeper_step, &count, NULL);
  g_autoptr(GtaskletTasklet) paced = NULL;
  PacedSender sender = { pair->a, NULL, 0, 0 };
  g_autofree char *description = NULL;
  int sent_before;
  gint64 deadline;

  gtasklet_tasklet_start (sleeper);
  g_assert_true (gtasklet_node_export (pair->b, "sleeper", sleeper, NULL));
  sender.handle = gtasklet_node_lookup (pair->a, NULL, "sleeper");
  paced = gtasklet_tasklet_new ((GtaskletRunFunc) paced_sender_step, &sender, NULL);
  gtasklet_tasklet_start (paced);

  /* The receiver reads nothing: the sender stops, waiting for room. */
  wait_for_backlog (sleeper, 1024);
  deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  sent_before = sender.sent;
  test_drain ();
  g_assert_cmpint (sender.sent, ==, sent_before);
  g_assert_cmpint (sender.sent, <, PACED_TOTAL);
  g_assert_cmpint (gtasklet_tasklet_get_state (paced), ==, GTASKLET_STATE_SUSPENDED);
  description = gtasklet_tasklet_describe (paced);
  g_test_message ("%d sent, the sender waits: %s", sender.sent, description);
  g_assert_nonnull (strstr (description, "room to send"));
  g_assert_cmpuint (sender.most_queued, <, 1024 + PACED_BURST);

  /* Awake, it reads everything, and the sender finishes. */
  gtasklet_tasklet_send (sleeper, "wake", NULL);
  test_wait_finished (paced, 100000);
  test_wait_finished (sleeper, 100000);
  g_assert_cmpint (count, ==, PACED_TOTAL);
  g_assert_cmpuint (sender.most_queued, <, 1024 + PACED_BURST);
  g_object_unref (sender.handle);
}

/* Programmer errors are criticals that say what was wrong. */
static void
test_misuse (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) handle = gtasklet_node_lookup (pair->a, NULL, "echo");

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*GtaskletTasklet *, which is not a handle of this node*");
  g_assert_null (gtasklet_node_wait_for_room (pair->a, echo));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*not a handle of this node*");
  g_assert_cmpuint (gtasklet_node_get_queued (pair->b, handle), ==, 0);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*on a peer-to-peer connection, which has one peer: pass NULL*");
  g_assert_null (gtasklet_node_lookup (pair->a, ":1.1", "echo"));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*it is the handle of a tasklet in another process*");
  gtasklet_tasklet_start (handle);
  g_test_assert_expected_messages ();
  g_assert_cmpint (gtasklet_tasklet_get_state (handle), ==, GTASKLET_STATE_NEW);
  test_wait_finished (handle, 5000);
  gtasklet_tasklet_send (echo, "stop", NULL);
  test_wait_finished (echo, 5000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/node/ping-pong", test_ping_pong);
  g_test_add_func ("/gtasklet/node/unknown-name", test_unknown_name);
  g_test_add_func ("/gtasklet/node/remote-failure", test_remote_failure);
  g_test_add_func ("/gtasklet/node/order", test_order);
  g_test_add_func ("/gtasklet/node/credit", test_credit);
  g_test_add_func ("/gtasklet/node/room", test_room);
  g_test_add_func ("/gtasklet/node/lost-while-deferred", test_lost_while_deferred);
  g_test_add_func ("/gtasklet/node/misuse", test_misuse);
  g_test_add_func ("/gtasklet/node/not-serializable", test_not_serializable);
  g_test_add_func ("/gtasklet/node/close", test_close);
  g_test_add_func ("/gtasklet/node/spawn", test_spawn);
  g_test_add_func ("/gtasklet/node/links", test_links);
  g_test_add_func ("/gtasklet/node/thread-senders", test_thread_senders);

  return g_test_run ();
}

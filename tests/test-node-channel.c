/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The channel of a peer-to-peer node pair (gtasklet-node-channel.c): it opens after the
 * first exchange, messages with file descriptors still go by Deliver() and keep their place
 * in the order, and a channel that closes or carries garbage loses the peer (its handles
 * end with GTASKLET_ERROR_NO_CONNECTION) without harming the node. Also OpenChannel()'s
 * refusals. */
#include <gio/gunixfdlist.h>
#include <sys/socket.h>
#include <unistd.h>

#include "node-echo.h"
#include "node-pair.h"
#include "test-util.h"

#define N_MIXED 300

/* Receives "m0", "m1", … in order; every third carries a GUnixFDList with one fd. */
static gboolean
checker_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  int *next = user_data;

  if (event != NULL && GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      g_autofree char *expected = g_strdup_printf ("m%d", *next);
      const GValue *value = gtasklet_message_get_value (message);

      if (!g_str_equal (gtasklet_message_get_name (message), expected))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s came where %s was due",
                       gtasklet_message_get_name (message), expected);
          return FALSE;
        }
      if (*next % 3 == 1)
        g_assert_cmpint (g_unix_fd_list_get_length (g_value_get_object (value)), ==, 1);
      else
        g_assert_cmpint (g_value_get_int (value), ==, *next);
      if (++(*next) == N_MIXED)
        {
          gtasklet_tasklet_return_int (tasklet, *next);
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (tasklet, (const char * const[]) { "*", NULL }, NULL, NULL);
  return TRUE;
}

static void
send_mixed (GtaskletTasklet *handle,
            int              i)
{
  g_autofree char *name = g_strdup_printf ("m%d", i);
  GValue value = G_VALUE_INIT;

  if (i % 3 == 1)
    {
      g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
      int pipe_fds[2];

      g_assert_no_errno (pipe (pipe_fds));
      g_unix_fd_list_append (fds, pipe_fds[0], NULL);
      close (pipe_fds[0]);
      close (pipe_fds[1]);
      g_value_init (&value, G_TYPE_UNIX_FD_LIST);
      g_value_set_object (&value, fds);
    }
  else
    {
      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, i);
    }
  g_assert_true (gtasklet_tasklet_send (handle, name, &value));
  g_value_unset (&value);
}

/* Runs on GDBus's worker thread: holds back every Deliver() call for a while, so that a
 * batch sent on the channel just after one would overtake it if the node did not wait. */
static GDBusMessage *
slow_deliver_filter (GDBusConnection *connection,
                     GDBusMessage    *message,
                     gboolean         incoming,
                     gpointer         user_data)
{
  if (incoming && g_strcmp0 (g_dbus_message_get_member (message), "Deliver") == 0)
    g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  return message;
}

static void
test_mixed_order (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  int next = 0;
  g_autoptr(GtaskletTasklet) checker = gtasklet_tasklet_new ((GtaskletRunFunc) checker_step, &next, NULL);
  g_autoptr(GtaskletTasklet) handle = NULL;
  gint64 deadline;

  gtasklet_tasklet_start (checker);
  g_assert_true (gtasklet_node_export (pair->b, "checker", checker, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "checker");
  /* A first message, answered, opens the channel. */
  send_mixed (handle, 0);
  deadline = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  /* Then Deliver() calls (the messages with a file descriptor) are held back on their way,
   * and the rest, mixed with them in bursts, go by the channel. */
  g_dbus_connection_add_filter (pair->b_connection, slow_deliver_filter, NULL, NULL);
  for (int i = 1; i < N_MIXED; i++)
    {
      send_mixed (handle, i);
      if (i % 7 == 0)
        test_drain ();
    }
  test_wait_finished (handle, 100000);
  g_assert_no_error (gtasklet_tasklet_get_error (handle));
  g_assert_cmpint (next, ==, N_MIXED);
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} CallResult;

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CallResult *call = user_data;

  call->reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source),
                                                                 NULL, result, &call->error);
  call->done = TRUE;
}

/* A raw OpenChannel() call to node A from the other end of its connection, with @fd. Both
 * nodes run on this thread, so the call is made asynchronously and the context iterated. */
static void
open_channel (NodePair   *pair,
              int         fd,
              CallResult *call)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();

  g_unix_fd_list_append (fds, fd, NULL);
  g_dbus_connection_call_with_unix_fd_list (pair->b_connection, NULL,
                                            "/org/gnome/Gtasklet/Node1",
                                            "org.gnome.Gtasklet.Node1", "OpenChannel",
                                            g_variant_new ("(h)", 0), NULL,
                                            G_DBUS_CALL_FLAGS_NONE, 5000, fds, NULL,
                                            on_call_done, call);
  test_wait_until (call->done, 10000);
}

/* A channel that carries garbage (or closes) loses its peer: the handles on both sides end
 * with GTASKLET_ERROR_NO_CONNECTION (the broken connection is closed), and nothing crashes. */
static void
check_garbage (const void *garbage,
               gsize       size,
               gboolean    warns)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo_b = gtasklet_tasklet_new ((GtaskletRunFunc) node_echo_step, NULL, NULL);
  g_autoptr(GtaskletTasklet) echo_a = gtasklet_tasklet_new ((GtaskletRunFunc) node_echo_step, NULL, NULL);
  g_autoptr(GtaskletTasklet) handle_a = NULL;
  g_autoptr(GtaskletTasklet) handle_b = NULL;
  CallResult call = { NULL, NULL, FALSE };
  int pair_fds[2];

  /* A channel of the test's own, handed to A as if B's node had made it. */
  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair_fds));
  open_channel (pair, pair_fds[1], &call);
  close (pair_fds[1]);
  g_assert_no_error (call.error);
  g_variant_unref (call.reply);

  gtasklet_tasklet_start (echo_a);
  gtasklet_tasklet_start (echo_b);
  g_assert_true (gtasklet_node_export (pair->a, "echo", echo_a, NULL));
  g_assert_true (gtasklet_node_export (pair->b, "echo", echo_b, NULL));
  handle_a = gtasklet_node_lookup (pair->a, NULL, "echo");
  handle_b = gtasklet_node_lookup (pair->b, NULL, "echo");
  test_drain ();

  if (warns)
    g_test_expect_message ("Gtasklet", G_LOG_LEVEL_WARNING, "*was refused*");
  if (size > 0)
    g_assert_cmpint (write (pair_fds[0], garbage, size), ==, (gssize) size);
  else
    close (pair_fds[0]);
  test_wait_finished (handle_a, 10000);
  test_wait_finished (handle_b, 10000);
  if (warns)
    g_test_assert_expected_messages ();
  if (size > 0)
    close (pair_fds[0]);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle_a), GTASKLET_ERROR,
                  GTASKLET_ERROR_NO_CONNECTION);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (handle_b), GTASKLET_ERROR,
                  GTASKLET_ERROR_NO_CONNECTION);

  gtasklet_tasklet_cancel (echo_a);
  gtasklet_tasklet_cancel (echo_b);
  test_wait_finished (echo_a, 5000);
  test_wait_finished (echo_b, 5000);
  test_assert_cancelled (echo_a);
  test_assert_cancelled (echo_b);
}

/* OpenChannel() wants a stream socket, once. */
static void
test_open_refused (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  CallResult call = { NULL, NULL, FALSE };
  int pipe_fds[2], pair_fds[2];

  g_assert_no_errno (pipe (pipe_fds));
  open_channel (pair, pipe_fds[0], &call);
  close (pipe_fds[0]);
  close (pipe_fds[1]);
  g_assert_error (call.error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&call.error);

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair_fds));
  call.done = FALSE;
  open_channel (pair, pair_fds[1], &call);
  g_assert_no_error (call.error);
  g_clear_pointer (&call.reply, g_variant_unref);
  call.done = FALSE;
  open_channel (pair, pair_fds[1], &call);
  g_assert_error (call.error, G_DBUS_ERROR, G_DBUS_ERROR_NOT_SUPPORTED);
  g_clear_error (&call.error);
  close (pair_fds[0]);
  close (pair_fds[1]);
}

static void
test_garbage_length (void)
{
  const guint8 huge[] = { 0xff, 0xff, 0xff, 0x7f };

  check_garbage (huge, sizeof huge, FALSE);
}

static void
test_garbage_frame (void)
{
  const guint8 frame[] = { 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

  check_garbage (frame, sizeof frame, TRUE);
}

static void
test_channel_closes (void)
{
  check_garbage (NULL, 0, FALSE);
}

/* A Deliver() of credit alone, numbered @first_seq, to node A by hand. */
static void
deliver_credit (NodePair   *pair,
                guint64     first_seq,
                CallResult *call)
{
  GVariant *items = g_variant_new_array (G_VARIANT_TYPE ("(usssv)"), NULL, 0);

  g_dbus_connection_call_with_unix_fd_list (pair->b_connection, NULL,
                                            "/org/gnome/Gtasklet/Node1",
                                            "org.gnome.Gtasklet.Node1", "Deliver",
                                            g_variant_new ("(tt@a(usssv))", first_seq,
                                                           (guint64) 0, items),
                                            G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                            5000, NULL, NULL, on_call_done, call);
  test_wait_until (call->done, 10000);
}

/* A batch of credit alone whose number is behind (it was overtaken by items sent after it on
 * the other path) is taken; one whose number is ahead is a gap, refused. */
static void
test_stale_credit (void)
{
  g_autoptr(NodePair) pair = node_pair_new ();
  g_autoptr(GtaskletTasklet) echo = node_echo_start ();
  g_autoptr(GtaskletTasklet) handle = NULL;
  CallResult behind = { NULL, NULL, FALSE };
  CallResult ahead = { NULL, NULL, FALSE };

  /* B sends A a few items (the lookup's answer, the echo's replies). */
  g_assert_true (gtasklet_node_export (pair->b, "echo", echo, NULL));
  handle = gtasklet_node_lookup (pair->a, NULL, "echo");
  node_ping_pong (handle, 3, 100000);

  deliver_credit (pair, 1, &behind);
  g_assert_no_error (behind.error);
  g_variant_unref (behind.reply);

  deliver_credit (pair, 1000, &ahead);
  g_assert_null (ahead.reply);
  g_assert_true (g_dbus_error_is_remote_error (ahead.error));
  {
    g_autofree char *name = g_dbus_error_get_remote_error (ahead.error);

    g_assert_cmpstr (name, ==, "org.gnome.Gtasklet.Error.Sequence");
  }
  g_clear_error (&ahead.error);

  /* The nodes are unharmed. */
  node_ping_pong (handle, 3, 100000);
  gtasklet_tasklet_send (echo, "stop", NULL);
  test_wait_finished (echo, 5000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/node-channel/mixed-order", test_mixed_order);
  g_test_add_func ("/gtasklet/node-channel/garbage-length", test_garbage_length);
  g_test_add_func ("/gtasklet/node-channel/garbage-frame", test_garbage_frame);
  g_test_add_func ("/gtasklet/node-channel/closes", test_channel_closes);
  g_test_add_func ("/gtasklet/node-channel/open-refused", test_open_refused);
  g_test_add_func ("/gtasklet/node-channel/stale-credit", test_stale_credit);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "test-util.h"

static void
make_pipe (int fds[2])
{
  g_autoptr (GError) error = NULL;

  g_unix_open_pipe (fds, FD_CLOEXEC, &error);
  g_assert_no_error (error);
}

/* Waits on `io`; on each event records what occurred and, if `fd_to_read` is set, reads one
 * byte, until `n_wanted` events. */
typedef struct
{
  GtaskletWaitCondition *io;
  guint                  n_wanted;
  int                    fd_to_read;
  guint                  n_events;
  GIOCondition           occurred[8];
  GString               *read;
} Reader;

static gboolean
reader_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Reader *r = user_data;

  if (event != NULL)
    {
      g_assert_true (event == G_OBJECT (r->io));
      g_assert_cmpuint (r->n_events, <, G_N_ELEMENTS (r->occurred));
      r->occurred[r->n_events++] =
        gtasklet_wait_for_io_get_condition (GTASKLET_WAIT_FOR_IO (r->io));
      if (r->fd_to_read >= 0)
        {
          char c;

          g_assert_cmpint (read (r->fd_to_read, &c, 1), ==, 1);
          g_string_append_c (r->read, c);
        }
    }
  if (r->n_events == r->n_wanted)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, r->io);
  return TRUE;
}

static void
test_pipe_readable (void)
{
  int fds[2];
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  Reader r = { NULL, 1, -1 };

  make_pipe (fds);
  io = gtasklet_wait_for_io_new (fds[0], G_IO_IN);
  r.io = io;
  g_assert_cmpint (gtasklet_wait_for_io_get_fd (GTASKLET_WAIT_FOR_IO (io)), ==, fds[0]);
  g_assert_cmpint (gtasklet_wait_for_io_get_watched (GTASKLET_WAIT_FOR_IO (io)), ==, G_IO_IN);
  g_assert_cmpint (gtasklet_wait_for_io_get_condition (GTASKLET_WAIT_FOR_IO (io)), ==, 0);
  g_assert_null (gtasklet_wait_for_io_get_socket (GTASKLET_WAIT_FOR_IO (io)));
  g_assert_null (gtasklet_wait_for_io_get_channel (GTASKLET_WAIT_FOR_IO (io)));

  t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gtasklet_tasklet_start (t);
  test_drain ();
  g_assert_cmpuint (r.n_events, ==, 0);

  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (r.n_events, ==, 1);
  g_assert_true (r.occurred[0] & G_IO_IN);
  /* Still readable after the step. */
  g_assert_true (gtasklet_wait_for_io_get_condition (GTASKLET_WAIT_FOR_IO (io)) & G_IO_IN);

  close (fds[0]);
  close (fds[1]);
}

static void
test_pipe_hup (void)
{
  int fds[2];
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  Reader r = { NULL, 1, -1 };

  make_pipe (fds);
  io = gtasklet_wait_for_io_new (fds[0], G_IO_IN | G_IO_HUP);
  r.io = io;
  t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gtasklet_tasklet_start (t);

  close (fds[1]);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (r.n_events, ==, 1);
  g_assert_true (r.occurred[0] & G_IO_HUP);

  close (fds[0]);
}

static void
test_level_triggered_while_kept (void)
{
  int fds[2];
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  g_autoptr (GString) read = g_string_new (NULL);
  Reader r = { NULL, 3, -1, 0, { 0 }, read };

  make_pipe (fds);
  io = gtasklet_wait_for_io_new (fds[0], G_IO_IN);
  r.io = io;
  r.fd_to_read = fds[0];
  /* Three bytes at once: the step consumes one per wake-up, and the watch, kept armed, fires
   * again while data remains. */
  g_assert_cmpint (write (fds[1], "abc", 3), ==, 3);
  t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (r.n_events, ==, 3);
  g_assert_cmpstr (read->str, ==, "abc");

  close (fds[0]);
  close (fds[1]);
}

static void
test_socket (void)
{
  int sv[2];
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  GSocket *sock = NULL;
  int fd = -1;
  Reader r = { NULL, 1, -1 };

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  socket = g_socket_new_from_fd (sv[0], &error);
  g_assert_no_error (error);

  io = gtasklet_wait_for_io_new_for_socket (socket, G_IO_IN);
  r.io = io;
  g_assert_true (gtasklet_wait_for_io_get_socket (GTASKLET_WAIT_FOR_IO (io)) == socket);
  g_assert_cmpint (gtasklet_wait_for_io_get_fd (GTASKLET_WAIT_FOR_IO (io)), ==, sv[0]);
  g_object_get (io, "socket", &sock, "fd", &fd, NULL);
  g_assert_true (sock == socket);
  g_assert_cmpint (fd, ==, sv[0]);
  g_object_unref (sock);

  /* The condition keeps its own reference on the socket (which owns sv[0]). */
  g_clear_object (&socket);

  t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gtasklet_tasklet_start (t);
  test_drain ();
  g_assert_cmpuint (r.n_events, ==, 0);

  g_assert_cmpint (write (sv[1], "x", 1), ==, 1);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (r.n_events, ==, 1);
  g_assert_true (r.occurred[0] & G_IO_IN);

  close (sv[1]);
}

static void
test_channel (void)
{
  int fds[2];
  GIOChannel *channel = NULL;
  GIOChannel *got = NULL;
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  Reader r = { NULL, 1, -1 };

  make_pipe (fds);
  channel = g_io_channel_unix_new (fds[0]);
  io = gtasklet_wait_for_io_new_for_channel (channel, G_IO_IN);
  r.io = io;
  g_assert_true (gtasklet_wait_for_io_get_channel (GTASKLET_WAIT_FOR_IO (io)) == channel);
  g_assert_cmpint (gtasklet_wait_for_io_get_fd (GTASKLET_WAIT_FOR_IO (io)), ==, fds[0]);
  g_object_get (io, "channel", &got, NULL);
  g_assert_true (got == channel);
  g_io_channel_unref (got);
  /* The condition keeps its own reference on the channel. */
  g_io_channel_unref (channel);

  t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gtasklet_tasklet_start (t);
  test_drain ();
  g_assert_cmpuint (r.n_events, ==, 0);

  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (r.n_events, ==, 1);
  g_assert_true (r.occurred[0] & G_IO_IN);

  g_clear_object (&io);
  close (fds[0]);
  close (fds[1]);
}

static void
test_properties (void)
{
  int fds[2];
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  GIOCondition watched = 0;
  int priority = 0;
  Reader r = { NULL, 1, -1 };

  make_pipe (fds);
  /* As bindings build it, with keyword arguments. */
  io = g_object_new (GTASKLET_TYPE_WAIT_FOR_IO,
                     "fd", fds[1],
                     "condition", G_IO_OUT,
                     "priority", G_PRIORITY_HIGH,
                     NULL);
  r.io = io;
  g_object_get (io, "condition", &watched, "priority", &priority, NULL);
  g_assert_cmpint (watched, ==, G_IO_OUT);
  g_assert_cmpint (priority, ==, G_PRIORITY_HIGH);
  g_assert_cmpint (gtasklet_wait_for_io_get_priority (GTASKLET_WAIT_FOR_IO (io)), ==,
                   G_PRIORITY_HIGH);
  gtasklet_wait_for_io_set_priority (GTASKLET_WAIT_FOR_IO (io), G_PRIORITY_DEFAULT);
  g_assert_cmpint (gtasklet_wait_for_io_get_priority (GTASKLET_WAIT_FOR_IO (io)), ==,
                   G_PRIORITY_DEFAULT);

  /* An empty pipe's write end is writable at once. */
  t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_true (r.occurred[0] & G_IO_OUT);

  close (fds[0]);
  close (fds[1]);
}

static void
test_disarmed_when_dropped (void)
{
  int fds[2];
  g_autoptr (GtaskletWaitCondition) io = NULL;
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  g_autoptr (GtaskletTasklet) t = NULL;
  TestDrop d = { NULL, idle };
  guint n_fired = 0;

  make_pipe (fds);
  io = gtasklet_wait_for_io_new (fds[0], G_IO_IN);
  d.dropped = io;
  g_signal_connect (io, "fired", G_CALLBACK (test_count_signal), &n_fired);
  t = gtasklet_tasklet_new (test_drop_step, &d, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_false (gtasklet_wait_condition_is_armed (io));

  /* Its watch is gone: data arriving now wakes nothing. */
  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);
  test_drain ();
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (n_fired, ==, 0);
  g_assert_cmpint (gtasklet_wait_for_io_get_condition (GTASKLET_WAIT_FOR_IO (io)), ==, 0);

  close (fds[0]);
  close (fds[1]);
}

static void
test_unarmed_dispose (void)
{
  int fds[2];
  GtaskletWaitCondition *io;
  GIOChannel *channel;

  make_pipe (fds);
  io = gtasklet_wait_for_io_new (fds[0], G_IO_IN);
  g_object_unref (io);

  channel = g_io_channel_unix_new (fds[0]);
  io = gtasklet_wait_for_io_new_for_channel (channel, G_IO_IN);
  g_io_channel_unref (channel);
  g_object_run_dispose (G_OBJECT (io));
  g_assert_null (gtasklet_wait_for_io_get_channel (GTASKLET_WAIT_FOR_IO (io)));
  g_object_unref (io);

  close (fds[0]);
  close (fds[1]);
}

static void
test_programmer_errors (void)
{
  GtaskletWaitCondition *io;

  /* Constructors never return NULL: a condition with nothing to watch is reported, and fails
   * whoever waits on it instead of hanging. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "GtaskletWaitForIO was given nothing to watch: no file descriptor (fd -1)*");
  io = gtasklet_wait_for_io_new (-1, G_IO_IN);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (io, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (io);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given nothing to watch*");
  io = gtasklet_wait_for_io_new (-7, G_IO_IN);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (io, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (io);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given nothing to watch*");
  io = gtasklet_wait_for_io_new_for_socket (NULL, G_IO_IN);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (io, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (io);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given nothing to watch*");
  io = gtasklet_wait_for_io_new_for_channel (NULL, G_IO_IN);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (io, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (io);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpint (gtasklet_wait_for_io_get_condition (NULL), ==, 0);
  g_test_assert_expected_messages ();

  /* Built without anything to watch. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given nothing to watch*");
  io = g_object_new (GTASKLET_TYPE_WAIT_FOR_IO, NULL);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (io, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (io);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-io/pipe-readable", test_pipe_readable);
  g_test_add_func ("/gtasklet/wait-for-io/pipe-hup", test_pipe_hup);
  g_test_add_func ("/gtasklet/wait-for-io/level-triggered-while-kept",
                   test_level_triggered_while_kept);
  g_test_add_func ("/gtasklet/wait-for-io/socket", test_socket);
  g_test_add_func ("/gtasklet/wait-for-io/channel", test_channel);
  g_test_add_func ("/gtasklet/wait-for-io/properties", test_properties);
  g_test_add_func ("/gtasklet/wait-for-io/disarmed-when-dropped", test_disarmed_when_dropped);
  g_test_add_func ("/gtasklet/wait-for-io/unarmed-dispose", test_unarmed_dispose);
  g_test_add_func ("/gtasklet/wait-for-io/programmer-errors", test_programmer_errors);

  return g_test_run ();
}

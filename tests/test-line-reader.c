/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests examples/line-reader.c: a GIO-style async operation implemented with a tasklet. */
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <unistd.h>

#include "line-reader.h"
#include "test-util.h"

typedef struct
{
  gboolean  done;
  GStrv     lines;
  GError   *error;
} Outcome;

static void
on_lines (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *o = user_data;

  o->lines = example_read_lines_finish (G_INPUT_STREAM (source), result, &o->error);
  o->done = TRUE;
}

typedef struct
{
  int           write_fd;
  GInputStream *stream;
} Pipe;

static void
pipe_open (Pipe *p)
{
  int fds[2];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  p->stream = g_unix_input_stream_new (fds[0], TRUE);
  p->write_fd = fds[1];
}

static void
pipe_write (Pipe       *p,
            const char *text)
{
  g_assert_cmpint (write (p->write_fd, text, strlen (text)), ==, (gssize) strlen (text));
}

static void
pipe_close (Pipe *p)
{
  if (p->write_fd >= 0)
    close (p->write_fd);
  g_clear_object (&p->stream);
}

static void
test_reads_until_eof (void)
{
  Pipe p;
  Outcome o = { 0 };
  const char *expected[] = { "alpha", "beta", "gamma", NULL };

  pipe_open (&p);
  example_read_lines_async (p.stream, 100, 5000, NULL, on_lines, &o);
  pipe_write (&p, "alpha\nbeta\n");
  pipe_write (&p, "gamma\n");
  close (p.write_fd);
  p.write_fd = -1;
  test_wait_until (o.done, 5000);

  g_assert_no_error (o.error);
  g_assert_cmpstrv (o.lines, expected);
  g_strfreev (o.lines);
  pipe_close (&p);
}

static void
test_max_lines (void)
{
  Pipe p;
  Outcome o = { 0 };
  const char *expected[] = { "1", "2", NULL };

  pipe_open (&p);
  pipe_write (&p, "1\n2\n3\n4\n");
  example_read_lines_async (p.stream, 2, 5000, NULL, on_lines, &o);
  test_wait_until (o.done, 5000);
  g_assert_no_error (o.error);
  g_assert_cmpstrv (o.lines, expected);
  g_strfreev (o.lines);
  pipe_close (&p);
}

static void
test_timeout (void)
{
  Pipe p;
  Outcome o = { 0 };

  pipe_open (&p);
  pipe_write (&p, "only one\n");
  example_read_lines_async (p.stream, 10, 50, NULL, on_lines, &o);
  test_wait_until (o.done, 5000);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (o.lines);
  g_clear_error (&o.error);

  /* The read that timed out was cancelled, so the stream is free again. */
  while (g_input_stream_has_pending (p.stream))
    g_main_context_iteration (NULL, TRUE);
  pipe_close (&p);
}

static gboolean
cancel_when_two_lines_read (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_midway (void)
{
  Pipe p;
  Outcome o = { 0 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  pipe_open (&p);
  example_read_lines_async (p.stream, 10, 5000, cancellable, on_lines, &o);
  pipe_write (&p, "first\nsecond\n");
  /* Let it read what is there and block on the third line, then cancel. */
  for (guint i = 0; i < 50 && !o.done; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (o.done);
  g_idle_add (cancel_when_two_lines_read, cancellable);
  test_wait_until (o.done, 5000);

  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (o.lines);
  g_clear_error (&o.error);
  while (g_input_stream_has_pending (p.stream))
    g_main_context_iteration (NULL, TRUE);
  pipe_close (&p);
}

static void
test_cancelled_before (void)
{
  Pipe p;
  Outcome o = { 0 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  pipe_open (&p);
  g_cancellable_cancel (cancellable);
  example_read_lines_async (p.stream, 10, 5000, cancellable, on_lines, &o);
  g_assert_false (o.done);
  test_wait_until (o.done, 5000);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&o.error);
  g_assert_false (g_input_stream_has_pending (p.stream));
  pipe_close (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/line-reader/reads-until-eof", test_reads_until_eof);
  g_test_add_func ("/gtasklet/line-reader/max-lines", test_max_lines);
  g_test_add_func ("/gtasklet/line-reader/timeout", test_timeout);
  g_test_add_func ("/gtasklet/line-reader/cancel-midway", test_cancel_midway);
  g_test_add_func ("/gtasklet/line-reader/cancelled-before", test_cancelled_before);

  return g_test_run ();
}

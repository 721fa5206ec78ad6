/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every kind of wait condition works for a tasklet on a pool worker, whose thread-default
 * context is the worker's own: a timeout, idle, a file descriptor written from the main
 * thread, a signal of an object living on the worker, a child process, a GIO _async call (a
 * read from a pollable stream: it completes through the worker's context, not GIO's thread
 * pool, whose hand-offs ThreadSanitizer cannot see inside libglib).
 * Each event wakes the tasklet on its worker, never on the main thread. */
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static GThread *main_thread;

typedef struct
{
  int      pc;                   /* atomic: the main thread watches it */
  GThread *worker;
  gboolean wrong_thread;
  int      fd;                   /* the read end of a pipe, for the IO case */
  GInputStream *stream;          /* the read end of a second pipe, for the async case */
  char     buffer[32];
  GtaskletWaitCondition *cond;   /* the condition of the current wait */
  GSimpleAction *action;         /* an object living on the worker, for the signal case */
} Tour;

static gboolean
emit_activate (gpointer data)
{
  g_action_activate (G_ACTION (data), NULL);
  return G_SOURCE_REMOVE;
}

/* One condition per step, in turn; each step checks where it runs. */
static gboolean
tour_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Tour *t = user_data;
  GError *local = NULL;

  if (g_thread_self () == main_thread ||
      (t->worker != NULL && g_thread_self () != t->worker))
    t->wrong_thread = TRUE;
  t->worker = g_thread_self ();
  if (event != NULL && event != G_OBJECT (t->cond))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "step %d: unexpected event",
                   g_atomic_int_get (&t->pc));
      return FALSE;
    }

  switch (g_atomic_int_add (&t->pc, 1))
    {
    case 0:
      t->cond = gtasklet_wait_for_timeout_new (2);
      break;
    case 1:
      g_clear_object (&t->cond);
      t->cond = gtasklet_wait_for_idle_new ();
      break;
    case 2:
      g_clear_object (&t->cond);
      t->cond = gtasklet_wait_for_io_new (t->fd, G_IO_IN);
      break;
    case 3:
      {
        char byte;

        g_assert_cmpint (read (t->fd, &byte, 1), ==, 1);
        g_assert_cmpint (byte, ==, 'x');
        g_clear_object (&t->cond);
        /* An object of the worker's, emitting from a source of the worker's context. */
        t->action = g_simple_action_new ("ping", NULL);
        t->cond = gtasklet_wait_for_signal_new (t->action, "activate");
        {
          GSource *source = g_idle_source_new ();

          g_source_set_callback (source, emit_activate, t->action, NULL);
          g_source_attach (source, g_main_context_get_thread_default ());
          g_source_unref (source);
        }
      }
      break;
    case 4:
      {
        const char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
        GPid pid;

        g_clear_object (&t->cond);
        if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, error))
          return FALSE;
        t->cond = gtasklet_wait_for_process_new (pid);
      }
      break;
    case 5:
      {
        if (!g_spawn_check_wait_status (gtasklet_wait_for_process_get_status (
                                          GTASKLET_WAIT_FOR_PROCESS (t->cond)), &local))
          g_assert_error (local, G_SPAWN_EXIT_ERROR, 3);
        else
          g_error ("the child exited with 0, not 3");
        g_clear_error (&local);
        g_clear_object (&t->cond);
        t->cond = gtasklet_wait_for_async_new ();
        g_input_stream_read_async (t->stream, t->buffer, sizeof t->buffer - 1, G_PRIORITY_DEFAULT,
                                   NULL, gtasklet_wait_for_async_callback, t->cond);
      }
      break;
    case 6:
      {
        GAsyncResult *result = gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (t->cond));
        gssize n = g_input_stream_read_finish (t->stream, result, error);

        if (n < 0)
          return FALSE;
        t->buffer[n] = '\0';
        g_assert_cmpstr (t->buffer, ==, "on a worker");
        gtasklet_tasklet_return_value (tasklet, NULL);
        return TRUE;
      }
    }
  gtasklet_tasklet_wait (tasklet, t->cond);
  return TRUE;
}

static void
test_every_condition_on_worker (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  Tour t = { 0 };
  int fds[2], async_fds[2];
  g_autoptr (GtaskletTasklet) tasklet = gtasklet_tasklet_new (tour_step, &t, NULL);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  g_assert_no_errno (pipe (fds));
  t.fd = fds[0];
  g_assert_no_errno (pipe (async_fds));
  t.stream = g_unix_input_stream_new (async_fds[0], TRUE);
  g_assert_cmpint (write (async_fds[1], "on a worker", 11), ==, 11);
  g_close (async_fds[1], NULL);

  gtasklet_pool_start (pool, tasklet);
  /* The byte that the IO step waits for, written from this thread once it waits. */
  while (g_atomic_int_get (&t.pc) < 3)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_thread_yield ();
    }
  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);

  while (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_thread_yield ();
    }
  g_assert_no_error (gtasklet_tasklet_get_error (tasklet));
  g_assert_cmpint (g_atomic_int_get (&t.pc), ==, 7);
  g_assert_false (t.wrong_thread);

  g_clear_object (&t.cond);
  g_clear_object (&t.action);
  g_clear_object (&t.stream);
  g_close (fds[0], NULL);
  g_close (fds[1], NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/gtasklet/pool/every-condition-on-worker", test_every_condition_on_worker);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <unistd.h>

#include "test-manual-condition.h"
#include "test-util.h"

/* Loads a file in two steps: start the operation, then finish it in the step it wakes. */
typedef struct
{
  GFile                 *file;
  GtaskletWaitCondition *load;
  char                  *contents;
  gsize                  length;
} Loader;

static gboolean
loader_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Loader *l = user_data;

  if (event == NULL)
    {
      g_file_load_contents_async (l->file, gtasklet_tasklet_get_cancellable (tasklet),
                                  gtasklet_wait_for_async_callback, l->load);
      gtasklet_tasklet_wait (tasklet, l->load);
      return TRUE;
    }

  g_assert_true (event == (GObject *) l->load);
  return g_file_load_contents_finish (l->file,
                                      gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (l->load)),
                                      &l->contents, &l->length, NULL, error);
}

static GFile *
write_temp_file (const char *contents)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("gtasklet-test-XXXXXX", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_file_new_for_path (path);
}

static void
test_load_file (void)
{
  Loader l = { write_temp_file ("hello, tasklet"), gtasklet_wait_for_async_new () };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (loader_step, &l, NULL);

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_cmpstr (l.contents, ==, "hello, tasklet");
  g_assert_true (gtasklet_wait_for_async_is_complete (GTASKLET_WAIT_FOR_ASYNC (l.load)));
  g_assert_true (gtasklet_wait_for_async_get_source_object (GTASKLET_WAIT_FOR_ASYNC (l.load)) ==
                 G_OBJECT (l.file));

  g_file_delete (l.file, NULL, NULL);
  g_object_unref (l.file);
  g_object_unref (l.load);
  g_free (l.contents);
}

static void
test_load_missing_file_fails (void)
{
  Loader l = { g_file_new_for_path ("/nonexistent/gtasklet/file"), gtasklet_wait_for_async_new () };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (loader_step, &l, NULL);

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  /* The _finish error became the tasklet's error. */
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_object_unref (l.file);
  g_object_unref (l.load);
}

/* Reads a pipe with g_input_stream_read_async until EOF, counting bytes. */
typedef struct
{
  GInputStream          *stream;
  GtaskletWaitCondition *read;
  char                   buffer[64];
  GString               *data;
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
      gssize n = g_input_stream_read_finish (r->stream,
                                             gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (r->read)),
                                             error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      g_string_append_len (r->data, r->buffer, n);
    }

  gtasklet_wait_for_async_reset (GTASKLET_WAIT_FOR_ASYNC (r->read));
  g_input_stream_read_async (r->stream, r->buffer, sizeof r->buffer, G_PRIORITY_DEFAULT,
                             gtasklet_tasklet_get_cancellable (tasklet),
                             gtasklet_wait_for_async_callback, r->read);
  gtasklet_tasklet_wait (tasklet, r->read);
  return TRUE;
}

static void
test_read_pipe (void)
{
  int fds[2];
  Reader r = { NULL, gtasklet_wait_for_async_new (), { 0 }, g_string_new (NULL) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (reader_step, &r, NULL);
  g_autoptr (GString) expected = g_string_new (NULL);

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  r.stream = g_unix_input_stream_new (fds[0], TRUE);
  gtasklet_tasklet_start (t);

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (expected, "line %u\n", i);
  g_assert_cmpint (write (fds[1], expected->str, expected->len), ==, (gssize) expected->len);
  close (fds[1]);

  test_wait_finished (t, 5000);
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_cmpstr (r.data->str, ==, expected->str);

  g_object_unref (r.stream);
  g_object_unref (r.read);
  g_string_free (r.data, TRUE);
}

static void
test_cancel_cancels_operation (void)
{
  int fds[2];
  Reader r = { NULL, gtasklet_wait_for_async_new (), { 0 }, g_string_new (NULL) };
  GtaskletTasklet *t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gboolean finalized = FALSE;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  r.stream = g_unix_input_stream_new (fds[0], TRUE);
  gtasklet_tasklet_start (t);
  g_assert_true (g_input_stream_has_pending (r.stream));

  /* Only the tasklet's wait set and the pending read keep the condition now. */
  g_object_weak_ref (G_OBJECT (r.read), test_weak_notify_flag, &finalized);
  g_clear_object (&r.read);

  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, 5000);
  g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (t);

  /* The read was cancelled with the tasklet (nothing was ever written); its late completion
   * reaches the condition, kept alive for it, which then goes away. */
  test_wait_until (finalized, 5000);
  g_assert_false (g_input_stream_has_pending (r.stream));

  close (fds[1]);
  g_object_unref (r.stream);
  g_string_free (r.data, TRUE);
}

static void
test_cancel_kept_condition_midway (void)
{
  int fds[2];
  Reader r = { NULL, gtasklet_wait_for_async_new (), { 0 }, g_string_new (NULL) };
  GtaskletTasklet *t = gtasklet_tasklet_new (reader_step, &r, NULL);
  gboolean finalized = FALSE;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
  r.stream = g_unix_input_stream_new (fds[0], TRUE);
  gtasklet_tasklet_start (t);

  /* A few reads complete: the condition stays armed across steps and is reset for each new
   * read, so it is arm() only once. The read in flight must still keep it alive. */
  g_assert_cmpint (write (fds[1], "abc", 3), ==, 3);
  while (r.data->len < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_input_stream_has_pending (r.stream));

  g_object_weak_ref (G_OBJECT (r.read), test_weak_notify_flag, &finalized);
  g_clear_object (&r.read);
  gtasklet_tasklet_cancel (t);
  test_wait_finished (t, 5000);
  g_object_unref (t);
  test_wait_until (finalized, 5000);
  g_assert_false (g_input_stream_has_pending (r.stream));

  close (fds[1]);
  g_object_unref (r.stream);
  g_string_free (r.data, TRUE);
}

/* Waits for a load and for a hand-fired condition; finishes on whichever comes first. */
typedef struct
{
  GFile                 *file;
  GtaskletWaitCondition *load;
  GtaskletWaitCondition *other;
  GObject               *first_event;
  guint                  n_events;
  guint                  wanted_events;   /* waits again on load until this many events */
} Race;

static gboolean
race_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Race *r = user_data;

  if (event == NULL)
    {
      if (r->file != NULL)
        g_file_load_contents_async (r->file, NULL, gtasklet_wait_for_async_callback, r->load);
      gtasklet_tasklet_wait (tasklet, r->load);
      if (r->other != NULL)
        gtasklet_tasklet_wait (tasklet, r->other);
      return TRUE;
    }

  if (r->first_event == NULL)
    r->first_event = event;
  r->n_events++;
  if (r->n_events < r->wanted_events)
    gtasklet_tasklet_wait (tasklet, r->load);
  return TRUE;
}

static void
test_completion_after_finish (void)
{
  g_autoptr (GFile) file = write_temp_file ("late");
  Race r = { file, gtasklet_wait_for_async_new (), test_manual_condition_new (), NULL, 0, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (race_step, &r, NULL);
  gboolean finalized = FALSE;

  gtasklet_tasklet_start (t);
  /* The other condition wins: the tasklet finishes while the load is still in flight. */
  test_fire_from_source (r.other);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (r.first_event == (GObject *) r.other);
  g_assert_false (gtasklet_wait_condition_is_armed (r.load));

  g_object_weak_ref (G_OBJECT (r.load), test_weak_notify_flag, &finalized);
  g_clear_object (&r.load);
  /* The completion arrives later and is dropped; the condition then goes away. */
  test_wait_until (finalized, 5000);
  g_assert_cmpuint (r.n_events, ==, 1);

  g_object_unref (r.other);
  g_file_delete (file, NULL, NULL);
}

static void
test_completed_before_armed (void)
{
  g_autoptr (GFile) file = write_temp_file ("early");
  Race r = { NULL, gtasklet_wait_for_async_new (), NULL, NULL, 0, 3 };
  GtaskletWaitForAsync *load = GTASKLET_WAIT_FOR_ASYNC (r.load);
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (race_step, &r, NULL);
  g_autofree char *contents = NULL;

  /* Start the operation outside any tasklet and let it complete first. */
  g_file_load_contents_async (file, NULL, gtasklet_wait_for_async_callback, r.load);
  while (!gtasklet_wait_for_async_is_complete (load))
    g_main_context_iteration (NULL, TRUE);

  /* A tasklet waiting for it now is woken at once, and each new wait fires again. */
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (r.n_events, ==, 3);
  g_assert_true (r.first_event == (GObject *) r.load);

  g_assert_true (g_file_load_contents_finish (file, gtasklet_wait_for_async_get_result (load),
                                              &contents, NULL, NULL, NULL));
  g_assert_cmpstr (contents, ==, "early");
  g_file_delete (file, NULL, NULL);
  g_object_unref (r.load);
}

/* Connects to a loopback listener, then waits for a subprocess: two GIO operations in turn
 * with one condition, reset between them. */
typedef struct
{
  int                    pc;
  guint16                port;
  GtaskletWaitCondition *op;
  GSocketConnection     *connection;
  GSubprocess           *process;
  int                    exit_status;
} Client;

static gboolean
client_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Client *c = user_data;
  GtaskletWaitForAsync *op = GTASKLET_WAIT_FOR_ASYNC (c->op);

  GTASKLET_BEGIN (&c->pc);

  {
    g_autoptr (GSocketClient) client = g_socket_client_new ();

    g_socket_client_connect_to_host_async (client, "127.0.0.1", c->port,
                                           gtasklet_tasklet_get_cancellable (tasklet),
                                           gtasklet_wait_for_async_callback, c->op);
  }
  GTASKLET_WAIT (tasklet, &c->pc, c->op);
  c->connection = g_socket_client_connect_to_host_finish (
                    G_SOCKET_CLIENT (gtasklet_wait_for_async_get_source_object (op)),
                    gtasklet_wait_for_async_get_result (op), error);
  if (c->connection == NULL)
    return FALSE;

  gtasklet_wait_for_async_reset (op);
  c->process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, error, "sh", "-c", "exit 5", NULL);
  if (c->process == NULL)
    return FALSE;
  g_subprocess_wait_async (c->process, gtasklet_tasklet_get_cancellable (tasklet),
                           gtasklet_wait_for_async_callback, c->op);
  GTASKLET_WAIT (tasklet, &c->pc, c->op);
  if (!g_subprocess_wait_finish (c->process, gtasklet_wait_for_async_get_result (op), error))
    return FALSE;
  c->exit_status = g_subprocess_get_exit_status (c->process);

  GTASKLET_END (&c->pc);
}

static void
test_socket_and_subprocess (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  Client c = { 0 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (client_step, &c, NULL);

  c.port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  c.op = gtasklet_wait_for_async_new ();

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 10000);
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_true (G_IS_SOCKET_CONNECTION (c.connection));
  g_assert_cmpint (c.exit_status, ==, 5);

  g_socket_listener_close (listener);
  g_object_unref (c.connection);
  g_object_unref (c.process);
  g_object_unref (c.op);
}

static void
test_complete_from_binding_style (void)
{
  g_autoptr (GtaskletWaitCondition) c = gtasklet_wait_for_async_new ();
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*G_IS_ASYNC_RESULT*failed*");
  gtasklet_wait_for_async_complete (GTASKLET_WAIT_FOR_ASYNC (c), NULL, NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*assertion*GTASKLET_IS_WAIT_FOR_ASYNC*failed*");
  gtasklet_wait_for_async_callback (NULL, G_ASYNC_RESULT (task), task);
  g_test_assert_expected_messages ();

  gtasklet_wait_for_async_complete (GTASKLET_WAIT_FOR_ASYNC (c), NULL, G_ASYNC_RESULT (task));
  g_assert_true (gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (c)) == G_ASYNC_RESULT (task));
  gtasklet_wait_for_async_reset (GTASKLET_WAIT_FOR_ASYNC (c));
  g_assert_false (gtasklet_wait_for_async_is_complete (GTASKLET_WAIT_FOR_ASYNC (c)));
  g_task_return_boolean (task, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-async/load-file", test_load_file);
  g_test_add_func ("/gtasklet/wait-for-async/load-missing-file-fails", test_load_missing_file_fails);
  g_test_add_func ("/gtasklet/wait-for-async/read-pipe", test_read_pipe);
  g_test_add_func ("/gtasklet/wait-for-async/cancel-cancels-operation", test_cancel_cancels_operation);
  g_test_add_func ("/gtasklet/wait-for-async/cancel-kept-condition-midway", test_cancel_kept_condition_midway);
  g_test_add_func ("/gtasklet/wait-for-async/completion-after-finish", test_completion_after_finish);
  g_test_add_func ("/gtasklet/wait-for-async/completed-before-armed", test_completed_before_armed);
  g_test_add_func ("/gtasklet/wait-for-async/socket-and-subprocess", test_socket_and_subprocess);
  g_test_add_func ("/gtasklet/wait-for-async/complete-and-reset", test_complete_from_binding_style);

  return g_test_run ();
}

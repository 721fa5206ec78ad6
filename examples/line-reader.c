/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtasklet/gtasklet.h>

#include "line-reader.h"

/* Everything that must survive a wait lives here, since the step function is re-entered
 * from the top for every event (GTASKLET_BEGIN jumps back to the last wait). */
typedef struct
{
  int                    pc;
  GDataInputStream      *data;
  GtaskletWaitCondition *read;
  GtaskletWaitCondition *timeout;
  GPtrArray             *lines;
  guint                  max_lines;
  /* Reads use their own cancellable, cancelled with the tasklet's and on a timeout: a read
   * that timed out must not stay pending on the caller's stream. */
  GCancellable          *reads;
  GCancellable          *tasklet_cancellable;
  gulong                 link;
} ReadLines;

static void
cancel_reads (GCancellable *cancellable,
              gpointer      data)
{
  g_cancellable_cancel (data);
}

static void
read_lines_free (gpointer data)
{
  ReadLines *r = data;

  if (r->link != 0)
    g_cancellable_disconnect (r->tasklet_cancellable, r->link);
  g_clear_object (&r->tasklet_cancellable);
  g_clear_object (&r->reads);
  g_clear_object (&r->data);
  g_clear_object (&r->read);
  g_clear_object (&r->timeout);
  g_clear_pointer (&r->lines, g_ptr_array_unref);
  g_free (r);
}

static gboolean
read_lines_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  ReadLines *r = user_data;
  g_auto (GValue) result = G_VALUE_INIT;

  GTASKLET_BEGIN (&r->pc);

  r->tasklet_cancellable = g_object_ref (gtasklet_tasklet_get_cancellable (tasklet));
  r->link = g_cancellable_connect (r->tasklet_cancellable, G_CALLBACK (cancel_reads),
                                   r->reads, NULL);

  while (r->lines->len < r->max_lines)
    {
      gtasklet_wait_for_async_reset (GTASKLET_WAIT_FOR_ASYNC (r->read));
      g_data_input_stream_read_line_async (r->data, G_PRIORITY_DEFAULT, r->reads,
                                           gtasklet_wait_for_async_callback, r->read);
      gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (r->timeout));
      gtasklet_tasklet_wait (tasklet, r->read);
      gtasklet_tasklet_wait (tasklet, r->timeout);
      GTASKLET_SUSPEND (&r->pc);

      if (event == G_OBJECT (r->timeout))
        {
          g_cancellable_cancel (r->reads);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "No line within %u ms",
                       gtasklet_wait_for_timeout_get_interval (GTASKLET_WAIT_FOR_TIMEOUT (r->timeout)));
          return FALSE;
        }

      {
        GAsyncResult *res = gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (r->read));
        char *line = g_data_input_stream_read_line_finish_utf8 (r->data, res, NULL, error);

        if (line == NULL)
          {
            if (error != NULL && *error != NULL)
              return FALSE;
            break;   /* end of file */
          }
        g_ptr_array_add (r->lines, line);
      }
    }

  g_ptr_array_add (r->lines, NULL);
  g_value_init (&result, G_TYPE_STRV);
  g_value_set_boxed (&result, r->lines->pdata);
  gtasklet_tasklet_return_value (tasklet, &result);

  GTASKLET_END (&r->pc);
}

void
example_read_lines_async (GInputStream        *stream,
                          guint                max_lines,
                          guint                line_timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GtaskletTasklet) body = NULL;
  ReadLines *r;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (stream, cancellable, callback, user_data);
  g_task_set_source_tag (task, example_read_lines_async);

  r = g_new0 (ReadLines, 1);
  r->data = g_data_input_stream_new (stream);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (r->data), FALSE);
  r->read = gtasklet_wait_for_async_new ();
  r->timeout = gtasklet_wait_for_timeout_new (line_timeout_ms);
  r->lines = g_ptr_array_new_with_free_func (g_free);
  r->max_lines = max_lines;
  r->reads = g_cancellable_new ();

  body = gtasklet_tasklet_new (read_lines_step, r, read_lines_free);
  gtasklet_tasklet_start_with_task (body, task);
}

GStrv
example_read_lines_finish (GInputStream  *stream,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == example_read_lines_async, NULL);

  if (!g_task_propagate_value (G_TASK (result), &value, error))
    return NULL;
  return g_value_dup_boxed (&value);
}

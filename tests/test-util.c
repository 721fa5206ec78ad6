/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"

void
test_count (gpointer data)
{
  (*(guint *) data)++;
}

void
test_set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
}

void
test_count_signal (gpointer instance,
                   gpointer data)
{
  (*(guint *) data)++;
}

void
test_flag_signal (gpointer instance,
                  gpointer data)
{
  *(gboolean *) data = TRUE;
}

void
test_count_notify (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    data)
{
  (*(guint *) data)++;
}

void
test_weak_notify_flag (gpointer  data,
                       GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

gboolean
test_flag_source (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_wait_until_impl (const gboolean *flag,
                      guint           timeout_ms,
                      const char     *func,
                      int             line,
                      const char     *expr)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (timeout_ms);

  g_source_set_callback (deadline, test_flag_source, &expired, NULL);
  g_source_attach (deadline, context);

  while (!*flag && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);
  g_main_context_unref (context);

  if (!*flag)
    g_error ("%s:%d: timed out after %u ms waiting for %s", func, line, timeout_ms, expr);
}

void
test_wait_finished (GtaskletTasklet *tasklet,
                    guint            timeout_ms)
{
  gboolean done = gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_FINISHED;
  gulong id;

  if (done)
    return;
  g_object_ref (tasklet);
  id = g_signal_connect (tasklet, "finished", G_CALLBACK (test_flag_signal), &done);
  test_wait_until (done, timeout_ms);
  g_signal_handler_disconnect (tasklet, id);
  g_object_unref (tasklet);
}

void
test_drain (void)
{
  GMainContext *context = g_main_context_ref_thread_default ();

  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_unref (context);
}

typedef struct
{
  GtaskletWaitCondition *condition;
  gboolean               ran_inline;
} FireFromSource;

static void
fire_and_watch (gpointer data)
{
  FireFromSource *f = data;
  GtaskletTasklet *tasklet = gtasklet_wait_condition_get_tasklet (f->condition);
  GtaskletState before = tasklet != NULL ? gtasklet_tasklet_get_state (tasklet) : GTASKLET_STATE_NEW;

  if (tasklet != NULL)
    g_object_ref (tasklet);
  gtasklet_wait_condition_fire (f->condition);
  if (tasklet != NULL)
    {
      f->ran_inline = gtasklet_tasklet_get_state (tasklet) != before ||
                      gtasklet_wait_condition_get_tasklet (f->condition) != tasklet;
      g_object_unref (tasklet);
    }
}

gboolean
test_fire_from_source (GtaskletWaitCondition *condition)
{
  FireFromSource f = { condition, FALSE };

  test_run_from_source (fire_and_watch, &f);
  return f.ran_inline;
}

void
test_assert_cancelled (GtaskletTasklet *tasklet)
{
  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_FINISHED);
  g_assert_error (gtasklet_tasklet_get_error (tasklet), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (gtasklet_tasklet_get_result (tasklet));
}

/* A call of func (data), made later from a source or a step. */
typedef struct
{
  void     (*func) (gpointer data);
  gpointer   data;
  gboolean   done;
} FuncCall;

static gboolean
run_from_source_cb (gpointer data)
{
  FuncCall *r = data;

  r->func (r->data);
  r->done = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_run_from_source (void     (*func) (gpointer data),
                      gpointer   data)
{
  FuncCall r = { func, data, FALSE };
  GMainContext *context = g_main_context_ref_thread_default ();
  GSource *idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_HIGH);
  g_source_set_callback (idle, run_from_source_cb, &r, NULL);
  g_source_attach (idle, context);
  test_wait_until (r.done, 5000);
  g_source_unref (idle);
  g_main_context_unref (context);
}

static gboolean
run_in_step_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  FuncCall *call = user_data;

  call->func (call->data);
  call->done = TRUE;
  return TRUE;
}

GtaskletState
test_run_in_step (void     (*func) (gpointer data),
                  gpointer   data)
{
  FuncCall call = { func, data, FALSE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (run_in_step_step, &call, NULL);

  gtasklet_tasklet_start (t);
  return gtasklet_tasklet_get_state (t);
}

gboolean
test_wait_once_step (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  if (event == NULL)
    gtasklet_tasklet_wait (tasklet, user_data);
  return TRUE;
}

void
test_assert_wait_fails (GtaskletWaitCondition *condition,
                        GQuark                 domain,
                        int                    code)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_wait_once_step, condition, NULL);

  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_error (gtasklet_tasklet_get_error (t), domain, code);
}

gboolean
test_send_int (GtaskletTasklet *dest,
               const char      *name,
               int              value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  return gtasklet_tasklet_send (dest, name, &v);
}

gboolean
test_finish_at_once_step (GtaskletTasklet  *tasklet,
                          GObject          *event,
                          gpointer          user_data,
                          GError          **error)
{
  return TRUE;
}

gboolean
test_fail_at_once_step (GtaskletTasklet  *tasklet,
                        GObject          *event,
                        gpointer          user_data,
                        GError          **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "failed on purpose");
  return FALSE;
}

gboolean
test_return_string_step (GtaskletTasklet  *tasklet,
                         GObject          *event,
                         gpointer          user_data,
                         GError          **error)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, user_data);
  gtasklet_tasklet_return_value (tasklet, &v);
  return TRUE;
}

gboolean
test_drop_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  TestDrop *d = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_wait (tasklet, d->dropped);
      gtasklet_tasklet_wait (tasklet, d->idle);
      return TRUE;
    }
  g_assert_true (event == G_OBJECT (d->idle));
  return TRUE;
}

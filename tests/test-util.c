/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"

static gboolean
deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
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

  g_source_set_callback (deadline, deadline_cb, &expired, NULL);
  g_source_attach (deadline, context);

  while (!*flag && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);
  g_main_context_unref (context);

  if (!*flag)
    g_error ("%s:%d: timed out after %u ms waiting for %s", func, line, timeout_ms, expr);
}

static void
on_finished (GtaskletTasklet *tasklet,
             gpointer         data)
{
  *(gboolean *) data = TRUE;
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
  id = g_signal_connect (tasklet, "finished", G_CALLBACK (on_finished), &done);
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

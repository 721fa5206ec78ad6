/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Fork-join throughput (Savina "fjthrput"): A actors; the main program sends N messages to
 * each, round-robin (message m to every actor before message m + 1); every message costs one
 * performComputation (a sine), and an actor finishes after its N-th. */

#include "savina.h"

static const char * const actor_accepts[] = { "work", NULL };

typedef struct
{
  int n;
  int processed;
  int bad;
} Worker;

static gboolean
worker_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Worker *w = user_data;

  if (event != NULL)
    {
      w->processed++;
      if (savina_compute () <= 0)
        w->bad++;
      if (w->processed == w->n)
        {
          savina_live_done ();
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (self, actor_accepts, NULL, NULL);
  return TRUE;
}

void
savina_fjthrput (SavinaRun *run)
{
  int n = savina_param (run, 'n'), a = savina_param (run, 'a');
  Worker *workers = g_new0 (Worker, a);
  GtaskletTasklet **tasklets = g_new0 (GtaskletTasklet *, a);
  savina_timer_start (run);
  savina_live_add (a);
  for (int i = 0; i < a; i++)
    {
      workers[i].n = n;
      tasklets[i] = gtasklet_tasklet_new (worker_step, &workers[i], NULL);
      gtasklet_tasklet_start (tasklets[i]);
    }
  for (int m = 0; m < n; m++)
    for (int i = 0; i < a; i++)
      savina_send (tasklets[i], "work");
  savina_loop_run ();
  savina_timer_stop (run);

  for (int i = 0; i < a; i++)
    {
      savina_check_finished (run, tasklets[i]);
      if (workers[i].processed != n || workers[i].bad != 0)
        savina_check_failed (run, "actor %d processed %d of %d messages (%d bad results)", i,
                             workers[i].processed, n, workers[i].bad);
      g_clear_object (&tasklets[i]);
    }
  run->msgs = (guint64) n * a;
  g_free (tasklets);
  g_free (workers);
}

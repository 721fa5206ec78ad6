/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Fork-join actor creation (Savina "fjcreate"): the main program creates N actors one after
 * the other and sends each one message; an actor does one performComputation (a sine) on
 * it and finishes. What is measured is creating, starting, one delivery and finishing. */

#include "savina.h"

static const char * const actor_accepts[] = { "work", NULL };

static guint processed;
static guint bad;

/* No state to keep: the actor receives its one message and finishes. */
static gboolean
actor_step (GtaskletTasklet  *self,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  if (event != NULL)
    {
      processed++;
      if (savina_compute () <= 0)
        bad++;
      savina_live_done ();
      return TRUE;
    }
  gtasklet_tasklet_receive (self, actor_accepts, NULL, NULL);
  return TRUE;
}

void
savina_fjcreate (SavinaRun *run)
{
  int n = savina_param (run, 'n');
  savina_timer_start (run);
  savina_live_add (n);
  for (int i = 0; i < n; i++)
    {
      g_autoptr (GtaskletTasklet) actor = gtasklet_tasklet_new (actor_step, NULL, NULL);

      /* A started tasklet keeps itself alive until it finishes. */
      gtasklet_tasklet_start (actor);
      savina_send (actor, "work");
    }
  savina_loop_run ();
  savina_timer_stop (run);

  if (processed != (guint) n || bad != 0)
    savina_check_failed (run, "%u of %d actors processed their message (%u bad results)",
                         processed, n, bad);
  run->msgs = n;
}

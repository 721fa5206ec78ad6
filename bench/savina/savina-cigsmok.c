/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Cigarette smokers (Savina "cigsmok"): an arbiter creates S smokers; on "start" it sends
 * "smoke" with a busy-wait period to a pseudo-random smoker, which answers "started" at once
 * and then smokes (busy-waits that many steps). Each "started" is a round; after R rounds
 * the arbiter sends "exit" to every smoker and finishes.
 *
 * Savina's busy wait calls Math.random() `period` times; here a step is one draw of Savina's
 * PseudoRandom generator, the same in the Erlang version, so both do the same work. */

#include "savina.h"

static const char * const arbiter_accepts[] = { "start", "started", NULL };
static const char * const smoker_accepts[] = { "smoke", "exit", NULL };

static const char *I_START;
static const char *I_SMOKE;

typedef struct
{
  GtaskletTasklet *arbiter;
  SavinaRandom     random;
  int              smoked;
  gint64           waited;
} Smoker;

typedef struct
{
  Smoker                 *smokers;
  GtaskletTasklet       **smoker_tasklets;
  SavinaRandom            random;
  int                     n_smokers;
  int                     n_rounds;
  int                     rounds;
} Arbiter;

static void
notify_random_smoker (Arbiter *a)
{
  int smoker = (int) (savina_random_next_long (&a->random) % a->n_smokers);
  int period = savina_random_next_int (&a->random, 1000) + 10;

  savina_send_int (a->smoker_tasklets[smoker], "smoke", period);
}

static gboolean
smoker_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Smoker *s = user_data;

  if (event != NULL)
    {
      if (savina_message_name (event) == I_SMOKE)
        {
          int period = savina_message_int (event);

          savina_send (s->arbiter, "started");
          for (int k = 0; k < period; k++)
            savina_random_next_long (&s->random);
          s->smoked++;
          s->waited += period;
        }
      else
        {
          savina_live_done ();
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (self, smoker_accepts, NULL, NULL);
  return TRUE;
}

static gboolean
arbiter_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Arbiter *a = user_data;

  if (event == NULL)
    {
      for (int i = 0; i < a->n_smokers; i++)
        {
          Smoker *s = &a->smokers[i];

          s->arbiter = self;
          savina_random_init (&s->random, i);
          a->smoker_tasklets[i] = gtasklet_tasklet_new (smoker_step, s, NULL);
          gtasklet_tasklet_start (a->smoker_tasklets[i]);
        }
    }
  else if (savina_message_name (event) == I_START)
    notify_random_smoker (a);
  else if (++a->rounds >= a->n_rounds)
    {
      for (int i = 0; i < a->n_smokers; i++)
        savina_send (a->smoker_tasklets[i], "exit");
      savina_live_done ();
      return TRUE;
    }
  else
    notify_random_smoker (a);
  gtasklet_tasklet_receive (self, arbiter_accepts, NULL, NULL);
  return TRUE;
}

void
savina_cigsmok (SavinaRun *run)
{
  Arbiter a = { NULL, };
  g_autoptr (GtaskletTasklet) arbiter = NULL;
  SavinaRandom replay;
  gint64 waited = 0, expected_waited = 0;
  int smoked = 0;

  a.n_rounds = savina_param (run, 'r');
  a.n_smokers = savina_param (run, 's');
  a.smokers = g_new0 (Smoker, a.n_smokers);
  a.smoker_tasklets = g_new0 (GtaskletTasklet *, a.n_smokers);
  savina_random_init (&a.random, (gint64) a.n_rounds * a.n_smokers);
  I_START = g_intern_static_string ("start");
  I_SMOKE = g_intern_static_string ("smoke");

  savina_timer_start (run);
  savina_live_add (1 + a.n_smokers);
  arbiter = gtasklet_tasklet_new (arbiter_step, &a, NULL);
  gtasklet_tasklet_start (arbiter);
  savina_send (arbiter, "start");
  savina_loop_run ();
  savina_timer_stop (run);

  savina_check_finished (run, arbiter);
  savina_random_init (&replay, (gint64) a.n_rounds * a.n_smokers);
  for (int r = 0; r < a.n_rounds; r++)
    {
      savina_random_next_long (&replay);
      expected_waited += savina_random_next_int (&replay, 1000) + 10;
    }
  for (int i = 0; i < a.n_smokers; i++)
    {
      savina_check_finished (run, a.smoker_tasklets[i]);
      smoked += a.smokers[i].smoked;
      waited += a.smokers[i].waited;
      g_clear_object (&a.smoker_tasklets[i]);
    }
  if (a.rounds != a.n_rounds || smoked != a.n_rounds || waited != expected_waited)
    savina_check_failed (run, "%d rounds, %d smoked, %" G_GINT64_FORMAT " busy-wait steps; "
                         "expected %d and %" G_GINT64_FORMAT, a.rounds, smoked, waited,
                         a.n_rounds, expected_waited);
  run->msgs = 1 + 2 * (guint64) a.n_rounds + a.n_smokers;
  g_free (a.smoker_tasklets);
  g_free (a.smokers);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Big (Savina "big"): W workers and a sink. Everyone first gets "neighbors" (the array of
 * workers); then every worker gets "pong" -1 from the main program. A worker answering a
 * "pong" sends its next "ping" (its id) to a pseudo-random worker (itself included), seeded
 * with its id, and expects the "pong" back from that one; "ping" from worker j is answered
 * with "pong" (own id) to j. After N pings a worker sends "exit" to the sink instead; when
 * all W have, the sink sends "exit" to every worker and finishes, and so do they. */

#include "savina.h"

static const char * const worker_accepts[] = { "ping", "pong", "exit", "neighbors", NULL };
static const char * const sink_accepts[] = { "exit", "neighbors", NULL };

static const char *I_PING;
static const char *I_PONG;
static const char *I_EXIT;

typedef struct
{
  GtaskletTasklet        *sink;
  GtaskletTasklet       **neighbors;
  SavinaRandom            random;
  int                     id;
  int                     n_workers;
  int                     n_pings;
  int                     pings_sent;
  int                     expected_pinger;
  int                     pongs;
  int                     wrong_pongs;
} Worker;

typedef struct
{
  GtaskletTasklet **neighbors;
  int               n_workers;
  int               exits;
} Sink;

static guint64 pings_answered;

static gboolean
worker_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Worker *w = user_data;

  if (event != NULL)
    {
      const char *name = savina_message_name (event);

      if (name == I_PING)
        {
          pings_answered++;
          savina_send_int (w->neighbors[savina_message_int (event)], "pong", w->id);
        }
      else if (name == I_PONG)
        {
          w->pongs++;
          if (savina_message_int (event) != w->expected_pinger)
            w->wrong_pongs++;
          if (w->pings_sent == w->n_pings)
            savina_send (w->sink, "exit");
          else
            {
              int target = savina_random_next_int (&w->random, w->n_workers);

              w->expected_pinger = target;
              savina_send_int (w->neighbors[target], "ping", w->id);
              w->pings_sent++;
            }
        }
      else if (name == I_EXIT)
        {
          savina_live_done ();
          return TRUE;
        }
      else
        w->neighbors = savina_message_pointer (event);
    }
  gtasklet_tasklet_receive (self, worker_accepts, NULL, NULL);
  return TRUE;
}

static gboolean
sink_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Sink *s = user_data;

  if (event != NULL)
    {
      if (savina_message_name (event) == I_EXIT)
        {
          if (++s->exits == s->n_workers)
            {
              for (int i = 0; i < s->n_workers; i++)
                savina_send (s->neighbors[i], "exit");
              savina_live_done ();
              return TRUE;
            }
        }
      else
        s->neighbors = savina_message_pointer (event);
    }
  gtasklet_tasklet_receive (self, sink_accepts, NULL, NULL);
  return TRUE;
}

void
savina_big (SavinaRun *run)
{
  int n = savina_param (run, 'n'), n_workers = savina_param (run, 'w');
  Worker *workers = g_new0 (Worker, n_workers);
  GtaskletTasklet **tasklets = g_new0 (GtaskletTasklet *, n_workers);
  Sink s = { NULL, };
  g_autoptr (GtaskletTasklet) sink = NULL;

  I_PING = g_intern_static_string ("ping");
  I_PONG = g_intern_static_string ("pong");
  I_EXIT = g_intern_static_string ("exit");
  savina_timer_start (run);
  savina_live_add (1 + n_workers);
  s.n_workers = n_workers;
  sink = gtasklet_tasklet_new (sink_step, &s, NULL);
  gtasklet_tasklet_start (sink);
  for (int i = 0; i < n_workers; i++)
    {
      Worker *w = &workers[i];

      w->id = i;
      w->n_workers = n_workers;
      w->n_pings = n;
      w->expected_pinger = -1;
      w->sink = sink;
      savina_random_init (&w->random, i);
      tasklets[i] = gtasklet_tasklet_new (worker_step, w, NULL);
      gtasklet_tasklet_start (tasklets[i]);
    }
  savina_send_pointer (sink, "neighbors", tasklets);
  for (int i = 0; i < n_workers; i++)
    savina_send_pointer (tasklets[i], "neighbors", tasklets);
  for (int i = 0; i < n_workers; i++)
    savina_send_int (tasklets[i], "pong", -1);
  savina_loop_run ();
  savina_timer_stop (run);

  savina_check_finished (run, sink);
  if (s.exits != n_workers || pings_answered != (guint64) n * n_workers)
    savina_check_failed (run, "%d exits, %" G_GUINT64_FORMAT " pings answered, expected %d "
                         "and %" G_GUINT64_FORMAT, s.exits, pings_answered, n_workers,
                         (guint64) n * n_workers);
  for (int i = 0; i < n_workers; i++)
    {
      Worker *w = &workers[i];

      savina_check_finished (run, tasklets[i]);
      if (w->pings_sent != n || w->pongs != n + 1 || w->wrong_pongs != 0)
        savina_check_failed (run, "worker %d sent %d pings, got %d pongs, %d from the wrong "
                             "worker", i, w->pings_sent, w->pongs, w->wrong_pongs);
      g_clear_object (&tasklets[i]);
    }
  run->msgs = 2 * (guint64) n * n_workers + 4 * (guint64) n_workers + 1;
  g_free (tasklets);
  g_free (workers);
}

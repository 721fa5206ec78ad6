/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Counting actor (Savina "count"): on "increment" the producer sends N "increment" messages
 * to the counter, then "retrieve"; the counter counts and answers "result" with its count to
 * the retrieve's sender. With one scheduler all N are queued before the counter reads one. */

#include "savina.h"

static const char * const producer_accepts[] = { "increment", "result", NULL };
static const char * const counter_accepts[] = { "increment", "retrieve", NULL };

static const char *I_INCREMENT;

typedef struct
{
  GtaskletTasklet *counter;
  int              n;
  int              result;
} Producer;

typedef struct
{
  int count;
} Counter;

static gboolean
producer_step (GtaskletTasklet  *self,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Producer *p = user_data;

  if (event != NULL)
    {
      if (savina_message_name (event) == I_INCREMENT)
        {
          for (int i = 0; i < p->n; i++)
            savina_send (p->counter, "increment");
          savina_send (p->counter, "retrieve");
        }
      else
        {
          p->result = savina_message_int (event);
          savina_live_done ();
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (self, producer_accepts, NULL, NULL);
  return TRUE;
}

static gboolean
counter_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Counter *c = user_data;

  if (event != NULL)
    {
      if (savina_message_name (event) == I_INCREMENT)
        c->count++;
      else
        {
          savina_send_int (savina_message_sender (event), "result", c->count);
          savina_live_done ();
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (self, counter_accepts, NULL, NULL);
  return TRUE;
}

void
savina_counting (SavinaRun *run)
{
  Producer p = { NULL, };
  Counter c = { 0, };
  g_autoptr (GtaskletTasklet) producer = NULL;
  g_autoptr (GtaskletTasklet) counter = NULL;

  p.n = savina_param (run, 'n');
  p.result = -1;
  I_INCREMENT = g_intern_static_string ("increment");

  savina_timer_start (run);
  counter = gtasklet_tasklet_new (counter_step, &c, NULL);
  p.counter = counter;
  producer = gtasklet_tasklet_new (producer_step, &p, NULL);
  savina_live_add (2);
  gtasklet_tasklet_start (counter);
  gtasklet_tasklet_start (producer);
  savina_send (producer, "increment");
  savina_loop_run ();
  savina_timer_stop (run);

  savina_check_finished (run, producer);
  savina_check_finished (run, counter);
  if (p.result != p.n || c.count != p.n)
    savina_check_failed (run, "the producer got %d, the counter counted %d, expected %d",
                         p.result, c.count, p.n);
  run->msgs = (guint64) p.n + 3;
}

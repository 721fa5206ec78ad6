/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Chameneos (Savina "chameneos"): a mall and C chameneos, coloured i % 3. The mall creates
 * them; each sends "meet" (its id and colour) to the mall. The mall keeps the first of a
 * pair waiting and forwards the second's "meet" to it, M times; after that it answers every
 * "meet" with "exit". A chameneo that gets a forwarded "meet" takes the complement colour,
 * sends it in "change" to the other and both count a meeting and go back to the mall. On
 * "exit" a chameneo fades and reports its count of meetings to the mall, which finishes
 * when all have reported. Every meeting counts twice, so the counts add up to 2 M. */

#include "savina.h"

enum { RED, YELLOW, BLUE, FADED };

static const char * const mall_accepts[] = { "meet", "count", NULL };
static const char * const chameneo_accepts[] = { "meet", "change", "exit", NULL };

static const char *I_MEET;
static const char *I_CHANGE;

typedef struct _Mall Mall;

typedef struct
{
  GtaskletTasklet *self;
  Mall            *mall;
  int              id;
  int              color;
  int              meetings;
} Chameneo;

struct _Mall
{
  GtaskletTasklet *self;
  Chameneo        *chameneos;
  int              n_chameneos;
  int              meetings_left;
  int              waiting;
  int              faded;
  gint64           sum_meetings;
  guint64          msgs;
};

static int
complement (int color,
            int other)
{
  if (color == FADED || other == FADED)
    return FADED;
  if (color == other)
    return color;
  return 3 - color - other;
}

/* A "meet" carries who sent it first, so that the mall can forward it unchanged. */
static inline int
meet_value (const Chameneo *c)
{
  return c->id * 4 + c->color;
}

static gboolean
chameneo_step (GtaskletTasklet  *self,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Chameneo *c = user_data;
  Mall *mall = c->mall;

  if (event != NULL)
    {
      const char *name = savina_message_name (event);

      mall->msgs++;
      if (name == I_MEET)
        {
          int value = savina_message_int (event);

          c->color = complement (c->color, value % 4);
          c->meetings++;
          savina_send_int (mall->chameneos[value / 4].self, "change", c->color);
        }
      else if (name == I_CHANGE)
        {
          c->color = savina_message_int (event);
          c->meetings++;
        }
      else
        {
          c->color = FADED;
          savina_send_int (mall->self, "count", c->meetings);
          savina_live_done ();
          return TRUE;
        }
    }
  savina_send_int (mall->self, "meet", meet_value (c));
  gtasklet_tasklet_receive (self, chameneo_accepts, NULL, NULL);
  return TRUE;
}

static gboolean
mall_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Mall *mall = user_data;

  if (event == NULL)
    {
      for (int i = 0; i < mall->n_chameneos; i++)
        {
          Chameneo *c = &mall->chameneos[i];

          c->mall = mall;
          c->id = i;
          c->color = i % 3;
          c->self = gtasklet_tasklet_new (chameneo_step, c, NULL);
          gtasklet_tasklet_start (c->self);
        }
    }
  else
    {
      mall->msgs++;
      if (savina_message_name (event) == I_MEET)
        {
          int value = savina_message_int (event);

          if (mall->meetings_left > 0)
            {
              if (mall->waiting < 0)
                mall->waiting = value / 4;
              else
                {
                  mall->meetings_left--;
                  savina_send_int (mall->chameneos[mall->waiting].self, "meet", value);
                  mall->waiting = -1;
                }
            }
          else
            savina_send (mall->chameneos[value / 4].self, "exit");
        }
      else
        {
          mall->sum_meetings += savina_message_int (event);
          if (++mall->faded == mall->n_chameneos)
            {
              savina_live_done ();
              return TRUE;
            }
        }
    }
  gtasklet_tasklet_receive (self, mall_accepts, NULL, NULL);
  return TRUE;
}

void
savina_chameneos (SavinaRun *run)
{
  Mall mall = { NULL, };
  g_autoptr (GtaskletTasklet) tasklet = NULL;
  int n_meetings = savina_param (run, 'm');

  mall.n_chameneos = savina_param (run, 'c');
  mall.meetings_left = n_meetings;
  mall.waiting = -1;
  mall.chameneos = g_new0 (Chameneo, mall.n_chameneos);
  I_MEET = g_intern_static_string ("meet");
  I_CHANGE = g_intern_static_string ("change");

  savina_timer_start (run);
  savina_live_add (1 + mall.n_chameneos);
  tasklet = mall.self = gtasklet_tasklet_new (mall_step, &mall, NULL);
  gtasklet_tasklet_start (tasklet);
  savina_loop_run ();
  savina_timer_stop (run);

  savina_check_finished (run, tasklet);
  if (mall.sum_meetings != 2 * (gint64) n_meetings || mall.meetings_left != 0)
    savina_check_failed (run, "%" G_GINT64_FORMAT " meetings counted, expected %d",
                         mall.sum_meetings, 2 * n_meetings);
  for (int i = 0; i < mall.n_chameneos; i++)
    {
      Chameneo *c = &mall.chameneos[i];

      savina_check_finished (run, c->self);
      if (c->color != FADED)
        savina_check_failed (run, "chameneo %d has not faded", i);
      g_clear_object (&c->self);
    }
  run->msgs = mall.msgs;
  g_free (mall.chameneos);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run_in_step() and the Looper of the seed-defect tests, see seed-defects-util.h. */
#include "seed-defects-util.h"

/* Runs func inside the first step of a short-lived tasklet. */
typedef struct
{
  void     (*func) (gpointer data);
  gpointer   data;
} Actor;

static gboolean
actor_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Actor *a = user_data;

  a->func (a->data);
  return TRUE;
}

void
run_in_step (void     (*func) (gpointer data),
             gpointer   data)
{
  Actor a = { func, data };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (actor_step, &a, NULL);

  gtasklet_tasklet_start (t);
}

gboolean
looper_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Looper *l = user_data;

  if (event != NULL)
    {
      l->n_events++;
      l->last_event = event;
      if (l->log != NULL)
        g_string_append_printf (l->log, "%s%s", l->log->len > 0 ? " " : "", l->label);
    }
  if (l->n_events < l->n_waits)
    gtasklet_tasklet_wait (tasklet, l->cond);
  return TRUE;
}

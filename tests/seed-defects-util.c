/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Looper of the seed-defect tests, see seed-defects-util.h. */
#include "seed-defects-util.h"

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

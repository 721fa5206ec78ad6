/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-restart-window-private.h"

void
_gtasklet_restart_window_init (GtaskletRestartWindow *self)
{
  g_queue_init (&self->times);
  self->total = 0;
  self->rand = NULL;
}

void
_gtasklet_restart_window_clear (GtaskletRestartWindow *self)
{
  g_queue_clear_full (&self->times, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
}

gboolean
_gtasklet_restart_window_count (GtaskletRestartWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 window = (gint64) self->period_ms * G_TIME_SPAN_MILLISECOND;

  g_queue_push_tail (&self->times, g_memdup2 (&now, sizeof now));
  while (!g_queue_is_empty (&self->times) &&
         *(gint64 *) g_queue_peek_head (&self->times) <= now - window)
    g_free (g_queue_pop_head (&self->times));

  if (g_queue_get_length (&self->times) > self->intensity)
    return FALSE;
  self->total++;
  return TRUE;
}

/* The initial delay doubles with each restart still in the window (so a child that stays up
 * for a period starts from the initial delay again), up to the maximum, then varies by up to
 * the jitter either way. */
guint
_gtasklet_restart_window_delay_ms (GtaskletRestartWindow *self)
{
  guint n = g_queue_get_length (&self->times);
  double delay;

  if (self->backoff_initial_ms == 0 || n == 0)
    return 0;

  delay = self->backoff_initial_ms;
  for (guint i = 1; i < n && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (double) MAX (self->backoff_max_ms, self->backoff_initial_ms));

  if (self->backoff_jitter > 0)
    {
      if (self->rand == NULL)
        self->rand = g_rand_new ();
      delay *= 1 + self->backoff_jitter * g_rand_double_range (self->rand, -1, 1);
    }
  return (guint) MAX (delay, 1);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A supervisor's restarts: how many fit in a sliding window (the intensity over the period),
 * and how long to wait before the next one (an exponential backoff with jitter, off unless
 * an initial delay is set). */
typedef struct
{
  guint   intensity;
  guint   period_ms;
  guint   backoff_initial_ms;   /* 0: restart at once */
  guint   backoff_max_ms;
  double  backoff_jitter;       /* 0 to 1: the delay varies by up to this fraction */
  GQueue  times;                /* monotonic times of the restarts in the window, oldest first */
  guint   total;
  GRand  *rand;
} GtaskletRestartWindow;

void     _gtasklet_restart_window_init     (GtaskletRestartWindow *self);
void     _gtasklet_restart_window_clear    (GtaskletRestartWindow *self);
/* Counts one restart now; FALSE if it is one more than the window may hold. */
gboolean _gtasklet_restart_window_count    (GtaskletRestartWindow *self);
/* How long to wait before the restart just counted: 0 without backoff. */
guint    _gtasklet_restart_window_delay_ms (GtaskletRestartWindow *self);

G_END_DECLS

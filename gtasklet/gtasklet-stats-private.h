/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <time.h>

#include "gtasklet-types.h"

G_BEGIN_DECLS

/* Per-tasklet statistics (gtasklet-statistics.c), off unless GTASKLET_DEBUG contains "stats"
 * or gtasklet_tasklet_set_statistics_enabled() turned them on. Off, they cost one load and
 * one predictable branch per step (the step engine runs the step through
 * _gtasklet_tasklet_run_counted() only when they are on), one per send and one per message
 * queued in a mailbox. */

extern int _gtasklet_stats_enabled;

static inline gboolean
_gtasklet_stats_on (void)
{
  return g_atomic_int_get (&_gtasklet_stats_enabled) != 0;
}

/* Monotonic milliseconds, truncated: an envelope keeps the time it was queued in 32 bits (it
 * fits in padding), and ages are differences, right across the wrap for 49 days. */
static inline guint32
_gtasklet_stats_now_ms (void)
{
  return (guint32) (g_get_monotonic_time () / 1000);
}

/* Counters of one tasklet, in its extras once counting started; touched only on its thread. */
typedef struct
{
  guint64 n_steps;
  guint64 total_step_ns;
  guint64 longest_step_ns;
  guint64 n_sent;
  guint64 n_received;
} GtaskletStatsData;

void     _gtasklet_stats_init_from_env    (void);
gboolean _gtasklet_tasklet_run_counted    (GtaskletTasklet  *self,
                                           GObject          *event,
                                           GError          **error);
void     _gtasklet_tasklet_count_sent     (GtaskletTasklet  *sender);

G_END_DECLS

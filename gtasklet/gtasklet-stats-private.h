/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <time.h>

#include "gtasklet-types.h"

G_BEGIN_DECLS

/* Per-tasklet statistics (gtasklet-statistics.c), warnings (gtasklet-warnings.c) and
 * Sysprof marks share one word of flags, so that while all are off they cost one load and
 * one predictable branch per step (the step engine runs the step through
 * _gtasklet_tasklet_run_counted() only when some flag is set), one per send and one per
 * message queued in a mailbox. */

enum
{
  GTASKLET_INSTRUMENT_STATS   = 1 << 0,
  GTASKLET_INSTRUMENT_WARN    = 1 << 1,
  GTASKLET_INSTRUMENT_SYSPROF = 1 << 2,
};

extern int _gtasklet_instrument;

static inline int
_gtasklet_instrument_flags (void)
{
  return g_atomic_int_get (&_gtasklet_instrument);
}

/* The shared branch: is anything on? */
static inline gboolean
_gtasklet_stats_on (void)
{
  return _gtasklet_instrument_flags () != 0;
}

void _gtasklet_instrument_set (int flag, gboolean on);

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
  /* Rate limiting of warnings (gtasklet-warnings.c): per kind, when the last one was
   * printed (monotonic us) and how many were suppressed since. */
  gint64  warned_us[3];
  guint   suppressed[3];
} GtaskletStatsData;

void     _gtasklet_stats_init_from_env    (void);
GtaskletStatsData *_gtasklet_tasklet_stats_for (GtaskletTasklet *self);
/* gtasklet-warnings.c: the checks, run only while warnings are on (the tasklet's thread). */
void     _gtasklet_warn_init_from_env     (void);
void     _gtasklet_warn_after_step        (GtaskletTasklet  *self,
                                           guint64           elapsed_ns);
void     _gtasklet_warn_mailbox_push      (gpointer          mailbox);
#ifdef HAVE_SYSPROF
/* gtasklet-sysprof.c: a mark spanning one step, started at @start_ns (CLOCK_MONOTONIC). */
void     _gtasklet_sysprof_mark           (GtaskletTasklet  *self,
                                           guint64           start_ns,
                                           guint64           elapsed_ns);
#endif
/* For tests: the minimum interval between two warnings of one kind about one tasklet. */
void     _gtasklet_warn_set_interval_us   (gint64            interval_us);
gboolean _gtasklet_tasklet_run_counted    (GtaskletTasklet  *self,
                                           GObject          *event,
                                           GError          **error);
void     _gtasklet_tasklet_count_sent     (GtaskletTasklet  *sender);

G_END_DECLS

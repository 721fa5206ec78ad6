/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-statistics.h"

#include <string.h>

#include "gtasklet-stats-private.h"
#include "gtasklet-step-private.h"
#include "gtasklet-tasklet-private.h"

/**
 * GtaskletStatistics:
 * @n_steps: the steps the tasklet ran while statistics were on
 * @total_step_ns: the time those steps took together, in nanoseconds
 * @longest_step_ns: the longest of those steps, in nanoseconds
 * @mailbox_depth: the messages waiting in the tasklet's mailbox now, as
 *   [method@Gtasklet.Tasklet.get_n_pending_messages] counts them
 * @oldest_message_age_ms: how long the oldest message queued in the mailbox has waited, in
 *   milliseconds; -1 when none is queued, or when it was queued while statistics were off
 * @n_sent: the messages the tasklet's steps sent while statistics were on
 * @n_received: the messages the tasklet received as a step's event while statistics were on
 *
 * What [method@Gtasklet.Tasklet.get_statistics] found about a tasklet.
 *
 * Statistics are off by default, and cost almost nothing then. Turn them on with
 * [func@Gtasklet.Tasklet.set_statistics_enabled], or for a whole run by setting the
 * environment variable `GTASKLET_DEBUG` to a value containing `stats` (for example
 * `GTASKLET_DEBUG=stats`). Counters start when they are turned on; turning them off keeps what
 * was counted.
 *
 * Since: 1.2
 */

G_DEFINE_BOXED_TYPE (GtaskletStatistics, gtasklet_statistics,
                     gtasklet_statistics_copy, gtasklet_statistics_free)

int _gtasklet_instrument;

static void calibrate_ticks (void);

void
_gtasklet_instrument_set (int      flag,
                          gboolean on)
{
  if (on)
    calibrate_ticks ();
  if (on)
    g_atomic_int_or ((guint *) &_gtasklet_instrument, (guint) flag);
  else
    g_atomic_int_and ((guint *) &_gtasklet_instrument, ~(guint) flag);
}

/* By the tasklet's class_init, before any tasklet exists, and by the switch's functions,
 * which may come first: the environment is read once, before any call of the API can
 * change the setting. */
void
_gtasklet_stats_init_from_env (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      const char *debug = g_getenv ("GTASKLET_DEBUG");

      if (debug != NULL && strstr (debug, "stats") != NULL)
        _gtasklet_instrument_set (GTASKLET_INSTRUMENT_STATS, TRUE);
      _gtasklet_warn_init_from_env ();
#ifdef HAVE_SYSPROF
      /* Sysprof hands the programs it profiles a socket in this variable: marks cost
       * nothing unless someone records them. */
      if (g_getenv ("SYSPROF_CONTROL_FD") != NULL ||
          (debug != NULL && strstr (debug, "sysprof") != NULL))
        _gtasklet_instrument_set (GTASKLET_INSTRUMENT_SYSPROF, TRUE);
#endif
      g_once_init_leave (&initialized, 1);
    }
}

GtaskletStatsData *
_gtasklet_tasklet_stats_for (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras = _gtasklet_tasklet_get_extras (self);

  if G_UNLIKELY (extras->stats == NULL)
    extras->stats = g_new0 (GtaskletStatsData, 1);
  return extras->stats;
}

static inline guint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}

/* Why the time-stamp counter on x86-64: two clock_gettime() calls cost about 40 ns, more than
 * a whole step of a small tasklet; two rdtsc about 17. The counter runs at a constant rate on
 * every x86-64 CPU of the last fifteen years (constant_tsc), and its rate is measured once,
 * against CLOCK_MONOTONIC, when instrumentation is first turned on. */
#if defined (__x86_64__) && defined (__GNUC__)
#include <x86intrin.h>

static double ns_per_tick;

static void
calibrate_ticks (void)
{
  static gsize calibrated;

  if (g_once_init_enter (&calibrated))
    {
      guint64 t0 = now_ns (), c0 = __rdtsc (), t1, c1;

      do
        t1 = now_ns ();
      while (t1 - t0 < 2000000);
      c1 = __rdtsc ();
      ns_per_tick = c1 > c0 ? (double) (t1 - t0) / (double) (c1 - c0) : 1.0;
      g_once_init_leave (&calibrated, 1);
    }
}

static inline guint64
step_ticks (void)
{
  return __rdtsc ();
}

static inline guint64
ticks_to_ns (guint64 ticks)
{
  return (guint64) ((double) ticks * ns_per_tick);
}
#else
static void
calibrate_ticks (void)
{
}

static inline guint64
step_ticks (void)
{
  return now_ns ();
}

static inline guint64
ticks_to_ns (guint64 ticks)
{
  return ticks;
}
#endif

/* The step engine runs a step through here while statistics, warnings or Sysprof marks are
 * on. */
gboolean
_gtasklet_tasklet_run_counted (GtaskletTasklet  *self,
                               GObject          *event,
                               GError          **error)
{
  int flags = _gtasklet_instrument_flags ();
  guint64 start, elapsed;
  gboolean ok;

  start = step_ticks ();
  ok = GTASKLET_TASKLET_GET_CLASS (self)->run (self, event, error);
  elapsed = ticks_to_ns (step_ticks () - start);

  /* The step may have finished the tasklet, but it holds itself until the step returns, so
   * its extras are still there. */
  if (flags & GTASKLET_INSTRUMENT_STATS)
    {
      GtaskletStatsData *stats = _gtasklet_tasklet_stats_for (self);

      if (event != NULL && IS_MESSAGE (event))
        stats->n_received++;
      stats->n_steps++;
      stats->total_step_ns += elapsed;
      stats->longest_step_ns = MAX (stats->longest_step_ns, elapsed);
    }
  if (flags & GTASKLET_INSTRUMENT_WARN)
    _gtasklet_warn_after_step (self, elapsed);
#ifdef HAVE_SYSPROF
  if (flags & GTASKLET_INSTRUMENT_SYSPROF)
    _gtasklet_sysprof_mark (self, now_ns () - elapsed, elapsed);
#endif
  return ok;
}

/* A step of @sender sent a message (on @sender's thread). */
void
_gtasklet_tasklet_count_sent (GtaskletTasklet *sender)
{
  _gtasklet_tasklet_stats_for (sender)->n_sent++;
}

/**
 * gtasklet_tasklet_set_statistics_enabled:
 * @enabled: whether to count
 *
 * Turns the per-tasklet statistics of the whole process on or off (see
 * [struct@Gtasklet.Statistics]). Setting `GTASKLET_DEBUG=stats` in the environment turns them
 * on from the start. While they are off, gtasklet counts nothing and a step costs one more
 * predictable branch.
 *
 * This function is thread-safe; steps that are running when it is called may not be counted.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_set_statistics_enabled (gboolean enabled)
{
  _gtasklet_stats_init_from_env ();
  _gtasklet_instrument_set (GTASKLET_INSTRUMENT_STATS, enabled);
}

/**
 * gtasklet_tasklet_get_statistics_enabled:
 *
 * Whether per-tasklet statistics are being counted (see [struct@Gtasklet.Statistics]).
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if statistics are on
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_get_statistics_enabled (void)
{
  _gtasklet_stats_init_from_env ();
  return (_gtasklet_instrument_flags () & GTASKLET_INSTRUMENT_STATS) != 0;
}

/**
 * gtasklet_tasklet_get_statistics:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * What has been counted about @self while statistics were on (see
 * [func@Gtasklet.Tasklet.set_statistics_enabled]), with its mailbox as it is now. Counters
 * that were never on read 0.
 *
 * Call it from the thread that runs the tasklet (its own steps may call it), or from any
 * thread once it has finished: the counters and the mailbox belong to that thread.
 *
 * Returns: (transfer full): a new [struct@Gtasklet.Statistics]
 *
 * Since: 1.2
 */
GtaskletStatistics *
gtasklet_tasklet_get_statistics (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;
  GtaskletTaskletExtras *extras;
  GtaskletStatistics *out;
  GtaskletEnvelope *oldest;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  priv = _gtasklet_tasklet_get_private (self);
  extras = g_atomic_pointer_get (&priv->extras);
  out = g_new0 (GtaskletStatistics, 1);

  if (extras != NULL && extras->stats != NULL)
    {
      const GtaskletStatsData *stats = extras->stats;

      out->n_steps = stats->n_steps;
      out->total_step_ns = stats->total_step_ns;
      out->longest_step_ns = stats->longest_step_ns;
      out->n_sent = stats->n_sent;
      out->n_received = stats->n_received;
    }

  out->mailbox_depth = gtasklet_tasklet_get_n_pending_messages (self);
  out->oldest_message_age_ms = -1;
  /* Before the start, other threads fill the mailbox under the lock; a finished tasklet's is
   * empty. */
  if (_gtasklet_tasklet_peek_state (self) != GTASKLET_STATE_NEW)
    {
      oldest = priv->mailbox.head;
      if (oldest != NULL && (oldest->flags & ENVELOPE_TIMED))
        out->oldest_message_age_ms = (guint32) (_gtasklet_stats_now_ms () - oldest->queued_ms);
    }
  return out;
}

/**
 * gtasklet_statistics_copy:
 * @self: a [struct@Gtasklet.Statistics]
 *
 * Copies @self.
 *
 * This function is thread-safe.
 *
 * Returns: (transfer full): a copy of @self
 *
 * Since: 1.2
 */
GtaskletStatistics *
gtasklet_statistics_copy (const GtaskletStatistics *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

/**
 * gtasklet_statistics_free:
 * @self: a [struct@Gtasklet.Statistics]
 *
 * Frees @self.
 *
 * This function is thread-safe.
 *
 * Since: 1.2
 */
void
gtasklet_statistics_free (GtaskletStatistics *self)
{
  g_free (self);
}

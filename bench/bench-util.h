/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sizes of one workload run; each workload reads the fields it needs. */
typedef struct
{
  guint n;   /* round trips, ring size R, tasklets, timers, messages per sender or ticks */
  guint m;   /* laps around the ring (M), or the pause between round trips in ms */
} BenchParams;

/* For data that different threads write: on cache lines of its own (128 bytes, since
 * adjacent-line prefetch pairs 64-byte lines), so that no figure measures false sharing. */
#define BENCH_ALIGNED __attribute__ ((aligned (128)))

typedef void (*BenchFunc) (const BenchParams *params);

typedef struct
{
  const char *name;
  BenchFunc   gtasklet;
  BenchFunc   glib;
  guint       default_n;
  guint       default_m;
} BenchWorkload;

double  bench_now_s          (void);
double  bench_cpu_s          (double                 *user_s,
                              double                 *sys_s);
gint64  bench_rss_bytes      (void);
gint64  bench_peak_rss_kb    (void);
void    bench_touch          (gpointer                mem,
                              gsize                   size);

void    bench_result         (const char             *workload,
                              const char             *impl,
                              const char             *format,
                              ...) G_GNUC_PRINTF (3, 4);
G_NORETURN
void    bench_check_failed   (const char             *workload,
                              const char             *impl,
                              const char             *format,
                              ...) G_GNUC_PRINTF (3, 4);

/* Sorts @values (µs) in place and summarises them; nearest-rank percentiles. */
typedef struct
{
  gint64 p50;
  gint64 p99;
  gint64 max;
  double mean;
} BenchLatency;

void    bench_latency        (gint64                 *values,
                              guint                   n,
                              BenchLatency           *out);

/* Iterates the thread-default main context until *remaining drops to zero; returns the
 * number of iterations. */
guint64 bench_run_until_zero (const guint            *remaining);

void    bench_gtasklet_pingpong (const BenchParams *params);
void    bench_gtasklet_ring     (const BenchParams *params);
void    bench_gtasklet_spawn    (const BenchParams *params);
void    bench_gtasklet_idle     (const BenchParams *params);
void    bench_gtasklet_idle_cond (const BenchParams *params);
void    bench_gtasklet_timers   (const BenchParams *params);

/* Across threads (bench-pool.c, bench-pool-scale.c, bench-baseline-threads.c) */
void    bench_gtasklet_xping     (const BenchParams *params);
void    bench_gtasklet_xlatency  (const BenchParams *params);
void    bench_gtasklet_fanin     (const BenchParams *params);
void    bench_gtasklet_ringscale (const BenchParams *params);
void    bench_gtasklet_fairness  (const BenchParams *params);

/* Seeing inside (bench-seeing.c) */
void    bench_gtasklet_steps     (const BenchParams *params);
void    bench_gtasklet_snapshot  (const BenchParams *params);
void    bench_glib_steps         (const BenchParams *params);
void    bench_glib_snapshot      (const BenchParams *params);

void    bench_glib_pingpong     (const BenchParams *params);
void    bench_glib_ring         (const BenchParams *params);
void    bench_glib_spawn        (const BenchParams *params);
void    bench_glib_idle         (const BenchParams *params);
void    bench_glib_timers       (const BenchParams *params);

void    bench_glib_xping         (const BenchParams *params);
void    bench_glib_xlatency      (const BenchParams *params);
void    bench_glib_fanin         (const BenchParams *params);
void    bench_glib_ringscale     (const BenchParams *params);
void    bench_glib_fairness      (const BenchParams *params);

/* Supervision (bench-supervision.c) */
void    bench_gtasklet_restart   (const BenchParams *params);
void    bench_gtasklet_onefall   (const BenchParams *params);
void    bench_gtasklet_monitors  (const BenchParams *params);
void    bench_glib_restart       (const BenchParams *params);
void    bench_glib_onefall       (const BenchParams *params);
void    bench_glib_monitors      (const BenchParams *params);

/* Across processes (bench-node.c) */
void    bench_gtasklet_rping     (const BenchParams *params);
void    bench_gtasklet_rstream   (const BenchParams *params);
void    bench_glib_rping         (const BenchParams *params);
void    bench_glib_rstream       (const BenchParams *params);

G_END_DECLS

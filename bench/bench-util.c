/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench-util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

double
bench_now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double
bench_cpu_s (double *user_s,
             double *sys_s)
{
  struct rusage ru;
  double user, sys;

  getrusage (RUSAGE_SELF, &ru);
  user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
  sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  if (user_s != NULL)
    *user_s = user;
  if (sys_s != NULL)
    *sys_s = sys;
  return user + sys;
}

gint64
bench_rss_bytes (void)
{
  FILE *f;
  long long size = 0, resident = 0;

  f = fopen ("/proc/self/statm", "r");
  if (f == NULL)
    return -1;
  if (fscanf (f, "%lld %lld", &size, &resident) != 2)
    resident = -1;
  fclose (f);
  return resident < 0 ? -1 : (gint64) resident * sysconf (_SC_PAGESIZE);
}

gint64
bench_peak_rss_kb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

/* Fault the pages in now, so that a later RSS delta does not count memory that was
 * reserved before the measurement but first written during it. */
void
bench_touch (gpointer mem,
             gsize    size)
{
  memset (mem, 0, size);
}

void
bench_result (const char *workload,
              const char *impl,
              const char *format,
              ...)
{
  va_list args;

  printf ("RESULT workload=%s impl=%s ", workload, impl);
  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  printf ("\n");
  fflush (stdout);
}

void
bench_check_failed (const char *workload,
                    const char *impl,
                    const char *format,
                    ...)
{
  va_list args;

  fflush (stdout);
  fprintf (stderr, "CHECK-FAILED workload=%s impl=%s: ", workload, impl);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fprintf (stderr, "\n");
  exit (2);
}

static int
compare_i64 (const void *a,
             const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
bench_latency (gint64       *values,
               guint         n,
               BenchLatency *out)
{
  double sum = 0;

  g_return_if_fail (n > 0);

  qsort (values, n, sizeof (gint64), compare_i64);
  for (guint i = 0; i < n; i++)
    sum += values[i];
  /* Nearest rank: the smallest value with at least p% of the values at or below it. */
  out->p50 = values[(n * 50 + 99) / 100 - 1];
  out->p99 = values[(n * 99 + 99) / 100 - 1];
  out->max = values[n - 1];
  out->mean = sum / n;
}

guint64
bench_run_until_zero (const guint *remaining)
{
  guint64 iterations = 0;

  while (*remaining > 0)
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
    }
  return iterations;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* savina-gtasklet BENCH [-k VALUE | k=VALUE]...
 *
 * Runs one Savina benchmark (Imam & Sarkar 2014) on gtasklet, checks its result and prints
 *
 *   RESULT suite=savina bench=NAME impl=gtasklet K=V... wall_ms=... cpu_ms=... msgs=...
 *
 * Wall and CPU (user + sys, getrusage) cover the workload only: from creating the first actor
 * to the last one finishing. A wrong result prints "CHECK-FAILED ..." on stderr and exits 2.
 * Parameters take Savina's option letters, as "-n 5" or as "n=5" (the form the Erlang
 * programs take).
 * See README.md beside this file. */

#include "savina.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Savina's defaults (its *Config.java), except Thread Ring's and Cigarette Smokers' rounds:
 * at Savina's sizes they take about a millisecond, too short to compare. */
static const SavinaBench benches[] = {
  { "counting", "Counting actor", savina_counting,
    { { 'n', 1000000, "messages" } } },
  { "fjthrput", "Fork-join throughput", savina_fjthrput,
    { { 'n', 10000, "messages per actor" }, { 'a', 60, "actors" } } },
  { "fjcreate", "Fork-join actor creation", savina_fjcreate,
    { { 'n', 40000, "actors" } } },
  { "threadring", "Thread ring", savina_threadring,
    { { 'n', 100, "actors" }, { 'r', 1000000, "pings (Savina: 100,000)" } } },
  { "chameneos", "Chameneos", savina_chameneos,
    { { 'c', 100, "chameneos" }, { 'm', 200000, "meetings" } } },
  { "big", "Big", savina_big,
    { { 'n', 20000, "pings per worker" }, { 'w', 120, "workers" } } },
  { "banking", "Bank transaction", savina_banking,
    { { 'a', 1000, "accounts" }, { 'n', 50000, "transactions" } } },
  { "cigsmok", "Cigarette smokers", savina_cigsmok,
    { { 'r', 100000, "rounds (Savina: 1,000)" }, { 's', 200, "smokers" } } },
};

volatile double savina_theta = 37.2;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int
savina_param (const SavinaRun *run,
              char             key)
{
  for (guint i = 0; i < SAVINA_MAX_PARAMS && run->bench->params[i].key != 0; i++)
    if (run->bench->params[i].key == key)
      return run->values[i];
  g_error ("benchmark %s has no parameter -%c", run->bench->name, key);
}

void
savina_timer_start (SavinaRun *run)
{
  run->cpu0 = cpu_ms ();
  run->wall0 = now_ms ();
}

void
savina_timer_stop (SavinaRun *run)
{
  run->wall_ms = now_ms () - run->wall0;
  run->cpu_ms = cpu_ms () - run->cpu0;
}

void
savina_check_failed (const SavinaRun *run,
                     const char      *format,
                     ...)
{
  va_list args;

  fflush (stdout);
  fprintf (stderr, "CHECK-FAILED suite=savina bench=%s impl=gtasklet: ", run->bench->name);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fprintf (stderr, "\n");
  exit (2);
}

void
savina_check_finished (const SavinaRun *run,
                       GtaskletTasklet *tasklet)
{
  const GError *error;

  if (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    savina_check_failed (run, "an actor is in state %d, not finished",
                         gtasklet_tasklet_get_state (tasklet));
  error = gtasklet_tasklet_get_error (tasklet);
  if (error != NULL)
    savina_check_failed (run, "an actor failed: %s", error->message);
}

/* ---- termination ------------------------------------------------------------------------- */

static guint live;
static GMainLoop *loop;

void
savina_live_add (guint n)
{
  live += n;
}

void
savina_live_done (void)
{
  g_assert (live > 0);
  if (--live == 0 && loop != NULL)
    g_main_loop_quit (loop);
}

void
savina_loop_run (void)
{
  if (live == 0)
    return;
  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  g_clear_pointer (&loop, g_main_loop_unref);
}

/* ---- sending ----------------------------------------------------------------------------- */

static guint lost_sends;

static inline void
send_value (GtaskletTasklet *dest,
            const char      *name,
            const GValue    *value)
{
  if (G_UNLIKELY (!gtasklet_tasklet_send (dest, name, value)))
    lost_sends++;
}

void
savina_send (GtaskletTasklet *dest,
             const char      *name)
{
  send_value (dest, name, NULL);
}

void
savina_send_int (GtaskletTasklet *dest,
                 const char      *name,
                 int              value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  send_value (dest, name, &v);
}

void
savina_send_int64 (GtaskletTasklet *dest,
                   const char      *name,
                   gint64           value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  send_value (dest, name, &v);
}

void
savina_send_pointer (GtaskletTasklet *dest,
                     const char      *name,
                     gpointer         value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_POINTER);
  g_value_set_pointer (&v, value);
  send_value (dest, name, &v);
}

guint
savina_lost_sends (void)
{
  return lost_sends;
}

double
savina_compute (void)
{
  double s = sin (savina_theta);

  return s * s;
}

/* ---- main -------------------------------------------------------------------------------- */

static G_NORETURN void
usage (void)
{
  fprintf (stderr, "usage: savina-gtasklet BENCH [-k VALUE | k=VALUE]...\n\n"
           "benchmarks and default parameters (Savina's, but for two longer runs):\n");
  for (gsize b = 0; b < G_N_ELEMENTS (benches); b++)
    {
      fprintf (stderr, "  %-11s %s:", benches[b].name, benches[b].title);
      for (guint i = 0; i < SAVINA_MAX_PARAMS && benches[b].params[i].key != 0; i++)
        fprintf (stderr, " -%c %d (%s)", benches[b].params[i].key, benches[b].params[i].value,
                 benches[b].params[i].meaning);
      fprintf (stderr, "\n");
    }
  exit (64);
}

int
main (int   argc,
      char *argv[])
{
  SavinaRun run = { NULL, };
  GString *line;

  if (argc < 2)
    usage ();
  for (gsize b = 0; b < G_N_ELEMENTS (benches); b++)
    if (strcmp (benches[b].name, argv[1]) == 0)
      run.bench = &benches[b];
  if (run.bench == NULL)
    usage ();

  for (guint i = 0; i < SAVINA_MAX_PARAMS; i++)
    run.values[i] = run.bench->params[i].value;
  for (int a = 2; a < argc; a++)
    {
      const char *text;
      guint i;
      char *end;
      char key;
      long value;

      if (argv[a][0] == '-' && argv[a][1] != 0 && argv[a][2] == 0 && a + 1 < argc)
        {
          key = argv[a][1];
          text = argv[++a];
        }
      else if (argv[a][0] != 0 && argv[a][1] == '=')
        {
          key = argv[a][0];
          text = argv[a] + 2;
        }
      else
        usage ();
      for (i = 0; i < SAVINA_MAX_PARAMS && run.bench->params[i].key != key; i++)
        ;
      value = strtol (text, &end, 10);
      if (i == SAVINA_MAX_PARAMS || key == 0 || end == text || *end != 0 || value <= 0 ||
          value > G_MAXINT / 4)
        usage ();
      run.values[i] = (int) value;
    }

  /* Class initialisation is one-time process setup, like starting a VM: not timed. The
   * references are kept; the classes stay for the life of the process anyway. */
  g_type_class_ref (GTASKLET_TYPE_TASKLET);
  g_type_class_ref (GTASKLET_TYPE_MESSAGE);
  g_type_class_ref (GTASKLET_TYPE_WAIT_FOR_MESSAGES);

  run.bench->run (&run);

  if (savina_lost_sends () > 0)
    savina_check_failed (&run, "%u messages were sent to finished actors",
                         savina_lost_sends ());

  line = g_string_new (NULL);
  g_string_append_printf (line, "RESULT suite=savina bench=%s impl=gtasklet", run.bench->name);
  for (guint i = 0; i < SAVINA_MAX_PARAMS && run.bench->params[i].key != 0; i++)
    g_string_append_printf (line, " %c=%d", run.bench->params[i].key, run.values[i]);
  g_string_append_printf (line, " wall_ms=%.3f cpu_ms=%.3f msgs=%" G_GUINT64_FORMAT,
                          run.wall_ms, run.cpu_ms, run.msgs);
  puts (line->str);
  g_string_free (line, TRUE);
  return 0;
}

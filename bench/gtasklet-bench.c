/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* gtasklet-bench WORKLOAD [--impl=both|gtasklet|glib] [-n N] [-m M]
 *
 * Runs one workload of ../shared/bench/WORKLOADS.md (pingpong, ring, spawn, idle, timers), or
 * one across threads (xping, xlatency, fanin, ringscale, fairness), on gtasklet and on the
 * plain-GLib baseline. With --impl=both (the default) each runs in a fresh
 * process (this program re-executed), so peak RSS and allocator state of one never leak into
 * the other; their RESULT lines are passed through and followed by RATIO lines
 * (gtasklet / baseline) for every figure both report. bench/run parses the RESULT lines. */

#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gtasklet/gtasklet.h>

static const BenchWorkload workloads[] = {
  { "pingpong", bench_gtasklet_pingpong, bench_glib_pingpong, 1000000, 0 },
  { "ring",     bench_gtasklet_ring,     bench_glib_ring,     1000,    1000 },
  { "spawn",    bench_gtasklet_spawn,    bench_glib_spawn,    100000,  0 },
  { "idle",     bench_gtasklet_idle,     bench_glib_idle,     100000,  0 },
  { "idle-cond", bench_gtasklet_idle_cond, bench_glib_idle,   100000,  0 },
  { "timers",   bench_gtasklet_timers,   bench_glib_timers,   10000,   0 },
  /* Across threads: -n round trips (xping, xlatency; -m is xlatency's pause in ms), messages
   * per sender (fanin), ring size R with -m laps (ringscale), timer ticks (fairness). */
  { "xping",     bench_gtasklet_xping,     bench_glib_xping,     100000, 0 },
  { "xlatency",  bench_gtasklet_xlatency,  bench_glib_xlatency,  1000,   1 },
  { "fanin",     bench_gtasklet_fanin,     bench_glib_fanin,     250000, 0 },
  { "ringscale", bench_gtasklet_ringscale, bench_glib_ringscale, 100,    10000 },
  { "fairness",  bench_gtasklet_fairness,  bench_glib_fairness,  2000,   0 },
  /* Supervision: -n restarts (restart), children (onefall), monitors (monitors). */
  { "restart",   bench_gtasklet_restart,   bench_glib_restart,   100000, 0 },
  { "onefall",   bench_gtasklet_onefall,   bench_glib_onefall,   10000,  0 },
  { "monitors",  bench_gtasklet_monitors,  bench_glib_monitors,  1000000, 0 },
  /* Seeing inside: step cost with statistics and warnings off and on (-n round trips), and a
   * snapshot of -n live tasklets. */
  { "steps",     bench_gtasklet_steps,     bench_glib_steps,     1000000, 0 },
  { "snapshot",  bench_gtasklet_snapshot,  bench_glib_snapshot,  1000000, 0 },
  /* Across processes (bench-node.c): -n round trips (rping) or messages (rstream); -m 0 peer
   * to peer, 1 through a dbus-daemon started for the run. */
  { "rping",     bench_gtasklet_rping,     bench_glib_rping,     10000,  0 },
  { "rstream",   bench_gtasklet_rstream,   bench_glib_rstream,   200000, 0 },
};

/* Keys that describe the run rather than measure it: no ratio for them. */
static const char * const size_keys[] = { "workload", "impl", "n", "m", "r", "msgs", "hops",
                                          "gap_ms", "senders", "rings", "ticks", "transport",
                                          NULL };

static const BenchWorkload *
find_workload (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (workloads); i++)
    if (strcmp (workloads[i].name, name) == 0)
      return &workloads[i];
  return NULL;
}

/* Parses "RESULT k=v k=v ..." into a table of k -> v; NULL if the line is not a result. */
static GHashTable *
parse_result (const char *line)
{
  g_auto (GStrv) fields = NULL;
  GHashTable *table;

  if (!g_str_has_prefix (line, "RESULT "))
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fields = g_strsplit (line + strlen ("RESULT "), " ", -1);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');

      if (eq != NULL)
        g_hash_table_insert (table, g_strndup (fields[i], eq - fields[i]), g_strdup (eq + 1));
    }
  return table;
}

/* Runs this program again for one implementation; returns its RESULT line's table. */
static GHashTable *
run_child (const char *self_exe,
           const char *workload,
           const char *impl,
           guint       n,
           guint       m,
           int         timeout_s)
{
  g_autofree char *impl_arg = g_strdup_printf ("--impl=%s", impl);
  g_autofree char *n_arg = g_strdup_printf ("--size=%u", n);
  g_autofree char *m_arg = g_strdup_printf ("--laps=%u", m);
  g_autofree char *t_arg = g_strdup_printf ("--timeout=%d", timeout_s);
  const char *argv[] = { self_exe, workload, impl_arg, n_arg, m_arg, t_arg, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GHashTable *result = NULL;
  int status = 0;

  /* stderr is inherited: check failures and GLib criticals show up as they happen. */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, NULL, &status, &error))
    {
      fprintf (stderr, "gtasklet-bench: cannot run %s: %s\n", self_exe, error->message);
      return NULL;
    }

  fputs (out, stdout);
  fflush (stdout);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && result == NULL; i++)
    result = parse_result (lines[i]);

  if (!g_spawn_check_wait_status (status, &error))
    {
      printf ("FAILED workload=%s impl=%s status=\"%s\"\n", workload, impl, error->message);
      fflush (stdout);
      g_clear_pointer (&result, g_hash_table_unref);
    }
  return result;
}

static int
run_both (const BenchWorkload *w,
          guint                n,
          guint                m,
          int                  timeout_s)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GHashTable) base = NULL;
  g_autoptr (GHashTable) tasklet = NULL;
  g_autoptr (GList) keys = NULL;

  if (self_exe == NULL)
    {
      fprintf (stderr, "gtasklet-bench: cannot find /proc/self/exe\n");
      return 1;
    }

  base = run_child (self_exe, w->name, "glib", n, m, timeout_s);
  tasklet = run_child (self_exe, w->name, "gtasklet", n, m, timeout_s);
  if (base == NULL || tasklet == NULL)
    return 1;

  keys = g_hash_table_get_keys (tasklet);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *tv = g_hash_table_lookup (tasklet, key);
      const char *bv = g_hash_table_lookup (base, key);
      double t, b;

      if (bv == NULL || g_strv_contains (size_keys, key))
        continue;
      t = g_ascii_strtod (tv, NULL);
      b = g_ascii_strtod (bv, NULL);
      if (b != 0)
        printf ("RATIO workload=%s key=%s gtasklet=%s glib=%s ratio=%.3f\n",
                w->name, key, tv, bv, t / b);
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *impl = NULL;
  const BenchWorkload *w;
  BenchParams params = { 0, };
  int n = -1, m = -1, timeout_s = 300;
  GOptionEntry entries[] = {
    { "impl", 'i', 0, G_OPTION_ARG_STRING, &impl,
      "both (default: each in its own process, then ratios), gtasklet or glib", "IMPL" },
    { "size", 'n', 0, G_OPTION_ARG_INT, &n,
      "size: round trips, ring size R, tasklets, timers, messages per sender or ticks", "N" },
    { "laps", 'm', 0, G_OPTION_ARG_INT, &m,
      "ring, ringscale: laps M around the ring; xlatency: pause in ms; "
      "rping, rstream: 0 peer to peer, 1 through a bus", "M" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout_s,
      "abort a run after this many seconds (default 300, 0: never)", "S" },
    { NULL }
  };

  context = g_option_context_new ("WORKLOAD");
  g_option_context_set_summary (context,
                                "Workloads: pingpong, ring, spawn, idle, idle-cond, timers; "
                                "across threads: xping, xlatency, fanin, ringscale, fairness; "
                                "seeing inside: steps, snapshot; "
                                "across processes: rping, rstream "
                                "(see bench/README.md).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "gtasklet-bench: %s\n", error->message);
      return 64;
    }
  if (argc != 2 || (w = find_workload (argv[1])) == NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fputs (help, stderr);
      return 64;
    }

  params.n = n >= 0 ? (guint) n : w->default_n;
  params.m = m >= 0 ? (guint) m : w->default_m;

  if (impl == NULL || strcmp (impl, "both") == 0)
    return run_both (w, params.n, params.m, timeout_s);

  /* A hung run is a finding (see bench/README.md); SIGALRM's default action ends it. */
  if (timeout_s > 0)
    alarm (timeout_s);

  if (strcmp (impl, "gtasklet") == 0)
    {
      /* Initialise the classes up front, so that one-time setup is not timed. The
       * references are kept: the classes stay for the life of the process anyway. */
      g_type_class_ref (GTASKLET_TYPE_TASKLET);
      g_type_class_ref (GTASKLET_TYPE_MESSAGE);
      g_type_class_ref (GTASKLET_TYPE_WAIT_FOR_MESSAGES);
      g_type_class_ref (GTASKLET_TYPE_WAIT_FOR_TASKLET);
      g_type_class_ref (GTASKLET_TYPE_WAIT_FOR_TIMEOUT);
      g_type_class_ref (GTASKLET_TYPE_POOL);
      w->gtasklet (&params);
    }
  else if (strcmp (impl, "glib") == 0)
    w->glib (&params);
  else
    {
      fprintf (stderr, "gtasklet-bench: unknown --impl=%s\n", impl);
      return 64;
    }
  return 0;
}

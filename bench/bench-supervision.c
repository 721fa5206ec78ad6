/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Supervision workloads (see README.md):
 *
 * restart   one child that fails in its first step, restarted -n times by a one-for-one
 *           supervisor: time per restart (end of a child to the end of the next one's first
 *           step). Baseline: a struct freed and a new one made from an idle callback per
 *           restart, the main-loop hop alone.
 * onefall   -n children under a one-for-all supervisor; one fails: time until all of them
 *           were stopped (one at a time, the last first) and started again. Baseline: the
 *           same sequence of stops and starts as structs, one idle callback per stop.
 * monitors  -n idle tasklets, then one tasklet monitors each of them twice: bytes per
 *           monitor (the RSS delta of the second round / N), and of a tasklet's first monitor
 *           (which also makes the tasklet's record of rarely used state). Baseline: a
 *           GHashTable entry per monitored pointer.
 */

#include "bench-util.h"

#include <gio/gio.h>

#include <gtasklet/gtasklet.h>

#define IMPL_GT "gtasklet"
#define IMPL_GLIB "glib"

/* ---- restart -------------------------------------------------------------------------- */

typedef struct
{
  guint  target;
  guint  made;
  double first_s;
  double last_s;
} Restarts;

static gboolean
fail_at_once (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "down");
  return FALSE;
}

static gboolean
run_forever (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  g_autoptr (GtaskletWaitCondition) hour = gtasklet_wait_for_timeout_new (3600 * 1000);

  gtasklet_tasklet_wait (self, hour);
  return TRUE;
}

static GtaskletTasklet *
make_failing (GtaskletSupervisor *supervisor,
              const char         *id,
              gpointer            user_data)
{
  Restarts *r = user_data;

  r->made++;
  if (r->made == 1)
    r->first_s = bench_now_s ();
  if (r->made == r->target + 1)
    {
      r->last_s = bench_now_s ();
      /* Stop here: the last child runs for ever, until the supervisor is cancelled. */
      return gtasklet_tasklet_new (run_forever, NULL, NULL);
    }
  return gtasklet_tasklet_new (fail_at_once, NULL, NULL);
}

void
bench_gtasklet_restart (const BenchParams *params)
{
  Restarts r = { params->n, 0, 0, 0 };
  g_autoptr (GtaskletSupervisor) sup =
    g_object_new (GTASKLET_TYPE_SUPERVISOR, "intensity", G_MAXUINT, "period-ms", 1, NULL);
  double cpu0 = bench_cpu_s (NULL, NULL);

  gtasklet_supervisor_add_child (sup, "child", make_failing, &r, NULL,
                                 GTASKLET_RESTART_PERMANENT);
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  while (r.made < r.target + 1)
    g_main_context_iteration (NULL, TRUE);
  if (gtasklet_supervisor_get_n_restarts (sup) != r.target)
    bench_check_failed ("restart", IMPL_GT, "%u restarts, expected %u",
                        gtasklet_supervisor_get_n_restarts (sup), r.target);
  bench_result ("restart", IMPL_GT, "n=%u wall_s=%.6f cpu_s=%.6f us_per_restart=%.3f",
                r.target, r.last_s - r.first_s, bench_cpu_s (NULL, NULL) - cpu0,
                (r.last_s - r.first_s) * 1e6 / r.target);
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  while (gtasklet_tasklet_get_state (GTASKLET_TASKLET (sup)) != GTASKLET_STATE_FINISHED)
    g_main_context_iteration (NULL, TRUE);
  /* Cancelled, as intended: read, so it is not reported as an unread failure. */
  (void) gtasklet_tasklet_get_error (GTASKLET_TASKLET (sup));
}

typedef struct
{
  guint    left;
  gpointer child;
} GlibRestarts;

static gboolean
glib_restart_once (gpointer data)
{
  GlibRestarts *r = data;

  g_free (r->child);
  r->child = g_malloc0 (64);
  return --r->left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void
bench_glib_restart (const BenchParams *params)
{
  GlibRestarts r = { params->n, g_malloc0 (64) };
  double t0 = bench_now_s (), cpu0 = bench_cpu_s (NULL, NULL);

  g_idle_add (glib_restart_once, &r);
  while (r.left > 0)
    g_main_context_iteration (NULL, TRUE);
  bench_result ("restart", IMPL_GLIB, "n=%u wall_s=%.6f cpu_s=%.6f us_per_restart=%.3f",
                params->n, bench_now_s () - t0, bench_cpu_s (NULL, NULL) - cpu0,
                (bench_now_s () - t0) * 1e6 / params->n);
  g_free (r.child);
}

/* ---- onefall -------------------------------------------------------------------------- */

typedef struct
{
  guint  n;
  guint  made;
  double done_s;
} Fall;

static gboolean
wait_for_die (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  g_autoptr (GtaskletWaitCondition) hour = NULL;

  if (event != NULL && GTASKLET_IS_MESSAGE (event))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "died");
      return FALSE;
    }
  hour = gtasklet_wait_for_timeout_new (3600 * 1000);
  gtasklet_tasklet_receive (self, (const char *[]) { "die", NULL }, NULL, NULL);
  gtasklet_tasklet_wait (self, hour);
  return TRUE;
}

static GtaskletTasklet *
make_waiting (GtaskletSupervisor *supervisor,
              const char         *id,
              gpointer            user_data)
{
  Fall *f = user_data;

  if (++f->made == 2 * f->n)
    f->done_s = bench_now_s ();
  return gtasklet_tasklet_new (wait_for_die, NULL, NULL);
}

void
bench_gtasklet_onefall (const BenchParams *params)
{
  Fall f = { params->n, 0, 0 };
  g_autoptr (GtaskletSupervisor) sup =
    g_object_new (GTASKLET_TYPE_SUPERVISOR, "strategy", GTASKLET_SUPERVISOR_ONE_FOR_ALL,
                  "intensity", 10, "period-ms", 60000, NULL);
  double t0, cpu0;

  for (guint i = 0; i < f.n; i++)
    {
      g_autofree char *id = g_strdup_printf ("c%u", i);

      gtasklet_supervisor_add_child (sup, id, make_waiting, &f, NULL,
                                     GTASKLET_RESTART_PERMANENT);
    }
  gtasklet_tasklet_start (GTASKLET_TASKLET (sup));
  if (f.made != f.n)
    bench_check_failed ("onefall", IMPL_GT, "%u children started, expected %u", f.made, f.n);

  t0 = bench_now_s ();
  cpu0 = bench_cpu_s (NULL, NULL);
  /* The first child fails: the other n - 1 stop, last first, then all n start again. */
  gtasklet_tasklet_send (gtasklet_supervisor_get_child (sup, "c0"), "die", NULL);
  while (f.made < 2 * f.n)
    g_main_context_iteration (NULL, TRUE);
  if (gtasklet_supervisor_get_n_restarts (sup) != 1)
    bench_check_failed ("onefall", IMPL_GT, "%u restarts, expected 1",
                        gtasklet_supervisor_get_n_restarts (sup));
  bench_result ("onefall", IMPL_GT, "n=%u wall_s=%.6f cpu_s=%.6f ms=%.3f", f.n, f.done_s - t0,
                bench_cpu_s (NULL, NULL) - cpu0, (f.done_s - t0) * 1e3);
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (sup));
  while (gtasklet_tasklet_get_state (GTASKLET_TASKLET (sup)) != GTASKLET_STATE_FINISHED)
    g_main_context_iteration (NULL, TRUE);
  /* Cancelled, as intended: read, so it is not reported as an unread failure. */
  (void) gtasklet_tasklet_get_error (GTASKLET_TASKLET (sup));
}

typedef struct
{
  gpointer *children;
  guint     n;
  guint     next;     /* the next to stop, counting down */
} GlibFall;

static gboolean
glib_stop_one (gpointer data)
{
  GlibFall *f = data;

  if (f->next == 0)
    {
      for (guint i = 0; i < f->n; i++)
        f->children[i] = g_malloc0 (64);
      return G_SOURCE_REMOVE;
    }
  f->next--;
  g_clear_pointer (&f->children[f->next], g_free);
  return G_SOURCE_CONTINUE;
}

void
bench_glib_onefall (const BenchParams *params)
{
  GlibFall f = { g_new0 (gpointer, params->n), params->n, params->n };
  double t0, cpu0;

  for (guint i = 0; i < f.n; i++)
    f.children[i] = g_malloc0 (64);
  t0 = bench_now_s ();
  cpu0 = bench_cpu_s (NULL, NULL);
  g_idle_add (glib_stop_one, &f);
  while (g_main_context_pending (NULL) || f.next > 0)
    g_main_context_iteration (NULL, TRUE);
  bench_result ("onefall", IMPL_GLIB, "n=%u wall_s=%.6f cpu_s=%.6f ms=%.3f", f.n,
                bench_now_s () - t0, bench_cpu_s (NULL, NULL) - cpu0,
                (bench_now_s () - t0) * 1e3);
  for (guint i = 0; i < f.n; i++)
    g_free (f.children[i]);
  g_free (f.children);
}

/* ---- monitors ------------------------------------------------------------------------- */

static gboolean
idle_receiver (GtaskletTasklet  *self,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  if (event != NULL)
    return TRUE;
  gtasklet_tasklet_receive (self, (const char *[]) { "quit", NULL }, NULL, NULL);
  return TRUE;
}

typedef struct
{
  GtaskletTasklet **targets;
  guint             n;
  gint64            rss[3];   /* before, after a first monitor of each, after a second */
} Watching;

static gboolean
watcher_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Watching *w = user_data;

  if (event != NULL)
    return TRUE;
  /* The first monitor of a tasklet also makes the record of what it rarely needs (its
   * "extras": watches, cancellable, name); a second one costs the monitor alone. */
  w->rss[0] = bench_rss_bytes ();
  for (guint round = 1; round <= 2; round++)
    {
      for (guint i = 0; i < w->n; i++)
        gtasklet_tasklet_monitor (self, w->targets[i]);
      w->rss[round] = bench_rss_bytes ();
    }
  gtasklet_tasklet_receive (self, (const char *[]) { "quit", NULL }, NULL, NULL);
  return TRUE;
}

void
bench_gtasklet_monitors (const BenchParams *params)
{
  Watching w = { g_new (GtaskletTasklet *, params->n), params->n };
  g_autoptr (GtaskletTasklet) watcher = gtasklet_tasklet_new (watcher_step, &w, NULL);

  for (guint i = 0; i < w.n; i++)
    {
      w.targets[i] = gtasklet_tasklet_new (idle_receiver, NULL, NULL);
      gtasklet_tasklet_start (w.targets[i]);
    }
  gtasklet_tasklet_start (watcher);
  bench_result ("monitors", IMPL_GT, "n=%u bytes_per_monitor=%.1f bytes_first_monitor=%.1f",
                w.n, (double) (w.rss[2] - w.rss[1]) / w.n, (double) (w.rss[1] - w.rss[0]) / w.n);

  gtasklet_tasklet_send (watcher, "quit", NULL);
  for (guint i = 0; i < w.n; i++)
    {
      gtasklet_tasklet_send (w.targets[i], "quit", NULL);
      g_object_unref (w.targets[i]);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (w.targets);
}

void
bench_glib_monitors (const BenchParams *params)
{
  g_autoptr (GHashTable) watched = g_hash_table_new (NULL, NULL);
  gpointer *targets = g_new (gpointer, params->n);
  gint64 before, after;

  for (guint i = 0; i < params->n; i++)
    targets[i] = g_malloc0 (48);
  before = bench_rss_bytes ();
  for (guint i = 0; i < params->n; i++)
    g_hash_table_insert (watched, targets[i], GUINT_TO_POINTER (i + 1));
  after = bench_rss_bytes ();
  bench_result ("monitors", IMPL_GLIB, "n=%u bytes_per_monitor=%.1f bytes_first_monitor=%.1f",
                params->n, (double) (after - before) / params->n,
                (double) (after - before) / params->n);
  for (guint i = 0; i < params->n; i++)
    g_free (targets[i]);
  g_free (targets);
}

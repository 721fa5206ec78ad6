/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Workloads for "seeing inside" (issue 12, item 7):
 *
 * steps: the cost of one step with statistics off, on, and with warnings on, measured in one
 *   process so the figures compare: two tasklets pass an empty message back and forth (-n
 *   round trips, so 2n steps per mode), once per mode, off first and off again last (drift
 *   shows as a difference between the two). The glib baseline dispatches the same number of
 *   callbacks from one idle source. What "off" costs over a build without the feature is
 *   measured with callgrind instead (bench/README.md): the branch is within the noise of wall
 *   time.
 * snapshot: -n tasklets idle in a receive; times gtasklet_tasklet_list_live() (best of 3).
 *   The glib baseline times filling a GListStore from a GPtrArray of as many objects, which
 *   is what a snapshot does once it has the references. */

#include "bench-util.h"

#include <stdlib.h>

#include <gtasklet/gtasklet.h>

#define IMPL_T "gtasklet"
#define IMPL_G "glib"

/* ---- steps ----------------------------------------------------------------------------- */

typedef struct
{
  GtaskletTasklet *peer;
  guint            left;
} Stepper;

static guint steps_remaining;
static gboolean steps_ok = TRUE;

static gboolean
stepper_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Stepper *s = user_data;

  if (event != NULL && s->left-- == 0)
    {
      steps_remaining--;
      return TRUE;
    }
  if (event != NULL || s->peer != NULL)
    {
      if (s->peer != NULL && !gtasklet_tasklet_send (s->peer, "tick", NULL))
        steps_ok = FALSE;
    }
  gtasklet_tasklet_receive (self, (const char *[]) { "tick", NULL }, NULL, NULL);
  return TRUE;
}

/* Nanoseconds per step over 2n steps. */
static double
steps_once (guint n)
{
  Stepper a = { NULL, n }, b = { NULL, n };
  g_autoptr (GtaskletTasklet) ta = gtasklet_tasklet_new (stepper_step, &a, NULL);
  g_autoptr (GtaskletTasklet) tb = gtasklet_tasklet_new (stepper_step, &b, NULL);
  double t0, wall;

  /* b waits first; a's first step sends. Each side finishes after its n-th message. */
  b.peer = ta;
  steps_remaining = 2;
  gtasklet_tasklet_start (tb);
  a.peer = tb;
  t0 = bench_now_s ();
  gtasklet_tasklet_start (ta);
  bench_run_until_zero (&steps_remaining);
  wall = bench_now_s () - t0;
  if (gtasklet_tasklet_get_state (ta) != GTASKLET_STATE_FINISHED ||
      gtasklet_tasklet_get_state (tb) != GTASKLET_STATE_FINISHED)
    steps_ok = FALSE;
  return wall * 1e9 / (2.0 * n);
}

void
bench_gtasklet_steps (const BenchParams *params)
{
  const char *mode = g_getenv ("GTASKLET_BENCH_STEPS_MODE");
  double off, stats, warn, off2;
  guint n = params->n;

  if (n == 0 || n > G_MAXINT / 2)
    bench_check_failed ("steps", IMPL_T, "need 0 < n <= G_MAXINT / 2");
  gtasklet_tasklet_set_statistics_enabled (FALSE);
  gtasklet_tasklet_set_warnings_enabled (FALSE);
  steps_once (n / 10 + 1);

  /* One mode only, for callgrind: "off", "stats" or "warn". */
  if (mode != NULL)
    {
      gtasklet_tasklet_set_statistics_enabled (g_str_equal (mode, "stats"));
      gtasklet_tasklet_set_warnings_enabled (g_str_equal (mode, "warn"));
      off = steps_once (n);
      bench_result ("steps", IMPL_T, "n=%u mode=%s ns_per_step=%.2f", n, mode, off);
      return;
    }

  off = steps_once (n);
  gtasklet_tasklet_set_statistics_enabled (TRUE);
  stats = steps_once (n);
  gtasklet_tasklet_set_statistics_enabled (FALSE);
  gtasklet_tasklet_set_warnings_enabled (TRUE);
  warn = steps_once (n);
  gtasklet_tasklet_set_warnings_enabled (FALSE);
  off2 = steps_once (n);
  if (!steps_ok)
    bench_check_failed ("steps", IMPL_T, "a send failed or a tasklet did not finish");

  off = MIN (off, off2);
  bench_result ("steps", IMPL_T,
                "n=%u ns_per_step=%.2f ns_per_step_off_last=%.2f ns_per_step_stats=%.2f "
                "ns_per_step_warn=%.2f stats_cost_ns=%.2f warn_cost_ns=%.2f",
                n, off, off2, stats, warn, stats - off, warn - off);
}

static guint glib_steps_left;

static gboolean
glib_step (gpointer data)
{
  guint *count = data;

  (*count)++;
  if (--glib_steps_left == 0)
    {
      steps_remaining = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
bench_glib_steps (const BenchParams *params)
{
  guint count = 0;
  double t0, wall;

  glib_steps_left = 2 * params->n;
  steps_remaining = 1;
  g_idle_add (glib_step, &count);
  t0 = bench_now_s ();
  bench_run_until_zero (&steps_remaining);
  wall = bench_now_s () - t0;
  if (count != 2 * params->n)
    bench_check_failed ("steps", IMPL_G, "%u callbacks, expected %u", count, 2 * params->n);
  bench_result ("steps", IMPL_G, "n=%u ns_per_step=%.2f", params->n,
                wall * 1e9 / (2.0 * params->n));
}

/* ---- snapshot -------------------------------------------------------------------------- */

static guint snapshot_remaining;

static gboolean
snapshot_idle_step (GtaskletTasklet  *self,
                    GObject          *event,
                    gpointer          user_data,
                    GError          **error)
{
  if (event != NULL)
    {
      snapshot_remaining--;
      return TRUE;
    }
  gtasklet_tasklet_receive (self, (const char *[]) { "quit", NULL }, NULL, NULL);
  return TRUE;
}

void
bench_gtasklet_snapshot (const BenchParams *params)
{
  guint n = params->n;
  GtaskletTasklet **tasklets = g_new (GtaskletTasklet *, n);
  double best = G_MAXDOUBLE, create_s, t0;
  guint listed = 0;

  t0 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    {
      tasklets[i] = gtasklet_tasklet_new (snapshot_idle_step, NULL, NULL);
      gtasklet_tasklet_start (tasklets[i]);
    }
  create_s = bench_now_s () - t0;

  for (guint round = 0; round < 3; round++)
    {
      GListModel *live;
      double t;

      t0 = bench_now_s ();
      live = gtasklet_tasklet_list_live ();
      t = bench_now_s () - t0;
      best = MIN (best, t);
      listed = g_list_model_get_n_items (live);
      g_object_unref (live);
    }
  if (listed != n)
    bench_check_failed ("snapshot", IMPL_T, "listed %u of %u", listed, n);

  snapshot_remaining = n;
  for (guint i = 0; i < n; i++)
    {
      gtasklet_tasklet_send (tasklets[i], "quit", NULL);
      g_object_unref (tasklets[i]);
    }
  bench_run_until_zero (&snapshot_remaining);
  g_free (tasklets);

  bench_result ("snapshot", IMPL_T, "n=%u create_s=%.3f snapshot_ms=%.1f ns_per_tasklet=%.1f",
                n, create_s, best * 1e3, best * 1e9 / n);
}

void
bench_glib_snapshot (const BenchParams *params)
{
  guint n = params->n;
  g_autoptr (GPtrArray) objects = g_ptr_array_new_full (n, g_object_unref);
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, g_object_new (G_TYPE_OBJECT, NULL));
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr (GListStore) store = g_list_store_new (G_TYPE_OBJECT);
      g_autoptr (GPtrArray) copy = g_ptr_array_new_full (n, g_object_unref);
      double t0 = bench_now_s ();

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (copy, g_object_ref (objects->pdata[i]));
      g_list_store_splice (store, 0, 0, copy->pdata, copy->len);
      best = MIN (best, bench_now_s () - t0);
    }
  bench_result ("snapshot", IMPL_G, "n=%u snapshot_ms=%.1f ns_per_tasklet=%.1f",
                n, best * 1e3, best * 1e9 / n);
}

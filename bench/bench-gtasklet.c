/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The five workloads on gtasklet, written as an application would: closure tasklets
 * (gtasklet_tasklet_new() + gtasklet_tasklet_start()), one wait condition per actor kept in
 * the actor's struct and waited on again every step, messages built with
 * gtasklet_tasklet_send(), and the main loop iterated until the work is done. */

#include "bench-util.h"

#include <string.h>

#include <gtasklet/gtasklet.h>

#define IMPL "gtasklet"

static const char * const accept_ping[] = { "ping", NULL };
static const char * const accept_pong[] = { "pong", NULL };
static const char * const accept_token[] = { "token", NULL };
static const char * const accept_quit[] = { "quit", NULL };

static void
check_finished_ok (const char      *workload,
                   GtaskletTasklet *tasklet)
{
  const GError *error;

  if (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    bench_check_failed (workload, IMPL, "a tasklet is in state %d, not finished",
                        gtasklet_tasklet_get_state (tasklet));
  error = gtasklet_tasklet_get_error (tasklet);
  if (error != NULL)
    bench_check_failed (workload, IMPL, "a tasklet failed: %s", error->message);
}

static int
message_int (GObject *event)
{
  const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));

  if (value == NULL || !G_VALUE_HOLDS_INT (value))
    return G_MININT;
  return g_value_get_int (value);
}

/* ---- pingpong ---------------------------------------------------------------------------- */

typedef struct
{
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *wait;
  GValue                 value;
  guint                  count;
  guint                  n;
} PingPong;

static guint pingpong_remaining;
static gboolean pingpong_ok = TRUE;

static gboolean
ping_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  PingPong *a = user_data;

  if (event != NULL)
    {
      if (message_int (event) != (int) a->count + 1)
        pingpong_ok = FALSE;
      a->count++;
      if (a->count == a->n)
        {
          pingpong_remaining--;
          return TRUE;
        }
    }

  g_value_set_int (&a->value, (int) a->count);
  if (!gtasklet_tasklet_send (a->peer, "ping", &a->value))
    pingpong_ok = FALSE;
  gtasklet_tasklet_wait (self, a->wait);
  return TRUE;
}

static gboolean
pong_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  PingPong *b = user_data;

  if (event != NULL)
    {
      int ping = message_int (event);

      if (ping != (int) b->count)
        pingpong_ok = FALSE;
      b->count++;
      g_value_set_int (&b->value, ping + 1);
      if (!gtasklet_tasklet_send (b->peer, "pong", &b->value))
        pingpong_ok = FALSE;
      if (b->count == b->n)
        {
          pingpong_remaining--;
          return TRUE;
        }
    }

  gtasklet_tasklet_wait (self, b->wait);
  return TRUE;
}

void
bench_gtasklet_pingpong (const BenchParams *params)
{
  PingPong a = { NULL, }, b = { NULL, };
  g_autoptr (GtaskletTasklet) ta = NULL;
  g_autoptr (GtaskletTasklet) tb = NULL;
  double t0, c0, wall, cpu;
  guint64 msgs = 2 * (guint64) params->n;

  if (params->n == 0 || params->n > G_MAXINT / 2)
    bench_check_failed ("pingpong", IMPL, "need 0 < n <= G_MAXINT/2");

  a.n = b.n = params->n;
  a.wait = gtasklet_wait_for_messages_new (accept_pong, NULL, NULL);
  b.wait = gtasklet_wait_for_messages_new (accept_ping, NULL, NULL);
  g_value_init (&a.value, G_TYPE_INT);
  g_value_init (&b.value, G_TYPE_INT);
  pingpong_remaining = 2;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  ta = gtasklet_tasklet_new (ping_step, &a, NULL);
  tb = gtasklet_tasklet_new (pong_step, &b, NULL);
  a.peer = tb;
  b.peer = ta;
  gtasklet_tasklet_start (tb);
  gtasklet_tasklet_start (ta);
  bench_run_until_zero (&pingpong_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  check_finished_ok ("pingpong", ta);
  check_finished_ok ("pingpong", tb);
  if (!pingpong_ok || a.count != params->n || b.count != params->n)
    bench_check_failed ("pingpong", IMPL, "wrong values or counts (a=%u b=%u n=%u)",
                        a.count, b.count, params->n);

  g_clear_object (&a.wait);
  g_clear_object (&b.wait);

  bench_result ("pingpong", IMPL,
                "n=%u msgs=%" G_GUINT64_FORMAT " wall_s=%.6f cpu_s=%.6f ns_per_msg=%.2f "
                "msgs_per_s=%.0f",
                params->n, msgs, wall, cpu, wall * 1e9 / msgs, msgs / wall);
}

/* ---- ring -------------------------------------------------------------------------------- */

typedef struct
{
  GtaskletTasklet       *next;
  GtaskletWaitCondition *wait;
  GValue                 value;
  guint                  received;
  guint                  laps;
} RingNode;

static guint ring_remaining;
static guint64 ring_hops;
static gboolean ring_saw_end;
static gboolean ring_ok = TRUE;

/* The token carries the number of hops still to go after this one. */
static gboolean
ring_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  RingNode *node = user_data;

  if (event != NULL)
    {
      int left = message_int (event);

      ring_hops++;
      node->received++;
      if (left > 0)
        {
          g_value_set_int (&node->value, left - 1);
          if (!gtasklet_tasklet_send (node->next, "token", &node->value))
            ring_ok = FALSE;
        }
      else if (left == 0)
        ring_saw_end = TRUE;
      else
        ring_ok = FALSE;

      /* Each node receives the token exactly M times; after its last, nobody sends to it. */
      if (node->received == node->laps)
        {
          ring_remaining--;
          return TRUE;
        }
    }

  gtasklet_tasklet_wait (self, node->wait);
  return TRUE;
}

void
bench_gtasklet_ring (const BenchParams *params)
{
  guint r = params->n, m = params->m;
  guint64 hops = (guint64) r * m;
  RingNode *nodes;
  GtaskletTasklet **tasklets;
  double t0, t1, c0, create, wall, cpu;
  GValue first = G_VALUE_INIT;

  if (r == 0 || m == 0 || hops > G_MAXINT)
    bench_check_failed ("ring", IMPL, "need 0 < R*M <= G_MAXINT");

  nodes = g_new0 (RingNode, r);
  tasklets = g_new0 (GtaskletTasklet *, r);
  ring_remaining = r;
  ring_hops = 0;

  /* Creation: every node gets its tasklet, condition and first step (which arms the wait). */
  t0 = bench_now_s ();
  for (guint k = 0; k < r; k++)
    {
      nodes[k].laps = m;
      nodes[k].wait = gtasklet_wait_for_messages_new (accept_token, NULL, NULL);
      g_value_init (&nodes[k].value, G_TYPE_INT);
      tasklets[k] = gtasklet_tasklet_new (ring_step, &nodes[k], NULL);
    }
  for (guint k = 0; k < r; k++)
    {
      nodes[k].next = tasklets[(k + 1) % r];
      gtasklet_tasklet_start (tasklets[k]);
    }
  create = bench_now_s () - t0;

  c0 = bench_cpu_s (NULL, NULL);
  t1 = bench_now_s ();
  g_value_init (&first, G_TYPE_INT);
  g_value_set_int (&first, (int) (hops - 1));
  if (!gtasklet_tasklet_send (tasklets[0], "token", &first))
    ring_ok = FALSE;
  bench_run_until_zero (&ring_remaining);
  wall = bench_now_s () - t1;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  for (guint k = 0; k < r; k++)
    check_finished_ok ("ring", tasklets[k]);
  if (!ring_ok || ring_hops != hops || !ring_saw_end)
    bench_check_failed ("ring", IMPL, "%" G_GUINT64_FORMAT " hops, expected %" G_GUINT64_FORMAT,
                        ring_hops, hops);

  for (guint k = 0; k < r; k++)
    {
      g_clear_object (&tasklets[k]);
      g_clear_object (&nodes[k].wait);
    }
  g_free (tasklets);
  g_free (nodes);

  bench_result ("ring", IMPL,
                "r=%u m=%u hops=%" G_GUINT64_FORMAT " create_s=%.6f create_ns_per_tasklet=%.1f "
                "wall_s=%.6f cpu_s=%.6f ns_per_hop=%.2f hops_per_s=%.0f",
                r, m, hops, create, create * 1e9 / r, wall, cpu, wall * 1e9 / hops, hops / wall);
}

/* ---- spawn ------------------------------------------------------------------------------- */

typedef struct
{
  GtaskletTasklet **children;
  guint             n;
  guint             joined;
  gint64            sum;
  gboolean          ok;
} SpawnParent;

static guint spawn_remaining;

static gboolean
child_step (GtaskletTasklet  *self,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  GValue value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, GPOINTER_TO_INT (user_data));
  gtasklet_tasklet_return_value (self, &value);
  return TRUE;
}

/* The parent creates and starts every child in its first step (each child finishes inside
 * gtasklet_tasklet_start()), then joins them in order, one GtaskletWaitForTasklet per step:
 * a condition on a finished tasklet fires at once when armed. */
static gboolean
parent_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  SpawnParent *p = user_data;
  g_autoptr (GtaskletWaitCondition) join = NULL;

  if (event == NULL)
    {
      for (guint i = 0; i < p->n; i++)
        {
          p->children[i] = gtasklet_tasklet_new (child_step, GINT_TO_POINTER (i), NULL);
          gtasklet_tasklet_start (p->children[i]);
        }
    }
  else
    {
      GtaskletWaitForTasklet *w = GTASKLET_WAIT_FOR_TASKLET (event);
      const GValue *result = gtasklet_wait_for_tasklet_get_result (w);

      if (gtasklet_wait_for_tasklet_get_tasklet (w) != p->children[p->joined] ||
          result == NULL || !G_VALUE_HOLDS_INT (result))
        p->ok = FALSE;
      else
        p->sum += g_value_get_int (result);
      g_clear_object (&p->children[p->joined]);
      p->joined++;
    }

  if (p->joined == p->n)
    {
      spawn_remaining--;
      return TRUE;
    }

  join = gtasklet_wait_for_tasklet_new (p->children[p->joined]);
  gtasklet_tasklet_wait (self, join);
  return TRUE;
}

void
bench_gtasklet_spawn (const BenchParams *params)
{
  SpawnParent p = { NULL, };
  g_autoptr (GtaskletTasklet) parent = NULL;
  gint64 rss0_kb, expected;
  double t0, c0, wall, cpu;
  guint n = params->n;

  if (n == 0 || n > G_MAXINT)
    bench_check_failed ("spawn", IMPL, "need 0 < n <= G_MAXINT");

  p.children = g_new0 (GtaskletTasklet *, n);
  p.n = n;
  p.ok = TRUE;
  spawn_remaining = 1;
  rss0_kb = bench_peak_rss_kb ();

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  parent = gtasklet_tasklet_new (parent_step, &p, NULL);
  gtasklet_tasklet_start (parent);
  bench_run_until_zero (&spawn_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  check_finished_ok ("spawn", parent);
  expected = (gint64) n * (n - 1) / 2;
  if (!p.ok || p.sum != expected || p.joined != n)
    bench_check_failed ("spawn", IMPL, "sum %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT
                        " (joined %u of %u)", p.sum, expected, p.joined, n);

  bench_result ("spawn", IMPL,
                "n=%u wall_s=%.6f cpu_s=%.6f tasklets_per_s=%.0f ns_per_tasklet=%.1f "
                "peak_rss_kb=%" G_GINT64_FORMAT " peak_rss_delta_kb=%" G_GINT64_FORMAT,
                n, wall, cpu, n / wall, wall * 1e9 / n,
                bench_peak_rss_kb (), bench_peak_rss_kb () - rss0_kb);
  g_free (p.children);
}

/* ---- idle -------------------------------------------------------------------------------- */

static guint idle_remaining;
static gboolean idle_ok = TRUE;
/* idle-cond: each tasklet waits on a GtaskletWaitForMessages of its own instead of a receive. */
static gboolean idle_with_condition;

/* No per-actor struct: what an idle tasklet costs is the tasklet and how it waits. */
static gboolean
idle_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  g_autoptr (GtaskletWaitCondition) quit = NULL;

  if (event != NULL)
    {
      if (g_strcmp0 (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "quit") != 0)
        idle_ok = FALSE;
      idle_remaining--;
      return TRUE;
    }

  if (!idle_with_condition)
    {
      gtasklet_tasklet_receive (self, accept_quit, NULL, NULL);
      return TRUE;
    }
  quit = gtasklet_wait_for_messages_new (accept_quit, NULL, NULL);
  gtasklet_tasklet_wait (self, quit);
  return TRUE;
}

static void bench_idle (const BenchParams *params,
                        const char        *workload);

void
bench_gtasklet_idle (const BenchParams *params)
{
  idle_with_condition = FALSE;
  bench_idle (params, "idle");
}

void
bench_gtasklet_idle_cond (const BenchParams *params)
{
  idle_with_condition = TRUE;
  bench_idle (params, "idle-cond");
}

static void
bench_idle (const BenchParams *params,
            const char        *workload)
{
  guint n = params->n;
  GtaskletTasklet **tasklets;
  gint64 rss0, rss1, peak0_kb;
  double t0, t1, create, drain;

  if (n == 0)
    bench_check_failed (workload, IMPL, "n must be > 0");

  /* Warm up the type system and the scheduler so their one-time cost is not counted. */
  {
    g_autoptr (GtaskletTasklet) warm = gtasklet_tasklet_new (idle_step, NULL, NULL);

    idle_remaining = 1;
    gtasklet_tasklet_start (warm);
    gtasklet_tasklet_send (warm, "quit", NULL);
    bench_run_until_zero (&idle_remaining);
  }

  tasklets = g_new (GtaskletTasklet *, n);
  bench_touch (tasklets, n * sizeof (GtaskletTasklet *));
  idle_remaining = n;
  peak0_kb = bench_peak_rss_kb ();
  rss0 = bench_rss_bytes ();

  t0 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    {
      tasklets[i] = gtasklet_tasklet_new (idle_step, NULL, NULL);
      gtasklet_tasklet_start (tasklets[i]);
    }
  create = bench_now_s () - t0;
  rss1 = bench_rss_bytes ();

  for (guint i = 0; i < n; i++)
    if (gtasklet_tasklet_get_state (tasklets[i]) != GTASKLET_STATE_SUSPENDED)
      bench_check_failed (workload, IMPL, "tasklet %u is in state %d, not suspended", i,
                          gtasklet_tasklet_get_state (tasklets[i]));

  t1 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    if (!gtasklet_tasklet_send (tasklets[i], "quit", NULL))
      idle_ok = FALSE;
  bench_run_until_zero (&idle_remaining);
  drain = bench_now_s () - t1;

  for (guint i = 0; i < n; i++)
    {
      check_finished_ok ("idle", tasklets[i]);
      g_object_unref (tasklets[i]);
    }
  g_free (tasklets);
  if (!idle_ok)
    bench_check_failed (workload, IMPL, "a tasklet did not finish on \"quit\"");

  bench_result (workload, IMPL,
                "n=%u rss_before_kb=%" G_GINT64_FORMAT " rss_after_kb=%" G_GINT64_FORMAT " "
                "bytes_per_tasklet=%.1f create_s=%.6f drain_s=%.6f "
                "peak_rss_kb=%" G_GINT64_FORMAT " peak_rss_delta_kb=%" G_GINT64_FORMAT,
                n, rss0 / 1024, rss1 / 1024, (double) (rss1 - rss0) / n, create, drain,
                bench_peak_rss_kb (), bench_peak_rss_kb () - peak0_kb);
}

/* ---- timers ------------------------------------------------------------------------------ */

#define TIMER_ROUNDS 10

typedef struct
{
  GtaskletWaitCondition *timeout;
  guint                  count;
} Timer;

static guint timers_remaining;

/* Waiting on the same timeout in consecutive steps keeps it armed and periodic. */
static gboolean
timer_step (GtaskletTasklet  *self,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Timer *timer = user_data;

  if (event != NULL && ++timer->count == TIMER_ROUNDS)
    {
      timers_remaining--;
      return TRUE;
    }
  gtasklet_tasklet_wait (self, timer->timeout);
  return TRUE;
}

void
bench_gtasklet_timers (const BenchParams *params)
{
  guint n = params->n;
  Timer *timers;
  double t0, u0, s0, u1, s1, wall;
  guint64 iterations;

  if (n == 0)
    bench_check_failed ("timers", IMPL, "n must be > 0");

  timers = g_new0 (Timer, n);
  timers_remaining = n;

  bench_cpu_s (&u0, &s0);
  t0 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    {
      GtaskletTasklet *t;

      timers[i].timeout = gtasklet_wait_for_timeout_new (i % 100);
      t = gtasklet_tasklet_new (timer_step, &timers[i], NULL);
      gtasklet_tasklet_start (t);
      /* A started tasklet keeps itself alive until it finishes. */
      g_object_unref (t);
    }
  iterations = bench_run_until_zero (&timers_remaining);
  wall = bench_now_s () - t0;
  bench_cpu_s (&u1, &s1);

  for (guint i = 0; i < n; i++)
    {
      if (timers[i].count != TIMER_ROUNDS)
        bench_check_failed ("timers", IMPL, "timer %u fired %u times", i, timers[i].count);
      g_clear_object (&timers[i].timeout);
    }
  g_free (timers);

  bench_result ("timers", IMPL,
                "n=%u wall_s=%.6f cpu_s=%.6f user_s=%.6f sys_s=%.6f iterations=%" G_GUINT64_FORMAT,
                n, wall, (u1 - u0) + (s1 - s0), u1 - u0, s1 - s0, iterations);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ringscale and fairness on gtasklet, written and checked like bench-pool.c: independent rings
 * on pools of one and of two workers, and a periodic timer sharing one worker with a busy
 * ping-pong. */

#include "bench-pool.h"

#define IMPL "gtasklet"

static const char * const accept_pong[] = { "pong", NULL };
static const char * const accept_token[] = { "token", NULL };
static const char * const accept_done[] = { "ring-done", NULL };
static const char * const accept_ping_stop[] = { "ping", "stop", NULL };

/* Tasklets that finish on the main context decrement this; the main loop runs until zero. */
static guint main_remaining;

/* ---- ringscale: independent rings on pools of one and two workers ------------------------- */

#define RING_COUNT 4

typedef struct _Ring Ring;

typedef struct
{
  Ring                  *ring;
  GtaskletTasklet       *next;
  GtaskletWaitCondition *wait;      /* "token" */
  GValue                 value;
  guint                  received;
} ScaleNode;

struct _Ring
{
  int                index;
  guint              r;
  guint              laps;
  ScaleNode         *nodes;
  GtaskletTasklet  **tasklets;
  GtaskletTasklet   *collector;
  guint              running;       /* nodes not finished; touched on the ring's worker only */
  guint64            hops;
  GThread           *thread;
  gboolean           saw_end;
  gboolean           ok;
} BENCH_ALIGNED;

static gboolean scale_node_step (GtaskletTasklet  *self,
                                 GObject          *event,
                                 gpointer          user_data,
                                 GError          **error);

/* Node 0 is placed on the pool; its first step creates and starts the other nodes, which thus
 * belong to the same worker (a tasklet started in a step belongs to the thread-default context,
 * the worker's), then sends the token to itself. Placing every node would spread one ring over
 * the workers and make every hop cross threads. */
static void
ring_build (Ring            *ring,
            GtaskletTasklet *self)
{
  GValue first = G_VALUE_INIT;

  ring->thread = g_thread_self ();
  for (guint k = 1; k < ring->r; k++)
    ring->tasklets[k] = gtasklet_tasklet_new (scale_node_step, &ring->nodes[k], NULL);
  for (guint k = 0; k < ring->r; k++)
    ring->nodes[k].next = ring->tasklets[(k + 1) % ring->r];
  for (guint k = 1; k < ring->r; k++)
    gtasklet_tasklet_start (ring->tasklets[k]);

  g_value_init (&first, G_TYPE_INT);
  g_value_set_int (&first, (int) ((guint64) ring->r * ring->laps - 1));
  if (!gtasklet_tasklet_send (self, "token", &first))
    ring->ok = FALSE;
}

/* The token carries the number of hops still to go after this one, as in the ring workload. */
static gboolean
scale_node_step (GtaskletTasklet  *self,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  ScaleNode *node = user_data;
  Ring *ring = node->ring;

  if (event == NULL && node == &ring->nodes[0])
    ring_build (ring, self);
  else if (event != NULL)
    {
      int left = bench_pool_message_int (event);

      ring->hops++;
      if (left > 0)
        {
          g_value_set_int (&node->value, left - 1);
          if (!gtasklet_tasklet_send (node->next, "token", &node->value))
            ring->ok = FALSE;
        }
      else if (left == 0)
        ring->saw_end = TRUE;
      else
        ring->ok = FALSE;

      /* Each node receives the token exactly M times; the ring's last one tells the main
       * thread, which joins every node before reading what they counted. */
      if (++node->received == ring->laps)
        {
          if (--ring->running == 0)
            {
              g_value_set_int (&node->value, ring->index);
              if (!gtasklet_tasklet_send (ring->collector, "ring-done", &node->value))
                ring->ok = FALSE;
            }
          return TRUE;
        }
    }
  gtasklet_tasklet_wait (self, node->wait);
  return TRUE;
}

typedef struct
{
  GtaskletWaitCondition *wait;
  guint                  seen;      /* a bit per ring */
} Collector;

static gboolean
collector_step (GtaskletTasklet  *self,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Collector *c = user_data;

  if (event != NULL)
    {
      int index = bench_pool_message_int (event);

      if (index < 0 || index >= RING_COUNT || (c->seen & (1u << index)))
        bench_check_failed ("ringscale", IMPL, "unexpected ring-done %d", index);
      c->seen |= 1u << index;
      if (c->seen == (1u << RING_COUNT) - 1)
        {
          main_remaining--;
          return TRUE;
        }
    }
  gtasklet_tasklet_wait (self, c->wait);
  return TRUE;
}

/* Runs RING_COUNT rings of r nodes, laps times around each, on a new pool of @workers; returns
 * the wall time from placing the first ring to the last ring's end reaching the main thread. */
static double
ringscale_run (guint   workers,
               guint   r,
               guint   laps,
               double *cpu_s)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (workers);
  Ring rings[RING_COUNT];
  Collector c = { NULL, };
  GtaskletTasklet *collector;
  GThread *threads[RING_COUNT];
  guint n_threads = 0;
  double t0, c0, wall;

  c.wait = gtasklet_wait_for_messages_new (accept_done, NULL, NULL);
  collector = gtasklet_tasklet_new (collector_step, &c, NULL);
  gtasklet_tasklet_start (collector);
  for (int i = 0; i < RING_COUNT; i++)
    {
      Ring *ring = &rings[i];

      *ring = (Ring) { .index = i, .r = r, .laps = laps, .running = r, .ok = TRUE };
      ring->collector = collector;
      ring->nodes = g_new0 (ScaleNode, r);
      ring->tasklets = g_new0 (GtaskletTasklet *, r);
      for (guint k = 0; k < r; k++)
        {
          ring->nodes[k].ring = ring;
          ring->nodes[k].wait = gtasklet_wait_for_messages_new (accept_token, NULL, NULL);
          g_value_init (&ring->nodes[k].value, G_TYPE_INT);
        }
      ring->tasklets[0] = gtasklet_tasklet_new (scale_node_step, &ring->nodes[0], NULL);
    }
  main_remaining = 1;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  for (int i = 0; i < RING_COUNT; i++)
    gtasklet_pool_start (pool, rings[i].tasklets[0]);
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  *cpu_s = bench_cpu_s (NULL, NULL) - c0;

  bench_pool_join_all ("ringscale", IMPL, &collector, 1);
  for (int i = 0; i < RING_COUNT; i++)
    {
      Ring *ring = &rings[i];
      guint k = 0;

      bench_pool_join_all ("ringscale", IMPL, ring->tasklets, r);
      if (!ring->ok || !ring->saw_end || ring->hops != (guint64) r * laps)
        bench_check_failed ("ringscale", IMPL, "ring %d: %" G_GUINT64_FORMAT " hops, expected %"
                            G_GUINT64_FORMAT, i, ring->hops, (guint64) r * laps);
      for (k = 0; k < r; k++)
        {
          if (ring->nodes[k].received != laps)
            bench_check_failed ("ringscale", IMPL, "ring %d node %u: %u laps", i, k,
                                ring->nodes[k].received);
          g_clear_object (&ring->tasklets[k]);
          g_clear_object (&ring->nodes[k].wait);
        }
      for (k = 0; k < n_threads && threads[k] != ring->thread; k++)
        ;
      if (k == n_threads)
        threads[n_threads++] = ring->thread;
      g_free (ring->tasklets);
      g_free (ring->nodes);
    }
  /* The speed-up is only meaningful if the rings really were spread over every worker. */
  if (n_threads != MIN (workers, RING_COUNT))
    bench_check_failed ("ringscale", IMPL, "rings ran on %u threads of a pool of %u",
                        n_threads, workers);
  g_object_unref (collector);
  g_clear_object (&c.wait);
  return wall;
}

void
bench_gtasklet_ringscale (const BenchParams *params)
{
  guint r = params->n, laps = params->m;
  guint64 hops = (guint64) RING_COUNT * r * laps;
  double wall1, wall2, cpu1, cpu2;

  if (r < 2 || laps == 0 || (guint64) r * laps > G_MAXINT)
    bench_check_failed ("ringscale", IMPL, "need R >= 2, M > 0 and R*M <= G_MAXINT");

  wall1 = ringscale_run (1, r, laps, &cpu1);
  wall2 = ringscale_run (2, r, laps, &cpu2);
  bench_result ("ringscale", IMPL,
                "r=%u m=%u rings=%u hops=%" G_GUINT64_FORMAT " wall_1w_s=%.6f wall_2w_s=%.6f "
                "cpu_1w_s=%.6f cpu_2w_s=%.6f ns_per_hop_1w=%.2f ns_per_hop_2w=%.2f speedup=%.3f",
                r, laps, RING_COUNT, hops, wall1, wall2, cpu1, cpu2,
                wall1 * 1e9 / hops, wall2 * 1e9 / hops, wall1 / wall2);
}

/* ---- fairness: a 1 ms timer beside a busy ping-pong on one worker ------------------------- */

typedef struct
{
  GtaskletWaitCondition *tick;
  gint64                *late_us;
  gint64                 last;
  guint                  ticks;
  guint                  n;
  int                   *stop;
} FairTimer;

typedef struct
{
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *wait;
  GValue                 value;
  guint64                count;
  int                   *stop;
  gboolean               ok;
} Busy;

/* Waiting on the same timeout every step keeps it armed and periodic: each tick is due 1 ms
 * after the previous one was dispatched, so the lateness of a tick is its distance from the
 * previous tick minus 1 ms. */
static gboolean
fair_timer_step (GtaskletTasklet  *self,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  FairTimer *t = user_data;
  gint64 now = g_get_monotonic_time ();

  if (event != NULL)
    t->late_us[t->ticks++] = now - t->last - 1000;
  t->last = now;
  if (t->ticks == t->n)
    {
      g_atomic_int_set (t->stop, TRUE);
      return TRUE;
    }
  gtasklet_tasklet_wait (self, t->tick);
  return TRUE;
}

/* The pair ping-pongs without pause (values mod 2^30, so the int never overflows) until the
 * timer says stop; then the pinger sends "stop" and both finish. */
static gboolean
busy_ping_step (GtaskletTasklet  *self,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Busy *a = user_data;

  if (event != NULL)
    {
      if (bench_pool_message_int (event) != (int) ((a->count + 1) & 0x3fffffff))
        a->ok = FALSE;
      a->count++;
    }
  if (g_atomic_int_get (a->stop))
    {
      if (!gtasklet_tasklet_send (a->peer, "stop", NULL))
        a->ok = FALSE;
      return TRUE;
    }
  g_value_set_int (&a->value, (int) (a->count & 0x3fffffff));
  if (!gtasklet_tasklet_send (a->peer, "ping", &a->value))
    a->ok = FALSE;
  gtasklet_tasklet_wait (self, a->wait);
  return TRUE;
}

static gboolean
busy_pong_step (GtaskletTasklet  *self,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Busy *b = user_data;

  if (event != NULL)
    {
      int ping = bench_pool_message_int (event);

      if (g_strcmp0 (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "stop") == 0)
        return TRUE;
      if (ping != (int) (b->count & 0x3fffffff))
        b->ok = FALSE;
      b->count++;
      g_value_set_int (&b->value, (ping + 1) & 0x3fffffff);
      if (!gtasklet_tasklet_send (b->peer, "pong", &b->value))
        b->ok = FALSE;
    }
  gtasklet_tasklet_wait (self, b->wait);
  return TRUE;
}

void
bench_gtasklet_fairness (const BenchParams *params)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  guint n = params->n;
  g_autofree gint64 *late_us = NULL;
  FairTimer t = { NULL, };
  Busy a = { NULL, }, b = { NULL, };
  GtaskletTasklet *all[3];
  int stop = FALSE;
  BenchLatency lat;
  double t0, c0, wall, cpu;

  if (n < 2)
    bench_check_failed ("fairness", IMPL, "need n >= 2");

  late_us = g_new0 (gint64, n);
  t = (FairTimer) { gtasklet_wait_for_timeout_new (1), late_us, 0, 0, n, &stop };
  a.wait = gtasklet_wait_for_messages_new (accept_pong, NULL, NULL);
  b.wait = gtasklet_wait_for_messages_new (accept_ping_stop, NULL, NULL);
  a.stop = b.stop = &stop;
  a.ok = b.ok = TRUE;
  g_value_init (&a.value, G_TYPE_INT);
  g_value_init (&b.value, G_TYPE_INT);
  all[0] = gtasklet_tasklet_new (busy_pong_step, &b, NULL);
  all[1] = gtasklet_tasklet_new (busy_ping_step, &a, NULL);
  all[2] = gtasklet_tasklet_new (fair_timer_step, &t, NULL);
  a.peer = all[0];
  b.peer = all[1];

  /* A pool of one: all three share the worker, placed in this order. */
  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  for (guint i = 0; i < 3; i++)
    gtasklet_pool_start (pool, all[i]);
  bench_pool_join_all ("fairness", IMPL, all, 3);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  if (t.ticks != n || !a.ok || !b.ok || a.count != b.count || a.count == 0)
    bench_check_failed ("fairness", IMPL, "%u ticks of %u; ping-pong %s, %" G_GUINT64_FORMAT
                        " pongs for %" G_GUINT64_FORMAT " pings", t.ticks, n,
                        a.ok && b.ok ? "values right" : "wrong values", a.count, b.count);
  bench_latency (late_us, n, &lat);
  for (guint i = 0; i < 3; i++)
    g_object_unref (all[i]);
  g_clear_object (&t.tick);
  g_clear_object (&a.wait);
  g_clear_object (&b.wait);

  bench_result ("fairness", IMPL,
                "ticks=%u wall_s=%.6f cpu_s=%.6f late_p50_us=%" G_GINT64_FORMAT " "
                "late_p99_us=%" G_GINT64_FORMAT " late_max_us=%" G_GINT64_FORMAT " "
                "late_mean_us=%.1f busy_msgs=%" G_GUINT64_FORMAT " busy_ns_per_msg=%.2f",
                n, wall, cpu, lat.p50, lat.p99, lat.max, lat.mean, 2 * a.count,
                wall * 1e9 / (2 * a.count));
}

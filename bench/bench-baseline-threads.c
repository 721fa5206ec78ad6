/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plain-GLib baseline of the cross-thread workloads (bench-pool.c, bench-pool-scale.c):
 * the same actors, messages, threads and checks, on the bare actors of bench-xsched.c (a run
 * queue per GMainContext, a locked inbox and one g_main_context_wakeup() per batch between
 * threads). A worker is a GThread iterating a context of its own, as a GtaskletPool worker is;
 * workers are created before the clock starts and joined before the checks read what their
 * actors wrote. Timers are plain g_timeout_source_new() sources on the actor's context. xping
 * also times the same ping-pong between two threads blocking in g_async_queue_pop(), with no
 * main loop: the cost of the hand-over itself. */

#include "bench-util.h"
#include "bench-xsched.h"

#define IMPL "glib"

/* Message names are compared by address: every send uses these. */
static const char name_start[] = "start";
static const char name_ping[] = "ping";
static const char name_pong[] = "pong";
static const char name_stop[] = "stop";
static const char name_data[] = "data";
static const char name_ack[] = "ack";
static const char name_token[] = "token";
static const char name_done[] = "done";

/* Actors that finish on the main context decrement this; the main loop runs until zero. */
static guint main_remaining;

/* A main-context actor that counts "done" messages whose values are distinct bits. */
typedef struct
{
  const char *workload;
  guint       expected;
  guint       seen;
} Collector;

static gboolean
collector_step (XActor *self,
                XMsg   *msg)
{
  Collector *c = self->data;

  if (msg->name != name_done || msg->value < 0 || msg->value >= 31 ||
      (c->seen & (1u << msg->value)))
    bench_check_failed (c->workload, IMPL, "unexpected done %d", msg->value);
  c->seen |= 1u << msg->value;
  if (c->seen != c->expected)
    return TRUE;
  main_remaining--;
  return FALSE;
}

/* ---- xping and xlatency ------------------------------------------------------------------- */

typedef struct
{
  XActor   *peer;
  guint     count;
  guint     n;
  guint     gap_ms;
  gint64    sent_at;
  gint64   *rtt_us;
  gboolean  ok;
} BENCH_ALIGNED Pinger;

typedef struct
{
  XActor   *peer;
  guint     count;
  guint     n;
  gboolean  ok;
} BENCH_ALIGNED Echo;

static void
pinger_send (Pinger *a)
{
  if (a->rtt_us != NULL)
    a->sent_at = g_get_monotonic_time ();
  if (!xactor_send (a->peer, name_ping, (int) a->count))
    a->ok = FALSE;
}

static gboolean
on_gap (gpointer user_data)
{
  pinger_send (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
pinger_step (XActor *self,
             XMsg   *msg)
{
  Pinger *a = self->data;

  if (a->rtt_us != NULL)
    a->rtt_us[a->count] = g_get_monotonic_time () - a->sent_at;
  if (msg->name != name_pong || msg->value != (int) a->count + 1)
    a->ok = FALSE;
  if (++a->count == a->n)
    {
      main_remaining--;
      return FALSE;
    }
  if (a->gap_ms > 0)
    {
      /* A one-shot timeout per pause, as gtasklet's condition is armed afresh each time. */
      GSource *gap = g_timeout_source_new (a->gap_ms);

      g_source_set_callback (gap, on_gap, a, NULL);
      g_source_attach (gap, NULL);
      g_source_unref (gap);
    }
  else
    pinger_send (a);
  return TRUE;
}

static gboolean
echo_step (XActor *self,
           XMsg   *msg)
{
  Echo *b = self->data;

  if (msg->name != name_ping || msg->value != (int) b->count)
    b->ok = FALSE;
  if (!xactor_send (b->peer, name_pong, msg->value + 1))
    b->ok = FALSE;
  return ++b->count < b->n;
}

static double
run_pair (const char *workload,
          guint       n,
          guint       gap_ms,
          gint64     *rtt_us,
          double     *cpu_s)
{
  XSched *main_sched = xsched_new_for_main ();
  XWorker *worker = xworker_new (0);
  XActor pinger BENCH_ALIGNED, echo BENCH_ALIGNED;
  Pinger a = { &echo, 0, n, gap_ms, 0, rtt_us, TRUE };
  Echo b = { &pinger, 0, n, TRUE };
  double t0, c0, wall;

  if (n == 0 || n > G_MAXINT / 2)
    bench_check_failed (workload, IMPL, "need 0 < n <= G_MAXINT/2");

  main_remaining = 1;
  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  xactor_init (&pinger, main_sched, pinger_step, &a);
  xactor_init (&echo, worker->sched, echo_step, &b);
  pinger_send (&a);
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  *cpu_s = bench_cpu_s (NULL, NULL) - c0;

  xworker_free (worker);
  if (!a.ok || !b.ok || a.count != n || b.count != n)
    bench_check_failed (workload, IMPL, "wrong values or counts (pinger %u, echo %u, n=%u)",
                        a.count, b.count, n);
  xsched_free (main_sched);
  return wall;
}

typedef struct
{
  GAsyncQueue *to_echo;
  GAsyncQueue *to_main;
  guint        n;
  gboolean     ok;
} QueuePair;

/* A queue cannot carry NULL: the values travel as value + 1. */
static gpointer
queue_echo (gpointer data)
{
  QueuePair *p = data;

  for (guint i = 0; i < p->n; i++)
    {
      int ping = GPOINTER_TO_INT (g_async_queue_pop (p->to_echo)) - 1;

      if (ping != (int) i)
        p->ok = FALSE;
      g_async_queue_push (p->to_main, GINT_TO_POINTER (ping + 1 + 1));
    }
  return NULL;
}

static double
queue_pingpong (guint n)
{
  QueuePair p = { g_async_queue_new (), g_async_queue_new (), n, TRUE };
  GThread *thread = g_thread_new ("queue-echo", queue_echo, &p);
  double t0, wall;

  t0 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    {
      g_async_queue_push (p.to_echo, GINT_TO_POINTER ((int) i + 1));
      if (GPOINTER_TO_INT (g_async_queue_pop (p.to_main)) - 1 != (int) i + 1)
        p.ok = FALSE;
    }
  wall = bench_now_s () - t0;
  g_thread_join (thread);
  if (!p.ok)
    bench_check_failed ("xping", IMPL, "wrong values through the GAsyncQueue pair");
  g_async_queue_unref (p.to_echo);
  g_async_queue_unref (p.to_main);
  return wall;
}

void
bench_glib_xping (const BenchParams *params)
{
  guint64 msgs = 2 * (guint64) params->n;
  double cpu, wall, queue_wall;

  wall = run_pair ("xping", params->n, 0, NULL, &cpu);
  queue_wall = queue_pingpong (params->n);
  bench_result ("xping", IMPL,
                "n=%u msgs=%" G_GUINT64_FORMAT " wall_s=%.6f cpu_s=%.6f ns_per_msg=%.2f "
                "cpu_ns_per_msg=%.2f msgs_per_s=%.0f asyncqueue_ns_per_msg=%.2f",
                params->n, msgs, wall, cpu, wall * 1e9 / msgs, cpu * 1e9 / msgs, msgs / wall,
                queue_wall * 1e9 / msgs);
}

void
bench_glib_xlatency (const BenchParams *params)
{
  guint n = params->n;
  g_autofree gint64 *rtt_us = NULL;
  BenchLatency lat;
  double cpu, wall;

  if (n < 2)
    bench_check_failed ("xlatency", IMPL, "need n >= 2");
  rtt_us = g_new0 (gint64, n);
  wall = run_pair ("xlatency", n, params->m, rtt_us, &cpu);
  /* Like gtasklet's first round trip, which also waits for the echo's first step. */
  bench_latency (rtt_us + 1, n - 1, &lat);
  bench_result ("xlatency", IMPL,
                "n=%u gap_ms=%u wall_s=%.6f cpu_s=%.6f rtt_p50_us=%" G_GINT64_FORMAT " "
                "rtt_p99_us=%" G_GINT64_FORMAT " rtt_max_us=%" G_GINT64_FORMAT " rtt_mean_us=%.1f",
                n, params->m, wall, cpu, lat.p50, lat.p99, lat.max, lat.mean);
}

/* ---- fanin -------------------------------------------------------------------------------- */

/* The same protocol as bench-pool.c's. */
#define FANIN_SENDERS 4
#define FANIN_WINDOW 1024
#define FANIN_ACK_EVERY 256

typedef struct
{
  XActor    actor;
  XActor   *receiver;
  guint     n;
  guint     sent;
  guint     acked;
  gboolean  ok;
} BENCH_ALIGNED FanSender;

typedef struct
{
  FanSender *senders;
  guint      next[FANIN_SENDERS];
  guint      n;
  guint64    received;
  gboolean   ok;
} FanReceiver;

static gboolean
fan_sender_step (XActor *self,
                 XMsg   *msg)
{
  FanSender *s = self->data;

  if (msg->name == name_ack)
    {
      if (msg->value < (int) s->acked || msg->value > (int) s->sent)
        s->ok = FALSE;
      else
        s->acked = (guint) msg->value;
    }
  else if (msg->name != name_start)
    s->ok = FALSE;

  while (s->sent < s->n && s->sent - s->acked < FANIN_WINDOW)
    if (!xactor_send (s->receiver, name_data, (int) s->sent++))
      s->ok = FALSE;
  return s->acked != s->n;
}

static gboolean
fan_receiver_step (XActor *self,
                   XMsg   *msg)
{
  FanReceiver *r = self->data;
  guint i = 0;

  while (i < FANIN_SENDERS && &r->senders[i].actor != msg->sender)
    i++;
  if (msg->name != name_data || i == FANIN_SENDERS || msg->value != (int) r->next[i])
    {
      r->ok = FALSE;
      main_remaining--;
      return FALSE;
    }
  r->next[i]++;
  r->received++;
  if (r->next[i] % FANIN_ACK_EVERY == 0 || r->next[i] == r->n)
    if (!xactor_send (msg->sender, name_ack, (int) r->next[i]))
      r->ok = FALSE;
  if (r->received < (guint64) FANIN_SENDERS * r->n)
    return TRUE;
  main_remaining--;
  return FALSE;
}

void
bench_glib_fanin (const BenchParams *params)
{
  XSched *main_sched = xsched_new_for_main ();
  XWorker *workers[FANIN_SENDERS];
  XActor receiver;
  FanSender s[FANIN_SENDERS];
  FanReceiver r = { s, { 0, }, params->n, 0, TRUE };
  guint n = params->n;
  guint64 msgs = (guint64) FANIN_SENDERS * n;
  double t0, c0, wall, cpu;

  if (n == 0 || n > G_MAXINT)
    bench_check_failed ("fanin", IMPL, "need 0 < n <= G_MAXINT");

  for (guint i = 0; i < FANIN_SENDERS; i++)
    workers[i] = xworker_new (i);
  main_remaining = 1;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  xactor_init (&receiver, main_sched, fan_receiver_step, &r);
  for (guint i = 0; i < FANIN_SENDERS; i++)
    {
      s[i] = (FanSender) { .receiver = &receiver, .n = n, .ok = TRUE };
      xactor_init (&s[i].actor, workers[i]->sched, fan_sender_step, &s[i]);
      xactor_send (&s[i].actor, name_start, 0);
    }
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  if (!r.ok || r.received != msgs)
    bench_check_failed ("fanin", IMPL, "out of order, unknown sender or lost messages "
                        "(%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT ")", r.received, msgs);
  /* The senders finish on their last ack, which may still be on its way: drain the workers. */
  while (TRUE)
    {
      guint finished = 0;

      for (guint i = 0; i < FANIN_SENDERS; i++)
        finished += g_atomic_int_get (&s[i].actor.finished);
      if (finished == FANIN_SENDERS)
        break;
      g_usleep (100);
    }
  for (guint i = 0; i < FANIN_SENDERS; i++)
    xworker_free (workers[i]);
  for (guint i = 0; i < FANIN_SENDERS; i++)
    if (!s[i].ok || s[i].acked != n || r.next[i] != n)
      bench_check_failed ("fanin", IMPL, "sender %u: %u sent, %u acknowledged, %u received",
                          i, s[i].sent, s[i].acked, r.next[i]);
  xsched_free (main_sched);

  bench_result ("fanin", IMPL,
                "n=%u senders=%u msgs=%" G_GUINT64_FORMAT " wall_s=%.6f cpu_s=%.6f "
                "msgs_per_s=%.0f ns_per_msg=%.2f",
                n, FANIN_SENDERS, msgs, wall, cpu, msgs / wall, wall * 1e9 / msgs);
}

/* ---- ringscale ---------------------------------------------------------------------------- */

#define RING_COUNT 4

typedef struct _Ring Ring;

typedef struct
{
  Ring   *ring;
  XActor *next;
  guint   received;
} Node;

struct _Ring
{
  int       index;
  guint     r;
  guint     laps;
  Node     *nodes;
  XActor   *actors;
  XActor   *collector;
  guint     running;
  guint64   hops;
  gboolean  saw_end;
  gboolean  ok;
} BENCH_ALIGNED;

static gboolean
node_step (XActor *self,
           XMsg   *msg)
{
  Node *node = self->data;
  Ring *ring = node->ring;

  /* Node 0 gets "start" on its worker and sets up the others there, as gtasklet's node 0
   * creates and starts them on its worker, then sends the token to itself. */
  if (msg->name == name_start)
    {
      for (guint k = 1; k < ring->r; k++)
        xactor_init (&ring->actors[k], self->sched, node_step, &ring->nodes[k]);
      for (guint k = 0; k < ring->r; k++)
        ring->nodes[k].next = &ring->actors[(k + 1) % ring->r];
      if (!xactor_send (self, name_token, (int) ((guint64) ring->r * ring->laps - 1)))
        ring->ok = FALSE;
      return TRUE;
    }

  ring->hops++;
  if (msg->name != name_token || msg->value < 0)
    ring->ok = FALSE;
  else if (msg->value > 0)
    {
      if (!xactor_send (node->next, name_token, msg->value - 1))
        ring->ok = FALSE;
    }
  else
    ring->saw_end = TRUE;

  if (++node->received < ring->laps)
    return TRUE;
  if (--ring->running == 0 && !xactor_send (ring->collector, name_done, ring->index))
    ring->ok = FALSE;
  return FALSE;
}

static double
ringscale_run (guint   n_workers,
               guint   r,
               guint   laps,
               double *cpu_s)
{
  XSched *main_sched = xsched_new_for_main ();
  XWorker *workers[RING_COUNT];
  Ring rings[RING_COUNT];
  Collector c = { "ringscale", (1u << RING_COUNT) - 1, 0 };
  XActor collector;
  double t0, c0, wall;

  for (guint w = 0; w < n_workers; w++)
    workers[w] = xworker_new (w);
  xactor_init (&collector, main_sched, collector_step, &c);
  for (int i = 0; i < RING_COUNT; i++)
    {
      Ring *ring = &rings[i];

      *ring = (Ring) { .index = i, .r = r, .laps = laps, .running = r, .ok = TRUE };
      ring->collector = &collector;
      ring->nodes = g_new0 (Node, r);
      ring->actors = g_new0 (XActor, r);
      for (guint k = 0; k < r; k++)
        ring->nodes[k].ring = ring;
      /* Round robin, as the pool's least-loaded placement spreads four new tasklets. */
      xactor_init (&ring->actors[0], workers[i % n_workers]->sched, node_step, &ring->nodes[0]);
    }
  main_remaining = 1;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  for (int i = 0; i < RING_COUNT; i++)
    xactor_send (&rings[i].actors[0], name_start, 0);
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  *cpu_s = bench_cpu_s (NULL, NULL) - c0;

  for (guint w = 0; w < n_workers; w++)
    xworker_free (workers[w]);
  for (int i = 0; i < RING_COUNT; i++)
    {
      Ring *ring = &rings[i];

      if (!ring->ok || !ring->saw_end || ring->hops != (guint64) r * laps)
        bench_check_failed ("ringscale", IMPL, "ring %d: %" G_GUINT64_FORMAT " hops, expected %"
                            G_GUINT64_FORMAT, i, ring->hops, (guint64) r * laps);
      for (guint k = 0; k < r; k++)
        if (ring->nodes[k].received != laps || !ring->actors[k].finished)
          bench_check_failed ("ringscale", IMPL, "ring %d node %u: %u laps", i, k,
                              ring->nodes[k].received);
      g_free (ring->actors);
      g_free (ring->nodes);
    }
  xsched_free (main_sched);
  return wall;
}

void
bench_glib_ringscale (const BenchParams *params)
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

/* ---- fairness ----------------------------------------------------------------------------- */

typedef struct
{
  XActor  *collector;
  gint64  *late_us;
  gint64   last;
  guint    ticks;
  guint    n;
  int     *stop;
} FairTimer;

typedef struct
{
  XActor   *peer;
  XActor   *collector;
  guint64   count;
  int      *stop;
  gboolean  ok;
} Busy;

/* A periodic g_timeout_source (1 ms) on the worker's context, at the default priority like the
 * scheduler source: each tick is due 1 ms after the previous dispatch. */
static gboolean
on_tick (gpointer user_data)
{
  FairTimer *t = user_data;
  gint64 now = g_get_monotonic_time ();

  t->late_us[t->ticks++] = now - t->last - 1000;
  t->last = now;
  if (t->ticks < t->n)
    return G_SOURCE_CONTINUE;
  g_atomic_int_set (t->stop, TRUE);
  xactor_send (t->collector, name_done, 0);
  return G_SOURCE_REMOVE;
}

static gboolean
fair_timer_step (XActor *self,
                 XMsg   *msg)
{
  FairTimer *t = self->data;
  GSource *tick = g_timeout_source_new (1);

  g_source_set_callback (tick, on_tick, t, NULL);
  g_source_attach (tick, g_main_context_get_thread_default ());
  g_source_unref (tick);
  t->last = g_get_monotonic_time ();
  return FALSE;
}

static gboolean
busy_ping_step (XActor *self,
                XMsg   *msg)
{
  Busy *a = self->data;

  if (msg->name == name_pong)
    {
      if (msg->value != (int) ((a->count + 1) & 0x3fffffff))
        a->ok = FALSE;
      a->count++;
    }
  else if (msg->name != name_start)
    a->ok = FALSE;
  if (g_atomic_int_get (a->stop))
    {
      if (!xactor_send (a->peer, name_stop, 0))
        a->ok = FALSE;
      return FALSE;
    }
  if (!xactor_send (a->peer, name_ping, (int) (a->count & 0x3fffffff)))
    a->ok = FALSE;
  return TRUE;
}

static gboolean
busy_pong_step (XActor *self,
                XMsg   *msg)
{
  Busy *b = self->data;

  if (msg->name == name_stop)
    {
      xactor_send (b->collector, name_done, 1);
      return FALSE;
    }
  if (msg->name != name_ping || msg->value != (int) (b->count & 0x3fffffff))
    b->ok = FALSE;
  b->count++;
  if (!xactor_send (b->peer, name_pong, (msg->value + 1) & 0x3fffffff))
    b->ok = FALSE;
  return TRUE;
}

void
bench_glib_fairness (const BenchParams *params)
{
  XSched *main_sched = xsched_new_for_main ();
  XWorker *worker = xworker_new (0);
  guint n = params->n;
  g_autofree gint64 *late_us = NULL;
  Collector c = { "fairness", 3, 0 };
  XActor collector, ping, pong, timer;
  FairTimer t;
  Busy a, b;
  int stop = FALSE;
  BenchLatency lat;
  double t0, c0, wall, cpu;

  if (n < 2)
    bench_check_failed ("fairness", IMPL, "need n >= 2");

  late_us = g_new0 (gint64, n);
  t = (FairTimer) { &collector, late_us, 0, 0, n, &stop };
  a = (Busy) { &pong, &collector, 0, &stop, TRUE };
  b = (Busy) { &ping, &collector, 0, &stop, TRUE };
  xactor_init (&collector, main_sched, collector_step, &c);
  main_remaining = 1;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  xactor_init (&pong, worker->sched, busy_pong_step, &b);
  xactor_init (&ping, worker->sched, busy_ping_step, &a);
  xactor_init (&timer, worker->sched, fair_timer_step, &t);
  xactor_send (&ping, name_start, 0);
  xactor_send (&timer, name_start, 0);
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  xworker_free (worker);
  if (t.ticks != n || !a.ok || !b.ok || a.count != b.count || a.count == 0)
    bench_check_failed ("fairness", IMPL, "%u ticks of %u; ping-pong %s, %" G_GUINT64_FORMAT
                        " pongs for %" G_GUINT64_FORMAT " pings", t.ticks, n,
                        a.ok && b.ok ? "values right" : "wrong values", a.count, b.count);
  bench_latency (late_us, n, &lat);
  xsched_free (main_sched);

  bench_result ("fairness", IMPL,
                "ticks=%u wall_s=%.6f cpu_s=%.6f late_p50_us=%" G_GINT64_FORMAT " "
                "late_p99_us=%" G_GINT64_FORMAT " late_max_us=%" G_GINT64_FORMAT " "
                "late_mean_us=%.1f busy_msgs=%" G_GUINT64_FORMAT " busy_ns_per_msg=%.2f",
                n, wall, cpu, lat.p50, lat.p99, lat.max, lat.mean, 2 * a.count,
                wall * 1e9 / (2 * a.count));
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plain-GLib baseline: the same work as bench-gtasklet.c without gtasklet, in the style
 * PEERS.md calls "plain GLib, one run queue drained by one idle source". An actor is a bare
 * struct with a FIFO of messages; sending appends to that FIFO and puts the actor on one run
 * queue; one idle source drains the queue, one message per step. No type system, no wait
 * conditions, no selective receive: it is the floor gtasklet is measured against, not a
 * like-for-like peer. Timers are plain g_timeout_add() callbacks. */

#include "bench-util.h"

#include <string.h>

#define IMPL "glib"

/* Same budget as gtasklet's scheduler, so neither starves the rest of the main loop more. */
#define STEPS_PER_DISPATCH 1024

typedef struct _BMsg   BMsg;
typedef struct _BActor BActor;

/* Returns TRUE to keep waiting for messages, FALSE to finish. */
typedef gboolean (*BStepFunc) (BActor *self,
                               BMsg   *msg);

struct _BMsg
{
  BMsg       *next;
  const char *name;
  BActor     *sender;
  int         value;
};

struct _BActor
{
  BMsg      *head;
  BMsg      *tail;
  BStepFunc  step;
  gpointer   data;
  guint      queued : 1;
  guint      finished : 1;
};

/* The run queue: a growable ring buffer of actors that have a message to handle. */
static BActor **runq;
static guint runq_head;
static guint runq_len;
static guint runq_cap;
static guint runq_source_id;

static gboolean runq_dispatch (gpointer user_data);

static void
runq_push (BActor *actor)
{
  if (runq_len == runq_cap)
    {
      guint new_cap = MAX (64, runq_cap * 2);
      BActor **ring = g_new (BActor *, new_cap);

      for (guint i = 0; i < runq_len; i++)
        ring[i] = runq[(runq_head + i) % runq_cap];
      g_free (runq);
      runq = ring;
      runq_cap = new_cap;
      runq_head = 0;
    }
  runq[(runq_head + runq_len) % runq_cap] = actor;
  runq_len++;
  if (runq_source_id == 0)
    runq_source_id = g_idle_add (runq_dispatch, NULL);
}

static BActor *
runq_pop (void)
{
  BActor *actor;

  g_assert (runq_len > 0);
  actor = runq[runq_head];
  runq_head = (runq_head + 1) % runq_cap;
  runq_len--;
  return actor;
}

static void
actor_drop_messages (BActor *actor)
{
  while (actor->head != NULL)
    {
      BMsg *msg = actor->head;

      actor->head = msg->next;
      g_free (msg);
    }
  actor->tail = NULL;
}

static gboolean
runq_dispatch (gpointer user_data)
{
  for (guint i = 0; i < STEPS_PER_DISPATCH && runq_len > 0; i++)
    {
      BActor *actor = runq_pop ();
      BMsg *msg = actor->head;

      actor->queued = FALSE;
      actor->head = msg->next;
      if (actor->head == NULL)
        actor->tail = NULL;

      if (!actor->step (actor, msg))
        {
          actor->finished = TRUE;
          actor_drop_messages (actor);
        }
      else if (actor->head != NULL && !actor->queued)
        {
          actor->queued = TRUE;
          runq_push (actor);
        }
      g_free (msg);
    }

  if (runq_len > 0)
    return G_SOURCE_CONTINUE;
  runq_source_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
actor_send (BActor     *dest,
            BActor     *sender,
            const char *name,
            int         value)
{
  BMsg *msg;

  if (dest->finished)
    return FALSE;

  msg = g_new (BMsg, 1);
  msg->next = NULL;
  msg->name = name;
  msg->sender = sender;
  msg->value = value;
  if (dest->tail != NULL)
    dest->tail->next = msg;
  else
    dest->head = msg;
  dest->tail = msg;

  if (!dest->queued)
    {
      dest->queued = TRUE;
      runq_push (dest);
    }
  return TRUE;
}

/* ---- pingpong ---------------------------------------------------------------------------- */

typedef struct
{
  BActor  actor;
  BActor *peer;
  guint   count;
  guint   n;
} PingPong;

static guint pingpong_remaining;
static gboolean pingpong_ok = TRUE;

static gboolean
ping_step (BActor *self,
           BMsg   *msg)
{
  PingPong *a = (PingPong *) self;

  if (strcmp (msg->name, "pong") != 0 || msg->value != (int) a->count + 1)
    pingpong_ok = FALSE;
  a->count++;
  if (a->count == a->n)
    {
      pingpong_remaining--;
      return FALSE;
    }
  actor_send (a->peer, self, "ping", (int) a->count);
  return TRUE;
}

static gboolean
pong_step (BActor *self,
           BMsg   *msg)
{
  PingPong *b = (PingPong *) self;

  if (strcmp (msg->name, "ping") != 0 || msg->value != (int) b->count)
    pingpong_ok = FALSE;
  b->count++;
  actor_send (b->peer, self, "pong", msg->value + 1);
  if (b->count == b->n)
    {
      pingpong_remaining--;
      return FALSE;
    }
  return TRUE;
}

void
bench_glib_pingpong (const BenchParams *params)
{
  PingPong a = { { NULL, }, }, b = { { NULL, }, };
  double t0, c0, wall, cpu;
  guint64 msgs = 2 * (guint64) params->n;

  if (params->n == 0)
    bench_check_failed ("pingpong", IMPL, "n must be > 0");

  a.actor.step = ping_step;
  a.peer = &b.actor;
  a.n = params->n;
  b.actor.step = pong_step;
  b.peer = &a.actor;
  b.n = params->n;
  pingpong_remaining = 2;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  /* A's first step, run inline as gtasklet_tasklet_start() does. */
  actor_send (&b.actor, &a.actor, "ping", 0);
  bench_run_until_zero (&pingpong_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  if (!pingpong_ok || a.count != params->n || b.count != params->n)
    bench_check_failed ("pingpong", IMPL, "wrong values or counts (a=%u b=%u n=%u)",
                        a.count, b.count, params->n);

  bench_result ("pingpong", IMPL,
                "n=%u msgs=%" G_GUINT64_FORMAT " wall_s=%.6f cpu_s=%.6f ns_per_msg=%.2f "
                "msgs_per_s=%.0f",
                params->n, msgs, wall, cpu, wall * 1e9 / msgs, msgs / wall);
}

/* ---- ring -------------------------------------------------------------------------------- */

typedef struct
{
  BActor  actor;
  BActor *next;
  guint   received;
  guint   laps;
} RingNode;

static guint ring_remaining;
static guint64 ring_hops;
static gboolean ring_saw_end;

static gboolean
ring_step (BActor *self,
           BMsg   *msg)
{
  RingNode *node = (RingNode *) self;

  ring_hops++;
  node->received++;
  if (msg->value > 0)
    actor_send (node->next, self, "token", msg->value - 1);
  else
    ring_saw_end = TRUE;

  if (node->received == node->laps)
    {
      ring_remaining--;
      return FALSE;
    }
  return TRUE;
}

void
bench_glib_ring (const BenchParams *params)
{
  guint r = params->n, m = params->m;
  guint64 hops = (guint64) r * m;
  RingNode **nodes;
  double t0, t1, c0, create, wall, cpu;

  if (r == 0 || m == 0 || hops > G_MAXINT)
    bench_check_failed ("ring", IMPL, "need 0 < R*M <= G_MAXINT");

  nodes = g_new0 (RingNode *, r);
  ring_remaining = r;
  ring_hops = 0;

  t0 = bench_now_s ();
  for (guint k = 0; k < r; k++)
    {
      nodes[k] = g_new0 (RingNode, 1);
      nodes[k]->actor.step = ring_step;
      nodes[k]->laps = m;
    }
  for (guint k = 0; k < r; k++)
    nodes[k]->next = &nodes[(k + 1) % r]->actor;
  create = bench_now_s () - t0;

  c0 = bench_cpu_s (NULL, NULL);
  t1 = bench_now_s ();
  actor_send (&nodes[0]->actor, NULL, "token", (int) (hops - 1));
  bench_run_until_zero (&ring_remaining);
  wall = bench_now_s () - t1;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  if (ring_hops != hops || !ring_saw_end)
    bench_check_failed ("ring", IMPL, "%" G_GUINT64_FORMAT " hops, expected %" G_GUINT64_FORMAT,
                        ring_hops, hops);

  for (guint k = 0; k < r; k++)
    g_free (nodes[k]);
  g_free (nodes);

  bench_result ("ring", IMPL,
                "r=%u m=%u hops=%" G_GUINT64_FORMAT " create_s=%.6f create_ns_per_tasklet=%.1f "
                "wall_s=%.6f cpu_s=%.6f ns_per_hop=%.2f hops_per_s=%.0f",
                r, m, hops, create, create * 1e9 / r, wall, cpu, wall * 1e9 / hops, hops / wall);
}

/* ---- spawn ------------------------------------------------------------------------------- */

typedef struct
{
  BActor actor;
  int    result;
} Child;

typedef struct
{
  BActor  actor;
  Child **children;
  guint   n;
  guint   joined;
  gint64  sum;
} SpawnParent;

static guint spawn_remaining;

static Child *
child_spawn (int index)
{
  Child *child = g_new0 (Child, 1);

  /* The child's only step runs at once, as inside gtasklet_tasklet_start(). */
  child->result = index;
  child->actor.finished = TRUE;
  return child;
}

/* Joining a finished child wakes the parent through the run queue, as a condition that
 * fires at once when armed does. */
static void
parent_join_next (SpawnParent *p)
{
  Child *child = p->children[p->joined];

  g_assert (child->actor.finished);
  actor_send (&p->actor, &child->actor, "joined", child->result);
}

static gboolean
parent_step (BActor *self,
             BMsg   *msg)
{
  SpawnParent *p = (SpawnParent *) self;

  p->sum += msg->value;
  g_clear_pointer (&p->children[p->joined], g_free);
  p->joined++;
  if (p->joined == p->n)
    {
      spawn_remaining--;
      return FALSE;
    }
  parent_join_next (p);
  return TRUE;
}

void
bench_glib_spawn (const BenchParams *params)
{
  SpawnParent *p;
  gint64 rss0_kb, expected;
  double t0, c0, wall, cpu;
  guint n = params->n;

  if (n == 0)
    bench_check_failed ("spawn", IMPL, "n must be > 0");

  p = g_new0 (SpawnParent, 1);
  p->children = g_new0 (Child *, n);
  p->n = n;
  p->actor.step = parent_step;
  spawn_remaining = 1;
  rss0_kb = bench_peak_rss_kb ();

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  /* The parent's first step: create and run all children, then join the first. */
  for (guint i = 0; i < n; i++)
    p->children[i] = child_spawn ((int) i);
  parent_join_next (p);
  bench_run_until_zero (&spawn_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  expected = (gint64) n * (n - 1) / 2;
  if (p->sum != expected || p->joined != n)
    bench_check_failed ("spawn", IMPL, "sum %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                        p->sum, expected);

  bench_result ("spawn", IMPL,
                "n=%u wall_s=%.6f cpu_s=%.6f tasklets_per_s=%.0f ns_per_tasklet=%.1f "
                "peak_rss_kb=%" G_GINT64_FORMAT " peak_rss_delta_kb=%" G_GINT64_FORMAT,
                n, wall, cpu, n / wall, wall * 1e9 / n,
                bench_peak_rss_kb (), bench_peak_rss_kb () - rss0_kb);
  g_free (p->children);
  g_free (p);
}

/* ---- idle -------------------------------------------------------------------------------- */

static guint idle_remaining;
static gboolean idle_ok = TRUE;

static gboolean
idle_step (BActor *self,
           BMsg   *msg)
{
  if (strcmp (msg->name, "quit") != 0)
    idle_ok = FALSE;
  idle_remaining--;
  return FALSE;
}

void
bench_glib_idle (const BenchParams *params)
{
  guint n = params->n;
  BActor **actors;
  gint64 rss0, rss1, peak0_kb;
  double t0, t1, create, drain;

  if (n == 0)
    bench_check_failed ("idle", IMPL, "n must be > 0");

  actors = g_new (BActor *, n);
  bench_touch (actors, n * sizeof (BActor *));
  idle_remaining = n;
  peak0_kb = bench_peak_rss_kb ();
  rss0 = bench_rss_bytes ();

  t0 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    {
      actors[i] = g_new0 (BActor, 1);
      actors[i]->step = idle_step;
    }
  create = bench_now_s () - t0;
  rss1 = bench_rss_bytes ();

  t1 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    actor_send (actors[i], NULL, "quit", 0);
  bench_run_until_zero (&idle_remaining);
  drain = bench_now_s () - t1;

  for (guint i = 0; i < n; i++)
    {
      if (!actors[i]->finished)
        idle_ok = FALSE;
      g_free (actors[i]);
    }
  g_free (actors);
  if (!idle_ok)
    bench_check_failed ("idle", IMPL, "an actor did not finish on \"quit\"");

  bench_result ("idle", IMPL,
                "n=%u rss_before_kb=%" G_GINT64_FORMAT " rss_after_kb=%" G_GINT64_FORMAT " "
                "bytes_per_tasklet=%.1f create_s=%.6f drain_s=%.6f "
                "peak_rss_kb=%" G_GINT64_FORMAT " peak_rss_delta_kb=%" G_GINT64_FORMAT,
                n, rss0 / 1024, rss1 / 1024, (double) (rss1 - rss0) / n, create, drain,
                bench_peak_rss_kb (), bench_peak_rss_kb () - peak0_kb);
}

/* ---- timers ------------------------------------------------------------------------------ */

#define TIMER_ROUNDS 10

static guint timers_remaining;

static gboolean
timer_cb (gpointer user_data)
{
  guint *count = user_data;

  if (++*count < TIMER_ROUNDS)
    return G_SOURCE_CONTINUE;
  timers_remaining--;
  return G_SOURCE_REMOVE;
}

void
bench_glib_timers (const BenchParams *params)
{
  guint n = params->n;
  guint *counts;
  double t0, u0, s0, u1, s1, wall;
  guint64 iterations;

  if (n == 0)
    bench_check_failed ("timers", IMPL, "n must be > 0");

  counts = g_new0 (guint, n);
  timers_remaining = n;

  bench_cpu_s (&u0, &s0);
  t0 = bench_now_s ();
  for (guint i = 0; i < n; i++)
    g_timeout_add (i % 100, timer_cb, &counts[i]);
  iterations = bench_run_until_zero (&timers_remaining);
  wall = bench_now_s () - t0;
  bench_cpu_s (&u1, &s1);

  for (guint i = 0; i < n; i++)
    if (counts[i] != TIMER_ROUNDS)
      bench_check_failed ("timers", IMPL, "timer %u fired %u times", i, counts[i]);
  g_free (counts);

  bench_result ("timers", IMPL,
                "n=%u wall_s=%.6f cpu_s=%.6f user_s=%.6f sys_s=%.6f iterations=%" G_GUINT64_FORMAT,
                n, wall, (u1 - u0) + (s1 - s0), u1 - u0, s1 - s0, iterations);
}

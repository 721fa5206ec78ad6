/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The cross-thread workloads on gtasklet: tasklets on the main context talking to tasklets
 * placed on a GtaskletPool, written as bench-gtasklet.c writes the same-thread ones (closure
 * tasklets, one wait condition per actor kept in its struct, gtasklet_tasklet_send() with a
 * GValue int). Pools are created before the clock starts: spawning threads is not what is
 * measured. Plain fields written by a worker's steps are read on the main thread only after a
 * message or a join from that worker said they were done; both are handed over under the
 * library's locks, which orders the writes before the reads. */

#include "bench-pool.h"

#define IMPL "gtasklet"

static const char * const accept_ping[] = { "ping", NULL };
static const char * const accept_pong[] = { "pong", NULL };
static const char * const accept_ack[] = { "ack", NULL };
static const char * const accept_data[] = { "data", NULL };

/* Tasklets that finish on the main context decrement this; the main loop runs until zero. */
static guint main_remaining;

int
bench_pool_message_int (GObject *event)
{
  const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));

  if (value == NULL || !G_VALUE_HOLDS_INT (value))
    return G_MININT;
  return g_value_get_int (value);
}

typedef struct
{
  const char *workload;
  const char *impl;
  guint       remaining;
} JoinAll;

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  JoinAll *join = user_data;
  g_autoptr (GError) error = NULL;

  gtasklet_tasklet_join_finish (GTASKLET_TASKLET (source), result, &error);
  if (error != NULL)
    bench_check_failed (join->workload, join->impl, "a tasklet failed: %s", error->message);
  join->remaining--;
}

void
bench_pool_join_all (const char       *workload,
                     const char       *impl,
                     GtaskletTasklet **tasklets,
                     guint             n)
{
  JoinAll join = { workload, impl, n };

  for (guint i = 0; i < n; i++)
    gtasklet_tasklet_join_async (tasklets[i], NULL, on_joined, &join);
  bench_run_until_zero (&join.remaining);
}

/* ---- xping and xlatency: a pinger on the main context, an echo on a worker ---------------- */

typedef struct
{
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *wait;      /* "pong" */
  GtaskletWaitCondition *gap;       /* xlatency: the pause before the next ping; xping: NULL */
  GValue                 value;
  guint                  count;
  guint                  n;
  gint64                 sent_at;
  gint64                *rtt_us;    /* xlatency: one per round trip */
  gboolean               ok;
} BENCH_ALIGNED Pinger;

typedef struct
{
  GtaskletTasklet       *peer;
  GtaskletWaitCondition *wait;      /* "ping" */
  GValue                 value;
  guint                  count;
  guint                  n;
  gboolean               ok;
} BENCH_ALIGNED Echo;

static gboolean
pinger_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Pinger *a = user_data;

  if (event != NULL && GTASKLET_IS_MESSAGE (event))
    {
      if (a->rtt_us != NULL)
        a->rtt_us[a->count] = g_get_monotonic_time () - a->sent_at;
      if (bench_pool_message_int (event) != (int) a->count + 1)
        a->ok = FALSE;
      if (++a->count == a->n)
        {
          main_remaining--;
          return TRUE;
        }
      /* Alternating with the "pong" wait, the gap is armed afresh each time: it counts from
       * now, so the echo's worker is asleep in poll() when the next ping comes. */
      if (a->gap != NULL)
        {
          gtasklet_tasklet_wait (self, a->gap);
          return TRUE;
        }
    }

  /* The first step, the gap has passed, or xping's next round. */
  g_value_set_int (&a->value, (int) a->count);
  if (a->rtt_us != NULL)
    a->sent_at = g_get_monotonic_time ();
  if (!gtasklet_tasklet_send (a->peer, "ping", &a->value))
    a->ok = FALSE;
  gtasklet_tasklet_wait (self, a->wait);
  return TRUE;
}

static gboolean
echo_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Echo *b = user_data;

  if (event != NULL)
    {
      int ping = bench_pool_message_int (event);

      if (ping != (int) b->count)
        b->ok = FALSE;
      g_value_set_int (&b->value, ping + 1);
      if (!gtasklet_tasklet_send (b->peer, "pong", &b->value))
        b->ok = FALSE;
      if (++b->count == b->n)
        return TRUE;
    }
  gtasklet_tasklet_wait (self, b->wait);
  return TRUE;
}

/* Runs n round trips between a pinger started on the main context and an echo placed on a
 * pool of one worker; returns the wall time from creating the pair to the last pong. */
static double
run_pair (const char *workload,
          guint       n,
          guint       gap_ms,
          gint64     *rtt_us,
          double     *cpu_s)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  Pinger a = { NULL, };
  Echo b = { NULL, };
  GtaskletTasklet *pair[2];
  double t0, c0, wall;

  if (n == 0 || n > G_MAXINT / 2)
    bench_check_failed (workload, IMPL, "need 0 < n <= G_MAXINT/2");

  a.n = b.n = n;
  a.ok = b.ok = TRUE;
  a.rtt_us = rtt_us;
  a.wait = gtasklet_wait_for_messages_new (accept_pong, NULL, NULL);
  a.gap = gap_ms > 0 ? gtasklet_wait_for_timeout_new (gap_ms) : NULL;
  b.wait = gtasklet_wait_for_messages_new (accept_ping, NULL, NULL);
  g_value_init (&a.value, G_TYPE_INT);
  g_value_init (&b.value, G_TYPE_INT);
  main_remaining = 1;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  pair[0] = gtasklet_tasklet_new (pinger_step, &a, NULL);
  pair[1] = gtasklet_tasklet_new (echo_step, &b, NULL);
  a.peer = pair[1];
  b.peer = pair[0];
  gtasklet_pool_start (pool, pair[1]);
  gtasklet_tasklet_start (pair[0]);
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  *cpu_s = bench_cpu_s (NULL, NULL) - c0;

  bench_pool_join_all (workload, IMPL, pair, 2);
  if (!a.ok || !b.ok || a.count != n || b.count != n)
    bench_check_failed (workload, IMPL, "wrong values or counts (pinger %u, echo %u, n=%u)",
                        a.count, b.count, n);

  g_object_unref (pair[0]);
  g_object_unref (pair[1]);
  g_clear_object (&a.wait);
  g_clear_object (&a.gap);
  g_clear_object (&b.wait);
  return wall;
}

void
bench_gtasklet_xping (const BenchParams *params)
{
  guint64 msgs = 2 * (guint64) params->n;
  double cpu, wall;

  wall = run_pair ("xping", params->n, 0, NULL, &cpu);
  bench_result ("xping", IMPL,
                "n=%u msgs=%" G_GUINT64_FORMAT " wall_s=%.6f cpu_s=%.6f ns_per_msg=%.2f "
                "cpu_ns_per_msg=%.2f msgs_per_s=%.0f",
                params->n, msgs, wall, cpu, wall * 1e9 / msgs, cpu * 1e9 / msgs, msgs / wall);
}

void
bench_gtasklet_xlatency (const BenchParams *params)
{
  guint n = params->n;
  g_autofree gint64 *rtt_us = NULL;
  BenchLatency lat;
  double cpu, wall;

  if (n < 2)
    bench_check_failed ("xlatency", IMPL, "need n >= 2");
  rtt_us = g_new0 (gint64, n);
  wall = run_pair ("xlatency", n, params->m, rtt_us, &cpu);
  /* The first round trip also waits for the echo's first step on the new worker. */
  bench_latency (rtt_us + 1, n - 1, &lat);
  bench_result ("xlatency", IMPL,
                "n=%u gap_ms=%u wall_s=%.6f cpu_s=%.6f rtt_p50_us=%" G_GINT64_FORMAT " "
                "rtt_p99_us=%" G_GINT64_FORMAT " rtt_max_us=%" G_GINT64_FORMAT " rtt_mean_us=%.1f",
                n, params->m, wall, cpu, lat.p50, lat.p99, lat.max, lat.mean);
}

/* ---- fanin: four senders on four workers, one receiver on the main context --------------- */

#define FANIN_SENDERS 4
/* Flow control, the same on both sides: a sender has at most this many messages unacknowledged,
 * and the receiver acknowledges every FANIN_ACK_EVERY messages of a sender. Without it the
 * senders would outrun the receiver and the figure would measure mailbox growth. */
#define FANIN_WINDOW 1024
#define FANIN_ACK_EVERY 256

typedef struct
{
  GtaskletTasklet       *receiver;
  GtaskletWaitCondition *wait;      /* "ack" */
  GValue                 value;
  guint                  n;
  guint                  sent;
  guint                  acked;
  GThread               *thread;
  gboolean               ok;
} BENCH_ALIGNED FanSender;

typedef struct
{
  GtaskletTasklet       *senders[FANIN_SENDERS];
  GtaskletWaitCondition *wait;      /* "data" */
  GValue                 value;
  guint                  next[FANIN_SENDERS];    /* the value expected next from each sender */
  guint                  n;
  guint64                received;
  gboolean               ok;
} FanReceiver;

static gboolean
fan_sender_step (GtaskletTasklet  *self,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  FanSender *s = user_data;

  if (event == NULL)
    s->thread = g_thread_self ();
  else
    {
      int acked = bench_pool_message_int (event);

      if (acked < (int) s->acked || acked > (int) s->sent)
        s->ok = FALSE;
      else
        s->acked = (guint) acked;
    }

  while (s->sent < s->n && s->sent - s->acked < FANIN_WINDOW)
    {
      g_value_set_int (&s->value, (int) s->sent++);
      if (!gtasklet_tasklet_send (s->receiver, "data", &s->value))
        s->ok = FALSE;
    }
  if (s->acked == s->n)
    return TRUE;
  gtasklet_tasklet_wait (self, s->wait);
  return TRUE;
}

static gboolean
fan_receiver_step (GtaskletTasklet  *self,
                   GObject          *event,
                   gpointer          user_data,
                   GError          **error)
{
  FanReceiver *r = user_data;

  if (event != NULL)
    {
      GtaskletTasklet *sender = gtasklet_message_get_sender (GTASKLET_MESSAGE (event));
      guint i = 0;

      while (i < FANIN_SENDERS && r->senders[i] != sender)
        i++;
      /* Per-sender order: each sender's values must arrive as 0, 1, 2, ... */
      if (i == FANIN_SENDERS || bench_pool_message_int (event) != (int) r->next[i])
        {
          r->ok = FALSE;
          main_remaining--;
          return TRUE;
        }
      r->next[i]++;
      r->received++;
      if (r->next[i] % FANIN_ACK_EVERY == 0 || r->next[i] == r->n)
        {
          g_value_set_int (&r->value, (int) r->next[i]);
          if (!gtasklet_tasklet_send (sender, "ack", &r->value))
            r->ok = FALSE;
        }
      if (r->received == (guint64) FANIN_SENDERS * r->n)
        {
          main_remaining--;
          return TRUE;
        }
    }
  gtasklet_tasklet_wait (self, r->wait);
  return TRUE;
}

void
bench_gtasklet_fanin (const BenchParams *params)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (FANIN_SENDERS);
  FanSender senders[FANIN_SENDERS] = { { NULL, }, };
  FanReceiver r = { { NULL, }, };
  GtaskletTasklet *receiver;
  guint n = params->n;
  guint64 msgs = (guint64) FANIN_SENDERS * n;
  double t0, c0, wall, cpu;

  if (n == 0 || n > G_MAXINT)
    bench_check_failed ("fanin", IMPL, "need 0 < n <= G_MAXINT");

  r.n = n;
  r.ok = TRUE;
  r.wait = gtasklet_wait_for_messages_new (accept_data, NULL, NULL);
  g_value_init (&r.value, G_TYPE_INT);
  receiver = gtasklet_tasklet_new (fan_receiver_step, &r, NULL);
  for (guint i = 0; i < FANIN_SENDERS; i++)
    {
      senders[i].receiver = receiver;
      senders[i].n = n;
      senders[i].ok = TRUE;
      senders[i].wait = gtasklet_wait_for_messages_new (accept_ack, NULL, NULL);
      g_value_init (&senders[i].value, G_TYPE_INT);
      r.senders[i] = gtasklet_tasklet_new (fan_sender_step, &senders[i], NULL);
    }
  main_remaining = 1;

  c0 = bench_cpu_s (NULL, NULL);
  t0 = bench_now_s ();
  gtasklet_tasklet_start (receiver);
  for (guint i = 0; i < FANIN_SENDERS; i++)
    gtasklet_pool_start (pool, r.senders[i]);
  bench_run_until_zero (&main_remaining);
  wall = bench_now_s () - t0;
  cpu = bench_cpu_s (NULL, NULL) - c0;

  bench_pool_join_all ("fanin", IMPL, &receiver, 1);
  if (!r.ok || r.received != msgs)
    bench_check_failed ("fanin", IMPL, "out of order, unknown sender or lost messages "
                        "(%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT ")", r.received, msgs);
  bench_pool_join_all ("fanin", IMPL, r.senders, FANIN_SENDERS);
  for (guint i = 0; i < FANIN_SENDERS; i++)
    {
      if (!senders[i].ok || senders[i].acked != n || r.next[i] != n)
        bench_check_failed ("fanin", IMPL, "sender %u: %u sent, %u acknowledged, %u received",
                            i, senders[i].sent, senders[i].acked, r.next[i]);
      /* Four senders on four threads is the point: least-loaded placement must spread them. */
      for (guint j = 0; j < i; j++)
        if (senders[i].thread == senders[j].thread)
          bench_check_failed ("fanin", IMPL, "senders %u and %u ran on the same worker", j, i);
      g_clear_object (&r.senders[i]);
      g_clear_object (&senders[i].wait);
    }
  g_object_unref (receiver);
  g_clear_object (&r.wait);

  bench_result ("fanin", IMPL,
                "n=%u senders=%u msgs=%" G_GUINT64_FORMAT " wall_s=%.6f cpu_s=%.6f "
                "msgs_per_s=%.0f ns_per_msg=%.2f",
                n, FANIN_SENDERS, msgs, wall, cpu, msgs / wall, wall * 1e9 / msgs);
}

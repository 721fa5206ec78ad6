/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletPool under stress (issue 9):
 * 1. messages from the main thread, plain threads and tasklets on the pool to receivers on
 *    the pool while every sender cancels random receivers: each sender's messages arrive in
 *    order, none twice, and each one sent is received, or dropped when its receiver finished;
 * 2. pools dropped at random moments (before, while and after their tasklets finish, from the
 *    main thread or another one) while their tasklets message each other and a main-context
 *    tasklet and another thread cancels them: every tasklet ends, every pool is finalized,
 *    no message or tasklet is left behind and the workers' threads end;
 * 3. the last reference of a pool dropped on one of its own workers, with tasklets busy on
 *    the other one: no deadlock, and the threads end.
 * Every message carries a token (stress-util.h), which counts where it went. Every wait has
 * a deadline; nothing sleeps. GTASKLET_TEST_SCALE scales the work, GTASKLET_TEST_SEED repeats
 * a run. */
#include "stress-util.h"
#include "test-thread-util.h"
#include "test-util.h"

static GThread *main_thread;

/* 1. Messages and cancels from everywhere to receivers on a pool */

#define N_SLOTS        8
#define SENDER_BATCH   32

enum
{
  SENDER_MAIN,
  SENDER_THREAD_1,
  SENDER_THREAD_2,
  SENDER_TASKLET_1,
  SENDER_TASKLET_2,
  N_SENDERS
};

#define SENDER_IS_TASKLET(id) ((id) >= SENDER_TASKLET_1)

typedef struct _Stress Stress;

typedef struct
{
  Stress          *stress;
  GtaskletTasklet *tasklet;
  /* Its worker's: read by others once it has finished. */
  guint            received[N_SENDERS];
  gboolean         ended;                 /* got "end": finishes once all sent arrived */
  /* Sender i writes only its own entries; read when the senders are done. */
  guint            sent_ok[N_SENDERS];
  guint            refused[N_SENDERS];
} Receiver;

typedef struct
{
  Stress          *stress;
  guint            id;
  GRand           *rand;
  guint            n_sent;
  GtaskletTasklet *tasklet;               /* a sender that is a tasklet on the pool */
} Sender;

struct _Stress
{
  StressPool   pool;
  Receiver    *receivers;        /* max_receivers of them, filled in order by the main thread */
  guint        n_receivers;
  guint        max_receivers;
  int          slots[N_SLOTS];   /* atomic: the receiver the senders use there */
  int          cancels_left;     /* atomic */
  guint        cancel_period;
  guint        per_sender;
  Sender       senders[N_SENDERS];
  int          senders_done;     /* atomic */
};

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Receiver *r = user_data;
  guint id;

  g_assert_true (g_thread_self () != main_thread);
  if (stress_is_message (event, "end"))
    r->ended = TRUE;
  else if (event != NULL)
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      StressToken *token = stress_take_token (message);

      g_assert_true (gtasklet_message_get_dest (message) == tasklet);
      g_assert_cmpuint (token->sender, <, N_SENDERS);
      g_assert_true (gtasklet_message_get_sender (message) ==
                     r->stress->senders[token->sender].tasklet);
      /* In order, nothing lost in between, nothing twice. */
      if (token->seq != r->received[token->sender])
        g_error ("receiver %p: message %u from sender %u, expected %u", tasklet,
                 token->seq, token->sender, r->received[token->sender]);
      r->received[token->sender]++;
    }

  /* "end" comes once the senders are done: their counts can be read, and whatever they sent
   * that is still on its way comes before this one finishes. */
  for (id = 0; r->ended && id < N_SENDERS; id++)
    if (r->received[id] != r->sent_ok[id])
      break;
  if (id == N_SENDERS)
    return TRUE;
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("m", "end"), NULL, NULL);
  return TRUE;
}

static void
receiver_start (Stress *s)
{
  Receiver *r = &s->receivers[s->n_receivers++];

  g_assert_cmpuint (s->n_receivers, <=, s->max_receivers);
  r->stress = s;
  r->tasklet = gtasklet_tasklet_new (receiver_step, r, NULL);
  gtasklet_pool_start (s->pool.pool, r->tasklet);
}

static Receiver *
pick_receiver (Stress *s,
               GRand  *rand)
{
  return &s->receivers[g_atomic_int_get (&s->slots[g_rand_int_range (rand, 0, N_SLOTS)])];
}

/* One send of @sender's, maybe after cancelling a receiver. */
static void
sender_send_one (Sender *sender)
{
  Stress *s = sender->stress;
  Receiver *r = pick_receiver (s, sender->rand);
  guint id = sender->id;

  if (g_rand_int_range (sender->rand, 0, s->cancel_period) == 0 &&
      g_atomic_int_add (&s->cancels_left, -1) > 0)
    gtasklet_tasklet_cancel (pick_receiver (s, sender->rand)->tasklet);

  if (stress_send_token (r->tasklet, "m", id, r->sent_ok[id], sender->n_sent % 8 == 7))
    {
      if (r->refused[id] > 0)
        g_error ("send to %p succeeded after it had returned FALSE", r->tasklet);
      r->sent_ok[id]++;
    }
  else
    {
      /* FALSE only if the destination had finished. */
      g_assert_cmpint (gtasklet_tasklet_get_state (r->tasklet), ==, GTASKLET_STATE_FINISHED);
      r->refused[id]++;
    }
  if (++sender->n_sent == s->per_sender)
    g_atomic_int_inc (&s->senders_done);
}

static gpointer
sender_thread (gpointer data)
{
  Sender *sender = data;

  while (sender->n_sent < sender->stress->per_sender)
    sender_send_one (sender);
  return NULL;
}

/* A sender on the pool: a batch per step, then a message to itself for the next step. */
static gboolean
sender_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Sender *sender = user_data;

  g_assert_true (g_thread_self () != main_thread);
  for (guint k = 0; k < SENDER_BATCH && sender->n_sent < sender->stress->per_sender; k++)
    sender_send_one (sender);
  if (sender->n_sent == sender->stress->per_sender)
    return TRUE;
  g_assert_true (gtasklet_tasklet_send (tasklet, "more", NULL));
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("more"), NULL, NULL);
  return TRUE;
}

/* A receiver that a cancel ended is replaced in its slot (its state is all that is read). */
static void
replace_finished_receivers (Stress *s)
{
  for (guint slot = 0; slot < N_SLOTS && s->n_receivers < s->max_receivers; slot++)
    {
      Receiver *r = &s->receivers[g_atomic_int_get (&s->slots[slot])];

      if (gtasklet_tasklet_get_state (r->tasklet) != GTASKLET_STATE_FINISHED)
        continue;
      receiver_start (s);
      g_atomic_int_set (&s->slots[slot], (int) s->n_receivers - 1);
    }
}

static void
test_send_cancel (void)
{
  Stress s = { 0 };
  GThread *threads[SENDER_TASKLET_1 - SENDER_THREAD_1];
  guint total = test_scaled (1000000);
  guint n_cancels = test_scaled (48);
  guint threads_before = test_count_threads_settled ();
  guint32 seed = stress_seed ();
  gint64 start = g_get_monotonic_time ();
  gint64 end = stress_deadline (STRESS_DEADLINE_MS);
  guint64 sent_ok = 0, received = 0, dropped = 0, refused = 0;
  guint n_cancelled = 0;

  stress_tokens_reset ();
  stress_count_drops_begin ();
  stress_pool_init (&s.pool, 2);
  s.per_sender = MAX (1, total / N_SENDERS);
  s.max_receivers = N_SLOTS + n_cancels;
  s.receivers = g_new0 (Receiver, s.max_receivers);
  s.cancels_left = (int) n_cancels;
  s.cancel_period = MAX (2, (N_SENDERS * s.per_sender) / (n_cancels + 1));
  /* Every sender exists before any receiver starts: receivers look their tasklets up. */
  for (guint id = 0; id < N_SENDERS; id++)
    {
      s.senders[id] = (Sender) { &s, id, g_rand_new_with_seed (seed + id) };
      if (SENDER_IS_TASKLET (id))
        s.senders[id].tasklet = gtasklet_tasklet_new (sender_step, &s.senders[id], NULL);
    }
  for (guint slot = 0; slot < N_SLOTS; slot++)
    {
      receiver_start (&s);
      s.slots[slot] = (int) slot;
    }
  for (guint id = SENDER_TASKLET_1; id < N_SENDERS; id++)
    gtasklet_pool_start (s.pool.pool, s.senders[id].tasklet);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("sender", sender_thread, &s.senders[SENDER_THREAD_1 + i]);

  /* The main thread sends too, and replaces the receivers that cancels ended. */
  while (g_atomic_int_get (&s.senders_done) < N_SENDERS)
    {
      for (guint k = 0; k < SENDER_BATCH && s.senders[SENDER_MAIN].n_sent < s.per_sender; k++)
        sender_send_one (&s.senders[SENDER_MAIN]);
      replace_finished_receivers (&s);
      stress_poll_until (end, "the senders");
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  /* Each receiver still running finishes once all that was sent to it has arrived. */
  for (guint i = 0; i < s.n_receivers; i++)
    gtasklet_tasklet_send (s.receivers[i].tasklet, "end", NULL);
  for (guint i = 0; i < s.n_receivers; i++)
    test_wait_finished_anywhere (s.receivers[i].tasklet, STRESS_DEADLINE_MS);

  /* Every counter is read after its writer finished (a FINISHED state is read with acquire
   * semantics, a thread was joined). */
  for (guint i = 0; i < s.n_receivers; i++)
    {
      Receiver *r = &s.receivers[i];
      gboolean cancelled = stress_was_cancelled (r->tasklet);

      n_cancelled += cancelled;
      for (guint id = 0; id < N_SENDERS; id++)
        {
          g_assert_cmpuint (r->received[id], <=, r->sent_ok[id]);
          if (!cancelled)
            g_assert_cmpuint (r->received[id], ==, r->sent_ok[id]);
          sent_ok += r->sent_ok[id];
          received += r->received[id];
          refused += r->refused[id];
          dropped += r->sent_ok[id] - r->received[id];
        }
    }
  for (guint id = 0; id < N_SENDERS; id++)
    {
      g_assert_cmpuint (s.senders[id].n_sent, ==, s.per_sender);
      if (SENDER_IS_TASKLET (id))
        {
          test_wait_finished_anywhere (s.senders[id].tasklet, STRESS_DEADLINE_MS);
          g_assert_no_error (gtasklet_tasklet_get_error (s.senders[id].tasklet));
        }
    }
  g_assert_cmpuint (sent_ok + refused, ==, (guint64) N_SENDERS * s.per_sender);
  g_test_message ("%u sends in %.2f s: %" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT
                  " dropped at finish, %" G_GUINT64_FORMAT " refused; %u cancels, %u of %u "
                  "receivers cancelled", N_SENDERS * s.per_sender,
                  (g_get_monotonic_time () - start) / 1e6, received, dropped, refused,
                  n_cancels - MAX (s.cancels_left, 0), n_cancelled, s.n_receivers);

  for (guint i = 0; i < s.n_receivers; i++)
    g_object_unref (s.receivers[i].tasklet);
  for (guint id = 0; id < N_SENDERS; id++)
    {
      g_clear_object (&s.senders[id].tasklet);
      g_rand_free (s.senders[id].rand);
    }
  stress_pool_finish (&s.pool, threads_before);
  test_drain ();
  /* The tokens say the same, counted where the messages were freed. */
  g_assert_cmpint (stress_tokens_made (), ==, N_SENDERS * s.per_sender);
  stress_assert_tokens (received, refused, dropped);
  g_test_message ("the debug log counted %d drops", stress_logged_drops (NULL));
  g_free (s.receivers);
}

/* 2. Pools dropped at random moments while their tasklets message and get cancelled */

#define N_PEERS        6
#define MAIN_SIDE      N_PEERS          /* the main-context tasklet, as a sender */
#define MAX_PEER_STEPS 200

typedef enum
{
  DROP_AT_ONCE,          /* right after the last pool_start */
  DROP_WHILE_RUNNING,    /* once the tasklets have run a random number of steps */
  DROP_AFTER_FINISH,     /* once every tasklet has finished */
  DROP_FROM_CANCELLER,   /* by the cancelling thread, at a random point of its run */
  N_DROP_MODES
} DropMode;

typedef struct _Round Round;

typedef struct
{
  Round           *round;
  guint            index;
  GtaskletTasklet *tasklet;
  guint            n_steps;
  int              finalized;                 /* atomic */
  /* Its worker's: read once it has finished. */
  GRand           *rand;
  guint            step;
  guint            next_seq[N_PEERS + 1];     /* expected from each peer and the main side */
  guint            received;
  guint            sent_ok[N_PEERS + 1];      /* to each peer, and hellos to the main side */
  guint            refused;
} Peer;

/* What the rounds did, to show what they covered: peers cancelled, before their first step,
 * and pools finalized on the main thread, the canceller and a worker. */
static guint n_cancelled, n_cancelled_unstarted, n_finalized_on[3];

struct _Round
{
  StressPool       pool;
  Peer             peers[N_PEERS];
  GtaskletTasklet *main_tasklet;
  guint            main_next_seq[N_PEERS];    /* the main side's, as the two below */
  guint            main_sent_ok[N_PEERS];     /* balls sent back to each peer */
  guint            main_refused;
  DropMode         mode;
  guint32          seed;
  guint            total_steps;               /* of all peers, if none is cancelled */
  int              progress;                  /* atomic: steps run so far */
  TestLatch        stage;                     /* 1: all placed; 2: the canceller is done */
};

/* A message to itself clocks the steps; each sends a ball to a random peer (itself included)
 * and says hello to the main side. */
static gboolean
peer_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Peer *p = user_data;
  Round *round = p->round;

  g_assert_true (g_thread_self () != main_thread);
  if (stress_is_message (event, "ball"))
    {
      StressToken *token = stress_take_token (GTASKLET_MESSAGE (event));

      g_assert_cmpuint (token->sender, <=, N_PEERS);
      g_assert_cmpuint (token->seq, ==, p->next_seq[token->sender]);
      p->next_seq[token->sender]++;
      p->received++;
    }
  else
    {
      guint to = g_rand_int_range (p->rand, 0, N_PEERS);

      g_atomic_int_inc (&round->progress);
      if (p->step++ == p->n_steps)
        return TRUE;
      if (stress_send_token (round->peers[to].tasklet, "ball", p->index, p->sent_ok[to],
                             p->step % 2))
        p->sent_ok[to]++;
      else
        p->refused++;
      /* The main side outlives the peers: nothing sent to it is refused. */
      g_assert_true (stress_send_token (round->main_tasklet, "hello", p->index,
                                        p->sent_ok[N_PEERS], FALSE));
      p->sent_ok[N_PEERS]++;
      g_assert_true (gtasklet_tasklet_send (tasklet, "tick", NULL));
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("ball", "tick"), NULL, NULL);
  return TRUE;
}

/* On the main context: checks each peer's hellos and sends a ball back. */
static gboolean
main_side_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Round *round = user_data;

  g_assert_true (g_thread_self () == main_thread);
  if (stress_is_message (event, "quit"))
    return TRUE;
  if (event != NULL)
    {
      StressToken *token = stress_take_token (GTASKLET_MESSAGE (event));
      Peer *from = &round->peers[token->sender];

      g_assert_true (gtasklet_message_get_sender (GTASKLET_MESSAGE (event)) == from->tasklet);
      g_assert_cmpuint (token->seq, ==, round->main_next_seq[token->sender]);
      round->main_next_seq[token->sender]++;
      if (stress_send_token (from->tasklet, "ball", MAIN_SIDE,
                             round->main_sent_ok[token->sender], FALSE))
        round->main_sent_ok[token->sender]++;
      else
        round->main_refused++;
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("hello", "quit"), NULL, NULL);
  return TRUE;
}

static gboolean
peer_finished (Round *round,
               guint  i)
{
  return gtasklet_tasklet_get_state (round->peers[i].tasklet) == GTASKLET_STATE_FINISHED;
}

static gboolean
peers_finished (Round *round)
{
  for (guint i = 0; i < N_PEERS; i++)
    if (!peer_finished (round, i))
      return FALSE;
  return TRUE;
}

/* Cancels random peers at random points of their run, from before their start on (point 0:
 * while the main thread starts them); may drop the pool at such a point. */
static gpointer
canceller_thread (gpointer data)
{
  Round *round = data;
  GRand *rand = g_rand_new_with_seed (round->seed ^ 0x5eed);
  guint n_cancels = g_rand_int_range (rand, 0, N_PEERS + 1);
  guint drop_at = g_rand_int_range (rand, 0, n_cancels + 1);
  guint point = 0;

  for (guint i = 0; i <= n_cancels; i++)
    {
      /* Points in increasing order; a quarter of the time, at once. */
      if (g_rand_int_range (rand, 0, 4) > 0)
        point = g_rand_int_range (rand, point, round->total_steps + 2);
      /* Until the peers have run that many steps in all, or cannot any more. */
      STRESS_SPIN_UNTIL ((guint) g_atomic_int_get (&round->progress) >= point ||
                         peers_finished (round), "the peers' progress");
      if (round->mode == DROP_FROM_CANCELLER && i == drop_at)
        {
          /* Not before the main thread is done placing tasklets on it. */
          test_latch_wait (&round->stage, 1, STRESS_DEADLINE_MS);
          g_clear_object (&round->pool.pool);
        }
      if (i < n_cancels)
        {
          /* A random peer, one still running if there is one. */
          guint k = g_rand_int_range (rand, 0, N_PEERS);

          for (guint n = 1; n < N_PEERS && peer_finished (round, k); n++)
            k = (k + 1) % N_PEERS;
          gtasklet_tasklet_cancel (round->peers[k].tasklet);
        }
    }
  g_rand_free (rand);
  test_latch_advance (&round->stage, 2);
  return NULL;
}

static void
run_round (DropMode mode,
           guint32  seed,
           guint    threads_before)
{
  Round r = { .mode = mode, .seed = seed }, *round = &r;
  GRand *rand = g_rand_new_with_seed (round->seed);
  guint drop_at;
  guint64 received = 0, refused = 0, sent_ok = 0;
  gint64 end = stress_deadline (STRESS_DEADLINE_MS);
  GThread *canceller;

  stress_tokens_reset ();
  stress_pool_init (&round->pool, 2);
  test_latch_init (&round->stage);
  round->main_tasklet = gtasklet_tasklet_new (main_side_step, round, NULL);
  gtasklet_tasklet_start (round->main_tasklet);
  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *p = &round->peers[i];

      p->round = round;
      p->index = i;
      p->n_steps = g_rand_int_range (rand, 0, MAX_PEER_STEPS + 1);
      round->total_steps += p->n_steps + 1;
      p->rand = g_rand_new_with_seed (round->seed + i + 1);
      p->tasklet = gtasklet_tasklet_new (peer_step, p, NULL);
      g_object_weak_ref (G_OBJECT (p->tasklet), test_weak_notify_atomic, &p->finalized);
    }

  drop_at = g_rand_int_range (rand, 0, round->total_steps + 1);
  canceller = g_thread_new ("canceller", canceller_thread, round);
  for (guint i = 0; i < N_PEERS; i++)
    gtasklet_pool_start (round->pool.pool, round->peers[i].tasklet);
  test_latch_advance (&round->stage, 1);
  if (round->mode == DROP_AT_ONCE)
    g_clear_object (&round->pool.pool);

  while (!peers_finished (round))
    {
      if (round->mode == DROP_WHILE_RUNNING &&
          (guint) g_atomic_int_get (&round->progress) >= drop_at)
        g_clear_object (&round->pool.pool);
      stress_poll_until (end, "the peers");
    }
  if (round->mode == DROP_AFTER_FINISH || round->mode == DROP_WHILE_RUNNING)
    g_clear_object (&round->pool.pool);
  test_wait_atomic (&round->pool.finalized, STRESS_DEADLINE_MS);
  n_finalized_on[round->pool.where == main_thread ? 0 : round->pool.where == canceller ? 1 : 2]++;
  test_latch_wait (&round->stage, 2, STRESS_DEADLINE_MS);
  g_thread_join (canceller);
  g_assert_null (round->pool.pool);

  /* Every hello sent is on its way to the main side, which is still running: all arrive. */
  test_drain ();
  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *p = &round->peers[i];

      if (stress_was_cancelled (p->tasklet))
        {
          n_cancelled++;
          n_cancelled_unstarted += p->step == 0;
        }
      else
        g_assert_cmpuint (p->step, ==, p->n_steps + 1);
      g_assert_cmpuint (round->main_next_seq[i], ==, p->sent_ok[N_PEERS]);
      for (guint to = 0; to <= N_PEERS; to++)
        sent_ok += p->sent_ok[to];
      sent_ok += round->main_sent_ok[i];
      received += p->received + round->main_next_seq[i];
      refused += p->refused;
    }
  refused += round->main_refused;
  g_assert_true (gtasklet_tasklet_send (round->main_tasklet, "quit", NULL));
  test_wait_finished (round->main_tasklet, STRESS_DEADLINE_MS);
  g_assert_no_error (gtasklet_tasklet_get_error (round->main_tasklet));

  /* The workers' threads end, and leave nothing behind: no message, no tasklet. */
  test_wait_for_thread_count (threads_before, STRESS_DEADLINE_MS);
  test_drain ();
  g_clear_object (&round->main_tasklet);
  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *p = &round->peers[i];

      g_clear_object (&p->tasklet);
      if (!g_atomic_int_get (&p->finalized))
        g_error ("round %u (seed %u): peer %u is still referenced", round->mode, round->seed, i);
      g_rand_free (p->rand);
    }
  g_assert_cmpuint (sent_ok + refused, ==, (guint64) stress_tokens_made ());
  stress_assert_tokens (received, refused, sent_ok - received);
  test_latch_clear (&round->stage);
  g_rand_free (rand);
}

static void
test_shutdown_races (void)
{
  guint n_rounds = test_scaled (1000);
  guint threads_before = test_count_threads_settled ();
  guint32 seed = stress_seed ();
  gint64 start = g_get_monotonic_time ();

  stress_count_drops_begin ();
  for (guint r = 0; r < n_rounds; r++)
    run_round (r % N_DROP_MODES, seed + r * 7919, threads_before);
  g_test_message ("%u rounds in %.2f s: %u of %u tasklets cancelled (%u before their first "
                  "step); pools finalized on the main thread %u times, on the cancelling thread "
                  "%u, on a worker %u", n_rounds, (g_get_monotonic_time () - start) / 1e6,
                  n_cancelled, n_rounds * N_PEERS, n_cancelled_unstarted,
                  n_finalized_on[0], n_finalized_on[1], n_finalized_on[2]);
}

/* 3. The last reference of a pool dropped on one of its own workers */

/* A holder tasklet has the test's only reference to the pool and drops it in its last step:
 * - LAST_ON_OTHER: while a tasklet on the other worker spins in a step; the last of those
 *   ends the pool on that worker, which joins the holder's;
 * - LAST_ON_HOLDER_WAITING: the same, then the holder waits in its step until the others have
 *   let go: its own end ends the pool on its worker, which joins the other (just busy);
 * - LAST_ON_HOLDER: once all else has ended: the holder's end is the pool's. */
typedef enum
{
  LAST_ON_OTHER,
  LAST_ON_HOLDER_WAITING,
  LAST_ON_HOLDER,
  N_LAST_MODES
} LastMode;

typedef enum
{
  BUSY_SPINNER,   /* spins in a step until the holder has dropped */
  BUSY_TICKER,    /* runs steps until then, and a few more */
  BUSY_QUITTER,   /* on the holder's worker: ends when told, before the drop */
} BusyRole;

#define N_BUSY   3
#define N_TICKS  10

typedef struct _Holder Holder;

typedef struct
{
  Holder          *holder;
  GtaskletTasklet *tasklet;
  GThread         *thread;      /* atomic */
  BusyRole         role;        /* set before its "work" message */
  guint            ticks;
} Busy;

struct _Holder
{
  StressPool       pool;
  GtaskletPool    *held;        /* the test's only reference, handed to the holder */
  GtaskletPool    *peek;        /* no reference: valid while a tasklet placed on it runs */
  LastMode         mode;
  GtaskletTasklet *tasklet;
  GThread         *thread;      /* atomic: the holder's worker */
  Busy             busy[N_BUSY];
  guint            n_other;     /* busy tasklets on the other worker */
  int              spinning;    /* atomic */
  int              dropped;     /* atomic */
};

static gboolean
holder_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Holder *h = user_data;

  if (event == NULL)
    {
      g_atomic_pointer_set (&h->thread, g_thread_self ());
      gtasklet_tasklet_receive (tasklet, TEST_NAMES ("go"), NULL, NULL);
      return TRUE;
    }
  /* The holder's placement keeps the pool (and h->peek valid) until it has ended. */
  g_object_unref (g_steal_pointer (&h->held));
  g_assert_false (g_atomic_int_get (&h->pool.finalized));
  g_atomic_int_set (&h->dropped, TRUE);
  if (h->mode == LAST_ON_HOLDER_WAITING)
    STRESS_SPIN_UNTIL (stress_pool_refs (h->peek) == 1, "the other tasklets to let go of the pool");
  return TRUE;
}

static gboolean
busy_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Busy *b = user_data;
  Holder *h = b->holder;

  if (event == NULL)
    {
      g_atomic_pointer_set (&b->thread, g_thread_self ());
      gtasklet_tasklet_receive (tasklet, TEST_NAMES ("work", "quit"), NULL, NULL);
      return TRUE;
    }
  if (stress_is_message (event, "quit"))
    return TRUE;
  if (stress_is_message (event, "work") && b->role == BUSY_SPINNER)
    {
      g_atomic_int_inc (&h->spinning);
      STRESS_SPIN_UNTIL (g_atomic_int_get (&h->dropped), "the holder's drop");
      /* Until the holder's end has let go too: only this worker's tasklets keep the pool. */
      if (h->mode == LAST_ON_OTHER)
        STRESS_SPIN_UNTIL (stress_pool_refs (h->peek) == h->n_other, "the holder's end");
    }
  /* Busy steps, until the holder has dropped and a few more. */
  if (g_atomic_int_get (&h->dropped) && ++b->ticks == N_TICKS)
    return TRUE;
  g_assert_false (g_atomic_int_get (&h->pool.finalized));
  g_assert_true (gtasklet_tasklet_send (tasklet, "tick", NULL));
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("tick"), NULL, NULL);
  return TRUE;
}

static void
run_last_round (LastMode mode,
                guint    threads_before)
{
  Holder h = { .mode = mode };
  GThread *other = NULL;

  stress_pool_init (&h.pool, 2);
  h.peek = h.pool.pool;
  h.tasklet = gtasklet_tasklet_new (holder_step, &h, NULL);
  gtasklet_pool_start (h.pool.pool, h.tasklet);
  for (guint i = 0; i < N_BUSY; i++)
    {
      h.busy[i] = (Busy) { &h, gtasklet_tasklet_new (busy_step, &h.busy[i], NULL) };
      gtasklet_pool_start (h.pool.pool, h.busy[i].tasklet);
    }
  h.held = g_steal_pointer (&h.pool.pool);
  /* Least-loaded placement puts the first busy tasklet, at least, on the other worker. */
  STRESS_SPIN_UNTIL (g_atomic_pointer_get (&h.thread) != NULL, "the holder's first step");
  for (guint i = 0; i < N_BUSY; i++)
    {
      Busy *b = &h.busy[i];

      STRESS_SPIN_UNTIL (g_atomic_pointer_get (&b->thread) != NULL, "a busy tasklet's first step");
      if (b->thread != h.thread)
        other = b->thread;
      if (mode == LAST_ON_HOLDER || b->thread == h.thread)
        b->role = BUSY_QUITTER;
      else
        b->role = h.n_other++ == 0 ? BUSY_SPINNER : BUSY_TICKER;
    }
  g_assert_nonnull (other);

  /* The holder's worker is left to the holder; the other one gets busy, or ends its part. */
  for (guint i = 0; i < N_BUSY; i++)
    if (h.busy[i].role == BUSY_QUITTER)
      {
        g_assert_true (gtasklet_tasklet_send (h.busy[i].tasklet, "quit", NULL));
        test_wait_finished_anywhere (h.busy[i].tasklet, STRESS_DEADLINE_MS);
      }
  for (guint i = 0; i < N_BUSY; i++)
    if (h.busy[i].role != BUSY_QUITTER)
      g_assert_true (gtasklet_tasklet_send (h.busy[i].tasklet, "work", NULL));
  if (mode == LAST_ON_HOLDER)
    STRESS_SPIN_UNTIL (stress_pool_refs (h.peek) == 2, "the quitters to let go of the pool");
  else
    STRESS_SPIN_UNTIL (g_atomic_int_get (&h.spinning) == 1, "the spinner");
  g_assert_true (gtasklet_tasklet_send (h.tasklet, "go", NULL));

  stress_pool_finish (&h.pool, threads_before);
  g_assert_true (h.pool.where == (mode == LAST_ON_OTHER ? other : h.thread));
  g_assert_false (stress_was_cancelled (h.tasklet));
  g_object_unref (h.tasklet);
  for (guint i = 0; i < N_BUSY; i++)
    {
      g_assert_false (stress_was_cancelled (h.busy[i].tasklet));
      g_object_unref (h.busy[i].tasklet);
    }
}

static void
test_last_reference_on_worker (void)
{
  guint n_rounds = test_scaled (100);
  guint threads_before = test_count_threads_settled ();

  for (guint r = 0; r < n_rounds; r++)
    for (LastMode mode = 0; mode < N_LAST_MODES; mode++)
      run_last_round (mode, threads_before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/gtasklet/pool-stress/send-cancel", test_send_cancel);
  g_test_add_func ("/gtasklet/pool-stress/shutdown-races", test_shutdown_races);
  g_test_add_func ("/gtasklet/pool-stress/last-reference-on-worker",
                   test_last_reference_on_worker);

  return g_test_run ();
}

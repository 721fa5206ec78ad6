/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The "Threads" rules of the contract, each exercised across real threads: sends, cancels and
 * get_state from threads other than the tasklet's. The other rules are in
 * test-threads-results.c (join, results, WaitForTasklet across contexts), test-threads-fire.c
 * (conditions fired from other threads) and test-threads-stress.c. Every wait has a deadline;
 * nothing sleeps. */
#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

static GThread *main_thread;

static GValue *
uint64_value (GValue  *value,
              guint64  v)
{
  g_value_init (value, G_TYPE_UINT64);
  g_value_set_uint64 (value, v);
  return value;
}

#define PAYLOAD(sender, seq) (((guint64) (sender) << 32) | (guint64) (seq))
#define PAYLOAD_SENDER(p)    ((guint) ((p) >> 32))
#define PAYLOAD_SEQ(p)       ((guint) ((p) & 0xffffffffu))

/* A receiver that checks per-sender order: message i from sender s carries (s, i). */

typedef struct
{
  GtaskletWaitCondition *inbox;
  GThread               *thread;      /* where its steps must run */
  guint                  n_senders;
  guint                 *next_seq;
  guint                  expected;    /* finishes after this many */
  guint                  received;
  guint                  pending_at_start;
  gboolean               started;
} OrderedReceiver;

static OrderedReceiver *
ordered_receiver_new (guint n_senders,
                      guint expected)
{
  OrderedReceiver *r = g_new0 (OrderedReceiver, 1);
  const char *accept[] = { "m", NULL };

  r->inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);
  r->thread = g_thread_self ();
  r->n_senders = n_senders;
  r->next_seq = g_new0 (guint, n_senders);
  r->expected = expected;
  return r;
}

static void
ordered_receiver_free (gpointer data)
{
  OrderedReceiver *r = data;

  g_object_unref (r->inbox);
  g_free (r->next_seq);
  g_free (r);
}

static gboolean
ordered_receiver_step (GtaskletTasklet  *tasklet,
                       GObject          *event,
                       gpointer          user_data,
                       GError          **error)
{
  OrderedReceiver *r = user_data;

  g_assert_true (g_thread_self () == r->thread);
  g_assert_true (gtasklet_tasklet_get_current () == tasklet);

  if (event == NULL)
    {
      r->started = TRUE;
      r->pending_at_start = gtasklet_tasklet_get_n_pending_messages (tasklet);
    }
  else
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      guint64 payload = g_value_get_uint64 (gtasklet_message_get_value (message));
      guint sender = PAYLOAD_SENDER (payload);

      g_assert_cmpstr (gtasklet_message_get_name (message), ==, "m");
      g_assert_null (gtasklet_message_get_sender (message));
      g_assert_true (gtasklet_message_get_dest (message) == tasklet);
      g_assert_cmpuint (sender, <, r->n_senders);
      /* Nothing lost, nothing doubled, and each sender's messages in the order sent. */
      g_assert_cmpuint (PAYLOAD_SEQ (payload), ==, r->next_seq[sender]);
      r->next_seq[sender]++;
      r->received++;
    }

  if (r->received < r->expected)
    gtasklet_tasklet_wait (tasklet, r->inbox);
  return TRUE;
}

typedef struct
{
  GtaskletTasklet *dest;
  guint            id;
  guint            first;      /* sends seq first .. first + count - 1 */
  guint            count;
  TestLatch       *go;         /* optional: wait for it to reach go_value before sending */
  int              go_value;
  TestLatch       *done;       /* optional: advanced by one when the sends are done */
} SendJob;

static void
send_one (GtaskletTasklet *dest,
          guint            id,
          guint            seq)
{
  GValue value = G_VALUE_INIT;

  uint64_value (&value, PAYLOAD (id, seq));
  /* Both entry points, interleaved: order holds across them too. */
  if (seq % 2 == 0)
    {
      g_assert_true (gtasklet_tasklet_send (dest, "m", &value));
    }
  else
    {
      g_autoptr (GtaskletMessage) message = gtasklet_message_new ("m", &value);

      g_assert_true (gtasklet_tasklet_send_message (dest, message));
    }
}

static gpointer
send_job_thread (gpointer data)
{
  SendJob *job = data;

  g_assert_null (gtasklet_tasklet_get_current ());
  if (job->go != NULL)
    test_latch_wait (job->go, job->go_value, DEADLINE_MS);
  for (guint i = 0; i < job->count; i++)
    send_one (job->dest, job->id, job->first + i);
  if (job->done != NULL)
    {
      g_mutex_lock (&job->done->mutex);
      job->done->value++;
      g_cond_broadcast (&job->done->cond);
      g_mutex_unlock (&job->done->mutex);
    }
  return NULL;
}

/* Sends from several threads to a tasklet on the main context. */
static void
test_send_many_senders (void)
{
  enum { N_SENDERS = 4 };
  guint per_sender = test_scaled (25000);
  OrderedReceiver *r = ordered_receiver_new (N_SENDERS, N_SENDERS * per_sender);
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (ordered_receiver_step, r, ordered_receiver_free);
  SendJob jobs[N_SENDERS];
  GThread *threads[N_SENDERS];
  gint64 start;

  gtasklet_tasklet_start (tasklet);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_SENDERS; i++)
    {
      jobs[i] = (SendJob) { .dest = tasklet, .id = i, .first = 0, .count = per_sender };
      threads[i] = g_thread_new ("sender", send_job_thread, &jobs[i]);
    }

  test_wait_finished (tasklet, DEADLINE_MS);
  for (guint i = 0; i < N_SENDERS; i++)
    g_thread_join (threads[i]);

  g_assert_null (gtasklet_tasklet_get_error (tasklet));
  g_assert_cmpuint (r->received, ==, N_SENDERS * per_sender);
  for (guint i = 0; i < N_SENDERS; i++)
    g_assert_cmpuint (r->next_seq[i], ==, per_sender);
  g_test_message ("%u messages from %u threads in %.3f s", N_SENDERS * per_sender, N_SENDERS,
                  (g_get_monotonic_time () - start) / 1e6);
  g_object_unref (tasklet);
}

/* Sends from other threads to a tasklet that has not started: they are queued, and received
 * after start in order, also when sending goes on while it starts. */
static void
test_send_before_start (void)
{
  enum { N_SENDERS = 4 };
  guint half = test_scaled (2000);
  OrderedReceiver *r = ordered_receiver_new (N_SENDERS, N_SENDERS * 2 * half);
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (ordered_receiver_step, r, ordered_receiver_free);
  SendJob before[N_SENDERS], after[N_SENDERS];
  GThread *threads[N_SENDERS];
  TestLatch done, go;

  test_latch_init (&done);
  test_latch_init (&go);

  /* First half: every sender sends before the start. */
  for (guint i = 0; i < N_SENDERS; i++)
    {
      before[i] = (SendJob) { .dest = tasklet, .id = i, .first = 0, .count = half, .done = &done };
      threads[i] = g_thread_new ("sender", send_job_thread, &before[i]);
    }
  test_latch_wait (&done, N_SENDERS, DEADLINE_MS);
  for (guint i = 0; i < N_SENDERS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_NEW);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (tasklet), ==, N_SENDERS * half);

  /* Second half: released just before the start, so sending races with it. */
  for (guint i = 0; i < N_SENDERS; i++)
    {
      after[i] = (SendJob) { .dest = tasklet, .id = i, .first = half, .count = half,
                             .go = &go, .go_value = 1 };
      threads[i] = g_thread_new ("sender", send_job_thread, &after[i]);
    }
  test_latch_advance (&go, 1);
  gtasklet_tasklet_start (tasklet);
  g_assert_true (r->started);
  g_assert_cmpuint (r->pending_at_start, >=, N_SENDERS * half);

  test_wait_finished (tasklet, DEADLINE_MS);
  for (guint i = 0; i < N_SENDERS; i++)
    g_thread_join (threads[i]);

  g_assert_null (gtasklet_tasklet_get_error (tasklet));
  for (guint i = 0; i < N_SENDERS; i++)
    g_assert_cmpuint (r->next_seq[i], ==, 2 * half);

  test_latch_clear (&done);
  test_latch_clear (&go);
  g_object_unref (tasklet);
}

static gpointer
send_to_finished_thread (gpointer data)
{
  GtaskletTasklet *dest = data;
  GValue value = G_VALUE_INIT;
  g_autoptr (GtaskletMessage) message = NULL;

  g_assert_cmpint (gtasklet_tasklet_get_state (dest), ==, GTASKLET_STATE_FINISHED);
  uint64_value (&value, 1);
  g_assert_false (gtasklet_tasklet_send (dest, "m", &value));
  g_assert_false (gtasklet_tasklet_send (dest, "m", NULL));
  message = gtasklet_message_new ("m", &value);
  g_assert_false (gtasklet_tasklet_send_message (dest, message));
  return NULL;
}

static void
test_send_to_finished (void)
{
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);

  gtasklet_tasklet_start (tasklet);
  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_FINISHED);
  g_thread_join (g_thread_new ("sender", send_to_finished_thread, tasklet));
  test_drain ();
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (tasklet), ==, 0);
  g_object_unref (tasklet);
}

/* Cancel */

typedef struct
{
  GtaskletWaitCondition *manual;       /* never fired unless a test says so */
  GtaskletWaitCondition *extra;        /* optional second condition of the first wait set */
  TestLatch              latch;
  guint                  n_steps;
  gboolean               block_second_step;
  GObject               *last_event;
} CancelCase;

static void
cancel_case_init (CancelCase *c)
{
  *c = (CancelCase) { 0 };
  c->manual = test_manual_condition_new ();
  test_latch_init (&c->latch);
}

static void
cancel_case_clear (CancelCase *c)
{
  g_clear_object (&c->manual);
  g_clear_object (&c->extra);
  test_latch_clear (&c->latch);
}

/* Latch stages of a cancel case. */
enum { STAGE_IN_STEP = 1, STAGE_CANCELLED = 2 };

static gboolean
cancel_case_step (GtaskletTasklet  *tasklet,
                  GObject          *event,
                  gpointer          user_data,
                  GError          **error)
{
  CancelCase *c = user_data;

  g_assert_true (g_thread_self () == main_thread);
  c->n_steps++;
  c->last_event = event;

  if (event != NULL && c->extra != NULL && event == (GObject *) c->extra)
    {
      GValue value = G_VALUE_INIT;

      /* Woken by its own cancellable: it decides, and returns a value. */
      g_value_init (&value, G_TYPE_INT);
      g_value_set_int (&value, 7);
      gtasklet_tasklet_return_value (tasklet, &value);
      return TRUE;
    }

  if (event != NULL && c->block_second_step)
    {
      /* Cancelled from the other thread while this step runs. */
      test_latch_advance (&c->latch, STAGE_IN_STEP);
      test_latch_wait (&c->latch, STAGE_CANCELLED, DEADLINE_MS);
      g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_RUNNING);
    }

  gtasklet_tasklet_wait (tasklet, c->manual);
  if (event == NULL && c->extra != NULL)
    gtasklet_tasklet_wait (tasklet, c->extra);
  return TRUE;
}

static gpointer
cancel_thread (gpointer data)
{
  GtaskletTasklet *tasklet = data;

  gtasklet_tasklet_cancel (tasklet);
  return NULL;
}

static gpointer
cancel_when_in_step_thread (gpointer data)
{
  GtaskletTasklet *tasklet = data;
  CancelCase *c = g_object_get_data (G_OBJECT (tasklet), "case");

  test_latch_wait (&c->latch, STAGE_IN_STEP, DEADLINE_MS);
  gtasklet_tasklet_cancel (tasklet);
  test_latch_advance (&c->latch, STAGE_CANCELLED);
  return NULL;
}

static void
test_cancel_while_suspended (void)
{
  CancelCase c;
  GtaskletTasklet *tasklet;

  cancel_case_init (&c);
  tasklet = gtasklet_tasklet_new (cancel_case_step, &c, NULL);
  gtasklet_tasklet_start (tasklet);
  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_SUSPENDED);

  g_thread_join (g_thread_new ("canceller", cancel_thread, tasklet));
  test_wait_finished (tasklet, DEADLINE_MS);
  test_assert_cancelled (tasklet);
  g_assert_cmpuint (c.n_steps, ==, 1);
  g_assert_false (TEST_MANUAL_CONDITION (c.manual)->armed);

  g_object_unref (tasklet);
  cancel_case_clear (&c);
}

static void
test_cancel_while_running (void)
{
  CancelCase c;
  GtaskletTasklet *tasklet;
  GThread *thread;

  cancel_case_init (&c);
  c.block_second_step = TRUE;
  tasklet = gtasklet_tasklet_new (cancel_case_step, &c, NULL);
  g_object_set_data (G_OBJECT (tasklet), "case", &c);
  gtasklet_tasklet_start (tasklet);

  thread = g_thread_new ("canceller", cancel_when_in_step_thread, tasklet);
  /* The second step blocks until the other thread has cancelled; it then waits again, and
   * its wait set, committed after a cancel, ends it. */
  gtasklet_wait_condition_fire (c.manual);
  test_wait_finished (tasklet, DEADLINE_MS);
  g_thread_join (thread);

  test_assert_cancelled (tasklet);
  g_assert_cmpuint (c.n_steps, ==, 2);
  g_assert_false (TEST_MANUAL_CONDITION (c.manual)->armed);

  g_object_unref (tasklet);
  cancel_case_clear (&c);
}

static void
test_cancel_before_start (void)
{
  CancelCase c;
  GtaskletTasklet *tasklet;

  cancel_case_init (&c);
  tasklet = gtasklet_tasklet_new (cancel_case_step, &c, NULL);
  g_thread_join (g_thread_new ("canceller", cancel_thread, tasklet));
  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_NEW);

  gtasklet_tasklet_start (tasklet);
  test_wait_finished (tasklet, DEADLINE_MS);
  test_assert_cancelled (tasklet);
  g_assert_cmpuint (c.n_steps, ==, 0);

  g_object_unref (tasklet);
  cancel_case_clear (&c);
}

static void
test_cancel_wakes_wait_for_cancellable (void)
{
  CancelCase c;
  GtaskletTasklet *tasklet;
  const GValue *result;

  cancel_case_init (&c);
  tasklet = gtasklet_tasklet_new (cancel_case_step, &c, NULL);
  c.extra = gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (tasklet));
  gtasklet_tasklet_start (tasklet);

  g_thread_join (g_thread_new ("canceller", cancel_thread, tasklet));
  test_wait_finished (tasklet, DEADLINE_MS);

  g_assert_cmpuint (c.n_steps, ==, 2);
  g_assert_true (c.last_event == (GObject *) c.extra);
  g_assert_no_error ((GError *) gtasklet_tasklet_get_error (tasklet));
  result = gtasklet_tasklet_get_result (tasklet);
  g_assert_nonnull (result);
  g_assert_cmpint (g_value_get_int (result), ==, 7);

  g_object_unref (tasklet);
  cancel_case_clear (&c);
}

/* get_state from another thread */

typedef struct
{
  GtaskletTasklet       *tasklet;
  GtaskletWaitCondition *manual;
  guint                  rounds;
  guint                  n_steps;
  TestLatch              seen_running;      /* how many RUNNING stretches the poller saw */
  TestLatch              seen_suspended;    /* how many RUNNING -> SUSPENDED it saw */
  TestLatch              seen_new;
  int                    n_finished;
  char                  *bad;
} StatePoll;

static gpointer
state_poll_thread (gpointer data)
{
  StatePoll *p = data;
  GtaskletState last = (GtaskletState) -1;
  guint finished_reads = 0;
  gint64 end = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  guint reads = 0;

  while (finished_reads < 10000)
    {
      GtaskletState state = gtasklet_tasklet_get_state (p->tasklet);

      if ((++reads & 1023) == 0 && g_get_monotonic_time () > end)
        {
          p->bad = g_strdup_printf ("poller timed out in state %d", last);
          break;
        }
      if (state != GTASKLET_STATE_NEW && state != GTASKLET_STATE_RUNNING &&
          state != GTASKLET_STATE_SUSPENDED && state != GTASKLET_STATE_FINISHED)
        {
          p->bad = g_strdup_printf ("impossible state value %d", (int) state);
          break;
        }
      if (state == GTASKLET_STATE_FINISHED)
        finished_reads++;
      if (state == last)
        continue;

      /* Only the transitions the life cycle allows. */
      if ((int) last != -1 &&
          (state == GTASKLET_STATE_NEW || last == GTASKLET_STATE_FINISHED))
        {
          p->bad = g_strdup_printf ("state went from %d to %d", last, state);
          break;
        }
      switch (state)
        {
        case GTASKLET_STATE_NEW:
          test_latch_advance (&p->seen_new, 1);
          break;
        case GTASKLET_STATE_RUNNING:
          test_latch_advance (&p->seen_running, test_latch_get (&p->seen_running) + 1);
          break;
        case GTASKLET_STATE_SUSPENDED:
          if (last == GTASKLET_STATE_RUNNING)
            test_latch_advance (&p->seen_suspended, test_latch_get (&p->seen_suspended) + 1);
          break;
        case GTASKLET_STATE_FINISHED:
          g_atomic_int_inc (&p->n_finished);
          break;
        }
      last = state;
    }

  /* Never leave a step blocked on a latch the poller will not advance any more. */
  test_latch_advance (&p->seen_running, G_MAXINT);
  test_latch_advance (&p->seen_suspended, G_MAXINT);
  test_latch_advance (&p->seen_new, G_MAXINT);
  return NULL;
}

static gboolean
state_poll_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  StatePoll *p = user_data;

  p->n_steps++;
  /* Stay RUNNING until the poller has seen it. */
  test_latch_wait (&p->seen_running, p->n_steps, DEADLINE_MS);
  if (p->n_steps > p->rounds)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, p->manual);
  return TRUE;
}

static void
test_state_polled_from_thread (void)
{
  StatePoll p = { 0 };
  GThread *poller;

  p.rounds = test_scaled (200);
  p.manual = test_manual_condition_new ();
  test_latch_init (&p.seen_running);
  test_latch_init (&p.seen_suspended);
  test_latch_init (&p.seen_new);
  p.tasklet = gtasklet_tasklet_new (state_poll_step, &p, NULL);

  poller = g_thread_new ("poller", state_poll_thread, &p);
  test_latch_wait (&p.seen_new, 1, DEADLINE_MS);
  gtasklet_tasklet_start (p.tasklet);
  for (guint i = 1; i <= p.rounds; i++)
    {
      /* Fire only once the poller has seen the tasklet suspended again. */
      test_latch_wait (&p.seen_suspended, i, DEADLINE_MS);
      gtasklet_wait_condition_fire (p.manual);
      test_drain ();
    }
  test_wait_finished (p.tasklet, DEADLINE_MS);
  g_thread_join (poller);

  if (p.bad != NULL)
    g_error ("get_state from another thread: %s", p.bad);
  g_assert_cmpint (p.n_finished, ==, 1);
  g_assert_cmpuint (p.n_steps, ==, p.rounds + 1);

  g_object_unref (p.tasklet);
  g_object_unref (p.manual);
  test_latch_clear (&p.seen_running);
  test_latch_clear (&p.seen_suspended);
  test_latch_clear (&p.seen_new);
  g_free (p.bad);
}

/* get_cancellable() from another thread racing the tasklet's finish: whenever the
 * cancellable is made (before, during or after the finish), a finished tasklet is left
 * connected to it by nothing, so cancelling it later reaches no freed tasklet. The other
 * thread asks for each tasklet's cancellable the moment its finish begins, after a random
 * spin, so that across the rounds the call lands everywhere around the finish. */

typedef struct
{
  GtaskletTasklet **tasklets;
  guint             n;
  int               round;     /* atomic: the tasklet this thread is finishing */
  int               fetched;   /* atomic: how many cancellables the other thread has made */
} CancellableRace;

static gpointer
cancellable_race_thread (gpointer data)
{
  CancellableRace *r = data;
  GRand *rand = g_rand_new ();

  for (guint i = 0; i < r->n; i++)
    {
      guint spin = g_rand_int_range (rand, 0, 4000);

      /* Yields: under valgrind, which runs one thread at a time, a bare spin would wait for
       * the end of its time slice every round. */
      while ((guint) g_atomic_int_get (&r->round) < i + 1)
        g_thread_yield ();
      for (volatile guint k = 0; k < spin; k++)
        ;
      g_assert_true (G_IS_CANCELLABLE (gtasklet_tasklet_get_cancellable (r->tasklets[i])));
      g_atomic_int_inc (&r->fetched);
    }
  g_rand_free (rand);
  return NULL;
}

static void
test_cancellable_racing_finish (void)
{
  CancellableRace r = { 0 };
  GtaskletWaitCondition **manual;
  GThread *thread;

  r.n = test_scaled (20000);
  r.tasklets = g_new (GtaskletTasklet *, r.n);
  manual = g_new (GtaskletWaitCondition *, r.n);
  for (guint i = 0; i < r.n; i++)
    {
      manual[i] = test_manual_condition_new ();
      r.tasklets[i] = gtasklet_tasklet_new (test_wait_once_step, manual[i], NULL);
      gtasklet_tasklet_start (r.tasklets[i]);
    }

  thread = g_thread_new ("canceller", cancellable_race_thread, &r);
  for (guint i = 0; i < r.n; i++)
    {
      GCancellable *cancellable;

      g_atomic_int_set (&r.round, i + 1);
      gtasklet_wait_condition_fire (manual[i]);
      test_wait_finished (r.tasklets[i], DEADLINE_MS);
      while ((guint) g_atomic_int_get (&r.fetched) < i + 1)
        g_thread_yield ();

      cancellable = gtasklet_tasklet_get_cancellable (r.tasklets[i]);
      if (g_signal_handler_find (cancellable, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                 r.tasklets[i]) != 0)
        g_error ("round %u: the finished tasklet is still connected to its cancellable", i);
      g_assert_no_error (gtasklet_tasklet_get_error (r.tasklets[i]));
    }
  g_thread_join (thread);

  for (guint i = 0; i < r.n; i++)
    {
      g_object_unref (r.tasklets[i]);
      g_object_unref (manual[i]);
    }
  g_free (r.tasklets);
  g_free (manual);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/gtasklet/threads/send-many-senders", test_send_many_senders);
  g_test_add_func ("/gtasklet/threads/send-before-start", test_send_before_start);
  g_test_add_func ("/gtasklet/threads/send-to-finished", test_send_to_finished);
  g_test_add_func ("/gtasklet/threads/cancel-while-suspended", test_cancel_while_suspended);
  g_test_add_func ("/gtasklet/threads/cancel-while-running", test_cancel_while_running);
  g_test_add_func ("/gtasklet/threads/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/gtasklet/threads/cancel-wakes-wait-for-cancellable",
                   test_cancel_wakes_wait_for_cancellable);
  g_test_add_func ("/gtasklet/threads/state-polled-from-thread", test_state_polled_from_thread);
  g_test_add_func ("/gtasklet/threads/cancellable-racing-finish", test_cancellable_racing_finish);

  return g_test_run ();
}

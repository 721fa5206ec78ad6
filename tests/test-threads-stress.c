/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sends from two threads to several receivers on the main context while the senders cancel
 * random receivers: a cancelled receiver ends, a send returns FALSE only once its
 * destination has finished (and from then on always), every receiver gets each sender's
 * messages in order with nothing doubled, and what was sent is what was received plus what
 * was dropped when a receiver finished. GTASKLET_TEST_SCALE scales the message count. */
#include "stress-util.h"
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 120000
#define N_SLOTS     8
#define N_SENDERS   2

#define PAYLOAD(sender, seq) (((guint64) (sender) << 32) | (guint64) (seq))
#define PAYLOAD_SENDER(p)    ((guint) ((p) >> 32))
#define PAYLOAD_SEQ(p)       ((guint) ((p) & 0xffffffffu))

typedef struct
{
  GtaskletTasklet       *tasklet;
  GtaskletWaitCondition *inbox;
  /* Main thread only. */
  guint                  received[N_SENDERS];
  gboolean               finished;
  /* Sender i writes only its own entries; the main thread reads them after joining it. */
  guint                  sent_ok[N_SENDERS];
  guint                  refused[N_SENDERS];
} Receiver;

typedef struct
{
  Receiver *receivers;        /* max_receivers of them, filled in order by the main thread */
  guint     n_receivers;
  guint     max_receivers;
  int       slots[N_SLOTS];   /* atomic: index of the receiver the senders use there */
  int       cancels_left;     /* atomic */
  guint     cancel_period;
  guint     per_sender;
  guint32   seed;
  int       senders_done;     /* atomic */
} Stress;

typedef struct
{
  Stress *stress;
  guint   id;
  guint   n_cancels;
} Sender;

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Receiver *r = user_data;

  if (event != NULL)
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      guint64 payload = g_value_get_uint64 (gtasklet_message_get_value (message));
      guint sender = PAYLOAD_SENDER (payload);

      g_assert_true (gtasklet_message_get_dest (message) == tasklet);
      g_assert_cmpuint (sender, <, N_SENDERS);
      /* In order, nothing lost in between, nothing twice. */
      if (PAYLOAD_SEQ (payload) != r->received[sender])
        g_error ("receiver %p: message %u from sender %u, expected %u", tasklet,
                 PAYLOAD_SEQ (payload), sender, r->received[sender]);
      r->received[sender]++;
    }
  gtasklet_tasklet_wait (tasklet, r->inbox);
  return TRUE;
}

static void
on_receiver_finished (GtaskletTasklet *tasklet,
                      gpointer         user_data)
{
  Receiver *r = user_data;

  r->finished = TRUE;
}

static void
receiver_start (Stress *s,
                guint   index)
{
  Receiver *r = &s->receivers[index];
  const char *accept[] = { "m", NULL };

  g_assert_cmpuint (index, ==, s->n_receivers);
  r->inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);
  r->tasklet = gtasklet_tasklet_new (receiver_step, r, NULL);
  g_signal_connect (r->tasklet, "finished", G_CALLBACK (on_receiver_finished), r);
  gtasklet_tasklet_start (r->tasklet);
  s->n_receivers++;
}

static gpointer
sender_thread (gpointer data)
{
  Sender *sender = data;
  Stress *s = sender->stress;
  GRand *rand = g_rand_new_with_seed (s->seed + sender->id);
  guint id = sender->id;

  for (guint i = 0; i < s->per_sender; i++)
    {
      Receiver *r = &s->receivers[g_atomic_int_get (&s->slots[g_rand_int_range (rand, 0, N_SLOTS)])];
      GValue value = G_VALUE_INIT;
      gboolean ok;

      if (g_rand_int_range (rand, 0, s->cancel_period) == 0 &&
          g_atomic_int_add (&s->cancels_left, -1) > 0)
        {
          Receiver *victim = &s->receivers[g_atomic_int_get (&s->slots[g_rand_int_range (rand, 0, N_SLOTS)])];

          gtasklet_tasklet_cancel (victim->tasklet);
          sender->n_cancels++;
        }

      g_value_init (&value, G_TYPE_UINT64);
      g_value_set_uint64 (&value, PAYLOAD (id, r->sent_ok[id]));
      if (i % 8 == 7)
        {
          g_autoptr (GtaskletMessage) message = gtasklet_message_new ("m", &value);

          ok = gtasklet_tasklet_send_message (r->tasklet, message);
        }
      else
        {
          ok = gtasklet_tasklet_send (r->tasklet, "m", &value);
        }

      if (ok)
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
    }

  g_rand_free (rand);
  g_atomic_int_inc (&s->senders_done);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
heartbeat_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
replace_finished_receivers (Stress *s)
{
  for (guint slot = 0; slot < N_SLOTS; slot++)
    {
      Receiver *r = &s->receivers[g_atomic_int_get (&s->slots[slot])];

      if (!r->finished || s->n_receivers == s->max_receivers)
        continue;
      receiver_start (s, s->n_receivers);
      g_atomic_int_set (&s->slots[slot], (int) s->n_receivers - 1);
    }
}

static gboolean
all_live_received (Stress *s)
{
  for (guint i = 0; i < s->n_receivers; i++)
    {
      Receiver *r = &s->receivers[i];

      for (guint id = 0; id < N_SENDERS && !r->finished; id++)
        if (r->received[id] != r->sent_ok[id])
          return FALSE;
    }
  return TRUE;
}

static void
test_stress_send_cancel (void)
{
  Stress s = { 0 };
  Sender senders[N_SENDERS];
  GThread *threads[N_SENDERS];
  guint total = test_scaled (1000000);
  guint n_cancels = test_scaled (48);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  guint heartbeat;
  guint64 sent_ok = 0, received = 0, dropped = 0, refused = 0;
  guint n_finished = 0, cancels_done = 0;
  int logged_drops, logged_drop_lines;

  s.seed = stress_seed ();
  s.per_sender = MAX (1, total / N_SENDERS);
  s.max_receivers = N_SLOTS + n_cancels;
  s.receivers = g_new0 (Receiver, s.max_receivers);
  s.cancels_left = (int) n_cancels;
  s.cancel_period = MAX (2, (N_SENDERS * s.per_sender) / (n_cancels + 1));
  for (guint slot = 0; slot < N_SLOTS; slot++)
    {
      receiver_start (&s, slot);
      s.slots[slot] = (int) slot;
    }

  stress_count_drops_begin ();
  heartbeat = g_timeout_add (100, heartbeat_cb, NULL);
  for (guint i = 0; i < N_SENDERS; i++)
    {
      senders[i] = (Sender) { .stress = &s, .id = i };
      threads[i] = g_thread_new ("sender", sender_thread, &senders[i]);
    }

  while (g_atomic_int_get (&s.senders_done) < N_SENDERS)
    {
      g_main_context_iteration (NULL, TRUE);
      replace_finished_receivers (&s);
      if (g_get_monotonic_time () > end)
        g_error ("senders did not finish within %d ms", DEADLINE_MS);
    }
  for (guint i = 0; i < N_SENDERS; i++)
    {
      g_thread_join (threads[i]);
      cancels_done += senders[i].n_cancels;
    }

  /* Everything sent to a receiver that is still running arrives. */
  while (!all_live_received (&s))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > end)
        g_error ("messages to live receivers did not arrive within %d ms", DEADLINE_MS);
    }
  g_source_remove (heartbeat);

  for (guint i = 0; i < s.n_receivers; i++)
    {
      Receiver *r = &s.receivers[i];

      for (guint id = 0; id < N_SENDERS; id++)
        {
          g_assert_cmpuint (r->received[id], <=, r->sent_ok[id]);
          sent_ok += r->sent_ok[id];
          received += r->received[id];
          refused += r->refused[id];
          if (r->finished)
            dropped += r->sent_ok[id] - r->received[id];
        }
      if (r->finished)
        {
          n_finished++;
          g_assert_error ((GError *) gtasklet_tasklet_get_error (r->tasklet),
                          G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (r->tasklet), ==, 0);
        }
    }
  g_assert_cmpuint (sent_ok + refused, ==, (guint64) N_SENDERS * s.per_sender);
  g_assert_cmpuint (sent_ok, ==, received + dropped);
  g_test_message ("%u sends in %.2f s: %" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT
                  " dropped at finish, %" G_GUINT64_FORMAT " refused; %u cancels, %u of %u "
                  "receivers cancelled",
                  N_SENDERS * s.per_sender, (g_get_monotonic_time () - start) / 1e6,
                  received, dropped, refused, cancels_done, n_finished, s.n_receivers);

  for (guint i = 0; i < s.n_receivers; i++)
    {
      Receiver *r = &s.receivers[i];

      gtasklet_tasklet_cancel (r->tasklet);
      test_wait_finished (r->tasklet, DEADLINE_MS);
      g_object_unref (r->tasklet);
      g_object_unref (r->inbox);
    }
  g_free (s.receivers);
  /* Messages posted to receivers that finished meanwhile are dropped when their context gets
   * to them: only now has every drop been logged. Informational: the wording of the debug log
   * is not part of the contract (a send refused while its destination finishes may be logged
   * as a drop too). */
  test_drain ();
  logged_drops = stress_logged_drops (&logged_drop_lines);
  g_test_message ("the debug log reported %d dropped messages in %d lines (%" G_GUINT64_FORMAT
                  " by the count above)", logged_drops, logged_drop_lines, dropped);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/threads/stress-send-cancel", test_stress_send_cancel);

  return g_test_run ();
}

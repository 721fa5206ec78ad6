/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The inbox that carries work between threads: posts made while nobody iterates the receiving
 * context form one batch (one wakeup, one dispatch delivers them all, in order), and a busy
 * pair messaging across threads hands the main loop back, so other sources of its context
 * still run. Every wait has a deadline; nothing sleeps. */
#include "test-thread-util.h"
#include "test-util.h"

#define DEADLINE_MS 60000

/* A batch */

/* Counts the polls of a context: each is a main loop iteration that may have slept. */
static int polls;

static int
counting_poll (GPollFD *fds,
               guint    nfds,
               int      timeout)
{
  polls++;
  return g_poll (fds, nfds, timeout);
}

typedef struct
{
  guint received;
  guint out_of_order;
} Counter;

/* Takes every "n" message; the values must come as 0, 1, 2, ... */
static gboolean
count_step (GtaskletTasklet  *self,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  Counter *counter = user_data;

  if (event != NULL)
    {
      const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));

      if ((guint) g_value_get_int (value) != counter->received)
        counter->out_of_order++;
      counter->received++;
    }
  gtasklet_tasklet_receive (self, TEST_NAMES ("n"), NULL, NULL);
  return TRUE;
}

typedef struct
{
  GtaskletTasklet *dest;
  guint            n;
  guint            refused;
} Sender;

static gpointer
send_all (gpointer data)
{
  Sender *sender = data;
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  for (guint i = 0; i < sender->n; i++)
    {
      g_value_set_int (&value, (int) i);
      if (!gtasklet_tasklet_send (sender->dest, "n", &value))
        sender->refused++;
    }
  return NULL;
}

/* Sends from another thread into a context that nobody iterates meanwhile: one iteration,
 * which polls once, delivers all of them in the order sent. (Fewer than the jobs a dispatch
 * runs before it hands the main loop back.) */
static void
test_batch_one_iteration (void)
{
  GMainContext *context = g_main_context_new ();
  Counter counter = { 0 };
  Sender sender = { NULL, 500, 0 };
  GtaskletTasklet *receiver = gtasklet_tasklet_new (count_step, &counter, NULL);

  g_main_context_set_poll_func (context, counting_poll);
  g_main_context_push_thread_default (context);
  gtasklet_tasklet_start (receiver);
  while (g_main_context_iteration (context, FALSE))
    ;

  sender.dest = receiver;
  g_thread_join (g_thread_new ("sender", send_all, &sender));
  g_assert_cmpuint (sender.refused, ==, 0);
  g_assert_cmpuint (counter.received, ==, 0);

  polls = 0;
  g_assert_true (g_main_context_iteration (context, FALSE));
  g_assert_cmpint (polls, ==, 1);
  g_assert_cmpuint (counter.received, ==, sender.n);
  g_assert_cmpuint (counter.out_of_order, ==, 0);

  gtasklet_tasklet_cancel (receiver);
  test_wait_finished_anywhere (receiver, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (receiver), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_main_context_pop_thread_default (context);
  g_object_unref (receiver);
  g_main_context_unref (context);
}

/* A post into an idle context wakes it: a thread blocked in its iteration returns. */
typedef struct
{
  GMainContext *context;
  Counter       counter;
  int           done;
} Sleeper;

static gpointer
iterate_until_received (gpointer data)
{
  Sleeper *sleeper = data;

  g_main_context_push_thread_default (sleeper->context);
  while (sleeper->counter.received == 0)
    g_main_context_iteration (sleeper->context, TRUE);
  g_main_context_pop_thread_default (sleeper->context);
  g_atomic_int_set (&sleeper->done, TRUE);
  return NULL;
}

static void
test_post_wakes_sleeper (void)
{
  Sleeper sleeper = { g_main_context_new (), { 0 }, FALSE };
  GtaskletTasklet *receiver = gtasklet_tasklet_new (count_step, &sleeper.counter, NULL);
  Sender sender = { receiver, 1, 0 };
  GThread *thread;

  g_main_context_push_thread_default (sleeper.context);
  gtasklet_tasklet_start (receiver);
  while (g_main_context_iteration (sleeper.context, FALSE))
    ;
  g_main_context_pop_thread_default (sleeper.context);

  /* The thread sleeps in poll() with nothing due; only the post can wake it. */
  thread = g_thread_new ("sleeper", iterate_until_received, &sleeper);
  send_all (&sender);
  test_wait_atomic (&sleeper.done, DEADLINE_MS);
  g_thread_join (thread);
  g_assert_cmpuint (sleeper.counter.received, ==, 1);

  g_main_context_push_thread_default (sleeper.context);
  gtasklet_tasklet_cancel (receiver);
  test_wait_finished_anywhere (receiver, DEADLINE_MS);
  g_assert_error (gtasklet_tasklet_get_error (receiver), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_main_context_pop_thread_default (sleeper.context);
  g_object_unref (receiver);
  g_main_context_unref (sleeper.context);
}

/* Fairness */

/* A pair that messages across threads without pause: "ball" with a count, back and forth,
 * until the main side is told to stop. */
typedef struct
{
  GtaskletTasklet *peer;
  gboolean         stop;      /* main side only */
  guint            volleys;
} Player;

static gboolean
player_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Player *player = user_data;

  if (event != NULL)
    {
      /* Finishing: a step that returns TRUE without waiting. */
      if (g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "end"))
        return TRUE;
      player->volleys++;
      if (player->stop)
        {
          gtasklet_tasklet_send (player->peer, "end", NULL);
          return TRUE;
        }
      gtasklet_tasklet_send (player->peer, "ball", NULL);
    }
  gtasklet_tasklet_receive (self, TEST_NAMES ("ball", "end"), NULL, NULL);
  return TRUE;
}

static gboolean
stop_pair (gpointer data)
{
  Player *main_player = data;

  main_player->stop = TRUE;
  return G_SOURCE_REMOVE;
}

/* A timeout of the main context runs while a tasklet there plays ping-pong with one on a
 * worker: the pair's dispatch does not keep the main loop to itself. If it did, the timeout
 * would never run, the pair never stop, and the wait below fail at its deadline. */
static void
test_pair_does_not_starve_sources (void)
{
  GtaskletPool *pool = gtasklet_pool_new (1);
  Player main_player = { NULL }, worker_player = { NULL };
  GtaskletTasklet *here = gtasklet_tasklet_new (player_step, &main_player, NULL);
  GtaskletTasklet *there = gtasklet_tasklet_new (player_step, &worker_player, NULL);

  main_player.peer = there;
  worker_player.peer = here;
  gtasklet_tasklet_start (here);
  gtasklet_pool_start (pool, there);
  g_assert_true (gtasklet_tasklet_send (there, "ball", NULL));

  /* The main loop iterates (and polls) between batches of at most the jobs a dispatch may
   * run (1,024): each volley is at least one job on this side. */
  g_main_context_set_poll_func (NULL, counting_poll);
  polls = 0;
  while (main_player.volleys < test_scaled (50000))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (polls, >=, main_player.volleys / 1024);
  g_timeout_add (1, stop_pair, &main_player);

  test_wait_finished_anywhere (here, DEADLINE_MS);
  test_wait_finished_anywhere (there, DEADLINE_MS);
  g_assert_true (main_player.stop);
  g_assert_no_error (gtasklet_tasklet_get_error (here));
  g_assert_no_error (gtasklet_tasklet_get_error (there));

  g_main_context_set_poll_func (NULL, g_poll);
  g_object_unref (here);
  g_object_unref (there);
  g_object_unref (pool);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/threads/inbox/batch-one-iteration", test_batch_one_iteration);
  g_test_add_func ("/gtasklet/threads/inbox/post-wakes-sleeper", test_post_wakes_sleeper);
  g_test_add_func ("/gtasklet/threads/inbox/pair-does-not-starve-sources",
                   test_pair_does_not_starve_sources);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Chaos in a supervision tree: a root supervisor over 10 supervisors of 100 leaves each (1,000
 * leaves), half of the middle supervisors and their leaves on a pool worker, the rest on the
 * main thread. An observer monitors every leaf tasklet ever made; random kills cancel leaves
 * (and now and then a whole middle supervisor). Checked: every leaf tasklet that ended gave
 * its observer exactly one DOWN, none for a tasklet still running; the tree always comes back
 * whole; and the number of live tasklets is the same after the run as before it. Sized to run
 * in seconds (GTASKLET_TEST_SCALE scales the kills); bench/ has a larger run. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "test-thread-util.h"
#include "test-util.h"

#define N_MIDDLE     10
#define N_LEAVES     100     /* per middle supervisor */
#define DEADLINE_MS  120000

typedef struct
{
  pthread_mutex_t  lock;                            /* the slots and counters below */
  GtaskletTasklet *leaves[N_MIDDLE][N_LEAVES];      /* the current leaf of each slot */
  GtaskletTasklet *middles[N_MIDDLE];
  guint          leaves_made;
  GtaskletTasklet *observer;
  GtaskletPool  *pool;
  GRand         *rand;
} Tree;

static Tree tree;

static void
tree_lock (void)
{
  pthread_mutex_lock (&tree.lock);
}

static void
tree_unlock (void)
{
  pthread_mutex_unlock (&tree.lock);
}

/* Leaves wait for an hour: only a kill ends them. */
static gboolean
leaf_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  g_autoptr (GtaskletWaitCondition) hour = gtasklet_wait_for_timeout_new (3600 * 1000);

  gtasklet_tasklet_wait (self, hour);
  return TRUE;
}

typedef struct
{
  guint middle;
  guint leaf;
} Slot;

static GtaskletTasklet *
new_leaf (GtaskletSupervisor *supervisor,
          const char         *id,
          gpointer            user_data)
{
  Slot *slot = user_data;
  GtaskletTasklet *leaf = gtasklet_tasklet_new (leaf_step, NULL, NULL);
  g_auto (GValue) value = G_VALUE_INIT;

  tree_lock ();
  g_set_object (&tree.leaves[slot->middle][slot->leaf], leaf);
  tree.leaves_made++;
  tree_unlock ();

  /* The observer monitors it from its own thread. */
  g_value_init (&value, GTASKLET_TYPE_TASKLET);
  g_value_set_object (&value, leaf);
  g_assert_true (gtasklet_tasklet_send (tree.observer, "born", &value));
  return leaf;
}

static GtaskletTasklet *
new_middle (GtaskletSupervisor *supervisor,
            const char         *id,
            gpointer            user_data)
{
  guint m = GPOINTER_TO_UINT (user_data);
  GtaskletSupervisor *middle =
    g_object_new (GTASKLET_TYPE_SUPERVISOR, "intensity", G_MAXUINT, "period-ms", 1, NULL);

  for (guint l = 0; l < N_LEAVES; l++)
    {
      Slot *slot = g_new (Slot, 1);
      g_autofree char *leaf_id = g_strdup_printf ("leaf-%u", l);

      slot->middle = m;
      slot->leaf = l;
      gtasklet_supervisor_add_child (middle, leaf_id, new_leaf, slot, g_free,
                                     GTASKLET_RESTART_PERMANENT);
    }
  tree_lock ();
  g_set_object (&tree.middles[m], GTASKLET_TASKLET (middle));
  tree_unlock ();

  /* Odd ones on the pool's worker: their leaves start there too. */
  if (m % 2 == 1)
    gtasklet_pool_start (tree.pool, GTASKLET_TASKLET (middle));
  return GTASKLET_TASKLET (middle);
}

/* The observer: monitors every leaf it hears of. A leaf stays in `watched` until its DOWN
 * (so memory stays flat over a long run); a DOWN for a leaf not there is a double or a
 * stranger, an error either way. */
typedef struct
{
  GHashTable *watched;  /* GtaskletTasklet *, referenced */
  guint       downs;
  guint       unexpected;
} Observer;

static gboolean
observer_step (GtaskletTasklet  *self,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Observer *o = user_data;

  if (event != NULL)
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      const char *name = gtasklet_message_get_name (message);

      if (g_str_equal (name, "born"))
        {
          GtaskletTasklet *leaf = g_value_get_object (gtasklet_message_get_value (message));

          g_hash_table_add (o->watched, g_object_ref (leaf));
          gtasklet_tasklet_monitor (self, leaf);
        }
      else if (g_str_equal (name, GTASKLET_MESSAGE_DOWN))
        {
          GtaskletTasklet *leaf = gtasklet_message_get_sender (message);

          o->downs++;
          if (!g_hash_table_remove (o->watched, leaf))
            o->unexpected++;
        }
      else if (g_str_equal (name, "stop"))
        return TRUE;
    }
  gtasklet_tasklet_receive (self,
                            (const char *[]) { "born", GTASKLET_MESSAGE_DOWN, "stop", NULL },
                            NULL, NULL);
  return TRUE;
}

/* The resident set, from /proc/self/statm, to show that memory stays flat over a long run
 * (bench/README.md: GTASKLET_TEST_SCALE=50 gives a million kills). */
static gint64
rss_kib (void)
{
  g_autofree char *statm = NULL;
  g_auto (GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return -1;
  fields = g_strsplit (statm, " ", -1);
  return g_ascii_strtoll (fields[1], NULL, 10) * (sysconf (_SC_PAGESIZE) / 1024);
}

static guint
count_live (void)
{
  g_autoptr (GListModel) live = gtasklet_tasklet_list_live ();

  return g_list_model_get_n_items (live);
}

/* The tree is whole: every middle and every leaf is a started, unfinished tasklet. */
static gboolean
tree_is_whole (void)
{
  gboolean whole = TRUE;

  tree_lock ();
  for (guint m = 0; m < N_MIDDLE && whole; m++)
    {
      whole = tree.middles[m] != NULL &&
              gtasklet_tasklet_get_state (tree.middles[m]) != GTASKLET_STATE_FINISHED;
      for (guint l = 0; l < N_LEAVES && whole; l++)
        whole = tree.leaves[m][l] != NULL &&
                gtasklet_tasklet_get_state (tree.leaves[m][l]) == GTASKLET_STATE_SUSPENDED;
    }
  tree_unlock ();
  return whole;
}

static void
wait_whole (void)
{
  gint64 end = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (!tree_is_whole ())
    {
      if (g_get_monotonic_time () > end)
        g_error ("the tree did not come back whole");
      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
}

static void
test_chaos (void)
{
  guint live_before = count_live ();
  Observer o = { g_hash_table_new_full (NULL, NULL, g_object_unref, NULL) };
  g_autoptr (GtaskletTasklet) observer = gtasklet_tasklet_new (observer_step, &o, NULL);
  g_autoptr (GtaskletSupervisor) root =
    g_object_new (GTASKLET_TYPE_SUPERVISOR, "intensity", G_MAXUINT, "period-ms", 1, NULL);
  guint kills = test_scaled (20000);
  guint seed = g_test_rand_int ();

  memset (&tree, 0, sizeof tree);
  pthread_mutex_init (&tree.lock, NULL);
  tree.pool = gtasklet_pool_new (1);
  tree.rand = g_rand_new_with_seed (seed);
  tree.observer = observer;
  g_test_message ("seed %u, %u kills", seed, kills);

  gtasklet_tasklet_start (observer);
  for (guint m = 0; m < N_MIDDLE; m++)
    {
      g_autofree char *id = g_strdup_printf ("middle-%u", m);

      gtasklet_supervisor_add_child (root, id, new_middle, GUINT_TO_POINTER (m), NULL,
                                     GTASKLET_RESTART_PERMANENT);
    }
  gtasklet_tasklet_start (GTASKLET_TASKLET (root));
  wait_whole ();
  g_assert_cmpuint (count_live (), ==, live_before + 1 + 1 + N_MIDDLE + N_MIDDLE * N_LEAVES);

  for (guint k = 0; k < kills; k++)
    {
      g_autoptr (GtaskletTasklet) victim = NULL;
      guint m = g_rand_int_range (tree.rand, 0, N_MIDDLE);

      tree_lock ();
      /* One kill in a hundred takes a whole middle supervisor and its leaves. */
      if (g_rand_int_range (tree.rand, 0, 100) == 0)
        victim = g_object_ref (tree.middles[m]);
      else
        victim = g_object_ref (tree.leaves[m][g_rand_int_range (tree.rand, 0, N_LEAVES)]);
      tree_unlock ();
      gtasklet_tasklet_cancel (victim);

      /* Now and then, let it all settle and check the tree is whole again. */
      if (k % 500 == 499)
        wait_whole ();
      if (k % 100000 == 99999)
        g_test_message ("%u kills: %u leaves made, RSS %" G_GINT64_FORMAT " KiB", k + 1,
                        tree.leaves_made, rss_kib ());
      else
        g_main_context_iteration (NULL, FALSE);
    }
  wait_whole ();
  g_assert_cmpuint (count_live (), ==, live_before + 1 + 1 + N_MIDDLE + N_MIDDLE * N_LEAVES);

  /* Everything stops: then every leaf ever made has given exactly one DOWN. */
  gtasklet_tasklet_cancel (GTASKLET_TASKLET (root));
  test_wait_finished (GTASKLET_TASKLET (root), DEADLINE_MS);
  {
    gint64 end = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

    while (o.downs < tree.leaves_made)
      {
        if (g_get_monotonic_time () > end)
          g_error ("%u DOWNs for %u leaves", o.downs, tree.leaves_made);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  test_drain ();
  g_test_message ("%u leaves made, %u DOWNs", tree.leaves_made, o.downs);
  g_assert_cmpuint (o.downs, ==, tree.leaves_made);
  g_assert_cmpuint (o.unexpected, ==, 0);
  g_assert_cmpuint (g_hash_table_size (o.watched), ==, 0);
  /* Most kills find their leaf running (a few hit one not restarted yet). */
  g_assert_cmpuint (tree.leaves_made, >=, N_MIDDLE * N_LEAVES + kills / 2);

  g_assert_true (gtasklet_tasklet_send (observer, "stop", NULL));
  test_wait_finished (observer, DEADLINE_MS);

  tree_lock ();
  for (guint m = 0; m < N_MIDDLE; m++)
    {
      g_clear_object (&tree.middles[m]);
      for (guint l = 0; l < N_LEAVES; l++)
        g_clear_object (&tree.leaves[m][l]);
    }
  tree_unlock ();
  g_hash_table_unref (o.watched);
  g_clear_object (&tree.pool);
  g_rand_free (tree.rand);
  pthread_mutex_destroy (&tree.lock);

  /* Nothing left behind. */
  g_assert_cmpuint (count_live (), ==, live_before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/supervision/chaos", test_chaos);

  return g_test_run ();
}

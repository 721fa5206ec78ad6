/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The live model of a context (gtasklet_tasklet_list_model_for_context()): one per context
 * while held, filled with the context's live tasklets when made, then changed on the
 * context's thread as tasklets start (here, from other threads, or placed by a pool) and
 * finish. Every wait has a deadline; nothing sleeps. */
#include "test-thread-util.h"
#include "test-util.h"
#include "gtasklet/gtasklet-live-private.h"

#define DEADLINE_MS 60000

/* What the ::items-changed handler saw, read from any thread. */
typedef struct
{
  GThread *expected;
  int      n_items;
  int      n_changes;
  int      wrong_thread;
} Watch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Watch *w = user_data;

  if (g_thread_self () != w->expected)
    g_atomic_int_set (&w->wrong_thread, 1);
  g_atomic_int_set (&w->n_items, (int) g_list_model_get_n_items (model));
  g_atomic_int_inc (&w->n_changes);
}

static void
watch_init (Watch      *w,
            GListModel *model,
            GThread    *expected)
{
  *w = (Watch) { expected, (int) g_list_model_get_n_items (model), 0, 0 };
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), w);
}

/* Iterates this thread's context without blocking (other threads' changes do not wake it)
 * until the handler saw @n items. */
static void
wait_items (Watch *w,
            int    n)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  while (g_atomic_int_get (&w->n_items) != n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %d items (%d)", n, g_atomic_int_get (&w->n_items));
      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
  g_assert_cmpint (g_atomic_int_get (&w->wrong_thread), ==, 0);
}

/* Waits for "quit" and ends; on its first step, records where it runs. */
typedef struct
{
  GMainContext *context;
  GThread      *thread;
  int           started;
} Where;

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Where *where = user_data;

  if (event != NULL)
    return TRUE;
  if (where != NULL && !g_atomic_int_get (&where->started))
    {
      where->context = g_main_context_get_thread_default ();
      where->thread = g_thread_self ();
      g_atomic_int_set (&where->started, 1);
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("quit"), NULL, NULL);
  return TRUE;
}

static GtaskletTasklet *
receiver_new (const char *name,
              Where      *where)
{
  GtaskletTasklet *t = gtasklet_tasklet_new (receiver_step, where, NULL);

  gtasklet_tasklet_set_name (t, name);
  return t;
}

static gboolean
model_contains (GListModel      *model,
                GtaskletTasklet *tasklet)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);

      if (item == G_OBJECT (tasklet))
        return TRUE;
    }
  return FALSE;
}

static void
test_start_finish (void)
{
  g_autoptr (GListModel) model = gtasklet_tasklet_list_model_for_context (NULL);
  g_autoptr (GListModel) same = gtasklet_tasklet_list_model_for_context (g_main_context_default ());
  GtaskletTasklet *t[3];
  Watch w;

  g_assert_true (model == same);
  g_assert_true (g_list_model_get_item_type (model) == GTASKLET_TYPE_TASKLET);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  watch_init (&w, model, g_thread_self ());

  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      t[i] = receiver_new ("r", NULL);
      gtasklet_tasklet_start (t[i]);
    }
  /* Not inside the start: from an idle source of the context. */
  g_assert_cmpint (w.n_changes, ==, 0);
  wait_items (&w, 3);
  g_assert_cmpint (w.n_changes, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    g_assert_true (model_contains (model, t[i]));

  g_assert_true (gtasklet_tasklet_send (t[1], "quit", NULL));
  wait_items (&w, 2);
  g_assert_false (model_contains (model, t[1]));
  g_assert_true (model_contains (model, t[0]));
  g_assert_true (gtasklet_tasklet_send (t[0], "quit", NULL));
  g_assert_true (gtasklet_tasklet_send (t[2], "quit", NULL));
  wait_items (&w, 0);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    g_object_unref (t[i]);
  g_signal_handlers_disconnect_by_data (model, &w);
}

static void
test_snapshot_first (void)
{
  GtaskletTasklet *a = receiver_new ("a", NULL);
  GtaskletTasklet *b = receiver_new ("b", NULL);
  g_autoptr (GListModel) model = NULL;
  Watch w;

  gtasklet_tasklet_start (a);
  gtasklet_tasklet_start (b);
  model = gtasklet_tasklet_list_model_for_context (NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  watch_init (&w, model, g_thread_self ());
  /* The starts are already there: they change nothing. */
  test_drain ();
  g_assert_cmpint (w.n_changes, ==, 0);
  g_assert_true (gtasklet_tasklet_send (a, "quit", NULL));
  g_assert_true (gtasklet_tasklet_send (b, "quit", NULL));
  wait_items (&w, 0);
  g_object_unref (a);
  g_object_unref (b);
  g_signal_handlers_disconnect_by_data (model, &w);
}

#define N_FROM_THREAD 20

static gpointer
start_from_thread (gpointer data)
{
  GtaskletTasklet **t = data;

  for (guint i = 0; i < N_FROM_THREAD; i++)
    gtasklet_tasklet_start (t[i]);
  return NULL;
}

static void
test_started_from_other_thread (void)
{
  g_autoptr (GListModel) model = gtasklet_tasklet_list_model_for_context (NULL);
  GtaskletTasklet *t[N_FROM_THREAD];
  GThread *thread;
  Watch w;

  watch_init (&w, model, g_thread_self ());
  for (guint i = 0; i < N_FROM_THREAD; i++)
    t[i] = receiver_new ("from-thread", NULL);
  thread = g_thread_new ("starter", start_from_thread, t);
  wait_items (&w, N_FROM_THREAD);
  g_thread_join (thread);
  for (guint i = 0; i < N_FROM_THREAD; i++)
    g_assert_true (gtasklet_tasklet_send (t[i], "quit", NULL));
  wait_items (&w, 0);
  for (guint i = 0; i < N_FROM_THREAD; i++)
    g_object_unref (t[i]);
  g_signal_handlers_disconnect_by_data (model, &w);
}

static void
start_on_worker (gpointer data,
                 gpointer user_data)
{
  gtasklet_tasklet_start (data);
}

static void
test_other_context (void)
{
  TestWorker *worker = test_worker_new ("model-worker");
  GMainContext *context = test_worker_get_context (worker);
  g_autoptr (GListModel) model = gtasklet_tasklet_list_model_for_context (context);
  g_autoptr (GListModel) main_model = gtasklet_tasklet_list_model_for_context (NULL);
  GtaskletTasklet *t[3];
  Watch w;

  g_assert_true (model != main_model);
  watch_init (&w, model, test_worker_get_thread (worker));
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      t[i] = receiver_new ("on-worker", NULL);
      test_worker_call (worker, start_on_worker, t[i]);
    }
  wait_items (&w, 3);
  test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (main_model), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    g_assert_true (gtasklet_tasklet_send (t[i], "quit", NULL));
  wait_items (&w, 0);
  g_signal_handlers_disconnect_by_data (model, &w);
  test_worker_free (worker);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    g_object_unref (t[i]);
}

static void
test_pool_worker (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  Where where = { NULL, NULL, 0 };
  GtaskletTasklet *first = receiver_new ("pool-first", &where);
  GtaskletTasklet *more[2];
  g_autoptr (GListModel) model = NULL;
  Watch w;

  gtasklet_pool_start (pool, first);
  test_wait_atomic (&where.started, DEADLINE_MS);
  model = gtasklet_tasklet_list_model_for_context (where.context);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  watch_init (&w, model, where.thread);
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      more[i] = receiver_new ("pool-more", NULL);
      gtasklet_pool_start (pool, more[i]);
    }
  wait_items (&w, 3);
  g_assert_true (gtasklet_tasklet_send (first, "quit", NULL));
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    g_assert_true (gtasklet_tasklet_send (more[i], "quit", NULL));
  wait_items (&w, 0);
  g_signal_handlers_disconnect_by_data (model, &w);
  g_object_unref (first);
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    g_object_unref (more[i]);
}

static void
test_released (void)
{
  GListModel *model = gtasklet_tasklet_list_model_for_context (NULL);
  GtaskletTasklet *t = receiver_new ("r", NULL);
  Watch w;

  g_assert_cmpint (g_atomic_int_get (&_gtasklet_live_n_models), ==, 1);
  g_object_unref (model);
  g_assert_cmpint (g_atomic_int_get (&_gtasklet_live_n_models), ==, 0);
  /* Nobody is told: a start is not queued anywhere. */
  gtasklet_tasklet_start (t);
  test_drain ();
  model = gtasklet_tasklet_list_model_for_context (NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  watch_init (&w, model, g_thread_self ());
  g_assert_true (gtasklet_tasklet_send (t, "quit", NULL));
  wait_items (&w, 0);
  g_signal_handlers_disconnect_by_data (model, &w);
  g_object_unref (model);
  g_object_unref (t);
}

/* Several finishes applied by one drain, in runs and apart, and a tasklet that starts and
 * finishes before the drain, which never shows. */
static void
test_batch (void)
{
  g_autoptr (GListModel) model = gtasklet_tasklet_list_model_for_context (NULL);
  const guint quit[] = { 0, 2, 3, 4, 7, 9 };
  const guint stay[] = { 1, 5, 6, 8 };
  GtaskletTasklet *t[10];
  g_autoptr (GtaskletTasklet) brief = receiver_new ("brief", NULL);
  Watch w;

  watch_init (&w, model, g_thread_self ());
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      t[i] = receiver_new ("batch", NULL);
      gtasklet_tasklet_start (t[i]);
    }
  wait_items (&w, 10);

  w.n_changes = 0;
  for (guint i = 0; i < G_N_ELEMENTS (quit); i++)
    g_assert_true (gtasklet_tasklet_send (t[quit[i]], "quit", NULL));
  gtasklet_tasklet_start (brief);
  g_assert_true (gtasklet_tasklet_send (brief, "quit", NULL));
  test_wait_finished (brief, DEADLINE_MS);
  wait_items (&w, 4);
  test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (stay); i++)
    g_assert_true (model_contains (model, t[stay[i]]));
  g_assert_false (model_contains (model, brief));
  /* A splice per run of neighbours, at most. */
  g_assert_cmpint (w.n_changes, <=, 4);

  for (guint i = 0; i < G_N_ELEMENTS (stay); i++)
    g_assert_true (gtasklet_tasklet_send (t[stay[i]], "quit", NULL));
  wait_items (&w, 0);
  g_signal_handlers_disconnect_by_data (model, &w);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    g_object_unref (t[i]);
}

/* Models made and dropped over and over while another thread starts tasklets into the
 * context (half of them finish at their first step): once things settle, the model held
 * last lists exactly the live ones. */
#define N_RACE 200

typedef struct
{
  GtaskletTasklet *receivers[N_RACE];
  int              done;
} Race;

static gpointer
race_starter (gpointer data)
{
  Race *race = data;

  for (guint i = 0; i < N_RACE; i++)
    {
      g_autoptr (GtaskletTasklet) quick = gtasklet_tasklet_new (test_finish_at_once_step, NULL,
                                                                NULL);

      gtasklet_tasklet_start (race->receivers[i]);
      gtasklet_tasklet_start (quick);
    }
  g_atomic_int_set (&race->done, 1);
  return NULL;
}

static void
test_made_while_racing (void)
{
  Race race = { { NULL }, 0 };
  g_autoptr (GListModel) model = NULL;
  g_autoptr (GListModel) live = NULL;
  GThread *thread;
  Watch w;

  for (guint i = 0; i < N_RACE; i++)
    race.receivers[i] = receiver_new ("racer", NULL);
  thread = g_thread_new ("race-starter", race_starter, &race);
  while (!g_atomic_int_get (&race.done))
    {
      GListModel *round = gtasklet_tasklet_list_model_for_context (NULL);

      g_main_context_iteration (NULL, FALSE);
      g_object_unref (round);
    }
  g_thread_join (thread);

  model = gtasklet_tasklet_list_model_for_context (NULL);
  watch_init (&w, model, g_thread_self ());
  test_drain ();
  live = gtasklet_tasklet_list_live ();
  g_assert_cmpuint (g_list_model_get_n_items (live), ==, N_RACE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_RACE);
  for (guint i = 0; i < N_RACE; i++)
    g_assert_true (model_contains (model, race.receivers[i]));

  for (guint i = 0; i < N_RACE; i++)
    g_assert_true (gtasklet_tasklet_send (race.receivers[i], "quit", NULL));
  wait_items (&w, 0);
  g_signal_handlers_disconnect_by_data (model, &w);
  for (guint i = 0; i < N_RACE; i++)
    g_object_unref (race.receivers[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/live-model/start-finish", test_start_finish);
  g_test_add_func ("/gtasklet/live-model/snapshot-first", test_snapshot_first);
  g_test_add_func ("/gtasklet/live-model/started-from-other-thread",
                   test_started_from_other_thread);
  g_test_add_func ("/gtasklet/live-model/other-context", test_other_context);
  g_test_add_func ("/gtasklet/live-model/pool-worker", test_pool_worker);
  g_test_add_func ("/gtasklet/live-model/released", test_released);
  g_test_add_func ("/gtasklet/live-model/batch", test_batch);
  g_test_add_func ("/gtasklet/live-model/made-while-racing", test_made_while_racing);

  return g_test_run ();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "gtasklet-recycle-private.h"
#include "gtasklet-thread-private.h"
#include "test-util.h"

/* gtasklet reuses finished closure tasklets, joins and message objects that nobody else knows
 * (see gtasklet-recycle-private.h). These tests check that reuse never shows: a reused object
 * is as clean as a new one, and anything someone else attached (a weak reference, a signal
 * handler, data) keeps the object out of reuse, so it behaves as with plain GObjects. */

static gboolean
return_int_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, GPOINTER_TO_INT (user_data));
  gtasklet_tasklet_return_value (tasklet, &value);
  return TRUE;
}

static void
check_fresh (GtaskletTasklet *t)
{
  GCancellable *cancellable = NULL;
  char *name = NULL;

  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_NEW);
  g_assert_null (gtasklet_tasklet_get_result (t));
  g_assert_null (gtasklet_tasklet_get_error (t));
  g_assert_null (gtasklet_tasklet_get_name (t));
  g_assert_null (gtasklet_tasklet_get_context (t));
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (t), ==, 0);
  g_object_get (t, "cancellable", &cancellable, "name", &name, NULL);
  g_assert_null (cancellable);
  g_assert_null (name);
  g_assert_cmpuint (G_OBJECT (t)->ref_count, ==, 1);
}

static gboolean
idle_then_finish_step (GtaskletTasklet  *tasklet,
                       GObject          *event,
                       gpointer          user_data,
                       GError          **error)
{
  if (event == NULL)
    {
      g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();

      gtasklet_tasklet_wait (tasklet, idle);
      return TRUE;
    }
  return return_int_step (tasklet, event, user_data, error);
}

static gboolean
pools_enabled (void)
{
  const char *debug = g_getenv ("GTASKLET_DEBUG");

  return debug == NULL || strstr (debug, "no-pools") == NULL;
}

/* A tasklet whose owner let go before it finished: gtasklet drops the last reference, and
 * the next new tasklet on this thread is that object again, clean. */
static void
test_fire_and_forget_reused (void)
{
  guint destroyed = 0;

  for (guint i = 0; i < 4; i++)
    {
      GtaskletTasklet *t = gtasklet_tasklet_new (idle_then_finish_step, &destroyed,
                                                 test_count);
      GtaskletTasklet *again;

      gtasklet_tasklet_set_name (t, "used");
      gtasklet_tasklet_get_cancellable (t);
      gtasklet_tasklet_send (t, "left-over", NULL);
      gtasklet_tasklet_start (t);
      g_object_unref (t);
      g_assert_cmpuint (destroyed, ==, i);
      test_drain ();
      g_assert_cmpuint (destroyed, ==, i + 1);

      again = gtasklet_tasklet_new (return_int_step, NULL, NULL);
      if (pools_enabled ())
        g_assert_true (again == t);
      check_fresh (again);
      g_object_unref (again);
    }
}

/* Used tasklets, with everything a tasklet can carry, let go one after the other: the next
 * ones are clean whatever the last one held, and every closure destroy runs once. */
static void
test_reused_tasklet_is_clean (void)
{
  guint destroyed = 0;

  for (guint i = 0; i < 8; i++)
    {
      GtaskletTasklet *t = gtasklet_tasklet_new (i % 2 ? return_int_step : test_fail_at_once_step,
                                                 GINT_TO_POINTER (i), NULL);

      check_fresh (t);
      g_object_unref (t);

      t = gtasklet_tasklet_new_full (NULL, return_int_step, GINT_TO_POINTER (i), NULL);
      check_fresh (t);
      gtasklet_tasklet_set_name (t, "used");
      gtasklet_tasklet_get_cancellable (t);
      gtasklet_tasklet_send (t, "left-over", NULL);
      gtasklet_tasklet_start (t);
      g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (t)), ==, (int) i);
      g_object_unref (t);

      t = gtasklet_tasklet_new (i % 2 ? return_int_step : test_fail_at_once_step, &destroyed,
                                test_count);
      gtasklet_tasklet_start (t);
      if (gtasklet_tasklet_get_error (t) != NULL)
        g_assert_error (gtasklet_tasklet_get_error (t), G_IO_ERROR, G_IO_ERROR_FAILED);
      g_object_unref (t);
      g_assert_cmpuint (destroyed, ==, i + 1);
    }
}

/* A weak reference is qdata: such a tasklet dies as any GObject does, and is told. */
static void
test_weak_ref_keeps_out_of_reuse (void)
{
  gboolean gone = FALSE;
  GtaskletTasklet *t = gtasklet_tasklet_new (return_int_step, NULL, NULL);
  GWeakRef ref;

  g_object_weak_ref (G_OBJECT (t), test_weak_notify_flag, &gone);
  gtasklet_tasklet_start (t);
  g_object_unref (t);
  g_assert_true (gone);

  t = gtasklet_tasklet_new (return_int_step, NULL, NULL);
  g_weak_ref_init (&ref, t);
  gtasklet_tasklet_start (t);
  g_object_unref (t);
  g_assert_null (g_weak_ref_get (&ref));
  g_weak_ref_clear (&ref);
}

/* A handler left on a tasklet that was dropped must never fire for another tasklet. */
static void
test_handler_keeps_out_of_reuse (void)
{
  guint finished = 0, renamed = 0, blocked_finished = 0;
  GtaskletTasklet *t;
  gulong id;

  /* Each is let go before it finishes, so gtasklet holds the last reference. */
  t = gtasklet_tasklet_new (idle_then_finish_step, NULL, NULL);
  g_signal_connect (t, "finished", G_CALLBACK (test_count_signal), &finished);
  gtasklet_tasklet_start (t);
  g_object_unref (t);
  test_drain ();
  g_assert_cmpuint (finished, ==, 1);

  t = gtasklet_tasklet_new (idle_then_finish_step, NULL, NULL);
  g_signal_connect (t, "notify::name", G_CALLBACK (test_count_notify), &renamed);
  gtasklet_tasklet_start (t);
  g_object_unref (t);
  test_drain ();

  t = gtasklet_tasklet_new (idle_then_finish_step, NULL, NULL);
  id = g_signal_connect (t, "finished", G_CALLBACK (test_count_signal), &blocked_finished);
  g_signal_handler_block (t, id);
  gtasklet_tasklet_start (t);
  g_object_unref (t);
  test_drain ();

  for (guint i = 0; i < 4; i++)
    {
      t = gtasklet_tasklet_new (idle_then_finish_step, NULL, NULL);
      gtasklet_tasklet_set_name (t, "another");
      gtasklet_tasklet_start (t);
      g_object_unref (t);
      test_drain ();
    }
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpuint (renamed, ==, 0);
  g_assert_cmpuint (blocked_finished, ==, 0);
}

/* Joins: a parent joins children one after the other, so its joins are reused; each one must
 * report its own child only. */
typedef struct
{
  guint             n;
  guint             joined;
  GtaskletTasklet  *child;
  guint             fired_on_first;
  GtaskletWaitCondition *first;
  gboolean          ok;
} Parent;

static gboolean
parent_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Parent *p = user_data;
  g_autoptr (GtaskletWaitCondition) join = NULL;

  if (event != NULL)
    {
      GtaskletWaitForTasklet *w = GTASKLET_WAIT_FOR_TASKLET (event);

      if (gtasklet_wait_for_tasklet_get_tasklet (w) != p->child ||
          g_value_get_int (gtasklet_wait_for_tasklet_get_result (w)) != (int) p->joined)
        p->ok = FALSE;
      g_clear_object (&p->child);
      p->joined++;
    }
  if (p->joined == p->n)
    return TRUE;

  p->child = gtasklet_tasklet_new (return_int_step, GINT_TO_POINTER (p->joined), NULL);
  gtasklet_tasklet_start (p->child);
  join = gtasklet_wait_for_tasklet_new (p->child);
  if (p->joined == 0)
    {
      /* A handler on the first join keeps it out of reuse: it must not hear later joins. */
      p->first = join;
      g_signal_connect (join, "fired", G_CALLBACK (test_count_signal), &p->fired_on_first);
    }
  gtasklet_tasklet_wait (tasklet, join);
  return TRUE;
}

static void
test_reused_joins (void)
{
  Parent p = { .n = 50, .ok = TRUE };
  g_autoptr (GtaskletTasklet) parent = gtasklet_tasklet_new (parent_step, &p, NULL);

  gtasklet_tasklet_start (parent);
  test_wait_finished (parent, 5000);
  g_assert_true (p.ok);
  g_assert_cmpuint (p.joined, ==, p.n);
  g_assert_cmpuint (p.fired_on_first, ==, 1);
}

/* Message objects: one kept by a step is not reused under it; one with a handler is not
 * reused either. */
typedef struct
{
  GPtrArray *kept;
  guint      received;
  guint      notified;
} Keeper;

static gboolean
keeper_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  static const char * const accept[] = { "m", NULL };
  Keeper *k = user_data;

  if (event != NULL)
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);

      k->received++;
      if (k->received % 3 == 0)
        g_ptr_array_add (k->kept, g_object_ref (m));
      else if (k->received % 3 == 1)
        g_signal_connect (m, "notify", G_CALLBACK (test_count_notify), &k->notified);
      if (k->received == 30)
        return TRUE;
    }
  gtasklet_tasklet_receive (tasklet, accept, NULL, NULL);
  return TRUE;
}

static void
test_messages_kept_or_watched (void)
{
  Keeper k = { g_ptr_array_new_with_free_func (g_object_unref) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (keeper_step, &k, NULL);

  gtasklet_tasklet_start (t);
  for (int i = 0; i < 30; i++)
    {
      test_send_int (t, "m", i);
      test_drain ();
    }
  test_wait_finished (t, 5000);
  g_assert_cmpuint (k.received, ==, 30);
  /* Each kept message still holds its own payload. */
  for (guint i = 0; i < k.kept->len; i++)
    {
      GtaskletMessage *m = g_ptr_array_index (k.kept, i);

      g_assert_cmpstr (gtasklet_message_get_name (m), ==, "m");
      g_assert_cmpint (g_value_get_int (gtasklet_message_get_value (m)), ==, (int) (3 * i + 2));
      g_assert_true (gtasklet_message_get_dest (m) == t);
    }
  g_assert_cmpuint (k.notified, ==, 0);
  g_ptr_array_unref (k.kept);
}

/* GTASKLET_DEBUG=no-pools turns the pools off: a finished closure tasklet is then finalized
 * when let go, not kept. Read from the per-thread pool itself (nothing public can tell a
 * pooled object from a freed one), in a child process per setting, since the variable is
 * read once. */
static void
pools_child (void)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  guint before = thread->tasklet_pool_length;
  guint destroyed = 0;
  GtaskletTasklet *t = gtasklet_tasklet_new (idle_then_finish_step, &destroyed, test_count);

  /* Let go before it finishes: gtasklet drops the last reference. */
  gtasklet_tasklet_start (t);
  g_object_unref (t);
  test_drain ();
  g_assert_cmpuint (destroyed, ==, 1);
  g_assert_cmpuint (thread->tasklet_pool_length, ==, pools_enabled () ? before + 1 : 0);
  g_assert_true (_gtasklet_recycle_enabled () == pools_enabled ());
}

static void
run_pools_child (const char *debug)
{
  if (debug != NULL)
    g_setenv ("GTASKLET_DEBUG", debug, TRUE);
  else
    g_unsetenv ("GTASKLET_DEBUG");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("GTASKLET_DEBUG");
  g_test_trap_assert_passed ();
}

static void
test_debug_no_pools (void)
{
  if (g_test_subprocess ())
    {
      pools_child ();
      return;
    }
  run_pools_child (NULL);
  run_pools_child ("no-pools");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/recycle/fire-and-forget-reused", test_fire_and_forget_reused);
  g_test_add_func ("/gtasklet/recycle/reused-tasklet-is-clean", test_reused_tasklet_is_clean);
  g_test_add_func ("/gtasklet/recycle/weak-ref-keeps-out-of-reuse",
                   test_weak_ref_keeps_out_of_reuse);
  g_test_add_func ("/gtasklet/recycle/handler-keeps-out-of-reuse",
                   test_handler_keeps_out_of_reuse);
  g_test_add_func ("/gtasklet/recycle/reused-joins", test_reused_joins);
  g_test_add_func ("/gtasklet/recycle/messages-kept-or-watched", test_messages_kept_or_watched);
  g_test_add_func ("/gtasklet/recycle/debug-no-pools", test_debug_no_pools);

  return g_test_run ();
}

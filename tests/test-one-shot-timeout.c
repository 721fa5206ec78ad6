/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One-shot timeouts: kept beside a receive, a one-shot timeout is a deadline per wait (it
 * counts again from every wait), where the default periodic one keeps its schedule and
 * becomes one deadline for all the items. The margins are wide (items every 40 ms against a
 * 250 ms deadline) so that a slow machine or valgrind changes nothing. */
#include "test-util.h"

#define DEADLINE_MS 20000
#define ITEM_GAP_MS 40
#define N_ITEMS 12              /* 480 ms of items: about twice the deadline */
#define TIMEOUT_MS 250

typedef struct
{
  GtaskletWaitCondition *idle;
  guint                  items;
  guint                  items_when_timed_out;
  gboolean               timed_out;
} Consumer;

/* Takes "item"s until the timeout wakes it, then finishes. */
static gboolean
consumer_step (GtaskletTasklet  *self,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Consumer *c = user_data;

  if (event == G_OBJECT (c->idle))
    {
      c->timed_out = TRUE;
      c->items_when_timed_out = c->items;
      return TRUE;
    }
  if (event != NULL)
    c->items++;
  gtasklet_tasklet_receive (self, TEST_NAMES ("item"), NULL, NULL);
  gtasklet_tasklet_wait (self, c->idle);
  return TRUE;
}

typedef struct
{
  GtaskletTasklet *dest;
  guint            left;
} Feeder;

static gboolean
feed_one (gpointer data)
{
  Feeder *f = data;

  gtasklet_tasklet_send_int (f->dest, "item", (int) f->left);
  return --f->left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
run_consumer (Consumer *c)
{
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (consumer_step, c, NULL);
  Feeder feeder = { t, N_ITEMS };
  guint feeding;

  gtasklet_tasklet_start (t);
  feeding = g_timeout_add (ITEM_GAP_MS, feed_one, &feeder);
  test_wait_finished (t, DEADLINE_MS);
  if (feeder.left > 0)
    g_source_remove (feeding);
  g_assert_no_error (gtasklet_tasklet_get_error (t));
  g_assert_true (c->timed_out);
}

/* Each item comes well within the deadline of the previous one: the one-shot timeout fires
 * only after the last item. */
static void
test_deadline_per_item (void)
{
  Consumer c = { gtasklet_wait_for_timeout_new_one_shot (TIMEOUT_MS) };

  g_assert_true (gtasklet_wait_for_timeout_get_one_shot (GTASKLET_WAIT_FOR_TIMEOUT (c.idle)));
  run_consumer (&c);
  g_assert_cmpuint (c.items_when_timed_out, ==, N_ITEMS);
  g_object_unref (c.idle);
}

/* The default keeps its schedule while it stays in the wait sets: it fires about 250 ms after
 * the first wait, items still coming. */
static void
test_periodic_is_one_deadline (void)
{
  Consumer c = { gtasklet_wait_for_timeout_new (TIMEOUT_MS) };

  g_assert_false (gtasklet_wait_for_timeout_get_one_shot (GTASKLET_WAIT_FOR_TIMEOUT (c.idle)));
  run_consumer (&c);
  g_assert_cmpuint (c.items_when_timed_out, <, N_ITEMS);
  g_object_unref (c.idle);
}

/* The property makes a periodic timeout one-shot (and notifies); it applies from the next
 * wait. */
static void
test_property (void)
{
  Consumer c = { gtasklet_wait_for_timeout_new (TIMEOUT_MS) };
  guint notified = 0;
  gboolean one_shot = FALSE;

  g_signal_connect_swapped (c.idle, "notify::one-shot", G_CALLBACK (count_notify),
                            &notified);
  g_object_set (c.idle, "one-shot", TRUE, NULL);
  g_object_set (c.idle, "one-shot", TRUE, NULL);
  g_object_get (c.idle, "one-shot", &one_shot, NULL);
  g_assert_true (one_shot);
  g_assert_cmpuint (notified, ==, 1);

  run_consumer (&c);
  g_assert_cmpuint (c.items_when_timed_out, ==, N_ITEMS);
  g_object_unref (c.idle);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-timeout/one-shot/deadline-per-item",
                   test_deadline_per_item);
  g_test_add_func ("/gtasklet/wait-for-timeout/one-shot/periodic-is-one-deadline",
                   test_periodic_is_one_deadline);
  g_test_add_func ("/gtasklet/wait-for-timeout/one-shot/property", test_property);

  return g_test_run ();
}

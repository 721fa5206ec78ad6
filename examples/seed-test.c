/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The main demo: the `_test()` of the Python gtasklet module, in C.
 *
 *   class _CountSomeNumbers2(Tasklet):
 *       def run(self):
 *           for i in range(self.count):
 *               print(">> _count_some_numbers2", i)
 *               yield (WaitForTimeout(random.randint(70, self.timeout)),
 *                      WaitForMessages(accept='quit'))
 *               event = get_event()
 *               if isinstance(event, Message) and event.name == 'quit':
 *                   return
 *           return self.count*2
 *
 *   def _count_some_numbers1(count):
 *       timeout = WaitForTimeout(1000)
 *       for i in range(count):
 *           print("_count_some_numbers1", i)
 *           task2 = _CountSomeNumbers2(10, 130)
 *           yield timeout, task2
 *           event = get_event()
 *           if event is timeout:
 *               print(">>> Got tired of waiting for task!! Canceling!")
 *               yield Message('quit', dest=task2)
 *           elif isinstance(event, WaitForTasklet):
 *               print(">>> task returned %r, good task!" % event.retval)
 *               timeout.restart()
 *
 * CountSomeNumbers2 is a GtaskletTasklet subclass overriding the run vfunc; the parent is a
 * closure tasklet. Each round the parent races its own timeout (kept across rounds, so it is
 * periodic unless restarted) against a child counting with random delays of 70 to 130 ms: ten
 * such delays take about one second, so some children finish in time and some are told to
 * quit. Unlike the seed, whose main loop never ends, the program exits once the parent and all
 * its children have finished.
 *
 *   seed-test [--rounds N] [--interval-ms MS] [--child-count N] [--child-max-ms MS]
 *             [--seed N] [--expect-results N] [--expect-cancelled N]
 */

#include <stdlib.h>

#include <gtasklet/gtasklet.h>

/* CountSomeNumbers2 */

#define COUNT_TYPE_SOME_NUMBERS2 (count_some_numbers2_get_type ())
G_DECLARE_FINAL_TYPE (CountSomeNumbers2, count_some_numbers2, COUNT, SOME_NUMBERS2, GtaskletTasklet)

struct _CountSomeNumbers2
{
  GtaskletTasklet        parent_instance;

  int                    pc;
  int                    i;
  int                    count;
  int                    timeout;
  GtaskletWaitCondition *quit_wait;
};

G_DEFINE_FINAL_TYPE (CountSomeNumbers2, count_some_numbers2, GTASKLET_TYPE_TASKLET)

static void
wait_random_timeout (CountSomeNumbers2 *self)
{
  g_autoptr (GtaskletWaitCondition) timeout = NULL;

  /* A fresh condition each step; the tasklet holds it while it is in the wait set. */
  timeout = gtasklet_wait_for_timeout_new ((guint) g_random_int_range (70, self->timeout));
  gtasklet_tasklet_wait (GTASKLET_TASKLET (self), timeout);
}

static void
return_int (GtaskletTasklet *tasklet,
            int              number)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, number);
  gtasklet_tasklet_return_value (tasklet, &value);
}

static gboolean
count_some_numbers2_run (GtaskletTasklet  *tasklet,
                         GObject          *event,
                         GError          **error)
{
  CountSomeNumbers2 *self = COUNT_SOME_NUMBERS2 (tasklet);

  GTASKLET_BEGIN (&self->pc);
  for (self->i = 0; self->i < self->count; self->i++)
    {
      g_print (">> _count_some_numbers2 %d\n", self->i);
      wait_random_timeout (self);
      gtasklet_tasklet_wait (tasklet, self->quit_wait);
      GTASKLET_SUSPEND (&self->pc);

      if (GTASKLET_IS_MESSAGE (event) &&
          g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), "quit"))
        {
          /* This would be the place to do some cleanup. */
          GTASKLET_RETURN (&self->pc);
        }
    }
  return_int (tasklet, self->count * 2);
  GTASKLET_END (&self->pc);
}

static void
count_some_numbers2_dispose (GObject *object)
{
  CountSomeNumbers2 *self = COUNT_SOME_NUMBERS2 (object);

  g_clear_object (&self->quit_wait);

  G_OBJECT_CLASS (count_some_numbers2_parent_class)->dispose (object);
}

static void
count_some_numbers2_class_init (CountSomeNumbers2Class *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletTaskletClass *tasklet_class = GTASKLET_TASKLET_CLASS (klass);

  object_class->dispose = count_some_numbers2_dispose;
  tasklet_class->run = count_some_numbers2_run;
}

static void
count_some_numbers2_init (CountSomeNumbers2 *self)
{
  const char * const accept[] = { "quit", NULL };

  self->quit_wait = gtasklet_wait_for_messages_new (accept, NULL, NULL);
}

static GtaskletTasklet *
count_some_numbers2_new (int count,
                         int timeout)
{
  CountSomeNumbers2 *self = g_object_new (COUNT_TYPE_SOME_NUMBERS2, NULL);

  self->count = count;
  self->timeout = timeout;
  return GTASKLET_TASKLET (self);
}

/* The parent: _count_some_numbers1 */

typedef struct
{
  GMainLoop *loop;
  int        n_running;
  int        n_failed;
} App;

typedef struct
{
  App                   *app;
  int                    pc;
  int                    i;
  int                    rounds;
  int                    child_count;
  int                    child_max_ms;
  int                    n_results;
  int                    n_cancelled;
  GtaskletWaitCondition *timeout;
  GtaskletTasklet       *child;
  GtaskletWaitCondition *child_wait;
} Parent;

static void
on_finished (GtaskletTasklet *tasklet,
             App             *app)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);

  if (error != NULL)
    {
      g_printerr ("seed-test: %s %p failed: %s\n", G_OBJECT_TYPE_NAME (tasklet), tasklet,
                  error->message);
      app->n_failed++;
    }
  if (--app->n_running == 0)
    g_main_loop_quit (app->loop);
}

/* Starts @tasklet and counts it as running until its ::finished. */
static void
app_start (App             *app,
           GtaskletTasklet *tasklet)
{
  app->n_running++;
  g_signal_connect (tasklet, "finished", G_CALLBACK (on_finished), app);
  gtasklet_tasklet_start (tasklet);
}

static void
parent_free (gpointer data)
{
  Parent *p = data;

  g_clear_object (&p->timeout);
  g_clear_object (&p->child);
  g_clear_object (&p->child_wait);
  g_free (p);
}

static void
parent_start_child (Parent *p)
{
  g_clear_object (&p->child_wait);
  g_clear_object (&p->child);

  /* The child's first step runs here, inside the parent's step. A started tasklet keeps
   * itself alive, so the reference kept in @p is only for reading its state later. */
  p->child = count_some_numbers2_new (p->child_count, p->child_max_ms);
  app_start (p->app, p->child);
  p->child_wait = gtasklet_wait_for_tasklet_new (p->child);
}

static void
print_child_result (GtaskletWaitForTasklet *wait)
{
  const GValue *result = gtasklet_wait_for_tasklet_get_result (wait);
  g_autofree char *text = result != NULL ? g_strdup_value_contents (result) : g_strdup ("None");

  g_print (">>> task returned %s, good task!\n", text);
}

static gboolean
count_some_numbers1 (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     gpointer          user_data,
                     GError          **error)
{
  Parent *p = user_data;

  GTASKLET_BEGIN (&p->pc);
  for (p->i = 0; p->i < p->rounds; p->i++)
    {
      g_print ("_count_some_numbers1 %d\n", p->i);
      parent_start_child (p);

      gtasklet_tasklet_wait (tasklet, p->timeout);
      gtasklet_tasklet_wait (tasklet, p->child_wait);
      GTASKLET_SUSPEND (&p->pc);

      if (event == G_OBJECT (p->timeout))
        {
          g_print (">>> Got tired of waiting for task!! Canceling!\n");
          /* Only queued: the child handles it from the main loop after this step. */
          gtasklet_tasklet_send (p->child, "quit", NULL);
          p->n_cancelled++;
        }
      else if (event == G_OBJECT (p->child_wait))
        {
          print_child_result (GTASKLET_WAIT_FOR_TASKLET (event));
          p->n_results++;
          /* Restart from scratch, or the timeout keeps its schedule and the next child
           * gets too little time. */
          gtasklet_wait_for_timeout_restart (GTASKLET_WAIT_FOR_TIMEOUT (p->timeout));
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "strange event %s",
                       event != NULL ? G_OBJECT_TYPE_NAME (event) : "(null)");
          return FALSE;
        }
    }
  GTASKLET_END (&p->pc);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtaskletTasklet) parent = NULL;
  App app = { NULL, 0, 0 };
  Parent *p;
  int rounds = 100;
  int interval_ms = 1000;
  int child_count = 10;
  int child_max_ms = 130;
  int seed = -1;
  int expect_results = -1;
  int expect_cancelled = -1;
  int n_results;
  int n_cancelled;
  gboolean ok = TRUE;
  const GOptionEntry entries[] = {
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Children to start, one per round (100)", "N" },
    { "interval-ms", 'i', 0, G_OPTION_ARG_INT, &interval_ms, "How long the parent waits for a child (1000)", "MS" },
    { "child-count", 'c', 0, G_OPTION_ARG_INT, &child_count, "Numbers each child counts (10)", "N" },
    { "child-max-ms", 'm', 0, G_OPTION_ARG_INT, &child_max_ms, "Upper bound of a child's random delay, above 70 (130)", "MS" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "Seed of the random delays (random)", "N" },
    { "expect-results", 0, 0, G_OPTION_ARG_INT, &expect_results, "Fail unless exactly N children returned", "N" },
    { "expect-cancelled", 0, 0, G_OPTION_ARG_INT, &expect_cancelled, "Fail unless exactly N children were cancelled", "N" },
    { NULL }
  };

  context = g_option_context_new ("- a parent tasklet races a timeout against child tasklets");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (rounds < 0 || interval_ms < 0 || child_count < 0 || child_max_ms <= 70)
    {
      g_printerr ("counts and intervals must not be negative, and --child-max-ms must be above 70\n");
      return EXIT_FAILURE;
    }
  if (seed >= 0)
    g_random_set_seed ((guint32) seed);

  app.loop = g_main_loop_new (NULL, FALSE);

  p = g_new0 (Parent, 1);
  p->app = &app;
  p->rounds = rounds;
  p->child_count = child_count;
  p->child_max_ms = child_max_ms;
  p->timeout = gtasklet_wait_for_timeout_new ((guint) interval_ms);

  parent = gtasklet_tasklet_new (count_some_numbers1, p, parent_free);
  app_start (&app, parent);
  if (app.n_running > 0)
    g_main_loop_run (app.loop);
  g_main_loop_unref (app.loop);

  n_results = p->n_results;
  n_cancelled = p->n_cancelled;
  g_print ("seed-test: %d rounds, %d results, %d cancelled\n",
           n_results + n_cancelled, n_results, n_cancelled);

  if (app.n_failed > 0 || gtasklet_tasklet_get_state (parent) != GTASKLET_STATE_FINISHED)
    ok = FALSE;
  if (n_results + n_cancelled != rounds)
    {
      g_printerr ("seed-test: %d rounds done, expected %d\n", n_results + n_cancelled, rounds);
      ok = FALSE;
    }
  if (expect_results >= 0 && n_results != expect_results)
    {
      g_printerr ("seed-test: %d results, expected %d\n", n_results, expect_results);
      ok = FALSE;
    }
  if (expect_cancelled >= 0 && n_cancelled != expect_cancelled)
    {
      g_printerr ("seed-test: %d cancelled, expected %d\n", n_cancelled, expect_cancelled);
      ok = FALSE;
    }

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

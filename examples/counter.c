/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Background timeout task: the first example of the Python gtasklet module.
 *
 *   def simple_counter(numbers):
 *       timeout = gtasklet.WaitForTimeout(1000)
 *       for x in range(numbers):
 *           print(x)
 *           yield timeout
 *           gtasklet.get_event()
 *       mainloop.quit()
 *
 * Here the generator is a closure tasklet written with the linear macros: everything that
 * lives across a wait (the resume point, the loop index, the timeout) is in the closure data.
 *
 *   counter [--interval-ms MS] [--count N]
 */

#include <stdlib.h>

#include <gtasklet/gtasklet.h>

typedef struct
{
  int                    pc;
  int                    i;
  int                    count;
  GtaskletWaitCondition *timeout;
  GMainLoop             *loop;
} Counter;

static void
counter_free (gpointer data)
{
  Counter *c = data;

  g_clear_object (&c->timeout);
  g_clear_pointer (&c->loop, g_main_loop_unref);
  g_free (c);
}

static gboolean
simple_counter (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  Counter *c = user_data;

  GTASKLET_BEGIN (&c->pc);
  for (c->i = 0; c->i < c->count; c->i++)
    {
      g_print ("%d\n", c->i);
      /* The same timeout in consecutive wait sets stays armed: one tick per interval. */
      GTASKLET_WAIT (tasklet, &c->pc, c->timeout);
    }
  g_main_loop_quit (c->loop);
  GTASKLET_END (&c->pc);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GtaskletTasklet) tasklet = NULL;
  Counter *c;
  int interval_ms = 1000;
  int count = 10;
  const GOptionEntry entries[] = {
    { "interval-ms", 'i', 0, G_OPTION_ARG_INT, &interval_ms, "Milliseconds between numbers (1000)", "MS" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "How many numbers to print (10)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- print numbers from a tasklet, one per timeout");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (interval_ms < 0 || count < 0)
    {
      g_printerr ("--interval-ms and --count must not be negative\n");
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);

  c = g_new0 (Counter, 1);
  c->count = count;
  c->timeout = gtasklet_wait_for_timeout_new ((guint) interval_ms);
  c->loop = g_main_loop_ref (loop);

  tasklet = gtasklet_tasklet_new (simple_counter, c, counter_free);
  gtasklet_tasklet_start (tasklet);
  /* With --count 0 the tasklet has already finished (and quit a loop not yet running). */
  if (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    g_main_loop_run (loop);

  if (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED ||
      gtasklet_tasklet_get_error (tasklet) != NULL)
    {
      g_printerr ("counter: the tasklet did not finish cleanly\n");
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Message passing: the second example of the Python gtasklet module.
 *
 *   def printer():
 *       msgwait = gtasklet.WaitForMessages(accept=("quit", "print"))
 *       while True:
 *           yield msgwait
 *           msg = gtasklet.get_event()
 *           if msg.name == "quit":
 *               return
 *           print(">>> ", msg.value)
 *
 *   def simple_counter(numbers, task):
 *       timeout = gtasklet.WaitForTimeout(1000)
 *       for x in range(numbers):
 *           yield gtasklet.Message('print', dest=task, value=x)
 *           yield timeout
 *           gtasklet.get_event()
 *       yield gtasklet.Message('quit', dest=task)
 *
 * Sending needs no yield here: gtasklet_tasklet_send() only queues the message, and the
 * printer's step runs from the main loop once the counter's step has returned. The main loop
 * quits when both tasklets have finished.
 *
 *   printer [--interval-ms MS] [--count N]
 */

#include <stdlib.h>

#include <gtasklet/gtasklet.h>

typedef struct
{
  int                    pc;
  int                    n_printed;
  GtaskletWaitCondition *msgwait;
} Printer;

typedef struct
{
  int                    pc;
  int                    i;
  int                    count;
  GtaskletWaitCondition *timeout;
  GtaskletTasklet       *printer;
} Counter;

typedef struct
{
  GMainLoop *loop;
  int        n_running;
} App;

static void
printer_free (gpointer data)
{
  Printer *p = data;

  g_clear_object (&p->msgwait);
  g_free (p);
}

static gboolean
printer_run (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Printer *p = user_data;
  GtaskletMessage *msg;
  const char *name;

  GTASKLET_BEGIN (&p->pc);
  for (;;)
    {
      GTASKLET_WAIT (tasklet, &p->pc, p->msgwait);

      msg = GTASKLET_MESSAGE (event);
      name = gtasklet_message_get_name (msg);
      if (g_str_equal (name, "quit"))
        GTASKLET_RETURN (&p->pc);

      g_assert (g_str_equal (name, "print"));
      g_print (">>>  %d\n", g_value_get_int (gtasklet_message_get_value (msg)));
      p->n_printed++;
    }
  GTASKLET_END (&p->pc);
}

static void
counter_free (gpointer data)
{
  Counter *c = data;

  g_clear_object (&c->timeout);
  g_clear_object (&c->printer);
  g_free (c);
}

static void
send_int (GtaskletTasklet *dest,
          const char      *name,
          int              number)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, number);
  gtasklet_tasklet_send (dest, name, &value);
}

static gboolean
counter_run (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Counter *c = user_data;

  GTASKLET_BEGIN (&c->pc);
  for (c->i = 0; c->i < c->count; c->i++)
    {
      send_int (c->printer, "print", c->i);
      GTASKLET_WAIT (tasklet, &c->pc, c->timeout);
    }
  gtasklet_tasklet_send (c->printer, "quit", NULL);
  GTASKLET_END (&c->pc);
}

static void
on_finished (GtaskletTasklet *tasklet,
             App             *app)
{
  if (--app->n_running == 0)
    g_main_loop_quit (app->loop);
}

static GtaskletTasklet *
app_start (App             *app,
           GtaskletRunFunc  func,
           gpointer         data,
           GDestroyNotify   destroy)
{
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (func, data, destroy);

  app->n_running++;
  g_signal_connect (tasklet, "finished", G_CALLBACK (on_finished), app);
  gtasklet_tasklet_start (tasklet);
  return tasklet;
}

static gboolean
finished_cleanly (GtaskletTasklet *tasklet,
                  const char      *what)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);

  if (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    {
      g_printerr ("printer: the %s tasklet did not finish\n", what);
      return FALSE;
    }
  if (error != NULL)
    {
      g_printerr ("printer: the %s tasklet failed: %s\n", what, error->message);
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtaskletTasklet) printer = NULL;
  g_autoptr (GtaskletTasklet) counter = NULL;
  const char * const accept[] = { "quit", "print", NULL };
  App app = { NULL, 0 };
  Printer *p;
  Counter *c;
  int interval_ms = 1000;
  int count = 10;
  int n_printed;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "interval-ms", 'i', 0, G_OPTION_ARG_INT, &interval_ms, "Milliseconds between messages (1000)", "MS" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "How many numbers to send (10)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- a counter tasklet sends numbers to a printer tasklet");
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

  app.loop = g_main_loop_new (NULL, FALSE);

  p = g_new0 (Printer, 1);
  p->msgwait = gtasklet_wait_for_messages_new (accept, NULL, NULL);
  printer = app_start (&app, printer_run, p, printer_free);

  c = g_new0 (Counter, 1);
  c->count = count;
  c->timeout = gtasklet_wait_for_timeout_new ((guint) interval_ms);
  c->printer = g_object_ref (printer);
  counter = app_start (&app, counter_run, c, counter_free);

  if (app.n_running > 0)
    g_main_loop_run (app.loop);
  g_main_loop_unref (app.loop);

  n_printed = p->n_printed;
  ok = finished_cleanly (printer, "printer") && finished_cleanly (counter, "counter");
  if (ok && n_printed != count)
    {
      g_printerr ("printer: printed %d numbers, expected %d\n", n_printed, count);
      ok = FALSE;
    }

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

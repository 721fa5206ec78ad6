/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program for tests/debug-dbus.py to look at with gtasklet-top: named tasklets on the
 * main context and on a worker pool, with known waits and mailbox depths. Run it with
 * GTASKLET_DEBUG=dbus. With --block-main its main thread stops iterating once everything is
 * in place, as a program stuck in a long call would. It prints "ready" when set up. */
#include <gtasklet/gtasklet.h>

#include <stdio.h>
#include <unistd.h>

#define NAMES(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* Receives "job", defers "flush": flushes pile up in the mailbox. */
static gboolean
inbox_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  gtasklet_tasklet_receive (tasklet, NAMES ("job"), NAMES ("flush"), NULL);
  return TRUE;
}

static gboolean
sleeper_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (600000);

  gtasklet_tasklet_wait (tasklet, timeout);
  return TRUE;
}

/* Sends a job to the inbox every 20 ms, so that statistics have steps to count. */
static gboolean
ticker_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  g_autoptr (GtaskletWaitCondition) timeout = gtasklet_wait_for_timeout_new (20);

  if (event != NULL)
    gtasklet_tasklet_send_int (user_data, "job", 0);
  gtasklet_tasklet_wait (tasklet, timeout);
  return TRUE;
}

static GtaskletTasklet *
start_named (const char      *name,
             GtaskletRunFunc  func,
             gpointer         data,
             GtaskletPool    *pool)
{
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (func, data, NULL);

  gtasklet_tasklet_set_name (tasklet, name);
  if (pool != NULL)
    gtasklet_pool_start (pool, tasklet);
  else
    gtasklet_tasklet_start (tasklet);
  return tasklet;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  gboolean block_main = argc > 1 && g_str_equal (argv[1], "--block-main");
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (2);
  GtaskletTasklet *inbox, *pool_a;
  gboolean settled = FALSE;

  g_set_prgname ("debug-target");
  inbox = start_named ("inbox", inbox_step, NULL, NULL);
  start_named ("sleeper", sleeper_step, NULL, NULL);
  if (!block_main)
    start_named ("ticker", ticker_step, inbox, NULL);
  pool_a = start_named ("pool-a", inbox_step, NULL, pool);
  start_named ("pool-b", sleeper_step, NULL, pool);

  for (int i = 0; i < 3; i++)
    gtasklet_tasklet_send_int (inbox, "flush", i);
  for (int i = 0; i < 2; i++)
    gtasklet_tasklet_send_int (pool_a, "flush", i);

  /* Let the first steps run, so every tasklet is waiting. */
  g_timeout_add (100, set_flag, &settled);
  while (!settled)
    g_main_context_iteration (NULL, TRUE);

  printf ("ready\n");
  fflush (stdout);

  if (block_main)
    for (;;)
      pause ();
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

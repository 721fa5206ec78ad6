/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "node-echo.h"
#include "test-util.h"

gboolean
node_echo_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      const char *name = gtasklet_message_get_name (message);
      const GValue *value = gtasklet_message_get_value (message);
      GtaskletTasklet *sender = gtasklet_message_get_sender (message);

      if (g_str_equal (name, "stop"))
        {
          gtasklet_tasklet_return_int (tasklet, 42);
          return TRUE;
        }
      if (g_str_equal (name, "fail"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "asked to fail");
          return FALSE;
        }
      if (g_str_equal (name, "greet") && value != NULL && G_VALUE_HOLDS_STRING (value))
        {
          printf ("greet %s\n", g_value_get_string (value));
          fflush (stdout);
        }
      if (sender != NULL)
        gtasklet_tasklet_send (sender, name, value);
    }
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("*"), NULL, NULL);
  return TRUE;
}

GtaskletTasklet *
node_echo_start (void)
{
  GtaskletTasklet *echo = gtasklet_tasklet_new ((GtaskletRunFunc) node_echo_step, NULL, NULL);

  gtasklet_tasklet_set_name (echo, "echo");
  gtasklet_tasklet_start (echo);
  return echo;
}

typedef struct
{
  GtaskletTasklet *remote;
  int              rounds;
  int              sent;
  int              received;
  gboolean         senders_match;
  gboolean         done;
} Pinger;

static gboolean
pinger_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Pinger *pinger = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);

      g_assert_cmpint (gtasklet_message_get_int (message), ==, pinger->received);
      pinger->senders_match &= gtasklet_message_get_sender (message) == pinger->remote;
      pinger->received++;
    }
  if (pinger->received == pinger->rounds)
    {
      pinger->done = TRUE;
      return TRUE;
    }
  gtasklet_tasklet_send_int (pinger->remote, "ping", pinger->sent++);
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("ping"), NULL, NULL);
  return TRUE;
}

double
node_ping_pong (GtaskletTasklet *remote,
                int              rounds,
                guint            timeout_ms)
{
  Pinger pinger = { remote, rounds, 0, 0, TRUE, FALSE };
  g_autoptr(GtaskletTasklet) tasklet = gtasklet_tasklet_new ((GtaskletRunFunc) pinger_step,
                                                             &pinger, NULL);
  gint64 start = g_get_monotonic_time ();

  gtasklet_tasklet_start (tasklet);
  test_wait_until (pinger.done, timeout_ms);
  g_assert_true (pinger.senders_match);
  return rounds / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

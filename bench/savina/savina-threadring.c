/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Thread ring (Savina "threadring"): N actors; each first gets "next" with its neighbour,
 * then actor 0 gets "ping" R. An actor receiving "ping" k > 0 sends "ping" k - 1 to its
 * neighbour; on "ping" 0 it sends "exit" N - 1 instead. An actor receiving "exit" k sends
 * "exit" k - 1 on if k > 0, then finishes. So R + 1 pings travel, then N exits. */

#include "savina.h"

static const char * const node_accepts[] = { "ping", "next", "exit", NULL };

static const char *I_PING;
static const char *I_EXIT;

typedef struct
{
  GtaskletTasklet *next;
  int              n;
} Node;

static guint64 pings;
static guint exits;

static gboolean
node_step (GtaskletTasklet  *self,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  Node *node = user_data;

  if (event != NULL)
    {
      const char *name = savina_message_name (event);

      if (name == I_PING)
        {
          int left = savina_message_int (event);

          pings++;
          if (left > 0)
            savina_send_int (node->next, "ping", left - 1);
          else
            savina_send_int (node->next, "exit", node->n - 1);
        }
      else if (name == I_EXIT)
        {
          int left = savina_message_int (event);

          exits++;
          if (left > 0)
            savina_send_int (node->next, "exit", left - 1);
          savina_live_done ();
          return TRUE;
        }
      else
        node->next = savina_message_pointer (event);
    }
  gtasklet_tasklet_receive (self, node_accepts, NULL, NULL);
  return TRUE;
}

void
savina_threadring (SavinaRun *run)
{
  int n = savina_param (run, 'n'), r = savina_param (run, 'r');
  Node *nodes = g_new0 (Node, n);
  GtaskletTasklet **tasklets = g_new0 (GtaskletTasklet *, n);

  I_PING = g_intern_static_string ("ping");
  I_EXIT = g_intern_static_string ("exit");
  savina_timer_start (run);
  savina_live_add (n);
  for (int i = 0; i < n; i++)
    {
      nodes[i].n = n;
      tasklets[i] = gtasklet_tasklet_new (node_step, &nodes[i], NULL);
      gtasklet_tasklet_start (tasklets[i]);
    }
  for (int i = 0; i < n; i++)
    savina_send_pointer (tasklets[i], "next", tasklets[(i + 1) % n]);
  savina_send_int (tasklets[0], "ping", r);
  savina_loop_run ();
  savina_timer_stop (run);

  if (pings != (guint64) r + 1 || exits != (guint) n)
    savina_check_failed (run, "%" G_GUINT64_FORMAT " pings and %u exits, expected %d and %d",
                         pings, exits, r + 1, n);
  for (int i = 0; i < n; i++)
    {
      savina_check_finished (run, tasklets[i]);
      g_clear_object (&tasklets[i]);
    }
  run->msgs = (guint64) n + r + 1 + n;
  g_free (tasklets);
  g_free (nodes);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The other process of test-node-processes and of the GJS and Python node clients. It exits
 * as soon as its standard input closes (or reads anything), so it never outlives its test.
 *
 *   node-peer-process echo              a node on the session bus exporting "echo" and
 *   node-peer-process factory           "counter", with a factory "worker" (an echo); prints
 *                                       its unique name on a line of stdout, then serves
 *   node-peer-process p2p-server ADDR   the same on the first peer-to-peer connection of a
 *                                       GDBusServer listening on ADDR; prints "ready"
 *   node-peer-process flood NAME        a node on the session bus that looks up "echo" at
 *                                       NAME and sends it pings forever, never reading its
 *                                       own mailbox; prints "flooding" once it has started
 *
 * The echo answers each message to its sender with the same name and value; "fail" makes it
 * fail, "stop" makes it return 42, and "greet" with a string prints "greet STRING" on stdout
 * (for messages that have no sender, as Send() gives). The counter takes "n" with 0, 1, 2, …
 * answering "ack" (the count so far) every ACK_EVERY, and "end" with "count": the count, or
 * -1 - i where message i was out of order. */
#include <gio/gio.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gtasklet/gtasklet.h>

#include "node-echo.h"

#define ACK_EVERY 10000

static const char * const all_names[] = { "*", NULL };

typedef struct
{
  int count;
  int bad;
} Counter;

static gboolean
counter_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Counter *counter = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      GtaskletTasklet *sender = gtasklet_message_get_sender (message);

      if (g_str_equal (gtasklet_message_get_name (message), "n"))
        {
          if (counter->bad == 0 && gtasklet_message_get_int (message) != counter->count)
            counter->bad = -1 - counter->count;
          counter->count++;
          if (counter->count % ACK_EVERY == 0 && sender != NULL)
            gtasklet_tasklet_send_int (sender, "ack", counter->count);
        }
      else if (g_str_equal (gtasklet_message_get_name (message), "end") && sender != NULL)
        {
          gtasklet_tasklet_send_int (sender, "count",
                                     counter->bad != 0 ? counter->bad : counter->count);
          counter->count = 0;
          counter->bad = 0;
        }
    }
  gtasklet_tasklet_receive (tasklet, all_names, NULL, NULL);
  return TRUE;
}

static GtaskletTasklet *
echo_factory (GVariant  *args,
              gpointer   user_data,
              GError   **error)
{
  return node_echo_start ();
}

static GPtrArray *keep;

static void
serve (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  GtaskletNode *node = gtasklet_node_new (connection, &error);
  GtaskletTasklet *echo = node_echo_start ();
  GtaskletTasklet *counter = gtasklet_tasklet_new ((GtaskletRunFunc) counter_step,
                                                   g_new0 (Counter, 1), g_free);

  if (node == NULL)
    g_error ("node: %s", error->message);
  gtasklet_tasklet_set_name (counter, "counter");
  gtasklet_tasklet_start (counter);
  if (!gtasklet_node_export (node, "echo", echo, &error) ||
      !gtasklet_node_export (node, "counter", counter, &error))
    g_error ("export: %s", error->message);
  gtasklet_node_add_factory (node, "worker", echo_factory, NULL, NULL);
  g_ptr_array_add (keep, g_object_ref (connection));
  g_ptr_array_add (keep, node);
  g_ptr_array_add (keep, echo);
  g_ptr_array_add (keep, counter);
}

static gboolean
on_new_connection (GDBusServer     *server,
                   GDBusConnection *connection,
                   gpointer         user_data)
{
  serve (connection);
  return TRUE;
}

static gboolean
flood_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  GtaskletTasklet *handle = user_data;

  for (int i = 0; i < 1000; i++)
    gtasklet_tasklet_send_int (handle, "ping", i);
  /* Never receives: the echo's answers pile up here. */
  {
    g_autoptr(GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();

    gtasklet_tasklet_wait (tasklet, idle);
  }
  return TRUE;
}

static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  /* The test is gone (or asks us to go): leave without tearing anything down. */
  _exit (0);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusServer) server = NULL;
  const char *mode = argc > 1 ? argv[1] : "";

  keep = g_ptr_array_new ();
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, NULL);

  if (g_str_equal (mode, "echo") || g_str_equal (mode, "factory"))
    {
      GDBusConnection *connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

      if (connection == NULL)
        g_error ("session bus: %s", error->message);
      serve (connection);
      printf ("%s\n", g_dbus_connection_get_unique_name (connection));
      fflush (stdout);
    }
  else if (g_str_equal (mode, "p2p-server") && argc > 2)
    {
      g_autofree char *guid = g_dbus_generate_guid ();

      server = g_dbus_server_new_sync (argv[2], G_DBUS_SERVER_FLAGS_NONE, guid, NULL, NULL,
                                       &error);
      if (server == NULL)
        g_error ("server: %s", error->message);
      g_signal_connect (server, "new-connection", G_CALLBACK (on_new_connection), NULL);
      g_dbus_server_start (server);
      printf ("ready\n");
      fflush (stdout);
    }
  else if (g_str_equal (mode, "flood") && argc > 2)
    {
      GDBusConnection *connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      GtaskletNode *node;
      GtaskletTasklet *flood;

      if (connection == NULL)
        g_error ("session bus: %s", error->message);
      node = gtasklet_node_new (connection, &error);
      if (node == NULL)
        g_error ("node: %s", error->message);
      flood = gtasklet_tasklet_new ((GtaskletRunFunc) flood_step,
                                    gtasklet_node_lookup (node, argv[2], "echo"),
                                    g_object_unref);
      gtasklet_tasklet_start (flood);
      g_ptr_array_add (keep, node);
      g_ptr_array_add (keep, flood);
      printf ("flooding\n");
      fflush (stdout);
    }
  else
    {
      fprintf (stderr, "usage: %s echo|factory|p2p-server ADDRESS|flood NAME\n", argv[0]);
      return 2;
    }

  g_main_loop_run (loop);
  return 0;
}

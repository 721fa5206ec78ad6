/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A client of node-daemon: finds the daemon's unique name on the session bus
 * (GetNameOwner of org.gnome.Gtasklet.Example), looks its tasklet "store" up with a
 * GtaskletNode, and talks to the handle as to any tasklet: a few requests, each answered to
 * the sender; then it monitors the handle and waits until the store (or its process) goes.
 *
 *   node-client [--quit]     --quit: ask the daemon to quit after the requests
 */
#include <gio/gio.h>
#include <gtasklet/gtasklet.h>

#define SERVICE_NAME "org.gnome.Gtasklet.Example"

typedef struct
{
  const char *request;
  const char *arg;
} Request;

static const Request requests[] = {
  { "put",  "greeting=hello from C" },
  { "get",  "greeting" },
  { "incr", "visits" },
  { "get",  "missing" },
};

typedef struct
{
  GtaskletTasklet *store;     /* the handle */
  gboolean         quit;
  guint            next;      /* the next request */
  gboolean         watching;
} Client;

static gboolean
client_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  static const char * const answers[] = { "ok", "value", "count", GTASKLET_MESSAGE_DOWN, NULL };
  Client *client = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      const char *name = gtasklet_message_get_name (message);
      const GValue *value = gtasklet_message_get_value (message);
      const Request *asked = &requests[client->next - 1];

      if (g_str_equal (name, GTASKLET_MESSAGE_DOWN))
        {
          const GError *reason = gtasklet_tasklet_get_error (client->store);

          /* The handle finished as the store did: its result, or why it is gone. */
          if (reason != NULL)
            g_print ("daemon gone: %s\n", reason->message);
          else
            g_print ("daemon gone: the store served %d requests\n",
                     g_value_get_int (gtasklet_tasklet_get_result (client->store)));
          return TRUE;
        }
      if (g_str_equal (name, "count"))
        g_print ("%s %s -> %d\n", asked->request, asked->arg, g_value_get_int (value));
      else if (g_str_equal (name, "value"))
        g_print ("%s %s -> %s\n", asked->request, asked->arg,
                 g_value_get_string (value) != NULL ? g_value_get_string (value) : "(none)");
      else
        g_print ("%s %s -> %s\n", asked->request, asked->arg, name);
    }

  if (client->next < G_N_ELEMENTS (requests))
    {
      const Request *r = &requests[client->next++];
      g_auto(GValue) arg = G_VALUE_INIT;

      g_value_init (&arg, G_TYPE_STRING);
      g_value_set_static_string (&arg, r->arg);
      gtasklet_tasklet_send (client->store, r->request, &arg);
    }
  else if (!client->watching)
    {
      client->watching = TRUE;
      gtasklet_tasklet_monitor (tasklet, client->store);
      g_print ("waiting for the daemon to go\n");
      if (client->quit)
        gtasklet_tasklet_send (client->store, "quit", NULL);
    }
  gtasklet_tasklet_receive (tasklet, answers, NULL, NULL);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) owner = NULL;
  g_autoptr(GtaskletNode) node = NULL;
  g_autoptr(GtaskletTasklet) tasklet = NULL;
  Client client = { NULL, argc > 1 && g_str_equal (argv[1], "--quit"), 0, FALSE };
  const char *unique_name;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr ("node-client: no session bus: %s\n", error->message);
      return 1;
    }
  /* Who owns the service's well-known name? */
  owner = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
    "GetNameOwner", g_variant_new ("(s)", SERVICE_NAME), G_VARIANT_TYPE ("(s)"),
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (owner == NULL)
    {
      g_printerr ("node-client: is node-daemon running? %s\n", error->message);
      return 1;
    }
  g_variant_get (owner, "(&s)", &unique_name);

  node = gtasklet_node_new (bus, &error);
  if (node == NULL)
    {
      g_printerr ("node-client: %s\n", error->message);
      return 1;
    }
  /* The handle exists at once; if the name is not exported there, it finishes with
   * GTASKLET_ERROR_UNKNOWN_TASKLET, which the monitor reports like any end. */
  client.store = gtasklet_node_lookup (node, unique_name, "store");

  tasklet = gtasklet_tasklet_new ((GtaskletRunFunc) client_step, &client, NULL);
  gtasklet_tasklet_start (tasklet);
  while (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    g_main_context_iteration (NULL, TRUE);

  g_object_unref (client.store);
  gtasklet_node_close (node);
  return gtasklet_tasklet_get_error (tasklet) == NULL ? 0 : 1;
}

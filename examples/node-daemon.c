/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A service in a tasklet, for other processes: a small key-value store exported on the
 * session bus by a GtaskletNode, under the well-known name org.gnome.Gtasklet.Example.
 * Clients (node-client.c, node-client.js) find its unique name with GetNameOwner, look the
 * tasklet "store" up and send it messages; every request is answered to its sender:
 *
 *   "put"  "KEY=VALUE"  →  "ok"
 *   "get"  "KEY"        →  "value" with the string, or no value if KEY is not set
 *   "incr" "KEY"        →  "count" with KEY's number plus one (an int), which is stored
 *   "quit"              →  the store finishes, returning how many requests it served
 *
 * From a shell (the Send method of org.gnome.Gtasklet.Node1; see doc/remote.md):
 *
 *   gdbus call --session --dest org.gnome.Gtasklet.Example \
 *     --object-path /org/gnome/Gtasklet/Node1 \
 *     --method org.gnome.Gtasklet.Node1.Send store put '<"colour=blue">'
 *
 * (a message from Send() has no sender, so it gets no answer).
 *
 *   node-daemon     serve until a client sends "quit" (or SIGINT)
 */
#include <stdlib.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <gtasklet/gtasklet.h>

#define SERVICE_NAME "org.gnome.Gtasklet.Example"

typedef struct
{
  GHashTable *table;     /* key → value, both strings */
  int         served;
} Store;

/* A message from Send() (gdbus call) has no sender: it is carried out, not answered. */
static void
answer (GtaskletTasklet *client,
        const char      *name,
        const GValue    *value)
{
  if (client != NULL)
    gtasklet_tasklet_send (client, name, value);
}

static gboolean
store_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  static const char * const requests[] = { "put", "get", "incr", "quit", NULL };
  Store *store = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      const char *name = gtasklet_message_get_name (message);
      GtaskletTasklet *client = gtasklet_message_get_sender (message);
      const GValue *value = gtasklet_message_get_value (message);
      const char *arg = value != NULL && G_VALUE_HOLDS_STRING (value)
                        ? g_value_get_string (value) : NULL;

      store->served++;
      if (g_str_equal (name, "quit"))
        {
          gtasklet_tasklet_return_int (tasklet, store->served);
          return TRUE;
        }
      if (arg == NULL)
        {
          /* A request without its string: the client made a mistake, the store goes on. */
          g_printerr ("node-daemon: “%s” without a string, ignored\n", name);
        }
      else if (g_str_equal (name, "put"))
        {
          g_auto(GStrv) kv = g_strsplit (arg, "=", 2);

          g_hash_table_replace (store->table, g_strdup (kv[0]),
                                g_strdup (kv[1] != NULL ? kv[1] : ""));
          answer (client, "ok", NULL);
        }
      else if (g_str_equal (name, "get"))
        {
          g_auto(GValue) found = G_VALUE_INIT;

          g_value_init (&found, G_TYPE_STRING);
          g_value_set_string (&found, g_hash_table_lookup (store->table, arg));
          answer (client, "value", &found);
        }
      else   /* incr */
        {
          const char *old = g_hash_table_lookup (store->table, arg);
          int count = (old != NULL ? atoi (old) : 0) + 1;

          g_hash_table_replace (store->table, g_strdup (arg), g_strdup_printf ("%d", count));
          g_auto(GValue) number = G_VALUE_INIT;

          g_value_init (&number, G_TYPE_INT);
          g_value_set_int (&number, count);
          answer (client, "count", &number);
        }
    }
  gtasklet_tasklet_receive (tasklet, requests, NULL, NULL);
  return TRUE;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  gboolean *lost = user_data;

  *lost = TRUE;
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  g_print ("serving the tasklet store as %s (%s)\n", name,
           g_dbus_connection_get_unique_name (connection));
}

static gboolean
on_sigint (gpointer user_data)
{
  gtasklet_tasklet_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_grace_over (gpointer user_data)
{
  gboolean *over = user_data;

  *over = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GtaskletNode) node = NULL;
  g_autoptr(GtaskletTasklet) store_tasklet = NULL;
  Store store = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), 0 };
  gboolean lost = FALSE;
  gboolean grace_over = FALSE;
  guint owner;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr ("node-daemon: no session bus: %s\n", error->message);
      return 1;
    }
  node = gtasklet_node_new (bus, &error);
  if (node == NULL)
    {
      g_printerr ("node-daemon: %s\n", error->message);
      return 1;
    }

  store_tasklet = gtasklet_tasklet_new ((GtaskletRunFunc) store_step, &store, NULL);
  gtasklet_tasklet_set_name (store_tasklet, "store");
  gtasklet_tasklet_start (store_tasklet);
  /* Exported before the name is asked for: whoever finds the name finds the store. */
  if (!gtasklet_node_export (node, "store", store_tasklet, &error))
    {
      g_printerr ("node-daemon: %s\n", error->message);
      return 1;
    }
  owner = g_bus_own_name_on_connection (bus, SERVICE_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                        on_name_acquired, on_name_lost, &lost, NULL);
  g_unix_signal_add (SIGINT, on_sigint, store_tasklet);

  while (gtasklet_tasklet_get_state (store_tasklet) != GTASKLET_STATE_FINISHED && !lost)
    g_main_context_iteration (NULL, TRUE);
  if (lost)
    {
      g_printerr ("node-daemon: %s is taken\n", SERVICE_NAME);
      return 1;
    }
  if (gtasklet_tasklet_get_error (store_tasklet) != NULL)
    g_print ("stopped: %s\n", gtasklet_tasklet_get_error (store_tasklet)->message);
  else
    g_print ("quit after %d requests\n",
             g_value_get_int (gtasklet_tasklet_get_result (store_tasklet)));

  /* Give the node a moment to tell the clients that the store finished (they would hear
   * that the process left the bus otherwise: they know it went, either way). */
  g_bus_unown_name (owner);
  g_timeout_add_once (200, on_grace_over, &grace_over);
  while (!grace_over)
    g_main_context_iteration (NULL, TRUE);
  gtasklet_node_close (node);
  g_hash_table_unref (store.table);
  return 0;
}

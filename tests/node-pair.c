/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <glib/gstdio.h>

#include "node-pair.h"
#include "test-util.h"

static gboolean
on_new_connection (GDBusServer     *server,
                   GDBusConnection *connection,
                   gpointer         user_data)
{
  NodePair *pair = user_data;

  pair->b_connection = g_object_ref (connection);
  return TRUE;
}

static void
on_client_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NodePair *pair = user_data;
  g_autoptr(GError) error = NULL;

  pair->a_connection = g_dbus_connection_new_for_address_finish (result, &error);
  g_assert_no_error (error);
}

NodePair *
node_pair_new (void)
{
  NodePair *pair = g_new0 (NodePair, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  g_autofree char *address = NULL;
  gboolean ready = FALSE;

  pair->dir = g_dir_make_tmp ("gtasklet-node-XXXXXX", &error);
  g_assert_no_error (error);
  address = g_strdup_printf ("unix:dir=%s", pair->dir);
  pair->server = g_dbus_server_new_sync (address, G_DBUS_SERVER_FLAGS_NONE, guid, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  g_signal_connect (pair->server, "new-connection", G_CALLBACK (on_new_connection), pair);
  g_dbus_server_start (pair->server);

  g_dbus_connection_new_for_address (g_dbus_server_get_client_address (pair->server),
                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL, NULL,
                                     on_client_ready, pair);
  while (pair->a_connection == NULL || pair->b_connection == NULL)
    g_main_context_iteration (NULL, TRUE);
  ready = TRUE;
  g_assert_true (ready);

  pair->a = gtasklet_node_new (pair->a_connection, &error);
  g_assert_no_error (error);
  pair->b = gtasklet_node_new (pair->b_connection, &error);
  g_assert_no_error (error);
  return pair;
}

void
node_pair_free (NodePair *pair)
{
  g_clear_object (&pair->a);
  g_clear_object (&pair->b);
  if (pair->a_connection != NULL)
    g_dbus_connection_close_sync (pair->a_connection, NULL, NULL);
  g_clear_object (&pair->a_connection);
  g_clear_object (&pair->b_connection);
  g_dbus_server_stop (pair->server);
  g_clear_object (&pair->server);
  test_drain ();
  g_rmdir (pair->dir);
  g_free (pair->dir);
  g_free (pair);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small supervised service: a supervisor runs a listener tasklet on a local socket, the
 * listener starts one tasklet per connection, and a connection echoes each line back. A
 * client that sends "crash" makes the listener fail; the supervisor restarts it, and the
 * service keeps answering. Connections are not the listener's children in the supervision
 * tree: they outlive a listener restart.
 *
 *   echo-service --socket PATH          serve until interrupted
 *   echo-service --self-test            serve on a temporary socket and check it, as a
 *                                       client would: echo, crash, restart, echo again
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <gtasklet/gtasklet.h>

typedef struct
{
  char               *path;
  guint               listens;   /* how many listeners have started */
} Service;

/* A connection: reads a line, writes it back, until the client hangs up. */
typedef struct
{
  GSocketConnection     *connection;
  GDataInputStream      *in;
  GtaskletWaitCondition *read;
  Service               *service;
  GtaskletTasklet       *listener;   /* told about "crash" */
} Connection;

static void
connection_free (gpointer data)
{
  Connection *c = data;

  g_clear_object (&c->read);
  g_clear_object (&c->in);
  g_clear_object (&c->connection);
  g_free (c);
}

static gboolean
connection_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  Connection *c = user_data;
  GCancellable *cancellable = gtasklet_tasklet_get_cancellable (tasklet);

  if (event != NULL)
    {
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (c->connection));
      g_autofree char *line = NULL;
      g_autofree char *answer = NULL;

      line = g_data_input_stream_read_line_finish_utf8 (
        c->in, gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (c->read)), NULL,
        error);
      if (line == NULL)
        return *error == NULL;                  /* hung up (TRUE), or failed */
      if (g_str_equal (line, "crash"))
        gtasklet_tasklet_send (c->listener, "crash", NULL);
      answer = g_strconcat (line, "\n", NULL);
      /* Small lines on a local socket: a blocking write is fine for an example. */
      if (!g_output_stream_write_all (out, answer, strlen (answer), NULL, cancellable, error))
        return FALSE;
    }

  g_clear_object (&c->read);
  c->read = gtasklet_wait_for_async_new ();
  g_data_input_stream_read_line_async (c->in, G_PRIORITY_DEFAULT, cancellable,
                                       gtasklet_wait_for_async_callback, c->read);
  gtasklet_tasklet_wait (tasklet, c->read);
  return TRUE;
}

/* The listener: accepts connections and starts a tasklet for each; fails on "crash". */
typedef struct
{
  Service               *service;
  GSocketListener       *listener;
  GtaskletWaitCondition *accept;
} Listener;

static void
listener_free (gpointer data)
{
  Listener *l = data;

  g_socket_listener_close (l->listener);
  g_clear_object (&l->listener);
  g_clear_object (&l->accept);
  g_free (l);
}

static void
accept_next (GtaskletTasklet *tasklet,
             Listener        *l)
{
  g_clear_object (&l->accept);
  l->accept = gtasklet_wait_for_async_new ();
  g_socket_listener_accept_async (l->listener, gtasklet_tasklet_get_cancellable (tasklet),
                                  gtasklet_wait_for_async_callback, l->accept);
}

static gboolean
listener_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Listener *l = user_data;

  if (event == NULL)
    {
      g_autoptr (GSocketAddress) address = g_unix_socket_address_new (l->service->path);

      g_unlink (l->service->path);
      l->listener = g_socket_listener_new ();
      if (!g_socket_listener_add_address (l->listener, address, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, error))
        return FALSE;
      l->service->listens++;
      accept_next (tasklet, l);
    }
  else if (GTASKLET_IS_MESSAGE (event))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "asked to crash");
      return FALSE;
    }
  else if (event == G_OBJECT (l->accept))
    {
      GAsyncResult *result =
        gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (l->accept));
      g_autoptr (GSocketConnection) connection = NULL;
      g_autoptr (GtaskletTasklet) conn_tasklet = NULL;
      Connection *c;

      connection = g_socket_listener_accept_finish (l->listener, result, NULL, error);
      if (connection == NULL)
        return FALSE;
      c = g_new0 (Connection, 1);
      c->connection = g_steal_pointer (&connection);
      c->in = g_data_input_stream_new (
        g_io_stream_get_input_stream (G_IO_STREAM (c->connection)));
      c->service = l->service;
      c->listener = tasklet;
      conn_tasklet = gtasklet_tasklet_new (connection_step, c, connection_free);
      gtasklet_tasklet_set_name (conn_tasklet, "connection");
      gtasklet_tasklet_start (conn_tasklet);
      accept_next (tasklet, l);
    }

  gtasklet_tasklet_receive (tasklet, (const char *[]) { "crash", NULL }, NULL, NULL);
  gtasklet_tasklet_wait (tasklet, l->accept);
  return TRUE;
}

static GtaskletTasklet *
new_listener (GtaskletSupervisor *supervisor,
              const char         *id,
              gpointer            user_data)
{
  Listener *l = g_new0 (Listener, 1);
  GtaskletTasklet *tasklet;

  l->service = user_data;
  tasklet = gtasklet_tasklet_new (listener_step, l, listener_free);
  gtasklet_tasklet_set_name (tasklet, "listener");
  return tasklet;
}

/* The self-test: a client tasklet that talks to the service. */
typedef struct
{
  Service               *service;
  GtaskletSupervisor    *supervisor;
  int                    phase;
  GSocketClient         *socket_client;
  GSocketConnection     *connection;
  GDataInputStream      *in;
  GtaskletWaitCondition *pending;
  GtaskletWaitCondition *pause;
  int                    failures;
} Client;

static gboolean
check (Client     *client,
       gboolean    ok,
       const char *what)
{
  g_print ("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok)
    client->failures++;
  return ok;
}

static void
client_connect (Client *client)
{
  g_autoptr (GSocketAddress) address = g_unix_socket_address_new (client->service->path);

  if (client->socket_client == NULL)
    client->socket_client = g_socket_client_new ();
  g_clear_object (&client->pending);
  client->pending = gtasklet_wait_for_async_new ();
  g_socket_client_connect_async (client->socket_client, G_SOCKET_CONNECTABLE (address), NULL,
                                 gtasklet_wait_for_async_callback, client->pending);
}

static void
client_say (Client     *client,
            const char *line)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));
  g_autofree char *text = g_strconcat (line, "\n", NULL);

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
  g_clear_object (&client->pending);
  client->pending = gtasklet_wait_for_async_new ();
  g_data_input_stream_read_line_async (client->in, G_PRIORITY_DEFAULT, NULL,
                                       gtasklet_wait_for_async_callback, client->pending);
}

static char *
client_answer (Client  *client,
               GError **error)
{
  return g_data_input_stream_read_line_finish_utf8 (
    client->in, gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (client->pending)),
    NULL, error);
}

static gboolean
client_connected (Client  *client,
                  GError **error)
{
  GAsyncResult *result =
    gtasklet_wait_for_async_get_result (GTASKLET_WAIT_FOR_ASYNC (client->pending));

  g_clear_object (&client->in);
  g_clear_object (&client->connection);
  client->connection = g_socket_client_connect_finish (client->socket_client, result, error);
  if (client->connection == NULL)
    return FALSE;
  client->in = g_data_input_stream_new (
    g_io_stream_get_input_stream (G_IO_STREAM (client->connection)));
  return TRUE;
}

static gboolean
client_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Client *client = user_data;
  g_autofree char *answer = NULL;

  switch (client->phase++)
    {
    case 0:
      client_connect (client);
      break;
    case 1:
      if (!client_connected (client, error))
        return FALSE;
      client_say (client, "hello");
      break;
    case 2:
      answer = client_answer (client, error);
      check (client, g_strcmp0 (answer, "hello") == 0, "the service echoes a line");
      client_say (client, "crash");
      break;
    case 3:
      answer = client_answer (client, error);
      check (client, g_strcmp0 (answer, "crash") == 0, "the connection outlives the crash");
      /* Give the supervisor a moment to restart the listener. */
      g_clear_object (&client->pause);
      client->pause = gtasklet_wait_for_timeout_new (50);
      gtasklet_tasklet_wait (tasklet, client->pause);
      return TRUE;
    case 4:
      check (client, gtasklet_supervisor_get_n_restarts (client->supervisor) == 1,
             "the supervisor restarted the listener once");
      check (client, client->service->listens == 2, "a second listener is listening");
      client_connect (client);
      break;
    case 5:
      if (!client_connected (client, error))
        return FALSE;
      client_say (client, "again");
      break;
    case 6:
      answer = client_answer (client, error);
      check (client, g_strcmp0 (answer, "again") == 0, "a new connection is answered");
      return TRUE;
    default:
      g_assert_not_reached ();
    }
  gtasklet_tasklet_wait (tasklet, client->pending);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *socket_path = NULL;
  gboolean self_test = FALSE;
  GOptionEntry entries[] = {
    { "socket", 's', 0, G_OPTION_ARG_FILENAME, &socket_path, "Serve on this socket", "PATH" },
    { "self-test", 0, 0, G_OPTION_ARG_NONE, &self_test, "Serve and check the service", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- a supervised echo service");
  g_autoptr (GError) error = NULL;
  g_autoptr (GtaskletSupervisor) supervisor = NULL;
  g_autofree char *dir = NULL;
  Service service = { NULL, 0 };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) ||
      (socket_path == NULL && !self_test))
    {
      g_printerr ("%s\n", error != NULL ? error->message : "give --socket PATH or --self-test");
      return 2;
    }
  if (self_test)
    {
      dir = g_dir_make_tmp ("echo-service-XXXXXX", &error);
      g_assert_no_error (error);
      socket_path = g_build_filename (dir, "socket", NULL);
    }
  service.path = socket_path;

  supervisor = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 3, 5000);
  gtasklet_supervisor_add_child (supervisor, "listener", new_listener, &service, NULL,
                                 GTASKLET_RESTART_PERMANENT);
  gtasklet_tasklet_start (GTASKLET_TASKLET (supervisor));

  if (self_test)
    {
      Client client = { &service, supervisor, 0 };
      g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (client_step, &client, NULL);

      gtasklet_tasklet_run_until_finished (t, &error);
      check (&client, error == NULL, error != NULL ? error->message : "the client finished");
      gtasklet_tasklet_cancel (GTASKLET_TASKLET (supervisor));
      while (gtasklet_tasklet_get_state (GTASKLET_TASKLET (supervisor)) !=
             GTASKLET_STATE_FINISHED)
        g_main_context_iteration (NULL, TRUE);
      check (&client, g_error_matches (gtasklet_tasklet_get_error (GTASKLET_TASKLET (supervisor)),
                                       G_IO_ERROR, G_IO_ERROR_CANCELLED),
             "the supervisor stopped when cancelled");
      g_clear_object (&client.pending);
      g_clear_object (&client.pause);
      g_clear_object (&client.in);
      g_clear_object (&client.connection);
      g_clear_object (&client.socket_client);
      g_unlink (socket_path);
      g_rmdir (dir);
      return client.failures == 0 ? 0 : 1;
    }

  gtasklet_tasklet_run_until_finished (GTASKLET_TASKLET (supervisor), &error);
  g_printerr ("%s\n", error != NULL ? error->message : "stopped");
  return error != NULL ? 1 : 0;
}

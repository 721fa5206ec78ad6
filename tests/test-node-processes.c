/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GtaskletNode between real processes, on a real dbus-daemon (run under dbus-run-session):
 * ping-pong through the bus, a peer killed with SIGKILL (through the bus and peer to peer,
 * with the delay measured), many messages in order, a supervisor restarting a remote worker,
 * hostile calls on the interface, a peer that never reads, and the gdbus tool as a caller.
 * The other process is node-peer-process (see there). */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "node-echo.h"
#include "test-thread-util.h"
#include "test-util.h"

#define NODE_PATH "/org/gnome/Gtasklet/Node1"
#define NODE_IFACE "org.gnome.Gtasklet.Node1"
#define PING_ROUNDS 1000
/* Item kinds of Deliver(), as the interface XML numbers them. */
#define NODE_ITEM_MESSAGE 0
#define NODE_ITEM_HOLD    1
#define NODE_ITEM_DOWN    4
#define NODE_ITEM_LINK    5
#define NODE_ITEM_UNLINK  6
#define NODE_ITEM_CANCEL  7
#define BUS_DOWN_LIMIT_MS 100.0
#define P2P_DOWN_LIMIT_MS 10.0

static char *peer_program;

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *line;  /* the first line it printed */
} Peer;

static char *
peer_read_line (Peer *peer)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (peer->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static Peer *
peer_new (const char *mode,
          const char *arg)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GError) error = NULL;

  /* Its stdin is a pipe from us: when this process goes, so does it. */
  peer->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                    &error, peer_program, mode, arg, NULL);
  g_assert_no_error (error);
  peer->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  peer->line = peer_read_line (peer);
  return peer;
}

static void
peer_free (Peer *peer)
{
  g_subprocess_force_exit (peer->process);
  g_subprocess_wait (peer->process, NULL, NULL);
  g_object_unref (peer->out);
  g_object_unref (peer->process);
  g_free (peer->line);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* A connection of its own to the session bus, so each test has its own unique name. */
static GDBusConnection *
bus_connection_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static GtaskletNode *
node_new (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  GtaskletNode *node = gtasklet_node_new (connection, &error);

  g_assert_no_error (error);
  return node;
}

/* ---- ping-pong ---- */


static void
test_ping_pong (void)
{
  g_autoptr(Peer) peer = peer_new ("echo", NULL);
  g_autoptr(GDBusConnection) connection = bus_connection_new ();
  g_autoptr(GtaskletNode) node = node_new (connection);
  g_autoptr(GtaskletTasklet) remote = gtasklet_node_lookup (node, peer->line, "echo");
  double rate;

  g_assert_true (gtasklet_node_is_remote (node, remote));
  rate = node_ping_pong (remote, PING_ROUNDS, 100000);
  g_test_message ("ping-pong through the bus: %.0f round trips/s", rate);

  /* The remote end: its result crosses. */
  gtasklet_tasklet_send (remote, "stop", NULL);
  test_wait_finished (remote, 5000);
  g_assert_no_error (gtasklet_tasklet_get_error (remote));
  g_assert_cmpint (g_value_get_int (gtasklet_tasklet_get_result (remote)), ==, 42);

  /* A well-known name, or none, is a programmer error on a bus: it says what to do. */
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*instead of a unique bus name*g_bus_watch_name*");
  g_assert_null (gtasklet_node_lookup (node, "org.gnome.Gtasklet.Example", "echo"));
  g_test_assert_expected_messages ();
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "*was given NULL instead of a unique bus name*");
  g_assert_null (gtasklet_node_spawn (node, NULL, "worker", NULL));
  g_test_assert_expected_messages ();
  gtasklet_node_close (node);
}

/* ---- a killed peer ---- */

typedef struct
{
  GtaskletTasklet *target;
  gint64           down_at;
  GError          *error;
} Watcher;

static gboolean
watcher_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Watcher *watcher = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_monitor (tasklet, watcher->target);
      gtasklet_tasklet_receive (tasklet, TEST_NAMES (GTASKLET_MESSAGE_DOWN), NULL, NULL);
      return TRUE;
    }
  if (GTASKLET_IS_MESSAGE (event))
    {
      const GValue *value = gtasklet_message_get_value (GTASKLET_MESSAGE (event));

      watcher->down_at = g_get_monotonic_time ();
      g_assert_true (gtasklet_message_get_sender (GTASKLET_MESSAGE (event)) == watcher->target);
      g_assert_nonnull (value);
      watcher->error = g_value_dup_boxed (value);
    }
  return TRUE;
}

static gboolean
linker_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  if (event == NULL)
    {
      gtasklet_tasklet_link (tasklet, user_data);
      gtasklet_tasklet_receive (tasklet, TEST_NAMES ("never"), NULL, NULL);
      return TRUE;
    }
  return TRUE;
}

static void
on_finished_time (GtaskletTasklet *tasklet,
                  gpointer         data)
{
  *(gint64 *) data = g_get_monotonic_time ();
}

/* The delays are the requirement, asserted at full speed; runs slowed down on
 * purpose (valgrind, TSan: GTASKLET_TEST_SCALE below 1) only report them. */
static gboolean
timing_asserted (void)
{
  return test_scale_factor () >= 1.0;
}

/* Kills @peer while @node holds a handle to its echo; returns the delay in ms. */
static double
kill_and_measure (Peer         *peer,
                  GtaskletNode *node,
                  const char   *unique_name)
{
  g_autoptr(GtaskletTasklet) remote = gtasklet_node_lookup (node, unique_name, "echo");
  g_autoptr(GtaskletTasklet) watcher_tasklet = NULL;
  g_autoptr(GtaskletTasklet) linker = NULL;
  Watcher watcher = { remote, 0, NULL };
  gint64 start, finished_at = 0;
  double delay;

  /* The handle is resolved and both watchers are in place. */
  node_ping_pong (remote, 10, 100000);
  watcher_tasklet = gtasklet_tasklet_new ((GtaskletRunFunc) watcher_step, &watcher, NULL);
  gtasklet_tasklet_start (watcher_tasklet);
  linker = gtasklet_tasklet_new ((GtaskletRunFunc) linker_step, remote, NULL);
  gtasklet_tasklet_start (linker);
  test_drain ();
  g_signal_connect (remote, "finished", G_CALLBACK (on_finished_time), &finished_at);

  start = g_get_monotonic_time ();
  g_assert_cmpint (kill (atoi (g_subprocess_get_identifier (peer->process)), SIGKILL), ==, 0);
  test_wait_finished (remote, 5000);
  test_wait_finished (watcher_tasklet, 5000);
  test_wait_finished (linker, 5000);

  g_assert_error ((GError *) gtasklet_tasklet_get_error (remote), GTASKLET_ERROR,
                  GTASKLET_ERROR_NO_CONNECTION);
  g_assert_error (watcher.error, GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (linker), GTASKLET_ERROR,
                  GTASKLET_ERROR_LINKED);
  g_clear_error (&watcher.error);
  g_assert_cmpint (finished_at, >, 0);
  delay = (finished_at - start) / 1000.0;
  g_test_message ("handle ended %.2f ms after SIGKILL, DOWN %.2f ms", delay,
                  (watcher.down_at - start) / 1000.0);
  return MAX (delay, (watcher.down_at - start) / 1000.0);
}

static void
test_kill_bus (void)
{
  g_autoptr(Peer) peer = peer_new ("echo", NULL);
  g_autoptr(GDBusConnection) connection = bus_connection_new ();
  g_autoptr(GtaskletNode) node = node_new (connection);
  double delay = kill_and_measure (peer, node, peer->line);

  g_test_message ("DOWN through the bus: %.2f ms (limit %.0f ms)", delay, BUS_DOWN_LIMIT_MS);
  if (timing_asserted ())
    g_assert_cmpfloat (delay, <, BUS_DOWN_LIMIT_MS);
  gtasklet_node_close (node);
}

static void
test_kill_p2p (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gtasklet-node-XXXXXX", NULL);
  g_autofree char *address = g_strdup_printf ("unix:path=%s/socket", dir);
  g_autoptr(Peer) peer = peer_new ("p2p-server", address);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GtaskletNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *socket_path = g_build_filename (dir, "socket", NULL);
  double delay;

  g_assert_cmpstr (peer->line, ==, "ready");
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  node = node_new (connection);
  delay = kill_and_measure (peer, node, NULL);
  g_test_message ("DOWN peer to peer: %.2f ms (limit %.0f ms)", delay, P2P_DOWN_LIMIT_MS);
  if (timing_asserted ())
    g_assert_cmpfloat (delay, <, P2P_DOWN_LIMIT_MS);
  gtasklet_node_close (node);
  g_unlink (socket_path);
  g_rmdir (dir);
}

/* ---- many messages, in order ---- */

typedef struct
{
  GtaskletTasklet *remote;
  guint            total;
  guint            sent;
  guint            acked;
  int              count;
  gboolean         done;
} Flooder;

#define IN_FLIGHT 50000
#define BATCH 1000

static gboolean
flooder_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Flooder *flooder = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);

      if (g_str_equal (gtasklet_message_get_name (message), "count"))
        {
          flooder->count = gtasklet_message_get_int (message);
          flooder->done = TRUE;
          return TRUE;
        }
      flooder->acked = gtasklet_message_get_int (message);
    }
  /* At most IN_FLIGHT unacknowledged, BATCH per step. */
  for (guint i = 0; i < BATCH && flooder->sent < flooder->total &&
                    flooder->sent - flooder->acked < IN_FLIGHT; i++)
    g_assert_true (gtasklet_tasklet_send_int (flooder->remote, "n", flooder->sent++));
  if (flooder->sent == flooder->total)
    {
      if (flooder->acked != G_MAXUINT)
        gtasklet_tasklet_send (flooder->remote, "end", NULL);
      flooder->acked = G_MAXUINT;
      gtasklet_tasklet_receive (tasklet, TEST_NAMES ("count"), NULL, TEST_NAMES ("ack"));
    }
  else if (flooder->sent - flooder->acked < IN_FLIGHT)
    {
      g_autoptr(GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();

      gtasklet_tasklet_wait (tasklet, idle);
    }
  else
    gtasklet_tasklet_receive (tasklet, TEST_NAMES ("ack"), NULL, NULL);
  return TRUE;
}

static void
test_many (void)
{
  g_autoptr(Peer) peer = peer_new ("echo", NULL);
  g_autoptr(GDBusConnection) connection = bus_connection_new ();
  g_autoptr(GtaskletNode) node = node_new (connection);
  g_autoptr(GtaskletTasklet) remote = gtasklet_node_lookup (node, peer->line, "counter");
  g_autoptr(GtaskletTasklet) tasklet = NULL;
  Flooder flooder = { remote, test_scaled (1000000), 0, 0, 0, FALSE };
  gint64 start = g_get_monotonic_time ();
  double seconds;

  tasklet = gtasklet_tasklet_new ((GtaskletRunFunc) flooder_step, &flooder, NULL);
  gtasklet_tasklet_start (tasklet);
  test_wait_until (flooder.done, 300000);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("%u messages through the bus in %.2f s: %.0f messages/s", flooder.total,
                  seconds, flooder.total / seconds);
  /* Negative: the first message out of order. */
  g_assert_cmpint (flooder.count, ==, (int) flooder.total);
  gtasklet_node_close (node);
}

/* ---- a supervisor restarting a remote worker ---- */

typedef struct
{
  GtaskletNode *node;
  const char   *peer;
  guint         spawned;
} SpawnData;

static GtaskletTasklet *
spawn_worker (GtaskletSupervisor *supervisor,
              const char         *id,
              gpointer            user_data)
{
  SpawnData *data = user_data;

  data->spawned++;
  return gtasklet_node_spawn (data->node, data->peer, "worker", NULL);
}

static void
test_supervisor (void)
{
  g_autoptr(Peer) peer = peer_new ("factory", NULL);
  g_autoptr(GDBusConnection) connection = bus_connection_new ();
  g_autoptr(GtaskletNode) node = node_new (connection);
  SpawnData data = { node, peer->line, 0 };
  g_autoptr(GtaskletSupervisor) supervisor = NULL;
  g_autoptr(GtaskletTasklet) first = NULL;
  GtaskletTasklet *second;

  supervisor = gtasklet_supervisor_new (GTASKLET_SUPERVISOR_ONE_FOR_ONE, 5, 10000);
  gtasklet_supervisor_add_child (supervisor, "worker", spawn_worker, &data, NULL,
                                 GTASKLET_RESTART_PERMANENT);
  gtasklet_tasklet_start (GTASKLET_TASKLET (supervisor));
  test_drain ();
  g_assert_cmpuint (data.spawned, ==, 1);
  first = g_object_ref (gtasklet_supervisor_get_child (supervisor, "worker"));
  g_assert_true (gtasklet_node_is_remote (node, first));
  node_ping_pong (first, 10, 100000);

  gtasklet_tasklet_send (first, "fail", NULL);
  test_wait_finished (first, 5000);
  g_assert_error ((GError *) gtasklet_tasklet_get_error (first), G_IO_ERROR,
                  G_IO_ERROR_BROKEN_PIPE);
  test_wait_count (data.spawned, 2, 5000);
  test_drain ();
  g_assert_cmpuint (gtasklet_supervisor_get_n_restarts (supervisor), ==, 1);
  second = gtasklet_supervisor_get_child (supervisor, "worker");
  g_assert_nonnull (second);
  g_assert_true (second != first);
  node_ping_pong (second, 10, 100000);

  gtasklet_tasklet_cancel (GTASKLET_TASKLET (supervisor));
  test_wait_finished (GTASKLET_TASKLET (supervisor), 5000);
  gtasklet_node_close (node);
}

/* ---- hostile calls ---- */

static GVariant *
call (GDBusConnection  *connection,
      const char       *dest,
      const char       *method,
      GVariant         *parameters,
      GError          **error)
{
  return g_dbus_connection_call_sync (connection, dest, NODE_PATH, NODE_IFACE, method,
                                      parameters, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 30000,
                                      NULL, error);
}

static void
assert_dbus_error (GError     *error,
                   const char *name)
{
  g_autofree char *remote = NULL;

  g_assert_nonnull (error);
  remote = g_dbus_error_get_remote_error (error);
  g_test_message ("%s: %s", remote, error->message);
  g_assert_cmpstr (remote, ==, name);
}

/* A batch of @n items of @kind, each with @payload (sunk). */
static GVariant *
deliver_args (guint64     first_seq,
              guint       n,
              guint       kind,
              const char *item_dest,
              const char *item_sender,
              GVariant   *payload)
{
  GVariantBuilder items;

  g_variant_ref_sink (payload);
  g_variant_builder_init (&items, G_VARIANT_TYPE ("a(usssv)"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add (&items, "(usssv)", kind, item_dest, item_sender, "ping", payload);
  g_variant_unref (payload);
  return g_variant_new ("(tta(usssv))", first_seq, (guint64) 0, &items);
}

static void
test_hostile (void)
{
  g_autoptr(Peer) peer = peer_new ("echo", NULL);
  const char *dest = peer->line;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GtaskletNode) node = NULL;
  g_autoptr(GtaskletTasklet) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *big = NULL;
  /* Wrong signature. */
  connection = bus_connection_new ();
  reply = call (connection, dest, "Deliver", g_variant_new ("(s)", "x"), &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.freedesktop.DBus.Error.InvalidArgs");
  g_clear_error (&error);

  /* Send to an unknown tasklet. */
  reply = call (connection, dest, "Send",
                g_variant_new ("(ssv)", "nobody", "ping", g_variant_new_int32 (1)), &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.gnome.Gtasklet.Error.UnknownTasklet");
  g_assert_error (error, GTASKLET_ERROR, GTASKLET_ERROR_UNKNOWN_TASKLET);
  g_clear_error (&error);
  g_clear_object (&connection);

  /* A gap in the sequence (a new caller starts at 1). */
  connection = bus_connection_new ();
  reply = call (connection, dest, "Deliver", deliver_args (5, 0, 0, "#1", "", g_variant_new_int32 (0)),
                &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.gnome.Gtasklet.Error.Sequence");
  g_clear_error (&error);
  g_clear_object (&connection);

  /* An unknown kind of item. */
  connection = bus_connection_new ();
  reply = call (connection, dest, "Deliver", deliver_args (1, 1, 99, "#1", "", g_variant_new_int32 (0)),
                &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.freedesktop.DBus.Error.InvalidArgs");
  g_clear_error (&error);
  g_clear_object (&connection);

  /* A key this caller was never given (the echo's: the first tasklet the child registered,
   * "#1"): a message, a link, an unlink or a cancel naming it is refused, whatever its
   * payload; the echo is untouched (checked at the end). */
  for (guint kind = NODE_ITEM_MESSAGE; kind <= NODE_ITEM_CANCEL; kind++)
    {
      if (kind != NODE_ITEM_MESSAGE && kind != NODE_ITEM_LINK && kind != NODE_ITEM_UNLINK &&
          kind != NODE_ITEM_CANCEL)
        continue;
      connection = bus_connection_new ();
      reply = call (connection, dest, "Deliver",
                    deliver_args (1, 1, kind, "#1", "", g_variant_new_string ("garbage")),
                    &error);
      g_assert_null (reply);
      assert_dbus_error (error, "org.freedesktop.DBus.Error.AccessDenied");
      g_clear_error (&error);
      g_clear_object (&connection);
    }

  /* Payloads of the wrong type on the kinds that name no tasklet of the child's: refused
   * or ignored (their payload is not read); either way nothing breaks. */
  for (guint kind = NODE_ITEM_HOLD; kind <= NODE_ITEM_DOWN; kind++)
    {
      connection = bus_connection_new ();
      reply = call (connection, dest, "Deliver",
                    deliver_args (1, 1, kind, "@1", "@1", g_variant_new_string ("garbage")),
                    &error);
      if (reply != NULL)
        g_test_message ("kind %u with a string payload: ignored", kind);
      else
        {
          g_autofree char *remote_name = g_dbus_error_get_remote_error (error);

          g_test_message ("kind %u with a string payload: %s", kind, remote_name);
        }
      if (kind == NODE_ITEM_DOWN)
        assert_dbus_error (error, "org.freedesktop.DBus.Error.InvalidArgs");
      g_clear_pointer (&reply, g_variant_unref);
      g_clear_error (&error);
      g_clear_object (&connection);
    }

  /* A channel through a bus: refused (messages on a bus stay with the daemon). */
  connection = bus_connection_new ();
  {
    g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
    int pair_fds[2];

    g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair_fds));
    g_unix_fd_list_append (fds, pair_fds[1], NULL);
    close (pair_fds[0]);
    close (pair_fds[1]);
    reply = g_dbus_connection_call_with_unix_fd_list_sync (connection, dest, NODE_PATH,
                                                           NODE_IFACE, "OpenChannel",
                                                           g_variant_new ("(h)", 0), NULL,
                                                           G_DBUS_CALL_FLAGS_NONE, 10000, fds,
                                                           NULL, NULL, &error);
  }
  g_assert_null (reply);
  assert_dbus_error (error, "org.freedesktop.DBus.Error.NotSupported");
  g_clear_error (&error);
  g_clear_object (&connection);

  /* Too many items in one batch. */
  connection = bus_connection_new ();
  reply = call (connection, dest, "Deliver",
                deliver_args (1, 65537, 0, "#1", "",
                              g_variant_new ("(sv)", "ping", g_variant_new_int32 (0))),
                &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.freedesktop.DBus.Error.LimitsExceeded");
  g_clear_error (&error);
  g_clear_object (&connection);

  /* 20 MiB: through Send, and as a Deliver item. */
  big = g_malloc (20 * 1024 * 1024 + 1);
  memset (big, 'x', 20 * 1024 * 1024);
  big[20 * 1024 * 1024] = '\0';
  connection = bus_connection_new ();
  reply = call (connection, dest, "Send",
                g_variant_new ("(ssv)", "echo", "big", g_variant_new_string (big)), &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.freedesktop.DBus.Error.LimitsExceeded");
  g_clear_error (&error);
  g_clear_object (&connection);
  connection = bus_connection_new ();
  reply = call (connection, dest, "Deliver",
                deliver_args (1, 1, 0, "@1", "",
                              g_variant_new ("(sv)", "s", g_variant_new_string (big))),
                &error);
  g_assert_null (reply);
  assert_dbus_error (error, "org.freedesktop.DBus.Error.LimitsExceeded");
  g_clear_error (&error);
  g_clear_object (&connection);

  /* Unharmed. */
  connection = bus_connection_new ();
  node = node_new (connection);
  remote = gtasklet_node_lookup (node, dest, "echo");
  node_ping_pong (remote, 100, 100000);
  reply = call (connection, dest, "List", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (reply, G_VARIANT_TYPE ("(as)")));
  gtasklet_node_close (node);
}

/* ---- a peer that never reads ---- */

static void
test_never_reads (void)
{
  g_autoptr(Peer) peer = peer_new ("echo", NULL);
  g_autoptr(Peer) flood = NULL;
  g_autoptr(GDBusConnection) connection = bus_connection_new ();
  g_autoptr(GtaskletNode) node = node_new (connection);
  g_autoptr(GtaskletTasklet) remote = gtasklet_node_lookup (node, peer->line, "echo");
  double rate;
  pid_t pid;

  flood = peer_new ("flood", peer->line);
  g_assert_cmpstr (flood->line, ==, "flooding");
  pid = atoi (g_subprocess_get_identifier (flood->process));

  /* It sends, its mailbox fills up with answers it never takes: meanwhile, another client is
   * served. */
  rate = node_ping_pong (remote, 200, 100000);
  g_test_message ("served while a peer does not take its answers: %.0f round trips/s", rate);

  /* Stopped, it does not even read its socket. */
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  rate = node_ping_pong (remote, 200, 100000);
  g_test_message ("served while a peer does not read its socket: %.0f round trips/s", rate);
  rate = node_ping_pong (remote, 200, 100000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  node_ping_pong (remote, 10, 100000);
  gtasklet_node_close (node);
}

/* ---- the gdbus tool ---- */

static char *
run_tool (GError **error,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  char *out = NULL;
  va_list args;
  const char *arg;

  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               error);
  if (process == NULL)
    return NULL;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "gdbus failed");
      g_free (out);
      return NULL;
    }
  return out;
}

static void
test_gdbus_tool (void)
{
  g_autoptr(Peer) peer = peer_new ("echo", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;

  out = run_tool (&error, "gdbus", "call", "--session", "--dest", peer->line, "--object-path",
                  NODE_PATH, "--method", NODE_IFACE ".Send", "echo", "greet", "<'hello'>", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "()\n");
  line = peer_read_line (peer);
  g_assert_cmpstr (line, ==, "greet hello");
  g_clear_pointer (&out, g_free);

  out = run_tool (&error, "gdbus", "call", "--session", "--dest", peer->line, "--object-path",
                  NODE_PATH, "--method", NODE_IFACE ".List", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "(['counter', 'echo'],)\n");
  g_clear_pointer (&out, g_free);

  out = run_tool (&error, "gdbus", "introspect", "--session", "--dest", peer->line,
                  "--object-path", NODE_PATH, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "interface " NODE_IFACE));
  g_assert_nonnull (strstr (out, "Deliver("));
  g_assert_nonnull (strstr (out, "Send("));
  g_assert_nonnull (strstr (out, "List("));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Only on a bus of our own (dbus-run-session): fail rather than use the desktop's. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_error ("DBUS_SESSION_BUS_ADDRESS is not set: run under dbus-run-session");
  peer_program = g_test_build_filename (G_TEST_BUILT, "node-peer-process", NULL);
  /* A peer killed with SIGPIPE-free writes: our pipes to children must not kill us. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/gtasklet/node-processes/ping-pong", test_ping_pong);
  g_test_add_func ("/gtasklet/node-processes/kill-bus", test_kill_bus);
  g_test_add_func ("/gtasklet/node-processes/kill-p2p", test_kill_p2p);
  g_test_add_func ("/gtasklet/node-processes/many", test_many);
  g_test_add_func ("/gtasklet/node-processes/supervisor", test_supervisor);
  g_test_add_func ("/gtasklet/node-processes/hostile", test_hostile);
  g_test_add_func ("/gtasklet/node-processes/never-reads", test_never_reads);
  g_test_add_func ("/gtasklet/node-processes/gdbus-tool", test_gdbus_tool);

  return g_test_run ();
}

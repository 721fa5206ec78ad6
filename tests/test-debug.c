/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The debug D-Bus interface (gtasklet-debug.c) against a real dbus-daemon (GTestDBus): the
 * program exports on its session connection, the test calls through a second connection, as
 * gtasklet-top would; and on a private peer-to-peer connection. */
#include <gtasklet/gtasklet.h>

#include <sys/socket.h>
#include <unistd.h>

#include "test-util.h"

#define OBJECT_PATH    "/org/gnome/Gtasklet/Debug"
#define INTERFACE_NAME "org.gnome.Gtasklet.Debug1"

static GDBusConnection *client;
static char            *bus_name;

/* Receives "job", defers "flush", so each flush sent stays in the mailbox. */
static gboolean
inbox_step (GtaskletTasklet  *tasklet,
            GObject          *event,
            gpointer          user_data,
            GError          **error)
{
  gtasklet_tasklet_receive (tasklet, TEST_NAMES ("job"), TEST_NAMES ("flush"), NULL);
  return TRUE;
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} Call;

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

/* Calls the exporter while this thread keeps iterating its context, since the main context's
 * tasklets are described here. */
static GVariant *
call_on (GDBusConnection  *connection,
         const char       *name,
         const char       *interface,
         const char       *method,
         GVariant         *parameters,
         GError          **error)
{
  Call call = { NULL, NULL, FALSE };

  g_dbus_connection_call (connection, name, OBJECT_PATH, interface, method, parameters,
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL, call_done, &call);
  test_wait_until (call.done, 15000);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.reply;
}

static GVariant *
call_method (const char  *method,
             GVariant    *parameters,
             GError     **error)
{
  return call_on (client, bus_name, INTERFACE_NAME, method, parameters, error);
}

static GVariant *
get_tasklets (guint timeout_ms)
{
  g_autoptr (GError) error = NULL;
  GVariant *reply = call_method ("GetTasklets",
                                 g_variant_new_parsed ("({'timeout-ms': <%u>},)", timeout_ms),
                                 &error);

  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (reply, G_VARIANT_TYPE ("(aa{sv}a{sv})")));
  return reply;
}

/* The entry of the tasklet called @name, or NULL. */
static GVariant *
find_entry (GVariant   *reply,
            const char *name)
{
  g_autoptr (GVariant) tasklets = g_variant_get_child_value (reply, 0);

  for (gsize i = 0; i < g_variant_n_children (tasklets); i++)
    {
      GVariant *entry = g_variant_get_child_value (tasklets, i);
      const char *entry_name;

      if (g_variant_lookup (entry, "name", "&s", &entry_name) && g_str_equal (entry_name, name))
        return entry;
      g_variant_unref (entry);
    }
  return NULL;
}

static void
export (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (gtasklet_debug_export (NULL, &error));
  g_assert_no_error (error);
  /* Twice is harmless. */
  g_assert_true (gtasklet_debug_export (NULL, &error));
  g_assert_no_error (error);
}

static void
unexport (void)
{
  g_autoptr (GDBusConnection) session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  gtasklet_debug_unexport (session);
}

static void
test_lists_tasklets (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (2);
  g_autoptr (GtaskletTasklet) inbox = gtasklet_tasklet_new (inbox_step, NULL, NULL);
  g_autoptr (GtaskletTasklet) worker = gtasklet_tasklet_new (inbox_step, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) info = NULL;
  g_autoptr (GVariant) entry = NULL;
  g_autofree const char **waits = NULL;
  const char *s;
  guint32 u;
  gboolean b;

  export ();
  gtasklet_tasklet_set_name (inbox, "test-inbox");
  gtasklet_tasklet_set_name (worker, "test-worker");
  gtasklet_tasklet_start (inbox);
  gtasklet_pool_start (pool, worker);
  for (int i = 0; i < 3; i++)
    g_assert_true (test_send_int (inbox, "flush", i));
  g_assert_true (test_send_int (worker, "flush", 0));
  test_drain ();

  reply = get_tasklets (5000);
  info = g_variant_get_child_value (reply, 1);
  g_assert_true (g_variant_lookup (info, "complete", "b", &b) && b);
  g_assert_true (g_variant_lookup (info, "unresponsive-threads", "u", &u) && u == 0);
  g_assert_true (g_variant_lookup (info, "pid", "u", &u) && u == (guint32) getpid ());

  entry = find_entry (reply, "test-inbox");
  g_assert_nonnull (entry);
  g_assert_true (g_variant_lookup (entry, "type", "&s", &s));
  g_assert_cmpstr (s, ==, "GtaskletTasklet");
  g_assert_true (g_variant_lookup (entry, "state", "&s", &s));
  g_assert_cmpstr (s, ==, "suspended");
  g_assert_true (g_variant_lookup (entry, "responsive", "b", &b) && b);
  g_assert_true (g_variant_lookup (entry, "mailbox", "u", &u));
  g_assert_cmpuint (u, ==, 3);
  g_assert_true (g_variant_lookup (entry, "waits", "^a&s", &waits));
  g_assert_cmpuint (g_strv_length ((char **) waits), ==, 1);
  g_assert_cmpstr (waits[0], ==, "receive accept=[job] defer=[flush] discard=[]");
  g_clear_pointer (&waits, g_free);
  g_assert_true (g_variant_lookup (entry, "description", "&s", &s));
  g_assert_true (g_str_has_prefix (s, "'test-inbox' GtaskletTasklet"));
  g_clear_pointer (&entry, g_variant_unref);

  /* Described on its worker: a thread other than this one. */
  entry = find_entry (reply, "test-worker");
  g_assert_nonnull (entry);
  g_assert_true (g_variant_lookup (entry, "responsive", "b", &b) && b);
  g_assert_true (g_variant_lookup (entry, "mailbox", "u", &u));
  g_assert_cmpuint (u, ==, 1);
  {
    gint64 tid;

    g_assert_true (g_variant_lookup (entry, "tid", "x", &tid));
    g_assert_cmpint (tid, !=, (gint64) getpid ());
  }

  gtasklet_tasklet_cancel (inbox);
  gtasklet_tasklet_cancel (worker);
  test_wait_finished (inbox, 5000);
  test_wait_finished (worker, 5000);
  test_assert_cancelled (inbox);
  test_assert_cancelled (worker);
  unexport ();
}

/* A context that nobody iterates stands for a blocked thread. */
static void
test_blocked_thread (void)
{
  g_autoptr (GMainContext) stuck = g_main_context_new ();
  GtaskletTasklet *tasklet = gtasklet_tasklet_new (inbox_step, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) info = NULL;
  g_autoptr (GVariant) entry = NULL;
  const char *s;
  guint32 u;
  gboolean b;

  export ();
  gtasklet_tasklet_set_name (tasklet, "test-stuck");
  g_main_context_push_thread_default (stuck);
  gtasklet_tasklet_start (tasklet);
  g_main_context_pop_thread_default (stuck);

  reply = get_tasklets (100);
  info = g_variant_get_child_value (reply, 1);
  g_assert_true (g_variant_lookup (info, "complete", "b", &b) && !b);
  g_assert_true (g_variant_lookup (info, "unresponsive-threads", "u", &u) && u == 1);
  entry = find_entry (reply, "test-stuck");
  g_assert_nonnull (entry);
  g_assert_true (g_variant_lookup (entry, "responsive", "b", &b) && !b);
  g_assert_true (g_variant_lookup (entry, "state", "&s", &s));
  g_assert_cmpstr (s, ==, "suspended");
  g_assert_false (g_variant_lookup (entry, "mailbox", "u", &u));

  /* The request still queued there holds no reference: once finished, the tasklet goes. */
  g_object_add_weak_pointer (G_OBJECT (tasklet), (gpointer *) &tasklet);
  gtasklet_tasklet_cancel (tasklet);
  g_main_context_push_thread_default (stuck);
  test_wait_finished (tasklet, 5000);
  test_assert_cancelled (tasklet);
  g_object_unref (tasklet);
  g_assert_null (tasklet);
  /* The late request runs against a finalized tasklet, then goes. */
  test_drain ();
  g_main_context_pop_thread_default (stuck);
  unexport ();
}

static void
assert_invalid_args (const char *method,
                     GVariant   *parameters,
                     int         code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = call_method (method, parameters, &error);

  g_assert_null (reply);
  g_assert_error (error, G_DBUS_ERROR, code);
}

static void
test_malformed_calls (void)
{
  export ();
  assert_invalid_args ("GetTasklets", g_variant_new ("(s)", "all"), G_DBUS_ERROR_INVALID_ARGS);
  assert_invalid_args ("GetTasklets", NULL, G_DBUS_ERROR_INVALID_ARGS);
  assert_invalid_args ("GetTasklets", g_variant_new_parsed ("({'timeout-ms': <'soon'>},)"),
                       G_DBUS_ERROR_INVALID_ARGS);
  assert_invalid_args ("GetTasklets", g_variant_new_parsed ("({'timeout-ms': <uint32 600000>},)"),
                       G_DBUS_ERROR_INVALID_ARGS);
  assert_invalid_args ("SetStatisticsEnabled", g_variant_new ("(u)", 1), G_DBUS_ERROR_INVALID_ARGS);
  assert_invalid_args ("Frobnicate", NULL, G_DBUS_ERROR_UNKNOWN_METHOD);
  unexport ();
}

static void
test_statistics (void)
{
  g_autoptr (GtaskletTasklet) inbox = gtasklet_tasklet_new (inbox_step, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) entry = NULL;
  g_autoptr (GError) error = NULL;
  guint64 steps;

  export ();
  reply = call_method ("SetStatisticsEnabled", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_true (gtasklet_tasklet_get_statistics_enabled ());

  gtasklet_tasklet_set_name (inbox, "test-counted");
  gtasklet_tasklet_start (inbox);
  g_assert_true (test_send_int (inbox, "job", 1));
  test_drain ();

  reply = get_tasklets (5000);
  entry = find_entry (reply, "test-counted");
  g_assert_nonnull (entry);
  g_assert_true (g_variant_lookup (entry, "steps", "t", &steps));
  g_assert_cmpuint (steps, ==, 2);

  gtasklet_tasklet_set_statistics_enabled (FALSE);
  gtasklet_tasklet_cancel (inbox);
  test_wait_finished (inbox, 5000);
  test_assert_cancelled (inbox);
  unexport ();
}

static void
test_unexport (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;

  export ();
  unexport ();
  reply = call_method ("GetTasklets", g_variant_new_parsed ("(@a{sv} {},)"), &error);
  g_assert_null (reply);
  /* The name is released: nobody owns it any more. */
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
}

static void
connection_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GDBusConnection **connection = user_data;
  g_autoptr (GError) error = NULL;

  *connection = g_dbus_connection_new_finish (result, &error);
  g_assert_no_error (error);
}

/* Two ends of a socket pair, no bus: the program's end has no unique name, so no bus name is
 * owned, and calls carry no destination. */
static void
test_peer_to_peer (void)
{
  g_autoptr (GtaskletTasklet) inbox = gtasklet_tasklet_new (inbox_step, NULL, NULL);
  g_autoptr (GDBusConnection) program_end = NULL;
  g_autoptr (GDBusConnection) tool_end = NULL;
  g_autoptr (GSocket) socket0 = NULL;
  g_autoptr (GSocket) socket1 = NULL;
  g_autoptr (GSocketConnection) stream0 = NULL;
  g_autoptr (GSocketConnection) stream1 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) pid = NULL;
  g_autoptr (GVariant) entry = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  int fds[2];
  guint32 u;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  socket0 = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  socket1 = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  stream0 = g_socket_connection_factory_create_connection (socket0);
  stream1 = g_socket_connection_factory_create_connection (socket1);
  /* The server end authenticates in a thread of GIO's while this one runs the client's. */
  g_dbus_connection_new (G_IO_STREAM (stream0), guid,
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_ALLOW_ANONYMOUS,
                         NULL, NULL, connection_ready, &program_end);
  tool_end = g_dbus_connection_new_sync (G_IO_STREAM (stream1), NULL,
                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                         NULL, NULL, &error);
  g_assert_no_error (error);
  while (program_end == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (gtasklet_debug_export (program_end, &error));
  g_assert_no_error (error);
  gtasklet_tasklet_set_name (inbox, "test-peer");
  gtasklet_tasklet_start (inbox);
  g_assert_true (test_send_int (inbox, "flush", 1));

  reply = call_on (tool_end, NULL, INTERFACE_NAME, "GetTasklets",
                   g_variant_new_parsed ("(@a{sv} {},)"), &error);
  g_assert_no_error (error);
  entry = find_entry (reply, "test-peer");
  g_assert_nonnull (entry);
  g_assert_true (g_variant_lookup (entry, "mailbox", "u", &u));
  g_assert_cmpuint (u, ==, 1);

  pid = call_on (tool_end, NULL, "org.freedesktop.DBus.Properties", "Get",
                 g_variant_new ("(ss)", INTERFACE_NAME, "Pid"), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (pid, G_VARIANT_TYPE ("(v)")));
  {
    g_autoptr (GVariant) value = g_variant_get_child_value (pid, 0);
    g_autoptr (GVariant) inner = g_variant_get_variant (value);

    g_assert_cmpuint (g_variant_get_uint32 (inner), ==, (guint32) getpid ());
  }

  gtasklet_debug_unexport (program_end);
  gtasklet_tasklet_cancel (inbox);
  test_wait_finished (inbox, 5000);
  test_assert_cancelled (inbox);
  g_dbus_connection_close_sync (tool_end, NULL, NULL);
  g_dbus_connection_close_sync (program_end, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GTestDBus) bus = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  client = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, NULL);
  g_assert_nonnull (client);
  bus_name = g_strdup_printf ("org.gnome.Gtasklet.Debug.p%u", (guint) getpid ());

  g_test_add_func ("/gtasklet/debug/lists-tasklets", test_lists_tasklets);
  g_test_add_func ("/gtasklet/debug/blocked-thread", test_blocked_thread);
  g_test_add_func ("/gtasklet/debug/malformed-calls", test_malformed_calls);
  g_test_add_func ("/gtasklet/debug/statistics", test_statistics);
  g_test_add_func ("/gtasklet/debug/unexport", test_unexport);
  g_test_add_func ("/gtasklet/debug/peer-to-peer", test_peer_to_peer);

  status = g_test_run ();

  g_dbus_connection_close_sync (client, NULL, NULL);
  g_clear_object (&client);
  g_free (bus_name);
  g_test_dbus_down (bus);
  return status;
}

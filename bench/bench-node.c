/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Across processes: GtaskletNode against raw GDBus on the same kind of connection.
 *
 * rping   -n round trips, -m 0 peer to peer, 1 through a private bus daemon: a tasklet here
 *         sends "ping" with an int to a handle for an echo tasklet in a child process, which
 *         answers "pong" to the sender; each round trip is timed. Baseline: a Ping(i) → (i)
 *         method call made with g_dbus_connection_call(), the next one from the reply's
 *         callback.
 * rstream -n messages, -m as above: a sender tasklet streams "n" with 0, 1, 2, … to a counter
 *         tasklet in the child (at most STREAM_WINDOW unacknowledged: the counter answers "ack"
 *         with its count every STREAM_ACK messages), then "stop"; the counter answers "count"
 *         with the number it saw, in order. Baseline: the same number of Item(i) signals
 *         emitted at once, then a Count() call whose answer is the number the child saw (the
 *         signals' figure), and the same items as Push(i) calls with STREAM_CALLS unanswered.
 *
 * The child is this process forked before any thread exists: it serves a GDBusServer on a
 * unix socket (peer to peer) or connects to a dbus-daemon started for the run, and is killed
 * at the end, as is the daemon. */

#include "bench-util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtasklet/gtasklet.h>

#define STREAM_WINDOW 16384
#define STREAM_ACK    2048
#define STREAM_CALLS  64

#define RAW_PATH  "/org/gnome/GtaskletBench"
#define RAW_IFACE "org.gnome.GtaskletBench"

static const char raw_xml[] =
  "<node><interface name='" RAW_IFACE "'>"
  "<method name='Ping'><arg type='i' direction='in'/><arg type='i' direction='out'/></method>"
  "<method name='Push'><arg type='i' direction='in'/></method>"
  "<method name='Count'><arg type='u' direction='out'/></method>"
  "<signal name='Item'><arg type='i'/></signal>"
  "</interface></node>";

static const char * const any_name[] = { "*", NULL };

/* The child */

typedef struct
{
  GDBusConnection *connection;
  GtaskletNode    *node;
  GtaskletTasklet *echo;
  GtaskletTasklet *counter;
  int              counter_count;
  guint            raw_signals;
  guint            raw_calls;
  int              ready_fd;
  char            *dir;
} Child;

static gboolean
echo_step (GtaskletTasklet  *tasklet,
           GObject          *event,
           gpointer          user_data,
           GError          **error)
{
  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);

      gtasklet_tasklet_send_int (gtasklet_message_get_sender (message), "pong",
                                 gtasklet_message_get_int (message));
    }
  gtasklet_tasklet_receive (tasklet, any_name, NULL, NULL);
  return TRUE;
}

static gboolean
counter_step (GtaskletTasklet  *tasklet,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  int *count = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      GtaskletTasklet *sender = gtasklet_message_get_sender (message);

      if (g_str_equal (gtasklet_message_get_name (message), "stop"))
        {
          gtasklet_tasklet_send_int (sender, "count", *count);
          *count = 0;
        }
      else
        {
          /* Out of order: the count stops, and the sender's check fails. */
          if (gtasklet_message_get_int (message) == *count)
            (*count)++;
          if (*count % STREAM_ACK == 0)
            gtasklet_tasklet_send_int (sender, "ack", *count);
        }
    }
  gtasklet_tasklet_receive (tasklet, any_name, NULL, NULL);
  return TRUE;
}

static void
raw_method_call (GDBusConnection       *connection,
                 const char            *sender,
                 const char            *object_path,
                 const char            *interface_name,
                 const char            *method_name,
                 GVariant              *parameters,
                 GDBusMethodInvocation *invocation,
                 gpointer               user_data)
{
  Child *child = user_data;

  if (g_str_equal (method_name, "Ping"))
    g_dbus_method_invocation_return_value (invocation, g_variant_ref (parameters));
  else if (g_str_equal (method_name, "Push"))
    {
      child->raw_calls++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      guint count = child->raw_signals > 0 ? child->raw_signals : child->raw_calls;

      child->raw_signals = child->raw_calls = 0;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", count));
    }
}

static void
on_raw_item (GDBusConnection *connection,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  Child *child = user_data;
  int value;

  g_variant_get (parameters, "(i)", &value);
  if ((guint) value == child->raw_signals)
    child->raw_signals++;
}

static void
child_serve (Child           *child,
             GDBusConnection *connection)
{
  static const GDBusInterfaceVTable vtable = { raw_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (raw_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  child->connection = g_object_ref (connection);
  child->node = gtasklet_node_new (connection, &error);
  g_assert_no_error (error);
  child->echo = gtasklet_tasklet_new ((GtaskletRunFunc) echo_step, NULL, NULL);
  gtasklet_tasklet_start (child->echo);
  child->counter = gtasklet_tasklet_new ((GtaskletRunFunc) counter_step,
                                         &child->counter_count, NULL);
  gtasklet_tasklet_start (child->counter);
  if (!gtasklet_node_export (child->node, "echo", child->echo, &error) ||
      !gtasklet_node_export (child->node, "counter", child->counter, &error) ||
      g_dbus_connection_register_object (connection, RAW_PATH, info->interfaces[0], &vtable,
                                         child, NULL, &error) == 0)
    g_error ("bench child: %s", error->message);
  g_dbus_connection_signal_subscribe (connection, NULL, RAW_IFACE, "Item", RAW_PATH, NULL,
                                      G_DBUS_SIGNAL_FLAGS_NONE, on_raw_item, child, NULL);

  line = g_strdup_printf ("READY %s\n", g_dbus_connection_get_unique_name (connection) != NULL
                                        ? g_dbus_connection_get_unique_name (connection) : "-");
  if (write (child->ready_fd, line, strlen (line)) < 0)
    _exit (1);
}

static gboolean
on_new_connection (GDBusServer     *server,
                   GDBusConnection *connection,
                   gpointer         user_data)
{
  Child *child = user_data;

  if (child->connection != NULL)
    return FALSE;
  child_serve (child, connection);
  /* One client: the socket and its directory can go. */
  g_dbus_server_stop (server);
  g_rmdir (child->dir);
  return TRUE;
}

G_NORETURN static void
child_main (const char *bus_address,
            int         ready_fd)
{
  Child child = { 0, };
  g_autoptr(GError) error = NULL;

  child.ready_fd = ready_fd;
  if (bus_address != NULL)
    {
      g_autoptr(GDBusConnection) connection =
        g_dbus_connection_new_for_address_sync (bus_address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);

      if (connection == NULL)
        g_error ("bench child: %s", error->message);
      child_serve (&child, connection);
    }
  else
    {
      g_autofree char *guid = g_dbus_generate_guid ();
      g_autofree char *address = NULL;
      g_autofree char *line = NULL;
      GDBusServer *server;

      child.dir = g_dir_make_tmp ("gtasklet-bench-XXXXXX", &error);
      if (child.dir == NULL)
        g_error ("bench child: %s", error->message);
      address = g_strdup_printf ("unix:dir=%s", child.dir);
      server = g_dbus_server_new_sync (address, G_DBUS_SERVER_FLAGS_NONE, guid,
                                                    NULL, NULL, &error);

      if (server == NULL)
        g_error ("bench child: %s", error->message);
      g_signal_connect (server, "new-connection", G_CALLBACK (on_new_connection), &child);
      g_dbus_server_start (server);
      line = g_strdup_printf ("ADDRESS %s\n", g_dbus_server_get_client_address (server));
      if (write (ready_fd, line, strlen (line)) < 0)
        _exit (1);
    }

  /* Killed by the parent at the end. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}

/* The parent */

typedef struct
{
  const char      *workload;
  const char      *impl;
  GPid             daemon_pid;
  pid_t            child_pid;
  GDBusConnection *connection;
  char            *peer;        /* the child's unique name on the bus; NULL peer to peer */
} Setup;

static char *
read_line (FILE *f)
{
  char buf[4096];

  if (fgets (buf, sizeof buf, f) == NULL)
    return NULL;
  return g_strchomp (g_strdup (buf));
}

static void
setup_start (Setup      *setup,
             const char *workload,
             const char *impl,
             gboolean    bus)
{
  g_autofree char *bus_address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  int fds[2];
  FILE *ready;

  setup->workload = workload;
  setup->impl = impl;
  if (bus)
    {
      const char *argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address=1",
                             NULL };
      int out_fd;
      FILE *out;

      if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                     NULL, &setup->daemon_pid, NULL, &out_fd, NULL, &error))
        bench_check_failed (workload, impl, "cannot start dbus-daemon: %s", error->message);
      out = fdopen (out_fd, "r");
      bus_address = read_line (out);
      if (bus_address == NULL)
        bench_check_failed (workload, impl, "dbus-daemon printed no address");
      fclose (out);
    }

  if (pipe (fds) < 0)
    bench_check_failed (workload, impl, "pipe: %s", g_strerror (errno));
  fflush (stdout);
  setup->child_pid = fork ();
  if (setup->child_pid < 0)
    bench_check_failed (workload, impl, "fork: %s", g_strerror (errno));
  if (setup->child_pid == 0)
    {
      close (fds[0]);
      alarm (0);
      child_main (bus_address, fds[1]);
    }
  close (fds[1]);
  ready = fdopen (fds[0], "r");

  if (bus)
    {
      setup->connection =
        g_dbus_connection_new_for_address_sync (bus_address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
    }
  else
    {
      g_autofree char *address = read_line (ready);

      if (address == NULL || !g_str_has_prefix (address, "ADDRESS "))
        bench_check_failed (workload, impl, "the child serves no address");
      setup->connection =
        g_dbus_connection_new_for_address_sync (address + strlen ("ADDRESS "),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                                NULL, NULL, &error);
    }
  if (setup->connection == NULL)
    bench_check_failed (workload, impl, "cannot connect: %s", error->message);

  line = read_line (ready);
  if (line == NULL || !g_str_has_prefix (line, "READY "))
    bench_check_failed (workload, impl, "the child is not ready");
  setup->peer = bus ? g_strdup (line + strlen ("READY ")) : NULL;
  fclose (ready);
}

static void
setup_stop (Setup *setup)
{
  int status;

  kill (setup->child_pid, SIGTERM);
  waitpid (setup->child_pid, &status, 0);
  g_dbus_connection_close_sync (setup->connection, NULL, NULL);
  g_clear_object (&setup->connection);
  if (setup->daemon_pid != 0)
    {
      kill (setup->daemon_pid, SIGTERM);
      waitpid (setup->daemon_pid, &status, 0);
      g_spawn_close_pid (setup->daemon_pid);
    }
  g_free (setup->peer);
}

static const char *
transport_name (guint m)
{
  return m == 0 ? "p2p" : "bus";
}

static void
report_latency (const char *workload,
                const char *impl,
                guint       m,
                gint64     *rtt,
                guint       n,
                double      wall_s)
{
  BenchLatency lat;

  /* The first round trip also resolves the name: left out. */
  bench_latency (rtt + 1, n - 1, &lat);
  bench_result (workload, impl,
                "n=%u transport=%s wall_s=%.6f rtt_p50_us=%" G_GINT64_FORMAT
                " rtt_p99_us=%" G_GINT64_FORMAT " rtt_max_us=%" G_GINT64_FORMAT
                " rtt_mean_us=%.2f",
                n, transport_name (m), wall_s, lat.p50, lat.p99, lat.max, lat.mean);
}

/* rping, gtasklet */

typedef struct
{
  GtaskletTasklet *remote;
  gint64          *rtt;
  gint64           t0;
  guint            n;
  guint            i;
  guint            remaining;
} Pinger;

static gboolean
pinger_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  static const char * const pong[] = { "pong", NULL };
  Pinger *p = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      if (gtasklet_message_get_int (GTASKLET_MESSAGE (event)) != (int) p->i)
        bench_check_failed ("rping", "gtasklet", "pong %d for ping %u",
                            gtasklet_message_get_int (GTASKLET_MESSAGE (event)), p->i);
      p->rtt[p->i++] = g_get_monotonic_time () - p->t0;
      if (p->i == p->n)
        {
          p->remaining = 0;
          return TRUE;
        }
    }
  p->t0 = g_get_monotonic_time ();
  gtasklet_tasklet_send_int (p->remote, "ping", p->i);
  gtasklet_tasklet_receive (tasklet, pong, NULL, NULL);
  return TRUE;
}

void
bench_gtasklet_rping (const BenchParams *params)
{
  Setup setup = { 0, };
  g_autoptr(GtaskletNode) node = NULL;
  g_autoptr(GtaskletTasklet) pinger = NULL;
  g_autoptr(GError) error = NULL;
  Pinger p = { 0, };
  double t0;

  setup_start (&setup, "rping", "gtasklet", params->m != 0);
  node = gtasklet_node_new (setup.connection, &error);
  g_assert_no_error (error);
  p.remote = gtasklet_node_lookup (node, setup.peer, "echo");
  p.n = MAX (params->n, 2);
  p.rtt = g_new0 (gint64, p.n);
  p.remaining = 1;

  t0 = bench_now_s ();
  pinger = gtasklet_tasklet_new ((GtaskletRunFunc) pinger_step, &p, NULL);
  gtasklet_tasklet_start (pinger);
  bench_run_until_zero (&p.remaining);
  report_latency ("rping", "gtasklet", params->m, p.rtt, p.n, bench_now_s () - t0);

  g_free (p.rtt);
  g_object_unref (p.remote);
  gtasklet_node_close (node);
  setup_stop (&setup);
}

/* rping, raw GDBus */

typedef struct
{
  Setup   *setup;
  gint64  *rtt;
  gint64   t0;
  guint    n;
  guint    i;
  guint    remaining;
} RawPinger;

static void raw_ping (RawPinger *p);

static void
on_raw_pong (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawPinger *p = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  int value;

  if (reply == NULL)
    bench_check_failed ("rping", "glib", "Ping: %s", error->message);
  g_variant_get (reply, "(i)", &value);
  if (value != (int) p->i)
    bench_check_failed ("rping", "glib", "pong %d for ping %u", value, p->i);
  p->rtt[p->i++] = g_get_monotonic_time () - p->t0;
  if (p->i == p->n)
    p->remaining = 0;
  else
    raw_ping (p);
}

static void
raw_ping (RawPinger *p)
{
  p->t0 = g_get_monotonic_time ();
  g_dbus_connection_call (p->setup->connection, p->setup->peer, RAW_PATH, RAW_IFACE, "Ping",
                          g_variant_new ("(i)", (int) p->i), G_VARIANT_TYPE ("(i)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_raw_pong, p);
}

void
bench_glib_rping (const BenchParams *params)
{
  Setup setup = { 0, };
  RawPinger p = { 0, };
  double t0;

  setup_start (&setup, "rping", "glib", params->m != 0);
  p.setup = &setup;
  p.n = MAX (params->n, 2);
  p.rtt = g_new0 (gint64, p.n);
  p.remaining = 1;

  t0 = bench_now_s ();
  raw_ping (&p);
  bench_run_until_zero (&p.remaining);
  report_latency ("rping", "glib", params->m, p.rtt, p.n, bench_now_s () - t0);

  g_free (p.rtt);
  setup_stop (&setup);
}

/* rstream, gtasklet */

typedef struct
{
  GtaskletTasklet *remote;
  guint            n;
  guint            sent;
  guint            acked;
  gboolean         stopped;
  guint            remaining;
} Streamer;

static gboolean
streamer_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  static const char * const answers[] = { "ack", "count", NULL };
  Streamer *s = user_data;

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      int value = gtasklet_message_get_int (message);

      if (g_str_equal (gtasklet_message_get_name (message), "count"))
        {
          if ((guint) value != s->n)
            bench_check_failed ("rstream", "gtasklet", "the counter saw %d of %u in order",
                                value, s->n);
          s->remaining = 0;
          return TRUE;
        }
      s->acked = MAX (s->acked, (guint) value);
    }
  while (s->sent < s->n && s->sent - s->acked < STREAM_WINDOW)
    gtasklet_tasklet_send_int (s->remote, "n", s->sent++);
  if (s->sent == s->n && !s->stopped)
    {
      gtasklet_tasklet_send (s->remote, "stop", NULL);
      s->stopped = TRUE;
    }
  gtasklet_tasklet_receive (tasklet, answers, NULL, NULL);
  return TRUE;
}

void
bench_gtasklet_rstream (const BenchParams *params)
{
  Setup setup = { 0, };
  g_autoptr(GtaskletNode) node = NULL;
  g_autoptr(GtaskletTasklet) streamer = NULL;
  g_autoptr(GError) error = NULL;
  Streamer s = { 0, };
  double t0, c0, wall;

  setup_start (&setup, "rstream", "gtasklet", params->m != 0);
  node = gtasklet_node_new (setup.connection, &error);
  g_assert_no_error (error);
  s.remote = gtasklet_node_lookup (node, setup.peer, "counter");
  s.n = params->n;
  s.remaining = 1;

  t0 = bench_now_s ();
  c0 = bench_cpu_s (NULL, NULL);
  streamer = gtasklet_tasklet_new ((GtaskletRunFunc) streamer_step, &s, NULL);
  gtasklet_tasklet_start (streamer);
  bench_run_until_zero (&s.remaining);
  wall = bench_now_s () - t0;
  bench_result ("rstream", "gtasklet",
                "n=%u transport=%s wall_s=%.6f cpu_s=%.6f msgs_per_s=%.0f ns_per_msg=%.1f",
                s.n, transport_name (params->m), wall, bench_cpu_s (NULL, NULL) - c0,
                s.n / wall, wall * 1e9 / s.n);

  g_object_unref (s.remote);
  gtasklet_node_close (node);
  setup_stop (&setup);
}

/* rstream, raw GDBus */

typedef struct
{
  Setup *setup;
  guint  n;
  guint  sent;
  guint  answered;
  guint  count;
  guint  remaining;
} RawStreamer;

static void
on_count (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  RawStreamer *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  if (reply == NULL)
    bench_check_failed ("rstream", "glib", "Count: %s", error->message);
  g_variant_get (reply, "(u)", &s->count);
  s->remaining = 0;
}

static void raw_push_more (RawStreamer *s);

static void
on_pushed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RawStreamer *s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  if (reply == NULL)
    bench_check_failed ("rstream", "glib", "Push: %s", error->message);
  s->answered++;
  raw_push_more (s);
}

static void
raw_push_more (RawStreamer *s)
{
  while (s->sent < s->n && s->sent - s->answered < STREAM_CALLS)
    g_dbus_connection_call (s->setup->connection, s->setup->peer, RAW_PATH, RAW_IFACE, "Push",
                            g_variant_new ("(i)", (int) s->sent++), NULL,
                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_pushed, s);
  if (s->answered == s->n)
    g_dbus_connection_call (s->setup->connection, s->setup->peer, RAW_PATH, RAW_IFACE, "Count",
                            NULL, G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                            on_count, s);
}

void
bench_glib_rstream (const BenchParams *params)
{
  Setup setup = { 0, };
  g_autoptr(GError) error = NULL;
  RawStreamer s = { 0, };
  double t0, c0, sig_wall, sig_cpu, call_wall;

  setup_start (&setup, "rstream", "glib", params->m != 0);
  s.setup = &setup;
  s.n = params->n;

  /* Signals: all at once, then Count() (after them on the same connection). */
  s.remaining = 1;
  t0 = bench_now_s ();
  c0 = bench_cpu_s (NULL, NULL);
  for (guint i = 0; i < s.n; i++)
    if (!g_dbus_connection_emit_signal (setup.connection, setup.peer, RAW_PATH, RAW_IFACE,
                                        "Item", g_variant_new ("(i)", (int) i), &error))
      bench_check_failed ("rstream", "glib", "Item: %s", error->message);
  g_dbus_connection_call (setup.connection, setup.peer, RAW_PATH, RAW_IFACE, "Count", NULL,
                          G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_count,
                          &s);
  bench_run_until_zero (&s.remaining);
  sig_wall = bench_now_s () - t0;
  sig_cpu = bench_cpu_s (NULL, NULL) - c0;
  if (s.count != s.n)
    bench_check_failed ("rstream", "glib", "the child saw %u of %u signals in order", s.count,
                        s.n);

  /* Calls, STREAM_CALLS unanswered at most. */
  s.remaining = 1;
  s.count = 0;
  t0 = bench_now_s ();
  raw_push_more (&s);
  bench_run_until_zero (&s.remaining);
  call_wall = bench_now_s () - t0;
  if (s.count != s.n)
    bench_check_failed ("rstream", "glib", "the child saw %u of %u calls", s.count, s.n);

  bench_result ("rstream", "glib",
                "n=%u transport=%s wall_s=%.6f cpu_s=%.6f msgs_per_s=%.0f ns_per_msg=%.1f "
                "calls_per_s=%.0f",
                s.n, transport_name (params->m), sig_wall, sig_cpu, s.n / sig_wall,
                sig_wall * 1e9 / s.n, s.n / call_wall);
  setup_stop (&setup);
}

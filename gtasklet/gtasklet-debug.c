/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-debug.h"

#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
# include <sys/syscall.h>
#endif

#include "gtasklet-debug-private.h"
#include "gtasklet-debug-resources.h"
#include "gtasklet-enum-types.h"
#include "gtasklet-scheduler-private.h"
#include "gtasklet-statistics.h"
#include "gtasklet-tasklet-private.h"

/* The debug D-Bus interface, org.gnome.Gtasklet.Debug1 (org.gnome.Gtasklet.Debug1.xml).
 *
 * Why a thread of its own: the interface exists to look at a program that may be stuck. Its
 * calls are served from a context iterated by a dedicated thread, so a blocked main thread
 * cannot stop the answer; only the parts that must be read on a tasklet's own thread (wait
 * set, mailbox, statistics) wait for that thread, and only up to a timeout.
 *
 * Why a well-known name per process (org.gnome.Gtasklet.Debug.p<pid>) rather than only an
 * object on the program's unique name: a tool given a pid finds the program without asking
 * the bus for every connection's pid, and `gtasklet-top --list` is one ListNames call
 * filtered by prefix. The object is reachable through the unique name as well.
 *
 * Nothing here runs unless asked: no thread, no connection, no registration until
 * gtasklet_debug_export() or GTASKLET_DEBUG=dbus. No reference is kept on a tasklet: a
 * request holds weak references, and a tasklet with a weak reference is finalized normally
 * instead of being recycled (gtasklet-tasklet-reuse.c checks its qdata). */

#define OBJECT_PATH        "/org/gnome/Gtasklet/Debug"
#define INTERFACE_NAME     "org.gnome.Gtasklet.Debug1"
#define BUS_NAME_PREFIX    "org.gnome.Gtasklet.Debug.p"
#define XML_RESOURCE       "/org/gnome/Gtasklet/org.gnome.Gtasklet.Debug1.xml"
#define DEFAULT_TIMEOUT_MS 500
#define MAX_TIMEOUT_MS     60000
/* DBUS_NAME_FLAG_DO_NOT_QUEUE and the RequestName replies we accept. */
#define NAME_FLAG_DO_NOT_QUEUE   4
#define NAME_REPLY_PRIMARY_OWNER 1
#define NAME_REPLY_ALREADY_OWNER 4

/* Touched only on the exporter thread (after its creation). */
static GMainContext       *exporter_context;
static GHashTable         *exports;        /* GDBusConnection → registration id */
static GDBusInterfaceInfo *interface_info;

static gpointer
exporter_main (gpointer data)
{
  g_main_context_push_thread_default (exporter_context);
  for (;;)
    g_main_context_iteration (exporter_context, TRUE);
  return NULL;
}

static GMainContext *
exporter_get_context (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      exporter_context = g_main_context_new ();
      /* Lives as long as the process: a debugger must outlast whatever it looks at. */
      g_thread_unref (g_thread_new ("gtasklet-debug", exporter_main, NULL));
      g_once_init_leave (&initialized, 1);
    }
  return exporter_context;
}

typedef struct
{
  GMutex       lock;
  GCond        cond;
  gboolean     done;
  GSourceFunc  func;
  gpointer     data;
} SyncCall;

static gboolean
sync_call_run (gpointer user_data)
{
  SyncCall *call = user_data;

  call->func (call->data);
  g_mutex_lock (&call->lock);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  return G_SOURCE_REMOVE;
}

/* Runs @func on the exporter thread and waits for it: registrations and the name belong to
 * that thread, whose context serves the calls. */
static void
run_on_exporter (GSourceFunc func,
                 gpointer    data)
{
  GMainContext *context = exporter_get_context ();
  SyncCall call = { .func = func, .data = data };

  if (g_main_context_is_owner (context))
    {
      func (data);
      return;
    }

  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  /* Not the thread-default context of any other thread, so this always queues. */
  g_main_context_invoke (context, sync_call_run, &call);
  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
  g_mutex_unlock (&call.lock);
  g_mutex_clear (&call.lock);
  g_cond_clear (&call.cond);
}

/* A snapshot request: what is known about each tasklet from any thread, completed by the
 * tasklets' own threads. */
typedef struct
{
  guint64   id;
  char     *name;
  char     *type;
  int       state;
  GWeakRef  tasklet;
  /* a{sv} filled on the tasklet's thread, under the gather's lock; NULL until then. */
  GVariant *answer;
} Entry;

typedef struct
{
  int                    ref_count;
  GMutex                 lock;
  Entry                 *entries;
  guint                  n_entries;
  guint                  pending;        /* contexts that have not answered, under lock */
  guint                  n_contexts;
  /* The exporter thread's only. */
  GDBusMethodInvocation *invocation;
  GSource               *timeout;
} Gather;

static Gather *
gather_ref (Gather *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
gather_unref (Gather *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  for (guint i = 0; i < self->n_entries; i++)
    {
      g_free (self->entries[i].name);
      g_free (self->entries[i].type);
      g_weak_ref_clear (&self->entries[i].tasklet);
      g_clear_pointer (&self->entries[i].answer, g_variant_unref);
    }
  g_free (self->entries);
  g_mutex_clear (&self->lock);
  g_assert (self->invocation == NULL && self->timeout == NULL);
  g_free (self);
}

/* The work posted to one context: its thread describes the tasklets listed in @indices. */
typedef struct
{
  GtaskletWorkItem   item;
  Gather            *gather;
  GtaskletScheduler *scheduler;
  GArray            *indices;
} ContextRequest;

static void gather_reply (Gather *self);

static gboolean
gather_reply_cb (gpointer data)
{
  gather_reply (data);
  return G_SOURCE_REMOVE;
}

static void
context_request_free (ContextRequest *request)
{
  _gtasklet_scheduler_unref (request->scheduler);
  g_array_unref (request->indices);
  gather_unref (request->gather);
  g_free (request);
}

/* The thread's name and id, as the kernel knows them. */
static void
add_thread (GVariantDict *dict)
{
#ifdef __linux__
  char name[17] = { 0 };

  if (prctl (PR_GET_NAME, name, 0, 0, 0) == 0)
    g_variant_dict_insert (dict, "thread", "s", name);
  g_variant_dict_insert (dict, "tid", "x", (gint64) syscall (SYS_gettid));
#else
  g_variant_dict_insert (dict, "thread", "s", "");
#endif
}

static GVariant *
describe_waits (GtaskletTasklet *tasklet)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (tasklet);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  if (_gtasklet_tasklet_peek_state (tasklet) == GTASKLET_STATE_SUSPENDED && priv->begun)
    {
      GtaskletWaitEntry *items = _gtasklet_wait_set_items (&priv->armed);

      for (guint i = 0; i < priv->armed.len; i++)
        {
          g_autofree char *text = _gtasklet_wait_entry_describe (items[i]);

          g_variant_builder_add (&builder, "s", text);
        }
    }
  return g_variant_builder_end (&builder);
}

/* On the tasklet's own thread: what only that thread may read. */
static GVariant *
describe_on_own_thread (GtaskletTasklet *tasklet)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autofree char *description = gtasklet_tasklet_describe (tasklet);
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (tasklet);

  add_thread (&dict);
  g_variant_dict_insert (&dict, "state", "s", _gtasklet_tasklet_state_nick (_gtasklet_tasklet_peek_state (tasklet)));
  g_variant_dict_insert_value (&dict, "waits", describe_waits (tasklet));
  g_variant_dict_insert (&dict, "mailbox", "u", gtasklet_tasklet_get_n_pending_messages (tasklet));
  g_variant_dict_insert (&dict, "description", "s", description);
  if (priv->extras != NULL && priv->extras->stats != NULL)
    {
      g_autoptr (GtaskletStatistics) stats = gtasklet_tasklet_get_statistics (tasklet);

      g_variant_dict_insert (&dict, "steps", "t", stats->n_steps);
      g_variant_dict_insert (&dict, "total-step-ns", "t", stats->total_step_ns);
      g_variant_dict_insert (&dict, "longest-step-ns", "t", stats->longest_step_ns);
      g_variant_dict_insert (&dict, "sent", "t", stats->n_sent);
      g_variant_dict_insert (&dict, "received", "t", stats->n_received);
      g_variant_dict_insert (&dict, "oldest-message-ms", "x", stats->oldest_message_age_ms);
    }
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static void
context_request_run (GtaskletWorkItem *item,
                     gboolean          run)
{
  ContextRequest *request = (ContextRequest *) item;
  Gather *gather = request->gather;
  gboolean last;

  for (guint i = 0; run && i < request->indices->len; i++)
    {
      Entry *entry = &gather->entries[g_array_index (request->indices, guint, i)];
      g_autoptr (GtaskletTasklet) tasklet = g_weak_ref_get (&entry->tasklet);
      GVariant *answer;

      /* Finalized since the snapshot, so finished. */
      if (tasklet == NULL)
        answer = g_variant_ref_sink (g_variant_new_parsed ("{'state': <'finished'>}"));
      else
        answer = describe_on_own_thread (tasklet);
      g_mutex_lock (&gather->lock);
      entry->answer = answer;
      g_mutex_unlock (&gather->lock);
    }

  g_mutex_lock (&gather->lock);
  last = --gather->pending == 0;
  g_mutex_unlock (&gather->lock);
  if (last)
    g_main_context_invoke_full (exporter_context, G_PRIORITY_DEFAULT, gather_reply_cb,
                                gather_ref (gather), (GDestroyNotify) gather_unref);
  context_request_free (request);
}

static GVariant *
entry_to_variant (Entry *entry)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (entry->answer);
  gboolean answered = entry->answer != NULL;

  g_variant_dict_insert (&dict, "id", "t", entry->id);
  if (entry->name != NULL)
    g_variant_dict_insert (&dict, "name", "s", entry->name);
  g_variant_dict_insert (&dict, "type", "s", entry->type);
  g_variant_dict_insert (&dict, "responsive", "b", answered);
  /* Without an answer, the state read when the request started: taking a reference here
   * could make this thread finalize the tasklet. */
  if (!answered)
    g_variant_dict_insert (&dict, "state", "s", _gtasklet_tasklet_state_nick (entry->state));
  return g_variant_dict_end (&dict);
}

/* Answers the call, on the exporter thread, once: when every context has answered or when
 * the timeout passes, whichever comes first. */
static void
gather_reply (Gather *self)
{
  GVariantBuilder tasklets;
  g_auto (GVariantDict) info = G_VARIANT_DICT_INIT (NULL);
  guint pending;

  if (self->invocation == NULL)
    return;

  g_mutex_lock (&self->lock);
  pending = self->pending;
  g_variant_builder_init (&tasklets, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->n_entries; i++)
    g_variant_builder_add_value (&tasklets, entry_to_variant (&self->entries[i]));
  g_mutex_unlock (&self->lock);

  g_variant_dict_insert (&info, "pid", "u", (guint32) getpid ());
  g_variant_dict_insert (&info, "program", "s", g_get_prgname () != NULL ? g_get_prgname () : "");
  g_variant_dict_insert (&info, "statistics", "b", gtasklet_tasklet_get_statistics_enabled ());
  g_variant_dict_insert (&info, "complete", "b", pending == 0);
  g_variant_dict_insert (&info, "unresponsive-threads", "u", pending);

  g_dbus_method_invocation_return_value (g_steal_pointer (&self->invocation),
                                         g_variant_new ("(aa{sv}@a{sv})", &tasklets,
                                                        g_variant_dict_end (&info)));
  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
}

static gboolean
gather_timeout_cb (gpointer data)
{
  gather_reply (data);
  return G_SOURCE_REMOVE;
}

static void
get_tasklets (GVariant              *parameters,
              GDBusMethodInvocation *invocation)
{
  g_autoptr (GVariant) options = g_variant_get_child_value (parameters, 0);
  g_autoptr (GVariant) timeout_value = g_variant_lookup_value (options, "timeout-ms", NULL);
  g_autoptr (GListModel) live = NULL;
  g_autoptr (GHashTable) requests = NULL;
  guint timeout_ms = DEFAULT_TIMEOUT_MS;
  GHashTableIter iter;
  ContextRequest *request;
  Gather *gather;

  if (timeout_value != NULL)
    {
      if (!g_variant_is_of_type (timeout_value, G_VARIANT_TYPE_UINT32))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "Option “timeout-ms” must be of type “u”, "
                                                 "not “%s”",
                                                 g_variant_get_type_string (timeout_value));
          return;
        }
      timeout_ms = g_variant_get_uint32 (timeout_value);
      if (timeout_ms > MAX_TIMEOUT_MS)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "Option “timeout-ms” must be at most %u",
                                                 MAX_TIMEOUT_MS);
          return;
        }
    }

  live = gtasklet_tasklet_list_live ();
  gather = g_new0 (Gather, 1);
  gather->ref_count = 1;
  g_mutex_init (&gather->lock);
  gather->n_entries = g_list_model_get_n_items (live);
  gather->entries = g_new0 (Entry, gather->n_entries);
  requests = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < gather->n_entries; i++)
    {
      g_autoptr (GtaskletTasklet) tasklet = g_list_model_get_item (live, i);
      /* Safe to read from here: set before the tasklet was listed, released only when it
       * is finalized, and the snapshot holds a reference. */
      GtaskletScheduler *scheduler = _gtasklet_tasklet_get_private (tasklet)->scheduler;
      Entry *entry = &gather->entries[i];

      entry->id = (guint64) (guintptr) tasklet;
      entry->name = g_strdup (gtasklet_tasklet_get_name (tasklet));
      entry->type = g_strdup (G_OBJECT_TYPE_NAME (tasklet));
      entry->state = _gtasklet_tasklet_peek_state (tasklet);
      g_weak_ref_init (&entry->tasklet, tasklet);
      if (scheduler == NULL)
        continue;

      request = g_hash_table_lookup (requests, scheduler);
      if (request == NULL)
        {
          request = g_new0 (ContextRequest, 1);
          request->item.func = context_request_run;
          request->scheduler = _gtasklet_scheduler_ref (scheduler);
          request->indices = g_array_new (FALSE, FALSE, sizeof (guint));
          request->gather = gather_ref (gather);
          g_hash_table_insert (requests, scheduler, request);
        }
      g_array_append_val (request->indices, i);
    }
  /* The snapshot's references go before anything waits. */
  g_clear_object (&live);

  /* The handler's reference on @invocation is ours to hand to the reply. */
  gather->invocation = invocation;
  gather->n_contexts = g_hash_table_size (requests);
  gather->pending = gather->n_contexts;
  gather->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (gather->timeout, gather_timeout_cb, gather_ref (gather),
                         (GDestroyNotify) gather_unref);
  g_source_set_static_name (gather->timeout, "[gtasklet] debug snapshot timeout");
  g_source_attach (gather->timeout, exporter_context);

  g_hash_table_iter_init (&iter, requests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &request))
    if (!_gtasklet_scheduler_post (request->scheduler, &request->item))
      context_request_run (&request->item, FALSE);   /* that context is gone */

  if (gather->n_contexts == 0)
    gather_reply (gather);
  gather_unref (gather);
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  if (g_str_equal (method_name, "GetTasklets"))
    {
      get_tasklets (parameters, invocation);
    }
  else if (g_str_equal (method_name, "SetStatisticsEnabled"))
    {
      gboolean enabled;

      g_variant_get (parameters, "(b)", &enabled);
      gtasklet_tasklet_set_statistics_enabled (enabled);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method “%s”", method_name);
    }
}

static GVariant *
get_property (GDBusConnection  *connection,
              const char       *sender,
              const char       *object_path,
              const char       *interface_name,
              const char       *property_name,
              GError          **error,
              gpointer          user_data)
{
  if (g_str_equal (property_name, "Pid"))
    return g_variant_new_uint32 ((guint32) getpid ());
  if (g_str_equal (property_name, "Program"))
    return g_variant_new_string (g_get_prgname () != NULL ? g_get_prgname () : "");
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No property “%s”", property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = { method_call, get_property, NULL, { 0 } };

static GDBusInterfaceInfo *
get_interface_info (void)
{
  if (interface_info == NULL)
    {
      /* Through the resource itself, not the global namespace: that call also keeps the
       * resource's object in a static link (the tests'), where nothing else refers to it. */
      g_autoptr (GBytes) xml = g_resource_lookup_data (_gtasklet_debug_get_resource (),
                                                       XML_RESOURCE, 0, NULL);
      g_autoptr (GDBusNodeInfo) node = NULL;

      g_assert (xml != NULL);
      node = g_dbus_node_info_new_for_xml (g_bytes_get_data (xml, NULL), NULL);
      g_assert (node != NULL);
      interface_info = g_dbus_node_info_lookup_interface (node, INTERFACE_NAME);
      g_dbus_interface_info_ref (interface_info);
      g_dbus_interface_info_cache_build (interface_info);
    }
  return interface_info;
}

typedef struct
{
  GDBusConnection *connection;
  GError          *error;
  gboolean         ok;
} ExportCall;

static gboolean
export_on_exporter (gpointer data)
{
  ExportCall *call = data;
  GDBusConnection *connection = call->connection;
  guint id;

  if (exports == NULL)
    exports = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  if (g_hash_table_contains (exports, connection))
    {
      call->ok = TRUE;
      return G_SOURCE_REMOVE;
    }

  id = g_dbus_connection_register_object (connection, OBJECT_PATH, get_interface_info (),
                                          &vtable, NULL, NULL, &call->error);
  if (id == 0)
    return G_SOURCE_REMOVE;

  /* A peer-to-peer connection has no bus, so no name to own. Synchronously, so a caller (and
   * a test) can rely on the name once gtasklet_debug_export() has returned. */
  if (g_dbus_connection_get_unique_name (connection) != NULL)
    {
      g_autofree char *name = g_strdup_printf (BUS_NAME_PREFIX "%u", (guint) getpid ());
      g_autoptr (GVariant) reply = NULL;
      guint32 result;

      reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "RequestName",
                                           g_variant_new ("(su)", name, NAME_FLAG_DO_NOT_QUEUE),
                                           G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &call->error);
      if (reply == NULL)
        {
          g_dbus_connection_unregister_object (connection, id);
          return G_SOURCE_REMOVE;
        }
      g_variant_get (reply, "(u)", &result);
      if (result != NAME_REPLY_PRIMARY_OWNER && result != NAME_REPLY_ALREADY_OWNER)
        {
          g_set_error (&call->error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "The bus name %s is owned by another connection", name);
          g_dbus_connection_unregister_object (connection, id);
          return G_SOURCE_REMOVE;
        }
    }

  g_hash_table_insert (exports, g_object_ref (connection), GUINT_TO_POINTER (id));
  call->ok = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
unexport_on_exporter (gpointer data)
{
  GDBusConnection *connection = data;
  guint id;

  if (exports == NULL || !g_hash_table_contains (exports, connection))
    return G_SOURCE_REMOVE;

  id = GPOINTER_TO_UINT (g_hash_table_lookup (exports, connection));
  g_dbus_connection_unregister_object (connection, id);
  if (g_dbus_connection_get_unique_name (connection) != NULL &&
      !g_dbus_connection_is_closed (connection))
    {
      g_autofree char *name = g_strdup_printf (BUS_NAME_PREFIX "%u", (guint) getpid ());
      g_autoptr (GVariant) reply = NULL;

      /* Waited for, so that once unexport returns no tool finds the name; a bus that does
       * not answer within a second is not worth waiting for longer. */
      reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "ReleaseName", g_variant_new ("(s)", name), NULL,
                                           G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
    }
  g_hash_table_remove (exports, connection);
  return G_SOURCE_REMOVE;
}

/**
 * gtasklet_debug_export:
 * @connection: (nullable): a [class@Gio.DBusConnection], or %NULL for the session bus
 * @error: return location for a #GError
 *
 * Exports the debug interface `org.gnome.Gtasklet.Debug1` at `/org/gnome/Gtasklet/Debug` on
 * @connection, so that tools such as `gtasklet-top` can list the process's tasklets (see
 * [func@Gtasklet.Tasklet.list_live]) with their name, type, thread, state, waits, mailbox
 * depth and [struct@Gtasklet.Statistics]. On a message bus the process also owns the name
 * `org.gnome.Gtasklet.Debug.p<pid>`. Setting the environment variable `GTASKLET_DEBUG` to a
 * value containing `dbus` exports on the session bus when the first tasklet is created.
 *
 * The calls are served by a thread of gtasklet's own, so a program whose main thread is
 * blocked still answers; each tasklet is described on its own thread, and a tasklet whose
 * thread does not answer in time is reported with what is known without it. Nothing of this
 * exists until the first export. Exporting twice on the same connection does nothing.
 *
 * The interface is meant for debugging: it shows the names of tasklets and their waits to
 * whoever may call the connection. Do not export it in production on a shared bus.
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE on success, %FALSE with @error set if the connection could not be obtained,
 *   the object path is taken, or the bus name is owned by another connection
 *
 * Since: 1.2
 */
gboolean
gtasklet_debug_export (GDBusConnection  *connection,
                       GError          **error)
{
  g_autoptr (GDBusConnection) bus = NULL;
  ExportCall call = { NULL, NULL, FALSE };

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (connection == NULL)
    {
      bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
      if (bus == NULL)
        return FALSE;
      connection = bus;
    }

  call.connection = connection;
  run_on_exporter (export_on_exporter, &call);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.ok;
}

/**
 * gtasklet_debug_unexport:
 * @connection: a [class@Gio.DBusConnection] given to [func@Gtasklet.debug_export]
 *
 * Withdraws the debug interface from @connection and releases the bus name, if
 * [func@Gtasklet.debug_export] exported it there; otherwise does nothing. When it returns,
 * the name is released (unless the bus did not answer within a second). Calls being
 * answered meanwhile still get their answer.
 *
 * This function is thread-safe.
 *
 * Since: 1.2
 */
void
gtasklet_debug_unexport (GDBusConnection *connection)
{
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));

  run_on_exporter (unexport_on_exporter, connection);
}

static gboolean
export_from_env (gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (!gtasklet_debug_export (NULL, &error))
    g_warning ("GTASKLET_DEBUG=dbus: cannot export the debug interface: %s", error->message);
  return G_SOURCE_REMOVE;
}

/* By the tasklet's class_init: the environment is read once, and with `dbus` in it the export
 * happens on the exporter thread, since class_init must not wait for the bus. */
void
_gtasklet_debug_init_from_env (void)
{
  const char *debug = g_getenv ("GTASKLET_DEBUG");

  if (debug == NULL || strstr (debug, "dbus") == NULL)
    return;
  g_main_context_invoke (exporter_get_context (), export_from_env, NULL);
}

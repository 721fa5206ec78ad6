/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"
#include "gtasklet-node-private.h"

/**
 * GtaskletNode:
 *
 * Tasklets of this process, reachable from other processes over D-Bus, and handles to
 * theirs.
 *
 * A node serves the `org.gnome.Gtasklet.Node1` interface on one `GDBusConnection`: a bus
 * connection (session or system), where it talks to the nodes of other processes on the same
 * bus by their unique names, or a peer-to-peer connection (from `GDBusServer`, or
 * `g_dbus_connection_new_for_address()`), where it talks to the one node at the other end.
 *
 * [method@Gtasklet.Node.export] makes a tasklet reachable under a name;
 * [method@Gtasklet.Node.lookup] in another process returns a handle to it: a
 * [class@Gtasklet.Tasklet] of this process that stands for the remote one. Send to the handle
 * and the message crosses; monitor it, link to it or join it as any tasklet, and the remote
 * tasklet's end reaches you as its end. A message that crosses names its sender by a handle
 * on the receiving side, so replies work the same way. [method@Gtasklet.Node.spawn] asks the
 * other process to make a tasklet with a factory it registered
 * ([method@Gtasklet.Node.add_factory]): that is how a [class@Gtasklet.Supervisor] restarts a
 * worker living in another process.
 *
 * Delivery: the messages from one process to another keep their order (items are numbered,
 * and a gap refuses the batch); they travel in batches, paced by credit: at most a window of
 * items is unacknowledged, and a receiver that has no room (a destination with its window of
 * messages waiting) acknowledges late, so that a slow receiver holds its senders' messages in
 * their own processes instead of in the bus daemon; a sender can wait for room with
 * [method@Gtasklet.Node.wait_for_room]. Acknowledgements travel inside the calls going the
 * other way, so a message and its reply cost one D-Bus message each way. A handle finishes with `GTASKLET_ERROR_NO_CONNECTION` when
 * the other process goes away or the connection closes; with `GTASKLET_ERROR_UNKNOWN_TASKLET`
 * when the name is not exported there; otherwise with the remote tasklet's own outcome.
 *
 * Values cross as the node's wire format says: fundamental types, strings, `GVariant`,
 * `GBytes`, string arrays, enums and flags, and file descriptors in a `GUnixFDList`. A
 * message whose value cannot cross is not sent: the send returns %FALSE, and the sending
 * tasklet fails with `GTASKLET_ERROR_NOT_SERIALIZABLE`.
 *
 * A node belongs to the thread whose thread-default main context was current when it was
 * made: call its methods there. Sending to a handle works from any thread.
 *
 * Since: 1.2
 */

/**
 * GtaskletNodeClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.Node], a final type.
 *
 * Since: 1.2
 */

typedef struct
{
  GtaskletNodeFactory func;
  gpointer            user_data;
  GDestroyNotify      destroy;
} FactoryEntry;

enum
{
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (GtaskletNode, gtasklet_node, G_TYPE_OBJECT)

static void
factory_entry_free (gpointer data)
{
  FactoryEntry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  g_free (entry);
}

/* Flushing: one source, made ready from any thread when something is queued. */

static gboolean
flush_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs flush_funcs = { NULL, NULL, flush_dispatch, NULL, NULL, NULL };

/* A source that runs when made ready (g_source_set_ready_time (source, 0), from any thread). */
static GSource *
ready_source_new (GtaskletNode *self,
                  const char   *name,
                  int           priority,
                  GSourceFunc   func)
{
  GSource *source = g_source_new (&flush_funcs, sizeof (GSource));

  g_source_set_static_name (source, name);
  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

/* A reference on each of the node's peers, taken under the lock. */
GPtrArray *
_gtasklet_node_peers_locked (GtaskletNode *self)
{
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) _gtasklet_node_peer_unref);
  GHashTableIter iter;
  gpointer peer;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &peer))
    g_ptr_array_add (peers, _gtasklet_node_peer_ref (peer));
  return peers;
}

/* Runs @func on every peer (each checks, under the lock, whether it has anything to do). */
static void
for_each_peer (GtaskletNode *self,
               GSource      *source,
               void        (*func) (GtaskletNodePeer *peer))
{
  g_autoptr(GPtrArray) peers = NULL;

  g_mutex_lock (&self->lock);
  g_source_set_ready_time (source, -1);
  peers = _gtasklet_node_peers_locked (self);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < peers->len; i++)
    func (g_ptr_array_index (peers, i));
}

static gboolean
flush_all (gpointer user_data)
{
  GtaskletNode *self = user_data;

  for_each_peer (self, self->flush_source, _gtasklet_node_peer_flush);
  return G_SOURCE_CONTINUE;
}

void
_gtasklet_node_wake_locked (GtaskletNode *self)
{
  if (self->flush_source != NULL)
    g_source_set_ready_time (self->flush_source, 0);
}

/* Credit owed to a peer goes back in the next batch of items to it, or alone from this
 * source, whose priority is below the steps' and the flush's: by the time it runs, a reply
 * to what arrived has usually left with the credit in it. */
static gboolean
send_credits (gpointer user_data)
{
  GtaskletNode *self = user_data;

  for_each_peer (self, self->credit_source, _gtasklet_node_peer_send_credit);
  return G_SOURCE_CONTINUE;
}

void
_gtasklet_node_credit_soon_locked (GtaskletNode *self)
{
  if (self->credit_source != NULL)
    g_source_set_ready_time (self->credit_source, 0);
}

/* Peers */

static void
on_connection_closed (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      gpointer         user_data)
{
  gtasklet_node_close (GTASKLET_NODE (user_data));
}

/* The peer named @name (ignored peer to peer), made if new. Node thread. */
GtaskletNodePeer *
_gtasklet_node_get_peer (GtaskletNode *self,
                         const char   *name)
{
  GtaskletNodePeer *peer;

  g_mutex_lock (&self->lock);
  peer = g_hash_table_lookup (self->peers, self->peer_to_peer ? "" : name);
  if (peer == NULL)
    {
      peer = _gtasklet_node_peer_new (self, self->peer_to_peer ? NULL : name);
      g_hash_table_insert (self->peers, g_strdup (self->peer_to_peer ? "" : name), peer);
    }
  _gtasklet_node_peer_ref (peer);
  g_mutex_unlock (&self->lock);
  return peer;
}

/* Object */

static const GDBusInterfaceVTable node_vtable = { _gtasklet_node_handle_call, NULL, NULL, { 0 } };

static GDBusInterfaceInfo *
node_interface_info (void)
{
  static gsize info;

  if (g_once_init_enter (&info))
    {
      g_autoptr(GBytes) xml = g_resources_lookup_data ("/org/gnome/Gtasklet/org.gnome.Gtasklet.Node1.xml",
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      g_once_init_leave (&info, (gsize) g_dbus_node_info_new_for_xml (g_bytes_get_data (xml, NULL), NULL));
    }
  return g_dbus_node_info_lookup_interface ((GDBusNodeInfo *) info, NODE_INTERFACE);
}

static void
gtasklet_node_dispose (GObject *object)
{
  gtasklet_node_close (GTASKLET_NODE (object));
  G_OBJECT_CLASS (gtasklet_node_parent_class)->dispose (object);
}

static void
gtasklet_node_finalize (GObject *object)
{
  GtaskletNode *self = GTASKLET_NODE (object);

  g_hash_table_unref (self->peers);
  g_hash_table_unref (self->registrations);
  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->exports);
  g_hash_table_unref (self->factories);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (gtasklet_node_parent_class)->finalize (object);
}

static void
gtasklet_node_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GtaskletNode *self = GTASKLET_NODE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_node_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GtaskletNode *self = GTASKLET_NODE (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_node_class_init (GtaskletNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gtasklet_node_dispose;
  object_class->finalize = gtasklet_node_finalize;
  object_class->get_property = gtasklet_node_get_property;
  object_class->set_property = gtasklet_node_set_property;

  /**
   * GtaskletNode:connection:
   *
   * The D-Bus connection the node serves and talks on.
   *
   * Since: 1.2
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_node_init (GtaskletNode *self)
{
  g_mutex_init (&self->lock);
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) _gtasklet_node_peer_unref);
  self->registrations = g_hash_table_new (NULL, NULL);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->exports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->factories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, factory_entry_free);
  /* D-Bus's own limit on a message is 128 MiB; a batch holds several values. */
  self->max_message_size = 16 * 1024 * 1024;
  self->window = 1024;
}

/**
 * gtasklet_node_new:
 * @connection: the D-Bus connection to serve and talk on
 * @error: where to put the reason if the interface cannot be served
 *
 * Makes a node on @connection: it serves `org.gnome.Gtasklet.Node1` at
 * `/org/gnome/Gtasklet/Node1` and belongs to the calling thread's thread-default main
 * context (the global default if none), where it must be used. One node per connection.
 *
 * Returns: (transfer full): a new node, or %NULL with @error set (another node already
 *   serves the connection)
 *
 * Since: 1.2
 */
GtaskletNode *
gtasklet_node_new (GDBusConnection  *connection,
                   GError          **error)
{
  g_autoptr(GtaskletNode) self = NULL;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (GTASKLET_TYPE_NODE, "connection", connection, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->peer_to_peer = g_dbus_connection_get_unique_name (connection) == NULL;
  self->object_id = g_dbus_connection_register_object (connection, NODE_OBJECT_PATH,
                                                       node_interface_info (), &node_vtable,
                                                       self, NULL, error);
  if (self->object_id == 0)
    return NULL;

  self->flush_source = ready_source_new (self, "[gtasklet] node flush", G_PRIORITY_DEFAULT,
                                         flush_all);
  self->credit_source = ready_source_new (self, "[gtasklet] node credit",
                                          G_PRIORITY_DEFAULT + 1, send_credits);
  self->closed_handler = g_signal_connect (connection, "closed",
                                           G_CALLBACK (on_connection_closed), self);
  return g_steal_pointer (&self);
}

/**
 * gtasklet_node_get_connection: (get-property connection)
 * @self: a [class@Gtasklet.Node]
 *
 * Gets the connection @self serves.
 *
 * This function is thread-safe.
 *
 * Returns: (transfer none): the connection
 *
 * Since: 1.2
 */
GDBusConnection *
gtasklet_node_get_connection (GtaskletNode *self)
{
  g_return_val_if_fail (GTASKLET_IS_NODE (self), NULL);

  return self->connection;
}

/**
 * gtasklet_node_export:
 * @self: a [class@Gtasklet.Node]
 * @name: the name other processes will look the tasklet up by
 * @tasklet: the [class@Gtasklet.Tasklet], on any thread
 * @error: where to put the reason if the name is taken
 *
 * Makes @tasklet reachable from other processes as @name, until it finishes or
 * [method@Gtasklet.Node.unexport]. A handle already given out keeps pointing at @tasklet
 * even if the name is later exported for another one (as a supervisor restarting it does).
 *
 * Must be called on the node's thread.
 *
 * Returns: %TRUE, or %FALSE with @error set (`G_IO_ERROR_EXISTS`) if @name is exported
 *   already
 *
 * Since: 1.2
 */
gboolean
gtasklet_node_export (GtaskletNode     *self,
                      const char       *name,
                      GtaskletTasklet  *tasklet,
                      GError          **error)
{
  GtaskletNodeRegistration *registration;
  gboolean exported = FALSE;

  g_return_val_if_fail (GTASKLET_IS_NODE (self), FALSE);
  g_return_val_if_fail (name != NULL && name[0] != '\0' && name[0] != '#' && name[0] != '@', FALSE);
  g_return_val_if_fail (GTASKLET_IS_TASKLET (tasklet), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (g_hash_table_contains (self->exports, name))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 "A tasklet is exported as “%s” already", name);
  else if ((registration = _gtasklet_node_register_locked (self, tasklet)) == NULL)
    g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_UNKNOWN_TASKLET,
                 "Cannot export %s %p as “%s”: it has finished",
                 G_OBJECT_TYPE_NAME (tasklet), tasklet, name);
  else
    exported = g_hash_table_insert (self->exports, g_strdup (name), g_strdup (registration->key));
  g_mutex_unlock (&self->lock);
  return exported;
}

/**
 * gtasklet_node_unexport:
 * @self: a [class@Gtasklet.Node]
 * @name: an exported name
 *
 * Withdraws @name: later lookups of it fail with `GTASKLET_ERROR_UNKNOWN_TASKLET`. Handles
 * already given out keep working while the tasklet runs.
 *
 * Must be called on the node's thread.
 *
 * Returns: whether @name was exported
 *
 * Since: 1.2
 */
gboolean
gtasklet_node_unexport (GtaskletNode *self,
                        const char   *name)
{
  gboolean removed;

  g_return_val_if_fail (GTASKLET_IS_NODE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_mutex_lock (&self->lock);
  removed = g_hash_table_remove (self->exports, name);
  g_mutex_unlock (&self->lock);
  return removed;
}

/**
 * gtasklet_node_add_factory:
 * @self: a [class@Gtasklet.Node]
 * @name: the name other processes spawn by
 * @factory: (scope notified) (closure user_data) (destroy destroy): makes the tasklets
 * @user_data: data for @factory
 * @destroy: frees @user_data when the factory is replaced or the node goes
 *
 * Lets other processes make tasklets here with [method@Gtasklet.Node.spawn]. A tasklet made
 * for a process is cancelled if that process goes away. Adding a factory under a name that
 * has one replaces it.
 *
 * Must be called on the node's thread.
 *
 * Since: 1.2
 */
void
gtasklet_node_add_factory (GtaskletNode        *self,
                           const char          *name,
                           GtaskletNodeFactory  factory,
                           gpointer             user_data,
                           GDestroyNotify       destroy)
{
  FactoryEntry *entry;

  g_return_if_fail (GTASKLET_IS_NODE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (factory != NULL);

  entry = g_new0 (FactoryEntry, 1);
  entry->func = factory;
  entry->user_data = user_data;
  entry->destroy = destroy;
  g_hash_table_replace (self->factories, g_strdup (name), entry);
}

/* Makes a tasklet for @peer with the factory @name: NULL with @error set if it cannot. */
GtaskletTasklet *
_gtasklet_node_spawn_local (GtaskletNode  *self,
                            const char    *name,
                            GVariant      *args,
                            GError       **error)
{
  FactoryEntry *entry = g_hash_table_lookup (self->factories, name);
  GtaskletTasklet *tasklet;

  if (entry == NULL)
    {
      g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_UNKNOWN_TASKLET,
                   "No factory is named “%s” here", name);
      return NULL;
    }
  tasklet = entry->func (args, entry->user_data, error);
  if (tasklet == NULL && error != NULL && *error == NULL)
    g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_FAILED,
                 "The factory “%s” made no tasklet", name);
  if (tasklet != NULL && gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_NEW)
    gtasklet_tasklet_start (tasklet);
  return tasklet;
}

/* A bus node needs the peer's unique name (a well-known name may change hands between two
 * messages); a peer-to-peer node has one peer and takes NULL. */
static gboolean
check_peer (GtaskletNode *self,
            const char   *peer,
            const char   *function)
{
  if (self->peer_to_peer && peer != NULL)
    {
      g_critical ("%s() was given the peer “%s” on a peer-to-peer connection, which has one "
                  "peer: pass NULL", function, peer);
      return FALSE;
    }
  if (!self->peer_to_peer && (peer == NULL || !g_dbus_is_unique_name (peer)))
    {
      g_critical ("%s() was given %s%s%s instead of a unique bus name (such as “:1.42”): "
                  "find a well-known name's owner with g_bus_watch_name() or GetNameOwner",
                  function, peer != NULL ? "“" : "", peer != NULL ? peer : "NULL",
                  peer != NULL ? "”" : "");
      return FALSE;
    }
  return TRUE;
}

static GtaskletTasklet *
new_handle (GtaskletNode         *self,
            const char           *peer_name,
            GtaskletNodeItemKind  kind,
            const char           *what,
            GVariant             *args)
{
  g_autoptr(GVariant) payload = NULL;
  GtaskletNodePeer *peer;
  GtaskletTasklet *handle;
  gboolean closed;
  char alias[32];

  if (args != NULL)
    {
      GValue value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_VARIANT);
      g_value_set_variant (&value, args);
      payload = _gtasklet_node_value_encode (&value, NULL, 0, NULL);
      g_value_unset (&value);
    }

  peer = _gtasklet_node_get_peer (self, peer_name);
  g_mutex_lock (&self->lock);
  g_snprintf (alias, sizeof alias, "@%" G_GUINT64_FORMAT, ++self->next_alias);
  handle = g_object_ref (_gtasklet_node_peer_proxy_locked (peer, alias, NULL));
  _gtasklet_node_peer_push_locked (peer, kind, what, alias, "",
                                   payload != NULL ? g_variant_ref (payload) : NULL, NULL);
  _gtasklet_node_wake_locked (self);
  closed = self->closed;
  g_mutex_unlock (&self->lock);
  _gtasklet_node_peer_unref (peer);

  /* A closed node still gives a handle, which has ended: as if the peer had gone. */
  if (closed)
    _gtasklet_tasklet_end_forwarding (handle, NULL,
                                      g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION,
                                                   "The gtasklet node was closed"));
  return handle;
}

/**
 * gtasklet_node_lookup:
 * @self: a [class@Gtasklet.Node]
 * @peer: (nullable): the unique bus name of the other process (as `GDBusConnection` and
 *   `g_bus_watch_name()` report it), or %NULL on a peer-to-peer connection
 * @name: the name the tasklet is exported under there
 *
 * Gets a handle to the tasklet exported as @name by the node of @peer, at once: messages
 * sent to it meanwhile are queued. If nothing is exported under @name there, the handle
 * finishes with `GTASKLET_ERROR_UNKNOWN_TASKLET`; if @peer is not there (or goes away), with
 * `GTASKLET_ERROR_NO_CONNECTION`.
 *
 * The handle is a [class@Gtasklet.Tasklet] that never runs a step here: send to it, monitor
 * it, link to it, join it; its result is the remote tasklet's, if that can cross. It cannot
 * be started. Cancelling it cancels the remote tasklet.
 *
 * Must be called on the node's thread.
 *
 * Returns: (transfer full): the handle
 *
 * Since: 1.2
 */
GtaskletTasklet *
gtasklet_node_lookup (GtaskletNode *self,
                      const char   *peer,
                      const char   *name)
{
  g_return_val_if_fail (GTASKLET_IS_NODE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (!check_peer (self, peer, G_STRFUNC))
    return NULL;

  return new_handle (self, peer, NODE_ITEM_HOLD, name, NULL);
}

/**
 * gtasklet_node_spawn:
 * @self: a [class@Gtasklet.Node]
 * @peer: (nullable): the unique bus name of the other process, or %NULL on a
 *   peer-to-peer connection
 * @factory: the name of a factory there ([method@Gtasklet.Node.add_factory])
 * @args: (nullable): arguments for the factory
 *
 * Asks the node of @peer to make a tasklet with @factory, and gets a handle to it at once,
 * as [method@Gtasklet.Node.lookup] does. The tasklet is cancelled if this process goes away.
 * If there is no such factory, or it fails, the handle finishes with its error.
 *
 * A [class@Gtasklet.Supervisor] child function that returns this restarts a worker that
 * lives in another process.
 *
 * Must be called on the node's thread.
 *
 * Returns: (transfer full): the handle
 *
 * Since: 1.2
 */
GtaskletTasklet *
gtasklet_node_spawn (GtaskletNode *self,
                     const char   *peer,
                     const char   *factory,
                     GVariant     *args)
{
  g_autoptr(GVariant) sunk = args != NULL ? g_variant_ref_sink (args) : NULL;

  g_return_val_if_fail (GTASKLET_IS_NODE (self), NULL);
  g_return_val_if_fail (factory != NULL, NULL);
  if (!check_peer (self, peer, G_STRFUNC))
    return NULL;

  return new_handle (self, peer, NODE_ITEM_SPAWN, factory, sunk);
}

/**
 * gtasklet_node_is_remote:
 * @self: a [class@Gtasklet.Node]
 * @tasklet: a [class@Gtasklet.Tasklet]
 *
 * Tells whether @tasklet is one of @self's handles to a tasklet in another process.
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE for a handle of @self's
 *
 * Since: 1.2
 */
gboolean
gtasklet_node_is_remote (GtaskletNode    *self,
                         GtaskletTasklet *tasklet)
{
  g_return_val_if_fail (GTASKLET_IS_NODE (self), FALSE);
  g_return_val_if_fail (GTASKLET_IS_TASKLET (tasklet), FALSE);

  return _gtasklet_tasklet_is_forwarding (tasklet) &&
         g_object_get_data (G_OBJECT (tasklet), "gtasklet-node") == self;
}

/**
 * gtasklet_node_close:
 * @self: a [class@Gtasklet.Node]
 *
 * Stops serving: every handle of @self's finishes with `GTASKLET_ERROR_NO_CONNECTION`, the
 * tasklets other processes spawned here are cancelled, and the interface is withdrawn. The
 * connection stays open. Closing twice does nothing more. A node closes by itself when its
 * connection closes, and when it is finalized.
 *
 * Must be called on the node's thread.
 *
 * Since: 1.2
 */
void
gtasklet_node_close (GtaskletNode *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  GHashTableIter iter;
  gpointer peer;

  g_return_if_fail (GTASKLET_IS_NODE (self));

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->closed = TRUE;
  peers = _gtasklet_node_peers_locked (self);
  g_mutex_unlock (&self->lock);

  error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION,
                       "The gtasklet node on this connection was closed");
  for (guint i = 0; i < peers->len; i++)
    _gtasklet_node_peer_lose (g_ptr_array_index (peers, i), error);

  if (self->object_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->object_id);
  self->object_id = 0;
  g_clear_signal_handler (&self->closed_handler, self->connection);
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  if (self->credit_source != NULL)
    {
      g_source_destroy (self->credit_source);
      g_clear_pointer (&self->credit_source, g_source_unref);
    }
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }

  /* The registrations stay until their tasklets end: their watches point at them. */
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->registrations);
  while (g_hash_table_iter_next (&iter, &peer, NULL))
    {
      GtaskletNodeRegistration *registration = g_hash_table_lookup (self->registrations, peer);

      if (_gtasklet_tasklet_remove_finish_watch (registration->tasklet, &registration->watch))
        {
          g_hash_table_iter_remove (&iter);
          g_hash_table_remove (self->by_key, registration->key);
          _gtasklet_node_registration_free (registration);
        }
    }
  g_hash_table_remove_all (self->exports);
  g_mutex_unlock (&self->lock);
}

/* The node a handle belongs to is set as object data by the peer that made it. */
G_STATIC_ASSERT (sizeof (guint64) == 8);

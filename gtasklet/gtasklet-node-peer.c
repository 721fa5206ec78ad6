/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtasklet-error.h"
#include "gtasklet-node-private.h"

/* One peer of a node: the other end of a peer-to-peer connection, or one unique name on a
 * bus. Outbound, items queue in order (from any thread, under the node's lock) and leave in
 * numbered batches, one Deliver() call each, while fewer than the window of items are
 * unacknowledged: the receiver gives credit back (in its own calls) when its tasklets have
 * room, so a slow receiver keeps the items here, in the sender's process, not in the bus
 * daemon (whose queue, on the system bus, holds at most 128 pending calls per connection).
 * The handles (forwarding tasklets) for the peer's tasklets live here too, keyed by the key
 * the peer uses for each. */

#define BATCH_ITEMS     512

typedef struct
{
  GWeakRef          node;
  GtaskletNodePeer *peer;
  /* The key the peer knows the tasklet by: the name this process gave it ("@<n>") until
   * the peer resolves it to the tasklet's own key ("#<id>"). Under the node's lock. */
  char             *key;
} HandleData;

/* The first Deliver() call to a peer, on its way. It holds the node: the answer may come
 * after the node's owner let go of it (it then finds the peer lost). */
typedef struct
{
  GtaskletNode     *node;
  GtaskletNodePeer *peer;
} Batch;

void
_gtasklet_node_item_free (GtaskletNodeItem *item)
{
  g_free (item->dest);
  g_free (item->sender);
  g_free (item->name);
  g_clear_pointer (&item->payload, g_variant_unref);
  g_clear_object (&item->fds);
  g_free (item);
}

static void
on_owner_changed (GDBusConnection *connection,
                  const char      *sender_name,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *signal_name,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  GtaskletNodePeer *self = user_data;
  const char *name, *old_owner, *new_owner;

  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  if (new_owner[0] == '\0')
    {
      g_autoptr(GError) error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION,
                                             "The process %s left the bus", name);

      _gtasklet_node_peer_lose (self, error);
    }
}

/* Node thread (the owner watch calls back there). */
GtaskletNodePeer *
_gtasklet_node_peer_new (GtaskletNode *node,
                         const char   *name)
{
  GtaskletNodePeer *self = g_new0 (GtaskletNodePeer, 1);

  self->refs = 1;
  self->node = node;
  self->name = g_strdup (name);
  self->proxies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->spawned = g_ptr_array_new_with_free_func (g_object_unref);
  self->room_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  if (name != NULL)
    self->owner_watch =
      g_dbus_connection_signal_subscribe (node->connection, "org.freedesktop.DBus",
                                          "org.freedesktop.DBus", "NameOwnerChanged",
                                          "/org/freedesktop/DBus", name,
                                          G_DBUS_SIGNAL_FLAGS_NONE, on_owner_changed,
                                          self, NULL);
  return self;
}

GtaskletNodePeer *
_gtasklet_node_peer_ref (GtaskletNodePeer *self)
{
  g_atomic_int_inc (&self->refs);
  return self;
}

void
_gtasklet_node_peer_unref (GtaskletNodePeer *self)
{
  if (!g_atomic_int_dec_and_test (&self->refs))
    return;
  g_queue_clear_full (&self->outbound, (GDestroyNotify) _gtasklet_node_item_free);
  g_hash_table_unref (self->proxies);
  g_hash_table_unref (self->aliases);
  g_hash_table_unref (self->held);
  g_ptr_array_unref (self->spawned);
  g_ptr_array_unref (self->room_waiters);
  g_clear_pointer (&self->channel, _gtasklet_node_channel_free);
  g_free (self->name);
  g_free (self);
}

/* Queues an item (its strings copied, @payload and @fds taken; @payload may be floating). A
 * lost peer drops it: nobody is there to read it, and its handles have ended. */
void
_gtasklet_node_peer_push_locked (GtaskletNodePeer     *self,
                                 GtaskletNodeItemKind  kind,
                                 const char           *dest,
                                 const char           *sender,
                                 const char           *name,
                                 GVariant             *payload,
                                 GUnixFDList          *fds)
{
  GtaskletNodeItem *item;

  if (payload != NULL)
    g_variant_take_ref (payload);
  if (self->lost || self->node->closed)
    {
      g_clear_pointer (&payload, g_variant_unref);
      return;
    }

  item = g_new0 (GtaskletNodeItem, 1);
  item->kind = kind;
  item->dest = g_strdup (dest);
  item->sender = g_strdup (sender);
  item->name = g_strdup (name);
  item->payload = payload;
  item->fds = fds != NULL ? g_object_ref (fds) : NULL;
  g_queue_push_tail (&self->outbound, item);
}

/* Handles */

static void
handle_data_free (gpointer data)
{
  HandleData *handle = data;

  g_weak_ref_clear (&handle->node);
  _gtasklet_node_peer_unref (handle->peer);
  g_free (handle->key);
  g_free (handle);
}

/* The key a message from @sender is sent with: its registration's (made now if needed), the
 * peer's own key for its own tasklet, or none (no sender, a finished one, or a handle to a
 * third process's tasklet, which the peer could not name). */
static const char *
sender_key_locked (GtaskletNode     *node,
                   GtaskletNodePeer *peer,
                   GtaskletTasklet  *sender)
{
  GtaskletNodeRegistration *registration;

  if (sender == NULL)
    return "";
  if (_gtasklet_tasklet_is_forwarding (sender))
    {
      HandleData *handle = _gtasklet_tasklet_get_private (sender)->func_data;

      return handle->peer == peer ? handle->key : "";
    }
  registration = _gtasklet_node_register_locked (node, sender);
  if (registration == NULL)
    return "";
  _gtasklet_node_hold_locked (registration, peer);
  return registration->key;
}

static void
fail_sender (GtaskletTasklet *sender,
             GError          *error)
{
  if (sender != NULL && !_gtasklet_tasklet_is_forwarding (sender))
    _gtasklet_tasklet_fail_later (sender, error);
  else
    {
      g_warning ("A message cannot go to another process: %s", error->message);
      g_error_free (error);
    }
}

/* Any thread: the forward function of a handle. */
static gboolean
handle_forward (GtaskletTasklet  *self,
                GtaskletEnvelope *envelope,
                GtaskletTasklet  *other,
                gboolean          linked,
                gpointer          user_data)
{
  HandleData *handle = user_data;
  g_autoptr(GtaskletNode) node = g_weak_ref_get (&handle->node);
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) payload = NULL;
  GError *error = NULL;
  gboolean sent = FALSE;

  /* A linked tasklet's end: the peer hears it as the end of the tasklet it was linked to. */
  if (envelope != NULL && (envelope->flags & ENVELOPE_EXIT))
    {
      _gtasklet_envelope_discard (envelope);
      return TRUE;
    }

  if (envelope != NULL)
    {
      /* A list only for a value that has file descriptors: this is every message's path. */
      if (G_VALUE_HOLDS (&envelope->value, G_TYPE_UNIX_FD_LIST))
        fds = g_unix_fd_list_new ();
      payload = _gtasklet_node_value_encode (&envelope->value, fds,
                                             node != NULL ? node->max_message_size : 0, &error);
      if (payload == NULL)
        {
          g_prefix_error (&error, "Message “%s” for a tasklet in another process: ",
                          envelope->name);
          fail_sender (envelope->sender, error);
          _gtasklet_envelope_discard (envelope);
          return FALSE;
        }
    }

  if (node == NULL)
    {
      if (envelope != NULL)
        _gtasklet_envelope_discard (envelope);
      return FALSE;
    }

  g_mutex_lock (&node->lock);
  if (!handle->peer->lost && !node->closed)
    {
      if (envelope != NULL)
        _gtasklet_node_peer_push_locked (handle->peer, NODE_ITEM_MESSAGE, handle->key,
                                         sender_key_locked (node, handle->peer, envelope->sender),
                                         envelope->name, g_steal_pointer (&payload),
                                         fds != NULL && g_unix_fd_list_get_length (fds) > 0 ? fds : NULL);
      else
        _gtasklet_node_peer_push_locked (handle->peer,
                                         linked ? NODE_ITEM_LINK : NODE_ITEM_UNLINK,
                                         handle->key,
                                         sender_key_locked (node, handle->peer, other),
                                         "", NULL, NULL);
      _gtasklet_node_wake_locked (node);
      sent = TRUE;
    }
  g_mutex_unlock (&node->lock);

  if (envelope != NULL)
    _gtasklet_envelope_discard (envelope);
  return sent;
}

static void
on_handle_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  HandleData *handle = user_data;
  g_autoptr(GtaskletNode) node = g_weak_ref_get (&handle->node);

  if (node == NULL)
    return;
  g_mutex_lock (&node->lock);
  _gtasklet_node_peer_push_locked (handle->peer, NODE_ITEM_CANCEL, handle->key, "", "",
                                   NULL, NULL);
  _gtasklet_node_wake_locked (node);
  g_mutex_unlock (&node->lock);
}

/* The handle for the peer's tasklet @key, made if there is none. */
GtaskletTasklet *
_gtasklet_node_peer_proxy_locked (GtaskletNodePeer *self,
                                  const char       *key,
                                  gboolean         *created)
{
  GtaskletTasklet *tasklet = g_hash_table_lookup (self->proxies, key);
  HandleData *handle;
  char *name;

  if (created != NULL)
    *created = tasklet == NULL;
  if (tasklet != NULL)
    return tasklet;

  handle = g_new0 (HandleData, 1);
  g_weak_ref_init (&handle->node, self->node);
  handle->peer = _gtasklet_node_peer_ref (self);
  handle->key = g_strdup (key);
  tasklet = _gtasklet_tasklet_new_forwarding (handle_forward, handle, handle_data_free);
  g_object_set_data (G_OBJECT (tasklet), "gtasklet-node", self->node);
  name = g_strdup_printf ("remote %s%s%s", key, self->name != NULL ? " on " : "",
                          self->name != NULL ? self->name : "");
  gtasklet_tasklet_set_name (tasklet, name);
  g_free (name);
  g_cancellable_connect (gtasklet_tasklet_get_cancellable (tasklet),
                         G_CALLBACK (on_handle_cancelled), handle, NULL);
  g_hash_table_insert (self->proxies, g_strdup (key), tasklet);
  return tasklet;
}

/* The peer @handle (one of @node's handles) stands for a tasklet of, or NULL. */
GtaskletNodePeer *
_gtasklet_node_handle_get_peer (GtaskletNode    *node,
                                GtaskletTasklet *handle)
{
  if (!_gtasklet_tasklet_is_forwarding (handle) ||
      g_object_get_data (G_OBJECT (handle), "gtasklet-node") != node)
    return NULL;
  return ((HandleData *) _gtasklet_tasklet_get_private (handle)->func_data)->peer;
}

/* The peer resolved the handle it knew as @alias to the key @key. */
void
_gtasklet_node_peer_resolve_locked (GtaskletNodePeer *self,
                                    const char       *alias,
                                    const char       *key)
{
  GtaskletTasklet *tasklet = g_hash_table_lookup (self->proxies, alias);
  HandleData *handle;

  if (tasklet == NULL || g_hash_table_contains (self->proxies, key))
    return;
  handle = _gtasklet_tasklet_get_private (tasklet)->func_data;
  g_free (handle->key);
  handle->key = g_strdup (key);
  g_hash_table_insert (self->proxies, g_strdup (key), g_object_ref (tasklet));
}

/* Takes the handle the peer knows as @key out of the tables (under every key it has). */
GtaskletTasklet *
_gtasklet_node_peer_take_proxy_locked (GtaskletNodePeer *self,
                                       const char       *key)
{
  GtaskletTasklet *tasklet = g_hash_table_lookup (self->proxies, key);
  GHashTableIter iter;
  gpointer value;

  if (tasklet == NULL)
    return NULL;
  g_object_ref (tasklet);
  g_hash_table_iter_init (&iter, self->proxies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == tasklet)
      g_hash_table_iter_remove (&iter);
  return tasklet;
}

/* Outbound */

static void on_deliver_reply (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

/* Sends one Deliver() call: @items (may be empty: a credit alone) and the credit owed. The
 * first call to a peer asks for an answer, which tells whether a node is there at all; after
 * that no call does (credit comes back inside the peer's own calls), so that a message and
 * its reply cost one D-Bus message each way, as a plain method call does. Node thread, not
 * under the lock. */
static void
send_batch (GtaskletNodePeer *self,
            guint64           first_seq,
            guint64           credit,
            GVariant         *items,
            GUnixFDList      *fds,
            gboolean          confirm)
{
  GtaskletNode *node = self->node;
  GVariant *parameters = g_variant_new ("(tt@a(usssv))", first_seq, credit, items);
  Batch *batch;

  if (self->on_channel && self->channel != NULL)
    {
      _gtasklet_node_channel_send (self->channel, parameters);
      return;
    }
  if (!confirm)
    {
      g_dbus_connection_call_with_unix_fd_list (node->connection, self->name, NODE_OBJECT_PATH,
                                                NODE_INTERFACE, "Deliver", parameters, NULL,
                                                G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, fds,
                                                NULL, NULL, NULL);
      return;
    }
  batch = g_new0 (Batch, 1);
  batch->node = g_object_ref (node);
  batch->peer = _gtasklet_node_peer_ref (self);
  g_dbus_connection_call_with_unix_fd_list (node->connection, self->name, NODE_OBJECT_PATH,
                                            NODE_INTERFACE, "Deliver", parameters,
                                            G_VARIANT_TYPE ("(u)"),
                                            G_DBUS_CALL_FLAGS_NO_AUTO_START, G_MAXINT, fds,
                                            NULL, on_deliver_reply, batch);
}

/* Node thread: sends what the window allows, carrying the credit owed to the peer. */
void
_gtasklet_node_peer_flush (GtaskletNodePeer *self)
{
  GtaskletNode *node = self->node;

  for (;;)
    {
      g_autoptr(GUnixFDList) fds = NULL;
      GVariantBuilder builder;
      guint64 first_seq, credit;
      gboolean confirm, via_channel;
      guint n = 0;

      g_mutex_lock (&node->lock);
      if (self->lost || node->closed || self->outbound.length == 0 ||
          self->out_seq - self->acked >= node->window || self->confirming)
        {
          g_mutex_unlock (&node->lock);
          _gtasklet_node_peer_wake_senders (self);
          return;
        }

      /* The channel, if there is one, but for items with file descriptors; a change of path
       * waits until everything sent is acknowledged, so that nothing overtakes. */
      via_channel = self->channel != NULL &&
                    ((GtaskletNodeItem *) g_queue_peek_head (&self->outbound))->fds == NULL;
      if (via_channel != self->on_channel)
        {
          if (self->acked != self->out_seq)
            {
              g_mutex_unlock (&node->lock);
              return;
            }
          self->on_channel = via_channel;
        }

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(usssv)"));
      first_seq = self->out_seq + 1;
      while (self->outbound.length > 0 && n < BATCH_ITEMS)
        {
          GtaskletNodeItem *item = g_queue_peek_head (&self->outbound);

          /* An item with file descriptors travels alone, by Deliver(): its handles index
           * the call's own list. */
          if (item->fds != NULL && (n > 0 || via_channel))
            break;
          g_queue_pop_head (&self->outbound);
          g_variant_builder_add (&builder, "(usssv)", item->kind, item->dest, item->sender,
                                 item->name,
                                 item->payload != NULL ? item->payload : g_variant_new_byte (0));
          if (item->fds != NULL)
            fds = g_object_ref (item->fds);
          _gtasklet_node_item_free (item);
          n++;
          if (fds != NULL)
            break;
        }
      self->out_seq += n;
      credit = self->credit_sent = self->taken;
      confirm = !self->confirmed && !via_channel;
      self->confirming = confirm;
      g_mutex_unlock (&node->lock);

      send_batch (self, first_seq, credit, g_variant_builder_end (&builder), fds, confirm);
    }
}

/* Node thread: a credit alone, for a peer that is owed one and has no items coming its way
 * (run at a lower priority than steps and flushes, so that a reply carries it instead when
 * there is one). */
void
_gtasklet_node_peer_send_credit (GtaskletNodePeer *self)
{
  GtaskletNode *node = self->node;
  guint64 first_seq, credit;

  g_mutex_lock (&node->lock);
  if (self->lost || node->closed || self->taken == self->credit_sent ||
      !(self->confirmed || self->on_channel))
    {
      g_mutex_unlock (&node->lock);
      return;
    }
  first_seq = self->out_seq + 1;
  credit = self->credit_sent = self->taken;
  g_mutex_unlock (&node->lock);

  send_batch (self, first_seq, credit, g_variant_new_array (G_VARIANT_TYPE ("(usssv)"), NULL, 0),
              NULL, FALSE);
}

static void
on_deliver_reply (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Batch *batch = user_data;
  GtaskletNodePeer *self = batch->peer;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                           result, &error);
  if (reply == NULL)
    {
      g_autoptr(GError) lost = NULL;

      g_dbus_error_strip_remote_error (error);
      g_debug ("Deliver() to %s failed: %s", self->name != NULL ? self->name : "the peer",
               error->message);
      lost = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION,
                          "No connection to %s: %s",
                          self->name != NULL ? self->name : "the peer", error->message);
      _gtasklet_node_peer_lose (self, lost);
    }
  else if (!self->lost)
    {
      g_mutex_lock (&self->node->lock);
      self->confirmed = TRUE;
      self->confirming = FALSE;
      g_mutex_unlock (&self->node->lock);
      _gtasklet_node_peer_open_channel (self);
      _gtasklet_node_peer_flush (self);
    }
  _gtasklet_node_peer_unref (self);
  g_object_unref (batch->node);
  g_free (batch);
}

/* The channel (gtasklet-node-channel.c): the client end of a peer-to-peer connection makes
 * a socket pair once the other node has answered, and hands one end over with
 * OpenChannel(); both then use it. Without file descriptor passing, or if the other node
 * refuses, the nodes stay with Deliver() calls. */
typedef struct
{
  GtaskletNodePeer *peer;
  int               fd;      /* our end, until the other node took its end */
} ChannelOpening;

static void
on_channel_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ChannelOpening *opening = user_data;
  GtaskletNodePeer *self = opening->peer;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                           result, &error);
  if (reply == NULL || self->lost || self->node->closed)
    {
      if (error != NULL)
        g_debug ("No channel to the peer, Deliver() calls it is: %s", error->message);
      close (opening->fd);
    }
  else
    {
      self->channel = _gtasklet_node_channel_new (self, opening->fd);
      g_mutex_lock (&self->node->lock);
      _gtasklet_node_wake_locked (self->node);
      g_mutex_unlock (&self->node->lock);
    }
  _gtasklet_node_peer_unref (self);
  g_free (opening);
}

void
_gtasklet_node_peer_open_channel (GtaskletNodePeer *self)
{
  GtaskletNode *node = self->node;
  g_autoptr(GUnixFDList) fds = NULL;
  ChannelOpening *opening;
  int pair[2];

  if (self->channel_asked || !node->peer_to_peer || self->lost ||
      !(g_dbus_connection_get_flags (node->connection) &
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT) ||
      !(g_dbus_connection_get_capabilities (node->connection) &
        G_DBUS_CAPABILITY_FLAGS_UNIX_FD_PASSING))
    return;
  self->channel_asked = TRUE;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      g_debug ("No channel to the peer: socketpair: %s", g_strerror (errno));
      return;
    }
  /* The list dups the other end: ours of it is closed now, the peer's arrives with the call. */
  fds = g_unix_fd_list_new ();
  g_unix_fd_list_append (fds, pair[1], NULL);
  close (pair[1]);
  opening = g_new0 (ChannelOpening, 1);
  opening->peer = _gtasklet_node_peer_ref (self);
  opening->fd = pair[0];
  g_dbus_connection_call_with_unix_fd_list (node->connection, NULL, NODE_OBJECT_PATH,
                                            NODE_INTERFACE, "OpenChannel",
                                            g_variant_new ("(h)", 0), NULL,
                                            G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, fds, NULL,
                                            on_channel_opened, opening);
}

/* Node thread: the peer is gone (or the node closes). Its handles end with @error, the
 * tasklets it spawned here are cancelled, its calls waiting for room are answered. */
void
_gtasklet_node_peer_lose (GtaskletNodePeer *self,
                          const GError     *error)
{
  GtaskletNode *node = self->node;
  g_autoptr(GHashTable) proxies = NULL;
  g_autoptr(GPtrArray) spawned = NULL;
  g_autoptr(GPtrArray) handles = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  _gtasklet_node_peer_ref (self);
  g_mutex_lock (&node->lock);
  if (self->lost)
    {
      g_mutex_unlock (&node->lock);
      _gtasklet_node_peer_unref (self);
      return;
    }
  self->lost = TRUE;
  g_queue_clear_full (&self->outbound, (GDestroyNotify) _gtasklet_node_item_free);
  proxies = g_steal_pointer (&self->proxies);
  self->proxies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  spawned = g_steal_pointer (&self->spawned);
  self->spawned = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, proxies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!g_ptr_array_find (handles, value, NULL))
      g_ptr_array_add (handles, g_object_ref (value));
  /* Off the node's list: a later lookup of the same name starts afresh (and fails). */
  g_hash_table_remove (node->peers, self->name != NULL ? self->name : "");
  g_mutex_unlock (&node->lock);

  if (self->owner_watch != 0)
    g_dbus_connection_signal_unsubscribe (node->connection, self->owner_watch);
  self->owner_watch = 0;
  if (self->channel != NULL)
    _gtasklet_node_channel_close (self->channel);

  for (guint i = 0; i < handles->len; i++)
    _gtasklet_tasklet_end_forwarding (g_ptr_array_index (handles, i), NULL, g_error_copy (error));
  for (guint i = 0; i < spawned->len; i++)
    gtasklet_tasklet_cancel (g_ptr_array_index (spawned, i));
  _gtasklet_node_fail_deferred (self, error);
  _gtasklet_node_peer_wake_senders (self);
  _gtasklet_node_peer_unref (self);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtasklet-error.h"
#include "gtasklet-node-private.h"
#include "gtasklet-thread-private.h"

/* What arrives at a node: the methods of org.gnome.Gtasklet.Node1, on the node's thread.
 *
 * Deliver() takes a numbered batch from another node and acts on each item in order: a
 * message goes into its tasklet's mailbox with the handle of its sender as sender, so a reply
 * goes back the same way. Credit for the batch is owed at once (sent in the next call to the
 * peer), unless a tasklet it delivered to has its window of messages waiting: then it waits
 * until every such tasklet has room, and the caller, which keeps at most a window of items
 * unacknowledged, holds its next messages. A caller that asked for an answer (the first call
 * of a node, or a hand-made call) gets it at the same moment. */

#define MAX_BATCH_ITEMS 65536
#define RETRY_MS        1

typedef struct
{
  GDBusMethodInvocation *invocation;
  GPtrArray             *full;      /* tasklets that had no room */
  guint                  n_items;
  guint64                last_seq;  /* the number of its last item */
} Deferred;

static void
deferred_free (Deferred *deferred)
{
  g_ptr_array_unref (deferred->full);
  g_free (deferred);
}

/* The peer is gone: its deferred Deliver() calls are answered with @error. Node thread. */
void
_gtasklet_node_fail_deferred (GtaskletNodePeer *peer,
                              const GError     *error)
{
  Deferred *deferred;

  while ((deferred = g_queue_pop_head (&peer->deferred)) != NULL)
    {
      if (deferred->invocation != NULL)
        g_dbus_method_invocation_return_error_literal (deferred->invocation, error->domain,
                                                       error->code, error->message);
      deferred_free (deferred);
    }
}

static gboolean
has_room (GtaskletNode    *node,
          GtaskletTasklet *tasklet)
{
  return gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_FINISHED ||
         gtasklet_tasklet_get_n_pending_messages (tasklet) < node->window;
}

/* The node's retry source: answers the deferred calls whose tasklets have room now. */
gboolean
_gtasklet_node_retry_deferred (gpointer user_data)
{
  GtaskletNode *node = user_data;
  g_autoptr(GPtrArray) peers = NULL;
  gboolean waiting = FALSE;

  g_mutex_lock (&node->lock);
  peers = _gtasklet_node_peers_locked (node);
  g_mutex_unlock (&node->lock);

  for (guint i = 0; i < peers->len; i++)
    {
      GtaskletNodePeer *self = g_ptr_array_index (peers, i);
      Deferred *deferred;

      /* In order: a later call is not answered before an earlier one. */
      while ((deferred = g_queue_peek_head (&self->deferred)) != NULL)
        {
          while (deferred->full->len > 0 &&
                 has_room (node, g_ptr_array_index (deferred->full, deferred->full->len - 1)))
            g_ptr_array_remove_index_fast (deferred->full, deferred->full->len - 1);
          if (deferred->full->len > 0)
            break;
          g_queue_pop_head (&self->deferred);
          g_mutex_lock (&node->lock);
          self->taken = deferred->last_seq;
          _gtasklet_node_credit_soon_locked (node);
          g_mutex_unlock (&node->lock);
          if (deferred->invocation != NULL)
            g_dbus_method_invocation_return_value (deferred->invocation,
                                                   g_variant_new ("(u)", deferred->n_items));
          deferred_free (deferred);
        }
      waiting |= self->deferred.length > 0;
    }

  if (!waiting)
    g_clear_pointer (&node->retry_source, g_source_unref);
  return waiting;
}

static void
deliver_message (GtaskletTasklet *dest,
                 GtaskletTasklet *sender,
                 const char      *name,
                 GValue          *value)
{
  GtaskletEnvelope *envelope;

  envelope = _gtasklet_envelope_new (_gtasklet_thread_intern (_gtasklet_thread_get (), name), NULL);
  envelope->value = *value;
  memset (value, 0, sizeof *value);
  _gtasklet_envelope_route (envelope, sender, dest);
  _gtasklet_tasklet_deliver (dest, envelope);
}

/* Tells the peer its tasklet @key has ended (or never was) with @error. Under the lock. */
static void
push_down_locked (GtaskletNodePeer *peer,
                  const char       *key,
                  GError           *error)
{
  g_autoptr(GVariant) encoded_error = _gtasklet_node_error_encode (error);
  g_autoptr(GVariant) no_result = _gtasklet_node_value_encode (NULL, NULL, 0, NULL);

  _gtasklet_node_peer_push_locked (peer, NODE_ITEM_DOWN, key, "", "",
                                   g_variant_new ("(@(sis)@(sv))", encoded_error, no_result),
                                   NULL);
  g_error_free (error);
}

/* A DOWN from the peer: its tasklet ended; so does our handle for it. */
static void
handle_down (GtaskletNode     *node,
             GtaskletNodePeer *peer,
             const char       *key,
             GVariant         *payload)
{
  g_autoptr(GVariant) encoded_error = NULL;
  g_autoptr(GVariant) encoded_result = NULL;
  g_autoptr(GtaskletTasklet) handle = NULL;
  GValue result = G_VALUE_INIT;
  GError *error = NULL;

  g_variant_get (payload, "(@(sis)@(sv))", &encoded_error, &encoded_result);

  g_mutex_lock (&node->lock);
  handle = _gtasklet_node_peer_take_proxy_locked (peer, key);
  g_mutex_unlock (&node->lock);
  if (handle == NULL)
    return;

  error = _gtasklet_node_error_decode (encoded_error);
  if (error == NULL)
    _gtasklet_node_value_decode (encoded_result, NULL, &result, NULL);
  _gtasklet_tasklet_end_forwarding (handle, &result, error);
}

/* One item; returns FALSE with @error set for an item that makes no sense. */
static gboolean
handle_item (GtaskletNode     *node,
             GtaskletNodePeer *peer,
             guint             kind,
             const char       *dest,
             const char       *sender,
             const char       *name,
             GVariant         *payload,
             GUnixFDList      *fds,
             GPtrArray        *full,
             GError          **error)
{
  g_autoptr(GtaskletTasklet) local = NULL;
  g_autoptr(GtaskletTasklet) handle = NULL;
  GValue value = G_VALUE_INIT;

  if (kind == NODE_ITEM_DOWN)
    {
      if (!g_variant_is_of_type (payload, G_VARIANT_TYPE ("((sis)(sv))")))
        {
          g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                       "An end came as %s, not ((sis)(sv))", g_variant_get_type_string (payload));
          return FALSE;
        }
      handle_down (node, peer, dest, payload);
      return TRUE;
    }

  if (kind == NODE_ITEM_SPAWN)
    {
      g_autoptr(GVariant) args = NULL;
      GError *spawn_error = NULL;

      /* No arguments come as a bare placeholder rather than an encoded value. */
      if (g_variant_is_of_type (payload, G_VARIANT_TYPE ("(sv)")) &&
          !_gtasklet_node_value_decode (payload, NULL, &value, error))
        return FALSE;
      if (G_VALUE_HOLDS (&value, G_TYPE_VARIANT))
        args = g_value_dup_variant (&value);
      g_value_unset (&value);
      local = _gtasklet_node_spawn_local (node, dest, args, &spawn_error);
      g_mutex_lock (&node->lock);
      if (local == NULL)
        push_down_locked (peer, sender, spawn_error);
      else
        {
          GtaskletNodeRegistration *registration = _gtasklet_node_register_locked (node, local);

          g_ptr_array_add (peer->spawned, g_object_ref (local));
          if (registration == NULL)
            push_down_locked (peer, sender,
                              g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_UNKNOWN_TASKLET,
                                           "The tasklet made by “%s” finished at once", dest));
          else
            {
              g_hash_table_replace (peer->aliases, g_strdup (sender), g_strdup (registration->key));
              _gtasklet_node_hold_locked (registration, peer);
              _gtasklet_node_peer_push_locked (peer, NODE_ITEM_RESOLVED, sender,
                                               registration->key, "", NULL, NULL);
            }
        }
      _gtasklet_node_wake_locked (node);
      g_mutex_unlock (&node->lock);
      return TRUE;
    }

  g_mutex_lock (&node->lock);
  switch (kind)
    {
    case NODE_ITEM_HOLD:
      {
        const char *key = g_hash_table_lookup (node->exports, dest);
        GtaskletNodeRegistration *registration = key != NULL ? g_hash_table_lookup (node->by_key, key) : NULL;

        if (registration == NULL)
          push_down_locked (peer, sender,
                            g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_UNKNOWN_TASKLET,
                                         "No tasklet is exported as “%s”", dest));
        else
          {
            g_hash_table_replace (peer->aliases, g_strdup (sender), g_strdup (registration->key));
            _gtasklet_node_hold_locked (registration, peer);
            _gtasklet_node_peer_push_locked (peer, NODE_ITEM_RESOLVED, sender, registration->key,
                                             "", NULL, NULL);
          }
        _gtasklet_node_wake_locked (node);
      }
      break;

    case NODE_ITEM_RESOLVED:
      _gtasklet_node_peer_resolve_locked (peer, dest, sender);
      break;

    case NODE_ITEM_MESSAGE:
    case NODE_ITEM_LINK:
    case NODE_ITEM_UNLINK:
    case NODE_ITEM_CANCEL:
      if (dest[0] == '#' && !g_hash_table_contains (peer->held, dest))
        {
          g_mutex_unlock (&node->lock);
          g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                       "The tasklet %s was never given to this caller", dest);
          return FALSE;
        }
      if (kind == NODE_ITEM_MESSAGE && g_variant_get_size (payload) > node->max_message_size)
        {
          g_mutex_unlock (&node->lock);
          g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED,
                       "A value of %" G_GSIZE_FORMAT " bytes is larger than the %" G_GSIZE_FORMAT
                       " this node takes", g_variant_get_size (payload), node->max_message_size);
          return FALSE;
        }
      local = _gtasklet_node_find_local_locked (node, peer, dest);
      if (local != NULL)
        g_object_ref (local);
      if (local != NULL && sender[0] != '\0')
        handle = g_object_ref (_gtasklet_node_peer_proxy_locked (peer, sender, NULL));
      if (local == NULL && kind != NODE_ITEM_UNLINK && kind != NODE_ITEM_CANCEL &&
          !g_hash_table_contains (peer->aliases, dest))
        {
          /* Once per batch is enough for the handle to end. */
          push_down_locked (peer, dest,
                            g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_UNKNOWN_TASKLET,
                                         "No tasklet %s here (it has finished)", dest));
          g_hash_table_replace (peer->aliases, g_strdup (dest), g_strdup ("#0"));
          _gtasklet_node_wake_locked (node);
        }
      break;

    default:
      g_mutex_unlock (&node->lock);
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, "Unknown item kind %u", kind);
      return FALSE;
    }
  g_mutex_unlock (&node->lock);

  if (local == NULL)
    return TRUE;

  switch (kind)
    {
    case NODE_ITEM_MESSAGE:
      if (!_gtasklet_node_value_decode (payload, fds, &value, error))
        return FALSE;
      deliver_message (local, handle, name, &value);
      if (!has_room (node, local) && !g_ptr_array_find (full, local, NULL))
        g_ptr_array_add (full, g_object_ref (local));
      break;
    case NODE_ITEM_LINK:
    case NODE_ITEM_UNLINK:
      if (handle != NULL && gtasklet_tasklet_get_state (handle) == GTASKLET_STATE_NEW)
        _gtasklet_tasklet_link_forwarding (handle, local, kind == NODE_ITEM_LINK);
      break;
    case NODE_ITEM_CANCEL:
      gtasklet_tasklet_cancel (local);
      break;
    default:
      break;
    }
  return TRUE;
}

/* A batch refused: the caller hears why if it asked (a hand-made call); a node that asked
 * for no answer, or sent it on the channel, is broken: that is logged, and a channel's peer
 * is given up (its stream cannot be trusted past this point). */
static void
refuse (GtaskletNode          *node,
        GtaskletNodePeer      *peer,
        GDBusMethodInvocation *invocation,
        const char            *dbus_name,
        const GError          *error)
{
  if (invocation == NULL ||
      (g_dbus_message_get_flags (g_dbus_method_invocation_get_message (invocation)) &
       G_DBUS_MESSAGE_FLAGS_NO_REPLY_EXPECTED))
    g_warning ("A batch from %s was refused: %s",
               peer->name != NULL ? peer->name : "the peer", error->message);
  if (invocation == NULL)
    {
      g_autoptr(GError) lost = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION,
                                            "The peer broke the protocol: %s", error->message);

      /* A channel's peer (peer to peer): the connection goes with it. */
      _gtasklet_node_peer_lose (peer, lost);
      g_dbus_connection_close (node->connection, NULL, NULL, NULL);
    }
  else if (dbus_name != NULL)
    g_dbus_method_invocation_return_dbus_error (invocation, dbus_name, error->message);
  else
    g_dbus_method_invocation_return_gerror (invocation, error);
}

/* A numbered batch "(tta(usssv))" from @peer: from a Deliver() call (@invocation, answered
 * here or later), or from the peer's channel (no invocation). Node thread. */
void
_gtasklet_node_receive_batch (GtaskletNode          *node,
                              GtaskletNodePeer      *peer,
                              GVariant              *parameters,
                              GUnixFDList           *fds,
                              GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) items = NULL;
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;
  GVariantIter iter;
  guint64 first_seq, credit;
  guint kind, index = 0;
  const char *dest, *sender, *name;
  GVariant *payload;
  gsize n_items;

  g_variant_get (parameters, "(tt@a(usssv))", &first_seq, &credit, &items);
  n_items = g_variant_n_children (items);
  /* A batch of credit alone may be overtaken by items sent after it on the other path (the
   * channel, or Deliver() for file descriptors): its number may be behind, never ahead. */
  if (n_items == 0 ? first_seq > peer->in_seq + 1 : first_seq != peer->in_seq + 1)
    {
      g_autoptr(GError) error = g_error_new (G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "Items out of order: expected number %"
                                             G_GUINT64_FORMAT ", got %" G_GUINT64_FORMAT,
                                             peer->in_seq + 1, first_seq);

      refuse (node, peer, invocation, "org.gnome.Gtasklet.Error.Sequence", error);
      return;
    }
  if (n_items > MAX_BATCH_ITEMS)
    {
      g_autoptr(GError) error = g_error_new (G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED,
                                             "A batch holds at most %u items, not %"
                                             G_GSIZE_FORMAT, MAX_BATCH_ITEMS, n_items);

      refuse (node, peer, invocation, NULL, error);
      return;
    }

  /* The credit the peer gives back for our items: room for more. A number past what was
   * sent is a lie, and ignored. */
  g_mutex_lock (&node->lock);
  peer->confirmed = TRUE;
  if (credit > peer->acked && credit <= peer->out_seq)
    {
      peer->acked = credit;
      _gtasklet_node_wake_locked (node);
    }
  g_mutex_unlock (&node->lock);
  peer->in_seq += n_items;

  g_variant_iter_init (&iter, items);
  while (g_variant_iter_next (&iter, "(u&s&s&s@v)", &kind, &dest, &sender, &name, &payload))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (payload);
      g_autoptr(GError) error = NULL;

      g_variant_unref (payload);
      if (!handle_item (node, peer, kind, dest, sender, name, inner, fds, full, &error) &&
          first_error == NULL)
        {
          first_error = g_steal_pointer (&error);
          g_prefix_error (&first_error, "Item %u: ", index);
        }
      index++;
    }

  /* The others were delivered: a caller that sent a bad item hears of it. */
  if (first_error != NULL)
    {
      g_mutex_lock (&node->lock);
      if (peer->deferred.length == 0)
        {
          peer->taken = peer->in_seq;
          _gtasklet_node_credit_soon_locked (node);
        }
      g_mutex_unlock (&node->lock);
      refuse (node, peer, invocation, NULL, first_error);
      return;
    }
  /* Credit goes back at once, unless a tasklet has its window of messages waiting, or an
   * earlier batch still waits for room (credit is given in order). */
  if (full->len == 0 && peer->deferred.length == 0)
    {
      g_mutex_lock (&node->lock);
      peer->taken = peer->in_seq;
      if (n_items > 0)
        _gtasklet_node_credit_soon_locked (node);
      g_mutex_unlock (&node->lock);
      if (invocation != NULL)
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", (guint) n_items));
      return;
    }

  {
    Deferred *deferred = g_new0 (Deferred, 1);

    deferred->invocation = invocation;
    deferred->full = g_steal_pointer (&full);
    deferred->n_items = n_items;
    deferred->last_seq = peer->in_seq;
    g_queue_push_tail (&peer->deferred, deferred);
    if (node->retry_source == NULL)
      {
        node->retry_source = g_timeout_source_new (RETRY_MS);
        g_source_set_static_name (node->retry_source, "[gtasklet] node backlog");
        g_source_set_callback (node->retry_source, _gtasklet_node_retry_deferred, node, NULL);
        g_source_attach (node->retry_source, node->context);
      }
  }
}

/* The other end of a peer-to-peer connection hands over its channel's socket
 * (gtasklet-node-channel.c). Only once, only peer to peer, only a socket. */
static void
handle_open_channel (GtaskletNode          *node,
                     GtaskletNodePeer      *peer,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation)
{
  GUnixFDList *fds = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));
  g_autoptr(GError) error = NULL;
  gint32 handle;
  int fd = -1;
  int type = 0;
  socklen_t length = sizeof type;

  g_variant_get (parameters, "(h)", &handle);
  if (!node->peer_to_peer || peer->channel != NULL || peer->lost)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_NOT_SUPPORTED,
                                             "A channel is only for a peer-to-peer connection, once");
      return;
    }
  if (fds == NULL || handle < 0 || handle >= g_unix_fd_list_get_length (fds) ||
      (fd = g_unix_fd_list_get (fds, handle, &error)) < 0 ||
      getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM)
    {
      if (fd >= 0)
        close (fd);
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "OpenChannel() wants a stream socket");
      return;
    }
  peer->channel = _gtasklet_node_channel_new (peer, fd);
  g_mutex_lock (&node->lock);
  _gtasklet_node_wake_locked (node);
  g_mutex_unlock (&node->lock);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* A value from Send(): the plain D-Bus types arrive as their GLib types. */
static void
plain_value (GVariant *variant,
             GValue   *value)
{
  if (g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING) ||
      g_variant_is_of_type (variant, G_VARIANT_TYPE_OBJECT_PATH))
    g_value_set_string (g_value_init (value, G_TYPE_STRING), g_variant_get_string (variant, NULL));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_BOOLEAN))
    g_value_set_boolean (g_value_init (value, G_TYPE_BOOLEAN), g_variant_get_boolean (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT32))
    g_value_set_int (g_value_init (value, G_TYPE_INT), g_variant_get_int32 (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT32))
    g_value_set_uint (g_value_init (value, G_TYPE_UINT), g_variant_get_uint32 (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_INT64))
    g_value_set_int64 (g_value_init (value, G_TYPE_INT64), g_variant_get_int64 (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_UINT64))
    g_value_set_uint64 (g_value_init (value, G_TYPE_UINT64), g_variant_get_uint64 (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_DOUBLE))
    g_value_set_double (g_value_init (value, G_TYPE_DOUBLE), g_variant_get_double (variant));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING_ARRAY))
    g_value_take_boxed (g_value_init (value, G_TYPE_STRV), g_variant_dup_strv (variant, NULL));
  else if (g_variant_is_of_type (variant, G_VARIANT_TYPE_BYTESTRING))
    g_value_take_boxed (g_value_init (value, G_TYPE_BYTES), g_variant_get_data_as_bytes (variant));
  else
    g_value_set_variant (g_value_init (value, G_TYPE_VARIANT), variant);
}

static void
handle_send (GtaskletNode          *node,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GtaskletTasklet) dest = NULL;
  const char *tasklet, *name, *key;
  GValue value = G_VALUE_INIT;

  g_variant_get (parameters, "(&s&s@v)", &tasklet, &name, &variant);
  if (g_variant_get_size (variant) > node->max_message_size)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED,
                                             "A value of %" G_GSIZE_FORMAT " bytes is larger "
                                             "than the %" G_GSIZE_FORMAT " this node takes",
                                             g_variant_get_size (variant), node->max_message_size);
      return;
    }
  g_mutex_lock (&node->lock);
  key = g_hash_table_lookup (node->exports, tasklet);
  if (key != NULL)
    {
      GtaskletNodeRegistration *registration = g_hash_table_lookup (node->by_key, key);

      if (registration != NULL)
        dest = g_object_ref (registration->tasklet);
    }
  g_mutex_unlock (&node->lock);

  if (dest == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, GTASKLET_ERROR,
                                             GTASKLET_ERROR_UNKNOWN_TASKLET,
                                             "No tasklet is exported as “%s”", tasklet);
      return;
    }
  plain_value (g_variant_get_variant (variant), &value);
  deliver_message (dest, NULL, name, &value);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
handle_list (GtaskletNode          *node,
             GDBusMethodInvocation *invocation)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer name;

  g_mutex_lock (&node->lock);
  g_hash_table_iter_init (&iter, node->exports);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (names, g_strdup (name));
  g_mutex_unlock (&node->lock);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(^as)", (char **) names->pdata));
  g_strfreev ((char **) g_ptr_array_steal (names, NULL));
}

void
_gtasklet_node_handle_call (GDBusConnection       *connection,
                            const char            *sender,
                            const char            *object_path,
                            const char            *interface_name,
                            const char            *method_name,
                            GVariant              *parameters,
                            GDBusMethodInvocation *invocation,
                            gpointer               user_data)
{
  GtaskletNode *node = user_data;

  if (g_str_equal (method_name, "Deliver"))
    {
      GtaskletNodePeer *peer = _gtasklet_node_get_peer (node, sender);

      GDBusMessage *message = g_dbus_method_invocation_get_message (invocation);

      _gtasklet_node_receive_batch (node, peer, parameters,
                                    g_dbus_message_get_unix_fd_list (message), invocation);
      _gtasklet_node_peer_unref (peer);
    }
  else if (g_str_equal (method_name, "OpenChannel"))
    {
      GtaskletNodePeer *peer = _gtasklet_node_get_peer (node, sender);

      handle_open_channel (node, peer, parameters, invocation);
      _gtasklet_node_peer_unref (peer);
    }
  else if (g_str_equal (method_name, "Send"))
    handle_send (node, parameters, invocation);
  else if (g_str_equal (method_name, "List"))
    handle_list (node, invocation);
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

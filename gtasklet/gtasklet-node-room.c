/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-node-private.h"
#include "gtasklet-wait-condition.h"

/* Room to send: a wait condition that fires when fewer than the node's window of items wait
 * in this process for one peer, and the public functions around it
 * (gtasklet_node_wait_for_room(), gtasklet_node_get_queued()). Sending never blocks (a
 * tasklet must not stall its thread), so a sender that produces faster than a slow receiver
 * reads waits on this between bursts: then the receiver's pace, passed back as late credit,
 * suspends the sender itself, and nothing piles up anywhere. A private type: users get it
 * as a GtaskletWaitCondition. */

#define GTASKLET_TYPE_NODE_ROOM (gtasklet_node_room_get_type ())
G_DECLARE_FINAL_TYPE (GtaskletNodeRoom, gtasklet_node_room, GTASKLET, NODE_ROOM,
                      GtaskletWaitCondition)

struct _GtaskletNodeRoom
{
  GtaskletWaitCondition parent_instance;

  GWeakRef              node;
  GtaskletNodePeer     *peer;
};

G_DEFINE_FINAL_TYPE (GtaskletNodeRoom, gtasklet_node_room, GTASKLET_TYPE_WAIT_CONDITION)

/* Under the node's lock: whether a sender to @peer may go on. A lost peer counts as room:
 * the sender then finds its handle ended. */
static gboolean
has_room_locked (GtaskletNode     *node,
                 GtaskletNodePeer *peer)
{
  return peer->lost || node->closed || peer->outbound.length < node->window;
}

static void
gtasklet_node_room_arm (GtaskletWaitCondition *condition,
                        GtaskletTasklet       *tasklet)
{
  GtaskletNodeRoom *self = GTASKLET_NODE_ROOM (condition);
  g_autoptr(GtaskletNode) node = g_weak_ref_get (&self->node);
  gboolean room = TRUE;

  if (node != NULL)
    {
      g_mutex_lock (&node->lock);
      room = has_room_locked (node, self->peer);
      if (!room)
        g_ptr_array_add (self->peer->room_waiters, g_object_ref (self));
      g_mutex_unlock (&node->lock);
    }
  if (room)
    gtasklet_wait_condition_fire (condition);
}

static void
gtasklet_node_room_disarm (GtaskletWaitCondition *condition)
{
  GtaskletNodeRoom *self = GTASKLET_NODE_ROOM (condition);
  g_autoptr(GtaskletNode) node = g_weak_ref_get (&self->node);
  guint index;

  if (node == NULL)
    return;
  g_mutex_lock (&node->lock);
  if (g_ptr_array_find (self->peer->room_waiters, self, &index))
    g_ptr_array_remove_index_fast (self->peer->room_waiters, index);
  g_mutex_unlock (&node->lock);
}

static char *
gtasklet_node_room_describe (GtaskletWaitCondition *condition)
{
  GtaskletNodeRoom *self = GTASKLET_NODE_ROOM (condition);

  return g_strdup_printf ("room to send to %s",
                          self->peer->name != NULL ? self->peer->name : "the peer");
}

static void
gtasklet_node_room_finalize (GObject *object)
{
  GtaskletNodeRoom *self = GTASKLET_NODE_ROOM (object);

  g_weak_ref_clear (&self->node);
  _gtasklet_node_peer_unref (self->peer);
  G_OBJECT_CLASS (gtasklet_node_room_parent_class)->finalize (object);
}

static void
gtasklet_node_room_class_init (GtaskletNodeRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->finalize = gtasklet_node_room_finalize;
  condition_class->arm = gtasklet_node_room_arm;
  condition_class->disarm = gtasklet_node_room_disarm;
  condition_class->describe = gtasklet_node_room_describe;
}

static void
gtasklet_node_room_init (GtaskletNodeRoom *self)
{
}

GtaskletWaitCondition *
_gtasklet_node_room_new (GtaskletNode     *node,
                         GtaskletNodePeer *peer)
{
  GtaskletNodeRoom *self = g_object_new (GTASKLET_TYPE_NODE_ROOM, NULL);

  g_weak_ref_init (&self->node, node);
  self->peer = _gtasklet_node_peer_ref (peer);
  return GTASKLET_WAIT_CONDITION (self);
}

/* Node thread, after items left or the peer was lost: fires the waiters if there is room. */
void
_gtasklet_node_peer_wake_senders (GtaskletNodePeer *peer)
{
  GtaskletNode *node = peer->node;
  g_autoptr(GPtrArray) waiters = NULL;

  g_mutex_lock (&node->lock);
  if (peer->room_waiters->len > 0 && has_room_locked (node, peer))
    {
      waiters = g_steal_pointer (&peer->room_waiters);
      peer->room_waiters = g_ptr_array_new_with_free_func (g_object_unref);
    }
  g_mutex_unlock (&node->lock);

  /* Outside the lock: a waiter's step may run inside fire() and send again. */
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    gtasklet_wait_condition_fire (g_ptr_array_index (waiters, i));
}

/**
 * gtasklet_node_wait_for_room:
 * @self: a [class@Gtasklet.Node]
 * @handle: one of @self's handles ([method@Gtasklet.Node.lookup])
 *
 * Makes a wait condition that fires when the messages waiting in this process for
 * @handle's process are fewer than the node's window (1,024), at once if they are already.
 *
 * Sending to a handle never blocks. A tasklet that sends faster than the other process
 * reads waits on this between bursts: the receiver answers the node late while it has a
 * backlog, so the sender is suspended at the receiver's pace and nothing piles up, neither
 * in this process nor in the bus daemon. It also fires when the other process goes away (the
 * handle has then ended).
 *
 * This function is thread-safe; the condition is armed by the tasklet that waits on it, on
 * any thread.
 *
 * Returns: (transfer full): a new wait condition
 *
 * Since: 1.2
 */
GtaskletWaitCondition *
gtasklet_node_wait_for_room (GtaskletNode    *self,
                             GtaskletTasklet *handle)
{
  GtaskletNodePeer *peer;

  g_return_val_if_fail (GTASKLET_IS_NODE (self), NULL);
  g_return_val_if_fail (GTASKLET_IS_TASKLET (handle), NULL);

  peer = _gtasklet_node_handle_get_peer (self, handle);
  if (peer == NULL)
    {
      g_critical ("gtasklet_node_wait_for_room() was given %s %p, which is not a handle of "
                  "this node (see gtasklet_node_lookup())", G_OBJECT_TYPE_NAME (handle), handle);
      return NULL;
    }
  return _gtasklet_node_room_new (self, peer);
}

/**
 * gtasklet_node_get_queued:
 * @self: a [class@Gtasklet.Node]
 * @handle: one of @self's handles
 *
 * Counts what waits in this process to go to @handle's process: messages not yet sent (all
 * tasklets of that process together), not those on their way.
 *
 * This function is thread-safe.
 *
 * Returns: the number of items queued for @handle's process
 *
 * Since: 1.2
 */
guint
gtasklet_node_get_queued (GtaskletNode    *self,
                          GtaskletTasklet *handle)
{
  GtaskletNodePeer *peer;
  guint queued;

  g_return_val_if_fail (GTASKLET_IS_NODE (self), 0);
  g_return_val_if_fail (GTASKLET_IS_TASKLET (handle), 0);

  peer = _gtasklet_node_handle_get_peer (self, handle);
  if (peer == NULL)
    {
      g_critical ("gtasklet_node_get_queued() was given %s %p, which is not a handle of this "
                  "node (see gtasklet_node_lookup())", G_OBJECT_TYPE_NAME (handle), handle);
      return 0;
    }
  g_mutex_lock (&self->lock);
  queued = peer->outbound.length;
  g_mutex_unlock (&self->lock);
  return queued;
}

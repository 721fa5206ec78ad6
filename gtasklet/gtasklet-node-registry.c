/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-node-private.h"

/* The node's registrations: the local tasklets that peers know by a key "#<id>", exported or
 * having sent to a peer. Each is watched (a finish watch, on the tasklet's own thread) so that
 * its end becomes a DOWN item for every peer that knows it, queued after every message the
 * tasklet sent them: those were queued by its steps, before its end. All under the node's
 * lock. */

static void on_registered_finished (GtaskletFinishWatch *watch,
                                    GtaskletTasklet     *tasklet);

void
_gtasklet_node_registration_free (GtaskletNodeRegistration *registration)
{
  g_ptr_array_unref (registration->holders);
  g_clear_object (&registration->tasklet);
  g_weak_ref_clear (&registration->node);
  g_free (registration);
}

/* The registration of @tasklet, made (and watched) if it has none. NULL if it has finished. */
GtaskletNodeRegistration *
_gtasklet_node_register_locked (GtaskletNode    *self,
                                GtaskletTasklet *tasklet)
{
  GtaskletNodeRegistration *registration = g_hash_table_lookup (self->registrations, tasklet);

  if (registration != NULL)
    return registration;

  registration = g_new0 (GtaskletNodeRegistration, 1);
  g_weak_ref_init (&registration->node, self);
  registration->tasklet = g_object_ref (tasklet);
  registration->holders = g_ptr_array_new_with_free_func ((GDestroyNotify) _gtasklet_node_peer_unref);
  g_snprintf (registration->key, sizeof registration->key, "#%" G_GUINT64_FORMAT, ++self->next_id);
  _gtasklet_finish_watch_set_notify (&registration->watch, on_registered_finished);
  registration->watch.quiet = TRUE;

  /* Added under the node's lock: the notify takes that lock, so it cannot look for the
   * registration before it is in the tables. */
  if (!_gtasklet_tasklet_add_finish_watch (tasklet, &registration->watch))
    {
      _gtasklet_node_registration_free (registration);
      return NULL;
    }
  g_hash_table_insert (self->registrations, tasklet, registration);
  g_hash_table_insert (self->by_key, registration->key, registration);
  return registration;
}

/* @peer knows @registration's key from now on: it hears of the tasklet's end, and may
 * address the tasklet by it (a key it was never given is refused: keys are small numbers,
 * easy to guess). */
void
_gtasklet_node_hold_locked (GtaskletNodeRegistration *registration,
                            GtaskletNodePeer         *peer)
{
  if (!g_hash_table_contains (peer->held, registration->key))
    {
      g_hash_table_add (peer->held, g_strdup (registration->key));
      g_ptr_array_add (registration->holders, _gtasklet_node_peer_ref (peer));
    }
}

static GVariant *
down_payload (GtaskletTasklet *tasklet,
              GUnixFDList     *fds,
              gsize            max_size)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);
  const GValue *result = error == NULL ? gtasklet_tasklet_get_result (tasklet) : NULL;
  g_autoptr(GVariant) encoded_error = _gtasklet_node_error_encode (error);
  g_autoptr(GVariant) encoded_result = NULL;
  g_autoptr(GError) local_error = NULL;

  if (result != NULL)
    encoded_result = _gtasklet_node_value_encode (result, fds, max_size, &local_error);
  if (encoded_result == NULL)
    {
      /* A result that cannot cross: the end still does, without it. */
      if (local_error != NULL)
        g_debug ("the result of %s %p stays in this process: %s",
                 G_OBJECT_TYPE_NAME (tasklet), tasklet, local_error->message);
      encoded_result = _gtasklet_node_value_encode (NULL, NULL, 0, NULL);
    }
  return g_variant_new ("(@(sis)@(sv))", encoded_error, encoded_result);
}

/* On the finished tasklet's thread: every peer that knows it hears of its end, after every
 * message it sent them (those were queued by its steps, before this). */
static void
on_registered_finished (GtaskletFinishWatch *watch,
                        GtaskletTasklet     *tasklet)
{
  GtaskletNodeRegistration *registration = (GtaskletNodeRegistration *) watch;
  g_autoptr(GtaskletNode) self = g_weak_ref_get (&registration->node);
  GHashTableIter iter;
  gpointer name, key;

  /* The node went first: it left this registration to this notify. */
  if (self == NULL)
    {
      _gtasklet_node_registration_free (registration);
      return;
    }

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < registration->holders->len; i++)
    {
      GtaskletNodePeer *peer = g_ptr_array_index (registration->holders, i);
      g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();

      _gtasklet_node_peer_push_locked (peer, NODE_ITEM_DOWN, registration->key, "", "",
                                       down_payload (tasklet, fds, self->max_message_size),
                                       g_unix_fd_list_get_length (fds) > 0 ? fds : NULL);
    }
  g_hash_table_iter_init (&iter, self->exports);
  while (g_hash_table_iter_next (&iter, &name, &key))
    if (g_str_equal (key, registration->key))
      g_hash_table_iter_remove (&iter);
  g_hash_table_remove (self->by_key, registration->key);
  g_hash_table_steal (self->registrations, tasklet);
  _gtasklet_node_wake_locked (self);
  g_mutex_unlock (&self->lock);

  _gtasklet_node_registration_free (registration);
}

/* The local tasklet @peer means by @key: "#<id>", or a name it gave one ("@<n>"). */
GtaskletTasklet *
_gtasklet_node_find_local_locked (GtaskletNode     *self,
                                  GtaskletNodePeer *peer,
                                  const char       *key)
{
  GtaskletNodeRegistration *registration;

  if (key[0] != '#')
    key = g_hash_table_lookup (peer->aliases, key);
  if (key == NULL)
    return NULL;
  registration = g_hash_table_lookup (self->by_key, key);
  return registration != NULL ? registration->tasklet : NULL;
}


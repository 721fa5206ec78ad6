/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>
#include <gtasklet/gtasklet-tasklet.h>
#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

/**
 * GtaskletNodeFactory:
 * @args: (nullable): the arguments the other process gave [method@Gtasklet.Node.spawn]
 * @user_data: the data given to [method@Gtasklet.Node.add_factory]
 * @error: where to put the reason if no tasklet can be made
 *
 * Makes a tasklet for another process, which asked for it with
 * [method@Gtasklet.Node.spawn]. The node starts the tasklet (if it is new) on its own
 * context, and its asker holds a handle to it. Called on the node's thread.
 *
 * Returns: (transfer full) (nullable): a tasklet, or %NULL with @error set
 *
 * Since: 1.2
 */
typedef GtaskletTasklet *(*GtaskletNodeFactory) (GVariant  *args,
                                                 gpointer   user_data,
                                                 GError   **error);

#define GTASKLET_TYPE_NODE (gtasklet_node_get_type ())
GTASKLET_AVAILABLE_IN_1_2
G_DECLARE_FINAL_TYPE (GtaskletNode, gtasklet_node, GTASKLET, NODE, GObject)

GTASKLET_AVAILABLE_IN_1_2
GtaskletNode    *gtasklet_node_new            (GDBusConnection     *connection,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GDBusConnection *gtasklet_node_get_connection (GtaskletNode        *self);
GTASKLET_AVAILABLE_IN_1_2
gboolean         gtasklet_node_export         (GtaskletNode        *self,
                                               const char          *name,
                                               GtaskletTasklet     *tasklet,
                                               GError             **error);
GTASKLET_AVAILABLE_IN_1_2
gboolean         gtasklet_node_unexport       (GtaskletNode        *self,
                                               const char          *name);
GTASKLET_AVAILABLE_IN_1_2
void             gtasklet_node_add_factory    (GtaskletNode        *self,
                                               const char          *name,
                                               GtaskletNodeFactory  factory,
                                               gpointer             user_data,
                                               GDestroyNotify       destroy);
GTASKLET_AVAILABLE_IN_1_2
GtaskletTasklet *gtasklet_node_lookup         (GtaskletNode        *self,
                                               const char          *peer,
                                               const char          *name) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GtaskletTasklet *gtasklet_node_spawn          (GtaskletNode        *self,
                                               const char          *peer,
                                               const char          *factory,
                                               GVariant            *args) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GtaskletWaitCondition *gtasklet_node_wait_for_room (GtaskletNode   *self,
                                                    GtaskletTasklet *handle) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
guint            gtasklet_node_get_queued     (GtaskletNode        *self,
                                               GtaskletTasklet     *handle);
GTASKLET_AVAILABLE_IN_1_2
gboolean         gtasklet_node_is_remote      (GtaskletNode        *self,
                                               GtaskletTasklet     *tasklet);
GTASKLET_AVAILABLE_IN_1_2
void             gtasklet_node_close          (GtaskletNode        *self);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib-object.h>

#include <gtasklet/gtasklet-types.h>
#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

/**
 * GTASKLET_MESSAGE_DOWN:
 *
 * The name of the message a monitor delivers ([method@Gtasklet.Tasklet.monitor]) when the
 * monitored tasklet finishes: `"gtasklet.down"`. Its sender is the tasklet that finished;
 * its value holds that tasklet's `GError` (`G_TYPE_ERROR`), or there is no value
 * ([method@Gtasklet.Message.get_value] returns %NULL) if it finished normally.
 *
 * Since: 1.2
 */
#define GTASKLET_MESSAGE_DOWN "gtasklet.down"

/**
 * GTASKLET_MESSAGE_EXIT:
 *
 * The name of the message a tasklet that traps exits
 * ([property@Gtasklet.Tasklet:trap-exits]) receives when a tasklet linked to it
 * ([method@Gtasklet.Tasklet.link]) finishes: `"gtasklet.exit"`. Sender and value follow
 * the rules of [const@Gtasklet.MESSAGE_DOWN].
 *
 * Since: 1.2
 */
#define GTASKLET_MESSAGE_EXIT "gtasklet.exit"

#define GTASKLET_TYPE_MESSAGE (gtasklet_message_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GtaskletMessage, gtasklet_message, GTASKLET, MESSAGE, GObject)

GTASKLET_AVAILABLE_IN_ALL
GtaskletMessage *gtasklet_message_new          (const char      *name,
                                                const GValue    *value) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletMessage *gtasklet_message_new_variant  (const char      *name,
                                                GVariant        *variant) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
const char      *gtasklet_message_get_name     (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_ALL
const GValue    *gtasklet_message_get_value    (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_ALL
GVariant        *gtasklet_message_get_variant  (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_1_2
int              gtasklet_message_get_int      (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_1_2
const char      *gtasklet_message_get_string   (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_1_2
gpointer         gtasklet_message_get_pointer  (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_1_2
gpointer         gtasklet_message_steal_pointer (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet *gtasklet_message_get_sender   (GtaskletMessage *self);
GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet *gtasklet_message_get_dest     (GtaskletMessage *self);

G_END_DECLS

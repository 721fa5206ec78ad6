/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/* Tasklets, conditions and messages refer to each other; forward declarations keep each
 * public header about one type. */
typedef struct _GtaskletTasklet       GtaskletTasklet;
typedef struct _GtaskletWaitCondition GtaskletWaitCondition;
typedef struct _GtaskletMessage       GtaskletMessage;

/**
 * GtaskletState:
 * @GTASKLET_STATE_NEW: created, not started yet
 * @GTASKLET_STATE_RUNNING: one of its steps is running
 * @GTASKLET_STATE_SUSPENDED: waiting for one of the conditions of its wait set
 * @GTASKLET_STATE_FINISHED: finished, with a result or an error
 *
 * The life cycle of a [class@Gtasklet.Tasklet].
 *
 * Since: 1.0
 */
typedef enum
{
  GTASKLET_STATE_NEW,
  GTASKLET_STATE_RUNNING,
  GTASKLET_STATE_SUSPENDED,
  GTASKLET_STATE_FINISHED,
} GtaskletState;

/**
 * GtaskletMessageAction:
 * @GTASKLET_MESSAGE_ACCEPT: deliver the message as the step's event
 * @GTASKLET_MESSAGE_DEFER: leave it queued, in order, for a later wait
 * @GTASKLET_MESSAGE_DISCARD: drop it
 *
 * What a [class@Gtasklet.WaitForMessages] does with a message of a given name.
 *
 * Since: 1.0
 */
typedef enum
{
  GTASKLET_MESSAGE_ACCEPT,
  GTASKLET_MESSAGE_DEFER,
  GTASKLET_MESSAGE_DISCARD,
} GtaskletMessageAction;

G_END_DECLS

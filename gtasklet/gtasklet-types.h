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

/**
 * GtaskletSupervisorStrategy:
 * @GTASKLET_SUPERVISOR_ONE_FOR_ONE: only the child that ended is restarted
 * @GTASKLET_SUPERVISOR_ONE_FOR_ALL: every other child is stopped (in reverse start order),
 *   then all of them are started again (in start order)
 * @GTASKLET_SUPERVISOR_REST_FOR_ONE: the children started after the one that ended are
 *   stopped (in reverse start order), then it and they are started again (in start order)
 *
 * What a [class@Gtasklet.Supervisor] does when a child that must be restarted ends, as
 * Erlang/OTP's supervisor strategies.
 *
 * Since: 1.2
 */
typedef enum
{
  GTASKLET_SUPERVISOR_ONE_FOR_ONE,
  GTASKLET_SUPERVISOR_ONE_FOR_ALL,
  GTASKLET_SUPERVISOR_REST_FOR_ONE,
} GtaskletSupervisorStrategy;

/**
 * GtaskletRestart:
 * @GTASKLET_RESTART_PERMANENT: always restarted when it ends
 * @GTASKLET_RESTART_TRANSIENT: restarted only when it fails (cancellation included), not when
 *   it finishes normally
 * @GTASKLET_RESTART_TEMPORARY: never restarted
 *
 * When a [class@Gtasklet.Supervisor] restarts a child that ended by itself.
 *
 * Since: 1.2
 */
typedef enum
{
  GTASKLET_RESTART_PERMANENT,
  GTASKLET_RESTART_TRANSIENT,
  GTASKLET_RESTART_TEMPORARY,
} GtaskletRestart;

G_END_DECLS

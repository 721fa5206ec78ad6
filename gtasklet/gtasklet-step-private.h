/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-tasklet-private.h"
#include "gtasklet-wait-condition-private.h"

G_BEGIN_DECLS

/* The step engine, shared by gtasklet-step.c (events, steps, commits, ends) and
 * gtasklet-step-arrivals.c (what reaches a tasklet from outside its steps). Everything here
 * runs on the thread that runs the tasklet's context unless said otherwise. */

/* One step (or one finish outside a step) on the C stack. Frames form a chain, because a
 * step may start a child tasklet whose first step runs inside it. While any frame is on a
 * thread's stack, no step runs inline there: delivery never nests. */
typedef struct _GtaskletStepFrame GtaskletStepFrame;
struct _GtaskletStepFrame
{
  GtaskletTasklet   *tasklet;
  GtaskletStepFrame *parent;
  GtaskletWaitSet    pending;
  /* The first programmer error the step made; it fails the tasklet when the step returns. */
  GError            *misuse;
  /* run() has returned: the wait set is being committed or the tasklet finished. */
  gboolean           closed;
};

/* A next event is a condition, or an envelope tagged in the low bit. */
#define EVENT_IS_ENVELOPE(event) (((guintptr) (event) & 1) != 0)
#define EVENT_ENVELOPE(event)    ((GtaskletEnvelope *) ((guintptr) (event) & ~(guintptr) 1))
#define ENVELOPE_EVENT(envelope) ((gpointer) ((guintptr) (envelope) | 1))

/* Messages are a final type, so an exact type comparison tells them from conditions. */
#define IS_MESSAGE(obj) (G_TYPE_FROM_INSTANCE (obj) == GTASKLET_TYPE_MESSAGE)

extern guint _gtasklet_tasklet_finished_signal;
extern const GtaskletWaiterFuncs _gtasklet_step_waiter_funcs;

GError             *_gtasklet_step_cancelled_error      (void);
GtaskletStepFrame  *_gtasklet_step_find_frame           (GtaskletTasklet        *self);
void                _gtasklet_step_fired_append         (GtaskletTaskletPrivate *priv,
                                                         GtaskletWaitCondition  *condition);
void                _gtasklet_step_fired_remove         (GtaskletTaskletPrivate *priv,
                                                         GtaskletWaitCondition  *condition);
gboolean            _gtasklet_step_catches_cancel       (GtaskletWaitSet        *set,
                                                         GCancellable           *cancellable);
gboolean            _gtasklet_step_is_cancelled         (GtaskletTasklet        *self);
GError             *_gtasklet_step_take_pending_failure (GtaskletTasklet        *self);
void                _gtasklet_step_queue                (GtaskletTasklet        *self);
void                _gtasklet_step_wake                 (GtaskletTasklet        *self,
                                                         gboolean                may_run_now);
void                _gtasklet_step_run                  (GtaskletTasklet        *self,
                                                         GObject                *event);
void                _gtasklet_step_finish_outside       (GtaskletTasklet        *self,
                                                         GError                 *error);

G_END_DECLS

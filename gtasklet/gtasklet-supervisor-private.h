/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-supervisor.h"

#include "gtasklet-restart-window-private.h"
#include "gtasklet-tasklet-private.h"

G_BEGIN_DECLS

/* The supervisor's state, shared by its type (gtasklet-supervisor.c) and its step, which
 * starts, stops and restarts the children (gtasklet-supervisor-step.c). */

/* What the supervisor hears from a child that ended: a message whose value is the child's
 * tasklet (an older tasklet of a restarted child is recognised and ignored). */
#define CHILD_EXITED "gtasklet.supervisor.child-exited"

typedef struct
{
  char              *id;
  GtaskletChildFunc  func;
  gpointer           user_data;
  GDestroyNotify     destroy;
  GtaskletRestart    restart;
  guint              index;      /* start order */
  GtaskletTasklet   *current;    /* the latest tasklet, finished or not; strong */
  gboolean           running;    /* started, and its end not taken in yet */
  gboolean           stopping;   /* cancelled by the supervisor, its end awaited */
  /* In to_stop / to_restart: flags rather than searches, for thousands of children. */
  gboolean           queued_stop;
  gboolean           queued_restart;
} Child;

typedef struct
{
  GtaskletFinishWatch  watch;
  GtaskletSupervisor  *supervisor;  /* strong, handed over to the notify */
} ExitWatch;

typedef enum
{
  AFTER_STOP_NOTHING,
  AFTER_STOP_RESTART,
  AFTER_STOP_FAIL,
} AfterStop;

typedef struct
{
  GtaskletSupervisorStrategy  strategy;
  GtaskletRestartWindow       window;

  GPtrArray                  *children;      /* Child *, in start order */
  GHashTable                 *by_tasklet;    /* current tasklet -> Child * */
  gboolean                    started;
  GtaskletWaitCondition      *cancelled;
  /* The backoff before the restarts to come, when there is one. */
  guint                       delay_ms;
  GtaskletWaitCondition      *backoff;       /* armed while waiting it out */

  /* A stop in progress: children to stop, last to first; then what to do. */
  /* Child *, borrowed, in start order: the last one (still queued_stop) stops next. */
  GPtrArray                  *to_stop;
  AfterStop                   after_stop;
  GPtrArray                  *to_restart;    /* Child *, borrowed, in start order */
  GError                     *failure;
  /* Ends that came during a stop and still need handling. */
  GPtrArray                  *deferred;      /* Child *, borrowed */
} GtaskletSupervisorPrivate;

GtaskletSupervisorPrivate *_gtasklet_supervisor_get_private (GtaskletSupervisor *self);
void      _gtasklet_supervisor_child_free     (Child              *child);
gboolean  _gtasklet_supervisor_start_child    (GtaskletSupervisor *self,
                                               Child              *child);
gboolean  _gtasklet_supervisor_count_restart  (GtaskletSupervisor *self);
void      _gtasklet_supervisor_shut_down      (GtaskletSupervisor *self);
void      _gtasklet_supervisor_queue_restart  (GtaskletSupervisorPrivate *priv,
                                               Child              *child);
gboolean  _gtasklet_supervisor_run            (GtaskletTasklet    *tasklet,
                                               GObject            *event,
                                               GError            **error);

G_END_DECLS

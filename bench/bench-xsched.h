/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The plain-GLib actors of the cross-thread baseline (bench-baseline-threads.c): the floor of
 * bench-baseline.c, one run queue per GMainContext, carried over to several threads. See
 * bench-xsched.c. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _XMsg   XMsg;
typedef struct _XActor XActor;
typedef struct _XSched XSched;

/* Returns TRUE to keep waiting for messages, FALSE to finish. */
typedef gboolean (*XStepFunc) (XActor *self,
                               XMsg   *msg);

struct _XMsg
{
  XMsg       *next;
  XActor     *dest;
  XActor     *sender;   /* the actor whose step sent it; NULL from outside any step */
  const char *name;
  int         value;
};

struct _XActor
{
  XSched    *sched;     /* where its steps run */
  XMsg      *head;      /* its FIFO: touched by its own thread only */
  XMsg      *tail;
  XStepFunc  step;
  gpointer   data;
  gboolean   queued;
  int        finished;  /* atomic: read by senders on other threads */
};

/* A thread iterating a context of its own, like a GtaskletPool worker. */
typedef struct
{
  GMainContext *context;
  XSched       *sched;
  GThread      *thread;
  int           quit;   /* atomic */
} XWorker;

XSched  *xsched_new_for_main  (void);
void     xsched_free          (XSched     *sched);

void     xactor_init          (XActor     *actor,
                               XSched     *sched,
                               XStepFunc   step,
                               gpointer    data);
gboolean xactor_send          (XActor     *dest,
                               const char *name,
                               int         value);

XWorker *xworker_new          (guint       index);
void     xworker_free         (XWorker    *worker);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "gtasklet-thread-private.h"

G_BEGIN_DECLS

/* One scheduler per GMainContext: a main-loop source that runs work queued for that context.
 * It knows no tasklet and no condition, only work:
 *
 * - jobs ({func, data} pairs) queued by the thread that iterates the context, run in order
 *   from the source's dispatch, at most a budget per dispatch so other sources get a turn;
 * - work items posted from any thread, through a locked inbox, moved onto the owner's
 *   thread at the next dispatch (each posted item runs once, or is discarded if the context
 *   is destroyed first);
 * - members, the things that live on the context (tasklets), told when the context is
 *   destroyed under them so they can end instead of waiting forever.
 *
 * The owner of a scheduler is whichever thread iterates its context at the time, never a
 * thread remembered from earlier: _gtasklet_scheduler_is_current() asks the main loop. */

typedef struct _GtaskletScheduler       GtaskletScheduler;
typedef struct _GtaskletWorkItem        GtaskletWorkItem;
typedef struct _GtaskletSchedulerMember GtaskletSchedulerMember;

typedef void (*GtaskletJobFunc)  (gpointer          data);
/* @run is FALSE when the item is discarded unrun (its context was destroyed): free it. */
typedef void (*GtaskletWorkFunc) (GtaskletWorkItem *item,
                                  gboolean          run);

struct _GtaskletWorkItem
{
  GtaskletWorkItem *next;
  GtaskletWorkFunc  func;
};

struct _GtaskletSchedulerMember
{
  GtaskletSchedulerMember *prev;
  GtaskletSchedulerMember *next;
};

/* What a member is told when its context is destroyed (on the thread that destroys it, with
 * the scheduler current). One function for all members, set by the layer that makes them
 * (the tasklets): a pointer in each member would cost every tasklet 8 bytes. */
typedef void (*GtaskletMemberFunc) (GtaskletSchedulerMember *member);
void _gtasklet_scheduler_set_member_destroyed (GtaskletMemberFunc func);

/* What _gtasklet_scheduler_enter() changed, for _gtasklet_scheduler_leave(). */
typedef struct
{
  gpointer saved_current;
  gboolean acquired;
} GtaskletSchedulerEntry;

GtaskletScheduler *_gtasklet_scheduler_get_for_context (GMainContext            *context);
GtaskletScheduler *_gtasklet_scheduler_ref             (GtaskletScheduler       *self);
void               _gtasklet_scheduler_unref           (GtaskletScheduler       *self);
GMainContext      *_gtasklet_scheduler_get_context     (GtaskletScheduler       *self);
gboolean           _gtasklet_scheduler_is_dispatching  (GtaskletScheduler       *self);
gboolean           _gtasklet_scheduler_enter           (GtaskletScheduler       *self,
                                                        GtaskletSchedulerEntry  *entry);
void               _gtasklet_scheduler_leave           (GtaskletScheduler       *self,
                                                        GtaskletSchedulerEntry  *entry);
void               _gtasklet_scheduler_queue           (GtaskletScheduler       *self,
                                                        GtaskletJobFunc          func,
                                                        gpointer                 data);
gboolean           _gtasklet_scheduler_post            (GtaskletScheduler       *self,
                                                        GtaskletWorkItem        *item);
void               _gtasklet_scheduler_run_posted      (GtaskletScheduler       *self);
void               _gtasklet_scheduler_add_member      (GtaskletScheduler       *self,
                                                        GtaskletSchedulerMember *member);
void               _gtasklet_scheduler_remove_member   (GtaskletScheduler       *self,
                                                        GtaskletSchedulerMember *member);

/* Whether this thread runs @self's context right now, so owner-only state may be touched.
 * The cheap answer (this thread is inside the scheduler's dispatch or an entered section)
 * comes first; otherwise a source of the context being dispatched here says so. */
gboolean           _gtasklet_scheduler_is_current_slow (GtaskletScheduler       *self);

static inline gboolean
_gtasklet_scheduler_is_current (GtaskletScheduler *self)
{
  return _gtasklet_thread_get ()->current_scheduler == (gpointer) self ||
         _gtasklet_scheduler_is_current_slow (self);
}

/* Posted work waits: an owner about to act directly runs it first, so work posted earlier
 * from this thread (before it owned the context) keeps its order. */
gboolean           _gtasklet_scheduler_has_posted      (GtaskletScheduler       *self);

gboolean _gtasklet_can_spin (void);

G_END_DECLS

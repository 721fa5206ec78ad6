/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-live-private.h"
#include "gtasklet-mailbox-private.h"
#include "gtasklet-scheduler-private.h"
#include "gtasklet-tasklet.h"
#include "gtasklet-wait-set-private.h"

G_BEGIN_DECLS

/* The state shared by the tasklet's public API (gtasklet-tasklet.c), its step engine
 * (gtasklet-step.c) and its joins (gtasklet-tasklet-join.c).
 *
 * Threads: everything is touched only by the thread that runs the tasklet's context, except
 * - state, read by any thread (atomically);
 * - the extras' cancellable, handler, watches and pending failure, and the mailbox of a
 *   tasklet that has not started, guarded by the tasklet's stripe lock
 *   (_gtasklet_lock_for (tasklet));
 * - result and error, written before the state becomes FINISHED and only read after
 *   (the result by the tasklet's step only). */

typedef struct _GtaskletFinishWatch GtaskletFinishWatch;

/* Someone to tell when a tasklet finishes: joiners link one of these into the tasklet
 * instead of connecting to ::finished, which would cost a closure per join. Added and removed
 * from any thread; @notify runs on the finishing tasklet's thread, with a reference on
 * @owner (if set) held across the call. */
typedef void (*GtaskletFinishNotify) (GtaskletFinishWatch *watch,
                                      GtaskletTasklet     *tasklet);

struct _GtaskletFinishWatch
{
  GtaskletFinishWatch *next;
  GtaskletFinishWatch *prev;
  GObject             *owner;
  /* Its notify, as an index in a table of the few notify functions there are (set with
   * _gtasklet_finish_watch_set_notify()): a byte rather than a pointer keeps a monitor, which
   * embeds a watch, within 56 bytes. */
  guint8               kind;
  guint8               linked;
  /* Set by a watch that only needs to know the tasklet has ended (a worker pool's load): it
   * does not read the outcome, so a failure with only such watches still gets logged. */
  guint8               quiet;
};

guint8                _gtasklet_finish_watch_register   (GtaskletFinishNotify notify);
GtaskletFinishNotify  _gtasklet_finish_watch_get_notify (const GtaskletFinishWatch *watch);

/* Sets @watch's notify to @func; the kind of each call site is looked up once. */
#define _gtasklet_finish_watch_set_notify(watch, func)                                         \
  G_STMT_START {                                                                             \
    static gsize kind_plus_one__ = 0;                                                        \
    if (g_once_init_enter (&kind_plus_one__))                                                \
      g_once_init_leave (&kind_plus_one__, (gsize) _gtasklet_finish_watch_register (func) + 1); \
    (watch)->kind = (guint8) (kind_plus_one__ - 1);                                          \
  } G_STMT_END

/* What most tasklets never need, allocated on first use. */
typedef struct
{
  GCancellable        *cancellable;
  gulong               cancelled_handler;
  GtaskletFinishWatch *watches;
  /* A programmer error made outside the tasklet's own step: it fails with this next. */
  GError              *pending_failure;
  char                *name;
  GError              *error;
  /* Counters, from the first step counted (gtasklet-statistics.c); the tasklet's thread. */
  gpointer             stats;
  /* Someone (a joiner, a ::finished handler, get_error()) saw the failure: no need to log
   * it when the tasklet goes away. Atomic: get_error() may run on any thread. */
  int                  error_seen;
  /* Atomic: a linked tasklet's end is decided on arrival, and a tasklet that has not
   * started takes it on the sender's thread. */
  int                  trap_exits;
  /* The monitors this tasklet holds, newest first (gtasklet-tasklet-monitor.c). Its own
   * thread only. */
  struct _GtaskletMonitor *monitors;
  /* Never runs a step: what is sent to it goes to its forward function (func). Set once,
   * before anyone else sees the tasklet (gtasklet-tasklet-forward.c); here rather than a bit
   * beside the step engine's, which its own thread writes while others read this. */
  gboolean             forwarding;
} GtaskletTaskletExtras;

typedef struct
{
  GtaskletRunFunc          func;
  gpointer                 func_data;
  GDestroyNotify           func_destroy;

  GtaskletScheduler       *scheduler;
  GtaskletSchedulerMember  member;
  /* Linked while started and unfinished, for gtasklet_tasklet_list_live(). */
  GtaskletLiveLink         live;

  GtaskletWaitSet          armed;
  GtaskletWaitCondition   *fired_head;
  GtaskletWaitCondition   *fired_tail;
  GtaskletMailbox          mailbox;
  /* An event chosen when the tasklet was queued, delivered when it is dispatched: a
   * condition, or an envelope tagged in the low bit (a message still counts as queued). */
  gpointer                 next_event;
  GtaskletTaskletExtras   *extras;
  /* Inline: a spawned tasklet that returns a value needs no extras. */
  GValue                   result;

  int                      state;
  guint                    queued : 1;
  guint                    committing : 1;
  guint                    release_on_dequeue : 1;
  /* tasklet_begin() has run: until then the state is already SUSPENDED (other threads see a
   * started tasklet), but the first step has not run, and the tasklet is no member of its
   * scheduler yet. */
  guint                    begun : 1;
  /* The step was woken by a condition that reports its own cancellation: the cancellation
   * is its to handle from then on, so later wait sets no longer end it. */
  guint                    cancel_handled : 1;
  /* On its scheduler's list of members (from its begin to its end). */
  guint                    is_member : 1;
} GtaskletTaskletPrivate;

extern int _gtasklet_tasklet_private_offset;

static inline GtaskletTaskletPrivate *
_gtasklet_tasklet_get_private (GtaskletTasklet *self)
{
  return G_STRUCT_MEMBER_P (self, _gtasklet_tasklet_private_offset);
}

static inline GtaskletTasklet *
_gtasklet_tasklet_from_private (GtaskletTaskletPrivate *priv)
{
  return G_STRUCT_MEMBER_P (priv, -_gtasklet_tasklet_private_offset);
}

static inline GtaskletState
_gtasklet_tasklet_peek_state (GtaskletTasklet *self)
{
  return g_atomic_int_get (&_gtasklet_tasklet_get_private (self)->state);
}

GtaskletTaskletExtras *_gtasklet_tasklet_get_extras     (GtaskletTasklet     *self);
void                   _gtasklet_tasklet_release        (GtaskletTasklet     *self);
void                   _gtasklet_tasklet_release_state  (GtaskletTasklet     *self);
GtaskletTasklet       *_gtasklet_tasklet_pool_take      (void);

/* The tasklet's cancellable if it has one. Any thread: it is set once, under the lock. */
static inline GCancellable *
_gtasklet_tasklet_peek_cancellable (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);

  return extras != NULL ? g_atomic_pointer_get (&extras->cancellable) : NULL;
}

/* Forwarding tasklets (gtasklet-tasklet-forward.c): tasklets that never run a step. What is
 * sent to one is handed, on the sender's thread, to its forward function instead of being
 * queued; it finishes when its owner ends it. The D-Bus node's handles of tasklets in other
 * processes are such tasklets, so monitors, links and joins work on them unchanged. */
/* With an @envelope (routed, taken): a message or a linked tasklet's end (ENVELOPE_EXIT) sent
 * to @self; returns whether it was taken, as a delivery does. Without: @other linked itself to
 * @self (@linked) or unlinked. On the thread of the sender or linker. */
typedef gboolean (*GtaskletForwardFunc) (GtaskletTasklet  *self,
                                         GtaskletEnvelope *envelope,
                                         GtaskletTasklet  *other,
                                         gboolean          linked,
                                         gpointer          user_data);

GtaskletTasklet       *_gtasklet_tasklet_new_forwarding (GtaskletForwardFunc  func,
                                                         gpointer             user_data,
                                                         GDestroyNotify       destroy);
gboolean               _gtasklet_tasklet_is_forwarding  (GtaskletTasklet     *self);
gboolean               _gtasklet_tasklet_forward        (GtaskletTasklet     *self,
                                                         GtaskletEnvelope    *envelope);
void                   _gtasklet_tasklet_forward_link   (GtaskletTasklet     *self,
                                                         GtaskletTasklet     *other,
                                                         gboolean             linked);
gboolean               _gtasklet_tasklet_end_forwarding (GtaskletTasklet     *self,
                                                         GValue              *result,
                                                         GError              *error);
void                   _gtasklet_tasklet_link_forwarding (GtaskletTasklet    *self,
                                                          GtaskletTasklet    *other,
                                                          gboolean            linked);

/* The step engine (gtasklet-step.c). */
void                   _gtasklet_tasklet_fail_later     (GtaskletTasklet     *self,
                                                         GError              *error);
gpointer               _gtasklet_tasklet_get_step_code  (GtaskletTasklet     *self);
gboolean               _gtasklet_tasklet_start_in       (GtaskletTasklet     *self,
                                                         GMainContext        *context,
                                                         gboolean             post);
void                   _gtasklet_tasklet_add_wait       (GtaskletTasklet     *self,
                                                         GtaskletWaitCondition *condition,
                                                         GtaskletReceiveSpec *receive);
gboolean               _gtasklet_tasklet_is_in_step     (GtaskletTasklet     *self);
GtaskletTasklet       *_gtasklet_tasklet_current        (void);
void                   _gtasklet_tasklet_register_member_func (void);
/* gtasklet-tasklet-describe.c, shared with the debug D-Bus interface. */
const char            *_gtasklet_tasklet_state_nick     (GtaskletState        state);
char                  *_gtasklet_wait_entry_describe    (GtaskletWaitEntry    entry);
void                   _gtasklet_tasklet_misuse         (GtaskletTasklet     *self,
                                                         const char          *format,
                                                         ...) G_GNUC_PRINTF (2, 3);
gboolean               _gtasklet_tasklet_deliver        (GtaskletTasklet     *dest,
                                                         GtaskletEnvelope    *envelope);
void                   _gtasklet_tasklet_check_later    (GtaskletTasklet     *self);
void                   _gtasklet_tasklet_end_disposed   (GtaskletTasklet     *self);
guint                  _gtasklet_tasklet_count_pending  (GtaskletTasklet     *self);

/* Finish watches (gtasklet-tasklet.c). */
gboolean               _gtasklet_tasklet_add_finish_watch    (GtaskletTasklet     *self,
                                                              GtaskletFinishWatch *watch);
gboolean               _gtasklet_tasklet_remove_finish_watch (GtaskletTasklet     *self,
                                                              GtaskletFinishWatch *watch);
GtaskletTasklet       *_gtasklet_tasklet_remove_finish_watch_ref (GtaskletTasklet *self,
                                                              GtaskletFinishWatch *watch);
GtaskletFinishWatch   *_gtasklet_tasklet_steal_finish_watches (GtaskletTasklet    *self);
void                   _gtasklet_tasklet_notify_finish_watches (GtaskletTasklet   *self,
                                                              GtaskletFinishWatch *watches);

/* Monitors and links (gtasklet-tasklet-monitor.c, gtasklet-tasklet-link.c): what arrives
 * on the receiver's thread (or, for one not started, on the sender's) is checked here; FALSE
 * means it was used up (dropped, or it failed the receiver). */
gboolean               _gtasklet_tasklet_down_arrived     (GtaskletTasklet     *self,
                                                           GtaskletEnvelope    *envelope);
gboolean               _gtasklet_tasklet_exit_arrived     (GtaskletTasklet     *self,
                                                           GtaskletEnvelope    *envelope);
void                   _gtasklet_tasklet_exit_lost        (GtaskletTasklet     *self,
                                                           GtaskletEnvelope    *envelope);
extern GParamSpec     *_gtasklet_tasklet_trap_exits_pspec;
void                   _gtasklet_tasklet_drop_monitors    (GtaskletTasklet     *self);
GtaskletEnvelope      *_gtasklet_tasklet_end_envelope     (GtaskletTasklet     *finished,
                                                           const char          *name);
gboolean               _gtasklet_tasklet_check_own_thread (GtaskletTasklet     *self,
                                                           const char          *function);
GtaskletFinishWatch   *_gtasklet_tasklet_find_finish_watch (GtaskletTasklet    *self,
                                                            void (*notify) (GtaskletFinishWatch *, GtaskletTasklet *),
                                                            GObject            *owner,
                                                            gboolean            take);

/* Cancellation (gtasklet-tasklet.c). */
void                   _gtasklet_tasklet_connect_cancellable    (GtaskletTasklet *self);
void                   _gtasklet_tasklet_disconnect_cancellable (GtaskletTasklet *self);
gboolean               _gtasklet_tasklet_adopt_cancellable      (GtaskletTasklet *self,
                                                                 GCancellable    *cancellable);

G_END_DECLS

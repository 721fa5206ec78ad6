/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-live-private.h"

#include "gtasklet-scheduler-private.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-thread-private.h"

/* The registry of live tasklets (see gtasklet-live-private.h).
 *
 * Why stripes rather than one global list: a start and a finish each link or unlink one node,
 * and a global lock would be taken by every worker at every spawn. The stripe is chosen by the
 * tasklet's address (its 64 KiB region), so a tasklet that finishes on another thread than
 * the one that started it (one placed on a pool) finds its list without remembering it: the
 * link is two pointers, which keeps an idle tasklet within its memory budget (GObject rounds
 * a type's private data to 16 bytes, and 8 more made it a size class larger).
 *
 * Lock order: a stripe lock is taken alone; nothing is called out while it is held except
 * g_object_ref() on a tasklet that holds a reference on itself (no toggle notification can
 * run from that). */

#define N_STRIPES 64
#define CACHE_LINE 64

typedef struct
{
  GtaskletLock      lock;
  GtaskletLiveLink *head;
  guint             length;
} Stripe;

/* One stripe per cache line: two threads registering in neighbouring stripes must not
 * bounce a line between them. */
typedef union
{
  Stripe stripe;
  char   pad[(sizeof (Stripe) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE];
} PaddedStripe;

static PaddedStripe stripes[N_STRIPES] __attribute__ ((aligned (CACHE_LINE))) = {
  [0 ... N_STRIPES - 1] = { .stripe = { .lock = PTHREAD_MUTEX_INITIALIZER } }
};

/* Models made by gtasklet_tasklet_list_model_for_context() that are alive: while there are
 * none, a start or a finish costs one load and one branch more (gtasklet-live-model.c). */
int _gtasklet_live_n_models;

static Stripe *
stripe_of (GtaskletLiveLink *link)
{
  /* By 64 KiB region: tasklets made one after the other (on one thread, from its slab) share
   * a stripe, so a snapshot walks memory mostly in order (by single tasklets, a snapshot of a
   * million took four times as long), and threads, allocating from slabs of their own, mostly
   * keep to stripes of their own. */
  guintptr address = (guintptr) link;

  return &stripes[(address >> 16) % N_STRIPES].stripe;
}

/* Under the stripe's lock. */
static gboolean
is_registered (Stripe           *stripe,
               GtaskletLiveLink *link)
{
  return link->prev != NULL || stripe->head == link;
}

void
_gtasklet_live_register (GtaskletLiveLink *link)
{
  Stripe *stripe = stripe_of (link);

  _gtasklet_lock (&stripe->lock);
  g_assert (!is_registered (stripe, link));
  link->prev = NULL;
  link->next = stripe->head;
  if (stripe->head != NULL)
    stripe->head->prev = link;
  stripe->head = link;
  stripe->length++;
  _gtasklet_unlock (&stripe->lock);

  /* After the unlock: a model made meanwhile either counted before its snapshot locked this
   * stripe (and is told here) or found the link in its snapshot. */
  if G_UNLIKELY (g_atomic_int_get (&_gtasklet_live_n_models) > 0)
    _gtasklet_live_model_note (link, TRUE);
}

void
_gtasklet_live_unregister (GtaskletLiveLink *link)
{
  Stripe *stripe = stripe_of (link);

  _gtasklet_lock (&stripe->lock);
  if (!is_registered (stripe, link))
    {
      _gtasklet_unlock (&stripe->lock);
      return;
    }
  if (link->prev != NULL)
    link->prev->next = link->next;
  else
    stripe->head = link->next;
  if (link->next != NULL)
    link->next->prev = link->prev;
  stripe->length--;
  _gtasklet_unlock (&stripe->lock);
  *link = (GtaskletLiveLink) { NULL, NULL };

  if G_UNLIKELY (g_atomic_int_get (&_gtasklet_live_n_models) > 0)
    _gtasklet_live_model_note (link, FALSE);
}

static GtaskletTasklet *
tasklet_from_link (GtaskletLiveLink *link)
{
  gssize offset = G_STRUCT_OFFSET (GtaskletTaskletPrivate, live);

  return _gtasklet_tasklet_from_private (G_STRUCT_MEMBER_P (link, -offset));
}

/**
 * gtasklet_tasklet_list_live:
 *
 * Takes a snapshot of every tasklet of the process that has been started and has not
 * finished yet, on every thread and main context: a tasklet placed on a worker with
 * [method@Gtasklet.Pool.start] is listed from that call on.
 *
 * The snapshot does not change afterwards: it holds a reference on each tasklet, which may
 * finish meanwhile (check [method@Gtasklet.Tasklet.get_state]). The order is unspecified.
 * Each stripe of the registry is locked only while it is copied, so taking a snapshot does
 * not stop the threads that run tasklets.
 *
 * This function is thread-safe.
 *
 * Returns: (transfer full): a [iface@Gio.ListModel] of [class@Gtasklet.Tasklet]
 *
 * Since: 1.2
 */
GListModel *
gtasklet_tasklet_list_live (void)
{
  GListStore *store = g_list_store_new (GTASKLET_TYPE_TASKLET);
  g_autoptr(GPtrArray) tasklets = _gtasklet_live_snapshot (NULL);

  g_list_store_splice (store, 0, 0, tasklets->pdata, tasklets->len);
  return G_LIST_MODEL (store);
}

/* The context a live tasklet runs in (NULL once that context is gone). */
static GMainContext *
tasklet_context (GtaskletTasklet *tasklet)
{
  GtaskletScheduler *scheduler = _gtasklet_tasklet_get_private (tasklet)->scheduler;

  return scheduler != NULL ? _gtasklet_scheduler_get_context (scheduler) : NULL;
}

GMainContext *
_gtasklet_live_context_of (GtaskletLiveLink *link)
{
  return tasklet_context (tasklet_from_link (link));
}

/* Every live tasklet (of @context only, unless NULL), referenced. The references are taken
 * under the stripe locks and dropped by the caller outside them. */
GPtrArray *
_gtasklet_live_snapshot (GMainContext *context)
{
  GPtrArray *tasklets = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_STRIPES; i++)
    {
      Stripe *stripe = &stripes[i].stripe;

      _gtasklet_lock (&stripe->lock);
      for (GtaskletLiveLink *link = stripe->head; link != NULL; link = link->next)
        {
          GtaskletTasklet *tasklet = tasklet_from_link (link);

          if (context == NULL || tasklet_context (tasklet) == context)
            g_ptr_array_add (tasklets, g_object_ref (tasklet));
        }
      _gtasklet_unlock (&stripe->lock);
    }
  return tasklets;
}

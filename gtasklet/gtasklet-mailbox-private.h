/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-message-private.h"
#include "gtasklet-receive-private.h"

G_BEGIN_DECLS

/* A tasklet's FIFO mailbox, and the one place that decides what happens to a message: the
 * engine tells it which receives the current wait set holds, then offers it each arriving
 * message (accept now, queue, or drop) and asks it for the next accepted one. Touched only
 * by the thread that runs the tasklet (or, before the tasklet starts, under its lock). */
typedef struct
{
  GtaskletEnvelope     *head;
  GtaskletEnvelope     *tail;
  guint                 length;
  /* The receives of the wait set, in the order they were added (the first one that names a
   * message decides). Not referenced: the wait set holds them while they are here. */
  guint                 n_receivers;
  union {
    GtaskletReceiveSpec  *one;
    GtaskletReceiveSpec **many;
  }                     receivers;
} GtaskletMailbox;

typedef enum
{
  /* The message is for the next step: the caller keeps the envelope. */
  GTASKLET_MAILBOX_ACCEPTED,
  GTASKLET_MAILBOX_QUEUED,
  GTASKLET_MAILBOX_DISCARDED,
} GtaskletMailboxOffer;

void                 _gtasklet_mailbox_set_receivers (GtaskletMailbox      *self,
                                                      GtaskletReceiveSpec **specs,
                                                      guint                 n_specs);
gboolean             _gtasklet_mailbox_same_receivers (GtaskletMailbox     *self,
                                                      GtaskletReceiveSpec **specs,
                                                      guint                 n_specs);
GtaskletMailboxOffer _gtasklet_mailbox_offer         (GtaskletMailbox      *self,
                                                      GtaskletEnvelope     *envelope,
                                                      gboolean              may_accept);
void                 _gtasklet_mailbox_push          (GtaskletMailbox      *self,
                                                      GtaskletEnvelope     *envelope);
GtaskletEnvelope    *_gtasklet_mailbox_take          (GtaskletMailbox      *self,
                                                      guint64               before_stamp);
gboolean             _gtasklet_mailbox_remove        (GtaskletMailbox      *self,
                                                      GtaskletEnvelope     *envelope);
guint                _gtasklet_mailbox_clear         (GtaskletMailbox      *self);
guint                _gtasklet_mailbox_count_deferred (const GtaskletMailbox *self);
void                 _gtasklet_mailbox_forget_dest   (GtaskletMailbox      *self);

static inline gboolean
_gtasklet_mailbox_is_receiving (const GtaskletMailbox *self)
{
  return self->n_receivers > 0;
}

/* Whether a take could find something: a receive is armed and a message is queued. */
static inline gboolean
_gtasklet_mailbox_may_match (const GtaskletMailbox *self)
{
  return self->n_receivers > 0 && self->head != NULL;
}

G_END_DECLS

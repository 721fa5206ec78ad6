/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-message-private.h"
#include "gtasklet-wait-condition.h"

G_BEGIN_DECLS

/* A tasklet's FIFO mailbox: an intrusive singly linked list of messages, oldest first. */
typedef struct
{
  GtaskletMessage *head;
  GtaskletMessage *tail;
  guint            length;
} GtaskletMailbox;

/* How the message conditions of a wait set treat a message name, per the contract: an
 * explicit name in any condition beats "*", and among conditions the one added first wins. */
typedef enum
{
  GTASKLET_MAILBOX_UNNAMED = -1,
} GtaskletMailboxUnnamed;

int              _gtasklet_mailbox_resolve (GtaskletWaitCondition * const *conditions,
                                            guint                          n_conditions,
                                            const char                    *interned_name);
void             _gtasklet_mailbox_push    (GtaskletMailbox               *self,
                                            GtaskletMessage               *message);
GtaskletMessage *_gtasklet_mailbox_match   (GtaskletMailbox               *self,
                                            GtaskletWaitCondition * const *conditions,
                                            guint                          n_conditions,
                                            guint64                        before_stamp);
gboolean         _gtasklet_mailbox_remove  (GtaskletMailbox               *self,
                                            GtaskletMessage               *message);
guint            _gtasklet_mailbox_clear   (GtaskletMailbox               *self);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-message.h"
#include "gtasklet-thread-private.h"

G_BEGIN_DECLS

struct _GtaskletMessage
{
  GObject          parent_instance;

  /* Interned, so matching against a WaitForMessages list compares pointers. */
  const char      *name;
  GValue           value;
  GtaskletTasklet *sender;
  /* Not referenced while the message is queued for dest or is the event of dest's step: dest
   * is alive then (it owns the mailbox, or runs). _gtasklet_message_own_dest() takes the
   * reference when the message outlives that (kept by someone, or crossing threads). */
  GtaskletTasklet *dest;

  /* Mailbox link: a message is in at most one mailbox, so the mailbox is an intrusive
   * list and enqueueing allocates nothing. */
  GtaskletMessage *next;
  guint64          stamp;
  guint            in_mailbox : 1;
  guint            owns_dest : 1;
};

GtaskletMessage *_gtasklet_message_new_interned (const char      *interned_name,
                                                 const GValue    *value);
void             _gtasklet_message_set_route    (GtaskletMessage *self,
                                                 GtaskletTasklet *sender,
                                                 GtaskletTasklet *dest);
void             _gtasklet_message_release      (GtaskletMessage *self);
void             _gtasklet_message_own_dest     (GtaskletMessage *self);
void             _gtasklet_message_forget_dest  (GtaskletMessage *self);
void             _gtasklet_message_pool_clear   (GtaskletThread  *thread);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-message.h"

G_BEGIN_DECLS

struct _GtaskletMessage
{
  GObject          parent_instance;

  /* Interned, so matching against a WaitForMessages list compares pointers. */
  const char      *name;
  GValue           value;
  GtaskletTasklet *sender;
  GtaskletTasklet *dest;

  /* Mailbox link: a message is in at most one mailbox, so the mailbox is an intrusive
   * list and enqueueing allocates nothing. */
  GtaskletMessage *next;
  guint64          stamp;
  guint            in_mailbox : 1;
};

GtaskletMessage *_gtasklet_message_new_interned (const char      *interned_name,
                                                 const GValue    *value);
void             _gtasklet_message_set_route    (GtaskletMessage *self,
                                                 GtaskletTasklet *sender,
                                                 GtaskletTasklet *dest);
void             _gtasklet_message_release      (GtaskletMessage *self);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-mailbox-private.h"
#include "gtasklet-wait-condition-private.h"
#include "gtasklet-wait-for-messages-private.h"

/* Returns a GtaskletMessageAction, or GTASKLET_MAILBOX_UNNAMED when no message condition of
 * the set names the message: it then stays queued (selective receive). */
int
_gtasklet_mailbox_resolve (GtaskletWaitCondition * const *conditions,
                           guint                          n_conditions,
                           const char                    *interned_name)
{
  int wildcard = GTASKLET_MAILBOX_UNNAMED;

  for (guint i = 0; i < n_conditions; i++)
    {
      GtaskletWaitConditionPrivate *cpriv = _gtasklet_wait_condition_get_private (conditions[i]);
      GtaskletMessageAction action;
      GtaskletWaitForMessagesMatch match;

      if (!cpriv->is_message_wait)
        continue;

      match = _gtasklet_wait_for_messages_lookup ((GtaskletWaitForMessages *) conditions[i],
                                                  interned_name, &action);
      if (match == GTASKLET_WAIT_FOR_MESSAGES_NAMED)
        return action;
      if (match == GTASKLET_WAIT_FOR_MESSAGES_WILDCARD && wildcard == GTASKLET_MAILBOX_UNNAMED)
        wildcard = action;
    }

  return wildcard;
}

void
_gtasklet_mailbox_push (GtaskletMailbox *self,
                        GtaskletMessage *message)
{
  g_assert (!message->in_mailbox);
  g_assert (message->next == NULL);

  message->in_mailbox = TRUE;
  if (self->tail != NULL)
    self->tail->next = message;
  else
    self->head = message;
  self->tail = message;
  self->length++;
}

static void
mailbox_unlink (GtaskletMailbox *self,
                GtaskletMessage *prev,
                GtaskletMessage *message)
{
  if (prev != NULL)
    prev->next = message->next;
  else
    self->head = message->next;
  if (self->tail == message)
    self->tail = prev;
  message->next = NULL;
  message->in_mailbox = FALSE;
  self->length--;
}

/* Scans from the oldest message, dropping the discarded ones, and stops at the first accepted
 * one, which is unlinked and returned (the caller owns it). Messages after it are not looked
 * at, as the contract requires. The scan also stops at the first message stamped
 * @before_stamp or later: an event that happened earlier (a fired condition) goes first. */
GtaskletMessage *
_gtasklet_mailbox_match (GtaskletMailbox               *self,
                         GtaskletWaitCondition * const *conditions,
                         guint                          n_conditions,
                         guint64                        before_stamp)
{
  GtaskletMessage *prev = NULL;
  GtaskletMessage *message = self->head;

  while (message != NULL && message->stamp < before_stamp)
    {
      GtaskletMessage *next = message->next;
      int action = _gtasklet_mailbox_resolve (conditions, n_conditions, message->name);

      if (action == GTASKLET_MESSAGE_ACCEPT)
        {
          mailbox_unlink (self, prev, message);
          return message;
        }
      else if (action == GTASKLET_MESSAGE_DISCARD)
        {
          mailbox_unlink (self, prev, message);
          _gtasklet_message_release (message);
        }
      else
        {
          prev = message;
        }
      message = next;
    }

  return NULL;
}

gboolean
_gtasklet_mailbox_remove (GtaskletMailbox *self,
                          GtaskletMessage *message)
{
  GtaskletMessage *prev = NULL;

  for (GtaskletMessage *m = self->head; m != NULL; prev = m, m = m->next)
    {
      if (m == message)
        {
          mailbox_unlink (self, prev, m);
          return TRUE;
        }
    }
  return FALSE;
}

/* Drops every queued message; returns how many there were. */
guint
_gtasklet_mailbox_clear (GtaskletMailbox *self)
{
  guint n = self->length;

  while (self->head != NULL)
    {
      GtaskletMessage *message = self->head;

      mailbox_unlink (self, NULL, message);
      _gtasklet_message_release (message);
    }
  return n;
}

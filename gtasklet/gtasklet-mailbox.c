/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-mailbox-private.h"

#include "gtasklet-stats-private.h"

static inline GtaskletReceiveSpec * const *
receivers (const GtaskletMailbox *self)
{
  return self->n_receivers > 1 ? self->receivers.many : &self->receivers.one;
}

gboolean
_gtasklet_mailbox_same_receivers (GtaskletMailbox      *self,
                                  GtaskletReceiveSpec **specs,
                                  guint                 n_specs)
{
  GtaskletReceiveSpec * const *current = receivers (self);

  if (self->n_receivers != n_specs)
    return FALSE;
  for (guint i = 0; i < n_specs; i++)
    if (current[i] != specs[i])
      return FALSE;
  return TRUE;
}

void
_gtasklet_mailbox_set_receivers (GtaskletMailbox      *self,
                                 GtaskletReceiveSpec **specs,
                                 guint                 n_specs)
{
  if (self->n_receivers > 1)
    g_free (self->receivers.many);
  self->receivers.one = NULL;

  if (n_specs == 1)
    self->receivers.one = specs[0];
  else if (n_specs > 1)
    self->receivers.many = g_memdup2 (specs, n_specs * sizeof (GtaskletReceiveSpec *));
  self->n_receivers = n_specs;
}

/* Returns a GtaskletMessageAction, or GTASKLET_RECEIVE_UNNAMED when no receive names the
 * message: it then stays queued (selective receive). An explicit name in any receive beats
 * "*", and among receives the first one added decides. */
static int
mailbox_resolve (const GtaskletMailbox *self,
                 const char            *interned_name)
{
  GtaskletReceiveSpec * const *specs = receivers (self);
  int wildcard = GTASKLET_RECEIVE_UNNAMED;

  for (guint i = 0; i < self->n_receivers; i++)
    {
      gboolean explicit;
      int action = _gtasklet_receive_spec_lookup (specs[i], interned_name, &explicit);

      if (explicit)
        return action;
      if (wildcard == GTASKLET_RECEIVE_UNNAMED)
        wildcard = action;
    }

  return wildcard;
}

void
_gtasklet_mailbox_push (GtaskletMailbox  *self,
                        GtaskletEnvelope *envelope)
{
  int flags = _gtasklet_instrument_flags ();

  g_assert (envelope->item.next == NULL);

  envelope->flags = (envelope->flags & ~ENVELOPE_TIMED) | ENVELOPE_QUEUED;
  if G_UNLIKELY (flags != 0)
    {
      envelope->queued_ms = _gtasklet_stats_now_ms ();
      envelope->flags |= ENVELOPE_TIMED;
    }
  if (self->tail != NULL)
    self->tail->item.next = &envelope->item;
  else
    self->head = envelope;
  self->tail = envelope;
  self->length++;
  if G_UNLIKELY (flags & GTASKLET_INSTRUMENT_WARN)
    _gtasklet_warn_mailbox_push (self);
}

/* How many queued messages the armed receives defer (none are armed: none). */
guint
_gtasklet_mailbox_count_deferred (const GtaskletMailbox *self)
{
  guint n = 0;

  if (self->n_receivers == 0)
    return 0;
  for (GtaskletEnvelope *e = self->head; e != NULL; e = (GtaskletEnvelope *) e->item.next)
    if (mailbox_resolve (self, e->name) == GTASKLET_MESSAGE_DEFER)
      n++;
  return n;
}

/* Decides an arriving message. @may_accept says the tasklet is waiting with nothing else
 * to deliver: every queued message has then been found not acceptable, so the newcomer is
 * what a scan from the oldest would reach next, and it can be decided right here. */
GtaskletMailboxOffer
_gtasklet_mailbox_offer (GtaskletMailbox  *self,
                         GtaskletEnvelope *envelope,
                         gboolean          may_accept)
{
  if (may_accept && self->n_receivers > 0)
    {
      int action = mailbox_resolve (self, envelope->name);

      if (action == GTASKLET_MESSAGE_ACCEPT)
        {
          envelope->flags |= ENVELOPE_QUEUED;
          return GTASKLET_MAILBOX_ACCEPTED;
        }
      if (action == GTASKLET_MESSAGE_DISCARD)
        {
          _gtasklet_envelope_discard (envelope);
          return GTASKLET_MAILBOX_DISCARDED;
        }
    }

  _gtasklet_mailbox_push (self, envelope);
  return GTASKLET_MAILBOX_QUEUED;
}

static void
mailbox_unlink (GtaskletMailbox  *self,
                GtaskletEnvelope *prev,
                GtaskletEnvelope *envelope)
{
  if (prev != NULL)
    prev->item.next = envelope->item.next;
  else
    self->head = (GtaskletEnvelope *) envelope->item.next;
  if (self->tail == envelope)
    self->tail = prev;
  envelope->item.next = NULL;
  self->length--;
}

/* Scans from the oldest message, dropping the discarded ones, and stops at the first accepted
 * one, which is unlinked and returned (still flagged queued: it is the next event). Messages
 * after it are not looked at, as the contract requires. The scan also stops at the first
 * message stamped @before_stamp or later: an event that happened earlier (a fired condition)
 * goes first. */
GtaskletEnvelope *
_gtasklet_mailbox_take (GtaskletMailbox *self,
                        guint64          before_stamp)
{
  GtaskletEnvelope *prev = NULL;
  GtaskletEnvelope *envelope = self->head;

  if (self->n_receivers == 0)
    return NULL;

  while (envelope != NULL && envelope->stamp < before_stamp)
    {
      GtaskletEnvelope *next = (GtaskletEnvelope *) envelope->item.next;
      int action = mailbox_resolve (self, envelope->name);

      if (action == GTASKLET_MESSAGE_ACCEPT)
        {
          mailbox_unlink (self, prev, envelope);
          return envelope;
        }
      else if (action == GTASKLET_MESSAGE_DISCARD)
        {
          mailbox_unlink (self, prev, envelope);
          _gtasklet_envelope_discard (envelope);
        }
      else
        {
          prev = envelope;
        }
      envelope = next;
    }

  return NULL;
}

gboolean
_gtasklet_mailbox_remove (GtaskletMailbox  *self,
                          GtaskletEnvelope *envelope)
{
  GtaskletEnvelope *prev = NULL;

  for (GtaskletEnvelope *e = self->head; e != NULL; prev = e, e = (GtaskletEnvelope *) e->item.next)
    {
      if (e == envelope)
        {
          mailbox_unlink (self, prev, e);
          e->flags &= ~ENVELOPE_QUEUED;
          return TRUE;
        }
    }
  return FALSE;
}

/* Drops every queued message and the receives; returns how many messages there were. */
guint
_gtasklet_mailbox_clear (GtaskletMailbox *self)
{
  guint n = self->length;

  while (self->head != NULL)
    {
      GtaskletEnvelope *envelope = self->head;

      mailbox_unlink (self, NULL, envelope);
      _gtasklet_envelope_discard (envelope);
    }
  _gtasklet_mailbox_set_receivers (self, NULL, 0);
  return n;
}

/* The mailbox's owner is going away: queued messages that someone else still holds must not
 * point at it any more. */
void
_gtasklet_mailbox_forget_dest (GtaskletMailbox *self)
{
  for (GtaskletEnvelope *e = self->head; e != NULL; e = (GtaskletEnvelope *) e->item.next)
    _gtasklet_envelope_forget_dest (e);
}

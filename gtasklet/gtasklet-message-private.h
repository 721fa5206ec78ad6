/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-message.h"
#include "gtasklet-scheduler-private.h"

G_BEGIN_DECLS

/* A message on its way: what a mailbox queues. Sending with gtasklet_tasklet_send() builds a
 * bare envelope, a plain struct from a per-thread pool, and no GObject exists until a step
 * receives the message (then a recycled GtaskletMessage takes the contents): a queued
 * message costs no type-system work at all. A GtaskletMessage sent with
 * gtasklet_tasklet_send_message() carries its own envelope inside. */
typedef struct _GtaskletEnvelope GtaskletEnvelope;

struct _GtaskletEnvelope
{
  /* The mailbox link, and the inbox entry while the envelope crosses to another thread. */
  GtaskletWorkItem  item;
  /* Interned, so matching against a receive list compares pointers. */
  const char       *name;
  GtaskletTasklet  *sender;
  /* Not referenced while the envelope is queued for dest or is dest's step's event (dest
   * is alive then: it owns the mailbox, or runs); ENVELOPE_OWNS_DEST when it outlives that
   * (crossing threads, or the message is kept after the step). */
  GtaskletTasklet  *dest;
  guint64           stamp;
  guint             flags;
  /* When it was queued in a mailbox (monotonic ms, truncated), if ENVELOPE_TIMED: set only
   * while statistics are on. In the padding after flags: it costs no size. */
  guint32           queued_ms;
  /* The monitor a DOWN message reports (ENVELOPE_DOWN): demonitor finds it by this. With
   * queued_ms it fills what was padding to 8 bytes; GSlice and the padded message objects
   * round the envelope to the same size either way. */
  guint             monitor_id;
  GValue            value;
};

enum
{
  /* The envelope is the one inside a GtaskletMessage. */
  ENVELOPE_EMBEDDED  = 1 << 0,
  ENVELOPE_OWNS_DEST = 1 << 1,
  /* In a mailbox, an inbox, or chosen as a tasklet's next event: not sendable again. */
  ENVELOPE_QUEUED    = 1 << 2,
  /* queued_ms holds when it was queued in the mailbox it is in. */
  ENVELOPE_TIMED     = 1 << 3,
  /* A monitor's DOWN, still to be checked against the receiver's monitors on arrival. */
  ENVELOPE_DOWN      = 1 << 4,
  /* A linked tasklet's end: on arrival the receiver fails, or (trapping exits) keeps it as
   * an EXIT message. */
  ENVELOPE_EXIT      = 1 << 5,
};

/* GLib 2.74 allocates objects from GSlice slabs, handing each thread runs of a few
 * neighbouring chunks: the message objects that two workers recycle at every step may share a
 * cache line. Padded to whole lines (slab chunks start at line boundaries), a message never
 * does: two workers run 1.3 times faster with it. */
#define GTASKLET_CACHE_LINE 64

typedef struct
{
  GObject          parent_instance;
  GtaskletEnvelope envelope;
} GtaskletMessageFields;

struct _GtaskletMessage
{
  GObject          parent_instance;
  GtaskletEnvelope envelope;
  char             line_padding[GTASKLET_CACHE_LINE - sizeof (GtaskletMessageFields) %
                                GTASKLET_CACHE_LINE];
};

GtaskletEnvelope *_gtasklet_envelope_new         (const char       *interned_name,
                                                  const GValue     *value);
GtaskletEnvelope *_gtasklet_envelope_of_message  (GtaskletMessage  *message);
void              _gtasklet_envelope_route       (GtaskletEnvelope *self,
                                                  GtaskletTasklet  *sender,
                                                  GtaskletTasklet  *dest);
void              _gtasklet_envelope_own_dest    (GtaskletEnvelope *self);
void              _gtasklet_envelope_forget_dest (GtaskletEnvelope *self);
void              _gtasklet_envelope_discard     (GtaskletEnvelope *self);
GtaskletMessage  *_gtasklet_envelope_open        (GtaskletEnvelope *self);
void              _gtasklet_message_release      (GtaskletMessage  *message);

static inline GtaskletMessage *
_gtasklet_envelope_get_message (GtaskletEnvelope *self)
{
  g_assert (self->flags & ENVELOPE_EMBEDDED);
  return (GtaskletMessage *) ((char *) self - G_STRUCT_OFFSET (GtaskletMessage, envelope));
}

G_END_DECLS

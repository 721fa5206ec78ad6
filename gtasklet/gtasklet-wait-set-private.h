/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "gtasklet-receive-private.h"

G_BEGIN_DECLS

/* A wait set: what a tasklet waits for after a step, in the order the step added it. An
 * entry is a GtaskletWaitCondition, or a receive spec of gtasklet_tasklet_receive() tagged
 * in the pointer's low bit (specs and GObjects are at least 8-byte aligned). The next bit
 * marks a receive entry of a step's pending set that holds no reference of its own: the same
 * spec is the whole armed set, whose reference serves both (the common "receive the same way
 * again"). Room for one entry inline: most steps wait for one thing. */
typedef gpointer GtaskletWaitEntry;

typedef struct
{
  union {
    GtaskletWaitEntry  one;     /* cap <= 1 */
    GtaskletWaitEntry *many;    /* cap > 1 */
  };
  guint                len;
  guint                cap;
} GtaskletWaitSet;

static inline gboolean
_gtasklet_wait_entry_is_receive (GtaskletWaitEntry entry)
{
  return ((guintptr) entry & 1) != 0;
}

static inline gboolean
_gtasklet_wait_entry_is_borrowed (GtaskletWaitEntry entry)
{
  return ((guintptr) entry & 2) != 0;
}

static inline GtaskletReceiveSpec *
_gtasklet_wait_entry_get_receive (GtaskletWaitEntry entry)
{
  return (GtaskletReceiveSpec *) ((guintptr) entry & ~(guintptr) 3);
}

static inline GtaskletWaitEntry
_gtasklet_wait_entry_for_receive (GtaskletReceiveSpec *spec)
{
  return (GtaskletWaitEntry) ((guintptr) spec | 1);
}

static inline GtaskletWaitEntry
_gtasklet_wait_entry_for_borrowed_receive (GtaskletReceiveSpec *spec)
{
  return (GtaskletWaitEntry) ((guintptr) spec | 3);
}

/* Drops the reference a pending receive entry holds, if it holds one. */
static inline void
_gtasklet_wait_entry_release_receive (GtaskletWaitEntry entry)
{
  if (!_gtasklet_wait_entry_is_borrowed (entry))
    _gtasklet_receive_spec_unref (_gtasklet_wait_entry_get_receive (entry));
}

static inline GtaskletWaitEntry *
_gtasklet_wait_set_items (GtaskletWaitSet *self)
{
  return self->cap > 1 ? self->many : &self->one;
}

void _gtasklet_wait_set_append (GtaskletWaitSet   *self,
                                GtaskletWaitEntry  entry);
void _gtasklet_wait_set_free   (GtaskletWaitSet   *self);

G_END_DECLS

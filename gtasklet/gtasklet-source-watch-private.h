/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "gtasklet-wait-condition.h"

G_BEGIN_DECLS

/* The part every condition backed by a main-loop source shares (timeout, idle, IO, child
 * process): the source exists exactly while the condition watches, it is attached to the
 * armed tasklet's context, and its priority is a property. A struct the condition embeds,
 * not a base class, so the public types keep GtaskletWaitCondition as their parent. */
typedef struct
{
  GSource *source;
  int      priority;
} GtaskletSourceWatch;

void        _gtasklet_source_watch_init           (GtaskletSourceWatch   *self,
                                                   int                    priority);
void        _gtasklet_source_watch_start          (GtaskletSourceWatch   *self,
                                                   GtaskletWaitCondition *condition,
                                                   GSource               *source,
                                                   GSourceFunc            callback,
                                                   const char            *name);
void        _gtasklet_source_watch_restart        (GtaskletSourceWatch   *self,
                                                   GtaskletWaitCondition *condition,
                                                   GSource               *source,
                                                   GSourceFunc            callback,
                                                   const char            *name);
void        _gtasklet_source_watch_stop           (GtaskletSourceWatch   *self);
gboolean    _gtasklet_source_watch_set_priority   (GtaskletSourceWatch   *self,
                                                   int                    priority);
GParamSpec *_gtasklet_source_watch_priority_pspec (int                    default_priority);

static inline gboolean
_gtasklet_source_watch_is_active (const GtaskletSourceWatch *self)
{
  return self->source != NULL;
}

G_END_DECLS

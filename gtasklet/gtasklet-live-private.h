/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The registry behind gtasklet_tasklet_list_live() (gtasklet-live.c): every started,
 * unfinished tasklet of the process is linked into one of a fixed set of stripes, each with
 * its own lock. A thread always registers into the same stripe, so starts and finishes on
 * different threads do not contend, and the stripe's line stays in the thread's cache. The
 * link lives inside the tasklet: registering costs no allocation. */
typedef struct _GtaskletLiveLink GtaskletLiveLink;

struct _GtaskletLiveLink
{
  GtaskletLiveLink *prev;
  GtaskletLiveLink *next;
};

/* Any thread; @link is not registered. */
void _gtasklet_live_register   (GtaskletLiveLink *link);
/* Any thread; does nothing if @link is not registered. */
void _gtasklet_live_unregister (GtaskletLiveLink *link);

/* Every live tasklet of @context (all of them if NULL), each referenced. */
GPtrArray    *_gtasklet_live_snapshot   (GMainContext     *context);
GMainContext *_gtasklet_live_context_of (GtaskletLiveLink *link);

/* gtasklet-live-model.c: the live models, told of starts and finishes while any exists. */
extern int _gtasklet_live_n_models;
void _gtasklet_live_model_note (GtaskletLiveLink *link,
                                gboolean          started);

G_END_DECLS

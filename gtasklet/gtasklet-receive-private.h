/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "gtasklet-types.h"

G_BEGIN_DECLS

/* What one receive does with each message name: the accept/defer/discard lists of a
 * GtaskletWaitForMessages, or of gtasklet_tasklet_receive(), merged into one table of
 * interned names (so a lookup compares pointers). Immutable once built, and reference
 * counted because one spec may serve many tasklets at once (receive() shares them). */
typedef struct _GtaskletReceiveSpec GtaskletReceiveSpec;

typedef struct
{
  const char *name;
  int         action;
} GtaskletReceiveEntry;

struct _GtaskletReceiveSpec
{
  int                  ref_count;
  /* The action of "*", or GTASKLET_RECEIVE_UNNAMED. */
  int                  wildcard;
  guint                n_entries;
  GtaskletReceiveEntry entries[];
};

/* The "action" of a name that a spec does not list (it stays queued). */
#define GTASKLET_RECEIVE_UNNAMED (-1)

GtaskletReceiveSpec *_gtasklet_receive_spec_new        (const char * const  *accept,
                                                        const char * const  *defer,
                                                        const char * const  *discard);
GtaskletReceiveSpec *_gtasklet_receive_spec_get_cached (const char * const  *accept,
                                                        const char * const  *defer,
                                                        const char * const  *discard);
GtaskletReceiveSpec *_gtasklet_receive_spec_ref        (GtaskletReceiveSpec *self);
void                 _gtasklet_receive_spec_unref      (GtaskletReceiveSpec *self);
GStrv                _gtasklet_receive_spec_dup_names  (GtaskletReceiveSpec *self,
                                                        GtaskletMessageAction action);
gboolean             _gtasklet_receive_spec_is_empty   (GtaskletReceiveSpec *self);
void                 _gtasklet_receive_spec_describe   (GtaskletReceiveSpec *self,
                                                        GString             *out);

/* The action for @interned_name, or GTASKLET_RECEIVE_UNNAMED; *explicit tells whether the
 * name itself is listed (rather than matched by "*"). */
static inline int
_gtasklet_receive_spec_lookup (const GtaskletReceiveSpec *self,
                               const char                *interned_name,
                               gboolean                  *explicit)
{
  for (guint i = 0; i < self->n_entries; i++)
    {
      if (self->entries[i].name == interned_name)
        {
          *explicit = TRUE;
          return self->entries[i].action;
        }
    }
  *explicit = FALSE;
  return self->wildcard;
}

G_END_DECLS

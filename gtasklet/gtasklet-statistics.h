/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib-object.h>

#include <gtasklet/gtasklet-types.h>
#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

typedef struct _GtaskletStatistics GtaskletStatistics;

struct _GtaskletStatistics
{
  guint64  n_steps;
  guint64  total_step_ns;
  guint64  longest_step_ns;
  guint    mailbox_depth;
  gint64   oldest_message_age_ms;
  guint64  n_sent;
  guint64  n_received;

  /*< private >*/
  gpointer _reserved[4];
};

#define GTASKLET_TYPE_STATISTICS (gtasklet_statistics_get_type ())
GTASKLET_AVAILABLE_IN_1_2
GType               gtasklet_statistics_get_type            (void) G_GNUC_CONST;
GTASKLET_AVAILABLE_IN_1_2
GtaskletStatistics *gtasklet_statistics_copy                (const GtaskletStatistics *self);
GTASKLET_AVAILABLE_IN_1_2
void                gtasklet_statistics_free                (GtaskletStatistics       *self);

GTASKLET_AVAILABLE_IN_1_2
void                gtasklet_tasklet_set_statistics_enabled (gboolean                  enabled);
GTASKLET_AVAILABLE_IN_1_2
gboolean            gtasklet_tasklet_get_statistics_enabled (void);
GTASKLET_AVAILABLE_IN_1_2
GtaskletStatistics *gtasklet_tasklet_get_statistics         (GtaskletTasklet          *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtaskletStatistics, gtasklet_statistics_free)

G_END_DECLS

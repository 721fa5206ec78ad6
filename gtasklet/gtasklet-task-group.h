/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-tasklet.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_TASK_GROUP (gtasklet_task_group_get_type ())
GTASKLET_AVAILABLE_IN_1_2
G_DECLARE_FINAL_TYPE (GtaskletTaskGroup, gtasklet_task_group, GTASKLET, TASK_GROUP, GtaskletTasklet)

GTASKLET_AVAILABLE_IN_1_2
GtaskletTaskGroup *gtasklet_task_group_new           (void) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
gboolean           gtasklet_task_group_add           (GtaskletTaskGroup *self,
                                                      GtaskletTasklet   *tasklet);
GTASKLET_AVAILABLE_IN_1_2
guint              gtasklet_task_group_get_n_running (GtaskletTaskGroup *self);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_TASKLET (gtasklet_wait_for_tasklet_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForTasklet, gtasklet_wait_for_tasklet,
                          GTASKLET, WAIT_FOR_TASKLET, GtaskletWaitCondition)

struct _GtaskletWaitForTaskletClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_tasklet_new         (GtaskletTasklet        *tasklet) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet       *gtasklet_wait_for_tasklet_get_tasklet (GtaskletWaitForTasklet *self);
GTASKLET_AVAILABLE_IN_ALL
const GValue          *gtasklet_wait_for_tasklet_get_result  (GtaskletWaitForTasklet *self);
GTASKLET_AVAILABLE_IN_ALL
const GError          *gtasklet_wait_for_tasklet_get_error   (GtaskletWaitForTasklet *self);

G_END_DECLS

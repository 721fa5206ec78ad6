/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_IDLE (gtasklet_wait_for_idle_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForIdle, gtasklet_wait_for_idle,
                          GTASKLET, WAIT_FOR_IDLE, GtaskletWaitCondition)

struct _GtaskletWaitForIdleClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_idle_new          (void) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
int                    gtasklet_wait_for_idle_get_priority (GtaskletWaitForIdle *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_idle_set_priority (GtaskletWaitForIdle *self,
                                                            int                  priority);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_TIMEOUT (gtasklet_wait_for_timeout_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForTimeout, gtasklet_wait_for_timeout,
                          GTASKLET, WAIT_FOR_TIMEOUT, GtaskletWaitCondition)

struct _GtaskletWaitForTimeoutClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_timeout_new          (guint                   interval_ms) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_1_2
GtaskletWaitCondition *gtasklet_wait_for_timeout_new_one_shot (guint                   interval_ms) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_timeout_restart      (GtaskletWaitForTimeout *self);
GTASKLET_AVAILABLE_IN_1_2
gboolean               gtasklet_wait_for_timeout_get_one_shot (GtaskletWaitForTimeout *self);
GTASKLET_AVAILABLE_IN_1_2
void                   gtasklet_wait_for_timeout_set_one_shot (GtaskletWaitForTimeout *self,
                                                               gboolean                one_shot);
GTASKLET_AVAILABLE_IN_ALL
guint                  gtasklet_wait_for_timeout_get_interval (GtaskletWaitForTimeout *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_timeout_set_interval (GtaskletWaitForTimeout *self,
                                                               guint                   interval_ms);
GTASKLET_AVAILABLE_IN_ALL
int                    gtasklet_wait_for_timeout_get_priority (GtaskletWaitForTimeout *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_timeout_set_priority (GtaskletWaitForTimeout *self,
                                                               int                     priority);

G_END_DECLS

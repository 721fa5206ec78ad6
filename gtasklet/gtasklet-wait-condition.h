/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib-object.h>

#include <gtasklet/gtasklet-types.h>
#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_CONDITION (gtasklet_wait_condition_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitCondition, gtasklet_wait_condition,
                          GTASKLET, WAIT_CONDITION, GObject)

struct _GtaskletWaitConditionClass
{
  GObjectClass parent_class;

  void (*arm)    (GtaskletWaitCondition *self,
                  GtaskletTasklet       *tasklet);
  void (*disarm) (GtaskletWaitCondition *self);
  char *(*describe) (GtaskletWaitCondition *self);

  /*< private >*/
  gpointer _reserved[12];
};

GTASKLET_AVAILABLE_IN_ALL
void             gtasklet_wait_condition_fire        (GtaskletWaitCondition *self);
GTASKLET_AVAILABLE_IN_1_2
void             gtasklet_wait_condition_fail        (GtaskletWaitCondition *self,
                                                      const GError          *error);
GTASKLET_AVAILABLE_IN_1_2
char            *gtasklet_wait_condition_describe    (GtaskletWaitCondition *self) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletTasklet *gtasklet_wait_condition_get_tasklet (GtaskletWaitCondition *self);
GTASKLET_AVAILABLE_IN_ALL
gboolean         gtasklet_wait_condition_is_armed    (GtaskletWaitCondition *self);
GTASKLET_AVAILABLE_IN_ALL
GMainContext    *gtasklet_wait_condition_get_context (GtaskletWaitCondition *self);

G_END_DECLS

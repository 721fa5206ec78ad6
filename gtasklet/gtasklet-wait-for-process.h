/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_PROCESS (gtasklet_wait_for_process_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForProcess, gtasklet_wait_for_process,
                          GTASKLET, WAIT_FOR_PROCESS, GtaskletWaitCondition)

struct _GtaskletWaitForProcessClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_process_new          (GPid                    pid) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_process_new_for_subprocess (GSubprocess      *subprocess) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GSubprocess           *gtasklet_wait_for_process_get_subprocess (GtaskletWaitForProcess *self);
GTASKLET_AVAILABLE_IN_ALL
GPid                   gtasklet_wait_for_process_get_pid      (GtaskletWaitForProcess *self);
GTASKLET_AVAILABLE_IN_ALL
gboolean               gtasklet_wait_for_process_has_exited   (GtaskletWaitForProcess *self);
GTASKLET_AVAILABLE_IN_ALL
int                    gtasklet_wait_for_process_get_status   (GtaskletWaitForProcess *self);
GTASKLET_AVAILABLE_IN_ALL
int                    gtasklet_wait_for_process_get_priority (GtaskletWaitForProcess *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_process_set_priority (GtaskletWaitForProcess *self,
                                                               int                     priority);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_ASYNC (gtasklet_wait_for_async_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForAsync, gtasklet_wait_for_async,
                          GTASKLET, WAIT_FOR_ASYNC, GtaskletWaitCondition)

struct _GtaskletWaitForAsyncClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_async_new          (void) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_async_callback     (GObject              *source_object,
                                                             GAsyncResult         *result,
                                                             gpointer              user_data);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_async_complete     (GtaskletWaitForAsync *self,
                                                             GObject              *source_object,
                                                             GAsyncResult         *result);
GTASKLET_AVAILABLE_IN_ALL
GAsyncResult          *gtasklet_wait_for_async_get_result   (GtaskletWaitForAsync *self);
GTASKLET_AVAILABLE_IN_ALL
GObject               *gtasklet_wait_for_async_get_source_object (GtaskletWaitForAsync *self);
GTASKLET_AVAILABLE_IN_ALL
gboolean               gtasklet_wait_for_async_is_complete  (GtaskletWaitForAsync *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_async_reset        (GtaskletWaitForAsync *self);

G_END_DECLS

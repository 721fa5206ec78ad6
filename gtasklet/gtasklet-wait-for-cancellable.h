/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_CANCELLABLE (gtasklet_wait_for_cancellable_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForCancellable, gtasklet_wait_for_cancellable,
                          GTASKLET, WAIT_FOR_CANCELLABLE, GtaskletWaitCondition)

struct _GtaskletWaitForCancellableClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_cancellable_new             (GCancellable               *cancellable) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GCancellable          *gtasklet_wait_for_cancellable_get_cancellable (GtaskletWaitForCancellable *self);

G_END_DECLS

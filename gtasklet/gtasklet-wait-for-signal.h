/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_SIGNAL (gtasklet_wait_for_signal_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForSignal, gtasklet_wait_for_signal,
                          GTASKLET, WAIT_FOR_SIGNAL, GtaskletWaitCondition)

struct _GtaskletWaitForSignalClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_signal_new         (gpointer               object,
                                                             const char            *detailed_signal) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GObject               *gtasklet_wait_for_signal_get_object  (GtaskletWaitForSignal *self);
GTASKLET_AVAILABLE_IN_ALL
const char            *gtasklet_wait_for_signal_get_signal  (GtaskletWaitForSignal *self);
GTASKLET_AVAILABLE_IN_ALL
guint                  gtasklet_wait_for_signal_get_n_args  (GtaskletWaitForSignal *self);
GTASKLET_AVAILABLE_IN_ALL
const GValue          *gtasklet_wait_for_signal_get_arg     (GtaskletWaitForSignal *self,
                                                             guint                  i);

G_END_DECLS

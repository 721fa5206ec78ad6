/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gio/gio.h>

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_IO (gtasklet_wait_for_io_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForIO, gtasklet_wait_for_io,
                          GTASKLET, WAIT_FOR_IO, GtaskletWaitCondition)

struct _GtaskletWaitForIOClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_io_new              (int                fd,
                                                              GIOCondition       condition) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_io_new_for_socket   (GSocket           *socket,
                                                              GIOCondition       condition) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_io_new_for_channel  (GIOChannel        *channel,
                                                              GIOCondition       condition) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
int                    gtasklet_wait_for_io_get_fd           (GtaskletWaitForIO *self);
GTASKLET_AVAILABLE_IN_ALL
GIOCondition           gtasklet_wait_for_io_get_watched      (GtaskletWaitForIO *self);
GTASKLET_AVAILABLE_IN_ALL
GIOCondition           gtasklet_wait_for_io_get_condition    (GtaskletWaitForIO *self);
GTASKLET_AVAILABLE_IN_ALL
GSocket               *gtasklet_wait_for_io_get_socket       (GtaskletWaitForIO *self);
GTASKLET_AVAILABLE_IN_ALL
GIOChannel            *gtasklet_wait_for_io_get_channel      (GtaskletWaitForIO *self);
GTASKLET_AVAILABLE_IN_ALL
int                    gtasklet_wait_for_io_get_priority     (GtaskletWaitForIO *self);
GTASKLET_AVAILABLE_IN_ALL
void                   gtasklet_wait_for_io_set_priority     (GtaskletWaitForIO *self,
                                                              int                priority);

G_END_DECLS

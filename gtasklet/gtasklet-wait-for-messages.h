/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-wait-condition.h>

G_BEGIN_DECLS

#define GTASKLET_TYPE_WAIT_FOR_MESSAGES (gtasklet_wait_for_messages_get_type ())
GTASKLET_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GtaskletWaitForMessages, gtasklet_wait_for_messages,
                          GTASKLET, WAIT_FOR_MESSAGES, GtaskletWaitCondition)

struct _GtaskletWaitForMessagesClass
{
  GtaskletWaitConditionClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

GTASKLET_AVAILABLE_IN_ALL
GtaskletWaitCondition *gtasklet_wait_for_messages_new        (const char * const      *accept,
                                                              const char * const      *defer,
                                                              const char * const      *discard) G_GNUC_WARN_UNUSED_RESULT;
GTASKLET_AVAILABLE_IN_ALL
GtaskletMessageAction  gtasklet_wait_for_messages_get_action (GtaskletWaitForMessages *self,
                                                              const char              *name,
                                                              gboolean                *named);
GTASKLET_AVAILABLE_IN_ALL
GStrv                  gtasklet_wait_for_messages_dup_names  (GtaskletWaitForMessages *self,
                                                              GtaskletMessageAction    action);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "gtasklet-wait-for-messages.h"

G_BEGIN_DECLS

typedef enum
{
  GTASKLET_WAIT_FOR_MESSAGES_NOT_NAMED,
  GTASKLET_WAIT_FOR_MESSAGES_NAMED,
  GTASKLET_WAIT_FOR_MESSAGES_WILDCARD,
} GtaskletWaitForMessagesMatch;

GtaskletWaitForMessagesMatch _gtasklet_wait_for_messages_lookup (GtaskletWaitForMessages *self,
                                                                 const char              *interned_name,
                                                                 GtaskletMessageAction   *action);

G_END_DECLS

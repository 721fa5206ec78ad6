/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib-object.h>

#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

/**
 * GtaskletWarning:
 * @GTASKLET_WARNING_LONG_STEP: a step ran longer than the threshold, in milliseconds
 *   (default 10)
 * @GTASKLET_WARNING_MAILBOX_DEPTH: a message was queued in a mailbox that then held more
 *   messages than the threshold (default 1000)
 * @GTASKLET_WARNING_DEFERRED: after a step, more messages than the threshold sat in the
 *   tasklet's mailbox deferred by the receive it now waits in (default 100)
 *
 * The kinds of warnings gtasklet can print about a tasklet; see
 * [func@Gtasklet.Tasklet.set_warning_threshold].
 *
 * Since: 1.2
 */
typedef enum
{
  GTASKLET_WARNING_LONG_STEP,
  GTASKLET_WARNING_MAILBOX_DEPTH,
  GTASKLET_WARNING_DEFERRED,
} GtaskletWarning;

GTASKLET_AVAILABLE_IN_1_2
void     gtasklet_tasklet_set_warnings_enabled (gboolean         enabled);
GTASKLET_AVAILABLE_IN_1_2
gboolean gtasklet_tasklet_get_warnings_enabled (void);
GTASKLET_AVAILABLE_IN_1_2
void     gtasklet_tasklet_set_warning_threshold (GtaskletWarning  kind,
                                                 guint            threshold);
GTASKLET_AVAILABLE_IN_1_2
guint    gtasklet_tasklet_get_warning_threshold (GtaskletWarning  kind);

G_END_DECLS

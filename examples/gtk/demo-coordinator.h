/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "demo-job.h"

G_BEGIN_DECLS

#define DEMO_TYPE_COORDINATOR (demo_coordinator_get_type ())
G_DECLARE_FINAL_TYPE (DemoCoordinator, demo_coordinator, DEMO, COORDINATOR, GtaskletTasklet)

/* The tasklet that follows the jobs of a run. Its mailbox takes:
 *
 * - "watch" (a DemoJob): follow that job: a run begins with the first watched job and ends
 *   when every watched job has finished;
 * - "progress" ((sds) GVariant: job id, fraction, text), sent by the jobs;
 * - "quit": cancel the running jobs and finish.
 *
 * It emits ::job-progress and ::job-finished from its steps, and keeps ::summary and
 * ::running up to date, for the window to show. It never touches a widget. */
DemoCoordinator *demo_coordinator_new         (void);
const char      *demo_coordinator_get_summary (DemoCoordinator *self);
gboolean         demo_coordinator_get_running (DemoCoordinator *self);
guint            demo_coordinator_get_count   (DemoCoordinator *self,
                                               const char      *outcome);

G_END_DECLS

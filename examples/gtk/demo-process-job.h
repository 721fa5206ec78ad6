/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "demo-job.h"

G_BEGIN_DECLS

#define DEMO_TYPE_PROCESS_JOB (demo_process_job_get_type ())
G_DECLARE_FINAL_TYPE (DemoProcessJob, demo_process_job, DEMO, PROCESS_JOB, DemoJob)

/* Runs @argv as a child process and waits for it to exit, reporting the elapsed time against
 * @expected_ms; cancelling the job kills the child. */
DemoJob *demo_process_job_new (const char         *id,
                               GtaskletTasklet    *coordinator,
                               const char * const *argv,
                               guint               expected_ms);

G_END_DECLS

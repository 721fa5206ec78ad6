/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "demo-job.h"

G_BEGIN_DECLS

#define DEMO_TYPE_FILE_JOB (demo_file_job_get_type ())
G_DECLARE_FINAL_TYPE (DemoFileJob, demo_file_job, DEMO, FILE_JOB, DemoJob)

/* Reads @file chunk by chunk with GIO's asynchronous calls, computing its SHA-256; pauses
 * @pause_ms between chunks, so that a person can watch it. The result is
 * "N bytes, sha256 HEX". */
DemoJob *demo_file_job_new (const char      *id,
                            GtaskletTasklet *coordinator,
                            GFile           *file,
                            guint            pause_ms);

G_END_DECLS

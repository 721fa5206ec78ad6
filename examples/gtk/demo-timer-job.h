/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "demo-job.h"

G_BEGIN_DECLS

#define DEMO_TYPE_TIMER_JOB (demo_timer_job_get_type ())
G_DECLARE_FINAL_TYPE (DemoTimerJob, demo_timer_job, DEMO, TIMER_JOB, DemoJob)

/* Ticks @n_ticks times, every @interval_ms, reporting each tick. */
DemoJob *demo_timer_job_new (const char      *id,
                             GtaskletTasklet *coordinator,
                             guint            n_ticks,
                             guint            interval_ms);

G_END_DECLS

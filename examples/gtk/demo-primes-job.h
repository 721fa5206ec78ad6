/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "demo-job.h"

G_BEGIN_DECLS

#define DEMO_TYPE_PRIMES_JOB (demo_primes_job_get_type ())
G_DECLARE_FINAL_TYPE (DemoPrimesJob, demo_primes_job, DEMO, PRIMES_JOB, DemoJob)

/* Counts the primes below @limit by trial division, in @n_slices steps, reporting after each.
 * It is CPU-bound, so it is meant for a worker of a GtaskletPool: it only talks to the
 * coordinator by messages, which are thread-safe. The result is "N primes below LIMIT in
 * T s". */
DemoJob *demo_primes_job_new (const char      *id,
                              GtaskletTasklet *coordinator,
                              guint            limit,
                              guint            n_slices);

G_END_DECLS

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the cross-thread workloads on gtasklet: bench-pool.c and bench-pool-scale.c. */

#include "bench-util.h"

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* The int a message carries, or G_MININT if it carries none. */
int  bench_pool_message_int (GObject          *event);

/* Waits on the main thread until @tasklets, of any thread, have finished; a failure fails the
 * run. After it, what their steps wrote is safe to read here. */
void bench_pool_join_all    (const char       *workload,
                             const char       *impl,
                             GtaskletTasklet **tasklets,
                             guint             n);

G_END_DECLS

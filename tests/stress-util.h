/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* Helpers shared by test-threads-stress.c and test-pool-stress.c: random runs that can be
 * repeated, and the library's debug log of dropped messages. */

/* The seed of a random run: GTASKLET_TEST_SEED if set, else a random one; the test log says
 * which. */
guint32  stress_seed              (void);

/* The library reports drops in its debug log, with the count, and the test harness prints
 * debug messages: from now on, counts them from zero instead of printing hundreds of
 * thousands of lines. Any thread may log. */
void     stress_count_drops_begin (void);
/* The drops logged so far, and in how many lines. */
int      stress_logged_drops      (int *n_lines);

G_END_DECLS

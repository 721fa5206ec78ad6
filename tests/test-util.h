/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* Iterates the thread-default main context until *flag is TRUE or timeout_ms passes
 * (then the test fails). Tests never sleep: they wait for a condition. */
#define test_wait_until(flag, timeout_ms) \
  test_wait_until_impl (&(flag), (timeout_ms), G_STRFUNC, __LINE__, #flag)

void     test_wait_until_impl (const gboolean *flag,
                               guint           timeout_ms,
                               const char     *func,
                               int             line,
                               const char     *expr);

/* Iterates until a tasklet has finished. */
void     test_wait_finished   (GtaskletTasklet *tasklet,
                               guint            timeout_ms);

/* Runs the thread-default context without blocking until nothing is pending. */
void     test_drain           (void);

G_END_DECLS

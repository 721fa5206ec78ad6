/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "demo-window.h"

G_BEGIN_DECLS

/* A tasklet that drives @window as a person would: it presses Start, waits until the job
 * @cancel_id has reported some progress, presses that job's Cancel button, waits until the
 * run is over and checks what the window shows and how soon the cancelled job ended. If
 * @screenshot is not NULL it saves the window there as a PNG half a second after the
 * cancelled job finished, while the others are still running, showing @screenshot_page
 * ("jobs", the default when NULL, or "tasklets"). On the way it visits the Tasklets page and
 * checks what it lists. Its result is the exit status: 0 if every check passed. */
GtaskletTasklet *demo_self_test_new (DemoWindow *window,
                                     const char *cancel_id,
                                     const char *screenshot,
                                     const char *screenshot_page);

G_END_DECLS

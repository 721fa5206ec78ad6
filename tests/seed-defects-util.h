/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "test-manual-condition.h"
#include "test-util.h"

G_BEGIN_DECLS

/* Helpers shared by test-seed-defects.c and test-seed-defects-2.c. */

/* A tasklet that waits on `cond` `n_waits` times and appends `label` to a shared log at each
 * event. */
typedef struct
{
  GtaskletWaitCondition *cond;
  guint                  n_waits;
  const char            *label;
  GString               *log;
  guint                  n_events;
  GObject               *last_event;      /* no reference: compared only */
} Looper;

/* The step of a Looper (its user data). */
gboolean looper_step (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      gpointer          user_data,
                      GError          **error);

G_END_DECLS

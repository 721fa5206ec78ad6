/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

#define DEMO_TYPE_JOB (demo_job_get_type ())
G_DECLARE_DERIVABLE_TYPE (DemoJob, demo_job, DEMO, JOB, GtaskletTasklet)

/* A worker of the demo: a tasklet with an id and a title that reports its progress to a
 * coordinator tasklet. Subclasses override GtaskletTaskletClass.run, call demo_job_report()
 * as they go and finish with a one-line summary as their result (a string). */
struct _DemoJobClass
{
  GtaskletTaskletClass parent_class;
};

const char      *demo_job_get_id          (DemoJob    *self);
const char      *demo_job_get_title       (DemoJob    *self);
GtaskletTasklet *demo_job_get_coordinator (DemoJob    *self);
void             demo_job_report          (DemoJob    *self,
                                           double      fraction,
                                           const char *text);
void             demo_job_return_string   (DemoJob    *self,
                                           const char *summary);

G_END_DECLS

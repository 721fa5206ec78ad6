/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define GTASKLET_INSIDE

#include <gtasklet/gtasklet-version-macros.h>
#include <gtasklet/gtasklet-version.h>
#include <gtasklet/gtasklet-types.h>
#include <gtasklet/gtasklet-enum-types.h>
#include <gtasklet/gtasklet-error.h>
#include <gtasklet/gtasklet-tasklet.h>
#include <gtasklet/gtasklet-wait-condition.h>
#include <gtasklet/gtasklet-message.h>
#include <gtasklet/gtasklet-wait-for-messages.h>
#include <gtasklet/gtasklet-wait-for-tasklet.h>
#include <gtasklet/gtasklet-wait-for-timeout.h>
#include <gtasklet/gtasklet-wait-for-idle.h>
#include <gtasklet/gtasklet-wait-for-io.h>
#include <gtasklet/gtasklet-wait-for-signal.h>
#include <gtasklet/gtasklet-wait-for-process.h>
#include <gtasklet/gtasklet-wait-for-cancellable.h>
#include <gtasklet/gtasklet-wait-for-async.h>
#include <gtasklet/gtasklet-pool.h>
#include <gtasklet/gtasklet-task-group.h>
#include <gtasklet/gtasklet-supervisor.h>
#include <gtasklet/gtasklet-node.h>
#include <gtasklet/gtasklet-statistics.h>
#include <gtasklet/gtasklet-debug.h>
#include <gtasklet/gtasklet-warnings.h>
#include <gtasklet/gtasklet-linear.h>

#undef GTASKLET_INSIDE

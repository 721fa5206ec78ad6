/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib.h>

#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

/**
 * GTASKLET_ERROR:
 *
 * The error domain of gtasklet's own errors; see `GtaskletError`.
 *
 * Cancellation is never reported in this domain: it is always `G_IO_ERROR_CANCELLED`.
 */
#define GTASKLET_ERROR (gtasklet_error_quark ())

/**
 * GtaskletError:
 * @GTASKLET_ERROR_FAILED: a step returned %FALSE without setting an error, or a tasklet class
 *   has no step function; the message names the tasklet's type
 *
 * Error codes of the `GTASKLET_ERROR` domain. Errors that a step sets keep their own domain
 * and code, and cancellation is always `G_IO_ERROR_CANCELLED`. New codes are appended.
 *
 * Since: 1.0
 */
typedef enum
{
  GTASKLET_ERROR_FAILED,
} GtaskletError;

GTASKLET_AVAILABLE_IN_ALL
GQuark gtasklet_error_quark (void);

G_END_DECLS

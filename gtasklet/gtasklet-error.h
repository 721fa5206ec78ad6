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
 * The error domain of gtasklet's own errors; see [error@Gtasklet.Error].
 *
 * Cancellation is never reported in this domain: it is always `G_IO_ERROR_CANCELLED`.
 */
#define GTASKLET_ERROR (gtasklet_error_quark ())

/**
 * GtaskletError:
 * @GTASKLET_ERROR_FAILED: a step returned %FALSE without setting an error, or another
 *   failure with no better code
 * @GTASKLET_ERROR_FINISHED: the operation needs a tasklet that has not finished yet
 * @GTASKLET_ERROR_OBJECT_FINALIZED: the object a condition watched was finalized
 *
 * Error codes of the [const@Gtasklet.ERROR] domain.
 *
 * Since: 1.0
 */
typedef enum
{
  GTASKLET_ERROR_FAILED,
  GTASKLET_ERROR_FINISHED,
  GTASKLET_ERROR_OBJECT_FINALIZED,
} GtaskletError;

GTASKLET_AVAILABLE_IN_ALL
GQuark gtasklet_error_quark (void);

G_END_DECLS

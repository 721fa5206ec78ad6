/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"

/**
 * gtasklet_error_quark:
 *
 * The quark of the [error@Gtasklet.Error] domain.
 *
 * This function is thread-safe.
 *
 * Returns: the `GQuark` of `GTASKLET_ERROR`
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (gtasklet-error-quark, gtasklet_error)

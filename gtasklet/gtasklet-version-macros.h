/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* The export attribute depends on who includes us, not on config.h: the library is built
 * with hidden visibility and only what carries GTASKLET_AVAILABLE_IN_* is exported. */
#if defined (GTASKLET_COMPILATION)
# define _GTASKLET_EXTERN __attribute__((visibility ("default"))) extern
#else
# define _GTASKLET_EXTERN extern
#endif

#define GTASKLET_VERSION_1_0 (G_ENCODE_VERSION (1, 0))
#define GTASKLET_VERSION_1_2 (G_ENCODE_VERSION (1, 2))

#define GTASKLET_AVAILABLE_IN_ALL _GTASKLET_EXTERN
#define GTASKLET_AVAILABLE_IN_1_0 _GTASKLET_EXTERN
#define GTASKLET_AVAILABLE_IN_1_2 _GTASKLET_EXTERN

#ifdef GTASKLET_DISABLE_DEPRECATION_WARNINGS
# define GTASKLET_DEPRECATED _GTASKLET_EXTERN
# define GTASKLET_DEPRECATED_FOR(f) _GTASKLET_EXTERN
#else
# define GTASKLET_DEPRECATED G_DEPRECATED _GTASKLET_EXTERN
# define GTASKLET_DEPRECATED_FOR(f) G_DEPRECATED_FOR (f) _GTASKLET_EXTERN
#endif
